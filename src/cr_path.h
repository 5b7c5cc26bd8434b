/* cr_path.h - resolve paths inside a fake root, and map results back.
 *
 * Pure logic: every filesystem question goes through struct cr_fsops, so the
 * resolver is unit-tested against real temporary trees or fakes, and the
 * preload library answers with raw system calls (never its own wrappers).
 *
 * Guest path: a path as the program inside the root sees it.
 * Host path:  the path the kernel must be given.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_PATH_H
#define CR_PATH_H

#include <stddef.h>
#include <sys/types.h>
#include "cr_config.h"

struct cr_fsops {
	/* readlink(2) of a host path: >=0 length (not NUL-terminated), or
	 * -errno (-EINVAL when not a symlink, -ENOENT when missing, ...). */
	ssize_t (*readlink)(void *ud, const char *hostpath, char *buf, size_t bufsz);
	/* Open a host path read-only (following symlinks) for header reading:
	 * fd >= 0 or -errno.  Used by the exec planner, not the resolver. */
	int (*open_ro)(void *ud, const char *hostpath);
	ssize_t (*pread)(void *ud, int fd, void *buf, size_t n, off_t off);
	void (*close)(void *ud, int fd);
	/* stat-like probe for exec: 0 when a regular file the caller may
	 * execute, else -errno (-ENOENT, -EACCES, ...). */
	int (*exec_ok)(void *ud, const char *hostpath);
	void *ud;
	/* Optional (NULL: not used): 0 when every component of the host path
	 * exists and none is a symlink (the last one excepted unless follow),
	 * else -errno.  After a symlink the resolver asks it once about the
	 * rest of the walk taken lexically, instead of one readlink per
	 * component (ROOT/bin -> usr/bin, then usr/bin/ls in one probe). */
	int (*nolinks)(void *ud, const char *hostpath, int follow);
};

/* The default cr_fsops: raw system calls (readlinkat, openat, pread64,
 * close, faccessat+fstatat), async-signal-safe, never the library's own
 * wrappers.  Defined in cr_sys.c. */
extern const struct cr_fsops cr_sys_fsops;

enum {
	CR_FOLLOW      = 1 << 0, /* follow a symlink in the last component */
	CR_KEEP_SLASH  = 1 << 1, /* keep a trailing '/' of the input on the output
	                          * (so the kernel still demands a directory) */
	CR_MUST_EXIST  = 1 << 2, /* the caller only uses an existing object (stat,
	                          * open without O_CREAT...): when the readlink of
	                          * a followed last component finds it missing
	                          * (ENOENT) or under a non-directory (ENOTDIR),
	                          * fail with that error at once -- the answer
	                          * the kernel would give the output path -- and
	                          * save the caller's own system call */
};

/* Resolve a guest path into a host path.
 *   base: guest absolute directory that a relative path is relative to
 *         (the guest cwd, or the guest path of a dirfd); ignored when path
 *         is absolute.  NULL means "/".
 * "." and ".." are resolved lexically after symlinks (as the kernel does),
 * ".." never climbs above the root; each symlink met in a non-last component
 * (and in the last with CR_FOLLOW) is read and its target resolved inside the
 * root (absolute targets start again at the root).  A component that does
 * not exist ends symlink checking; the rest is appended unchanged, but a
 * ".." in it fails at once with that component's error (as the kernel's
 * walk would, without the race of a concurrent mkdir letting it climb).  A guest
 * prefix equal to a bind's guest path switches to its host path, and the rest
 * of the path is appended unresolved (the host's own semantics apply there),
 * except that "." and ".." stay lexical in guest terms: ".." at a bind's top
 * returns to the guest parent (no escape to the host's parent directory).
 * Among binds the longest guest match wins, the last listed among equals.
 * A trailing '/' in the input makes the last component followed, like the
 * kernel; with CR_KEEP_SLASH a trailing '/' (or final "." / "..") yields a
 * trailing '/' on the output.  base is taken as already resolved (only
 * lexically canonicalised, its symlinks are not read).  With no fake root
 * and only identity binds the output is the path as given (relative paths
 * joined to base), and the kernel resolves it.
 * Inside a bind of the host's /proc, PID/root and PID/task/TID/root (PID a
 * number, "self" or "thread-self"), when followed, lead back to the fake
 * root: the kernel's magic link would lead to the host's "/".
 * Returns 0, ELOOP after 40 symlinks, ENAMETOOLONG when the input or the
 * output passes outsz (PATH_MAX in the library), ENOENT for "". */
int cr_resolve(const struct cr_config *cfg, const struct cr_fsops *ops,
               const char *base, const char *path, int flags,
               char *out, size_t outsz);

/* Lexically canonicalise a guest path against base (no symlink reading):
 * the guest-visible absolute path.  Same returns as cr_resolve. */
int cr_guest_abspath(const char *base, const char *path, char *out, size_t outsz);

/* Map a host path (from getcwd, readlink of /proc/self/..., realpath, ...)
 * to the path seen inside the root.  A path under the root loses the root
 * prefix ("ROOT" alone becomes "/"); a path under a bind's host path becomes
 * the bind's guest path; any other path is copied unchanged.
 * Precedence: the root wins over binds (a bind whose host path lies under
 * the root maps as part of the root); among binds the longest host path
 * wins, the last one listed among equals.  Prefixes match at component
 * boundaries only (root "/tmp/r" does not match "/tmp/rx").  With no fake
 * root (rootlen 0) binds are tried first and every other absolute path maps
 * to itself (returns 0).  Non-absolute strings ("pipe:[12]") are copied.
 * Returns 0 when mapped, 1 when the path is outside the root and every bind
 * (copied unchanged), ENAMETOOLONG when out is too small. */
int cr_unmap(const struct cr_config *cfg, const char *host, char *out, size_t outsz);

/* Is a host path inside the root (or the root itself)?  Always true for an
 * absolute path when there is no fake root. */
int cr_host_in_root(const struct cr_config *cfg, const char *host);

/* Config time (allocates; not async-signal-safe): replace each bind's guest
 * path by its resolution inside the root (binds ignored, last component
 * followed), as the kernel does for a mount point reached through a symlink:
 * with ROOT/mnt -> media, a bind on /mnt/host is matched at /media/host.
 * A bind whose guest path cannot be resolved (a loop such as a root's
 * proc -> /proc link, a dangling link) keeps its path as written.
 * Call after parsing, before publishing the config.  0 or ENOMEM. */
int cr_resolve_binds(struct cr_config *cfg, const struct cr_fsops *ops);

#endif
