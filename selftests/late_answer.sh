#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A late answer is asked for again, of another peer (send.c, want_retry()).
#
# 3 nodes, no key, a 60 s interval (no round fires within the test: the
# first comes 54..66 s after up). n1 holds an entry, published with eager
# off: nobody was told. Then, from an attacker's namespace, forged with the
# peers' addresses:
#   - an IHAVE of n1's entry "from n3", which lacks it: n2 asks n3 (an
#     IWANT) and gets no answer, as if the IWANT or its answer was lost;
#   - the same IHAVE "from n1": n2 has just asked, so it does not ask again
#     but notes n1 as the one to ask should the answer be late.
# Before any answer came, n2 waits an eighth of the interval (7.5 s), then
# asks n1: n2 holds the value, tx_iwant_retry +1, tx_iwant +2 on n2,
# tx_fetched +1 on n1. Before want_retry() n2 waited for the next
# announcement of the entry: none came before the rounds, 54 s on.
#
# n1 answers an IWANT without a key only within what it got from that
# address: a forged datagram of 600 bytes "from n2" pays for it (the
# announcement that a real n1 would have sent pays for it otherwise).
#
#   n1 n2 n3: one netns each on one bridge, every other node a peer
#   n4:       the attacker, on the same bridge, no gossip

source "$(dirname "$0")/lib.sh"

N=3
ATK=4
PORT=7946
DGRAM="$LIB_DIR/dgram.py"

test_begin 7
if ! cluster_create $N 60000 2; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi
node_create $ATK
A1=$(node_addr 1)
A2=$(node_addr 2)
A3=$(node_addr 3)

# stat I NAME: counter NAME of node I.
stat() { stat_of "$2" "$1"; }

# The entry, on n1 only.
gadm 1 set eager off
gadm 1 publish late x
read -r origin version < <(gadm 1 -j get late |
	python3 -c 'import json, sys; e = json.load(sys.stdin); e = e[0] if isinstance(e, list) else e; print(e["origin"], e["version"])')
ktap_print_msg "n1 holds late=x, origin $origin version $version"
ktap_result "n2 and n3 lack it" \
	test -z "$(values_of late 2 3)"

iwant0=$(stat 2 tx_iwant)
retry0=$(stat 2 tx_iwant_retry)
fetched0=$(stat 1 tx_fetched)
applied0=$(stat 2 rumors_applied)

# Credit at n1 for n2's address, then the two announcements.
on $ATK python3 "$DGRAM" --spoof "$A2" --sport $PORT --len 600 \
	"$A1" $PORT sized 1 >/dev/null
on $ATK python3 "$DGRAM" --spoof "$A3" --sport $PORT \
	--entry "$origin:$version:late:x" "$A2" $PORT ihave 1 >/dev/null
asked() { [ "$(stat 2 tx_iwant)" -eq $((iwant0 + 1)) ]; }
ktap_result "an IHAVE from n3's address: n2 asks n3 (tx_iwant +1)" \
	slowwait 10 asked
t0=$SECONDS
on $ATK python3 "$DGRAM" --spoof "$A1" --sport $PORT \
	--entry "$origin:$version:late:x" "$A2" $PORT ihave 1 >/dev/null
# Right after it, n2 has not asked again.
ktap_result "the same IHAVE from n1's address, at once: no second IWANT" \
	test "$(stat 2 tx_iwant)" -eq $((iwant0 + 1))

holds() { [ "$(values_of late 2)" = x ]; }
if slowwait 20 holds; then
	ktap_test_pass "n3's answer late: n2 asked n1 and holds late=x after $((SECONDS - t0)) s"
else
	ktap_test_fail "n3's answer late: n2 lacks late after $((SECONDS - t0)) s"
fi
ktap_print_msg "n2: tx_iwant +$(($(stat 2 tx_iwant) - iwant0)) tx_iwant_retry +$(($(stat 2 tx_iwant_retry) - retry0)) rumors_applied +$(($(stat 2 rumors_applied) - applied0)); n1: tx_fetched +$(($(stat 1 tx_fetched) - fetched0)) tx_reply_cut $(stat 1 tx_reply_cut); rounds $(stat 1 rounds)/$(stat 2 rounds)"
ktap_result "n2: tx_iwant_retry +1, tx_iwant +2, rumors_applied +1" \
	test "$(stat 2 tx_iwant_retry)" -eq $((retry0 + 1)) -a \
	"$(stat 2 tx_iwant)" -eq $((iwant0 + 2)) -a \
	"$(stat 2 rumors_applied)" -eq $((applied0 + 1))
ktap_result "n1: tx_fetched +1 (its answer to the IWANT asked again)" \
	test "$(stat 1 tx_fetched)" -eq $((fetched0 + 1))
ktap_result "no round fired meanwhile" \
	test "$(stat 1 rounds)" -eq 0 -a "$(stat 2 rounds)" -eq 0

ktap_finished
