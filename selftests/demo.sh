#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the VM by `make demo`: an 8-node push cluster, a
# value published on node 1, and round by round how many nodes hold it;
# then node 8's counters as /sys shows them.

source "$(dirname "$0")/lib.sh"

N=8
INTERVAL=1000		# ms: slow enough to watch each round
FANOUT=1

require_root
trap cleanup EXIT
load_module || exit 1
echo "== $N nodes, one network namespace each, push mode, fanout $FANOUT, interval $INTERVAL ms"
cluster_create $N $INTERVAL $FANOUT || exit 1
gadm 1 show
echo "== gossipadm publish greeting hello-from-n1 (on node 1)"
r0=$(sysstat 1 rounds)
gadm 1 publish greeting hello-from-n1
last=-1
while :; do
	have=$(count_have greeting hello-from-n1)
	round=$(($(sysstat 1 rounds) - r0))
	if [ "$have" -ne "$last" ]; then
		printf 'round %2d: %d/%d nodes have the value\n' "$round" "$have" $N
		last=$have
	fi
	[ "$have" -eq $N ] && break
	if [ "$round" -gt 60 ]; then
		echo "not every node got the value after 60 rounds"
		exit 1
	fi
done
echo "== gossipadm get greeting, on every node"
for ((i = 1; i <= N; i++)); do
	printf 'n%d: %s\n' "$i" "$(gadm "$i" get greeting)"
done
echo "== /sys/class/gossip/gossip/stats/ in node $N's namespace"
on $N sh -c 'cd /sys/class/gossip/gossip/stats && for f in *; do printf "%-18s %s\n" "$f" "$(cat "$f")"; done'
