#!/bin/sh
# native-paths.sh - the path-translating wrappers of the host libcrossroot
# (wrap_table.h, wrap_results.c): tests/progs/pathcalls calls each of them
# on guest paths inside a native root and checks on the host side that it
# acted inside the root; then a host shell run in the root (LD_PRELOAD, no
# crossroot command) reads, writes and links files through builtins and
# redirections.  Symlinks in the root point at /etc/passwd, above the root
# (../../..), into loops and at a host sentinel tree, which must not change.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

lib="$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so"
prog="$CR_BUILD/tests/progs/pathcalls"
[ -e "$lib" ] || fail "host library $lib not built"
[ -x "$prog" ] || fail "tests/progs/pathcalls not built"
for p in /etc/crossroot-marker /newdir /newdir2 /tmp/dangling-target /links; do
	[ -e "$p" ] && skip "host path $p exists: the test needs it absent"
done

R="$CR_T/root"
SENT="$CR_T/sentinel"
cr_sentinel_make "$SENT"
cr_make_native_root "$R" sh cat ln readlink
mkdir -p "$R/data" "$R/links" "$R/usr/lib/crtest"
printf 'guest marker\n' > "$R/etc/crossroot-marker"
printf 'guest passwd\n' > "$R/etc/passwd"
printf 'data\n' > "$R/data/file"
ln -s /etc/crossroot-marker "$R/links/abs"
ln -s ../../../../etc/crossroot-marker "$R/links/up"
ln -s /etc/passwd "$R/links/passwd"
ln -s loop2 "$R/links/loop1"
ln -s loop1 "$R/links/loop2"
ln -s /data "$R/links/dirlink"
ln -s /tmp/dangling-target "$R/links/dangling"
ln -s /tmp/dangling2-target "$R/links/dangling2"
ln -s "$SENT/passwd" "$R/links/escape"
mkdir -p "$R$SENT"   # the same path inside the root: where the link leads
libm=
for d in "/lib/$HOST_TRIPLET" "/usr/lib/$HOST_TRIPLET" /lib64 /usr/lib64 /lib /usr/lib; do
	[ -e "$d/libm.so.6" ] && { libm="$d/libm.so.6"; break; }
done
[ -n "$libm" ] || fail "no host libm.so.6 to dlopen from the root"
cp -L "$libm" "$R/usr/lib/crtest/libcrtest.so"
# The real root the kernel sees must not have what the guest has.
[ -e "/usr/lib/crtest/libcrtest.so" ] && skip "host has /usr/lib/crtest/libcrtest.so"

cr_sentinel_begin "$SENT"

# ------------------------------------------------------------ every wrapper
note "pathcalls in $R"
(cd "$R" && env CROSSROOT_ROOT="$R" PATHCALLS_SENTINEL="$SENT" LD_PRELOAD="$lib" "$prog") \
	> "$CR_T/pathcalls.out" 2>&1
rc=$?
cat "$CR_T/pathcalls.out"
[ $rc -eq 0 ] || fail "pathcalls failed (exit $rc)"
grep -q '^ok threads$' "$CR_T/pathcalls.out" || fail "the thread checks did not run"
n=$(grep -c '^ok ' "$CR_T/pathcalls.out")
[ "$n" -ge 100 ] || fail "only $n checks passed"
grep -q '^not ok' "$CR_T/pathcalls.out" && fail "a check failed"

# Nothing landed on the host side.
for p in /etc/crossroot-marker /newdir /tmp/dangling-target /tmp/created /tmp/modefile; do
	[ -e "$p" ] && [ ! -e "$R$p" ] && fail "host $p was created"
done
[ -e "$R$SENT/passwd" ] || fail "the escaping symlink was not followed inside the root"
[ -e /tmp/dangling-target ] && fail "host /tmp/dangling-target created"

# ------------------------------------------------------------ a host shell
# Builtins and redirections only: open/stat/unlink go through the table.
# The preload is set up as crossroot does: the bare name, found through
# LD_LIBRARY_PATH (children get it back from CROSSROOT_LIBPATH).
libdir="$CR_LIBDIR/$HOST_TRIPLET"
run_sh() { # SCRIPT (cwd = ROOT/tmp)
	(cd "$R/tmp" && env -i PATH=/bin HOME=/ CROSSROOT_ROOT="$R" LD_PRELOAD=libcrossroot.so \
		LD_LIBRARY_PATH="$libdir" CROSSROOT_LIBPATH="$libdir" \
		${EXTRA_ENV:-} "$R/bin/sh" -c "$1")
}
out=$(run_sh 'read h < /etc/hostname; echo "$h"') || fail "shell read failed"
[ "$out" = crossroot-native-root ] || fail "shell read '$out' from /etc/hostname"
out=$(run_sh 'read p < /links/passwd; echo "$p"')
[ "$out" = "guest passwd" ] || fail "shell followed /links/passwd to '$out'"
out=$(run_sh 'read p < /links/up; echo "$p"')
[ "$out" = "guest marker" ] || fail "../../.. left the root: '$out'"
out=$(run_sh 'echo written > /tmp/shell-out; echo appended >> shell-out; read a < /tmp/shell-out; echo "$a"')
[ "$out" = written ] || fail "shell write/read: '$out'"
[ "$(cat "$R/tmp/shell-out")" = "written
appended" ] || fail "the shell's writes did not land in ROOT/tmp/shell-out"
[ -e /tmp/shell-out ] && [ ! -e "$R/tmp/shell-out" ] && fail "host /tmp/shell-out written"
out=$(run_sh '[ -e /etc/crossroot-marker ] && [ -L /links/abs ] && [ -d /links/dirlink ] && [ ! -e /links/loop1 ] && echo yes')
[ "$out" = yes ] || fail "shell test builtins did not see the root"
out=$(run_sh 'echo escaped > /links/escape; echo done') || fail "shell write through the escape link"
[ "$(cat "$R$SENT/passwd")" = escaped ] || fail "the escape link was not written inside the root"

# Children: cat, ln, readlink are execs (wrap_exec.c resolves /bin/... in
# the root; the copies are the host binaries, so they run either way) and
# inherit the preload.
out=$(run_sh 'cat /etc/hostname; ln -s /etc/passwd x; cat x; readlink x; readlink /links/abs' 2>"$CR_T/err") ||
	fail "shell with children failed: $(cat "$CR_T/err")"
[ -s "$CR_T/err" ] && { cat "$CR_T/err"; fail "shell with children wrote errors"; }
expect="crossroot-native-root
guest passwd
/etc/passwd
/etc/crossroot-marker"
[ "$out" = "$expect" ] || fail "shell with children printed: $out"
[ "$(readlink "$R/tmp/x")" = /etc/passwd ] || fail "ln -s did not store the target as given"

# A bind: the sentinel tree shown at /mnt/sent (read only here).
out=$(EXTRA_ENV="CROSSROOT_BIND=$SENT:/mnt/sent" run_sh 'read h < /mnt/sent/hostname; echo "$h"')
[ "$out" = "sentinel hostname" ] || fail "bind not followed: '$out'"

# Garbage in the environment: one clear line, and the rest still works.
out=$(EXTRA_ENV="CROSSROOT_BIND=relative/x,$SENT:/mnt/sent" run_sh 'read h < /mnt/sent/hostname; echo "$h"' 2>"$CR_T/err")
cat "$CR_T/err"
grep -q "^libcrossroot: ignoring CROSSROOT_BIND entry 'relative/x': must be absolute$" "$CR_T/err" ||
	fail "no clear message for a relative CROSSROOT_BIND entry"
[ "$out" = "sentinel hostname" ] || fail "a bad bind entry broke the good one: '$out'"
out=$(EXTRA_ENV="CROSSROOT_CMD_SUBST=garbage" run_sh 'read h < /etc/hostname; echo "$h"' 2>"$CR_T/err")
grep -q "^libcrossroot: ignoring CROSSROOT_CMD_SUBST entry 'garbage'" "$CR_T/err" ||
	fail "no message for a bad CROSSROOT_CMD_SUBST: $(cat "$CR_T/err")"
[ "$out" = crossroot-native-root ] || fail "bad CROSSROOT_CMD_SUBST broke the root"
# FAKECHROOT_BASE stands for CROSSROOT_ROOT when that is unset.
out=$(cd "$R/tmp" && env -i PATH=/bin FAKECHROOT_BASE="$R" LD_PRELOAD="$lib" "$R/bin/sh" -c 'read h < /etc/hostname; echo "$h"')
[ "$out" = crossroot-native-root ] || fail "FAKECHROOT_BASE not honoured: '$out'"

cr_sentinel_end
echo "native paths: $n pathcalls checks and the shell checks passed"
