#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deletes cannot be lost to tombstone collection (issue 13, item 6).
#
#   1. 4 nodes, pull, tombstone-ms 5 s: key k published by n2 and held by
#      all; n4 down; n1 deletes k. Three tombstone-ms later n1..n3 still
#      hold the tombstone (n4, a configured peer, has not shown it holds
#      it); n4 up: k is gone on n4 and comes back nowhere; then every node
#      collects its tombstone, none of them at the hard limit.
#   2. The hard limit: n1 has a peer that never answers (an address with
#      no node); its tombstone outlives 6 x tombstone-ms, then is collected
#      at 10 x tombstone-ms, counted in tombstones_expired.
#
#   n1 .. n4: one netns each on one bridge, every other node a peer
#
# The checks race the hard limit (10 x tombstone-ms after the delete) with
# the test's own steps, each gossipadm call a second or more in a loaded
# debug VM: the reads "6 x tombstone-ms after" landed 14 s after the delete
# with tombstone-ms 2 s (a hard limit of 20 s) on an idle machine, close
# enough that CI's contended debug run lost the race (n1 read 22 s after
# it, the tombstone expired). With 4 s, two debug VMs on this 2-core
# machine plus other load brought n4 up 27 s after the delete and read the
# "6 x" counters at 31 s; 5 s puts the hard limit at 50 s.

source "$(dirname "$0")/lib.sh"

N=4
TOMB=5000	# ms

test_begin 13
# shellcheck disable=SC2034 # read by cluster_create
CLUSTER_SET="mode pull tombstone-ms $TOMB"
if ! cluster_create $N 100 3; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi

# ---- 1. a node down while a key is deleted -------------------------------
gadm 2 publish k v1
if slowwait 30 all_have k v1; then
	ktap_test_pass "k published on n2 reaches the $N nodes"
else
	ktap_test_fail "k published on n2 reaches the $N nodes ($(count_have k v1)/$N)"
fi
gadm 4 down
gadm 1 delete k
t0=$SECONDS
gone_on() {
	# shellcheck disable=SC2068 # node numbers
	[ -z "$(values_of k $@)" ]
}
ktap_result "k deleted on n1 is gone on n1..n3" slowwait 30 gone_on 1 2 3
sleep $((3 * TOMB / 1000))
held=$(stat_of tombstones 1 2 3 | tr '\n' ' ')
coll=$(stat_of tombstones_collected 1 2 3 | tr '\n' ' ')
ktap_print_msg "after 3 x tombstone-ms with n4 down: tombstones $held, tombstones_collected $coll (n1..n3)"
ktap_result "n1..n3 still hold the tombstone 3 x tombstone-ms after the delete (n4 down)" \
	test "$held" = "1 1 1 " -a "$coll" = "0 0 0 "

ktap_print_msg "n4 up $((SECONDS - t0)) s after the delete (the hard limit is $((10 * TOMB / 1000)) s)"
gadm 4 up
n4_lacks_k() { ! gadm 4 get k >/dev/null 2>&1; }
if slowwait 30 n4_lacks_k; then
	ktap_test_pass "n4 up: k is gone on n4"
else
	ktap_print_msg "n4 still has k = $(gadm 4 get k 2>&1)"
	ktap_test_fail "n4 up: k is gone on n4"
fi
# never_back: k is gone on every node at every look for at least 5 s, the
# last look at the end (a time, not a count of looks: a look costs seconds
# in a loaded debug VM, where 50 of them took 120 s). SECONDS counts whole
# seconds, so 6 of them are more than 5 s.
# shellcheck disable=SC2046 # node numbers
never_back() {
	local end=$((SECONDS + 6))
	while :; do
		if ! gone_on $(seq 1 $N); then
			ktap_print_msg "k is back: $(values_of -j k $(seq 1 $N) | tr '\n' ' ')"
			return 1
		fi
		[ "$SECONDS" -ge "$end" ] && return 0
		sleep 0.1
	done
}
ktap_result "k stays gone on every node for 5 s" never_back
collected_all() {
	[ "$(stat_all tombstones | grep -cx 0)" -eq $N ] &&
		[ "$(stat_all tombstones_collected | grep -cx 1)" -eq $N ]
}
if slowwait 60 collected_all; then
	ktap_print_msg "collected everywhere $((SECONDS - t0)) s after the delete"
	ktap_test_pass "then every node collected its tombstone: tombstones 0, tombstones_collected 1"
else
	ktap_print_msg "tombstones $(stat_all tombstones | tr '\n' ' '), tombstones_collected $(stat_all tombstones_collected | tr '\n' ' ')"
	ktap_test_fail "then every node collected its tombstone: tombstones 0, tombstones_collected 1"
fi
ktap_result "none at the hard limit: tombstones_expired 0 on every node" \
	test "$(stat_all tombstones_expired | grep -cx 0)" -eq $N
ktap_result "k stays gone on every node after the collection" never_back

# ---- 2. the hard limit: a peer that never answers ------------------------
# 10.99.0.250 is on the bridge's subnet, and no node has it. The hard limit
# is 10 x tombstone-ms: 50 s.
gadm 1 peer add 10.99.0.250:7946
gadm 1 publish k2 v2
slowwait 30 all_have k2 v2 || ktap_print_msg "k2 did not reach every node"
c0=$(sysstat 1 tombstones_collected)
e0=$(sysstat 1 tombstones_expired)
gadm 1 delete k2
t0=$SECONDS
# n1_holds WHEN: n1 still holds the tombstone, none collected nor expired
# (each counter read once: the reads take a second or so in the VM).
n1_holds() {
	local held coll exp
	held=$(sysstat 1 tombstones)
	coll=$(($(sysstat 1 tombstones_collected) - c0))
	exp=$(($(sysstat 1 tombstones_expired) - e0))
	ktap_print_msg "n1, $((SECONDS - t0)) s after the delete ($1): tombstones $held, collected $coll, expired $exp"
	[ "$held" -eq 1 ] && [ "$coll" -eq 0 ] && [ "$exp" -eq 0 ]
}
sleep $((3 * TOMB / 1000))
ktap_result "a peer that never answers: n1 holds the tombstone 3 x tombstone-ms after the delete" \
	n1_holds "3 x tombstone-ms"
left=$((6 * TOMB / 1000 - (SECONDS - t0)))
[ "$left" -le 0 ] || sleep "$left"
ktap_result "and still 6 x tombstone-ms after it, before the hard limit" \
	n1_holds "6 x tombstone-ms"
n1_empty() { [ "$(sysstat 1 tombstones)" -eq 0 ]; }
slowwait 70 n1_empty
ktap_print_msg "n1: tombstones $(sysstat 1 tombstones) $((SECONDS - t0)) s after the delete"
ktap_result "at the hard limit it is collected: tombstones_collected and tombstones_expired +1" \
	test "$(sysstat 1 tombstones)" -eq 0 \
	-a "$(sysstat 1 tombstones_collected)" -eq $((c0 + 1)) \
	-a "$(sysstat 1 tombstones_expired)" -eq $((e0 + 1))
ktap_result "k2 is gone on every node" \
	eval '[ -z "$(values_of k2 $(seq 1 $N))" ]'

cleanup
ktap_result "rmmod" unload_module
ktap_finished
