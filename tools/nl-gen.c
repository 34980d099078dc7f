// SPDX-License-Identifier: GPL-2.0
/* Do not edit: generated from
 * Documentation/netlink/specs/gossip.yaml
 * by scripts/netlink-gen.py.
 */

#include "nl-gen.h"

const struct nla_policy gossip_policy[GOSSIP_A_MAX + 1] = {
	[GOSSIP_A_MODE] = { .type = NLA_U32 },
	[GOSSIP_A_FANOUT] = { .type = NLA_U32 },
	[GOSSIP_A_INTERVAL_MS] = { .type = NLA_U32 },
	[GOSSIP_A_PORT] = { .type = NLA_U16 },
	[GOSSIP_A_NODE_ID] = { .type = NLA_U32 },
	[GOSSIP_A_MAX_DGRAM] = { .type = NLA_U32 },
	[GOSSIP_A_RUNNING] = { .type = NLA_U8 },
	[GOSSIP_A_PEER] = { .type = NLA_NESTED },
	[GOSSIP_A_ENTRY] = { .type = NLA_NESTED },
	[GOSSIP_A_STATS] = { .type = NLA_NESTED },
	[GOSSIP_A_PAD] = { .type = NLA_UNSPEC },
	[GOSSIP_A_TOMBSTONE_MS] = { .type = NLA_U32 },
	[GOSSIP_A_LOCKSTEP] = { .type = NLA_U8 },
	[GOSSIP_A_AUTHKEY] = { .type = NLA_NESTED },
	[GOSSIP_A_LABEL] = { .type = NLA_UNSPEC, .maxlen = GOSSIP_LABEL_MAX },
	[GOSSIP_A_AUTH] = { .type = NLA_U8 },
	[GOSSIP_A_EAGER] = { .type = NLA_U8 },
	[GOSSIP_A_STORE_BYTES] = { .type = NLA_U32 },
	[GOSSIP_A_REJECT_RATE] = { .type = NLA_U32 },
	[GOSSIP_A_PEERS] = { .type = NLA_NESTED },
	[GOSSIP_A_MAX_SKEW_MS] = { .type = NLA_U32 },
};

static const char *const gossip_names[GOSSIP_A_MAX + 1] = {
	[GOSSIP_A_MODE] = "mode",
	[GOSSIP_A_FANOUT] = "fanout",
	[GOSSIP_A_INTERVAL_MS] = "interval-ms",
	[GOSSIP_A_PORT] = "port",
	[GOSSIP_A_NODE_ID] = "node-id",
	[GOSSIP_A_MAX_DGRAM] = "max-dgram",
	[GOSSIP_A_RUNNING] = "running",
	[GOSSIP_A_PEER] = "peer",
	[GOSSIP_A_ENTRY] = "entry",
	[GOSSIP_A_STATS] = "stats",
	[GOSSIP_A_PAD] = "pad",
	[GOSSIP_A_TOMBSTONE_MS] = "tombstone-ms",
	[GOSSIP_A_LOCKSTEP] = "lockstep",
	[GOSSIP_A_AUTHKEY] = "authkey",
	[GOSSIP_A_LABEL] = "label",
	[GOSSIP_A_AUTH] = "auth",
	[GOSSIP_A_EAGER] = "eager",
	[GOSSIP_A_STORE_BYTES] = "store-bytes",
	[GOSSIP_A_REJECT_RATE] = "reject-rate",
	[GOSSIP_A_PEERS] = "peers",
	[GOSSIP_A_MAX_SKEW_MS] = "max-skew-ms",
};

const struct nla_policy gossip_peer_policy[GOSSIP_PEER_A_MAX + 1] = {
	[GOSSIP_PEER_A_ADDR4] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[GOSSIP_PEER_A_ADDR6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[GOSSIP_PEER_A_PORT] = { .type = NLA_U16 },
};

static const char *const gossip_peer_names[GOSSIP_PEER_A_MAX + 1] = {
	[GOSSIP_PEER_A_ADDR4] = "addr4",
	[GOSSIP_PEER_A_ADDR6] = "addr6",
	[GOSSIP_PEER_A_PORT] = "port",
};

const struct nla_policy gossip_authkey_policy[GOSSIP_AUTHKEY_A_MAX + 1] = {
	[GOSSIP_AUTHKEY_A_ID] = { .type = NLA_U8 },
	[GOSSIP_AUTHKEY_A_SECRET] = { .type = NLA_UNSPEC, .minlen = GOSSIP_SECRET_LEN, .maxlen = GOSSIP_SECRET_LEN },
	[GOSSIP_AUTHKEY_A_PRIMARY] = { .type = NLA_U8 },
};

static const char *const gossip_authkey_names[GOSSIP_AUTHKEY_A_MAX + 1] = {
	[GOSSIP_AUTHKEY_A_ID] = "id",
	[GOSSIP_AUTHKEY_A_SECRET] = "secret",
	[GOSSIP_AUTHKEY_A_PRIMARY] = "primary",
};

const struct nla_policy gossip_entry_policy[GOSSIP_ENTRY_A_MAX + 1] = {
	[GOSSIP_ENTRY_A_KEY] = { .type = NLA_UNSPEC, .maxlen = GOSSIP_KEY_MAX },
	[GOSSIP_ENTRY_A_VALUE] = { .type = NLA_UNSPEC, .maxlen = GOSSIP_VALUE_MAX },
	[GOSSIP_ENTRY_A_ORIGIN] = { .type = NLA_U32 },
	[GOSSIP_ENTRY_A_VERSION] = { .type = NLA_U64 },
	[GOSSIP_ENTRY_A_PAD] = { .type = NLA_UNSPEC },
	[GOSSIP_ENTRY_A_STAMP_NS] = { .type = NLA_U64 },
	[GOSSIP_ENTRY_A_DELETED] = { .type = NLA_U8 },
};

static const char *const gossip_entry_names[GOSSIP_ENTRY_A_MAX + 1] = {
	[GOSSIP_ENTRY_A_KEY] = "key",
	[GOSSIP_ENTRY_A_VALUE] = "value",
	[GOSSIP_ENTRY_A_ORIGIN] = "origin",
	[GOSSIP_ENTRY_A_VERSION] = "version",
	[GOSSIP_ENTRY_A_PAD] = "pad",
	[GOSSIP_ENTRY_A_STAMP_NS] = "stamp-ns",
	[GOSSIP_ENTRY_A_DELETED] = "deleted",
};

const struct nla_policy gossip_stats_policy[GOSSIP_STATS_A_MAX + 1] = {
	[GOSSIP_STATS_A_PAD] = { .type = NLA_UNSPEC },
	[GOSSIP_STATS_A_ROUNDS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_DGRAMS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_BYTES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_ERRORS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_DGRAMS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_BYTES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RUMORS_PUBLISHED] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RUMORS_APPLIED] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RUMORS_DUPLICATE] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_SHORT] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_MAGIC] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_VERSION] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_TYPE] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_LENGTH] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_ENTRY] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_FULL] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_NOMEM] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_PEERS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_ENTRIES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_REQUESTS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_REQUESTS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_REPLIES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TOMBSTONES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TOMBSTONES_COLLECTED] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_LARGEST] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_UNAUTH] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_AUTH] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_REPLAY] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_LABEL] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_RATELIMIT] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_MEM_BYTES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_STORE_BYTES] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_EAGER] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_ROUND_LATE_P50_US] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_ROUND_LATE_P99_US] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_ROUND_LATE_MAX_US] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_ROUND_NS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_NS] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_FUTURE] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_ORIGIN] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_ERR_SIZE] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_RX_REQ_STRANGER] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TX_REPLY_CUT] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_REPLAY_EVICTED] = { .type = NLA_U64 },
	[GOSSIP_STATS_A_TOMBSTONES_EXPIRED] = { .type = NLA_U64 },
};

static const char *const gossip_stats_names[GOSSIP_STATS_A_MAX + 1] = {
	[GOSSIP_STATS_A_PAD] = "pad",
	[GOSSIP_STATS_A_ROUNDS] = "rounds",
	[GOSSIP_STATS_A_TX_DGRAMS] = "tx-dgrams",
	[GOSSIP_STATS_A_TX_BYTES] = "tx-bytes",
	[GOSSIP_STATS_A_TX_ERRORS] = "tx-errors",
	[GOSSIP_STATS_A_RX_DGRAMS] = "rx-dgrams",
	[GOSSIP_STATS_A_RX_BYTES] = "rx-bytes",
	[GOSSIP_STATS_A_RUMORS_PUBLISHED] = "rumors-published",
	[GOSSIP_STATS_A_RUMORS_APPLIED] = "rumors-applied",
	[GOSSIP_STATS_A_RUMORS_DUPLICATE] = "rumors-duplicate",
	[GOSSIP_STATS_A_RX_ERR_SHORT] = "rx-err-short",
	[GOSSIP_STATS_A_RX_ERR_MAGIC] = "rx-err-magic",
	[GOSSIP_STATS_A_RX_ERR_VERSION] = "rx-err-version",
	[GOSSIP_STATS_A_RX_ERR_TYPE] = "rx-err-type",
	[GOSSIP_STATS_A_RX_ERR_LENGTH] = "rx-err-length",
	[GOSSIP_STATS_A_RX_ERR_ENTRY] = "rx-err-entry",
	[GOSSIP_STATS_A_RX_ERR_FULL] = "rx-err-full",
	[GOSSIP_STATS_A_RX_ERR_NOMEM] = "rx-err-nomem",
	[GOSSIP_STATS_A_PEERS] = "peers",
	[GOSSIP_STATS_A_ENTRIES] = "entries",
	[GOSSIP_STATS_A_TX_REQUESTS] = "tx-requests",
	[GOSSIP_STATS_A_RX_REQUESTS] = "rx-requests",
	[GOSSIP_STATS_A_TX_REPLIES] = "tx-replies",
	[GOSSIP_STATS_A_TOMBSTONES] = "tombstones",
	[GOSSIP_STATS_A_TOMBSTONES_COLLECTED] = "tombstones-collected",
	[GOSSIP_STATS_A_TX_LARGEST] = "tx-largest",
	[GOSSIP_STATS_A_RX_ERR_UNAUTH] = "rx-err-unauth",
	[GOSSIP_STATS_A_RX_ERR_AUTH] = "rx-err-auth",
	[GOSSIP_STATS_A_RX_ERR_REPLAY] = "rx-err-replay",
	[GOSSIP_STATS_A_RX_ERR_LABEL] = "rx-err-label",
	[GOSSIP_STATS_A_RX_ERR_RATELIMIT] = "rx-err-ratelimit",
	[GOSSIP_STATS_A_MEM_BYTES] = "mem-bytes",
	[GOSSIP_STATS_A_STORE_BYTES] = "store-bytes",
	[GOSSIP_STATS_A_TX_EAGER] = "tx-eager",
	[GOSSIP_STATS_A_ROUND_LATE_P50_US] = "round-late-p50-us",
	[GOSSIP_STATS_A_ROUND_LATE_P99_US] = "round-late-p99-us",
	[GOSSIP_STATS_A_ROUND_LATE_MAX_US] = "round-late-max-us",
	[GOSSIP_STATS_A_ROUND_NS] = "round-ns",
	[GOSSIP_STATS_A_RX_NS] = "rx-ns",
	[GOSSIP_STATS_A_RX_ERR_FUTURE] = "rx-err-future",
	[GOSSIP_STATS_A_RX_ERR_ORIGIN] = "rx-err-origin",
	[GOSSIP_STATS_A_RX_ERR_SIZE] = "rx-err-size",
	[GOSSIP_STATS_A_RX_REQ_STRANGER] = "rx-req-stranger",
	[GOSSIP_STATS_A_TX_REPLY_CUT] = "tx-reply-cut",
	[GOSSIP_STATS_A_REPLAY_EVICTED] = "replay-evicted",
	[GOSSIP_STATS_A_TOMBSTONES_EXPIRED] = "tombstones-expired",
};

const struct gnl_set gossip_sets[] = {
	{ "gossip", gossip_names, GOSSIP_A_MAX },
	{ "peer", gossip_peer_names, GOSSIP_PEER_A_MAX },
	{ "authkey", gossip_authkey_names, GOSSIP_AUTHKEY_A_MAX },
	{ "entry", gossip_entry_names, GOSSIP_ENTRY_A_MAX },
	{ "stats", gossip_stats_names, GOSSIP_STATS_A_MAX },
	{ NULL, NULL, 0 },
};

const struct gnl_set *const gossip_nests[GOSSIP_A_MAX + 1] = {
	[0] = &gossip_sets[0],
	[GOSSIP_A_PEER] = &gossip_sets[1],
	[GOSSIP_A_ENTRY] = &gossip_sets[3],
	[GOSSIP_A_STATS] = &gossip_sets[4],
	[GOSSIP_A_AUTHKEY] = &gossip_sets[2],
	[GOSSIP_A_PEERS] = &gossip_sets[0],
};

const char *const gossip_cmd_names[GOSSIP_CMD_MAX + 1] = {
	[GOSSIP_CMD_CONFIG_GET] = "config-get",
	[GOSSIP_CMD_CONFIG_SET] = "config-set",
	[GOSSIP_CMD_INSTANCE_UP] = "instance-up",
	[GOSSIP_CMD_INSTANCE_DOWN] = "instance-down",
	[GOSSIP_CMD_PEER_ADD] = "peer-add",
	[GOSSIP_CMD_PEER_DEL] = "peer-del",
	[GOSSIP_CMD_PEER_GET] = "peer-get",
	[GOSSIP_CMD_ENTRY_PUBLISH] = "entry-publish",
	[GOSSIP_CMD_ENTRY_GET] = "entry-get",
	[GOSSIP_CMD_STATS_GET] = "stats-get",
	[GOSSIP_CMD_ENTRY_NTF] = "entry-ntf",
	[GOSSIP_CMD_ENTRY_DEL] = "entry-del",
	[GOSSIP_CMD_AUTHKEY_ADD] = "authkey-add",
	[GOSSIP_CMD_AUTHKEY_USE] = "authkey-use",
	[GOSSIP_CMD_AUTHKEY_DEL] = "authkey-del",
	[GOSSIP_CMD_AUTHKEY_GET] = "authkey-get",
};
