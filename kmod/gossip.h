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
 *    are guarded by gossip_net.replay_lock (spinlock, _bh). See replay.c.
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

/*
 * Internal limits and defaults: not ABI, so not in the uapi header (until
 * the family's version 2 they were).
 */
#define GOSSIP_ENTRIES_MAX	65536	/* entries in one instance's store */
#define GOSSIP_ORIGINS_MAX	65536	/* publishers one store tracks */
#define GOSSIP_REPLY_DGRAMS	8	/* datagrams a reply may take */
#define GOSSIP_AE_ROUNDS	8	/* push mode: a digest every 8 rounds */

#include "late.h"
#include "ratelimit.h"
#include "replay.h"
#include "rtt.h"
#include "wire.h"

struct mem_cgroup;
struct sk_buff;
struct genl_info;
struct netlink_ext_ack;

/**
 * union gossip_sockaddr - an IPv4 or IPv6 address and UDP port
 * @sa: the family
 * @in4: AF_INET
 * @in6: AF_INET6
 *
 * A value: it is guarded by what holds it.
 */
union gossip_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/**
 * struct gossip_peer_state - what this node saw of one configured peer
 * @rcu: frees it after a grace period, once no set holds it
 * @rx_dgrams: datagrams from its address (IP and port) received while up,
 *	valid or not
 * @rx_bytes: their UDP payload bytes
 * @tx_dgrams: datagrams sent to it (every kind: rounds, eager, replies)
 * @tx_bytes: their UDP payload bytes, as sent (sealed or labelled)
 * @auth_fails: datagrams from its address that failed authentication:
 *	sealed and no key of ours opens them, unsealed while we have keys,
 *	or replayed
 * @last_rx_ns: CLOCK_MONOTONIC ns of the last datagram from it that
 *	passed every check (header, authentication, parse); 0: none yet
 * @sum_tx_ns: CLOCK_MONOTONIC ns of our last summary to it (send.c,
 *	"quiet": at most one an interval in answer to its summaries)
 * @answer: GOSSIP_PEER_ASKED when our last digest to it has had no reply
 *	datagram from it yet, GOSSIP_PEER_ANSWERED when one came after it,
 *	0 before our first digest to it
 * @announced: bytes of the values this node announced to it of its own
 *	accord (send.c, "lazy push"): an IWANT from its address may take
 *	them beyond the reply credit, a digest's or summary's answer may
 *	not (an attacker forging its address must not spend them on
 *	answers it would not have had); at most GOSSIP_REPLY_DGRAMS
 *	datagrams
 * @acks_asked: its summaries that asked for acks and differed from ours:
 *	every other one is answered with a digest from its origin on, the
 *	others from the origins' turn (send.c, round_summary())
 * @tree: 1 when it is a link of the eager tree (send.c, "the eager
 *	tree"): what is new to this node is pushed to it at once, values
 *	and all; set by a TREE that brought news or an IWANT either way,
 *	cleared by a PRUNE either way
 *
 * Allocated when the peer is added, carried from set to set while it stays
 * configured (peers.c), freed after a grace period when it is removed or
 * with the last set. Every field is atomic and updated on the packet path
 * without a lock (a counter may be a datagram ahead of another when read);
 * read under rcu_read_lock_bh() or rcu_read_lock() through a set.
 */
struct gossip_peer_state {
	struct rcu_head rcu;
	atomic64_t rx_dgrams;
	atomic64_t rx_bytes;
	atomic64_t tx_dgrams;
	atomic64_t tx_bytes;
	atomic64_t auth_fails;
	atomic64_t last_rx_ns;
	atomic64_t sum_tx_ns;
	atomic_t answer;
	atomic_t announced;
	atomic_t acks_asked;
	atomic_t tree;
};

#define GOSSIP_PEER_ASKED	1
#define GOSSIP_PEER_ANSWERED	2

/**
 * struct gossip_peer_set - the configured peers
 * @rcu: frees it after a grace period
 * @count: peers in @addr
 * @gen: gossip_net.peers_gen when it was made
 * @credit: in the same allocation, after @addr: credit[i], the bytes an
 *	unauthenticated answer to addr[i] may still take (send.c); atomic,
 *	no lock; 0 in a new set
 * @sorted: in the same allocation: the indexes of @addr in address order
 *	(peers.c)
 * @state: in the same allocation: state[i], addr[i]'s counters; the
 *	pointers are written once, the state they point to is atomic (struct
 *	gossip_peer_state) and outlives the set while the peer stays
 * @addr: the peers' addresses and ports
 *
 * Replaced as a whole under gossip_net.conf_lock and read under
 * rcu_read_lock_bh(); every field but the @credit counters and what
 * @state points to is written once, before the set is published.
 */
struct gossip_peer_set {
	struct rcu_head rcu;
	u32 count;
	u32 gen;
	atomic_t *credit;
	u16 *sorted;
	struct gossip_peer_state **state;
	union gossip_sockaddr addr[];
};

/**
 * struct gossip_auth_key - an authentication key
 * @secret: the XChaCha20-Poly1305 key
 * @id: the admin's name for it
 *
 * Part of struct gossip_auth, written once before it is published.
 */
struct gossip_auth_key {
	u8 secret[GOSSIP_SECRET_LEN];
	u8 id;
};

/**
 * struct gossip_auth - the keys and the cluster label of an instance
 * @keys: keys[0] is the primary, which every datagram is sealed with;
 *	received ones are tried with keys[0], then the others in order
 * @nkeys: keys in @keys
 * @label_len: bytes of @label, 0 for none
 * @label: the cluster label
 *
 * Replaced as a whole under gossip_net.conf_lock (every field written
 * once, before it is published) and read under rcu_read_lock_bh(); freed
 * with kfree_sensitive().
 */
struct gossip_auth {
	struct gossip_auth_key keys[GOSSIP_AUTHKEYS_MAX];
	u8 nkeys;
	u8 label_len;
	u8 label[GOSSIP_LABEL_MAX];
};

/**
 * struct gossip_key - a key of the store
 * @len: bytes of @data, 1..GOSSIP_KEY_MAX
 * @data: the key, zero-padded so that it hashes and compares as
 *	fixed-size bytes
 *
 * In an entry, written once before the entry is linked; else a value on
 * its user's stack.
 */
struct gossip_key {
	u8 len;
	u8 data[GOSSIP_KEY_MAX];
};

/**
 * struct gossip_entry - a value (or a tombstone) of the store
 * @node: in gossip_store.table: written under gossip_store.lock, looked
 *	up under RCU
 * @list: in gossip_store.all: written under gossip_store.lock, walked
 *	under RCU
 * @hot: in gossip_store.hot while it is pushed; gossip_store.lock
 * @dead: in gossip_store.tombstones if a tombstone; gossip_store.lock
 * @recent: in gossip_store.recent while recent; gossip_store.lock
 * @by_origin: in gossip_store.by_origin; gossip_store.lock
 * @rcu: frees it after a grace period
 * @version: its version
 * @stamp_ns: when this node stored it
 * @origin: node id of its publisher
 * @hot_left: rounds it is still pushed; gossip_store.lock
 * @value_len: bytes of @value
 * @flags: GOSSIP_ENTRY_F_* of wire.h, and GOSSIP_ENTRY_F_OWN
 * @key: its key
 * @value: its value
 *
 * An entry never changes once linked: a new version is a new entry, put
 * in its place. Fields without a lock named are written once, before the
 * entry is linked, and read under RCU or gossip_store.lock.
 */
struct gossip_entry {
	struct rhash_head node;
	struct list_head list;
	struct list_head hot;
	struct list_head dead;
	struct list_head recent;
	struct rb_node by_origin;
	struct rcu_head rcu;
	u64 version;
	u64 stamp_ns;
	u32 origin;
	u16 hot_left;
	u16 value_len;
	u8 flags;
	struct gossip_key key;
	u8 value[];
};

/*
 * Published locally in this life of the store's own origin (store.c,
 * "incarnation"); never on the wire: wire.h's flags are below it.
 */
#define GOSSIP_ENTRY_F_OWN	0x80

/*
 * Fetched: came in a PUSH from a configured peer: with eager on, the
 * answer to an IWANT or GRAFT (with eager off, a round's push, which no
 * TREE follows). The first TREE that brings it again lost a race with an
 * announcement's answer and is kept as a link, and clears the flag (store.c,
 * fetched_take()): the only change to an entry's flags once it is linked;
 * a later TREE of it, or one that brings again what came any other way
 * (down another link, by anti-entropy, published here), came over a second
 * path and is pruned (send.c, "the eager tree"). Never on the wire.
 */
#define GOSSIP_ENTRY_F_FETCHED	0x40

struct gossip_tomb_acks;		/* store.c */

/**
 * struct gossip_origin - what this node knows of one publisher
 * @node: in gossip_store.origins, by @id
 * @id: the publisher's node id; written once, before it is linked
 * @mark: this node holds every update the origin made up to this
 *	version, or a newer entry for the same key. Digests carry the
 *	marks; replies raise them.
 * @all_hash: the XOR of the summary hash of each of its entries the store
 *	holds, tombstones too: what a digest's MARK from 0 says (store.c,
 *	above_hash())
 * @tomb_count: its tombstones the store holds (store.c, "tombstones")
 * @safe_gen: the peer set @tomb_safe is of
 * @tomb_max: the highest version of its tombstones stored
 * @tomb_safe: every peer of set @safe_gen showed a mark at or above it in
 *	a digest
 * @acks: the round of acks going on, or NULL
 *
 * Every field is guarded by gossip_store.lock. Origins are never freed
 * before the store.
 */
struct gossip_origin {
	struct rb_node node;
	u32 id;
	u64 mark;
	u64 all_hash;
	u32 tomb_count;
	u32 safe_gen;
	u64 tomb_max;
	u64 tomb_safe;
	struct gossip_tomb_acks *acks;
};

/**
 * struct gossip_store - the key/value store of an instance (store.c)
 * @lock: a spinlock, taken with _bh; guards every write to the store, and
 *	every field below but where another rule is named
 * @table: the entries by key; looked up under RCU
 * @all: every entry, in insertion order; walked under RCU (dumps)
 * @hot: entries still pushed, least sent first
 * @tombstones: the tombstones, oldest first
 * @recent: entries stored within the hot window, oldest first: what
 *	replies add for origins a digest did not cover
 * @by_origin: the entries by (origin, version)
 * @origins: struct gossip_origin by id
 * @clock: the highest version seen
 * @count: entries, tombstones included
 * @bytes: of keys and values, what gossip_net.store_bytes caps
 * @mem: bytes allocated for entries and origins; read without the lock
 * @tombstone_count: tombstones held; read without the lock
 * @acks_count: struct gossip_tomb_acks allocated
 * @origin_count: origins held
 * @stranger_origins: origins strangers created
 * @digest_cursor: the first origin of the next digest
 * @reply_cursor: the first origin of the next reply
 * @own_id: the node id this node last published as: the origin whose
 *	life on this store the @own_* fields follow (store.c, "incarnation")
 * @own_wait: this life's mark for @own_id does not yet cover what it
 *	published: its peers have not all shown it holds its earlier life
 * @own_born_ns: CLOCK_MONOTONIC ns of the life's first publish
 * @own_max: the highest version published while @own_wait
 * @own_acks: while @own_wait, the peers that acked, or NULL
 * @own_top: the highest version of @own_id seen: its entries received,
 *	the marks for it of peers' digests and of MARKs
 * @own_done: this life's entries at or below it were published again
 *	above @own_top; all are above it once it reaches @own_top
 * @gen: bumped on every change; read without the lock by dumps
 * @sum_hash: the summary: the XOR of a hash of each live entry and of each
 *	origin's mark above 0 (store.c, "the summary")
 * @sum_first: the XOR of the hashes of the first mark each origin got (from
 *	0): left out of what keeps the rounds hot (send.c, "quiet")
 * @sum_entries: the live entries
 * @sum_origins: the origins with a mark above 0
 */
struct gossip_store {
	spinlock_t lock;		/* guards the store */
	struct rhashtable table;
	struct list_head all;
	struct list_head hot;
	struct list_head tombstones;
	struct list_head recent;
	struct rb_root by_origin;
	struct rb_root origins;
	u64 clock;
	u32 count;
	u32 bytes;
	size_t mem;
	u32 tombstone_count;
	u32 acks_count;
	u32 origin_count;
	u32 stranger_origins;
	u32 digest_cursor;
	u32 reply_cursor;
	u32 own_id;
	bool own_wait;
	u64 own_born_ns;
	u64 own_max;
	struct gossip_tomb_acks *own_acks;
	u64 own_top;
	u64 own_done;
	u32 gen;
	u64 sum_hash;
	u64 sum_first;
	u32 sum_entries;
	u32 sum_origins;
};

/**
 * struct gossip_pcpu_stats - one CPU's counters (stats.c)
 * @cnt: the counters, by GOSSIP_STATS_A_*
 * @syncp: u64_stats_sync of @cnt: written by this CPU only, read by any
 */
struct gossip_pcpu_stats {
	u64_stats_t cnt[__GOSSIP_STATS_A_MAX];
	struct u64_stats_sync syncp;
};

/* Slots of the table of entries asked for (send.c, "lazy push"). */
#define GOSSIP_WANTS	64

/*
 * The eager tree (send.c): IHAVEs that wait for its pushes (one more is
 * sent at once); a node asks to join the tree (GRAFT) while it has fewer
 * links than GOSSIP_TREE_WANT, and takes a peer's GRAFT while it has fewer
 * than GOSSIP_TREE_LINKS.
 */
#define GOSSIP_LAZY_MAX		8
#define GOSSIP_TREE_WANT	8
#define GOSSIP_TREE_LINKS	8
#define GOSSIP_TREE_STORM	16	/* entries a round: no graft then */

/**
 * struct gossip_want - an announced entry this node asked a peer for
 * @hash: a hash of its key
 * @origin: the origin asked for
 * @version: the version asked for
 * @at_ns: when (CLOCK_MONOTONIC); 0: the slot is free. While @waiting:
 *	when it was announced
 * @ann_ns: when an announcement said the sender's tree was bringing it
 *	(GOSSIP_REF_F_TREE) and this node had a link; 0: none. Kept after the
 *	answer until the tree's push comes, for the time that push took
 *	(send.c, "Waiting for the tree")
 * @from: the peer asked, as gossip_rx_src.who; while @waiting, the one to
 *	ask
 * @alt: another peer that announced the same entry since, or 0: asked in
 *	turn if the answer is late (send.c, want_retry())
 * @value_len: the value's length the REF announced
 * @flags: the REF's flags
 * @waiting: not asked yet: the tree may bring it (send.c, "Waiting for the
 *	tree"); asked once tree_wait() has passed since @at_ns
 * @key: the key, to ask for it again
 */
struct gossip_want {
	u32 hash;
	u32 origin;
	u64 version;
	u64 at_ns;
	u64 ann_ns;
	u64 from;
	u64 alt;
	u16 value_len;
	u8 flags;
	bool waiting;
	struct gossip_key key;
};

/**
 * struct gossip_eager - the datagram of what is forwarded at once
 * @skb: the datagram, allocated on first use
 * @w: its writer
 * @refs: it is an IHAVE (send.c, "lazy push"), not a PUSH
 * @failed: no memory for it: the rounds will send the entries
 * @tree: with @refs, the TREE of the same entries with their values, for
 *	the eager tree's links (send.c, "the eager tree"); NULL when none
 *	was needed or no memory was left for it
 * @tw: its writer
 * @no_tree: announce only (at once): the entries came by anti-entropy (a
 *	digest or its answer), not down the tree or asked for, and the tree's
 *	links most likely hold them already; or no memory was left for @tree
 * @late: the entries came in answer to an IWANT: @tree carries them with
 *	GOSSIP_ENTRY_F_LATE
 *
 * On its caller's stack, for one received datagram or publish: no lock;
 * or gossip_net.burst, under its burst_lock.
 */
struct gossip_eager {
	struct sk_buff *skb;
	struct gossip_wire_writer w;
	struct sk_buff *tree;
	struct gossip_wire_writer tw;
	bool no_tree;
	bool late;
	bool refs;
	bool failed;
};

/**
 * struct gossip_lazy - an IHAVE that waits for the eager tree's pushes
 * @skb: the IHAVE
 * @skip: the peer it is not sent to (the entries came from it); family
 *	0: none
 */
struct gossip_lazy {
	struct sk_buff *skb;
	union gossip_sockaddr skip;
};

/**
 * struct gossip_net - the gossip instance of a network namespace
 * @net: its namespace; written once at init
 * @conf_lock: a mutex; serialises configuration changes (netlink, up,
 *	down, namespace teardown)
 * @mode: GOSSIP_MODE_*
 * @fanout: peers each round datagram goes to
 * @interval_ms: between rounds
 * @max_dgram: bytes of UDP payload a datagram may take, sent or received
 * @tombstone_ms: how long a tombstone lives at least
 * @lockstep: rounds on multiples of the interval
 * @eager: forward new entries at once (push, pushpull)
 * @node_id: this node's id, the origin of its publishes
 * @store_bytes: cap on gossip_store.bytes
 * @reject_rate: rejected datagrams per second per source
 * @max_skew_ms: how far ahead of our clock a version may be
 * @port: the UDP port
 * @node_id_set: @node_id was set by the admin, not derived at up
 * @running: the instance is up
 * @ae_round: push mode: rounds since the last digest; only the round
 *	timer
 * @sum_round: quiet: rounds since the last summary; only the round timer
 * @quiet: rounds in a row in which nothing changed (send.c, "quiet");
 *	written by the round timer, read with READ_ONCE()
 * @quiet_hash: the summary's changes (gossip_store_summary()) at the last
 *	round; only the round timer
 * @news_left: rounds left in which this node's digests carry
 *	GOSSIP_RANGE_F_NEWS (its store changed within a hot window);
 *	written by the round timer, read with READ_ONCE()
 * @wake: set by the receive path when a peer's digest said it has news,
 *	cleared by the next round; atomic
 * @want_lock: a spinlock, taken with _bh; guards @wants, @want_rtt,
 *	@tree_lag and @want_armed; taken before gossip_store.lock, never
 *	after it
 * @wants: the announced entries this node asked a peer for lately
 *	(send.c, "lazy push"), a slot per key hash
 * @want_rtt: how long IWANTs' answers take: their average and mean
 *	deviation (rtt.h; send.c, want_wait())
 * @tree_lag: how long after its announcement the tree's push of an entry
 *	came, when the announcement came first (rtt.h; send.c, tree_wait())
 * @want_armed: @want_timer is started (for the earliest entry due)
 * @want_timer: asks for what waited for the tree in vain, and another
 *	peer for what was asked and not answered (send.c, want_retry());
 *	started under @want_lock while @running, cancelled under @conf_lock
 *	once @running is false
 * @owed: bytes this node pays ahead (send.c, "paying ahead"): the answers
 *	to its digests that stopped short for want of credit; atomic
 * @owed_to: the peer the last of them came from: the generation of the
 *	peer set (its @gen) in the high 32 bits, its index + 1 in the low;
 *	0 for none; atomic
 * @sock4: the IPv4 socket; published under @conf_lock, read under
 *	rcu_read_lock_bh()
 * @sock6: the IPv6 socket, or NULL; as @sock4
 * @timer: the round timer; started and cancelled under @conf_lock
 * @burst_lock: a spinlock, taken with BH disabled; guards @burst,
 *	@burst_next, @burst_armed, @lazy and @lazy_armed
 * @burst: the announcement of the publishes that came too soon after the
 *	last one (send.c, "a burst of publishes"), or no @burst.skb
 * @burst_next: ktime_get_ns() before which a publish joins @burst
 * @burst_armed: @burst_timer is started and has not yet taken @burst
 * @burst_timer: sends @burst; started under @burst_lock, cancelled
 *	under @conf_lock once @running is false
 * @lazy: IHAVEs of entries pushed along the eager tree, waiting for
 *	@lazy_timer (send.c, "the eager tree"); under @burst_lock
 * @lazy_len: how many of @lazy are waiting
 * @lazy_armed: @lazy_timer is started and has not yet taken @lazy
 * @lazy_timer: sends @lazy; started under @burst_lock while @running,
 *	cancelled under @conf_lock once @running is false
 * @graft_ns: ktime_get_ns() of the last GRAFT sent (send.c, tree_want())
 * @tree_news: entries forwarded since the last round; atomic
 * @tree_storm: the last round saw more than GOSSIP_TREE_STORM of them: no
 *	graft is made (send.c, tree_take()); written by the round timer
 * @peers: the peer set; replaced under @conf_lock, read under
 *	rcu_read_lock_bh()
 * @peers_gen: bumped on every peer change, for dumps; written under
 *	@conf_lock, read with READ_ONCE()
 * @hot_budget: rounds a rumor stays hot, set with the peers; written
 *	under @conf_lock, read with READ_ONCE()
 * @store: the store, under its own lock
 * @memcg: the memory cgroup of whoever brought the instance up, which pays
 *	for what the network makes it keep (store.c, gossip_net_alloc());
 *	taken in gossip_up() under @conf_lock, put at the namespace's end
 * @auth: the keys and label; replaced under @conf_lock, read under
 *	rcu_read_lock_bh()
 * @auth_gen: bumped on every key change, for dumps; written under
 *	@conf_lock, read with READ_ONCE()
 * @tx_counter: the last counter a datagram was sealed with; atomic
 * @replay_lock: a spinlock, taken with _bh; guards @replay, @replay_lru,
 *	@replay_count and every window in them (auth.c)
 * @replay_count: the windows allocated; read without the lock for
 *	mem_bytes
 * @replay_lru: the windows, least recently seen first
 * @replay: the windows by sender
 * @rl_lock: a spinlock, taken with _bh; guards every write to @rl
 * @rl_key: the siphash key of the rate limiter; written once at init
 * @rl: the rate limiter's token buckets; read without @rl_lock
 * @stats: the per-CPU counters
 * @late: round lateness since the last up; written only by the round
 *	timer, cleared at up (under @conf_lock) while no round runs
 * @dev: /sys/class/gossip/gossip; written once at init
 * @debugfs: /sys/kernel/debug/gossip/NETNS (late.c), NULL or an error
 *	pointer without debugfs; written at init and exit only
 *
 * @mode .. @running are written under @conf_lock and read with READ_ONCE()
 * by the timer and the packet path.
 */
struct gossip_net {
	struct net *net;
	struct mutex conf_lock;	/* serialises configuration changes */

	u32 mode;
	u32 fanout;
	u32 interval_ms;
	u32 max_dgram;
	u32 tombstone_ms;
	u32 lockstep;
	u32 eager;
	u32 node_id;
	u32 store_bytes;
	u32 reject_rate;
	u32 max_skew_ms;
	u16 port;
	bool node_id_set;
	bool running;
	u8 ae_round;
	u8 sum_round;
	u16 quiet;
	u16 news_left;
	u64 quiet_hash;
	atomic_t wake;
	spinlock_t want_lock;	/* guards wants, the rtts, want_armed */
	struct gossip_want wants[GOSSIP_WANTS];
	struct gossip_rtt want_rtt;
	struct gossip_rtt tree_lag;
	bool want_armed;
	struct hrtimer want_timer;
	atomic_t owed;
	atomic64_t owed_to;

	struct socket __rcu *sock4;
	struct socket __rcu *sock6;
	struct hrtimer timer;
	spinlock_t burst_lock;	/* guards burst*, lazy* */
	struct gossip_eager burst;
	u64 burst_next;
	bool burst_armed;
	struct hrtimer burst_timer;
	struct gossip_lazy lazy[GOSSIP_LAZY_MAX];
	u8 lazy_len;
	bool lazy_armed;
	struct hrtimer lazy_timer;
	u64 graft_ns;
	atomic_t tree_news;
	bool tree_storm;
	struct gossip_peer_set __rcu *peers;
	u32 peers_gen;
	u16 hot_budget;
	struct gossip_store store;
	struct mem_cgroup *memcg;
	struct gossip_auth __rcu *auth;
	u32 auth_gen;
	atomic64_t tx_counter;
	spinlock_t replay_lock;	/* guards the replay windows */
	u32 replay_count;
	struct list_head replay_lru;
	DECLARE_HASHTABLE(replay, GOSSIP_REPLAY_HASH_BITS);
	spinlock_t rl_lock;	/* guards every write to rl */
	siphash_key_t rl_key;
	struct gossip_rl_slot rl[GOSSIP_RL_SLOTS];
	struct gossip_pcpu_stats __percpu *stats;
	struct gossip_late_hist late;
	struct device *dev;
	struct dentry *debugfs;
};

struct gossip_net *gossip_pernet(struct net *net);
void *gossip_net_alloc(struct gossip_net *gn, size_t size, gfp_t flags);

/* stats.c */
int gossip_stats_init(struct gossip_net *gn);
void gossip_stats_free(struct gossip_net *gn);
void gossip_stat_add(struct gossip_net *gn, int idx, u64 val);
void gossip_stat_max(struct gossip_net *gn, int idx, u64 val);
u64 gossip_stat_read(struct gossip_net *gn, int idx);
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
	GOSSIP_PUT_ORIGINS,	/* a new origin past GOSSIP_ORIGINS_MAX */
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
struct gossip_wire_sum;

/**
 * struct gossip_reply_bufs - the datagrams of one reply to a digest
 * @buf: the buffer of each, allocated by send.c before
 *	gossip_store_reply() takes the store lock
 * @len: written by gossip_store_reply(): the bytes of each datagram,
 *	header included; 0 for a buffer it did not use
 * @count: buffers in @buf
 * @max: bytes each buffer holds: the datagram budget
 * @over: bytes auth.c adds to each datagram when it is sent
 *
 * On send.c's stack, for one reply: no lock.
 */
struct gossip_reply_bufs {
	u8 *buf[GOSSIP_REPLY_DGRAMS];
	size_t len[GOSSIP_REPLY_DGRAMS];
	u32 count;
	u32 max;
	u32 over;
};

/**
 * struct gossip_update - a change put in the store, and what the store
 * made of it
 * @key: its key
 * @value: its value
 * @value_len: bytes of @value
 * @flags: GOSSIP_ENTRY_F_*
 * @origin: in for a received entry, out for a local one
 * @version: in; 0: a local change, assigned by the store
 * @stamp_ns: out: when it was stored
 * @trusted: in: received from a configured peer, or in a datagram that
 *	authenticated
 * @fetched: in: came in a PUSH from a configured peer
 * @tree: in: came in a TREE from a configured peer
 * @dup_fetched: out, GOSSIP_PUT_DUPLICATE: the entry held instead (as new,
 *	or newer) has GOSSIP_ENTRY_F_FETCHED; with @tree, had it until now
 *	(the first TREE after a fetch clears it)
 *
 * On its caller's stack: no lock.
 */
struct gossip_update {
	const struct gossip_key *key;
	const u8 *value;
	u16 value_len;
	u8 flags;
	u32 origin;
	u64 version;
	u64 stamp_ns;
	bool trusted;
	bool fetched;
	bool tree;
	bool dup_fetched;
};

/**
 * struct gossip_rx_src - who a received datagram came from, as far as
 * this node can tell
 * @addr: its IP source and UDP port
 * @peer: @addr is a configured peer
 * @state: then its state (in the peer set read under rcu_read_lock_bh()),
 *	else NULL
 * @authed: it was sealed with one of our keys
 * @who: a peer: the generation of the peer set (its @gen) in the high 32
 *	bits, its index + 1 in the low; 0 for a stranger
 * @sender: the node id its header names (its origin)
 *
 * On receive.c's stack, for one datagram: no lock.
 */
struct gossip_rx_src {
	const union gossip_sockaddr *addr;
	bool peer;
	struct gossip_peer_state *state;
	bool authed;
	u64 who;
	u32 sender;
};

int gossip_store_init(struct gossip_store *st);
void gossip_store_free(struct gossip_store *st);
enum gossip_put_result gossip_store_put(struct gossip_net *gn,
					struct gossip_update *u);
void gossip_update_of(struct gossip_update *u, const struct gossip_entry *e);
struct gossip_entry *gossip_store_lookup(struct gossip_store *st,
					 const struct gossip_key *key);
void gossip_store_write_hot(struct gossip_store *st,
			    struct gossip_wire_writer *w, bool refs, u64 since);
bool gossip_store_lacks(struct gossip_net *gn,
			const struct gossip_wire_entry *ref);
int gossip_store_write_wanted(struct gossip_store *st,
			      struct gossip_wire_writer *w,
			      const struct gossip_wire_entry *ref);
/* gossip_store_write_digest()'s @from: the origins' turn, not one origin */
#define GOSSIP_DIGEST_CURSOR	U64_MAX
void gossip_store_write_digest(struct gossip_store *st,
			       struct gossip_wire_writer *w, size_t budget,
			       bool hot, bool news, u64 from);
void gossip_store_apply_mark(struct gossip_net *gn,
			     const struct gossip_wire_mark *m);
bool gossip_store_dgram_fits(u32 max_dgram, u8 label_len);
u32 gossip_store_reply_dgrams(struct gossip_store *st, size_t cap);
bool gossip_store_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
			u64 since, size_t limit, struct gossip_reply_bufs *out);
void gossip_store_collect(struct gossip_net *gn);
void gossip_store_digest_seen(struct gossip_net *gn,
			      const struct gossip_wire_msg *req,
			      const struct gossip_rx_src *src);
bool gossip_store_summary(struct gossip_store *st,
			  struct gossip_wire_sum *sum, u64 *changes);
bool gossip_store_acks_wanted(struct gossip_net *gn);
u32 gossip_store_life_acks_left(struct gossip_net *gn);
void gossip_store_sum_seen(struct gossip_net *gn,
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
int gossip_peer_find(const struct gossip_peer_set *set,
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

/*
 * How long the announcements of what went down the eager tree wait for it,
 * and how young an entry is left out of the others: a tenth of an interval
 * (send.c, "the eager tree").
 */
static inline u64 gossip_tree_wait_ns(struct gossip_net *gn)
{
	return (u64)READ_ONCE(gn->interval_ms) * (NSEC_PER_MSEC / 10);
}

/* send.c: every datagram sent is built there */

void gossip_round_init(struct gossip_net *gn);
void gossip_round_start(struct gossip_net *gn);
void gossip_round_stop(struct gossip_net *gn);
bool gossip_eager_on(struct gossip_net *gn);
void gossip_eager_add(struct gossip_net *gn, struct gossip_eager *f,
		      const struct gossip_wire_entry *e);
void gossip_eager_send(struct gossip_net *gn, struct gossip_eager *f,
		       const union gossip_sockaddr *skip);
void gossip_eager_publish(struct gossip_net *gn, const struct gossip_update *u);
void gossip_eager_init(struct gossip_net *gn);
void gossip_eager_stop(struct gossip_net *gn);
void gossip_timers_fini(struct gossip_net *gn);
void gossip_credit_add(struct gossip_net *gn, atomic_t *credit, size_t bytes);
void gossip_send_reply(struct gossip_net *gn, struct gossip_wire_msg *req,
		       u64 since, const struct gossip_rx_src *src,
		       atomic_t *credit);
bool gossip_quiet(struct gossip_net *gn);
bool gossip_lazy(struct gossip_net *gn);
void gossip_want_done(struct gossip_net *gn,
		      const struct gossip_wire_entry *we, bool tree);
void gossip_rx_refs(struct gossip_net *gn, struct gossip_wire_msg msg,
		    const struct gossip_rx_src *src, atomic_t *credit);
void gossip_send_wanted(struct gossip_net *gn, struct gossip_wire_msg msg,
			const struct gossip_rx_src *src, atomic_t *credit);
void gossip_tree_prune(struct gossip_net *gn, const struct gossip_rx_src *src);
void gossip_tree_clear(struct gossip_net *gn);
void gossip_tree_graft(struct gossip_net *gn, const struct gossip_rx_src *src);
#define GOSSIP_SEND_DIGEST	0x1
#define GOSSIP_SEND_SUMMARY	0x2
#define GOSSIP_SEND_ACKS	0x4	/* the digest from the asker's origin on */
void gossip_send_sum_reply(struct gossip_net *gn,
			   const struct gossip_rx_src *src, atomic_t *credit,
			   unsigned int what);

/* receive.c: every datagram received is handled there */
int gossip_rx(struct gossip_net *gn, u8 *buf, size_t len,
	      const union gossip_sockaddr *src,
	      const union gossip_sockaddr *to);

/* auth.c */
struct gossip_wire_hdr;
int gossip_authkey_add(struct gossip_net *gn, u8 id, const u8 *secret,
		       struct netlink_ext_ack *extack);
int gossip_authkey_use(struct gossip_net *gn, u8 id,
		       struct netlink_ext_ack *extack);
int gossip_authkey_del(struct gossip_net *gn, u8 id,
		       struct netlink_ext_ack *extack);
int gossip_label_set(struct gossip_net *gn, const u8 *label, u8 len);
void gossip_auth_free(struct gossip_net *gn);
void gossip_auth_up(struct gossip_net *gn);
u32 gossip_dgram_budget(struct gossip_net *gn);
size_t gossip_auth_mem(struct gossip_net *gn);
bool gossip_auth_keyed(struct gossip_net *gn);
int gossip_auth_seal(struct gossip_net *gn, struct sk_buff *skb,
		     const union gossip_sockaddr *to);
int gossip_auth_rx(struct gossip_net *gn, u8 *buf, size_t len,
		   const struct gossip_wire_hdr *h,
		   const union gossip_sockaddr *to);

/* main.c: the lifecycle of an instance */
int gossip_up(struct gossip_net *gn, struct netlink_ext_ack *extack);
void gossip_down(struct gossip_net *gn);

/* netlink.c */
int gossip_genl_register(void);
void gossip_genl_unregister(void);
void gossip_notify_entry(struct gossip_net *gn, const struct gossip_update *u);

#endif /* _GOSSIP_H */
