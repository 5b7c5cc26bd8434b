/* state.h - per-process state of libcrossroot, shared by every wrapper file.
 *
 * The configuration is an immutable snapshot (struct cr_config) published
 * through an atomic pointer: it is built from the environment at load time
 * and replaced (never freed) by the faked chroot().  Readers take it with
 * crp_config() and need no lock, so wrappers stay async-signal-safe.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CRP_STATE_H
#define CRP_STATE_H

#include <limits.h>
#include <stddef.h>
#include "cr_config.h"
#include "cr_env.h"
#include "cr_arch.h"

#define CRP_EXPORT __attribute__((visibility("default")))

/* The current configuration.  Never NULL after the library's constructor;
 * cfg->rootlen == 0 means no fake root (wrappers pass paths through, apart
 * from exec planning for foreign binaries). */
const struct cr_config *crp_config(void);
/* The same, once the exec part of initialisation is done (its command
 * substitutions filled in): what exec planning must use. */
const struct cr_config *crp_exec_config(void);

/* Replace the root (faked chroot): hostroot is a canonical host path.
 * Also updates CROSSROOT_ROOT in environ so children inherit it.
 * Returns 0 or an errno value. */
int crp_set_root(const char *hostroot);

/* The real (next) definition of a libc function, resolved once per slot
 * with dlsym(RTLD_NEXT) pinned to the oldest glibc version of dlsym, so
 * guest builds load in old roots.  Thread-safe (atomic slot), no lock. */
void *crp_next(void *volatile *slot, const char *name);
#define CRP_NEXT(fn) \
	({ static void *volatile crp_slot_; \
	   (__typeof__(&fn))crp_next(&crp_slot_, #fn); })
/* Same for a function not declared by the headers (e.g. __xstat). */
#define CRP_NEXT_T(type, name) \
	({ static void *volatile crp_slot_; \
	   (type)crp_next(&crp_slot_, name); })

/* Translate a guest path given relative to dirfd (AT_FDCWD or a directory
 * fd) into a host path in out (PATH_MAX bytes).  flags: CR_FOLLOW,
 * CR_KEEP_SLASH (cr_path.h).  When no root is active, copies path.
 * Returns 0 or an errno value.  Async-signal-safe: raw syscalls only. */
int crp_resolve_at(int dirfd, const char *path, int flags, char *out);
/* Extra crp_resolve_at flag for callers that hand the result to the kernel
 * together with the same dirfd (the generated wrappers): a relative path
 * of one component that names no bind, cannot climb ("..") and is not a
 * symlink to follow comes back unchanged, still relative to dirfd: the
 * kernel's lookup of one name in the directory is the resolver's, so the
 * base directory (getcwd or /proc/self/fd/N) need not be read. */
#define CRP_REL_OK (1 << 8)

/* The one-walk fast path for the hot calls (open, stat, access,
 * readlink): open the object a guest path names with a single
 * openat2(RESOLVE_NO_SYMLINKS) of its lexical host translation, with
 * oflags (O_PATH for stat-like calls) and mode, O_NOFOLLOW added unless
 * flags has CR_FOLLOW.  Returns the fd (the caller closes it, or hands it
 * to the program for open), -errno when that is the call's answer (a
 * missing component, EACCES...: met before any symlink, as the resolver
 * would meet it), or CRP_SLOW: take crp_resolve_at and the real function
 * (a symlink on the way, "..", a bind, no root, no openat2, a relative
 * path from a dirfd), CRP_SLOW_LINK (the same, after a symlink).
 * Async-signal-safe. */
int crp_fast_open(int dirfd, const char *path, int flags, int oflags, unsigned mode);
#define CRP_SLOW (-100000)
/* Also take the slow path, but a symlink was met: pass CRP_NO_FAST to
 * crp_resolve_at, whose own openat2 check would only meet it again. */
#define CRP_SLOW_LINK (-100001)
#define CRP_NO_FAST (1 << 9)

/* The guest view of the current directory (PATH_MAX bytes). */
int crp_guest_cwd(char *out, size_t outsz);

/* Map a host path returned by the kernel to the guest view, in place
 * allowed (out may equal host).  Returns 0 or ENAMETOOLONG. */
int crp_unmap(const char *host, char *out, size_t outsz);

/* The environment snapshot taken at load (see cr_env.h). */
const struct cr_env_snapshot *crp_env(void);

/* The architecture the kernel runs (CROSSROOT_HOST_ARCH, else configure's). */
const struct cr_arch *crp_kernel_arch(void);

/* Host path of the qemu for an architecture: CROSSROOT_QEMU_<ARCH>, then
 * the host PATH (qemu-<name>-static, then qemu-<name>); NULL if none.
 * Signature fits cr_exec_ctx.find_qemu. */
const char *crp_find_qemu(void *ud, const struct cr_arch *a);

/* Extra qemu options (CROSSROOT_QEMU_ARGS split at blanks), NULL-ended. */
const char *const *crp_qemu_args(void);

/* -L prefix for foreign programs when no root is active
 * (CROSSROOT_STAGE_PREFIX/<qemu-name>), or NULL. */
const char *crp_qemu_prefix(const struct cr_arch *a, char *buf, size_t bufsz);

/* 1 when this build of the library runs under qemu-user (a foreign one). */
int crp_emulated(void);

/* cr_exec_ctx.native_loader: 0 when CROSSROOT_NATIVE_LOADER=0, else 1. */
int crp_native_loader(void);

/* cr_exec_ctx.allow_static: 1 when CROSSROOT_ALLOW_STATIC=1, else 0. */
int crp_allow_static(void);

/* 1 when CROSSROOT_PRELOAD_ALL=1: every program gets its preloads, also
 * one that cannot reach them (cr_reach.h). */
int crp_preload_all(void);

/* The export set (cr_reach.h) of the preload library at a host path, read
 * once per process (preload_exports.c); NULL when it cannot be read,
 * another thread is reading it, or the process's few slots are taken. */
struct cr_symset;
const struct cr_symset *crp_preload_exports(void *ud, const char *path);

/* cr_exec_ctx.native_libpath: CROSSROOT_LIBPATH of the environment
 * snapshot (survives env -i), or NULL. */
const char *crp_native_libpath(void);
/* FAKECHROOT_ELFLOADER (absolute, else NULL) and
 * FAKECHROOT_ELFLOADER_OPT_ARGV0 (NULL when unset), read at start. */
const char *crp_elfloader(void);
const char *crp_elfloader_argv0(void);

/* Verbose log (CROSSROOT_VERBOSE >= level) to CROSSROOT_LOG or stderr,
 * one line, written with a single write(2).  Async-signal-safe. */
void crp_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int crp_verbose(void);

#endif
