# debian-archive.sh - fetch from the Debian archive apt is configured with,
# without naming any mirror: cr_debian_mirror, cr_fetch, cr_fetch_deb.
# Sourced by tests/integration/lib.sh and bench/run; defines functions only.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later

# The Debian mirror apt is configured with (no host name is built in).
cr_debian_mirror() {
	{
		cat /etc/apt/sources.list 2>/dev/null
		cat /etc/apt/sources.list.d/*.list 2>/dev/null
		sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
			tr ' ' '\n' | sed 's/^/deb /'
	} | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { print $i; break } }' |
	grep -v -- '-security' | grep '/debian/\?$' | head -n 1 | sed 's:/*$::'
}

# Fetch URL to FILE with curl or wget; fails quietly.
cr_fetch() { # URL FILE
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --max-time 120 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -T 120 -O "$2" "$1"
	else
		return 1
	fi
}

# Download the .deb of PACKAGE for ARCH in SUITE into DIR; prints its path.
cr_fetch_deb() { # SUITE ARCH PACKAGE DIR
	m=$(cr_debian_mirror)
	[ -n "$m" ] || return 1
	idx="$4/Packages-$1-$2"
	if [ ! -s "$idx" ]; then
		cr_fetch "$m/dists/$1/main/binary-$2/Packages.xz" "$idx.xz" || return 1
		xz -dc "$idx.xz" > "$idx" || return 1
	fi
	f=$(awk -v p="$3" '$1 == "Package:" { cur = $2 } cur == p && $1 == "Filename:" { print $2; exit }' "$idx")
	[ -n "$f" ] || return 1
	cr_fetch "$m/$f" "$4/$(basename "$f")" || return 1
	echo "$4/$(basename "$f")"
}
