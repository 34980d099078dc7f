#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Nonces never repeat; replay windows survive down/up; the replay table
# ages its least recently seen senders out.
#
#   n1..n6  one key, all forced to node id 77, pushpull every 2 ms to n9
#           alone; n7 (node id 7007, the same key) too
#   n8      keyed receiver, no peers: what sealed.py replays and forges
#           goes to it
#   n9      no gossip: sealed.py captures every datagram sent to it
#
# 1. n1..n6 come up, each right after the wall clock was set to one
#    instant (sealed.py upat), as after a snapshot restore or on hosts whose
#    clocks agree; values are published; all go down, the clock is stepped
#    back an hour, they come up, publish again; n6's namespace is deleted
#    and made again (same node id, the clock set to the first instant once
#    more) and it publishes. The captured datagrams open with the key
#    (sealed.py nonces: all if at most 3000, else 3000 spread over them;
#    XChaCha20-Poly1305, or the former ChaCha20-Poly1305 construction whose
#    nonce is sender || counter) and no nonce may appear twice among all.
# 2. A datagram of n7 captured at n9 does not open at n8 (sealed to n9's
#    address): rx_err_auth +1. One forged to n8 in n7's name is accepted
#    by n8, refused after n8 went down and up: rx_err_replay +1.
# 3. sealed.py forges datagrams (with the construction the module uses,
#    as found in part 1) from 2047 new senders (n8's table holds
#    GOSSIP_REPLAY_SENDERS = 2048 senders, n7 is the first): accepted. 16
#    more are refused while every sender is fresh (rx_err_nomem +16); once
#    they have been idle longer than the bound (GOSSIP_REPLAY_IDLE_S, 120),
#    16 new ones evict the 16 least recently seen (replay_evicted +16) and
#    are stored; a sender seen again meanwhile keeps its window.
#
# Every assertion is on exact counters or on the values stored.

source "$(dirname "$0")/lib.sh"

SEALED=$LIB_DIR/sealed.py
SAME=77			# node id of n1..n6
S=7			# the node whose datagram is replayed
S_ID=7007
R=8			# receiver
L=9			# listener
IDLE=130		# s; the module's bound is 120 s

test_begin 10
TMPD=$(mktemp -d)
T0=$(date +%s)
U0=$(cut -d. -f1 /proc/uptime)
# The wall clock back to where it would be, whatever happened to it.
clock_restore() {
	date -s "@$((T0 + $(cut -d. -f1 /proc/uptime) - U0))" >/dev/null
}
trap 'touch "$TMPD/stop"; wait; clock_restore; cleanup; rm -rf "$TMPD"' EXIT
"$GOSSIPADM" key gen >"$TMPD/k1"

# conf I NODE_ID: configure node I (not up).
conf() {
	{
		echo "set interval 2 mode pushpull fanout 1 node-id $2 reject-rate 0"
		echo "peer add $(node_addr $L):7946"
		echo "key add 1 $TMPD/k1"
	} | gadm "$1" -b -
}

# upat NODES...: bring NODES up, the wall clock set to T0 just before each
# (sealed.py upat): each instance reads T0 and a few microseconds.
upat() {
	local i ns=() ok=0
	for i in "$@"; do
		ns+=("$(node_ns "$i")")
	done
	python3 "$SEALED" upat "$T0" "${ns[@]}" >"$TMPD/upat" || ok=1
	ktap_print_msg "nodes $* up, the clock set to $T0 before each: $(cat "$TMPD/upat")"
	clock_restore
	return $ok
}

# publish_all TAG: 20 values on each of n1..n6, one gossipadm.
publish_all() {
	local k
	for k in $(seq 1 20); do
		nodes_batch "publish $1-$k x" 1 2 3 4 5 6
	done | "$GOSSIPADM" -b - >/dev/null
}

hub_create
for i in 1 2 3 4 5 6 $S $R $L; do
	node_create "$i"
done
for i in 1 2 3 4 5 6; do
	conf "$i" $SAME || ktap_print_msg "node $i: setup failed"
done
conf $S $S_ID
gadm $R set reject-rate 0
gadm $R key add 1 "$TMPD/k1"
gadm $R up

# ---- 1. nonces -----------------------------------------------------------
on $L python3 "$SEALED" capture 7946 "$TMPD/cap" "$TMPD/stop" >"$TMPD/ncap" &
CAP=$!
sleep 1
ok=0
upat 1 2 3 4 5 6 || ok=1
gadm $S up || ok=1
publish_all a
sleep 8
# shellcheck disable=SC2046 # node numbers
nodes_batch down 1 2 3 4 5 6 | "$GOSSIPADM" -b - || ok=1
date -s "@$((T0 - 3600))" >/dev/null
# shellcheck disable=SC2046 # node numbers
nodes_batch up 1 2 3 4 5 6 | "$GOSSIPADM" -b - || ok=1
publish_all b
sleep 8
clock_restore
ip netns del "$(node_ns 6)"
node_create 6 v6b
conf 6 $SAME || ok=1
upat 6 || ok=1
gadm 6 publish c-6 x || ok=1
sleep 8
# shellcheck disable=SC2046 # node numbers
nodes_batch down 1 2 3 4 5 6 $S | "$GOSSIPADM" -b - || ok=1
sleep 1
touch "$TMPD/stop"
wait $CAP
ktap_result "n1..n6 (node id $SAME) and n7 up, down, clock back, up, n6 re-created: $(cat "$TMPD/ncap") sealed datagrams captured" \
	test "$ok" -eq 0 -a "$(cat "$TMPD/ncap")" -gt 1000
# The construction the module seals with, which forged datagrams use too.
TO=$(node_addr $L):7946	# where they were sent: sealed to it
HOW=$(python3 "$SEALED" how "$TMPD/k1" "$TO" "$TMPD/cap")
ktap_print_msg "the module seals with the ${HOW:-unknown} construction"
python3 "$SEALED" nonces "$TMPD/k1" "$TO" "$TMPD/cap" >"$TMPD/nonces"
rc=$?
sed 's/^/# /' "$TMPD/nonces"
ktap_result "the captured datagrams open with the key (a spread sample), no nonce used twice among them all" \
	test "$rc" -eq 0

# ---- 2. replay across down/up ----------------------------------------------
declare -A v0
snap() {
	local name v
	while read -r name v; do
		v0[$name]=$v
	done < <(gadm $R stats)
}
# moved NAME: how far counter NAME of n8 moved since snap
moved() { echo $(($(gadm $R stats | awk -v c="$1" '$1 == c { print $2 }') - ${v0[$1]})); }
# errs_moved: the rx_err_* counters of n8 that moved since snap, "name +n"
errs_moved() {
	local name v out=''
	while read -r name v; do
		case $name in
		rx_err_*) [ "$v" = "${v0[$name]}" ] || out+=" $name +$((v - v0[$name]))" ;;
		esac
	done < <(gadm $R stats)
	echo "${out# }"
}

D=$(python3 "$SEALED" pick "$TMPD/cap" $S_ID)
A8=$(node_addr $R)
snap
on $L python3 "$SEALED" send "$A8" 7946 "$D"
sleep 0.5
e=$(errs_moved)
ktap_print_msg "n7's datagram to n9 into n8: rx_dgrams +$(moved rx_dgrams), errors: ${e:-none}"
ktap_result "a captured datagram of n7, sealed to n9's address, into n8: rx_err_auth +1 exactly" \
	test -n "$D" -a "$e" = "rx_err_auth +1"
# One sealed to n8 in n7's name (sender $S_ID, counter 1: its window on n8
# is new): accepted; the same counter again after n8's down and up is not.
snap
t7=$SECONDS		# n7's slot in n8's table is made now
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $S_ID 1 1 r1 "$HOW"
sleep 0.5
e=$(errs_moved)
ktap_print_msg "one sealed to n8 in n7's name: rx_dgrams +$(moved rx_dgrams), errors: ${e:-none}, r1-$S_ID = $(gadm $R get r1-$S_ID)"
ktap_result "sealed to n8 in n7's name, first time: accepted, its value stored" \
	test -z "$e" -a "$(moved rx_dgrams)" -eq 1 -a "$(gadm $R get r1-$S_ID)" = v
gadm $R down
gadm $R up
snap
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $S_ID 1 1 r2 "$HOW"
sleep 0.5
e=$(errs_moved)
ktap_print_msg "counter 1 again after n8 down and up: ${e:-no error counter moved}"
ktap_result "the same counter after n8 went down and up: rx_err_replay +1 exactly" \
	test "$e" = "rx_err_replay +1"

# ---- 3. the replay table ages ------------------------------------------------
# n8 knows one sender (n7): 2047 more fill its table.
FIRST=100000
NFILL=2047
K=16
ev_count() { gadm $R dump | grep -c "^$1-"; }
snap
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $FIRST $NFILL 1 ev "$HOW"
filled() { [ "$(ev_count ev)" -eq $NFILL ]; }
slowwait 60 filled
e=$(errs_moved)
ktap_print_msg "$NFILL new senders: $(ev_count ev) values stored, errors: ${e:-none}"
ktap_result "$NFILL new senders fill n8's table: each datagram accepted, its value stored" \
	eval 'filled && test -z "$e"'
snap
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" 200000 $K 1 full "$HOW"
sleep 1
e=$(errs_moved)
# n7's slot must still be fresh (younger than GOSSIP_REPLAY_IDLE_S, 120 s).
ktap_print_msg "n7's slot is $((SECONDS - t7)) s old"
ktap_print_msg "$K more while every sender is fresh: errors: ${e:-none}, replay_evicted +$(moved replay_evicted), $(ev_count full) stored"
ktap_result "$K more while all are fresh: rx_err_nomem +$K, none evicted, none stored" \
	test "$e" = "rx_err_nomem +$K" -a "$(moved replay_evicted)" -eq 0 -a "$(ev_count full)" -eq 0
ktap_print_msg "waiting $IDLE s for the senders to be idle"
sleep "$((IDLE - 10))"
# The first forged sender is seen again (counter 2): the most recent now.
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $FIRST 1 2 again "$HOW"
sleep 10
snap
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" 300000 $K 1 new "$HOW"
got_new() { [ "$(ev_count new)" -eq $K ]; }
slowwait 30 got_new
e=$(errs_moved)
ktap_print_msg "$K new senders after $IDLE s: errors: ${e:-none}, replay_evicted +$(moved replay_evicted), $(ev_count new) stored"
ktap_result "$K new senders once the others are idle: replay_evicted +$K, all $K stored, no error" \
	eval 'got_new && test -z "$e" -a "$(moved replay_evicted)" -eq $K'
# Evicted: n7 (seen first) and the 15 forged after $FIRST; not $FIRST (seen
# again) nor $((FIRST + 16)). Sent again, a counter seen before is refused
# by a sender that kept its window, and passes once for an evicted one.
snap
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $FIRST 1 2 kept1 "$HOW"
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $((FIRST + 16)) 1 1 kept2 "$HOW"
sleep 0.5
e1=$(errs_moved)
snap
on $L python3 "$SEALED" forge "$A8" 7946 "$TMPD/k1" $((FIRST + 15)) 1 1 gone "$HOW"
sleep 0.5
e2=$(errs_moved)
ktap_print_msg "counters seen before: of $FIRST and $((FIRST + 16)): ${e1:-none}; of $((FIRST + 15)): ${e2:-none}, replay_evicted +$(moved replay_evicted)"
ktap_result "the least recently seen were evicted: $FIRST (seen again) and $((FIRST + 16)) kept their windows, $((FIRST + 15)) did not" \
	test "$e1" = "rx_err_replay +2" -a -z "$e2"

ktap_result "kernel log clean" kmsg_clean
ktap_finished
