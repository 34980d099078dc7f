#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hard bounds of one instance: the bytes of keys and values a store holds
# (store-bytes), from a publish and from the network; the entry cap; and
# the memory the instance reports (mem_bytes), per instance, entry and peer.
#
#   n1, n2, n3 on one bridge; n4 alone (the entry cap, the memory figures)

source "$(dirname "$0")/lib.sh"

test_begin 13
CLUSTER_N=1
hub_create
for i in 1 2 3 4; do
	node_create "$i"
done

# value N: N bytes of "v".
value() { printf 'v%.0s' $(seq "$1"); }
V1000=$(value 1000)

# ---- 1. store-bytes against local publishes ----------------------------
gadm 1 set store-bytes 4096
for k in 1 2 3 4; do
	gadm 1 publish "big$k" "$V1000"
done
ktap_result "4 values of 1000 bytes (keys of 4): store_bytes 4016" \
	test "$(sysstat 1 store_bytes)" -eq 4016
out=$(gadm 1 publish big5 "$V1000" 2>&1)
rc=$?
ktap_result "a 5th is refused: exit 1, \"store is full (store-bytes reached)\"" \
	test "$rc" -eq 1 -a "$out" = "gossipadm: publish: gossip: store is full (store-bytes reached) (No space left on device)"
ktap_result "nothing of it stored: entries 4, store_bytes 4016, rumors_published 4" \
	test "$(sysstat 1 entries)" -eq 4 -a "$(sysstat 1 store_bytes)" -eq 4016 \
	-a "$(sysstat 1 rumors_published)" -eq 4
gadm 1 publish big1 small
gadm 1 delete big2
# big1: 4 + 5, big2 a tombstone: 4, big3 and big4: 1004 each.
ktap_result "a smaller value and a delete fit and shrink it: store_bytes 2021" \
	test "$(sysstat 1 store_bytes)" -eq 2021
ktap_result "then the 5th fits: store_bytes 3025" \
	eval 'gadm 1 publish big5 "$V1000" && test "$(sysstat 1 store_bytes)" -eq 3025'
gadm 1 set store-bytes 16777216

# ---- 2. store-bytes against received entries ----------------------------
# n2 publishes 8 values of 1000 bytes; n3 holds at most 4096 bytes of them.
gadm 3 set store-bytes 4096 interval 50
gadm 2 set interval 50
gadm 2 peer add "$(node_addr 3)"
gadm 3 peer add "$(node_addr 2)"
for k in 1 2 3 4 5 6 7 8; do
	echo "publish recv$k $V1000"
done | gadm 2 -b -
gadm 2 up
gadm 3 up
four() { [ "$(sysstat 3 entries)" -eq 4 ] && [ "$(sysstat 3 rx_err_full)" -ge 4 ]; }
slowwait 30 four
ktap_print_msg "n3: entries $(sysstat 3 entries), store_bytes $(sysstat 3 store_bytes), rx_err_full $(sysstat 3 rx_err_full), rumors_applied $(sysstat 3 rumors_applied)"
ktap_result "received: 4 of 8 stored, store_bytes 4020, the others counted under rx_err_full" \
	test "$(sysstat 3 entries)" -eq 4 -a "$(sysstat 3 store_bytes)" -eq 4020 \
	-a "$(sysstat 3 rx_err_full)" -ge 4 -a "$(sysstat 3 rumors_applied)" -eq 4
gadm 3 set store-bytes 16777216
eight() { [ "$(sysstat 3 entries)" -eq 8 ]; }
slowwait 30 eight
ktap_result "the cap raised: the other 4 arrive (anti-entropy), store_bytes 8040" \
	test "$(sysstat 3 entries)" -eq 8 -a "$(sysstat 3 store_bytes)" -eq 8040
gadm 2 down
gadm 3 down

# ---- 3. memory: per instance, per entry, per peer -----------------------
m0=$(sysstat 4 mem_bytes)
ktap_print_msg "a new instance: mem_bytes $m0"
for ((k = 0; k < 1000; k++)); do
	printf 'publish mem-%04d %s\n' "$k" "$(printf '%0100d' "$k")"
done | gadm 4 -b -
m1=$(sysstat 4 mem_bytes)
per_entry=$(((m1 - m0) / 1000))
ktap_print_msg "1000 entries (key 8, value 100 bytes): mem_bytes $m1, $per_entry bytes per entry"
# An entry holds its 108 bytes plus indexes: more than that, less than 1 KiB.
ktap_result "mem_bytes grew by 108..1024 bytes per entry" \
	test "$per_entry" -ge 108 -a "$per_entry" -le 1024
# peers_1000 add|del: 1000 sink peers of node 4, in one batch.
peers_1000() {
	local k
	for ((k = 0; k < 1000; k++)); do
		echo "peer $1 10.200.$((k / 250)).$((k % 250 + 1))"
	done | gadm 4 -b -
}
peers_1000 add
m2=$(sysstat 4 mem_bytes)
per_peer=$(((m2 - m1) / 1000))
ktap_print_msg "1000 peers: mem_bytes $m2, $per_peer bytes per peer"
# An address, its credit and index (42 bytes), its state (72, a 96-byte
# slab object): 138.
ktap_result "mem_bytes grew by 100..192 bytes per peer (an address and its state)" \
	test "$per_peer" -ge 100 -a "$per_peer" -le 192
peers_1000 del
ktap_result "the peers removed: mem_bytes back to $m1" \
	test "$(sysstat 4 mem_bytes)" -eq "$m1"

# ---- 4. the entry cap ----------------------------------------------------
# A store holds at most GOSSIP_ENTRIES_MAX (65536) entries: 1000 are there.
for ((k = 1000; k < 65536; k++)); do
	echo "publish e$k x"
done | gadm 4 -b -
ktap_result "65536 entries stored" test "$(sysstat 4 entries)" -eq 65536
out=$(gadm 4 publish one-more x 2>&1)
rc=$?
ktap_result "the 65537th: exit 1, \"store is full (65536 entries)\"" \
	test "$rc" -eq 1 -a "$out" = "gossipadm: publish: gossip: store is full (65536 entries) (No space left on device)"
ktap_print_msg "65536 entries: mem_bytes $(sysstat 4 mem_bytes), store_bytes $(sysstat 4 store_bytes)"
ktap_result "a new value for a stored key still goes in" \
	eval 'gadm 4 publish e1000 y && test "$(gadm 4 get e1000)" = y'
ktap_finished
