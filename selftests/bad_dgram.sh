#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed datagrams into a live node: each kind is dropped and counted
# under its own counter, nothing in it is applied, nothing is sent back.
# Valid datagrams from an independent encoder (dgram.py) are applied.
#
#   n1 (gossip up, no peers)  <--- UDP ---  n2 (dgram.py)
#        \                                    /
#         ------------- br0 (hub) -----------

source "$(dirname "$0")/lib.sh"

COUNT=50
# kind  counter that must move by COUNT
CASES="short:rx_err_short magic:rx_err_magic version:rx_err_version
type:rx_err_type length:rx_err_length count:rx_err_length
record:rx_err_length entry-key0:rx_err_entry entry-keylong:rx_err_entry
entry-value:rx_err_entry entry-origin0:rx_err_entry mixed:rx_err_entry
valid:rumors_applied"

test_begin 15
CLUSTER_N=1
hub_create
node_create 1
node_create 2
gadm 1 up

COUNTERS="rx_dgrams rumors_applied rx_err_short rx_err_magic rx_err_version
rx_err_type rx_err_length rx_err_entry tx_dgrams entries"
declare -A before
snapshot() {
	local c
	for c in $COUNTERS; do
		before[$c]=$(sysstat 1 "$c")
	done
}
# moved COUNTER: how much it moved since the snapshot.
moved() { echo $(($(sysstat 1 "$1") - ${before[$1]})); }
all_seen() { [ "$(moved rx_dgrams)" -ge $COUNT ]; }

sent=0
for case in $CASES; do
	kind=${case%%:*}
	counter=${case#*:}
	snapshot
	back=$(on 2 python3 "$LIB_DIR/dgram.py" "$(node_addr 1)" 7946 "$kind" $COUNT)
	sent=$((sent + COUNT))
	# Wait until the node has seen them all (UDP on a veth: none lost).
	slowwait 10 all_seen
	ok=1
	for c in $COUNTERS; do
		want=0
		[ "$c" = rx_dgrams ] && want=$COUNT
		[ "$c" = "$counter" ] && want=$COUNT
		[ "$kind" = valid ] && [ "$c" = entries ] && want=$COUNT
		if [ "$(moved "$c")" -ne "$want" ]; then
			ktap_print_msg "$kind: $c moved by $(moved "$c"), expected $want"
			ok=0
		fi
	done
	[ "$back" -eq 0 ] || { ktap_print_msg "$kind: $back bytes came back"; ok=0; }
	if [ $ok -eq 1 ]; then
		ktap_test_pass "$kind x$COUNT: $counter +$COUNT, nothing else, no reply"
	else
		ktap_test_fail "$kind x$COUNT"
	fi
done

ktap_result "valid entries from an independent encoder are readable" \
	test "$(gadm 1 get wire-key7)" = ok
ktap_result "rx_dgrams counts all $sent datagrams" \
	test "$(sysstat 1 rx_dgrams)" -eq $sent
ktap_finished
