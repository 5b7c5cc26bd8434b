#!/bin/sh
# make-demo-root.sh - `make demo`: assemble a tiny arm64 root from Debian's
# cross libc (libc6-arm64-cross) and a cross-compiled program, then run it
# through crossroot as an ordinary user would.  Needs no root privilege.
# Usage: make-demo-root.sh ABS_BUILDDIR
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
builddir=$1
srcdir=$(cd "$(dirname "$0")/.." && pwd)
triplet=aarch64-linux-gnu
sysroot=/usr/$triplet
root="$builddir/demo-root-arm64"

command -v $triplet-gcc >/dev/null ||
	{ echo "demo: $triplet-gcc not found: install gcc-aarch64-linux-gnu" >&2; exit 1; }
[ -e "$sysroot/lib/libc.so.6" ] ||
	{ echo "demo: $sysroot/lib/libc.so.6 not found: install libc6-arm64-cross" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root/bin" "$root/etc" "$root/lib/$triplet" "$root/tmp"
# The loader where PT_INTERP says, the C library (and libdl, which the guest
# libcrossroot needs for dlsym on glibc < 2.34) where the loader looks.
cp -L "$sysroot/lib/ld-linux-aarch64.so.1" "$root/lib/"
for lib in libc.so.6 libdl.so.2; do
	cp -L "$sysroot/lib/$lib" "$root/lib/$triplet/"
done
$triplet-gcc -O2 -o "$root/bin/hello" "$srcdir/demo/hello.c"
echo "this file exists only inside $root" > "$root/etc/crossroot-demo"

echo "demo: running: crossroot -v $root /bin/hello"
"$builddir/wrapper/crossroot" -v "$root" /bin/hello
