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
#   - 0.2 s later, the same IHAVE "from n1": n2 has just asked, so it does
#     not ask again but notes n1 as the one to ask should the answer be
#     late.
# Both from one process, the nodes restarted just before (no round for
# 54 s): under the debug kernel an exec can take longer than the wait.
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

test_begin 6
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

# Every node down and up: no round for the next 54 s, whatever the
# creation cost (a debug kernel takes a minute or more to get here).
for ((i = 1; i <= N; i++)); do
	gadm "$i" -b - <<<$'down\nup' || ktap_print_msg "node $i: down/up failed"
done
iwant0=$(stat 2 tx_iwant)
retry0=$(stat 2 tx_iwant_retry)
fetched0=$(stat 1 tx_fetched)
applied0=$(stat 2 rumors_applied)
rounds0=$(($(stat 1 rounds) + $(stat 2 rounds)))

# Credit at n1 for n2's address, then the two announcements, n3's first,
# 0.2 s apart, from one process (an exec can take longer than the wait of
# 7.5 s under a debug kernel).
on $ATK python3 "$DGRAM" --spoof "$A2" --sport $PORT --len 600 \
	"$A1" $PORT sized 1 >/dev/null
t0=$SECONDS
on $ATK python3 - "$LIB_DIR" "$A3" "$A1" "$A2" "$PORT" "$origin" "$version" <<'EOF' ||
import sys
import time
sys.path.insert(0, sys.argv[1])
import dgram
a3, a1, a2, port, origin, version = sys.argv[2:8]
ihave = dgram.announce([(b"late", int(version), int(origin), 1)])
for src in (a3, a1):
    dgram.Spoofer(src, int(port)).sendto(ihave, (a2, int(port)))
    time.sleep(0.2)
EOF
	ktap_print_msg "the forged IHAVEs were not sent"
n=$(($(stat 2 tx_iwant) - iwant0))
r=$(($(stat 2 tx_iwant_retry) - retry0))
ktap_print_msg "n2: tx_iwant +$n, tx_iwant_retry +$r right after the two IHAVEs ($((SECONDS - t0)) s)"
# One IWANT, to n3; none to n1 for its IHAVE, which came while n2 waited
# for n3 (a second IWANT by now can only be the one asked again).
ktap_result "the IHAVE from n3's address, then n1's: n2 asks n3 only (tx_iwant - tx_iwant_retry +1)" \
	test $((n - r)) -eq 1
holds() { [ "$(values_of late 2)" = x ]; }
if slowwait 20 holds; then
	ktap_test_pass "n3's answer late: n2 asked n1 and holds late=x after $((SECONDS - t0)) s"
else
	ktap_test_fail "n3's answer late: n2 lacks late after $((SECONDS - t0)) s"
fi
ktap_print_msg "n2: tx_iwant +$(($(stat 2 tx_iwant) - iwant0)) tx_iwant_retry +$(($(stat 2 tx_iwant_retry) - retry0)) rumors_applied +$(($(stat 2 rumors_applied) - applied0)); n1: tx_fetched +$(($(stat 1 tx_fetched) - fetched0)) tx_reply_cut $(stat 1 tx_reply_cut); rounds of n1 and n2 +$(($(stat 1 rounds) + $(stat 2 rounds) - rounds0))"
ktap_result "n2: tx_iwant_retry +1, tx_iwant +2, rumors_applied +1" \
	test "$(stat 2 tx_iwant_retry)" -eq $((retry0 + 1)) -a \
	"$(stat 2 tx_iwant)" -eq $((iwant0 + 2)) -a \
	"$(stat 2 rumors_applied)" -eq $((applied0 + 1))
ktap_result "n1: tx_fetched +1 (its answer to the IWANT asked again)" \
	test "$(stat 1 tx_fetched)" -eq $((fetched0 + 1))
ktap_result "no round fired meanwhile" \
	test $(($(stat 1 rounds) + $(stat 2 rounds))) -eq "$rounds0"

ktap_finished
