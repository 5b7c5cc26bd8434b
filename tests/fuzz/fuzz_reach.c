/* fuzz_reach.c - libFuzzer target for the dynamic-section walk
 * (cr_elf_walk_dynamic) and the preload reachability check on top of it
 * (cr_program_may_reach): the input is the content of a file, read
 * through an in-memory cr_reader (the first byte chooses a read chunk
 * size and now and then a read error, and the scratch buffer: small, to
 * exercise EFBIG, or 4 KiB).  Invariants checked: the walk returns 0,
 * ENOEXEC, EFBIG or the injected errno; every name it reports is a
 * NUL-terminated string shorter than the buffer; the check answers 0 or 1,
 * and 1 whenever the walk failed or saw a needed library other than
 * libc.so.6, a symbol named "open" (the stand-in preload's export) or one
 * that sees the environment or loads code; the walk to the end
 * (CR_REACH_WALK_ALL) gives the same answer.  Also built into the plain
 * replay driver (replay.c).
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
#include "cr_reach.h"

#define CHECK(cond) do { if (!(cond)) {                                       \
	fprintf(stderr, "fuzz_reach: invariant failed: %s\n", #cond);         \
	abort(); } } while (0)

struct seen {
	size_t bufsz;
	int reaching;     /* a name that must make the check answer 1 */
};

static void name_ok(const struct seen *s, const char *name)
{
	CHECK(name != NULL);
	CHECK(memchr(name, '\0', s->bufsz) != NULL);
}

static int on_needed(void *ud, const char *name)
{
	struct seen *s = ud;
	name_ok(s, name);
	if (strcmp(name, "libc.so.6") != 0)
		s->reaching = 1;
	return 0;
}

static int on_symbol(void *ud, const char *name, int defined, int bind, int type)
{
	struct seen *s = ud;
	(void)defined;
	(void)bind;
	(void)type;
	name_ok(s, name);
	if (strcmp(name, "open") == 0 || cr_symbol_sees_env_or_loads(name))
		s->reaching = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	static struct cr_symset set;
	struct memfile m;

	if (size < 1)
		return 0;
	if (set.n == 0) {
		set.hash[0] = cr_symbol_hash("open");
		set.n = 1;
	}
	memset(&m, 0, sizeof m);
	m.chunk = data[0] & 0x1f;           /* 0: whole reads */
	m.fail_at = (data[0] & 0xc0) == 0xc0 ? 1 + (data[0] & 3) : 0;
	size_t bufsz = data[0] & 0x20 ? 48 : sizeof buf;
	m.p = data + 1;
	m.n = size - 1;
	struct cr_reader r = { mem_pread, &m };

	struct seen s = { bufsz, 0 };
	struct cr_dynamic_visitor v = { on_needed, on_symbol, &s };
	int walk = cr_elf_walk_dynamic(&r, &v, buf, bufsz);
	CHECK(walk == 0 || walk == ENOEXEC || walk == EFBIG || (m.fail_at && walk == EIO));

	const struct cr_symset *sets[] = { &set };
	m.calls = 0;
	int reach = cr_program_may_reach(&r, NULL, sets, 1, 0, buf, bufsz);
	CHECK(reach == 0 || reach == 1);
	if (walk != 0 || s.reaching)
		CHECK(reach == 1);
	m.calls = 0;
	CHECK(cr_program_may_reach(&r, NULL, sets, 1, CR_REACH_WALK_ALL, buf, bufsz) == reach);
	return 0;
}
