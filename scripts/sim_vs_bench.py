#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The simulator beside the VM's make bench, cell by cell (issue 15 item 5).

sim_vs_bench.py SIM_CSV [BENCH_CSV]

SIM_CSV: rows of `gossip_sim --scale N ... --seeds K --csv F` (n, mode,
fanout, seeds, r50/r90/r100_mean, r100_min/max, theory50/90/100);
BENCH_CSV: build/bench/bench.csv of `make bench` (lockstep on rows only).
Prints a markdown table: mean rounds to 50/90/100 % in the VM, in the
simulator and in the theory, and whether the VM's and the simulator's mean
rounds to 100 % are within half a round. Without BENCH_CSV, the VM columns
are left empty.
"""
import csv
import sys


def main():
    sim = {}
    with open(sys.argv[1]) as f:
        for r in csv.DictReader(f):
            if r["seeds"] != "0":
                sim[(int(r["n"]), r["mode"], int(r["fanout"]))] = r
    vm = {}
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            for r in csv.DictReader(f):
                if (r.get("lockstep") == "on" and
                        r.get("table", "theory") == "theory"):
                    vm[(int(r["n"]), r["mode"], int(r["fanout"]))] = r
    print("| n | mode | fanout | VM trials | VM 50/90/100 % (100 % p99) "
          "| sim seeds | sim 50/90/100 % (100 % min-max) "
          "| theory 50/90/100 % | VM - sim 100 % | within 0.5 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    bad = 0
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
            vt, gaps, oks = v["trials"], f"{gap:+.2f}", "yes" if ok else "NO"
        else:
            vmc = vt = gaps = oks = ""
        print(f"| {key[0]} | {key[1]} | {key[2]} | {vt} | {vmc} "
              f"| {s['seeds']} | {simc} | {th} | {gaps} | {oks} |")
    if vm:
        print(f"\n{len(sim) - bad} of {len(sim)} cells within half a round")


if __name__ == "__main__":
    main()
