/* cr_exec.h - the exec planner: what really runs when a program execs a path.
 *
 * For every exec request (from the preload wrappers and from the crossroot
 * command itself) the planner resolves the program inside the root (with a
 * PATH search inside the root for the p-variants), identifies it, and
 * produces the real host path and argv:
 *   - command substitution (CROSSROOT_CMD_SUBST): the substitute, same argv;
 *   - with ctx->elfloader (FAKECHROOT_ELFLOADER), a dynamic kernel-
 *     architecture ELF: ELFLOADER [OPT ARGV0] HOSTPATH ARGV[1..] (in place
 *     of the root's loader; foreign ELFs still go to qemu);
 *   - kernel-architecture ELF: the host path, argv unchanged; but a
 *     dynamic one inside the root, with ctx->native_loader, runs under the
 *     ROOT's own dynamic loader (so it gets the root's C library):
 *     LOADER --inhibit-cache --library-path LIBPATH [--argv0 ARGV0]
 *     HOSTPATH ARGV[1..]  (see cr_exec_plan);
 *   - foreign ELF:  QEMU -L PREFIX [QEMU_ARGS] -0 ARGV0 HOSTPATH ARGV[1..]
 *   - #! script: the interpreter is resolved in the root and planned again
 *     (up to CR_EXEC_MAX_NEST levels), argv as the kernel builds it:
 *     INTERP [ARG] SCRIPT ARGV[1..], SCRIPT being the path as given;
 *   - anything else: ENOEXEC (the p-variants then retry with /bin/sh as
 *     execvp does, see cr_exec_plan's CR_EXEC_SH_FALLBACK).
 * No allocation: strings live in the plan's arena, so the planner is usable
 * between fork and exec.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_EXEC_H
#define CR_EXEC_H

#include <limits.h>
#include <stddef.h>
#include "cr_config.h"
#include "cr_path.h"
#include "cr_arch.h"
#include "cr_elf.h"

#define CR_EXEC_MAX_NEST   4     /* nested #! interpreters, as the kernel */
#define CR_EXEC_MAX_PREFIX 32    /* argv words the plan puts in front */
#define CR_EXEC_ARENA      (6 * PATH_MAX)

enum {
	CR_EXEC_SEARCH_PATH = 1 << 0, /* execvp-style: search PATH inside root
	                               * when the name has no '/' */
	CR_EXEC_SH_FALLBACK = 1 << 1, /* execvp-style: ENOEXEC -> run via /bin/sh */
};

struct cr_exec_ctx {
	const struct cr_config *cfg;
	const struct cr_fsops *fs;
	const struct cr_arch *kernel;   /* the architecture the kernel runs */
	const char *guest_cwd;          /* guest absolute cwd */
	/* Host path of the qemu for arch a, or NULL when none is found.  The
	 * preload answers from CROSSROOT_QEMU_<ARCH>, then PATH (host dirs):
	 * qemu-<name>-static, then qemu-<name>. */
	const char *(*find_qemu)(void *ud, const struct cr_arch *a);
	void *qemu_ud;
	const char *const *qemu_args;   /* extra qemu options, NULL-terminated, or NULL */
	const char *qemu_prefix;        /* -L value; NULL: the root (host "/" if none) */
	/* Run a dynamic kernel-architecture ELF found inside the root with
	 * the root's own loader (CROSSROOT_NATIVE_LOADER, default on in the
	 * library and crossroot; 0 here: exec it directly, host loader). */
	int native_loader;
	/* crossroot's own library directories (CROSSROOT_LIBPATH, ':'-separated
	 * host paths), put behind the root's in the loader's --library-path,
	 * which replaces LD_LIBRARY_PATH: libcrossroot.so and libfakeroot
	 * must still be found.  NULL: none. */
	const char *native_libpath;
	/* Run a STATIC foreign ELF inside a fake root.  Such a program gets
	 * no libcrossroot, only qemu's -L, which falls back to host paths for
	 * files missing in the root: it could write on the host.  0 (the
	 * default): refuse it with EACCES and a why line naming
	 * CROSSROOT_ALLOW_STATIC.  Without a fake root it always runs. */
	int allow_static;
	/* FAKECHROOT_ELFLOADER: an absolute host path of a dynamic loader
	 * that runs every dynamic ELF of the kernel's architecture (NULL or
	 * "": none), and FAKECHROOT_ELFLOADER_OPT_ARGV0, the loader's option
	 * taking argv[0] ("--argv0"; NULL or "": not passed). */
	const char *elfloader;
	const char *elfloader_argv0;
};

struct cr_exec_plan {
	const char *path;               /* host path to hand to execve */
	const char *prefix[CR_EXEC_MAX_PREFIX]; /* new argv words in front ... */
	size_t nprefix;
	size_t skip;                    /* ... of the original argv from this index */
	const struct cr_arch *arch;     /* non-NULL when run under qemu */
	const struct cr_arch *target;   /* the architecture of the dynamic
	                                 * program that runs in the end (the
	                                 * kernel's or the emulated one); NULL
	                                 * when unknown or static */
	int is_static;                  /* foreign ELF without PT_INTERP */
	const char *elf_host;           /* a dynamic foreign ELF: its host */
	const char *elf_interp;         /* path and PT_INTERP; else NULL */
	int substituted;                /* CROSSROOT_CMD_SUBST applied */
	int subst_outside;              /* ... a FAKECHROOT_CMD_SUBST entry run
	                                 * outside the root (cr_config.h) */
	int native_loader;              /* run under the root's own loader */
	char guest_path[PATH_MAX];      /* the program as seen inside the root */
	char why[512];                  /* on failure: one line for the user */
	char arena[CR_EXEC_ARENA];
	size_t arena_used;
};

/* Plan exec of file (as the program gave it) with argv[0] = argv0 (NULL:
 * "", as Linux does for an empty argv).  Details:
 *   - substitution is looked up for the lexical guest path, then for the
 *     symlink-resolved one (so /bin/x matches a /usr/bin/x entry when /bin
 *     links to usr/bin); it applies even when the program is missing;
 *   - a file that is executable but unreadable is handed to the kernel
 *     as is (path = host path, argv unchanged);
 *   - CR_EXEC_SH_FALLBACK applies to a file that is neither ELF nor #!, or
 *     has a bad #! line, at any #! level (the script itself is then run
 *     as /bin/sh SCRIPT ARGV[1..]); not to a corrupt or unknown-machine
 *     ELF, which stays ENOEXEC with its reason;
 *   - the root's loader (ctx->native_loader) is used for an ELF of the
 *     kernel's architecture whose host path is inside the root, that has
 *     a PT_INTERP which resolves (in the root) to an executable file inside
 *     the root and is a glibc loader (it knows --inhibit-cache), when at
 *     least one library directory of the root exists.  LIBPATH is: the
 *     plain directory lines of the root's /etc/ld.so.conf (its "include"
 *     lines -- ld.so.conf.d -- are not read: that needs a directory
 *     listing), then /lib/TRIPLET, /usr/lib/TRIPLET, /lib64, /usr/lib64,
 *     /lib, /usr/lib, each resolved in the root, kept when it is a
 *     directory inside the root, once; then ctx->native_libpath.  A
 *     directory whose host path holds ':', ';' or '$' (which the loader
 *     would split or expand) is left out.  --argv0 is passed when the
 *     loader file holds that string (glibc >= 2.33); an older loader
 *     makes the program's argv[0] its host path.  Otherwise the program
 *     is exec'ed directly, as before;
 *   - E2BIG when the words in front of argv pass CR_EXEC_MAX_PREFIX
 *     (CROSSROOT_QEMU_ARGS), ENAMETOOLONG when the arena is full.
 * Returns 0, or an errno value (ENOENT, EACCES, ENOEXEC, ELOOP,
 * ENAMETOOLONG, ...) with plan->why set. */
int cr_exec_plan(const struct cr_exec_ctx *ctx, const char *file,
                 const char *argv0, const char *pathvar, int flags,
                 struct cr_exec_plan *plan);

/* Number of argv words the planned exec has for an original argc. */
size_t cr_exec_argc(const struct cr_exec_plan *plan, size_t argc);

/* Fill out (capacity >= cr_exec_argc()+1) with the planned argv, NULL-ended. */
void cr_exec_build_argv(const struct cr_exec_plan *plan, char *const *argv,
                        size_t argc, const char **out);

/* 1 when hostpath is a regular file the caller may execute (raw system
 * calls: usable inside the preloaded library and its helpers). */
int cr_exec_is_runnable(const char *hostpath);

/* The qemu-user program for arch a in a PATH-style list of host
 * directories: qemu-<name>-static first, then qemu-<name>.  Only absolute
 * entries count (an empty or relative one would depend on the cwd at exec
 * time).  1 with out set, else 0.  Raw system calls, no allocation. */
int cr_exec_find_qemu(const char *pathvar, const struct cr_arch *a,
                      char *out, size_t outsz);

#endif
