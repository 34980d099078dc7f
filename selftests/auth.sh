#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Authenticated datagrams, replay protection and cluster labels.
#
#   n1..nN    one cluster, every node keyed (key 1, then rotated to key 2);
#             N = 16, 8 under make check-debug
#   n17       a node with another key, peering with n1..nN (they do not
#             peer with it)
#   n18       dgram.py sends from it, or listens as a peer of n1; then a
#             keyed node without peers
#   n21..n24  cluster label "a" \  each peers with all 8, on the same bridge
#   n25..n28  cluster label "b" /  and port as everyone (3 and 3 under
#                                  make check-debug)
#
# Every assertion is on the value on each node or on exact counters.

source "$(dirname "$0")/lib.sh"

N=$(sized 16 8)
DGRAM=$LIB_DIR/dgram.py

test_begin 15
TMPD=$(mktemp -d)
trap 'traffic_stop; rm -f "$TMPD/stop"; wait; cleanup; rm -rf "$TMPD"' EXIT
"$GOSSIPADM" key gen >"$TMPD/k1"
"$GOSSIPADM" key gen >"$TMPD/k2"
"$GOSSIPADM" key gen >"$TMPD/kx"

# make_node I KEYFILE|- PEERS... : configure node I (made with node_create)
# with its peers, its key (- for none) and CFG_EXTRA "set" words; up.
make_node() {
	local i=$1 key=$2 j
	shift 2
	{
		echo "set interval 100 fanout 3 ${CFG_EXTRA:-}"
		for j in "$@"; do
			[ "$i" -eq "$j" ] || echo "peer add $(node_addr "$j"):7946"
		done
		[ "$key" = - ] || echo "key add 1 $key"
		echo up
	} | gadm "$i" -b -
}

# sum COUNTER NODES...: the sum of a counter over the nodes.
sum() { stat_of "$@" | sum_lines; }

# all_hold KEY VALUE NODES... (one gossipadm for them all)
all_hold() {
	local k=$1 v=$2
	shift 2
	[ "$(values_of "$k" "$@" | grep -cxF -- "$v")" -eq $# ]
}

# none_holds KEY NODES...
none_holds() {
	local k=$1
	shift
	[ -z "$(values_of "$k" "$@")" ]
}

# zero_on COUNTER NODES...: the counter is 0 on each node; names the others.
zero_on() {
	local c=$1 k ok=0 v=() nodes
	shift
	nodes=("$@")
	mapfile -t v < <(stat_of "$c" "$@")
	for k in "${!nodes[@]}"; do
		if [ "${v[k]:-missing}" != 0 ]; then
			ktap_print_msg "node ${nodes[k]}: $c = ${v[k]:-missing}"
			ok=1
		fi
	done
	return $ok
}

CLUSTER=$(seq 1 $N)
hub_create
for i in $CLUSTER 17 18; do
	node_create "$i"
done
for i in $CLUSTER; do
	make_node "$i" "$TMPD/k1" $CLUSTER || ktap_print_msg "node $i: setup failed"
done

# ---- 1. a keyed cluster converges ---------------------------------------
PUBLISHERS="1 $((N / 3 + 1)) $((2 * N / 3 + 1)) $N"	# 1 6 11 16
for i in $PUBLISHERS; do
	gadm "$i" publish "v$i" "from-$i"
done
ok=0
for i in $PUBLISHERS; do
	slowwait 120 all_hold "v$i" "from-$i" $CLUSTER || {
		ktap_print_msg "v$i is not on every node"
		ok=1
	}
done
ktap_print_msg "rounds of node 1: $(sysstat 1 rounds)"
ktap_result "$N keyed nodes: 4 values published on 4 nodes are on all $N" \
	test $ok -eq 0
ktap_result "keyed cluster: rx_err_auth, rx_err_unauth, rx_err_replay 0 on every node" \
	eval 'zero_on rx_err_auth $CLUSTER && zero_on rx_err_unauth $CLUSTER && zero_on rx_err_replay $CLUSTER'
same=0
for c in rx_err_unauth rx_err_auth rx_err_replay rx_err_label; do
	[ "$(gadm 3 stats | awk -v c=$c '$1 == c { print $2 }')" = "$(sysstat 3 $c)" ] || same=1
done
ktap_result "the new counters in /sys equal netlink's" test $same -eq 0

# ---- 2. key rotation under traffic --------------------------------------
# A loop publishes a new key on a node in turn, and lists it.
: >"$TMPD/published"
(
	n=0
	while [ ! -e "$TMPD/stop" ]; do
		n=$((n + 1))
		i=$((n % N + 1))
		gadm "$i" publish "rot-$n" "$i" >/dev/null 2>&1 &&
			echo "rot-$n" >>"$TMPD/published"
	done
) &
LOOP=$!

# rounds_past: every node of CLUSTER ran its mark[] of rounds.
rounds_past() {
	local i r=()
	# shellcheck disable=SC2086 # node numbers
	mapfile -t r < <(stat_of rounds $CLUSTER)
	for i in $CLUSTER; do
		[ "${r[i - 1]:-0}" -ge "${mark[$i]}" ] || return 1
	done
}
# wait_rounds K: until every node ran K more rounds.
declare -A mark
wait_rounds() {
	local i r=()
	# shellcheck disable=SC2086 # node numbers
	mapfile -t r < <(stat_of rounds $CLUSTER)
	for i in $CLUSTER; do
		mark[$i]=$((${r[i - 1]:-0} + $1))
	done
	slowwait 120 rounds_past
}

# Each step on every node from one gossipadm (it stops at a failure).
rot_ok=0
# shellcheck disable=SC2086 # node numbers
nodes_batch "key add 2 $TMPD/k2" $CLUSTER | "$GOSSIPADM" -b - || rot_ok=1
wait_rounds 2
# shellcheck disable=SC2086 # node numbers
nodes_batch "key use 2" $CLUSTER | "$GOSSIPADM" -b - || rot_ok=1
# Every node now seals with key 2: what it sealed with key 1 was delivered
# within these rounds (a veth delivers at once), so deleting key 1 cannot
# make an authentic datagram fail.
wait_rounds 2
# shellcheck disable=SC2086 # node numbers
nodes_batch "key del 1" $CLUSTER | "$GOSSIPADM" -b - || rot_ok=1
wait_rounds 2
touch "$TMPD/stop"
wait $LOOP
rm -f "$TMPD/stop"
npub=$(wc -l <"$TMPD/published")
ktap_print_msg "$npub values published during the rotation"

# every_node_has_all: each node's dump holds every published key.
# (One batch of dumps: a node lists a key once, so N * npub lines.)
every_node_has_all() {
	# shellcheck disable=SC2086 # node numbers
	[ "$(nodes_batch dump $CLUSTER | "$GOSSIPADM" -b - | awk '$1 ~ /^rot-/' | wc -l)" \
		-ge $((N * npub)) ]
}
slowwait 180 every_node_has_all || rot_ok=1
for i in $CLUSTER; do
	have=$(gadm "$i" dump | awk '$1 ~ /^rot-/ { print $1 }' | sort)
	if [ "$have" != "$(sort "$TMPD/published")" ]; then
		ktap_print_msg "node $i: $(comm -13 <(echo "$have") <(sort "$TMPD/published") | wc -l) published values missing"
		rot_ok=1
	fi
done
keys_now=$(for i in $CLUSTER; do gadm "$i" key show | tail -n +2; done | sort | uniq -c | awk '{ print $1 " x " $2 " " $3 }')
ktap_print_msg "keys after the rotation: $keys_now"
[ "$keys_now" = "$N x 2 primary" ] || rot_ok=1
ktap_result "rotation 1 -> 2 on $N running nodes: all $npub values published meanwhile on every node, key 2 alone everywhere" \
	test "$rot_ok" -eq 0 -a "$npub" -gt 0
ktap_result "rotation: rx_err_auth, rx_err_unauth and rx_err_replay stayed 0 on every node" \
	eval 'zero_on rx_err_auth $CLUSTER && zero_on rx_err_unauth $CLUSTER && zero_on rx_err_replay $CLUSTER'

# ---- 3. a node with another key -----------------------------------------
before=$(sum rx_err_auth $CLUSTER)
CFG_EXTRA="mode pushpull" make_node 17 "$TMPD/kx" 17 $CLUSTER
gadm 17 publish intruder x
mark17() { [ "$(sysstat 17 tx_dgrams)" -ge 40 ]; }
slowwait 120 mark17
gadm 17 down
sent17=$(sysstat 17 tx_dgrams)
auth_moved() { [ $(($(sum rx_err_auth $CLUSTER) - before)) -ge "$sent17" ]; }
slowwait 30 auth_moved
moved=$(($(sum rx_err_auth $CLUSTER) - before))
ktap_print_msg "node 17 sent $sent17 datagrams, the cluster counted rx_err_auth +$moved, node 17 received $(sysstat 17 rx_dgrams)"
ktap_result "another key: each of its datagrams is rx_err_auth on the cluster, nothing applied, nothing sent back" \
	eval 'test "$moved" -eq "$sent17" && test "$(sysstat 17 rx_dgrams)" -eq 0 && none_holds intruder $CLUSTER'

# ---- 4. plaintext into a keyed node --------------------------------------
u0=$(sysstat 1 rx_err_unauth)
back=$(on 18 python3 "$DGRAM" "$(node_addr 1)" 7946 valid 20)
unauth_moved() { [ $(($(sysstat 1 rx_err_unauth) - u0)) -ge 20 ]; }
slowwait 10 unauth_moved
ktap_result "plaintext x20 into a keyed node: rx_err_unauth +20, nothing applied, nothing back" \
	eval 'test $(($(sysstat 1 rx_err_unauth) - u0)) -eq 20 && test "$back" -eq 0 && none_holds wire-key0 1 && none_holds wire-key19 1'

# ---- 5. a captured sealed datagram: elsewhere, tampered, replayed ---------
# n1 seals to the address it sends to (auth.c): n18 captures 3 of its
# datagrams, which open at n18's address alone. n2 refuses them; n18,
# then given the key and brought up (no peers: nothing else reaches it),
# takes one once.
on 18 timeout 120 python3 "$DGRAM" capture 7946 3 "$TMPD/cap" &
CAP=$!
sleep 0.5
gadm 1 set mode pushpull fanout 16 interval 1000	# a digest to every peer
gadm 1 peer add "$(node_addr 18):7946"
wait $CAP
gadm 1 down
gadm 1 peer del "$(node_addr 18):7946"
ktap_result "captured 3 sealed datagrams of node 1" test -s "$TMPD/cap"

# snap NODE: its error counters and tx_replies, for moved and only
snap() {
	local c
	SNAPN=$1
	for c in rx_err_auth rx_err_replay rx_err_unauth rx_err_length rx_err_version rx_err_entry tx_replies; do
		snapv[$c]=$(sysstat "$SNAPN" $c)
	done
}
declare -A snapv
moved2() { echo $(($(sysstat "$SNAPN" "$1") - ${snapv[$1]})); }
# only COUNTER moved, by 1 (or nothing moved when COUNTER is "none")
only() {
	local c want ok=0
	for c in rx_err_auth rx_err_replay rx_err_unauth rx_err_length rx_err_version rx_err_entry; do
		want=0
		[ "$c" = "$1" ] && want=1
		[ "$(moved2 $c)" -eq $want ] && continue
		ktap_print_msg "$c moved by $(moved2 $c), expected $want"
		ok=1
	done
	return $ok
}
A2=$(node_addr 2)
A18=$(node_addr 18)
snap 2
b0=$(on 17 python3 "$DGRAM" replay "$A2" 7946 "$TMPD/cap" 2)
sleep 0.5
ktap_result "sent to n2, a datagram sealed to n18's address: rx_err_auth +1 exactly, nothing back" \
	eval 'only rx_err_auth && test "$b0" -eq 0'
gadm 18 key add 2 "$TMPD/k2"	# the cluster's key since the rotation
gadm 18 up
snap 18
b1=$(on 17 python3 "$DGRAM" replay "$A18" 7946 "$TMPD/cap" 0 45)
b2=$(on 17 python3 "$DGRAM" replay "$A18" 7946 "$TMPD/cap" 0 -1)
sleep 0.5
auth2=$(moved2 rx_err_auth)
ktap_result "at n18, one byte of the ciphertext, then of the tag, flipped: rx_err_auth +2 exactly, nothing back" \
	test "$auth2" -eq 2 -a "$b1" -eq 0 -a "$b2" -eq 0
snap 18
on 17 python3 "$DGRAM" replay "$A18" 7946 "$TMPD/cap" 2 >/dev/null
sleep 0.5
ktap_result "at n18, the captured datagram as it is: accepted (no error counter moved)" only none
snap 18
b3=$(on 17 python3 "$DGRAM" replay "$A18" 7946 "$TMPD/cap" 2)
sleep 0.5
ktap_result "the same again: rx_err_replay +1 exactly, nothing back" \
	eval 'only rx_err_replay && test "$b3" -eq 0'

# ---- 6. two labelled clusters on one bridge and port -----------------------
for i in $CLUSTER 17 18; do
	ip netns del "$(node_ns "$i")"
done
LA=$(sized "21 22 23 24" "21 22 23")
LB=$(sized "25 26 27 28" "25 26 27")
for i in $LA $LB; do
	node_create "$i"
done
for i in $LA; do
	CFG_EXTRA="label a mode pushpull" make_node "$i" - $LA $LB
done
for i in $LB; do
	CFG_EXTRA="label b mode pushpull" make_node "$i" - $LA $LB
done
gadm 21 publish in-a 1
gadm 25 publish in-b 1
slowwait 120 all_hold in-a 1 $LA
slowwait 120 all_hold in-b 1 $LB
wait_label() { [ "$(sum rx_err_label $LA)" -ge 20 ] && [ "$(sum rx_err_label $LB)" -ge 20 ]; }
slowwait 60 wait_label
ktap_print_msg "rx_err_label: cluster a $(sum rx_err_label $LA), cluster b $(sum rx_err_label $LB)"
ktap_result "labels a and b: each value stays in its cluster, rx_err_label moved on both sides" \
	eval 'all_hold in-a 1 $LA && all_hold in-b 1 $LB && none_holds in-a $LB && none_holds in-b $LA && wait_label'

# The same key everywhere: the label is in the AAD, a mismatch is rx_err_auth.
for i in $LA $LB; do
	gadm "$i" key add 1 "$TMPD/k1"
done
a0=$(sum rx_err_auth $LA)
b0=$(sum rx_err_auth $LB)
gadm 22 publish in-a2 1
gadm 26 publish in-b2 1
slowwait 120 all_hold in-a2 1 $LA
slowwait 120 all_hold in-b2 1 $LB
wait_auth() { [ $(($(sum rx_err_auth $LA) - a0)) -ge 20 ] && [ $(($(sum rx_err_auth $LB) - b0)) -ge 20 ]; }
slowwait 60 wait_auth
ktap_print_msg "rx_err_auth since the keys: cluster a +$(($(sum rx_err_auth $LA) - a0)), cluster b +$(($(sum rx_err_auth $LB) - b0))"
ktap_result "labels a and b with one key: values stay apart, rx_err_auth moved on both sides" \
	eval 'all_hold in-a2 1 $LA && all_hold in-b2 1 $LB && none_holds in-a2 $LB && none_holds in-b2 $LA && none_holds in-a $LB && wait_auth'

ktap_result "kernel log clean" kmsg_clean
ktap_finished
