/* crossroot.c - the crossroot command: run a command inside a root file
 * system of any architecture, as chroot(8) would, without privileges.
 *
 * It resolves NEWROOT, works out the root's architecture from its /bin/sh
 * (or the command), checks that everything a foreign root needs is there
 * (qemu, the guest build of libcrossroot, a guest libfakeroot under
 * fakeroot), sets up the environment contract libcrossroot reads
 * (CROSSROOT_*, LD_PRELOAD, LD_LIBRARY_PATH), changes to the start
 * directory and execs the command through the core's exec planner, so the
 * first program is run exactly as the library would run it.  With --env no
 * root is entered: the environment is set up with CROSSROOT_ROOT=/ so that a
 * later chroot(2), faked by the library, enters one.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cr_arch.h"
#include "cr_config.h"
#include "cr_elf.h"
#include "cr_env.h"
#include "cr_exec.h"
#include "cr_path.h"
#include "cr_reach.h"
#include "cr_sys.h"
#include "cli_util.h"

#define PROG "crossroot"
#define EXIT_CANCELED 125     /* crossroot itself failed (as chroot(8)) */
#define EXIT_CANNOT_INVOKE 126
#define EXIT_ENOENT 127
#define MAX_QEMU_ARGS 30

extern char **environ;

/* ------------------------------------------------------------ options */
struct bindopt {
	char host[PATH_MAX];
	char guest[PATH_MAX];
};

static struct {
	struct bindopt binds[CR_MAX_BINDS];
	size_t nbinds;
	const char *cwd;
	const struct cr_arch *arch;
	char qemu[PATH_MAX];            /* --qemu, absolute; "" when not given */
	const char *qemu_cpu;
	const char *qemu_opts[MAX_QEMU_ARGS];
	size_t nqemu_opts;
	int no_default_binds;
	int verbose;
	char log[PATH_MAX];
	int envmode;
} opt;

static int log_fd = -1;

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(status);
}

/* Verbose message: to the --log file when given, else stderr. */
static void __attribute__((format(printf, 2, 3)))
verbose(int level, const char *fmt, ...)
{
	if (opt.verbose < level)
		return;
	char line[2 * PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	if (log_fd >= 0) {
		char buf[sizeof line + 16];
		int m = snprintf(buf, sizeof buf, PROG ": %s\n", line);
		if (m > 0 && write(log_fd, buf, (size_t)m) < 0)
			log_fd = -1;
	} else {
		fprintf(stderr, PROG ": %s\n", line);
	}
}

static void usage(void)
{
	printf(
"Usage: crossroot [OPTION]... NEWROOT [COMMAND [ARG]...]\n"
"  or:  crossroot --env [OPTION]... [COMMAND [ARG]...]\n"
"Run COMMAND with NEWROOT as its root directory, like chroot(8), without\n"
"privileges and for a root of any architecture: foreign programs run under\n"
"qemu user emulation.  With no COMMAND, run \"$SHELL -i\" (/bin/sh -i when\n"
"$SHELL is not in the root).\n"
"\n"
"  -b, --bind=HOST[:GUEST]  show host path HOST at GUEST inside the root\n"
"                           (both absolute; GUEST defaults to HOST; repeatable)\n"
"  -w, --cwd=DIR            start in DIR inside the root (default /)\n"
"  -a, --arch=ARCH          the root's architecture (default: detected from\n"
"                           its /bin/sh, or from COMMAND)\n"
"      --qemu=PATH          qemu-user program for the root's architecture\n"
"      --qemu-cpu=CPU       pass -cpu CPU to qemu\n"
"      --qemu-opt=OPT       pass OPT to qemu (repeatable)\n"
"      --no-default-binds   do not share the host's /etc/resolv.conf and\n"
"                           /etc/hosts\n"
"      --allow-static       run static foreign programs, which qemu alone\n"
"                           cannot keep inside the root (default: refuse)\n"
"      --env                enter no root: set up the environment and run\n"
"                           COMMAND, so that a later chroot(2) is faked\n"
"  -v, --verbose            say what is run (repeat for more detail)\n"
"      --log=FILE           write verbose messages to FILE\n"
"      --help               display this help and exit\n"
"      --version            output version information and exit\n"
"\n"
"Exit status: 125 if crossroot itself fails, 126 if COMMAND is found but\n"
"cannot be run, 127 if COMMAND is not found, else the status of COMMAND.\n"
"See crossroot(1) for the environment variables read.\n");
}

/* ------------------------------------------------------------ nesting
 * crossroot run inside a fake root (from a bind, or a host program that a
 * script inside the root starts) is itself interposed by libcrossroot: its
 * realpath() would answer with guest paths and its execve would be planned
 * again inside the outer root.  So it re-executes itself once, by a raw
 * execve(2) the library does not see, without libcrossroot in LD_PRELOAD
 * and with CROSSROOT_OUTER_ROOT naming the outer root; the paths the user
 * gave (NEWROOT, --bind HOST, --qemu, --log) are then resolved inside the
 * outer root, as a nested chroot(8) would see them. */
static struct cr_config outer;   /* rootlen 0: not nested */

extern char **environ;

static void leave_outer_root(char **argv)
{
	const char *root = getenv("CROSSROOT_ROOT");
	const char *pre = getenv("LD_PRELOAD");
	if (!root || !*root || strcmp(root, "/") == 0 || !pre ||
	    !strstr(pre, CR_PRELOAD_NAME))
		return;
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof *env);
	char *outerv = malloc(strlen(root) + sizeof "CROSSROOT_OUTER_ROOT=");
	char *prev = malloc(strlen(pre) + sizeof "LD_PRELOAD=");
	if (!env || !outerv || !prev)
		die(EXIT_CANCELED, "out of memory");
	/* LD_PRELOAD without libcrossroot.so (any fakeroot library stays). */
	char *w = prev + sprintf(prev, "LD_PRELOAD=");
	for (const char *e = pre; *e;) {
		size_t l = strcspn(e, ": ");
		const char *base = e + l;
		while (base > e && base[-1] != '/')
			base--;
		if (l && !((size_t)(e + l - base) == sizeof CR_PRELOAD_NAME - 1 &&
		           memcmp(base, CR_PRELOAD_NAME, l - (size_t)(base - e)) == 0)) {
			if (w[-1] != '=')
				*w++ = ':';
			memcpy(w, e, l);
			w += l;
		}
		e += l;
		e += strspn(e, ": ");
	}
	*w = '\0';
	sprintf(outerv, "CROSSROOT_OUTER_ROOT=%s", root);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0 &&
		    strncmp(environ[i], "CROSSROOT_OUTER_ROOT=", 21) != 0)
			env[k++] = environ[i];
	env[k++] = prev;
	env[k++] = outerv;
	env[k] = NULL;
	syscall(SYS_execve, "/proc/self/exe", argv, env);
	die(EXIT_CANCELED, "cannot re-execute itself outside the outer root: %s",
	    strerror(errno));
}

/* After the re-execution: the outer root's configuration. */
static void load_outer_root(void)
{
	const char *root = getenv("CROSSROOT_OUTER_ROOT");
	const char *bad;
	if (!root)
		return;
	if (cr_config_set_root(&outer, root) != 0)
		die(EXIT_CANCELED, "bad CROSSROOT_OUTER_ROOT '%s'", root);
	cr_config_default_binds(&outer);
	const char *binds = getenv("CROSSROOT_BIND");
	if (binds && *binds && cr_config_parse_binds(&outer, binds, &bad) != 0)
		die(EXIT_CANCELED, "bad CROSSROOT_BIND entry of the outer root: %s", bad);
	cr_resolve_binds(&outer, &cr_sys_fsops);
	unsetenv("CROSSROOT_OUTER_ROOT");
}

/* A path the user gave, as a host path: inside an outer root it is
 * resolved there (relative to the guest view of the current directory). */
static void outer_path(const char *what, const char *in, char *out, size_t outsz)
{
	if (outer.rootlen == 0) {
		if (cli_fmt(out, outsz, "%s", in))
			die(EXIT_CANCELED, "%s: path too long", what);
		return;
	}
	char hcwd[PATH_MAX], gcwd[PATH_MAX];
	const char *base = "/";
	if (cr_sys_getcwd(hcwd, sizeof hcwd) > 0 &&
	    cr_unmap(&outer, hcwd, gcwd, sizeof gcwd) == 0)
		base = gcwd;
	int err = cr_resolve(&outer, &cr_sys_fsops, base, in, CR_FOLLOW, out, outsz);
	if (err)
		die(EXIT_CANCELED, "%s %s: %s", what, in, strerror(err));
}

static void parse_bind(const char *arg)
{
	if (opt.nbinds >= CR_MAX_BINDS)
		die(EXIT_CANCELED, "too many --bind options (at most %d)", CR_MAX_BINDS);
	if (strchr(arg, ','))
		die(EXIT_CANCELED, "invalid --bind '%s': paths may not contain ','", arg);
	const char *colon = strchr(arg, ':');
	char host[PATH_MAX];
	const char *guest;
	size_t hl = colon ? (size_t)(colon - arg) : strlen(arg);
	if (hl >= sizeof host)
		die(EXIT_CANCELED, "invalid --bind '%s': path too long", arg);
	memcpy(host, arg, hl);
	host[hl] = '\0';
	guest = colon ? colon + 1 : host;
	if (host[0] != '/')
		die(EXIT_CANCELED, "invalid --bind '%s': HOST must be an absolute path", arg);
	if (guest[0] != '/')
		die(EXIT_CANCELED, "invalid --bind '%s': GUEST must be an absolute path", arg);
	if (strchr(guest, ':'))
		die(EXIT_CANCELED, "invalid --bind '%s': expected HOST[:GUEST]", arg);
	struct bindopt *b = &opt.binds[opt.nbinds];
	char hhost[PATH_MAX];
	outer_path("--bind", host, hhost, sizeof hhost);
	if (!realpath(hhost, b->host))
		die(EXIT_CANCELED, "invalid --bind '%s': %s: %s", arg, host, strerror(errno));
	if (cr_guest_abspath("/", guest, b->guest, sizeof b->guest) != 0)
		die(EXIT_CANCELED, "invalid --bind '%s': bad GUEST path", arg);
	if (strcmp(b->guest, "/") == 0)
		die(EXIT_CANCELED, "invalid --bind '%s': GUEST may not be /", arg);
	if (strchr(b->host, ':') || strchr(b->host, ','))
		die(EXIT_CANCELED, "invalid --bind '%s': %s contains ':' or ','", arg, b->host);
	opt.nbinds++;
}

static void absolute_path(const char *what, const char *in, char *out, size_t outsz)
{
	if (outer.rootlen != 0) {
		outer_path(what, in, out, outsz);
		return;
	}
	if (in[0] == '/') {
		if (cli_fmt(out, outsz, "%s", in))
			die(EXIT_CANCELED, "%s: path too long", what);
		return;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		die(EXIT_CANCELED, "cannot get the current directory: %s", strerror(errno));
	if (cli_fmt(out, outsz, "%s/%s", cwd, in))
		die(EXIT_CANCELED, "%s: path too long", what);
}

static void parse_options(int argc, char **argv)
{
	enum { O_QEMU = 256, O_QEMU_CPU, O_QEMU_OPT, O_NO_DEFAULT_BINDS, O_LOG,
	       O_ENV, O_HELP, O_VERSION, O_ALLOW_STATIC };
	static const struct option longopts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "arch", required_argument, NULL, 'a' },
		{ "qemu", required_argument, NULL, O_QEMU },
		{ "qemu-cpu", required_argument, NULL, O_QEMU_CPU },
		{ "qemu-opt", required_argument, NULL, O_QEMU_OPT },
		{ "no-default-binds", no_argument, NULL, O_NO_DEFAULT_BINDS },
		{ "allow-static", no_argument, NULL, O_ALLOW_STATIC },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log", required_argument, NULL, O_LOG },
		{ "env", no_argument, NULL, O_ENV },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	char known[512];
	while ((c = getopt_long(argc, argv, "+b:w:a:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			parse_bind(optarg);
			break;
		case 'w':
			if (optarg[0] == '\0')
				die(EXIT_CANCELED, "invalid --cwd: empty path");
			opt.cwd = optarg;
			break;
		case 'a':
			opt.arch = cr_arch_by_name(optarg);
			if (!opt.arch)
				die(EXIT_CANCELED, "unknown architecture '%s' (known: %s)",
				    optarg, cli_known_arches(known, sizeof known));
			break;
		case O_QEMU: {
			char abs[PATH_MAX];
			absolute_path("--qemu", optarg, abs, sizeof abs);
			if (!cli_is_exec_file(abs))
				die(EXIT_CANCELED, "--qemu %s: %s", optarg,
				    access(abs, F_OK) ? strerror(errno) : "not an executable file");
			snprintf(opt.qemu, sizeof opt.qemu, "%s", abs);
			break;
		}
		case O_QEMU_CPU:
			if (!*optarg || strpbrk(optarg, " \t\n"))
				die(EXIT_CANCELED, "invalid --qemu-cpu '%s'", optarg);
			opt.qemu_cpu = optarg;
			break;
		case O_QEMU_OPT:
			if (!*optarg || strpbrk(optarg, " \t\n"))
				die(EXIT_CANCELED, "invalid --qemu-opt '%s': one word per "
				    "--qemu-opt (CROSSROOT_QEMU_ARGS is split at blanks)", optarg);
			if (opt.nqemu_opts >= MAX_QEMU_ARGS - 2)
				die(EXIT_CANCELED, "too many --qemu-opt options");
			opt.qemu_opts[opt.nqemu_opts++] = optarg;
			break;
		case O_NO_DEFAULT_BINDS:
			opt.no_default_binds = 1;
			break;
		case O_ALLOW_STATIC:
			/* Read by the planner here and by the library in children. */
			if (setenv("CROSSROOT_ALLOW_STATIC", "1", 1) != 0)
				die(EXIT_CANCELED, "cannot set CROSSROOT_ALLOW_STATIC: %s",
				    strerror(errno));
			break;
		case 'v':
			opt.verbose++;
			break;
		case O_LOG:
			if (!*optarg)
				die(EXIT_CANCELED, "invalid --log: empty path");
			absolute_path("--log", optarg, opt.log, sizeof opt.log);
			break;
		case O_ENV:
			opt.envmode = 1;
			break;
		case O_HELP:
			usage();
			exit(0);
		case O_VERSION:
			printf("crossroot (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			printf("License LGPL-2.1-or-later.\n");
			exit(0);
		default:
			fprintf(stderr, "Try 'crossroot --help' for more information.\n");
			exit(EXIT_CANCELED);
		}
	}
}

/* ------------------------------------------------------------ qemu */
static struct qemu_slot {
	int looked;
	int found;
	char path[PATH_MAX];
	char why[PATH_MAX + 128];
} qemu_slots[64];

static const struct cr_arch *qemu_opt_arch;   /* the arch --qemu is for */
static const struct cr_arch *qemu_missing;    /* last arch asked and not found */
static const struct cr_arch *kernel_arch;

static struct qemu_slot *qemu_lookup(const struct cr_arch *a)
{
	size_t i = (size_t)(a - cr_arch_table);
	if (i >= cr_arch_count || i >= sizeof qemu_slots / sizeof qemu_slots[0])
		return NULL;
	struct qemu_slot *s = &qemu_slots[i];
	if (s->looked)
		return s;
	s->looked = 1;
	char var[64];
	cr_arch_qemu_var(a, var, sizeof var);
	const char *env = getenv(var);
	if (opt.qemu[0] && qemu_opt_arch == a) {
		snprintf(s->path, sizeof s->path, "%s", opt.qemu);
		s->found = 1;
	} else if (env && *env) {
		if (env[0] == '/' && cli_is_exec_file(env) &&
		    cli_fmt(s->path, sizeof s->path, "%s", env) == 0) {
			s->found = 1;
		} else {
			snprintf(s->why, sizeof s->why, "%s=%s is not an executable file",
			         var, env);
		}
	} else if (cr_exec_find_qemu(getenv("PATH") ? getenv("PATH") : CR_DEFAULT_PATH, a, s->path, sizeof s->path)) {
		s->found = 1;
	} else {
		snprintf(s->why, sizeof s->why, "qemu-%s-static was not found", a->qemu);
	}
	return s;
}

static const char *find_qemu_cb(void *ud, const struct cr_arch *a)
{
	(void)ud;
	if (opt.qemu[0] && !qemu_opt_arch && a != kernel_arch)
		qemu_opt_arch = a;    /* --qemu is for the first foreign arch met */
	struct qemu_slot *s = qemu_lookup(a);
	if (s && s->found)
		return s->path;
	qemu_missing = a;
	return NULL;
}

static void __attribute__((noreturn))
die_no_qemu(const char *what, const struct cr_arch *a)
{
	struct qemu_slot *s = qemu_lookup(a);
	die(EXIT_CANCELED, "%s is %s but %s: install qemu-user-static (or use --qemu PATH)",
	    what, a->debian, s ? s->why : "no qemu was found");
}

/* ------------------------------------------------------------ ELF probe */
/* The architecture of the ELF at guest path inside the root, or NULL. */
static const struct cr_arch *arch_of_guest(const struct cr_config *cfg,
                                           const char *guestpath,
                                           char *host, size_t hostsz)
{
	struct cr_fileinfo fi;
	if (cr_resolve(cfg, &cr_sys_fsops, "/", guestpath, CR_FOLLOW, host, hostsz) != 0)
		return NULL;
	if (cr_file_identify_path(host, &fi) != 0 || fi.kind != CR_FILE_ELF)
		return NULL;
	return cr_arch_from_elf(&fi.elf);
}

/* ------------------------------------------------------------ strings */
struct strlist {
	char **v;
	size_t n, cap;
};

static int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

static void strlist_add(struct strlist *l, const char *s)
{
	if (strlist_has(l, s))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			die(EXIT_CANCELED, "out of memory");
	}
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		die(EXIT_CANCELED, "out of memory");
	l->n++;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static char *strlist_join(const struct strlist *l, const char *sep)
{
	size_t len = 1;
	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + strlen(sep);
	char *s = malloc(len), *p = s;
	if (!s)
		die(EXIT_CANCELED, "out of memory");
	*p = '\0';
	for (size_t i = 0; i < l->n; i++)
		p += sprintf(p, "%s%s", i ? sep : "", l->v[i]);
	return s;
}

/* Words joined with single blanks (malloc'd). */
static char *join_words(const char *const *v, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *s = malloc(len), *p = s;
	if (!s)
		die(EXIT_CANCELED, "out of memory");
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", v[i]);
	return s;
}

static void set_env(const char *name, const char *value)
{
	if (setenv(name, value, 1) != 0)
		die(EXIT_CANCELED, "cannot set %s: %s", name, strerror(errno));
	verbose(2, "%s=%s", name, value);
}

/* ------------------------------------------------------------ main */
struct run {
	const char *newroot;          /* as given */
	char root[PATH_MAX];          /* realpath; "/" in --env mode */
	struct cr_config cfg;
	const char *libdir;
	const char *stage;            /* stage prefix */
	const struct cr_arch *root_arch;
	char root_arch_from[PATH_MAX];
	struct strlist preload;       /* LD_PRELOAD entries, bare names */
	struct strlist libpath;       /* directories crossroot adds */
	char *binds;                  /* CROSSROOT_BIND value */
	const char *qemu_argv[MAX_QEMU_ARGS + 1];
	char *qemu_args_str;
};

static void enter_root(struct run *r)
{
	char rp[PATH_MAX], hp[PATH_MAX];
	outer_path("cannot enter", r->newroot, hp, sizeof hp);
	if (!realpath(hp, rp))
		die(EXIT_CANCELED, "cannot enter %s: %s", r->newroot, strerror(errno));
	struct stat st;
	if (stat(rp, &st) != 0)
		die(EXIT_CANCELED, "cannot enter %s: %s", r->newroot, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die(EXIT_CANCELED, "cannot enter %s: %s", r->newroot, strerror(ENOTDIR));
	if (access(rp, R_OK | X_OK) != 0)
		die(EXIT_CANCELED, "cannot enter %s: %s", r->newroot, strerror(errno));
	if (strchr(rp, ':') || strchr(rp, ','))
		verbose(1, "note: the root path %s contains ':' or ','", rp);
	snprintf(r->root, sizeof r->root, "%s", rp);
}

static void build_config(struct run *r)
{
	int rc = cr_config_set_root(&r->cfg, r->root);
	if (rc)
		die(EXIT_CANCELED, "cannot use %s as root: %s", r->root, strerror(rc));
	struct strlist b = { 0 };
	for (size_t i = 0; i < opt.nbinds; i++) {
		char e[2 * PATH_MAX + 2];
		if (strcmp(opt.binds[i].host, opt.binds[i].guest) == 0)
			snprintf(e, sizeof e, "%s", opt.binds[i].host);
		else
			snprintf(e, sizeof e, "%s:%s", opt.binds[i].host, opt.binds[i].guest);
		strlist_add(&b, e);
	}
	if (!opt.no_default_binds) {
		static const char *const defaults[] = { "/etc/resolv.conf", "/etc/hosts" };
		for (size_t d = 0; d < 2; d++) {
			int taken = 0;
			for (size_t i = 0; i < opt.nbinds; i++)
				if (strcmp(opt.binds[i].guest, defaults[d]) == 0)
					taken = 1;
			if (!taken && access(defaults[d], F_OK) == 0)
				strlist_add(&b, defaults[d]);
		}
	}
	r->binds = strlist_join(&b, ",");
	strlist_free(&b);
	const char *bad = NULL;
	if (*r->binds && (rc = cr_config_parse_binds(&r->cfg, r->binds, &bad)) != 0)
		die(EXIT_CANCELED, "invalid bind '%s': %s", bad ? bad : r->binds,
		    rc == E2BIG ? "too many binds" : strerror(rc));
	/* fakechroot's excluded paths, as the library reads them. */
	const char *excl = getenv("FAKECHROOT_EXCLUDE_PATH");
	if (r->cfg.rootlen && excl && *excl &&
	    (rc = cr_config_parse_exclude(&r->cfg, excl, &bad)) != 0)
		die(EXIT_CANCELED, "invalid FAKECHROOT_EXCLUDE_PATH entry '%s': %s",
		    bad ? bad : excl, rc == E2BIG ? "too many binds" :
		    "expected absolute paths other than /");
	cr_config_default_binds(&r->cfg);
}

/* CROSSROOT_CMD_SUBST, then FAKECHROOT_CMD_SUBST (read the fakechroot way,
 * cr_config_parse_fakechroot_subst; left in the environment for the
 * library, not merged), into the config, for the first command too,
 * followed by the defaults the user did not override
 * (the first match wins): the root's ldconfig runs as crossroot-ldconfig
 * (LIBDIR/crossroot-ldconfig), which rebuilds the root's cache with the
 * root's own ldconfig and -r ROOT, never touching the host's.  Returns the
 * CROSSROOT_CMD_SUBST value to export (malloc'ed, "" when empty). */
static char *subst_config(struct run *r)
{
	static const char *const ldconfigs[] = {
		"/sbin/ldconfig", "/usr/sbin/ldconfig",
		"/sbin/ldconfig.real", "/usr/sbin/ldconfig.real",
	};
	struct strlist l = { 0 };
	const char *user = getenv("CROSSROOT_CMD_SUBST");
	const char *fuser = getenv("FAKECHROOT_CMD_SUBST");
	const char *bad = NULL;
	int rc;
	if (user && *user) {
		if ((rc = cr_config_parse_subst(&r->cfg, user, &bad)) != 0)
			die(EXIT_CANCELED, "invalid CROSSROOT_CMD_SUBST entry '%s': %s",
			    bad ? bad : user, rc == E2BIG ? "too many substitutions" :
			    "expected GUESTPATH=HOSTPROG with an absolute GUESTPATH");
		strlist_add(&l, user);
	}
	if (fuser && *fuser && !getenv("FAKECHROOT_CMD_ORIG") &&
	    (rc = cr_config_parse_fakechroot_subst(&r->cfg, fuser, r->libdir, &bad)) != 0)
		die(EXIT_CANCELED, "invalid FAKECHROOT_CMD_SUBST entry '%s': %s",
		    bad ? bad : fuser, rc == E2BIG ? "too many substitutions" :
		    "expected GUESTPATH=HOSTPROG with an absolute GUESTPATH");
	char helper[PATH_MAX], e[2 * PATH_MAX + 2];
	if (cli_fmt(helper, sizeof helper, "%s/crossroot-ldconfig", r->libdir) == 0 &&
	    cli_is_exec_file(helper) && !strchr(helper, ':')) {
		for (size_t i = 0; i < sizeof ldconfigs / sizeof ldconfigs[0]; i++) {
			if (cr_config_subst_for(&r->cfg, ldconfigs[i]))
				continue;
			snprintf(e, sizeof e, "%s=%s", ldconfigs[i], helper);
			if (cr_config_parse_subst(&r->cfg, e, &bad) == 0)
				strlist_add(&l, e);
		}
	} else {
		verbose(1, "note: %s not found: the root's ldconfig is not substituted", helper);
	}
	char *joined = strlist_join(&l, ":");
	strlist_free(&l);
	return joined;
}

static void qemu_arguments(struct run *r)
{
	size_t n = 0;
	static char *split;
	if (opt.qemu_cpu || opt.nqemu_opts) {
		if (opt.qemu_cpu) {
			r->qemu_argv[n++] = "-cpu";
			r->qemu_argv[n++] = opt.qemu_cpu;
		}
		for (size_t i = 0; i < opt.nqemu_opts; i++)
			r->qemu_argv[n++] = opt.qemu_opts[i];
	} else {
		const char *env = getenv("CROSSROOT_QEMU_ARGS");
		if (env && *env) {
			split = strdup(env);
			if (!split)
				die(EXIT_CANCELED, "out of memory");
			char *save = NULL;
			for (char *w = strtok_r(split, " \t\n", &save); w;
			     w = strtok_r(NULL, " \t\n", &save)) {
				if (n >= MAX_QEMU_ARGS)
					die(EXIT_CANCELED, "too many words in CROSSROOT_QEMU_ARGS");
				r->qemu_argv[n++] = w;
			}
		}
	}
	r->qemu_argv[n] = NULL;
	r->qemu_args_str = join_words(r->qemu_argv, n);
}

/* Guest library checks for a foreign architecture a. */
static void check_guest_lib(struct run *r, const struct cr_arch *a)
{
	char p[PATH_MAX], staged[PATH_MAX];
	cli_fmt(p, sizeof p, "%s/%s/libcrossroot.so", r->libdir, a->triplet);
	if (cli_is_file(p))
		return;
	if (cli_stage_libdir(r->stage, a, staged, sizeof staged) == 0 &&
	    cli_fmt(staged + strlen(staged), sizeof staged - strlen(staged),
	            "/libcrossroot.so") == 0 && cli_is_file(staged))
		return;
	die(EXIT_CANCELED, "no %s build of libcrossroot (expected %s): configure with "
	    "a %s-gcc cross compiler (--enable-guests) or stage it with crossroot-stage",
	    a->debian, p, a->triplet);
}

/* Under fakeroot a foreign root needs a guest build of libfakeroot. */
static void check_fakeroot(struct run *r, const struct cr_arch *a, const char *fakelib)
{
	char inroot[PATH_MAX], staged[PATH_MAX];
	cli_fmt(inroot, sizeof inroot, "%s/usr/lib/%s/libfakeroot/%s",
	        r->cfg.rootlen ? r->root : "", a->triplet, fakelib);
	if (cli_is_file(inroot))
		return;
	if (cli_stage_libdir(r->stage, a, staged, sizeof staged) == 0) {
		size_t l = strlen(staged);
		cli_fmt(staged + l, sizeof staged - l, "/%s", fakelib);
		if (cli_is_file(staged))
			return;
	}
	die(EXIT_CANCELED, "running under fakeroot, but there is no %s %s (looked for %s "
	    "and %s): stage one with 'crossroot-stage --arch %s --with-fakeroot "
	    "libfakeroot_VERSION_%s.deb' (apt-get download libfakeroot:%s)",
	    a->debian, fakelib, inroot, staged, a->debian, a->debian, a->debian);
}

/* cr_env_find_preloads' question: is the library there? */
static int file_exists(void *ud, const char *path)
{
	(void)ud;
	return cli_is_file(path);
}

/* The export set of a preload library (cr_preloads_unreachable's
 * callback), or NULL when it cannot be read. */
static const struct cr_symset *library_exports(void *ud, const char *path)
{
	(void)ud;
	static char strtab[32768];
	struct cr_symset *set = malloc(sizeof *set);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (set == NULL || fd < 0) {
		free(set);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct cr_reader r = { cr_fd_pread, &fd };
	int err = cr_symset_reach(set, &r, strtab, sizeof strtab);
	close(fd);
	if (err != 0) {
		free(set);
		return NULL;
	}
	return set;     /* (kept until the exec) */
}

/* LD_PRELOAD, LD_LIBRARY_PATH and CROSSROOT_LIBPATH. */
static void library_env(struct run *r, const struct cr_arch *const *guests, size_t nguests)
{
	char p[PATH_MAX];
	struct strlist predirs = { 0 };

	/* Order: fakeroot's library, then libcrossroot, then the other
	 * previous entries.  libfakeroot must come first: its wrappers call
	 * each other through the PLT (stat64 -> __xstat64, ...), so a
	 * libcrossroot before it would see its own, already translated, path
	 * come back in and translate it twice; after it, libcrossroot is the
	 * next library libfakeroot's RTLD_NEXT calls reach, and translates
	 * each path exactly once (as the kernel of a real chroot would). */
	struct strlist others = { 0 };
	const char *prev = getenv("LD_PRELOAD");
	if (prev && *prev) {
		char *copy = strdup(prev), *save = NULL;
		if (!copy)
			die(EXIT_CANCELED, "out of memory");
		for (char *w = strtok_r(copy, " :\t", &save); w;
		     w = strtok_r(NULL, " :\t", &save)) {
			const char *slash = strrchr(w, '/');
			const char *base = slash ? slash + 1 : w;
			if (strcmp(base, CR_PRELOAD_NAME) == 0 || !*base)
				continue;
			if (slash) {
				char dir[PATH_MAX];
				size_t dl = (size_t)(slash - w);
				if (dl == 0)
					dl = 1;
				snprintf(dir, sizeof dir, "%.*s", (int)dl, w);
				strlist_add(&predirs, dir);
			}
			if (strncmp(base, "libfakeroot", strlen("libfakeroot")) == 0)
				strlist_add(&r->preload, base);
			else
				strlist_add(&others, base);
		}
		free(copy);
	}
	strlist_add(&r->preload, CR_PRELOAD_NAME);
	for (size_t i = 0; i < others.n; i++)
		strlist_add(&r->preload, others.v[i]);
	strlist_free(&others);
	/* A preload given by bare name (fakeroot's) is found through
	 * LD_LIBRARY_PATH: its directory there counts as its directory. */
	const char *prevlp0 = getenv("LD_LIBRARY_PATH");
	if (prevlp0 && *prevlp0) {
		char *copy = strdup(prevlp0), *save = NULL;
		if (!copy)
			die(EXIT_CANCELED, "out of memory");
		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
			for (size_t i = 0; i < r->preload.n; i++)
				if (d[0] == '/' &&
				    strcmp(r->preload.v[i], CR_PRELOAD_NAME) != 0 &&
				    cli_fmt(p, sizeof p, "%s/%s", d, r->preload.v[i]) == 0 &&
				    cli_is_file(p))
					strlist_add(&predirs, d);
		free(copy);
	}

	cli_fmt(p, sizeof p, "%s/%s", r->libdir, CR_HOST_TRIPLET);
	strlist_add(&r->libpath, p);
	/* The guests that can run: a build of libcrossroot in LIBDIR or staged. */
	const struct cr_arch *usable[64];
	size_t nusable = 0;
	for (size_t i = 0; i < nguests && nusable < 64; i++) {
		int ok = 0;
		cli_fmt(p, sizeof p, "%s/%s/libcrossroot.so", r->libdir, guests[i]->triplet);
		if (cli_is_file(p)) {
			cli_fmt(p, sizeof p, "%s/%s", r->libdir, guests[i]->triplet);
			strlist_add(&r->libpath, p);
			ok = 1;
		}
		if (cli_stage_libdir(r->stage, guests[i], p, sizeof p) == 0 && cli_is_dir(p))
			ok = 1;
		if (ok)
			usable[nusable++] = guests[i];
	}
	for (size_t i = 0; i < nusable; i++)
		if (cli_stage_libdir(r->stage, usable[i], p, sizeof p) == 0 && cli_is_dir(p))
			strlist_add(&r->libpath, p);
	/* The directories of preloaded libraries (fakeroot's), and the same
	 * directory for each guest triplet: a guest loader looks there inside
	 * the root (qemu -L) for its own build of the library. */
	for (size_t d = 0; d < predirs.n; d++) {
		strlist_add(&r->libpath, predirs.v[d]);
		const char *t = strstr(predirs.v[d], "/" CR_HOST_TRIPLET);
		size_t tl = strlen("/" CR_HOST_TRIPLET);
		if (!t || (t[tl] != '/' && t[tl] != '\0'))
			continue;
		for (size_t i = 0; i < nusable; i++) {
			if (cli_fmt(p, sizeof p, "%.*s/%s%s", (int)(t - predirs.v[d]),
			            predirs.v[d], usable[i]->triplet, t + tl) == 0)
				strlist_add(&r->libpath, p);
		}
	}

	/* fakeroot's other search directories (Debian's fakeroot lists
	 * /usr/lib64/libfakeroot and /usr/lib32/libfakeroot too): crossroot's
	 * to manage as well, so that a program whose preloads go by full path
	 * (cr_env.h) gets none of them to search. */
	int fakeroot_used = 0;
	for (size_t i = 0; i < r->preload.n; i++)
		if (strncmp(r->preload.v[i], "libfakeroot", strlen("libfakeroot")) == 0)
			fakeroot_used = 1;
	if (fakeroot_used && prevlp0 && *prevlp0) {
		char *copy = strdup(prevlp0), *save = NULL;
		if (!copy)
			die(EXIT_CANCELED, "out of memory");
		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			const char *slash = strrchr(d, '/');
			if (d[0] == '/' && slash && strcmp(slash, "/libfakeroot") == 0)
				strlist_add(&r->libpath, d);
		}
		free(copy);
	}

	char *ours = strlist_join(&r->libpath, ":");
	const char *prevlp = getenv("LD_LIBRARY_PATH");
	char *lp = malloc((prevlp ? strlen(prevlp) : 0) + strlen(ours) + 2);
	if (!lp)
		die(EXIT_CANCELED, "out of memory");
	if (prevlp && *prevlp)
		sprintf(lp, "%s:%s", prevlp, ours);
	else
		strcpy(lp, ours);
	char *pre = strlist_join(&r->preload, " ");
	set_env("LD_PRELOAD", pre);
	set_env("LD_LIBRARY_PATH", lp);
	set_env("CROSSROOT_LIBPATH", ours);
	free(pre);
	free(lp);
	free(ours);
	strlist_free(&predirs);
}

/* The bare file name of a libfakeroot in LD_PRELOAD, or NULL. */
static const char *fakeroot_preload(void)
{
	static char name[NAME_MAX + 1];
	const char *pre = getenv("LD_PRELOAD");
	if (!pre)
		return NULL;
	const char *p = strstr(pre, "libfakeroot");
	if (!p)
		return NULL;
	size_t n = strcspn(p, " :\t");
	if (n > NAME_MAX)
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	return name;
}

/* The PT_INTERP of the program a plan runs ("" when static or unknown). */
static void plan_interp(const struct run *r, const struct cr_exec_plan *plan,
                        const char *guest_cwd, char *out, size_t outsz)
{
	struct cr_fileinfo fi;
	char prog[PATH_MAX];
	out[0] = '\0';
	if (cr_resolve(&r->cfg, &cr_sys_fsops, guest_cwd, plan->guest_path, CR_FOLLOW,
	               prog, sizeof prog) == 0 &&
	    cr_file_identify_path(prog, &fi) == 0 && fi.kind == CR_FILE_ELF && fi.elf.has_interp)
		snprintf(out, outsz, "%s", fi.elf.interp);
}

/* With no root, the -L prefix of a foreign program: STAGE/<qemu> when
 * crossroot-stage staged it for the program's architecture, or when it
 * holds the program's loader (e.g. qemu-user-binfmt's link to a cross
 * libc).  1 with the prefix in out, else 0 (qemu then uses the host's /). */
static int noroot_prefix(const struct run *r, const struct cr_exec_plan *plan,
                         const char *guest_cwd, char *out, size_t outsz)
{
	char interp[CR_INTERP_MAX], p[PATH_MAX];
	if (cli_stage_has(r->stage, plan->arch, out, outsz))
		return 1;
	plan_interp(r, plan, guest_cwd, interp, sizeof interp);
	return interp[0] && cli_fmt(out, outsz, "%s/%s", r->stage, plan->arch->qemu) == 0 &&
	       cli_fmt(p, sizeof p, "%s%s", out, interp) == 0 && access(p, F_OK) == 0;
}

/* With no root, a dynamic foreign program needs its loader somewhere. */
static void check_loader(const struct run *r, const struct cr_exec_plan *plan,
                         const char *guest_cwd, const char *prefix, const char *cmd)
{
	char interp[CR_INTERP_MAX], lp[PATH_MAX];
	plan_interp(r, plan, guest_cwd, interp, sizeof interp);
	if (!interp[0])
		return;
	cli_fmt(lp, sizeof lp, "%s%s", prefix ? prefix : "", interp);
	if (access(lp, F_OK) != 0)
		die(EXIT_CANCELED, "%s is a dynamic %s program, but its loader %s is "
		    "neither on the host nor staged in %s/%s: stage the %s C library "
		    "with 'crossroot-stage --from-root ROOT' or 'crossroot-stage "
		    "--from-deb libc6_VERSION_%s.deb'", cmd, plan->arch->debian, interp,
		    r->stage, plan->arch->qemu, plan->arch->debian, plan->arch->debian);
}

/* CROSSROOT_NATIVE_LOADER: "0" turns the root's own loader off for the
 * root's native programs (cr_exec.h); anything else, or unset, is on. */
static int native_loader_on(void)
{
	const char *v = getenv("CROSSROOT_NATIVE_LOADER");
	return !(v && strcmp(v, "0") == 0);
}

/* CROSSROOT_ALLOW_STATIC=1 (or --allow-static): run static foreign
 * programs inside the root although qemu alone cannot confine them. */
static int allow_static_on(void)
{
	const char *v = getenv("CROSSROOT_ALLOW_STATIC");
	return v && strcmp(v, "1") == 0;
}

int main(int argc, char **argv)
{
	static struct run r;
	static struct cr_exec_plan plan;
	char buf[PATH_MAX];

	leave_outer_root(argv);
	load_outer_root();
	parse_options(argc, argv);
	if (opt.log[0]) {
		log_fd = open(opt.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (log_fd < 0)
			die(EXIT_CANCELED, "cannot open log %s: %s", opt.log, strerror(errno));
	}
	if (!opt.verbose) {
		const char *v = getenv("CROSSROOT_VERBOSE");
		if (v && *v)
			opt.verbose = atoi(v);
	}

	if (opt.envmode) {
		/* Inside an outer root, --env keeps the program in it. */
		r.newroot = outer.rootlen ? outer.root : "/";
		snprintf(r.root, sizeof r.root, "%s", r.newroot);
	} else {
		if (optind >= argc) {
			fprintf(stderr, PROG ": missing operand\n"
			        "Try 'crossroot --help' for more information.\n");
			return EXIT_CANCELED;
		}
		r.newroot = argv[optind++];
		enter_root(&r);
	}
	build_config(&r);
	r.libdir = cli_libdir("crossroot");
	r.stage = cli_stage_prefix();
	char *subst = subst_config(&r);
	kernel_arch = cr_arch_kernel(getenv("CROSSROOT_HOST_ARCH"));
	if (!kernel_arch)
		die(EXIT_CANCELED, "unknown kernel architecture");

	cli_fmt(buf, sizeof buf, "%s/%s/libcrossroot.so", r.libdir, CR_HOST_TRIPLET);
	if (!cli_is_file(buf))
		die(EXIT_CANCELED, "libcrossroot not found (expected %s): set "
		    "CROSSROOT_LIBDIR to the directory holding %s/libcrossroot.so",
		    buf, CR_HOST_TRIPLET);

	/* PATH for the command search inside the root, as chroot(8) does. */
	const char *pathvar = getenv("PATH");
	if (!pathvar || !*pathvar) {
		set_env("PATH", CR_DEFAULT_PATH);
		pathvar = CR_DEFAULT_PATH;
	}

	/* The root's architecture. */
	if (opt.arch) {
		r.root_arch = opt.arch;
		snprintf(r.root_arch_from, sizeof r.root_arch_from, "--arch");
	} else if (r.cfg.rootlen) {
		r.root_arch = arch_of_guest(&r.cfg, "/bin/sh", buf, sizeof buf);
		if (r.root_arch)
			snprintf(r.root_arch_from, sizeof r.root_arch_from, "/bin/sh");
	} else {
		r.root_arch = kernel_arch;
	}
	if (r.root_arch && r.root_arch != kernel_arch)
		qemu_opt_arch = r.root_arch;

	/* Start directory. */
	char guest_cwd[PATH_MAX];
	if (r.cfg.rootlen == 0 && !opt.cwd) {
		if (!getcwd(guest_cwd, sizeof guest_cwd))
			die(EXIT_CANCELED, "cannot get the current directory: %s", strerror(errno));
	} else {
		const char *cwd = opt.cwd ? opt.cwd : "/";
		int rc = cr_resolve(&r.cfg, &cr_sys_fsops, "/", cwd, CR_FOLLOW, buf, sizeof buf);
		if (rc)
			die(EXIT_CANCELED, "cannot change directory to %s: %s", cwd, strerror(rc));
		if (chdir(buf) != 0)
			die(EXIT_CANCELED, "cannot change directory to %s: %s", cwd, strerror(errno));
		char host_cwd[PATH_MAX];
		if (!getcwd(host_cwd, sizeof host_cwd))
			die(EXIT_CANCELED, "cannot get the current directory: %s", strerror(errno));
		rc = cr_unmap(&r.cfg, host_cwd, guest_cwd, sizeof guest_cwd);
		if (rc != 0 && rc != 1)
			die(EXIT_CANCELED, "cannot map the directory %s: %s", host_cwd, strerror(rc));
	}

	/* The command: COMMAND, else $SHELL -i, else /bin/sh -i. */
	char **cmdv;
	size_t cmdc;
	char *shellv[3];
	if (optind < argc) {
		cmdv = argv + optind;
		cmdc = (size_t)(argc - optind);
	} else {
		const char *sh = getenv("SHELL");
		shellv[0] = "/bin/sh";
		if (sh && sh[0] == '/' &&
		    cr_resolve(&r.cfg, &cr_sys_fsops, "/", sh, CR_FOLLOW, buf, sizeof buf) == 0 &&
		    cli_is_exec_file(buf))
			shellv[0] = (char *)sh;
		shellv[1] = "-i";
		shellv[2] = NULL;
		cmdv = shellv;
		cmdc = 2;
	}

	qemu_arguments(&r);
	struct cr_exec_ctx ctx = {
		.cfg = &r.cfg,
		.fs = &cr_sys_fsops,
		.kernel = kernel_arch,
		.guest_cwd = guest_cwd,
		.find_qemu = find_qemu_cb,
		.qemu_ud = NULL,
		.qemu_args = r.qemu_argv[0] ? r.qemu_argv : NULL,
		.qemu_prefix = NULL,
		.native_loader = native_loader_on(),
		.allow_static = allow_static_on(),
		.native_libpath = NULL,    /* set with the environment, below */
		.elfloader = getenv("FAKECHROOT_ELFLOADER"),
		.elfloader_argv0 = getenv("FAKECHROOT_ELFLOADER_OPT_ARGV0"),
	};
	const int flags = CR_EXEC_SEARCH_PATH | CR_EXEC_SH_FALLBACK;

	/* A foreign root needs its qemu before anything runs. */
	if (r.root_arch && r.root_arch != kernel_arch) {
		struct qemu_slot *s = qemu_lookup(r.root_arch);
		if (!s || !s->found)
			die_no_qemu(r.newroot, r.root_arch);
	}

	int rc = cr_exec_plan(&ctx, cmdv[0], cmdv[0], pathvar, flags, &plan);
	char prefix[PATH_MAX];
	if (rc == 0 && plan.arch && r.cfg.rootlen == 0 &&
	    noroot_prefix(&r, &plan, guest_cwd, prefix, sizeof prefix)) {
		/* No root: a foreign program takes its libraries from the
		 * staged tree of its architecture. */
		ctx.qemu_prefix = prefix;
		rc = cr_exec_plan(&ctx, cmdv[0], cmdv[0], pathvar, flags, &plan);
	}
	if (rc != 0) {
		if (qemu_missing)
			die_no_qemu(cmdv[0], qemu_missing);
		if (strncmp(plan.why, PROG ": ", strlen(PROG) + 2) == 0)
			fprintf(stderr, "%s\n", plan.why);
		else
			fprintf(stderr, PROG ": %s: %s\n", cmdv[0], plan.why[0] ? plan.why : strerror(rc));
		return rc == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
	}
	if (!r.root_arch) {
		r.root_arch = plan.arch ? plan.arch : kernel_arch;
		snprintf(r.root_arch_from, sizeof r.root_arch_from, "%s", cmdv[0]);
	}

	/* Everything a foreign root or program needs. */
	if (r.root_arch != kernel_arch && r.cfg.rootlen)
		check_guest_lib(&r, r.root_arch);
	if (plan.arch && !plan.is_static && plan.arch != r.root_arch)
		check_guest_lib(&r, plan.arch);
	if (plan.arch && !plan.is_static && r.cfg.rootlen == 0)
		check_loader(&r, &plan, guest_cwd, ctx.qemu_prefix, cmdv[0]);
	const char *fakelib = getenv("FAKEROOTKEY") ? fakeroot_preload() : NULL;
	if (getenv("FAKEROOTKEY") && !fakelib)
		fakelib = "libfakeroot-sysv.so";
	if (fakelib && r.cfg.rootlen && r.root_arch != kernel_arch)
		check_fakeroot(&r, r.root_arch, fakelib);

	if (r.root_arch == kernel_arch)
		verbose(1, "%s is %s (%s), native", r.newroot, r.root_arch->debian,
		        r.root_arch->triplet);
	else
		verbose(1, "%s is %s (%s), qemu %s", r.newroot, r.root_arch->debian,
		        r.root_arch->triplet, qemu_lookup(r.root_arch)->path);
	if (plan.arch && plan.arch != r.root_arch)
		verbose(1, "%s is %s (%s), qemu %s, libraries from %s", plan.guest_path,
		        plan.arch->debian, plan.arch->triplet, qemu_lookup(plan.arch)->path,
		        ctx.qemu_prefix ? ctx.qemu_prefix : r.root);

	/* The environment contract. */
	const struct cr_arch *guests[64];
	size_t nguests = 0;
	for (size_t i = 0; i < cr_arch_count && nguests < 64; i++)
		if (&cr_arch_table[i] != kernel_arch)
			guests[nguests++] = &cr_arch_table[i];
	set_env("CROSSROOT_ROOT", r.root);
	if (r.cfg.rootlen || opt.cwd)
		set_env("PWD", guest_cwd);   /* as a login would: the shell's $PWD */
	if (*r.binds)
		set_env("CROSSROOT_BIND", r.binds);
	else
		unsetenv("CROSSROOT_BIND");
	library_env(&r, guests, nguests);
	set_env("CROSSROOT_HOST_ARCH", kernel_arch->debian);
	if (*subst)
		set_env("CROSSROOT_CMD_SUBST", subst);
	free(subst);
	/* CROSSROOT_QEMU_<NAME> for every foreign arch whose qemu is known;
	 * the root's and the command's first (armel and armhf share one). */
	struct strlist qvars = { 0 };
	const struct cr_arch *order[66];
	size_t norder = 0;
	if (r.root_arch != kernel_arch)
		order[norder++] = r.root_arch;
	if (plan.arch)
		order[norder++] = plan.arch;
	for (size_t i = 0; i < nguests; i++)
		order[norder++] = guests[i];
	for (size_t i = 0; i < norder; i++) {
		struct qemu_slot *s = qemu_lookup(order[i]);
		char var[64];
		cr_arch_qemu_var(order[i], var, sizeof var);
		if (s && s->found && !strlist_has(&qvars, var)) {
			strlist_add(&qvars, var);
			set_env(var, s->path);
		}
	}
	if (opt.qemu[0] && !qemu_opt_arch)
		verbose(1, "note: --qemu %s is not used: no foreign program to run", opt.qemu);
	set_env("CROSSROOT_STAGE_PREFIX", r.stage);
	if (*r.qemu_args_str)
		set_env("CROSSROOT_QEMU_ARGS", r.qemu_args_str);
	if (opt.verbose > 0) {
		char v[16];
		snprintf(v, sizeof v, "%d", opt.verbose);
		set_env("CROSSROOT_VERBOSE", v);
	}
	if (opt.log[0])
		set_env("CROSSROOT_LOG", opt.log);

	/* A native program under the root's loader gets crossroot's library
	 * directories, known now, in its --library-path: plan it again. */
	if (plan.native_loader) {
		ctx.native_libpath = getenv("CROSSROOT_LIBPATH");
		rc = cr_exec_plan(&ctx, cmdv[0], cmdv[0], pathvar, flags, &plan);
		if (rc != 0) {
			fprintf(stderr, "%s\n", plan.why[0] ? plan.why : strerror(rc));
			return rc == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
		}
	}

	size_t n = cr_exec_argc(&plan, cmdc);
	const char **av = calloc(n + 1, sizeof *av);
	if (!av)
		die(EXIT_CANCELED, "out of memory");
	cr_exec_build_argv(&plan, cmdv, cmdc, av);
	if (opt.verbose >= 1) {
		char *words = join_words(av, n);
		verbose(1, "exec %s [%s] (cwd %s)", plan.path, words, guest_cwd);
		free(words);
	}
	/* The program's loader is told only its own architecture's library
	 * directories, as the library does at every exec (cr_env.h). */
	struct cr_env_snapshot snap;
	cr_env_snapshot(&snap, environ);
	const char *trip = plan.target ? plan.target->triplet : NULL;
	const char *pre[8];
	char prebuf[2 * PATH_MAX];
	cr_env_find_preloads(&snap, environ, trip, file_exists, NULL,
	                     pre, sizeof pre / sizeof pre[0], prebuf, sizeof prebuf);
	size_t slots, asz;
	cr_env_sizes(&snap, environ, trip, pre, &slots, &asz);
	const char **envv = calloc(slots, sizeof *envv);
	char *arena = malloc(asz + 1);
	if (!envv || !arena ||
	    cr_env_rebuild(&snap, environ, trip, pre, envv, slots, arena, asz + 1) != 0)
		die(EXIT_CANCELED, "out of memory");
	if (plan.arch) {
		cr_env_drop_for_qemu(envv);
		/* As the library does at every exec: a program that cannot
		 * reach its preloads goes without them (cr_reach.h). */
		static char strtab[16384];
		const char *all = getenv("CROSSROOT_PRELOAD_ALL");
		if (plan.elf_host != NULL && !(all && strcmp(all, "1") == 0) &&
		    cr_preloads_unreachable(&plan, (char *const *)envv, pre, library_exports,
		                            NULL, 0, strtab, sizeof strtab)) {
			cr_env_drop(envv, "LD_PRELOAD");
			verbose(1, "%s runs without preloads: it cannot reach them",
			        plan.guest_path);
		}
	}
	if (log_fd >= 0)
		close(log_fd);
	execve(plan.path, (char *const *)av, (char *const *)envv);
	int e = errno;
	free(av);
	fprintf(stderr, PROG ": failed to run command '%s': %s\n", cmdv[0], strerror(e));
	return e == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
}
