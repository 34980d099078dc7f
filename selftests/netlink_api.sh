#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the C netlink API test (netlink_api.c) with the module loaded, then
# what gossipadm says to an unprivileged user (uid 65534): every command,
# reads included, and monitor are refused, and the secret is not printed.
# Unloads the module after.

source "$(dirname "$0")/lib.sh"

require_root
[ -x "$LIB_DIR/netlink_api" ] || { echo "# netlink_api not built"; exit $KSFT_SKIP; }
load_module || exit $KSFT_FAIL
"$LIB_DIR/netlink_api"
rc=$?

# nobody CMD...: gossipadm CMD as uid/gid 65534 in a fresh namespace whose
# instance holds secret=hunter2; prints "EXIT|STDOUT|STDERR".
NS="$NS_PREFIX-perm"
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null' EXIT
"$GOSSIPADM" -n "$NS" publish secret hunter2
nobody() {
	local out err code
	out=$(ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 \
		--clear-groups timeout $((5 * ${GOSSIP_TIMEOUT_MULT:-1})) "$GOSSIPADM" "$@" 2>/tmp/perm.err)
	code=$?
	err=$(cat /tmp/perm.err)
	echo "$code|$out|$err"
}
echo "TAP version 13"
echo "1..7"
n=0
for cmd in show "get secret" dump stats "peer show" "key show" monitor; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # the command's words
	got=$(nobody $cmd)
	case "$cmd" in
	monitor) want='1||gossipadm: monitor: cannot join multicast group "events": Operation not permitted (it needs CAP_NET_ADMIN)' ;;
	*) want="1||gossipadm: ${cmd% secret}: Operation not permitted (every command needs CAP_NET_ADMIN)" ;;
	esac
	if [ "$got" = "$want" ]; then
		echo "ok $n uid 65534: gossipadm $cmd refused"
	else
		echo "# want: $want"
		echo "# got:  $got"
		echo "not ok $n uid 65534: gossipadm $cmd refused"
		rc=$KSFT_FAIL
	fi
done
unload_module || rc=$KSFT_FAIL
exit $rc
