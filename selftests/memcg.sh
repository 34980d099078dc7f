#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the network makes an instance keep is charged to the memory cgroup
# of whoever brought it up (kmod/store.c, gossip_net_alloc()), as a local
# publish is to the publisher's: an instance in a namespace a user made
# (every command is open to the namespace's owner) is that user's to pay
# for, and a cgroup's limit holds against it. Before, entries, origins,
# replay windows and acks from the network were charged to nobody: anyone
# with a user namespace could pin 120 MiB of kernel memory per namespace.
#
#   n1, n2  pushpull, 50 ms, one key; n2 is brought up from the cgroup
#           gossip-memcg-PID (cgroup v2, memory controller); nothing runs in
#           it after that
#
# 1. n1 publishes 2000 values of 1000 bytes; n2 holds them all, and the
#    cgroup's memory.current grew by at least 2000 x 1000 bytes.
# 2. The cgroup limited to what it holds plus 1 MiB: n1 publishes 2000
#    more, n2 holds fewer than 4000; the rest is refused and counted
#    (rx_err_nomem moves), the cgroup stays within its limit.
# 3. The limit lifted: n2 ends with all 4000, exact values (the refused ones
#    were fetched again, nothing lost for good).
# 4. The kernel log is clean.

source "$(dirname "$0")/lib.sh"

CG_ROOT=/sys/fs/cgroup
CG=$CG_ROOT/gossip-memcg-$$
PER=2000
VLEN=1000

test_begin 4
TMPD=$(mktemp -d)
trap 'cleanup; rmdir "$CG" 2>/dev/null; rm -rf "$TMPD"' EXIT

[ -f "$CG_ROOT/cgroup.controllers" ] ||
	mount -t cgroup2 none "$CG_ROOT" 2>/dev/null
if ! grep -qw memory "$CG_ROOT/cgroup.controllers" 2>/dev/null; then
	for _ in 1 2 3 4; do
		ktap_test_skip "no cgroup v2 memory controller at $CG_ROOT"
	done
	ktap_finished
fi
echo +memory >"$CG_ROOT/cgroup.subtree_control"
mkdir "$CG"

CLUSTER_SET="mode pushpull" cluster_create 2 50 1
# A key: answers are not held to the bytes the asker sent (no
# amplification without keys), so n2 catches up at 8 datagrams a round.
"$GOSSIPADM" key gen >"$TMPD/k"
printf 'netns %s\ndown\nkey add 1 %s\nup\n' "$(node_ns 1)" "$TMPD/k" "$(node_ns 2)" "$TMPD/k" |
	"$GOSSIPADM" -b -
gadm 2 down
# n2 up from the cgroup: the subshell moves itself, gossipadm inherits it.
(echo "$BASHPID" >"$CG/cgroup.procs" && gadm 2 up)
cg_mem() { cat "$CG/memory.current"; }

VALUE=$(head -c $((VLEN / 2)) /dev/zero | tr '\0' 'v')$(head -c $((VLEN / 2)) /dev/zero | tr '\0' 'w')
publish() {	# publish FIRST LAST: keys m<j> on n1, value j then VALUE
	local j
	for ((j = $1; j <= $2; j++)); do
		echo "publish m$j $j${VALUE:${#j}}"
	done | gadm 1 -b -
}
has() { [ "$(stat_of entries 2)" -ge "$1" ]; }

m0=$(cg_mem)
publish 1 $PER
slowwait 120 has $PER
held=$(stat_of entries 2)
m1=$(cg_mem)
ktap_print_msg "cgroup memory.current: $m0 before, $m1 with n2 holding $held entries (+$((m1 - m0)))"
ktap_result "n2 holds $PER values of $VLEN bytes from n1 ($held), charged to the cgroup it was brought up from (+$((m1 - m0)) >= $((PER * VLEN)))" \
	test "$held" -ge $PER -a $((m1 - m0)) -ge $((PER * VLEN))

nomem0=$(stat_of rx_err_nomem 2)
max=$((m1 + 1048576))
echo "$max" >"$CG/memory.max"
publish $((PER + 1)) $((2 * PER))
# Until n2 stops taking more: the same count over 3 s.
settled() {
	local a b
	a=$(stat_of entries 2)
	sleep 3
	b=$(stat_of entries 2)
	[ "$a" -eq "$b" ]
}
slowwait 120 settled
held=$(stat_of entries 2)
nomem=$(($(stat_of rx_err_nomem 2) - nomem0))
m2=$(cg_mem)
ktap_print_msg "limit $max: n2 holds $held of $((2 * PER)), rx_err_nomem +$nomem, memory.current $m2"
ktap_result "limited to +1 MiB: n2 holds fewer ($held < $((2 * PER))), the rest counted (rx_err_nomem +$nomem), the cgroup within its limit" \
	test "$held" -lt $((2 * PER)) -a "$nomem" -gt 0 -a "$m2" -le "$max"

echo max >"$CG/memory.max"
complete() {
	has $((2 * PER)) || return 1
	# Every value exact: n1's dump and n2's are the same.
	[ "$(gadm 1 -j dump | dump_entries | md5sum)" = "$(gadm 2 -j dump | dump_entries | md5sum)" ]
}
ok=0
slowwait 120 complete || ok=1
ktap_result "limit lifted: n2 holds all $((2 * PER)), the same dump as n1's" test $ok -eq 0

ktap_result "kernel log clean" kmsg_clean
ktap_finished
