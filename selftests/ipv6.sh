#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A cluster over IPv6 alone, without and with a key.
#
#   n1..n4  one bridge, each with fd77::I/64 (and the usual IPv4 address,
#           unused: every peer is configured by its IPv6 address)
#   n5      no gossip: a peer of n1 by fd77::5, where sealed.py captures
#
# 1. Without keys: a value published on n1 reaches n1..n4.
# 2. With one key on all: a value published on n2 reaches all, and
#    rx_err_auth, rx_err_unauth stay 0 on every node.
# 3. n1's datagrams to [fd77::5]:7946, captured there, open with the key
#    and that address as sealed.py builds the AAD (16 bytes of IPv6
#    address and the port: kmod/wire.h), independently of the module's
#    code; one of them sent to n2 (another address) is rx_err_auth +1.
#
# Every assertion is on the values held or on exact counters.

source "$(dirname "$0")/lib.sh"

N=4
LISTEN=5
SEALED=$LIB_DIR/sealed.py
DGRAM=$LIB_DIR/dgram.py

test_begin 5
TMPD=$(mktemp -d)
trap 'cleanup; rm -rf "$TMPD"' EXIT

a6() { echo "fd77::$1"; }

hub_create
for i in $(seq 1 $LISTEN); do
	node_create "$i"
	on "$i" ip addr add "$(a6 "$i")/64" dev eth0 nodad
done
for i in $(seq 1 $N); do
	{
		echo "set interval 100 fanout 3 mode pushpull"
		for j in $(seq 1 $N); do
			[ "$i" -eq "$j" ] || echo "peer add [$(a6 "$j")]:7946"
		done
		echo up
	} | gadm "$i" -b -
done

# holds_all KEY VALUE: n1..n4 hold it.
holds_all() { [ "$(values_of "$1" $(seq 1 $N) | grep -cxF -- "$2")" -eq $N ]; }

gadm 1 publish plain6 v1
ktap_result "no key: a value published on n1 reaches n1..n$N over IPv6" \
	slowwait 30 holds_all plain6 v1

# The key given to all while all are down: no node, keyed or not, gets a
# datagram of the other kind meanwhile.
"$GOSSIPADM" key gen >"$TMPD/k"
# errs: rx_err_auth and rx_err_unauth, each summed over n1..n4
# shellcheck disable=SC2046 # node numbers
errs() { echo "$(stat_of rx_err_auth $(seq 1 $N) | sum_lines) $(stat_of rx_err_unauth $(seq 1 $N) | sum_lines)"; }
e0=$(errs)
# shellcheck disable=SC2046 # node numbers
{
	nodes_batch down $(seq 1 $N)
	nodes_batch "key add 1 $TMPD/k" $(seq 1 $N)
	nodes_batch up $(seq 1 $N)
} | "$GOSSIPADM" -b -
gadm 2 publish sealed6 v2
ok=0
slowwait 30 holds_all sealed6 v2 || ok=1
e1=$(errs)
ktap_print_msg "rx_err_auth, rx_err_unauth summed over n1..n$N: $e0 before the key, $e1 after"
ktap_result "one key: a value published on n2 reaches all, rx_err_auth and rx_err_unauth +0" \
	test "$ok" -eq 0 -a "$e0" = "$e1"

# 3. What n1 sends to n5's IPv6 address.
on $LISTEN timeout 60 python3 - "$TMPD/cap" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 7946))
with open(sys.argv[1] + ".tmp", "w") as f:
    for _ in range(3):
        f.write(s.recv(65536).hex() + "\n")
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
EOF
CAP=$!
sleep 0.5
gadm 1 peer add "[$(a6 $LISTEN)]:7946"
wait $CAP
gadm 1 peer del "[$(a6 $LISTEN)]:7946"
HOW=$(python3 "$SEALED" how "$TMPD/k" "[$(a6 $LISTEN)]:7946" "$TMPD/cap")
ktap_result "n1's datagrams to [$(a6 $LISTEN)]:7946 open with the key and that address in the AAD (${HOW:-none})" \
	test "$HOW" = xchacha
a0=$(sysstat 2 rx_err_auth)
back=$(on $LISTEN python3 "$DGRAM" replay "$(a6 2)" 7946 "$TMPD/cap" 0)
moved_auth() { [ "$(sysstat 2 rx_err_auth)" -gt "$a0" ]; }
slowwait 10 moved_auth
sleep 0.3
ktap_result "one of them sent to n2's IPv6 address: rx_err_auth +$(($(sysstat 2 rx_err_auth) - a0)) (want +1), $back bytes back" \
	test $(($(sysstat 2 rx_err_auth) - a0)) -eq 1 -a "$back" -eq 0

ktap_result "kernel log clean" kmsg_clean
ktap_finished
