#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/smoke-test.sh - does the test VM do what the selftests need?
# Loads veth, makes two namespaces joined by a veth pair and pings across.
# Prints KTAP; exit 0 pass, 1 fail, 4 skip (not root, no ip).
#
#   smoke-PID-a            smoke-PID-b
#     va 10.231.0.1/24 ---- vb 10.231.0.2/24

set -euo pipefail

readonly NS_A="smoke-$$-a" NS_B="smoke-$$-b"
readonly KSFT_SKIP=4
num=0
failed=0

cleanup() {
	ip netns del "$NS_A" 2>/dev/null || true
	ip netns del "$NS_B" 2>/dev/null || true
}
trap cleanup EXIT

# step NAME CMD...: one KTAP result.
step() {
	local name=$1
	shift
	num=$((num + 1))
	if "$@"; then
		echo "ok $num $name"
	else
		echo "not ok $num $name"
		failed=$((failed + 1))
	fi
}

make_pair() {
	ip netns add "$NS_A" && ip netns add "$NS_B" &&
		ip link add va netns "$NS_A" type veth peer name vb netns "$NS_B" &&
		ip -n "$NS_A" addr add 10.231.0.1/24 dev va &&
		ip -n "$NS_B" addr add 10.231.0.2/24 dev vb &&
		ip -n "$NS_A" link set va up &&
		ip -n "$NS_B" link set vb up
}

# Bounded: up to 10 one-second pings while the link comes up.
ping_across() {
	for _ in $(seq 10); do
		ip netns exec "$NS_A" ping -q -n -c 1 -W 1 10.231.0.2 >/dev/null && return 0
	done
	echo "# no reply from 10.231.0.2 in 10 tries"
	return 1
}

echo "TAP version 13"
if ((EUID != 0)) || ! command -v ip >/dev/null; then
	echo "1..0 # SKIP needs root and iproute2"
	exit "$KSFT_SKIP"
fi
echo "1..3"
step "modprobe veth" modprobe veth
step "two netns joined by a veth pair" make_pair
step "ping from $NS_A to $NS_B" ping_across
echo "# Totals: pass:$((num - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
((failed == 0))
