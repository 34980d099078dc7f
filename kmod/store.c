// SPDX-License-Identifier: GPL-2.0
/*
 * The key/value store of an instance. Every entry carries the node id of its
 * publisher (origin) and a version; of two entries for one key the one with
 * the higher (version, origin) wins, on every node alike. Versions come from
 * a Lamport clock: a local publish takes one more than the highest version
 * this node has seen, so it wins over everything the node knew, and each
 * origin's own versions only grow. The clock of a new instance starts at
 * the CLOCK_REALTIME microsecond it was created: a node that comes back
 * with the same node id (netns re-created, module reloaded) publishes above
 * every version of its earlier life, which its peers would otherwise drop
 * as stale, below their marks for its origin.
 *
 * Entries that changed are "hot": pushed for a bounded number of rounds that
 * grows with log10 of the cluster size, as memberlist does, then cold.
 *
 * Anti-entropy (the digest exchange) does not depend on rumors: for each
 * origin a node keeps a mark (struct gossip_origin). A digest lists the
 * marks; the responder sends, per origin, every entry it holds above the
 * asker's mark, in version order, followed by a MARK record that lets the
 * asker raise its mark over what the datagram covered. So whatever one node
 * holds reaches every node that exchanges digests, whatever became of the
 * rumors (no residue), and a node behind by thousands of entries catches up
 * a bounded number of datagrams per request. A reply that cannot carry all
 * the asker lacks stops at an origin, and the next reply starts after that
 * one: an origin the asker is far behind on does not keep every reply from
 * the origins after it.
 *
 * A digest lists a range of origins when not all of them fit in one, so a
 * fresh update of an origin outside the range would wait for the range to
 * come round. A reply therefore also carries the responder's recent entries
 * (stored within the hot window) of the origins the digest did not cover,
 * as a rumor-mongering pull does: whatever a node is spreading reaches the
 * peers that pull from it, however many origins there are.
 *
 * Deleting a key stores a tombstone, which spreads and wins like any newer
 * version and is dropped tombstone_ms after it was stored. A received entry
 * for a key the node does not hold, at or below the origin's mark, is stale
 * (the node held it or something newer for its key): it is dropped, so a
 * collected tombstone does not let the value it deleted come back.
 */
#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "gossip.h"
#include "wire.h"

static const struct rhashtable_params store_params = {
	.head_offset = offsetof(struct gossip_entry, node),
	.key_offset = offsetof(struct gossip_entry, key),
	.key_len = sizeof(struct gossip_key),
	.automatic_shrinking = true,
};

int gossip_store_init(struct gossip_store *st)
{
	spin_lock_init(&st->lock);
	INIT_LIST_HEAD(&st->all);
	INIT_LIST_HEAD(&st->hot);
	INIT_LIST_HEAD(&st->tombstones);
	INIT_LIST_HEAD(&st->recent);
	st->by_origin = RB_ROOT;
	st->origins = RB_ROOT;
	st->gen = 1;
	st->clock = div_u64(ktime_get_real_ns(), NSEC_PER_USEC);
	return rhashtable_init(&st->table, &store_params);
}

static void entry_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Only once nothing can reach the store any more: the namespace is gone. */
void gossip_store_free(struct gossip_store *st)
{
	struct gossip_origin *o, *tmp;

	rhashtable_free_and_destroy(&st->table, entry_free, NULL);
	rbtree_postorder_for_each_entry_safe(o, tmp, &st->origins, node)
		kfree(o);
	st->origins = RB_ROOT;
	st->by_origin = RB_ROOT;
	INIT_LIST_HEAD(&st->all);
	INIT_LIST_HEAD(&st->hot);
	INIT_LIST_HEAD(&st->tombstones);
	INIT_LIST_HEAD(&st->recent);
	st->count = 0;
	st->tombstone_count = 0;
	st->origin_count = 0;
	st->bytes = 0;
	st->mem = 0;
}

/* Bytes the store has allocated: entries, origins and the hash buckets. */
size_t gossip_store_mem(struct gossip_store *st)
{
	const struct bucket_table *tbl;
	size_t mem = READ_ONCE(st->mem);

	rcu_read_lock();
	tbl = rht_dereference_rcu(st->table.tbl, &st->table);
	mem += sizeof(*tbl) + (size_t)tbl->size * sizeof(tbl->buckets[0]);
	rcu_read_unlock();
	return mem;
}

/* Caller holds rcu_read_lock(). */
struct gossip_entry *gossip_store_lookup(struct gossip_store *st,
					 const struct gossip_key *key)
{
	return rhashtable_lookup(&st->table, key, store_params);
}

/* What an entry costs: slab bytes (mem) and key and value bytes (bytes). */
static size_t entry_mem(const struct gossip_entry *e)
{
	return kmalloc_size_roundup(struct_size(e, value, e->value_len));
}

static u32 entry_bytes(const struct gossip_entry *e)
{
	return e->key.len + e->value_len;
}

static bool newer(u64 version, u32 origin, const struct gossip_entry *e)
{
	return version > e->version ||
	       (version == e->version && origin > e->origin);
}

static bool is_tombstone(const struct gossip_entry *e)
{
	return e->flags & GOSSIP_ENTRY_F_TOMBSTONE;
}

/* ---- origins, under st->lock ------------------------------------------- */

static struct gossip_origin *origin_find(struct gossip_store *st, u32 id)
{
	struct rb_node *n = st->origins.rb_node;
	struct gossip_origin *o;

	while (n) {
		o = rb_entry(n, struct gossip_origin, node);
		if (id < o->id)
			n = n->rb_left;
		else if (id > o->id)
			n = n->rb_right;
		else
			return o;
	}
	return NULL;
}

/* The first origin whose id is at least @id. */
static struct gossip_origin *origin_ceil(struct gossip_store *st, u32 id)
{
	struct rb_node *n = st->origins.rb_node;
	struct gossip_origin *o, *best = NULL;

	while (n) {
		o = rb_entry(n, struct gossip_origin, node);
		if (o->id >= id) {
			best = o;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

static struct gossip_origin *origin_next(struct gossip_origin *o)
{
	struct rb_node *n = rb_next(&o->node);

	return n ? rb_entry(n, struct gossip_origin, node) : NULL;
}

/* Find or add origin @id; NULL when memory or the cap says no. */
static struct gossip_origin *origin_get(struct gossip_store *st, u32 id)
{
	struct rb_node **link = &st->origins.rb_node, *parent = NULL;
	struct gossip_origin *o;

	while (*link) {
		parent = *link;
		o = rb_entry(parent, struct gossip_origin, node);
		if (id < o->id)
			link = &parent->rb_left;
		else if (id > o->id)
			link = &parent->rb_right;
		else
			return o;
	}
	if (st->origin_count >= GOSSIP_ORIGINS_MAX)
		return NULL;
	o = kmalloc(sizeof(*o), GFP_ATOMIC);
	if (!o)
		return NULL;
	o->id = id;
	o->mark = 0;
	st->mem += kmalloc_size_roundup(sizeof(*o));
	rb_link_node(&o->node, parent, link);
	rb_insert_color(&o->node, &st->origins);
	st->origin_count++;
	return o;
}

/* ---- entries by (origin, version), under st->lock --------------------- */

static bool before(u32 origin, u64 version, const struct gossip_entry *e)
{
	return origin < e->origin ||
	       (origin == e->origin && version < e->version);
}

static void by_origin_insert(struct gossip_store *st, struct gossip_entry *e)
{
	struct rb_node **link = &st->by_origin.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (before(e->origin, e->version,
			   rb_entry(parent, struct gossip_entry, by_origin)))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&e->by_origin, parent, link);
	rb_insert_color(&e->by_origin, &st->by_origin);
}

/* The first entry of @origin with a version above @version, or NULL. */
static struct gossip_entry *by_origin_after(struct gossip_store *st,
					    u32 origin, u64 version)
{
	struct rb_node *n = st->by_origin.rb_node;
	struct gossip_entry *e, *best = NULL;

	while (n) {
		e = rb_entry(n, struct gossip_entry, by_origin);
		if (before(origin, version, e)) {
			best = e;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best && best->origin == origin ? best : NULL;
}

static struct gossip_entry *by_origin_next(struct gossip_entry *e)
{
	struct rb_node *n = rb_next(&e->by_origin);
	struct gossip_entry *next;

	if (!n)
		return NULL;
	next = rb_entry(n, struct gossip_entry, by_origin);
	return next->origin == e->origin ? next : NULL;
}

/* ---- writing ----------------------------------------------------------- */

/* Caller holds st->lock: take @e out of every index but the hash table. */
static void entry_unlink(struct gossip_store *st, struct gossip_entry *e)
{
	list_del_rcu(&e->list);
	if (!list_empty(&e->hot))
		list_del_init(&e->hot);
	if (!list_empty(&e->recent))
		list_del_init(&e->recent);
	if (is_tombstone(e)) {
		list_del(&e->dead);
		st->tombstone_count--;
	}
	rb_erase(&e->by_origin, &st->by_origin);
}

/* Caller holds st->lock: put @e in place of @old, or add it. */
static int entry_link(struct gossip_store *st, struct gossip_entry *e,
		      struct gossip_entry *old)
{
	int err;

	if (old) {
		err = rhashtable_replace_fast(&st->table, &old->node, &e->node,
					      store_params);
		if (err)
			return err;
		list_add_rcu(&e->list, &old->list);
		entry_unlink(st, old);
		st->mem -= entry_mem(old);
		st->bytes -= entry_bytes(old);
		kfree_rcu(old, rcu);
	} else {
		err = rhashtable_insert_fast(&st->table, &e->node,
					     store_params);
		if (err)
			return err;
		list_add_tail_rcu(&e->list, &st->all);
		st->count++;
	}
	st->mem += entry_mem(e);
	st->bytes += entry_bytes(e);
	by_origin_insert(st, e);
	if (is_tombstone(e)) {
		list_add_tail(&e->dead, &st->tombstones);
		st->tombstone_count++;
	}
	return 0;
}

/*
 * Caller holds st->lock. Whether a received entry is older than what the
 * store holds, or known to be superseded (see the top of this file).
 */
static bool stale(struct gossip_store *st, struct gossip_entry *old,
		  u64 version, u32 origin)
{
	struct gossip_origin *o;

	if (old)
		return !newer(version, origin, old);
	o = origin_find(st, origin);
	return o && version <= o->mark;
}

/*
 * Store a value, or with GOSSIP_ENTRY_F_TOMBSTONE in u->flags a deletion.
 * u->version 0 means a local change: the version and origin are assigned
 * here and written back. Otherwise the entry came from the network and is
 * kept only when it is newer than what the store holds. May be called from
 * softirq context for received entries.
 */
enum gossip_put_result gossip_store_put(struct gossip_net *gn,
					struct gossip_update *u)
{
	struct gossip_store *st = &gn->store;
	bool local = !u->version, dup;
	struct gossip_entry *e, *old;
	u32 grow;
	enum gossip_put_result ret;
	struct gossip_origin *o;

	/* Most received entries are duplicates: drop them without allocating. */
	rcu_read_lock();
	old = gossip_store_lookup(st, u->key);
	dup = !local && old && !newer(u->version, u->origin, old);
	rcu_read_unlock();
	if (dup)
		return GOSSIP_PUT_DUPLICATE;

	e = kmalloc(struct_size(e, value, u->value_len),
		    local ? GFP_KERNEL : GFP_ATOMIC);
	if (!e)
		return GOSSIP_PUT_NOMEM;
	e->key = *u->key;
	e->value_len = u->value_len;
	e->flags = u->flags;
	memcpy(e->value, u->value, u->value_len);

	spin_lock_bh(&st->lock);
	old = rhashtable_lookup_fast(&st->table, u->key, store_params);
	if (local) {
		ret = GOSSIP_PUT_NOKEY;
		if ((u->flags & GOSSIP_ENTRY_F_TOMBSTONE) &&
		    (!old || is_tombstone(old)))
			goto fail;
		u->version = st->clock + 1;
		u->origin = READ_ONCE(gn->node_id);
	} else if (stale(st, old, u->version, u->origin)) {
		ret = GOSSIP_PUT_DUPLICATE;
		goto fail;
	}
	ret = GOSSIP_PUT_FULL;
	if (!old && st->count >= GOSSIP_ENTRIES_MAX)
		goto fail;
	/* Only growth is refused: a smaller value (or a delete) always fits. */
	ret = GOSSIP_PUT_BYTES;
	grow = entry_bytes(e) - min(entry_bytes(e), old ? entry_bytes(old) : 0);
	if (grow && st->bytes + grow > READ_ONCE(gn->store_bytes))
		goto fail;
	ret = GOSSIP_PUT_NOMEM;
	o = origin_get(st, u->origin);
	if (!o)
		goto fail;
	e->version = u->version;
	e->origin = u->origin;
	e->stamp_ns = ktime_get_ns();
	if (entry_link(st, e, old))
		goto fail;
	if (local)
		o->mark = e->version;	/* it holds all it published */
	st->clock = max(st->clock, e->version);
	e->hot_left = READ_ONCE(gn->hot_budget);
	list_add(&e->hot, &st->hot);
	list_add_tail(&e->recent, &st->recent);	/* stamps only grow */
	st->gen++;
	u->stamp_ns = e->stamp_ns;
	spin_unlock_bh(&st->lock);
	return GOSSIP_PUT_APPLIED;

fail:
	spin_unlock_bh(&st->lock);
	kfree(e);
	return ret;
}

/* A view of a stored entry (valid while the caller holds RCU). */
void gossip_update_of(struct gossip_update *u, const struct gossip_entry *e)
{
	u->key = &e->key;
	u->value = e->value;
	u->value_len = e->value_len;
	u->flags = e->flags;
	u->origin = e->origin;
	u->version = e->version;
	u->stamp_ns = e->stamp_ns;
}

static void wire_entry_of(struct gossip_wire_entry *we,
			  const struct gossip_entry *e)
{
	we->key = e->key.data;
	we->value = e->value;
	we->version = e->version;
	we->origin = e->origin;
	we->key_len = e->key.len;
	we->value_len = e->value_len;
	we->flags = e->flags;
}

/*
 * Append the hot entries that fit to @w, least sent first, and charge each
 * one round of its budget. Cost: the entries that fit, never the store.
 */
void gossip_store_write_hot(struct gossip_store *st,
			    struct gossip_wire_writer *w)
{
	struct gossip_entry *e, *tmp;
	struct gossip_wire_entry we;
	LIST_HEAD(sent);

	spin_lock_bh(&st->lock);
	list_for_each_entry_safe(e, tmp, &st->hot, hot) {
		wire_entry_of(&we, e);
		if (gossip_wire_put_entry(w, &we))
			break;
		if (--e->hot_left)
			list_move_tail(&e->hot, &sent);
		else
			list_del_init(&e->hot);
	}
	list_splice_tail(&sent, &st->hot);
	spin_unlock_bh(&st->lock);
}

/*
 * Append a digest to @w in at most @budget bytes: a RANGE and the marks of
 * the origins in it, from the cursor on. When not all origins fit, the next
 * digest goes on where this one stopped.
 */
void gossip_store_write_digest(struct gossip_store *st,
			       struct gossip_wire_writer *w, size_t budget)
{
	size_t per = GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN;
	struct gossip_origin *o, *first;
	struct gossip_wire_mark m;
	u32 lo, hi = U32_MAX, n, fit;

	budget = min(budget, w->cap - w->len);
	if (budget < GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_RANGE_LEN + per)
		return;
	fit = (budget - GOSSIP_WIRE_REC_LEN - GOSSIP_WIRE_RANGE_LEN) / per;

	spin_lock_bh(&st->lock);
	lo = st->digest_cursor;
	first = origin_ceil(st, lo);
	/* Where does the range end? After @fit origins, or at the last. */
	for (o = first, n = 0; o && n < fit; o = origin_next(o), n++)
		hi = o->id;
	if (!o)
		hi = U32_MAX;
	st->digest_cursor = hi == U32_MAX ? 0 : hi + 1;
	gossip_wire_put_range(w, lo, hi);
	for (o = first; o && o->id <= hi; o = origin_next(o)) {
		m.origin = o->id;
		m.from = 0;
		m.to = o->mark;
		gossip_wire_put_mark(w, &m);
	}
	spin_unlock_bh(&st->lock);
}

/* A reply's MARK: the asker may raise its mark over (from, to]. */
void gossip_store_apply_mark(struct gossip_store *st,
			     const struct gossip_wire_mark *m)
{
	struct gossip_origin *o;

	spin_lock_bh(&st->lock);
	o = origin_get(st, m->origin);
	if (o && o->mark >= m->from && m->to > o->mark)
		o->mark = m->to;
	spin_unlock_bh(&st->lock);
}

/* ---- answering a digest ------------------------------------------------ */

struct reply {
	struct gossip_net *gn;
	struct sk_buff_head *out;
	struct sk_buff *skb;		/* the datagram being written */
	struct gossip_wire_writer w;
	u32 max;			/* bytes per datagram */
	u32 left;			/* datagrams still allowed */
};

static void reply_flush(struct reply *r)
{
	if (!r->skb)
		return;
	if (r->w.count) {
		skb_put(r->skb, gossip_wire_finish(&r->w));
		__skb_queue_tail(r->out, r->skb);
	} else {
		kfree_skb(r->skb);
	}
	r->skb = NULL;
}

/* Start the next datagram of the reply; false when none is left. */
static bool reply_open(struct reply *r)
{
	if (!r->left)
		return false;
	r->skb = gossip_alloc_skb(r->max);
	if (!r->skb)
		return false;
	r->left--;
	gossip_wire_begin(&r->w, r->skb->data, r->max, GOSSIP_MSG_PULL_REPLY,
			  READ_ONCE(r->gn->node_id));
	return true;
}

/* Make room for @need bytes and a MARK; false when the reply is full. */
static bool reply_room(struct reply *r, size_t need)
{
	need += GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN;
	if (r->skb && need <= r->w.cap - r->w.len)
		return true;
	if (r->skb)
		return false;	/* the caller closes it with its mark first */
	return reply_open(r);
}

static void reply_mark(struct reply *r, u32 origin, u64 from, u64 to)
{
	struct gossip_wire_mark m = { .origin = origin, .from = from, .to = to };

	if (to > from)
		gossip_wire_put_mark(&r->w, &m);	/* room was kept */
}

/*
 * Every entry of origin @o above @from, in version order, then a MARK.
 * Returns false when the reply is full.
 */
static bool reply_origin(struct reply *r, struct gossip_store *st,
			 struct gossip_origin *o, u64 from)
{
	struct gossip_entry *e = by_origin_after(st, o->id, from);
	struct gossip_wire_entry we;
	u64 last = from;

	if (!e && o->mark <= from)
		return true;	/* the asker has all we have */
	for (; e; e = by_origin_next(e)) {
		wire_entry_of(&we, e);
		if (!reply_room(r, gossip_wire_entry_size(we.key_len,
							  we.value_len))) {
			/* This datagram covered (from, last]: say so, go on. */
			if (r->skb)
				reply_mark(r, o->id, from, min(last, o->mark));
			reply_flush(r);
			from = last;
			if (!reply_room(r, gossip_wire_entry_size(we.key_len,
								  we.value_len)))
				return false;
		}
		gossip_wire_put_entry(&r->w, &we);
		last = e->version;
	}
	if (!reply_room(r, 0)) {
		reply_flush(r);
		if (!reply_room(r, 0))
			return false;
	}
	reply_mark(r, o->id, from, o->mark);
	return true;
}

/* Recent entries a reply looks at, at most: its cost stays bounded. */
#define GOSSIP_RECENT_SCAN	256

/*
 * After the digest's own origins: the entries stored within the hot window
 * (@oldest on) whose origin is outside the digest's range [@lo, @hi],
 * newest first, in what is left of the current datagram and at most one
 * more. They carry no MARK: the asker applies them as it would pushed ones,
 * so a mark is never raised by them. Left out: the asker's own entries, and
 * those stored since @since (the request itself brought them).
 */
static void reply_recent(struct reply *r, struct gossip_store *st, u32 lo,
			 u32 hi, u32 asker, u64 since, u64 oldest)
{
	struct gossip_wire_entry we;
	struct gossip_entry *e;
	bool opened = false;
	u32 seen = 0;
	size_t need;

	list_for_each_entry_reverse(e, &st->recent, recent) {
		if (e->stamp_ns < oldest || ++seen > GOSSIP_RECENT_SCAN)
			break;
		if (e->stamp_ns >= since || e->origin == asker ||
		    (e->origin >= lo && e->origin <= hi))
			continue;
		wire_entry_of(&we, e);
		need = gossip_wire_entry_size(we.key_len, we.value_len);
		if (!r->skb || need > r->w.cap - r->w.len) {
			if (opened)
				break;
			reply_flush(r);
			if (!reply_open(r))
				break;
			opened = true;
		}
		gossip_wire_put_entry(&r->w, &we);
	}
}

/*
 * Answer the origins in [@first, @last] of the digest whose MARK records
 * @marks goes on to. Returns false when the reply is full: then the next
 * reply starts at the origin after the one it stopped at, wrapping round
 * the digest's range. Replies taking the origins in order from the range's
 * first would each spend all their datagrams on an origin whose entries
 * above the asker's mark are more than a reply carries (an asker whose mark
 * lags behind entries it got by pushes, which raise no mark) and never
 * reach the origins after it: in pull mode their updates would wait for
 * that mark to catch up, for ever if no node holds a mark of that origin.
 */
static bool reply_origins(struct reply *r, struct gossip_store *st,
			  struct gossip_wire_msg marks, u32 first, u32 last)
{
	struct gossip_wire_rec rec;
	struct gossip_origin *o;
	bool more = gossip_wire_next(&marks, &rec);

	for (o = origin_ceil(st, first); o && o->id <= last;
	     o = origin_next(o)) {
		u64 asker = 0;

		/* Merge walk: the digest's marks are sorted by origin. */
		while (more && (rec.kind != GOSSIP_REC_MARK ||
				rec.mark.origin < o->id))
			more = gossip_wire_next(&marks, &rec);
		if (more && rec.mark.origin == o->id)
			asker = rec.mark.to;
		if (!reply_origin(r, st, o, asker)) {
			st->reply_cursor = o->id + 1;	/* U32_MAX: 0 */
			return false;
		}
	}
	return true;
}

/* How long an entry stays recent: the hot budget, in rounds. */
static u64 recent_window_ns(struct gossip_net *gn)
{
	return (u64)READ_ONCE(gn->hot_budget) * READ_ONCE(gn->interval_ms) *
	       NSEC_PER_MSEC;
}

/*
 * Answer the digest in @req: for each of our origins in its range, what we
 * hold above the asker's mark, then our recent entries of the origins
 * outside it (reply_recent), in at most GOSSIP_REPLY_DGRAMS datagrams
 * queued on @out for the caller to send. @since: when the request arrived.
 */
void gossip_store_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
			u64 since, struct sk_buff_head *out)
{
	struct reply r = {
		.gn = gn, .out = out,
		.max = gossip_dgram_budget(gn), .left = GOSSIP_REPLY_DGRAMS,
	};
	struct gossip_store *st = &gn->store;
	struct gossip_wire_rec rec;
	u64 oldest = since - min(since, recent_window_ns(gn));
	u32 lo, hi, start;

	/* The first record of a request is its RANGE (checked by the parser). */
	if (!gossip_wire_next(req, &rec))
		return;
	lo = rec.range.lo;
	hi = rec.range.hi;

	spin_lock_bh(&st->lock);
	/* From the reply cursor to @hi, then from @lo on: see reply_origins. */
	start = st->reply_cursor;
	if (start < lo || start > hi)
		start = lo;
	if (reply_origins(&r, st, *req, start, hi) && start > lo)
		reply_origins(&r, st, *req, lo, start - 1);
	reply_recent(&r, st, lo, hi, req->sender, since, oldest);
	spin_unlock_bh(&st->lock);
	reply_flush(&r);
}

/* ---- tombstones -------------------------------------------------------- */

/*
 * Each round: entries stored longer ago than the hot window stop being
 * recent, and tombstones older than tombstone_ms are dropped. Cost: the
 * entries that change.
 */
void gossip_store_collect(struct gossip_net *gn)
{
	u64 limit = (u64)READ_ONCE(gn->tombstone_ms) * NSEC_PER_MSEC;
	u64 window = recent_window_ns(gn), now = ktime_get_ns();
	struct gossip_store *st = &gn->store;
	struct gossip_entry *e;
	u32 n = 0;

	spin_lock_bh(&st->lock);
	while (!list_empty(&st->recent)) {
		e = list_first_entry(&st->recent, struct gossip_entry, recent);
		if (now - e->stamp_ns < window)
			break;
		list_del_init(&e->recent);
	}
	while (!list_empty(&st->tombstones)) {
		e = list_first_entry(&st->tombstones, struct gossip_entry, dead);
		if (now - e->stamp_ns < limit)
			break;
		rhashtable_remove_fast(&st->table, &e->node, store_params);
		entry_unlink(st, e);
		st->count--;
		st->mem -= entry_mem(e);
		st->bytes -= entry_bytes(e);
		st->gen++;
		kfree_rcu(e, rcu);
		n++;
	}
	spin_unlock_bh(&st->lock);
	if (n)
		gossip_stat_add(gn, GOSSIP_STATS_A_TOMBSTONES_COLLECTED, n);
}
