#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made gossip datagrams (wire format v1, kmod/wire.h) to a node.

dgram.py ADDR PORT KIND COUNT: send COUNT datagrams of KIND from a fresh UDP
socket, then wait until no answer came for 0.5 s and print how many bytes
came back (a gossip node must never answer a datagram; digests and
announcements of the node's own rounds are no answer: see is_digest()).
ADDR may be IPv6 (then from an IPv6 socket). KIND is one of KINDS below; "valid" carries one entry key=wire-KEYn value=ok
origin 7 version 1000+n, "tree" the same in a TREE, "ihave", "iwant" and
"graft" one REF of it (announce()), "prune" nothing.

dgram.py capture PORT COUNT FILE [TYPE]: receive COUNT datagrams on UDP
PORT (any address), of datagram type TYPE only if given, and write them to
FILE, one a line in hex; answer none.

dgram.py replay ADDR PORT FILE LINE [FLIP]: send datagram LINE (from 0) of
FILE; with FLIP, with the byte at offset FLIP (negative: from the end)
inverted. Then print the bytes that came back within 0.5 s.

dgram.py resend ADDR PORT FILE COUNT [FLIP]: send COUNT datagrams, the lines
of FILE in turn, each with byte FLIP inverted if given; print the bytes back.

Options, before the rest:
  --sport P    send from UDP port P (a configured peer's port), not a fresh one
  --len L      the length of a "sized" datagram, in bytes
  --entry ORIGIN:VERSION:KEY:VALUE
               the entry of "valid", "digest-push" and "pushpull" datagrams,
               the REF of "ihave", "iwant" and "graft" (its value's
               length said)
               (default: origin 7, version 1000+n, key wire-keyN, value ok)
  --rate R     send R datagrams a second (default: as fast as it can)
  --spoof IP   send from source address IP (a raw socket, IP_HDRINCL: the
               source is forged, nothing can come back; prints 0)
  --all 1      count every datagram that comes back, digests and summaries
               too (when no round of the node can fire meanwhile: they
               are answers, e.g. to a "summary")
  --types 1    print the datagram types of what came back (in order,
               "none" for nothing), not their bytes
  --bind IP    with --sport, send from local address IP (one of the
               namespace's)
  --tree 1     the REFs of "ihave" have record flag GOSSIP_REF_F_TREE (the
               sender pushed the entries down its eager tree first)
  --late 1     the entry of "tree" has record flag GOSSIP_ENTRY_F_LATE (the
               sender asked for it before its tree brought it)
  --then IP:S  with --spoof, S seconds after the datagrams a TREE of the
               same entry from source address IP (forged too): the push
               an announcement said the tree was bringing, S s late
"""
import os
import random
import socket
import struct
import sys
import time

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
PULL_REQ, PUSHPULL_REQ, SUMMARY = 2, 3, 5
IHAVE, IWANT = 6, 7     # announcements (lazy push), and requests for them
TREE, PRUNE, GRAFT = 8, 9, 10   # the eager tree's push, leave and join
REF = 5                 # the record kind of both: an entry without its value
REF_F_TREE = 0x02       # a REF's record flag: it went down the tree first
ENTRY_F_LATE = 0x02     # an entry's: asked for before the tree brought it
PAD = 6                 # zero bytes that pay for an answer (no key)
WAIT = 0.5  # seconds of silence that end the answer


def answers(sock, wait, who, keep_all=False):
    """The datagrams that reach sock until none but digests came for wait s.

    Digests (is_digest) are set aside and counted on stderr, under the
    name who; with keep_all they are answers like any other."""
    out, rounds, rbytes = [], 0, 0
    last = time.monotonic()
    try:
        while True:
            sock.settimeout(max(last + wait - time.monotonic(), 0.001))
            data = sock.recv(65536)
            if is_digest(data) and not keep_all:
                rounds += 1
                rbytes += len(data)
                continue
            out.append(data)
            last = time.monotonic()
    except socket.timeout:
        pass
    if rounds:
        print("%s: set aside %d digest(s) of the node's own rounds (%d bytes)"
              % (who, rounds, rbytes), file=sys.stderr)
    return out


def is_digest(data):
    """A digest (PULL_REQ, PUSHPULL_REQ), a quiet node's SUMMARY or an
    IHAVE, sealed or not, of magic MAGIC.

    It is never an answer: it is the node's own round, sent to us because
    our address (--sport) is one of its peers. An IHAVE is too: a push
    round's announcements (eager on), or an eager forward, which never goes
    back to the sender whose datagram caused it. It is set aside, counted
    on stderr, and does not prolong the wait. An IWANT, and the PUSH that
    answers one, go only to the sender of the REFs they ask for: answers."""
    return len(data) >= HDR.size and \
        struct.unpack_from(">I", data)[0] == MAGIC and \
        data[5] in (PULL_REQ, PUSHPULL_REQ, SUMMARY, IHAVE)


def entry(key, value, origin=7, version=1000, klen=None, reserved=0,
          flags=0):
    body = struct.pack(">IQBBH", origin, version,
                       len(key) if klen is None else klen, reserved,
                       len(value)) + key + value
    return struct.pack(">BBH", 1, flags, len(body)) + body


def ref(key, version, origin, vlen=0, flags=0):
    """A REF record: the body of entry() without its value, whose length
    (vlen) it says."""
    body = entry(key, b"", origin, version)[4:]
    body = body[:14] + struct.pack(">H", vlen) + body[16:]
    return struct.pack(">BBH", REF, flags, len(body)) + body


def announce(refs, mtype=IHAVE, flags=0):
    """An IHAVE (or, with mtype=IWANT, an IWANT) of one REF per (key,
    version, origin) of refs, or (key, version, origin, value length), each
    with record flags flags."""
    return dgram([ref(*r, flags=flags) for r in refs], mtype=mtype)


def graft(refs, pay):
    """A GRAFT of refs, padded with pay + 16 zero bytes (a PAD record): a
    node without a key answers no more bytes than it got from the address
    (send.c, "lazy push")."""
    pad = struct.pack(">BBH", PAD, 0, pay + 16) + bytes(pay + 16)
    return dgram([ref(*r) for r in refs] + [pad], mtype=GRAFT)


def dgram(records, magic=MAGIC, version=1, mtype=1, length=None, count=None,
          reserved=0):
    payload = b"".join(records)
    total = HDR.size + len(payload)
    return HDR.pack(magic, version, mtype,
                    total if length is None else length, 9,
                    len(records) if count is None else count,
                    reserved) + payload


# The digest of a node that holds nothing: a RANGE of every origin.
def range_rec(lo=0, hi=0xffffffff):
    return struct.pack(">BBH", 2, 0, 8) + struct.pack(">II", lo, hi)


def bulk(n):
    """25 entries of origin 500, versions 1 + 25n.., 20-byte values: 1,266
    bytes at most, under the default max-dgram (1400)."""
    return dgram([entry(b"bulk-%d-%d" % (n, i), b"v" * 20, origin=500,
                        version=1 + 25 * n + i) for i in range(25)])


def sized(length):
    """A datagram of exactly LENGTH bytes: its one entry's value fills it
    (over GOSSIP_VALUE_MAX when LENGTH is large: a malformed entry)."""
    fixed = len(dgram([entry(b"k", b"")]))
    return dgram([entry(b"k", b"v" * (length - fixed))])


OPTS = {"sport": None, "len": None, "entry": None, "spoof": None,
        "rate": None, "all": None, "types": None, "bind": None,
        "tree": None, "late": None, "then": None}


def summary(n):
    """A SUMMARY whose hash (from n) no node's summary equals."""
    body = struct.pack(">QII", 0x5eed000000000000 + n, 1, 1)
    return dgram([struct.pack(">BBH", 4, 0, len(body)) + body],
                 mtype=SUMMARY)


def make(kind, n):
    key, value, origin, version = b"wire-key%d" % n, b"ok", 7, 1000 + n
    if OPTS["entry"]:
        o, v, k, val = OPTS["entry"].split(":", 3)
        key, value, origin, version = k.encode(), val.encode(), int(o), \
            int(v)
    good = entry(key, value, origin=origin, version=version)
    announced = [(key, version, origin, len(value))]
    return {
        "valid": lambda: dgram([good]),
        "short": lambda: dgram([good])[:n % 16],
        "magic": lambda: dgram([good], magic=0xdeadbeef),
        "version": lambda: dgram([good], version=2),
        "type": lambda: dgram([good], mtype=77),
        "length": lambda: dgram([good], length=9999),
        "count": lambda: dgram([good], count=5),
        "record": lambda: dgram([good[:3] + b"\xff" + good[4:]]),
        "entry-key0": lambda: dgram([entry(b"", b"v")]),
        "entry-keylong": lambda: dgram([entry(b"k" * 65, b"v")]),
        "entry-value": lambda: dgram([entry(b"k", b"v" * 1025)]),
        "entry-origin0": lambda: dgram([entry(b"k", b"v", origin=0)]),
        # a valid entry followed by a bad one: nothing may be applied
        "mixed": lambda: dgram([good, entry(b"k", b"v", reserved=1)]),
        # the largest UDP payload: one record, its value over the limit
        "oversized": lambda: dgram([entry(b"k" * 10, b"v" * (65507 - 46))]),
        "random": lambda: noise(n),
        "digest": lambda: dgram([range_rec()], mtype=2),
        "pushpull": lambda: dgram([range_rec(), good], mtype=3),
        "summary": lambda: summary(n),
        "ihave": lambda: announce(announced,
                                  flags=REF_F_TREE if OPTS["tree"] else 0),
        "iwant": lambda: announce(announced, mtype=IWANT),
        "tree": lambda: dgram([entry(key, value, origin=origin,
                                     version=version,
                                     flags=ENTRY_F_LATE if OPTS["late"]
                                     else 0)], mtype=TREE),
        "prune": lambda: dgram([], mtype=PRUNE),
        "graft": lambda: graft(announced, len(value)),
        "bulk": lambda: bulk(n),
        "sized": lambda: sized(int(OPTS["len"])),
    }[kind]()


def noise(n):
    """n % 1500 random bytes (seeded by n), never starting with the magic:
    shorter than a header when n % 1500 < 16, else a wrong magic."""
    data = bytearray(random.Random(n).randbytes(n % 1500))
    if data[:4] == struct.pack(">I", MAGIC):
        data[0] ^= 0xff
    return bytes(data)


def capture(port, count, path, mtype=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", port))
    with open(path + ".tmp", "w") as f:
        while count:
            data = sock.recv(65536)
            if mtype is not None and (len(data) < 6 or data[5] != mtype):
                continue
            f.write(data.hex() + "\n")
            count -= 1
    os.rename(path + ".tmp", path)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Spoofer:
    """sendto() of UDP datagrams with a forged IPv4 source address."""

    def __init__(self, src, sport):
        self.src, self.sport = src, sport
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                  socket.IPPROTO_RAW)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)

    def sendto(self, data, dst):
        addr, port = dst
        s, d = socket.inet_aton(self.src), socket.inet_aton(addr)
        udp = struct.pack("!HHHH", self.sport, port, 8 + len(data), 0) + data
        csum = checksum(s + d + struct.pack("!BBH", 0, 17, len(udp)) + udp)
        udp = udp[:6] + struct.pack("!H", csum or 0xffff) + udp[8:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000,
                         64, 17, 0, s, d)
        self.sock.sendto(ip + udp, (addr, 0))


def main():
    while sys.argv[1].startswith("--"):
        OPTS[sys.argv[1][2:]] = sys.argv[2]
        del sys.argv[1:3]
    if sys.argv[1] == "capture":
        capture(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4],
                int(sys.argv[5]) if len(sys.argv) > 5 else None)
        return
    then = None
    if OPTS["spoof"]:
        sock = Spoofer(OPTS["spoof"], int(OPTS["sport"] or 7946))
        if OPTS["then"]:
            ip, delay = OPTS["then"].split(":")
            then = (Spoofer(ip, int(OPTS["sport"] or 7946)), float(delay))
    else:
        # The family of the address sent to (an IPv6 one has a colon).
        dst = sys.argv[2] if sys.argv[1] in ("resend", "replay") \
            else sys.argv[1]
        v6 = ":" in dst
        sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                             socket.SOCK_DGRAM)
        if OPTS["sport"]:
            sock.bind((OPTS["bind"] or ("::" if v6 else "0.0.0.0"),
                       int(OPTS["sport"])))
    if sys.argv[1] == "resend":
        addr, port = sys.argv[2], int(sys.argv[3])
        lines = [bytearray.fromhex(x) for x in open(sys.argv[4]).read().split()]
        for n in range(int(sys.argv[5])):
            data = bytearray(lines[n % len(lines)])
            if len(sys.argv) > 6:
                data[int(sys.argv[6])] ^= 0xff
            sock.sendto(bytes(data), (addr, port))
    elif sys.argv[1] == "replay":
        addr, port = sys.argv[2], int(sys.argv[3])
        line = open(sys.argv[4]).read().split()[int(sys.argv[5])]
        data = bytearray.fromhex(line)
        if len(sys.argv) > 6:
            data[int(sys.argv[6])] ^= 0xff
        sock.sendto(bytes(data), (addr, port))
    else:
        addr, port, kind, count = sys.argv[1], int(sys.argv[2]), \
            sys.argv[3], int(sys.argv[4])
        start = time.monotonic()
        for n in range(count):
            if OPTS["rate"]:
                wait = start + n / float(OPTS["rate"]) - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            sock.sendto(make(kind, n), (addr, port))
        if then:
            time.sleep(then[1])
            then[0].sendto(make("tree", 0), (addr, port))
    if OPTS["spoof"]:
        print(0)
        return
    back = answers(sock, WAIT, "dgram.py", bool(OPTS["all"]))
    if OPTS["types"]:
        print(" ".join(str(r[5]) for r in back if len(r) > 5) or "none")
        return
    print(sum(len(r) for r in back))


if __name__ == "__main__":
    main()
