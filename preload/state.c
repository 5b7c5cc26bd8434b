/* state.c - the per-process state of libcrossroot: configuration snapshot,
 * environment snapshot, real-function lookup, path translation helpers,
 * qemu discovery and the verbose log.
 *
 * Everything a wrapper needs per call is lock-free: the configuration is an
 * immutable struct published through an atomic pointer (replaced, never
 * freed, by the faked chroot), real functions are cached in atomic slots,
 * and path translation uses raw system calls and caller-provided buffers.
 * Initialisation runs from the library constructor (host build), or
 * lazily from the first wrapper that needs it (guest builds, or another
 * library's constructor calling first), from the environment copied at
 * load (crp_take_start_env); an
 * atomic state flag (not pthread_once: it would need a glibc symbol newer
 * than the oldest guest libc) makes sure it runs exactly once, and a
 * wrapper re-entered from inside the initialisation (malloc interposers...)
 * sees an empty configuration instead of deadlocking.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "state.h"
#include "cr_exec.h"
#include "cr_path.h"
#include "cr_sys.h"

/* ---------------------------------------------------------------- dlsym
 * Pin dlsym/dlvsym to the oldest version, so a library built against a new
 * glibc (where they moved to libc as GLIBC_2.34) still loads in old roots.
 * CRP_GLIBC_BASE is also the version of compat-only symbols (__xstat in
 * glibc >= 2.33), which plain dlsym does not return. */
#if defined(__x86_64__) && !defined(__ILP32__)
#  define CRP_GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#  define CRP_GLIBC_BASE "GLIBC_2.17"
#elif defined(__arm__)
#  define CRP_GLIBC_BASE "GLIBC_2.4"
#elif defined(__i386__)
#  define CRP_GLIBC_BASE "GLIBC_2.0"
#  define CRP_DLVSYM_BASE "GLIBC_2.1"
#endif
#ifdef CRP_GLIBC_BASE
#  ifndef CRP_DLVSYM_BASE
#    define CRP_DLVSYM_BASE CRP_GLIBC_BASE
#  endif
__asm__(".symver dlsym,dlsym@" CRP_GLIBC_BASE);
__asm__(".symver dlvsym,dlvsym@" CRP_DLVSYM_BASE);
#endif

/* ---------------------------------------------------------------- state */
enum { CRP_UNINIT = 0, CRP_INITIALISING = 1, CRP_READY = 2 };

/* Initialisation runs once per process, in two parts: what translating
 * paths needs (the root, binds, qemu or not, logging), then, at the first
 * exec or query that needs it, what running programs needs (command
 * substitutions, the environment snapshot, PATH, qemu settings).  The
 * split matters in a guest, where each part's code is translated afresh
 * in every process: most processes hand the library paths, fewer exec. */
struct crp_once {
	int state;                             /* atomic: CRP_* above */
	long tid;                              /* thread running it */
};
static struct crp_once crp_path_once, crp_exec_once;
static const struct cr_config *crp_cfg;        /* atomic pointer */
static struct cr_config crp_cfg_initial;       /* the load-time config */
static const struct cr_config crp_cfg_empty = { .root = "" }; /* pass through */

static struct cr_env_snapshot crp_snap;

static const struct cr_arch *crp_kernel;
static int crp_under_qemu;                     /* this build is foreign */
static const char *crp_host_path;              /* host PATH at load */
static const char *crp_stage_prefix;           /* CROSSROOT_STAGE_PREFIX */
static const char *const crp_no_args[] = { NULL };
static const char *const *crp_qargs = crp_no_args;
static int crp_native_ldr = 1;                /* CROSSROOT_NATIVE_LOADER */
static int crp_verbosity;
static const char *crp_logfile;                /* CROSSROOT_LOG, or NULL: stderr */

/* qemu per architecture row, found lazily (PATH search costs syscalls
 * that most processes never need) and cached once per row. */
#define CRP_MAX_ARCH 32
struct crp_qemu_slot {
	int state;                     /* atomic: CRP_* */
	int found;
	char path[PATH_MAX];
};
static struct crp_qemu_slot crp_qemu[CRP_MAX_ARCH];

extern char **environ;

static long crp_gettid(void)
{
	return syscall(SYS_gettid);
}

/* ---------------------------------------------------------- start env
 * The variables the library reads, copied at load: the kept ones
 * (cr_env_is_kept: CROSSROOT_*, FAKECHROOT*, LD_PRELOAD...) and PATH.
 * Copied, because a program may reuse its initial environment's memory
 * (setproctitle, perl's $0) or edit its environment before the library
 * first looks.  The copy is a loop over environ into a static arena, no
 * libc call, so that a guest process pays almost nothing at load; the
 * configuration is built from it on first use (crp_init).  An empty
 * FAKECHROOT_CMD_ORIG (chroot.fakechroot starting the real chroot) is left
 * out: it means "not a substitute", and is dropped from the environment
 * too, so that this process's children substitute again. */
#define CRP_START_ARENA 32768
static char crp_start_arena[CRP_START_ARENA];
static size_t crp_start_used;
static const char *crp_start[CR_ENV_MAX_KEEP + 2];   /* NULL-terminated */
static size_t crp_nstart;
static int crp_start_taken;                          /* atomic */

static const char *crp_start_copy(const char *e)
{
	size_t n = 0;
	while (e[n] != '\0')
		n++;
	if (n + 1 > CRP_START_ARENA - crp_start_used)
		return strdup(e);        /* a huge environment: rare */
	char *c = crp_start_arena + crp_start_used;
	for (size_t i = 0; i <= n; i++)
		c[i] = e[i];
	crp_start_used += n + 1;
	return c;
}

static int crp_is_name(const char *e, const char *name)
{
	while (*name != '\0')
		if (*e++ != *name++)
			return 0;
	return *e == '=';
}

static void crp_take_start_env(void)
{
	int drop_orig = 0;
	if (__atomic_exchange_n(&crp_start_taken, 1, __ATOMIC_ACQ_REL))
		return;
	for (char **e = environ; e && *e && crp_nstart < CR_ENV_MAX_KEEP + 1; e++) {
		if (!cr_env_is_kept(*e) && !crp_is_name(*e, "PATH"))
			continue;
		if (crp_is_name(*e, "FAKECHROOT_CMD_ORIG") && (*e)[20] == '\0') {
			drop_orig = 1;
			continue;
		}
		const char *c = crp_start_copy(*e);
		if (c)
			crp_start[crp_nstart++] = c;
	}
	crp_start[crp_nstart] = NULL;
	if (drop_orig)
		unsetenv("FAKECHROOT_CMD_ORIG");
}

static const char *crp_getenv_now(const char *name)
{
	return getenv(name);
}

/* The value of NAME in the start environment (first definition), or NULL. */
static const char *crp_start_get(const char *name)
{
	for (size_t i = 0; i < crp_nstart; i++)
		if (crp_is_name(crp_start[i], name)) {
			const char *v = crp_start[i];
			while (*v != '=')
				v++;
			return v + 1;
		}
	return NULL;
}

/* "libcrossroot: ignoring VAR entry 'x': why" on stderr, one write. */
static void crp_warn_entry(const char *var, const char *entry, size_t len,
                           const char *why)
{
	char buf[1024];
	int n = snprintf(buf, sizeof buf,
	                 "libcrossroot: ignoring %s entry '%.*s': %s\n",
	                 var, (int)(len > 512 ? 512 : len), entry, why);
	if (n > 0)
		cr_sys_write(2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static const char *crp_bind_why(int err, const char *entry, size_t len)
{
	if (err == E2BIG)
		return "too many binds";
	if (len == 0)
		return "empty entry";
	const char *colon = memchr(entry, ':', len);
	if (entry[0] != '/' || (colon && (colon + 1 == entry + len || colon[1] != '/')))
		return "must be absolute";
	if (colon && colon + 2 == entry + len)
		return "cannot bind over the root '/'";
	if (err == ENAMETOOLONG)
		return "path too long";
	return "invalid entry";
}

static const char *crp_subst_why(int err, const char *entry, size_t len)
{
	if (err == E2BIG)
		return "too many substitutions";
	if (len == 0)
		return "empty entry";
	if (!memchr(entry, '=', len))
		return "expected GUESTPATH=HOSTPROG";
	if (entry[0] != '/')
		return "guest path must be absolute";
	return "invalid entry";
}

/* Feed a separator-split list to a parser one entry at a time, so one
 * bad entry is reported and skipped while the others still apply. */
static void crp_parse_list(struct cr_config *cfg, const char *var, const char *spec,
                           char sep,
                           int (*parse)(struct cr_config *, const char *, const char **),
                           const char *(*why)(int, const char *, size_t))
{
	const char *p = spec;
	for (;;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 || end) {
			char *entry = strndup(p, len);
			const char *bad = NULL;
			int err = entry ? parse(cfg, entry, &bad) : ENOMEM;
			if (err)
				crp_warn_entry(var, p, len, why(err, p, len));
			free(entry);
		}
		if (!end)
			break;
		p = end + 1;
	}
}

static int crp_root_from(struct cr_config *cfg, const char *var, const char *val)
{
	int err = cr_config_set_root(cfg, val);   /* copies */
	if (err) {
		char buf[1024];
		int n = snprintf(buf, sizeof buf,
		                 "libcrossroot: ignoring %s '%.512s': %s\n", var, val,
		                 val[0] != '/' ? "must be absolute" : strerror(err));
		if (n > 0)
			cr_sys_write(2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
		cfg->root = "";
		cfg->rootlen = 0;
	}
	return err;
}

static void crp_snapshot_env(void)
{
	char *list[CR_ENV_MAX_KEEP + 1];
	size_t n = 0;
	for (size_t i = 0; i < crp_nstart && n < CR_ENV_MAX_KEEP; i++)
		if (cr_env_is_kept(crp_start[i]))
			list[n++] = (char *)crp_start[i];
	list[n] = NULL;
	cr_env_snapshot(&crp_snap, list);
}

static void crp_split_qemu_args(const char *s)
{
	if (!s || !*s)
		return;
	size_t words = 0;
	for (const char *p = s; *p; ) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		words++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
	}
	const char **v = calloc(words + 1, sizeof *v);
	if (!v)
		return;
	size_t i = 0;
	for (const char *p = s; *p && i < words; ) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		const char *b = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (p > b)
			v[i++] = strndup(b, (size_t)(p - b));
		if (i && !v[i - 1])
			return;  /* out of memory: keep the default (no args) */
	}
	v[i] = NULL;
	crp_qargs = v;
}

/* The directory of crossroot's helper programs (crossroot-ldconfig,
 * crossroot-chroot): next to the <triplet>/ directory of this library,
 * i.e. DIR of DIR/<triplet>/libcrossroot.so.  0, or -1 when unknown. */
struct crp_self_obj {
	uintptr_t addr;
	const char *name;
};
static int crp_find_self(struct dl_phdr_info *info, size_t size, void *data)
{
	struct crp_self_obj *s = data;
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && s->addr >= lo && s->addr - lo < ph->p_memsz) {
			s->name = info->dlpi_name;
			return 1;
		}
	}
	return 0;
}

/* This library's file name from the loader's list of objects: under qemu
 * dladdr (a scan of every symbol) cost a tenth of a guest /bin/true's
 * emulated instructions; dl_iterate_phdr looks at a few headers. */
static int crp_helper_dir(char *out, size_t outsz)
{
	struct crp_self_obj self = { (uintptr_t)(void *)crp_helper_dir, NULL };
	dl_iterate_phdr(crp_find_self, &self);
	if (!self.name || self.name[0] != '/' || strlen(self.name) >= outsz)
		return -1;
	strcpy(out, self.name);
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(out, '/');
		if (!slash || slash == out)
			return -1;
		*slash = '\0';
	}
	return 0;
}

/* The default command substitutions, added behind the user's entries
 * (the first match wins, so CROSSROOT_CMD_SUBST overrides them): the
 * root's ldconfig (static in Debian: it would get no preload and write
 * the host's cache) -> crossroot-ldconfig, which runs it with -r ROOT. */
static void crp_default_subst(struct cr_config *cfg)
{
	static const char *const guests[] = {
		"/sbin/ldconfig", "/usr/sbin/ldconfig",
		"/sbin/ldconfig.real", "/usr/sbin/ldconfig.real",
	};
	static const char helper_name[] = "/crossroot-ldconfig";
	char helper[PATH_MAX], entry[2 * PATH_MAX];
	size_t hl;
	if (crp_helper_dir(helper, sizeof helper) != 0 ||
	    (hl = strlen(helper)) + sizeof helper_name > sizeof helper)
		return;
	memcpy(helper + hl, helper_name, sizeof helper_name);
	hl += sizeof helper_name - 1;
	if (cr_sys_faccessat(AT_FDCWD, helper, X_OK) != 0)
		return;
	/* "GUEST=HELPER", built by hand: no printf at start (under qemu its
	 * code is a good part of what a new process translates). */
	for (size_t i = 0; i < sizeof guests / sizeof guests[0]; i++) {
		const char *bad = NULL;
		size_t gl = strlen(guests[i]);
		if (cr_config_subst_for(cfg, guests[i]) != NULL)
			continue;
		memcpy(entry, guests[i], gl);
		entry[gl] = '=';
		memcpy(entry + gl + 1, helper, hl + 1);
		cr_config_parse_subst(cfg, entry, &bad);
	}
}

/* fakechroot's interface (cr_config.h).  FAKECHROOT_DETECT: a program
 * started with it set prints "fakechroot VERSION" and exits with its
 * value as status, as libfakechroot does; tools probe for fakechroot so
 * (mmdebstrap runs "echo" with FAKECHROOT_DETECT=0). */
static void crp_fakechroot_detect(void)
{
	const char *d = crp_start_get("FAKECHROOT_DETECT");
	if (!d)
		return;
	static const char line[] = "fakechroot " CR_FAKECHROOT_VERSION "\n";
	if (cr_sys_write(1, line, sizeof line - 1) < 0) {
		/* nothing more to do: the status still tells */
	}
	_exit(atoi(d));
}

/* FAKECHROOT_CMD_SUBST entries need the helper directory (chroot.fakechroot
 * -> crossroot-chroot...); crp_parse_list takes a three-argument parser. */
static const char *crp_fc_helperdir;
static int crp_parse_fc_subst(struct cr_config *cfg, const char *spec, const char **bad)
{
	return cr_config_parse_fakechroot_subst(cfg, spec, crp_fc_helperdir, bad);
}

static const char *crp_exclude_why(int err, const char *entry, size_t len)
{
	(void)len;
	if (err == E2BIG)
		return "too many binds";
	if (entry[0] != '/')
		return "must be absolute";
	return err == EINVAL ? "cannot exclude the root '/'" : "invalid entry";
}

/* The user's binds of a fake root: CROSSROOT_BIND, then the paths of
 * FAKECHROOT_EXCLUDE_PATH (binds of the same path).  At start (from the
 * start environment), and when a faked chroot(2) enters a root from none
 * (crossroot --env, crossroot-fakechroot: from the current one). */
static void crp_user_binds(struct cr_config *cfg, const char *(*get)(const char *))
{
	const char *binds = get("CROSSROOT_BIND");
	if (binds && *binds)
		crp_parse_list(cfg, "CROSSROOT_BIND", binds, ',',
		               cr_config_parse_binds, crp_bind_why);
	const char *excl = get("FAKECHROOT_EXCLUDE_PATH");
	if (excl && *excl)
		crp_parse_list(cfg, "FAKECHROOT_EXCLUDE_PATH", excl, ':',
		               cr_config_parse_exclude, crp_exclude_why);
}

/* FAKECHROOT_ELFLOADER and FAKECHROOT_ELFLOADER_OPT_ARGV0, at start. */
static const char *crp_elfldr, *crp_elfldr_argv0;

static void crp_do_init(void)
{
	crp_take_start_env();     /* (done by the constructor unless another
	                           * library's constructor came first) */
	crp_fakechroot_detect();
	struct cr_config *cfg = &crp_cfg_initial;
	const char *root = crp_start_get("CROSSROOT_ROOT");
	const char *rootvar = "CROSSROOT_ROOT";
	if (!root || !*root) {
		root = crp_start_get("FAKECHROOT_BASE");
		rootvar = "FAKECHROOT_BASE";
	}
	cfg->root = "";
	cfg->rootlen = 0;
	if (root && *root)
		crp_root_from(cfg, rootvar, root);
	crp_kernel = cr_arch_kernel(crp_start_get("CROSSROOT_HOST_ARCH"));
	crp_under_qemu = cr_arch_self() != NULL && crp_kernel != NULL &&
	                 cr_arch_self() != crp_kernel;
	cr_sys_link_probe(crp_under_qemu);
	/* qemu-user before 9.1 has no openat2 for guests: ask once now
	 * ("" fails with ENOENT where there is one; ENOSYS switches the fast
	 * path off), so that the first path call does not run the fast
	 * path's lexical half for nothing -- code qemu would translate in
	 * every process (about 40 blocks). */
	if (crp_under_qemu)
		(void)cr_sys_openat2_nolinks(AT_FDCWD, "", O_PATH | O_CLOEXEC, 0);
	if (cfg->rootlen) {
		cr_config_default_binds(cfg);
		crp_user_binds(cfg, crp_start_get);
		int err = cr_resolve_binds(cfg, &cr_sys_fsops);
		if (err) {
			char buf[256];
			int n = snprintf(buf, sizeof buf,
			                 "libcrossroot: cannot resolve the bind guest paths in the root: %s\n",
			                 strerror(err));
			if (n > 0)
				cr_sys_write(2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
		}
	}

	const char *v = crp_start_get("CROSSROOT_VERBOSE");
	crp_verbosity = v ? atoi(v) : 0;
	const char *logf = crp_start_get("CROSSROOT_LOG");
	if (crp_verbosity > 0 && logf && *logf)
		crp_logfile = logf;
	__atomic_store_n(&crp_cfg, (const struct cr_config *)cfg, __ATOMIC_RELEASE);
}

/* The exec part (see struct crp_once): it completes the load-time config
 * (its command substitutions are read only by exec planning, after this
 * part is done; crp_set_root copies the config after it too). */
static void crp_do_exec_init(void)
{
	struct cr_config *cfg = &crp_cfg_initial;
	const char *subst = crp_start_get("CROSSROOT_CMD_SUBST");
	if (subst && *subst)
		crp_parse_list(cfg, "CROSSROOT_CMD_SUBST", subst, ':',
		               cr_config_parse_subst, crp_subst_why);
	/* FAKECHROOT_CMD_SUBST, unless this process is a substitute run the
	 * fakechroot way (FAKECHROOT_CMD_ORIG set): its execs are not
	 * substituted again; an empty FAKECHROOT_CMD_ORIG (chroot.fakechroot
	 * starting the real chroot) is dropped, so its children substitute. */
	const char *orig = crp_start_get("FAKECHROOT_CMD_ORIG");
	const char *fsubst = crp_start_get("FAKECHROOT_CMD_SUBST");
	if (!orig && fsubst && *fsubst) {
		char hdir[PATH_MAX];
		crp_fc_helperdir = crp_helper_dir(hdir, sizeof hdir) == 0 ? hdir : NULL;
		crp_parse_list(cfg, "FAKECHROOT_CMD_SUBST", fsubst, ':',
		               crp_parse_fc_subst, crp_subst_why);
		crp_fc_helperdir = NULL;
	}
	crp_default_subst(cfg);
	const char *el = crp_start_get("FAKECHROOT_ELFLOADER");
	if (el && el[0] == '/') {
		crp_elfldr = strdup(el);
		const char *ea = crp_start_get("FAKECHROOT_ELFLOADER_OPT_ARGV0");
		crp_elfldr_argv0 = ea && *ea ? strdup(ea) : NULL;
	}

	crp_snapshot_env();
	const char *path = crp_start_get("PATH");
	crp_host_path = path ? strdup(path) : NULL;
	const char *sp = crp_start_get("CROSSROOT_STAGE_PREFIX");
	crp_stage_prefix = sp && *sp ? strdup(sp) : NULL;
	crp_split_qemu_args(crp_start_get("CROSSROOT_QEMU_ARGS"));
	/* Native programs of the root run under the root's loader unless
	 * CROSSROOT_NATIVE_LOADER=0 (see cr_exec.h). */
	const char *nl = crp_start_get("CROSSROOT_NATIVE_LOADER");
	crp_native_ldr = !(nl && strcmp(nl, "0") == 0);
}

/* Run fn once for the process (o's state goes UNINIT -> INITIALISING ->
 * READY); a caller that finds it under way waits, unless it is the very
 * thread running it (a wrapper called from inside), or that thread is
 * not in this process: forked (by a path that is not our fork wrapper,
 * which initialises first) from a multithreaded process while another
 * thread ran it -- possible in a guest, where initialisation is lazy.
 * Nobody will finish it here: reset() and start over (what the other
 * thread allocated is left behind). */
static void crp_once_run(struct crp_once *o, void (*fn)(void), void (*reset)(void))
{
	int expect = CRP_UNINIT;
	if (__atomic_compare_exchange_n(&o->state, &expect, CRP_INITIALISING, 0,
	                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		int saved = errno;
		__atomic_store_n(&o->tid, crp_gettid(), __ATOMIC_RELAXED);
		fn();
		__atomic_store_n(&o->state, CRP_READY, __ATOMIC_RELEASE);
		errno = saved;
		return;
	}
	unsigned spins = 0;
	int saved = errno;
	while (__atomic_load_n(&o->state, __ATOMIC_ACQUIRE) != CRP_READY) {
		long owner = __atomic_load_n(&o->tid, __ATOMIC_RELAXED);
		if (owner == crp_gettid())
			break;
		if (++spins % 256 == 0 && owner > 0 &&
		    syscall(SYS_tgkill, (long)syscall(SYS_getpid), owner, 0) == -1 &&
		    errno == ESRCH) {
			int st = CRP_INITIALISING;
			if (__atomic_compare_exchange_n(&o->state, &st, CRP_UNINIT, 0,
			                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				reset();
			crp_once_run(o, fn, reset);
			break;
		}
		syscall(SYS_sched_yield);
	}
	errno = saved;
}

static void crp_reset_path(void)
{
	memset(&crp_cfg_initial, 0, sizeof crp_cfg_initial);
}

static void crp_reset_exec(void)
{
	crp_cfg_initial.nsubst = 0;
	crp_snap.nkeep = 0;
}

static void crp_init(void)
{
	crp_once_run(&crp_path_once, crp_do_init, crp_reset_path);
}

/* The exec part, after the path part. */
static void crp_ensure_exec_init(void)
{
	if (__atomic_load_n(&crp_exec_once.state, __ATOMIC_ACQUIRE) == CRP_READY)
		return;
	if (__atomic_load_n(&crp_path_once.state, __ATOMIC_ACQUIRE) != CRP_READY)
		crp_init();
	crp_once_run(&crp_exec_once, crp_do_exec_init, crp_reset_exec);
}

/* At load: the start environment, and FAKECHROOT_DETECT's answer.  The
 * host build then initialises at once, both parts.  A guest build (under
 * qemu, where building the configuration costs milliseconds of
 * translation: a quarter of a guest /bin/true's time) does each part at
 * the first call that needs it: a program that never hands the library a
 * path never pays for either, one that never execs never pays for the
 * exec part (measured: a guest `test -e /etc`'s first path call cost
 * 3.2 ms with both parts, 2.0 ms with the path part alone). */
__attribute__((constructor))
static void crp_constructor(void)
{
	crp_take_start_env();
	crp_fakechroot_detect();
#ifndef CRP_GUEST_BUILD
	crp_ensure_exec_init();
#endif
}

const struct cr_config *crp_config(void)
{
	const struct cr_config *c = __atomic_load_n(&crp_cfg, __ATOMIC_ACQUIRE);
	if (__builtin_expect(c != NULL, 1))
		return c;
	crp_init();
	c = __atomic_load_n(&crp_cfg, __ATOMIC_ACQUIRE);
	return c ? c : &crp_cfg_empty;
}

const struct cr_config *crp_exec_config(void)
{
	crp_ensure_exec_init();
	return crp_config();
}

static void crp_ensure_init(void)
{
	if (__atomic_load_n(&crp_path_once.state, __ATOMIC_ACQUIRE) != CRP_READY)
		crp_init();
}

const struct cr_env_snapshot *crp_env(void)
{
	crp_ensure_exec_init();
	return &crp_snap;
}

const struct cr_arch *crp_kernel_arch(void)
{
	crp_ensure_init();
	return crp_kernel ? crp_kernel : cr_arch_kernel(NULL);
}

/* ---------------------------------------------------------------- chroot */

/* Replace (or add) NAME=value in the environment snapshot. */
static void crp_snap_set(const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	char *s = malloc(nl + vl + 2);
	if (!s)
		return;
	memcpy(s, name, nl);
	s[nl] = '=';
	memcpy(s + nl + 1, value, vl + 1);
	size_t n = __atomic_load_n(&crp_snap.nkeep, __ATOMIC_ACQUIRE);
	for (size_t i = 0; i < n; i++) {
		const char *k = crp_snap.keep[i];
		if (strncmp(k, name, nl) == 0 && k[nl] == '=') {
			__atomic_store_n(&crp_snap.keep[i], (const char *)s, __ATOMIC_RELEASE);
			return;  /* the old string is left alive: readers may hold it */
		}
	}
	if (n < CR_ENV_MAX_KEEP) {
		__atomic_store_n(&crp_snap.keep[n], (const char *)s, __ATOMIC_RELEASE);
		__atomic_store_n(&crp_snap.nkeep, n + 1, __ATOMIC_RELEASE);
	} else {
		free(s);
	}
}

int crp_set_root(const char *hostroot)
{
	crp_ensure_exec_init();   /* the copy carries the substitutions */
	const struct cr_config *old = crp_config();
	struct cr_config *cfg = malloc(sizeof *cfg);
	if (!cfg)
		return ENOMEM;
	*cfg = *old;              /* bind and subst strings live forever */
	int err = cr_config_set_root(cfg, hostroot);   /* copies */
	if (err) {
		free(cfg);
		return err;
	}
	if (old->rootlen == 0 && cfg->rootlen != 0) {
		cr_config_default_binds(cfg);
		crp_user_binds(cfg, crp_getenv_now);
	}
	/* Bind guest paths resolve through symlinks of the new root. */
	err = cr_resolve_binds(cfg, &cr_sys_fsops);
	if (err) {
		free(cfg);
		return err;
	}
	const char *val = cfg->rootlen ? cfg->root : "/";
	/* The previous snapshot stays allocated: a concurrent reader may use it. */
	__atomic_store_n(&crp_cfg, (const struct cr_config *)cfg, __ATOMIC_RELEASE);
	if (setenv("CROSSROOT_ROOT", val, 1) != 0)
		return errno;
	if (getenv("FAKECHROOT_BASE"))
		setenv("FAKECHROOT_BASE", val, 1);
	crp_snap_set("CROSSROOT_ROOT", val);
	return 0;
}

/* ---------------------------------------------------------------- dlsym */
void *crp_next(void *volatile *slot, const char *name)
{
	void *fn = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (__builtin_expect(fn != NULL, 1))
		return fn;
	int saved = errno;
	fn = dlsym(RTLD_NEXT, name);
#ifdef CRP_GLIBC_BASE
	/* Compat-only symbols (__xstat & co. since glibc 2.33) are invisible
	 * to dlsym: ask for the base version explicitly. */
	if (!fn)
		fn = dlvsym(RTLD_NEXT, name, CRP_GLIBC_BASE);
#endif
	if (fn)
		__atomic_store_n(slot, fn, __ATOMIC_RELEASE);
	errno = saved;
	return fn;
}

/* ---------------------------------------------------------------- paths */
static size_t crp_strlcpy(char *out, const char *in, size_t outsz)
{
	size_t n = strlen(in);
	if (n >= outsz)
		return n;
	memcpy(out, in, n + 1);
	return n;
}

int crp_guest_cwd(char *out, size_t outsz)
{
	char host[PATH_MAX];
	int n = cr_sys_getcwd(host, sizeof host);
	if (n < 0)
		return -n;
	int r = cr_unmap(crp_config(), host, out, outsz);
	return r == 1 ? 0 : r;
}

int crp_unmap(const char *host, char *out, size_t outsz)
{
	char tmp[PATH_MAX];
	if (out == host) {
		if (crp_strlcpy(tmp, host, sizeof tmp) >= sizeof tmp)
			return ENAMETOOLONG;
		host = tmp;
	}
	int r = cr_unmap(crp_config(), host, out, outsz);
	return r == 1 ? 0 : r;
}

/* The guest directory a relative path starts from, in base.  Returns 0, or
 * 1 when the directory is outside the root (and every bind), or cannot be
 * named: the caller then hands the path to the kernel unchanged, with the
 * host's semantics (as a real chroot leaves a cwd outside it). */
static int crp_base_dir(const struct cr_config *cfg, int dirfd, char *base)
{
	char host[PATH_MAX];
	if (dirfd == AT_FDCWD) {
		int n = cr_sys_getcwd(host, sizeof host);
		if (n < 0)
			return 1;
	} else {
		char link[32];
		snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
		ssize_t n = cr_sys_readlinkat(AT_FDCWD, link, host, sizeof host - 1);
		if (n <= 0 || (size_t)n >= sizeof host - 1)
			return 1;
		host[n] = '\0';
	}
	if (host[0] != '/')
		return 1;
	int r = cr_unmap(cfg, host, base, PATH_MAX);
	return r == 0 ? 0 : 1;
}

/* Under qemu-user, -L ROOT makes qemu try ROOT/PATH first for the paths
 * of open/openat/stat/readlink: a host path this library produced for a
 * bind (/dev/null) would land on ROOT/dev/null when that exists.  Such a
 * path is handed over as /proc/self/root/PATH instead, which the kernel
 * resolves to PATH and which qemu does not find under ROOT (ROOT/proc is
 * the mount point of the /proc bind, not a procfs; were it one, it would
 * lead to the same file).  Never for a process's own /proc entries
 * (/proc/self/..., /proc/PID/..., /proc/thread-self/...): qemu must see
 * /proc/self/cmdline, maps, exe and friends as they are to fake them, and
 * ROOT/proc/self exists only when ROOT/proc is the host's procfs or a
 * symlink to /proc (as debootstrap leaves it under fakeroot), which
 * leads to the same files.  Other /proc paths only when ROOT/PATH exists,
 * as qemu checks.  Any other path always (qemu fakes nothing else, and
 * its cache of ROOT/PATH outlives a later change of ROOT): no check per
 * call, which a shell loop such as debootstrap's `yes` (`while echo
 * "$YES" 2>/dev/null`, 65536 rounds to fill a pipe) paid on every
 * redirection -- provided /proc/self/root works at all (checked once per
 * process; without a mounted /proc, only when ROOT/PATH exists, as
 * before).  Paths inside the root (ROOT/...) need nothing: ROOT/ROOT/...
 * does not exist. */
static int crp_proc_own(const char *p)
{
	/* p follows "/proc/" */
	if (strncmp(p, "self", 4) == 0 && (p[4] == '\0' || p[4] == '/'))
		return 1;
	if (strncmp(p, "thread-self", 11) == 0 && (p[11] == '\0' || p[11] == '/'))
		return 1;
	size_t d = 0;
	while (p[d] >= '0' && p[d] <= '9')
		d++;
	return d > 0 && (p[d] == '\0' || p[d] == '/');
}

/* 1 when /proc/self/root leads to "/" (a procfs is mounted), checked once. */
static int crp_proc_root_works(void)
{
	static int state;               /* atomic: 0 unknown, 1 yes, 2 no */
	int s = __atomic_load_n(&state, __ATOMIC_RELAXED);
	if (s == 0) {
		s = cr_sys_isdir(AT_FDCWD, "/proc/self/root/") == 1 ? 1 : 2;
		__atomic_store_n(&state, s, __ATOMIC_RELAXED);
	}
	return s == 1;
}

static int crp_qemu_guard(const struct cr_config *cfg, char *out)
{
	static const char pre[] = "/proc/self/root";
	if (out[0] != '/' || cr_host_in_root(cfg, out))
		return 0;
	size_t n = strlen(out);
	if (cfg->rootlen + n + 1 > PATH_MAX || n + sizeof pre > PATH_MAX)
		return ENAMETOOLONG;
	int in_proc = strncmp(out, "/proc", 5) == 0 && (out[5] == '\0' || out[5] == '/');
	if (in_proc && out[5] == '/' && crp_proc_own(out + 6))
		return 0;
	if (in_proc || !crp_proc_root_works()) {
		char shadow[PATH_MAX];
		memcpy(shadow, cfg->root, cfg->rootlen);
		memcpy(shadow + cfg->rootlen, out, n + 1);
		if (cr_sys_faccessat(AT_FDCWD, shadow, F_OK) != 0)
			return 0;
	}
	memmove(out + sizeof pre - 1, out, n + 1);
	memcpy(out, pre, sizeof pre - 1);
	return 0;
}

/* CRP_REL_OK: may the relative path go to the kernel unchanged?  One
 * component, not "..", not the last component of a bind's guest path (the
 * resolver would switch to the bind's host path there), and, when a final
 * symlink is followed, not a symlink: readlinkat relative to dirfd answers
 * that for the very file the resolver would read (a missing name, or one
 * whose directory cannot be searched, fails the same way in both).  Costs
 * at most that one readlink instead of the base lookup plus a readlink. */
static int crp_rel_passthrough(const struct cr_config *cfg, int dirfd,
                               const char *path, size_t len, int flags)
{
	if (memchr(path, '/', len) || (len == 2 && path[0] == '.' && path[1] == '.'))
		return 0;
	for (size_t i = 0; i < cfg->nbinds; i++) {
		const struct cr_bind *b = &cfg->binds[i];
		if (b->guestlen > len && b->guest[b->guestlen - len - 1] == '/' &&
		    memcmp(b->guest + b->guestlen - len, path, len) == 0)
			return 0;
	}
	if (!(flags & CR_FOLLOW))
		return 1;
	char c;
	return cr_sys_readlinkat(dirfd, path, &c, 1) < 0;
}

/* The openat2 fast path.  The resolver reads every guest component with
 * one readlink: a depth-5 path costs 5-6 system calls before the real one.
 * Most paths hold no symlink at all; for them the lexical walk (the
 * resolver told that nothing is a symlink: no system call) gives the same
 * host path, and one openat2(RESOLVE_NO_SYMLINKS) + close proves it: it
 * succeeds only when every component of that host path exists and none
 * is a symlink (the last one excepted with O_NOFOLLOW, which is exactly
 * when the resolver would not read it).  Taken only when the input has no
 * ".." (after a symlink ".." is physical; here every step must be a
 * prefix of the output that openat2 checks) and the output lies in the
 * root outside every bind (the resolver does not read bind paths, and
 * the in-root components before a bind's top would not be checked).  Any
 * failure (ELOOP at a symlink, a missing component, EACCES...) falls back
 * to the component walk, which decides.  Kernels without openat2 (< 5.6)
 * and qemu-user, which returns ENOSYS for it, switch it off for the
 * process, as does EPERM (seccomp filters). */

static ssize_t crp_nolink(void *ud, const char *hostpath, char *buf, size_t bufsz)
{
	(void)ud; (void)hostpath; (void)buf; (void)bufsz;
	return -EINVAL;                        /* "exists, not a symlink" */
}
static const struct cr_fsops crp_lexical_ops = { .readlink = crp_nolink };

/* The lexical half of the fast path: 0 with out set to the host path the
 * resolver would give were no component a symlink, when the fast path may
 * be tried at all (no "..", in the root, outside every bind), else 1. */
static int crp_fast_lexical(const struct cr_config *cfg, const char *base,
                            const char *path, int flags, char *out)
{
	if (!cr_sys_openat2_usable())
		return 1;
	for (const char *c = path; *c; ) {    /* a ".." component? */
		while (*c == '/')
			c++;
		const char *e = c;
		while (*e && *e != '/')
			e++;
		if (e - c == 2 && c[0] == '.' && c[1] == '.')
			return 1;
		c = e;
	}
	if (cr_resolve(cfg, &crp_lexical_ops, base, path, flags, out, PATH_MAX) != 0 ||
	    !cr_host_in_root(cfg, out))
		return 1;
	const char *g = out + cfg->rootlen;   /* the guest path: "" or "/..." */
	size_t gl = strlen(g);
	if (gl && g[gl - 1] == '/')
		gl--;                         /* CR_KEEP_SLASH */
	for (size_t i = 0; i < cfg->nbinds; i++) {
		const struct cr_bind *b = &cfg->binds[i];
		if ((gl >= b->guestlen && memcmp(g, b->guest, b->guestlen) == 0 &&
		     (gl == b->guestlen || g[b->guestlen] == '/')) ||
		    cr_host_in_root(cfg, b->host))   /* its output would pass for the root's */
			return 1;
	}
	return 0;
}

/* 0 with out set when the fast path applies (the lexical translation,
 * proved by one openat2 to cross no symlink), else 1. */
static int crp_fast_resolve(const struct cr_config *cfg, const char *base,
                            const char *path, int flags, char *out)
{
	if (crp_fast_lexical(cfg, base, path, flags, out) != 0)
		return 1;
	return cr_sys_fsops.nolinks(NULL, out, flags & CR_FOLLOW) == 0 ? 0 : 1;
}

int crp_fast_open(int dirfd, const char *path, int flags, int oflags, unsigned mode)
{
	const struct cr_config *cfg = crp_config();
	if (cfg->rootlen == 0 || path == NULL || path[0] == '\0' ||
	    !cr_sys_openat2_usable())
		return CRP_SLOW;
	size_t len = strlen(path);
	if (len >= PATH_MAX)
		return CRP_SLOW;
	if (path[len - 1] == '/')
		flags |= CR_FOLLOW;
	char out[PATH_MAX];
	const char *walk = out;
	if (path[0] == '/') {
		if (crp_fast_lexical(cfg, NULL, path, flags, out) != 0)
			return CRP_SLOW;
	} else {
		/* From the current directory only (a dirfd's place would cost
		 * a /proc readlink); the kernel walks the short relative path
		 * from it, which the lexical check has placed in the root. */
		char host[PATH_MAX], base[PATH_MAX];
		if (dirfd != AT_FDCWD || cr_sys_getcwd(host, sizeof host) < 0 ||
		    host[0] != '/' || !cr_host_in_root(cfg, host) ||
		    cr_unmap(cfg, host, base, sizeof base) != 0 ||
		    crp_fast_lexical(cfg, base, path, flags, out) != 0)
			return CRP_SLOW;
		walk = path;
	}
	if (!(flags & CR_FOLLOW))
		oflags |= O_NOFOLLOW;
	if (!(oflags & O_CREAT) && (oflags & O_TMPFILE) != O_TMPFILE)
		mode = 0;
	int fd = cr_sys_openat2_nolinks(AT_FDCWD, walk, oflags, mode & 07777);
	if (fd >= 0)
		return fd;
	/* A symlink (ELOOP), flags or mode open(2) would take but openat2
	 * refuses (EINVAL), no openat2, seccomp (EPERM, also a genuine answer
	 * the slow path then gives): the component walk decides.  Any other
	 * failure came before any symlink, on the very components the
	 * resolver would use: it is the answer. */
	if (fd == -ELOOP)
		return CRP_SLOW_LINK;
	if (fd == -EINVAL || fd == -EPERM || fd == -ENOSYS ||
	    fd == -E2BIG || fd == -EXDEV || fd == -EAGAIN)
		return CRP_SLOW;
	return fd;
}

int crp_resolve_at(int dirfd, const char *path, int flags, char *out)
{
	const struct cr_config *cfg = crp_config();
	if (path == NULL)
		return EFAULT;
	size_t len = strlen(path);
	if (len >= PATH_MAX)
		return ENAMETOOLONG;
	if (cfg->rootlen == 0 || len == 0) {
		/* No root, or "" (AT_EMPTY_PATH, or ENOENT from the kernel). */
		memcpy(out, path, len + 1);
		return 0;
	}
	/* A trailing '/' makes the kernel follow a final symlink even for
	 * lstat/unlink-like calls: resolve it inside the root too. */
	if (path[len - 1] == '/')
		flags |= CR_FOLLOW;
	/* (After CRP_NO_FAST a one-name path is the symlink met.) */
	if ((flags & CRP_REL_OK) && !(flags & CRP_NO_FAST) && path[0] != '/' &&
	    crp_rel_passthrough(cfg, dirfd, path, len, flags)) {
		memcpy(out, path, len + 1);
		return 0;
	}
	int fast = !(flags & CRP_NO_FAST);
	flags &= ~(CRP_REL_OK | CRP_NO_FAST);
	int r;
	if (path[0] == '/') {
		if (fast && crp_fast_resolve(cfg, NULL, path, flags, out) == 0)
			return 0;     /* in the root: no qemu guard needed */
		r = cr_resolve(cfg, &cr_sys_fsops, NULL, path, flags, out, PATH_MAX);
	} else {
		char base[PATH_MAX];
		if (crp_base_dir(cfg, dirfd, base) != 0) {
			memcpy(out, path, len + 1);
			return 0;
		}
		if (fast && crp_fast_resolve(cfg, base, path, flags, out) == 0)
			return 0;
		r = cr_resolve(cfg, &cr_sys_fsops, base, path, flags, out, PATH_MAX);
	}
	if (r == 0 && crp_under_qemu)
		r = crp_qemu_guard(cfg, out);
	return r;
}

/* ---------------------------------------------------------------- qemu */

int crp_emulated(void)
{
	crp_ensure_init();
	return crp_under_qemu;
}

/* The value of NAME in the environment snapshot, or NULL. */
static const char *crp_snap_get(const char *name)
{
	size_t nl = strlen(name);
	size_t n = __atomic_load_n(&crp_snap.nkeep, __ATOMIC_ACQUIRE);
	for (size_t i = 0; i < n; i++) {
		const char *k = __atomic_load_n(&crp_snap.keep[i], __ATOMIC_ACQUIRE);
		if (strncmp(k, name, nl) == 0 && k[nl] == '=')
			return k + nl + 1;
	}
	return NULL;
}

static void crp_fill_qemu(const struct cr_arch *a, char *out, int *found)
{
	char var[64];
	*found = 0;
	cr_arch_qemu_var(a, var, sizeof var);
	const char *v = crp_snap_get(var);
	if (!v)
		v = getenv(var);
	if (v && *v) {
		if (crp_strlcpy(out, v, PATH_MAX) < PATH_MAX)
			*found = 1;
		return;
	}
	*found = cr_exec_find_qemu(crp_host_path, a, out, PATH_MAX);
}

const char *crp_find_qemu(void *ud, const struct cr_arch *a)
{
	(void)ud;
	if (!a || !a->qemu)
		return NULL;
	crp_ensure_exec_init();
	size_t idx = (size_t)-1;
	for (size_t i = 0; i < cr_arch_count && i < CRP_MAX_ARCH; i++)
		if (&cr_arch_table[i] == a || strcmp(cr_arch_table[i].qemu ? cr_arch_table[i].qemu : "", a->qemu) == 0) {
			idx = i;
			break;
		}
	if (idx == (size_t)-1)
		return NULL;
	struct crp_qemu_slot *s = &crp_qemu[idx];
	int st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	if (st == CRP_READY)
		return s->found ? s->path : NULL;
	int expect = CRP_UNINIT;
	if (__atomic_compare_exchange_n(&s->state, &expect, CRP_INITIALISING, 0,
	                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		int found;
		crp_fill_qemu(a, s->path, &found);
		s->found = found;
		__atomic_store_n(&s->state, CRP_READY, __ATOMIC_RELEASE);
		return found ? s->path : NULL;
	}
	/* Another thread is searching, or was when this process was forked
	 * from a multithreaded one (then nobody will finish the slot here: a
	 * guest that forks plans an exec in one thread while the others fork,
	 * see crp_warm_exec), or a signal handler interrupted the search in
	 * this very thread.  Never wait: search again, into this thread's own
	 * buffer (the planner copies the path at once). */
	static __thread char mine[PATH_MAX];
	int found;
	crp_fill_qemu(a, mine, &found);
	return found ? mine : NULL;
}

const char *const *crp_qemu_args(void)
{
	crp_ensure_exec_init();
	return crp_qargs;
}

const char *crp_qemu_prefix(const struct cr_arch *a, char *buf, size_t bufsz)
{
	crp_ensure_exec_init();
	if (!crp_stage_prefix || !a || !a->qemu)
		return NULL;
	size_t pl = strlen(crp_stage_prefix), ql = strlen(a->qemu);
	if (pl + 1 + ql + 1 > bufsz)
		return NULL;
	memcpy(buf, crp_stage_prefix, pl);
	buf[pl] = '/';
	memcpy(buf + pl + 1, a->qemu, ql + 1);
	return buf;
}

int crp_native_loader(void)
{
	crp_ensure_exec_init();
	return crp_native_ldr;
}

int crp_allow_static(void)
{
	crp_ensure_exec_init();
	const char *v = crp_snap_get("CROSSROOT_ALLOW_STATIC");
	return v != NULL && strcmp(v, "1") == 0;
}

int crp_preload_all(void)
{
	crp_ensure_exec_init();
	const char *v = crp_snap_get("CROSSROOT_PRELOAD_ALL");
	return v != NULL && strcmp(v, "1") == 0;
}

const char *crp_elfloader(void)
{
	crp_ensure_exec_init();
	return crp_elfldr;
}

const char *crp_elfloader_argv0(void)
{
	crp_ensure_exec_init();
	return crp_elfldr_argv0;
}

const char *crp_native_libpath(void)
{
	crp_ensure_exec_init();
	return crp_snap_get("CROSSROOT_LIBPATH");
}

/* ---------------------------------------------------------------- log */
int crp_verbose(void)
{
	crp_ensure_init();
	return crp_verbosity;
}

void crp_log(int level, const char *fmt, ...)
{
	if (crp_verbose() < level)
		return;
	int saved = errno;
	char buf[2048];
	int n = snprintf(buf, sizeof buf, "libcrossroot[%ld]: ", (long)syscall(SYS_getpid));
	if (n < 0)
		n = 0;
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof buf - 2)
		len = sizeof buf - 2;
	buf[len++] = '\n';
	/* The log file is opened for each line: a descriptor kept open would
	 * take a number the program may then use for its own ends (debconf's
	 * protocol runs over fd 3), and our lines would land in its stream. */
	if (crp_logfile) {
		int fd = cr_sys_openat(AT_FDCWD, crp_logfile,
		                       O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd >= 0) {
			cr_sys_write(fd, buf, len);
			cr_sys_close(fd);
		}
	} else {
		cr_sys_write(2, buf, len);
	}
	errno = saved;
}
