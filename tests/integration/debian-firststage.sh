#!/bin/sh
# debian-firststage.sh - a Debian bookworm arm64 first-stage root
# (debootstrap --foreign --variant=minbase) runs its own shell, dpkg, perl and
# ls under crossroot as an unprivileged user, with no binfmt_misc.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
: "${top_srcdir:?run through make check}"
if [ "$(id -u)" = 0 ] && [ -z "${CR_DROPPED:-}" ]; then
	# Root phase: build (or reuse) the first stage and give it to the test user.
	. "$top_srcdir/tests/integration/lib.sh"
	cr_ensure_test_user
	root=$(cr_firststage arm64 bookworm) || skip "debootstrap of bookworm arm64 failed: is the Debian archive unreachable? (see $CR_CACHE)"
	chown -R "$CR_TEST_USER:" "$root"
	trap - EXIT; rm -rf "$CR_T"
fi
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

cr_have_guest aarch64-linux-gnu || skip "no aarch64-linux-gnu guest build of libcrossroot"
command -v qemu-aarch64-static >/dev/null || skip "qemu-aarch64-static not installed"
[ -x "$CROSSROOT" ] || fail "crossroot not built"
if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
	note "binfmt_misc has qemu-aarch64 registered: the test still passes qemu explicitly"
fi
root=$(cr_firststage arm64 bookworm) || skip "no bookworm arm64 first stage: Debian archive unreachable"
[ -w "$root" ] || skip "the cached first stage $root is not writable by $(id -un)"

cr_sentinel_begin "$HOME"
out=$("$CROSSROOT" "$root" /bin/sh -c 'uname -m; dpkg --version; perl -e "print qq(perl ok\n)"; ls -l /' 2>&1) ||
	fail "the first-stage commands failed: $out"
echo "$out"
echo "$out" | head -n 1 | grep -qx aarch64 || fail "uname -m did not print aarch64"
echo "$out" | grep -q "Debian 'dpkg' package management program version" || fail "dpkg --version failed"
echo "$out" | grep -qx 'perl ok' || fail "perl did not run"
echo "$out" | grep -q ' debootstrap$' || fail "ls -l / did not list the root's /debootstrap"
cr_sentinel_end
