#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The README's main-job command: install, build, start the reflector on its
# embedded default (a virtual test bed in network namespaces) and print a
# measured TWAMP session.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build -Dwerror=true
ninja -C build
if [ ! -x build/app/twamp-reflector/twamp-reflector ]; then
	echo "demo: the data plane (issue 3) has not landed yet: nothing to run."
	echo "demo: the protocol library is built and tested; run tools/test.sh."
	exit 0
fi
