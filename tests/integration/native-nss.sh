#!/bin/sh
# native-nss.sh - the user, group and shadow databases of a fake root
# (preload/wrap_nss.c): host programs run by crossroot in a native root
# whose /etc/passwd, /etc/group and /etc/shadow hold names the host does
# not have.  Checks: id, getent passwd/group/shadow (by name, by id, the
# whole database: exactly the root's entries), stat -c %U:%G, chown
# USER:GROUP under fakeroot (recorded ids), a host user name that the
# root lacks is not found and an id the root lacks has no name, a root
# without /etc/passwd is an empty database (never the host's), with no
# root the host's database is answered; tests/progs/nss-calls (every call,
# glibc's errno and ERANGE conventions, enumerations, getgrouplist,
# initgroups, 4 threads at once) natively and, when possible, its arm64
# build under qemu with the arm64 library (qemu's -L pointing at the cross
# libc, so only the library can show the root's files).  Nothing outside
# the root changes.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
CR_UNPRIVILEGED=1
. "${CR_LIB_SH:-$top_srcdir/tests/integration/lib.sh}"

export PATH=/usr/bin:/bin:/usr/sbin:/sbin
P="$CR_BUILD/tests/progs"
lib="$CR_LIBDIR/$HOST_TRIPLET/libcrossroot.so"
[ -e "$lib" ] || fail "host library $lib not built"
[ -x "$P/nss-calls" ] || fail "tests/progs/nss-calls not built"
me=$(id -un)
for n in crtestu crtestg crontab crtestx; do
	getent passwd "$n" >/dev/null 2>&1 && skip "the host has a user $n: the test needs it absent"
	[ "$n" != crtestu ] && getent group "$n" >/dev/null 2>&1 &&
		skip "the host has a group $n: the test needs it absent"
done
getent passwd 4242 >/dev/null 2>&1 && skip "the host has uid 4242"

s="$CR_T/sentinel"
cr_sentinel_make "$s"
cr_sentinel_begin "$s" "$HOME"

R="$CR_T/root"
cr_make_native_root "$R" sh id getent stat chown touch
cp "$P/nss-calls" "$R/bin/"
cat > "$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
crtestu:x:4242:4343:crossroot test user:/home/crtestu:/bin/sh
EOF
cat > "$R/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
crtestg:x:4343:crtestu
crontab:x:4344:
crtestx:x:4345:daemon,crtestu
EOF
cat > "$R/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
crtestu:!:19001:0:99999:7:::
EOF
chmod 640 "$R/etc/shadow"

inroot() { "$CROSSROOT" "$R" "$@"; }
expect() { # DESCRIPTION EXPECTED COMMAND...: exit 0 and exactly EXPECTED
	e_desc=$1 e_want=$2; shift 2
	got=$(inroot "$@" 2>&1) || fail "$e_desc: exit $?: $got"
	[ "$got" = "$e_want" ] || fail "$e_desc: expected [$e_want] got [$got]"
	echo "ok - $e_desc"
}

# ------------------------------------------------------ lookups by tools
expect "id crtestu" "uid=4242(crtestu) gid=4343(crtestg) groups=4343(crtestg),4345(crtestx)" \
	/bin/id crtestu
expect "getent passwd crtestu" "crtestu:x:4242:4343:crossroot test user:/home/crtestu:/bin/sh" \
	/bin/getent passwd crtestu
expect "getent passwd 4242 (by uid)" "crtestu:x:4242:4343:crossroot test user:/home/crtestu:/bin/sh" \
	/bin/getent passwd 4242
expect "getent group crtestg" "crtestg:x:4343:crtestu" /bin/getent group crtestg
expect "getent group 4344 (by gid)" "crontab:x:4344:" /bin/getent group 4344
expect "getent shadow crtestu" "crtestu:!:19001:0:99999:7:::" /bin/getent shadow crtestu
expect "getent passwd lists exactly the root's entries" "$(cat "$R/etc/passwd")" /bin/getent passwd
expect "getent group lists exactly the root's entries" "$(cat "$R/etc/group")" /bin/getent group

# A host name the root lacks is not found (getent: exit 2), and a file
# owned by the (host) test user shows no name.
out=$(inroot /bin/getent passwd "$me" 2>&1); st=$?
[ $st = 2 ] && [ -z "$out" ] || fail "host user $me found in the root: exit $st [$out]"
out=$(inroot /bin/id "$me" 2>&1) && fail "id $me succeeded in the root: $out"
echo "ok - the host's user $me is not in the root's database"
touch "$R/mine"
out=$(inroot /bin/stat -c %U /mine) || fail "stat /mine: $out"
[ "$out" = UNKNOWN ] || fail "stat -c %U of a file owned by uid $(id -u): [$out], want UNKNOWN"
echo "ok - an id the root's passwd lacks has no name (UNKNOWN)"

# ---------------------------------------------------- owners under fakeroot
if command -v fakeroot >/dev/null 2>&1; then
	ST="$CR_T/fakeroot.state"
	touch "$R/f" "$R/g"
	out=$(fakeroot -s "$ST" "$CROSSROOT" "$R" /bin/sh -c \
		'chown 4242:4343 /f && stat -c %U:%G /f && chown crtestu:crontab /g && stat -c %u:%g /g' 2>&1) ||
		fail "chown under fakeroot: $out"
	[ "$out" = "crtestu:crtestg
4242:4344" ] || fail "owners under fakeroot: [$out]"
	echo "ok - stat -c %U:%G names 4242:4343 crtestu:crtestg; chown crtestu:crontab records 4242:4344"
	out=$(fakeroot -i "$ST" "$CROSSROOT" "$R" /bin/nss-calls crtestu 4242 crtestg 4343 "$me" 1 1 2>&1) ||
		fail "nss-calls under fakeroot: $out"
	echo "$out" | grep -qx "INITGROUPS 0 0" ||
		fail "initgroups under fakeroot (setgroups faked): $(echo "$out" | grep INITGROUPS)"
	echo "ok - initgroups under fakeroot succeeds (setgroups is fakeroot's)"
else
	note "fakeroot not installed: the chown/stat-by-name checks under fakeroot are skipped"
fi

# ------------------------------------------------------- every call, threads
out=$(inroot /bin/nss-calls crtestu 4242 crtestg 4343 "$me" 4 300 2>&1); st=$?
echo "$out" | grep -v '^ENT \|^GRENT '
[ $st = 0 ] || fail "nss-calls in the root exited $st"
[ "$(echo "$out" | sed -n 's/^ENT //p')" = "root
daemon
crtestu" ] || fail "nss-calls: getpwent did not list the root's users"
[ "$(echo "$out" | sed -n 's/^GRENT //p' | tr '\n' ' ')" = "root daemon crtestg crontab crtestx " ] ||
	fail "nss-calls: getgrent did not list the root's groups"
echo "$out" | grep -qx "INITGROUPS -1 EPERM" ||
	fail "initgroups unprivileged: want -1 EPERM, got $(echo "$out" | grep INITGROUPS)"
n=$(echo "$out" | grep -c '^ok - ')
[ "$n" -eq 8 ] || fail "nss-calls: $n checks passed, want 8"
echo "ok - nss-calls: $n checks in the root (4 threads)"

# --------------------------------------- a root without /etc/passwd, no root
mv "$R/etc/passwd" "$R/etc/passwd.away"
out=$(inroot /bin/getent passwd root 2>&1); st=$?
[ $st = 2 ] && [ -z "$out" ] || fail "no /etc/passwd in the root: getent passwd root: exit $st [$out]"
out=$(inroot /bin/stat -c %U /mine) || fail "stat /mine without passwd: $out"
[ "$out" = UNKNOWN ] || fail "no /etc/passwd in the root: stat -c %U gave [$out]"
mv "$R/etc/passwd.away" "$R/etc/passwd"
echo "ok - a root without /etc/passwd has an empty user database (not the host's)"
want=$(getent passwd "$me")
out=$(env -u CROSSROOT_ROOT LD_PRELOAD="$lib" getent passwd "$me") ||
	fail "with no root, getent passwd $me failed"
[ "$out" = "$want" ] || fail "with no root: [$out], want the host's [$want]"
echo "ok - with no fake root the host's database answers"

# ------------------------------------------------------------ arm64 guest
t=aarch64-linux-gnu
gprog="$P/$t/nss-calls"
if cr_arm64_cross "$gprog"; then
	# -L is the cross libc's directory, not the root: glibc's own reads
	# of /etc/passwd would reach the host's files.
	out=$(cd "$R" && "$qemu" -L /usr/$t -E CROSSROOT_ROOT="$R" \
		-E LD_PRELOAD="$CR_LIBDIR/$t/libcrossroot.so" \
		"$gprog" crtestu 4242 crtestg 4343 "$me" 4 20 2>&1); st=$?
	echo "$out" | grep -v '^ENT \|^GRENT '
	[ $st = 0 ] || fail "arm64 nss-calls exited $st"
	[ "$(echo "$out" | sed -n 's/^ENT //p' | tr '\n' ' ')" = "root daemon crtestu " ] ||
		fail "arm64: getpwent did not list the root's users"
	echo "$out" | grep -qx "INITGROUPS -1 EPERM" ||
		fail "arm64: initgroups unprivileged: $(echo "$out" | grep INITGROUPS)"
	echo "ok - arm64 nss-calls: $(echo "$out" | grep -c '^ok - ') checks with the arm64 library"
fi

cr_sentinel_end
echo "ok - nothing outside the root changed"
