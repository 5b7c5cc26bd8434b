/* test_config.c - unit tests for cr_config.c: CROSSROOT_ROOT, CROSSROOT_BIND
 * and CROSSROOT_CMD_SUBST parsing, fakechroot's FAKECHROOT_CMD_SUBST (helper
 * mapping, outside substitutes) and FAKECHROOT_EXCLUDE_PATH, default binds and substitution lookup,
 * including every rejected form and the "unchanged on failure" guarantee.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_config.h"

static struct cr_config cfg;

/* Start again from an empty configuration (freeing what the previous
 * steps stored, so the sanitizer build's leak check stays quiet). */
static void reset(void)
{
	cr_config_free(&cfg);
	ck_assert_str_eq(cfg.root, "");
	ck_assert_uint_eq(cfg.rootlen, 0);
	ck_assert_uint_eq(cfg.nbinds, 0);
	ck_assert_uint_eq(cfg.nsubst, 0);
}

static void teardown(void)
{
	cr_config_free(&cfg);
}

#define BIND_IS(i, h, g) do {                                           \
		ck_assert_str_eq(cfg.binds[i].host, h);                 \
		ck_assert_uint_eq(cfg.binds[i].hostlen, strlen(h));     \
		ck_assert_str_eq(cfg.binds[i].guest, g);                \
		ck_assert_uint_eq(cfg.binds[i].guestlen, strlen(g));    \
	} while (0)

/* ------------------------------------------------------------- root */

START_TEST(root_plain)
{
	reset();
	ck_assert_int_eq(cr_config_set_root(&cfg, "/tmp/r"), 0);
	ck_assert_str_eq(cfg.root, "/tmp/r");
	ck_assert_uint_eq(cfg.rootlen, 6);
}
END_TEST

START_TEST(root_canonical)
{
	reset();
	ck_assert_int_eq(cr_config_set_root(&cfg, "//tmp/./a/../r///"), 0);
	ck_assert_str_eq(cfg.root, "/tmp/r");
	ck_assert_uint_eq(cfg.rootlen, 6);
	reset();
	ck_assert_int_eq(cr_config_set_root(&cfg, "/../../srv/x/."), 0);
	ck_assert_str_eq(cfg.root, "/srv/x");
	ck_assert_uint_eq(cfg.rootlen, 6);
}
END_TEST

START_TEST(root_slash_is_none)
{
	const char *const forms[] = { "/", "//", "/.", "/..", "/tmp/..", "///./" };
	size_t i;
	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		reset();
		cfg.root = "junk";      /* replaced, never freed */
		cfg.rootlen = 4;
		ck_assert_int_eq(cr_config_set_root(&cfg, forms[i]), 0);
		ck_assert_str_eq(cfg.root, "");
		ck_assert_uint_eq(cfg.rootlen, 0);
	}
}
END_TEST

START_TEST(root_invalid)
{
	char longp[PATH_MAX + 10];
	reset();
	ck_assert_int_eq(cr_config_set_root(&cfg, "relative/dir"), EINVAL);
	ck_assert_int_eq(cr_config_set_root(&cfg, ""), EINVAL);
	ck_assert_int_eq(cr_config_set_root(&cfg, "./r"), EINVAL);
	ck_assert_int_eq(cr_config_set_root(&cfg, NULL), EINVAL);
	ck_assert_str_eq(cfg.root, "");        /* untouched */
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	ck_assert_int_eq(cr_config_set_root(&cfg, longp), ENAMETOOLONG);
	ck_assert_str_eq(cfg.root, "");
}
END_TEST

/* ------------------------------------------------------------ binds */

START_TEST(bind_single_host_only)
{
	const char *bad = "x";
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/home/u", &bad), 0);
	ck_assert_ptr_null(bad);
	ck_assert_uint_eq(cfg.nbinds, 1);
	BIND_IS(0, "/home/u", "/home/u");
}
END_TEST

START_TEST(bind_host_guest)
{
	const char *bad;
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg,
		"/srv/data:/mnt/data,/tmp,/a//b/:/c/./d/../e/", &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, 3);
	BIND_IS(0, "/srv/data", "/mnt/data");
	BIND_IS(1, "/tmp", "/tmp");
	BIND_IS(2, "/a/b", "/c/e");
}
END_TEST

START_TEST(bind_host_root)
{
	const char *bad;
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/:/host", &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, 1);
	BIND_IS(0, "/", "/host");
}
END_TEST

START_TEST(bind_appends)
{
	const char *bad;
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/a", &bad), 0);
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/b:/c", &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, 2);
	BIND_IS(0, "/a", "/a");
	BIND_IS(1, "/b", "/c");
}
END_TEST

START_TEST(bind_empty_spec)
{
	const char *bad = "x";
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "", &bad), 0);
	ck_assert_ptr_null(bad);
	ck_assert_int_eq(cr_config_parse_binds(&cfg, NULL, &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, 0);
}
END_TEST

/* Each invalid spec: the error, the offset of *bad, nothing added. */
static const struct {
	const char *spec;
	int err;
	size_t badoff;
} bad_binds[] = {
	{ "relative", EINVAL, 0 },
	{ "/ok,relative", EINVAL, 4 },
	{ "/ok,,/x", EINVAL, 4 },          /* empty entry */
	{ ",/x", EINVAL, 0 },
	{ "/x,", EINVAL, 3 },               /* trailing empty entry */
	{ "/x:", EINVAL, 0 },               /* empty GUEST */
	{ ":/x", EINVAL, 0 },               /* empty HOST */
	{ "/x:rel", EINVAL, 0 },
	{ "/x:/", EINVAL, 0 },              /* GUEST "/" */
	{ "/ok,/x:/a/..", EINVAL, 4 },      /* GUEST canonically "/" */
	{ "/", EINVAL, 0 },                 /* HOST "/" defaults GUEST "/" */
};

START_TEST(bind_invalid)
{
	const char *bad = NULL;
	const char *spec = bad_binds[_i].spec;
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/keep", &bad), 0);
	ck_assert_int_eq(cr_config_parse_binds(&cfg, spec, &bad), bad_binds[_i].err);
	ck_assert_ptr_nonnull(bad);
	ck_assert_uint_eq((size_t)(bad - spec), bad_binds[_i].badoff);
	ck_assert_uint_eq(cfg.nbinds, 1);
	BIND_IS(0, "/keep", "/keep");
}
END_TEST

START_TEST(bind_too_many)
{
	char spec[CR_MAX_BINDS * 8 + 16];
	size_t i, n = 0;
	const char *bad;

	reset();
	for (i = 0; i < CR_MAX_BINDS; i++)
		n += (size_t)sprintf(spec + n, "%s/b%zu", i ? "," : "", i);
	ck_assert_int_eq(cr_config_parse_binds(&cfg, spec, &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, CR_MAX_BINDS);
	BIND_IS(CR_MAX_BINDS - 1, "/b31", "/b31");
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/one-more", &bad), E2BIG);
	ck_assert_str_eq(bad, "/one-more");
	ck_assert_uint_eq(cfg.nbinds, CR_MAX_BINDS);

	reset();
	strcat(spec, ",/extra,/extra2");
	ck_assert_int_eq(cr_config_parse_binds(&cfg, spec, &bad), E2BIG);
	ck_assert_str_eq(bad, "/extra,/extra2");
	ck_assert_uint_eq(cfg.nbinds, 0);     /* all or nothing */
}
END_TEST

START_TEST(bind_defaults)
{
	const char *bad;
	reset();
	cr_config_default_binds(&cfg);
	ck_assert_uint_eq(cfg.nbinds, 3);
	BIND_IS(0, "/dev", "/dev");
	BIND_IS(1, "/proc", "/proc");
	BIND_IS(2, "/sys", "/sys");
	/* An explicit /proc bind keeps precedence over the default. */
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/tmp/myproc:/proc", &bad), 0);
	cr_config_default_binds(&cfg);
	ck_assert_uint_eq(cfg.nbinds, 3);
	BIND_IS(0, "/tmp/myproc", "/proc");
	BIND_IS(1, "/dev", "/dev");
	BIND_IS(2, "/sys", "/sys");
}
END_TEST

START_TEST(bind_defaults_full)
{
	char spec[CR_MAX_BINDS * 8 + 16];
	size_t i, n = 0;
	const char *bad;
	reset();
	for (i = 0; i + 1 < CR_MAX_BINDS; i++)
		n += (size_t)sprintf(spec + n, "%s/b%zu", i ? "," : "", i);
	ck_assert_int_eq(cr_config_parse_binds(&cfg, spec, &bad), 0);
	cr_config_default_binds(&cfg);
	ck_assert_uint_eq(cfg.nbinds, CR_MAX_BINDS);
	BIND_IS(CR_MAX_BINDS - 1, "/dev", "/dev");
}
END_TEST

/* ------------------------------------------------------------ subst */

START_TEST(subst_parse_and_lookup)
{
	const char *bad = "x";
	reset();
	ck_assert_int_eq(cr_config_parse_subst(&cfg,
		"/usr/bin/chfn=/bin/true:/sbin/ldconfig=/usr/sbin/ldconfig.host", &bad), 0);
	ck_assert_ptr_null(bad);
	ck_assert_uint_eq(cfg.nsubst, 2);
	ck_assert_str_eq(cfg.subst[0].guest, "/usr/bin/chfn");
	ck_assert_str_eq(cfg.subst[0].host, "/bin/true");
	ck_assert_str_eq(cfg.subst[1].guest, "/sbin/ldconfig");
	ck_assert_str_eq(cfg.subst[1].host, "/usr/sbin/ldconfig.host");
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/usr/bin/chfn"), "/bin/true");
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/sbin/ldconfig"),
	                 "/usr/sbin/ldconfig.host");
	/* Lexically equal forms match too. */
	ck_assert_str_eq(cr_config_subst_for(&cfg, "//usr/./bin/../bin/chfn"), "/bin/true");
	ck_assert_ptr_null(cr_config_subst_for(&cfg, "/usr/bin/chfnx"));
	ck_assert_ptr_null(cr_config_subst_for(&cfg, "/usr/bin"));
	ck_assert_ptr_null(cr_config_subst_for(&cfg, "chfn"));
	ck_assert_ptr_null(cr_config_subst_for(&cfg, NULL));
}
END_TEST

START_TEST(subst_guest_canonical)
{
	const char *bad;
	reset();
	ck_assert_int_eq(cr_config_parse_subst(&cfg, "//sbin/./x/=true", &bad), 0);
	ck_assert_str_eq(cfg.subst[0].guest, "/sbin/x");
	ck_assert_str_eq(cfg.subst[0].host, "true");   /* HOST as given */
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/sbin/x"), "true");
}
END_TEST

START_TEST(subst_none)
{
	const char *bad;
	reset();
	ck_assert_int_eq(cr_config_parse_subst(&cfg, "", &bad), 0);
	ck_assert_uint_eq(cfg.nsubst, 0);
	ck_assert_ptr_null(cr_config_subst_for(&cfg, "/bin/sh"));
}
END_TEST

static const struct {
	const char *spec;
	size_t badoff;
} bad_substs[] = {
	{ "/a", 0 },                       /* no '=' */
	{ "/a=", 0 },                      /* empty HOST */
	{ "=/bin/true", 0 },               /* empty GUEST */
	{ "rel=/bin/true", 0 },            /* relative GUEST */
	{ "/a=/b::/c=/d", 6 },             /* empty entry */
	{ "/a=/b:", 6 },                   /* trailing empty entry */
	{ "/a=/b:/c", 6 },
};

START_TEST(subst_invalid)
{
	const char *bad = NULL;
	const char *spec = bad_substs[_i].spec;
	reset();
	ck_assert_int_eq(cr_config_parse_subst(&cfg, "/keep=/bin/true", &bad), 0);
	ck_assert_int_eq(cr_config_parse_subst(&cfg, spec, &bad), EINVAL);
	ck_assert_ptr_nonnull(bad);
	ck_assert_uint_eq((size_t)(bad - spec), bad_substs[_i].badoff);
	ck_assert_uint_eq(cfg.nsubst, 1);
	ck_assert_str_eq(cfg.subst[0].guest, "/keep");
}
END_TEST

START_TEST(subst_too_many)
{
	char spec[CR_MAX_SUBST * 16 + 32];
	size_t i, n = 0;
	const char *bad;
	reset();
	for (i = 0; i < CR_MAX_SUBST; i++)
		n += (size_t)sprintf(spec + n, "%s/s%zu=/h%zu", i ? ":" : "", i, i);
	ck_assert_int_eq(cr_config_parse_subst(&cfg, spec, &bad), 0);
	ck_assert_uint_eq(cfg.nsubst, CR_MAX_SUBST);
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/s31"), "/h31");
	ck_assert_int_eq(cr_config_parse_subst(&cfg, "/x=/y", &bad), E2BIG);
	ck_assert_str_eq(bad, "/x=/y");
	ck_assert_uint_eq(cfg.nsubst, CR_MAX_SUBST);
}
END_TEST

START_TEST(free_everything)
{
	const char *bad;
	reset();
	ck_assert_int_eq(cr_config_set_root(&cfg, "/r"), 0);
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/a:/b,/c", &bad), 0);
	cr_config_default_binds(&cfg);
	ck_assert_int_eq(cr_config_parse_subst(&cfg, "/x=/y", &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, 5);
	cr_config_free(&cfg);
	ck_assert_str_eq(cfg.root, "");
	ck_assert_uint_eq(cfg.rootlen, 0);
	ck_assert_uint_eq(cfg.nbinds, 0);
	ck_assert_uint_eq(cfg.nsubst, 0);
	ck_assert_ptr_null(cr_config_subst_for(&cfg, "/x"));
	/* Freeing an empty (or zeroed) config is harmless. */
	cr_config_free(&cfg);
	ck_assert_str_eq(cfg.root, "");
}
END_TEST

/* ------------------------------------------------- fakechroot aliases */

/* cfg has a substitution of guest by host, run outside the root or not. */
static void check_subst(const char *guest, const char *host, int outside)
{
	const struct cr_subst *e = cr_config_subst_entry(&cfg, guest);
	ck_assert_msg(e != NULL, "no substitution for %s", guest);
	ck_assert_str_eq(e->host, host);
	ck_assert_int_eq(e->outside, outside);
}

START_TEST(fc_subst_outside_and_helpers)
{
	const char *bad = NULL;
	const struct cr_subst *e;
	reset();
	ck_assert_int_eq(cr_config_parse_subst(&cfg, "/usr/bin/a=/h/a", &bad), 0);
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg,
		"/usr/sbin/chroot=/usr/sbin/chroot.fakechroot:"
		"/usr/bin/env=/usr/bin/env.fakechroot:"
		"/sbin/ldconfig=/tmp/x/ldconfig.fakechroot:"
		"/usr/bin/mkfifo=/bin/true:"
		"/usr/bin/ldd=/usr/bin/ldd.fakechroot:"
		"/usr/bin/x=/usr/bin/x.fakechroot", "/opt/cr/lib", &bad), 0);
	ck_assert_ptr_null(bad);
	ck_assert_uint_eq(cfg.nsubst, 6);      /* env.fakechroot dropped */
	e = cr_config_subst_entry(&cfg, "/usr/bin/a");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->outside, 0);       /* CROSSROOT_CMD_SUBST: inside */
	check_subst("/usr/sbin/chroot", "/opt/cr/lib/crossroot-chroot", 0);
	check_subst("/sbin/ldconfig", "/opt/cr/lib/crossroot-ldconfig", 0);
	ck_assert_ptr_null(cr_config_subst_entry(&cfg, "/usr/bin/env"));
	check_subst("/usr/bin/mkfifo", "/bin/true", 1);
	check_subst("/usr/bin/ldd", "/opt/cr/lib/crossroot-ldd", 0);
	/* Any other substitute runs the fakechroot way. */
	check_subst("/usr/bin/x", "/usr/bin/x.fakechroot", 1);
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/usr/bin/mkfifo"), "/bin/true");
}
END_TEST

START_TEST(fc_subst_no_helperdir)
{
	const char *bad = NULL;
	reset();
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg,
		"/usr/sbin/chroot=/usr/sbin/chroot.fakechroot:/bin/x=/bin/true:"
		"/usr/bin/ldd=/usr/bin/ldd.fakechroot", NULL, &bad), 0);
	ck_assert_uint_eq(cfg.nsubst, 1);
	ck_assert_ptr_null(cr_config_subst_for(&cfg, "/usr/sbin/chroot"));
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/bin/x"), "/bin/true");
	/* Not a helper: only the exact file name counts. */
	reset();
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg,
		"/a=/x/mychroot.fakechroot:/b=/x/chroot.fakechroot2", "/d", &bad), 0);
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/a"), "/x/mychroot.fakechroot");
	ck_assert_str_eq(cr_config_subst_for(&cfg, "/b"), "/x/chroot.fakechroot2");
	ck_assert_int_eq(cfg.subst[0].outside, 1);
	/* crossroot's own helpers, named by crossroot-fakechroot's env files,
	 * run inside the root. */
	reset();
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg,
		"/c=/l/crossroot-chroot:/d=/l/crossroot-ldconfig:/e=/l/crossroot-ldd", NULL, &bad), 0);
	ck_assert_uint_eq(cfg.nsubst, 3);
	ck_assert_int_eq(cfg.subst[2].outside, 0);
	ck_assert_str_eq(cfg.subst[0].host, "/l/crossroot-chroot");
	ck_assert_int_eq(cfg.subst[0].outside, 0);
	ck_assert_str_eq(cfg.subst[1].host, "/l/crossroot-ldconfig");
	ck_assert_int_eq(cfg.subst[1].outside, 0);
}
END_TEST

START_TEST(fc_subst_invalid_unchanged)
{
	const char *bad = NULL;
	const char *spec = "/a=/usr/sbin/chroot.fakechroot:rel=/bin/true";
	reset();
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg, "/k=/bin/true", "/d", &bad), 0);
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg, spec, "/d", &bad), EINVAL);
	ck_assert_ptr_nonnull(bad);
	ck_assert_str_eq(bad, "rel=/bin/true");
	ck_assert_uint_eq(cfg.nsubst, 1);
	/* A dropped entry is still checked. */
	ck_assert_int_eq(cr_config_parse_fakechroot_subst(&cfg, "env=/x/env.fakechroot",
	                                                  "/d", &bad), EINVAL);
	ck_assert_uint_eq(cfg.nsubst, 1);
}
END_TEST

START_TEST(fc_exclude)
{
	const char *bad = NULL;
	reset();
	ck_assert_int_eq(cr_config_parse_binds(&cfg, "/srv/p:/proc", &bad), 0);
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, "/dev:/proc::/home/u/./x/:/dev", &bad), 0);
	ck_assert_ptr_null(bad);
	ck_assert_uint_eq(cfg.nbinds, 3);      /* /proc already bound, /dev once */
	BIND_IS(0, "/srv/p", "/proc");
	BIND_IS(1, "/dev", "/dev");
	BIND_IS(2, "/home/u/x", "/home/u/x");
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, "", &bad), 0);
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, NULL, &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, 3);
}
END_TEST

START_TEST(fc_exclude_invalid)
{
	const char *bad = NULL;
	const char *spec = "/tmp/a:rel:/b";
	reset();
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, spec, &bad), EINVAL);
	ck_assert_str_eq(bad, "rel:/b");
	ck_assert_uint_eq(cfg.nbinds, 0);
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, "/a:/", &bad), EINVAL);
	ck_assert_str_eq(bad, "/");
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, "/a:/./..", &bad), EINVAL);
	ck_assert_uint_eq(cfg.nbinds, 0);
}
END_TEST

START_TEST(fc_exclude_too_many)
{
	char spec[CR_MAX_BINDS * 16 + 32];
	size_t i, n = 0;
	const char *bad;
	reset();
	for (i = 0; i < CR_MAX_BINDS - 1; i++)
		n += (size_t)sprintf(spec + n, "%s/e%zu", i ? ":" : "", i);
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, spec, &bad), 0);
	ck_assert_uint_eq(cfg.nbinds, CR_MAX_BINDS - 1);
	ck_assert_int_eq(cr_config_parse_exclude(&cfg, "/e0:/y:/z", &bad), E2BIG);
	ck_assert_str_eq(bad, "/z");
	ck_assert_uint_eq(cfg.nbinds, CR_MAX_BINDS - 1);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("root");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, root_plain);
	tcase_add_test(tc, root_canonical);
	tcase_add_test(tc, root_slash_is_none);
	tcase_add_test(tc, root_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("binds");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, bind_single_host_only);
	tcase_add_test(tc, bind_host_guest);
	tcase_add_test(tc, bind_host_root);
	tcase_add_test(tc, bind_appends);
	tcase_add_test(tc, bind_empty_spec);
	tcase_add_loop_test(tc, bind_invalid, 0,
	                    (int)(sizeof bad_binds / sizeof bad_binds[0]));
	tcase_add_test(tc, bind_too_many);
	tcase_add_test(tc, bind_defaults);
	tcase_add_test(tc, bind_defaults_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("subst");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, subst_parse_and_lookup);
	tcase_add_test(tc, subst_guest_canonical);
	tcase_add_test(tc, subst_none);
	tcase_add_loop_test(tc, subst_invalid, 0,
	                    (int)(sizeof bad_substs / sizeof bad_substs[0]));
	tcase_add_test(tc, subst_too_many);
	tcase_add_test(tc, free_everything);
	suite_add_tcase(s, tc);

	tc = tcase_create("fakechroot");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, fc_subst_outside_and_helpers);
	tcase_add_test(tc, fc_subst_no_helperdir);
	tcase_add_test(tc, fc_subst_invalid_unchanged);
	tcase_add_test(tc, fc_exclude);
	tcase_add_test(tc, fc_exclude_invalid);
	tcase_add_test(tc, fc_exclude_too_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
