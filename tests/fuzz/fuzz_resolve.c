/* fuzz_resolve.c - libFuzzer target for the path resolver (cr_resolve) and
 * the reverse map (cr_unmap).  The input is one flag byte followed by
 * "BASE\nPATH" (or just PATH): the flags choose CR_FOLLOW / CR_KEEP_SLASH,
 * a configuration with or without binds, and an output buffer size (the
 * library's PATH_MAX, or small ones that force ENAMETOOLONG).  The
 * resolver runs against a small real tree built once in a temporary
 * directory (nested dirs, absolute, relative, climbing, looping and
 * dangling symlinks, a bind outside the root).  Invariants checked: a
 * success yields a host path under the root or under a bind's host path,
 * NUL-terminated within the buffer, without "." / ".." components, and
 * cr_unmap maps it back to an absolute guest path; an error is one of the
 * documented errno values (a walk error only for a path with "..").  Also built into the plain replay driver
 * (replay.c) that make check runs over the corpus and regressions.
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cr_config.h"
#include "cr_path.h"

static char top[512];              /* the temp dir: root/ and outside/ */
static char rootdir[PATH_MAX];
static char outside[PATH_MAX];
static struct cr_config cfg_plain, cfg_binds;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_resolve setup: %s: %s\n", what, strerror(errno));
	abort();
}

static void mk(const char *rel, int dir)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof p, "%s/%s", top, rel) >= (int)sizeof p)
		die(rel);
	if (dir) {
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			die(p);
	} else {
		FILE *f = fopen(p, "w");
		if (!f)
			die(p);
		fputs("x\n", f);
		fclose(f);
	}
}

static void ln(const char *target, const char *rel)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof p, "%s/%s", top, rel) >= (int)sizeof p)
		die(rel);
	if (symlink(target, p) != 0 && errno != EEXIST)
		die(p);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static void cleanup(void)
{
	if (top[0])
		nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char spec[3 * PATH_MAX];
	const char *bad;

	if (snprintf(top, sizeof top, "%s/crossroot-fuzz.XXXXXX",
	             tmp && *tmp ? tmp : "/tmp") >= (int)sizeof top)
		die("TMPDIR too long");
	if (!mkdtemp(top))
		die("mkdtemp");
	atexit(cleanup);
	if (snprintf(rootdir, sizeof rootdir, "%s/root", top) >= (int)sizeof rootdir ||
	    snprintf(outside, sizeof outside, "%s/outside", top) >= (int)sizeof outside)
		die("paths");
	mk("root", 1);
	mk("outside", 1);
	mk("outside/sub", 1);
	mk("outside/file", 0);
	ln("../../..", "outside/up");        /* host semantics inside a bind */
	mk("root/etc", 1);
	mk("root/etc/passwd", 0);
	mk("root/usr", 1);
	mk("root/usr/lib", 1);
	mk("root/usr/lib/x", 0);
	mk("root/a", 1);
	mk("root/a/b", 1);
	mk("root/a/b/c", 1);
	mk("root/srv", 1);
	mk("root/media", 1);
	ln("/etc/passwd", "root/abs");
	ln("/usr/lib", "root/absdir");
	ln("/usr/lib/", "root/slashdir");
	ln("usr/lib", "root/reldir");
	ln("../../../../../../../../etc", "root/a/b/up");
	ln("../../../../../..", "root/a/b/c/top");
	ln("loop2", "root/loop1");
	ln("loop1", "root/loop2");
	ln("self", "root/self");
	ln("/nonexistent/x", "root/dangling");
	ln("..", "root/usr/lib/parent");
	ln("media", "root/mnt");
	ln("/srv/data/sub", "root/tobind");
	ln("/proc/self/root", "root/procroot");
	ln("//a//b/", "root/slashes");

	if (cr_config_set_root(&cfg_plain, rootdir) != 0)
		die("set_root");
	if (cr_config_set_root(&cfg_binds, rootdir) != 0)
		die("set_root");
	cr_config_default_binds(&cfg_binds);
	if (snprintf(spec, sizeof spec, "%s:/srv/data,%s/sub:/mnt/host,%s",
	             outside, outside, outside) >= (int)sizeof spec)
		die("spec");
	if (cr_config_parse_binds(&cfg_binds, spec, &bad) != 0)
		die("parse_binds");
	if (cr_resolve_binds(&cfg_binds, &cr_sys_fsops) != 0)
		die("resolve_binds");
}

/* Is p equal to prefix or under it (at a component boundary)? */
static int under(const char *p, const char *prefix, size_t len)
{
	if (len == 1 && prefix[0] == '/')
		return p[0] == '/';
	return strncmp(p, prefix, len) == 0 && (p[len] == '\0' || p[len] == '/');
}

/* Offset of the first "." or ".." component of p, or -1. */
static ssize_t first_dot_component(const char *p)
{
	const char *c = p;
	while (*c) {
		const char *e;
		while (*c == '/')
			c++;
		e = c;
		while (*e && *e != '/')
			e++;
		if ((e - c == 1 && c[0] == '.') || (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return c - p;
		c = e;
	}
	return -1;
}

#define CHECK(cond, ...) do { if (!(cond)) {                                  \
	fprintf(stderr, "fuzz_resolve: invariant failed: %s\n  ", #cond);     \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[4] = { PATH_MAX, 64, 16, 1 };
	const struct cr_config *cfg;
	char path[PATH_MAX + 64], base[PATH_MAX + 64], *out, back[PATH_MAX];
	const char *basep = NULL;
	size_t outsz, n, i;
	uint8_t fl;
	int flags = 0, rc, urc;
	ssize_t dot;

	if (!top[0])
		setup();
	if (size < 1)
		return 0;
	fl = data[0];
	data++, size--;
	if (fl & 1)
		flags |= CR_FOLLOW;
	if (fl & 2)
		flags |= CR_KEEP_SLASH;
	cfg = (fl & 4) ? &cfg_binds : &cfg_plain;
	outsz = sizes[(fl >> 3) & 3];

	/* BASE\nPATH: the base is made absolute (the library only passes
	 * absolute guest directories). */
	for (i = 0; i < size && data[i] != '\n'; i++)
		;
	if (i < size && (fl & 32)) {
		n = i < PATH_MAX ? i : PATH_MAX;
		base[0] = '/';
		memcpy(base + 1, data, n);
		base[n + 1] = '\0';
		basep = base;
		data += i + 1, size -= i + 1;
	}
	n = size < sizeof path - 1 ? size : sizeof path - 1;
	memcpy(path, data, n);
	path[n] = '\0';

	/* An exactly sized heap buffer: ASan catches any write past outsz. */
	out = malloc(outsz);
	if (!out)
		return 0;
	rc = cr_resolve(cfg, &cr_sys_fsops, basep, path, flags, out, outsz);
	/* ENOENT, ENOTDIR, EACCES: a ".." after a component that cannot be
	 * walked (missing, not a directory, not searchable). */
	CHECK(rc == 0 || rc == ENOENT || rc == ELOOP || rc == ENAMETOOLONG ||
	      rc == ENOTDIR || rc == EACCES, "rc=%d path=[%s]", rc, path);
	if (rc == ENOENT || rc == ENOTDIR || rc == EACCES)
		CHECK(path[0] == '\0' || strstr(path, ".."),
		      "errno %d for a path without \"..\" [%s]", rc, path);
	if (rc == 0) {
		int ok = 0;
		size_t len = strnlen(out, outsz);
		CHECK(len < outsz, "output not NUL-terminated in %zu bytes", outsz);
		CHECK(out[0] == '/', "relative output [%s] for [%s]", out, path);
		if (under(out, cfg->root, cfg->rootlen))
			ok = 1;
		for (i = 0; !ok && i < cfg->nbinds; i++)
			if (under(out, cfg->binds[i].host, cfg->binds[i].hostlen))
				ok = 1;
		CHECK(ok, "[%s] resolved outside the root and binds: [%s]", path, out);
		/* "." and ".." are resolved, except after a component that does
		 * not exist (or is no directory): that rest goes to the kernel
		 * as written, so that it fails as it would have.  Then the
		 * kernel must indeed fail: the prefix is no directory. */
		dot = first_dot_component(out);
		if (dot >= 0) {
			struct stat st;
			char pre[PATH_MAX];
			memcpy(pre, out, (size_t)dot);
			pre[dot] = '\0';
			CHECK(stat(pre, &st) != 0 || !S_ISDIR(st.st_mode),
			      "[%s] -> [%s] keeps . or .. after an existing directory",
			      path, out);
		}
		urc = cr_unmap(cfg, out, back, sizeof back);
		CHECK(urc == 0, "unmap([%s]) = %d (from [%s])", out, urc, path);
		CHECK(back[0] == '/', "unmap([%s]) = [%s] not absolute", out, back);
		CHECK(cr_host_in_root(cfg, out) || cfg->nbinds,
		      "cr_host_in_root false for [%s]", out);
	}
	free(out);
	return 0;
}
