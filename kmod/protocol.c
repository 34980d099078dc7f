// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol engine: rounds fired by a softirq hrtimer, and the handling
 * of received datagrams. Both run in softirq context and never sleep.
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
 * (IP and port) is a configured peer; from any other source it is not
 * answered, only counted (rx_req_stranger); its entries are applied as any
 * others. A configured peer's address can be forged too when the node has
 * no keys: then the answer takes at most the bytes this node received from
 * that address. Each peer has a byte credit, in the peer set (peers.c:
 * allocated with the set, by the admin, never for a source), credited with
 * the UDP payload of every datagram from its address, up to
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
 * A source that sends rejected datagrams (malformed, unauthenticated, of
 * another label, replayed) is rate limited: each rejection costs it
 * 1/reject_rate s of credit, of at most 2 s, and while it has less than one
 * datagram's worth every datagram from it is dropped before it is read.
 * Not a configured peer's: anyone can forge a peer's address, and the junk
 * it sends under that address would silence the peer. Datagrams from a
 * peer's address are always read; the junk among them is dropped and counted
 * after the checks it fails (header, then authentication).
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
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/skbuff.h>

#include "gossip.h"
#include "wire.h"

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
 * Send @skb to @n random peers other than @skip (may be NULL), copies to
 * all but the last. Consumes it. Returns how many peers it went to.
 */
static u32 send_to_peers(struct gossip_net *gn, struct sk_buff *skb, u32 n,
			 const union gossip_sockaddr *skip)
{
	union gossip_sockaddr dst[GOSSIP_FANOUT_MAX + 1];
	u32 idx[GOSSIP_FANOUT_MAX + 1], i;
	struct gossip_peer_set *set;
	struct sk_buff *copy;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	n = gossip_pick_peers_except(set, n, idx, skip);
	for (i = 0; i < n; i++)
		dst[i] = set->addr[idx[i]];
	rcu_read_unlock_bh();
	if (!n) {
		kfree_skb(skb);
		return 0;
	}
	for (i = 0; i + 1 < n; i++) {
		copy = skb_copy(skb, GFP_ATOMIC);
		if (copy)
			gossip_send(gn, copy, &dst[i]);
		else
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
	}
	gossip_send(gn, skb, &dst[n - 1]);
	return n;
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

	skb = gossip_alloc_skb(max);
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

static void round_send(struct gossip_net *gn, u8 type, u32 fanout)
{
	struct sk_buff *skb = build_round(gn, type);
	u32 sent;

	if (!skb)
		return;
	sent = send_to_peers(gn, skb, fanout, NULL);
	if (type != GOSSIP_MSG_PUSH)
		gossip_stat_add(gn, GOSSIP_STATS_A_TX_REQUESTS, sent);
}

static enum hrtimer_restart gossip_round(struct hrtimer *timer)
{
	struct gossip_net *gn = container_of(timer, struct gossip_net, timer);
	u32 fanout = READ_ONCE(gn->fanout);
	u64 start = ktime_get_ns();

	if (!READ_ONCE(gn->running))
		return HRTIMER_NORESTART;
	gossip_stat_inc(gn, GOSSIP_STATS_A_ROUNDS);
	/* How late it fired: its expiry was when it was due. */
	gossip_late_record(gn, start - ktime_to_ns(hrtimer_get_expires(timer)));
	/* Nobody to talk to: rumors stay hot until someone is. */
	if (gossip_peer_count(gn)) {
		switch (READ_ONCE(gn->mode)) {
		case GOSSIP_MODE_PUSH:
			round_send(gn, GOSSIP_MSG_PUSH, fanout);
			if (++gn->ae_round >= GOSSIP_AE_ROUNDS) {
				gn->ae_round = 0;
				round_send(gn, GOSSIP_MSG_PULL_REQ, 1);
			}
			break;
		case GOSSIP_MODE_PULL:
			round_send(gn, GOSSIP_MSG_PULL_REQ, fanout);
			break;
		default:
			round_send(gn, GOSSIP_MSG_PUSHPULL_REQ, fanout);
			break;
		}
	}
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
	[GOSSIP_PUT_BYTES] = GOSSIP_STATS_A_RX_ERR_FULL,
	[GOSSIP_PUT_NOMEM] = GOSSIP_STATS_A_RX_ERR_NOMEM,
	[GOSSIP_PUT_NOKEY] = GOSSIP_STATS_A_RUMORS_DUPLICATE,
	[GOSSIP_PUT_FUTURE] = GOSSIP_STATS_A_RX_ERR_FUTURE,
	[GOSSIP_PUT_ORIGIN] = GOSSIP_STATS_A_RX_ERR_ORIGIN,
	[GOSSIP_PUT_CLOCK] = GOSSIP_STATS_A_RX_ERR_FUTURE,	/* local only */
};

/* ---- eager forwarding -------------------------------------------------- */

/* The PUSH datagram of what is forwarded at once, opened on first use. */
struct eager {
	struct sk_buff *skb;
	struct gossip_wire_writer w;
	bool failed;		/* no memory for it: the rounds will do */
};

/* Whether new entries are forwarded at once: eager on, not pull, up. */
static bool eager_on(struct gossip_net *gn)
{
	return READ_ONCE(gn->eager) && READ_ONCE(gn->running) &&
	       READ_ONCE(gn->mode) != GOSSIP_MODE_PULL;
}

/* Add @we to the eager datagram if it fits (else the rounds send it). */
static void eager_add(struct gossip_net *gn, struct eager *f,
		      const struct gossip_wire_entry *we)
{
	u32 max;

	if (f->failed)
		return;
	if (!f->skb) {
		max = gossip_dgram_budget(gn);
		f->skb = gossip_alloc_skb(max);
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
static void eager_send(struct gossip_net *gn, struct eager *f,
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
			send_to_peers(gn, f->skb, READ_ONCE(gn->fanout), skip));
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
	struct eager f = { };

	if (!eager_on(gn))
		return;
	local_bh_disable();
	eager_add(gn, &f, &we);
	eager_send(gn, &f, NULL);
	local_bh_enable();
}

/* ---- receiving --------------------------------------------------------- */

static enum gossip_put_result apply_entry(struct gossip_net *gn,
					  const struct gossip_wire_entry *we,
					  const struct gossip_rx_src *src)
{
	struct gossip_key key = { .len = we->key_len };
	struct gossip_update u = {
		.key = &key, .value = we->value, .value_len = we->value_len,
		.flags = we->flags, .origin = we->origin,
		.version = we->version,
		.trusted = src->peer || src->authed,
	};
	enum gossip_put_result res;

	memcpy(key.data, we->key, we->key_len);
	res = gossip_store_put(gn, &u);
	gossip_stat_inc(gn, put_result_stat[res]);
	if (res == GOSSIP_PUT_APPLIED)
		gossip_notify_entry(gn, &u);
	return res;
}

/*
 * Apply a validated datagram's entries and marks, in their order; with
 * @fwd, add each entry that was newer than ours to the eager datagram. Once
 * an entry could not be stored (store full, no memory, from the future, a
 * stranger's origin past the cap), no MARK of the datagram is applied: a
 * mark says the node holds what it covers, and the next digest must ask for
 * that entry again.
 */
static void apply_records(struct gossip_net *gn, struct gossip_wire_msg msg,
			  const struct gossip_rx_src *src, struct eager *fwd)
{
	enum gossip_put_result res;
	struct gossip_wire_rec rec;
	bool lost = false;

	while (gossip_wire_next(&msg, &rec)) {
		if (rec.kind == GOSSIP_REC_ENTRY) {
			res = apply_entry(gn, &rec.entry, src);
			if (res == GOSSIP_PUT_APPLIED && fwd)
				eager_add(gn, fwd, &rec.entry);
			lost |= res != GOSSIP_PUT_APPLIED &&
				res != GOSSIP_PUT_DUPLICATE;
		} else if (rec.kind == GOSSIP_REC_MARK && !lost &&
			   msg.type == GOSSIP_MSG_PULL_REPLY) {
			gossip_store_apply_mark(gn, &rec.mark,
						src->peer || src->authed);
		}
	}
}

/* ---- the reply credit of unauthenticated peers ------------------------ */

/* Add @bytes to a peer's @credit, up to GOSSIP_REPLY_DGRAMS datagrams. */
static void credit_add(struct gossip_net *gn, atomic_t *credit, size_t bytes)
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
 * Answer a digest from @src, a configured peer whose reply credit is
 * @credit: in full if it authenticated, else within the credit, all of
 * which it takes while it answers (a concurrent digest from the same
 * address finds none) and gives back what it did not send.
 */
static void answer(struct gossip_net *gn, struct gossip_wire_msg *req,
		   u64 since, const struct gossip_rx_src *src,
		   atomic_t *credit)
{
	size_t limit = SIZE_MAX, sent = 0;
	struct sk_buff_head out;
	struct sk_buff *skb;
	bool cut;

	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQUESTS);
	if (src->authed)
		credit = NULL;		/* not limited */
	else
		limit = atomic_xchg(credit, 0);
	__skb_queue_head_init(&out);
	cut = gossip_store_reply(gn, req, since, limit, &out);
	while ((skb = __skb_dequeue(&out))) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REPLIES);
		sent += gossip_send(gn, skb, src->addr);
	}
	if (credit && sent < limit)
		credit_add(gn, credit, limit - sent);
	if (cut)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REPLY_CUT);
}

/* ---- the rate limiter of rejected datagrams ------------------------------ */

/* Count a rejected datagram of @src under @stat and charge its credit. */
static void reject(struct gossip_net *gn, const union gossip_sockaddr *src,
		   u64 now, int stat)
{
	gossip_stat_inc(gn, stat);
	if (stat != GOSSIP_STATS_A_RX_ERR_NOMEM)	/* not the source's doing */
		gossip_rl_charge(gn, src, now);
}

/*
 * A datagram's UDP payload from @addr, in softirq context. Only a valid
 * digest from a configured peer is ever answered, and only to the address
 * it came from; the new entries of a valid datagram from a configured peer
 * are forwarded eagerly, to peers other than @addr. Under
 * rcu_read_lock_bh(): the peer set, and the credit in it.
 */
static void rx_locked(struct gossip_net *gn, u8 *buf, size_t len,
		      const union gossip_sockaddr *addr, u64 since)
{
	struct gossip_rx_src src = { .addr = addr };
	struct gossip_wire_msg msg;
	struct gossip_wire_hdr hdr;
	enum gossip_wire_err err;
	struct eager fwd = { };
	atomic_t *credit;
	int drop;

	/* A peer's address: credit for answers, never limited (above). */
	credit = gossip_peer_credit(rcu_dereference_bh(gn->peers), addr);
	src.peer = !!credit;
	if (src.peer) {
		credit_add(gn, credit, len);
	} else if (gossip_rl_limited(gn, addr, since)) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_ERR_RATELIMIT);
		return;
	}
	/* The header, then who sent it (opened in place if sealed), then all. */
	err = gossip_wire_header(buf, len, &hdr);
	if (err) {
		reject(gn, addr, since, wire_err_stat[err]);
		return;
	}
	drop = gossip_auth_rx(gn, buf, len, &hdr);
	if (drop) {
		reject(gn, addr, since, drop);
		return;
	}
	err = gossip_wire_parse(buf, len, &msg);
	if (err) {
		reject(gn, addr, since, wire_err_stat[err]);
		return;
	}
	src.authed = hdr.flags & GOSSIP_WIRE_F_SEALED;
	apply_records(gn, msg, &src, src.peer && eager_on(gn) ? &fwd : NULL);
	eager_send(gn, &fwd, addr);	/* the entries point into @buf */
	gossip_store_digest_seen(gn, &msg, &src);	/* tombstone acks */
	if (msg.type != GOSSIP_MSG_PULL_REQ &&
	    msg.type != GOSSIP_MSG_PUSHPULL_REQ)
		return;
	if (src.peer)
		answer(gn, &msg, since, &src, credit);
	else
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQ_STRANGER);
}

void gossip_rx(struct gossip_net *gn, u8 *buf, size_t len,
	       const union gossip_sockaddr *addr)
{
	u64 since = ktime_get_ns();

	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_DGRAMS);
	gossip_stat_add(gn, GOSSIP_STATS_A_RX_BYTES, len);
	if (!READ_ONCE(gn->running))
		return;
	rcu_read_lock_bh();
	rx_locked(gn, buf, len, addr, since);
	rcu_read_unlock_bh();
}
