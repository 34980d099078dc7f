#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Round timing: the lateness gauges (round_late_p50_us, _p99_us, _max_us),
# the histogram behind them (debugfs: /sys/kernel/debug/gossip/NETNS/
# round_late_hist, NETNS the namespace's inode number) and
# the time counters (round_ns, rx_ns). No timing is asserted: only what
# must hold exactly, whatever the machine's speed.
#
#   n1 .. n4: pushpull, interval 20 ms, every other node a peer, one bridge

source "$(dirname "$0")/lib.sh"

N=4
INTERVAL=20	# ms

test_begin 13

# Read from the init mount namespace, where the VM's init mounted debugfs
# ("ip netns exec" makes a mount namespace of its own).
hist() {
	cat "/sys/kernel/debug/gossip/$(netns_inum "$(node_ns "$1")")/round_late_hist"
}
hist_total() { hist "$1" | awk '{ s += $2 } END { print s + 0 }'; }

# 1. A new instance, never up: no round, so no lateness and no time.
CLUSTER_N=$N
hub_create
for ((i = 1; i <= N; i++)); do
	node_create "$i" || { ktap_test_fail "create $N nodes"; ktap_finished; }
done
fresh="$(sysstat 1 round_late_p50_us) $(sysstat 1 round_late_p99_us)"
fresh+=" $(sysstat 1 round_late_max_us) $(sysstat 1 round_ns) $(sysstat 1 rx_ns)"
ktap_print_msg "before up: p50 p99 max round_ns rx_ns = $fresh, histogram: '$(hist 1)'"
ktap_result "a new instance: gauges, times and histogram all 0" \
	test "$fresh" = "0 0 0 0 0" -a -z "$(hist 1)"

for ((i = 1; i <= N; i++)); do
	{
		echo "set mode pushpull interval $INTERVAL"
		for ((j = 1; j <= N; j++)); do
			[ "$i" -eq "$j" ] || echo "peer add $(node_addr "$j"):7946"
		done
		echo up
	} | gadm "$i" -b - || { ktap_test_fail "configure node $i"; ktap_finished; }
done
gadm 2 publish color blue

# 2. Enough rounds and traffic, then node 1 stopped: its figures stand still.
rounds_at_least() { [ "$(sysstat "$1" rounds)" -ge "$2" ]; }
slowwait 120 rounds_at_least 1 60 && slowwait 120 all_have color blue
gadm 1 down
r1=$(sysstat 1 rounds)
t1=$(hist_total 1)
ktap_print_msg "node 1 went up once and ran $r1 rounds; its histogram counts $t1"
ktap_result "histogram total equals the rounds counter" \
	test "$r1" -ge 60 -a "$t1" -eq "$r1"

p50=$(sysstat 1 round_late_p50_us)
p99=$(sysstat 1 round_late_p99_us)
max=$(sysstat 1 round_late_max_us)
ktap_print_msg "lateness at $INTERVAL ms: p50 $p50 us, p99 $p99 us, max $max us"
ktap_result "p50 <= p99 <= max" test "$p50" -le "$p99" -a "$p99" -le "$max"

# 3. The gauges are what the histogram says: the upper bound of the bucket
# holding the percentile (ceil(total * p / 100)-th round), at most the max.
# Recomputed here from the histogram lines, "UPPER_US COUNT" ("inf" last).
expect=$(hist 1 | python3 -c '
import math, sys
rows = [l.split() for l in sys.stdin if l.strip()]
total = sum(int(c) for _, c in rows)
mx = int(sys.argv[1])
def pct(p):
    want, seen = math.ceil(total * p / 100), 0
    for up, c in rows:
        seen += int(c)
        if seen >= want:
            return mx if up == "inf" else min(int(up), mx)
print(pct(50), pct(99))' "$max")
ktap_print_msg "from the histogram: p50 p99 = $expect"
ktap_result "p50 and p99 match the histogram" test "$expect" = "$p50 $p99"

# The max falls in the last bucket that counted a round.
last_ok() {
	local up
	up=$(hist 1 | tail -n 1 | awk '{ print $1 }')
	[ "$up" = inf ] || [ "$max" -le "$up" ]
}
ktap_result "max lies in the histogram's last bucket" last_ok

# 4. Time counters: rounds ran and datagrams arrived, so both moved.
rns=$(sysstat 1 round_ns)
rxns=$(sysstat 1 rx_ns)
rxd=$(sysstat 1 rx_dgrams)
ktap_print_msg "round_ns $rns over $r1 rounds ($((rns / r1)) ns a round)," \
	"rx_ns $rxns over $rxd datagrams ($((rxns / (rxd ? rxd : 1))) ns each)"
ktap_result "round_ns > 0 and rx_ns > 0 once rounds and datagrams ran" \
	test "$rns" -gt 0 -a "$rxd" -gt 0 -a "$rxns" -gt 0

# 5. gossipadm -b with "netns NAME" lines (how the bench reads a 1024-node
# cluster in one process): each node's own instance answers.
# ids: the node ids of gossipadm -j show outputs, one a line.
ids() {
	python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["node_id"]) for l in sys.stdin if l.strip()))'
}
one=$(each_node show | "$GOSSIPADM" -j -b - | ids)
each=$(for ((i = 1; i <= N; i++)); do on "$i" "$GOSSIPADM" -j show; done | ids)
opt=$(for ((i = 1; i <= N; i++)); do "$GOSSIPADM" -n "$(node_ns "$i")" -j show; done | ids)
ktap_print_msg "node ids, one batch: $one; ip netns exec each: $each; -n each: $opt"
ktap_result "batch netns lines address each node's instance" \
	test -n "$one" -a "$one" = "$each"
ktap_result "gossipadm -n NAME addresses the instance of netns NAME" \
	test -n "$opt" -a "$opt" = "$each"
errf=$(mktemp)
out=$("$GOSSIPADM" -n "$NS_PREFIX-nosuch" show 2>"$errf")
rc=$?
err=$(cat "$errf")
ktap_result "gossipadm -n: an unknown namespace fails with its name: exit 1, '$err'" \
	test "$rc" -eq 1 -a -z "$out" -a "$err" = "gossipadm: netns $NS_PREFIX-nosuch: No such file or directory"
out=$(printf 'netns %s-nosuch\nshow\n' "$NS_PREFIX" | "$GOSSIPADM" -b - 2>"$errf")
rc=$?
err=$(cat "$errf")
rm -f "$errf"
ktap_print_msg "unknown netns: exit $rc, stdout '$out', stderr '$err'"
ktap_result "batch netns: an unknown namespace fails with its name, nothing run after" \
	test "$rc" -eq 1 -a -z "$out" -a "$err" = "gossipadm: batch: netns $NS_PREFIX-nosuch: No such file or directory
gossipadm: batch: line 1 failed"

# 6. Up again: the histogram restarts, the counters go on.
gadm 1 up
slowwait 120 rounds_at_least 1 $((r1 + 30))
gadm 1 down
r2=$(sysstat 1 rounds)
t2=$(hist_total 1)
ktap_print_msg "after the second up: $((r2 - r1)) rounds, histogram counts $t2"
ktap_result "up clears the histogram: it counts the rounds since up" \
	test "$t2" -eq $((r2 - r1))
ktap_result "round_ns only grows" test "$(sysstat 1 round_ns)" -gt "$rns"

cleanup
ktap_result "rmmod after the cluster is gone" unload_module
ktap_finished
