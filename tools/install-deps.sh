#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Install every Debian 12 package the project builds, tests and runs with.
# Idempotent: does nothing when all are present. Needs root.
set -eu

PKGS="build-essential meson ninja-build pkg-config python3 python3-pyelftools
 dpdk dpdk-dev libdpdk-dev libbsd-dev check libssl-dev libpcap-dev
 clang libclang-rt-14-dev clang-format cppcheck shellcheck
 tcpdump tshark iproute2 iputils-ping ethtool nftables"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing; run as root" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
