// SPDX-License-Identifier: GPL-2.0
/*
 * Every datagram this node receives is handled here, in softirq context,
 * from socket.c's encap_rcv: the rate limit of its source, its header, its
 * authentication (auth.c), the whole datagram checked (wire.c), then its
 * entries and marks applied to the store, its new entries forwarded
 * eagerly, a digest or an IWANT answered, announced entries it lacks asked
 * for (IHAVE, IWANT: send.c, "lazy push"). A datagram is applied
 * entirely or not at all, and only a valid digest from a configured peer
 * is ever answered (see send.c: no amplification).
 *
 * A source that sends rejected datagrams (malformed, unauthenticated, of
 * another label, replayed) is rate limited: each rejection costs it
 * 1/reject_rate s of credit, of at most 2 s, and while it has less than one
 * datagram's worth every datagram from it is dropped before it is read.
 * Not a configured peer's: anyone can forge a peer's address, and the junk
 * it sends under that address would silence the peer. Datagrams from a
 * peer's address are always read; the junk among them is dropped and counted
 * after the checks it fails (header, then authentication).
 */
#include <linux/skbuff.h>

#include "gossip.h"
#include "trace.h"
#include "wire.h"

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
	[GOSSIP_PUT_ORIGINS] = GOSSIP_STATS_A_RX_ERR_FULL,
};

/* ---- applying a datagram ---------------------------------------------- */

/*
 * Put @we, from @src in a datagram of @type, in the store. *@second: it
 * was not newer, and what the node holds did not come in answer to an
 * IWANT (GOSSIP_ENTRY_F_FETCHED; only the first TREE after it lost a race
 * with the answer), nor is it late (GOSSIP_ENTRY_F_LATE) from a link: a
 * TREE that brings it came over a second path. A late entry from a link
 * crossed this node's own TREE of it to that link: the link fetched it
 * before this node's TREE came, and may hang from this node in the tree.
 */
static enum gossip_put_result apply_entry(struct gossip_net *gn,
					  const struct gossip_wire_entry *we,
					  const struct gossip_rx_src *src,
					  u8 type, bool *second)
{
	struct gossip_key key = { .len = we->key_len };
	struct gossip_update u = {
		.key = &key, .value = we->value, .value_len = we->value_len,
		.flags = we->flags, .origin = we->origin,
		.version = we->version,
		.trusted = src->peer || src->authed,
		.fetched = src->peer && type == GOSSIP_MSG_PUSH,
		.tree = src->peer && type == GOSSIP_MSG_TREE,
	};
	bool late = u.tree && (we->flags & GOSSIP_ENTRY_F_LATE) &&
		    atomic_read(&src->state->tree);
	enum gossip_put_result res;

	memcpy(key.data, we->key, we->key_len);
	res = gossip_store_put(gn, &u);
	*second = res == GOSSIP_PUT_DUPLICATE && !u.dup_fetched && !late;
	gossip_stat_inc(gn, put_result_stat[res]);
	if (res == GOSSIP_PUT_APPLIED) {
		trace_gossip_entry_applied(gn, u.origin, u.version, key.len);
		gossip_notify_entry(gn, &u);
	}
	return res;
}

/*
 * Apply a validated datagram's entries and marks, in their order; with
 * @fwd, add each entry that was newer than ours to the eager datagram. Once
 * an entry could not be stored (store full, no memory, from the future, a
 * stranger's origin past the cap), no MARK of the datagram is applied: a
 * mark says the node holds what it covers, and the next digest must ask for
 * that entry again. A stranger's MARKs are never applied
 * (rx_mark_stranger): one would raise a known origin's mark, and the node
 * would then neither ask for that origin's entries below it again nor take
 * new ones there, and pass the mark on in its own replies. Returns the
 * entries that were newer than ours; *@dups: those that were not, and
 * that the node holds (as new or newer) other than by an IWANT's answer
 * (apply_entry()).
 */
static u32 apply_records(struct gossip_net *gn, struct gossip_wire_msg msg,
			 const struct gossip_rx_src *src,
			 struct gossip_eager *fwd, u32 *dups)
{
	enum gossip_put_result res;
	struct gossip_wire_rec rec;
	bool lost = false, second;
	u32 applied = 0;

	while (gossip_wire_next(&msg, &rec)) {
		if (rec.kind == GOSSIP_REC_ENTRY) {
			res = apply_entry(gn, &rec.entry, src, msg.type,
					  &second);
			applied += res == GOSSIP_PUT_APPLIED;
			*dups += second;
			if (res == GOSSIP_PUT_APPLIED && fwd)
				gossip_eager_add(gn, fwd, &rec.entry);
			/* An IWANT's answer (send.c, "lazy push"), a TREE? */
			if ((msg.type == GOSSIP_MSG_PUSH ||
			     msg.type == GOSSIP_MSG_TREE) && src->peer &&
			    (res == GOSSIP_PUT_APPLIED ||
			     res == GOSSIP_PUT_DUPLICATE))
				gossip_want_done(gn, &rec.entry,
						 msg.type == GOSSIP_MSG_TREE);
			lost |= res != GOSSIP_PUT_APPLIED &&
				res != GOSSIP_PUT_DUPLICATE;
		} else if (rec.kind == GOSSIP_REC_MARK && !lost &&
			   msg.type == GOSSIP_MSG_PULL_REPLY) {
			/* No node asks a stranger: nothing to answer. */
			if (src->peer || src->authed)
				gossip_store_apply_mark(gn, &rec.mark);
			else
				gossip_stat_inc(gn,
						GOSSIP_STATS_A_RX_MARK_STRANGER);
		}
	}
	return applied;
}

/* ---- the rate limiter of rejected datagrams ------------------------------ */

/*
 * Count a rejected datagram of @src under @stat and charge its credit.
 * Returns @stat: the drop's reason, for socket.c. A configured peer's
 * address is never limited, so it is not charged either: junk forged in
 * its name would empty the bucket of the strangers that share its slot.
 */
static int reject(struct gossip_net *gn, const struct gossip_rx_src *src,
		  u64 now, int stat)
{
	gossip_stat_inc(gn, stat);
	/* Memory short is not the source's doing. */
	if (!src->peer && stat != GOSSIP_STATS_A_RX_ERR_NOMEM)
		gossip_rl_charge(gn, src->addr, now);
	return stat;
}

/* Whether digest @req says its sender has news: its RANGE's flag. */
static bool digest_news(const struct gossip_wire_msg *req)
{
	struct gossip_wire_msg msg = *req;
	struct gossip_wire_rec rec;

	return gossip_wire_next(&msg, &rec) && rec.kind == GOSSIP_REC_RANGE &&
	       (rec.range.flags & GOSSIP_RANGE_F_NEWS);
}

/* Whether @msg (a GRAFT) names an entry: else it only joins the tree. */
static bool has_refs(const struct gossip_wire_msg *msg)
{
	struct gossip_wire_msg m = *msg;
	struct gossip_wire_rec rec;

	while (gossip_wire_next(&m, &rec))
		if (rec.kind == GOSSIP_REC_REF)
			return true;
	return false;
}

/*
 * Whether the digest's answer @reply, which brought @applied entries newer
 * than ours, is worth paying ahead for (send.c): it says it stopped short
 * (a PAD last), and it either brought something new or could not carry a
 * single entry (one larger than the credit). An answer cut short that
 * carried only what this node holds (its marks lag behind what it got
 * otherwise) is not: paying would buy more of the same. Its MARKs raise
 * the marks, and the next answer goes on from there.
 */
static bool reply_owed(const struct gossip_wire_msg *reply, u32 applied)
{
	struct gossip_wire_msg msg = *reply;
	struct gossip_wire_rec rec;
	bool entries = false;

	while (gossip_wire_next(&msg, &rec)) {
		if (rec.kind == GOSSIP_REC_PAD)
			return applied || !entries;
		entries |= rec.kind == GOSSIP_REC_ENTRY ||
			   rec.kind == GOSSIP_REC_REF;
	}
	return false;
}

/*
 * A SUMMARY @msg from @src (send.c, "quiet"): from a configured peer, one
 * equal to ours acks as its digest would (and is answered with our summary
 * when it asks for acks), one that differs is answered with our digest and
 * summary; a stranger's is only counted, as its digest would be. Returns
 * 0: it was read.
 */
static int rx_summary(struct gossip_net *gn, struct gossip_wire_msg *msg,
		      const struct gossip_rx_src *src, atomic_t *credit)
{
	struct gossip_wire_sum ours;
	struct gossip_wire_rec rec;

	if (!src->peer) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQ_STRANGER);
		return 0;
	}
	if (!gossip_wire_next(msg, &rec))
		return 0;	/* cannot be: the parser wants one SUM */
	gossip_store_summary(&gn->store, &ours, NULL);
	if (rec.sum.hash == ours.hash && rec.sum.entries == ours.entries &&
	    rec.sum.origins == ours.origins) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_SUM_MATCH);
		gossip_store_sum_seen(gn, src);
		if (rec.sum.flags & GOSSIP_SUM_F_ACKS)
			gossip_send_sum_reply(gn, src, credit,
					      GOSSIP_SEND_SUMMARY);
		return 0;
	}
	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_SUM_DIFFER);
	gossip_send_sum_reply(gn, src, credit,
			      GOSSIP_SEND_DIGEST | GOSSIP_SEND_SUMMARY |
			      (rec.sum.flags & GOSSIP_SUM_F_ACKS ?
			       GOSSIP_SEND_ACKS : 0));
	return 0;
}

/*
 * A datagram's UDP payload from @addr, received at @to, in softirq
 * context. Only a valid digest from a configured peer is ever answered,
 * and only to the address it came from; the new entries of a valid
 * datagram from a configured peer are forwarded eagerly, to peers other
 * than @addr. Under rcu_read_lock_bh(): the peer set, and the credit in
 * it. Returns 0, or the counter (GOSSIP_STATS_A_*) the datagram was
 * dropped under.
 */
static int rx_locked(struct gossip_net *gn, u8 *buf, size_t len,
		     const union gossip_sockaddr *addr,
		     const union gossip_sockaddr *to, u64 since)
{
	struct gossip_peer_set *set = rcu_dereference_bh(gn->peers);
	struct gossip_rx_src src = { .addr = addr };
	struct gossip_wire_msg msg;
	struct gossip_wire_hdr hdr;
	enum gossip_wire_err err;
	struct gossip_eager fwd = { };
	atomic_t *credit = NULL;
	int drop, i;
	u32 applied, dups = 0;
	bool news;

	/* A peer's address: credit for answers, never limited (above). */
	i = gossip_peer_find(set, addr);
	src.peer = i >= 0;
	if (src.peer) {
		credit = &set->credit[i];
		src.state = set->state[i];
		src.who = (u64)set->gen << 32 | (i + 1);
		atomic64_inc(&src.state->rx_dgrams);
		atomic64_add(len, &src.state->rx_bytes);
		gossip_credit_add(gn, credit, len);
	} else if (gossip_rl_limited(gn, addr, since)) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_ERR_RATELIMIT);
		return GOSSIP_STATS_A_RX_ERR_RATELIMIT;
	}
	/* The header, then who sent it (opened in place if sealed), then all. */
	err = gossip_wire_header(buf, len, &hdr);
	if (err)
		return reject(gn, &src, since, wire_err_stat[err]);
	drop = gossip_auth_rx(gn, buf, len, &hdr, to);
	if (drop) {
		if (src.state && (drop == GOSSIP_STATS_A_RX_ERR_AUTH ||
				  drop == GOSSIP_STATS_A_RX_ERR_UNAUTH ||
				  drop == GOSSIP_STATS_A_RX_ERR_REPLAY))
			atomic64_inc(&src.state->auth_fails);
		return reject(gn, &src, since, drop);
	}
	err = gossip_wire_parse(buf, len, &msg);
	if (err)
		return reject(gn, &src, since, wire_err_stat[err]);
	if (src.state) {
		atomic64_set(&src.state->last_rx_ns, since);
		/* A reply after our digest: the peer answered it. */
		if (msg.type == GOSSIP_MSG_PULL_REPLY)
			atomic_cmpxchg(&src.state->answer, GOSSIP_PEER_ASKED,
				       GOSSIP_PEER_ANSWERED);
	}
	src.authed = hdr.flags & GOSSIP_WIRE_F_SEALED;
	src.sender = msg.sender;
	/* Down the tree: what came down it, or was asked for (send.c). */
	fwd.no_tree = msg.type != GOSSIP_MSG_TREE &&
		      msg.type != GOSSIP_MSG_PUSH;
	fwd.late = msg.type == GOSSIP_MSG_PUSH;
	applied = apply_records(gn, msg, &src,
				src.peer && gossip_eager_on(gn) ? &fwd : NULL,
				&dups);
	/*
	 * The eager tree (send.c): a TREE whose entries the node held
	 * already (down another link, by anti-entropy, published here) is a
	 * second path, pruned; one that brought news, or only lost a race
	 * with an announcement's answer, is a link.
	 */
	if (msg.type == GOSSIP_MSG_TREE && src.peer) {
		if (!applied && dups)
			gossip_tree_prune(gn, &src);
		else
			atomic_set(&src.state->tree, 1);
	}
	gossip_eager_send(gn, &fwd, addr);	/* the entries point into @buf */
	gossip_store_digest_seen(gn, &msg, &src);	/* tombstone acks */
	/* An answer cut short: pay that peer ahead for the next (send.c). */
	if (src.peer && msg.type == GOSSIP_MSG_PULL_REPLY &&
	    gossip_lazy(gn) && reply_owed(&msg, applied)) {
		gossip_credit_add(gn, &gn->owed, len);
		atomic64_set(&gn->owed_to, src.who);
	}
	if (msg.type == GOSSIP_MSG_SUMMARY)
		return rx_summary(gn, &msg, &src, credit);
	if (msg.type == GOSSIP_MSG_PRUNE) {
		if (!src.peer) {
			gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQ_STRANGER);
		} else {
			atomic_set(&src.state->tree, 0);
			gossip_stat_inc(gn, GOSSIP_STATS_A_RX_PRUNE);
		}
		return 0;
	}
	if (msg.type == GOSSIP_MSG_IHAVE || msg.type == GOSSIP_MSG_IWANT ||
	    msg.type == GOSSIP_MSG_GRAFT) {
		if (!src.peer)
			gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQ_STRANGER);
		else if (msg.type == GOSSIP_MSG_IHAVE)
			gossip_rx_refs(gn, msg, &src, credit);
		else if (msg.type == GOSSIP_MSG_GRAFT && !has_refs(&msg))
			gossip_tree_graft(gn, &src);
		else
			gossip_send_wanted(gn, msg, &src, credit);
		return 0;
	}
	/* A digest's answer, or a pushpull digest, may announce entries. */
	if (src.peer && (msg.type == GOSSIP_MSG_PULL_REPLY ||
			 msg.type == GOSSIP_MSG_PUSHPULL_REQ))
		gossip_rx_refs(gn, msg, &src, credit);
	if (msg.type != GOSSIP_MSG_PULL_REQ &&
	    msg.type != GOSSIP_MSG_PUSHPULL_REQ)
		return 0;
	if (!src.peer) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_REQ_STRANGER);
		return 0;
	}
	/* Read before the reply walks the digest from its RANGE on. */
	news = gossip_quiet(gn) && digest_news(&msg);
	gossip_send_reply(gn, &msg, since, &src, credit);
	/*
	 * A quiet node that gets a digest with news (send.c) wakes, and asks
	 * the peer at once: in pull mode nothing else would bring it the news
	 * before its own rounds, quiet until now, pick that peer.
	 */
	if (news) {
		atomic_set(&gn->wake, 1);
		gossip_send_sum_reply(gn, &src, credit, GOSSIP_SEND_DIGEST);
	}
	return 0;
}

/*
 * The UDP payload of a datagram from @addr to @to (socket.c: the address
 * and port it arrived at, which a sealed datagram must have been sealed
 * to). Returns 0 when it
 * was read, else the counter (GOSSIP_STATS_A_*) it was dropped under: the
 * reason socket.c frees the skb with and traces.
 */
int gossip_rx(struct gossip_net *gn, u8 *buf, size_t len,
	      const union gossip_sockaddr *addr,
	      const union gossip_sockaddr *to)
{
	const struct gossip_msg_header *h = (const void *)buf;
	u64 since = ktime_get_ns();
	int drop;

	gossip_stat_inc(gn, GOSSIP_STATS_A_RX_DGRAMS);
	gossip_stat_add(gn, GOSSIP_STATS_A_RX_BYTES, len);
	/* The type as the header says, before anything is checked. */
	trace_gossip_dgram_recv(gn, addr, len >= sizeof(*h) ? h->type : 0, len);
	if (!READ_ONCE(gn->running))
		return 0;
	rcu_read_lock_bh();
	drop = rx_locked(gn, buf, len, addr, to, since);
	rcu_read_unlock_bh();
	return drop;
}
