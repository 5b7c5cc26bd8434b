/* stress.c - concurrency, signal and memory checks of the path wrappers,
 * run inside a fake root (host build, and guest builds under qemu) by
 * tests/integration/stress.sh.  The root must hold /etc/hostname with the
 * MARKER given on the command line, directories /a/b and a symlink
 * /a/link -> /a/b.  Modes (each prints one summary line, exits 0 when
 * every check held, 1 otherwise):
 *   stress threads N MARKER  4 threads do N rounds of open+read, stat,
 *                            realpath and getcwd while another thread
 *                            alternates chdir("/a"), chdir("/a/b") and
 *                            chroot("/"): every result must be inside the
 *                            root and consistent (content == MARKER,
 *                            realpath == /a/b, getcwd one of /, /a, /a/b).
 *   stress fork N MARKER SELF  while 3 threads do path operations, fork N
 *                            times; each child execs SELF child MARKER,
 *                            which reads /etc/hostname and exits 0 on match.
 *   stress fork-nopath N MARKER SELF  the same, while the 3 threads call
 *                            getcwd and malloc/free only: no path system
 *                            call is in flight at the fork (under qemu-user
 *                            one can hang the child inside qemu, see
 *                            qemu-fork-lock.c); what the child does up to
 *                            its exec (libcrossroot's exec path, dlsym) must
 *                            not depend on a lock a vanished thread held.
 *   stress signals N MARKER  SIGALRM every 200us (setitimer); the handler
 *                            calls open/read/close and stat and checks the
 *                            results and that errno is preserved, while the
 *                            main thread does N rounds of path operations.
 *   stress memory N MARKER   RSS (/proc/self/statm) after a warm-up and
 *                            after N more wrapped calls; prints the growth
 *                            in KiB (the script bounds it).
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *marker;
static size_t markerlen;
static volatile int stop;
static volatile int failures;

static void bad(const char *what, const char *got)
{
	__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
	fprintf(stderr, "stress: %s: got [%s]\n", what, got ? got : strerror(errno));
}

/* open+read /etc/hostname: 0 when it holds the marker (async-signal-safe). */
static int read_marker(void)
{
	char buf[256];
	ssize_t n;
	int fd = open("/etc/hostname", O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	return (size_t)n == markerlen && memcmp(buf, marker, markerlen) == 0 ? 0 : 1;
}

static void path_round(int check_cwd)
{
	char buf[PATH_MAX];
	struct stat st;

	if (read_marker() != 0)
		bad("open+read /etc/hostname", NULL);
	if (stat("/a/b", &st) != 0 || !S_ISDIR(st.st_mode))
		bad("stat /a/b", NULL);
	if (!realpath("/a/link", buf))
		bad("realpath /a/link", NULL);
	else if (strcmp(buf, "/a/b") != 0)
		bad("realpath /a/link", buf);
	if (check_cwd) {
		if (!getcwd(buf, sizeof buf))
			bad("getcwd", NULL);
		else if (strcmp(buf, "/") && strcmp(buf, "/a") && strcmp(buf, "/a/b"))
			bad("getcwd", buf);
	}
	/* A relative path valid from every cwd the churner sets (/, /a,
	 * /a/b): ".." stops at the root, whichever cwd is current. */
	if (!check_cwd)
		return;
	if (stat("../../../../a/link", &st) != 0 || !S_ISDIR(st.st_mode))
		bad("stat ../../../../a/link", NULL);
}

static long rounds;

static void *worker(void *arg)
{
	long i;
	(void)arg;
	for (i = 0; i < rounds && !stop; i++)
		path_round(1);
	return NULL;
}

static void *churner(void *arg)
{
	long i = 0;
	(void)arg;
	while (!stop) {
		switch (i++ % 3) {
		case 0: if (chdir("/a") != 0) bad("chdir /a", NULL); break;
		case 1: if (chdir("/a/b") != 0) bad("chdir /a/b", NULL); break;
		case 2: if (chroot("/") != 0) bad("chroot /", NULL); break;
		}
	}
	return NULL;
}

static int mode_threads(void)
{
	pthread_t t[5];
	int i;
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	pthread_create(&t[4], NULL, churner, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	stop = 1;
	pthread_join(t[4], NULL);
	printf("threads: 4x%ld rounds, %d failures\n", rounds, failures);
	return failures != 0;
}

static void *busy(void *arg)
{
	(void)arg;
	while (!stop)
		path_round(0);
	return NULL;
}

/* Busy without path system calls: getcwd (a wrapper, no path argument)
 * and the allocator (glibc resets its locks in a forked child). */
static void *busy_nopath(void *arg)
{
	char buf[PATH_MAX];
	size_t sz = 16;
	(void)arg;
	while (!stop) {
		char *p = malloc(sz);
		if (!p)
			bad("malloc", NULL);
		else {
			memset(p, 0x5a, sz);
			free(p);
		}
		sz = sz < 8192 ? sz * 2 : 16;
		if (!getcwd(buf, sizeof buf))
			bad("getcwd", NULL);
		else if (buf[0] != '/')
			bad("getcwd", buf);
	}
	return NULL;
}

static int mode_fork(const char *self, int with_paths)
{
	pthread_t t[3];
	long i, okc = 0;
	int st;
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, with_paths ? busy : busy_nopath, NULL);
	for (i = 0; i < rounds; i++) {
		pid_t p = fork();
		if (p < 0) {
			bad("fork", NULL);
			break;
		}
		if (p == 0) {
			execl(self, "stress", "child", marker, (char *)NULL);
			_exit(126);
		}
		if (waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			okc++;
		else
			bad("child", WIFEXITED(st) ? "non-zero exit" : "killed");
	}
	stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("%s: %ld children, %ld ok, %d failures\n", with_paths ? "fork" : "fork-nopath",
	       rounds, okc, failures);
	return failures != 0 || okc != rounds;
}

static volatile sig_atomic_t handled, handler_bad;

static void on_alarm(int sig)
{
	struct stat st;
	int saved = errno;
	(void)sig;
	errno = 12345;
	if (read_marker() != 0)
		handler_bad++;
	if (stat("/a/b", &st) != 0 || !S_ISDIR(st.st_mode))
		handler_bad++;
	if (stat("/no/such/file", &st) == 0 || errno != ENOENT)
		handler_bad++;
	handled++;
	errno = saved;
}

static int mode_signals(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	long i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < rounds || handled < 100; i++) {
		struct stat st;
		path_round(0);
		/* errno must survive a handler running inside a wrapper. */
		errno = 0;
		if (stat("/no/such", &st) == 0 || errno != ENOENT)
			bad("errno after a failed stat", NULL);
		if (i > rounds * 100)
			break;
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	printf("signals: %ld rounds, %d handler calls, %d handler failures, %d failures\n",
	       i, (int)handled, (int)handler_bad, failures);
	return failures != 0 || handler_bad != 0 || handled < 100;
}

static long rss_kib(void)
{
	char buf[128];
	long size, res;
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n;
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %ld", &size, &res) != 2)
		return -1;
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void calls(long n)
{
	char buf[PATH_MAX];
	struct stat st;
	long i;
	for (i = 0; i < n; i += 5) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0)
			close(fd);
		else
			bad("open", NULL);
		if (stat("/a/b", &st) != 0)
			bad("stat", NULL);
		if (lstat("/a/link", &st) != 0)
			bad("lstat", NULL);
		if (access("/a/link/../b", F_OK) != 0)
			bad("access", NULL);
		if (readlink("/a/link", buf, sizeof buf) < 0)
			bad("readlink", NULL);
	}
}

static int mode_memory(void)
{
	long before, after;
	calls(20000);                /* warm-up: lazy init, translation */
	before = rss_kib();
	calls(rounds);
	after = rss_kib();
	if (before < 0 || after < 0) {
		printf("memory: cannot read /proc/self/statm\n");
		return 1;
	}
	printf("memory: %ld calls, rss before %ld KiB, after %ld KiB, growth %ld KiB, %d failures\n",
	       rounds, before, after, after - before, failures);
	return failures != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "child")) {
		marker = argv[2];
		markerlen = strlen(marker);
		return read_marker() == 0 ? 0 : 1;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: stress threads|fork|fork-nopath|signals|memory N MARKER [SELF]\n");
		return 2;
	}
	rounds = atol(argv[2]);
	marker = argv[3];
	markerlen = strlen(marker);
	if (!strcmp(argv[1], "threads"))
		return mode_threads();
	if (!strcmp(argv[1], "fork") && argc >= 5)
		return mode_fork(argv[4], 1);
	if (!strcmp(argv[1], "fork-nopath") && argc >= 5)
		return mode_fork(argv[4], 0);
	if (!strcmp(argv[1], "signals"))
		return mode_signals();
	if (!strcmp(argv[1], "memory"))
		return mode_memory();
	fprintf(stderr, "stress: unknown mode %s\n", argv[1]);
	return 2;
}
