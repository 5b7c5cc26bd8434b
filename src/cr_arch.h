/* cr_arch.h - the architecture table: ELF identity -> qemu, Debian, triplet.
 *
 * Data, not code: one row per architecture crossroot knows.  Rows marked
 * untested are present so detection and messages work; only the tested ones
 * are built and exercised by the test suite.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CR_ARCH_H
#define CR_ARCH_H

#include <stddef.h>

enum cr_armfloat { CR_FLOAT_ANY = 0, CR_FLOAT_SOFT = 1, CR_FLOAT_HARD = 2 };

struct cr_arch {
	const char *debian;   /* Debian architecture: "arm64", "armel", "armhf" */
	const char *qemu;     /* qemu-user name: "aarch64", "arm" */
	const char *triplet;  /* multiarch triplet: "aarch64-linux-gnu" */
	const char *uname;    /* uname -m under emulation: "aarch64", "armv7l" */
	const char *loader;   /* the guest's PT_INTERP: "/lib/ld-linux-aarch64.so.1" */
	const char *glibc_base; /* oldest glibc symbol version: "GLIBC_2.17" */
	unsigned short machine; /* e_machine */
	unsigned char elfclass; /* ELFCLASS32 / ELFCLASS64 */
	unsigned char data;     /* ELFDATA2LSB / ELFDATA2MSB */
	enum cr_armfloat armfloat;
	int tested;           /* exercised by the test suite */
};

struct cr_elfinfo;

extern const struct cr_arch cr_arch_table[];
extern const size_t cr_arch_count;

/* The row an ELF belongs to, or NULL (unknown architecture).  ARM float ABI
 * comes from e_flags, then from PT_INTERP (ld-linux-armhf.so.3 = hard);
 * an ARM ELF with neither is armel. */
const struct cr_arch *cr_arch_from_elf(const struct cr_elfinfo *elf);

/* Look a row up by any of its names (Debian, qemu, triplet, uname),
 * case-insensitive.  "arm" alone is ambiguous (armel or armhf) and gives
 * NULL, as does "armv7l" (their shared uname) and an unknown name. */
const struct cr_arch *cr_arch_by_name(const char *name);

/* The architecture this code was compiled for (the library build's own). */
const struct cr_arch *cr_arch_self(void);

/* The kernel's architecture: name (a CROSSROOT_HOST_ARCH value) if given
 * and known, else the configure-time host (CR_KERNEL_ARCH). */
const struct cr_arch *cr_arch_kernel(const char *name);

/* Environment variable that names this arch's qemu: "CROSSROOT_QEMU_AARCH64".
 * Writes into buf (truncated, still NUL-terminated, when bufsz is too
 * small); returns buf. */
char *cr_arch_qemu_var(const struct cr_arch *a, char *buf, size_t bufsz);

#endif
