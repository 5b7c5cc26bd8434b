/* cr_config.c - building a fake-root configuration from its environment.
 *
 * Parses CROSSROOT_BIND ("HOST[:GUEST],...") and CROSSROOT_CMD_SUBST
 * ("GUEST=HOST:...") into a struct cr_config, and fakechroot's
 * FAKECHROOT_CMD_SUBST and FAKECHROOT_EXCLUDE_PATH alike, sets the root, adds the
 * default shared paths and answers command-substitution lookups.  Paths are
 * canonicalised lexically (cr_guest_abspath) and copied with malloc: a
 * configuration is built at library start or at a faked chroot(), never in
 * signal context.  The library keeps every snapshot for the life of the
 * process (another thread may still read an old one); tools and tests free
 * one with cr_config_free.  A parse that
 * fails leaves the configuration unchanged.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_config.h"
#include "cr_path.h"

/* A malloc'd copy of the lexically canonical form of the absolute path
 * s[0..n).  Returns 0, EINVAL (empty or relative), ENAMETOOLONG, ENOMEM. */
static int canon_dup(const char *s, size_t n, char **outp, size_t *lenp)
{
	char in[PATH_MAX], buf[PATH_MAX];
	size_t l;
	int r;
	if (n == 0 || s[0] != '/')
		return EINVAL;
	if (n >= PATH_MAX)
		return ENAMETOOLONG;
	memcpy(in, s, n);
	in[n] = '\0';
	if ((r = cr_guest_abspath(NULL, in, buf, sizeof buf)) != 0)
		return r;
	l = strlen(buf);
	if (!(*outp = malloc(l + 1)))
		return ENOMEM;
	memcpy(*outp, buf, l + 1);
	*lenp = l;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* The two bind parsers' endings: with r == 0 the whole list nb[0..n) is
 * added; else none of it (freed), *bad pointing at the entry p. */
static int binds_end(struct cr_config *cfg, struct cr_bind *nb, size_t n,
                     int r, const char *p, const char **bad)
{
	if (r == 0) {
		for (size_t i = 0; i < n; i++)
			cfg->binds[cfg->nbinds++] = nb[i];
		return 0;
	}
	if (bad)
		*bad = p;
	for (size_t i = 0; i < n; i++) {
		free((char *)nb[i].host);
		free((char *)nb[i].guest);
	}
	return r;
}

static void bind_set(struct cr_bind *b, char *host, size_t hlen, char *guest, size_t glen)
{
	b->host = host;
	b->hostlen = hlen;
	b->guest = guest;
	b->guestlen = glen;
}

/* The entries of a sep-separated list, one per call of list_next (a
 * pointer to it, its length in *len), NULL after the last one.  Empty
 * entries ("a::b", a trailing separator) are entries too. */
struct list_walk {
	const char *p;      /* the next entry, NULL when done */
	char sep;
};

static const char *list_next(struct list_walk *w, size_t *len)
{
	const char *s = w->p, *end;
	if (s == NULL)
		return NULL;
	end = strchr(s, w->sep);
	*len = end ? (size_t)(end - s) : strlen(s);
	w->p = end ? end + 1 : NULL;
	return s;
}

int cr_config_parse_binds(struct cr_config *cfg, const char *spec, const char **bad)
{
	struct cr_bind nb[CR_MAX_BINDS];
	size_t n = 0, len;
	const char *p = spec;
	struct list_walk w = { spec, ',' };
	int r = 0;

	if (bad)
		*bad = NULL;
	if (!spec || !spec[0])
		return 0;
	while ((p = list_next(&w, &len)) != NULL) {
		const char *colon = memchr(p, ':', len);
		size_t hl = colon ? (size_t)(colon - p) : len;
		char *host = NULL, *guest = NULL;
		size_t hlen = 0, glen = 0;

		if (cfg->nbinds + n >= CR_MAX_BINDS) {
			r = E2BIG;
			goto fail;
		}
		if ((r = canon_dup(p, hl, &host, &hlen)) != 0)
			goto fail;
		if (colon)
			r = canon_dup(colon + 1, len - hl - 1, &guest, &glen);
		else
			r = canon_dup(p, hl, &guest, &glen);
		if (r == 0 && glen == 1)      /* GUEST "/" would hide the root */
			r = EINVAL;
		if (r) {
			free(host);
			free(guest);
			goto fail;
		}
		bind_set(&nb[n++], host, hlen, guest, glen);
	}
	return binds_end(cfg, nb, n, 0, NULL, bad);
fail:
	return binds_end(cfg, nb, n, r, p, bad);
}

/* What a FAKECHROOT_CMD_SUBST entry whose HOST is host (n bytes) becomes:
 * 0 kept, run outside; 1 dropped; 4 kept, run inside (crossroot's own
 * helpers, named by env files); 2, 3, 5: crossroot-chroot, -ldconfig, -ldd. */
static int fakechroot_helper(const char *host, size_t n)
{
	static const struct { const char *name; int what; } helpers[] = {
		{ "env.fakechroot", 1 },
		{ "chroot.fakechroot", 2 },
		{ "ldconfig.fakechroot", 3 },
		{ "ldd.fakechroot", 5 },
		{ "crossroot-chroot", 4 },
		{ "crossroot-ldconfig", 4 },
		{ "crossroot-ldd", 4 },
	};
	const char *base = host + n;
	while (base > host && base[-1] != '/')
		base--;
	size_t bl = (size_t)(host + n - base);
	for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++)
		if (strlen(helpers[i].name) == bl && memcmp(base, helpers[i].name, bl) == 0)
			return helpers[i].what;
	return 0;
}

/* fakechroot: 0 for CROSSROOT_CMD_SUBST, 1 for FAKECHROOT_CMD_SUBST (with
 * helperdir, possibly NULL). */
static int parse_subst(struct cr_config *cfg, const char *spec, int fakechroot,
                       const char *helperdir, const char **bad)
{
	struct cr_subst ns[CR_MAX_SUBST];
	size_t n = 0, i, len;
	const char *p = spec;
	struct list_walk w = { spec, ':' };
	int r = 0;

	if (bad)
		*bad = NULL;
	if (!spec || !spec[0])
		return 0;
	while ((p = list_next(&w, &len)) != NULL) {
		const char *eq = memchr(p, '=', len);
		const char *hp = eq ? eq + 1 : NULL;
		size_t hl = eq ? len - (size_t)(eq - p) - 1 : 0;
		char *guest = NULL, *host;
		size_t glen;
		int what = 0;
		char hbuf[PATH_MAX];

		if (cfg->nsubst + n >= CR_MAX_SUBST) {
			r = E2BIG;
			goto fail;
		}
		if (!eq || hl == 0) {
			r = EINVAL;
			goto fail;
		}
		if (fakechroot) {
			what = fakechroot_helper(hp, hl);
			int helper = what == 2 || what == 3 || what == 5;
			if (helper && !helperdir)
				what = 1;
			else if (helper) {
				int k = snprintf(hbuf, sizeof hbuf, "%s/%s", helperdir,
				                 what == 2 ? "crossroot-chroot" :
				                 what == 3 ? "crossroot-ldconfig" : "crossroot-ldd");
				if (k < 0 || (size_t)k >= sizeof hbuf) {
					r = ENAMETOOLONG;
					goto fail;
				}
				hp = hbuf;
				hl = (size_t)k;
			}
		}
		if ((r = canon_dup(p, (size_t)(eq - p), &guest, &glen)) != 0)
			goto fail;
		if (what == 1) {              /* dropped: checked, not kept */
			free(guest);
		} else {
			if (!(host = dup_n(hp, hl))) {
				free(guest);
				r = ENOMEM;
				goto fail;
			}
			ns[n].guest = guest;
			ns[n].host = host;
			ns[n].outside = fakechroot && what == 0;
			n++;
		}
	}
	for (i = 0; i < n; i++)
		cfg->subst[cfg->nsubst++] = ns[i];
	return 0;
fail:
	if (bad)
		*bad = p;
	for (i = 0; i < n; i++) {
		free((char *)ns[i].guest);
		free((char *)ns[i].host);
	}
	return r;
}

int cr_config_parse_subst(struct cr_config *cfg, const char *spec, const char **bad)
{
	return parse_subst(cfg, spec, 0, NULL, bad);
}

int cr_config_parse_fakechroot_subst(struct cr_config *cfg, const char *spec,
                                     const char *helperdir, const char **bad)
{
	return parse_subst(cfg, spec, 1, helperdir, bad);
}

int cr_config_parse_exclude(struct cr_config *cfg, const char *spec, const char **bad)
{
	struct cr_bind nb[CR_MAX_BINDS];
	size_t n = 0, j, len;
	const char *p = spec;
	struct list_walk w = { spec, ':' };
	int r = 0;

	if (bad)
		*bad = NULL;
	if (!spec || !spec[0])
		return 0;
	while ((p = list_next(&w, &len)) != NULL) {
		char *host = NULL, *guest = NULL;
		size_t l = 0;
		int present = 0;

		if (len == 0)
			continue;             /* "a::b", a trailing ':' */
		if ((r = canon_dup(p, len, &host, &l)) != 0)
			goto fail;
		if (l == 1) {                 /* "/" would hide the whole root */
			free(host);
			r = EINVAL;
			goto fail;
		}
		for (j = 0; j < cfg->nbinds && !present; j++)
			present = cfg->binds[j].guestlen == l &&
			          memcmp(cfg->binds[j].guest, host, l) == 0;
		for (j = 0; j < n && !present; j++)
			present = nb[j].guestlen == l && memcmp(nb[j].guest, host, l) == 0;
		if (present) {
			free(host);
			continue;
		}
		if (cfg->nbinds + n >= CR_MAX_BINDS) {
			free(host);
			r = E2BIG;
			goto fail;
		}
		if (!(guest = dup_n(host, l))) {
			free(host);
			r = ENOMEM;
			goto fail;
		}
		bind_set(&nb[n++], host, l, guest, l);
	}
	return binds_end(cfg, nb, n, 0, NULL, bad);
fail:
	return binds_end(cfg, nb, n, r, p, bad);
}

int cr_config_set_root(struct cr_config *cfg, const char *hostroot)
{
	char *root;
	size_t len;
	int r;

	if (!hostroot)
		return EINVAL;
	r = canon_dup(hostroot, strnlen(hostroot, PATH_MAX), &root, &len);
	if (r)
		return r;
	if (len == 1) {               /* "/": no fake root */
		free(root);
		cfg->root = "";
		cfg->rootlen = 0;
		return 0;
	}
	cfg->root = root;
	cfg->rootlen = len;
	return 0;
}

void cr_config_default_binds(struct cr_config *cfg)
{
	static const char *const defaults[] = { "/dev", "/proc", "/sys" };
	size_t i, j;
	for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		size_t dl = strlen(defaults[i]);
		struct cr_bind b;
		int present = 0;
		/* An explicit bind of the same guest path keeps precedence. */
		for (j = 0; j < cfg->nbinds; j++)
			if (cfg->binds[j].guestlen == dl &&
			    memcmp(cfg->binds[j].guest, defaults[i], dl) == 0)
				present = 1;
		if (present || cfg->nbinds >= CR_MAX_BINDS)
			continue;
		/* Owned copies, like every other string of a config. */
		b.host = dup_n(defaults[i], dl);
		b.guest = dup_n(defaults[i], dl);
		b.hostlen = b.guestlen = dl;
		if (!b.host || !b.guest) {
			free((char *)b.host);
			free((char *)b.guest);
			continue;
		}
		cfg->binds[cfg->nbinds++] = b;
	}
}

void cr_config_free(struct cr_config *cfg)
{
	size_t i;
	if (cfg->rootlen)
		free((char *)cfg->root);
	for (i = 0; i < cfg->nbinds; i++) {
		free((char *)cfg->binds[i].host);
		free((char *)cfg->binds[i].guest);
	}
	for (i = 0; i < cfg->nsubst; i++) {
		free((char *)cfg->subst[i].guest);
		free((char *)cfg->subst[i].host);
	}
	memset(cfg, 0, sizeof *cfg);
	cfg->root = "";
}

const struct cr_subst *cr_config_subst_entry(const struct cr_config *cfg,
                                             const char *guestpath)
{
	char buf[PATH_MAX];
	const char *g = guestpath;
	size_t i;

	if (!guestpath || cfg->nsubst == 0)
		return NULL;
	if (guestpath[0] == '/' && cr_guest_abspath(NULL, guestpath, buf, sizeof buf) == 0)
		g = buf;
	for (i = 0; i < cfg->nsubst; i++)
		if (strcmp(cfg->subst[i].guest, g) == 0)
			return &cfg->subst[i];
	return NULL;
}

const char *cr_config_subst_for(const struct cr_config *cfg, const char *guestpath)
{
	const struct cr_subst *e = cr_config_subst_entry(cfg, guestpath);
	return e ? e->host : NULL;
}
