#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The spreading benchmark, run inside the VM by `make bench`: for each
# cluster size, mode and fanout, TRIALS values published on random nodes,
# and for each node the kernel's own timestamp of when it stored each value.
# Writes raw figures to $GOSSIP_SCRATCH (scripts/bench_report.py turns them
# into the table and plots):
#   arrivals.csv  n,mode,fanout,interval_ms,lockstep,trial,node,delay_ms,round
#   traffic.csv   n,mode,fanout,interval_ms,lockstep,trials,tx_dgrams,tx_bytes
#
# With lockstep on (the default, BENCH_LOCKSTEP=on) every node's rounds fire
# together on multiples of the interval, as in the synchronous model of the
# theory, and a node's round of arrival is exact: its stamp's interval
# number minus the publisher's. With it off, nodes fire at their own jittered
# times and only the delay, in units of the interval, means anything.
#
# The theory is the round-synchronous model: these cells run with eager
# forwarding off. GOSSIP_BENCH_EAGER=on adds, and =only runs alone, the
# eager section: for each size of GOSSIP_BENCH_EAGER_SIZES (64) and interval
# of GOSSIP_BENCH_EAGER_INTERVALS (200 10 ms), GOSSIP_BENCH_EAGER_TRIALS (10)
# values published one at a time on random nodes, with eager on and off
# (lockstep off, fanout GOSSIP_BENCH_EAGER_FANOUT, 3, modes
# GOSSIP_BENCH_EAGER_MODES, push):
#   eager.csv          n,mode,fanout,interval_ms,eager,trial,node,delay_ms
#   eager_traffic.csv  n,mode,fanout,interval_ms,eager,trials,tx_dgrams,
#                      tx_eager
# Values are published a hot window apart (12 intervals, at least 1 s), so
# that each one's datagrams are its own, whatever the rounds batch.
#
# Topology: lib.sh's cluster_create, every node a peer of every other.

source "$(dirname "$0")/lib.sh"

# vm.sh passes GOSSIP_* variables into the guest.
SIZES=${GOSSIP_BENCH_SIZES:-16 64 128}
TRIALS=${GOSSIP_BENCH_TRIALS:-20}
FANOUTS=${GOSSIP_BENCH_FANOUTS:-1 3}
MODES=${GOSSIP_BENCH_MODES:-push pull pushpull}
LOCKSTEP=${GOSSIP_BENCH_LOCKSTEP:-on}
EAGER=${GOSSIP_BENCH_EAGER:-off}
EAGER_SIZES=${GOSSIP_BENCH_EAGER_SIZES:-64}
EAGER_INTERVALS=${GOSSIP_BENCH_EAGER_INTERVALS:-200 10}
EAGER_TRIALS=${GOSSIP_BENCH_EAGER_TRIALS:-10}
EAGER_FANOUT=${GOSSIP_BENCH_EAGER_FANOUT:-3}
EAGER_MODES=${GOSSIP_BENCH_EAGER_MODES:-push}
OUT=${GOSSIP_SCRATCH:-/tmp}

require_root
load_module || exit 1
trap cleanup EXIT

# The interval grows with n so that the emulated CPUs keep up (TCG).
interval_for() {
	if [ "$1" -le 16 ]; then echo 100
	elif [ "$1" -le 64 ]; then echo 200
	else echo 400; fi
}

sum_stat() {
	local name=$1 i s=0
	for ((i = 1; i <= CLUSTER_N; i++)); do
		s=$((s + $(sysstat "$i" "$name")))
	done
	echo $s
}

# static_neigh: every node learns every other node's MAC address now, as a
# permanent neighbour entry, so that no cell pays for ARP resolution of the
# n * (n - 1) pairs of the full mesh (broadcasts to n bridge ports under
# emulation) while it is being measured.
static_neigh() {
	local i j mac=()
	for ((i = 1; i <= CLUSTER_N; i++)); do
		mac[i]=$(on "$i" cat /sys/class/net/eth0/address)
	done
	for ((i = 1; i <= CLUSTER_N; i++)); do
		for ((j = 1; j <= CLUSTER_N; j++)); do
			[ "$i" -eq "$j" ] ||
				echo "neigh replace $(node_addr "$j") lladdr ${mac[j]} dev eth0 nud permanent"
		done | ip -n "$(node_ns "$i")" -b - || return 1
	done
}

# have_all COUNT: every node holds at least COUNT entries.
have_all() {
	local i
	for ((i = 1; i <= CLUSTER_N; i++)); do
		[ "$(sysstat "$i" entries)" -ge "$1" ] || return 1
	done
}

# The theory cells (none with GOSSIP_BENCH_EAGER=only), eager off.
[ "$EAGER" = only ] && SIZES=
[ -f "$OUT/arrivals.csv" ] ||
	echo "n,mode,fanout,interval_ms,lockstep,trial,node,delay_ms,round" > "$OUT/arrivals.csv"
[ -f "$OUT/traffic.csv" ] ||
	echo "n,mode,fanout,interval_ms,lockstep,trials,tx_dgrams,tx_bytes" > "$OUT/traffic.csv"
total=0
for n in $SIZES; do
	interval=$(interval_for "$n")
	echo "# n=$n interval=${interval}ms: creating the cluster"
	CLUSTER_SET="lockstep $LOCKSTEP eager off" cluster_create "$n" "$interval" 1 || exit 1
	static_neigh || exit 1
	total=0
	for fanout in $FANOUTS; do
		for mode in $MODES; do
			tag="n$n-$mode-f$fanout-$LOCKSTEP"
			for ((i = 1; i <= n; i++)); do
				gadm "$i" set mode "$mode" fanout "$fanout" || exit 1
			done
			dg0=$(sum_stat tx_dgrams)
			by0=$(sum_stat tx_bytes)
			for ((t = 1; t <= TRIALS; t++)); do
				src=$((RANDOM % n + 1))
				gadm "$src" publish "$tag-$t" "$src"
				sleep "$((2 * interval / 1000)).$(printf %03d $((2 * interval % 1000)))"
			done
			total=$((total + TRIALS))
			# Bounded: anti-entropy brings every value everywhere.
			slowwait $((60 * interval / 100)) have_all $total ||
				echo "# $tag: not every node has every value"
			dg1=$(sum_stat tx_dgrams)
			by1=$(sum_stat tx_bytes)
			echo "$n,$mode,$fanout,$interval,$LOCKSTEP,$TRIALS,$((dg1 - dg0)),$((by1 - by0))" \
				>> "$OUT/traffic.csv"
			for ((i = 1; i <= n; i++)); do
				gadm "$i" -j dump > "$OUT/dump-$i.json"
			done
			python3 - "$OUT" "$n" "$mode" "$fanout" "$interval" "$tag" "$LOCKSTEP" <<'PY'
import json, sys
out, n, mode, fanout, interval, tag, lockstep = sys.argv[1:]
ival = int(interval) * 1000000
stamps = {}
for i in range(1, int(n) + 1):
    for e in json.load(open(f"{out}/dump-{i}.json")):
        if e["key"].startswith(tag + "-"):
            stamps.setdefault(e["key"], {})[i] = e["stamp_ns"]
with open(f"{out}/arrivals.csv", "a") as f:
    for key, nodes in stamps.items():
        trial = key.rsplit("-", 1)[1]
        # The publisher stored it first: every other stamp is later.
        t0 = min(nodes.values())
        for i, ns in sorted(nodes.items()):
            f.write(f"{n},{mode},{fanout},{interval},{lockstep},{trial},{i},"
                    f"{(ns - t0) / 1e6:.3f},{ns // ival - t0 // ival}\n")
PY
			echo "# $tag done"
		done
	done
	cleanup
done

# ---- eager forwarding, on and off ------------------------------------------

# Every node: these "set" words.
set_all() {
	local i
	for ((i = 1; i <= CLUSTER_N; i++)); do
		gadm "$i" set "$@" || return 1
	done
}

[ "$EAGER" = off ] && exit 0
[ -f "$OUT/eager.csv" ] ||
	echo "n,mode,fanout,interval_ms,eager,trial,node,delay_ms" > "$OUT/eager.csv"
[ -f "$OUT/eager_traffic.csv" ] ||
	echo "n,mode,fanout,interval_ms,eager,trials,tx_dgrams,tx_eager" > "$OUT/eager_traffic.csv"
for n in $EAGER_SIZES; do
	echo "# eager: n=$n: creating the cluster"
	CLUSTER_SET="lockstep off" cluster_create "$n" 200 "$EAGER_FANOUT" || exit 1
	static_neigh || exit 1
	total=0
	for interval in $EAGER_INTERVALS; do
		gap=$((12 * interval > 1000 ? 12 * interval : 1000))	# ms
		for mode in $EAGER_MODES; do
			for eager in on off; do
				tag="eager-n$n-i$interval-$mode-$eager"
				set_all interval "$interval" mode "$mode" eager "$eager" || exit 1
				dg0=$(sum_stat tx_dgrams)
				eg0=$(sum_stat tx_eager)
				for ((t = 1; t <= EAGER_TRIALS; t++)); do
					gadm $((RANDOM % n + 1)) publish "$tag-$t" x
					sleep "$((gap / 1000)).$(printf %03d $((gap % 1000)))"
				done
				total=$((total + EAGER_TRIALS))
				slowwait $((60 * interval / 100 + 60)) have_all $total ||
					echo "# $tag: not every node has every value"
				dg1=$(sum_stat tx_dgrams)
				eg1=$(sum_stat tx_eager)
				echo "$n,$mode,$EAGER_FANOUT,$interval,$eager,$EAGER_TRIALS,$((dg1 - dg0)),$((eg1 - eg0))" \
					>> "$OUT/eager_traffic.csv"
				for ((i = 1; i <= n; i++)); do
					gadm "$i" -j dump > "$OUT/dump-$i.json"
				done
				python3 - "$OUT" "$n" "$mode" "$EAGER_FANOUT" "$interval" "$tag" "$eager" <<'PY'
import json, sys
out, n, mode, fanout, interval, tag, eager = sys.argv[1:]
stamps = {}
for i in range(1, int(n) + 1):
    for e in json.load(open(f"{out}/dump-{i}.json")):
        if e["key"].startswith(tag + "-"):
            stamps.setdefault(e["key"], {})[i] = e["stamp_ns"]
with open(f"{out}/eager.csv", "a") as f:
    for key, nodes in stamps.items():
        trial = key.rsplit("-", 1)[1]
        t0 = min(nodes.values())    # the publisher's
        for i, ns in sorted(nodes.items()):
            f.write(f"{n},{mode},{fanout},{interval},{eager},{trial},{i},"
                    f"{(ns - t0) / 1e6:.3f}\n")
PY
				echo "# $tag done"
			done
		done
	done
	cleanup
done
