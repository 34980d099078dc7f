/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from
 * Documentation/netlink/specs/gossip.yaml
 * by scripts/netlink-gen.py.
 */

#ifndef GOSSIPADM_NL_GEN_H
#define GOSSIPADM_NL_GEN_H

#include <netlink/attr.h>

#include <linux/gossip.h>

/* An attribute set: its name, and its attributes' by type. */
struct gnl_set {
	const char *name;
	const char *const *attrs;
	unsigned int max;
};

extern const struct nla_policy gossip_policy[GOSSIP_A_MAX + 1];
extern const struct nla_policy gossip_peer_policy[GOSSIP_PEER_A_MAX + 1];
extern const struct nla_policy gossip_authkey_policy[GOSSIP_AUTHKEY_A_MAX + 1];
extern const struct nla_policy gossip_entry_policy[GOSSIP_ENTRY_A_MAX + 1];
extern const struct nla_policy gossip_stats_policy[GOSSIP_STATS_A_MAX + 1];

/* The sets, by name; the set nested in each attribute of the main set. */
extern const struct gnl_set gossip_sets[];
extern const struct gnl_set *const gossip_nests[GOSSIP_A_MAX + 1];
extern const char *const gossip_cmd_names[GOSSIP_CMD_MAX + 1];

#endif /* GOSSIPADM_NL_GEN_H */
