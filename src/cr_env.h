/* cr_env.h - the environment a child must get to stay inside the fake root.
 *
 * The library snapshots, at start, the variables that carry the fake root
 * (CROSSROOT_*, FAKECHROOT, FAKECHROOT_*, FAKEROOTKEY, FAKED_MODE, LD_PRELOAD,
 * LD_LIBRARY_PATH).  On each exec the child's envp is rebuilt so that a
 * cleared or edited environment (env -i, execle, clearenv) still has them:
 * a missing variable comes back from the snapshot; LD_PRELOAD keeps the
 * caller's entries and gains "libcrossroot.so" (after libfakeroot's);
 * crossroot's own libraries go by full path when the caller found the
 * program's architecture's builds, else LD_LIBRARY_PATH gains crossroot's
 * directories (CROSSROOT_LIBPATH) if any is missing, less those for
 * architectures other than the program's when that is known.
 * No allocation: the caller provides the arrays (usable between fork/exec).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_ENV_H
#define CR_ENV_H

#include <stddef.h>

#define CR_PRELOAD_NAME "libcrossroot.so"
#define CR_ENV_MAX_KEEP 64

struct cr_env_snapshot {
	const char *keep[CR_ENV_MAX_KEEP];  /* "NAME=value" strings */
	size_t nkeep;
};

/* Is NAME (up to '=' or NUL) one of the variables that must survive? */
int cr_env_is_kept(const char *name);

/* Take the snapshot from an environment (strings are referenced, not copied:
 * pass strings that outlive the snapshot, e.g. copies made at start). */
void cr_env_snapshot(struct cr_env_snapshot *snap, char *const *envp);

/* Bytes of arena and slots of out (the terminating NULL included) that
 * cr_env_rebuild needs for these arguments: exactly what it uses. */
size_t cr_env_arena_size(const struct cr_env_snapshot *snap, char *const *envp,
                         const char *triplet, const char *const *preloads);
/* Both at once (one pass instead of two). */
void cr_env_sizes(const struct cr_env_snapshot *snap, char *const *envp,
                  const char *triplet, const char *const *preloads,
                  size_t *slots, size_t *bytes);
size_t cr_env_slots(const struct cr_env_snapshot *snap, char *const *envp,
                    const char *triplet, const char *const *preloads);

/* Rebuild envp into out (NULL-terminated), building merged LD_PRELOAD and
 * LD_LIBRARY_PATH strings in arena.  The caller's entries keep their order;
 * its first LD_PRELOAD / LD_LIBRARY_PATH is merged in place and later
 * repeats of those two are dropped; lost kept variables follow.  LD_PRELOAD
 * entries are split at ':' and ' ' (as ld.so), LD_LIBRARY_PATH at ':' and
 * ';'.  triplet, when not NULL, is the multiarch triplet of the program
 * the environment is for: crossroot's directories that name another
 * architecture's triplet are then left out of its LD_LIBRARY_PATH (its
 * loader has nothing to find there; they come back at its own execs).
 * preloads (NULL-terminated, or NULL) are full paths of crossroot's
 * libraries for that program (cr_env_find_preloads): LD_PRELOAD names
 * each library it has by that path instead of by bare name, and when it
 * has them all, the program's LD_LIBRARY_PATH gets none of crossroot's
 * directories (a loader searching them costs a guest a tenth of a
 * /bin/true: each missing hwcap subdirectory is probed through qemu).
 * Elements of LD_PRELOAD in crossroot's directories count as bare names,
 * so the next rebuild maps them for its own program.
 * Returns 0, or ENOMEM (nothing written) if out or arena is too small. */
int cr_env_rebuild(const struct cr_env_snapshot *snap, char *const *envp,
                   const char *triplet, const char *const *preloads,
                   const char **out, size_t outcap, char *arena, size_t arenasz);

/* cr_env_rebuild in one pass, for callers that guess the room first:
 * builds into out and arena as far as they go and sets *slots and *bytes
 * to what the whole result needs (as cr_env_sizes).  Returns 0 when it
 * all fit, else ENOMEM, with out and arena partly written: call again
 * with that much room. */
int cr_env_build(const struct cr_env_snapshot *snap, char *const *envp,
                 const char *triplet, const char *const *preloads,
                 const char **out, size_t outcap, char *arena, size_t arenasz,
                 size_t *slots, size_t *bytes);

/* The full paths, for a program of architecture triplet, of crossroot's
 * preloaded libraries: libcrossroot.so and the bare-named elements of
 * LD_PRELOAD (envp's, else the snapshot's; fakeroot's libfakeroot-sysv.so),
 * each in the first directory of CROSSROOT_LIBPATH that names triplet and
 * where exists(ud, path) says it is.  Paths are written to buf (bufsz
 * bytes) and listed in out (outcap slots, NULL-terminated); a library not
 * found, or not fitting, is left out.  Returns how many were found. */
size_t cr_env_find_preloads(const struct cr_env_snapshot *snap, char *const *envp,
                            const char *triplet,
                            int (*exists)(void *ud, const char *path), void *ud,
                            const char **out, size_t outcap, char *buf, size_t bufsz);

/* For a program run under qemu-user: drop, in place, the variables qemu
 * would act on itself instead of running the program (QEMU_VERSION: print
 * the version and exit; arch-test -n sets it to tell emulation from
 * native execution, and crossroot's emulation is meant to be
 * transparent).  Other QEMU_* variables (QEMU_CPU, QEMU_STRACE, ...) stay:
 * users set those on purpose.  env is NULL-terminated. */
void cr_env_drop_for_qemu(const char **env);

/* Drop, in place, every entry of variable name from env (NULL-terminated). */
void cr_env_drop(const char **env, const char *name);

/* 1 when envp's LD_PRELOAD names at least one library and every one it
 * names (split at ':' and ' ', as ld.so) is one of paths (NULL-
 * terminated), else 0. */
int cr_env_preloads_all_in(char *const *envp, const char *const *paths);

/* The value of NAME in envp, or NULL. */
const char *cr_env_get(char *const *envp, const char *name);

#endif
