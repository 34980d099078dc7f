#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the gossip selftests: KTAP output, bounded waiting,
# loading the module, and clusters of nodes, one network namespace each.
#
# Topology made by cluster_create N:
#
#   gsp-PID-n1        gsp-PID-n2   ...   gsp-PID-nN       (gossip instances)
#     eth0 10.99.0.1    eth0 10.99.0.2     eth0 10.99.x.y
#       |                 |                  |
#   ----+-----------------+------------------+----  br0 in gsp-PID-hub
#
# Every namespace made here is named with the prefix $NS_PREFIX and removed
# by cleanup(), which the sourcing script runs from an EXIT trap.

set -u

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LIB_DIR/.." && pwd)
GOSSIPADM=${GOSSIPADM:-$REPO/tools/gossipadm}
GOSSIP_KO=${GOSSIP_KO:-$REPO/gossip.ko}
NS_PREFIX="gsp-$$"
HUB="$NS_PREFIX-hub"
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_count_pass=0
ktap_count_fail=0
ktap_count_skip=0
ktap_test_num=0
ktap_plan=0

ktap_print_header() { echo "TAP version 13"; }
ktap_set_plan() {
	ktap_plan=$1
	echo "1..$1"
}
ktap_print_msg() { echo "# $*"; }

ktap_test_pass() {
	ktap_test_num=$((ktap_test_num + 1))
	ktap_count_pass=$((ktap_count_pass + 1))
	echo "ok $ktap_test_num $*"
}

ktap_test_fail() {
	ktap_test_num=$((ktap_test_num + 1))
	ktap_count_fail=$((ktap_count_fail + 1))
	echo "not ok $ktap_test_num $*"
}

ktap_test_skip() {
	ktap_test_num=$((ktap_test_num + 1))
	ktap_count_skip=$((ktap_count_skip + 1))
	echo "ok $ktap_test_num $* # SKIP"
}

# ktap_result NAME CMD...: run CMD, report NAME as passed or failed.
ktap_result() {
	local name=$1
	shift
	if "$@"; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
	fi
}

ktap_finished() {
	echo "# Totals: pass:$ktap_count_pass fail:$ktap_count_fail skip:$ktap_count_skip"
	if [ "$ktap_count_fail" -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ "$ktap_count_pass" -eq 0 ] && [ "$ktap_count_skip" -gt 0 ]; then
		exit $KSFT_SKIP
	elif [ "$ktap_test_num" -ne "$ktap_plan" ]; then
		# A test that never ran passes nothing: the plan is the check.
		echo "# planned $ktap_plan tests, reported $ktap_test_num"
		exit $KSFT_FAIL
	fi
	exit $KSFT_PASS
}

# slowwait SECONDS CMD...: poll CMD every 0.1 s until it succeeds; fail
# (return 1) if it has not within SECONDS (times GOSSIP_TIMEOUT_MULT, for
# slower kernels such as `make check-debug`'s).
slowwait() {
	local deadline=$((SECONDS + $1 * ${GOSSIP_TIMEOUT_MULT:-1}))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# sized NORMAL SMALL: NORMAL, or SMALL when GOSSIP_SMALL=1. make check-debug
# sets it: the same cases on fewer nodes, since under the debug kernel a
# namespace costs seconds to create and tens of seconds to delete (the
# kernel's own per-netns work under KASAN, kmemleak and lockdep).
sized() {
	if [ "${GOSSIP_SMALL:-0}" = 1 ]; then
		echo "$2"
	else
		echo "$1"
	fi
}

# test_begin PLAN: how a cluster test starts: root, gossipadm built, its
# namespaces removed on exit, the KTAP header and plan, the module loaded.
test_begin() {
	require_root
	[ -x "$GOSSIPADM" ] || { echo "# $GOSSIPADM not built"; exit $KSFT_SKIP; }
	trap cleanup EXIT
	ktap_print_header
	ktap_set_plan "$1"
	load_module || { ktap_test_fail "load gossip.ko"; ktap_finished; }
}

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "# needs root"
		exit $KSFT_SKIP
	fi
}

# load_module: the module's dependencies, then gossip.ko with its debug
# lines on, so that tests can balance "created" against "destroyed".
# GOSSIP_KO is the module file (make check-debug: the one built against the
# debug kernel). modprobe also succeeds for a built-in module (listed in
# modules.builtin, as in the debug kernel). insmod resolves no dependency:
# each module whose symbols gossip.ko uses is loaded first (modinfo -F
# depends gossip.ko): the UDP tunnels and libchacha20poly1305, the
# XChaCha20-Poly1305 of auth.c.
load_module() {
	modprobe -q udp_tunnel && modprobe -q ip6_udp_tunnel &&
		modprobe -q libchacha20poly1305 || return 1
	if [ ! -d /sys/module/gossip ]; then
		insmod "$GOSSIP_KO" dyndbg=+p || return 1
		# Leaks found after rmmod show the module's addresses raw.
		if [ "${GOSSIP_KMEMLEAK:-0}" = 1 ]; then
			echo "# gossip.ko .text at $(cat /sys/module/gossip/sections/.text 2>/dev/null)"
		fi
	fi
}

# kmemleak_scan: with GOSSIP_KMEMLEAK=1 and GOSSIP_KMEMLEAK_EACH=1, a
# kmemleak scan now, while the module is loaded, so that a leak it already
# made is reported (and printed here) with its symbols. Off by default: a
# scan takes 25 to 120 s under the debug kernel in TCG, nine tests unload
# the module, and the runner's scans at the end (scripts/run-tests.sh) find
# the same leaks and fail the run on them, their addresses raw (each test
# prints the module's .text address at load to decode them).
kmemleak_scan() {
	local f=/sys/kernel/debug/kmemleak report t0=$SECONDS
	[ "${GOSSIP_KMEMLEAK:-0}" = 1 ] && [ "${GOSSIP_KMEMLEAK_EACH:-0}" = 1 ] &&
		[ -w "$f" ] || return 0
	echo scan >"$f" || return 0
	# Printed now, the report names the module's functions (debugfs files
	# have no size: read it to know).
	report=$(cat "$f" 2>/dev/null)
	echo "# kmemleak: scanned before rmmod in $((SECONDS - t0)) s"
	if [ -n "$report" ]; then
		echo "# kmemleak, before rmmod:"
		sed 's/^/# /' <<<"$report"
	fi
	return 0
}

unload_module() {
	[ -d /sys/module/gossip ] || return 0
	kmemleak_scan
	rmmod gossip
}

node_ns() { echo "$NS_PREFIX-n$1"; }

# node_addr I: the IPv4 address of node I (1-based).
node_addr() { echo "10.99.$(($1 / 250)).$(($1 % 250 + 1))"; }

# on I CMD...: run CMD in node I's namespace.
on() {
	local i=$1
	shift
	ip netns exec "$(node_ns "$i")" "$@"
}

# gadm I ARGS...: gossipadm in node I's namespace (its -n: setns alone,
# where "ip netns exec" also makes a mount namespace and mounts sysfs, a
# second on the debug kernel).
gadm() {
	local i=$1
	shift
	"$GOSSIPADM" -n "$(node_ns "$i")" "$@"
}

# net_limits: the kernel-wide limits a cluster of many namespaces in one
# kernel outgrows (both are the init namespace's, for all of them):
# - the ARP table is one for all namespaces, and a cluster of n nodes needs
#   n * (n - 1) entries: past gc_thresh3 (1024 by default, a 33-node full
#   mesh) sends fail with "neighbor table overflow";
# - a datagram sent into a veth waits in the sending CPU's backlog, at most
#   netdev_max_backlog (1000) of them, the rest dropped where no counter of
#   gossip sees it. In lockstep every node's round fires in the same timer
#   softirq: 1024 nodes asking 3 peers each queue 3072 digests at once, and
#   those of the last third of the nodes were dropped every round (pull
#   stalled at 668 of 1024 nodes, make bench).
net_limits() {
	sysctl -qw net.ipv4.neigh.default.gc_thresh1=65536 \
		net.ipv4.neigh.default.gc_thresh2=131072 \
		net.ipv4.neigh.default.gc_thresh3=262144 \
		net.core.netdev_max_backlog=65536
}

hub_create() {
	net_limits
	ip netns add "$HUB"
	ip -n "$HUB" link add br0 type bridge
	ip -n "$HUB" link set br0 up
	ip -n "$HUB" link set lo up
}

# node_create I [PORT]: namespace, veth into the hub's bridge (the hub's end
# named PORT, default vI), address, lo up. Three processes: in the VM every
# exec is expensive.
node_create() {
	local i=$1 port=${2:-v$1} ns
	ns=$(node_ns "$i")
	ip netns add "$ns" || return 1
	ip -n "$ns" -b - <<-EOF || return 1
		link set lo up
		link add eth0 type veth peer name $port netns $HUB
		addr add $(node_addr "$i")/16 dev eth0
		link set eth0 up
	EOF
	ip -n "$HUB" link set "$port" master br0 up
}

# cluster_create N [INTERVAL_MS [FANOUT]]: N nodes on one bridge, each with
# every other node as a peer, configured with gossipadm only, and up.
# CLUSTER_SET, if set, holds more "set" words for every node.
cluster_create() {
	local n=$1 interval=${2:-100} fanout=${3:-3} i
	CLUSTER_N=$n
	hub_create
	for ((i = 1; i <= n; i++)); do
		node_create "$i"
	done
	cluster_config "$interval" "$fanout"
}

# routed_create N: N nodes for large clusters (a bridge takes at most 1023
# ports, and floods ARP to all of them): each node's eth0 is a veth into
# the hub, which routes (a /32 per node) instead of bridging. Addresses as
# node_addr; every neighbour entry is permanent (MACs derived from the
# index: 02:00:.. the node's end, 02:01:.. the hub's), so nothing ever ARPs.
# A handful of processes plus one per node, nothing per pair.
#
#   node I: eth0 10.99.x.y/32, 10.99.0.0/16 via 10.99.255.254 (the hub)
#   hub:    vI, route 10.99.x.y/32 dev vI, ip_forward on
routed_create() {
	local n=$1 i
	CLUSTER_N=$n
	net_limits
	ip netns add "$HUB" || return 1
	ip netns exec "$HUB" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0 || return 1
	for ((i = 1; i <= n; i++)); do
		echo "netns add $(node_ns "$i")"
	done | ip -b - || return 1
	# ip keeps each "netns NAME" it opens: 1024 of them pass the default
	# limit of open files ("Cannot open netlink socket: Too many open
	# files" at the 1021st node).
	ulimit -n $((n + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
	for ((i = 1; i <= n; i++)); do
		echo "link add v$i address $(routed_mac 1 "$i") type veth peer name eth0 address $(routed_mac 0 "$i") netns $(node_ns "$i")"
		echo "link set v$i up"
		echo "route add $(node_addr "$i")/32 dev v$i"
		echo "neigh replace $(node_addr "$i") lladdr $(routed_mac 0 "$i") dev v$i nud permanent"
	done | ip -n "$HUB" -b - || return 1
	for ((i = 1; i <= n; i++)); do
		ip -n "$(node_ns "$i")" -b - <<-EOF || return 1
			link set lo up
			addr add $(node_addr "$i")/32 dev eth0
			link set eth0 up
			neigh replace 10.99.255.254 lladdr $(routed_mac 1 "$i") dev eth0 nud permanent
			route add 10.99.0.0/16 via 10.99.255.254 dev eth0 onlink
		EOF
	done
}

# routed_mac SIDE I: the MAC of node I's veth end (SIDE 0) or the hub's (1).
routed_mac() { printf '02:%02x:00:00:%02x:%02x' "$1" $(($2 / 256)) $(($2 % 256)); }

# each_node CMD...: batch lines for gossipadm -b: CMD for every node of the
# cluster, each after a "netns" line (one process for the whole cluster).
each_node() {
	# shellcheck disable=SC2046 # node numbers
	nodes_batch "$*" $(seq 1 "$CLUSTER_N")
}

# cluster_config INTERVAL FANOUT: what cluster_create configures (every
# other node a peer, CLUSTER_SET, up), for all nodes in one gossipadm and
# one "peer add" request per node (the list of all its peers).
cluster_config() {
	local interval=$1 fanout=$2 i j peers=()
	for ((j = 1; j <= CLUSTER_N; j++)); do
		peers[j]="$(node_addr "$j"):7946"
	done
	for ((i = 1; i <= CLUSTER_N; i++)); do
		echo "netns $(node_ns "$i")"
		echo "set interval $interval fanout $fanout ${CLUSTER_SET:-}"
		((CLUSTER_N == 1)) ||
			echo "peer add ${peers[*]:0:i-1} ${peers[*]:i+1}"
		echo up
	done | "$GOSSIPADM" -b -
}

# sysstat I NAME: node I's counter NAME, from /sys.
sysstat() { on "$1" cat "/sys/class/gossip/gossip/stats/$2"; }

# count_have KEY VALUE: how many nodes of the cluster hold KEY=VALUE: one
# gossipadm for all of them (--force: a node without KEY fails its get and
# the batch goes on), where a process per node costs a second each under
# the debug kernel.
count_have() {
	# shellcheck disable=SC2046 # node numbers
	values_of "$1" $(seq 1 "$CLUSTER_N") | grep -cxF -- "$2"
}

# nodes_batch CMD NODE...: batch lines for gossipadm -b: CMD (a line, or
# several) on each NODE.
nodes_batch() {
	local cmd=$1 i
	shift
	for i in "$@"; do
		echo "netns $(node_ns "$i")"
		echo "$cmd"
	done
}

# stat_of NAME NODE...: counter NAME of each NODE, a line each, in that
# order (from one gossipadm -j stats batch).
stat_of() {
	local name=$1
	shift
	nodes_batch stats "$@" | "$GOSSIPADM" -j -b - |
		sed -n "s/.*\"$name\":\([0-9]*\).*/\1/p"
}

# stat_all NAME: counter NAME of every node of the cluster, in node order.
stat_all() {
	# shellcheck disable=SC2046 # node numbers
	stat_of "$1" $(seq 1 "$CLUSTER_N")
}

# values_of [-j] KEY NODE...: the value of KEY on each NODE that holds it
# (with -j its entry as JSON), a line each (--force: the gets of the others
# fail, the batch goes on).
values_of() {
	local json=()
	[ "$1" = -j ] && { json=(-j); shift; }
	local key=$1
	shift
	nodes_batch "get $key" "$@" | "$GOSSIPADM" "${json[@]}" -f -b - 2>/dev/null
}

# dump_entries: a JSON dump (gossipadm -j dump) read, one line per entry,
# sorted by key, without stamp_ns (when the node stored it: its own), so
# that two nodes holding the same print the same.
dump_entries() {
	python3 -c '
import json, sys
for e in sorted(json.load(sys.stdin), key=lambda e: e["key"]):
    e.pop("stamp_ns", None)
    print(json.dumps(e, sort_keys=True))'
}

# sum_lines: the sum of the integers read, one a line.
sum_lines() {
	local v s=0
	while read -r v; do
		s=$((s + v))
	done
	echo "$s"
}

all_have() { [ "$(count_have "$1" "$2")" -eq "$CLUSTER_N" ]; }

# again: the next step starts where the last one ended (S0 = S1).
again() {
	local k
	for k in "${!S1[@]}"; do
		S0[$k]=${S1[$k]}
	done
}

# delta NAME [I]: how much counter NAME moved from the snapshot S0 to S1
# (the test's associative arrays, indexed NAME,I), on node I or summed over
# nodes 1 to N.
delta() {
	local name=$1 i s=0
	if [ $# -eq 2 ]; then
		echo $((S1[$name,$2] - S0[$name,$2]))
		return
	fi
	for ((i = 1; i <= N; i++)); do
		s=$((s + S1[$name,$i] - S0[$name,$i]))
	done
	echo "$s"
}

cleanup() {
	# One ip process for all of them (a cluster may have a thousand).
	ip netns list | awk -v p="^$NS_PREFIX-" '$1 ~ p { print "netns del " $1 }' |
		ip -b - 2>/dev/null || true
}

# kmsg_text: the kernel log. With KMSG_LOG set (a file), the kernel's ring
# is drained into it first (dmesg -c) and the whole file printed: the ring
# (128 KiB in the test kernel) loses its oldest lines over many cycles, so
# a test that makes many calls it now and then.
kmsg_text() {
	if [ -n "${KMSG_LOG:-}" ]; then
		dmesg -c >>"$KMSG_LOG"
		cat "$KMSG_LOG"
	else
		dmesg
	fi
}

# kmsg_balance: every object the module logged as created was destroyed.
# Reads the kernel log; prints the unbalanced counts.
kmsg_balance() {
	local log created destroyed
	log=$(kmsg_text)
	created=$(grep -c 'gossip: .* created in netns' <<<"$log")
	destroyed=$(grep -c 'gossip: .* destroyed in netns' <<<"$log")
	echo "# objects created $created destroyed $destroyed"
	[ "$created" -eq "$destroyed" ]
}

# netns_inum NAME: the inode number of namespace NAME, as the module's debug
# lines name it ("... in netns INUM").
netns_inum() { stat -L -c %i "/run/netns/$1"; }

# kmsg_balance_netns [-v] INUM...: in each of these namespaces, every object
# the module logged as created was destroyed. -v prints the unbalanced ones.
kmsg_balance_netns() {
	local verbose=0 log inum created destroyed ok=0
	if [ "${1:-}" = -v ]; then
		verbose=1
		shift
	fi
	log=$(kmsg_text)
	for inum in "$@"; do
		created=$(grep -c "gossip: .* created in netns $inum\$" <<<"$log")
		destroyed=$(grep -c "gossip: .* destroyed in netns $inum\$" <<<"$log")
		[ "$created" -eq "$destroyed" ] && continue
		ok=1
		[ "$verbose" -eq 1 ] &&
			echo "# netns $inum: objects created $created destroyed $destroyed"
	done
	return $ok
}

# kmsg_clean: the kernel log shows no WARNING, BUG, Oops or trace; prints
# the offending lines otherwise.
kmsg_clean() {
	local bad
	bad=$(kmsg_text | grep -E 'WARNING:|BUG:|Oops|Call Trace:|general protection|UBSAN:|refcount_t:' || true)
	[ -z "$bad" ] && return 0
	head -n 40 <<<"$bad" | sed 's/^/# /'
	return 1
}

# traffic_start SECONDS I...: in the background, for at most SECONDS, publish
# a new value of key "traffic-I" on each node I in turn (failures, such as a
# node or the module gone, are ignored). traffic_stop ends it; call it from
# the script's EXIT trap too.
traffic_start() {
	local secs=$1
	shift
	traffic_stop
	(
		deadline=$((SECONDS + secs))
		n=0
		while [ "$SECONDS" -lt "$deadline" ]; do
			n=$((n + 1))
			for i in "$@"; do
				gadm "$i" publish "traffic-$i" "$n" >/dev/null 2>&1
			done
		done
	) &
	TRAFFIC_PID=$!
}

traffic_stop() {
	[ -n "${TRAFFIC_PID:-}" ] || return 0
	kill "$TRAFFIC_PID" 2>/dev/null
	wait "$TRAFFIC_PID" 2>/dev/null
	TRAFFIC_PID=
	return 0
}
