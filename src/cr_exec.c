/* cr_exec.c - the exec planner: from "exec this path" to the real execve.
 *
 * The program is located inside the root (directly, or by a PATH search
 * inside the root for the p-variants), checked for command substitution,
 * identified from its first bytes, and turned into the host path and argv
 * prefix to exec: the program itself for the kernel's own architecture
 * (or, for a dynamic one inside the root, the root's own dynamic loader
 * with the root's library directories), qemu-user for a foreign ELF, and for a #! script its interpreter, planned
 * again the same way, with the argv the kernel would build.  Levels are
 * walked iteratively (no recursion, a few PATH_MAX buffers of stack); all
 * strings the plan keeps are copied into its arena; nothing is allocated,
 * so this runs between fork and exec.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "cr_exec.h"
#include "cr_sys.h"

/* glibc's execvp default when PATH is unset. */
#define CR_DEFAULT_PATH "/bin:/usr/bin"
#define CR_SH "/bin/sh"

/* ------------------------------------------------------------- messages */

struct msg {
	char *buf;
	size_t sz, n;
};

static void msg_str(struct msg *m, const char *s)
{
	for (; s != NULL && *s != '\0' && m->n + 1 < m->sz; s++)
		m->buf[m->n++] = *s;
	m->buf[m->n] = '\0';
}

static void msg_uint(struct msg *m, unsigned long v)
{
	char d[24];
	size_t i = sizeof d;
	d[--i] = '\0';
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	msg_str(m, d + i);
}

static struct msg why_start(struct cr_exec_plan *plan, const char *what)
{
	struct msg m = { plan->why, sizeof plan->why, 0 };
	msg_str(&m, "crossroot: ");
	msg_str(&m, what);
	return m;
}

static const char *err_text(int err)
{
	switch (err) {
	case ENOENT:       return "not found inside the root";
	case EACCES:       return "permission denied (not an executable regular file)";
	case ENOTDIR:      return "a path component is not a directory";
	case ELOOP:        return "too many levels of symbolic links";
	case ENAMETOOLONG: return "file name too long";
	case ENOEXEC:      return "exec format error";
	case E2BIG:        return "argument list too long";
	default:           return NULL;
	}
}

static void msg_err(struct msg *m, int err)
{
	const char *t = err_text(err);
	if (t != NULL) {
		msg_str(m, t);
	} else {
		msg_str(m, "error ");
		msg_uint(m, (unsigned long)err);
	}
}

/* "crossroot: WHAT: TEXT-OF-ERR"; returns err. */
static int fail(struct cr_exec_plan *plan, int err, const char *what)
{
	struct msg m = why_start(plan, what);
	msg_str(&m, ": ");
	msg_err(&m, err);
	return err;
}

/* ---------------------------------------------------------------- arena */

static const char *arena_dupn(struct cr_exec_plan *plan, const char *s, size_t n)
{
	char *p;
	if (n >= sizeof plan->arena - plan->arena_used)
		return NULL;
	p = plan->arena + plan->arena_used;
	memcpy(p, s, n);
	p[n] = '\0';
	plan->arena_used += n + 1;
	return p;
}

static const char *arena_dup(struct cr_exec_plan *plan, const char *s)
{
	return arena_dupn(plan, s, strlen(s));
}

static int arena_full(struct cr_exec_plan *plan)
{
	struct msg m = why_start(plan, "exec plan too large (paths and arguments exceed ");
	msg_uint(&m, (unsigned long)sizeof plan->arena);
	msg_str(&m, " bytes)");
	return ENAMETOOLONG;
}

/* ------------------------------------------------------------- locating */

/* Scratch buffers for one candidate program. */
struct where {
	char gabs[PATH_MAX];    /* guest absolute path (lexical) */
	char host[PATH_MAX];    /* host path, symlinks resolved in the root */
	const char *subst;      /* command substitution, or NULL */
	int outside;            /* ... a fakechroot-convention one */
};

static const char *cwd_of(const struct cr_exec_ctx *ctx)
{
	return ctx->guest_cwd != NULL ? ctx->guest_cwd : "/";
}

/* Locate guest path gpath: substitution first (on the path as given, then
 * on the symlink-resolved one), else an executable regular file in the
 * root.  Returns 0 or an errno value (no message). */
static int probe(const struct cr_exec_ctx *ctx, const char *gpath, struct where *w)
{
	char view[PATH_MAX];
	int err, r;

	const struct cr_subst *e;

	w->subst = NULL;
	w->outside = 0;
	err = cr_guest_abspath(cwd_of(ctx), gpath, w->gabs, sizeof w->gabs);
	if (err != 0)
		return err;
	if ((e = cr_config_subst_entry(ctx->cfg, w->gabs)) != NULL) {
		w->subst = e->host;
		w->outside = e->outside;
		return 0;
	}
	err = cr_resolve(ctx->cfg, ctx->fs, cwd_of(ctx), gpath, CR_FOLLOW,
	                 w->host, sizeof w->host);
	if (err != 0)
		return err;
	r = cr_unmap(ctx->cfg, w->host, view, sizeof view);
	if ((r == 0 || r == 1) && strcmp(view, w->gabs) != 0 &&
	    (e = cr_config_subst_entry(ctx->cfg, view)) != NULL) {
		w->subst = e->host;
		w->outside = e->outside;
		return 0;
	}
	r = ctx->fs->exec_ok(ctx->fs->ud, w->host);
	return r < 0 ? -r : 0;
}

/* execvp's search, inside the root.  On success *found is the candidate
 * (guest path as execvp would pass it) copied into the arena. */
static int search_path(const struct cr_exec_ctx *ctx, const char *file,
                       const char *pathvar, struct where *w,
                       struct cr_exec_plan *plan, const char **found)
{
	size_t flen = strlen(file);
	int got_eacces = 0;
	char cand[PATH_MAX];
	const char *p;

	if (flen > NAME_MAX)
		return fail(plan, ENAMETOOLONG, file);
	if (pathvar == NULL)
		pathvar = CR_DEFAULT_PATH;
	for (p = pathvar;; p++) {
		const char *end = strchr(p, ':');
		size_t dlen = end ? (size_t)(end - p) : strlen(p);
		int err;

		if (dlen + 1 + flen < sizeof cand) {
			memcpy(cand, p, dlen);
			if (dlen > 0)
				cand[dlen++] = '/';
			memcpy(cand + dlen, file, flen + 1);
			err = probe(ctx, cand, w);
			if (err == 0) {
				*found = arena_dup(plan, cand);
				return *found != NULL ? 0 : arena_full(plan);
			}
			switch (err) {
			case EACCES:
				got_eacces = 1;
				break;
			case ENOENT: case ESTALE: case ENOTDIR: case ENODEV:
			case ETIMEDOUT: case ENAMETOOLONG:
				break;
			default:
				return fail(plan, err, cand);
			}
		}
		if (end == NULL)
			break;
		p = end;
	}
	if (got_eacces)
		return fail(plan, EACCES, file);
	{
		struct msg m = why_start(plan, file);
		msg_str(&m, ": command not found in PATH (");
		msg_str(&m, pathvar);
		msg_str(&m, ") inside the root");
	}
	return ENOENT;
}

/* -------------------------------------------------------------- reading */

struct fdreader {
	const struct cr_fsops *fs;
	int fd;
};

static ssize_t fd_pread(void *ud, void *buf, size_t n, off_t off)
{
	struct fdreader *r = ud;
	return r->fs->pread(r->fs->ud, r->fd, buf, n, off);
}

/* Identify a host file.  Returns 0, -1 when it cannot be opened for reading
 * (EACCES/EPERM: execute-only; the kernel is left to decide), or an errno. */
static int identify(const struct cr_fsops *fs, const char *host, struct cr_fileinfo *fi)
{
	struct fdreader fr = { fs, -1 };
	struct cr_reader rd = { fd_pread, &fr };
	int err;

	fr.fd = fs->open_ro(fs->ud, host);
	if (fr.fd == -EACCES || fr.fd == -EPERM)
		return -1;
	if (fr.fd < 0)
		return -fr.fd;
	err = cr_file_identify(&rd, fi);
	fs->close(fs->ud, fr.fd);
	return err;
}

/* ------------------------------------------------------------- planning */

struct level {
	const char *file;   /* the file at this level, as execve got it */
	const char *arg;    /* its #! argument, or NULL */
};

static int add_prefix(struct cr_exec_plan *plan, const char *s)
{
	if (plan->nprefix >= CR_EXEC_MAX_PREFIX)
		return -1;
	plan->prefix[plan->nprefix++] = s;
	return 0;
}

static int too_many_words(struct cr_exec_plan *plan)
{
	struct msg m = why_start(plan, "more than ");
	msg_uint(&m, CR_EXEC_MAX_PREFIX);
	msg_str(&m, " words in front of argv (too many CROSSROOT_QEMU_ARGS or #! levels)");
	return E2BIG;
}

static int no_qemu(struct cr_exec_plan *plan, const struct cr_exec_ctx *ctx,
                   const char *gpath, const struct cr_arch *a)
{
	char var[64];
	struct msg m = why_start(plan, gpath);
	(void)ctx;
	msg_str(&m, " is an ");
	msg_str(&m, a->debian);
	msg_str(&m, " (");
	msg_str(&m, a->qemu);
	msg_str(&m, ") program but no qemu-");
	msg_str(&m, a->qemu);
	msg_str(&m, "-static was found: install qemu-user-static or set ");
	msg_str(&m, cr_arch_qemu_var(a, var, sizeof var));
	return ENOENT;
}

/* A static foreign program inside a fake root, not allowed by the user. */
static int refuse_static(struct cr_exec_plan *plan, const char *gpath,
                         const struct cr_arch *a)
{
	struct msg m = why_start(plan, gpath);
	msg_str(&m, " is a static ");
	msg_str(&m, a->debian);
	msg_str(&m, " program: crossroot cannot keep it inside the root (it gets"
	        " no libcrossroot, and qemu's -L falls back to host paths for files"
	        " missing in the root); set CROSSROOT_ALLOW_STATIC=1"
	        " (crossroot --allow-static) to run it anyway");
	return EACCES;
}

/* The argv words for a foreign program: QEMU -L PREFIX [ARGS] -0 ARGV0 HOST. */
static int plan_qemu(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                     const char *qemu, const char *a0, const char *host)
{
	const struct cr_config *cfg = ctx->cfg;
	const char *q, *pfx, *h;

	q = arena_dup(plan, qemu);
	if (ctx->qemu_prefix != NULL)
		pfx = arena_dup(plan, ctx->qemu_prefix);
	else if (cfg != NULL && cfg->rootlen > 0)
		pfx = arena_dupn(plan, cfg->root, cfg->rootlen);
	else
		pfx = "/";
	h = arena_dup(plan, host);
	if (q == NULL || pfx == NULL || h == NULL)
		return arena_full(plan);
	plan->path = q;
	if (add_prefix(plan, q) || add_prefix(plan, "-L") || add_prefix(plan, pfx))
		return too_many_words(plan);
	for (size_t i = 0; ctx->qemu_args != NULL && ctx->qemu_args[i] != NULL; i++) {
		const char *s = arena_dup(plan, ctx->qemu_args[i]);
		if (s == NULL)
			return arena_full(plan);
		if (add_prefix(plan, s))
			return too_many_words(plan);
	}
	if (add_prefix(plan, "-0") || add_prefix(plan, a0) || add_prefix(plan, h))
		return too_many_words(plan);
	plan->skip = 1;
	return 0;
}

/* ------------------------------------------------ a foreign interpreter
 *
 * qemu's -L finds a guest program's PT_INTERP as PREFIX/INTERP, and the
 * host kernel follows the symlinks on that path with host semantics: an
 * absolute link (usrmerge's conversion briefly makes /lib/ld-linux-*.so.*
 * one) leads to the host's file, or nowhere.  When resolving the
 * interpreter inside the root crosses an absolute link, the program is
 * run as "qemu -L ROOT -0 A0 ROOT/LOADER [--argv0 A0] ROOT/PROG ARGS":
 * the loader, resolved here, is the program qemu starts.  Then
 * /proc/self/exe names the loader, and with a glibc older than 2.33 (no
 * --argv0) argv[0] is the program's host path. */

static unsigned file_has_strings(const struct cr_fsops *fs, const char *host,
                                 const char *const *needles, size_t n);

struct abs_watch {
	const struct cr_fsops *inner;
	int seen;           /* an absolute link target was read */
};

static ssize_t abs_watch_readlink(void *ud, const char *p, char *buf, size_t n)
{
	struct abs_watch *aw = ud;
	ssize_t r = aw->inner->readlink(aw->inner->ud, p, buf, n);
	if (r > 0 && buf[0] == '/')
		aw->seen = 1;
	return r;
}
static int abs_watch_open(void *ud, const char *p)
{
	struct abs_watch *aw = ud;
	return aw->inner->open_ro(aw->inner->ud, p);
}
static ssize_t abs_watch_pread(void *ud, int fd, void *b, size_t n, off_t o)
{
	struct abs_watch *aw = ud;
	return aw->inner->pread(aw->inner->ud, fd, b, n, o);
}
static void abs_watch_close(void *ud, int fd)
{
	struct abs_watch *aw = ud;
	aw->inner->close(aw->inner->ud, fd);
}
static int abs_watch_exec_ok(void *ud, const char *p)
{
	struct abs_watch *aw = ud;
	return aw->inner->exec_ok(aw->inner->ud, p);
}
static int abs_watch_nolinks(void *ud, const char *p, int follow)
{
	struct abs_watch *aw = ud;
	return aw->inner->nolinks(aw->inner->ud, p, follow);
}

/* The interpreter's host path when reaching it inside the root crosses an
 * absolute symlink (written into out), else 0 (-L finds it). */
static int interp_needs_explicit(const struct cr_exec_ctx *ctx,
                                 const struct cr_elfinfo *elf,
                                 char *out, size_t outsz)
{
	struct abs_watch aw = { ctx->fs, 0 };
	struct cr_fsops ops = {
		abs_watch_readlink, abs_watch_open, abs_watch_pread, abs_watch_close,
		abs_watch_exec_ok, &aw, ctx->fs->nolinks ? abs_watch_nolinks : NULL,
	};
	if (ctx->cfg == NULL || ctx->cfg->rootlen == 0 || ctx->qemu_prefix != NULL ||
	    !elf->has_interp || elf->interp[0] != '/')
		return 0;
	if (cr_resolve(ctx->cfg, &ops, "/", elf->interp, CR_FOLLOW, out, outsz) != 0 ||
	    !aw.seen || !cr_host_in_root(ctx->cfg, out) ||
	    ctx->fs->exec_ok(ctx->fs->ud, out) != 0)
		return 0;
	return 1;
}

static int plan_qemu_interp(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                            const char *qemu, const char *a0, const char *host,
                            const char *interp)
{
	static const char *const needles[] = { "--argv0" };
	const char *ip = arena_dup(plan, interp);
	int err;
	if (ip == NULL)
		return arena_full(plan);
	err = plan_qemu(ctx, plan, qemu, a0, ip);
	if (err)
		return err;
	if ((file_has_strings(ctx->fs, interp, needles, 1) & 1) &&
	    (add_prefix(plan, "--argv0") || add_prefix(plan, a0)))
		return too_many_words(plan);
	{
		const char *h = arena_dup(plan, host);
		if (h == NULL)
			return arena_full(plan);
		if (add_prefix(plan, h))
			return too_many_words(plan);
	}
	return 0;
}

/* ------------------------------------------------------- native loader
 *
 * A dynamic program of the kernel's architecture inside the root would get
 * the HOST's loader from the kernel (PT_INTERP is read as a host path) and
 * with it the host's ld.so.cache and libraries: a root with another glibc
 * breaks, and libraries found only in the root are missing.  So it is run
 * as "ROOT/LOADER --inhibit-cache --library-path LIBPATH [--argv0 A0]
 * ROOT/PROG ARGS": the root's loader, the root's library directories (the
 * host's /etc/ld.so.cache is not read), then crossroot's own directories
 * (--library-path replaces LD_LIBRARY_PATH; libcrossroot.so is preloaded
 * by bare name, libfakeroot too).
 * Trade-offs, seen by the program and documented for users:
 *   - /proc/self/exe and AT_EXECFN name the loader, and /proc/PID/cmdline
 *     (what ps shows) holds the loader's whole command line;
 *   - with a loader older than glibc 2.33 (no --argv0) argv[0] is the
 *     program's host path;
 *   - LD_LIBRARY_PATH is not used for the program itself (its children
 *     still get it), nor the root's ld.so.conf.d directories;
 *   - set-user-ID bits are not honoured (they are not, either, for files
 *     an unprivileged user owns);
 *   - CROSSROOT_NATIVE_LOADER=0 turns this off: the kernel then uses the
 *     host's loader and libraries, as a plain exec would. */

#define LOADER_SCAN_MAX (16L << 20)   /* a loader is ~250 KiB */
#define LDSO_CONF_MAX   4096          /* bytes of ld.so.conf read */

/* Which of the needles occur in a host file: bit i for needles[i].  A
 * bounded chunked scan (no allocation); a read error ends it. */
static unsigned file_has_strings(const struct cr_fsops *fs, const char *host,
                                 const char *const *needles, size_t n)
{
	char buf[4096 + 64];
	size_t keep = 0, maxlen = 0;
	unsigned found = 0, all = (1u << n) - 1;
	off_t off = 0;
	int fd;

	for (size_t i = 0; i < n; i++)
		if (strlen(needles[i]) > maxlen)
			maxlen = strlen(needles[i]);
	fd = fs->open_ro(fs->ud, host);
	if (fd < 0)
		return 0;
	while (found != all && off < LOADER_SCAN_MAX) {
		ssize_t r = fs->pread(fs->ud, fd, buf + keep, sizeof buf - 64, off);
		size_t have;
		if (r <= 0)
			break;
		have = keep + (size_t)r;
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(needles[i]);
			for (size_t j = 0; !(found & (1u << i)) && j + l <= have; j++)
				if (buf[j] == needles[i][0] && memcmp(buf + j, needles[i], l) == 0)
					found |= 1u << i;
		}
		/* Keep the tail: a needle may straddle two chunks. */
		keep = have < maxlen - 1 ? have : maxlen - 1;
		memmove(buf, buf + have - keep, keep);
		off += r;
	}
	fs->close(fs->ud, fd);
	return found;
}

/* Is a host path an existing directory?  (open_ro of a directory either
 * fails with EISDIR or succeeds and then reading fails with EISDIR.) */
static int host_is_dir(const struct cr_fsops *fs, const char *host)
{
	char c;
	ssize_t r;
	int fd = fs->open_ro(fs->ud, host);
	if (fd == -EISDIR)
		return 1;
	if (fd < 0)
		return 0;
	r = fs->pread(fs->ud, fd, &c, 1, 0);
	fs->close(fs->ud, fd);
	return r == -EISDIR;
}

/* Would the loader split or expand this --library-path entry? */
static int bad_libdir(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':' || s[i] == ';' || s[i] == '$')
			return 1;
	return 0;
}

/* The library path being built in the plan's arena. */
struct libpath {
	char *start;        /* in the arena */
	size_t len;
	size_t nroot;       /* directories of the root added */
	int full;           /* did not fit */
};

static int libpath_has(const struct libpath *lp, const char *d, size_t n)
{
	const char *p = lp->start, *end = lp->start + lp->len;
	while (p < end) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		size_t l = c ? (size_t)(c - p) : (size_t)(end - p);
		if (l == n && memcmp(p, d, n) == 0)
			return 1;
		p += l + 1;
	}
	return 0;
}

static void libpath_add(struct cr_exec_plan *plan, struct libpath *lp,
                        const char *d, size_t n)
{
	size_t need = n + (lp->len > 0);
	if (n == 0 || lp->full || bad_libdir(d, n) || libpath_has(lp, d, n))
		return;
	/* + the final NUL */
	if (need + 1 > sizeof plan->arena - plan->arena_used - lp->len) {
		lp->full = 1;
		return;
	}
	if (lp->len > 0)
		lp->start[lp->len++] = ':';
	memcpy(lp->start + lp->len, d, n);
	lp->len += n;
	lp->start[lp->len] = '\0';
}

/* Add guest directory gdir (n bytes) of the root when it is one. */
static void libpath_add_guest(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                              struct libpath *lp, const char *gdir, size_t n)
{
	char g[PATH_MAX], host[PATH_MAX];
	size_t before = lp->len;
	if (n == 0 || n >= sizeof g || gdir[0] != '/')
		return;
	memcpy(g, gdir, n);
	g[n] = '\0';
	if (cr_resolve(ctx->cfg, ctx->fs, "/", g, CR_FOLLOW, host, sizeof host) != 0 ||
	    !cr_host_in_root(ctx->cfg, host) || !host_is_dir(ctx->fs, host))
		return;
	libpath_add(plan, lp, host, strlen(host));
	if (lp->len != before)
		lp->nroot++;
}

/* The plain directory lines of the root's /etc/ld.so.conf ("include" and
 * "hwcap" lines skipped; "DIR=TYPE" keeps DIR). */
static void libpath_add_ldso_conf(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                                  struct libpath *lp)
{
	char host[PATH_MAX], conf[LDSO_CONF_MAX + 1];
	ssize_t n;
	int fd;

	if (cr_resolve(ctx->cfg, ctx->fs, "/", "/etc/ld.so.conf", CR_FOLLOW,
	               host, sizeof host) != 0 || !cr_host_in_root(ctx->cfg, host))
		return;
	fd = ctx->fs->open_ro(ctx->fs->ud, host);
	if (fd < 0)
		return;
	n = ctx->fs->pread(ctx->fs->ud, fd, conf, LDSO_CONF_MAX, 0);
	ctx->fs->close(ctx->fs->ud, fd);
	if (n <= 0)
		return;
	if (n == LDSO_CONF_MAX) {
		/* Cut at the last complete line. */
		while (n > 0 && conf[n - 1] != '\n')
			n--;
	}
	conf[n] = '\0';
	for (char *line = conf; *line != '\0';) {
		char *eol = strchr(line, '\n'), *w, *e;
		if (eol != NULL)
			*eol = '\0';
		w = line;
		while (*w == ' ' || *w == '\t')
			w++;
		e = w;
		while (*e != '\0' && *e != ' ' && *e != '\t' && *e != '#' &&
		       *e != ',' && *e != ':' && *e != '=')
			e++;
		if (*w == '/')
			libpath_add_guest(ctx, plan, lp, w, (size_t)(e - w));
		if (eol == NULL)
			break;
		line = eol + 1;
	}
}

/* Try to plan w->host under the root's loader.  Returns 0 with *used set
 * (0: not applicable, exec directly), or an errno value with plan->why. */
static int plan_native_loader(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                              const struct where *w, const struct cr_elfinfo *elf,
                              const struct cr_arch *a, const char *a0, int *used)
{
	static const char *const needles[] = { "--inhibit-cache", "--argv0" };
	static const char *const std_dirs[] = { "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
	char interp[PATH_MAX], g[PATH_MAX];
	const char *ip, *hp;
	struct libpath lp;
	size_t mark = plan->arena_used, nmark = plan->nprefix;
	unsigned has;

	*used = 0;
	if (elf->interp[0] != '/' ||
	    cr_resolve(ctx->cfg, ctx->fs, "/", elf->interp, CR_FOLLOW,
	               interp, sizeof interp) != 0 ||
	    !cr_host_in_root(ctx->cfg, interp) ||
	    ctx->fs->exec_ok(ctx->fs->ud, interp) != 0)
		return 0;
	has = file_has_strings(ctx->fs, interp, needles, 2);
	if (!(has & 1))
		return 0;   /* not a glibc loader (musl's has no --inhibit-cache) */

	/* The library path, built in place at the end of the arena. */
	if (plan->arena_used >= sizeof plan->arena)
		return arena_full(plan);
	lp.start = plan->arena + plan->arena_used;
	lp.start[0] = '\0';
	lp.len = 0;
	lp.nroot = 0;
	lp.full = 0;
	libpath_add_ldso_conf(ctx, plan, &lp);
	for (int usr = 0; usr < 2; usr++) {
		/* /lib/TRIPLET, /usr/lib/TRIPLET */
		struct msg m = { g, sizeof g, 0 };
		msg_str(&m, usr ? "/usr/lib/" : "/lib/");
		msg_str(&m, a->triplet);
		libpath_add_guest(ctx, plan, &lp, g, m.n);
	}
	for (size_t i = 0; i < sizeof std_dirs / sizeof std_dirs[0]; i++)
		libpath_add_guest(ctx, plan, &lp, std_dirs[i], strlen(std_dirs[i]));
	if (lp.full)
		return arena_full(plan);
	if (lp.nroot == 0)
		return 0;   /* no library directory: the root's loader would
		             * take the host's libraries */
	for (const char *p = ctx->native_libpath; p != NULL && *p != '\0';) {
		const char *c = strchr(p, ':');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if (p[0] == '/')
			libpath_add(plan, &lp, p, l);
		if (c == NULL)
			break;
		p = c + 1;
	}
	if (lp.full)
		return arena_full(plan);
	plan->arena_used += lp.len + 1;

	ip = arena_dup(plan, interp);
	hp = arena_dup(plan, w->host);
	if (ip == NULL || hp == NULL)
		return arena_full(plan);
	plan->path = ip;
	if (add_prefix(plan, ip) || add_prefix(plan, "--inhibit-cache") ||
	    add_prefix(plan, "--library-path") || add_prefix(plan, lp.start) ||
	    ((has & 2) && (add_prefix(plan, "--argv0") || add_prefix(plan, a0))) ||
	    add_prefix(plan, hp)) {
		plan->arena_used = mark;
		plan->nprefix = nmark;
		return too_many_words(plan);
	}
	plan->skip = 1;
	plan->native_loader = 1;
	*used = 1;
	return 0;
}

/* FAKECHROOT_ELFLOADER: ELFLOADER [ARGV0OPT ARGV0] HOSTPATH ARGV[1..]. */
static int plan_elfloader(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                          const struct where *w, const char *a0)
{
	const char *lp = arena_dup(plan, ctx->elfloader);
	const char *hp = arena_dup(plan, w->host);
	const char *opt = ctx->elfloader_argv0;
	if (lp == NULL || hp == NULL)
		return arena_full(plan);
	plan->path = lp;
	if (add_prefix(plan, lp) ||
	    (opt != NULL && opt[0] != '\0' && (add_prefix(plan, opt) || add_prefix(plan, a0))) ||
	    add_prefix(plan, hp))
		return too_many_words(plan);
	plan->skip = 1;
	return 0;
}

/* Plan an ELF at host path w->host whose argv[0] is a0. */
static int plan_elf(const struct cr_exec_ctx *ctx, struct cr_exec_plan *plan,
                    const struct where *w, const struct cr_elfinfo *elf,
                    const char *a0)
{
	const struct cr_arch *a;
	const char *qemu;

	if (elf->type != ET_EXEC && elf->type != ET_DYN) {
		struct msg m = why_start(plan, w->gabs);
		msg_str(&m, ": ELF file is not an executable (e_type ");
		msg_uint(&m, elf->type);
		msg_str(&m, ")");
		return ENOEXEC;
	}
	a = cr_arch_from_elf(elf);
	if (a == NULL) {
		struct msg m = why_start(plan, w->gabs);
		msg_str(&m, ": ELF for unknown machine ");
		msg_uint(&m, elf->machine);
		msg_str(&m, elf->elfclass == ELFCLASS64 ? " (64-bit " : " (32-bit ");
		msg_str(&m, elf->data == ELFDATA2MSB ? "MSB)" : "LSB)");
		msg_str(&m, ": exec format error");
		return ENOEXEC;
	}
	/* A static program has no loader to tell: its environment is for
	 * what it runs (qemu-user itself, exec'd directly, is one). */
	plan->target = elf->has_interp ? a : NULL;
	if (a == ctx->kernel) {
		if (ctx->elfloader != NULL && ctx->elfloader[0] == '/' && elf->has_interp)
			return plan_elfloader(ctx, plan, w, a0);
		if (ctx->native_loader && elf->has_interp && ctx->cfg != NULL &&
		    ctx->cfg->rootlen > 0 && cr_host_in_root(ctx->cfg, w->host)) {
			int used, err = plan_native_loader(ctx, plan, w, elf, a, a0, &used);
			if (err != 0 || used)
				return err;
		}
		plan->path = arena_dup(plan, w->host);
		if (plan->path == NULL)
			return arena_full(plan);
		plan->prefix[0] = a0;
		plan->nprefix = 1;
		plan->skip = 1;
		return 0;
	}
	qemu = ctx->find_qemu != NULL ? ctx->find_qemu(ctx->qemu_ud, a) : NULL;
	if (qemu == NULL || *qemu == '\0')
		return no_qemu(plan, ctx, w->gabs, a);
	plan->arch = a;
	plan->is_static = !elf->has_interp;
	if (plan->is_static && !ctx->allow_static && ctx->cfg != NULL &&
	    ctx->cfg->rootlen > 0)
		return refuse_static(plan, w->gabs, a);
	if (!plan->is_static) {
		/* What cr_program_may_reach needs to know of the program. */
		plan->elf_host = arena_dup(plan, w->host);
		plan->elf_interp = arena_dup(plan, elf->interp);
		if (plan->elf_host == NULL || plan->elf_interp == NULL)
			return arena_full(plan);
	}
	{
		char interp[PATH_MAX];
		if (interp_needs_explicit(ctx, elf, interp, sizeof interp))
			return plan_qemu_interp(ctx, plan, qemu, a0, w->host, interp);
	}
	return plan_qemu(ctx, plan, qemu, a0, w->host);
}

int cr_exec_plan(const struct cr_exec_ctx *ctx, const char *file,
                 const char *argv0, const char *pathvar, int flags,
                 struct cr_exec_plan *plan)
{
	struct where w;
	struct cr_fileinfo fi;
	struct level lv[CR_EXEC_MAX_NEST + 1];
	size_t nlv = 0;
	const char *a0 = argv0 != NULL ? argv0 : "";
	const char *given, *cur;
	int err, fellback = 0;

	plan->path = NULL;
	plan->nprefix = 0;
	plan->skip = 0;
	plan->arch = NULL;
	plan->target = NULL;
	plan->is_static = 0;
	plan->elf_host = NULL;
	plan->elf_interp = NULL;
	plan->substituted = 0;
	plan->subst_outside = 0;
	plan->native_loader = 0;
	plan->guest_path[0] = '\0';
	plan->why[0] = '\0';
	plan->arena_used = 0;

	if (file == NULL || *file == '\0')
		return fail(plan, ENOENT, "empty program name");

	/* Level 0: the program itself. */
	if (strchr(file, '/') != NULL || !(flags & CR_EXEC_SEARCH_PATH)) {
		err = probe(ctx, file, &w);
		if (err != 0)
			return fail(plan, err, file);
		given = arena_dup(plan, file);
		if (given == NULL)
			return arena_full(plan);
	} else {
		err = search_path(ctx, file, pathvar, &w, plan, &given);
		if (err != 0)
			return err;
	}
	memcpy(plan->guest_path, w.gabs, strlen(w.gabs) + 1);
	cur = given;

	/* Walk #! levels until something the kernel or qemu runs. */
	for (;;) {
		const char *ak0 = nlv > 0 ? cur : a0;   /* argv[0] at this level */
		int fallback = 0;

		if (w.subst != NULL) {
			plan->path = arena_dup(plan, w.subst);
			if (plan->path == NULL)
				return arena_full(plan);
			plan->substituted = 1;
			plan->subst_outside = w.outside;
			if (nlv > 0 && add_prefix(plan, ak0))
				return too_many_words(plan);
			break;
		}
		err = identify(ctx->fs, w.host, &fi);
		if (err == -1) {
			/* Unreadable but executable: only the kernel can tell. */
			plan->path = arena_dup(plan, w.host);
			if (plan->path == NULL)
				return arena_full(plan);
			plan->prefix[0] = ak0;
			plan->nprefix = 1;
			plan->skip = 1;
			break;
		}
		if (err == ENOEXEC && fi.kind == CR_FILE_SCRIPT) {
			if (!(flags & CR_EXEC_SH_FALLBACK) || fellback) {
				struct msg m = why_start(plan, w.gabs);
				msg_str(&m, ": bad #! line (no interpreter, or its name is cut at ");
				msg_uint(&m, CR_SHEBANG_MAX);
				msg_str(&m, " bytes)");
				return ENOEXEC;
			}
			fallback = 1;
		} else if (err == ENOEXEC) {
			struct msg m = why_start(plan, w.gabs);
			msg_str(&m, ": corrupt or truncated ELF file: exec format error");
			return ENOEXEC;
		} else if (err != 0) {
			return fail(plan, err, w.gabs);
		} else if (fi.kind == CR_FILE_ELF) {
			err = plan_elf(ctx, plan, &w, &fi.elf, ak0);
			if (err != 0)
				return err;
			break;
		} else if (fi.kind == CR_FILE_UNKNOWN) {
			if (!(flags & CR_EXEC_SH_FALLBACK) || fellback) {
				struct msg m = why_start(plan, w.gabs);
				msg_str(&m, ": neither an ELF program nor a #! script: exec format error");
				return ENOEXEC;
			}
			fallback = 1;
		}

		if (fallback) {
			/* execvp's ENOEXEC rule: /bin/sh FILE ARGV[1..]. */
			fellback = 1;
			nlv = 1;
			lv[0].file = given;
			lv[0].arg = NULL;
			cur = CR_SH;
		} else {
			/* A #! script: its interpreter is the next level. */
			if (nlv >= CR_EXEC_MAX_NEST) {
				struct msg m = why_start(plan, plan->guest_path);
				msg_str(&m, ": more than ");
				msg_uint(&m, CR_EXEC_MAX_NEST);
				msg_str(&m, " nested #! interpreters");
				return ELOOP;
			}
			lv[nlv].file = cur;
			lv[nlv].arg = NULL;
			if (fi.sb.has_arg && (lv[nlv].arg = arena_dup(plan, fi.sb.arg)) == NULL)
				return arena_full(plan);
			nlv++;
			cur = arena_dup(plan, fi.sb.interp);
			if (cur == NULL)
				return arena_full(plan);
		}
		{
			char script[PATH_MAX];
			memcpy(script, w.gabs, strlen(w.gabs) + 1);
			err = probe(ctx, cur, &w);
			if (err != 0) {
				struct msg m = why_start(plan, script);
				msg_str(&m, fallback ?
				        ": not a program; cannot run it with " :
				        ": bad interpreter ");
				msg_str(&m, cur);
				msg_str(&m, ": ");
				msg_err(&m, err);
				return err;
			}
		}
	}

	/* Behind the final program's own words: the #! levels, innermost
	 * first, as the kernel stacks them, then the original argv[1..]. */
	if (nlv > 0) {
		for (size_t j = nlv; j-- > 0;) {
			if (lv[j].arg != NULL && add_prefix(plan, lv[j].arg))
				return too_many_words(plan);
			if (add_prefix(plan, lv[j].file))
				return too_many_words(plan);
		}
		plan->skip = 1;
	}
	return 0;
}

size_t cr_exec_argc(const struct cr_exec_plan *plan, size_t argc)
{
	return plan->nprefix + (argc > plan->skip ? argc - plan->skip : 0);
}

void cr_exec_build_argv(const struct cr_exec_plan *plan, char *const *argv,
                        size_t argc, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < plan->nprefix; i++)
		out[n++] = plan->prefix[i];
	for (size_t i = plan->skip; i < argc; i++)
		out[n++] = argv[i];
	out[n] = NULL;
}

/* ---------------------------------------------------------- finding qemu */
int cr_exec_is_runnable(const char *hostpath)
{
	return cr_sys_isreg(AT_FDCWD, hostpath) == 1 &&
	       cr_sys_faccessat(AT_FDCWD, hostpath, X_OK) == 0;
}

int cr_exec_find_qemu(const char *pathvar, const struct cr_arch *a,
                      char *out, size_t outsz)
{
	static const char *const suffix[] = { "-static", "" };
	if (pathvar == NULL || a == NULL || a->qemu == NULL)
		return 0;
	size_t ql = strlen(a->qemu);
	for (size_t s = 0; s < 2; s++) {
		size_t sl = strlen(suffix[s]);
		for (const char *p = pathvar;;) {
			const char *end = strchr(p, ':');
			size_t dl = end ? (size_t)(end - p) : strlen(p);
			if (dl > 0 && p[0] == '/' && dl + 6 + ql + sl + 1 <= outsz) {
				memcpy(out, p, dl);
				memcpy(out + dl, "/qemu-", 6);
				memcpy(out + dl + 6, a->qemu, ql);
				memcpy(out + dl + 6 + ql, suffix[s], sl + 1);
				if (cr_exec_is_runnable(out))
					return 1;
			}
			if (end == NULL)
				break;
			p = end + 1;
		}
	}
	return 0;
}
