// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime of the simulator's kernel shim (sim_kernel.h): allocation
 * counted, the binary search trees behind the rbtree interface, the
 * rhashtable's chains, sk_buffs, sort_r() and the AEAD stand-in.
 */
#include "sim_kernel.h"
#include <crypto/chacha20poly1305.h>

/* Live allocations: the simulator checks they all go with their nodes. */
long sim_allocs;

void *sim_alloc(size_t n, bool zero)
{
	void *p = zero ? calloc(1, n ? n : 1) : malloc(n ? n : 1);

	if (p)
		sim_allocs++;
	return p;
}

void sim_free(const void *p)
{
	if (!p)
		return;
	sim_allocs--;
	free((void *)p);
}

/* ---- rbtree ------------------------------------------------------------ */

static struct rb_node *leftmost(struct rb_node *n)
{
	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_first(const struct rb_root *r)
{
	return leftmost(r->rb_node);
}

struct rb_node *rb_next(const struct rb_node *n)
{
	const struct rb_node *p;

	if (n->rb_right)
		return leftmost(n->rb_right);
	for (p = n->parent; p && n == p->rb_right; n = p, p = p->parent)
		;
	return (struct rb_node *)p;
}

static void replace_child(struct rb_root *r, struct rb_node *parent,
			  struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		r->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->parent = parent;
}

void rb_erase(struct rb_node *n, struct rb_root *r)
{
	struct rb_node *s;

	if (!n->rb_left) {
		replace_child(r, n->parent, n, n->rb_right);
	} else if (!n->rb_right) {
		replace_child(r, n->parent, n, n->rb_left);
	} else {
		s = leftmost(n->rb_right);	/* the successor: no left child */
		if (s->parent != n) {
			replace_child(r, s->parent, s, s->rb_right);
			s->rb_right = n->rb_right;
			s->rb_right->parent = s;
		}
		replace_child(r, n->parent, n, s);
		s->rb_left = n->rb_left;
		s->rb_left->parent = s;
	}
}

static struct rb_node *deepest_left(struct rb_node *n)
{
	for (;;) {
		if (n->rb_left)
			n = n->rb_left;
		else if (n->rb_right)
			n = n->rb_right;
		else
			return n;
	}
}

struct rb_node *rb_first_postorder(const struct rb_root *r)
{
	return r->rb_node ? deepest_left(r->rb_node) : NULL;
}

struct rb_node *rb_next_postorder(const struct rb_node *n)
{
	struct rb_node *p = n->parent;

	if (p && n == p->rb_left && p->rb_right)
		return deepest_left(p->rb_right);
	return p;
}

/* ---- rhashtable -------------------------------------------------------- */

int rhashtable_init(struct rhashtable *ht, const struct rhashtable_params *p)
{
	ht->p = *p;
	ht->tbl = sim_alloc(sizeof(*ht->tbl), true);
	if (!ht->tbl)
		return -ENOMEM;
	ht->tbl->size = SIM_RHT_BUCKETS;
	return 0;
}

static struct rhash_head **bucket(struct rhashtable *ht, const void *key)
{
	const u8 *k = key;
	u32 h = 2166136261u;
	u16 i;

	for (i = 0; i < ht->p.key_len; i++)
		h = (h ^ k[i]) * 16777619u;
	return &ht->tbl->buckets[h % SIM_RHT_BUCKETS];
}

static const void *key_of(struct rhashtable *ht, struct rhash_head *h)
{
	return (const u8 *)h - ht->p.head_offset + ht->p.key_offset;
}

void *sim_rht_lookup(struct rhashtable *ht, const void *key)
{
	struct rhash_head *h;

	for (h = *bucket(ht, key); h; h = h->next)
		if (!memcmp(key_of(ht, h), key, ht->p.key_len))
			return (u8 *)h - ht->p.head_offset;
	return NULL;
}

int sim_rht_insert(struct rhashtable *ht, struct rhash_head *obj)
{
	struct rhash_head **b = bucket(ht, key_of(ht, obj));

	obj->next = *b;
	*b = obj;
	return 0;
}

static struct rhash_head **link_of(struct rhashtable *ht,
				   struct rhash_head *obj)
{
	struct rhash_head **l;

	for (l = bucket(ht, key_of(ht, obj)); *l; l = &(*l)->next)
		if (*l == obj)
			return l;
	return NULL;
}

int sim_rht_replace(struct rhashtable *ht, struct rhash_head *old,
		    struct rhash_head *obj)
{
	struct rhash_head **l = link_of(ht, old);

	if (!l)
		return -ENOENT;
	obj->next = old->next;
	*l = obj;
	return 0;
}

int sim_rht_remove(struct rhashtable *ht, struct rhash_head *obj)
{
	struct rhash_head **l = link_of(ht, obj);

	if (!l)
		return -ENOENT;
	*l = obj->next;
	return 0;
}

void rhashtable_free_and_destroy(struct rhashtable *ht,
				 void (*free_fn)(void *ptr, void *arg),
				 void *arg)
{
	struct rhash_head *h, *next;
	u32 i;

	for (i = 0; i < SIM_RHT_BUCKETS; i++)
		for (h = ht->tbl->buckets[i]; h; h = next) {
			next = h->next;
			free_fn((u8 *)h - ht->p.head_offset, arg);
		}
	sim_free(ht->tbl);
	ht->tbl = NULL;
}

/* ---- sk_buff ----------------------------------------------------------- */

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb = sim_alloc(sizeof(*skb) + size, true);

	(void)gfp;
	if (!skb)
		return NULL;
	skb->head = (u8 *)(skb + 1);
	skb->data = skb->head;
	skb->size = size;
	return skb;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *c = alloc_skb(skb->size, gfp);

	if (!c)
		return NULL;
	memcpy(c->head, skb->head, skb->size);
	c->data = c->head + (skb->data - skb->head);
	c->len = skb->len;
	return c;
}

void kfree_skb(struct sk_buff *skb)
{
	sim_free(skb);
}

/* ---- sort_r: insertion sort, stable and deterministic ------------------ */

void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp,
	    swap_r_func_t swap, const void *priv)
{
	u8 *b = base, tmp[64];
	size_t i, j;

	(void)swap;
	assert(size <= sizeof(tmp));
	for (i = 1; i < num; i++) {
		memcpy(tmp, b + i * size, size);
		for (j = i; j && cmp(b + (j - 1) * size, tmp, priv) > 0; j--)
			memcpy(b + j * size, b + (j - 1) * size, size);
		memcpy(b + j * size, tmp, size);
	}
}

/* ---- the AEAD stand-in ------------------------------------------------- */

/* FNV-1a, 64 bits, over several pieces: a keyed digest, not a MAC. */
static u64 fnv(u64 h, const u8 *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static u64 stream_seed(const u8 *nonce, const u8 *key)
{
	u64 h = fnv(0xcbf29ce484222325ULL, key, CHACHA20POLY1305_KEY_SIZE);

	return fnv(h, nonce, XCHACHA20POLY1305_NONCE_SIZE);
}

static void xor_stream(u8 *dst, const u8 *src, size_t len, u64 s)
{
	size_t i;

	for (i = 0; i < len; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		dst[i] = src[i] ^ (u8)(s >> 56);
	}
}

static void tag_of(u8 *tag, const u8 *ct, size_t len, const u8 *ad,
		   size_t ad_len, u64 s)
{
	u64 h = fnv(fnv(s, ad, ad_len), ct, len);
	u64 h2 = fnv(h ^ 0x9e3779b97f4a7c15ULL, ct, len);

	memcpy(tag, &h, 8);
	memcpy(tag + 8, &h2, 8);
}

void xchacha20poly1305_encrypt(u8 *dst, const u8 *src, size_t src_len,
			       const u8 *ad, size_t ad_len,
			       const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
			       const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	u64 s = stream_seed(nonce, key);

	xor_stream(dst, src, src_len, s);
	tag_of(dst + src_len, dst, src_len, ad, ad_len, s);
}

/* As the library: the tag is checked before anything is decrypted. */
bool xchacha20poly1305_decrypt(u8 *dst, const u8 *src, size_t src_len,
			       const u8 *ad, size_t ad_len,
			       const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
			       const u8 key[CHACHA20POLY1305_KEY_SIZE])
{
	u64 s = stream_seed(nonce, key);
	u8 tag[CHACHA20POLY1305_AUTHTAG_SIZE];
	size_t len;

	if (src_len < CHACHA20POLY1305_AUTHTAG_SIZE)
		return false;
	len = src_len - CHACHA20POLY1305_AUTHTAG_SIZE;
	tag_of(tag, src, len, ad, ad_len, s);
	if (memcmp(tag, src + len, sizeof(tag)))
		return false;
	xor_stream(dst, src, len, s);
	return true;
}
