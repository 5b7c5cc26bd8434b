/* cr_config.h - the fake-root configuration a process runs under.
 *
 * One immutable snapshot: the root, the shared (bound) paths and the command
 * substitutions.  The preload library builds one from the environment at start
 * and a new one at each faked chroot(); readers never see a half-written one.
 *
 * Environment contract (set by `crossroot`, read by libcrossroot):
 *   CROSSROOT_ROOT       host absolute path of the fake root ("/" or unset: none)
 *   CROSSROOT_BIND       comma-separated HOST[:GUEST] entries; GUEST defaults
 *                        to HOST.  Both absolute.  The guest path shows the
 *                        host path, which is used unresolved by the root.
 *   CROSSROOT_CMD_SUBST  colon-separated GUESTPATH=HOSTPROG entries
 *                        (fakechroot's FAKECHROOT_CMD_SUBST syntax).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_CONFIG_H
#define CR_CONFIG_H

#include <stddef.h>

#define CR_MAX_BINDS 32
#define CR_MAX_SUBST 32

struct cr_bind {
	const char *host;   /* host absolute path, no trailing '/' (except "/") */
	size_t hostlen;
	const char *guest;  /* guest absolute path, canonical, no trailing '/' */
	size_t guestlen;
};

struct cr_subst {
	const char *guest;  /* program path as seen inside the root */
	const char *host;   /* program to run instead (host path, or "/bin/true"-like) */
};

struct cr_config {
	const char *root;   /* canonical host path of the root, no trailing '/';
	                     * "" when the root is the host's "/" (no fake root) */
	size_t rootlen;
	struct cr_bind binds[CR_MAX_BINDS];
	size_t nbinds;
	struct cr_subst subst[CR_MAX_SUBST];
	size_t nsubst;
};

/* Parse a CROSSROOT_BIND value into cfg->binds (appending; the strings are
 * copied into storage that lives as long as the process).  Returns 0, or an
 * errno value (EINVAL for a relative path, an empty entry or a GUEST of "/";
 * E2BIG past CR_MAX_BINDS) with *bad pointing at the offending entry. */
int cr_config_parse_binds(struct cr_config *cfg, const char *spec, const char **bad);

/* Parse a CROSSROOT_CMD_SUBST value.  Same return convention. */
int cr_config_parse_subst(struct cr_config *cfg, const char *spec, const char **bad);

/* Set cfg->root from a host path: must be absolute (EINVAL); made canonical
 * lexically (no "." / ".." / "//", no trailing '/'); "/" becomes "".
 * HOST and GUEST of binds are canonicalised the same way; an empty
 * CROSSROOT_BIND / CROSSROOT_CMD_SUBST value means no entries.  A SUBST
 * entry needs an absolute GUEST and a non-empty HOST (copied as given);
 * cr_config_subst_for compares against the lexically canonical path. */
int cr_config_set_root(struct cr_config *cfg, const char *hostroot);

/* Add the binds every fake root shares: /dev, /proc, /sys (host == guest),
 * each unless a bind of that guest path is already present; silently
 * skipped when the table is full. */
void cr_config_default_binds(struct cr_config *cfg);

/* Free every string the functions above stored in cfg (root, binds,
 * substitutions) and empty it (no root, no binds, no substitutions).  Only
 * for a configuration no other thread can still read and whose strings are
 * not shared with another copy: the library keeps old snapshots instead;
 * tools and tests use it.  (cr_config_set_root never frees a previous
 * root, so a config copied from another one may be re-rooted safely.) */
void cr_config_free(struct cr_config *cfg);

/* The substitute for a guest program path, or NULL. */
const char *cr_config_subst_for(const struct cr_config *cfg, const char *guestpath);

#endif
