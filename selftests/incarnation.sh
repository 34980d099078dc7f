#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A node re-created with its old node id catches up on its earlier life
# (issue 15, item 6), in pull and in pushpull mode:
#
#   1. 4 nodes, fanout 2: n1 publishes k1..k4, every node holds them; n4 is
#      cut off (its eth0 down) and n1 publishes k5, which n1..n3 hold.
#   2. n4's only peer becomes n1 (so that what n4 learns of n1's origin
#      comes from n1 first); n1's netns is deleted and re-created (same
#      address, so the same node id; an empty store) and n1 publishes knew
#      in the batch that brings it up, before any digest exchange; n4's
#      link comes back.
#   3. Once n4 holds knew, n4 peers with n2 and n3 again (a third node
#      that holds k5). Every node must end with k1..k5 (n1's earlier life)
#      and knew, exact values.
#
# n1's new life waits for its peers' acks (life_acks_left): re-created,
# n1 also has a peer where nothing runs. With n4 cut off, n2 and n3 alone
# ack: 2 left. Once n4 is back, 1 (the dead peer), 0 on the others. The
# dead peer deleted, the acks start again over the new peer set: 0.
#
# Before the incarnation rule, n1's publish raised its mark for its own
# origin over knew: its digests claimed k1..k5, which it never got back,
# and its reply to n4 carried a MARK over k5, which n4 then never fetched
# from n2 or n3 either.
#
#   n1 .. n4: one netns each on one bridge

source "$(dirname "$0")/lib.sh"

N=4
PLAN_PER_MODE=8
DEAD=$(node_addr 9):7946	# a peer of n1 where nothing runs
MODES="pull pushpull"

test_begin $((PLAN_PER_MODE * 2))

peer_of() { echo "$(node_addr "$1"):7946"; }

# holds_all I...: each node I holds k1..k5 and knew with the values of this
# run (prefix $TAG).
holds_all() {
	local i k got
	for i in "$@"; do
		got=$(nodes_batch "$(printf 'get k%s\n' 1 2 3 4 5 new)" "$i" |
			"$GOSSIPADM" -f -b - 2>/dev/null | tr '\n' ' ')
		[ "$got" = "$TAG-1 $TAG-2 $TAG-3 $TAG-4 $TAG-5 $TAG-new " ] || return 1
	done
}

# missing I: what node I lacks of k1..k5, knew (for the log).
missing() {
	local k out=
	for k in k1 k2 k3 k4 k5 knew; do
		gadm "$1" get "$k" >/dev/null 2>&1 || out="$out $k"
	done
	echo "${out:- none}"
}

# recreate_n1 MODE: delete n1's netns (its instance with it) and make it
# again, same address (so the same node id) and MAC (the peers' ARP entries
# stay right), configured as cluster_create does, up, and publish knew in
# the same batch: before its first round, so before any digest exchange.
recreate_n1() {
	local mode=$1 ns mac
	ns=$(node_ns 1)
	mac=$(ip -n "$ns" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
	ip netns del "$ns" || return 1
	node_create 1 || return 1
	ip -n "$ns" -b - <<-EOF || return 1
		link set eth0 down
		link set eth0 address $mac
		link set eth0 up
	EOF
	"$GOSSIPADM" -n "$ns" -b - <<-EOF
		set interval 100 fanout 2 mode $mode
		peer add $(peer_of 2) $(peer_of 3) $(peer_of 4) $DEAD
		up
		publish knew $TAG-new
	EOF
}

scenario() {
	local mode=$1 i id_before id_after
	TAG="$mode-$RANDOM"
	# shellcheck disable=SC2034 # read by cluster_create
	CLUSTER_SET="mode $mode"
	if ! cluster_create $N 100 2; then
		ktap_test_fail "$mode: create a $N-node cluster"
		return
	fi
	for i in 1 2 3 4; do
		gadm 1 publish "k$i" "$TAG-$i"
	done
	have14() {
		local i
		for i in 1 2 3 4; do
			all_have "k$i" "$TAG-$i" || return 1
		done
	}
	slowwait 30 have14
	on 4 ip link set eth0 down
	gadm 1 publish k5 "$TAG-5"
	have5() { [ "$(values_of k5 1 2 3 | grep -cxF -- "$TAG-5")" -eq 3 ]; }
	if slowwait 30 have14 && slowwait 30 have5; then
		ktap_test_pass "$mode: n1 published k1..k5: n1..n4 hold k1..k4, n1..n3 k5 (n4 cut off)"
	else
		ktap_test_fail "$mode: n1 published k1..k5: n1..n4 hold k1..k4, n1..n3 k5 (n4 cut off)"
	fi
	sleep 1		# some rounds: n2 and n3's marks of n1 cover k5
	gadm 4 peer del "$(peer_of 2)" "$(peer_of 3)"
	id_before=$(gadm 1 -j show | sed -n 's/.*"node_id":\([0-9]*\).*/\1/p')
	if recreate_n1 "$mode"; then
		id_after=$(gadm 1 -j show | sed -n 's/.*"node_id":\([0-9]*\).*/\1/p')
		ktap_print_msg "$mode: n1 node id $id_before before, $id_after after"
		ktap_result "$mode: n1 re-created with the same node id, published knew at once" \
			test -n "$id_before" -a "$id_before" = "$id_after"
	else
		ktap_test_fail "$mode: n1 re-created with the same node id, published knew at once"
	fi
	acks_left() { [ "$(sysstat 1 life_acks_left)" = "$1" ]; }
	ktap_result "$mode: n1's life waits for n4 (cut off) and the dead peer: life_acks_left 2" \
		slowwait 20 acks_left 2
	on 4 ip link set eth0 up
	n4_new() { gadm 4 get knew >/dev/null 2>&1; }
	ktap_result "$mode: n4 (n1 its only peer) gets knew" slowwait 20 n4_new
	gadm 4 peer add "$(peer_of 2)" "$(peer_of 3)"
	if slowwait 20 holds_all 1 2 3 4; then
		ktap_test_pass "$mode: every node holds k1..k5 of n1's earlier life and knew"
	else
		for i in 1 2 3 4; do
			ktap_print_msg "$mode: n$i lacks$(missing "$i")"
		done
		ktap_test_fail "$mode: every node holds k1..k5 of n1's earlier life and knew"
	fi
	ktap_result "$mode: n4 got k5 (n1's reply did not mark it as held)" holds_all 4
	others_zero() { [ "$(stat_of life_acks_left 2 3 4 | grep -cx 0)" -eq 3 ]; }
	ktap_result "$mode: n4 acked: life_acks_left 1 on n1 (the dead peer), 0 on n2..n4" \
		eval 'slowwait 20 acks_left 1 && others_zero'
	gadm 1 peer del "$DEAD"
	ktap_result "$mode: the dead peer deleted: n1's life acked by the peers it has (life_acks_left 0)" \
		slowwait 20 acks_left 0
	cleanup
}

for m in $MODES; do
	scenario "$m"
done
ktap_finished
