#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ask a gossip node with a hand-made digest; print what it answered.

digest.py ADDR PORT SENDER LO HI [ORIGIN:MARK ...]
    sends one PULL_REQ (wire format v1, kmod/wire.h) from node id SENDER
    whose RANGE is LO..HI with the given MARKs, waits 0.5 s for the reply
    datagrams and prints them as JSON: a list of datagrams, each a list of
    records {"entry": [origin, version, key, value]} or
    {"mark": [origin, from, to]}.
digest.py ADDR PORT push SENDER ORIGIN VERSION KEY VALUE
    sends one PUSH datagram carrying that entry; prints the bytes answered.

--sport P, before the rest: send from UDP port P (a configured peer's).

An independent decoder of the format, so that tests do not trust the
module's own codec to check the module.
"""
import json
import socket
import struct
import sys

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
PUSH, PULL_REQ, PULL_REPLY = 1, 2, 4
REC_ENTRY, REC_RANGE, REC_MARK = 1, 2, 3


def rec(kind, body):
    return struct.pack(">BBH", kind, 0, len(body)) + body


def dgram(mtype, sender, records):
    payload = b"".join(records)
    return HDR.pack(MAGIC, 1, mtype, HDR.size + len(payload), sender,
                    len(records), 0) + payload


def entry(origin, version, key, value):
    return rec(REC_ENTRY, struct.pack(">IQBBH", origin, version, len(key), 0,
                                      len(value)) + key + value)


def decode(buf):
    magic, version, mtype, length, _, count, _ = HDR.unpack_from(buf)
    assert magic == MAGIC and version == 1 and length == len(buf), buf
    assert mtype == PULL_REPLY, mtype
    out, pos = [], HDR.size
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
        else:
            raise ValueError("record kind %d in a reply" % kind)
    assert len(out) == count
    return out


def main():
    sport = 0
    if sys.argv[1] == "--sport":
        sport = int(sys.argv[2])
        del sys.argv[1:3]
    addr, port = sys.argv[1], int(sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if sport:
        sock.bind(("0.0.0.0", sport))
    if sys.argv[3] == "push":
        sender, origin, version = (int(a) for a in sys.argv[4:7])
        key, value = sys.argv[7].encode(), sys.argv[8].encode()
        msg = dgram(PUSH, sender, [entry(origin, version, key, value)])
    else:
        sender, lo, hi = (int(a) for a in sys.argv[3:6])
        recs = [rec(REC_RANGE, struct.pack(">II", lo, hi))]
        for m in sys.argv[6:]:
            origin, mark = (int(x) for x in m.split(":"))
            recs.append(rec(REC_MARK, struct.pack(">IQQ", origin, 0, mark)))
        msg = dgram(PULL_REQ, sender, recs)
    sock.sendto(msg, (addr, port))
    sock.settimeout(0.5)
    replies = []
    try:
        while True:
            replies.append(sock.recv(65536))
    except socket.timeout:
        pass
    if sys.argv[3] == "push":
        print(sum(len(r) for r in replies))
    else:
        print(json.dumps([decode(r) for r in replies]))


if __name__ == "__main__":
    main()
