#!/bin/sh
# native-special.sh - the wrappers with special semantics of the host
# libcrossroot (wrap_cwd.c, wrap_dirs.c, wrap_tmp.c, wrap_socket.c,
# wrap_admin.c): tests/progs/specialcalls runs in a prepared root under
# LD_PRELOAD (chdir/getcwd/chroot nested and escaping, glob, nftw, fts,
# scandir, mkstemp family, Unix sockets, mount), then the host side checks
# that temporary files and sockets were made inside the root, and that a
# sentinel tree (whose path the program uses as a guest path) and the
# host's "/" did not change.  The arm64 build of the program then runs
# under qemu with the arm64 library; CROSSROOT_AF_UNIX_PATH is checked last.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

lib="$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so"
prog="$CR_BUILD/tests/progs/specialcalls"
[ -e "$lib" ] || fail "host library $lib not built"
[ -x "$prog" ] || fail "tests/progs/specialcalls not built"
for p in /marker /marker-in1 /d1 /d2 /lnk1 /tree /in1 /etc/crs-a.conf /home/u/file-h; do
	[ -e "$p" ] && skip "host path $p exists: the test needs it absent"
done

R="$CR_T/root"
SENT="$CR_T/sentinel"
cr_sentinel_make "$SENT"
mkdir -p "$R/etc" "$R/tmp" "$R/run" "$R/proc" "$R/dev" "$R/sys" \
	"$R/d1" "$R/d2" "$R/tree/x/y" "$R/in1/in2/sub" "$R/home/u" "$R$SENT"
chmod 1777 "$R/tmp"
echo outer > "$R/marker"
echo in1 > "$R/in1/marker-in1"
echo in2 > "$R/in1/in2/marker-in2"
: > "$R/etc/crs-a.conf"; : > "$R/etc/crs-b.conf"; : > "$R/etc/crs-c.txt"
: > "$R/tree/x/y/file"; : > "$R/home/u/file-h"
: > "$R/d1/same"; : > "$R/d2/same"
ln -s /etc "$R/tree/lnk"
ln -s /d1 "$R/lnk1"
ln -s /d2 "$R/lnk2"
# A socket directory whose guest path fits sun_path (108 bytes) and whose
# host path does not.
long=long$(printf '%080d' 0)
mkdir "$R/run/$long"
guest_sock="/run/$long/s.sock"
[ ${#guest_sock} -lt 100 ] || fail "test setup: guest socket path too long"
[ $(( ${#R} + ${#guest_sock} )) -ge 108 ] || fail "test setup: host socket path too short"

# Does the library translate xattrs (rows of wrap_table.h)?
xattr=noxattr
if command -v nm >/dev/null 2>&1 && nm -D --defined-only "$lib" | grep -q ' lgetxattr$'; then
	xattr=
else
	note "libcrossroot exports no xattr wrappers: xattr checks skipped"
fi

cr_sentinel_begin "$SENT" "$R/etc" "$R/tree"
ls -a / > "$CR_T/hostroot.before"

note "specialcalls in $R"
(cd "$R" && env CROSSROOT_ROOT="$R" LD_PRELOAD="$lib" "$prog" all "$R" "$SENT" $xattr) \
	> "$CR_T/special.out" 2>&1
rc=$?
cat "$CR_T/special.out"
[ $rc -eq 0 ] || fail "specialcalls failed (exit $rc)"
grep -q '^not ok' "$CR_T/special.out" && fail "a check failed"
for w in 'nested chroot (child)' 'chroot with the cwd outside the new root (child)' \
         'threads: ' 'glob64' 'nftw64' 'fts64' 'scandirat64' 'mkostemps64' \
         'recvmsg gives' 'swapoff' 'long host path: data flows'; do
	grep -q "^ok - $w" "$CR_T/special.out" || fail "check '$w' did not pass"
done
n=$(grep -c '^ok - ' "$CR_T/special.out")
[ "$n" -ge 150 ] || fail "only $n checks passed"

# Temporary files exist inside the root only.
ntmp=0
for t in $(sed -n 's/^TMPFILE //p' "$CR_T/special.out"); do
	ntmp=$((ntmp + 1))
	[ -e "$R$t" ] || fail "temporary $t not created inside the root"
	[ -e "$t" ] && fail "temporary $t created on the host"
done
[ $ntmp -eq 9 ] || fail "expected 9 temporary files, got $ntmp"
for s in srv.sock cli.sock dg1.sock dg2.sock; do
	[ -S "$R$SENT/$s" ] || fail "socket $s not created inside the root"
done
[ -S "$R$guest_sock" ] || fail "long-path socket not created inside the root"

# ---------------------------------------------- the arm64 guest library
# The same program built for arm64, under qemu with the arm64 library and
# the cross toolchain's libc.  (32-bit arm guests are not run here: under
# qemu-arm on a 64-bit ext4 host, glibc's non-LFS readdir and its fts fail
# with EOVERFLOW with or without crossroot.)
t=aarch64-linux-gnu
gprog="$CR_BUILD/tests/progs/$t/specialcalls"
if cr_arm64_cross "$gprog"; then
	note "arm64 specialcalls under $qemu"
	(cd "$R" && "$qemu" -L /usr/$t -E CROSSROOT_ROOT="$R" \
		-E LD_PRELOAD="$CR_LIBDIR/$t/libcrossroot.so" "$gprog" all "$R" "$SENT" $xattr) \
		> "$CR_T/special-arm64.out" 2>&1
	rc=$?
	grep -v '^ok - ' "$CR_T/special-arm64.out"
	[ $rc -eq 0 ] || fail "arm64 specialcalls failed (exit $rc)"
	n64=$(grep -c '^ok - ' "$CR_T/special-arm64.out")
	# A sanitizer build of the host program leaves out checks its runtime
	# cannot run (specialcalls says how many); the guest build has them all.
	nsan=$(sed -n 's/^# not checked in an ASan build: \([0-9]*\).*/\1/p' "$CR_T/special.out")
	# The calls through libacl run where libacl.so.1 loads (the host's,
	# not the cross toolchain's root): counted apart.
	na=$(grep -c '^ok - .*through libacl' "$CR_T/special.out")
	na64=$(grep -c '^ok - .*through libacl' "$CR_T/special-arm64.out")
	[ "$((n64 - na64))" -eq "$((n - na + ${nsan:-0}))" ] ||
		fail "arm64: $n64 checks passed ($na64 through libacl), host $n ($na; +${nsan:-0} not run under ASan)"
	for tf in $(sed -n 's/^TMPFILE //p' "$CR_T/special-arm64.out"); do
		[ -e "$R$tf" ] || fail "arm64: temporary $tf not created inside the root"
	done
fi

cr_sentinel_end
ls -a / > "$CR_T/hostroot.after"
cmp -s "$CR_T/hostroot.before" "$CR_T/hostroot.after" || fail "the host's / changed"

# ---------------------------------------------- CROSSROOT_AF_UNIX_PATH
U="$CR_T/afunix"
mkdir -p "$U/run"
(cd "$R" && env CROSSROOT_ROOT="$R" CROSSROOT_AF_UNIX_PATH="$U" LD_PRELOAD="$lib" \
	"$prog" afunix /run/af.sock) > "$CR_T/afunix.out" 2>&1
rc=$?
cat "$CR_T/afunix.out"
[ $rc -eq 0 ] || fail "afunix checks failed (exit $rc)"
[ -S "$U/run/af.sock" ] || fail "CROSSROOT_AF_UNIX_PATH: socket not under $U"
[ -e "$R/run/af.sock" ] && fail "CROSSROOT_AF_UNIX_PATH: socket created in the root"
echo "PASS: $n checks"
exit 0
