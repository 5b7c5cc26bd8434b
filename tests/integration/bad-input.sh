#!/bin/sh
# bad-input.sh - crossroot and libcrossroot given bad input, beyond the
# cases cli-crossroot.sh already covers (missing / non-directory /
# unreadable root, bad --bind forms, missing qemu, missing guest library,
# missing guest libfakeroot are checked there): a root whose /bin/sh is an
# ELF for an unknown machine (0x1234), a truncated and a corrupt ELF as
# COMMAND, a #! line longer than the kernel's limit (execvp's /bin/sh
# fallback, as on the host), #! nesting 5 deep, and CROSSROOT_* variables
# holding garbage (relative CROSSROOT_BIND / CROSSROOT_ROOT handed to the
# library, a huge CROSSROOT_QEMU_ARGS for a foreign root, CROSSROOT_VERBOSE
# that is no number).  Each checks the message, the exit status, and that
# nothing outside the root (sentinel tree, $HOME) changed.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

[ -x "$CROSSROOT" ] || fail "crossroot not built"
export PATH=/usr/bin:/bin
r="$CR_T/root"
cr_make_native_root "$r" sh cat env
echo "inside hostname" > "$r/etc/hostname"
s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

# expect STATUS DESCRIPTION MESSAGE COMMAND... : exit STATUS, MESSAGE in the output
expect() {
	want=$1 what=$2 msg=$3; shift 3
	out=$("$@" 2>&1); got=$?
	[ "$got" = "$want" ] || fail "$what: exit status $got, expected $want; output: $out"
	[ -z "$msg" ] || printf '%s\n' "$out" | grep -qF -- "$msg" || fail "$what: no '$msg' in: $out"
	echo "ok - $what (exit $want)"
}
elf_with_machine() { # FILE MACHINE: a 64-bit ELF header, no program headers
	python3 - "$1" "$2" <<'PY' || return 1
import struct, sys
h = bytearray(open('/bin/true', 'rb').read()[:64])
h[18:20] = struct.pack('<H', int(sys.argv[2], 0))
h[32:40] = bytes(8)      # e_phoff
h[56:58] = bytes(2)      # e_phnum
open(sys.argv[1], 'wb').write(h)
PY
	chmod 755 "$1"
}
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to forge ELF headers"

# ------------------------------------------------------------ unknown architecture
u="$CR_T/unknown-root"
mkdir -p "$u/bin" "$u/etc"
elf_with_machine "$u/bin/sh" 0x1234
before=$(cr_tree_sum "$u")
expect 126 "root whose /bin/sh is for machine 0x1234" \
	"crossroot: /bin/sh: ELF for unknown machine 4660 (64-bit LSB): exec format error" \
	"$CROSSROOT" "$u" /bin/sh -c :
expect 126 "the same with --arch arm64" "ELF for unknown machine 4660" \
	"$CROSSROOT" --arch arm64 "$u" /bin/sh -c :
[ "$before" = "$(cr_tree_sum "$u")" ] || fail "the unknown-architecture root changed"

# ------------------------------------------------------------ corrupt ELF as COMMAND
head -c 40 /bin/true > "$r/bin/truncated"
chmod 755 "$r/bin/truncated"
expect 126 "truncated ELF as COMMAND" \
	"crossroot: /bin/truncated: corrupt or truncated ELF file: exec format error" \
	"$CROSSROOT" "$r" /bin/truncated
python3 -c "
import sys
h = bytearray(open('/bin/true', 'rb').read())
h[32:40] = (10 ** 9).to_bytes(8, 'little')    # e_phoff far past the end
open(sys.argv[1], 'wb').write(h)" "$r/bin/corrupt" || fail "python3 failed"
chmod 755 "$r/bin/corrupt"
expect 126 "ELF whose program headers lie outside the file" \
	"crossroot: /bin/corrupt: corrupt or truncated ELF file: exec format error" \
	"$CROSSROOT" "$r" /bin/corrupt
cp "$r/bin/corrupt" "$CR_T/corrupt-host"
expect 126 "corrupt ELF run by a program inside the root" "exec format error" \
	"$CROSSROOT" "$r" /bin/sh -c '/bin/corrupt'

# ------------------------------------------------------------ #! longer than the kernel's limit
# No newline within 256 bytes and no blank: the kernel says ENOEXEC, and
# execvp (so crossroot) runs the file with /bin/sh, where the line is a
# comment - exactly what the host does.
{ printf '#!/'; head -c 300 /dev/zero | tr '\0' a; printf '\necho fallback ran\n'; } > "$r/bin/longsb"
chmod 755 "$r/bin/longsb"
cp "$r/bin/longsb" "$CR_T/longsb"
host=$(env "$CR_T/longsb" 2>&1)
expect 0 "#! line past the kernel's limit: execvp's /bin/sh fallback" "fallback ran" \
	"$CROSSROOT" "$r" /bin/longsb
[ "$out" = "$host" ] || fail "long #!: crossroot printed [$out], the host [$host]"
# A blank inside the limit: the line is cut there, the interpreter is
# /bin/sh with a long argument, which sh tries to open as its script.
{ printf '#!/bin/sh '; head -c 300 /dev/zero | tr '\0' b; printf '\n'; } > "$r/bin/longarg"
chmod 755 "$r/bin/longarg"
out=$("$CROSSROOT" "$r" /bin/longarg 2>&1) && fail "long #! argument: succeeded: $out"
printf '%s\n' "$out" | grep -q "bbbb" || fail "long #! argument: no sign of the cut argument: $out"
[ ! -e "$r/$(head -c 246 /dev/zero | tr '\0' b)" ] || fail "long #! argument created a file"
echo "ok - #! argument cut at the kernel's limit"

# ------------------------------------------------------------ #! nesting
printf '#!/bin/sh\necho leaf\n' > "$r/bin/n0"
i=1
while [ $i -le 5 ]; do printf '#!/bin/n%d\n' $((i - 1)) > "$r/bin/n$i"; i=$((i + 1)); done
chmod 755 "$r"/bin/n?
expect 0 "#! nested 4 deep" "leaf" "$CROSSROOT" "$r" /bin/n3
expect 126 "#! nested 5 deep" "crossroot: /bin/n4: more than 4 nested #! interpreters" \
	"$CROSSROOT" "$r" /bin/n4
expect 126 "#! nested 6 deep" "more than 4 nested #! interpreters" "$CROSSROOT" "$r" /bin/n5
# From a program inside the root the exec fails with ELOOP, as the kernel's
# own does (the shell's exit status for it is its own choice).
out=$("$CROSSROOT" "$r" /bin/sh -c /bin/n5 2>&1) && fail "#! nested 6 deep from sh: succeeded: $out"
printf '%s\n' "$out" | grep -qi "too many levels of symbolic links" ||
	fail "#! nested 6 deep from sh: expected ELOOP, got: $out"
echo "ok - #! nested 6 deep, from a program in the root: ELOOP"

# ------------------------------------------------------------ CROSSROOT_* garbage
# The crossroot command sets its own contract; inherited garbage is replaced.
expect 0 "inherited CROSSROOT_BIND=relative is replaced" "inside hostname" \
	env CROSSROOT_BIND=relative "$CROSSROOT" "$r" /bin/cat /etc/hostname
expect 0 "inherited CROSSROOT_ROOT=relative is replaced" "inside hostname" \
	env CROSSROOT_ROOT=relative "$CROSSROOT" "$r" /bin/cat /etc/hostname
expect 0 "CROSSROOT_VERBOSE=abc" "inside hostname" \
	env CROSSROOT_VERBOSE=abc "$CROSSROOT" "$r" /bin/cat /etc/hostname
# The library itself, handed garbage directly: a clear warning, the entry
# ignored (a relative root cannot be entered: the process runs unrooted).
lib="$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so"
expect 0 "library: CROSSROOT_BIND=relative" "libcrossroot: ignoring CROSSROOT_BIND entry 'relative': must be absolute" \
	env CROSSROOT_ROOT="$r" CROSSROOT_BIND=relative LD_PRELOAD="$lib" /bin/cat /etc/hostname
printf '%s\n' "$out" | grep -qx "inside hostname" || fail "library: bad bind: the root was lost: $out"
mkdir -p "$CR_T/relative/etc"
echo "relative root" > "$CR_T/relative/etc/hostname"
expect 0 "library: CROSSROOT_ROOT=relative" "libcrossroot: ignoring CROSSROOT_ROOT 'relative': must be absolute" \
	sh -c 'cd "$1" && env CROSSROOT_ROOT=relative LD_PRELOAD="$2" /bin/cat /etc/hostname' sh "$CR_T" "$lib"
printf '%s\n' "$out" | grep -qx "relative root" && fail "library: a relative root was used: $out"
expect 0 "library: CROSSROOT_VERBOSE=abc" "inside hostname" \
	env CROSSROOT_ROOT="$r" CROSSROOT_VERBOSE=abc LD_PRELOAD="$lib" /bin/cat /etc/hostname

# A huge CROSSROOT_QEMU_ARGS for a foreign root: the exec is refused (126,
# not runnable), qemu never runs.
t=aarch64-linux-gnu
G="$CR_BUILD/tests/progs/$t"
if [ -x "$G/guest-uname-static" ] && cr_have_guest $t &&
	{ command -v qemu-aarch64-static || command -v qemu-aarch64; } >/dev/null 2>&1; then
	a="$CR_T/arm64-root"
	mkdir -p "$a/bin" "$a/etc"
	cp "$G/guest-uname-static" "$a/bin/sh"
	CROSSROOT_ALLOW_STATIC=1; export CROSSROOT_ALLOW_STATIC
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	expect 126 "CROSSROOT_QEMU_ARGS of 100000 bytes" \
		"crossroot: exec plan too large (paths and arguments exceed" \
		env CROSSROOT_QEMU_ARGS="$big" "$CROSSROOT" "$a" /bin/sh
	many=$(yes -- -d | head -n 20000 | tr '\n' ' ')
	expect 125 "CROSSROOT_QEMU_ARGS of 20000 words" \
		"crossroot: too many words in CROSSROOT_QEMU_ARGS" \
		env CROSSROOT_QEMU_ARGS="$many" "$CROSSROOT" "$a" /bin/sh
	expect 0 "a sane CROSSROOT_QEMU_ARGS still works" "aarch64" \
		env CROSSROOT_QEMU_ARGS="-cpu max" "$CROSSROOT" "$a" /bin/sh
else
	note "huge CROSSROOT_QEMU_ARGS: not checked (no arm64 guest build or qemu-aarch64)"
fi

cr_sentinel_end
echo "all bad-input checks passed"
