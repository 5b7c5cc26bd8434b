#!/bin/sh
# second-stage.sh ARCH - end to end: an unprivileged user builds a Debian
# bookworm minbase root of a foreign architecture, with no sudo, no
# binfmt_misc and no namespaces, the way the README tells users to:
#   fakeroot -s ST debootstrap --foreign --variant=minbase --arch=ARCH bookworm R MIRROR
#   crossroot-stage --arch ARCH --with-fakeroot libfakeroot_*_ARCH.deb
#   fakeroot -i ST -s ST crossroot R /debootstrap/debootstrap --second-stage
#   fakeroot -i ST crossroot R dpkg --configure -a
#   fakeroot -i ST tar -C R -czf rootfs.tar.gz .
# and checks the result: debootstrap exits 0, dpkg --audit is clean, every
# package is installed ("ii"), the tarball's entries belong to root except
# where Debian itself sets another group, its /dev nodes are character
# devices, and nothing outside the root and the test's directory changed.
# The first stage is made under fakeroot by the test user even when the
# suite runs as root (the test drops to the test user first): a first stage
# made by real root and chown'ed to the user would lose the ownership
# fakeroot has to record for the tarball.  Run by tests/e2e/second-stage-
# ARCH.sh (make check-e2e); skipped, with the reason, only when a tool is
# missing or the Debian archive is unreachable.  Prints the time each stage
# took.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

arch=${1:?usage: second-stage.sh ARCH}
suite=bookworm
case "$arch" in
	arm64) triplet=aarch64-linux-gnu qemu=qemu-aarch64-static ;;
	armel) triplet=arm-linux-gnueabi qemu=qemu-arm-static ;;
	armhf) triplet=arm-linux-gnueabihf qemu=qemu-arm-static ;;
	*) fail "unknown architecture $arch" ;;
esac
PATH="$PATH:/usr/sbin:/sbin"
for p in debootstrap fakeroot "$qemu" tar dpkg-deb xz; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done
[ -x "$CROSSROOT" ] && [ -x "$CROSSROOT_STAGE" ] || fail "crossroot or crossroot-stage not built"
cr_have_guest "$triplet" || skip "no $triplet guest build of libcrossroot (no $triplet-gcc at configure time)"
cr_need_archive "$suite"
now() { date +%s; }

# The guest libfakeroot, staged where crossroot looks for it.
cr_stage_libfakeroot "$suite" "$arch"
echo "$cr_stage_out"
qname=${qemu#qemu-}; qname=${qname%-static}
[ -f "$CR_T/stage/$qname/usr/lib/$triplet/crossroot/libfakeroot-sysv.so" ] ||
	fail "crossroot-stage did not stage libfakeroot-sysv.so in $CR_T/stage/$qname"

# The root's ldconfig is static (no preload): it must not run as is.
if [ ! -x "$CR_LIBDIR/crossroot-ldconfig" ]; then
	note "no crossroot-ldconfig: the root's ldconfig is replaced by /bin/true"
	CROSSROOT_CMD_SUBST=/sbin/ldconfig=/bin/true:/usr/sbin/ldconfig=/bin/true
	export CROSSROOT_CMD_SUBST
fi

# Sentinels: the user's home, a tree that looks like a root's /etc, and the
# host files a second stage would write if a path escaped the root.
cr_sentinel_make "$CR_T/sentinel"
cr_sentinel_begin "$HOME" "$CR_T/sentinel" /etc/passwd /etc/group /etc/shadow \
	/etc/.pwd.lock /etc/ld.so.cache /etc/hostname /var/lib/dpkg/status

R="$CR_T/root"
ST="$CR_T/fakeroot.state"
t0=$(now)
fakeroot -s "$ST" debootstrap --foreign --variant=minbase --arch="$arch" \
	"$suite" "$R" "$mirror" > "$CR_T/first.log" 2>&1 || {
	tail -n 20 "$CR_T/first.log" >&2
	fail "debootstrap --foreign (first stage) failed"
}
t1=$(now)
note "$arch first stage: $((t1 - t0)) s"
# In a container debootstrap's first stage makes /proc a symlink to /proc,
# for its second stage to replace with a directory; under crossroot that
# second stage sees the host's /proc there (the default bind) and leaves the
# symlink.  Replace it first, as debootstrap would.
if [ -L "$R/proc" ]; then
	note "the first stage made /proc a symlink (debootstrap in a container): made a directory"
	fakeroot -i "$ST" -s "$ST" sh -c 'rm "$1/proc" && mkdir "$1/proc"' sh "$R" ||
		fail "cannot replace the /proc symlink"
fi

fakeroot -i "$ST" -s "$ST" "$CROSSROOT" "$R" /debootstrap/debootstrap --second-stage \
	> "$CR_T/second.log" 2>&1
rc=$?
t2=$(now)
note "$arch second stage: $((t2 - t1)) s"
if [ "$rc" != 0 ]; then
	tail -n 30 "$CR_T/second.log" >&2
	[ -f "$R/debootstrap/debootstrap.log" ] && tail -n 40 "$R/debootstrap/debootstrap.log" >&2
	fail "debootstrap --second-stage exited $rc"
fi
echo "ok - debootstrap --second-stage exits 0 ($((t2 - t1)) s)"
[ ! -e "$R/debootstrap" ] || fail "the second stage left $R/debootstrap"

inroot() { fakeroot -i "$ST" "$CROSSROOT" "$R" "$@"; }
out=$(inroot dpkg --configure -a 2>&1) || fail "dpkg --configure -a: $out"
[ -z "$out" ] || fail "dpkg --configure -a had something to do: $out"
out=$(inroot dpkg --audit 2>&1) || fail "dpkg --audit: $out"
[ -z "$out" ] || fail "dpkg --audit is not clean: $out"
echo "ok - dpkg --configure -a and dpkg --audit are clean"

list=$(inroot dpkg -l 2>&1) || fail "dpkg -l: $list"
n=$(printf '%s\n' "$list" | grep -c '^ii ')
bad=$(printf '%s\n' "$list" | sed -n '/^+++-/,$p' | sed 1d | grep -v '^ii ')
[ -z "$bad" ] || fail "packages not installed: $bad"
[ "$n" -ge 80 ] || fail "only $n packages listed: $list"
printf '%s\n' "$list" | grep -q '^ii  dpkg ' || fail "dpkg is not listed as installed"
printf '%s\n' "$list" | grep -q "^ii  libc6:$arch " || fail "libc6:$arch is not listed as installed"
echo "ok - dpkg -l lists all $n packages as ii"

out=$(inroot /bin/sh -c 'uname -m; id -u; stat -c "%U:%G %a" /etc/shadow' 2>&1) ||
	fail "commands in the finished root: $out"
case "$arch" in arm64) m=aarch64 ;; *) m=armv7l ;; esac
[ "$(echo "$out" | sed -n 1p)" = "$m" ] || fail "uname -m in the root: $out"
[ "$(echo "$out" | sed -n 2p)" = 0 ] || fail "id -u under fakeroot: $out"
[ "$(echo "$out" | sed -n 3p)" = "root:shadow 640" ] || fail "/etc/shadow: $out"
echo "ok - the finished root runs, /etc/shadow is root:shadow 640"

# The tarball, made on the host under the same fakeroot state.
tarball="$CR_T/rootfs.tar.gz"
fakeroot -i "$ST" tar -C "$R" -czf "$tarball" . || fail "tar of the root failed"
tar tvzf "$tarball" --numeric-owner > "$CR_T/tar.list" || fail "cannot list $tarball"
# Groups Debian itself gives files in a minbase root: shadow (/etc/shadow,
# /etc/gshadow, chage, expiry, unix_chkpwd), mail (/var/mail), staff
# (/var/local), utmp (/var/log/btmp...), adm (/var/log).
allowed=""
for g in shadow mail staff utmp adm; do
	id=$(awk -F: -v g="$g" '$1 == g { print $3 }' "$R/etc/group")
	[ -n "$id" ] && allowed="$allowed 0/$id"
done
odd=$(awk -v ok="0/0$allowed" 'BEGIN { n = split(ok, a, " "); for (i = 1; i <= n; i++) good[a[i]] = 1 }
	!($2 in good) { print }' "$CR_T/tar.list")
[ -z "$odd" ] || fail "tarball entries not owned by root (allowed: 0/0$allowed): $(echo "$odd" | head -n 20)"
grep -q ' 0/0 .* \./usr/bin/dpkg$' "$CR_T/tar.list" || fail "./usr/bin/dpkg is not 0/0 in the tarball"
shadow=$(awk -F: '$1 == "shadow" { print $3 }' "$R/etc/group")
grep -q "^-rw-r----- 0/$shadow .* \./etc/shadow\$" "$CR_T/tar.list" ||
	fail "./etc/shadow is not -rw-r----- 0/shadow in the tarball: $(grep ' ./etc/shadow$' "$CR_T/tar.list")"
echo "ok - tarball entries are root's (0/0$allowed)"
for d in null zero full random urandom tty console ptmx; do
	grep -q "^c.* \./dev/$d\$" "$CR_T/tar.list" ||
		fail "./dev/$d is not a character device in the tarball: $(grep " ./dev/$d\$" "$CR_T/tar.list")"
done
grep -q '^d.* \./proc/$' "$CR_T/tar.list" || fail "./proc is not a directory in the tarball"
nodev=$(awk '$NF ~ /^\.\/dev\// && $1 !~ /^[cdl]/' "$CR_T/tar.list")
[ -z "$nodev" ] || fail "non-device files in ./dev: $nodev"
echo "ok - /dev nodes in the tarball are character devices"

cr_sentinel_end
echo "ok - nothing outside the root and the test directory changed"
note "$arch: first stage $((t1 - t0)) s, second stage $((t2 - t1)) s, total $(( $(now) - t0 )) s"
