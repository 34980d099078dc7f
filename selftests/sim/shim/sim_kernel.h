/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel as kmod/ sees it, for the simulator (selftests/sim): enough of
 * it to build store.c, wire.c, send.c, receive.c, peers.c, pick.c, auth.c,
 * replay.c, ratelimit.c and late.c unchanged in userspace, one instance per
 * simulated node, all in one thread.
 *
 * Every header under linux/, net/, asm/, crypto/ and trace/ here includes
 * this file and nothing else. It extends selftests/unit/shim/kernel.h:
 *  - locks are no-ops and RCU is plain pointers: one thread runs every
 *    node, and a grace period is "now" (nothing holds an old pointer once
 *    the kmod function that read it has returned);
 *  - time is the simulator's: ktime_get_ns() and ktime_get_real_ns() read
 *    the clocks of the node being run (sim_now_ns(), sim_real_ns());
 *  - get_random_*() draw from the simulator's seeded PRNG, so one seed
 *    fixes a run;
 *  - an hrtimer only records its expiry: the simulator fires it (sim.c);
 *  - an sk_buff is a malloc'd buffer with head- and tailroom;
 *  - the rhashtable is a fixed array of chains, rbtrees are plain binary
 *    search trees (never rebalanced: the simulator's stores are small);
 *  - XChaCha20-Poly1305 is a keyed stand-in (sim_crypto.c): not secure,
 *    but a datagram opens with the key it was sealed with and no other,
 *    which is all the protocol logic of auth.c depends on.
 */
#ifndef _GOSSIP_SIM_KERNEL_H
#define _GOSSIP_SIM_KERNEL_H

#include "../../unit/shim/kernel.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <assert.h>
#include <netinet/in.h>
#include <arpa/inet.h>

typedef int64_t ktime_t;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;
typedef unsigned int gfp_t;

/* ---- compiler ---------------------------------------------------------- */
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#undef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#define __maybe_unused		__attribute__((unused))
#define __must_check		__attribute__((warn_unused_result))
#define __force
#define __rcu
#define __percpu
#define __user
#define __init
#define __exit
#define __net_init
#define __net_exit
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)
#define KBUILD_MODNAME		"gossip"
#define IS_ENABLED(x)		0

/* As the kernel's: the message is optional. */
#undef static_assert
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif
#define PTR_ALIGN(p, a)		((typeof(p))(((uintptr_t)(p) + (a) - 1) & ~(uintptr_t)((a) - 1)))
#define IS_ERR_OR_NULL(p)	(!(p))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define max(a, b)	({ typeof(a) _a = (a); typeof(b) _b = (b); \
			   _a > _b ? _a : _b; })
#define max_t(t, a, b)	({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_LONG)
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof((p)->member[0]) * (size_t)(n))
#define array_size(a, b)	((size_t)(a) * (size_t)(b))
#define size_add(a, b)		((size_t)(a) + (size_t)(b))
#define U16_MAX			((u16)~0U)
#define S64_MAX			((s64)(U64_MAX >> 1))

#define USEC_PER_MSEC		1000L
#define NSEC_PER_MSEC		1000000L
#define MSEC_PER_SEC		1000L
#define USEC_PER_SEC		1000000L

static inline u64 div64_u64(u64 a, u64 b)
{
	return a / b;
}

static inline void bitmap_zero(unsigned long *b, unsigned int n)
{
	memset(b, 0, BITS_TO_LONGS(n) * sizeof(long));
}

static inline bool test_bit(long nr, const unsigned long *addr)
{
	return addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG) & 1;
}

static inline void __set_bit(long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline void memzero_explicit(void *p, size_t n)
{
	memset(p, 0, n);
}

/* ---- printing, errors -------------------------------------------------- */
#define pr_debug(fmt, ...)	do { } while (0)
#define pr_info(fmt, ...)	do { } while (0)
#define pr_warn(fmt, ...)	do { } while (0)
#define pr_err(fmt, ...)	do { } while (0)
#define WARN_ON(c)		({ bool _c = !!(c); _c; })
#define WARN_ON_ONCE(c)		WARN_ON(c)

struct netlink_ext_ack {
	const char *msg;
};

#define NL_SET_ERR_MSG(e, m)	do { if (e) (e)->msg = (m); } while (0)
#define NL_SET_ERR_MSG_MOD(e, m)	NL_SET_ERR_MSG(e, m)
#define NL_SET_ERR_MSG_ATTR(e, a, m)	NL_SET_ERR_MSG(e, m)

/* ---- memory ------------------------------------------------------------ */
#define GFP_KERNEL		0u
#define GFP_KERNEL_ACCOUNT	0u
#define GFP_ATOMIC		0u
#define __GFP_ZERO		1u
#define __GFP_NOWARN		0u
#define GFP_NOWAIT		0u
#define __GFP_ACCOUNT		0u

/* No memory cgroups: nothing is charged. */
struct mem_cgroup;
static inline struct mem_cgroup *set_active_memcg(struct mem_cgroup *m)
{
	(void)m;
	return NULL;
}

/* The simulator counts what it frees and allocates (leaks show). */
void *sim_alloc(size_t n, bool zero);
void sim_free(const void *p);

#define kmalloc(n, f)		sim_alloc(n, (f) & __GFP_ZERO)
#define kzalloc(n, f)		sim_alloc(n, true)
#define kvmalloc(n, f)		sim_alloc(n, (f) & __GFP_ZERO)
#define kvzalloc(n, f)		sim_alloc(n, true)
#define kcalloc(n, s, f)	sim_alloc((size_t)(n) * (s), true)
#define kmalloc_array(n, s, f)	sim_alloc((size_t)(n) * (s), false)
#define kfree(p)		sim_free(p)
#define kvfree(p)		sim_free(p)
#define kfree_sensitive(p)	sim_free(p)
#define kfree_rcu(p, f)		sim_free(p)
#define kvfree_rcu(p, f)	sim_free(p)

/* The slab's sizes: what the store's memory figures count. */
static inline size_t kmalloc_size_roundup(size_t n)
{
	size_t s = 8;

	if (n > 64 && n <= 96)
		return 96;
	if (n > 128 && n <= 192)
		return 192;
	while (s < n)
		s <<= 1;
	return s;
}

/* ---- locks and RCU: one thread ----------------------------------------- */
typedef struct { int unused; } spinlock_t;
struct mutex { int unused; };
struct rcu_head { void *unused; };

#define spin_lock_init(l)	((void)(l))
#define spin_lock(l)		((void)(l))
#define spin_unlock(l)		((void)(l))
#define spin_lock_bh(l)		((void)(l))
#define spin_unlock_bh(l)	((void)(l))
#define mutex_init(m)		((void)(m))
#define mutex_lock(m)		((void)(m))
#define mutex_unlock(m)		((void)(m))
#define lockdep_assert_held(l)	((void)(l))
#define lockdep_is_held(l)	1
#define local_bh_disable()	do { } while (0)
#define local_bh_enable()	do { } while (0)
#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)
#define rcu_read_lock_bh()	do { } while (0)
#define rcu_read_unlock_bh()	do { } while (0)
#define synchronize_rcu()	do { } while (0)
#define rcu_dereference(p)	(p)
#define rcu_dereference_bh(p)	(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)	(p)
#define rcu_assign_pointer(p, v)	((p) = (v))
#define RCU_INIT_POINTER(p, v)	((p) = (v))

/* ---- atomics ----------------------------------------------------------- */
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;

#define atomic_read(a)		((a)->counter)
#define atomic_set(a, v)	((a)->counter = (v))
#define atomic_inc(a)		((a)->counter++)
#define atomic_inc_return(a)	(++(a)->counter)
#define atomic_dec(a)		((a)->counter--)
#define atomic_add(v, a)	((a)->counter += (v))
#define atomic64_read(a)	((a)->counter)
#define atomic64_set(a, v)	((a)->counter = (v))
#define atomic64_inc(a)		((a)->counter++)
#define atomic64_add(v, a)	((a)->counter += (v))
#define atomic64_inc_return(a)	(++(a)->counter)

static inline int atomic_xchg(atomic_t *a, int v)
{
	int old = a->counter;

	a->counter = v;
	return old;
}

static inline s64 atomic64_xchg(atomic64_t *a, s64 v)
{
	s64 old = a->counter;

	a->counter = v;
	return old;
}

static inline int atomic_cmpxchg(atomic_t *a, int old, int v)
{
	int cur = a->counter;

	if (cur == old)
		a->counter = v;
	return cur;
}

static inline bool atomic_try_cmpxchg(atomic_t *a, int *old, int v)
{
	if (a->counter == *old) {
		a->counter = v;
		return true;
	}
	*old = a->counter;
	return false;
}

typedef struct { u64 v; } u64_stats_t;
struct u64_stats_sync { int unused; };

/* ---- time: the simulator's clocks of the node being run ---------------- */
u64 sim_now_ns(void);		/* CLOCK_MONOTONIC */
u64 sim_real_ns(void);		/* CLOCK_REALTIME */
#define HZ			1000
#define jiffies			((unsigned long)(sim_now_ns() / NSEC_PER_MSEC))
#define time_before(a, b)	((long)((a) - (b)) < 0)
#define time_after(a, b)	time_before(b, a)
#define msecs_to_jiffies(m)	((unsigned long)(m))

static inline u64 ktime_get_ns(void)
{
	return sim_now_ns();
}

static inline u64 ktime_get_real_ns(void)
{
	return sim_real_ns();
}

static inline s64 ktime_to_ns(ktime_t t)
{
	return t;
}

static inline ktime_t ns_to_ktime(u64 ns)
{
	return (ktime_t)ns;
}

/* ---- hrtimer: the simulator fires it ----------------------------------- */
enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };
enum hrtimer_mode {
	HRTIMER_MODE_REL_SOFT, HRTIMER_MODE_ABS_SOFT,
	HRTIMER_MODE_ABS, HRTIMER_MODE_REL,
};
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC		1
#endif

struct hrtimer {
	enum hrtimer_restart (*function)(struct hrtimer *t);
	ktime_t expires;
	bool queued;		/* started, not yet fired or cancelled */
	u32 gen;		/* bumped on start and cancel: stale events */
};

void sim_timer_start(struct hrtimer *t, ktime_t at);
int sim_timer_cancel(struct hrtimer *t);

#define hrtimer_init(t, clk, mode) \
	do { memset((t), 0, sizeof(*(t))); (void)(clk); } while (0)
#define hrtimer_start(t, at, mode)	sim_timer_start(t, at)
#define hrtimer_cancel(t)		sim_timer_cancel(t)
#define hrtimer_set_expires(t, at)	((t)->expires = (at))
#define hrtimer_get_expires(t)		((t)->expires)

/* ---- random: the simulator's seeded PRNG ------------------------------- */
u32 sim_random_u32(void);
void get_random_bytes(void *buf, size_t n);

static inline u32 get_random_u32(void)
{
	return sim_random_u32();
}

static inline u32 get_random_u32_above(u32 floor)
{
	return floor + 1 + get_random_u32_below(U32_MAX - floor);
}

/* ---- lists ------------------------------------------------------------- */
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_add(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_move_tail(struct list_head *e, struct list_head *h)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	list_add_tail(e, h);
}

static inline void list_move(struct list_head *e, struct list_head *h)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	list_add(e, h);
}

static inline void list_splice_tail(struct list_head *l, struct list_head *h)
{
	if (list_empty(l))
		return;
	l->next->prev = h->prev;
	h->prev->next = l->next;
	l->prev->next = h;
	h->prev = l->prev;
}

#define list_add_rcu		list_add
#define list_add_tail_rcu	list_add_tail
#define list_del_rcu		list_del
#define list_entry(p, t, m)	container_of(p, t, m)
#define list_first_entry(h, t, m)	list_entry((h)->next, t, m)
#define list_last_entry(h, t, m)	list_entry((h)->prev, t, m)
#define list_next_entry(p, m)	list_entry((p)->m.next, typeof(*(p)), m)
#define list_prev_entry(p, m)	list_entry((p)->m.prev, typeof(*(p)), m)
#define list_for_each_entry(p, h, m) \
	for (p = list_first_entry(h, typeof(*p), m); &p->m != (h); \
	     p = list_next_entry(p, m))
#define list_for_each_entry_rcu(p, h, m, ...)	list_for_each_entry(p, h, m)
#define list_for_each_entry_reverse(p, h, m) \
	for (p = list_last_entry(h, typeof(*p), m); &p->m != (h); \
	     p = list_prev_entry(p, m))
#define list_for_each_entry_safe(p, n, h, m) \
	for (p = list_first_entry(h, typeof(*p), m), \
	     n = list_next_entry(p, m); &p->m != (h); \
	     p = n, n = list_next_entry(n, m))

/* ---- hashtable.h ------------------------------------------------------- */
struct hlist_head {
	struct hlist_node *first;
};

#define DECLARE_HASHTABLE(name, bits)	struct hlist_head name[1 << (bits)]
#define HASH_SIZE(name)		(ARRAY_SIZE(name))
#define hash_min(v, bits)	((u32)((v) * 0x61C88647u) >> (32 - (bits)))
#define hash_init(t)		memset(t, 0, sizeof(t))

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

static inline void hash_del(struct hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->pprev = NULL;
}

#define hash_add(t, n, key) \
	hlist_add_head(n, &(t)[hash_min(key, ilog2(HASH_SIZE(t)))])
#define hlist_entry_safe(p, t, m)	({ typeof(p) _p = (p); \
					   _p ? container_of(_p, t, m) : NULL; })
#define hash_for_each_possible(t, obj, m, key) \
	for (obj = hlist_entry_safe((t)[hash_min(key, \
		ilog2(HASH_SIZE(t)))].first, typeof(*(obj)), m); obj; \
	     obj = hlist_entry_safe((obj)->m.next, typeof(*(obj)), m))

/* ---- rbtree: a binary search tree with the kernel's interface ---------- */
struct rb_node {
	struct rb_node *parent, *rb_left, *rb_right;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			((struct rb_root) { NULL })
#define rb_entry(p, t, m)	container_of(p, t, m)
#define rb_entry_safe(p, t, m)	({ typeof(p) _p = (p); \
				   _p ? rb_entry(_p, t, m) : NULL; })

static inline void rb_link_node(struct rb_node *n, struct rb_node *parent,
				struct rb_node **link)
{
	n->parent = parent;
	n->rb_left = NULL;
	n->rb_right = NULL;
	*link = n;
}

/* Not balanced: the tree works, and the simulator's trees are small. */
static inline void rb_insert_color(struct rb_node *n, struct rb_root *r)
{
	(void)n;
	(void)r;
}

void rb_erase(struct rb_node *n, struct rb_root *r);
struct rb_node *rb_next(const struct rb_node *n);
struct rb_node *rb_first(const struct rb_root *r);
struct rb_node *rb_first_postorder(const struct rb_root *r);
struct rb_node *rb_next_postorder(const struct rb_node *n);

#define rbtree_postorder_for_each_entry_safe(pos, n, root, field) \
	for (pos = rb_entry_safe(rb_first_postorder(root), typeof(*pos), \
				 field); \
	     pos && ({ n = rb_entry_safe(rb_next_postorder(&pos->field), \
					 typeof(*pos), field); 1; }); \
	     pos = n)

/* ---- rhashtable: chains in a fixed array ------------------------------- */
struct rhash_head {
	struct rhash_head *next;
};

struct rhashtable_params {
	u16 head_offset;
	u16 key_offset;
	u16 key_len;
	bool automatic_shrinking;
};

#define SIM_RHT_BUCKETS		64

struct bucket_table {
	unsigned int size;
	struct rhash_head *buckets[SIM_RHT_BUCKETS];
};

struct rhashtable {
	struct bucket_table *tbl;
	struct rhashtable_params p;
};

#define rht_dereference_rcu(p, ht)	(p)

int rhashtable_init(struct rhashtable *ht, const struct rhashtable_params *p);
void *sim_rht_lookup(struct rhashtable *ht, const void *key);
int sim_rht_insert(struct rhashtable *ht, struct rhash_head *obj);
int sim_rht_replace(struct rhashtable *ht, struct rhash_head *old,
		    struct rhash_head *obj);
int sim_rht_remove(struct rhashtable *ht, struct rhash_head *obj);
void rhashtable_free_and_destroy(struct rhashtable *ht,
				 void (*free_fn)(void *ptr, void *arg),
				 void *arg);

#define rhashtable_lookup(ht, key, p)		sim_rht_lookup(ht, key)
#define rhashtable_lookup_fast(ht, key, p)	sim_rht_lookup(ht, key)
#define rhashtable_insert_fast(ht, obj, p)	sim_rht_insert(ht, obj)
#define rhashtable_replace_fast(ht, o, n, p)	sim_rht_replace(ht, o, n)
#define rhashtable_remove_fast(ht, obj, p)	sim_rht_remove(ht, obj)

/* ---- siphash: any keyed hash will do ----------------------------------- */
typedef struct { u64 key[2]; } siphash_key_t;

static inline u64 siphash(const void *data, size_t len,
			  const siphash_key_t *k)
{
	const u8 *p = data;
	u64 h = k->key[0] ^ 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= k->key[1];
	/* murmur3's finaliser: every input bit moves every output bit */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static inline u64 siphash_1u32(u32 a, const siphash_key_t *k)
{
	return siphash(&a, sizeof(a), k);
}

static inline u64 siphash_2u32(u32 a, u32 b, const siphash_key_t *k)
{
	u32 v[2] = { a, b };

	return siphash(v, sizeof(v), k);
}

/* ---- sk_buff: a buffer with room on both sides ------------------------- */
struct sk_buff {
	u8 *head;
	u8 *data;
	unsigned int len;
	unsigned int size;
};

#define MAX_HEADER		128
struct ipv6hdr { u8 bytes[40]; };
struct udphdr { u8 bytes[8]; };

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);
void kfree_skb(struct sk_buff *skb);

static inline void skb_reserve(struct sk_buff *skb, unsigned int n)
{
	skb->data += n;
}

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return skb->data - skb->head;
}

static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return skb->size - skb_headroom(skb) - skb->len;
}

static inline u8 *skb_put(struct sk_buff *skb, unsigned int n)
{
	u8 *tail = skb->data + skb->len;

	assert(n <= skb_tailroom(skb));
	skb->len += n;
	return tail;
}

static inline u8 *skb_push(struct sk_buff *skb, unsigned int n)
{
	assert(n <= skb_headroom(skb));
	skb->data -= n;
	skb->len += n;
	return skb->data;
}

/* ---- net --------------------------------------------------------------- */
struct net {
	struct { unsigned int inum; } ns;
};
struct socket;
struct device;
struct dentry;

static inline bool ipv6_addr_equal(const struct in6_addr *a,
				   const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static inline void ipv6_addr_set_v4mapped(const __be32 addr,
					  struct in6_addr *v4mapped)
{
	memset(v4mapped, 0, 10);
	v4mapped->s6_addr[10] = 0xff;
	v4mapped->s6_addr[11] = 0xff;
	memcpy(&v4mapped->s6_addr[12], &addr, sizeof(addr));
}

/* ---- sort -------------------------------------------------------------- */
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);
void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp,
	    swap_r_func_t swap, const void *priv);

/* ---- math -------------------------------------------------------------- */
u32 sim_int_log10(u32 x);
#define intlog10(x)		sim_int_log10(x)

/* ---- tracepoints: none ------------------------------------------------- */
#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args
#define TRACE_EVENT(name, proto, args, tstruct, assign, print) \
	static inline void trace_##name(proto) { }
#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(tmpl, name, proto, args) \
	static inline void trace_##name(proto) { }
#define TRACE_DEFINE_ENUM(x)

/* ---- debugfs, seq_file: late.c's files go nowhere ---------------------- */
struct seq_file {
	void *private;
};
struct inode;
struct file;
#define seq_printf(m, fmt, ...)	do { (void)(m); } while (0)
#define DEFINE_SHOW_ATTRIBUTE(name) \
	static int (*const name##_fops)(struct seq_file *, void *) \
		__maybe_unused = name##_show
#define debugfs_create_dir(n, p)	((struct dentry *)NULL)
static inline struct dentry *debugfs_create_file(const char *n, int mode,
						struct dentry *p, void *d,
						const void *f)
{
	return NULL;
}
#define debugfs_remove(d)		do { (void)(d); } while (0)
#define debugfs_remove_recursive(d)	do { (void)(d); } while (0)

#endif
