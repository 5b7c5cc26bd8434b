/* wrap_results.c - wrappers of libc functions that hand paths back to the
 * program: readlink (and its fortified and *at forms), realpath (and
 * canonicalize_file_name, __realpath_chk) and tempnam.
 *
 * Their arguments are translated like any path; their results are host
 * paths (a /proc/self/... link, a symlink whose target names the root, a
 * canonical host path) and are mapped back to the guest view with
 * crp_unmap before the program sees them.  readlink keeps the kernel's
 * truncation rules (at most bufsiz bytes, no NUL); realpath resolves
 * inside the root (symlinks with absolute targets stay in it) and checks
 * existence as libc does; tempnam picks its directory among the guest's
 * TMPDIR, dir, P_tmpdir and /tmp, testing them inside the root.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#undef _FORTIFY_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);
extern void __chk_fail(void) __attribute__((noreturn));

/* ---------------------------------------------------------------- readlink */

/* readlinkat with a guest path, the target mapped back to the guest view.
 * Returns the length (at most bufsiz, no NUL) or -errno. */
static ssize_t crw_readlink(int dirfd, const char *path, char *buf, size_t bufsiz)
{
	char host[PATH_MAX], target[PATH_MAX + 1], guest[PATH_MAX];
	if (bufsiz == 0)
		return -EINVAL;
	ssize_t n;
	/* One walk when it can: the link itself opened O_PATH|O_NOFOLLOW,
	 * read with readlinkat(fd, "") -- which answers ENOENT, not EINVAL,
	 * when the object is not a symlink. */
	int fd = crp_fast_open(dirfd, path, CR_KEEP_SLASH, O_PATH | O_CLOEXEC, 0);
	if (fd >= 0) {
		n = cr_sys_readlinkat(fd, "", target, sizeof target - 1);
		cr_sys_close(fd);
		if (n == -ENOENT)
			n = -EINVAL;
	} else if (fd != CRP_SLOW && fd != CRP_SLOW_LINK) {
		return fd;
	} else {
		int e = crp_resolve_at(dirfd, path, CR_KEEP_SLASH |
		                       (fd == CRP_SLOW_LINK ? CRP_NO_FAST : 0), host);
		if (e)
			return -e;
		n = cr_sys_readlinkat(dirfd, host, target, sizeof target - 1);
	}
	if (n < 0)
		return n;
	const char *res = target;
	size_t len = (size_t)n;
	if ((size_t)n < sizeof target - 1) {
		target[n] = '\0';
		if (target[0] == '/' && crp_unmap(target, guest, sizeof guest) == 0) {
			res = guest;
			len = strlen(guest);
		}
	}
	if (len > bufsiz)
		len = bufsiz;
	memcpy(buf, res, len);
	return (ssize_t)len;
}

static int crw_root_active(void)
{
	return crp_config()->rootlen != 0;
}

CRP_EXPORT ssize_t readlink(const char *restrict path, char *restrict buf, size_t bufsiz)
{
	if (!crw_root_active()) {
		__typeof__(&readlink) real = CRP_NEXT(readlink);
		if (real)
			return real(path, buf, bufsiz);
	}
	ssize_t r = crw_readlink(AT_FDCWD, path, buf, bufsiz);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

CRP_EXPORT ssize_t readlinkat(int dirfd, const char *restrict path, char *restrict buf,
                              size_t bufsiz)
{
	if (!crw_root_active()) {
		__typeof__(&readlinkat) real = CRP_NEXT(readlinkat);
		if (real)
			return real(dirfd, path, buf, bufsiz);
	}
	ssize_t r = crw_readlink(dirfd, path, buf, bufsiz);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

CRP_EXPORT ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return readlinkat(AT_FDCWD, path, buf, len);
}

CRP_EXPORT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
                                    size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return readlinkat(dirfd, path, buf, len);
}

/* ---------------------------------------------------------------- realpath */

static char *crw_realpath(const char *path, char *resolved)
{
	char *(*real)(const char *, char *) = CRP_NEXT_T(char *(*)(const char *, char *),
	                                                  "realpath");
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	if (!crw_root_active())
		return real(path, resolved);
	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (path[0] == '\0') {
		errno = ENOENT;
		return NULL;
	}
	char host[PATH_MAX], canon[PATH_MAX], guest[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, path, CR_FOLLOW | CR_KEEP_SLASH, host);
	if (e) {
		errno = e;
		return NULL;
	}
	/* Symlinks inside the root are resolved already; libc finishes the
	 * job inside binds (host semantics there) and checks existence, with
	 * its internal calls (not these wrappers). */
	if (!real(host, canon))
		return NULL;
	e = crp_unmap(canon, guest, sizeof guest);
	if (e) {
		errno = e;
		return NULL;
	}
	if (resolved) {
		memcpy(resolved, guest, strlen(guest) + 1);
		return resolved;
	}
	char *r = strdup(guest);
	if (!r)
		errno = ENOMEM;
	return r;
}

CRP_EXPORT char *realpath(const char *restrict path, char *restrict resolved)
{
	return crw_realpath(path, resolved);
}

CRP_EXPORT char *canonicalize_file_name(const char *path)
{
	return crw_realpath(path, NULL);
}

CRP_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolved && resolvedlen < PATH_MAX)
		__chk_fail();
	return crw_realpath(path, resolved);
}

/* ---------------------------------------------------------------- tempnam */

static int crw_guest_isdir(const char *dir)
{
	char host[PATH_MAX];
	if (!dir || !*dir || crp_resolve_at(AT_FDCWD, dir, CR_FOLLOW, host) != 0)
		return 0;
	return cr_sys_isdir(AT_FDCWD, host) == 1;
}

static uint64_t crw_random(void)
{
	static unsigned int counter;   /* 32-bit: armel has no 64-bit atomics */
	uint64_t v = 0;
#ifdef SYS_getrandom
	if (syscall(SYS_getrandom, &v, sizeof v, 0) == (long)sizeof v)
		return v;
#endif
	v = __atomic_add_fetch(&counter, 0x9e3779b9u, __ATOMIC_RELAXED);
	v *= 0x9e3779b97f4a7c15ULL;
	v ^= (uint64_t)syscall(SYS_getpid) << 16;
	v ^= (uint64_t)(uintptr_t)&v;
	v ^= v >> 31;
	v *= 0xbf58476d1ce4e5b9ULL;
	return v ^ (v >> 29);
}

CRP_EXPORT char *tempnam(const char *dir, const char *pfx)
{
	if (!crw_root_active()) {
		__typeof__(&tempnam) real = CRP_NEXT(tempnam);
		if (real)
			return real(dir, pfx);
	}
	/* glibc's order: $TMPDIR (not for set-id programs), dir, P_tmpdir,
	 * /tmp - each used only if it is a directory (inside the root). */
	const char *d = NULL;
	const char *env = getenv("TMPDIR");
	if (env && getuid() == geteuid() && getgid() == getegid() && crw_guest_isdir(env))
		d = env;
	else if (crw_guest_isdir(dir))
		d = dir;
	else if (crw_guest_isdir(P_tmpdir))
		d = P_tmpdir;
	else if (crw_guest_isdir("/tmp"))
		d = "/tmp";
	if (!d) {
		errno = ENOENT;
		return NULL;
	}
	size_t dl = strlen(d);
	while (dl > 1 && d[dl - 1] == '/')
		dl--;
	if (!pfx || !*pfx)
		pfx = "file";
	size_t pl = strnlen(pfx, 5);
	if (dl + 1 + pl + 6 + 1 > PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	static const char letters[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char name[PATH_MAX], host[PATH_MAX], tmp[1];
	memcpy(name, d, dl);
	name[dl] = '/';
	memcpy(name + dl + 1, pfx, pl);
	char *x = name + dl + 1 + pl;
	for (int attempt = 0; attempt < 1000; attempt++) {
		uint64_t r = crw_random();
		for (int i = 0; i < 6; i++, r /= 62)
			x[i] = letters[r % 62];
		x[6] = '\0';
		int e = crp_resolve_at(AT_FDCWD, name, 0, host);
		if (e) {
			errno = e;
			return NULL;
		}
		/* An lstat without struct stat: EINVAL = exists, not a link. */
		ssize_t n = cr_sys_readlinkat(AT_FDCWD, host, tmp, sizeof tmp);
		if (n == -ENOENT) {
			char *res = strdup(name);
			if (!res)
				errno = ENOMEM;
			return res;
		}
		if (n < 0 && n != -EINVAL) {
			errno = (int)-n;
			return NULL;
		}
	}
	errno = EEXIST;
	return NULL;
}
