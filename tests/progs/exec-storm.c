/* exec-storm.c - many fork+exec from several threads at once.
 *
 * Usage: exec-storm run N PROG   start N children, PROG exit CODE each
 *        exec-storm exit CODE    exit with CODE (what the children run)
 * "run" starts 4 threads; each forks its share of the N children one after
 * the other and execs PROG with execv between fork and exec while the other
 * threads keep running (so the exec path must not allocate or lock).  Child
 * I must exit with (I * 7) % 251; every status is checked.  Prints
 * "storm: N children, M ok" and exits 0 only when M == N.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4

static int total;
static const char *prog;
static int ok[THREADS];

static void *worker(void *arg)
{
	int t = (int)(long)arg;
	for (int i = t; i < total; i += THREADS) {
		int code = (i * 7) % 251;
		char cs[16];
		snprintf(cs, sizeof cs, "%d", code);
		char *args[] = { (char *)prog, "exit", cs, NULL };
		pid_t pid = fork();
		if (pid == 0) {
			execv(prog, args);
			_exit(255);
		}
		if (pid < 0) {
			fprintf(stderr, "exec-storm: fork: %s\n", strerror(errno));
			continue;
		}
		int st;
		pid_t r;
		do
			r = waitpid(pid, &st, 0);
		while (r < 0 && errno == EINTR);
		if (r == pid && WIFEXITED(st) && WEXITSTATUS(st) == code)
			ok[t]++;
		else
			fprintf(stderr, "exec-storm: child %d: status 0x%x, expected exit %d\n",
			        i, r == pid ? st : -1, code);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc != 4 || strcmp(argv[1], "run") != 0) {
		fprintf(stderr, "usage: exec-storm run N PROG | exec-storm exit CODE\n");
		return 2;
	}
	total = atoi(argv[2]);
	prog = argv[3];
	pthread_t th[THREADS];
	for (long t = 0; t < THREADS; t++) {
		int e = pthread_create(&th[t], NULL, worker, (void *)t);
		if (e) {
			fprintf(stderr, "exec-storm: pthread_create: %s\n", strerror(e));
			return 1;
		}
	}
	int good = 0;
	for (int t = 0; t < THREADS; t++) {
		pthread_join(th[t], NULL);
		good += ok[t];
	}
	printf("storm: %d children, %d ok\n", total, good);
	return good == total ? 0 : 1;
}
