#!/bin/sh
# fakechroot-env.sh - fakechroot's environment interface in libcrossroot,
# each check failing were the variable ignored: FAKECHROOT_DETECT (the
# version line and the status, what mmdebstrap probes), FAKECHROOT_BASE
# (the root), FAKECHROOT_EXCLUDE_PATH (a host path shown at the same
# path, at start and after a faked chroot(2)), FAKECHROOT_CMD_SUBST (the
# substitute runs outside the root, told FAKECHROOT_CMD_ORIG and
# FAKECHROOT_BASE_ORIG; fakechroot's own helpers become crossroot's),
# FAKECHROOT_CMD_ORIG (set: no substitution), FAKECHROOT_AF_UNIX_PATH,
# FAKECHROOT_ELFLOADER (host-architecture programs only), FAKECHROOT and
# FAKECHROOT_VERSION (set by crossroot-fakechroot, the same version as the
# library's answer), and FAKECHROOT_* surviving env -i.  Nothing outside
# the root changes.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

FC="$CR_LIBDIR/crossroot-fakechroot"
[ -x "$FC" ] || fail "crossroot-fakechroot not built ($FC)"
[ -x "$CR_LIBDIR/crossroot-chroot" ] || fail "crossroot-chroot not built"
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
unset CROSSROOT_CMD_SUBST FAKECHROOT_CMD_SUBST FAKECHROOT_EXCLUDE_PATH FAKECHROOT_BASE
P="$CR_BUILD/tests/progs"
pre="$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so"

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

r="$CR_T/root"
cr_make_native_root "$r" sh cat env chroot
mkdir -p "$r$CR_T/excl" "$CR_T/excl"
echo "root copy" > "$r$CR_T/excl/f"
echo "host file" > "$CR_T/excl/f"
rr=$(cd "$r" && pwd -P)

# ------------------------------------------------------------ FAKECHROOT_DETECT
out=$(FAKECHROOT_DETECT=7 LD_PRELOAD="$pre" /bin/echo not printed); st=$?
[ "$out" = "fakechroot 2.20.1" ] || fail "FAKECHROOT_DETECT: printed [$out]"
[ $st = 7 ] || fail "FAKECHROOT_DETECT=7: exit status $st"
# As mmdebstrap probes: echo with FAKECHROOT_DETECT=0 under the front end.
out=$("$FC" /bin/sh -c 'FAKECHROOT_DETECT=0 exec /bin/echo not printed'); st=$?
[ $st = 0 ] && [ "$out" = "fakechroot 2.20.1" ] || fail "mmdebstrap's probe: exit $st [$out]"
echo "$out" | grep -Eq '^fakechroot [0-9.]+$' || fail "the probe line does not match mmdebstrap's pattern: $out"
out=$(LD_PRELOAD="$pre" /bin/echo printed)
[ "$out" = printed ] || fail "without FAKECHROOT_DETECT: [$out]"
echo "ok - FAKECHROOT_DETECT prints the version line and exits with its value"

# ------------------------------------------------- FAKECHROOT, _VERSION, -v
out=$("$FC" /bin/sh -c 'echo "$FAKECHROOT $FAKECHROOT_VERSION $CROSSROOT_ROOT"')
[ "$out" = "true 2.20.1 /" ] || fail "FAKECHROOT / FAKECHROOT_VERSION / root: [$out]"
v=$("$FC" --version) || fail "crossroot-fakechroot --version failed"
case "$v" in "fakechroot version 2.20.1 "*) ;; *) fail "--version: $v" ;; esac
out=$(FAKECHROOT=true "$FC" /bin/true 2>&1); st=$?
[ $st = 1 ] && echo "$out" | grep -q "nested operation is not supported" ||
	fail "nested crossroot-fakechroot: exit $st: $out"
echo "ok - FAKECHROOT=true and FAKECHROOT_VERSION are set, nesting refused as fakechroot does"

# ------------------------------------------------------------ FAKECHROOT_BASE
out=$(FAKECHROOT_BASE="$r" LD_PRELOAD="$pre" /bin/cat /etc/hostname)
[ "$out" = crossroot-native-root ] || fail "FAKECHROOT_BASE: read [$out]"
echo "ok - FAKECHROOT_BASE is the root"

# --------------------------------------------------- FAKECHROOT_EXCLUDE_PATH
out=$("$CROSSROOT" "$r" /bin/cat "$CR_T/excl/f")
[ "$out" = "root copy" ] || fail "without FAKECHROOT_EXCLUDE_PATH: [$out]"
out=$(FAKECHROOT_EXCLUDE_PATH="/nonexistent:$CR_T/excl" "$CROSSROOT" "$r" /bin/cat "$CR_T/excl/f")
[ "$out" = "host file" ] || fail "FAKECHROOT_EXCLUDE_PATH through crossroot: [$out]"
out=$(FAKECHROOT_EXCLUDE_PATH="$CR_T/excl" "$CROSSROOT" "$r" /bin/sh -c "cat $CR_T/excl/f")
[ "$out" = "host file" ] || fail "FAKECHROOT_EXCLUDE_PATH in a child: [$out]"
# After a faked chroot(2): the host's chroot(8), not substituted (-e none).
out=$(FAKECHROOT_EXCLUDE_PATH="$CR_T/excl" "$FC" -e none chroot "$r" /bin/cat "$CR_T/excl/f")
[ "$out" = "host file" ] || fail "FAKECHROOT_EXCLUDE_PATH after chroot(2): [$out]"
out=$("$FC" -e none chroot "$r" /bin/cat "$CR_T/excl/f")
[ "$out" = "root copy" ] || fail "without FAKECHROOT_EXCLUDE_PATH after chroot(2): [$out]"
echo "x" > "$r$CR_T/excl/g"
out=$(FAKECHROOT_EXCLUDE_PATH="$CR_T/excl" "$CROSSROOT" "$r" /bin/sh -c "echo new > $CR_T/excl/g; cat $CR_T/excl/g")
[ "$out" = new ] && [ "$(cat "$CR_T/excl/g")" = new ] && [ "$(cat "$r$CR_T/excl/g")" = x ] ||
	fail "a write to an excluded path goes to the host's file"
out=$(FAKECHROOT_EXCLUDE_PATH="relative" "$CROSSROOT" "$r" /bin/true 2>&1); st=$?
[ $st = 125 ] && echo "$out" | grep -q "invalid FAKECHROOT_EXCLUDE_PATH" ||
	fail "a relative FAKECHROOT_EXCLUDE_PATH: exit $st: $out"
echo "ok - FAKECHROOT_EXCLUDE_PATH shows host paths, also after chroot(2)"

# ------------------------------------------------------ FAKECHROOT_CMD_SUBST
# A fakechroot-style substitute: run outside the root (it reads a host path
# made from FAKECHROOT_BASE_ORIG), told the program asked for.
cat > "$CR_T/subst.sh" <<'EOF'
#!/bin/sh
echo "orig=$FAKECHROOT_CMD_ORIG base=$FAKECHROOT_BASE_ORIG args=$*"
cat "$FAKECHROOT_BASE_ORIG/etc/hostname"
EOF
chmod +x "$CR_T/subst.sh"
printf '#!/bin/sh\necho root-prog\n' > "$r/bin/prog"
chmod +x "$r/bin/prog"
out=$("$CROSSROOT" "$r" /bin/sh -c '/bin/prog a b')
[ "$out" = root-prog ] || fail "without a substitution: [$out]"
want="orig=/bin/prog base=$rr args=a b
crossroot-native-root"
out=$(FAKECHROOT_CMD_SUBST="/bin/prog=$CR_T/subst.sh" "$CROSSROOT" "$r" /bin/sh -c '/bin/prog a b' 2>&1)
[ "$out" = "$want" ] || fail "FAKECHROOT_CMD_SUBST: expected [$want] got [$out]"
out=$(cd "$r" && FAKECHROOT_CMD_SUBST="/bin/prog=$CR_T/subst.sh" LD_PRELOAD=libcrossroot.so \
	LD_LIBRARY_PATH="$CR_LIBDIR/$HOST_TRIPLET" CROSSROOT_LIBPATH="$CR_LIBDIR/$HOST_TRIPLET" \
	FAKECHROOT_BASE="$r" /bin/sh -c '/bin/prog a b' 2>&1)
[ "$out" = "$want" ] || fail "FAKECHROOT_CMD_SUBST (library alone): expected [$want] got [$out]"
# FAKECHROOT_CMD_ORIG set: this process is a substitute, no substitution.
out=$(FAKECHROOT_CMD_ORIG=/bin/x FAKECHROOT_CMD_SUBST="/bin/prog=$CR_T/subst.sh" \
	"$CROSSROOT" "$r" /bin/sh -c '/bin/prog a b')
[ "$out" = root-prog ] || fail "FAKECHROOT_CMD_ORIG set: substituted anyway: [$out]"
# CROSSROOT_CMD_SUBST substitutes stay inside the root (crossroot's way).
out=$(CROSSROOT_CMD_SUBST="/bin/prog=$CR_T/subst.sh" "$CROSSROOT" "$r" /bin/sh -c '/bin/prog a b' 2>&1)
case "$out" in "orig=/bin/prog base=$rr args=a b"*) fail "CROSSROOT_CMD_SUBST ran outside: [$out]" ;; esac
# fakechroot's chroot.fakechroot becomes crossroot-chroot.
out=$(FAKECHROOT_CMD_SUBST="/bin/chroot=/usr/sbin/chroot.fakechroot" "$FC" -e none \
	/bin/sh -c "chroot $r /bin/cat /etc/hostname" 2>&1)
[ "$out" = crossroot-native-root ] || fail "chroot.fakechroot -> crossroot-chroot: [$out]"
echo "ok - FAKECHROOT_CMD_SUBST runs substitutes outside with FAKECHROOT_CMD_ORIG/_BASE_ORIG"

# ------------------------------------------------------ FAKECHROOT_ELFLOADER
# A copy of the host's loader outside the root runs host-architecture
# programs: /proc/self/cmdline shows it.
ldso=$(sed -n 's/^[[:space:]]*\(\/[^ ]*ld-linux[^ ]*\) .*/\1/p' <<EOF
$(ldd /bin/cat)
EOF
)
[ -n "$ldso" ] || fail "cannot find the host's loader"
cp -L "$ldso" "$CR_T/myld.so"
out=$("$CROSSROOT" "$r" /bin/cat /proc/self/cmdline | tr '\0' ' ')
case "$out" in *myld.so*) fail "without FAKECHROOT_ELFLOADER: [$out]" ;; esac
out=$(FAKECHROOT_ELFLOADER="$CR_T/myld.so" "$CROSSROOT" "$r" /bin/cat /proc/self/cmdline | tr '\0' ' ')
case "$out" in "$CR_T/myld.so "*"/bin/cat /proc/self/cmdline ") ;;
*) fail "FAKECHROOT_ELFLOADER: cmdline [$out]" ;; esac
out=$("$FC" -d "$CR_T/myld.so" chroot "$r" /bin/sh -c 'cat /proc/self/cmdline' | tr '\0' ' ')
case "$out" in "$CR_T/myld.so --argv0 cat "*"/bin/cat /proc/self/cmdline ") ;;
*) fail "crossroot-fakechroot -d: cmdline [$out]" ;; esac
echo "ok - FAKECHROOT_ELFLOADER runs host-architecture programs (-d, with --argv0)"
# Foreign programs still go to qemu, not to the loader.
t=aarch64-linux-gnu
if cr_have_guest $t && [ -e "$P/$t/.built" ] && command -v qemu-aarch64-static >/dev/null &&
   [ -e /usr/$t/lib/ld-linux-aarch64.so.1 ]; then
	fr="$CR_T/root-arm64"
	mkdir -p "$fr/bin" "$fr/lib/$t" "$fr/tmp" "$fr/dev" "$fr/proc" "$fr/sys"
	cp -a /usr/$t/lib/*.so* "$fr/lib/$t/"
	cp -L /usr/$t/lib/ld-linux-aarch64.so.1 "$fr/lib/"
	cp "$P/$t/guest-uname" "$fr/bin/"
	out=$(FAKECHROOT_ELFLOADER="$CR_T/myld.so" "$CROSSROOT" "$fr" /bin/guest-uname 2>&1)
	[ "$out" = aarch64 ] || fail "FAKECHROOT_ELFLOADER with a foreign program: [$out]"
	echo "ok - FAKECHROOT_ELFLOADER leaves foreign programs to qemu"
else
	note "no arm64 guest build, qemu or cross libc: the foreign half of the ELFLOADER check is skipped"
fi

# --------------------------------------------------- FAKECHROOT_AF_UNIX_PATH
[ -x "$P/specialcalls" ] || fail "tests/progs/specialcalls not built"
U="$CR_T/afunix"
mkdir -p "$U/run" "$r/run"
(cd "$r" && env FAKECHROOT_BASE="$r" FAKECHROOT_AF_UNIX_PATH="$U" LD_PRELOAD="$pre" \
	"$P/specialcalls" afunix /run/af.sock) > "$CR_T/afunix.out" 2>&1 ||
	fail "afunix checks under FAKECHROOT_AF_UNIX_PATH: $(cat "$CR_T/afunix.out")"
[ -S "$U/run/af.sock" ] || fail "FAKECHROOT_AF_UNIX_PATH: socket not under $U"
[ -e "$r/run/af.sock" ] && fail "FAKECHROOT_AF_UNIX_PATH: socket created in the root"
echo "ok - FAKECHROOT_AF_UNIX_PATH holds the sockets"

# ----------------------------------------------------- env -i keeps FAKECHROOT_*
out=$("$FC" -e none chroot "$r" /bin/env -i /bin/env | LC_ALL=C sort | grep -E '^(FAKECHROOT|FAKECHROOT_VERSION|CROSSROOT_ROOT)=')
want="CROSSROOT_ROOT=$rr
FAKECHROOT=true
FAKECHROOT_VERSION=2.20.1"
[ "$out" = "$want" ] || fail "env -i: expected [$want] got [$out]"
echo "ok - FAKECHROOT and FAKECHROOT_VERSION survive env -i"

cr_sentinel_end
echo "ok - nothing outside the root changed"
