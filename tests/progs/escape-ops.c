/* escape-ops.c - one file-system operation per run, for the escape suite
 * (tests/escape/escape.sh): host build and guest builds (dynamic and
 * static) run inside fake roots.  Usage: escape-ops OP ARG...; prints
 * "ok" (and a result for read-like ops) and exits 0, or prints
 * "error: MESSAGE" and exits 1.  Ops:
 *   write PATH DATA          open(O_WRONLY|O_CREAT|O_TRUNC) + write
 *   read PATH                print the content
 *   rm PATH | rmdir PATH | mkdir PATH | chmod PATH OCTAL | truncate PATH LEN
 *   rename FROM TO | link FROM TO | symlink TARGET LINK | readlink PATH
 *   realpath PATH | getcwd
 *   openat-dir DIR NAME DATA     opendir(DIR), openat(dirfd, NAME, O_CREAT)
 *   renameat-dir DIR FROM TO     renameat(dirfd, FROM, dirfd, TO)
 *   unlinkat-dir DIR NAME        unlinkat(dirfd, NAME, 0)
 *   fchdir-write DIR NAME DATA   fchdir(DIR) then openat(AT_FDCWD, NAME)
 *   fchdir-getcwd DIR            fchdir(DIR) then print getcwd()
 *   chroot-write DIR UPS NAME DATA  chroot(DIR), chdir("..") UPS times,
 *                                then write NAME (relative or absolute)
 *   chroot-stay DIR UPS NAME DATA   same, cwd left where it was (no chdir
 *                                into the new root: the classic escape)
 *   longpath LEN DATA        write a path of exactly LEN bytes (/tmp/aaa/...)
 *   chdir-write DIR NAME DATA    chdir(DIR) then write NAME
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int err(const char *what)
{
	printf("error: %s: %s\n", what, strerror(errno));
	return 1;
}

static int write_fd(int fd, const char *data)
{
	size_t n = strlen(data);
	if (fd < 0)
		return err("open");
	if (write(fd, data, n) != (ssize_t)n) {
		close(fd);
		return err("write");
	}
	if (close(fd) != 0)
		return err("close");
	puts("ok");
	return 0;
}

static int dir_fd(const char *dir, DIR **d)
{
	*d = opendir(dir);
	return *d ? dirfd(*d) : -1;
}

static int ups(int n)
{
	while (n-- > 0)
		if (chdir("..") != 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	char buf[PATH_MAX + 1];
	DIR *d;
	int fd;

#define NEED(n) do { if (argc < (n) + 2) { \
	fprintf(stderr, "usage: escape-ops %s: %d arguments\n", op, n); return 2; } } while (0)
	if (!strcmp(op, "write")) {
		NEED(2);
		return write_fd(open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644), argv[3]);
	} else if (!strcmp(op, "read")) {
		ssize_t n;
		NEED(1);
		if ((fd = open(argv[2], O_RDONLY)) < 0)
			return err("open");
		while ((n = read(fd, buf, sizeof buf)) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		close(fd);
		return n < 0 ? err("read") : 0;
	} else if (!strcmp(op, "rm")) {
		NEED(1);
		return unlink(argv[2]) ? err("unlink") : (puts("ok"), 0);
	} else if (!strcmp(op, "rmdir")) {
		NEED(1);
		return rmdir(argv[2]) ? err("rmdir") : (puts("ok"), 0);
	} else if (!strcmp(op, "mkdir")) {
		NEED(1);
		return mkdir(argv[2], 0755) ? err("mkdir") : (puts("ok"), 0);
	} else if (!strcmp(op, "chmod")) {
		NEED(2);
		return chmod(argv[2], (mode_t)strtol(argv[3], NULL, 8)) ? err("chmod") : (puts("ok"), 0);
	} else if (!strcmp(op, "truncate")) {
		NEED(2);
		return truncate(argv[2], atol(argv[3])) ? err("truncate") : (puts("ok"), 0);
	} else if (!strcmp(op, "rename")) {
		NEED(2);
		return rename(argv[2], argv[3]) ? err("rename") : (puts("ok"), 0);
	} else if (!strcmp(op, "link")) {
		NEED(2);
		return link(argv[2], argv[3]) ? err("link") : (puts("ok"), 0);
	} else if (!strcmp(op, "symlink")) {
		NEED(2);
		return symlink(argv[2], argv[3]) ? err("symlink") : (puts("ok"), 0);
	} else if (!strcmp(op, "readlink")) {
		ssize_t n;
		NEED(1);
		if ((n = readlink(argv[2], buf, sizeof buf - 1)) < 0)
			return err("readlink");
		buf[n] = '\0';
		puts(buf);
		return 0;
	} else if (!strcmp(op, "realpath")) {
		NEED(1);
		if (!realpath(argv[2], buf))
			return err("realpath");
		puts(buf);
		return 0;
	} else if (!strcmp(op, "getcwd")) {
		if (!getcwd(buf, sizeof buf))
			return err("getcwd");
		puts(buf);
		return 0;
	} else if (!strcmp(op, "openat-dir")) {
		NEED(3);
		if ((fd = dir_fd(argv[2], &d)) < 0)
			return err("opendir");
		return write_fd(openat(fd, argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644), argv[4]);
	} else if (!strcmp(op, "renameat-dir")) {
		NEED(3);
		if ((fd = dir_fd(argv[2], &d)) < 0)
			return err("opendir");
		return renameat(fd, argv[3], fd, argv[4]) ? err("renameat") : (puts("ok"), 0);
	} else if (!strcmp(op, "unlinkat-dir")) {
		NEED(2);
		if ((fd = dir_fd(argv[2], &d)) < 0)
			return err("opendir");
		return unlinkat(fd, argv[3], 0) ? err("unlinkat") : (puts("ok"), 0);
	} else if (!strcmp(op, "fchdir-write") || !strcmp(op, "fchdir-getcwd")) {
		NEED(op[7] == 'w' ? 3 : 1);
		if ((fd = open(argv[2], O_RDONLY | O_DIRECTORY)) < 0)
			return err("open dir");
		if (fchdir(fd) != 0)
			return err("fchdir");
		close(fd);
		if (op[7] == 'g') {
			if (!getcwd(buf, sizeof buf))
				return err("getcwd");
			puts(buf);
			return 0;
		}
		return write_fd(openat(AT_FDCWD, argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644), argv[4]);
	} else if (!strcmp(op, "chroot-write") || !strcmp(op, "chroot-stay")) {
		NEED(4);
		if (chroot(argv[2]) != 0)
			return err("chroot");
		if (op[7] == 'w' && chdir("/") != 0)
			return err("chdir /");
		if (ups(atoi(argv[3])) != 0)
			return err("chdir ..");
		return write_fd(open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644), argv[5]);
	} else if (!strcmp(op, "chdir-write")) {
		NEED(3);
		if (chdir(argv[2]) != 0)
			return err("chdir");
		return write_fd(open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644), argv[4]);
	} else if (!strcmp(op, "longpath")) {
		/* "/tmp/" then components of up to 200 'a's: exactly LEN bytes. */
		size_t len, i, comp = 0;
		NEED(2);
		len = (size_t)atol(argv[2]);
		if (len < 6 || len > PATH_MAX * 2) {
			fprintf(stderr, "longpath: bad length\n");
			return 2;
		}
		{
			char *p = malloc(len + 1);
			if (!p)
				return err("malloc");
			memcpy(p, "/tmp/", 5);
			for (i = 5; i < len; i++) {
				if (comp == 200 && i + 1 < len) {
					p[i] = '/';
					comp = 0;
				} else {
					p[i] = 'a';
					comp++;
				}
			}
			p[len] = '\0';
			return write_fd(open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644), argv[3]);
		}
	}
	fprintf(stderr, "escape-ops: unknown op '%s'\n", op);
	return 2;
}
