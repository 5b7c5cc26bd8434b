/* cr_elf.h - identify an executable: ELF header, PT_INTERP, or a #! line;
 * and walk an ELF's needed libraries and dynamic symbols.
 *
 * A self-contained reader of the ELF identification, header and program
 * headers (<elf.h> layouts, both classes and byte orders) used by the
 * preload library on every exec: it allocates nothing and is
 * async-signal-safe, and it runs in guest processes whose root has no libelf.
 * The tools (crossroot-stage, the symbol-version check) use libelf for full
 * parsing; the unit tests check that both agree on every test binary.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_ELF_H
#define CR_ELF_H

#include <stddef.h>
#include <sys/types.h>

#define CR_SHEBANG_MAX 256   /* the kernel's BINPRM_BUF_SIZE since Linux 5.1 */
#define CR_INTERP_MAX  256

struct cr_reader {
	/* Bytes read (0 or short only at end of file) or -errno. */
	ssize_t (*pread)(void *ud, void *buf, size_t n, off_t off);
	void *ud;
};

/* A reader of an open file: ud points to the int file descriptor (raw
 * pread(2), cr_sys.h). */
ssize_t cr_fd_pread(void *ud, void *buf, size_t n, off_t off);

enum cr_filekind { CR_FILE_UNKNOWN = 0, CR_FILE_ELF, CR_FILE_SCRIPT };

struct cr_elfinfo {
	unsigned char elfclass, data;
	unsigned short type;       /* ET_EXEC, ET_DYN */
	unsigned short machine;
	unsigned int flags;        /* e_flags */
	int has_interp;            /* dynamic: PT_INTERP present */
	char interp[CR_INTERP_MAX];
};

struct cr_shebang {
	char interp[CR_SHEBANG_MAX];  /* interpreter path as written */
	char arg[CR_SHEBANG_MAX];     /* the single optional argument (kernel rule:
	                               * everything after the first blank run) */
	int has_arg;
};

struct cr_fileinfo {
	enum cr_filekind kind;
	struct cr_elfinfo elf;       /* kind == CR_FILE_ELF */
	struct cr_shebang sb;        /* kind == CR_FILE_SCRIPT */
};

/* Identify a file.  Returns 0 with out->kind set (CR_FILE_UNKNOWN for a file
 * that is neither ELF nor #!), ENOEXEC for a corrupt or truncated ELF (bad
 * class/data/version, file header or program headers outside the file,
 * e_phentsize wrong, PT_INTERP not NUL-terminated or longer than
 * CR_INTERP_MAX with its NUL), or a read errno.
 * A #! line is parsed exactly as the kernel does since Linux 5.0 (with
 * CR_SHEBANG_MAX = BINPRM_BUF_SIZE): when no newline is found within
 * CR_SHEBANG_MAX bytes, the line is truncated there if the interpreter name
 * ends (at a blank or NUL) inside the buffer, else ENOEXEC ("interpreter
 * path truncated"; not ENAMETOOLONG: that short-lived rule was replaced
 * before Linux 5.0).  An empty interpreter is ENOEXEC too.
 * On ENOEXEC, out->kind still tells which format was bad (CR_FILE_ELF or
 * CR_FILE_SCRIPT) so that callers can choose execvp's /bin/sh fallback. */
int cr_file_identify(const struct cr_reader *r, struct cr_fileinfo *out);

/* Identify the file at a host path, read with raw system calls (cr_sys.h,
 * never the library's own wrappers): 0, an errno value from open, or
 * cr_file_identify's.  Async-signal-safe. */
int cr_file_identify_path(const char *hostpath, struct cr_fileinfo *out);

/* What cr_elf_walk_dynamic reports, to callbacks that return nonzero to
 * stop the walk there. */
struct cr_dynamic_visitor {
	/* Each DT_NEEDED entry's library name, in order (first). */
	int (*needed)(void *ud, const char *name);
	/* Each dynamic symbol but the null one: its name, whether the file
	 * defines it (st_shndx not SHN_UNDEF), its binding (STB_*) and type
	 * (STT_*). */
	int (*symbol)(void *ud, const char *name, int defined, int bind, int type);
	void *ud;
};

#define CR_ELF_STOPPED (-1)

/* Walk an ELF file's dynamic section (DT_NEEDED) and dynamic symbol table,
 * both found through the section headers (SHT_DYNAMIC, SHT_DYNSYM and the
 * string tables they link to), reading through r.  buf (bufsz bytes)
 * holds the dynamic string table.  Returns 0 when the walk reached the
 * end, CR_ELF_STOPPED when a callback stopped it, or an errno value:
 * ENOEXEC for a file that is not ELF, is corrupt (a table outside the
 * file, a name outside its string table or not NUL-terminated, a wrong
 * entry size) or has no section headers or no dynamic symbol table (a
 * static program, a stripped-to-the-bone one); EFBIG for a string table
 * larger than bufsz; a read errno.  Allocates nothing (fork-safe). */
int cr_elf_walk_dynamic(const struct cr_reader *r, const struct cr_dynamic_visitor *v,
                        char *buf, size_t bufsz);

#endif
