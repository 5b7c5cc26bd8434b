/* wrap_exec.c - every way a program can start another program, kept inside
 * the fake root: execve, execv, execvp, execvpe, execl, execlp, execle,
 * fexecve, execveat, posix_spawn, posix_spawnp, system, popen/pclose, and
 * the path-taking posix_spawn file actions (addopen, addchdir_np).
 *
 * glibc's exec family, posix_spawn, system and popen call the kernel (or
 * each other) internally, never the exported execve, so each is wrapped
 * here.  They all funnel into one core, crp_exec_core(): it plans the exec
 * with cr_exec_plan (resolution inside the root, PATH search for the
 * p-variants, #! interpreters, qemu for foreign ELFs, command substitution),
 * builds the new argv and the rebuilt environment (the fake-root variables
 * survive env -i and execle) in stack arrays, and hands them to a runner:
 * the real execve or the real posix_spawn.  The exec path allocates nothing
 * and takes no lock, so it works between fork and exec of multithreaded
 * programs and in vfork children; the real functions are resolved at load.
 * system() and popen() run the ROOT's /bin/sh through the same core (with
 * the real posix_spawn, as glibc does); popen streams are tracked in a
 * fixed table of atomic slots so that our pclose can reap the child.
 *
 * This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state.h"
#include "cr_exec.h"
#include "cr_reach.h"
#include "cr_sys.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* glibc's search path when PATH is unset (confstr _CS_PATH on Linux). */
#define CRP_DEFAULT_PATH "/bin:/usr/bin"
#define CRP_SHELL "/bin/sh"

/* ------------------------------------------------------------ real functions
 * The exec itself is the raw execve system call (what libc's execve is):
 * no dlsym can then run between fork and exec, where it could block on a
 * loader lock another thread held at fork time, and a guest process does
 * not pay for looking it up at start (about 4% of a guest /bin/true's
 * emulated instructions).  The others run in the parent and are looked up
 * at their first call. */
typedef int (*crp_spawn_fn)(pid_t *, const char *,
                            const posix_spawn_file_actions_t *,
                            const posix_spawnattr_t *,
                            char *const[], char *const[]);
typedef int (*crp_addopen_fn)(posix_spawn_file_actions_t *, int,
                              const char *, int, mode_t);
typedef int (*crp_addchdir_fn)(posix_spawn_file_actions_t *, const char *);
typedef int (*crp_pclose_fn)(FILE *);

static crp_spawn_fn real_posix_spawn(void)
{
	return CRP_NEXT_T(crp_spawn_fn, "posix_spawn");
}
static crp_addopen_fn real_addopen(void)
{
	return CRP_NEXT_T(crp_addopen_fn, "posix_spawn_file_actions_addopen");
}
static crp_addchdir_fn real_addchdir(void)
{
	/* glibc 2.29+; NULL in older roots. */
	return CRP_NEXT_T(crp_addchdir_fn, "posix_spawn_file_actions_addchdir_np");
}
static crp_pclose_fn real_pclose(void)
{
	return CRP_NEXT_T(crp_pclose_fn, "pclose");
}

/* ------------------------------------------------------------ small helpers */
/* libc declares most of these arguments nonnull, and the compiler would
 * drop (and warn about) our checks; callers do pass NULL, so hide the value
 * from the optimiser. */
static inline int crp_is_null(const void *p)
{
	__asm__("" : "+r"(p));
	return p == NULL;
}

static size_t crp_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);
	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return len;
}

/* "/proc/self/fd/N" into buf (at least 32 bytes). */
static void crp_fd_link(int fd, char *buf)
{
	static const char pre[] = "/proc/self/fd/";
	char digits[12];
	int n = 0;
	unsigned int v = (unsigned int)fd;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(buf, pre, sizeof pre - 1);
	char *p = buf + sizeof pre - 1;
	while (n)
		*p++ = digits[--n];
	*p = '\0';
}

/* The guest path naming what fd refers to: the kernel's path for it mapped
 * into the root, or "/proc/self/fd/N" (read through the shared /proc) when
 * it has no guest name (outside the root and binds, deleted, memfd...). */
static int crp_fd_guest_path(int fd, char *out, size_t outsz)
{
	char link[32], host[PATH_MAX];
	crp_fd_link(fd, link);
	ssize_t n = cr_sys_readlinkat(AT_FDCWD, link, host, sizeof host - 1);
	if (n < 0)
		return n == -ENOENT ? EBADF : (int)-n;
	host[n] = '\0';
	static const char del[] = " (deleted)";
	size_t dl = sizeof del - 1;
	int named = host[0] == '/' &&
		!((size_t)n >= dl && memcmp(host + n - dl, del, dl) == 0);
	if (named) {
		int r = crp_unmap(host, out, outsz);
		if (r == 0 || (r == 1 && crp_config()->rootlen == 0))
			return 0;
	}
	if (crp_strlcpy(out, link, outsz) >= outsz)
		return ENAMETOOLONG;
	return 0;
}

/* Does the file at guest path look like an ELF?  Only for the message on a
 * failed plan. */
static int crp_guest_is_elf(const char *guest)
{
	char host[PATH_MAX];
	unsigned char magic[4];
	if (!guest[0] || crp_resolve_at(AT_FDCWD, guest, CR_FOLLOW, host) != 0)
		return 0;
	int fd = cr_sys_openat(AT_FDCWD, host, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ssize_t n = cr_sys_pread(fd, magic, sizeof magic, 0);
	cr_sys_close(fd);
	return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* A failed plan: log the reason, and tell the user even without -v (once
 * per process) when the failure is crossroot's: an ELF of an unknown
 * architecture (ENOEXEC), or a program that was found but cannot be run
 * (ENOENT after the program was located: no qemu for its architecture, or
 * a missing #! interpreter).  Ordinary exec errors the caller handles stay
 * quiet: a program not found, ENOEXEC of a text file a shell then
 * interprets itself. */
static void crp_exec_report(int err, const struct cr_exec_plan *plan,
                            const char *file)
{
	static int told;
	/* (no strerror: it may lock or translate, and this may run after fork) */
	const char *why = plan->why[0] ? plan->why : "cannot execute";
	crp_log(1, "exec %s: %s", file, why);
	if (crp_verbose() >= 1)
		return;
	int serious = plan->arch != NULL ||
		(err == ENOENT && plan->guest_path[0]) ||
		(err == ENOEXEC && crp_guest_is_elf(plan->guest_path[0] ?
		                                    plan->guest_path : file));
	if (!serious || __atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
		return;
	/* The planner's lines already start with "crossroot: ". */
	static const char tag[] = "crossroot: ";
	char line[sizeof plan->why + sizeof tag + 1];
	size_t len = 0;
	if (strncmp(why, tag, sizeof tag - 1) != 0)
		len = crp_strlcpy(line, tag, sizeof line);
	len += crp_strlcpy(line + len, why, sizeof line - len);
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	cr_sys_write(2, line, len);
}

/* cr_env_find_preloads' question: is the library there (on the host:
 * faccessat is not translated by qemu's -L)? */
static int crp_file_exists(void *ud, const char *path)
{
	(void)ud;
	return cr_sys_faccessat(AT_FDCWD, path, R_OK) == 0;
}

/* ------------------------------------------------------------ the core */
/* A program's dynamic string table must fit here for it to go without
 * its preloads (/bin/true's is 1 KiB, most programs' under 8). */
#define CRP_LEAN_STRTAB 16384

/* crp_exec_core flags (beside cr_exec.h's): no message when planning
 * fails; a warm-up (runs every check to its end, see CR_REACH_WALK_ALL). */
#define CRP_EXEC_QUIET 0x40000000
#define CRP_EXEC_WARM  0x20000000

/* Runs the planned program; returns an errno value (0: started). */
typedef int (*crp_runner)(const char *path, char *const argv[],
                          char *const envp[], void *ud);

/* Plan the exec of file (guest path as the program gave it) with argv and
 * envp, then call run with the host path, new argv and rebuilt envp.
 * flags: CR_EXEC_SEARCH_PATH / CR_EXEC_SH_FALLBACK.  Returns 0 or an errno
 * value; errno itself is left alone. */
static int crp_exec_core(const char *file, char *const argv[],
                         char *const envp[], int flags,
                         crp_runner run, void *ud)
{
	/* An empty argv gets one empty string, as Linux does since 5.18. */
	static char empty_str[1];
	static char *const empty_argv[] = { empty_str, NULL };
	static char *const empty_envp[] = { NULL };
	if (!file)
		return EFAULT;
	if (!argv || !argv[0])
		argv = empty_argv;
	if (!envp)
		envp = empty_envp;
	size_t argc = 0;
	while (argv[argc])
		argc++;

	int quiet = flags & CRP_EXEC_QUIET;
	int reach_flags = flags & CRP_EXEC_WARM ? CR_REACH_WALK_ALL : 0;
	flags &= ~(CRP_EXEC_QUIET | CRP_EXEC_WARM);
	const char *pathvar = NULL;
	if (flags & CR_EXEC_SEARCH_PATH) {
		pathvar = getenv("PATH");
		if (!pathvar)
			pathvar = CRP_DEFAULT_PATH;
	}
	char cwd[PATH_MAX];
	if (crp_guest_cwd(cwd, sizeof cwd) != 0)
		crp_strlcpy(cwd, "/", sizeof cwd);

	const struct cr_config *cfg = crp_exec_config();
	struct cr_exec_ctx ctx = {
		.cfg = cfg,
		.fs = &cr_sys_fsops,
		.kernel = crp_kernel_arch(),
		.guest_cwd = cwd,
		.find_qemu = crp_find_qemu,
		.qemu_ud = NULL,
		.qemu_args = crp_qemu_args(),
		.qemu_prefix = NULL,
		.native_loader = crp_native_loader(),
		.allow_static = crp_allow_static(),
		.native_libpath = crp_native_libpath(),
		.elfloader = crp_elfloader(),
		.elfloader_argv0 = crp_elfloader_argv0(),
	};
	struct cr_exec_plan plan;
	int err = cr_exec_plan(&ctx, file, argv[0], pathvar, flags, &plan);
	if (err == 0 && plan.arch && cfg->rootlen == 0) {
		/* No fake root: foreign programs get the stage prefix. */
		char prefix[PATH_MAX];
		ctx.qemu_prefix = crp_qemu_prefix(plan.arch, prefix, sizeof prefix);
		if (ctx.qemu_prefix)
			err = cr_exec_plan(&ctx, file, argv[0], pathvar, flags, &plan);
	}
	if (err) {
		if (!quiet)
			crp_exec_report(err, &plan, file);
		return err;
	}

	size_t nargc = cr_exec_argc(&plan, argc);
	const char *nargv[nargc + 1];
	cr_exec_build_argv(&plan, argv, argc, nargv);

	const struct cr_env_snapshot *snap = crp_env();
	/* The program's loader gets crossroot's directories for its own
	 * architecture only (a subst running outside: all of them). */
	const char *triplet = plan.target && !plan.subst_outside ? plan.target->triplet : NULL;
	/* ... and its preloads by full path: no directory search at all. */
	const char *pre[8];
	char prebuf[2 * PATH_MAX];
	cr_env_find_preloads(snap, envp, triplet, crp_file_exists, NULL,
	                     pre, sizeof pre / sizeof pre[0], prebuf, sizeof prebuf);
	/* One pass into room guessed from envp's size (the arena holds only
	 * the rebuilt LD_PRELOAD and LD_LIBRARY_PATH); a second, with the
	 * room the first found it needs, in the rare case that was short. */
	size_t n_envp = 0;
	while (envp[n_envp])
		n_envp++;
	size_t slots = n_envp + (snap ? snap->nkeep : 0) + 4, asz = 4096, need_slots, need_asz;
	/* + 2 beyond the result: FAKECHROOT_*_ORIG */
	const char *nenv0[slots], **nenv = nenv0;
	char arena0[asz];
	if (cr_env_build(snap, envp, triplet, pre, nenv, slots - 2, arena0, asz,
	                 &need_slots, &need_asz) != 0) {
		slots = need_slots + 2;
		asz = need_asz;
		nenv = alloca(slots * sizeof *nenv);
		if (cr_env_build(snap, envp, triplet, pre, nenv, slots - 2,
		                 alloca(asz), asz, &need_slots, &need_asz) != 0)
			return ENOMEM;
	}
	int lean = 0;
	if (plan.arch) {
		cr_env_drop_for_qemu(nenv);
		/* A guest program that cannot reach its preloads goes without:
		 * the guest loader's preload handling and our start cost a
		 * twelfth of a small program's run time under qemu
		 * (cr_reach.h). */
		char strtab[CRP_LEAN_STRTAB];
		if (plan.elf_host != NULL && !crp_preload_all() &&
		    cr_preloads_unreachable(&plan, (char *const *)nenv, pre,
		                            crp_preload_exports, NULL, reach_flags,
		                            strtab, sizeof strtab)) {
			cr_env_drop(nenv, "LD_PRELOAD");
			lean = 1;
		}
	}
	/* (in scope until the exec: nenv may point into them) */
	char borig[PATH_MAX + 32], corig[PATH_MAX + 32];
	if (plan.subst_outside) {
		/* A FAKECHROOT_CMD_SUBST substitute runs as fakechroot runs it:
		 * outside the root, told the root and the program asked for. */
		static const char *const drop[] = {
			"CROSSROOT_ROOT=", "FAKECHROOT_BASE=", "FAKECHROOT_BASE_ORIG=",
			"FAKECHROOT_CMD_ORIG=",
		};
		size_t k = 0;
		for (size_t i = 0; nenv[i]; i++) {
			int keep = 1;
			for (size_t d = 0; d < sizeof drop / sizeof drop[0]; d++)
				if (strncmp(nenv[i], drop[d], strlen(drop[d])) == 0)
					keep = 0;
			if (keep)
				nenv[k++] = nenv[i];
		}
		if (k + 2 < slots && cfg->rootlen &&
		    crp_strlcpy(borig, "FAKECHROOT_BASE_ORIG=", sizeof borig) +
		    crp_strlcpy(borig + 21, cfg->root, sizeof borig - 21) < sizeof borig)
			nenv[k++] = borig;
		if (k + 1 < slots &&
		    crp_strlcpy(corig, "FAKECHROOT_CMD_ORIG=", sizeof corig) +
		    crp_strlcpy(corig + 20, plan.guest_path, sizeof corig - 20) < sizeof corig)
			nenv[k++] = corig;
		nenv[k] = NULL;
	}

	/* (crp_log's variadic prologue only when it writes: the verbosity
	 * check is the one the warm-up has translated) */
	if (crp_verbose() >= 2 && !quiet)
		crp_log(2, "exec %s -> %s%s", file, plan.path,
		        lean ? " (under qemu, without preloads: it cannot reach them)" :
		        plan.arch ? " (under qemu)" : plan.native_loader ? " (root's loader)" : "");
	return run(plan.path, (char *const *)nargv, (char *const *)nenv, ud);
}

static int crp_run_execve(const char *path, char *const argv[],
                          char *const envp[], void *ud)
{
	(void)ud;
#if defined(__SANITIZE_ADDRESS__)
	/* ASan build: execve does not return when it works.  Clear this
	 * stack's redzones first, as ASan does before a noreturn call: in a
	 * vfork child (dash runs commands so) they are the parent's stack. */
	extern void __asan_handle_no_return(void);
	__asan_handle_no_return();
#endif
	syscall(SYS_execve, path, argv, envp);
	return errno;
}

struct crp_spawn_req {
	pid_t *pid;
	const posix_spawn_file_actions_t *fa;
	const posix_spawnattr_t *attr;
};

static int crp_run_spawn(const char *path, char *const argv[],
                         char *const envp[], void *ud)
{
	const struct crp_spawn_req *s = ud;
	crp_spawn_fn fn = real_posix_spawn();
	if (!fn)
		return ENOSYS;
	return fn(s->pid, path, s->fa, s->attr, argv, envp);
}

/* An exec wrapper's tail: only returns on failure. */
static int crp_exec(const char *file, char *const argv[], char *const envp[],
                    int flags)
{
	int err = crp_exec_core(file, argv, envp, flags, crp_run_execve, NULL);
	errno = err;
	return -1;
}

/* ------------------------------------------------------------ exec family */
CRP_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	return crp_exec(path, argv, envp, 0);
}

CRP_EXPORT int execv(const char *path, char *const argv[])
{
	return crp_exec(path, argv, environ, 0);
}

CRP_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	if (crp_is_null(file) || !*file) {
		errno = ENOENT;
		return -1;
	}
	return crp_exec(file, argv, envp, CR_EXEC_SEARCH_PATH | CR_EXEC_SH_FALLBACK);
}

CRP_EXPORT int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* Number of arguments of an execl-style list: arg and the ones after it up
 * to the NULL (which is not counted). */
static size_t crp_count_va(const char *arg, va_list ap)
{
	size_t n = 0;
	if (!arg)
		return 0;
	va_list cp;
	va_copy(cp, ap);
	do
		n++;
	while (va_arg(cp, const char *) != NULL);
	va_end(cp);
	return n;
}

/* Fill out (n + 1 slots) from arg and ap; leaves ap after the NULL. */
static void crp_collect_va(const char *arg, va_list *ap, size_t n, char **out)
{
	size_t i = 0;
	if (n) {
		out[i++] = (char *)arg;
		while (i < n)
			out[i++] = va_arg(*ap, char *);
		(void)va_arg(*ap, char *); /* the terminating NULL */
	}
	out[i] = NULL;
}

CRP_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = crp_count_va(arg, ap);
	char *argv[n + 1];
	crp_collect_va(arg, &ap, n, argv);
	va_end(ap);
	return crp_exec(path, argv, environ, 0);
}

CRP_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = crp_count_va(arg, ap);
	char *argv[n + 1];
	crp_collect_va(arg, &ap, n, argv);
	va_end(ap);
	return execvpe(file, argv, environ);
}

CRP_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = crp_count_va(arg, ap);
	char *argv[n + 1];
	crp_collect_va(arg, &ap, n, argv);
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	return crp_exec(path, argv, envp, 0);
}

CRP_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	if (fd < 0 || crp_is_null(argv) || crp_is_null(envp)) {
		errno = EINVAL;
		return -1;
	}
	char guest[PATH_MAX];
	int err = crp_fd_guest_path(fd, guest, sizeof guest);
	if (err) {
		errno = err;
		return -1;
	}
	return crp_exec(guest, argv, envp, 0);
}

CRP_EXPORT int execveat(int dirfd, const char *path, char *const argv[],
                        char *const envp[], int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		errno = EINVAL;
		return -1;
	}
	if (crp_is_null(path)) {
		errno = EFAULT;
		return -1;
	}
	if (!*path && (flags & AT_EMPTY_PATH))
		return fexecve(dirfd, argv, envp);
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (flags & AT_SYMLINK_NOFOLLOW) {
		char host[PATH_MAX], c;
		int err = crp_resolve_at(dirfd, path, 0, host);
		if (err == 0 && cr_sys_readlinkat(AT_FDCWD, host, &c, 1) >= 0)
			err = ELOOP;
		if (err) {
			errno = err;
			return -1;
		}
	}
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return crp_exec(path, argv, envp, 0);
	/* Relative to a directory fd: its guest path joined with path. */
	char guest[PATH_MAX];
	int err = crp_fd_guest_path(dirfd, guest, sizeof guest);
	if (err) {
		errno = err;
		return -1;
	}
	size_t gl = strlen(guest), pl = strlen(path);
	if (gl + 1 + pl >= sizeof guest) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (gl == 0 || guest[gl - 1] != '/')
		guest[gl++] = '/';
	memcpy(guest + gl, path, pl + 1);
	return crp_exec(guest, argv, envp, 0);
}

/* ------------------------------------------------------------ posix_spawn */
static int crp_spawn(pid_t *pid, const char *file,
                     const posix_spawn_file_actions_t *fa,
                     const posix_spawnattr_t *attr,
                     char *const argv[], char *const envp[], int flags)
{
	int saved = errno;
	struct crp_spawn_req req = { pid, fa, attr };
	int err = crp_exec_core(file, argv, envp, flags, crp_run_spawn, &req);
	errno = saved;
	return err;
}

CRP_EXPORT int posix_spawn(pid_t *pid, const char *path,
                           const posix_spawn_file_actions_t *fa,
                           const posix_spawnattr_t *attr,
                           char *const argv[], char *const envp[])
{
	return crp_spawn(pid, path, fa, attr, argv, envp, 0);
}

/* glibc >= 2.27 no longer runs a file without #! through /bin/sh here. */
CRP_EXPORT int posix_spawnp(pid_t *pid, const char *file,
                            const posix_spawn_file_actions_t *fa,
                            const posix_spawnattr_t *attr,
                            char *const argv[], char *const envp[])
{
	if (crp_is_null(file) || !*file)
		return ENOENT;
	return crp_spawn(pid, file, fa, attr, argv, envp, CR_EXEC_SEARCH_PATH);
}

/* File actions open and chdir in the child through glibc-internal calls we
 * cannot see: resolve their paths when they are recorded (relative paths
 * against the current directory of that moment). */
CRP_EXPORT int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa,
                                                int fd, const char *path,
                                                int oflag, mode_t mode)
{
	crp_addopen_fn fn = real_addopen();
	if (!fn)
		return ENOSYS;
	if (crp_is_null(path))
		return fn(fa, fd, path, oflag, mode);
	int saved = errno;
	char host[PATH_MAX];
	int follow = (oflag & O_NOFOLLOW) ||
		(oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) ? 0 : CR_FOLLOW;
	int err = crp_resolve_at(AT_FDCWD, path, follow | CR_KEEP_SLASH, host);
	if (err == 0)
		err = fn(fa, fd, host, oflag, mode);
	errno = saved;
	return err;
}

CRP_EXPORT int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa,
                                                    const char *path)
{
	crp_addchdir_fn fn = real_addchdir();
	if (!fn)
		return ENOSYS;
	if (crp_is_null(path))
		return fn(fa, path);
	int saved = errno;
	char host[PATH_MAX];
	int err = crp_resolve_at(AT_FDCWD, path, CR_FOLLOW, host);
	if (err == 0)
		err = fn(fa, host);
	errno = saved;
	return err;
}

/* ------------------------------------------------------------ system */
/* system(3)'s signal dance, as POSIX describes it: SIGINT and SIGQUIT are
 * ignored while any system() call of the process runs (reference-counted
 * across threads, under a tiny spin lock), SIGCHLD is blocked in the
 * calling thread; the child gets the caller's mask back and the default
 * actions for the two signals unless they were ignored. */
static char crp_sys_lock;
static unsigned int crp_sys_refs;
static struct sigaction crp_sys_intr, crp_sys_quit;

static void crp_spin_lock(char *l)
{
	while (__atomic_test_and_set(l, __ATOMIC_ACQUIRE))
		sched_yield();
}
static void crp_spin_unlock(char *l)
{
	__atomic_clear(l, __ATOMIC_RELEASE);
}

static int crp_no_run(const char *path, char *const argv[],
                      char *const envp[], void *ud)
{
	(void)path, (void)argv, (void)envp, (void)ud;
	return 0;
}

/* ------------------------------------------------------------ fork, vfork
 * Under qemu-user each process translates the guest code it runs, and a
 * forked child inherits what its parent translated.  A shell's children
 * run the exec planner, which the shell itself never runs: every child
 * would translate it anew (a third of what crossroot adds to a guest
 * fork + exec).  So a guest process that forks first plans, once and for
 * nothing, the exec of "sh" (PATH search, #!, ELF header, qemu words,
 * environment), then of /bin/sh: its children then find that code
 * translated.  Native
 * and multithreaded processes skip this. */
/* Only while the process has never had a second thread (glibc's
 * __libc_single_threaded, 2.32+; unknown in older roots: no warm-up).  The
 * plan makes path calls, and qemu-user's -L translation holds a mutex
 * around each: another thread forking meanwhile would leave its child
 * with that mutex locked forever (the qemu bug of README "Limits"). */
static int crp_single_threaded(void)
{
	static const char *flag;
	static int looked;              /* atomic: flag is final */
	if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&flag, CRP_NEXT_T(const char *, "__libc_single_threaded"),
		                 __ATOMIC_RELAXED);
		__atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
	}
	const char *f = __atomic_load_n(&flag, __ATOMIC_RELAXED);
	return f != NULL && __atomic_load_n(f, __ATOMIC_RELAXED) != 0;
}

static void crp_warm_exec(void)
{
	static int done;
	if (__atomic_load_n(&done, __ATOMIC_RELAXED) || !crp_emulated() ||
	    !crp_single_threaded() || __atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL))
		return;
	int saved = errno;
	char *const argv[] = { (char *)"sh", (char *)"-c", (char *)":", NULL };
	(void)crp_exec_core("sh", argv, environ,
	                    CR_EXEC_SEARCH_PATH | CRP_EXEC_QUIET | CRP_EXEC_WARM,
	                    crp_no_run, NULL);
	/* And by absolute path, as a shell's children mostly exec: the
	 * planner's branches for that, and the second (cached) qemu lookup,
	 * were else translated by every child (~110 guest instructions). */
	(void)crp_exec_core(CRP_SHELL, argv, environ, CRP_EXEC_QUIET | CRP_EXEC_WARM,
	                    crp_no_run, NULL);
	errno = saved;
}

typedef pid_t (*crp_fork_fn)(void);

CRP_EXPORT pid_t fork(void)
{
	crp_warm_exec();
	crp_fork_fn real = CRP_NEXT_T(crp_fork_fn, "fork");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real();
}

#ifdef CRP_GUEST_BUILD
/* vfork cannot be wrapped by a C function (the child would return through
 * and clobber the frame the parent resumes in), and qemu-user runs a
 * guest's vfork as a fork anyway: guest builds make it fork, which POSIX
 * allows, and so warm the parent as fork does. */
CRP_EXPORT pid_t vfork(void)
{
	return fork();
}
#endif

CRP_EXPORT int system(const char *cmd)
{
	if (!cmd) {
		/* Is the root's shell there (and runnable)? */
		int saved = errno;
		char *const argv[] = { (char *)"sh", NULL };
		int err = crp_exec_core(CRP_SHELL, argv, environ, 0, crp_no_run, NULL);
		errno = saved;
		return err == 0;
	}

	struct sigaction ign, intr, quit;
	sigset_t block, omask, reset;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);

	crp_spin_lock(&crp_sys_lock);
	if (crp_sys_refs++ == 0) {
		sigaction(SIGINT, &ign, &crp_sys_intr);
		sigaction(SIGQUIT, &ign, &crp_sys_quit);
	}
	intr = crp_sys_intr;
	quit = crp_sys_quit;
	crp_spin_unlock(&crp_sys_lock);

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &omask);

	sigemptyset(&reset);
	if (intr.sa_handler != SIG_IGN)
		sigaddset(&reset, SIGINT);
	if (quit.sa_handler != SIG_IGN)
		sigaddset(&reset, SIGQUIT);

	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &omask);
	posix_spawnattr_setsigdefault(&attr, &reset);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

	char *const argv[] = { (char *)"sh", (char *)"-c", (char *)"--",
	                       (char *)cmd, NULL };
	pid_t pid;
	int status;
	struct crp_spawn_req req = { &pid, NULL, &attr };
	int err = crp_exec_core(CRP_SHELL, argv, environ, 0, crp_run_spawn, &req);
	posix_spawnattr_destroy(&attr);
	if (err == 0) {
		pid_t r;
		do
			r = waitpid(pid, &status, 0);
		while (r < 0 && errno == EINTR);
		if (r != pid)
			status = -1;
	} else {
		status = 127 << 8; /* as if the shell had exited 127 */
	}

	crp_spin_lock(&crp_sys_lock);
	if (--crp_sys_refs == 0) {
		sigaction(SIGINT, &crp_sys_intr, NULL);
		sigaction(SIGQUIT, &crp_sys_quit, NULL);
	}
	crp_spin_unlock(&crp_sys_lock);
	sigprocmask(SIG_SETMASK, &omask, NULL);
	if (err)
		errno = err;
	return status;
}

/* ------------------------------------------------------------ popen/pclose */
/* Our popen streams: a fixed table of atomic slots (stream, parent fd,
 * child pid).  A slot's fp goes NULL -> CRP_SLOT_BUSY (claimed) -> the
 * stream (published with pid and fd set) -> NULL (released by pclose). */
#define CRP_POPEN_MAX 1024
#define CRP_SLOT_BUSY ((FILE *)1)
static struct crp_popen_slot {
	FILE *fp;
	pid_t pid;
	int fd;
} crp_popen_tab[CRP_POPEN_MAX];

static struct crp_popen_slot *crp_popen_claim(void)
{
	for (size_t i = 0; i < CRP_POPEN_MAX; i++) {
		FILE *expect = NULL;
		if (__atomic_load_n(&crp_popen_tab[i].fp, __ATOMIC_RELAXED) == NULL &&
		    __atomic_compare_exchange_n(&crp_popen_tab[i].fp, &expect,
		                                CRP_SLOT_BUSY, 0, __ATOMIC_ACQUIRE,
		                                __ATOMIC_RELAXED))
			return &crp_popen_tab[i];
	}
	return NULL;
}

static void crp_popen_release(struct crp_popen_slot *s)
{
	__atomic_store_n(&s->fd, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->fp, NULL, __ATOMIC_RELEASE);
}

static int crp_fcntl(int fd, int cmd, long arg)
{
	/* The raw call: libc's fcntl may bind to fcntl64@GLIBC_2.28. */
	long r = syscall(SYS_fcntl, fd, cmd, arg);
	return (int)r;
}

/* Move fd off the descriptor numbers 0..2 a child must own, keeping
 * close-on-exec; returns the fd to use (or -1, errno set). */
static int crp_fd_above(int fd, int avoid)
{
	if (fd != avoid)
		return fd;
	int nfd = crp_fcntl(fd, F_DUPFD_CLOEXEC, 3);
	int e = errno;
	cr_sys_close(fd);
	errno = e;
	return nfd;
}

CRP_EXPORT FILE *popen(const char *cmd, const char *mode)
{
	if (!cmd || !mode || (mode[0] != 'r' && mode[0] != 'w')) {
		errno = EINVAL;
		return NULL;
	}
	int cloexec = 0;
	for (const char *m = mode + 1; *m; m++) {
		if (*m != 'e') {
			errno = EINVAL;
			return NULL;
		}
		cloexec = 1;
	}
	int reading = mode[0] == 'r';
	struct crp_popen_slot *slot = crp_popen_claim();
	if (!slot) {
		errno = EMFILE;
		return NULL;
	}

	int fds[2];
	if (syscall(SYS_pipe2, fds, O_CLOEXEC) != 0) {
		crp_popen_release(slot);
		return NULL;
	}
	int parent = reading ? fds[0] : fds[1];
	int child_std = reading ? 1 : 0;
	int child = crp_fd_above(reading ? fds[1] : fds[0], child_std);
	if (child < 0) {
		int e = errno;
		cr_sys_close(parent);
		crp_popen_release(slot);
		errno = e;
		return NULL;
	}

	FILE *fp = fdopen(parent, reading ? "r" : "w");
	if (!fp) {
		int e = errno;
		cr_sys_close(parent);
		cr_sys_close(child);
		crp_popen_release(slot);
		errno = e;
		return NULL;
	}

	/* The child: its pipe end on stdin/stdout, and (POSIX) none of the
	 * streams of earlier popen() calls still open here. */
	posix_spawn_file_actions_t fa;
	int err = posix_spawn_file_actions_init(&fa);
	if (err == 0)
		err = posix_spawn_file_actions_adddup2(&fa, child, child_std);
	for (size_t i = 0; err == 0 && i < CRP_POPEN_MAX; i++) {
		FILE *other = __atomic_load_n(&crp_popen_tab[i].fp, __ATOMIC_ACQUIRE);
		int ofd = __atomic_load_n(&crp_popen_tab[i].fd, __ATOMIC_RELAXED);
		if (other && other != CRP_SLOT_BUSY && ofd >= 0 &&
		    ofd != child_std && ofd != child)
			err = posix_spawn_file_actions_addclose(&fa, ofd);
	}
	pid_t pid = -1;
	if (err == 0) {
		char *const argv[] = { (char *)"sh", (char *)"-c", (char *)"--",
		                       (char *)cmd, NULL };
		struct crp_spawn_req req = { &pid, &fa, NULL };
		err = crp_exec_core(CRP_SHELL, argv, environ, 0, crp_run_spawn, &req);
		posix_spawn_file_actions_destroy(&fa);
	}
	cr_sys_close(child);
	if (err) {
		fclose(fp);
		crp_popen_release(slot);
		errno = err;
		return NULL;
	}
	if (!cloexec)
		crp_fcntl(parent, F_SETFD, 0);

	slot->pid = pid;
	__atomic_store_n(&slot->fd, parent, __ATOMIC_RELAXED);
	__atomic_store_n(&slot->fp, fp, __ATOMIC_RELEASE);
	return fp;
}

CRP_EXPORT int pclose(FILE *fp)
{
	struct crp_popen_slot *slot = NULL;
	for (size_t i = 0; fp && i < CRP_POPEN_MAX; i++) {
		if (__atomic_load_n(&crp_popen_tab[i].fp, __ATOMIC_ACQUIRE) == fp) {
			slot = &crp_popen_tab[i];
			break;
		}
	}
	if (!slot) {
		/* Not one of ours (cannot happen for streams made after load). */
		crp_pclose_fn fn = real_pclose();
		if (!fn) {
			errno = EINVAL;
			return -1;
		}
		return fn(fp);
	}
	pid_t pid = slot->pid;
	crp_popen_release(slot);
	fclose(fp);

	int status;
	pid_t r;
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	return r == pid ? status : -1;
}
