#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command: install what is missing, build with warnings
# as errors, run every test, end with "N passed, N failed".
#
#   tools/test.sh                 release-style build in build/
#   tools/test.sh --sanitize      ASan+UBSan build in build-san/
#   TWR_TEST_ARGS="proto-time"    run only the named meson tests
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

builddir=build
setup_args="-Dwerror=true"
if [ "${1:-}" = "--sanitize" ]; then
	builddir=build-san
	# clang: its runtime reports UBSan and ASan in one place, like the fuzzers.
	setup_args="$setup_args -Dsanitizers=address,undefined -Db_lundef=false"
	export CC=clang
fi

tools/install-deps.sh

if [ ! -f "$builddir/build.ninja" ]; then
	# shellcheck disable=SC2086
	meson setup "$builddir" $setup_args
else
	# shellcheck disable=SC2086
	meson configure "$builddir" $setup_args
fi
ninja -C "$builddir"

rc=0
# shellcheck disable=SC2086
meson test -C "$builddir" --print-errorlogs ${TWR_TEST_ARGS:-} || rc=$?
tools/test-summary.sh "$builddir/meson-logs/testlog.txt"
exit $rc
