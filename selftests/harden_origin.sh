#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An origin whose mark never rises: no node publishes as it (a stranger
# made it up, without keys), or its node went before its life caught up.
# Its entries stay above every node's mark for it (0), and its tombstones
# above every peer's: one stranger's datagram must not cost the cluster
# traffic for as long as they live (kmod/store.c, above_hash() and
# tomb_ackable()).
#
#   n1..n4  pushpull, 200 ms, fanout 3, each the peer of the others
#   n5      a stranger: nobody's peer
#
# 1. Eager off (every node sends its digest every round): n5 writes 40
#    entries under made-up origin 4000000 into n1, which reach n1..n4. Over
#    the next 4 s no digest's answer sends them again: rumors_duplicate,
#    summed over n1..n4, moves by less than 40 (one answer's worth).
#    Before, an origin with more than 16 entries above the asker's mark was
#    sent whole in every answer (its hash gave up): thousands.
# 2. Eager on: n5 writes a tombstone under made-up origin 4000001 into n1,
#    which no peer's mark can ever ack. Once the nodes are quiet, over 6 s
#    each sends about a summary a second (1 to 12), not a summary to 3
#    peers every round while it waits for acks (90). Before, every node
#    asked every round until the hard limit (10 x tombstone-ms).
# 3. The kernel log is clean.

source "$(dirname "$0")/lib.sh"

N=4
DIGEST="$LIB_DIR/digest.py"
WINDOW=6

test_begin 3
trap cleanup EXIT

CLUSTER_SET="mode pushpull eager off" cluster_create $N 200 3
node_create 5
now_us() { date +%s%6N; }
stranger() { on 5 python3 "$DIGEST" "$(node_addr 1)" 7946 "$@" >/dev/null; }
sum_stat() { stat_all "$1" | sum_lines; }

# ---- 1. entries above every mark are not sent again -------------------------
stranger push-keys 9 4000000 40 "$(now_us)"
held() { [ "$(count_have k4000000-39 x)" -eq $N ]; }
slowwait 30 held || ktap_print_msg "the forged entries did not reach every node"
sleep 1			# the answers that brought them are in
d0=$(sum_stat rumors_duplicate)
sleep 4
d1=$(sum_stat rumors_duplicate)
ktap_print_msg "40 entries of an origin with no mark on n1..n$N; over 4 s of digests every round: rumors_duplicate +$((d1 - d0))"
ktap_result "entries no mark covers, held by all, are not sent again in every answer (duplicates +$((d1 - d0)) < 40)" \
	test $((d1 - d0)) -lt 40

# ---- 2. a tombstone no peer can ack does not keep the nodes asking ----------
# shellcheck disable=SC2046 # node numbers
nodes_batch "set eager on" $(seq 1 $N) | "$GOSSIPADM" -b -
stranger tomb 9 4000001 "$(now_us)" gone
tombs() { [ "$(sum_stat tombstones)" -eq $N ]; }
bad=""
slowwait 30 tombs || bad=" (the tombstone reached $(sum_stat tombstones) of $N nodes)"
sleep 5			# past the hot window the tombstone began
mapfile -t s0 < <(stat_all tx_summaries)
sleep $WINDOW
mapfile -t s1 < <(stat_all tx_summaries)
msg=""
for ((i = 0; i < N; i++)); do
	d=$((s1[i] - s0[i]))
	msg="$msg n$((i + 1)) +$d"
	# At least one: the node is quiet (its rounds send summaries).
	[ "$d" -ge 1 ] && [ "$d" -le $((2 * WINDOW)) ] || bad="$bad n$((i + 1))"
done
ktap_print_msg "a tombstone of an origin with no mark on every node; tx_summaries over $WINDOW s:$msg"
ktap_result "quiet nodes holding a tombstone no peer can ack send about a summary a second (1 to $((2 * WINDOW)) in $WINDOW s)" \
	test -z "$bad"

ktap_result "kernel log clean" kmsg_clean
ktap_finished
