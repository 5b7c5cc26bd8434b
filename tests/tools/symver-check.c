/* symver-check.c - fail when an ELF needs a glibc symbol version newer than
 * a limit.
 *
 * Usage: symver-check MAX FILE...   (MAX like 2.31)
 * Reads each file's version-needs section (SHT_GNU_verneed) with libelf and
 * prints every GLIBC_x.y[.z] reference, marking those newer than MAX.  Exit
 * status: 0 all within the limit, 1 a reference is newer, 2 a file could not
 * be read as ELF.  Guest builds of libcrossroot must load in roots whose glibc
 * is as old as 2.31; this is the check.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse "2.31" / "GLIBC_2.2.5" into a comparable number; -1 if malformed. */
static long version_number(const char *s)
{
	long part[3] = { 0, 0, 0 };
	int n = 0;
	if (strncmp(s, "GLIBC_", 6) == 0)
		s += 6;
	while (n < 3) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (end == s || errno || v < 0 || v > 999)
			return -1;
		part[n++] = v;
		if (*end == '\0')
			break;
		if (*end != '.')
			return -1;
		s = end + 1;
	}
	return part[0] * 1000000 + part[1] * 1000 + part[2];
}

/* Check one file: returns 0, 1 (too new) or 2 (unreadable). */
static int check_file(const char *path, long max, const char *maxs)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "symver-check: %s: %s\n", path, strerror(errno));
		return 2;
	}
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		fprintf(stderr, "symver-check: %s: not an ELF file\n", path);
		if (e)
			elf_end(e);
		close(fd);
		return 2;
	}
	int rc = 0, found = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_GNU_verneed)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		size_t off = 0;
		for (GElf_Word i = 0; i < sh.sh_info; i++) {
			GElf_Verneed vn;
			if (!gelf_getverneed(d, (int)off, &vn))
				break;
			const char *file = elf_strptr(e, sh.sh_link, vn.vn_file);
			size_t aoff = off + vn.vn_aux;
			for (GElf_Half j = 0; j < vn.vn_cnt; j++) {
				GElf_Vernaux va;
				if (!gelf_getvernaux(d, (int)aoff, &va))
					break;
				const char *name = elf_strptr(e, sh.sh_link, va.vna_name);
				if (name && strncmp(name, "GLIBC_", 6) == 0) {
					long v = version_number(name);
					int bad = v < 0 || v > max;
					found++;
					printf("%s: %s %s%s\n", path, file ? file : "?", name,
					       bad ? "  <-- too new" : "");
					if (bad) {
						printf("%s: needs %s, limit is %s\n", path, name, maxs);
						rc = 1;
					}
				}
				aoff += va.vna_next;
				if (!va.vna_next)
					break;
			}
			off += vn.vn_next;
			if (!vn.vn_next)
				break;
		}
	}
	if (!found)
		printf("%s: no GLIBC version references\n", path);
	elf_end(e);
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: symver-check MAX FILE...\n");
		return 2;
	}
	long max = version_number(argv[1]);
	if (max < 0) {
		fprintf(stderr, "symver-check: bad version limit '%s'\n", argv[1]);
		return 2;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "symver-check: libelf: %s\n", elf_errmsg(-1));
		return 2;
	}
	int rc = 0;
	for (int i = 2; i < argc; i++) {
		int r = check_file(argv[i], max, argv[1]);
		if (r > rc)
			rc = r;
	}
	return rc;
}
