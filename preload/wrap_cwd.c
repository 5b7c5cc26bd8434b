/* wrap_cwd.c - the current directory and the faked chroot(): chdir,
 * getcwd and its variants (__getcwd_chk, getwd, get_current_dir_name) and
 * chroot.
 *
 * The kernel keeps the real (host) current directory; nothing is cached
 * here, so chdir, fchdir and the directory changes fts/nftw make inside
 * libc are all seen by the next getcwd, which asks the kernel and maps the
 * answer to the guest view.  fchdir itself needs no wrapper: its
 * descriptor already names a host directory.  chroot() never reaches the kernel: the new
 * root is resolved inside the current one (so nested chroots, "chroot ."
 * and "chroot /" work) and published with crp_set_root().  As with a real
 * chroot(2) the current directory does not move.  A current directory left
 * outside the new root is what a real chroot shows through glibc: getcwd
 * fails with ENOENT (the kernel answers "(unreachable)/...", which glibc
 * turns into ENOENT); relative paths then keep the host's meaning until the
 * program changes directory, as with a real chroot (see crp_resolve_at).
 * A new root outside the current one (the classic chroot escape, reachable
 * only from such a current directory) is refused with EPERM: a program
 * never leaves its fake root.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

extern void __chk_fail(void) __attribute__((noreturn));

/* The guest view of the kernel's current directory into out (PATH_MAX):
 * its length, or -errno (-ENOENT when it lies outside the root and every
 * bind, or when the kernel cannot name it). */
static int cwd_guest(char *out)
{
	const struct cr_config *cfg = crp_config();
	char host[PATH_MAX];
	int n = cr_sys_getcwd(host, sizeof host);
	if (n < 0)
		return n;
	if (host[0] != '/')
		return -ENOENT;          /* "(unreachable)/..." */
	if (cfg->rootlen == 0) {
		memcpy(out, host, (size_t)n + 1);
		return n;
	}
	int r = cr_unmap(cfg, host, out, PATH_MAX);
	if (r == 1)
		return -ENOENT;
	if (r != 0)
		return -r;
	return (int)strlen(out);
}

/* getcwd(3) semantics on a guest path: size 0 with a buffer is EINVAL, a
 * short buffer ERANGE, a NULL buffer is allocated (size bytes, or exactly
 * what is needed when size is 0). */
static char *cwd_copy_out(char *buf, size_t size)
{
	char g[PATH_MAX];
	if (buf && size == 0) {
		errno = EINVAL;
		return NULL;
	}
	int n = cwd_guest(g);
	if (n < 0) {
		errno = -n;
		return NULL;
	}
	size_t need = (size_t)n + 1;
	if (!buf) {
		size_t alloc = size ? size : need;
		if (alloc < need) {
			errno = ERANGE;
			return NULL;
		}
		buf = malloc(alloc);
		if (!buf)
			return NULL;
	} else if (size < need) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, g, need);
	return buf;
}

CRP_EXPORT char *getcwd(char *buf, size_t size)
{
	if (crp_config()->rootlen == 0)
		return CRP_NEXT(getcwd)(buf, size);
	return cwd_copy_out(buf, size);
}

CRP_EXPORT char *__getcwd_chk(char *buf, size_t size, size_t buflen)
{
	if (size > buflen)
		__chk_fail();
	return getcwd(buf, size);
}

/* getwd: buf holds PATH_MAX bytes; on failure it receives the error text. */
CRP_EXPORT char *getwd(char *buf)
{
	if (crp_config()->rootlen == 0)
		return CRP_NEXT_T(char *(*)(char *), "getwd")(buf);
	if (cwd_copy_out(buf, PATH_MAX))
		return buf;
	int e = errno;
	const char *msg = strerror_r(e, buf, PATH_MAX);
	if (msg != buf) {
		size_t l = strnlen(msg, PATH_MAX - 1);
		memmove(buf, msg, l);
		buf[l] = '\0';
	}
	errno = e;
	return NULL;
}

/* glibc returns $PWD when it names the current directory (so a directory
 * entered through a symlink keeps its name), else getcwd(NULL, 0).  $PWD is
 * a guest path: it names the current directory when its resolution inside
 * the root is the kernel's current directory (both are canonical). */
CRP_EXPORT char *get_current_dir_name(void)
{
	const struct cr_config *cfg = crp_config();
	if (cfg->rootlen == 0)
		return CRP_NEXT(get_current_dir_name)();
	const char *pwd = getenv("PWD");
	if (pwd && pwd[0] == '/') {
		char host[PATH_MAX], cwd[PATH_MAX];
		int saved = errno;
		if (crp_resolve_at(AT_FDCWD, pwd, CR_FOLLOW, host) == 0 &&
		    cr_sys_getcwd(cwd, sizeof cwd) >= 0 && strcmp(host, cwd) == 0)
			return strdup(pwd);
		errno = saved;
	}
	return cwd_copy_out(NULL, 0);
}

CRP_EXPORT int chdir(const char *path)
{
	char host[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, path, CR_FOLLOW, host);
	if (e) {
		errno = e;
		return -1;
	}
	return CRP_NEXT(chdir)(host);
}

/* The canonical host path of an open directory (via /proc/self/fd), or -1:
 * the resolver's answer is canonical already except below a bind, where
 * the host's own symlinks are not read. */
static int fd_path(int fd, char *out)
{
	char link[32] = "/proc/self/fd/";
	char digits[12];
	int i = 0;
	unsigned v = (unsigned)fd;
	do
		digits[i++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	size_t l = strlen(link);
	while (i > 0)
		link[l++] = digits[--i];
	link[l] = '\0';
	ssize_t n = cr_sys_readlinkat(AT_FDCWD, link, out, PATH_MAX - 1);
	if (n <= 0 || n >= PATH_MAX - 1 || out[0] != '/')
		return -1;
	out[n] = '\0';
	return 0;
}

CRP_EXPORT int chroot(const char *path)
{
	char host[PATH_MAX], canon[PATH_MAX];
	int e = crp_resolve_at(AT_FDCWD, path, CR_FOLLOW, host);
	if (e)
		goto fail;
	/* chroot(2) errors: ENOENT, ENOTDIR, EACCES (search permission on
	 * the directory itself too), ELOOP... all from opening it. */
	int fd = cr_sys_openat(AT_FDCWD, host, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0) {
		e = -fd;
		goto fail;
	}
	const char *root = fd_path(fd, canon) == 0 ? canon : host;
	cr_sys_close(fd);
	int r = cr_sys_faccessat(AT_FDCWD, root, X_OK);
	if (r < 0) {
		e = -r;
		goto fail;
	}
	if (!cr_host_in_root(crp_config(), root)) {
		e = EPERM;
		goto fail;
	}
	e = crp_set_root(root);
	if (e)
		goto fail;
	crp_log(1, "chroot %s: root is now %s", path, root);
	return 0;
fail:
	errno = e;
	return -1;
}
