/* micro.c - the path-call micro benchmark of bench/run: times N rounds of
 * each of stat, open+close, readlink, access, opendir+readdir+closedir
 * (absolute paths), and stat of a relative path from a directory inside
 * the root, on a fixed set of paths of depth 2 to 6, and prints one line
 * "OP NS_PER_CALL" per operation.  PREFIX is prepended to every absolute
 * path (and to the directory chdir'ed to): the root's host path for the
 * bare contender, "" when a fake-chroot library translates guest paths.
 * Every call's result is checked against the expected outcome so that a
 * contender that gets paths wrong fails instead of looking fast.
 *
 * Usage: micro PREFIX N [OP...]   (OPs: stat open readlink access readdir
 *        relstat; default all)
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Guest paths bench/run creates in the native root (see its mkroot). */
static const char *const files[] = {
	"/bin/ls",
	"/etc/hostname",
	"/usr/lib/x86_64-linux-gnu/libc.so.6",
	"/usr/share/bench/a/b/file",
	"/usr/share/bench/a/b/c/d/file",
};
static const char *const links[] = {
	"/usr/share/bench/link-rel",        /* -> a/b/file */
	"/usr/share/bench/a/b/c/link-abs",  /* -> /usr/share/bench/a/b/file */
};
static const char *const dirs[] = {
	"/usr/share/bench/a",
	"/usr/share/bench/a/b/c/d",
};
#define NF (sizeof files / sizeof files[0])
#define NL (sizeof links / sizeof links[0])
#define ND (sizeof dirs / sizeof dirs[0])

static char pfiles[NF][PATH_MAX], plinks[NL][PATH_MAX], pdirs[ND][PATH_MAX];

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "micro: %s %s failed: %m\n", what, path);
	exit(1);
}

static double run(const char *op, long n)
{
	struct stat st;
	char buf[PATH_MAX];
	long calls = 0;
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		if (!strcmp(op, "stat")) {
			for (size_t k = 0; k < NF; k++, calls++)
				if (stat(pfiles[k], &st) != 0)
					die("stat", pfiles[k]);
		} else if (!strcmp(op, "open")) {
			for (size_t k = 0; k < NF; k++, calls++) {
				int fd = open(pfiles[k], O_RDONLY | O_CLOEXEC);
				if (fd < 0)
					die("open", pfiles[k]);
				close(fd);
			}
		} else if (!strcmp(op, "readlink")) {
			for (size_t k = 0; k < NL; k++, calls++)
				if (readlink(plinks[k], buf, sizeof buf) <= 0)
					die("readlink", plinks[k]);
		} else if (!strcmp(op, "access")) {
			for (size_t k = 0; k < NF; k++, calls++)
				if (access(pfiles[k], R_OK) != 0)
					die("access", pfiles[k]);
		} else if (!strcmp(op, "readdir")) {
			for (size_t k = 0; k < ND; k++, calls++) {
				DIR *d = opendir(pdirs[k]);
				if (!d)
					die("opendir", pdirs[k]);
				int seen = 0;
				while (readdir(d))
					seen++;
				closedir(d);
				if (seen < 3)
					die("readdir", pdirs[k]);
			}
		} else if (!strcmp(op, "relstat")) {
			/* cwd is PREFIX/usr/share/bench */
			static const char *const rel[] = { "a/b/file", "a/b/c/d/file", "link-rel" };
			for (size_t k = 0; k < 3; k++, calls++)
				if (stat(rel[k], &st) != 0)
					die("stat", rel[k]);
		} else {
			fprintf(stderr, "micro: unknown op %s\n", op);
			exit(2);
		}
	}
	return calls ? (now_ns() - t0) / calls : 0;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "stat", "open", "readlink", "access", "readdir", "relstat" };
	if (argc < 3) {
		fprintf(stderr, "usage: micro PREFIX N [OP...]\n");
		return 2;
	}
	const char *pre = argv[1];
	long n = atol(argv[2]);
	if (n <= 0) {
		fprintf(stderr, "micro: N must be positive\n");
		return 2;
	}
	for (size_t k = 0; k < NF; k++)
		snprintf(pfiles[k], PATH_MAX, "%s%s", pre, files[k]);
	for (size_t k = 0; k < NL; k++)
		snprintf(plinks[k], PATH_MAX, "%s%s", pre, links[k]);
	for (size_t k = 0; k < ND; k++)
		snprintf(pdirs[k], PATH_MAX, "%s%s", pre, dirs[k]);
	char cwd[PATH_MAX];
	snprintf(cwd, sizeof cwd, "%s/usr/share/bench", pre);
	if (chdir(cwd) != 0)
		die("chdir", cwd);

	const char *const *ops = argc > 3 ? (const char *const *)argv + 3 : all;
	size_t nops = argc > 3 ? (size_t)(argc - 3) : sizeof all / sizeof all[0];
	for (size_t i = 0; i < nops; i++) {
		run(ops[i], n / 10 + 1);           /* warm up */
		printf("%s %.0f\n", ops[i], run(ops[i], n));
	}
	return 0;
}
