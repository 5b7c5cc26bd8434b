/* cr_sys.h - raw system calls for the core and the library's internal use.
 *
 * The library must never call its own exported wrappers (open, readlink,
 * stat, ...) for its own work, and must not depend on glibc symbols newer
 * than the oldest guest libc: everything internal goes through syscall(2).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_SYS_H
#define CR_SYS_H

#include <stddef.h>
#include <sys/types.h>

/* Each returns the result, or -errno (errno itself is left untouched). */
ssize_t cr_sys_readlinkat(int dirfd, const char *path, char *buf, size_t n);
int     cr_sys_openat(int dirfd, const char *path, int flags, int mode);
ssize_t cr_sys_pread(int fd, void *buf, size_t n, off_t off);
ssize_t cr_sys_write(int fd, const void *buf, size_t n);
int     cr_sys_close(int fd);
/* openat2(2); how points to a struct open_how of size bytes. */
int     cr_sys_openat2(int dirfd, const char *path, const void *how, size_t size);
/* openat2(dirfd, path, oflags, mode, RESOLVE_NO_SYMLINKS): fd or -errno;
 * -ENOSYS without a call once switched off (no openat2 in this kernel or
 * under qemu-user: it switches itself off; cr_sys_openat2_disable for a
 * caller that recognises a seccomp refusal). */
int     cr_sys_openat2_nolinks(int dirfd, const char *path, int oflags, unsigned mode);
int     cr_sys_openat2_usable(void);
void    cr_sys_openat2_disable(void);
int     cr_sys_faccessat(int dirfd, const char *path, int mode);
/* cr_sys_fsops.readlink asks statx for the file type first (on) and reads
 * only symlinks: for processes under qemu-user (see cr_sys.c). */
void    cr_sys_link_probe(int on);
/* 1 when path is a directory, 0 when it exists and is not, -errno. */
int     cr_sys_isdir(int dirfd, const char *path);
/* 1 when a regular file, 0 when it exists and is not, -errno. */
int     cr_sys_isreg(int dirfd, const char *path);
/* The string length (without the NUL) or -errno. */
int     cr_sys_getcwd(char *buf, size_t n);

#endif
