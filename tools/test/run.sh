#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test gossipadm where gossip.ko cannot be loaded: fakenl.so (LD_PRELOAD)
# hands its generic netlink socket to fakekernel.py, which answers like the
# module. Checks exact outputs, exit statuses and error lines.
#
#	test/run.sh [--valgrind]	(from tools/, after make; make check)
#
# Prints TAP; exits 0 when every test passed.

set -u
cd "$(dirname "$0")/.." || exit 1

ADM=./gossipadm
TMP=$(mktemp -d)
SOCK=$TMP/kernel.sock
VG=()
[ "${1:-}" = --valgrind ] &&
	VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=all
	    --error-exitcode=99)
FK=
n=0
failed=0

cleanup() {
	[ -n "$FK" ] && kill "$FK" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# Start the fake kernel with the given options; wait until it listens.
kernel() {
	[ -n "$FK" ] && kill "$FK" && wait "$FK" 2>/dev/null
	rm -f "$SOCK"
	python3 -B test/fakekernel.py "$SOCK" "$@" >"$TMP/kernel.log" 2>&1 &
	FK=$!
	for _ in $(seq 100); do
		[ -S "$SOCK" ] && return
		sleep 0.05
	done
	echo "Bail out! the fake kernel did not start"
	exit 1
}

# /sys/module/gossip/ of the fake: absent (not loaded) unless made.
export FAKENL_SYSFS=$TMP/sys

adm() {
	LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK "${VG[@]}" "$ADM" "$@"
}

# In the background, so that $! is gossipadm itself.
adm_bg() {
	LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK exec "${VG[@]}" "$ADM" "$@"
}

exit_with() {
	return "$1"
}

# t DESCRIPTION RC STDOUT STDERR COMMAND...: run, compare all three.
t() {
	local desc=$1 rc=$2 out=$3 err=$4 got_out got_err got_rc
	shift 4
	got_out=$("$@" 2>"$TMP/err")
	got_rc=$?
	got_err=$(cat "$TMP/err")
	n=$((n + 1))
	if [ "$got_rc" = "$rc" ] && [ "$got_out" = "$out" ] &&
	   [ "$got_err" = "$err" ]; then
		echo "ok $n - $desc"
		return
	fi
	failed=$((failed + 1))
	echo "not ok $n - $desc"
	printf '# exit %s (want %s)\n# stdout:\n%s\n# stderr:\n%s\n' \
		"$got_rc" "$rc" "$got_out" "$got_err" | sed 's/^/# /'
}

# Wait until N monitors joined the group.
joined() {
	for _ in $(seq 200); do
		[ "$(grep -c joined "$TMP/kernel.log")" -ge "$1" ] && return
		sleep 0.05
	done
}

gcc -O2 -Wall -shared -fPIC -o "$TMP/fakenl.so" test/fakenl.c -ldl || exit 1

NOFAM='gossipadm: generic netlink family "gossip" not found: is gossip.ko loaded?'
SET_USAGE='usage: gossipadm set SETTING VALUE [SETTING VALUE]...
       SETTING VALUE := mode {push|pull|pushpull} | fanout N |
                        interval MS | port PORT | node-id ID |
                        max-dgram BYTES | tombstone-ms MS |
                        lockstep {off|on} | eager {off|on} |
                        label TEXT | store-bytes BYTES |
                        reject-rate N | max-skew-ms MS
       SETTING       RANGE                    DEFAULT
       mode          push, pull or pushpull   push
       fanout        1..16                    3
       interval      1..60000 ms              200 ms
       port          1..65535                 7946
       node-id       1..4294967295            the first IPv4 address at up, else random
       max-dgram     1200..65000 bytes        1400 bytes
       tombstone-ms  10..86400000 ms          60000 ms
       lockstep      off or on                off
       eager         off or on                on
       label         0..64 bytes              none ("")
       store-bytes   4096..67108864 bytes     16777216 bytes
       reject-rate   0..1000000 per s         100 per s
       max-skew-ms   1..86400000 ms           60000 ms
       MS: a number of ms, or with a unit: ns, us, ms, s, m, h (200ms, 1s, 2m)
       BYTES: a number, or with K, M or G (binary: 16M = 16777216)'

kernel --no-family
t "help set: ranges and defaults from the uapi header" 0 "$SET_USAGE

change the configuration" "" adm help set
VERSION=$(sed -n 's/^#define GOSSIP_VERSION\t"\(.*\)"$/\1/p' ../include/gossip_version.h)
t "-V: no module, no family" 0 "gossipadm $VERSION, family version 2
module    not loaded
family    not found" "" adm -V
t "--version -j: no module" 0 '{"gossipadm":"'"$VERSION"'","gossipadm_family_version":2}' "" adm --version -j
t "no family" 1 "" "$NOFAM" adm show
t "no family, monitor" 1 "" "$NOFAM" adm monitor
t "usage error before netlink" 2 "" "gossipadm: set: \"70000\" is not a valid port: expected a decimal number from 0 to 65535
$SET_USAGE" adm set port 70000
t "unknown mode" 2 "" "gossipadm: set: \"fast\" is not a valid mode: expected push, pull or pushpull
$SET_USAGE" adm set mode fast
printf 'bogus x\n' > "$TMP/batch1"
t "batch: unknown command" 2 "" 'gossipadm: batch: line 1: unknown command "bogus"' adm -b "$TMP/batch1"
printf '# comment\n\nset mode sideways\n' > "$TMP/batch2"
t "batch: usage error stops it" 2 "" 'gossipadm: set: "sideways" is not a valid mode: expected push, pull or pushpull
'"$SET_USAGE"'
gossipadm: batch: line 3 failed' adm -b "$TMP/batch2"
t "batch: no file" 1 "" 'gossipadm: cannot open "/nonexistent": No such file or directory' adm -b /nonexistent
t "batch takes no command" 2 "" 'gossipadm: --batch takes no command' adm -b "$TMP/batch1" show
HELP=$(adm --help)
t "-b with no file" 2 "" 'gossipadm: option "-b" needs an argument
'"$HELP" adm -b
t "-n with no name" 2 "" 'gossipadm: option "-n" needs an argument
'"$HELP" adm -n
t "-n: an unknown namespace" 1 "" 'gossipadm: netns gossip-test-nosuch: No such file or directory' adm -n gossip-test-nosuch show
t "--netns: not a name" 2 "" 'gossipadm: netns "../x" is not a namespace name' adm --netns ../x show
t "-n: an empty name" 2 "" 'gossipadm: netns "" is not a namespace name' adm -n "" show
printf 'netns ..\nshow\n' > "$TMP/batch3"
t "batch: netns .. is not a name" 2 "" 'gossipadm: batch: netns ".." is not a namespace name
gossipadm: batch: line 1 failed' adm -b "$TMP/batch3"
PEER_USAGE='usage: gossipadm peer add PEER...
       gossipadm peer del PEER...
       gossipadm peer [show|list]
       PEER := IPV4[:PORT] | [IPV6][:PORT] | IPV6  (PORT defaults to 7946)'
t "bad peer" 2 "" 'gossipadm: peer add: invalid peer address "10.0.0.300": expected IPV4[:PORT], [IPV6][:PORT] or IPV6 (PORT defaults to 7946)
'"$PEER_USAGE" adm peer add 10.0.0.300

kernel
t "-V: a family, a module without a version" 0 "gossipadm $VERSION, family version 2
module    loaded, version unknown (No such file or directory)
family    version 2" "" adm -V
mkdir -p "$TMP/sys" && echo 0.0.7 >"$TMP/sys/version"
t "--version: module and family" 0 "gossipadm $VERSION, family version 2
module    0.0.7
family    version 2" "" adm --version
t "-V -j" 0 '{"gossipadm":"'"$VERSION"'","gossipadm_family_version":2,"module":"0.0.7","family_version":2}' "" adm -V -j
rm -r "$TMP/sys"
t "show" 0 "mode        push
fanout      3
interval    200
port        7946
node-id     1
max-dgram   1400
eager       on
label       \"\"
max-skew-ms 60000
state       down
auth        off" "" adm show
t "show -j" 0 '{"mode":"push","fanout":3,"interval_ms":200,"port":7946,"node_id":1,"max_dgram":1400,"eager":true,"label":"","max_skew_ms":60000,"state":"down","auth":false}' "" adm -j show
t "set: extack, attribute and bounds" 1 "" "gossipadm: set: fanout: integer out of range, allowed 1..16 (Numerical result out of range)" adm set fanout 17
t "set: extack alone" 1 "" "gossipadm: set: only mode push is implemented so far (Operation not supported)" adm set mode pull
t "set" 0 "" "" adm set mode push fanout 16 interval 60000 node-id 9
t "set applied" 0 '{"mode":"push","fanout":16,"interval_ms":60000,"port":7946,"node_id":9,"max_dgram":1400,"eager":true,"label":"","max_skew_ms":60000,"state":"down","auth":false}' "" adm --json show
t "up" 0 "" "" adm up
t "up twice" 1 "" "gossipadm: up: the instance is already up (Operation already in progress)" adm up
t "peer add v4" 0 "" "" adm peer add 10.0.0.1
t "peer add v6" 0 "" "" adm peer add '[fe80::1]:8000'
t "peer add bare v6" 0 "" "" adm peer add ::1
t "peer add twice" 1 "" "gossipadm: peer add: peer already configured (File exists)" adm peer add 10.0.0.1:7946
# The fake kernel's per-peer state: the first peer silent (never, no
# digest yet: -), the others placeholders of their index.
t "peer show" 0 "peer           last-rx rx-dgrams rx-bytes tx-dgrams tx-bytes auth-fails answered tree
10.0.0.1:7946  never   0         0        5         500      0          -        no
[fe80::1]:8000 2.000s  10        1000     15        1500     0          yes      yes
[::1]:7946     1m03s   20        2000     25        2500     1          no       no" "" adm peer
t "peer list -j" 0 '[{"addr":"10.0.0.1","port":7946,"last_rx_ms":null,"rx_dgrams":0,"rx_bytes":0,"tx_dgrams":5,"tx_bytes":500,"auth_fails":0,"answered":null,"tree":false},{"addr":"fe80::1","port":8000,"last_rx_ms":2000,"rx_dgrams":10,"rx_bytes":1000,"tx_dgrams":15,"tx_bytes":1500,"auth_fails":0,"answered":true,"tree":true},{"addr":"::1","port":7946,"last_rx_ms":63000,"rx_dgrams":20,"rx_bytes":2000,"tx_dgrams":25,"tx_bytes":2500,"auth_fails":1,"answered":false,"tree":false}]' "" adm -j peer list
t "peer del" 0 "" "" adm peer del '[::1]'
t "peer del again" 1 "" "gossipadm: peer del: no such peer (No such file or directory)" adm peer del ::1
t "peer add a list, one there: none added" 1 "" "gossipadm: peer add: 10.0.0.1: peer already configured (File exists)" adm peer add 10.0.0.2 10.0.0.1 10.0.0.3
t "peer add a list, one twice" 1 "" "gossipadm: peer add: 10.0.0.2:7946: peer listed twice (Invalid argument)" adm peer add 10.0.0.2 10.0.0.2:7946
t "peer add a list, a bad word: nothing sent" 2 "" 'gossipadm: peer add: invalid port in "10.0.0.3:x": expected a decimal number from 0 to 65535
'"$PEER_USAGE" adm peer add 10.0.0.2 10.0.0.3:x
t "peer list unchanged" 0 "peer           last-rx rx-dgrams rx-bytes tx-dgrams tx-bytes auth-fails answered tree
10.0.0.1:7946  never   0         0        5         500      0          -        no
[fe80::1]:8000 2.000s  10        1000     15        1500     0          yes      yes" "" adm peer
t "peer add a list" 0 "" "" adm peer add 10.0.0.2 '[fe80::2]:9' 10.0.0.3:7000
t "peer del a list, one missing: none removed" 1 "" "gossipadm: peer del: 10.0.0.4: no such peer (No such file or directory)" adm peer del 10.0.0.2 10.0.0.4
t "peer del a list" 0 "" "" adm peer del 10.0.0.2 10.0.0.3:7000
t "peer list after the lists" 0 "peer           last-rx rx-dgrams rx-bytes tx-dgrams tx-bytes auth-fails answered tree
10.0.0.1:7946  never   0         0        5         500      0          -        no
[fe80::1]:8000 2.000s  10        1000     15        1500     0          yes      yes
[fe80::2]:9    1m03s   20        2000     25        2500     1          no       no" "" adm peer
t "peer del one of a list" 0 "" "" adm peer del '[fe80::2]:9'
# shellcheck disable=SC2046 # words
t "peer add: 1025 peers" 2 "" "gossipadm: peer add: 1025 peers in one command: at most 1024
$PEER_USAGE" adm peer add $(seq -f 10.1.0.%g 1025)
many_peers() {
	awk -v verb="$1" 'BEGIN { printf "peer %s", verb
		for (i = 0; i < 1000; i++) printf " 10.2.%d.%d", i / 250, i % 250 + 1
		print "" }' > "$TMP/bigline"
}
many_peers add
t "batch: a line of 1000 peers" 0 "" "" adm -b "$TMP/bigline"
peer_count() { adm peer | tail -n +2 | wc -l; }
t "batch: 1000 peers added" 0 "1002" "" peer_count
many_peers del
t "batch: 1000 peers removed" 0 "" "" adm -b "$TMP/bigline"

adm_bg monitor count 6 >"$TMP/mon" 2>&1 & MON=$!
adm_bg -j monitor count 6 >"$TMP/monj" 2>&1 & MONJ=$!
joined 2
t "publish" 0 "" "" adm publish color blue
t "publish any bytes" 0 "" "" adm publish $'k\x01"\\' $'\xff\xc3\xa9\t end'
t "publish empty value" 0 "" "" adm publish empty ''
t "set port" 0 "" "" adm set port 7000
t "peer add, monitored" 0 "" "" adm peer add 10.9.9.9:99
t "down" 0 "" "" adm down
wait $MON $MONJ
t "get" 0 "blue" "" adm get color
t "get -j" 0 '{"key":"color","value":"blue","origin":9,"version":1,"stamp_ns":5001}' "" adm -j get color
t "get missing" 1 "" "gossipadm: get: no entry with this key (No such file or directory)" adm get colour
printf 'get colour\nget color\n' > "$TMP/force1"
t "batch: a failed get stops it" 1 "" "gossipadm: get: no entry with this key (No such file or directory)
gossipadm: batch: line 1 failed" adm -b "$TMP/force1"
t "batch --force: past a failed get, exit 1" 1 "blue" "gossipadm: get: no entry with this key (No such file or directory)
gossipadm: batch: line 1 failed" adm -f -b "$TMP/force1"
printf 'get color\nget color\n' > "$TMP/force2"
t "batch --force: all passed, exit 0" 0 "blue
blue" "" adm --force -b "$TMP/force2"
printf 'get colour\nset mode sideways\nget color\n' > "$TMP/force3"
t "batch --force: a usage error still stops it" 2 "" "gossipadm: get: no entry with this key (No such file or directory)
gossipadm: batch: line 1 failed
gossipadm: set: \"sideways\" is not a valid mode: expected push, pull or pushpull
$SET_USAGE
gossipadm: batch: line 2 failed" adm -f -b "$TMP/force3"
printf 'netns gsp-no-such-ns\nget color\n' > "$TMP/force4"
t "batch --force: a failed netns line still stops it" 1 "" "gossipadm: batch: netns gsp-no-such-ns: No such file or directory
gossipadm: batch: line 1 failed" adm -f -b "$TMP/force4"
t "--force without --batch" 2 "" "gossipadm: --force goes with --batch" adm -f get color
t "publish: value too long" 1 "" "gossipadm: publish: value: binary attribute size out of range, allowed 0..1024 bytes (Numerical result out of range)" adm publish big "$(printf '%02000d' 0)"
t "publish: cannot encode" 1 "" "gossipadm: publish: the request does not fit in a netlink message: an attribute holds at most 65531 bytes (Message too long)" adm publish big "$(printf '%070000d' 0)"
t "dump" 0 'KEY      VALUE         ORIGIN VERSION
color    blue          9      1
empty    ""            9      1
k\x01"\\ \xffé\x09 end 9      1' "" adm dump
t "dump -j" 0 '[{"key":"color","value":"blue","origin":9,"version":1,"stamp_ns":5001},{"key":"empty","value":"","origin":9,"version":1,"stamp_ns":5001},{"key_hex":"6b01225c","value_hex":"ffc3a90920656e64","origin":9,"version":1,"stamp_ns":5001}]' "" adm -j dump
t "get -j -p: pretty JSON" 0 '{
    "key": "color",
    "value": "blue",
    "origin": 9,
    "version": 1,
    "stamp_ns": 5001
}' "" adm -j -p get color
t "dump --json --pretty: an array of objects" 0 '[
    {
        "key": "color",
        "value": "blue",
        "origin": 9,
        "version": 1,
        "stamp_ns": 5001
    },
    {
        "key": "empty",
        "value": "",
        "origin": 9,
        "version": 1,
        "stamp_ns": 5001
    },
    {
        "key_hex": "6b01225c",
        "value_hex": "ffc3a90920656e64",
        "origin": 9,
        "version": 1,
        "stamp_ns": 5001
    }
]' "" adm --json --pretty dump
t "publish UTF-8 text" 0 "" "" adm publish 'clé' 'héllo wörld "q" \'
t "get -j: UTF-8 text stays a string" 0 '{"key":"clé","value":"héllo wörld \"q\" \\","origin":9,"version":1,"stamp_ns":5001}' "" adm -j get 'clé'
t "publish a value with a newline" 0 "" "" adm publish nl $'a\nb'
t "get -j: a control character makes it hex" 0 '{"key":"nl","value_hex":"610a62","origin":9,"version":1,"stamp_ns":5001}' "" adm -j get nl
t "-p alone: text, as ip -p" 0 "blue" "" adm -p get color
t "monitor text" 0 'publish key color value blue origin 9 version 1
publish key k\x01"\\ value \xffé\x09 end origin 9 version 1
publish key empty value "" origin 9 version 1
set-config mode push fanout 16 interval 60000 port 7000 node-id 9 max-dgram 1400 eager on label "" max-skew-ms 60000 state up auth off
peer-add 10.9.9.9:99
down mode push fanout 16 interval 60000 port 7000 node-id 9 max-dgram 1400 eager on label "" max-skew-ms 60000 state down auth off' "" cat "$TMP/mon"
t "monitor json" 0 '{"event":"publish","key":"color","value":"blue","origin":9,"version":1,"stamp_ns":5001}
{"event":"publish","key_hex":"6b01225c","value_hex":"ffc3a90920656e64","origin":9,"version":1,"stamp_ns":5001}
{"event":"publish","key":"empty","value":"","origin":9,"version":1,"stamp_ns":5001}
{"event":"set-config","mode":"push","fanout":16,"interval_ms":60000,"port":7000,"node_id":9,"max_dgram":1400,"eager":true,"label":"","max_skew_ms":60000,"state":"up","auth":false}
{"event":"peer-add","addr":"10.9.9.9","port":99}
{"event":"down","mode":"push","fanout":16,"interval_ms":60000,"port":7000,"node_id":9,"max_dgram":1400,"eager":true,"label":"","max_skew_ms":60000,"state":"down","auth":false}' "" cat "$TMP/monj"
t "stats" 0 "$(python3 - <<'EOF'
names = ['rounds', 'tx_dgrams', 'tx_bytes', 'tx_errors', 'rx_dgrams',
	 'rx_bytes', 'rumors_published', 'rumors_applied', 'rumors_duplicate',
	 'rx_err_short', 'rx_err_magic', 'rx_err_version', 'rx_err_type',
	 'rx_err_length', 'rx_err_entry', 'rx_err_full', 'rx_err_nomem',
	 'peers', 'entries', 'tx_requests', 'rx_requests', 'tx_replies',
	 'tombstones', 'tombstones_collected', 'tx_largest',
	 'rx_err_unauth', 'rx_err_auth', 'rx_err_replay', 'rx_err_label',
	 'rx_err_ratelimit', 'mem_bytes', 'store_bytes', 'tx_eager',
	 'round_late_p50_us', 'round_late_p99_us', 'round_late_max_us',
	 'round_ns', 'rx_ns', 'rx_err_future', 'rx_err_origin',
	 'rx_err_size', 'rx_req_stranger', 'tx_reply_cut', 'replay_evicted',
	 'tombstones_expired', 'tx_summaries', 'rx_sum_match',
	 'rx_sum_differ', 'tx_ihave', 'tx_iwant', 'tx_fetched', 'tx_paid',
	 'tx_paid_bytes', 'tx_iwant_retry', 'life_acks_left',
	 'rx_mark_stranger', 'tx_tree', 'tx_prune', 'rx_prune', 'tx_graft',
	 'rx_tree_awaited']
w = max(len(n) for n in names)
for i, name in enumerate(names):
	print('%-*s %d' % (w, name, 1002 + i))
print('%-*s %d' % (w, 'attr_%d' % (len(names) + 2), 42))
EOF
)" "" adm stats

adm_bg monitor >"$TMP/mon" 2>&1 & MON=$!
joined 3
kill -TERM $MON
wait $MON
t "monitor: SIGTERM exits 0" 0 "" "" exit_with $?
t "monitor: nothing printed" 0 "" "" cat "$TMP/mon"

kernel --intr 3
adm publish a 1 && adm publish b 2
t "dump retried after NLM_F_DUMP_INTR" 0 "KEY VALUE ORIGIN VERSION
a   1     1      1
b   2     1      1" "" adm dump
kernel --intr 100
adm publish a 1
t "dump gives up" 1 "" "gossipadm: dump: the data kept changing during the dump: interrupted 11 times, giving up" adm dump
kernel --dump-error
t "dump error with extack in NLMSG_DONE" 1 "" "gossipadm: dump: the store is on fire (Input/output error)" adm -j dump
t "empty dump" 0 "[]" "" adm -j peer show
t "no peers: peer show prints nothing, no header" 0 "" "" adm peer show
kernel --no-cap
t "extack after an uncapped echo" 1 "" "gossipadm: publish: key: binary attribute size out of range, allowed 1..64 bytes (Numerical result out of range)" adm publish "" value
kernel --miss
t "missing attribute named from the spec's tables" 1 "" "gossipadm: publish: missing attribute key (entry) (Invalid argument)" adm publish colour blue

kernel
KEY_USAGE='usage: gossipadm key add ID FILE|-
       gossipadm key use ID
       gossipadm key del ID
       gossipadm key [show|list]
       gossipadm key gen
       ID := 1..255; FILE holds the key as 64 hex digits (- is stdin)'
printf '%064d\n' 7 >"$TMP/k1"
printf '%s' "$(printf 'aB%.0s' $(seq 32))" >"$TMP/k2"	# no newline
printf '%063d\n' 7 >"$TMP/short"
printf '%064d\n\n' 7 >"$TMP/long"
printf 'zz%062d\n' 7 >"$TMP/nothex"
t "key gen: 64 hex digits" 0 "ok" "" \
	sh -c "$ADM key gen | grep -qxE '[0-9a-f]{64}' && echo ok"
t "key gen: a new key each time" 0 "" "" \
	sh -c "[ \"\$($ADM key gen)\" != \"\$($ADM key gen)\" ]"
t "key show: none" 0 "" "" adm key show
t "key show -j: none" 0 "[]" "" adm -j key
t "key add" 0 "" "" adm key add 1 "$TMP/k1"
t "key add from stdin, no newline" 0 "" "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM key add 2 - <$TMP/k2"
t "key add: id exists" 1 "" "gossipadm: key add: gossip: a key with this id exists already (File exists)" adm key add 1 "$TMP/k1"
t "key add: id 0" 2 "" "gossipadm: key add: invalid key id \"0\": expected a decimal number from 1 to 255
$KEY_USAGE" adm key add 0 "$TMP/k1"
t "key add: id 256" 2 "" "gossipadm: key add: invalid key id \"256\": expected a decimal number from 1 to 255
$KEY_USAGE" adm key add 256 "$TMP/k1"
for f in short long nothex; do
	t "key add: $f file" 2 "" "gossipadm: key add: \"$TMP/$f\" does not hold a key: expected 64 hex digits and at most a newline (see \"gossipadm key gen\")
$KEY_USAGE" adm key add 3 "$TMP/$f"
done
t "key add: no file" 1 "" "gossipadm: key add: cannot open \"/nonexistent\": No such file or directory" adm key add 3 /nonexistent
t "key add: no file argument" 2 "" "$KEY_USAGE" adm key add 3
t "key show" 0 "ID
1  primary
2" "" adm key show
t "key use" 0 "" "" adm key use 2
t "key show -j" 0 '[{"id":2,"primary":true},{"id":1,"primary":false}]' "" adm -j key list
t "key del: the primary" 1 "" "gossipadm: key del: gossip: the key is in use: use another key first (Device or resource busy)" adm key del 2
t "key del: unknown" 1 "" "gossipadm: key del: gossip: no key with this id (No such file or directory)" adm key del 9
t "key use: unknown" 1 "" "gossipadm: key use: gossip: no key with this id (No such file or directory)" adm key use 9
t "key: unknown action" 2 "" "gossipadm: key: unknown action \"rotate\": expected add, use, del, show, list or gen
$KEY_USAGE" adm key rotate
t "set label" 0 "" "" adm set label blue
t "show: label, auth on" 0 '{"mode":"push","fanout":3,"interval_ms":200,"port":7946,"node_id":1,"max_dgram":1400,"eager":true,"label":"blue","max_skew_ms":60000,"state":"down","auth":true}' "" adm -j show
t "set label: too long" 2 "" "gossipadm: set: the label is 65 bytes long: at most 64 are allowed
$SET_USAGE" adm set label "$(printf '%065d' 0)"
t "key del" 0 "" "" adm key del 1
t "key del the last" 0 "" "" adm key del 2
t "set eager off" 0 "" "" adm set eager off
t "show: eager off" 0 'max-dgram   1400
eager       off' "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM show | sed -n 6,7p"
t "set eager on, show -j" 0 'true' """" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM set eager on && LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM -j show | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)[\"eager\"]))'"
t "set eager: not a word" 2 "" "gossipadm: set: \"yes\" is not a valid eager: expected off or on
$SET_USAGE" adm set eager yes
t "set eager: a number is not a word" 2 "" "gossipadm: set: \"1\" is not a valid eager: expected off or on
$SET_USAGE" adm set eager 1
t "set label empty; auth off" 0 'label       ""
max-skew-ms 60000
state       down
auth        off' "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM set label '' && LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM show | tail -n 4"

# units: a fresh instance, which shows the settings it was given
kernel
t "set: durations and sizes with units" 0 "" "" adm set interval 1s tombstone-ms 2m max-skew-ms 1h store-bytes 16M max-dgram 1400
t "set: units converted" 0 '{"mode":"push","fanout":3,"interval_ms":1000,"port":7946,"node_id":1,"max_dgram":1400,"tombstone_ms":120000,"eager":true,"label":"","store_bytes":16777216,"max_skew_ms":3600000,"state":"down","auth":false}' "" adm -j show
t "set: 200ms, 64K, 90000us, 10000000ns" 0 "" "" adm set interval 200ms store-bytes 64k max-skew-ms 90000us tombstone-ms 10000000ns
t "set: units converted again" 0 "interval     200
tombstone-ms 10
store-bytes  65536
max-skew-ms  90" "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM show | grep -E '^(interval|tombstone-ms|store-bytes|max-skew-ms) '"
t "set: not a whole ms" 2 "" "gossipadm: set: \"1500us\" is not a whole number of milliseconds (interval)
$SET_USAGE" adm set interval 1500us
t "set: a duration that overflows" 2 "" "gossipadm: set: \"1194h\" is too large for tombstone-ms: at most 4294967295 ms
$SET_USAGE" adm set tombstone-ms 1194h
t "set: a duration that overflows 64 bits" 2 "" "gossipadm: set: \"99999999999h\" is too large for interval: at most 4294967295 ms
$SET_USAGE" adm set interval 99999999999h
t "set: a size that overflows" 2 "" "gossipadm: set: \"4G\" is too large for store-bytes: at most 4294967295 bytes
$SET_USAGE" adm set store-bytes 4G
t "set: an unknown time unit" 2 "" "gossipadm: set: \"2d\" is not a valid interval: expected a decimal number of ms, or with a unit: ns, us, ms, s, m or h
$SET_USAGE" adm set interval 2d
t "set: a fraction is not a size" 2 "" "gossipadm: set: \"1.5M\" is not a valid store-bytes: expected a decimal number of bytes, or with a unit: K, M or G
$SET_USAGE" adm set store-bytes 1.5M
t "set: fanout takes no unit" 2 "" "gossipadm: set: \"3s\" is not a valid fanout: expected a decimal number from 0 to 4294967295
$SET_USAGE" adm set fanout 3s
t "set: in range after the unit, the kernel's bounds" 1 "" "gossipadm: set: interval: integer out of range, allowed 1..60000 (Numerical result out of range)" adm set interval 2m

# abbreviations: the start of one command or setting name, as ip
kernel
t "abbreviation: sta is stats" 0 "$(adm stats)" "" adm sta
t "abbreviation: ambiguous command" 2 "" 'gossipadm: command "d" is ambiguous: down, delete or dump: try "gossipadm help"' adm d
t "abbreviation: unknown command" 2 "" 'gossipadm: unknown command "shows": try "gossipadm help"' adm shows
t "abbreviation: a setting" 0 "" "" adm set fan 5 inter 300 max-d 1300
t "abbreviation: the settings set" 0 "fanout      5
interval    300
port        7946
node-id     1
max-dgram   1300" "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM sh | sed -n 2,6p"
t "abbreviation: ambiguous setting" 2 "" "gossipadm: set: setting \"max-\" is ambiguous: max-dgram or max-skew-ms
$SET_USAGE" adm set max- 1300
t "abbreviation: help of an abbreviation" 0 "usage: gossipadm publish KEY VALUE

publish VALUE under KEY" "" adm help pu
t "abbreviation: actions too (pe a)" 0 "" "" adm pe a 10.0.0.7 10.0.0.8
t "abbreviation: pe d, pe l" 0 "peer          last-rx rx-dgrams rx-bytes tx-dgrams tx-bytes auth-fails answered tree
10.0.0.8:7946 never   0         0        5         500      0          -        no" "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM pe d 10.0.0.7 && LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM pe l"
t "abbreviation: an unknown action" 2 "" "gossipadm: peer: unknown action \"x\": expected add, del, show or list
$PEER_USAGE" adm peer x
printf 'p add 10.0.0.1\n' >"$TMP/abbrev"
t "abbreviation: in a batch, ambiguous" 2 "" 'gossipadm: batch: line 1: command "p" is ambiguous: peer or publish' adm -b "$TMP/abbrev"

# quoting in batch files
cat >"$TMP/quoted" <<'EOF'
publish "two words" 'single quoted \ "as is"'
publish esc "tab\there \"q\" back\\slash \x41\xc3\xa9"
publish plain\ key a\ b\'c
publish 'empty' ""
publish "#not-a-comment" x # a comment
set label 'blue sky'
EOF
t "batch quoting: published" 0 "" "" adm -b "$TMP/quoted"
t "batch quoting: the words" 0 'KEY            VALUE                          ORIGIN VERSION
#not-a-comment x
empty          ""
esc            tab\x09here "q" back\\slash Aé
plain key      a b'"'"'c
two words      single quoted \\ "as is"' "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM dump | sed 's/ *[0-9]* *[0-9]*$//'"
t "batch quoting: label with a blank" 0 'label       blue sky' "" sh -c "LD_PRELOAD=$TMP/fakenl.so FAKENL_SOCK=$SOCK $ADM show | grep ^label"
printf 'publish "open\n' >"$TMP/q1"
t "batch quoting: a quote not closed" 2 "" 'gossipadm: batch: line 1: a quote is not closed' adm -b "$TMP/q1"
printf 'publish k x\npublish k "a\\x00b"\n' >"$TMP/q2"
t "batch quoting: no NUL byte" 2 "" 'gossipadm: batch: line 2: bad escape: expected \\, \", \n, \t, \r or \xNN (not \x00) in "..."' adm -b "$TMP/q2"
printf 'publish k "a\\qb"\n' >"$TMP/q3"
t "batch quoting: an unknown escape" 2 "" 'gossipadm: batch: line 1: bad escape: expected \\, \", \n, \t, \r or \xNN (not \x00) in "..."' adm -b "$TMP/q3"

# save: a batch that -b replays onto a fresh instance (wg showconf/setconf)
kernel
adm set fanout 5 interval 250 node-id 77 max-dgram 1300 eager off label 'blue "sky"' tombstone-ms 5s lockstep on store-bytes 1M reject-rate 0
adm peer add 10.0.0.1 '[fe80::1]:8000' 192.0.2.9:9
adm up
adm publish color blue
t "save" 0 '# gossipadm save: replay with "gossipadm -b FILE" onto an instance that is down
set mode push fanout 5 interval 250 port 7946 node-id 77 max-dgram 1300 tombstone-ms 5000 lockstep on eager off label "blue \"sky\"" store-bytes 1048576 reject-rate 0 max-skew-ms 60000
peer add 10.0.0.1:7946 [fe80::1]:8000 192.0.2.9:9
# authentication keys: none (keys cannot be read back)
up' "" adm save
adm save >"$TMP/saved"
adm show >"$TMP/show1"
adm peer show >"$TMP/peers1"
kernel
t "save: replayed by -b on a fresh instance" 0 "" "" adm -b "$TMP/saved"
t "save: the same show" 0 "$(cat "$TMP/show1")" "" adm show
t "save: the same peers" 0 "$(cat "$TMP/peers1")" "" adm peer show
t "save: saved again, the same batch" 0 "$(cat "$TMP/saved")" "" adm save
adm key add 1 "$TMP/k1"
adm down
adm set label $'\x01\xff\xc3\xa9\\ x'
t "save: keys, down, a binary label" 0 '# gossipadm save: replay with "gossipadm -b FILE" onto an instance that is down
set mode push fanout 5 interval 250 port 7946 node-id 77 max-dgram 1300 tombstone-ms 5000 lockstep on eager off label "\x01\xffé\\ x" store-bytes 1048576 reject-rate 0 max-skew-ms 60000
peer add 10.0.0.1:7946 [fe80::1]:8000 192.0.2.9:9
# authentication is on, but keys cannot be read back: add them here
# (key add ID FILE, the primary first) before up' "" adm save
adm save >"$TMP/saved"
adm -j show >"$TMP/show1"
kernel
adm -b "$TMP/saved"
t "save: a binary label replayed" 0 "$(sed 's/"auth":true/"auth":false/' "$TMP/show1")" "" adm -j show
t "save: one word only" 2 "" 'gossipadm: save: unexpected argument "all"
usage: gossipadm save [entries]' adm save all
kernel
adm set node-id 5
adm publish 'two words' $'bin\xff\x01"\\'
adm publish empty ''
adm publish color blue
t "save entries" 0 '# gossipadm save: replay with "gossipadm -b FILE" onto an instance that is down
set mode push fanout 3 interval 200 port 7946 node-id 5 max-dgram 1400 eager on label "" max-skew-ms 60000
# authentication keys: none (keys cannot be read back)
# the entries, published again by this node
publish color blue
publish empty ""
publish "two words" "bin\xff\x01\"\\"' "" adm save entries
adm save entries >"$TMP/saved"
adm -j dump >"$TMP/dump1"
kernel
adm -b "$TMP/saved"
t "save entries: replayed, the same dump" 0 "$(cat "$TMP/dump1")" "" adm -j dump
kernel --nul-entry
t "save entries: one with a NUL byte left out, said so, the rest replayable" 1 '# gossipadm save: replay with "gossipadm -b FILE" onto an instance that is down
set mode push fanout 3 interval 200 port 7946 node-id 1 max-dgram 1400 eager on label "" max-skew-ms 60000
# authentication keys: none (keys cannot be read back)
# the entries, published again by this node
# left out: an entry with a NUL byte in its key or value
publish plain ok' "gossipadm: save: 1 entry left out: a NUL byte in a key or value cannot be written on a batch line" adm save entries

echo "1..$n"
[ "$failed" = 0 ]
