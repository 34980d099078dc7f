#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The eager tree (kmod/send.c, "the eager tree") on 8 nodes, every other
# node a peer, fanout 7, a 20 s interval: every phase starts with down and
# up on every node (down clears the tree's links), and its first round
# comes 18 to 22 s later, so what spreads in a phase spreads by the tree and
# by the announcements, which wait a tenth of an interval (2 s). Push mode,
# eager on (the default), no key.
#
#  1-3. A first publish on n1 (no link anywhere) goes by the announcements:
#       n1 announces it to its 7 peers; each lacks it, has no link, and
#       asks n1 in a GRAFT; n1 takes every one (fewer than 8 links) and
#       answers each with a TREE. After it n1 has 7 links, every other node
#       one (n1); no TREE was pushed; 7 GRAFTs.
#  4-5. The next publish on n1 goes down the tree: n1 pushes it to its 7
#       links (tx_tree 7, n1's), nobody asks for it (the announcements
#       find it everywhere), no copy twice.
#  6.   A publish on n5: n5 pushes to n1, n1 to its 6 other links:
#       tx_tree 7 again, none asked.
#  7-9. A second path: a TREE forged in n3's name (n9 spoofs its address)
#       brings n2 news, so n2 takes n3 as a link (n3 does not know). n1's
#       next publish then reaches one of n2, n3 twice: that node prunes
#       the link the second copy came on (tx_prune 1, rx_prune 1, one
#       duplicate), and every link is known at both ends again.
# 10-12. A stranger's (n9, no peer of n1) PRUNE and GRAFT change nothing
#       and get nothing back (rx_req_stranger); its TREE is applied, as
#       its push would be, and makes no link.
# 13-14. What an announcement makes a node with a link (n2, more than an
#       interval after its last GRAFT) ask with, in IHAVEs forged in n3's
#       name of entries nobody holds: one whose REF says the sender had
#       pushed it down its tree first (GOSSIP_REF_F_TREE: the tree missed
#       n2) gets a GRAFT; one without (what anti-entropy brought, which
#       went down no tree) an IWANT: a graft for it would close a cycle.
# 15.   A TREE forged in n4's name of what n2 got by anti-entropy (a
#       push-pull digest forged in n3's name), not down the tree nor in
#       answer to an IWANT: a second path, pruned (tx_prune 1), no link.
# 16.   A TREE forged in n6's name of what n2 got in answer to an IWANT
#       (a PUSH forged in n5's name) only lost a race with the
#       announcement's answer: n2 takes n6 as a link, prunes nothing.
# 17.   A second TREE of it, forged in n7's name: the race was n6's, so
#       this one came over a second path, pruned (tx_prune 1), no link to
#       n7, and n6 stays a link.
# 18-19. A TREE forged in n6's name of what n2 got by anti-entropy, its
#       entry marked late (GOSSIP_ENTRY_F_LATE: n6 asked for it before its
#       tree brought it, and pushes it down its tree from there): n6 is a
#       link, so n2 may have been the way n6's tree was bringing it, and
#       nothing is pruned. The same from n8, no link: a second path, pruned.
# 20-22. Waiting for the tree: an IHAVE of what went down n3's tree (forged)
#       is asked for at once while no TREE has come after such an
#       announcement; a TREE 0.5 s after it tells n2 how late the tree can
#       be. The next one n2 waits for (up to the average lateness plus two
#       times its deviation, at most a tenth of the interval): its TREE
#       0.2 s later saves the IWANT (rx_tree_awaited). One whose TREE never
#       comes is asked for once the wait is over.
# 23-25. A peer takes at most 8 links by GRAFT: with n2..n8 down and 9
#       more peers on n1 that only send datagrams (n10's 9 addresses, those
#       of n10..n18; GRAFTs padded to pay for their answers: no key), each
#       grafts n1; the first 8 are answered with a TREE and become links,
#       the ninth with a PUSH. A PRUNE from one of them drops its link.
# 26-27. What a link is told: n1 pushes an entry it got in answer to an
#       IWANT (a PUSH forged in n18's name) down its tree with
#       GOSSIP_ENTRY_F_LATE, one that came down a TREE without it.
# 28.   down clears the links.
#
#   n1 .. n8 (gossip), n9, n10 (dgram.py only): one netns each, eth0
#   10.99.0.I/16 (n10: 10.99.0.11 to .19 too), on br0 (hub netns)

source "$(dirname "$0")/lib.sh"

N=8
INTERVAL=20000
WAIT=2		# a tenth of the interval: the announcements' wait, s
STATS="tx_tree tx_prune rx_prune tx_iwant tx_graft tx_fetched tx_ihave rumors_applied rumors_duplicate rx_req_stranger tx_errors rounds tx_dgrams rx_tree_awaited"

test_begin 31
CLUSTER_N=$N
hub_create
for ((i = 1; i <= 10; i++)); do
	node_create "$i"
done
# n10 sends from 9 addresses: those of nodes 10 to 18, none of them made.
for ((i = 11; i <= 18; i++)); do
	echo "addr add $(node_addr "$i")/16 dev eth0"
done | ip -n "$(node_ns 10)" -b -
if cluster_config $INTERVAL $((N - 1)); then
	ktap_test_pass "create a $N-node cluster"
else
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi

declare -A S0 S1
# snap ARRAY: every gossip node's counters of $STATS into ARRAY[NAME,I].
snap() {
	local -n arr=$1
	local i=0 name stats re
	while read -r stats; do
		i=$((i + 1))
		for name in $STATS; do
			re="\"$name\":([0-9]+)"
			arr[$name,$i]=0
			[[ $stats =~ $re ]] && arr[$name,$i]=${BASH_REMATCH[1]}
		done
	done < <(each_node stats | "$GOSSIPADM" -j -b -)
}

show() {
	local name out=""
	for name in $STATS; do
		out+=" $name $(delta "$name")"
	done
	ktap_print_msg "$1:$out"
}

# links I: the addresses of node I's tree links, sorted, one a line: the
# rows of peer show whose last column (tree) says yes. No python: its
# start takes seconds in the debug kernel's guest, and this runs often.
links() {
	local peer rest
	gadm "$1" peer show | while read -r peer rest; do
		if [ "${rest##* }" = yes ]; then
			echo "${peer%:*}"
		fi
	done | LC_ALL=C sort
}

# symmetric: every link of the gossip nodes is one at both ends.
symmetric() {
	local i j ok=0
	for ((i = 1; i <= N; i++)); do
		for j in $(links "$i"); do
			[ "${j%.*}" = 10.99.0 ] || continue
			j=$((${j##*.} - 1))
			[ "$j" -le $N ] || continue
			links "$j" | grep -qxF "$(node_addr "$i")" || {
				ktap_print_msg "n$i has n$j as a link, n$j not n$i"
				ok=1
			}
		done
	done
	return $ok
}

# phase: every node down and up (the tree's links cleared, no round for
# 18 s), then the counters' starting point.
phase() {
	each_node $'down\nup' | "$GOSSIPADM" -b - || ktap_print_msg "phase: down/up failed"
	snap S0
}

# settled KEY VALUE: every node holds it and, WAIT + 1 s later, nothing was
# sent since (the announcements have gone out and been answered); the
# counters are then in S1.
settled() {
	local before
	all_have "$1" "$2" || return 1
	snap S1
	before=$(delta tx_dgrams)
	sleep $((WAIT + 1))
	snap S1
	[ "$(delta tx_dgrams)" -eq "$before" ]
}

# applied_once PUB: each node but PUB applied the update once, PUB none.
applied_once() {
	local i ok=0
	for ((i = 1; i <= N; i++)); do
		[ "$(delta rumors_applied "$i")" -eq $((i != $1)) ] || ok=1
	done
	return $ok
}

no_round() {
	[ "$(delta rounds)" -eq 0 ] && return 0
	ktap_print_msg "a round fired (a slow VM): counts not exact"
	return 1
}

# 1-3. No link anywhere: the announcements, and a graft per node.
phase
gadm 1 publish t1 one
ktap_result "first publish: every node holds it" slowwait 60 settled t1 one
grafted=$SECONDS	# every node's last GRAFT (tests 13-14)
show "first publish"
first_ok() {
	applied_once 1 && [ "$(delta tx_tree)" -eq 0 ] &&
		[ "$(delta tx_iwant)" -eq $((N - 1)) ] &&
		[ "$(delta tx_fetched 1)" -eq $((N - 1)) ] &&
		[ "$(delta rumors_duplicate)" -eq 0 ] &&
		[ "$(delta tx_errors)" -eq 0 ]
}
ktap_result "first publish: no TREE pushed, $((N - 1)) GRAFTs answered by n1, applied once each" first_ok
tree_ok() {
	local i want
	want=$(for ((i = 2; i <= N; i++)); do node_addr "$i"; done | sort)
	[ "$(links 1)" = "$want" ] || return 1
	for ((i = 2; i <= N; i++)); do
		[ "$(links "$i")" = "$(node_addr 1)" ] || return 1
	done
}
ktap_result "first publish: n1 has a link to each node, each node one, to n1" tree_ok

# 4-5. Down the tree.
again
gadm 1 publish t2 two
ktap_result "second publish: every node holds it" slowwait 60 settled t2 two
show "second publish"
down_tree_ok() {
	applied_once 1 && [ "$(delta tx_tree)" -eq $((N - 1)) ] &&
		[ "$(delta tx_tree 1)" -eq $((N - 1)) ] &&
		[ "$(delta tx_iwant)" -eq 0 ] &&
		[ "$(delta rumors_duplicate)" -eq 0 ] &&
		{ ! no_round || [ "$(delta tx_ihave)" -eq $((N - 1 + (N - 1) * (N - 2))) ]; }
}
ktap_result "second publish: n1 pushed it to its $((N - 1)) links (tx_tree $((N - 1))), nobody asked, no duplicate" down_tree_ok

# 6. Another publisher.
again
gadm 5 publish t3 three
slowwait 60 settled t3 three || ktap_print_msg "n5's publish: not settled"
show "n5's publish"
n5_ok() {
	applied_once 5 && [ "$(delta tx_tree 5)" -eq 1 ] &&
		[ "$(delta tx_tree 1)" -eq $((N - 2)) ] &&
		[ "$(delta tx_iwant)" -eq 0 ] &&
		[ "$(delta rumors_duplicate)" -eq 0 ]
}
ktap_result "n5's publish: n5 pushed to n1, n1 to its $((N - 2)) other links, nobody asked" n5_ok

# 7-9. A second path, forged: n2 takes n3 as a link.
again
back=$(on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr 3)" \
	--entry "7:5000:forged:f" "$(node_addr 2)" 7946 tree 1)
slowwait 10 eval 'links 2 | grep -qxF "$(node_addr 3)"'
ktap_result "a TREE forged in n3's name with news: n2 takes n3 as a link ($(links 2 | tr '\n' ' '))" \
	eval 'links 2 | grep -qxF "$(node_addr 3)" && ! links 3 | grep -qxF "$(node_addr 2)"'
slowwait 60 settled forged f || ktap_print_msg "the forged entry: not settled"
again
gadm 1 publish t4 four
slowwait 60 settled t4 four || ktap_print_msg "t4: not settled"
show "a publish over two paths"
ktap_result "a publish over two paths: one PRUNE sent and taken, one duplicate, applied once each" \
	eval 'applied_once 1 && [ "$(delta tx_prune)" -eq 1 ] && [ "$(delta rx_prune)" -eq 1 ] && [ "$(delta rumors_duplicate)" -eq 1 ]'
ktap_result "after the prune, every link is one at both ends" symmetric

# 10-12. A stranger.
again
l1=$(links 1)
back=$(on 9 python3 "$LIB_DIR/dgram.py" --sport 7946 --types 1 \
	"$(node_addr 1)" 7946 prune 1)
snap S1
ktap_result "a stranger's PRUNE: counted (rx_req_stranger +1, rx_prune +0), nothing back ($back), n1's links unchanged" \
	eval '[ "$(delta rx_req_stranger 1)" -eq 1 ] && [ "$(delta rx_prune 1)" -eq 0 ] && [ "$back" = none ] && [ "$(links 1)" = "$l1" ]'
again
back=$(on 9 python3 "$LIB_DIR/dgram.py" --sport 7946 --types 1 \
	--entry "$(gadm 1 -j get t4 | python3 -c 'import json,sys; e=json.load(sys.stdin); print("%d:%d:t4:four" % (e["origin"], e["version"]))')" \
	"$(node_addr 1)" 7946 graft 1)
snap S1
ktap_result "a stranger's GRAFT: counted (rx_req_stranger +1), nothing back ($back), n1's links unchanged" \
	eval '[ "$(delta rx_req_stranger 1)" -eq 1 ] && [ "$back" = none ] && [ "$(links 1)" = "$l1" ]'
again
back=$(on 9 python3 "$LIB_DIR/dgram.py" --sport 7946 --types 1 \
	--entry "7:6000:stranger:s" "$(node_addr 1)" 7946 tree 1)
snap S1
ktap_result "a stranger's TREE: applied on n1 (+1), not pushed on (tx_tree +0), no link, nothing back ($back)" \
	eval '[ "$(delta rumors_applied 1)" -eq 1 ] && [ "$(delta tx_tree 1)" -eq 0 ] && [ "$(links 1)" = "$l1" ] && [ "$back" = none ]'

# 13-14. An announcement to a node with a link: a GRAFT only if the tree
# had carried it. n2 grafts at most once an interval: wait that out. And
# the stranger's entry, which n1 announces in its next round (test 12),
# must be everywhere first: else n2 may ask for it too meanwhile.
while ((SECONDS - grafted <= INTERVAL / 1000)); do
	sleep 1
done
slowwait 60 all_have stranger s || ktap_print_msg "the stranger's entry is not everywhere"
ktap_print_msg "n2's links: $(links 2 | tr '\n' ' ')"
snap S0
on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr 3)" \
	--entry "7:7000:ae:a" "$(node_addr 2)" 7946 ihave 1 >/dev/null
slowwait 10 eval 'snap S1; [ "$(delta tx_iwant 2)" -gt 0 ] || [ "$(delta tx_graft 2)" -gt 0 ]'
ktap_result "an IHAVE of what no tree carried, to n2 (a link): an IWANT (tx_iwant +$(delta tx_iwant 2)), no GRAFT (tx_graft +$(delta tx_graft 2))" \
	eval '[ "$(delta tx_iwant 2)" -eq 1 ] && [ "$(delta tx_graft 2)" -eq 0 ]'
again
on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr 3)" --tree 1 \
	--entry "7:7001:down:d" "$(node_addr 2)" 7946 ihave 1 >/dev/null
slowwait 10 eval 'snap S1; [ "$(delta tx_iwant 2)" -gt 0 ] || [ "$(delta tx_graft 2)" -gt 0 ]'
ktap_result "an IHAVE of what went down the sender's tree (GOSSIP_REF_F_TREE), to n2: a GRAFT (tx_graft +$(delta tx_graft 2), counted in tx_iwant +$(delta tx_iwant 2) too)" \
	eval '[ "$(delta tx_graft 2)" -eq 1 ] && [ "$(delta tx_iwant 2)" -eq 1 ]'

# held_then_tree KIND VIA FROM KEY VALUE: n2 gets entry KEY=VALUE (origin
# 7) in a KIND datagram forged in nVIA's name, and it settles; then the
# same entry in a TREE forged in nFROM's name, until n2 counts it a
# duplicate (S1).
held_then_tree() {
	local entry="7:8000:$4:$5"
	on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr "$2")" \
		--entry "$entry" "$(node_addr 2)" 7946 "$1" 1 >/dev/null
	slowwait 60 settled "$4" "$5" || ktap_print_msg "$4: not settled"
	tree_again "$3" "$4" "$5"
}

# tree_again FROM KEY VALUE [late]: n2 gets entry KEY=VALUE (origin 7),
# which it holds, in a TREE forged in nFROM's name (with "late", the entry
# has GOSSIP_ENTRY_F_LATE), until it counts it a duplicate.
tree_again() {
	local late=()

	[ "${4:-}" = late ] && late=(--late 1)
	again
	on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr "$1")" \
		"${late[@]}" --entry "7:8000:$2:$3" "$(node_addr 2)" 7946 \
		tree 1 >/dev/null
	slowwait 10 eval 'snap S1; [ "$(delta rumors_duplicate 2)" -gt 0 ]'
}

# 15. A TREE of what anti-entropy brought: pruned.
held_then_tree pushpull 3 4 digest p
ktap_result "a TREE in n4's name of what n2 got in a digest: a PRUNE (tx_prune +$(delta tx_prune 2), rumors_duplicate +$(delta rumors_duplicate 2)), no link ($(links 2 | tr '\n' ' '))" \
	eval '[ "$(delta tx_prune 2)" -eq 1 ] && ! links 2 | grep -qxF "$(node_addr 4)"'

# 16. A TREE of what an IWANT's answer brought: a link.
held_then_tree valid 5 6 fetched q
ktap_result "a TREE in n6's name of what n2 got in a PUSH: a link, no PRUNE (tx_prune +$(delta tx_prune 2), rumors_duplicate +$(delta rumors_duplicate 2); links: $(links 2 | tr '\n' ' '))" \
	eval '[ "$(delta tx_prune 2)" -eq 0 ] && links 2 | grep -qxF "$(node_addr 6)"'

# 17. A second TREE of it: the race was n6's, this is a second path.
tree_again 7 fetched q
ktap_result "a second TREE of it, in n7's name: a PRUNE (tx_prune +$(delta tx_prune 2), rumors_duplicate +$(delta rumors_duplicate 2)), no link to n7, n6 kept (links: $(links 2 | tr '\n' ' '))" \
	eval '[ "$(delta tx_prune 2)" -eq 1 ] && ! links 2 | grep -qxF "$(node_addr 7)" && links 2 | grep -qxF "$(node_addr 6)"'

# 18-19. A TREE of what anti-entropy brought, but late (the sender asked
# for it before its tree brought it): from a link, n2 may have been that
# link's way in the tree, and keeps it; from another peer, a second path.
tree_again 6 digest p late
ktap_result "a TREE from link n6, its entry late (GOSSIP_ENTRY_F_LATE), of what n2 got in a digest: no PRUNE (tx_prune +$(delta tx_prune 2), rumors_duplicate +$(delta rumors_duplicate 2)), n6 kept (links: $(links 2 | tr '\n' ' '))" \
	eval '[ "$(delta tx_prune 2)" -eq 0 ] && [ "$(delta rumors_duplicate 2)" -eq 1 ] && links 2 | grep -qxF "$(node_addr 6)"'
tree_again 8 digest p late
ktap_result "the same from n8, no link: a PRUNE (tx_prune +$(delta tx_prune 2), rumors_duplicate +$(delta rumors_duplicate 2)), no link to n8 (links: $(links 2 | tr '\n' ' '))" \
	eval '[ "$(delta tx_prune 2)" -eq 1 ] && ! links 2 | grep -qxF "$(node_addr 8)"'

# 20-22. Waiting for the tree. n2 has a link. tree_ihave KEY [S]: an IHAVE
# forged in n3's name of KEY (origin 7, value v) that went down n3's tree
# (GOSSIP_REF_F_TREE), and with S, S seconds later from the same process
# the TREE of it, forged in n1's name (a configured peer of n2), the push
# the announcement said was coming; then, once n2 asked for KEY or
# counted its TREE awaited (at most 10 s), and WAIT s more (the wait is
# over), the counters in S1.
tree_ihave() {
	local then=()

	[ -n "${2:-}" ] && then=(--then "$(node_addr 1):$2")
	again
	on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr 3)" --tree 1 \
		"${then[@]}" --entry "7:7100:$1:v" "$(node_addr 2)" 7946 \
		ihave 1 >/dev/null
	slowwait 10 eval 'snap S1; [ "$(delta tx_iwant 2)" -gt 0 ] || [ "$(delta rx_tree_awaited 2)" -gt 0 ]'
	sleep $WAIT
	snap S1
}
# 20. No TREE came after such an announcement yet: asked at once. The
# push 0.5 s after it tells n2 how late the tree can be.
tree_ihave w1 0.5
ktap_result "an IHAVE of what went down n3's tree, its push 0.5 s later: asked at once, none waited for yet (tx_iwant +$(delta tx_iwant 2), rx_tree_awaited +$(delta rx_tree_awaited 2)), held" \
	eval '[ "$(delta tx_iwant 2)" -eq 1 ] && [ "$(delta rx_tree_awaited 2)" -eq 0 ] && [ "$(gadm 2 get w1)" = v ]'
# 21. Now n2 waits for the push (about 1 s: the average lateness plus two
# times its deviation, at most a tenth of the interval), which comes 0.2 s
# later: no IWANT. Before 2026-12-07 (third change) this asked at once.
tree_ihave w2 0.2
ktap_result "the next one, its push 0.2 s later: waited for, not asked (rx_tree_awaited +$(delta rx_tree_awaited 2), tx_iwant +$(delta tx_iwant 2)), held" \
	eval '[ "$(delta rx_tree_awaited 2)" -eq 1 ] && [ "$(delta tx_iwant 2)" -eq 0 ] && [ "$(gadm 2 get w2)" = v ]'
# 22. No push comes: asked once the wait is over (n3 does not have it).
tree_ihave w3
ktap_result "one whose push never comes: asked after the wait (tx_iwant +$(delta tx_iwant 2), rx_tree_awaited +$(delta rx_tree_awaited 2))" \
	eval '[ "$(delta tx_iwant 2)" -eq 1 ] && [ "$(delta rx_tree_awaited 2)" -eq 0 ]'
# n2 pushes w1 and w2 on: it all settles before the next phase.
slowwait 60 settled w2 v || ktap_print_msg "w1, w2: not settled"

# 23-25. At most 8 links by GRAFT: n1 alone up, 9 more peers.
extra=()
for ((i = 10; i <= 18; i++)); do
	extra+=("$(node_addr "$i"):7946")
done
gadm 1 peer add "${extra[@]}" || ktap_print_msg "n1: peer add failed"
phase
# shellcheck disable=SC2046 # node numbers
nodes_batch down $(seq 2 $N) | "$GOSSIPADM" -b - || ktap_print_msg "n2..n$N: down failed"
gadm 1 publish g gee
ref=$(gadm 1 -j get g | python3 -c 'import json,sys; e=json.load(sys.stdin); print("%d:%d:g:gee" % (e["origin"], e["version"]))')
types=""
for ((i = 10; i <= 18; i++)); do
	types+="$(on 10 python3 "$LIB_DIR/dgram.py" --sport 7946 \
		--bind "$(node_addr "$i")" --types 1 --entry "$ref" \
		"$(node_addr 1)" 7946 graft 1) "
done
ktap_print_msg "the answers to 9 GRAFTs (8 TREE, 1 PUSH): $types"
ktap_result "9 GRAFTs: the first 8 answered with a TREE, the ninth with a PUSH" \
	test "$types" = "8 8 8 8 8 8 8 8 1 "
ktap_result "n1 has 8 links, n10..n17" \
	test "$(links 1 | tr '\n' ' ')" = "$(for ((i = 10; i <= 17; i++)); do node_addr "$i"; done | sort | tr '\n' ' ')"
snap S0
back=$(on 10 python3 "$LIB_DIR/dgram.py" --sport 7946 --types 1 \
	"$(node_addr 1)" 7946 prune 1)
snap S1
ktap_result "a PRUNE from n10: its link dropped (rx_prune +1), nothing back ($back)" \
	eval '[ "$(delta rx_prune 1)" -eq 1 ] && [ "$back" = none ] && ! links 1 | grep -qxF "$(node_addr 10)" && [ "$(links 1 | wc -l)" -eq 7 ]'

# pushed_flags KIND KEY: n1 gets KEY=v (origin 7, new to it) in a KIND
# datagram forged in n18's name (a peer of n1, no link); prints the record
# flags of the entry of the first TREE n1 then pushes to n10's addresses
# (its links), "none" if none came within 10 s.
pushed_flags() {
	local cap pid

	cap=$(mktemp)
	on 10 timeout 10 python3 "$LIB_DIR/dgram.py" capture 7946 1 "$cap" 8 &
	pid=$!
	# Once it is bound (bad_dgram.sh does the same): a TREE before that
	# would be lost.
	slowwait 10 eval 'on 10 ss -Huln "sport = :7946" | grep -q .' ||
		ktap_print_msg "capture: not bound"
	on 9 python3 "$LIB_DIR/dgram.py" --spoof "$(node_addr 18)" \
		--entry "7:9000:$2:v" "$(node_addr 1)" 7946 "$1" 1 >/dev/null
	wait "$pid"
	if [ -s "$cap" ]; then
		python3 -c 'import sys; print(bytes.fromhex(open(sys.argv[1]).readline())[17])' "$cap"
	else
		echo none
	fi
	rm -f -- "$cap"
}

# 26-27. Down the tree, late only what was asked for.
flags=$(pushed_flags valid late1)
ktap_result "an IWANT's answer (a PUSH in n18's name) goes down the tree late: entry flags $flags (GOSSIP_ENTRY_F_LATE is 2)" \
	test "$flags" = 2
flags=$(pushed_flags tree late2)
ktap_result "a TREE's entry goes down the tree as it came: entry flags $flags" \
	test "$flags" = 0

# 28. down clears them.
gadm 1 down
ktap_result "down: no link left" test -z "$(links 1)"

ktap_result "kernel log clean" kmsg_clean
cleanup
ktap_result "rmmod" unload_module
ktap_finished
