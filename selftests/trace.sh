#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tracepoints (kmod/trace.h), enabled through tracefs (mounted by the
# VM's init at /sys/kernel/tracing), and what one publish and one bad
# datagram leave in the trace, event by event:
#
#   - a publish on n1 (eager on, push: no link of the eager tree yet, so
#     by announcement, kmod/send.c): n1 sends n2 an ihave, n2 sends n1 a
#     graft (an iwant that joins the tree), n1 sends n2 a tree, each
#     gossip_dgram_sent matched by a gossip_dgram_recv of the same type and
#     length on the other node; one gossip_entry_applied on n2 with n1's
#     node id as origin, the version n2 then holds and the key's length;
#     nothing dropped;
#   - one datagram with a wrong magic from n2: gossip_dgram_recv then
#     gossip_dgram_drop reason=rx_err_magic on n1, and the skb freed with
#     kfree_skb_reason(SKB_DROP_REASON_UNHANDLED_PROTO) (skb:kfree_skb);
#   - rounds: pull mode, one peer: round_start mode=pull peers=1, then
#     round_end picked=1 dgrams=1.
#
# Intervals of 60 s while the publish is traced: no round fires, so the
# datagrams traced are the lazy push's alone. Every event names its netns
# (inode number), which tells n1's from n2's.
#
#   n1 (node id 11) --- br0 (hub) --- n2 (node id 22)

source "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
KEY=color
VALUE=blue

test_begin 9
[ -d "$T/events" ] || { ktap_print_msg "no tracefs at $T"; exit "$KSFT_SKIP"; }

trace_cleanup() {
	echo 0 >"$T/events/gossip/enable" 2>/dev/null
	echo 0 >"$T/events/skb/kfree_skb/enable" 2>/dev/null
	echo >"$T/trace" 2>/dev/null
	cleanup
}
trap trace_cleanup EXIT

CLUSTER_N=2
hub_create
node_create 1
node_create 2
N1=$(netns_inum "$(node_ns 1)")
N2=$(netns_inum "$(node_ns 2)")
A1=$(node_addr 1)
A2=$(node_addr 2)
gadm 1 set node-id 11 interval 60000
gadm 2 set node-id 22 interval 60000
gadm 1 peer add "$A2"
gadm 2 peer add "$A1"
gadm 1 up
gadm 2 up

six_events() {
	local e
	for e in round_start round_end dgram_sent dgram_recv entry_applied \
		dgram_drop; do
		[ -d "$T/events/gossip/gossip_$e" ] || return 1
	done
}
ktap_result "tracefs lists the six gossip events" six_events

# events: the trace's gossip lines, from the event name on.
events() { grep -o 'gossip_[a-z_]*: .*' "$T/trace"; }
has() { events | grep -q -- "$1"; }

echo 0 >"$T/tracing_on"
echo >"$T/trace"
echo 1 >"$T/events/gossip/enable"
echo 1 >"$T/tracing_on"

# 1. One publish.
gadm 1 publish "$KEY" "$VALUE"
slowwait 10 has "gossip_entry_applied: netns=$N2 " ||
	ktap_print_msg "no entry applied on n2 within 10 s"
VERSION=$(gadm 2 -j get "$KEY" | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
ktap_print_msg "the trace of one publish:"
events | while read -r l; do ktap_print_msg "  $l"; done

# pair FROM TO TYPE: the one datagram of TYPE FROM (N1/N2) sent TO, and
# its receipt: "LEN" when both are there, of one length, else nothing.
pair() {
	local from=${!1} to=${!2} fa=$A1 ta=$A2 sent recv len
	[ "$1" = N2 ] && fa=$A2 ta=$A1
	sent=$(events | grep "^gossip_dgram_sent: netns=$from .* type=$3 ")
	recv=$(events | grep "^gossip_dgram_recv: netns=$to .* type=$3 ")
	len=$(sed -n 's/.* len=\([0-9]*\)$/\1/p' <<<"$sent")
	[ -n "$len" ] &&
		[ "$sent" = "gossip_dgram_sent: netns=$from addr=$ta:7946 type=$3 len=$len" ] &&
		[ "$recv" = "gossip_dgram_recv: netns=$to addr=$fa:7946 type=$3 len=$len" ] &&
		echo "$len"
}
ktap_result "n1 announced it to n2 (one ihave), n2 asked n1 for it (one graft), each received as sent" \
	eval '[ -n "$(pair N1 N2 ihave)" ] && [ -n "$(pair N2 N1 graft)" ]'
ktap_result "n1 sent n2 one tree (the graft's answer), received as sent" \
	eval '[ -n "$(pair N1 N2 tree)" ]'
ktap_result "n2 applied it: origin 11, the version it holds, key length ${#KEY}" \
	test "$(events | grep "^gossip_entry_applied:")" = \
	"gossip_entry_applied: netns=$N2 origin=11 version=$VERSION key_len=${#KEY}"
ktap_result "nothing else: 7 events, no drop, no round" test "$(events | wc -l)" -eq 7

# 2. One bad datagram (wrong magic) from n2 to n1. Both nodes' round
# timers anew first (down, up: the first round 54..66 s later): under the
# debug kernel the steps above can take the minute after which a 60 s
# round fires, and n2's round (an IHAVE, which n1 received) was traced
# here (make check-debug on ee2ec2a).
echo 0 >"$T/tracing_on"
gadm 1 down
gadm 2 down
gadm 1 up
gadm 2 up
echo >"$T/trace"
echo 1 >"$T/events/skb/kfree_skb/enable"
echo 1 >"$T/tracing_on"
on 2 python3 "$LIB_DIR/dgram.py" "$A1" 7946 magic 1 >/dev/null
slowwait 5 has "gossip_dgram_drop: netns=$N1 " ||
	ktap_print_msg "no drop traced within 5 s"
echo 0 >"$T/events/skb/kfree_skb/enable"
ktap_print_msg "the trace of one bad datagram:"
grep -o -e 'gossip_[a-z_]*: .*' -e 'kfree_skb: .*UNHANDLED_PROTO' "$T/trace" |
	while read -r l; do ktap_print_msg "  $l"; done
# dgram.py's "magic": a push header with magic 0xdeadbeef and one entry
# (key wire-key0, value ok), 47 bytes, from a fresh UDP port of n2.
got=$(events | tr '\n' '|')
want="gossip_dgram_recv: netns=$N1 addr=$A2:[0-9]+ type=push len=47[|]"
want+="gossip_dgram_drop: netns=$N1 addr=$A2:[0-9]+ reason=rx_err_magic[|]"
ktap_result "n1 received it (47 bytes) and dropped it: reason rx_err_magic" \
	grep -q -x -E "$want" <<<"$got"
ktap_result "its skb was freed with reason UNHANDLED_PROTO (dropwatch, perf see it)" \
	test "$(grep -c 'kfree_skb: .*reason: UNHANDLED_PROTO' "$T/trace")" -eq 1

# 3. Rounds: n1 in pull mode, 50 ms: every round a digest to its one peer.
# n1 down before the trace is cleared: under the debug kernel the steps
# above can take the minute after which its push round (60 s) fires.
echo 0 >"$T/tracing_on"
gadm 1 down
gadm 1 set mode pull interval 50
echo >"$T/trace"
echo 1 >"$T/tracing_on"
gadm 1 up
slowwait 10 has "gossip_round_end: netns=$N1 " ||
	ktap_print_msg "no round traced within 10 s"
echo 0 >"$T/tracing_on"
ktap_print_msg "the first round: $(events | grep -m1 "^gossip_round_start: netns=$N1 "); $(events | grep -m1 "^gossip_round_end: netns=$N1 ")"
ktap_result "a round: start mode=pull peers=1, end picked=1 dgrams=1" \
	test "$(events | grep -m1 "^gossip_round_start: netns=$N1 ")" = \
	"gossip_round_start: netns=$N1 mode=pull peers=1" -a \
	"$(events | grep -m1 "^gossip_round_end: netns=$N1 ")" = \
	"gossip_round_end: netns=$N1 mode=pull picked=1 dgrams=1"
ktap_result "its digest: a pull_req from n1 to n2" \
	has "gossip_dgram_sent: netns=$N1 addr=$A2:7946 type=pull_req "
echo 1 >"$T/tracing_on"

ktap_finished
