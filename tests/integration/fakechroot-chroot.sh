#!/bin/sh
# fakechroot-chroot.sh - the fakechroot pipelines through crossroot's front
# end: `fakechroot fakeroot chroot R /bin/sh -c ...` on a native root (the
# root's programs, uid 0 under fakeroot, a nested chroot inside the root,
# relative and "/" chroots, ldd through crossroot-ldd without the preloaded
# libraries) and on an arm64 root (its programs under qemu without
# binfmt_misc; under fakeroot when the Debian archive gives the arm64
# libfakeroot to stage); `fakechroot` by name from LIBDIR/fakechroot-bin
# first on PATH, as mmdebstrap runs it; the env type chosen from the
# command after fakeroot; and option errors.  Nothing outside the roots
# changes.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

FC="$CR_LIBDIR/crossroot-fakechroot"
[ -x "$FC" ] || fail "crossroot-fakechroot not built ($FC)"
[ -x "$CR_LIBDIR/crossroot-ldd" ] || fail "crossroot-ldd not built"
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
unset CROSSROOT_CMD_SUBST FAKECHROOT_CMD_SUBST FAKECHROOT_EXCLUDE_PATH FAKECHROOT_BASE FAKECHROOT
P="$CR_BUILD/tests/progs"
have_fakeroot=0
command -v fakeroot >/dev/null 2>&1 && have_fakeroot=1

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

# ------------------------------------------------------------ native root
R="$CR_T/root"
cr_make_native_root "$R" sh cat id chroot ls
cp /usr/bin/ldd "$R/bin/ldd"          # a script: crossroot-ldd runs instead
cr_make_native_root "$R/sub" cat
echo subroot > "$R/sub/etc/hostname"
# An absolute symlink inside the root: resolved in the root, not on the host.
ln -s /etc/hostname "$R/abs-link"

if [ $have_fakeroot = 1 ]; then
	out=$("$FC" fakeroot chroot "$R" /bin/sh -c 'id -u; cat /etc/hostname; cat /abs-link; pwd' 2>&1) ||
		fail "fakechroot fakeroot chroot (native): $out"
	want="0
crossroot-native-root
crossroot-native-root
/"
	[ "$out" = "$want" ] || fail "native: expected [$want] got [$out]"
	echo "ok - fakechroot fakeroot chroot R /bin/sh -c ... (native root, uid 0)"
else
	note "fakeroot is not installed: the native pipeline runs without it"
fi
out=$("$FC" chroot "$R" /bin/sh -c 'cat /etc/hostname; chroot /sub /bin/cat /etc/hostname;
	cd /sub && chroot . /bin/cat /etc/hostname; chroot / /bin/cat /etc/hostname' 2>&1) ||
	fail "nested chroots: $out"
want="crossroot-native-root
subroot
subroot
crossroot-native-root"
[ "$out" = "$want" ] || fail "nested chroots: expected [$want] got [$out]"
echo "ok - chroot inside the root: a subdirectory, '.', '/'"
out=$("$FC" chroot "$R" /bin/sh -c 'cd /sub && chroot --skip-chdir / /bin/sh -c pwd' 2>&1)
[ "$out" = /sub ] || fail "chroot --skip-chdir /: [$out]"
out=$("$FC" chroot "$R" /bin/sh -c 'chroot --skip-chdir /sub /bin/true' 2>&1); st=$?
[ $st = 125 ] && echo "$out" | grep -q "only permitted if NEWROOT is old '/'" ||
	fail "chroot --skip-chdir /sub: exit $st: $out"
out=$("$FC" chroot --userspec=1:1 "$R" /bin/true 2>&1); st=$?
[ $st = 125 ] && echo "$out" | grep -q "not supported" || fail "chroot --userspec: exit $st: $out"
echo "ok - chroot options: --skip-chdir, --userspec refused"

# ldd: the root's libraries as the root's loader finds them, guest paths,
# and not the preloaded libcrossroot / libfakeroot.
out=$("$FC" chroot "$R" /bin/sh -c 'ldd /bin/cat' 2>&1) || fail "ldd in the root: $out"
echo "$out" | grep -q "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 " ||
	echo "$out" | grep -q "libc.so.6 => /lib[^ ]*/libc.so.6 " || fail "ldd: no libc line: $out"
case "$out" in *crossroot*|*fakeroot*|*"$CR_T"*) fail "ldd lists host paths or preloads: $out" ;; esac
echo "ok - ldd runs as crossroot-ldd: guest paths, no preloaded libraries"

# fakechroot by name, first on PATH; the env type after fakeroot.
out=$(PATH="$CR_LIBDIR/fakechroot-bin:$PATH" fakechroot --version) || fail "fakechroot --version"
case "$out" in "fakechroot version 2.20.1 "*) ;; *) fail "fakechroot by name: $out" ;; esac
out=$(PATH="$CR_LIBDIR/fakechroot-bin:$PATH" fakechroot chroot "$R" /bin/cat /etc/hostname) ||
	fail "fakechroot chroot by name: $out"
[ "$out" = crossroot-native-root ] || fail "fakechroot chroot by name: [$out]"
if [ $have_fakeroot = 1 ]; then
	out=$("$FC" fakeroot -u -- /bin/sh -c 'echo "$FAKECHROOT_CMD_SUBST"')
	case "$out" in "") ;; *) fail "env type 'sh' set substitutions: $out" ;; esac
	out=$("$FC" fakeroot -u chroot "$R" /bin/sh -c 'echo "$FAKECHROOT_CMD_SUBST"')
	case ":$out:" in *":/usr/sbin/chroot=$CR_LIBDIR/crossroot-chroot:"*) ;;
	*) fail "env type after fakeroot -u: chroot.env not used: $out" ;; esac
fi
mkdir -p "$CR_T/conf"
echo 'FAKECHROOT_CMD_SUBST=/bin/prog=/bin/true; export FAKECHROOT_CMD_SUBST; CONF_MARK=mine; export CONF_MARK' > "$CR_T/conf/chroot.env"
out=$("$FC" -c "$CR_T/conf" chroot "$R" /bin/sh -c 'echo "$CONF_MARK $FAKECHROOT_CMD_SUBST"')
[ "$out" = "mine /bin/prog=/bin/true" ] || fail "-c DIR/chroot.env: [$out]"
out=$("$FC" -e none chroot "$R" /bin/sh -c 'echo "[$FAKECHROOT_CMD_SUBST]"')
[ "$out" = "[]" ] || fail "-e none: [$out]"
echo "ok - fakechroot by name from fakechroot-bin; env types: command, -c, -e none"

out=$("$FC" --bogus /bin/true 2>&1); st=$?
[ $st = 1 ] && echo "$out" | grep -q "Usage:" || fail "a bad option: exit $st: $out"
out=$("$FC" -l /usr/lib/libother.so /bin/true 2>&1); st=$?
[ $st = 1 ] && echo "$out" | grep -q "preloads libcrossroot.so" || fail "-l another library: exit $st: $out"
out=$("$FC" -l "$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so" chroot "$R" /bin/cat /etc/hostname 2>&1)
[ "$out" = crossroot-native-root ] || fail "-l LIBDIR/TRIPLET/libcrossroot.so: $out"
out=$("$FC" -d relative/ld.so /bin/true 2>&1); st=$?
[ $st = 1 ] || fail "-d with a relative loader: exit $st: $out"
echo "ok - option errors: a bad option, -l of another library, a relative -d"

# ------------------------------------------------------------ arm64 root
t=aarch64-linux-gnu
if ! cr_have_guest $t || [ ! -e "$P/$t/.built" ]; then
	note "SKIP arm64: no aarch64 guest build of libcrossroot or of the test programs"
elif ! command -v qemu-aarch64-static >/dev/null 2>&1; then
	note "SKIP arm64: qemu-aarch64-static not found"
elif [ ! -e /usr/$t/lib/ld-linux-aarch64.so.1 ]; then
	note "SKIP arm64: no cross libc in /usr/$t/lib (libc6-arm64-cross)"
else
	fr="$CR_T/root-arm64"
	mkdir -p "$fr/bin" "$fr/etc" "$fr/lib/$t" "$fr/tmp" "$fr/dev" "$fr/proc" "$fr/sys" "$fr/sub/bin"
	cp -a /usr/$t/lib/*.so* "$fr/lib/$t/"
	cp -L /usr/$t/lib/ld-linux-aarch64.so.1 "$fr/lib/"
	cp "$P/$t/guest-sh" "$fr/bin/sh"
	cp "$P/$t/guest-uname" "$fr/bin/"
	echo arm64-root > "$fr/etc/hostname"
	cp "$P/$t/guest-uname" "$fr/bin/chroot"    # substituted: never run
	cp /usr/bin/env "$fr/bin/env"              # a host program, run natively
	out=$("$FC" chroot "$fr" /bin/sh -c 'shname; guest-uname; chroot / /bin/guest-uname' 2>&1) ||
		fail "fakechroot chroot (arm64): $out"
	want="guest-sh
aarch64
aarch64"
	[ "$out" = "$want" ] || fail "arm64: expected [$want] got [$out]"
	echo "ok - fakechroot chroot R on an arm64 root: guest shell and programs under qemu, nested chroot"
	deb=""
	if [ $have_fakeroot = 1 ] && m=$(cr_debian_mirror) && [ -n "$m" ] &&
	   cr_fetch "$m/dists/bookworm/Release" "$CR_T/Release"; then
		mkdir -p "$CR_T/debs"
		deb=$(cr_fetch_deb bookworm arm64 libfakeroot "$CR_T/debs") || deb=""
	fi
	if [ -n "$deb" ]; then
		CROSSROOT_STAGE_PREFIX="$CR_T/stage"
		export CROSSROOT_STAGE_PREFIX
		o=$("$CROSSROOT_STAGE" --arch arm64 --with-fakeroot "$deb" 2>&1) || fail "staging libfakeroot: $o"
		out=$("$FC" fakeroot chroot "$fr" /bin/sh -c 'guest-uname; exec env' 2>&1) ||
			fail "fakechroot fakeroot chroot (arm64): $out"
		echo "$out" | sed -n 1p | grep -qx aarch64 || fail "arm64 under fakeroot: $out"
		echo "$out" | grep -q '^FAKEROOTKEY=' || fail "arm64 under fakeroot: FAKEROOTKEY lost: $out"
		# (the host program's own builds, by full path: fakeroot's first)
		echo "$out" | grep -q "^LD_PRELOAD=/[^:]*/$HOST_TRIPLET/libfakeroot/libfakeroot-sysv.so:/[^:]*/libcrossroot.so\$" ||
			fail "arm64 under fakeroot: LD_PRELOAD: $out"
		echo "ok - fakechroot fakeroot chroot R on an arm64 root (staged guest libfakeroot)"
		unset CROSSROOT_STAGE_PREFIX
	else
		note "the arm64 libfakeroot is not available (no fakeroot or no Debian archive): arm64 under fakeroot not checked"
		out=$(env FAKEROOTKEY=1 "$FC" chroot "$fr" /bin/true 2>&1); st=$?
		[ $st = 125 ] && echo "$out" | grep -q "libfakeroot" ||
			fail "arm64 under fakeroot without a guest libfakeroot: exit $st: $out"
		echo "ok - arm64 under fakeroot without a guest libfakeroot: a clear error"
	fi
fi

cr_sentinel_end
echo "ok - nothing outside the roots changed"
