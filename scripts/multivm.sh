#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/multivm.sh - a gossip cluster of separate kernels (`make
# check-multivm`): N QEMU VMs (default 3), each with its own kernel and
# gossip.ko, on one L2 segment, each running selftests/multivm_node.sh.
#
#   scripts/multivm.sh
#
# Each VM is one scripts/vm.sh (TCG, --smp 1, GOSSIP_MULTIVM_MEM MB) with a
# virtio-net NIC (MAC 52:54:00:77:00:0I) on a QEMU multicast socket bound to
# the host's loopback (-netdev socket,mcast=230.77.X.Y:PORT,localaddr=
# 127.0.0.1; group and port drawn per run, so that two runs on one machine
# do not meet): the VMs see each other as on one switch, and nothing leaves
# the host's lo. The guest gives its NIC 10.77.0.I/24 and gossip node id I;
# what the guests do is described in selftests/multivm_node.sh: the VMs
# coordinate only through gossip and the network.
#
# The host only boots them, time-stamps every console line as it arrives
# (one clock for all VMs), waits (each VM has its own time limit), and
# decides from what the guests printed: one KTAP report with every guest's
# results (renumbered, "vmI: ..."), and its own:
#   - each VM exited 0 with a clean kernel log (vm.sh's status) and printed
#     as many results as its plan;
#   - every key-P has, on every VM, origin P and one version;
#   - the leaving VM had powered off (its QEMU had exited) before vm1
#     published after-bye.
# Figures: boot times, time from a publish (on the publisher's console) to
# its arrival (on each receiver's), wall time. Last line "X passed,
# Y failed"; exit status 1 on any failure. QEMU processes left over are
# killed on any exit.
#
# Files in build/multivm/: vmI-console.log (vm.sh's console log), vmI.out
# (the time-stamped stream: seconds since the start, then the line).
#
# Environment:
#   GOSSIP_MULTIVM_N    VMs, 3..9 (default 3, the only one run so far); the last
#                       one leaves, vm1 and at least one more stay
#   GOSSIP_MULTIVM_MEM  memory of each VM in MB (default 512)
#   GOSSIP_TIMEOUT_MULT integer factor on every time limit (default 1)
#   V=1                 stream every VM's console, prefixed "vmI| "
#                       (default: only the guests' "# multivm:" and KTAP
#                       lines and vm.sh's messages)
#   and those of scripts/vm.sh (GOSSIP_VM_KERNEL, GOSSIP_VM_APPEND, ...).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${GOSSIP_MULTIVM_N:-3}
MEM=${GOSSIP_MULTIVM_MEM:-512}
MULT=${GOSSIP_TIMEOUT_MULT:-1}
OUT=build/multivm
VM_TIMEOUT=900		# s, boot included, for each VM

VM_PIDS=()
READER_PIDS=()
T0=			# µs since the epoch when the VMs were started

say() { printf 'multivm: %s\n' "$*"; }

any_alive() {
	local pid
	for pid in "$@"; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

# Whatever is still running: vm.sh first (it kills its QEMU), then any
# QEMU of this run (by its pidfile, checked against its command line).
cleanup() {
	local pid f i
	for pid in "${VM_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || continue
		say "stopping vm.sh (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((i = 0; i < 50; i++)); do
		any_alive "${VM_PIDS[@]}" || break
		sleep 0.2
	done
	for f in "$ROOT/$OUT"/vm*.qemu.pid; do
		[[ -f "$f" ]] || continue
		pid=$(cat "$f" 2>/dev/null || true)
		[[ "$pid" =~ ^[0-9]+$ ]] || continue
		if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -F -- "$ROOT/$OUT/"; then
			say "killing leftover QEMU (pid $pid)"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	for pid in "${READER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# stamp I: read VM I's console, write "SECONDS-SINCE-T0 LINE" lines to
# vmI.out; show some of it.
stamp() {
	local i=$1 line now
	while IFS= read -r line; do
		line=${line%$'\r'}
		now=$((${EPOCHREALTIME/[.,]/} - T0))
		printf '%d.%06d %s\n' $((now / 1000000)) $((now % 1000000)) "$line"
		if [[ "${V:-0}" == 1 || "$line" =~ ^(#\ multivm:|(not\ )?ok\ |vm\.sh) ]]; then
			printf 'vm%d| %s\n' "$i" "$line" >&2
		fi
	done >"$OUT/vm$i.out"
}

start_vm() {
	local i=$1 group=$2 port=$3
	local fifo="$OUT/vm$i.fifo"

	mkfifo "$fifo"
	stamp "$i" <"$fifo" &
	READER_PIDS+=($!)
	GOSSIP_MULTIVM_N=$N scripts/vm.sh --id "$i" --smp 1 --mem "$MEM" \
		--timeout $((VM_TIMEOUT * MULT)) --log "$OUT/vm$i-console.log" \
		--qemu-arg -netdev \
		--qemu-arg "socket,id=n0,mcast=$group:$port,localaddr=127.0.0.1" \
		--qemu-arg -device \
		--qemu-arg "virtio-net-pci,netdev=n0,mac=52:54:00:77:00:0$i,romfile=" \
		--qemu-arg -pidfile --qemu-arg "$ROOT/$OUT/vm$i.qemu.pid" \
		-- selftests/multivm_node.sh >"$fifo" 2>&1 &
	VM_PIDS+=($!)
}

# t I PATTERN: the time of VM I's first line matching the awk regexp.
t() {
	awk -v re="$2" '{ l = $0; sub(/^[^ ]* /, "", l) } l ~ re { print $1; exit }' "$OUT/vm$1.out"
}

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", a - b }'; }
r1() { [[ -n "$1" ]] && awk -v a="$1" 'BEGIN { printf "%.1f", a }' || echo "?"; }

RESULTS=()
NOTES=()		# "#" lines of the report, before the figures
result() { RESULTS+=("$1 $2"); }	# result ok|not-ok DESCRIPTION

# The guest's KTAP results, renumbered, and whether it printed its plan.
collect_guest() {
	local i=$1 line plan n=0 status=$2
	plan=$(sed -n 's/^[^ ]* 1\.\.\([0-9]\{1,\}\)$/\1/p' "$OUT/vm$i.out" | head -n 1)
	while IFS= read -r line; do
		n=$((n + 1))
		if [[ "$line" =~ ^not\ ok\ [0-9]+\ (.*)$ ]]; then
			result not-ok "${BASH_REMATCH[1]}"
		elif [[ "$line" =~ ^ok\ [0-9]+\ (.*)$ ]]; then
			result ok "${BASH_REMATCH[1]}"
		fi
	done < <(sed -n -E 's/^[^ ]* ((not )?ok [0-9]+ .*)$/\1/p' "$OUT/vm$i.out")
	if [[ -n "$plan" ]] && ((n == plan)); then
		result ok "host: vm$i printed its plan, $n results"
	else
		result not-ok "host: vm$i printed ${n} results of a plan of ${plan:-none}"
	fi
	if ((status == 0)); then
		result ok "host: vm$i exited 0, kernel log clean"
	else
		result not-ok "host: vm$i: vm.sh status $status (see $OUT/vm$i-console.log)"
	fi
}

# key-P: origin P and one version on every VM.
check_key() {
	local p=$1 i seen=() u v
	for ((i = 1; i <= N; i++)); do
		v=$(sed -n -E "s/^[^ ]* # multivm: entry key-$p value [^ ]* origin ([^ ]*) version ([^ ]*) .*$/\1 \2/p" \
			"$OUT/vm$i.out" | head -n 1)
		[[ "$v" =~ ^[0-9]+\ [0-9]+$ ]] || v=-
		seen+=("$v")
	done
	u=$(printf '%s\n' "${seen[@]}" | sort -u)
	NOTES+=("key-$p origin and version per VM: $(printf '[%s] ' "${seen[@]}")")
	if [[ "$(wc -l <<<"$u")" == 1 && "$u" =~ ^$p\ [0-9]+$ ]]; then
		result ok "host: key-$p has origin $p and version ${u#* } on all $N VMs"
	else
		result not-ok "host: key-$p differs between VMs or is missing"
	fi
}

figures() {
	local i p r tp ta line up
	printf '# %s\n' "${NOTES[@]}"
	echo "# figures (seconds since the VMs were started, one host clock):"
	local gup=()
	for ((i = 1; i <= N; i++)); do
		line=$(sed -n -E 's/^([^ ]*) # multivm: vm [0-9]+ of [0-9]+ up at uptime ([^ ]*) s$/\1 \2/p' "$OUT/vm$i.out" | head -n 1)
		up=$(t "$i" '^vm\.sh.*command exit status')
		gup[i]=$(t "$i" '^# multivm: gossip up')
		echo "# vm$i: booted, test started at $(r1 "${line%% *}") s (guest uptime ${line#* } s)," \
			"gossip up at $(r1 "${gup[i]}") s; QEMU exited by $(r1 "$up") s"
	done
	echo "# (on a VM whose gossip came up after the publish, also the time from its up)"
	for ((p = 1; p <= N; p++)); do
		tp=$(t "$p" "^# multivm: publishing key-$p\$")
		line="# key-$p published by vm$p at $(r1 "$tp") s; arrived:"
		for ((r = 1; r <= N; r++)); do
			((r == p)) && continue
			ta=$(t "$r" "^# multivm: arrived key-$p ")
			if [[ -n "$tp" && -n "$ta" ]]; then
				line+=" vm$r $(sub "$ta" "$tp") s"
				if [[ -n "${gup[r]}" ]] && awk -v a="${gup[r]}" -v b="$tp" 'BEGIN { exit !(a > b) }'; then
					line+=" ($(sub "$ta" "${gup[r]}") s from its up)"
				fi
			else
				line+=" vm$r -"
			fi
		done
		echo "$line"
	done
	tp=$(t "$N" "^# multivm: publishing bye-$N\$")
	line="# bye-$N published by vm$N at $(r1 "$tp") s; arrived:"
	for ((r = 1; r < N; r++)); do
		ta=$(t "$r" "^# multivm: arrived bye-$N ")
		[[ -n "$tp" && -n "$ta" ]] && line+=" vm$r $(sub "$ta" "$tp") s" || line+=" vm$r -"
	done
	echo "$line"
	tp=$(t 1 '^# multivm: publishing after-bye$')
	line="# after-bye published by vm1 at $(r1 "$tp") s (vm$N gone); arrived:"
	for ((r = 2; r < N; r++)); do
		ta=$(t "$r" '^# multivm: arrived after-bye ')
		[[ -n "$tp" && -n "$ta" ]] && line+=" vm$r $(sub "$ta" "$tp") s" || line+=" vm$r -"
	done
	echo "$line"
	for ((i = 1; i <= N; i++)); do
		line=$(sed -n -E 's/^[^ ]* # multivm: stats: (.*)$/\1/p' "$OUT/vm$i.out" | head -n 1)
		echo "# vm$i stats: ${line:--}"
	done
}

main() {
	local i status=() group port rc=0 pass=0 fail=0 n=0 r desc tp tq

	cd "$ROOT"
	[[ "$N" =~ ^[3-9]$ ]] || { say "GOSSIP_MULTIVM_N=$N: want 3..9"; exit 2; }
	[[ "$MULT" =~ ^[1-9][0-9]*$ ]] || { say "GOSSIP_TIMEOUT_MULT=$MULT: want a positive integer"; exit 2; }
	[[ "$MEM" =~ ^[0-9]+$ ]] || { say "GOSSIP_MULTIVM_MEM=$MEM: want MB"; exit 2; }
	[[ -f gossip.ko && -x tools/gossipadm ]] || { say "gossip.ko or tools/gossipadm not built: run make"; exit 2; }
	rm -rf -- "$OUT"
	mkdir -p -- "$OUT"

	group="230.77.$((RANDOM % 256)).$((RANDOM % 254 + 1))"
	port=$((20000 + (RANDOM * 32768 + RANDOM + $$) % 40000))
	say "$N VMs (TCG, 1 CPU, $MEM MB each) on QEMU multicast $group:$port over 127.0.0.1" \
		"(time limit $((VM_TIMEOUT * MULT)) s each)"
	T0=${EPOCHREALTIME/[.,]/}
	for ((i = 1; i <= N; i++)); do
		start_vm "$i" "$group" "$port"
	done
	for ((i = 1; i <= N; i++)); do
		rc=0
		wait "${VM_PIDS[i - 1]}" || rc=$?
		status[i]=$rc
	done
	for r in "${READER_PIDS[@]}"; do
		wait "$r" || true
	done
	VM_PIDS=()
	READER_PIDS=()
	rm -f -- "$OUT"/vm*.fifo
	local wall
	wall=$(((${EPOCHREALTIME/[.,]/} - T0) / 100000))
	wall=$((wall / 10)).$((wall % 10))

	for ((i = 1; i <= N; i++)); do
		collect_guest "$i" "${status[i]}"
	done
	for ((i = 1; i <= N; i++)); do
		check_key "$i"
	done
	tq=$(t "$N" '^vm\.sh.*command exit status')
	tp=$(t 1 '^# multivm: publishing after-bye$')
	if [[ -n "$tq" && -n "$tp" ]] && awk -v a="$tq" -v b="$tp" 'BEGIN { exit !(a < b) }'; then
		result ok "host: vm$N had powered off (QEMU exited by $(r1 "$tq") s) before vm1 published after-bye ($(r1 "$tp") s)"
	else
		result not-ok "host: vm$N had not powered off (QEMU exit $(r1 "$tq") s) before after-bye was published ($(r1 "$tp") s)"
	fi

	echo "TAP version 13"
	echo "1..${#RESULTS[@]}"
	for r in "${RESULTS[@]}"; do
		n=$((n + 1))
		desc=${r#* }
		if [[ "${r%% *}" == ok ]]; then
			pass=$((pass + 1))
			echo "ok $n $desc"
		else
			fail=$((fail + 1))
			echo "not ok $n $desc"
		fi
	done
	figures
	echo "# wall time $wall s"
	echo "$pass passed, $fail failed"
	((fail == 0)) || return 1
}

main "$@"
