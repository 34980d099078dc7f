#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/sim/run.sh - random schedules of gossip_sim on every core (KTAP).
#
#   selftests/sim/run.sh [--seconds T] [--seeds N] [--jobs J] [SIM_OPTION...]
#
# Runs J gossip_sim processes at once (default: the cores, nproc), each on
# its own range of seeds (job j from j * 10^9 + 1), until each has run N/J
# schedules (--seeds, default 100000) or T seconds have passed (--seconds,
# default none). One KTAP line per job, then the totals: schedules, steps
# and seconds. Exits non-zero when a schedule broke an invariant; its line
# names the seed and the command that replays it. SIM_OPTIONs (e.g.
# --recreate-same-id) go to every process.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sim=${GOSSIP_SIM:-$here/gossip_sim}
seconds=0
seeds=100000
jobs=$(nproc)
extra=()

while (($#)); do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--seeds) seeds=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	*) extra+=("$1"); shift ;;
	esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
pids=()
for ((j = 0; j < jobs; j++)); do
	args=(--start $((j * 1000000000 + 1)) --seeds $(((seeds + jobs - 1) / jobs)))
	((${seconds%.*} > 0)) && args+=(--seconds "$seconds")
	"$sim" "${args[@]}" "${extra[@]}" >"$tmp/$j" 2>&1 &
	pids+=($!)
done

echo "TAP version 13"
echo "1..$jobs"
fail=0
total=0
steps=0
for ((j = 0; j < jobs; j++)); do
	wait "${pids[$j]}"
	rc=$?
	line=$(grep -E '^(ok|not ok)' "$tmp/$j" | tail -n 1)
	if ((rc == 0)); then
		echo "ok $((j + 1)) - sim job $((j + 1)): ${line#ok - }"
		n=$(sed -nE 's/^ok - ([0-9]+) schedules.*/\1/p' <<<"$line")
		s=$(sed -nE 's/.*\), ([0-9]+) steps.*/\1/p' <<<"$line")
	else
		fail=1
		echo "not ok $((j + 1)) - sim job $((j + 1)): ${line#not ok - }"
		sed 's/^/# /; s/^# # /# /' <"$tmp/$j" | grep -v '^# not ok'
		n=$(sed -nE 's/^# ([0-9]+) schedules.*/\1/p' "$tmp/$j")
		s=$(sed -nE 's/^# [0-9]+ schedules, ([0-9]+) steps.*/\1/p' "$tmp/$j")
	fi
	total=$((total + ${n:-0}))
	steps=$((steps + ${s:-0}))
done
el=$(echo "$(date +%s.%N) - $start" | bc)
printf '# sim: %d schedules, %d steps checked in %.1f s on %d cores: %s\n' \
	"$total" "$steps" "$el" "$jobs" "$( ((fail)) && echo FAILED || echo all invariants held)"
exit $fail
