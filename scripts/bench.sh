#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench.sh - `make bench`: the spreading benchmark in the test VM.
#
# Runs selftests/bench.sh in one VM (BENCH_SIZES, BENCH_TRIALS,
# BENCH_FANOUTS, BENCH_MODES, BENCH_LOCKSTEP, BENCH_KEYS=on|off, BENCH_INTERVAL
# (ms, for every size; default: selftests/bench.sh's interval_for) pass through), then
# scripts/bench_report.py: build/bench/bench.txt (the table, theory beside
# each cell; eager forwarding off), bench.csv, and spread-n<N>-f<F>.png plots.
# BENCH_EAGER=on adds the eager section (=only runs it alone):
# build/bench/eager.txt, time to 100 % with eager on and off
# (BENCH_EAGER_SIZES, BENCH_EAGER_INTERVALS, BENCH_EAGER_TRIALS,
# BENCH_EAGER_FANOUT, BENCH_EAGER_MODES pass through).
# BENCH_EFFICIENCY=on adds the efficiency section of issue 16 (=only runs it
# alone; `make bench-efficiency`): per mode, eager on and off, size and
# netem loss, lockstep off, the time to 50/90/100 %, the payload copies,
# datagrams and bytes per node and update, and the idle datagrams and
# bytes per node and second: lines in bench.txt and bench.csv (table
# "efficiency") and efficiency.svg (BENCH_EFF_SIZES, BENCH_EFF_LOSSES,
# BENCH_EFF_MODES, BENCH_EFF_EAGER, BENCH_EFF_TRIALS, BENCH_EFF_IDLE,
# BENCH_EFF_INTERVAL, BENCH_EFF_FANOUT, BENCH_EFF_VALUE, BENCH_EFF_TRACE
# pass through; see selftests/bench_efficiency.sh).
#
# The large sizes are a run of their own, e.g.
#   BENCH_SIZES="256 1024" BENCH_TRIALS=3 BENCH_FANOUTS=3 make bench
# (GOSSIP_VM_MEM is raised to 4096 MB when a size is above 256).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RAW=build/bench-raw
OUT=build/bench
rm -rf -- "$RAW" "$OUT"
mkdir -p -- "$RAW" "$OUT"

export GOSSIP_BENCH_SIZES=${BENCH_SIZES:-16 64 128}
export GOSSIP_BENCH_TRIALS=${BENCH_TRIALS:-20}
export GOSSIP_BENCH_FANOUTS=${BENCH_FANOUTS:-1 3}
export GOSSIP_BENCH_MODES=${BENCH_MODES:-push pull pushpull}
export GOSSIP_BENCH_LOCKSTEP=${BENCH_LOCKSTEP:-on}
export GOSSIP_BENCH_KEYS=${BENCH_KEYS:-off}
export GOSSIP_BENCH_INTERVAL=${BENCH_INTERVAL:-}
export GOSSIP_BENCH_EAGER=${BENCH_EAGER:-off}
export GOSSIP_BENCH_EAGER_SIZES=${BENCH_EAGER_SIZES:-64}
export GOSSIP_BENCH_EAGER_INTERVALS=${BENCH_EAGER_INTERVALS:-200 10}
export GOSSIP_BENCH_EAGER_TRIALS=${BENCH_EAGER_TRIALS:-10}
export GOSSIP_BENCH_EAGER_FANOUT=${BENCH_EAGER_FANOUT:-3}
export GOSSIP_BENCH_EAGER_MODES=${BENCH_EAGER_MODES:-push}
export GOSSIP_BENCH_EFFICIENCY=${BENCH_EFFICIENCY:-off}
export GOSSIP_BENCH_EFF_SIZES=${BENCH_EFF_SIZES:-64 256}
export GOSSIP_BENCH_EFF_LOSSES=${BENCH_EFF_LOSSES:-0 10}
export GOSSIP_BENCH_EFF_MODES=${BENCH_EFF_MODES:-push pull pushpull}
export GOSSIP_BENCH_EFF_EAGER=${BENCH_EFF_EAGER:-on off}
export GOSSIP_BENCH_EFF_TRIALS=${BENCH_EFF_TRIALS:-5}
export GOSSIP_BENCH_EFF_IDLE=${BENCH_EFF_IDLE:-10}
export GOSSIP_BENCH_EFF_INTERVAL=${BENCH_EFF_INTERVAL:-200}
export GOSSIP_BENCH_EFF_FANOUT=${BENCH_EFF_FANOUT:-3}
export GOSSIP_BENCH_EFF_VALUE=${BENCH_EFF_VALUE:-32}
export GOSSIP_BENCH_EFF_TRACE=${BENCH_EFF_TRACE:-off}
export GOSSIP_BENCH_EFF_POLL_IV=${BENCH_EFF_POLL_IV:-5}
# The bench's one VM has the host to itself: a thread per guest CPU lets
# its two CPUs use both host cores (with one thread, the default of
# scripts/vm.sh, they share one, and at 256 nodes the datagrams waited
# tens of ms in the guest's queues: docs/benchmarks.md). The code patching
# that hangs such a guest (docs/testing.md, "The emulator") happens here
# only when the first gossip socket opens and the last closes; should it
# hang, the guest panics and the run fails.
export GOSSIP_VM_TCG_THREAD=${GOSSIP_VM_TCG_THREAD:-multi}
# 1024 netns nodes need about 3 GiB in the guest (memory.txt says how much).
if [ -z "${GOSSIP_VM_MEM:-}" ]; then
	for n in $GOSSIP_BENCH_SIZES $GOSSIP_BENCH_EAGER_SIZES $GOSSIP_BENCH_EFF_SIZES; do
		[ "$n" -le 256 ] || export GOSSIP_VM_MEM=4096
	done
fi
start=$SECONDS
scripts/vm.sh --timeout "${BENCH_TIMEOUT:-7200}" --log build/bench-console.log \
	--scratch "$RAW" -- selftests/bench.sh
python3 scripts/bench_report.py "$RAW" "$OUT"
echo "bench: $OUT/bench.txt, $OUT/bench.csv, $OUT/*.png$([ "$GOSSIP_BENCH_EAGER" = off ] || echo ", $OUT/eager.txt")$([ "$GOSSIP_BENCH_EFFICIENCY" = off ] || echo ", $OUT/efficiency.svg") ($((SECONDS - start)) s)"
