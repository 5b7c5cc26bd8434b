/* cr_elf.c - identify an executable from its first bytes: ELF or #!.
 *
 * ELF: the identification bytes, the file header and the program headers of
 * both classes and both byte orders are read field by field from raw bytes
 * (no alignment or host byte-order assumptions) and checked the way the
 * kernel's loader checks them; PT_INTERP is copied out.  #!: the first line
 * is parsed with the kernel's rules (fs/binfmt_script.c since Linux 5.0):
 * interpreter up to the first blank, the rest of the line, trimmed, as one
 * optional argument.  Everything goes through the caller's reader callback;
 * nothing is allocated, so this runs between fork and exec.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cr_elf.h"
#include "cr_sys.h"

/* The kernel refuses program header tables larger than this. */
#define CR_PHDRS_MAX 65536

/* Read up to n bytes at off, retrying short reads; returns the count read
 * (less than n only at end of file) or -errno. */
static ssize_t read_full(const struct cr_reader *r, void *buf, size_t n, off_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = r->pread(r->ud, (char *)buf + got, n - got, off + (off_t)got);
		if (k < 0) {
			if (k == -EINTR)
				continue;
			return k;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static uint16_t get16(const unsigned char *p, int msb)
{
	return msb ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t get32(const unsigned char *p, int msb)
{
	if (msb)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get64(const unsigned char *p, int msb)
{
	uint64_t hi, lo;
	if (msb) {
		hi = get32(p, 1);
		lo = get32(p + 4, 1);
	} else {
		lo = get32(p, 0);
		hi = get32(p + 4, 0);
	}
	return hi << 32 | lo;
}

/* Largest value an off_t holds (32 or 64 bits). */
static uint64_t off_max(void)
{
	return ((((uint64_t)1 << (sizeof(off_t) * 8 - 2)) - 1) << 1) + 1;
}

/* A field of either class's header: the offset in the 32- or 64-bit
 * layout, read with the class's width for address-sized fields. */
#define EHDR_OFF(is64, f) ((is64) ? offsetof(Elf64_Ehdr, f) : offsetof(Elf32_Ehdr, f))
#define PHDR_OFF(is64, f) ((is64) ? offsetof(Elf64_Phdr, f) : offsetof(Elf32_Phdr, f))

static uint64_t get_addr(const unsigned char *p, int is64, int msb)
{
	return is64 ? get64(p, msb) : get32(p, msb);
}

/* The identification bytes (class, byte order, version) of a file header
 * of hdrlen bytes, which must hold the whole header of its class:
 * 0 with *is64 and *msb set, or ENOEXEC. */
static int check_ident(const unsigned char *hdr, size_t hdrlen, int *is64, int *msb)
{
	if (hdrlen < EI_NIDENT || memcmp(hdr, ELFMAG, SELFMAG) != 0)
		return ENOEXEC;
	if (hdr[EI_CLASS] != ELFCLASS32 && hdr[EI_CLASS] != ELFCLASS64)
		return ENOEXEC;
	if (hdr[EI_DATA] != ELFDATA2LSB && hdr[EI_DATA] != ELFDATA2MSB)
		return ENOEXEC;
	if (hdr[EI_VERSION] != EV_CURRENT)
		return ENOEXEC;
	*is64 = hdr[EI_CLASS] == ELFCLASS64;
	*msb = hdr[EI_DATA] == ELFDATA2MSB;
	if (hdrlen < (*is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return ENOEXEC;               /* truncated file header */
	return 0;
}

static int parse_elf(const struct cr_reader *r, const unsigned char *hdr,
                     size_t hdrlen, struct cr_elfinfo *e)
{
	int is64, msb;
	size_t ehsize, phentsize;
	uint64_t phoff;
	unsigned phnum;

	if (check_ident(hdr, hdrlen, &is64, &msb) != 0)
		return ENOEXEC;
	ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	phentsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

	e->elfclass = hdr[EI_CLASS];
	e->data = hdr[EI_DATA];
	e->type = get16(hdr + EHDR_OFF(is64, e_type), msb);
	e->machine = get16(hdr + EHDR_OFF(is64, e_machine), msb);
	e->flags = get32(hdr + EHDR_OFF(is64, e_flags), msb);
	if (get32(hdr + EHDR_OFF(is64, e_version), msb) != EV_CURRENT)
		return ENOEXEC;
	if (get16(hdr + EHDR_OFF(is64, e_ehsize), msb) < ehsize)
		return ENOEXEC;
	phoff = get_addr(hdr + EHDR_OFF(is64, e_phoff), is64, msb);
	phnum = get16(hdr + EHDR_OFF(is64, e_phnum), msb);
	if (phnum == 0)
		return 0;                     /* no program headers: no PT_INTERP */
	if (get16(hdr + EHDR_OFF(is64, e_phentsize), msb) != phentsize)
		return ENOEXEC;
	if ((uint64_t)phnum * phentsize > CR_PHDRS_MAX)
		return ENOEXEC;               /* also rejects PN_XNUM */
	if (phoff > off_max() - (uint64_t)phnum * phentsize)
		return ENOEXEC;

	/* Walk the program headers a few at a time from a stack buffer. */
	unsigned char ph[16 * sizeof(Elf64_Phdr)];
	const size_t per = sizeof ph / phentsize;
	for (unsigned i = 0; i < phnum; i += (unsigned)per) {
		size_t cnt = phnum - i < per ? phnum - i : per;
		size_t want = cnt * phentsize;
		ssize_t k = read_full(r, ph, want, (off_t)(phoff + (uint64_t)i * phentsize));
		if (k < 0)
			return (int)-k;
		if ((size_t)k < want)
			return ENOEXEC;       /* program headers outside the file */
		for (size_t j = 0; j < cnt; j++) {
			const unsigned char *p = ph + j * phentsize;
			if (get32(p + PHDR_OFF(is64, p_type), msb) != PT_INTERP)
				continue;
			if (e->has_interp)
				continue;     /* the kernel uses the first one */
			uint64_t off = get_addr(p + PHDR_OFF(is64, p_offset), is64, msb);
			uint64_t sz = get_addr(p + PHDR_OFF(is64, p_filesz), is64, msb);
			if (sz < 2 || sz > CR_INTERP_MAX || off > off_max() - sz)
				return ENOEXEC;
			k = read_full(r, e->interp, (size_t)sz, (off_t)off);
			if (k < 0)
				return (int)-k;
			if ((size_t)k < sz || e->interp[sz - 1] != '\0')
				return ENOEXEC;
			if (e->interp[0] == '\0')
				return ENOEXEC;
			e->has_interp = 1;
		}
	}
	return 0;
}

static int is_spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* buf holds CR_SHEBANG_MAX bytes, zero-filled past the end of the file,
 * starting with "#!".  Same decisions as the kernel's load_script(). */
static int parse_shebang(const char *buf, struct cr_shebang *sb)
{
	const char *end = memchr(buf, '\n', CR_SHEBANG_MAX);
	const char *last = buf + CR_SHEBANG_MAX - 1;
	const char *p, *name, *sep, *arg = NULL;

	if (end == NULL) {
		/* No newline: accept the truncated line only when the
		 * interpreter name itself ends inside the buffer. */
		for (p = buf + 2; p <= last && is_spacetab(*p); p++)
			;
		if (p > last)
			return ENOEXEC;
		for (; p <= last && !is_spacetab(*p) && *p != '\0'; p++)
			;
		if (p > last)
			return ENOEXEC;
		end = last;
	}
	while (is_spacetab(end[-1]))
		end--;
	for (name = buf + 2; name < end && is_spacetab(*name); name++)
		;
	if (name >= end || *name == '\0')
		return ENOEXEC;               /* no interpreter */
	for (sep = name; sep < end && !is_spacetab(*sep) && *sep != '\0'; sep++)
		;
	if (sep < end && *sep != '\0') {
		for (arg = sep; arg < end && is_spacetab(*arg); arg++)
			;
		if (arg >= end)
			arg = NULL;
	}

	size_t n = (size_t)(sep - name);
	memcpy(sb->interp, name, n);
	sb->interp[n] = '\0';
	if (arg != NULL) {
		/* The argument is a C string: it stops at a NUL as well. */
		const char *z = memchr(arg, '\0', (size_t)(end - arg));
		n = (size_t)((z ? z : end) - arg);
		memcpy(sb->arg, arg, n);
		sb->arg[n] = '\0';
		sb->has_arg = 1;      /* may be "" (a NUL after the blank) */
	}
	return 0;
}

int cr_file_identify(const struct cr_reader *r, struct cr_fileinfo *out)
{
	/* Big enough for either ELF header and the kernel's #! buffer. */
	union {
		unsigned char b[CR_SHEBANG_MAX];
		char c[CR_SHEBANG_MAX];
	} buf;
	ssize_t n;

	memset(out, 0, sizeof *out);
	memset(&buf, 0, sizeof buf);
	n = read_full(r, buf.b, sizeof buf.b, 0);
	if (n < 0)
		return (int)-n;

	if (n >= 4 && memcmp(buf.b, ELFMAG, SELFMAG) == 0) {
		out->kind = CR_FILE_ELF;
		return parse_elf(r, buf.b, (size_t)n, &out->elf);
	}
	if (n >= 2 && buf.c[0] == '#' && buf.c[1] == '!') {
		out->kind = CR_FILE_SCRIPT;
		return parse_shebang(buf.c, &out->sb);
	}
	out->kind = CR_FILE_UNKNOWN;
	return 0;
}

/* ---------------------------------------------------------- by host path */
ssize_t cr_fd_pread(void *ud, void *buf, size_t n, off_t off)
{
	return cr_sys_pread(*(int *)ud, buf, n, off);
}

int cr_file_identify_path(const char *hostpath, struct cr_fileinfo *out)
{
	int fd = cr_sys_openat(AT_FDCWD, hostpath, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -fd;
	struct cr_reader r = { cr_fd_pread, &fd };
	int err = cr_file_identify(&r, out);
	cr_sys_close(fd);
	return err;
}

/* ------------------------------------------------- dynamic symbols */
#define SHDR_OFF(is64, f) ((is64) ? offsetof(Elf64_Shdr, f) : offsetof(Elf32_Shdr, f))
#define SYM_OFF(is64, f) ((is64) ? offsetof(Elf64_Sym, f) : offsetof(Elf32_Sym, f))

/* The section header fields the walk uses. */
struct section {
	uint32_t type, link;
	uint64_t off, size, entsize;
};

static void get_section(const unsigned char *p, int is64, int msb, struct section *s)
{
	s->type = get32(p + SHDR_OFF(is64, sh_type), msb);
	s->link = get32(p + SHDR_OFF(is64, sh_link), msb);
	s->off = get_addr(p + SHDR_OFF(is64, sh_offset), is64, msb);
	s->size = get_addr(p + SHDR_OFF(is64, sh_size), is64, msb);
	s->entsize = get_addr(p + SHDR_OFF(is64, sh_entsize), is64, msb);
}

/* Read the whole of [off, off + n) or fail: 0, ENOEXEC (outside the
 * file), or a read errno. */
static int read_exact(const struct cr_reader *r, void *buf, size_t n, uint64_t off)
{
	if (off > off_max() - n)
		return ENOEXEC;
	ssize_t k = read_full(r, buf, n, (off_t)off);
	if (k < 0)
		return (int)-k;
	return (size_t)k == n ? 0 : ENOEXEC;
}

/* A table of entsz-byte entries of a section, as entries, checked. */
static int table_entries(const struct section *s, size_t entsz, uint64_t *count)
{
	if (s->entsize != entsz || s->size % entsz != 0 || s->off > off_max() - s->size)
		return ENOEXEC;
	*count = s->size / entsz;
	return 0;
}

/* The name at offset off of a string table of strsz bytes whose last byte
 * is a NUL, or NULL when off is outside it. */
static const char *table_name(const char *strtab, uint64_t strsz, uint64_t off)
{
	return off < strsz ? strtab + off : NULL;
}

/* The entries [next, count) of a table of entsz-byte entries at file
 * offset off (checked to lie within the file's possible size), read a
 * chunk of per entries at a time into chunk. */
struct entries {
	const struct cr_reader *r;
	uint64_t off, next, count;
	size_t entsz, per;
	unsigned char *chunk;
	const unsigned char *at;        /* the next entry in chunk ... */
	size_t left;                    /* ... and how many are left there */
};

/* The next entry in *e (NULL after the last one): 0, or an errno value. */
static inline int next_entry(struct entries *t, const unsigned char **e)
{
	if (t->left == 0) {
		if (t->next >= t->count) {
			*e = NULL;
			return 0;
		}
		uint64_t cnt = t->count - t->next < t->per ? t->count - t->next : t->per;
		int err = read_exact(t->r, t->chunk, (size_t)cnt * t->entsz,
		                     t->off + t->next * t->entsz);
		if (err != 0)
			return err;
		t->next += cnt;
		t->left = (size_t)cnt;
		t->at = t->chunk;
	}
	*e = t->at;
	t->at += t->entsz;
	t->left--;
	return 0;
}

int cr_elf_walk_dynamic(const struct cr_reader *r, const struct cr_dynamic_visitor *v,
                        char *buf, size_t bufsz)
{
	unsigned char hdr[sizeof(Elf64_Ehdr)];
	int is64, msb, err;
	ssize_t n = read_full(r, hdr, sizeof hdr, 0);
	if (n < 0)
		return (int)-n;
	if (check_ident(hdr, (size_t)n, &is64, &msb) != 0)
		return ENOEXEC;
	const size_t shentsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	const size_t symsize = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	const size_t dynsize = is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	uint64_t shoff = get_addr(hdr + EHDR_OFF(is64, e_shoff), is64, msb);
	unsigned shnum = get16(hdr + EHDR_OFF(is64, e_shnum), msb);
	/* shnum 0: no sections, or more than SHN_LORESERVE (not for us). */
	if (shnum == 0 || shoff == 0 ||
	    get16(hdr + EHDR_OFF(is64, e_shentsize), msb) != shentsize ||
	    shoff > off_max() - (uint64_t)shnum * shentsize)
		return ENOEXEC;

	/* The first SHT_DYNSYM and SHT_DYNAMIC. */
	unsigned char chunk[32 * sizeof(Elf64_Shdr)];
	const unsigned char *e;
	struct section sym = { 0, 0, 0, 0, 0 }, dyn = { 0, 0, 0, 0, 0 }, str;
	struct entries t = { r, shoff, 0, shnum, shentsize, sizeof chunk / shentsize,
	                     chunk, NULL, 0 };
	while (sym.type == 0 || dyn.type == 0) {
		if ((err = next_entry(&t, &e)) != 0)
			return err;
		if (e == NULL)
			break;
		struct section s;
		get_section(e, is64, msb, &s);
		if (s.type == SHT_DYNSYM && sym.type == 0)
			sym = s;
		else if (s.type == SHT_DYNAMIC && dyn.type == 0)
			dyn = s;
	}
	if (sym.type == 0 || sym.link == 0 || sym.link >= shnum ||
	    (dyn.type != 0 && dyn.link != sym.link))
		return ENOEXEC;      /* (one string table for both: the usual .dynstr) */
	if ((err = read_exact(r, chunk, shentsize, shoff + (uint64_t)sym.link * shentsize)) != 0)
		return err;
	get_section(chunk, is64, msb, &str);
	if (str.type != SHT_STRTAB || str.size == 0)
		return ENOEXEC;
	if (str.size > bufsz)
		return EFBIG;
	if ((err = read_exact(r, buf, (size_t)str.size, str.off)) != 0)
		return err;
	if (buf[str.size - 1] != '\0')
		return ENOEXEC;

	/* DT_NEEDED, up to DT_NULL. */
	if (dyn.type != 0 && v->needed != NULL) {
		t = (struct entries){ r, dyn.off, 0, 0, dynsize, sizeof chunk / dynsize,
		                      chunk, NULL, 0 };
		if ((err = table_entries(&dyn, dynsize, &t.count)) != 0)
			return err;
		for (;;) {
			if ((err = next_entry(&t, &e)) != 0)
				return err;
			uint64_t tag = e != NULL ? get_addr(e, is64, msb) : DT_NULL;
			if (tag == DT_NULL)
				break;
			if (tag != DT_NEEDED)
				continue;
			const char *name = table_name(buf, str.size, get_addr(e + dynsize / 2, is64, msb));
			if (name == NULL)
				return ENOEXEC;
			if (v->needed(v->ud, name) != 0)
				return CR_ELF_STOPPED;
		}
	}

	/* The symbols but the null one (0). */
	if (v->symbol == NULL)
		return 0;
	t = (struct entries){ r, sym.off, 1, 0, symsize, sizeof chunk / symsize, chunk, NULL, 0 };
	if ((err = table_entries(&sym, symsize, &t.count)) != 0)
		return err;
	for (;;) {
		if ((err = next_entry(&t, &e)) != 0)
			return err;
		if (e == NULL)
			return 0;
		const char *name = table_name(buf, str.size, get32(e + SYM_OFF(is64, st_name), msb));
		if (name == NULL)
			return ENOEXEC;
		unsigned char info = e[SYM_OFF(is64, st_info)];
		int defined = get16(e + SYM_OFF(is64, st_shndx), msb) != SHN_UNDEF;
		if (v->symbol(v->ud, name, defined, ELF64_ST_BIND(info), ELF64_ST_TYPE(info)) != 0)
			return CR_ELF_STOPPED;
	}
}
