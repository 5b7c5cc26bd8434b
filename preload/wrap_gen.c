/* wrap_gen.c - generates the path-translating wrappers of wrap_table.h.
 *
 * Each row of the table becomes an exported function with the libc
 * prototype.  Its body: when no fake root is active, call the real
 * function at once; otherwise translate each path argument into a stack
 * buffer (crp_resolve_at: raw syscalls, no malloc, no lock; a single
 * relative name may come back unchanged, CRP_REL_OK, as the real function
 * gets the same dirfd), return the
 * row's error value with errno set when that fails, and call the real
 * function with the host paths, leaving errno as it set it.  A real
 * function missing from an old libc (stat before glibc 2.33) is replaced
 * by the row's fallback (__xstat with this architecture's _STAT_VER).
 * Also here: openat2, which glibc does not wrap; exported so a caller
 * that links one gets ENOSYS and falls back to openat (raw
 * syscall(SYS_openat2) is not intercepted).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#undef _FORTIFY_SOURCE   /* fortified inline open/readlink would clash */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

/* Functions the headers no longer (or only with fortification) declare. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
int __xstat(int ver, const char *path, struct stat *buf);
int __lxstat(int ver, const char *path, struct stat *buf);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *buf, int flags);
int __xstat64(int ver, const char *path, struct stat64 *buf);
int __lxstat64(int ver, const char *path, struct stat64 *buf);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *buf, int flags);
int __xmknod(int ver, const char *path, mode_t mode, dev_t *dev);
int __xmknodat(int ver, int dirfd, const char *path, mode_t mode, dev_t *dev);
#if __SIZEOF_LONG__ == 4
int __stat64_time64(const char *path, void *buf);
int __lstat64_time64(const char *path, void *buf);
int __fstatat64_time64(int dirfd, const char *path, void *buf, int flags);
int __utime64(const char *path, const void *times);
int __utimes64(const char *path, const void *tv);
int __lutimes64(const char *path, const void *tv);
int __futimesat64(int dirfd, const char *path, const void *tv);
int __utimensat64(int dirfd, const char *path, const void *times, int flags);
#endif
struct open_how;
long openat2(int dirfd, const char *path, struct open_how *how, size_t size);

/* The version arguments the pre-2.33 glibc stat/mknod entry points check
 * (_STAT_VER / _MKNOD_VER of each architecture's bits/stat.h). */
#if defined(__x86_64__)
#  define CRP_STAT_VER  1
#  define CRP_MKNOD_VER 0
#elif defined(__arm__) || defined(__i386__)
#  define CRP_STAT_VER  3
#  define CRP_MKNOD_VER 1
#else   /* aarch64 and the other "generic" Linux ports */
#  define CRP_STAT_VER  0
#  define CRP_MKNOD_VER 0
#endif

/* ---------------------------------------------------------- follow rules */
#define CRW_FOLLOW        CR_FOLLOW
#define CRW_NOFOLLOW      0
#define CRW_UNLESS(e)     ((e) ? 0 : CR_FOLLOW)
#define CRW_IF(e)         ((e) ? CR_FOLLOW : 0)
#define CRW_OPEN(fl)      ((((fl) & O_NOFOLLOW) || \
                            ((fl) & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) ? 0 : CR_FOLLOW)
#define CRW_FOPEN(m)      (((m) && strchr((m), 'x')) ? 0 : CR_FOLLOW)

/* ---------------------------------------------------------- columns */
#define CRW_NOVA
#define CRW_VA_MODE(last, fl)                                              \
	mode_t mode = 0;                                                   \
	if (((fl) & O_CREAT) || ((fl) & O_TMPFILE) == O_TMPFILE) {         \
		va_list crw_ap_;                                           \
		va_start(crw_ap_, last);                                   \
		mode = va_arg(crw_ap_, mode_t);                            \
		va_end(crw_ap_);                                           \
	}

/* libc declares most path parameters nonnull, which lets the compiler
 * drop a plain NULL test: hide the value from it (a NULL path goes to the
 * real function, which fails with EFAULT as without the library). */
static inline int crw_given_(const void *p)
{
	__asm__("" : "+r"(p));
	return p != NULL;
}

#define CRW_NONE
#define CRW_PATH_IF_(cond, var, dirfd, follow, extra)                      \
	char var##_crh_[PATH_MAX];                                         \
	if (crw_on_ && crw_given_(var) && (cond)) {                            \
		int crw_e_ = crp_resolve_at((dirfd), var,                  \
		                        (follow) | CR_KEEP_SLASH | CRP_REL_OK | (extra), \
		                        var##_crh_);                       \
		if (crw_e_ != 0) {                                         \
			errno = crw_e_;                                    \
			return crw_err_;                                   \
		}                                                          \
		var = var##_crh_;                                          \
	}
#define CRW_PATH(var, dirfd, follow)       CRW_PATH_IF_(1, var, dirfd, follow, 0)
#define CRW_PATH_SLASH(var, dirfd, follow) CRW_PATH_IF_(strchr(var, '/'), var, dirfd, follow, 0)

/* The one-walk forms of the hot rows (crp_fast_open): the object is
 * opened once with the symlink check done by the kernel in the same walk,
 * and the call's answer is taken from that fd; CRP_SLOW falls through to
 * the ordinary translation (CRW_PATH) and the real function.  open hands
 * the fd itself to the program. */
#define CRW_FAST_(var, dirfd, follow, oflags, md, use)                     \
	int var##_nf_ = 0;                                                 \
	if (crw_on_ && crw_given_(var)) {                                  \
		int crw_fd_ = crp_fast_open((dirfd), var,                  \
		                            (follow) | CR_KEEP_SLASH,      \
		                            (oflags), (unsigned)(md));     \
		if (crw_fd_ == CRP_SLOW_LINK)                              \
			var##_nf_ = CRP_NO_FAST;                           \
		else if (crw_fd_ != CRP_SLOW) {                            \
			if (crw_fd_ < 0) {                                 \
				errno = -crw_fd_;                          \
				return crw_err_;                           \
			}                                                  \
			use                                                \
		}                                                          \
	}
/* EXPR answers from crw_fd_ (an O_PATH fd) and sets errno as libc would,
 * or yields CRP_SLOW (feature missing in this kernel) to fall through. */
#define CRW_FD_ANSWER_(expr)                                               \
	{                                                                  \
		long crw_r_ = (expr);                                      \
		int crw_e2_ = errno;                                       \
		cr_sys_close(crw_fd_);                                     \
		errno = crw_e2_;                                           \
		if (crw_r_ != CRP_SLOW)                                    \
			return crw_r_;                                     \
	}
/* In the slow path, the calls that need the object to exist fail at once
 * when the resolver finds it missing (CR_MUST_EXIST: one system call less
 * per miss, as in every PATH search or probe for an optional file). */
#define CRW_PATH_OPEN(var, dirfd, fl, md)                                  \
	CRW_FAST_(var, dirfd, CRW_OPEN(fl), (fl), (md), return crw_fd_;)   \
	CRW_PATH_IF_(1, var, dirfd, CRW_OPEN(fl),                          \
	             var##_nf_ | (((fl) & O_CREAT) ? 0 : CR_MUST_EXIST))
#define CRW_PATH_FD(var, dirfd, follow, expr)                              \
	CRW_FAST_(var, dirfd, follow, O_PATH | O_CLOEXEC, 0,               \
	          CRW_FD_ANSWER_(expr))                                    \
	CRW_PATH_IF_(1, var, dirfd, follow, var##_nf_ | CR_MUST_EXIST)
/* stat and friends from the fd: where libc's struct stat is the kernel's
 * (64-bit), newfstatat(fd, "", AT_EMPTY_PATH); elsewhere the plain path. */
#if defined(SYS_newfstatat) && __SIZEOF_LONG__ == 8
#  define CRW_PATH_STAT(var, dirfd, follow, buf, fl)                       \
	CRW_PATH_FD(var, dirfd, follow,                                    \
	            syscall(SYS_newfstatat, crw_fd_, "", (buf),            \
	                    AT_EMPTY_PATH | ((fl) & ~AT_SYMLINK_NOFOLLOW)))
#else
#  define CRW_PATH_STAT(var, dirfd, follow, buf, fl)                       \
	CRW_PATH_IF_(1, var, dirfd, follow, CR_MUST_EXIST)
#endif
#define CRW_PATH_STATX(var, dirfd, follow, fl, mask, buf)                  \
	CRW_PATH_FD(var, dirfd, follow,                                    \
	            syscall(SYS_statx, crw_fd_, "",                        \
	                    AT_EMPTY_PATH | ((fl) & ~AT_SYMLINK_NOFOLLOW), \
	                    (mask), (buf)))
#define CRW_PATH_ACCESS(var, dirfd, follow, amode, fl)                     \
	CRW_PATH_FD(var, dirfd, follow, crw_faccess_fd_(crw_fd_, (amode), (fl)))

/* faccessat2(fd, "", AT_EMPTY_PATH) (Linux 5.8), or CRP_SLOW. */
#ifndef SYS_faccessat2
#  define SYS_faccessat2 439
#endif
static long crw_faccess_fd_(int fd, int amode, int flags)
{
	int saved = errno;
	long r = syscall(SYS_faccessat2, fd, "", amode, AT_EMPTY_PATH | (flags & AT_EACCESS));
	if (r < 0 && (errno == ENOSYS || errno == EINVAL || errno == EPERM)) {
		errno = saved;
		return CRP_SLOW;
	}
	return r;
}

#define CRW_NOFB
#define CRW_FB(sym, type, fargs)                                           \
	{                                                                  \
		__typeof__(type) crw_fb_ = CRP_NEXT_T(type, sym);          \
		if (crw_fb_)                                               \
			return crw_fb_ fargs;                              \
	}

/* The stack buffers exist in both cases (a stack-pointer adjustment);
 * without a root nothing is translated. */
#define CRW(ret, name, params, args, err, va, p1, p2, fb)                  \
CRP_EXPORT ret name params                                                 \
{                                                                          \
	ret const crw_err_ __attribute__((unused)) = (err);                \
	__typeof__(&name) const crw_real_ = CRP_NEXT(name);                \
	va                                                                 \
	const int crw_on_ = crp_config()->rootlen != 0;                    \
	p1                                                                 \
	p2                                                                 \
	if (__builtin_expect(crw_real_ != NULL, 1))                        \
		return crw_real_ args;                                     \
	fb                                                                 \
	errno = ENOSYS;                                                    \
	return crw_err_;                                                   \
}

#include "wrap_table.h"

/* glibc has no openat2() wrapper; a program (or library) that brings its
 * own declaration and links against this one gets ENOSYS and is expected
 * to fall back to openat, which is translated.  The kernel's RESOLVE_*
 * rules could not be honoured on a translated path anyway. */
CRP_EXPORT long openat2(int dirfd, const char *path, struct open_how *how, size_t size)
{
	(void)dirfd; (void)path; (void)how; (void)size;
	errno = ENOSYS;
	return -1;
}
