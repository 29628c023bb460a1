#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# Data-plane benchmark (issue 3, point 9). Builds nothing:
#
#     tools/bench/bench-reflector.sh [BUILD_DIR]        (default: build)
#
# 1. compare: twamp-reflector (TWAMP-Light port) and dpdk-testpmd
#    --forward-mode=5tswap, one after the other, REPEATS times each,
#    alternating, on identical input: net_pcap infinite_rx=1 over the same
#    pcap of TWAMP-Test packets, rx_pcap only (net_pcap then gives one TX
#    queue that drops), one worker lcore on CPU 1 (--lcores 0@0,1@1), the
#    same descriptors, burst (32), mbuf count and mbuf cache. Twice: a
#    TWAMP-Light port, and one managed TWAMP session (--bench-sessions 1).
#    Prints Mpps (the best and the median 1-s rate, the first second left
#    out), cycles per packet (busy TSC / packets, as each tool counts it)
#    and the ratio reflector/testpmd.
# 2. scaling: the reflector with --bench-sessions N (N in SESSIONS), fed a
#    pcap of SCALE_PKTS packets spread over the N sessions (mkpcap.py), the
#    same file size for every N (net_pcap's copy cost grows with the file),
#    and testpmd on the same file for reference. Prints Mpps and the ratio
#    to the 1-session rate.
# 3. callgrind (CALLGRIND=1): instructions per packet, exact, of the
#    worker thread of both tools and of twr_worker_burst (inclusive).
#
# Best of REPEATS (highest Mpps, lowest cycles/packet). Other work on the
# machine lowers the figures: the best 1-s rate is the least disturbed
# estimate (no sample can run faster than the code allows), and the load
# average is printed before and after each part.
#
# Environment: RUN_TIME (s, default 10), REPEATS (3), PARTS ("compare
# scaling"), SESSIONS ("1 1000 100000 1000000"), SCALE_PKTS (1000000),
# LIGHT_PKTS (1024), SCALE_TESTPMD (1), CALLGRIND (0), LCORES (0@0,1@1),
# HUGE (0: --no-huge; 1: 2 MiB hugepages, already reserved, mounted in a
# private mount namespace for each run), MEM (MiB, default: 1024 compare,
# 8192 scaling without hugepages, 4096 with), TESTPMD (dpdk-testpmd),
# WORK (directory for pcaps and logs; default a temporary one, removed).
set -eu

BUILD=${1:-build}
REFLECTOR=$BUILD/app/twamp-reflector/twamp-reflector
TESTPMD=${TESTPMD:-dpdk-testpmd}
RUN_TIME=${RUN_TIME:-10}
REPEATS=${REPEATS:-3}
PARTS=${PARTS:-compare scaling}
SESSIONS=${SESSIONS:-1 1000 100000 1000000}
SCALE_PKTS=${SCALE_PKTS:-1000000}
LIGHT_PKTS=${LIGHT_PKTS:-1024}
SCALE_TESTPMD=${SCALE_TESTPMD:-1}
CALLGRIND=${CALLGRIND:-0}
LCORES=${LCORES:-0@0,1@1}
HUGE=${HUGE:-0}
MEM=${MEM:-}
LIGHT_PORT=862
# Identical port setup for both tools (the reflector's own defaults).
RXD=1024
TXD=1024
MBCACHE=256
# The reflector's default pool: rxd + txd + cache * 2 lcores + 4096 slack.
BASE_MBUFS=6656

here=$(cd "$(dirname "$0")" && pwd)
MKPCAP=$here/mkpcap.py

if [ ! -x "$REFLECTOR" ]; then
	echo "bench-reflector: no $REFLECTOR (build first: ninja -C $BUILD)" >&2
	exit 1
fi
command -v "$TESTPMD" >/dev/null || {
	echo "bench-reflector: $TESTPMD not found (Debian: dpdk-dev)" >&2
	exit 1
}

# The data plane alone: no exception-path TAP (it would create a kernel
# interface) and no TWAMP-Control server, where the reflector has them.
REFLECTOR_OPTS=()
for o in --no-tap --no-control; do
	if grep -qa -- "$o" "$REFLECTOR"; then
		REFLECTOR_OPTS+=("$o")
	fi
done

own_work=0
if [ -z "${WORK:-}" ]; then
	WORK=$(mktemp -d /tmp/bench-reflector.XXXXXX)
	own_work=1
fi
mkdir -p "$WORK"
PIDS=""
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
	if [ "$own_work" = 1 ]; then
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Unique EAL file prefix and log per run: parallel runs (CI, colleagues) do not collide.
RUN_N=0
next_run() { # name
	RUN_N=$((RUN_N + 1))
	PREFIX=bench$$-$RUN_N
	LOG=$WORK/$1.$RUN_N.log
}

# EAL memory arguments for MEM MiB.
eal_mem() {
	if [ "$HUGE" = 1 ]; then
		echo "--huge-dir $WORK/huge --huge-unlink -m $1"
	else
		echo "--no-huge -m $1"
	fi
}

# Run "$@" in the background (hugepages: in a private mount namespace with
# hugetlbfs on $WORK/huge), output to $LOG; sets PID.
start() {
	if [ "$HUGE" = 1 ]; then
		mkdir -p "$WORK/huge"
		# shellcheck disable=SC2016
		unshare -m --propagation private sh -c \
			'mount -t hugetlbfs -o pagesize=2M none "$0" && exec "$@"' \
			"$WORK/huge" "$@" >"$LOG" 2>&1 &
	else
		"$@" >"$LOG" 2>&1 &
	fi
	PID=$!
	PIDS="$PIDS $PID"
}

# Wait for PID; after LIMIT seconds send SIGINT, and SIGKILL if it has not
# ended 120 s later (freeing a million mbufs on a loaded machine is slow).
finish() {
	local limit=$1 t=0
	while kill -0 "$PID" 2>/dev/null; do
		if [ "$t" -eq "$limit" ]; then
			kill -INT "$PID" 2>/dev/null || true
		elif [ "$t" -ge $((limit + 120)) ]; then
			kill -KILL "$PID" 2>/dev/null || true
			break
		fi
		sleep 1
		t=$((t + 1))
	done
	wait "$PID" 2>/dev/null || true
	PIDS=${PIDS/ $PID/}
}

# Wait until LOG has N lines matching PATTERN (or PID died, or LIMIT s).
wait_lines() {
	local pattern=$1 n=$2 limit=$3 t=0 c
	while kill -0 "$PID" 2>/dev/null && [ "$t" -lt "$limit" ]; do
		c=$(grep -c "$pattern" "$LOG" 2>/dev/null) || c=0
		if [ "$c" -ge "$n" ]; then
			return 0
		fi
		sleep 1
		t=$((t + 1))
	done
	return 1
}

# Highest and median of the per-second packet counts on stdin (one per
# line), in Mpps: "MAX MEDIAN", "- -" if none.
rates_m() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f\n", v[NR] / 1e6, m / 1e6 }'
}

# One reflector run. Args: pcap, mem, mbufs, extra reflector options...
# Sets RES="MAX MEDIAN CYCLES_PER_PKT": the best and the median 1-s rate
# (Mpps, per-second deltas of the STATS lines' rx, the first second left
# out) and busy cycles per packet (the WORKER line).
run_reflector() {
	local pcap=$1 mem=$2 mbufs=$3
	shift 3
	next_run reflector
	# shellcheck disable=SC2046
	start "$REFLECTOR" --no-pci $(eal_mem "$mem") --lcores "$LCORES" \
		--file-prefix "$PREFIX" --log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" -- \
		--address 198.18.0.2/24 --rxd $RXD --txd $TXD --mbufs "$mbufs" \
		--stats-period 1 --run-time "$RUN_TIME" "${REFLECTOR_OPTS[@]}" "$@"
	finish $((RUN_TIME + 600))
	RES="- - -"
	if ! grep -q '^WORKER' "$LOG"; then
		echo "bench-reflector: reflector run failed, log $LOG:" >&2
		tail -5 "$LOG" >&2
		return 0
	fi
	local mpps cpp
	mpps=$(sed -n 's/^STATS rx=\([0-9]*\) .*/\1/p' "$LOG" |
		awk 'NR > 1 { print $1 - prev } { prev = $1 }' | rates_m)
	cpp=$(sed -n 's/^WORKER .*cycles_per_pkt=\([0-9.]*\).*/\1/p' "$LOG" | head -1)
	if [ "$mpps" = "- -" ]; then
		# Too short for two STATS lines: the worker's own average over its run.
		mpps=$(sed -n 's/^WORKER .* mpps=\([0-9.]*\).*/\1 \1/p' "$LOG" | head -1)
	fi
	RES="$mpps $cpp"
}

# One testpmd 5tswap run. Args: pcap, mem, mbufs. Sets RES="MAX MEDIAN
# CYCLES_PER_PKT" (the per-second Rx-pps after the first; testpmd's
# --record-core-cycles figure).
run_testpmd() {
	local pcap=$1 mem=$2 mbufs=$3
	next_run testpmd
	# shellcheck disable=SC2046
	start "$TESTPMD" --no-pci $(eal_mem "$mem") --lcores "$LCORES" \
		--file-prefix "$PREFIX" --log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" -- \
		--forward-mode=5tswap --nb-cores=1 --rxq=1 --txq=1 --burst=32 \
		--rxd=$RXD --txd=$TXD --mbcache=$MBCACHE --total-num-mbufs="$mbufs" \
		--stats-period 1 --record-core-cycles
	# Samples come once a second once forwarding runs: stop after RUN_TIME of them.
	wait_lines 'Rx-pps' $((RUN_TIME + 1)) $((RUN_TIME + 600)) || true
	finish 0
	RES="- - -"
	if ! grep -q 'cycles/packet' "$LOG"; then
		echo "bench-reflector: testpmd run failed, log $LOG:" >&2
		tail -5 "$LOG" >&2
		return 0
	fi
	local mpps cpp
	mpps=$(sed -n 's/^ *Rx-pps: *\([0-9]*\).*/\1/p' "$LOG" | tail -n +2 | rates_m)
	cpp=$(sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' "$LOG" | tail -1)
	RES="$mpps $cpp"
}

# Best of a list of "MAX MEDIAN CPP" lines: highest of each rate, lowest cycles.
best() {
	awk '$1 != "-" { if ($1 > m) m = $1; if ($2 > d) d = $2; if (c == "" || $3 < c) c = $3 }
		END { if (m == "") print "- - -"; else printf "%.3f %.3f %.2f\n", m, d, c }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-";
		else printf "%.2f\n", a / b }'
}

load() {
	echo "load: $(uptime | sed 's/.*load average/load average/')"
}

opts=$(python3 -c 'import json, sys
o = {x["name"]: x["value"] for x in json.load(open(sys.argv[1]))}
print("buildtype=%s native=%s" % (o.get("buildtype"), o.get("native")))' \
	"$BUILD/meson-info/intro-buildoptions.json" 2>/dev/null || echo "options unknown")
echo "bench-reflector: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs," \
	"$(lscpu | sed -n 's/^Model name: *//p'), TSC nominal" \
	"$(awk '/^cpu MHz/ { print $4; exit }' /proc/cpuinfo) MHz"
echo "bench-reflector: $REFLECTOR ($opts), DPDK $(pkg-config --modversion libdpdk \
	2>/dev/null || echo '?'), $TESTPMD, runs of $RUN_TIME s, best of $REPEATS," \
	"$([ "$HUGE" = 1 ] && echo 'hugepages (2 MiB)' || echo '--no-huge (4 KiB pages)')"

# compare_pair LABEL PCAP REFLECTOR-OPTIONS...: REPEATS alternating runs of
# the reflector and testpmd on PCAP; prints the runs and two table rows.
compare_pair() {
	local label=$1 pcap=$2 i r_all="" t_all="" rm rd rc tm td tc
	shift 2
	for i in $(seq "$REPEATS"); do
		run_reflector "$pcap" "$mem" $BASE_MBUFS "$@"
		r_all="$r_all$RES"$'\n'
		echo "  run $i: reflector $RES" >&2
		run_testpmd "$pcap" "$mem" $BASE_MBUFS
		t_all="$t_all$RES"$'\n'
		echo "  run $i: testpmd   $RES" >&2
	done
	read -r rm rd rc <<<"$(printf '%s' "$r_all" | best)"
	read -r tm td tc <<<"$(printf '%s' "$t_all" | best)"
	ROWS="$ROWS$(printf '%-34s %9s %9s %11s %7s' "twamp-reflector, $label" "$rm" "$rd" \
		"$rc" "$(ratio "$rm" "$tm")")"$'\n'
	ROWS="$ROWS$(printf '%-34s %9s %9s %11s' "dpdk-testpmd 5tswap, same pcap" "$tm" "$td" \
		"$tc")"$'\n'
}

case " $PARTS " in
*" compare "*)
	mem=${MEM:-1024}
	echo
	echo "== compare: $LIGHT_PKTS TWAMP packets (83 octets) per pcap, net_pcap infinite_rx," \
		"1 worker, Mpps best and median 1-s rate (first second left out)," \
		"cycles/pkt = busy TSC / packets"
	load
	pcap=$WORK/light.pcap
	python3 "$MKPCAP" "$pcap" --light $LIGHT_PORT --count "$LIGHT_PKTS" >/dev/null
	ROWS=""
	echo "  (runs: best-1s median-1s cycles/pkt)"
	compare_pair "TWAMP-Light" "$pcap" --light-port $LIGHT_PORT 2>&1
	pcap=$WORK/session-1.pcap
	python3 "$MKPCAP" "$pcap" --sessions 1 --count "$LIGHT_PKTS" >/dev/null
	compare_pair "1 TWAMP session" "$pcap" --bench-sessions 1 2>&1
	printf '%-34s %9s %9s %11s %7s\n' "" "best Mpps" "median" "cycles/pkt" "ratio"
	printf '%s' "$ROWS"
	echo "ratio = reflector / testpmd 5tswap (best 1-s Mpps); target >= 0.8"
	load
	;;
esac

case " $PARTS " in
*" scaling "*)
	mbufs=$((SCALE_PKTS + BASE_MBUFS))
	if [ "$HUGE" = 1 ]; then mem=${MEM:-4096}; else mem=${MEM:-8192}; fi
	echo
	echo "== scaling: managed TWAMP sessions, $SCALE_PKTS packets spread over them" \
		"(same file size for every N), $mbufs mbufs, -m $mem"
	load
	printf '%-9s %9s %9s %11s %6s | %9s %11s %7s\n' sessions "best Mpps" median \
		cycles/pkt "vs 1" "testpmd" cycles/pkt "refl/tp"
	base=""
	for n in $SESSIONS; do
		pcap=$WORK/sessions-$n.pcap
		python3 "$MKPCAP" "$pcap" --sessions "$n" --count "$SCALE_PKTS" >/dev/null
		max=$((n + 1024))
		[ "$max" -ge 65536 ] || max=65536
		r_all=""
		t_all=""
		for _ in $(seq "$REPEATS"); do
			run_reflector "$pcap" "$mem" "$mbufs" --bench-sessions "$n" \
				--max-sessions "$max"
			r_all="$r_all$RES"$'\n'
			if [ "$SCALE_TESTPMD" = 1 ]; then
				run_testpmd "$pcap" "$mem" "$mbufs"
				t_all="$t_all$RES"$'\n'
			fi
		done
		read -r rm rd rc <<<"$(printf '%s' "$r_all" | best)"
		read -r tm td tc <<<"$(printf '%s' "$t_all" | best)"
		[ -n "$base" ] || base=$rm
		printf '%-9s %9s %9s %11s %6s | %9s %11s %7s\n' "$n" "$rm" "$rd" "$rc" \
			"$(ratio "$rm" "$base")" "${tm:--}" "${tc:--}" "$(ratio "$rm" "${tm:--}")"
		rm -f "$pcap"
	done
	echo "vs 1 = best 1-s Mpps / the 1-session one; target: 1M sessions >= 0.7"
	load
	;;
esac

# Instructions per packet under callgrind (exact; valgrind runs ~50x slower).
# The busiest thread's file of callgrind output $1 (the worker lcore): "IR FILE".
cg_thread_ir() {
	local f best_f="" best_ir=0 ir
	for f in "$1"-*; do
		ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f" | head -1)
		if [ -n "$ir" ] && [ "$ir" -gt "$best_ir" ]; then
			best_ir=$ir
			best_f=$f
		fi
	done
	echo "$best_ir $best_f"
}

# The reflector under callgrind. Args: name, pcap, reflector options...
cg_reflector() {
	local name=$1 pcap=$2 out rx thr f burst
	shift 2
	next_run "cg-$name"
	out=$WORK/cg-$name.$RUN_N.out
	start valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
		"$REFLECTOR" --no-pci --no-huge -m 1024 --lcores "$LCORES" \
		--file-prefix "$PREFIX" --log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" -- \
		--address 198.18.0.2/24 --rxd $RXD --txd $TXD --run-time "$CG_TIME" \
		"${REFLECTOR_OPTS[@]}" "$@"
	finish 900
	rx=$(sed -n 's/^WORKER .* rx=\([0-9]*\) .*/\1/p' "$LOG")
	read -r thr f <<<"$(cg_thread_ir "$out")"
	if [ -z "$rx" ] || [ "$rx" = 0 ] || [ -z "$f" ]; then
		echo "bench-reflector: callgrind run $name failed, log $LOG" >&2
		return 0
	fi
	burst=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
		sed -n 's/^ *\([0-9,]*\) .*:twr_worker_burst .*/\1/p' | head -1 | tr -d ,)
	awk -v n="$name" -v rx="$rx" -v t="$thr" -v b="${burst:-0}" 'BEGIN {
		printf "%-18s %9d packets: worker thread %5.0f Ir/pkt, twr_worker_burst %5.0f Ir/pkt\n",
		n, rx, t / rx, b / rx }'
	echo "  inclusive Ir per packet, worker thread (>= 5):"
	callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
		awk -v rx="$rx" '/file:function/ { on = 1; next }
			on && /^ *[0-9,]+ / { v = $1; gsub(",", "", v); if (v / rx < 5) exit;
			fn = $0; sub(/^ *[0-9,]+ \([^)]*\) */, "", fn); sub(/ \[.*/, "", fn);
			sub(/^.*:/, "", fn); printf "    %7.1f  %s\n", v / rx, fn }' | head -30
}

# testpmd under callgrind (stripped: its worker thread only). Args: pcap.
cg_testpmd() {
	local pcap=$1 out rx thr f
	next_run cg-testpmd
	out=$WORK/cg-testpmd.$RUN_N.out
	start valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
		"$TESTPMD" --no-pci --no-huge -m 1024 --lcores "$LCORES" \
		--file-prefix "$PREFIX" --log-level=lib.eal:warning \
		--vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" -- \
		--forward-mode=5tswap --nb-cores=1 --rxd=$RXD --txd=$TXD --mbcache=$MBCACHE \
		--total-num-mbufs=$BASE_MBUFS --stats-period 1
	wait_lines 'Rx-pps' "$CG_TIME" 900 || true
	finish 0
	rx=$(sed -n 's/^ *RX-packets: *\([0-9]*\) *RX-dropped.*/\1/p' "$LOG" | tail -1)
	read -r thr f <<<"$(cg_thread_ir "$out")"
	if [ -z "$rx" ] || [ "$rx" = 0 ] || [ -z "$f" ]; then
		echo "bench-reflector: callgrind run testpmd failed, log $LOG" >&2
		return 0
	fi
	awk -v rx="$rx" -v t="$thr" 'BEGIN {
		printf "%-18s %9d packets: worker thread %5.0f Ir/pkt\n", "testpmd 5tswap", rx,
		t / rx }'
}

if [ "$CALLGRIND" = 1 ]; then
	command -v valgrind >/dev/null || {
		echo "bench-reflector: valgrind not installed" >&2
		exit 1
	}
	CG_TIME=${CG_TIME:-8}
	echo
	echo "== callgrind: instructions per packet, exact ($CG_TIME s under valgrind each)"
	pcap=$WORK/light.pcap
	[ -f "$pcap" ] || python3 "$MKPCAP" "$pcap" --light $LIGHT_PORT --count "$LIGHT_PKTS" >/dev/null
	cg_reflector light "$pcap" --light-port $LIGHT_PORT
	cg_testpmd "$pcap"
	pcap=$WORK/cg-sessions-1.pcap
	python3 "$MKPCAP" "$pcap" --sessions 1 --count "$LIGHT_PKTS" >/dev/null
	cg_reflector twamp-1-session "$pcap" --bench-sessions 1
fi
