/* test_arch.c - unit tests of the architecture table (src/cr_arch.c).
 *
 * Every row is looked up by each of its names and from an ELF identity;
 * the ambiguous ARM names, the ARM float ABI detection (e_flags first, then
 * the PT_INTERP name), the kernel/self architecture and the qemu variable
 * names are checked, and the running test binary is cross-checked with
 * libelf against cr_arch_self().
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cr_arch.h"
#include "cr_elf.h"

static const struct cr_arch *by(const char *n)
{
	const struct cr_arch *a = cr_arch_by_name(n);
	ck_assert_msg(a != NULL, "no row for %s", n);
	return a;
}

static struct cr_elfinfo elf_of(const struct cr_arch *a, unsigned flags,
                                const char *interp)
{
	struct cr_elfinfo e;
	memset(&e, 0, sizeof e);
	e.elfclass = a->elfclass;
	e.data = a->data;
	e.type = ET_DYN;
	e.machine = a->machine;
	e.flags = flags;
	if (interp != NULL) {
		e.has_interp = 1;
		strcpy(e.interp, interp);
	}
	return e;
}

START_TEST(rows_complete)
{
	ck_assert_uint_eq(cr_arch_count, 9);
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		ck_assert_ptr_nonnull(a->debian);
		ck_assert_ptr_nonnull(a->qemu);
		ck_assert_ptr_nonnull(a->triplet);
		ck_assert_ptr_nonnull(a->uname);
		ck_assert_ptr_nonnull(a->loader);
		ck_assert_ptr_nonnull(a->glibc_base);
		ck_assert_int_eq(a->loader[0], '/');
		ck_assert_int_eq(strncmp(a->glibc_base, "GLIBC_2.", 8), 0);
		ck_assert(a->elfclass == ELFCLASS32 || a->elfclass == ELFCLASS64);
		ck_assert(a->data == ELFDATA2LSB || a->data == ELFDATA2MSB);
		ck_assert_int_eq(a->armfloat != CR_FLOAT_ANY, a->machine == EM_ARM);
		for (size_t j = 0; j < i; j++) {
			const struct cr_arch *b = &cr_arch_table[j];
			ck_assert_str_ne(a->debian, b->debian);
			ck_assert_str_ne(a->triplet, b->triplet);
			ck_assert_msg(!(a->machine == b->machine && a->elfclass == b->elfclass &&
			                a->data == b->data && a->armfloat == b->armfloat),
			              "rows %s and %s have the same ELF identity",
			              a->debian, b->debian);
		}
	}
}
END_TEST

START_TEST(rows_values)
{
	const struct cr_arch *a;

	a = by("amd64");
	ck_assert_str_eq(a->qemu, "x86_64");
	ck_assert_str_eq(a->loader, "/lib64/ld-linux-x86-64.so.2");
	ck_assert_str_eq(a->glibc_base, "GLIBC_2.2.5");
	ck_assert_int_eq(a->machine, EM_X86_64);
	ck_assert_int_eq(a->elfclass, ELFCLASS64);

	a = by("arm64");
	ck_assert_str_eq(a->qemu, "aarch64");
	ck_assert_str_eq(a->triplet, "aarch64-linux-gnu");
	ck_assert_str_eq(a->uname, "aarch64");
	ck_assert_str_eq(a->loader, "/lib/ld-linux-aarch64.so.1");
	ck_assert_str_eq(a->glibc_base, "GLIBC_2.17");
	ck_assert_int_eq(a->machine, EM_AARCH64);
	ck_assert_int_eq(a->elfclass, ELFCLASS64);
	ck_assert_int_eq(a->data, ELFDATA2LSB);
	ck_assert(a->tested);

	a = by("armel");
	ck_assert_str_eq(a->qemu, "arm");
	ck_assert_str_eq(a->triplet, "arm-linux-gnueabi");
	ck_assert_str_eq(a->uname, "armv7l");
	ck_assert_str_eq(a->loader, "/lib/ld-linux.so.3");
	ck_assert_str_eq(a->glibc_base, "GLIBC_2.4");
	ck_assert_int_eq(a->machine, EM_ARM);
	ck_assert_int_eq(a->elfclass, ELFCLASS32);
	ck_assert_int_eq(a->armfloat, CR_FLOAT_SOFT);
	ck_assert(a->tested);

	a = by("armhf");
	ck_assert_str_eq(a->qemu, "arm");
	ck_assert_str_eq(a->triplet, "arm-linux-gnueabihf");
	ck_assert_str_eq(a->loader, "/lib/ld-linux-armhf.so.3");
	ck_assert_str_eq(a->glibc_base, "GLIBC_2.4");
	ck_assert_int_eq(a->armfloat, CR_FLOAT_HARD);
	ck_assert(a->tested);

	a = by("ppc64el");
	ck_assert_str_eq(a->qemu, "ppc64le");
	ck_assert_int_eq(a->machine, EM_PPC64);
	ck_assert_int_eq(a->data, ELFDATA2LSB);
	ck_assert(!a->tested);

	a = by("s390x");
	ck_assert_int_eq(a->machine, EM_S390);
	ck_assert_int_eq(a->elfclass, ELFCLASS64);
	ck_assert_int_eq(a->data, ELFDATA2MSB);
	ck_assert(!a->tested);

	a = by("mips64el");
	ck_assert_int_eq(a->machine, EM_MIPS);
	ck_assert_int_eq(a->elfclass, ELFCLASS64);
	ck_assert(!a->tested);

	a = by("i386");
	ck_assert_str_eq(a->qemu, "i386");
	ck_assert_str_eq(a->loader, "/lib/ld-linux.so.2");
	ck_assert_str_eq(a->glibc_base, "GLIBC_2.0");
	ck_assert_int_eq(a->machine, EM_386);
	ck_assert_int_eq(a->elfclass, ELFCLASS32);
	ck_assert(!a->tested);

	a = by("riscv64");
	ck_assert_int_eq(a->machine, 243);
	ck_assert(!a->tested);
}
END_TEST

/* Every name of every row finds that row, unless another row shares it. */
START_TEST(lookup_every_name)
{
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		const char *names[4] = { a->debian, a->qemu, a->triplet, a->uname };
		for (int k = 0; k < 4; k++) {
			int shared = 0;
			for (size_t j = 0; j < cr_arch_count; j++) {
				const struct cr_arch *b = &cr_arch_table[j];
				if (j != i && (!strcasecmp(names[k], b->debian) ||
				               !strcasecmp(names[k], b->qemu) ||
				               !strcasecmp(names[k], b->triplet) ||
				               !strcasecmp(names[k], b->uname)))
					shared = 1;
			}
			if (shared)
				ck_assert_ptr_null(cr_arch_by_name(names[k]));
			else
				ck_assert_ptr_eq(cr_arch_by_name(names[k]), a);
		}
	}
}
END_TEST

START_TEST(lookup_case_and_ambiguity)
{
	ck_assert_ptr_eq(cr_arch_by_name("ARM64"), by("arm64"));
	ck_assert_ptr_eq(cr_arch_by_name("AArch64"), by("arm64"));
	ck_assert_ptr_eq(cr_arch_by_name("ARM-Linux-GNUEABIHF"), by("armhf"));
	ck_assert_ptr_eq(cr_arch_by_name("x86_64"), by("amd64"));
	ck_assert_ptr_eq(cr_arch_by_name("ppc64le"), by("ppc64el"));
	ck_assert_ptr_eq(cr_arch_by_name("i686"), by("i386"));
	/* "arm" is the qemu name of armel and armhf; armv7l their uname. */
	ck_assert_ptr_null(cr_arch_by_name("arm"));
	ck_assert_ptr_null(cr_arch_by_name("ARM"));
	ck_assert_ptr_null(cr_arch_by_name("armv7l"));
	ck_assert_ptr_null(cr_arch_by_name("sparc64"));
	ck_assert_ptr_null(cr_arch_by_name("arm6"));
	ck_assert_ptr_null(cr_arch_by_name("arm644"));
	ck_assert_ptr_null(cr_arch_by_name(""));
	ck_assert_ptr_null(cr_arch_by_name(NULL));
}
END_TEST

START_TEST(from_elf_every_row)
{
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		unsigned flags = a->armfloat == CR_FLOAT_HARD ? 0x05000400 :
		                 a->armfloat == CR_FLOAT_SOFT ? 0x05000200 : 0;
		struct cr_elfinfo e = elf_of(a, flags, a->loader);
		ck_assert_ptr_eq(cr_arch_from_elf(&e), a);
		e = elf_of(a, flags, NULL);          /* static */
		ck_assert_ptr_eq(cr_arch_from_elf(&e), a);
		/* Class or byte order alone differing: no row. */
		e = elf_of(a, flags, a->loader);
		e.elfclass = a->elfclass == ELFCLASS64 ? ELFCLASS32 : ELFCLASS64;
		ck_assert_ptr_null(cr_arch_from_elf(&e));
		e = elf_of(a, flags, a->loader);
		e.data = a->data == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
		ck_assert_ptr_null(cr_arch_from_elf(&e));
	}
	struct cr_elfinfo e = elf_of(by("arm64"), 0, NULL);
	e.machine = 4242;
	ck_assert_ptr_null(cr_arch_from_elf(&e));
	ck_assert_ptr_null(cr_arch_from_elf(NULL));
}
END_TEST

START_TEST(arm_float_detection)
{
	const struct cr_arch *el = by("armel"), *hf = by("armhf");
	struct cr_elfinfo e;

	e = elf_of(el, 0x05000400, NULL);
	ck_assert_ptr_eq(cr_arch_from_elf(&e), hf);
	e = elf_of(el, 0x05000200, NULL);
	ck_assert_ptr_eq(cr_arch_from_elf(&e), el);
	/* e_flags win over the loader's name. */
	e = elf_of(el, 0x05000400, "/lib/ld-linux.so.3");
	ck_assert_ptr_eq(cr_arch_from_elf(&e), hf);
	e = elf_of(el, 0x05000200, "/lib/ld-linux-armhf.so.3");
	ck_assert_ptr_eq(cr_arch_from_elf(&e), el);
	/* No float flag: the loader decides, else armel. */
	e = elf_of(el, 0x05000000, "/lib/ld-linux-armhf.so.3");
	ck_assert_ptr_eq(cr_arch_from_elf(&e), hf);
	e = elf_of(el, 0x05000000, "/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3");
	ck_assert_ptr_eq(cr_arch_from_elf(&e), hf);
	e = elf_of(el, 0x05000000, "/lib/ld-linux.so.3");
	ck_assert_ptr_eq(cr_arch_from_elf(&e), el);
	e = elf_of(el, 0, NULL);
	ck_assert_ptr_eq(cr_arch_from_elf(&e), el);
	/* has_interp == 0: a stale interp buffer is ignored. */
	e = elf_of(el, 0, NULL);
	strcpy(e.interp, "/lib/ld-linux-armhf.so.3");
	ck_assert_ptr_eq(cr_arch_from_elf(&e), el);
	/* The float bits mean nothing on other machines. */
	e = elf_of(by("arm64"), 0x400, NULL);
	ck_assert_ptr_eq(cr_arch_from_elf(&e), by("arm64"));
}
END_TEST

/* cr_arch_self() agrees with libelf's reading of this very program. */
START_TEST(self_matches_running_binary)
{
	const struct cr_arch *self = cr_arch_self();
	int fd;
	Elf *elf;
	GElf_Ehdr eh;

	ck_assert_ptr_nonnull(self);
	ck_assert(elf_version(EV_CURRENT) != EV_NONE);
	fd = open("/proc/self/exe", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	ck_assert_int_eq(eh.e_machine, self->machine);
	ck_assert_int_eq(eh.e_ident[EI_CLASS], self->elfclass);
	ck_assert_int_eq(eh.e_ident[EI_DATA], self->data);
	elf_end(elf);
	close(fd);
}
END_TEST

START_TEST(kernel_arch)
{
	const struct cr_arch *def = cr_arch_by_name(CR_KERNEL_ARCH);
	ck_assert_ptr_nonnull(def);
	ck_assert_str_eq(def->debian, CR_KERNEL_ARCH);
	ck_assert_ptr_eq(cr_arch_kernel(NULL), def);
	ck_assert_ptr_eq(cr_arch_kernel(""), def);
	ck_assert_ptr_eq(cr_arch_kernel("arm64"), by("arm64"));
	ck_assert_ptr_eq(cr_arch_kernel("aarch64"), by("arm64"));
	ck_assert_ptr_eq(cr_arch_kernel("armhf"), by("armhf"));
	ck_assert_ptr_eq(cr_arch_kernel("no-such-arch"), def);
	ck_assert_ptr_eq(cr_arch_kernel("arm"), def);   /* ambiguous */
}
END_TEST

START_TEST(qemu_var_names)
{
	char buf[64];
	ck_assert_str_eq(cr_arch_qemu_var(by("arm64"), buf, sizeof buf),
	                 "CROSSROOT_QEMU_AARCH64");
	ck_assert_str_eq(cr_arch_qemu_var(by("armel"), buf, sizeof buf),
	                 "CROSSROOT_QEMU_ARM");
	ck_assert_str_eq(cr_arch_qemu_var(by("armhf"), buf, sizeof buf),
	                 "CROSSROOT_QEMU_ARM");
	ck_assert_str_eq(cr_arch_qemu_var(by("amd64"), buf, sizeof buf),
	                 "CROSSROOT_QEMU_X86_64");
	ck_assert_str_eq(cr_arch_qemu_var(by("ppc64el"), buf, sizeof buf),
	                 "CROSSROOT_QEMU_PPC64LE");
	ck_assert_str_eq(cr_arch_qemu_var(by("mips64el"), buf, sizeof buf),
	                 "CROSSROOT_QEMU_MIPS64EL");
	struct cr_arch fake = *by("arm64");
	fake.qemu = "foo-bar2";
	ck_assert_str_eq(cr_arch_qemu_var(&fake, buf, sizeof buf),
	                 "CROSSROOT_QEMU_FOO_BAR2");
	/* Too small: truncated, terminated, returns buf. */
	ck_assert_ptr_eq(cr_arch_qemu_var(by("arm64"), buf, 5), buf);
	ck_assert_str_eq(buf, "CROS");
	ck_assert_str_eq(cr_arch_qemu_var(by("arm64"), buf, 19), "CROSSROOT_QEMU_AAR");
	memset(buf, 'x', sizeof buf);
	cr_arch_qemu_var(by("arm64"), buf, 1);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(buf[1], 'x');
}
END_TEST

static Suite *arch_suite(void)
{
	Suite *s = suite_create("cr_arch");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, rows_complete);
	tcase_add_test(tc, rows_values);
	tcase_add_test(tc, lookup_every_name);
	tcase_add_test(tc, lookup_case_and_ambiguity);
	tcase_add_test(tc, from_elf_every_row);
	tcase_add_test(tc, arm_float_detection);
	tcase_add_test(tc, self_matches_running_binary);
	tcase_add_test(tc, kernel_arch);
	tcase_add_test(tc, qemu_var_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arch_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
