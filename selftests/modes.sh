#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The three modes on one cluster of N (32; 8 under make check-debug) nodes: each converges; a value
# whose push budget ran out still reaches a node that missed every rumor;
# concurrent updates of a key end with one winner;
# deletes converge and their tombstones are collected (once every peer
# holds them); a node that missed 5000 entries catches up without a
# datagram over max-dgram; changing modes on the running cluster loses
# nothing; monitor prints each arrival once.
#
#   n1 .. nN: one netns each, eth0 10.99.0.I/16, every other node a peer
#        \  |  /
#        br0 (hub netns)

source "$(dirname "$0")/lib.sh"

N=${MODES_NODES:-$(sized 32 8)}
INTERVAL=100
BULK=$(sized 5000 500)

test_begin 15
if ! cluster_create "$N" $INTERVAL 3; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi
ktap_test_pass "create a $N-node cluster"

set_all() { each_node set "$@" | "$GOSSIPADM" -b -; }

# rounds_to_all KEY: rounds (delay / interval, from the kernel's stamps)
# from the first node storing KEY to the last.
rounds_to_all() {
	# shellcheck disable=SC2046 # node numbers
	values_of -j "$1" $(seq 1 $N) | python3 -c '
import json, sys
s = [json.loads(l)["stamp_ns"] for l in sys.stdin if l.strip()]
print(f"{(max(s) - min(s)) / 1e6 / '$INTERVAL':.1f}")'
}

# 2-4. Each mode converges.
for mode in push pull pushpull; do
	set_all mode $mode
	gadm 7 publish "m-$mode" "v-$mode"
	if slowwait 120 all_have "m-$mode" "v-$mode"; then
		ktap_test_pass "mode $mode: $N/$N nodes in $(rounds_to_all "m-$mode") rounds"
	else
		ktap_test_fail "mode $mode: $(count_have "m-$mode" "v-$mode")/$N nodes"
	fi
done

# 5. Push, and a node that misses every rumor: n2 is down while the value
# is hot. Once the budget is spent (no datagram carries it any more), n2
# comes up and gets it from the digest exchange alone.
set_all mode push
gadm 2 down
gadm 1 publish residue zero
# Every node but n2 has it; then the budget runs out.
slowwait 60 eval '[ "$(count_have residue zero)" -eq $((N - 1)) ]'
sleep $((20 * INTERVAL / 1000 + 1))	# > 4 * ceil(log10(33)) rounds
gadm 2 up
n2_has_it() { [ "$(gadm 2 get residue 2>/dev/null)" = zero ]; }
if slowwait 60 n2_has_it; then
	ktap_test_pass "push: a value whose rumor died reaches the node that missed it (anti-entropy)"
else
	ktap_test_fail "push: the node that missed the rumor never got the value"
fi

# 6-8. Deletes converge; tombstones are collected once they are older than
# tombstone-ms and every peer has shown in a digest that it holds them (so
# a node the delete has not reached yet cannot bring the value back).
set_all mode pushpull tombstone-ms $((3000 * ${GOSSIP_TIMEOUT_MULT:-1}))
gadm 5 delete residue
# No node has an entry for it (each get fails, --force goes on).
gone_everywhere() {
	# shellcheck disable=SC2046 # node numbers
	[ -z "$(values_of residue $(seq 1 $N))" ]
}
if slowwait 60 gone_everywhere; then
	ktap_test_pass "delete: the key is gone on every node"
else
	# shellcheck disable=SC2046 # node numbers
	ktap_print_msg "residue still on $(values_of residue $(seq 1 $N) | wc -l) of $N nodes"
	ktap_test_fail "delete: the key is gone on every node"
fi
collected_everywhere() {
	[ "$(stat_all tombstones | grep -cx 0)" -eq "$N" ] &&
		[ "$(stat_all tombstones_collected | grep -cvx 0)" -eq "$N" ]
}
ktap_result "delete: every node collected the tombstone" \
	slowwait 60 collected_everywhere
ktap_result "delete: the value did not come back" gone_everywhere

# 9-11. A node behind by $BULK entries catches up; no datagram over the
# configured size (the largest each node sent is a counter).
# n3 comes back once the others hold the bulk, which they take in with
# eager off (the rounds' digests and answers, many entries a datagram).
# With eager on each publish is announced on its own (design.md, "a burst
# is announced an entry at a time"): on a loaded machine n3's catch-up,
# racing that storm, took over 300 s (it held 5001 and 4977 of 5003
# entries, the same with and without 12045e2; alone it took 118 s), and
# the storm alone took over 600 s.
set_all mode pushpull max-dgram 1400 eager off
gadm 3 down
for ((k = 1; k <= BULK; k++)); do
	echo "publish bulk-$k value-$k"
done | gadm 1 -b - || ktap_print_msg "batch publish failed"
before=$(sysstat 1 entries)
t0=$SECONDS
others_hold() {
	# shellcheck disable=SC2046 # node numbers
	[ "$(stat_of entries $(seq 1 "$N" | grep -vx 3) |
		awk -v b="$before" '$1 < b' | wc -l)" -eq 0 ]
}
slowwait 600 others_hold || ktap_print_msg "not every other node holds the $BULK entries"
ktap_print_msg "the other $((N - 1)) nodes hold the $BULK entries after $((SECONDS - t0)) s"
set_all eager on
gadm 3 up
t0=$SECONDS
caught_up() { [ "$(sysstat 3 entries)" -ge "$before" ]; }
if slowwait 300 caught_up; then
	ktap_test_pass "late node caught up on $BULK entries in $((SECONDS - t0)) s"
else
	ktap_test_fail "late node has $(sysstat 3 entries)/$before entries"
fi
largest=$(stat_all tx_largest | sort -n | tail -n 1)
ktap_print_msg "largest datagram sent by any node: $largest bytes"
ktap_result "no datagram over max-dgram 1400" test "$largest" -le 1400 -a "$largest" -gt 0
# Same entries, origins and versions; each node lists them in the order it
# stored them, so compare sorted.
ktap_result "the late node holds exactly what node 1 holds" \
	test "$(gadm 3 dump | sort | md5sum)" = "$(gadm 1 dump | sort | md5sum)"

# 12. Mode changes on the running cluster lose nothing: each value is
# published right after the cluster switched to the next mode.
SWITCHES=6
for ((k = 1; k <= SWITCHES; k++)); do
	set_all mode "$(echo push pull pushpull | cut -d' ' -f$((k % 3 + 1)))"
	gadm $((k * 5 % N + 1)) publish "switch-$k" "s$k"
done
# Every node lists every switch-K with value sK (one dump per node).
# (A node lists each key once: N * SWITCHES lines in all, when complete.)
all_switch() {
	[ "$(each_node dump | "$GOSSIPADM" -b - | grep -cE '^switch-([0-9]+) +s\1 ')" \
		-eq $((N * SWITCHES)) ]
}
ktap_result "$SWITCHES values published while modes changed reach every node" \
	slowwait 120 all_switch

# 13. Concurrent updates of one key in pull mode: one winner everywhere, the
# higher (version, origin) of the two, read right after each publish. n21
# of 32 (it has just published switch-4 in pull mode) and n10, as in the CI
# run that failed: there most nodes' marks of n1 still lagged behind its
# bulk of test 9 (28 of 31 in a run that passed), and a reply took the
# origins of a digest in order, so all its datagrams went to n1's entries
# above the asker's mark and none to n10's or n21's. Here that is certain:
# every node holds LAG entries of origin 1 (below every node id) that no
# node holds a mark for (no node publishes them, so no reply carries a MARK
# of them): every reply finds more of them above the asker's mark than it
# can carry, for as long as the test runs. They are pushed from n$N's
# address and port (a configured peer; n$N is down meanwhile).
set_all mode pull
entry_of() {
	gadm "$1" -j get "$2" | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(e["version"], e["origin"])'
}
LAG=1000
gadm $N down
# shellcheck disable=SC2046 # addresses
on $N python3 - "$LIB_DIR" "$(node_addr $N)" $LAG $(for ((i = 1; i < N; i++)); do node_addr $i; done) <<'EOF'
import socket, sys, time
sys.path.insert(0, sys.argv[1])
import digest as d
lag, dsts = int(sys.argv[3]), sys.argv[4:]
dgrams, cur = [], []
for k in range(1, lag + 1):
    e = d.entry(1, k, b"lag-%04d" % k, b"lagging-value-%04d" % k)
    if d.HDR.size + sum(map(len, cur)) + len(e) > 1400:
        dgrams.append(d.dgram(d.PUSH, 1, cur))
        cur = []
    cur.append(e)
dgrams.append(d.dgram(d.PUSH, 1, cur))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 7946))
for dst in dsts:
    for g in dgrams:
        s.sendto(g, (dst, 7946))
        time.sleep(0.002)
EOF
gadm $N up
ktap_print_msg "nodes holding the last of the $LAG lagging entries: $(count_have lag-$LAG lagging-value-$LAG)/$N"
RA=$((N / 3)) RB=$((N * 2 / 3))
gadm $RA publish race "from-$RA"
read -r va oa < <(entry_of $RA race)
gadm $RB publish race "from-$RB"
read -r vb ob < <(entry_of $RB race)
if [ "$vb" -gt "$va" ] || { [ "$vb" -eq "$va" ] && [ "$ob" -gt "$oa" ]; }; then
	winner=from-$RB
else
	winner=from-$RA
fi
if slowwait 120 all_have race "$winner"; then
	ktap_test_pass "pull: concurrent updates end with '$winner' on every node"
else
	ktap_print_msg "n$RA published (v$va, origin $oa), n$RB (v$vb, origin $ob); now:"
	# shellcheck disable=SC2046 # node numbers
	values_of -j race $(seq 1 $N) | sort | uniq -c | sed 's/^/# /'
	ktap_test_fail "pull: concurrent updates end with '$winner' on every node"
fi
set_all mode pushpull

# 14. monitor prints each arrival once.
mon=$(mktemp)
gadm $N monitor > "$mon" &
monpid=$!
# Publish only once the monitor listens (its start can take seconds in a
# loaded debug VM; eager pushes arrive in milliseconds): a probe first.
probe_seen() { grep -q '^entry key probe-mon ' "$mon"; }
gadm 4 publish probe-mon p
slowwait 30 probe_seen || ktap_print_msg "monitor on n$N: no probe line"
for ((k = 1; k <= 10; k++)); do
	gadm 4 publish "mon-$k" "m$k"
done
slowwait 60 all_have mon-10 m10
mon_all() { [ "$(grep -c '^entry key mon-' "$mon")" -ge 10 ]; }
slowwait 10 mon_all
sleep 1				# a duplicate line would come now
kill $monpid
wait $monpid 2>/dev/null
lines=$(grep -c '^entry key mon-' "$mon")
uniq=$(grep '^entry key mon-' "$mon" | awk '{print $3}' | sort -u | wc -l)
ktap_print_msg "monitor on n$N: $lines entry lines, $uniq distinct keys"
ktap_result "monitor printed each of the 10 arrivals exactly once" \
	test "$lines" -eq 10 -a "$uniq" -eq 10
rm -f "$mon"

cleanup
ktap_result "rmmod" unload_module
ktap_finished
