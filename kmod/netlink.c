// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "gossip": one policy per command, strict
 * validation, a sentence in the extended ack for every error, and every
 * change announced on the "events" multicast group.
 *
 * Every command, reads included, and listening to the events need
 * CAP_NET_ADMIN in the user namespace that owns the network namespace
 * (GENL_UNS_ADMIN_PERM, GENL_MCAST_CAP_NET_ADMIN), as for wg show: values
 * may be secrets, and the peers and keys say who is in the cluster.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/math64.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "gossip.h"
#include "wire.h"
#include "netlink-gen.h"

static struct genl_family gossip_family;

static struct gossip_net *info_gn(struct genl_info *info)
{
	return gossip_pernet(genl_info_net(info));
}

/* ---- messages ---------------------------------------------------------- */

/* Under conf_lock. */
static int fill_config(struct sk_buff *skb, struct gossip_net *gn)
{
	struct gossip_auth *a = rcu_dereference_protected(gn->auth,
					lockdep_is_held(&gn->conf_lock));

	if (nla_put(skb, GOSSIP_A_LABEL, a ? a->label_len : 0,
		    a ? a->label : NULL) ||
	    nla_put_u8(skb, GOSSIP_A_AUTH, a && a->nkeys) ||
	    nla_put_u32(skb, GOSSIP_A_MODE, gn->mode) ||
	    nla_put_u32(skb, GOSSIP_A_FANOUT, gn->fanout) ||
	    nla_put_u32(skb, GOSSIP_A_INTERVAL_MS, gn->interval_ms) ||
	    nla_put_u16(skb, GOSSIP_A_PORT, gn->port) ||
	    nla_put_u32(skb, GOSSIP_A_NODE_ID, gn->node_id) ||
	    nla_put_u32(skb, GOSSIP_A_MAX_DGRAM, gn->max_dgram) ||
	    nla_put_u8(skb, GOSSIP_A_RUNNING, gn->running) ||
	    nla_put_u32(skb, GOSSIP_A_TOMBSTONE_MS, gn->tombstone_ms) ||
	    nla_put_u8(skb, GOSSIP_A_LOCKSTEP, gn->lockstep) ||
	    nla_put_u32(skb, GOSSIP_A_STORE_BYTES, gn->store_bytes) ||
	    nla_put_u32(skb, GOSSIP_A_REJECT_RATE, gn->reject_rate) ||
	    nla_put_u8(skb, GOSSIP_A_EAGER, gn->eager) ||
	    nla_put_u32(skb, GOSSIP_A_MAX_SKEW_MS, gn->max_skew_ms))
		return -EMSGSIZE;
	return 0;
}

/* What this node saw of a peer (@ps, under RCU) into the peer nest. */
static int fill_peer_state(struct sk_buff *skb,
			   const struct gossip_peer_state *ps)
{
	u64 last = atomic64_read(&ps->last_rx_ns);
	int answer = atomic_read(&ps->answer);

	if (nla_put_u64_64bit(skb, GOSSIP_PEER_A_RX_DGRAMS,
			      atomic64_read(&ps->rx_dgrams),
			      GOSSIP_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, GOSSIP_PEER_A_RX_BYTES,
			      atomic64_read(&ps->rx_bytes),
			      GOSSIP_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, GOSSIP_PEER_A_TX_DGRAMS,
			      atomic64_read(&ps->tx_dgrams),
			      GOSSIP_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, GOSSIP_PEER_A_TX_BYTES,
			      atomic64_read(&ps->tx_bytes),
			      GOSSIP_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, GOSSIP_PEER_A_AUTH_FAILS,
			      atomic64_read(&ps->auth_fails),
			      GOSSIP_PEER_A_PAD))
		return -EMSGSIZE;
	if (last &&
	    nla_put_u64_64bit(skb, GOSSIP_PEER_A_LAST_RX_MS,
			      div_u64(ktime_get_ns() - last, NSEC_PER_MSEC),
			      GOSSIP_PEER_A_PAD))
		return -EMSGSIZE;
	if (answer &&
	    nla_put_u8(skb, GOSSIP_PEER_A_ANSWERED,
		       answer == GOSSIP_PEER_ANSWERED))
		return -EMSGSIZE;
	if (nla_put_u8(skb, GOSSIP_PEER_A_TREE, !!atomic_read(&ps->tree)))
		return -EMSGSIZE;
	return 0;
}

/* A peer nest: its address, and with @ps (a dump) its state. */
static int fill_peer(struct sk_buff *skb, const union gossip_sockaddr *addr,
		     const struct gossip_peer_state *ps)
{
	struct nlattr *nest = nla_nest_start(skb, GOSSIP_A_PEER);
	int err;

	if (!nest)
		return -EMSGSIZE;
	if (addr->sa.sa_family == AF_INET)
		err = nla_put_in_addr(skb, GOSSIP_PEER_A_ADDR4,
				      addr->in4.sin_addr.s_addr) ||
		      nla_put_u16(skb, GOSSIP_PEER_A_PORT,
				  ntohs(addr->in4.sin_port));
	else
		err = nla_put_in6_addr(skb, GOSSIP_PEER_A_ADDR6,
				       &addr->in6.sin6_addr) ||
		      nla_put_u16(skb, GOSSIP_PEER_A_PORT,
				  ntohs(addr->in6.sin6_port));
	if (!err && ps)
		err = fill_peer_state(skb, ps);
	if (err) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A key as it may be read: its id, and whether it is the primary. */
struct authkey_ntf {
	u8 id;
	bool primary;
};

static int fill_authkey(struct sk_buff *skb, const struct authkey_ntf *k)
{
	struct nlattr *nest = nla_nest_start(skb, GOSSIP_A_AUTHKEY);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, GOSSIP_AUTHKEY_A_ID, k->id) ||
	    nla_put_u8(skb, GOSSIP_AUTHKEY_A_PRIMARY, k->primary)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_entry(struct sk_buff *skb, const struct gossip_update *v)
{
	struct nlattr *nest = nla_nest_start(skb, GOSSIP_A_ENTRY);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, GOSSIP_ENTRY_A_KEY, v->key->len, v->key->data) ||
	    nla_put(skb, GOSSIP_ENTRY_A_VALUE, v->value_len, v->value) ||
	    nla_put_u32(skb, GOSSIP_ENTRY_A_ORIGIN, v->origin) ||
	    nla_put_u64_64bit(skb, GOSSIP_ENTRY_A_VERSION, v->version,
			      GOSSIP_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(skb, GOSSIP_ENTRY_A_STAMP_NS, v->stamp_ns,
			      GOSSIP_ENTRY_A_PAD) ||
	    nla_put_u8(skb, GOSSIP_ENTRY_A_DELETED,
		       !!(v->flags & GOSSIP_ENTRY_F_TOMBSTONE))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_stats(struct sk_buff *skb, struct gossip_net *gn)
{
	struct nlattr *nest = nla_nest_start(skb, GOSSIP_A_STATS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __GOSSIP_STATS_A_MAX; i++) {
		if (!gossip_stat_names[i])
			continue;
		if (nla_put_u64_64bit(skb, i, gossip_stat_read(gn, i),
				      GOSSIP_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Build a message of command @cmd whose body @fill writes, then either
 * answer @info with it or, when @info is NULL, announce it to the events
 * group of @gn's namespace (only if anyone listens).
 */
typedef int (*fill_fn)(struct sk_buff *skb, struct gossip_net *gn,
		       const void *arg);

static struct sk_buff *msg_new(struct genl_info *info, u8 cmd, gfp_t gfp,
			       void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, gfp);

	if (!msg)
		return NULL;
	*hdr = info ? genlmsg_put_reply(msg, info, &gossip_family, 0, cmd) :
		      genlmsg_put(msg, 0, 0, &gossip_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int msg_send(struct gossip_net *gn, struct genl_info *info,
		    struct sk_buff *msg, void *hdr, gfp_t gfp)
{
	genlmsg_end(msg, hdr);
	if (info)
		return genlmsg_reply(msg, info);
	genlmsg_multicast_netns(&gossip_family, gn->net, msg, 0,
				GOSSIP_NLGRP_EVENTS, gfp);
	return 0;
}

static int gossip_send_msg(struct gossip_net *gn, struct genl_info *info,
			   u8 cmd, fill_fn fill, const void *arg, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;

	if (!info && !genl_has_listeners(&gossip_family, gn->net,
					 GOSSIP_NLGRP_EVENTS))
		return 0;
	msg = msg_new(info, cmd, gfp, &hdr);
	if (!msg)
		return -ENOMEM;
	if (fill(msg, gn, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return msg_send(gn, info, msg, hdr, gfp);
}

static int fill_config_msg(struct sk_buff *skb, struct gossip_net *gn,
			   const void *arg)
{
	return fill_config(skb, gn);
}

static int fill_peer_msg(struct sk_buff *skb, struct gossip_net *gn,
			 const void *arg)
{
	return fill_peer(skb, arg, NULL);
}

static int fill_authkey_msg(struct sk_buff *skb, struct gossip_net *gn,
			    const void *arg)
{
	return fill_authkey(skb, arg);
}

static int fill_entry_msg(struct sk_buff *skb, struct gossip_net *gn,
			  const void *arg)
{
	return fill_entry(skb, arg);
}

static int fill_stats_msg(struct sk_buff *skb, struct gossip_net *gn,
			  const void *arg)
{
	return fill_stats(skb, gn);
}

/* An entry received from the network was applied: softirq context. */
void gossip_notify_entry(struct gossip_net *gn, const struct gossip_update *u)
{
	gossip_send_msg(gn, NULL, GOSSIP_CMD_ENTRY_NTF, fill_entry_msg, u,
			GFP_ATOMIC);
}

/* ---- configuration ----------------------------------------------------- */

int gossip_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gossip_net *gn = info_gn(info);
	int err;

	mutex_lock(&gn->conf_lock);
	err = gossip_send_msg(gn, info, GOSSIP_CMD_CONFIG_GET, fill_config_msg,
			      NULL, GFP_KERNEL);
	mutex_unlock(&gn->conf_lock);
	return err;
}

/* The bound of the messages below: the label adds 1 + its length. */
static_assert(GOSSIP_ROUND_FIXED + 1 == 1161);

/*
 * Under conf_lock: max-dgram and the label as they would be must leave
 * room for a maximal entry with a MARK and a RANGE (the largest record set
 * a datagram must hold whole: a round of push-pull, a reply), the header
 * and the label in the clear or the seal. Refused otherwise, naming the
 * attribute of the request that broke it (the label if it sets both).
 */
static int check_dgram(struct gossip_net *gn, struct genl_info *info)
{
	struct gossip_auth *a = rcu_dereference_protected(gn->auth,
					lockdep_is_held(&gn->conf_lock));
	struct nlattr **attrs = info->attrs;
	u32 max = gn->max_dgram;
	u8 label = a ? a->label_len : 0;

	if (attrs[GOSSIP_A_MAX_DGRAM])
		max = nla_get_u32(attrs[GOSSIP_A_MAX_DGRAM]);
	if (attrs[GOSSIP_A_LABEL])
		label = nla_len(attrs[GOSSIP_A_LABEL]);
	if (gossip_store_dgram_fits(max, label))
		return 0;
	if (attrs[GOSSIP_A_LABEL])
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[GOSSIP_A_LABEL],
				    "too long for max-dgram, which must be at least 1161 + the label's length in bytes");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[GOSSIP_A_MAX_DGRAM],
				    "too small for the label: it must be at least 1161 + the label's length in bytes");
	return -EMSGSIZE;
}

static int check_config(struct gossip_net *gn, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	int i;

	/* The policy lets only settable attributes through. */
	for (i = GOSSIP_A_MODE; i <= GOSSIP_A_MAX; i++)
		if (attrs[i])
			break;
	if (i > GOSSIP_A_MAX) {
		NL_SET_ERR_MSG_MOD(info->extack, "nothing to set");
		return -EINVAL;
	}
	if (gn->running && attrs[GOSSIP_A_PORT] &&
	    nla_get_u16(attrs[GOSSIP_A_PORT]) != gn->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[GOSSIP_A_PORT],
				    "the port cannot change while the instance is up");
		return -EBUSY;
	}
	if (gn->running && attrs[GOSSIP_A_NODE_ID] &&
	    nla_get_u32(attrs[GOSSIP_A_NODE_ID]) != gn->node_id) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[GOSSIP_A_NODE_ID],
				    "the node id cannot change while the instance is up");
		return -EBUSY;
	}
	return check_dgram(gn, info);
}

int gossip_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gossip_net *gn = info_gn(info);
	struct nlattr **attrs = info->attrs;
	bool restart;
	int err;

	mutex_lock(&gn->conf_lock);
	err = check_config(gn, info);
	if (err)
		goto out;
	/* The label first: the one change that may fail (no memory). */
	if (attrs[GOSSIP_A_LABEL]) {
		err = gossip_label_set(gn, nla_data(attrs[GOSSIP_A_LABEL]),
				       nla_len(attrs[GOSSIP_A_LABEL]));
		if (err)
			goto out;
	}
	/* Everything is valid: apply all of it. */
	if (attrs[GOSSIP_A_MODE])
		WRITE_ONCE(gn->mode, nla_get_u32(attrs[GOSSIP_A_MODE]));
	if (attrs[GOSSIP_A_FANOUT])
		WRITE_ONCE(gn->fanout, nla_get_u32(attrs[GOSSIP_A_FANOUT]));
	restart = (attrs[GOSSIP_A_INTERVAL_MS] &&
		   nla_get_u32(attrs[GOSSIP_A_INTERVAL_MS]) != gn->interval_ms) ||
		  (attrs[GOSSIP_A_LOCKSTEP] &&
		   nla_get_u8(attrs[GOSSIP_A_LOCKSTEP]) != gn->lockstep);
	if (attrs[GOSSIP_A_INTERVAL_MS])
		WRITE_ONCE(gn->interval_ms,
			   nla_get_u32(attrs[GOSSIP_A_INTERVAL_MS]));
	if (attrs[GOSSIP_A_PORT])
		gn->port = nla_get_u16(attrs[GOSSIP_A_PORT]);
	if (attrs[GOSSIP_A_NODE_ID]) {
		WRITE_ONCE(gn->node_id, nla_get_u32(attrs[GOSSIP_A_NODE_ID]));
		gn->node_id_set = true;
	}
	if (attrs[GOSSIP_A_MAX_DGRAM])
		WRITE_ONCE(gn->max_dgram,
			   nla_get_u32(attrs[GOSSIP_A_MAX_DGRAM]));
	if (attrs[GOSSIP_A_TOMBSTONE_MS])
		WRITE_ONCE(gn->tombstone_ms,
			   nla_get_u32(attrs[GOSSIP_A_TOMBSTONE_MS]));
	if (attrs[GOSSIP_A_LOCKSTEP])
		WRITE_ONCE(gn->lockstep, nla_get_u8(attrs[GOSSIP_A_LOCKSTEP]));
	if (attrs[GOSSIP_A_STORE_BYTES])
		WRITE_ONCE(gn->store_bytes,
			   nla_get_u32(attrs[GOSSIP_A_STORE_BYTES]));
	if (attrs[GOSSIP_A_REJECT_RATE])
		WRITE_ONCE(gn->reject_rate,
			   nla_get_u32(attrs[GOSSIP_A_REJECT_RATE]));
	if (attrs[GOSSIP_A_EAGER])
		WRITE_ONCE(gn->eager, nla_get_u8(attrs[GOSSIP_A_EAGER]));
	if (attrs[GOSSIP_A_MAX_SKEW_MS])
		WRITE_ONCE(gn->max_skew_ms,
			   nla_get_u32(attrs[GOSSIP_A_MAX_SKEW_MS]));
	/* A long interval must not delay a shorter new one. */
	if (restart && gn->running) {
		gossip_round_stop(gn);
		gossip_round_start(gn);
	}
	gossip_send_msg(gn, NULL, GOSSIP_CMD_CONFIG_SET, fill_config_msg, NULL,
			GFP_KERNEL);
out:
	mutex_unlock(&gn->conf_lock);
	return err;
}

int gossip_nl_instance_up_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gossip_net *gn = info_gn(info);
	int err;

	mutex_lock(&gn->conf_lock);
	err = gossip_up(gn, info->extack);
	if (!err)
		gossip_send_msg(gn, NULL, GOSSIP_CMD_INSTANCE_UP, fill_config_msg, NULL,
				GFP_KERNEL);
	mutex_unlock(&gn->conf_lock);
	return err;
}

int gossip_nl_instance_down_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gossip_net *gn = info_gn(info);

	mutex_lock(&gn->conf_lock);
	gossip_down(gn);
	gossip_send_msg(gn, NULL, GOSSIP_CMD_INSTANCE_DOWN, fill_config_msg, NULL,
			GFP_KERNEL);
	mutex_unlock(&gn->conf_lock);
	return 0;
}

/* ---- peers ------------------------------------------------------------- */

/*
 * One GOSSIP_A_PEER nest (checked against gossip_peer_addr_nl_policy: no
 * read-only attribute) into @addr.
 */
static int parse_peer(const struct nlattr *nest, union gossip_sockaddr *addr,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[GOSSIP_PEER_A_PORT + 1];
	int err;

	err = nla_parse_nested(tb, GOSSIP_PEER_A_PORT, nest,
			       gossip_peer_addr_nl_policy, extack);
	if (err)
		return err;
	if (!tb[GOSSIP_PEER_A_ADDR4] == !tb[GOSSIP_PEER_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a peer needs exactly one IPv4 or IPv6 address");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, GOSSIP_PEER_A_PORT)) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "missing peer port");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	if (tb[GOSSIP_PEER_A_ADDR4]) {
		addr->in4.sin_family = AF_INET;
		addr->in4.sin_addr.s_addr =
			nla_get_in_addr(tb[GOSSIP_PEER_A_ADDR4]);
		addr->in4.sin_port = htons(nla_get_u16(tb[GOSSIP_PEER_A_PORT]));
		if (ipv4_is_zeronet(addr->in4.sin_addr.s_addr) ||
		    ipv4_is_multicast(addr->in4.sin_addr.s_addr) ||
		    ipv4_is_lbcast(addr->in4.sin_addr.s_addr))
			goto not_unicast;
	} else {
		addr->in6.sin6_family = AF_INET6;
		addr->in6.sin6_addr = nla_get_in6_addr(tb[GOSSIP_PEER_A_ADDR6]);
		addr->in6.sin6_port =
			htons(nla_get_u16(tb[GOSSIP_PEER_A_PORT]));
		if (ipv6_addr_any(&addr->in6.sin6_addr) ||
		    ipv6_addr_is_multicast(&addr->in6.sin6_addr))
			goto not_unicast;
		/*
		 * The IPv6 socket is v6-only, and a datagram from the IPv4
		 * address comes to the IPv4 one: such a peer would never be
		 * reached nor recognised.
		 */
		if (ipv6_addr_v4mapped(&addr->in6.sin6_addr)) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "an IPv4 peer is given as IPv4, not IPv4-mapped IPv6");
			return -EINVAL;
		}
	}
	return 0;

not_unicast:
	NL_SET_ERR_MSG_ATTR(extack, nest, "peer address must be unicast");
	return -EINVAL;
}

/* The @i-th nest of the peer list @list. */
static const struct nlattr *list_nth(const struct nlattr *list, u32 i)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, list, rem)
		if (!i--)
			return a;
	return list;
}

/*
 * The peers of a request: its GOSSIP_A_PEER, or the nests of its
 * GOSSIP_A_PEERS (the policy has checked that they are all GOSSIP_A_PEER).
 * *@addrs is @one or an array to kvfree(); the count, or an error.
 */
static int parse_peers(struct genl_info *info, union gossip_sockaddr *one,
		       union gossip_sockaddr **addrs)
{
	const struct nlattr *list = info->attrs[GOSSIP_A_PEERS], *a;
	struct netlink_ext_ack *extack = info->extack;
	int rem, n = 0, err;

	*addrs = one;
	if (list && info->attrs[GOSSIP_A_PEER]) {
		NL_SET_ERR_MSG_ATTR(extack, list,
				    "a peer and a peer list in one request");
		return -EINVAL;
	}
	if (!list) {
		if (GENL_REQ_ATTR_CHECK(info, GOSSIP_A_PEER)) {
			NL_SET_ERR_MSG_MOD(extack, "missing peer");
			return -EINVAL;
		}
		err = parse_peer(info->attrs[GOSSIP_A_PEER], one, extack);
		return err ? err : 1;
	}
	nla_for_each_nested(a, list, rem)
		n++;
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, list, "empty peer list");
		return -EINVAL;
	}
	if (n > GOSSIP_PEERS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, list, "more than "
				    __stringify(GOSSIP_PEERS_MAX)
				    " peers in the list");
		return -E2BIG;
	}
	*addrs = kvmalloc_array(n, sizeof(**addrs), GFP_KERNEL_ACCOUNT);
	if (!*addrs)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(a, list, rem) {
		err = parse_peer(a, &(*addrs)[n++], extack);
		if (err) {
			kvfree(*addrs);
			*addrs = one;
			return err;
		}
	}
	return n;
}

static int gossip_peer_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gossip_net *gn = info_gn(info);
	u8 cmd = info->genlhdr->cmd;
	union gossip_sockaddr one, *addrs;
	u32 i, bad;
	int n, err;

	n = parse_peers(info, &one, &addrs);
	if (n < 0)
		return n;
	mutex_lock(&gn->conf_lock);
	err = gossip_peers_change(gn, cmd == GOSSIP_CMD_PEER_ADD, addrs, n,
				  &bad, info->extack);
	if (err && bad < n && info->attrs[GOSSIP_A_PEERS])
		NL_SET_BAD_ATTR(info->extack,
				list_nth(info->attrs[GOSSIP_A_PEERS], bad));
	for (i = 0; !err && i < n; i++)
		gossip_send_msg(gn, NULL, cmd, fill_peer_msg, &addrs[i],
				GFP_KERNEL);
	mutex_unlock(&gn->conf_lock);
	if (addrs != &one)
		kvfree(addrs);
	return err;
}

int gossip_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gossip_net *gn = gossip_pernet(sock_net(skb->sk));
	struct gossip_peer_set *set;
	u32 i = cb->args[0];
	void *hdr;

	rcu_read_lock();
	cb->seq = READ_ONCE(gn->peers_gen);
	set = rcu_dereference(gn->peers);
	for (; set && i < set->count; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &gossip_family,
				  NLM_F_MULTI, GOSSIP_CMD_PEER_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (fill_peer(skb, &set->addr[i], set->state[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

/* ---- authentication keys --------------------------------------------- */

/*
 * The authentication key nest of a request, parsed with @policy; its id is
 * required.
 */
static int parse_authkey_nest(struct genl_info *info,
			      const struct nla_policy *policy, u16 maxattr,
			      struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[GOSSIP_A_AUTHKEY];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, GOSSIP_A_AUTHKEY)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing key");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, maxattr, nest, policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, GOSSIP_AUTHKEY_A_ID)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "missing key id");
		return -EINVAL;
	}
	return 0;
}

static int gossip_authkey_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[GOSSIP_AUTHKEY_A_SECRET + 1];
	struct gossip_net *gn = info_gn(info);
	u8 cmd = info->genlhdr->cmd;
	struct gossip_auth *a;
	struct authkey_ntf k;
	int err;

	if (cmd == GOSSIP_CMD_AUTHKEY_ADD)
		err = parse_authkey_nest(info, gossip_authkey_add_nl_policy,
					 GOSSIP_AUTHKEY_A_SECRET, tb);
	else
		err = parse_authkey_nest(info, gossip_authkey_id_nl_policy,
					 GOSSIP_AUTHKEY_A_ID, tb);
	if (err)
		return err;
	if (cmd == GOSSIP_CMD_AUTHKEY_ADD &&
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[GOSSIP_A_AUTHKEY], tb,
			      GOSSIP_AUTHKEY_A_SECRET)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[GOSSIP_A_AUTHKEY],
				    "missing key secret");
		return -EINVAL;
	}
	k.id = nla_get_u8(tb[GOSSIP_AUTHKEY_A_ID]);
	mutex_lock(&gn->conf_lock);
	if (cmd == GOSSIP_CMD_AUTHKEY_ADD)
		err = gossip_authkey_add(gn, k.id,
					 nla_data(tb[GOSSIP_AUTHKEY_A_SECRET]),
				     info->extack);
	else if (cmd == GOSSIP_CMD_AUTHKEY_USE)
		err = gossip_authkey_use(gn, k.id, info->extack);
	else
		err = gossip_authkey_del(gn, k.id, info->extack);
	if (!err) {
		a = rcu_dereference_protected(gn->auth,
					      lockdep_is_held(&gn->conf_lock));
		k.primary = a && a->nkeys && a->keys[0].id == k.id;
		gossip_send_msg(gn, NULL, cmd, fill_authkey_msg, &k, GFP_KERNEL);
	}
	mutex_unlock(&gn->conf_lock);
	return err;
}

int gossip_nl_authkey_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct gossip_net *gn = gossip_pernet(sock_net(skb->sk));
	struct gossip_auth *a;
	int i = cb->args[0];
	struct authkey_ntf k;
	void *hdr;

	rcu_read_lock();
	cb->seq = READ_ONCE(gn->auth_gen);
	a = rcu_dereference(gn->auth);
	for (; a && i < a->nkeys; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &gossip_family,
				  NLM_F_MULTI, GOSSIP_CMD_AUTHKEY_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		k.id = a->keys[i].id;
		k.primary = !i;
		if (fill_authkey(skb, &k)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

/* ---- entries ----------------------------------------------------------- */

static int parse_key(struct genl_info *info, const struct nla_policy *policy,
		     u16 maxattr, struct nlattr **tb, struct gossip_key *key)
{
	struct nlattr *nest = info->attrs[GOSSIP_A_ENTRY];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, GOSSIP_A_ENTRY)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing entry");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, maxattr, nest, policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, GOSSIP_ENTRY_A_KEY)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "missing key");
		return -EINVAL;
	}
	memset(key, 0, sizeof(*key));
	key->len = nla_len(tb[GOSSIP_ENTRY_A_KEY]);
	memcpy(key->data, nla_data(tb[GOSSIP_ENTRY_A_KEY]), key->len);
	return 0;
}

static int put_result(struct genl_info *info, enum gossip_put_result res)
{
	switch (res) {
	case GOSSIP_PUT_APPLIED:
		return 0;
	case GOSSIP_PUT_FULL:
		NL_SET_ERR_MSG_MOD(info->extack, "store is full ("
				   __stringify(GOSSIP_ENTRIES_MAX) " entries)");
		return -ENOSPC;
	case GOSSIP_PUT_BYTES:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "store is full (store-bytes reached)");
		return -ENOSPC;
	case GOSSIP_PUT_NOKEY:
		NL_SET_ERR_MSG_MOD(info->extack, "no such key");
		return -ENOENT;
	case GOSSIP_PUT_ORIGINS:
		NL_SET_ERR_MSG_MOD(info->extack, "store is full ("
				   __stringify(GOSSIP_ORIGINS_MAX) " origins)");
		return -ENOSPC;
	case GOSSIP_PUT_CLOCK:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the version clock is at 2^64-1: a publish would wrap it");
		return -EOVERFLOW;
	default:
		return -ENOMEM;
	}
}

/* Publish (a value) or delete (a tombstone), locally. */
static int gossip_publish(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[GOSSIP_ENTRY_A_VALUE + 1];
	bool del = info->genlhdr->cmd == GOSSIP_CMD_ENTRY_DEL;
	struct gossip_net *gn = info_gn(info);
	struct gossip_update v = { 0 };
	struct gossip_key key;
	int err;

	/* ENTRY_DEL's policy (entry-key) has already refused a value. */
	err = parse_key(info, gossip_entry_publish_nl_policy,
			GOSSIP_ENTRY_A_VALUE, tb, &key);
	if (err)
		return err;
	if (!del && NL_REQ_ATTR_CHECK(info->extack, info->attrs[GOSSIP_A_ENTRY],
				      tb, GOSSIP_ENTRY_A_VALUE)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[GOSSIP_A_ENTRY],
				    "missing value");
		return -EINVAL;
	}
	v.key = &key;
	v.flags = del ? GOSSIP_ENTRY_F_TOMBSTONE : 0;
	if (!del) {
		v.value = nla_data(tb[GOSSIP_ENTRY_A_VALUE]);
		v.value_len = nla_len(tb[GOSSIP_ENTRY_A_VALUE]);
	}
	err = put_result(info, gossip_store_put(gn, &v));
	if (err)
		return err;
	gossip_stat_inc(gn, GOSSIP_STATS_A_RUMORS_PUBLISHED);
	gossip_send_msg(gn, NULL, info->genlhdr->cmd, fill_entry_msg, &v,
			GFP_KERNEL);
	gossip_eager_publish(gn, &v);
	return 0;
}

int gossip_nl_entry_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[GOSSIP_ENTRY_A_KEY + 1];
	struct gossip_net *gn = info_gn(info);
	struct gossip_entry *e;
	struct gossip_update v;
	struct gossip_key key;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = parse_key(info, gossip_entry_key_nl_policy, GOSSIP_ENTRY_A_KEY, tb,
			&key);
	if (err)
		return err;
	msg = msg_new(info, GOSSIP_CMD_ENTRY_GET, GFP_KERNEL, &hdr);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	e = gossip_store_lookup(&gn->store, &key);
	if (e && (e->flags & GOSSIP_ENTRY_F_TOMBSTONE))
		e = NULL;	/* deleted */
	if (e) {
		gossip_update_of(&v, e);
		err = fill_entry(msg, &v);
	}
	rcu_read_unlock();
	if (!e) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG_MOD(info->extack, "no such key");
		return -ENOENT;
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return msg_send(gn, info, msg, hdr, GFP_KERNEL);
}

int gossip_nl_entry_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gossip_net *gn = gossip_pernet(sock_net(skb->sk));
	struct gossip_store *st = &gn->store;
	long skip = cb->args[0], i = 0;
	struct gossip_entry *e;
	struct gossip_update v;
	void *hdr;

	rcu_read_lock();
	cb->seq = READ_ONCE(st->gen);
	list_for_each_entry_rcu(e, &st->all, list) {
		if (i < skip || (e->flags & GOSSIP_ENTRY_F_TOMBSTONE)) {
			i++;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &gossip_family,
				  NLM_F_MULTI, GOSSIP_CMD_ENTRY_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		gossip_update_of(&v, e);
		if (fill_entry(skb, &v)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		i++;
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

int gossip_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_send_msg(info_gn(info), info, GOSSIP_CMD_STATS_GET,
			       fill_stats_msg, NULL, GFP_KERNEL);
}

/* Handlers shared by two commands: the command says which. */
int gossip_nl_peer_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_peer_doit(skb, info);
}

int gossip_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_peer_doit(skb, info);
}

int gossip_nl_entry_publish_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_publish(skb, info);
}

int gossip_nl_entry_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_publish(skb, info);
}

int gossip_nl_authkey_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_authkey_doit(skb, info);
}

int gossip_nl_authkey_use_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_authkey_doit(skb, info);
}

int gossip_nl_authkey_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gossip_authkey_doit(skb, info);
}

/* The ops and their policies are generated from the spec: netlink-gen.c. */
static struct genl_family gossip_family __ro_after_init = {
	.name = GOSSIP_GENL_NAME,
	.version = GOSSIP_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = gossip_nl_ops,
	.n_ops = ARRAY_SIZE(gossip_nl_ops),
	.mcgrps = gossip_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(gossip_nl_mcgrps),
};

int __init gossip_genl_register(void)
{
	return genl_register_family(&gossip_family);
}

void gossip_genl_unregister(void)
{
	genl_unregister_family(&gossip_family);
}
