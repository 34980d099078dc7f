#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/multivm_node.sh - one node of the multi-kernel cluster test
# (scripts/multivm.sh boots GOSSIP_MULTIVM_N VMs, each running this as its
# command). Not in tests.list: it needs the other VMs.
#
#   vm1 .. vmN: one kernel each, eth0 10.77.0.I/24 (a virtio-net NIC on one
#   QEMU multicast socket, i.e. one L2 segment over the host's loopback),
#   gossip.ko with node id I and every other VM a peer.
#
# The VMs coordinate only through gossip (keys they publish) and the
# network (ping): no shared file. Each VM I:
#
#   1. publishes key-I = vI, then ver-I = the version its own store gave
#      key-I; waits until it holds key-P and ver-P of every P and asserts
#      key-P = vP with origin P and version ver-P (the publisher's view);
#   2. publishes ready-I and waits for every ready-P (a barrier);
#   3. the last VM (N) then publishes bye-N, waits for ack-bye-J of every
#      other VM and leaves: checks its counters, unloads gossip.ko and
#      powers off (vm-init, as soon as this script exits; its NIC stays up
#      until the kernel shuts it down). The others
#      acknowledge the bye, wait until N answers no ping, and VM1 publishes
#      after-bye: every other remaining VM must get it (origin 1) with N
#      gone and publishes got-after-J; VM1 waits for them all and publishes
#      fin-1, which the others wait for before leaving;
#   4. asserts that every rx_err_* counter is 0, then rmmod's gossip.ko
#      and checks that every object it created was destroyed.
#
# Lines "# multivm: publishing KEY" and "# multivm: arrived KEY" are
# time-stamped by the host (one clock for all VMs) for the figures. Every
# wait is bounded (times GOSSIP_TIMEOUT_MULT). After a failed step the
# steps that depend on it are reported failed without waiting.

# shellcheck disable=SC2317 # the steps' functions run through step()
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

ID=${GOSSIP_VM_ID:-}
N=${GOSSIP_MULTIVM_N:-3}
NET=10.77.0
INTERVAL=100		# ms
WAIT_BOOT=300		# s: the other VMs may still be booting
WAIT=120		# s: any other step (the leaver unloads gossip.ko first)
ERRS="short magic version type length entry full nomem unauth auth replay label"

say() { echo "# multivm: $*"; }

if [[ ! "$ID" =~ ^[1-9]$ ]] || [[ ! "$N" =~ ^[3-9]$ ]] || ((ID > N)); then
	echo "# multivm_node.sh: GOSSIP_VM_ID=$ID GOSSIP_MULTIVM_N=$N: want 1 <= ID <= N, 3 <= N <= 9"
	exit 2
fi
LEAVER=$N
require_root
[ -x "$GOSSIPADM" ] || { echo "# $GOSSIPADM not built"; exit "$KSFT_SKIP"; }
g() { "$GOSSIPADM" "$@"; }

FAILED=

# step NAME CMD...: a KTAP result for CMD; once a step failed, the steps
# that need it (all but the last checks) fail at once, without waiting.
step() {
	local name=$1
	shift
	if [ -n "$FAILED" ]; then
		ktap_test_fail "vm$ID: $name # not run: '$FAILED' failed"
		return 1
	fi
	if "$@"; then
		ktap_test_pass "vm$ID: $name"
		return 0
	fi
	ktap_test_fail "vm$ID: $name"
	FAILED=$name
	return 1
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# The local store as gossipadm dump prints it: a header, then "KEY VALUE
# ORIGIN VERSION" a line (no value here has a space).
DUMP=
read_dump() { DUMP=$(g dump 2>/dev/null); }
field() { awk -v k="$1" -v f="$2" 'NR > 1 && $1 == k { print $f }' <<<"$DUMP"; }

# wait_keys SECONDS KEY...: poll the store until it holds every KEY,
# printing "arrived KEY" when each is first seen. One gossipadm a poll and
# nothing else forked: in the VM (TCG) every exec costs.
wait_keys() {
	local deadline=$((SECONDS + $1 * ${GOSSIP_TIMEOUT_MULT:-1})) k missing up
	local -A want=() seen=()
	shift
	for k in "$@"; do
		want[$k]=1
	done
	missing=$#
	while :; do
		read_dump
		while read -r k _; do
			[[ -n "$k" && -n "${want[$k]:-}" ]] || continue
			[ -z "${seen[$k]:-}" ] || continue
			seen[$k]=1
			missing=$((missing - 1))
			read -r up _ </proc/uptime
			say "arrived $k at uptime $up s"
		done <<<"$DUMP"
		((missing == 0)) && return 0
		if ((SECONDS >= deadline)); then
			for k in "$@"; do
				[ -n "${seen[$k]:-}" ] || say "still missing $k"
			done
			return 1
		fi
		sleep 0.1
	done
}

# The host times a publish from this line, printed just before: so its
# figures include starting gossipadm, and are never early.
publish() {
	say "publishing $1"
	g publish "$1" "$2"
}

net_up() {
	local dev='' d
	modprobe virtio_net || return 1
	for d in /sys/class/net/*; do
		[ "${d##*/}" = lo ] || { dev=${d##*/}; break; }
	done
	[ -n "$dev" ] || { say "no network interface"; return 1; }
	# No IPv6 on the segment: only what the test sends.
	sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" || true
	ip addr add "$NET.$ID/24" dev "$dev" &&
		ip link set "$dev" up || return 1
	say "$dev $NET.$ID/24 $(cat "/sys/class/net/$dev/address")"
}

gossip_up() {
	local p
	load_module || return 1
	{
		echo "set node-id $ID interval $INTERVAL fanout $((N - 1)) mode pushpull"
		for ((p = 1; p <= N; p++)); do
			((p == ID)) || echo "peer add $NET.$p:7946"
		done
		echo up
	} | g -b - || return 1
	say "gossip up, node id $ID, peers $(g peer show | awk 'NR > 1 { print $1 }' | tr '\n' ' ')"
}

# Own key and the version the own store gave it.
publish_own() {
	local v
	publish "key-$ID" "v$ID" || return 1
	read_dump
	v=$(field "key-$ID" 4)
	[ -n "$v" ] || return 1
	publish "ver-$ID" "$v"
}

# holds P: key-P = vP, origin P, version = ver-P (as the publisher saw it).
holds() {
	local p=$1 val origin ver want
	val=$(field "key-$p" 2)
	origin=$(field "key-$p" 3)
	ver=$(field "key-$p" 4)
	want=$(field "ver-$p" 2)
	say "entry key-$p value $val origin $origin version $ver (publisher's version $want)"
	[ "$val" = "v$p" ] && [ "$origin" = "$p" ] && [ -n "$ver" ] && [ "$ver" = "$want" ]
}

all_keys() {
	local p keys=()
	for ((p = 1; p <= N; p++)); do
		keys+=("key-$p" "ver-$p")
	done
	wait_keys "$WAIT_BOOT" "${keys[@]}"
}

# keys_of PREFIX P...: the keys PREFIX-P, one a line.
keys_of() {
	local prefix=$1 p
	shift
	for p in "$@"; do
		echo "$prefix-$p"
	done
}

# ping_gone ADDR: ADDR answered none of 3 pings in a row (1 s each).
ping_gone() {
	local k
	for k in 1 2 3; do
		! ping -c 1 -W 1 "$1" >/dev/null 2>&1 || return 1
	done
}

rx_errs_zero() {
	local c v bad=0 line=""
	for c in $ERRS; do
		v=$(cat "/sys/class/gossip/gossip/stats/rx_err_$c")
		line+=" $c=$v"
		[ "$v" = 0 ] || bad=1
	done
	say "rx_err:$line"
	return "$bad"
}

print_stats() {
	local c line=""
	for c in rounds tx_dgrams rx_dgrams tx_errors rumors_published rumors_applied rumors_duplicate tx_requests rx_requests tx_replies entries; do
		line+=" $c=$(cat "/sys/class/gossip/gossip/stats/$c")"
	done
	say "stats:$line"
}

rounds_from() { [ "$(cat /sys/class/gossip/gossip/stats/rounds)" -ge $(($1 + 10)) ]; }

teardown() {
	g down && rmmod gossip && kmsg_balance
}

all=()
for ((p = 1; p <= N; p++)); do
	all+=("$p")
done
stayers=()
for ((p = 1; p < N; p++)); do
	stayers+=("$p")
done
others=()
for ((p = 1; p <= N; p++)); do
	((p == ID)) || others+=("$p")
done

# net, gossip, own key, N keys held, ready, rx_err, rmmod; then the
# leaver: acks; vm1: bye, gone, after-bye everywhere; the others: bye,
# gone, after-bye arrived, its value, fin-1.
plan=$((N + 6))
if ((ID == LEAVER)); then
	plan=$((plan + 1))
elif ((ID == 1)); then
	plan=$((plan + 3))
else
	plan=$((plan + 5))
fi

ktap_print_header
ktap_set_plan "$plan"
say "vm $ID of $N up at uptime $(uptime_s) s"

step "eth0 $NET.$ID/24 up" net_up
step "gossip.ko loaded, configured (peers ${others[*]/#/$NET.}) and up" gossip_up
step "published key-$ID" publish_own
# Every key is checked, even when some did not arrive.
prior=$FAILED first=
[ -n "$prior" ] || all_keys || true
for ((p = 1; p <= N; p++)); do
	[ -n "$prior" ] || FAILED=
	step "holds key-$p = v$p, origin $p, the publisher's version" holds "$p"
	first=${first:-$FAILED}
done
FAILED=$first

[ -n "$FAILED" ] || publish "ready-$ID" 1
mapfile -t ready < <(keys_of ready "${all[@]}")
step "all $N VMs ready" wait_keys "$WAIT" "${ready[@]}"

if ((ID == LEAVER)); then
	mapfile -t acks < <(keys_of ack-bye "${stayers[@]}")
	[ -n "$FAILED" ] || publish "bye-$ID" 1
	step "bye acknowledged by vm${stayers[*]}" wait_keys "$WAIT" "${acks[@]}"
else
	step "got bye-$LEAVER" wait_keys "$WAIT" "bye-$LEAVER"
	[ -n "$FAILED" ] || publish "ack-bye-$ID" 1
	step "vm$LEAVER gone (no ping answer)" slowwait "$WAIT" ping_gone "$NET.$LEAVER"
	[ -n "$FAILED" ] || say "vm$LEAVER gone at uptime $(uptime_s) s"
	if ((ID == 1)); then
		[ -n "$FAILED" ] || publish after-bye from-1
		mapfile -t got < <(keys_of got-after "${stayers[@]:1}")
		step "after-bye reached every remaining VM with vm$LEAVER gone" \
			wait_keys "$WAIT" "${got[@]}"
		[ -n "$FAILED" ] || publish fin-1 1
	else
		step "after-bye arrived from vm1 with vm$LEAVER gone" wait_keys "$WAIT" after-bye
		read_dump
		say "entry after-bye value $(field after-bye 2) origin $(field after-bye 3) version $(field after-bye 4)"
		step "after-bye = from-1, origin 1" \
			test "$(field after-bye 2) $(field after-bye 3)" = "from-1 1"
		[ -n "$FAILED" ] || publish "got-after-$ID" 1
		step "vm1 confirmed" wait_keys "$WAIT" fin-1
	fi
fi

# fin-1 still has to reach the others: 10 more rounds (pushpull, fanout
# N-1: every round goes to every peer).
if ((ID == 1)); then
	r=$(cat /sys/class/gossip/gossip/stats/rounds)
	slowwait 10 rounds_from "$r" || true
fi

print_stats
# These two run whatever happened before.
FAILED=
step "rx_err_* all 0" rx_errs_zero
FAILED=
step "down, rmmod: every object created was destroyed" teardown
# The leaver answers pings until its kernel powers off (vm-init does it
# when this script exits): the others wait for that silence.
if ((ID == LEAVER)); then
	say "leaving: powering off at uptime $(uptime_s) s"
fi
say "done at uptime $(uptime_s) s"
ktap_finished
