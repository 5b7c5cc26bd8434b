/* wrap_table.h - the declarative table of libc functions whose only job in
 * libcrossroot is translating path arguments: one row per function, read
 * by wrap_gen.c (which defines CRW and the column macros, then includes
 * this file once) to generate every wrapper.
 *
 * Row:  CRW(RET, NAME, (PARAMS), (ARGS), ERR, VA, PATH1, PATH2, FALLBACK)
 *   RET, NAME, (PARAMS)  the exact libc prototype (parameter names are used
 *                        by the other columns);
 *   (ARGS)               how the real function is called (the path
 *                        parameters are replaced by their host translation);
 *   ERR                  value returned when translation fails (errno set);
 *   VA                   CRW_NOVA, or CRW_VA_MODE(LAST, FLAGS): the function
 *                        is variadic (open family) and takes a mode_t after
 *                        LAST when FLAGS has O_CREAT or O_TMPFILE; it is
 *                        available to ARGS as `mode`;
 *   PATH1, PATH2         CRW_NONE, or CRW_PATH(PARAM, DIRFD, FOLLOW): PARAM
 *                        is a guest path relative to DIRFD (AT_FDCWD or a
 *                        parameter), FOLLOW one of
 *                          CRW_FOLLOW        always follow a final symlink
 *                          CRW_NOFOLLOW      never
 *                          CRW_UNLESS(E)     follow unless E (e.g. flags
 *                                            & AT_SYMLINK_NOFOLLOW)
 *                          CRW_IF(E)         follow only if E
 *                          CRW_OPEN(FLAGS)   open(2) rules: not with
 *                                            O_NOFOLLOW or O_CREAT|O_EXCL
 *                          CRW_FOPEN(MODE)   fopen(3) rules: not with "x";
 *                        CRW_PATH_SLASH(...) translates only a path that
 *                        contains a '/' (dlopen's library names).
 *                        The hot rows use one-walk forms (wrap_gen.c,
 *                        crp_fast_open) that fall back to CRW_PATH:
 *                          CRW_PATH_OPEN(PARAM, DIRFD, FLAGS, MODE)
 *                                            the open(2) family: the fd
 *                                            of one openat2 is the result;
 *                          CRW_PATH_STAT(PARAM, DIRFD, FOLLOW, BUF, FL),
 *                          CRW_PATH_STATX(PARAM, DIRFD, FOLLOW, FL, MASK, BUF),
 *                          CRW_PATH_ACCESS(PARAM, DIRFD, FOLLOW, AMODE, FL)
 *                                            answered from an O_PATH fd
 *                                            (fstatat/statx/faccessat2
 *                                            with AT_EMPTY_PATH).
 *                        A NULL path is passed through (the fd forms of
 *                        utimensat, freopen(NULL, ...)); so is "" (the
 *                        kernel's AT_EMPTY_PATH / ENOENT rules apply).
 *   FALLBACK             CRW_NOFB, or CRW_FB(SYMBOL, FNTYPE, (ARGS)): when
 *                        the libc has no NAME (stat, mknod... before glibc
 *                        2.33 only exist as __xstat(_STAT_VER, ...) and
 *                        friends), call SYMBOL with ARGS instead.
 *
 * Not here: symlink targets (stored as given: only the link path is
 * translated), functions that return paths (wrap_results.c), cwd, exec,
 * glob/ftw/scandir, temp files, sockets and mounts (their own files).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define CRW_STAT_T    int (*)(int, const char *, struct stat *)
#define CRW_STAT64_T  int (*)(int, const char *, struct stat64 *)
#define CRW_STATAT_T  int (*)(int, int, const char *, struct stat *, int)
#define CRW_STATAT64_T int (*)(int, int, const char *, struct stat64 *, int)

/* ---------------------------------------------------------------- open */
CRW(int, open, (const char *path, int flags, ...), (path, flags, mode), -1,
    CRW_VA_MODE(flags, flags), CRW_PATH_OPEN(path, AT_FDCWD, flags, mode), CRW_NONE, CRW_NOFB)
CRW(int, open64, (const char *path, int flags, ...), (path, flags, mode), -1,
    CRW_VA_MODE(flags, flags), CRW_PATH_OPEN(path, AT_FDCWD, flags, mode), CRW_NONE, CRW_NOFB)
CRW(int, openat, (int dirfd, const char *path, int flags, ...), (dirfd, path, flags, mode), -1,
    CRW_VA_MODE(flags, flags), CRW_PATH_OPEN(path, dirfd, flags, mode), CRW_NONE, CRW_NOFB)
CRW(int, openat64, (int dirfd, const char *path, int flags, ...), (dirfd, path, flags, mode), -1,
    CRW_VA_MODE(flags, flags), CRW_PATH_OPEN(path, dirfd, flags, mode), CRW_NONE, CRW_NOFB)
CRW(int, __open_2, (const char *path, int flags), (path, flags), -1,
    CRW_NOVA, CRW_PATH_OPEN(path, AT_FDCWD, flags, 0), CRW_NONE, CRW_NOFB)
CRW(int, __open64_2, (const char *path, int flags), (path, flags), -1,
    CRW_NOVA, CRW_PATH_OPEN(path, AT_FDCWD, flags, 0), CRW_NONE, CRW_NOFB)
CRW(int, __openat_2, (int dirfd, const char *path, int flags), (dirfd, path, flags), -1,
    CRW_NOVA, CRW_PATH_OPEN(path, dirfd, flags, 0), CRW_NONE, CRW_NOFB)
CRW(int, __openat64_2, (int dirfd, const char *path, int flags), (dirfd, path, flags), -1,
    CRW_NOVA, CRW_PATH_OPEN(path, dirfd, flags, 0), CRW_NONE, CRW_NOFB)
CRW(int, creat, (const char *path, mode_t mode), (path, mode), -1,
    CRW_NOVA, CRW_PATH_OPEN(path, AT_FDCWD, O_CREAT | O_WRONLY | O_TRUNC, mode), CRW_NONE, CRW_NOFB)
CRW(int, creat64, (const char *path, mode_t mode), (path, mode), -1,
    CRW_NOVA, CRW_PATH_OPEN(path, AT_FDCWD, O_CREAT | O_WRONLY | O_TRUNC, mode), CRW_NONE, CRW_NOFB)
CRW(FILE *, fopen, (const char *restrict path, const char *restrict mode), (path, mode), NULL,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOPEN(mode)), CRW_NONE, CRW_NOFB)
CRW(FILE *, fopen64, (const char *restrict path, const char *restrict mode), (path, mode), NULL,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOPEN(mode)), CRW_NONE, CRW_NOFB)
CRW(FILE *, freopen, (const char *restrict path, const char *restrict mode, FILE *restrict stream),
    (path, mode, stream), NULL,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOPEN(mode)), CRW_NONE, CRW_NOFB)
CRW(FILE *, freopen64, (const char *restrict path, const char *restrict mode, FILE *restrict stream),
    (path, mode, stream), NULL,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOPEN(mode)), CRW_NONE, CRW_NOFB)
CRW(DIR *, opendir, (const char *path), (path), NULL,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)

/* ---------------------------------------------------------------- stat */
CRW(int, stat, (const char *restrict path, struct stat *restrict buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH_STAT(path, AT_FDCWD, CRW_FOLLOW, buf, 0), CRW_NONE,
    CRW_FB("__xstat", CRW_STAT_T, (CRP_STAT_VER, path, buf)))
CRW(int, lstat, (const char *restrict path, struct stat *restrict buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH_STAT(path, AT_FDCWD, CRW_NOFOLLOW, buf, 0), CRW_NONE,
    CRW_FB("__lxstat", CRW_STAT_T, (CRP_STAT_VER, path, buf)))
CRW(int, fstatat, (int dirfd, const char *restrict path, struct stat *restrict buf, int flags),
    (dirfd, path, buf, flags), -1,
    CRW_NOVA, CRW_PATH_STAT(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW), buf, flags), CRW_NONE,
    CRW_FB("__fxstatat", CRW_STATAT_T, (CRP_STAT_VER, dirfd, path, buf, flags)))
CRW(int, stat64, (const char *restrict path, struct stat64 *restrict buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH_STAT(path, AT_FDCWD, CRW_FOLLOW, buf, 0), CRW_NONE,
    CRW_FB("__xstat64", CRW_STAT64_T, (CRP_STAT_VER, path, buf)))
CRW(int, lstat64, (const char *restrict path, struct stat64 *restrict buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH_STAT(path, AT_FDCWD, CRW_NOFOLLOW, buf, 0), CRW_NONE,
    CRW_FB("__lxstat64", CRW_STAT64_T, (CRP_STAT_VER, path, buf)))
CRW(int, fstatat64, (int dirfd, const char *restrict path, struct stat64 *restrict buf, int flags),
    (dirfd, path, buf, flags), -1,
    CRW_NOVA, CRW_PATH_STAT(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW), buf, flags), CRW_NONE,
    CRW_FB("__fxstatat64", CRW_STATAT64_T, (CRP_STAT_VER, dirfd, path, buf, flags)))
CRW(int, __xstat, (int ver, const char *path, struct stat *buf), (ver, path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __lxstat, (int ver, const char *path, struct stat *buf), (ver, path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __fxstatat, (int ver, int dirfd, const char *path, struct stat *buf, int flags),
    (ver, dirfd, path, buf, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)
CRW(int, __xstat64, (int ver, const char *path, struct stat64 *buf), (ver, path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __lxstat64, (int ver, const char *path, struct stat64 *buf), (ver, path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __fxstatat64, (int ver, int dirfd, const char *path, struct stat64 *buf, int flags),
    (ver, dirfd, path, buf, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)
CRW(int, statx, (int dirfd, const char *restrict path, int flags, unsigned int mask,
                 struct statx *restrict buf), (dirfd, path, flags, mask, buf), -1,
    CRW_NOVA, CRW_PATH_STATX(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW), flags, mask, buf), CRW_NONE, CRW_NOFB)
CRW(int, statfs, (const char *path, struct statfs *buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, statfs64, (const char *path, struct statfs64 *buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, statvfs, (const char *restrict path, struct statvfs *restrict buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, statvfs64, (const char *restrict path, struct statvfs64 *restrict buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(long, pathconf, (const char *path, int name), (path, name), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)

/* ---------------------------------------------------------------- access */
CRW(int, access, (const char *path, int amode), (path, amode), -1,
    CRW_NOVA, CRW_PATH_ACCESS(path, AT_FDCWD, CRW_FOLLOW, amode, 0), CRW_NONE, CRW_NOFB)
CRW(int, faccessat, (int dirfd, const char *path, int amode, int flags), (dirfd, path, amode, flags), -1,
    CRW_NOVA, CRW_PATH_ACCESS(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW), amode, flags), CRW_NONE, CRW_NOFB)
CRW(int, eaccess, (const char *path, int amode), (path, amode), -1,
    CRW_NOVA, CRW_PATH_ACCESS(path, AT_FDCWD, CRW_FOLLOW, amode, AT_EACCESS), CRW_NONE, CRW_NOFB)
CRW(int, euidaccess, (const char *path, int amode), (path, amode), -1,
    CRW_NOVA, CRW_PATH_ACCESS(path, AT_FDCWD, CRW_FOLLOW, amode, AT_EACCESS), CRW_NONE, CRW_NOFB)

/* ---------------------------------------------------------------- names */
CRW(int, mkdir, (const char *path, mode_t mode), (path, mode), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, mkdirat, (int dirfd, const char *path, mode_t mode), (dirfd, path, mode), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, rmdir, (const char *path), (path), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, unlink, (const char *path), (path), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, unlinkat, (int dirfd, const char *path, int flags), (dirfd, path, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, remove, (const char *path), (path), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, rename, (const char *oldpath, const char *newpath), (oldpath, newpath), -1,
    CRW_NOVA, CRW_PATH(oldpath, AT_FDCWD, CRW_NOFOLLOW),
    CRW_PATH(newpath, AT_FDCWD, CRW_NOFOLLOW), CRW_NOFB)
CRW(int, renameat, (int olddirfd, const char *oldpath, int newdirfd, const char *newpath),
    (olddirfd, oldpath, newdirfd, newpath), -1,
    CRW_NOVA, CRW_PATH(oldpath, olddirfd, CRW_NOFOLLOW),
    CRW_PATH(newpath, newdirfd, CRW_NOFOLLOW), CRW_NOFB)
CRW(int, renameat2, (int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                     unsigned int flags), (olddirfd, oldpath, newdirfd, newpath, flags), -1,
    CRW_NOVA, CRW_PATH(oldpath, olddirfd, CRW_NOFOLLOW),
    CRW_PATH(newpath, newdirfd, CRW_NOFOLLOW), CRW_NOFB)
/* link(2) does not follow a symlink oldpath on Linux; linkat only with
 * AT_SYMLINK_FOLLOW. */
CRW(int, link, (const char *oldpath, const char *newpath), (oldpath, newpath), -1,
    CRW_NOVA, CRW_PATH(oldpath, AT_FDCWD, CRW_NOFOLLOW),
    CRW_PATH(newpath, AT_FDCWD, CRW_NOFOLLOW), CRW_NOFB)
CRW(int, linkat, (int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags),
    (olddirfd, oldpath, newdirfd, newpath, flags), -1,
    CRW_NOVA, CRW_PATH(oldpath, olddirfd, CRW_IF(flags & AT_SYMLINK_FOLLOW)),
    CRW_PATH(newpath, newdirfd, CRW_NOFOLLOW), CRW_NOFB)
/* The target string is stored as given: it is resolved (inside the root)
 * when the link is followed. */
CRW(int, symlink, (const char *target, const char *linkpath), (target, linkpath), -1,
    CRW_NOVA, CRW_PATH(linkpath, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, symlinkat, (const char *target, int newdirfd, const char *linkpath),
    (target, newdirfd, linkpath), -1,
    CRW_NOVA, CRW_PATH(linkpath, newdirfd, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, mknod, (const char *path, mode_t mode, dev_t dev), (path, mode, dev), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE,
    CRW_FB("__xmknod", int (*)(int, const char *, mode_t, dev_t *),
           (CRP_MKNOD_VER, path, mode, &dev)))
CRW(int, mknodat, (int dirfd, const char *path, mode_t mode, dev_t dev), (dirfd, path, mode, dev), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_NOFOLLOW), CRW_NONE,
    CRW_FB("__xmknodat", int (*)(int, int, const char *, mode_t, dev_t *),
           (CRP_MKNOD_VER, dirfd, path, mode, &dev)))
CRW(int, __xmknod, (int ver, const char *path, mode_t mode, dev_t *dev), (ver, path, mode, dev), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __xmknodat, (int ver, int dirfd, const char *path, mode_t mode, dev_t *dev),
    (ver, dirfd, path, mode, dev), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, mkfifo, (const char *path, mode_t mode), (path, mode), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, mkfifoat, (int dirfd, const char *path, mode_t mode), (dirfd, path, mode), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)

/* ---------------------------------------------------------------- attributes */
CRW(int, chmod, (const char *path, mode_t mode), (path, mode), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, fchmodat, (int dirfd, const char *path, mode_t mode, int flags), (dirfd, path, mode, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)
CRW(int, chown, (const char *path, uid_t owner, gid_t group), (path, owner, group), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, lchown, (const char *path, uid_t owner, gid_t group), (path, owner, group), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, fchownat, (int dirfd, const char *path, uid_t owner, gid_t group, int flags),
    (dirfd, path, owner, group, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)
CRW(int, truncate, (const char *path, off_t length), (path, length), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, truncate64, (const char *path, off64_t length), (path, length), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, utime, (const char *path, const struct utimbuf *times), (path, times), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, utimes, (const char *path, const struct timeval tv[2]), (path, tv), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, lutimes, (const char *path, const struct timeval tv[2]), (path, tv), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, futimesat, (int dirfd, const char *path, const struct timeval tv[2]), (dirfd, path, tv), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
/* path NULL: the fd form (dirfd is the file) - passed through. */
CRW(int, utimensat, (int dirfd, const char *path, const struct timespec times[2], int flags),
    (dirfd, path, times, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)

/* ---------------------------------------------------------------- xattr */
CRW(ssize_t, getxattr, (const char *path, const char *name, void *value, size_t size),
    (path, name, value, size), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(ssize_t, lgetxattr, (const char *path, const char *name, void *value, size_t size),
    (path, name, value, size), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, setxattr, (const char *path, const char *name, const void *value, size_t size, int flags),
    (path, name, value, size, flags), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, lsetxattr, (const char *path, const char *name, const void *value, size_t size, int flags),
    (path, name, value, size, flags), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(ssize_t, listxattr, (const char *path, char *list, size_t size), (path, list, size), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(ssize_t, llistxattr, (const char *path, char *list, size_t size), (path, list, size), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, removexattr, (const char *path, const char *name), (path, name), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, lremovexattr, (const char *path, const char *name), (path, name), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)

/* ------------------------------------------------- 32-bit time64 (2.34+) */
/* Programs built with _TIME_BITS=64 (all of Debian trixie's armel/armhf)
 * call these instead of stat/lstat/fstatat/utime*.  Buffers are passed
 * through untouched, so their types do not matter here. */
#if __SIZEOF_LONG__ == 4
CRW(int, __stat64_time64, (const char *path, void *buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __lstat64_time64, (const char *path, void *buf), (path, buf), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __fstatat64_time64, (int dirfd, const char *path, void *buf, int flags),
    (dirfd, path, buf, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)
CRW(int, __utime64, (const char *path, const void *times), (path, times), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __utimes64, (const char *path, const void *tv), (path, tv), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __lutimes64, (const char *path, const void *tv), (path, tv), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_NOFOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __futimesat64, (int dirfd, const char *path, const void *tv), (dirfd, path, tv), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, __utimensat64, (int dirfd, const char *path, const void *times, int flags),
    (dirfd, path, times, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_UNLESS(flags & AT_SYMLINK_NOFOLLOW)), CRW_NONE, CRW_NOFB)
#endif

/* ---------------------------------------------------------------- misc */
CRW(int, name_to_handle_at, (int dirfd, const char *path, struct file_handle *handle,
                             int *mount_id, int flags), (dirfd, path, handle, mount_id, flags), -1,
    CRW_NOVA, CRW_PATH(path, dirfd, CRW_IF(flags & AT_SYMLINK_FOLLOW)), CRW_NONE, CRW_NOFB)
CRW(int, acct, (const char *path), (path), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
CRW(int, inotify_add_watch, (int fd, const char *path, uint32_t mask), (fd, path, mask), -1,
    CRW_NOVA, CRW_PATH(path, AT_FDCWD, CRW_UNLESS(mask & IN_DONT_FOLLOW)), CRW_NONE, CRW_NOFB)
/* A bare library name is searched by the dynamic loader in its own paths
 * (which the guest loader already sees inside the root under qemu). */
CRW(void *, dlopen, (const char *path, int flags), (path, flags), NULL,
    CRW_NOVA, CRW_PATH_SLASH(path, AT_FDCWD, CRW_FOLLOW), CRW_NONE, CRW_NOFB)
