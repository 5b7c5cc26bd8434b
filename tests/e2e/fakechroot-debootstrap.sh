#!/bin/sh
# fakechroot-debootstrap.sh - end to end: debootstrap's fakechroot variant
# through crossroot's front end, as the unprivileged test user:
#   crossroot-fakechroot fakeroot -s ST debootstrap --variant=fakechroot bookworm R MIRROR
# (the env type is debootstrap: crossroot's debootstrap.env).  Checks:
# exit 0; in the new root (entered with crossroot, under the same fakeroot
# state) dpkg -l lists every package "ii", dpkg --audit is clean,
# /etc/shadow is root:shadow, the root's ldconfig really ran (its cache
# exists, crossroot-ldconfig found debootstrap's ldconfig.REAL); nothing
# outside the test's directory changed.  Run by make check-e2e; skipped,
# with the reason, only when a tool is missing or the Debian archive is
# unreachable.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

suite=bookworm
PATH="/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
for p in debootstrap fakeroot; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done
FC="$CR_LIBDIR/crossroot-fakechroot"
[ -x "$FC" ] || fail "crossroot-fakechroot not built"
cr_need_archive "$suite"
now() { date +%s; }

cr_sentinel_make "$CR_T/sentinel"
cr_sentinel_begin "$HOME" "$CR_T/sentinel" /etc/passwd /etc/group /etc/ld.so.cache

R="$CR_T/root"
ST="$CR_T/fakeroot.state"
t0=$(now)
"$FC" fakeroot -s "$ST" debootstrap --variant=fakechroot "$suite" "$R" "$mirror" \
	> "$CR_T/debootstrap.log" 2>&1
rc=$?
t1=$(now)
note "debootstrap --variant=fakechroot: $((t1 - t0)) s"
if [ $rc != 0 ]; then
	tail -n 30 "$CR_T/debootstrap.log" >&2
	[ -f "$R/debootstrap/debootstrap.log" ] && tail -n 40 "$R/debootstrap/debootstrap.log" >&2
	fail "fakechroot fakeroot debootstrap --variant=fakechroot exited $rc"
fi
echo "ok - fakechroot fakeroot debootstrap --variant=fakechroot exits 0 ($((t1 - t0)) s)"

inroot() { fakeroot -i "$ST" "$CROSSROOT" "$R" "$@"; }
list=$(inroot dpkg -l 2>&1) || fail "dpkg -l: $list"
n=$(printf '%s\n' "$list" | grep -c '^ii ')
bad=$(printf '%s\n' "$list" | sed -n '/^+++-/,$p' | sed 1d | grep -v '^ii ')
[ -z "$bad" ] || fail "packages not installed: $bad"
[ "$n" -ge 80 ] || fail "only $n packages listed: $list"
out=$(inroot dpkg --audit 2>&1) || fail "dpkg --audit: $out"
[ -z "$out" ] || fail "dpkg --audit is not clean: $out"
echo "ok - dpkg -l lists all $n packages as ii, dpkg --audit is clean"
out=$(inroot /bin/sh -c 'id -u; stat -c "%U:%G" /etc/shadow' 2>&1) || fail "commands in the root: $out"
[ "$out" = "0
root:shadow" ] || fail "id -u / owner of /etc/shadow: $out"
[ -s "$R/etc/ld.so.cache" ] || fail "the root's ld.so.cache was not built"
echo "ok - /etc/shadow is root:shadow, the root's ldconfig ran"

cr_sentinel_end
echo "ok - nothing outside the test's directory changed"
