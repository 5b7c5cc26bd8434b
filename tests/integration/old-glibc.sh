#!/bin/sh
# old-glibc.sh - the arm64 guest build of libcrossroot loads and works in a
# root whose C library is glibc 2.31 (Debian bullseye's libc6 and libc-bin,
# fetched from the Debian archive apt is configured with).  Proof that it is
# active: ROOT/etc/passwd is an absolute symlink that only resolves inside
# the root; qemu's -L alone would follow it to the host.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

t=aarch64-linux-gnu
cr_have_guest $t || skip "no $t guest build of libcrossroot"
command -v qemu-aarch64-static >/dev/null || skip "qemu-aarch64-static not installed"
command -v dpkg-deb >/dev/null || skip "dpkg-deb not found"
[ -x "$CROSSROOT" ] || fail "crossroot not built"

d="$CR_T/debs"; mkdir -p "$d"
libc=$(cr_fetch_deb bullseye arm64 libc6 "$d") ||
	skip "the Debian archive is unreachable (bullseye arm64 libc6)"
bin=$(cr_fetch_deb bullseye arm64 libc-bin "$d") ||
	skip "the Debian archive is unreachable (bullseye arm64 libc-bin)"

r="$CR_T/root"
mkdir -p "$r/etc/real"
dpkg-deb -x "$libc" "$r" || fail "cannot unpack $libc"
dpkg-deb -x "$bin" "$r" || fail "cannot unpack $bin"
ls "$r"/lib/$t/libc-2.31.so >/dev/null || fail "the fetched libc6 is not glibc 2.31"
echo 'passwd: files' > "$r/etc/nsswitch.conf"
echo 'oldglibc:x:4242:4242:marker only inside the root:/:/bin/false' > "$r/etc/real/passwd"
ln -s /etc/real/passwd "$r/etc/passwd"
cr_sentinel_begin "$HOME"

out=$("$CROSSROOT" "$r" /usr/bin/getent passwd oldglibc 2>&1) ||
	fail "getent under glibc 2.31 failed: $out"
echo "$out"
echo "$out" | grep -q '^oldglibc:x:4242:' || fail "getent did not read ROOT/etc/passwd through the library"
cr_sentinel_end
