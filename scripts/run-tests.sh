#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/run-tests.sh - run the selftests, one after the other, and print
# one KTAP report for all of them. Meant for the test VM (scripts/check.sh
# runs it through scripts/vm.sh); it loads modules and makes namespaces, so
# do not run it on a machine you care about.
#
#   scripts/run-tests.sh [TEST...]
#
# The tests are those of selftests/tests.list (GOSSIP_TESTS_LIST, from the
# repository root, to use another list), or only the TESTs given:
#
#   # comment
#   selftests/foo.sh            <- path from the repository root, executable
#   selftests/slow.sh   900     <- optional second column: timeout in seconds
#   selftests/slow.sh   900 420 610   <- optional third and fourth: what it
#                                        took, in s (the order below)
#
# Each test runs from the repository root with stdin from /dev/null and its
# own timeout (default 300 s, GOSSIP_TEST_TIMEOUT). Exit 0 is a pass, 4 a
# skip, anything else (124: timeout) a failure. Its output is streamed as
# "# " lines; a failed test is followed by the kernel messages logged while
# it ran (the last 200, GOSSIP_TEST_DMESG_LINES). Namespaces or a loaded
# gossip module left behind are removed (and reported) so that the next test
# starts clean. The last line is exactly "X passed, Y failed" or
# "X passed, Y failed, Z skipped"; the exit status is 1 if any test failed.
#
# GOSSIP_TIMEOUT_MULT (integer, default 1) multiplies every test's timeout
# (a slower kernel: the debug kernel of `make check-debug`).
#
# GOSSIP_KMEMLEAK=1 (`make check-debug`): the kernel has kmemleak. Before the
# first test the objects allocated so far (the boot's) are scanned and
# forgotten; after the last one, two scans 6 s apart, and one more KTAP
# result, "kmemleak", which fails if /sys/kernel/debug/kmemleak lists any
# unreferenced object. The report is printed and saved to
# $GOSSIP_SCRATCH/kmemleak.txt (kmemleak-ID.txt in the VM of --id ID).
#
# GOSSIP_CLAIM_DIR (scripts/check.sh with GOSSIP_CHECK_VMS > 1): a directory
# several VMs share (the scratch directory), from which they take the tests
# of one list between them. A test is run by the VM whose mkdir of
# DIR/INDEX comes first; they take them longest first, so that no long
# test is left to start when the others are done: by the list's third
# column, the seconds the test took in a measured make check (the fourth,
# under the debug kernel, with GOSSIP_COST_COLUMN=4: check-debug.sh), or
# its timeout where the column is missing. Each VM's report numbers the
# tests it ran and puts its plan line last.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIST=${GOSSIP_TESTS_LIST:-selftests/tests.list}
DEFAULT_TIMEOUT=${GOSSIP_TEST_TIMEOUT:-300}
MULT=${GOSSIP_TIMEOUT_MULT:-1}
COST_COLUMN=${GOSSIP_COST_COLUMN:-3}
KMEMLEAK=/sys/kernel/debug/kmemleak
KSFT_SKIP=4

OUT=
cleanup() {
	if [[ -n "$OUT" ]]; then
		rm -f -- "$OUT"
	fi
}
trap cleanup EXIT

say() { echo "# runner: $*"; }

# "path timeout cost" lines of the list, comments and blank lines dropped;
# cost is column $COST_COLUMN, or the timeout.
read_list() {
	[[ -f "$LIST" ]] || { echo "run-tests: no $LIST" >&2; exit 2; }
	awk -v def="$DEFAULT_TIMEOUT" -v col="$COST_COLUMN" '
		{ sub(/#.*/, "") }
		NF == 0 { next }
		NF > 4 || (NF >= 2 && ($2 $3 $4) !~ /^[0-9]+$/) {
			printf "run-tests: %s:%d: want \"PATH [TIMEOUT [COST [DEBUG_COST]]]\"\n", FILENAME, NR > "/dev/stderr"
			exit 2
		}
		{ t = NF >= 2 ? $2 : def; print $1, t, (NF >= col ? $col : t) }
	' "$LIST"
}

# Remove what a test left behind, so that the next one starts clean.
tidy_up() {
	local ns

	if [[ -d /run/netns ]]; then
		for ns in /run/netns/*; do
			[[ -e "$ns" ]] || continue
			say "removing leftover netns ${ns##*/}"
			ip netns del "${ns##*/}" 2>/dev/null || true
		done
	fi
	if [[ -d /sys/module/gossip ]]; then
		say "unloading leftover gossip module"
		rmmod gossip 2>&1 | sed 's/^/# /' || true
	fi
}

# The kernel messages logged since line FROM of dmesg, the last ones only.
show_kernel_log() {
	local path=$1 from=$2 max=${GOSSIP_TEST_DMESG_LINES:-200} n

	dmesg | tail -n "+$((from + 1))" >"$OUT.dmesg" || true
	n=$(wc -l <"$OUT.dmesg")
	echo "# kernel messages during $path ($n lines$( ((n <= max)) || echo ", the last $max"))"
	tail -n "$max" "$OUT.dmesg" | sed 's/^/# /'
	rm -f -- "$OUT.dmesg"
}

# kmemleak_begin: forget what the boot allocated, so that the final report
# names only what the tests leaked. The kernel's own scan, every 10 min
# (about half a minute of the guest's one CPU each time under TCG), is
# stopped: a leak stays unreferenced, and kmemleak_end's scans find it.
kmemleak_begin() {
	[[ -w "$KMEMLEAK" ]] || { say "GOSSIP_KMEMLEAK=1 but no writable $KMEMLEAK"; return 1; }
	echo scan=off >"$KMEMLEAK" && echo scan >"$KMEMLEAK" &&
		echo clear >"$KMEMLEAK" || return 1
	say "kmemleak: boot-time objects scanned and cleared, periodic scan off"
}

# kmemleak_end NUM: the last scan; sets RESULT.
kmemleak_end() {
	local num=$1 start=$SECONDS n
	local report=${GOSSIP_SCRATCH:-/tmp}/kmemleak${GOSSIP_VM_ID:+-$GOSSIP_VM_ID}.txt

	RESULT=fail
	# An object is reported once unreferenced in a scan and older than
	# 5 s: scan twice, as is customary.
	if echo scan >"$KMEMLEAK" && sleep 6 && echo scan >"$KMEMLEAK" &&
		cat "$KMEMLEAK" >"$report"; then
		n=$(grep -c '^unreferenced object' "$report" || true)
		say "kmemleak: scanned in $((SECONDS - start)) s, $n unreferenced objects"
		if ((n == 0)) && [[ ! -s "$report" ]]; then
			RESULT=pass
		else
			head -n 400 "$report" | sed 's/^/# /'
		fi
	else
		say "kmemleak: scan failed"
	fi
	if [[ "$RESULT" == pass ]]; then
		echo "ok $num kmemleak"
	else
		echo "not ok $num kmemleak # ${n:-?} unreferenced objects, see $report"
	fi
}

# The ticks of /proc/stat a second (USER_HZ).
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# cpu_busy: the guest's busy CPU time so far, in ticks (USER_HZ) summed
# over its CPUs: user, nice, system, irq and softirq of /proc/stat. Under
# TCG the suites are CPU-bound (CI's time is their CPU time over the host's
# cores), so each test's share of it says where that time goes.
cpu_busy() {
	local cpu user nice system idle iowait irq softirq rest
	read -r cpu user nice system idle iowait irq softirq rest </proc/stat
	echo $((user + nice + system + irq + softirq))
}

# run_one NUM PATH TIMEOUT: prints the test's lines, sets RESULT.
run_one() {
	local num=$1 path=$2 limit=$(($3 * MULT)) pid tpid rc=0 kbefore start
	local busy

	echo "# $path (timeout $limit s)"
	if [[ ! -f "$ROOT/$path" || ! -x "$ROOT/$path" ]]; then
		echo "# no executable $path"
		RESULT=fail
		echo "not ok $num $path"
		return
	fi
	kbefore=$(dmesg | wc -l)
	start=$SECONDS
	busy=$(cpu_busy)
	: >"$OUT"
	# timeout makes its own process group: what the test leaves running
	# is killed with it.
	(cd "$ROOT" && exec timeout -k 10 "$limit" "./$path") </dev/null >"$OUT" 2>&1 &
	pid=$!
	tail -n +1 -s 0.2 -f --pid="$pid" "$OUT" | sed -u 's/^/# /' &
	tpid=$!
	wait "$pid" || rc=$?
	kill -- "-$pid" 2>/dev/null || true
	wait "$tpid" || true

	echo "# $path: exit $rc after $((SECONDS - start)) s, CPU busy $((($(cpu_busy) - busy) / CLK_TCK)) s"
	if ((rc != 0 && rc != KSFT_SKIP)); then
		show_kernel_log "$path" "$kbefore"
	fi
	tidy_up
	case "$rc" in
	0) RESULT=pass; echo "ok $num $path" ;;
	"$KSFT_SKIP") RESULT=skip; echo "ok $num $path # SKIP" ;;
	124) RESULT=fail; echo "not ok $num $path # TIMEOUT $limit seconds" ;;
	*) RESULT=fail; echo "not ok $num $path # exit=$rc" ;;
	esac
}

main() {
	local list entries=() sel=() line path limit num=0 pass=0 fail=0 skip=0 found
	local RESULT summary plan order idx CLAIM=${GOSSIP_CLAIM_DIR:-}

	cd "$ROOT"
	list=$(read_list) || exit 2
	if [[ -n "$list" ]]; then
		mapfile -t entries <<<"$list"
	fi
	# Only the tests named on the command line, in that order.
	if (($#)); then
		for path in "$@"; do
			path=${path#./}
			found="$path $DEFAULT_TIMEOUT $DEFAULT_TIMEOUT"
			for line in "${entries[@]}"; do
				[[ "${line%% *}" == "$path" ]] && found=$line
			done
			sel+=("$found")
		done
		entries=("${sel[@]}")
	fi

	[[ "$MULT" =~ ^[1-9][0-9]*$ ]] || { echo "run-tests: GOSSIP_TIMEOUT_MULT=$MULT: want a positive integer" >&2; exit 2; }
	[[ "$COST_COLUMN" =~ ^[34]$ ]] || { echo "run-tests: GOSSIP_COST_COLUMN=$COST_COLUMN: want 3 or 4" >&2; exit 2; }
	OUT=$(mktemp)
	echo "TAP version 13"
	plan=$((${#entries[@]} + (${GOSSIP_KMEMLEAK:-0} == 1)))
	[[ -n "$CLAIM" ]] || echo "1..$plan"
	if [[ "${GOSSIP_KMEMLEAK:-0}" == 1 ]]; then
		kmemleak_begin || true
	fi
	order=("${!entries[@]}")
	if [[ -n "$CLAIM" ]]; then
		mapfile -t order < <(for idx in "${!entries[@]}"; do
			echo "$idx ${entries[idx]##* }"
		done | sort -s -k2,2nr | cut -d' ' -f1)
	fi
	for idx in "${order[@]}"; do
		line=${entries[idx]}
		if [[ -n "$CLAIM" ]] && ! mkdir -- "$CLAIM/$idx" 2>/dev/null; then
			continue	# another VM has it
		fi
		num=$((num + 1))
		read -r path limit _ <<<"$line"
		run_one "$num" "$path" "$limit"
		case "$RESULT" in
		pass) pass=$((pass + 1)) ;;
		skip) skip=$((skip + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	done
	if [[ "${GOSSIP_KMEMLEAK:-0}" == 1 ]]; then
		kmemleak_end $((num + 1))
		if [[ "$RESULT" == pass ]]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
		fi
	fi

	[[ -z "$CLAIM" ]] || echo "1..$((num + (${GOSSIP_KMEMLEAK:-0} == 1)))"
	summary="$pass passed, $fail failed"
	((skip == 0)) || summary+=", $skip skipped"
	echo "$summary"
	((fail == 0))
}

main "$@"
