#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults: a cluster converges through loss, duplication, reordering,
# partitions and restarts, and survives 100 module reloads and 100 netns
# re-creations with every object it made destroyed.
#
#   side A: n1 .. n6                      side B: n7 .. n12
#   eth0 10.99.0.2 .. .7                  eth0 10.99.0.8 .. .13
#   [netem on each eth0 in test 1]        [netem on each eth0 in test 1]
#      \   \   |                             |   /   /
#   ----+---+--+------ br0 (hub netns) ------+--+---+----
#
#   Every node has every other node as a peer. The partition (test 2) is
#   made without netfilter, in the hub: a prio qdisc on each bridge port
#   with a u32 filter dropping IP from the other side's addresses
#   (10.99.0.0/29 holds side A's, 10.99.0.8/29 side B's) on its way out to
#   the node, set up and removed for all ports in one `tc -b` (the heal is
#   nearly instantaneous); the test fails if tc does, or if the filters
#   dropped nothing.
#
#   1. netem on every node's eth0: loss 30 %, duplicate 10 %, delay 50 ms
#      +-10 ms, reorder 25 %: in each mode, values published on n1, n4, n7,
#      n10 reach every node, exactly
#   2. partition A | B, in pushpull then push mode: each side converges on
#      its own values and lacks the other's (a key per side, and one key
#      published on both); healed: the union everywhere, and one winner,
#      the higher (version, origin), on every node
#   3. (a) n5 down while values are published and one deleted, then up: it
#      catches up; (b) n6's netns deleted and made again with the same
#      address, configured with gossipadm: its dump equals n1's
#   4. n5..n12 deleted; 100 cycles of insmod, a 4-node cluster (n1..n4,
#      10 ms rounds), rmmod while it gossips; then 100 cycles of deleting
#      and re-creating n4's netns while n1..n3 gossip: kernel log clean,
#      every object created was destroyed
#
# Rounds are computed from the kernel's stamps (when each node stored an
# entry, CLOCK_MONOTONIC) and printed; nothing asserts a time. Every exec
# is expensive in the VM (TCG): the checks read one JSON dump per node,
# nodes in parallel, and parse it in bash.

source "$(dirname "$0")/lib.sh"

N=12
HALF=6
INTERVAL=100			# ms, tests 1-3
WAIT=180			# s, upper bound of every wait for a condition
NETEM="loss 30% duplicate 10% delay 50ms 10ms reorder 25% 50%"
CYCLES=${GOSSIP_FAULTS_CYCLES:-100}	# GOSSIP_* reaches the VM
SMALL=4				# nodes of test 4
SMALL_INTERVAL=10		# ms

TMP=$(mktemp -d)
trap 'cleanup; rm -rf "$TMP"' EXIT

test_begin 17

# uptime_ns: now, in the clock of the kernel's stamps, without an exec:
# /proc/uptime is the boot time clock, equal to CLOCK_MONOTONIC in a VM
# that never suspends (10 ms resolution).
uptime_ns() {
	local up
	read -r up _ </proc/uptime
	echo $((${up%.*} * 1000000000 + 10#${up#*.} * 10000000))
}

# tenths NS: NS nanoseconds in rounds of INTERVAL ms, one decimal.
tenths() {
	local t=$(($1 * 10 / (INTERVAL * 1000000)))
	echo "$((t / 10)).$((t % 10))"
}

# Node I's last JSON dump (one line: [{"key":..,"value":..,"origin":..,
# "version":..,"stamp_ns":..},...]), read by jdump.
declare -A DUMP=()
jdump() { DUMP[$1]=$(gadm "$1" -j dump 2>/dev/null) || DUMP[$1]=; }

# entry_in JSON KEY: sets VALUE ORIGIN VERSION STAMP from KEY's entry in
# JSON (keys and values here need no JSON escapes); fails if absent.
entry_in() {
	local re="\\{\"key\":\"$2\",\"value\":\"([^\"]*)\",\"origin\":([0-9]+),\"version\":([0-9]+),\"stamp_ns\":([0-9]+)"
	[[ $1 =~ $re ]] || return 1
	VALUE=${BASH_REMATCH[1]}
	ORIGIN=${BASH_REMATCH[2]}
	VERSION=${BASH_REMATCH[3]}
	STAMP=${BASH_REMATCH[4]}
}

# holds I SPEC...: node I's last dump has every KEY=VALUE of SPEC; KEY=!
# means KEY absent. Prints what is wrong with -v first.
holds() {
	local verbose=0 i s key value ok=0
	[ "$1" = -v ] && { verbose=1; shift; }
	i=$1
	shift
	for s in "$@"; do
		key=${s%%=*}
		value=${s#*=}
		if [ "$value" = "!" ]; then
			! entry_in "${DUMP[$i]}" "$key" && continue
		else
			entry_in "${DUMP[$i]}" "$key" && [ "$VALUE" = "$value" ] && continue
		fi
		ok=1
		[ $verbose -eq 1 ] || return 1
		ktap_print_msg "n$i: not $s"
	done
	return $ok
}

# wait_pids PID...: wait for them all; fails if one failed.
wait_pids() {
	local p rc=0
	for p in "$@"; do
		wait "$p" || rc=1
	done
	return $rc
}

# dump_nodes I...: the JSON dumps of nodes I..., one line each, from one
# gossipadm batch, into DUMP[I]. Should the batch stop (a node gone), the
# nodes after it read as empty: they hold nothing.
dump_nodes() {
	local i line
	nodes_batch dump "$@" | "$GOSSIPADM" -j -b - >"$TMP/dumps" 2>/dev/null
	exec 3<"$TMP/dumps"
	for i in "$@"; do
		line=
		read -r line <&3
		DUMP[$i]=$line
	done
	exec 3<&-
}

# wait_nodes FIRST LAST SPEC...: bounded polling (every 0.2 s, at most WAIT
# s) until every node holds SPEC exactly, each node read again only while
# it does not. On a time-out, prints what each node lacks.
wait_nodes() {
	local first=$1 last=$2 deadline=$((SECONDS + WAIT)) i todo=() left
	shift 2
	for ((i = first; i <= last; i++)); do
		todo+=("$i")
	done
	while :; do
		dump_nodes "${todo[@]}"
		left=()
		for i in "${todo[@]}"; do
			holds "$i" "$@" || left+=("$i")
		done
		todo=("${left[@]}")
		[ ${#todo[@]} -eq 0 ] && return 0
		if [ "$SECONDS" -ge "$deadline" ]; then
			for i in "${todo[@]}"; do
				holds -v "$i" "$@"
			done
			return 1
		fi
		sleep 0.2
	done
}

# check_nodes FIRST LAST SPEC...: one fresh dump of every node, and every
# one holds SPEC (what is wrong is printed).
check_nodes() {
	local i ok=0 all=()
	for ((i = $1; i <= $2; i++)); do
		all+=("$i")
	done
	dump_nodes "${all[@]}"
	for i in "${all[@]}"; do
		holds -v "$i" "${@:3}" || ok=1
	done
	return $ok
}

# spread_rounds KEY: from the last check's dumps of n1..nN, the rounds from
# the first node storing KEY to the last.
spread_rounds() {
	local i min='' max=0
	for ((i = 1; i <= N; i++)); do
		entry_in "${DUMP[$i]}" "$1" || continue
		[ -z "$min" ] || [ "$STAMP" -lt "$min" ] && min=$STAMP
		[ "$STAMP" -gt "$max" ] && max=$STAMP
	done
	tenths $((max - min))
}

# rounds_since T_NS FIRST LAST [KEY...]: the rounds from T_NS to the last
# store after it of any KEY (any key at all if none) on nodes FIRST..LAST.
rounds_since() {
	local t0=$1 first=$2 last=$3 i k e max
	shift 3
	max=$t0
	for ((i = first; i <= last; i++)); do
		if [ $# -eq 0 ]; then
			e=${DUMP[$i]}
			while [[ $e =~ \"stamp_ns\":([0-9]+)(.*) ]]; do
				[ "${BASH_REMATCH[1]}" -gt "$max" ] && max=${BASH_REMATCH[1]}
				e=${BASH_REMATCH[2]}
			done
		fi
		for k in "$@"; do
			entry_in "${DUMP[$i]}" "$k" && [ "$STAMP" -gt "$max" ] && max=$STAMP
		done
	done
	tenths $((max - t0))
}

# same_entry KEY: in the last check's dumps, every node holds KEY with the
# same value, origin and version.
same_entry() {
	local i first=
	for ((i = 1; i <= N; i++)); do
		entry_in "${DUMP[$i]}" "$1" || return 1
		if [ -z "$first" ]; then
			first="$VALUE $ORIGIN $VERSION"
		elif [ "$first" != "$VALUE $ORIGIN $VERSION" ]; then
			ktap_print_msg "n1 holds $1 = $first, n$i $VALUE $ORIGIN $VERSION"
			return 1
		fi
	done
	ktap_print_msg "every node holds $1 = $first (value, origin, version)"
}

# shellcheck disable=SC2046 # node numbers
set_all() { nodes_batch "set $*" $(seq 1 $N) | "$GOSSIPADM" -b -; }

# A figure to read the others by: how long 10 execs of /bin/true take.
t=${EPOCHREALTIME/./}
for ((i = 0; i < 10; i++)); do
	/bin/true
done
ktap_print_msg "10 execs of /bin/true took $(((${EPOCHREALTIME/./} - t) / 1000)) ms (how loaded the machine is)"

if ! cluster_create $N $INTERVAL 3; then
	ktap_test_fail "create a $N-node cluster"
	ktap_finished
fi
ktap_test_pass "create a $N-node cluster (interval $INTERVAL ms, fanout 3)"

# 1. Lossy network ---------------------------------------------------------
start=$SECONDS
pids=()
for ((i = 1; i <= N; i++)); do
	# shellcheck disable=SC2086 # netem's words
	tc -n "$(node_ns "$i")" qdisc add dev eth0 root netem $NETEM &
	pids+=($!)
done
wait_pids "${pids[@]}" || ktap_print_msg "tc qdisc add netem failed"
ktap_print_msg "netem on every eth0: $NETEM"

for mode in push pull pushpull; do
	set_all mode "$mode"
	spec=()
	for i in 1 4 7 10; do
		gadm "$i" publish "loss-$mode-$i" "v$i"
		spec+=("loss-$mode-$i=v$i")
	done
	# Each node's dump, once it holds them all, is the exact check.
	if wait_nodes 1 $N "${spec[@]}"; then
		r=
		for i in 1 4 7 10; do
			r+=" $(spread_rounds "loss-$mode-$i")"
		done
		ktap_print_msg "$mode: rounds from the publisher to the last node, values of n1 n4 n7 n10:$r"
		ktap_test_pass "lossy network, $mode: 4 values on $N/$N nodes"
	else
		ktap_test_fail "lossy network, $mode: 4 values on $N/$N nodes"
	fi
done
for ((i = 1; i <= N; i++)); do
	tc -n "$(node_ns "$i")" -s qdisc show dev eth0
	tc -n "$(node_ns "$i")" qdisc del dev eth0 root
done | awk '/^ Sent/ { sent += $4; sub(/,/, "", $7); drop += $7 }
	END { printf "# netem, over the three modes: %d packets dropped, %d passed (datagrams, duplicates, ARP)\n", drop, sent }'
ktap_print_msg "1. took $((SECONDS - start)) s"

# 2. Partition and heal ----------------------------------------------------
# partition on|off: on the hub's port to node I (its egress), a prio qdisc
# and a u32 filter drop IPv4 from the other half: what both test kernels
# have (the debug kernel has no clsact or flower).
partition() {
	local i
	for ((i = 1; i <= N; i++)); do
		if [ "$1" = on ]; then
			echo "qdisc add dev v$i root handle 1: prio"
			echo "filter add dev v$i parent 1: protocol ip pref 1 u32 match ip src 10.99.0.$((i <= HALF ? 8 : 0))/29 action drop"
		else
			echo "qdisc del dev v$i root"
		fi
	done | tc -n "$HUB" -b -
}

# partition_drops: datagrams the partition's filters dropped.
partition_drops() {
	for ((i = 1; i <= N; i++)); do
		echo "filter show dev v$i parent 1:"
	done | tc -n "$HUB" -s -b - |
		awk 'match($0, /dropped [0-9]+/) { d += substr($0, RSTART + 8, RLENGTH - 8) }
			END { print d + 0 }'
}

# entry_of I KEY: sets VALUE ORIGIN VERSION STAMP from node I's KEY.
entry_of() { entry_in "$(gadm "$1" -j get "$2")" "$2"; }

for mode in pushpull push; do
	start=$SECONDS
	set_all mode "$mode"
	ok=0
	partition on || { ktap_print_msg "partition: tc failed"; ok=1; }
	# A key on either side, and one key on both (n3 and n9). Each node's
	# entry read right after its publish: nothing else can have
	# overwritten it yet.
	gadm 2 publish "part-$mode-a" from-a
	gadm 8 publish "part-$mode-b" from-b
	gadm 3 publish "race-$mode" a-side
	entry_of 3 "race-$mode"
	va=$VERSION oa=$ORIGIN
	gadm 9 publish "race-$mode" b-side
	entry_of 9 "race-$mode"
	vb=$VERSION ob=$ORIGIN
	if ((vb > va || (vb == va && ob > oa))); then
		winner=b-side
	else
		winner=a-side
	fi
	ktap_print_msg "$mode: race-$mode on n3 (version $va, origin $oa), on n9 (version $vb, origin $ob): '$winner' must win"
	side_a=("part-$mode-a=from-a" "race-$mode=a-side")
	side_b=("part-$mode-b=from-b" "race-$mode=b-side")
	wait_nodes 1 $HALF "${side_a[@]}" || ok=1
	wait_nodes $((HALF + 1)) $N "${side_b[@]}" || ok=1
	# Each side is complete; 20 more rounds for the other side's values
	# to leak through, had the partition one.
	sleep $((20 * INTERVAL / 1000))
	check_nodes 1 $HALF "${side_a[@]}" "part-$mode-b=!" || ok=1
	check_nodes $((HALF + 1)) $N "${side_b[@]}" "part-$mode-a=!" || ok=1
	drops=$(partition_drops)
	ktap_print_msg "$mode: the partition dropped $drops datagrams"
	ktap_result "partition, $mode: each side holds its own values and none of the other's" \
		test $ok -eq 0 -a "$drops" -gt 0

	healed=$(uptime_ns)
	partition off || ktap_print_msg "heal: tc failed"
	union=("part-$mode-a=from-a" "part-$mode-b=from-b" "race-$mode=$winner")
	if wait_nodes 1 $N "${union[@]}" && same_entry "race-$mode"; then
		ktap_print_msg "$mode: the last node had everything $(rounds_since "$healed" 1 $N "part-$mode-a" "part-$mode-b" "race-$mode") rounds after the heal"
		ktap_test_pass "heal, $mode: the union on $N/$N nodes, '$winner' with one version and origin everywhere"
	else
		ktap_test_fail "heal, $mode: the union on $N/$N nodes, '$winner' with one version and origin everywhere"
	fi
	ktap_print_msg "2. $mode took $((SECONDS - start)) s"
done

# 3. Node restart ----------------------------------------------------------
start=$SECONDS
set_all mode pushpull
# (a) down; values published elsewhere, and one deleted; up.
gadm 5 down
gadm 1 publish late-1 one
gadm 9 publish late-2 two
gadm 12 delete part-push-a
late=("late-1=one" "late-2=two" "part-push-a=!")
wait_nodes 1 4 "${late[@]}" || ktap_print_msg "n1..n4 did not get the late values"
t0=$SECONDS
up_at=$(uptime_ns)
gadm 5 up
if wait_nodes 5 5 "${late[@]}"; then
	ktap_print_msg "n5 up: caught up after $((SECONDS - t0)) s, $(rounds_since "$up_at" 5 5 late-1 late-2) rounds after up"
	ktap_test_pass "restart: n5 down then up holds the 2 values published and lacks the one deleted meanwhile"
else
	ktap_test_fail "restart: n5 down then up holds the 2 values published and lacks the one deleted meanwhile"
fi

# (b) n6's netns deleted, made again with the same address, configured.
inum=$(netns_inum "$(node_ns 6)")
ip netns del "$(node_ns 6)"
if slowwait $WAIT kmsg_balance_netns "$inum"; then
	ktap_test_pass "restart: n6's netns deleted, its objects destroyed"
else
	kmsg_balance_netns -v "$inum"
	ktap_test_fail "restart: n6's netns deleted, its objects destroyed"
fi
# The hub's end of the old veth goes with the namespace, asynchronously:
# the new one gets another name.
node_create 6 v6b
t0=$SECONDS
up_at=$(uptime_ns)
{
	echo "set interval $INTERVAL fanout 3 mode pushpull"
	for ((j = 1; j <= N; j++)); do
		[ "$j" -eq 6 ] || echo "peer add $(node_addr "$j"):7946"
	done
	echo up
} | gadm 6 -b -
same_dump() { [ "$(gadm 6 dump | sort)" = "$(gadm 1 dump | sort)" ]; }
if slowwait $WAIT same_dump && same_dump; then
	jdump 6
	ktap_print_msg "new n6: $(($(gadm 6 dump | wc -l) - 1)) entries, the same as n1's, after $((SECONDS - t0)) s; it stored the last $(rounds_since "$up_at" 6 6) rounds after up"
	ktap_test_pass "restart: the new n6 holds exactly what n1 holds"
else
	diff <(gadm 1 dump | sort) <(gadm 6 dump | sort) | sed 's/^/# /'
	ktap_test_fail "restart: the new n6 holds exactly what n1 holds"
fi

# (c) n6 publishes, its netns goes and comes back, and it publishes at once,
# before it has caught up: the new value must reach every node. (Its clock
# starts at the CLOCK_REALTIME microsecond the instance was made, above its
# earlier life's versions, which its peers' marks already cover.)
gadm 6 publish n6-first 1
slowwait $WAIT all_have n6-first 1
sleep 1	# rounds enough for every mark of n6's origin to cover it
ip netns del "$(node_ns 6)"
node_create 6 v6c
{
	echo "set interval $INTERVAL fanout 3 mode pushpull"
	for ((j = 1; j <= N; j++)); do
		[ "$j" -eq 6 ] || echo "peer add $(node_addr "$j"):7946"
	done
	echo up
	echo "publish n6-again 2"
} | gadm 6 -b -
if slowwait $WAIT all_have n6-again 2; then
	ktap_test_pass "restart: a value the re-created n6 publishes at once reaches every node"
else
	ktap_print_msg "n6-again on $(count_have n6-again 2)/$N nodes"
	ktap_test_fail "restart: a value the re-created n6 publishes at once reaches every node"
fi
ktap_print_msg "3. took $((SECONDS - start)) s"

# 4. Cycles ----------------------------------------------------------------
# From now on a cluster of n1..n$SMALL: the others go.
for ((i = SMALL + 1; i <= N; i++)); do
	ip netns del "$(node_ns "$i")"
done
INTERVAL=$SMALL_INTERVAL
# A copy without debug sections loads faster (the code is the same).
KO=$TMP/gossip.ko
objcopy --strip-debug "$GOSSIP_KO" "$KO" 2>/dev/null || cp "$GOSSIP_KO" "$KO"

# small_up I [CMD...]: node I configured into the small cluster and up,
# then CMDs, in one gossipadm batch.
small_up() {
	local i=$1 j
	shift
	{
		echo "set interval $SMALL_INTERVAL fanout 2 mode pushpull"
		for ((j = 1; j <= SMALL; j++)); do
			[ "$i" -eq "$j" ] || echo "peer add $(node_addr "$j"):7946"
		done
		echo up
		for j in "$@"; do
			echo "$j"
		done
	} | gadm "$i" -b -
}

# fresh: node 1's instance is new: down, no peers, no entries (one batch:
# show, peer show, dump).
fresh() {
	local out
	out=$(printf 'show\npeer show\ndump\n' | gadm 1 -b -) || return 1
	grep -Eq '^ *state:? +down$' <<<"$out" &&
		! grep -q '10\.99\.' <<<"$out" &&
		! grep -q '^cycle ' <<<"$out"
}

# kmsg_totals: adds kmsg_balance's "objects created X destroyed Y" to
# CREATED and DESTROYED; fails if they differ or the log is not clean.
CREATED=0
DESTROYED=0
kmsg_totals() {
	local out c d rc=0
	out=$(kmsg_balance) || rc=1
	read -r _ _ _ c _ d <<<"$out"
	CREATED=$((CREATED + c))
	DESTROYED=$((DESTROYED + d))
	kmsg_clean || rc=1
	[ $rc -eq 0 ] || echo "$out"
	return $rc
}

# Module cycles. The log is checked, then cleared, every 10 cycles: the
# kernel's ring (128 KiB) holds fewer than 100 cycles of debug lines.
start=$SECONDS
bad=0
spread=0
checks=0
rmmod gossip || bad=1
kmsg_totals || bad=1
dmesg -C
for ((c = 1; c <= CYCLES; c++)); do
	insmod "$KO" dyndbg=+p || { bad=1; break; }
	if ((c % 10 == 0)); then
		checks=$((checks + 1))
		fresh || { ktap_print_msg "cycle $c: n1's instance not new after insmod"; bad=1; }
	fi
	pids=()
	for ((i = 2; i <= SMALL; i++)); do
		small_up "$i" &
		pids+=($!)
	done
	small_up 1 "publish cycle c$c" || bad=1
	wait_pids "${pids[@]}" || bad=1
	if ((c % 10 == 0)); then
		if wait_nodes 1 $SMALL "cycle=c$c"; then
			spread=$((spread + 1))
		else
			ktap_print_msg "cycle $c: the value did not reach every node"
		fi
	fi
	rmmod gossip || { bad=1; break; }
	if ((c % 10 == 0)); then
		kmsg_totals || { ktap_print_msg "cycle $c: kernel log above"; bad=1; }
		dmesg -C
	fi
done
kmsg_totals || bad=1
ktap_print_msg "$((c - 1)) cycles of insmod, $SMALL-node cluster, rmmod: $((SECONDS - start)) s"
ktap_result "module cycles: new instances every time, a value on $SMALL/$SMALL nodes on $spread/$checks checked cycles" \
	test "$spread" -eq "$checks" -a "$checks" -eq $((CYCLES / 10)) -a "$bad" -eq 0
ktap_print_msg "module cycles: objects created $CREATED destroyed $DESTROYED"
ktap_result "module cycles: kernel log clean, every object destroyed" \
	test "$bad" -eq 0 -a "$CREATED" -eq "$DESTROYED" -a "$CREATED" -gt 0
dmesg -C

# Netns cycles: n$SMALL deleted and made again while the others gossip.
# Their debug lines overflow the kernel's ring: kmsg_text keeps them in
# KMSG_LOG, drained every 10 cycles.
KMSG_LOG=$TMP/kmsg
: >"$KMSG_LOG"
start=$SECONDS
bad=0
spread=0
checks=0
insmod "$KO" dyndbg=+p || bad=1
for ((i = 1; i <= SMALL; i++)); do
	small_up "$i" || bad=1
done
gadm 1 publish steady yes
inums=()
for ((c = 1; c <= CYCLES; c++)); do
	inums+=("$(netns_inum "$(node_ns $SMALL)")")
	ip netns del "$(node_ns $SMALL)"
	# The old hub port goes asynchronously: a new name.
	node_create $SMALL "v$SMALL-$c" || { bad=1; break; }
	small_up $SMALL || bad=1
	if ((c % 10 == 0)); then
		kmsg_text >/dev/null
		checks=$((checks + 1))
		if wait_nodes $SMALL $SMALL steady=yes; then
			spread=$((spread + 1))
		else
			ktap_print_msg "netns cycle $c: the new n$SMALL did not get 'steady'"
		fi
	fi
done
ktap_print_msg "$((c - 1)) cycles of ip netns del/add of n$SMALL: $((SECONDS - start)) s"
ktap_result "netns cycles: the new n$SMALL got the cluster's value on $spread/$checks checked cycles" \
	test "$spread" -eq "$checks" -a "$checks" -eq $((CYCLES / 10)) -a "$bad" -eq 0
inums+=("$(netns_inum "$(node_ns $SMALL)")")
ip netns del "$(node_ns $SMALL)"
ktap_print_msg "kernel log of the netns cycles: $(kmsg_text | wc -l) lines"
# Inode numbers are reused: each once.
mapfile -t inums < <(printf '%s\n' "${inums[@]}" | sort -u)
if slowwait $WAIT kmsg_balance_netns "${inums[@]}" && kmsg_clean; then
	ktap_test_pass "netns cycles: kernel log clean, the objects of all $((c)) namespaces destroyed"
else
	kmsg_balance_netns -v "${inums[@]}"
	ktap_test_fail "netns cycles: kernel log clean, the objects of all $((c)) namespaces destroyed"
fi

cleanup
if rmmod gossip && kmsg_balance && kmsg_clean; then
	ktap_test_pass "rmmod: every object destroyed"
else
	ktap_test_fail "rmmod: every object destroyed"
fi
ktap_finished
