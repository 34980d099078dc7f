// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol engine: rounds fired by a softirq hrtimer, and the handling
 * of received datagrams. Both run in softirq context and never sleep.
 *
 * Push round: the hot entries that fit in one datagram, least sent first,
 * go to `fanout` peers chosen uniformly at random. A node whose store
 * changed (by a local publish or a received newer entry) is "informed" and
 * keeps pushing that entry for its hot budget of rounds.
 */
#include <linux/random.h>
#include <linux/skbuff.h>

#include "gossip.h"
#include "wire.h"

/* Next round in interval * [0.9, 1.1]: nodes must not fire in lockstep. */
static ktime_t next_round(struct gossip_net *gn)
{
	u32 us = READ_ONCE(gn->interval_ms) * USEC_PER_MSEC;

	return ns_to_ktime((u64)NSEC_PER_USEC *
			   (us - us / 10 + get_random_u32_below(us / 5 + 1)));
}

static void push_round(struct gossip_net *gn)
{
	u32 max = READ_ONCE(gn->max_dgram), idx[GOSSIP_FANOUT_MAX], n, i;
	union gossip_sockaddr dst[GOSSIP_FANOUT_MAX];
	struct gossip_peer_set *set;
	struct sk_buff *skb, *copy;
	size_t len;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	n = gossip_pick_peers(set, READ_ONCE(gn->fanout), idx);
	for (i = 0; i < n; i++)
		dst[i] = set->addr[idx[i]];
	rcu_read_unlock_bh();
	if (!n)
		return;	/* keep rumors hot until there is someone to tell */

	skb = gossip_alloc_skb(max);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return;
	}
	len = gossip_store_fill_push(gn, skb->data, max);
	if (!len) {
		kfree_skb(skb);
		return;
	}
	skb_put(skb, len);
	for (i = 0; i + 1 < n; i++) {
		copy = skb_copy(skb, GFP_ATOMIC);
		if (copy)
			gossip_send(gn, copy, &dst[i]);
		else
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
	}
	gossip_send(gn, skb, &dst[n - 1]);
}

static enum hrtimer_restart gossip_round(struct hrtimer *timer)
{
	struct gossip_net *gn = container_of(timer, struct gossip_net, timer);

	if (!READ_ONCE(gn->running))
		return HRTIMER_NORESTART;
	gossip_stat_inc(gn, GOSSIP_STATS_A_ROUNDS);
	push_round(gn);
	hrtimer_forward_now(timer, next_round(gn));
	return HRTIMER_RESTART;
}

void gossip_round_init(struct gossip_net *gn)
{
	hrtimer_init(&gn->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	gn->timer.function = gossip_round;
}

/* Caller holds conf_lock and has set running. */
void gossip_round_start(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	hrtimer_start(&gn->timer, next_round(gn), HRTIMER_MODE_REL_SOFT);
}

/* Caller holds conf_lock. On return no round runs or is queued. */
void gossip_round_stop(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	hrtimer_cancel(&gn->timer);
}

static const int wire_err_stat[] = {
	[GOSSIP_WIRE_ERR_SHORT] = GOSSIP_STATS_A_RX_ERR_SHORT,
	[GOSSIP_WIRE_ERR_MAGIC] = GOSSIP_STATS_A_RX_ERR_MAGIC,
	[GOSSIP_WIRE_ERR_VERSION] = GOSSIP_STATS_A_RX_ERR_VERSION,
	[GOSSIP_WIRE_ERR_TYPE] = GOSSIP_STATS_A_RX_ERR_TYPE,
	[GOSSIP_WIRE_ERR_LENGTH] = GOSSIP_STATS_A_RX_ERR_LENGTH,
	[GOSSIP_WIRE_ERR_ENTRY] = GOSSIP_STATS_A_RX_ERR_ENTRY,
};

static const int put_result_stat[] = {
	[GOSSIP_PUT_APPLIED] = GOSSIP_STATS_A_RUMORS_APPLIED,
	[GOSSIP_PUT_DUPLICATE] = GOSSIP_STATS_A_RUMORS_DUPLICATE,
	[GOSSIP_PUT_FULL] = GOSSIP_STATS_A_RX_ERR_FULL,
	[GOSSIP_PUT_NOMEM] = GOSSIP_STATS_A_RX_ERR_NOMEM,
};

static void apply_entry(struct gossip_net *gn,
			const struct gossip_wire_entry *we)
{
	struct gossip_key key = { .len = we->key_len };
	enum gossip_put_result res;
	u64 version = we->version;
	u32 origin = we->origin;

	memcpy(key.data, we->key, we->key_len);
	res = gossip_store_put(gn, &key, we->value, we->value_len, &origin,
			       &version);
	gossip_stat_inc(gn, put_result_stat[res]);
	if (res == GOSSIP_PUT_APPLIED)
		gossip_notify_entry(gn, &key, we->value, we->value_len, origin,
				    version);
}

/* A datagram's UDP payload, in softirq context. Nothing is ever answered. */
void gossip_rx(struct gossip_net *gn, const u8 *buf, size_t len)
{
	struct gossip_wire_entry we;
	struct gossip_wire_msg msg;
	enum gossip_wire_err err;

	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_DGRAMS);
	gossip_stat_add(gn, GOSSIP_STATS_A_RX_BYTES, len);
	if (!READ_ONCE(gn->running))
		return;
	err = gossip_wire_parse(buf, len, &msg);
	if (err) {
		gossip_stat_inc(gn, wire_err_stat[err]);
		return;
	}
	while (gossip_wire_next_entry(&msg, &we))
		apply_entry(gn, &we);
}
