#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sealed gossip datagrams (kmod/wire.h, GOSSIP_WIRE_F_SEALED), opened and
made with the cluster key, independently of the module's code.

Two constructions are known, so that a test can say which one the module
under test used, by which one opens a datagram:
  xchacha  header (16) | counter (8) | random (16) | records | tag (16)
           XChaCha20-Poly1305, nonce = counter || random (24 bytes as sent)
  ietf     header (16) | counter (8) | records | tag (16)
           ChaCha20-Poly1305 (RFC 7539), nonce = sender (4) || counter (8)
           (the construction before nonces were made random)
In both the AAD is the header and the prefix as sent, then the cluster
label (not sent). KEYFILE holds the key as "gossipadm key gen" prints it
(64 hex digits).

sealed.py capture PORT FILE STOPFILE: receive datagrams on UDP PORT (any
address) until STOPFILE exists; write the sealed ones to FILE, a line each
in hex, and print how many.

sealed.py nonces KEYFILE FILE...: open every datagram of the FILEs with the
key; print "checked N opened-xchacha X opened-ietf Y unopened U repeated R"
and, for each nonce used twice, the two datagrams' senders and counters.
Exit status 0 only if every datagram opened and no nonce repeats.

sealed.py pick FILE SENDER: the first datagram of FILE whose header names
SENDER, in hex.

sealed.py send ADDR PORT HEX...: send these datagrams from one socket.

sealed.py forge ADDR PORT KEYFILE FIRST COUNT [COUNTER [PREFIX]]: send
COUNT push datagrams sealed (xchacha) with the key, from the senders FIRST
.. FIRST + COUNT - 1, with COUNTER (default 1); sender S carries one entry,
key PREFIX-S (default "ev"), value "v", origin S, version now in us.

sealed.py clamp SECONDS STOPFILE: set the wall clock to SECONDS (since the
epoch) again and again until STOPFILE exists, so that whatever reads it
meanwhile reads about SECONDS; print how many times it was set.
"""
import os
import socket
import struct
import sys
import time

try:
    from Cryptodome.Cipher import ChaCha20_Poly1305
except ImportError:  # pycryptodome installed as "Crypto"
    from Crypto.Cipher import ChaCha20_Poly1305

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
F_SEALED = 0x8000
TAG = 16


def load_key(path):
    return bytes.fromhex(open(path).read().split()[0])


def try_open(key, data, label=b""):
    """(construction, nonce, plaintext) of a datagram that opens, else None."""
    if len(data) < 16 + 8 + TAG:
        return None
    sender = data[8:12]
    for name, plen in (("xchacha", 24), ("ietf", 8)):
        if len(data) < 16 + plen + TAG:
            continue
        prefix = data[16:16 + plen]
        nonce = prefix if name == "xchacha" else sender + prefix
        c = ChaCha20_Poly1305.new(key=key, nonce=nonce)
        c.update(data[:16 + plen] + label)
        try:
            plain = c.decrypt_and_verify(data[16 + plen:-TAG], data[-TAG:])
        except ValueError:
            continue
        return name, nonce, plain
    return None


def seal(key, hdr_fields, counter, records, label=b""):
    """An xchacha-sealed datagram: header, counter, random, records, tag."""
    mtype, sender, count = hdr_fields
    prefix = struct.pack(">Q", counter) + os.urandom(16)
    total = 16 + len(prefix) + len(records) + TAG
    hdr = HDR.pack(MAGIC, 1, mtype, total, sender, count, F_SEALED)
    c = ChaCha20_Poly1305.new(key=key, nonce=prefix)
    c.update(hdr + prefix + label)
    ct, tag = c.encrypt_and_digest(records)
    return hdr + prefix + ct + tag


def entry(key, value, origin, version):
    body = struct.pack(">IQBBH", origin, version, len(key), 0,
                       len(value)) + key + value
    return struct.pack(">BBH", 1, 0, len(body)) + body


def capture(port, path, stop):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind(("0.0.0.0", port))
    sock.settimeout(0.2)
    n = 0
    with open(path + ".tmp", "w") as f:
        while True:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                if os.path.exists(stop):
                    break
                continue
            if len(data) >= 16 and HDR.unpack_from(data)[6] & F_SEALED:
                f.write(data.hex() + "\n")
                n += 1
    os.rename(path + ".tmp", path)
    print(n)


def nonces(key, paths):
    seen = {}
    counts = {"xchacha": 0, "ietf": 0, None: 0}
    checked = 0
    repeats = []
    for path in paths:
        for line in open(path).read().split():
            data = bytes.fromhex(line)
            checked += 1
            got = try_open(key, data)
            counts[got[0] if got else None] += 1
            if not got:
                continue
            sender = HDR.unpack_from(data)[4]
            counter = struct.unpack_from(">Q", data, 16)[0]
            if got[1] in seen:
                repeats.append((seen[got[1]], (sender, counter, got[2])))
            else:
                seen[got[1]] = (sender, counter, got[2])
    print("checked %d opened-xchacha %d opened-ietf %d unopened %d "
          "repeated %d" % (checked, counts["xchacha"], counts["ietf"],
                           counts[None], len(repeats)))
    for a, b in repeats[:5]:
        n = min(len(a[2]), len(b[2]))
        print("nonce repeated: sender %d counter %d and sender %d counter "
              "%d; their plaintexts differ in %d of %d bytes" %
              (a[0], a[1], b[0], b[1],
               sum(x != y for x, y in zip(a[2][:n], b[2][:n])), n))
    return 0 if not repeats and not counts[None] and checked else 1


def main():
    cmd = sys.argv[1]
    if cmd == "capture":
        capture(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif cmd == "nonces":
        sys.exit(nonces(load_key(sys.argv[2]), sys.argv[3:]))
    elif cmd == "pick":
        want = int(sys.argv[3])
        for line in open(sys.argv[2]).read().split():
            if HDR.unpack_from(bytes.fromhex(line))[4] == want:
                print(line)
                return
        sys.exit(1)
    elif cmd == "send":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for h in sys.argv[4:]:
            sock.sendto(bytes.fromhex(h), (sys.argv[2], int(sys.argv[3])))
    elif cmd == "forge":
        addr, port = sys.argv[2], int(sys.argv[3])
        key = load_key(sys.argv[4])
        first, count = int(sys.argv[5]), int(sys.argv[6])
        counter = int(sys.argv[7]) if len(sys.argv) > 7 else 1
        prefix = sys.argv[8].encode() if len(sys.argv) > 8 else b"ev"
        version = int(time.time() * 1e6)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for s in range(first, first + count):
            rec = entry(prefix + b"-%d" % s, b"v", s, version)
            sock.sendto(seal(key, (1, s, 1), counter, rec), (addr, port))
            if (s - first) % 64 == 63:
                time.sleep(0.01)	# the receiver's socket buffer
    elif cmd == "clamp":
        when = int(float(sys.argv[2]) * 1e9)
        stop = sys.argv[3]
        n = 0
        while not os.path.exists(stop):
            for _ in range(200):
                time.clock_settime_ns(time.CLOCK_REALTIME, when)
            n += 200
        print(n)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
