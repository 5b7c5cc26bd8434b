#!/bin/sh
# cli-stage.sh - crossroot-stage: stage the arm64 C library from a root made
# of Debian's cross libc (libc6-arm64-cross, /usr/aarch64-linux-gnu/lib) and,
# when the Debian archive is reachable, from real libc6/libfakeroot
# packages; --list, --remove, the update mode that adds libfakeroot; an
# x86-64 library offered as arm64 is refused; a corrupt or truncated .deb
# leaves nothing behind; staging twice gives the same tree; nothing outside
# PREFIX is written; crossroot then runs a dynamic arm64 program outside
# any root with the staged tree (or a qemu-binfmt style prefix) as qemu's -L.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

[ -x "$CROSSROOT_STAGE" ] || fail "crossroot-stage not built"
t=aarch64-linux-gnu
x=/usr/$t/lib
[ -e "$x/libc.so.6" ] || skip "no $x/libc.so.6 (install libc6-arm64-cross)"

st() { "$CROSSROOT_STAGE" "$@"; }
expect_status() { # WANT DESCRIPTION COMMAND...
	want=$1 what=$2; shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$want" ] || fail "$what: exit status $got, expected $want; output: $out"
	echo "ok - $what (exit $want)"
}
expect_msg() { printf '%s\n' "$out" | grep -qF -- "$2" || fail "$1: no '$2' in: $out"; }
machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }   # e_machine (little-endian)
only_entries() { # DIR EXPECTED : the names in DIR, dot-files included
	got=$(ls -A "$1" | tr '\n' ' ')
	[ "$got" = "$2" ] || fail "$1 holds [$got], expected [$2]"
}

# ------------------------------------------------------------ a cross-libc root
# Debian layout: libraries in lib/<triplet>, the loader an absolute symlink
# that only resolves inside the root.
xr="$CR_T/xroot"
mkdir -p "$xr/lib/$t" "$xr/usr/lib"
cp -L "$x"/*.so* "$xr/lib/$t/" 2>/dev/null
[ -f "$xr/lib/$t/libc.so.6" ] || fail "cannot copy $x"
ln -s /lib/$t/ld-linux-aarch64.so.1 "$xr/lib/ld-linux-aarch64.so.1"
cr_sentinel_begin "$xr" "$HOME"

# ------------------------------------------------------------ usage
expect_status 0 "--help" st --help
expect_msg "--help" "--from-root"
expect_msg "--help" "--with-fakeroot"
expect_status 0 "--version" st --version
expect_msg "--version" "crossroot-stage"
expect_status 2 "no mode" st --prefix "$CR_T/p"
expect_status 2 "--from-root and --from-deb" st --from-root "$xr" --from-deb x.deb
expect_status 2 "unknown --arch" st --arch vax --from-root "$xr"
expect_msg "unknown --arch" "unknown architecture 'vax'"

# ------------------------------------------------------------ --from-root
P="$CR_T/prefix"
expect_status 0 "--from-root" st --prefix "$P" --from-root "$xr"
expect_msg "--from-root" "staged arm64 in $P/aarch64"
only_entries "$P" "aarch64 "
a="$P/aarch64"
[ -f "$a/lib/ld-linux-aarch64.so.1" ] && [ ! -L "$a/lib/ld-linux-aarch64.so.1" ] ||
	fail "the loader was not staged at its PT_INTERP path as a file"
for f in libc.so.6 libm.so.6; do
	[ -f "$a/lib/$t/$f" ] || fail "$f not staged at lib/$t/$f"
	[ "$(machine "$a/lib/$t/$f")" = 183 ] || fail "$f staged is not an aarch64 ELF"
done
cmp -s "$a/lib/$t/libc.so.6" "$x/libc.so.6" || fail "staged libc.so.6 differs from the source"
if cr_have_guest $t; then
	cmp -s "$a/usr/lib/$t/crossroot/libcrossroot.so" "$CR_LIBDIR/$t/libcrossroot.so" ||
		fail "the guest libcrossroot was not staged"
	expect_msg "--from-root" "libcrossroot yes"
fi
[ -d "$a/usr/lib/$t/crossroot" ] || fail "no usr/lib/$t/crossroot in the staged tree"
echo "ok - staged files"

# Idempotent: the same tree again.
cr_tree_sum "$P" > "$CR_T/tree1"
expect_status 0 "staging again" st --prefix "$P" --from-root "$xr"
cr_tree_sum "$P" > "$CR_T/tree2"
cmp -s "$CR_T/tree1" "$CR_T/tree2" || { diff "$CR_T/tree1" "$CR_T/tree2"; fail "staging twice changed the tree"; }
only_entries "$P" "aarch64 "
echo "ok - idempotent"

# ------------------------------------------------------------ --list
expect_status 0 "--list" st --prefix "$P" --list
printf '%s\n' "$out" | grep -q "^arm64: $P/aarch64 ($t), glibc [0-9][0-9]*\.[0-9][0-9]*, loader /lib/ld-linux-aarch64.so.1, libcrossroot \(yes\|no\), libfakeroot no\$" ||
	fail "--list: unexpected: $out"
if cr_have_guest $t; then expect_msg "--list" "libcrossroot yes"; fi
expect_status 0 "--list of an empty prefix" st --prefix "$CR_T/nothing" --list
expect_msg "--list empty" "nothing staged"

# CROSSROOT_STAGE_PREFIX names the prefix too.
expect_status 0 "CROSSROOT_STAGE_PREFIX" env CROSSROOT_STAGE_PREFIX="$CR_T/envprefix" "$CROSSROOT_STAGE" --from-root "$xr"
[ -f "$CR_T/envprefix/aarch64/lib/$t/libc.so.6" ] || fail "CROSSROOT_STAGE_PREFIX ignored"

# ------------------------------------------------------------ refused mismatch
hostlibc=$(ldd /bin/sh | sed -n 's/.*libc\.so\.6 => \(\/[^ ]*\) .*/\1/p')
[ -n "$hostlibc" ] || fail "cannot find the host libc"
bad="$CR_T/badroot"
mkdir -p "$bad/lib/$t"
cp "$x/ld-linux-aarch64.so.1" "$bad/lib/"
cp -L "$hostlibc" "$bad/lib/$t/libc.so.6"
expect_status 1 "x86-64 libc as arm64" st --prefix "$P" --arch arm64 --from-root "$bad"
expect_msg "mismatch" "crossroot-stage: $bad/lib/$t/libc.so.6 is x86-64, not arm64"
only_entries "$P" "aarch64 "
cr_tree_sum "$P" > "$CR_T/tree3"
cmp -s "$CR_T/tree1" "$CR_T/tree3" || fail "a refused staging changed the staged tree"
echo "ok - nothing left by a refused staging"

# ------------------------------------------------------------ corrupt .deb
command -v dpkg-deb >/dev/null 2>&1 || skip "dpkg-deb not found (--from-root checks passed)"
P2="$CR_T/prefix2"
printf 'this is not a Debian package\n' > "$CR_T/corrupt.deb"
expect_status 1 "corrupt .deb" st --prefix "$P2" --arch arm64 --from-deb "$CR_T/corrupt.deb"
expect_msg "corrupt .deb" "corrupt.deb"
only_entries "$P2" ""
# A package with a valid control part but damaged data.
mkdir -p "$CR_T/pkg/DEBIAN" "$CR_T/pkg/lib/$t"
printf 'Package: fake-libc\nVersion: 1\nArchitecture: arm64\nMaintainer: t <t@t>\nDescription: t\n' > "$CR_T/pkg/DEBIAN/control"
cp "$x/libc.so.6" "$x/ld-linux-aarch64.so.1" "$CR_T/pkg/lib/$t/"
dpkg-deb -Zgzip -b "$CR_T/pkg" "$CR_T/good.deb" >/dev/null || fail "dpkg-deb -b failed"
size=$(wc -c < "$CR_T/good.deb")
head -c $((size / 2)) "$CR_T/good.deb" > "$CR_T/truncated.deb"
expect_status 1 "truncated .deb" st --prefix "$P2" --from-deb "$CR_T/truncated.deb"
only_entries "$P2" ""
echo "ok - a broken package leaves nothing"

# --from-deb with a locally built package: the architecture comes from it.
expect_status 0 "--from-deb" st --prefix "$P2" --from-deb "$CR_T/good.deb"
expect_msg "--from-deb" "staged arm64 in $P2/aarch64"
[ -f "$P2/aarch64/lib/$t/libc.so.6" ] || fail "--from-deb: libc.so.6 not staged"
[ -f "$P2/aarch64/lib/ld-linux-aarch64.so.1" ] || fail "--from-deb: loader not staged at /lib"
expect_status 1 "--arch contradicting the package" st --prefix "$P2" --arch armhf --from-deb "$CR_T/good.deb"
expect_msg "--arch contradicting" "is for arm64, not armhf"
only_entries "$P2" "aarch64 "

# ------------------------------------------------------------ --with-fakeroot
if command -v $t-gcc >/dev/null 2>&1; then
	fr="$CR_T/fakeroot-root"
	mkdir -p "$fr/usr/lib/$t/libfakeroot"
	echo 'int fake_fakeroot;' > "$CR_T/ff.c"
	$t-gcc -shared -fPIC -o "$fr/usr/lib/$t/libfakeroot/libfakeroot-sysv.so" "$CR_T/ff.c" ||
		fail "$t-gcc -shared failed"
	expect_status 1 "--with-fakeroot from a root without it" st --prefix "$P" --arch arm64 --with-fakeroot "$xr"
	expect_msg "no libfakeroot" "no libfakeroot-sysv.so in $xr"
	# Update mode: the staged C library stays, libfakeroot joins it.
	expect_status 0 "--with-fakeroot ROOT (update)" st --prefix "$P" --arch arm64 --with-fakeroot "$fr"
	expect_msg "update" "libfakeroot yes"
	cmp -s "$P/aarch64/usr/lib/$t/crossroot/libfakeroot-sysv.so" "$fr/usr/lib/$t/libfakeroot/libfakeroot-sysv.so" ||
		fail "libfakeroot-sysv.so not staged"
	cmp -s "$P/aarch64/lib/$t/libc.so.6" "$x/libc.so.6" || fail "the update lost libc.so.6"
	expect_status 0 "--list after --with-fakeroot" st --prefix "$P" --list
	expect_msg "--list" "libfakeroot yes"
	# An x86-64 libfakeroot offered as arm64 is refused, the tree kept.
	fr2="$CR_T/fakeroot-x86"
	mkdir -p "$fr2/usr/lib/$t/libfakeroot"
	cp -L "$hostlibc" "$fr2/usr/lib/$t/libfakeroot/libfakeroot-sysv.so"
	cr_tree_sum "$P" > "$CR_T/tree4"
	expect_status 1 "x86-64 libfakeroot" st --prefix "$P" --arch arm64 --with-fakeroot "$fr2"
	expect_msg "x86-64 libfakeroot" "libfakeroot-sysv.so is x86-64, not arm64"
	cr_tree_sum "$P" > "$CR_T/tree5"
	cmp -s "$CR_T/tree4" "$CR_T/tree5" || fail "a refused libfakeroot changed the tree"
	only_entries "$P" "aarch64 "
	echo "ok - --with-fakeroot"
else
	note "no $t-gcc: --with-fakeroot from a root not checked"
fi

# ------------------------------------------------------------ crossroot uses the stage
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64) || qemu=
if [ -n "$qemu" ] && command -v $t-gcc >/dev/null 2>&1 && cr_have_guest $t; then
	printf '#include <stdio.h>\nint main(void){puts("dynamic arm64");return 0;}\n' > "$CR_T/h.c"
	$t-gcc -o "$CR_T/hello-dyn" "$CR_T/h.c" || fail "$t-gcc failed"
	out=$(cd "$CR_T" && CROSSROOT_STAGE_PREFIX="$P" "$CROSSROOT" / ./hello-dyn 2>&1) ||
		fail "crossroot / ./hello-dyn with a staged tree: $out"
	[ "$out" = "dynamic arm64" ] || fail "crossroot / ./hello-dyn: got [$out]"
	echo "ok - crossroot / ./hello-dyn uses $P/aarch64"
	# A prefix laid out as qemu-user-binfmt does (a link to the cross libc).
	mkdir -p "$CR_T/binfmt"
	ln -s "/usr/$t" "$CR_T/binfmt/aarch64"
	out=$(cd "$CR_T" && CROSSROOT_STAGE_PREFIX="$CR_T/binfmt" "$CROSSROOT" / ./hello-dyn 2>&1) ||
		fail "crossroot / ./hello-dyn with a qemu-binfmt style prefix: $out"
	[ "$out" = "dynamic arm64" ] || fail "qemu-binfmt style prefix: got [$out]"
	echo "ok - a prefix holding the loader is used too"
	if [ ! -e /lib/ld-linux-aarch64.so.1 ]; then
		expect_status 125 "no staged tree" env CROSSROOT_STAGE_PREFIX="$CR_T/nothing" "$CROSSROOT" / "$CR_T/hello-dyn"
		expect_msg "no staged tree" "its loader /lib/ld-linux-aarch64.so.1 is neither on the host nor staged"
	fi
	# A foreign root under fakeroot finds the staged guest libfakeroot.
	if [ -e "$P/aarch64/usr/lib/$t/crossroot/libfakeroot-sysv.so" ]; then
		$t-gcc -static -o "$CR_T/hello-static" "$CR_T/h.c" || fail "$t-gcc -static failed"
		ar="$CR_T/arm64-root"
		mkdir -p "$ar/bin"
		cp "$CR_T/hello-static" "$ar/bin/sh"
		out=$(env FAKEROOTKEY=1 CROSSROOT_ALLOW_STATIC=1 CROSSROOT_STAGE_PREFIX="$CR_T/nothing" "$CROSSROOT" "$ar" /bin/sh 2>&1)
		[ $? = 125 ] || fail "fakeroot check without a staged libfakeroot: $out"
		out=$(env FAKEROOTKEY=1 CROSSROOT_ALLOW_STATIC=1 CROSSROOT_STAGE_PREFIX="$P" "$CROSSROOT" "$ar" /bin/sh 2>&1) ||
			fail "fakeroot check with a staged libfakeroot: $out"
		[ "$out" = "dynamic arm64" ] || fail "foreign root under FAKEROOTKEY: got [$out]"
		echo "ok - a staged libfakeroot satisfies crossroot under fakeroot"
	fi
else
	note "no qemu, $t-gcc or guest build: crossroot with the staged tree not run"
fi

# ------------------------------------------------------------ --remove
expect_status 1 "--remove unknown" st --prefix "$P" --remove vax
expect_status 1 "--remove armhf (arm64 staged)" st --prefix "$P" --remove armhf
expect_msg "--remove armhf" "nothing staged for armhf"
expect_status 0 "--remove arm64" st --prefix "$P" --remove arm64
only_entries "$P" ""
expect_status 0 "--list after --remove" st --prefix "$P" --list
expect_msg "--list after --remove" "nothing staged"
expect_status 1 "--remove again" st --prefix "$P" --remove arm64
expect_msg "--remove again" "nothing staged for arm64"

cr_sentinel_end

# ------------------------------------------------------------ real Debian packages
d="$CR_T/debs"; mkdir -p "$d"
libc=$(cr_fetch_deb bookworm arm64 libc6 "$d") ||
	skip "the Debian archive is unreachable (bookworm arm64 libc6): --from-deb with real packages not run"
fake=$(cr_fetch_deb bookworm arm64 libfakeroot "$d") || fake=
P3="$CR_T/prefix3"
if [ -n "$fake" ]; then
	expect_status 0 "--from-deb libc6 --with-fakeroot libfakeroot" st --prefix "$P3" --from-deb "$libc" --with-fakeroot "$fake"
else
	expect_status 0 "--from-deb libc6" st --prefix "$P3" --from-deb "$libc"
fi
expect_status 0 "--list (real packages)" st --prefix "$P3" --list
printf '%s\n' "$out" | grep -q "^arm64: $P3/aarch64 ($t), glibc 2\.36, loader /lib/ld-linux-aarch64.so.1, " ||
	fail "--list (bookworm libc6): $out"
[ -z "$fake" ] || expect_msg "--list (real libfakeroot)" "libfakeroot yes"
only_entries "$P3" "aarch64 "
# A dynamic arm64 program runs from the host with the prefix staged from
# Debian's own libc6 (bookworm's glibc 2.36, as built for arm64 machines).
if [ -x "$CR_T/hello-dyn" ]; then
	out=$(cd "$CR_T" && CROSSROOT_STAGE_PREFIX="$P3" "$CROSSROOT" / ./hello-dyn 2>&1) ||
		fail "crossroot / ./hello-dyn with Debian's libc6 staged: $out"
	[ "$out" = "dynamic arm64" ] || fail "crossroot / ./hello-dyn (Debian's libc6): got [$out]"
	echo "ok - a dynamic arm64 program runs with the prefix staged from Debian's libc6"
fi
exit 0
