/* cr_inline.h - the helpers that exec planning calls in a forked guest
 * child, inlined by force, with the string comparisons they need written
 * out by hand: in a guest every call and return is a jump qemu looks up
 * at run time, and each libc function a PLT jump into emulated code (a
 * plan runs translated code: what it pays is execution, not translation).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_INLINE_H
#define CR_INLINE_H

#define CR_INLINE static inline __attribute__((always_inline))

/* Does s start with p? */
CR_INLINE int cr_starts_with(const char *s, const char *p)
{
	while (*p != '\0')
		if (*s++ != *p++)
			return 0;
	return 1;
}

/* Are a and b the same string? */
CR_INLINE int cr_same(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return *a == *b;
}

#endif
