// SPDX-License-Identifier: GPL-2.0
/*
 * Replay protection of authenticated datagrams.
 *
 * Replay: the sender's counter, which the AAD covers with its node id, goes
 * through a sliding window per sender (RFC 6479, as WireGuard's counter.c):
 * the highest counter seen and a ring of GOSSIP_REPLAY_BITS bits. The
 * senders live in a hash table of at most GOSSIP_REPLAY_SENDERS entries,
 * created only for a datagram that authenticated, and on a list from the
 * least to the most recently seen; gossip_net.replay_lock (a spinlock,
 * taken in softirq) guards both and every window, so the check and the
 * update of one counter are one step. The windows live as long as a key
 * does: down and up keep them (a datagram captured before a down is still
 * refused after the up); they go with the last key and with the namespace.
 *
 * Ageing: a new sender that finds the table full takes the place of the
 * least recently seen one if that one sent nothing new for
 * GOSSIP_REPLAY_IDLE_S seconds (counted in replay_evicted), else it is
 * dropped (rx_err_nomem) until one is idle. A node that does not hear from
 * a live sender for two minutes is unusual (one datagram per round per
 * peer picked, rounds of 200 ms by default), and an eviction costs little:
 * without a window, the evicted sender's old datagrams pass the window once
 * more each (the next of its datagrams starts a new one). What they carry
 * is idempotent and old: entries lose against the newer versions stored,
 * marks only ever rise, and a digest is answered only to configured peers.
 * A bound much shorter would let node-id churn (or an attacker replaying
 * datagrams of many past senders) evict live senders all the time; much
 * longer would lock new nodes out for as long after churn filled the table.
 *
 * The window (first part) needs only bit operations: selftests/unit builds
 * it in userspace against a shim. The table (second part) is the kernel's.
 */
#include <linux/bitops.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>

#include "replay.h"

#define REPLAY_WORDS	(GOSSIP_REPLAY_BITS / BITS_PER_LONG)
#define REPLAY_WINDOW	(GOSSIP_REPLAY_BITS - BITS_PER_LONG)

/*
 * Whether @counter is too close to the end of the counter space to be
 * accepted, whatever the window: the window's arithmetic never wraps.
 */
bool gossip_replay_exhausted(u64 counter)
{
	return counter >= U64_MAX - GOSSIP_REPLAY_BITS;
}

/*
 * RFC 6479: true if @counter is new and inside the window; mark it seen.
 * @counter is not exhausted (above). Under the caller's lock.
 */
bool gossip_replay_window(struct gossip_replay *r, u64 counter)
{
	u64 index, cur, top, i;

	counter++;	/* top is the highest counter plus one; 0 is none */
	if (counter + REPLAY_WINDOW < r->top)
		return false;	/* older than the window */
	index = counter >> ilog2(BITS_PER_LONG);
	if (counter > r->top) {
		cur = r->top >> ilog2(BITS_PER_LONG);
		top = min_t(u64, index - cur, REPLAY_WORDS);
		for (i = 1; i <= top; i++)
			r->bits[(cur + i) & (REPLAY_WORDS - 1)] = 0;
		r->top = counter;
	}
	return !__test_and_set_bit(counter & (BITS_PER_LONG - 1),
				   &r->bits[index & (REPLAY_WORDS - 1)]);
}

#ifdef __KERNEL__
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "gossip.h"

static struct gossip_replay *replay_find(struct gossip_net *gn, u32 sender)
{
	struct gossip_replay *r;

	hash_for_each_possible(gn->replay, r, node, sender)
		if (r->sender == sender)
			return r;
	return NULL;
}

/*
 * A window for new sender @sender: a new one while the table has room,
 * else the least recently seen, emptied, if it is idle. Under replay_lock.
 */
static struct gossip_replay *replay_new(struct gossip_net *gn, u32 sender)
{
	struct gossip_replay *r;

	lockdep_assert_held(&gn->replay_lock);
	if (gn->replay_count < GOSSIP_REPLAY_SENDERS) {
		r = gossip_net_alloc(gn, sizeof(*r), 0);
		if (!r)
			return NULL;
		gn->replay_count++;
	} else {
		r = list_first_entry(&gn->replay_lru, struct gossip_replay,
				     lru);
		if (time_before(jiffies,
				r->seen + GOSSIP_REPLAY_IDLE_S * HZ))
			return NULL;
		hash_del(&r->node);
		list_del(&r->lru);
		gossip_stat_inc(gn, GOSSIP_STATS_A_REPLAY_EVICTED);
	}
	memset(r, 0, sizeof(*r));
	r->sender = sender;
	hash_add(gn->replay, &r->node, sender);
	list_add_tail(&r->lru, &gn->replay_lru);
	return r;
}

/* 0 if @counter of @sender is fresh, else the counter to count the drop. */
int gossip_replay_check(struct gossip_net *gn, u32 sender, u64 counter)
{
	struct gossip_replay *r;
	int ret = 0;

	if (gossip_replay_exhausted(counter))
		return GOSSIP_STATS_A_RX_ERR_REPLAY;
	spin_lock_bh(&gn->replay_lock);
	r = replay_find(gn, sender) ?: replay_new(gn, sender);
	if (!r) {
		ret = GOSSIP_STATS_A_RX_ERR_NOMEM;
	} else if (!gossip_replay_window(r, counter)) {
		ret = GOSSIP_STATS_A_RX_ERR_REPLAY;
	} else {
		/* Seen: only a new counter, a replay does not keep it. */
		r->seen = jiffies;
		list_move_tail(&r->lru, &gn->replay_lru);
	}
	spin_unlock_bh(&gn->replay_lock);
	return ret;
}

/*
 * Forget every sender's window: when the last key goes, at exit. Not at
 * down: a datagram captured before a down must still be refused after the
 * up.
 */
void gossip_replay_free(struct gossip_net *gn)
{
	struct gossip_replay *r, *tmp;

	spin_lock_bh(&gn->replay_lock);
	list_for_each_entry_safe(r, tmp, &gn->replay_lru, lru) {
		hash_del(&r->node);
		list_del(&r->lru);
		kfree(r);
	}
	gn->replay_count = 0;
	spin_unlock_bh(&gn->replay_lock);
}
#endif /* __KERNEL__ */
