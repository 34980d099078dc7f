#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The simulator beside the VM's make bench, cell by cell (issue 15 item 5).

sim_vs_bench.py SIM_CSV [BENCH_CSV] [--warm WARM_CSV]

SIM_CSV: rows of `gossip_sim --scale N ... --seeds K --csv F` (n, mode,
fanout, seeds, r50/r90/r100_mean, r100_min/max, theory50/90/100);
BENCH_CSV: build/bench/bench.csv of `make bench` (lockstep on rows only),
or its raw build/bench-raw/arrivals.csv (aggregated as bench_report.py
does: per trial, the round the ceil(frac * n)-th node got the value; the
p99 column is then the max), which is there before the whole bench ends.
Prints a markdown table: mean rounds to 50/90/100 % in the VM, in the
simulator and in the theory, and whether the VM's and the simulator's mean
rounds to 100 % are within half a round. Without BENCH_CSV, the VM columns
are left empty.

--warm WARM_CSV: SIM_CSV is of `--bench T` runs (the bench's procedure,
fresh credits) and WARM_CSV of the default ones (one value, credits full):
prints instead one row per cell with the mean rounds to 100 % of the VM,
of both simulator runs and of the theory, VM - sim-bench, and the answers
cut (tx_reply_cut, over the cluster) per update in each simulator run.
"""
import collections
import csv
import math
import sys


def arrivals(path):
    """bench.csv's figures of the lockstep cells in a raw arrivals.csv."""
    cells = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["lockstep"] == "on":
                cells[(int(r["n"]), r["mode"], int(r["fanout"]))][
                    r["trial"]].append(int(r["round"]))
    out = {}
    for key, trials in cells.items():
        n, at = key[0], {0.5: [], 0.9: [], 1.0: []}
        for rounds in trials.values():
            rounds.sort()
            for frac in at:
                need = max(1, math.ceil(frac * n))
                if len(rounds) >= need:
                    at[frac].append(rounds[need - 1])
        mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
        out[key] = {"trials": str(len(trials)),
                    "r50_mean": mean(at[0.5]), "r90_mean": mean(at[0.9]),
                    "r100_mean": mean(at[1.0]),
                    "r100_p99": f"max {max(at[1.0] or [0])}"}
    return out


def read_sim(path):
    sim = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["seeds"] != "0":
                sim[(int(r["n"]), r["mode"], int(r["fanout"]))] = r
    return sim


def four_way(bench, warm, vm):
    """VM, sim with the bench's procedure, sim warm, theory: 100 %."""
    print("| n | mode | fanout | VM 100 % | sim-bench 100 % (min-max) "
          "| sim-warm 100 % | theory 100 % | VM - sim-bench | within 0.5 "
          "| cut/update bench | cut/update warm |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    bad = both = 0
    modes = ("push", "pull", "pushpull")
    f2 = lambda r, k: f"{float(r[k]):.2f}" if r and r.get(k) else ""
    for key in sorted(bench, key=lambda k: (k[0], k[2], modes.index(k[1]))):
        b, w, v = bench[key], warm.get(key), vm.get(key)
        gaps = oks = ""
        if v:
            gap = float(v["r100_mean"]) - float(b["r100_mean"])
            ok = abs(gap) <= 0.5
            bad += not ok
            both += 1
            gaps, oks = f"{gap:+.2f}", "yes" if ok else "NO"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {f2(v, 'r100_mean')} "
              f"| {f2(b, 'r100_mean')} ({b['r100_min']}-{b['r100_max']}) "
              f"| {f2(w, 'r100_mean')} | {f2(b, 'theory100')} | {gaps} "
              f"| {oks} | {f2(b, 'reply_cut_per_update')} "
              f"| {f2(w, 'reply_cut_per_update')} |")
    if vm:
        print(f"\n{both - bad} of {both} cells within half a round")


def main():
    args = sys.argv[1:]
    warm = None
    if "--warm" in args:
        i = args.index("--warm")
        warm = read_sim(args[i + 1])
        del args[i:i + 2]
    sim = read_sim(args[0])
    vm = {}
    if len(args) > 1 and args[1].endswith("arrivals.csv"):
        vm = arrivals(args[1])
    elif len(args) > 1:
        with open(args[1]) as f:
            for r in csv.DictReader(f):
                if (r.get("lockstep") == "on" and
                        r.get("table", "theory") == "theory"):
                    vm[(int(r["n"]), r["mode"], int(r["fanout"]))] = r
    if warm is not None:
        four_way(sim, warm, vm)
        return
    print("| n | mode | fanout | VM trials | VM 50/90/100 % (100 % p99) "
          "| sim seeds | sim 50/90/100 % (100 % min-max) "
          "| theory 50/90/100 % | VM - sim 100 % | within 0.5 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    bad = both = 0
    modes = ("push", "pull", "pushpull")
    for key in sorted(sim, key=lambda k: (k[0], k[2], modes.index(k[1]))):
        s, v = sim[key], vm.get(key)
        fs = lambda r, k: f"{float(r[k]):.2f}"
        simc = (f"{fs(s, 'r50_mean')} / {fs(s, 'r90_mean')} / "
                f"{fs(s, 'r100_mean')} ({s['r100_min']}-{s['r100_max']})")
        th = (f"{fs(s, 'theory50')} / {fs(s, 'theory90')} / "
              f"{fs(s, 'theory100')}")
        if v:
            vmc = (f"{fs(v, 'r50_mean')} / {fs(v, 'r90_mean')} / "
                   f"{fs(v, 'r100_mean')} ({v['r100_p99']})")
            gap = float(v["r100_mean"]) - float(s["r100_mean"])
            ok = abs(gap) <= 0.5
            bad += not ok
            both += 1
            vt, gaps, oks = v["trials"], f"{gap:+.2f}", "yes" if ok else "NO"
        else:
            vmc = vt = gaps = oks = ""
        print(f"| {key[0]} | {key[1]} | {key[2]} | {vt} | {vmc} "
              f"| {s['seeds']} | {simc} | {th} | {gaps} | {oks} |")
    if vm:
        print(f"\n{both - bad} of {both} cells within half a round"
              f" ({len(sim) - both} without the VM's figures)")


if __name__ == "__main__":
    main()
