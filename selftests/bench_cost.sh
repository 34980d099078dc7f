#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost benchmark, run inside the VM by `make bench-cost`: what a round
# and a received datagram cost one instance as its peer list grows, from
# the kernel's own round_ns and rx_ns counters, and how late its rounds
# fire at a few intervals (round_late_p50_us, _p99_us, _max_us).
#
#   n2 n3 n4: helpers, fanout 3, each with the three others as its peers:
#       |     every round each sends to n1 (what n1 receives and answers)
#       |     and to the other two, so that what n1 receives does not
#       |     depend on how often n1 picks them
#      br0 (hub)
#       |
#   n1: the instance measured, pushpull, fanout 3. Its peers: P addresses
#       of 10.200.0.0/16, routed through a veth (eth1) to a sink namespace
#       that drops them (no forwarding): every send takes the same path
#       whatever the peer, and what n1 receives (the helpers' rounds, which
#       it answers to their source) does not depend on P.
#
# For each P of GOSSIP_COST_PEERS (default 16 256 1024), two phases of
# GOSSIP_COST_WINDOWS (5) windows of GOSSIP_COST_SECONDS (2) at
# GOSSIP_COST_INTERVAL ms (default 50):
#   idle  the store fixed (64 entries per helper, cold): rounds carry
#         digests, received datagrams are digests to answer;
#   busy  all along, each helper rewrites its 64 keys once a second (the
#         store keeps its size): n1 receives and applies them, and its
#         rounds carry full datagrams of hot entries.
# The sizes are measured GOSSIP_COST_CYCLES (2) times, in turn, so that a
# change of the host's load shows as a difference between cycles, not
# between sizes.
# Prints ns per round (round_ns / rounds) and per received datagram
# (rx_ns / rx_dgrams), median and minimum over the windows (the VM's vCPUs
# are host threads: a window the host preempted them in only grows), then
# the lateness at the intervals of
# GOSSIP_COST_LATE_MS (default 1 10 200), GOSSIP_COST_LATE_SECONDS (5)
# each, 16 peers. Writes cost.csv and lateness.csv to $GOSSIP_SCRATCH.

source "$(dirname "$0")/lib.sh"

PEERS=${GOSSIP_COST_PEERS:-16 256 1024}
SECS=${GOSSIP_COST_SECONDS:-2}
WINDOWS=${GOSSIP_COST_WINDOWS:-5}
CYCLES=${GOSSIP_COST_CYCLES:-2}
INTERVAL=${GOSSIP_COST_INTERVAL:-50}
LATE_MS=${GOSSIP_COST_LATE_MS:-1 10 200}
LATE_SECS=${GOSSIP_COST_LATE_SECONDS:-5}
KEYS=64
OUT=${GOSSIP_SCRATCH:-/tmp}
SINK="$NS_PREFIX-sink"

require_root
load_module || exit 1
trap cleanup EXIT

CLUSTER_N=4
hub_create
for ((i = 1; i <= CLUSTER_N; i++)); do
	node_create "$i" || exit 1
done
ip netns add "$SINK"
ip -n "$(node_ns 1)" -b - <<-EOF || exit 1
	link add eth1 type veth peer name eth0 netns $SINK
	addr add 10.201.0.1/30 dev eth1
	link set eth1 up
	route add 10.200.0.0/16 via 10.201.0.2 dev eth1
EOF
ip -n "$SINK" -b - <<-EOF || exit 1
	link set lo up
	addr add 10.201.0.2/30 dev eth0
	link set eth0 up
EOF
ip netns exec "$SINK" sysctl -qw net.ipv4.ip_forward=0

# fake_addr K: the K-th address that leads to the sink (K >= 1).
fake_addr() { echo "10.200.$(($1 / 250)).$(($1 % 250 + 1))"; }

for ((i = 2; i <= CLUSTER_N; i++)); do
	{
		echo "set mode pushpull fanout 3 interval $INTERVAL"
		for ((j = 1; j <= CLUSTER_N; j++)); do
			[ "$i" -eq "$j" ] || echo "peer add $(node_addr "$j"):7946"
		done
		echo up
	} | gadm "$i" -b - || exit 1
done
gadm 1 set mode pushpull fanout 3 interval "$INTERVAL" || exit 1

# publish_keys I ROUND: helper I writes its KEYS keys, values of ROUND.
publish_keys() {
	local k
	for ((k = 1; k <= KEYS; k++)); do
		printf 'publish h%s-k%s %s-%s-%064d\n' "$1" "$k" "$2" "$k" 0
	done | gadm "$1" -b - >/dev/null
}

n1_has() { [ "$(sysstat 1 entries)" -ge $(((CLUSTER_N - 1) * KEYS)) ]; }

# set_peers P: n1's peers are P sink addresses.
set_peers() {
	local p=$1 k
	{
		gadm 1 peer show | awk 'NR > 1 { print "peer del " $1 }'
		for ((k = 1; k <= p; k++)); do
			echo "peer add $(fake_addr "$k"):7946"
		done
	} | gadm 1 -b - >/dev/null
}

STATS="rounds round_ns rx_dgrams rx_ns tx_dgrams tx_bytes rumors_applied tx_errors"

# snap: n1's counters of $STATS, on one line, read by one process.
snap() {
	local f files=()
	for f in $STATS; do
		files+=("/sys/class/gossip/gossip/stats/$f")
	done
	on 1 cat "${files[@]}" | tr '\n' ' '
}

# busy_start: each helper rewrites its keys once a second until
# busy_stop: n1 applies entries all along and its rounds push them.
busy_start() {
	rm -f "$OUT/busy.stop"
	(
		g=$gen
		until [ -e "$OUT/busy.stop" ]; do
			g=$((g + 1))
			for ((i = 2; i <= CLUSTER_N; i++)); do
				publish_keys "$i" "$g"
			done
			sleep 1
		done
	) &
	BUSY_PID=$!
}

busy_stop() {
	touch "$OUT/busy.stop"
	wait "$BUSY_PID"
	gen=$((gen + 1000))
}

# window P PHASE: WINDOWS windows of SECS seconds; for each, ns per round
# and per received datagram; the row gives their median and their minimum
# (the host's other load only adds to a window: the minimum is the cost
# with the least of it).
window() {
	local w a b row=() rounds=0 rx=0 tx=0 txb=0 applied=0 errs=0 pr=() px=()
	for ((w = 0; w < WINDOWS; w++)); do
		read -r -a a < <(snap)
		sleep "$SECS"
		read -r -a b < <(snap)
		local r=$((b[0] - a[0])) d=$((b[2] - a[2]))
		rounds=$((rounds + r))
		rx=$((rx + d))
		tx=$((tx + b[4] - a[4]))
		txb=$((txb + b[5] - a[5]))
		applied=$((applied + b[6] - a[6]))
		errs=$((errs + b[7] - a[7]))
		pr+=($(((b[1] - a[1]) / (r ? r : 1))))
		px+=($(((b[3] - a[3]) / (d ? d : 1))))
		echo "$1,$2,$INTERVAL,$w,$r,$((b[1] - a[1])),$d,$((b[3] - a[3])),$((b[4] - a[4])),$((b[5] - a[5])),$((b[6] - a[6])),$((b[7] - a[7]))" \
			>> "$OUT/cost.csv"
	done
	read -r -a row < <(python3 -c '
import statistics, sys
pr, px = (list(map(int, a.split())) for a in sys.argv[1:3])
print(int(statistics.median(pr)), min(pr), int(statistics.median(px)), min(px))' \
		"${pr[*]}" "${px[*]}")
	printf '# %6s %-5s %7s %9s %9s %9s %9s %9s %8s %8s %6s\n' "$1" "$2" \
		"$rounds" "${row[0]}" "${row[1]}" "$rx" "${row[2]}" "${row[3]}" \
		"$((txb / (tx ? tx : 1)))" "$applied" "$errs"
}

echo "peers,phase,interval_ms,window,rounds,round_ns,rx_dgrams,rx_ns,tx_dgrams,tx_bytes,applied,tx_errors" \
	> "$OUT/cost.csv"
set_peers 16
gadm 1 up || exit 1
for ((i = 2; i <= CLUSTER_N; i++)); do
	publish_keys "$i" 0
done
slowwait 120 n1_has || { echo "# n1 never got the helpers' keys"; exit 1; }
echo "# n1's peers: sink addresses only; n2..n4 send to it every round"

echo "# cost of one instance's rounds and received datagrams: interval ${INTERVAL} ms, fanout 3, pushpull"
echo "# store: $((CLUSTER_N - 1)) x $KEYS entries + n1's; the kernel's round_ns and rx_ns,"
echo "# $WINDOWS windows of ${SECS} s: median and min of the windows' ns per round and per datagram"
printf '# %6s %-5s %7s %9s %9s %9s %9s %9s %8s %8s %6s\n' peers phase rounds \
	round_med round_min rx_dgrams rx_med rx_min B/tx applied tx_err
gen=0
for ((c = 1; c <= CYCLES; c++)); do
	for p in $PEERS; do
		set_peers "$p"
		[ "$(sysstat 1 peers)" -eq "$p" ] || { echo "# n1 has $(sysstat 1 peers) peers, not $p"; exit 1; }
		# The hot window is 4 * ceil(log10(P + 1)) rounds: let the
		# last burst go cold, and the peer change settle, before the
		# idle window.
		sleep $((20 * INTERVAL / 1000 + 1))
		window "$p" idle
		busy_start
		window "$p" busy
		busy_stop
	done
done

# Lateness: one instance, 16 peers, each interval in turn from up on (up
# clears the histogram).
echo "peers,interval_ms,rounds,p50_us,p99_us,max_us" > "$OUT/lateness.csv"
set_peers 16
echo "# round lateness (fired - due) of one instance, 16 peers, ${LATE_SECS} s per interval"
printf '# %11s %7s %8s %8s %8s\n' interval_ms rounds p50_us p99_us max_us
for ms in $LATE_MS; do
	gadm 1 down
	r0=$(sysstat 1 rounds)
	gadm 1 set interval "$ms"
	gadm 1 up
	sleep "$LATE_SECS"
	gadm 1 down
	r=$(($(sysstat 1 rounds) - r0))
	p50=$(sysstat 1 round_late_p50_us)
	p99=$(sysstat 1 round_late_p99_us)
	max=$(sysstat 1 round_late_max_us)
	printf '# %11s %7s %8s %8s %8s\n' "$ms" "$r" "$p50" "$p99" "$max"
	echo "16,$ms,$r,$p50,$p99,$max" >> "$OUT/lateness.csv"
done
