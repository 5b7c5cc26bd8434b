/* crossroot-chroot.c - chroot(8) for fakechroot-style pipelines: the
 * substitute crossroot-fakechroot's chroot.env and debootstrap.env give the
 * root's and the host's chroot, and the one libcrossroot puts in place of
 * fakechroot's own chroot.fakechroot (FAKECHROOT_CMD_SUBST).
 *
 * `chroot [--skip-chdir] NEWROOT [COMMAND [ARG]...]` becomes `crossroot
 * [--cwd=DIR] -- NEWROOT [COMMAND [ARG]...]`, so the new root is entered
 * exactly as the crossroot command enters one: its architecture detected,
 * qemu and the guest builds of libcrossroot (and of libfakeroot under
 * fakeroot) checked with a clear message, foreign programs run under qemu
 * without binfmt_misc, binds and substitutions read again.  Inside a fake
 * root (a maintainer script's chroot) crossroot resolves NEWROOT inside that
 * root, as a nested chroot(8) would.  The program is started by
 * libcrossroot, preloaded: it does nothing but parse its arguments and
 * hand over with a raw execve(2), which the library does not see, in the
 * environment it was given (less FAKECHROOT_CMD_ORIG and
 * FAKECHROOT_BASE_ORIG, which only concern the substitute itself).
 * --userspec and --groups are refused (crossroot cannot change users; under
 * fakeroot, run the command through su or setpriv inside the root).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cr_config.h"
#include "cr_exec.h"
#include "cr_path.h"
#include "cr_sys.h"

#define PROG "chroot"
#define EXIT_CANCELED 125

extern char **environ;

static void __attribute__((noreturn)) fail(const char *msg, const char *arg)
{
	fprintf(stderr, PROG ": %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
	fprintf(stderr, "Try '" PROG " --help' for more information.\n");
	exit(EXIT_CANCELED);
}

static void usage(void)
{
	printf("Usage: chroot [OPTION] NEWROOT [COMMAND [ARG]...]\n"
	       "Run COMMAND with root directory set to NEWROOT, through crossroot\n"
	       "(crossroot-chroot, the chroot substitute of crossroot-fakechroot).\n"
	       "\n"
	       "      --skip-chdir  do not change the working directory to '/'\n"
	       "                    (only when NEWROOT is the current root '/')\n"
	       "      --help        display this help and exit\n"
	       "      --version     output version information and exit\n"
	       "\n"
	       "--userspec and --groups are not supported.  If no command is given,\n"
	       "run '\"$SHELL\" -i' (default: '/bin/sh -i').\n");
}

/* The crossroot command: beside this program in the build tree (LIBDIR is
 * preload/, the command wrapper/crossroot) and in the copy the tests make
 * of it, else the installed one. */
static void find_crossroot(char *out, size_t outsz)
{
	char self[PATH_MAX];
	ssize_t n = cr_sys_readlinkat(AT_FDCWD, "/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			int k = snprintf(out, outsz, "%s/../wrapper/crossroot", self);
			if (k > 0 && (size_t)k < outsz && cr_exec_is_runnable(out))
				return;
		}
	}
	snprintf(out, outsz, "%s/crossroot", CR_BINDIR);
}

/* The guest view of the current directory, for --skip-chdir. */
static void guest_cwd(char *out, size_t outsz)
{
	struct cr_config cfg = { .root = "" };
	char host[PATH_MAX];
	const char *root = getenv("CROSSROOT_ROOT");
	if (!root || !*root)
		root = getenv("FAKECHROOT_BASE");
	if (cr_sys_getcwd(host, sizeof host) <= 0)
		fail("cannot get the current directory", NULL);
	if (root && *root && cr_config_set_root(&cfg, root) != 0)
		fail("bad CROSSROOT_ROOT", root);
	int r = cr_unmap(&cfg, host, out, outsz);
	cr_config_free(&cfg);
	if (r != 0)
		fail("the current directory is outside the root:", host);
}

int main(int argc, char **argv)
{
	int i = 1, skip_chdir = 0;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--help") == 0) {
			usage();
			return 0;
		}
		if (strcmp(a, "--version") == 0) {
			printf("chroot (crossroot-chroot, %s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		}
		if (strcmp(a, "--skip-chdir") == 0) {
			skip_chdir = 1;
			continue;
		}
		if (strncmp(a, "--userspec", 10) == 0 || strncmp(a, "--groups", 8) == 0)
			fail("crossroot cannot change users: option not supported:", a);
		fail("unrecognized option", a);
	}
	if (i >= argc)
		fail("missing operand", NULL);
	const char *newroot = argv[i++];
	if (newroot[0] == '\0')
		fail("cannot change root directory to '': No such file or directory", NULL);

	char cwdopt[PATH_MAX + 8];
	if (skip_chdir) {
		char g[PATH_MAX];
		if (cr_guest_abspath("/", newroot, g, sizeof g) != 0 || strcmp(g, "/") != 0)
			fail("option --skip-chdir only permitted if NEWROOT is old '/'", NULL);
		guest_cwd(g, sizeof g);
		snprintf(cwdopt, sizeof cwdopt, "--cwd=%s", g);
	}

	char crossroot[PATH_MAX];
	find_crossroot(crossroot, sizeof crossroot);
	char **v = calloc((size_t)argc + 5, sizeof *v);
	size_t n = 0, ne = 0;
	while (environ[ne])
		ne++;
	char **env = calloc(ne + 1, sizeof *env);
	if (!v || !env) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_CANCELED;
	}
	v[n++] = crossroot;
	if (skip_chdir)
		v[n++] = cwdopt;
	v[n++] = "--";
	v[n++] = (char *)newroot;
	for (; i < argc; i++)
		v[n++] = argv[i];
	v[n] = NULL;
	size_t k = 0;
	for (size_t e = 0; e < ne; e++)
		if (strncmp(environ[e], "FAKECHROOT_CMD_ORIG=", 20) != 0 &&
		    strncmp(environ[e], "FAKECHROOT_BASE_ORIG=", 21) != 0)
			env[k++] = environ[e];
	env[k] = NULL;
	syscall(SYS_execve, crossroot, v, env);
	fprintf(stderr, PROG ": cannot run %s: %s\n", crossroot, strerror(errno));
	return EXIT_CANCELED;
}
