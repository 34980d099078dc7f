// SPDX-License-Identifier: GPL-2.0
/* Do not edit: generated from
 * Documentation/netlink/specs/gossip.yaml
 * by scripts/netlink-gen.py.
 */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <linux/gossip.h>

static struct netlink_range_validation gossip_a_interval_ms_range __ro_after_init = {
	.min = 1ULL,
	.max = 60000ULL,
};

static struct netlink_range_validation gossip_a_max_dgram_range __ro_after_init = {
	.min = 1200ULL,
	.max = 65000ULL,
};

static struct netlink_range_validation gossip_a_tombstone_ms_range __ro_after_init = {
	.min = 10ULL,
	.max = 86400000ULL,
};

static struct netlink_range_validation gossip_a_store_bytes_range __ro_after_init = {
	.min = 4096ULL,
	.max = 67108864ULL,
};

static struct netlink_range_validation gossip_a_reject_rate_range __ro_after_init = {
	.max = 1000000ULL,
};

static struct netlink_range_validation gossip_a_max_skew_ms_range __ro_after_init = {
	.min = 1ULL,
	.max = 86400000ULL,
};

const struct nla_policy gossip_peer_addr_nl_policy[GOSSIP_PEER_A_PORT + 1] = {
	[GOSSIP_PEER_A_ADDR4] = NLA_POLICY_EXACT_LEN(4),
	[GOSSIP_PEER_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[GOSSIP_PEER_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

const struct nla_policy gossip_peer_list_nl_policy[GOSSIP_A_PEER + 1] = {
	[GOSSIP_A_PEER] = NLA_POLICY_NESTED(gossip_peer_addr_nl_policy),
};

const struct nla_policy gossip_entry_publish_nl_policy[GOSSIP_ENTRY_A_VALUE + 1] = {
	[GOSSIP_ENTRY_A_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 1, GOSSIP_KEY_MAX),
	[GOSSIP_ENTRY_A_VALUE] =
		NLA_POLICY_RANGE(NLA_BINARY, 0, GOSSIP_VALUE_MAX),
};

const struct nla_policy gossip_entry_key_nl_policy[GOSSIP_ENTRY_A_KEY + 1] = {
	[GOSSIP_ENTRY_A_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 1, GOSSIP_KEY_MAX),
};

const struct nla_policy gossip_authkey_add_nl_policy[GOSSIP_AUTHKEY_A_SECRET + 1] = {
	[GOSSIP_AUTHKEY_A_ID] = NLA_POLICY_MIN(NLA_U8, 1),
	[GOSSIP_AUTHKEY_A_SECRET] = NLA_POLICY_EXACT_LEN(GOSSIP_SECRET_LEN),
};

const struct nla_policy gossip_authkey_id_nl_policy[GOSSIP_AUTHKEY_A_ID + 1] = {
	[GOSSIP_AUTHKEY_A_ID] = NLA_POLICY_MIN(NLA_U8, 1),
};

/* GOSSIP_CMD_CONFIG_SET - do */
static const struct nla_policy gossip_config_set_do_nl_policy[GOSSIP_A_MAX_SKEW_MS + 1] = {
	[GOSSIP_A_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[GOSSIP_A_FANOUT] = NLA_POLICY_RANGE(NLA_U32, 1, 16),
	[GOSSIP_A_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gossip_a_interval_ms_range),
	[GOSSIP_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[GOSSIP_A_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[GOSSIP_A_MAX_DGRAM] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gossip_a_max_dgram_range),
	[GOSSIP_A_TOMBSTONE_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gossip_a_tombstone_ms_range),
	[GOSSIP_A_LOCKSTEP] = NLA_POLICY_MAX(NLA_U8, 1),
	[GOSSIP_A_LABEL] = NLA_POLICY_RANGE(NLA_BINARY, 0, GOSSIP_LABEL_MAX),
	[GOSSIP_A_EAGER] = NLA_POLICY_MAX(NLA_U8, 1),
	[GOSSIP_A_STORE_BYTES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gossip_a_store_bytes_range),
	[GOSSIP_A_REJECT_RATE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gossip_a_reject_rate_range),
	[GOSSIP_A_MAX_SKEW_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &gossip_a_max_skew_ms_range),
};

/* GOSSIP_CMD_PEER_ADD - do */
static const struct nla_policy gossip_peer_add_do_nl_policy[GOSSIP_A_PEERS + 1] = {
	[GOSSIP_A_PEER] = NLA_POLICY_NESTED(gossip_peer_addr_nl_policy),
	[GOSSIP_A_PEERS] = NLA_POLICY_NESTED(gossip_peer_list_nl_policy),
};

/* GOSSIP_CMD_PEER_DEL - do */
static const struct nla_policy gossip_peer_del_do_nl_policy[GOSSIP_A_PEERS + 1] = {
	[GOSSIP_A_PEER] = NLA_POLICY_NESTED(gossip_peer_addr_nl_policy),
	[GOSSIP_A_PEERS] = NLA_POLICY_NESTED(gossip_peer_list_nl_policy),
};

/* GOSSIP_CMD_ENTRY_PUBLISH - do */
static const struct nla_policy gossip_entry_publish_do_nl_policy[GOSSIP_A_ENTRY + 1] = {
	[GOSSIP_A_ENTRY] = NLA_POLICY_NESTED(gossip_entry_publish_nl_policy),
};

/* GOSSIP_CMD_ENTRY_GET - do */
static const struct nla_policy gossip_entry_get_do_nl_policy[GOSSIP_A_ENTRY + 1] = {
	[GOSSIP_A_ENTRY] = NLA_POLICY_NESTED(gossip_entry_key_nl_policy),
};

/* GOSSIP_CMD_ENTRY_DEL - do */
static const struct nla_policy gossip_entry_del_do_nl_policy[GOSSIP_A_ENTRY + 1] = {
	[GOSSIP_A_ENTRY] = NLA_POLICY_NESTED(gossip_entry_key_nl_policy),
};

/* GOSSIP_CMD_AUTHKEY_ADD - do */
static const struct nla_policy gossip_authkey_add_do_nl_policy[GOSSIP_A_AUTHKEY + 1] = {
	[GOSSIP_A_AUTHKEY] = NLA_POLICY_NESTED(gossip_authkey_add_nl_policy),
};

/* GOSSIP_CMD_AUTHKEY_USE - do */
static const struct nla_policy gossip_authkey_use_do_nl_policy[GOSSIP_A_AUTHKEY + 1] = {
	[GOSSIP_A_AUTHKEY] = NLA_POLICY_NESTED(gossip_authkey_id_nl_policy),
};

/* GOSSIP_CMD_AUTHKEY_DEL - do */
static const struct nla_policy gossip_authkey_del_do_nl_policy[GOSSIP_A_AUTHKEY + 1] = {
	[GOSSIP_A_AUTHKEY] = NLA_POLICY_NESTED(gossip_authkey_id_nl_policy),
};

/* Ops table for gossip */
const struct genl_ops gossip_nl_ops[15] = {
	{
		.cmd		= GOSSIP_CMD_CONFIG_GET,
		.doit		= gossip_nl_config_get_doit,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_CONFIG_SET,
		.doit		= gossip_nl_config_set_doit,
		.policy		= gossip_config_set_do_nl_policy,
		.maxattr	= GOSSIP_A_MAX_SKEW_MS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_INSTANCE_UP,
		.doit		= gossip_nl_instance_up_doit,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_INSTANCE_DOWN,
		.doit		= gossip_nl_instance_down_doit,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_PEER_ADD,
		.doit		= gossip_nl_peer_add_doit,
		.policy		= gossip_peer_add_do_nl_policy,
		.maxattr	= GOSSIP_A_PEERS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_PEER_DEL,
		.doit		= gossip_nl_peer_del_doit,
		.policy		= gossip_peer_del_do_nl_policy,
		.maxattr	= GOSSIP_A_PEERS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_PEER_GET,
		.dumpit		= gossip_nl_peer_get_dumpit,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_ENTRY_PUBLISH,
		.doit		= gossip_nl_entry_publish_doit,
		.policy		= gossip_entry_publish_do_nl_policy,
		.maxattr	= GOSSIP_A_ENTRY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_ENTRY_GET,
		.doit		= gossip_nl_entry_get_doit,
		.dumpit		= gossip_nl_entry_get_dumpit,
		.policy		= gossip_entry_get_do_nl_policy,
		.maxattr	= GOSSIP_A_ENTRY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_STATS_GET,
		.doit		= gossip_nl_stats_get_doit,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_ENTRY_DEL,
		.doit		= gossip_nl_entry_del_doit,
		.policy		= gossip_entry_del_do_nl_policy,
		.maxattr	= GOSSIP_A_ENTRY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_AUTHKEY_ADD,
		.doit		= gossip_nl_authkey_add_doit,
		.policy		= gossip_authkey_add_do_nl_policy,
		.maxattr	= GOSSIP_A_AUTHKEY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_AUTHKEY_USE,
		.doit		= gossip_nl_authkey_use_doit,
		.policy		= gossip_authkey_use_do_nl_policy,
		.maxattr	= GOSSIP_A_AUTHKEY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_AUTHKEY_DEL,
		.doit		= gossip_nl_authkey_del_doit,
		.policy		= gossip_authkey_del_do_nl_policy,
		.maxattr	= GOSSIP_A_AUTHKEY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= GOSSIP_CMD_AUTHKEY_GET,
		.dumpit		= gossip_nl_authkey_get_dumpit,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

const struct genl_multicast_group gossip_nl_mcgrps[] = {
	[GOSSIP_NLGRP_EVENTS] = {
		.name = GOSSIP_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};
