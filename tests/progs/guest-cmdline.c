/* guest-cmdline.c - print the argument vector and check /proc/self/cmdline.
 *
 * Prints "argc=N", then "argv[I]=VALUE" per argument, then
 * "cmdline=match" when /proc/self/cmdline holds exactly the same strings
 * (what ps shows must be what the program got; under qemu, the emulated
 * view), else "cmdline=MISMATCH" with the strings it holds, and exits 1.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	size_t len = 0;
	ssize_t n;
	int fd = open("/proc/self/cmdline", O_RDONLY);
	if (fd < 0) {
		perror("guest-cmdline: /proc/self/cmdline");
		return 1;
	}
	while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	close(fd);

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);

	size_t off = 0;
	int ok = 1;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;
		if (off + l > len || memcmp(buf + off, argv[i], l) != 0) {
			ok = 0;
			break;
		}
		off += l;
	}
	if (ok && off == len) {
		printf("cmdline=match\n");
		return 0;
	}
	printf("cmdline=MISMATCH:");
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		printf(" [%s]", buf + i);
	printf("\n");
	return 1;
}
