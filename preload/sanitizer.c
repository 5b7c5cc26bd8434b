/* sanitizer.c - what an AddressSanitizer build of the host libcrossroot.so
 * (./configure CFLAGS=-fsanitize=address,... as in .ci/run) needs to load
 * into any program.  Such a build links the ASan runtime (libasan.so) as a
 * dependency, and ASan refuses to start ("runtime does not come first in
 * initial library list") unless the runtime is the first library loaded:
 * under LD_PRELOAD=libcrossroot.so, libcrossroot comes first.  Putting the
 * runtime in LD_PRELOAD is no answer for a library that survives every
 * exec: the same LD_PRELOAD reaches the guests under qemu, whose loaders
 * would print an error for the host runtime, and it is lost whenever a
 * guest execs a host program (the guest builds, not sanitized, do not know
 * it).  So the library itself answers ASan's __asan_default_options (the
 * runtime asks for it through the dynamic symbol table: the program's
 * own definition wins, then ours, which comes before the runtime in the
 * search order exactly when the runtime is not first) and turns the check
 * off.  ASAN_OPTIONS from the environment still overrides it.
 *
 * What is checked then: in a program built with ASan (crossroot's own test
 * programs and tools) everything (the runtime is that program's first
 * dependency, so its malloc and interceptors are the ones found); in an
 * uninstrumented program (sh, coreutils) the library's stack and global
 * accesses and UBSan, while malloc stays glibc's (heap checks and leak
 * detection need the runtime first; they do not apply to such processes).
 * Only compiled into the host library of a sanitizer build.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "state.h"

#if defined(__SANITIZE_ADDRESS__)
#  define CRP_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define CRP_ASAN 1
#  endif
#endif

#ifdef CRP_ASAN
CRP_EXPORT const char *__asan_default_options(void);
CRP_EXPORT const char *__asan_default_options(void)
{
	return "verify_asan_link_order=0";
}

/* Leaks by design, found the same way (LeakSanitizer asks for built-in
 * suppressions through the symbol table): the faked chroot() publishes a
 * new configuration snapshot and never frees the old one, since another
 * thread may still be reading it without a lock (state.c, crp_set_root;
 * a few hundred bytes per chroot call). */
CRP_EXPORT const char *__lsan_default_suppressions(void);
CRP_EXPORT const char *__lsan_default_suppressions(void)
{
	return "leak:crp_set_root\n";
}
#else
/* Not a sanitizer build: nothing to export (ISO C wants a declaration). */
typedef int crp_sanitizer_unused;
#endif
