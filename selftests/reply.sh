#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a node answers to a digest, byte for byte, decoded by an independent
# decoder (digest.py): for the origins the digest lists, every entry above
# the asker's mark in version order and a MARK saying what was covered; for
# the origins outside its range, the node's recent entries, newest first,
# without MARKs, leaving out the asker's own; nothing once they are no
# longer recent.
#
#
# A node answers only a configured peer, and one without keys with no more
# bytes than it received from that address (send.c): each question is
# asked from n2:7947, a peer of n1 while it asks, which first earns its
# answer with 5 pushes of an entry n1 holds (duplicates: nothing changes).
# The peer is removed after each question, and n1's rounds come only
# every 60 s; one that fires while n2 is its peer sends n2 a digest,
# which digest.py sets aside (it is no answer).
#
#   n1 (gossip up, node id 100)  <--- UDP --->  n2 (digest.py, port 7947)
#        \                                        /
#         -------------- br0 (hub) ---------------

source "$(dirname "$0")/lib.sh"

test_begin 9
CLUSTER_N=1
hub_create
node_create 1
node_create 2
# A 60 s interval: the recent window (4 rounds with no peer or one) is 240 s.
# Eager off: what n1 sends is only its answers (it is in pull mode anyway).
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"; cleanup' EXIT
gadm 1 set node-id 100 interval 60000 mode pull eager off
gadm 1 up
t_pub=$SECONDS
gadm 1 publish k1 a
gadm 1 publish k2 b
gadm 1 publish k3 c

# ask SENDER LO HI [ORIGIN:MARK...]: the decoded reply, as JSON, to a
# digest from n2:7947, a peer of n1 while it asks, that paid for it first.
ask() {
	gadm 1 peer add "$(node_addr 2):7947"
	on 2 python3 "$LIB_DIR/dgram.py" --sport 7947 --entry "100:$V1:k1:a" \
		"$(node_addr 1)" 7946 valid 5 >/dev/null
	on 2 python3 "$LIB_DIR/digest.py" --sport 7947 "$(node_addr 1)" 7946 "$@"
	gadm 1 peer del "$(node_addr 2):7947"
}

# expect NAME WANT SENDER LO HI [MARKS...]: the reply equals WANT (JSON).
expect() {
	local name=$1 want=$2 got
	shift 2
	got=$(ask "$@")
	if python3 -c 'import json, sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' \
		"$want" "$got"; then
		ktap_test_pass "$name"
	else
		ktap_print_msg "want $want"
		ktap_print_msg "got  $got"
		ktap_test_fail "$name"
	fi
}

# The versions the three publishes took: increasing (the HLC of store.c).
version() { gadm 1 -j get "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])'; }
V1=$(version k1) V2=$(version k2) V3=$(version k3)
ktap_print_msg "versions $V1 $V2 $V3"
E1="{\"entry\": [100, $V1, \"k1\", \"a\"]}"
E2="{\"entry\": [100, $V2, \"k2\", \"b\"]}"
E3="{\"entry\": [100, $V3, \"k3\", \"c\"]}"
OWN='{"entry": [9, 50, "own", "x"]}'

expect "origin in the range, mark 0: its entries in version order, then MARK(100, 0, v3)" \
	"[[$E1, $E2, $E3, {\"mark\": [100, 0, $V3]}]]" 9 0 4294967295
expect "origin in the range, mark v2: only v3, then MARK(100, v2, v3)" \
	"[[$E3, {\"mark\": [100, $V2, $V3]}]]" 9 0 4294967295 100:"$V2"
expect "origin in the range, mark v3: no reply at all" "[]" 9 100 100 100:"$V3"
expect "origin outside the range: its recent entries, newest first, no MARK" \
	"[[$E3, $E2, $E1]]" 9 0 99

# An entry of origin 9, pushed by node 9: recent on n1 too.
back=$(ask push 9 9 50 own x)
ktap_result "a push is applied and not answered" \
	test "$back" -eq 0 -a "$(gadm 1 get own)" = x
expect "the asker's own entries are left out of the recent ones" \
	"[[$E3, $E2, $E1]]" 9 0 8
expect "from another asker the entry of origin 9 comes first (the newest)" \
	"[[$OWN, $E3, $E2, $E1]]" 10 0 8
ktap_print_msg "the recent answers came $((SECONDS - t_pub)) s after the publishes (the window: 240 s)"
# A round of n1 that fires while n2 is its peer sends n2 a digest: at a
# 100 ms interval several arrive while digest.py waits. They are no
# answer: the answer is the one of the first question, with origin 9's
# entry first (n1 holds it since the push, its mark for origin 9 is still
# 0: no MARK for it).
gadm 1 set interval 100
got=$(ask 9 0 4294967295 2>"$TMPD/ask.err")
cat "$TMPD/ask.err" >&2
want="[[$OWN, $E1, $E2, $E3, {\"mark\": [100, 0, $V3]}]]"
if grep -q "set aside [1-9][0-9]* digest" "$TMPD/ask.err" &&
	python3 -c 'import json, sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' \
		"$want" "$got"; then
	ktap_test_pass "digests of n1's rounds that reach n2 meanwhile are set aside, not taken for the answer"
else
	ktap_print_msg "want $want"
	ktap_print_msg "got  $got"
	ktap_test_fail "digests of n1's rounds that reach n2 meanwhile are set aside, not taken for the answer"
fi
# With a 10 ms interval the window is 40 ms: the rounds (no peer: they send
# nothing) take every entry off the recent list. Back at 60 s before asking:
# no round fires while n2 is a peer.
gadm 1 set interval 10
sleep 1
gadm 1 set interval 60000
nothing_recent() { [ "$(ask 10 0 8)" = "[]" ]; }
if slowwait 20 nothing_recent; then
	ktap_test_pass "after the recent window (4 rounds of 10 ms) nothing outside the range is sent"
else
	ktap_print_msg "still answered: $(ask 10 0 8)"
	ktap_test_fail "after the recent window nothing outside the range is sent"
fi
ktap_finished
