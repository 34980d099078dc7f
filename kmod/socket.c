// SPDX-License-Identifier: GPL-2.0
/*
 * The instance's UDP sockets, one IPv4 and (when the namespace has IPv6) one
 * IPv6, opened at up and closed at down. This file only moves bytes:
 * datagrams arrive through the udp_tunnel encap_rcv hook, in softirq
 * context, and their payload goes to receive.c; datagrams built by send.c
 * leave through udp_tunnel_xmit_skb(), which may be called from any context
 * that does not sleep: the round timer and the receive path itself.
 *
 * Socket pointers are published with rcu_assign_pointer() under conf_lock
 * and read under rcu_read_lock_bh(). Kernel sockets hold no reference to
 * their namespace, so namespace teardown closes them in pre_exit.
 */
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "gossip.h"
#include "late.h"
#include "trace.h"

/*
 * Where a received datagram came from (@src: its IP source and UDP port)
 * and where it arrived (@to: its IP destination and UDP port, which a
 * sealed datagram was sealed to: auth.c).
 */
static void skb_addrs(struct sk_buff *skb, union gossip_sockaddr *src,
		      union gossip_sockaddr *to)
{
	memset(src, 0, sizeof(*src));
	memset(to, 0, sizeof(*to));
	if (ip_hdr(skb)->version == 4) {
		src->in4.sin_family = AF_INET;
		src->in4.sin_addr.s_addr = ip_hdr(skb)->saddr;
		src->in4.sin_port = udp_hdr(skb)->source;
		to->in4.sin_family = AF_INET;
		to->in4.sin_addr.s_addr = ip_hdr(skb)->daddr;
		to->in4.sin_port = udp_hdr(skb)->dest;
	} else {
		src->in6.sin6_family = AF_INET6;
		src->in6.sin6_addr = ipv6_hdr(skb)->saddr;
		src->in6.sin6_port = udp_hdr(skb)->source;
		src->in6.sin6_scope_id = ipv6_iface_scope_id(&src->in6.sin6_addr,
							     skb->skb_iif);
		to->in6.sin6_family = AF_INET6;
		to->in6.sin6_addr = ipv6_hdr(skb)->daddr;
		to->in6.sin6_port = udp_hdr(skb)->dest;
	}
}

/*
 * The skb drop reason of a drop counted under @stat, where 6.1 has one
 * that fits; 0 for the others, which are consumed and told apart by the
 * gossip_dgram_drop tracepoint alone.
 */
static enum skb_drop_reason drop_reason(int stat)
{
	switch (stat) {
	case GOSSIP_STATS_A_RX_ERR_SHORT:
		return SKB_DROP_REASON_PKT_TOO_SMALL;
	case GOSSIP_STATS_A_RX_ERR_SIZE:
		return SKB_DROP_REASON_PKT_TOO_BIG;
	case GOSSIP_STATS_A_RX_ERR_NOMEM:
		return SKB_DROP_REASON_NOMEM;
	case GOSSIP_STATS_A_RX_ERR_MAGIC:	/* not this protocol */
	case GOSSIP_STATS_A_RX_ERR_VERSION:	/* a version it does not know */
		return SKB_DROP_REASON_UNHANDLED_PROTO;
	default:
		return 0;
	}
}

/*
 * Every datagram received ends here: read by receive.c and consumed, or
 * dropped (@drop, the counter it was counted under): traced with its
 * reason and freed with kfree_skb_reason() where a reason fits, so that
 * dropwatch and perf see it.
 */
static void rx_done(struct gossip_net *gn, struct sk_buff *skb,
		    const union gossip_sockaddr *src, int drop)
{
	enum skb_drop_reason reason = drop_reason(drop);

	if (drop)
		trace_gossip_dgram_drop(gn, src, drop);
	if (reason)
		kfree_skb_reason(skb, reason);
	else
		consume_skb(skb);
}

static int gossip_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct gossip_net *gn = rcu_dereference_sk_user_data(sk);
	union gossip_sockaddr src, to;
	unsigned int off, len;
	int drop;
	u64 start;

	if (unlikely(!gn)) {
		consume_skb(skb);
		return 0;
	}
	skb_addrs(skb, &src, &to);
	off = skb_transport_offset(skb) + sizeof(struct udphdr);
	if (unlikely(off > skb->len)) {
		len = 0;
		drop = GOSSIP_STATS_A_RX_ERR_SHORT;
		goto drop;
	}
	/*
	 * No node sends more than max-dgram bytes: a larger datagram is
	 * refused before it costs a copy (a reassembled one is a chain of
	 * fragments).
	 */
	len = skb->len - off;
	if (unlikely(len > READ_ONCE(gn->max_dgram))) {
		drop = GOSSIP_STATS_A_RX_ERR_SIZE;
		goto drop;
	}
	/*
	 * Linear and ours alone: a sealed datagram is decrypted in place.
	 * Either may copy it, with GFP_ATOMIC; fail_alloc fails the step as
	 * if the copy had.
	 */
	if (gossip_fail_alloc() || skb_linearize(skb) ||
	    skb_ensure_writable(skb, skb->len)) {
		drop = GOSSIP_STATS_A_RX_ERR_NOMEM;
		goto drop;
	}
	start = ktime_get_ns();
	drop = gossip_rx(gn, skb->data + off, len, &src, &to);
	gossip_stat_add(gn, GOSSIP_STATS_A_RX_NS, ktime_get_ns() - start);
	rx_done(gn, skb, &src, drop);
	return 0;

drop:
	/* Received, as gossip_rx() counts the datagrams it reads. */
	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_DGRAMS);
	gossip_stat_add(gn, GOSSIP_STATS_A_RX_BYTES, len);
	gossip_stat_inc(gn, drop);
	rx_done(gn, skb, &src, drop);
	return 0;
}

static int send4(struct sock *sk, struct sk_buff *skb,
		 const struct sockaddr_in *dst)
{
	struct flowi4 fl = {
		.daddr = dst->sin_addr.s_addr,
		.fl4_dport = dst->sin_port,
		.fl4_sport = inet_sk(sk)->inet_sport,
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;

	rt = ip_route_output_flow(sock_net(sk), &fl, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	udp_tunnel_xmit_skb(rt, sk, skb, fl.saddr, fl.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, fl.fl4_sport,
			    fl.fl4_dport, false, false);
	return 0;
}

static int send6(struct sock *sk, struct sk_buff *skb,
		 const struct sockaddr_in6 *dst)
{
	struct flowi6 fl = {
		.daddr = dst->sin6_addr,
		.fl6_dport = dst->sin6_port,
		.fl6_sport = inet_sk(sk)->inet_sport,
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_oif = dst->sin6_scope_id,
	};
	struct dst_entry *d;

	d = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl, NULL);
	if (IS_ERR(d))
		return PTR_ERR(d);
	udp_tunnel6_xmit_skb(d, sk, skb, NULL, &fl.saddr, &fl.daddr, 0,
			     ip6_dst_hoplimit(d), 0, fl.fl6_sport,
			     fl.fl6_dport, false);
	return 0;
}

/*
 * Send the datagram @skb (its UDP payload, built and sealed by send.c) to
 * @dst. Consumes @skb. Returns 0, or an error when it could not be sent.
 */
int gossip_socket_send(struct gossip_net *gn, struct sk_buff *skb,
		       const union gossip_sockaddr *dst)
{
	struct socket *sock;
	int err = -ENETUNREACH;

	skb->ignore_df = 1;
	rcu_read_lock_bh();
	if (dst->sa.sa_family == AF_INET) {
		sock = rcu_dereference_bh(gn->sock4);
		if (sock)
			err = send4(sock->sk, skb, &dst->in4);
	} else {
		sock = rcu_dereference_bh(gn->sock6);
		if (sock)
			err = send6(sock->sk, skb, &dst->in6);
	}
	rcu_read_unlock_bh();
	if (err)
		kfree_skb(skb);
	return err;
}

static int open_one(struct gossip_net *gn, int family, struct socket **out)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = gn,
		.encap_type = 1,
		.encap_rcv = gossip_encap_rcv,
	};
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(gn->port),
	};
	int err;

	if (family == AF_INET6) {
		cfg.local_ip6 = in6addr_any;
		cfg.ipv6_v6only = 1;
	} else {
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
	}
	err = udp_sock_create(gn->net, &cfg, out);
	if (err)
		return err;
	setup_udp_tunnel_sock(gn->net, *out, &tcfg);
	pr_debug("socket %s:%u created in netns %u\n",
		 family == AF_INET ? "ipv4" : "ipv6", gn->port,
		 gn->net->ns.inum);
	return 0;
}

static void close_one(struct gossip_net *gn, struct socket *sock)
{
	if (!sock)
		return;
	pr_debug("socket %s:%u destroyed in netns %u\n",
		 sock->sk->sk_family == AF_INET ? "ipv4" : "ipv6", gn->port,
		 gn->net->ns.inum);
	udp_tunnel_sock_release(sock);
}

int gossip_socket_open(struct gossip_net *gn, struct netlink_ext_ack *extack)
{
	struct socket *s4 = NULL, *s6 = NULL;
	int err;

	lockdep_assert_held(&gn->conf_lock);
	err = open_one(gn, AF_INET, &s4);
	if (err)
		goto fail;
	if (ipv6_mod_enabled()) {
		err = open_one(gn, AF_INET6, &s6);
		if (err == -EAFNOSUPPORT)
			s6 = NULL;
		else if (err)
			goto fail;
	}
	rcu_assign_pointer(gn->sock4, s4);
	rcu_assign_pointer(gn->sock6, s6);
	return 0;

fail:
	close_one(gn, s4);
	if (err == -EADDRINUSE)
		NL_SET_ERR_MSG_MOD(extack, "UDP port already in use");
	else
		NL_SET_ERR_MSG_MOD(extack, "cannot open the UDP socket");
	return err;
}

void gossip_socket_close(struct gossip_net *gn)
{
	struct socket *s4, *s6;

	lockdep_assert_held(&gn->conf_lock);
	s4 = rcu_dereference_protected(gn->sock4,
				       lockdep_is_held(&gn->conf_lock));
	s6 = rcu_dereference_protected(gn->sock6,
				       lockdep_is_held(&gn->conf_lock));
	RCU_INIT_POINTER(gn->sock4, NULL);
	RCU_INIT_POINTER(gn->sock6, NULL);
	synchronize_net();
	close_one(gn, s4);
	close_one(gn, s6);
}
