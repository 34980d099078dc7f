/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from
 * Documentation/netlink/specs/gossip.yaml
 * by scripts/netlink-gen.py.
 */

#ifndef _GOSSIP_NETLINK_GEN_H
#define _GOSSIP_NETLINK_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <linux/gossip.h>

/* Policies of the nests of requests */
extern const struct nla_policy gossip_peer_addr_nl_policy[GOSSIP_PEER_A_PORT + 1];
extern const struct nla_policy gossip_peer_list_nl_policy[GOSSIP_A_PEER + 1];
extern const struct nla_policy gossip_entry_publish_nl_policy[GOSSIP_ENTRY_A_VALUE + 1];
extern const struct nla_policy gossip_entry_key_nl_policy[GOSSIP_ENTRY_A_KEY + 1];
extern const struct nla_policy gossip_authkey_add_nl_policy[GOSSIP_AUTHKEY_A_SECRET + 1];
extern const struct nla_policy gossip_authkey_id_nl_policy[GOSSIP_AUTHKEY_A_ID + 1];

/* Handlers, in netlink.c */
int gossip_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_instance_up_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_instance_down_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_peer_add_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gossip_nl_entry_publish_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_entry_get_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_entry_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gossip_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_entry_del_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_authkey_add_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_authkey_use_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_authkey_del_doit(struct sk_buff *skb, struct genl_info *info);
int gossip_nl_authkey_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

enum {
	GOSSIP_NLGRP_EVENTS,
};

extern const struct genl_ops gossip_nl_ops[15];
extern const struct genl_multicast_group gossip_nl_mcgrps[1];

#endif /* _GOSSIP_NETLINK_GEN_H */
