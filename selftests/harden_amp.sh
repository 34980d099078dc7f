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
# 5. With keys on n1 and n5 (a gossip node, pull mode, peer of n1), n5's
#    sealed digests get the full answer: GOSSIP_REPLY_DGRAMS (8) datagrams
#    each, nothing cut.
# 6. The limiter of rejected datagrams: n9 forges n7's address (a raw
#    socket) and sends junk to n6 and n8 at 10x their reject-rate while n7
#    publishes: every junk datagram is read and counted (rx_err_magic), none
#    of n7's datagrams is dropped unread, its value reaches n6 and n8.
#
#   n1 (target)  n2, n3, n4 (dgram.py)  n5 (gossip, keyed)
#   n6, n7, n8 (gossip cluster)  n9 (raw socket, forges n7)
#        all on br0 (hub)

source "$(dirname "$0")/lib.sh"

test_begin 17
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
read -r e2 < <(counters 1 tx_eager)
ktap_result "a peer's push: forwarded to the other peer (tx_eager +1)" \
	test $((e2 - e1)) -eq 1

# ---- 5. keys: an authenticated peer gets the full answer --------------------
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

# ---- 6. junk forged with a peer's address does not silence it ---------------
# n6, n7, n8: a cluster in push mode, eager on, reject-rate 10, no round
# within the phase (a 60 s interval): each publish of n7 reaches n6 and n8
# in its eager push alone (and n6 and n8 forward it to each other). n9
# sends n6 and n8 junk (bad magic) from n7's address and port at 100 a
# second each (10x reject-rate) for 12 s; from 2 s on n7 publishes 5 keys.
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
		"$(node_addr $i)" 7946 magic 1200 >/dev/null &
done
sleep 2
for k in 1 2 3 4 5; do
	gadm 7 publish "spoofed-peer-$k" alive
done
# held I: how many of the 5 keys node I holds.
held() { gadm "$1" dump | grep -c "spoofed-peer-"; }
all_held() { [ "$(held 6)" -eq 5 ] && [ "$(held 8)" -eq 5 ]; }
slowwait 5 all_held
reached=$?
ktap_print_msg "of n7's 5 keys, published during the flood: n6 holds $(held 6), n8 holds $(held 8)"
ktap_result "n7's 5 values reach n6 and n8 during the flood" test $reached -eq 0
wait
sleep 1
read -r -a a6 < <(counters 6 rx_err_magic rx_err_ratelimit)
read -r -a a8 < <(counters 8 rx_err_magic rx_err_ratelimit)
ktap_print_msg "n6: rx_err_magic +$((a6[0] - b6[0])), rx_err_ratelimit +$((a6[1] - b6[1])); n8: rx_err_magic +$((a8[0] - b8[0])), rx_err_ratelimit +$((a8[1] - b8[1]))"
ktap_result "junk with a peer's address: all 1200 read and counted, nothing dropped unread (n6)" \
	test $((a6[0] - b6[0])) -eq 1200 -a $((a6[1] - b6[1])) -eq 0
ktap_result "junk with a peer's address: all 1200 read and counted, nothing dropped unread (n8)" \
	test $((a8[0] - b8[0])) -eq 1200 -a $((a8[1] - b8[1])) -eq 0
# A stranger is still limited: n9's own junk, 100 at once.
read -r -a b6 < <(counters 6 rx_err_magic rx_err_ratelimit)
on 9 python3 "$DGRAM" "$(node_addr 6)" 7946 magic 100 >/dev/null
sleep 1
read -r -a a6 < <(counters 6 rx_err_magic rx_err_ratelimit)
ktap_print_msg "a stranger's 100 junk datagrams: rx_err_magic +$((a6[0] - b6[0])), rx_err_ratelimit +$((a6[1] - b6[1]))"
ktap_result "a non-peer's junk is still rate limited" \
	test $((a6[1] - b6[1])) -gt 0 -a $((a6[0] - b6[0] + a6[1] - b6[1])) -eq 100
ktap_finished
