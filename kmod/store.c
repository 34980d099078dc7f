// SPDX-License-Identifier: GPL-2.0
/*
 * The key/value store of an instance. Every entry carries the node id of its
 * publisher (origin) and a version; of two entries for one key the one with
 * the higher (version, origin) wins, on every node alike.
 *
 * Versions come from a hybrid logical clock (HLC): st->clock is the highest
 * version this node has seen, and a local publish takes the larger of
 * clock + 1 and the CLOCK_REALTIME microsecond it happens at. So a publish
 * wins over everything the node knew, each origin's own versions only grow,
 * and versions stay close to wall-clock microseconds: a node that comes
 * back with the same node id (netns re-created, module reloaded) publishes
 * above every version of its earlier life, which its peers would otherwise
 * drop as stale, below their marks for its origin.
 *
 * Incarnation. Such a node starts empty, and its earlier life's entries
 * are held by its peers only. Were its first publish to raise its mark for
 * its own origin (as a publish did), the mark would cover that earlier
 * life: its digests would claim it, so no peer would send it back, and its
 * replies' MARKs would cover it, so a peer that missed an entry of it
 * would raise its mark past that entry and never fetch it from a third
 * node. So a life begins at this store's first publish as a node id (the
 * instance is new, or its node id changed), and until it has caught up
 * its publishes leave that mark where the peers' MARKs put it (own_max
 * keeps the highest): it is caught up once every configured peer has
 * shown, in a digest it sent this node, a mark for its origin at or below
 * ours (the peer holds nothing of its earlier life that its replies, or
 * another peer's, did not bring us, MARK and all); a change of the peer
 * set starts the acks again; with no peer it waits. Then the mark rises to
 * own_max at once and with every publish after. Whatever the acks, it is
 * caught up GOSSIP_TOMB_HARD_MULT times tombstone_ms after the life began:
 * a peer that never comes back is waited for no longer than a tombstone,
 * and like a node away that long, its earlier-life entries must be given
 * up. Meanwhile its new entries spread as any (replies send every entry
 * above the asker's mark), only no MARK covers them yet. A fresh node id
 * is acked by each peer's first digest (it has no mark for it).
 *
 * A re-created node's clock starts at its wall clock, which may be behind
 * its earlier life's versions (stepped back, or that life's HLC ran ahead
 * on versions of peers' faster clocks, within max_skew_ms): its publishes
 * would then fall below its peers' marks for its origin (dropped as stale)
 * or below its own earlier writes of the same keys (lost to them). So the
 * rule: a node's writes of its current life win over its earlier life's,
 * whatever the clocks did. Entries published here in this life carry
 * GOSSIP_ENTRY_F_OWN (never sent). (a) A received entry of our origin
 * newer than a this-life entry of its key is the earlier life's: the clock
 * goes above it and the this-life value (or tombstone) is published again
 * at a fresh version, as a local publish, in its place (own_again()); the
 * received one is dropped. From a peer or an authenticated sender, it
 * also counts as a mark under (b); a stranger's lifts that key alone, or
 * one forged entry would have every this-life entry below it published
 * again. (b) The clock absorbs every mark the peers'
 * digests and the MARKs of peers and authenticated senders show (refused
 * past max_skew_ms, as any version); while the life waits, those for our
 * origin are the earlier life's (no mark covers this life's publishes
 * before it caught up, see above), and this life's entries at or below
 * the highest (own_top) are published again above it (own_catch(), at
 * most GOSSIP_OWN_SCAN looked at per call, the rounds go on with the
 * rest). So its publishes after the first digest or MARK are above the
 * earlier life and above any tombstone its peers collected, and earlier
 * ones are lifted once it knows. Limits: a this-life write a peer dropped
 * as stale is lifted only once a mark of the earlier life reaches this
 * node before it caught up (each peer's ack digest carries one); a life
 * that ends before that leaves it dropped; a write made before any
 * digest or MARK reached the node can be below a delete of its key that
 * the peers have collected (LWW then keeps whichever each node saw); an
 * earlier-life entry a peer holds above that peer's own mark (pushed, not
 * yet covered by a MARK) still reaches the node only if a reply brought
 * it before the last ack (see above).
 *
 * What keeps the clock near the wall clock is that a received version (an
 * entry's, or the `to` of a reply's MARK) more than max_skew_ms ahead of
 * this node's wall clock is refused (rx_err_future): one forged datagram
 * can no more push the clock (and every node it reaches) towards 2^64 - 1,
 * where publishes would wrap and spread to nobody. A local publish cannot
 * wrap: the clock holds wall-clock microseconds (2^64 of them is 584,000
 * years) plus at most max_skew_ms (a day at most) plus one per publish;
 * gossip_store_put() refuses one anyway rather than wrap.
 *
 * A source that is neither a configured peer nor authenticated (a
 * stranger) may make the store track at most GOSSIP_STRANGER_ORIGINS new
 * origins over its lifetime; past that, its entries of unknown origins are
 * refused (rx_err_origin); its MARKs are never applied (receive.c). Origins
 * are never dropped, so without this cap any host that can send a UDP
 * datagram could fill the origin table (and every digest) with ids of its
 * choosing.
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
 * version. A received entry for a key the node does not hold, at or below
 * the origin's mark, is stale (the node held it or something newer for its
 * key): it is dropped, so a collected tombstone does not let the value it
 * deleted come back to a node that had the tombstone.
 *
 * A node that missed the tombstone (down, partitioned) is another matter:
 * once no node holds the tombstone, a reply's MARK covers its version, the
 * node raises its mark past it and keeps the deleted value for good, which
 * every other node drops as stale. So a tombstone is collected only when
 *   (a) it is older than tombstone_ms, and
 *   (b) every configured peer has shown, in a digest it sent this node, a
 *       mark for the tombstone's origin at or above its version (the peer
 *       holds the tombstone, or a newer entry for the key), or there is no
 *       peer at all;
 * or, whatever the acks, once it is GOSSIP_TOMB_HARD_MULT (10) times
 * tombstone_ms old (the hard limit, as Cassandra's gc_grace; counted in
 * tombstones_expired as well as tombstones_collected). The acks are kept
 * per origin that has tombstones waiting (struct gossip_tomb_acks): a
 * bitmap over the peer array's indexes for a target version (the highest
 * tombstone version of the origin when the round began); when every bit is
 * set, the origin's tombstones up to the target are acked and, if newer ones
 * came meanwhile, a round for them begins. A change of the peer set (it is
 * replaced as a whole) starts every round again and unacks what was acked.
 * Only digests from a configured peer (address and port) count, and only
 * digests (PULL_REQ, PUSHPULL_REQ) carry marks: in push mode a node sends
 * one every GOSSIP_AE_ROUNDS rounds to one random peer, so hearing from all
 * n - 1 peers takes about GOSSIP_AE_ROUNDS * (n - 1) * ln(n - 1) rounds
 * (for 32 nodes, 850 rounds: 85 s at 100 ms): tombstones live that long,
 * and in a large push cluster they mostly go at the hard limit. Pull and
 * pushpull send a digest to fanout peers every round: (n - 1) / fanout *
 * ln(n - 1) rounds.
 *
 * What this does not cover, so the rule for operators: a node away (down,
 * partitioned, or not in its peers' peer sets) longer than the hard limit
 * must rejoin empty (its instance re-created: netns or module), since the
 * others may have collected a tombstone it never got, and its old value of
 * the key would then stay on it and spread to nothing but new empty nodes
 * that ask it. It is not made to rejoin empty automatically because only
 * an operator knows how long it was away. Likewise a node that pulls from
 * this one without being one of its configured peers is never waited for.
 * A peer that never comes back holds every tombstone until the hard limit
 * and no longer: the store is bounded as before (entries cap), the acks by
 * GOSSIP_TOMB_ACKS_MAX rounds of at most GOSSIP_PEERS_MAX bits each.
 */
#include <linux/math64.h>
#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/sched/mm.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <asm/unaligned.h>

#include "gossip.h"
#include "wire.h"

static struct gossip_net *store_net(struct gossip_store *st)
{
	return container_of(st, struct gossip_net, store);
}

/*
 * Memory the network makes the instance keep (entries, origins, replay
 * windows, acks), allocated where nothing may sleep. It is charged to the
 * memory cgroup of whoever brought the instance up (gn->memcg, main.c),
 * as a local publish is to the publisher's: an instance in a namespace a
 * user made is that user's to pay for, not the kernel's. GFP_NOWAIT, not
 * GFP_ATOMIC: no reserves, and a cgroup at its limit fails the allocation
 * (the caller counts it) instead of being charged past the limit, as
 * __GFP_HIGH would be. fail_alloc (late.c) fails it too.
 */
void *gossip_net_alloc(struct gossip_net *gn, size_t size, gfp_t flags)
{
	struct mem_cgroup *old;
	void *p;

	if (gossip_fail_alloc())
		return NULL;
	old = set_active_memcg(READ_ONCE(gn->memcg));
	p = kmalloc(size, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN | flags);
	set_active_memcg(old);
	return p;
}

/* Origins strangers (not a peer, not authenticated) may create, at most. */
#define GOSSIP_STRANGER_ORIGINS	64

/* A round datagram of push-pull: a digest of one mark, a maximal entry. */
static_assert(GOSSIP_ROUND_FIXED ==
	      GOSSIP_WIRE_HDR_LEN +
	      GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_RANGE_LEN +
	      GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN +
	      GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_ENTRY_LEN +
	      GOSSIP_KEY_MAX + GOSSIP_VALUE_MAX);
/* A reply datagram: a maximal entry and its MARK; less than a round's. */
static_assert(GOSSIP_WIRE_HDR_LEN +
	      GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_ENTRY_LEN +
	      GOSSIP_KEY_MAX + GOSSIP_VALUE_MAX +
	      GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN <= GOSSIP_ROUND_FIXED);
/* Sealed, the smallest max-dgram still takes both, whatever the label. */
static_assert(GOSSIP_ROUND_FIXED + GOSSIP_WIRE_SEAL_LEN <= GOSSIP_DGRAM_MIN);

/*
 * Whether datagrams of @max_dgram bytes hold a round of push-pull with one
 * maximal entry, and so a reply's maximal entry with its MARK, with a label
 * of @label_len bytes in the clear or sealed: keys may come and go at any
 * time after this check, so both must fit.
 */
bool gossip_store_dgram_fits(u32 max_dgram, u8 label_len)
{
	u32 over = max_t(u32, GOSSIP_WIRE_SEAL_LEN,
			 label_len ? 1 + label_len : 0);

	return max_dgram >= GOSSIP_ROUND_FIXED + over;
}

/* This node's wall clock, in microseconds: what versions are made of. */
static u64 wall_us(void)
{
	return div_u64(ktime_get_real_ns(), NSEC_PER_USEC);
}

/* Whether received version @v is beyond max_skew_ms from our wall clock. */
static bool from_future(struct gossip_net *gn, u64 v)
{
	u64 skew = (u64)READ_ONCE(gn->max_skew_ms) * USEC_PER_MSEC;

	return v > wall_us() + skew;
}

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
	st->clock = wall_us();
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
	rbtree_postorder_for_each_entry_safe(o, tmp, &st->origins, node) {
		kfree(o->acks);
		kfree(o);
	}
	kfree(st->own_acks);
	st->own_acks = NULL;
	st->own_wait = false;
	WRITE_ONCE(st->own_born_ns, 0);
	WRITE_ONCE(st->own_top, 0);
	st->own_done = 0;
	st->origins = RB_ROOT;
	st->by_origin = RB_ROOT;
	INIT_LIST_HEAD(&st->all);
	INIT_LIST_HEAD(&st->hot);
	INIT_LIST_HEAD(&st->tombstones);
	INIT_LIST_HEAD(&st->recent);
	st->count = 0;
	st->tombstone_count = 0;
	st->acks_count = 0;
	st->origin_count = 0;
	st->stranger_origins = 0;
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

/*
 * Find or add origin @id; NULL when memory or a cap says no. A @stranger
 * (not a peer, not authenticated) adds one only below the stranger cap.
 */
static struct gossip_origin *origin_get(struct gossip_store *st, u32 id,
					bool stranger)
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
	if (stranger && st->stranger_origins >= GOSSIP_STRANGER_ORIGINS)
		return NULL;
	/* Zeroed: no mark, no tombstone. */
	o = gossip_net_alloc(store_net(st), sizeof(*o), __GFP_ZERO);
	if (!o)
		return NULL;
	o->id = id;
	st->mem += kmalloc_size_roundup(sizeof(*o));
	rb_link_node(&o->node, parent, link);
	rb_insert_color(&o->node, &st->origins);
	st->origin_count++;
	if (stranger)
		st->stranger_origins++;
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

/* The life of this node's own origin (see "incarnation" below). */
static void own_life_begin(struct gossip_store *st, u32 id);
static bool own_entry(struct gossip_store *st, const struct gossip_entry *e);
static bool own_beaten(struct gossip_store *st, const struct gossip_entry *old,
		       const struct gossip_update *u);
static bool own_again(struct gossip_net *gn, struct gossip_store *st,
		      struct gossip_entry *old);
static void own_absorb(struct gossip_net *gn, struct gossip_store *st,
		       u32 id, u64 v);

/* Tombstone bookkeeping per origin (see "tombstones" below). */
static void tomb_link(struct gossip_origin *o, const struct gossip_entry *e);
static void tomb_unlink(struct gossip_store *st, struct gossip_origin *o);

/* ---- the summary -------------------------------------------------------- */

/*
 * What a quiet node sends instead of its rounds (send.c): the XOR of one
 * hash per live entry (its key, version and origin) and one per origin
 * with a mark above 0 (its id and the mark), kept as entries come and go
 * and marks rise, with the count of each. Two nodes whose summaries are
 * equal hold the same live entries and the same marks, but for a 2^-64
 * chance. Tombstones are left out: when one is collected depends on each
 * node's acks, and a node that lacks one still differs, by the value it
 * holds instead or by the mark that covers the tombstone. The hash key is
 * fixed: every node must hash alike, and the summary is no secret (the
 * marks and entries it stands for are in every digest and answer).
 *
 * An origin's first mark is kept apart as well (sum_first): it comes when
 * the origin's life has caught up (above, "Incarnation"), and a cluster
 * that starts with n origins has n * n of them to spread, one per origin
 * and node, over the minutes its lives take to be acked. Were each to keep
 * its node's rounds hot (send.c, "quiet"), the cluster would send digests
 * every round for as long: 30 datagrams a node and second over 200 s at
 * 256 nodes (docs/simulator.md, --startup). Left to the summaries, which
 * still differ until they are level, it costs far less.
 */
static const siphash_key_t sum_key = {
	{ 0x676f737369702073ULL, 0x756d6d6172792031ULL }
};

static u64 sum_of_entry(const struct gossip_entry *e)
{
	u8 buf[1 + 8 + 4 + GOSSIP_KEY_MAX];

	buf[0] = 'e';
	put_unaligned_be64(e->version, buf + 1);
	put_unaligned_be32(e->origin, buf + 9);
	memcpy(buf + 13, e->key.data, e->key.len);
	return siphash(buf, 13 + e->key.len, &sum_key);
}

static u64 sum_of_mark(u32 id, u64 mark)
{
	u8 buf[1 + 4 + 8];

	buf[0] = 'm';
	put_unaligned_be32(id, buf + 1);
	put_unaligned_be64(mark, buf + 5);
	return siphash(buf, sizeof(buf), &sum_key);
}

/* Caller holds st->lock: live entry @e joins (@in) or leaves the store. */
static void sum_entry(struct gossip_store *st, const struct gossip_entry *e,
		      bool in)
{
	if (e->flags & GOSSIP_ENTRY_F_TOMBSTONE)
		return;
	st->sum_hash ^= sum_of_entry(e);
	if (in)
		st->sum_entries++;
	else
		st->sum_entries--;
}

/* Caller holds st->lock: origin @o's mark rises to @mark. */
static void mark_raise(struct gossip_store *st, struct gossip_origin *o,
		       u64 mark)
{
	u64 h;

	if (mark <= o->mark)
		return;
	h = sum_of_mark(o->id, mark);
	if (o->mark) {
		st->sum_hash ^= sum_of_mark(o->id, o->mark);
	} else {
		st->sum_origins++;
		st->sum_first ^= h;
	}
	o->mark = mark;
	st->sum_hash ^= h;
}

/*
 * This node's summary, into @sum, and into @changes (unless NULL) a hash
 * that changes when it does but for an origin's first mark (send.c,
 * "quiet"). Returns whether it holds entries still hot (push and pushpull
 * rounds send them).
 */
bool gossip_store_summary(struct gossip_store *st, struct gossip_wire_sum *sum,
			  u64 *changes)
{
	bool hot;

	spin_lock_bh(&st->lock);
	sum->hash = st->sum_hash;
	if (changes)
		*changes = st->sum_hash ^ st->sum_first;
	sum->entries = st->sum_entries;
	sum->origins = st->sum_origins;
	hot = !list_empty(&st->hot);
	spin_unlock_bh(&st->lock);
	return hot;
}

/*
 * The highest tombstone version of @o its peers can be asked to ack now:
 * a peer acks by a mark at or above it, and marks rise together (replies
 * carry them), so one above this node's own mark waits until that mark
 * passes it. Nor does any node's mark rise for an origin no node publishes
 * as: a tombstone forged under a made-up origin, or one above a real
 * origin's mark, would otherwise keep every node asking for acks every
 * round (send.c, round_summary()) until the hard limit, and hold back the
 * origin's other tombstones.
 */
static u64 tomb_ackable(const struct gossip_origin *o)
{
	return min(o->tomb_max, o->mark);
}

/*
 * Whether this node waits for its peers' acks: tombstones of an origin not
 * all acked, or its own life not caught up. A quiet node then asks for
 * them (GOSSIP_SUM_F_ACKS). Cost: nothing without tombstones, else at
 * most the origins, the first one waiting ends it.
 */
bool gossip_store_acks_wanted(struct gossip_net *gn)
{
	struct gossip_store *st = &gn->store;
	u32 gen = READ_ONCE(gn->peers_gen);
	struct gossip_origin *o;
	struct rb_node *node;
	bool want;

	if (!READ_ONCE(st->tombstone_count))
		return READ_ONCE(st->own_wait);
	spin_lock_bh(&st->lock);
	want = st->own_wait;
	for (node = rb_first(&st->origins); node && !want;
	     node = rb_next(node)) {
		o = rb_entry(node, struct gossip_origin, node);
		want = o->tomb_count &&
		       tomb_ackable(o) > (o->safe_gen == gen ? o->tomb_safe : 0);
	}
	spin_unlock_bh(&st->lock);
	return want;
}

/* ---- writing ----------------------------------------------------------- */

/*
 * Caller holds st->lock: @e comes to its origin @o, or goes (XOR either
 * way): above_hash() at mark 0 is this, however many entries @o has.
 */
static void origin_hash(struct gossip_origin *o, const struct gossip_entry *e)
{
	if (o)		/* cannot be NULL: gossip_store_put() made it */
		o->all_hash ^= sum_of_entry(e);
}

/* Caller holds st->lock: take @e out of every index but the hash table. */
static void entry_unlink(struct gossip_store *st, struct gossip_entry *e)
{
	struct gossip_origin *o = origin_find(st, e->origin);

	sum_entry(st, e, false);
	list_del_rcu(&e->list);
	if (!list_empty(&e->hot))
		list_del_init(&e->hot);
	if (!list_empty(&e->recent))
		list_del_init(&e->recent);
	if (is_tombstone(e)) {
		list_del(&e->dead);
		st->tombstone_count--;
		tomb_unlink(st, o);
	}
	rb_erase(&e->by_origin, &st->by_origin);
	origin_hash(o, e);
}

/* Caller holds st->lock: put @e in place of @old, or add it. */
static int entry_link(struct gossip_store *st, struct gossip_entry *e,
		      struct gossip_entry *old)
{
	struct gossip_origin *o;
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
	sum_entry(st, e, true);
	by_origin_insert(st, e);
	o = origin_find(st, e->origin);
	origin_hash(o, e);
	if (is_tombstone(e)) {
		list_add_tail(&e->dead, &st->tombstones);
		st->tombstone_count++;
		tomb_link(o, e);
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
 * Caller holds st->lock: @e, of origin @o, was linked; it is new to this
 * node (@local: published here), so it is hot and recent.
 */
static void entry_stored(struct gossip_net *gn, struct gossip_store *st,
			 struct gossip_origin *o, struct gossip_entry *e,
			 bool local)
{
	/* It holds all it published; its earlier life, once caught up. */
	if (local && st->own_wait)
		st->own_max = max(st->own_max, e->version);
	else if (local)
		mark_raise(st, o, e->version);
	st->clock = max(st->clock, e->version);
	e->hot_left = READ_ONCE(gn->hot_budget);
	list_add(&e->hot, &st->hot);
	list_add_tail(&e->recent, &st->recent);	/* stamps only grow */
	st->gen++;
}

/*
 * Caller holds st->lock. Whether @e, held instead of @u's entry (as new or
 * newer), was fetched (GOSSIP_ENTRY_F_FETCHED); if @u came in a TREE and
 * @e is its very entry, no longer: that TREE took the race with the
 * fetch's answer, and any later TREE of it is a second path (send.c, "the
 * eager tree"). The only write to an entry's flags once it is linked; the
 * other bits never change, so a reader under RCU sees them as before.
 */
static bool fetched_take(struct gossip_entry *e, const struct gossip_update *u)
{
	if (!e || !(e->flags & GOSSIP_ENTRY_F_FETCHED))
		return false;
	if (u->tree && e->version == u->version && e->origin == u->origin)
		WRITE_ONCE(e->flags, e->flags & ~GOSSIP_ENTRY_F_FETCHED);
	return true;
}

/*
 * Store a value, or with GOSSIP_ENTRY_F_TOMBSTONE in u->flags a deletion.
 * u->version 0 means a local change, in process context: the version and
 * origin are assigned here and written back. Otherwise the entry came from
 * the network (softirq context) and is kept only when it is newer than what
 * the store holds, not from the future (max_skew_ms), and of an origin the
 * store knows or may add for its sender (u->trusted, the stranger cap).
 */
enum gossip_put_result gossip_store_put(struct gossip_net *gn,
					struct gossip_update *u)
{
	struct gossip_store *st = &gn->store;
	bool local = !u->version, dup, stranger;
	struct gossip_entry *e, *old;
	u32 grow;
	enum gossip_put_result ret;
	struct gossip_origin *o;

	if (!local && from_future(gn, u->version))
		return GOSSIP_PUT_FUTURE;
	/* Most received entries are duplicates: drop them without allocating. */
	rcu_read_lock();
	old = gossip_store_lookup(st, u->key);
	dup = !local && old && !newer(u->version, u->origin, old);
	u->dup_fetched = dup && (READ_ONCE(old->flags) &
				 GOSSIP_ENTRY_F_FETCHED);
	rcu_read_unlock();
	if (dup && u->dup_fetched && u->tree) {
		/* Again under the lock: one TREE takes the race. */
		spin_lock_bh(&st->lock);
		old = rhashtable_lookup_fast(&st->table, u->key, store_params);
		u->dup_fetched = fetched_take(old, u);
		spin_unlock_bh(&st->lock);
	}
	if (dup)
		return GOSSIP_PUT_DUPLICATE;

	/* A local publish is charged to the publisher's memory cgroup. */
	e = local ? kmalloc(struct_size(e, value, u->value_len),
			    GFP_KERNEL_ACCOUNT) :
		    gossip_net_alloc(gn, struct_size(e, value, u->value_len), 0);
	if (!e)
		return GOSSIP_PUT_NOMEM;
	e->key = *u->key;
	e->value_len = u->value_len;
	e->flags = u->flags & GOSSIP_ENTRY_F_TOMBSTONE;
	if (local)
		e->flags |= GOSSIP_ENTRY_F_OWN;
	if (u->fetched)
		e->flags |= GOSSIP_ENTRY_F_FETCHED;
	memcpy(e->value, u->value, u->value_len);

	spin_lock_bh(&st->lock);
	old = rhashtable_lookup_fast(&st->table, u->key, store_params);
	if (local) {
		ret = GOSSIP_PUT_NOKEY;
		if ((u->flags & GOSSIP_ENTRY_F_TOMBSTONE) &&
		    (!old || is_tombstone(old)))
			goto fail;
		/* Cannot happen (see the top of this file); never wrap. */
		ret = GOSSIP_PUT_CLOCK;
		if (st->clock == U64_MAX)
			goto fail;
		u->version = max(st->clock + 1, wall_us());
		u->origin = READ_ONCE(gn->node_id);
		if (!st->own_born_ns || st->own_id != u->origin)
			own_life_begin(st, u->origin);
	} else {
		/*
		 * An earlier life's entry would beat this life's: this life
		 * publishes its own again, above it (see "incarnation"). A
		 * stranger's may be forged: it lifts that one key, not the
		 * life's others (rule (b) above).
		 */
		if (own_beaten(st, old, u)) {
			if (u->trusted)
				own_absorb(gn, st, u->origin, u->version);
			st->clock = max(st->clock, u->version);
			old = rhashtable_lookup_fast(&st->table, u->key,
						     store_params);
			ret = GOSSIP_PUT_NOMEM;
			if (own_beaten(st, old, u) && !own_again(gn, st, old))
				goto fail;
			old = rhashtable_lookup_fast(&st->table, u->key,
						     store_params);
		}
		ret = GOSSIP_PUT_DUPLICATE;
		if (stale(st, old, u->version, u->origin)) {
			u->dup_fetched = fetched_take(old, u);
			goto fail;
		}
	}
	stranger = !local && !u->trusted;
	ret = GOSSIP_PUT_ORIGIN;
	if (stranger && st->stranger_origins >= GOSSIP_STRANGER_ORIGINS &&
	    !origin_find(st, u->origin))
		goto fail;
	ret = GOSSIP_PUT_FULL;
	if (!old && st->count >= GOSSIP_ENTRIES_MAX)
		goto fail;
	/* Only growth is refused: a smaller value (or a delete) always fits. */
	ret = GOSSIP_PUT_BYTES;
	grow = entry_bytes(e) - min(entry_bytes(e), old ? entry_bytes(old) : 0);
	if (grow && st->bytes + grow > READ_ONCE(gn->store_bytes))
		goto fail;
	ret = GOSSIP_PUT_NOMEM;
	o = origin_get(st, u->origin, stranger);
	if (!o) {	/* the origin table is full, or memory short */
		if (st->origin_count >= GOSSIP_ORIGINS_MAX)
			ret = GOSSIP_PUT_ORIGINS;
		goto fail;
	}
	e->version = u->version;
	e->origin = u->origin;
	e->stamp_ns = ktime_get_ns();
	if (entry_link(st, e, old))
		goto fail;
	entry_stored(gn, st, o, e, local);
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
	u->flags = e->flags & GOSSIP_ENTRY_F_TOMBSTONE;
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
	we->flags = e->flags & GOSSIP_ENTRY_F_TOMBSTONE;
}

/* Hot entries a round looks at, at most: its cost stays bounded. */
#define GOSSIP_HOT_SCAN		64

/* The smallest entry: a record header, the fixed part, a 1-byte key. */
#define GOSSIP_ENTRY_MIN_LEN	(GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_ENTRY_LEN + 1)

/*
 * Append the hot entries that fit to @w, least sent first, and charge each
 * one round of its budget. One that does not fit in what is left is
 * skipped, not waited for: it stays at its place, ahead of those sent, so
 * it heads the list next round, where it fits (a round leaves the head
 * entry its room: gossip_store_write_digest()). Cost: at most
 * GOSSIP_HOT_SCAN entries, never the store. With @refs, as REFs: an
 * IHAVE's announcements (send.c, "lazy push"); those stored after @since
 * (ktime_get_ns()) are left for later, as the others that do not fit: the
 * eager tree is bringing them, and their announcements wait for it.
 */
void gossip_store_write_hot(struct gossip_store *st,
			    struct gossip_wire_writer *w, bool refs, u64 since)
{
	struct gossip_entry *e, *tmp;
	struct gossip_wire_entry we;
	u32 seen = 0;
	LIST_HEAD(sent);

	spin_lock_bh(&st->lock);
	list_for_each_entry_safe(e, tmp, &st->hot, hot) {
		if (++seen > GOSSIP_HOT_SCAN ||
		    w->cap - w->len < GOSSIP_ENTRY_MIN_LEN)
			break;
		if (refs && e->stamp_ns > since)
			continue;	/* the tree brings it */
		wire_entry_of(&we, e);
		if (refs ? gossip_wire_put_ref(w, &we) :
			   gossip_wire_put_entry(w, &we))
			continue;	/* too big for what is left */
		if (--e->hot_left)
			list_move_tail(&e->hot, &sent);
		else
			list_del_init(&e->hot);
	}
	list_splice_tail(&sent, &st->hot);
	spin_unlock_bh(&st->lock);
}

/*
 * Whether the entry @ref announces (a REF of an IHAVE or a reply) is worth
 * asking for: newer than what this node holds for its key, not covered by
 * the mark of its origin (then it is superseded, or a collected delete
 * let the key go), not from the future (it would be refused).
 */
bool gossip_store_lacks(struct gossip_net *gn,
			const struct gossip_wire_entry *ref)
{
	struct gossip_key key = { .len = ref->key_len };
	struct gossip_store *st = &gn->store;
	struct gossip_entry *old;
	bool lacks;

	if (from_future(gn, ref->version))
		return false;
	memcpy(key.data, ref->key, ref->key_len);
	spin_lock_bh(&st->lock);
	old = rhashtable_lookup_fast(&st->table, &key, store_params);
	lacks = !stale(st, old, ref->version, ref->origin);
	spin_unlock_bh(&st->lock);
	return lacks;
}

/*
 * Append to @w this node's entry for the key of @ref (a REF of an IWANT)
 * if it is at least as new as @ref: 1 if written, 0 if none is, -1 if it
 * does not fit in what is left.
 */
int gossip_store_write_wanted(struct gossip_store *st,
			      struct gossip_wire_writer *w,
			      const struct gossip_wire_entry *ref)
{
	struct gossip_key key = { .len = ref->key_len };
	struct gossip_wire_entry we;
	struct gossip_entry *e;
	int ret = 0;

	memcpy(key.data, ref->key, ref->key_len);
	rcu_read_lock();
	e = gossip_store_lookup(st, &key);
	if (e && !newer(ref->version, ref->origin, e)) {
		wire_entry_of(&we, e);
		ret = gossip_wire_put_entry(w, &we) ? -1 : 1;
	}
	rcu_read_unlock();
	return ret;
}

/* Entries above a mark a digest's hash covers, at most: its cost. */
#define GOSSIP_ABOVE_SCAN	16

/*
 * Caller holds st->lock. A hash of the entries of @o held above @mark: a
 * digest's MARK carries it in its `from`, and a responder that holds the
 * same entries above that mark sends none of them, only a MARK
 * (reply_origin()): pushes raise no mark, so without it every digest's
 * answer would send the asker again what it got by pushes, until a MARK
 * from the origin's side covered them. 0 when there are none, or more
 * than GOSSIP_ABOVE_SCAN: then the responder sends all it has above. At
 * mark 0 it is every entry of the origin, kept as they come and go: an
 * origin whose mark never rises (its node gone before its life caught
 * up, or one a stranger made up, with as many entries as it likes) is not
 * sent again in every answer.
 */
static u64 above_hash(struct gossip_store *st, const struct gossip_origin *o,
		      u64 mark)
{
	struct gossip_entry *e;
	u64 hash = 0;
	u32 n = 0;

	if (!mark)
		return o->all_hash;
	e = by_origin_after(st, o->id, mark);

	for (; e; e = by_origin_next(e)) {
		if (++n > GOSSIP_ABOVE_SCAN)
			return 0;
		hash ^= sum_of_entry(e);
	}
	return hash;
}

/*
 * Append a digest to @w in at most @budget bytes: a RANGE and the marks of
 * the origins in it, from the cursor on. When not all origins fit, the next
 * digest goes on where this one stopped. With @hot (hot entries follow in
 * the datagram), the digest leaves room for the first hot entry, down to a
 * single mark: a big entry would otherwise never fit behind a digest of
 * many origins, and head the hot list for ever. gossip_store_dgram_fits()
 * makes sure a mark and a maximal entry always fit. With @news, its RANGE
 * says so (GOSSIP_RANGE_F_NEWS: send.c, "quiet"). With @from other than
 * GOSSIP_DIGEST_CURSOR, the range starts at origin @from and the cursor
 * stays: a digest that covers the receiver's own origin acks its life
 * (gossip_store_digest_seen()), whatever the turn.
 */
void gossip_store_write_digest(struct gossip_store *st,
			       struct gossip_wire_writer *w, size_t budget,
			       bool hot, bool news, u64 from)
{
	size_t per = GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN;
	size_t least = GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_RANGE_LEN + per;
	size_t room = w->cap - w->len, head;
	struct gossip_origin *o, *first;
	struct gossip_wire_mark m;
	struct gossip_entry *e;
	u32 lo, hi = U32_MAX, n, fit;

	spin_lock_bh(&st->lock);
	if (hot && !list_empty(&st->hot)) {
		e = list_first_entry(&st->hot, struct gossip_entry, hot);
		head = gossip_wire_entry_size(e->key.len, e->value_len);
		budget = min(budget, max(least, room - min(room, head)));
	}
	budget = min(budget, room);
	if (budget < least) {
		spin_unlock_bh(&st->lock);
		return;
	}
	fit = (budget - GOSSIP_WIRE_REC_LEN - GOSSIP_WIRE_RANGE_LEN) / per;

	lo = from == GOSSIP_DIGEST_CURSOR ? st->digest_cursor : (u32)from;
	first = origin_ceil(st, lo);
	/* Where does the range end? After @fit origins, or at the last. */
	for (o = first, n = 0; o && n < fit; o = origin_next(o), n++)
		hi = o->id;
	if (!o)
		hi = U32_MAX;
	if (from == GOSSIP_DIGEST_CURSOR)
		st->digest_cursor = hi == U32_MAX ? 0 : hi + 1;
	gossip_wire_put_range(w, lo, hi, news ? GOSSIP_RANGE_F_NEWS : 0);
	for (o = first; o && o->id <= hi; o = origin_next(o)) {
		m.origin = o->id;
		m.from = above_hash(st, o, o->mark);
		m.to = o->mark;
		gossip_wire_put_mark(w, &m);
	}
	spin_unlock_bh(&st->lock);
}

/*
 * A reply's MARK from a configured peer or an authenticated sender (a
 * stranger's are not applied: receive.c): the asker may raise its mark
 * over (from, to]. Refused when `to` is from the future (rx_err_future).
 */
void gossip_store_apply_mark(struct gossip_net *gn,
			     const struct gossip_wire_mark *m)
{
	struct gossip_store *st = &gn->store;
	struct gossip_origin *o;
	bool full;

	if (from_future(gn, m->to)) {
		gossip_stat_inc(gn, GOSSIP_STATS_A_RX_ERR_FUTURE);
		return;
	}
	spin_lock_bh(&st->lock);
	/*
	 * A new origin's mark is 0: a MARK from above it could not apply,
	 * and would only fill the origin table (never emptied).
	 */
	o = m->from ? origin_find(st, m->origin) :
		      origin_get(st, m->origin, false);
	full = !o && st->origin_count >= GOSSIP_ORIGINS_MAX;
	if (o && o->mark >= m->from)
		mark_raise(st, o, m->to);
	/* Its sender marks up to m->to: publish above it. */
	st->clock = max(st->clock, m->to);
	own_absorb(gn, st, m->origin, m->to);
	spin_unlock_bh(&st->lock);
	if (!o && !m->from)	/* the origin cap, or no memory */
		gossip_stat_inc(gn, full ? GOSSIP_STATS_A_RX_ERR_FULL :
					   GOSSIP_STATS_A_RX_ERR_NOMEM);
}

/* ---- answering a digest ------------------------------------------------ */

/*
 * A reply being written into the datagrams send.c allocated (@out), one
 * at a time: under st->lock, nothing is allocated.
 */
struct reply {
	struct gossip_net *gn;
	struct gossip_reply_bufs *out;
	struct gossip_wire_writer w;	/* the datagram being written */
	bool open;			/* w is a datagram of the reply */
	u32 next;			/* the next of out->buf to open */
	size_t bytes;			/* bytes on the wire still allowed */
	bool cut;			/* stopped short for want of bytes */
	bool refs;			/* REFs for values: gossip_lazy(), authed */
	bool lazy;			/* gossip_lazy(): reply_recent() REFs */
	bool say_cut;			/* a PAD last when cut: room kept */
	u64 fresh;			/* entries stored since are recent */
};

static void reply_flush(struct reply *r)
{
	size_t len;

	if (!r->open)
		return;
	if (r->w.count) {
		len = gossip_wire_finish(&r->w);
		r->out->len[r->next - 1] = len;
		r->bytes -= len + r->out->over;		/* within the cap */
	}
	r->open = false;
}

/*
 * Start the next datagram of the reply, with room for @need bytes of
 * records; false when none is left, or the bytes left do not allow one
 * that holds @need (r->cut). A datagram is never started that could take
 * the reply over its bytes: its capacity is what is left, at most
 * out->max. The caller has flushed the one before.
 */
static bool reply_open(struct reply *r, size_t need)
{
	struct gossip_reply_bufs *out = r->out;
	size_t cap = out->max;

	if (r->next >= GOSSIP_REPLY_DGRAMS)
		return false;
	if (r->bytes < out->over + GOSSIP_WIRE_HDR_LEN + need) {
		r->cut = true;
		return false;
	}
	if (r->next >= out->count)
		return false;	/* send.c could not allocate it */
	if (r->say_cut)
		cap -= GOSSIP_WIRE_REC_LEN;	/* for reply_say_cut() */
	cap = min_t(size_t, cap, r->bytes - out->over);
	gossip_wire_begin(&r->w, out->buf[r->next++], cap,
			  GOSSIP_MSG_PULL_REPLY, READ_ONCE(r->gn->node_id));
	r->open = true;
	return true;
}

/* Whether the open datagram has room for @need bytes and a MARK. */
static bool reply_fits(struct reply *r, size_t need)
{
	need += GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN;
	return r->open && need <= r->w.cap - r->w.len;
}

/*
 * MARK(from, to] of @origin in the open datagram: what it carries. Its
 * room was kept by reply_fits(); false if it was not there after all.
 */
static bool reply_mark(struct reply *r, u32 origin, u64 from, u64 to)
{
	struct gossip_wire_mark m = { .origin = origin, .from = from, .to = to };

	return to <= from || !gossip_wire_put_mark(&r->w, &m);
}

/*
 * Every entry of origin @o above @from (the asker's mark; @hash, its
 * digest's hash of what it holds above), in version order, each datagram
 * closed with a MARK of what it carries: a MARK never covers an entry of
 * another datagram (which may be lost, or come later), and an entry that
 * is not written is not covered by any. With eager on, to an asker that
 * authenticated, an entry stored within the hot window (@r->fresh on: one
 * the asker may be getting from every peer it asked) is announced
 * instead, a REF (gossip_store_reply()); no MARK covers it or
 * the entries after it, and the asker asks for it if it lacks it (send.c,
 * "lazy push"). A reply the credit cannot pay for stops short (r->cut):
 * REFs in its place spent the credit the next answer needed for the
 * values (make check's modes.sh: a node 5000 entries behind never caught
 * up). Returns false when the reply is full (or a record did not fit
 * where it should have: the datagram is sent as it is, without a MARK for
 * what it holds of @o).
 */
static bool reply_origin(struct reply *r, struct gossip_store *st,
			 struct gossip_origin *o, u64 from, u64 hash)
{
	struct gossip_entry *e = by_origin_after(st, o->id, from);
	u64 last = from, cover = U64_MAX;
	struct gossip_wire_entry we;
	size_t need;
	bool ref;

	/*
	 * The asker holds just what we hold above its mark (its digest's
	 * hash, above_hash()): none of it is sent, only the MARK, which it
	 * would have applied after them.
	 */
	if (e && hash && hash == above_hash(st, o, from))
		e = NULL;
	if (!e && o->mark <= from)
		return true;	/* the asker has all we have */
	for (; e; e = by_origin_next(e)) {
		wire_entry_of(&we, e);
		ref = r->refs && e->stamp_ns >= r->fresh;
		need = gossip_wire_entry_size(we.key_len,
					      ref ? 0 : we.value_len);
		if (!reply_fits(r, need)) {
			/* This datagram covered (from, last]: say so, go on. */
			if (r->open &&
			    !reply_mark(r, o->id, from,
					min(min(last, o->mark), cover)))
				return false;
			reply_flush(r);
			from = last;
			/* A fresh datagram holds any entry and its MARK. */
			if (!reply_open(r, need + GOSSIP_WIRE_REC_LEN +
					GOSSIP_WIRE_MARK_LEN) ||
			    !reply_fits(r, need))
				return false;
		}
		if (ref ? gossip_wire_put_ref(&r->w, &we) :
			  gossip_wire_put_entry(&r->w, &we))
			return false;
		/* No MARK covers an entry announced, nor any after it. */
		if (ref && cover == U64_MAX)
			cover = e->version - 1;
		last = e->version;
	}
	if (!reply_fits(r, 0)) {
		reply_flush(r);
		from = last;
		if (!reply_open(r, GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN))
			return false;
	}
	return reply_mark(r, o->id, from, min(o->mark, cover));
}

/* Recent entries a reply looks at, at most: its cost stays bounded. */
#define GOSSIP_RECENT_SCAN	256

/*
 * After the digest's own origins: the entries stored within the hot window
 * (@oldest on) whose origin is outside the digest's range [@lo, @hi],
 * newest first, in what is left of the current datagram and at most one
 * more. They carry no MARK: the asker applies them as it would pushed ones,
 * so a mark is never raised by them. Left out: the asker's own entries, and
 * those stored since @since (the request itself brought them). With eager
 * on, as REFs, whether the asker authenticated or not: the asker asks for
 * those it lacks (send.c, "lazy push"), instead of getting them from every
 * peer it asked. Nothing says whether it holds them, and it mostly does:
 * values here were most of the copies in the efficiency bench (64 keyless
 * nodes, whose digests cover half the origins or less: pull 11.7 and
 * pushpull 16.5 duplicates per node and update, one per answer while the
 * entry was recent). A REF the asker cannot fetch costs it nothing: the
 * digest whose range holds the origin brings the value (reply_origin()).
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
		need = gossip_wire_entry_size(we.key_len,
					      r->lazy ? 0 : we.value_len);
		if (!r->open || need > r->w.cap - r->w.len) {
			if (opened)
				break;
			reply_flush(r);
			if (!reply_open(r, need))
				break;
			opened = true;
		}
		if (r->lazy ? gossip_wire_put_ref(&r->w, &we) :
			      gossip_wire_put_entry(&r->w, &we))
			break;	/* cannot be: a fresh datagram holds any */
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
		u64 asker = 0, hash = 0;

		/* Merge walk: the digest's marks are sorted by origin. */
		while (more && (rec.kind != GOSSIP_REC_MARK ||
				rec.mark.origin < o->id))
			more = gossip_wire_next(&marks, &rec);
		if (more && rec.mark.origin == o->id) {
			asker = rec.mark.to;
			hash = rec.mark.from;
		}
		if (!reply_origin(r, st, o, asker, hash)) {
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
 * How many datagrams of @cap bytes a reply could fill, at most: send.c
 * allocates no more. Every entry held, as records, a MARK per origin, and
 * two MARKs per datagram where an origin is split; a datagram is closed
 * only when the next record does not fit, so each but the last is more
 * than half full. Read without the lock: when the store grew meanwhile, the
 * reply stops at the last buffer, its MARKs covering only what it sent.
 */
u32 gossip_store_reply_dgrams(struct gossip_store *st, size_t cap)
{
	const size_t split = 2 * (GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN);
	u64 total = READ_ONCE(st->bytes);

	total += (u64)READ_ONCE(st->count) *
		 (GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_ENTRY_LEN);
	total += (u64)READ_ONCE(st->origin_count) *
		 (GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_MARK_LEN);
	if (cap <= GOSSIP_WIRE_HDR_LEN + split)
		return GOSSIP_REPLY_DGRAMS;
	cap -= GOSSIP_WIRE_HDR_LEN + split;
	return min_t(u64, GOSSIP_REPLY_DGRAMS, 1 + div64_u64(2 * total, cap));
}

/*
 * An answer that stopped short for want of credit says so when it may
 * (@r->say_cut: eager on, the asker did not authenticate): a PAD of 0
 * bytes last, in the room every datagram kept for it (its bytes were kept
 * too), or alone in a datagram when none was written. The asker then pays
 * ahead in its next digests (send.c, "paying ahead").
 */
static void reply_say_cut(struct reply *r)
{
	if (!r->cut || !r->say_cut)
		return;
	r->bytes += GOSSIP_WIRE_REC_LEN;
	if (!r->w.buf) {
		/* None was begun: one of its own, if the bytes allow it. */
		if (!reply_open(r, GOSSIP_WIRE_REC_LEN))
			return;
	} else {
		if (!r->w.count && r->bytes < r->out->over +
		    GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_REC_LEN)
			return;		/* begun, left empty: not paid for */
		/* The room it kept (reply_open()), within its buffer. */
		r->w.cap += GOSSIP_WIRE_REC_LEN;
	}
	if (gossip_wire_put_pad(&r->w, 0))
		return;
	r->out->len[r->next - 1] = gossip_wire_finish(&r->w);
}

/*
 * Answer the digest in @req: for each of our origins in its range, what we
 * hold above the asker's mark, then our recent entries of the origins
 * outside it (reply_recent), in at most GOSSIP_REPLY_DGRAMS datagrams,
 * written into the buffers of @out (send.c allocated them and sends those
 * written: out->len). @since: when the request arrived. @limit: the bytes
 * of UDP payload the datagrams may take in all, as sent (out->over counted
 * for each); the reply stops at a record boundary before it would go over,
 * each MARK covering only entries of its own datagram. Returns true when
 * it stopped short for want of bytes.
 */
bool gossip_store_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
			u64 since, size_t limit, struct gossip_reply_bufs *out)
{
	struct reply r = { .gn = gn, .out = out, .bytes = limit,
			   .lazy = gossip_lazy(gn) };
	struct gossip_store *st = &gn->store;
	struct gossip_wire_rec rec;
	u64 oldest = since - min(since, recent_window_ns(gn));
	u32 lo, hi, start;

	/* The first record of a request is its RANGE (checked by the parser). */
	if (!gossip_wire_next(req, &rec))
		return false;
	lo = rec.range.lo;
	hi = rec.range.hi;
	r.fresh = oldest;
	/*
	 * Held to the credit (the asker did not authenticate): values of the
	 * digest's own origins, not REFs (the recent entries of the others
	 * are REFs: reply_recent()), and a PAD last when cut short. A REF's
	 * IWANT and its answer are held to the same credit as every digest's
	 * answer between the two nodes, and in the efficiency bench (256
	 * keyless nodes) the fetches of the origins' entries starved behind
	 * them: pull left the update off 21 to 33 nodes 22 s after the
	 * publish, pushpull took 6.6 intervals.
	 */
	r.say_cut = r.lazy && limit != SIZE_MAX;
	r.refs = r.lazy && limit == SIZE_MAX;
	if (r.say_cut)
		r.bytes -= min_t(size_t, r.bytes, GOSSIP_WIRE_REC_LEN);

	spin_lock_bh(&st->lock);
	/* From the reply cursor to @hi, then from @lo on: see reply_origins. */
	start = st->reply_cursor;
	if (start < lo || start > hi)
		start = lo;
	if (reply_origins(&r, st, *req, start, hi) && start > lo)
		reply_origins(&r, st, *req, lo, start - 1);
	/* With eager on the tree brings the youngest, announced after it. */
	reply_recent(&r, st, lo, hi, req->sender,
		     gossip_eager_on(gn) ?
		     since - min(since, gossip_tree_wait_ns(gn)) : since,
		     oldest);
	reply_flush(&r);
	reply_say_cut(&r);
	spin_unlock_bh(&st->lock);
	return r.cut;
}

/* ---- tombstones -------------------------------------------------------- */

/*
 * A round of acks for the tombstones of one origin: which peers (by their
 * index in the peer set of generation @gen) showed, in a digest they sent
 * this node, a mark for the origin at or above @target. Allocated when the
 * origin has tombstones not yet acked, freed when it has none; at most
 * GOSSIP_TOMB_ACKS_MAX at once (an origin beyond waits for a free one, or
 * for the hard limit). Under store.lock.
 */
struct gossip_tomb_acks {
	u64 target;		/* the origin's tomb_max when the round began */
	u32 gen;		/* the peer set the bits index */
	u32 nbits;		/* its peers */
	u32 left;		/* peers that have not acked yet */
	unsigned long bits[];
};

#define GOSSIP_TOMB_ACKS_MAX	1024

/* A tombstone is collected at the latest this many tombstone_ms old. */
#define GOSSIP_TOMB_HARD_MULT	10

/*
 * Tombstones past tombstone_ms still waiting for acks that one collection
 * looks at, at most: its cost stays bounded.
 */
#define GOSSIP_TOMB_SCAN	256

static size_t acks_mem(const struct gossip_tomb_acks *a)
{
	return kmalloc_size_roundup(struct_size(a, bits,
						BITS_TO_LONGS(a->nbits)));
}

static void acks_free(struct gossip_store *st, struct gossip_origin *o)
{
	if (!o->acks)
		return;
	st->mem -= acks_mem(o->acks);
	st->acks_count--;
	kfree(o->acks);
	o->acks = NULL;
}

/* Caller holds st->lock: tombstone @e of origin @o was stored. */
static void tomb_link(struct gossip_origin *o, const struct gossip_entry *e)
{
	if (!o)
		return;		/* cannot be: gossip_store_put() made it */
	o->tomb_count++;
	o->tomb_max = max(o->tomb_max, e->version);
}

/* Caller holds st->lock: a tombstone of @o is gone (collected, replaced). */
static void tomb_unlink(struct gossip_store *st, struct gossip_origin *o)
{
	if (o && o->tomb_count && !--o->tomb_count)
		acks_free(st, o);	/* no tombstone of it waits */
}

/*
 * Caller holds st->lock: a digest of the peer at index @idx of peer set
 * @gen (@count peers) showed mark @mark for origin @o, which holds
 * tombstones not all acked.
 */
static void tomb_ack(struct gossip_store *st, struct gossip_origin *o,
		     u64 mark, u32 idx, u32 gen, u32 count)
{
	struct gossip_tomb_acks *a = o->acks;

	if (a && a->gen != gen)
		acks_free(st, o);	/* the peers changed: start again */
	if (!o->acks) {
		if (st->acks_count >= GOSSIP_TOMB_ACKS_MAX)
			return;
		a = gossip_net_alloc(store_net(st),
				     struct_size(a, bits, BITS_TO_LONGS(count)),
				     __GFP_ZERO);
		if (!a) {	/* the next digest acks again */
			gossip_stat_inc(store_net(st),
					GOSSIP_STATS_A_RX_ERR_NOMEM);
			return;
		}
		a->target = tomb_ackable(o);
		a->gen = gen;
		a->nbits = count;
		a->left = count;
		o->acks = a;
		st->acks_count++;
		st->mem += acks_mem(a);
	}
	a = o->acks;
	for (;;) {
		if (mark < a->target || __test_and_set_bit(idx, a->bits))
			return;
		if (--a->left)
			return;
		/* Every peer holds them all, or newer entries for their keys. */
		o->tomb_safe = a->target;
		if (tomb_ackable(o) <= a->target) {
			acks_free(st, o);
			return;
		}
		/* Tombstones came, or the mark rose, since: one more round. */
		a->target = tomb_ackable(o);
		a->left = a->nbits;
		bitmap_zero(a->bits, a->nbits);
	}
}

/* ---- incarnation ------------------------------------------------------- */

/* Caller holds st->lock: the acks of this life are done with. */
static void own_acks_free(struct gossip_store *st)
{
	if (!st->own_acks)
		return;
	st->mem -= acks_mem(st->own_acks);
	kfree(st->own_acks);
	st->own_acks = NULL;
}

/*
 * Caller holds st->lock: this node publishes as @id for the first time on
 * this store (the instance is new, or its node id changed). Whatever @id
 * published before (an earlier life, on an instance since destroyed) may
 * still be held by the peers only: until they have all shown they hold no
 * more of it than this node does, a publish does not raise @id's mark.
 */
static void own_life_begin(struct gossip_store *st, u32 id)
{
	own_acks_free(st);
	st->own_id = id;
	WRITE_ONCE(st->own_wait, true);
	WRITE_ONCE(st->own_born_ns, ktime_get_ns());
	st->own_max = 0;
	/* Its entries will all be above the clock: none at risk yet. */
	WRITE_ONCE(st->own_top, st->clock);
	st->own_done = st->clock;
}

/* Caller holds st->lock: whether @e was published in this life. */
static bool own_entry(struct gossip_store *st, const struct gossip_entry *e)
{
	return (e->flags & GOSSIP_ENTRY_F_OWN) && st->own_born_ns &&
	       e->origin == st->own_id;
}

/*
 * Caller holds st->lock: @u, received, is of our own origin and newer than
 * @old, an entry this life published: an earlier life's write, which must
 * not win over this life's.
 */
static bool own_beaten(struct gossip_store *st, const struct gossip_entry *old,
		       const struct gossip_update *u)
{
	return old && own_entry(st, old) && u->origin == old->origin &&
	       u->version > old->version;
}

/*
 * Caller holds st->lock, st->clock is at least st->own_top: publish the
 * value (or tombstone) of this-life entry @old again, at a fresh version
 * above the clock, as a local publish would (hot, recent, raising the
 * mark once caught up), in its place. False when no memory (under the
 * lock: gossip_net_alloc()) or the clock would wrap; @old then stays.
 */
static bool own_again(struct gossip_net *gn, struct gossip_store *st,
		      struct gossip_entry *old)
{
	struct gossip_origin *o = origin_find(st, old->origin);
	struct gossip_entry *e;

	if (!o || st->clock == U64_MAX)
		return false;
	e = gossip_net_alloc(gn, struct_size(e, value, old->value_len), 0);
	if (!e)
		return false;
	e->key = old->key;
	e->value_len = old->value_len;
	e->flags = old->flags;
	memcpy(e->value, old->value, old->value_len);
	e->version = max(st->clock + 1, wall_us());
	e->origin = old->origin;
	e->stamp_ns = ktime_get_ns();
	if (entry_link(st, e, old)) {
		kfree(e);
		return false;
	}
	entry_stored(gn, st, o, e, true);
	return true;
}

/* This-life entries one call looks at, at most: its cost stays bounded. */
#define GOSSIP_OWN_SCAN		64

/*
 * Caller holds st->lock: publish again, above st->own_top, this life's
 * entries at or below it (some node's mark covers them, or an earlier
 * life's entry of their key beats them), from st->own_done on, at most
 * GOSSIP_OWN_SCAN entries looked at; the rounds go on with the rest.
 */
static void own_catch(struct gossip_net *gn, struct gossip_store *st)
{
	struct gossip_entry *e, *next;
	u32 seen = 0;
	u64 v;

	if (st->own_done >= st->own_top || !st->own_born_ns)
		return;
	for (e = by_origin_after(st, st->own_id, st->own_done);
	     e && e->version <= st->own_top; e = next) {
		if (++seen > GOSSIP_OWN_SCAN)
			return;
		next = by_origin_next(e);
		v = e->version;
		if (own_entry(st, e) && !own_again(gn, st, e)) {
			/* No memory (or the clock): the next round goes on. */
			gossip_stat_inc(gn, GOSSIP_STATS_A_RX_ERR_NOMEM);
			return;
		}
		st->own_done = v;
	}
	st->own_done = st->own_top;
}

/*
 * Caller holds st->lock: version @v of origin @id was seen, not from the
 * future (an entry of it, a mark for it in a peer's digest, a MARK from a
 * peer or an authenticated sender). If @id is our node id, the clock goes
 * above it, and so does every entry this life published at or below it.
 */
static void own_absorb(struct gossip_net *gn, struct gossip_store *st,
		       u32 id, u64 v)
{
	bool life = st->own_born_ns && st->own_id == id;

	if (id != READ_ONCE(gn->node_id) || (life && !st->own_wait))
		return;
	st->clock = max(st->clock, v);
	WRITE_ONCE(st->own_top, max(st->own_top, v));
	if (life)
		own_catch(gn, st);
}

/* Caller holds st->lock: this life caught up; its mark covers its own. */
static void own_caught_up(struct gossip_net *gn, struct gossip_store *st)
{
	struct gossip_origin *o = origin_find(st, st->own_id);

	/* Its mark came of MARKs: above it, it published again. */
	if (o)
		own_absorb(gn, st, st->own_id, o->mark);
	o = origin_find(st, st->own_id);
	if (o)
		mark_raise(st, o, st->own_max);
	WRITE_ONCE(st->own_wait, false);
	own_acks_free(st);
}

/*
 * Caller holds st->lock, st->own_wait: a digest of the peer at index @idx
 * of peer set @gen (@count peers) showed mark @mark for our own origin (0:
 * in its range, not listed). It acks when we hold all it marked: every
 * entry of our earlier life it holds came to us in its replies, or another
 * peer's, whose MARKs raised our mark to @mark.
 */
static void own_ack(struct gossip_net *gn, struct gossip_store *st,
		    u64 mark, u32 idx, u32 gen, u32 count)
{
	struct gossip_origin *o = origin_find(st, st->own_id);
	struct gossip_tomb_acks *a = st->own_acks;

	if (!o || mark > o->mark || idx >= count)
		return;
	if (a && a->gen != gen)
		own_acks_free(st);	/* the peers changed: start again */
	if (!st->own_acks) {
		a = gossip_net_alloc(gn,
				     struct_size(a, bits, BITS_TO_LONGS(count)),
				     __GFP_ZERO);
		if (!a) {	/* the next digest acks again */
			gossip_stat_inc(gn, GOSSIP_STATS_A_RX_ERR_NOMEM);
			return;
		}
		a->gen = gen;
		a->nbits = count;
		a->left = count;
		st->own_acks = a;
		st->mem += acks_mem(a);
	}
	a = st->own_acks;
	if (__test_and_set_bit(idx, a->bits) || --a->left)
		return;
	own_caught_up(gn, st);
}

/*
 * The configured peers that have yet to ack this node's life while it
 * waits (own_ack()): all of them before the first ack or after the peer
 * set changed; 0 when it does not wait. For the life_acks_left gauge,
 * process context.
 */
u32 gossip_store_life_acks_left(struct gossip_net *gn)
{
	struct gossip_store *st = &gn->store;
	const struct gossip_peer_set *set;
	const struct gossip_tomb_acks *a;
	u32 gen = 0, count = 0, left = 0;

	if (!READ_ONCE(st->own_wait))
		return 0;
	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	if (set) {
		gen = set->gen;
		count = set->count;
	}
	rcu_read_unlock_bh();
	spin_lock_bh(&st->lock);
	if (st->own_wait) {
		a = st->own_acks;
		left = a && a->gen == gen ? a->left : count;
	}
	spin_unlock_bh(&st->lock);
	return left;
}

/*
 * Caller holds st->lock: the peer at index @idx of peer set @gen (@count
 * peers) showed mark @mark for origin @o: the acks of its tombstones.
 */
static void tomb_seen(struct gossip_store *st, struct gossip_origin *o,
		      u64 mark, u32 idx, u32 gen, u32 count)
{
	if (!o || !o->tomb_count)
		return;
	if (o->safe_gen != gen) {
		/* Acks of another peer set do not count. */
		o->safe_gen = gen;
		o->tomb_safe = 0;
	}
	if (tomb_ackable(o) > o->tomb_safe)
		tomb_ack(st, o, mark, idx, gen, count);
}

/*
 * A datagram @req from @src was received and parsed: if it is a digest from
 * a configured peer, its marks ack the tombstones at or below them, and
 * while this node's own origin waits, its mark for it acks this life (see
 * the top of this file). Softirq context. Cost: the marks of the digest,
 * and nothing when the store holds no tombstone and its origin waits not.
 */
void gossip_store_digest_seen(struct gossip_net *gn,
			      const struct gossip_wire_msg *req,
			      const struct gossip_rx_src *src)
{
	struct gossip_store *st = &gn->store;
	struct gossip_wire_msg msg = *req;
	struct gossip_wire_rec rec;
	struct gossip_origin *o;
	u32 gen, count, me = READ_ONCE(gn->node_id);
	u64 own_mark = 0, mine = 0, top = 0;
	bool own = false, absorb;
	int idx;

	if ((msg.type != GOSSIP_MSG_PULL_REQ &&
	     msg.type != GOSSIP_MSG_PUSHPULL_REQ) || !src->peer)
		return;
	/* The peer's marks, for the clock, read before taking the lock. */
	while (gossip_wire_next(&msg, &rec) && rec.kind != GOSSIP_REC_ENTRY) {
		if (rec.kind != GOSSIP_REC_MARK)
			continue;
		top = max(top, rec.mark.to);
		if (rec.mark.origin == me)
			mine = rec.mark.to;
	}
	msg = *req;
	if (from_future(gn, top))
		top = 0;	/* as a MARK's would be, refused */
	if (from_future(gn, mine))
		mine = 0;
	absorb = (READ_ONCE(st->own_wait) || !READ_ONCE(st->own_born_ns)) &&
		 mine > READ_ONCE(st->own_top);
	if (!READ_ONCE(st->tombstone_count) && !READ_ONCE(st->own_wait) &&
	    !absorb && top <= READ_ONCE(st->clock))
		return;
	idx = gossip_peer_index(gn, src->addr, &gen, &count);
	if (idx < 0)
		return;		/* removed since gossip_rx() looked */
	spin_lock_bh(&st->lock);
	/* Publish above all the peer marks: a delete it collected, too. */
	st->clock = max(st->clock, top);
	if (absorb)
		own_absorb(gn, st, me, mine);
	/* A RANGE, then its MARKs, then (pushpull) entries. */
	while (gossip_wire_next(&msg, &rec) && rec.kind != GOSSIP_REC_ENTRY) {
		if (rec.kind == GOSSIP_REC_RANGE) {
			own = st->own_wait && st->own_id >= rec.range.lo &&
			      st->own_id <= rec.range.hi;
			continue;
		}
		if (rec.kind != GOSSIP_REC_MARK)
			continue;
		if (own && rec.mark.origin == st->own_id)
			own_mark = rec.mark.to;
		o = origin_find(st, rec.mark.origin);
		tomb_seen(st, o, rec.mark.to, idx, gen, count);
	}
	if (own)
		own_ack(gn, st, own_mark, idx, gen, count);
	spin_unlock_bh(&st->lock);
}

/*
 * A summary from @src, a configured peer, equalled ours: the peer holds the
 * marks we hold (but for a 2^-64 chance), so it acks, as a digest of all
 * of them would, the tombstones our marks cover and, while our own origin
 * waits, this life. A quiet cluster sends summaries, not digests: without
 * this its tombstones would wait for the hard limit. Softirq context.
 * Cost: nothing without tombstones or a waiting life, else our origins.
 */
void gossip_store_sum_seen(struct gossip_net *gn,
			   const struct gossip_rx_src *src)
{
	struct gossip_store *st = &gn->store;
	struct gossip_origin *o;
	struct rb_node *node;
	u32 gen, count;
	int idx;

	if (!src->peer || (!READ_ONCE(st->tombstone_count) &&
			   !READ_ONCE(st->own_wait)))
		return;
	idx = gossip_peer_index(gn, src->addr, &gen, &count);
	if (idx < 0)
		return;
	spin_lock_bh(&st->lock);
	if (st->tombstone_count)
		for (node = rb_first(&st->origins); node; node = rb_next(node)) {
			o = rb_entry(node, struct gossip_origin, node);
			tomb_seen(st, o, o->mark, idx, gen, count);
		}
	if (st->own_wait) {
		o = origin_find(st, st->own_id);
		own_ack(gn, st, o ? o->mark : 0, idx, gen, count);
	}
	spin_unlock_bh(&st->lock);
}

/*
 * Caller holds st->lock: whether tombstone @e may go before the hard limit,
 * with peer set @gen of @count peers: every peer acked it, or there is none.
 */
static bool tomb_acked(struct gossip_store *st, const struct gossip_entry *e,
		       u32 gen, u32 count)
{
	struct gossip_origin *o;

	if (!count)
		return true;
	o = origin_find(st, e->origin);
	return o && o->safe_gen == gen && e->version <= o->tomb_safe;
}

/* Caller holds st->lock: drop tombstone @e. */
static void tomb_drop(struct gossip_store *st, struct gossip_entry *e)
{
	rhashtable_remove_fast(&st->table, &e->node, store_params);
	entry_unlink(st, e);
	st->count--;
	st->mem -= entry_mem(e);
	st->bytes -= entry_bytes(e);
	st->gen++;
	kfree_rcu(e, rcu);
}

/*
 * Each round: entries stored longer ago than the hot window stop being
 * recent, and tombstones older than tombstone_ms that every peer acked are
 * dropped, as are all those older than GOSSIP_TOMB_HARD_MULT times it.
 * Cost: the entries that change, and at most GOSSIP_TOMB_SCAN tombstones
 * that still wait.
 */
void gossip_store_collect(struct gossip_net *gn)
{
	u64 limit = (u64)READ_ONCE(gn->tombstone_ms) * NSEC_PER_MSEC;
	u64 window = recent_window_ns(gn), now = ktime_get_ns();
	u64 hard = limit * GOSSIP_TOMB_HARD_MULT;
	struct gossip_store *st = &gn->store;
	struct gossip_peer_set *set;
	struct gossip_entry *e, *tmp;
	u32 n = 0, expired = 0, waiting = 0, gen, count;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	gen = set ? set->gen : 0;
	count = set ? set->count : 0;
	rcu_read_unlock_bh();

	spin_lock_bh(&st->lock);
	/* Peers that never ack this life are waited for no longer than this. */
	if (st->own_wait && now - st->own_born_ns >= hard)
		own_caught_up(gn, st);
	own_catch(gn, st);	/* what the last calls did not get to */
	while (!list_empty(&st->recent)) {
		e = list_first_entry(&st->recent, struct gossip_entry, recent);
		if (now - e->stamp_ns < window)
			break;
		list_del_init(&e->recent);
	}
	/* Oldest first: those past the hard limit are at the head. */
	list_for_each_entry_safe(e, tmp, &st->tombstones, dead) {
		if (now - e->stamp_ns < limit)
			break;
		if (now - e->stamp_ns >= hard) {
			expired++;
		} else if (!tomb_acked(st, e, gen, count)) {
			if (++waiting >= GOSSIP_TOMB_SCAN)
				break;
			continue;
		}
		tomb_drop(st, e);
		n++;
	}
	spin_unlock_bh(&st->lock);
	if (n)
		gossip_stat_add(gn, GOSSIP_STATS_A_TOMBSTONES_COLLECTED, n);
	if (expired)
		gossip_stat_add(gn, GOSSIP_STATS_A_TOMBSTONES_EXPIRED, expired);
}
