#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Style and static checks CI runs: clang-format (the repository's
# .clang-format), cppcheck on the libraries and tools, shellcheck on the
# scripts. Prints "N passed, N failed", one per check.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

passed=0
failed=0
check() {
	name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "check-style: $name FAILED"
		failed=$((failed + 1))
	fi
}

csrc=$(git ls-files '*.c' '*.h')
# shellcheck disable=SC2086,SC2046
check clang-format clang-format --dry-run --Werror $csrc
# shellcheck disable=SC2086,SC2046
check cppcheck cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	--std=c11 --inline-suppr -Ilib/proto $(git ls-files 'lib/*.c' 'tools/*.c')
# shellcheck disable=SC2086,SC2046
check shellcheck shellcheck $(git ls-files '*.sh') .ci/run

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
