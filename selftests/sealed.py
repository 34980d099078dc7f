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
In both the AAD is the header and the prefix as sent, then (xchacha only)
the address the datagram is sent to, 16 bytes of IPv6 (IPv4 mapped) and
the UDP port, then the cluster label (not sent). KEYFILE holds the key as "gossipadm key gen" prints it
(64 hex digits).

sealed.py capture PORT FILE STOPFILE: receive datagrams on UDP PORT (any
address) until STOPFILE exists; write the sealed ones to FILE, a line each
in hex, and print how many.

sealed.py nonces KEYFILE TO FILE...: the nonce of every datagram of the FILEs,
by the layout of the construction that opens them with the key, sent to
TO (ADDR:PORT, where they were captured): each
datagram is opened when there are at most 3000 (python under TCG opens
about a hundred a second), else 3000 spread over them (the first, the last,
evenly between), and all those must open with one construction.
GOSSIP_NONCE_SAMPLE sets another number than 3000 (make check-debug: 300;
every nonce is still compared). Print
"checked N opened-xchacha X opened-ietf Y unopened U repeated R" and, for
the first nonces used twice, the two datagrams' senders and counters.
Exit status 0 only if every datagram opened was opened, with one
construction, and no nonce repeats.

sealed.py pick FILE SENDER: the first datagram of FILE whose header names
SENDER, in hex.

sealed.py send ADDR PORT HEX...: send these datagrams from one socket.

sealed.py how KEYFILE TO FILE: the construction (xchacha or ietf) that
opens the first datagram of FILE, sent to TO (ADDR:PORT), with the key.

sealed.py forge ADDR PORT KEYFILE FIRST COUNT [COUNTER [PREFIX [HOW]]]:
send COUNT push datagrams sealed with the key (construction HOW, default
xchacha) to ADDR:PORT, from the senders FIRST .. FIRST + COUNT - 1, with COUNTER
(default 1); sender S carries one entry, key PREFIX-S (default "ev"),
value "v", origin S, version now in us.

sealed.py upat SECONDS NETNS...: for each named network namespace in turn,
set the wall clock to SECONDS (since the epoch) and at once send its gossip
instance GOSSIP_CMD_INSTANCE_UP (generic netlink, a socket made in that
namespace beforehand), which reads the clock first thing: every instance reads
SECONDS plus the same few microseconds, as after a snapshot restore or on
hosts whose clocks agree. The clock is left wherever it is; print the
microseconds each set-and-up took.
"""
import os
import socket
import struct
import sys
import time

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
F_SEALED = 0x8000
TAG = 16


def cipher(key, nonce):
    """ChaCha20-Poly1305 of pycryptodome (Debian's python3-pycryptodome is
    "Cryptodome"); imported only where needed: upat must start fast."""
    try:
        from Cryptodome.Cipher import ChaCha20_Poly1305
    except ImportError:  # pycryptodome installed as "Crypto"
        from Crypto.Cipher import ChaCha20_Poly1305
    return ChaCha20_Poly1305.new(key=key, nonce=nonce)


def load_key(path):
    return bytes.fromhex(open(path).read().split()[0])


CONSTRUCTIONS = [("xchacha", 24), ("ietf", 8)]


def to_aad(addr, port):
    """The receiver's address as the xchacha AAD holds it."""
    if ":" in addr:
        ip = socket.inet_pton(socket.AF_INET6, addr)
    else:
        ip = b"\0" * 10 + b"\xff\xff" + socket.inet_aton(addr)
    return ip + struct.pack(">H", port)


def parse_to(text):
    """ADDR:PORT (IPv6 as [ADDR]:PORT) as the AAD holds it."""
    addr, port = text.rsplit(":", 1)
    return to_aad(addr.strip("[]"), int(port))


def try_open(key, data, label=b"", to=b""):
    """(construction, nonce, plaintext) of a datagram sent to @to (to_aad)
    that opens, else None. The construction that opened the last one is
    tried first."""
    if len(data) < 16 + 8 + TAG:
        return None
    sender = data[8:12]
    for i, (name, plen) in enumerate(CONSTRUCTIONS):
        if len(data) < 16 + plen + TAG:
            continue
        prefix = data[16:16 + plen]
        nonce = prefix if name == "xchacha" else sender + prefix
        c = cipher(key, nonce)
        c.update(data[:16 + plen] + (to if name == "xchacha" else b"") +
                 label)
        try:
            plain = c.decrypt_and_verify(data[16 + plen:-TAG], data[-TAG:])
        except ValueError:
            continue
        CONSTRUCTIONS.insert(0, CONSTRUCTIONS.pop(i))
        return name, nonce, plain
    return None


def seal(key, hdr_fields, counter, records, label=b"", how="xchacha",
         to=b""):
    """A sealed datagram to @to (to_aad), construction @how: header,
    counter (and random bytes for xchacha), records, tag."""
    mtype, sender, count = hdr_fields
    prefix = struct.pack(">Q", counter)
    if how == "xchacha":
        prefix += os.urandom(16)
    total = 16 + len(prefix) + len(records) + TAG
    hdr = HDR.pack(MAGIC, 1, mtype, total, sender, count, F_SEALED)
    c = cipher(key, prefix if how == "xchacha" else hdr[8:12] + prefix)
    c.update(hdr + prefix + (to if how == "xchacha" else b"") + label)
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


def nonces(key, to, paths, sample=3000):
    data = [bytes.fromhex(line) for path in paths
            for line in open(path).read().split()]
    n = len(data)
    if n <= sample:
        opened = range(n)
    else:
        opened = sorted({i * (n - 1) // (sample - 1) for i in range(sample)})
    counts = {"xchacha": 0, "ietf": 0, None: 0}
    for i in opened:
        got = try_open(key, data[i], to=to)
        counts[got[0] if got else None] += 1
    used = [c for c in ("xchacha", "ietf") if counts[c]]
    seen = {}
    repeats = []
    for d in data:
        sender = HDR.unpack_from(d)[4]
        counter = struct.unpack_from(">Q", d, 16)[0]
        if used == ["ietf"]:
            nonce = d[8:12] + d[16:24]
        else:
            nonce = d[16:40]
        if nonce in seen:
            repeats.append((seen[nonce], (sender, counter, d)))
        else:
            seen[nonce] = (sender, counter, d)
    print("checked %d (opened %d) opened-xchacha %d opened-ietf %d "
          "unopened %d repeated %d" % (n, len(opened), counts["xchacha"],
                                       counts["ietf"], counts[None],
                                       len(repeats)))
    for a, b in repeats[:5]:
        print("nonce repeated: sender %d counter %d, %d and %d bytes" %
              (a[0], a[1], len(a[2]), len(b[2])))
    ok = n and not repeats and not counts[None] and len(used) == 1
    return 0 if ok else 1


NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLMSG_ERROR = 1, 4, 2
GOSSIP_CMD_INSTANCE_UP = 3	# include/uapi/linux/gossip.h
CLONE_NEWNET = 0x40000000


def genl_msg(family, cmd, attrs=b"", seq=1):
    body = struct.pack("=BBH", cmd, 2, 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), family,
                       NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body


def nl_attr(kind, data):
    a = struct.pack("=HH", 4 + len(data), kind) + data
    return a + b"\0" * (-len(a) % 4)


def nl_ack(sock):
    """The error code of the kernel's answer (0: done)."""
    data = sock.recv(65536)
    length, kind = struct.unpack_from("=IH", data)
    if kind == NLMSG_ERROR:
        return struct.unpack_from("=i", data, 16)[0]
    return 0


def gossip_family():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.send(genl_msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                       nl_attr(CTRL_ATTR_FAMILY_NAME, b"gossip\0")))
    data = sock.recv(65536)
    pos = 20
    while pos + 4 <= len(data):
        alen, kind = struct.unpack_from("=HH", data, pos)
        if kind == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", data, pos + 4)[0]
        pos += (alen + 3) & ~3
    sys.exit("no generic netlink family gossip")


def upat(when_ns, names):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    family = gossip_family()
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    socks = []
    for name in names:
        fd = os.open("/run/netns/" + name, os.O_RDONLY)
        if libc.setns(fd, CLONE_NEWNET):
            sys.exit("setns %s: errno %d" % (name, ctypes.get_errno()))
        os.close(fd)
        socks.append(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                   NETLINK_GENERIC))
    libc.setns(home, CLONE_NEWNET)
    msg = genl_msg(family, GOSSIP_CMD_INSTANCE_UP)
    settime, clock, mono = (time.clock_settime_ns, time.CLOCK_REALTIME,
                            time.monotonic_ns)
    took, errs = [], []
    for sock in socks:
        t = mono()
        settime(clock, when_ns)
        sock.send(msg)		# the instance is up when send returns
        took.append((mono() - t) // 1000)
        errs.append(nl_ack(sock))
    print("set-and-up (us): %s" % " ".join(map(str, took)))
    if any(errs):
        sys.exit("up failed: %s" % errs)


def main():
    cmd = sys.argv[1]
    if cmd == "capture":
        capture(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif cmd == "nonces":
        sys.exit(nonces(load_key(sys.argv[2]), parse_to(sys.argv[3]),
                        sys.argv[4:],
                        int(os.environ.get("GOSSIP_NONCE_SAMPLE", 3000))))
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
    elif cmd == "how":
        key = load_key(sys.argv[2])
        to = parse_to(sys.argv[3])
        for line in open(sys.argv[4]).read().split():
            got = try_open(key, bytes.fromhex(line), to=to)
            if got:
                print(got[0])
                return
        sys.exit(1)
    elif cmd == "forge":
        addr, port = sys.argv[2], int(sys.argv[3])
        key = load_key(sys.argv[4])
        first, count = int(sys.argv[5]), int(sys.argv[6])
        counter = int(sys.argv[7]) if len(sys.argv) > 7 else 1
        prefix = sys.argv[8].encode() if len(sys.argv) > 8 else b"ev"
        how = sys.argv[9] if len(sys.argv) > 9 else "xchacha"
        version = int(time.time() * 1e6)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for s in range(first, first + count):
            rec = entry(prefix + b"-%d" % s, b"v", s, version)
            sock.sendto(seal(key, (1, s, 1), counter, rec, how=how,
                             to=to_aad(addr, port)), (addr, port))
            if (s - first) % 64 == 63:
                time.sleep(0.01)	# the receiver's socket buffer
    elif cmd == "upat":
        upat(int(sys.argv[2]) * 10**9, sys.argv[3:])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
