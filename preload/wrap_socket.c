/* wrap_socket.c - Unix-domain socket addresses: bind, connect, sendto and
 * sendmsg translate an AF_UNIX pathname address; getsockname, getpeername,
 * accept, accept4, recvfrom and recvmsg map one back to the guest view.
 * Abstract (sun_path[0] == '\0') and unnamed addresses, and every other
 * family, pass through unchanged.
 *
 * A translated path longer than sun_path (108 bytes) is reached through
 * its directory: the directory is opened O_PATH and the kernel is given
 * "/proc/self/fd/N/NAME", which it resolves to the same place (the
 * descriptor is closed right after the call).  This makes connect and
 * sendto work for any length; a socket bound this way reports that
 * /proc/self/fd name to getsockname (and to its peers), which no longer
 * resolves once the call returns: limitation.  When even that form does
 * not fit, the call fails with ENAMETOOLONG.
 *
 * As fakechroot's FAKECHROOT_AF_UNIX_PATH, CROSSROOT_AF_UNIX_PATH (or
 * FAKECHROOT_AF_UNIX_PATH), when set at program start, names a host
 * directory under which every pathname socket is placed instead: guest
 * path /run/x.sock becomes DIR/run/x.sock (the directories must exist),
 * and results under DIR map back.  Processes in different roots sharing
 * DIR then meet at the same sockets.
 *
 * Not wrapped: sendmmsg/recvmmsg (batches of datagrams, not used with
 * pathname addresses by the programs a root runs).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "state.h"
#include "cr_path.h"
#include "cr_sys.h"

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)
#define SUN_MAX sizeof(((struct sockaddr_un *)0)->sun_path)

/* CROSSROOT_AF_UNIX_PATH, else FAKECHROOT_AF_UNIX_PATH, from the
 * environment snapshot (async-signal-safe), or NULL. */
static const char *sun_dir(void)
{
	static const char *const names[] = {
		"CROSSROOT_AF_UNIX_PATH=", "FAKECHROOT_AF_UNIX_PATH=",
	};
	const struct cr_env_snapshot *snap = crp_env();
	size_t n = __atomic_load_n(&snap->nkeep, __ATOMIC_ACQUIRE);
	for (size_t k = 0; k < 2; k++) {
		size_t nl = strlen(names[k]);
		for (size_t i = 0; i < n; i++) {
			const char *e = __atomic_load_n(&snap->keep[i], __ATOMIC_ACQUIRE);
			if (strncmp(e, names[k], nl) == 0 && e[nl] == '/')
				return e + nl;
		}
	}
	return NULL;
}

/* The pathname of an AF_UNIX address (NUL-terminated into path, SUN_MAX+1
 * bytes), or 0 when the address is not an AF_UNIX pathname. */
static int sun_pathname(const struct sockaddr *addr, socklen_t len, char *path)
{
	if (!addr || len <= SUN_OFF || len > sizeof(struct sockaddr_un) ||
	    addr->sa_family != AF_UNIX)
		return 0;
	const char *p = ((const struct sockaddr_un *)addr)->sun_path;
	size_t n = len - SUN_OFF;
	if (p[0] == '\0')
		return 0;                          /* abstract */
	n = strnlen(p, n);
	memcpy(path, p, n);
	path[n] = '\0';
	return 1;
}

/* The host path for a guest socket path (PATH_MAX), or an errno value. */
static int sun_host(const char *guest, int flags, char *host)
{
	const char *dir = sun_dir();
	if (!dir)
		return crp_resolve_at(AT_FDCWD, guest, flags, host);
	char cwd[PATH_MAX], abs[PATH_MAX];
	const char *base = "/";
	if (guest[0] != '/') {
		int r = crp_guest_cwd(cwd, sizeof cwd);
		if (r)
			return r;
		base = cwd;
	}
	int r = cr_guest_abspath(base, guest, abs, sizeof abs);
	if (r)
		return r;
	size_t dl = strlen(dir), al = strlen(abs);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (dl + al + 1 > PATH_MAX)
		return ENAMETOOLONG;
	memcpy(host, dir, dl);
	memcpy(host + dl, abs, al + 1);
	return 0;
}

/* A translated address ready for the kernel. */
struct sun_in {
	struct sockaddr_un sun;
	socklen_t len;
	int fd;                    /* O_PATH directory to close, or -1 */
};

static void sun_put_uint(char *s, size_t *pos, unsigned v)
{
	char d[12];
	int i = 0;
	do
		d[i++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (i > 0)
		s[(*pos)++] = d[--i];
}

/* Translate addr when it is an AF_UNIX pathname: returns 1 with *in
 * filled, 0 to pass addr through, or -errno. */
static int sun_translate(const struct sockaddr *addr, socklen_t len, int flags,
                         struct sun_in *in)
{
	char guest[SUN_MAX + 1], host[PATH_MAX];
	in->fd = -1;
	if (!sun_pathname(addr, len, guest))
		return 0;
	if (crp_config()->rootlen == 0 && !sun_dir())
		return 0;
	int e = sun_host(guest, flags, host);
	if (e)
		return -e;
	memset(&in->sun, 0, sizeof in->sun);
	in->sun.sun_family = AF_UNIX;
	size_t hl = strlen(host);
	if (hl < SUN_MAX) {
		memcpy(in->sun.sun_path, host, hl + 1);
		in->len = (socklen_t)(SUN_OFF + hl + 1);
		return 1;
	}
	/* Too long: go through an O_PATH descriptor of the directory. */
	char *slash = strrchr(host, '/');
	if (!slash || slash[1] == '\0')
		return -ENAMETOOLONG;
	const char *name = slash + 1;
	size_t nl = strlen(name);
	if (slash == host) {
		host[1] = '\0';
	} else {
		*slash = '\0';
	}
	int fd = cr_sys_openat(AT_FDCWD, host, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	char *s = in->sun.sun_path;
	size_t pos = 0;
	memcpy(s, "/proc/self/fd/", 14);
	pos = 14;
	sun_put_uint(s, &pos, (unsigned)fd);
	if (pos + 1 + nl >= SUN_MAX) {
		cr_sys_close(fd);
		return -ENAMETOOLONG;
	}
	s[pos++] = '/';
	memcpy(s + pos, name, nl + 1);
	in->len = (socklen_t)(SUN_OFF + pos + nl + 1);
	in->fd = fd;
	return 1;
}

static void sun_done(struct sun_in *in)
{
	if (in->fd >= 0)
		cr_sys_close(in->fd);
}

/* Give a kernel-returned address (k, klen) to the caller's (addr, *alen)
 * in the guest view, with the kernel's truncation rules: at most the
 * caller's size is copied, *alen gets the full length. */
static void sun_out(const struct sockaddr_storage *k, socklen_t klen,
                    struct sockaddr *addr, socklen_t *alen)
{
	struct sockaddr_un g;
	const void *src = k;
	socklen_t slen = klen;
	char host[SUN_MAX + 1];
	if ((crp_config()->rootlen != 0 || sun_dir()) &&
	    sun_pathname((const struct sockaddr *)k, klen, host)) {
		const char *dir = sun_dir();
		size_t dl = dir ? strlen(dir) : 0;
		while (dl > 1 && dir[dl - 1] == '/')
			dl--;
		char guest[PATH_MAX];
		const char *gp = guest;
		if (dir && strncmp(host, dir, dl) == 0 && host[dl] == '/')
			gp = host + dl;
		else if (crp_unmap(host, guest, sizeof guest) != 0)
			gp = host;
		size_t gl = strlen(gp);
		if (gl < SUN_MAX) {
			memset(&g, 0, sizeof g);
			g.sun_family = AF_UNIX;
			memcpy(g.sun_path, gp, gl + 1);
			src = &g;
			slen = (socklen_t)(SUN_OFF + gl + 1);
		}
	}
	socklen_t n = *alen < slen ? *alen : slen;
	memcpy(addr, src, n);
	*alen = slen;
}

/* ------------------------------------------------------------ inbound */

#define SUN_CALL_IN(FLAGS, ADDR, LEN, CALL)                                     \
	do {                                                                    \
		struct sun_in in_;                                              \
		int t_ = sun_translate(ADDR, LEN, FLAGS, &in_);                 \
		if (t_ < 0) {                                                   \
			errno = -t_;                                            \
			return -1;                                              \
		}                                                               \
		if (t_ > 0) {                                                   \
			ADDR = (const struct sockaddr *)&in_.sun;               \
			LEN = in_.len;                                          \
		}                                                               \
		__auto_type r_ = CALL;                                          \
		int e_ = errno;                                                 \
		sun_done(&in_);                                                 \
		errno = e_;                                                     \
		return r_;                                                      \
	} while (0)

/* bind creates the name: a final symlink is not followed (EADDRINUSE). */
CRP_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	SUN_CALL_IN(0, addr, len, CRP_NEXT(bind)(fd, addr, len));
}

CRP_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	SUN_CALL_IN(CR_FOLLOW, addr, len, CRP_NEXT(connect)(fd, addr, len));
}

CRP_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
                          const struct sockaddr *addr, socklen_t len)
{
	SUN_CALL_IN(CR_FOLLOW, addr, len, CRP_NEXT(sendto)(fd, buf, n, flags, addr, len));
}

typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);
typedef ssize_t (*recvmsg_fn)(int, struct msghdr *, int);

static ssize_t sun_sendmsg(sendmsg_fn real, int fd, const struct msghdr *msg, int flags)
{
	struct sun_in in;
	int t = msg ? sun_translate(msg->msg_name, msg->msg_namelen, CR_FOLLOW, &in) : 0;
	if (t < 0) {
		errno = -t;
		return -1;
	}
	if (t == 0)
		return real(fd, msg, flags);
	struct msghdr m = *msg;
	m.msg_name = &in.sun;
	m.msg_namelen = in.len;
	ssize_t r = real(fd, &m, flags);
	int e = errno;
	sun_done(&in);
	errno = e;
	return r;
}

CRP_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return sun_sendmsg(CRP_NEXT(sendmsg), fd, msg, flags);
}

/* ------------------------------------------------------------ outbound */

/* Run CALL with a kernel-sized address buffer, then map it into the
 * caller's.  A NULL address (or length) passes through. */
#define SUN_CALL_OUT(RET_T, ADDR, ALEN, CALL_LOCAL, CALL_DIRECT)                \
	do {                                                                    \
		if (!(ADDR) || !(ALEN) ||                                       \
		    (crp_config()->rootlen == 0 && !sun_dir()))                 \
			return CALL_DIRECT;                                     \
		struct sockaddr_storage k_;                                     \
		socklen_t klen_ = sizeof k_;                                    \
		RET_T r_ = CALL_LOCAL;                                          \
		if (r_ >= 0) {                                                  \
			int e_ = errno;                                         \
			sun_out(&k_, klen_, ADDR, ALEN);                        \
			errno = e_;                                             \
		}                                                               \
		return r_;                                                      \
	} while (0)

CRP_EXPORT int getsockname(int fd, struct sockaddr *addr, socklen_t *alen)
{
	SUN_CALL_OUT(int, addr, alen,
	             CRP_NEXT(getsockname)(fd, (struct sockaddr *)&k_, &klen_),
	             CRP_NEXT(getsockname)(fd, addr, alen));
}

CRP_EXPORT int getpeername(int fd, struct sockaddr *addr, socklen_t *alen)
{
	SUN_CALL_OUT(int, addr, alen,
	             CRP_NEXT(getpeername)(fd, (struct sockaddr *)&k_, &klen_),
	             CRP_NEXT(getpeername)(fd, addr, alen));
}

CRP_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *alen)
{
	SUN_CALL_OUT(int, addr, alen,
	             CRP_NEXT(accept)(fd, (struct sockaddr *)&k_, &klen_),
	             CRP_NEXT(accept)(fd, addr, alen));
}

CRP_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *alen, int flags)
{
	SUN_CALL_OUT(int, addr, alen,
	             CRP_NEXT(accept4)(fd, (struct sockaddr *)&k_, &klen_, flags),
	             CRP_NEXT(accept4)(fd, addr, alen, flags));
}

CRP_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
                            struct sockaddr *addr, socklen_t *alen)
{
	SUN_CALL_OUT(ssize_t, addr, alen,
	             CRP_NEXT(recvfrom)(fd, buf, n, flags, (struct sockaddr *)&k_, &klen_),
	             CRP_NEXT(recvfrom)(fd, buf, n, flags, addr, alen));
}

static ssize_t sun_recvmsg(recvmsg_fn real, int fd, struct msghdr *msg, int flags)
{
	if (!msg || !msg->msg_name || (crp_config()->rootlen == 0 && !sun_dir()))
		return real(fd, msg, flags);
	struct sockaddr_storage k;
	void *name = msg->msg_name;
	socklen_t alen = msg->msg_namelen;
	msg->msg_name = &k;
	msg->msg_namelen = sizeof k;
	ssize_t r = real(fd, msg, flags);
	int e = errno;
	socklen_t klen = msg->msg_namelen;
	msg->msg_name = name;
	msg->msg_namelen = alen;
	if (r >= 0)
		sun_out(&k, klen, name, &msg->msg_namelen);
	errno = e;
	return r;
}

CRP_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	return sun_recvmsg(CRP_NEXT(recvmsg), fd, msg, flags);
}

/* 32-bit programs built with _TIME_BITS=64 (glibc >= 2.34) call these
 * instead (same struct msghdr; the control data differs, untouched). */
#if defined(__TIMESIZE) && __TIMESIZE == 32 && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
ssize_t __sendmsg64(int fd, const struct msghdr *msg, int flags);
ssize_t __recvmsg64(int fd, struct msghdr *msg, int flags);

CRP_EXPORT ssize_t __sendmsg64(int fd, const struct msghdr *msg, int flags)
{
	return sun_sendmsg(CRP_NEXT_T(sendmsg_fn, "__sendmsg64"), fd, msg, flags);
}

CRP_EXPORT ssize_t __recvmsg64(int fd, struct msghdr *msg, int flags)
{
	return sun_recvmsg(CRP_NEXT_T(recvmsg_fn, "__recvmsg64"), fd, msg, flags);
}
#endif
