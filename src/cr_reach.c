/* cr_reach.c - can a program call into the libraries preloaded into it?
 *
 * The exports of each preloaded library become a sorted array of GNU
 * hashes; a program is walked once (cr_elf_walk_dynamic), its needed
 * libraries first, and the walk stops at the first name that shows it
 * may reach them.  See cr_reach.h for the reasoning.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "cr_env.h"
#include "cr_inline.h"
#include "cr_reach.h"
#include "cr_sys.h"

/* (Helpers inlined and comparisons by hand, cr_inline.h: a program's
 * walk runs in the forked child of a guest, for each of its symbols.) */
CR_INLINE uint32_t hash_of(const char *name)
{
	uint32_t h = 5381;
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
		h = h * 33 + *p;
	return h;
}

uint32_t cr_symbol_hash(const char *name)
{
	return hash_of(name);
}

CR_INLINE int set_has_hash(const struct cr_symset *set, uint32_t h)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->hash[mid] < h)
			lo = mid + 1;
		else if (set->hash[mid] > h)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* -------------------------------------------- environment and loading */
/* Whole names, added to every export set (so a program's walk finds them
 * with the same lookup).  The environment: a program that reads it would
 * see that LD_PRELOAD is gone.  Code loaded at run time: dlopen and
 * friends, and the C library functions that load NSS or iconv modules. */
static const char *const seeing_names[] = {
	"getenv", "secure_getenv", "__libc_secure_getenv",
	"environ", "__environ", "_environ",
	"dlopen", "dlmopen", "dlsym", "dlvsym", "__libc_dlopen_mode",
	"iconv_open",
	"getlogin", "getlogin_r", "cuserid",
	"initgroups", "getgrouplist", "innetgr",
	"getaddrinfo", "getaddrinfo_a", "getnameinfo",
	"getpublickey", "getsecretkey", "netname2user", "user2netname",
	"rcmd", "rcmd_af", "rexec", "rexec_af", "ruserok", "ruserok_af",
	"iruserok", "iruserok_af",
};
static const size_t n_seeing_names = sizeof seeing_names / sizeof seeing_names[0];

/* The NSS databases whose get..., set... and end... functions load
 * modules (passwd, group, shadow, gshadow, hosts, services, protocols,
 * networks and netgroups, rpc, aliases); and ether_*. */
static const char *const nss_databases[] = {
	"pw", "gr", "sp", "sg", "host", "serv", "proto", "net", "rpc", "alias",
};

CR_INLINE int nss_function(const char *name)
{
	const char *db;
	if ((name[0] == 'g' && name[1] == 'e' && name[2] == 't') ||
	    (name[0] == 's' && name[1] == 'e' && name[2] == 't') ||
	    (name[0] == 'e' && name[1] == 'n' && name[2] == 'd'))
		db = name + 3;
	else
		return name[0] == 'e' && cr_starts_with(name, "ether_");
	for (size_t i = 0; i < sizeof nss_databases / sizeof nss_databases[0]; i++)
		if (db[0] == nss_databases[i][0] && cr_starts_with(db, nss_databases[i]))
			return 1;
	return 0;
}

int cr_symbol_sees_env_or_loads(const char *name)
{
	for (size_t i = 0; i < sizeof seeing_names / sizeof seeing_names[0]; i++)
		if (cr_same(name, seeing_names[i]))
			return 1;
	return nss_function(name);
}

/* ------------------------------------------------------------ exports */
static int add_export(void *ud, const char *name, int defined, int bind, int type)
{
	struct cr_symset *set = ud;
	if (!defined || (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE))
		return 0;
	if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT && type != STT_TLS)
		return 0;
	if (set->n == CR_SYMSET_MAX)
		return 1;                      /* stop: too many */
	/* Insertion into the sorted array (a library's few hundred names,
	 * once per process). */
	uint32_t h = hash_of(name);
	size_t i = set->n;
	while (i > 0 && set->hash[i - 1] > h)
		i--;
	if (i > 0 && set->hash[i - 1] == h)
		return 0;
	memmove(set->hash + i + 1, set->hash + i, (set->n - i) * sizeof set->hash[0]);
	set->hash[i] = h;
	set->n++;
	return 0;
}

int cr_symset_reach(struct cr_symset *set, const struct cr_reader *r,
                    char *buf, size_t bufsz)
{
	struct cr_dynamic_visitor v = { NULL, add_export, set };
	set->n = 0;
	set->with_seeing = 0;
	int err = cr_elf_walk_dynamic(r, &v, buf, bufsz);
	if (err == CR_ELF_STOPPED)
		return E2BIG;
	for (size_t i = 0; err == 0 && i < n_seeing_names; i++)
		if (add_export(set, seeing_names[i], 1, STB_GLOBAL, STT_FUNC) != 0)
			return E2BIG;
	set->with_seeing = err == 0;
	return err;
}

int cr_symset_has(const struct cr_symset *set, const char *name)
{
	return set_has_hash(set, hash_of(name));
}

/* ------------------------------------------------------------ programs */
struct reach {
	const char *loader;                /* interp's file name, or NULL */
	const struct cr_symset *const *sets;
	size_t nsets;
	int all;                           /* CR_REACH_WALK_ALL */
	int seeing_in_sets;                /* a set has the whole names of
	                                    * cr_symbol_sees_env_or_loads */
	int reaches;
};

/* The visitors: a reason to count the program as reaching stops the walk
 * (but with CR_REACH_WALK_ALL). */
CR_INLINE int found(struct reach *rc)
{
	rc->reaches = 1;
	return !rc->all;
}

static int needed_reaches(void *ud, const char *name)
{
	struct reach *rc = ud;
	if (cr_same(name, "libc.so.6") || (rc->loader != NULL && cr_same(name, rc->loader)))
		return 0;
	return found(rc);
}

static int symbol_reaches(void *ud, const char *name, int defined, int bind, int type)
{
	struct reach *rc = ud;
	(void)defined;
	(void)bind;
	(void)type;
	if (name[0] == '\0')
		return 0;
	uint32_t h = hash_of(name);
	for (size_t i = 0; i < rc->nsets; i++)
		if (set_has_hash(rc->sets[i], h))
			return found(rc);
	/* (the whole names of cr_symbol_sees_env_or_loads are in the sets
	 * that cr_symset_reach built: then only the NSS prefixes are left) */
	if (rc->seeing_in_sets ? nss_function(name) : cr_symbol_sees_env_or_loads(name))
		return found(rc);
	return 0;
}

int cr_program_may_reach(const struct cr_reader *prog, const char *interp,
                         const struct cr_symset *const *sets, size_t nsets,
                         int flags, char *buf, size_t bufsz)
{
	struct reach rc = { NULL, sets, nsets, (flags & CR_REACH_WALK_ALL) != 0, 0, 0 };
	for (size_t i = 0; i < nsets; i++)
		rc.seeing_in_sets |= sets[i]->with_seeing;
	if (interp != NULL) {
		const char *slash = strrchr(interp, '/');
		rc.loader = slash != NULL ? slash + 1 : interp;
		if (*rc.loader == '\0')
			rc.loader = NULL;
	}
	struct cr_dynamic_visitor v = { needed_reaches, symbol_reaches, &rc };
	return cr_elf_walk_dynamic(prog, &v, buf, bufsz) != 0 || rc.reaches;
}

/* ---------------------------------------------------------- exec plans */
#define CR_REACH_MAX_PRELOADS 8

int cr_preloads_unreachable(const struct cr_exec_plan *plan, char *const *env,
                            const char *const *paths,
                            const struct cr_symset *(*exports)(void *ud, const char *path),
                            void *ud, int flags, char *buf, size_t bufsz)
{
	const struct cr_symset *sets[CR_REACH_MAX_PRELOADS];
	size_t n = 0;
	if (plan->elf_host == NULL || paths == NULL ||
	    !cr_env_preloads_all_in(env, paths))
		return 0;
	for (; paths[n] != NULL; n++)
		if (n == CR_REACH_MAX_PRELOADS || (sets[n] = exports(ud, paths[n])) == NULL)
			return 0;
	int fd = cr_sys_openat(AT_FDCWD, plan->elf_host, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	struct cr_reader r = { cr_fd_pread, &fd };
	int reach = cr_program_may_reach(&r, plan->elf_interp, sets, n, flags, buf, bufsz);
	cr_sys_close(fd);
	return !reach;
}
