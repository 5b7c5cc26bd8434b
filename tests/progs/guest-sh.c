/* guest-sh.c - a minimal POSIX-like /bin/sh for test roots.
 *
 * The test roots built from Debian's cross libc packages have no shell, so
 * this one is cross-compiled and installed as the root's /bin/sh (system(),
 * popen(), "#!/bin/sh" scripts and execvp's ENOEXEC fallback all need one).
 * Usage:  sh -c [--] COMMANDS [NAME [ARG...]]   |   sh [--] SCRIPT [ARG...]
 * Commands are separated by ';' or newlines; words by blanks; '...' and
 * "..." quote, backslash escapes; '#' starts a comment; $0-$9, $? and $$
 * are expanded.  Builtins: exit [N], cd DIR, exec CMD [ARG...], and
 * "shname", which prints "guest-sh" (tests tell this shell from the host's
 * with it).  Other commands run with fork + execvp + waitpid; the exit
 * status is the last command's (127: not found, 126: cannot execute).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXWORDS 256
#define MAXTEXT (1 << 16)

static int status;
static char **params;   /* $0, $1, ... */
static int nparams;

static int run_external(char **argv, int replace)
{
	pid_t pid = replace ? 0 : fork();
	if (pid < 0) {
		perror("sh: fork");
		return 126;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		int e = errno;
		fprintf(stderr, "sh: %s: %s\n", argv[0],
		        e == ENOENT ? "not found" : strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return 126;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void run_command(char **argv, int argc)
{
	if (argc == 0)
		return;
	argv[argc] = NULL;
	if (!strcmp(argv[0], "exit")) {
		fflush(stdout);
		exit(argc > 1 ? atoi(argv[1]) : status);
	} else if (!strcmp(argv[0], "cd")) {
		status = chdir(argc > 1 ? argv[1] : "/") == 0 ? 0 : 1;
		if (status)
			perror("sh: cd");
	} else if (!strcmp(argv[0], "shname")) {
		printf("guest-sh\n");
		fflush(stdout);
		status = 0;
	} else if (!strcmp(argv[0], "exec")) {
		if (argc > 1) {
			fflush(stdout);
			exit(run_external(argv + 1, 1));
		}
		status = 0;
	} else {
		fflush(stdout);
		status = run_external(argv, 0);
	}
}

/* Append the value of the parameter after '$' at *pp to the word. */
static void expand(const char **pp, char *buf, size_t *len)
{
	const char *p = *pp;
	char num[16];
	const char *val = NULL;
	if (*p == '?') {
		snprintf(num, sizeof num, "%d", status);
		val = num;
		p++;
	} else if (*p == '$') {
		snprintf(num, sizeof num, "%ld", (long)getpid());
		val = num;
		p++;
	} else if (*p >= '0' && *p <= '9') {
		int i = *p++ - '0';
		val = i < nparams ? params[i] : "";
	} else {
		val = "$";
	}
	size_t l = strlen(val);
	if (*len + l < MAXTEXT) {
		memcpy(buf + *len, val, l);
		*len += l;
	}
	*pp = p;
}

static void run_text(const char *p)
{
	static char buf[MAXTEXT];
	char *argv[MAXWORDS + 1];
	int argc = 0;
	size_t len = 0;
	int inword = 0;

	for (;;) {
		char c = *p;
		if (c == '\0' || c == '\n' || c == ';' || c == ' ' || c == '\t') {
			if (inword) {
				buf[len++] = '\0'; /* room kept: len <= MAXTEXT - 1 */
				if (argc < MAXWORDS)
					argc++;
			}
			inword = 0;
			if (c == '\0' || c == '\n' || c == ';') {
				run_command(argv, argc);
				argc = 0;
				len = 0;
				if (c == '\0')
					return;
			}
			p++;
			continue;
		}
		if (!inword) {
			if (c == '#') {
				while (*p && *p != '\n')
					p++;
				continue;
			}
			inword = 1;
			argv[argc] = buf + len;
		}
		if (c == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (len < MAXTEXT - 1)
					buf[len++] = *p;
			if (*p)
				p++;
		} else if (c == '"') {
			for (p++; *p && *p != '"';) {
				if (*p == '\\' && p[1]) {
					p++;
				} else if (*p == '$') {
					p++;
					expand(&p, buf, &len);
					continue;
				}
				if (len < MAXTEXT - 1)
					buf[len++] = *p;
				p++;
			}
			if (*p)
				p++;
		} else if (c == '\\' && p[1]) {
			if (len < MAXTEXT - 1)
				buf[len++] = p[1];
			p += 2;
		} else if (c == '$') {
			p++;
			expand(&p, buf, &len);
		} else {
			if (len < MAXTEXT - 1)
				buf[len++] = c;
			p++;
		}
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-c")) {
		i++;
		if (i < argc && !strcmp(argv[i], "--"))
			i++;
		if (i >= argc) {
			fprintf(stderr, "sh: -c: option requires an argument\n");
			return 2;
		}
		const char *cmd = argv[i++];
		/* $0 is NAME when given, else the shell's own name. */
		if (i < argc) {
			params = argv + i;
			nparams = argc - i;
		} else {
			params = argv;
			nparams = 1;
		}
		run_text(cmd);
		fflush(stdout);
		return status;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: sh -c COMMANDS [NAME [ARG...]] | sh SCRIPT [ARG...]\n");
		return 2;
	}
	static char text[MAXTEXT];
	int fd = open(argv[i], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "sh: %s: %s\n", argv[i], strerror(errno));
		return 127;
	}
	size_t len = 0;
	ssize_t n;
	while (len < sizeof text - 1 && (n = read(fd, text + len, sizeof text - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	text[len] = '\0';
	params = argv + i;
	nparams = argc - i;
	run_text(text);
	fflush(stdout);
	return status;
}
