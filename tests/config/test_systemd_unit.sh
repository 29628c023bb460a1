#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# config/twamp-reflector.service: `systemd-analyze verify` on a copy whose
# ExecStart= and ExecStartPre= run the built binary on
# config/twamp-reflector.ini (verify checks that they are executables), then
# the copy's ExecStartPre= command line itself (--check-config: exit 0).
# Exits 77 (skipped) where systemd-analyze is missing or cannot verify a
# trivial unit (some containers).
#
# usage: test_systemd_unit.sh TWAMP_REFLECTOR SOURCE_ROOT
# Ends with "N passed, N failed".
set -u
bin=${1:?usage: $0 TWAMP_REFLECTOR SOURCE_ROOT}
top=${2:?usage: $0 TWAMP_REFLECTOR SOURCE_ROOT}
# systemd wants absolute paths
top=$(cd "$top" && pwd)
case $bin in
/*) ;;
*) bin=$PWD/$bin ;;
esac
unit=$top/config/twamp-reflector.service
ini=$top/config/twamp-reflector.ini

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: no systemd-analyze"
	exit 77
fi
work=$(mktemp -d /tmp/twr-unit.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Service]\nExecStart=/bin/true\n' >"$work/probe.service"
if ! systemd-analyze verify "$work/probe.service" >"$work/probe.log" 2>&1 ||
	[ -s "$work/probe.log" ]; then
	echo "SKIP: systemd-analyze verify does not work here:"
	sed 's/^/  /' "$work/probe.log"
	exit 77
fi

passed=0
failed=0
result() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok   $2"
	else
		failed=$((failed + 1))
		echo "FAIL $2"
	fi
}

# The unit's name stays: verify reads the service name from the file name.
copy=$work/twamp-reflector.service
sed -e "s|/usr/bin/twamp-reflector|$bin|g" \
	-e "s|/etc/twamp-reflector/twamp-reflector.ini|$ini|g" "$unit" >"$copy"

systemd-analyze verify "$copy" >"$work/verify.log" 2>&1
rc=$?
sed 's/^/  verify: /' "$work/verify.log"
# exit 0 and not a word: a misspelt key is only a warning
if [ "$rc" = 0 ] && ! [ -s "$work/verify.log" ]; then r=0; else r=1; fi
result "$r" "systemd-analyze verify"

# What the unit promises: stop by SIGINT (the FINAL counters), the check
# before the start, locked memory for DPDK.
r=0
for line in "KillSignal=SIGINT" "Restart=on-failure" "LimitMEMLOCK=infinity" "Type=simple" \
	"After=network.target" \
	"ExecStartPre=/usr/bin/twamp-reflector --check-config /etc/twamp-reflector/twamp-reflector.ini" \
	"ExecStart=/usr/bin/twamp-reflector --config /etc/twamp-reflector/twamp-reflector.ini"; do
	if ! grep -qxF "$line" "$unit"; then
		echo "  missing: $line"
		r=1
	fi
done
result "$r" "unit directives"

# The copy's ExecStartPre= command, as systemd would run it.
pre=$(sed -n 's/^ExecStartPre=//p' "$copy")
# shellcheck disable=SC2086 # the command line, split as systemd splits it
$pre >"$work/pre.log" 2>&1
rc=$?
sed 's/^/  ExecStartPre: /' "$work/pre.log"
if [ "$rc" = 0 ] && grep -qxF "$ini: OK" "$work/pre.log"; then r=0; else r=1; fi
result "$r" "ExecStartPre (--check-config)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
