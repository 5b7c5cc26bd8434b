/* cr_path.c - the path resolver: guest paths to host paths and back.
 *
 * cr_resolve walks a guest path one component at a time, the way the
 * kernel's path walk does, but with the fake root as "/": it keeps the host
 * path built so far (root + resolved guest path) in one stack buffer and the
 * part still to walk in another, stored at that buffer's END so that a
 * symlink target is spliced in front of it with one memmove, and reads each
 * component that must be checked with exactly one readlink.  Binds switch
 * the output prefix to the bind's host path.  No allocation, no static
 * storage, no locks: async-signal-safe and thread-safe as long as the
 * injected cr_fsops are.  Also the lexical canonicaliser, the reverse map
 * (host path -> guest path) and the config-time bind resolution.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cr_path.h"

#define CR_MAXLINKS 40

/* The host path being built.  h[0..pl) is the prefix: the root (normal
 * mode) or the host path of the bind the walk is in (bind mode, bd set);
 * h[pl..hl) is "/name" repeated: the guest path below that prefix ("" for
 * the prefix itself).  h is NUL-terminated only when needed. */
struct walk {
	const struct cr_config *cfg;
	const char *root;
	size_t rootlen;
	const struct cr_bind *bd;
	size_t pl;
	size_t hl;
	char h[PATH_MAX];
};

static inline int is_dot(const char *c, size_t n)
{
	return n == 1 && c[0] == '.';
}

static inline int is_dotdot(const char *c, size_t n)
{
	return n == 2 && c[0] == '.' && c[1] == '.';
}

/* A bind's host path as an output prefix: "/" counts as "". */
static inline size_t bind_hostlen(const struct cr_bind *b)
{
	return b->hostlen == 1 && b->host[0] == '/' ? 0 : b->hostlen;
}

/* Is s[0..sl) equal to pre[0..pl) or below it (component boundary)? */
static inline int has_prefix(const char *s, size_t sl, const char *pre, size_t pl)
{
	return sl >= pl && memcmp(s, pre, pl) == 0 && (sl == pl || s[pl] == '/');
}

static void w_init(struct walk *w, const struct cr_config *cfg,
                   const char *root, size_t rootlen)
{
	w->cfg = cfg;
	w->root = root;
	w->rootlen = rootlen;
	w->bd = NULL;
	w->pl = rootlen;
	w->hl = rootlen;
	memcpy(w->h, root, rootlen);
}

static int w_append(struct walk *w, const char *c, size_t n)
{
	if (w->hl + 1 + n >= PATH_MAX)
		return ENAMETOOLONG;
	w->h[w->hl] = '/';
	memcpy(w->h + w->hl + 1, c, n);
	w->hl += 1 + n;
	return 0;
}

/* Drop the last component; never below the prefix. */
static void w_pop(struct walk *w)
{
	size_t i = w->hl;
	while (i > w->pl && w->h[i - 1] != '/')
		i--;
	if (i > w->pl)
		w->hl = i - 1;
}

/* Is the link just read (the walk's current path; its target in t[0..tl))
 * a link to itself: "/proc" -> "/proc", as debootstrap leaves ROOT/proc, or
 * "x" -> "x"?  Following it comes back to the same link with the same rest,
 * so the kernel's walk would end in ELOOP after its 40 links: the caller
 * says so at once instead of reading the link 40 times. */
static int w_links_to_itself(const struct walk *w, const char *t, size_t tl)
{
	size_t gl = w->hl - w->pl, i = w->hl;
	if (w->bd)
		return 0;
	if (t[0] == '/')
		return tl == gl && memcmp(t, w->h + w->pl, gl) == 0;
	while (i > w->pl && w->h[i - 1] != '/')
		i--;
	return tl == w->hl - i && memcmp(t, w->h + i, tl) == 0;
}

/* Does the current guest path equal b's guest path? */
static int w_guest_is(const struct walk *w, const struct cr_bind *b)
{
	size_t sl = w->hl - w->pl;
	if (!w->bd)
		return sl == b->guestlen && memcmp(w->h + w->pl, b->guest, sl) == 0;
	return b->guestlen == w->bd->guestlen + sl && b != w->bd &&
	       memcmp(b->guest, w->bd->guest, w->bd->guestlen) == 0 &&
	       memcmp(b->guest + w->bd->guestlen, w->h + w->pl, sl) == 0;
}

/* The bind whose guest path is the current guest path (the last such). */
static const struct cr_bind *w_bind_exact(const struct walk *w)
{
	const struct cr_bind *found = NULL;
	size_t i;
	if (!w->cfg)
		return NULL;
	for (i = 0; i < w->cfg->nbinds; i++)
		if (w_guest_is(w, &w->cfg->binds[i]))
			found = &w->cfg->binds[i];
	return found;
}

/* Normal mode only: the bind with the longest guest path the current
 * guest path is at or under (the last one among equals). */
static const struct cr_bind *w_bind_under(const struct walk *w)
{
	const struct cr_bind *found = NULL;
	size_t i;
	if (!w->cfg)
		return NULL;
	for (i = 0; i < w->cfg->nbinds; i++) {
		const struct cr_bind *b = &w->cfg->binds[i];
		if (has_prefix(w->h + w->pl, w->hl - w->pl, b->guest, b->guestlen) &&
		    (!found || b->guestlen >= found->guestlen))
			found = b;
	}
	return found;
}

/* Switch to bind mode in b: the current guest path is at or below b's
 * guest path; what lies below it follows b's host path. */
static int w_enter(struct walk *w, const struct cr_bind *b)
{
	size_t off = w->bd ? w->pl + (b->guestlen - w->bd->guestlen)
	                   : w->pl + b->guestlen;
	size_t sl = w->hl - off, bl = bind_hostlen(b);
	if (bl + sl >= PATH_MAX)
		return ENAMETOOLONG;
	memmove(w->h + bl, w->h + off, sl);
	memcpy(w->h, b->host, bl);
	w->hl = bl + sl;
	w->pl = bl;
	w->bd = b;
	return 0;
}

/* "..": lexical pop.  At a bind's top the walk leaves the bind for the
 * guest parent of its guest path (which may lie in another bind); at the
 * root it stays. */
static int w_dotdot(struct walk *w)
{
	const struct cr_bind *b = w->bd, *nb;
	size_t k;
	if (w->hl > w->pl || !b) {
		w_pop(w);
		return 0;
	}
	k = b->guestlen;
	while (k > 0 && b->guest[k - 1] != '/')
		k--;
	k = k ? k - 1 : 0;             /* length of the parent ("" for "/") */
	if (w->rootlen + k >= PATH_MAX)
		return ENAMETOOLONG;
	memcpy(w->h, w->root, w->rootlen);
	memcpy(w->h + w->rootlen, b->guest, k);
	w->hl = w->rootlen + k;
	w->pl = w->rootlen;
	w->bd = NULL;
	nb = w_bind_under(w);
	return nb ? w_enter(w, nb) : 0;
}

/* Lexical walk of s[0..n): "." skipped, ".." popped, names appended. */
static int w_lex(struct walk *w, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j;
		int r;
		while (i < n && s[i] == '/')
			i++;
		if (i == n)
			break;
		for (j = i; j < n && s[j] != '/'; j++)
			;
		if (is_dotdot(s + i, j - i))
			r = w_dotdot(w);
		else if (is_dot(s + i, j - i))
			r = 0;
		else
			r = w_append(w, s + i, j - i);
		if (r)
			return r;
		i = j;
	}
	return 0;
}

/* Copy the walk's host path to out ("/" when empty), with a trailing '/'
 * when asked. */
static int w_output(const struct walk *w, int slash, char *out, size_t outsz)
{
	size_t n = w->hl;
	if (n == 0) {
		if (outsz < 2)
			return ENAMETOOLONG;
		out[0] = '/';
		out[1] = '\0';
		return 0;
	}
	if (n + (slash ? 1 : 0) + 1 > outsz)
		return ENAMETOOLONG;
	memcpy(out, w->h, n);
	if (slash)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

/* Does the path demand a directory: a trailing '/', or a last component
 * "." or ".." (which the lexical walk removes)? */
static int dir_required(const char *p, size_t n)
{
	if (p[n - 1] == '/')
		return 1;
	if (p[n - 1] != '.')
		return 0;
	if (n == 1 || p[n - 2] == '/')
		return 1;
	return p[n - 2] == '.' && (n == 2 || p[n - 3] == '/');
}

static int binds_identity(const struct cr_config *cfg)
{
	size_t i;
	for (i = 0; i < cfg->nbinds; i++) {
		const struct cr_bind *b = &cfg->binds[i];
		if (b->hostlen != b->guestlen || memcmp(b->host, b->guest, b->hostlen) != 0)
			return 0;
	}
	return 1;
}

/* No fake root and no bind that moves anything: host == guest.  Absolute
 * paths are copied, relative ones joined to base; the kernel resolves. */
static int join_plain(const char *base, size_t bl, const char *path, size_t plen,
                      char *out, size_t outsz)
{
	size_t n;
	if (path[0] == '/') {
		if (plen + 1 > outsz)
			return ENAMETOOLONG;
		memcpy(out, path, plen + 1);
		return 0;
	}
	if (bl > 0 && base[bl - 1] == '/')
		bl--;
	n = bl + 1 + plen;
	if (n >= PATH_MAX || n + 1 > outsz)
		return ENAMETOOLONG;
	memcpy(out, base, bl);
	out[bl] = '/';
	memcpy(out + bl + 1, path, plen + 1);
	return 0;
}

/* In a bind of /proc, does the walk stand on PID/root or
 * PID/task/TID/root (PID a number, "self" or "thread-self")? */
static int w_proc_root(const struct walk *w)
{
	const char *p = w->h + w->pl, *e = w->h + w->hl, *c;
	size_t n;
	int i;

	if (!w->cfg || w->cfg->rootlen == 0 || w->bd->guestlen != 5 ||
	    memcmp(w->bd->guest, "/proc", 5) != 0)
		return 0;
	for (i = 0; p < e; i++) {
		c = ++p;                  /* past the '/' */
		while (p < e && *p != '/')
			p++;
		n = (size_t)(p - c);
		if (p == e)               /* the last component */
			return (i == 1 || i == 3) && n == 4 && !memcmp(c, "root", 4);
		if (i == 0) {
			if (!(n == 4 && !memcmp(c, "self", 4)) &&
			    !(n == 11 && !memcmp(c, "thread-self", 11)) &&
			    strspn(c, "0123456789") < n)
				return 0;
		} else if (i == 1) {
			if (n != 4 || memcmp(c, "task", 4))
				return 0;
		} else if (i == 2) {
			if (strspn(c, "0123456789") < n || n == 0)
				return 0;
		} else {
			return 0;
		}
	}
	return 0;
}

/* After a symlink: the rest of the walk, appended lexically, often names a
 * path with no further symlink; one ops->nolinks probe settles that.
 * Returns 0 with w extended to the whole path, else 1 with w unchanged
 * (a "..", a bind on the way, a symlink or a missing component: the
 * component walk decides). */
static int w_try_nolinks(struct walk *w, const struct cr_fsops *ops,
                         const char rest[PATH_MAX], size_t p, int follow_last)
{
	size_t saved = w->hl;
	for (;;) {
		while (p < PATH_MAX && rest[p] == '/')
			p++;
		if (p >= PATH_MAX)
			break;
		const char *c = rest + p;
		size_t n = 0;
		while (p + n < PATH_MAX && c[n] != '/')
			n++;
		p += n;
		if (is_dotdot(c, n))
			goto fail;
		if (is_dot(c, n))
			continue;
		if (w_append(w, c, n) != 0 || w_bind_exact(w) != NULL)
			goto fail;
	}
	w->h[w->hl] = '\0';
	if (ops->nolinks(ops->ud, w->h, follow_last) == 0)
		return 0;
fail:
	w->hl = saved;
	return 1;
}

int cr_resolve(const struct cr_config *cfg, const struct cr_fsops *ops,
               const char *base, const char *path, int flags,
               char *out, size_t outsz)
{
	struct walk w;
	char rest[PATH_MAX];
	size_t plen, bl = 0, rp, q;
	int r, dirreq, follow_last, links = 0, noread = 0, dirty = 0;

	if (!path)
		return EFAULT;
	if (!path[0])
		return ENOENT;
	plen = strnlen(path, PATH_MAX);
	if (plen >= PATH_MAX)
		return ENAMETOOLONG;
	if (path[0] != '/') {
		if (!base || !base[0])
			base = "/";
		bl = strnlen(base, PATH_MAX);
		if (bl >= PATH_MAX)
			return ENAMETOOLONG;
	}
	if (cfg->rootlen == 0 && binds_identity(cfg))
		return join_plain(base, bl, path, plen, out, outsz);

	dirreq = dir_required(path, plen);
	follow_last = (flags & CR_FOLLOW) || path[plen - 1] == '/';

	w_init(&w, cfg, cfg->root, cfg->rootlen);
	if (path[0] != '/') {
		const struct cr_bind *b;
		if ((r = w_lex(&w, base, bl)) != 0)
			return r;
		if ((b = w_bind_under(&w)) != NULL && (r = w_enter(&w, b)) != 0)
			return r;
	}

	/* The part still to walk: rest[rp..PATH_MAX), no NUL. */
	rp = PATH_MAX - plen;
	memcpy(rest + rp, path, plen);

	for (;;) {
		const struct cr_bind *b;
		const char *c;
		const char *e;
		size_t n, bufsz;
		ssize_t len;
		int last;

		while (rp < PATH_MAX && rest[rp] == '/')
			rp++;
		if (rp == PATH_MAX)
			break;
		c = rest + rp;
		e = memchr(c, '/', PATH_MAX - rp);
		n = e ? (size_t)(e - c) : PATH_MAX - rp;
		q = rp + n;
		while (q < PATH_MAX && rest[q] == '/')
			q++;
		last = q == PATH_MAX;
		rp = q;   /* rest[0..q) is free from here on (c stays readable
		           * until the next readlink) */

		if (noread) {
			/* A component was missing: the rest goes to the kernel
			 * as written, so it fails as it would have -- except a
			 * "..", which fails here with the component's error, as
			 * the kernel's walk would: handed over, it would climb
			 * out of the root should a concurrent mkdir create the
			 * missing directory in between. */
			if (is_dotdot(c, n))
				return noread;
			if ((r = w_append(&w, c, n)) != 0)
				return r;
			if (is_dot(c, n) || is_dotdot(c, n))
				dirty = 1;
			else if (!dirty && (b = w_bind_exact(&w)) != NULL) {
				if ((r = w_enter(&w, b)) != 0)
					return r;
				noread = 0;
			}
			continue;
		}
		if (is_dot(c, n))
			continue;
		if (is_dotdot(c, n)) {
			if ((r = w_dotdot(&w)) != 0)
				return r;
			continue;
		}
		if ((r = w_append(&w, c, n)) != 0)
			return r;
		if ((b = w_bind_exact(&w)) != NULL) {
			if ((r = w_enter(&w, b)) != 0)
				return r;
			continue;
		}
		if (w.bd) {       /* inside a bind: the host's semantics */
			/* except /proc/PID/root, the kernel's magic link to the
			 * host's "/": a chrooted process sees its own root there
			 * (found by the escape suite, tests/escape/escape.sh). */
			if ((!last || follow_last) && w_proc_root(&w))
				w_init(&w, cfg, cfg->root, cfg->rootlen);
			continue;
		}
		if (last && !follow_last)
			continue;

		w.h[w.hl] = '\0';
		bufsz = q - 1;    /* keep one byte for the '/' after the target */
		if (bufsz == 0) {
			char tmp[1];
			len = ops->readlink(ops->ud, w.h, tmp, sizeof tmp);
			if (len >= 0)
				return ENAMETOOLONG;
		} else {
			len = ops->readlink(ops->ud, w.h, rest, bufsz);
		}
		if (len == -EINVAL)       /* exists, not a symlink */
			continue;
		if (len < 0) {            /* missing, not a dir, no access... */
			if (last && (flags & CR_MUST_EXIST) &&
			    (len == -ENOENT || len == -ENOTDIR))
				return (int)-len;
			noread = (int)-len;   /* its errno, for a later ".." */
			continue;
		}
		if (len == 0)
			return ENOENT;
		if ((size_t)len >= bufsz)
			return ENAMETOOLONG;
		if (++links > CR_MAXLINKS)
			return ELOOP;
		if (w_links_to_itself(&w, rest, (size_t)len))
			return ELOOP;
		if (last) {
			memmove(rest + q - len, rest, (size_t)len);
			rp = q - (size_t)len;
		} else {
			memmove(rest + q - 1 - len, rest, (size_t)len);
			rest[q - 1] = '/';
			rp = q - 1 - (size_t)len;
		}
		w_pop(&w);                /* the link itself */
		if (rest[rp] == '/')      /* absolute target: the guest root */
			w.hl = w.pl;
		if (ops->nolinks && !w.bd &&
		    w_try_nolinks(&w, ops, rest, rp, follow_last) == 0)
			break;
	}
	return w_output(&w, (flags & CR_KEEP_SLASH) && dirreq, out, outsz);
}

int cr_guest_abspath(const char *base, const char *path, char *out, size_t outsz)
{
	struct walk w;
	size_t plen, bl;
	int r;

	if (!path)
		return EFAULT;
	if (!path[0])
		return ENOENT;
	plen = strnlen(path, PATH_MAX);
	if (plen >= PATH_MAX)
		return ENAMETOOLONG;
	w_init(&w, NULL, "", 0);
	if (path[0] != '/' && base) {
		bl = strnlen(base, PATH_MAX);
		if (bl >= PATH_MAX)
			return ENAMETOOLONG;
		if ((r = w_lex(&w, base, bl)) != 0)
			return r;
	}
	if ((r = w_lex(&w, path, plen)) != 0)
		return r;
	return w_output(&w, 0, out, outsz);
}

/* Copy pre[0..pl) + s[0..sl) to out; an empty result becomes "/". */
static int put2(const char *pre, size_t pl, const char *s, size_t sl,
                char *out, size_t outsz)
{
	if (pl + sl == 0) {
		pre = "/";
		pl = 1;
	}
	if (pl + sl + 1 > outsz)
		return ENAMETOOLONG;
	memcpy(out, pre, pl);
	memcpy(out + pl, s, sl);
	out[pl + sl] = '\0';
	return 0;
}

int cr_unmap(const struct cr_config *cfg, const char *host, char *out, size_t outsz)
{
	const struct cr_bind *best = NULL;
	size_t hl = strlen(host), bestlen = 0, i;

	if (host[0] == '/') {
		if (cfg->rootlen && has_prefix(host, hl, cfg->root, cfg->rootlen)) {
			const char *s = host + cfg->rootlen;
			size_t sl = hl - cfg->rootlen;
			if (sl == 1)          /* "ROOT/" */
				sl = 0;
			return put2("", 0, s, sl, out, outsz);
		}
		for (i = 0; i < cfg->nbinds; i++) {
			const struct cr_bind *b = &cfg->binds[i];
			size_t bl = bind_hostlen(b);
			if (has_prefix(host, hl, b->host, bl) &&
			    (!best || bl >= bestlen)) {
				best = b;
				bestlen = bl;
			}
		}
		if (best) {
			const char *s = host + bestlen;
			size_t sl = hl - bestlen;
			if (sl == 1)          /* "BINDHOST/" or "/" */
				sl = 0;
			return put2(best->guest, best->guestlen, s, sl, out, outsz);
		}
	}
	if (hl + 1 > outsz)
		return ENAMETOOLONG;
	memcpy(out, host, hl + 1);
	return cfg->rootlen == 0 && host[0] == '/' ? 0 : 1;
}

int cr_host_in_root(const struct cr_config *cfg, const char *host)
{
	if (cfg->rootlen == 0)
		return host[0] == '/';
	return has_prefix(host, strlen(host), cfg->root, cfg->rootlen);
}

int cr_resolve_binds(struct cr_config *cfg, const struct cr_fsops *ops)
{
	struct cr_config bare;
	char buf[PATH_MAX];
	size_t i;
	int r;

	if (cfg->rootlen == 0)
		return 0;
	bare = *cfg;
	bare.nbinds = 0;
	for (i = 0; i < cfg->nbinds; i++) {
		struct cr_bind *b = &cfg->binds[i];
		size_t gl;
		char *g;
		r = cr_resolve(&bare, ops, NULL, b->guest, CR_FOLLOW, buf, sizeof buf);
		if (r)
			continue;     /* e.g. ROOT/proc -> /proc loops: keep it as written */
		/* Without binds the result is ROOT + resolved guest path. */
		gl = strlen(buf) - cfg->rootlen;
		if (gl == 0 || (gl == b->guestlen &&
		                memcmp(buf + cfg->rootlen, b->guest, gl) == 0))
			continue;     /* unchanged (or "/": keep the original) */
		g = malloc(gl + 1);
		if (!g)
			return ENOMEM;
		memcpy(g, buf + cfg->rootlen, gl + 1);
		free((char *)b->guest);   /* owned by the config, not yet published */
		b->guest = g;
		b->guestlen = gl;
	}
	return 0;
}
