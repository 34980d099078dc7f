#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm.sh - run one command as root in the test kernel, under QEMU.
#
#   scripts/vm.sh [--timeout SECS] [--mem MB] [--smp N] [--log FILE] \
#                 [--scratch DIR] [--id ID] [--qemu-arg ARG]... \
#                 -- COMMAND [ARGS...]
#
# Boots Debian's test kernel (unpacked by scripts/deps.sh into $GOSSIP_CACHE)
# in qemu-system-x86_64 (TCG, 2 CPUs emulated by one host thread, no
# network card unless --qemu-arg adds one) with a small busybox
# initramfs whose /init is scripts/vm-init. The guest sees the host's whole
# file system read-only over virtio-9p, under a tmpfs overlay (writes stay in
# the guest), so host tools and the build outputs of this checkout work there
# at the same paths. COMMAND runs with bash in the current directory; the
# scratch directory is shared writable at the same path (GOSSIP_SCRATCH).
#
# The console (kernel log at level < 5 plus the command's output) is streamed
# to stdout and saved to --log. Exit status:
#   the command's status, when the kernel log is clean;
#   124  the guest did not power off within --timeout (QEMU is killed);
#   125  no status came back (set-up failure, kernel panic, QEMU error);
#   non-zero (the command's status, or 1) when the kernel log shows BUG:,
#        WARNING:, Oops, a trace, a stall... or the kernel got tainted by one.
#
# Options:
#   --timeout SECS  whole run, boot included (default 600)
#   --mem MB        guest memory (default 2048, or GOSSIP_VM_MEM)
#   --log FILE      console log (default: a temporary file, removed unless
#                   the run failed)
#   --scratch DIR   host directory shared writable (default: a fresh
#                   mktemp -d, removed afterwards)
#   --smp N         guest CPUs (default 2, or GOSSIP_VM_SMP)
#   --id ID         this VM's name when several run at once (scripts/
#                   multivm.sh): prefixes vm.sh's messages and is passed to
#                   COMMAND as GOSSIP_VM_ID (letters, digits, - and _)
#   --qemu-arg ARG  one more QEMU argument, as is (repeat it: --qemu-arg
#                   -netdev --qemu-arg socket,id=n0,...); after
#                   GOSSIP_VM_QEMU_ARGS
#
# Environment:
#   GOSSIP_CACHE       cache of scripts/deps.sh (default /var/cache/gossip)
#   KVER               test kernel release (default: scripts/kver.sh)
#   GOSSIP_VM_KERNEL   kernel image (default $GOSSIP_CACHE/kernel-$KVER/boot/vmlinuz-$KVER)
#   GOSSIP_VM_MODULES  its modules, .../lib/modules/<release>, depmod'ed
#                      (default $GOSSIP_CACHE/kernel-$KVER/lib/modules/$KVER)
#   GOSSIP_VM_APPEND   extra kernel command line (e.g. "pci=noacpi kmemleak=on")
#   GOSSIP_VM_LOGLEVEL console log level once booted (default 5: warnings
#                      and worse; 8 shows everything; for the boot itself
#                      use GOSSIP_VM_APPEND=loglevel=8)
#   GOSSIP_VM_QEMU_ARGS extra QEMU arguments (word-split)
#   GOSSIP_VM_MEM      guest memory in MB when --mem is not given
#   GOSSIP_VM_SMP      guest CPUs when --smp is not given
#   GOSSIP_VM_TCG_THREAD  single (default) or multi: QEMU's -accel
#                      tcg,thread=; multi hangs SMP guests (below)
#   GOSSIP_*, V        passed on to COMMAND in the guest (V=1 also shows the
#                      QEMU command line)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOSSIP_CACHE=${GOSSIP_CACHE:-/var/cache/gossip}

# Kernel log lines (timestamped) that fail the run.
# The debug kernel's reports (KASAN, lockdep, PROVE_RCU, ODEBUG, kmemleak,
# DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT) are named too, should one come
# without a BUG:/WARNING: line.
readonly SPLAT_RE='\[ *[0-9]+\.[0-9]+\] .*(BUG:|WARNING:|Oops|general protection|sleeping function called from invalid context|Call Trace:|kernel BUG at|Kernel panic|UBSAN:|KASAN:|ODEBUG:|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|trying to register non-static key|using smp_processor_id\(\) in preemptible|unreferenced object|suspected memory leak|blocked for more than|detected stall|soft lockup|hard LOCKUP)'
# Taint flags that mean the same: B (bad page, KASAN), D (died), W (warned),
# L (soft lockup).
readonly BAD_TAINT=$(((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))
# Modules /init needs before the host root is mounted (with their deps).
readonly INIT_MODULES=(virtio_pci 9pnet_virtio 9p overlay)
readonly NINEP_OPTS=security_model=none,multidevs=remap

TIMEOUT=600
MEM=${GOSSIP_VM_MEM:-2048}
SMP=${GOSSIP_VM_SMP:-2}
VM_ID=
QEMU_EXTRA=()
LOG=
SCRATCH=
WORK=
SCRATCH_TMP=
LOG_TMP=
QEMU_PID=

msg() { printf 'vm.sh%s: %s\n' "${VM_ID:+[$VM_ID]}" "$*" >&2; }
die() { msg "error: $*"; exit 125; }

usage() {
	sed -n '/^#   scripts\/vm.sh/,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

cleanup() {
	if [[ -n "$QEMU_PID" ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	if [[ -n "$WORK" ]]; then
		rm -rf -- "$WORK"
	fi
	if [[ -n "$SCRATCH_TMP" ]]; then
		rm -rf -- "$SCRATCH_TMP"
	fi
	if [[ -n "$LOG_TMP" ]]; then
		rm -f -- "$LOG_TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Single-quote a string for sh.
shquote() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

parse_args() {
	while (($#)); do
		case "$1" in
		--timeout) TIMEOUT=${2:?--timeout SECS}; shift 2 ;;
		--mem) MEM=${2:?--mem MB}; shift 2 ;;
		--log) LOG=${2:?--log FILE}; shift 2 ;;
		--scratch) SCRATCH=${2:?--scratch DIR}; shift 2 ;;
		--smp) SMP=${2:?--smp N}; shift 2 ;;
		--id) VM_ID=${2:?--id ID}; shift 2 ;;
		--qemu-arg) QEMU_EXTRA+=("${2?--qemu-arg ARG}"); shift 2 ;;
		-h | --help) usage ;;
		--) shift; break ;;
		*) msg "unknown argument: $1"; usage ;;
		esac
	done
	(($#)) || usage
	[[ "$TIMEOUT" =~ ^[0-9]+$ && "$MEM" =~ ^[0-9]+$ && "$SMP" =~ ^[1-9][0-9]*$ ]] || usage
	[[ "$VM_ID" =~ ^[A-Za-z0-9_-]*$ ]] || usage
	[[ "${GOSSIP_VM_TCG_THREAD:-single}" =~ ^(single|multi)$ ]] ||
		die "GOSSIP_VM_TCG_THREAD=$GOSSIP_VM_TCG_THREAD: want single or multi"
	CMD=("$@")
}

# The ordered list of module files /init must insmod, as "modprobe
# --show-depends" sees them in $MODDIR; built-in ones are left out.
init_module_files() {
	local root="$WORK/modroot" rel=${MODDIR##*/} m verb file
	local -A seen=()

	mkdir -p "$root/lib/modules"
	ln -sfn "$MODDIR" "$root/lib/modules/$rel"
	for m in "${INIT_MODULES[@]}"; do
		modprobe -d "$root" -S "$rel" --show-depends "$m" >"$WORK/deps" ||
			die "$m is neither a module in $MODDIR nor built in; the test kernel needs" \
				"VIRTIO_PCI, NET_9P_VIRTIO, 9P_FS, OVERLAY_FS, TMPFS, DEVTMPFS"
		while read -r verb file _; do
			[[ "$verb" == insmod && -z "${seen[$file]:-}" ]] || continue
			seen[$file]=1
			echo "$file"
		done <"$WORK/deps"
	done
}

# The initramfs: static busybox, /init, the modules it loads. Cached in
# $GOSSIP_CACHE/initramfs, keyed by the kernel release and a hash of what
# goes in; built in $WORK when the cache is not writable.
build_initramfs() {
	local rel=${MODDIR##*/} files=() f key dir out tmp name

	mapfile -t files < <(init_module_files)
	key=$({
		sha256sum "$ROOT/scripts/vm-init" /bin/busybox
		for f in "${files[@]}"; do
			sha256sum "$f"
		done | sed 's|  .*/|  |'
	} | sha256sum | cut -c1-16)

	dir="$GOSSIP_CACHE/initramfs"
	out="$dir/initramfs-$rel-$key.cpio.gz"
	[[ -f "$out" ]] && { echo "$out"; return; }
	if ! mkdir -p "$dir" 2>/dev/null || [[ ! -w "$dir" ]]; then
		dir=$WORK
		out="$dir/initramfs.cpio.gz"
	fi

	tmp="$WORK/initramfs"
	mkdir -p "$tmp"/{bin,dev,proc,sys,modules,newroot}
	cp /bin/busybox "$tmp/bin/busybox"
	for name in $(/bin/busybox --list); do
		[[ "$name" == busybox ]] || ln -s busybox "$tmp/bin/$name"
	done
	install -m 0755 "$ROOT/scripts/vm-init" "$tmp/init"
	: >"$tmp/modules.list"
	for f in "${files[@]}"; do
		name=${f##*/}
		case "$name" in
		*.ko) cp "$f" "$tmp/modules/$name" ;;
		*.ko.xz) name=${name%.xz}; xz -dc "$f" >"$tmp/modules/$name" ;;
		*.ko.gz) name=${name%.gz}; gzip -dc "$f" >"$tmp/modules/$name" ;;
		*.ko.zst) name=${name%.zst}; zstd -qdc "$f" >"$tmp/modules/$name" ;;
		*) die "unexpected module file $f" ;;
		esac
		echo "$name" >>"$tmp/modules.list"
	done
	(cd "$tmp" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$WORK/initramfs.new"
	mv -f -- "$WORK/initramfs.new" "$out"
	# Forget initramfs of older vm-init versions.
	find "$dir" -maxdepth 1 -name "initramfs-$rel-*.cpio.gz" ! -name "${out##*/}" \
		-mtime +1 -delete 2>/dev/null || true
	echo "$out"
}

# /ctl/vm.conf for /init, /ctl/cmd.sh for the command.
write_control() {
	local ctl="$WORK/ctl" name

	mkdir -p "$ctl"
	{
		echo "SCRATCH=$(shquote "$SCRATCH")"
		echo "MODDIR=$(shquote "$MODDIR")"
		echo "LOGLEVEL=$(shquote "${GOSSIP_VM_LOGLEVEL:-5}")"
	} >"$ctl/vm.conf"
	{
		echo '# Written by scripts/vm.sh, run by scripts/vm-init in the guest.'
		echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
		echo 'export HOME=/root TERM=dumb LANG=C.UTF-8 GOSSIP_VM=1'
		for name in $(compgen -e); do
			case "$name" in
			GOSSIP_SCRATCH | GOSSIP_VM | GOSSIP_VM_ID) ;;
			GOSSIP_* | V) echo "export $name=$(shquote "${!name}")" ;;
			esac
		done
		echo "export GOSSIP_SCRATCH=$(shquote "$SCRATCH")"
		if [[ -n "$VM_ID" ]]; then
			echo "export GOSSIP_VM_ID=$(shquote "$VM_ID")"
		fi
		echo "cd -- $(shquote "$PWD") || { echo \"vm.sh: no $(shquote "$PWD") in the guest\" >&2; exit 125; }"
		printf 'exec'
		for name in "${CMD[@]}"; do
			printf ' %s' "$(shquote "$name")"
		done
		echo
	} >"$ctl/cmd.sh"
}

# Did the kernel complain? Prints the evidence, returns 1 if so.
check_kernel_log() {
	local taint=$1 splats

	splats=$(grep -a -E "$SPLAT_RE" "$LOG" || true)
	if [[ -n "$splats" ]]; then
		msg "******************************************************"
		msg "KERNEL PROBLEM in the console log $LOG:"
		head -n 40 <<<"$splats" | sed 's/^/vm.sh:   /' >&2
		msg "******************************************************"
		return 1
	fi
	if [[ "$taint" =~ ^[0-9]+$ ]] && ((taint & BAD_TAINT)); then
		msg "KERNEL PROBLEM: kernel tainted $taint (see $LOG)"
		return 1
	fi
	return 0
}

main() {
	local kver initrd rc=0 status taint start

	parse_args "$@"

	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run scripts/deps.sh"
	kver=${KVER:-$("$ROOT/scripts/kver.sh")}
	KERNEL=${GOSSIP_VM_KERNEL:-$GOSSIP_CACHE/kernel-$kver/boot/vmlinuz-$kver}
	MODDIR=${GOSSIP_VM_MODULES:-$GOSSIP_CACHE/kernel-$kver/lib/modules/$kver}
	[[ -f "$KERNEL" ]] || die "no kernel $KERNEL: run scripts/deps.sh"
	[[ -f "$MODDIR/modules.dep" ]] || die "no $MODDIR/modules.dep: run scripts/deps.sh"
	MODDIR=$(cd "$MODDIR" && pwd -P)

	WORK=$(mktemp -d "${TMPDIR:-/tmp}/gossip-vm.XXXXXX")
	if [[ -n "$SCRATCH" ]]; then
		mkdir -p -- "$SCRATCH"
	else
		SCRATCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/gossip-scratch.XXXXXX")
		SCRATCH=$SCRATCH_TMP
	fi
	SCRATCH=$(cd "$SCRATCH" && pwd -P)
	if [[ -z "$LOG" ]]; then
		LOG=$(mktemp --suffix=.log "${TMPDIR:-/tmp}/gossip-vm-console.XXXXXX")
		LOG_TMP=$LOG
	else
		mkdir -p -- "$(dirname -- "$LOG")"
		: >"$LOG"
	fi

	initrd=$(build_initramfs)
	write_control

	# softlockup_panic=1: a CPU stuck for 20 s panics the guest, so QEMU
	# exits (-no-reboot) and the run fails at once, its log naming the
	# place, instead of waiting out the time limit (19560 s for make
	# check's VMs). A soft lockup failed the run before too (SPLAT_RE).
	# cryptomgr.notests=1: the kernel's self-tests of its own crypto
	# algorithms at boot are not what is tested here.
	local append="console=ttyS0 panic=-1 loglevel=5 printk.time=1 mitigations=off edd=off trace_clock=global softlockup_panic=1 cryptomgr.notests=1"
	append+=" ${GOSSIP_VM_APPEND:-}"
	# thread=single: one host thread runs all the guest's vCPUs in turn.
	# With QEMU 7.2's default for an x86 guest on an x86 host (multi: a
	# thread per vCPU) an SMP guest hangs when the kernel patches code
	# another vCPU runs: a static key flipped (udp_encap_needed_key when
	# the first or last UDP tunnel socket opens or closes, DO_ONCE in
	# alg_test() at boot) while that vCPU sits at the patched branch. Its
	# translation of the temporary INT3 that text_poke_bp() wrote there
	# outlives the write that removed it: the INT3 handler finds no INT3
	# in memory, backs up to retry the instruction, and the vCPU runs its
	# stale INT3 again, for ever (a soft lockup, RIP the branch or
	# asm_exc_int3). scripts/tcg-probe.sh reproduces it in seconds; see
	# docs/testing.md, "The emulator".
	# shellcheck disable=SC2054 # the commas are QEMU's
	local qemu=(
		qemu-system-x86_64 -machine q35
		-accel "tcg,thread=${GOSSIP_VM_TCG_THREAD:-single}"
		-cpu max -smp "$SMP" -m "$MEM"
		-nographic -no-reboot -nic none -monitor none -vga none
		-chardev "stdio,id=con,signal=off,logfile=$LOG"
		-serial chardev:con
		-kernel "$KERNEL" -initrd "$initrd" -append "$append"
		-virtfs "local,path=/,mount_tag=hostroot,readonly=on,$NINEP_OPTS"
		-virtfs "local,path=$SCRATCH,mount_tag=gossipscratch,$NINEP_OPTS"
		-virtfs "local,path=$WORK/ctl,mount_tag=gossipctl,$NINEP_OPTS"
	)
	# qboot (in qemu-system-data) boots faster than SeaBIOS and prints nothing.
	if [[ -f /usr/share/qemu/qboot.rom ]]; then
		qemu+=(-bios qboot.rom)
	fi
	# shellcheck disable=SC2206 # word splitting wanted
	qemu+=(${GOSSIP_VM_QEMU_ARGS:-} "${QEMU_EXTRA[@]}")

	if [[ "${V:-0}" == 1 ]]; then
		msg "${qemu[*]}"
	fi
	start=$SECONDS
	timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null &
	QEMU_PID=$!
	wait "$QEMU_PID" || rc=$?
	QEMU_PID=
	sed -i 's/\r$//' "$LOG"

	if ((rc == 124)); then
		msg "******************************************************"
		msg "TIMEOUT after $TIMEOUT s (QEMU killed); console log: $LOG"
		msg "******************************************************"
		check_kernel_log "" || true
		LOG_TMP=
		return 124
	fi

	status=$(cat "$WORK/ctl/status" 2>/dev/null ||
		sed -n 's/^.*GOSSIP-VM-EXIT=\([0-9]\{1,\}\)$/\1/p' "$LOG" | tail -n 1)
	taint=$(cat "$WORK/ctl/taint" 2>/dev/null || echo "")
	if [[ ! "$status" =~ ^[0-9]+$ ]]; then
		msg "******************************************************"
		msg "no exit status from the guest (QEMU status $rc; kernel panic or set-up failure?)"
		msg "console log: $LOG"
		msg "******************************************************"
		check_kernel_log "$taint" || true
		LOG_TMP=
		return 125
	fi
	msg "command exit status $status after $((SECONDS - start)) s"
	if ! check_kernel_log "$taint"; then
		((status != 0)) || status=1
		msg "failing (status $status) because of the kernel problem above"
	fi
	((status != 0)) || return 0
	# Keep a temporary log of a failed run.
	LOG_TMP=
	msg "console log: $LOG"
	return "$status"
}

main "$@"
