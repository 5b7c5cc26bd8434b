#!/bin/sh
# cli-crossroot.sh - the crossroot command line: every option, every exit
# status (125 crossroot failed, 126 not runnable, 127 not found, else the
# command's own), the messages of each failure, relative / symlinked /
# blank-containing NEWROOT, --cwd, the default shell, the environment
# contract handed to libcrossroot, --env, and (with an aarch64 cross
# compiler and qemu) the checks a foreign root goes through.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

[ -x "$CROSSROOT" ] || fail "crossroot not built"
r="$CR_T/root"
cr_make_native_root "$r" sh cat env
s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

# expect_status WANT DESCRIPTION COMMAND... : run, keep output in $out
expect_status() {
	want=$1 what=$2; shift 2
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$want" ] || fail "$what: exit status $got, expected $want; output: $out"
	echo "ok - $what (exit $want)"
}
expect_msg() { # DESCRIPTION TEXT : $out contains TEXT (fixed string)
	printf '%s\n' "$out" | grep -qF -- "$2" || fail "$1: no '$2' in: $out"
}

# ------------------------------------------------------------ --help, --version
expect_status 0 "--help" "$CROSSROOT" --help
for w in "Usage: crossroot [OPTION]... NEWROOT [COMMAND [ARG]...]" "crossroot --env" \
	--bind --cwd --arch --qemu --qemu-cpu --qemu-opt --no-default-binds --env \
	--verbose --log --version; do
	expect_msg "--help" "$w"
done
expect_status 0 "--version" "$CROSSROOT" --version
printf '%s\n' "$out" | head -n 1 | grep -q '^crossroot .* [0-9][0-9.]*$' ||
	fail "--version: unexpected first line: $out"

# ------------------------------------------------------------ usage errors: 125
expect_status 125 "no operand" "$CROSSROOT"
expect_msg "no operand" "crossroot: missing operand"
expect_status 125 "unknown option" "$CROSSROOT" --no-such-option "$r" /bin/sh
expect_msg "unknown option" "Try 'crossroot --help'"

# ------------------------------------------------------------ NEWROOT errors: 125
expect_status 125 "missing root" "$CROSSROOT" "$CR_T/nope" /bin/sh -c 'exit 0'
expect_msg "missing root" "crossroot: cannot enter $CR_T/nope: No such file or directory"
echo plain > "$CR_T/file"
expect_status 125 "root is a file" "$CROSSROOT" "$CR_T/file" /bin/sh -c 'exit 0'
expect_msg "root is a file" "crossroot: cannot enter $CR_T/file: Not a directory"
if cr_is_unprivileged; then
	mkdir "$CR_T/closed"
	chmod 000 "$CR_T/closed"
	expect_status 125 "unreadable root" "$CROSSROOT" "$CR_T/closed" /bin/sh -c 'exit 0'
	expect_msg "unreadable root" "crossroot: cannot enter $CR_T/closed: Permission denied"
	chmod 755 "$CR_T/closed"
else
	note "unreadable root: not checked as root (root reads everything)"
fi

# ------------------------------------------------------------ --bind errors: 125
expect_status 125 "--bind relative host" "$CROSSROOT" --bind rel:/mnt "$r" /bin/sh -c :
expect_msg "--bind relative host" "invalid --bind 'rel:/mnt': HOST must be an absolute path"
expect_status 125 "--bind relative guest" "$CROSSROOT" -b "$s:mnt" "$r" /bin/sh -c :
expect_msg "--bind relative guest" "GUEST must be an absolute path"
expect_status 125 "--bind missing host" "$CROSSROOT" --bind "$CR_T/absent:/mnt" "$r" /bin/sh -c :
expect_msg "--bind missing host" "No such file or directory"
expect_status 125 "--bind guest /" "$CROSSROOT" --bind "$s:/" "$r" /bin/sh -c :
expect_msg "--bind guest /" "GUEST may not be /"
expect_status 125 "--bind with a comma" "$CROSSROOT" --bind "$s,/x" "$r" /bin/sh -c :
expect_msg "--bind with a comma" "may not contain ','"
expect_status 125 "--bind two colons" "$CROSSROOT" --bind "$s:/a:/b" "$r" /bin/sh -c :
expect_msg "--bind two colons" "expected HOST[:GUEST]"

# ------------------------------------------------------------ --arch errors: 125
expect_status 125 "unknown --arch" "$CROSSROOT" --arch vax "$r" /bin/sh -c :
expect_msg "unknown --arch" "crossroot: unknown architecture 'vax' (known: "
expect_msg "unknown --arch lists arm64" "arm64"
expect_msg "unknown --arch lists armhf" "armhf"

# ------------------------------------------------------------ --qemu errors: 125
expect_status 125 "--qemu missing file" "$CROSSROOT" --qemu /nonexistent/qemu "$r" /bin/sh -c :
expect_msg "--qemu missing file" "crossroot: --qemu /nonexistent/qemu: No such file or directory"
expect_status 125 "--qemu-opt with a blank" "$CROSSROOT" --qemu-opt "-a b" "$r" /bin/sh -c :
expect_msg "--qemu-opt with a blank" "one word per --qemu-opt"

# ------------------------------------------------------------ --cwd errors: 125
expect_status 125 "--cwd missing" "$CROSSROOT" --cwd /no/such/dir "$r" /bin/sh -c :
expect_msg "--cwd missing" "crossroot: cannot change directory to /no/such/dir"

# ------------------------------------------------------------ missing host library: 125
mkdir -p "$CR_T/emptylib"
expect_status 125 "no host libcrossroot" env CROSSROOT_LIBDIR="$CR_T/emptylib" "$CROSSROOT" "$r" /bin/sh -c :
expect_msg "no host libcrossroot" "libcrossroot not found (expected $CR_T/emptylib/"

# ------------------------------------------------------------ 126, 127, passthrough
expect_status 127 "command not found" "$CROSSROOT" "$r" /bin/no-such-program
expect_msg "command not found" "crossroot: /bin/no-such-program: not found"
printf '%s\n' "$out" | grep -q "crossroot: crossroot:" && fail "doubled prefix: $out"
expect_status 127 "command not found in PATH" "$CROSSROOT" "$r" no-such-program
printf 'echo not executable\n' > "$r/bin/noexec"
chmod 644 "$r/bin/noexec"
expect_status 126 "not executable" "$CROSSROOT" "$r" /bin/noexec
expect_msg "not executable" "noexec"
mkdir -p "$r/bin/adir"
expect_status 126 "a directory" "$CROSSROOT" "$r" /bin/adir
expect_status 42 "status passthrough" "$CROSSROOT" "$r" /bin/sh -c 'exit 42'
expect_status 0 "status 0" "$CROSSROOT" "$r" /bin/sh -c 'exit 0'
expect_status 3 "PATH search inside the root" "$CROSSROOT" "$r" sh -c 'exit 3'
# A script without #! runs through /bin/sh, as execvp does.
printf 'exit 9\n' > "$r/bin/bare-script"
chmod 755 "$r/bin/bare-script"
expect_status 9 "script without #!" "$CROSSROOT" "$r" /bin/bare-script

# ------------------------------------------------------------ NEWROOT forms
expect_status 0 "absolute root" "$CROSSROOT" "$r" /bin/cat /etc/hostname
[ "$out" = crossroot-native-root ] || fail "absolute root: read [$out]"
real=$(cd "$r" && pwd -P)
out=$(cd "$CR_T" && "$CROSSROOT" root /bin/sh -c 'echo "$CROSSROOT_ROOT"') ||
	fail "relative root failed: $out"
[ "$out" = "$real" ] || fail "relative root: CROSSROOT_ROOT=[$out], expected [$real]"
echo "ok - relative NEWROOT"
out=$(cd "$CR_T" && "$CROSSROOT" ./root/../root/ /bin/cat /etc/hostname) ||
	fail "dotted root failed: $out"
[ "$out" = crossroot-native-root ] || fail "dotted root: read [$out]"
echo "ok - NEWROOT with ./ and ../"
ln -s root "$CR_T/root-link"
out=$("$CROSSROOT" "$CR_T/root-link" /bin/sh -c 'echo "$CROSSROOT_ROOT"') ||
	fail "symlinked root failed: $out"
[ "$out" = "$real" ] || fail "symlinked root: CROSSROOT_ROOT=[$out], expected [$real]"
echo "ok - symlinked NEWROOT"
# Nested: crossroot (shared into the root with --bind) started inside the
# root enters a root inside it, by absolute and relative path; --env inside
# keeps its program in the outer root.
mkdir -p "$r/inner/bin" "$r/inner/etc"
cp "$r/bin/cat" "$r/inner/bin/"
echo inner-root > "$r/inner/etc/hostname"
wd=$(dirname "$CROSSROOT")
out=$("$CROSSROOT" -b "$wd" "$r" /bin/sh -c "
	$CROSSROOT /inner /bin/cat /etc/hostname &&
	cd /inner && $CROSSROOT . /bin/cat /etc/hostname &&
	$CROSSROOT --env /bin/cat /etc/hostname" 2>&1) || fail "nested crossroot: $out"
[ "$out" = "inner-root
inner-root
crossroot-native-root" ] || fail "nested crossroot: got [$out]"
echo "ok - crossroot nested inside crossroot"
sp="$CR_T/with space/and  two"
mkdir -p "$sp"
(cr_make_native_root "$sp/root dir" sh cat) || fail "cannot build a root with blanks"
out=$("$CROSSROOT" "$sp/root dir" /bin/cat /etc/hostname) || fail "root with blanks failed: $out"
[ "$out" = crossroot-native-root ] || fail "root with blanks: read [$out]"
out=$("$CROSSROOT" "$sp/root dir" /bin/sh -c 'echo "$CROSSROOT_ROOT"')
[ "$out" = "$sp/root dir" ] || fail "root with blanks: CROSSROOT_ROOT=[$out]"
echo "ok - NEWROOT with blanks"

# ------------------------------------------------------------ --cwd
mkdir -p "$r/home/user/work"
echo "in work" > "$r/home/user/work/note"
ln -s /home/user/work "$r/wlink"
out=$("$CROSSROOT" --cwd /home/user/work "$r" /bin/cat note) || fail "--cwd: $out"
[ "$out" = "in work" ] || fail "--cwd: read [$out]"
out=$("$CROSSROOT" -w /home/user/work "$r" /bin/sh -c 'echo "$PWD"')
[ "$out" = /home/user/work ] || fail "--cwd: PWD=[$out]"
out=$("$CROSSROOT" --cwd /wlink "$r" /bin/cat note) || fail "--cwd through a symlink: $out"
[ "$out" = "in work" ] || fail "--cwd through an absolute symlink inside the root: read [$out]"
out=$("$CROSSROOT" "$r" /bin/cat etc/hostname) || fail "default cwd: $out"
[ "$out" = crossroot-native-root ] || fail "default cwd is not the root: read [$out]"
echo "ok - --cwd"

# ------------------------------------------------------------ no COMMAND: the shell
printf '#!/bin/sh\necho "my shell $*"\n' > "$r/bin/mysh"
chmod 755 "$r/bin/mysh"
out=$(echo 'exit 5' | SHELL=/bin/mysh "$CROSSROOT" "$r" 2>/dev/null)
[ "$out" = "my shell -i" ] || fail "\$SHELL -i: got [$out]"
out=$(echo 'echo fallback; exit 6' | SHELL=/bin/no-such-shell "$CROSSROOT" "$r" 2>/dev/null)
st=$?
[ "$out" = fallback ] && [ "$st" = 6 ] || fail "/bin/sh -i fallback: got [$out] status $st"
echo "ok - default shell"

# ------------------------------------------------------------ -v, --log
expect_status 0 "-v" "$CROSSROOT" -v "$r" /bin/sh -c :
printf '%s\n' "$out" | grep -q "^crossroot: $r is [a-z0-9]* ($HOST_TRIPLET), native\$" ||
	fail "-v: no architecture line in: $out"
out=$("$CROSSROOT" -v -v "$r" /bin/sh -c 'echo "$CROSSROOT_VERBOSE"' 2>/dev/null)
[ "$out" = 2 ] || fail "-v -v: CROSSROOT_VERBOSE=[$out]"
out=$("$CROSSROOT" "$r" /bin/sh -c 'echo "${CROSSROOT_VERBOSE-unset}"' 2>/dev/null)
[ "$out" = unset ] || fail "no -v: CROSSROOT_VERBOSE=[$out]"
out=$(cd "$CR_T" && "$CROSSROOT" -v --log cr.log "$r" /bin/sh -c 'echo "$CROSSROOT_LOG"' 2>"$CR_T/stderr")
[ "$out" = "$CR_T/cr.log" ] || [ "$out" = "$(cd "$CR_T" && pwd -P)/cr.log" ] ||
	fail "--log: CROSSROOT_LOG=[$out]"
grep -q "native" "$CR_T/cr.log" || fail "--log: the architecture line is not in the log"
grep -q "native" "$CR_T/stderr" && fail "--log: verbose output still went to stderr"
echo "ok - -v and --log"
# The log file is not kept open: a program's own descriptor (debconf talks
# over fd 3) never receives the library's lines.
rm -f "$CR_T/fd.log"
out=$(cd "$CR_T" && CROSSROOT_VERBOSE=2 CROSSROOT_LOG="$CR_T/fd.log" "$CROSSROOT" "$r" \
	/bin/sh -c 'exec 3>/fd3.out; /bin/cat /dev/null; exec 3>&-; /bin/cat /fd3.out' 2>/dev/null)
[ -z "$out" ] || fail "a program's fd 3 received: [$out]"
grep -q "exec /bin/cat -> " "$CR_T/fd.log" || fail "CROSSROOT_LOG has no exec lines: $(cat "$CR_T/fd.log")"
echo "ok - the log never lands in a program's own descriptors"

# ------------------------------------------------------------ environment contract
envof() { # VAR [OPTION]... : the value of VAR inside the root ("unset")
	v=$1; shift
	"$CROSSROOT" "$@" "$r" /bin/sh -c "echo \"\${$v-unset}\""
}
envof_with() { # NAME=VALUE VAR [OPTION]... : same with NAME=VALUE set
	a=$1 v=$2; shift 2
	env "$a" "$CROSSROOT" "$@" "$r" /bin/sh -c "echo \"\${$v-unset}\""
}
got=$(envof CROSSROOT_ROOT)
[ "$got" = "$real" ] || fail "CROSSROOT_ROOT=[$got], expected [$real]"
# A program's loader gets its own architecture's build by full path and
# no directory of crossroot's to search (each would cost it a search per
# library); CROSSROOT_LIBPATH has all, and each exec picks from them what
# the next program needs.
pre=$(envof LD_PRELOAD)
[ "$pre" = "$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so" ] ||
	fail "LD_PRELOAD=[$pre], expected $CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so"
lp=$(envof LD_LIBRARY_PATH)
case ":$lp:" in *":$CR_LIBDIR/"*) fail "LD_LIBRARY_PATH=[$lp] has crossroot's directories" ;; esac
clp=$(envof CROSSROOT_LIBPATH)
case ":$clp:" in *":$CR_LIBDIR/$HOST_TRIPLET:"*) ;; *) fail "CROSSROOT_LIBPATH=[$clp]" ;; esac
for t in $GUEST_TRIPLETS; do
	case ":$clp:" in *":$CR_LIBDIR/$t:"*) ;; *) fail "CROSSROOT_LIBPATH=[$clp] lacks $CR_LIBDIR/$t" ;; esac
done
ha=$(envof CROSSROOT_HOST_ARCH)
[ -n "$ha" ] && [ "$ha" != unset ] || fail "CROSSROOT_HOST_ARCH unset"
b=$(envof CROSSROOT_BIND)
if [ -e /etc/hosts ]; then
	case ",$b," in *,/etc/hosts,*) ;; *) fail "default binds: CROSSROOT_BIND=[$b]" ;; esac
fi
b=$(envof CROSSROOT_BIND --no-default-binds)
[ "$b" = unset ] || fail "--no-default-binds: CROSSROOT_BIND=[$b]"
b=$(envof CROSSROOT_BIND --no-default-binds --bind "$s:/mnt/shared" -b "$s/sub")
[ "$b" = "$(cd "$s" && pwd -P):/mnt/shared,$(cd "$s/sub" && pwd -P)" ] ||
	fail "--bind: CROSSROOT_BIND=[$b]"
q=$(envof CROSSROOT_QEMU_ARGS --qemu-cpu cortex-a72 --qemu-opt -d --qemu-opt nochain)
[ "$q" = "-cpu cortex-a72 -d nochain" ] || fail "CROSSROOT_QEMU_ARGS=[$q]"
q=$(envof_with CROSSROOT_QEMU_ARGS="-cpu max" CROSSROOT_QEMU_ARGS)
[ "$q" = "-cpu max" ] || fail "inherited CROSSROOT_QEMU_ARGS=[$q]"
q=$(envof_with CROSSROOT_STAGE_PREFIX="$CR_T/stage" CROSSROOT_STAGE_PREFIX)
[ "$q" = "$CR_T/stage" ] || fail "CROSSROOT_STAGE_PREFIX passthrough: [$q]"
q=$(env -u PATH "$CROSSROOT" "$r" /bin/sh -c 'echo "$PATH"')
[ "$q" = /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ] || fail "default PATH=[$q]"
echo "ok - environment contract"

# A library preloaded by absolute path is passed by bare name, its
# directory joining LD_LIBRARY_PATH (so each architecture finds its own;
# crossroot's directories stay searchable then, as that name needs them).
mkdir -p "$CR_T/pre"
echo 'int crossroot_test_preloaded = 1;' > "$CR_T/pre/p.c"
if ${CC:-cc} -shared -fPIC -o "$CR_T/pre/libcrtestpre.so" "$CR_T/pre/p.c" 2>/dev/null; then
	pre=$(envof_with LD_PRELOAD="$CR_T/pre/libcrtestpre.so" LD_PRELOAD)
	[ "$pre" = "$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so:libcrtestpre.so" ] ||
		fail "LD_PRELOAD with a previous entry: [$pre]"
	lp=$(envof_with LD_PRELOAD="$CR_T/pre/libcrtestpre.so" LD_LIBRARY_PATH)
	case ":$lp:" in *":$CR_T/pre:"*) ;; *) fail "LD_LIBRARY_PATH=[$lp] lacks $CR_T/pre" ;; esac
	echo "ok - previous LD_PRELOAD entries by bare name"
else
	note "no host C compiler: previous LD_PRELOAD entries not checked"
fi

# Under fakeroot: its library (preloaded by bare name, found through
# LD_LIBRARY_PATH) stays preloaded, before libcrossroot (so that libcrossroot
# translates each path libfakeroot's wrappers pass on once), and each guest
# triplet's libfakeroot directory is listed for the guests' loaders.
if command -v fakeroot >/dev/null 2>&1; then
	pre=$(fakeroot "$CROSSROOT" "$r" /bin/sh -c 'echo "$LD_PRELOAD"') || fail "fakeroot crossroot: $pre"
	case "$pre" in
	*"/libfakeroot"*":$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so") ;;
	*) fail "under fakeroot: LD_PRELOAD=[$pre]" ;;
	esac
	lp=$(fakeroot "$CROSSROOT" "$r" /bin/sh -c 'echo "$LD_LIBRARY_PATH"')
	case ":$lp:" in *"/libfakeroot:"*|*":$CR_LIBDIR/"*)
		fail "under fakeroot: LD_LIBRARY_PATH=[$lp] still lists library directories" ;; esac
	clp=$(fakeroot "$CROSSROOT" "$r" /bin/sh -c 'echo "$CROSSROOT_LIBPATH"')
	for t in $GUEST_TRIPLETS; do
		case ":$clp:" in *":/usr/lib/$t/libfakeroot:"*) ;;
		*) fail "under fakeroot: CROSSROOT_LIBPATH=[$clp] lacks /usr/lib/$t/libfakeroot" ;; esac
	done
	out=$(fakeroot "$CROSSROOT" "$r" /bin/sh -c 'echo > /tmp/owned; exec /bin/env' 2>&1) ||
		fail "fakeroot crossroot: $out"
	printf '%s\n' "$out" | grep -q '^FAKEROOTKEY=' || fail "under fakeroot: FAKEROOTKEY lost: $out"
	echo "ok - under fakeroot"
else
	note "fakeroot not installed: fakeroot's LD_PRELOAD handling not checked"
fi

# ------------------------------------------------------------ --bind in use
out=$("$CROSSROOT" --bind "$s:/mnt/shared" "$r" /bin/cat /mnt/shared/passwd) ||
	fail "--bind: reading through the bind failed: $out"
[ "$out" = "sentinel passwd" ] || fail "--bind: read [$out]"
echo "ok - --bind"

# ------------------------------------------------------------ --env
out=$("$CROSSROOT" --env /bin/sh -c 'echo "$CROSSROOT_ROOT|$LD_PRELOAD"') || fail "--env: $out"
[ "$out" = "/|$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so" ] || fail "--env: got [$out]"
expect_status 7 "--env status passthrough" "$CROSSROOT" --env /bin/sh -c 'exit 7'
expect_status 127 "--env command not found" "$CROSSROOT" --env /no/such/program
if command -v chroot >/dev/null 2>&1; then
	out=$("$CROSSROOT" --env chroot "$r" /bin/cat /etc/hostname 2>&1) ||
		fail "--env: a faked chroot failed: $out"
	[ "$out" = crossroot-native-root ] || fail "--env chroot: read [$out]"
	echo "ok - --env with chroot(8)"
fi

cr_sentinel_end

# ------------------------------------------------------------ foreign roots
# The root below is one static program: allow static foreign programs
# (refused by default, checked explicitly further down).
CROSSROOT_ALLOW_STATIC=1; export CROSSROOT_ALLOW_STATIC
t=aarch64-linux-gnu
command -v $t-gcc >/dev/null 2>&1 || skip "foreign-root checks: no $t-gcc (native checks passed)"
printf '#include <stdio.h>\nint main(void){puts("hello from arm64");return 0;}\n' > "$CR_T/hello.c"
$t-gcc -static -o "$CR_T/hello-arm64" "$CR_T/hello.c" || fail "$t-gcc -static failed"
fr="$CR_T/arm64-root"
mkdir -p "$fr/bin" "$fr/etc" "$fr/tmp"
cp "$CR_T/hello-arm64" "$fr/bin/sh"
stage="$CR_T/empty-stage"
mkdir -p "$stage"
export CROSSROOT_STAGE_PREFIX="$stage"

# qemu not found: PATH without qemu, no CROSSROOT_QEMU_AARCH64.
expect_status 125 "no qemu" env -u CROSSROOT_QEMU_AARCH64 PATH=/nonexistent "$CROSSROOT" "$fr" /bin/sh
expect_msg "no qemu" "crossroot: $fr is arm64 but qemu-aarch64-static was not found: install qemu-user-static (or use --qemu PATH)"
expect_status 125 "CROSSROOT_QEMU_AARCH64 nowhere" env CROSSROOT_QEMU_AARCH64=/nowhere/qemu PATH=/nonexistent "$CROSSROOT" "$fr" /bin/sh
expect_msg "CROSSROOT_QEMU_AARCH64 nowhere" "is arm64 but CROSSROOT_QEMU_AARCH64=/nowhere/qemu is not an executable file"
expect_status 125 "--arch arm64 forces the checks" env -u CROSSROOT_QEMU_AARCH64 PATH=/nonexistent "$CROSSROOT" --arch arm64 "$r" /bin/sh -c :
expect_msg "--arch arm64" "is arm64 but qemu-aarch64-static was not found"

qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64) ||
	skip "foreign-root runs: qemu-aarch64 not installed (error paths passed)"

# The guest library is required.
fl="$CR_T/hostonly-lib"
mkdir -p "$fl/$HOST_TRIPLET"
cp "$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so" "$fl/$HOST_TRIPLET/"
expect_status 125 "no guest libcrossroot" env CROSSROOT_LIBDIR="$fl" "$CROSSROOT" "$fr" /bin/sh
expect_msg "no guest libcrossroot" "crossroot: no arm64 build of libcrossroot (expected $fl/$t/libcrossroot.so): configure with a $t-gcc cross compiler (--enable-guests) or stage it with crossroot-stage"

cr_have_guest $t || skip "foreign-root runs: no $t guest build of libcrossroot"

# Under fakeroot a guest libfakeroot is required.
expect_status 125 "fakeroot without a guest libfakeroot" env FAKEROOTKEY=12345 "$CROSSROOT" "$fr" /bin/sh
expect_msg "fakeroot" "running under fakeroot, but there is no arm64 libfakeroot-sysv.so"
expect_msg "fakeroot" "crossroot-stage --arch arm64 --with-fakeroot"

# A static foreign program is refused inside a root unless allowed.
expect_status 126 "static arm64 program, not allowed" env -u CROSSROOT_ALLOW_STATIC "$CROSSROOT" "$fr" /bin/sh
expect_msg "static refused" "/bin/sh is a static arm64 program: crossroot cannot keep it inside the root"
expect_status 0 "--allow-static" "$CROSSROOT" --allow-static "$fr" /bin/sh
[ "$out" = "hello from arm64" ] || fail "--allow-static: got [$out]"
expect_status 0 "static arm64 root" "$CROSSROOT" "$fr" /bin/sh
[ "$out" = "hello from arm64" ] || fail "static arm64 root: got [$out]"
expect_status 0 "-v on a foreign root" "$CROSSROOT" -v "$fr" /bin/sh
expect_msg "-v foreign" "crossroot: $fr is arm64 ($t), qemu $qemu"

# --qemu, --qemu-cpu, --qemu-opt reach qemu.
ln -s "$qemu" "$CR_T/myqemu"
expect_status 0 "--qemu" "$CROSSROOT" -v --qemu "$CR_T/myqemu" "$fr" /bin/sh
expect_msg "--qemu" "crossroot: $fr is arm64 ($t), qemu $CR_T/myqemu"
expect_msg "--qemu" "hello from arm64"
q=$("$CROSSROOT" --qemu "$CR_T/myqemu" --arch arm64 "$r" /bin/sh -c 'echo "$CROSSROOT_QEMU_AARCH64"' 2>&1)
[ "$q" = "$CR_T/myqemu" ] || fail "--qemu: CROSSROOT_QEMU_AARCH64=[$q]"
out=$("$CROSSROOT" --qemu-cpu no-such-cpu "$fr" /bin/sh 2>&1) &&
	fail "--qemu-cpu no-such-cpu: qemu accepted it: $out"
expect_msg "--qemu-cpu reaches qemu" "no-such-cpu"
expect_status 0 "--qemu-cpu and --qemu-opt" "$CROSSROOT" --qemu-cpu cortex-a53 --qemu-opt -strace "$fr" /bin/sh
expect_msg "--qemu-opt -strace reaches qemu" "write(1,"
expect_msg "--qemu-cpu cortex-a53" "hello from arm64"

# A foreign program outside any root.
cp "$CR_T/hello-arm64" "$CR_T/hello"
out=$(cd "$CR_T" && "$CROSSROOT" / ./hello) || fail "crossroot / ./hello: $out"
[ "$out" = "hello from arm64" ] || fail "crossroot / ./hello: got [$out]"
echo "ok - foreign static program outside any root"
exit 0
