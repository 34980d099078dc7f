// SPDX-License-Identifier: GPL-2.0
/*
 * Every datagram this node sends is built here: the round datagrams (fired
 * by a softirq hrtimer), eager forwarding, and the replies to digests
 * (called from receive.c). Each is allocated here, filled by store.c's
 * writers, sealed or labelled by auth.c and handed to socket.c. Nothing
 * here sleeps: rounds and replies run in softirq context, a local publish
 * with BH disabled.
 *
 * Each round the node sends one datagram, built once, to `fanout` peers
 * chosen uniformly at random:
 *   push      its hot entries (those that fit, least sent first); and every
 *             GOSSIP_AE_ROUNDS rounds a digest to one peer (anti-entropy);
 *   pull      a digest: the peer answers with what the node lacks;
 *   pushpull  a digest in at most half the datagram, and hot entries.
 * A digest is answered at once, from the receive path, with at most
 * GOSSIP_REPLY_DGRAMS datagrams: what the asker lacks of the origins it
 * listed, and the responder's recent entries of the others. Nothing else is
 * ever answered, and nothing that did not authenticate (auth.c) when the
 * instance has keys.
 *
 * No amplification. A UDP source address can be forged: an answer may go
 * to a victim who never asked. So a digest is answered only if its source
 * (IP and port) is a configured peer (receive.c); from any other source it
 * is not answered, only counted (rx_req_stranger); its entries are applied
 * as any others. A configured peer's address can be forged too when the
 * node has no keys: then the answer takes at most the bytes this node
 * received from that address. Each peer has a byte credit, in the peer set
 * (peers.c: allocated with the set, by the admin, never for a source),
 * credited with the UDP payload of every datagram from its address, up to
 * GOSSIP_REPLY_DGRAMS * max-dgram, and charged with every byte of every
 * answer to it; an answer that stops short for want of credit (at a record
 * boundary, its MARKs covering only what it carries: store.c) counts
 * tx_reply_cut. So whoever forges a peer's address makes this node send at
 * most what it sent (plus what the peer itself sent and was not answered).
 * A datagram that authenticated (sealed with one of our keys) is from a
 * peer in fact: its answer is not limited. A captured sealed digest
 * replayed from elsewhere is a stranger's and not answered (its counter is
 * fresh to every node but the one it was sent to).
 *
 * The datagrams of a reply are allocated before store.c takes its lock
 * (as many as the credit can pay for, at most GOSSIP_REPLY_DGRAMS); store.c
 * only writes records into them, and those it leaves empty are freed.
 *
 * Eager forwarding (push and pushpull, `eager` on): the entries a received
 * datagram from a configured peer brought that were newer than the node's,
 * whatever the datagram's type, go on at once from the receive path in one
 * PUSH datagram (those that fit) to `fanout` random peers other than the
 * sender (a stranger's entries are applied, and left to the rounds: one
 * datagram of a stranger never makes this node send); a local publish or
 * delete goes to `fanout` peers at once too. Only newly applied entries are
 * forwarded, so each node forwards an update eagerly at most once: per node
 * and update at most `fanout` datagrams beyond the rounds, which stay as the
 * backstop (the hot budget, the digests).
 */
#include <linux/ipv6.h>
#include <linux/math64.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/udp.h>

#include "gossip.h"
#include "trace.h"
#include "wire.h"

#define GOSSIP_HEADROOM	(MAX_HEADER + sizeof(struct ipv6hdr) + \
			 sizeof(struct udphdr))
/* What auth.c inserts after the header (a label) and appends (a tag). */
#define GOSSIP_AUTH_HEADROOM	(1 + GOSSIP_LABEL_MAX)
#define GOSSIP_AUTH_TAILROOM	GOSSIP_WIRE_TAG_LEN

/* A datagram of @len bytes, with room for what auth.c adds when sent. */
static struct sk_buff *alloc_dgram(size_t len)
{
	struct sk_buff *skb;

	skb = alloc_skb(GOSSIP_HEADROOM + GOSSIP_AUTH_HEADROOM + len +
			GOSSIP_AUTH_TAILROOM, GFP_ATOMIC);
	if (skb)
		skb_reserve(skb, GOSSIP_HEADROOM + GOSSIP_AUTH_HEADROOM);
	return skb;
}

/*
 * Seal @skb (payload only) or add the label, as the instance's keys and
 * label say, send it to @dst, the peer whose state is @ps, and count it,
 * also in @ps. Consumes @skb. Returns the bytes of UDP payload sent, 0 if
 * it was not. Caller holds rcu_read_lock_bh() (the peer set holds @ps).
 */
static unsigned int send_dgram(struct gossip_net *gn, struct sk_buff *skb,
			       const union gossip_sockaddr *dst,
			       struct gossip_peer_state *ps)
{
	unsigned int len;
	u8 type;

	if (gossip_auth_seal(gn, skb)) {
		kfree_skb(skb);
		goto fail;
	}
	len = skb->len;
	type = ((struct gossip_msg_header *)skb->data)->type;
	if (gossip_socket_send(gn, skb, dst))
		goto fail;
	trace_gossip_dgram_sent(gn, dst, type, len);
	gossip_stat_inc(gn, GOSSIP_STATS_A_TX_DGRAMS);
	gossip_stat_add(gn, GOSSIP_STATS_A_TX_BYTES, len);
	gossip_stat_max(gn, GOSSIP_STATS_A_TX_LARGEST, len);
	atomic64_inc(&ps->tx_dgrams);
	atomic64_add(len, &ps->tx_bytes);
	return len;

fail:
	gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
	return 0;
}

/*
 * Send @skb to @n random peers other than @skip (may be NULL), copies to
 * all but the last; with @digest, mark each of them asked (its state's
 * answer); add the datagrams that left to *@dgrams if not NULL. Consumes
 * it. Returns how many peers it went to.
 */
static u32 send_to_peers(struct gossip_net *gn, struct sk_buff *skb, u32 n,
			 const union gossip_sockaddr *skip, bool digest,
			 u32 *dgrams)
{
	u32 ok = 0;
	u32 idx[GOSSIP_FANOUT_MAX + 1], i;
	struct gossip_peer_set *set;
	struct sk_buff *copy;

	/* The set holds the peers' state: read under RCU while sending. */
	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	n = gossip_pick_peers_except(set, n, idx, skip);
	if (!n) {
		rcu_read_unlock_bh();
		kfree_skb(skb);
		return 0;
	}
	for (i = 0; digest && i < n; i++)
		atomic_set(&set->state[idx[i]]->answer, GOSSIP_PEER_ASKED);
	for (i = 0; i + 1 < n; i++) {
		copy = skb_copy(skb, GFP_ATOMIC);
		if (copy)
			ok += !!send_dgram(gn, copy, &set->addr[idx[i]],
					   set->state[idx[i]]);
		else
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
	}
	ok += !!send_dgram(gn, skb, &set->addr[idx[n - 1]],
			   set->state[idx[n - 1]]);
	rcu_read_unlock_bh();
	if (dgrams)
		*dgrams += ok;
	return n;
}

/* ---- rounds ------------------------------------------------------------ */

/*
 * When the next round fires, as an absolute CLOCK_MONOTONIC time: by
 * default interval * [0.9, 1.1] from now, so that nodes do not fire
 * together; in lockstep, the next multiple of the interval, so that every
 * instance of this kernel fires together (synchronous rounds).
 */
static ktime_t next_round(struct gossip_net *gn)
{
	u32 us = READ_ONCE(gn->interval_ms) * USEC_PER_MSEC;
	u64 now = ktime_get_ns(), ival = (u64)us * NSEC_PER_USEC;

	if (READ_ONCE(gn->lockstep))
		return ns_to_ktime((div64_u64(now, ival) + 1) * ival);
	return ns_to_ktime(now + (u64)NSEC_PER_USEC *
			   (us - us / 10 + get_random_u32_below(us / 5 + 1)));
}

/*
 * Build this round's datagram of @type: a digest when it is a request, hot
 * entries unless it is a pull request. NULL when there is nothing to say.
 */
static struct sk_buff *build_round(struct gossip_net *gn, u8 type)
{
	u32 max = gossip_dgram_budget(gn);
	struct gossip_wire_writer w;
	struct sk_buff *skb;

	skb = alloc_dgram(max);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return NULL;
	}
	gossip_wire_begin(&w, skb->data, max, type, READ_ONCE(gn->node_id));
	if (type != GOSSIP_MSG_PUSH)
		gossip_store_write_digest(&gn->store, &w,
					  type == GOSSIP_MSG_PULL_REQ ?
					  max : max / 2,
					  type == GOSSIP_MSG_PUSHPULL_REQ);
	if (type != GOSSIP_MSG_PULL_REQ)
		gossip_store_write_hot(&gn->store, &w);
	if (!w.count) {
		kfree_skb(skb);
		return NULL;
	}
	skb_put(skb, gossip_wire_finish(&w));
	return skb;
}

/*
 * Build and send a round datagram of @type to @fanout peers; count the
 * peers it went to in *@picked and the datagrams that left in *@dgrams.
 */
static void round_send(struct gossip_net *gn, u8 type, u32 fanout,
		       u32 *picked, u32 *dgrams)
{
	struct sk_buff *skb = build_round(gn, type);
	u32 sent;

	if (!skb)
		return;
	sent = send_to_peers(gn, skb, fanout, NULL, type != GOSSIP_MSG_PUSH,
			     dgrams);
	*picked += sent;
	if (type != GOSSIP_MSG_PUSH)
		gossip_stat_add(gn, GOSSIP_STATS_A_TX_REQUESTS, sent);
}

static enum hrtimer_restart gossip_round(struct hrtimer *timer)
{
	struct gossip_net *gn = container_of(timer, struct gossip_net, timer);
	u32 fanout = READ_ONCE(gn->fanout), mode = READ_ONCE(gn->mode);
	u32 peers, picked = 0, dgrams = 0;
	u64 start = ktime_get_ns();

	if (!READ_ONCE(gn->running))
		return HRTIMER_NORESTART;
	gossip_stat_inc(gn, GOSSIP_STATS_A_ROUNDS);
	/* How late it fired: its expiry was when it was due. */
	gossip_late_record(gn, start - ktime_to_ns(hrtimer_get_expires(timer)));
	peers = gossip_peer_count(gn);
	trace_gossip_round_start(gn, mode, peers);
	/* Nobody to talk to: rumors stay hot until someone is. */
	if (peers) {
		switch (mode) {
		case GOSSIP_MODE_PUSH:
			round_send(gn, GOSSIP_MSG_PUSH, fanout, &picked,
				   &dgrams);
			if (++gn->ae_round >= GOSSIP_AE_ROUNDS) {
				gn->ae_round = 0;
				round_send(gn, GOSSIP_MSG_PULL_REQ, 1, &picked,
					   &dgrams);
			}
			break;
		case GOSSIP_MODE_PULL:
			round_send(gn, GOSSIP_MSG_PULL_REQ, fanout, &picked,
				   &dgrams);
			break;
		default:
			round_send(gn, GOSSIP_MSG_PUSHPULL_REQ, fanout, &picked,
				   &dgrams);
			break;
		}
	}
	trace_gossip_round_end(gn, mode, picked, dgrams);
	gossip_store_collect(gn);
	hrtimer_set_expires(timer, next_round(gn));
	gossip_stat_add(gn, GOSSIP_STATS_A_ROUND_NS, ktime_get_ns() - start);
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
	gossip_late_reset(gn);	/* lateness is measured from each up on */
	hrtimer_start(&gn->timer, next_round(gn), HRTIMER_MODE_ABS_SOFT);
}

/* Caller holds conf_lock. On return no round runs or is queued. */
void gossip_round_stop(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	hrtimer_cancel(&gn->timer);
}

/* ---- eager forwarding -------------------------------------------------- */

/* Whether new entries are forwarded at once: eager on, not pull, up. */
bool gossip_eager_on(struct gossip_net *gn)
{
	return READ_ONCE(gn->eager) && READ_ONCE(gn->running) &&
	       READ_ONCE(gn->mode) != GOSSIP_MODE_PULL;
}

/* Add @we to the eager datagram if it fits (else the rounds send it). */
void gossip_eager_add(struct gossip_net *gn, struct gossip_eager *f,
		      const struct gossip_wire_entry *we)
{
	u32 max;

	if (f->failed)
		return;
	if (!f->skb) {
		max = gossip_dgram_budget(gn);
		f->skb = alloc_dgram(max);
		if (!f->skb) {
			f->failed = true;
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
			return;
		}
		gossip_wire_begin(&f->w, f->skb->data, max, GOSSIP_MSG_PUSH,
				  READ_ONCE(gn->node_id));
	}
	gossip_wire_put_entry(&f->w, we);
}

/* Send the eager datagram, if any, to `fanout` peers other than @skip. */
void gossip_eager_send(struct gossip_net *gn, struct gossip_eager *f,
		       const union gossip_sockaddr *skip)
{
	if (!f->skb)
		return;
	if (!f->w.count) {
		kfree_skb(f->skb);
		return;
	}
	skb_put(f->skb, gossip_wire_finish(&f->w));
	gossip_stat_add(gn, GOSSIP_STATS_A_TX_EAGER,
			send_to_peers(gn, f->skb, READ_ONCE(gn->fanout), skip,
				      false, NULL));
}

/*
 * A local publish or delete, just stored as @u (its version and origin
 * assigned): with eager on, pushed to `fanout` peers now. Process context;
 * BH is disabled around it so that it runs as the receive path does (the
 * per-CPU AEAD request of auth.c, the counters, the sockets under RCU-bh).
 */
void gossip_eager_publish(struct gossip_net *gn, const struct gossip_update *u)
{
	struct gossip_wire_entry we = {
		.key = u->key->data, .value = u->value,
		.version = u->version, .origin = u->origin,
		.key_len = u->key->len, .value_len = u->value_len,
		.flags = u->flags,
	};
	struct gossip_eager f = { };

	if (!gossip_eager_on(gn))
		return;
	local_bh_disable();
	gossip_eager_add(gn, &f, &we);
	gossip_eager_send(gn, &f, NULL);
	local_bh_enable();
}

/* ---- replies to digests ------------------------------------------------ */

/* The smallest datagram of a reply: a header and the smallest record. */
#define REPLY_DGRAM_MIN	(GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_REC_LEN + \
			 GOSSIP_WIRE_ENTRY_LEN + 1)

/* Add @bytes to a peer's @credit, up to GOSSIP_REPLY_DGRAMS datagrams. */
void gossip_credit_add(struct gossip_net *gn, atomic_t *credit, size_t bytes)
{
	int cap = GOSSIP_REPLY_DGRAMS * READ_ONCE(gn->max_dgram);
	int old = atomic_read(credit);

	do {
		if (old >= cap)
			return;
	} while (!atomic_try_cmpxchg(credit, &old,
				     old + min_t(size_t, bytes, cap - old)));
}

/*
 * Answer the digest @req from @src, a configured peer whose reply credit
 * is @credit: in full if it authenticated, else within the credit, all of
 * which it takes while it answers (a concurrent digest from the same
 * address finds none) and gives back what it did not send. Called by
 * receive.c under rcu_read_lock_bh() (the peer set holds the credit).
 *
 * Every datagram the reply may take is allocated first, at most
 * GOSSIP_REPLY_DGRAMS, no more than the credit pays for (each costs at
 * least REPLY_DGRAM_MIN bytes and what auth.c adds) and no more than the
 * store could fill (gossip_store_reply_dgrams()); gossip_store_reply()
 * writes into them under the store lock.
 */
void gossip_send_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
		       u64 since, const struct gossip_rx_src *src,
		       atomic_t *credit)
{
	struct sk_buff *skb[GOSSIP_REPLY_DGRAMS];
	struct gossip_reply_bufs out = { };
	size_t limit = SIZE_MAX, sent = 0, size;
	u32 max_dgram, i, n;
	bool cut;

	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQUESTS);
	if (src->authed)
		credit = NULL;		/* not limited */
	else
		limit = atomic_xchg(credit, 0);
	/*
	 * What auth.c adds to each datagram. Should max-dgram change between
	 * the two reads, this one reply's count is off by that change.
	 */
	max_dgram = READ_ONCE(gn->max_dgram);
	out.max = gossip_dgram_budget(gn);
	out.over = max_dgram > out.max ? max_dgram - out.max : 0;
	n = GOSSIP_REPLY_DGRAMS;
	size = out.max;
	if (limit != SIZE_MAX) {
		n = min_t(size_t, n, limit / (out.over + REPLY_DGRAM_MIN));
		size = min_t(size_t, size, limit - min_t(size_t, limit,
							 out.over));
	}
	n = min(n, gossip_store_reply_dgrams(&gn->store, size));
	for (i = 0; i < n; i++) {
		skb[i] = alloc_dgram(size);
		if (!skb[i])
			break;
		out.buf[i] = skb[i]->data;
	}
	out.count = i;
	cut = gossip_store_reply(gn, req, since, limit, &out);
	for (i = 0; i < out.count; i++) {
		if (!out.len[i]) {
			kfree_skb(skb[i]);	/* not needed */
			continue;
		}
		skb_put(skb[i], out.len[i]);
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REPLIES);
		sent += send_dgram(gn, skb[i], src->addr, src->state);
	}
	if (credit && sent < limit)
		gossip_credit_add(gn, credit, limit - sent);
	if (cut)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REPLY_CUT);
}
