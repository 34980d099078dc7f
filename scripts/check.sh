#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check.sh - run the selftests in the test kernel (`make check`).
#
#   scripts/check.sh [TEST...]
#
# Runs on the host after the build: boots GOSSIP_CHECK_VMS VMs at once
# (scripts/vm.sh, default 2: a TCG guest runs a test script on about one
# host core) whose command is scripts/run-tests.sh. Between them they run
# every test of selftests/tests.list (or GOSSIP_TESTS_LIST, or only the
# TESTs given), each test in one VM (the first free one takes the next,
# longest timeout first), and each prints a KTAP report ending in
# "X passed, Y failed[, Z skipped]"; the result line adds them up.
#
# Fails if a test failed, a VM timed out (the limit is the sum of the
# tests' timeouts plus two minutes for booting), or a kernel logged a BUG,
# WARNING, Oops, trace... The console log of VM K is saved to
# build/check-console-vmK.log (build/check-console.log with one VM); its
# lines are streamed with a "[vmK +Ss] " prefix (S: seconds since the VMs
# started, to tell where a run's time went). build/check-scratch is the
# scratch directory shared with the VMs (GOSSIP_SCRATCH), kept for
# inspection. Last come the wall time, what failed (each failed test with
# its own "not ok" lines) and the result line.
#
# Environment (scripts/check-debug.sh sets them for the debug kernel):
#   GOSSIP_CHECK_VMS      VMs run at once (default 3; 1: one VM, the tests
#                         in list order). The tests wait on timers much of
#                         the time: on this 2-core machine two VMs left the
#                         host 30 % idle, three 8 %, and the whole list took
#                         1016 s wall in three (2026-12-07), 1619 s in two
#   GOSSIP_CHECK_LOG      the console log (default build/check-console.log;
#                         -vmK is added before .log with several VMs)
#   GOSSIP_CHECK_SCRATCH  the scratch directory (default build/check-scratch)
#   GOSSIP_TIMEOUT_MULT   integer factor on every time limit (the VM's, each
#                         test's, each slowwait bound in selftests/lib.sh),
#                         for slower kernels (default 1)
#   and those of scripts/vm.sh (GOSSIP_VM_KERNEL, GOSSIP_VM_APPEND, ...).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIST=${GOSSIP_TESTS_LIST:-selftests/tests.list}
LOG=${GOSSIP_CHECK_LOG:-build/check-console.log}
SCRATCH=${GOSSIP_CHECK_SCRATCH:-build/check-scratch}
BOOT_MARGIN=120
MULT=${GOSSIP_TIMEOUT_MULT:-1}
VMS=${GOSSIP_CHECK_VMS:-3}

say() { printf 'check: %s\n' "$*"; }

# The VM's time limit: every listed test's own timeout, plus booting.
vm_timeout() {
	local def=${GOSSIP_TEST_TIMEOUT:-300} total

	total=$(awk -v def="$def" '
		{ sub(/#.*/, "") }
		NF { sum += (NF >= 2 && $2 ~ /^[0-9]+$/) ? $2 : def }
		END { print sum + 0 }
	' "$LIST")
	(($# == 0)) || total=$(($# * def > total ? $# * def : total))
	echo $(((total + BOOT_MARGIN) * MULT))
}

# failures_of LOG: for each test the runner marked "not ok" in LOG, its
# name, then each of its own "not ok" lines with the comment line before
# it (at most 4 per test), so that a log tail (CI prints only the last
# lines) still says what failed. A test that started and never ended is
# named as well.
failures_of() {
	awk '
	function flush(name) {
		print "  failed: " name
		for (i = 1; i <= n && i <= 8; i++)
			print "    " buf[i]
		if (n > 8)
			print "    ... (" n - 8 " more lines in the log)"
	}
	/^# selftests\/.* \(timeout [0-9]+ s\)/ || /^# tools\/.* \(timeout [0-9]+ s\)/ {
		cur = $2; n = 0; prev = ""; open = 1; next
	}
	/^# not ok / { if (prev != "") buf[++n] = prev; buf[++n] = $0; prev = ""; next }
	/^# # / { prev = $0; next }
	/^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); flush($0); open = 0; next }
	/^ok [0-9]+ / { open = 0; next }
	END { if (open) { buf[++n] = "(no result: the run stopped inside it)"; flush(cur) } }
	' "$1" | tr -d '\r'
}

# summary_of LOG: the last "X passed, Y failed[, Z skipped]" line of LOG.
summary_of() {
	grep -a -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$1" | tail -n 1 || true
}

main() {
	local start rc=0 limit k summary pass=0 fail=0 skip=0 missing=0
	local logs=() pids=() st p f sk claims

	cd "$ROOT"
	[[ -f "$LIST" ]] || { say "no $LIST"; exit 2; }
	[[ "$MULT" =~ ^[1-9][0-9]*$ ]] || { say "GOSSIP_TIMEOUT_MULT=$MULT: want a positive integer"; exit 2; }
	[[ "$VMS" =~ ^[1-9]$ ]] || { say "GOSSIP_CHECK_VMS=$VMS: want 1 to 9"; exit 2; }
	limit=$(vm_timeout "$@")
	mkdir -p build "$(dirname -- "$LOG")"
	rm -rf -- "$SCRATCH"
	mkdir -p -- "$SCRATCH"

	start=$SECONDS
	if ((VMS == 1)); then
		say "running $LIST in one VM (time limit $limit s)"
		logs=("$LOG")
		scripts/vm.sh --timeout "$limit" --log "$LOG" --scratch "$SCRATCH" \
			-- scripts/run-tests.sh "$@" || rc=$?
	else
		say "running $LIST in $VMS VMs at once (time limit $limit s each)"
		mkdir -- "$SCRATCH/claims"
		claims=$(cd -- "$SCRATCH/claims" && pwd)
		for ((k = 1; k <= VMS; k++)); do
			logs+=("${LOG%.log}-vm$k.log")
			(
				st=0
				GOSSIP_CLAIM_DIR=$claims scripts/vm.sh \
					--timeout "$limit" --log "${logs[k - 1]}" \
					--scratch "$SCRATCH" --id "vm$k" \
					-- scripts/run-tests.sh "$@" || st=$?
				echo "$st" >"$SCRATCH/vm$k.status"
			) 2>&1 | while IFS= read -r line; do
				printf '[vm%d +%ds] %s\n' "$k" \
					$((SECONDS - start)) "$line"
			done &
			pids+=($!)
		done
		wait "${pids[@]}" || true
		for ((k = 1; k <= VMS; k++)); do
			st=$(cat -- "$SCRATCH/vm$k.status" 2>/dev/null || echo 125)
			((rc != 0)) || rc=$st
		done
	fi

	for f in "${logs[@]}"; do
		summary=$(summary_of "$f")
		say "console log: $ROOT/$f: ${summary:-no summary line (the run did not finish)}"
		if [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
			p=${BASH_REMATCH[1]} st=${BASH_REMATCH[2]} sk=${BASH_REMATCH[4]:-0}
			pass=$((pass + p)) fail=$((fail + st)) skip=$((skip + sk))
		else
			missing=$((missing + 1))
		fi
	done
	summary="$pass passed, $fail failed"
	((skip == 0)) || summary+=", $skip skipped"
	((missing == 0)) || summary+=" (and $missing VM(s) with no summary line: the run did not finish)"
	say "wall time: $((SECONDS - start)) s"
	if ((missing || fail)); then
		for f in "${logs[@]}"; do
			failures_of "$f"
		done
	fi
	say "result: $summary"
	if ((missing || fail)) && ((rc == 0)); then
		rc=1
	fi
	if ((rc != 0)); then
		say "FAILED (status $rc)"
	fi
	return "$rc"
}

main "$@"
