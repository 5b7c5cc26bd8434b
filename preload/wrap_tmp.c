/* wrap_tmp.c - temporary-file creators whose template is an in/out buffer:
 * mkstemp, mkostemp, mkstemps, mkostemps (and their 64 forms), mkdtemp and
 * mktemp.
 *
 * The guest template is translated into a stack buffer (the last component,
 * which does not exist yet, is never followed), the real function fills in
 * the XXXXXX there, and the six generated characters are copied back into
 * the caller's template, which therefore keeps its guest path.  The
 * translation must leave the template's tail (XXXXXX and the suffix)
 * unchanged; a template whose tail it would change (a final "." or "..")
 * is invalid for the real function too: EINVAL.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "cr_path.h"

/* Translate tmpl (6 X's then suffixlen bytes at its end) into host
 * (PATH_MAX).  Returns 0 or an errno value. */
static int tmp_in(const char *tmpl, int suffixlen, char *host)
{
	size_t tl = strlen(tmpl);
	if (suffixlen < 0 || tl < 6 + (size_t)suffixlen)
		return EINVAL;
	size_t keep = 6 + (size_t)suffixlen;
	int e = crp_resolve_at(AT_FDCWD, tmpl, CR_KEEP_SLASH, host);
	if (e)
		return e;
	size_t hl = strlen(host);
	if (hl < keep || memcmp(host + hl - keep, tmpl + tl - keep, keep) != 0)
		return EINVAL;
	return 0;
}

/* Copy the generated characters from host back into tmpl. */
static void tmp_out(char *tmpl, int suffixlen, const char *host)
{
	size_t keep = 6 + (size_t)suffixlen;
	memcpy(tmpl + strlen(tmpl) - keep, host + strlen(host) - keep, 6);
}

/* The descriptor-returning forms: translate, call the real NAME on the
 * host template, copy the name back on success. */
#define TMP_FD(NAME, PARAMS, ARGS, SUFFIXLEN)                                 \
	CRP_EXPORT int NAME PARAMS                                            \
	{                                                                     \
		char host[PATH_MAX];                                          \
		int e = tmp_in(tmpl, SUFFIXLEN, host);                        \
		if (e) {                                                      \
			errno = e;                                            \
			return -1;                                            \
		}                                                             \
		int fd = CRP_NEXT(NAME) ARGS;                                 \
		if (fd >= 0)                                                  \
			tmp_out(tmpl, SUFFIXLEN, host);                       \
		return fd;                                                    \
	}

TMP_FD(mkstemp,     (char *tmpl),                           (host), 0)
TMP_FD(mkstemp64,   (char *tmpl),                           (host), 0)
TMP_FD(mkostemp,    (char *tmpl, int flags),                (host, flags), 0)
TMP_FD(mkostemp64,  (char *tmpl, int flags),                (host, flags), 0)
TMP_FD(mkstemps,    (char *tmpl, int sfx),                  (host, sfx), sfx)
TMP_FD(mkstemps64,  (char *tmpl, int sfx),                  (host, sfx), sfx)
TMP_FD(mkostemps,   (char *tmpl, int sfx, int flags),       (host, sfx, flags), sfx)
TMP_FD(mkostemps64, (char *tmpl, int sfx, int flags),       (host, sfx, flags), sfx)

/* Returns the caller's template, as the real one returns its argument. */
CRP_EXPORT char *mkdtemp(char *tmpl)
{
	char host[PATH_MAX];
	int e = tmp_in(tmpl, 0, host);
	if (e) {
		errno = e;
		return NULL;
	}
	if (!CRP_NEXT(mkdtemp)(host))
		return NULL;
	tmp_out(tmpl, 0, host);
	return tmpl;
}

/* mktemp never fails with -1: an empty string says it did. */
CRP_EXPORT char *mktemp(char *tmpl)
{
	char host[PATH_MAX];
	int e = tmp_in(tmpl, 0, host);
	if (e) {
		tmpl[0] = '\0';
		errno = e;
		return tmpl;
	}
	char *r = CRP_NEXT(mktemp)(host);
	if (r && r[0])
		tmp_out(tmpl, 0, host);
	else
		tmpl[0] = '\0';
	return tmpl;
}
