/* cli_util.c - helpers shared by the crossroot and crossroot-stage commands:
 * LIBDIR and stage-prefix lookup, qemu search in the host PATH, file
 * predicates, architecture names for messages, mkdir -p and rm -rf (never
 * following symlinks).  See cli_util.h.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"
#include "cli_util.h"

#include <elf.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_fmt(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= outsz) ? ENAMETOOLONG : 0;
}

const char *cli_libdir(const char *prog)
{
	const char *env = getenv("CROSSROOT_LIBDIR");
	if (env && *env)
		return env;
	static char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char built[PATH_MAX];
		if (cli_fmt(built, sizeof built, "%s/%s", CR_BUILD_BINDIR, prog) == 0 &&
		    strcmp(self, built) == 0)
			return CR_BUILD_LIBDIR;
	}
	return CR_PKGLIBDIR;
}

const char *cli_stage_prefix(void)
{
	const char *env = getenv("CROSSROOT_STAGE_PREFIX");
	return (env && *env) ? env : CR_DEFAULT_STAGE_PREFIX;
}

int cli_stage_libdir(const char *prefix, const struct cr_arch *a,
                     char *out, size_t outsz)
{
	return cli_fmt(out, outsz, "%s/%s/usr/lib/%s/crossroot",
	               prefix, a->qemu, a->triplet);
}

int cli_stage_has(const char *prefix, const struct cr_arch *a,
                  char *out, size_t outsz)
{
	char lib[PATH_MAX];
	if (cli_stage_libdir(prefix, a, lib, sizeof lib) || !cli_is_dir(lib))
		return 0;
	return cli_fmt(out, outsz, "%s/%s", prefix, a->qemu) == 0;
}

int cli_is_exec_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int cli_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_machine_name(unsigned machine, unsigned elfclass,
                             unsigned data, unsigned flags,
                             char *buf, size_t bufsz)
{
	if (machine == EM_X86_64 && elfclass == ELFCLASS64)
		return "x86-64";
	if (machine == EM_ARM && elfclass == ELFCLASS32) {
		if (flags & EF_ARM_ABI_FLOAT_HARD)
			return "armhf";
		return "armel";
	}
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		if (a->machine == machine && a->elfclass == elfclass && a->data == data)
			return a->debian;
	}
	cli_fmt(buf, bufsz, "ELF machine %u (%s-bit, %s-endian)", machine,
	        elfclass == ELFCLASS64 ? "64" : "32",
	        data == ELFDATA2MSB ? "big" : "little");
	return buf;
}

const char *cli_known_arches(char *buf, size_t bufsz)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < cr_arch_count; i++) {
		int n = snprintf(buf + used, bufsz - used, "%s%s",
		                 i ? ", " : "", cr_arch_table[i].debian);
		if (n < 0 || (size_t)n >= bufsz - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

static int chmod_dir(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D && (st->st_mode & 0700) != 0700)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)ftw;
	int r = (type == FTW_DP) ? rmdir(path) : unlink(path);
	if (r != 0 && errno != ENOENT)
		return errno;
	return 0;
}

int cli_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? 0 : errno;
	/* Directories we created may have been made read-only (e.g. a deb's
	 * modes); make them writable on the way down so removal succeeds. */
	chmod(path, (st.st_mode & 07777) | 0700);
	nftw(path, chmod_dir, 32, FTW_PHYS);
	int r = nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
	return r < 0 ? errno : r;
}

int cli_mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	if (cli_fmt(buf, sizeof buf, "%s", path))
		return ENAMETOOLONG;
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, 0755) != 0 && errno != EEXIST)
				return errno;
			if (!cli_is_dir(buf))
				return ENOTDIR;
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}
