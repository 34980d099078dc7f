#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory short where nothing may sleep. The module's fault attribute
# /sys/kernel/debug/gossip/fail_alloc (the kernel's fault injection, with
# CONFIG_FAULT_INJECTION_DEBUG_FS: make check-debug's kernel; skipped
# elsewhere) fails a share of the allocations the receive path and the
# timers make: entries, origins, replay windows, acks, datagrams.
#
#   n1..n4  pushpull, 100 ms, fanout 3, eager on, one key (replay windows)
#
# 1. With 10 % of those allocations failing for about 15 s, while each node
#    publishes 40 keys and deletes one: failures were injected.
# 2. Every one of them was counted once: the sum over n1..n4 of tx_errors
#    and rx_err_nomem equals the failures injected.
# 3. Injection off: every node ends with the same dump, every live key with
#    its value and no deleted one (nothing lost for good).
# 4. Every datagram the kernel's UDP handed the module is counted received,
#    those dropped for want of memory before they were read included: after
#    a down, each node's rx_dgrams equals its namespace's UDP InDatagrams.
# 5. The kernel log is clean (make check-debug: and kmemleak finds nothing
#    after the VM's last test).

source "$(dirname "$0")/lib.sh"

N=4
PER=40				# keys each node publishes under failures
FA=/sys/kernel/debug/gossip/fail_alloc
TIMES=1000000			# failures allowed; what is left says how many

test_begin 5
TMPD=$(mktemp -d)
fa_off() { [ -d "$FA" ] && echo 0 >"$FA/probability"; }
trap 'fa_off; cleanup; rm -rf "$TMPD"' EXIT

if [ ! -d "$FA" ]; then
	for _ in 1 2 3 4 5; do
		ktap_test_skip "no $FA: this kernel has no CONFIG_FAULT_INJECTION_DEBUG_FS (make check-debug's has)"
	done
	ktap_finished
fi

cluster_create $N 100 3
"$GOSSIPADM" key gen >"$TMPD/k"
# shellcheck disable=SC2046 # node numbers
{
	nodes_batch down $(seq 1 $N)
	nodes_batch "set mode pushpull" $(seq 1 $N)
	nodes_batch "key add 1 $TMPD/k" $(seq 1 $N)
	nodes_batch up $(seq 1 $N)
} | "$GOSSIPADM" -b -
# Each node's own origin exists before the failures: a local publish that
# had to add it would fail to the publisher, not to a counter.
for ((i = 1; i <= N; i++)); do
	gadm "$i" publish "warm-$i" "w$i"
done
warm() { for ((i = 1; i <= N; i++)); do all_have "warm-$i" "w$i" || return 1; done; }
slowwait 30 warm || ktap_print_msg "the warm-up keys did not reach every node"

# errors: tx_errors and rx_err_nomem, summed over n1..n4.
# shellcheck disable=SC2046 # node numbers
errors() { echo $(($(stat_of tx_errors $(seq 1 $N) | sum_lines) + $(stat_of rx_err_nomem $(seq 1 $N) | sum_lines))); }
e0=$(errors)

echo 0 >"$FA/verbose"		# a stack dump per failure would fail the log check
echo 1 >"$FA/interval"
echo "$TIMES" >"$FA/times"
echo 10 >"$FA/probability"
t0=$SECONDS
for ((j = 1; j <= PER; j++)); do
	for ((i = 1; i <= N; i++)); do
		echo "netns $(node_ns "$i")"
		echo "publish k$i-$j v$i-$j"
	done
	[ $((j % 10)) -eq 0 ] && sleep 1
done | "$GOSSIPADM" -b - || ktap_print_msg "a publish failed under injection"
for ((i = 1; i <= N; i++)); do
	gadm "$i" del "k$i-1"
done
while ((SECONDS - t0 < 15)); do
	sleep 1
done
echo 0 >"$FA/probability"
left=$(cat "$FA/times")
injected=$((TIMES - left))
ktap_result "10 % of the allocations in softirq failing for $((SECONDS - t0)) s: $injected failures injected" \
	test "$injected" -gt 0

# Every failure is counted where it happened, before the counters are read.
sleep 1
e1=$(errors)
ktap_print_msg "tx_errors + rx_err_nomem over n1..n$N: +$((e1 - e0)), failures injected: $injected"
ktap_result "every failure counted once: tx_errors + rx_err_nomem +$((e1 - e0)) = $injected" \
	test $((e1 - e0)) -eq "$injected"

# converged: n1..n4 hold the same dump, in it every live key with its
# value and no deleted key but as a tombstone.
converged() {
	local i
	for ((i = 1; i <= N; i++)); do
		gadm "$i" -j dump | dump_entries >"$TMPD/dump$i"
	done
	for ((i = 2; i <= N; i++)); do
		cmp -s "$TMPD/dump1" "$TMPD/dump$i" || return 1
	done
	python3 - "$TMPD/dump1" "$N" "$PER" <<'EOF'
import json, sys
held = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    held[e["key"]] = None if e.get("deleted") else e.get("value")
n, per = int(sys.argv[2]), int(sys.argv[3])
nodes = range(1, n + 1)
ok = all(held.get("warm-%d" % i) == "w%d" % i for i in nodes)
ok &= all(held.get("k%d-%d" % (i, j)) == "v%d-%d" % (i, j)
          for i in nodes for j in range(2, per + 1))
ok &= all(held.get("k%d-1" % i) is None for i in nodes)
sys.exit(0 if ok else 1)
EOF
}
ok=0
slowwait 60 converged || ok=1
ktap_print_msg "after injection: n1 holds $(grep -c '"key"' "$TMPD/dump1") entries (tombstones included); want $((N * PER + N)) keys, $N deleted"
ktap_result "injection off: n1..n$N hold the same dump, all $((N * (PER - 1))) live keys and no deleted one" \
	test "$ok" -eq 0

# udp_in I: the datagrams UDP handed a socket in node I's namespace (IPv4
# and IPv6); only gossip's socket is open there.
udp_in() {
	ip netns exec "$(node_ns "$1")" awk '
		/^Udp:/ && !h { for (i = 2; i <= NF; i++) if ($i == "InDatagrams") c = i; h = 1; next }
		/^Udp:/ { n += $c }
		$1 == "Udp6InDatagrams" { n += $2 }
		END { print n }' /proc/net/snmp /proc/net/snmp6
}
# A down closes the socket: neither count moves after it.
# shellcheck disable=SC2046 # node numbers
nodes_batch down $(seq 1 $N) | "$GOSSIPADM" -b -
bad=""
for ((i = 1; i <= N; i++)); do
	u=$(udp_in "$i")
	r=$(stat_of rx_dgrams "$i")
	ktap_print_msg "n$i: UDP InDatagrams $u, rx_dgrams $r"
	[ "$u" = "$r" ] || bad="$bad n$i"
done
ktap_result "every datagram UDP handed the module is in rx_dgrams, the dropped ones included" \
	test -z "$bad"

ktap_result "kernel log clean" kmsg_clean
ktap_finished
