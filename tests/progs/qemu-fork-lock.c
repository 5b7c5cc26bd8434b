/* qemu-fork-lock.c - a reproducer, without crossroot, of a qemu-user hang:
 * fork in a multithreaded guest, then a path system call in the child.
 *
 * qemu-user's -L PREFIX translation (util/path.c, path()) takes a mutex of
 * its own around every absolute path of open/openat/stat/lstat/newfstatat
 * and its helpers; fork_start()/fork_end() in linux-user do not take or
 * reset that mutex.  When another guest thread is inside path() at the
 * moment of fork, the child inherits the mutex locked by a thread that does
 * not exist in it, and the child's first absolute-path call blocks forever
 * in a futex.  Without -L (or with a relative path, which path() returns at
 * once) nothing is locked and nothing hangs.
 *
 *   qemu-fork-lock N PATH
 *     3 threads stat(PATH) in a loop; the main thread forks N times; each
 *     child calls stat(PATH) once and exits 0 (1 when the stat fails); the
 *     parent waits for it.  Prints "qemu-fork-lock: N forks, N children ok"
 *     and exits 0 when every child exited 0.  A hang is the bug: run it
 *     under a time limit (tests/integration/stress.sh does).
 * Build it static for a guest and run it as
 *   qemu-aarch64-static -L /any/dir ./qemu-fork-lock 50 /etc/hostname
 * (hangs with qemu 7.2) against
 *   qemu-aarch64-static ./qemu-fork-lock 50 /etc/hostname   (does not).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *path;
static volatile int stop;

static void *statter(void *arg)
{
	struct stat st;
	(void)arg;
	while (!stop)
		(void)stat(path, &st);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[3];
	long n, i, ok = 0;
	int st;

	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: qemu-fork-lock N PATH\n");
		return 2;
	}
	path = argv[2];
	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, statter, NULL) != 0) {
			fprintf(stderr, "qemu-fork-lock: pthread_create failed\n");
			return 1;
		}
	for (i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0) {
			perror("qemu-fork-lock: fork");
			break;
		}
		if (p == 0) {
			struct stat cst;
			_exit(stat(path, &cst) == 0 ? 0 : 1);
		}
		if (waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("qemu-fork-lock: %ld forks, %ld children ok\n", n, ok);
	return ok == n ? 0 : 1;
}
