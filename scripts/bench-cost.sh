#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench-cost.sh - `make bench-cost`: selftests/bench_cost.sh in the
# test VM: ns per round and per received datagram of one instance at 16,
# 256 and 1024 peers (the kernel's round_ns and rx_ns), and its round
# lateness at 1, 10 and 200 ms. The table is printed and kept in
# build/bench-cost.txt, the raw rows in build/bench-cost-raw/*.csv.
# GOSSIP_COST_* (see selftests/bench_cost.sh) pass through.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RAW=build/bench-cost-raw
rm -rf -- "$RAW"
mkdir -p -- "$RAW"
start=$SECONDS
scripts/vm.sh --timeout "${BENCH_TIMEOUT:-1800}" --log build/bench-cost-console.log \
	--scratch "$RAW" -- selftests/bench_cost.sh
grep -a '^# ' build/bench-cost-console.log | sed 's/^# //' > build/bench-cost.txt
echo "bench-cost: build/bench-cost.txt, $RAW/cost.csv, $RAW/lateness.csv ($((SECONDS - start)) s)"
