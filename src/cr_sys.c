/* cr_sys.c - raw system calls through syscall(2), and cr_sys_fsops.
 *
 * Every function here issues exactly one (or, for the stat probes, at most
 * two) system calls through syscall(2), returns the result or -errno, and
 * leaves errno as it found it, so the preload wrappers can use them for
 * their own work without disturbing the program's errno.  Nothing allocates
 * and nothing uses static storage: all of it is async-signal-safe and
 * thread-safe.  The file type probes use statx (its structure is the same on
 * every architecture) and fall back to the architecture's fstatat (kernel
 * ABI structure) when the kernel or an old qemu-user lacks statx.  Also
 * defines cr_sys_fsops, the filesystem operations the resolver and the exec
 * planner use inside the library.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cr_sys.h"
#include "cr_path.h"

/* One syscall(2), -errno on failure, errno preserved. */
#define CR_RAW(result, ...) do {                                        \
		int saved_errno_ = errno;                               \
		long r_ = syscall(__VA_ARGS__);                         \
		(result) = r_ < 0 ? -(long)errno : r_;                  \
		errno = saved_errno_;                                   \
	} while (0)

ssize_t cr_sys_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	long r;
	CR_RAW(r, SYS_readlinkat, (long)dirfd, path, buf, n);
	return (ssize_t)r;
}

int cr_sys_openat(int dirfd, const char *path, int flags, int mode)
{
	long r;
#ifdef O_LARGEFILE
	/* The raw syscall does not add O_LARGEFILE as libc does on 32-bit. */
	flags |= O_LARGEFILE;
#endif
	CR_RAW(r, SYS_openat, (long)dirfd, path, (long)flags, (long)mode);
	return (int)r;
}

#ifndef SYS_openat2
#  define SYS_openat2 437     /* the same number on every architecture */
#endif
int cr_sys_openat2(int dirfd, const char *path, const void *how, size_t size)
{
	long r;
	CR_RAW(r, SYS_openat2, (long)dirfd, path, how, size);
	return (int)r;
}

ssize_t cr_sys_pread(int fd, void *buf, size_t n, off_t off)
{
	long r;
	uint64_t o = (uint64_t)(int64_t)off;
#if UINTPTR_MAX > 0xffffffffu
	CR_RAW(r, SYS_pread64, (long)fd, buf, n, (long)o);
#elif defined(__arm__) && defined(__ARM_EABI__)
	/* EABI: a 64-bit argument sits in an even register pair (r4:r5),
	 * so r3 is padding. */
	CR_RAW(r, SYS_pread64, (long)fd, buf, n, 0L,
	       (long)(uint32_t)o, (long)(uint32_t)(o >> 32));
#elif defined(__i386__)
	CR_RAW(r, SYS_pread64, (long)fd, buf, n,
	       (long)(uint32_t)o, (long)(uint32_t)(o >> 32));
#else
#error "cr_sys_pread: unknown 32-bit syscall convention for pread64"
#endif
	return (ssize_t)r;
}

ssize_t cr_sys_write(int fd, const void *buf, size_t n)
{
	long r;
	CR_RAW(r, SYS_write, (long)fd, buf, n);
	return (ssize_t)r;
}

int cr_sys_close(int fd)
{
	long r;
	CR_RAW(r, SYS_close, (long)fd);
	return (int)r;
}

int cr_sys_faccessat(int dirfd, const char *path, int mode)
{
	long r;
	/* The raw faccessat has no flags argument: real ids, as execve's
	 * permission check roughly does. */
	CR_RAW(r, SYS_faccessat, (long)dirfd, path, (long)mode);
	return (int)r;
}

/* The file type bits (S_IFMT) of path by statx, with atflags (0 or
 * AT_SYMLINK_NOFOLLOW), or -errno (-ENOSYS: no statx). */
static long cr_sys_statx_type(int dirfd, const char *path, long atflags)
{
	long r = -ENOSYS;
#ifdef SYS_statx
	/* struct statx is 256 bytes on every architecture; stx_mode (16
	 * bits) is at offset 28.  A private buffer avoids depending on the
	 * libc headers' definition. */
	union { unsigned char b[256]; uint64_t align; } sx;
	uint16_t mode;
	CR_RAW(r, SYS_statx, (long)dirfd, path, atflags,
	       0x00000001L /* STATX_TYPE */, sx.b);
	if (r >= 0) {
		__builtin_memcpy(&mode, sx.b + 28, sizeof mode);
		return (long)(mode & S_IFMT);
	}
#else
	(void)dirfd, (void)path, (void)atflags;
#endif
	return r;
}

/* The file type bits (S_IFMT) of path, following symlinks, or -errno. */
static long cr_sys_mode(int dirfd, const char *path)
{
	long r = cr_sys_statx_type(dirfd, path, 0L);
	if (r != -ENOSYS)
		return r;
#if defined(SYS_newfstatat)
	{
		/* 64-bit: glibc's struct stat is the kernel's. */
		struct stat st;
		CR_RAW(r, SYS_newfstatat, (long)dirfd, path, &st, 0L);
		if (r >= 0)
			return (long)(st.st_mode & S_IFMT);
	}
#elif defined(SYS_fstatat64)
	{
		/* 32-bit: the kernel's struct stat64 (st_mode at offset 16 on
		 * arm and i386); a generous buffer, read by offset. */
		union { unsigned char b[256]; uint64_t align; } st;
		uint32_t mode;
		CR_RAW(r, SYS_fstatat64, (long)dirfd, path, st.b, 0L);
		if (r >= 0) {
			__builtin_memcpy(&mode, st.b + 16, sizeof mode);
			return (long)(mode & S_IFMT);
		}
	}
#endif
	return r;
}

int cr_sys_isdir(int dirfd, const char *path)
{
	long m = cr_sys_mode(dirfd, path);
	return m < 0 ? (int)m : m == S_IFDIR;
}

int cr_sys_isreg(int dirfd, const char *path)
{
	long m = cr_sys_mode(dirfd, path);
	return m < 0 ? (int)m : m == S_IFREG;
}

int cr_sys_getcwd(char *buf, size_t n)
{
	long r;
	CR_RAW(r, SYS_getcwd, buf, n);
	/* The kernel returns the length including the NUL. */
	return r > 0 ? (int)(r - 1) : (int)r;
}

/* ------------------------------------------------------------ fsops */

/* Type probe before readlink, for processes under qemu-user: with -L ROOT,
 * qemu first tries ROOT/PATH (an access(2), remembered for the life of the
 * process) for every path of an open, stat or readlink, but not of a
 * statx.  The resolver reads one host path per component, each new to a
 * fresh process: a statx(AT_SYMLINK_NOFOLLOW) for the file type, and a
 * readlink only for a symlink, saves qemu's access for all the others.
 * Native processes keep the single readlinkat.  Off again without statx
 * (ENOSYS), or when a seccomp filter refuses it (EPERM, which is never
 * statx's own answer for a path). */
static int sys_link_probe;

void cr_sys_link_probe(int on)
{
	__atomic_store_n(&sys_link_probe, on != 0, __ATOMIC_RELAXED);
}

static ssize_t sys_readlink(void *ud, const char *hostpath, char *buf, size_t bufsz)
{
	(void)ud;
	if (__atomic_load_n(&sys_link_probe, __ATOMIC_RELAXED)) {
		long m = cr_sys_statx_type(AT_FDCWD, hostpath, AT_SYMLINK_NOFOLLOW);
		if (m == -ENOSYS || m == -EPERM)
			cr_sys_link_probe(0);
		else if (m < 0)
			return m;                /* what readlink says too */
		else if (m != S_IFLNK)
			return -EINVAL;          /* exists, not a symlink */
	}
	return cr_sys_readlinkat(AT_FDCWD, hostpath, buf, bufsz);
}

static int sys_open_ro(void *ud, const char *hostpath)
{
	(void)ud;
	return cr_sys_openat(AT_FDCWD, hostpath, O_RDONLY | O_CLOEXEC, 0);
}

static ssize_t sys_pread(void *ud, int fd, void *buf, size_t n, off_t off)
{
	(void)ud;
	return cr_sys_pread(fd, buf, n, off);
}

static void sys_close(void *ud, int fd)
{
	(void)ud;
	(void)cr_sys_close(fd);
}

static int sys_exec_ok(void *ud, const char *hostpath)
{
	int r;
	(void)ud;
	r = cr_sys_isreg(AT_FDCWD, hostpath);
	if (r < 0)
		return r;
	if (r == 0)
		return -EACCES;   /* what execve says for a directory, fifo, ... */
	return cr_sys_faccessat(AT_FDCWD, hostpath, X_OK);
}

/* openat2 with RESOLVE_NO_SYMLINKS, switched off for the process once the
 * kernel (< 5.6), qemu-user (no openat2 for guests) or a seccomp filter
 * has said it has none. */
static int sys_openat2_off;

int cr_sys_openat2_usable(void)
{
	return !__atomic_load_n(&sys_openat2_off, __ATOMIC_RELAXED);
}

void cr_sys_openat2_disable(void)
{
	__atomic_store_n(&sys_openat2_off, 1, __ATOMIC_RELAXED);
}

int cr_sys_openat2_nolinks(int dirfd, const char *path, int oflags, unsigned mode)
{
	struct { unsigned long long flags, mode, resolve; } how = {
		.flags = (unsigned)oflags, .mode = mode,
		.resolve = 0x04,                /* RESOLVE_NO_SYMLINKS */
	};
	if (!cr_sys_openat2_usable())
		return -ENOSYS;
	int fd = cr_sys_openat2(dirfd, path, &how, sizeof how);
	if (fd == -ENOSYS || fd == -E2BIG)
		cr_sys_openat2_disable();
	return fd;
}

/* cr_fsops.nolinks: an O_PATH openat2 + close.  EPERM here (an O_PATH
 * open needs no permission on the file) is a seccomp filter. */
static int sys_nolinks(void *ud, const char *hostpath, int follow)
{
	(void)ud;
	int fd = cr_sys_openat2_nolinks(AT_FDCWD, hostpath,
	                                O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW), 0);
	if (fd >= 0) {
		cr_sys_close(fd);
		return 0;
	}
	if (fd == -EPERM)
		cr_sys_openat2_disable();
	return fd;
}

const struct cr_fsops cr_sys_fsops = {
	.readlink = sys_readlink,
	.open_ro  = sys_open_ro,
	.pread    = sys_pread,
	.close    = sys_close,
	.exec_ok  = sys_exec_ok,
	.ud       = NULL,
	.nolinks  = sys_nolinks,
};
