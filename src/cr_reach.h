/* cr_reach.h - can a program call into the libraries preloaded into it?
 *
 * A preloaded library acts on a process through the symbols the process
 * looks up in it: the program's and its libraries' calls bound to the
 * library's definitions (and the library's constructor).  C library
 * internals do not go through the symbol table (glibc binds its own calls
 * at build time: the few it leaves to the loader are malloc and friends
 * and the loader's own), so a program that needs no library but libc and
 * whose dynamic symbols name none of the preloads' exports runs exactly
 * the same without them, but for what it could see of itself: its
 * environment (LD_PRELOAD), and code it loads at run time (dlopen, the
 * C library's NSS and iconv modules), whose own calls the preloads would
 * catch.  Programs that name a function of those are counted as reaching.
 *
 * Under qemu-user the loader's preload handling and the library's start
 * cost a guest process 1 to 1.5 ms, a twelfth of a /bin/true, so the exec
 * planner leaves the preloads out for programs that cannot reach them
 * (cr_program_may_reach).
 * Symbols are compared by their GNU hash: a collision can only make a
 * program count as reaching.  No allocation (usable between fork and exec).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_REACH_H
#define CR_REACH_H

#include <stddef.h>
#include <stdint.h>
#include "cr_elf.h"
#include "cr_exec.h"

#define CR_SYMSET_MAX 2048

/* The exported symbols of a library, as sorted, distinct GNU hashes. */
struct cr_symset {
	size_t n;
	int with_seeing;   /* 1: the whole names of cr_symbol_sees_env_or_loads
	                    * are among them (cr_symset_reach adds them) */
	uint32_t hash[CR_SYMSET_MAX];
};

/* The GNU hash of a symbol name (the loader's DT_GNU_HASH function). */
uint32_t cr_symbol_hash(const char *name);

/* Fill set with the names through which a program reaches the ELF library
 * read through r: the symbols it defines with global or weak binding
 * (functions, indirect functions, objects, TLS), and the whole names of
 * cr_symbol_sees_env_or_loads (so that one lookup finds both).  buf
 * (bufsz bytes) is scratch for its string table.  Returns 0, E2BIG when
 * there are more than CR_SYMSET_MAX, or cr_elf_walk_dynamic's error. */
int cr_symset_reach(struct cr_symset *set, const struct cr_reader *r,
                    char *buf, size_t bufsz);

/* Is name's hash in set? */
int cr_symset_has(const struct cr_symset *set, const char *name);

/* Is name one of the symbols through which a program reads its
 * environment or loads code at run time (getenv, environ, dlopen, the NSS
 * lookups, iconv_open, ...)? */
int cr_symbol_sees_env_or_loads(const char *name);

/* cr_program_may_reach flag: walk every needed library and symbol even
 * once the answer is known.  For a warm-up: a process that will fork
 * children to exec programs runs the whole walk once, so that what the
 * children run of it is already translated and chained by qemu in the
 * memory they share with it (each first run of a block in a child costs
 * copies of the pages qemu patches). */
#define CR_REACH_WALK_ALL 1

/* 0 when the dynamic program read through prog provably cannot reach the
 * libraries whose exports are sets[0..nsets): every library it needs is
 * "libc.so.6" or its loader (the file name of interp, its PT_INTERP), and
 * none of its dynamic symbols, defined or not, is in a set or is one that
 * cr_symbol_sees_env_or_loads names.  1 otherwise, and on any doubt: a
 * file that cannot be read or walked (no section headers, a string table
 * larger than bufsz, corrupt).  buf (bufsz bytes) is scratch. */
int cr_program_may_reach(const struct cr_reader *prog, const char *interp,
                         const struct cr_symset *const *sets, size_t nsets,
                         int flags, char *buf, size_t bufsz);

/* The exec planner's question for a planned exec and the environment
 * built for it: may LD_PRELOAD be dropped?  1 when the plan runs a
 * dynamic foreign program (plan->elf_host), env's LD_PRELOAD names only
 * libraries among paths (cr_env_preloads_all_in), exports(ud, path) gives
 * the export set of each of paths, and the program cannot reach them
 * (cr_program_may_reach with flags, reading plan->elf_host with raw
 * system calls); else 0.  buf (bufsz bytes) is scratch. */
int cr_preloads_unreachable(const struct cr_exec_plan *plan, char *const *env,
                            const char *const *paths,
                            const struct cr_symset *(*exports)(void *ud, const char *path),
                            void *ud, int flags, char *buf, size_t bufsz);

#endif
