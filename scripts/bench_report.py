#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw figures of selftests/bench.sh into the bench table and plots.

bench_report.py RAW_DIR OUT_DIR

RAW_DIR/arrivals.csv: n,mode,fanout,interval_ms,lockstep,trial,node,delay_ms,
    round (delay_ms: when the node stored the value, after the publishing node
    did; round: the synchronous round it arrived in, exact with lockstep on;
    the publisher itself has 0; a node that never got it is absent)
RAW_DIR/traffic.csv: n,mode,fanout,interval_ms,lockstep,trials,tx_dgrams,
    tx_bytes

Writes OUT_DIR/bench.csv (one row per configuration), OUT_DIR/bench.txt (the
table, with the theory beside each cell) and OUT_DIR/spread-n<N>-f<F>.png
(informed fraction against rounds, measured and theory, per mode).

With GOSSIP_BENCH_EAGER, also RAW_DIR/eager.csv (n,mode,fanout,interval_ms,
eager,trial,node,delay_ms) and RAW_DIR/eager_traffic.csv (n,mode,fanout,
interval_ms,eager,trials,tx_dgrams,tx_eager): OUT_DIR/eager.txt and
eager-bench.csv, the time until 50/90/100 % of the nodes held each value, in
ms and in intervals, eager on against off, and the datagrams per node and
update (all of them, and the eager ones).

With GOSSIP_BENCH_EFFICIENCY, also RAW_DIR/eff_*.csv: a section of
bench.txt and rows of bench.csv (its column "table" is "efficiency", the
lockstep table's rows "theory"), and OUT_DIR/efficiency.svg; see
scripts/bench_efficiency.py.

With lockstep on, rounds are the synchronous rounds of the theory, exactly.
With it off (nodes fire at their own jittered times), the figures are the
delay in units of the interval.
Theory: a synchronous simulation of the ideal protocol (uniform random peers,
no loss), 4000 runs per cell, and the reference means from the issue.
"""
import collections
import csv
import os
import random
import subprocess
import sys

import bench_efficiency

MODES = ("push", "pull", "pushpull")
# Reference means (p99) from the issue, for the cells it lists.
REFERENCE = {
    (16, "push", 1): (7.4, 11), (16, "pull", 1): (6.1, 10),
    (16, "pushpull", 1): (4.2, 6), (16, "push", 3): (3.4, 5),
    (16, "pull", 3): (3.2, 4), (16, "pushpull", 3): (2.4, 3),
    (64, "push", 1): (11.2, 15), (64, "pull", 1): (9.0, 13),
    (64, "pushpull", 1): (6.0, 7), (64, "push", 3): (5.2, 6),
    (64, "pull", 3): (4.6, 6), (64, "pushpull", 3): (3.4, 4),
    (256, "push", 1): (14.7, 19), (256, "pull", 1): (11.5, 16),
    (256, "pushpull", 1): (7.6, 9), (256, "push", 3): (6.7, 8),
    (256, "pull", 3): (5.9, 7), (256, "pushpull", 3): (4.3, 5),
}


def pick(rng, n, i, fanout):
    """min(fanout, n - 1) distinct random peers other than i."""
    return [j + (j >= i) for j in rng.sample(range(n - 1), min(fanout, n - 1))]


def step(rng, n, informed, mode, fanout):
    """One synchronous round of the ideal protocol; returns how many learnt."""
    new = set()
    for i in range(n):
        peers = pick(rng, n, i, fanout)
        if informed[i] and mode in ("push", "pushpull"):
            new.update(p for p in peers if not informed[p])
        if not informed[i] and mode in ("pull", "pushpull"):
            if any(informed[p] for p in peers):
                new.add(i)
    for i in new:
        informed[i] = True
    return len(new)


def simulate(n, mode, fanout, runs=None, seed=1):
    """Rounds until 50/90/100 % informed, per run, of the ideal protocol."""
    rng = random.Random(seed)
    runs = runs or max(200, 64000 // n)
    out = []
    for _ in range(runs):
        informed = [True] + [False] * (n - 1)
        count, rnd, marks = 1, 0, {0.5: 0, 0.9: 0}
        while count < n:
            rnd += 1
            count += step(rng, n, informed, mode, fanout)
            for frac in marks:
                if not marks[frac] and count >= frac * n:
                    marks[frac] = rnd
        out.append((marks[0.5], marks[0.9], rnd))
    return out


def curve(n, mode, fanout, runs=400, seed=2):
    """Mean informed fraction after each round of the ideal protocol."""
    rng = random.Random(seed)
    totals = collections.defaultdict(float)
    for _ in range(runs):
        informed = [True] + [False] * (n - 1)
        count = 1
        for rnd in range(0, 40):
            totals[rnd] += count / n
            count += step(rng, n, informed, mode, fanout)
    return [(r, totals[r] / runs) for r in sorted(totals)]


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.99 * len(xs)))] if xs else float("nan")


def eager_report(raw, out):
    """The eager section: time to 50/90/100 %, eager on against off."""
    path = os.path.join(raw, "eager.csv")
    if not os.path.exists(path):
        return
    cells = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(path) as f:
        for r in csv.DictReader(f):
            cfg = (int(r["n"]), r["mode"], int(r["fanout"]),
                   int(r["interval_ms"]), r["eager"])
            cells[cfg][int(r["trial"])].append(float(r["delay_ms"]))
    traffic = {}
    with open(os.path.join(raw, "eager_traffic.csv")) as f:
        for r in csv.DictReader(f):
            cfg = (int(r["n"]), r["mode"], int(r["fanout"]),
                   int(r["interval_ms"]), r["eager"])
            traffic[cfg] = (int(r["trials"]), int(r["tx_dgrams"]),
                            int(r["tx_eager"]))
    rows = []
    for cfg in sorted(cells, key=lambda c: (c[0], -c[3], c[1], c[4] != "on")):
        n, mode, fanout, interval, eager = cfg
        at = {0.5: [], 0.9: [], 1.0: []}
        complete = 0
        for delays in cells[cfg].values():
            delays.sort()
            for frac in at:
                need = max(1, int(-(-frac * n // 1)))
                if len(delays) >= need:
                    at[frac].append(delays[need - 1])
            complete += len(delays) == n
        ntrials, dgrams, eag = traffic.get(cfg, (len(cells[cfg]), 0, 0))
        rows.append({
            "n": n, "mode": mode, "fanout": fanout, "interval_ms": interval,
            "eager": eager, "trials": len(cells[cfg]), "complete": complete,
            "ms50_mean": mean(at[0.5]), "ms90_mean": mean(at[0.9]),
            "ms100_mean": mean(at[1.0]), "ms100_max": max(at[1.0] or [0]),
            "iv100_mean": mean(at[1.0]) / interval,
            "iv100_max": max(at[1.0] or [0]) / interval,
            "dgrams_per_node_update": dgrams / n / max(1, ntrials),
            "eager_per_node_update": eag / n / max(1, ntrials),
        })
    if not rows:
        return
    with open(os.path.join(out, "eager-bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.3f}" if isinstance(v, float) else v)
                        for k, v in r.items()})
    head = ("   n mode      f interval eager trials 100%  50% ms  90% ms"
            " 100% ms mean (max)  100% intervals mean (max)"
            "  dgrams/node/upd (eager)")
    lines = ["Eager forwarding: time until 50/90/100 % of the nodes held a"
             " new value (lockstep off)", head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['n']:4} {r['mode']:9} {r['fanout']:1} {r['interval_ms']:6} ms"
            f" {r['eager']:5} {r['trials']:6} {r['complete']:4}"
            f" {r['ms50_mean']:7.1f} {r['ms90_mean']:7.1f}"
            f" {r['ms100_mean']:9.1f} ({r['ms100_max']:8.1f})"
            f"  {r['iv100_mean']:13.2f} ({r['iv100_max']:6.2f})"
            f"  {r['dgrams_per_node_update']:15.2f} "
            f"({r['eager_per_node_update']:.2f})")
    lines.append("dgrams/node/upd: every datagram the cluster sent while the"
                 " values spread (rounds, digests and replies included),"
                 " per node and value; in brackets the eager ones")
    text = "\n".join(lines)
    with open(os.path.join(out, "eager.txt"), "w") as f:
        f.write(text + "\n")
    print(text)


def main():
    raw, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    eager_report(raw, out)
    arrivals = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(os.path.join(raw, "arrivals.csv")) as f:
        for r in csv.DictReader(f):
            cfg = (int(r["n"]), r["mode"], int(r["fanout"]),
                   int(r["interval_ms"]), r["lockstep"])
            rounds = (int(r["round"]) if r["lockstep"] == "on" else
                      float(r["delay_ms"]) / int(r["interval_ms"]))
            arrivals[cfg][int(r["trial"])].append(rounds)
    traffic = {}
    with open(os.path.join(raw, "traffic.csv")) as f:
        for r in csv.DictReader(f):
            cfg = (int(r["n"]), r["mode"], int(r["fanout"]),
                   int(r["interval_ms"]), r["lockstep"])
            traffic[cfg] = (int(r["trials"]), int(r["tx_dgrams"]),
                            int(r["tx_bytes"]))

    rows = []
    for cfg in sorted(arrivals, key=lambda c: (c[4], c[0], c[2],
                                                MODES.index(c[1]))):
        n, mode, fanout, interval, lockstep = cfg
        trials = arrivals[cfg]
        at = {0.5: [], 0.9: [], 1.0: []}
        complete = 0
        for delays in trials.values():
            delays.sort()
            for frac in at:
                need = max(1, int(-(-frac * n // 1)))
                if len(delays) >= need:
                    at[frac].append(delays[need - 1])
            complete += len(delays) == n
        sim = simulate(n, mode, fanout)
        ntrials, dgrams, nbytes = traffic.get(cfg, (len(trials), 0, 0))
        ref = REFERENCE.get((n, mode, fanout))
        row = {
            "n": n, "mode": mode, "fanout": fanout, "interval_ms": interval,
            "lockstep": lockstep,
            "trials": len(trials), "complete": complete,
            "r50_mean": mean(at[0.5]), "r90_mean": mean(at[0.9]),
            "r100_mean": mean(at[1.0]), "r100_p99": p99(at[1.0]),
            "ms100_mean": mean(at[1.0]) * interval,
            "theory50": mean([s[0] for s in sim]),
            "theory90": mean([s[1] for s in sim]),
            "theory100": mean([s[2] for s in sim]),
            "theory100_p99": p99([s[2] for s in sim]),
            "ref100": ref[0] if ref else "", "ref100_p99": ref[1] if ref else "",
            "dgrams_per_node_update": dgrams / n / max(1, ntrials),
            "bytes_per_node_update": nbytes / n / max(1, ntrials),
        }
        row["gap100"] = row["r100_mean"] - row["theory100"]
        rows.append(row)

    eff = bench_efficiency.rows(raw)
    if not rows and not eff:    # BENCH_EAGER=only: the eager section alone
        return
    # Both tables in one file, told apart by "table".
    both = ([dict(table="theory", **r) for r in rows]
            + [dict(table="efficiency", **r) for r in eff])
    fields = list(dict.fromkeys(k for r in both for k in r))
    with open(os.path.join(out, "bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, restval="")
        w.writeheader()
        for r in both:
            w.writerow({k: (f"{v:.2f}" if isinstance(v, float) else v)
                        for k, v in r.items()})
    lines = theory_lines(raw, rows) if rows else []
    if eff:
        lines += ([""] if lines else []) + bench_efficiency.lines(eff)
        bench_efficiency.plot(eff, out)
    text = "\n".join(lines)
    with open(os.path.join(out, "bench.txt"), "w") as f:
        f.write(text + "\n")
    print(text)
    if rows:
        plot(arrivals, out)


def theory_lines(raw, rows):
    """The lockstep table of bench.txt, then memory and round timing."""
    head = ("lockstep    n mode      f  trials  100%   50% mean   90% mean"
            "  100% mean (p99)   theory 100% (p99)  gap   dgrams/node/upd"
            "  bytes/node/upd  100% ms")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['lockstep']:8} {r['n']:4} {r['mode']:9} {r['fanout']:1}"
            f" {r['trials']:6}"
            f"  {r['complete']:4}  {r['r50_mean']:9.2f}  {r['r90_mean']:9.2f}"
            f"  {r['r100_mean']:9.2f} ({r['r100_p99']:5.2f})"
            f"  {r['theory100']:9.2f} ({r['theory100_p99']:2.0f})"
            f"{'' if r['ref100'] == '' else ' ref ' + str(r['ref100'])}"
            f"  {r['gap100']:+5.2f}  {r['dgrams_per_node_update']:10.2f}"
            f"  {r['bytes_per_node_update']:12.1f}  {r['ms100_mean']:7.0f}")
    lines.append("lockstep on: synchronous rounds; off: delay / interval; "
                 "theory = synchronous simulation (ref = the issue's table)")
    # What selftests/bench.sh measured beside the spreading: memory per
    # node, and per cell the round lateness and cost.
    mem = os.path.join(raw, "memory.txt")
    if os.path.exists(mem):
        lines.append("")
        lines.extend(l[2:].rstrip() for l in open(mem) if l.startswith("# "))
    timing = os.path.join(raw, "timing.csv")
    if os.path.exists(timing):
        lines.append("")
        lines.append("cell                       late p50 us  p99 us    max us"
                     "  us/round  us/rx_dgram   (lateness: median node;"
                     " max: worst node; since up)")
        with open(timing) as f:
            for t in csv.DictReader(f):
                lines.append(
                    f"{t['cell']:26} {int(t['late_p50_us']):11}"
                    f" {int(t['late_p99_us']):7} {int(t['late_max_us']):9}"
                    f" {int(t['ns_per_round']) / 1000:9.0f}"
                    f" {int(t['ns_per_rx_dgram']) / 1000:12.0f}")
    return lines


def plot(arrivals, out):
    """Informed fraction against rounds, measured and theory, via gnuplot."""
    groups = collections.defaultdict(dict)
    for (n, mode, fanout, interval, lockstep), trials in arrivals.items():
        groups[(n, fanout, lockstep)][mode] = (trials, n)
    for (n, fanout, lockstep), modes in sorted(groups.items()):
        name = f"spread-n{n}-f{fanout}{'' if lockstep == 'on' else '-async'}"
        data = os.path.join(out, name + ".dat")
        cols = []
        with open(data, "w") as f:
            for mode in MODES:
                if mode not in modes:
                    continue
                trials, _ = modes[mode]
                f.write(f"# {mode} measured\n")
                for step in range(0, 301):
                    t = step / 10
                    frac = mean([sum(d <= t for d in ds) / n
                                 for ds in trials.values()])
                    f.write(f"{t} {frac}\n")
                f.write("\n\n")
                cols.append(f"{mode} measured")
                f.write(f"# {mode} theory\n")
                for rnd, frac in curve(n, mode, fanout):
                    f.write(f"{rnd} {frac}\n")
                f.write("\n\n")
                cols.append(f"{mode} theory")
        png = os.path.join(out, name + ".png")
        # One colour per mode: measured solid, theory dashed.
        plots = ", ".join(
            f"'{data}' index {i} with "
            f"{'steps lw 2' if i % 2 == 0 else 'linespoints dt 2 pt 6'}"
            f" lc {i // 2 + 1} title '{title}'" for i, title in enumerate(cols))
        script = (f"set terminal pngcairo size 900,560; set output '{png}';"
                  f"set title 'n = {n}, fanout {fanout}, lockstep {lockstep}:"
                  " informed fraction';"
                  "set xlabel 'rounds (lockstep off: delay / interval)';"
                  "set ylabel 'fraction of nodes holding the value';"
                  "set key bottom right; set grid; set xrange [0:20];"
                  f"set yrange [0:1.02]; plot {plots}")
        try:
            subprocess.run(["gnuplot", "-e", script], check=True)
        except (OSError, subprocess.CalledProcessError) as err:
            print(f"bench_report: no plot {png}: {err}", file=sys.stderr)


if __name__ == "__main__":
    main()
