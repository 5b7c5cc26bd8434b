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
 * fakechroot's interface, read by libcrossroot as well:
 *   FAKECHROOT_BASE      the root, when CROSSROOT_ROOT is unset or empty.
 *   FAKECHROOT_CMD_SUBST substitutions run the fakechroot way: outside the
 *                        root, told FAKECHROOT_CMD_ORIG (the program asked
 *                        for) and FAKECHROOT_BASE_ORIG (the root); see
 *                        cr_config_parse_fakechroot_subst.
 *   FAKECHROOT_EXCLUDE_PATH colon-separated guest paths that are the host's
 *                        (binds of the same path, cr_config_parse_exclude).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_CONFIG_H
#define CR_CONFIG_H

#include <stddef.h>

#define CR_MAX_BINDS 32
#define CR_MAX_SUBST 128

struct cr_bind {
	const char *host;   /* host absolute path, no trailing '/' (except "/") */
	size_t hostlen;
	const char *guest;  /* guest absolute path, canonical, no trailing '/' */
	size_t guestlen;
};

struct cr_subst {
	const char *guest;  /* program path as seen inside the root */
	const char *host;   /* program to run instead (host path, or "/bin/true"-like) */
	int outside;        /* 1: a FAKECHROOT_CMD_SUBST substitute, run outside
	                     * the root with FAKECHROOT_CMD_ORIG / _BASE_ORIG */
};

/* The fakechroot version whose interface crossroot offers: the version in
 * the FAKECHROOT_DETECT answer ("fakechroot 2.20.1") and FAKECHROOT_VERSION. */
#define CR_FAKECHROOT_VERSION "2.20.1"

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

/* Parse a FAKECHROOT_CMD_SUBST value (same syntax and return convention as
 * cr_config_parse_subst): every entry is marked outside = 1, except those
 * naming a helper of the fakechroot package (by the HOST file name), which
 * do not fit crossroot (they rebuild LD_LIBRARY_PATH for libfakechroot):
 *   chroot.fakechroot   -> HELPERDIR/crossroot-chroot   (outside = 0)
 *   ldconfig.fakechroot -> HELPERDIR/crossroot-ldconfig (outside = 0)
 *   ldd.fakechroot      -> HELPERDIR/crossroot-ldd      (outside = 0)
 *   env.fakechroot      -> entry dropped (the root's own env keeps the
 *                          fake root's variables under crossroot)
 *   crossroot-chroot, -ldconfig, -ldd (any directory) -> kept, outside = 0
 * When helperdir is NULL the chroot, ldconfig and ldd entries are dropped
 * too (the program in the root runs, with the library faking chroot(2)). */
int cr_config_parse_fakechroot_subst(struct cr_config *cfg, const char *spec,
                                     const char *helperdir, const char **bad);

/* Parse a FAKECHROOT_EXCLUDE_PATH value: colon-separated absolute guest
 * paths that show the host's file at the same path, i.e. binds HOST=GUEST
 * of one path (appended; a path already bound as GUEST is skipped, as is
 * an empty entry).  Returns 0, EINVAL (a relative path, or "/"), E2BIG
 * past CR_MAX_BINDS, with *bad at the offending entry; cfg is unchanged on
 * failure. */
int cr_config_parse_exclude(struct cr_config *cfg, const char *spec, const char **bad);

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

/* The same lookup, answering the whole entry (NULL when none). */
const struct cr_subst *cr_config_subst_entry(const struct cr_config *cfg,
                                             const char *guestpath);

#endif
