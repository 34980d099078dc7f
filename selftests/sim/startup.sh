#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A starting cluster goes quiet (make sim-startup; docs/simulator.md): 256
# simulated nodes, every one an origin (its first publish begins a life
# that its 255 peers must ack: kmod/store.c, "Incarnation"), fanout 3,
# 200 ms rounds spread over the interval, eager on. In each mode and for
# each seed, STARTUP_SECONDS (200) after the start: no life waits for acks,
# no node's rounds are hot, and the cluster sends at most 1.05 datagrams a
# node and second (the summaries, one a second: kmod/send.c, "quiet").
# These are simulated seconds and message counts: the same on any machine.
#
# Before 684a1a7 every first mark kept its node's rounds hot: at 160 s
# push still had 131 lives waiting, pull 6 and pushpull 46, with 6 to 31
# datagrams a node and second; at 200 s pull had 175 nodes hot. Since,
# the last of the six runs is quiet after 160 s.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sim=${GOSSIP_SIM:-$here/gossip_sim}
nodes=${STARTUP_NODES:-256}
seconds=${STARTUP_SECONDS:-200}
seeds=${STARTUP_SEEDS:-2}

echo "TAP version 13"
echo "1..$((3 * seeds))"
fail=0 t=0
for mode in 1 2 3; do
	name=$(echo "push pull pushpull" | cut -d' ' -f$mode)
	for ((seed = 1; seed <= seeds; seed++)); do
		t=$((t + 1))
		out=$("$sim" --scale "$nodes" --mode $mode --fanout 3 --eager \
			--seed $seed --before "$seconds" --warm --origins \
			--startup --settle 20 --spread 200000 2>&1)
		st=$?
		grep '^# startup:' <<<"$out" | sed 's/^/# /'
		last=$(grep '^# startup:' <<<"$out" | tail -n 1)
		if [ $st -ne 0 ]; then
			echo "not ok $t $name seed $seed: the simulator exited with $st"
			grep -v '^# startup:' <<<"$out" | tail -n 5 | sed 's/^/# /'
			fail=1
		elif [[ $last =~ :\ +([0-9]+)\ s:\ +([0-9.]+)\ datagrams.*,\ ([0-9]+)\ lives\ waiting,\ ([0-9]+)\ nodes\ not\ quiet ]] &&
		   [ "${BASH_REMATCH[1]}" -eq "$seconds" ] &&
		   [ "${BASH_REMATCH[3]}" -eq 0 ] && [ "${BASH_REMATCH[4]}" -eq 0 ] &&
		   python3 -c "import sys; sys.exit(not ${BASH_REMATCH[2]} <= 1.05)"; then
			echo "ok $t $name seed $seed: quiet, every life acked, at most 1.05 datagrams a node and second after $seconds s"
		else
			echo "not ok $t $name seed $seed: after $seconds s: ${last:-no startup line}"
			fail=1
		fi
	done
done
exit $fail
