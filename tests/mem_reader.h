/* mem_reader.h - a cr_reader over bytes in memory, for the unit tests and
 * fuzz targets of the ELF readers: short reads of at most chunk bytes, and
 * read errors (every read, or the fail_at'th only) on demand.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_TEST_MEM_READER_H
#define CR_TEST_MEM_READER_H

#include <errno.h>
#include <string.h>
#include <sys/types.h>

struct memfile {
	const unsigned char *p;
	size_t n;
	int err;         /* nonzero: every read fails with -err */
	size_t chunk;    /* nonzero: at most this many bytes per read */
	int calls;       /* reads so far */
	int fail_at;     /* nonzero: read number fail_at fails with EIO */
};

/* The cr_reader's pread, ud a struct memfile. */
static inline ssize_t mem_pread(void *ud, void *buf, size_t n, off_t off)
{
	struct memfile *m = ud;
	m->calls++;
	if (m->err)
		return -m->err;
	if (m->fail_at != 0 && m->calls == m->fail_at)
		return -EIO;
	if (off < 0)
		return -EINVAL;
	if ((size_t)off >= m->n)
		return 0;
	if (n > m->n - (size_t)off)
		n = m->n - (size_t)off;
	if (m->chunk && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->p + off, n);
	return (ssize_t)n;
}

#endif
