#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check.sh - run the selftests in the test kernel (`make check`).
#
#   scripts/check.sh [TEST...]
#
# Runs on the host after the build: boots ONE VM (scripts/vm.sh) whose
# command is scripts/run-tests.sh, which runs every test of
# selftests/tests.list (or GOSSIP_TESTS_LIST, or only the TESTs given) and
# prints one KTAP report ending in "X passed, Y failed[, Z skipped]".
#
# Fails if a test failed, the VM timed out (the limit is the sum of the
# tests' timeouts plus two minutes for booting), or the kernel logged a BUG,
# WARNING, Oops, trace... The console log is saved to build/check-console.log;
# build/check-scratch is the scratch directory shared with the VM
# (GOSSIP_SCRATCH), kept for inspection. The wall time is printed last.
#
# Environment (scripts/check-debug.sh sets them for the debug kernel):
#   GOSSIP_CHECK_LOG      the console log (default build/check-console.log)
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

main() {
	local start rc=0 limit summary

	cd "$ROOT"
	[[ -f "$LIST" ]] || { say "no $LIST"; exit 2; }
	[[ "$MULT" =~ ^[1-9][0-9]*$ ]] || { say "GOSSIP_TIMEOUT_MULT=$MULT: want a positive integer"; exit 2; }
	limit=$(vm_timeout "$@")
	mkdir -p build "$(dirname -- "$LOG")"
	rm -rf -- "$SCRATCH"
	mkdir -p -- "$SCRATCH"

	say "running $LIST in one VM (time limit $limit s)"
	start=$SECONDS
	scripts/vm.sh --timeout "$limit" --log "$LOG" --scratch "$SCRATCH" \
		-- scripts/run-tests.sh "$@" || rc=$?

	summary=$(grep -a -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$LOG" | tail -n 1 || true)
	say "console log: $ROOT/$LOG"
	say "result: ${summary:-no summary line (the run did not finish)}"
	say "wall time: $((SECONDS - start)) s"
	if ((rc == 0)) && [[ -z "$summary" ]]; then
		rc=1
	fi
	if ((rc != 0)); then
		say "FAILED (status $rc)"
	fi
	return "$rc"
}

main "$@"
