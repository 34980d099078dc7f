// SPDX-License-Identifier: GPL-2.0
/*
 * Authenticated datagrams, replay protection and the cluster label.
 *
 * The keys and the label of an instance are one struct gossip_auth,
 * published with rcu_assign_pointer() under conf_lock and replaced as a
 * whole on every change (like the peer set), read under rcu_read_lock_bh()
 * on the packet path. The old one is freed after synchronize_rcu(), in
 * process context, with kfree_sensitive(): the keys are raw 32-byte
 * secrets inside it, nothing else holds them.
 *
 * The AEAD is XChaCha20-Poly1305 from the kernel's library
 * (lib/crypto/chacha20poly1305.c, as WireGuard's cookies use it): plain
 * function calls on a buffer, synchronous, nothing allocated, so they run
 * in softirq context (rounds and receive) as they are. Its 24-byte nonce is
 * the sender's 8-byte counter and 16 random bytes drawn for each datagram
 * (wire.h): a nonce cannot repeat under a key however the counter goes
 * (two nodes given one node id, a wall clock set back before an up, a
 * restored VM snapshot: the CRNG is reseeded on a VM generation change), as
 * long as the CRNG does not repeat itself. The counter serves only the
 * replay windows.
 *
 * Replay: the sender's counter goes through a sliding window per sender
 * (replay.c). A window is per sender, not per sender and receiver, so the
 * AAD also holds the address the datagram was sent to (IP and UDP port,
 * as the receiver sees it arrive): captured on its way to one node, a
 * datagram opens nowhere else, and where it opens its window refuses it
 * the second time. Without that, a digest captured on its way to one node
 * and replayed to another with a peer's address forged as its source
 * would be answered, to that peer.
 */
#include <crypto/chacha20poly1305.h>
#include <linux/ktime.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "gossip.h"
#include "wire.h"

static_assert(GOSSIP_SECRET_LEN == CHACHA20POLY1305_KEY_SIZE);
static_assert(GOSSIP_WIRE_NONCE_LEN == XCHACHA20POLY1305_NONCE_SIZE);
static_assert(GOSSIP_WIRE_TAG_LEN == CHACHA20POLY1305_AUTHTAG_SIZE);

/*
 * The AAD of a sealed datagram: header and nonce, the receiver's address
 * (16 bytes, IPv4 as an IPv4-mapped IPv6 address, then the port, both in
 * network order), then the label.
 */
#define AAD_PREFIX	sizeof(struct gossip_msg_sealed)
#define AAD_TO_LEN	(sizeof(struct in6_addr) + sizeof(__be16))
#define AAD_MAX		(GOSSIP_WIRE_AAD_LEN + AAD_TO_LEN + GOSSIP_LABEL_MAX)

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

/* A copy of @old (or an empty one) to change. */
static struct gossip_auth *auth_dup(const struct gossip_auth *old)
{
	struct gossip_auth *a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);

	if (a && old) {
		memcpy(a->keys, old->keys, sizeof(a->keys));
		a->nkeys = old->nkeys;
		memcpy(a->label, old->label, sizeof(a->label));
		a->label_len = old->label_len;
	}
	return a;
}

/*
 * Publish @new (NULL when it holds neither a key nor a label) in place of
 * the current one, wait for the readers of the old one, then free it and
 * the secrets in it. Consumes @new.
 */
static void auth_replace(struct gossip_net *gn, struct gossip_auth *new)
{
	struct gossip_auth *old = auth_locked(gn);

	if (new && !new->nkeys && !new->label_len) {
		kfree_sensitive(new);
		new = NULL;
	}
	rcu_assign_pointer(gn->auth, new);
	WRITE_ONCE(gn->auth_gen, gn->auth_gen + 1);
	synchronize_rcu();
	kfree_sensitive(old);
	if (!new || !new->nkeys)
		gossip_replay_free(gn);	/* authentication is off */
}

int gossip_authkey_add(struct gossip_net *gn, u8 id, const u8 *secret,
		       struct netlink_ext_ack *extack)
{
	struct gossip_auth *old = auth_locked(gn), *a;

	lockdep_assert_held(&gn->conf_lock);
	if (key_find(old, id) >= 0) {
		NL_SET_ERR_MSG_MOD(extack, "a key with this id exists already");
		return -EEXIST;
	}
	if (old && old->nkeys >= GOSSIP_AUTHKEYS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "key table is full ("
				   __stringify(GOSSIP_AUTHKEYS_MAX) " keys)");
		return -ENOSPC;
	}
	a = auth_dup(old);
	if (!a)
		return -ENOMEM;
	/* The first key is the primary: it is keys[0]. */
	a->keys[a->nkeys].id = id;
	memcpy(a->keys[a->nkeys].secret, secret, GOSSIP_SECRET_LEN);
	a->nkeys++;
	auth_replace(gn, a);
	pr_debug("key %u created in netns %u\n", id, gn->net->ns.inum);
	return 0;
}

int gossip_authkey_use(struct gossip_net *gn, u8 id,
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
	memzero_explicit(&k, sizeof(k));
	auth_replace(gn, a);
	return 0;
}

int gossip_authkey_del(struct gossip_net *gn, u8 id,
		       struct netlink_ext_ack *extack)
{
	struct gossip_auth *old = auth_locked(gn), *a;
	int idx;

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
	memzero_explicit(&a->keys[a->nkeys], sizeof(a->keys[0]));
	auth_replace(gn, a);
	pr_debug("key %u destroyed in netns %u\n", id, gn->net->ns.inum);
	return 0;
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
	auth_replace(gn, a);
	return 0;
}

/* The namespace is going away: nothing reads any more. */
void gossip_auth_free(struct gossip_net *gn)
{
	struct gossip_auth *a = rcu_dereference_protected(gn->auth, 1);
	int i;

	RCU_INIT_POINTER(gn->auth, NULL);
	for (i = 0; a && i < a->nkeys; i++)
		pr_debug("key %u destroyed in netns %u\n", a->keys[i].id,
			 gn->net->ns.inum);
	kfree_sensitive(a);
	gossip_replay_free(gn);
}

/*
 * Called at up, before the socket opens: the counter continues from where
 * it was and from the wall clock in ns, so that it keeps growing across a
 * restart of the module or the machine, and receivers that kept the
 * sender's window accept it again at once. Each datagram then takes the
 * next value: the counters of one sender are dense, so that the replay
 * window covers its last GOSSIP_REPLAY_BITS datagrams (a clock read per
 * datagram would leave gaps of thousands between two, and the window would
 * cover only microseconds). The nonce does not depend on it (see above).
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

/* @to as the AAD holds it, into the AAD_TO_LEN bytes at @p. */
static void aad_to(u8 *p, const union gossip_sockaddr *to)
{
	struct in6_addr ip;
	__be16 port;

	if (to->sa.sa_family == AF_INET) {
		ipv6_addr_set_v4mapped(to->in4.sin_addr.s_addr, &ip);
		port = to->in4.sin_port;
	} else {
		ip = to->in6.sin6_addr;
		port = to->in6.sin6_port;
	}
	memcpy(p, &ip, sizeof(ip));
	memcpy(p + sizeof(ip), &port, sizeof(port));
}

/*
 * The AAD of the sealed datagram at @buf into @aad: its header and nonce as
 * sent, the address @to it is sent to (or was received at), then the
 * label of @a. Returns its length.
 */
static size_t seal_aad(u8 *aad, const u8 *buf,
		       const union gossip_sockaddr *to,
		       const struct gossip_auth *a)
{
	memcpy(aad, buf, AAD_PREFIX);
	aad_to(aad + AAD_PREFIX, to);
	memcpy(aad + AAD_PREFIX + AAD_TO_LEN, a->label, a->label_len);
	return AAD_PREFIX + AAD_TO_LEN + a->label_len;
}

/* Make room for @prefix bytes after the header and @tail at the end. */
static int make_room(struct gossip_net *gn, struct sk_buff *skb,
		     unsigned int prefix, unsigned int tail)
{
	if (skb->len + prefix + tail > READ_ONCE(gn->max_dgram) ||
	    skb_headroom(skb) < prefix || skb_tailroom(skb) < tail ||
	    skb->len < sizeof(struct gossip_msg_header))
		return -EMSGSIZE;	/* the configuration changed meanwhile */
	skb_push(skb, prefix);
	memmove(skb->data, skb->data + prefix,
		sizeof(struct gossip_msg_header));
	skb_put(skb, tail);
	return 0;
}

/*
 * Seal with the primary key, in place: the records become ciphertext, the
 * tag goes in the room after them.
 */
static int seal(struct gossip_net *gn, const struct gossip_auth *a,
		struct sk_buff *skb, const union gossip_sockaddr *to)
{
	u8 aad[AAD_MAX], rnd[GOSSIP_WIRE_RANDOM_LEN];
	struct gossip_msg_sealed *m;
	size_t aad_len, len;
	int err;

	err = make_room(gn, skb, sizeof(m->nonce), GOSSIP_WIRE_TAG_LEN);
	if (err)
		return err;
	get_random_bytes(rnd, sizeof(rnd));
	gossip_wire_seal_prefix(skb->data, skb->len,
				atomic64_inc_return(&gn->tx_counter), rnd);
	m = (struct gossip_msg_sealed *)skb->data;
	aad_len = seal_aad(aad, skb->data, to, a);
	len = skb->len - sizeof(*m) - GOSSIP_WIRE_TAG_LEN;
	xchacha20poly1305_encrypt(m->records, m->records, len, aad, aad_len,
				  (const u8 *)&m->nonce, a->keys[0].secret);
	return 0;
}

/* Whether this node seals what it sends: it has a key. */
bool gossip_auth_keyed(struct gossip_net *gn)
{
	const struct gossip_auth *a;
	bool keyed;

	rcu_read_lock_bh();
	a = rcu_dereference_bh(gn->auth);
	keyed = a && a->nkeys;
	rcu_read_unlock_bh();
	return keyed;
}

/*
 * What every datagram goes through before it is sent to @to, in softirq
 * context: with a key, sealed with the primary (and to @to); with a label
 * and no key, the label in the clear. Returns 0, or an error when it must
 * not be sent.
 */
int gossip_auth_seal(struct gossip_net *gn, struct sk_buff *skb,
		     const union gossip_sockaddr *to)
{
	const struct gossip_auth *a;
	int err = 0;

	rcu_read_lock_bh();
	a = rcu_dereference_bh(gn->auth);
	if (a && a->nkeys) {
		err = seal(gn, a, skb, to);
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
 * Open the sealed datagram of @len bytes at @buf, received at @to (its
 * header checked: it
 * holds at least a nonce and a tag) in place with one of the keys, the
 * primary first. The library checks the tag before it decrypts anything,
 * and decrypts in place (dst == src) only when the tag matched: a failed
 * attempt leaves the datagram as it was, for the next key.
 */
static bool open_with(const struct gossip_auth *a, u8 *buf, size_t len,
		      const union gossip_sockaddr *to)
{
	struct gossip_msg_sealed *m = (struct gossip_msg_sealed *)buf;
	size_t aad_len;
	u8 aad[AAD_MAX];
	int i;

	aad_len = seal_aad(aad, buf, to, a);
	for (i = 0; i < a->nkeys; i++)
		if (xchacha20poly1305_decrypt(m->records, m->records,
					      len - sizeof(*m), aad, aad_len,
					      (const u8 *)&m->nonce,
					      a->keys[i].secret))
			return true;
	return false;
}

/* Bytes held for authentication: the keys and label, the replay windows. */
size_t gossip_auth_mem(struct gossip_net *gn)
{
	size_t mem = READ_ONCE(gn->replay_count) *
		     kmalloc_size_roundup(sizeof(struct gossip_replay));

	rcu_read_lock_bh();
	if (rcu_dereference_bh(gn->auth))
		mem += kmalloc_size_roundup(sizeof(struct gossip_auth));
	rcu_read_unlock_bh();
	return mem;
}

static bool label_is(const struct gossip_auth *a,
		     const struct gossip_wire_hdr *h)
{
	u8 len = a ? a->label_len : 0;

	return h->label_len == len && (!len || !memcmp(h->label, a->label, len));
}

/*
 * Authenticate a received datagram whose header @h checked, received at
 * address @to, in softirq context; a sealed one is opened in place (sealed
 * to another address, it does not open: rx_err_auth). Returns 0 when it
 * may be parsed, else the counter (GOSSIP_STATS_A_*) its drop is counted
 * in.
 */
int gossip_auth_rx(struct gossip_net *gn, u8 *buf, size_t len,
		   const struct gossip_wire_hdr *h,
		   const union gossip_sockaddr *to)
{
	const struct gossip_auth *a;
	int ret = 0;

	rcu_read_lock_bh();
	a = rcu_dereference_bh(gn->auth);
	if (h->flags & GOSSIP_WIRE_F_SEALED) {
		if (!a || !a->nkeys || !open_with(a, buf, len, to))
			ret = GOSSIP_STATS_A_RX_ERR_AUTH;
		else
			ret = gossip_replay_check(gn, h->sender, h->counter);
	} else if (a && a->nkeys) {
		ret = GOSSIP_STATS_A_RX_ERR_UNAUTH;
	} else if (!label_is(a, h)) {
		ret = GOSSIP_STATS_A_RX_ERR_LABEL;
	}
	rcu_read_unlock_bh();
	return ret;
}
