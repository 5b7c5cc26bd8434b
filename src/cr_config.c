/* cr_config.c - building a fake-root configuration from its environment.
 *
 * Parses CROSSROOT_BIND ("HOST[:GUEST],...") and CROSSROOT_CMD_SUBST
 * ("GUEST=HOST:...") into a struct cr_config, sets the root, adds the
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

int cr_config_parse_binds(struct cr_config *cfg, const char *spec, const char **bad)
{
	struct cr_bind nb[CR_MAX_BINDS];
	size_t n = 0, i;
	const char *p = spec;
	int r = 0;

	if (bad)
		*bad = NULL;
	if (!spec || !spec[0])
		return 0;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
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
		nb[n].host = host;
		nb[n].hostlen = hlen;
		nb[n].guest = guest;
		nb[n].guestlen = glen;
		n++;
		if (!end)
			break;
		p = end + 1;
	}
	for (i = 0; i < n; i++)
		cfg->binds[cfg->nbinds++] = nb[i];
	return 0;
fail:
	if (bad)
		*bad = p;
	for (i = 0; i < n; i++) {
		free((char *)nb[i].host);
		free((char *)nb[i].guest);
	}
	return r;
}

int cr_config_parse_subst(struct cr_config *cfg, const char *spec, const char **bad)
{
	struct cr_subst ns[CR_MAX_SUBST];
	size_t n = 0, i;
	const char *p = spec;
	int r = 0;

	if (bad)
		*bad = NULL;
	if (!spec || !spec[0])
		return 0;
	for (;;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		char *guest = NULL, *host;
		size_t glen;

		if (cfg->nsubst + n >= CR_MAX_SUBST) {
			r = E2BIG;
			goto fail;
		}
		if (!eq || eq + 1 == p + len) {
			r = EINVAL;
			goto fail;
		}
		if ((r = canon_dup(p, (size_t)(eq - p), &guest, &glen)) != 0)
			goto fail;
		if (!(host = dup_n(eq + 1, len - (size_t)(eq - p) - 1))) {
			free(guest);
			r = ENOMEM;
			goto fail;
		}
		ns[n].guest = guest;
		ns[n].host = host;
		n++;
		if (!end)
			break;
		p = end + 1;
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

const char *cr_config_subst_for(const struct cr_config *cfg, const char *guestpath)
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
			return cfg->subst[i].host;
	return NULL;
}
