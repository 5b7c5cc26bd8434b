/* fuzz_identify.c - libFuzzer target for cr_file_identify: the input is the
 * content of a file, read through an in-memory cr_reader (the first byte
 * chooses a read chunk size, so short reads at any offset are exercised,
 * and now and then a read error).  Invariants checked: the return is 0,
 * ENOEXEC or the injected errno; a success on an ELF has a NUL-terminated
 * interpreter shorter than CR_INTERP_MAX when PT_INTERP is present; a
 * success on a #! line has a non-empty NUL-terminated interpreter and
 * argument within CR_SHEBANG_MAX, both taken from the first line.  Also
 * built into the plain replay driver (replay.c).
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cr_elf.h"
#include "../mem_reader.h"

#define CHECK(cond) do { if (!(cond)) {                                       \
	fprintf(stderr, "fuzz_identify: invariant failed: %s\n", #cond);      \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cr_fileinfo fi;
	struct memfile m;
	int rc;

	if (size < 1)
		return 0;
	memset(&m, 0, sizeof m);
	m.chunk = data[0] & 0x3f;           /* 0: whole reads */
	m.fail_at = (data[0] & 0xc0) == 0xc0 ? 1 + (data[0] & 3) : 0;
	m.p = data + 1;
	m.n = size - 1;
	/* A pattern the parser must overwrite or leave alone, never read. */
	memset(&fi, 0xa5, sizeof fi);
	rc = cr_file_identify(&(struct cr_reader){ mem_pread, &m }, &fi);
	CHECK(rc == 0 || rc == ENOEXEC || (m.fail_at && rc == EIO));
	if (rc == 0 && fi.kind == CR_FILE_ELF) {
		CHECK(m.n >= 16 && memcmp(m.p, "\177ELF", 4) == 0);
		if (fi.elf.has_interp) {
			CHECK(memchr(fi.elf.interp, '\0', CR_INTERP_MAX) != NULL);
		}
	}
	if (rc == 0 && fi.kind == CR_FILE_SCRIPT) {
		size_t il;
		CHECK(m.n >= 2 && m.p[0] == '#' && m.p[1] == '!');
		CHECK(memchr(fi.sb.interp, '\0', CR_SHEBANG_MAX) != NULL);
		il = strlen(fi.sb.interp);
		CHECK(il > 0);
		/* The interpreter comes from the first line of the file. */
		CHECK(memmem(m.p, m.n < CR_SHEBANG_MAX ? m.n : CR_SHEBANG_MAX,
		             fi.sb.interp, il) != NULL);
		CHECK(strchr(fi.sb.interp, '\n') == NULL && strchr(fi.sb.interp, ' ') == NULL);
		if (fi.sb.has_arg) {
			CHECK(memchr(fi.sb.arg, '\0', CR_SHEBANG_MAX) != NULL);
			CHECK(strchr(fi.sb.arg, '\n') == NULL);
		}
	}
	if (rc == 0 && fi.kind == CR_FILE_UNKNOWN)
		CHECK(!(m.n >= 2 && m.p[0] == '#' && m.p[1] == '!'));
	return 0;
}
