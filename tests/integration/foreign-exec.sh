#!/bin/sh
# foreign-exec.sh - exec inside foreign roots (arm64, armel, armhf) under
# qemu: for each guest whose build and qemu exist, a root is assembled from
# Debian's cross libc packages installed on this machine (/usr/TRIPLET/lib)
# with the cross-compiled test programs and a test shell as /bin/sh.
# Checks: uname -m is the guest's (dynamic and static programs); a five-hop
# exec chain (execv, execvp, posix_spawn, system, #! script) with argv[0]
# and /proc/self/cmdline right at every level; every exec API from a guest
# program; system() and popen() run the root's guest /bin/sh; an empty
# environment keeps the root; a guest runs a host x86-64 program natively;
# each program preloads its own architecture's build by full path, but
# for one that cannot reach it (guest-uname), which goes without;
# QEMU_VERSION in the environment does not stop a guest from running;
# 500 fork+exec from 4 guest threads; ROOT/dev/null (a regular file) is
# left alone when a guest writes /dev/null; nothing outside the root
# changes.  Architectures that cannot be tested are skipped with the reason.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

P="$CR_BUILD/tests/progs"
for p in exec-api guest-uname; do
	[ -x "$P/$p" ] || fail "host test program $P/$p not built (make check builds it)"
done
[ -e "$CR_LIBDIR/libcrossroot.so" ] || fail "libcrossroot.so not built"
export PATH=/usr/bin:/bin
host_machine=$(uname -m)

libpath="$CR_LIBDIR/$HOST_TRIPLET"
for t in $GUEST_TRIPLETS; do libpath="$libpath:$CR_LIBDIR/$t"; done
use_crossroot=0
if "$CROSSROOT" --version >/dev/null 2>&1; then
	use_crossroot=1
else
	note "the crossroot command is not usable: driving libcrossroot by hand"
fi

# inroot COMMAND...: run COMMAND inside $r (arch $qemu_name, qemu $qemu).
inroot() {
	if [ $use_crossroot = 1 ]; then
		"$CROSSROOT" "$r" "$@"
	else
		# A host program started with the library execs the first one,
		# so the first exec already goes through the wrappers.
		env CROSSROOT_ROOT="$r" LD_PRELOAD=libcrossroot.so \
			LD_LIBRARY_PATH="$libpath" CROSSROOT_LIBPATH="$libpath" \
			CROSSROOT_HOST_ARCH=amd64 "$qemu_var=$qemu" \
			"$P/exec-api" execvp "$1" "$@"
	fi
}
# A failed check is reported and counted; the other checks still run.
failures=0
bad() { echo "FAIL: $arch: $*" >&2; failures=$((failures + 1)); }
check() { # DESCRIPTION EXPECTED COMMAND...: exit 0 and exactly EXPECTED out
	c_desc=$1 c_want=$2; shift 2
	got=$(inroot "$@" 2>&1)
	c_rc=$?
	if [ $c_rc != 0 ]; then
		bad "$c_desc: exit status $c_rc: $got"
	elif [ "$got" != "$c_want" ]; then
		bad "$c_desc: expected [$c_want] got [$got]"
	else
		echo "ok - $arch: $c_desc"
	fi
}
argv_out() { # what guest-cmdline prints for ARGV...
	echo "argc=$#"
	i=0
	for a; do echo "argv[$i]=$a"; i=$((i + 1)); done
	echo "cmdline=match"
}

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

tested=""
skipped=""
for t in aarch64-linux-gnu arm-linux-gnueabi arm-linux-gnueabihf; do
	case $t in
	aarch64-linux-gnu)   arch=arm64 qemu_name=aarch64 loader=ld-linux-aarch64.so.1 want=aarch64 ;;
	arm-linux-gnueabi)   arch=armel qemu_name=arm loader=ld-linux.so.3 want=armv7l ;;
	arm-linux-gnueabihf) arch=armhf qemu_name=arm loader=ld-linux-armhf.so.3 want=armv7l ;;
	esac
	G="$P/$t"
	if ! cr_have_guest "$t"; then
		note "SKIP $arch: no guest build of libcrossroot (configure found no $t-gcc)"
		skipped="$skipped $arch"; continue
	fi
	if [ ! -e "$G/.built" ]; then
		note "SKIP $arch: the guest test programs $G were not built"
		skipped="$skipped $arch"; continue
	fi
	qemu=$(command -v "qemu-$qemu_name-static" || command -v "qemu-$qemu_name") || {
		note "SKIP $arch: neither qemu-$qemu_name-static nor qemu-$qemu_name found (install qemu-user-static)"
		skipped="$skipped $arch"; continue
	}
	if [ ! -e "/usr/$t/lib/$loader" ] || [ ! -e "/usr/$t/lib/libc.so.6" ]; then
		note "SKIP $arch: /usr/$t/lib has no $loader or libc.so.6 (install libc6-$arch-cross)"
		skipped="$skipped $arch"; continue
	fi
	qemu_var="CROSSROOT_QEMU_$(echo "$qemu_name" | tr a-z A-Z)"

	# ---------------------------------------------------- the root
	r="$CR_T/root-$arch"
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/dev" "$r/proc" "$r/sys" "$r/lib/$t" "$r/usr/bin"
	chmod 1777 "$r/tmp"
	cp -a /usr/$t/lib/*.so* "$r/lib/$t/"
	cp -L "/usr/$t/lib/$loader" "$r/lib/$loader"
	cp "$G/guest-sh" "$r/bin/sh"
	for p in exec-api exec-chain exec-storm guest-cmdline guest-uname guest-uname-static guest-time64; do
		cp "$G/$p" "$r/bin/$p"
	done
	printf '#!/bin/exec-chain 5\n' > "$r/bin/exec-chain-script"
	chmod 755 "$r/bin/exec-chain-script"
	cp "$P/guest-uname" "$r/bin/host-uname"         # x86-64 programs
	cp "$P/exec-api" "$r/bin/host-exec-api"
	echo "crossroot-$arch-root" > "$r/etc/hostname"
	echo "root devnull marker" > "$r/dev/null"
	mkdir -p "$r$s"
	echo "root copy" > "$r$s/passwd"

	# ---------------------------------------------------- checks
	check "uname -m" "$want" /bin/guest-uname
	# Static foreign programs are refused inside a root unless allowed
	# (qemu's -L alone cannot keep them in).
	got=$(env -u CROSSROOT_ALLOW_STATIC "$CROSSROOT" "$r" /bin/guest-uname-static 2>&1); st=$?
	if [ $use_crossroot = 1 ]; then
		if [ $st = 126 ] && echo "$got" | grep -q "is a static $arch program: crossroot cannot keep it inside the root"; then
			echo "ok - $arch: a static program is refused by default"
		else
			bad "static program not refused by default: exit $st: $got"
		fi
	fi
	CROSSROOT_ALLOW_STATIC=1; export CROSSROOT_ALLOW_STATIC
	check "uname -m of a static program (allowed)" "$want" /bin/guest-uname-static
	unset CROSSROOT_ALLOW_STATIC
	mkdir -p "$r/etc/t64"
	echo t64 > "$r/etc/t64/file"
	ln -s /etc/t64/file "$r/etc/t64/link"
	check "64-bit time stat and utime calls" "time64 ok" \
		/bin/guest-time64 /etc/t64/link /etc/t64/file
	check "five-hop exec chain" "level 0 ok (machine $want)
level 1 ok (machine $want)
level 2 ok (machine $want)
level 3 ok (machine $want)
level 4 ok (machine $want)
level 5 ok (machine $want)
chain complete" /bin/exec-chain

	argv=$(argv_out name a "b c")
	for api in execve execv execl fexecve vfork spawn; do
		check "$api: argv and /proc/self/cmdline" "$argv" \
			exec-api $api /bin/guest-cmdline name a "b c"
	done
	for api in execvp execvpe execlp spawnp; do
		check "$api: PATH search in the root" "$argv" \
			exec-api $api guest-cmdline name a "b c"
	done
	check "execveat relative to a directory fd" "$argv" \
		exec-api execveat /bin guest-cmdline name a "b c"
	check "the first program's own argv" "$(argv_out /bin/guest-cmdline one)" \
		/bin/guest-cmdline one
	# A root whose /proc is a symlink to the host's (debootstrap leaves
	# one so under fakeroot): qemu must still be handed the process's own
	# /proc entries as they are, for it to fake them.
	rmdir "$r/proc" && ln -s /proc "$r/proc"
	check "/proc/self/cmdline with ROOT/proc -> /proc" \
		"$(argv_out /bin/guest-cmdline one)" /bin/guest-cmdline one
	rm "$r/proc" && mkdir "$r/proc"

	check "execle with an empty environment" "crossroot-$arch-root" \
		exec-api execle /bin/exec-api exec-api readfile /etc/hostname
	check "system() runs the root's /bin/sh" "guest-sh
crossroot-$arch-root" exec-api system 'shname; exec-api readfile /etc/hostname'
	check "popen(r) runs the root's /bin/sh" "popen: guest-sh
popen: $want" exec-api popen-r 'shname; guest-uname'
	check "popen(w) feeds the root's /bin/sh" "guest-sh
cat: hello" exec-api popen-w 'shname; exec-api cat' hello

	check "a guest runs a host program natively" "$host_machine" \
		exec-api execv /bin/host-uname host-uname
	check "a guest shell runs a host program natively" "$host_machine" \
		exec-api system /bin/host-uname
	check "guest -> host -> guest" "$want" \
		exec-api execv /bin/host-exec-api host-exec-api execv /bin/guest-uname guest-uname

	# QEMU_VERSION (arch-test -n sets it) would make qemu print its version
	# instead of running the program: crossroot's emulation stays unseen.
	export QEMU_VERSION=meow
	check "QEMU_VERSION set: the first program runs" "$want" /bin/guest-uname
	check "QEMU_VERSION set: a host program runs a guest one" "$want" \
		/bin/host-exec-api execv /bin/guest-uname guest-uname
	unset QEMU_VERSION

	# Each loader is given its own architecture's build by full path and
	# none of crossroot's directories to search (each missing hwcap
	# subdirectory would be probed through qemu); a host program started
	# by a guest gets the host's build back.
	for hop in guest host; do
		if [ $hop = guest ]; then
			pre=$(inroot exec-api getenv LD_PRELOAD 2>&1) own=$t other=$HOST_TRIPLET
			lp=$(inroot exec-api getenv LD_LIBRARY_PATH 2>&1)
		else
			pre=$(inroot exec-api execv /bin/host-exec-api host-exec-api getenv LD_PRELOAD 2>&1)
			lp=$(inroot exec-api execv /bin/host-exec-api host-exec-api getenv LD_LIBRARY_PATH 2>&1)
			own=$HOST_TRIPLET other=$t
		fi
		case "$pre" in
		"$CR_LIBDIR/$own/libcrossroot.so") ;;
		*) bad "$hop program: LD_PRELOAD [$pre], expected $CR_LIBDIR/$own/libcrossroot.so" ;;
		esac
		case ":$lp:" in
		*":$CR_LIBDIR/"*) bad "$hop program: LD_LIBRARY_PATH [$lp] has crossroot's directories" ;;
		*) echo "ok - $arch: a $hop program preloads its own build by full path, searches no directory of crossroot's" ;;
		esac
	done

	# A guest program that needs only libc and names nothing the library
	# exports, nor getenv, dlopen or NSS, runs without its preloads
	# (cr_reach.h): guest-uname does, exec-api (open, getenv, exec...)
	# does not; CROSSROOT_PRELOAD_ALL=1 keeps them for every program.
	lean="without preloads: it cannot reach them"
	for via in crossroot guest; do
		if [ $via = crossroot ]; then
			[ $use_crossroot = 1 ] || continue
			out=$(CROSSROOT_VERBOSE=2 inroot /bin/guest-uname 2>&1)
		else
			out=$(CROSSROOT_VERBOSE=2 inroot exec-api execv /bin/guest-uname guest-uname 2>&1)
		fi
		if [ "$(echo "$out" | grep -v "crossroot")" != "$want" ]; then
			bad "$via exec of guest-uname, lean: output [$out]"
		elif ! echo "$out" | grep -q "guest-uname.*$lean"; then
			bad "$via exec of guest-uname kept its preloads: [$out]"
		else
			echo "ok - $arch: $via exec of a program that cannot reach its preloads goes without them"
		fi
		if [ $via = crossroot ]; then
			out=$(CROSSROOT_PRELOAD_ALL=1 CROSSROOT_VERBOSE=2 inroot /bin/guest-uname 2>&1)
		else
			out=$(CROSSROOT_PRELOAD_ALL=1 CROSSROOT_VERBOSE=2 \
				inroot exec-api execv /bin/guest-uname guest-uname 2>&1)
		fi
		if echo "$out" | grep -q "$lean" || ! echo "$out" | grep -qx "$want"; then
			bad "$via exec with CROSSROOT_PRELOAD_ALL=1: [$out]"
		else
			echo "ok - $arch: CROSSROOT_PRELOAD_ALL=1 keeps the preloads ($via exec)"
		fi
	done
	out=$(CROSSROOT_VERBOSE=2 inroot exec-api execv /bin/exec-api exec-api readfile /etc/hostname 2>&1)
	if echo "$out" | grep -q "$lean" || ! echo "$out" | grep -qx "crossroot-$arch-root"; then
		bad "a program that opens files went without its preloads: [$out]"
	else
		echo "ok - $arch: a program that opens files keeps its preloads"
	fi

	check "writing /dev/null" "" exec-api write /dev/null "to the bit bucket"
	if [ "$(cat "$r/dev/null")" = "root devnull marker" ]; then
		echo "ok - $arch: ROOT/dev/null left alone"
	else
		bad "ROOT/dev/null (a regular file) was written by a guest writing /dev/null"
	fi
	check "a write lands inside the root" "" exec-api write "$s/passwd" "written inside"
	[ "$(cat "$r$s/passwd")" = "written inside" ] ||
		bad "the write did not land in ROOT$s/passwd"

	check "500 fork+exec from 4 guest threads" "storm: 500 children, 500 ok" \
		exec-storm run 500 /bin/exec-storm
	tested="$tested $arch"
done

cr_sentinel_end
[ $failures = 0 ] || fail "$failures foreign exec check(s) failed (see above)"
[ -n "$tested" ] || skip "no foreign architecture could be tested:$skipped"
echo "foreign exec checks passed for:$tested${skipped:+ (skipped:$skipped)}"
