#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A quiet cluster (kmod/send.c, "quiet"). With eager on (the default), a
# node that has had nothing new for a hot window sends nothing but a
# SUMMARY (a hash of its entries and marks: kmod/store.c) to one random
# peer every ceil(1000 / interval) rounds: about one datagram a second. A
# peer whose own summary is the same sends nothing back; one whose summary
# differs answers with its digest and its own summary.
#
# 8 nodes (4 under make check-debug), every other node a peer, 200 ms
# rounds, fanout 3, tombstone-ms 1000 (the hard limit 10 s):
#
#  1-3. In each mode (push, pull, pushpull), once every node is quiet (its
#       tx_summaries moves), over a window of 6 s: every datagram any node
#       sent was a summary (tx_dgrams = tx_summaries on every node), every
#       summary matched (rx_sum_differ, tx_requests and tx_replies +0; the
#       sum of rx_sum_match is the sum of tx_summaries but for those in
#       flight while the nodes were read, at most one per node at each
#       end), and each node sent one summary per 5 of its rounds (floor or
#       ceil of rounds / 5).
#  4-5. Pushpull: a value published on a quiet node reaches every node; the
#       cluster is quiet again.
#  6-7. The last node cut off (its eth0 down) while node 1 publishes; the
#       others get it and go quiet again; eth0 up: the last node, itself
#       quiet all along, learns it from the summaries alone (rx_sum_differ
#       moves) and no node's rounds stop being quiet but for the exchange.
#  8-9. A delete in a quiet cluster: the tombstone is collected on every
#       node within 8 s, by acks (tombstones_expired +0): a node waiting for
#       acks asks for them with its summary (GOSSIP_SUM_F_ACKS).
#  10.  With eager off a node is never quiet: over 5 s, tx_summaries +0
#       and pull sends its digests every round (tx_requests = 3 x rounds,
#       read with the nodes down: a round in flight is not half counted).

source "$(dirname "$0")/lib.sh"

N=$(sized 8 4)
INTERVAL=200
EVERY=$(((1000 + INTERVAL - 1) / INTERVAL))	# rounds between summaries
WINDOW=6

test_begin 10
CLUSTER_SET="tombstone-ms 1000"
if ! cluster_create "$N" $INTERVAL 3; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi

# snap FILE: every node's counters, a JSON line per node, in node order.
snap() { each_node stats | "$GOSSIPADM" -j -b - >"$1"; }

# deltas A B: D[NAME,I], how much counter NAME moved on node I (from 1)
# from snapshot A to B, and D[NAME], summed over the cluster: one python
# for all of them (a process costs a second under the debug kernel).
declare -A D
deltas() {
	local k v
	D=()
	while read -r k v; do
		D[$k]=$v
	done < <(python3 - "$1" "$2" <<-'EOF'
		import json, sys
		rows = [[json.loads(l) for l in open(f)] for f in sys.argv[1:3]]
		tot = {}
		for i, (a, b) in enumerate(zip(*rows), 1):
		    for k, v in b.items():
		        if isinstance(v, int) and isinstance(a.get(k), int):
		            print("%s,%d %d" % (k, i, v - a[k]))
		            tot[k] = tot.get(k, 0) + v - a[k]
		for k, v in tot.items():
		    print(k, v)
	EOF
	)
}

TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"; cleanup' EXIT

# quiet_all [NODES...]: every node named (default: all) sent a summary
# since the last call's snapshot; the snapshot moves on.
quiet_all() {
	local i ok=0
	snap "$TMPD/q1"
	deltas "$TMPD/q0" "$TMPD/q1"
	for i in ${@:-$(seq 1 "$N")}; do
		[ "${D[tx_summaries,$i]:-0}" -gt 0 ] || ok=1
	done
	cp "$TMPD/q1" "$TMPD/q0"
	return $ok
}
# wait_quiet [NODES...]: quiet_all holds twice in a row, 1.5 s apart (a
# summary comes every second).
wait_quiet() {
	snap "$TMPD/q0"
	sleep 1.5
	quiet_all "$@" || return 1
	sleep 1.5
	quiet_all "$@"
}

# window: the counters over WINDOW s of a quiet cluster, checked.
window() {
	local i r s d m bad=0
	snap "$TMPD/w0"
	sleep $WINDOW
	snap "$TMPD/w1"
	deltas "$TMPD/w0" "$TMPD/w1"
	for i in $(seq 1 "$N"); do
		r=${D[rounds,$i]} s=${D[tx_summaries,$i]} d=${D[tx_dgrams,$i]}
		if [ "$d" -ne "$s" ] || [ "$s" -lt $((r / EVERY)) ] ||
		   [ "$s" -gt $(((r + EVERY - 1) / EVERY)) ]; then
			ktap_print_msg "node $i: $r rounds, $s summaries, $d datagrams"
			bad=1
		fi
	done
	ktap_print_msg "$1: over $WINDOW s: tx_dgrams +${D[tx_dgrams]}, tx_summaries +${D[tx_summaries]}, rx_sum_match +${D[rx_sum_match]}, rx_sum_differ +${D[rx_sum_differ]}, tx_requests +${D[tx_requests]}, tx_replies +${D[tx_replies]}, tx_bytes +${D[tx_bytes]}"
	# Every summary matched. The nodes are read one after the other, so
	# a summary can be sent on one side of a snapshot and received on
	# the other: at most one per node and snapshot (one a second).
	m=${D[rx_sum_match]} s=${D[tx_summaries]}
	[ "$m" -ge $((s - N)) ] && [ "$m" -le $((s + N)) ] || bad=1
	for c in rx_sum_differ tx_requests tx_replies; do
		[ "${D[$c]}" -eq 0 ] || bad=1
	done
	return $bad
}

# mode_all MODE [EAGER]: every node to MODE, without down/up.
mode_all() { each_node "set mode $1 eager ${2:-on}" | "$GOSSIPADM" -b -; }

# 1-3. Quiet in every mode.
gadm 1 publish seed 1
for mode in push pull pushpull; do
	mode_all $mode
	if ! slowwait 60 wait_quiet; then
		ktap_test_fail "$mode: every node quiet"
		continue
	fi
	ktap_result "$mode: quiet, only summaries (1 per $EVERY rounds), all matched" \
		window $mode
done

# 4-5. An update on a quiet cluster.
gadm 2 publish fresh yes
ktap_result "pushpull, quiet: a value published on node 2 reaches all $N nodes" \
	slowwait 30 all_have fresh yes
ktap_result "pushpull: quiet again after the update" slowwait 60 wait_quiet

# 6-7. A node that missed an update while cut off learns it from summaries.
LAST=$N
ip -n "$(node_ns $LAST)" link set eth0 down
gadm 1 publish cut off
others() { [ "$(count_have cut off)" -eq $((N - 1)) ]; }
slowwait 30 others || ktap_print_msg "not all of nodes 1..$((N - 1)) got it"
# shellcheck disable=SC2046 # node numbers
slowwait 60 wait_quiet $(seq 1 $((N - 1))) ||
	ktap_print_msg "nodes 1..$((N - 1)) not quiet again"
ktap_print_msg "node $LAST holds '$(gadm $LAST get cut 2>/dev/null)' before its link is up"
snap "$TMPD/c0"
ip -n "$(node_ns $LAST)" link set eth0 up
has_cut() { [ "$(gadm $LAST get cut 2>/dev/null)" = off ]; }
ktap_result "node $LAST, cut off while node 1 published, gets the value once its link is up" \
	slowwait 30 has_cut
snap "$TMPD/c1"
deltas "$TMPD/c0" "$TMPD/c1"
ktap_print_msg "meanwhile: rx_sum_differ +${D[rx_sum_differ]}, tx_requests +${D[tx_requests]}, tx_replies +${D[tx_replies]}"
ktap_result "by a summary that differed (rx_sum_differ +${D[rx_sum_differ]})" \
	test "${D[rx_sum_differ]}" -gt 0

# 8-9. A delete in a quiet cluster: collected by acks, not at the limit.
slowwait 60 wait_quiet || ktap_print_msg "not quiet before the delete"
snap "$TMPD/t0"
gadm 3 delete seed
gone() { [ "$(count_have seed 1)" -eq 0 ]; }
slowwait 30 gone || ktap_print_msg "the delete did not reach every node"
no_tombs() { [ "$(stat_all tombstones | grep -cx 0)" -eq "$N" ]; }
ktap_result "delete: the tombstone collected on all $N nodes within 8 s (hard limit 10 s)" \
	slowwait 8 no_tombs
snap "$TMPD/t1"
deltas "$TMPD/t0" "$TMPD/t1"
ktap_print_msg "tombstones_collected +${D[tombstones_collected]}, tombstones_expired +${D[tombstones_expired]}, rx_sum_match +${D[rx_sum_match]}"
ktap_result "by acks: tombstones_collected +$N, tombstones_expired +0" \
	test "${D[tombstones_collected]}" -eq "$N" \
	-a "${D[tombstones_expired]}" -eq 0

# 10. Eager off: the textbook's rounds, never quiet. A round counts itself
# (rounds) when it starts and its digests (tx_requests) once they are
# sent, so a node read while a round runs is 3 requests short: the
# snapshots are taken with every node down (down waits for a running
# round), and the window is what the nodes did while up in between.
mode_all pull off
sleep 1
each_node down | "$GOSSIPADM" -b -
snap "$TMPD/e0"
each_node up | "$GOSSIPADM" -b -
sleep 5
each_node down | "$GOSSIPADM" -b -
snap "$TMPD/e1"
each_node up | "$GOSSIPADM" -b -
deltas "$TMPD/e0" "$TMPD/e1"
r=${D[rounds]}
ktap_print_msg "eager off, pull, 5 s: rounds +$r, tx_requests +${D[tx_requests]}, tx_summaries +${D[tx_summaries]}"
ktap_result "eager off: no summary, a digest to 3 peers every round" \
	test "${D[tx_summaries]}" -eq 0 \
	-a "${D[tx_requests]}" -eq $((3 * r))

ktap_finished
