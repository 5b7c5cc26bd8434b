# lib.sh - shared helpers for crossroot's shell integration tests.
# Sourced by every tests/integration/*.sh.  SPDX-License-Identifier: LGPL-2.1-or-later
#
# A test that sets CR_UNPRIVILEGED=1 before sourcing this file runs as an
# unprivileged user: when the suite runs as root, the script re-executes
# itself as the test user $CR_TEST_USER (created if missing) with setpriv.
# The build products it needs are copied first to a world-readable
# directory, so a build tree under /root works too.  The script's arguments
# are passed on.
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip (with a reason printed).

set -u
: "${top_builddir:?run through make check}"
: "${top_srcdir:?run through make check}"
CR_TEST_USER=${CR_TEST_USER:-crossroot-test}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

# ---------------------------------------------------------------- products
# CR_BUILD: where the test finds crossroot's products (the build tree, or the
# readable copy made for the test user).
cr_export_products() {
	CROSSROOT="$CR_BUILD/wrapper/crossroot"
	CROSSROOT_STAGE="$CR_BUILD/wrapper/crossroot-stage"
	CR_LIBDIR="$CR_BUILD/preload"
	CROSSROOT_LIBDIR="$CR_LIBDIR"
	export CR_BUILD CROSSROOT CROSSROOT_STAGE CR_LIBDIR CROSSROOT_LIBDIR
}

cr_copy_products() { # DEST
	mkdir -p "$1/wrapper" "$1/tests"
	cp -a "$top_builddir/preload" "$1/" 2>/dev/null || :
	for f in crossroot crossroot-stage; do
		[ -x "$top_builddir/wrapper/$f" ] && cp "$top_builddir/wrapper/$f" "$1/wrapper/"
	done
	[ -d "$top_builddir/tests/progs" ] && cp -a "$top_builddir/tests/progs" "$1/tests/"
	for d in tests/tools tests/integration; do
		mkdir -p "$1/$d"
		find "$top_builddir/$d" -maxdepth 1 -type f -perm -u+x \
			-exec cp {} "$1/$d/" \; 2>/dev/null
	done
	chmod -R a+rX "$1"
}

# ---------------------------------------------------------------- privilege
cr_ensure_test_user() {
	id "$CR_TEST_USER" >/dev/null 2>&1 && return 0
	useradd --create-home --shell /bin/sh "$CR_TEST_USER" >/dev/null 2>&1 ||
		skip "cannot create the test user $CR_TEST_USER"
}

if [ "${CR_UNPRIVILEGED:-0}" = 1 ] && [ "$(id -u)" = 0 ] && [ -z "${CR_DROPPED:-}" ]; then
	command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) not found: cannot drop root"
	cr_ensure_test_user
	CR_TMP=$(mktemp -d /tmp/crossroot-test.XXXXXX)
	chmod 755 "$CR_TMP"
	cr_copy_products "$CR_TMP/build"
	mkdir "$CR_TMP/work"
	chown "$CR_TEST_USER:" "$CR_TMP/work"
	cp "$0" "$CR_TMP/test.sh"; chmod a+rx "$CR_TMP/test.sh"
	cp "$top_srcdir/tests/integration/lib.sh" "$CR_TMP/lib.sh"; chmod a+r "$CR_TMP/lib.sh"
	cp "$top_srcdir/tests/debian-archive.sh" "$CR_TMP/debian-archive.sh"
	chmod a+r "$CR_TMP/debian-archive.sh"
	uhome=$(getent passwd "$CR_TEST_USER" | cut -d: -f6)
	set +e
	env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$uhome" \
		USER="$CR_TEST_USER" LOGNAME="$CR_TEST_USER" SHELL=/bin/sh LANG=C.UTF-8 \
		top_builddir="$top_builddir" top_srcdir="$top_srcdir" \
		GUEST_TRIPLETS="${GUEST_TRIPLETS:-}" HOST_TRIPLET="${HOST_TRIPLET:-}" \
		CR_DROPPED=1 CR_BUILD="$CR_TMP/build" CR_WORK="$CR_TMP/work" \
		CR_LIB_SH="$CR_TMP/lib.sh" CR_ARCHIVE_SH="$CR_TMP/debian-archive.sh" \
		${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
		${UBSAN_OPTIONS+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
		setpriv --reuid="$CR_TEST_USER" --regid="$CR_TEST_USER" --init-groups \
		-- /bin/sh -c 'cd "$CR_WORK" && exec /bin/sh "$0" "$@"' "$CR_TMP/test.sh" "$@"
	rc=$?
	rm -rf "$CR_TMP"
	exit $rc
fi

# A test that claims to be unprivileged never goes on as root.
if [ "${CR_UNPRIVILEGED:-0}" = 1 ]; then
	[ "$(id -u)" != 0 ] || fail "an unprivileged test is still running as root"
	note "running unprivileged as $(id -un) (uid $(id -u))"
fi

if [ -z "${CR_BUILD:-}" ]; then
	CR_BUILD="$top_builddir"
fi
cr_export_products

# A private work directory, removed at exit.
CR_T=$(mktemp -d "${TMPDIR:-/tmp}/crossroot-t.XXXXXX")
trap 'chmod -R u+rwX "$CR_T" 2>/dev/null; rm -rf "$CR_T"' EXIT
export CR_T

cr_is_unprivileged() { [ "$(id -u)" != 0 ]; }

# ---------------------------------------------------------------- sentinels
# A host tree that no test may change: checksums and metadata before/after.
cr_sentinel_make() { # DIR
	mkdir -p "$1/sub"
	echo "sentinel passwd" > "$1/passwd"
	echo "sentinel hostname" > "$1/hostname"
	echo "deep" > "$1/sub/file"
	ln -s passwd "$1/link"
}
# The build and source trees (where make writes the test logs; they may lie
# under $HOME when a normal user runs the suite) and the test's own work
# directory are left out.
cr_tree_sum() { # DIR...  -> listing of every entry with type, mode, size, hash
	for d in "$@"; do
		[ -e "$d" ] || continue
		find "$d" -xdev \( -path "$top_builddir" -o -path "$top_srcdir" -o \
			-path "${CR_BUILD:-$top_builddir}" -o -path "$CR_T" \) -prune -o \
			-printf '%p %y %m %s %l\n' 2>/dev/null | LC_ALL=C sort
		find "$d" -xdev \( -path "$top_builddir" -o -path "$top_srcdir" -o \
			-path "${CR_BUILD:-$top_builddir}" -o -path "$CR_T" \) -prune -o \
			-type f -readable -exec md5sum {} + 2>/dev/null | LC_ALL=C sort
	done
}
cr_sentinel_begin() { # DIR...
	CR_SENTINEL_DIRS="$*"
	cr_tree_sum "$@" > "$CR_T/.sentinel.before"
}
cr_sentinel_end() {
	cr_tree_sum $CR_SENTINEL_DIRS > "$CR_T/.sentinel.after"
	if ! cmp -s "$CR_T/.sentinel.before" "$CR_T/.sentinel.after"; then
		diff "$CR_T/.sentinel.before" "$CR_T/.sentinel.after" >&2
		fail "a host path outside the fake root changed: $CR_SENTINEL_DIRS"
	fi
}

# ---------------------------------------------------------------- roots
# A native root made of host binaries and the libraries they need.
cr_make_native_root() { # DIR PROGRAM...
	r=$1; shift
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/dev" "$r/proc" "$r/sys" "$r/usr/bin"
	chmod 1777 "$r/tmp"
	for p in "$@"; do
		src=$(command -v "$p") || fail "host program $p not found"
		cp "$src" "$r/bin/"
		cr_copy_libs "$r" "$src"
	done
	echo "crossroot-native-root" > "$r/etc/hostname"
}
cr_copy_libs() { # ROOT ELF
	ldd "$2" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		[ -e "$1$lib" ] && continue
		mkdir -p "$1$(dirname "$lib")"
		cp -L "$lib" "$1$lib"
	done
}

# Which guest builds exist.
cr_have_guest() { [ -e "$CR_LIBDIR/$1/libcrossroot.so" ]; }

# cr_arm64_cross PROG: can the arm64 test program PROG run under
# qemu-aarch64-static with the cross libc (/usr/aarch64-linux-gnu) and the
# arm64 library?  Sets $qemu; else says why in a note and returns 1.
cr_arm64_cross() {
	qemu=$(command -v qemu-aarch64-static || :)
	if ! cr_have_guest aarch64-linux-gnu || [ ! -x "$1" ]; then
		note "no aarch64-linux-gnu guest build: arm64 run skipped"
		return 1
	elif [ -z "$qemu" ] || [ ! -e /usr/aarch64-linux-gnu/lib/libc.so.6 ]; then
		note "qemu-aarch64-static or /usr/aarch64-linux-gnu (cross libc) missing: arm64 run skipped"
		return 1
	fi
}

# ---------------------------------------------------------------- Debian archive
# cr_debian_mirror, cr_fetch, cr_fetch_deb.
. "${CR_ARCHIVE_SH:-$top_srcdir/tests/debian-archive.sh}"

# cr_need_archive SUITE: $mirror, the Debian archive apt is configured
# with; skips the test, saying why, when there is none or it is
# unreachable.
cr_need_archive() {
	mirror=$(cr_debian_mirror)
	[ -n "$mirror" ] || skip "no Debian mirror in the apt sources"
	cr_fetch "$mirror/dists/$1/Release" "$CR_T/Release" ||
		skip "the Debian archive $mirror is unreachable"
}

# cr_stage_libfakeroot SUITE ARCH: Debian's libfakeroot:ARCH staged with
# crossroot-stage under $CR_T/stage (exported as CROSSROOT_STAGE_PREFIX),
# where crossroot looks for the guest libfakeroot; crossroot-stage's
# report in $cr_stage_out.  Fails the test when it cannot.
cr_stage_libfakeroot() {
	mkdir -p "$CR_T/debs"
	cr_stage_deb=$(cr_fetch_deb "$1" "$2" libfakeroot "$CR_T/debs") ||
		fail "cannot download libfakeroot:$2 from $mirror"
	CROSSROOT_STAGE_PREFIX="$CR_T/stage"
	export CROSSROOT_STAGE_PREFIX
	cr_stage_out=$("$CROSSROOT_STAGE" --arch "$2" --with-fakeroot "$cr_stage_deb" 2>&1) ||
		fail "crossroot-stage --with-fakeroot $cr_stage_deb: $cr_stage_out"
}

# A Debian first-stage root (debootstrap --foreign --variant=minbase), cached
# under CR_CACHE and owned by the user who runs the tests.  As root it is
# built as root and handed to the test user; as a normal user it is built
# under fakeroot.  Prints the root's path; fails when the archive is
# unreachable.
CR_CACHE=${CR_CACHE:-/var/tmp/crossroot-cache}
cr_firststage() { # ARCH SUITE
	dir="$CR_CACHE/$2-$1-firststage"
	if [ ! -e "$dir/.complete" ]; then
		command -v debootstrap >/dev/null 2>&1 || return 1
		m=$(cr_debian_mirror); [ -n "$m" ] || return 1
		mkdir -p "$CR_CACHE" && chmod 1777 "$CR_CACHE" 2>/dev/null
		rm -rf "$dir"
		if [ "$(id -u)" = 0 ]; then
			debootstrap --foreign --variant=minbase --arch="$1" "$2" "$dir" "$m" \
				> "$dir.log" 2>&1 || return 1
		else
			PATH="$PATH:/usr/sbin:/sbin" fakeroot debootstrap --foreign --variant=minbase \
				--arch="$1" "$2" "$dir" "$m" > "$dir.log" 2>&1 || return 1
		fi
		touch "$dir/.complete"
	fi
	echo "$dir"
}
