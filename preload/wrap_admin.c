/* wrap_admin.c - administrative calls a fake root must answer itself:
 * mount, umount, umount2, swapon, swapoff.  None reaches the kernel, so
 * nothing outside the root can change even when crossroot runs as root.
 * (acct is plain path translation: see wrap_table.h.)
 *
 *   call                                      result
 *   ----------------------------------------  ------------------------------
 *   mount of proc, sysfs, devpts, tmpfs or    0, nothing mounted: the root's
 *     devtmpfs (what maintainer scripts and     /proc, /sys and /dev already
 *     chroot helpers do), no MS_BIND/MS_MOVE/   show the host's (default
 *     MS_REMOUNT, on an existing directory      binds); a "tmpfs" is the
 *                                               directory itself
 *   the same on a missing target              ENOENT (ENOTDIR: not a dir)
 *   any other mount (devices, bind, move,     EPERM, as for an unprivileged
 *     remount, other file systems)              user
 *   umount/umount2 of an existing path        0 (pairs with the faked mount)
 *   umount/umount2 of a missing path          ENOENT
 *   umount2 with unknown flags                EINVAL
 *   swapon, swapoff                           EPERM, as for an unprivileged
 *                                               user (the kernel checks the
 *                                               capability first)
 *   lckpwdf, ulckpwdf                         the lock of the ROOT's
 *                                               /etc/.pwd.lock, as glibc's
 *                                               (which opens the host's
 *                                               /etc/.pwd.lock with an
 *                                               internal open no wrapper
 *                                               sees: pwconv, useradd...)
 *
 * Targets are guest paths, resolved inside the root.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <shadow.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

#ifndef UMOUNT_NOFOLLOW
#  define UMOUNT_NOFOLLOW 8
#endif
#ifndef MNT_EXPIRE
#  define MNT_EXPIRE 4
#endif

static int admin_fail(int e)
{
	errno = e;
	return -1;
}

/* 0 when the guest path exists (a directory if want_dir), or an errno. */
static int admin_exists(const char *guest, int follow, int want_dir)
{
	char host[PATH_MAX];
	if (!guest)
		return EFAULT;
	int e = crp_resolve_at(AT_FDCWD, guest, follow ? CR_FOLLOW : 0, host);
	if (e)
		return e;
	if (!follow) {
		char c;
		ssize_t n = cr_sys_readlinkat(AT_FDCWD, host, &c, 1);
		if (n >= 0)
			return 0;
		if (n != -EINVAL)
			return (int)-n;
	}
	int d = cr_sys_isdir(AT_FDCWD, host);
	if (d < 0)
		return -d;
	return want_dir && !d ? ENOTDIR : 0;
}

static int admin_pseudo_fs(const char *type)
{
	static const char *const ok[] = { "proc", "sysfs", "devpts", "tmpfs", "devtmpfs" };
	if (!type)
		return 0;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(type, ok[i]) == 0)
			return 1;
	return 0;
}

CRP_EXPORT int mount(const char *source, const char *target, const char *type,
                     unsigned long flags, const void *data)
{
	(void)source;
	(void)data;
	if (!admin_pseudo_fs(type) || (flags & (MS_BIND | MS_MOVE | MS_REMOUNT))) {
		crp_log(1, "mount %s on %s: faked EPERM", type ? type : "(none)",
		        target ? target : "(null)");
		return admin_fail(EPERM);
	}
	int e = admin_exists(target, 1, 1);
	if (e)
		return admin_fail(e);
	crp_log(1, "mount %s on %s: faked success", type, target);
	return 0;
}

static int admin_umount(const char *target, int flags)
{
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return admin_fail(EINVAL);
	int e = admin_exists(target, !(flags & UMOUNT_NOFOLLOW), 0);
	if (e)
		return admin_fail(e);
	crp_log(1, "umount %s: faked success", target);
	return 0;
}

CRP_EXPORT int umount2(const char *target, int flags)
{
	return admin_umount(target, flags);
}

CRP_EXPORT int umount(const char *target)
{
	return admin_umount(target, 0);
}

CRP_EXPORT int swapon(const char *path, int flags)
{
	(void)path;
	(void)flags;
	return admin_fail(EPERM);
}

CRP_EXPORT int swapoff(const char *path)
{
	(void)path;
	return admin_fail(EPERM);
}

/* lckpwdf/ulckpwdf: glibc's take an fcntl write lock on /etc/.pwd.lock
 * (created 0600), waiting at most 15 seconds, and keep the descriptor open
 * until ulckpwdf; a second lckpwdf while locked fails.  The same here, on
 * the root's lock file.  The descriptor is process-wide, as glibc's. */
#define CRP_PWLOCK "/etc/.pwd.lock"
#define CRP_PWLOCK_TRIES 150            /* x 100 ms: glibc's 15 s */
static int crp_pwlock_fd = -1;          /* atomic */

CRP_EXPORT int lckpwdf(void)
{
	if (crp_config()->rootlen == 0) {
		int (*next)(void) = CRP_NEXT(lckpwdf);
		return next ? next() : admin_fail(ENOSYS);
	}
	if (__atomic_load_n(&crp_pwlock_fd, __ATOMIC_ACQUIRE) != -1)
		return admin_fail(EDEADLK);     /* glibc: -1, already ours */
	char host[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, CRP_PWLOCK, CR_FOLLOW, host);
	if (e)
		return admin_fail(e);
	int fd = cr_sys_openat(AT_FDCWD, host, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return admin_fail(-fd);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	for (int i = 0; ; i++) {
		long r = syscall(SYS_fcntl, fd, F_SETLK, &fl);
		if (r == 0)
			break;
		e = errno;
		if ((e != EAGAIN && e != EACCES && e != EINTR) || i >= CRP_PWLOCK_TRIES) {
			cr_sys_close(fd);
			return admin_fail(e == EACCES ? EAGAIN : e);
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		syscall(SYS_nanosleep, &ts, NULL);
	}
	int expect = -1;
	if (!__atomic_compare_exchange_n(&crp_pwlock_fd, &expect, fd, 0,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		cr_sys_close(fd);               /* another thread won */
		return admin_fail(EDEADLK);
	}
	crp_log(1, "lckpwdf: locked %s", host);
	return 0;
}

CRP_EXPORT int ulckpwdf(void)
{
	int fd = __atomic_exchange_n(&crp_pwlock_fd, -1, __ATOMIC_ACQ_REL);
	if (fd == -1) {
		if (crp_config()->rootlen == 0) {
			int (*next)(void) = CRP_NEXT(ulckpwdf);
			return next ? next() : admin_fail(ENOSYS);
		}
		return admin_fail(EBADF);       /* glibc: -1, nothing locked */
	}
	cr_sys_close(fd);                       /* releases the lock */
	return 0;
}
