#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/fuzz.sh - the long fuzzing run of the wire codec (`make fuzz`).
#
# Runs selftests/fuzz/wire_fuzz (libFuzzer, ASan, UBSan; built by
# `make -C selftests fuzz/wire_fuzz`) on the host for FUZZ_SECONDS (default
# 600) under `nice -n 19`, one process. Its working corpus is
# build/fuzz/corpus: kept from run to run, and the committed seeds
# (selftests/fuzz/corpus, never written to) copied in at every start.
# Crashes go to build/fuzz/crashes/, libFuzzer's output to build/fuzz/fuzz.log.
#
# Prints at the end: duration, executions, coverage (cov/ft of the last
# status line), corpus size, crashes (with their paths). Exit status 1 if the
# target crashed (or libFuzzer failed), else 0.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZER=selftests/fuzz/wire_fuzz
SEEDS=selftests/fuzz/corpus
WORK=build/fuzz
MAX_LEN=65535		# the largest datagram the 16-bit length can say

say() { printf 'fuzz: %s\n' "$*"; }

main() {
	local start rc=0 pid last execs crashes=() f tick=0

	cd "$ROOT"
	[[ "$FUZZ_SECONDS" =~ ^[0-9]+$ ]] || { say "FUZZ_SECONDS=$FUZZ_SECONDS: want seconds"; exit 2; }
	[[ -x "$FUZZER" ]] || { say "no $FUZZER: run make -C selftests fuzz/wire_fuzz"; exit 2; }
	mkdir -p "$WORK/corpus" "$WORK/crashes"
	cp -- "$SEEDS"/*.bin "$WORK/corpus/"
	# Only this run's crashes count.
	rm -f -- "$WORK"/crashes/*
	say "$FUZZER for $FUZZ_SECONDS s on $WORK/corpus ($(find "$WORK/corpus" -type f | wc -l) inputs), log $WORK/fuzz.log"

	start=$SECONDS
	nice -n 19 "$FUZZER" -max_total_time="$FUZZ_SECONDS" -max_len="$MAX_LEN" \
		-timeout=10 -print_final_stats=1 -artifact_prefix="$WORK/crashes/" \
		"$WORK/corpus" >"$WORK/fuzz.log" 2>&1 &
	pid=$!
	trap 'kill "$pid" 2>/dev/null || true' EXIT
	# A line a minute, so that a long run does not look hung.
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		((++tick % 60 == 0)) || continue
		last=$(grep -a -E '^#[0-9]+' "$WORK/fuzz.log" | tail -n 1 || true)
		say "$((SECONDS - start)) s: ${last:-starting}"
	done
	wait "$pid" || rc=$?
	trap - EXIT

	last=$(grep -a -E '^#[0-9]+.* cov: ' "$WORK/fuzz.log" | tail -n 1 || true)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log" | tail -n 1)
	for f in "$WORK"/crashes/*; do
		[[ -e "$f" ]] && crashes+=("$f")
	done

	say "duration: $((SECONDS - start)) s"
	say "executions: ${execs:-unknown}"
	say "coverage: $(grep -o -E 'cov: [0-9]+ ft: [0-9]+' <<<"$last" || echo unknown)"
	say "corpus: $(find "$WORK/corpus" -type f | wc -l) inputs ($(grep -o -E 'corp: [^ ]+' <<<"$last" || echo unknown))"
	say "crashes: ${#crashes[@]}"
	for f in "${crashes[@]}"; do
		say "  $ROOT/$f"
	done
	if ((${#crashes[@]})); then
		grep -a -m 3 -E '^wire_fuzz:|ERROR: |runtime error' "$WORK/fuzz.log" | sed 's/^/fuzz:   /' || true
		say "FAILED: reproduce with $FUZZER FILE, or selftests/fuzz/wire_replay FILE"
		exit 1
	fi
	if ((rc != 0)); then
		say "FAILED: libFuzzer exit $rc, see $WORK/fuzz.log"
		exit 1
	fi
}

main "$@"
