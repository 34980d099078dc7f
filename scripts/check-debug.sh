#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-debug.sh - the selftests under the debug kernel
# (`make check-debug`).
#
#   scripts/check-debug.sh [TEST...]
#
# scripts/debug-kernel.sh first (builds the KASAN/kmemleak/lockdep kernel
# once, cached in $GOSSIP_CACHE, and gossip.ko against it in
# build/debug-module/), then scripts/check.sh booting that kernel with
# panic_on_warn=1 and kmemleak on, in two VMs at once of one CPU each
# (GOSSIP_CHECK_VMS; each takes 3 GB; three were no faster: each test took
# 1.4 to 2.3 times as long as with two, 2026-12-07): every test of
# selftests/tests.list (or GOSSIP_TESTS_LIST, or the TESTs given) less
# those below, then in each VM a kmemleak scan
# that fails the run if anything is unreferenced (scripts/run-tests.sh,
# GOSSIP_KMEMLEAK=1).
# The run fails on any failed test, any leak, and any KASAN, lockdep,
# PROVE_RCU, ODEBUG, DEBUG_ATOMIC_SLEEP... report in the kernel log (a
# WARNING panics the guest: the run then fails with no status).
#
# Console logs: build/check-debug-console-vmK.log; scratch directory (the
# kmemleak reports kmemleak-vmK.txt): build/check-debug-scratch.
#
# Environment:
#   GOSSIP_TIMEOUT_MULT  factor on every time limit (default 4: KASAN +
#                        lockdep under TCG are several times slower)
#   GOSSIP_VM_MEM        memory of each guest in MB (default 3072: KASAN's
#                        shadow)
#   GOSSIP_VM_SMP        CPUs of each guest (default 1: two guests of two
#                        CPUs each on a 2-core host spent much of their time
#                        waiting for a preempted CPU's lock or TLB flush)
#   GOSSIP_KO            the module to test (default build/debug-module/gossip.ko,
#                        built against the debug kernel)
#   GOSSIP_DEBUG_TESTS   a space-separated subset of tests.list to run
#                        instead of all of it (when CI time is short);
#                        TEST arguments win over it
#   GOSSIP_DEBUG_EXCLUDE tests of the list not to run (default: the four
#                        that never touch the kernel, selftests/wire/wire_test,
#                        selftests/unit/unit_test, selftests/fuzz/smoke.sh
#                        and selftests/docs.py, and
#                        selftests/spec_client.sh, attack.sh, quiet.sh,
#                        reply.sh and cluster.sh, whose kernel paths
#                        other tests here run (see below); empty: the
#                        whole list)
#   GOSSIP_KMEMLEAK_EACH 1: also a kmemleak scan before each rmmod of a test
#                        (its report then names the module's functions;
#                        selftests/lib.sh). Default 0: a scan takes 25 to
#                        120 s here, the scans at the end find the same
#                        leaks
#   GOSSIP_COST_COLUMN   the column of tests.list whose seconds order the
#                        tests, longest first (default here 4: what each
#                        took under this kernel; scripts/run-tests.sh)
#   GOSSIP_SMALL         1 (the default here): the cluster tests run their
#                        cases on fewer nodes (lib.sh's sized: 8 instead of
#                        16 or 32); 0: the sizes of make check
#   GOSSIP_FAULTS_CYCLES rmmod/insmod and netns cycles of faults.sh (default
#                        here 10, 100 in make check; every 10th cycle is
#                        checked, so no fewer)
#   GOSSIP_BAD_COUNT     datagrams of each kind bad_dgram.sh sends (default
#                        here 400, 6000 in make check)
#   GOSSIP_NONCE_SAMPLE  captured datagrams harden_nonce.sh opens with the
#                        key (selftests/sealed.py, in python: default here
#                        300, 3000 in make check); every captured nonce is
#                        compared either way

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

user_ko=${GOSSIP_KO:-}
scripts/debug-kernel.sh >/dev/null
# shellcheck disable=SC1091 # written by debug-kernel.sh
. build/debug-kernel.env
GOSSIP_KO=${user_ko:-$GOSSIP_KO}
export GOSSIP_VM_KERNEL GOSSIP_VM_MODULES GOSSIP_KO
export GOSSIP_VM_APPEND="panic_on_warn=1 kmemleak=on pci=noacpi ${GOSSIP_VM_APPEND:-}"
export GOSSIP_TIMEOUT_MULT=${GOSSIP_TIMEOUT_MULT:-4}
export GOSSIP_VM_MEM=${GOSSIP_VM_MEM:-3072}
# One CPU a guest (make check's have two: the races between CPUs are
# tested there). With two guests of two CPUs on the 2 host cores, a guest
# CPU spun on a lock whose holder's host thread was not running, and each
# cross-CPU TLB flush stopped both of a guest's CPUs. attack.sh and
# harden_store.sh side by side (2026-12-06): 1069 s of tests, 684 s wall
# with two CPUs; 733 s and 528 s with one. Lockdep checks the lock order
# and the contexts the same on one CPU; KASAN and kmemleak see the same
# accesses and objects.
export GOSSIP_VM_SMP=${GOSSIP_VM_SMP:-1}
export GOSSIP_CHECK_VMS=${GOSSIP_CHECK_VMS:-2}
export GOSSIP_KMEMLEAK=1
# The debug kernel runs the same cases as make check, fewer times and on
# fewer nodes: the paths are the same, and KASAN + lockdep under TCG cost
# several times more. Namespaces cost most: in a debug VM sharing the host
# with others, ip netns add took 6.8 s and a deleted namespace with a veth
# was gone 15 s later (the kernel's own per-netns set-up and teardown).
export GOSSIP_SMALL=${GOSSIP_SMALL:-1}
export GOSSIP_COST_COLUMN=${GOSSIP_COST_COLUMN:-4}
export GOSSIP_FAULTS_CYCLES=${GOSSIP_FAULTS_CYCLES:-10}
export GOSSIP_BAD_COUNT=${GOSSIP_BAD_COUNT:-400}
export GOSSIP_NONCE_SAMPLE=${GOSSIP_NONCE_SAMPLE:-300}
export GOSSIP_CHECK_LOG=${GOSSIP_CHECK_LOG:-build/check-debug-console.log}
export GOSSIP_CHECK_SCRATCH=${GOSSIP_CHECK_SCRATCH:-build/check-debug-scratch}

tests=("$@")
if ((${#tests[@]} == 0)) && [[ -n "${GOSSIP_DEBUG_TESTS:-}" ]]; then
	read -r -a tests <<<"$GOSSIP_DEBUG_TESTS"
fi
# The list less the tests that never touch the kernel (they ran in make
# check; under the debug kernel they only cost time: tools/test/run.sh,
# which make check now runs on the host, took over 20 min there), and
# spec_client.sh: it calls the same handlers as netlink_api.sh, which runs
# here, through another client (171 s under the debug kernel, with CI time
# short). Under TCG both suites keep the host's two cores busy, so CI's
# time is their CPU time: the debug run leaves out, too, the tests whose
# kernel paths the others here run, and which check what those paths
# compute, which make check checks (2026-12-07, CI at 88 of its 90 min):
#  - attack.sh (690 s in a debug VM, the longest): its attacks are those
#    of harden_store, harden_amp, auth, bad_dgram, harden_nonce,
#    netlink_api and harden_tombstone, run together for one table; each
#    counter it checks, one of those checks here too;
#  - quiet.sh (188 s): every idle cluster here sends the summaries and
#    backs off; reply.sh (210 s): every pull and pushpull exchange here
#    builds the answers whose order it checks;
#  - cluster.sh: a cluster's rounds and counters, which every cluster test
#    here runs (teardown.sh reads the counters in /sys).
exclude=${GOSSIP_DEBUG_EXCLUDE-selftests/wire/wire_test selftests/unit/unit_test selftests/fuzz/smoke.sh selftests/docs.py selftests/spec_client.sh selftests/attack.sh selftests/quiet.sh selftests/reply.sh selftests/cluster.sh}
if ((${#tests[@]} == 0)) && [[ -n "$exclude" ]]; then
	list=${GOSSIP_TESTS_LIST:-selftests/tests.list}
	awk -v ex="$exclude" '
		BEGIN { n = split(ex, a, " "); for (i = 1; i <= n; i++) skip[a[i]] = 1 }
		{ line = $0; sub(/#.*/, "", line); split(line, f, " ") }
		!(f[1] in skip)
	' "$list" >build/check-debug.list
	printf 'check-debug: %s less %s\n' "$list" "$exclude"
	export GOSSIP_TESTS_LIST=build/check-debug.list
fi
printf 'check-debug: kernel %s, module %s\n' "$GOSSIP_VM_KERNEL" "$GOSSIP_KO"
exec scripts/check.sh "${tests[@]}"
