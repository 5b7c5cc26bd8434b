/* test_reach.c - unit tests of the preload reachability check
 * (src/cr_reach.c) and the dynamic-section walk under it (src/cr_elf.c).
 *
 * Real ELF files are built at test time with the host gcc: a library that
 * stands in for a preload (it exports open and two names of its own, and
 * hides a third), and programs that need only libc and call nothing it
 * exports, or call open, getenv, dlopen, an NSS lookup, or need libm.
 * Each is walked whole, then truncated at every length that cuts its
 * section headers or tables, corrupted byte by byte, and read through a
 * reader that fails; the answer must then be "may reach".  Cross compilers,
 * when installed, add the same check on aarch64 and 32-bit arm programs
 * (SKIP printed otherwise).
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_arch.h"
#include "cr_elf.h"
#include "cr_exec.h"
#include "cr_reach.h"
#include "../mem_reader.h"

/* ------------------------------------------------------------ helpers */

static char dir[4096];

static int run(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Write src to DIR/NAME.c and build DIR/NAME with gcc (cc) and flags;
 * returns 0 or the compiler's status. */
static int build(const char *cc, const char *name, const char *flags, const char *src)
{
	char path[4300], cmd[9000];
	snprintf(path, sizeof path, "%s/%s.c", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(src, f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(cmd, sizeof cmd, "cd '%s' && %s -O0 %s -o '%s' '%s.c' 2>/dev/null",
	         dir, cc, flags, name, name);
	return run(cmd);
}

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* A whole file in memory. */
struct blob {
	unsigned char *p;
	size_t n;
};

static struct blob slurp(const char *name)
{
	char path[4300];
	struct stat st;
	struct blob b;
	path_of(path, sizeof path, name);
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	b.n = (size_t)st.st_size;
	b.p = malloc(b.n);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_int_eq(read(fd, b.p, b.n), (ssize_t)b.n);
	close(fd);
	return b;
}

static char scratch[16384];

/* cr_program_may_reach on a file of dir, with flags. */
static int reach_file(const char *name, const char *interp,
                      const struct cr_symset *const *sets, size_t nsets, int flags)
{
	char path[4300];
	path_of(path, sizeof path, name);
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct cr_reader r = { cr_fd_pread, &fd };
	int got = cr_program_may_reach(&r, interp, sets, nsets, flags, scratch, sizeof scratch);
	close(fd);
	ck_assert(got == 0 || got == 1);
	return got;
}

static int reach_mem(const unsigned char *p, size_t n, const char *interp,
                     const struct cr_symset *const *sets, size_t nsets)
{
	struct memfile m = { .p = p, .n = n };
	struct cr_reader r = { mem_pread, &m };
	int got = cr_program_may_reach(&r, interp, sets, nsets, 0, scratch, sizeof scratch);
	ck_assert(got == 0 || got == 1);
	return got;
}

/* The interpreter (PT_INTERP) of a file of dir. */
static void interp_of(const char *name, char *out, size_t n)
{
	char path[4300];
	struct cr_fileinfo fi;
	path_of(path, sizeof path, name);
	ck_assert_int_eq(cr_file_identify_path(path, &fi), 0);
	ck_assert_int_eq(fi.kind, CR_FILE_ELF);
	ck_assert(fi.elf.has_interp);
	snprintf(out, n, "%s", fi.elf.interp);
}

/* ----------------------------------------------------------- fixtures */

static const char lib_src[] =
	"#include <stdarg.h>\n"
	"int open(const char *p, int f, ...) { (void)p; return f; }\n"
	"int crt_exported(void) { return 1; }\n"
	"int crt_data = 3;\n"
	"__attribute__((visibility(\"hidden\"))) int crt_hidden(void) { return 2; }\n"
	"int crt_calls(void) { extern int puts(const char *); return puts(\"x\") + crt_hidden(); }\n";

static const struct {
	const char *name, *flags, *src;
	int reaches_lib;   /* with the library's set */
	int reaches_none;  /* with no set at all */
} progs[] = {
	{ "plain", "", "int main(void) { return 0; }\n", 0, 0 },
	{ "prints", "", "#include <stdio.h>\n#include <sys/utsname.h>\n"
	  "int main(void) { struct utsname u; uname(&u); printf(\"%s\\n\", u.machine); return 0; }\n",
	  0, 0 },
	{ "opens", "", "#include <fcntl.h>\nint main(int c, char **v) { return open(v[c - 1], 0) < 0; }\n",
	  1, 0 },
	{ "getenv", "", "#include <stdlib.h>\nint main(void) { return getenv(\"HOME\") == 0; }\n",
	  1, 1 },
	{ "environ", "", "extern char **environ;\nint main(void) { return environ == 0; }\n",
	  1, 1 },
	{ "dlopen", "", "#include <dlfcn.h>\nint main(void) { return dlopen(\"x\", RTLD_NOW) == 0; }\n",
	  1, 1 },
	{ "nss", "", "#include <pwd.h>\nint main(void) { return getpwnam(\"root\") == 0; }\n",
	  1, 1 },
	{ "iconv", "", "#include <iconv.h>\nint main(void) { return iconv_open(\"a\", \"b\") == (iconv_t)-1; }\n",
	  1, 1 },
	{ "libm", "-Wl,--no-as-needed -lm",
	  "#include <math.h>\nint main(int c, char **v) { (void)v; return (int)cos((double)c); }\n",
	  1, 1 },
	{ "linked", "-Wl,--no-as-needed -L. -lcrt -Wl,-rpath,.",
	  "int main(void) { return 0; }\n", 1, 1 },
};
#define NPROGS (sizeof progs / sizeof progs[0])

static struct cr_symset libset;

static const char *prog_src(const char *name)
{
	for (size_t i = 0; i < NPROGS; i++)
		if (strcmp(progs[i].name, name) == 0)
			return progs[i].src;
	ck_abort_msg("no program %s", name);
	return NULL;
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/cr-test-reach-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(build("gcc", "libcrt.so", "-shared -fPIC", lib_src), 0);
	for (size_t i = 0; i < NPROGS; i++)
		ck_assert_msg(build("gcc", progs[i].name, progs[i].flags, progs[i].src) == 0,
		              "gcc cannot build %s", progs[i].name);
	ck_assert_int_eq(build("gcc", "static", "-static", "int main(void) { return 0; }\n"), 0);

	char path[4300];
	path_of(path, sizeof path, "libcrt.so");
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct cr_reader r = { cr_fd_pread, &fd };
	ck_assert_int_eq(cr_symset_reach(&libset, &r, scratch, sizeof scratch), 0);
	close(fd);
}

static void teardown(void)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(run(cmd), 0);
}

/* ---------------------------------------------------------- the names */

START_TEST(gnu_hash)
{
	/* The values the GNU hash section's users quote. */
	ck_assert_uint_eq(cr_symbol_hash(""), 0x1505);
	ck_assert_uint_eq(cr_symbol_hash("printf"), 0x156b2bb8);
	ck_assert_uint_eq(cr_symbol_hash("exit"), 0x7c967e3f);
}
END_TEST

START_TEST(seeing_names)
{
	static const char *const yes[] = {
		"getenv", "secure_getenv", "environ", "__environ", "dlopen", "dlsym",
		"iconv_open", "getlogin", "initgroups", "getaddrinfo", "getnameinfo",
		"getpwnam", "getpwuid_r", "setpwent", "endpwent", "getgrgid", "getspnam",
		"getsgnam", "gethostbyname", "sethostent", "getservbyname", "getprotobyname",
		"getnetbyname", "getnetgrent", "setnetgrent", "getrpcbyname", "getaliasbyname",
		"ether_ntohost", "ruserok",
	};
	static const char *const no[] = {
		"", "printf", "getpid", "getppid", "getcwd", "gettimeofday", "setvbuf",
		"setsid", "getsockname", "getrusage", "endian", "get", "set", "end",
		"ether", "environ2", "getenvx", "dlclose", "open", "uname",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		ck_assert_msg(cr_symbol_sees_env_or_loads(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		ck_assert_msg(!cr_symbol_sees_env_or_loads(no[i]), "%s", no[i]);
}
END_TEST

/* ------------------------------------------------------------- walking */

struct seen {
	char needed[8][64];
	int nneeded;
	int main_defined, libc_start_undefined, symbols;
	int stop_after;    /* nonzero: stop at this many symbols */
};

static int see_needed(void *ud, const char *name)
{
	struct seen *s = ud;
	if (s->nneeded < 8)
		snprintf(s->needed[s->nneeded], sizeof s->needed[0], "%s", name);
	s->nneeded++;
	return 0;
}

static int see_symbol(void *ud, const char *name, int defined, int bind, int type)
{
	struct seen *s = ud;
	ck_assert_str_ne(name, "");
	if (strcmp(name, "__libc_start_main") == 0 && !defined && type == STT_FUNC &&
	    bind == STB_GLOBAL)
		s->libc_start_undefined = 1;
	if (strcmp(name, "crt_exported") == 0 && defined && type == STT_FUNC)
		s->main_defined = 1;
	s->symbols++;
	return s->stop_after != 0 && s->symbols == s->stop_after;
}

START_TEST(walk_program)
{
	char path[4300];
	path_of(path, sizeof path, "plain");
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct cr_reader r = { cr_fd_pread, &fd };
	struct seen s = { 0 };
	struct cr_dynamic_visitor v = { see_needed, see_symbol, &s };
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v, scratch, sizeof scratch), 0);
	ck_assert_int_eq(s.nneeded, 1);
	ck_assert_str_eq(s.needed[0], "libc.so.6");
	ck_assert(s.libc_start_undefined);
	ck_assert_int_ge(s.symbols, 1);

	/* A callback stops it. */
	struct seen s2 = { 0 };
	s2.stop_after = 1;
	v.ud = &s2;
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v, scratch, sizeof scratch), CR_ELF_STOPPED);
	ck_assert_int_eq(s2.symbols, 1);

	/* No needed callback: symbols only. */
	struct seen s3 = { 0 };
	struct cr_dynamic_visitor v3 = { NULL, see_symbol, &s3 };
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v3, scratch, sizeof scratch), 0);
	ck_assert_int_eq(s3.symbols, s.symbols);

	/* A string table larger than the buffer. */
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v3, scratch, 8), EFBIG);
	close(fd);

	/* A program linked with the library needs it, then libc, in order. */
	path_of(path, sizeof path, "linked");
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct seen s4 = { 0 };
	v.ud = &s4;
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v, scratch, sizeof scratch), 0);
	ck_assert_int_eq(s4.nneeded, 2);
	ck_assert_str_eq(s4.needed[0], "libcrt.so");
	ck_assert_str_eq(s4.needed[1], "libc.so.6");
	close(fd);
}
END_TEST

START_TEST(walk_static_and_not_elf)
{
	char path[4300];
	struct seen s = { 0 };
	struct cr_dynamic_visitor v = { see_needed, see_symbol, &s };
	path_of(path, sizeof path, "static");
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct cr_reader r = { cr_fd_pread, &fd };
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v, scratch, sizeof scratch), ENOEXEC);
	close(fd);
	/* The C source beside it. */
	path_of(path, sizeof path, "plain.c");
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(cr_elf_walk_dynamic(&r, &v, scratch, sizeof scratch), ENOEXEC);
	close(fd);
	/* A failing reader. */
	struct memfile m = { .err = EIO };
	struct cr_reader bad = { mem_pread, &m };
	ck_assert_int_eq(cr_elf_walk_dynamic(&bad, &v, scratch, sizeof scratch), EIO);
	ck_assert_int_eq(s.nneeded, 0);
}
END_TEST

/* ------------------------------------------------------------- exports */

START_TEST(library_exports)
{
	ck_assert(cr_symset_has(&libset, "open"));
	ck_assert(cr_symset_has(&libset, "crt_exported"));
	ck_assert(cr_symset_has(&libset, "crt_data"));
	ck_assert(cr_symset_has(&libset, "crt_calls"));
	ck_assert(!cr_symset_has(&libset, "crt_hidden"));  /* not exported */
	ck_assert(!cr_symset_has(&libset, "puts"));        /* imported */
	ck_assert(!cr_symset_has(&libset, "printf"));
	/* The names that see the environment or load code are in every set. */
	ck_assert(cr_symset_has(&libset, "getenv"));
	ck_assert(cr_symset_has(&libset, "dlopen"));
	ck_assert(cr_symset_has(&libset, "environ"));
	ck_assert_int_eq(libset.with_seeing, 1);
	/* Sorted and distinct. */
	ck_assert_uint_ge(libset.n, 8);
	for (size_t i = 1; i < libset.n; i++)
		ck_assert_uint_lt(libset.hash[i - 1], libset.hash[i]);

	/* A program is no library with exports: a static one cannot be read. */
	char path[4300];
	struct cr_symset set;
	path_of(path, sizeof path, "static");
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct cr_reader r = { cr_fd_pread, &fd };
	ck_assert_int_eq(cr_symset_reach(&set, &r, scratch, sizeof scratch), ENOEXEC);
	close(fd);
	/* A string table larger than the buffer. */
	path_of(path, sizeof path, "libcrt.so");
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(cr_symset_reach(&set, &r, scratch, 16), EFBIG);
	close(fd);
}
END_TEST

/* -------------------------------------------------------------- programs */

START_TEST(programs)
{
	char interp[CR_INTERP_MAX];
	const struct cr_symset *sets[] = { &libset };
	interp_of(progs[_i].name, interp, sizeof interp);
	ck_assert_msg(reach_file(progs[_i].name, interp, sets, 1, 0) == progs[_i].reaches_lib,
	              "%s with the library's exports", progs[_i].name);
	ck_assert_msg(reach_file(progs[_i].name, interp, NULL, 0, 0) == progs[_i].reaches_none,
	              "%s with no exports", progs[_i].name);
	/* Walking to the end gives the same answers. */
	ck_assert_int_eq(reach_file(progs[_i].name, interp, sets, 1, CR_REACH_WALK_ALL),
	                 progs[_i].reaches_lib);
	ck_assert_int_eq(reach_file(progs[_i].name, interp, NULL, 0, CR_REACH_WALK_ALL),
	                 progs[_i].reaches_none);
	/* Two sets: the library's found second. */
	struct cr_symset empty = { 0 };
	const struct cr_symset *two[] = { &empty, &libset };
	ck_assert_int_eq(reach_file(progs[_i].name, interp, two, 2, 0), progs[_i].reaches_lib);
	/* A set made by hand, with only "open" and without the names that see
	 * the environment: those are still caught. */
	struct cr_symset bare = { 1, 0, { cr_symbol_hash("open") } };
	const struct cr_symset *hand[] = { &bare };
	ck_assert_int_eq(reach_file(progs[_i].name, interp, hand, 1, 0), progs[_i].reaches_lib);
}
END_TEST

START_TEST(program_loader_and_doubt)
{
	char interp[CR_INTERP_MAX];
	const struct cr_symset *sets[] = { &libset };
	interp_of("plain", interp, sizeof interp);
	/* Without its interpreter named, a program that needs only libc.so.6
	 * still cannot reach (the loader is then not among its needs). */
	ck_assert_int_eq(reach_file("plain", NULL, sets, 1, 0), 0);
	ck_assert_int_eq(reach_file("plain", "/", sets, 1, 0), 0);
	/* Static programs and non-ELF files: doubt. */
	ck_assert_int_eq(reach_file("static", NULL, sets, 1, 0), 1);
	ck_assert_int_eq(reach_file("plain.c", interp, sets, 1, 0), 1);
	/* A string table larger than the scratch buffer: doubt. */
	char path[4300];
	path_of(path, sizeof path, "plain");
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	struct cr_reader r = { cr_fd_pread, &fd };
	char small[16];
	ck_assert_int_eq(cr_program_may_reach(&r, interp, sets, 1, 0, small, sizeof small), 1);
	close(fd);
	/* A failing reader: doubt. */
	struct memfile m = { .err = EIO };
	struct cr_reader bad = { mem_pread, &m };
	ck_assert_int_eq(cr_program_may_reach(&bad, interp, sets, 1, 0, scratch, sizeof scratch), 1);
}
END_TEST

/* Every truncation of a program that cannot reach: the section headers
 * are at the end of the file, so any cut loses them (or a table) and
 * the answer must be "may reach"; the whole file still says 0. */
START_TEST(program_truncated)
{
	char interp[CR_INTERP_MAX];
	const struct cr_symset *sets[] = { &libset };
	interp_of("plain", interp, sizeof interp);
	struct blob b = slurp("plain");
	ck_assert_int_eq(reach_mem(b.p, b.n, interp, sets, 1), 0);
	for (size_t n = 0; n < b.n; n += n < 128 ? 1 : 61)
		ck_assert_msg(reach_mem(b.p, n, interp, sets, 1) == 1, "cut at %zu", n);
	ck_assert_int_eq(reach_mem(b.p, b.n - 1, interp, sets, 1), 1);
	free(b.p);
}
END_TEST

/* Corruption of every byte of the file to each of five values: never a
 * crash or a read outside the file (the sanitizer build checks), always
 * an answer; and names changed in place to ones that reach are seen. */
START_TEST(program_corrupted)
{
	char interp[CR_INTERP_MAX];
	const struct cr_symset *sets[] = { &libset };
	interp_of("prints", interp, sizeof interp);
	struct blob b = slurp("prints");
	unsigned char *copy = malloc(b.n);
	ck_assert_ptr_nonnull(copy);
	static const unsigned char values[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
	memcpy(copy, b.p, b.n);
	for (size_t off = 0; off < b.n; off++) {
		for (size_t k = 0; k < sizeof values; k++) {
			if (b.p[off] == values[k])
				continue;
			copy[off] = values[k];
			(void)reach_mem(copy, b.n, interp, sets, 1);
		}
		copy[off] = b.p[off];
	}
	ck_assert_int_eq(reach_mem(copy, b.n, interp, sets, 1), 0);
	/* Names changed in place: the needed "libc.so.6" to "libm.so.6", the
	 * imported "uname" to a name nobody exports, then to "open". */
	memcpy(copy, b.p, b.n);
	unsigned char *p = memmem(copy, b.n, "libc.so.6", 10);
	ck_assert_ptr_nonnull(p);
	memcpy(p, "libm.so.6", 10);
	ck_assert_int_eq(reach_mem(copy, b.n, interp, sets, 1), 1);
	memcpy(copy, b.p, b.n);
	p = memmem(copy, b.n, "uname", 6);
	ck_assert_ptr_nonnull(p);
	memcpy(p, "opena", 6);   /* not exported: still 0 */
	ck_assert_int_eq(reach_mem(copy, b.n, interp, sets, 1), 0);
	memcpy(p, "open\0", 6);  /* exported by the library */
	ck_assert_int_eq(reach_mem(copy, b.n, interp, sets, 1), 1);
	free(copy);
	free(b.p);
}
END_TEST

/* ---------------------------------------------------------- exec plans */

static const struct cr_symset *exports_of(void *ud, const char *path)
{
	(void)path;
	return ud;
}

START_TEST(plans)
{
	char prog[4300], lib[4300], pre[4400], interp[CR_INTERP_MAX];
	path_of(prog, sizeof prog, "prints");
	path_of(lib, sizeof lib, "libcrt.so");
	interp_of("prints", interp, sizeof interp);
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", lib);
	const char *paths[] = { lib, NULL };
	char *env[] = { (char *)"A=1", pre, NULL };
	struct cr_exec_plan plan;
	memset(&plan, 0, sizeof plan);
	plan.elf_host = prog;
	plan.elf_interp = interp;

	ck_assert_int_eq(cr_preloads_unreachable(&plan, env, paths, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 1);
	/* A program that opens files keeps its preloads. */
	char opens[4300];
	path_of(opens, sizeof opens, "opens");
	plan.elf_host = opens;
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env, paths, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 0);
	plan.elf_host = prog;
	/* No foreign dynamic ELF planned (a host program, a static one). */
	plan.elf_host = NULL;
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env, paths, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 0);
	plan.elf_host = prog;
	/* LD_PRELOAD names a library that is not among paths (the user's). */
	char *env2[] = { (char *)"LD_PRELOAD=/elsewhere/libx.so", NULL };
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env2, paths, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 0);
	char *env3[] = { (char *)"A=1", NULL };
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env3, paths, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 0);
	/* Exports unknown. */
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env, paths, exports_of, NULL, 0,
	                                         scratch, sizeof scratch), 0);
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env, NULL, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 0);
	/* The program is gone. */
	char gone[4300];
	path_of(gone, sizeof gone, "no-such-program");
	plan.elf_host = gone;
	ck_assert_int_eq(cr_preloads_unreachable(&plan, env, paths, exports_of, &libset, 0,
	                                         scratch, sizeof scratch), 0);
}
END_TEST

/* ------------------------------------------------------ guest programs */

static const struct {
	const char *triplet, *debian;
} cross[] = {
	{ "aarch64-linux-gnu", "arm64" },
	{ "arm-linux-gnueabi", "armel" },
	{ "arm-linux-gnueabihf", "armhf" },
};

START_TEST(cross_programs)
{
	char cc[128], cmd[256], interp[CR_INTERP_MAX];
	const struct cr_arch *a = cr_arch_by_name(cross[_i].debian);
	const struct cr_symset *sets[] = { &libset };
	ck_assert_ptr_nonnull(a);
	snprintf(cc, sizeof cc, "%s-gcc", cross[_i].triplet);
	snprintf(cmd, sizeof cmd, "%s --version >/dev/null 2>&1", cc);
	if (run(cmd) != 0) {
		printf("SKIP: %s not installed: no %s program walked\n", cc, cross[_i].debian);
		return;
	}
	ck_assert_int_eq(build(cc, "g-plain", "", prog_src("prints")), 0);
	ck_assert_int_eq(build(cc, "g-getenv", "", prog_src("getenv")), 0);
	ck_assert_int_eq(build(cc, "g-opens", "", prog_src("opens")), 0);
	interp_of("g-plain", interp, sizeof interp);
	ck_assert_str_eq(interp, a->loader);
	ck_assert_int_eq(reach_file("g-plain", interp, sets, 1, 0), 0);
	ck_assert_int_eq(reach_file("g-plain", interp, sets, 1, CR_REACH_WALK_ALL), 0);
	ck_assert_int_eq(reach_file("g-getenv", interp, sets, 1, 0), 1);
	ck_assert_int_eq(reach_file("g-opens", interp, sets, 1, 0), 1);
	ck_assert_int_eq(reach_file("g-opens", interp, NULL, 0, 0), 0);
}
END_TEST

static Suite *reach_suite(void)
{
	Suite *s = suite_create("cr_reach");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, gnu_hash);
	tcase_add_test(tc, seeing_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, walk_program);
	tcase_add_test(tc, walk_static_and_not_elf);
	tcase_add_test(tc, library_exports);
	tcase_add_loop_test(tc, programs, 0, (int)NPROGS);
	tcase_add_test(tc, program_loader_and_doubt);
	tcase_add_test(tc, program_truncated);
	tcase_add_test(tc, program_corrupted);
	tcase_add_test(tc, plans);
	tcase_add_loop_test(tc, cross_programs, 0, (int)(sizeof cross / sizeof cross[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(reach_suite());
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
