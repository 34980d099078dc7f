#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tearing gossip down while it works. Every object the module creates it
# destroys: its debug lines ("instance/peer/socket ... created/destroyed in
# netns N", on with dyndbg=+p) balance, and the kernel never complains.
#
#   n1 .. nN (16; 10 under make check-debug): one netns each, eth0
#        10.99.0.I/16, every other node a peer,
#        \  |  /  rounds every 10 ms, fanout 3
#        br0 (hub netns)
#
#   (a) values published on n1..n4 in a loop; rmmod gossip under it
#   (b) insmod, a new cluster, traffic; ip netns del the upper half under
#       it; the lower half still agrees on a new value
#   (c) on the lower half, under traffic: n5 down; a value published on n1 while
#       n5 is down; n5 up: it catches up
#   (d) ip netns del the rest, the final rmmod

source "$(dirname "$0")/lib.sh"

N=$(sized 16 10)	# n5 stays in the lower half
INTERVAL=10		# ms
FANOUT=3
TRAFFIC_SECS=240	# upper bound of a traffic loop; stopped long before
WAIT=120		# s, upper bound of every wait for a condition

require_root
[ -x "$GOSSIPADM" ] || { echo "# $GOSSIPADM not built"; exit "$KSFT_SKIP"; }
trap 'traffic_stop; cleanup' EXIT

ktap_print_header
ktap_set_plan 13

# bail NAME: NAME failed and nothing after it can run.
bail() {
	ktap_test_fail "$1"
	ktap_finished
}

# fresh_cluster: gossip.ko loaded with its debug lines, N nodes up.
fresh_cluster() {
	load_module || return 1
	cluster_create $N $INTERVAL $FANOUT
}

traffic_reached() { [ -n "$(gadm "$1" get "traffic-$2" 2>/dev/null)" ]; }

# The inode numbers of the namespaces of nodes FIRST..LAST (and the hub).
inums_of() {
	local i
	for ((i = $1; i <= $2; i++)); do
		netns_inum "$(node_ns "$i")"
	done
	if [ "${3:-}" = hub ]; then
		netns_inum "$HUB"
	fi
}

# phase_end NAME: the module is gone, every object it made was destroyed,
# the kernel did not complain; then a fresh log for the next phase.
phase_end() {
	local ok=0
	[ ! -e /sys/class/gossip ] || { ktap_print_msg "/sys/class/gossip still there"; ok=1; }
	kmsg_balance || ok=1
	kmsg_clean || ok=1
	ktap_result "$1" test $ok -eq 0
	dmesg -C
}

# (a) ----------------------------------------------------------------------
start=$SECONDS
unload_module || bail "unload a gossip.ko loaded without debug lines"
dmesg -C
fresh_cluster || bail "(a) load gossip.ko, $N-node cluster (${INTERVAL} ms, fanout $FANOUT)"
ktap_test_pass "(a) load gossip.ko, $N-node cluster (${INTERVAL} ms, fanout $FANOUT)"

gadm 1 publish color blue
ktap_result "(a) a value published on n1 reaches all $N nodes" \
	slowwait $WAIT all_have color blue

traffic_start $TRAFFIC_SECS 1 2 3 4
slowwait $WAIT traffic_reached $N 4 || ktap_print_msg "no traffic seen on n$N"
ktap_result "(a) rmmod while traffic flows" rmmod gossip
traffic_stop
phase_end "(a) /sys/class/gossip gone, objects balanced, kernel log clean"
cleanup
ktap_print_msg "(a) took $((SECONDS - start)) s"

# (b) ----------------------------------------------------------------------
start=$SECONDS
fresh_cluster || bail "(b) load gossip.ko again, $N-node cluster"
ktap_test_pass "(b) load gossip.ko again, $N-node cluster"

UP=$((N / 2 + 1))	# the first node of the upper half
traffic_start $TRAFFIC_SECS 1 2 $UP $((UP + 1))
traffic_flows() { traffic_reached $N 1 && traffic_reached $N $UP; }
ktap_result "(b) traffic flows: n$N holds values of n1 and n$UP" \
	slowwait $WAIT traffic_flows

half=$(inums_of $((N / 2 + 1)) $N)
for ((i = N / 2 + 1; i <= N; i++)); do
	ip netns del "$(node_ns "$i")"
done
# shellcheck disable=SC2086 # one inode number per word
if slowwait $WAIT kmsg_balance_netns $half; then
	ktap_test_pass "(b) ip netns del n$((N / 2 + 1))..n$N under traffic: their objects destroyed"
else
	kmsg_balance_netns -v $half
	ktap_test_fail "(b) ip netns del n$((N / 2 + 1))..n$N under traffic: their objects destroyed"
fi

CLUSTER_N=$((N / 2))	# all_have looks at the lower half from now on
gadm 3 publish color green
ktap_result "(b) n1..n$CLUSTER_N agree on a value published after" \
	slowwait $WAIT all_have color green
ktap_print_msg "(b) took $((SECONDS - start)) s"

# (c) ----------------------------------------------------------------------
start=$SECONDS
traffic_start $TRAFFIC_SECS 1 2 3 4
down_5() { gadm 5 down && gadm 5 show | grep -Eq '^ *state:? +down$'; }
ktap_result "(c) n5 down while traffic flows" down_5

# Push only: a rumor is pushed for 4 * ceil(log10(N)) = 8 rounds of each
# node that learns it (the dead peers still count), then never again.
# Rounds of 200 ms keep it hot for 1.4 s at least, ample time to bring n5
# back; n5 then misses it only if none of the others picks it in any of
# those rounds: at N = 16, 7 others choosing 3 of 15 peers, p < 0.8^50 ~
# 1e-5; at N = 10, 4 others choosing 3 of 9, p < (2/3)^32 ~ 2e-6.
for ((i = 1; i <= CLUSTER_N; i++)); do
	gadm "$i" set interval 200
done
LATE="published while n5 was down"
caught_up_5() { [ "$(gadm 5 get late 2>/dev/null)" = "$LATE" ]; }
applied=$(sysstat 5 rumors_applied)
gadm 1 publish late "$LATE"
gadm 5 up
if slowwait $WAIT caught_up_5; then
	ktap_print_msg "n5 applied $(($(sysstat 5 rumors_applied) - applied)) rumors since it came back"
	ktap_test_pass "(c) n5 up again catches up with a value published while it was down"
else
	ktap_test_fail "(c) n5 up again catches up with a value published while it was down"
fi
ktap_print_msg "(c) took $((SECONDS - start)) s"

# (d) ----------------------------------------------------------------------
start=$SECONDS
rest=$(inums_of 1 $CLUSTER_N hub)
cleanup			# under traffic still
traffic_stop
# shellcheck disable=SC2086
if slowwait $WAIT kmsg_balance_netns $rest; then
	ktap_test_pass "(d) ip netns del the rest under traffic: their objects destroyed"
else
	kmsg_balance_netns -v $rest
	ktap_test_fail "(d) ip netns del the rest under traffic: their objects destroyed"
fi
ktap_result "(d) final rmmod" rmmod gossip
phase_end "(d) /sys/class/gossip gone, objects balanced, kernel log clean"
ktap_print_msg "(d) took $((SECONDS - start)) s"

ktap_finished
