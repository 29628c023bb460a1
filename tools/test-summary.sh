#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Sum the "N passed, N failed" lines every test prints (meson's testlog.txt)
# into one line. A test that exits non-zero without reporting a failure of
# its own (a crash, a timeout, a script error) counts as one failure, so a
# crash can never make the total look better.
set -eu
log=$1
awk '
function close_block() {
	if (inblock && bad && !reported_fail)
		f++
	inblock = 0
}
/^=+ [0-9]+\/[0-9]+ =+$/ { close_block(); inblock = 1; bad = 0; reported_fail = 0 }
/^result: / { bad = ($0 !~ /exit status 0$/) && ($0 !~ /exit status 77$/) }
/^ *[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3; if ($3 > 0) reported_fail = 1 }
END { close_block(); printf "%d passed, %d failed\n", p, f }
' "$log"
