/* cr_env.c - rebuild a child's environment so it stays inside the fake root.
 *
 * The variables that carry the fake root are snapshotted at start; on each
 * exec the caller's envp is copied and completed: missing variables come
 * back from the snapshot, LD_PRELOAD always names libcrossroot.so (the
 * caller's other preloads are kept), by full path for the program's
 * architecture when the caller found one (cr_env_find_preloads), and
 * LD_LIBRARY_PATH gets the directories of CROSSROOT_LIBPATH it lacks, or,
 * when every preload went by full path, none of them.  One builder does the work both for real and
 * as a dry run, so the sizing functions return exactly what the rebuild
 * uses.  No allocation: usable between fork and exec.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cr_arch.h"
#include "cr_env.h"
#include "cr_inline.h"

/* Every entry starts with C, F or L: cr_env_is_kept tests that first. */
static const char *const kept_prefixes[] = { "CROSSROOT_", "FAKECHROOT_" };
static const char *const kept_names[] = {
	"FAKECHROOT", "FAKEROOTKEY", "FAKED_MODE", "LD_PRELOAD", "LD_LIBRARY_PATH",
};

#define PRELOAD_VAR "LD_PRELOAD"
#define LIBPATH_VAR "LD_LIBRARY_PATH"
#define CRLIBPATH_VAR "CROSSROOT_LIBPATH"

/* The small helpers below are inlined by force (cr_inline.h): a rebuild
 * makes thousands of calls. */

/* Length of the name part of "NAME=value" (or of a bare "NAME"). */
CR_INLINE size_t name_len(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0' && s[n] != '=')
		n++;
	return n;
}

/* Does entry ("NAME=value") define variable name (given with length)?
 * By hand, not strncmp: a rebuild asks this some thousand times (every
 * kept variable against every entry), and in a guest each libc call is a
 * PLT jump into emulated code: strncmp ran half of the blocks a guest's
 * exec plan executed. */
CR_INLINE int entry_is(const char *entry, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (entry[i] != name[i])
			return 0;       /* (entry's NUL differs from any name byte) */
	return entry[len] == '=';
}

int cr_env_is_kept(const char *name)
{
	/* Every kept name starts with C, F or L: most entries stop here. */
	if (name == NULL || (name[0] != 'C' && name[0] != 'F' && name[0] != 'L'))
		return 0;
	for (size_t i = 0; i < sizeof kept_prefixes / sizeof kept_prefixes[0]; i++)
		if (cr_starts_with(name, kept_prefixes[i]))
			return 1;
	for (size_t i = 0; i < sizeof kept_names / sizeof kept_names[0]; i++) {
		const char *k = kept_names[i], *n = name;
		while (*k != '\0' && *n == *k)
			k++, n++;
		if (*k == '\0' && (*n == '\0' || *n == '='))
			return 1;
	}
	return 0;
}

/* The first "NAME=..." entry of envp, or NULL. */
static const char *find_entry(char *const *envp, const char *name, size_t len)
{
	if (envp == NULL)
		return NULL;
	for (size_t i = 0; envp[i] != NULL; i++)
		if (entry_is(envp[i], name, len))
			return envp[i];
	return NULL;
}

static const char *snap_entry(const struct cr_env_snapshot *snap,
                              const char *name, size_t len)
{
	if (snap == NULL)
		return NULL;
	for (size_t i = 0; i < snap->nkeep; i++)
		if (snap->keep[i] != NULL && entry_is(snap->keep[i], name, len))
			return snap->keep[i];
	return NULL;
}

void cr_env_drop(const char **env, const char *name)
{
	size_t k = 0, len = name_len(name);
	if (env == NULL)
		return;
	for (size_t i = 0; env[i] != NULL; i++)
		if (!entry_is(env[i], name, len))
			env[k++] = env[i];
	env[k] = NULL;
}

void cr_env_drop_for_qemu(const char **env)
{
	cr_env_drop(env, "QEMU_VERSION");
}

int cr_env_preloads_all_in(char *const *envp, const char *const *paths)
{
	const char *e = find_entry(envp, PRELOAD_VAR, sizeof PRELOAD_VAR - 1);
	int any = 0;
	if (e == NULL || paths == NULL)
		return 0;
	for (const char *p = e + sizeof PRELOAD_VAR; *p != '\0';) {
		size_t l = 0;
		while (p[l] != '\0' && p[l] != ':' && p[l] != ' ')
			l++;
		if (l > 0) {
			size_t j = 0;
			while (paths[j] != NULL &&
			       !(strncmp(paths[j], p, l) == 0 && paths[j][l] == '\0'))
				j++;
			if (paths[j] == NULL)
				return 0;
			any = 1;
		}
		p += l;
		while (*p == ':' || *p == ' ')
			p++;
	}
	return any;
}

const char *cr_env_get(char *const *envp, const char *name)
{
	const char *e;
	if (name == NULL)
		return NULL;
	e = find_entry(envp, name, strlen(name));
	return e ? e + strlen(name) + 1 : NULL;
}

void cr_env_snapshot(struct cr_env_snapshot *snap, char *const *envp)
{
	snap->nkeep = 0;
	if (envp == NULL)
		return;
	for (size_t i = 0; envp[i] != NULL && snap->nkeep < CR_ENV_MAX_KEEP; i++) {
		const char *e = envp[i];
		size_t len = name_len(e);
		if (e[len] != '=' || !cr_env_is_kept(e))
			continue;
		if (snap_entry(snap, e, len) != NULL)
			continue;             /* first definition wins, as getenv */
		snap->keep[snap->nkeep++] = e;
	}
}

/* ------------------------------------------------------------ lists */

/* Is c one of seps (one or two characters: ":", ": " or ":;")? */
CR_INLINE int is_sep(char c, const char *seps)
{
	return c == seps[0] || (seps[1] != '\0' && c == seps[1]);
}

/* Length of the element at s: up to the first of seps or the NUL (what
 * strcspn(s, seps) says, without a libc call). */
CR_INLINE size_t elem_len(const char *s, const char *seps)
{
	size_t n = 0;
	while (s[n] != '\0' && !is_sep(s[n], seps))
		n++;
	return n;
}

/* Number of seps at s (strspn(s, seps), inline). */
CR_INLINE size_t seps_len(const char *s, const char *seps)
{
	size_t n = 0;
	while (s[n] != '\0' && is_sep(s[n], seps))
		n++;
	return n;
}

/* Is word (len bytes) one of the elements of list, split at any of seps?
 * Each element is compared as it is scanned: most differ within a few
 * bytes of their start. */
static int list_has(const char *list, const char *seps, const char *word, size_t len)
{
	if (list == NULL)
		return 0;
	while (*list != '\0') {
		size_t i = 0;
		while (i < len && list[i] == word[i] && !is_sep(list[i], seps))
			i++;
		if (i == len && (list[i] == '\0' || is_sep(list[i], seps)))
			return 1;
		list += i;
		list += elem_len(list, seps);
		if (*list != '\0')
			list++;
	}
	return 0;
}

/* ---------------------------------------------------------- builder */

struct builder {
	const char **out;
	size_t outcap, nout;
	char *arena;
	size_t arenasz, used;
	size_t start;   /* arena offset of the string being built */
};

CR_INLINE void put_slot(struct builder *b, const char *s)
{
	if (b->out != NULL && b->nout < b->outcap)
		b->out[b->nout] = s;
	b->nout++;
}

CR_INLINE void put_bytes(struct builder *b, const char *s, size_t n)
{
	if (b->arena != NULL && b->used < b->arenasz) {
		size_t room = b->arenasz - b->used;
		memcpy(b->arena + b->used, s, n < room ? n : room);
	}
	b->used += n;
}

static void put_str(struct builder *b, const char *s)
{
	put_bytes(b, s, strlen(s));
}

static void begin_str(struct builder *b)
{
	b->start = b->used;
}

/* Terminate the string being built and put it in the next slot. */
static void end_str(struct builder *b)
{
	put_bytes(b, "", 1);
	put_slot(b, b->arena != NULL && b->used <= b->arenasz ? b->arena + b->start : NULL);
}

/* The base name of LD_PRELOAD entry e (n bytes) when crossroot looks
 * after that library: a bare name (found through LD_LIBRARY_PATH, which
 * crossroot completes), or a file in one of crossroot's directories
 * (dirs: CROSSROOT_LIBPATH's value, or NULL), put there by an earlier
 * rebuild.  NULL for the caller's own full paths. */
static const char *our_base(const char *e, size_t n, const char *dirs, size_t *bl)
{
	const char *base = e + n;
	while (base > e && base[-1] != '/')
		base--;
	if (base > e) {
		size_t dl = (size_t)(base - e) - 1;
		if (dl == 0 || !list_has(dirs, ":", e, dl))
			return NULL;
	}
	*bl = (size_t)(e + n - base);
	return *bl > 0 ? base : NULL;
}

/* The path in preloads (NULL-terminated, or NULL) whose file name is base
 * (bl bytes), or NULL. */
static const char *preload_path(const char *const *preloads, const char *base, size_t bl)
{
	for (size_t i = 0; preloads != NULL && preloads[i] != NULL; i++) {
		const char *p = preloads[i], *f = p + strlen(p);
		while (f > p && f[-1] != '/')
			f--;
		if (strlen(f) == bl && memcmp(f, base, bl) == 0)
			return p;
	}
	return NULL;
}

/* How entry e (n bytes) reaches the program: *out (*outlen bytes).  A
 * library crossroot looks after goes by its full path for the program's
 * architecture when preloads has one, else by bare name; the caller's
 * own full paths stay.  Returns 1 when the result is a bare name of
 * crossroot's, left to LD_LIBRARY_PATH. */
static int map_preload(const char *e, size_t n, const char *dirs,
                       const char *const *preloads, const char **out, size_t *outlen)
{
	size_t bl;
	const char *base = our_base(e, n, dirs, &bl), *p;
	*out = e;
	*outlen = n;
	if (base == NULL)
		return 0;
	if ((p = preload_path(preloads, base, bl)) != NULL) {
		*out = p;
		*outlen = strlen(p);
		return 0;
	}
	*out = base;
	*outlen = bl;
	return 1;
}

/* What ld.so splits LD_PRELOAD at. */
#define PRELOAD_SEPS ": "

/* Is libcrossroot.so among the elements of val (crossroot's, by name or
 * in one of its directories)? */
static int has_own_preload(const char *val, const char *dirs)
{
	for (const char *e = val; *e != '\0';) {
		size_t n = elem_len(e, PRELOAD_SEPS), bl;
		const char *base = n > 0 ? our_base(e, n, dirs, &bl) : NULL;
		if (base != NULL && bl == sizeof CR_PRELOAD_NAME - 1 &&
		    memcmp(base, CR_PRELOAD_NAME, bl) == 0)
			return 1;
		e += n;
		e += seps_len(e, PRELOAD_SEPS);
	}
	return 0;
}

/* Does the program still need crossroot's directories in LD_LIBRARY_PATH:
 * is any library of LD_PRELOAD (val, plus libcrossroot.so) left to a bare
 * name?  Never when preloads had them all. */
static int preload_needs_libpath(const char *val, const char *dirs,
                                 const char *const *preloads)
{
	const char *o;
	size_t ol;
	if (preloads == NULL)
		return 1;
	if (map_preload(CR_PRELOAD_NAME, sizeof CR_PRELOAD_NAME - 1, dirs, preloads, &o, &ol))
		return 1;
	for (const char *e = val ? val : ""; *e != '\0';) {
		size_t n = elem_len(e, PRELOAD_SEPS);
		if (n > 0 && map_preload(e, n, dirs, preloads, &o, &ol))
			return 1;
		e += n;
		e += seps_len(e, PRELOAD_SEPS);
	}
	return 0;
}

/* LD_PRELOAD: entry is the "LD_PRELOAD=..." string to start from, or NULL. */
static void build_preload(struct builder *b, const char *entry, const char *dirs,
                          const char *const *preloads)
{
	const char *val = entry ? entry + sizeof PRELOAD_VAR : "";
	const char *o;
	size_t ol;
	int have = entry != NULL && has_own_preload(val, dirs);
	if (have) {
		/* Unchanged when every element maps to itself. */
		int same = 1;
		for (const char *e = val; *e != '\0' && same;) {
			size_t n = elem_len(e, PRELOAD_SEPS);
			map_preload(e, n, dirs, preloads, &o, &ol);
			same = o == e && ol == n;
			e += n;
			e += seps_len(e, PRELOAD_SEPS);
		}
		if (same) {
			put_slot(b, entry);
			return;
		}
	}
	/* libcrossroot.so goes right after any libfakeroot entries: fakeroot's
	 * wrappers call each other through the PLT, so a libcrossroot.so in
	 * front of them would translate an already translated path; behind
	 * them, each of fakeroot's RTLD_NEXT calls reaches libcrossroot once.
	 * The other entries keep their order after it (all of them in their
	 * order when libcrossroot.so is there already). */
	begin_str(b);
	put_str(b, PRELOAD_VAR "=");
	int first = 1;
	for (int pass = have ? 2 : 0; pass < 3; pass++) {
		if (pass == 1) {
			if (!first)
				put_bytes(b, ":", 1);
			map_preload(CR_PRELOAD_NAME, sizeof CR_PRELOAD_NAME - 1, dirs,
			            preloads, &o, &ol);
			put_bytes(b, o, ol);
			first = 0;
			continue;
		}
		for (const char *e = val; *e != '\0';) {
			size_t n = elem_len(e, PRELOAD_SEPS);
			if (n > 0) {
				const char *base = e + n;
				while (base > e && base[-1] != '/')
					base--;
				size_t bl = (size_t)(e + n - base);
				int is_fr = bl >= 11 && memcmp(base, "libfakeroot", 11) == 0;
				if (have || is_fr == (pass == 0)) {
					if (!first)
						put_bytes(b, ":", 1);
					map_preload(e, n, dirs, preloads, &o, &ol);
					put_bytes(b, o, ol);
					first = 0;
				}
			}
			e += n;
			e += seps_len(e, PRELOAD_SEPS);
		}
	}
	end_str(b);
}

/* Does dir (n bytes) have a component equal to triplet? */
static int dir_names_triplet(const char *dir, size_t n, const char *triplet)
{
	size_t tl = strlen(triplet);
	for (size_t i = 0; i < n;) {
		size_t m = 0;
		while (i + m < n && dir[i + m] != '/')
			m++;
		if (m == tl && strncmp(dir + i, triplet, m) == 0)
			return 1;
		i += m + 1;
	}
	return 0;
}

/* Does dir (n bytes) name a triplet of the architecture table other than
 * keep: a component equal to some row's triplet, none equal to keep's?
 * Such a directory of crossroot's holds another architecture's builds. */
static int dir_for_other_arch(const char *dir, size_t n, const char *keep)
{
	int other = 0;
	for (size_t i = 0; i < n;) {
		size_t m = 0;
		while (i + m < n && dir[i + m] != '/')
			m++;
		for (size_t a = 0; m > 0 && a < cr_arch_count; a++) {
			const char *t = cr_arch_table[a].triplet;
			if (strlen(t) != m || strncmp(dir + i, t, m) != 0)
				continue;
			if (strcmp(t, keep) == 0)
				return 0;
			other = 1;
		}
		i += m + 1;
	}
	return other;
}

/* Is element (len bytes) of LD_LIBRARY_PATH one to leave out for the
 * program about to run: one of crossroot's own directories (in dirs),
 * any of them when all is set (LD_PRELOAD names every library of
 * crossroot's by full path), else one for an architecture other than
 * triplet's? */
static int libpath_drop(const char *elem, size_t len, const char *dirs,
                        const char *triplet, int all)
{
	return len > 0 && list_has(dirs, ":", elem, len) &&
	       (all || (triplet != NULL && dir_for_other_arch(elem, len, triplet)));
}

/* LD_LIBRARY_PATH: entry to start from or NULL; dirs is CROSSROOT_LIBPATH's
 * value or NULL; triplet, when not NULL, the architecture of the program
 * about to run.  crossroot's directories that entry lacks are appended;
 * those for other architectures are left out (each dynamic loader would
 * otherwise probe them, and their hwcap subdirectories, for every library
 * it loads: under qemu twice, through the -L prefix then on the host).
 * When all is set (LD_PRELOAD names crossroot's libraries by full path)
 * none of crossroot's directories is needed: all are left out, and the
 * variable too if nothing else is left.  The program's own rebuild puts
 * them back when it execs.  The caller's other elements, empty ones
 * included, keep their order.  Nothing is added when there is neither
 * entry nor dirs. */
static void build_libpath(struct builder *b, const char *entry, const char *dirs,
                          const char *triplet, int all)
{
	static const char lsep[] = ":;";   /* what ld.so splits at */
	const char *val = entry ? entry + sizeof LIBPATH_VAR : NULL;
	int change = 0, first = 1;

	for (const char *d = dirs; d != NULL && *d != '\0';) {
		size_t n = elem_len(d, ":");
		if (!all && n > 0 && !list_has(val, lsep, d, n) &&
		    !libpath_drop(d, n, dirs, triplet, 0))
			change = 1;
		d += n;
		if (*d == ':')
			d++;
	}
	for (const char *v = val; v != NULL && !change;) {
		size_t n = elem_len(v, lsep);
		if (libpath_drop(v, n, dirs, triplet, all))
			change = 1;
		if (v[n] == '\0')
			break;
		v += n + 1;
	}
	if (!change) {
		if (entry != NULL)
			put_slot(b, entry);
		return;
	}
	if (all) {
		/* Anything of the caller's left?  Else no variable at all. */
		int left = 0;
		for (const char *v = val; v != NULL && !left;) {
			size_t n = elem_len(v, lsep);
			left = !libpath_drop(v, n, dirs, triplet, 1);
			if (v[n] == '\0')
				break;
			v += n + 1;
		}
		if (!left)
			return;
	}
	begin_str(b);
	put_str(b, LIBPATH_VAR "=");
	for (const char *v = val; v != NULL && *val != '\0';) {
		size_t n = elem_len(v, lsep);
		if (!libpath_drop(v, n, dirs, triplet, all)) {
			if (!first)
				put_bytes(b, ":", 1);
			put_bytes(b, v, n);
			first = 0;
		}
		if (v[n] == '\0')
			break;
		v += n + 1;
	}
	for (const char *d = all ? "" : dirs; *d != '\0';) {
		size_t n = elem_len(d, ":");
		if (n > 0 && !list_has(val, lsep, d, n) && !libpath_drop(d, n, dirs, triplet, 0)) {
			/* Also skip a repeat within CROSSROOT_LIBPATH itself. */
			int dup = 0;
			for (const char *e = dirs; e < d;) {
				size_t m = elem_len(e, ":");
				if (m == n && strncmp(e, d, n) == 0) {
					dup = 1;
					break;
				}
				e += m + 1;
			}
			if (!dup) {
				if (!first)
					put_bytes(b, ":", 1);
				put_bytes(b, d, n);
				first = 0;
			}
		}
		d += n;
		if (*d == ':')
			d++;
	}
	end_str(b);
}

static void build(const struct cr_env_snapshot *snap, char *const *envp,
                  const char *triplet, const char *const *preloads, struct builder *b)
{
	const size_t plen = sizeof PRELOAD_VAR - 1, llen = sizeof LIBPATH_VAR - 1;
	const size_t clen = sizeof CRLIBPATH_VAR - 1;
	const char *pre = NULL, *llp = NULL;
	const char *crlib = NULL, *snap_pre = NULL, *snap_llp = NULL;

	/* One pass over envp finds its first LD_PRELOAD and LD_LIBRARY_PATH
	 * and which kept variables it has (comparing its kept entries only
	 * with snapshot entries of the same name length): a lookup of each
	 * name in envp was most of a guest's exec plan. */
	_Static_assert(CR_ENV_MAX_KEEP <= 64, "present is a 64-bit mask");
	uint64_t present = 0;                 /* bit i: envp has snap->keep[i] */
	size_t klen[CR_ENV_MAX_KEEP];
	size_t nkeep = snap != NULL ? snap->nkeep : 0;
	for (size_t i = 0; i < nkeep; i++) {
		/* (and the snapshot's three variables of interest, by length
		 * first: its names mostly share "CROSSROOT_") */
		const char *k = snap->keep[i];
		size_t kl = klen[i] = k != NULL ? name_len(k) : 0;
		if (kl == clen && crlib == NULL && entry_is(k, CRLIBPATH_VAR, clen))
			crlib = k;
		else if (kl == plen && snap_pre == NULL && entry_is(k, PRELOAD_VAR, plen))
			snap_pre = k;
		else if (kl == llen && snap_llp == NULL && entry_is(k, LIBPATH_VAR, llen))
			snap_llp = k;
	}
	const char *dirs = crlib ? crlib + sizeof CRLIBPATH_VAR : NULL;
	for (size_t j = 0; envp != NULL && envp[j] != NULL; j++) {
		const char *e = envp[j];
		size_t el;
		if (!cr_env_is_kept(e) || e[el = name_len(e)] != '=')
			continue;
		if (pre == NULL && el == plen && entry_is(e, PRELOAD_VAR, plen))
			pre = e;
		else if (llp == NULL && el == llen && entry_is(e, LIBPATH_VAR, llen))
			llp = e;
		for (size_t i = 0; i < nkeep; i++)
			if (klen[i] == el && !(present >> i & 1) && entry_is(snap->keep[i], e, el))
				present |= (uint64_t)1 << i;
	}
	const char *pre_src = pre ? pre : snap_pre;
	int all = !preload_needs_libpath(pre_src ? pre_src + sizeof PRELOAD_VAR : NULL,
	                                 dirs, preloads);

	/* The caller's variables, in order; the first LD_PRELOAD and
	 * LD_LIBRARY_PATH are merged in place, repeats of them dropped. */
	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++) {
		const char *e = envp[i];
		if (e[0] != 'L') {
			put_slot(b, e);
		} else if (entry_is(e, PRELOAD_VAR, plen)) {
			if (e == pre)
				build_preload(b, e, dirs, preloads);
		} else if (entry_is(e, LIBPATH_VAR, llen)) {
			if (e == llp)
				build_libpath(b, e, dirs, triplet, all);
		} else {
			put_slot(b, e);
		}
	}
	/* Kept variables the caller lost. */
	for (size_t i = 0; i < nkeep; i++) {
		const char *k = snap->keep[i];
		size_t len = klen[i];
		if (k == NULL || k[len] != '=' || (present >> i & 1))
			continue;
		if (entry_is(k, PRELOAD_VAR, plen) || entry_is(k, LIBPATH_VAR, llen))
			continue;     /* below */
		put_slot(b, k);
	}
	if (pre == NULL)
		build_preload(b, pre_src, dirs, preloads);
	if (llp == NULL)
		build_libpath(b, snap_llp, dirs, triplet, all);
	put_slot(b, NULL);
}

void cr_env_sizes(const struct cr_env_snapshot *snap, char *const *envp,
                  const char *triplet, const char *const *preloads,
                  size_t *slots, size_t *bytes)
{
	(void)cr_env_build(snap, envp, triplet, preloads, NULL, 0, NULL, 0, slots, bytes);
}

size_t cr_env_arena_size(const struct cr_env_snapshot *snap, char *const *envp,
                         const char *triplet, const char *const *preloads)
{
	size_t slots, bytes;
	cr_env_sizes(snap, envp, triplet, preloads, &slots, &bytes);
	return bytes;
}

size_t cr_env_slots(const struct cr_env_snapshot *snap, char *const *envp,
                    const char *triplet, const char *const *preloads)
{
	size_t slots, bytes;
	cr_env_sizes(snap, envp, triplet, preloads, &slots, &bytes);
	return slots;
}

int cr_env_rebuild(const struct cr_env_snapshot *snap, char *const *envp,
                   const char *triplet, const char *const *preloads, const char **out, size_t outcap, char *arena, size_t arenasz)
{
	struct builder b = { 0 };
	/* A dry run first, so that nothing is half-written on failure. */
	build(snap, envp, triplet, preloads, &b);
	if (b.nout > outcap || b.used > arenasz || out == NULL ||
	    (b.used > 0 && arena == NULL))
		return ENOMEM;
	b = (struct builder){ .out = out, .outcap = outcap,
	                      .arena = arena, .arenasz = arenasz };
	build(snap, envp, triplet, preloads, &b);
	return 0;
}

int cr_env_build(const struct cr_env_snapshot *snap, char *const *envp,
                 const char *triplet, const char *const *preloads,
                 const char **out, size_t outcap, char *arena, size_t arenasz,
                 size_t *slots, size_t *bytes)
{
	struct builder b = { .out = out, .outcap = out != NULL ? outcap : 0,
	                     .arena = arena, .arenasz = arena != NULL ? arenasz : 0 };
	build(snap, envp, triplet, preloads, &b);
	*slots = b.nout;
	*bytes = b.used;
	return b.nout > b.outcap || b.used > b.arenasz ? ENOMEM : 0;
}

size_t cr_env_find_preloads(const struct cr_env_snapshot *snap, char *const *envp,
                            const char *triplet,
                            int (*exists)(void *ud, const char *path), void *ud,
                            const char **out, size_t outcap, char *buf, size_t bufsz)
{
	const size_t plen = sizeof PRELOAD_VAR - 1;
	const char *crlib = snap_entry(snap, CRLIBPATH_VAR, sizeof CRLIBPATH_VAR - 1);
	const char *dirs = crlib ? crlib + sizeof CRLIBPATH_VAR : NULL;
	const char *pre = find_entry(envp, PRELOAD_VAR, plen);
	size_t nout = 0, used = 0;
	if (pre == NULL)
		pre = snap_entry(snap, PRELOAD_VAR, plen);
	if (out == NULL || outcap == 0)
		return 0;
	out[0] = NULL;
	if (triplet == NULL || dirs == NULL || exists == NULL || buf == NULL)
		return 0;
	/* The names: crossroot's elements of LD_PRELOAD, then libcrossroot.so. */
	const char *val = pre ? pre + sizeof PRELOAD_VAR : "";
	int done = 0;
	for (const char *e = val; !done && nout + 1 < outcap;) {
		size_t n = elem_len(e, PRELOAD_SEPS), bl = 0;
		const char *base;
		if (*e == '\0') {
			base = CR_PRELOAD_NAME;
			bl = sizeof CR_PRELOAD_NAME - 1;
			done = 1;
		} else {
			base = n > 0 ? our_base(e, n, dirs, &bl) : NULL;
			e += n;
			e += seps_len(e, PRELOAD_SEPS);
		}
		if (base == NULL || preload_path(out, base, bl) != NULL)
			continue;
		/* The first of crossroot's directories for triplet that has it. */
		for (const char *d = dirs; *d != '\0';) {
			size_t dn = elem_len(d, ":");
			if (dn > 0 && dir_names_triplet(d, dn, triplet) &&
			    used + dn + 1 + bl + 1 <= bufsz) {
				char *p = buf + used;
				memcpy(p, d, dn);
				p[dn] = '/';
				memcpy(p + dn + 1, base, bl);
				p[dn + 1 + bl] = '\0';
				if (exists(ud, p)) {
					out[nout++] = p;
					out[nout] = NULL;
					used += dn + 1 + bl + 1;
					break;
				}
			}
			d += dn;
			if (*d == ':')
				d++;
		}
	}
	return nout;
}
