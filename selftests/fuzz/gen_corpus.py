#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of the wire fuzz target (wire format v1, kmod/wire.h).

gen_corpus.py [DIR]: (re)writes DIR (default: corpus/ beside this script)
with one file per datagram. A file's name says what the parser must answer:
ok-*.bin is accepted, err-KIND-*.bin is refused with GOSSIP_WIRE_ERR_KIND
(short, magic, version, type, length, entry); selftests/fuzz/smoke.sh checks
it. Every *.bin already in DIR is removed first.
"""
import os
import struct
import sys

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
PUSH, PULL_REQ, PUSHPULL_REQ, PULL_REPLY, SUMMARY, IHAVE, IWANT = range(1, 8)
TREE, PRUNE, GRAFT = range(8, 11)    # the eager tree's
ENTRY, RANGE, MARK, SUM, REF, PAD = 1, 2, 3, 4, 5, 6
TOMBSTONE = 0x01
KEY_MAX, VALUE_MAX = 64, 1024


def rec(kind, body, flags=0, blen=None):
    return struct.pack(">BBH", kind, flags,
                       len(body) if blen is None else blen) + body


def entry(key=b"color", value=b"blue", origin=7, version=1000, flags=0,
          klen=None, reserved=0, blen=None, kind=ENTRY, vlen=None):
    body = struct.pack(">IQBBH", origin, version,
                       len(key) if klen is None else klen, reserved,
                       len(value) if vlen is None else vlen) + key + value
    return rec(kind, body, flags, blen)


def ref(key=b"color", vlen=4, value=b"", **kw):
    """A REF: an entry's body without its value, whose length (vlen) it
    says; @value: bytes that do not belong there."""
    return entry(key, value, kind=REF, vlen=vlen, **kw)


def pad(n, flags=0, blen=None):
    return rec(PAD, bytes(n), flags, blen)


def rng(lo, hi, flags=0, blen=None):
    return rec(RANGE, struct.pack(">II", lo, hi), flags, blen)


def mark(origin, frm, to, flags=0, blen=None):
    return rec(MARK, struct.pack(">IQQ", origin, frm, to), flags, blen)


def summ(h=0x0123456789abcdef, entries=3, origins=2, flags=0, blen=None):
    return rec(SUM, struct.pack(">QII", h, entries, origins), flags, blen)


def dgram(mtype, records, magic=MAGIC, version=1, length=None, count=None,
          reserved=0, sender=42, extra=b""):
    payload = b"".join(records) + extra
    total = HDR.size + len(payload)
    return HDR.pack(magic, version, mtype,
                    total if length is None else length, sender,
                    len(records) if count is None else count,
                    reserved) + payload


def sealed(mtype, records, nonce=bytes(range(24)), tag=b"\xa5" * 16,
           length=None):
    """F_SEALED: counter (8) and random (16), the records (in the clear:
    the parser sees them after auth.c opened them), then the tag."""
    payload = nonce + b"".join(records) + tag
    total = HDR.size + len(payload)
    return HDR.pack(MAGIC, 1, mtype, total if length is None else length,
                    42, len(records), 0x8000) + payload


def trunc(data, n):
    """@data less its last @n bytes, the header's length kept honest."""
    data = data[:-n]
    return data[:6] + struct.pack(">H", len(data)) + data[8:]


ONE = entry()
DIGEST = [rng(1, 1000), mark(7, 0, 1000), mark(9, 0, 3), mark(500, 0, 12)]
# the same with hashes of the entries above the marks, one above `to`
HASHED = [rng(1, 1000), mark(7, 0x1234, 1000), mark(9, 2**63, 3),
          mark(500, 0, 12)]

SEEDS = {
    # valid, one of every type and the edges of every field
    "ok-push-one": dgram(PUSH, [ONE]),
    "ok-push-three": dgram(PUSH, [entry(b"a", b"1", 1, 1),
                                  entry(b"b", b"2", 2, 2),
                                  entry(b"c", b"3", 0xffffffff, 2**64 - 1)]),
    "ok-push-empty": dgram(PUSH, []),
    "ok-push-maxkey": dgram(PUSH, [entry(b"k" * KEY_MAX, b"v")]),
    "ok-push-maxvalue": dgram(PUSH, [entry(b"big", bytes(range(256)) * 4)]),
    "ok-push-emptyvalue": dgram(PUSH, [entry(b"empty", b"")]),
    "ok-push-tombstone": dgram(PUSH, [entry(b"gone", b"", flags=TOMBSTONE)]),
    "ok-pullreq-range": dgram(PULL_REQ, [rng(0, 0xffffffff)]),
    "ok-pullreq-news": dgram(PULL_REQ, [rng(0, 0xffffffff, flags=1)]),
    "ok-pullreq-marks": dgram(PULL_REQ, DIGEST),
    # a digest MARK's `from` is a hash of what its sender holds above `to`
    "ok-pullreq-markfrom": dgram(PULL_REQ, [rng(1, 99), mark(9, 1, 2)]),
    "ok-pullreq-markhash": dgram(PULL_REQ, [rng(1, 99),
                                            mark(9, 0xfeedfacecafebeef, 2),
                                            mark(10, 2**64 - 1, 0)]),
    "ok-pushpullreq": dgram(PUSHPULL_REQ, DIGEST + [ONE, entry(b"x", b"")]),
    "ok-pushpullreq-refs": dgram(PUSHPULL_REQ, HASHED + [ref(), ONE,
                                                         ref(b"x")]),
    "ok-reply-marks": dgram(PULL_REPLY, [ONE, entry(b"size", b"9", 7, 1001),
                                         mark(7, 900, 1001),
                                         mark(8, 5, 5)]),
    "ok-reply-refs": dgram(PULL_REPLY, [ref(b"new", origin=9), ONE,
                                        mark(7, 900, 1001),
                                        ref(b"gone", 0, flags=TOMBSTONE)]),
    "ok-reply-empty": dgram(PULL_REPLY, []),
    "ok-summary": dgram(SUMMARY, [summ()]),
    "ok-summary-acks": dgram(SUMMARY, [summ(flags=1)]),
    "ok-ihave": dgram(IHAVE, [ref()]),
    # REFs pushed down the sender's tree first (GOSSIP_REF_F_TREE)
    "ok-ihave-tree": dgram(IHAVE, [ref(flags=2),
                                   ref(b"gone", 0, flags=TOMBSTONE | 2)]),
    "ok-ihave-edges": dgram(IHAVE, [ref(b"a", 0, origin=1, version=1),
                                    ref(b"gone", 0, flags=TOMBSTONE),
                                    ref(b"k" * KEY_MAX, VALUE_MAX,
                                        origin=0xffffffff,
                                        version=2**64 - 1)]),
    "ok-iwant": dgram(IWANT, [ref()]),
    "ok-iwant-two": dgram(IWANT, [ref(b"a"), ref(b"gone", 0,
                                                 flags=TOMBSTONE)]),
    # a PAD of zeros, last: an IWANT's payment for the values it asks for
    "ok-iwant-pad": dgram(IWANT, [ref(), ref(b"big", VALUE_MAX),
                                  pad(VALUE_MAX + 4)]),
    "ok-iwant-pad-empty": dgram(IWANT, [ref(), pad(0)]),
    # the eager tree: values pushed down it, a link dropped, one asked for
    # (with the entries wanted, or none: a node with no link joins)
    "ok-tree": dgram(TREE, [ONE]),
    "ok-tree-tomb": dgram(TREE, [ONE, entry(b"gone", b"", flags=TOMBSTONE)]),
    # entries the sender asked for before its tree brought them
    # (GOSSIP_ENTRY_F_LATE, 0x02)
    "ok-tree-late": dgram(TREE, [entry(flags=2),
                                 entry(b"gone", b"", flags=TOMBSTONE | 2)]),
    "ok-prune": dgram(PRUNE, []),
    "ok-graft": dgram(GRAFT, [ref(), pad(8)]),
    "ok-graft-empty": dgram(GRAFT, []),
    "ok-sealed-tree": sealed(TREE, [ONE]),
    # paying ahead: a digest padded last; an answer cut short says so
    "ok-pullreq-pad": dgram(PULL_REQ, DIGEST + [pad(600)]),
    "ok-pushpull-pad": dgram(PUSHPULL_REQ, DIGEST + [ref(), pad(40)]),
    "ok-reply-cut": dgram(PULL_REPLY, [ONE, mark(7, 0, 1000), pad(0)]),
    "ok-reply-cut-alone": dgram(PULL_REPLY, [pad(0)]),
    # sealed: a 24-byte nonce (counter, random) after the header, a tag
    "ok-sealed-push": sealed(PUSH, [ONE]),
    "ok-sealed-pushpull": sealed(PUSHPULL_REQ, DIGEST),
    "ok-sealed-ihave": sealed(IHAVE, [ref()]),
    # refused, one or more of every error kind
    "err-short-empty": b"",
    "err-short-15": dgram(PUSH, [ONE])[:15],
    "err-magic": dgram(PUSH, [ONE], magic=0x47535351),
    "err-version": dgram(PUSH, [ONE], version=2),
    # a flag bit that is not SEALED (0x8000) or LABEL (0x4000)
    "err-version-reserved": dgram(PUSH, [ONE], reserved=0x0001),
    "err-type-zero": dgram(0, [ONE]),
    "err-type-eleven": dgram(11, [ONE]),
    "err-type-ref-in-tree": dgram(TREE, [ONE, ref()]),
    "err-type-pad-in-tree": dgram(TREE, [ONE, pad(0)]),
    "err-type-rec-in-prune": dgram(PRUNE, [pad(0)]),
    "err-type-entry-in-graft": dgram(GRAFT, [ref(), ONE]),
    "err-entry-tree-none": dgram(TREE, []),
    "err-entry-graft-padfirst": dgram(GRAFT, [pad(4), ref()]),
    "err-type-entry-in-summary": dgram(SUMMARY, [ONE]),
    "err-type-sum-in-reply": dgram(PULL_REPLY, [summ()]),
    "err-type-entry-in-ihave": dgram(IHAVE, [ONE]),
    "err-type-entry-in-iwant": dgram(IWANT, [ref(), ONE]),
    "err-type-mark-in-ihave": dgram(IHAVE, [ref(), mark(7, 0, 1)]),
    "err-type-range-in-iwant": dgram(IWANT, [rng(1, 2)]),
    "err-type-sum-in-ihave": dgram(IHAVE, [summ()]),
    "err-type-ref-in-push": dgram(PUSH, [ONE, ref()]),
    "err-type-ref-in-pullreq": dgram(PULL_REQ, DIGEST[:2] + [ref()]),
    "err-type-ref-in-summary": dgram(SUMMARY, [ref()]),
    "err-type-reckind": dgram(PUSH, [rec(7, b"abcd")]),
    "err-type-reckind-in-iwant": dgram(IWANT, [ref(), rec(7, b"abcd")]),
    "err-type-pad-in-ihave": dgram(IHAVE, [ref(), pad(4)]),
    "err-type-pad-in-push": dgram(PUSH, [ONE, pad(4)]),
    "err-type-pad-in-summary": dgram(SUMMARY, [summ(), pad(4)]),
    "err-type-mark-in-push": dgram(PUSH, [ONE, mark(7, 0, 1)]),
    "err-type-range-in-reply": dgram(PULL_REPLY, [rng(1, 2)]),
    # the 8-byte prefix of the former ChaCha20-Poly1305 format: the records
    # are read 16 bytes late, from the middle of the entry
    "err-type-sealed-oldprefix": sealed(PUSH, [ONE], nonce=bytes(8)),
    "err-type-entry-in-pullreq": dgram(PULL_REQ, DIGEST[:2] + [ONE]),
    "err-length-header-long": dgram(PUSH, [ONE], length=200),
    "err-length-header-short": dgram(PUSH, [ONE], length=17),
    "err-length-count": dgram(PUSH, [ONE], count=2),
    "err-length-recbody": dgram(PUSH, [entry(blen=200)]),
    "err-length-keylen": dgram(PUSH, [entry(klen=9)]),
    "err-length-trailing": dgram(PUSH, [ONE], extra=b"\x01\x00\x00"),
    "err-length-truncated": trunc(dgram(PUSH, [ONE]), 3),
    "err-length-rangebody": dgram(PULL_REQ, [rec(RANGE, b"\0" * 7)]),
    "err-length-markbody": dgram(PULL_REPLY, [rec(MARK, b"\0" * 21)]),
    "err-length-sumbody": dgram(SUMMARY, [rec(SUM, b"\0" * 15)]),
    # a REF's body is 16 + key length bytes, whatever its value length
    "err-length-refbody-long": dgram(IHAVE, [ref(value=b"\0")]),
    "err-length-refbody-short": dgram(IHAVE, [ref(b"colo", klen=5)]),
    "err-length-ref-withvalue": dgram(IWANT, [ref(value=b"blue")]),
    "err-length-ref-withvalue-reply": dgram(PULL_REPLY,
                                            [ref(value=b"blue")]),
    "err-length-padbody": dgram(IWANT, [ref(), pad(4, blen=5)]),
    # room for a nonce and a tag less one byte
    "err-length-sealed-short": sealed(PUSH, [], tag=b"\xa5" * 15),
    "err-entry-key0": dgram(PUSH, [entry(b"", b"v")]),
    "err-entry-key65": dgram(PUSH, [entry(b"k" * (KEY_MAX + 1), b"v")]),
    "err-entry-value1025": dgram(PUSH, [entry(b"k", b"v" * (VALUE_MAX + 1))]),
    "err-entry-origin0": dgram(PUSH, [entry(origin=0)]),
    "err-entry-version0": dgram(PUSH, [entry(version=0)]),
    "err-entry-reserved": dgram(PUSH, [entry(reserved=1)]),
    "err-entry-flag": dgram(PUSH, [entry(flags=4)]),
    "err-entry-tombstone-value": dgram(PUSH, [entry(flags=TOMBSTONE)]),
    "err-entry-range-upside": dgram(PULL_REQ, [rng(50, 40)]),
    "err-entry-range-flags": dgram(PULL_REQ, [rng(1, 2, flags=2)]),
    "err-entry-mark-origin0": dgram(PULL_REPLY, [mark(0, 1, 2)]),
    "err-entry-mark-fromto": dgram(PULL_REPLY, [mark(3, 9, 4)]),
    "err-entry-req-norange": dgram(PULL_REQ, []),
    "err-entry-req-markfirst": dgram(PULL_REQ, [mark(7, 0, 1), rng(1, 9)]),
    "err-entry-req-tworanges": dgram(PUSHPULL_REQ, [rng(1, 9), rng(1, 9)]),
    "err-entry-req-outside": dgram(PULL_REQ, [rng(1, 25), mark(30, 0, 1)]),
    "err-entry-req-order": dgram(PULL_REQ, [rng(1, 99), mark(9, 0, 1),
                                            mark(9, 0, 2)]),
    "err-entry-req-markafterentry": dgram(PUSHPULL_REQ, [rng(1, 99), ONE,
                                                         mark(9, 0, 1)]),
    "err-entry-req-markafterref": dgram(PUSHPULL_REQ, [rng(1, 99), ref(),
                                                       mark(9, 0, 1)]),
    "err-entry-req-reffirst": dgram(PUSHPULL_REQ, [ref(), rng(1, 9)]),
    # a valid entry then a bad one: the whole datagram is refused
    "err-entry-mixed": dgram(PUSH, [ONE, entry(reserved=1)]),
    "err-entry-summary-none": dgram(SUMMARY, []),
    "err-entry-summary-two": dgram(SUMMARY, [summ(), summ()]),
    "err-entry-summary-flags": dgram(SUMMARY, [summ(flags=2)]),
    "err-entry-ihave-none": dgram(IHAVE, []),
    "err-entry-iwant-none": dgram(IWANT, []),
    "err-entry-ref-value1025": dgram(IHAVE, [ref(vlen=VALUE_MAX + 1)]),
    "err-entry-ref-tombstone-value": dgram(PULL_REPLY,
                                           [ref(flags=TOMBSTONE)]),
    "err-entry-ref-key65": dgram(IWANT, [ref(b"k" * (KEY_MAX + 1))]),
    "err-entry-ref-origin0": dgram(IHAVE, [ref(origin=0)]),
    "err-entry-ref-version0": dgram(IHAVE, [ref(version=0)]),
    "err-entry-ref-reserved": dgram(IWANT, [ref(reserved=1)]),
    "err-entry-ref-flag": dgram(IHAVE, [ref(flags=4)]),
    # GOSSIP_ENTRY_F_LATE (0x02) is an entry's flag; a REF's 0x04 never
    "err-entry-tree-flag": dgram(TREE, [entry(flags=4)]),
    # a valid REF then a bad one: the whole announcement is refused
    "err-entry-ref-mixed": dgram(IHAVE, [ref(), ref(origin=0)]),
    "err-entry-iwant-padonly": dgram(IWANT, [pad(4)]),
    "err-entry-iwant-padfirst": dgram(IWANT, [pad(4), ref()]),
    "err-entry-iwant-twopads": dgram(IWANT, [ref(), pad(1), pad(0)]),
    "err-entry-pad-nonzero": dgram(IWANT, [ref(), rec(PAD, b"\0\0\x01")]),
    "err-entry-pullreq-padfirst": dgram(PULL_REQ, [pad(4)] + DIGEST),
    "err-entry-pullreq-padmark": dgram(PULL_REQ, [rng(1, 9), pad(4),
                                                  mark(7, 0, 3)]),
    "err-entry-reply-padentry": dgram(PULL_REPLY, [pad(0), ONE]),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".bin"):
            os.unlink(os.path.join(out, name))
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
    print("%d seeds, %d bytes in %s" % (len(SEEDS), sum(map(len, SEEDS.values())), out))


if __name__ == "__main__":
    main()
