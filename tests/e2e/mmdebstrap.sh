#!/bin/sh
# mmdebstrap.sh ARCH|native - end to end: mmdebstrap's fakechroot mode with
# crossroot's front end answering as `fakechroot` (LIBDIR/fakechroot-bin
# first on PATH), as the unprivileged test user, no binfmt_misc:
#   mmdebstrap --mode=fakechroot --variant=minbase [--arch=ARCH] bookworm out.tar
# (mmdebstrap re-executes itself as `fakechroot fakeroot mmdebstrap ...`).
# Checks: exit 0; every tarball entry belongs to root, except what Debian
# itself gives another owner (apt's partial directories: _apt; the groups
# shadow, mail, staff, utmp, adm); the tarball unpacked and entered with
# crossroot lists every package "ii" with dpkg -l and runs the root's
# uname; nothing outside the test's directory changed.
# For a foreign ARCH nothing more than --arch is given: arch-test -n's
# QEMU_VERSION probe does not reach qemu (crossroot's emulation is
# transparent, so mmdebstrap sees the architecture as runnable and does
# not ask for fakechroot's own guest library), and when usrmerge's
# conversion puts the dynamic loader behind an absolute link, crossroot
# runs the loader it resolved inside the root (qemu's -L would follow
# the link on the host).
# The guest libfakeroot comes from the Debian archive, staged with
# crossroot-stage --with-fakeroot.  Run by tests/e2e/mmdebstrap-ARCH.sh
# (make check-e2e); skipped, with the reason, only when a tool is missing or
# the Debian archive is unreachable.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

arch=${1:?usage: mmdebstrap.sh ARCH|native}
suite=bookworm
host_arch=$(dpkg --print-architecture)
[ "$arch" = native ] && arch=$host_arch
case "$arch" in
	arm64) triplet=aarch64-linux-gnu qemu=qemu-aarch64-static m=aarch64 ;;
	armel) triplet=arm-linux-gnueabi qemu=qemu-arm-static m=armv7l ;;
	armhf) triplet=arm-linux-gnueabihf qemu=qemu-arm-static m=armv7l ;;
	"$host_arch") triplet=$HOST_TRIPLET qemu="" m=$(uname -m) ;;
	*) fail "unknown architecture $arch" ;;
esac
PATH="/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
for p in mmdebstrap fakeroot tar dpkg-deb $qemu ${qemu:+arch-test}; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done
FCBIN="$CR_LIBDIR/fakechroot-bin"
[ -x "$FCBIN/fakechroot" ] || fail "$FCBIN/fakechroot not built"
[ -x "$CROSSROOT" ] || fail "crossroot not built"
[ -z "$qemu" ] || cr_have_guest "$triplet" ||
	skip "no $triplet guest build of libcrossroot (no $triplet-gcc at configure time)"
cr_need_archive "$suite"
now() { date +%s; }

opts=""
if [ -n "$qemu" ]; then
	cr_stage_libfakeroot "$suite" "$arch"
	opts="--arch=$arch"
fi

cr_sentinel_make "$CR_T/sentinel"
cr_sentinel_begin "$HOME" "$CR_T/sentinel"

tarball="$CR_T/out.tar"
t0=$(now)
# shellcheck disable=SC2086
TMPDIR="$CR_T" PATH="$FCBIN:$PATH" mmdebstrap --mode=fakechroot --variant=minbase $opts \
	"$suite" "$tarball" "$mirror" > "$CR_T/mmdebstrap.log" 2>&1
rc=$?
t1=$(now)
note "$arch mmdebstrap: $((t1 - t0)) s"
if [ $rc != 0 ]; then
	tail -n 40 "$CR_T/mmdebstrap.log" >&2
	fail "mmdebstrap --mode=fakechroot ($arch) exited $rc"
fi
grep -q "libcrossroot\|cannot be preloaded" "$CR_T/mmdebstrap.log" &&
	fail "mmdebstrap's log names libcrossroot or a preload failure: $(grep "libcrossroot\|cannot be preloaded" "$CR_T/mmdebstrap.log" | head -5)"
echo "ok - mmdebstrap --mode=fakechroot $opts exits 0 ($((t1 - t0)) s)"

tar tvf "$tarball" --numeric-owner > "$CR_T/tar.list" || fail "cannot list $tarball"
R="$CR_T/root"
mkdir "$R"
fakeroot tar -C "$R" -xf "$tarball" 2>"$CR_T/untar.log" || fail "cannot unpack $tarball: $(tail -5 "$CR_T/untar.log")"
allowed=""
for g in shadow mail staff utmp adm; do
	id=$(awk -F: -v g="$g" '$1 == g { print $3 }' "$R/etc/group")
	[ -n "$id" ] && allowed="$allowed 0/$id"
done
apt_uid=$(awk -F: '$1 == "_apt" { print $3 }' "$R/etc/passwd")
odd=$(awk -v ok="0/0$allowed" -v apt="$apt_uid/0" 'BEGIN { n = split(ok, a, " "); for (i = 1; i <= n; i++) good[a[i]] = 1 }
	!($2 in good) && !($2 == apt && $6 ~ /\/partial\/$/) { print }' "$CR_T/tar.list")
[ -z "$odd" ] || fail "tarball entries not owned by root (allowed: 0/0$allowed, _apt's partial/): $(echo "$odd" | head -n 20)"
grep -q ' 0/0 .* \./usr/bin/dpkg$' "$CR_T/tar.list" || fail "./usr/bin/dpkg is not 0/0 in the tarball"
n=$(wc -l < "$CR_T/tar.list")
echo "ok - all $n tarball entries are root's (0/0$allowed; apt's partial/ directories $apt_uid/0)"

list=$("$CROSSROOT" "$R" dpkg -l 2>&1) || fail "dpkg -l in the unpacked root: $list"
n=$(printf '%s\n' "$list" | grep -c '^ii ')
bad=$(printf '%s\n' "$list" | sed -n '/^+++-/,$p' | sed 1d | grep -v '^ii ')
[ -z "$bad" ] || fail "packages not installed: $bad"
[ "$n" -ge 80 ] || fail "only $n packages listed: $list"
if [ -n "$qemu" ]; then
	printf '%s\n' "$list" | grep -q "^ii  libc6:$arch " || fail "libc6:$arch is not listed as installed"
else
	printf '%s\n' "$list" | grep -q "^ii  libc6" || fail "libc6 is not listed as installed"
fi
echo "ok - dpkg -l in the unpacked root lists all $n packages as ii"
out=$("$CROSSROOT" "$R" uname -m 2>&1) || fail "uname -m in the root: $out"
[ "$out" = "$m" ] || fail "uname -m in the root: expected $m, got $out"
echo "ok - the unpacked root runs ($out)"

cr_sentinel_end
echo "ok - nothing outside the test's directory changed"
