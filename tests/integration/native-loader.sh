#!/bin/sh
# native-loader.sh - a native program inside the root runs under the ROOT's
# own dynamic loader with the root's library directories: a program linked
# against libcrmarker.so, a library that exists only in the root, runs
# through crossroot (as the first command and when exec'ed by a program in
# the root), keeps its argv[0], still has libcrossroot (it reads the root's
# /etc/hostname); with CROSSROOT_NATIVE_LOADER=0 the host's loader cannot
# find libcrmarker.so.  The default ldconfig substitution rebuilds the
# root's /etc/ld.so.cache (listing libcrmarker.so) with the root's own
# ldconfig and -r ROOT, and the host's cache is left alone.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

P="$CR_BUILD/tests/progs"
[ -x "$P/exec-api" ] || fail "test program $P/exec-api not built (make check builds it)"
[ -e "$CR_LIBDIR/libcrossroot.so" ] || fail "libcrossroot.so not built"
"$CROSSROOT" --version >/dev/null 2>&1 || fail "the crossroot command is not usable"
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
CC=${CC:-cc}
triplet=${HOST_TRIPLET:-$($CC -print-multiarch 2>/dev/null)}
[ -n "$triplet" ] || skip "cannot tell the host's multiarch triplet"

# ------------------------------------------------------------ programs
b="$CR_T/build"
mkdir -p "$b"
cat > "$b/crmarker.c" <<'EOF'
const char *crmarker(void) { return "root-only library"; }
EOF
cat > "$b/markerprog.c" <<'EOF'
#include <stdio.h>
const char *crmarker(void);
int main(int argc, char **argv)
{
	char line[256] = "";
	FILE *f = fopen("/etc/hostname", "r");
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
	}
	printf("argv0=%s\nmarker=%s\nhostname=%s", argv[0], crmarker(), line);
	for (int i = 1; i < argc; i++)
		printf("arg=%s\n", argv[i]);
	return 0;
}
EOF
$CC -shared -fPIC -Wl,-soname,libcrmarker.so -o "$b/libcrmarker.so" "$b/crmarker.c" 2>"$b/cc.log" ||
	skip "no working C compiler ($CC): $(head -c 300 "$b/cc.log")"
$CC -o "$b/markerprog" "$b/markerprog.c" -L"$b" -lcrmarker 2>"$b/cc.log" ||
	skip "no working C compiler ($CC): $(head -c 300 "$b/cc.log")"
[ -e "/lib/$triplet/libcrmarker.so" ] || [ -e "/usr/lib/$triplet/libcrmarker.so" ] &&
	skip "the host has a libcrmarker.so: the test would prove nothing"

# ------------------------------------------------------------ the root
r="$CR_T/root"
cr_make_native_root "$r" cat
ldso=$(sed -n 's/^[[:space:]]*\(\/[^ ]*ld-linux[^ ]*\) .*/\1/p' <<EOF
$(ldd "$b/markerprog")
EOF
)
[ -n "$ldso" ] && [ -e "$r$ldso" ] || skip "the root has no copy of the host's loader ($ldso)"
mkdir -p "$r/lib/$triplet"
cp "$b/libcrmarker.so" "$r/lib/$triplet/"
cp "$b/markerprog" "$r/bin/markerprog"
cr_copy_libs "$r" "$b/markerprog" 2>/dev/null
cp "$P/exec-api" "$r/bin/exec-api"
cr_copy_libs "$r" "$P/exec-api"
# The host loader would not find it: nothing else may provide it.
LD_LIBRARY_PATH= ldd "$b/markerprog" 2>/dev/null | grep -q 'libcrmarker.so => not found' ||
	skip "libcrmarker.so is found on the host"

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME" /etc/ld.so.cache

# ------------------------------------------------------------ checks
want="argv0=/bin/markerprog
marker=root-only library
hostname=crossroot-native-root
arg=a
arg=b c"
got=$("$CROSSROOT" "$r" /bin/markerprog a "b c" 2>&1) ||
	fail "the first command under the root's loader: exit $?: $got"
[ "$got" = "$want" ] || fail "first command: expected [$want] got [$got]"
echo "ok - the first command finds a library that only the root has"

got=$("$CROSSROOT" "$r" markerprog x 2>&1) || fail "PATH search: exit $?: $got"
echo "$got" | grep -qx 'argv0=markerprog' || fail "argv[0] was not kept: $got"
echo "ok - argv[0] is kept (the loader's --argv0)"

want="argv0=given-name
marker=root-only library
hostname=crossroot-native-root
arg=x"
for api in execv spawn; do
	got=$("$CROSSROOT" "$r" /bin/exec-api $api /bin/markerprog given-name x 2>&1) ||
		fail "$api from inside the root: exit $?: $got"
	[ "$got" = "$want" ] || fail "$api from inside the root: expected [$want] got [$got]"
	echo "ok - $api from a program in the root uses the root's loader"
done
got=$("$CROSSROOT" "$r" /bin/exec-api execvp markerprog given-name x 2>&1) ||
	fail "execvp from inside the root: exit $?: $got"
[ "$got" = "$want" ] || fail "execvp from inside the root: expected [$want] got [$got]"
echo "ok - execvp from a program in the root uses the root's loader"

got=$(CROSSROOT_VERBOSE=1 "$CROSSROOT" "$r" /bin/markerprog 2>&1 >/dev/null)
echo "$got" | grep -q -- "--inhibit-cache --library-path $r/" ||
	fail "the exec line does not show the root's loader and library path: $got"
echo "$got" | grep -q -- "$CR_LIBDIR/$triplet" ||
	fail "crossroot's library directory is not in --library-path: $got"
echo "ok - the loader gets the root's library path, then crossroot's"

got=$(CROSSROOT_NATIVE_LOADER=0 "$CROSSROOT" "$r" /bin/markerprog 2>&1) &&
	fail "CROSSROOT_NATIVE_LOADER=0: the program ran although the host loader cannot find libcrmarker.so: $got"
echo "$got" | grep -q 'libcrmarker.so' ||
	fail "CROSSROOT_NATIVE_LOADER=0: expected the loader to miss libcrmarker.so, got: $got"
got=$(CROSSROOT_NATIVE_LOADER=0 "$CROSSROOT" "$r" /bin/exec-api execv /bin/markerprog m 2>&1) &&
	fail "CROSSROOT_NATIVE_LOADER=0 through the library: the program ran: $got"
echo "$got" | grep -q 'libcrmarker.so' ||
	fail "CROSSROOT_NATIVE_LOADER=0 through the library: expected a missing libcrmarker.so, got: $got"
echo "ok - CROSSROOT_NATIVE_LOADER=0 runs the program with the host's loader"

# ------------------------------------------------------------ ldconfig
if [ -x /sbin/ldconfig ] && file_is_static=$(LC_ALL=C ldd /sbin/ldconfig 2>&1); \
   echo "$file_is_static" | grep -q 'not a dynamic executable\|statically linked'; then
	mkdir -p "$r/sbin"
	cp /sbin/ldconfig "$r/sbin/ldconfig"
	rm -f "$r/etc/ld.so.cache"
	got=$("$CROSSROOT" "$r" /sbin/ldconfig 2>&1) || fail "ldconfig in the root: exit $?: $got"
	[ -s "$r/etc/ld.so.cache" ] || fail "ldconfig did not write ROOT/etc/ld.so.cache: $got"
	/sbin/ldconfig -p -C "$r/etc/ld.so.cache" | grep -q "libcrmarker.so .*=> /lib/$triplet/libcrmarker.so" ||
		fail "ROOT/etc/ld.so.cache does not list the root's libcrmarker.so"
	echo "ok - the root's ldconfig rebuilds ROOT/etc/ld.so.cache (crossroot-ldconfig)"
	rm -f "$r/etc/ld.so.cache"
	got=$("$CROSSROOT" "$r" /bin/exec-api execvp ldconfig ldconfig 2>&1) ||
		fail "ldconfig exec'ed from the root: exit $?: $got"
	[ -s "$r/etc/ld.so.cache" ] || fail "ldconfig from the root did not write ROOT/etc/ld.so.cache"
	echo "ok - ldconfig exec'ed by a program in the root is substituted too"
	# libc-bin's postinst runs "ldconfig -r /": "/" is the fake root's, not
	# the host's (whose /etc/ld.so.cache the sentinel covers).
	rm -f "$r/etc/ld.so.cache"
	got=$("$CROSSROOT" "$r" /sbin/ldconfig -r / 2>&1) || fail "ldconfig -r / in the root: exit $?: $got"
	[ -s "$r/etc/ld.so.cache" ] || fail "ldconfig -r / did not write ROOT/etc/ld.so.cache: $got"
	echo "ok - ldconfig -r / rebuilds the root's cache, not the host's"
	got=$("$CROSSROOT" "$r" /sbin/ldconfig -r /no/such/dir 2>&1) &&
		fail "ldconfig -r /no/such/dir succeeded: $got"
	echo "$got" | grep -q 'crossroot-ldconfig: -r /no/such/dir: not a directory inside' ||
		fail "ldconfig -r of a missing directory: unexpected message: $got"
	echo "ok - ldconfig -r of a directory missing in the root fails clearly"
	# A user substitution wins over the default.
	got=$(CROSSROOT_CMD_SUBST=/sbin/ldconfig=/bin/true "$CROSSROOT" "$r" /bin/exec-api \
		execv /sbin/ldconfig ldconfig --bogus-option 2>&1) ||
		fail "CROSSROOT_CMD_SUBST did not override the ldconfig default: $got"
	echo "ok - CROSSROOT_CMD_SUBST overrides the default ldconfig substitution"
else
	note "the host's /sbin/ldconfig is not a static program: ldconfig checks skipped"
fi

cr_sentinel_end
echo "all native loader checks passed"
