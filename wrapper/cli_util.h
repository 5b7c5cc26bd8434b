/* cli_util.h - helpers shared by the crossroot and crossroot-stage commands.
 *
 * Where the libcrossroot builds live (LIBDIR), where guest C libraries are
 * staged (the stage prefix), architecture descriptions for messages, the
 * host PATH lookup of qemu, small file predicates and a recursive remove
 * that never follows symlinks.  Used only by the commands, so it may
 * allocate and print.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_CLI_UTIL_H
#define CR_CLI_UTIL_H

#include <limits.h>
#include <stddef.h>
#include "cr_arch.h"

#define CR_DEFAULT_STAGE_PREFIX "/etc/qemu-binfmt"
#define CR_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The directory holding <triplet>/libcrossroot.so: CROSSROOT_LIBDIR, else
 * the build tree's preload/ when this program (named prog) runs from the
 * build tree's wrapper/, else the installed package library directory. */
const char *cli_libdir(const char *prog);

/* The stage prefix: CROSSROOT_STAGE_PREFIX, else /etc/qemu-binfmt. */
const char *cli_stage_prefix(void);

/* Host path of the staged library directory of arch a:
 * PREFIX/<qemu>/usr/lib/<triplet>/crossroot.  Its existence marks a tree
 * staged for exactly this architecture (armel and armhf share "arm"). */
int cli_stage_libdir(const char *prefix, const struct cr_arch *a,
                     char *out, size_t outsz);

/* Is PREFIX/<qemu> a staged tree for arch a?  Writes PREFIX/<qemu> to out. */
int cli_stage_has(const char *prefix, const struct cr_arch *a,
                  char *out, size_t outsz);

/* 1 when path is an executable regular file (following symlinks). */
int cli_is_exec_file(const char *path);
int cli_is_file(const char *path);
int cli_is_dir(const char *path);

/* "ELF machine" description for messages: "x86-64", "arm64", "armhf"... */
const char *cli_machine_name(unsigned machine, unsigned elfclass,
                             unsigned data, unsigned flags,
                             char *buf, size_t bufsz);

/* Comma-separated Debian names of the known architectures. */
const char *cli_known_arches(char *buf, size_t bufsz);

/* snprintf into out; 0, or ENAMETOOLONG when truncated. */
int cli_fmt(char *out, size_t outsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Remove a tree (depth first, symlinks removed, never followed).
 * Returns 0 or an errno value; a missing path is not an error. */
int cli_rm_rf(const char *path);

/* mkdir -p (mode 0755); 0 or errno. */
int cli_mkdir_p(const char *path);

#endif
