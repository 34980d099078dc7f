#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ask a gossip node with a hand-made digest; print what it answered.

digest.py ADDR PORT SENDER LO HI [ORIGIN:MARK ...]
    sends one PULL_REQ (wire format v1, kmod/wire.h) from node id SENDER
    whose RANGE is LO..HI with the given MARKs, collects the reply
    datagrams until none came for WAIT (1 s) and prints them as JSON: a list of datagrams, each a list of
    records {"entry": [origin, version, key, value]},
    {"mark": [origin, from, to]} or {"ref": [origin, version, key,
    value length]} (an entry announced: kmod/send.c, "lazy push").
digest.py ADDR PORT push SENDER ORIGIN VERSION KEY VALUE
    sends one PUSH datagram carrying that entry; prints the bytes answered.
digest.py ADDR PORT push-many SENDER ORIGIN COUNT VERSION
    sends PUSH datagrams (of at most 1000 bytes) carrying COUNT entries of
    origins ORIGIN .. ORIGIN + COUNT - 1, key "o<origin>", value "x", all
    at VERSION; prints the bytes answered.
digest.py ADDR PORT mark-many SENDER FIRST COUNT TO
    sends PULL_REPLY datagrams of 57 MARK records each (1392 bytes), of
    MARK(origin, 0, TO) for origins FIRST .. FIRST + COUNT - 1; prints the
    bytes answered.
digest.py ADDR PORT push-keys SENDER ORIGIN COUNT VERSION
    sends one PUSH datagram carrying COUNT entries of origin ORIGIN, keys
    "k<origin>-<n>", value "x", at VERSION + n; prints the bytes answered.
digest.py ADDR PORT tomb SENDER ORIGIN VERSION KEY
    sends one PUSH datagram carrying a tombstone of KEY; prints the bytes
    answered.
digest.py ADDR PORT mark SENDER ORIGIN FROM TO
    sends one PULL_REPLY datagram carrying only MARK(ORIGIN, FROM, TO);
    prints the bytes answered.
digest.py decode FILE
    decodes the datagrams of FILE (one a line in hex, as dgram.py capture
    writes them), of any type: a JSON list of datagrams, each {"type": T,
    "records": [...]} with records as above and {"range": [lo, hi]}.

Options before ADDR: --sport PORT sends from that UDP source port (a
configured peer's address); --label TEXT sends with that cluster label in
the clear (flag LABEL) and expects it in what comes back.

Digests (PULL_REQ, PUSHPULL_REQ) that arrive while it waits are the
node's own rounds (our address is one of its peers), never an answer:
they are set aside and counted on stderr, in every mode.

--sport P, before the rest: send from UDP port P (a configured peer's).

An independent decoder of the format, so that tests do not trust the
module's own codec to check the module.
"""
import json
import socket
import struct
import sys

from dgram import answers

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
PUSH, PULL_REQ, PULL_REPLY = 1, 2, 4
WAIT = 1.0  # seconds of silence that end the answer
REC_ENTRY, REC_RANGE, REC_MARK, REC_REF, REC_PAD = 1, 2, 3, 5, 6


def rec(kind, body, flags=0):
    return struct.pack(">BBH", kind, flags, len(body)) + body


F_LABEL = 0x4000
LABEL = b""


def dgram(mtype, sender, records):
    payload = b"".join(records)
    prefix, flags = b"", 0
    if LABEL:
        prefix, flags = bytes([len(LABEL)]) + LABEL, F_LABEL
    return HDR.pack(MAGIC, 1, mtype, HDR.size + len(prefix) + len(payload),
                    sender, len(records), flags) + prefix + payload


F_TOMBSTONE = 0x01


def entry(origin, version, key, value, flags=0):
    """flags: the record's (F_TOMBSTONE), not the body's reserved byte."""
    return rec(REC_ENTRY, struct.pack(">IQBBH", origin, version, len(key),
                                      0, len(value)) + key + value, flags)


def decode(buf, want=PULL_REPLY):
    magic, version, mtype, length, _, count, flags = HDR.unpack_from(buf)
    assert magic == MAGIC and version == 1 and length == len(buf), buf
    assert want is None or mtype == want, mtype
    pos = HDR.size
    if flags & F_LABEL:
        pos += 1 + buf[pos]
    assert buf[HDR.size + 1:pos] == LABEL, buf[HDR.size + 1:pos]
    out = []
    while pos < len(buf):
        kind, _, blen = struct.unpack_from(">BBH", buf, pos)
        body = buf[pos + 4:pos + 4 + blen]
        pos += 4 + blen
        if kind == REC_ENTRY:
            origin, ver, klen, _, vlen = struct.unpack_from(">IQBBH", body)
            key = body[16:16 + klen].decode()
            val = body[16 + klen:16 + klen + vlen].decode()
            out.append({"entry": [origin, ver, key, val]})
        elif kind == REC_MARK:
            out.append({"mark": list(struct.unpack(">IQQ", body))})
        elif kind == REC_RANGE and want is None:
            out.append({"range": list(struct.unpack(">II", body))})
        elif kind == REC_REF:   # an entry announced, its value left out
            origin, ver, klen, _, vlen = struct.unpack_from(">IQBBH", body)
            out.append({"ref": [origin, ver, body[16:16 + klen].decode(),
                                vlen]})
        elif kind == REC_PAD:   # an answer cut short, a digest paying
            out.append({"pad": blen})
        else:
            raise ValueError("record kind %d in a reply" % kind)
    assert len(out) == count
    return out if want is not None else {"type": mtype, "records": out}


def push_many(sender, first, count, version):
    """PUSH datagrams of at most 1000 bytes: entries of origins first.."""
    msgs, recs, size = [], [], HDR.size
    for origin in range(first, first + count):
        r = entry(origin, version, b"o%d" % origin, b"x")
        if size + len(r) > 1000:
            msgs.append(dgram(PUSH, sender, recs))
            recs, size = [], HDR.size
        recs.append(r)
        size += len(r)
    return msgs + [dgram(PUSH, sender, recs)]


def main():
    global LABEL
    sport = 0
    while sys.argv[1].startswith("--"):
        if sys.argv[1] == "--sport":
            sport = int(sys.argv[2])
        elif sys.argv[1] == "--label":
            LABEL = sys.argv[2].encode()
        else:
            raise ValueError(sys.argv[1])
        del sys.argv[1:3]
    if sys.argv[1] == "decode":
        lines = open(sys.argv[2]).read().split()
        print(json.dumps([decode(bytes.fromhex(x), None) for x in lines]))
        return
    addr, port = sys.argv[1], int(sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", sport))
    msgs = None
    if sys.argv[3] == "push":
        sender, origin, version = (int(a) for a in sys.argv[4:7])
        key, value = sys.argv[7].encode(), sys.argv[8].encode()
        msg = dgram(PUSH, sender, [entry(origin, version, key, value)])
    elif sys.argv[3] == "push-many":
        msgs = push_many(*(int(a) for a in sys.argv[4:8]))
    elif sys.argv[3] == "mark-many":
        sender, first, count, to = (int(a) for a in sys.argv[4:8])
        marks = [rec(REC_MARK, struct.pack(">IQQ", o, 0, to))
                 for o in range(first, first + count)]
        msgs = [dgram(PULL_REPLY, sender, marks[i:i + 57])
                for i in range(0, len(marks), 57)]
    elif sys.argv[3] == "push-keys":
        sender, origin, count, version = (int(a) for a in sys.argv[4:8])
        msg = dgram(PUSH, sender, [entry(origin, version + n, b"k%d-%d" %
                                         (origin, n), b"x")
                                   for n in range(count)])
    elif sys.argv[3] == "tomb":
        sender, origin, version = (int(a) for a in sys.argv[4:7])
        msg = dgram(PUSH, sender, [entry(origin, version,
                                         sys.argv[7].encode(), b"",
                                         F_TOMBSTONE)])
    elif sys.argv[3] == "mark":
        sender, origin, frm, to = (int(a) for a in sys.argv[4:8])
        msg = dgram(PULL_REPLY, sender,
                    [rec(REC_MARK, struct.pack(">IQQ", origin, frm, to))])
    else:
        sender, lo, hi = (int(a) for a in sys.argv[3:6])
        recs = [rec(REC_RANGE, struct.pack(">II", lo, hi))]
        for m in sys.argv[6:]:
            origin, mark = (int(x) for x in m.split(":"))
            recs.append(rec(REC_MARK, struct.pack(">IQQ", origin, 0, mark)))
        msg = dgram(PULL_REQ, sender, recs)
    for m in msgs or [msg]:
        sock.sendto(m, (addr, port))
    replies = answers(sock, WAIT, "digest.py")
    if not sys.argv[3].isdigit():
        print(sum(len(r) for r in replies))
    else:
        print(json.dumps([decode(r) for r in replies]))


if __name__ == "__main__":
    main()
