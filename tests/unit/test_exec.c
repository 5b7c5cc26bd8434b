/* test_exec.c - unit tests of the exec planner (src/cr_exec.c).
 *
 * The planner runs against a fake filesystem: an in-memory tree of host
 * paths (files with contents and modes, symlinks, directories) served
 * through struct cr_fsops, with the fake root at /r.  Programs are
 * synthesised ELF headers of the kernel's architecture (amd64 here,
 * whatever the build host) or foreign ones, and #! scripts.  Checked: the
 * host path and full argv of native, foreign (with and without qemu,
 * static, extra qemu options, -L prefix), script chains (native and foreign
 * interpreters, nesting limit, loops), PATH search inside the root (EACCES
 * remembered, directories skipped, empty element), command substitution,
 * ENOEXEC and execvp's /bin/sh fallback, the error lines, the root's own
 * loader for native programs (library path from existing directories and
 * ld.so.conf, --argv0 detection, the switch, the fallbacks to a direct
 * exec, arena and word limits), and that every descriptor opened is closed.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_exec.h"

/* ------------------------------------------------------ the fake tree */

enum nkind { N_FILE, N_LINK, N_DIR };

struct node {
	const char *path;          /* host path */
	enum nkind kind;
	int mode;                  /* 1 executable, 2 readable (files) */
	const unsigned char *data; /* file contents, or link target */
	size_t len;
};

#define MAXN 64
static struct node tree[MAXN];
static size_t ntree;
static int open_fds;
static int opens;
static unsigned char store[MAXN][8192];

static struct node *lookup(const char *p)
{
	for (size_t i = 0; i < ntree; i++)
		if (strcmp(tree[i].path, p) == 0)
			return &tree[i];
	return NULL;
}

/* A directory: explicit, or a prefix of some node. */
static int is_dir(const char *p)
{
	size_t n = strlen(p);
	struct node *d = lookup(p);
	if (d != NULL)
		return d->kind == N_DIR;
	for (size_t i = 0; i < ntree; i++)
		if (strncmp(tree[i].path, p, n) == 0 && tree[i].path[n] == '/')
			return 1;
	return strcmp(p, "/") == 0;
}

static void add(const char *path, enum nkind k, int mode, const void *data, size_t len)
{
	ck_assert_uint_lt(ntree, MAXN);
	ck_assert_uint_le(len, sizeof store[0]);
	memcpy(store[ntree], data, len);
	tree[ntree] = (struct node){ path, k, mode, store[ntree], len };
	ntree++;
}

static void add_file(const char *path, int mode, const void *data, size_t len)
{
	add(path, N_FILE, mode, data, len);
}

static void add_text(const char *path, int mode, const char *text)
{
	add(path, N_FILE, mode, text, strlen(text));
}

static void add_link(const char *path, const char *target)
{
	add(path, N_LINK, 0, target, strlen(target));
}

static void add_dir(const char *path)
{
	add(path, N_DIR, 3, "", 0);
}

static ssize_t f_readlink(void *ud, const char *p, char *buf, size_t sz)
{
	struct node *n = lookup(p);
	(void)ud;
	if (n == NULL)
		return is_dir(p) ? -EINVAL : -ENOENT;
	if (n->kind != N_LINK)
		return -EINVAL;
	if (n->len < sz) {
		memcpy(buf, n->data, n->len);
		return (ssize_t)n->len;
	}
	memcpy(buf, n->data, sz);
	return (ssize_t)sz;
}

static int f_open_ro(void *ud, const char *p)
{
	struct node *n = lookup(p);
	(void)ud;
	if (n == NULL)
		return is_dir(p) ? -EISDIR : -ENOENT;
	ck_assert_msg(n->kind != N_LINK, "open_ro got an unresolved link %s", p);
	if (n->kind == N_DIR)
		return -EISDIR;
	if (!(n->mode & 2))
		return -EACCES;
	open_fds++;
	opens++;
	return 100 + (int)(n - tree);
}

static ssize_t f_pread(void *ud, int fd, void *buf, size_t sz, off_t off)
{
	struct node *n = &tree[fd - 100];
	(void)ud;
	ck_assert_int_ge(fd, 100);
	if ((size_t)off >= n->len)
		return 0;
	if (sz > n->len - (size_t)off)
		sz = n->len - (size_t)off;
	memcpy(buf, n->data + off, sz);
	return (ssize_t)sz;
}

static void f_close(void *ud, int fd)
{
	(void)ud;
	ck_assert_int_ge(fd, 100);
	open_fds--;
}

static int f_exec_ok(void *ud, const char *p)
{
	struct node *n = lookup(p);
	(void)ud;
	if (n == NULL)
		return is_dir(p) ? -EACCES : -ENOENT;
	ck_assert_msg(n->kind != N_LINK, "exec_ok got an unresolved link %s", p);
	if (n->kind == N_DIR || !(n->mode & 1))
		return -EACCES;
	return 0;
}

static const struct cr_fsops fake_fs = {
	.readlink = f_readlink, .open_ro = f_open_ro, .pread = f_pread,
	.close = f_close, .exec_ok = f_exec_ok, .ud = NULL,
};

/* ------------------------------------------------------------- ELFs */

/* A 64- or 32-bit LSB ELF header with an optional PT_INTERP. */
static size_t mk_elf(unsigned char *b, int is64, unsigned machine, unsigned flags,
                     unsigned type, const char *interp)
{
	size_t eh = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t ph = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t ilen = interp ? strlen(interp) + 1 : 0;
	size_t total = eh + ph + ilen;
	memset(b, 0, total);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	if (is64) {
		Elf64_Ehdr h = { .e_type = (Elf64_Half)type, .e_machine = (Elf64_Half)machine,
		                 .e_version = EV_CURRENT, .e_phoff = eh, .e_flags = flags,
		                 .e_ehsize = (Elf64_Half)eh, .e_phentsize = (Elf64_Half)ph,
		                 .e_phnum = 1 };
		Elf64_Phdr p = { .p_type = interp ? PT_INTERP : PT_LOAD,
		                 .p_offset = interp ? eh + ph : 0, .p_filesz = ilen };
		memcpy(h.e_ident, b, EI_NIDENT);
		memcpy(b, &h, sizeof h);
		memcpy(b + eh, &p, sizeof p);
	} else {
		Elf32_Ehdr h = { .e_type = (Elf32_Half)type, .e_machine = (Elf32_Half)machine,
		                 .e_version = EV_CURRENT, .e_phoff = (Elf32_Off)eh,
		                 .e_flags = flags, .e_ehsize = (Elf32_Half)eh,
		                 .e_phentsize = (Elf32_Half)ph, .e_phnum = 1 };
		Elf32_Phdr p = { .p_type = interp ? PT_INTERP : PT_LOAD,
		                 .p_offset = interp ? (Elf32_Off)(eh + ph) : 0,
		                 .p_filesz = (Elf32_Word)ilen };
		memcpy(h.e_ident, b, EI_NIDENT);
		memcpy(b, &h, sizeof h);
		memcpy(b + eh, &p, sizeof p);
	}
	if (interp)
		memcpy(b + eh + ph, interp, ilen);
	return total;
}

static void add_elf(const char *path, int mode, int is64, unsigned machine,
                    unsigned flags, unsigned type, const char *interp)
{
	unsigned char b[512];
	size_t n = mk_elf(b, is64, machine, flags, type, interp);
	add_file(path, mode, b, n);
}

#define X86_64_DYN(p) add_elf(p, 3, 1, EM_X86_64, 0, ET_DYN, "/lib64/ld-linux-x86-64.so.2")
#define ARM64_DYN(p) add_elf(p, 3, 1, EM_AARCH64, 0, ET_DYN, "/lib/ld-linux-aarch64.so.1")

/* ------------------------------------------------------------ context */

static struct cr_config cfg;
static struct cr_exec_ctx ctx;
static struct cr_exec_plan plan;
static int have_qemu_arm64, have_qemu_arm;
static int qemu_calls;
static const char *qargs[40];

static const char *fake_find_qemu(void *ud, const struct cr_arch *a)
{
	ck_assert_ptr_eq(ud, &qemu_calls);
	qemu_calls++;
	if (strcmp(a->qemu, "aarch64") == 0 && have_qemu_arm64)
		return "/usr/bin/qemu-aarch64-static";
	if (strcmp(a->qemu, "arm") == 0 && have_qemu_arm)
		return "/opt/qemu/bin/qemu-arm";
	return NULL;
}

/* The tree every test starts from: root /r, merged /usr, an arm64 dash as
 * /bin/sh, a native (amd64) shell as /bin/nsh. */
static void setup(void)
{
	ntree = 0;
	open_fds = 0;
	opens = 0;
	qemu_calls = 0;
	have_qemu_arm64 = 1;
	have_qemu_arm = 1;
	memset(&cfg, 0, sizeof cfg);
	cfg.root = "/r";
	cfg.rootlen = 2;
	memset(&ctx, 0, sizeof ctx);
	ctx.cfg = &cfg;
	ctx.fs = &fake_fs;
	ctx.kernel = cr_arch_by_name("amd64");
	ctx.guest_cwd = "/home";
	ctx.find_qemu = fake_find_qemu;
	ctx.qemu_ud = &qemu_calls;

	add_link("/r/bin", "usr/bin");
	add_dir("/r/home");
	add_link("/r/usr/bin/sh", "dash");
	ARM64_DYN("/r/usr/bin/dash");
	X86_64_DYN("/r/usr/bin/nsh");
	ARM64_DYN("/r/usr/bin/ls");
	X86_64_DYN("/r/usr/bin/true");
	memset(&plan, 0x5a, sizeof plan);
}

static void teardown(void)
{
	ck_assert_int_eq(open_fds, 0);
}

/* The planned argv for argv (NULL-terminated), checked against want. */
static void check_argv(char *const *argv, const char *const *want)
{
	size_t argc = 0, nwant = 0;
	const char *out[64];
	while (argv[argc])
		argc++;
	while (want[nwant])
		nwant++;
	ck_assert_uint_eq(cr_exec_argc(&plan, argc), nwant);
	memset(out, 0x5a, sizeof out);
	cr_exec_build_argv(&plan, argv, argc, out);
	for (size_t i = 0; i < nwant; i++) {
		ck_assert_ptr_nonnull(out[i]);
		ck_assert_msg(strcmp(out[i], want[i]) == 0, "argv[%zu] = '%s', want '%s'",
		              i, out[i], want[i]);
	}
	ck_assert_ptr_null(out[nwant]);
}

#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })
#define WANT(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Every string of the plan lies in its arena (or is a literal / argv0). */
static void check_in_arena(const char *s)
{
	ck_assert(s >= plan.arena && s < plan.arena + plan.arena_used);
}

/* ------------------------------------------------------------ native */

START_TEST(native_elf)
{
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "true", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/true");
	check_in_arena(plan.path);
	ck_assert_ptr_null(plan.arch);
	ck_assert_int_eq(plan.substituted, 0);
	ck_assert_int_eq(plan.is_static, 0);
	ck_assert_ptr_null(plan.elf_host);       /* (only foreign programs) */
	ck_assert_str_eq(plan.guest_path, "/bin/true");
	ck_assert_uint_eq(plan.nprefix, 1);
	ck_assert_uint_eq(plan.skip, 1);
	check_argv(ARGV("true", "a", "b"), WANT("true", "a", "b"));
	ck_assert_int_eq(qemu_calls, 0);
	ck_assert_int_eq(opens, 1);
}
END_TEST

START_TEST(native_relative_and_argc0)
{
	X86_64_DYN("/r/home/prog");
	ck_assert_int_eq(cr_exec_plan(&ctx, "./prog", NULL, NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/home/prog");
	ck_assert_str_eq(plan.guest_path, "/home/prog");
	/* Empty argv: argv[0] becomes "" as Linux does since 5.18. */
	check_argv((char *const[]){ NULL }, WANT(""));
	/* No '/' without CR_EXEC_SEARCH_PATH: relative to the cwd. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "prog", "p", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/home/prog");
	/* .. cannot leave the root. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "../../../usr/bin/true", "t", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/true");
}
END_TEST

START_TEST(no_root)
{
	cfg.root = "";
	cfg.rootlen = 0;
	ARM64_DYN("/opt/arm/ls");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/opt/arm/ls", "ls", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/usr/bin/qemu-aarch64-static");
	check_argv(ARGV("ls", "-l"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/",
	                                  "-0", "ls", "/opt/arm/ls", "-l"));
	/* A staging prefix replaces "/". */
	ctx.qemu_prefix = "/stage/aarch64";
	ck_assert_int_eq(cr_exec_plan(&ctx, "/opt/arm/ls", "ls", NULL, 0, &plan), 0);
	check_argv(ARGV("ls"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/stage/aarch64",
	                            "-0", "ls", "/opt/arm/ls"));
	check_in_arena(plan.prefix[2]);
}
END_TEST

/* ----------------------------------------------------------- foreign */

START_TEST(foreign_elf_with_qemu)
{
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/usr/bin/qemu-aarch64-static");
	check_in_arena(plan.path);
	ck_assert_ptr_eq(plan.arch, cr_arch_by_name("arm64"));
	ck_assert_int_eq(plan.is_static, 0);
	/* What the preload reachability check reads (cr_reach.h). */
	ck_assert_str_eq(plan.elf_host, "/r/usr/bin/ls");
	check_in_arena(plan.elf_host);
	ck_assert_str_eq(plan.elf_interp, "/lib/ld-linux-aarch64.so.1");
	check_in_arena(plan.elf_interp);
	ck_assert_uint_eq(plan.skip, 1);
	check_argv(ARGV("ls", "-l", "/"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r",
	                                       "-0", "ls", "/r/usr/bin/ls", "-l", "/"));
	ck_assert_int_eq(qemu_calls, 1);
}
END_TEST

START_TEST(foreign_elf_without_qemu)
{
	have_qemu_arm64 = 0;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), ENOENT);
	ck_assert_str_eq(plan.why, "crossroot: /bin/ls is an arm64 (aarch64) program but "
	                 "no qemu-aarch64-static was found: install qemu-user-static "
	                 "or set CROSSROOT_QEMU_AARCH64");
	ctx.find_qemu = NULL;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), ENOENT);
	ck_assert_ptr_nonnull(strstr(plan.why, "CROSSROOT_QEMU_AARCH64"));
}
END_TEST

START_TEST(foreign_static_refused)
{
	/* Inside a fake root a static foreign ELF is refused unless allowed:
	 * qemu's -L alone would let it write on the host. */
	add_elf("/r/sbin/st", 3, 1, EM_AARCH64, 0, ET_EXEC, NULL);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/st", "st", NULL, 0, &plan), EACCES);
	ck_assert_str_eq(plan.why, "crossroot: /sbin/st is a static arm64 program: "
	                 "crossroot cannot keep it inside the root (it gets no "
	                 "libcrossroot, and qemu's -L falls back to host paths for "
	                 "files missing in the root); set CROSSROOT_ALLOW_STATIC=1 "
	                 "(crossroot --allow-static) to run it anyway");
	/* A substitution still applies (ldconfig is replaced, never refused). */
	static struct cr_subst sub[1] = { { .guest = "/sbin/st", .host = "/usr/bin/true" } };
	cfg.subst[0] = sub[0];
	cfg.nsubst = 1;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/st", "st", NULL, 0, &plan), 0);
	ck_assert_int_eq(plan.substituted, 1);
	cfg.nsubst = 0;
	/* Allowed: planned under qemu. */
	ctx.allow_static = 1;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/st", "st", NULL, 0, &plan), 0);
	ck_assert_int_eq(plan.is_static, 1);
	/* Without a fake root nothing is to be confined: it runs. */
	ctx.allow_static = 0;
	cfg.root = "";
	cfg.rootlen = 0;
	add_elf("/sbin/st2", 3, 1, EM_AARCH64, 0, ET_EXEC, NULL);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/st2", "st2", NULL, 0, &plan), 0);
	ck_assert_int_eq(plan.is_static, 1);
}
END_TEST

START_TEST(foreign_static_arm)
{
	/* armhf by e_flags, armel by default, static (no PT_INTERP). */
	ctx.allow_static = 1;
	add_elf("/r/sbin/hf", 3, 0, EM_ARM, 0x05000400, ET_EXEC, NULL);
	add_elf("/r/sbin/el", 3, 0, EM_ARM, 0x05000000, ET_EXEC, NULL);
	add_elf("/r/sbin/hfdyn", 3, 0, EM_ARM, 0x05000000, ET_DYN, "/lib/ld-linux-armhf.so.3");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/hf", "hf", NULL, 0, &plan), 0);
	ck_assert_ptr_eq(plan.arch, cr_arch_by_name("armhf"));
	ck_assert_int_eq(plan.is_static, 1);
	ck_assert_ptr_null(plan.elf_host);
	ck_assert_ptr_null(plan.elf_interp);
	check_argv(ARGV("hf"), WANT("/opt/qemu/bin/qemu-arm", "-L", "/r", "-0", "hf",
	                            "/r/sbin/hf"));
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/el", "el", NULL, 0, &plan), 0);
	ck_assert_ptr_eq(plan.arch, cr_arch_by_name("armel"));
	ck_assert_int_eq(plan.is_static, 1);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/hfdyn", "x", NULL, 0, &plan), 0);
	ck_assert_ptr_eq(plan.arch, cr_arch_by_name("armhf"));
	ck_assert_int_eq(plan.is_static, 0);
	ck_assert_str_eq(plan.elf_host, "/r/sbin/hfdyn");
	ck_assert_str_eq(plan.elf_interp, "/lib/ld-linux-armhf.so.3");
	have_qemu_arm = 0;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/sbin/el", "el", NULL, 0, &plan), ENOENT);
	ck_assert_str_eq(plan.why, "crossroot: /sbin/el is an armel (arm) program but "
	                 "no qemu-arm-static was found: install qemu-user-static "
	                 "or set CROSSROOT_QEMU_ARM");
}
END_TEST

START_TEST(foreign_qemu_args)
{
	static const char *const two[] = { "-cpu", "max", NULL };
	ctx.qemu_args = two;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/ls", "LS", NULL, 0, &plan), 0);
	check_argv(ARGV("LS", "x"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r",
	                                 "-cpu", "max", "-0", "LS", "/r/usr/bin/ls", "x"));
	check_in_arena(plan.prefix[3]);
	/* More words than the prefix holds: E2BIG, nothing overflows. */
	for (int i = 0; i < 39; i++)
		qargs[i] = "-d";
	qargs[39] = NULL;
	ctx.qemu_args = qargs;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/ls", "LS", NULL, 0, &plan), E2BIG);
	ck_assert_ptr_nonnull(strstr(plan.why, "CROSSROOT_QEMU_ARGS"));
	ck_assert_uint_le(plan.nprefix, CR_EXEC_MAX_PREFIX);
}
END_TEST

START_TEST(native_kernel_is_whatever_ctx_says)
{
	/* With an arm64 kernel the arm64 ls is native and nsh is foreign. */
	ctx.kernel = cr_arch_by_name("arm64");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/ls");
	ck_assert_ptr_null(plan.arch);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/nsh", "nsh", NULL, 0, &plan), ENOENT);
	ck_assert_ptr_nonnull(strstr(plan.why, "amd64 (x86_64)"));
}
END_TEST

/* ------------------------------------------------------------ errors */

START_TEST(bad_formats)
{
	add_elf("/r/x/unknown", 3, 1, 4242, 0, ET_DYN, NULL);
	add_elf("/r/x/object", 3, 1, EM_X86_64, 0, ET_REL, NULL);
	add_file("/r/x/corrupt", 3, "\177ELF\002\001\001\0\0\0\0\0\0\0\0\0\003\0>\0", 20);
	add_text("/r/x/data", 3, "just some text\n");
	add_text("/r/x/badsb", 3, "#!\necho hi\n");

	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/unknown", "u", NULL, 0, &plan), ENOEXEC);
	ck_assert_ptr_nonnull(strstr(plan.why, "4242"));
	ck_assert_ptr_nonnull(strstr(plan.why, "/x/unknown"));
	/* Unknown machines are not retried with /bin/sh. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/unknown", "u", NULL,
	                              CR_EXEC_SH_FALLBACK, &plan), ENOEXEC);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/object", "o", NULL, 0, &plan), ENOEXEC);
	ck_assert_ptr_nonnull(strstr(plan.why, "not an executable"));
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/corrupt", "c", NULL, 0, &plan), ENOEXEC);
	ck_assert_ptr_nonnull(strstr(plan.why, "corrupt"));
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/data", "d", NULL, 0, &plan), ENOEXEC);
	ck_assert_str_eq(plan.why, "crossroot: /x/data: neither an ELF program nor a #! "
	                 "script: exec format error");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/badsb", "b", NULL, 0, &plan), ENOEXEC);
	ck_assert_ptr_nonnull(strstr(plan.why, "bad #! line"));
}
END_TEST

START_TEST(not_found_not_executable)
{
	add_text("/r/x/noexec", 2, "#!/bin/sh\n");
	add_dir("/r/x/dir");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/missing", "m", NULL, 0, &plan), ENOENT);
	ck_assert_str_eq(plan.why, "crossroot: /x/missing: not found inside the root");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/noexec", "n", NULL, 0, &plan), EACCES);
	ck_assert_ptr_nonnull(strstr(plan.why, "/x/noexec: permission denied"));
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/dir", "d", NULL, 0, &plan), EACCES);
	ck_assert_int_eq(cr_exec_plan(&ctx, "", "e", NULL, 0, &plan), ENOENT);
	ck_assert_int_ne(plan.why[0], '\0');
	ck_assert_int_eq(cr_exec_plan(&ctx, NULL, "e", NULL, CR_EXEC_SEARCH_PATH, &plan), ENOENT);
	ck_assert_int_eq(opens, 0);
}
END_TEST

START_TEST(execute_only_program)
{
	/* Executable but unreadable: the kernel is left to decide. */
	add_elf("/r/x/secret", 1, 1, EM_X86_64, 0, ET_DYN, NULL);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/x/secret", "s", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/x/secret");
	check_argv(ARGV("s", "1"), WANT("s", "1"));
}
END_TEST

/* ------------------------------------------------------------ scripts */

START_TEST(script_foreign_interpreter)
{
	add_text("/r/usr/bin/hello.sh", 3, "#!/bin/sh -e\necho hello\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/hello.sh", "hello", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/usr/bin/qemu-aarch64-static");
	ck_assert_ptr_eq(plan.arch, cr_arch_by_name("arm64"));
	ck_assert_str_eq(plan.guest_path, "/usr/bin/hello.sh");
	check_argv(ARGV("hello", "x", "y"),
	           WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0", "/bin/sh",
	                "/r/usr/bin/dash", "-e", "/usr/bin/hello.sh", "x", "y"));
	ck_assert_int_eq(opens, 2);
}
END_TEST

START_TEST(script_native_interpreter)
{
	add_text("/r/home/run", 3, "#! /bin/nsh\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "run", "myrun", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/nsh");
	ck_assert_ptr_null(plan.arch);
	/* SCRIPT is the path as given: the interposed shell opens it. */
	check_argv(ARGV("myrun", "a"), WANT("/bin/nsh", "run", "a"));
	/* Relative interpreter: relative to the cwd, as the kernel does. */
	add_text("/r/home/rel", 3, "#!../usr/bin/nsh -x\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/home/rel", "rel", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/nsh");
	check_argv(ARGV("rel"), WANT("../usr/bin/nsh", "-x", "/home/rel"));
}
END_TEST

START_TEST(script_chain)
{
	add_text("/r/a.sh", 3, "#!/usr/bin/b.sh argA\n");
	add_text("/r/usr/bin/b.sh", 3, "#!/bin/nsh\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/a.sh", "A", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/nsh");
	check_argv(ARGV("A", "x"), WANT("/bin/nsh", "/usr/bin/b.sh", "argA", "/a.sh", "x"));

	/* Same chain ending in a foreign interpreter. */
	add_text("/r/c.sh", 3, "#!/usr/bin/d.sh dd\n");
	add_text("/r/usr/bin/d.sh", 3, "#!/bin/sh -u\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/c.sh", "C", NULL, 0, &plan), 0);
	check_argv(ARGV("C", "1", "2"),
	           WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0", "/bin/sh",
	                "/r/usr/bin/dash", "-u", "/usr/bin/d.sh", "dd", "/c.sh", "1", "2"));
}
END_TEST

START_TEST(script_nesting_limit)
{
	/* s0 -> s1 -> s2 -> s3 -> nsh: four scripts are allowed ... */
	add_text("/r/s3", 3, "#!/bin/nsh\n");
	add_text("/r/s2", 3, "#!/s3\n");
	add_text("/r/s1", 3, "#!/s2\n");
	add_text("/r/s0", 3, "#!/s1\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/s0", "s0", NULL, 0, &plan), 0);
	check_argv(ARGV("s0", "z"), WANT("/bin/nsh", "/s3", "/s2", "/s1", "/s0", "z"));
	/* ... a fifth is ELOOP. */
	add_text("/r/s-1", 3, "#!/s0\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/s-1", "s", NULL, 0, &plan), ELOOP);
	ck_assert_ptr_nonnull(strstr(plan.why, "nested #! interpreters"));
	ck_assert_ptr_nonnull(strstr(plan.why, "/s-1"));
	/* A script that names itself loops: ELOOP too. */
	add_text("/r/loop", 3, "#!/loop\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/loop", "l", NULL, 0, &plan), ELOOP);
}
END_TEST

START_TEST(script_bad_interpreter)
{
	add_text("/r/p.py", 3, "#!/usr/bin/python3\nprint(1)\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/p.py", "p", NULL, 0, &plan), ENOENT);
	ck_assert_str_eq(plan.why, "crossroot: /p.py: bad interpreter /usr/bin/python3: "
	                 "not found inside the root");
	add_text("/r/usr/bin/python3", 2, "not executable");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/p.py", "p", NULL, 0, &plan), EACCES);
	/* The interpreter is a data file: ENOEXEC (no fallback without the flag). */
	add_text("/r/q.sh", 3, "#!/x/data\n");
	add_text("/r/x/data", 3, "data");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/q.sh", "q", NULL, 0, &plan), ENOEXEC);
}
END_TEST

/* --------------------------------------------------------- sh fallback */

START_TEST(sh_fallback)
{
	add_text("/r/home/plain", 3, "echo no shebang\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "plain", "plain", NULL, 0, &plan), ENOEXEC);
	ck_assert_int_eq(cr_exec_plan(&ctx, "./plain", "plain", NULL,
	                              CR_EXEC_SH_FALLBACK, &plan), 0);
	ck_assert_ptr_eq(plan.arch, cr_arch_by_name("arm64"));
	check_argv(ARGV("plain", "a"),
	           WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0", "/bin/sh",
	                "/r/usr/bin/dash", "./plain", "a"));
	/* A bad #! line falls back the same way. */
	add_text("/r/home/empty", 3, "#!\necho\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/home/empty", "e", NULL,
	                              CR_EXEC_SH_FALLBACK, &plan), 0);
	check_argv(ARGV("e"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0",
	                           "/bin/sh", "/r/usr/bin/dash", "/home/empty"));
	/* A script whose interpreter is a plain file: sh runs the script. */
	add_text("/r/x/data", 3, "data");
	add_text("/r/home/q.sh", 3, "#!/x/data\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "q.sh", "q", NULL, CR_EXEC_SH_FALLBACK, &plan), 0);
	check_argv(ARGV("q", "1"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0",
	                                "/bin/sh", "/r/usr/bin/dash", "q.sh", "1"));
	/* No /bin/sh in the root: ENOENT, said so. */
	ntree = 0;
	add_text("/r/home/plain", 3, "echo\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/home/plain", "p", NULL,
	                              CR_EXEC_SH_FALLBACK, &plan), ENOENT);
	ck_assert_str_eq(plan.why, "crossroot: /home/plain: not a program; cannot run it "
	                 "with /bin/sh: not found inside the root");
	/* /bin/sh itself unrecognisable: ENOEXEC, no second fallback. */
	add_text("/r/bin/sh", 3, "garbage");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/home/plain", "p", NULL,
	                              CR_EXEC_SH_FALLBACK, &plan), ENOEXEC);
}
END_TEST

/* --------------------------------------------------------- PATH search */

START_TEST(path_search)
{
	add_text("/r/noexec/prog", 2, "#!/bin/nsh\n");
	X86_64_DYN("/r/usr/local/bin/prog");
	ck_assert_int_eq(cr_exec_plan(&ctx, "prog", "prog", "/nope:/noexec:/usr/local/bin",
	                              CR_EXEC_SEARCH_PATH, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/local/bin/prog");
	ck_assert_str_eq(plan.guest_path, "/usr/local/bin/prog");
	check_argv(ARGV("prog", "1"), WANT("prog", "1"));
	/* Only the unexecutable one: EACCES, as execvp. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "prog", "prog", "/nope:/noexec",
	                              CR_EXEC_SEARCH_PATH, &plan), EACCES);
	ck_assert_ptr_nonnull(strstr(plan.why, "prog: permission denied"));
	/* Nowhere. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "prog", "prog", "/nope:/bin",
	                              CR_EXEC_SEARCH_PATH, &plan), ENOENT);
	ck_assert_str_eq(plan.why, "crossroot: prog: command not found in PATH "
	                 "(/nope:/bin) inside the root");
	/* A directory of that name is skipped (EACCES remembered). */
	add_dir("/r/d1/prog");
	ck_assert_int_eq(cr_exec_plan(&ctx, "prog", "prog", "/d1:/usr/local/bin",
	                              CR_EXEC_SEARCH_PATH, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/local/bin/prog");
	/* With a '/', no search. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "usr/bin/true", "t", "/nope",
	                              CR_EXEC_SEARCH_PATH, &plan), ENOENT);
	ck_assert_int_eq(open_fds, 0);
}
END_TEST

START_TEST(path_default_and_empty_element)
{
	X86_64_DYN("/r/home/here");
	/* NULL PATH: glibc's /bin:/usr/bin; /bin is the /usr/bin link. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "true", "true", NULL, CR_EXEC_SEARCH_PATH, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/true");
	ck_assert_str_eq(plan.guest_path, "/bin/true");
	ck_assert_int_eq(cr_exec_plan(&ctx, "here", "here", NULL, CR_EXEC_SEARCH_PATH, &plan),
	                 ENOENT);
	/* Empty element = the current directory. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "here", "here", "/bin::/usr/bin",
	                              CR_EXEC_SEARCH_PATH, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/home/here");
	ck_assert_str_eq(plan.guest_path, "/home/here");
	ck_assert_int_eq(cr_exec_plan(&ctx, "here", "here", "/bin:",
	                              CR_EXEC_SEARCH_PATH, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/home/here");
	/* A name longer than NAME_MAX. */
	char longname[300];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(cr_exec_plan(&ctx, longname, "n", NULL, CR_EXEC_SEARCH_PATH, &plan),
	                 ENAMETOOLONG);
}
END_TEST

START_TEST(path_search_script)
{
	add_text("/r/usr/local/bin/tool", 3, "#!/bin/sh\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "tool", "tool", "/usr/local/bin:/bin",
	                              CR_EXEC_SEARCH_PATH, &plan), 0);
	/* SCRIPT is the path execvp built. */
	check_argv(ARGV("tool", "-v"),
	           WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0", "/bin/sh",
	                "/r/usr/bin/dash", "/usr/local/bin/tool", "-v"));
	/* execvp-style: an unknown format found on PATH goes to /bin/sh. */
	add_text("/r/usr/local/bin/plain", 3, "echo\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "plain", "plain", "/usr/local/bin",
	                              CR_EXEC_SEARCH_PATH | CR_EXEC_SH_FALLBACK, &plan), 0);
	check_argv(ARGV("plain"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r", "-0",
	                               "/bin/sh", "/r/usr/bin/dash", "/usr/local/bin/plain"));
}
END_TEST

/* --------------------------------------------------------------- subst */

START_TEST(subst)
{
	cfg.subst[0] = (struct cr_subst){ .guest = "/usr/bin/ldd", .host = "/bin/true" };
	cfg.subst[1] = (struct cr_subst){ .guest = "/usr/bin/perl", .host = "/usr/bin/hostperl" };
	cfg.nsubst = 2;

	/* Applies before any lookup: /usr/bin/ldd does not exist in the root. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/ldd", "ldd", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/bin/true");
	check_in_arena(plan.path);
	ck_assert_int_eq(plan.substituted, 1);
	ck_assert_ptr_null(plan.arch);
	check_argv(ARGV("ldd", "/bin/ls"), WANT("ldd", "/bin/ls"));
	ck_assert_int_eq(opens, 0);
	/* Found by PATH search. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "ldd", "ldd", "/usr/local/bin:/usr/bin",
	                              CR_EXEC_SEARCH_PATH, &plan), 0);
	ck_assert_str_eq(plan.path, "/bin/true");
	/* Through the /bin -> usr/bin link (the resolved path matches). */
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ldd", "ldd", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/bin/true");
	ck_assert_int_eq(plan.substituted, 1);
	/* As a script's interpreter. */
	add_text("/r/s.pl", 3, "#!/usr/bin/perl -w\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/s.pl", "s", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/usr/bin/hostperl");
	ck_assert_int_eq(plan.substituted, 1);
	check_argv(ARGV("s", "arg"), WANT("/usr/bin/perl", "-w", "/s.pl", "arg"));
}
END_TEST

/* ------------------------------------------------------- native loader */

/* A fake glibc loader: filler, the option names of its usage text (the
 * "--argv0" one straddling a 4096-byte read boundary), filler. */
static void add_loader(const char *path, int with_argv0)
{
	static unsigned char b[6000];
	memset(b, 'x', sizeof b);
	memcpy(b, "\177ELF", 4);
	memcpy(b + 1000, "--inhibit-cache", 15);
	if (with_argv0)
		memcpy(b + 4093, "--argv0", 7);
	add_file(path, 3, b, sizeof b);
}

/* A merged-/usr amd64 root with its loader behind an absolute link. */
static void native_root(int with_argv0)
{
	ctx.native_loader = 1;
	ctx.native_libpath = "/cr/lib/x86_64-linux-gnu:/cr/lib/aarch64-linux-gnu";
	add_link("/r/lib", "usr/lib");
	add_link("/r/lib64", "usr/lib64");
	add_link("/r/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
	add_loader("/r/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", with_argv0);
	add_text("/r/usr/lib/x86_64-linux-gnu/libc.so.6", 2, "lib");
}

#define LDR "/r/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
#define LP_STD "/r/usr/lib/x86_64-linux-gnu:/r/usr/lib64:/r/usr/lib"
#define LP_CR "/cr/lib/x86_64-linux-gnu:/cr/lib/aarch64-linux-gnu"

START_TEST(loader_plan)
{
	native_root(1);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "true", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, LDR);
	check_in_arena(plan.path);
	ck_assert_int_eq(plan.native_loader, 1);
	ck_assert_ptr_null(plan.arch);
	ck_assert_str_eq(plan.guest_path, "/bin/true");
	/* /lib/TRIPLET and /usr/lib/TRIPLET are one directory (merged /usr),
	 * listed once; /usr/lib64 exists; crossroot's directories last. */
	check_argv(ARGV("true", "a", "b"),
	           WANT(LDR, "--inhibit-cache", "--library-path", LP_STD ":" LP_CR,
	                "--argv0", "true", "/r/usr/bin/true", "a", "b"));
	check_in_arena(plan.prefix[3]);
	check_in_arena(plan.prefix[6]);
	/* argv[0] as the program gave it, also when empty. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/true", NULL, NULL, 0, &plan), 0);
	check_argv((char *const[]){ NULL },
	           WANT(LDR, "--inhibit-cache", "--library-path", LP_STD ":" LP_CR,
	                "--argv0", "", "/r/usr/bin/true"));
	/* No crossroot directories known: the root's only. */
	ctx.native_libpath = NULL;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "t", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.prefix[3], LP_STD);
}
END_TEST

START_TEST(loader_old_glibc_no_argv0)
{
	/* A loader without --argv0 (glibc < 2.33): the program's argv[0]
	 * is its host path. */
	native_root(0);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "true", NULL, 0, &plan), 0);
	ck_assert_int_eq(plan.native_loader, 1);
	check_argv(ARGV("true", "x"),
	           WANT(LDR, "--inhibit-cache", "--library-path", LP_STD ":" LP_CR,
	                "/r/usr/bin/true", "x"));
}
END_TEST

START_TEST(loader_ld_so_conf)
{
	native_root(1);
	ctx.native_libpath = NULL;
	add_dir("/r/opt/lib");
	add_dir("/r/usr/local/lib");
	add_link("/r/opt/link", "/opt/lib");
	add_text("/r/etc/ld.so.conf", 2,
	         "# comment\n"
	         "include /etc/ld.so.conf.d/*.conf\n"
	         "  /usr/local/lib   # trailing comment\n"
	         "/opt/link=libc6\n"
	         "/not/there\n"
	         "/usr/lib/x86_64-linux-gnu\n"
	         "hwcap 1 nosegneg\n"
	         "/opt/lib");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "t", NULL, 0, &plan), 0);
	/* ld.so.conf's directories first (as the cache would order them),
	 * links resolved in the root, missing and repeated ones left out. */
	ck_assert_str_eq(plan.prefix[3], "/r/usr/local/lib:/r/opt/lib:"
	                 "/r/usr/lib/x86_64-linux-gnu:/r/usr/lib64:/r/usr/lib");
}
END_TEST

START_TEST(loader_not_applicable)
{
	native_root(1);
	/* Switched off: direct exec, the loader is not even read. */
	ctx.native_loader = 0;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "true", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/true");
	ck_assert_int_eq(plan.native_loader, 0);
	check_argv(ARGV("true", "a"), WANT("true", "a"));
	ck_assert_int_eq(opens, 1);
	ctx.native_loader = 1;

	/* Static (no PT_INTERP): direct. */
	add_elf("/r/usr/bin/static", 3, 1, EM_X86_64, 0, ET_EXEC, NULL);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/static", "s", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/static");
	ck_assert_int_eq(plan.native_loader, 0);

	/* PT_INTERP missing in the root: direct. */
	add_elf("/r/usr/bin/other", 3, 1, EM_X86_64, 0, ET_DYN, "/lib/ld-other.so.1");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/other", "o", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/other");
	check_argv(ARGV("o"), WANT("o"));

	/* Not a glibc loader (no --inhibit-cache, e.g. musl's): direct. */
	add_text("/r/usr/lib/ld-musl-x86_64.so.1", 3, "\177ELF musl --argv0 --library-path");
	add_elf("/r/usr/bin/musl", 3, 1, EM_X86_64, 0, ET_DYN, "/lib/ld-musl-x86_64.so.1");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/musl", "m", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/musl");

	/* A program outside the root (a bind): direct, host loader. */
	cfg.binds[0] = (struct cr_bind){ "/hostbin", 8, "/hostbin", 8 };
	cfg.nbinds = 1;
	X86_64_DYN("/hostbin/tool");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/hostbin/tool", "tool", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/hostbin/tool");
	ck_assert_int_eq(plan.native_loader, 0);

	/* No fake root: direct. */
	cfg.root = "";
	cfg.rootlen = 0;
	cfg.nbinds = 0;
	X86_64_DYN("/usr/bin/hosttool");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/hosttool", "h", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/usr/bin/hosttool");
	ck_assert_int_eq(plan.native_loader, 0);
}
END_TEST

START_TEST(loader_no_libdir_or_bad_names)
{
	/* The loader is there but no library directory: the root's loader
	 * would take the host's libraries, so direct. */
	ctx.native_loader = 1;
	add_loader("/r/ld.so", 1);
	add_elf("/r/usr/bin/p", 3, 1, EM_X86_64, 0, ET_DYN, "/ld.so");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/p", "p", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/r/usr/bin/p");
	ck_assert_int_eq(plan.native_loader, 0);

	/* A root whose path the loader would split (':'): its directories
	 * cannot be named in --library-path: direct. */
	cfg.root = "/a:b";
	cfg.rootlen = 4;
	add_loader("/a:b/ld.so", 1);
	add_dir("/a:b/lib");
	add_elf("/a:b/p", 3, 1, EM_X86_64, 0, ET_DYN, "/ld.so");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/p", "p", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/a:b/p");
	ck_assert_int_eq(plan.native_loader, 0);
}
END_TEST

START_TEST(loader_script_interpreter)
{
	/* A #! script whose native interpreter runs under the root's loader. */
	native_root(1);
	ctx.native_libpath = NULL;
	add_text("/r/home/s", 3, "#!/usr/bin/nsh -e\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "./s", "s", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, LDR);
	check_argv(ARGV("s", "1"),
	           WANT(LDR, "--inhibit-cache", "--library-path", LP_STD, "--argv0",
	                "/usr/bin/nsh", "/r/usr/bin/nsh", "-e", "./s", "1"));
}
END_TEST

START_TEST(loader_limits)
{
	static char big[CR_EXEC_ARENA + 64];
	native_root(1);
	/* crossroot's directories overflow the arena: ENAMETOOLONG. */
	memset(big, 'd', sizeof big - 1);
	big[0] = '/';
	big[sizeof big - 1] = '\0';
	ctx.native_libpath = big;
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/true", "t", NULL, 0, &plan), ENAMETOOLONG);
	ck_assert_ptr_nonnull(strstr(plan.why, "exec plan too large"));
	ck_assert_uint_le(plan.arena_used, sizeof plan.arena);
	ctx.native_libpath = NULL;
	/* The most words the loader plan can take: its 7 and two per #!
	 * level at the nesting limit, within CR_EXEC_MAX_PREFIX. */
	add_text("/r/home/s1", 3, "#!/usr/bin/nsh a\n");
	add_text("/r/home/s2", 3, "#!/home/s1 b\n");
	add_text("/r/home/s3", 3, "#!/home/s2 c\n");
	add_text("/r/home/s4", 3, "#!/home/s3 d\n");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/home/s4", "s4", NULL, 0, &plan), 0);
	ck_assert_uint_eq(plan.nprefix, 7 + 2 * CR_EXEC_MAX_NEST);
	ck_assert_uint_le(plan.nprefix, CR_EXEC_MAX_PREFIX);
	check_argv(ARGV("s4", "z"),
	           WANT(LDR, "--inhibit-cache", "--library-path", LP_STD, "--argv0",
	                "/usr/bin/nsh", "/r/usr/bin/nsh", "a", "/home/s1", "b", "/home/s2",
	                "c", "/home/s3", "d", "/home/s4", "z"));
}
END_TEST

/* ------------------------------------------------------ argv building */

#define ALDR "/r/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"

/* A fresh tree whose /lib and /usr/lib/ld-linux-aarch64.so.1 are links to
 * these targets, with an arm64 loader (with or without --argv0) at ALDR. */
static void arm64_loader_tree(const char *lib, const char *ld, int with_argv0)
{
	ntree = 0;
	setup();
	add_link("/r/lib", lib);
	add_link("/r/usr/lib/ld-linux-aarch64.so.1", ld);
	add_loader(ALDR, with_argv0);
}

/* A foreign program whose loader lies behind an absolute link in the root
 * (usrmerge's conversion makes one): qemu's -L would follow it on the host,
 * so the loader, resolved inside the root, is what qemu runs. */
START_TEST(foreign_interp_behind_absolute_link)
{
	arm64_loader_tree("usr/lib", "aarch64-linux-gnu/ld-linux-aarch64.so.1", 1);
	/* Relative links only: -L finds it, the usual words. */
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), 0);
	check_argv(ARGV("ls", "-l"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r",
	                                  "-0", "ls", "/r/usr/bin/ls", "-l"));
	ck_assert_ptr_eq(plan.target, cr_arch_by_name("arm64"));
	/* A static program's environment is for what it runs: no target. */
	add_elf("/r/usr/bin/sqemu", 3, 1, EM_X86_64, 0, ET_EXEC, NULL);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/sqemu", "q", NULL, 0, &plan), 0);
	ck_assert_ptr_null(plan.target);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/usr/bin/true", "t", NULL, 0, &plan), 0);
	ck_assert_ptr_eq(plan.target, cr_arch_by_name("amd64"));

	arm64_loader_tree("usr/lib", "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", 1);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), 0);
	ck_assert_str_eq(plan.path, "/usr/bin/qemu-aarch64-static");
	check_argv(ARGV("ls", "-l"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r",
	                                  "-0", "ls", ALDR, "--argv0", "ls", "/r/usr/bin/ls", "-l"));
	/* A loader without --argv0 (glibc < 2.33). */
	arm64_loader_tree("/usr/lib", "aarch64-linux-gnu/ld-linux-aarch64.so.1", 0);
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), 0);
	check_argv(ARGV("ls"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r",
	                            "-0", "ls", ALDR, "/r/usr/bin/ls"));
	/* A dangling absolute link: nothing to run explicitly, -L decides. */
	ntree = 0;
	setup();
	add_link("/r/lib", "/nowhere");
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "ls", NULL, 0, &plan), 0);
	check_argv(ARGV("ls"), WANT("/usr/bin/qemu-aarch64-static", "-L", "/r",
	                            "-0", "ls", "/r/usr/bin/ls"));
}
END_TEST

START_TEST(build_argv_shapes)
{
	const char *out[8];
	char *const argv[] = { "a0", "a1", "a2", NULL };
	ck_assert_int_eq(cr_exec_plan(&ctx, "/bin/ls", "zero", NULL, 0, &plan), 0);
	/* argc smaller than skip: nothing of argv is copied. */
	ck_assert_uint_eq(cr_exec_argc(&plan, 0), plan.nprefix);
	cr_exec_build_argv(&plan, argv, 0, out);
	ck_assert_ptr_null(out[plan.nprefix]);
	ck_assert_str_eq(out[4], "zero");
	/* argc below the NULL: only argc words. */
	ck_assert_uint_eq(cr_exec_argc(&plan, 2), plan.nprefix + 1);
	cr_exec_build_argv(&plan, argv, 2, out);
	ck_assert_str_eq(out[plan.nprefix], "a1");
	ck_assert_ptr_null(out[plan.nprefix + 1]);
}
END_TEST

static Suite *exec_suite(void)
{
	Suite *s = suite_create("cr_exec");
	TCase *tc;

	tc = tcase_create("elf");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, native_elf);
	tcase_add_test(tc, native_relative_and_argc0);
	tcase_add_test(tc, no_root);
	tcase_add_test(tc, foreign_elf_with_qemu);
	tcase_add_test(tc, foreign_elf_without_qemu);
	tcase_add_test(tc, foreign_static_arm);
	tcase_add_test(tc, foreign_static_refused);
	tcase_add_test(tc, foreign_qemu_args);
	tcase_add_test(tc, native_kernel_is_whatever_ctx_says);
	tcase_add_test(tc, bad_formats);
	tcase_add_test(tc, not_found_not_executable);
	tcase_add_test(tc, execute_only_program);
	tcase_add_test(tc, foreign_interp_behind_absolute_link);
	tcase_add_test(tc, build_argv_shapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("loader");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, loader_plan);
	tcase_add_test(tc, loader_old_glibc_no_argv0);
	tcase_add_test(tc, loader_ld_so_conf);
	tcase_add_test(tc, loader_not_applicable);
	tcase_add_test(tc, loader_no_libdir_or_bad_names);
	tcase_add_test(tc, loader_script_interpreter);
	tcase_add_test(tc, loader_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("script");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, script_foreign_interpreter);
	tcase_add_test(tc, script_native_interpreter);
	tcase_add_test(tc, script_chain);
	tcase_add_test(tc, script_nesting_limit);
	tcase_add_test(tc, script_bad_interpreter);
	tcase_add_test(tc, sh_fallback);
	suite_add_tcase(s, tc);

	tc = tcase_create("path");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, path_search);
	tcase_add_test(tc, path_default_and_empty_element);
	tcase_add_test(tc, path_search_script);
	tcase_add_test(tc, subst);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(exec_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
