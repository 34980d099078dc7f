# SPDX-License-Identifier: GPL-2.0
"""The efficiency section of `make bench` (issue 16), for bench_report.py.

From the raw files of selftests/bench_efficiency.sh (RAW_DIR/eff_updates.csv,
eff_idle.csv, eff_arrivals.csv), one row per cell (n, mode, eager, loss):

  ms50 ms90 ms100      mean over the updates of the delay until 50/90/100 %
                       of the n nodes stored the value (each node's own
                       kernel stamp minus the publisher's); ms100_max the
                       slowest update; iv* the same in intervals
  copies               payload copies received per node and update:
                       (rumors_applied + rumors_duplicate) summed over the
                       nodes / n, mean over the updates (applied: of those,
                       the ones that were new, (n - 1) / n at best)
  dgrams, bytes        datagrams and UDP payload bytes sent per node and
                       update, everything the cluster sent in the update's
                       window (rounds, digests, replies, eager pushes)
  dgrams_net, bytes_net  the same less what the idle cluster sends in as
                       long a window: what the update itself cost
  eager, requests, replies  tx_eager, tx_requests (digests), tx_replies per
                       node and update
  window_s             mean length of an update's window
  idle_dgrams_s, idle_bytes_s, idle_copies_s  per node and second, the
                       cluster holding nothing new
  cpu_pct, idle_cpu_pct  round_ns + rx_ns summed over the nodes per second
                       of window, in % of one CPU: near 100 % x the VM's
                       CPUs, the emulated machine could not keep up and the
                       times are the VM's, not the protocol's
"""
import collections
import csv
import math
import os

CELL = ("n", "mode", "eager", "loss_pct", "fanout", "interval_ms",
        "value_bytes")
MODES = ("push", "pull", "pushpull")


def _cell(r):
    return (int(r["n"]), r["mode"], r["eager"], int(r["loss_pct"]),
            int(r["fanout"]), int(r["interval_ms"]), int(r["value_bytes"]))


def _read(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def _mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def rows(raw):
    """One dict per cell, sorted by n, loss, mode, eager (on first)."""
    updates = collections.defaultdict(dict)
    for r in _read(os.path.join(raw, "eff_updates.csv")):
        updates[_cell(r)][int(r["trial"])] = r
    idle = {_cell(r): r for r in _read(os.path.join(raw, "eff_idle.csv"))}
    arrivals = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in _read(os.path.join(raw, "eff_arrivals.csv")):
        arrivals[_cell(r)][int(r["trial"])].append(float(r["delay_ms"]))
    out = []
    order = lambda c: (c[0], c[3], MODES.index(c[1]) if c[1] in MODES else 9,
                       c[2] != "on")
    for cell in sorted(updates, key=order):
        n, interval = cell[0], cell[5]
        at = {0.5: [], 0.9: [], 1.0: []}
        for delays in arrivals[cell].values():
            delays.sort()
            for frac in at:
                need = max(1, math.ceil(frac * n))
                if len(delays) >= need:
                    at[frac].append(delays[need - 1])
        ups = list(updates[cell].values())
        i = idle.get(cell)
        idle_s = int(i["window_ms"]) / 1000 if i else 0
        rate = (lambda k: int(i[k]) / idle_s) if idle_s else (lambda k: 0.0)

        def per_update(k):
            return _mean([int(u[k]) / n for u in ups])

        def net(k):
            return _mean([(int(u[k]) - rate(k) * int(u["window_ms"]) / 1000)
                          / n for u in ups])
        copies = [(int(u["rumors_applied"]) + int(u["rumors_duplicate"])) / n
                  for u in ups]
        cpu = sum(int(u["round_ns"]) + int(u["rx_ns"]) for u in ups)
        window = sum(int(u["window_ms"]) for u in ups)
        row = dict(zip(CELL, cell))
        row.update({
            "trials": len(ups),
            "complete": sum(int(u["all"]) for u in ups),
            "ms50": _mean(at[0.5]), "ms90": _mean(at[0.9]),
            "ms100": _mean(at[1.0]), "ms100_max": max(at[1.0], default=0),
            "ms100_min": min(at[1.0], default=0),
            "iv50": _mean(at[0.5]) / interval,
            "iv90": _mean(at[0.9]) / interval,
            "iv100": _mean(at[1.0]) / interval,
            "iv100_max": max(at[1.0], default=0) / interval,
            "copies": _mean(copies), "copies_max": max(copies, default=0),
            "applied": per_update("rumors_applied"),
            "dgrams": per_update("tx_dgrams"),
            "bytes": per_update("tx_bytes"),
            "dgrams_net": net("tx_dgrams"), "bytes_net": net("tx_bytes"),
            "eager_dgrams": per_update("tx_eager"),
            "requests": per_update("tx_requests"),
            "replies": per_update("tx_replies"),
            "window_s": window / 1000 / max(1, len(ups)),
            "idle_s": idle_s,
            "idle_dgrams_s": rate("tx_dgrams") / n,
            "idle_bytes_s": rate("tx_bytes") / n,
            "idle_copies_s": (rate("rumors_applied")
                              + rate("rumors_duplicate")) / n,
            "cpu_pct": cpu / 1e7 / (window / 1000) if window else 0.0,
            "idle_cpu_pct": ((rate("round_ns") + rate("rx_ns")) / 1e7),
        })
        out.append(row)
    return out


def lines(eff):
    """The section of bench.txt: a line per cell."""
    head = ("   n mode      eager loss trials all    50% ms   90% ms"
            "  100% ms (max)     100% iv (max)  copies/node/upd"
            "  dgrams/node/upd (net)  bytes/node/upd (net)"
            "  idle dgrams/node/s  idle B/node/s  cpu %")
    out = ["Efficiency (issue 16): lockstep off, interval "
           f"{eff[0]['interval_ms']} ms, fanout {eff[0]['fanout']},"
           f" values of {eff[0]['value_bytes']} bytes published one at a"
           " time", head, "-" * len(head)]
    for r in eff:
        out.append(
            f"{r['n']:4} {r['mode']:9} {r['eager']:5} {r['loss_pct']:3}%"
            f" {r['trials']:6} {r['complete']:3}"
            f" {r['ms50']:9.1f} {r['ms90']:8.1f}"
            f" {r['ms100']:8.1f} ({r['ms100_max']:7.1f})"
            f" {r['iv100']:6.2f} ({r['iv100_max']:5.2f})"
            f" {r['copies']:16.2f}"
            f" {r['dgrams']:13.1f} ({r['dgrams_net']:6.1f})"
            f" {r['bytes']:13.0f} ({r['bytes_net']:6.0f})"
            f" {r['idle_dgrams_s']:19.2f} {r['idle_bytes_s']:14.0f}"
            f" {r['cpu_pct']:6.0f}")
    out += [
        "all: updates every node held within the wait; ms: the nodes' own"
        " stamps, after the publisher's; iv: in intervals;",
        "copies: (rumors_applied + rumors_duplicate) / n; dgrams, bytes:"
        " sent in the update's window (net: less the idle rate over as"
        " long);",
        "idle: the cluster holding nothing new; cpu %: round_ns + rx_ns per"
        " second of the update windows, in % of one CPU (see"
        " scripts/bench_efficiency.py)"]
    return out


def plot(eff, out):
    """efficiency.svg: time until every node held an update (intervals)
    against payload copies per node and update, a panel per mode; a point
    per cell, its bar the fastest to slowest update. Plain SVG, no
    package."""
    modes = [m for m in MODES if any(r["mode"] == m for r in eff)]
    if not modes:
        return
    pw, ph, ml, mt, mb = 380, 330, 60, 40, 50
    width, height = ml + len(modes) * (pw + 40), mt + ph + mb + 40
    xs = [r["copies"] for r in eff if r["copies"] > 0]
    lo = 2 ** math.floor(math.log2(min(xs + [1.0]) * 0.9))
    hi = 2 ** math.ceil(math.log2(max(xs + [2.0]) * 1.1))
    ymax = max([r["iv100_max"] for r in eff] + [0.5])
    ystep = next(s for s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
                 if ymax / s <= 8)
    ymax = math.ceil(ymax / ystep) * ystep
    sizes = sorted({r["n"] for r in eff})
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    colour = {n: colours[i % len(colours)] for i, n in enumerate(sizes)}
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}"'
           f' height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle"'
           ' font-size="14">Time until every node held an update vs payload'
           f' copies per node (lockstep off, {eff[0]["interval_ms"]} ms,'
           f' fanout {eff[0]["fanout"]})</text>']
    for k, mode in enumerate(modes):
        x0, y0 = ml + k * (pw + 40), mt

        def X(v):
            return x0 + pw * math.log(v / lo) / math.log(hi / lo)

        def Y(v):
            return y0 + ph - ph * v / ymax
        svg.append(f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}"'
                   ' fill="none" stroke="#444"/>')
        svg.append(f'<text x="{x0 + pw / 2}" y="{y0 - 6}"'
                   f' text-anchor="middle" font-weight="bold">{mode}</text>')
        v = lo
        while v <= hi * 1.001:
            svg.append(f'<line x1="{X(v):.1f}" y1="{y0}" x2="{X(v):.1f}"'
                       f' y2="{y0 + ph}" stroke="#ddd"/>'
                       f'<text x="{X(v):.1f}" y="{y0 + ph + 15}"'
                       f' text-anchor="middle">{v:g}</text>')
            v *= 2
        y = 0.0
        while y <= ymax + 1e-9:
            svg.append(f'<line x1="{x0}" y1="{Y(y):.1f}" x2="{x0 + pw}"'
                       f' y2="{Y(y):.1f}" stroke="#ddd"/>')
            if k == 0:
                svg.append(f'<text x="{x0 - 6}" y="{Y(y) + 4:.1f}"'
                           f' text-anchor="end">{y:g}</text>')
            y += ystep
        if lo < 1.5 < hi:   # the goal: at most 1.5 copies
            svg.append(f'<line x1="{X(1.5):.1f}" y1="{y0}" x2="{X(1.5):.1f}"'
                       f' y2="{y0 + ph}" stroke="#2ca02c"'
                       ' stroke-dasharray="4 3"/>'
                       f'<text x="{X(1.5) + 3:.1f}" y="{y0 + 12}"'
                       ' fill="#2ca02c">goal 1.5</text>')
        svg.append(f'<text x="{x0 + pw / 2}" y="{y0 + ph + 32}"'
                   ' text-anchor="middle">payload copies received per node'
                   ' and update (log)</text>')
        for r in eff:
            if (r["mode"] != mode or not r["copies"] > 0
                    or math.isnan(r["iv100"])):
                continue
            cx, cy, c = X(r["copies"]), Y(r["iv100"]), colour[r["n"]]
            fill = c if r["eager"] == "on" else "white"
            svg.append(f'<line x1="{cx:.1f}" y1="{Y(r["ms100_min"] / r["interval_ms"]):.1f}"'
                       f' x2="{cx:.1f}" y2="{Y(r["iv100_max"]):.1f}"'
                       f' stroke="{c}"/>')
            title = (f'<title>n={r["n"]} {mode} eager {r["eager"]} loss'
                     f' {r["loss_pct"]}%: {r["iv100"]:.2f} intervals,'
                     f' {r["copies"]:.2f} copies</title>')
            if r["loss_pct"]:
                svg.append(f'<path d="M{cx:.1f},{cy - 6:.1f} l5.5,9.5 h-11 z"'
                           f' fill="{fill}" stroke="{c}" stroke-width="1.5">'
                           f'{title}</path>')
            else:
                svg.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5"'
                           f' fill="{fill}" stroke="{c}" stroke-width="1.5">'
                           f'{title}</circle>')
    svg.append(f'<text transform="translate(16,{mt + ph / 2}) rotate(-90)"'
               ' text-anchor="middle">time until all nodes held it'
               ' (intervals)</text>')
    # Legend: colour = n, filled = eager on, triangle = loss.
    ly, lx = mt + ph + 58, ml
    for n in sizes:
        svg.append(f'<circle cx="{lx}" cy="{ly - 4}" r="5" fill="{colour[n]}"/>'
                   f'<text x="{lx + 9}" y="{ly}">n = {n}</text>')
        lx += 80
    losses = sorted({r["loss_pct"] for r in eff if r["loss_pct"]})
    svg.append(f'<circle cx="{lx}" cy="{ly - 4}" r="5" fill="#666"/>'
               f'<text x="{lx + 9}" y="{ly}">eager on</text>'
               f'<circle cx="{lx + 90}" cy="{ly - 4}" r="5" fill="white"'
               ' stroke="#666" stroke-width="1.5"/>'
               f'<text x="{lx + 99}" y="{ly}">eager off</text>'
               f'<circle cx="{lx + 190}" cy="{ly - 4}" r="5" fill="none"'
               ' stroke="#666"/><text x="{0}" y="{1}">no loss</text>'
               .format(lx + 199, ly)
               + (f'<path d="M{lx + 270},{ly - 10} l5.5,9.5 h-11 z"'
                  ' fill="none" stroke="#666"/>'
                  f'<text x="{lx + 280}" y="{ly}">'
                  f'{"/".join(map(str, losses))} % loss</text>'
                  if losses else "")
               + f'<text x="{lx + 370}" y="{ly}">bar: fastest to slowest'
               ' update</text>')
    svg.append("</svg>")
    with open(os.path.join(out, "efficiency.svg"), "w") as f:
        f.write("\n".join(svg) + "\n")
