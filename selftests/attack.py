#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The attacker of selftests/attack.sh: forges, spoofs, captures and replays
gossip datagrams (the wire format of kmod/wire.h, encoded here independently)
and prints, for each attack, the bytes it sent and the bytes that came back.

Every subcommand prints one line "SENT_DGRAMS SENT_BYTES BACK_BYTES": what it
sent and what reached its own socket within 0.5 s after the last datagram
(listen and sniff print what they received instead).

  push ADDR PORT ORIGIN VERSION KEY VALUE [--spoof IP:PORT]
      one PUSH datagram carrying that entry (VERSION may be 'max' for 2^64-1
      or '+day' for the wall clock in microseconds plus one day)
  mark ADDR PORT ORIGIN FROM TO [--spoof IP:PORT]
      one PULL_REPLY datagram carrying MARK(ORIGIN, FROM, TO)
  digest ADDR PORT [--spoof IP:PORT] [--count N]
      N (1) PULL_REQ digests of an empty node: RANGE 0..2^32-1, no MARK
  pushpull ADDR PORT [--spoof IP:PORT]
      one PUSHPULL_REQ: an empty digest and one entry
  junk ADDR PORT COUNT RATE [--spoof IP:PORT]
      COUNT datagrams with a wrong magic, RATE per second
  origins ADDR PORT COUNT
      one PUSH datagram per origin 1000..1000+COUNT-1, one entry each
  oversize ADDR PORT COUNT LEN
      COUNT datagrams of LEN bytes (a PUSH whose one value fills them)
  listen IP PORT SECONDS [TYPE]
      bind IP:PORT, print "DGRAMS BYTES" received within SECONDS (of gossip
      datagram type TYPE only, if given)
  sniff IFACE DST PORT TYPES COUNT FILE
      capture from IFACE (AF_PACKET) the UDP payloads to DST:PORT whose
      gossip type is in TYPES (comma separated numbers), COUNT of them, one
      hex line each in FILE
  replay ADDR PORT FILE [--spoof IP:PORT]
      send each datagram of FILE once, as captured
"""
import os
import re
import socket
import struct
import sys
import time

from dgram import Spoofer	# a raw socket forging the IPv4 source

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
PUSH, PULL_REQ, PUSHPULL_REQ, PULL_REPLY = 1, 2, 3, 4
REC_ENTRY, REC_RANGE, REC_MARK = 1, 2, 3
SENDER = 0xa7ac0001		# the node id the attacker claims


def wire_version():
    """GOSSIP_WIRE_VERSION as kmod/wire.h says it."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "..", "kmod", "wire.h")
    with open(path) as f:
        m = re.search(r"#define\s+GOSSIP_WIRE_VERSION\s+(\d+)", f.read())
    return int(m.group(1))


VERSION = wire_version()


def rec(kind, body, flags=0):
    return struct.pack(">BBH", kind, flags, len(body)) + body


def entry(origin, version, key, value):
    return rec(REC_ENTRY, struct.pack(">IQBBH", origin, version, len(key), 0,
                                      len(value)) + key + value)


def dgram(mtype, records, magic=MAGIC):
    payload = b"".join(records)
    return HDR.pack(magic, VERSION, mtype, HDR.size + len(payload), SENDER,
                    len(records), 0) + payload


def version_of(word):
    if word == "max":
        return 2**64 - 1
    if word == "+day":
        return time.time_ns() // 1000 + 86400 * 10**6
    return int(word)


class Sender:
    """Sends UDP payloads from its own socket or, spoofed, from a raw one
    with a forged IPv4 source; counts what it sent and what came back to
    its own socket."""

    def __init__(self, spoof=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("0.0.0.0", 0))
        self.raw = None
        if spoof:
            ip, port = spoof.rsplit(":", 1)
            self.raw = Spoofer(ip, int(port))
        self.dgrams = 0
        self.bytes = 0

    def send(self, data, addr, port):
        self.dgrams += 1
        self.bytes += len(data)
        (self.raw or self.sock).sendto(data, (addr, port))

    def report(self):
        self.sock.settimeout(0.5)
        back = 0
        try:
            while True:
                back += len(self.sock.recv(65536))
        except socket.timeout:
            pass
        print(self.dgrams, self.bytes, back)


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def listen(ip, port, secs, mtype=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((ip, port))
    deadline = time.monotonic() + secs
    n = got = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        if mtype is None or (len(data) > 5 and data[5] == mtype):
            got += len(data)
            n += 1
    print(n, got)


def sniff(iface, dst, port, types, count, path):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
    s.bind((iface, 0))
    out = []
    while len(out) < count:
        frame = s.recv(65536)
        if len(frame) < 14 + 20 + 8 + 16 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0xf) * 4
        if ip[9] != socket.IPPROTO_UDP or ip[6] & 0x3f or ip[7] or \
                ip[16:20] != dst:
            continue	# fragments are left out
        udp = ip[ihl:]
        if struct.unpack("!H", udp[2:4])[0] != port:
            continue
        payload = udp[8:]
        if payload[:4] == struct.pack(">I", MAGIC) and payload[5] in types:
            out.append(payload.hex())
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(out) + "\n")
    os.rename(path + ".tmp", path)
    print(len(out), sum(len(x) // 2 for x in out))


def main():
    args = sys.argv[1:]
    spoof = opt(args, "--spoof")
    count = int(opt(args, "--count", "1"))
    cmd = args[0]
    if cmd == "listen":
        listen(args[1], int(args[2]), float(args[3]),
               int(args[4]) if len(args) > 4 else None)
        return
    if cmd == "sniff":
        sniff(args[1], socket.inet_aton(args[2]), int(args[3]),
              {int(t) for t in args[4].split(",")}, int(args[5]), args[6])
        return
    addr, port = args[1], int(args[2])
    s = Sender(spoof)
    if cmd == "push":
        origin, version = int(args[3]), version_of(args[4])
        s.send(dgram(PUSH, [entry(origin, version, args[5].encode(),
                                  args[6].encode())]), addr, port)
    elif cmd == "mark":
        origin, frm, to = int(args[3]), version_of(args[4]), version_of(args[5])
        s.send(dgram(PULL_REPLY, [rec(REC_MARK, struct.pack(
            ">IQQ", origin, frm, to))]), addr, port)
    elif cmd == "digest":
        d = dgram(PULL_REQ, [rec(REC_RANGE, struct.pack(">II", 0, 2**32 - 1))])
        for _ in range(count):
            s.send(d, addr, port)
    elif cmd == "pushpull":
        s.send(dgram(PUSHPULL_REQ, [
            rec(REC_RANGE, struct.pack(">II", 0, 2**32 - 1)),
            entry(SENDER, time.time_ns() // 1000, b"attack-pp", b"x")]),
            addr, port)
    elif cmd == "junk":
        n, rate = int(args[3]), float(args[4])
        bad = dgram(PUSH, [entry(1, 1, b"k", b"v")], magic=0xdeadbeef)
        t0 = time.monotonic()
        for i in range(n):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            s.send(bad, addr, port)
    elif cmd == "origins":
        now = time.time_ns() // 1000
        for i in range(int(args[3])):
            s.send(dgram(PUSH, [entry(1000 + i, now, b"attack-o%d" % i,
                                      b"x")]), addr, port)
    elif cmd == "oversize":
        n, size = int(args[3]), int(args[4])
        value = b"v" * (size - HDR.size - 4 - 16 - 1)
        for _ in range(n):
            s.send(dgram(PUSH, [entry(1, 1, b"k", value)]), addr, port)
    elif cmd == "replay":
        with open(args[3]) as f:
            for line in f.read().split():
                s.send(bytes.fromhex(line), addr, port)
    else:
        sys.exit("attack.py: unknown command " + cmd)
    s.report()


if __name__ == "__main__":
    main()
