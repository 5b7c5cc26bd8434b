/* test_env.c - unit tests of the child environment rebuild (src/cr_env.c).
 *
 * A snapshot taken from a crossroot environment must survive env -i, an
 * edited LD_PRELOAD (fakeroot's library kept first, libcrossroot.so after it)
 * and an edited LD_LIBRARY_PATH (crossroot's directories appended); the
 * sizing functions are exact: the rebuild succeeds with exactly that much
 * and fails with ENOMEM, writing nothing, with one slot or byte less.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_env.h"

static char *start_env[] = {
	"HOME=/root",
	"CROSSROOT_ROOT=/srv/root",
	"CROSSROOT_LIBPATH=/usr/lib/crossroot/aarch64-linux-gnu:/usr/lib/crossroot/arm-linux-gnueabihf",
	"PATH=/usr/bin:/bin",
	"LD_PRELOAD=libcrossroot.so",
	"FAKECHROOT_BASE=/srv/root",
	"FAKEROOTKEY=12345",
	"FAKED_MODE=unknown-is-root",
	"LD_LIBRARY_PATH=/usr/lib/crossroot/aarch64-linux-gnu:/usr/lib/crossroot/arm-linux-gnueabihf",
	"CROSSROOT_ROOT=/ignored/second",
	"TERM=xterm",
	NULL,
};

static struct cr_env_snapshot snap;
static const char *out[128];
static char arena[4096];

static void setup(void)
{
	cr_env_snapshot(&snap, start_env);
	memset(out, 0, sizeof out);
	memset(arena, 0, sizeof arena);
}

static size_t count(const char *const *v)
{
	size_t n = 0;
	while (v[n] != NULL)
		n++;
	return n;
}

/* Rebuild for a program of the given triplet (NULL: unknown) with exactly
 * the announced sizes; returns the entry count. */
static size_t rebuild_pre(char *const *envp, const char *triplet,
                          const char *const *pre)
{
	size_t slots = cr_env_slots(&snap, envp, triplet, pre);
	size_t bytes = cr_env_arena_size(&snap, envp, triplet, pre);
	size_t s2 = 0, b2 = 0;
	cr_env_sizes(&snap, envp, triplet, pre, &s2, &b2);
	ck_assert_uint_eq(s2, slots);
	ck_assert_uint_eq(b2, bytes);
	ck_assert_uint_le(slots, sizeof out / sizeof out[0]);
	ck_assert_uint_le(bytes, sizeof arena);
	ck_assert_int_eq(cr_env_rebuild(&snap, envp, triplet, pre, out, slots, arena, bytes), 0);
	ck_assert_ptr_null(out[slots - 1]);
	ck_assert_uint_eq(count(out), slots - 1);
	/* Every entry is unique by name. */
	for (size_t i = 0; out[i]; i++)
		for (size_t j = 0; j < i; j++) {
			size_t n = strcspn(out[i], "=");
			ck_assert_msg(!(strncmp(out[i], out[j], n) == 0 && out[j][n] == '='),
			              "duplicate %s", out[i]);
		}
	return slots - 1;
}

static size_t rebuild_for(char *const *envp, const char *triplet)
{
	return rebuild_pre(envp, triplet, NULL);
}

static size_t rebuild(char *const *envp)
{
	return rebuild_for(envp, NULL);
}

static const char *val(const char *name)
{
	return cr_env_get((char *const *)out, name);
}

START_TEST(kept_names)
{
	ck_assert(cr_env_is_kept("CROSSROOT_ROOT"));
	ck_assert(cr_env_is_kept("CROSSROOT_ROOT=/x"));
	ck_assert(cr_env_is_kept("CROSSROOT_ANYTHING=1"));
	ck_assert(cr_env_is_kept("FAKECHROOT_BASE=/x"));
	ck_assert(cr_env_is_kept("FAKEROOTKEY=1"));
	ck_assert(cr_env_is_kept("FAKED_MODE"));
	ck_assert(cr_env_is_kept("LD_PRELOAD=x"));
	ck_assert(cr_env_is_kept("LD_LIBRARY_PATH"));
	ck_assert(!cr_env_is_kept("LD_PRELOADX=x"));
	ck_assert(!cr_env_is_kept("LD_LIBRARY"));
	ck_assert(!cr_env_is_kept("FAKEROOTKEYS=1"));
	ck_assert(!cr_env_is_kept("CROSSROOT"));
	ck_assert(!cr_env_is_kept("XCROSSROOT_ROOT=1"));
	ck_assert(!cr_env_is_kept("PATH=/bin"));
	ck_assert(!cr_env_is_kept(""));
	ck_assert(!cr_env_is_kept(NULL));
}
END_TEST

START_TEST(snapshot_takes_kept_first)
{
	ck_assert_uint_eq(snap.nkeep, 7);
	ck_assert_str_eq(snap.keep[0], "CROSSROOT_ROOT=/srv/root");
	for (size_t i = 0; i < snap.nkeep; i++) {
		ck_assert(cr_env_is_kept(snap.keep[i]));
		ck_assert_ptr_null(strstr(snap.keep[i], "/ignored/second"));
	}
	/* References, not copies. */
	ck_assert_ptr_eq(snap.keep[0], start_env[1]);
	cr_env_snapshot(&snap, NULL);
	ck_assert_uint_eq(snap.nkeep, 0);
}
END_TEST

START_TEST(snapshot_limit)
{
	static char names[CR_ENV_MAX_KEEP + 10][48];
	char *env[CR_ENV_MAX_KEEP + 11];
	for (int i = 0; i < CR_ENV_MAX_KEEP + 10; i++) {
		snprintf(names[i], sizeof names[i], "CROSSROOT_V%d=%d", i, i);
		env[i] = names[i];
	}
	env[CR_ENV_MAX_KEEP + 10] = NULL;
	cr_env_snapshot(&snap, env);
	ck_assert_uint_eq(snap.nkeep, CR_ENV_MAX_KEEP);
	ck_assert_str_eq(snap.keep[CR_ENV_MAX_KEEP - 1], names[CR_ENV_MAX_KEEP - 1]);
}
END_TEST

START_TEST(env_i)
{
	char *empty[] = { NULL };
	size_t n = rebuild(empty);
	/* Every kept variable back, nothing else. */
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(val("CROSSROOT_ROOT"), "/srv/root");
	ck_assert_str_eq(val("FAKECHROOT_BASE"), "/srv/root");
	ck_assert_str_eq(val("FAKEROOTKEY"), "12345");
	ck_assert_str_eq(val("FAKED_MODE"), "unknown-is-root");
	ck_assert_str_eq(val("LD_PRELOAD"), "libcrossroot.so");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), "/usr/lib/crossroot/aarch64-linux-gnu:"
	                 "/usr/lib/crossroot/arm-linux-gnueabihf");
	ck_assert_ptr_null(val("HOME"));
	ck_assert_ptr_null(val("PATH"));
	/* The snapshot's strings are reused: no arena needed. */
	ck_assert_uint_eq(cr_env_arena_size(&snap, empty, NULL, NULL), 0);
	ck_assert_uint_eq(cr_env_arena_size(&snap, NULL, NULL, NULL), 0);
	ck_assert_uint_eq(cr_env_slots(&snap, NULL, NULL, NULL), 8);
	ck_assert_int_eq(cr_env_rebuild(&snap, NULL, NULL, NULL, out, 8, NULL, 0), 0);
	ck_assert_uint_eq(count(out), 7);
}
END_TEST

START_TEST(caller_order_and_override_kept)
{
	char *env[] = { "A=1", "CROSSROOT_ROOT=/other", "B=2", "LD_PRELOAD=libcrossroot.so",
	                "NOEQUALS", "C=3", NULL };
	size_t n = rebuild(env);
	/* 6 + CROSSROOT_LIBPATH, FAKECHROOT_BASE, FAKEROOTKEY, FAKED_MODE and
	 * the snapshot's LD_LIBRARY_PATH. */
	ck_assert_uint_eq(n, 11);
	/* The caller's entries first, in order, the same strings. */
	for (int i = 0; i < 6; i++)
		ck_assert_ptr_eq(out[i], env[i]);
	ck_assert_str_eq(val("CROSSROOT_ROOT"), "/other");
	ck_assert_str_eq(val("FAKEROOTKEY"), "12345");
}
END_TEST

START_TEST(preload_merge)
{
	char *env1[] = { "LD_PRELOAD=libfakeroot-sysv.so", NULL };
	rebuild(env1);
	ck_assert_str_eq(val("LD_PRELOAD"), "libfakeroot-sysv.so:libcrossroot.so");
	ck_assert_ptr_eq(out[0], arena);

	/* Already there (blank-separated, not first): untouched. */
	char *env2[] = { "LD_PRELOAD=libfakeroot-sysv.so libcrossroot.so", NULL };
	rebuild(env2);
	ck_assert_ptr_eq(out[0], env2[0]);

	/* A path or a longer name is not the bare name. */
	char *env3[] = { "LD_PRELOAD=/x/libcrossroot.so:libcrossroot.so.1", NULL };
	rebuild(env3);
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "libcrossroot.so:/x/libcrossroot.so:libcrossroot.so.1");

	/* Emptied: just ours. */
	char *env4[] = { "LD_PRELOAD=", "X=1", NULL };
	rebuild(env4);
	ck_assert_str_eq(val("LD_PRELOAD"), "libcrossroot.so");
	ck_assert_ptr_eq(out[1], env4[1]);

	/* Repeats: the first is merged, later ones dropped. */
	char *env5[] = { "LD_PRELOAD=a.so", "LD_PRELOAD=b.so", NULL };
	size_t n = rebuild(env5);
	ck_assert_str_eq(val("LD_PRELOAD"), "libcrossroot.so:a.so");
	ck_assert_uint_eq(n, 7);

	/* libfakeroot entries (by any path) stay in front of it, the rest after. */
	char *envfr[] = { "LD_PRELOAD=a.so /usr/lib/fr/libfakeroot-tcp.so::b.so libfakeroot-sysv.so", NULL };
	rebuild(envfr);
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "/usr/lib/fr/libfakeroot-tcp.so:libfakeroot-sysv.so:libcrossroot.so:a.so:b.so");

	/* Missing, and the snapshot had fakeroot too. */
	char *start[] = { "LD_PRELOAD=libfakeroot-sysv.so:libcrossroot.so", NULL };
	cr_env_snapshot(&snap, start);
	char *env6[] = { "Y=2", NULL };
	rebuild(env6);
	ck_assert_ptr_eq(out[1], start[0]);

	/* Missing and not in the snapshot: created. */
	cr_env_snapshot(&snap, NULL);
	rebuild(env6);
	ck_assert_str_eq(val("LD_PRELOAD"), "libcrossroot.so");
	char *old[] = { "LD_PRELOAD=libfakeroot-sysv.so", NULL };
	cr_env_snapshot(&snap, old);
	rebuild(env6);
	ck_assert_str_eq(val("LD_PRELOAD"), "libfakeroot-sysv.so:libcrossroot.so");
}
END_TEST

START_TEST(libpath_merge)
{
	const char *a = "/usr/lib/crossroot/aarch64-linux-gnu";
	const char *h = "/usr/lib/crossroot/arm-linux-gnueabihf";
	char want[512];

	char *env1[] = { "LD_LIBRARY_PATH=/usr/lib/crossroot/arm-linux-gnueabihf:/opt/lib", NULL };
	rebuild(env1);
	snprintf(want, sizeof want, "%s:/opt/lib:%s", h, a);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), want);

	/* Both present (';' separates too): untouched. */
	char *env2[] = { "LD_LIBRARY_PATH=/usr/lib/crossroot/arm-linux-gnueabihf;"
	                 "/usr/lib/crossroot/aarch64-linux-gnu", NULL };
	rebuild(env2);
	ck_assert_ptr_eq(out[0], env2[0]);

	/* Emptied: no empty element (that would mean the cwd). */
	char *env3[] = { "LD_LIBRARY_PATH=", NULL };
	rebuild(env3);
	snprintf(want, sizeof want, "%s:%s", a, h);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), want);

	/* A prefix of a directory is not the directory. */
	char *env4[] = { "LD_LIBRARY_PATH=/usr/lib/crossroot/aarch64-linux-gnu/x:/usr/lib/crossroot/aarch64", NULL };
	rebuild(env4);
	snprintf(want, sizeof want, "%s:%s:%s", "/usr/lib/crossroot/aarch64-linux-gnu/x:"
	         "/usr/lib/crossroot/aarch64", a, h);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), want);

	/* Repeated and empty entries in CROSSROOT_LIBPATH. */
	char *start[] = { "CROSSROOT_LIBPATH=/l1::/l2:/l1:", NULL };
	cr_env_snapshot(&snap, start);
	char *env5[] = { "LD_LIBRARY_PATH=/l2", NULL };
	rebuild(env5);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), "/l2:/l1");
	char *env6[] = { "Z=1", NULL };
	rebuild(env6);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), "/l1:/l2");

	/* Nothing to add and nothing to keep: no LD_LIBRARY_PATH at all. */
	char *bare[] = { "CROSSROOT_ROOT=/r", NULL };
	cr_env_snapshot(&snap, bare);
	rebuild(env6);
	ck_assert_ptr_null(val("LD_LIBRARY_PATH"));
	/* ... and a caller's own one is kept as is. */
	char *env7[] = { "LD_LIBRARY_PATH=/mine", NULL };
	rebuild(env7);
	ck_assert_ptr_eq(out[0], env7[0]);
}
END_TEST

/* For a program of a known architecture, crossroot's directories of the
 * other architectures are left out; the caller's own directories stay,
 * whatever they are called, and the others come back at the next exec. */
START_TEST(libpath_for_arch)
{
	char *start[] = {
		"CROSSROOT_LIBPATH=/c/x86_64-linux-gnu:/c/aarch64-linux-gnu:"
		"/c/arm-linux-gnueabi:/st/arm/usr/lib/arm-linux-gnueabihf/crossroot:"
		"/usr/lib/x86_64-linux-gnu/libfakeroot:/usr/lib/aarch64-linux-gnu/libfakeroot:"
		"/plain",
		NULL,
	};
	cr_env_snapshot(&snap, start);
	char *env1[] = { "LD_LIBRARY_PATH=/mine/aarch64-linux-gnu:/opt/x86_64-linux-gnu::/c/x86_64-linux-gnu", NULL };
	rebuild_for(env1, "aarch64-linux-gnu");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"),
	                 "/mine/aarch64-linux-gnu:/opt/x86_64-linux-gnu::"
	                 "/c/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu/libfakeroot:/plain");
	/* armel and armhf are told apart by the whole component. */
	rebuild_for(env1, "arm-linux-gnueabihf");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"),
	                 "/mine/aarch64-linux-gnu:/opt/x86_64-linux-gnu::"
	                 "/st/arm/usr/lib/arm-linux-gnueabihf/crossroot:/plain");
	/* Back on the host: the host's directories come back. */
	char *env2[] = { "LD_LIBRARY_PATH=/c/aarch64-linux-gnu:/plain", NULL };
	rebuild_for(env2, "x86_64-linux-gnu");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"),
	                 "/plain:/c/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu/libfakeroot");
	/* Unknown architecture: everything, as before. */
	rebuild_for(env2, NULL);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"),
	                 "/c/aarch64-linux-gnu:/plain:/c/x86_64-linux-gnu:/c/arm-linux-gnueabi:"
	                 "/st/arm/usr/lib/arm-linux-gnueabihf/crossroot:"
	                 "/usr/lib/x86_64-linux-gnu/libfakeroot:/usr/lib/aarch64-linux-gnu/libfakeroot");
	/* Nothing to leave out or add: the caller's string itself. */
	char *env3[] = { "LD_LIBRARY_PATH=/c/aarch64-linux-gnu;/usr/lib/aarch64-linux-gnu/libfakeroot:/plain", NULL };
	rebuild_for(env3, "aarch64-linux-gnu");
	ck_assert_ptr_eq(out[0], env3[0]);
	/* Sizes stay exact when elements are left out. */
	char *env4[] = { "LD_LIBRARY_PATH=/c/arm-linux-gnueabi:/c/aarch64-linux-gnu", NULL };
	size_t bytes = cr_env_arena_size(&snap, env4, "aarch64-linux-gnu", NULL);
	ck_assert_uint_eq(bytes, strlen("LD_LIBRARY_PATH=/c/aarch64-linux-gnu:"
	                                "/usr/lib/aarch64-linux-gnu/libfakeroot:/plain") + 1 +
	                  strlen("LD_PRELOAD=libcrossroot.so") + 1);
	ck_assert_int_eq(cr_env_rebuild(&snap, env4, "aarch64-linux-gnu", NULL, out, 8, arena, bytes - 1), ENOMEM);
}
END_TEST

START_TEST(drop_for_qemu)
{
	const char *env[] = { "A=1", "QEMU_VERSION=meow", "QEMU_CPU=max",
	                      "QEMU_VERSIONX=1", "QEMU_VERSION=again", "B=2", NULL };
	cr_env_drop_for_qemu(env);
	ck_assert_str_eq(env[0], "A=1");
	ck_assert_str_eq(env[1], "QEMU_CPU=max");
	ck_assert_str_eq(env[2], "QEMU_VERSIONX=1");
	ck_assert_str_eq(env[3], "B=2");
	ck_assert_ptr_null(env[4]);
	cr_env_drop_for_qemu(NULL);
}
END_TEST

START_TEST(drop_any)
{
	const char *env[] = { "LD_PRELOAD=a.so", "LD_PRELOADX=1", "LD_PRELOAD", "X=1",
	                      "LD_PRELOAD=b.so", NULL };
	cr_env_drop(env, "LD_PRELOAD");
	ck_assert_str_eq(env[0], "LD_PRELOADX=1");
	ck_assert_str_eq(env[1], "LD_PRELOAD");   /* (no '=': not an entry of it) */
	ck_assert_str_eq(env[2], "X=1");
	ck_assert_ptr_null(env[3]);
	const char *none[] = { NULL };
	cr_env_drop(none, "LD_PRELOAD");
	ck_assert_ptr_null(none[0]);
	cr_env_drop(NULL, "LD_PRELOAD");
}
END_TEST

START_TEST(preloads_all_in)
{
	static const char *const paths[] = { "/l/arm/libcrossroot.so",
	                                     "/l/arm/libfakeroot-sysv.so", NULL };
	static const struct { const char *pre; int want; } c[] = {
		{ "LD_PRELOAD=/l/arm/libcrossroot.so", 1 },
		{ "LD_PRELOAD=/l/arm/libcrossroot.so:/l/arm/libfakeroot-sysv.so", 1 },
		{ "LD_PRELOAD= /l/arm/libfakeroot-sysv.so  /l/arm/libcrossroot.so: ", 1 },
		{ "LD_PRELOAD=/l/arm/libcrossroot.so:/l/arm/libother.so", 0 },
		{ "LD_PRELOAD=libcrossroot.so", 0 },              /* bare name */
		{ "LD_PRELOAD=/l/arm/libcrossroot", 0 },          /* a prefix */
		{ "LD_PRELOAD=/l/arm/libcrossroot.so.1", 0 },     /* longer */
		{ "LD_PRELOAD=", 0 },                             /* names none */
		{ "LD_PRELOAD=::  :", 0 },
		{ "OTHER=/l/arm/libcrossroot.so", 0 },            /* no LD_PRELOAD */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char *env[] = { (char *)"A=1", (char *)c[i].pre, NULL };
		ck_assert_msg(cr_env_preloads_all_in(env, paths) == c[i].want, "%s", c[i].pre);
	}
	char *env[] = { (char *)"LD_PRELOAD=/l/arm/libcrossroot.so", NULL };
	ck_assert_int_eq(cr_env_preloads_all_in(env, NULL), 0);
	static const char *const nopaths[] = { NULL };
	ck_assert_int_eq(cr_env_preloads_all_in(env, nopaths), 0);
}
END_TEST

START_TEST(sizes_exact)
{
	char *env[] = { "LD_PRELOAD=libfakeroot-sysv.so", "LD_LIBRARY_PATH=/opt", "K=v", NULL };
	size_t slots = cr_env_slots(&snap, env, NULL, NULL);
	size_t bytes = cr_env_arena_size(&snap, env, NULL, NULL);
	const size_t pre = strlen("LD_PRELOAD=libfakeroot-sysv.so:libcrossroot.so") + 1;
	const size_t llp = strlen("LD_LIBRARY_PATH=/opt:/usr/lib/crossroot/aarch64-linux-gnu:"
	                          "/usr/lib/crossroot/arm-linux-gnueabihf") + 1;
	/* 3 of the caller + CROSSROOT_ROOT, CROSSROOT_LIBPATH, FAKECHROOT_BASE,
	 * FAKEROOTKEY, FAKED_MODE + NULL. */
	ck_assert_uint_eq(slots, 9);
	ck_assert_uint_eq(bytes, pre + llp);

	/* One slot or one byte short: ENOMEM and nothing written. */
	memset(out, 0x5a, sizeof out);
	memset(arena, 'q', sizeof arena);
	ck_assert_int_eq(cr_env_rebuild(&snap, env, NULL, NULL, out, slots - 1, arena, bytes), ENOMEM);
	ck_assert_int_eq(cr_env_rebuild(&snap, env, NULL, NULL, out, slots, arena, bytes - 1), ENOMEM);
	ck_assert_int_eq(cr_env_rebuild(&snap, env, NULL, NULL, out, slots, NULL, bytes), ENOMEM);
	ck_assert_int_eq(cr_env_rebuild(&snap, env, NULL, NULL, NULL, slots, arena, bytes), ENOMEM);
	const char *ref[sizeof out / sizeof out[0]];
	memset(ref, 0x5a, sizeof ref);
	ck_assert(memcmp(out, ref, sizeof out) == 0);
	for (size_t i = 0; i < sizeof arena; i++)
		ck_assert_int_eq(arena[i], 'q');

	/* Exactly enough: arena filled to the last byte, nothing past it. */
	ck_assert_int_eq(cr_env_rebuild(&snap, env, NULL, NULL, out, slots, arena, bytes), 0);
	ck_assert_int_eq(arena[bytes - 1], '\0');
	ck_assert_int_eq(arena[bytes], 'q');
	ck_assert_ptr_eq(out[slots - 1], NULL);
	ck_assert_str_eq(out[0], "LD_PRELOAD=libfakeroot-sysv.so:libcrossroot.so");
	ck_assert_str_eq(out[1], "LD_LIBRARY_PATH=/opt:/usr/lib/crossroot/aarch64-linux-gnu:"
	                 "/usr/lib/crossroot/arm-linux-gnueabihf");
	ck_assert_ptr_eq(out[2], env[2]);
}
END_TEST

/* cr_env_build: one pass into the room there is.  Enough room: the same
 * result as cr_env_rebuild and the sizes cr_env_sizes gives; too little
 * (slots or bytes): ENOMEM, nothing written past the room, and the sizes
 * that a second call needs, which then succeeds. */
START_TEST(build_one_pass)
{
	char *env[] = { "LD_PRELOAD=libfakeroot-sysv.so", "LD_LIBRARY_PATH=/opt", "K=v",
	                "CROSSROOT_ROOT=/elsewhere", "LX=1", NULL };
	size_t slots, bytes, ns, nb;
	cr_env_sizes(&snap, env, "aarch64-linux-gnu", NULL, &slots, &bytes);
	const char *ref[32], *got[32];
	char refa[1024], gota[1024];
	ck_assert_uint_le(slots, 32);
	ck_assert_uint_lt(bytes, sizeof gota);
	ck_assert_int_eq(cr_env_rebuild(&snap, env, "aarch64-linux-gnu", NULL, ref, slots,
	                                refa, bytes), 0);

	ck_assert_int_eq(cr_env_build(&snap, env, "aarch64-linux-gnu", NULL, got, 32,
	                              gota, sizeof gota, &ns, &nb), 0);
	ck_assert_uint_eq(ns, slots);
	ck_assert_uint_eq(nb, bytes);
	for (size_t i = 0; i + 1 < slots; i++)
		ck_assert_str_eq(got[i], ref[i]);
	ck_assert_ptr_null(got[slots - 1]);

	/* Short of a slot, then of a byte: ENOMEM, the room left alone
	 * beyond its end, and the same sizes asked for. */
	memset(got, 0x5a, sizeof got);
	ck_assert_int_eq(cr_env_build(&snap, env, "aarch64-linux-gnu", NULL, got, slots - 1,
	                              gota, sizeof gota, &ns, &nb), ENOMEM);
	ck_assert_uint_eq(ns, slots);
	ck_assert_uint_eq(nb, bytes);
	const char *pat;
	memset(&pat, 0x5a, sizeof pat);
	ck_assert_ptr_eq(got[slots - 1], pat);
	memset(gota, 'q', sizeof gota);
	ck_assert_int_eq(cr_env_build(&snap, env, "aarch64-linux-gnu", NULL, got, 32,
	                              gota, bytes - 1, &ns, &nb), ENOMEM);
	ck_assert_uint_eq(nb, bytes);
	ck_assert_int_eq(gota[bytes - 1], 'q');
	ck_assert_int_eq(cr_env_build(&snap, env, "aarch64-linux-gnu", NULL, NULL, 0,
	                              NULL, 0, &ns, &nb), ENOMEM);
	ck_assert_uint_eq(ns, slots);
	ck_assert_uint_eq(nb, bytes);
	/* The second call, with what the first asked for. */
	ck_assert_int_eq(cr_env_build(&snap, env, "aarch64-linux-gnu", NULL, got, ns,
	                              gota, nb, &ns, &nb), 0);
	for (size_t i = 0; i + 1 < slots; i++)
		ck_assert_str_eq(got[i], ref[i]);
}
END_TEST


/* ------------------------------------------------ preloads by full path */
/* A fakeroot session: crossroot's directories for the host and arm64, a
 * staged arm64 libfakeroot, and fakeroot's own search directories. */
static char *fr_env[] = {
	"CROSSROOT_LIBPATH=/cr/x86_64-linux-gnu:/cr/aarch64-linux-gnu:"
	"/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot:"
	"/usr/lib/x86_64-linux-gnu/libfakeroot:/usr/lib64/libfakeroot",
	"LD_PRELOAD=libfakeroot-sysv.so libcrossroot.so",
	"LD_LIBRARY_PATH=/usr/lib64/libfakeroot:/opt/lib:/cr/x86_64-linux-gnu:"
	"/cr/aarch64-linux-gnu:/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot",
	"PATH=/bin",
	NULL,
};
static const char *const fr_guest[] = {
	"/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot/libfakeroot-sysv.so",
	"/cr/aarch64-linux-gnu/libcrossroot.so",
	NULL,
};

START_TEST(preloads_full_path)
{
	cr_env_snapshot(&snap, fr_env);
	rebuild_pre(fr_env, "aarch64-linux-gnu", fr_guest);
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot/libfakeroot-sysv.so:"
	                 "/cr/aarch64-linux-gnu/libcrossroot.so");
	/* Every directory of crossroot's gone; the caller's own one stays. */
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), "/opt/lib");

	/* Without the caller's directory: no LD_LIBRARY_PATH at all. */
	char *only_ours[] = {
		"LD_PRELOAD=libfakeroot-sysv.so:libcrossroot.so",
		"LD_LIBRARY_PATH=/cr/x86_64-linux-gnu:/usr/lib64/libfakeroot",
		NULL,
	};
	rebuild_pre(only_ours, "aarch64-linux-gnu", fr_guest);
	ck_assert_ptr_null(val("LD_LIBRARY_PATH"));
	/* The caller dropped both (env -i): back from the snapshot, mapped. */
	char *cleared[] = { "A=1", NULL };
	rebuild_pre(cleared, "aarch64-linux-gnu", fr_guest);
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), "/opt/lib");
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot/libfakeroot-sysv.so:"
	                 "/cr/aarch64-linux-gnu/libcrossroot.so");
}
END_TEST

START_TEST(preloads_round_trip)
{
	/* The arm64 program's environment, rebuilt for a host program whose
	 * libraries were not looked up: bare names again, and crossroot's
	 * host directories back in LD_LIBRARY_PATH. */
	cr_env_snapshot(&snap, fr_env);
	char *guest[] = {
		"LD_PRELOAD=/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot/libfakeroot-sysv.so:"
		"/cr/aarch64-linux-gnu/libcrossroot.so:/opt/lib/libother.so",
		"PATH=/bin",
		NULL,
	};
	rebuild_pre(guest, "x86_64-linux-gnu", NULL);
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "libfakeroot-sysv.so:libcrossroot.so:/opt/lib/libother.so");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"),
	                 "/usr/lib64/libfakeroot:/opt/lib:/cr/x86_64-linux-gnu:"
	                 "/usr/lib/x86_64-linux-gnu/libfakeroot");
	/* ... and looked up: the host's full paths. */
	static const char *const host[] = {
		"/usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so",
		"/cr/x86_64-linux-gnu/libcrossroot.so", NULL,
	};
	rebuild_pre(guest, "x86_64-linux-gnu", host);
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "/usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so:"
	                 "/cr/x86_64-linux-gnu/libcrossroot.so:/opt/lib/libother.so");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"), "/opt/lib");   /* the snapshot's, less ours */
}
END_TEST

START_TEST(preloads_partial)
{
	/* No arm64 libfakeroot found: it stays a bare name, so crossroot's
	 * arm64 directories stay searchable (the others go, as before). */
	cr_env_snapshot(&snap, fr_env);
	static const char *const only_cr[] = { "/cr/aarch64-linux-gnu/libcrossroot.so", NULL };
	rebuild_pre(fr_env, "aarch64-linux-gnu", only_cr);
	ck_assert_str_eq(val("LD_PRELOAD"),
	                 "libfakeroot-sysv.so:/cr/aarch64-linux-gnu/libcrossroot.so");
	ck_assert_str_eq(val("LD_LIBRARY_PATH"),
	                 "/usr/lib64/libfakeroot:/opt/lib:/cr/aarch64-linux-gnu:"
	                 "/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot");
	/* Nothing to map: the caller's string itself. */
	char *same[] = { "LD_PRELOAD=libfakeroot-sysv.so libcrossroot.so", NULL };
	rebuild_pre(same, "aarch64-linux-gnu", NULL);
	ck_assert_ptr_eq(out[0], same[0]);
}
END_TEST

/* exists() of a fake file system: these files only. */
static int fake_exists(void *ud, const char *path)
{
	for (const char *const *f = ud; *f; f++)
		if (strcmp(*f, path) == 0)
			return 1;
	return 0;
}

START_TEST(find_preloads)
{
	static const char *const files[] = {
		"/cr/x86_64-linux-gnu/libcrossroot.so",
		"/cr/aarch64-linux-gnu/libcrossroot.so",
		"/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot/libcrossroot.so",
		"/stage/aarch64/usr/lib/aarch64-linux-gnu/crossroot/libfakeroot-sysv.so",
		"/usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so",
		"/usr/lib64/libfakeroot/libfakeroot-sysv.so",
		NULL,
	};
	const char *pre[8];
	char buf[512];
	cr_env_snapshot(&snap, fr_env);
	/* arm64: fakeroot's staged copy, crossroot's own directory first. */
	ck_assert_uint_eq(cr_env_find_preloads(&snap, fr_env, "aarch64-linux-gnu", fake_exists,
	                                       (void *)files, pre, 8, buf, sizeof buf), 2);
	ck_assert_str_eq(pre[0], fr_guest[0]);
	ck_assert_str_eq(pre[1], fr_guest[1]);
	ck_assert_ptr_null(pre[2]);
	/* The host: only directories naming its triplet (not lib64). */
	ck_assert_uint_eq(cr_env_find_preloads(&snap, fr_env, "x86_64-linux-gnu", fake_exists,
	                                       (void *)files, pre, 8, buf, sizeof buf), 2);
	ck_assert_str_eq(pre[0], "/usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so");
	ck_assert_str_eq(pre[1], "/cr/x86_64-linux-gnu/libcrossroot.so");
	/* armhf: nothing there. */
	ck_assert_uint_eq(cr_env_find_preloads(&snap, fr_env, "arm-linux-gnueabihf", fake_exists,
	                                       (void *)files, pre, 8, buf, sizeof buf), 0);
	ck_assert_ptr_null(pre[0]);
	/* Names already mapped count as theirs; the caller's paths are not asked. */
	char *mapped[] = {
		"LD_PRELOAD=/cr/aarch64-linux-gnu/libcrossroot.so /opt/libx.so libfakeroot-sysv.so",
		NULL,
	};
	ck_assert_uint_eq(cr_env_find_preloads(&snap, mapped, "x86_64-linux-gnu", fake_exists,
	                                       (void *)files, pre, 8, buf, sizeof buf), 2);
	ck_assert_str_eq(pre[0], "/cr/x86_64-linux-gnu/libcrossroot.so");
	ck_assert_str_eq(pre[1], "/usr/lib/x86_64-linux-gnu/libfakeroot/libfakeroot-sysv.so");
	/* Too small a buffer or array: fewer, never an overflow. */
	ck_assert_uint_eq(cr_env_find_preloads(&snap, fr_env, "aarch64-linux-gnu", fake_exists,
	                                       (void *)files, pre, 8, buf, 60), 1);
	ck_assert_str_eq(pre[0], fr_guest[1]);   /* the staged path did not fit */
	ck_assert_uint_eq(cr_env_find_preloads(&snap, fr_env, "aarch64-linux-gnu", fake_exists,
	                                       (void *)files, pre, 2, buf, sizeof buf), 1);
	ck_assert_ptr_null(pre[1]);
	ck_assert_uint_eq(cr_env_find_preloads(&snap, fr_env, NULL, fake_exists,
	                                       (void *)files, pre, 8, buf, sizeof buf), 0);
}
END_TEST

START_TEST(get)
{
	char *env[] = { "A=1", "AB=2", "B", "C=", "A=3", NULL };
	ck_assert_str_eq(cr_env_get(env, "A"), "1");
	ck_assert_str_eq(cr_env_get(env, "AB"), "2");
	ck_assert_str_eq(cr_env_get(env, "C"), "");
	ck_assert_ptr_null(cr_env_get(env, "B"));
	ck_assert_ptr_null(cr_env_get(env, "D"));
	ck_assert_ptr_null(cr_env_get(NULL, "A"));
	ck_assert_ptr_null(cr_env_get(env, NULL));
}
END_TEST

static Suite *env_suite(void)
{
	Suite *s = suite_create("cr_env");
	TCase *tc = tcase_create("env");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, kept_names);
	tcase_add_test(tc, snapshot_takes_kept_first);
	tcase_add_test(tc, snapshot_limit);
	tcase_add_test(tc, env_i);
	tcase_add_test(tc, caller_order_and_override_kept);
	tcase_add_test(tc, preload_merge);
	tcase_add_test(tc, libpath_merge);
	tcase_add_test(tc, libpath_for_arch);
	tcase_add_test(tc, drop_for_qemu);
	tcase_add_test(tc, drop_any);
	tcase_add_test(tc, preloads_all_in);
	tcase_add_test(tc, sizes_exact);
	tcase_add_test(tc, get);
	tcase_add_test(tc, preloads_full_path);
	tcase_add_test(tc, preloads_round_trip);
	tcase_add_test(tc, preloads_partial);
	tcase_add_test(tc, find_preloads);
	tcase_add_test(tc, build_one_pass);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(env_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
