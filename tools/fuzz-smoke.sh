#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build the libFuzzer harnesses (clang, ASan+UBSan) and run each on its
# committed seed corpus for a bounded time. Any crash, leak or sanitizer
# report fails the run; the input that caused it lands in
# build-fuzz/artifacts/. Ends with "N passed, N failed" (one per harness).
#
#   tools/fuzz-smoke.sh [SECONDS_PER_HARNESS]   (default 60)
set -eu

secs=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/install-deps.sh

b=build-fuzz
if [ ! -f "$b/build.ninja" ]; then
	CC=clang meson setup "$b" -Dfuzz=true -Dsanitizers=address,undefined \
		-Db_lundef=false -Dtests=disabled -Dwerror=true
fi
ninja -C "$b"

mkdir -p "$b/artifacts"
passed=0
failed=0
for corpus in tests/fuzz/corpus/*/; do
	name=$(basename "$corpus")
	exe="$b/tests/fuzz/fuzz-$name"
	work="$b/corpus-$name"
	mkdir -p "$work"
	echo "fuzz-$name: ${secs}s on $corpus"
	# New inputs go to $work; the committed corpus is only read.
	if "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$b/artifacts/$name-" -print_final_stats=1 \
		"$work" "$corpus" >"$b/fuzz-$name.log" 2>&1; then
		passed=$((passed + 1))
		grep -E '^stat::number_of_executed_units' "$b/fuzz-$name.log" || true
	else
		failed=$((failed + 1))
		echo "fuzz-$name FAILED:"
		tail -n 40 "$b/fuzz-$name.log"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
