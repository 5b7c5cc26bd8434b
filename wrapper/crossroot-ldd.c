/* crossroot-ldd.c - ldd(1) for programs inside a fake root: the substitute
 * libcrossroot puts in place of fakechroot's ldd.fakechroot
 * (FAKECHROOT_CMD_SUBST, as mmdebstrap sets it).
 *
 * The root's own ldd, a script that runs the loader with
 * LD_TRACE_LOADED_OBJECTS=1, would list the preloaded libraries too
 * (libcrossroot.so, libfakeroot) with their host paths, and a native root's
 * loader started on a guest path would read the host's program; tools that
 * parse ldd's output (usrmerge's convert-usrmerge runs `ldd /bin/cp`) then
 * act on host paths.  This program plans each FILE as libcrossroot would
 * exec it (cr_exec_plan: the root's own loader with the root's library
 * directories for a native program, qemu -L ROOT for a foreign one), runs
 * it with LD_TRACE_LOADED_OBJECTS=1 and no LD_PRELOAD / LD_LIBRARY_PATH,
 * and prints the loader's list with the root's host path turned back into
 * guest paths.  It is started by libcrossroot (preloaded): the files are
 * found with the core resolver and raw system calls, and the traced
 * program is started with a raw execve(2) the library does not see.
 * Options -v, -u, -d, -r are accepted; -d and -r set LD_WARN (and
 * LD_BIND_NOW for -r) as glibc's ldd does.
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
#include <sys/wait.h>
#include <unistd.h>

#include "cr_arch.h"
#include "cr_config.h"
#include "cr_elf.h"
#include "cr_exec.h"
#include "cr_path.h"
#include "cr_sys.h"

#define PROG "ldd"

extern char **environ;

static char qemu_buf[PATH_MAX];

static const char *find_qemu(void *ud, const struct cr_arch *a)
{
	char var[64];
	(void)ud;
	const char *v = getenv(cr_arch_qemu_var(a, var, sizeof var));
	if (v && v[0] == '/' && cr_exec_is_runnable(v))
		return v;
	const char *path = getenv("PATH");
	if (cr_exec_find_qemu(path ? path : "/usr/bin:/bin", a, qemu_buf, sizeof qemu_buf))
		return qemu_buf;
	return NULL;
}

/* Write buf[0..n) with every occurrence of the root's host path (followed
 * by '/') replaced by nothing: the loader's host paths as guest paths. */
static void put_unmapped(const struct cr_config *cfg, const char *buf, size_t n)
{
	size_t i = 0, start = 0;
	while (cfg->rootlen && i + cfg->rootlen < n) {
		if (memcmp(buf + i, cfg->root, cfg->rootlen) == 0 &&
		    buf[i + cfg->rootlen] == '/' && (i == 0 || buf[i - 1] != '/')) {
			fwrite(buf + start, 1, i - start, stdout);
			i += cfg->rootlen;
			start = i;
			continue;
		}
		i++;
	}
	fwrite(buf + start, 1, n - start, stdout);
}

/* Trace one file; 0, or 1 when it is not a dynamic program or failed. */
static int trace(const struct cr_config *cfg, const struct cr_arch *kernel,
                 const char *gcwd, const char *file, char **env)
{
	static struct cr_exec_plan plan;
	struct cr_exec_ctx ctx = {
		.cfg = cfg, .fs = &cr_sys_fsops, .kernel = kernel, .guest_cwd = gcwd,
		.find_qemu = find_qemu, .native_loader = 1, .allow_static = 1,
	};
	char host[PATH_MAX];
	struct cr_fileinfo fi;
	int err = cr_resolve(cfg, &cr_sys_fsops, gcwd, file, CR_FOLLOW, host, sizeof host);
	if (err) {
		fprintf(stderr, PROG ": %s: %s\n", file, strerror(err));
		return 1;
	}
	if (cr_file_identify_path(host, &fi) != 0 || fi.kind != CR_FILE_ELF) {
		printf("\tnot a dynamic executable\n");
		return 1;
	}
	if (!fi.elf.has_interp) {
		printf("\tstatically linked\n");
		return 1;
	}
	err = cr_exec_plan(&ctx, file, file, NULL, 0, &plan);
	if (err || plan.substituted) {
		fprintf(stderr, PROG ": %s: %s\n", file, plan.why[0] ? plan.why : strerror(err));
		return 1;
	}
	char *argv[1] = { NULL };
	size_t n = cr_exec_argc(&plan, 1);
	const char **av = calloc(n + 1, sizeof *av);
	if (!av)
		return 1;
	argv[0] = (char *)file;
	cr_exec_build_argv(&plan, argv, 1, av);
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		syscall(SYS_execve, plan.path, av, env);
		_exit(127);
	}
	close(fds[1]);
	char buf[1 << 16];
	size_t len = 0;
	ssize_t r;
	while ((r = read(fds[0], buf + len, sizeof buf - len)) > 0) {
		len += (size_t)r;
		if (len == sizeof buf) {
			put_unmapped(cfg, buf, len);
			len = 0;
		}
	}
	close(fds[0]);
	put_unmapped(cfg, buf, len);
	free(av);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int warn = 0, bindnow = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0) {
			printf("Usage: ldd [OPTION]... FILE...\n"
			       "Print the shared libraries FILE (a path inside the fake root) needs\n"
			       "(crossroot-ldd: the root's own loader, under qemu for a foreign one).\n"
			       "  -d, --data-relocs, -r, --function-relocs, -u, --unused, -v, --verbose\n"
			       "      are accepted (-d and -r as glibc's ldd).\n");
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("ldd (crossroot-ldd, %s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		} else if (strcmp(a, "-d") == 0 || strcmp(a, "--data-relocs") == 0) {
			warn = 1;
		} else if (strcmp(a, "-r") == 0 || strcmp(a, "--function-relocs") == 0) {
			warn = bindnow = 1;
		} else if (strcmp(a, "-u") == 0 || strcmp(a, "--unused") == 0 ||
		           strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			/* accepted */
		} else {
			fprintf(stderr, PROG ": unrecognized option '%s'\n", a);
			return 1;
		}
	}
	if (i >= argc) {
		fprintf(stderr, PROG ": missing file arguments\n");
		return 1;
	}

	struct cr_config cfg = { .root = "" };
	const char *root = getenv("CROSSROOT_ROOT");
	if (!root || !*root)
		root = getenv("FAKECHROOT_BASE");
	if (!root || !*root)
		root = getenv("FAKECHROOT_BASE_ORIG");
	if (root && *root && cr_config_set_root(&cfg, root) != 0) {
		fprintf(stderr, PROG ": bad root %s\n", root);
		return 1;
	}
	if (cfg.rootlen) {
		const char *bad;
		cr_config_default_binds(&cfg);
		const char *b = getenv("CROSSROOT_BIND");
		if (b && *b)
			cr_config_parse_binds(&cfg, b, &bad);
		cr_resolve_binds(&cfg, &cr_sys_fsops);
	}
	const struct cr_arch *kernel = cr_arch_kernel(getenv("CROSSROOT_HOST_ARCH"));
	if (!kernel) {
		fprintf(stderr, PROG ": unknown kernel architecture\n");
		return 1;
	}
	char hcwd[PATH_MAX], gcwd[PATH_MAX];
	if (cr_sys_getcwd(hcwd, sizeof hcwd) <= 0 || cr_unmap(&cfg, hcwd, gcwd, sizeof gcwd) != 0)
		strcpy(gcwd, "/");

	/* The traced program's environment: no preload, no library path. */
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **env = calloc(ne + 4, sizeof *env);
	if (!env)
		return 1;
	size_t k = 0;
	for (size_t e = 0; e < ne; e++)
		if (strncmp(environ[e], "LD_", 3) != 0)
			env[k++] = environ[e];
	env[k++] = "LD_TRACE_LOADED_OBJECTS=1";
	if (warn)
		env[k++] = "LD_WARN=yes";
	if (bindnow)
		env[k++] = "LD_BIND_NOW=yes";
	env[k] = NULL;

	int rc = 0, many = argc - i > 1;
	for (; i < argc; i++) {
		if (many)
			printf("%s:\n", argv[i]);
		rc |= trace(&cfg, kernel, gcwd, argv[i], env);
	}
	fflush(stdout);
	return rc;
}
