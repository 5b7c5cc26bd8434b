/* nss-calls.c - the user and group database calls of libcrossroot
 * (preload/wrap_nss.c), run in a fake root whose /etc/passwd, /etc/group
 * and /etc/shadow the test wrote (tests/integration/native-nss.sh; host
 * and guest builds).  Usage:
 *   nss-calls USER UID GROUP GID ABSENT NTHREADS ITERATIONS
 * USER (uid UID) is the primary member of GROUP (gid GID) and listed as a
 * member of GROUP; ABSENT is a name the root's files do not have.  Checks
 * every lookup by name and by id (plain and _r), "not found" (NULL, errno
 * 0, as glibc), ERANGE for a small _r buffer, the enumerations (getpwent,
 * getgrent and their _r forms, restarted by setpwent), getgrouplist with a
 * too-small array, getspnam(_r), then NTHREADS threads doing ITERATIONS
 * rounds of getpwnam_r, getgrgid, getpwuid and getgrnam_r at once, each
 * checking every answer and that the non-reentrant results of different
 * threads live in different storage.  Prints "ok - ..." per check,
 * "ENT name" per passwd entry, "GRENT name" per group entry and
 * "INITGROUPS RC ERRNO" (initgroups' answer, which depends on fakeroot:
 * the script checks it); exits 1 at the first failure.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *user, *group, *absent;
static uid_t uid;
static gid_t gid;
static int iterations;

#define CHECK(cond, ...) do { if (!(cond)) { \
	fprintf(stderr, "FAIL: %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } } while (0)

static int has_member(const struct group *g, const char *name)
{
	for (char **m = g->gr_mem; *m; m++)
		if (strcmp(*m, name) == 0)
			return 1;
	return 0;
}

static void lookups(void)
{
	errno = 5;
	struct passwd *pw = getpwnam(user);
	CHECK(pw && pw->pw_uid == uid && pw->pw_gid == gid, "getpwnam(%s)", user);
	CHECK(errno == 0, "getpwnam: errno %d after success (glibc: 0)", errno);
	/* getpwnam's storage survives a getpwuid call (one per function). */
	struct passwd *pw2 = getpwuid(0);
	CHECK(pw2 && strcmp(pw2->pw_name, "root") == 0, "getpwuid(0)");
	CHECK(pw != pw2 && strcmp(pw->pw_name, user) == 0, "getpwnam's result overwritten");
	pw = getpwuid(uid);
	CHECK(pw && strcmp(pw->pw_name, user) == 0, "getpwuid(%u)", (unsigned)uid);
	printf("ok - getpwnam, getpwuid\n");

	errno = 5;
	CHECK(getpwnam(absent) == NULL && errno == 0, "getpwnam(%s): errno %d", absent, errno);
	errno = 5;
	CHECK(getgrnam(absent) == NULL && errno == 0, "getgrnam(%s): errno %d", absent, errno);
	CHECK(getpwuid(4999) == NULL, "getpwuid(4999)");
	CHECK(getgrgid(4999) == NULL, "getgrgid(4999)");
	printf("ok - absent names and ids are not found (NULL, errno 0)\n");

	struct passwd pwb, *pwr = (struct passwd *)1;
	char buf[4096];
	CHECK(getpwnam_r(user, &pwb, buf, sizeof buf, &pwr) == 0 && pwr == &pwb &&
	      pwb.pw_uid == uid, "getpwnam_r(%s)", user);
	CHECK(getpwuid_r(uid, &pwb, buf, sizeof buf, &pwr) == 0 && pwr == &pwb &&
	      strcmp(pwb.pw_name, user) == 0, "getpwuid_r(%u)", (unsigned)uid);
	pwr = &pwb;
	CHECK(getpwnam_r(absent, &pwb, buf, sizeof buf, &pwr) == 0 && pwr == NULL,
	      "getpwnam_r(%s)", absent);
	pwr = &pwb;
	int rc = getpwnam_r(user, &pwb, buf, 4, &pwr);
	CHECK(rc == ERANGE && pwr == NULL, "getpwnam_r, 4-byte buffer: %d", rc);
	printf("ok - getpwnam_r, getpwuid_r (found, absent, ERANGE)\n");

	struct group *gr = getgrnam(group);
	CHECK(gr && gr->gr_gid == gid && has_member(gr, user), "getgrnam(%s)", group);
	gr = getgrgid(gid);
	CHECK(gr && strcmp(gr->gr_name, group) == 0, "getgrgid(%u)", (unsigned)gid);
	struct group grb, *grr;
	CHECK(getgrnam_r(group, &grb, buf, sizeof buf, &grr) == 0 && grr == &grb &&
	      grb.gr_gid == gid, "getgrnam_r");
	CHECK(getgrgid_r(gid, &grb, buf, sizeof buf, &grr) == 0 && grr == &grb &&
	      strcmp(grb.gr_name, group) == 0, "getgrgid_r");
	grr = &grb;
	CHECK(getgrgid_r(4999, &grb, buf, sizeof buf, &grr) == 0 && grr == NULL,
	      "getgrgid_r(4999)");
	printf("ok - getgrnam, getgrgid, getgrnam_r, getgrgid_r\n");

	/* Enumerations: the same entries from getpwent and getpwent_r, and
	 * setpwent starts over. */
	int n1 = 0, n2 = 0, seen = 0;
	setpwent();
	errno = 7;
	while ((pw = getpwent()) != NULL) {
		printf("ENT %s\n", pw->pw_name);
		seen |= strcmp(pw->pw_name, user) == 0;
		n1++;
	}
	CHECK(errno == 7, "getpwent: errno %d at the end (glibc leaves it)", errno);
	setpwent();
	while ((rc = getpwent_r(&pwb, buf, sizeof buf, &pwr)) == 0)
		n2++;
	CHECK(rc == ENOENT && pwr == NULL, "getpwent_r at the end: %d", rc);
	endpwent();
	CHECK(seen && n1 > 0 && n1 == n2, "getpwent %d, getpwent_r %d entries", n1, n2);
	int g1 = 0;
	setgrent();
	while ((gr = getgrent()) != NULL) {
		printf("GRENT %s\n", gr->gr_name);
		g1++;
	}
	endgrent();
	int g2 = 0;
	while ((rc = getgrent_r(&grb, buf, sizeof buf, &grr)) == 0)
		g2++;
	CHECK(rc == ENOENT && g1 > 0 && g1 == g2, "getgrent %d, getgrent_r %d", g1, g2);
	endgrent();
	printf("ok - getpwent/getgrent and their _r forms (%d users, %d groups)\n", n1, g1);

	gid_t list[64];
	int ng = 64;
	rc = getgrouplist(user, gid, list, &ng);
	CHECK(rc >= 1 && rc == ng && list[0] == gid, "getgrouplist: %d", rc);
	int all = ng;
	ng = 0;
	CHECK(getgrouplist(user, gid, list, &ng) == -1 && ng == all,
	      "getgrouplist with no room: ngroups %d, want %d", ng, all);
	printf("ok - getgrouplist (%d groups; -1 and the count when short)\n", all);

	errno = 5;
	struct spwd *sp = getspnam(user);
	CHECK(sp && strcmp(sp->sp_namp, user) == 0 && errno == 0, "getspnam(%s)", user);
	CHECK(getspnam(absent) == NULL, "getspnam(%s)", absent);
	struct spwd spb, *spr;
	CHECK(getspnam_r(user, &spb, buf, sizeof buf, &spr) == 0 && spr == &spb,
	      "getspnam_r(%s)", user);
	printf("ok - getspnam, getspnam_r\n");

	/* initgroups: the list from the root's group file, then setgroups
	 * (faked under fakeroot, EPERM for an unprivileged user): printed for
	 * the script, which knows which to expect. */
	errno = 0;
	rc = initgroups(user, gid);
	printf("INITGROUPS %d %s\n", rc, rc == 0 ? "0" : errno == EPERM ? "EPERM" : strerror(errno));
}

struct tres {
	const struct group *gr;     /* getgrgid's storage in this thread */
	const struct passwd *pw;    /* getpwuid's */
};

static void *worker(void *arg)
{
	struct tres *res = arg;
	char buf[1024];
	for (int i = 0; i < iterations; i++) {
		struct passwd pwb, *pwr = NULL;
		CHECK(getpwnam_r(user, &pwb, buf, sizeof buf, &pwr) == 0 && pwr == &pwb &&
		      pwb.pw_uid == uid && strcmp(pwb.pw_name, user) == 0,
		      "thread: getpwnam_r, round %d", i);
		struct group *gr = getgrgid(gid);
		CHECK(gr && gr->gr_gid == gid && strcmp(gr->gr_name, group) == 0 &&
		      has_member(gr, user), "thread: getgrgid, round %d", i);
		struct passwd *pw = getpwuid(uid);
		CHECK(pw && pw->pw_uid == uid && strcmp(pw->pw_name, user) == 0,
		      "thread: getpwuid, round %d", i);
		/* Still this thread's answer after the other calls. */
		CHECK(strcmp(gr->gr_name, group) == 0, "thread: getgrgid's result changed");
		struct group grb, *grr = NULL;
		CHECK(getgrnam_r(group, &grb, buf, sizeof buf, &grr) == 0 && grr == &grb &&
		      grb.gr_gid == gid, "thread: getgrnam_r, round %d", i);
		res->gr = gr;
		res->pw = pw;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: %s USER UID GROUP GID ABSENT NTHREADS ITERATIONS\n", argv[0]);
		return 2;
	}
	user = argv[1];
	uid = (uid_t)strtoul(argv[2], NULL, 10);
	group = argv[3];
	gid = (gid_t)strtoul(argv[4], NULL, 10);
	absent = argv[5];
	int nthreads = atoi(argv[6]);
	iterations = atoi(argv[7]);
	if (nthreads < 1 || nthreads > 16 || iterations < 1) {
		fprintf(stderr, "nss-calls: NTHREADS 1..16, ITERATIONS >= 1\n");
		return 2;
	}

	lookups();

	pthread_t th[16];
	struct tres res[16];
	for (int i = 0; i < nthreads; i++)
		CHECK(pthread_create(&th[i], NULL, worker, &res[i]) == 0, "pthread_create");
	for (int i = 0; i < nthreads; i++)
		CHECK(pthread_join(th[i], NULL) == 0, "pthread_join");
	for (int i = 0; i < nthreads; i++)
		for (int j = i + 1; j < nthreads; j++)
			CHECK(res[i].gr != res[j].gr && res[i].pw != res[j].pw,
			      "threads %d and %d share the storage of getgrgid/getpwuid", i, j);
	printf("ok - %d threads x %d rounds of lookups, per-thread storage\n",
	       nthreads, iterations);
	return 0;
}
