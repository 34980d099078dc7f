// SPDX-License-Identifier: GPL-2.0
/*
 * The peer set: an array replaced as a whole under conf_lock (peers change
 * rarely) and read under RCU, so that a round picks its random peers by
 * index in O(fanout), whatever the number of peers. With it, built when it
 * is replaced, an index of the array sorted by address: whether a source
 * is a peer, asked for every datagram received, is a binary search, at most
 * 11 comparisons for GOSSIP_PEERS_MAX peers (2 bytes a peer); and each
 * peer's reply credit (4 bytes, send.c).
 *
 * Each peer's state (struct gossip_peer_state: its counters, what gossipadm
 * peer show prints) is allocated on its own when the peer is added, and
 * the set holds a pointer to it: a new set takes the pointers of the peers
 * that stay, so that their counters go on counting, also the increments
 * made through the old set while readers still hold it; the state of a
 * removed peer is freed after a grace period, the states of the last set
 * with it.
 */
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>

#include "gossip.h"
#include "pick.h"

static bool addr_equal(const union gossip_sockaddr *a,
		       const union gossip_sockaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in4.sin_port == b->in4.sin_port &&
		       a->in4.sin_addr.s_addr == b->in4.sin_addr.s_addr;
	return a->in6.sin6_port == b->in6.sin6_port &&
	       ipv6_addr_equal(&a->in6.sin6_addr, &b->in6.sin6_addr);
}

/* A total order on addresses (family, IP, port), as addr_equal() sees them. */
static int addr_cmp(const union gossip_sockaddr *a,
		    const union gossip_sockaddr *b)
{
	int c;

	if (a->sa.sa_family != b->sa.sa_family)
		return a->sa.sa_family < b->sa.sa_family ? -1 : 1;
	if (a->sa.sa_family == AF_INET) {
		c = memcmp(&a->in4.sin_addr, &b->in4.sin_addr,
			   sizeof(a->in4.sin_addr));
		if (c)
			return c;
		return memcmp(&a->in4.sin_port, &b->in4.sin_port,
			      sizeof(a->in4.sin_port));
	}
	c = memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr,
		   sizeof(a->in6.sin6_addr));
	if (c)
		return c;
	return memcmp(&a->in6.sin6_port, &b->in6.sin6_port,
		      sizeof(a->in6.sin6_port));
}

static struct gossip_peer_set *peers_locked(struct gossip_net *gn)
{
	return rcu_dereference_protected(gn->peers,
					 lockdep_is_held(&gn->conf_lock));
}

/* The index of @addr among the @n addresses of @v, or -1. */
static int addr_index(const union gossip_sockaddr *v, u32 n,
		      const union gossip_sockaddr *addr)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (addr_equal(&v[i], addr))
			return i;
	return -1;
}

/* The index of @addr in @set, or -1: a binary search of set->sorted. */
static int peer_find(const struct gossip_peer_set *set,
		     const union gossip_sockaddr *addr)
{
	u32 lo = 0, hi = set ? set->count : 0, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = addr_cmp(addr, &set->addr[set->sorted[mid]]);
		if (!c)
			return set->sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/*
 * Bytes of a set of @count peers: addr[], state[] (aligned for a pointer),
 * credit[], the sorted index, in that order.
 */
static size_t set_size(u32 count)
{
	struct gossip_peer_set *set;

	return size_add(struct_size(set, addr, count) + sizeof(void *),
			array_size(count, sizeof(*set->state) +
					  sizeof(*set->credit) +
					  sizeof(*set->sorted)));
}

/* Bytes of the state of @count peers, as allocated. */
static size_t state_size(u32 count)
{
	return array_size(count,
			  kmalloc_size_roundup(sizeof(struct gossip_peer_state)));
}

static int sorted_cmp(const void *a, const void *b, const void *priv)
{
	const struct gossip_peer_set *set = priv;

	return addr_cmp(&set->addr[*(const u16 *)a],
			&set->addr[*(const u16 *)b]);
}

/* Bytes of the peer set (arrays: the same per peer at any size). */
size_t gossip_peers_mem(struct gossip_net *gn)
{
	struct gossip_peer_set *set;
	size_t mem = 0;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	if (set)
		mem = set_size(set->count) + state_size(set->count);
	rcu_read_unlock_bh();
	return mem;
}

/* Rounds a rumor stays hot: GOSSIP_RETRANSMIT_MULT * ceil(log10(n + 1)). */
#define GOSSIP_RETRANSMIT_MULT	4

/* The hot budget for @peers peers (n = peers + 1 nodes). */
u16 gossip_hot_budget(u32 peers)
{
	u32 nodes = peers + 1, pow = 1;
	u16 digits = 0;

	while (pow < nodes + 1) {
		pow *= 10;
		digits++;
	}
	return GOSSIP_RETRANSMIT_MULT * digits;
}

/*
 * Publish a copy of the current set less the @ndel addresses of @del (each
 * one in it) and with the @nadd of @add (none in it) at its end; no set at
 * all when that leaves it empty, as at creation. The order of the peers
 * left is kept, so that a dump reads them in the order they were added.
 */
static int peers_replace(struct gossip_net *gn,
			 const union gossip_sockaddr *del, u32 ndel,
			 const union gossip_sockaddr *add, u32 nadd)
{
	struct gossip_peer_set *old = peers_locked(gn), *set = NULL;
	u32 i, n = 0, old_count = old ? old->count : 0;
	u32 count = old_count - ndel + nadd;

	BUILD_BUG_ON(GOSSIP_PEERS_MAX - 1 > U16_MAX);	/* set->sorted */
	if (count) {
		/* Charged to the memory cgroup of the admin who asked. */
		set = kvmalloc(set_size(count), GFP_KERNEL_ACCOUNT);
		if (!set)
			return -ENOMEM;
		set->state = PTR_ALIGN((void *)&set->addr[count],
				       sizeof(void *));
		for (i = 0; i < nadd; i++) {
			set->state[count - nadd + i] =
				kzalloc(sizeof(**set->state),
					GFP_KERNEL_ACCOUNT);
			if (!set->state[count - nadd + i]) {
				while (i--)
					kfree(set->state[count - nadd + i]);
				kvfree(set);
				return -ENOMEM;
			}
		}
		for (i = 0; i < old_count; i++) {
			if (addr_index(del, ndel, &old->addr[i]) >= 0)
				continue;
			set->state[n] = old->state[i];	/* it stays */
			set->addr[n++] = old->addr[i];
		}
		if (nadd)
			memcpy(&set->addr[n], add, nadd * sizeof(*add));
		set->count = n + nadd;
		set->gen = gn->peers_gen + 1;
		set->credit = (atomic_t *)&set->state[set->count];
		set->sorted = (u16 *)&set->credit[set->count];
		for (i = 0; i < set->count; i++) {
			atomic_set(&set->credit[i], 0);
			set->sorted[i] = i;
		}
		sort_r(set->sorted, set->count, sizeof(*set->sorted),
		       sorted_cmp, NULL, set);
	}
	rcu_assign_pointer(gn->peers, set);
	WRITE_ONCE(gn->peers_gen, gn->peers_gen + 1);
	WRITE_ONCE(gn->hot_budget, gossip_hot_budget(count));
	/* The removed peers' state: readers of @old may still count in it. */
	for (i = 0; i < old_count; i++)
		if (addr_index(del, ndel, &old->addr[i]) >= 0)
			kfree_rcu(old->state[i], rcu);
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

/* -EINVAL, with *@bad its index, if an address of @v is there twice. */
static int listed_twice(const union gossip_sockaddr *v, u32 n, u32 *bad,
			struct netlink_ext_ack *extack)
{
	u32 i;

	for (i = 1; i < n; i++) {
		if (addr_index(v, i, &v[i]) >= 0) {
			*bad = i;
			NL_SET_ERR_MSG_MOD(extack, "peer listed twice");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Add (@add) or remove the @n peers of @addrs, all of them or (an error,
 * and *@bad the index of the address refused, or @n for the request as a
 * whole) none: each must be absent to be added, present to be removed.
 */
int gossip_peers_change(struct gossip_net *gn, bool add,
			const union gossip_sockaddr *addrs, u32 n, u32 *bad,
			struct netlink_ext_ack *extack)
{
	struct gossip_peer_set *set;
	u32 i;
	int err;

	lockdep_assert_held(&gn->conf_lock);
	set = peers_locked(gn);
	*bad = n;
	err = listed_twice(addrs, n, bad, extack);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if ((peer_find(set, &addrs[i]) >= 0) != add)
			continue;
		*bad = i;
		if (add) {
			NL_SET_ERR_MSG_MOD(extack, "peer already exists");
			return -EEXIST;
		}
		NL_SET_ERR_MSG_MOD(extack, "no such peer");
		return -ENOENT;
	}
	if (add && (set ? set->count : 0) + n > GOSSIP_PEERS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "peer table is full ("
				   __stringify(GOSSIP_PEERS_MAX) " peers)");
		return -ENOSPC;
	}
	err = add ? peers_replace(gn, NULL, 0, addrs, n) :
		    peers_replace(gn, addrs, n, NULL, 0);
	for (i = 0; !err && i < n; i++)
		pr_debug("peer %pISpc %s in netns %u\n", &addrs[i].sa,
			 add ? "created" : "destroyed", gn->net->ns.inum);
	return err;
}

/* The namespace is going away: no reader is left. */
void gossip_peers_free(struct gossip_net *gn)
{
	struct gossip_peer_set *set = rcu_dereference_protected(gn->peers, 1);
	u32 i;

	for (i = 0; set && i < set->count; i++) {
		pr_debug("peer %pISpc destroyed in netns %u\n",
			 &set->addr[i].sa, gn->net->ns.inum);
		kfree(set->state[i]);
	}
	RCU_INIT_POINTER(gn->peers, NULL);
	kvfree(set);
}

u32 gossip_peer_count(struct gossip_net *gn)
{
	struct gossip_peer_set *set;
	u32 n;

	rcu_read_lock();
	set = rcu_dereference(gn->peers);
	n = set ? set->count : 0;
	rcu_read_unlock();
	return n;
}

/*
 * Whether @addr (IP and port) is a configured peer. Any context; O(log n),
 * asked for every datagram received.
 */
bool gossip_peer_known(struct gossip_net *gn,
		       const union gossip_sockaddr *addr)
{
	bool known;

	rcu_read_lock_bh();
	known = peer_find(rcu_dereference_bh(gn->peers), addr) >= 0;
	rcu_read_unlock_bh();
	return known;
}

/*
 * The index of @addr in the current peer set, or -1; *@gen and *@count:
 * that set's generation and size, which the index is only valid with.
 */
int gossip_peer_index(struct gossip_net *gn, const union gossip_sockaddr *addr,
		      u32 *gen, u32 *count)
{
	struct gossip_peer_set *set;
	int idx;

	rcu_read_lock_bh();
	set = rcu_dereference_bh(gn->peers);
	idx = peer_find(set, addr);
	*gen = set ? set->gen : 0;
	*count = set ? set->count : 0;
	rcu_read_unlock_bh();
	return idx;
}

/*
 * The index of @addr in @set (may be NULL), or -1: its credit and state
 * are set->credit[i] and set->state[i], for as long as the caller holds
 * rcu_read_lock_bh().
 */
int gossip_peer_find(const struct gossip_peer_set *set,
		     const union gossip_sockaddr *addr)
{
	return peer_find(set, addr);
}

/*
 * Choose min(fanout, count) distinct peers of @set uniformly at random
 * (pick.c) and write their indexes to @idx.
 */
u32 gossip_pick_peers(const struct gossip_peer_set *set, u32 fanout, u32 *idx)
{
	return gossip_pick(set ? set->count : 0, fanout, idx);
}

/*
 * Like gossip_pick_peers(), leaving out the peer at @skip (where a datagram
 * came from) if it is one: min(fanout, the other peers) peers. @idx has
 * room for fanout + 1. Uniform over the other peers, in O(fanout): draw
 * fanout + 1; if @skip is among them drop it, else drop one at random.
 */
u32 gossip_pick_peers_except(const struct gossip_peer_set *set, u32 fanout,
			     u32 *idx, const union gossip_sockaddr *skip)
{
	int i;

	if (!skip)
		return gossip_pick_peers(set, fanout, idx);
	i = peer_find(set, skip);
	return gossip_pick_except(set ? set->count : 0, fanout, idx,
				  i < 0 ? GOSSIP_PICK_NONE : i);
}
