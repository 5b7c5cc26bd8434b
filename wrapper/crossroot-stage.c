/* crossroot-stage.c - the crossroot-stage command: stage a guest C library
 * (dynamic loader and libc family), the guest build of libcrossroot and
 * optionally a guest libfakeroot under PREFIX/<qemu name>/, the tree qemu
 * is given as -L when a foreign program runs outside any root.
 *
 * Sources are a root file system (--from-root) or Debian packages
 * (--from-deb, unpacked with dpkg-deb -x into a temporary directory inside
 * PREFIX).  Every staged ELF is checked with libelf to be of the staged
 * architecture.  The new tree is built beside the old one and swapped in
 * with a rename, so a failure leaves the previous state; nothing is written
 * outside PREFIX.  --list describes the staged trees, --remove drops one.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <getopt.h>
#include <libelf.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_arch.h"
#include "cr_config.h"
#include "cr_elf.h"
#include "cr_path.h"
#include "cli_util.h"

#define PROG "crossroot-stage"
#define MAX_DEBS 64
#define EXIT_USAGE 2

/* The C library family staged beside the loader (first hit in the search
 * directories of the source tree); only libc.so.6 is required. */
static const char *const libc_family[] = {
	"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
	"libresolv.so.2", "libnss_files.so.2", "libgcc_s.so.1", NULL
};

static struct {
	char prefix[PATH_MAX];
	const struct cr_arch *arch;
	const char *from_root;
	const char *debs[MAX_DEBS];
	size_t ndebs;
	const char *with_fakeroot;
	int list;
	const char *remove;
	int verbose;
} opt;

/* Temporary trees removed on every exit path. */
static char tmp_paths[3][PATH_MAX];

static void cleanup(void)
{
	for (size_t i = 0; i < 3; i++)
		if (tmp_paths[i][0]) {
			cli_rm_rf(tmp_paths[i]);
			tmp_paths[i][0] = '\0';
		}
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	if (!opt.verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void usage(void)
{
	printf(
"Usage: crossroot-stage [--prefix DIR] [--arch ARCH] --from-root ROOT\n"
"                       [--with-fakeroot FILE.deb|ROOT]\n"
"  or:  crossroot-stage [--prefix DIR] [--arch ARCH] --from-deb FILE.deb...\n"
"                       [--with-fakeroot FILE.deb|ROOT]\n"
"  or:  crossroot-stage [--prefix DIR] --arch ARCH --with-fakeroot FILE.deb|ROOT\n"
"  or:  crossroot-stage [--prefix DIR] --list\n"
"  or:  crossroot-stage [--prefix DIR] --remove ARCH\n"
"Stage a guest C library, the guest libcrossroot and optionally a guest\n"
"libfakeroot under PREFIX/<qemu name>/, for foreign programs run outside\n"
"any root (crossroot / ./program).\n"
"\n"
"  -p, --prefix=DIR          stage under DIR (default $CROSSROOT_STAGE_PREFIX,\n"
"                            else " CR_DEFAULT_STAGE_PREFIX ")\n"
"  -a, --arch=ARCH           the architecture (default: from the packages,\n"
"                            else from libc.so.6)\n"
"  -r, --from-root=ROOT      take the C library from the root file system ROOT\n"
"  -d, --from-deb=FILE.deb   take it from Debian packages (libc6, libgcc-s1);\n"
"                            more packages may follow as operands\n"
"  -f, --with-fakeroot=FILE.deb|ROOT\n"
"                            also stage libfakeroot from a libfakeroot package\n"
"                            or a root that has it installed\n"
"  -l, --list                describe the staged architectures\n"
"      --remove=ARCH         remove the tree staged for ARCH\n"
"  -v, --verbose             name every staged file\n"
"      --help                display this help and exit\n"
"      --version             output version information and exit\n");
}

/* ------------------------------------------------------------ processes */
/* Run argv (no shell); with out, capture its standard output.  Returns the
 * exit status, or -1 when it could not run. */
static int run(char *const argv[], char *out, size_t outsz)
{
	int fds[2] = { -1, -1 };
	if (out && pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (out)
			dup2(fds[1], 1);
		execvp(argv[0], argv);
		fprintf(stderr, PROG ": cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		close(fds[1]);
		size_t used = 0;
		ssize_t n;
		while ((n = read(fds[0], out + used, outsz - 1 - used)) > 0 ||
		       (n < 0 && errno == EINTR))
			if (n > 0 && (used += (size_t)n) >= outsz - 1)
				break;
		out[used] = '\0';
		close(fds[0]);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The Architecture field of a package ("" for Architecture: all). */
static void deb_arch(const char *deb, char *out, size_t outsz)
{
	char *argv[] = { "dpkg-deb", "-f", "--", (char *)deb, "Architecture", NULL };
	int st = run(argv, out, outsz);
	if (st == 127)
		die("cannot run dpkg-deb: install dpkg");
	if (st != 0)
		die("%s is not a valid Debian package", deb);
	out[strcspn(out, " \t\n")] = '\0';
	if (strcmp(out, "all") == 0)
		out[0] = '\0';
}

static void deb_extract(const char *deb, const char *dir)
{
	char *argv[] = { "dpkg-deb", "-x", "--", (char *)deb, (char *)dir, NULL };
	say("unpacking %s", deb);
	int st = run(argv, NULL, 0);
	if (st != 0)
		die("cannot unpack %s: dpkg-deb failed", deb);
}

/* ------------------------------------------------------------ ELF checks */
/* Does the file's ELF header fit arch a?  0, or dies naming what it is. */
static void verify_elf(const char *path, const char *shown, const struct cr_arch *a)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open %s: %s", shown, strerror(errno));
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		if (e)
			elf_end(e);
		close(fd);
		die("%s is not an ELF file", shown);
	}
	elf_end(e);
	close(fd);
	unsigned cls = eh.e_ident[EI_CLASS], data = eh.e_ident[EI_DATA];
	int ok = eh.e_machine == a->machine && cls == a->elfclass && data == a->data;
	if (ok && a->machine == EM_ARM) {
		if ((eh.e_flags & EF_ARM_ABI_FLOAT_HARD) && a->armfloat == CR_FLOAT_SOFT)
			ok = 0;
		if ((eh.e_flags & EF_ARM_ABI_FLOAT_SOFT) && a->armfloat == CR_FLOAT_HARD)
			ok = 0;
	}
	if (!ok) {
		char buf[96];
		die("%s is %s, not %s", shown,
		    cli_machine_name(eh.e_machine, cls, data, eh.e_flags, buf, sizeof buf),
		    a->debian);
	}
}


/* The glibc version a libc.so.6 announces ("2.36"), or "unknown". */
static void libc_version(const char *path, char *out, size_t outsz)
{
	static const char key[] = "release version ";
	snprintf(out, outsz, "unknown");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	static char buf[1 << 16];
	off_t off = 0;
	ssize_t n;
	while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
		char *hit = memmem(buf, (size_t)n, key, sizeof key - 1);
		if (hit && (size_t)(hit - buf) + sizeof key + 16 <= (size_t)n) {
			char *v = hit + sizeof key - 1;
			size_t l = 0;
			while (l < 15 && ((v[l] >= '0' && v[l] <= '9') || v[l] == '.'))
				l++;
			if (l && v[l - 1] == '.')
				l--;
			if (l) {
				snprintf(out, outsz, "%.*s", (int)l, v);
				break;
			}
		}
		if (n < (ssize_t)sizeof buf)
			break;
		off += n - (off_t)(sizeof key + 16);   /* overlap: key across reads */
	}
	close(fd);
}

/* ------------------------------------------------------------ source tree */
struct source {
	struct cr_config cfg;   /* root = the source tree */
	char root[PATH_MAX];
};

static void source_init(struct source *s, const char *dir)
{
	if (!realpath(dir, s->root))
		die("cannot use %s: %s", dir, strerror(errno));
	if (!cli_is_dir(s->root))
		die("%s is not a directory", dir);
	memset(&s->cfg, 0, sizeof s->cfg);
	int rc = cr_config_set_root(&s->cfg, s->root);
	if (rc)
		die("cannot use %s: %s", dir, strerror(rc));
}

/* Host path of a regular file at guest path inside the source, or 0. */
static int source_file(const struct source *s, const char *guest, char *host, size_t hostsz)
{
	return cr_resolve(&s->cfg, &cr_sys_fsops, "/", guest, CR_FOLLOW, host, hostsz) == 0 &&
	       cli_is_file(host);
}

/* Search the library directories of triplet t for name: the guest path
 * found is written to guest, the host path to host. */
static int source_find(const struct source *s, const char *t, const char *name,
                       char *guest, size_t guestsz, char *host, size_t hostsz)
{
	char ld[PATH_MAX], uld[PATH_MAX];
	cli_fmt(ld, sizeof ld, "/lib/%s", t);
	cli_fmt(uld, sizeof uld, "/usr/lib/%s", t);
	const char *dirs[] = { ld, uld, "/lib", "/usr/lib", "/lib64", "/usr/lib64", NULL };
	for (size_t i = 0; dirs[i]; i++) {
		const char *d = dirs[i];
		if (cli_fmt(guest, guestsz, "%s/%s", d, name) == 0 &&
		    source_file(s, guest, host, hostsz))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ staging */
struct stage {
	char tmp[PATH_MAX];     /* PREFIX/.<qemu>.tmpXXXXXX */
	const struct cr_arch *a;
	size_t nfiles;
	int has_crossroot, has_fakeroot;
	char libc_version[32];
};

static void copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die("cannot open %s: %s", src, strerror(errno));
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (out < 0)
		die("cannot create %s: %s", dst, strerror(errno));
	static char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("cannot read %s: %s", src, strerror(errno));
		}
		for (ssize_t w = 0; w < n; ) {
			ssize_t m = write(out, buf + w, (size_t)(n - w));
			if (m < 0) {
				if (errno == EINTR)
					continue;
				die("cannot write %s: %s", dst, strerror(errno));
			}
			w += m;
		}
	}
	close(in);
	if (fchmod(out, mode) != 0 || close(out) != 0)
		die("cannot write %s: %s", dst, strerror(errno));
}

/* Stage host file src at guest path rel (absolute, inside the tree). */
static void stage_file(struct stage *st, const char *src, const char *shown, const char *rel)
{
	char dst[PATH_MAX], dir[PATH_MAX];
	verify_elf(src, shown, st->a);
	if (cli_fmt(dst, sizeof dst, "%s%s", st->tmp, rel))
		die("path too long: %s%s", st->tmp, rel);
	snprintf(dir, sizeof dir, "%s", dst);
	*strrchr(dir, '/') = '\0';
	int rc = cli_mkdir_p(dir);
	if (rc)
		die("cannot create %s: %s", dir, strerror(rc));
	struct stat sb;
	if (lstat(dst, &sb) == 0)
		return;     /* already staged (two names for one file) */
	struct stat ss;
	mode_t mode = (stat(src, &ss) == 0 && (ss.st_mode & 0111)) ? 0755 : 0644;
	copy_file(src, dst, mode);
	st->nfiles++;
	say("staged %s as %s", shown, rel);
}

/* Copy an existing staged tree into the new one (update mode). */
static struct stage *copy_st;
static const char *copy_from;

static int copy_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)ftw;
	char dst[PATH_MAX];
	if (cli_fmt(dst, sizeof dst, "%s%s", copy_st->tmp, path + strlen(copy_from)))
		return ENAMETOOLONG;
	if (type == FTW_D) {
		if (strcmp(path, copy_from) != 0 && mkdir(dst, 0755) != 0)
			return errno;
	} else if (type == FTW_SL) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			return errno;
		target[n] = '\0';
		if (symlink(target, dst) != 0)
			return errno;
	} else if (type == FTW_F) {
		copy_file(path, dst, sb->st_mode & 0777);
	} else {
		return EIO;
	}
	return 0;
}

static void stage_libc(struct stage *st, const struct source *src, const char *srcname)
{
	char guest[PATH_MAX], host[PATH_MAX], shown[2 * PATH_MAX];
	const char *t = st->a->triplet;
	if (!source_find(src, t, "libc.so.6", guest, sizeof guest, host, sizeof host))
		die("no libc.so.6 in %s (looked in lib/%s, usr/lib/%s, lib, usr/lib)",
		    srcname, t, t);
	snprintf(shown, sizeof shown, "%s%s", srcname, guest);
	verify_elf(host, shown, st->a);
	libc_version(host, st->libc_version, sizeof st->libc_version);

	/* The loader, at the path libc.so.6 names (its PT_INTERP). */
	struct cr_fileinfo fi;
	const char *interp = st->a->loader;
	if (cr_file_identify_path(host, &fi) == 0 && fi.kind == CR_FILE_ELF && fi.elf.has_interp &&
	    fi.elf.interp[0] == '/')
		interp = fi.elf.interp;
	char lhost[PATH_MAX], lguest[PATH_MAX];
	const char *base = strrchr(interp, '/') + 1;
	if (!source_file(src, interp, lhost, sizeof lhost) &&
	    !source_find(src, t, base, lguest, sizeof lguest, lhost, sizeof lhost))
		die("no dynamic loader %s in %s", interp, srcname);
	snprintf(shown, sizeof shown, "%s%s", srcname, interp);
	stage_file(st, lhost, shown, interp);

	for (size_t i = 0; libc_family[i]; i++) {
		if (!source_find(src, t, libc_family[i], guest, sizeof guest, host, sizeof host))
			continue;
		snprintf(shown, sizeof shown, "%s%s", srcname, guest);
		stage_file(st, host, shown, guest);
	}
}

static void stage_fakeroot(struct stage *st, const struct source *src, const char *srcname)
{
	static const char *const names[] = { "libfakeroot-sysv.so", "libfakeroot-tcp.so", NULL };
	char guest[PATH_MAX], host[PATH_MAX], shown[2 * PATH_MAX], rel[PATH_MAX];
	for (size_t i = 0; names[i]; i++) {
		cli_fmt(guest, sizeof guest, "/usr/lib/%s/libfakeroot/%s", st->a->triplet, names[i]);
		if (!source_file(src, guest, host, sizeof host)) {
			if (i == 0)
				die("no %s in %s (expected %s)", names[i], srcname, guest + 1);
			continue;
		}
		snprintf(shown, sizeof shown, "%s%s", srcname, guest);
		cli_fmt(rel, sizeof rel, "/usr/lib/%s/crossroot/%s", st->a->triplet, names[i]);
		char dst[PATH_MAX];
		cli_fmt(dst, sizeof dst, "%s%s", st->tmp, rel);
		unlink(dst);    /* replace one carried over from the old tree */
		stage_file(st, host, shown, rel);
	}
	st->has_fakeroot = 1;
}

static void stage_crossroot(struct stage *st)
{
	const char *libdir = cli_libdir("crossroot-stage");
	char src[PATH_MAX], rel[PATH_MAX], dst[PATH_MAX];
	cli_fmt(rel, sizeof rel, "/usr/lib/%s/crossroot", st->a->triplet);
	cli_fmt(dst, sizeof dst, "%s%s", st->tmp, rel);
	int rc = cli_mkdir_p(dst);
	if (rc)
		die("cannot create %s: %s", dst, strerror(rc));
	cli_fmt(src, sizeof src, "%s/%s/libcrossroot.so", libdir, st->a->triplet);
	strcat(rel, "/libcrossroot.so");
	strcat(dst, "/libcrossroot.so");
	if (!cli_is_file(src)) {
		if (cli_is_file(dst)) {
			st->has_crossroot = 1;
			return;
		}
		fprintf(stderr, PROG ": note: no %s build of libcrossroot (%s); "
		        "staged without it\n", st->a->debian, src);
		return;
	}
	unlink(dst);
	stage_file(st, src, src, rel);
	st->has_crossroot = 1;
}

/* Swap the new tree in place of PREFIX/<qemu>. */
static void commit(struct stage *st)
{
	char final[PATH_MAX], old[PATH_MAX];
	cli_fmt(final, sizeof final, "%s/%s", opt.prefix, st->a->qemu);
	struct stat sb;
	if (lstat(final, &sb) != 0) {
		if (rename(st->tmp, final) != 0)
			die("cannot create %s: %s", final, strerror(errno));
		st->tmp[0] = '\0';
		tmp_paths[0][0] = '\0';
		return;
	}
	if (renameat2(AT_FDCWD, st->tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
		/* tmp now holds the old tree: cleanup() removes it. */
		cleanup();
		return;
	}
	if (errno != EINVAL && errno != ENOSYS)
		die("cannot replace %s: %s", final, strerror(errno));
	cli_fmt(old, sizeof old, "%s/.%s.oldXXXXXX", opt.prefix, st->a->qemu);
	if (!mkdtemp(old))
		die("cannot create a directory in %s: %s", opt.prefix, strerror(errno));
	snprintf(tmp_paths[1], sizeof tmp_paths[1], "%s", old);
	if (rename(final, old) != 0)
		die("cannot replace %s: %s", final, strerror(errno));
	if (rename(st->tmp, final) != 0) {
		int e = errno;
		rename(old, final);
		die("cannot replace %s: %s", final, strerror(e));
	}
	tmp_paths[0][0] = '\0';
	cleanup();
}

static void do_stage(void)
{
	char work[PATH_MAX], srcname[PATH_MAX];
	static struct source src;   /* static: the config keeps its strings */
	int have_src = opt.from_root || opt.ndebs;

	/* The architecture: --arch, the packages, else libc.so.6. */
	const struct cr_arch *a = opt.arch;
	const char *a_from = "--arch";
	char field[128];
	for (size_t i = 0; i <= opt.ndebs; i++) {
		const char *deb = i < opt.ndebs ? opt.debs[i] : opt.with_fakeroot;
		if (!deb || cli_is_dir(deb))
			continue;
		if (!cli_is_file(deb))
			die("cannot read %s: %s", deb, strerror(errno ? errno : ENOENT));
		deb_arch(deb, field, sizeof field);
		if (!field[0])
			continue;
		const struct cr_arch *d = cr_arch_by_name(field);
		if (!d)
			die("%s is for architecture %s, which crossroot does not know", deb, field);
		if (a && a != d)
			die("%s is for %s, not %s (from %s)", deb, d->debian, a->debian, a_from);
		a = d;
		a_from = deb;
	}

	cli_fmt(work, sizeof work, "%s/.crossroot-stage.XXXXXX", opt.prefix);
	if (!mkdtemp(work))
		die("cannot create a directory in %s: %s", opt.prefix, strerror(errno));
	snprintf(tmp_paths[2], sizeof tmp_paths[2], "%s", work);

	if (opt.from_root) {
		source_init(&src, opt.from_root);
		snprintf(srcname, sizeof srcname, "%s", opt.from_root);
	} else if (opt.ndebs) {
		char dir[PATH_MAX];
		cli_fmt(dir, sizeof dir, "%s/debs", work);
		if (mkdir(dir, 0700) != 0)
			die("cannot create %s: %s", dir, strerror(errno));
		for (size_t i = 0; i < opt.ndebs; i++)
			deb_extract(opt.debs[i], dir);
		source_init(&src, dir);
		snprintf(srcname, sizeof srcname, "%s", opt.ndebs == 1 ? opt.debs[0] : "the packages");
	}

	if (!a && have_src) {
		/* Detect from the source's libc.so.6. */
		char guest[PATH_MAX], host[PATH_MAX];
		for (size_t i = 0; i < cr_arch_count && !a; i++) {
			if (!source_find(&src, cr_arch_table[i].triplet, "libc.so.6",
			                 guest, sizeof guest, host, sizeof host))
				continue;
			struct cr_fileinfo fi;
			if (cr_file_identify_path(host, &fi) == 0 && fi.kind == CR_FILE_ELF)
				a = cr_arch_from_elf(&fi.elf);
			if (!a)
				die("%s%s is of an unknown architecture: use --arch", srcname, guest);
			a_from = "libc.so.6";
		}
		if (!a)
			die("no libc.so.6 in %s", srcname);
	}
	if (!a)
		die("cannot tell the architecture: use --arch");
	say("staging %s (from %s) in %s/%s", a->debian, a_from, opt.prefix, a->qemu);

	static struct stage st;
	st.a = a;
	cli_fmt(st.tmp, sizeof st.tmp, "%s/.%s.tmpXXXXXX", opt.prefix, a->qemu);
	if (!mkdtemp(st.tmp))
		die("cannot create a directory in %s: %s", opt.prefix, strerror(errno));
	snprintf(tmp_paths[0], sizeof tmp_paths[0], "%s", st.tmp);
	if (chmod(st.tmp, 0755) != 0)
		die("cannot chmod %s: %s", st.tmp, strerror(errno));

	char existing[PATH_MAX];
	if (have_src) {
		stage_libc(&st, &src, srcname);
	} else if (cli_stage_has(opt.prefix, a, existing, sizeof existing)) {
		/* Update mode: keep the staged C library, add libfakeroot. */
		copy_st = &st;
		copy_from = existing;
		int rc = nftw(existing, copy_one, 32, FTW_PHYS);
		if (rc)
			die("cannot copy %s: %s", existing, strerror(rc > 0 ? rc : errno));
	}
	stage_crossroot(&st);

	if (opt.with_fakeroot) {
		static struct source fsrc;
		if (cli_is_dir(opt.with_fakeroot)) {
			source_init(&fsrc, opt.with_fakeroot);
		} else {
			char dir[PATH_MAX];
			cli_fmt(dir, sizeof dir, "%s/fakeroot", work);
			if (mkdir(dir, 0700) != 0)
				die("cannot create %s: %s", dir, strerror(errno));
			deb_extract(opt.with_fakeroot, dir);
			source_init(&fsrc, dir);
		}
		stage_fakeroot(&st, &fsrc, opt.with_fakeroot);
	} else {
		char f[PATH_MAX];
		cli_fmt(f, sizeof f, "%s/usr/lib/%s/crossroot/libfakeroot-sysv.so",
		        st.tmp, a->triplet);
		st.has_fakeroot = cli_is_file(f);
	}

	commit(&st);
	cleanup();
	printf("staged %s in %s/%s: %zu files, glibc %s, libcrossroot %s, libfakeroot %s\n",
	       a->debian, opt.prefix, a->qemu, st.nfiles,
	       st.libc_version[0] ? st.libc_version : "kept",
	       st.has_crossroot ? "yes" : "no", st.has_fakeroot ? "yes" : "no");
}

/* ------------------------------------------------------------ list, remove */
/* The arch a staged tree is for: its usr/lib/<triplet>/crossroot marker. */
static const struct cr_arch *staged_arch(const char *name)
{
	for (size_t i = 0; i < cr_arch_count; i++) {
		const struct cr_arch *a = &cr_arch_table[i];
		char p[PATH_MAX];
		if (strcmp(a->qemu, name) == 0 &&
		    cli_stage_libdir(opt.prefix, a, p, sizeof p) == 0 && cli_is_dir(p))
			return a;
	}
	return NULL;
}

static void do_list(void)
{
	DIR *d = opendir(opt.prefix);
	if (!d) {
		if (errno == ENOENT) {
			printf("nothing staged in %s\n", opt.prefix);
			return;
		}
		die("cannot read %s: %s", opt.prefix, strerror(errno));
	}
	struct dirent *de;
	size_t n = 0;
	char names[64][NAME_MAX + 1];
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			snprintf(names[n++], sizeof names[0], "%s", de->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cr_arch *a = staged_arch(names[i]);
		if (!a)
			continue;
		char tree[PATH_MAX], lib[PATH_MAX], p[PATH_MAX], guest[PATH_MAX];
		char ver[32] = "none", loader[PATH_MAX] = "none";
		const char *lstate = "";
		cli_fmt(tree, sizeof tree, "%s/%s", opt.prefix, names[i]);
		cli_stage_libdir(opt.prefix, a, lib, sizeof lib);
		static struct source trees[64];
		struct source *ts = &trees[i];
		source_init(ts, tree);
		if (source_find(ts, a->triplet, "libc.so.6", guest, sizeof guest, p, sizeof p)) {
			libc_version(p, ver, sizeof ver);
			struct cr_fileinfo fi;
			if (cr_file_identify_path(p, &fi) == 0 && fi.kind == CR_FILE_ELF && fi.elf.has_interp) {
				snprintf(loader, sizeof loader, "%s", fi.elf.interp);
				char lh[PATH_MAX];
				if (!source_file(ts, loader, lh, sizeof lh))
					lstate = " (missing)";
			}
		}
		char cr[PATH_MAX], fk[PATH_MAX];
		cli_fmt(cr, sizeof cr, "%s/libcrossroot.so", lib);
		cli_fmt(fk, sizeof fk, "%s/libfakeroot-sysv.so", lib);
		printf("%s: %s (%s), glibc %s, loader %s%s, libcrossroot %s, libfakeroot %s\n",
		       a->debian, tree, a->triplet, ver, loader, lstate,
		       cli_is_file(cr) ? "yes" : "no", cli_is_file(fk) ? "yes" : "no");
		shown++;
	}
	if (!shown)
		printf("nothing staged in %s\n", opt.prefix);
}

static void do_remove(void)
{
	const struct cr_arch *a = cr_arch_by_name(opt.remove);
	const char *qname = a ? a->qemu : opt.remove;
	const struct cr_arch *have = NULL;
	for (size_t i = 0; !a && i < cr_arch_count; i++)
		if (strcmp(cr_arch_table[i].qemu, opt.remove) == 0)
			have = &cr_arch_table[i];
	if (!a && !have) {
		char known[512];
		die("unknown architecture '%s' (known: %s)", opt.remove,
		    cli_known_arches(known, sizeof known));
	}
	const struct cr_arch *staged = staged_arch(qname);
	char tree[PATH_MAX], gone[PATH_MAX];
	cli_fmt(tree, sizeof tree, "%s/%s", opt.prefix, qname);
	if (!staged)
		die("nothing staged for %s in %s", opt.remove, opt.prefix);
	if (a && staged != a)
		die("%s holds %s, not %s", tree, staged->debian, a->debian);
	cli_fmt(gone, sizeof gone, "%s/.%s.rmXXXXXX", opt.prefix, qname);
	if (!mkdtemp(gone))
		die("cannot create a directory in %s: %s", opt.prefix, strerror(errno));
	snprintf(tmp_paths[1], sizeof tmp_paths[1], "%s", gone);
	if (rename(tree, gone) != 0)
		die("cannot remove %s: %s", tree, strerror(errno));
	cleanup();
	printf("removed %s (%s)\n", tree, staged->debian);
}

/* ------------------------------------------------------------ main */
int main(int argc, char **argv)
{
	enum { O_REMOVE = 256, O_HELP, O_VERSION };
	static const struct option longopts[] = {
		{ "prefix", required_argument, NULL, 'p' },
		{ "arch", required_argument, NULL, 'a' },
		{ "from-root", required_argument, NULL, 'r' },
		{ "from-deb", required_argument, NULL, 'd' },
		{ "with-fakeroot", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "remove", required_argument, NULL, O_REMOVE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *prefix = NULL;
	char known[512];
	int c;
	while ((c = getopt_long(argc, argv, "p:a:r:d:f:lv", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': prefix = optarg; break;
		case 'a':
			opt.arch = cr_arch_by_name(optarg);
			if (!opt.arch) {
				fprintf(stderr, PROG ": unknown architecture '%s' (known: %s)\n",
				        optarg, cli_known_arches(known, sizeof known));
				return EXIT_USAGE;
			}
			break;
		case 'r': opt.from_root = optarg; break;
		case 'd':
			if (opt.ndebs >= MAX_DEBS)
				die("too many packages");
			opt.debs[opt.ndebs++] = optarg;
			break;
		case 'f': opt.with_fakeroot = optarg; break;
		case 'l': opt.list = 1; break;
		case O_REMOVE: opt.remove = optarg; break;
		case 'v': opt.verbose++; break;
		case O_HELP: usage(); return 0;
		case O_VERSION:
			printf("crossroot-stage (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'crossroot-stage --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	/* Operands: more packages after --from-deb. */
	for (; optind < argc; optind++) {
		if (!opt.ndebs) {
			fprintf(stderr, PROG ": unexpected operand '%s'\n"
			        "Try 'crossroot-stage --help' for more information.\n", argv[optind]);
			return EXIT_USAGE;
		}
		if (opt.ndebs >= MAX_DEBS)
			die("too many packages");
		opt.debs[opt.ndebs++] = argv[optind];
	}
	int modes = (opt.list != 0) + (opt.remove != NULL) +
	            (opt.from_root || opt.ndebs || opt.with_fakeroot);
	if (modes != 1 || (opt.from_root && opt.ndebs)) {
		fprintf(stderr, PROG ": give one of --from-root, --from-deb, "
		        "--with-fakeroot, --list or --remove\n"
		        "Try 'crossroot-stage --help' for more information.\n");
		return EXIT_USAGE;
	}

	if (!prefix)
		prefix = cli_stage_prefix();
	if (prefix[0] == '/') {
		if (cli_fmt(opt.prefix, sizeof opt.prefix, "%s", prefix))
			die("prefix too long");
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd) ||
		    cli_fmt(opt.prefix, sizeof opt.prefix, "%s/%s", cwd, prefix))
			die("cannot make %s absolute", prefix);
	}
	while (strlen(opt.prefix) > 1 && opt.prefix[strlen(opt.prefix) - 1] == '/')
		opt.prefix[strlen(opt.prefix) - 1] = '\0';

	if (opt.list) {
		do_list();
		return 0;
	}
	if (opt.remove) {
		do_remove();
		return 0;
	}

	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf is unusable: %s", elf_errmsg(-1));
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	int rc = cli_mkdir_p(opt.prefix);
	if (rc)
		die("cannot create %s: %s", opt.prefix, strerror(rc));
	do_stage();
	return 0;
}
