#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the VM by `make demo`: an 8-node push cluster with
# fanout 1 and lockstep rounds of one second, a value published on node 1,
# and round by round how many nodes hold it (from the kernel's stamps of when
# each node stored it); then node 8's counters as /sys shows them.
#
#   n1 .. n8: one netns each, eth0 10.99.0.I/16, every other node a peer
#        \  |  /
#        br0 (hub netns)

source "$(dirname "$0")/lib.sh"

N=8
INTERVAL=1000		# ms: slow enough to watch each round
FANOUT=1

require_root
trap cleanup EXIT
load_module || exit 1
echo "== $N nodes, one network namespace each: push, fanout $FANOUT, interval $INTERVAL ms, lockstep"
CLUSTER_SET="lockstep on" cluster_create $N $INTERVAL $FANOUT || exit 1
gadm 1 show
echo "== gossipadm publish greeting hello-from-n1   (on node 1)"
gadm 1 publish greeting hello-from-n1
slowwait 60 all_have greeting hello-from-n1
have=$(count_have greeting hello-from-n1)
# Rounds fire together on multiples of the interval, so the round each node
# stored the value in is its kernel stamp's interval number minus node 1's.
echo "== round by round (from each node's kernel stamp of when it stored the value)"
for ((i = 1; i <= N; i++)); do
	gadm "$i" -j get greeting
done | python3 -c '
import json, sys
ival = '$INTERVAL' * 1000000
es = [json.loads(l) for l in sys.stdin if l.strip()]
t0 = min(e["stamp_ns"] for e in es) // ival
rnd = [e["stamp_ns"] // ival - t0 for e in es]
for r in range(max(rnd) + 1):
    got = sorted(i + 1 for i, x in enumerate(rnd) if x == r)
    have = sum(x <= r for x in rnd)
    print("round %2d: %d/%d nodes have the value   (new: %s)" % (r, have,
          len(es), " ".join("n%d" % i for i in got) or "-"))
print("== on every node: gossipadm get greeting")
for i, e in enumerate(es, 1):
    print("n%d: %s  origin %d version %d" % (i, e["value"], e["origin"],
          e["version"]))'
echo "== /sys/class/gossip/gossip/stats/ in node $N's namespace"
on $N sh -c 'cd /sys/class/gossip/gossip/stats && for f in *; do printf "%-22s %s\n" "$f" "$(cat "$f")"; done'
[ "$have" -eq $N ]
