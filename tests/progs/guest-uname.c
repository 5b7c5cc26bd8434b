/* guest-uname.c - print the machine name uname(2) reports ("uname -m").
 *
 * Built for the host and cross-compiled for every guest: under qemu it
 * prints the emulated machine (aarch64, armv7l), natively x86_64.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	if (uname(&u) != 0) {
		perror("guest-uname: uname");
		return 1;
	}
	printf("%s\n", u.machine);
	return fflush(stdout) == 0 ? 0 : 1;
}
