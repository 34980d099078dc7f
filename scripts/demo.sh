#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/demo.sh - `make demo`: boot the test kernel and run
# selftests/demo.sh in it: an 8-node cluster, a value spreading round by
# round, one node's counters from /sys.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mkdir -p build
exec scripts/vm.sh --timeout 600 --log build/demo-console.log -- selftests/demo.sh
