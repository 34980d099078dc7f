#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/sim/planted.sh - the simulator must catch the bugs fixed before
# (KTAP): each patch of selftests/sim/planted/ puts one back into a copy of
# kmod/, gossip_sim is built from that copy, and random schedules run
# until one breaks an invariant, which must happen within the budget.
#
#   selftests/sim/planted.sh [--seconds T] [PATCH...]
#
# T (default 30) bounds each bug's run. Prints, for each, the first seed
# that fails and what it broke; exits non-zero if a bug went unnoticed or
# a patch no longer applies.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=30
if [[ ${1:-} == --seconds ]]; then
	seconds=$2
	shift 2
fi
patches=("$@")
((${#patches[@]})) || patches=("$here"/planted/*.patch)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"
echo "1..${#patches[@]}"
fail=0
i=0
for p in "${patches[@]}"; do
	i=$((i + 1))
	name=$(basename "$p" .patch)
	rm -rf "$tmp/kmod"
	cp -r "$root/kmod" "$tmp/kmod"
	if ! (cd "$tmp" && patch -s -p1 <"$p") ||
	   ! make -s -C "$root/selftests" SIM_KMOD_DIR="$tmp/kmod" \
		SIM_OUT="$tmp/sim_$name" "$tmp/sim_$name" >"$tmp/build" 2>&1; then
		sed 's/^/# /' "$tmp/build"
		echo "not ok $i - planted $name: does not apply or build"
		fail=1
		continue
	fi
	out=$("$tmp/sim_$name" --seeds 1000000 --seconds "$seconds")
	line=$(grep '^not ok' <<<"$out")
	if [[ -n $line ]]; then
		seed=$(sed -nE 's/^not ok - seed ([0-9]+):.*/\1/p' <<<"$line")
		echo "ok $i - planted $name caught: first failing seed $seed"
		echo "#   ${line#not ok - }"
		grep '^# [0-9]* schedules' <<<"$out" | sed 's/^# /#   after /'
	else
		echo "not ok $i - planted $name went unnoticed: $out"
		fail=1
	fi
done
exit $fail
