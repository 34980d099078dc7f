#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every operation of the family driven by spec_client.py, a generic client
# that knows only Documentation/netlink/specs/gossip.yaml, as a newer
# kernel's tools/net/ynl would: what it sets gossipadm reads back, what
# gossipadm sets it reads back, its errors name the missing attribute, and
# it receives the notifications of the "events" group, an entry-ntf from
# the network included.
#
#   gsp-PID-s     one instance, down: configuration, peers, entries,
#                 stats, authentication keys (no traffic)
#   gsp-PID-n1 -- br0 in gsp-PID-hub -- gsp-PID-n2   (cluster_create 2)
#                 n2 publishes, n1's listener gets entry-ntf

source "$(dirname "$0")/lib.sh"

PLAN=24
test_begin $PLAN
CLIENT="$LIB_DIR/spec_client.py"
NS="$NS_PREFIX-s"
ip netns add "$NS"

# sc ARGS...: the spec client in the test namespace (JSON lines out).
sc() { ip netns exec "$NS" python3 -B "$CLIENT" "$@"; }
adm() { "$GOSSIPADM" -n "$NS" "$@"; }

# check NAME WANT GOT: one KTAP result.
check() {
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "want: $2"
		ktap_print_msg "got:  $3"
		ktap_test_fail "$1"
	fi
}

# config-get: the defaults the spec's constants give.
got=$(sc do config-get | jq -c '.attrs | [.mode, .fanout, .["interval-ms"], .port, .eager, .lockstep, .running, .auth]')
def=$(python3 -c "
import yaml
c = {d['name']: d['value'] for d in yaml.safe_load(open('$REPO/Documentation/netlink/specs/gossip.yaml'))['definitions'] if d['type'] == 'const'}
print('[1,%d,%d,%d,1,0,0,0]' % (c['default-fanout'], c['default-interval-ms'], c['default-port']))")
check "config-get: the defaults" "$def" "$got"

# config-set of every settable attribute; gossipadm reads them back.
sc do config-set '{"mode": 3, "fanout": 7, "interval-ms": 1234, "port": 8000,
	"node-id": 42, "max-dgram": 9000, "tombstone-ms": 999, "lockstep": 1,
	"label": "blue", "eager": 0, "store-bytes": 8192, "reject-rate": 7,
	"max-skew-ms": 5000}' >/dev/null
check "config-set: every attribute, read by gossipadm" \
	'{"mode":"pushpull","fanout":7,"interval_ms":1234,"port":8000,"node_id":42,"max_dgram":9000,"tombstone_ms":999,"lockstep":true,"eager":false,"label":"blue","store_bytes":8192,"reject_rate":7,"max_skew_ms":5000,"state":"down","auth":false}' \
	"$(adm -j show)"
adm set fanout 5 lockstep off
check "config-get: what gossipadm set" '[5,0]' \
	"$(sc do config-get | jq -c '[.attrs.fanout, .attrs.lockstep]')"
check "config-set: out of range refused" \
	"spec_client: config-set: errno ERANGE: integer out of range" \
	"$(sc do config-set '{"fanout": 17}' 2>&1)"
check "config-set: a boolean is a u8 0 or 1" \
	"spec_client: config-set: errno ERANGE: integer out of range" \
	"$(sc do config-set '{"eager": 2}' 2>&1)"

# instance-up / instance-down
sc do instance-up >/dev/null
check "instance-up: gossipadm sees it up" up "$(adm -j show | jq -r .state)"
check "config-get: running" 1 "$(sc do config-get | jq .attrs.running)"
sc do instance-down >/dev/null
check "instance-down: gossipadm sees it down" down "$(adm -j show | jq -r .state)"

# peers: one, a list, a dump; gossipadm in between
sc do peer-add '{"peer": {"addr4": "10.1.0.1", "port": 7946}}' >/dev/null
sc do peer-add '{"peers": {"peer": [{"addr4": "10.1.0.2", "port": 7000},
	{"addr6": "2001:db8::3", "port": 7946}]}}' >/dev/null
adm peer add 10.1.0.4:7001
check "peer-add, one and a list: gossipadm sees them" \
	'[{"addr":"10.1.0.1","port":7946},{"addr":"10.1.0.2","port":7000},{"addr":"10.1.0.4","port":7001},{"addr":"2001:db8::3","port":7946}]' \
	"$(adm -j peer show | jq -c 'map({addr, port}) | sort_by(.addr)')"
got=$(sc dump peer-get | jq -c '.attrs.peer | [.addr4 // .addr6, .port]' | sort | tr -d '\n')
check "peer-get dump: gossipadm's peer too" \
	'["10.1.0.1",7946]["10.1.0.2",7000]["10.1.0.4",7001]["2001:db8::3",7946]' "$got"
sc do peer-del '{"peer": {"addr4": "10.1.0.4", "port": 7001}}' >/dev/null
check "peer-del: gossipadm sees 3 peers" 3 "$(adm -j peer show | jq length)"
check "peer-add: a missing port named from the spec" \
	"spec_client: peer-add: errno EINVAL: missing peer port: missing attribute port (peer)" \
	"$(sc do peer-add '{"peer": {"addr4": "10.1.0.9"}}' 2>&1)"

# entries
sc do entry-publish '{"entry": {"key": "colour", "value": "blue"}}' >/dev/null
check "entry-publish: gossipadm gets the value" blue "$(adm get colour)"
adm publish shape round
check "entry-get: what gossipadm published" '["shape","round",42,0]' \
	"$(sc do entry-get '{"entry": {"key": "shape"}}' | jq -c '.attrs.entry | [.key, .value, .origin, .deleted]')"
check "entry-get dump: both" '["colour","shape"]' \
	"$(sc dump entry-get | jq -s -c '[.[].attrs.entry.key] | sort')"
sc do entry-del '{"entry": {"key": "colour"}}' >/dev/null
check "entry-del: gone for gossipadm" \
	"gossipadm: get: gossip: no such key (No such file or directory)" \
	"$(adm get colour 2>&1)"
check "entry-publish: missing key named from the spec" \
	"spec_client: entry-publish: errno EINVAL: missing key: missing attribute key (entry)" \
	"$(sc do entry-publish '{"entry": {"value": "v"}}' 2>&1)"

# stats: equal to /sys (the instance is down: nothing moves)
got=$(sc do stats-get | jq -c '.attrs.stats | [.entries, .tombstones, .["rumors-published"], .peers]')
want="[$(ip netns exec "$NS" sh -c 'cd /sys/class/gossip/gossip/stats && echo $(cat entries),$(cat tombstones),$(cat rumors_published),$(cat peers)')]"
check "stats-get: equal to /sys" "$want" "$got"
check "stats-get: 3 publishes (a delete is one), 3 peers" '[3,3]' \
	"$(jq -c '[.[2], .[3]]' <<<"$got")"

# authentication keys
sc do authkey-add "{\"authkey\": {\"id\": 1, \"secret\": \"hex:$(printf '%064d' 7)\"}}" >/dev/null
printf '%064d\n' 8 >"/tmp/spec-key-$$"
adm key add 2 "/tmp/spec-key-$$"
rm -f "/tmp/spec-key-$$"
check "authkey-get dump: gossipadm's key too, 1 primary" '[[1,1],[2,0]]' \
	"$(sc dump authkey-get | jq -s -c '[.[].attrs.authkey | [.id, .primary]] | sort')"
sc do authkey-use '{"authkey": {"id": 2}}' >/dev/null
check "authkey-use: gossipadm sees 2 primary" '[{"id":2,"primary":true},{"id":1,"primary":false}]' \
	"$(adm -j key show)"
sc do authkey-del '{"authkey": {"id": 1}}' >/dev/null
check "authkey-del: gossipadm sees key 2 alone, auth on" '[{"id":2,"primary":true}] true' \
	"$(adm -j key show) $(adm -j show | jq -r .auth)"

# events: a change made by gossipadm, and an entry from the network
ip netns exec "$NS" timeout 20 python3 -B "$CLIENT" listen events 2 \
	>"/tmp/spec-ev-$$" &
LISTENER=$!
slowwait 10 grep -q listening "/tmp/spec-ev-$$"	# the group is joined
adm set fanout 4
adm publish size large
wait $LISTENER
check "events: config-set and entry-publish from gossipadm" \
	'["config-set",4]["entry-publish","size"]' \
	"$(grep -v listening "/tmp/spec-ev-$$" | jq -c '[.op, (.attrs.fanout // .attrs.entry.key)]' | tr -d '\n')"
rm -f "/tmp/spec-ev-$$"

cluster_create 2 100
on 1 timeout 20 python3 -B "$CLIENT" listen events 1 >"/tmp/spec-ntf-$$" &
LISTENER=$!
slowwait 10 grep -q listening "/tmp/spec-ntf-$$"
gadm 2 publish from-n2 hello
wait $LISTENER
check "events: entry-ntf of an entry received from the network" \
	"[\"entry-ntf\",\"from-n2\",\"hello\",$(gadm 2 -j show | jq .node_id)]" \
	"$(grep -v listening "/tmp/spec-ntf-$$" | jq -c '[.op, .attrs.entry.key, .attrs.entry.value, .attrs.entry.origin]')"
rm -f "/tmp/spec-ntf-$$"

ip netns del "$NS"
ktap_finished
