#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""scripts/eff_trace.py - how one update spread, from the module's trace.

    scripts/eff_trace.py NODES.csv TRACE.txt...

Reads what `BENCH_EFF_TRACE=on make bench-efficiency` leaves in
build/bench-raw/ (selftests/bench_efficiency.sh): eff_nodes-N.csv (node,
netns inode, IPv4 address) and an eff_trace-TAG-T.txt per update (the
gossip_dgram_sent, gossip_dgram_recv and gossip_entry_applied events of
the update's window, trace_clock global). For each update, the entry that
most nodes applied is the update; each node's copy came in the datagram
its CPU received just before it applied it (the receive path applies in
the softirq that received it), so every node has a carrier (its type:
tree, push (an IWANT's answer, or a round's push), pull_reply...) and a
sender, and the senders make the tree the value took. Prints, per update:

  - how many nodes got it by each carrier type, and when (ms after the
    publisher's first datagram: 50/90/100 %);
  - the depth of the path (hops from the publisher) of the last node, and
    how its time splits between the hops: the datagram on the way (sent by
    its sender to received) and the sender's own time (applied to sent);
  - the slowest hops of the whole spread, each with both parts.
"""

import collections
import csv
import ipaddress
import re
import sys

EV = re.compile(r'^\s*(?P<task>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+\S+\s+'
                r'(?P<ts>\d+\.\d+): (?P<ev>gossip_\w+): (?P<rest>.*)$')
KV = re.compile(r'(\w+)=(\S+)')


def load_nodes(path):
    by_ns, by_ip = {}, {}
    with open(path) as f:
        for node, ns, ip in csv.reader(f):
            by_ns[int(ns)] = int(node)
            by_ip[ip] = int(node)
    return by_ns, by_ip


def parse(path):
    events = []
    with open(path, errors='replace') as f:
        for line in f:
            m = EV.match(line)
            if not m:
                continue
            kv = dict(KV.findall(m['rest']))
            kv['ev'] = m['ev'][len('gossip_'):]
            kv['cpu'] = int(m['cpu'])
            kv['t'] = float(m['ts']) * 1000.0       # ms
            if 'addr' in kv:
                kv['ip'] = kv['addr'].rsplit(':', 1)[0].strip('[]')
            events.append(kv)
    events.sort(key=lambda e: e['t'])
    return events


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * (len(xs) - 1) + 0.5))]


def report(path, by_ns, by_ip):
    ev = parse(path)
    applied = [e for e in ev if e['ev'] == 'entry_applied']
    if not applied:
        print(f'{path}: no entry applied')
        return
    upd = collections.Counter((e['origin'], e['version']) for e in applied)
    (origin, version), _ = upd.most_common(1)[0]
    # In the bench's clusters a node's id is its IPv4 address.
    pub = by_ip.get(str(ipaddress.IPv4Address(int(origin))))
    pub_ns = [ns for ns, n in by_ns.items() if n == pub]
    sends = [e for e in ev if e['ev'] == 'dgram_sent'
             and pub_ns and int(e['netns']) == pub_ns[0]]
    first = [e for e in applied if (e['origin'], e['version']) == (origin, version)]
    t0 = min([s['t'] for s in sends if s['t'] <= first[0]['t']] or
             [first[0]['t']])
    # The carrier of each copy: the last datagram its CPU received before.
    last_rx = {}
    got = {}            # node -> (t, type, sender node, recv event)
    asked = {}          # (netns, address) -> times of IWANTs and GRAFTs
    for e in ev:
        if e['ev'] == 'dgram_sent' and e['type'] in ('iwant', 'graft'):
            asked.setdefault((e['netns'], e['ip']), []).append(e['t'])
    for e in ev:
        if e['ev'] == 'dgram_recv':
            last_rx[e['cpu']] = e
        elif e['ev'] == 'entry_applied' and \
                (e['origin'], e['version']) == (origin, version):
            node = by_ns.get(int(e['netns']))
            rx = last_rx.get(e['cpu'])
            if rx is None or rx['netns'] != e['netns']:
                rx = None
            if node in got:
                continue
            typ = rx['type'] if rx else '?'
            # A PUSH or TREE that answered this node's IWANT or GRAFT
            # to its sender (asked in the update's window) was fetched.
            if rx and any(t0 <= a <= rx['t'] for a in
                          asked.get((rx['netns'], rx['ip']), [])):
                typ += '(asked)'
            got[node] = (e['t'] - t0, typ,
                         by_ip.get(rx['ip']) if rx else None, rx)
    # When each sender sent that datagram: its last send of that type to
    # that receiver before the receive.
    sent_at = {}
    for e in ev:
        if e['ev'] == 'dgram_sent':
            sent_at.setdefault((int(e['netns']), e['ip'], e['type']),
                               []).append(e['t'])
    ns_of = {n: ns for ns, n in by_ns.items()}
    ip_of = {n: ip for ip, n in by_ip.items()}

    def hop(node):
        """(sender, wire ms, sender's own ms) of node's copy."""
        t, typ, snd, rx = got[node]
        if rx is None or snd is None:
            return None
        typ = typ.split('(')[0]
        ts = [x for x in sent_at.get((ns_of[snd], ip_of[node], typ), [])
              if x <= rx['t']]
        if not ts:
            return snd, None, None
        wire = rx['t'] - ts[-1]
        had = got[snd][0] + t0 if snd in got else t0
        return snd, wire, ts[-1] - had

    delays = [v[0] for v in got.values()]
    print(f'{path}: origin {origin} (node {pub}) version {version}: '
          f'{len(got)} nodes applied it')
    print(f'  held by 50/90/100 %: {pct(delays, .5):.1f} / '
          f'{pct(delays, .9):.1f} / {max(delays):.1f} ms after the '
          f'publisher\'s first datagram')
    by_type = collections.defaultdict(list)
    for t, typ, _, _ in got.values():
        by_type[typ].append(t)
    for typ, ts in sorted(by_type.items(), key=lambda x: -len(x[1])):
        print(f'  by {typ:11s} {len(ts):4d} nodes, median {pct(ts, .5):6.1f} '
              f'ms, last {max(ts):6.1f} ms')
    # Depths and the last node's path.
    depth = {}

    def depth_of(node, seen=()):
        if node == pub or node is None:
            return 0
        if node in depth:
            return depth[node]
        if node in seen or node not in got:
            return 0
        depth[node] = depth_of(got[node][2], seen + (node,)) + 1
        return depth[node]
    for node in got:
        depth_of(node)
    hist = collections.Counter(depth.values())
    print('  hops from the publisher: ' +
          ', '.join(f'{d}: {hist[d]}' for d in sorted(hist)))
    for last in sorted(got, key=lambda k: -got[k][0])[:3]:
        path_ = []
        node = last
        while node in got and node != pub and len(path_) < 40:
            h = hop(node)
            t, typ = got[node][0], got[node][1]
            if h and h[1] is not None:
                path_.append(f'n{node}@{t:.1f} by {typ} from n{h[0]} '
                             f'(wire {h[1]:.1f}, sender {h[2]:.1f})')
            else:
                path_.append(f'n{node}@{t:.1f} by {typ} from n{got[node][2]}')
            node = got[node][2]
        print(f'  path of n{last} ({depth.get(last, "?")} hops):')
        for p in reversed(path_):
            print('    ' + p)
    hops = [(hop(k), k) for k in got]
    wires = [h[1] for h, _ in hops if h and h[1] is not None]
    owns = [h[2] for h, _ in hops if h and h[2] is not None]
    if wires:
        print(f'  a hop on the wire: median {pct(wires, .5):.2f} ms, 90 % '
              f'{pct(wires, .9):.2f}, max {max(wires):.2f}; the sender\'s '
              f'own time: median {pct(owns, .5):.2f}, 90 % {pct(owns, .9):.2f}, '
              f'max {max(owns):.2f}')


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    by_ns, by_ip = load_nodes(sys.argv[1])
    for path in sys.argv[2:]:
        report(path, by_ns, by_ip)


if __name__ == '__main__':
    main()
