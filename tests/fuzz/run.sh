#!/bin/sh
# run.sh - build the libFuzzer targets (fuzz_resolve, fuzz_identify,
# fuzz_reach) with clang -fsanitize=fuzzer,address,undefined against src/*.c
# and run each
# for FUZZ_SECONDS (default 60) from its seed corpus tests/fuzz/corpus/<t>/.
# Any crash input is copied to tests/fuzz/regressions/<t>/ (replayed by make
# check through tests/fuzz/replay.c) and the script fails.
#   usage: tests/fuzz/run.sh [TARGET...]      (FUZZ_SECONDS, CLANG, FUZZ_WORK)
# Exit 0 when every target ran clean, 1 on a crash, 77 without clang/libFuzzer.
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CLANG=${CLANG:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
targets=${*:-resolve identify reach}
command -v "$CLANG" >/dev/null 2>&1 || { echo "SKIP: $CLANG not found"; exit 77; }

work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/crossroot-fuzz.XXXXXX")}
mkdir -p "$work"
# config.h comes from configure; the core needs only a few feature macros.
[ -e "$work/config.h" ] || : > "$work/config.h"
srcs="$top/src/cr_config.c $top/src/cr_path.c $top/src/cr_arch.c $top/src/cr_elf.c
	$top/src/cr_exec.c $top/src/cr_env.c $top/src/cr_sys.c $top/src/cr_reach.c"
status=0
for t in $targets; do
	bin="$work/fuzz_$t"
	echo "== building $bin"
	# shellcheck disable=SC2086
	"$CLANG" -g -O1 -std=gnu11 -D_GNU_SOURCE -I"$top/src" -I"$work" \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o "$bin" "$here/fuzz_$t.c" $srcs || {
		echo "SKIP: cannot build with -fsanitize=fuzzer (libFuzzer missing?)"; exit 77; }
	corpus="$work/corpus-$t"
	mkdir -p "$corpus" "$work/crash-$t"
	cp "$here/corpus/$t/"* "$corpus/" 2>/dev/null
	echo "== running fuzz_$t for ${FUZZ_SECONDS}s"
	"$bin" -max_total_time="$FUZZ_SECONDS" -max_len=4200 -timeout=10 \
		-artifact_prefix="$work/crash-$t/" -print_final_stats=1 \
		"$corpus" > "$work/fuzz_$t.log" 2>&1
	rc=$?
	grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|Done [0-9]+ runs)' "$work/fuzz_$t.log" | tail -n 2
	found=0
	for c in "$work/crash-$t"/*; do
		[ -e "$c" ] || continue
		found=1
		mkdir -p "$here/regressions/$t"
		cp "$c" "$here/regressions/$t/"
		echo "CRASH: $t: $c saved to tests/fuzz/regressions/$t/$(basename "$c")"
	done
	if [ $rc != 0 ] || [ $found = 1 ]; then
		echo "FAIL: fuzz_$t exited $rc; log: $work/fuzz_$t.log"
		tail -n 40 "$work/fuzz_$t.log"
		status=1
	else
		echo "ok - fuzz_$t: no crash in ${FUZZ_SECONDS}s"
	fi
done
[ -n "${FUZZ_WORK:-}" ] || { [ $status = 0 ] && rm -rf "$work"; }
exit $status
