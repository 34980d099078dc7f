/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gossip: one instance per network namespace.
 *
 * Locking:
 *  - gossip_net.conf_lock (mutex) serialises every configuration change:
 *    the config fields, up/down, the socket pointers and the peer set. Only
 *    netlink handlers and namespace teardown take it.
 *  - Readers in timer and softirq context (rounds, receive) read the config
 *    with READ_ONCE() and the sockets and peer set under rcu_read_lock_bh().
 *  - gossip_store.lock (spinlock, taken with _bh) guards every write to the
 *    store: the hash table, the entry list, the hot list, the clock, the
 *    count and the generation. Lookups and dumps read under RCU.
 *  - gossip_net.rl_lock (spinlock, _bh) guards the writes to the rate
 *    limiter's slots; the receive path reads them without it.
 *  - The reply credit of each peer (gossip_peer_set.credit) is atomic: no
 *    lock; it lives as long as its set (RCU).
 *  - Counters are per-CPU (stats.c); nothing on the packet path takes a
 *    global lock to count.
 *  - The keys and the label (struct gossip_auth) are replaced as a whole
 *    under conf_lock and read under rcu_read_lock_bh(); the replay windows
 *    are guarded by gossip_net.replay_lock (spinlock, _bh). See auth.c.
 */
#ifndef _GOSSIP_H
#define _GOSSIP_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/hrtimer.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>
#include <linux/gossip.h>

#include "wire.h"

struct sk_buff;
struct genl_info;
struct netlink_ext_ack;

union gossip_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/*
 * The peers, replaced as a whole under conf_lock, read under RCU. In the
 * same allocation, after addr[]: credit[i], the bytes an unauthenticated
 * answer to addr[i] may still take (send.c; atomic, no lock; 0 in a
 * new set), and sorted, the indexes of addr[] in address order (peers.c).
 */
struct gossip_peer_set {
	struct rcu_head rcu;
	u32 count;
	u32 gen;		/* gossip_net.peers_gen when it was made */
	atomic_t *credit;
	u16 *sorted;
	union gossip_sockaddr addr[];
};

/* Authentication: replay windows of GOSSIP_REPLAY_BITS counters, for at
 * most GOSSIP_REPLAY_SENDERS senders; when they are all taken, the least
 * recently seen one gives its place to a new sender once it has been idle
 * for GOSSIP_REPLAY_IDLE_S seconds (see auth.c).
 */
#define GOSSIP_REPLAY_BITS	1024
#define GOSSIP_REPLAY_SENDERS	(2 * GOSSIP_PEERS_MAX)
#define GOSSIP_REPLAY_HASH_BITS	8
#define GOSSIP_REPLAY_IDLE_S	120

struct gossip_auth_key {
	u8 secret[GOSSIP_SECRET_LEN];	/* XChaCha20-Poly1305 key */
	u8 id;
};

/*
 * The keys and the cluster label, replaced as a whole under conf_lock and
 * read under RCU; freed with kfree_sensitive(). keys[0] is the primary,
 * which every datagram is sealed with; received ones are tried with
 * keys[0], then the others in order.
 */
struct gossip_auth {
	struct gossip_auth_key keys[GOSSIP_KEYS_MAX];
	u8 nkeys;
	u8 label_len;
	u8 label[GOSSIP_LABEL_MAX];
};

/* A key, zero-padded so that it hashes and compares as fixed-size bytes. */
struct gossip_key {
	u8 len;
	u8 data[GOSSIP_KEY_MAX];
};

struct gossip_entry {
	struct rhash_head node;		/* store.table */
	struct list_head list;		/* store.all, RCU */
	struct list_head hot;		/* store.hot, under store.lock */
	struct list_head dead;		/* store.tombstones, if a tombstone */
	struct list_head recent;	/* store.recent, while recent */
	struct rb_node by_origin;	/* store.by_origin */
	struct rcu_head rcu;
	u64 version;
	u64 stamp_ns;			/* when this node stored it */
	u32 origin;
	u16 hot_left;			/* rounds it is still pushed */
	u16 value_len;
	u8 flags;			/* GOSSIP_ENTRY_F_* of wire.h */
	struct gossip_key key;
	u8 value[];
};

struct gossip_tomb_acks;		/* store.c */

/*
 * What this node knows of one publisher: it holds every update that origin
 * made up to version `mark`, or a newer entry for the same key. Digests
 * carry the marks; replies raise them.
 */
struct gossip_origin {
	struct rb_node node;		/* store.origins, by id */
	u32 id;
	u64 mark;
	/* Its tombstones (store.c, "tombstones"), under store.lock: */
	u32 tomb_count;			/* tombstones of it held */
	u32 safe_gen;			/* the peer set tomb_safe is of */
	u64 tomb_max;			/* highest version of them stored */
	u64 tomb_safe;			/* every peer of set safe_gen showed a
					 * mark at or above it in a digest
					 */
	struct gossip_tomb_acks *acks;	/* the round of acks going on, or NULL */
};

struct gossip_store {
	spinlock_t lock;		/* guards every write to the store */
	struct rhashtable table;
	struct list_head all;		/* every entry, in insertion order */
	struct list_head hot;		/* entries still pushed, least sent first */
	struct list_head tombstones;	/* oldest first */
	struct list_head recent;	/* stored within the hot window, oldest
					 * first: what replies add for origins
					 * a digest did not cover
					 */
	struct rb_root by_origin;	/* entries by (origin, version) */
	struct rb_root origins;		/* struct gossip_origin by id */
	u64 clock;			/* highest version seen */
	u32 count;			/* entries, tombstones included */
	u32 bytes;			/* of keys and values, what
					 * gossip_net.store_bytes caps
					 */
	size_t mem;			/* allocated for entries and origins */
	u32 tombstone_count;
	u32 acks_count;			/* struct gossip_tomb_acks allocated */
	u32 origin_count;
	u32 stranger_origins;		/* origins strangers created */
	u32 digest_cursor;		/* first origin of the next digest */
	u32 reply_cursor;		/* first origin of the next reply */
	u32 gen;			/* bumped on every change, for dumps */
};

/*
 * The rate limiter of rejected datagrams: a token bucket per slot, a fixed
 * table indexed by a keyed hash of the source address (sources that collide
 * share a bucket), so nothing is allocated for any source. Written under
 * gossip_net.rl_lock, read without it.
 */
#define GOSSIP_RL_SLOTS		256

struct gossip_rl_slot {
	u64 stamp_ns;			/* when tokens was last set */
	u64 tokens;			/* ns of credit, a datagram costs 1 s/rate */
};

/*
 * How late rounds fire (the timer's expiry to the start of the round), in
 * microseconds, log-linear: 0..15 us exactly, then 8 buckets per power of
 * two up to 2^23 us (8.4 s; later rounds count in the last bucket), so a
 * bucket is at most 12.5 % wide. Written only by the round timer (one
 * callback at a time, never concurrent with itself), read without a lock by
 * stats.c; cleared at up while no round runs.
 */
#define GOSSIP_LATE_EXACT	16
#define GOSSIP_LATE_SUB_BITS	3
#define GOSSIP_LATE_TOP_BIT	23
#define GOSSIP_LATE_BUCKETS	(GOSSIP_LATE_EXACT + \
				 (GOSSIP_LATE_TOP_BIT - 4) * \
				 (1 << GOSSIP_LATE_SUB_BITS))

struct gossip_late_hist {
	u32 bucket[GOSSIP_LATE_BUCKETS];
	u32 max_us;
};

struct gossip_pcpu_stats {
	u64_stats_t cnt[__GOSSIP_STATS_A_MAX];
	struct u64_stats_sync syncp;
};

struct gossip_net {
	struct net *net;
	struct mutex conf_lock;	/* serialises configuration changes */

	/* Configuration: written under conf_lock, read with READ_ONCE(). */
	u32 mode;
	u32 fanout;
	u32 interval_ms;
	u32 max_dgram;
	u32 tombstone_ms;
	u32 lockstep;
	u32 eager;		/* forward new entries at once (push, pushpull) */
	u32 node_id;
	u32 store_bytes;	/* cap on gossip_store.bytes */
	u32 reject_rate;	/* rejected datagrams per second per source */
	u32 max_skew_ms;	/* how far ahead of our clock a version may be */
	u16 port;
	bool node_id_set;	/* set by the admin, not derived at up */
	bool running;
	u8 ae_round;		/* push mode: rounds since the last digest */

	struct socket __rcu *sock4;
	struct socket __rcu *sock6;
	struct hrtimer timer;
	struct gossip_peer_set __rcu *peers;
	u32 peers_gen;		/* bumped on every peer change, for dumps */
	u16 hot_budget;		/* rounds a rumor stays hot, set with the peers */
	struct gossip_store store;
	struct gossip_auth __rcu *auth;
	u32 auth_gen;		/* bumped on every key change, for dumps */
	atomic64_t tx_counter;	/* the last counter a datagram was sealed with */
	spinlock_t replay_lock;	/* guards replay, replay_lru, replay_count and
				 * every window in them
				 */
	u32 replay_count;
	struct list_head replay_lru;	/* the windows, least recently seen
					 * first
					 */
	DECLARE_HASHTABLE(replay, GOSSIP_REPLAY_HASH_BITS);
	spinlock_t rl_lock;	/* guards every write to rl */
	siphash_key_t rl_key;
	struct gossip_rl_slot rl[GOSSIP_RL_SLOTS];
	struct gossip_pcpu_stats __percpu *stats;
	struct gossip_late_hist late;	/* round lateness since the last up */
	struct device *dev;	/* /sys/class/gossip/gossip */
};

struct gossip_net *gossip_pernet(struct net *net);

/* stats.c */
int gossip_stats_init(struct gossip_net *gn);
void gossip_stats_free(struct gossip_net *gn);
void gossip_stat_add(struct gossip_net *gn, int idx, u64 val);
void gossip_stat_max(struct gossip_net *gn, int idx, u64 val);
u64 gossip_stat_read(struct gossip_net *gn, int idx);
void gossip_late_record(struct gossip_net *gn, s64 late_ns);
void gossip_late_reset(struct gossip_net *gn);
extern const char *const gossip_stat_names[__GOSSIP_STATS_A_MAX];
int gossip_sysfs_add(struct gossip_net *gn);
void gossip_sysfs_del(struct gossip_net *gn);
int gossip_class_register(void);
void gossip_class_unregister(void);

static inline void gossip_stat_inc(struct gossip_net *gn, int idx)
{
	gossip_stat_add(gn, idx, 1);
}

/* store.c */
enum gossip_put_result {
	GOSSIP_PUT_APPLIED,
	GOSSIP_PUT_DUPLICATE,
	GOSSIP_PUT_FULL,	/* GOSSIP_ENTRIES_MAX entries */
	GOSSIP_PUT_BYTES,	/* store-bytes would be exceeded */
	GOSSIP_PUT_NOMEM,
	GOSSIP_PUT_NOKEY,	/* delete of a key the store does not hold */
	GOSSIP_PUT_FUTURE,	/* version beyond max_skew_ms from now */
	GOSSIP_PUT_ORIGIN,	/* a stranger's new origin, past the cap */
	GOSSIP_PUT_CLOCK,	/* a local publish would wrap the clock */
};

/*
 * The bytes of a push-pull round datagram with a digest of one mark and a
 * maximal entry, header included (store.c checks the sum): max-dgram must
 * hold this plus the label in the clear (1 + its length) or the seal.
 */
#define GOSSIP_ROUND_FIXED	1160

struct gossip_wire_writer;
struct gossip_wire_msg;
struct gossip_wire_mark;

/*
 * The datagrams of one reply to a digest: allocated by send.c before
 * gossip_store_reply() takes the store lock, written by it.
 */
struct gossip_reply_bufs {
	u8 *buf[GOSSIP_REPLY_DGRAMS];
	size_t len[GOSSIP_REPLY_DGRAMS];
	u32 count;
	u32 max;
	u32 over;
};

/* A change put in the store, and what the store made of it. */
struct gossip_update {
	const struct gossip_key *key;
	const u8 *value;
	u16 value_len;
	u8 flags;		/* GOSSIP_ENTRY_F_* */
	u32 origin;		/* in for a received entry, out for a local one */
	u64 version;		/* in; 0: a local change, assigned here */
	u64 stamp_ns;		/* out: when it was stored */
	bool trusted;		/* in: received from a configured peer, or
				 * in a datagram that authenticated
				 */
};

/* Who a received datagram came from, as far as this node can tell. */
struct gossip_rx_src {
	const union gossip_sockaddr *addr;	/* its IP source and UDP port */
	bool peer;		/* addr is a configured peer */
	bool authed;		/* it was sealed with one of our keys */
};

int gossip_store_init(struct gossip_store *st);
void gossip_store_free(struct gossip_store *st);
enum gossip_put_result gossip_store_put(struct gossip_net *gn,
					struct gossip_update *u);
void gossip_update_of(struct gossip_update *u, const struct gossip_entry *e);
struct gossip_entry *gossip_store_lookup(struct gossip_store *st,
					 const struct gossip_key *key);
void gossip_store_write_hot(struct gossip_store *st,
			    struct gossip_wire_writer *w);
void gossip_store_write_digest(struct gossip_store *st,
			       struct gossip_wire_writer *w, size_t budget,
			       bool hot);
void gossip_store_apply_mark(struct gossip_net *gn,
			     const struct gossip_wire_mark *m, bool trusted);
bool gossip_store_dgram_fits(u32 max_dgram, u8 label_len);
bool gossip_store_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
			u64 since, size_t limit, struct gossip_reply_bufs *out);
void gossip_store_collect(struct gossip_net *gn);
void gossip_store_digest_seen(struct gossip_net *gn,
			      const struct gossip_wire_msg *req,
			      const struct gossip_rx_src *src);
size_t gossip_store_mem(struct gossip_store *st);

/* peers.c */
int gossip_peers_change(struct gossip_net *gn, bool add,
			const union gossip_sockaddr *addrs, u32 n, u32 *bad,
			struct netlink_ext_ack *extack);
void gossip_peers_free(struct gossip_net *gn);
u32 gossip_peer_count(struct gossip_net *gn);
bool gossip_peer_known(struct gossip_net *gn,
		       const union gossip_sockaddr *addr);
int gossip_peer_index(struct gossip_net *gn, const union gossip_sockaddr *addr,
		      u32 *gen, u32 *count);
atomic_t *gossip_peer_credit(const struct gossip_peer_set *set,
			     const union gossip_sockaddr *addr);
size_t gossip_peers_mem(struct gossip_net *gn);
u16 gossip_hot_budget(u32 peers);
u32 gossip_pick_peers(const struct gossip_peer_set *set, u32 fanout,
		      u32 *idx);
u32 gossip_pick_peers_except(const struct gossip_peer_set *set, u32 fanout,
			     u32 *idx, const union gossip_sockaddr *skip);

/* socket.c */
int gossip_socket_open(struct gossip_net *gn, struct netlink_ext_ack *extack);
void gossip_socket_close(struct gossip_net *gn);
int gossip_socket_send(struct gossip_net *gn, struct sk_buff *skb,
		       const union gossip_sockaddr *dst);

/* send.c: every datagram sent is built there */
struct gossip_eager {
	struct sk_buff *skb;
	struct gossip_wire_writer w;
	bool failed;
};

void gossip_round_init(struct gossip_net *gn);
void gossip_round_start(struct gossip_net *gn);
void gossip_round_stop(struct gossip_net *gn);
bool gossip_eager_on(struct gossip_net *gn);
void gossip_eager_add(struct gossip_net *gn, struct gossip_eager *f,
		      const struct gossip_wire_entry *we);
void gossip_eager_send(struct gossip_net *gn, struct gossip_eager *f,
		       const union gossip_sockaddr *skip);
void gossip_eager_publish(struct gossip_net *gn, const struct gossip_update *u);
void gossip_credit_add(struct gossip_net *gn, atomic_t *credit, size_t bytes);
void gossip_send_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
		       u64 since, const struct gossip_rx_src *src,
		       atomic_t *credit);

/* receive.c: every datagram received is handled there */
void gossip_rx(struct gossip_net *gn, u8 *buf, size_t len,
	       const union gossip_sockaddr *src);

/* auth.c */
struct gossip_wire_hdr;
int gossip_key_add(struct gossip_net *gn, u8 id, const u8 *secret,
		   struct netlink_ext_ack *extack);
int gossip_key_use(struct gossip_net *gn, u8 id,
		   struct netlink_ext_ack *extack);
int gossip_key_del(struct gossip_net *gn, u8 id,
		   struct netlink_ext_ack *extack);
int gossip_label_set(struct gossip_net *gn, const u8 *label, u8 len);
void gossip_auth_free(struct gossip_net *gn);
void gossip_auth_up(struct gossip_net *gn);
void gossip_replay_free(struct gossip_net *gn);
u32 gossip_dgram_budget(struct gossip_net *gn);
size_t gossip_auth_mem(struct gossip_net *gn);
int gossip_auth_seal(struct gossip_net *gn, struct sk_buff *skb);
int gossip_auth_rx(struct gossip_net *gn, u8 *buf, size_t len,
		   const struct gossip_wire_hdr *h);

/* main.c: the lifecycle of an instance */
int gossip_up(struct gossip_net *gn, struct netlink_ext_ack *extack);
void gossip_down(struct gossip_net *gn);

/* netlink.c */
int gossip_genl_register(void);
void gossip_genl_unregister(void);
void gossip_notify_entry(struct gossip_net *gn, const struct gossip_update *u);

#endif /* _GOSSIP_H */
