// SPDX-License-Identifier: GPL-2.0
/*
 * The key/value store of an instance. Every entry carries the node id of its
 * publisher (origin) and a version; of two entries for one key the one with
 * the higher (version, origin) wins, on every node alike. Versions come from
 * a Lamport clock: a local publish takes one more than the highest version
 * this node has seen, so it wins over everything the node knew.
 *
 * Entries that changed are "hot": pushed for a bounded number of rounds that
 * grows with log10 of the cluster size, as memberlist does, then cold.
 */
#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "gossip.h"
#include "wire.h"

/* Rounds a rumor stays hot: GOSSIP_RETRANSMIT_MULT * ceil(log10(n + 1)). */
#define GOSSIP_RETRANSMIT_MULT	4

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
	st->clock = 0;
	st->count = 0;
	st->gen = 1;
	return rhashtable_init(&st->table, &store_params);
}

static void entry_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Only once nothing can reach the store any more: the namespace is gone. */
void gossip_store_free(struct gossip_store *st)
{
	rhashtable_free_and_destroy(&st->table, entry_free, NULL);
	INIT_LIST_HEAD(&st->all);
	INIT_LIST_HEAD(&st->hot);
	st->count = 0;
}

/* Caller holds rcu_read_lock(). */
struct gossip_entry *gossip_store_lookup(struct gossip_store *st,
					 const struct gossip_key *key)
{
	return rhashtable_lookup(&st->table, key, store_params);
}

static bool newer(u64 version, u32 origin, const struct gossip_entry *e)
{
	return version > e->version ||
	       (version == e->version && origin > e->origin);
}

static u16 hot_budget(struct gossip_net *gn)
{
	u32 nodes = gossip_peer_count(gn) + 1, pow = 1;
	u16 digits = 0;

	while (pow < nodes + 1) {
		pow *= 10;
		digits++;
	}
	return GOSSIP_RETRANSMIT_MULT * digits;
}

/* Caller holds st->lock: put @e in place of @old, or add it. */
static int store_link(struct gossip_store *st, struct gossip_entry *e,
		      struct gossip_entry *old)
{
	int err;

	if (old) {
		err = rhashtable_replace_fast(&st->table, &old->node, &e->node,
					      store_params);
		if (err)
			return err;
		list_replace_rcu(&old->list, &e->list);
		if (!list_empty(&old->hot))
			list_del(&old->hot);
		kfree_rcu(old, rcu);
		return 0;
	}
	err = rhashtable_insert_fast(&st->table, &e->node, store_params);
	if (err)
		return err;
	list_add_tail_rcu(&e->list, &st->all);
	st->count++;
	return 0;
}

/*
 * Store a value. @version 0 means a local publish: the version and origin
 * are assigned here and written back. Otherwise the entry came from the
 * network and is kept only when it is newer than what the store holds.
 * May be called from softirq context for received entries.
 */
enum gossip_put_result gossip_store_put(struct gossip_net *gn,
					const struct gossip_key *key,
					const u8 *value, u16 value_len,
					u32 *origin, u64 *version)
{
	struct gossip_store *st = &gn->store;
	bool local = !*version;
	struct gossip_entry *e, *old;
	enum gossip_put_result ret;
	bool stale;

	/* Most received entries are duplicates: drop them without allocating. */
	rcu_read_lock();
	old = gossip_store_lookup(st, key);
	stale = !local && old && !newer(*version, *origin, old);
	rcu_read_unlock();
	if (stale)
		return GOSSIP_PUT_DUPLICATE;

	e = kmalloc(struct_size(e, value, value_len),
		    local ? GFP_KERNEL : GFP_ATOMIC);
	if (!e)
		return GOSSIP_PUT_NOMEM;
	e->key = *key;
	e->value_len = value_len;
	memcpy(e->value, value, value_len);

	spin_lock_bh(&st->lock);
	old = rhashtable_lookup_fast(&st->table, key, store_params);
	if (local) {
		*version = st->clock + 1;
		*origin = READ_ONCE(gn->node_id);
	} else if (old && !newer(*version, *origin, old)) {
		ret = GOSSIP_PUT_DUPLICATE;
		goto fail;
	}
	if (!old && st->count >= GOSSIP_ENTRIES_MAX) {
		ret = GOSSIP_PUT_FULL;
		goto fail;
	}
	e->version = *version;
	e->origin = *origin;
	e->stamp_ns = ktime_get_ns();
	if (store_link(st, e, old)) {
		ret = GOSSIP_PUT_NOMEM;
		goto fail;
	}
	st->clock = max(st->clock, e->version);
	e->hot_left = hot_budget(gn);
	list_add(&e->hot, &st->hot);
	st->gen++;
	spin_unlock_bh(&st->lock);
	return GOSSIP_PUT_APPLIED;

fail:
	spin_unlock_bh(&st->lock);
	kfree(e);
	return ret;
}

/*
 * Write the hot entries that fit into a push datagram in @buf, least sent
 * first, and charge each one round of its budget. Returns the datagram's
 * length, or 0 when nothing is hot. Cost: the entries that fit, never the
 * whole store.
 */
size_t gossip_store_fill_push(struct gossip_net *gn, u8 *buf, size_t cap)
{
	struct gossip_store *st = &gn->store;
	struct gossip_wire_writer w;
	struct gossip_entry *e, *tmp;
	LIST_HEAD(sent);

	gossip_wire_begin(&w, buf, cap, GOSSIP_MSG_PUSH,
			  READ_ONCE(gn->node_id));
	spin_lock_bh(&st->lock);
	list_for_each_entry_safe(e, tmp, &st->hot, hot) {
		struct gossip_wire_entry we = {
			.key = e->key.data,
			.value = e->value,
			.version = e->version,
			.origin = e->origin,
			.key_len = e->key.len,
			.value_len = e->value_len,
		};

		if (gossip_wire_put_entry(&w, &we))
			break;
		if (--e->hot_left)
			list_move_tail(&e->hot, &sent);
		else
			list_del_init(&e->hot);
	}
	list_splice_tail(&sent, &st->hot);
	spin_unlock_bh(&st->lock);

	return w.count ? gossip_wire_finish(&w) : 0;
}
