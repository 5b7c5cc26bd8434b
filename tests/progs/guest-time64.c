/* guest-time64.c - stat and utime calls of a program built with 64-bit
 * time on a 32-bit architecture (as all of Debian trixie's armel/armhf is):
 * glibc then calls __stat64_time64, __lstat64_time64, __fstatat64_time64,
 * __utimensat64, __utimes64, __lutimes64, __utime64 and __futimesat64,
 * which libcrossroot must translate too.  Usage: guest-time64 LINK TARGET, where LINK is an
 * absolute symlink inside the root pointing at TARGET (qemu's -L alone
 * would follow it on the host).  Prints "time64 ok" or what failed.
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _FILE_OFFSET_BITS 64
#define _TIME_BITS 64
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <utime.h>

static int failed;

static void expect(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		failed = 1;
	}
}

int main(int argc, char **argv)
{
	struct stat st;
	struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct timespec ts[2] = { { 1100000000, 0 }, { 1100000000, 0 } };
	struct utimbuf ub = { 1200000000, 1200000000 };

	if (argc != 3) {
		fprintf(stderr, "usage: guest-time64 LINK TARGET\n");
		return 2;
	}
	expect(stat(argv[1], &st) == 0 && S_ISREG(st.st_mode), "stat through the link");
	expect(lstat(argv[1], &st) == 0 && S_ISLNK(st.st_mode), "lstat of the link");
	expect(fstatat(AT_FDCWD, argv[1], &st, 0) == 0 && S_ISREG(st.st_mode), "fstatat");
	expect(utimes(argv[1], tv) == 0, "utimes");
	expect(stat(argv[2], &st) == 0 && st.st_mtime == 1000000000, "utimes result");
	expect(utimensat(AT_FDCWD, argv[1], ts, 0) == 0, "utimensat");
	expect(stat(argv[2], &st) == 0 && st.st_mtime == 1100000000, "utimensat result");
	expect(utime(argv[1], &ub) == 0, "utime");
	expect(stat(argv[2], &st) == 0 && st.st_mtime == 1200000000, "utime result");
	tv[1].tv_sec = 1300000000;
	expect(futimesat(AT_FDCWD, argv[1], tv) == 0, "futimesat");
	expect(stat(argv[2], &st) == 0 && st.st_mtime == 1300000000, "futimesat result");
	tv[1].tv_sec = 1000000000;
	expect(lutimes(argv[1], tv) == 0, "lutimes");
	expect(lstat(argv[1], &st) == 0 && st.st_mtime == 1000000000, "lutimes result");
	if (failed)
		return 1;
	puts("time64 ok");
	return 0;
}
