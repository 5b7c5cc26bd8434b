#!/bin/sh
# escape.sh - the escape suite: as the unprivileged test user, ~50 attempts
# to reach host paths from inside a native root (host sh, coreutils and
# the escape-ops driver) and an arm64 root (Debian's cross libc, the guest
# escape-ops and guest-sh as /bin/sh, under qemu): writes, rm, chmod,
# truncate, mkdir, rename and link through absolute and relative symlinks
# to host paths, ".." chains past the root, symlink loops, symlinked
# directories mid-path, dirfd-relative calls (openat/renameat/unlinkat on
# an opendir fd, AT_FDCWD after fchdir), chroot then "..", /proc/self/root
# and /proc/self/cwd, paths of PATH_MAX and longer, "//" and trailing "/",
# a relative and a symlinked NEWROOT, a root whose /dev/null is a regular
# file, and (arm64) a static guest, which gets no libcrossroot.  Each case
# checks the host sentinel tree and $HOME before and after, and that the
# operation either landed where expected inside ROOT or failed.  Prints
# "ok N - ..." per case; fails on any miss.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

P="$CR_BUILD/tests/progs"
[ -x "$CROSSROOT" ] || fail "crossroot not built"
[ -x "$P/escape-ops" ] || fail "$P/escape-ops not built (make check builds it)"
export PATH=/usr/bin:/bin

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"
N=0
failures=0
label=""
EO=/bin/escape-ops

inroot() { "$CROSSROOT" "$r" "$EO" "$@"; }
pass() { N=$((N + 1)); echo "ok $N - $label: $1"; }
miss() {
	N=$((N + 1)); failures=$((failures + 1))
	echo "not ok $N - $label: $1: $2"
}

# esc DESCRIPTION EXPECTATION [ARGS] -- OP [OPARGS...]
# Expectations (paths are guest paths, checked under $r):
#   inside PATH CONTENT   succeeded and PATH holds CONTENT
#   gone PATH             succeeded and PATH no longer exists
#   isdir PATH | islink PATH | exists PATH   succeeded, PATH is that
#   mode PATH OCTAL | size PATH BYTES        succeeded, PATH has it
#   out TEXT              succeeded and printed TEXT
#   fail REGEX            failed, the message matches REGEX
#   either PATH...        failed, or succeeded and one PATH exists
# Every case: the host sentinel tree and $HOME are unchanged, and the
# host /dev/null is still a character device.
esc() {
	e_desc=$1 e_kind=$2; shift 2
	e_a1="" e_a2=""
	case $e_kind in
	inside|mode|size) e_a1=$1 e_a2=$2; shift 2 ;;
	gone|isdir|islink|exists|out|fail) e_a1=$1; shift ;;
	either) e_a1=""; while [ "$1" != -- ]; do e_a1="$e_a1 $1"; shift; done ;;
	esac
	[ "$1" = -- ] && shift
	cr_tree_sum "$s" "$HOME" > "$CR_T/.case.before"
	e_out=$(inroot "$@" 2>&1)
	e_rc=$?
	cr_tree_sum "$s" "$HOME" > "$CR_T/.case.after"
	if ! cmp -s "$CR_T/.case.before" "$CR_T/.case.after"; then
		miss "$e_desc" "A HOST PATH CHANGED (escape): $(diff "$CR_T/.case.before" "$CR_T/.case.after" | tr '\n' ' ')"
		return
	fi
	if [ ! -c /dev/null ]; then
		miss "$e_desc" "the host /dev/null is no longer a character device"
		return
	fi
	e_ok=1 e_why=""
	case $e_kind in
	fail)
		if [ $e_rc = 0 ]; then e_ok=0 e_why="succeeded, expected a failure: $e_out"
		elif ! printf '%s\n' "$e_out" | grep -Eqi -- "$e_a1"; then
			e_ok=0 e_why="failed without /$e_a1/: $e_out"; fi ;;
	either)
		if [ $e_rc = 0 ]; then
			e_ok=0
			for e_p in $e_a1; do [ -e "$r$e_p" ] && e_ok=1; done
			[ $e_ok = 1 ] || e_why="succeeded but none of$e_a1 is in the root: $e_out"
		fi ;;
	*)
		if [ $e_rc != 0 ]; then e_ok=0 e_why="exit $e_rc: $e_out"
		else
			case $e_kind in
			inside) [ "$(cat "$r$e_a1" 2>/dev/null)" = "$e_a2" ] ||
				{ e_ok=0 e_why="ROOT$e_a1 does not hold [$e_a2]"; } ;;
			gone) { [ -e "$r$e_a1" ] || [ -L "$r$e_a1" ]; } &&
				{ e_ok=0 e_why="ROOT$e_a1 still exists"; } ;;
			isdir) [ -d "$r$e_a1" ] && [ ! -L "$r$e_a1" ] || { e_ok=0 e_why="ROOT$e_a1 is no directory"; } ;;
			islink) [ -L "$r$e_a1" ] || { e_ok=0 e_why="ROOT$e_a1 is no symlink"; } ;;
			exists) { [ -e "$r$e_a1" ] || [ -L "$r$e_a1" ]; } || { e_ok=0 e_why="ROOT$e_a1 missing"; } ;;
			mode) [ "$(stat -c %a "$r$e_a1")" = "$e_a2" ] || { e_ok=0 e_why="ROOT$e_a1 mode $(stat -c %a "$r$e_a1")"; } ;;
			size) [ "$(stat -c %s "$r$e_a1")" = "$e_a2" ] || { e_ok=0 e_why="ROOT$e_a1 size $(stat -c %s "$r$e_a1")"; } ;;
			out) [ "$e_out" = "$e_a1" ] || { e_ok=0 e_why="printed [$e_out], expected [$e_a1]"; } ;;
			esac
		fi ;;
	esac
	if [ $e_ok = 1 ]; then pass "$e_desc"; else miss "$e_desc" "$e_why"; fi
}

# The traps every root gets (on top of its programs).
populate() { # ROOT
	mkdir -p "$1/a/b/c" "$1/jail/tmp" "$1$s/sub" "$1/tmp"
	chmod 1777 "$1/tmp"
	echo "root copy" > "$1$s/passwd"
	echo "root copy" > "$1$s/hostname"
	echo "root copy" > "$1$s/sub/file"
	ln -s "$s/passwd" "$1/l-abs"
	ln -s "$s/passwd" "$1/l-abs-rm"
	ln -s "$s/passwd" "$1/l-abs-mv"
	ln -s "$s/passwd" "$1/l-abs-tgt"
	ln -s "$s/newfile-abs" "$1/l-abs-new"
	ln -s "$s/newfile-abs2" "$1/l-abs-new2"
	ln -s "$s/dang-dir" "$1/l-abs-dang-dir"
	ln -s "$s/nodir/file" "$1/l-abs-nodir"
	ln -s "../../../../../../../../../../..$s/passwd" "$1/a/b/l-rel"
	ln -s "$s" "$1/d-abs"
	ln -s "../../../../../../../../../..$s" "$1/a/b/d-rel"
	ln -s loop2 "$1/loop1"
	ln -s loop1 "$1/loop2"
	for f in src1 src2 src3; do echo "$f" > "$1/tmp/$f"; done
	echo "root devnull marker" > "$1/dev/null.marker"
	echo "root $label" > "$1/etc/hostname"
}

cases() {
	deep="../../../../../../../../../../../.."
	esc "write through an absolute symlink to a host file" inside "$s/passwd" w1 -- write /l-abs w1
	esc "write through a dangling absolute symlink" inside "$s/newfile-abs" w2 -- write /l-abs-new w2
	esc "write through an absolute symlink, dir missing in root" fail "no such file" -- write /l-abs-nodir w3
	esc "write through a relative symlink climbing past /" inside "$s/passwd" w4 -- write /a/b/l-rel w4
	esc "write to a .. chain past the root" inside "$s/hostname" w5 -- write "/$deep$s/hostname" w5
	esc "write to a relative .. chain from a cwd" inside "$s/hostname" w6 -- chdir-write /a/b "$deep$s/hostname" w6
	esc "symlink loop gives ELOOP" fail "too many levels" -- write /loop1 w7
	esc "symlink loop mid-path gives ELOOP" fail "too many levels" -- write /loop1/x w8
	esc "absolute symlinked dir mid-path" inside "$s/sub/file" w9 -- write /d-abs/sub/file w9
	esc "relative climbing symlinked dir mid-path" inside "$s/sub/new" w10 -- write /a/b/d-rel/sub/new w10
	esc "rm through a symlinked dir" gone "$s/hostname" -- rm /d-abs/hostname
	esc "rm of an absolute symlink removes the link" gone /l-abs-rm -- rm /l-abs-rm
	esc "chmod through an absolute symlink" mode "$s/passwd" 600 -- chmod /l-abs 600
	esc "chmod through a symlinked dir" mode "$s/sub" 700 -- chmod /d-abs/sub 700
	esc "chmod through a climbing symlinked dir" mode "$s/sub/file" 640 -- chmod /a/b/d-rel/sub/file 640
	esc "truncate through an absolute symlink" size "$s/passwd" 2 -- truncate /l-abs 2
	esc "truncate through a relative climbing symlink" size "$s/passwd" 0 -- truncate /a/b/l-rel 0
	esc "mkdir through a symlinked dir" isdir "$s/newdir" -- mkdir /d-abs/newdir
	esc "rmdir through a symlinked dir" gone "$s/newdir" -- rmdir /d-abs/newdir
	esc "mkdir on a dangling absolute symlink" fail "exists" -- mkdir /l-abs-dang-dir
	esc "openat(dirfd) climbing past /" inside "$s/at1" at1 -- openat-dir /d-abs "$deep$s/at1" at1
	esc "openat(dirfd) of an absolute symlink" inside "$s/passwd" at2 -- openat-dir / l-abs at2
	esc "openat(dirfd) with an absolute name" inside "$s/at3" at3 -- openat-dir /a "$s/at3" at3
	esc "renameat(dirfd) climbing past /" inside "$s/at4" at1 -- renameat-dir /d-abs at1 "$deep$s/at4"
	esc "unlinkat(dirfd) climbing past /" gone "$s/at4" -- unlinkat-dir /a/b "$deep$s/at4"
	esc "AT_FDCWD after fchdir, climbing past /" inside "$s/fc1" fc1 -- fchdir-write /d-abs "$deep$s/fc1" fc1
	esc "AT_FDCWD after fchdir, through a symlink" inside "$s/passwd" fc2 -- fchdir-write /a/b l-rel fc2
	esc "getcwd after fchdir into a symlinked dir" out "$s" -- fchdir-getcwd /d-abs
	esc "rename whose source is a symlink" islink /moved -- rename /l-abs-mv /moved
	esc "rename whose target is an absolute symlink" inside /l-abs-tgt src1 -- rename /tmp/src1 /l-abs-tgt
	esc "rename into a symlinked dir" inside "$s/renamed" src2 -- rename /tmp/src2 /d-abs/renamed
	esc "link whose source is an absolute symlink" exists /hardl -- link /l-abs /hardl
	esc "link into a symlinked dir" inside "$s/linked" src3 -- link /tmp/src3 /d-abs/linked
	esc "symlink to a host path, created" islink /newsym -- symlink "$s/viasym" /newsym
	esc "write through the new symlink" inside "$s/viasym" w11 -- write /newsym w11
	esc "chroot, chdir .. x5, write" inside /jail/escaped e1 -- chroot-write /jail 5 /escaped e1
	esc "chroot keeping the cwd outside, .. x12, write" either /escaped2 /jail/escaped2 -- chroot-stay /jail 12 escaped2 e2
	esc "write via /proc/self/root" either "$s/passwd" -- write "/proc/self/root$s/passwd" pr1
	esc "write via /proc/self/cwd" either /a/pc1 -- chdir-write /a /proc/self/cwd/pc1 pc1
	esc "write via /proc/self/cwd/.. past /" either "$s/pc2" -- chdir-write /a "/proc/self/cwd/$deep$s/pc2" pc2
	esc "realpath shows the guest path" out "$s/passwd" -- realpath /a/b/l-rel
	esc "readlink shows the link as written" out "$s/passwd" -- readlink /l-abs
	esc "a path of exactly PATH_MAX: ENAMETOOLONG" fail "too long" -- longpath 4096 lp1
	esc "a path longer than PATH_MAX: ENAMETOOLONG" fail "too long" -- longpath 5000 lp2
	esc "short as a guest path, too long on the host" fail "too long" -- longpath 4090 lp3
	[ -z "$(ls "$r/tmp" | grep '^aaa')" ] && pass "nothing created by the long paths" ||
		miss "long paths" "created: $(ls "$r/tmp")"
	esc "embedded // through a symlinked dir" inside "$s/sub/dbl" d1 -- write "//d-abs//sub//dbl" d1
	esc "trailing / on a symlink to a file" fail "not a directory|is a directory" -- write /l-abs/ t1
	esc "trailing / on a dangling absolute symlink" fail "not a directory|is a directory|no such" -- write /l-abs-new2/ t2
	[ ! -e "$r$s/newfile-abs2" ] && pass "trailing /: nothing created" || miss "trailing /" "created ROOT$s/newfile-abs2"
}

# ------------------------------------------------------------ native root
label=native
r="$CR_T/root"
cr_make_native_root "$r" sh cat ls rm mkdir chmod stat
cp "$P/escape-ops" "$r/bin/escape-ops"
populate "$r"
cases
# /dev is shared with the host in a native root: ROOT/dev/null is unused,
# and writing /dev/null reaches the host's bit bucket.
esc "write /dev/null" out ok -- write /dev/null nothing
[ -c /dev/null ] && pass "host /dev/null is still a character device" || miss "/dev/null" "not a char device"
# NEWROOT forms.
ln -s root "$CR_T/root-link"
cr_tree_sum "$s" "$HOME" > "$CR_T/.case.before"
out=$(cd "$CR_T" && "$CROSSROOT" root /bin/escape-ops write /l-abs rel-root 2>&1)
[ "$out" = ok ] && [ "$(cat "$r$s/passwd")" = rel-root ] && pass "relative NEWROOT: write through a symlink" ||
	miss "relative NEWROOT" "$out"
out=$("$CROSSROOT" "$CR_T/root-link" /bin/escape-ops write /l-abs link-root 2>&1)
[ "$out" = ok ] && [ "$(cat "$r$s/passwd")" = link-root ] && pass "symlinked NEWROOT: write through a symlink" ||
	miss "symlinked NEWROOT" "$out"
out=$(cd "$CR_T" && "$CROSSROOT" ./root-link/ /bin/sh -c 'cd ../../../..; pwd; echo sh > ./shell-up' 2>&1)
[ "$out" = / ] && [ "$(cat "$r/shell-up")" = sh ] && pass "shell cd .. past / in a relative symlinked NEWROOT" ||
	miss "shell cd .." "$out"
cr_tree_sum "$s" "$HOME" > "$CR_T/.case.after"
cmp -s "$CR_T/.case.before" "$CR_T/.case.after" && pass "NEWROOT forms: host unchanged" ||
	miss "NEWROOT forms" "A HOST PATH CHANGED"
native_n=$N

# ------------------------------------------------------------ arm64 root
t=aarch64-linux-gnu
G="$P/$t"
arm_skip=""
if ! cr_have_guest $t; then arm_skip="no $t build of libcrossroot (configure found no $t-gcc)"
elif [ ! -x "$G/escape-ops" ]; then arm_skip="the guest test programs $G were not built"
elif ! command -v qemu-aarch64-static >/dev/null 2>&1 && ! command -v qemu-aarch64 >/dev/null 2>&1; then
	arm_skip="qemu-aarch64(-static) not found (install qemu-user-static)"
elif [ ! -e /usr/$t/lib/ld-linux-aarch64.so.1 ]; then arm_skip="no /usr/$t/lib (install libc6-arm64-cross)"
fi
if [ -n "$arm_skip" ]; then
	note "SKIP arm64 half: $arm_skip"
else
	label=arm64
	r="$CR_T/root-arm64"
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/dev" "$r/proc" "$r/sys" "$r/lib/$t"
	cp -a /usr/$t/lib/*.so* "$r/lib/$t/"
	cp -L /usr/$t/lib/ld-linux-aarch64.so.1 "$r/lib/ld-linux-aarch64.so.1"
	cp "$G/guest-sh" "$r/bin/sh"
	cp "$G/escape-ops" "$G/escape-ops-static" "$G/exec-api" "$r/bin/"
	populate "$r"
	cases
	# /dev/null: the root's is a regular file; the guest's write must
	# reach the host's /dev (shared) and leave ROOT/dev/null alone.
	echo "root devnull marker" > "$r/dev/null"
	esc "guest writes /dev/null" out ok -- write /dev/null nothing
	[ "$(cat "$r/dev/null")" = "root devnull marker" ] && pass "ROOT/dev/null (a regular file) unchanged" ||
		miss "ROOT/dev/null" "was written"
	[ -c /dev/null ] && pass "host /dev/null is still a character device" || miss "/dev/null" "not a char device"
	EO=/bin/exec-api
	esc "a guest shell writes through a symlink" inside "$s/passwd" gsh -- system "escape-ops write /l-abs gsh"
	EO=/bin/escape-ops
	esc "/proc/self/root from a guest lands in the root" inside "$s/passwd" pr2 -- write "/proc/self/root$s/passwd" pr2

	# A static guest gets no libcrossroot, only qemu's -L translation,
	# which falls back to the host path for anything missing under ROOT
	# and lets the kernel follow symlinks on the host.  So crossroot
	# refuses static foreign programs inside a root unless the user
	# allows them (CROSSROOT_ALLOW_STATIC=1): by default every attempt
	# must fail with exit 126 and the explanation, and change nothing.
	# The attempts aim at a separate scratch tree.
	x="$CR_T/static-target"
	mkdir -p "$x" "$r$x"
	echo host > "$x/file"
	echo "root copy" > "$r$x/file"
	ln -s "$x/file" "$r/l-static"
	static_refused() { # DESCRIPTION OP ARGS...
		st_desc=$1; shift
		st_before=$(cr_tree_sum "$x")
		st_out=$(env -u CROSSROOT_ALLOW_STATIC "$CROSSROOT" "$r" /bin/escape-ops-static "$@" 2>&1)
		st_rc=$?
		if [ "$st_before" != "$(cr_tree_sum "$x")" ]; then
			miss "static guest: $st_desc" "changed the host's $x"
		elif [ $st_rc != 126 ] ||
		     ! echo "$st_out" | grep -q 'is a static arm64 program: crossroot cannot keep it inside the root'; then
			miss "static guest: $st_desc" "not refused (exit $st_rc): $st_out"
		else
			pass "static guest refused, host unchanged: $st_desc"
		fi
	}
	static_refused "write a file missing in the root" write "$x/new" st1
	static_refused "write through an absolute symlink" write /l-static st2
	static_refused "mkdir of a path missing in the root" mkdir "$x/dir"
	# Refused also when a dynamic guest execs it (EACCES from execv).
	EO=/bin/exec-api
	esc "a guest's exec of a static guest is refused" fail -- execv /bin/escape-ops-static escape-ops-static write "$x/new" st3
	# What allowing them means, shown on the scratch tree (not a failure
	# of this suite: the README documents it).
	static_escapes=0
	for op in "write $x/new st1" "write /l-static st2" "mkdir $x/dir"; do
		st_before=$(cr_tree_sum "$x")
		# shellcheck disable=SC2086
		CROSSROOT_ALLOW_STATIC=1 "$CROSSROOT" "$r" /bin/escape-ops-static $op >/dev/null 2>&1
		[ "$st_before" != "$(cr_tree_sum "$x")" ] && static_escapes=$((static_escapes + 1))
	done
	note "with CROSSROOT_ALLOW_STATIC=1, $static_escapes of 3 static attempts reached the host's scratch tree (documented limitation)"
	# Allowed static guests still read existing root files from the root.
	CROSSROOT_ALLOW_STATIC=1; export CROSSROOT_ALLOW_STATIC
	EO=/bin/escape-ops-static
	esc "static guest reads the root's copy of an existing file" out "root $label" -- read /etc/hostname
	unset CROSSROOT_ALLOW_STATIC
	EO=/bin/escape-ops
fi

cr_sentinel_end
echo "# $N cases ($native_n native, $((N - native_n)) arm64${arm_skip:+, arm64 skipped: $arm_skip}), $failures failed"
[ $failures = 0 ] || fail "$failures escape case(s) failed (see 'not ok' above)"
exit 0
