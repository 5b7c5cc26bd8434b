#!/bin/sh
# native-exec.sh - every exec API inside a native root: a five-hop exec chain
# (execv, execvp, posix_spawn, system, #! script), execve/execv/execvp/
# execvpe/execl/execlp/execle/fexecve/execveat/vfork/posix_spawn/
# posix_spawnp each run the root's program with the right argv and
# /proc/self/cmdline; env -i and execle with an empty environment stay in
# the root; system() and popen() run the ROOT's /bin/sh (a marker shell);
# #! scripts use interpreters found only in the root (nested too); execvp
# of a text file without #! falls back to the root's /bin/sh, execv and
# posix_spawnp do not; CROSSROOT_CMD_SUBST substitutes; a posix_spawn
# file action opens inside the root; 500 fork+exec from 4 threads; an
# unknown ELF is refused with a "crossroot:" message; nothing outside the
# root changes and ROOT/dev/null (a regular file) is left alone.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

P="$CR_BUILD/tests/progs"
for p in exec-api exec-chain exec-storm guest-cmdline guest-sh guest-uname; do
	[ -x "$P/$p" ] || fail "test program $P/$p not built (make check builds it)"
done
[ -e "$CR_LIBDIR/libcrossroot.so" ] || fail "libcrossroot.so not built"
export PATH=/usr/bin:/bin
machine=$(uname -m)
# The checks below compare argv with /proc/self/cmdline, which names the
# loader when a program runs under the root's own loader: exec them
# directly here; native-loader.sh covers the root's loader.
export CROSSROOT_NATIVE_LOADER=0

# ------------------------------------------------------------ the root
r="$CR_T/root"
cr_make_native_root "$r" cat env dash
cp /bin/true "$r/bin/true"
# The root's /bin/sh is the test shell: its "shname" builtin tells it from
# the host's shell.
cp "$P/guest-sh" "$r/bin/sh"
for p in exec-api exec-chain exec-storm guest-cmdline guest-uname; do
	cp "$P/$p" "$r/bin/$p"
	cr_copy_libs "$r" "$P/$p"
done
printf '#!/bin/exec-chain 5\n' > "$r/bin/exec-chain-script"
mkdir -p "$r/usr/lib/interp"
cp "$P/guest-cmdline" "$r/usr/lib/interp/only-here"
printf '#!/usr/lib/interp/only-here -x\n' > "$r/bin/interp-script"
printf '#!/bin/interp-script\n' > "$r/bin/nested-script"
printf '#!/bin/sh\nshname\ncat /etc/hostname\n' > "$r/bin/hello.sh"
printf 'shname\ncat /etc/hostname\n' > "$r/bin/noshebang"
chmod 755 "$r"/bin/*-script "$r/bin/hello.sh" "$r/bin/noshebang"
# An ELF of no known architecture.
cp "$P/guest-uname" "$r/bin/alien"
printf '\064\022' | dd of="$r/bin/alien" bs=1 seek=18 conv=notrunc 2>/dev/null
echo "root devnull marker" > "$r/dev/null"

s="$CR_T/sentinel"
cr_sentinel_make "$s"
# The same absolute path inside the root, for writes that must land there.
mkdir -p "$r$s"
echo "root copy" > "$r$s/passwd"
cr_sentinel_begin "$s" "$HOME"

# ------------------------------------------------------------ driving
libpath="$CR_LIBDIR/$HOST_TRIPLET"
for t in $GUEST_TRIPLETS; do libpath="$libpath:$CR_LIBDIR/$t"; done
if "$CROSSROOT" --version >/dev/null 2>&1; then
	inroot() { "$CROSSROOT" "$r" "$@"; }
else
	note "the crossroot command is not usable: driving libcrossroot by hand"
	# A host program started with the library execs the first one, so the
	# first exec already goes through the wrappers.
	inroot() {
		env CROSSROOT_ROOT="$r" LD_PRELOAD=libcrossroot.so \
			LD_LIBRARY_PATH="$libpath" CROSSROOT_LIBPATH="$libpath" \
			"$P/exec-api" execvp "$1" "$@"
	}
fi

# check DESCRIPTION EXPECTED COMMAND...: exit 0 and exactly EXPECTED out.
check() {
	c_desc=$1 c_want=$2; shift 2
	got=$(inroot "$@" 2>&1) || fail "$c_desc: exit status $?: $got"
	[ "$got" = "$c_want" ] || fail "$c_desc: expected [$c_want] got [$got]"
	echo "ok - $c_desc"
}
# What guest-cmdline prints for ARGV...
argv_out() {
	echo "argc=$#"
	i=0
	for a; do echo "argv[$i]=$a"; i=$((i + 1)); done
	echo "cmdline=match"
}

# ------------------------------------------------------------ checks
check "five-hop exec chain" "level 0 ok (machine $machine)
level 1 ok (machine $machine)
level 2 ok (machine $machine)
level 3 ok (machine $machine)
level 4 ok (machine $machine)
level 5 ok (machine $machine)
chain complete" /bin/exec-chain

want=$(argv_out name a "b c")
for api in execve execv execl fexecve vfork spawn; do
	check "$api runs the root's program" "$want" exec-api $api /bin/guest-cmdline name a "b c"
done
for api in execvp execvpe execlp spawnp; do
	check "$api searches PATH in the root" "$want" exec-api $api guest-cmdline name a "b c"
done
check "execveat relative to a directory fd" "$want" exec-api execveat /bin guest-cmdline name a "b c"

check "execve with an empty environment" "crossroot-native-root" \
	exec-api execve0 /bin/cat cat /etc/hostname
check "execle with an empty environment" "crossroot-native-root" \
	exec-api execle /bin/cat cat /etc/hostname
check "env -i /bin/sh -c" "crossroot-native-root" env -i /bin/sh -c 'cat /etc/hostname'
check "system() runs the root's /bin/sh" "guest-sh
crossroot-native-root" exec-api system 'shname; cat /etc/hostname'
check "system() returns the status" "" exec-api system 'exit 0'
got=$(inroot exec-api system 'exit 7' 2>&1); rc=$?
[ $rc = 7 ] || fail "system('exit 7'): exit status $rc, output: $got"
echo "ok - system() passes the shell's exit status"
check "system(NULL) sees the root's shell" "shell=yes" exec-api system-null
check "popen(r) runs the root's /bin/sh" "popen: guest-sh
popen: crossroot-native-root" exec-api popen-r 'shname; cat /etc/hostname'
check "popen(w) feeds the root's /bin/sh" "guest-sh
cat: hello" exec-api popen-w 'shname; exec-api cat' hello

check "#!/bin/sh script" "guest-sh
crossroot-native-root" exec-api execv /bin/hello.sh hello.sh
check "#! interpreter found only in the root" \
	"$(argv_out /usr/lib/interp/only-here -x /bin/interp-script a)" \
	exec-api execv /bin/interp-script ignored a
check "#! script found by execvp" \
	"$(argv_out /usr/lib/interp/only-here -x /bin/interp-script a)" \
	exec-api execvp interp-script ignored a
check "nested #! scripts" \
	"$(argv_out /usr/lib/interp/only-here -x /bin/interp-script /bin/nested-script a)" \
	exec-api execv /bin/nested-script ignored a

check "execvp falls back to /bin/sh on ENOEXEC" "guest-sh
crossroot-native-root" exec-api execvp noshebang noshebang
got=$(inroot exec-api execv /bin/noshebang x 2>&1); rc=$?
[ $rc = 127 ] && [ "$got" = "exec-api: execv /bin/noshebang: failed: ENOEXEC (Exec format error)" ] ||
	fail "execv of a text file: expected a plain ENOEXEC, got exit $rc: $got"
echo "ok - execv of a text file without #! fails with ENOEXEC"
got=$(inroot exec-api spawnp noshebang x 2>&1); rc=$?
[ $rc = 127 ] && [ "$got" = "exec-api: spawnp noshebang: failed: ENOEXEC (Exec format error)" ] ||
	fail "posix_spawnp of a text file: expected ENOEXEC, got exit $rc: $got"
echo "ok - posix_spawnp does not fall back to /bin/sh"

got=$(inroot exec-api execv /bin/alien alien 2>&1); rc=$?
[ $rc = 127 ] || fail "an unknown ELF ran (exit $rc): $got"
echo "$got" | grep -q "^exec-api: execv /bin/alien: failed: ENOEXEC" ||
	fail "an unknown ELF: expected ENOEXEC, got: $got"
[ "$(echo "$got" | grep -c '^crossroot: ')" = 1 ] ||
	fail "an unknown ELF: expected one 'crossroot:' line saying why, got: $got"
echo "ok - an unknown ELF is refused with a message"

CROSSROOT_CMD_SUBST="/bin/true=$P/guest-cmdline:/usr/bin/not-there=$P/guest-uname"
export CROSSROOT_CMD_SUBST
check "CROSSROOT_CMD_SUBST substitutes a program" "$(argv_out true x)" exec-api execvp true true x
check "CROSSROOT_CMD_SUBST for a path missing in the root" "$machine" \
	exec-api execv /usr/bin/not-there not-there
unset CROSSROOT_CMD_SUBST

check "posix_spawn file action opens inside the root" "" \
	exec-api spawn-out "$s/spawned" /bin/guest-uname guest-uname
[ "$(cat "$r$s/spawned" 2>/dev/null)" = "$machine" ] ||
	fail "the spawned program's output did not land in ROOT$s/spawned"
check "a write lands inside the root" "" exec-api write "$s/passwd" "written inside"
[ "$(cat "$r$s/passwd")" = "written inside" ] || fail "the write did not land in ROOT$s/passwd"
check "writing /dev/null" "" exec-api write /dev/null "to the bit bucket"
[ "$(cat "$r/dev/null")" = "root devnull marker" ] || fail "ROOT/dev/null was changed"

check "500 fork+exec from 4 threads" "storm: 500 children, 500 ok" \
	exec-storm run 500 /bin/exec-storm

cr_sentinel_end
echo "all native exec checks passed"
