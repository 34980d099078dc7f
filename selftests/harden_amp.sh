#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a node sends back, and to whom: no amplification, and a rate limiter
# that spoofed junk cannot turn on a real peer.
#
# 1. A datagram of max-dgram + 1 bytes is dropped before it is read:
#    rx_err_size +1, nothing else moves (but rx_dgrams and rx_bytes, which
#    count every datagram that arrives).
# 2. n1 holds 5000 entries. From n3, not a peer of n1: a digest of an empty
#    node (range 0..2^32-1), a push, a push-pull request. Nothing comes back
#    (0 bytes), rx_req_stranger moves by exactly the digests sent.
# 3. From n4:7946, a configured peer of n1, without keys (anyone can send
#    with that address): digests are answered with at most the bytes that
#    address sent n1; tx_reply_cut moves. So are summaries that differ
#    from n1's (answered with its digest and summary); a non-peer's get
#    nothing back.
# 4. Eager forwarding (push mode, eager on): a non-peer's new entry is
#    applied but not forwarded (tx_eager does not move); a peer's is.
# 5. Lazy push (push mode, eager on): from n3, not a peer, IHAVEs of
#    entries n1 lacks and IWANTs of entries it holds, padded or not: nothing
#    comes back (0 bytes), rx_req_stranger moves by each, tx_iwant and
#    tx_fetched do not. From n4:7946 without keys: IWANTs are answered
#    within the credit (out <= in after each, tx_reply_cut moves, the
#    entries the credit pays for come); a padded one (PAD: its values'
#    length) gets all it names in one PUSH. An IHAVE of an entry n1 lacks
#    (one the stranger announced just before: that claimed nothing) gets
#    exactly one IWANT naming it (a GRAFT: an IWANT that also asks to be a
#    link of the eager tree, n1 having none), tx_iwant +1, padded (n1 has
#    no key)
#    as far as n1's credit for n4:7946 pays: not at all when the IHAVE is
#    all n4:7946 sent, with the value's length after a push; the same
#    IHAVE again 1 s later, none; 8 s later (no answer came within an
#    eighth of the interval), asked again, within the credit. A forged
#    answer in n4:7946's name that says it was cut short (a PAD last)
#    makes n1 pay ahead: one digest to n4:7946, padded with that answer's
#    bytes, once.
# 6. With keys on n1 and n5 (a gossip node, pull mode, peer of n1), n5's
#    sealed digests get the full answer: GOSSIP_REPLY_DGRAMS (8) datagrams
#    each, nothing cut.
# 7. The limiter of rejected datagrams: n9 forges n7's address (a raw
#    socket) and sends junk to n6 and n8 at 10x their reject-rate while n7
#    publishes: every junk datagram is read and counted (rx_err_magic), none
#    of n7's datagrams is dropped unread, its value reaches n6 and n8.
#
#   n1 (target)  n2, n3, n4 (dgram.py, lazy.py)  n5 (gossip, keyed)
#   n6, n7, n8 (gossip cluster)  n9 (raw socket, forges n7)
#        all on br0 (hub)

source "$(dirname "$0")/lib.sh"

test_begin 28
CLUSTER_N=1
hub_create
for i in 1 2 3 4 5 6 7 8 9; do
	node_create "$i"
done
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"; cleanup' EXIT
DGRAM="$LIB_DIR/dgram.py"
N1=$(node_addr 1)

# counters I NAME...: node I's counters NAME..., one line, in that order.
counters() {
	local i=$1 c out=""
	shift
	local -A v
	while read -r c n; do
		v[$c]=$n
	done < <(gadm "$i" stats)
	for c in "$@"; do
		out="$out ${v[$c]}"
	done
	echo $out
}

# A 60 s interval: no round fires within a phase (up starts the timer, the
# first round comes 54..66 s later), so what n1 sends is only its answers.
gadm 1 set node-id 1 interval 60000 mode pull eager off
gadm 1 up

# ---- 1. the size bound -----------------------------------------------------
ALL="rx_dgrams rx_bytes rx_err_size rx_err_entry rx_err_short rx_err_length
rx_err_ratelimit rx_err_nomem rumors_applied"
read -r -a b < <(counters 1 $ALL)
on 2 python3 "$DGRAM" --len 1401 "$N1" 7946 sized 1 >/dev/null
sleep 1
read -r -a a < <(counters 1 $ALL)
moved="" ok=1 k=0
for c in $ALL; do
	d=$((a[k] - b[k]))
	moved="$moved $c+$d"
	case $c in
	rx_err_size | rx_dgrams) [ $d -eq 1 ] || ok=0 ;;
	rx_bytes) [ $d -eq 1401 ] || ok=0 ;;
	*) [ $d -eq 0 ] || ok=0 ;;
	esac
	k=$((k + 1))
done
ktap_print_msg "one datagram of max-dgram + 1 = 1401 bytes:$moved"
ktap_result "a datagram of max-dgram + 1 bytes: rx_err_size +1 (and rx_dgrams +1, rx_bytes +1401), nothing else moves" \
	test $ok -eq 1
read -r -a b < <(counters 1 rx_dgrams rx_err_size rx_err_entry)
on 2 python3 "$DGRAM" --len 1400 "$N1" 7946 sized 1 >/dev/null
sleep 1
read -r -a a < <(counters 1 rx_dgrams rx_err_size rx_err_entry)
ktap_result "one of max-dgram bytes is read (rx_dgrams +1, its 1354-byte value: rx_err_entry +1)" \
	test $((a[0] - b[0])) -eq 1 -a $((a[1] - b[1])) -eq 0 -a $((a[2] - b[2])) -eq 1

# ---- 2. 5000 entries, asked by a stranger -----------------------------------
on 2 python3 "$DGRAM" --rate 2000 "$N1" 7946 bulk 200 >/dev/null
have_5000() { [ "$(sysstat 1 entries)" -ge 5000 ]; }
ktap_result "n1 holds 5000 entries (200 pushes of 25)" slowwait 30 have_5000

# exchange NODE N KIND [OPTIONS...]: N datagrams of KIND from NODE
# (dgram.py OPTIONS) to n1; prints "IN OUT STRANGER CUT REQUESTS": the bytes n1 received, the
# bytes that came back to the sender, how much rx_req_stranger,
# tx_reply_cut and rx_requests moved.
exchange() {
	local node=$1 n=$2 kind=$3 back
	shift 3
	read -r -a b < <(counters 1 rx_bytes rx_req_stranger tx_reply_cut rx_requests rx_dgrams)
	back=$(on "$node" python3 "$DGRAM" "$@" "$N1" 7946 "$kind" "$n")
	seen() { [ $(($(sysstat 1 rx_dgrams) - b[4])) -ge "$1" ]; }
	slowwait 10 seen "$n"
	read -r -a a < <(counters 1 rx_bytes rx_req_stranger tx_reply_cut rx_requests rx_dgrams)
	echo $((a[0] - b[0])) "$back" $((a[1] - b[1])) $((a[2] - b[2])) $((a[3] - b[3]))
}
# ratio IN OUT: OUT / IN, two decimals.
ratio() { awk -v i="$1" -v o="$2" 'BEGIN { printf "%.2f", i ? o / i : 0 }'; }

for kind in digest:10:10 valid:10:0 pushpull:10:10; do
	IFS=: read -r k n digests <<<"$kind"
	read -r in out stranger cut req < <(exchange 3 "$n" "$k")
	ktap_print_msg "non-peer, $n x $k: $in bytes in, $out bytes out, ratio $(ratio "$in" "$out"), rx_req_stranger +$stranger"
	ktap_result "non-peer $k: 0 bytes back, rx_req_stranger +$digests" \
		test "$out" -eq 0 -a "$stranger" -eq "$digests" -a "$in" -gt 0
done

# ---- 3. a configured peer's address, no keys ---------------------------------
gadm 1 peer add "$(node_addr 4)"
tot_in=0 tot_out=0 tot_cut=0
for k in digest pushpull digest; do
	read -r in out stranger cut req < <(exchange 4 10 "$k" --sport 7946)
	ktap_print_msg "peer address, no keys, 10 x $k: $in bytes in, $out bytes out, ratio $(ratio "$in" "$out"), tx_reply_cut +$cut"
	tot_in=$((tot_in + in)) tot_out=$((tot_out + out)) tot_cut=$((tot_cut + cut))
done
ktap_print_msg "over the exchange: $tot_in bytes in, $tot_out bytes out, ratio $(ratio $tot_in $tot_out)"
ktap_result "unauthenticated peer: bytes out <= bytes in, tx_reply_cut moved" \
	test "$tot_out" -le "$tot_in" -a "$tot_cut" -gt 0
# Credit honestly earned: pushes of one entry n1 holds (duplicates), then
# one digest: answered with what the pushes paid for.
read -r in out stranger cut req < <(exchange 4 40 valid --sport 7946 \
	--entry 500:1:bulk-0-0:vvvvvvvvvvvvvvvvvvvv)
read -r in2 out2 stranger cut req < <(exchange 4 1 digest --sport 7946)
tot_in=$((tot_in + in + in2)) tot_out=$((tot_out + out + out2))
ktap_print_msg "40 duplicate pushes ($in bytes), then a digest ($in2 bytes): $out2 bytes back; in all $tot_in bytes in, $tot_out out"
ktap_result "credit earned: an answer comes back, in all no more than was sent" \
	test "$out2" -gt 0 -a "$tot_out" -le "$tot_in"

# Summaries (a quiet node's, send.c) that differ from n1's: a peer's is
# answered with n1's digest and summary, within the same credit; a
# stranger's with nothing. No round fires (60 s: down/up restarts the
# timer, and keeps the peers and their credit), so every datagram back is
# an answer: dgram.py --all counts the digests and summaries too.
gadm 1 down
gadm 1 up
read -r d0 < <(counters 1 rx_sum_differ)
read -r in out stranger cut req < <(exchange 3 10 summary --all 1)
read -r d1 < <(counters 1 rx_sum_differ)
ktap_print_msg "non-peer, 10 x summary: $in bytes in, $out bytes out, rx_req_stranger +$stranger, rx_sum_differ +$((d1 - d0))"
ktap_result "non-peer summary: 0 bytes back, rx_req_stranger +10, rx_sum_differ +0" \
	test "$out" -eq 0 -a "$stranger" -eq 10 -a $((d1 - d0)) -eq 0 -a "$in" -gt 0
read -r in out stranger cut req < <(exchange 4 10 summary --sport 7946 --all 1)
read -r d2 < <(counters 1 rx_sum_differ)
tot_in=$((tot_in + in)) tot_out=$((tot_out + out))
ktap_print_msg "peer address, no keys, 10 x summary: $in bytes in, $out bytes out, tx_reply_cut +$cut, rx_sum_differ +$((d2 - d1)); in all $tot_in bytes in, $tot_out out"
ktap_result "unauthenticated peer's summaries: rx_sum_differ +10, answered, in all no more than was sent" \
	test $((d2 - d1)) -eq 10 -a "$out" -gt 0 -a "$tot_out" -le "$tot_in"

# ---- 4. eager forwarding only for peers ------------------------------------
gadm 1 down
gadm 1 set mode push eager on
gadm 1 peer add "$(node_addr 5)"
gadm 1 up
read -r e0 < <(counters 1 tx_eager)
on 3 python3 "$DGRAM" --entry 3:77:from-stranger:s "$N1" 7946 valid 1 >/dev/null
got_it() { [ "$(gadm 1 get "$1" 2>/dev/null)" = "$2" ]; }
slowwait 10 got_it from-stranger s
read -r e1 < <(counters 1 tx_eager)
ktap_print_msg "a non-peer's new entry: stored '$(gadm 1 get from-stranger 2>/dev/null)', tx_eager +$((e1 - e0))"
ktap_result "a non-peer's push: applied, not forwarded (tx_eager +0)" \
	test "$(gadm 1 get from-stranger 2>/dev/null)" = s -a $((e1 - e0)) -eq 0
on 4 python3 "$DGRAM" --sport 7946 --entry 4:77:from-peer:p "$N1" 7946 valid 1 >/dev/null
slowwait 10 got_it from-peer p
# Announced a tenth of an interval (6 s) later: it went down the eager tree
# first (n1 has no link, so to nobody: send.c, "the eager tree").
eager_moved() { read -r e2 < <(counters 1 tx_eager); [ "$e2" -gt "$e1" ]; }
slowwait 20 eager_moved
ktap_result "a peer's push: forwarded to the other peer (tx_eager +1)" \
	test $((e2 - e1)) -eq 1

# ---- 5. lazy push: announcements, from a stranger and a peer's address -----
# n1 is in push mode, eager on (phase 4): it announces entries in IHAVEs
# and answers IWANTs (send.c, "lazy push"). lazy.py builds them (wire.h:
# an IHAVE (6) or IWANT (7) carries REFs, kind 5, an entry's body without
# its value; an IWANT may end with a PAD, kind 6, of zero bytes) and
# exchanges them: see its top.
LAZY="$TMPD/lazy.py"
cat >"$LAZY" <<'EOF'
# lazy.py build OUT SPEC...: one datagram per SPEC, a line of hex each, to
#   OUT. SPEC is TYPE/REC/REC...; REC is ref:ORIGIN:VERSION:KEY:VLEN (a REF:
#   the entry's body, its VLEN-byte value left out), entry:ORIGIN:VERSION:
#   KEY:VLEN (an ENTRY, its value value_of(KEY, VLEN)), range:LO:HI (a
#   digest's RANGE, kind 2) or pad:LEN.
# lazy.py send [--sport P] [--gap S] ADDR PORT IN OUT: send the datagrams of
#   IN in turn, S seconds apart; keep what comes back (until none came for
#   0.5 s after the last) in OUT, a line "I HEX" each, I the last datagram
#   sent before it; print the bytes that came back.
# lazy.py answers MAX IN OUT: of the datagrams in OUT, answers to the IWANTs
#   in IN, print "PUSHES ENTRIES BYTES PREFIX FOREIGN MODEL": the PUSHes,
#   their entries (each of a key an IWANT sent before named, at least as
#   new, of the value length named), the bytes; PREFIX 1 if after each
#   IWANT the bytes back so far were at most the bytes sent so far;
#   FOREIGN the datagrams and records that are none of those; MODEL the
#   entries that a node answering each IWANT within its reply credit (the
#   bytes it received less the bytes it sent), in one datagram of at most
#   MAX bytes, sends.
# lazy.py describe OUT: each datagram of OUT, a line: "T<type> S<sender>
#   C<count> F<flags> L<length>", then its records.
import socket
import struct
import sys
import time

MAGIC = 0x47535350
HDR = struct.Struct(">IBBHIHH")
ENT = struct.Struct(">IQBBH")
PUSH, IHAVE, IWANT = 1, 6, 7
ENTRY, RANGE, REF, PAD = 1, 2, 5, 6
QUIET = 0.5


def value_of(key, n):
    return ((key + b"/") * (n // (len(key) + 1) + 1))[:n]


def rec(kind, body):
    return struct.pack(">BBH", kind, 0, len(body)) + body


def build(spec):
    parts = spec.split("/")
    recs = []
    for p in parts[1:]:
        f = p.split(":")
        if f[0] in ("ref", "entry"):
            key, vlen = f[3].encode(), int(f[4])
            body = ENT.pack(int(f[1]), int(f[2]), len(key), 0, vlen) + key
            if f[0] == "entry":
                recs.append(rec(ENTRY, body + value_of(key, vlen)))
            else:
                recs.append(rec(REF, body))
        elif f[0] == "pad":
            recs.append(rec(PAD, bytes(int(f[1]))))
        elif f[0] == "range":
            recs.append(rec(RANGE, struct.pack(">II", int(f[1]), int(f[2]))))
        else:
            raise SystemExit("lazy.py: bad record " + p)
    payload = b"".join(recs)
    return HDR.pack(MAGIC, 1, int(parts[0]), HDR.size + len(payload), 9,
                    len(recs), 0) + payload


def parse(d):
    """(header fields, records): (kind, flags, origin, version, key,
    value_len, value or None) for ENTRY and REF, (kind, flags, body) else."""
    if len(d) < HDR.size:
        return None, []
    recs, p = [], HDR.size
    while p + 4 <= len(d):
        kind, flags, blen = struct.unpack_from(">BBH", d, p)
        body = d[p + 4:p + 4 + blen]
        p += 4 + blen
        if kind in (ENTRY, REF) and len(body) >= ENT.size:
            o, v, klen, _, vlen = ENT.unpack_from(body)
            key = body[ENT.size:ENT.size + klen]
            val = body[ENT.size + klen:] if kind == ENTRY else None
            recs.append((kind, flags, o, v, key, vlen, val))
        else:
            recs.append((kind, flags, body))
    return HDR.unpack_from(d), recs


def lines(path):
    return [bytes.fromhex(x) for x in open(path).read().split()]


def replies(path):
    out = []
    for line in open(path).read().splitlines():
        i, h = line.split()
        out.append((int(i), bytes.fromhex(h)))
    return out


def send(argv):
    sport, gap = None, 0.0
    while argv[0].startswith("--"):
        if argv[0] == "--sport":
            sport = int(argv[1])
        elif argv[0] == "--gap":
            gap = float(argv[1])
        argv = argv[2:]
    addr, port, src, dst = argv[0], int(argv[1]), argv[2], argv[3]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if sport:
        sock.bind(("0.0.0.0", sport))
    got = []

    def collect(i, until):
        """Until @until, or (None) until none came for QUIET s; then what
        is queued (it came before the next datagram is sent)."""
        last = time.monotonic()
        while True:
            end = last + QUIET if until is None else until
            sock.settimeout(max(end - time.monotonic(), 0))
            try:
                data = sock.recv(65536)
            except (socket.timeout, BlockingIOError):
                return
            got.append((i, data))
            last = time.monotonic()

    dgrams = lines(src)
    for i, d in enumerate(dgrams):
        sock.sendto(d, (addr, port))
        if gap:
            collect(i, time.monotonic() + gap)
    collect(len(dgrams) - 1, None)
    with open(dst, "w") as f:
        for i, d in got:
            f.write("%d %s\n" % (i, d.hex()))
    print(sum(len(d) for _, d in got))


def answers(argv):
    cap, asks, got = int(argv[0]), lines(argv[1]), replies(argv[2])
    named = []
    for d in asks:
        named.append({r[4]: r for r in parse(d)[1] if r[0] == REF})
    pushes = entries = foreign = 0
    prefix = 1
    for k in range(len(asks)):
        if sum(len(d) for i, d in got if i <= k) > \
                sum(len(d) for d in asks[:k + 1]):
            prefix = 0
    for i, d in got:
        h, recs = parse(d)
        if not h or h[2] != PUSH or h[3] != len(d) or h[5] != len(recs):
            foreign += 1
            continue
        pushes += 1
        asked = {}
        for n in named[:i + 1]:
            asked.update(n)
        for r in recs:
            want = asked.get(r[4]) if r[0] == ENTRY else None
            if not want or (r[3], r[2]) < (want[3], want[2]) or \
                    r[5] != want[5] or len(r[6]) != r[5] or \
                    (r[4].startswith(b"lazy-") and
                     r[6] != value_of(r[4], r[5])):
                foreign += 1
            else:
                entries += 1
    credit = model = 0
    for d, want in zip(asks, named):
        credit += len(d)
        size, n = HDR.size, 0
        for r in want.values():
            need = 4 + ENT.size + len(r[4]) + r[5]
            if size + need <= min(cap, credit):
                size += need
                n += 1
        if n:
            credit -= size
            model += n
    print(pushes, entries, sum(len(d) for _, d in got), prefix, foreign,
          model)


def describe(argv):
    for i, d in replies(argv[0]):
        h, recs = parse(d)
        if not h:
            print("%d short:%d" % (i, len(d)))
            continue
        out = ["%d T%d S%d C%d F%d L%d" % (i, h[2], h[4], h[5], h[6], len(d))]
        if h[0] != MAGIC or h[1] != 1 or h[3] != len(d):
            out.append("badheader")
        for r in recs:
            if r[0] in (ENTRY, REF):
                out.append("%s:%d:%d:%s:%d:%d" % (
                    "ref" if r[0] == REF else "entry", r[2], r[3],
                    r[4].decode(errors="replace"), r[5], r[1]))
            elif r[0] == PAD:
                out.append("pad:%d:%s" % (len(r[2]),
                                          "nonzero" if any(r[2]) else "zero"))
            else:
                out.append("kind%d:%d" % (r[0], len(r[2])))
        print(" ".join(out))


cmd, argv = sys.argv[1], sys.argv[2:]
if cmd == "build":
    with open(argv[0], "w") as f:
        for spec in argv[1:]:
            f.write(build(spec).hex() + "\n")
else:
    {"send": send, "answers": answers, "describe": describe}[cmd](argv)
EOF

# lazy_xchg NODE IN OUT [SEND OPTIONS...]: the datagrams of IN from NODE to
# n1 (lazy.py send), what came back in OUT; sets BACK (the bytes back) and
# D[C], how much n1's counter C of LAZY_C moved.
LAZY_C="rx_dgrams rx_bytes rx_req_stranger tx_iwant tx_fetched tx_reply_cut
tx_ihave rounds"
declare -A D
lazy_xchg() {
	local node=$1 in=$2 out=$3 n c k=0
	shift 3
	n=$(wc -l <"$in")
	read -r -a b < <(counters 1 $LAZY_C)
	BACK=$(on "$node" python3 "$LAZY" send "$@" "$N1" 7946 "$in" "$out")
	seen() { [ $(($(sysstat 1 rx_dgrams) - b[0])) -ge "$1" ]; }
	slowwait 10 seen "$n"
	read -r -a a < <(counters 1 $LAZY_C)
	for c in $LAZY_C; do
		D[$c]=$((a[k] - b[k]))
		k=$((k + 1))
	done
}

# described OUT HEAD: the datagrams of OUT (lazy.py describe) in got, and
# printed, a line each, under the line HEAD.
described() {
	got=$(python3 "$LAZY" describe "$1")
	ktap_print_msg "$2"
	while read -r l; do ktap_print_msg "  ${l:0:160}"; done <<<"$got"
}

# n2 (a stranger: applied, not forwarded) pushes lazy-big-00..39, origin
# 600, versions 1..40, 300-byte values, 4 to a datagram.
specs=()
for ((i = 0; i < 10; i++)); do
	s=1
	for ((j = 4 * i; j < 4 * i + 4; j++)); do
		s="$s/entry:600:$((j + 1)):lazy-big-$(printf %02d $j):300"
	done
	specs+=("$s")
done
python3 "$LAZY" build "$TMPD/big.hex" "${specs[@]}"
on 2 python3 "$LAZY" send "$N1" 7946 "$TMPD/big.hex" "$TMPD/big.out" >/dev/null
have_big() { [ "$(gadm 1 dump | grep -c lazy-big-)" -eq 40 ]; }
ktap_result "n1 holds lazy-big-00..39 (300-byte values)" slowwait 10 have_big
# The round timer anew: no round within the phase (the first comes 54..66 s
# after up), so what n1 sends is only its answers (rounds +0 says so). The
# credit of n4:7946 from 0 (a change of the peer set zeroes every credit).
gadm 1 down
gadm 1 up
gadm 1 peer del "$(node_addr 4)"
gadm 1 peer add "$(node_addr 4)"

# A stranger's announcements: not acted on, only counted. 10 IHAVEs, each
# of an entry n1 lacks.
specs=()
for ((i = 0; i < 10; i++)); do
	specs+=("6/ref:800:$((100 + i)):lazy-stranger-$i:300")
done
python3 "$LAZY" build "$TMPD/s-ihave.hex" "${specs[@]}"
key=lazy-stranger-1
python3 "$LAZY" build "$TMPD/p-ihave1.hex" "6/ref:800:101:$key:300"
lazy_xchg 3 "$TMPD/s-ihave.hex" "$TMPD/s-ihave.out"
ktap_print_msg "non-peer, 10 x IHAVE of an entry n1 lacks: ${D[rx_bytes]} bytes in, $BACK bytes out, rx_req_stranger +${D[rx_req_stranger]}, tx_iwant +${D[tx_iwant]}"
ktap_result "non-peer IHAVE: 0 bytes back, rx_req_stranger +10, tx_iwant +0" \
	test "$BACK" -eq 0 -a "${D[rx_dgrams]}" -eq 10 -a "${D[rx_req_stranger]}" -eq 10 \
	-a "${D[tx_iwant]}" -eq 0
# Nor did they claim anything: the same announcement from n4:7946 right
# after (an entry is not asked for again within want_wait(), an eighth of
# the interval while no answer came: 7.5 s) gets its IWANT. n1 asks
# n4:7946 for an entry in one IWANT of its REF and, having no key, a PAD
# for its value paid from its reply credit for n4:7946 (send.c,
# gossip_rx_refs()): it never sends that address more than it got from it.
# From a credit of 0, the IHAVE alone (51 bytes) pays for the REF, no PAD:
# 51 bytes back.
lazy_xchg 4 "$TMPD/p-ihave1.hex" "$TMPD/p-ihave1.out" --sport 7946
got=$(python3 "$LAZY" describe "$TMPD/p-ihave1.out")
want="0 T10 S1 C1 F0 L$((16 + 4 + 16 + ${#key})) ref:800:101:$key:300:0"
ktap_print_msg "peer address, no credit, an IHAVE of $key (${D[rx_bytes]} bytes): $BACK bytes back, tx_iwant +${D[tx_iwant]}: ${got:-nothing}"
ktap_result "a peer's IHAVE, no credit: one IWANT (a GRAFT: n1 has no link) naming the entry, no PAD (bytes back <= bytes in), tx_iwant +1" \
	test "$got" = "$want" -a "$BACK" -le "${D[rx_bytes]}" -a "${D[tx_iwant]}" -eq 1 \
	-a "${D[rx_req_stranger]}" -eq 0 -a "${D[rounds]}" -eq 0
held=$(gadm 1 dump | grep -c lazy-stranger-)
ktap_print_msg "lazy-stranger-* entries n1 stores: $held"

# 10 IWANTs from the stranger, each naming 20 entries n1 holds (older
# versions: n1's are at least as new), the odd ones paying with a PAD of
# their values' length.
specs=()
for ((i = 0; i < 10; i++)); do
	s=7
	for ((j = 0; j < 20; j++)); do
		s="$s/ref:500:1:bulk-$i-$j:20"
	done
	[ $((i % 2)) -eq 1 ] && s="$s/pad:400"
	specs+=("$s")
done
python3 "$LAZY" build "$TMPD/s-iwant.hex" "${specs[@]}"
lazy_xchg 3 "$TMPD/s-iwant.hex" "$TMPD/s-iwant.out"
ktap_print_msg "non-peer, 10 x IWANT of 20 entries n1 holds (5 padded): ${D[rx_bytes]} bytes in, $BACK bytes out, rx_req_stranger +${D[rx_req_stranger]}, tx_fetched +${D[tx_fetched]}, tx_reply_cut +${D[tx_reply_cut]}"
ktap_result "non-peer IWANT: 0 bytes back, rx_req_stranger +10, tx_fetched +0, nothing stored" \
	test "$BACK" -eq 0 -a "${D[rx_dgrams]}" -eq 10 -a "${D[rx_req_stranger]}" -eq 10 \
	-a "${D[tx_fetched]}" -eq 0 -a "${D[tx_reply_cut]}" -eq 0 -a "$held" -eq 0

# From n4:7946, a peer's address, no keys: an IWANT is answered within the
# reply credit (the bytes received from that address, less those sent to
# it). Its credit from 0: 10 IWANTs of 264 bytes, each naming 8 of the
# lazy-big entries (2,664 bytes of answer), 0.5 s apart. Each answer is
# cut (tx_reply_cut +10), carries the entries the credit pays for (lazy.py
# answers: the model; 7 in all), and after each IWANT n1 has sent no more
# than it received. The round timer anew first: under the debug kernel the
# checks above take a minute, and a round announcing n1's hot entries to
# n4:7946 credits it with their values (send.c, refs_owed()).
gadm 1 down
gadm 1 up
gadm 1 peer del "$(node_addr 4)"
gadm 1 peer add "$(node_addr 4)"
specs=()
for ((i = 0; i < 10; i++)); do
	s=7
	for ((j = 4 * i; j < 4 * i + 8; j++)); do
		k=$((j % 40))
		s="$s/ref:600:$((k + 1)):lazy-big-$(printf %02d $k):300"
	done
	specs+=("$s")
done
python3 "$LAZY" build "$TMPD/p-iwant.hex" "${specs[@]}"
lazy_xchg 4 "$TMPD/p-iwant.hex" "$TMPD/p-iwant.out" --sport 7946 --gap 0.5
read -r pushes entries out prefix foreign model < \
	<(python3 "$LAZY" answers 1400 "$TMPD/p-iwant.hex" "$TMPD/p-iwant.out")
ktap_print_msg "peer address, no keys, 10 x IWANT of 8 entries: ${D[rx_bytes]} bytes in, $BACK bytes out, ratio $(ratio "${D[rx_bytes]}" "$BACK"), $pushes PUSHes of $entries entries (credit pays for $model), $foreign foreign, out <= in after each: $prefix, tx_fetched +${D[tx_fetched]}, tx_reply_cut +${D[tx_reply_cut]}, rounds +${D[rounds]}"
ktap_result "unauthenticated peer's IWANTs: answered within the credit (out <= in after each, $model entries), tx_reply_cut +10, tx_fetched = PUSHes > 0" \
	test "${D[rx_dgrams]}" -eq 10 -a "$BACK" -eq "$out" -a "$out" -le "${D[rx_bytes]}" \
	-a "$prefix" -eq 1 -a "$foreign" -eq 0 -a "$entries" -eq "$model" \
	-a "$pushes" -gt 0 -a "${D[tx_fetched]}" -eq "$pushes" \
	-a "${D[tx_reply_cut]}" -eq 10 -a "${D[rounds]}" -eq 0
# A padded IWANT (a PAD of its values' length, 1,000 bytes) pays for its
# whole answer by itself (the credit from 0 again): 3 lazy-big entries and
# 5 of bulk-7 (older versions named, n1's newer ones come), in one PUSH.
gadm 1 peer del "$(node_addr 4)"
gadm 1 peer add "$(node_addr 4)"
s=7/ref:600:1:lazy-big-00:300/ref:600:2:lazy-big-01:300/ref:600:3:lazy-big-02:300
for ((j = 0; j < 5; j++)); do
	s="$s/ref:500:1:bulk-7-$j:20"
done
python3 "$LAZY" build "$TMPD/p-pad.hex" "$s/pad:1000"
lazy_xchg 4 "$TMPD/p-pad.hex" "$TMPD/p-pad.out" --sport 7946
read -r pushes entries out prefix foreign model < \
	<(python3 "$LAZY" answers 1400 "$TMPD/p-pad.hex" "$TMPD/p-pad.out")
ktap_print_msg "peer address, no keys, an IWANT of 8 entries padded with 1000 bytes: ${D[rx_bytes]} bytes in, $BACK bytes out, $pushes PUSH(es) of $entries entries, $foreign foreign, tx_fetched +${D[tx_fetched]}, tx_reply_cut +${D[tx_reply_cut]}"
ktap_result "a padded IWANT gets its whole answer: one PUSH of the 8 entries, nothing cut" \
	test "${D[rx_dgrams]}" -eq 1 -a "$pushes" -eq 1 -a "$entries" -eq 8 \
	-a "$foreign" -eq 0 -a "$out" -le "${D[rx_bytes]}" \
	-a "${D[tx_fetched]}" -eq 1 -a "${D[tx_reply_cut]}" -eq 0

# From n4:7946 (the credit from 0), a push of 347 bytes (lazy-big-00, a
# duplicate), then an IHAVE of an entry n1 lacks: the credit pays for a PAD
# of the value's whole 300 bytes. The same IHAVE 1 s later, within
# want_wait() (7.5 s: no answer came): not asked again. After that
# (8 s on), asked again, the PAD as far as the credit left pays: in all
# n1 sent n4:7946 no more than it got from it.
gadm 1 down
gadm 1 up
gadm 1 peer del "$(node_addr 4)"
gadm 1 peer add "$(node_addr 4)"
key=lazy-stranger-0
python3 "$LAZY" build "$TMPD/p-ihave.hex" "1/entry:600:1:lazy-big-00:300" \
	"6/ref:800:100:$key:300" "6/ref:800:100:$key:300"
lazy_xchg 4 "$TMPD/p-ihave.hex" "$TMPD/p-ihave.out" --sport 7946 --gap 1
tot_in=${D[rx_bytes]} tot_out=$BACK
got=$(python3 "$LAZY" describe "$TMPD/p-ihave.out")
want="1 T10 S1 C2 F0 L$((16 + 4 + 16 + ${#key} + 4 + 300)) ref:800:100:$key:300:0 pad:300:zero"
ktap_print_msg "peer address, a push (347 bytes), an IHAVE of $key, the same 1 s later: ${D[rx_bytes]} bytes in, $BACK bytes back, tx_iwant +${D[tx_iwant]}: ${got:-nothing}"
ktap_result "a peer's IHAVE, credit earned: one IWANT (a GRAFT) naming the entry, padded with its value's length, tx_iwant +1" \
	test "$(head -n 1 <<<"$got")" = "$want" -a "$BACK" -le "${D[rx_bytes]}" \
	-a "${D[rx_dgrams]}" -eq 3 -a "${D[tx_iwant]}" -eq 1 \
	-a "${D[rx_req_stranger]}" -eq 0 -a "${D[rounds]}" -eq 0
ktap_result "the same IHAVE within want_wait(): no second IWANT" \
	test "$(wc -l <"$TMPD/p-ihave.out")" -eq 1 -a "${D[tx_iwant]}" -eq 1
sleep 8
# The round timer anew (down and up keep the credit and the want table).
gadm 1 down
gadm 1 up
python3 "$LAZY" build "$TMPD/p-ihave2.hex" "6/ref:800:100:$key:300"
lazy_xchg 4 "$TMPD/p-ihave2.hex" "$TMPD/p-ihave2.out" --sport 7946
tot_in=$((tot_in + D[rx_bytes]))
pad=$((tot_in - tot_out - (16 + 4 + 16 + ${#key}) - 4))
((pad > 300)) && pad=300
tot_out=$((tot_out + BACK))
got=$(python3 "$LAZY" describe "$TMPD/p-ihave2.out")
want="0 T10 S1 C2 F0 L$((16 + 4 + 16 + ${#key} + 4 + pad)) ref:800:100:$key:300:0 pad:$pad:zero"
ktap_print_msg "the same IHAVE 8 s later: $BACK bytes back, tx_iwant +${D[tx_iwant]}: ${got:-nothing}; in all $tot_in bytes in, $tot_out out"
ktap_result "after want_wait(), no answer having come: asked again, padded as far as the credit pays (in all out <= in)" \
	test "$got" = "$want" -a "${D[tx_iwant]}" -eq 1 -a "$tot_out" -le "$tot_in" \
	-a "${D[rounds]}" -eq 0

# Paying ahead (send.c): an answer in n4:7946's name that says it was cut
# short for want of credit (a PAD last; 1020 bytes in all) makes n1 owe
# those bytes to that address. Its next round (interval 1 s, restarted
# while the listener waits 3 s) sends n4:7946, besides the round's own
# datagrams, one digest (type 2) padded with them, and the debt is paid:
# no second padded digest, no PAD anywhere else.
python3 "$LAZY" build "$TMPD/cut.hex" "4/pad:1000"
read -r -a b < <(counters 1 tx_paid tx_paid_bytes)
on 4 python3 "$LAZY" send --sport 7946 --gap 3 "$N1" 7946 "$TMPD/cut.hex" \
	"$TMPD/cut.out" >/dev/null &
sleep 0.5
gadm 1 set interval 1000
wait $!
gadm 1 set interval 60000
read -r -a a < <(counters 1 tx_paid tx_paid_bytes)
described "$TMPD/cut.out" "after a forged cut answer of 1020 bytes, n1 sent n4:7946 (tx_paid +$((a[0] - b[0])), tx_paid_bytes +$((a[1] - b[1]))):"
ktap_result "a forged cut answer: one digest to that peer padded with its 1020 bytes, once (tx_paid +1, tx_paid_bytes +1020)" \
	test "$(grep -c ' pad:' <<<"$got")" -eq 1 \
	-a "$(grep -c '^0 T2 .* pad:1020:zero$' <<<"$got")" -eq 1 \
	-a $((a[0] - b[0])) -eq 1 -a $((a[1] - b[1])) -eq 1020

# A digest's answer, without keys, announces the recent entries of the
# origins outside the digest's range (store.c, reply_recent()): REFs, not
# values. Nothing says whether the asker holds them, and it mostly does
# (the efficiency bench: one duplicate per answer while the entry was
# recent). n1 publishes lazy-recent, the newest of its recent entries (its
# eager IHAVE goes to n4:7946 before anything listens there); a tenth of an
# interval later (6 s: until then the eager tree is bringing it, and
# answers leave it out: send.c, "the eager tree"), from that address, a
# digest whose range holds none of n1's origins, padded to pay for its
# answer.
gadm 1 publish lazy-recent recent-value
sleep 7
python3 "$LAZY" build "$TMPD/recent.hex" "2/range:1000000:1000001/pad:600"
lazy_xchg 4 "$TMPD/recent.hex" "$TMPD/recent.out" --sport 7946
described "$TMPD/recent.out" "a digest of origins 1000000..1000001 from n4:7946 (${D[rx_bytes]} bytes): $BACK bytes back:"
ktap_result "a keyless digest's answer announces the recent entries outside its range: a REF of lazy-recent, no value" \
	test "$(grep -c '^0 T4 .* ref:1:[0-9]*:lazy-recent:12:0' <<<"$got")" -eq 1 \
	-a "$(grep -c ' entry:' <<<"$got")" -eq 0

# ---- 6. keys: an authenticated peer gets the full answer --------------------
gadm 1 down
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMPD/key"
gadm 1 key add 1 "$TMPD/key"
gadm 5 key add 1 "$TMPD/key"
gadm 1 set mode pull eager off
gadm 1 up
read -r -a b < <(counters 1 rx_requests tx_replies tx_reply_cut rx_bytes tx_bytes)
gadm 5 set node-id 5 mode pull interval 1000 fanout 1
gadm 5 peer add "$N1"
gadm 5 up
asked() { [ $(($(sysstat 1 rx_requests) - b[0])) -ge 2 ]; }
slowwait 20 asked
gadm 5 down
sleep 0.5
read -r -a a < <(counters 1 rx_requests tx_replies tx_reply_cut rx_bytes tx_bytes)
req=$((a[0] - b[0])) rep=$((a[1] - b[1])) cut=$((a[2] - b[2]))
ktap_print_msg "n5 (sealed, peer) asked $req times: $rep datagrams back, tx_reply_cut +$cut, $((a[3] - b[3])) bytes in, $((a[4] - b[4])) bytes out, ratio $(ratio $((a[3] - b[3])) $((a[4] - b[4]))), n5 holds $(sysstat 5 entries)"
ktap_result "authenticated peer: 8 datagrams per digest, nothing cut" \
	test "$req" -ge 1 -a "$rep" -eq $((8 * req)) -a "$cut" -eq 0
gadm 1 down

# ---- 7. junk forged with a peer's address does not silence it ---------------
# n6, n7, n8: a cluster in push mode, eager on, reject-rate 10, no round
# within the phase (a 60 s interval): n7's publishes reach n6 and n8 by
# the lazy push alone (n7's IHAVE, their IWANT, n7's PUSH; and n6 and n8
# announce them to each other). n9 sends n6 and n8 junk (bad magic) from
# n7's address and port at 100 a second each (10x reject-rate) for 16 s;
# at 2 s n7 publishes 5 keys in one batch, a burst: the first announced at
# once, the other 4 together a tenth of the interval later (6 s; send.c,
# "a burst of publishes"), both within the flood.
# Before, the limiter read one datagram with n7's address in 10 and dropped
# the rest unread, n7's pushes among them: a key reached n6 or n8 about one
# time in 5, all 5 keys hardly ever.
for i in 6 7 8; do
	for j in 6 7 8; do
		[ $i -eq $j ] || gadm $i peer add "$(node_addr $j)"
	done
	gadm $i set node-id $i mode push interval 60000 eager on reject-rate 10
	gadm $i up
done
read -r -a b6 < <(counters 6 rx_err_magic rx_err_ratelimit)
read -r -a b8 < <(counters 8 rx_err_magic rx_err_ratelimit)
for i in 6 8; do
	on 9 python3 "$DGRAM" --spoof "$(node_addr 7)" --sport 7946 --rate 100 \
		"$(node_addr $i)" 7946 magic 1600 >/dev/null &
done
sleep 2
for k in 1 2 3 4 5; do
	echo "publish spoofed-peer-$k alive"
done | gadm 7 -b -
# held I: how many of the 5 keys node I holds.
held() { gadm "$1" dump | grep -c "spoofed-peer-"; }
all_held() { [ "$(held 6)" -eq 5 ] && [ "$(held 8)" -eq 5 ]; }
slowwait 12 all_held
reached=$?
ktap_print_msg "of n7's 5 keys, published during the flood: n6 holds $(held 6), n8 holds $(held 8)"
ktap_result "n7's 5 values reach n6 and n8 during the flood" test $reached -eq 0
wait
sleep 1
read -r -a a6 < <(counters 6 rx_err_magic rx_err_ratelimit)
read -r -a a8 < <(counters 8 rx_err_magic rx_err_ratelimit)
ktap_print_msg "n6: rx_err_magic +$((a6[0] - b6[0])), rx_err_ratelimit +$((a6[1] - b6[1])); n8: rx_err_magic +$((a8[0] - b8[0])), rx_err_ratelimit +$((a8[1] - b8[1]))"
ktap_result "junk with a peer's address: all 1600 read and counted, nothing dropped unread (n6)" \
	test $((a6[0] - b6[0])) -eq 1600 -a $((a6[1] - b6[1])) -eq 0
ktap_result "junk with a peer's address: all 1600 read and counted, nothing dropped unread (n8)" \
	test $((a8[0] - b8[0])) -eq 1600 -a $((a8[1] - b8[1])) -eq 0
# A stranger is still limited: n9's own junk, 100 at once.
read -r -a b6 < <(counters 6 rx_err_magic rx_err_ratelimit)
on 9 python3 "$DGRAM" "$(node_addr 6)" 7946 magic 100 >/dev/null
sleep 1
read -r -a a6 < <(counters 6 rx_err_magic rx_err_ratelimit)
ktap_print_msg "a stranger's 100 junk datagrams: rx_err_magic +$((a6[0] - b6[0])), rx_err_ratelimit +$((a6[1] - b6[1]))"
ktap_result "a non-peer's junk is still rate limited" \
	test $((a6[1] - b6[1])) -gt 0 -a $((a6[0] - b6[0] + a6[1] - b6[1])) -eq 100
ktap_finished
