#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The wire fuzz target's smoke run, in make check (the long run is make fuzz):
#
#   1. every committed seed (selftests/fuzz/corpus) through the plain driver
#      wire_replay: no invariant breaks, every ok-*.bin is accepted and every
#      err-KIND-*.bin refused with exactly GOSSIP_WIRE_ERR_KIND;
#   2. the seeds cover every error kind and every datagram type;
#   3. wire_fuzz (libFuzzer) for FUZZ_RUNS (default 3000) inputs from the seeds,
#      with a fixed seed, so the run is the same every time: no crash.
#
# WIRE_REPLAY and WIRE_FUZZ run other builds of the two binaries (e.g. of a
# deliberately broken wire.c, to see this test fail).
# The fuzzer's working corpus and any crash stay in a temporary directory;
# a crash input is copied to $GOSSIP_SCRATCH (when set) and dumped in hex.

source "$(dirname "$0")/../lib.sh"

FUZZ_DIR=$REPO/selftests/fuzz
SEEDS=$FUZZ_DIR/corpus
REPLAY=${WIRE_REPLAY:-$FUZZ_DIR/wire_replay}
FUZZER=${WIRE_FUZZ:-$FUZZ_DIR/wire_fuzz}
FUZZ_RUNS=${FUZZ_RUNS:-3000}
FUZZ_SEED=${FUZZ_SEED:-1}
KINDS="short magic version type length entry"
TMP=

smoke_cleanup() { [ -z "$TMP" ] || rm -rf -- "$TMP"; }
trap smoke_cleanup EXIT

ktap_print_header
ktap_set_plan 5
for b in "$REPLAY" "$FUZZER"; do
	[ -x "$b" ] || { echo "# $b not built (make -C selftests)"; exit "$KSFT_SKIP"; }
done
TMP=$(mktemp -d)

# 1. The seeds through the plain driver: no abort, then the verdicts.
start=$SECONDS
# (The braces keep bash's own "Aborted" line out of the KTAP output.)
rc=0
{ "$REPLAY" "$SEEDS" >"$TMP/verdicts" 2>"$TMP/replay.err"; } 2>/dev/null || rc=$?
sed 's/^/# /' "$TMP/replay.err"
echo "# replay: exit $rc after $((SECONDS - start)) s"
[ "$rc" -eq 0 ] || echo "# replay stopped at: $(tail -n 1 "$TMP/verdicts")"
ktap_result "replay: $(wc -l <"$TMP/verdicts") seeds, no invariant broken" \
	[ "$rc" -eq 0 ]

# "verdict expected name" per seed; the expected verdict is in the name.
awk '{
	name = $2; sub(/.*\//, "", name); sub(/\.bin$/, "", name)
	split(name, w, "-")
	want = w[1] == "ok" ? "ok" : w[1] == "err" ? w[2] : "?"
	print $1, want, name
}' "$TMP/verdicts" >"$TMP/checked"

check_seeds() {	# PREFIX: every seed named PREFIX-* got its verdict
	local bad n
	n=$(awk -v p="$1" '$3 ~ "^" p "-"' "$TMP/checked" | wc -l)
	bad=$(awk -v p="$1" '$3 ~ "^" p "-" && $1 != $2 { print $3 ": got " $1 ", want " $2 }' "$TMP/checked")
	echo "# $1 seeds: $n"
	[ -z "$bad" ] || { echo "$bad" | sed 's/^/# wrong verdict: /'; return 1; }
	[ "$n" -gt 0 ]
}
ktap_result "every ok-* seed accepted" check_seeds ok
ktap_result "every err-KIND-* seed refused with that error" check_seeds err

# 2. Every error kind, and every datagram type valid, has a seed.
coverage() {
	local k t missing=
	for k in $KINDS; do
		grep -q "^$k $k err-$k-" "$TMP/checked" || grep -q "^$k $k err-$k\$" "$TMP/checked" ||
			missing+=" err-$k"
	done
	for t in push pullreq pushpullreq reply summary ihave iwant tree prune graft; do
		grep -q "^ok ok ok-$t-\|^ok ok ok-$t\$" "$TMP/checked" || missing+=" ok-$t"
	done
	[ -z "$missing" ] || echo "# no seed for:$missing"
	[ -z "$missing" ]
}
ktap_result "seeds for every error kind and datagram type" coverage

# 3. A fixed, seeded libFuzzer run from the seeds; the committed corpus is
# only read (libFuzzer writes new inputs into the first directory only).
mkdir "$TMP/corpus" "$TMP/crash"
start=$SECONDS
"$FUZZER" -runs="$FUZZ_RUNS" -seed="$FUZZ_SEED" -max_len=65535 -timeout=60 \
	-print_final_stats=1 -artifact_prefix="$TMP/crash/" \
	"$TMP/corpus" "$SEEDS" >"$TMP/fuzz.log" 2>&1
rc=$?
last=$(grep -a -E '^#[0-9]+.* cov: ' "$TMP/fuzz.log" | tail -n 1)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMP/fuzz.log")
echo "# libFuzzer: -runs=$FUZZ_RUNS -seed=$FUZZ_SEED, exit $rc after $((SECONDS - start)) s"
echo "# executions: ${execs:-?}; $(grep -o -E 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+' <<<"$last")"
crashes=$(find "$TMP/crash" -type f)
for f in $crashes; do
	echo "# crash input $f:"
	od -A d -t x1 "$f" | head -n 20 | sed 's/^/#   /'
	if [ -n "${GOSSIP_SCRATCH:-}" ] && cp -- "$f" "$GOSSIP_SCRATCH/"; then
		echo "# copied to $GOSSIP_SCRATCH/${f##*/}"
	fi
done
if [ "$rc" -ne 0 ]; then
	grep -a -m 5 -E '^wire_fuzz:|ERROR: |runtime error|SUMMARY' "$TMP/fuzz.log" | sed 's/^/# /'
fi
ktap_result "libFuzzer $FUZZ_RUNS runs: no crash" [ "$rc" -eq 0 -a -z "$crashes" -a "${execs:-0}" -ge "$FUZZ_RUNS" ]

ktap_finished
