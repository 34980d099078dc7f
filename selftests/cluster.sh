#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A 16-node (8 under make check-debug) push cluster, configured only with gossipadm: a value published
# on one node reaches every node within a bounded number of rounds; /sys and
# netlink show the same counters; concurrent updates of one key end with the
# same winner everywhere.
#
#   n1 .. nN: one netns each, eth0 10.99.0.I/16, every other node a peer
#        \  |  /
#        br0 (hub netns)

source "$(dirname "$0")/lib.sh"

N=$(sized 16 8)
INTERVAL=200		# ms
# Theory for push, n=16, f=3: 3.4 rounds mean, p99 5; eager forwarding
# makes it faster still. Times GOSSIP_TIMEOUT_MULT: a slower kernel's
# stalls (a vCPU of a loaded debug VM) are not the protocol's rounds.
MAX_ROUNDS=$((10 * ${GOSSIP_TIMEOUT_MULT:-1}))

test_begin 8
if ! cluster_create $N $INTERVAL 3; then
	ktap_test_fail "create a $N-node cluster with gossipadm"
	ktap_finished
fi
ktap_test_pass "create a $N-node cluster with gossipadm"

# 1. Spread: publish on node 1, poll until all hold it; the rounds it took
# come from the kernel's own stamps (when each node stored it), not from
# how fast this script polls.
gadm 1 publish color blue
slowwait 120 all_have color blue
have=$(count_have color blue)
# shellcheck disable=SC2046 # node numbers
rounds=$(values_of -j color $(seq 1 $N) |
	python3 -c '
import json, sys
s = [json.loads(l)["stamp_ns"] for l in sys.stdin if l.strip()]
print(f"{(max(s) - min(s)) / 1e6 / '$INTERVAL':.1f}")')
ktap_print_msg "value on $have/$N nodes; the last stored it $rounds intervals after node 1"
if [ "$have" -eq $N ] && python3 -c "import sys; sys.exit(not $rounds <= $MAX_ROUNDS)"; then
	ktap_test_pass "value reached $N/$N nodes in $rounds rounds (<= $MAX_ROUNDS)"
else
	ktap_test_fail "value reached $have/$N nodes in $rounds rounds"
fi

# 2. Exact counters: one publish on node 1, one application on each other.
# (Counters of the whole cluster from one gossipadm batch, node order.)
applied=$(stat_all rumors_applied | tail -n +2 | sum_lines)
published=$(sysstat 1 rumors_published)
ktap_print_msg "rumors_published on n1: $published, rumors_applied on n2..n$N: $applied"
ktap_result "counters: 1 published, $((N - 1)) applied" \
	test "$published" -eq 1 -a "$applied" -eq $((N - 1))

# 3. No receive errors anywhere.
errs=0
for c in short magic version type length entry full nomem; do
	errs=$((errs + $(stat_all "rx_err_$c" | sum_lines)))
done
ktap_result "no receive errors on any node" test "$errs" -eq 0

# 4. /sys and netlink agree, counter by counter, on a stopped node.
stats_agree() {
	local i=$1 name value fail=0 n=0
	gadm "$i" down || return 1
	local -A sys=()
	# Every file of the stats directory, "PATH:VALUE", in one exec.
	while IFS=: read -r name value; do
		sys[${name##*/}]=$value
	done < <(on "$i" grep -H . /sys/class/gossip/gossip/stats/*)
	while read -r name value; do
		n=$((n + 1))
		if [ "${sys[$name]:-missing}" != "$value" ]; then
			ktap_print_msg "$name: netlink $value, /sys ${sys[$name]:-missing}"
			fail=1
		fi
	done < <(gadm "$i" -j stats | python3 -c '
import json, sys
for k, v in json.load(sys.stdin).items():
    print(k, v)')
	ktap_print_msg "compared $n counters of node $i"
	gadm "$i" up || return 1
	[ "$fail" -eq 0 ] && [ "$n" -ge 19 ]
}
ktap_result "/sys and netlink show the same counters" stats_agree 5

# 5. Concurrent updates of one key on two nodes: one winner everywhere, and
# it is the higher (version, origin) of the two.
entry_of() {
	gadm "$1" -j get "$2" | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(e["version"], e["origin"], e["value"])'
}
# Each node's own entry, read right after its publish: nothing it has not
# seen can have overwritten it yet.
gadm 3 publish shape square
read -r v3 o3 _ < <(entry_of 3 shape)
B=$((N / 2 + 1))	# n9 of 16
gadm $B publish shape circle
read -r v9 o9 _ < <(entry_of $B shape)
if [ "$v9" -gt "$v3" ] || { [ "$v9" -eq "$v3" ] && [ "$o9" -gt "$o3" ]; }; then
	winner=circle
else
	winner=square
fi
ktap_print_msg "n3 published (v$v3, origin $o3), n$B (v$v9, origin $o9): expect $winner"
ktap_result "concurrent updates: every node ends with '$winner'" \
	slowwait 120 all_have shape "$winner"

# Each node's entry as JSON less its stamp_ns (when that node stored it):
# one distinct line, and one line per node.
same_entry_everywhere() {
	local lines
	# shellcheck disable=SC2046 # node numbers
	lines=$(values_of -j shape $(seq 1 $N) | sed 's/,"stamp_ns":[0-9]*//')
	[ "$(echo "$lines" | wc -l)" -eq "$N" ] &&
		[ "$(echo "$lines" | sort -u | wc -l)" -eq 1 ] || return 1
	ktap_print_msg "every node holds: $(echo "$lines" | head -n 1)"
}
ktap_result "concurrent updates: same version and origin on every node" \
	same_entry_everywhere

# 6. Tear down: all namespaces, then the module.
cleanup
ktap_result "rmmod after the cluster is gone" unload_module
ktap_finished
