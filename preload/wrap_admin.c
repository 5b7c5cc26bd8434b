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
 *
 * Targets are guest paths, resolved inside the root.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/swap.h>

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
