#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/tcg-probe.sh - does the emulator run SMP guests that patch their
# own code? (`make check-tcg`)
#
#   scripts/tcg-probe.sh [SECONDS]
#
# Boots GOSSIP_PROBE_VMS (default 3) VMs at once, as make check does, each
# with 2 CPUs (scripts/vm.sh), and runs in each three loops of
# scripts/tcg-probe.c for SECONDS (default 60): two flip the kernel's
# udp_encap_needed_key (its branches are patched with text_poke_bp() each
# time the first encapsulation socket opens or the last closes), one closes
# plain sockets through one of those branches. That is what gossip's
# up/down and netns deletion do, only faster. Prints a line per VM; fails
# if a guest locked up.
#
# With QEMU 7.2 (Debian 12) and GOSSIP_VM_TCG_THREAD=multi, every VM locked
# up within a minute (2026-12-07: 3 of 3, soft lockups at
# udp_destroy_sock+0x2e); with the default, thread=single, none did in
# 150 s. docs/testing.md, "The emulator", has the figures.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECS=${1:-60}
VMS=${GOSSIP_PROBE_VMS:-3}

say() { printf 'tcg-probe: %s\n' "$*"; }

main() {
	local out k pids=() rc=0 st log where

	[[ "$SECS" =~ ^[1-9][0-9]*$ ]] || { say "SECONDS=$SECS: want a positive integer"; exit 2; }
	[[ "$VMS" =~ ^[1-9]$ ]] || { say "GOSSIP_PROBE_VMS=$VMS: want 1 to 9"; exit 2; }
	cd "$ROOT"
	out=build/tcg-probe
	mkdir -p "$out"
	cc -O2 -Wall -o "$out/tcg-probe" scripts/tcg-probe.c
	say "$VMS VMs, TCG thread=${GOSSIP_VM_TCG_THREAD:-single}, $SECS s of flips each"
	for ((k = 1; k <= VMS; k++)); do
		# shellcheck disable=SC2016 # expanded by the guest's bash
		scripts/vm.sh --timeout $((SECS + 180)) --id "probe$k" \
			--log "$out/console-vm$k.log" -- bash -c '
				b=$1 s=$2
				"$b" "$s" & "$b" "$s" & "$b" "$s" plain &
				wait' _ "$ROOT/$out/tcg-probe" "$SECS" \
			>"$out/vm$k.out" 2>&1 &
		pids+=($!)
	done
	for ((k = 1; k <= VMS; k++)); do
		st=0
		wait "${pids[k - 1]}" || st=$?
		log=$out/console-vm$k.log
		where=$(grep -a -m 1 -A 4 'soft lockup' "$log" |
			sed -n 's/.*RIP: 0010:\([^ ]*\).*/\1/p' | head -n 1 || true)
		if grep -a -q 'soft lockup' "$log"; then
			say "vm$k: locked up (soft lockup at ${where:-?}): $log"
			rc=1
		elif ((st != 0)); then
			say "vm$k: failed (vm.sh status $st): $out/vm$k.out"
			rc=1
		else
			say "vm$k: ok, $(grep -a -o '[0-9]* sockets closed' "$out/vm$k.out" |
				awk '{ n += $1 } END { print n + 0 }') sockets closed"
		fi
	done
	if ((rc == 0)); then
		say "result: no guest locked up"
	else
		say "result: FAILED"
	fi
	return "$rc"
}

main "$@"
