/* test_path.c - unit tests for cr_path.c (resolver, lexical canonicaliser,
 * reverse map, bind resolution) and cr_sys.c (raw system calls and
 * cr_sys_fsops).  The resolver runs against a real tree built under a
 * mkdtemp directory (through cr_sys_fsops) and against an in-memory fake
 * cr_fsops that counts readlink calls, for deterministic cases such as
 * 41-link chains, unreadable directories and giant link targets; a threaded
 * case checks that concurrent resolutions agree.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "cr_config.h"
#include "cr_path.h"
#include "cr_sys.h"

/* The tree, built once in main() (the forked tests inherit it):
 *   T/root            R, the fake root
 *   T/rootx           a sibling sharing R's name as a prefix
 *   T/outside/secret  a host directory bound into the root
 *   T/other/f         a second host directory (nested bind)
 */
static char T[64], R[128], RX[128], OUTSIDE[128], OTHER[128];
static struct cr_config cfg_plain;   /* root R, no binds */
static struct cr_config cfg_binds;   /* root R, defaults + binds */
static struct cr_config cfg_none;    /* no fake root, no binds */
static struct cr_config cfg_nodef;   /* root R, one bind, no defaults */

/* Concatenation into rotating buffers (test code, single thread). */
static const char *J(const char *a, const char *b)
{
	static char bufs[8][PATH_MAX * 2];
	static int k;
	char *p = bufs[k++ % 8];
	snprintf(p, PATH_MAX * 2, "%s%s", a, b);
	return p;
}

/* Fixture failures (outside any test): report and stop. */
#define NEED(cond, ...) do {                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "test_path setup: " __VA_ARGS__);      \
			fputc('\n', stderr);                                   \
			exit(EXIT_FAILURE);                                    \
		}                                                              \
	} while (0)

static void mk(const char *rel, int dir)
{
	const char *p = J(T, rel);
	if (dir)
		NEED(mkdir(p, 0755) == 0, "mkdir %s: %s", p, strerror(errno));
	else {
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		NEED(fd >= 0, "create %s: %s", p, strerror(errno));
		close(fd);
	}
}

static void ln(const char *target, const char *rel)
{
	const char *p = J(T, rel);
	NEED(symlink(target, p) == 0, "symlink %s: %s", p, strerror(errno));
}

static void build_tree(void)
{
	char chain[32], next[32];
	int i;

	strcpy(T, "/tmp/crpath-XXXXXX");
	NEED(mkdtemp(T) != NULL, "mkdtemp: %s", strerror(errno));
	snprintf(R, sizeof R, "%s/root", T);
	snprintf(RX, sizeof RX, "%s/rootx", T);
	snprintf(OUTSIDE, sizeof OUTSIDE, "%s/outside", T);
	snprintf(OTHER, sizeof OTHER, "%s/other", T);

	mk("/root", 1);
	mk("/rootx", 1);
	mk("/outside", 1);
	mk("/outside/secret", 0);
	mk("/outside/inner", 1);
	mk("/other", 1);
	mk("/other/f", 0);

	mk("/root/etc", 1);
	mk("/root/usr", 1);
	mk("/root/usr/lib", 1);
	mk("/root/usr/lib/x", 0);
	mk("/root/usr/bin", 1);
	mk("/root/file", 0);
	mk("/root/media", 1);
	mk("/root/media/host", 1);
	mk("/root/d", 1);
	mk("/root/d/e", 1);
	mk("/root/d/e/f", 1);
	mk("/root/srv", 1);
	ln("/usr/lib/x", "/root/etc/x");                  /* absolute */
	ln("x", "/root/usr/lib/rel");                     /* relative */
	ln("../../../../usr/lib/x", "/root/etc/up");      /* climbs past "/" */
	ln("../../../../../../..", "/root/d/e/f/top");    /* the root itself */
	ln("loop2", "/root/loop1");
	ln("loop1", "/root/loop2");
	ln("self", "/root/self");
	ln("usr/lib", "/root/lib");                       /* dir, relative */
	ln("/usr/lib", "/root/abslib");                   /* dir, absolute */
	ln("/usr/lib/", "/root/slashlib");                /* target with '/' */
	ln("/nonexistent/file", "/root/dangling");
	ln("..", "/root/usr/lib/parent");
	ln("media", "/root/mnt");
	ln("/srv/data/secret", "/root/tosecret");         /* into a bind */
	ln("/dev/null", "/root/devnull");
	ln("/usr/lib/rel", "/root/twohop");
	/* c0 -> c1 -> ... -> c40 -> /usr/lib/x: 41 links from c0. */
	for (i = 0; i <= 40; i++) {
		snprintf(chain, sizeof chain, "/root/c%d", i);
		if (i == 40)
			strcpy(next, "/usr/lib/x");
		else
			snprintf(next, sizeof next, "c%d", i + 1);
		ln(next, chain);
	}

	NEED(cr_config_set_root(&cfg_plain, R) == 0, "set_root");

	NEED(cr_config_set_root(&cfg_binds, R) == 0, "set_root");
	cr_config_default_binds(&cfg_binds);
	{
		char spec[512];
		const char *bad;
		snprintf(spec, sizeof spec, "%s:/srv/data,%s:/srv/data/inner,%s:/mnt/host",
		         OUTSIDE, OTHER, OUTSIDE);
		NEED(cr_config_parse_binds(&cfg_binds, spec, &bad) == 0, "binds");
		NEED(cr_config_set_root(&cfg_none, "/") == 0, "set_root /");
		NEED(cr_config_set_root(&cfg_nodef, R) == 0, "set_root");
		snprintf(spec, sizeof spec, "%s:/srv/data", OUTSIDE);
		NEED(cr_config_parse_binds(&cfg_nodef, spec, &bad) == 0, "binds");
	}
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

/* Resolves three times: with and without the nolinks probe of
 * cr_sys_fsops (one openat2 for the rest of the walk after a symlink), and
 * with its readlink asking statx for the type first (as under qemu), and
 * demands the same answer from all. */
static int resolve(const struct cr_config *cfg, const char *base, const char *path,
                   int flags, char *out, size_t outsz)
{
	struct cr_fsops walk_only = cr_sys_fsops;
	walk_only.nolinks = NULL;
	char *slow = malloc(outsz ? outsz : 1);
	ck_assert_ptr_nonnull(slow);
	int r = cr_resolve(cfg, &cr_sys_fsops, base, path, flags, out, outsz);
	int r2 = cr_resolve(cfg, &walk_only, base, path, flags, slow, outsz);
	ck_assert_msg(r == r2, "resolve %s: %d with the nolinks probe, %d without", path, r, r2);
	if (r == 0)
		ck_assert_str_eq(out, slow);
	cr_sys_link_probe(1);
	int r3 = cr_resolve(cfg, &walk_only, base, path, flags, slow, outsz);
	cr_sys_link_probe(0);
	ck_assert_msg(r == r3, "resolve %s: %d, %d with the statx type probe", path, r, r3);
	if (r == 0)
		ck_assert_str_eq(out, slow);
	free(slow);
	return r;
}

#define RES_OK(cfg, base, path, flags, want) do {                             \
		char o_[PATH_MAX];                                            \
		int r_ = resolve(cfg, base, path, flags, o_, sizeof o_);      \
		ck_assert_msg(r_ == 0, "resolve %s: %s", path, strerror(r_)); \
		ck_assert_str_eq(o_, want);                                   \
	} while (0)

#define RES_ERR(cfg, base, path, flags, err) do {                             \
		char o_[PATH_MAX];                                            \
		int r_ = resolve(cfg, base, path, flags, o_, sizeof o_);      \
		ck_assert_msg(r_ == (err), "resolve %s: got %d (%s), want %s", \
		              path, r_, strerror(r_), strerror(err));         \
	} while (0)

/* ======================================================== real tree */

START_TEST(abs_symlink_inside_root)
{
	RES_OK(&cfg_plain, NULL, "/etc/x", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/etc/x", 0, J(R, "/etc/x"));
	RES_OK(&cfg_plain, NULL, "/twohop", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/twohop", 0, J(R, "/twohop"));
}
END_TEST

START_TEST(rel_symlink)
{
	RES_OK(&cfg_plain, NULL, "/usr/lib/rel", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/usr/lib/rel", 0, J(R, "/usr/lib/rel"));
	RES_OK(&cfg_plain, NULL, "/usr/lib/parent/lib/x", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/usr/lib/parent", CR_FOLLOW, J(R, "/usr"));
}
END_TEST

START_TEST(symlink_climbing_stays_in_root)
{
	RES_OK(&cfg_plain, NULL, "/etc/up", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/d/e/f/top", CR_FOLLOW, R);
	RES_OK(&cfg_plain, NULL, "/d/e/f/top/etc/x", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/d/e/f/top/../../../etc", 0, J(R, "/etc"));
}
END_TEST

START_TEST(symlink_loops)
{
	RES_ERR(&cfg_plain, NULL, "/loop1", CR_FOLLOW, ELOOP);
	RES_ERR(&cfg_plain, NULL, "/loop1/x", 0, ELOOP);
	RES_ERR(&cfg_plain, NULL, "/self/", 0, ELOOP);
	RES_ERR(&cfg_plain, NULL, "/self", CR_FOLLOW, ELOOP);
	/* Not followed in the last component: no loop. */
	RES_OK(&cfg_plain, NULL, "/loop1", 0, J(R, "/loop1"));
	RES_OK(&cfg_plain, NULL, "/self", 0, J(R, "/self"));
}
END_TEST

START_TEST(link_chain_limit)
{
	/* c1 .. c40: 40 links, the kernel's limit, still resolves. */
	RES_OK(&cfg_plain, NULL, "/c1", CR_FOLLOW, J(R, "/usr/lib/x"));
	/* c0: 41 links. */
	RES_ERR(&cfg_plain, NULL, "/c0", CR_FOLLOW, ELOOP);
	RES_OK(&cfg_plain, NULL, "/c0", 0, J(R, "/c0"));
}
END_TEST

START_TEST(symlinked_dir_in_middle)
{
	RES_OK(&cfg_plain, NULL, "/lib/x", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/abslib/x", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/slashlib/x", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/lib/rel", CR_FOLLOW, J(R, "/usr/lib/x"));
	/* ".." after a symlink applies to the target, as in the kernel. */
	RES_OK(&cfg_plain, NULL, "/lib/../bin", 0, J(R, "/usr/bin"));
	RES_OK(&cfg_plain, NULL, "/lib/..", 0, J(R, "/usr"));
	RES_OK(&cfg_plain, NULL, "/lib/.", 0, J(R, "/usr/lib"));
}
END_TEST

START_TEST(dangling_and_missing)
{
	RES_OK(&cfg_plain, NULL, "/dangling", CR_FOLLOW, J(R, "/nonexistent/file"));
	RES_OK(&cfg_plain, NULL, "/dangling", 0, J(R, "/dangling"));
	RES_OK(&cfg_plain, NULL, "/dangling/more", 0, J(R, "/nonexistent/file/more"));
	/* After a missing component the rest is passed as written, but a
	 * ".." fails at once as the kernel would (no race with a mkdir). */
	RES_ERR(&cfg_plain, NULL, "/nonexist/a/../b", 0, ENOENT);
	RES_ERR(&cfg_plain, NULL, "/nonexist/..", CR_FOLLOW, ENOENT);
	RES_OK(&cfg_plain, NULL, "/nonexist/./a", 0, J(R, "/nonexist/./a"));
	RES_OK(&cfg_plain, NULL, "/nonexist//a", 0, J(R, "/nonexist/a"));
	RES_OK(&cfg_plain, NULL, "/etc/newfile", CR_FOLLOW, J(R, "/etc/newfile"));
	/* Below a regular file: ENOTDIR from readlink, rest as written
	 * (and ENOTDIR at a later ".."). */
	RES_OK(&cfg_plain, NULL, "/file/x/y", 0, J(R, "/file/x/y"));
	RES_ERR(&cfg_plain, NULL, "/file/x/..", 0, ENOTDIR);
	RES_OK(&cfg_plain, NULL, "/file/../etc", 0, J(R, "/etc"));
}
END_TEST

/* CR_MUST_EXIST: a followed last component found missing (or below a
 * non-directory) fails at once with the kernel's answer; anything else
 * resolves as without the flag. */
START_TEST(must_exist)
{
	const int M = CR_MUST_EXIST;
	RES_ERR(&cfg_plain, NULL, "/etc/newfile", CR_FOLLOW | M, ENOENT);
	RES_ERR(&cfg_plain, NULL, "/etc/newfile/", M, ENOENT);
	RES_ERR(&cfg_plain, NULL, "/file/x", CR_FOLLOW | M, ENOTDIR);
	/* (a symlink to a missing directory's entry: the kernel decides) */
	RES_OK(&cfg_plain, NULL, "/dangling", CR_FOLLOW | M, J(R, "/nonexistent/file"));
	/* Existing objects, and the last component of a no-follow call
	 * (never read), resolve as before. */
	RES_OK(&cfg_plain, NULL, "/etc", CR_FOLLOW | M, J(R, "/etc"));
	RES_OK(&cfg_plain, NULL, "/lib/x", CR_FOLLOW | M, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/etc/newfile", M, J(R, "/etc/newfile"));
	/* A missing directory in the middle: the rest goes to the kernel
	 * as written (a bind below it may still match). */
	RES_OK(&cfg_plain, NULL, "/nonexist/a", CR_FOLLOW | M, J(R, "/nonexist/a"));
	/* A bind is never read, whether or not its host path exists. */
	RES_OK(&cfg_binds, NULL, "/srv/data/missing", CR_FOLLOW | M, J(OUTSIDE, "/missing"));
}
END_TEST

START_TEST(slashes_and_dots)
{
	RES_OK(&cfg_plain, NULL, "/", 0, R);
	RES_OK(&cfg_plain, NULL, "//", 0, R);
	RES_OK(&cfg_plain, NULL, "/.", 0, R);
	RES_OK(&cfg_plain, NULL, "/..", 0, R);
	RES_OK(&cfg_plain, NULL, "/../../..", 0, R);
	RES_OK(&cfg_plain, NULL, "/../etc", 0, J(R, "/etc"));
	RES_OK(&cfg_plain, NULL, "//etc///x", 0, J(R, "/etc/x"));
	RES_OK(&cfg_plain, NULL, "/./etc/./x", 0, J(R, "/etc/x"));
	RES_OK(&cfg_plain, NULL, "/etc/..", 0, R);
	RES_OK(&cfg_plain, NULL, "/usr/lib/../../etc/../usr", 0, J(R, "/usr"));
}
END_TEST

START_TEST(trailing_slash)
{
	/* Without CR_KEEP_SLASH the slash goes; it still makes the last
	 * component followed, as in the kernel. */
	RES_OK(&cfg_plain, NULL, "/etc/", 0, J(R, "/etc"));
	RES_OK(&cfg_plain, NULL, "/etc/x/", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, NULL, "/lib/", 0, J(R, "/usr/lib"));
	RES_OK(&cfg_plain, NULL, "/etc/", CR_KEEP_SLASH, J(R, "/etc/"));
	RES_OK(&cfg_plain, NULL, "/etc//", CR_KEEP_SLASH, J(R, "/etc/"));
	RES_OK(&cfg_plain, NULL, "/lib/", CR_KEEP_SLASH, J(R, "/usr/lib/"));
	RES_OK(&cfg_plain, NULL, "/etc/x/", CR_KEEP_SLASH, J(R, "/usr/lib/x/"));
	RES_OK(&cfg_plain, NULL, "/nonexist/", CR_KEEP_SLASH, J(R, "/nonexist/"));
	/* A final "." or ".." demands a directory too. */
	RES_OK(&cfg_plain, NULL, "/usr/.", CR_KEEP_SLASH, J(R, "/usr/"));
	RES_OK(&cfg_plain, NULL, "/usr/lib/..", CR_KEEP_SLASH, J(R, "/usr/"));
	RES_OK(&cfg_plain, NULL, "/", CR_KEEP_SLASH, J(R, "/"));
	RES_OK(&cfg_plain, NULL, "/etc", CR_KEEP_SLASH, J(R, "/etc"));
	RES_OK(&cfg_plain, NULL, "/etc/..x", CR_KEEP_SLASH, J(R, "/etc/..x"));
	RES_OK(&cfg_plain, NULL, "/etc/x.", CR_KEEP_SLASH, J(R, "/etc/x."));
}
END_TEST

START_TEST(relative_with_base)
{
	RES_OK(&cfg_plain, "/usr", "lib/x", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, "/usr/lib", "../../etc/x", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, "/usr/lib", "../../../../etc", 0, J(R, "/etc"));
	RES_OK(&cfg_plain, NULL, "etc", 0, J(R, "/etc"));
	RES_OK(&cfg_plain, "", "etc", 0, J(R, "/etc"));
	RES_OK(&cfg_plain, "/", ".", 0, R);
	RES_OK(&cfg_plain, "/usr", ".", 0, J(R, "/usr"));
	RES_OK(&cfg_plain, "/usr/./lib/", "x", 0, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, "//usr//lib/../lib", "rel", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_plain, "/etc", "x", CR_FOLLOW, J(R, "/usr/lib/x"));
	/* An absolute path ignores base. */
	RES_OK(&cfg_plain, "/usr", "/etc", 0, J(R, "/etc"));
	RES_OK(&cfg_plain, "/usr", "/etc", 0, J(R, "/etc"));
}
END_TEST

START_TEST(empty_and_null)
{
	char out[PATH_MAX];
	RES_ERR(&cfg_plain, NULL, "", 0, ENOENT);
	RES_ERR(&cfg_none, NULL, "", 0, ENOENT);
	RES_ERR(&cfg_binds, "/usr", "", CR_FOLLOW, ENOENT);
	ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, NULL, NULL, 0, out, sizeof out),
	                 EFAULT);
}
END_TEST

/* A path of exactly len bytes: "/" + names of 200 'a's (missing), "/" + ... */
static void long_path(char *p, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		p[i] = (i % 201 == 0) ? '/' : 'a';
	if (p[len - 1] == '/')
		p[len - 1] = 'b';
	p[len] = '\0';
}

START_TEST(path_max)
{
	static char p[PATH_MAX + 8], out[PATH_MAX + 8];
	size_t rl = strlen(R);

	/* No fake root: PATH_MAX - 1 passes, PATH_MAX does not. */
	long_path(p, PATH_MAX - 1);
	ck_assert_int_eq(cr_resolve(&cfg_none, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX), 0);
	ck_assert_str_eq(out, p);
	long_path(p, PATH_MAX);
	ck_assert_int_eq(cr_resolve(&cfg_none, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX),
	                 ENAMETOOLONG);
	ck_assert_int_eq(cr_guest_abspath(NULL, p, out, PATH_MAX), ENAMETOOLONG);

	/* With a root, the output (root + path) must stay below PATH_MAX. */
	long_path(p, PATH_MAX - 1 - rl);
	ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX), 0);
	ck_assert_uint_eq(strlen(out), PATH_MAX - 1);
	ck_assert_int_eq(strncmp(out, R, rl), 0);
	ck_assert_str_eq(out + rl, p);
	long_path(p, PATH_MAX - rl);
	ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX),
	                 ENAMETOOLONG);
	long_path(p, PATH_MAX - 1);
	ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX),
	                 ENAMETOOLONG);

	/* A long input that shrinks lexically is fine. */
	{
		size_t i;
		for (i = 0; i < PATH_MAX - 1; i++)
			p[i] = i % 2 ? '.' : '/';
		p[PATH_MAX - 2] = 'e';
		p[PATH_MAX - 1] = '\0';
		/* "/././..././.e" or "/./.../e" depending on parity */
		ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX), 0);
		ck_assert_str_eq(out, J(R, PATH_MAX % 2 ? "/e" : "/.e"));
		p[PATH_MAX - 1] = 'x';
		p[PATH_MAX] = '\0';
		ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, NULL, p, 0, out, PATH_MAX),
		                 ENAMETOOLONG);
	}
	/* A base of PATH_MAX bytes. */
	long_path(p, PATH_MAX);
	ck_assert_int_eq(cr_resolve(&cfg_plain, &cr_sys_fsops, p, "x", 0, out, PATH_MAX),
	                 ENAMETOOLONG);
	ck_assert_int_eq(cr_guest_abspath(p, "x", out, PATH_MAX), ENAMETOOLONG);
}
END_TEST

START_TEST(out_too_small)
{
	char out[PATH_MAX];
	const char *want = J(R, "/usr/lib/x");
	size_t n = strlen(want);
	ck_assert_int_eq(resolve(&cfg_plain, NULL, "/etc/x", CR_FOLLOW, out, n), ENAMETOOLONG);
	ck_assert_int_eq(resolve(&cfg_plain, NULL, "/etc/x", CR_FOLLOW, out, n + 1), 0);
	ck_assert_str_eq(out, want);
	/* The trailing slash counts. */
	ck_assert_int_eq(resolve(&cfg_plain, NULL, "/etc/x/", CR_KEEP_SLASH, out, n + 1),
	                 ENAMETOOLONG);
	ck_assert_int_eq(resolve(&cfg_plain, NULL, "/etc/x/", CR_KEEP_SLASH, out, n + 2), 0);
	/* Fast path (no root) and "/" alone. */
	ck_assert_int_eq(resolve(&cfg_none, NULL, "/etc", 0, out, 4), ENAMETOOLONG);
	ck_assert_int_eq(resolve(&cfg_none, NULL, "/etc", 0, out, 5), 0);
	ck_assert_int_eq(resolve(&cfg_none, "/usr", "lib", 0, out, 8), ENAMETOOLONG);
	ck_assert_int_eq(resolve(&cfg_none, "/usr", "lib", 0, out, 9), 0);
	ck_assert_str_eq(out, "/usr/lib");
	ck_assert_int_eq(cr_guest_abspath(NULL, "/..", out, 1), ENAMETOOLONG);
	ck_assert_int_eq(cr_guest_abspath(NULL, "/..", out, 2), 0);
	ck_assert_str_eq(out, "/");
}
END_TEST

/* --------------------------------------------------------------- binds */

START_TEST(bind_defaults_shared)
{
	RES_OK(&cfg_binds, NULL, "/dev/null", CR_FOLLOW, "/dev/null");
	RES_OK(&cfg_binds, NULL, "/dev", 0, "/dev");
	RES_OK(&cfg_binds, NULL, "/dev/", CR_KEEP_SLASH, "/dev/");
	RES_OK(&cfg_binds, NULL, "/proc/self/fd/0", CR_FOLLOW, "/proc/self/fd/0");
	RES_OK(&cfg_binds, NULL, "/sys/kernel", 0, "/sys/kernel");
	RES_OK(&cfg_binds, NULL, "//dev/./null", 0, "/dev/null");
	/* A symlink in the root pointing into a bind. */
	RES_OK(&cfg_binds, NULL, "/devnull", CR_FOLLOW, "/dev/null");
	RES_OK(&cfg_binds, NULL, "/devnull", 0, J(R, "/devnull"));
	/* Component boundaries: /devx, /proc2 are in the root. */
	RES_OK(&cfg_binds, NULL, "/devx/null", 0, J(R, "/devx/null"));
	RES_OK(&cfg_binds, NULL, "/proc2", 0, J(R, "/proc2"));
	/* ".." at a bind's top returns into the root. */
	RES_OK(&cfg_binds, NULL, "/dev/../etc/x", CR_FOLLOW, J(R, "/usr/lib/x"));
	RES_OK(&cfg_binds, NULL, "/dev/pts/../../etc", 0, J(R, "/etc"));
	RES_OK(&cfg_binds, NULL, "/dev/pts/..", 0, "/dev");
	/* Without the defaults, /dev is the root's own. */
	RES_OK(&cfg_plain, NULL, "/dev/null", 0, J(R, "/dev/null"));
	RES_OK(&cfg_nodef, NULL, "/dev/null", 0, J(R, "/dev/null"));
}
END_TEST

START_TEST(bind_other_guest_path)
{
	RES_OK(&cfg_binds, NULL, "/srv/data/secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, NULL, "/srv/data", 0, OUTSIDE);
	RES_OK(&cfg_binds, NULL, "/srv/data/", CR_KEEP_SLASH, J(OUTSIDE, "/"));
	RES_OK(&cfg_binds, NULL, "/srv/data/../x", 0, J(R, "/srv/x"));
	RES_OK(&cfg_binds, NULL, "/srv/datax", 0, J(R, "/srv/datax"));
	RES_OK(&cfg_binds, NULL, "/srv/data/./secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, NULL, "/tosecret", CR_FOLLOW, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, NULL, "/srv/data/missing/x", 0, J(OUTSIDE, "/missing/x"));
	/* Relative, with a base in the bind. */
	RES_OK(&cfg_binds, "/srv/data", "secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, "/srv/data/sub", "../secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, "/srv/data/sub", "../../x", 0, J(R, "/srv/x"));
	RES_OK(&cfg_binds, "/srv/data", "..", 0, J(R, "/srv"));
	RES_OK(&cfg_binds, "/srv/data", ".", 0, OUTSIDE);
	RES_OK(&cfg_binds, "/srv", "data/secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, "/dev", "null", 0, "/dev/null");
	RES_OK(&cfg_binds, "/dev", "../etc", 0, J(R, "/etc"));
	/* Binds also apply with no fake root. */
	{
		struct cr_config c;
		const char *bad;
		char spec[256];
		memset(&c, 0, sizeof c);
		ck_assert_int_eq(cr_config_set_root(&c, "/"), 0);
		snprintf(spec, sizeof spec, "%s:/srv/data", OUTSIDE);
		ck_assert_int_eq(cr_config_parse_binds(&c, spec, &bad), 0);
		RES_OK(&c, NULL, "/srv/data/secret", 0, J(OUTSIDE, "/secret"));
		RES_OK(&c, "/srv", "data/../data", 0, OUTSIDE);
		RES_OK(&c, NULL, T, 0, T);
		cr_config_free(&c);
	}
}
END_TEST

START_TEST(bind_nested)
{
	RES_OK(&cfg_binds, NULL, "/srv/data/inner/f", 0, J(OTHER, "/f"));
	RES_OK(&cfg_binds, NULL, "/srv/data/inner", 0, OTHER);
	RES_OK(&cfg_binds, NULL, "/srv/data/inner/../secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, NULL, "/srv/data/inner/../../etc", 0, J(R, "/srv/etc"));
	RES_OK(&cfg_binds, "/srv/data/inner", "f", 0, J(OTHER, "/f"));
	RES_OK(&cfg_binds, "/srv/data/inner/deep", "../../secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&cfg_binds, "/srv/data/inner", "..", 0, OUTSIDE);
}
END_TEST

START_TEST(bind_host_root)
{
	struct cr_config c;
	const char *bad;
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(cr_config_set_root(&c, R), 0);
	ck_assert_int_eq(cr_config_parse_binds(&c, "/:/host", &bad), 0);
	RES_OK(&c, NULL, "/host/etc/passwd", 0, "/etc/passwd");
	RES_OK(&c, NULL, "/host", 0, "/");
	RES_OK(&c, NULL, "/host/", CR_KEEP_SLASH, "/");
	RES_OK(&c, NULL, "/host/..", 0, R);
	RES_OK(&c, NULL, "/etc", 0, J(R, "/etc"));
	cr_config_free(&c);
}
END_TEST

START_TEST(bind_guest_under_symlink)
{
	/* ROOT/mnt -> media; a bind on /mnt/host.  The resolver matches
	 * resolved guest prefixes, so as configured the bind sits behind the
	 * symlink and /mnt/host leads to ROOT/media/host ... */
	struct cr_config c;
	const char *bad;
	char spec[256], out[PATH_MAX];
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(cr_config_set_root(&c, R), 0);
	snprintf(spec, sizeof spec, "%s:/mnt/host", OUTSIDE);
	ck_assert_int_eq(cr_config_parse_binds(&c, spec, &bad), 0);
	RES_OK(&c, NULL, "/mnt/host/secret", 0, J(R, "/media/host/secret"));
	/* ... until cr_resolve_binds moves it where the kernel would mount
	 * it: /media/host, reached by both names. */
	ck_assert_int_eq(cr_resolve_binds(&c, &cr_sys_fsops), 0);
	ck_assert_str_eq(c.binds[0].guest, "/media/host");
	ck_assert_uint_eq(c.binds[0].guestlen, 11);
	RES_OK(&c, NULL, "/mnt/host/secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&c, NULL, "/media/host/secret", 0, J(OUTSIDE, "/secret"));
	RES_OK(&c, NULL, "/mnt/host/..", 0, J(R, "/media"));
	ck_assert_int_eq(cr_unmap(&c, J(OUTSIDE, "/secret"), out, sizeof out), 0);
	ck_assert_str_eq(out, "/media/host/secret");
	/* A bind point that is a looping link (a Debian first stage's
	 * proc -> /proc) keeps its path and still wins. */
	struct cr_config l;
	memset(&l, 0, sizeof l);
	ck_assert_int_eq(cr_config_set_root(&l, R), 0);
	snprintf(spec, sizeof spec, "%s:/self", OUTSIDE);
	ck_assert_int_eq(cr_config_parse_binds(&l, spec, &bad), 0);
	ck_assert_int_eq(cr_resolve_binds(&l, &cr_sys_fsops), 0);
	ck_assert_str_eq(l.binds[0].guest, "/self");
	RES_OK(&l, NULL, "/self/secret", 0, J(OUTSIDE, "/secret"));
	cr_config_free(&l);
	/* A bind not behind a symlink is left alone. */
	ck_assert_int_eq(cr_resolve_binds(&cfg_nodef, &cr_sys_fsops), 0);
	ck_assert_str_eq(cfg_nodef.binds[0].guest, "/srv/data");
	cr_config_free(&c);
}
END_TEST

START_TEST(no_root_fast_path)
{
	RES_OK(&cfg_none, NULL, "/etc/../x", 0, "/etc/../x");
	RES_OK(&cfg_none, NULL, "/etc/", 0, "/etc/");
	RES_OK(&cfg_none, "/usr", "a/b", 0, "/usr/a/b");
	RES_OK(&cfg_none, "/usr/", "a/b", 0, "/usr/a/b");
	RES_OK(&cfg_none, "/", "a", 0, "/a");
	RES_OK(&cfg_none, NULL, "a", 0, "/a");
	RES_OK(&cfg_none, "/usr", "/abs", 0, "/abs");
	{
		/* Identity binds (the defaults) keep the fast path. */
		struct cr_config c = cfg_none;
		cr_config_default_binds(&c);
		RES_OK(&c, NULL, "/dev/../x", 0, "/dev/../x");
		RES_OK(&c, NULL, J(R, "/etc/x"), CR_FOLLOW, J(R, "/etc/x"));
		cr_config_free(&c);
	}
}
END_TEST

/* ------------------------------------------------------ guest_abspath */

START_TEST(guest_abspath)
{
	static const struct { const char *base, *path, *want; } cases[] = {
		{ NULL, "/", "/" },
		{ NULL, "//a//b/", "/a/b" },
		{ NULL, "/a/./b/../c", "/a/c" },
		{ NULL, "/../..", "/" },
		{ NULL, "a", "/a" },
		{ "/x/y", "z", "/x/y/z" },
		{ "/x/y", "../../../z", "/z" },
		{ "/x/y/", ".", "/x/y" },
		{ "x/../y", "z", "/y/z" },
		{ "/x", "/abs/.", "/abs" },
		{ "/x", "..", "/" },
		{ "/x", "...", "/x/..." },
		{ "/x", ".hidden/..a", "/x/.hidden/..a" },
	};
	char out[PATH_MAX];
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(cr_guest_abspath(cases[i].base, cases[i].path, out, sizeof out), 0);
		ck_assert_msg(strcmp(out, cases[i].want) == 0, "%s + %s: %s, want %s",
		              cases[i].base ? cases[i].base : "(null)", cases[i].path,
		              out, cases[i].want);
	}
	ck_assert_int_eq(cr_guest_abspath("/x", "", out, sizeof out), ENOENT);
}
END_TEST

/* ------------------------------------------------------------- unmap */

#define UNMAP(cfg, host, ret, want) do {                                       \
		char o_[PATH_MAX];                                             \
		int r_ = cr_unmap(cfg, host, o_, sizeof o_);                   \
		ck_assert_msg(r_ == (ret), "unmap %s: %d, want %d", host, r_, ret); \
		ck_assert_str_eq(o_, want);                                    \
	} while (0)

START_TEST(unmap_root)
{
	UNMAP(&cfg_plain, R, 0, "/");
	UNMAP(&cfg_plain, J(R, "/"), 0, "/");
	UNMAP(&cfg_plain, J(R, "/etc"), 0, "/etc");
	UNMAP(&cfg_plain, J(R, "/usr/lib/x"), 0, "/usr/lib/x");
	UNMAP(&cfg_plain, RX, 1, RX);
	UNMAP(&cfg_plain, J(RX, "/etc"), 1, J(RX, "/etc"));
	UNMAP(&cfg_plain, T, 1, T);
	UNMAP(&cfg_plain, "/usr/bin", 1, "/usr/bin");
	UNMAP(&cfg_plain, "/", 1, "/");
	UNMAP(&cfg_plain, "pipe:[1234]", 1, "pipe:[1234]");
	UNMAP(&cfg_plain, "", 1, "");
}
END_TEST

START_TEST(unmap_binds)
{
	UNMAP(&cfg_binds, "/dev/null", 0, "/dev/null");
	UNMAP(&cfg_binds, "/proc", 0, "/proc");
	UNMAP(&cfg_binds, "/devx", 1, "/devx");
	UNMAP(&cfg_binds, J(OUTSIDE, "/secret"), 0, "/mnt/host/secret");
	UNMAP(&cfg_binds, OUTSIDE, 0, "/mnt/host");
	UNMAP(&cfg_binds, J(OUTSIDE, "/"), 0, "/mnt/host");
	UNMAP(&cfg_binds, J(OTHER, "/f"), 0, "/srv/data/inner/f");
	UNMAP(&cfg_binds, J(OUTSIDE, "x"), 1, J(OUTSIDE, "x"));
	UNMAP(&cfg_binds, J(R, "/srv/data"), 0, "/srv/data");
	UNMAP(&cfg_nodef, J(OUTSIDE, "/secret"), 0, "/srv/data/secret");
	UNMAP(&cfg_nodef, "/dev/null", 1, "/dev/null");
	{
		/* A bind under the root: the root wins. */
		struct cr_config c;
		const char *bad;
		char spec[256];
		memset(&c, 0, sizeof c);
		ck_assert_int_eq(cr_config_set_root(&c, R), 0);
		snprintf(spec, sizeof spec, "%s/usr/lib:/libs,/:/host", R);
		ck_assert_int_eq(cr_config_parse_binds(&c, spec, &bad), 0);
		UNMAP(&c, J(R, "/usr/lib/x"), 0, "/usr/lib/x");
		/* The host "/" bind catches the rest. */
		UNMAP(&c, "/usr/bin", 0, "/host/usr/bin");
		UNMAP(&c, "/", 0, "/host");
		UNMAP(&c, RX, 0, J("/host", RX));
		UNMAP(&c, "rel", 1, "rel");
		cr_config_free(&c);
	}
}
END_TEST

START_TEST(unmap_no_root)
{
	UNMAP(&cfg_none, "/usr/bin", 0, "/usr/bin");
	UNMAP(&cfg_none, "/", 0, "/");
	UNMAP(&cfg_none, "pipe:[7]", 1, "pipe:[7]");
	{
		struct cr_config c = cfg_none;
		const char *bad;
		char spec[256];
		snprintf(spec, sizeof spec, "%s:/srv/data", OUTSIDE);
		ck_assert_int_eq(cr_config_parse_binds(&c, spec, &bad), 0);
		UNMAP(&c, J(OUTSIDE, "/secret"), 0, "/srv/data/secret");
		UNMAP(&c, "/etc", 0, "/etc");
		cr_config_free(&c);
	}
}
END_TEST

START_TEST(unmap_too_small)
{
	char out[PATH_MAX];
	ck_assert_int_eq(cr_unmap(&cfg_plain, J(R, "/etc"), out, 4), ENAMETOOLONG);
	ck_assert_int_eq(cr_unmap(&cfg_plain, J(R, "/etc"), out, 5), 0);
	ck_assert_str_eq(out, "/etc");
	ck_assert_int_eq(cr_unmap(&cfg_plain, R, out, 1), ENAMETOOLONG);
	ck_assert_int_eq(cr_unmap(&cfg_plain, "/usr", out, 4), ENAMETOOLONG);
	ck_assert_int_eq(cr_unmap(&cfg_binds, J(OUTSIDE, "/secret"), out, 16), ENAMETOOLONG);
	ck_assert_int_eq(cr_unmap(&cfg_binds, J(OUTSIDE, "/secret"), out, 17), 0);
	ck_assert_str_eq(out, "/mnt/host/secret");
}
END_TEST

START_TEST(unmap_roundtrip)
{
	/* resolve then unmap gives back the canonical guest path. */
	static const char *const paths[] = {
		"/etc", "/usr/lib/x", "/srv/data/secret", "/srv/data/inner/f",
		"/dev/null", "/", "/d/e/f",
	};
	char h[PATH_MAX], g[PATH_MAX];
	size_t i;
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		const char *want = paths[i];
		ck_assert_int_eq(resolve(&cfg_binds, NULL, paths[i], 0, h, sizeof h), 0);
		ck_assert_int_eq(cr_unmap(&cfg_binds, h, g, sizeof g), 0);
		if (strcmp(paths[i], "/srv/data/secret") == 0)
			want = "/mnt/host/secret";   /* same host dir, bound twice */
		ck_assert_str_eq(g, want);
	}
}
END_TEST

START_TEST(host_in_root)
{
	ck_assert_int_eq(cr_host_in_root(&cfg_plain, R), 1);
	ck_assert_int_eq(cr_host_in_root(&cfg_plain, J(R, "/")), 1);
	ck_assert_int_eq(cr_host_in_root(&cfg_plain, J(R, "/etc/x")), 1);
	ck_assert_int_eq(cr_host_in_root(&cfg_plain, RX), 0);
	ck_assert_int_eq(cr_host_in_root(&cfg_plain, T), 0);
	ck_assert_int_eq(cr_host_in_root(&cfg_plain, "/"), 0);
	ck_assert_int_eq(cr_host_in_root(&cfg_binds, "/dev/null"), 0);
	ck_assert_int_eq(cr_host_in_root(&cfg_none, "/anything"), 1);
	ck_assert_int_eq(cr_host_in_root(&cfg_none, "rel"), 0);
}
END_TEST

/* ========================================================= fake fsops */

struct fake {
	const char *const (*links)[2];   /* host path -> target */
	size_t nlinks;
	const char *const (*errs)[2];    /* host path -> "EACCES"/"ENOENT"/... */
	size_t nerrs;
	int calls;
	char last[PATH_MAX];
};

static ssize_t fake_readlink(void *ud, const char *p, char *buf, size_t n)
{
	struct fake *f = ud;
	size_t i;
	f->calls++;
	snprintf(f->last, sizeof f->last, "%s", p);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < f->nerrs; i++)
		if (strcmp(f->errs[i][0], p) == 0)
			return strcmp(f->errs[i][1], "EACCES") == 0 ? -EACCES : -ENOENT;
	for (i = 0; i < f->nlinks; i++)
		if (strcmp(f->links[i][0], p) == 0) {
			size_t l = strlen(f->links[i][1]);
			if (l > n)
				l = n;
			memcpy(buf, f->links[i][1], l);
			return (ssize_t)l;
		}
	return -EINVAL;
}

static int fake_open(void *ud, const char *p) { (void)ud; (void)p; return -ENOSYS; }
static ssize_t fake_pread(void *ud, int fd, void *b, size_t n, off_t o)
{ (void)ud; (void)fd; (void)b; (void)n; (void)o; return -ENOSYS; }
static void fake_close(void *ud, int fd) { (void)ud; (void)fd; }
static int fake_exec_ok(void *ud, const char *p) { (void)ud; (void)p; return -ENOSYS; }

static struct cr_fsops fake_ops(struct fake *f)
{
	struct cr_fsops o = { .readlink = fake_readlink, .open_ro = fake_open,
	                      .pread = fake_pread, .close = fake_close,
	                      .exec_ok = fake_exec_ok, .ud = f };
	return o;
}

static struct cr_config fake_cfg(const char *binds)
{
	struct cr_config c;
	const char *bad;
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(cr_config_set_root(&c, "/R"), 0);
	if (binds)
		ck_assert_int_eq(cr_config_parse_binds(&c, binds, &bad), 0);
	return c;
}

#define FRES(c, f, base, path, flags, ret, want) do {                         \
		char o_[PATH_MAX];                                            \
		struct cr_fsops ops_ = fake_ops(f);                           \
		int r_ = cr_resolve(c, &ops_, base, path, flags, o_, sizeof o_); \
		ck_assert_msg(r_ == (ret), "resolve %s: %d (%s)", path, r_, strerror(r_)); \
		if (!r_)                                                      \
			ck_assert_str_eq(o_, want);                           \
	} while (0)

START_TEST(fake_readlink_counts)
{
	struct fake f = { 0 };
	struct cr_config c = fake_cfg("/hostdev:/dev");
	static const char *const links[][2] = { { "/R/l", "a/b" } };
	f.links = links;
	f.nlinks = 1;

	f.calls = 0;
	FRES(&c, &f, NULL, "/a/b/c", 0, 0, "/R/a/b/c");
	ck_assert_int_eq(f.calls, 2);          /* a, b: not the last */
	f.calls = 0;
	FRES(&c, &f, NULL, "/a/b/c", CR_FOLLOW, 0, "/R/a/b/c");
	ck_assert_int_eq(f.calls, 3);
	ck_assert_str_eq(f.last, "/R/a/b/c");
	f.calls = 0;
	FRES(&c, &f, NULL, "/a/./b/../b/c", 0, 0, "/R/a/b/c");
	ck_assert_int_eq(f.calls, 3);          /* a, b, b again */
	f.calls = 0;
	FRES(&c, &f, NULL, "/dev/x/y/z", CR_FOLLOW, 0, "/hostdev/x/y/z");
	ck_assert_int_eq(f.calls, 0);          /* a bind is never read */
	f.calls = 0;
	FRES(&c, &f, NULL, "/l/c", 0, 0, "/R/a/b/c");
	ck_assert_int_eq(f.calls, 3);          /* l, a, b */
	f.calls = 0;
	FRES(&c, &f, "/a/b", "c", 0, 0, "/R/a/b/c");
	ck_assert_int_eq(f.calls, 0);          /* base is taken as resolved */
	f.calls = 0;
	FRES(&c, &f, NULL, "/", CR_FOLLOW, 0, "/R");
	ck_assert_int_eq(f.calls, 0);
	cr_config_free(&c);
}
END_TEST

/* A link to itself (debootstrap leaves ROOT/proc -> /proc) is ELOOP at the
 * first reading, not after 40; a link that only looks alike is followed. */
START_TEST(fake_self_link)
{
	struct fake f = { 0 };
	struct cr_config c = fake_cfg(NULL);
	static const char *const links[][2] = {
		{ "/R/proc", "/proc" }, { "/R/d/me", "me" }, { "/R/d/up", "/d/up/" },
		{ "/R/x/proc", "/proc" }, { "/R/e/a", "a/" },
	};
	f.links = links;
	f.nlinks = 5;

	f.calls = 0;
	FRES(&c, &f, NULL, "/proc", CR_FOLLOW, ELOOP, "");
	ck_assert_int_eq(f.calls, 1);
	f.calls = 0;
	FRES(&c, &f, NULL, "/proc/self/x", 0, ELOOP, "");
	ck_assert_int_eq(f.calls, 1);
	FRES(&c, &f, NULL, "/proc", 0, 0, "/R/proc");      /* not followed */
	f.calls = 0;
	FRES(&c, &f, NULL, "/d/me", CR_FOLLOW, ELOOP, "");
	ck_assert_int_eq(f.calls, 2);                      /* d, me */
	/* Not the same text: the ordinary count still ends the loop. */
	FRES(&c, &f, NULL, "/d/up", CR_FOLLOW, ELOOP, "");
	FRES(&c, &f, NULL, "/e/a", CR_FOLLOW, ELOOP, "");
	/* Same last name, other path: /x/proc -> /proc is a loop of two. */
	f.calls = 0;
	FRES(&c, &f, NULL, "/x/proc", CR_FOLLOW, ELOOP, "");
	ck_assert_int_eq(f.calls, 3);                      /* x, x/proc, proc */
	cr_config_free(&c);
}
END_TEST

START_TEST(fake_chain_41)
{
	static char names[42][16], targets[42][16];
	static const char *links[42][2];
	struct fake f = { 0 };
	struct cr_config c = fake_cfg(NULL);
	int i;
	/* /R/n0 -> /n1 -> ... -> /n40 -> /end (absolute: restart each time) */
	for (i = 0; i <= 40; i++) {
		snprintf(names[i], sizeof names[i], "/R/n%d", i);
		if (i == 40)
			snprintf(targets[i], sizeof targets[i], "/end");
		else
			snprintf(targets[i], sizeof targets[i], "/n%d", i + 1);
		links[i][0] = names[i];
		links[i][1] = targets[i];
	}
	f.links = links;
	f.nlinks = 41;
	FRES(&c, &f, NULL, "/n1", CR_FOLLOW, 0, "/R/end");
	f.calls = 0;
	FRES(&c, &f, NULL, "/n1/x", 0, 0, "/R/end/x");
	ck_assert_int_eq(f.calls, 41);         /* n1..n40, end */
	FRES(&c, &f, NULL, "/n0", CR_FOLLOW, ELOOP, "");
	FRES(&c, &f, NULL, "/n0/x", 0, ELOOP, "");
	FRES(&c, &f, NULL, "/n0", 0, 0, "/R/n0");
	FRES(&c, &f, NULL, "/n0/", 0, ELOOP, "");
	cr_config_free(&c);
}
END_TEST

START_TEST(fake_relative_targets)
{
	static const char *const links[][2] = {
		{ "/R/a/b/up", "../../../../../../c" },
		{ "/R/a/b/dot", "./." },
		{ "/R/a/b/sib", "../s/t" },
		{ "/R/a/s/t", "/u//v/" },
		{ "/R/a/b/abs", "/" },
		{ "/R/x", "y/" },
	};
	struct fake f = { 0 };
	struct cr_config c = fake_cfg(NULL);
	f.links = links;
	f.nlinks = sizeof links / sizeof links[0];
	FRES(&c, &f, NULL, "/a/b/up/z", 0, 0, "/R/c/z");
	FRES(&c, &f, NULL, "/a/b/dot/z", 0, 0, "/R/a/b/z");
	FRES(&c, &f, NULL, "/a/b/dot", CR_FOLLOW, 0, "/R/a/b");
	FRES(&c, &f, NULL, "/a/b/sib/w", 0, 0, "/R/u/v/w");
	FRES(&c, &f, NULL, "/a/b/sib", CR_FOLLOW, 0, "/R/u/v");
	FRES(&c, &f, NULL, "/a/b/abs", CR_FOLLOW, 0, "/R");
	FRES(&c, &f, NULL, "/a/b/abs/..", 0, 0, "/R");
	FRES(&c, &f, NULL, "/x", CR_FOLLOW, 0, "/R/y");
	FRES(&c, &f, NULL, "/x", CR_FOLLOW | CR_KEEP_SLASH, 0, "/R/y");
	FRES(&c, &f, NULL, "/x/", CR_KEEP_SLASH, 0, "/R/y/");
	cr_config_free(&c);
}
END_TEST

START_TEST(fake_errors_stop_reading)
{
	static const char *const links[][2] = {
		{ "/R/locked/l", "/x" },
		{ "/R/gone/l", "/x" },
	};
	static const char *const errs[][2] = {
		{ "/R/locked", "EACCES" },
		{ "/R/gone", "ENOENT" },
	};
	struct fake f = { 0 };
	struct cr_config c = fake_cfg("/h:/gone/bound");
	f.links = links;
	f.nlinks = 2;
	f.errs = errs;
	f.nerrs = 2;
	f.calls = 0;
	FRES(&c, &f, NULL, "/locked/l/m", CR_FOLLOW, 0, "/R/locked/l/m");
	ck_assert_int_eq(f.calls, 1);          /* nothing read after the error */
	FRES(&c, &f, NULL, "/gone/l/../m", 0, ENOENT, NULL);
	FRES(&c, &f, NULL, "/locked/l/../m", 0, EACCES, NULL);
	/* Binds still apply below a missing component ... */
	FRES(&c, &f, NULL, "/gone/bound/z", 0, 0, "/h/z");
	/* ... unless "." or ".." made the written rest non-lexical. */
	FRES(&c, &f, NULL, "/gone/./bound/z", 0, 0, "/R/gone/./bound/z");
	cr_config_free(&c);
}
END_TEST

START_TEST(fake_giant_target)
{
	static char big[PATH_MAX + 16];
	static const char *links[2][2];
	struct fake f = { 0 };
	struct cr_config c = fake_cfg(NULL);
	char out[PATH_MAX];
	struct cr_fsops ops = fake_ops(&f);

	long_path(big, PATH_MAX - 1);
	links[0][0] = "/R/big";
	links[0][1] = big;
	links[1][0] = "/R/empty";
	links[1][1] = "";
	f.links = links;
	f.nlinks = 2;
	ck_assert_int_eq(cr_resolve(&c, &ops, NULL, "/big", CR_FOLLOW, out, sizeof out),
	                 ENAMETOOLONG);
	ck_assert_int_eq(cr_resolve(&c, &ops, NULL, "/empty", CR_FOLLOW, out, sizeof out),
	                 ENOENT);
	/* A component at the very start of a PATH_MAX - 1 input: the splice
	 * area is tiny but readlink is never called with a 0-byte buffer. */
	{
		static char p[PATH_MAX];
		long_path(p, PATH_MAX - 1);
		ck_assert_int_eq(cr_resolve(&c, &ops, NULL, p, CR_FOLLOW, out, sizeof out),
		                 ENAMETOOLONG);
		p[2] = '\0';   /* "/a" */
		ck_assert_int_eq(cr_resolve(&c, &ops, NULL, p, CR_FOLLOW, out, sizeof out), 0);
		ck_assert_str_eq(out, "/R/a");
	}
	cr_config_free(&c);
}
END_TEST

START_TEST(fake_symlink_into_bind_and_back)
{
	static const char *const links[][2] = {
		{ "/R/to", "/b/sub" },
		{ "/R/r", "b/../q" },
	};
	struct fake f = { 0 };
	struct cr_config c = fake_cfg("/H:/b");
	f.links = links;
	f.nlinks = 2;
	FRES(&c, &f, NULL, "/to/x", 0, 0, "/H/sub/x");
	FRES(&c, &f, NULL, "/to", CR_FOLLOW, 0, "/H/sub");
	FRES(&c, &f, NULL, "/to/../../etc", 0, 0, "/R/etc");
	FRES(&c, &f, NULL, "/r", CR_FOLLOW, 0, "/R/q");
	cr_config_free(&c);
}
END_TEST

/* ======================================================== concurrency */

#define NTHREADS 20
#define NROUNDS 200

static const char *const conc_paths[] = {
	"/etc/x", "/lib/rel", "/d/e/f/top/etc/up", "/srv/data/secret",
	"/dev/null", "/usr/lib/parent/bin", "/dangling", "/c1", "/tosecret",
	"/srv/data/inner/../secret", "/loop1",
};
#define NCONC (sizeof conc_paths / sizeof conc_paths[0])
static char conc_want[NCONC][PATH_MAX];
static int conc_wantr[NCONC];

static void *conc_worker(void *arg)
{
	char out[PATH_MAX];
	long bad = 0;
	size_t i;
	int k;
	(void)arg;
	for (k = 0; k < NROUNDS; k++)
		for (i = 0; i < NCONC; i++) {
			int r = resolve(&cfg_binds, "/usr", conc_paths[i], CR_FOLLOW,
			                out, sizeof out);
			if (r != conc_wantr[i] || (r == 0 && strcmp(out, conc_want[i]) != 0))
				bad++;
		}
	return (void *)bad;
}

START_TEST(concurrent_resolution)
{
	pthread_t th[NTHREADS];
	size_t i;
	for (i = 0; i < NCONC; i++)
		conc_wantr[i] = resolve(&cfg_binds, "/usr", conc_paths[i], CR_FOLLOW,
		                        conc_want[i], PATH_MAX);
	ck_assert_int_eq(conc_wantr[0], 0);
	ck_assert_str_eq(conc_want[0], J(R, "/usr/lib/x"));
	ck_assert_int_eq(conc_wantr[NCONC - 1], ELOOP);
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, conc_worker, NULL), 0);
	for (i = 0; i < NTHREADS; i++) {
		void *bad;
		ck_assert_int_eq(pthread_join(th[i], &bad), 0);
		ck_assert_int_eq((long)bad, 0);
	}
}
END_TEST

/* ============================================================ cr_sys */

#ifdef SYS_statx
/* The statx type probe under a seccomp filter that refuses statx with
 * EPERM (as some container profiles did): readlink answers as without
 * the probe.  Runs in a child: the filter cannot be removed. */
START_TEST(link_probe_seccomp)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_statx, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
		char buf[PATH_MAX];
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
			_exit(77);                          /* no seccomp here */
		cr_sys_link_probe(1);
		int ok = cr_sys_fsops.readlink(NULL, J(R, "/etc/x"), buf, sizeof buf) == 10 &&
		         memcmp(buf, "/usr/lib/x", 10) == 0 &&
		         cr_sys_fsops.readlink(NULL, J(R, "/etc"), buf, sizeof buf) == -EINVAL &&
		         cr_sys_fsops.readlink(NULL, J(R, "/nope"), buf, sizeof buf) == -ENOENT &&
		         cr_sys_fsops.readlink(NULL, J(R, "/file/x"), buf, sizeof buf) == -ENOTDIR;
		_exit(ok ? 0 : 1);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		return;                                     /* seccomp unavailable */
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST
#endif

START_TEST(sys_calls)
{
	char buf[PATH_MAX];
	int fd;
	ssize_t n;

	errno = 1234;
	n = cr_sys_readlinkat(AT_FDCWD, J(R, "/etc/x"), buf, sizeof buf);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(memcmp(buf, "/usr/lib/x", 10), 0);
	ck_assert_int_eq(cr_sys_readlinkat(AT_FDCWD, J(R, "/etc"), buf, sizeof buf), -EINVAL);
	ck_assert_int_eq(cr_sys_readlinkat(AT_FDCWD, J(R, "/nope"), buf, sizeof buf), -ENOENT);
	ck_assert_int_eq(cr_sys_readlinkat(AT_FDCWD, J(R, "/file/x"), buf, sizeof buf), -ENOTDIR);
	ck_assert_int_eq(errno, 1234);
	/* The fsops readlink with the statx type probe (as under qemu): the
	 * same answers, a symlink's target read only for a symlink. */
	for (int probe = 0; probe <= 1; probe++) {
		cr_sys_link_probe(probe);
		n = cr_sys_fsops.readlink(NULL, J(R, "/etc/x"), buf, sizeof buf);
		ck_assert_int_eq(n, 10);
		ck_assert_int_eq(memcmp(buf, "/usr/lib/x", 10), 0);
		ck_assert_int_eq(cr_sys_fsops.readlink(NULL, J(R, "/etc"), buf, sizeof buf), -EINVAL);
		ck_assert_int_eq(cr_sys_fsops.readlink(NULL, J(R, "/file"), buf, sizeof buf), -EINVAL);
		ck_assert_int_eq(cr_sys_fsops.readlink(NULL, "/dev/null", buf, sizeof buf), -EINVAL);
		ck_assert_int_eq(cr_sys_fsops.readlink(NULL, J(R, "/nope"), buf, sizeof buf), -ENOENT);
		ck_assert_int_eq(cr_sys_fsops.readlink(NULL, J(R, "/file/x"), buf, sizeof buf), -ENOTDIR);
		ck_assert_int_eq(cr_sys_fsops.readlink(NULL, J(R, "/dangling"), buf, sizeof buf) > 0, 1);
		ck_assert_int_eq(errno, 1234);
	}
	cr_sys_link_probe(0);

	fd = cr_sys_openat(AT_FDCWD, J(OUTSIDE, "/secret"), O_WRONLY | O_TRUNC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(cr_sys_write(fd, "hello world", 11), 11);
	ck_assert_int_eq(cr_sys_close(fd), 0);
	ck_assert_int_eq(cr_sys_close(fd), -EBADF);
	fd = cr_sys_openat(AT_FDCWD, J(OUTSIDE, "/secret"), O_RDONLY, 0);
	ck_assert_int_ge(fd, 0);
	n = cr_sys_pread(fd, buf, 5, 6);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(memcmp(buf, "world", 5), 0);
	ck_assert_int_eq(cr_sys_pread(fd, buf, 5, 100), 0);
	ck_assert_int_eq(cr_sys_pread(fd, buf, 5, -1), -EINVAL);
	ck_assert_int_eq(cr_sys_write(fd, "x", 1), -EBADF);
	ck_assert_int_eq(cr_sys_close(fd), 0);
	ck_assert_int_eq(cr_sys_openat(AT_FDCWD, J(R, "/nope"), O_RDONLY, 0), -ENOENT);
	ck_assert_int_eq(errno, 1234);

	ck_assert_int_eq(cr_sys_isdir(AT_FDCWD, R), 1);
	ck_assert_int_eq(cr_sys_isdir(AT_FDCWD, J(R, "/lib")), 1);   /* followed */
	ck_assert_int_eq(cr_sys_isdir(AT_FDCWD, J(R, "/file")), 0);
	ck_assert_int_eq(cr_sys_isdir(AT_FDCWD, J(R, "/nope")), -ENOENT);
	ck_assert_int_eq(cr_sys_isreg(AT_FDCWD, J(R, "/file")), 1);
	ck_assert_int_eq(cr_sys_isreg(AT_FDCWD, J(R, "/usr/lib/rel")), 1);
	ck_assert_int_eq(cr_sys_isreg(AT_FDCWD, R), 0);
	ck_assert_int_eq(cr_sys_isreg(AT_FDCWD, "/dev/null"), 0);
	ck_assert_int_eq(cr_sys_isreg(AT_FDCWD, J(R, "/dangling")), -ENOENT);
	ck_assert_int_eq(cr_sys_isreg(AT_FDCWD, J(R, "/loop1")), -ELOOP);
	ck_assert_int_eq(cr_sys_faccessat(AT_FDCWD, R, F_OK), 0);
	ck_assert_int_eq(cr_sys_faccessat(AT_FDCWD, J(R, "/nope"), F_OK), -ENOENT);
	ck_assert_int_eq(errno, 1234);

	{
		char want[PATH_MAX];
		int len = cr_sys_getcwd(buf, sizeof buf);
		ck_assert_ptr_nonnull(getcwd(want, sizeof want));
		ck_assert_int_eq(len, (int)strlen(want));
		ck_assert_str_eq(buf, want);
		ck_assert_int_eq(cr_sys_getcwd(buf, 1), -ERANGE);
	}
	ck_assert_int_eq(errno, 1234);
}
END_TEST

START_TEST(sys_fsops)
{
	const struct cr_fsops *o = &cr_sys_fsops;
	const char *exe = J(R, "/usr/bin/prog");
	char buf[16];
	int fd;

	ck_assert_int_eq(o->readlink(o->ud, J(R, "/lib"), buf, sizeof buf), 7);
	ck_assert_int_eq(memcmp(buf, "usr/lib", 7), 0);
	fd = open(exe, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "\177ELF", 4), 4);
	close(fd);
	fd = o->open_ro(o->ud, exe);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(o->pread(o->ud, fd, buf, sizeof buf, 1), 3);
	ck_assert_int_eq(memcmp(buf, "ELF", 3), 0);
	o->close(o->ud, fd);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(o->open_ro(o->ud, J(R, "/nope")), -ENOENT);

	ck_assert_int_eq(o->exec_ok(o->ud, exe), 0);
	ck_assert_int_eq(o->exec_ok(o->ud, J(R, "/file")), -EACCES);   /* 0644 */
	ck_assert_int_eq(o->exec_ok(o->ud, J(R, "/usr")), -EACCES);    /* dir */
	ck_assert_int_eq(o->exec_ok(o->ud, J(R, "/nope")), -ENOENT);
	ck_assert_int_eq(o->exec_ok(o->ud, J(R, "/file/x")), -ENOTDIR);
	unlink(exe);
}
END_TEST

static Suite *path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc;

	tc = tcase_create("tree");
	tcase_add_test(tc, abs_symlink_inside_root);
	tcase_add_test(tc, rel_symlink);
	tcase_add_test(tc, symlink_climbing_stays_in_root);
	tcase_add_test(tc, symlink_loops);
	tcase_add_test(tc, link_chain_limit);
	tcase_add_test(tc, symlinked_dir_in_middle);
	tcase_add_test(tc, dangling_and_missing);
	tcase_add_test(tc, must_exist);
	tcase_add_test(tc, slashes_and_dots);
	tcase_add_test(tc, trailing_slash);
	tcase_add_test(tc, relative_with_base);
	tcase_add_test(tc, empty_and_null);
	tcase_add_test(tc, path_max);
	tcase_add_test(tc, out_too_small);
	tcase_add_test(tc, no_root_fast_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("binds");
	tcase_add_test(tc, bind_defaults_shared);
	tcase_add_test(tc, bind_other_guest_path);
	tcase_add_test(tc, bind_nested);
	tcase_add_test(tc, bind_host_root);
	tcase_add_test(tc, bind_guest_under_symlink);
	suite_add_tcase(s, tc);

	tc = tcase_create("lexical+unmap");
	tcase_add_test(tc, guest_abspath);
	tcase_add_test(tc, unmap_root);
	tcase_add_test(tc, unmap_binds);
	tcase_add_test(tc, unmap_no_root);
	tcase_add_test(tc, unmap_too_small);
	tcase_add_test(tc, unmap_roundtrip);
	tcase_add_test(tc, host_in_root);
	suite_add_tcase(s, tc);

	tc = tcase_create("fake");
	tcase_add_test(tc, fake_readlink_counts);
	tcase_add_test(tc, fake_self_link);
	tcase_add_test(tc, fake_chain_41);
	tcase_add_test(tc, fake_relative_targets);
	tcase_add_test(tc, fake_errors_stop_reading);
	tcase_add_test(tc, fake_giant_target);
	tcase_add_test(tc, fake_symlink_into_bind_and_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("concurrency");
	tcase_add_test(tc, concurrent_resolution);
	suite_add_tcase(s, tc);

	tc = tcase_create("sys");
	tcase_add_test(tc, sys_calls);
#ifdef SYS_statx
	tcase_add_test(tc, link_probe_seccomp);
#endif
	tcase_add_test(tc, sys_fsops);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	build_tree();
	sr = srunner_create(path_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	cr_config_free(&cfg_plain);
	cr_config_free(&cfg_binds);
	cr_config_free(&cfg_none);
	cr_config_free(&cfg_nodef);
	nftw(T, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
