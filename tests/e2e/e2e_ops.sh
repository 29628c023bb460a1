#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# End to end, the operations interfaces: the telemetry endpoints read with
# the stock dpdk-telemetry.py, the CLI (-i through a pipe, --cmdline-file)
# with its exact output, and the Prometheus exporter
# (tools/prometheus/twamp-exporter.py). Each case gets its own test bed
# (tools/testbed) and reflector: one worker on net_af_packet, 198.18.0.2/24,
# TWAMP-Light on 862 and stateful STAMP on 863 (--light-port 863,stamp,
# stateful), EAL telemetry on (its socket /var/run/dpdk/PREFIX/
# dpdk_telemetry.v2). ops_check.py holds the telemetry and exposition checks.
#
# Cases:
#   telemetry  known traffic: one full TWAMP session of 100 packets (kept
#              installed, draining: --stop-timeout 30), 50 TWAMP-Light
#              packets to 862, 40 STAMP packets to 863; then every
#              endpoint: /twamp/stats reflected = 190 and nothing dropped,
#              the sums of /twamp/lcores, /twamp/ports against them, the
#              session's row (/twamp/sessions, /twamp/session,ID,
#              /twamp/nat,ID), no NAT activity, /twamp/control (1 connection,
#              1 session, its bytes), /twamp/clock (TSC rate, Error Estimate
#              as in the replies), /twamp/flows (the two flows, their
#              counts), /twamp/info; bad parameters answer null; once
#              the session has been silent for 2^64 / 1e9 TSC cycles (7.1 s
#              at 2.6 GHz), its last_rx_unix_ns has not moved.
#   cli-pipe   -i with stdin a FIFO kept open: commands in batches (each
#              waited for), 20 TWAMP-Light packets refused by an allow-list
#              (source_not_allowed), "clear stats", an operator's "stop
#              session" of a running TWAMP session (its later packets
#              session_expired), "quit". The transcript up to the stop is
#              compared whole with golden/cli-pipe.txt; show stats, ports,
#              flows, nat, control, info and sessions, and after the stop
#              show sessions, session 1, nat 1, lcores and clock (SIDs,
#              ports, times, cycles) are compared with telemetry read at
#              once: the same keys, order, values and table rows.
#   cli-file   --cmdline-file golden/cli-file.cmd (its output compared with
#              golden/cli-file.txt), then traffic showing the file's
#              changes took effect: light ports added and removed, an
#              allow-list, the NAT policy of the next session.
#   cli-stdin  -i with commands then end of input: "show control" after
#              "clear stats" keeps the gauges (listeners 1), and the end of
#              input stops the reflector by itself (status 0, FINAL lines).
#   exporter   twamp-exporter.py --once after known traffic, 5 of it from a
#              source other than the session's (source_mismatch): the
#              exposition parses (HELP/TYPE/samples, no duplicate series),
#              twamp_reflector_up 1, the reflected counter and every reason's
#              series equal /twamp/stats, the NAT series /twamp/nat; with no
#              reflector, twamp_reflector_up 0 alone. SKIP when the exporter
#              is not there.
#
# The CLI's golden files hold exact output, except for what changes from
# run to run or build to build, masked in the actual output (mask_cli)
# before the comparison, and written so in the golden files:
#   - the "\r" ending the echo of every command line: removed;
#   - show info's version (checked against meson.build by case telemetry),
#     pid, uptime_s and start_unix_ns: "<masked>";
#   - show stats rates' interval and rates: "over <T> s:", "KEY <R>/s".
# Everything else is deterministic: the CLI beds have static neighbour
# entries (no ARP through the reflector), the client's IPv6 is off, so
# only the test's own packets reach the reflector while counters are shown.
# Regenerate a golden file after an intended change with E2E_OPS_BLESS=1
# (the masked actual output is copied over it; review the diff).
#
# usage: e2e_ops.sh TWAMP_REFLECTOR TWAMP_PING [CASE...]
# Exit 0 all passed, 1 a failure, 77 skipped (not root, no `ip netns`, no
# TUN, no dpdk-telemetry.py). E2E_KEEP=1 keeps the logs directory (kept on
# failure anyway).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=e2e_lib.sh source-path=SCRIPTDIR
. "$here/e2e_lib.sh"
e2e_args "telemetry cli-pipe cli-file cli-stdin exporter" "$@"
e2e_require "network namespaces, af_packet, TAP, DPDK telemetry" tun python3 ethtool \
	dpdk-telemetry.py
e2e_workdir e2e-ops

golden="$here/golden"
ops="$here/ops_check.py"
exporter="$here/../../tools/prometheus/twamp-exporter.py"
meson_build="$here/../../meson.build"
# What reaches the kernel through the TAP: ARP (not_ip), TCP (not_udp).
EXC_REASONS="not_ip,not_udp"

# ops_start NAME STDIN [reflector options]: the reflector in DUT_NS with
# stdin from STDIN (a FIFO: opened for writing here, on fd CLI_FD), stdout
# (READY, the CLI, FINAL) in $work/NAME.out = REFL_LOG and stderr (EAL and
# log lines) in $work/NAME.err; waited for (READY, 15 s). Sets REFL_PID
# REFL_LOG REFL_PREFIX, and CLI_FD CLI_SENT with a FIFO.
ops_start() {
	local name=$1 in=$2
	shift 2
	REFL_PREFIX="$tag-$name"
	REFL_LOG="$work/$name.out"
	ip netns exec "$DUT_NS" "$refl_bin" --no-pci --no-huge -m 512 \
		--file-prefix "$REFL_PREFIX" --lcores "$ONE_WORKER" --vdev "$AFP" -- \
		--address $V4/24 --light-port 862 --light-port 863,stamp,stateful "$@" \
		<"$in" >"$REFL_LOG" 2>"$work/$name.err" &
	REFL_PID=$!
	pids+=("$REFL_PID")
	if [ -p "$in" ]; then
		exec {CLI_FD}>"$in"
		CLI_SENT=0
	fi
	for _ in $(seq 150); do
		grep -qs '^READY' "$REFL_LOG" && return 0
		kill -0 "$REFL_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "  reflector did not become ready:"
	cat "$REFL_LOG" "$work/$name.err" | sed 's/^/    | /' | tail -15
	return 1
}

# pycheck SUBCOMMAND ARGS...: ops_check.py; its "ok:"/"FAIL:" lines noted.
pycheck() {
	local out rc l
	out=$(python3 "$ops" "$@" 2>&1)
	rc=$?
	while IFS= read -r l; do
		case "$l" in
		"ok: "*) note_ok "${l#ok: }" ;;
		"FAIL: "*) note_fail "${l#FAIL: }" ;;
		"") ;;
		*) echo "    $l" ;;
		esac
	done <<<"$out"
	[ "$rc" -eq 0 ] || case_ok=0
}

# tel_get ENDPOINT KEY: one value from the telemetry socket.
tel_get() {
	python3 "$ops" get --prefix "$REFL_PREFIX" "$1" "$2" 2>/dev/null
}

# tel_wait ENDPOINT KEY MIN: wait (10 s) until KEY is MIN or more.
tel_wait() {
	local v
	for _ in $(seq 50); do
		v=$(tel_get "$1" "$2")
		[[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge "$3" ] && return 0
		sleep 0.2
	done
	note_fail "$1 $2=${v:-?}, waited for $3 or more"
	return 1
}

# lping LABEL MODE PORT COUNT [twamp-ping options]: TWAMP-Light or STAMP
# (MODE light|stamp) at 100 packets/s, JSON in $work/LABEL.json. Sets TWP_RC.
lping() {
	local label=$1 mode=$2 port=$3 count=$4
	shift 4
	ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode "$mode" -p "$port" \
		-c "$count" -i 0.01 --json "$@" $V4 >"$work/$label.json" 2>"$work/$label.stderr"
	TWP_RC=$?
}

# answered LABEL WANT: the client got WANT replies (a number, or LO-HI).
answered() {
	local got sent lo hi
	got=$(json_get "$1" received)
	sent=$(json_get "$1" sent)
	lo=${2%-*}
	hi=${2#*-}
	if [[ "$got" =~ ^[0-9]+$ ]] && [ "$got" -ge "$lo" ] && [ "$got" -le "$hi" ]; then
		note_ok "$1: $got/$sent answered"
	else
		note_fail "$1: ${got:-?}/${sent:-?} answered, expected $2" \
			"(twamp-ping exit $TWP_RC: $(head -c 200 "$work/$1.stderr"))"
	fi
}

# sess_get LABEL KEY: KEY of the first session of twamp-ping's report.
sess_get() {
	python3 -c 'import json, sys
print((json.load(open(sys.argv[1])).get("sessions") or [{}])[0].get(sys.argv[2], ""))' \
		"$work/$1.json" "$2" 2>/dev/null
}

# final_check REFLECTED [REASON,...]: the FINAL line (e2e_check.py final).
final_check() {
	python3 "$here/e2e_check.py" final --log "$REFL_LOG" --reflected "$1" \
		--allow "$EXC_REASONS${2:+,$2}" --reasons-header "$reasons_h" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
}

# cli_send CMD...: one line each to the prompt; wait (10 s) for the prompt
# after the last one's output.
cli_send() {
	local n
	printf '%s\n' "$@" >&"$CLI_FD"
	CLI_SENT=$((CLI_SENT + $#))
	for _ in $(seq 100); do
		n=$(grep -ao 'twamp> ' "$REFL_LOG" | wc -l)
		[ "$n" -gt "$CLI_SENT" ] && return 0
		sleep 0.1
	done
	note_fail "no prompt after '$*' (prompts: $n, commands: $CLI_SENT)"
	return 1
}

# refl_exited HOW: the reflector ends by itself (10 s) with status 0, FINAL
# printed; else noted and stopped with SIGINT.
refl_exited() {
	local rc
	for _ in $(seq 100); do
		kill -0 "$REFL_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$REFL_PID" 2>/dev/null; then
		note_fail "$1 did not stop the reflector (still running 10 s later; SIGINT)"
		refl_stop
		return 1
	fi
	wait "$REFL_PID"
	rc=$?
	forget_pid "$REFL_PID"
	if [ "$rc" -eq 0 ] && grep -q '^FINAL ' "$REFL_LOG"; then
		note_ok "$1 stopped the reflector: exit 0, FINAL lines printed"
	else
		note_fail "after $1: exit status $rc, FINAL line $(grep -c '^FINAL ' "$REFL_LOG")"
	fi
}

# mask_cli: the masks of the header comment (sed -E), stdin to stdout.
mask_cli() {
	sed -E -e 's/\r$//' \
		-e 's/^(  (version|pid|uptime_s|start_unix_ns) +).*$/\1<masked>/' \
		-e 's/^(  over )[0-9]+\.[0-9]+( s:)$/\1<T>\2/' \
		-e 's/^(  [a-z0-9_]+ +)[0-9]+\.[0-9]+\/s$/\1<R>\/s/'
}

# golden_check NAME: $work/NAME.txt (masked) against golden/NAME.txt, whole.
golden_check() {
	local want="$golden/$1.txt" got="$work/$1.txt"
	if [ -n "${E2E_OPS_BLESS:-}" ]; then
		cp "$got" "$want"
		note_ok "golden/$1.txt written (E2E_OPS_BLESS)"
	elif diff -u "$want" "$got" >"$work/$1.diff"; then
		note_ok "CLI output = golden/$1.txt ($(wc -l <"$got") lines)"
	else
		note_fail "CLI output differs from golden/$1.txt (- expected, + got):"
		sed 's/^/    | /' "$work/$1.diff" | head -40
	fi
}

# The third host's packets of case exporter: TWAMP-sized (41 octets) test
# packets to the session's Receiver Port from another source port of the
# client: not the negotiated Session-Sender (source_mismatch, strict policy).
cat >"$work/mismatch.py" <<'EOF'
import socket, struct, sys, time
addr, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 0))
s.settimeout(0.5)
for seq in range(count):
    s.sendto(struct.pack("!IQH", seq, 0, 0x0001) + bytes(27), (addr, port))
    time.sleep(0.01)
replies = 0
try:
    while True:
        s.recvfrom(2048)
        replies += 1
except socket.timeout:
    pass
print("%d packets from port %d to %s:%d, %d replies" %
      (count, s.getsockname()[1], addr, port, replies))
sys.exit(0 if replies == 0 else 1)
EOF

case_telemetry() {
	local t0 full_end
	case_begin telemetry "every endpoint with dpdk-telemetry.py, against known traffic"
	t0=$(date +%s%N)
	bed_up tel --no-neigh || { note_fail "test bed"; case_end telemetry; return; }
	if ops_start tel /dev/null; then
		twping tel-full 100 0.01 -4 --stop-timeout 30 $V4
		full_end=$(date +%s%N)
		answered tel-full 100
		lping tel-light light 862 50
		answered tel-light 50
		lping tel-stamp stamp 863 40
		answered tel-stamp 40
		pycheck telemetry --prefix "$REFL_PREFIX" --pid "$REFL_PID" \
			--full "$work/tel-full.json" --light "$work/tel-light.json" \
			--stamp "$work/tel-stamp.json" --meson "$meson_build" \
			--reasons-header "$reasons_h" --t0-ns "$t0" --full-end-ns "$full_end" --recheck
		refl_stop
		final_check 190
	else
		note_fail "reflector start"
	fi
	bed_down tel
	case_end telemetry
}

case_cli_pipe() {
	local fifo="$work/pipe.fifo" p got
	case_begin cli-pipe "-i through a pipe, exact output (golden/cli-pipe.txt)"
	bed_up pipe || { note_fail "test bed"; case_end cli-pipe; return; }
	mkfifo "$fifo"
	if ops_start pipe "$fifo" -i; then
		# before any traffic
		cli_send help "show sessions" "show nat" "show flows" "show ports" "show stats" \
			"show control" "show session 5" "show nat 5" "stop session 5"
		# changes, and what refuses them
		cli_send "add light-port 864 stamp stateful" "add allow 864 198.18.0.0/24" \
			"add allow 864 2001:db8::/32" "show info" "del allow 864 198.18.0.0/24" \
			"del allow 864 2001:db8::/32" "show info" "del light-port 864" "del light-port 999" \
			"add light-port 862 light stateless" "add allow 999 198.18.0.0/24" \
			"set nat-policy latch 198.18.5.0/24" "set nat-policy strict" bogus "show bogus" \
			"add allow 862 198.18.9.0/24" "show info" "show stats rates"
		# 20 packets from outside the allow-list of 862: none answered
		lping pipe-light light 862 20 -W 0.5
		answered pipe-light 0
		cli_send "show stats rates" "show stats" "show flows" "show ports" "show nat" \
			"show control" "show info" "show sessions"
		# the CLI and telemetry print the same reports
		pycheck cli-vs-tel --prefix "$REFL_PREFIX" --transcript "$REFL_LOG" --ignore uptime_s \
			"show stats=/twamp/stats" "show ports=/twamp/ports" "show flows=/twamp/flows" \
			"show nat=/twamp/nat" "show control=/twamp/control" "show info=/twamp/info" \
			"show sessions=/twamp/sessions"
		cli_send "clear stats" "show stats"
		# an operator stops a running TWAMP session
		ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode full -c 300 -i 0.01 \
			--stop-timeout 30 --json -4 $V4 >"$work/pipe-full.json" 2>"$work/pipe-full.stderr" &
		p=$!
		pids+=("$p")
		# once it has answered 50 packets (its Start Time is 1 s after Start-Sessions)
		if tel_wait /twamp/session,1 reflected 50; then
			pycheck expect --prefix "$REFL_PREFIX" /twamp/control connections/rows=1 \
				'connections/state=["testing"]' 'connections/sessions=[1]' \
				'connections/requests=[1]' 'connections/accepted=[1]' 'connections/refused=[0]'
			cli_send "stop session 1" "stop session 1"
		fi
		wait "$p"
		TWP_RC=$?
		forget_pid "$p"
		answered pipe-full 50-299
		pycheck expect --prefix "$REFL_PREFIX" /twamp/session,1 stopped_by_operator=1
		pycheck expect --prefix "$REFL_PREFIX" /twamp/control sessions_stopped_by_operator=1 \
			sessions_started=1
		# the transcript so far is exact: golden/cli-pipe.txt
		awk '/^twamp> /{p=1} p{print}' "$REFL_LOG" | sed '$d' | mask_cli >"$work/cli-pipe.txt"
		golden_check cli-pipe
		# what has a SID, ports, times and cycles: the same as telemetry
		cli_send "show sessions" "show session 1" "show nat 1" "show lcores" "show clock"
		pycheck cli-vs-tel --prefix "$REFL_PREFIX" --transcript "$REFL_LOG" \
			--ignore busy_cycles --ignore idle_cycles --ignore loops --ignore offset_ns \
			--ignore max_abs_offset_ns --ignore bracket_ns --ignore updates \
			--ignore last_update_unix_ns --ignore tsc_hz --ignore tsc_ppm \
			--ignore realtime_ppm --ignore maxerror_us --ignore esterror_us \
			--ignore error_bound_ns --ignore last_rx_unix_ns "show sessions=/twamp/sessions" \
			"show session 1=/twamp/session,1" "show nat 1=/twamp/nat,1" \
			"show lcores=/twamp/lcores" "show clock=/twamp/clock"
		printf 'quit\n' >&"$CLI_FD"
		exec {CLI_FD}>&-
		refl_exited quit
		# FINAL counts from start-up ("clear stats" is the CLI's): the 20
		# refused, and the session's packets after "stop session" dropped
		got=$(json_get pipe-full received 0)
		final_check "$got" source_not_allowed,session_expired
		counter_expect FINAL source_not_allowed -eq 20
		counter_expect FINAL session_expired -eq $((300 - got))
	else
		note_fail "reflector start"
		exec {CLI_FD}>&-
	fi
	bed_down pipe
	case_end cli-pipe
}

case_cli_file() {
	local last="light port 999: no such light port" i sender
	case_begin cli-file "--cmdline-file, exact output (golden/cli-file.txt), its changes"
	bed_up file || { note_fail "test bed"; case_end cli-file; return; }
	if ops_start file /dev/null --cmdline-file "$golden/cli-file.cmd"; then
		for i in $(seq 101); do
			grep -qxF "$last" "$REFL_LOG" && break
			sleep 0.1
		done
		[ "$i" -le 100 ] || note_fail "the file's last output line did not come: '$last'"
		awk -v last="$last" 'f{print} /^READY/{f=1} f && $0 == last {exit}' "$REFL_LOG" |
			mask_cli >"$work/cli-file.txt"
		golden_check cli-file
		# what the file changed: 862 allows 198.18.9.0/24 only, 863 is gone,
		# 864 (STAMP) and 865 (Light, allows 198.18.0.0/24) are new.
		lping file-862 light 862 10 -W 0.5
		answered file-862 0
		lping file-863 stamp 863 10 -W 0.5
		answered file-863 0
		lping file-864 stamp 864 10
		answered file-864 10
		lping file-865 light 865 10
		answered file-865 10
		# and the NAT policy of new sessions: latch
		twping file-full 5 0.01 -4 --stop-timeout 30 $V4
		answered file-full 5
		pycheck expect --prefix "$REFL_PREFIX" /twamp/session,1 policy='"latch"'
		# (the NAT table lists the sessions under the latch policy: latched
		# to the negotiated Session-Sender, no NAT here)
		sender="$CLI_ADDR:$(sess_get file-full sender_port)"
		pycheck expect --prefix "$REFL_PREFIX" /twamp/nat sessions/rows=1 \
			'sessions/policy=["latch"]' 'sessions/nat_state=["latched"]' \
			'sessions/cause=["none"]' "sessions/latched=[\"$sender\"]" \
			"sessions/requested=[\"$sender\"]" 'sessions/rx=[5]' 'sessions/reflected=[5]'
		pycheck expect --prefix "$REFL_PREFIX" /twamp/stats reflected=25 \
			source_not_allowed=10 unknown_session=10
		# (in the order they were added: 864 before 865)
		pycheck expect --prefix "$REFL_PREFIX" /twamp/info 'light_ports/port=[862,864,865]' \
			'light_ports/engine=["light","stamp","light"]' 'light_ports/stateful=[0,1,0]' \
			'light_ports/allow=["198.18.9.0/24","any","198.18.0.0/24"]'
		pycheck expect --prefix "$REFL_PREFIX" /twamp/flows flows/rows=2 'flows/rx=[10,10]' \
			'flows/reflected=[10,10]'
		refl_stop
		final_check 25 source_not_allowed,unknown_session
	else
		note_fail "reflector start"
	fi
	bed_down file
	case_end cli-file
}

case_cli_stdin() {
	local fifo="$work/stdin.fifo" ctl
	case_begin cli-stdin "-i, then end of input: gauges after clear stats, the stop"
	bed_up stdin || { note_fail "test bed"; case_end cli-stdin; return; }
	mkfifo "$fifo"
	if ops_start stdin "$fifo" -i; then
		cli_send "clear stats" "show control"
		exec {CLI_FD}>&-
		ctl=$(sed -n '/^twamp> show control/,/^twamp> /p' "$REFL_LOG" | tr -d '\r')
		if grep -qE '^  listeners +1$' <<<"$ctl"; then
			note_ok "show control after clear stats: $(grep -E '^  listeners ' <<<"$ctl")"
		else
			note_fail "show control after clear stats: '$(grep -E '^  listeners ' <<<"$ctl")'," \
				"expected listeners 1 (a gauge: one listener is open)"
		fi
		refl_exited "the end of input"
	else
		note_fail "reflector start"
		exec {CLI_FD}>&-
	fi
	bed_down stdin
	case_end cli-stdin
}

case_exporter() {
	local port out
	if [ ! -f "$exporter" ]; then
		echo "=== exporter: SKIP (no tools/prometheus/twamp-exporter.py)"
		return
	fi
	case_begin exporter "twamp-exporter.py --once against the reflector"
	bed_up exp --no-neigh || { note_fail "test bed"; case_end exporter; return; }
	if ops_start exp /dev/null; then
		twping exp-full 50 0.01 -4 --stop-timeout 30 $V4
		answered exp-full 50
		port=$(sess_get exp-full port)
		if out=$(ip netns exec "$CLI_NS" python3 "$work/mismatch.py" $V4 "${port:-0}" 5 2>&1); then
			note_ok "mismatch: $out"
		else
			note_fail "mismatch: $out"
		fi
		lping exp-light light 862 30
		answered exp-light 30
		pycheck expect --prefix "$REFL_PREFIX" /twamp/nat sessions_mismatch=1 mismatch_port=5 \
			sessions/rows=1 'sessions/cause=["port-rewriting-nat"]' 'sessions/mismatch_port=[5]'
		pycheck prom --prefix "$REFL_PREFIX" --exporter "$exporter" \
			--reasons-header "$reasons_h" --out "$work/exp.prom" --source-mismatch 5
		refl_stop
		final_check 80 source_mismatch
	else
		note_fail "reflector start"
	fi
	bed_down exp
	case_end exporter
}

e2e_main e2e-ops
