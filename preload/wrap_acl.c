/* wrap_acl.c - libacl's four file entry points, passed on untouched.
 *
 * fakeroot's library looks up, at its first call, the next definition of
 * every function it wraps, and libacl's acl_get_fd, acl_get_file,
 * acl_set_fd and acl_set_file are among them.  In a process without
 * libacl (nearly every one) those lookups fail, and glibc formats the
 * error of each failed dlsym (dlerror, gettext, asprintf): code that
 * qemu translates afresh in every emulated process, 10.6 M host
 * instructions (about 1 ms, 5.6% of a guest `sh -c 'test -e /etc'`)
 * under fakeroot.  libcrossroot comes right after libfakeroot in
 * LD_PRELOAD, so it defines them and the lookups succeed: each passes its
 * call on to the next definition (libacl's, whose own file calls go
 * through libcrossroot's path wrappers) or, when the process has no
 * libacl, fails with ENOTSUP, as libacl does on a file system without
 * ACLs.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>

#include "state.h"

/* libacl's types, without its header (not a build dependency). */
typedef void *crp_acl_t;                /* acl_t: an opaque pointer */
typedef unsigned int crp_acl_type_t;    /* acl_type_t */

typedef crp_acl_t (*crp_acl_get_fd_fn)(int);
typedef crp_acl_t (*crp_acl_get_file_fn)(const char *, crp_acl_type_t);
typedef int (*crp_acl_set_fd_fn)(int, crp_acl_t);
typedef int (*crp_acl_set_file_fn)(const char *, crp_acl_type_t, crp_acl_t);

CRP_EXPORT crp_acl_t acl_get_fd(int fd)
{
	crp_acl_get_fd_fn next = CRP_NEXT_T(crp_acl_get_fd_fn, "acl_get_fd");
	if (!next) {
		errno = ENOTSUP;
		return NULL;
	}
	return next(fd);
}

CRP_EXPORT crp_acl_t acl_get_file(const char *path, crp_acl_type_t type)
{
	crp_acl_get_file_fn next = CRP_NEXT_T(crp_acl_get_file_fn, "acl_get_file");
	if (!next) {
		errno = ENOTSUP;
		return NULL;
	}
	return next(path, type);
}

CRP_EXPORT int acl_set_fd(int fd, crp_acl_t acl)
{
	crp_acl_set_fd_fn next = CRP_NEXT_T(crp_acl_set_fd_fn, "acl_set_fd");
	if (!next) {
		errno = ENOTSUP;
		return -1;
	}
	return next(fd, acl);
}

CRP_EXPORT int acl_set_file(const char *path, crp_acl_type_t type, crp_acl_t acl)
{
	crp_acl_set_file_fn next = CRP_NEXT_T(crp_acl_set_file_fn, "acl_set_file");
	if (!next) {
		errno = ENOTSUP;
		return -1;
	}
	return next(path, type, acl);
}
