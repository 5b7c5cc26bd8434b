/* exec-api.c - start a program through one chosen libc API.
 *
 * Usage: exec-api MODE ARGS...  (the integration tests drive crossroot's
 * exec wrappers with it, natively and under qemu):
 *   execve   PATH ARG0 [ARG...]   execve with the current environment
 *   execve0  PATH ARG0 [ARG...]   execve with an empty environment (env -i)
 *   execv    PATH ARG0 [ARG...]
 *   execvp   FILE ARG0 [ARG...]
 *   execvpe  FILE ARG0 [ARG...]   with the current environment
 *   execl    PATH ARG0 [ARG...]   (at most 6 arguments)
 *   execlp   FILE ARG0 [ARG...]
 *   execle   PATH ARG0 [ARG...]   with an empty environment
 *   fexecve  PATH ARG0 [ARG...]   open(PATH) then fexecve
 *   execveat DIR NAME ARG0 [ARG...]  execveat relative to open(DIR)
 *   vfork    PATH ARG0 [ARG...]   vfork + execv in the child, wait
 *   spawn    PATH ARG0 [ARG...]   posix_spawn, wait
 *   spawnp   FILE ARG0 [ARG...]   posix_spawnp, wait
 *   spawn-out FILE PATH ARG0 [ARG...]  posix_spawn with stdout opened on
 *                                 FILE by a file action, wait
 *   system   CMD                  system(CMD)
 *   system-null                   prints "shell=yes|no" from system(NULL)
 *   popen-r  CMD                  popen(CMD, "r"): prints "popen: LINE" per line
 *   popen-w  CMD TEXT             popen(CMD, "w"): writes TEXT and a newline
 *   write    FILE TEXT            writes TEXT to FILE (no O_CREAT)
 *   readfile FILE                 prints FILE
 *   cat                           copies stdin to stdout, "cat: " before
 *                                 each line (the other end of popen-w)
 * The waiting modes exit with the child's status (128+N for signal N).  An
 * exec that fails prints "exec-api: MODE FILE: failed: ENAME (message)"
 * and exits 127.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *errname(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case ENOEXEC: return "ENOEXEC";
	case ELOOP: return "ELOOP";
	case ENOTDIR: return "ENOTDIR";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case E2BIG: return "E2BIG";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSYS: return "ENOSYS";
	default: return "E?";
	}
}

static int failed(const char *mode, const char *file, int e)
{
	fprintf(stderr, "exec-api: %s %s: failed: %s (%s)\n", mode, file,
	        errname(e), strerror(e));
	return 127;
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 126;
}

static int wait_for(pid_t pid)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid) {
		perror("exec-api: waitpid");
		return 126;
	}
	return status_code(st);
}

static int usage(void)
{
	fprintf(stderr, "usage: exec-api MODE ARGS... (see the source)\n");
	return 2;
}

/* execl-style calls need the arguments spelled out. */
#define A(i) (n > (i) ? v[i] : (char *)NULL)
static int run_execl(const char *mode, char **v, int n)
{
	static char *const empty_env[] = { NULL };
	const char *f = v[0];
	v++, n--;
	if (n < 1 || n > 6)
		return usage();
	if (!strcmp(mode, "execl"))
		execl(f, v[0], A(1), A(2), A(3), A(4), A(5), (char *)NULL);
	else if (!strcmp(mode, "execlp"))
		execlp(f, v[0], A(1), A(2), A(3), A(4), A(5), (char *)NULL);
	else
		execle(f, v[0], A(1), A(2), A(3), A(4), A(5), (char *)NULL, empty_env);
	return failed(mode, f, errno);
}
#undef A

int main(int argc, char **argv)
{
	static char *const empty_env[] = { NULL };
	if (argc < 2)
		return usage();
	const char *mode = argv[1];
	char **v = argv + 2;
	int n = argc - 2;

	if (!strcmp(mode, "system") && n == 1) {
		int st = system(v[0]);
		if (st == -1) {
			perror("exec-api: system");
			return 126;
		}
		return status_code(st);
	}
	if (!strcmp(mode, "system-null") && n == 0) {
		printf("shell=%s\n", system(NULL) ? "yes" : "no");
		return 0;
	}
	if ((!strcmp(mode, "popen-r") && n == 1) || (!strcmp(mode, "popen-w") && n == 2)) {
		int reading = mode[6] == 'r';
		FILE *p = popen(v[0], reading ? "r" : "w");
		if (!p)
			return failed(mode, v[0], errno);
		if (reading) {
			char line[4096];
			while (fgets(line, sizeof line, p))
				printf("popen: %s", line);
		} else {
			fprintf(p, "%s\n", v[1]);
		}
		int st = pclose(p);
		if (st == -1) {
			perror("exec-api: pclose");
			return 126;
		}
		return status_code(st);
	}
	if (!strcmp(mode, "readfile") && n == 1) {
		FILE *f = fopen(v[0], "r");
		if (!f)
			return failed(mode, v[0], errno);
		int c;
		while ((c = getc(f)) != EOF)
			putchar(c);
		fclose(f);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (!strcmp(mode, "getenv") && n == 1) {
		const char *val = getenv(v[0]);
		printf("%s\n", val ? val : "unset");
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (!strcmp(mode, "cat") && n == 0) {
		char line[4096];
		while (fgets(line, sizeof line, stdin))
			printf("cat: %s", line);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (!strcmp(mode, "write") && n == 2) {
		int fd = open(v[0], O_WRONLY | O_TRUNC);
		if (fd < 0)
			return failed(mode, v[0], errno);
		size_t l = strlen(v[1]);
		if (write(fd, v[1], l) != (ssize_t)l || close(fd) != 0) {
			perror("exec-api: write");
			return 1;
		}
		return 0;
	}

	if (!strcmp(mode, "execveat")) {
		if (n < 3)
			return usage();
		int dfd = open(v[0], O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return failed(mode, v[0], errno);
		execveat(dfd, v[1], v + 2, environ, 0);
		return failed(mode, v[1], errno);
	}
	if (!strcmp(mode, "spawn-out")) {
		if (n < 3)
			return usage();
		posix_spawn_file_actions_t fa;
		pid_t pid;
		posix_spawn_file_actions_init(&fa);
		int e = posix_spawn_file_actions_addopen(&fa, 1, v[0],
		                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (e == 0)
			e = posix_spawn(&pid, v[1], &fa, NULL, v + 2, environ);
		posix_spawn_file_actions_destroy(&fa);
		return e ? failed(mode, v[1], e) : wait_for(pid);
	}

	if (n < 2)
		return usage();
	const char *f = v[0];
	char **args = v + 1;
	if (!strcmp(mode, "execve")) {
		execve(f, args, environ);
	} else if (!strcmp(mode, "execve0")) {
		execve(f, args, empty_env);
	} else if (!strcmp(mode, "execv")) {
		execv(f, args);
	} else if (!strcmp(mode, "execvp")) {
		execvp(f, args);
	} else if (!strcmp(mode, "execvpe")) {
		execvpe(f, args, environ);
	} else if (!strcmp(mode, "execl") || !strcmp(mode, "execlp") ||
	           !strcmp(mode, "execle")) {
		return run_execl(mode, v, n);
	} else if (!strcmp(mode, "fexecve")) {
		int fd = open(f, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return failed(mode, f, errno);
		fexecve(fd, args, environ);
	} else if (!strcmp(mode, "vfork")) {
		pid_t pid = vfork();
		if (pid == 0) {
			execv(f, args);
			_exit(127);
		}
		if (pid < 0)
			return failed(mode, f, errno);
		return wait_for(pid);
	} else if (!strcmp(mode, "spawn") || !strcmp(mode, "spawnp")) {
		pid_t pid;
		int e = mode[5] == 'p' ? posix_spawnp(&pid, f, NULL, NULL, args, environ)
		                       : posix_spawn(&pid, f, NULL, NULL, args, environ);
		return e ? failed(mode, f, e) : wait_for(pid);
	} else {
		return usage();
	}
	return failed(mode, f, errno);
}
