#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Eager forwarding on a 16-node cluster whose rounds never fire during a
# phase (a 60 s interval: the first round comes 54..66 s after up, and every
# phase starts with down/up): whatever spreads, spreads eagerly.
#
# With eager on (the default), in push and in pushpull, a value published on
# node 1 reaches all 16 nodes, and the counters are exact: node 1 pushes it
# to fanout (3) of its 15 peers; each other node applies it exactly once and
# forwards it once, to 3 of its 14 peers other than the one it came from. So
# tx_eager = tx_dgrams = rx_dgrams = 16 * 3 = 48 over the cluster,
# rumors_applied 1 on each receiver, rumors_duplicate 48 - 15 = 33. A delete
# spreads the same way; a batch of two publishes twice. With eager off, or
# in pull mode, nothing is sent: the value stays on node 1.
#
#   n1 .. n16: one netns each, eth0 10.99.0.I/16, every other node a peer
#        \  |  /
#        br0 (hub netns)

source "$(dirname "$0")/lib.sh"

N=16
FANOUT=3
INTERVAL=60000
PER=$((N * FANOUT))	# eager datagrams per update over the cluster
WAIT_OFF=3		# seconds a value is given to (not) spread
STATS="tx_eager tx_dgrams rx_dgrams rumors_applied rumors_duplicate tx_errors rounds"

test_begin 16
if ! cluster_create $N $INTERVAL $FANOUT; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi
ktap_test_pass "create a $N-node cluster"

eager=$(gadm 1 -j show | python3 -c 'import json, sys; print(json.load(sys.stdin)["eager"])')
ktap_result "eager is on by default (show -j: $eager)" test "$eager" = on

# phase MODE EAGER: every node down, configured, up again: no round fires
# for the next 54 s. Then the counters' starting point.
declare -A S0 S1
phase() {
	local i
	for ((i = 1; i <= N; i++)); do
		printf 'down\nset mode %s eager %s\nup\n' "$1" "$2" |
			gadm "$i" -b - || return 1
	done
	snap S0
}

# snap ARRAY: every node's counters of $STATS into ARRAY[NAME,I], one
# process per node.
snap() {
	local -n arr=$1
	local i j names vals
	read -r -a names <<<"$STATS"
	for ((i = 1; i <= N; i++)); do
		# shellcheck disable=SC2086
		read -r -a vals < <(on "$i" sh -c \
			'cd /sys/class/gossip/gossip/stats && cat "$@" | tr "\n" " "' \
			sh $STATS)
		for j in "${!names[@]}"; do
			arr[${names[j]},$i]=${vals[j]:-0}
		done
	done
}

# delta NAME [I]: how much NAME moved since the phase began, on node I or
# summed over the cluster.
delta() {
	local name=$1 i s=0
	if [ $# -eq 2 ]; then
		echo $((S1[$name,$2] - S0[$name,$2]))
		return
	fi
	for ((i = 1; i <= N; i++)); do
		s=$((s + S1[$name,$i] - S0[$name,$i]))
	done
	echo "$s"
}

# settled: every datagram sent was received, and a second look finds the
# same figures (the last forward may be on its way when the value is seen).
settled() {
	local tx rx
	snap S1
	tx=$(delta tx_dgrams)
	rx=$(delta rx_dgrams)
	[ "$tx" -eq "$rx" ] || return 1
	sleep 0.3
	snap S1
	[ "$(delta tx_dgrams)" -eq "$tx" ] && [ "$(delta rx_dgrams)" -eq "$rx" ]
}

# exact UPDATES: the counters of a phase in which node PUB published
# UPDATES updates, each spread eagerly to every node.
exact() {
	local k=$1 pub=$2 i ok=0 applied=""
	for ((i = 1; i <= N; i++)); do
		applied+=" $(delta rumors_applied "$i")"
	done
	ktap_print_msg "tx_eager $(delta tx_eager) tx_dgrams $(delta tx_dgrams) rx_dgrams $(delta rx_dgrams) duplicate $(delta rumors_duplicate) tx_errors $(delta tx_errors) rounds $(delta rounds)"
	ktap_print_msg "rumors_applied per node:$applied"
	[ "$(delta tx_eager)" -eq $((k * PER)) ] || ok=1
	[ "$(delta tx_dgrams)" -eq $((k * PER)) ] || ok=1
	[ "$(delta rx_dgrams)" -eq $((k * PER)) ] || ok=1
	[ "$(delta rumors_duplicate)" -eq $((k * (PER - N + 1))) ] || ok=1
	[ "$(delta tx_errors)" -eq 0 ] || ok=1
	[ "$(delta rounds)" -eq 0 ] || { ktap_print_msg "a round fired: the phase took too long"; ok=1; }
	for ((i = 1; i <= N; i++)); do
		if [ "$i" -eq "$pub" ]; then
			[ "$(delta rumors_applied "$i")" -eq 0 ] || ok=1
		else
			[ "$(delta rumors_applied "$i")" -eq "$k" ] || ok=1
		fi
	done
	return $ok
}

# 3-6. Push and pushpull: everywhere, eagerly, with exact counters.
for mode in push pushpull; do
	phase "$mode" on || ktap_print_msg "phase $mode: configuration failed"
	t0=$SECONDS
	gadm 1 publish "e-$mode" "v-$mode"
	if slowwait 30 all_have "e-$mode" "v-$mode"; then
		ktap_test_pass "$mode, eager on: $N/$N nodes hold the value ($((SECONDS - t0)) s, no round)"
	else
		ktap_test_fail "$mode, eager on: $(count_have "e-$mode" "v-$mode")/$N nodes hold the value"
	fi
	slowwait 30 settled || ktap_print_msg "$mode: datagrams still in flight"
	ktap_result "$mode, eager on: tx_eager = tx_dgrams = rx_dgrams = $PER, 1 applied per receiver, $((PER - N + 1)) duplicates" \
		exact 1 1
done

# 7-8. A delete spreads eagerly too.
phase push on || ktap_print_msg "phase delete: configuration failed"
gadm 5 delete e-push
gone_everywhere() {
	local i
	for ((i = 1; i <= N; i++)); do
		gadm "$i" get e-push >/dev/null 2>&1 && return 1
	done
	return 0
}
ktap_result "delete, eager on: the key is gone on every node" \
	slowwait 30 gone_everywhere
slowwait 30 settled || ktap_print_msg "delete: datagrams still in flight"
ktap_result "delete, eager on: exact counters, as a publish" exact 1 5

# 9-10. Two publishes in one batch: each is pushed at once.
phase push on || ktap_print_msg "phase batch: configuration failed"
printf 'publish b1 one\npublish b2 two\n' | gadm 1 -b -
both() { all_have b1 one && all_have b2 two; }
ktap_result "batch of 2 publishes, eager on: both on every node" slowwait 30 both
slowwait 30 settled || ktap_print_msg "batch: datagrams still in flight"
ktap_result "batch of 2 publishes: twice the counters of one" exact 2 1

# 11-14. Eager off, and pull mode with eager on: nothing is sent, the value
# stays on node 1 (until a round, 54 s away).
for cfg in "push off" "pull on"; do
	read -r mode e <<<"$cfg"
	phase "$mode" "$e" || ktap_print_msg "phase $cfg: configuration failed"
	gadm 1 publish "e-$mode-$e" x
	sleep $WAIT_OFF
	have=$(count_have "e-$mode-$e" x)
	ktap_result "$mode, eager $e: after $WAIT_OFF s only node 1 holds the value ($have/$N)" \
		test "$have" -eq 1
	snap S1
	ktap_print_msg "tx_eager $(delta tx_eager) tx_dgrams $(delta tx_dgrams) rx_dgrams $(delta rx_dgrams) rounds $(delta rounds)"
	ktap_result "$mode, eager $e: tx_eager 0, nothing sent" \
		test "$(delta tx_eager)" -eq 0 -a "$(delta tx_dgrams)" -eq 0
done

ktap_result "kernel log clean" kmsg_clean
cleanup
ktap_result "rmmod" unload_module
ktap_finished
