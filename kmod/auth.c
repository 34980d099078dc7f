// SPDX-License-Identifier: GPL-2.0
/*
 * Authenticated datagrams, replay protection and the cluster label.
 *
 * The keys and the label of an instance are one struct gossip_auth,
 * published with rcu_assign_pointer() under conf_lock and replaced as a
 * whole on every change (like the peer set), read under rcu_read_lock_bh()
 * on the packet path. The old one is freed after synchronize_rcu(), in
 * process context: the ciphers it alone held with crypto_free_aead(), which
 * frees their context (the expanded key) with kfree_sensitive().
 *
 * The AEAD is ChaCha20-Poly1305 (RFC 7539) from the crypto API, asked for
 * with CRYPTO_ALG_ASYNC in the mask, hence a synchronous implementation
 * that completes in the caller's context: datagrams are sealed and opened
 * in softirq context (rounds and receive) and must not wait. It was chosen
 * over gcm(aes) because it is fast without AES instructions (the test VM
 * runs under TCG), is a stream cipher (see open_with()), and its generic
 * code is in every kernel that has the template.
 *
 * Nothing is allocated on the packet path before a datagram authenticates:
 * each struct gossip_auth with keys holds one aead_request per CPU, sized
 * for its ciphers when it is built; a request is used with BH disabled and
 * only for the time of one encryption or decryption.
 *
 * Replay: the sender's counter, which the AAD covers with its node id, goes
 * through a sliding window per sender (RFC 6479, as WireGuard's counter.c):
 * the highest counter seen and a ring of GOSSIP_REPLAY_BITS bits. The
 * senders live in a hash table of at most GOSSIP_REPLAY_SENDERS entries,
 * created only for a datagram that authenticated; gossip_net.replay_lock (a
 * spinlock, taken in softirq) guards the table and every window, so the
 * check and the update of one counter are one step. A datagram whose sender
 * finds the table full is dropped and counted as rx_err_nomem.
 */
#include <crypto/aead.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "gossip.h"
#include "wire.h"

#define GOSSIP_AEAD	"rfc7539(chacha20,poly1305)"
#define GOSSIP_NONCE_LEN	12

/* Every counter of one sender: its window, under gossip_net.replay_lock. */
struct gossip_replay {
	struct hlist_node node;
	u32 sender;
	u64 top;		/* highest counter seen, plus one */
	unsigned long bits[GOSSIP_REPLAY_BITS / BITS_PER_LONG];
};

#define REPLAY_WORDS	(GOSSIP_REPLAY_BITS / BITS_PER_LONG)
#define REPLAY_WINDOW	(GOSSIP_REPLAY_BITS - BITS_PER_LONG)

static struct gossip_auth *auth_locked(struct gossip_net *gn)
{
	return rcu_dereference_protected(gn->auth,
					 lockdep_is_held(&gn->conf_lock));
}

static int key_find(const struct gossip_auth *a, u8 id)
{
	int i;

	for (i = 0; a && i < a->nkeys; i++)
		if (a->keys[i].id == id)
			return i;
	return -1;
}

/* A copy of @old (or an empty one) to change, without its requests. */
static struct gossip_auth *auth_dup(const struct gossip_auth *old)
{
	struct gossip_auth *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (a && old) {
		memcpy(a->keys, old->keys, sizeof(a->keys));
		a->nkeys = old->nkeys;
		memcpy(a->label, old->label, sizeof(a->label));
		a->label_len = old->label_len;
	}
	return a;
}

static void auth_free_struct(struct gossip_auth *a)
{
	if (!a)
		return;
	free_percpu(a->req);
	kfree_sensitive(a);
}

/* The requests of @a, one per CPU, large enough for each of its ciphers. */
static int auth_alloc_req(struct gossip_auth *a)
{
	unsigned int size = 0;
	int i;

	for (i = 0; i < a->nkeys; i++)
		size = max(size, crypto_aead_reqsize(a->keys[i].tfm));
	if (!a->nkeys)
		return 0;
	a->req = __alloc_percpu(sizeof(struct aead_request) + size,
				__alignof__(struct aead_request));
	return a->req ? 0 : -ENOMEM;
}

static bool auth_has(const struct gossip_auth *a, struct crypto_aead *tfm)
{
	int i;

	for (i = 0; a && i < a->nkeys; i++)
		if (a->keys[i].tfm == tfm)
			return true;
	return false;
}

/*
 * Publish @new (NULL when it holds neither a key nor a label) in place of
 * the current one, wait for the readers of the old one, then free what only
 * the old one held. Consumes @new.
 */
static int auth_replace(struct gossip_net *gn, struct gossip_auth *new)
{
	struct gossip_auth *old = auth_locked(gn);
	int i, err;

	if (new && !new->nkeys && !new->label_len) {
		auth_free_struct(new);
		new = NULL;
	}
	if (new) {
		err = auth_alloc_req(new);
		if (err) {
			auth_free_struct(new);
			return err;
		}
	}
	rcu_assign_pointer(gn->auth, new);
	WRITE_ONCE(gn->auth_gen, gn->auth_gen + 1);
	synchronize_rcu();
	for (i = 0; old && i < old->nkeys; i++)
		if (!auth_has(new, old->keys[i].tfm))
			crypto_free_aead(old->keys[i].tfm);
	auth_free_struct(old);
	if (!new || !new->nkeys)
		gossip_replay_free(gn);	/* authentication is off */
	return 0;
}

int gossip_key_add(struct gossip_net *gn, u8 id, const u8 *secret,
		   struct netlink_ext_ack *extack)
{
	struct gossip_auth *old = auth_locked(gn), *a;
	struct crypto_aead *tfm;
	int err;

	lockdep_assert_held(&gn->conf_lock);
	if (key_find(old, id) >= 0) {
		NL_SET_ERR_MSG_MOD(extack, "a key with this id exists already");
		return -EEXIST;
	}
	if (old && old->nkeys >= GOSSIP_KEYS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "key table is full ("
				   __stringify(GOSSIP_KEYS_MAX) " keys)");
		return -ENOSPC;
	}
	tfm = crypto_alloc_aead(GOSSIP_AEAD, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG_MOD(extack, "cannot allocate the cipher "
				   GOSSIP_AEAD);
		return PTR_ERR(tfm);
	}
	err = crypto_aead_setkey(tfm, secret, GOSSIP_SECRET_LEN) ?:
	      crypto_aead_setauthsize(tfm, GOSSIP_WIRE_TAG_LEN);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "the cipher refused the key");
		goto err_tfm;
	}
	err = -ENOMEM;
	a = auth_dup(old);
	if (!a)
		goto err_tfm;
	/* The first key is the primary: it is keys[0]. */
	a->keys[a->nkeys].id = id;
	a->keys[a->nkeys].tfm = tfm;
	a->nkeys++;
	err = auth_replace(gn, a);
	if (err)
		goto err_tfm;
	pr_debug("key %u created in netns %u\n", id, gn->net->ns.inum);
	return 0;

err_tfm:
	crypto_free_aead(tfm);
	return err;
}

int gossip_key_use(struct gossip_net *gn, u8 id,
		   struct netlink_ext_ack *extack)
{
	struct gossip_auth *old = auth_locked(gn), *a;
	struct gossip_auth_key k;
	int idx;

	lockdep_assert_held(&gn->conf_lock);
	idx = key_find(old, id);
	if (idx < 0) {
		NL_SET_ERR_MSG_MOD(extack, "no key with this id");
		return -ENOENT;
	}
	if (!idx)
		return 0;	/* already the primary */
	a = auth_dup(old);
	if (!a)
		return -ENOMEM;
	/* The primary first, the others after it in their order. */
	k = a->keys[idx];
	memmove(&a->keys[1], &a->keys[0], idx * sizeof(k));
	a->keys[0] = k;
	return auth_replace(gn, a);
}

int gossip_key_del(struct gossip_net *gn, u8 id,
		   struct netlink_ext_ack *extack)
{
	struct gossip_auth *old = auth_locked(gn), *a;
	int idx, err;

	lockdep_assert_held(&gn->conf_lock);
	idx = key_find(old, id);
	if (idx < 0) {
		NL_SET_ERR_MSG_MOD(extack, "no key with this id");
		return -ENOENT;
	}
	if (!idx && old->nkeys > 1) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the key is in use: use another key first");
		return -EBUSY;
	}
	a = auth_dup(old);
	if (!a)
		return -ENOMEM;
	memmove(&a->keys[idx], &a->keys[idx + 1],
		(a->nkeys - idx - 1) * sizeof(a->keys[0]));
	a->nkeys--;
	memset(&a->keys[a->nkeys], 0, sizeof(a->keys[0]));
	err = auth_replace(gn, a);
	if (!err)
		pr_debug("key %u destroyed in netns %u\n", id,
			 gn->net->ns.inum);
	return err;
}

int gossip_label_set(struct gossip_net *gn, const u8 *label, u8 len)
{
	struct gossip_auth *old = auth_locked(gn), *a;

	lockdep_assert_held(&gn->conf_lock);
	if (len == (old ? old->label_len : 0) &&
	    (!len || !memcmp(old->label, label, len)))
		return 0;
	a = auth_dup(old);
	if (!a)
		return -ENOMEM;
	memset(a->label, 0, sizeof(a->label));
	memcpy(a->label, label, len);
	a->label_len = len;
	return auth_replace(gn, a);
}

/* The namespace is going away: nothing reads any more. */
void gossip_auth_free(struct gossip_net *gn)
{
	struct gossip_auth *a = rcu_dereference_protected(gn->auth, 1);
	int i;

	RCU_INIT_POINTER(gn->auth, NULL);
	for (i = 0; a && i < a->nkeys; i++) {
		pr_debug("key %u destroyed in netns %u\n", a->keys[i].id,
			 gn->net->ns.inum);
		crypto_free_aead(a->keys[i].tfm);
	}
	auth_free_struct(a);
	gossip_replay_free(gn);
}

/*
 * Called at up, before the socket opens: the counter continues from where
 * it was and from the wall clock in ns, so that it keeps growing across a
 * restart of the module or the machine. Each datagram then takes the next
 * value: the counters of one sender are dense, so that the replay window
 * covers its last GOSSIP_REPLAY_BITS datagrams (a clock read per datagram
 * would leave gaps of thousands between two, and the window would cover
 * only microseconds).
 */
void gossip_auth_up(struct gossip_net *gn)
{
	u64 now = ktime_get_real_ns();

	lockdep_assert_held(&gn->conf_lock);
	if ((u64)atomic64_read(&gn->tx_counter) < now)
		atomic64_set(&gn->tx_counter, now);
}

/* Bytes @a adds to a datagram. */
static u32 auth_overhead(const struct gossip_auth *a)
{
	if (!a)
		return 0;
	if (a->nkeys)
		return GOSSIP_WIRE_SEAL_LEN;
	return a->label_len ? 1 + a->label_len : 0;
}

/* The bytes of records a datagram may hold: max_dgram less the overhead. */
u32 gossip_dgram_budget(struct gossip_net *gn)
{
	u32 max = READ_ONCE(gn->max_dgram), over;

	rcu_read_lock_bh();
	over = auth_overhead(rcu_dereference_bh(gn->auth));
	rcu_read_unlock_bh();
	return max - over;
}

/* The scatterlist of a sealed datagram: header + counter, label, the rest. */
static unsigned int seal_sg(struct scatterlist *sg, u8 *buf, size_t len,
			    const struct gossip_auth *a)
{
	unsigned int n = a->label_len ? 3 : 2;

	sg_init_table(sg, n);
	sg_set_buf(&sg[0], buf, GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_COUNTER_LEN);
	if (a->label_len)
		sg_set_buf(&sg[1], a->label, a->label_len);
	sg_set_buf(&sg[n - 1], buf + GOSSIP_WIRE_HDR_LEN +
		   GOSSIP_WIRE_COUNTER_LEN,
		   len - GOSSIP_WIRE_HDR_LEN - GOSSIP_WIRE_COUNTER_LEN);
	return GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_COUNTER_LEN + a->label_len;
}

/* sender (4) || counter (8), as they are on the wire. */
static void seal_nonce(u8 *nonce, const u8 *buf)
{
	memcpy(nonce, buf + 8, 4);
	memcpy(nonce + 4, buf + GOSSIP_WIRE_HDR_LEN, GOSSIP_WIRE_COUNTER_LEN);
}

/* Run one encryption (@enc) or decryption with key @k; BH is disabled. */
static int aead_run(const struct gossip_auth *a, struct crypto_aead *tfm,
		    struct scatterlist *sg, unsigned int assoclen,
		    unsigned int cryptlen, u8 *nonce, bool enc)
{
	struct aead_request *req = this_cpu_ptr(a->req);

	aead_request_set_tfm(req, tfm);
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_ad(req, assoclen);
	aead_request_set_crypt(req, sg, sg, cryptlen, nonce);
	return enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
}

/* Make room for @prefix bytes after the header and @tail at the end. */
static int make_room(struct gossip_net *gn, struct sk_buff *skb,
		     unsigned int prefix, unsigned int tail)
{
	if (skb->len + prefix + tail > READ_ONCE(gn->max_dgram) ||
	    skb_headroom(skb) < prefix || skb_tailroom(skb) < tail ||
	    skb->len < GOSSIP_WIRE_HDR_LEN)
		return -EMSGSIZE;	/* the configuration changed meanwhile */
	skb_push(skb, prefix);
	memmove(skb->data, skb->data + prefix, GOSSIP_WIRE_HDR_LEN);
	skb_put(skb, tail);
	return 0;
}

static int seal(struct gossip_net *gn, const struct gossip_auth *a,
		struct sk_buff *skb)
{
	struct scatterlist sg[3];
	u8 nonce[GOSSIP_NONCE_LEN];
	unsigned int assoclen;
	int err;

	err = make_room(gn, skb, GOSSIP_WIRE_COUNTER_LEN, GOSSIP_WIRE_TAG_LEN);
	if (err)
		return err;
	gossip_wire_seal_prefix(skb->data, skb->len,
				atomic64_inc_return(&gn->tx_counter));
	seal_nonce(nonce, skb->data);
	assoclen = seal_sg(sg, skb->data, skb->len, a);
	return aead_run(a, a->keys[0].tfm, sg, assoclen,
			skb->len - assoclen + a->label_len -
			GOSSIP_WIRE_TAG_LEN, nonce, true);
}

/*
 * What every datagram goes through before it is sent, in softirq context:
 * with a key, sealed with the primary; with a label and no key, the label
 * in the clear. Returns 0, or an error when it must not be sent.
 */
int gossip_auth_seal(struct gossip_net *gn, struct sk_buff *skb)
{
	const struct gossip_auth *a;
	int err = 0;

	rcu_read_lock_bh();
	a = rcu_dereference_bh(gn->auth);
	if (a && a->nkeys) {
		err = seal(gn, a, skb);
	} else if (a && a->label_len) {
		err = make_room(gn, skb, 1 + a->label_len, 0);
		if (!err)
			gossip_wire_label_prefix(skb->data, skb->len, a->label,
						 a->label_len);
	}
	rcu_read_unlock_bh();
	return err;
}

/*
 * Open a sealed datagram in place with one of the keys, the primary first.
 * ChaCha20-Poly1305 decrypts before it compares the tag (crypto/
 * chacha20poly1305.c), so a failed attempt leaves the records XORed with
 * that key's stream: encrypting them again with the same key and nonce
 * gives the ciphertext back, and the received tag, saved, is put back.
 */
static bool open_with(const struct gossip_auth *a, u8 *buf, size_t len)
{
	u8 nonce[GOSSIP_NONCE_LEN], tag[GOSSIP_WIRE_TAG_LEN];
	struct scatterlist sg[3];
	unsigned int assoclen, cryptlen;
	int i;

	seal_nonce(nonce, buf);
	memcpy(tag, buf + len - GOSSIP_WIRE_TAG_LEN, sizeof(tag));
	assoclen = seal_sg(sg, buf, len, a);
	cryptlen = len - assoclen + a->label_len;	/* records and tag */
	for (i = 0; i < a->nkeys; i++) {
		if (!aead_run(a, a->keys[i].tfm, sg, assoclen, cryptlen, nonce,
			      false))
			return true;
		if (i + 1 == a->nkeys)
			break;
		aead_run(a, a->keys[i].tfm, sg, assoclen,
			 cryptlen - GOSSIP_WIRE_TAG_LEN, nonce, true);
		memcpy(buf + len - GOSSIP_WIRE_TAG_LEN, tag, sizeof(tag));
	}
	return false;
}

static struct gossip_replay *replay_find(struct gossip_net *gn, u32 sender)
{
	struct gossip_replay *r;

	hash_for_each_possible(gn->replay, r, node, sender)
		if (r->sender == sender)
			return r;
	return NULL;
}

/* RFC 6479: true if @counter is new and inside the window; mark it seen. */
static bool replay_window(struct gossip_replay *r, u64 counter)
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

/* 0 if @counter of @sender is fresh, else the counter to count the drop. */
static int replay_check(struct gossip_net *gn, u32 sender, u64 counter)
{
	struct gossip_replay *r;
	int ret = 0;

	if (counter >= U64_MAX - GOSSIP_REPLAY_BITS)
		return GOSSIP_STATS_A_RX_ERR_REPLAY;
	spin_lock_bh(&gn->replay_lock);
	r = replay_find(gn, sender);
	if (!r) {
		if (gn->replay_count >= GOSSIP_REPLAY_SENDERS) {
			ret = GOSSIP_STATS_A_RX_ERR_NOMEM;
			goto out;
		}
		r = kzalloc(sizeof(*r), GFP_ATOMIC);
		if (!r) {
			ret = GOSSIP_STATS_A_RX_ERR_NOMEM;
			goto out;
		}
		r->sender = sender;
		hash_add(gn->replay, &r->node, sender);
		gn->replay_count++;
	}
	if (!replay_window(r, counter))
		ret = GOSSIP_STATS_A_RX_ERR_REPLAY;
out:
	spin_unlock_bh(&gn->replay_lock);
	return ret;
}

/*
 * Bytes held for authentication: the keys and label, the per-CPU requests
 * and the replay windows (the ciphers' own contexts are not counted).
 */
size_t gossip_auth_mem(struct gossip_net *gn)
{
	size_t mem = READ_ONCE(gn->replay_count) *
		     kmalloc_size_roundup(sizeof(struct gossip_replay));
	struct gossip_auth *a;
	unsigned int req = 0;
	int i;

	rcu_read_lock_bh();
	a = rcu_dereference_bh(gn->auth);
	if (a) {
		for (i = 0; i < a->nkeys; i++)
			req = max(req, crypto_aead_reqsize(a->keys[i].tfm));
		mem += kmalloc_size_roundup(sizeof(*a));
		if (a->req)
			mem += (sizeof(struct aead_request) + req) *
			       num_possible_cpus();
	}
	rcu_read_unlock_bh();
	return mem;
}

/* Forget every sender's window: at down, when the last key goes, at exit. */
void gossip_replay_free(struct gossip_net *gn)
{
	struct gossip_replay *r;
	struct hlist_node *tmp;
	int bkt;

	spin_lock_bh(&gn->replay_lock);
	hash_for_each_safe(gn->replay, bkt, tmp, r, node) {
		hash_del(&r->node);
		kfree(r);
	}
	gn->replay_count = 0;
	spin_unlock_bh(&gn->replay_lock);
}

static bool label_is(const struct gossip_auth *a,
		     const struct gossip_wire_hdr *h)
{
	u8 len = a ? a->label_len : 0;

	return h->label_len == len && (!len || !memcmp(h->label, a->label, len));
}

/*
 * Authenticate a received datagram whose header @h checked, in softirq
 * context; a sealed one is opened in place. Returns 0 when it may be
 * parsed, else the counter (GOSSIP_STATS_A_*) its drop is counted in.
 */
int gossip_auth_rx(struct gossip_net *gn, u8 *buf, size_t len,
		   const struct gossip_wire_hdr *h)
{
	const struct gossip_auth *a;
	int ret = 0;

	rcu_read_lock_bh();
	a = rcu_dereference_bh(gn->auth);
	if (h->flags & GOSSIP_WIRE_F_SEALED) {
		if (!a || !a->nkeys || !open_with(a, buf, len))
			ret = GOSSIP_STATS_A_RX_ERR_AUTH;
		else
			ret = replay_check(gn, h->sender, h->counter);
	} else if (a && a->nkeys) {
		ret = GOSSIP_STATS_A_RX_ERR_UNAUTH;
	} else if (!label_is(a, h)) {
		ret = GOSSIP_STATS_A_RX_ERR_LABEL;
	}
	rcu_read_unlock_bh();
	return ret;
}
