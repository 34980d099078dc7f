#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `gossipadm peer show` says of each peer (the per-peer state of
# peers.c), in a cluster where one peer is silent, asserted exactly:
#
#   1. the silent peer (n4: its namespace and address exist, gossip is never
#      up there) reads never / 0 received / 0 auth failures, and was not
#      seen answering a digest, while datagrams were sent to it (its tree
#      column may say yes: a node with no link joins the tree by a random
#      peer, and a silent one never says no);
#   2. with n1 stopped and nothing in flight, what n1 counts as sent to n2
#      (n3) is exactly what n2 (n3) counts as received from n1, datagrams
#      and bytes (the peers were configured before any node came up, and
#      every receiver stayed up);
#   3. n1's sent datagrams and bytes summed over its peers are its tx_dgrams
#      and tx_bytes counters (a node sends to configured peers only);
#   4. a key on n2 alone: n3 counts the sealed datagrams it cannot open on
#      n2's row, exactly its rx_err_auth, and none on the others';
#   5. replacing n3's peer set (n4 removed, a new peer added) keeps n2's
#      counters as they were; the new peer starts at never / 0.
#
#   n1 n2 n3 (gossip up, push, every other node a peer, n4 too)   n4 (silent)
#     \  |  /                                                      /
#      br0 (hub) --------------------------------------------------

source "$(dirname "$0")/lib.sh"

test_begin 8
TMPD=$(mktemp -d)
trap 'cleanup; rm -rf "$TMPD"' EXIT

CLUSTER_N=4
hub_create
for i in 1 2 3 4; do
	node_create "$i" || { ktap_test_fail "create 4 nodes"; ktap_finished; }
done
A=("" "$(node_addr 1)" "$(node_addr 2)" "$(node_addr 3)" "$(node_addr 4)")
# Peers first, then every node up in one process: the first round is
# 0.9 s or more after the up, when all three listen.
for i in 1 2 3; do
	echo "netns $(node_ns "$i")"
	echo "set interval 1000"
	peers=()
	for j in 1 2 3 4; do ((j != i)) && peers+=("${A[j]}"); done
	echo "peer add ${peers[*]}"
done | "$GOSSIPADM" -b -
nodes_batch up 1 2 3 | "$GOSSIPADM" -b -

# pstate I ADDR FIELD: field FIELD of node I's peer ADDR, from peer show -j
# (None for JSON null).
pstate() {
	gadm "$1" -j peer show | python3 -c '
import json, sys
print(next(p[sys.argv[2]] for p in json.load(sys.stdin) if p["addr"] == sys.argv[1]))' "$2" "$3"
}
# row I ADDR: what node I received from its peer ADDR (what stops moving
# once ADDR is down: rx, auth failures), as JSON.
row() {
	gadm "$1" -j peer show | python3 -c '
import json, sys
p = next(p for p in json.load(sys.stdin) if p["addr"] == sys.argv[1])
print(json.dumps({k: p[k] for k in ("rx_dgrams", "rx_bytes", "auth_fails")}))' "$2"
}

gadm 1 publish color blue
all_have_3() { [ "$(count_have color blue)" -ge 3 ]; }
slowwait 30 all_have_3 || ktap_print_msg "the value did not reach n2 and n3"
# Until n1's digest (one every 8 rounds in push mode) went out to someone.
# stat_ge I NAME N: node I's counter NAME is at least N (read each poll).
stat_ge() { [ "$(sysstat "$1" "$2")" -ge "$3" ]; }
slowwait 30 stat_ge 1 tx_requests 1 ||
	ktap_print_msg "n1 sent no digest within 30 s"

ktap_print_msg "gossipadm peer show on n1:"
gadm 1 peer show | while read -r l; do ktap_print_msg "  $l"; done

# 1. The silent peer.
silent=$(gadm 1 peer show | grep "^${A[4]}:7946 ")
ktap_result "n4's row: never, nothing received, no auth failure, did not answer" \
	test -n "$(grep -E "^${A[4]}:7946 +never +0 +0 +[1-9][0-9]* +[1-9][0-9]* +0 +(no|-) +(no|yes)$" <<<"$silent")" \
	-a "$(pstate 1 "${A[4]}" last_rx_ms) $(pstate 1 "${A[4]}" rx_dgrams) $(pstate 1 "${A[4]}" auth_fails)" = "None 0 0" \
	-a "$(pstate 1 "${A[4]}" answered)" != True
# Hot entries go 4 rounds; then a digest every 8: heard from within 60 s.
ktap_result "n2's and n3's rows on n1: heard from (within the last 60 s)" \
	python3 -c 'import sys; sys.exit(not all(a not in ("None", "") and int(a) < 60000 for a in sys.argv[1:]))' \
	"$(pstate 1 "${A[2]}" last_rx_ms)" "$(pstate 1 "${A[3]}" last_rx_ms)"

# 2. n1 stops; nothing of it is in flight once both sides agree.
gadm 1 down
pair() { # pair J: n1's tx to nJ and nJ's rx from n1, dgrams and bytes
	echo "$(pstate 1 "${A[$1]}" tx_dgrams) $(pstate 1 "${A[$1]}" tx_bytes)" \
		"$(pstate "$1" "${A[1]}" rx_dgrams) $(pstate "$1" "${A[1]}" rx_bytes)"
}
same() { local p; read -ra p <<<"$(pair "$1")"; [ "${p[0]} ${p[1]}" = "${p[2]} ${p[3]}" ]; }
for j in 2 3; do
	slowwait 5 same "$j"
	read -ra p <<<"$(pair "$j")"
	ktap_print_msg "n1 -> n$j: sent ${p[0]} datagrams ${p[1]} bytes; n$j received ${p[2]} / ${p[3]}"
	ktap_result "n1 -> n$j: sent = received, datagrams and bytes (${p[0]} > 0)" \
		test "${p[0]} ${p[1]}" = "${p[2]} ${p[3]}" -a "${p[0]}" -gt 0
done

# 3. The sum over the peers is the node's counter.
sums=$(gadm 1 -j peer show | python3 -c '
import json, sys
ps = json.load(sys.stdin)
print(sum(p["tx_dgrams"] for p in ps), sum(p["tx_bytes"] for p in ps))')
ktap_print_msg "n1: peers' tx summed $sums, counters $(sysstat 1 tx_dgrams) $(sysstat 1 tx_bytes)"
ktap_result "n1: tx_dgrams and tx_bytes are the sums over its peers" \
	test "$sums" = "$(sysstat 1 tx_dgrams) $(sysstat 1 tx_bytes)"

# 4. A key on n2 alone: its datagrams fail authentication on n3.
"$GOSSIPADM" key gen >"$TMPD/k"
gadm 2 key add 1 "$TMPD/k"
gadm 2 publish size large
slowwait 10 stat_ge 3 rx_err_auth 1 ||
	ktap_print_msg "n3 counted no rx_err_auth within 10 s"
gadm 2 down
auth="$(pstate 3 "${A[2]}" auth_fails) $(pstate 3 "${A[1]}" auth_fails) $(pstate 3 "${A[4]}" auth_fails)"
ktap_print_msg "n3: auth_fails of n2 n1 n4: $auth; rx_err_auth $(sysstat 3 rx_err_auth)"
ktap_result "n3 counts n2's sealed datagrams on n2's row, exactly rx_err_auth, none elsewhere" \
	test "$auth" = "$(sysstat 3 rx_err_auth) 0 0" -a "$(sysstat 3 rx_err_auth)" -gt 0

# 5. n3's set replaced: n4 out, 10.99.0.99 in; n2 (down: what n3 received
# from it is frozen) keeps its counters.
before=$(row 3 "${A[2]}")
gadm 3 peer del "${A[4]}"
gadm 3 peer add 10.99.0.99
after=$(row 3 "${A[2]}")
ktap_print_msg "n3's row of n2 before: $before"
ktap_print_msg "after:                 $after"
ktap_result "n3: n2's counters carried over the new peer set" \
	test "$before" = "$after" -a "$(pstate 3 "${A[2]}" rx_dgrams)" -gt 0
ktap_result "n3: the new peer starts at never, 0 received, 0 auth failures" \
	test "$(pstate 3 10.99.0.99 last_rx_ms) $(pstate 3 10.99.0.99 rx_dgrams) $(pstate 3 10.99.0.99 auth_fails)" = "None 0 0"

ktap_finished
