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
 * whatever the datagram's type, are announced at once from the receive
 * path in one IHAVE (those that fit) to announce_fanout() random peers
 * other than the sender (a stranger's entries are applied, and left to the
 * rounds: one datagram of a stranger never makes this node send); a local
 * publish or delete is announced at once too. Only newly applied entries
 * are forwarded, so each node forwards an update eagerly at most once; the
 * rounds stay as the backstop (the hot budget, the digests).
 *
 * Lazy push (`eager` on). A value is sent once per node, not once per
 * link: what a node would push, it announces, in an IHAVE of REF records
 * (key, version, origin: no value), and a peer that lacks an announced
 * entry asks the announcer for it in an IWANT, answered with the entry in
 * a PUSH (tx_fetched): in the eager forward (to announce_fanout() peers,
 * about log2(n) + 3: enough that the first wave reaches every node), in
 * the hot rounds (push: an IHAVE instead of a PUSH; pushpull: REFs after
 * the digest), and in a digest's answer, for the recent entries of origins
 * the digest did not list (store.c). Each node asks for an entry once
 * (struct gossip_want: a slot per key hash, keyed with the rate limiter's
 * key), from the first peer that announced it, and again only once an
 * answer's time and its usual deviation have passed (want_wait()), should
 * the answer not have come (lost): any announcement after that asks
 * again. So an update costs each node about one copy of its value, a few
 * announcements and one IWANT, where eager forwarding and the hot rounds
 * pushed it to `fanout` peers a round; the digests and summaries stay the
 * anti-entropy backstop. The announcements are as
 * safe as any datagram: an IHAVE or IWANT is acted on only from a
 * configured peer (from anyone else it is counted in rx_req_stranger); an
 * IWANT goes to the address the IHAVE came from, and an IWANT's answer is
 * charged to the peer's reply credit when it did not authenticate, as a
 * digest's answer is. Announcing entries to a peer adds what their answer
 * takes to what may be sent it in answer to IWANTs beyond the credit
 * (refs_owed(), gossip_peer_state.announced): the values eager forwarding
 * pushed unasked, a peer now gets when it asks, and a forged IWANT gets
 * no more; a forged digest or summary cannot spend them. A node without a
 * key also pads its IWANT to pay for the answer, from its own credit for
 * that peer (gossip_rx_refs()).
 */
#include <linux/ipv6.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/siphash.h>
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

	if (gossip_fail_alloc())
		return NULL;
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

	if (gossip_auth_seal(gn, skb, dst)) {
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
 * The bytes an IWANT's answer to the REFs of @skb (not sealed yet) takes:
 * what announcing them to a peer of the node's own accord (an eager
 * forward, a hot round, a pushpull digest) adds to what its IWANTs may
 * take beyond its reply credit (lazy push, above). So a node answers
 * IWANTs in a peer's name with no more than that address sent it, plus
 * the values it announced to that peer, which eager forwarding used to
 * push it unasked: a peer asking for what it was announced is not held
 * back by the credit, and whoever forges its address gets no more out of
 * the node than pushes would have sent. Kept apart from the reply credit:
 * spent on a forged digest's answer (attack.sh: 11691 bytes of answers to
 * 20 digests of 560 bytes in a listener's name, when it was one credit),
 * it would reflect at the peer what no push would have sent it. Not the
 * REFs of a digest's answer: a forged digest asked for those.
 */
static size_t refs_owed(const struct sk_buff *skb)
{
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	size_t owed = 0;

	if (gossip_wire_parse(skb->data, skb->len, &msg))
		return 0;
	while (gossip_wire_next(&msg, &rec))
		if (rec.kind == GOSSIP_REC_REF)
			owed += gossip_wire_entry_size(rec.entry.key_len,
						       rec.entry.value_len);
	return owed;
}

/*
 * Send @skb, a datagram of @type, to @n random peers other than @skip (may
 * be NULL), copies to all but the last; a digest marks each of them asked
 * (its state's answer), a summary stamps their sum_tx_ns; add the
 * datagrams that left to *@dgrams if not NULL. Consumes it. Returns how
 * many peers it went to.
 */
static u32 send_to_peers(struct gossip_net *gn, struct sk_buff *skb, u32 n,
			 const union gossip_sockaddr *skip, u8 type,
			 u32 *dgrams)
{
	bool digest = type == GOSSIP_MSG_PULL_REQ ||
		      type == GOSSIP_MSG_PUSHPULL_REQ;
	size_t owed = 0;
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
	for (i = 0; type == GOSSIP_MSG_SUMMARY && i < n; i++)
		atomic64_set(&set->state[idx[i]]->sum_tx_ns, ktime_get_ns());
	if (type == GOSSIP_MSG_IHAVE || type == GOSSIP_MSG_PUSHPULL_REQ)
		owed = refs_owed(skb);
	for (i = 0; i < n; i++) {
		copy = i + 1 < n ? skb_copy(skb, GFP_ATOMIC) : skb;
		if (!copy) {
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
			continue;
		}
		if (!send_dgram(gn, copy, &set->addr[idx[i]],
				set->state[idx[i]]))
			continue;
		ok++;
		if (owed)
			gossip_credit_add(gn, &set->state[idx[i]]->announced,
					  owed);
	}
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

/* Whether our digests say we have news (see "quiet" below). */
static bool has_news(struct gossip_net *gn)
{
	return READ_ONCE(gn->eager) && READ_ONCE(gn->news_left);
}

/*
 * Whether entries are announced, not sent (lazy push, above): eager on.
 * Without a key every answer is held to the reply credit, and the pushes'
 * bytes no longer pay for it: a node far behind pays ahead (below).
 */
bool gossip_lazy(struct gossip_net *gn)
{
	return READ_ONCE(gn->eager);
}

/*
 * Build this round's datagram of @type: a digest when it is a request, hot
 * entries unless it is a pull request; announced (REFs) when
 * gossip_lazy(), in an IHAVE instead of a PUSH. NULL when there is nothing
 * to say.
 */
static struct sk_buff *build_round(struct gossip_net *gn, u8 type)
{
	bool refs = type != GOSSIP_MSG_PULL_REQ && gossip_lazy(gn);
	u32 max = gossip_dgram_budget(gn);
	struct gossip_wire_writer w;
	struct sk_buff *skb;

	skb = alloc_dgram(max);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return NULL;
	}
	gossip_wire_begin(&w, skb->data, max,
			  type == GOSSIP_MSG_PUSH && refs ? GOSSIP_MSG_IHAVE :
							    type,
			  READ_ONCE(gn->node_id));
	if (type != GOSSIP_MSG_PUSH)
		gossip_store_write_digest(&gn->store, &w,
					  type == GOSSIP_MSG_PULL_REQ ?
					  max : max / 2,
					  type == GOSSIP_MSG_PUSHPULL_REQ,
					  has_news(gn), GOSSIP_DIGEST_CURSOR);
	if (type != GOSSIP_MSG_PULL_REQ)
		gossip_store_write_hot(&gn->store, &w, refs, ktime_get_ns() -
				       gossip_tree_wait_ns(gn));
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
	u32 sent, before = *dgrams;
	u8 sent_type;

	if (!skb)
		return;
	sent_type = ((struct gossip_msg_header *)skb->data)->type;
	sent = send_to_peers(gn, skb, fanout, NULL, sent_type, dgrams);
	*picked += sent;
	if (type != GOSSIP_MSG_PUSH)
		gossip_stat_add(gn, GOSSIP_STATS_A_TX_REQUESTS, sent);
	if (sent_type == GOSSIP_MSG_IHAVE)
		gossip_stat_add(gn, GOSSIP_STATS_A_TX_IHAVE, *dgrams - before);
}

/* ---- quiet ------------------------------------------------------------- */

/*
 * With eager on, a node that has had nothing new for a hot window is quiet:
 * its rounds send nothing but, about once a second, a SUMMARY of what it
 * holds (store.c) to one random peer, 36 bytes (76 sealed). A peer whose
 * own summary differs answers with its digest, so the sender gets what it
 * lacks, and with its own summary, so that the sender in turn sends its
 * digest (gossip_send_sum_reply()); a peer whose summary is the same sends
 * nothing and takes it for a digest's acks. So an idle cluster in sync
 * costs each node about one datagram a second, whatever the mode, and a
 * node that missed something (a lost datagram, a partition, a restart)
 * still learns it within about a second of a summary reaching it or
 * leaving it.
 *
 * Nothing new: the summary is the one of the last round (but for origins'
 * first marks: store.c, "the summary"), no entry is still hot (push,
 * pushpull), and no peer's digest said it has news. Any of them ends the
 * quiet at once: a publish, an entry received, a mark raised. For
 * a hot window after its store changed, a node's digests say it has news
 * (GOSSIP_RANGE_F_NEWS), and a quiet peer that gets one wakes (receive.c
 * sets @wake): in pull mode nothing else would tell a quiet node that
 * there is something to ask for, as the publisher's marks need not show it
 * (a new life's mark waits, store.c). A node only woken sends no news, so
 * the wake follows the update and ends with it. So an update spreads as
 * it always did (eager pushes, hot rounds, digests every round in pull and
 * pushpull) and the rounds go on a hot window after the last change,
 * which is when the digests have brought every mark level.
 *
 * With eager off a node is never quiet: the rounds are the textbook's.
 */

/* Rounds between a quiet node's summaries: about a second. */
static u32 sum_every(struct gossip_net *gn)
{
	return DIV_ROUND_UP(MSEC_PER_SEC, READ_ONCE(gn->interval_ms));
}

/* Whether the node is quiet now (the receive path asks). */
bool gossip_quiet(struct gossip_net *gn)
{
	return READ_ONCE(gn->quiet) > READ_ONCE(gn->hot_budget);
}

/* Once a round, by the timer: whether this round is a quiet one. */
static bool round_quiet(struct gossip_net *gn, u32 mode)
{
	struct gossip_wire_sum sum;
	bool hot, woken;
	u64 changes;

	hot = gossip_store_summary(&gn->store, &sum, &changes);
	woken = atomic_xchg(&gn->wake, 0);
	/* Pull never sends its hot entries: they stay hot. */
	if (mode == GOSSIP_MODE_PULL)
		hot = false;
	if (hot || changes != gn->quiet_hash)
		WRITE_ONCE(gn->news_left, READ_ONCE(gn->hot_budget));
	else if (gn->news_left)
		WRITE_ONCE(gn->news_left, gn->news_left - 1);
	if (!READ_ONCE(gn->eager) || hot || woken ||
	    changes != gn->quiet_hash) {
		gn->quiet_hash = changes;
		gn->sum_round = 0;
		WRITE_ONCE(gn->quiet, 0);
		return false;
	}
	if (gn->quiet < U16_MAX)
		WRITE_ONCE(gn->quiet, gn->quiet + 1);
	return gossip_quiet(gn);
}

#define SUMMARY_LEN	(GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_REC_LEN + \
			 GOSSIP_WIRE_SUM_LEN)

/* A SUMMARY datagram of this node's store, with @flags, or NULL. */
static struct sk_buff *build_summary(struct gossip_net *gn, u8 flags)
{
	size_t len = SUMMARY_LEN;
	struct gossip_wire_writer w;
	struct gossip_wire_sum sum;
	struct sk_buff *skb;

	skb = alloc_dgram(len);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return NULL;
	}
	gossip_store_summary(&gn->store, &sum, NULL);
	sum.flags = flags;
	gossip_wire_begin(&w, skb->data, len, GOSSIP_MSG_SUMMARY,
			  READ_ONCE(gn->node_id));
	gossip_wire_put_sum(&w, &sum);
	skb_put(skb, gossip_wire_finish(&w));
	return skb;
}

/*
 * A quiet round: every sum_every() rounds, a summary to one peer. While
 * the node waits for acks (tombstones to collect, its own life to catch
 * up: store.c), every round to `fanout` peers, asking each whose summary
 * is the same for its own (GOSSIP_SUM_F_ACKS): a quiet cluster sends no
 * digests, and a node that gets a summary from each peer once a second
 * only by chance would wait for the last of n - 1 of them about
 * (n - 1) ln(n - 1) seconds. A peer whose summary differs answers with its
 * digest, as to any summary, every other time from the asker's origin on
 * (GOSSIP_SEND_ACKS): a digest acks a life only if its range covers the
 * life's origin, and one from the origins' turn covers it with the chance
 * that one datagram holds all marks (57 of 256 origins in 1400 bytes). The
 * others keep the turn, for the tombstones' origins.
 */
static void round_summary(struct gossip_net *gn, u32 fanout, u32 *picked,
			  u32 *dgrams)
{
	bool acks = gossip_store_acks_wanted(gn);
	u32 before = *dgrams;
	struct sk_buff *skb;

	if (++gn->sum_round < sum_every(gn) && !acks)
		return;
	gn->sum_round = 0;
	skb = build_summary(gn, acks ? GOSSIP_SUM_F_ACKS : 0);
	if (!skb)
		return;
	*picked += send_to_peers(gn, skb, acks ? fanout : 1, NULL,
				 GOSSIP_MSG_SUMMARY, dgrams);
	gossip_stat_add(gn, GOSSIP_STATS_A_TX_SUMMARIES, *dgrams - before);
}

/* ---- paying ahead ------------------------------------------------------ */

/*
 * Without a key a digest's answer takes no more bytes than the peer got
 * from the asker's address (the reply credit, above), and an asker far
 * behind, or one that lacks a value larger than its digests, would get
 * its answers a few dozen bytes at a time, for as long as the credit
 * takes to build. Eager forwarding used to pay for them: a node's pushes
 * of what it had just got credited its peers. Announcements credit
 * nobody. So an answer that stopped short for want of credit says so (a
 * PAD of 0 bytes last, store.c), the asker adds the answer's bytes to
 * what it owes and notes the peer (receive.c), and its next round sends
 * that peer, besides the round's datagrams, its digest padded with what
 * it owes (a PAD of zeros last), quiet or not, in every mode. The peer
 * credits it all, and its next answer is that much larger: the answers
 * to a node catching up grow by at least a digest a round, to a full
 * reply. The padding leaves on the node's own timer, to the address the
 * cut answer came from, and adds up to no more than such answers: an
 * answer forged in a peer's name makes the node send that peer, once,
 * what the forger sent. While answers come whole nothing is owed: an
 * idle cluster, and a keyed one (answers to sealed digests are not
 * limited), pays nothing.
 */
static void round_pay(struct gossip_net *gn, u32 *picked, u32 *dgrams)
{
	u64 to = atomic64_xchg(&gn->owed_to, 0);
	int owed = atomic_xchg(&gn->owed, 0);
	u32 max = gossip_dgram_budget(gn), i;
	struct gossip_peer_set *set;
	struct gossip_wire_writer w;
	struct sk_buff *skb;
	size_t pad;

	if (owed <= 0 || !to)
		return;
	skb = alloc_dgram(max);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return;
	}
	gossip_wire_begin(&w, skb->data, max, GOSSIP_MSG_PULL_REQ,
			  READ_ONCE(gn->node_id));
	gossip_store_write_digest(&gn->store, &w, max, false, has_news(gn),
				  GOSSIP_DIGEST_CURSOR);
	/* What does not fit is forgiven: a full digest pays for itself. */
	if (!w.count || w.cap - w.len <= GOSSIP_WIRE_REC_LEN) {
		kfree_skb(skb);
		return;
	}
	pad = min_t(size_t, owed, w.cap - w.len - GOSSIP_WIRE_REC_LEN);
	if (gossip_wire_put_pad(&w, pad)) {
		kfree_skb(skb);
		return;
	}
	skb_put(skb, gossip_wire_finish(&w));
	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	i = (u32)to - 1;
	if (set && set->gen == to >> 32 && i < set->count) {
		atomic_set(&set->state[i]->answer, GOSSIP_PEER_ASKED);
		if (send_dgram(gn, skb, &set->addr[i], set->state[i])) {
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REQUESTS);
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_PAID);
			gossip_stat_add(gn, GOSSIP_STATS_A_TX_PAID_BYTES, pad);
			++*dgrams;
		}
		++*picked;
	} else {
		kfree_skb(skb);		/* the peers changed meanwhile */
	}
	rcu_read_unlock_bh();
}

static void tree_join(struct gossip_net *gn, u32 *dgrams);	/* below */
static void tree_round(struct gossip_net *gn);

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
	if (peers && round_quiet(gn, mode)) {
		round_summary(gn, fanout, &picked, &dgrams);
	} else if (peers) {
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
	tree_round(gn);
	if (peers) {
		round_pay(gn, &picked, &dgrams);
		tree_join(gn, &dgrams);
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
	spin_lock_init(&gn->want_lock);
}

/* Caller holds conf_lock and has set running. */
void gossip_round_start(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	gossip_late_reset(gn);	/* lateness is measured from each up on */
	/* Back from down: a hot window of full rounds first (catch-up). */
	WRITE_ONCE(gn->quiet, 0);
	hrtimer_start(&gn->timer, next_round(gn), HRTIMER_MODE_ABS_SOFT);
}

/* Caller holds conf_lock. On return no round runs or is queued. */
void gossip_round_stop(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	hrtimer_cancel(&gn->timer);
}

/*
 * The namespace's end (gossip_net_exit), after pre_exit's down: a timer
 * still armed would fire on freed memory. None may be; one a bug left
 * armed is cancelled, and said loudly.
 */
void gossip_timers_fini(struct gossip_net *gn)
{
	int armed;

	armed = hrtimer_cancel(&gn->timer);
	armed |= hrtimer_cancel(&gn->burst_timer);
	armed |= hrtimer_cancel(&gn->want_timer);
	armed |= hrtimer_cancel(&gn->lazy_timer);
	WARN_ON_ONCE(armed || gn->lazy_len);
	kfree_skb(gn->burst.skb);	/* NULL once down */
	gn->burst.skb = NULL;
	kfree_skb(gn->burst.tree);
	gn->burst.tree = NULL;
}

/* ---- eager forwarding -------------------------------------------------- */

/* Whether new entries are forwarded at once: eager on, not pull, up. */
bool gossip_eager_on(struct gossip_net *gn)
{
	return READ_ONCE(gn->eager) && READ_ONCE(gn->running) &&
	       READ_ONCE(gn->mode) != GOSSIP_MODE_PULL;
}

/*
 * Peers an eager forward announces to (lazy push, above): log2(peers) + 3,
 * at least `fanout`. Each informed node announcing to k random peers
 * leaves a node unreached by the first wave with a chance of about e^-k:
 * e^-(log2(n) + 3) n, the nodes it misses, stays below 0.05 (below 0.01
 * from n = 64 on), where `fanout` 3 missed about 5 % of them.
 */
static u32 announce_fanout(struct gossip_net *gn, u32 peers)
{
	u32 k = max_t(u32, READ_ONCE(gn->fanout), ilog2(peers | 1) + 3);

	return min_t(u32, k, GOSSIP_FANOUT_MAX);
}

/*
 * Add @e to the eager datagram if it fits (else the rounds send it): an
 * IHAVE when gossip_lazy(), else a PUSH. Of a received entry's record
 * flags only GOSSIP_ENTRY_F_TOMBSTONE is passed on: GOSSIP_ENTRY_F_LATE
 * was its sender's to say.
 */
void gossip_eager_add(struct gossip_net *gn, struct gossip_eager *f,
		      const struct gossip_wire_entry *e)
{
	struct gossip_wire_entry copy = *e, *we = &copy;
	u32 max;

	copy.flags &= GOSSIP_ENTRY_F_TOMBSTONE;
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
		f->refs = gossip_lazy(gn);
		gossip_wire_begin(&f->w, f->skb->data, max,
				  f->refs ? GOSSIP_MSG_IHAVE : GOSSIP_MSG_PUSH,
				  READ_ONCE(gn->node_id));
	}
	if (!f->refs) {
		gossip_wire_put_entry(&f->w, we);
		return;
	}
	/*
	 * The eager tree's push of the same entries, values and all; the
	 * announcement of one it carries says so (GOSSIP_REF_F_TREE).
	 */
	if (!f->no_tree && !f->tree) {
		max = gossip_dgram_budget(gn);
		f->tree = alloc_dgram(max);
		if (f->tree) {
			gossip_wire_begin(&f->tw, f->tree->data, max,
					  GOSSIP_MSG_TREE,
					  READ_ONCE(gn->node_id));
		} else {
			/* Counted once; announced at once, as anti-entropy's. */
			f->no_tree = true;
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		}
	}
	if (!f->no_tree && !(f->late ? gossip_wire_put_late_entry(&f->tw, we) :
					gossip_wire_put_entry(&f->tw, we)))
		gossip_wire_put_tree_ref(&f->w, we);
	else	/* no tree, or too big for its datagram: announced only */
		gossip_wire_put_ref(&f->w, we);
}

/* ---- the eager tree ---------------------------------------------------- */

/* The links of the eager tree this node has (tree_send() counts them too). */
static u32 tree_links(struct gossip_net *gn)
{
	struct gossip_peer_set *set;
	u32 links = 0, i;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	for (i = 0; set && i < set->count; i++)
		links += atomic_read(&set->state[i]->tree);
	rcu_read_unlock_bh();
	return links;
}

/*
 * Send @skb (a TREE, may be NULL: none to send) to every link of the eager
 * tree but @skip. Consumes @skb. Returns how many links the node has,
 * @skip's included: none, and it is not in the tree (yet).
 */
static u32 tree_send(struct gossip_net *gn, struct sk_buff *skb,
		     const union gossip_sockaddr *skip)
{
	struct gossip_peer_set *set;
	struct sk_buff *copy;
	u32 links = 0, sent = 0, i;
	int last = -1, not;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	not = set && skip ? gossip_peer_find(set, skip) : -1;
	for (i = 0; set && i < set->count; i++) {
		if (!atomic_read(&set->state[i]->tree))
			continue;
		links++;
		if ((int)i == not || !skb)
			continue;
		/* Copies to all but the last link found, which gets @skb. */
		if (last >= 0) {
			copy = skb_copy(skb, GFP_ATOMIC);
			if (!copy)
				gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
			else if (send_dgram(gn, copy, &set->addr[last],
					    set->state[last]))
				sent++;
		}
		last = i;
	}
	if (last >= 0 && send_dgram(gn, skb, &set->addr[last],
				    set->state[last]))
		sent++;
	else if (last < 0)
		kfree_skb(skb);		/* NULL-safe */
	rcu_read_unlock_bh();
	gossip_stat_add(gn, GOSSIP_STATS_A_TX_TREE, sent);
	gossip_stat_add(gn, GOSSIP_STATS_A_TX_EAGER, sent);
	return links;
}

/* Send the IHAVE @skb now: to announce_fanout() peers other than @skip. */
static void announce_now(struct gossip_net *gn, struct sk_buff *skb,
			 const union gossip_sockaddr *skip)
{
	u32 dgrams = 0, n = announce_fanout(gn, gossip_peer_count(gn));

	gossip_stat_add(gn, GOSSIP_STATS_A_TX_EAGER,
			send_to_peers(gn, skb, n, skip, GOSSIP_MSG_IHAVE,
				      &dgrams));
	gossip_stat_add(gn, GOSSIP_STATS_A_TX_IHAVE, dgrams);
}

/*
 * Queue the IHAVE @skb, for peers other than @skip (may be NULL), for
 * lazy_fire(), a tenth of an interval on; sent at once when
 * GOSSIP_LAZY_MAX wait already, freed when the instance is down. Caller
 * has BH disabled.
 */
static void lazy_queue(struct gossip_net *gn, struct sk_buff *skb,
		       const union gossip_sockaddr *skip)
{
	struct gossip_lazy *l;

	spin_lock(&gn->burst_lock);
	/* Under the lock: once down's eager_stop took it, not up. */
	if (!READ_ONCE(gn->running)) {
		spin_unlock(&gn->burst_lock);
		kfree_skb(skb);
		return;
	}
	if (gn->lazy_len < GOSSIP_LAZY_MAX) {
		l = &gn->lazy[gn->lazy_len++];
		l->skb = skb;
		memset(&l->skip, 0, sizeof(l->skip));
		if (skip)
			l->skip = *skip;
		skb = NULL;
		if (!gn->lazy_armed) {
			gn->lazy_armed = true;
			hrtimer_start(&gn->lazy_timer,
				      ns_to_ktime(ktime_get_ns() +
						  gossip_tree_wait_ns(gn)),
				      HRTIMER_MODE_ABS_SOFT);
		}
	}
	spin_unlock(&gn->burst_lock);
	if (skb)
		announce_now(gn, skb, skip);
}

/* Take the waiting IHAVEs into @q; returns how many. Holds burst_lock. */
static u32 lazy_take(struct gossip_net *gn, struct gossip_lazy *q)
{
	u32 n = gn->lazy_len;

	lockdep_assert_held(&gn->burst_lock);
	memcpy(q, gn->lazy, n * sizeof(*q));
	gn->lazy_len = 0;
	gn->lazy_armed = false;
	return n;
}

static enum hrtimer_restart lazy_fire(struct hrtimer *timer)
{
	struct gossip_net *gn = container_of(timer, struct gossip_net,
					     lazy_timer);
	struct gossip_lazy q[GOSSIP_LAZY_MAX];
	u32 n, i;

	spin_lock(&gn->burst_lock);
	n = lazy_take(gn, q);
	spin_unlock(&gn->burst_lock);
	for (i = 0; i < n; i++) {
		if (gossip_eager_on(gn))
			announce_now(gn, q[i].skb, q[i].skip.sa.sa_family ?
				     &q[i].skip : NULL);
		else
			kfree_skb(q[i].skb);	/* the rounds announce them */
	}
	return HRTIMER_NORESTART;
}

/*
 * Whether to take @src's GRAFT (the link is made when the answer is sent):
 * eager on, @src a link already or fewer than GOSSIP_TREE_LINKS, and no
 * storm. A storm is a round in which more than GOSSIP_TREE_STORM entries
 * came (tree_round()): when many nodes publish at once (a cluster that
 * starts) the updates race each other over links made as they go, and
 * grafts and prunes followed each other for as long as it lasted; in one,
 * links are only pruned, and rebuilt after it. Softirq.
 */
static bool tree_take(struct gossip_net *gn, const struct gossip_rx_src *src)
{
	return gossip_eager_on(gn) && !READ_ONCE(gn->tree_storm) &&
	       (atomic_read(&src->state->tree) ||
		tree_links(gn) < GOSSIP_TREE_LINKS);
}

/* Once a round: whether the last one was a storm (tree_take()). */
static void tree_round(struct gossip_net *gn)
{
	WRITE_ONCE(gn->tree_storm,
		   atomic_xchg(&gn->tree_news, 0) > GOSSIP_TREE_STORM);
}

/*
 * Whether to ask to join the tree (a GRAFT, not an IWANT) for REFs that
 * came in an IHAVE of entries the sender pushed down its tree first
 * (@tree: GOSSIP_REF_F_TREE) or elsewhere: eager on; fewer than
 * GOSSIP_TREE_WANT links when the tree was slower than the announcement,
 * none at all else (an announcement of what anti-entropy brought went down
 * no tree: a graft for it would close a cycle of the node's own tree as
 * often as not); no GRAFT for an interval; and no storm (tree_take()).
 * @links: tree_links() if the caller counted them already, else negative.
 * Softirq; two CPUs may both graft in a race, which is harmless.
 */
static bool tree_want(struct gossip_net *gn, bool tree, int links)
{
	u64 now = ktime_get_ns(), last = READ_ONCE(gn->graft_ns);

	if (!gossip_eager_on(gn) || READ_ONCE(gn->tree_storm))
		return false;
	if (links < 0)
		links = tree_links(gn);
	if (links >= GOSSIP_TREE_WANT || (links && !tree))
		return false;
	if (last && now - last < (u64)READ_ONCE(gn->interval_ms) *
				 NSEC_PER_MSEC)
		return false;
	WRITE_ONCE(gn->graft_ns, now);
	return true;
}

/*
 * Down (gossip_down(), under conf_lock, the receive path waited out): the
 * node leaves the tree, and may graft at once when up again. Its peers
 * prune it or take it back as news comes.
 */
void gossip_tree_clear(struct gossip_net *gn)
{
	struct gossip_peer_set *set;
	u32 i;

	lockdep_assert_held(&gn->conf_lock);
	WRITE_ONCE(gn->graft_ns, 0);
	WRITE_ONCE(gn->tree_storm, false);
	atomic_set(&gn->tree_news, 0);
	set = rcu_dereference_protected(gn->peers,
					lockdep_is_held(&gn->conf_lock));
	for (i = 0; set && i < set->count; i++)
		atomic_set(&set->state[i]->tree, 0);
}

/* A datagram of @type and no record (a PRUNE, an empty GRAFT), or NULL. */
static struct sk_buff *empty_dgram(struct gossip_net *gn, u8 type)
{
	struct gossip_wire_writer w;
	struct sk_buff *skb = alloc_dgram(GOSSIP_WIRE_HDR_LEN);

	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return NULL;
	}
	gossip_wire_begin(&w, skb->data, GOSSIP_WIRE_HDR_LEN, type,
			  READ_ONCE(gn->node_id));
	skb_put(skb, gossip_wire_finish(&w));
	return skb;
}

/*
 * A node with no link joins the tree between updates: from its round, while
 * it is not quiet, an empty GRAFT to a random peer, at most one an interval
 * (tree_want()). It takes the link at once; a peer that will not have it
 * (it is in no tree itself, or full) answers with a PRUNE
 * (gossip_tree_graft()). So a node joins a piece of a tree as a leaf, and
 * closes no cycle; without it only news would rebuild a tree that a storm
 * of updates from many nodes at once pruned away (a cluster that starts):
 * the first update after it went by announcements alone.
 */
static void tree_join(struct gossip_net *gn, u32 *dgrams)
{
	struct gossip_peer_set *set;
	struct sk_buff *skb;
	u32 idx;

	if (gossip_quiet(gn) || !tree_want(gn, false, -1))
		return;
	skb = empty_dgram(gn, GOSSIP_MSG_GRAFT);
	if (!skb)
		return;
	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	if (!gossip_pick_peers(set, 1, &idx)) {
		kfree_skb(skb);
	} else if (send_dgram(gn, skb, &set->addr[idx], set->state[idx])) {
		atomic_set(&set->state[idx]->tree, 1);
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_GRAFT);
		(*dgrams)++;
	}
	rcu_read_unlock_bh();
}

/*
 * An empty GRAFT from @src, a configured peer with no link (tree_join()): it
 * takes this node as a link. Taken while eager is on and this node is in a
 * tree with fewer than GOSSIP_TREE_LINKS links (a leaf joins it, and no
 * cycle closes), answered with a PRUNE else. Called under
 * rcu_read_lock_bh() (the peer set holds src->state).
 */
void gossip_tree_graft(struct gossip_net *gn, const struct gossip_rx_src *src)
{
	if (tree_links(gn) && tree_take(gn, src))
		atomic_set(&src->state->tree, 1);
	else
		gossip_tree_prune(gn, src);
}

/*
 * A TREE from @src (a configured peer) brought nothing new: drop the link
 * and tell @src to do the same, in a PRUNE. Called under
 * rcu_read_lock_bh() (the peer set holds src->state).
 */
void gossip_tree_prune(struct gossip_net *gn, const struct gossip_rx_src *src)
{
	struct sk_buff *skb;

	atomic_set(&src->state->tree, 0);
	skb = empty_dgram(gn, GOSSIP_MSG_PRUNE);
	if (skb && send_dgram(gn, skb, src->addr, src->state))
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_PRUNE);
}

/*
 * Send the eager datagram, if any, to peers other than @skip: an IHAVE to
 * announce_fanout() of them, a PUSH to `fanout`.
 */
void gossip_eager_send(struct gossip_net *gn, struct gossip_eager *f,
		       const union gossip_sockaddr *skip)
{
	if (!f->skb)
		return;
	if (!f->w.count) {
		kfree_skb(f->skb);
		kfree_skb(f->tree);
		return;
	}
	skb_put(f->skb, gossip_wire_finish(&f->w));
	atomic_add(f->w.count, &gn->tree_news);
	if (!f->refs) {
		gossip_stat_add(gn, GOSSIP_STATS_A_TX_EAGER,
				send_to_peers(gn, f->skb, READ_ONCE(gn->fanout),
					      skip, GOSSIP_MSG_PUSH, NULL));
		return;
	}
	if (f->tree && !f->tw.count) {
		kfree_skb(f->tree);
		f->tree = NULL;
	}
	if (f->tree)
		skb_put(f->tree, gossip_wire_finish(&f->tw));
	/* Down the tree; the announcements wait for its pushes. */
	if (f->no_tree) {
		announce_now(gn, f->skb, skip);
		return;
	}
	tree_send(gn, f->tree, skip);
	lazy_queue(gn, f->skb, skip);
}

/*
 * A burst of publishes. Each announcement of a publish is a wave: every
 * node that takes the entry in asks for it and announces it in turn, about
 * 8 datagrams per node on 8 nodes, whatever the announcement holds. One
 * announcement per publish made a burst a storm: 1000 publishes on one of
 * 8 nodes took 63,521 datagrams and 124 s to settle (attack.sh, 939c8b1).
 * So a publish is announced at once only if none was for a tenth of an
 * interval (burst_ns()); one that comes sooner joins the burst's pending
 * announcement, which burst_timer sends when that tenth is up, all of it
 * in one wave (or at once when the next would not fit). A lone publish
 * loses nothing; one in a burst waits at most a tenth of an interval. Every
 * entry is stored before it waits: the rounds carry it as they carry any
 * hot entry, announced or not.
 */
static u64 burst_ns(struct gossip_net *gn)
{
	return (u64)READ_ONCE(gn->interval_ms) * (NSEC_PER_MSEC / 10);
}

/* The burst's pending announcement, taken out. Caller holds burst_lock. */
static struct gossip_eager burst_take(struct gossip_net *gn)
{
	struct gossip_eager f = gn->burst;

	lockdep_assert_held(&gn->burst_lock);
	memset(&gn->burst, 0, sizeof(gn->burst));
	return f;
}

static enum hrtimer_restart burst_fire(struct hrtimer *timer)
{
	struct gossip_net *gn = container_of(timer, struct gossip_net,
					     burst_timer);
	struct gossip_eager f;

	spin_lock(&gn->burst_lock);
	f = burst_take(gn);
	gn->burst_armed = false;
	gn->burst_next = ktime_get_ns() + burst_ns(gn);
	spin_unlock(&gn->burst_lock);
	if (gossip_eager_on(gn)) {
		gossip_eager_send(gn, &f, NULL);
	} else {
		kfree_skb(f.skb);	/* NULL-safe; the rounds send them */
		kfree_skb(f.tree);
	}
	return HRTIMER_NORESTART;
}

/*
 * Caller holds conf_lock and has cleared running: on return the burst
 * timer does not run and is not queued, the pending announcement is freed,
 * and no publish starts the timer again (it checks running under the lock).
 * A publish (not under conf_lock) that saw running true may be arming the
 * timer under burst_lock: taking the lock first waits for it, so the
 * cancel comes after that arming, not before.
 */
static void burst_stop(struct gossip_net *gn)
{
	struct gossip_eager f;

	lockdep_assert_held(&gn->conf_lock);
	spin_lock_bh(&gn->burst_lock);	/* who saw running true has armed */
	spin_unlock_bh(&gn->burst_lock);
	hrtimer_cancel(&gn->burst_timer);
	spin_lock_bh(&gn->burst_lock);
	f = burst_take(gn);
	gn->burst_armed = false;
	gn->burst_next = 0;
	spin_unlock_bh(&gn->burst_lock);
	kfree_skb(f.skb);
	kfree_skb(f.tree);
}

/*
 * A local publish or delete, just stored as @u (its version and origin
 * assigned): with eager on, announced now, or with the rest of its burst
 * (above). Process context; BH is disabled around it so that it runs as
 * the receive path does (the per-CPU AEAD request of auth.c, the counters,
 * the sockets under RCU-bh).
 */
void gossip_eager_publish(struct gossip_net *gn, const struct gossip_update *u)
{
	struct gossip_wire_entry we = {
		.key = u->key->data, .value = u->value,
		.version = u->version, .origin = u->origin,
		.key_len = u->key->len, .value_len = u->value_len,
		.flags = u->flags,
	};
	struct gossip_eager f = { }, full = { };
	u64 now = ktime_get_ns();
	u16 count;

	local_bh_disable();
	spin_lock(&gn->burst_lock);
	/* Under the lock: once down's burst_stop() took it, not up. */
	if (!gossip_eager_on(gn)) {
		spin_unlock(&gn->burst_lock);
	} else if (gn->burst_armed || now < gn->burst_next) {
		count = gn->burst.w.count;
		gossip_eager_add(gn, &gn->burst, &we);
		if (gn->burst.skb && count && gn->burst.w.count == count) {
			/* Full: it goes now, this entry starts the next. */
			full = burst_take(gn);
			gossip_eager_add(gn, &gn->burst, &we);
		}
		if (!gn->burst_armed) {
			gn->burst_armed = true;
			hrtimer_start(&gn->burst_timer,
				      ns_to_ktime(gn->burst_next),
				      HRTIMER_MODE_ABS_SOFT);
		}
		spin_unlock(&gn->burst_lock);
		gossip_eager_send(gn, &full, NULL);
	} else {
		gn->burst_next = now + burst_ns(gn);
		spin_unlock(&gn->burst_lock);
		gossip_eager_add(gn, &f, &we);
		gossip_eager_send(gn, &f, NULL);
	}
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
	/* Room to say it stopped short (store.c, reply_say_cut()). */
	if (!n && limit != SIZE_MAX && gossip_lazy(gn) &&
	    limit >= out.over + GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_REC_LEN)
		n = 1;
	for (i = 0; i < n; i++) {
		skb[i] = alloc_dgram(size);
		if (!skb[i]) {	/* the reply ends short: those it has */
			gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
			break;
		}
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

/* ---- answers to summaries ---------------------------------------------- */

/* The smallest digest: a header, its RANGE and a MARK. */
#define DIGEST_MIN	(GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_REC_LEN + \
			 GOSSIP_WIRE_RANGE_LEN + GOSSIP_WIRE_REC_LEN + \
			 GOSSIP_WIRE_MARK_LEN)

/* Our digest to @src, in at most @budget bytes; its bytes sent, or 0. */
static unsigned int sum_reply_digest(struct gossip_net *gn,
				     const struct gossip_rx_src *src,
				     size_t budget, u64 from)
{
	struct gossip_wire_writer w;
	struct sk_buff *skb;
	unsigned int len;

	skb = alloc_dgram(budget);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return 0;
	}
	gossip_wire_begin(&w, skb->data, budget, GOSSIP_MSG_PULL_REQ,
			  READ_ONCE(gn->node_id));
	gossip_store_write_digest(&gn->store, &w, budget, false, has_news(gn),
				  from);
	if (!w.count) {
		kfree_skb(skb);		/* no origin to list */
		return 0;
	}
	skb_put(skb, gossip_wire_finish(&w));
	atomic_set(&src->state->answer, GOSSIP_PEER_ASKED);
	len = send_dgram(gn, skb, src->addr, src->state);
	if (len)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REQUESTS);
	return len;
}

/*
 * To @src, a configured peer whose reply credit is @credit, what @what
 * says (receive.c): GOSSIP_SEND_DIGEST, our digest, so that it answers
 * with what we lack (its summary differed from ours, or this quiet node
 * got its digest with news), every other time from @src's origin on with
 * GOSSIP_SEND_ACKS (its summary asked for acks: round_summary());
 * GOSSIP_SEND_SUMMARY, our summary, unless we
 * sent it one within the last interval (its summary differed: it then
 * sends us its digest in turn, and gets what it lacks from our answer; or
 * it equalled ours and asked for acks: ours acks). The ping-pong stops
 * there: each side sends the other at most one summary an interval. Paid
 * for from the credit when the datagram that asked did not authenticate,
 * as an answer is: a forged one gets back no more bytes than were sent in
 * the peer's name (tx_reply_cut when something was left out). Called
 * under rcu_read_lock_bh().
 */
void gossip_send_sum_reply(struct gossip_net *gn,
			   const struct gossip_rx_src *src, atomic_t *credit,
			   unsigned int what)
{
	u32 max = gossip_dgram_budget(gn), max_dgram = READ_ONCE(gn->max_dgram);
	u64 ival = (u64)READ_ONCE(gn->interval_ms) * NSEC_PER_MSEC;
	size_t limit = SIZE_MAX, sent = 0, over, budget;
	u64 from = GOSSIP_DIGEST_CURSOR, now = ktime_get_ns();
	struct sk_buff *skb;
	unsigned int len;
	bool cut = false;

	/* Every other ask for acks: a life's (above), else tombstones'. */
	if ((what & GOSSIP_SEND_ACKS) &&
	    atomic_inc_return(&src->state->acks_asked) & 1)
		from = src->sender;
	over = max_dgram > max ? max_dgram - max : 0;
	if (src->authed)
		credit = NULL;		/* not limited */
	else
		limit = atomic_xchg(credit, 0);

	if (what & GOSSIP_SEND_DIGEST) {
		budget = max;
		if (limit != SIZE_MAX)
			budget = min_t(size_t, max, limit - min(limit, over));
		if (budget >= DIGEST_MIN)
			sent += sum_reply_digest(gn, src, budget, from);
		else
			cut = true;
	}
	if (!(what & GOSSIP_SEND_SUMMARY) ||
	    now - atomic64_read(&src->state->sum_tx_ns) < ival) {
		/* Not asked for, or it had ours within the interval. */
	} else if (limit - min(limit, sent) < over + SUMMARY_LEN) {
		cut = true;
	} else {
		skb = build_summary(gn, 0);
		if (skb) {
			atomic64_set(&src->state->sum_tx_ns, now);
			len = send_dgram(gn, skb, src->addr, src->state);
			sent += len;
			if (len)
				gossip_stat_inc(gn, GOSSIP_STATS_A_TX_SUMMARIES);
		}
	}
	if (credit && sent < limit)
		gossip_credit_add(gn, credit, limit - sent);
	if (cut)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REPLY_CUT);
}

/* ---- announcements: IHAVE, IWANT (lazy push, above) -------------------- */

/* The slot of the want table for the key of @we, and its hash. */
static struct gossip_want *want_slot(struct gossip_net *gn,
				     const struct gossip_wire_entry *we,
				     u32 *hash)
{
	*hash = siphash(we->key, we->key_len, &gn->rl_key);
	return &gn->wants[*hash % GOSSIP_WANTS];
}

/*
 * How long an answer may take before an entry is asked for again: the
 * answers' moving average plus four times their mean deviation from it
 * (TCP's retransmission timeout, RFC 6298), and at least twice the
 * average; within [1 ms, interval / 2]; an eighth of the interval before
 * any answer came. Caller holds want_lock.
 *
 * Twice the average when the answers' times hardly vary: with 10 % loss
 * on every link, an IWANT or its answer is lost one time in five, and the
 * next announcement should ask again while the first wave still brings
 * them (in the simulator, 256 nodes, rounds spread over the interval: all
 * held 129 ms after a publish in push, 119 in pushpull, where four times
 * took 171 and 160, and eager pushes 122 and 132). More when they vary:
 * on a loaded host a few answers come a time slice late, and asking again
 * for those costs a second copy with nothing lost.
 */
static u64 want_wait(struct gossip_net *gn)
{
	u64 ival = (u64)READ_ONCE(gn->interval_ms) * NSEC_PER_MSEC;

	lockdep_assert_held(&gn->want_lock);
	return gossip_rtt_wait(&gn->want_rtt, ival / 8, ival / 2);
}

/* Start want_timer for @at unless it fires sooner. Caller holds want_lock. */
static void want_arm(struct gossip_net *gn, u64 at)
{
	lockdep_assert_held(&gn->want_lock);
	if (!READ_ONCE(gn->running) ||
	    (gn->want_armed &&
	     ktime_to_ns(hrtimer_get_expires(&gn->want_timer)) <= at))
		return;
	gn->want_armed = true;
	hrtimer_start(&gn->want_timer, ns_to_ktime(at), HRTIMER_MODE_ABS_SOFT);
}

/*
 * Waiting for the tree. An announcement waits a tenth of an interval for
 * the eager tree's push, but on a loaded host a hop of the tree can take
 * longer, and a node the announcement reached first asked for the entry,
 * then got it from the tree too: a second copy. So a node with a link,
 * announced an entry its sender pushed down its tree (GOSSIP_REF_F_TREE),
 * waits for that push (tree_wait()) as long as such pushes came late, and
 * asks the announcer only if it has not come by then (want_ask_one(),
 * from want_timer); a push that comes in time counts in rx_tree_awaited.
 * How late they came is measured from the first such announcement to the
 * TREE, asked for meanwhile or not (gossip_want_done()). Before any came
 * late a node asks at once. Under loss the nodes of a subtree a lost TREE
 * cut off wait for the push of their parent, which asked and pushes what
 * it got down its tree, instead of each asking.
 *
 * How long a node with a link waits, after an announcement of an entry the
 * sender pushed down its tree (GOSSIP_REF_F_TREE), for that push before it
 * asks (above): the average plus two deviations of how late the tree's
 * pushes came when an announcement came first (rtt.h); none before any
 * came so (ask at once); at most the announcements' own wait, a tenth of
 * an interval. Caller holds want_lock.
 */
static u64 tree_wait(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->want_lock);
	return gossip_rtt_spread(&gn->tree_lag, gossip_tree_wait_ns(gn));
}

/* What want_claim() found: ask now, wait for the tree, or asked already. */
enum gossip_claim { GOSSIP_CLAIM_ASK, GOSSIP_CLAIM_WAIT, GOSSIP_CLAIM_HELD };

/*
 * Whether to ask @who for @ref now, and if so note that it was: not when
 * an entry at least as new for its key was asked for within want_wait()
 * (the answer may be on its way), or waits for the tree (tree_wait(), then
 * want_wait()); then, if @who is another peer announcing the very entry
 * asked for, it is noted as the one to ask should the answer be late
 * (want_retry()). With @tree (the sender pushed it down its tree, and this
 * node has a link), it waits for the tree first, if tree_wait() says so.
 * One slot per key hash: a key whose slot another took may be asked for
 * twice, which costs a copy, no more; a slot that waits for the tree is
 * not taken by another key (which is then asked for at once): its entry
 * would never be asked for.
 */
static enum gossip_claim want_claim(struct gossip_net *gn,
				    const struct gossip_wire_entry *ref,
				    u64 who, bool tree)
{
	enum gossip_claim ret = GOSSIP_CLAIM_HELD;
	u64 now = ktime_get_ns(), wait;
	struct gossip_want *w;
	bool asked;
	u32 hash;

	w = want_slot(gn, ref, &hash);
	spin_lock_bh(&gn->want_lock);
	wait = want_wait(gn);
	if (w->waiting)
		wait += tree_wait(gn);
	asked = w->at_ns && w->hash == hash && now - w->at_ns < wait &&
		(w->version > ref->version ||
		 (w->version == ref->version && w->origin >= ref->origin));
	if (!asked && w->waiting && w->hash != hash && now - w->at_ns < wait) {
		/* Another key waits in the slot: not lost, this one asked. */
		ret = GOSSIP_CLAIM_ASK;
	} else if (!asked) {
		w->hash = hash;
		w->origin = ref->origin;
		w->version = ref->version;
		w->at_ns = now;
		w->ann_ns = tree ? now : 0;
		w->from = who;
		w->alt = 0;
		w->value_len = ref->value_len;
		w->flags = ref->flags;
		w->key.len = ref->key_len;
		memcpy(w->key.data, ref->key, ref->key_len);
		wait = tree ? tree_wait(gn) : 0;
		w->waiting = wait;
		ret = GOSSIP_CLAIM_ASK;
		if (wait) {
			want_arm(gn, now + wait);
			ret = GOSSIP_CLAIM_WAIT;
		}
	} else if (!w->alt && who != w->from && w->version == ref->version &&
		   w->origin == ref->origin) {
		w->alt = who;
		if (!w->waiting)
			want_arm(gn, w->at_ns + want_wait(gn));
	}
	spin_unlock_bh(&gn->want_lock);
	return ret;
}

/*
 * @we arrived in a PUSH or, with @tree, a TREE (receive.c): if it is what
 * this node asked for, the slot is free again, and the time the answer
 * took goes into the average and deviation want_wait() adds up (rtt.h): an
 * IWANT or its answer that was lost is asked again after a few round
 * trips, not after half an interval. If it is the tree's push of what an
 * announcement said the tree was bringing, and the announcement came
 * first, how much later the push came goes into tree_wait()'s (counted in
 * rx_tree_awaited if the node was still waiting for it: no IWANT went).
 */
void gossip_want_done(struct gossip_net *gn, const struct gossip_wire_entry *we,
		      bool tree)
{
	u64 now = ktime_get_ns(), ival;
	bool awaited = false;
	struct gossip_want *w;
	u32 hash;

	ival = (u64)READ_ONCE(gn->interval_ms) * NSEC_PER_MSEC;
	w = want_slot(gn, we, &hash);
	spin_lock_bh(&gn->want_lock);
	if (w->hash != hash)
		goto out;
	/* The very entry announced, lately: how late the tree's push was. */
	if (tree && w->ann_ns && we->version == w->version &&
	    we->origin == w->origin) {
		if (now - w->ann_ns < ival)
			gossip_rtt_add(&gn->tree_lag, now - w->ann_ns);
		w->ann_ns = 0;
		awaited = w->waiting;
	}
	if (w->at_ns &&
	    (we->version > w->version ||
	     (we->version == w->version && we->origin >= w->origin))) {
		if (!w->waiting)
			gossip_rtt_add(&gn->want_rtt, now - w->at_ns);
		w->at_ns = 0;
		w->waiting = false;
	}
out:
	spin_unlock_bh(&gn->want_lock);
	if (awaited)
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_TREE_AWAITED);
}

/* A new IWANT of @max bytes, written by @w; NULL (counted) without memory. */
static struct sk_buff *iwant_begin(struct gossip_net *gn,
				   struct gossip_wire_writer *w, u32 max,
				   u8 type)
{
	struct sk_buff *skb = alloc_dgram(max);

	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		return NULL;
	}
	gossip_wire_begin(w, skb->data, max, type,
			  READ_ONCE(gn->node_id));
	return skb;
}

/*
 * Send @skb, the IWANT @w writes, asking for entries whose values take
 * @values bytes, to @dst, the peer whose state is @ps and reply credit
 * @credit: without a key, padded (a PAD) with up to @values bytes, as far
 * as @credit pays for (gossip_rx_refs()). Consumes @skb. Caller holds
 * rcu_read_lock_bh() (the peer set holds @ps and @credit).
 */
static bool iwant_send(struct gossip_net *gn, struct sk_buff *skb,
		       struct gossip_wire_writer *w, size_t values,
		       const union gossip_sockaddr *dst,
		       struct gossip_peer_state *ps, atomic_t *credit)
{
	size_t limit, len;
	bool graft;

	if (!gossip_auth_keyed(gn) && values) {
		/* As much padding as fits and the credit pays for. */
		limit = atomic_xchg(credit, 0);
		len = min_t(size_t, w->cap - w->len,
			    limit - min(limit, w->len));
		if (len > GOSSIP_WIRE_REC_LEN) {
			len = min(len - GOSSIP_WIRE_REC_LEN, values);
			gossip_wire_put_pad(w, len);
		}
		if (limit > w->len)
			gossip_credit_add(gn, credit, limit - w->len);
	}
	skb_put(skb, gossip_wire_finish(w));
	graft = ((struct gossip_msg_header *)skb->data)->type ==
		GOSSIP_MSG_GRAFT;
	if (!send_dgram(gn, skb, dst, ps))
		return false;
	gossip_stat_inc(gn, GOSSIP_STATS_A_TX_IWANT);
	if (graft)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_GRAFT);
	return true;
}

/*
 * The REFs of @msg (an IHAVE, a pushpull digest, a digest's answer) from
 * @src, a configured peer whose reply credit is @credit, its entries
 * already applied: ask @src, in one IWANT, for those this node lacks and
 * has not just asked for. Without a key, the IWANT is padded (a PAD) with
 * up to the values' length: @src answers an unauthenticated IWANT only
 * within the bytes it got from this address (above), and the padding pays
 * for the answer. The padding is paid in turn from @credit: what this
 * node sends @src never exceeds what it got from that address, so an
 * IHAVE forged in @src's name (small, announcing big values) makes this
 * node send @src no more than its own size. Called under
 * rcu_read_lock_bh() (the peer set holds src->state and @credit).
 */
void gossip_rx_refs(struct gossip_net *gn, struct gossip_wire_msg msg,
		    const struct gossip_rx_src *src, atomic_t *credit)
{
	u32 max = gossip_dgram_budget(gn);
	size_t values = 0, len;
	struct gossip_wire_writer w;
	struct sk_buff *skb = NULL;
	struct gossip_wire_rec r;
	int links = -1;
	bool tree;

	while (gossip_wire_next(&msg, &r)) {
		if (r.kind != GOSSIP_REC_REF)
			continue;
		len = gossip_wire_entry_size(r.entry.key_len, 0);
		if (skb && w.cap - w.len < len)
			break;		/* the next IHAVE asks again */
		/* Pushed down the sender's tree before it was announced. */
		tree = msg.type == GOSSIP_MSG_IHAVE &&
		       (r.entry.flags & GOSSIP_REF_F_TREE);
		r.entry.flags &= GOSSIP_ENTRY_F_TOMBSTONE;
		if (!gossip_store_lacks(gn, &r.entry))
			continue;
		/* A node in a tree may get it down its own (tree_wait()). */
		if (tree && links < 0)
			links = tree_links(gn);
		if (want_claim(gn, &r.entry, src->who, tree && links > 0) !=
		    GOSSIP_CLAIM_ASK)
			continue;
		if (!skb) {
			/*
			 * The tree did not reach here: graft (tree_want()).
			 * What no tree carried (anti-entropy's, a round's)
			 * only makes a node with no link join.
			 */
			skb = iwant_begin(gn, &w, max,
					  tree_want(gn, tree, links) ?
					  GOSSIP_MSG_GRAFT : GOSSIP_MSG_IWANT);
			if (!skb)
				return;
		}
		gossip_wire_put_ref(&w, &r.entry);
		values += r.entry.value_len;
	}
	if (skb)
		iwant_send(gn, skb, &w, values, src->addr, src->state, credit);
}

/*
 * Answer the IWANT @msg from @src, a configured peer whose reply credit is
 * @credit: one PUSH of our entries for the keys it names, each at least as
 * new as asked (store.c), as many as fit; within the credit when it did
 * not authenticate (tx_reply_cut when something was left out), as a
 * digest's answer. Called under rcu_read_lock_bh().
 */
void gossip_send_wanted(struct gossip_net *gn, struct gossip_wire_msg msg,
			const struct gossip_rx_src *src, atomic_t *credit)
{
	u32 max = gossip_dgram_budget(gn), max_dgram = READ_ONCE(gn->max_dgram);
	size_t limit = SIZE_MAX, sent = 0, over, budget, ann = 0, left;
	struct gossip_wire_writer w;
	struct gossip_wire_rec rec;
	struct sk_buff *skb;
	bool cut = false, graft;
	int ret;

	/* A graft: the tree did not reach it (send.c, "the eager tree"). */
	graft = msg.type == GOSSIP_MSG_GRAFT && tree_take(gn, src);
	over = max_dgram > max ? max_dgram - max : 0;
	if (src->authed) {
		credit = NULL;		/* not limited */
	} else {
		/* What was announced to it first, then the reply credit. */
		ann = atomic_xchg(&src->state->announced, 0);
		limit = ann + atomic_xchg(credit, 0);
	}
	budget = max;
	if (limit != SIZE_MAX)
		budget = min_t(size_t, max, limit - min(limit, over));
	if (budget < REPLY_DGRAM_MIN) {
		cut = true;
		goto out;
	}
	skb = alloc_dgram(budget);
	if (!skb) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_ERRORS);
		goto out;
	}
	gossip_wire_begin(&w, skb->data, budget,
			  graft ? GOSSIP_MSG_TREE : GOSSIP_MSG_PUSH,
			  READ_ONCE(gn->node_id));
	while (gossip_wire_next(&msg, &rec)) {
		if (rec.kind != GOSSIP_REC_REF)
			continue;	/* its PAD */
		ret = gossip_store_write_wanted(&gn->store, &w, &rec.entry);
		/* What did not fit waits for the next announcement. */
		if (ret < 0 && budget < max)
			cut = true;	/* the credit did not pay for it */
	}
	if (!w.count) {
		kfree_skb(skb);
		goto out;
	}
	skb_put(skb, gossip_wire_finish(&w));
	sent = send_dgram(gn, skb, src->addr, src->state);
	if (sent)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_FETCHED);
	if (sent && graft)
		atomic_set(&src->state->tree, 1);
out:
	if (credit && sent < limit) {
		/* Back what was not spent, the reply credit's part first. */
		left = limit - sent;
		gossip_credit_add(gn, credit, min(left, limit - ann));
		if (left > limit - ann)
			gossip_credit_add(gn, &src->state->announced,
					  left - (limit - ann));
	}
	if (cut)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_REPLY_CUT);
}

/*
 * A late answer, asked for again. An IWANT or its answer that is lost used
 * to wait for the next announcement of the entry after want_wait(): the
 * announcements that came while it waited had found it asked for, and the
 * next ones came with the rounds, up to an interval later (at 10 % loss, 64
 * nodes: all held 1.76 intervals after a publish in push, 0.97 in
 * pushpull, where eager pushes took 0.85 and 0.61). As Plumtree's timer on
 * a missing message, a node now notes another peer that announced the
 * same entry while the first was asked (want_claim()), and asks that one
 * once want_wait() has passed with no answer: each such peer, in one IWANT,
 * for all the entries it is the one to ask for.
 *
 * One IWANT to one peer (want_retry()): with @first, of the entries a node
 * waited for the tree for (tree_wait()) that are due and whose announcer
 * is the first one found, asked for the first time (a GRAFT if
 * tree_want() says so); else of the late entries whose other announcer is
 * the first one found. True if it sent one (there may be another peer to
 * ask). *@next: when the earliest entry not due yet will be. Softirq
 * context (want_timer).
 */
static bool want_ask_one(struct gossip_net *gn, u64 now, u64 *next,
			 bool first)
{
	u32 max = gossip_dgram_budget(gn), i, idx;
	struct gossip_wire_entry ref = { };
	struct gossip_peer_set *set;
	struct gossip_wire_writer w;
	struct sk_buff *skb = NULL;
	struct gossip_want *s;
	size_t values = 0;
	u64 to = 0, wait, dst;
	u8 type;

	spin_lock(&gn->want_lock);
	wait = first ? tree_wait(gn) : want_wait(gn);
	for (i = 0; i < GOSSIP_WANTS; i++) {
		s = &gn->wants[i];
		if (!s->at_ns || s->waiting != first || (!first && !s->alt))
			continue;
		dst = first ? s->from : s->alt;
		if (to && dst != to)
			continue;
		if (now - s->at_ns < wait) {
			*next = min(*next, s->at_ns + wait);
			continue;
		}
		ref.key = s->key.data;
		ref.key_len = s->key.len;
		ref.version = s->version;
		ref.origin = s->origin;
		ref.value_len = s->value_len;
		ref.flags = s->flags;
		if (!gossip_store_lacks(gn, &ref)) {
			s->at_ns = 0;	/* it came some other way */
			s->waiting = false;
			continue;
		}
		if (!skb) {
			/* The tree did not bring it: graft (tree_want()). */
			type = first && tree_want(gn, true, -1) ?
			       GOSSIP_MSG_GRAFT : GOSSIP_MSG_IWANT;
			skb = iwant_begin(gn, &w, max, type);
			if (!skb)
				break;
			to = dst;
		}
		if (gossip_wire_put_ref(&w, &ref))
			break;		/* full: the next call */
		values += ref.value_len;
		if (!first) {
			s->from = s->alt;
			s->alt = 0;
		}
		s->waiting = false;
		s->at_ns = now;
	}
	spin_unlock(&gn->want_lock);
	if (!skb)
		return false;
	/* The peer, if its set is still the one its number was taken in. */
	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	idx = (u32)to - 1;
	if (!set || set->gen != to >> 32 || idx >= set->count)
		kfree_skb(skb);		/* the peers changed: the rounds bring it */
	else if (iwant_send(gn, skb, &w, values, &set->addr[idx],
			    set->state[idx], &set->credit[idx]) && !first)
		gossip_stat_inc(gn, GOSSIP_STATS_A_TX_IWANT_RETRY);
	rcu_read_unlock_bh();
	return true;
}

static enum hrtimer_restart want_retry(struct hrtimer *timer)
{
	struct gossip_net *gn = container_of(timer, struct gossip_net,
					     want_timer);
	u64 now = ktime_get_ns(), next = U64_MAX;
	u32 n = 0;

	spin_lock(&gn->want_lock);
	gn->want_armed = false;
	spin_unlock(&gn->want_lock);
	/*
	 * Each call clears at least one slot's waiting or alt: at most
	 * GOSSIP_WANTS each. The first asks first: their retries are due
	 * want_wait() after them.
	 */
	while (n++ < GOSSIP_WANTS && want_ask_one(gn, now, &next, true))
		;
	n = 0;
	while (n++ < GOSSIP_WANTS && want_ask_one(gn, now, &next, false))
		;
	if (next != U64_MAX) {
		spin_lock(&gn->want_lock);
		want_arm(gn, next);
		spin_unlock(&gn->want_lock);
	}
	return HRTIMER_NORESTART;
}

/* ---- the timers of eager forwarding ------------------------------------ */

void gossip_eager_init(struct gossip_net *gn)
{
	hrtimer_init(&gn->burst_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	gn->burst_timer.function = burst_fire;
	spin_lock_init(&gn->burst_lock);
	hrtimer_init(&gn->want_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	gn->want_timer.function = want_retry;
	hrtimer_init(&gn->lazy_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	gn->lazy_timer.function = lazy_fire;
}

/*
 * Caller holds conf_lock and has cleared running: on return neither the
 * burst timer, lazy_timer nor want_timer runs or is queued, none is started
 * again (each is started under its lock only while running), and no IHAVE
 * waits.
 */
void gossip_eager_stop(struct gossip_net *gn)
{
	struct gossip_lazy q[GOSSIP_LAZY_MAX];
	u32 n;

	lockdep_assert_held(&gn->conf_lock);
	burst_stop(gn);
	/* burst_stop() took burst_lock: who saw running true has armed. */
	hrtimer_cancel(&gn->lazy_timer);
	spin_lock_bh(&gn->burst_lock);
	n = lazy_take(gn, q);
	spin_unlock_bh(&gn->burst_lock);
	while (n)
		kfree_skb(q[--n].skb);
	spin_lock_bh(&gn->want_lock);	/* who saw running true has armed */
	spin_unlock_bh(&gn->want_lock);
	hrtimer_cancel(&gn->want_timer);
	gn->want_armed = false;
}
