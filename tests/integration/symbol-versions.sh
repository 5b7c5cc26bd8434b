#!/bin/sh
# symbol-versions.sh - every built libcrossroot.so (host and guests) needs no
# glibc symbol version newer than 2.31, so guest builds load in old roots;
# guest builds are also of the architecture their directory names.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

check="$top_builddir/tests/tools/symver-check"
[ -x "$check" ] || fail "tests/tools/symver-check was not built"

# The checker itself must reject a newer reference: link a probe against a
# symbol that only exists since glibc 2.34 (pthread_once moved into libc).
cat > "$CR_T/probe.c" <<'C'
#include <pthread.h>
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init(void) {}
int probe(void) { return pthread_once(&once, init); }
C
if ${CC:-cc} -shared -fPIC -o "$CR_T/probe.so" "$CR_T/probe.c" 2>/dev/null; then
	if "$check" 2.31 "$CR_T/probe.so" >"$CR_T/probe.out"; then
		cat "$CR_T/probe.out"
		fail "symver-check accepted a GLIBC_2.34 reference"
	fi
	grep -q 'GLIBC_2.34' "$CR_T/probe.out" || fail "symver-check did not name GLIBC_2.34"
fi

n=0
for lib in "$CR_LIBDIR"/*/libcrossroot.so; do
	[ -e "$lib" ] || continue
	n=$((n + 1))
	"$check" 2.31 "$lib" || fail "$lib needs a glibc newer than 2.31"
	t=$(basename "$(dirname "$lib")")
	desc=$(file -L "$lib" 2>/dev/null || :)
	flags=$(readelf -h "$lib" 2>/dev/null | sed -n 's/^ *Flags: *//p')
	echo "$t: $desc; e_flags: $flags"
	case "$t" in
		x86_64-linux-gnu)    echo "$desc" | grep -q 'x86-64' ;;
		aarch64-linux-gnu)   echo "$desc" | grep -q 'ARM aarch64' ;;
		arm-linux-gnueabi)   echo "$desc" | grep -q 'ARM, EABI5' &&
		                     echo "$flags" | grep -q 'soft-float ABI' ;;
		arm-linux-gnueabihf) echo "$desc" | grep -q 'ARM, EABI5' &&
		                     echo "$flags" | grep -q 'hard-float ABI' ;;
		*) true ;;
	esac || fail "$lib is not a $t build"
done
[ $n -gt 0 ] || fail "no libcrossroot.so found under $CR_LIBDIR"
for t in $GUEST_TRIPLETS; do
	[ -e "$CR_LIBDIR/$t/libcrossroot.so" ] || fail "guest build $t missing"
done
echo "checked $n libraries"
