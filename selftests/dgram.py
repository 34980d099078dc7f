#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made gossip datagrams (wire format v1, kmod/wire.h) to a node.

dgram.py ADDR PORT KIND COUNT: send COUNT datagrams of KIND from a fresh UDP
socket, then wait 0.5 s for any answer and print how many bytes came back
(a gossip node must never answer a datagram). KIND is one of KINDS below;
"valid" carries one entry key=wire-KEYn value=ok origin 7 version 1000+n.

dgram.py capture PORT COUNT FILE [TYPE]: receive COUNT datagrams on UDP
PORT (any address), of datagram type TYPE only if given, and write them to
FILE, one a line in hex; answer none.

dgram.py replay ADDR PORT FILE LINE [FLIP]: send datagram LINE (from 0) of
FILE; with FLIP, with the byte at offset FLIP (negative: from the end)
inverted. Then print the bytes that came back within 0.5 s.

dgram.py resend ADDR PORT FILE COUNT [FLIP]: send COUNT datagrams, the lines
of FILE in turn, each with byte FLIP inverted if given; print the bytes back.
"""
import os
import random
import socket
import struct
import sys

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")


def entry(key, value, origin=7, version=1000, klen=None, reserved=0):
    body = struct.pack(">IQBBH", origin, version,
                       len(key) if klen is None else klen, reserved,
                       len(value)) + key + value
    return struct.pack(">BBH", 1, 0, len(body)) + body


def dgram(records, magic=MAGIC, version=1, mtype=1, length=None, count=None,
          reserved=0):
    payload = b"".join(records)
    total = HDR.size + len(payload)
    return HDR.pack(magic, version, mtype,
                    total if length is None else length, 9,
                    len(records) if count is None else count,
                    reserved) + payload


def make(kind, n):
    key = b"wire-key%d" % n
    good = entry(key, b"ok", version=1000 + n)
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


def main():
    if sys.argv[1] == "capture":
        capture(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4],
                int(sys.argv[5]) if len(sys.argv) > 5 else None)
        return
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
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
        for n in range(count):
            sock.sendto(make(kind, n), (addr, port))
    sock.settimeout(0.5)
    got = 0
    try:
        while True:
            got += len(sock.recv(65536))
    except socket.timeout:
        pass
    print(got)


if __name__ == "__main__":
    main()
