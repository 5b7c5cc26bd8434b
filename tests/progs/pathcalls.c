/* pathcalls.c - calls every path-translating wrapper of libcrossroot on
 * guest paths and checks, with raw system calls on the host paths (which
 * the library does not see), that each one acted inside the fake root.
 *
 * Run with CROSSROOT_ROOT=ROOT and LD_PRELOAD=libcrossroot.so, the current
 * directory being ROOT, in a root prepared by tests/integration/
 * native-paths.sh (ROOT/etc/crossroot-marker, ROOT/links/..., see there).
 * PATHCALLS_SENTINEL names a host directory a symlink in the root points
 * at (absolute host path: must resolve inside the root instead).
 * Prints "ok NAME" or "not ok NAME: why" per check; exit 1 on any failure.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>
#include <utime.h>

#define MARKER      "/etc/crossroot-marker"
#define MARKER_TEXT "guest marker\n"
#define PASSWD_TEXT "guest passwd\n"

int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);
ssize_t __readlink_chk(const char *, char *, size_t, size_t);
ssize_t __readlinkat_chk(int, const char *, char *, size_t, size_t);
char *__realpath_chk(const char *, char *, size_t);

#if defined(__x86_64__)
#  define STAT_VER 1
#  define MKNOD_VER 0
#elif defined(__arm__) || defined(__i386__)
#  define STAT_VER 3
#  define MKNOD_VER 1
#else
#  define STAT_VER 0
#  define MKNOD_VER 0
#endif

static const char *R;            /* host path of the root */
static int failures, checks;

static void result(const char *name, int ok, const char *fmt, ...)
{
	checks++;
	if (ok) {
		printf("ok %s\n", name);
		return;
	}
	failures++;
	char why[512] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	printf("not ok %s: %s\n", name, why);
}
#define CHECK(name, cond, ...) result(name, (cond), __VA_ARGS__)

/* ------------------------------------------------ raw host-side helpers */
static const char *H(const char *guest)   /* host path, rotating buffers */
{
	static __thread char buf[4][PATH_MAX];
	static __thread int i;
	char *b = buf[i++ & 3];
	snprintf(b, PATH_MAX, "%s%s", R, guest);
	return b;
}

static int raw_open(const char *host, int flags, int mode)
{
	long r = syscall(SYS_openat, AT_FDCWD, host, flags, mode);
	return r < 0 ? -1 : (int)r;
}

/* stat of a host path without libc's path functions: O_PATH + fstat. */
static int raw_stat(const char *host, int nofollow, struct stat *st)
{
	int fd = raw_open(host, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0), 0);
	if (fd < 0)
		return -1;
	int r = fstat(fd, st);
	close(fd);
	return r;
}

static int raw_exists(const char *host)   /* lexists */
{
	char c;
	long r = syscall(SYS_readlinkat, AT_FDCWD, host, &c, 1);
	return r >= 0 || errno != ENOENT;
}

static ssize_t raw_read(const char *host, char *buf, size_t n)
{
	int fd = raw_open(host, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static int raw_write(const char *host, const char *text)
{
	int fd = raw_open(host, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, text, strlen(text));
	close(fd);
	return w == (ssize_t)strlen(text) ? 0 : -1;
}

static ssize_t raw_readlink(const char *host, char *buf, size_t n)
{
	long r = syscall(SYS_readlinkat, AT_FDCWD, host, buf, n - 1);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static ino_t host_ino(const char *guest)
{
	struct stat st;
	return raw_stat(H(guest), 0, &st) == 0 ? st.st_ino : 0;
}

/* Content of an fd read to the end. */
static int fd_text(int fd, char *buf, size_t n)
{
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return 0;
}

static int fd_is(int fd, const char *text)
{
	char buf[256];
	return fd_text(fd, buf, sizeof buf) == 0 && strcmp(buf, text) == 0;
}

static int file_is(FILE *f, const char *text)
{
	char buf[256];
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strcmp(buf, text) == 0;
}

/* ------------------------------------------------------------ checks */
static void check_open(void)
{
	int fd;
	CHECK("open", fd_is(open(MARKER, O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	CHECK("open64", fd_is(open64(MARKER, O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	CHECK("openat", fd_is(openat(AT_FDCWD, MARKER, O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	int etc = open("/etc", O_RDONLY | O_DIRECTORY);
	CHECK("openat-dirfd", fd_is(openat(etc, "crossroot-marker", O_RDONLY), MARKER_TEXT),
	      "%s", strerror(errno));
	CHECK("openat64", fd_is(openat64(etc, "../etc/crossroot-marker", O_RDONLY), MARKER_TEXT),
	      "%s", strerror(errno));
	CHECK("__open_2", fd_is(__open_2(MARKER, O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	CHECK("__open64_2", fd_is(__open64_2(MARKER, O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	CHECK("__openat_2", fd_is(__openat_2(etc, "crossroot-marker", O_RDONLY), MARKER_TEXT),
	      "%s", strerror(errno));
	CHECK("__openat64_2", fd_is(__openat64_2(AT_FDCWD, MARKER, O_RDONLY), MARKER_TEXT),
	      "%s", strerror(errno));
	close(etc);

	/* Relative to the cwd (the root). */
	CHECK("open-relative", fd_is(open("etc/crossroot-marker", O_RDONLY), MARKER_TEXT),
	      "%s", strerror(errno));
	/* Symlinks resolve inside the root. */
	CHECK("open-abs-symlink", fd_is(open("/links/abs", O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	CHECK("open-dotdot-symlink", fd_is(open("/links/up", O_RDONLY), MARKER_TEXT), "%s", strerror(errno));
	CHECK("open-passwd-symlink", fd_is(open("/links/passwd", O_RDONLY), PASSWD_TEXT), "%s", strerror(errno));
	CHECK("open-dotdot-path", fd_is(open("/../../..//etc/../etc/crossroot-marker", O_RDONLY), MARKER_TEXT),
	      "%s", strerror(errno));
	errno = 0;
	CHECK("open-loop", open("/links/loop1", O_RDONLY) < 0 && errno == ELOOP, "errno %d", errno);
	errno = 0;
	CHECK("open-enoent", open("/nonexistent/x", O_RDONLY) < 0 && errno == ENOENT, "errno %d", errno);

	/* O_CREAT with a mode (variadic). */
	umask(022);
	fd = open("/tmp/modefile", O_CREAT | O_WRONLY, 0640);
	struct stat st;
	int ok = fd >= 0 && raw_stat(H("/tmp/modefile"), 0, &st) == 0 && (st.st_mode & 0777) == 0640;
	if (fd >= 0)
		close(fd);
	CHECK("open-creat-mode", ok, "fd %d mode %o", fd, ok ? 0 : (unsigned)st.st_mode);
	fd = openat(AT_FDCWD, "/tmp/modefile2", O_CREAT | O_WRONLY, 0600);
	ok = fd >= 0 && raw_stat(H("/tmp/modefile2"), 0, &st) == 0 && (st.st_mode & 0777) == 0600;
	if (fd >= 0)
		close(fd);
	CHECK("openat-creat-mode", ok, "fd %d", fd);
	/* O_CREAT|O_EXCL does not follow a dangling symlink (EEXIST). */
	errno = 0;
	fd = open("/links/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644);
	CHECK("open-excl-nofollow", fd < 0 && errno == EEXIST && !raw_exists(H("/tmp/dangling-target")),
	      "fd %d errno %d", fd, errno);
	/* ... but O_CREAT alone creates the target, inside the root. */
	fd = open("/links/dangling", O_CREAT | O_WRONLY, 0644);
	CHECK("open-creat-follow", fd >= 0 && raw_exists(H("/tmp/dangling-target")), "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	/* An absolute host path in a symlink stays in the root. */
	const char *sentinel = getenv("PATHCALLS_SENTINEL");
	fd = open("/links/escape", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	char where[PATH_MAX];
	snprintf(where, sizeof where, "%s/passwd", sentinel ? sentinel : "/nonexistent");
	CHECK("open-escape-stays", fd >= 0 && raw_exists(H(where)), "%s", strerror(errno));
	if (fd >= 0) {
		if (write(fd, "pwned\n", 6) != 6)
			perror("write");
		close(fd);
	}

	fd = creat("/tmp/created", 0644);
	CHECK("creat", fd >= 0 && raw_exists(H("/tmp/created")),
	      "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = creat64("/tmp/created64", 0644);
	CHECK("creat64", fd >= 0 && raw_exists(H("/tmp/created64")), "%s", strerror(errno));
	if (fd >= 0)
		close(fd);

	CHECK("fopen", file_is(fopen(MARKER, "r"), MARKER_TEXT), "%s", strerror(errno));
	CHECK("fopen64", file_is(fopen64("/links/abs", "r"), MARKER_TEXT), "%s", strerror(errno));
	FILE *f = fopen("/tmp/fopen-w", "w");
	if (f) {
		fputs("written\n", f);
		fclose(f);
	}
	char buf[256];
	CHECK("fopen-write", f && raw_read(H("/tmp/fopen-w"), buf, sizeof buf) > 0 &&
	      strcmp(buf, "written\n") == 0, "%s", strerror(errno));
	errno = 0;
	f = fopen("/links/dangling2", "wx");
	CHECK("fopen-x-nofollow", !f && errno == EEXIST, "errno %d", errno);
	if (f)
		fclose(f);
	f = fopen(MARKER, "r");
	CHECK("freopen", f && file_is(freopen("/etc/hostname", "r", f), "crossroot-native-root\n"),
	      "%s", strerror(errno));
	f = fopen(MARKER, "r");
	CHECK("freopen64", f && file_is(freopen64("/links/passwd", "r", f), PASSWD_TEXT),
	      "%s", strerror(errno));

	DIR *d = opendir("/links");
	int seen = 0;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, "up") == 0)
				seen = 1;
		closedir(d);
	}
	CHECK("opendir", seen, "%s", d ? "no 'up' entry" : strerror(errno));
}

static void check_stat(void)
{
	struct stat st;
	struct stat64 st64;
	ino_t marker = host_ino(MARKER);
	CHECK("host-marker", marker != 0, "cannot stat %s", H(MARKER));

	errno = 4242;
	int r = stat(MARKER, &st);
	CHECK("stat", r == 0 && st.st_ino == marker, "%s", strerror(errno));
	CHECK("errno-preserved", r == 0 && errno == 4242, "errno %d", errno);
	CHECK("stat-symlink", stat("/links/abs", &st) == 0 && st.st_ino == marker, "%s", strerror(errno));
	CHECK("lstat", lstat("/links/abs", &st) == 0 && S_ISLNK(st.st_mode) &&
	      st.st_ino == ({ struct stat l; raw_stat(H("/links/abs"), 1, &l) ? 0 : l.st_ino; }),
	      "%s", strerror(errno));
	CHECK("fstatat", fstatat(AT_FDCWD, "/links/up", &st, 0) == 0 && st.st_ino == marker,
	      "%s", strerror(errno));
	CHECK("fstatat-nofollow", fstatat(AT_FDCWD, "/links/up", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	      S_ISLNK(st.st_mode), "%s", strerror(errno));
	int etc = open("/etc", O_RDONLY | O_DIRECTORY);
	CHECK("fstatat-dirfd", fstatat(etc, "crossroot-marker", &st, 0) == 0 && st.st_ino == marker,
	      "%s", strerror(errno));
	CHECK("fstatat-empty-path", fstatat(etc, "", &st, AT_EMPTY_PATH) == 0 &&
	      st.st_ino == host_ino("/etc"), "%s", strerror(errno));
	CHECK("stat64", stat64(MARKER, &st64) == 0 && st64.st_ino == marker, "%s", strerror(errno));
	CHECK("lstat64", lstat64("/links/abs", &st64) == 0 && S_ISLNK(st64.st_mode), "%s", strerror(errno));
	CHECK("fstatat64", fstatat64(etc, "../links/abs", &st64, 0) == 0 && st64.st_ino == marker,
	      "%s", strerror(errno));
	errno = 0;
	CHECK("stat-enoent", stat("/nonexistent", &st) < 0 && errno == ENOENT, "errno %d", errno);
	errno = 0;
	CHECK("stat-eloop", stat("/links/loop1", &st) < 0 && errno == ELOOP, "errno %d", errno);

	/* The pre-2.33 entry points old binaries call. */
	int (*xstat)(int, const char *, struct stat *) = dlsym(RTLD_DEFAULT, "__xstat");
	int (*lxstat)(int, const char *, struct stat *) = dlsym(RTLD_DEFAULT, "__lxstat");
	int (*fxstatat)(int, int, const char *, struct stat *, int) = dlsym(RTLD_DEFAULT, "__fxstatat");
	int (*xstat64)(int, const char *, struct stat64 *) = dlsym(RTLD_DEFAULT, "__xstat64");
	int (*lxstat64)(int, const char *, struct stat64 *) = dlsym(RTLD_DEFAULT, "__lxstat64");
	int (*fxstatat64)(int, int, const char *, struct stat64 *, int) = dlsym(RTLD_DEFAULT, "__fxstatat64");
	CHECK("__xstat", xstat && xstat(STAT_VER, MARKER, &st) == 0 && st.st_ino == marker,
	      "%s", xstat ? strerror(errno) : "missing");
	CHECK("__lxstat", lxstat && lxstat(STAT_VER, "/links/abs", &st) == 0 && S_ISLNK(st.st_mode),
	      "%s", lxstat ? strerror(errno) : "missing");
	CHECK("__fxstatat", fxstatat && fxstatat(STAT_VER, etc, "crossroot-marker", &st, 0) == 0 &&
	      st.st_ino == marker, "%s", fxstatat ? strerror(errno) : "missing");
	CHECK("__xstat64", xstat64 && xstat64(STAT_VER, "/links/up", &st64) == 0 && st64.st_ino == marker,
	      "%s", xstat64 ? strerror(errno) : "missing");
	CHECK("__lxstat64", lxstat64 && lxstat64(STAT_VER, "/links/up", &st64) == 0 &&
	      S_ISLNK(st64.st_mode), "%s", lxstat64 ? strerror(errno) : "missing");
	CHECK("__fxstatat64", fxstatat64 && fxstatat64(STAT_VER, AT_FDCWD, MARKER, &st64, 0) == 0 &&
	      st64.st_ino == marker, "%s", fxstatat64 ? strerror(errno) : "missing");

	struct statx sx;
	CHECK("statx", statx(AT_FDCWD, "/links/abs", 0, STATX_INO, &sx) == 0 && sx.stx_ino == marker,
	      "%s", strerror(errno));
	CHECK("statx-nofollow", statx(AT_FDCWD, "/links/abs", AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx) == 0 &&
	      S_ISLNK(sx.stx_mode), "%s", strerror(errno));

	struct stat hst;
	int hfd = raw_open(H("/etc"), O_RDONLY | O_DIRECTORY, 0);
	struct statfs hsf, sf;
	struct statfs64 sf64;
	struct statvfs svf;
	struct statvfs64 svf64;
	int hok = hfd >= 0 && fstatfs(hfd, &hsf) == 0 && fstat(hfd, &hst) == 0;
	if (hfd >= 0)
		close(hfd);
	/* The root-only marker exists only if translated; f_type must match
	 * the host filesystem of the root. */
	CHECK("statfs", hok && statfs(MARKER, &sf) == 0 && sf.f_type == hsf.f_type, "%s", strerror(errno));
	CHECK("statfs64", hok && statfs64(MARKER, &sf64) == 0 && sf64.f_type == hsf.f_type,
	      "%s", strerror(errno));
	CHECK("statvfs", statvfs(MARKER, &svf) == 0 && svf.f_bsize > 0, "%s", strerror(errno));
	CHECK("statvfs64", statvfs64("/links/abs", &svf64) == 0 && svf64.f_bsize > 0, "%s", strerror(errno));
	errno = 0;
	CHECK("statvfs-eloop", statvfs("/links/loop1", &svf) < 0 && errno == ELOOP, "errno %d", errno);
	CHECK("pathconf", pathconf(MARKER, _PC_NAME_MAX) > 0, "%s", strerror(errno));
	errno = 0;
	CHECK("pathconf-eloop", pathconf("/links/loop2", _PC_NAME_MAX) < 0 && errno == ELOOP,
	      "errno %d", errno);
	close(etc);
}

static void check_access(void)
{
	CHECK("access", access(MARKER, R_OK) == 0, "%s", strerror(errno));
	errno = 0;
	CHECK("access-enoent", access("/tmp/never-there", F_OK) < 0 && errno == ENOENT, "errno %d", errno);
	CHECK("faccessat", faccessat(AT_FDCWD, "/links/up", R_OK, 0) == 0, "%s", strerror(errno));
	CHECK("eaccess", eaccess("/links/abs", R_OK) == 0, "%s", strerror(errno));
	CHECK("euidaccess", euidaccess(MARKER, F_OK) == 0, "%s", strerror(errno));
	errno = 0;
	CHECK("euidaccess-eloop", euidaccess("/links/loop1", F_OK) < 0 && errno == ELOOP, "errno %d", errno);
}

/* The one-walk fast path (crp_fast_open) answers open, stat, access and
 * readlink from one openat2(RESOLVE_NO_SYMLINKS); its answers, errors
 * included, must be those of the plain calls on the host paths. */
static int errno_of(int r)
{
	return r < 0 ? errno : 0;
}

static void check_fastpath(void)
{
	struct stat st, hst;
	char buf[64];
	int e, he;

	errno = 0;
	CHECK("fast-readlink-einval", readlink(MARKER, buf, sizeof buf) < 0 && errno == EINVAL,
	      "errno %d", errno);
	errno = 0;
	CHECK("fast-readlink-enoent", readlink("/data/none", buf, sizeof buf) < 0 && errno == ENOENT,
	      "errno %d", errno);
	ssize_t n = readlink("/links/abs", buf, sizeof buf);
	CHECK("fast-readlink-target", n == (ssize_t)strlen(MARKER) && memcmp(buf, MARKER, (size_t)n) == 0,
	      "n %zd", n);

	e = errno_of(stat("/etc/crossroot-marker/x", &st));
	he = errno_of((int)syscall(SYS_newfstatat, AT_FDCWD, H("/etc/crossroot-marker/x"), &hst, 0));
	CHECK("fast-stat-enotdir", e == ENOTDIR && he == ENOTDIR, "errno %d, host %d", e, he);
	e = errno_of(stat("/etc/crossroot-marker/", &st));
	CHECK("fast-stat-trailing-slash", e == ENOTDIR, "errno %d", e);
	e = errno_of(lstat("/links/abs/", &st));
	CHECK("fast-lstat-slash-follows", e == ENOTDIR, "errno %d", e);
	CHECK("fast-lstat-dir-slash", lstat("/links/dirlink/", &st) == 0 && S_ISDIR(st.st_mode) &&
	      st.st_ino == host_ino("/data"), "%s", strerror(errno));
	e = errno_of(stat("/data/none/deeper", &st));
	CHECK("fast-stat-enoent-middle", e == ENOENT, "errno %d", e);

	/* O_CREAT|O_EXCL on a symlink: EEXIST, the target is not created. */
	e = errno_of(open("/links/dangling2", O_CREAT | O_EXCL | O_WRONLY, 0644));
	CHECK("fast-open-excl-symlink", e == EEXIST && !raw_exists(H("/tmp/dangling2-target")) &&
	      !raw_exists("/tmp/dangling2-target"), "errno %d", e);
	/* A mode beyond 07777 is masked, as open(2) does (openat2 refuses it). */
	int fd = open("/data/fast-mode", O_CREAT | O_WRONLY | O_CLOEXEC, 0100644);
	CHECK("fast-open-mode-masked", fd >= 0 && raw_stat(H("/data/fast-mode"), 1, &hst) == 0 &&
	      S_ISREG(hst.st_mode), "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	/* Flags open(2) ignores but openat2 refuses (a mode without O_CREAT,
	 * an unknown bit) still open the file. */
	fd = open(MARKER, O_RDONLY | 010000000000, 0644);
	CHECK("fast-open-odd-flags", fd_is(fd, MARKER_TEXT), "%s", strerror(errno));
	/* O_NOFOLLOW on a final symlink: ELOOP, as without the library. */
	e = errno_of(open("/links/abs", O_RDONLY | O_NOFOLLOW));
	CHECK("fast-open-nofollow", e == ELOOP, "errno %d", e);
	/* O_TMPFILE in a root directory lands in the root's filesystem. */
	fd = open("/data", O_TMPFILE | O_WRONLY, 0600);
	CHECK("fast-open-tmpfile", fd >= 0 || errno == EOPNOTSUPP || errno == EISDIR,
	      "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	/* creat through the fast path truncates and creates in the root. */
	fd = creat("/data/fast-creat", 0600);
	CHECK("fast-creat", fd >= 0 && raw_exists(H("/data/fast-creat")) &&
	      !raw_exists("/data/fast-creat"), "%s", strerror(errno));
	if (fd >= 0)
		close(fd);

	/* access answers as faccessat on the host path does (root or not). */
	if (raw_write(H("/data/fast-ro"), "x") == 0 &&
	    syscall(SYS_fchmodat, AT_FDCWD, H("/data/fast-ro"), 0444) == 0) {
		e = errno_of(access("/data/fast-ro", W_OK));
		he = errno_of((int)syscall(SYS_faccessat, AT_FDCWD, H("/data/fast-ro"), W_OK));
		CHECK("fast-access-w", e == he, "errno %d, host %d", e, he);
		e = errno_of(faccessat(AT_FDCWD, "/data/fast-ro", W_OK, AT_EACCESS));
		he = errno_of((int)syscall(SYS_faccessat2, AT_FDCWD, H("/data/fast-ro"), W_OK, AT_EACCESS));
		CHECK("fast-faccessat-eaccess", e == he, "errno %d, host %d", e, he);
	} else {
		CHECK("fast-access-w", 0, "cannot prepare %s", H("/data/fast-ro"));
	}
	e = errno_of(access("/etc/crossroot-marker/x", F_OK));
	CHECK("fast-access-enotdir", e == ENOTDIR, "errno %d", e);

	/* Relative paths from the cwd (the root) take the fast path too. */
	CHECK("fast-stat-relative", stat("data/file", &st) == 0 && st.st_ino == host_ino("/data/file"),
	      "%s", strerror(errno));
	CHECK("fast-stat-relative-link", stat("links/dirlink/file", &st) == 0 &&
	      st.st_ino == host_ino("/data/file"), "%s", strerror(errno));
	e = errno_of(stat("data/none", &st));
	CHECK("fast-stat-relative-enoent", e == ENOENT, "errno %d", e);
	CHECK("fast-statx-dirfd", ({ struct statx sx; int d = open("/data", O_RDONLY | O_DIRECTORY);
	      int ok = d >= 0 && statx(d, "file", 0, STATX_INO, &sx) == 0 &&
	               sx.stx_ino == host_ino("/data/file");
	      if (d >= 0) close(d); ok; }), "%s", strerror(errno));
}

static void check_names(void)
{
	struct stat st;
	CHECK("mkdir", mkdir("/newdir", 0755) == 0 && raw_stat(H("/newdir"), 0, &st) == 0 &&
	      S_ISDIR(st.st_mode), "%s", strerror(errno));
	int rootfd = open("/", O_RDONLY | O_DIRECTORY);
	CHECK("mkdirat", mkdirat(rootfd, "newdir2", 0755) == 0 && raw_exists(H("/newdir2")),
	      "%s", strerror(errno));
	CHECK("rmdir", rmdir("/newdir") == 0 && !raw_exists(H("/newdir")), "%s", strerror(errno));
	CHECK("unlinkat-removedir", unlinkat(rootfd, "newdir2", AT_REMOVEDIR) == 0 &&
	      !raw_exists(H("/newdir2")), "%s", strerror(errno));

	raw_write(H("/tmp/u1"), "x");
	raw_write(H("/tmp/u2"), "x");
	raw_write(H("/tmp/u3"), "x");
	CHECK("unlink", unlink("/tmp/u1") == 0 && !raw_exists(H("/tmp/u1")), "%s", strerror(errno));
	int tmp = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK("unlinkat", unlinkat(tmp, "u2", 0) == 0 && !raw_exists(H("/tmp/u2")), "%s", strerror(errno));
	CHECK("remove", remove("/tmp/u3") == 0 && !raw_exists(H("/tmp/u3")), "%s", strerror(errno));
	/* unlink of a symlink removes the link, not its target. */
	CHECK("unlink-nofollow", symlink(MARKER, "/tmp/ulink") == 0 && unlink("/tmp/ulink") == 0 && !raw_exists(H("/tmp/ulink")) &&
	      raw_exists(H(MARKER)), "%s", strerror(errno));

	raw_write(H("/tmp/ra"), "rename");
	CHECK("rename", rename("/tmp/ra", "/tmp/rb") == 0 && !raw_exists(H("/tmp/ra")) &&
	      raw_exists(H("/tmp/rb")), "%s", strerror(errno));
	CHECK("renameat", renameat(tmp, "rb", rootfd, "tmp/rc") == 0 && raw_exists(H("/tmp/rc")),
	      "%s", strerror(errno));
	CHECK("renameat2", renameat2(AT_FDCWD, "/tmp/rc", AT_FDCWD, "/tmp/rd", 0) == 0 &&
	      raw_exists(H("/tmp/rd")), "%s", strerror(errno));
	errno = 0;
	CHECK("renameat2-noreplace", renameat2(AT_FDCWD, "/tmp/rd", AT_FDCWD, MARKER, RENAME_NOREPLACE) < 0 &&
	      (errno == EEXIST || errno == EINVAL), "errno %d", errno);

	ino_t marker = host_ino(MARKER);
	CHECK("link", link(MARKER, "/tmp/hard") == 0 && host_ino("/tmp/hard") == marker,
	      "%s", strerror(errno));
	CHECK("linkat-follow", linkat(AT_FDCWD, "/links/abs", tmp, "hard2", AT_SYMLINK_FOLLOW) == 0 &&
	      host_ino("/tmp/hard2") == marker, "%s", strerror(errno));
	CHECK("linkat-nofollow", linkat(AT_FDCWD, "/links/abs", AT_FDCWD, "/tmp/hard3", 0) == 0 &&
	      raw_stat(H("/tmp/hard3"), 1, &st) == 0 && S_ISLNK(st.st_mode), "%s", strerror(errno));

	char buf[PATH_MAX];
	CHECK("symlink", symlink("/etc/passwd", "/tmp/sym") == 0 &&
	      raw_readlink(H("/tmp/sym"), buf, sizeof buf) > 0 && strcmp(buf, "/etc/passwd") == 0 &&
	      fd_is(open("/tmp/sym", O_RDONLY), PASSWD_TEXT), "%s", strerror(errno));
	CHECK("symlinkat", symlinkat("../etc/crossroot-marker", tmp, "sym2") == 0 &&
	      raw_readlink(H("/tmp/sym2"), buf, sizeof buf) > 0 &&
	      strcmp(buf, "../etc/crossroot-marker") == 0, "%s", strerror(errno));

	CHECK("mknod", mknod("/tmp/fifo1", S_IFIFO | 0644, 0) == 0 &&
	      raw_stat(H("/tmp/fifo1"), 1, &st) == 0 && S_ISFIFO(st.st_mode), "%s", strerror(errno));
	CHECK("mknodat", mknodat(tmp, "fifo2", S_IFIFO | 0644, 0) == 0 &&
	      raw_stat(H("/tmp/fifo2"), 1, &st) == 0 && S_ISFIFO(st.st_mode), "%s", strerror(errno));
	int (*xmknod)(int, const char *, mode_t, dev_t *) = dlsym(RTLD_DEFAULT, "__xmknod");
	int (*xmknodat)(int, int, const char *, mode_t, dev_t *) = dlsym(RTLD_DEFAULT, "__xmknodat");
	dev_t dev = 0;
	CHECK("__xmknod", xmknod && xmknod(MKNOD_VER, "/tmp/fifo3", S_IFIFO | 0644, &dev) == 0 &&
	      raw_stat(H("/tmp/fifo3"), 1, &st) == 0 && S_ISFIFO(st.st_mode),
	      "%s", xmknod ? strerror(errno) : "missing");
	CHECK("__xmknodat", xmknodat && xmknodat(MKNOD_VER, tmp, "fifo4", S_IFIFO | 0644, &dev) == 0 &&
	      raw_stat(H("/tmp/fifo4"), 1, &st) == 0 && S_ISFIFO(st.st_mode),
	      "%s", xmknodat ? strerror(errno) : "missing");
	CHECK("mkfifo", mkfifo("/tmp/fifo5", 0644) == 0 && raw_stat(H("/tmp/fifo5"), 1, &st) == 0 &&
	      S_ISFIFO(st.st_mode), "%s", strerror(errno));
	CHECK("mkfifoat", mkfifoat(tmp, "fifo6", 0644) == 0 && raw_stat(H("/tmp/fifo6"), 1, &st) == 0 &&
	      S_ISFIFO(st.st_mode), "%s", strerror(errno));
	close(tmp);
	close(rootfd);
}

static void check_attrs(void)
{
	struct stat st;
	raw_write(H("/data/attr"), "0123456789");
	CHECK("chmod", chmod("/data/attr", 0600) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      (st.st_mode & 0777) == 0600, "%s", strerror(errno));
	int data = open("/data", O_RDONLY | O_DIRECTORY);
	CHECK("fchmodat", fchmodat(data, "attr", 0640, 0) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      (st.st_mode & 0777) == 0640, "%s", strerror(errno));
	/* Ownership can only be set to our own ids unprivileged: success on a
	 * path that exists only in the root shows the translation. */
	CHECK("chown", chown("/data/attr", getuid(), getgid()) == 0, "%s", strerror(errno));
	CHECK("lchown", lchown("/links/abs", getuid(), getgid()) == 0, "%s", strerror(errno));
	CHECK("fchownat", fchownat(data, "attr", getuid(), getgid(), AT_SYMLINK_NOFOLLOW) == 0,
	      "%s", strerror(errno));
	errno = 0;
	CHECK("chown-eloop", chown("/links/loop1", getuid(), getgid()) < 0 && errno == ELOOP,
	      "errno %d", errno);
	CHECK("truncate", truncate("/data/attr", 7) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      st.st_size == 7, "%s", strerror(errno));
	CHECK("truncate64", truncate64("/data/attr", 3) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      st.st_size == 3, "%s", strerror(errno));

	struct utimbuf ub = { 1000000, 1000000 };
	CHECK("utime", utime("/data/attr", &ub) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      st.st_mtime == 1000000, "%s", strerror(errno));
	struct timeval tv[2] = { { 2000000, 0 }, { 2000000, 0 } };
	CHECK("utimes", utimes("/data/attr", tv) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      st.st_mtime == 2000000, "%s", strerror(errno));
	tv[1].tv_sec = 3000000;
	CHECK("lutimes", lutimes("/links/abs", tv) == 0 && raw_stat(H("/links/abs"), 1, &st) == 0 &&
	      st.st_mtime == 3000000, "%s", strerror(errno));
	tv[1].tv_sec = 4000000;
	CHECK("futimesat", futimesat(data, "attr", tv) == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	      st.st_mtime == 4000000, "%s", strerror(errno));
	struct timespec ts[2] = { { 5000000, 0 }, { 5000000, 0 } };
	CHECK("utimensat", utimensat(AT_FDCWD, "/data/attr", ts, 0) == 0 &&
	      raw_stat(H("/data/attr"), 0, &st) == 0 && st.st_mtime == 5000000, "%s", strerror(errno));
	ts[1].tv_sec = 6000000;
	int fd = open("/data/attr", O_RDONLY);
	/* A NULL path is passed through untouched: the kernel's fd form, or
	 * EINVAL from glibc >= 2.34 (which rejects it) - never EFAULT or a
	 * crash in the wrapper. */
	const char *volatile nopath = NULL;   /* the headers say nonnull */
	errno = 0;
	/* Called through a pointer: glibc declares the path nonnull, and
	 * UBSan (-fsanitize=nonnull-attribute) would stop this deliberate call. */
	int (*volatile utimensat_p)(int, const char *, const struct timespec *, int) = utimensat;
	int r = fd >= 0 ? utimensat_p(fd, nopath, ts, 0) : -2;
	CHECK("utimensat-null", (r == 0 && raw_stat(H("/data/attr"), 0, &st) == 0 &&
	                         st.st_mtime == 6000000) || (r == -1 && errno == EINVAL),
	      "r=%d errno %d", r, errno);
	if (fd >= 0)
		close(fd);
	close(data);
}

static void check_misc(void)
{
	struct {
		struct file_handle fh;
		unsigned char space[128];
	} g, h;
	int mg, mh;
	g.fh.handle_bytes = h.fh.handle_bytes = 128;
	int rg = name_to_handle_at(AT_FDCWD, MARKER, &g.fh, &mg, 0);
	int eg = errno;
	int rh = (int)syscall(SYS_name_to_handle_at, AT_FDCWD, H(MARKER), &h.fh, &mh, 0);
	int eh = errno;
	CHECK("name_to_handle_at",
	      (rg == 0 && rh == 0 && g.fh.handle_bytes == h.fh.handle_bytes &&
	       memcmp(g.fh.f_handle, h.fh.f_handle, g.fh.handle_bytes) == 0) ||
	      (rg < 0 && rh < 0 && eg == eh && eg != ENOENT),
	      "guest %d/%d host %d/%d", rg, eg, rh, eh);
	/* acct needs CAP_SYS_PACCT: the kernel answers EPERM before it looks
	 * at the path, so the translation shows through a loop the resolver
	 * detects first. */
	errno = 0;
	CHECK("acct", acct("/links/loop1") < 0 && errno == ELOOP, "errno %d", errno);

	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	int w = in >= 0 ? inotify_add_watch(in, "/etc", IN_CREATE) : -1;
	int got = 0;
	if (w >= 0 && raw_write(H("/etc/inotify-new"), "x") == 0) {
		char ev[4096] __attribute__((aligned(8)));
		ssize_t n = read(in, ev, sizeof ev);
		for (ssize_t off = 0; n > 0 && off < n; ) {
			struct inotify_event *e = (struct inotify_event *)(ev + off);
			if (e->len && strcmp(e->name, "inotify-new") == 0)
				got = 1;
			off += (ssize_t)sizeof *e + e->len;
		}
	}
	CHECK("inotify_add_watch", got, "watch %d: %s", w, strerror(errno));
	if (in >= 0)
		close(in);

	void *dl = dlopen("/usr/lib/crtest/libcrtest.so", RTLD_NOW | RTLD_LOCAL);
	CHECK("dlopen", dl && dlsym(dl, "cos"), "%s", dlerror());
	if (dl)
		dlclose(dl);
	errno = 0;
	long (*oa2)(int, const char *, void *, size_t) = dlsym(RTLD_DEFAULT, "openat2");
	CHECK("openat2", oa2 && oa2(AT_FDCWD, MARKER, NULL, 0) < 0 && errno == ENOSYS,
	      "%s", oa2 ? "did not fail ENOSYS" : "missing");
}

static void check_results(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/links/abs", buf, sizeof buf);
	CHECK("readlink", n == (ssize_t)strlen(MARKER) && memcmp(buf, MARKER, (size_t)n) == 0,
	      "n=%zd", n);
	n = readlink("/links/abs", buf, 4);
	CHECK("readlink-truncate", n == 4 && memcmp(buf, "/etc", 4) == 0, "n=%zd", n);
	n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
	CHECK("readlink-proc-cwd", n == 1 && buf[0] == '/', "n=%zd '%.*s'", n, (int)(n > 0 ? n : 0), buf);
	int fd = open(MARKER, O_RDONLY);
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	n = readlink(p, buf, sizeof buf - 1);
	CHECK("readlink-proc-fd", n == (ssize_t)strlen(MARKER) && memcmp(buf, MARKER, (size_t)n) == 0,
	      "n=%zd '%.*s'", n, (int)(n > 0 ? n : 0), buf);
	close(fd);
	errno = 0;
	CHECK("readlink-einval", readlink(MARKER, buf, sizeof buf) < 0 && errno == EINVAL, "errno %d", errno);
	int links = open("/links", O_RDONLY | O_DIRECTORY);
	n = readlinkat(links, "passwd", buf, sizeof buf);
	CHECK("readlinkat", n == 11 && memcmp(buf, "/etc/passwd", 11) == 0, "n=%zd", n);
	n = __readlink_chk("/links/up", buf, sizeof buf, sizeof buf);
	CHECK("__readlink_chk", n > 0 && (size_t)n == strlen("../../../../etc/crossroot-marker") &&
	      memcmp(buf, "../../../../etc/crossroot-marker", (size_t)n) == 0, "n=%zd", n);
	n = __readlinkat_chk(links, "abs", buf, 8, sizeof buf);
	CHECK("__readlinkat_chk", n == 8 && memcmp(buf, MARKER, 8) == 0, "n=%zd", n);
	close(links);

	char *r = realpath("/links/up", buf);
	CHECK("realpath", r == buf && strcmp(buf, MARKER) == 0, "%s", r ? buf : strerror(errno));
	r = realpath("/links/dirlink/file", NULL);
	CHECK("realpath-malloc", r && strcmp(r, "/data/file") == 0, "%s", r ? r : strerror(errno));
	free(r);
	r = realpath("links/../etc/./crossroot-marker", NULL);
	CHECK("realpath-relative", r && strcmp(r, MARKER) == 0, "%s", r ? r : strerror(errno));
	free(r);
	r = realpath("/", NULL);
	CHECK("realpath-root", r && strcmp(r, "/") == 0, "%s", r ? r : strerror(errno));
	free(r);
	errno = 0;
	r = realpath("/links/loop1", buf);
	CHECK("realpath-eloop", !r && errno == ELOOP, "errno %d", errno);
	errno = 0;
	r = realpath("/links/dangling2", buf);
	CHECK("realpath-enoent", !r && errno == ENOENT, "errno %d", errno);
	r = canonicalize_file_name("/links/abs");
	CHECK("canonicalize_file_name", r && strcmp(r, MARKER) == 0, "%s", r ? r : strerror(errno));
	free(r);
	r = __realpath_chk("/links/passwd", buf, sizeof buf);
	CHECK("__realpath_chk", r && strcmp(r, "/etc/passwd") == 0, "%s", r ? r : strerror(errno));

	/* Through dlsym: a direct call makes the linker warn about tempnam. */
	char *(*tmpn)(const char *, const char *) = dlsym(RTLD_DEFAULT, "tempnam");
	setenv("TMPDIR", "/data", 1);
	r = tmpn ? tmpn("/tmp", "crx") : NULL;
	CHECK("tempnam-tmpdir", r && strncmp(r, "/data/crx", 9) == 0 && strlen(r) == 15 &&
	      !raw_exists(H(r)), "%s", r ? r : strerror(errno));
	free(r);
	unsetenv("TMPDIR");
	r = tmpn ? tmpn("/links/dirlink", NULL) : NULL;
	CHECK("tempnam-dir", r && strncmp(r, "/links/dirlink/file", 19) == 0, "%s", r ? r : strerror(errno));
	free(r);
}

/* ------------------------------------------------------------ threads */
#define NTHREADS 20
#define ROUNDS 200

struct tcase {
	int id;
	ino_t ino;
	int bad;
	char why[160];
};

static void *thread_main(void *arg)
{
	struct tcase *t = arg;
	char file[64], link[64], want[64], buf[PATH_MAX], text[256];
	snprintf(file, sizeof file, "/data/t%d/file", t->id);
	snprintf(link, sizeof link, "/data/t%d/link", t->id);
	snprintf(want, sizeof want, "thread %d\n", t->id);
	for (int i = 0; i < ROUNDS && !t->bad; i++) {
		struct stat st;
		if (stat(link, &st) != 0 || st.st_ino != t->ino) {
			t->bad = 1;
			snprintf(t->why, sizeof t->why, "stat %s: %s", link, strerror(errno));
			break;
		}
		if (fd_text(open(link, O_RDONLY), text, sizeof text) != 0 || strcmp(text, want) != 0) {
			t->bad = 1;
			snprintf(t->why, sizeof t->why, "open %s", link);
			break;
		}
		ssize_t n = readlink(link, buf, sizeof buf);
		if (n != (ssize_t)strlen(file) || memcmp(buf, file, (size_t)n) != 0) {
			t->bad = 1;
			snprintf(t->why, sizeof t->why, "readlink %s: %zd", link, n);
			break;
		}
		char *r = realpath(link, buf);
		if (!r || strcmp(r, file) != 0) {
			t->bad = 1;
			snprintf(t->why, sizeof t->why, "realpath %s", link);
			break;
		}
	}
	return NULL;
}

static void check_threads(void)
{
	struct tcase tc[NTHREADS];
	pthread_t th[NTHREADS];
	char g[64], text[32];
	int setup = 1;
	for (int i = 0; i < NTHREADS; i++) {
		tc[i].id = i;
		tc[i].bad = 0;
		tc[i].why[0] = '\0';
		snprintf(g, sizeof g, "/data/t%d", i);
		syscall(SYS_mkdirat, AT_FDCWD, H(g), 0755);
		snprintf(g, sizeof g, "/data/t%d/file", i);
		snprintf(text, sizeof text, "thread %d\n", i);
		if (raw_write(H(g), text) != 0)
			setup = 0;
		tc[i].ino = host_ino(g);
		char l[64];
		snprintf(l, sizeof l, "/data/t%d/link", i);
		if (syscall(SYS_symlinkat, g, AT_FDCWD, H(l)) != 0 && errno != EEXIST)
			setup = 0;
	}
	CHECK("threads-setup", setup, "cannot create the per-thread files");
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, thread_main, &tc[i]);
	int bad = 0;
	const char *why = "";
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		if (tc[i].bad) {
			bad++;
			why = tc[i].why;
		}
	}
	CHECK("threads", bad == 0, "%d threads failed, e.g. %s", bad, why);
}

int main(void)
{
	R = getenv("CROSSROOT_ROOT");
	if (!R || R[0] != '/') {
		fprintf(stderr, "pathcalls: CROSSROOT_ROOT must name the root\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The library is there: openat2 is exported by it, not by glibc. */
	CHECK("preloaded", dlsym(RTLD_DEFAULT, "openat2") != NULL, "libcrossroot is not preloaded");
	CHECK("host-has-no-marker", raw_exists(H(MARKER)) && !raw_exists(MARKER),
	      "the marker must exist in the root only");
	/* Without the library (or without its root) the checks below would
	 * create files on the host: stop here. */
	CHECK("marker-visible", access(MARKER, F_OK) == 0, "the library does not translate %s", MARKER);
	if (failures) {
		printf("# not preloaded into %s: stopping before any write\n", R);
		return 1;
	}
	check_open();
	check_stat();
	check_access();
	check_fastpath();
	check_names();
	check_attrs();
	check_misc();
	check_results();
	check_threads();
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
