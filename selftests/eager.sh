#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Eager forwarding on a 16-node cluster (8 under make check-debug: the
# figures below are for 16) whose rounds never fire during a
# phase (a 60 s interval: the first round comes 54..66 s after up, and every
# phase starts with down/up): whatever spreads, spreads eagerly.
#
# With eager on (the default), in push and pushpull, at fanout 15 (every
# peer: nothing random in who gets what), a value published on node 1
# reaches all 16 nodes by the lazy push and the eager tree (send.c), and
# the counters are exact. The first update of a phase (down and up clear
# the tree) goes by the announcements alone: node 1 announces it (an
# IHAVE, a tenth of an interval later: 6 s) to its 15 peers; each other
# node, with no link of the tree, asks node 1 for the value in a GRAFT
# (an IWANT that also joins the tree), gets it (tx_fetched), applies it
# exactly once and announces it once, to its 14 peers other than node 1.
# So over the cluster tx_eager = tx_ihave = 15 + 15 * 14 = 225, tx_iwant
# = tx_fetched = 15, no TREE pushed, tx_dgrams = rx_dgrams = 255,
# rumors_applied 1 on each receiver and rumors_duplicate 0. A later update
# (a delete, from node 5) goes down the tree's links too (tx_tree), and
# whatever it takes, every node applies it once, announces it once (the
# same tx_ihave), and every copy of the value is a TREE or an answer:
# tx_tree + tx_fetched = applied + duplicates, tx_eager = tx_ihave +
# tx_tree. A burst of 20 publishes in one batch spreads as two updates do
# (send.c, "a burst of publishes"): node 1 announces the first at once,
# the other 19 a tenth of an interval later (6 s), together: node 1's
# tx_ihave is 2 * 15 (20 * 15 when each publish was announced on its
# own), each other node applies the 20 values once, and the cluster sends
# at most twice the datagrams of two updates (two keys that share a slot
# of the want table may be asked for twice: send.c, want_claim()).
#
# At fanout 3 a node announces to log2(peers) + 3 = 6 of them (5 under
# make check-debug), at least fanout; the announcements alone (the tree is
# new) reach a random set of nodes (a node no reached node picked waits
# for the rounds), and the counters are exact for that set: every node
# holding the value announced it once to 6 peers and pushed it down no
# link (it had none but the one it came from), so tx_eager = 6 * holders,
# and each holder but the publisher applied it once.
#
# With eager off, or in pull mode, nothing is sent: the value stays on
# node 1.
#
# Should a round fire all the same (a VM so loaded that a phase takes 54 s),
# tx_eager and rumors_applied stay exact (each node forwards an update once,
# whatever brought it); the exact datagram counts, and the eager-off and
# pull checks, need a phase without rounds: a round is reported, and those
# checks are skipped or relaxed.
#
#   n1 .. nN: one netns each, eth0 10.99.0.I/16, every other node a peer
#        \  |  /
#        br0 (hub netns)

source "$(dirname "$0")/lib.sh"

N=$(sized 16 8)
FANOUT=$((N - 1))	# every peer
INTERVAL=60000
PER=$((N - 1 + (N - 1) * (N - 2)))	# eager datagrams per update
WAIT_OFF=3		# seconds a value is given to (not) spread
ANNOUNCE=3		# log2(N - 1) + 3, at least fanout 3: send.c
for ((i = N - 1; i > 1; i >>= 1)); do
	ANNOUNCE=$((ANNOUNCE + 1))
done
STATS="tx_eager tx_dgrams rx_dgrams rumors_applied rumors_duplicate tx_errors rounds tx_replies tx_requests tx_ihave tx_iwant tx_fetched tx_tree tx_prune"

test_begin 18
if ! cluster_create $N $INTERVAL $FANOUT; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi
ktap_test_pass "create a $N-node cluster"

eager=$(gadm 1 -j show | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["eager"]))')
ktap_result "eager is on by default (show -j: $eager)" test "$eager" = true

# phase MODE EAGER [FANOUT]: every node down, configured and up again (no
# round fires for the next 54 s; node 1 last), then the counters' starting
# point, once no round of before can be on its way.
declare -A S0 S1
phase() {
	local conf i
	printf -v conf 'down\nset mode %s eager %s fanout %s\nup\n' "$1" "$2" \
		"${3:-$FANOUT}"
	for ((i = N; i >= 1; i--)); do
		gadm "$i" -b - <<<"$conf" || ktap_print_msg "node $i: configuration failed"
	done
	snap S0
}

# snap ARRAY [KEY]: every node's counters of $STATS into ARRAY[NAME,I] and,
# with KEY, its value of KEY into ARRAY[value,I]. One gossipadm for the
# whole cluster (an exec is expensive in the VM): per node a JSON line of
# stats, then one of its dump (keys and values here need no JSON escapes).
snap() {
	local -n arr=$1
	local key=${2:-} i name stats dump re
	for ((i = 1; i <= N; i++)); do
		for name in $STATS; do
			arr[$name,$i]=0
		done
		arr[value,$i]=
	done
	i=0
	while read -r stats && read -r dump; do
		i=$((i + 1))
		for name in $STATS; do
			re="\"$name\":([0-9]+)"
			[[ $stats =~ $re ]] && arr[$name,$i]=${BASH_REMATCH[1]}
		done
		re="\\{\"key\":\"$key\",\"value\":\"([^\"]*)\""
		[ -n "$key" ] && [[ $dump =~ $re ]] && arr[value,$i]=${BASH_REMATCH[1]}
	done < <(each_node $'stats\ndump' | "$GOSSIPADM" -j -b -)
}

# holders ARRAY VALUE: how many nodes held VALUE at the snapshot.
holders() {
	local -n arr=$1
	local i c=0
	for ((i = 1; i <= N; i++)); do
		[ "${arr[value,$i]}" = "$2" ] && c=$((c + 1))
	done
	echo "$c"
}

# spread KEY VALUE [COUNT]: COUNT (all N) nodes hold KEY=VALUE and, a look
# a tenth of an interval and a second later, tx_eager and tx_iwant did not
# move (the announcements wait that long: send.c, "the eager tree").
spread() {
	local want=${3:-$N} eager
	snap S1 "$1"
	[ "$(holders S1 "$2")" -ge "$want" ] || return 1
	eager=$(delta tx_eager),$(delta tx_iwant)
	sleep $((INTERVAL / 10000 + 1))
	snap S1 "$1"
	[ "$(holders S1 "$2")" -ge "$want" ] &&
		[ "$(delta tx_eager),$(delta tx_iwant)" = "$eager" ]
}

# exact K PUB [APPLIED [FIRST]]: the counters of a phase in which node PUB
# made K announcements (of APPLIED updates in all, default K), each of
# which reached every node; with FIRST, the first of the phase (no link in
# the tree: every node asked for them). Every node applied each once and
# announced it once, whatever brought it, and every IWANT (or GRAFT) was
# answered, even if a round fired (a loaded VM); tx_eager = tx_ihave +
# tx_tree, tx_ihave, the copies and the datagram counts are exact when
# none did (a push round announces too: its IHAVE is in tx_ihave alone).
exact() {
	local k=$1 pub=$2 app=${3:-$1} first=${4:-} i ok=0 applied=""
	for ((i = 1; i <= N; i++)); do
		applied+=" $(delta rumors_applied "$i")"
	done
	ktap_print_msg "tx_eager $(delta tx_eager) tx_ihave $(delta tx_ihave) tx_tree $(delta tx_tree) tx_iwant $(delta tx_iwant) tx_fetched $(delta tx_fetched) tx_prune $(delta tx_prune) tx_dgrams $(delta tx_dgrams) rx_dgrams $(delta rx_dgrams) duplicate $(delta rumors_duplicate) tx_errors $(delta tx_errors) rounds $(delta rounds)"
	ktap_print_msg "rumors_applied per node:$applied"
	applied=""
	for ((i = 1; i <= N; i++)); do
		applied+=" $(delta tx_iwant "$i")/$(delta tx_fetched "$i")/$(delta tx_tree "$i")/$(delta rounds "$i")"
	done
	ktap_print_msg "tx_iwant/tx_fetched/tx_tree/rounds per node:$applied"
	# A push round's IHAVE counts in tx_ihave, not in tx_eager.
	[ "$(delta tx_eager)" -le $(($(delta tx_ihave) + $(delta tx_tree))) ] || ok=1
	[ "$(delta tx_iwant)" -eq "$(delta tx_fetched)" ] || ok=1
	[ "$(delta tx_errors)" -eq 0 ] || ok=1
	if [ -n "$first" ]; then
		[ "$(delta tx_iwant)" -eq $((k * (N - 1))) ] || ok=1
		[ "$(delta tx_tree)" -eq 0 ] || ok=1
	fi
	for ((i = 1; i <= N; i++)); do
		if [ "$i" -eq "$pub" ]; then
			[ "$(delta rumors_applied "$i")" -eq 0 ] || ok=1
		else
			[ "$(delta rumors_applied "$i")" -eq "$app" ] || ok=1
		fi
	done
	if [ "$(delta rounds)" -eq 0 ]; then
		[ "$(delta tx_eager)" -eq $(($(delta tx_ihave) + $(delta tx_tree))) ] || ok=1
		[ "$(delta tx_ihave)" -eq $((k * PER)) ] || ok=1
		[ $(($(delta tx_tree) + $(delta tx_fetched))) -eq \
		  $(($(delta rumors_applied) + $(delta rumors_duplicate))) ] || ok=1
		[ "$(delta tx_dgrams)" -eq $(($(delta tx_ihave) + $(delta tx_tree) + 2 * $(delta tx_iwant) + $(delta tx_prune))) ] || ok=1
		[ "$(delta rx_dgrams)" -eq "$(delta tx_dgrams)" ] || ok=1
		# A TREE may come after an announcement's answer: a copy twice.
		[ -z "$first" ] || [ "$(delta rumors_duplicate)" -eq 0 ] || ok=1
	else
		ktap_print_msg "rounds fired (a slow VM): datagram counts not exact"
		[ "$(delta tx_ihave)" -ge $((k * PER)) ] || ok=1
	fi
	return $ok
}

# 3-6. Pushpull and push: everywhere, eagerly, with exact counters.
for mode in pushpull push; do
	phase "$mode" on
	gadm 1 publish "e-$mode" "v-$mode"
	if slowwait 60 spread "e-$mode" "v-$mode"; then
		ktap_test_pass "$mode, eager on: $N/$N nodes hold the value"
	else
		ktap_test_fail "$mode, eager on: $(holders S1 "v-$mode")/$N nodes hold the value"
	fi
	ktap_result "$mode, eager on: tx_eager = tx_ihave = $PER, tx_iwant = tx_fetched = $((N - 1)), no TREE (tx_dgrams = rx_dgrams = $((PER + 2 * (N - 1))) without rounds), 1 applied per receiver" \
		exact 1 1 1 first
done

# 7-8. A delete spreads eagerly too (a deleted key reads as empty); still
# the push phase (and the next step).
again
gadm 5 delete e-push
ktap_result "delete, eager on: the key is gone on every node" \
	slowwait 60 spread e-push ""
ktap_result "delete, eager on: down the tree too; tx_ihave $PER, every copy a TREE or an answer, 1 applied per receiver" exact 1 5

# 9-10. A burst of 20 publishes in one batch, on a node that announced
# nothing for a tenth of an interval (phase: down and up): the first is
# announced at once, the other 19 together 6 s later.
phase push on
for ((i = 1; i <= 20; i++)); do
	echo "publish b$i v$i"
done | gadm 1 -b -
ktap_result "burst of 20 publishes, eager on: the last on every node" \
	slowwait 60 spread b20 v20
burst_counts() {
	local i ok=0 applied=""
	for ((i = 1; i <= N; i++)); do
		applied+=" $(delta rumors_applied "$i")"
		[ "$i" -eq 1 ] || [ "$(delta rumors_applied "$i")" -eq 20 ] || ok=1
	done
	ktap_print_msg "tx_eager $(delta tx_eager) tx_ihave $(delta tx_ihave) (node 1: $(delta tx_ihave 1)) tx_tree $(delta tx_tree) tx_iwant $(delta tx_iwant) tx_fetched $(delta tx_fetched) tx_dgrams $(delta tx_dgrams) duplicate $(delta rumors_duplicate) tx_errors $(delta tx_errors) rounds $(delta rounds)"
	ktap_print_msg "rumors_applied per node:$applied"
	[ "$(delta tx_ihave 1)" -eq $((2 * (N - 1))) ] || ok=1
	[ "$(delta rumors_applied 1)" -eq 0 ] || ok=1
	[ "$(delta tx_errors)" -eq 0 ] || ok=1
	[ "$(delta tx_dgrams)" -le $((4 * (PER + 2 * (N - 1)))) ] || ok=1
	return $ok
}
ktap_result "burst of 20 publishes: node 1 announced twice (tx_ihave $((2 * (N - 1)))), 20 applied per receiver, tx_dgrams <= $((4 * (PER + 2 * (N - 1))))" \
	burst_counts
snap S1 b1
ktap_result "burst of 20 publishes: the first one on every node too" \
	test "$(holders S1 v1)" -eq $N

# 11-12. Fanout 3: the eager wave reaches a random set; exact for that set.
phase push on 3
gadm 1 publish f3 three
slowwait 60 spread f3 three $((ANNOUNCE + 1)) || ktap_print_msg "fanout 3: not settled"
held=$(holders S1 three)
ktap_print_msg "fanout 3: the eager wave reached $held/$N nodes"
f3_exact() {
	local i has ok=0
	ktap_print_msg "tx_eager $(delta tx_eager) tx_dgrams $(delta tx_dgrams) rx_dgrams $(delta rx_dgrams) rounds $(delta rounds)"
	[ "$(delta rounds)" -eq 0 ] || { ktap_print_msg "rounds fired: the set is not the eager wave's alone"; }
	[ "$(delta tx_eager)" -eq $((ANNOUNCE * held)) ] || ok=1
	[ "$(delta rumors_applied 1)" -eq 0 ] || ok=1
	for ((i = 2; i <= N; i++)); do
		has=0
		[ "${S1[value,$i]}" = three ] && has=1
		[ "$(delta rumors_applied "$i")" -eq $has ] || ok=1
	done
	return $ok
}
ktap_result "fanout 3: at least node 1 and the $ANNOUNCE peers it announced to, tx_eager = $ANNOUNCE * holders ($held), 1 applied per holder" \
	eval '[ "$held" -ge $((ANNOUNCE + 1)) ] && f3_exact'

# 13-16. Eager off, and pull mode with eager on: nothing is pushed, the
# value stays on node 1 (until a round, 54 s away: node 1's in push mode,
# any node's in pull mode, whose digest node 1 answers). Exact whatever the
# rounds did: no tx_eager anywhere, and node 1 sent nothing but its digests
# and answers.
for cfg in "push off" "pull on"; do
	read -r mode e <<<"$cfg"
	phase "$mode" "$e"
	gadm 1 publish "e-$mode-$e" x
	sleep $WAIT_OFF
	snap S1 "e-$mode-$e"
	have=$(holders S1 x)
	ktap_print_msg "tx_eager $(delta tx_eager) tx_dgrams $(delta tx_dgrams) (node 1: $(delta tx_dgrams 1), of which digests $(delta tx_requests 1), answers $(delta tx_replies 1)) rounds $(delta rounds) (node 1: $(delta rounds 1)); holders $have/$N"
	ktap_result "$mode, eager $e: tx_eager 0, node 1 pushed nothing" \
		test "$(delta tx_eager)" -eq 0 -a "$(delta tx_dgrams 1)" -eq \
		$(($(delta tx_requests 1) + $(delta tx_replies 1)))
	if [ "$mode" = push ]; then
		quiet=$(delta rounds 1)
	else
		quiet=$(delta rounds)
	fi
	if [ "$quiet" -ne 0 ]; then
		ktap_test_skip "$mode, eager $e: a round fired (a slow VM): the value may have spread by it"
		continue
	fi
	ktap_result "$mode, eager $e: after $WAIT_OFF s only node 1 holds the value ($have/$N)" \
		test "$have" -eq 1
done

ktap_result "kernel log clean" kmsg_clean
cleanup
ktap_result "rmmod" unload_module
ktap_finished
