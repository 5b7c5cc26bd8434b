/* test_elf.c - unit tests of executable identification (src/cr_elf.c).
 *
 * ELF images are synthesised in memory for every architecture row, both
 * classes and both byte orders, then truncated and corrupted field by field;
 * each good image is also read with libelf and both readings must agree.
 * #! lines are checked against the kernel's rules (blanks, the single
 * argument, the 256-byte buffer, truncated interpreter names).  Real
 * programs are checked too: this test binary and /bin/sh, and programs
 * cross-compiled at test time with aarch64/arm/armhf gcc when installed
 * (those cases print SKIP otherwise).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_arch.h"
#include "cr_elf.h"
#include "../mem_reader.h"

/* ------------------------------------------------------------ readers */

static int ident_mem(const void *p, size_t n, struct cr_fileinfo *fi)
{
	struct memfile m = { .p = p, .n = n };
	struct cr_reader r = { mem_pread, &m };
	return cr_file_identify(&r, fi);
}

static ssize_t fd_pread(void *ud, void *buf, size_t n, off_t off)
{
	ssize_t k = pread(*(int *)ud, buf, n, off);
	return k < 0 ? -errno : k;
}

static int ident_file(const char *path, struct cr_fileinfo *fi)
{
	int fd = open(path, O_RDONLY);
	struct cr_reader r = { fd_pread, &fd };
	int err;
	ck_assert_msg(fd >= 0, "open %s", path);
	err = cr_file_identify(&r, fi);
	close(fd);
	return err;
}

/* ----------------------------------------------------- ELF synthesis */

struct synth {
	unsigned char cls, data;
	unsigned short type, machine;
	unsigned flags;
	const char *interp;      /* NULL: no PT_INTERP */
	unsigned nph;            /* program headers (PT_LOAD but the interp one) */
	unsigned interp_idx;     /* index of PT_INTERP among them */
};

static void put(unsigned char *b, size_t off, unsigned long long v, int width, int msb)
{
	for (int i = 0; i < width; i++) {
		int shift = msb ? 8 * (width - 1 - i) : 8 * i;
		b[off + i] = (unsigned char)(v >> shift);
	}
}

#define IS64(s) ((s)->cls == ELFCLASS64)
#define MSB(s) ((s)->data == ELFDATA2MSB)
#define EOFF(s, f) (IS64(s) ? offsetof(Elf64_Ehdr, f) : offsetof(Elf32_Ehdr, f))
#define POFF(s, f) (IS64(s) ? offsetof(Elf64_Phdr, f) : offsetof(Elf32_Phdr, f))
#define AW(s) (IS64(s) ? 8 : 4)
#define EHSIZE(s) (IS64(s) ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))
#define PHSIZE(s) (IS64(s) ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))

static void set_e(const struct synth *s, unsigned char *b, size_t off, int width,
                  unsigned long long v)
{
	put(b, off, v, width, MSB(s));
}

/* Build the image; returns its size. */
static size_t mk_elf(unsigned char *b, size_t cap, const struct synth *s)
{
	size_t eh = EHSIZE(s), ph = PHSIZE(s);
	unsigned nph = s->nph ? s->nph : (s->interp ? 2 : 1);
	size_t strtab = eh + nph * ph;
	size_t ilen = s->interp ? strlen(s->interp) + 1 : 0;
	size_t total = strtab + ilen + 16;

	ck_assert_uint_le(total, cap);
	memset(b, 0, total);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = s->cls;
	b[EI_DATA] = s->data;
	b[EI_VERSION] = EV_CURRENT;
	set_e(s, b, EOFF(s, e_type), 2, s->type);
	set_e(s, b, EOFF(s, e_machine), 2, s->machine);
	set_e(s, b, EOFF(s, e_version), 4, EV_CURRENT);
	set_e(s, b, EOFF(s, e_entry), AW(s), 0x1000);
	set_e(s, b, EOFF(s, e_phoff), AW(s), eh);
	set_e(s, b, EOFF(s, e_flags), 4, s->flags);
	set_e(s, b, EOFF(s, e_ehsize), 2, eh);
	set_e(s, b, EOFF(s, e_phentsize), 2, ph);
	set_e(s, b, EOFF(s, e_phnum), 2, nph);
	for (unsigned i = 0; i < nph; i++) {
		unsigned char *p = b + eh + i * ph;
		int is_interp = s->interp && i == s->interp_idx;
		set_e(s, p, POFF(s, p_type), 4, is_interp ? PT_INTERP : PT_LOAD);
		set_e(s, p, POFF(s, p_offset), AW(s), is_interp ? strtab : 0);
		set_e(s, p, POFF(s, p_filesz), AW(s), is_interp ? ilen : total);
		set_e(s, p, POFF(s, p_memsz), AW(s), is_interp ? ilen : total);
		set_e(s, p, POFF(s, p_align), AW(s), is_interp ? 1 : 0x1000);
	}
	if (s->interp)
		memcpy(b + strtab, s->interp, ilen);
	return total;
}

/* Offset of a field of program header i. */
static size_t phfield(const struct synth *s, unsigned i, size_t field_off)
{
	return EHSIZE(s) + i * PHSIZE(s) + field_off;
}

/* libelf must read the same identity and PT_INTERP as cr_file_identify. */
static void agree_with_libelf(Elf *elf, const struct cr_fileinfo *fi)
{
	GElf_Ehdr eh;
	size_t phnum;
	int found = 0;

	ck_assert_ptr_nonnull(elf);
	ck_assert_int_eq(elf_kind(elf), ELF_K_ELF);
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	ck_assert_int_eq(fi->kind, CR_FILE_ELF);
	ck_assert_int_eq(eh.e_ident[EI_CLASS], fi->elf.elfclass);
	ck_assert_int_eq(eh.e_ident[EI_DATA], fi->elf.data);
	ck_assert_int_eq(eh.e_machine, fi->elf.machine);
	ck_assert_int_eq(eh.e_type, fi->elf.type);
	ck_assert_uint_eq(eh.e_flags, fi->elf.flags);
	ck_assert_int_eq(elf_getphdrnum(elf, &phnum), 0);
	for (size_t i = 0; i < phnum && !found; i++) {
		GElf_Phdr ph;
		size_t rawsz;
		const char *raw;
		ck_assert_ptr_nonnull(gelf_getphdr(elf, (int)i, &ph));
		if (ph.p_type != PT_INTERP)
			continue;
		found = 1;
		raw = elf_rawfile(elf, &rawsz);
		ck_assert_ptr_nonnull(raw);
		ck_assert_uint_le(ph.p_offset + ph.p_filesz, rawsz);
		ck_assert_int_eq(fi->elf.has_interp, 1);
		ck_assert_str_eq(fi->elf.interp, raw + ph.p_offset);
	}
	if (!found)
		ck_assert_int_eq(fi->elf.has_interp, 0);
}

static void agree_mem(const unsigned char *img, size_t n, const struct cr_fileinfo *fi)
{
	char *copy = malloc(n);
	Elf *elf;
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, img, n);
	ck_assert(elf_version(EV_CURRENT) != EV_NONE);
	elf = elf_memory(copy, n);
	agree_with_libelf(elf, fi);
	elf_end(elf);
	free(copy);
}

static void agree_file(const char *path, const struct cr_fileinfo *fi)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;
	ck_assert_int_ge(fd, 0);
	ck_assert(elf_version(EV_CURRENT) != EV_NONE);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	agree_with_libelf(elf, fi);
	elf_end(elf);
	close(fd);
}

static struct synth synth_for(const struct cr_arch *a, const char *interp)
{
	struct synth s = { a->elfclass, a->data, ET_DYN, a->machine, 0, interp, 0, 1 };
	if (a->armfloat == CR_FLOAT_HARD)
		s.flags = 0x05000400;
	else if (a->armfloat == CR_FLOAT_SOFT)
		s.flags = 0x05000200;
	return s;
}

/* ------------------------------------------------------- ELF: good */

/* Loop over every row: dynamic and static images identify as that row. */
START_TEST(elf_every_arch)
{
	const struct cr_arch *a = &cr_arch_table[_i];
	unsigned char img[1024];
	struct cr_fileinfo fi;
	struct synth s = synth_for(a, a->loader);
	size_t n = mk_elf(img, sizeof img, &s);

	ck_assert_int_eq(ident_mem(img, n, &fi), 0);
	ck_assert_int_eq(fi.kind, CR_FILE_ELF);
	ck_assert_int_eq(fi.elf.elfclass, a->elfclass);
	ck_assert_int_eq(fi.elf.data, a->data);
	ck_assert_int_eq(fi.elf.machine, a->machine);
	ck_assert_int_eq(fi.elf.type, ET_DYN);
	ck_assert_uint_eq(fi.elf.flags, s.flags);
	ck_assert_int_eq(fi.elf.has_interp, 1);
	ck_assert_str_eq(fi.elf.interp, a->loader);
	ck_assert_ptr_eq(cr_arch_from_elf(&fi.elf), a);
	agree_mem(img, n, &fi);

	s = synth_for(a, NULL);
	s.type = ET_EXEC;
	n = mk_elf(img, sizeof img, &s);
	ck_assert_int_eq(ident_mem(img, n, &fi), 0);
	ck_assert_int_eq(fi.kind, CR_FILE_ELF);
	ck_assert_int_eq(fi.elf.type, ET_EXEC);
	ck_assert_int_eq(fi.elf.has_interp, 0);
	ck_assert_ptr_eq(cr_arch_from_elf(&fi.elf), a);
	agree_mem(img, n, &fi);
}
END_TEST

/* Both classes x both byte orders, with a machine number that needs both
 * bytes and flags that need all four, to catch byte-order mistakes. */
START_TEST(elf_class_and_order)
{
	static const unsigned char cls[2] = { ELFCLASS32, ELFCLASS64 };
	static const unsigned char dat[2] = { ELFDATA2LSB, ELFDATA2MSB };
	for (int c = 0; c < 2; c++) {
		for (int d = 0; d < 2; d++) {
			struct synth s = { cls[c], dat[d], ET_EXEC, 0x1234, 0x89abcdefu,
			                   "/lib/ld-test.so.1", 3, 2 };
			unsigned char img[1024];
			struct cr_fileinfo fi;
			size_t n = mk_elf(img, sizeof img, &s);
			ck_assert_int_eq(ident_mem(img, n, &fi), 0);
			ck_assert_int_eq(fi.elf.elfclass, cls[c]);
			ck_assert_int_eq(fi.elf.data, dat[d]);
			ck_assert_int_eq(fi.elf.machine, 0x1234);
			ck_assert_uint_eq(fi.elf.flags, 0x89abcdefu);
			ck_assert_str_eq(fi.elf.interp, "/lib/ld-test.so.1");
			ck_assert_ptr_null(cr_arch_from_elf(&fi.elf));
			agree_mem(img, n, &fi);
		}
	}
}
END_TEST

/* Many program headers (read in several chunks), PT_INTERP late. */
START_TEST(elf_many_phdrs)
{
	const struct cr_arch *a = cr_arch_by_name("arm64");
	unsigned char img[8192];
	struct cr_fileinfo fi;
	struct synth s = synth_for(a, a->loader);
	s.nph = 70;
	s.interp_idx = 66;
	size_t n = mk_elf(img, sizeof img, &s);
	ck_assert_int_eq(ident_mem(img, n, &fi), 0);
	ck_assert_int_eq(fi.elf.has_interp, 1);
	ck_assert_str_eq(fi.elf.interp, a->loader);
	agree_mem(img, n, &fi);

	/* A second PT_INTERP is ignored, as the kernel does. */
	size_t second = phfield(&s, 68, POFF(&s, p_type));
	put(img, second, PT_INTERP, 4, 0);
	put(img, phfield(&s, 68, POFF(&s, p_offset)), 0x7fffffff, 8, 0);
	ck_assert_int_eq(ident_mem(img, n, &fi), 0);
	ck_assert_str_eq(fi.elf.interp, a->loader);
}
END_TEST

/* Reads that return one byte at a time give the same answer. */
START_TEST(elf_short_reads)
{
	const struct cr_arch *a = cr_arch_by_name("armhf");
	unsigned char img[1024];
	struct cr_fileinfo fi;
	struct synth s = synth_for(a, a->loader);
	size_t n = mk_elf(img, sizeof img, &s);
	struct memfile m = { .p = img, .n = n, .chunk = 1 };
	struct cr_reader r = { mem_pread, &m };
	ck_assert_int_eq(cr_file_identify(&r, &fi), 0);
	ck_assert_str_eq(fi.elf.interp, a->loader);
	ck_assert_ptr_eq(cr_arch_from_elf(&fi.elf), a);
	ck_assert_int_gt(m.calls, (int)n / 2);
}
END_TEST

START_TEST(read_error)
{
	unsigned char img[64] = { 0 };
	struct memfile m = { .p = img, .n = sizeof img, .err = EIO };
	struct cr_reader r = { mem_pread, &m };
	struct cr_fileinfo fi;
	ck_assert_int_eq(cr_file_identify(&r, &fi), EIO);
}
END_TEST

/* ---------------------------------------------------- ELF: corrupt */

/* Each variant of a good 64-bit LSB and 32-bit MSB image must be ENOEXEC,
 * reported as ELF. */
static void expect_corrupt(const unsigned char *img, size_t n, const char *what)
{
	struct cr_fileinfo fi;
	int err = ident_mem(img, n, &fi);
	ck_assert_msg(err == ENOEXEC, "%s: got %d, want ENOEXEC", what, err);
	ck_assert_int_eq(fi.kind, CR_FILE_ELF);
}

START_TEST(elf_corrupt)
{
	static const unsigned char cls[2] = { ELFCLASS64, ELFCLASS32 };
	static const unsigned char dat[2] = { ELFDATA2LSB, ELFDATA2MSB };
	for (int v = 0; v < 2; v++) {
		struct synth s = { cls[v], dat[v], ET_DYN, EM_AARCH64, 0,
		                   "/lib/ld-linux-aarch64.so.1", 3, 1 };
		unsigned char good[1024], img[1024];
		size_t n = mk_elf(good, sizeof good, &s);
		size_t ioff = phfield(&s, 1, POFF(&s, p_offset));
		size_t isz = phfield(&s, 1, POFF(&s, p_filesz));
		size_t strtab = EHSIZE(&s) + 3 * PHSIZE(&s);

#define VARIANT(what, stmt, len) do { \
		memcpy(img, good, n); stmt; expect_corrupt(img, (len), what); } while (0)
		VARIANT("bad class", img[EI_CLASS] = 3, n);
		VARIANT("class none", img[EI_CLASS] = ELFCLASSNONE, n);
		VARIANT("bad data", img[EI_DATA] = 0, n);
		VARIANT("bad ident version", img[EI_VERSION] = 2, n);
		VARIANT("bad e_version", set_e(&s, img, EOFF(&s, e_version), 4, 7), n);
		VARIANT("magic only", (void)0, 4);
		VARIANT("ident only", (void)0, EI_NIDENT);
		VARIANT("header cut", (void)0, EHSIZE(&s) - 1);
		VARIANT("small e_ehsize", set_e(&s, img, EOFF(&s, e_ehsize), 2, 20), n);
		VARIANT("phentsize", set_e(&s, img, EOFF(&s, e_phentsize), 2, PHSIZE(&s) + 8), n);
		VARIANT("phnum PN_XNUM", set_e(&s, img, EOFF(&s, e_phnum), 2, 0xffff), n);
		VARIANT("phoff past end", set_e(&s, img, EOFF(&s, e_phoff), AW(&s), 5000), n);
		VARIANT("phoff huge", set_e(&s, img, EOFF(&s, e_phoff), AW(&s),
		                            IS64(&s) ? 0xfffffffffffffff0ull : 0xfffffff0u), n);
		VARIANT("phdrs cut", (void)0, EHSIZE(&s) + 2 * PHSIZE(&s) + 3);
		VARIANT("interp past end", set_e(&s, img, ioff, AW(&s), 4000), n);
		VARIANT("interp cut", (void)0, strtab + 5);
		VARIANT("interp no NUL", img[strtab + strlen(s.interp)] = 'x', n);
		VARIANT("interp size 0", set_e(&s, img, isz, AW(&s), 0), n);
		VARIANT("interp size 1", set_e(&s, img, isz, AW(&s), 1), n);
		VARIANT("interp empty", img[strtab] = '\0', n);
		VARIANT("interp too long", set_e(&s, img, isz, AW(&s), CR_INTERP_MAX + 1), n);
#undef VARIANT
	}
}
END_TEST

START_TEST(elf_interp_limits)
{
	struct synth s = { ELFCLASS64, ELFDATA2LSB, ET_DYN, EM_X86_64, 0, NULL, 2, 1 };
	char longest[CR_INTERP_MAX], toolong[CR_INTERP_MAX + 1];
	unsigned char img[2048];
	struct cr_fileinfo fi;
	size_t n;

	memset(longest, 'a', sizeof longest - 1);
	longest[0] = '/';
	longest[sizeof longest - 1] = '\0';
	s.interp = longest;               /* 255 chars + NUL: fits exactly */
	n = mk_elf(img, sizeof img, &s);
	ck_assert_int_eq(ident_mem(img, n, &fi), 0);
	ck_assert_str_eq(fi.elf.interp, longest);

	memset(toolong, 'a', sizeof toolong - 1);
	toolong[0] = '/';
	toolong[sizeof toolong - 1] = '\0';
	s.interp = toolong;
	n = mk_elf(img, sizeof img, &s);
	ck_assert_int_eq(ident_mem(img, n, &fi), ENOEXEC);

	/* No program headers at all (a relocatable object): no interp. */
	s.interp = NULL;
	s.type = ET_REL;
	n = mk_elf(img, sizeof img, &s);
	set_e(&s, img, EOFF(&s, e_phnum), 2, 0);
	set_e(&s, img, EOFF(&s, e_phoff), 8, 0);
	ck_assert_int_eq(ident_mem(img, n, &fi), 0);
	ck_assert_int_eq(fi.elf.type, ET_REL);
	ck_assert_int_eq(fi.elf.has_interp, 0);
}
END_TEST

/* ------------------------------------------------------------ unknown */

START_TEST(unknown_files)
{
	static const char *const cases[] = { "", "h", "#", "hello world\n",
	                                     "\177EL", "\177ELG....", " #!/bin/sh\n",
	                                     "!#/bin/sh\n" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cr_fileinfo fi;
		fi.kind = CR_FILE_ELF;
		ck_assert_int_eq(ident_mem(cases[i], strlen(cases[i]), &fi), 0);
		ck_assert_msg(fi.kind == CR_FILE_UNKNOWN, "case %zu", i);
	}
}
END_TEST

/* ------------------------------------------------------------ #! */

static void sb_ok(const char *text, size_t len, const char *interp, const char *arg)
{
	struct cr_fileinfo fi;
	int err = ident_mem(text, len, &fi);
	ck_assert_msg(err == 0, "'%.40s': error %d", text, err);
	ck_assert_int_eq(fi.kind, CR_FILE_SCRIPT);
	ck_assert_str_eq(fi.sb.interp, interp);
	if (arg == NULL) {
		ck_assert_int_eq(fi.sb.has_arg, 0);
	} else {
		ck_assert_int_eq(fi.sb.has_arg, 1);
		ck_assert_str_eq(fi.sb.arg, arg);
	}
}

static void sb_err(const char *text, size_t len, int want)
{
	struct cr_fileinfo fi;
	int err = ident_mem(text, len, &fi);
	ck_assert_msg(err == want, "'%.40s': got %d want %d", text, err, want);
	ck_assert_int_eq(fi.kind, CR_FILE_SCRIPT);
}

#define SB_OK(t, i, a) sb_ok(t, sizeof(t) - 1, i, a)
#define SB_ERR(t, e) sb_err(t, sizeof(t) - 1, e)

START_TEST(shebang_basic)
{
	SB_OK("#!/bin/sh\necho hi\n", "/bin/sh", NULL);
	SB_OK("#! /bin/sh -e \n", "/bin/sh", "-e");
	SB_OK("#!/usr/bin/env python3 -u -x\nprint()\n", "/usr/bin/env", "python3 -u -x");
	SB_OK("#!\t/bin/bash\t-x\t\n", "/bin/bash", "-x");
	SB_OK("#!/bin/sh", "/bin/sh", NULL);                 /* no newline, EOF */
	/* No newline: the kernel's buffer is NUL-padded and blanks are only
	 * trimmed before its last byte, so trailing blanks at EOF make an
	 * empty argument (Linux does pass "" here). */
	SB_OK("#!/bin/sh   ", "/bin/sh", "");
	SB_OK("#!/bin/sh   \n", "/bin/sh", NULL);
	SB_OK("#!relative/interp arg\n", "relative/interp", "arg");
	SB_OK("#!/bin/sh\r\n", "/bin/sh\r", NULL);           /* CRLF: as the kernel */
	SB_OK("#!/bin/sh -a  -b\n", "/bin/sh", "-a  -b");
	/* NUL ends the name; after a blank, an empty argument. */
	SB_OK("#!/bin/sh\0 -x\n", "/bin/sh", NULL);
	SB_OK("#!/bin/sh \0x\n", "/bin/sh", "");
	SB_OK("#!/bin/sh -x\0y\n", "/bin/sh", "-x");
	SB_ERR("#!\n", ENOEXEC);
	SB_ERR("#!   \t \n/bin/sh\n", ENOEXEC);
	SB_ERR("#!", ENOEXEC);
	SB_ERR("#!  ", ENOEXEC);
}
END_TEST

START_TEST(shebang_buffer_limit)
{
	char t[600];
	char want[300];

	/* Argument running past the 256-byte buffer: cut at byte 255. */
	memset(t, 'x', sizeof t);
	memcpy(t, "#!/bin/sh ", 10);
	memset(want, 'x', 245);
	want[245] = '\0';
	sb_ok(t, sizeof t, "/bin/sh", want);
	/* Newline at byte 255 (the last of the buffer) or 256 (outside). */
	t[255] = '\n';
	sb_ok(t, 256, "/bin/sh", want);
	t[255] = 'x';
	t[256] = '\n';
	sb_ok(t, sizeof t, "/bin/sh", want);
	/* Blanks at the cut are trimmed. */
	memset(t + 250, ' ', 10);
	want[240] = '\0';
	sb_ok(t, sizeof t, "/bin/sh", want);

	/* Interpreter name running to the end of the buffer: ENOEXEC. */
	memset(t, 'a', sizeof t);
	memcpy(t, "#!/", 3);
	sb_err(t, sizeof t, ENOEXEC);
	sb_err(t, 256, ENOEXEC);
	/* ... even after leading blanks. */
	memset(t + 2, ' ', 20);
	sb_err(t, sizeof t, ENOEXEC);
	/* Name ending at byte 254 with a blank at 255: accepted. */
	memset(t, 'a', sizeof t);
	memcpy(t, "#!/", 3);
	t[255] = ' ';
	memset(want, 'a', 253);
	want[0] = '/';
	want[253] = '\0';
	sb_ok(t, sizeof t, want, NULL);
	/* ... and with the file ending right after the name (NUL-padded). */
	sb_ok(t, 255, want, NULL);
	/* Only blanks in the whole buffer. */
	memset(t, ' ', sizeof t);
	memcpy(t, "#!", 2);
	sb_err(t, sizeof t, ENOEXEC);
}
END_TEST

/* ------------------------------------------------------- real programs */

START_TEST(real_host_programs)
{
	static const char *const paths[] = { "/proc/self/exe", "/bin/sh" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct cr_fileinfo fi;
		ck_assert_int_eq(ident_file(paths[i], &fi), 0);
		ck_assert_int_eq(fi.kind, CR_FILE_ELF);
		agree_file(paths[i], &fi);
		ck_assert_ptr_eq(cr_arch_from_elf(&fi.elf), cr_arch_self());
	}
}
END_TEST

static const struct {
	const char *triplet, *debian;
	int is_static;
} cross[] = {
	{ "aarch64-linux-gnu", "arm64", 0 },
	{ "aarch64-linux-gnu", "arm64", 1 },
	{ "arm-linux-gnueabi", "armel", 0 },
	{ "arm-linux-gnueabi", "armel", 1 },
	{ "arm-linux-gnueabihf", "armhf", 0 },
	{ "arm-linux-gnueabihf", "armhf", 1 },
};

static int run(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(real_cross_programs)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], src[4200], out[4200], cmd[9000];
	const struct cr_arch *a = cr_arch_by_name(cross[_i].debian);
	struct cr_fileinfo fi;
	FILE *f;

	ck_assert_ptr_nonnull(a);
	snprintf(cmd, sizeof cmd, "%s-gcc --version >/dev/null 2>&1", cross[_i].triplet);
	if (run(cmd) != 0) {
		printf("SKIP: %s-gcc not installed: no real %s program checked\n",
		       cross[_i].triplet, cross[_i].debian);
		return;
	}
	snprintf(dir, sizeof dir, "%s/cr-test-elf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(src, sizeof src, "%s/t.c", dir);
	snprintf(out, sizeof out, "%s/t", dir);
	f = fopen(src, "w");
	ck_assert_ptr_nonnull(f);
	fputs("int main(void) { return 0; }\n", f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(cmd, sizeof cmd, "%s-gcc %s -o '%s' '%s' 2>/dev/null",
	         cross[_i].triplet, cross[_i].is_static ? "-static" : "", out, src);
	if (run(cmd) != 0) {
		printf("SKIP: %s-gcc %s cannot link a program\n", cross[_i].triplet,
		       cross[_i].is_static ? "-static" : "");
		unlink(src);
		rmdir(dir);
		return;
	}
	ck_assert_int_eq(ident_file(out, &fi), 0);
	ck_assert_int_eq(fi.kind, CR_FILE_ELF);
	agree_file(out, &fi);
	ck_assert_ptr_eq(cr_arch_from_elf(&fi.elf), a);
	ck_assert_int_eq(fi.elf.has_interp, !cross[_i].is_static);
	if (!cross[_i].is_static)
		ck_assert_str_eq(fi.elf.interp, a->loader);
	unlink(out);
	unlink(src);
	rmdir(dir);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("cr_elf");
	TCase *tc = tcase_create("elf");
	tcase_add_loop_test(tc, elf_every_arch, 0, (int)cr_arch_count);
	tcase_add_test(tc, elf_class_and_order);
	tcase_add_test(tc, elf_many_phdrs);
	tcase_add_test(tc, elf_short_reads);
	tcase_add_test(tc, read_error);
	tcase_add_test(tc, elf_corrupt);
	tcase_add_test(tc, elf_interp_limits);
	tcase_add_test(tc, unknown_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("shebang");
	tcase_add_test(tc, shebang_basic);
	tcase_add_test(tc, shebang_buffer_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("real");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, real_host_programs);
	tcase_add_loop_test(tc, real_cross_programs, 0, (int)(sizeof cross / sizeof cross[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(elf_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
