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
# GOSSIP_BENCH_EFFICIENCY=on adds, and =only runs alone, the efficiency
# section (selftests/bench_efficiency.sh, issue 16): per mode, eager on and
# off, size and netem loss, with lockstep off, the time until 50/90/100 % of
# the nodes hold an update, the payload copies, datagrams and bytes it
# costs per node, and what an idle cluster sends per node and second:
#   eff_updates.csv, eff_idle.csv, eff_arrivals.csv (see that file).
#
# Topology: lib.sh's cluster_create, every node a peer of every other.
# Topology: every node a peer of every other; up to GOSSIP_BENCH_BRIDGE_MAX
# (128) nodes lib.sh's cluster_create (one bridge), above it routed_create
# (a veth per node into a routing hub: a bridge takes at most 1023 ports).
# Also written: memory.csv and memory.txt (MemAvailable and slab before and
# after creating each cluster: the memory per netns instance), timing.csv
# (per cell, the nodes' round lateness and cost, from the ROUND_LATE gauges
# and round_ns, rx_ns). The big sizes need memory: GOSSIP_VM_MEM=4096 for
# 1024 nodes (scripts/bench.sh raises it when BENCH_SIZES asks for more
# than 256).

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
EFFICIENCY=${GOSSIP_BENCH_EFFICIENCY:-off}
# With a key the lockstep cells' answers are not capped by the reply
# credit: without one, a node answers a digest with at most the bytes that
# peer sent it, and at fanout 1 in a fresh cluster pull ran 2 to 7 rounds
# behind the theory at 64 to 256 nodes (docs/simulator.md, --bench).
KEYS=${GOSSIP_BENCH_KEYS:-off}
OUT=${GOSSIP_SCRATCH:-/tmp}

require_root
load_module || exit 1
trap cleanup EXIT

# The interval grows with n so that the emulated CPUs keep up (TCG): at
# 1024 nodes a round of the whole cluster is about 3000 datagrams.
# GOSSIP_BENCH_INTERVAL (ms) sets it for every size instead: with a longer
# one, what the VM's CPUs cost the rounds shows as the difference.
interval_for() {
	if [ -n "${GOSSIP_BENCH_INTERVAL:-}" ]; then echo "$GOSSIP_BENCH_INTERVAL"
	elif [ "$1" -le 16 ]; then echo 100
	elif [ "$1" -le 64 ]; then echo 200
	elif [ "$1" -le 128 ]; then echo 400
	elif [ "$1" -le 256 ]; then echo 500
	else echo 1500; fi
}

# Clusters larger than this are routed through the hub (lib.sh's
# routed_create: no bridge port limit, no ARP); smaller ones are bridged.
BRIDGE_MAX=${GOSSIP_BENCH_BRIDGE_MAX:-128}

# stats_all: every node's counters, one JSON object a line (gossipadm -j
# prints each value on a line of its own).
stats_all() {
	each_node stats | "$GOSSIPADM" -j -b -
}

# sum_stats NAME...: each counter NAME summed over the nodes, on one line.
sum_stats() {
	stats_all | python3 -c '
import json, sys
tot, names = {}, sys.argv[1:]
for line in sys.stdin:
    obj = json.loads(line)
    for k in names:
        tot[k] = tot.get(k, 0) + obj[k]
print(" ".join(str(tot.get(k, 0)) for k in names))' "$@"
}

# udp_drops: datagrams the UDP layer of every namespace dropped (receive
# buffer full, or other receive errors), summed: where a cell's slow tail
# comes from when the emulated CPUs fall behind.
udp_drops() {
	ip -all netns exec awk '
		$1 == "Udp:" && !c { for (i = 2; i <= NF; i++) if ($i == "InErrors") c = i; next }
		$1 == "Udp:" { print $c; exit }' /proc/net/snmp 2>/dev/null |
		awk '/^[0-9]+$/ { s += $1 } END { print s + 0 }'
}

# static_neigh: every node learns every other node's MAC address now, as a
# permanent neighbour entry, so that no cell pays for ARP resolution of the
# n * (n - 1) pairs of the full mesh (broadcasts to n bridge ports under
# emulation) while it is being measured. (Routed clusters need none.)
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
	stats_all | python3 -c '
import json, sys
low = [json.loads(line)["entries"] for line in sys.stdin]
sys.exit(not (len(low) == int(sys.argv[2]) and min(low) >= int(sys.argv[1])))' \
		"$1" "$CLUSTER_N"
}

# The theory cells (none with GOSSIP_BENCH_EAGER=only), eager off.
[ "$EAGER" = only ] && SIZES=
# GOSSIP_BENCH_EFFICIENCY=only: the efficiency section alone.
[ "$EFFICIENCY" = only ] && { SIZES=; EAGER=off; }
# meminfo_kb FIELD...: those /proc/meminfo fields (kB), on one line.
meminfo_kb() {
	local f
	for f in "$@"; do
		awk -v f="$f:" '$1 == f { printf "%s ", $2 }' /proc/meminfo
	done
	echo
}

MEMF="MemAvailable Slab SUnreclaim Percpu VmallocUsed"

[ -f "$OUT/arrivals.csv" ] ||
	echo "n,mode,fanout,interval_ms,lockstep,trial,node,delay_ms,round" > "$OUT/arrivals.csv"
[ -f "$OUT/traffic.csv" ] ||
	echo "n,mode,fanout,interval_ms,lockstep,trials,tx_dgrams,tx_bytes" > "$OUT/traffic.csv"
[ -f "$OUT/timing.csv" ] ||
	echo "cell,late_p50_us,late_p99_us,late_max_us,ns_per_round,ns_per_rx_dgram" > "$OUT/timing.csv"
total=0
for n in $SIZES; do
	interval=$(interval_for "$n")
	echo "# n=$n interval=${interval}ms: creating the cluster"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	read -r -a mem0 < <(meminfo_kb $MEMF)
	t0=$SECONDS
	if [ "$n" -gt "$BRIDGE_MAX" ]; then
		topo=routed
		routed_create "$n" || exit 1
		t1=$SECONDS
		CLUSTER_SET="lockstep $LOCKSTEP eager off" cluster_config "$interval" 1 || exit 1
		echo "# n=$n: namespaces and links $((t1 - t0)) s, gossipadm (peers, up) $((SECONDS - t1)) s"
	else
		topo=bridge
		CLUSTER_SET="lockstep $LOCKSTEP eager off" cluster_create "$n" "$interval" 1 || exit 1
		static_neigh || exit 1
	fi
	if [ "$KEYS" = on ]; then
		"$GOSSIPADM" key gen >"$OUT/bench.key"
		each_node "key add 1 $OUT/bench.key" | "$GOSSIPADM" -b - || exit 1
		echo "# n=$n: every node authenticates with one key"
	fi
	echo "# n=$n: $topo topology, $n nodes up in $((SECONDS - t0)) s"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	read -r -a mem1 < <(meminfo_kb $MEMF)
	python3 - "$n" "$topo" "$MEMF" "${mem0[*]}" "${mem1[*]}" <<'PY' | tee -a "$OUT/memory.txt"
import sys
n, topo, names, m0, m1 = sys.argv[1:]
names, m0, m1 = names.split(), list(map(int, m0.split())), list(map(int, m1.split()))
d = dict(zip(names, (b - a for a, b in zip(m0, m1))))
used = -d.pop("MemAvailable")
print(f"# n={n} ({topo}): memory used by the cluster {used / 1024:.1f} MiB"
      f" = {used / int(n):.0f} kB per node (MemAvailable);"
      + "".join(f" {k} {v / int(n):+.0f}" for k, v in d.items()) + " kB per node")
PY
	[ -f "$OUT/memory.csv" ] ||
		echo "n,topology,memavailable_before_kb,memavailable_after_kb,slab_before_kb,slab_after_kb" > "$OUT/memory.csv"
	echo "$n,$topo,${mem0[0]},${mem1[0]},${mem0[1]},${mem1[1]}" >> "$OUT/memory.csv"
	# The largest slab caches, for where the memory per netns goes.
	awk 'NR > 2 { print $3 * $4, $1, $3, $4 }' /proc/slabinfo | sort -n -r |
		awk 'NR <= 10 { printf "#   slab %-24s %8d objs x %5d B = %7.1f MiB\n", $2, $3, $4, $1 / 1048576 }' |
		tee -a "$OUT/memory.txt"
	total=0
	for fanout in $FANOUTS; do
		for mode in $MODES; do
			tag="n$n-$mode-f$fanout-$LOCKSTEP"
			each_node set mode "$mode" fanout "$fanout" |
				"$GOSSIPADM" -b - || exit 1
			read -r dg0 by0 cut0 < <(sum_stats tx_dgrams tx_bytes tx_reply_cut)
			drop0=$(udp_drops)
			for ((t = 1; t <= TRIALS; t++)); do
				src=$((RANDOM % n + 1))
				gadm "$src" publish "$tag-$t" "$src"
				sleep "$((2 * interval / 1000)).$(printf %03d $((2 * interval % 1000)))"
			done
			total=$((total + TRIALS))
			# Bounded: anti-entropy brings every value everywhere.
			slowwait $((60 * interval / 100)) have_all $total ||
				echo "# $tag: not every node has every value"
			read -r dg1 by1 cut1 < <(sum_stats tx_dgrams tx_bytes tx_reply_cut)
			echo "# $tag: UDP receive errors +$(($(udp_drops) - drop0)) (all namespaces), answers cut for credit +$((cut1 - cut0))"
			echo "$n,$mode,$fanout,$interval,$LOCKSTEP,$TRIALS,$((dg1 - dg0)),$((by1 - by0))" \
				>> "$OUT/traffic.csv"
			each_node dump | "$GOSSIPADM" -j -b - > "$OUT/dumps.json" || exit 1
			python3 - "$OUT" "$n" "$mode" "$fanout" "$interval" "$tag" "$LOCKSTEP" <<'PY'
import json, sys
out, n, mode, fanout, interval, tag, lockstep = sys.argv[1:]
ival = int(interval) * 1000000
stamps = {}
# One JSON array a line, a line per node, in node order.
i = 0
for line in open(f"{out}/dumps.json"):
    dump = json.loads(line)
    i += 1
    for e in dump:
        if e["key"].startswith(tag + "-"):
            stamps.setdefault(e["key"], {})[i] = e["stamp_ns"]
assert i == int(n), f"{i} dumps for {n} nodes"
with open(f"{out}/arrivals.csv", "a") as f:
    for key, nodes in stamps.items():
        trial = key.rsplit("-", 1)[1]
        # The publisher stored it first: every other stamp is later.
        t0 = min(nodes.values())
        for i, ns in sorted(nodes.items()):
            f.write(f"{n},{mode},{fanout},{interval},{lockstep},{trial},{i},"
                    f"{(ns - t0) / 1e6:.3f},{ns // ival - t0 // ival}\n")
PY
			# Round lateness of every node since its up (lib: the
			# ROUND_LATE gauges): the median node's p50 and p99, the
			# worst node's max.
			stats_all | python3 -c '
import json, statistics, sys
rows = [json.loads(line) for line in sys.stdin]
p50 = statistics.median(r["round_late_p50_us"] for r in rows)
p99 = statistics.median(r["round_late_p99_us"] for r in rows)
mx = max(r["round_late_max_us"] for r in rows)
rns = sum(r["round_ns"] for r in rows) / max(1, sum(r["rounds"] for r in rows))
rxns = sum(r["rx_ns"] for r in rows) / max(1, sum(r["rx_dgrams"] for r in rows))
print(f"# {sys.argv[1]}: lateness since up, median node p50 {p50:.0f} us p99 {p99:.0f} us,"
      f" worst max {mx} us; {rns / 1000:.0f} us a round, {rxns / 1000:.0f} us a datagram")
with open(sys.argv[2], "a") as f:
    f.write(f"{sys.argv[1]},{p50:.0f},{p99:.0f},{mx},{rns:.0f},{rxns:.0f}\n")' \
				"$tag" "$OUT/timing.csv"
			echo "# $tag done"
		done
	done
	cleanup
done

# ---- efficiency: copies, datagrams and time per update; idle traffic ------

[ "$EFFICIENCY" = off ] || source "$(dirname "$0")/bench_efficiency.sh"

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
	t0=$SECONDS
	if [ "$n" -gt "$BRIDGE_MAX" ]; then
		routed_create "$n" || exit 1
		t1=$SECONDS
		CLUSTER_SET="lockstep off" cluster_config 200 "$EAGER_FANOUT" || exit 1
		echo "# eager: n=$n: namespaces and links $((t1 - t0)) s, gossipadm (peers, up) $((SECONDS - t1)) s"
	else
		CLUSTER_SET="lockstep off" cluster_create "$n" 200 "$EAGER_FANOUT" || exit 1
		static_neigh || exit 1
	fi
	echo "# eager: n=$n: $n nodes up in $((SECONDS - t0)) s"
	total=0
	for interval in $EAGER_INTERVALS; do
		gap=$((12 * interval > 1000 ? 12 * interval : 1000))	# ms
		for mode in $EAGER_MODES; do
			for eager in on off; do
				tag="eager-n$n-i$interval-$mode-$eager"
				set_all interval "$interval" mode "$mode" eager "$eager" || exit 1
				read -r dg0 eg0 < <(sum_stats tx_dgrams tx_eager)
				for ((t = 1; t <= EAGER_TRIALS; t++)); do
					gadm $((RANDOM % n + 1)) publish "$tag-$t" x
					sleep "$((gap / 1000)).$(printf %03d $((gap % 1000)))"
				done
				total=$((total + EAGER_TRIALS))
				slowwait $((60 * interval / 100 + 60)) have_all $total ||
					echo "# $tag: not every node has every value"
				read -r dg1 eg1 < <(sum_stats tx_dgrams tx_eager)
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
