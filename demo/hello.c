/* hello.c - the demo's guest program: prints the machine it believes it runs
 * on and a file that exists only inside the fake root.
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	char line[256] = "";
	if (uname(&u) != 0) {
		perror("uname");
		return 1;
	}
	FILE *f = fopen("/etc/crossroot-demo", "r");
	if (!f) {
		perror("/etc/crossroot-demo");
		return 1;
	}
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	printf("%s\n", u.machine);
	printf("/etc/crossroot-demo says: %s", line);
	return 0;
}
