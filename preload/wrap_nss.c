/* wrap_nss.c - the user, group and shadow databases of a fake root:
 * getpwnam, getpwuid, getgrnam, getgrgid, getspnam (and their _r forms),
 * the getpwent/getgrent enumerations (and _r forms), getgrouplist and
 * initgroups answer from the ROOT's /etc/passwd, /etc/group and
 * /etc/shadow, the way glibc's "files" NSS module answers from the host's.
 * glibc reads those files with internal opens no wrapper sees, so without
 * this a native program in a root (chown root:crontab in a maintainer
 * script, id, stat -c %U) would look names up in the host's databases.
 * (Guests under qemu -L already read the root's files; the wrappers give
 * them the same answers.)  As fakechroot does, nsswitch.conf is not read:
 * only the files, found by the library's resolver (binds and
 * FAKECHROOT_EXCLUDE_PATH apply: an excluded /etc/passwd is the host's).
 * A missing file is an empty database, never the host's.  With no fake
 * root, every call goes to the real function.
 *
 * Semantics follow glibc (2.36, measured): a lookup by key sets errno to 0
 * on success and on "not found" (the _r forms return 0 then, *result
 * NULL); an error returns NULL / the error number with errno set; ERANGE
 * from an _r form means the caller's buffer is too small.  Enumerations
 * leave errno alone on success and at the end (getpwent_r/getgrent_r
 * return ENOENT there).  Names starting with '+' or '-' (NIS compat
 * lines) never match a lookup, as in glibc's files module.
 *
 * Storage: the non-reentrant forms return a struct and strings in
 * per-thread storage, one slot per function as glibc has one static
 * buffer per function (a program may hold getpwnam's result across a
 * getpwuid call).  Each slot's buffer grows with realloc and is kept for
 * the thread's life (glibc keeps its static one for the process's); the
 * buffer of a thread that exits is not freed (no thread-exit hook within
 * the symbol-version limit): one buffer per thread that used the call.
 * The enumeration cursors (one per database) are process-wide, as
 * glibc's: setpwent in one thread restarts getpwent in another; a
 * spinlock (__atomic, no pthread) serialises them (held only while one
 * line is read; like glibc's lock it is not reset by fork, so a child
 * forked while another thread enumerates must not enumerate).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

#define NSS_BUF_FIRST 1024
#define NSS_BUF_MAX   (64u << 20)      /* past this, ENOMEM */

static int nss_active(void)
{
	return crp_config()->rootlen != 0;
}

/* Open a database file of the current root ("re").  NULL with *err set;
 * *err is 0 when the file is missing (an empty database). */
static FILE *nss_open(const char *guest, int *err)
{
	char host[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, guest, CR_FOLLOW | CR_MUST_EXIST, host);
	if (e) {
		*err = (e == ENOENT || e == ENOTDIR) ? 0 : e;
		return NULL;
	}
	int fd = cr_sys_openat(AT_FDCWD, host, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		*err = (fd == -ENOENT || fd == -ENOTDIR) ? 0 : -fd;
		return NULL;
	}
	FILE *f = fdopen(fd, "r");          /* O_CLOEXEC is on the fd */
	if (!f) {
		*err = errno ? errno : ENOMEM;
		cr_sys_close(fd);
		return NULL;
	}
	return f;
}

/* ------------------------------------------------------------ databases */
struct nss_key {
	const char *name;   /* by name when non-NULL, else by id */
	unsigned id;
};

union nss_ent {
	struct passwd pw;
	struct group gr;
	struct spwd sp;
};

struct nss_db {
	const char *path;
	/* Read the next entry: 0, ENOENT at the end, ERANGE (buffer too
	 * small), or another errno value. */
	int (*next)(FILE *f, void *ent, char *buf, size_t len);
	int (*match)(const void *ent, const struct nss_key *k);
};

static int nss_compat_name(const char *n)
{
	return n[0] == '+' || n[0] == '-';
}

static int pw_next(FILE *f, void *ent, char *buf, size_t len)
{
	struct passwd *r;
	return fgetpwent_r(f, ent, buf, len, &r);
}
static int pw_match(const void *e, const struct nss_key *k)
{
	const struct passwd *ent = e;
	if (nss_compat_name(ent->pw_name))
		return 0;
	return k->name ? strcmp(k->name, ent->pw_name) == 0
	               : ent->pw_uid == (uid_t)k->id;
}
static int gr_next(FILE *f, void *ent, char *buf, size_t len)
{
	struct group *r;
	return fgetgrent_r(f, ent, buf, len, &r);
}
static int gr_match(const void *e, const struct nss_key *k)
{
	const struct group *ent = e;
	if (nss_compat_name(ent->gr_name))
		return 0;
	return k->name ? strcmp(k->name, ent->gr_name) == 0
	               : ent->gr_gid == (gid_t)k->id;
}
static int sp_next(FILE *f, void *ent, char *buf, size_t len)
{
	struct spwd *r;
	return fgetspent_r(f, ent, buf, len, &r);
}
static int sp_match(const void *e, const struct nss_key *k)
{
	const struct spwd *ent = e;
	return !nss_compat_name(ent->sp_namp) && k->name &&
	       strcmp(k->name, ent->sp_namp) == 0;
}

static const struct nss_db nss_passwd = { "/etc/passwd", pw_next, pw_match };
static const struct nss_db nss_group = { "/etc/group", gr_next, gr_match };
static const struct nss_db nss_shadow = { "/etc/shadow", sp_next, sp_match };

/* Search db for k with the caller's buffer: 0 (*found 1 or 0) or an errno
 * value (ERANGE: buf is too small for a line). */
static int nss_lookup(const struct nss_db *db, const struct nss_key *k,
                      void *ent, char *buf, size_t len, int *found)
{
	int e;
	*found = 0;
	FILE *f = nss_open(db->path, &e);
	if (!f)
		return e;
	for (;;) {
		e = db->next(f, ent, buf, len);
		if (e == 0) {
			if (db->match(ent, k)) {
				*found = 1;
				break;
			}
			continue;
		}
		if (e == ENOENT)
			e = 0;                  /* end of the file: not found */
		break;
	}
	fclose(f);
	return e;
}

/* ---------------------------------------------------- per-thread storage */
struct nss_slot {
	union nss_ent ent;
	char *buf;
	size_t len;
};

enum { SLOT_PWNAM, SLOT_PWUID, SLOT_PWENT, SLOT_GRNAM, SLOT_GRGID, SLOT_GRENT,
       SLOT_SPNAM, NSLOTS };
static __thread struct nss_slot nss_slots[NSLOTS];

/* Make the slot's buffer bigger (a first one, or double): 0 or ENOMEM. */
static int nss_grow(struct nss_slot *s)
{
	size_t n = s->len ? s->len * 2 : NSS_BUF_FIRST;
	if (n > NSS_BUF_MAX)
		return ENOMEM;
	char *p = realloc(s->buf, n);
	if (!p)
		return ENOMEM;
	s->buf = p;
	s->len = n;
	return 0;
}

/* The non-reentrant lookup: the slot's entry, or NULL (errno 0: not
 * found; else the error), the buffer grown as needed. */
static void *nss_get(const struct nss_db *db, const struct nss_key *k, int slot)
{
	struct nss_slot *s = &nss_slots[slot];
	int e = s->buf ? 0 : nss_grow(s);
	while (e == 0) {
		int found;
		e = nss_lookup(db, k, &s->ent, s->buf, s->len, &found);
		if (e == ERANGE) {
			e = nss_grow(s);
			continue;
		}
		if (e == 0) {
			errno = 0;
			return found ? &s->ent : NULL;
		}
	}
	errno = e;
	return NULL;
}

/* The _r lookup: glibc's return and errno conventions (the caller sets
 * its typed *result: ent when *found). */
static int nss_get_r(const struct nss_db *db, const struct nss_key *k,
                     void *ent, char *buf, size_t len, int *found)
{
	int e = nss_lookup(db, k, ent, buf, len, found);
	if (e)
		*found = 0;
	errno = e;
	return e;
}

/* ----------------------------------------------------------- enumeration
 * One process-wide cursor per database (glibc's are process-wide too),
 * each with its spinlock.  A cursor opened in a fake root stays in use
 * until endXXent/setXXent even if the root goes away (chroot). */
struct nss_cursor {
	const struct nss_db *db;
	FILE *f;
	int lock;
};
static struct nss_cursor nss_pwcur = { &nss_passwd, NULL, 0 };
static struct nss_cursor nss_grcur = { &nss_group, NULL, 0 };

static void cur_lock(struct nss_cursor *c)
{
	while (__atomic_exchange_n(&c->lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}
static void cur_unlock(struct nss_cursor *c)
{
	__atomic_store_n(&c->lock, 0, __ATOMIC_RELEASE);
}

/* Whether the calls on this cursor are ours: a root is active, or our
 * cursor is still open. */
static int cur_ours(struct nss_cursor *c)
{
	return nss_active() || __atomic_load_n(&c->f, __ATOMIC_ACQUIRE) != NULL;
}

static void cur_close(struct nss_cursor *c)
{
	cur_lock(c);
	FILE *f = c->f;
	__atomic_store_n(&c->f, NULL, __ATOMIC_RELEASE);
	cur_unlock(c);
	if (f)
		fclose(f);
}

/* The next entry with the caller's buffer: 0, ENOENT at the end, ERANGE
 * (the cursor stays on that entry, as glibc's), or an errno value. */
static int cur_next(struct nss_cursor *c, void *ent, char *buf, size_t len)
{
	int e = 0;
	cur_lock(c);
	if (!c->f) {
		FILE *f = nss_open(c->db->path, &e);
		if (!f) {
			cur_unlock(c);
			return e ? e : ENOENT;      /* missing: empty */
		}
		__atomic_store_n(&c->f, f, __ATOMIC_RELEASE);
	}
	long pos = ftell(c->f);
	e = c->db->next(c->f, ent, buf, len);
	/* glibc before 2.32 consumed a line too long for the buffer; newer
	 * ones step back: either way, back to its start. */
	if (e == ERANGE && pos >= 0)
		fseek(c->f, pos, SEEK_SET);
	cur_unlock(c);
	return e;
}

static void *cur_get(struct nss_cursor *c, int slot)
{
	struct nss_slot *s = &nss_slots[slot];
	int saved = errno;
	int e = s->buf ? 0 : nss_grow(s);
	while (e == 0) {
		e = cur_next(c, &s->ent, s->buf, s->len);
		if (e == ERANGE)
			e = nss_grow(s);
		else if (e == 0) {
			errno = saved;
			return &s->ent;
		}
	}
	errno = e == ENOENT ? saved : e;
	return NULL;
}

/* getXXent_r: 0 (the caller sets *result to ent), ENOENT at the end,
 * or an errno value. */
static int cur_get_r(struct nss_cursor *c, void *ent, char *buf, size_t len)
{
	int saved = errno;
	int e = cur_next(c, ent, buf, len);
	errno = (e == 0 || e == ENOENT) ? saved : e;
	return e;
}

/* ------------------------------------------------------ passwd, group
 * The two databases' families have one shape, generated here: by name and
 * by id, plain and _r, and the enumeration (set, end, get, get_r).  With
 * no fake root each goes to the next definition (libc's); an enumeration
 * started in a root stays ours until it is ended (cur_ours).
 * T: the entry type; DB, CUR: its database and cursor; NAM, ID: the
 * lookup functions (ID takes an IDT); SET, END, ENT: the enumeration;
 * S_NAM, S_ID, S_ENT: their per-thread slots. */
#define NSS_FAMILY(T, DB, CUR, NAM, ID, IDT, SET, END, ENT, S_NAM, S_ID, S_ENT)   \
CRP_EXPORT T *NAM(const char *name)                                           \
{                                                                             \
	if (!nss_active()) {                                                  \
		T *(*next)(const char *) = CRP_NEXT(NAM);                     \
		return next ? next(name) : NULL;                              \
	}                                                                     \
	struct nss_key k = { nss_name(name), 0 };                             \
	return nss_get(&DB, &k, S_NAM);                                       \
}                                                                             \
CRP_EXPORT T *ID(IDT id)                                                      \
{                                                                             \
	if (!nss_active()) {                                                  \
		T *(*next)(IDT) = CRP_NEXT(ID);                               \
		return next ? next(id) : NULL;                                \
	}                                                                     \
	struct nss_key k = { NULL, id };                                      \
	return nss_get(&DB, &k, S_ID);                                        \
}                                                                             \
CRP_EXPORT int NAM##_r(const char *name, T *ent, char *buf, size_t len,       \
                       T **result)                                            \
{                                                                             \
	if (!nss_active()) {                                                  \
		int (*next)(const char *, T *, char *, size_t, T **) =        \
			CRP_NEXT(NAM##_r);                                    \
		return next ? next(name, ent, buf, len, result) : ENOSYS;     \
	}                                                                     \
	struct nss_key k = { nss_name(name), 0 };                             \
	int found;                                                            \
	int e = nss_get_r(&DB, &k, ent, buf, len, &found);                    \
	*result = found ? ent : NULL;                                         \
	return e;                                                             \
}                                                                             \
CRP_EXPORT int ID##_r(IDT id, T *ent, char *buf, size_t len, T **result)      \
{                                                                             \
	if (!nss_active()) {                                                  \
		int (*next)(IDT, T *, char *, size_t, T **) = CRP_NEXT(ID##_r); \
		return next ? next(id, ent, buf, len, result) : ENOSYS;       \
	}                                                                     \
	struct nss_key k = { NULL, id };                                      \
	int found;                                                            \
	int e = nss_get_r(&DB, &k, ent, buf, len, &found);                    \
	*result = found ? ent : NULL;                                         \
	return e;                                                             \
}                                                                             \
CRP_EXPORT void SET(void)                                                     \
{                                                                             \
	nss_cursor_reset(&CUR, CRP_NEXT(SET));                                \
}                                                                             \
CRP_EXPORT void END(void)                                                     \
{                                                                             \
	nss_cursor_reset(&CUR, CRP_NEXT(END));                                \
}                                                                             \
CRP_EXPORT T *ENT(void)                                                       \
{                                                                             \
	if (!cur_ours(&CUR)) {                                                \
		T *(*next)(void) = CRP_NEXT(ENT);                             \
		return next ? next() : NULL;                                  \
	}                                                                     \
	return cur_get(&CUR, S_ENT);                                          \
}                                                                             \
CRP_EXPORT int ENT##_r(T *ent, char *buf, size_t len, T **result)             \
{                                                                             \
	if (!cur_ours(&CUR)) {                                                \
		int (*next)(T *, char *, size_t, T **) = CRP_NEXT(ENT##_r);   \
		return next ? next(ent, buf, len, result) : ENOSYS;           \
	}                                                                     \
	int e = cur_get_r(&CUR, ent, buf, len);                               \
	*result = e == 0 ? ent : NULL;                                        \
	return e;                                                             \
}

/* A lookup name: "" for NULL (matches nothing).  <pwd.h> declares
 * getpwnam's nonnull, <grp.h> not getgrnam's; callers do pass NULL, so the
 * value is hidden from the optimiser. */
static inline const char *nss_name(const char *n)
{
	__asm__("" : "+r"(n));
	return n ? n : "";
}

/* setXXent / endXXent: both close our cursor (the next getXXent starts
 * over), or call libc's when the cursor is not ours. */
static void nss_cursor_reset(struct nss_cursor *c, void (*next)(void))
{
	if (!cur_ours(c)) {
		if (next)
			next();
		return;
	}
	int saved = errno;
	cur_close(c);
	errno = saved;
}

NSS_FAMILY(struct passwd, nss_passwd, nss_pwcur, getpwnam, getpwuid, uid_t,
           setpwent, endpwent, getpwent, SLOT_PWNAM, SLOT_PWUID, SLOT_PWENT)
NSS_FAMILY(struct group, nss_group, nss_grcur, getgrnam, getgrgid, gid_t,
           setgrent, endgrent, getgrent, SLOT_GRNAM, SLOT_GRGID, SLOT_GRENT)

/* The supplementary groups of user from the root's group file: group
 * first, then every group listing user as a member, each gid once.
 * Returns the count with *out malloc'd (the caller frees), or -1 with
 * errno set. */
static long nss_user_groups(const char *user, gid_t group, gid_t **out)
{
	size_t cap = 16, n = 0;
	gid_t *list = malloc(cap * sizeof *list);
	struct nss_slot s = { .buf = NULL, .len = 0 };
	FILE *f = NULL;
	int e = list ? nss_grow(&s) : ENOMEM;
	if (e)
		goto out;
	list[n++] = group;
	f = nss_open(nss_group.path, &e);
	if (!f)
		goto out;                       /* e == 0: no group file */
	for (;;) {
		long pos = ftell(f);
		e = gr_next(f, &s.ent, s.buf, s.len);
		if (e == ERANGE) {
			if ((e = nss_grow(&s)) != 0)
				break;
			if (pos < 0 || fseek(f, pos, SEEK_SET) != 0) {
				e = EIO;
				break;
			}
			continue;
		}
		if (e) {
			if (e == ENOENT)
				e = 0;
			break;
		}
		const struct group *g = &s.ent.gr;
		int member = 0;
		for (char **m = g->gr_mem; m && *m && user; m++)
			if (strcmp(*m, user) == 0) {
				member = 1;
				break;
			}
		if (!member || nss_compat_name(g->gr_name))
			continue;
		size_t i;
		for (i = 0; i < n && list[i] != g->gr_gid; i++)
			;
		if (i < n)
			continue;
		if (n == cap) {
			gid_t *p = realloc(list, cap * 2 * sizeof *list);
			if (!p) {
				e = ENOMEM;
				break;
			}
			list = p;
			cap *= 2;
		}
		list[n++] = g->gr_gid;
	}
out:
	if (f)
		fclose(f);
	free(s.buf);
	if (e) {
		free(list);
		errno = e;
		return -1;
	}
	*out = list;
	return (long)n;
}

CRP_EXPORT int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
	if (!nss_active()) {
		int (*next)(const char *, gid_t, gid_t *, int *) = CRP_NEXT(getgrouplist);
		if (next)
			return next(user, group, groups, ngroups);
		errno = ENOSYS;
		return -1;
	}
	int saved = errno;
	gid_t *list;
	long n = nss_user_groups(user, group, &list);
	if (n < 0) {
		/* glibc answers at least the group itself. */
		if (*ngroups >= 1)
			groups[0] = group;
		*ngroups = 1;
		errno = saved;
		return 1;
	}
	if (n > INT_MAX)
		n = INT_MAX;
	int room = *ngroups > 0 ? *ngroups : 0;
	if (room > 0)
		memcpy(groups, list, (size_t)(n < room ? n : room) * sizeof *groups);
	free(list);
	*ngroups = (int)n;
	errno = saved;
	return n > room ? -1 : (int)n;
}

CRP_EXPORT int initgroups(const char *user, gid_t group)
{
	if (!nss_active()) {
		int (*next)(const char *, gid_t) = CRP_NEXT(initgroups);
		if (next)
			return next(user, group);
		errno = ENOSYS;
		return -1;
	}
	int saved = errno;
	gid_t *list;
	long n = nss_user_groups(user, group, &list);
	if (n < 0)
		return -1;
	if (n > NGROUPS_MAX)
		n = NGROUPS_MAX;                /* glibc truncates too */
	/* The symbol, not the next definition after ours: a fakeroot
	 * preloaded before libcrossroot fakes it; else the kernel decides
	 * (EPERM for an unprivileged user). */
	int r = setgroups((size_t)n, list);
	int e = errno;
	free(list);
	errno = r == 0 ? saved : e;
	return r;
}

/* ---------------------------------------------------------------- shadow */
CRP_EXPORT struct spwd *getspnam(const char *name)
{
	if (!nss_active()) {
		struct spwd *(*next)(const char *) = CRP_NEXT(getspnam);
		return next ? next(name) : NULL;
	}
	struct nss_key k = { name ? name : "", 0 };
	return nss_get(&nss_shadow, &k, SLOT_SPNAM);
}

CRP_EXPORT int getspnam_r(const char *name, struct spwd *sp, char *buf,
                          size_t len, struct spwd **result)
{
	if (!nss_active()) {
		int (*next)(const char *, struct spwd *, char *, size_t,
		            struct spwd **) = CRP_NEXT(getspnam_r);
		return next ? next(name, sp, buf, len, result) : ENOSYS;
	}
	struct nss_key k = { name ? name : "", 0 };
	int found;
	int e = nss_get_r(&nss_shadow, &k, sp, buf, len, &found);
	*result = found ? sp : NULL;
	return e;
}
