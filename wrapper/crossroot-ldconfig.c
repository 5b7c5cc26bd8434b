/* crossroot-ldconfig.c - the default substitute for the root's ldconfig:
 * rebuild the fake root's /etc/ld.so.cache (and soname links) without ever
 * writing outside the root.
 *
 * Debian's ldconfig is a static program: it gets no libcrossroot, so run as
 * it is (under qemu for a foreign root, or directly for a native one) it
 * would write the HOST's /etc/ld.so.cache~ (qemu -L falls back to the host
 * path when ROOT/etc/ld.so.cache~ does not exist, and rename(2) is never
 * translated) and would not see the root's absolute symlinks.  The host's
 * own ldconfig with -r ROOT is no answer for a foreign root: it skips every
 * library of another machine ("is for unknown machine 183") and writes an
 * empty cache.  So this program runs the ROOT's own ldconfig (ldconfig.real
 * first: some distributions make ldconfig a shell wrapper around it) with
 * "-r ROOT" in front of the caller's arguments (a caller's own "-r DIR",
 * as libc-bin's postinst passes "-r /", is taken as a directory inside the
 * root and replaces ROOT): glibc's ldconfig then
 * prefixes ROOT to every path it reads or writes and resolves symlinks
 * inside ROOT (it does not chroot(2), so no privilege is needed).  A
 * foreign ldconfig runs under qemu without -L (its paths are host paths
 * already: nothing must be looked up elsewhere).  It is started by
 * libcrossroot through CROSSROOT_CMD_SUBST, so it runs with the library
 * preloaded: every file operation and the final exec use raw system calls
 * (cr_sys.h, syscall(2)) that the library does not translate, and
 * LD_PRELOAD is dropped from the environment passed on.  With no fake root
 * (CROSSROOT_ROOT unset or "/") the host's /sbin/ldconfig is run unchanged.
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

#include "cr_arch.h"
#include "cr_config.h"
#include "cr_elf.h"
#include "cr_exec.h"
#include "cr_path.h"
#include "cr_sys.h"

#define PROG "crossroot-ldconfig"

extern char **environ;


/* qemu for arch a: CROSSROOT_QEMU_<ARCH>, else the host PATH. */
static int find_qemu(const struct cr_arch *a, char *out, size_t outsz)
{
	char var[64];
	const char *v = getenv(cr_arch_qemu_var(a, var, sizeof var));
	if (v && v[0] == '/' && cr_exec_is_runnable(v) && strlen(v) < outsz) {
		strcpy(out, v);
		return 1;
	}
	return cr_exec_find_qemu(getenv("PATH"), a, out, outsz);
}

/* environ without LD_PRELOAD (the programs run next are static or qemu). */
static char **clean_env(void)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **e = calloc(n + 1, sizeof *e);
	if (!e)
		return environ;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			e[k++] = environ[i];
	e[k] = NULL;
	return e;
}

static int run(const char *path, char **argv)
{
	syscall(SYS_execve, path, argv, clean_env());
	fprintf(stderr, PROG ": cannot run %s: %s\n", path, strerror(errno));
	return 126;
}

/* A guest directory (absolute, or relative to the guest cwd) resolved
 * inside the root; it must stay inside the root and be a directory. */
static int resolve_in_root(const struct cr_config *cfg, const char *dir,
                           char *out, size_t outsz)
{
	char hcwd[PATH_MAX], gcwd[PATH_MAX];
	const char *base = "/";
	if (dir[0] != '/' && cr_sys_getcwd(hcwd, sizeof hcwd) > 0 &&
	    cr_unmap(cfg, hcwd, gcwd, sizeof gcwd) == 0)
		base = gcwd;
	if (cr_resolve(cfg, &cr_sys_fsops, base, dir, CR_FOLLOW, out, outsz) != 0 ||
	    !cr_host_in_root(cfg, out) || cr_sys_isdir(AT_FDCWD, out) != 1)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	/* ldconfig.REAL: where debootstrap --variant=fakechroot moves the
	 * real one (its /sbin/ldconfig is then a no-op script). */
	static const char *const cands[] = {
		"/sbin/ldconfig.real", "/usr/sbin/ldconfig.real",
		"/sbin/ldconfig.REAL", "/usr/sbin/ldconfig.REAL",
		"/sbin/ldconfig", "/usr/sbin/ldconfig",
	};
	const char *root = getenv("CROSSROOT_ROOT");
	if (!root || !*root)
		root = getenv("FAKECHROOT_BASE");
	struct cr_config cfg = { .root = "" };
	if (root && *root && cr_config_set_root(&cfg, root) != 0) {
		fprintf(stderr, PROG ": CROSSROOT_ROOT=%s is not an absolute path\n", root);
		return 1;
	}
	if (cfg.rootlen == 0) {
		/* No fake root: the host's ldconfig, as without crossroot. */
		argv[0] = "/sbin/ldconfig";
		return run("/sbin/ldconfig", argv);
	}

	char host[PATH_MAX];
	struct cr_fileinfo fi;
	const char *guest = NULL;
	for (size_t i = 0; i < sizeof cands / sizeof cands[0] && !guest; i++)
		if (cr_resolve(&cfg, &cr_sys_fsops, "/", cands[i], CR_FOLLOW, host,
		               sizeof host) == 0 &&
		    cr_host_in_root(&cfg, host) && cr_exec_is_runnable(host) &&
		    cr_file_identify_path(host, &fi) == 0 && fi.kind == CR_FILE_ELF)
			guest = cands[i];
	if (!guest) {
		fprintf(stderr, PROG ": %s has no ldconfig program (looked for "
		        "/sbin/ldconfig.real and /sbin/ldconfig, ELF files): the "
		        "library cache is not rebuilt\n", cfg.root);
		return 1;
	}
	const struct cr_arch *a = cr_arch_from_elf(&fi.elf);
	const struct cr_arch *kernel = cr_arch_kernel(getenv("CROSSROOT_HOST_ARCH"));
	if (!a || !kernel) {
		fprintf(stderr, PROG ": %s%s is for an unknown machine (%u)\n",
		        cfg.root, guest, fi.elf.machine);
		return 1;
	}

	/* QEMU [-L ROOT] HOSTPROG -r ROOT ARGS..., or HOSTPROG -r ROOT ARGS... */
	char qemu[PATH_MAX];
	char **v = calloc((size_t)argc + 8, sizeof *v);
	if (!v) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	size_t n = 0;
	if (a != kernel) {
		if (!find_qemu(a, qemu, sizeof qemu)) {
			char var[64];
			fprintf(stderr, PROG ": %s%s is an %s program but no qemu-%s-static "
			        "was found: install qemu-user-static or set %s\n", cfg.root,
			        guest, a->debian, a->qemu, cr_arch_qemu_var(a, var, sizeof var));
			return 1;
		}
		v[n++] = qemu;
		if (fi.elf.has_interp) {
			/* Not glibc's (static) ldconfig: its loader is in the root. */
			v[n++] = "-L";
			v[n++] = (char *)cfg.root;
		}
	}
	/* The caller's own -r DIR (libc-bin's postinst runs "ldconfig -r /")
	 * names a directory INSIDE the fake root: resolve it there and use it
	 * instead of ROOT, never after it (the last -r wins in ldconfig, and a
	 * host "/" would rebuild the host's cache). */
	char croot[PATH_MAX];
	const char *eff = cfg.root;
	v[n++] = host;
	v[n++] = "-r";
	size_t rpos = n++;
	for (int i = 1; i < argc; i++) {
		const char *dir = NULL;
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strncmp(argv[i], "-r", 2) == 0 && argv[i][2] != '\0')
			dir = argv[i] + 2;
		if (dir == NULL) {
			v[n++] = argv[i];
			continue;
		}
		if (resolve_in_root(&cfg, dir, croot, sizeof croot) != 0) {
			fprintf(stderr, PROG ": -r %s: not a directory inside %s\n", dir, cfg.root);
			return 1;
		}
		eff = croot;
	}
	v[rpos] = (char *)eff;
	v[n] = NULL;
	return run(v[0], v);
}
