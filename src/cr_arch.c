/* cr_arch.c - the architecture table and the lookups over it.
 *
 * One row per architecture crossroot knows: its ELF identity (e_machine,
 * class, byte order, ARM float ABI), its qemu-user name, Debian name,
 * multiarch triplet, uname -m, dynamic loader and oldest glibc symbol
 * version.  Everything here is constant data plus small searches over it:
 * no allocation, safe in any context (the preload library calls these
 * between fork and exec).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <elf.h>
#include <stddef.h>
#include <string.h>

#include "cr_arch.h"
#include "cr_elf.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif
#ifndef EF_ARM_ABI_FLOAT_SOFT
#define EF_ARM_ABI_FLOAT_SOFT 0x200
#endif
#ifndef EF_ARM_ABI_FLOAT_HARD
#define EF_ARM_ABI_FLOAT_HARD 0x400
#endif

const struct cr_arch cr_arch_table[] = {
	{ "amd64", "x86_64", "x86_64-linux-gnu", "x86_64",
	  "/lib64/ld-linux-x86-64.so.2", "GLIBC_2.2.5",
	  EM_X86_64, ELFCLASS64, ELFDATA2LSB, CR_FLOAT_ANY, 1 },
	{ "arm64", "aarch64", "aarch64-linux-gnu", "aarch64",
	  "/lib/ld-linux-aarch64.so.1", "GLIBC_2.17",
	  EM_AARCH64, ELFCLASS64, ELFDATA2LSB, CR_FLOAT_ANY, 1 },
	{ "armel", "arm", "arm-linux-gnueabi", "armv7l",
	  "/lib/ld-linux.so.3", "GLIBC_2.4",
	  EM_ARM, ELFCLASS32, ELFDATA2LSB, CR_FLOAT_SOFT, 1 },
	{ "armhf", "arm", "arm-linux-gnueabihf", "armv7l",
	  "/lib/ld-linux-armhf.so.3", "GLIBC_2.4",
	  EM_ARM, ELFCLASS32, ELFDATA2LSB, CR_FLOAT_HARD, 1 },
	{ "riscv64", "riscv64", "riscv64-linux-gnu", "riscv64",
	  "/lib/ld-linux-riscv64-lp64d.so.1", "GLIBC_2.27",
	  EM_RISCV, ELFCLASS64, ELFDATA2LSB, CR_FLOAT_ANY, 0 },
	{ "ppc64el", "ppc64le", "powerpc64le-linux-gnu", "ppc64le",
	  "/lib64/ld64.so.2", "GLIBC_2.17",
	  EM_PPC64, ELFCLASS64, ELFDATA2LSB, CR_FLOAT_ANY, 0 },
	{ "s390x", "s390x", "s390x-linux-gnu", "s390x",
	  "/lib/ld64.so.1", "GLIBC_2.2",
	  EM_S390, ELFCLASS64, ELFDATA2MSB, CR_FLOAT_ANY, 0 },
	{ "mips64el", "mips64el", "mips64el-linux-gnuabi64", "mips64",
	  "/lib64/ld.so.1", "GLIBC_2.0",
	  EM_MIPS, ELFCLASS64, ELFDATA2LSB, CR_FLOAT_ANY, 0 },
	{ "i386", "i386", "i386-linux-gnu", "i686",
	  "/lib/ld-linux.so.2", "GLIBC_2.0",
	  EM_386, ELFCLASS32, ELFDATA2LSB, CR_FLOAT_ANY, 0 },
};

const size_t cr_arch_count = sizeof cr_arch_table / sizeof cr_arch_table[0];

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* The ARM float ABI of an ELF: e_flags first, then the loader's name. */
static enum cr_armfloat arm_float(const struct cr_elfinfo *elf)
{
	if (elf->flags & EF_ARM_ABI_FLOAT_HARD)
		return CR_FLOAT_HARD;
	if (elf->flags & EF_ARM_ABI_FLOAT_SOFT)
		return CR_FLOAT_SOFT;
	if (elf->has_interp && strstr(elf->interp, "armhf") != NULL)
		return CR_FLOAT_HARD;
	return CR_FLOAT_SOFT;
}

const struct cr_arch *cr_arch_from_elf(const struct cr_elfinfo *elf)
{
	enum cr_armfloat fl = CR_FLOAT_ANY;
	if (elf == NULL)
		return NULL;
	if (elf->machine == EM_ARM)
		fl = arm_float(elf);
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		if (a->machine != elf->machine || a->elfclass != elf->elfclass ||
		    a->data != elf->data)
			continue;
		if (a->armfloat != CR_FLOAT_ANY && a->armfloat != fl)
			continue;
		return a;
	}
	return NULL;
}

const struct cr_arch *cr_arch_by_name(const char *name)
{
	const struct cr_arch *found = NULL;
	if (name == NULL || *name == '\0')
		return NULL;
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		if (name_eq(name, a->debian) || name_eq(name, a->qemu) ||
		    name_eq(name, a->triplet) || name_eq(name, a->uname)) {
			if (found != NULL)
				return NULL;   /* ambiguous ("arm", "armv7l") */
			found = a;
		}
	}
	return found;
}

const struct cr_arch *cr_arch_self(void)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	return cr_arch_by_name("amd64");
#elif defined(__aarch64__) && !defined(__ILP32__) && !defined(__AARCH64EB__)
	return cr_arch_by_name("arm64");
#elif defined(__arm__) && !defined(__ARMEB__) && defined(__ARM_PCS_VFP)
	return cr_arch_by_name("armhf");
#elif defined(__arm__) && !defined(__ARMEB__)
	return cr_arch_by_name("armel");
#elif defined(__riscv) && __riscv_xlen == 64
	return cr_arch_by_name("riscv64");
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	return cr_arch_by_name("ppc64el");
#elif defined(__s390x__)
	return cr_arch_by_name("s390x");
#elif defined(__mips64) && defined(__MIPSEL__)
	return cr_arch_by_name("mips64el");
#elif defined(__i386__)
	return cr_arch_by_name("i386");
#else
	return NULL;
#endif
}

const struct cr_arch *cr_arch_kernel(const char *name)
{
	const struct cr_arch *a = NULL;
	if (name != NULL && *name != '\0')
		a = cr_arch_by_name(name);
	if (a != NULL)
		return a;
#ifdef CR_KERNEL_ARCH
	return cr_arch_by_name(CR_KERNEL_ARCH);
#else
	return cr_arch_self();
#endif
}

char *cr_arch_qemu_var(const struct cr_arch *a, char *buf, size_t bufsz)
{
	static const char pfx[] = "CROSSROOT_QEMU_";
	size_t n = 0;
	if (buf == NULL || bufsz == 0)
		return buf;
	for (const char *s = pfx; *s && n + 1 < bufsz; s++)
		buf[n++] = *s;
	for (const char *s = a ? a->qemu : ""; *s && n + 1 < bufsz; s++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (c == '-')
			c = '_';
		buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}
