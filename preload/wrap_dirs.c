/* wrap_dirs.c - directory walkers and pattern matchers: glob, nftw/ftw,
 * fts and scandir, in every flavour glibc exports (the 64 forms and, on
 * 32-bit architectures, the _time64 forms of glibc >= 2.34 that programs
 * built with _TIME_BITS=64 call).
 *
 * glob runs entirely in guest terms: the real glob is given
 * GLOB_ALTDIRFUNC with directory and stat callbacks that translate each
 * directory it opens and each name it tests, so wildcards in any
 * component, symlinks met between them (resolved inside the root), "~"
 * expansion and errfunc all see guest paths, and the results need no
 * rewriting.  A caller that passes GLOB_ALTDIRFUNC itself is left alone
 * (its callbacks call the wrapped functions).  glob only asks its stat
 * callbacks for success and the file type, which is all they fill in.
 *
 * nftw/ftw walk the translated start directory; the callback, run through
 * a per-thread trampoline (nested walks stack their contexts), gets the
 * caller's start string followed by the rest of the host path, with
 * FTW.base moved to match.  Symlinks below the start are the host's: with
 * FTW_PHYS none is followed; without it, an absolute symlink inside the
 * tree is followed on the host (limitation).
 *
 * fts: the roots are translated (a relative root whose resolution is its
 * plain host meaning is passed unchanged, so "find ."-like output keeps its
 * "./" form).  fts keeps one path buffer that every entry points into and
 * that it uses itself, so the guest view is given by pointing fts_path (and
 * fts_accpath where it is the same string) past the root prefix in the
 * entries handed out, and undoing that before each call back into fts.
 * The state is kept in the entries themselves (an entry is shown iff its
 * fts_path differs from the buffer), so no table of open walks is needed.
 * Limitations: a root's fts_name keeps the host form until fts_read loads
 * it; paths under a bind whose guest path differs from its host path, and
 * roots reached through a symlink whose target is not their guest
 * spelling, are shown by their host path below the root.
 *
 * scandir/scandirat: only the directory path is translated.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

/* 32-bit architectures with glibc >= 2.34 also export _time64 flavours. */
#if defined(__TIMESIZE) && __TIMESIZE == 32 && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#  define DIRS_TIME64 1
#else
#  define DIRS_TIME64 0
#endif

static int dirs_active(void)
{
	return crp_config()->rootlen != 0;
}

/* ================================================================= glob */

/* The file type of a guest path (S_IFDIR, S_IFLNK when not following and
 * the last component is a symlink, else S_IFREG), or an errno value. */
static int glob_mode(const char *guest, int follow, mode_t *mode)
{
	char host[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, guest, follow ? CR_FOLLOW : 0, host);
	if (e)
		return e;
	if (!follow) {
		char c;
		ssize_t n = cr_sys_readlinkat(AT_FDCWD, host, &c, 1);
		if (n >= 0) {
			*mode = S_IFLNK;
			return 0;
		}
		if (n != -EINVAL)
			return (int)-n;
	}
	int d = cr_sys_isdir(AT_FDCWD, host);
	if (d < 0)
		return -d;
	*mode = d ? S_IFDIR : S_IFREG;
	return 0;
}

/* Store the mode at the offset st_mode has in the caller's stat layout. */
static int glob_stat_common(const char *guest, int follow, void *st, size_t size,
                            size_t mode_off)
{
	mode_t m;
	int e = glob_mode(guest, follow, &m);
	if (e) {
		errno = e;
		return -1;
	}
	memset(st, 0, size);
	memcpy((char *)st + mode_off, &m, sizeof m);
	return 0;
}

static int glob_stat(const char *p, struct stat *st)
{
	return glob_stat_common(p, 1, st, sizeof *st, offsetof(struct stat, st_mode));
}
static int glob_lstat(const char *p, struct stat *st)
{
	return glob_stat_common(p, 0, st, sizeof *st, offsetof(struct stat, st_mode));
}
static int glob_stat64(const char *p, struct stat64 *st)
{
	return glob_stat_common(p, 1, st, sizeof *st, offsetof(struct stat64, st_mode));
}
static int glob_lstat64(const char *p, struct stat64 *st)
{
	return glob_stat_common(p, 0, st, sizeof *st, offsetof(struct stat64, st_mode));
}

#if DIRS_TIME64
/* glibc's struct __stat64_t64 (the 64-bit-time struct stat64) starts with
 * two 64-bit fields, st_dev and st_ino, then st_mode; only its head is
 * written (glob reads nothing else). */
struct dirs_stat_t64_head {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
};
static int glob_stat_t64(const char *p, void *st)
{
	return glob_stat_common(p, 1, st, sizeof(struct dirs_stat_t64_head),
	                        offsetof(struct dirs_stat_t64_head, st_mode));
}
static int glob_lstat_t64(const char *p, void *st)
{
	return glob_stat_common(p, 0, st, sizeof(struct dirs_stat_t64_head),
	                        offsetof(struct dirs_stat_t64_head, st_mode));
}
#endif

static void *glob_opendir(const char *guest)
{
	char host[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, guest, CR_FOLLOW, host);
	if (e) {
		errno = e;
		return NULL;
	}
	return CRP_NEXT(opendir)(host);
}

static struct dirent *glob_readdir(void *d)
{
	return readdir((DIR *)d);
}

static struct dirent64 *glob_readdir64(void *d)
{
	return readdir64((DIR *)d);
}

static void glob_closedir(void *d)
{
	closedir((DIR *)d);
}

/* One glob flavour: install the guest callbacks, run the real function
 * with GLOB_ALTDIRFUNC, give the caller its fields back. */
#define GLOB_WRAP(NAME, GLOB_T, REAL, READDIR, STAT, LSTAT)                    \
	CRP_EXPORT int NAME(const char *pattern, int flags,                      \
	                    int (*errfunc)(const char *, int), GLOB_T *pglob)    \
	{                                                                        \
		int (*real)(const char *, int, int (*)(const char *, int),       \
		            GLOB_T *) = REAL;                                    \
		if (!dirs_active() || (flags & GLOB_ALTDIRFUNC))                 \
			return real(pattern, flags, errfunc, pglob);             \
		GLOB_T saved;                                                    \
		memcpy(&saved, pglob, sizeof saved);                             \
		pglob->gl_opendir = glob_opendir;                                \
		pglob->gl_readdir = READDIR;                                     \
		pglob->gl_closedir = glob_closedir;                              \
		pglob->gl_stat = STAT;                                           \
		pglob->gl_lstat = LSTAT;                                         \
		int r = real(pattern, flags | GLOB_ALTDIRFUNC, errfunc, pglob);  \
		int e = errno;                                                   \
		pglob->gl_opendir = saved.gl_opendir;                            \
		pglob->gl_readdir = saved.gl_readdir;                            \
		pglob->gl_closedir = saved.gl_closedir;                          \
		pglob->gl_stat = saved.gl_stat;                                  \
		pglob->gl_lstat = saved.gl_lstat;                                \
		pglob->gl_flags &= ~GLOB_ALTDIRFUNC;                             \
		errno = e;                                                       \
		return r;                                                        \
	}

GLOB_WRAP(glob, glob_t, CRP_NEXT(glob), glob_readdir, glob_stat, glob_lstat)
GLOB_WRAP(glob64, glob64_t, CRP_NEXT(glob64), glob_readdir64, glob_stat64, glob_lstat64)
#if DIRS_TIME64
typedef int (*glob_t64_fn)(const char *, int, int (*)(const char *, int), glob64_t *);
int __glob64_time64(const char *, int, int (*)(const char *, int), glob64_t *);
GLOB_WRAP(__glob64_time64, glob64_t, CRP_NEXT_T(glob_t64_fn, "__glob64_time64"),
          glob_readdir64, (int (*)(const char *, struct stat64 *))(void *)glob_stat_t64,
          (int (*)(const char *, struct stat64 *))(void *)glob_lstat_t64)
#endif

/* ================================================================= ftw */

struct walk_ctx {
	const char *guest;         /* the caller's start directory */
	size_t glen;               /* ... without trailing '/' (as glibc) */
	const char *host;          /* its translation, given to the real walk */
	size_t hlen;
	void *fn;                  /* the caller's callback */
	struct walk_ctx *prev;     /* the walk this one runs inside */
};
static __thread struct walk_ctx *walk_top;

/* Length of s without trailing '/', keeping at least one character: how
 * glibc's ftw stores the start directory it builds paths from. */
static size_t walk_stripped(const char *s)
{
	size_t l = strlen(s);
	while (l > 1 && s[l - 1] == '/')
		l--;
	return l;
}

/* Bytes walk_map may write for host. */
static size_t walk_size(const struct walk_ctx *c, const char *host)
{
	return c->glen + strlen(host) + 2;
}

/* The guest spelling of a path the real walk built from c->host, into g;
 * *base (offset of the last component) is moved to match. */
static void walk_map(const struct walk_ctx *c, const char *host, char *g, int *base)
{
	size_t hl = strlen(host);
	if (hl < c->hlen || memcmp(host, c->host, c->hlen) != 0) {
		memcpy(g, host, hl + 1);           /* not ours: leave it */
		return;
	}
	memcpy(g, c->guest, c->glen);
	size_t gl = c->glen;
	if (hl == c->hlen) {
		/* The start itself: its base as glibc computes it. */
		g[gl] = '\0';
		const char *sl = memrchr(g, '/', gl);
		if (base)
			*base = sl ? (int)(sl - g) + 1 : 0;
		return;
	}
	const char *rest = host + c->hlen;
	if (*rest == '/')
		rest++;
	if (gl == 0 || g[gl - 1] != '/')
		g[gl++] = '/';
	size_t rl = strlen(rest);
	memcpy(g + gl, rest, rl + 1);
	if (base)
		*base = (int)(gl + rl) - (int)(hl - (size_t)*base);
}

/* The trampolines: one per callback type.  The stat pointer is passed
 * through untouched. */
typedef int (*walk_nftw_fn)(const char *, const void *, int, struct FTW *);
typedef int (*walk_ftw_fn)(const char *, const void *, int);

static int walk_nftw_cb(const char *host, const void *sb, int flag, struct FTW *w)
{
	struct walk_ctx *c = walk_top;
	char g[walk_size(c, host)];
	struct FTW f = *w;
	walk_map(c, host, g, &f.base);
	return ((walk_nftw_fn)c->fn)(g, sb, flag, &f);
}

static int walk_ftw_cb(const char *host, const void *sb, int flag)
{
	struct walk_ctx *c = walk_top;
	char g[walk_size(c, host)];
	walk_map(c, host, g, NULL);
	return ((walk_ftw_fn)c->fn)(g, sb, flag);
}

/* Run a walk: translate dir, push the context, call the real function
 * (which receives the translated dir and the trampoline), pop. */
typedef int (*walk_real_fn)(const char *, void *, int, int);
static int walk_run(const char *dir, void *fn, int follow, void *tramp,
                    int nopenfd, int flags, int is_nftw, void *real)
{
	char host[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, dir, follow ? CR_FOLLOW : 0, host);
	if (e) {
		errno = e;
		return -1;
	}
	struct walk_ctx c = {
		.guest = dir, .glen = walk_stripped(dir),
		.host = host, .hlen = walk_stripped(host),
		.fn = fn, .prev = walk_top,
	};
	walk_top = &c;
	int r;
	if (is_nftw)
		r = ((int (*)(const char *, void *, int, int))real)(host, tramp, nopenfd, flags);
	else
		r = ((int (*)(const char *, void *, int))real)(host, tramp, nopenfd);
	int saved = errno;
	walk_top = c.prev;
	errno = saved;
	return r;
}

#define NFTW_WRAP(NAME, STAT_T, REAL)                                           \
	CRP_EXPORT int NAME(const char *dir,                                     \
	                    int (*fn)(const char *, const STAT_T *, int, struct FTW *), \
	                    int nopenfd, int flags)                              \
	{                                                                        \
		void *real = (void *)REAL;                                       \
		if (!dirs_active())                                              \
			return ((int (*)(const char *, void *, int, int))real)(  \
				dir, (void *)fn, nopenfd, flags);                \
		return walk_run(dir, (void *)fn, !(flags & FTW_PHYS),            \
		                (void *)walk_nftw_cb, nopenfd, flags, 1, real);  \
	}
#define FTW_WRAP(NAME, STAT_T, REAL)                                            \
	CRP_EXPORT int NAME(const char *dir,                                     \
	                    int (*fn)(const char *, const STAT_T *, int),        \
	                    int nopenfd)                                         \
	{                                                                        \
		void *real = (void *)REAL;                                       \
		if (!dirs_active())                                              \
			return ((int (*)(const char *, void *, int))real)(       \
				dir, (void *)fn, nopenfd);                       \
		return walk_run(dir, (void *)fn, 1, (void *)walk_ftw_cb,         \
		                nopenfd, 0, 0, real);                            \
	}

NFTW_WRAP(nftw, struct stat, CRP_NEXT(nftw))
NFTW_WRAP(nftw64, struct stat64, CRP_NEXT(nftw64))
FTW_WRAP(ftw, struct stat, CRP_NEXT(ftw))
FTW_WRAP(ftw64, struct stat64, CRP_NEXT(ftw64))
#if DIRS_TIME64
int __nftw64_time64(const char *, int (*)(const char *, const void *, int, struct FTW *),
                    int, int);
int __ftw64_time64(const char *, int (*)(const char *, const void *, int), int);
NFTW_WRAP(__nftw64_time64, void, CRP_NEXT_T(void *, "__nftw64_time64"))
FTW_WRAP(__ftw64_time64, void, CRP_NEXT_T(void *, "__ftw64_time64"))
#endif

/* ================================================================= fts */

/* The FTSENT fields the guest view touches, for either layout. */
struct fts_view {
	char *buf;                 /* the stream's path buffer */
	char **path, **accpath;
	unsigned short *pathlen;
	short level;
	char *name;
	unsigned short namelen;
};

/* How much of a host path to hide: the root prefix, when the path is
 * strictly below the root (a root given as "/" is opened as "ROOT/"). */
static size_t fts_off(const char *s, size_t len)
{
	const struct cr_config *cfg = crp_config();
	if (cfg->rootlen == 0 || len <= cfg->rootlen)
		return 0;
	if (memcmp(s, cfg->root, cfg->rootlen) != 0 || s[cfg->rootlen] != '/')
		return 0;
	return cfg->rootlen;
}

static int fts_in_name(const struct fts_view *v, const char *p)
{
	uintptr_t a = (uintptr_t)p, n = (uintptr_t)v->name;
	return a > n && a <= n + v->namelen;
}

static void fts_show(const struct fts_view *v)
{
	if (v->level == FTS_ROOTLEVEL && *v->accpath == v->name) {
		/* A root not loaded yet (fts_children before the first
		 * fts_read): its name is the whole host string. */
		*v->accpath = v->name + fts_off(v->name, v->namelen);
		return;
	}
	if (*v->path != v->buf)
		return;                            /* shown already */
	size_t off = fts_off(v->buf, *v->pathlen);
	if (off == 0)
		return;
	if (*v->accpath == *v->path)
		*v->accpath += off;
	*v->path += off;
	*v->pathlen = (unsigned short)(*v->pathlen - off);
}

static void fts_hide(const struct fts_view *v)
{
	if (v->level == FTS_ROOTLEVEL && fts_in_name(v, *v->accpath)) {
		*v->accpath = v->name;
		return;
	}
	size_t off = (size_t)(*v->path - v->buf);
	if (*v->path == v->buf || (uintptr_t)*v->path < (uintptr_t)v->buf)
		return;
	if (*v->accpath == *v->path)
		*v->accpath -= off;
	*v->path -= off;
	*v->pathlen = (unsigned short)(*v->pathlen + off);
}

static void fts_free_roots(char **roots)
{
	for (char **r = roots; *r; r++)
		free(*r);
	free(roots);
}

/* Translate fts_open's roots into a NULL-ended array of allocated
 * strings (fts_open copies them).  NULL with errno set on failure. */
static char **fts_roots(char *const *argv, int options)
{
	const struct cr_config *cfg = crp_config();
	int flags = CR_KEEP_SLASH;
	if (options & (FTS_COMFOLLOW | FTS_LOGICAL))
		flags |= CR_FOLLOW;
	size_t n = 0;
	while (argv[n])
		n++;
	char **out = calloc(n + 1, sizeof *out);
	if (!out)
		return NULL;
	char cwd[PATH_MAX];
	int have_cwd = -1;
	for (size_t i = 0; i < n; i++) {
		char host[PATH_MAX + 1], lex[PATH_MAX];
		const char *use = host;
		int e = 0;
		if (argv[i][0] == '\0') {
			use = argv[i];                 /* fts reports ENOENT */
		} else if ((e = crp_resolve_at(AT_FDCWD, argv[i], flags, host)) != 0) {
			fts_free_roots(out);
			errno = e;
			return NULL;
		} else if (argv[i][0] != '/') {
			/* Keep a relative root whose meaning on the host is
			 * the same file. */
			if (have_cwd < 0)
				have_cwd = cr_sys_getcwd(cwd, sizeof cwd) >= 0 && cwd[0] == '/';
			size_t hl = walk_stripped(host);
			if (have_cwd &&
			    cr_guest_abspath(cwd, argv[i], lex, sizeof lex) == 0 &&
			    walk_stripped(lex) == hl && memcmp(lex, host, hl) == 0)
				use = argv[i];
		}
		if (use == host && strcmp(host, cfg->root) == 0)
			strcat(host, "/");             /* the root: "ROOT/" */
		out[i] = strdup(use);
		if (!out[i]) {
			fts_free_roots(out);
			return NULL;
		}
	}
	return out;
}

/* Per layout: views of an entry, hide everything fts may use, show a
 * list, and the three wrappers. */
#define FTS_LAYOUT(SFX, FTS_T, ENT_T)                                          \
	static struct fts_view fts_view##SFX(FTS_T *sp, ENT_T *p)               \
	{                                                                       \
		struct fts_view v = {                                           \
			.buf = sp->fts_path, .path = &p->fts_path,              \
			.accpath = &p->fts_accpath, .pathlen = &p->fts_pathlen, \
			.level = p->fts_level, .name = p->fts_name,             \
			.namelen = p->fts_namelen,                              \
		};                                                              \
		return v;                                                       \
	}                                                                       \
	static void fts_hide_all##SFX(FTS_T *sp)                                \
	{                                                                       \
		ENT_T *p = sp->fts_cur;                                         \
		if (p) {                                                        \
			struct fts_view v = fts_view##SFX(sp, p);               \
			fts_hide(&v);                                           \
			if (p->fts_info == FTS_INIT)                            \
				for (ENT_T *q = p->fts_link; q; q = q->fts_link) { \
					v = fts_view##SFX(sp, q);               \
					fts_hide(&v);                           \
				}                                               \
		}                                                               \
		for (ENT_T *q = sp->fts_child; q; q = q->fts_link) {            \
			struct fts_view v = fts_view##SFX(sp, q);               \
			fts_hide(&v);                                           \
		}                                                               \
	}                                                                       \
	static ENT_T *fts_show_list##SFX(FTS_T *sp, ENT_T *p, int all)          \
	{                                                                       \
		for (ENT_T *q = p; q; q = all ? q->fts_link : NULL) {           \
			struct fts_view v = fts_view##SFX(sp, q);               \
			fts_show(&v);                                           \
		}                                                               \
		return p;                                                       \
	}

#define FTS_WRAPPERS(SFX, FTS_T, ENT_T, OPEN, READ, CHILDREN, OPEN_REAL, READ_REAL, CHILDREN_REAL) \
	CRP_EXPORT FTS_T *OPEN(char *const *argv, int options,                  \
	                       int (*compar)(const ENT_T **, const ENT_T **))   \
	{                                                                       \
		__auto_type real = OPEN_REAL;                                   \
		if (!dirs_active() || !argv)                                    \
			return real(argv, options, compar);                     \
		char **roots = fts_roots(argv, options);                        \
		if (!roots)                                                     \
			return NULL;                                            \
		FTS_T *sp = real(roots, options, compar);                       \
		int e = errno;                                                  \
		fts_free_roots(roots);                                          \
		errno = e;                                                      \
		return sp;                                                      \
	}                                                                       \
	CRP_EXPORT ENT_T *READ(FTS_T *sp)                                       \
	{                                                                       \
		__auto_type real = READ_REAL;                                   \
		if (!dirs_active())                                             \
			return real(sp);                                        \
		fts_hide_all##SFX(sp);                                          \
		ENT_T *p = real(sp);                                            \
		int e = errno;                                                  \
		if (p)                                                          \
			fts_show_list##SFX(sp, p, 0);                           \
		errno = e;                                                      \
		return p;                                                       \
	}                                                                       \
	CRP_EXPORT ENT_T *CHILDREN(FTS_T *sp, int instr)                        \
	{                                                                       \
		__auto_type real = CHILDREN_REAL;                               \
		if (!dirs_active())                                             \
			return real(sp, instr);                                 \
		fts_hide_all##SFX(sp);                                          \
		ENT_T *p = real(sp, instr);                                     \
		int e = errno;                                                  \
		fts_show_list##SFX(sp, p, 1);                                   \
		errno = e;                                                      \
		return p;                                                       \
	}

FTS_LAYOUT(, FTS, FTSENT)
FTS_WRAPPERS(, FTS, FTSENT, fts_open, fts_read, fts_children,
             CRP_NEXT(fts_open), CRP_NEXT(fts_read), CRP_NEXT(fts_children))
FTS_LAYOUT(64, FTS64, FTSENT64)
FTS_WRAPPERS(64, FTS64, FTSENT64, fts64_open, fts64_read, fts64_children,
             CRP_NEXT(fts64_open), CRP_NEXT(fts64_read), CRP_NEXT(fts64_children))
#if DIRS_TIME64
/* The _time64 streams have the FTS64 layout (only fts_statp's type
 * differs). */
typedef FTS64 *(*fts_open_t64_fn)(char *const *, int,
                                  int (*)(const FTSENT64 **, const FTSENT64 **));
typedef FTSENT64 *(*fts_read_t64_fn)(FTS64 *);
typedef FTSENT64 *(*fts_children_t64_fn)(FTS64 *, int);
FTS64 *__fts64_open_time64(char *const *, int, int (*)(const FTSENT64 **, const FTSENT64 **));
FTSENT64 *__fts64_read_time64(FTS64 *);
FTSENT64 *__fts64_children_time64(FTS64 *, int);
FTS_WRAPPERS(64, FTS64, FTSENT64, __fts64_open_time64, __fts64_read_time64,
             __fts64_children_time64,
             CRP_NEXT_T(fts_open_t64_fn, "__fts64_open_time64"),
             CRP_NEXT_T(fts_read_t64_fn, "__fts64_read_time64"),
             CRP_NEXT_T(fts_children_t64_fn, "__fts64_children_time64"))
#endif

/* ============================================================= scandir */

#define SCANDIR_WRAP(NAME, DIRENT_T)                                            \
	CRP_EXPORT int NAME(const char *dir, struct DIRENT_T ***namelist,        \
	                    int (*filter)(const struct DIRENT_T *),              \
	                    int (*compar)(const struct DIRENT_T **,              \
	                                  const struct DIRENT_T **))             \
	{                                                                        \
		char host[PATH_MAX];                                             \
		int e = crp_resolve_at(AT_FDCWD, dir, CR_FOLLOW, host);          \
		if (e) {                                                         \
			errno = e;                                               \
			return -1;                                               \
		}                                                                \
		return CRP_NEXT(NAME)(host, namelist, filter, compar);           \
	}
#define SCANDIRAT_WRAP(NAME, DIRENT_T)                                          \
	CRP_EXPORT int NAME(int dirfd, const char *dir,                          \
	                    struct DIRENT_T ***namelist,                         \
	                    int (*filter)(const struct DIRENT_T *),              \
	                    int (*compar)(const struct DIRENT_T **,              \
	                                  const struct DIRENT_T **))             \
	{                                                                        \
		char host[PATH_MAX];                                             \
		int e = crp_resolve_at(dirfd, dir, CR_FOLLOW, host);             \
		if (e) {                                                         \
			errno = e;                                               \
			return -1;                                               \
		}                                                                \
		return CRP_NEXT(NAME)(dirfd, host, namelist, filter, compar);    \
	}

SCANDIR_WRAP(scandir, dirent)
SCANDIR_WRAP(scandir64, dirent64)
SCANDIRAT_WRAP(scandirat, dirent)
SCANDIRAT_WRAP(scandirat64, dirent64)
