#!/bin/sh
# stress.sh - concurrency, signals and memory of the path wrappers, as the
# unprivileged test user, with tests/progs/stress in a native root and
# (when the guest build and qemu exist) an arm64 root (there, fork+exec
# only with CR_STRESS_GUEST_FORK=1: a known hang): 4 threads doing
# path operations while another alternates chdir and chroot("/"); fork
# from a multithreaded process with exec in the child; open/stat from a
# SIGALRM handler (setitimer, every 200us) while the main thread works;
# 100000 wrapped calls with RSS growth bounded (1 MiB native, 4 MiB under
# qemu, whose translation cache is warmed up first).  Nothing outside the
# root may change.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

P="$CR_BUILD/tests/progs"
[ -x "$CROSSROOT" ] || fail "crossroot not built"
[ -x "$P/stress" ] || fail "$P/stress not built (make check builds it)"
export PATH=/usr/bin:/bin
s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

failures=0
setup_root() { # ROOT MARKER
	mkdir -p "$1/a/b" "$1/etc" "$1/tmp"
	ln -s /a/b "$1/a/link"
	echo "$2" > "$1/etc/hostname"
}
run() { # LABEL LIMIT_KIB MODE N
	lbl=$1 limit=$2 mode=$3 n=$4
	out=$("$CROSSROOT" "$r" /bin/stress "$mode" "$n" "$marker" /bin/stress 2>&1)
	rc=$?
	if [ $rc != 0 ]; then
		echo "FAIL: $lbl: stress $mode: exit $rc: $out" >&2; failures=$((failures + 1)); return
	fi
	if [ "$mode" = memory ]; then
		growth=$(printf '%s\n' "$out" | sed -n 's/.*growth \(-\{0,1\}[0-9]*\) KiB.*/\1/p')
		if [ -z "$growth" ] || [ "$growth" -gt "$limit" ]; then
			echo "FAIL: $lbl: RSS grew beyond $limit KiB: $out" >&2; failures=$((failures + 1)); return
		fi
	fi
	echo "ok - $lbl: $out"
}

# ------------------------------------------------------------ native
r="$CR_T/root"
marker=native-stress-root
cr_make_native_root "$r" sh
cp "$P/stress" "$r/bin/stress"
cr_copy_libs "$r" "$P/stress"
setup_root "$r" "$marker"
run native 0 threads 3000
run native 0 fork 200
run native 0 signals 20000
run native 1024 memory 100000

# ------------------------------------------------------------ arm64
t=aarch64-linux-gnu
G="$P/$t"
if ! cr_have_guest $t || [ ! -x "$G/stress" ] ||
	! { command -v qemu-aarch64-static || command -v qemu-aarch64; } >/dev/null 2>&1 ||
	[ ! -e /usr/$t/lib/ld-linux-aarch64.so.1 ]; then
	note "SKIP arm64: no guest build, guest programs, qemu-aarch64 or /usr/$t/lib"
else
	r="$CR_T/root-arm64"
	marker=arm64-stress-root
	mkdir -p "$r/bin" "$r/lib/$t" "$r/dev" "$r/proc" "$r/sys"
	cp -a /usr/$t/lib/*.so* "$r/lib/$t/"
	cp -L /usr/$t/lib/ld-linux-aarch64.so.1 "$r/lib/"
	cp "$G/guest-sh" "$r/bin/sh"
	cp "$G/stress" "$r/bin/stress"
	setup_root "$r" "$marker"
	run arm64 0 threads 500
	# fork from a multithreaded guest, exec in the child: the forked
	# child (qemu main thread + its RCU thread) can deadlock on a futex
	# before it execs (seen 2 of 3 runs with 50 forks while 3 guest threads
	# did path operations); not yet known whether qemu or libcrossroot
	# holds the lock.  A hang would stall make check, so this is opt-in.
	if [ "${CR_STRESS_GUEST_FORK:-0}" = 1 ]; then
		run arm64 0 fork 50
	else
		note "arm64 fork+exec from a multithreaded guest: not run (known hang; CR_STRESS_GUEST_FORK=1 runs it)"
	fi
	run arm64 0 signals 2000
	run arm64 4096 memory 100000
fi

cr_sentinel_end
[ $failures = 0 ] || fail "$failures stress check(s) failed"
echo "all stress checks passed"
