/* exec-chain.c - a five-hop exec chain, each hop through another API.
 *
 * Expects to be installed in the root as /bin/exec-chain, with PATH
 * containing /bin and the script /bin/exec-chain-script holding the single
 * line "#!/bin/exec-chain 5".  Started with no argument (level 0) it goes:
 *   0 --execv--> 1 --execvp--> 2 --posix_spawn--> 3 --system()--> 4
 *     --execl of the #! script--> 5
 * (system() runs "/bin/exec-chain 4 via-system" through the root's /bin/sh.)
 * Every level checks its argv[0] (and the rest of argv), that
 * /proc/self/cmdline holds exactly its argv, that CHAIN_TOKEN (set at level
 * 0) survived and that uname's machine did not change, then prints
 * "level N ok (machine M)".  Level 5 prints "chain complete".  Any failed
 * check prints "level N FAILED: why" and the exit status is nonzero
 * all the way back.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SELF "/bin/exec-chain"
#define SCRIPT "/bin/exec-chain-script"
#define TOKEN "crossroot-chain-token"

static int level;

static int fail(const char *why)
{
	printf("level %d FAILED: %s\n", level, why);
	fflush(stdout);
	return 1;
}

static int fail_errno(const char *what)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s: %s", what, strerror(errno));
	return fail(buf);
}

/* Does /proc/self/cmdline hold exactly argv? */
static int cmdline_matches(int argc, char **argv)
{
	static char buf[1 << 16];
	size_t len = 0, off = 0;
	ssize_t n;
	int fd = open("/proc/self/cmdline", O_RDONLY);
	if (fd < 0)
		return 0;
	while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	close(fd);
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;
		if (off + l > len || memcmp(buf + off, argv[i], l) != 0)
			return 0;
		off += l;
	}
	return off == len;
}

static int wait_status(pid_t pid)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid)
		return fail_errno("waitpid");
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return fail("child killed by a signal");
}

int main(int argc, char **argv)
{
	struct utsname u;
	if (uname(&u) != 0)
		return fail_errno("uname");
	level = argc > 1 ? atoi(argv[1]) : 0;

	/* argv[0] (and the script's argv) as each hop must deliver it. */
	char want0[32];
	if (level == 5 || level == 4)
		snprintf(want0, sizeof want0, "%s", SELF);
	else if (level > 0)
		snprintf(want0, sizeof want0, "chain-%d", level);
	if (level > 0 && strcmp(argv[0], want0) != 0) {
		char buf[512];
		snprintf(buf, sizeof buf, "argv[0] is '%s', expected '%s'", argv[0], want0);
		return fail(buf);
	}
	if (level == 5 && (argc != 4 || strcmp(argv[2], SCRIPT) != 0 ||
	                   strcmp(argv[3], "script-arg") != 0))
		return fail("the #! script's argv is not INTERP 5 SCRIPT script-arg");
	if (level == 4 && (argc != 3 || strcmp(argv[2], "via-system") != 0))
		return fail("argv is not " SELF " 4 via-system");
	if (!cmdline_matches(argc, argv))
		return fail("/proc/self/cmdline differs from argv");

	if (level == 0) {
		if (setenv("CHAIN_TOKEN", TOKEN, 1) != 0 ||
		    setenv("CHAIN_MACHINE", u.machine, 1) != 0)
			return fail_errno("setenv");
	} else {
		const char *t = getenv("CHAIN_TOKEN"), *m = getenv("CHAIN_MACHINE");
		if (!t || strcmp(t, TOKEN) != 0)
			return fail("CHAIN_TOKEN lost on the way");
		if (!m || strcmp(m, u.machine) != 0)
			return fail("uname's machine changed on the way");
	}
	printf("level %d ok (machine %s)\n", level, u.machine);
	fflush(stdout);

	switch (level) {
	case 0: {
		char *args[] = { "chain-1", "1", NULL };
		execv(SELF, args);
		return fail_errno("execv " SELF);
	}
	case 1: {
		char *args[] = { "chain-2", "2", NULL };
		execvp("exec-chain", args);
		return fail_errno("execvp exec-chain");
	}
	case 2: {
		char *args[] = { "chain-3", "3", NULL };
		pid_t pid;
		int e = posix_spawn(&pid, SELF, NULL, NULL, args, environ);
		if (e) {
			errno = e;
			return fail_errno("posix_spawn " SELF);
		}
		return wait_status(pid);
	}
	case 3: {
		int st = system(SELF " 4 via-system");
		if (st == -1)
			return fail_errno("system");
		if (!WIFEXITED(st))
			return fail("system: the shell was killed");
		return WEXITSTATUS(st);
	}
	case 4:
		execl(SCRIPT, "ignored-by-the-kernel", "script-arg", (char *)NULL);
		return fail_errno("execl " SCRIPT);
	case 5:
		printf("chain complete\n");
		return 0;
	default:
		return fail("unknown level");
	}
}
