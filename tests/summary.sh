#!/bin/sh
# summary.sh - one closing line for the automake test logs of build trees:
#   "tests: N passed, N failed, N skipped"
# This file is part of crossroot.  SPDX-License-Identifier: LGPL-2.1-or-later
pass=0 failn=0 skipn=0
for dir in "$@"; do
	for trs in $(find "$dir" -name '*.trs' 2>/dev/null); do
		r=$(sed -n 's/^:test-result: //p' "$trs")
		case "$r" in
			PASS|XFAIL) pass=$((pass + 1)) ;;
			SKIP) skipn=$((skipn + 1)); sed -n 's/^SKIP: /  skipped: /p' "${trs%.trs}.log" ;;
			*) failn=$((failn + 1)); echo "  failed: $trs" ;;
		esac
	done
done
echo "tests: $pass passed, $failn failed, $skipn skipped"
[ "$failn" = 0 ]
