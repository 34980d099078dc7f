# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The efficiency section of the spreading benchmark (issue 16), sourced by
# selftests/bench.sh inside the VM when GOSSIP_BENCH_EFFICIENCY is on or
# only: what one update costs and how long it takes, and what an idle
# cluster sends, in the realistic setting (lockstep off, jittered rounds).
#
# For each size of GOSSIP_BENCH_EFF_SIZES (64 256), loss of
# GOSSIP_BENCH_EFF_LOSSES (0 10 %: netem on every node's eth0, so each
# datagram is dropped with that probability), mode of GOSSIP_BENCH_EFF_MODES
# (push pull pushpull) and eager setting of GOSSIP_BENCH_EFF_EAGER (on off),
# at GOSSIP_BENCH_EFF_INTERVAL (200 ms) and GOSSIP_BENCH_EFF_FANOUT (3),
# once every node has published a value of its own (n origins: the idle
# digests' size depends on how many) and every node holds them:
#   1. idle: the cluster holds nothing new (every earlier value has left
#      every node's hot window); the counters over GOSSIP_BENCH_EFF_IDLE s
#      (10);
#   2. GOSSIP_BENCH_EFF_TRIALS (5) updates, one at a time: a fresh key
#      published on a random node with a value of GOSSIP_BENCH_EFF_VALUE
#      bytes (32); the window of an update runs from the counters read just
#      before its publish until every node holds it and then the settle
#      time has passed: max(hot window, 8 rounds: push's digest period)
#      + 2 rounds, +10 % jitter, so that nothing of it is still hot
#      anywhere when the next one is published and its copies are its own.
#      Windows are contiguous: the sums over a cell count everything once.
# Raw figures (scripts/bench_report.py makes the table and the plot):
#   eff_updates.csv   cell columns, trial, all (1 if every node held it
#                     within the wait), then the window's counter deltas
#   eff_idle.csv      cell columns, then the idle window's deltas
#   eff_arrivals.csv  cell columns, trial, node, delay_ms: the node's own
#                     stamp of when it stored the value (dump's stamp_ns)
#                     minus the publisher's
#   eff_trace-TAG-T.txt  with GOSSIP_BENCH_EFF_TRACE=on: the module's
#                     tracepoints (datagrams sent and received, entries
#                     applied) over update T's window, and eff_nodes-N.csv
#                     (node, netns inode, address) to read them with:
#                     scripts/eff_trace.py says how each node got the
#                     value, and where the last ones' time went
# cell columns: n,mode,eager,loss_pct,fanout,interval_ms,value_bytes;
# deltas: window_ms, then EFF_COUNTERS summed over the nodes.

EFF_SIZES=${GOSSIP_BENCH_EFF_SIZES:-64 256}
EFF_LOSSES=${GOSSIP_BENCH_EFF_LOSSES:-0 10}
EFF_MODES=${GOSSIP_BENCH_EFF_MODES:-push pull pushpull}
EFF_EAGER=${GOSSIP_BENCH_EFF_EAGER:-on off}
EFF_INTERVAL=${GOSSIP_BENCH_EFF_INTERVAL:-200}
EFF_FANOUT=${GOSSIP_BENCH_EFF_FANOUT:-3}
EFF_TRIALS=${GOSSIP_BENCH_EFF_TRIALS:-5}
EFF_IDLE=${GOSSIP_BENCH_EFF_IDLE:-10}
EFF_VALUE=${GOSSIP_BENCH_EFF_VALUE:-32}
EFF_TRACE=${GOSSIP_BENCH_EFF_TRACE:-off}
EFF_POLL_IV=${GOSSIP_BENCH_EFF_POLL_IV:-5}
EFF_TRACEFS=/sys/kernel/tracing
EFF_EVENTS="gossip_dgram_sent gossip_dgram_recv gossip_entry_applied"
EFF_COUNTERS="rumors_applied rumors_duplicate tx_dgrams tx_bytes tx_eager tx_requests tx_replies rx_dgrams round_ns rx_ns tx_summaries tx_ihave tx_iwant tx_fetched tx_reply_cut tx_paid tx_paid_bytes tx_iwant_retry tx_tree tx_prune"

# eff_snap: the time (µs, the middle of the reading), then each counter of
# EFF_COUNTERS summed over the nodes, on one line. awk, not python: under
# TCG on a loaded host python's start alone took seconds, and a cell reads
# the counters once per update.
eff_snap() {
	local t0=${EPOCHREALTIME/./} sums
	sums=$(stats_all | awk -v names="$EFF_COUNTERS" '
		BEGIN { k = split(names, name, " ") }
		{
			for (i = 1; i <= k; i++)
				if (match($0, "\"" name[i] "\":[0-9]+"))
					sum[i] += substr($0, RSTART + length(name[i]) + 3, RLENGTH - length(name[i]) - 3)
			nodes++
		}
		END {
			if (nodes != '"$CLUSTER_N"') exit 1
			for (i = 1; i <= k; i++)
				printf "%s%.0f", (i > 1 ? " " : ""), sum[i]
			print ""
		}') || return 1
	echo "$(((t0 + ${EPOCHREALTIME/./}) / 2)) $sums"
}

# eff_row PREFIX BEFORE AFTER: PREFIX, the window in ms, then each counter
# of AFTER minus BEFORE (two eff_snap lines), comma-separated.
eff_row() {
	local -a a b
	read -r -a a <<<"$2"
	read -r -a b <<<"$3"
	local i line="$1,$(((b[0] - a[0]) / 1000))"
	for ((i = 1; i < ${#a[@]}; i++)); do
		line+=",$((b[i] - a[i]))"
	done
	echo "$line"
}

# eff_loss PCT: netem dropping PCT % of what every node sends (0: none).
eff_loss() {
	local i ns
	for ((i = 1; i <= CLUSTER_N; i++)); do
		ns=$(node_ns "$i")
		if [ "$1" = 0 ]; then
			tc -n "$ns" qdisc del dev eth0 root 2>/dev/null || true
		else
			tc -n "$ns" qdisc replace dev eth0 root netem loss "$1%" || return 1
		fi
	done
}

# eff_sleep MS
eff_sleep() { sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"; }

# eff_quiet WHAT: with BEFORE a snapshot, settle windows until one is
# quiet: no digest (tx_requests +0) and at most 1.2 datagrams a second
# per node; at most 120 of them. Prints how long it took; leaves the last
# snapshot in AFTER.
eff_quiet() {
	local t1=$SECONDS i
	local -a d
	for ((i = 0; i < 120; i++)); do
		eff_sleep "$settle"
		after=$(eff_snap) || exit 1
		read -r -a d < <(eff_row "" "$before" "$after" | tr , ' ')
		before=$after
		[ "${d[6]}" -eq 0 ] &&
			[ $((d[3] * 1000)) -le $((CLUSTER_N * d[0] * 12 / 10)) ] && break
	done
	echo "# efficiency: $1: quiet after $((SECONDS - t1)) s (last settle: ${d[0]} ms, ${d[6]} digests, ${d[3]} datagrams, ${d[11]} summaries)"
}

# eff_arrivals TAG CELL: each node's delay for each key TAG-<trial>, from
# one dump of every node, appended to eff_arrivals.csv.
eff_arrivals() {
	each_node dump | "$GOSSIPADM" -j -b - > "$OUT/dumps.json" || return 1
	python3 - "$OUT" "$1" "$2" <<'PY'
import json, sys
out, tag, cell = sys.argv[1:]
stamps = {}
for i, line in enumerate(open(f"{out}/dumps.json"), 1):  # a node a line
    for e in json.loads(line):
        if e["key"].startswith(tag + "-"):
            stamps.setdefault(e["key"], {})[i] = e["stamp_ns"]
with open(f"{out}/eff_arrivals.csv", "a") as f:
    for key, nodes in stamps.items():
        t0 = min(nodes.values())    # the publisher stored it first
        for i, ns in sorted(nodes.items()):
            f.write(f"{cell},{key.rsplit('-', 1)[1]},{i},{(ns - t0) / 1e6:.3f}\n")
PY
}

# eff_links: the link ends of the eager tree over all nodes (peer list's
# tree column), a gauge no counter gives.
eff_links() {
	each_node peer list | "$GOSSIPADM" -j -b - |
		awk '{ n += gsub(/"tree":true/, "") } END { print n + 0 }'
}

# eff_trace_start: with GOSSIP_BENCH_EFF_TRACE=on, an empty trace buffer
# recording the module's datagrams and applied entries.
eff_trace_start() {
	local e
	[ "$EFF_TRACE" = on ] || return 0
	echo 0 >"$EFF_TRACEFS/tracing_on" || return 1
	echo >"$EFF_TRACEFS/trace"
	for e in $EFF_EVENTS; do
		echo 1 >"$EFF_TRACEFS/events/gossip/$e/enable" || return 1
	done
	echo 1 >"$EFF_TRACEFS/tracing_on"
}

# eff_trace_save FILE: stop recording, the buffer to FILE (and say when
# the buffer overflowed: the first events were lost).
eff_trace_save() {
	local e
	[ "$EFF_TRACE" = on ] || return 0
	echo 0 >"$EFF_TRACEFS/tracing_on"
	for e in $EFF_EVENTS; do
		echo 0 >"$EFF_TRACEFS/events/gossip/$e/enable"
	done
	cat "$EFF_TRACEFS/trace" >"$1" || return 1
	grep -q '^# entries-in-buffer/entries-written: \([0-9]*\)/\1 ' "$1" ||
		echo "# efficiency: $1: the trace buffer overflowed"
}

# eff_trace_nodes N: node, netns inode, address of the N nodes, to read
# the traces with (their events name the netns by inode).
eff_trace_nodes() {
	local i
	[ "$EFF_TRACE" = on ] || return 0
	echo 65536 >"$EFF_TRACEFS/buffer_size_kb" || return 1
	echo global >"$EFF_TRACEFS/trace_clock"
	for ((i = 1; i <= $1; i++)); do
		echo "$i,$(stat -L -c %i "/run/netns/$(node_ns "$i")"),$(node_addr "$i")"
	done >"$OUT/eff_nodes-$1.csv"
}

eff_cols="n,mode,eager,loss_pct,fanout,interval_ms,value_bytes"
eff_deltas="window_ms,${EFF_COUNTERS// /,}"
[ -f "$OUT/eff_updates.csv" ] ||
	echo "$eff_cols,trial,all,$eff_deltas" > "$OUT/eff_updates.csv"
[ -f "$OUT/eff_idle.csv" ] ||
	echo "$eff_cols,$eff_deltas" > "$OUT/eff_idle.csv"
[ -f "$OUT/eff_arrivals.csv" ] ||
	echo "$eff_cols,trial,node,delay_ms" > "$OUT/eff_arrivals.csv"
value=$(printf "%${EFF_VALUE}s" "" | tr ' ' v)
for n in $EFF_SIZES; do
	echo "# efficiency: n=$n: creating the cluster"
	t0=$SECONDS
	if [ "$n" -gt "$BRIDGE_MAX" ]; then
		routed_create "$n" || exit 1
		CLUSTER_SET="lockstep off" cluster_config "$EFF_INTERVAL" "$EFF_FANOUT" || exit 1
	else
		CLUSTER_SET="lockstep off" cluster_create "$n" "$EFF_INTERVAL" "$EFF_FANOUT" || exit 1
		static_neigh || exit 1
	fi
	# BENCH_KEYS=on: one key on every node, as make bench does; with it,
	# eager on is a lazy push (kmod/send.c).
	if [ "${KEYS:-off}" = on ]; then
		"$GOSSIPADM" key gen >"$OUT/bench.key"
		each_node "key add 1 $OUT/bench.key" | "$GOSSIPADM" -b - || exit 1
		echo "# efficiency: n=$n: every node authenticates with one key"
	fi
	echo "# efficiency: n=$n: $n nodes up in $((SECONDS - t0)) s"
	eff_trace_nodes "$n" || exit 1
	# An entry stays hot 4 * ceil(log10(n + 1)) rounds (design.md): as
	# many rounds as n has digits, times 4; push sends a digest every 8.
	hot=$((4 * ${#n}))
	settle=$((((hot > 8 ? hot : 8) + 2) * EFF_INTERVAL * 11 / 10))	# ms
	wait_s=$((60 * EFF_INTERVAL / 1000 + 10))
	# Every node an origin, as in a cluster in use: a digest carries a mark
	# per origin, so without this the idle bytes would grow from cell to
	# cell as the updates' random publishers became origins. Converged:
	# every node holds them and a settle time brought no copy (the marks
	# are up to date too: nothing is left for anti-entropy). In pushpull,
	# whose digests go out every round.
	each_node set mode pushpull | "$GOSSIPADM" -b - || exit 1
	for ((i = 1; i <= n; i++)); do
		echo "netns $(node_ns "$i")"
		echo "publish eff-origin-$i $value"
	done | "$GOSSIPADM" -b - || exit 1
	slowwait "$wait_s" have_all "$n" ||
		echo "# efficiency: n=$n: not every node holds the $n origins' values"
	before=$(eff_snap) || exit 1
	for ((i = 0; i < 20; i++)); do
		eff_sleep "$settle"
		after=$(eff_snap) || exit 1
		read -r -a d < <(eff_row "" "$before" "$after" | tr , ' ')
		[ $((d[1] + d[2])) -eq 0 ] && break
		before=$after
	done
	echo "# efficiency: n=$n: $n origins converged in $((SECONDS - t0)) s since creation (last settle: ${d[1]} applied, ${d[2]} duplicates)"
	# With eager on the cluster then goes quiet (design.md, "Quiet"),
	# once every node's first life has its peers' acks (a node waiting
	# for them asks with its summaries, fanout a round): until then the
	# idle windows would measure the acks.
	eff_quiet "n=$n: origins"
	for loss in $EFF_LOSSES; do
		eff_loss "$loss" || exit 1
		for mode in $EFF_MODES; do
			for eager in $EFF_EAGER; do
				t1=$SECONDS
				cell="$n,$mode,$eager,$loss,$EFF_FANOUT,$EFF_INTERVAL,$EFF_VALUE"
				tag="eff-n$n-l$loss-$mode-$eager"
				each_node set mode "$mode" eager "$eager" |
					"$GOSSIPADM" -b - || exit 1
				# Pull never sends its hot entries in a round (a
				# rumor's budget is spent by rounds that carry it), so
				# after a pull cell they are still hot and the next
				# push or pushpull rounds would send them: let them go
				# before the idle window.
				eff_sleep "$settle"
				before=$(eff_snap) || exit 1
				# Marks left behind by the cell before (an eager-off
				# push cell's pushes raise none) are brought level by
				# summaries and digests: not idle, and not this
				# cell's. Outside every window, printed.
				if [ "$eager" = on ]; then
					eff_quiet "$tag"
					before=$after
				fi
				sleep "$EFF_IDLE"
				after=$(eff_snap) || exit 1
				eff_row "$cell" "$before" "$after" >> "$OUT/eff_idle.csv"
				before=$after
				links=$(eff_links) || exit 1
				for ((t = 1; t <= EFF_TRIALS; t++)); do
					eff_trace_start || exit 1
					gadm $((RANDOM % n + 1)) publish "$tag-$t" "$value" || exit 1
					# Not polled while it spreads: a poll reads every
					# node (a gossipadm batch of n namespaces), a load
					# on the guest whose queues held datagrams for tens
					# of ms at 256 nodes (the traces of 2026-12-07,
					# docs/benchmarks.md). The nodes' stamps say when
					# each stored it; the poll only ends the wait.
					eff_sleep $((EFF_POLL_IV * EFF_INTERVAL))
					all=1
					slowwait "$wait_s" all_have "$tag-$t" "$value" || {
						all=0
						echo "# $tag-$t: not on every node after $wait_s s"
					}
					eff_sleep "$settle"
					after=$(eff_snap) || exit 1
					eff_trace_save "$OUT/eff_trace-$tag-$t.txt" || exit 1
					eff_row "$cell,$t,$all" "$before" "$after" >> "$OUT/eff_updates.csv"
					before=$after
				done
				eff_arrivals "$tag" "$cell" || exit 1
				echo "# $tag done ($((SECONDS - t1)) s; eager tree: $links link ends before the first update, $(eff_links) after the last)"
			done
		done
	done
	cleanup
done
