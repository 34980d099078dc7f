// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_api: the generic netlink API of gossip.ko, spoken with libnl-genl
 * directly (not through gossipadm), so that what is checked is the kernel's
 * own answer:
 *  - the success path of every command;
 *  - every invalid input: the exact errno, the exact extended ack text, and
 *    the state (configuration, peers, entries) unchanged afterwards;
 *  - the "events" multicast group;
 *  - who may change what: EPERM without CAP_NET_ADMIN over the namespace.
 *
 * Each test runs in a network namespace of its own (FIXTURE_SETUP), hence
 * on a fresh gossip instance with the defaults. Needs root and gossip.ko
 * loaded; skips otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/gossip.h>

/* The harness does not build with -Wextra: its signal handler ignores one. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

/* ---- requests described as data -------------------------------------- */

/*
 * The attributes of a request: a list ended by type 0. An attribute has a
 * payload (len bytes at data) or, when nest is set, the attributes of that
 * list inside it, flagged NLA_F_NESTED unless flat.
 */
struct attr {
	uint16_t type;
	uint16_t len;
	const void *data;
	const struct attr *nest;
	bool flat;
};

#define LIST(...)	((const struct attr[]){ __VA_ARGS__, { 0 } })
#define U8(t, v)	{ .type = (t), .len = 1, .data = (const uint8_t[]){ v } }
#define U16(t, v)	{ .type = (t), .len = 2, .data = (const uint16_t[]){ v } }
#define U32(t, v)	{ .type = (t), .len = 4, .data = (const uint32_t[]){ v } }
#define U64(t, v)	{ .type = (t), .len = 8, .data = (const uint64_t[]){ v } }
#define BIN(t, n, p)	{ .type = (t), .len = (n), .data = (p) }
#define STR(t, s)	BIN(t, sizeof(s) - 1, s)	/* without the NUL */
#define NEST(t, ...)	{ .type = (t), .nest = LIST(__VA_ARGS__) }
#define FLAT_NEST(t, ...) { .type = (t), .nest = LIST(__VA_ARGS__), .flat = true }
#define EMPTY_NEST(t)	{ .type = (t), .nest = (const struct attr[]){ { 0 } } }

#define IP4(a, b, c, d)	BIN(GOSSIP_PEER_A_ADDR4, 4, ((const uint8_t[]){ a, b, c, d }))
#define IP6(p)		BIN(GOSSIP_PEER_A_ADDR6, 16, p)
#define PORT(p)		U16(GOSSIP_PEER_A_PORT, p)
#define PEER4(a, b, c, d, p) NEST(GOSSIP_A_PEER, IP4(a, b, c, d), PORT(p))
#define PEERS(...)	NEST(GOSSIP_A_PEERS, __VA_ARGS__)
#define KEY(s)		STR(GOSSIP_ENTRY_A_KEY, s)
#define VALUE(s)	STR(GOSSIP_ENTRY_A_VALUE, s)
#define ENTRY(k, v)	NEST(GOSSIP_A_ENTRY, KEY(k), VALUE(v))
#define KID(i)		U8(GOSSIP_AUTHKEY_A_ID, i)
#define SECRET(p)	BIN(GOSSIP_AUTHKEY_A_SECRET, GOSSIP_SECRET_LEN, p)
#define KEYADD(i, p)	NEST(GOSSIP_A_AUTHKEY, KID(i), SECRET(p))
#define KEYID(i)	NEST(GOSSIP_A_AUTHKEY, KID(i))

/* Payloads whose content does not matter, only their size. */
static const uint8_t zeros[2 * GOSSIP_VALUE_MAX];
static const uint8_t in6_doc[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t in6_mcast[16] = { 0xff, 0x02, [15] = 1 };
/* ::ffff:10.0.0.2, 10.0.0.2 as an IPv4-mapped IPv6 address */
static const uint8_t in6_mapped[16] = { [10] = 0xff, 0xff, 10, 0, 0, 2 };
static const uint8_t secret_a[GOSSIP_SECRET_LEN] = { 0xa1, [31] = 0x1a };
static const uint8_t secret_b[GOSSIP_SECRET_LEN] = { 0xb2, [31] = 0x2b };

static int put_attrs(struct nl_msg *msg, const struct attr *a)
{
	struct nlattr *nest;

	for (; a && a->type; a++) {
		if (!a->nest) {
			if (nla_put(msg, a->type, a->len, a->data))
				return -1;
			continue;
		}
		if (!a->nest->type) {	/* libnl's nla_nest_end() drops these */
			if (nla_put(msg, a->type | NLA_F_NESTED, 0, NULL))
				return -1;
			continue;
		}
		nest = nla_nest_start(msg, a->type);
		if (!nest || put_attrs(msg, a->nest))
			return -1;
		nla_nest_end(msg, nest);
		if (a->flat)	/* libnl sets NLA_F_NESTED itself */
			nest->nla_type &= ~NLA_F_NESTED;
	}
	return 0;
}

/* ---- answers ----------------------------------------------------------- */

struct config {
	uint32_t mode, fanout, interval_ms, node_id, max_dgram;
	uint32_t tombstone_ms, store_bytes, reject_rate;
	uint32_t max_skew_ms;
	uint8_t lockstep, eager;	/* booleans are u8 0 or 1 */
	uint16_t port;
	uint8_t running;
	uint8_t auth;
	uint8_t label[GOSSIP_LABEL_MAX];
	uint16_t label_len;
	uint8_t count;		/* configuration attributes received */
};

struct authkey {
	uint8_t id;
	bool primary;
};

struct peer {
	uint16_t family;
	uint16_t port;
	uint8_t addr[16];
};

struct entry {
	uint8_t key[GOSSIP_KEY_MAX];
	uint8_t value[GOSSIP_VALUE_MAX];
	uint16_t key_len, value_len;
	uint32_t origin;
	uint64_t version;
	uint64_t stamp_ns;
};

/* Everything the messages of one answer, or one event, carried. */
struct reply {
	uint8_t cmd;		/* of the last message */
	int msgs;
	int bad;		/* attributes that did not parse */
	struct config conf;
	struct peer *peers;
	struct entry *entries;
	struct authkey *keys;
	int npeers, nentries, nkeys;
	uint64_t stats[__GOSSIP_STATS_A_MAX];
	int nstats;
};

static void reply_free(struct reply *r)
{
	free(r->peers);
	free(r->entries);
	free(r->keys);
	memset(r, 0, sizeof(*r));
}

/* Append a zeroed element to the array ARR of N elements; NULL if no memory. */
#define APPEND(arr, n) ({						\
	__typeof__(arr) __p = realloc(arr, ((n) + 1) * sizeof(*(arr)));	\
	if (__p) {							\
		(arr) = __p;						\
		__p = &(arr)[(n)++];					\
		memset(__p, 0, sizeof(*__p));				\
	}								\
	__p; })

/* Copy attribute @a into @dst if it has exactly @len bytes; count it. */
static bool take(struct reply *r, const struct nlattr *a, void *dst, int len)
{
	if (!a)
		return false;
	if (nla_len(a) != len) {
		r->bad++;
		return false;
	}
	memcpy(dst, nla_data(a), len);
	return true;
}

/* Copy variable-length attribute @a into @dst of @cap bytes. */
static void take_bin(struct reply *r, const struct nlattr *a, void *dst,
		     int cap, uint16_t *len)
{
	if (!a || nla_len(a) > cap) {
		r->bad++;
		return;
	}
	*len = nla_len(a);
	memcpy(dst, nla_data(a), *len);
}

static void parse_config(struct reply *r, struct nlattr **tb)
{
	struct config *c = &r->conf;

	c->count += take(r, tb[GOSSIP_A_MODE], &c->mode, 4);
	c->count += take(r, tb[GOSSIP_A_FANOUT], &c->fanout, 4);
	c->count += take(r, tb[GOSSIP_A_INTERVAL_MS], &c->interval_ms, 4);
	c->count += take(r, tb[GOSSIP_A_PORT], &c->port, 2);
	c->count += take(r, tb[GOSSIP_A_NODE_ID], &c->node_id, 4);
	c->count += take(r, tb[GOSSIP_A_MAX_DGRAM], &c->max_dgram, 4);
	c->count += take(r, tb[GOSSIP_A_RUNNING], &c->running, 1);
	c->count += take(r, tb[GOSSIP_A_TOMBSTONE_MS], &c->tombstone_ms, 4);
	c->count += take(r, tb[GOSSIP_A_LOCKSTEP], &c->lockstep, 1);
	c->count += take(r, tb[GOSSIP_A_EAGER], &c->eager, 1);
	c->count += take(r, tb[GOSSIP_A_AUTH], &c->auth, 1);
	c->count += take(r, tb[GOSSIP_A_STORE_BYTES], &c->store_bytes, 4);
	c->count += take(r, tb[GOSSIP_A_REJECT_RATE], &c->reject_rate, 4);
	c->count += take(r, tb[GOSSIP_A_MAX_SKEW_MS], &c->max_skew_ms, 4);
	if (tb[GOSSIP_A_LABEL]) {
		take_bin(r, tb[GOSSIP_A_LABEL], c->label, GOSSIP_LABEL_MAX,
			 &c->label_len);
		c->count++;
	}
}

static void parse_authkey(struct reply *r, struct nlattr *nest)
{
	struct nlattr *tb[GOSSIP_AUTHKEY_A_MAX + 1];
	struct authkey *k = APPEND(r->keys, r->nkeys);

	if (!k || nla_parse_nested(tb, GOSSIP_AUTHKEY_A_MAX, nest, NULL) ||
	    !take(r, tb[GOSSIP_AUTHKEY_A_ID], &k->id, 1) ||
	    tb[GOSSIP_AUTHKEY_A_SECRET]) {	/* a secret is never read back */
		r->bad++;
		return;
	}
	if (!take(r, tb[GOSSIP_AUTHKEY_A_PRIMARY], &k->primary, 1))
		r->bad++;
}

static void parse_peer(struct reply *r, struct nlattr *nest)
{
	struct nlattr *tb[GOSSIP_PEER_A_MAX + 1];
	struct peer *p = APPEND(r->peers, r->npeers);

	if (!p || nla_parse_nested(tb, GOSSIP_PEER_A_MAX, nest, NULL) ||
	    !!tb[GOSSIP_PEER_A_ADDR4] == !!tb[GOSSIP_PEER_A_ADDR6] ||
	    !take(r, tb[GOSSIP_PEER_A_PORT], &p->port, 2)) {
		r->bad++;
		return;
	}
	if (take(r, tb[GOSSIP_PEER_A_ADDR4], p->addr, 4))
		p->family = AF_INET;
	else if (take(r, tb[GOSSIP_PEER_A_ADDR6], p->addr, 16))
		p->family = AF_INET6;
}

static void parse_entry(struct reply *r, struct nlattr *nest)
{
	struct nlattr *tb[GOSSIP_ENTRY_A_MAX + 1];
	struct entry *e = APPEND(r->entries, r->nentries);

	if (!e || nla_parse_nested(tb, GOSSIP_ENTRY_A_MAX, nest, NULL) ||
	    !take(r, tb[GOSSIP_ENTRY_A_ORIGIN], &e->origin, 4) ||
	    !take(r, tb[GOSSIP_ENTRY_A_VERSION], &e->version, 8) ||
	    !take(r, tb[GOSSIP_ENTRY_A_STAMP_NS], &e->stamp_ns, 8)) {
		r->bad++;
		return;
	}
	take_bin(r, tb[GOSSIP_ENTRY_A_KEY], e->key, GOSSIP_KEY_MAX, &e->key_len);
	take_bin(r, tb[GOSSIP_ENTRY_A_VALUE], e->value, GOSSIP_VALUE_MAX,
		 &e->value_len);
}

static void parse_stats(struct reply *r, struct nlattr *nest)
{
	struct nlattr *tb[GOSSIP_STATS_A_MAX + 1];
	int i;

	if (nla_parse_nested(tb, GOSSIP_STATS_A_MAX, nest, NULL)) {
		r->bad++;
		return;
	}
	for (i = GOSSIP_STATS_A_PAD + 1; i <= GOSSIP_STATS_A_MAX; i++)
		r->nstats += take(r, tb[i], &r->stats[i], 8);
}

/* ---- one request, one answer ------------------------------------------- */

#define EXT_LEN 256

/* A netlink socket talking to the family "gossip". */
struct gnl {
	struct nl_sock *sk;
	int family;
	char ext[EXT_LEN];	/* extack text of the last answer, "" if none */
	int bad_off;		/* offset of the attribute it names, or -1 */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, 0 if none */
	int miss_nest;		/* type of the nest at MISS_NEST, 0 if none */
};

/* The state of one request while its answer comes in. */
struct req {
	struct reply *reply;
	char *ext;
	int *bad_off;
	int *miss_type;
	int *miss_off;		/* NLMSGERR_ATTR_MISS_NEST, -1 if none */
	int err;
	bool done;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct reply *r = ((struct req *)arg)->reply;
	struct nlattr *tb[GOSSIP_A_MAX + 1];

	if (!r)
		return NL_OK;
	r->msgs++;
	r->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	if (genlmsg_parse(nlh, 0, tb, GOSSIP_A_MAX, NULL)) {
		r->bad++;
		return NL_OK;
	}
	parse_config(r, tb);
	if (tb[GOSSIP_A_PEER])
		parse_peer(r, tb[GOSSIP_A_PEER]);
	if (tb[GOSSIP_A_ENTRY])
		parse_entry(r, tb[GOSSIP_A_ENTRY]);
	if (tb[GOSSIP_A_STATS])
		parse_stats(r, tb[GOSSIP_A_STATS]);
	if (tb[GOSSIP_A_AUTHKEY])
		parse_authkey(r, tb[GOSSIP_A_AUTHKEY]);
	return NL_OK;
}

/*
 * An NLMSG_ERROR, error or ack: keep the errno and the extack text. The
 * TLVs follow struct nlmsgerr, and the request it quotes unless capped.
 */
static void take_ack(struct req *q, struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	q->err = -e->error;
	q->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(q->ext, tb[NLMSGERR_ATTR_MSG], EXT_LEN);
	if (q->bad_off && tb[NLMSGERR_ATTR_OFFS])
		*q->bad_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (q->miss_type && tb[NLMSGERR_ATTR_MISS_TYPE])
		*q->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (q->miss_off && tb[NLMSGERR_ATTR_MISS_NEST])
		*q->miss_off = nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	take_ack(arg, e);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	take_ack(arg, nlmsg_data(nlmsg_hdr(msg)));
	return NL_STOP;
}

/* NLMSG_DONE of a dump: its payload is the dump's error, 0 if none. */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *q = arg;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		q->err = -*(int *)nlmsg_data(nlh);
	q->done = true;
	return NL_STOP;
}

/* Receive what is queued (one datagram, or a whole multipart run). */
static int gnl_recv(struct gnl *g, struct req *q)
{
	struct nl_cb *s = nl_socket_get_cb(g->sk), *cb = nl_cb_clone(s);
	int ret;

	nl_cb_put(s);
	if (!cb)
		return -NLE_NOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, q);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, q);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, q);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, q);
	ret = nl_recvmsgs(g->sk, cb);
	nl_cb_put(cb);
	return ret;
}

/*
 * Send command @cmd with @attrs (and @flags, e.g. NLM_F_DUMP) and wait for
 * the end of the answer. Returns 0 or the positive errno of the answer; its
 * extack text is in g->ext ("" if none), its messages in @r (may be NULL).
 */
static int gnl_req(struct gnl *g, uint8_t cmd, int flags,
		   const struct attr *attrs, struct reply *r)
{
	int miss_off = -1;
	struct req q = { .reply = r, .ext = g->ext, .bad_off = &g->bad_off,
			 .miss_type = &g->miss_type, .miss_off = &miss_off };
	/* room for a list of GOSSIP_PEERS_MAX + 1 IPv6 peers */
	struct nl_msg *msg = nlmsg_alloc_size(64 * 1024);
	int ret;

	g->ext[0] = '\0';
	g->bad_off = -1;
	g->miss_type = 0;
	g->miss_nest = 0;
	if (r)
		reply_free(r);
	if (!msg)
		return ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
			 cmd, GOSSIP_GENL_VERSION) || put_attrs(msg, attrs)) {
		nlmsg_free(msg);
		return EMSGSIZE;
	}
	ret = nl_send_auto(g->sk, msg);
	if (ret < 0) {
		nlmsg_free(msg);
		return EIO;
	}
	while (!q.done) {
		ret = gnl_recv(g, &q);
		if (ret < 0 && (ret == -NLE_DUMP_INTR || !q.done))
			break;
	}
	/* The nest a missing attribute belongs to, read in our request. */
	if (q.done && miss_off >= 0 &&
	    miss_off + NLA_HDRLEN <= (int)nlmsg_hdr(msg)->nlmsg_len)
		g->miss_nest = nla_type((struct nlattr *)
					((char *)nlmsg_hdr(msg) + miss_off));
	nlmsg_free(msg);
	if (ret == -NLE_DUMP_INTR)
		return EINTR;	/* the dump was not consistent */
	if (ret < 0 && !q.done)
		return EIO;
	return q.err;
}

/* One event of the events group, within @timeout_ms; ETIMEDOUT if none. */
static int gnl_event(struct gnl *ev, struct reply *r, int timeout_ms)
{
	struct pollfd p = { .fd = nl_socket_get_fd(ev->sk), .events = POLLIN };
	struct req q = { .reply = r, .ext = ev->ext };

	reply_free(r);
	if (poll(&p, 1, timeout_ms) != 1)
		return ETIMEDOUT;
	return gnl_recv(ev, &q) < 0 ? EIO : 0;
}

static void gnl_close(struct gnl *g)
{
	nl_socket_free(g->sk);
	g->sk = NULL;
}

/* Connect, resolve the family; 0 or a negative libnl error. */
static int gnl_open(struct gnl *g)
{
	int one = 1, err;

	memset(g, 0, sizeof(*g));
	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -NLE_NOMEM;
	err = genl_connect(g->sk);
	if (!err && setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK,
			       NETLINK_EXT_ACK, &one, sizeof(one)))
		err = -NLE_FAILURE;
	if (!err) {
		nl_socket_enable_msg_peek(g->sk);
		err = g->family = genl_ctrl_resolve(g->sk, GOSSIP_GENL_NAME);
	}
	if (err < 0) {
		gnl_close(g);
		return err;
	}
	return 0;
}

/* A socket subscribed to the events group. */
static int gnl_open_events(struct gnl *ev)
{
	int err = gnl_open(ev), grp;

	if (err)
		return err;
	grp = genl_ctrl_resolve_grp(ev->sk, GOSSIP_GENL_NAME,
				    GOSSIP_MCGRP_EVENTS);
	err = grp < 0 ? grp : nl_socket_add_membership(ev->sk, grp);
	if (err) {
		gnl_close(ev);
		return err;
	}
	nl_socket_disable_seq_check(ev->sk);
	return 0;
}

/* ---- state, and the table of invalid inputs ---------------------------- */

/* What an invalid request must leave unchanged. */
struct state {
	struct reply conf, peers, entries, keys;
};

static void state_get(struct __test_metadata *_metadata, struct gnl *g,
		      struct state *s)
{
	ASSERT_EQ(0, gnl_req(g, GOSSIP_CMD_CONFIG_GET, 0, NULL, &s->conf));
	ASSERT_EQ(0, gnl_req(g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL,
			     &s->peers));
	ASSERT_EQ(0, gnl_req(g, GOSSIP_CMD_ENTRY_GET, NLM_F_DUMP, NULL,
			     &s->entries));
	ASSERT_EQ(0, gnl_req(g, GOSSIP_CMD_AUTHKEY_GET, NLM_F_DUMP, NULL,
			     &s->keys));
}

static void state_free(struct state *s)
{
	reply_free(&s->conf);
	reply_free(&s->peers);
	reply_free(&s->entries);
	reply_free(&s->keys);
}

static bool same_bytes(const void *a, const void *b, size_t n)
{
	return !n || !memcmp(a, b, n);
}

static bool state_equal(const struct state *a, const struct state *b)
{
	return same_bytes(&a->conf.conf, &b->conf.conf, sizeof(a->conf.conf)) &&
	       a->peers.npeers == b->peers.npeers &&
	       same_bytes(a->peers.peers, b->peers.peers,
			  a->peers.npeers * sizeof(struct peer)) &&
	       a->entries.nentries == b->entries.nentries &&
	       same_bytes(a->entries.entries, b->entries.entries,
			  a->entries.nentries * sizeof(struct entry)) &&
	       a->keys.nkeys == b->keys.nkeys &&
	       same_bytes(a->keys.keys, b->keys.keys,
			  a->keys.nkeys * sizeof(struct authkey));
}

/* A request that must fail with @err and exactly the extack text @ext. */
struct bad_case {
	const char *name;
	uint8_t cmd;
	int flags;
	const struct attr *attrs;
	int err;
	const char *ext;
};

/*
 * The cases whose error is a missing required attribute: the type the
 * kernel reports (NLMSGERR_ATTR_MISS_TYPE) and the type of the nest at the
 * offset it gives (NLMSGERR_ATTR_MISS_NEST), 0 for the top level. Every
 * other case must report no missing attribute.
 */
static const struct miss_case {
	const char *name;
	uint16_t miss, nest;
} miss_cases[] = {
	{ "no peer", GOSSIP_A_PEER, 0 },
	{ "del, no peer", GOSSIP_A_PEER, 0 },
	{ "no port", GOSSIP_PEER_A_PORT, GOSSIP_A_PEER },
	{ "peer list: no port", GOSSIP_PEER_A_PORT, GOSSIP_A_PEER },
	{ "no entry", GOSSIP_A_ENTRY, 0 },
	{ "no key", GOSSIP_ENTRY_A_KEY, GOSSIP_A_ENTRY },
	{ "no value", GOSSIP_ENTRY_A_VALUE, GOSSIP_A_ENTRY },
	{ "empty entry nest", GOSSIP_ENTRY_A_KEY, GOSSIP_A_ENTRY },
	{ "get, no entry", GOSSIP_A_ENTRY, 0 },
	{ "get, no key", GOSSIP_ENTRY_A_KEY, GOSSIP_A_ENTRY },
	{ "delete, no entry", GOSSIP_A_ENTRY, 0 },
	{ "add: no key", GOSSIP_A_AUTHKEY, 0 },
	{ "add: empty key nest", GOSSIP_AUTHKEY_A_ID, GOSSIP_A_AUTHKEY },
	{ "add: no id", GOSSIP_AUTHKEY_A_ID, GOSSIP_A_AUTHKEY },
	{ "add: no secret", GOSSIP_AUTHKEY_A_SECRET, GOSSIP_A_AUTHKEY },
	{ "use: no key", GOSSIP_A_AUTHKEY, 0 },
	{ "use: no id", GOSSIP_AUTHKEY_A_ID, GOSSIP_A_AUTHKEY },
	{ "del: no key", GOSSIP_A_AUTHKEY, 0 },
};

static const struct miss_case *miss_of(const struct bad_case *c)
{
	static const struct miss_case none;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(miss_cases); i++)
		if (!strcmp(miss_cases[i].name, c->name))
			return &miss_cases[i];
	return &none;
}

/* Send one case; print what it got; it fails as it says. */
static void run_case(struct __test_metadata *_metadata, struct gnl *g,
		     const struct bad_case *c)
{
	int err = gnl_req(g, c->cmd, c->flags, c->attrs, NULL);

	printf("#   %-44s %-10s \"%s\"\n", c->name,
	       err ? strerrorname_np(err) : "0", g->ext);
	EXPECT_EQ(c->err, err)
		TH_LOG("%s: errno %s, expected %s", c->name,
		       strerrorname_np(err), strerrorname_np(c->err));
	EXPECT_STREQ(c->ext, g->ext) TH_LOG("%s: extack text", c->name);
	EXPECT_EQ(miss_of(c)->miss, g->miss_type)
		TH_LOG("%s: NLMSGERR_ATTR_MISS_TYPE", c->name);
	EXPECT_EQ(miss_of(c)->nest, g->miss_nest)
		TH_LOG("%s: the nest of NLMSGERR_ATTR_MISS_NEST", c->name);
}

/* Run each case; the state must not move. */
static void run_cases(struct __test_metadata *_metadata, struct gnl *g,
		      const struct bad_case *c, size_t n)
{
	struct state before = { 0 }, after = { 0 };

	state_get(_metadata, g, &before);
	for (; n--; c++) {
		run_case(_metadata, g, c);
		state_get(_metadata, g, &after);
		EXPECT_TRUE(state_equal(&before, &after))
			TH_LOG("%s changed the state: node_id %u -> %u, running %u -> %u, peers %d -> %d, entries %d -> %d",
			       c->name, before.conf.conf.node_id,
			       after.conf.conf.node_id, before.conf.conf.running,
			       after.conf.conf.running, before.peers.npeers,
			       after.peers.npeers, before.entries.nentries,
			       after.entries.nentries);
		if (!state_equal(&before, &after)) {	/* blame the next one only */
			state_free(&before);
			before = after;
			memset(&after, 0, sizeof(after));
		}
	}
	state_free(&before);
	state_free(&after);
}

#define RUN_CASES(g, cases) run_cases(_metadata, g, cases, ARRAY_SIZE(cases))

/* Send a request that must succeed, with no extack text. */
#define REQ_OK(g, cmd, flags, attrs, r) do {				\
	ASSERT_EQ(0, gnl_req(g, cmd, flags, attrs, r))			\
		TH_LOG("command %d: %s", cmd, (g)->ext);		\
	EXPECT_STREQ("", (g)->ext);					\
} while (0)

static void get_config(struct __test_metadata *_metadata, struct gnl *g,
		       struct config *c)
{
	struct reply r = { 0 };

	REQ_OK(g, GOSSIP_CMD_CONFIG_GET, 0, NULL, &r);
	EXPECT_EQ(1, r.msgs);
	EXPECT_EQ(GOSSIP_CMD_CONFIG_GET, r.cmd);
	EXPECT_EQ(0, r.bad);
	EXPECT_EQ(15, r.conf.count);	/* every configuration attribute */
	*c = r.conf;
	reply_free(&r);
}

/* ---- fixture: a network namespace, so a fresh instance, per test -------- */

/*
 * 6.1's harness runs the test body even after a SKIP() in the setup: leave
 * the test's process right there; exit status 255 is how it reports a skip.
 */
#define SETUP_SKIP(...) SKIP(_exit(255), __VA_ARGS__)

FIXTURE(gossip) {
	struct gnl g;
};

FIXTURE_SETUP(gossip)
{
	int err;

	if (geteuid())
		SETUP_SKIP("needs root");
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	err = gnl_open(&self->g);
	if (err == -NLE_OBJ_NOTFOUND)
		SETUP_SKIP("no generic netlink family \"gossip\": load gossip.ko");
	ASSERT_EQ(0, err) TH_LOG("netlink: %s", nl_geterror(err));
}

FIXTURE_TEARDOWN(gossip)
{
	gnl_close(&self->g);
}

/* ---- configuration ------------------------------------------------------ */

TEST_F(gossip, config_defaults)
{
	struct config c;

	get_config(_metadata, &self->g, &c);
	EXPECT_EQ((unsigned int)(GOSSIP_MODE_PUSH), c.mode);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_FANOUT), c.fanout);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_INTERVAL_MS), c.interval_ms);
	EXPECT_EQ(GOSSIP_DEFAULT_PORT, c.port);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_DGRAM), c.max_dgram);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_TOMBSTONE_MS), c.tombstone_ms);
	EXPECT_EQ(0, c.lockstep);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_STORE_BYTES), c.store_bytes);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_REJECT_RATE), c.reject_rate);
	EXPECT_EQ(1, c.eager);
	EXPECT_EQ((unsigned int)(GOSSIP_DEFAULT_MAX_SKEW_MS), c.max_skew_ms);
	EXPECT_EQ(0, c.running);
	EXPECT_NE(0U, c.node_id);
}

static uint32_t conf_field(const struct config *c, int type)
{
	switch (type) {
	case GOSSIP_A_MODE: return c->mode;
	case GOSSIP_A_FANOUT: return c->fanout;
	case GOSSIP_A_INTERVAL_MS: return c->interval_ms;
	case GOSSIP_A_PORT: return c->port;
	case GOSSIP_A_NODE_ID: return c->node_id;
	case GOSSIP_A_MAX_DGRAM: return c->max_dgram;
	case GOSSIP_A_TOMBSTONE_MS: return c->tombstone_ms;
	case GOSSIP_A_LOCKSTEP: return c->lockstep;
	case GOSSIP_A_STORE_BYTES: return c->store_bytes;
	case GOSSIP_A_REJECT_RATE: return c->reject_rate;
	case GOSSIP_A_EAGER: return c->eager;
	case GOSSIP_A_MAX_SKEW_MS: return c->max_skew_ms;
	}
	return 0;
}

/* Each attribute alone, at its limits: it reads back, nothing else moves. */
TEST_F(gossip, config_set)
{
	static const struct { uint16_t type; uint32_t value; } sets[] = {
		{ GOSSIP_A_MODE, GOSSIP_MODE_PULL },
		{ GOSSIP_A_MODE, GOSSIP_MODE_PUSHPULL },
		{ GOSSIP_A_MODE, GOSSIP_MODE_PUSH },
		{ GOSSIP_A_FANOUT, GOSSIP_FANOUT_MAX },
		{ GOSSIP_A_FANOUT, GOSSIP_FANOUT_MIN },
		{ GOSSIP_A_INTERVAL_MS, GOSSIP_INTERVAL_MAX_MS },
		{ GOSSIP_A_INTERVAL_MS, GOSSIP_INTERVAL_MIN_MS },
		{ GOSSIP_A_PORT, 65535 },
		{ GOSSIP_A_PORT, 1 },
		{ GOSSIP_A_NODE_ID, 0xffffffff },
		{ GOSSIP_A_NODE_ID, 1 },
		{ GOSSIP_A_MAX_DGRAM, GOSSIP_DGRAM_MAX },
		{ GOSSIP_A_MAX_DGRAM, GOSSIP_DGRAM_MIN },
		{ GOSSIP_A_TOMBSTONE_MS, GOSSIP_TOMBSTONE_MAX_MS },
		{ GOSSIP_A_TOMBSTONE_MS, GOSSIP_TOMBSTONE_MIN_MS },
		{ GOSSIP_A_LOCKSTEP, 1 },
		{ GOSSIP_A_LOCKSTEP, 0 },
		{ GOSSIP_A_STORE_BYTES, GOSSIP_STORE_BYTES_MAX },
		{ GOSSIP_A_STORE_BYTES, GOSSIP_STORE_BYTES_MIN },
		{ GOSSIP_A_REJECT_RATE, GOSSIP_REJECT_RATE_MAX },
		{ GOSSIP_A_REJECT_RATE, 0 },
		{ GOSSIP_A_EAGER, 0 },
		{ GOSSIP_A_EAGER, 1 },
		{ GOSSIP_A_MAX_SKEW_MS, GOSSIP_MAX_SKEW_MAX_MS },
		{ GOSSIP_A_MAX_SKEW_MS, GOSSIP_MAX_SKEW_MIN_MS },
		{ GOSSIP_A_MAX_SKEW_MS, GOSSIP_DEFAULT_MAX_SKEW_MS },
	};
	struct config before, after;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	size_t i;
	int t;

	get_config(_metadata, &self->g, &before);
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		struct attr a[2] = { { .type = sets[i].type, .len = 4, .data = &v32 } };

		v32 = sets[i].value;
		v16 = sets[i].value;
		v8 = sets[i].value;
		if (sets[i].type == GOSSIP_A_PORT) {
			a[0].len = 2;
			a[0].data = &v16;
		}
		if (sets[i].type == GOSSIP_A_LOCKSTEP ||
		    sets[i].type == GOSSIP_A_EAGER) {
			a[0].len = 1;
			a[0].data = &v8;
		}
		REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0, a, NULL);
		get_config(_metadata, &self->g, &after);
		for (t = GOSSIP_A_MODE; t <= GOSSIP_A_MAX; t++) {
			EXPECT_EQ(t == sets[i].type ? sets[i].value :
				  conf_field(&before, t), conf_field(&after, t))
				TH_LOG("set attribute %d to %u: attribute %d",
				       sets[i].type, sets[i].value, t);
		}
		EXPECT_EQ(0, after.running);
		before = after;
	}

	/* All of them in one request. */
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(U32(GOSSIP_A_MODE, GOSSIP_MODE_PUSH),
		    U32(GOSSIP_A_FANOUT, 7), U32(GOSSIP_A_INTERVAL_MS, 1234),
		    U16(GOSSIP_A_PORT, 8000), U32(GOSSIP_A_NODE_ID, 42),
		    U32(GOSSIP_A_MAX_DGRAM, 9000)), NULL);
	get_config(_metadata, &self->g, &after);
	EXPECT_EQ((unsigned int)(GOSSIP_MODE_PUSH), after.mode);
	EXPECT_EQ(7U, after.fanout);
	EXPECT_EQ(1234U, after.interval_ms);
	EXPECT_EQ(8000, after.port);
	EXPECT_EQ(42U, after.node_id);
	EXPECT_EQ(9000U, after.max_dgram);
	EXPECT_EQ(0, after.running);
}

static const struct bad_case config_cases[] = {
#define SET(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_CONFIG_SET, 0, attrs, err, ext }
	SET("fanout 0", LIST(U32(GOSSIP_A_FANOUT, 0)),
	    ERANGE, "integer out of range"),
	SET("fanout 17", LIST(U32(GOSSIP_A_FANOUT, 17)),
	    ERANGE, "integer out of range"),
	SET("interval 0", LIST(U32(GOSSIP_A_INTERVAL_MS, 0)),
	    ERANGE, "integer out of range"),
	SET("interval 60001", LIST(U32(GOSSIP_A_INTERVAL_MS, 60001)),
	    ERANGE, "integer out of range"),
	SET("max_dgram 1199", LIST(U32(GOSSIP_A_MAX_DGRAM, 1199)),
	    ERANGE, "integer out of range"),
	SET("max_dgram 65001", LIST(U32(GOSSIP_A_MAX_DGRAM, 65001)),
	    ERANGE, "integer out of range"),
	SET("mode 0", LIST(U32(GOSSIP_A_MODE, 0)),
	    ERANGE, "integer out of range"),
	SET("mode 4", LIST(U32(GOSSIP_A_MODE, 4)),
	    ERANGE, "integer out of range"),
	SET("tombstone_ms 9", LIST(U32(GOSSIP_A_TOMBSTONE_MS, 9)),
	    ERANGE, "integer out of range"),
	SET("tombstone_ms 86400001",
	    LIST(U32(GOSSIP_A_TOMBSTONE_MS, 86400001)),
	    ERANGE, "integer out of range"),
	SET("lockstep 2", LIST(U8(GOSSIP_A_LOCKSTEP, 2)),
	    ERANGE, "integer out of range"),
	SET("store_bytes 4095", LIST(U32(GOSSIP_A_STORE_BYTES, 4095)),
	    ERANGE, "integer out of range"),
	SET("store_bytes 64 MiB + 1",
	    LIST(U32(GOSSIP_A_STORE_BYTES, GOSSIP_STORE_BYTES_MAX + 1)),
	    ERANGE, "integer out of range"),
	SET("reject_rate 1000001", LIST(U32(GOSSIP_A_REJECT_RATE, 1000001)),
	    ERANGE, "integer out of range"),
	SET("reject_rate as u16", LIST(U16(GOSSIP_A_REJECT_RATE, 5)),
	    EINVAL, "invalid attribute length"),
	SET("eager 2", LIST(U8(GOSSIP_A_EAGER, 2)),
	    ERANGE, "integer out of range"),
	SET("eager as u32 (booleans are u8)", LIST(U32(GOSSIP_A_EAGER, 1)),
	    EINVAL, "invalid attribute length"),
	SET("lockstep as u32", LIST(U32(GOSSIP_A_LOCKSTEP, 1)),
	    EINVAL, "invalid attribute length"),
	SET("max_skew_ms 0", LIST(U32(GOSSIP_A_MAX_SKEW_MS, 0)),
	    ERANGE, "integer out of range"),
	SET("max_skew_ms a day + 1",
	    LIST(U32(GOSSIP_A_MAX_SKEW_MS, GOSSIP_MAX_SKEW_MAX_MS + 1)),
	    ERANGE, "integer out of range"),
	SET("port 0", LIST(U16(GOSSIP_A_PORT, 0)),
	    ERANGE, "integer out of range"),
	SET("node_id 0", LIST(U32(GOSSIP_A_NODE_ID, 0)),
	    ERANGE, "integer out of range"),
	SET("nothing", NULL, EINVAL, "gossip: nothing to set"),
	SET("fanout as u8", LIST(U8(GOSSIP_A_FANOUT, 5)),
	    EINVAL, "invalid attribute length"),
	SET("fanout as u64", LIST(U64(GOSSIP_A_FANOUT, 5)),
	    EINVAL, "invalid attribute length"),
	SET("port as u32", LIST(U32(GOSSIP_A_PORT, 8000)),
	    EINVAL, "invalid attribute length"),
	SET("fanout flagged NLA_F_NESTED",
	    LIST(U32(GOSSIP_A_FANOUT | NLA_F_NESTED, 5)),
	    EINVAL, "NLA_F_NESTED not expected"),
	SET("running (read only)", LIST(U8(GOSSIP_A_RUNNING, 1)),
	    EINVAL, "Unsupported attribute"),
	SET("pad in a set", LIST(U32(GOSSIP_A_PAD, 1)),
	    EINVAL, "Unsupported attribute"),
	SET("attribute type 200", LIST(U32(200, 1)),
	    EINVAL, "Unknown attribute type"),
	/* Nothing is applied unless everything is valid. */
	SET("fanout 5 + interval 0",
	    LIST(U32(GOSSIP_A_FANOUT, 5), U32(GOSSIP_A_INTERVAL_MS, 0)),
	    ERANGE, "integer out of range"),
	SET("fanout 5 + lockstep 2",
	    LIST(U32(GOSSIP_A_FANOUT, 5), U8(GOSSIP_A_LOCKSTEP, 2)),
	    ERANGE, "integer out of range"),
	SET("eager 0 + fanout 0",
	    LIST(U8(GOSSIP_A_EAGER, 0), U32(GOSSIP_A_FANOUT, 0)),
	    ERANGE, "integer out of range"),
#undef SET
};

TEST_F(gossip, config_invalid)
{
	RUN_CASES(&self->g, config_cases);
}

TEST_F(gossip, up_down)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(GOSSIP_DEFAULT_PORT),
	};
	const struct bad_case in_use[] = {
		{ "up, port taken by a user socket", GOSSIP_CMD_INSTANCE_UP, 0, NULL,
		  EADDRINUSE, "gossip: UDP port already in use" },
	};
	struct config c;
	int fd;

	/* The port is taken: up fails and says why. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	RUN_CASES(&self->g, in_use);
	close(fd);

	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(1, c.running);
	EXPECT_NE(0U, c.node_id);
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);	/* already up: fine */
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(1, c.running);

	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_DOWN, 0, NULL, NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(0, c.running);
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_DOWN, 0, NULL, NULL);	/* already down */
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(0, c.running);
}

/* While up: port and node id are fixed, the rest may change. */
TEST_F(gossip, config_while_up)
{
	struct config c, up;

	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);
	get_config(_metadata, &self->g, &up);
	ASSERT_EQ(1, up.running);

	/* Setting them to what they are is no change. */
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(U16(GOSSIP_A_PORT, up.port), U32(GOSSIP_A_NODE_ID, up.node_id)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(U32(GOSSIP_A_FANOUT, 5), U32(GOSSIP_A_INTERVAL_MS, 50),
		    U32(GOSSIP_A_MAX_DGRAM, 1200)), NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(5U, c.fanout);
	EXPECT_EQ(50U, c.interval_ms);
	EXPECT_EQ(1200U, c.max_dgram);
	EXPECT_EQ(1, c.running);

	const struct bad_case busy[] = {
		{ "port 7947 while up", GOSSIP_CMD_CONFIG_SET, 0,
		  LIST(U16(GOSSIP_A_PORT, 7947)), EBUSY,
		  "the port cannot change while the instance is up" },
		{ "node_id other while up", GOSSIP_CMD_CONFIG_SET, 0,
		  LIST(U32(GOSSIP_A_NODE_ID, up.node_id ^ 1)), EBUSY,
		  "the node id cannot change while the instance is up" },
		{ "fanout 9 + port 7947 while up", GOSSIP_CMD_CONFIG_SET, 0,
		  LIST(U32(GOSSIP_A_FANOUT, 9), U16(GOSSIP_A_PORT, 7947)), EBUSY,
		  "the port cannot change while the instance is up" },
	};
	RUN_CASES(&self->g, busy);

	/* Down, they may change; a node id set by the admin stays at up. */
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_DOWN, 0, NULL, NULL);
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(U16(GOSSIP_A_PORT, 7947), U32(GOSSIP_A_NODE_ID, 42)), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(7947, c.port);
	EXPECT_EQ(42U, c.node_id);
	EXPECT_EQ(1, c.running);
}

/* Commands and flags the family does not have, attributes where none go. */
static const struct bad_case command_cases[] = {
	{ "command 0 (unspec)", GOSSIP_CMD_UNSPEC, 0, NULL, EOPNOTSUPP, "" },
	{ "command ENTRY_NTF (notification only)", GOSSIP_CMD_ENTRY_NTF, 0,
	  NULL, EOPNOTSUPP, "" },
	{ "command 200", 200, 0, NULL, EOPNOTSUPP, "" },
	{ "PEER_GET without NLM_F_DUMP", GOSSIP_CMD_PEER_GET, 0, NULL,
	  EOPNOTSUPP, "" },
	{ "GET_CONFIG with NLM_F_DUMP", GOSSIP_CMD_CONFIG_GET, NLM_F_DUMP, NULL,
	  EOPNOTSUPP, "" },
	{ "GET_CONFIG with NLM_F_CREATE", GOSSIP_CMD_CONFIG_GET, NLM_F_CREATE,
	  NULL, EINVAL, "ambiguous or reserved bits set in nlmsg_flags" },
	{ "GET_CONFIG with an attribute", GOSSIP_CMD_CONFIG_GET, 0,
	  LIST(U32(GOSSIP_A_MODE, 1)), EINVAL,
	  "Attribute failed policy validation" },
	{ "UP with a port", GOSSIP_CMD_INSTANCE_UP, 0, LIST(U16(GOSSIP_A_PORT, 7947)),
	  EINVAL, "Unknown attribute type" },
	{ "STATS_GET with an attribute", GOSSIP_CMD_STATS_GET, 0,
	  LIST(U32(GOSSIP_A_MODE, 1)), EINVAL,
	  "Attribute failed policy validation" },
};

TEST_F(gossip, command_invalid)
{
	RUN_CASES(&self->g, command_cases);
}

/* ---- peers -------------------------------------------------------------- */

static bool peer_is(const struct peer *p, int family, const void *addr,
		    uint16_t port)
{
	return p->family == family && p->port == port &&
	       !memcmp(p->addr, addr, family == AF_INET ? 4 : 16);
}

TEST_F(gossip, peers)
{
	static const uint8_t a4[4] = { 10, 0, 0, 1 };
	struct reply r = { 0 };

	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 1, 7946)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0,
	       LIST(NEST(GOSSIP_A_PEER, IP6(in6_doc), PORT(7947))), NULL);

	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	EXPECT_EQ(0, r.bad);
	ASSERT_EQ(2, r.npeers);
	EXPECT_EQ(GOSSIP_CMD_PEER_GET, r.cmd);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET, a4, 7946));
	EXPECT_TRUE(peer_is(&r.peers[1], AF_INET6, in6_doc, 7947));

	/* The same address on another port is another peer. */
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 1, 7000)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0, LIST(PEER4(10, 0, 0, 1, 7946)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	ASSERT_EQ(2, r.npeers);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET6, in6_doc, 7947));
	EXPECT_TRUE(peer_is(&r.peers[1], AF_INET, a4, 7000));

	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0, LIST(PEER4(10, 0, 0, 1, 7000)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0,
	       LIST(NEST(GOSSIP_A_PEER, IP6(in6_doc), PORT(7947))), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	EXPECT_EQ(0, r.npeers);
	EXPECT_EQ(0, r.msgs);
	reply_free(&r);
}

static const struct bad_case peer_cases[] = {
#define ADD(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_PEER_ADD, 0, attrs, err, ext }
	ADD("no peer", NULL, EINVAL, "gossip: missing peer"),
	ADD("empty peer nest", LIST(EMPTY_NEST(GOSSIP_A_PEER)),
	    EINVAL, "a peer needs exactly one IPv4 or IPv6 address"),
	ADD("port, no address", LIST(NEST(GOSSIP_A_PEER, PORT(7946))),
	    EINVAL, "a peer needs exactly one IPv4 or IPv6 address"),
	ADD("ADDR4 and ADDR6",
	    LIST(NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 2), IP6(in6_doc), PORT(7946))),
	    EINVAL, "a peer needs exactly one IPv4 or IPv6 address"),
	ADD("ADDR4 of 3 bytes",
	    LIST(NEST(GOSSIP_A_PEER, BIN(GOSSIP_PEER_A_ADDR4, 3, zeros), PORT(7946))),
	    ERANGE, "binary attribute size out of range"),
	ADD("ADDR4 of 5 bytes",
	    LIST(NEST(GOSSIP_A_PEER, BIN(GOSSIP_PEER_A_ADDR4, 5, zeros), PORT(7946))),
	    ERANGE, "binary attribute size out of range"),
	ADD("ADDR6 of 4 bytes",
	    LIST(NEST(GOSSIP_A_PEER, BIN(GOSSIP_PEER_A_ADDR6, 4, zeros), PORT(7946))),
	    ERANGE, "binary attribute size out of range"),
	ADD("no port", LIST(NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 2))),
	    EINVAL, "missing peer port"),
	ADD("port 0", LIST(PEER4(10, 0, 0, 2, 0)),
	    ERANGE, "integer out of range"),
	ADD("port as u32",
	    LIST(NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 2), U32(GOSSIP_PEER_A_PORT, 7946))),
	    EINVAL, "invalid attribute length"),
	ADD("0.0.0.0", LIST(PEER4(0, 0, 0, 0, 7946)),
	    EINVAL, "peer address must be unicast"),
	ADD("224.0.0.1", LIST(PEER4(224, 0, 0, 1, 7946)),
	    EINVAL, "peer address must be unicast"),
	ADD("255.255.255.255", LIST(PEER4(255, 255, 255, 255, 7946)),
	    EINVAL, "peer address must be unicast"),
	ADD("::", LIST(NEST(GOSSIP_A_PEER, IP6(zeros), PORT(7946))),
	    EINVAL, "peer address must be unicast"),
	ADD("ff02::1", LIST(NEST(GOSSIP_A_PEER, IP6(in6_mcast), PORT(7946))),
	    EINVAL, "peer address must be unicast"),
	ADD("::ffff:10.0.0.2 (the IPv6 socket is v6-only)",
	    LIST(NEST(GOSSIP_A_PEER, IP6(in6_mapped), PORT(7946))),
	    EINVAL, "an IPv4 peer is given as IPv4, not IPv4-mapped IPv6"),
	ADD("duplicate 10.0.0.1:7946", LIST(PEER4(10, 0, 0, 1, 7946)),
	    EEXIST, "gossip: peer already exists"),
	ADD("peer nest without NLA_F_NESTED",
	    LIST(FLAT_NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 2), PORT(7946))),
	    EINVAL, "NLA_F_NESTED is missing"),
	ADD("unknown attribute in the peer",
	    LIST(NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 2), PORT(7946),
		      U32(GOSSIP_PEER_A_MAX + 1, 1))),
	    EINVAL, "Unknown attribute type"),
	ADD("a read-only counter in the peer (peer-addr policy)",
	    LIST(NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 2), PORT(7946),
		      U32(GOSSIP_PEER_A_AUTH_FAILS, 1))),
	    EINVAL, "Unknown attribute type"),
	ADD("beyond maxattr",
	    LIST(PEER4(10, 0, 0, 2, 7946), U32(GOSSIP_A_PEERS + 1, 1)),
	    EINVAL, "Unknown attribute type"),
	ADD("entry (no policy in this op)",
	    LIST(PEER4(10, 0, 0, 2, 7946), ENTRY("k", "v")),
	    EINVAL, "Unsupported attribute"),
	ADD("a peer and a peer list",
	    LIST(PEER4(10, 0, 0, 2, 7946), PEERS(PEER4(10, 0, 0, 3, 7946))),
	    EINVAL, "a peer and a peer list in one request"),
	ADD("empty peer list", LIST(EMPTY_NEST(GOSSIP_A_PEERS)),
	    EINVAL, "empty peer list"),
	ADD("peer list without NLA_F_NESTED",
	    LIST(FLAT_NEST(GOSSIP_A_PEERS, PEER4(10, 0, 0, 2, 7946))),
	    EINVAL, "NLA_F_NESTED is missing"),
	ADD("peer of a list without NLA_F_NESTED",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946),
		       FLAT_NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 3), PORT(7946)))),
	    EINVAL, "NLA_F_NESTED is missing"),
	ADD("fanout in a peer list",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946), U32(GOSSIP_A_FANOUT, 3))),
	    EINVAL, "Unsupported attribute"),
	ADD("unknown type in a peer list",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946), U32(GOSSIP_A_PEER + 1, 1))),
	    EINVAL, "Unknown attribute type"),
	ADD("peer list: a port of 3 bytes",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946),
		       NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 3),
			    BIN(GOSSIP_PEER_A_PORT, 3, zeros)))),
	    EINVAL, "invalid attribute length"),
	ADD("peer list: no port",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946),
		       NEST(GOSSIP_A_PEER, IP4(10, 0, 0, 3)))),
	    EINVAL, "missing peer port"),
	ADD("peer list: a multicast peer",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946), PEER4(224, 0, 0, 1, 7946))),
	    EINVAL, "peer address must be unicast"),
	ADD("peer list: one already there",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946), PEER4(10, 0, 0, 1, 7946))),
	    EEXIST, "gossip: peer already exists"),
	ADD("peer list: one twice",
	    LIST(PEERS(PEER4(10, 0, 0, 2, 7946), PEER4(10, 0, 0, 3, 7946),
		       PEER4(10, 0, 0, 2, 7946))),
	    EINVAL, "gossip: peer listed twice"),
	ADD("fanout (no policy in this op)",
	    LIST(PEER4(10, 0, 0, 2, 7946), U32(GOSSIP_A_FANOUT, 3)),
	    EINVAL, "Unsupported attribute"),
#undef ADD
	{ "del unknown 10.0.0.2:7946", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(PEER4(10, 0, 0, 2, 7946)), ENOENT, "gossip: no such peer" },
	{ "del 10.0.0.1 on another port", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(PEER4(10, 0, 0, 1, 7947)), ENOENT, "gossip: no such peer" },
	{ "del, no peer", GOSSIP_CMD_PEER_DEL, 0, NULL,
	  EINVAL, "gossip: missing peer" },
	{ "del 224.0.0.1", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(PEER4(224, 0, 0, 1, 7946)), EINVAL,
	  "peer address must be unicast" },
	{ "del a list, one unknown", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(PEERS(PEER4(10, 0, 0, 1, 7946), PEER4(10, 0, 0, 2, 7946))),
	  ENOENT, "gossip: no such peer" },
	{ "del a list, one twice", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(PEERS(PEER4(10, 0, 0, 1, 7946), PEER4(10, 0, 0, 1, 7946))),
	  EINVAL, "gossip: peer listed twice" },
	{ "del, empty peer list", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(EMPTY_NEST(GOSSIP_A_PEERS)), EINVAL, "empty peer list" },
};

TEST_F(gossip, peer_invalid)
{
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 1, 7946)),
	       NULL);
	RUN_CASES(&self->g, peer_cases);
}

/*
 * Many peers in one request: added or removed all together, in their
 * order; a refused one named by the offset of its nest (a list nest at 20,
 * the header's length, and IPv4 peer nests of 20 bytes each after it).
 */
/* Where the @i-th peer nest of a list, the first attribute, starts. */
#define LIST_NTH(i)	((int)(NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + (i) * 20))

TEST_F(gossip, peer_list)
{
	static const uint8_t a2[4] = { 10, 0, 0, 2 }, a3[4] = { 10, 0, 0, 3 };
	struct reply r = { 0 };

	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0,
	       LIST(PEERS(PEER4(10, 0, 0, 2, 7946),
			  NEST(GOSSIP_A_PEER, IP6(in6_doc), PORT(7947)),
			  PEER4(10, 0, 0, 3, 7946))), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	ASSERT_EQ(3, r.npeers);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET, a2, 7946));
	EXPECT_TRUE(peer_is(&r.peers[1], AF_INET6, in6_doc, 7947));
	EXPECT_TRUE(peer_is(&r.peers[2], AF_INET, a3, 7946));
	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ(3U, r.stats[GOSSIP_STATS_A_PEERS]);

	/* The third of the list is there: none is added; it is named. */
	EXPECT_EQ(EEXIST, gnl_req(&self->g, GOSSIP_CMD_PEER_ADD, 0,
				  LIST(PEERS(PEER4(10, 0, 0, 4, 7946),
					     PEER4(10, 0, 0, 5, 7946),
					     PEER4(10, 0, 0, 3, 7946))), NULL));
	EXPECT_STREQ("gossip: peer already exists", self->g.ext);
	EXPECT_EQ(LIST_NTH(2), self->g.bad_off);
	/* A multicast second: named too, by the policy's own check. */
	EXPECT_EQ(EINVAL, gnl_req(&self->g, GOSSIP_CMD_PEER_ADD, 0,
				  LIST(PEERS(PEER4(10, 0, 0, 4, 7946),
					     PEER4(224, 0, 0, 1, 7946))), NULL));
	EXPECT_EQ(LIST_NTH(1), self->g.bad_off);
	/* The second to remove is not there: none is removed. */
	EXPECT_EQ(ENOENT, gnl_req(&self->g, GOSSIP_CMD_PEER_DEL, 0,
				  LIST(PEERS(PEER4(10, 0, 0, 2, 7946),
					     PEER4(10, 0, 0, 9, 7946))), NULL));
	EXPECT_EQ(LIST_NTH(1), self->g.bad_off);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	ASSERT_EQ(3, r.npeers);

	/* Two out of three, in any order; the one left keeps its place. */
	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0,
	       LIST(PEERS(PEER4(10, 0, 0, 3, 7946), PEER4(10, 0, 0, 2, 7946))),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	ASSERT_EQ(1, r.npeers);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET6, in6_doc, 7947));
	/* A list of one is a list. */
	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0,
	       LIST(PEERS(NEST(GOSSIP_A_PEER, IP6(in6_doc), PORT(7947)))), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	EXPECT_EQ(0, r.npeers);
	reply_free(&r);
}

/*
 * A list of @n IPv4 peers 10.1.x.y (full_addr(), from @first) in @list:
 * its nests in @elems, their attributes in @inner, the addresses in @a.
 */
static void peer_list_of(struct attr *list, struct attr *elems,
			 struct attr (*inner)[3], uint8_t (*a)[4], int first,
			 int n);

static uint8_t *full_addr(uint8_t a[4], int i)
{
	a[0] = 10;
	a[1] = 1;
	a[2] = i / 250;
	a[3] = i % 250 + 1;
	return a;
}

static int add_peer4(struct gnl *g, const uint8_t a[4])
{
	return gnl_req(g, GOSSIP_CMD_PEER_ADD, 0,
		       LIST(NEST(GOSSIP_A_PEER, BIN(GOSSIP_PEER_A_ADDR4, 4, a),
				 PORT(7946))), NULL);
}

static void peer_list_of(struct attr *list, struct attr *elems,
			 struct attr (*inner)[3], uint8_t (*a)[4], int first,
			 int n)
{
	static const uint16_t port = 7946;
	int i;

	for (i = 0; i < n; i++) {
		full_addr(a[i], first + i);
		inner[i][0] = (struct attr)BIN(GOSSIP_PEER_A_ADDR4, 4, a[i]);
		inner[i][1] = (struct attr){ .type = GOSSIP_PEER_A_PORT,
					     .len = 2, .data = &port };
		inner[i][2] = (struct attr){ 0 };
		elems[i] = (struct attr){ .type = GOSSIP_A_PEER,
					  .nest = inner[i] };
	}
	elems[n] = (struct attr){ 0 };
	list[0] = (struct attr){ .type = GOSSIP_A_PEERS, .nest = elems };
	list[1] = (struct attr){ 0 };
}

/* A full table in one request; one more is refused, whole lists too. */
TEST_F_TIMEOUT(gossip, peer_list_full, 120)
{
	static struct attr elems[GOSSIP_PEERS_MAX + 2], list[2];
	static struct attr inner[GOSSIP_PEERS_MAX + 1][3];
	static uint8_t a[GOSSIP_PEERS_MAX + 1][4];
	struct reply r = { 0 };

	peer_list_of(list, elems, inner, a, 0, GOSSIP_PEERS_MAX + 1);
	EXPECT_EQ(E2BIG, gnl_req(&self->g, GOSSIP_CMD_PEER_ADD, 0, list, NULL));
	EXPECT_STREQ("more than 1024 peers in the list", self->g.ext);

	peer_list_of(list, elems, inner, a, 0, GOSSIP_PEERS_MAX - 1);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, list, NULL);
	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ((unsigned int)(GOSSIP_PEERS_MAX - 1),
		  r.stats[GOSSIP_STATS_A_PEERS]);
	/* 1023 + 2 > 1024: neither is added. */
	peer_list_of(list, elems, inner, a, GOSSIP_PEERS_MAX - 1, 2);
	EXPECT_EQ(ENOSPC, gnl_req(&self->g, GOSSIP_CMD_PEER_ADD, 0, list, NULL));
	EXPECT_STREQ("gossip: peer table is full (1024 peers)", self->g.ext);
	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ((unsigned int)(GOSSIP_PEERS_MAX - 1),
		  r.stats[GOSSIP_STATS_A_PEERS]);
	/* the last one fits */
	peer_list_of(list, elems, inner, a, GOSSIP_PEERS_MAX - 1, 1);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, list, NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	ASSERT_EQ(GOSSIP_PEERS_MAX, r.npeers);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET, full_addr(a[0], 0), 7946));
	EXPECT_TRUE(peer_is(&r.peers[GOSSIP_PEERS_MAX - 1], AF_INET,
			    full_addr(a[0], GOSSIP_PEERS_MAX - 1), 7946));

	/* all of them out in one request */
	peer_list_of(list, elems, inner, a, 0, GOSSIP_PEERS_MAX);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0, list, NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	EXPECT_EQ(0, r.npeers);
	reply_free(&r);
}

TEST_F_TIMEOUT(gossip, peer_table_full, 120)
{
	const struct bad_case full[] = {
		{ "1025th peer", GOSSIP_CMD_PEER_ADD, 0,
		  LIST(PEER4(10, 9, 9, 9, 7946)), ENOSPC,
		  "gossip: peer table is full (1024 peers)" },
		{ "1025th peer, IPv6", GOSSIP_CMD_PEER_ADD, 0,
		  LIST(NEST(GOSSIP_A_PEER, IP6(in6_doc), PORT(7946))), ENOSPC,
		  "gossip: peer table is full (1024 peers)" },
		{ "duplicate in a full table", GOSSIP_CMD_PEER_ADD, 0,
		  LIST(PEER4(10, 1, 0, 1, 7946)), EEXIST,
		  "gossip: peer already exists" },
	};
	int seen[GOSSIP_PEERS_MAX] = { 0 }, i, idx;
	struct reply r = { 0 };
	uint8_t a[4];

	for (i = 0; i < GOSSIP_PEERS_MAX; i++) {
		ASSERT_EQ(0, add_peer4(&self->g, full_addr(a, i)))
			TH_LOG("peer %d: %s", i, self->g.ext);
	}
	RUN_CASES(&self->g, full);

	REQ_OK(&self->g, GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, &r);
	EXPECT_EQ(0, r.bad);
	ASSERT_EQ(GOSSIP_PEERS_MAX, r.npeers);
	for (i = 0; i < r.npeers; i++) {
		const struct peer *p = &r.peers[i];

		idx = p->addr[2] * 250 + p->addr[3] - 1;
		ASSERT_TRUE(idx >= 0 && idx < GOSSIP_PEERS_MAX);
		EXPECT_TRUE(peer_is(p, AF_INET, full_addr(a, idx), 7946));
		seen[idx]++;
	}
	for (i = 0; i < GOSSIP_PEERS_MAX; i++) {
		EXPECT_EQ(1, seen[i]) TH_LOG("peer %d", i);
	}

	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ((unsigned int)(GOSSIP_PEERS_MAX), r.stats[GOSSIP_STATS_A_PEERS]);

	/* One out, one in. */
	REQ_OK(&self->g, GOSSIP_CMD_PEER_DEL, 0, LIST(PEER4(10, 1, 0, 1, 7946)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 9, 9, 9, 7946)),
	       NULL);
	reply_free(&r);
}

/* ---- entries ------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A first version of a new instance: its clock started at the
 * CLOCK_REALTIME microsecond it was created, a moment ago (within the last
 * hour, a bound no slow machine reaches), and a publish takes one more.
 */
static int fresh_version(uint64_t v)
{
	struct timespec ts;
	uint64_t us;

	clock_gettime(CLOCK_REALTIME, &ts);
	us = ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
	return v <= us + 1 && v + 3600000000ULL > us;
}

static bool entry_is(const struct entry *e, const void *key, int key_len,
		     const void *value, int value_len)
{
	return e->key_len == key_len && e->value_len == value_len &&
	       !memcmp(e->key, key, key_len) && !memcmp(e->value, value, value_len);
}

TEST_F(gossip, publish_get)
{
	static const uint8_t big_key[GOSSIP_KEY_MAX] = { 'K', [63] = 'k' };
	static uint8_t big_value[GOSSIP_VALUE_MAX];
	struct reply r = { 0 };
	struct config c;
	uint64_t t0, t1, v1, prev;

	memset(big_value, 'v', sizeof(big_value));
	get_config(_metadata, &self->g, &c);

	t0 = now_ns();
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0, LIST(ENTRY("color", "blue")), NULL);
	t1 = now_ns();
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))), &r);
	EXPECT_EQ(0, r.bad);
	EXPECT_EQ(GOSSIP_CMD_ENTRY_GET, r.cmd);
	ASSERT_EQ(1, r.nentries);
	EXPECT_TRUE(entry_is(&r.entries[0], "color", 5, "blue", 4));
	EXPECT_EQ(c.node_id, r.entries[0].origin);
	v1 = r.entries[0].version;
	EXPECT_TRUE(fresh_version(v1)) TH_LOG("version %llu",
					      (unsigned long long)v1);
	/* Stored during the request, on the clock every namespace shares. */
	EXPECT_LE(t0, r.entries[0].stamp_ns);
	EXPECT_GE(t1, r.entries[0].stamp_ns);
	prev = v1;

	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0, LIST(ENTRY("color", "red")), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))), &r);
	ASSERT_EQ(1, r.nentries);
	EXPECT_TRUE(entry_is(&r.entries[0], "color", 5, "red", 3));
	EXPECT_EQ(c.node_id, r.entries[0].origin);
	/* Hybrid logical clock: newer, and a wall-clock microsecond. */
	EXPECT_LT(prev, r.entries[0].version);
	EXPECT_TRUE(fresh_version(r.entries[0].version));
	prev = r.entries[0].version;

	/* The limits: a key of 64 bytes, values of 1024 and of 0 bytes. */
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 64, big_key),
			 BIN(GOSSIP_ENTRY_A_VALUE, 1024, big_value))), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 64, big_key))), &r);
	ASSERT_EQ(1, r.nentries);
	EXPECT_TRUE(entry_is(&r.entries[0], big_key, 64, big_value, 1024));
	/* Hybrid logical clock: newer, and a wall-clock microsecond. */
	EXPECT_LT(prev, r.entries[0].version);
	EXPECT_TRUE(fresh_version(r.entries[0].version));
	prev = r.entries[0].version;

	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("empty"),
			 BIN(GOSSIP_ENTRY_A_VALUE, 0, NULL))), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("empty"))), &r);
	ASSERT_EQ(1, r.nentries);
	EXPECT_TRUE(entry_is(&r.entries[0], "empty", 5, "", 0));
	/* Hybrid logical clock: newer, and a wall-clock microsecond. */
	EXPECT_LT(prev, r.entries[0].version);
	EXPECT_TRUE(fresh_version(r.entries[0].version));
	prev = r.entries[0].version;

	/* A delete takes the next version; the key is then gone. */
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_DEL, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))), NULL);
	EXPECT_EQ(ENOENT, gnl_req(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
				  LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))),
				  NULL));
	/* Published again, it comes back with a newer version still. */
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0, LIST(ENTRY("color", "green")),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))), &r);
	ASSERT_EQ(1, r.nentries);
	EXPECT_TRUE(entry_is(&r.entries[0], "color", 5, "green", 5));
	/* Hybrid logical clock: newer, and a wall-clock microsecond. */
	EXPECT_LT(prev, r.entries[0].version);
	EXPECT_TRUE(fresh_version(r.entries[0].version));
	prev = r.entries[0].version;

	reply_free(&r);
}

static const struct bad_case entry_cases[] = {
#define PUB(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_ENTRY_PUBLISH, 0, attrs, err, ext }
	PUB("no entry", NULL, EINVAL, "gossip: missing entry"),
	PUB("no key", LIST(NEST(GOSSIP_A_ENTRY, VALUE("v"))),
	    EINVAL, "missing key"),
	PUB("no value", LIST(NEST(GOSSIP_A_ENTRY, KEY("k"))),
	    EINVAL, "missing value"),
	PUB("empty entry nest", LIST(EMPTY_NEST(GOSSIP_A_ENTRY)),
	    EINVAL, "missing key"),
	PUB("key of 0 bytes",
	    LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 0, NULL), VALUE("v"))),
	    ERANGE, "binary attribute size out of range"),
	PUB("key of 65 bytes",
	    LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 65, zeros), VALUE("v"))),
	    ERANGE, "binary attribute size out of range"),
	PUB("value of 1025 bytes",
	    LIST(NEST(GOSSIP_A_ENTRY, KEY("k"), BIN(GOSSIP_ENTRY_A_VALUE, 1025, zeros))),
	    ERANGE, "binary attribute size out of range"),
	PUB("origin given",
	    LIST(NEST(GOSSIP_A_ENTRY, KEY("k"), VALUE("v"),
		      U32(GOSSIP_ENTRY_A_ORIGIN, 7))),
	    EINVAL, "Unknown attribute type"),
	PUB("version given",
	    LIST(NEST(GOSSIP_A_ENTRY, KEY("k"), VALUE("v"),
		      U64(GOSSIP_ENTRY_A_VERSION, 99))),
	    EINVAL, "Unknown attribute type"),
	PUB("stamp given",
	    LIST(NEST(GOSSIP_A_ENTRY, KEY("k"), VALUE("v"),
		      U64(GOSSIP_ENTRY_A_STAMP_NS, 99))),
	    EINVAL, "Unknown attribute type"),
	PUB("entry nest without NLA_F_NESTED",
	    LIST(FLAT_NEST(GOSSIP_A_ENTRY, KEY("k"), VALUE("v"))),
	    EINVAL, "NLA_F_NESTED is missing"),
	PUB("peer (no policy in this op)",
	    LIST(ENTRY("k", "v"), PEER4(10, 0, 0, 1, 7946)),
	    EINVAL, "Unsupported attribute"),
	PUB("stats (beyond maxattr)",
	    LIST(ENTRY("k", "v"), EMPTY_NEST(GOSSIP_A_STATS)),
	    EINVAL, "Unknown attribute type"),
#undef PUB
#define GET(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_ENTRY_GET, 0, attrs, err, ext }
	GET("get missing key", LIST(NEST(GOSSIP_A_ENTRY, KEY("nope"))),
	    ENOENT, "gossip: no such key"),
	GET("get, no entry", NULL, EINVAL, "gossip: missing entry"),
	GET("get, no key", LIST(EMPTY_NEST(GOSSIP_A_ENTRY)),
	    EINVAL, "missing key"),
	GET("get, key of 65 bytes",
	    LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 65, zeros))),
	    ERANGE, "binary attribute size out of range"),
	GET("get \"color\\0\" (keys are bytes)",
	    LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 6, "color"))),
	    ENOENT, "gossip: no such key"),
	GET("get with a value",
	    LIST(NEST(GOSSIP_A_ENTRY, KEY("color"), VALUE("v"))),
	    EINVAL, "Unknown attribute type"),
#undef GET
#define DEL(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_ENTRY_DEL, 0, attrs, err, ext }
	DEL("delete missing key", LIST(NEST(GOSSIP_A_ENTRY, KEY("nope"))),
	    ENOENT, "gossip: no such key"),
	DEL("delete with a value", LIST(ENTRY("color", "v")),
	    EINVAL, "Unknown attribute type"),
	DEL("delete, no entry", NULL, EINVAL, "gossip: missing entry"),
	DEL("delete, key of 65 bytes",
	    LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 65, zeros))),
	    ERANGE, "binary attribute size out of range"),
#undef DEL
};

TEST_F(gossip, entry_invalid)
{
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0, LIST(ENTRY("color", "blue")), NULL);
	RUN_CASES(&self->g, entry_cases);
}

/*
 * 300 entries of ~270 bytes of message each, ~80 KiB: more than a dump skb
 * holds (at most 32 KiB), so the dump takes several rounds of dumpit and
 * its cursor is exercised.
 */
#define DUMP_ENTRIES	300
#define DUMP_VALUE_LEN	200

static int dump_kv(int i, char *key, char *value)
{
	memset(value, 'a' + i % 26, DUMP_VALUE_LEN);
	memcpy(value, "value-", 6);
	return snprintf(key, 16, "key-%03d", i);
}

TEST_F_TIMEOUT(gossip, entry_dump, 120)
{
	char key[16], value[DUMP_VALUE_LEN];
	int seen[DUMP_ENTRIES] = { 0 }, i, idx, key_len;
	uint64_t stamp[DUMP_ENTRIES] = { 0 }, v1 = UINT64_MAX;
	uint64_t ver[DUMP_ENTRIES] = { 0 };
	struct reply r = { 0 };
	struct config c;

	get_config(_metadata, &self->g, &c);
	for (i = 0; i < DUMP_ENTRIES; i++) {
		key_len = dump_kv(i, key, value);
		ASSERT_EQ(0, gnl_req(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0,
				     LIST(NEST(GOSSIP_A_ENTRY,
					       BIN(GOSSIP_ENTRY_A_KEY, key_len, key),
					       BIN(GOSSIP_ENTRY_A_VALUE,
						   DUMP_VALUE_LEN, value))),
				     NULL)) TH_LOG("%s: %s", key, self->g.ext);
	}

	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, NLM_F_DUMP, NULL, &r);
	EXPECT_EQ(0, r.bad);
	EXPECT_EQ(DUMP_ENTRIES, r.msgs);
	ASSERT_EQ(DUMP_ENTRIES, r.nentries);
	/* key-000 was published first: the others took newer versions. */
	for (i = 0; i < r.nentries; i++)
		if (r.entries[i].version < v1)
			v1 = r.entries[i].version;
	EXPECT_TRUE(fresh_version(v1));
	for (i = 0; i < r.nentries; i++) {
		const struct entry *e = &r.entries[i];

		ASSERT_EQ(1, sscanf((const char *)e->key, "key-%3d", &idx));
		ASSERT_TRUE(idx >= 0 && idx < DUMP_ENTRIES);
		key_len = dump_kv(idx, key, value);
		EXPECT_TRUE(entry_is(e, key, key_len, value, DUMP_VALUE_LEN))
			TH_LOG("%s", key);
		EXPECT_EQ(c.node_id, e->origin);
		ver[idx] = e->version;
		stamp[idx] = e->stamp_ns;
		seen[idx]++;
	}
	for (i = 0; i < DUMP_ENTRIES; i++) {
		EXPECT_EQ(1, seen[i]) TH_LOG("key-%03d", i);
		if (i) {	/* stored one after the other */
			EXPECT_LT(stamp[i - 1], stamp[i]) TH_LOG("key-%03d", i);
			EXPECT_LT(ver[i - 1], ver[i]) TH_LOG("key-%03d", i);
		}
	}

	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ((unsigned int)(DUMP_ENTRIES), r.stats[GOSSIP_STATS_A_ENTRIES]);
	EXPECT_EQ((unsigned int)(DUMP_ENTRIES), r.stats[GOSSIP_STATS_A_RUMORS_PUBLISHED]);
	reply_free(&r);
}

/* ---- statistics --------------------------------------------------------- */

TEST_F(gossip, stats)
{
	static const char *const keys[] = { "a", "b", "a", "c", "b" };
	struct reply r = { 0 };
	uint64_t mem;
	size_t i;
	int s;

	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ(GOSSIP_CMD_STATS_GET, r.cmd);
	EXPECT_EQ(0, r.bad);
	/* Every counter is there, all 0 but the memory the instance holds. */
	EXPECT_EQ(GOSSIP_STATS_A_MAX - GOSSIP_STATS_A_PAD, r.nstats);
	mem = r.stats[GOSSIP_STATS_A_MEM_BYTES];
	EXPECT_LT(1000U, mem);
	for (s = GOSSIP_STATS_A_PAD + 1; s <= GOSSIP_STATS_A_MAX; s++) {
		if (s != GOSSIP_STATS_A_MEM_BYTES)
			EXPECT_EQ(0U, r.stats[s]) TH_LOG("stat %d", s);
	}

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		REQ_OK(&self->g, GOSSIP_CMD_ENTRY_PUBLISH, 0,
		       LIST(NEST(GOSSIP_A_ENTRY, BIN(GOSSIP_ENTRY_A_KEY, 1, keys[i]),
				 VALUE("v"))), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 1, 7946)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 2, 7946)),
	       NULL);

	/* Down, nothing is sent or received: only these moved. */
	REQ_OK(&self->g, GOSSIP_CMD_STATS_GET, 0, NULL, &r);
	EXPECT_EQ(GOSSIP_STATS_A_MAX - GOSSIP_STATS_A_PAD, r.nstats);
	/* 3 entries, an origin and 2 peers more. */
	EXPECT_LT(mem + 3 * 100, r.stats[GOSSIP_STATS_A_MEM_BYTES]);
	for (s = GOSSIP_STATS_A_PAD + 1; s <= GOSSIP_STATS_A_MAX; s++) {
		uint64_t want = 0;

		if (s == GOSSIP_STATS_A_MEM_BYTES)
			continue;
		if (s == GOSSIP_STATS_A_STORE_BYTES)
			want = 3 * 2;	/* keys and values of 1 byte */
		else if (s == GOSSIP_STATS_A_RUMORS_PUBLISHED)
			want = ARRAY_SIZE(keys);
		else if (s == GOSSIP_STATS_A_ENTRIES)
			want = 3;
		else if (s == GOSSIP_STATS_A_PEERS)
			want = 2;
		else if (s == GOSSIP_STATS_A_LIFE_ACKS_LEFT)
			want = 2;	/* the first publish's life: no ack yet */
		EXPECT_EQ(want, r.stats[s]) TH_LOG("stat %d", s);
	}
	reply_free(&r);
}

/* ---- keys and label ----------------------------------------------------- */

static void get_keys(struct __test_metadata *_metadata, struct gnl *g,
		     struct reply *r)
{
	REQ_OK(g, GOSSIP_CMD_AUTHKEY_GET, NLM_F_DUMP, NULL, r);
	EXPECT_EQ(0, r->bad);
}

/* The ids of the key dump, the primary marked with a '*' after it. */
static const char *key_ids(const struct reply *r)
{
	static char buf[64];
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < r->nkeys && n < sizeof(buf) - 8; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%u%s", i ? " " : "",
			      r->keys[i].id, r->keys[i].primary ? "*" : "");
	return buf;
}

TEST_F_TIMEOUT(gossip, keys, 120)
{
	struct reply r = { 0 };
	struct config c;

	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(0, c.auth);
	EXPECT_EQ(0, c.label_len);
	get_keys(_metadata, &self->g, &r);
	EXPECT_EQ(0, r.nkeys);

	/* The first key added is the primary; authentication is on. */
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(1, secret_a)),
	       NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(1, c.auth);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("1*", key_ids(&r));
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(2, secret_b)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(255, secret_a)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(3, zeros)), NULL);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("1* 2 255 3", key_ids(&r));

	/* Use 255: it comes first, the others keep their order. */
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_USE, 0, LIST(KEYID(255)), NULL);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("255* 1 2 3", key_ids(&r));
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_USE, 0, LIST(KEYID(255)), NULL);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("255* 1 2 3", key_ids(&r));

	/* Deleting others keeps authentication on. */
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_DEL, 0, LIST(KEYID(2)), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_DEL, 0, LIST(KEYID(1)), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_DEL, 0, LIST(KEYID(3)), NULL);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("255*", key_ids(&r));
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(1, c.auth);

	/* The last key, even the primary, may go: authentication is off. */
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_DEL, 0, LIST(KEYID(255)), NULL);
	get_keys(_metadata, &self->g, &r);
	EXPECT_EQ(0, r.nkeys);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(0, c.auth);

	/* Keys may change while up. */
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(9, secret_b)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(10, secret_a)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_USE, 0, LIST(KEYID(10)), NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_DEL, 0, LIST(KEYID(9)), NULL);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("10*", key_ids(&r));
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_DOWN, 0, NULL, NULL);
	reply_free(&r);
}

TEST_F_TIMEOUT(gossip, label, 120)
{
	static const char l64[] = "0123456789abcdef0123456789abcdef"
				  "0123456789abcdef0123456789abcdef";
	struct config c;

	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(STR(GOSSIP_A_LABEL, "a")), NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(1, c.label_len);
	EXPECT_EQ('a', c.label[0]);
	EXPECT_EQ(0, c.auth);
	/* 64 bytes, any bytes; with other settings; while up. */
	REQ_OK(&self->g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(STR(GOSSIP_A_LABEL, l64), U32(GOSSIP_A_FANOUT, 4)), NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(64, c.label_len);
	EXPECT_EQ(0, memcmp(c.label, l64, 64));
	EXPECT_EQ(4U, c.fanout);
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(BIN(GOSSIP_A_LABEL, 3, "\0\xff\n")), NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(3, c.label_len);
	EXPECT_EQ(0, memcmp(c.label, "\0\xff\n", 3));
	/* Empty: no label. */
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(BIN(GOSSIP_A_LABEL, 0, NULL)), NULL);
	get_config(_metadata, &self->g, &c);
	EXPECT_EQ(0, c.label_len);
	EXPECT_EQ(1, c.running);
}

static const uint8_t label65[GOSSIP_LABEL_MAX + 1] = { 'x' };

static const struct bad_case key_cases[] = {
#define ADD(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_AUTHKEY_ADD, 0, attrs, err, ext }
#define USE(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_AUTHKEY_USE, 0, attrs, err, ext }
#define DEL(name, attrs, err, ext) \
	{ name, GOSSIP_CMD_AUTHKEY_DEL, 0, attrs, err, ext }
	ADD("add: no key", NULL, EINVAL, "gossip: missing key"),
	ADD("add: empty key nest", LIST(EMPTY_NEST(GOSSIP_A_AUTHKEY)),
	    EINVAL, "missing key id"),
	ADD("add: no id", LIST(NEST(GOSSIP_A_AUTHKEY, SECRET(secret_b))),
	    EINVAL, "missing key id"),
	ADD("add: no secret", LIST(NEST(GOSSIP_A_AUTHKEY, KID(5))),
	    EINVAL, "missing key secret"),
	ADD("add: id 0", LIST(KEYADD(0, secret_b)),
	    ERANGE, "integer out of range"),
	ADD("add: id as u16", LIST(NEST(GOSSIP_A_AUTHKEY, U16(GOSSIP_AUTHKEY_A_ID, 5),
					SECRET(secret_b))),
	    EINVAL, "invalid attribute length"),
	ADD("add: secret of 31 bytes",
	    LIST(NEST(GOSSIP_A_AUTHKEY, KID(5),
		      BIN(GOSSIP_AUTHKEY_A_SECRET, GOSSIP_SECRET_LEN - 1, zeros))),
	    ERANGE, "binary attribute size out of range"),
	ADD("add: secret of 33 bytes",
	    LIST(NEST(GOSSIP_A_AUTHKEY, KID(5),
		      BIN(GOSSIP_AUTHKEY_A_SECRET, GOSSIP_SECRET_LEN + 1, zeros))),
	    ERANGE, "binary attribute size out of range"),
	ADD("add: secret empty",
	    LIST(NEST(GOSSIP_A_AUTHKEY, KID(5), BIN(GOSSIP_AUTHKEY_A_SECRET, 0, NULL))),
	    ERANGE, "binary attribute size out of range"),
	ADD("add: primary flag given",
	    LIST(NEST(GOSSIP_A_AUTHKEY, KID(5), SECRET(secret_b),
		      { .type = GOSSIP_AUTHKEY_A_PRIMARY })),
	    EINVAL, "Unknown attribute type"),
	ADD("add: key not flagged NLA_F_NESTED",
	    LIST(FLAT_NEST(GOSSIP_A_AUTHKEY, KID(5), SECRET(secret_b))),
	    EINVAL, "NLA_F_NESTED is missing"),
	ADD("add: id 1 again", LIST(KEYADD(1, secret_b)),
	    EEXIST, "gossip: a key with this id exists already"),
	ADD("add: a 5th key", LIST(KEYADD(5, secret_b)),
	    ENOSPC, "gossip: key table is full (4 keys)"),
	ADD("add: an entry instead", LIST(ENTRY("k", "v")),
	    EINVAL, "Unsupported attribute"),
	USE("use: no key", NULL, EINVAL, "gossip: missing key"),
	USE("use: no id", LIST(EMPTY_NEST(GOSSIP_A_AUTHKEY)),
	    EINVAL, "missing key id"),
	USE("use: id 0", LIST(KEYID(0)), ERANGE, "integer out of range"),
	USE("use: unknown id 9", LIST(KEYID(9)),
	    ENOENT, "gossip: no key with this id"),
	USE("use: with a secret", LIST(KEYADD(2, secret_b)),
	    EINVAL, "Unknown attribute type"),
	DEL("del: no key", NULL, EINVAL, "gossip: missing key"),
	DEL("del: id 0", LIST(KEYID(0)), ERANGE, "integer out of range"),
	DEL("del: unknown id 9", LIST(KEYID(9)),
	    ENOENT, "gossip: no key with this id"),
	DEL("del: the primary while others exist", LIST(KEYID(1)),
	    EBUSY, "gossip: the key is in use: use another key first"),
	DEL("del: with a secret", LIST(KEYADD(2, secret_b)),
	    EINVAL, "Unknown attribute type"),
	{ "KEY_GET without NLM_F_DUMP", GOSSIP_CMD_AUTHKEY_GET, 0, NULL,
	  EOPNOTSUPP, "" },
	{ "SET_CONFIG label of 65 bytes", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(BIN(GOSSIP_A_LABEL, sizeof(label65), label65)),
	  ERANGE, "binary attribute size out of range" },
	{ "SET_CONFIG fanout 5 + label of 65 bytes", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(U32(GOSSIP_A_FANOUT, 5),
	       BIN(GOSSIP_A_LABEL, sizeof(label65), label65)),
	  ERANGE, "binary attribute size out of range" },
	{ "SET_CONFIG label flagged NLA_F_NESTED", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(STR(GOSSIP_A_LABEL | NLA_F_NESTED, "x")),
	  EINVAL, "NLA_F_NESTED not expected" },
	{ "SET_CONFIG label x + fanout 0", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(STR(GOSSIP_A_LABEL, "x"), U32(GOSSIP_A_FANOUT, 0)),
	  ERANGE, "integer out of range" },
	{ "SET_CONFIG auth (read only)", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(U8(GOSSIP_A_AUTH, 1)), EINVAL, "Unsupported attribute" },
	{ "SET_CONFIG a key", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(KEYADD(2, secret_b)), EINVAL, "Unsupported attribute" },
#undef ADD
#undef USE
#undef DEL
};

TEST_F(gossip, key_invalid)
{
	struct reply r = { 0 };

	/* Four keys, 1 the primary, a label: each case must leave them. */
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(1, secret_a)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(2, secret_b)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(3, secret_b)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_AUTHKEY_ADD, 0, LIST(KEYADD(4, secret_b)),
	       NULL);
	REQ_OK(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
	       LIST(STR(GOSSIP_A_LABEL, "lbl")), NULL);
	RUN_CASES(&self->g, key_cases);
	get_keys(_metadata, &self->g, &r);
	EXPECT_STREQ("1* 2 3 4", key_ids(&r));
	reply_free(&r);
}

/* ---- events ------------------------------------------------------------- */

/* Send a request that must succeed; the event it causes arrives in @r. */
static void expect_event(struct __test_metadata *_metadata, struct gnl *g,
			 struct gnl *ev, uint8_t cmd, const struct attr *attrs,
			 struct reply *r)
{
	REQ_OK(g, cmd, 0, attrs, NULL);
	ASSERT_EQ(0, gnl_event(ev, r, 2000)) TH_LOG("no event for command %d", cmd);
	EXPECT_EQ(1, r->msgs);
	EXPECT_EQ(cmd, r->cmd);
	EXPECT_EQ(0, r->bad);
}

TEST_F(gossip, events)
{
	static const uint8_t a4[4] = { 10, 0, 0, 1 };
	struct reply r = { 0 }, stored = { 0 };
	struct config c;
	struct gnl ev;

	ASSERT_EQ(0, gnl_open_events(&ev));
	get_config(_metadata, &self->g, &c);

	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_PEER_ADD,
		     LIST(PEER4(10, 0, 0, 1, 7946)), &r);
	ASSERT_EQ(1, r.npeers);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET, a4, 7946));
	EXPECT_EQ(0, r.conf.count);
	EXPECT_EQ(0, r.nentries);

	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_ENTRY_PUBLISH,
		     LIST(ENTRY("color", "blue")), &r);
	ASSERT_EQ(1, r.nentries);
	EXPECT_TRUE(entry_is(&r.entries[0], "color", 5, "blue", 4));
	EXPECT_EQ(c.node_id, r.entries[0].origin);
	EXPECT_TRUE(fresh_version(r.entries[0].version));
	EXPECT_EQ(0, r.npeers);
	/* The event describes the entry as stored, stamp included. */
	REQ_OK(&self->g, GOSSIP_CMD_ENTRY_GET, 0,
	       LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))), &stored);
	ASSERT_EQ(1, stored.nentries);
	EXPECT_EQ(stored.entries[0].stamp_ns, r.entries[0].stamp_ns);
	reply_free(&stored);

	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_PEER_DEL,
		     LIST(PEER4(10, 0, 0, 1, 7946)), &r);
	ASSERT_EQ(1, r.npeers);
	EXPECT_TRUE(peer_is(&r.peers[0], AF_INET, a4, 7946));

	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_CONFIG_SET,
		     LIST(U32(GOSSIP_A_FANOUT, 5)), &r);
	EXPECT_EQ(15, r.conf.count);	/* every configuration attribute */
	EXPECT_EQ(5U, r.conf.fanout);

	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_INSTANCE_UP, NULL, &r);
	EXPECT_EQ(1, r.conf.running);
	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_INSTANCE_DOWN, NULL, &r);
	EXPECT_EQ(0, r.conf.running);

	/* Key events carry the id and the primary flag, never the secret. */
	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_AUTHKEY_ADD,
		     LIST(KEYADD(7, secret_a)), &r);
	ASSERT_EQ(1, r.nkeys);
	EXPECT_EQ(7, r.keys[0].id);
	EXPECT_TRUE(r.keys[0].primary);
	EXPECT_EQ(0, r.conf.count);
	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_AUTHKEY_ADD,
		     LIST(KEYADD(8, secret_b)), &r);
	ASSERT_EQ(1, r.nkeys);
	EXPECT_EQ(8, r.keys[0].id);
	EXPECT_FALSE(r.keys[0].primary);
	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_AUTHKEY_USE,
		     LIST(KEYID(8)), &r);
	ASSERT_EQ(1, r.nkeys);
	EXPECT_EQ(8, r.keys[0].id);
	EXPECT_TRUE(r.keys[0].primary);
	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_AUTHKEY_DEL,
		     LIST(KEYID(7)), &r);
	ASSERT_EQ(1, r.nkeys);
	EXPECT_EQ(7, r.keys[0].id);
	EXPECT_FALSE(r.keys[0].primary);
	expect_event(_metadata, &self->g, &ev, GOSSIP_CMD_CONFIG_SET,
		     LIST(STR(GOSSIP_A_LABEL, "blue")), &r);
	EXPECT_EQ(4, r.conf.label_len);
	EXPECT_EQ(0, memcmp(r.conf.label, "blue", 4));
	EXPECT_EQ(1, r.conf.auth);

	/* Failed requests and reads announce nothing. */
	EXPECT_EQ(ENOENT, gnl_req(&self->g, GOSSIP_CMD_PEER_DEL, 0,
				  LIST(PEER4(10, 0, 0, 1, 7946)), NULL));
	EXPECT_EQ(ERANGE, gnl_req(&self->g, GOSSIP_CMD_CONFIG_SET, 0,
				  LIST(U32(GOSSIP_A_FANOUT, 0)), NULL));
	EXPECT_EQ(0, gnl_req(&self->g, GOSSIP_CMD_CONFIG_GET, 0, NULL, NULL));
	EXPECT_EQ(ETIMEDOUT, gnl_event(&ev, &r, 300))
		TH_LOG("unexpected event, command %d", r.cmd);
	reply_free(&r);
	gnl_close(&ev);
}

/* ---- permissions -------------------------------------------------------- */

/* Valid requests that change state: each needs CAP_NET_ADMIN over the netns. */
static const struct bad_case write_cases[] = {
	{ "SET_CONFIG fanout 5", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(U32(GOSSIP_A_FANOUT, 5)), EPERM, "" },
	{ "UP", GOSSIP_CMD_INSTANCE_UP, 0, NULL, EPERM, "" },
	{ "DOWN", GOSSIP_CMD_INSTANCE_DOWN, 0, NULL, EPERM, "" },
	{ "PEER_ADD 10.0.0.2:7946", GOSSIP_CMD_PEER_ADD, 0,
	  LIST(PEER4(10, 0, 0, 2, 7946)), EPERM, "" },
	{ "PEER_DEL 10.0.0.1:7946", GOSSIP_CMD_PEER_DEL, 0,
	  LIST(PEER4(10, 0, 0, 1, 7946)), EPERM, "" },
	{ "PUBLISH color=red", GOSSIP_CMD_ENTRY_PUBLISH, 0,
	  LIST(ENTRY("color", "red")), EPERM, "" },
	{ "SET_CONFIG label b", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(STR(GOSSIP_A_LABEL, "b")), EPERM, "" },
	{ "KEY_ADD 2", GOSSIP_CMD_AUTHKEY_ADD, 0,
	  LIST(NEST(GOSSIP_A_AUTHKEY, U8(GOSSIP_AUTHKEY_A_ID, 2),
		    BIN(GOSSIP_AUTHKEY_A_SECRET, GOSSIP_SECRET_LEN, zeros))),
	  EPERM, "" },
	{ "KEY_USE 1", GOSSIP_CMD_AUTHKEY_USE, 0,
	  LIST(NEST(GOSSIP_A_AUTHKEY, U8(GOSSIP_AUTHKEY_A_ID, 1))), EPERM, "" },
	{ "KEY_DEL 1", GOSSIP_CMD_AUTHKEY_DEL, 0,
	  LIST(NEST(GOSSIP_A_AUTHKEY, U8(GOSSIP_AUTHKEY_A_ID, 1))), EPERM, "" },
	/* Permission comes before validation: nothing is revealed. */
	{ "SET_CONFIG fanout 0", GOSSIP_CMD_CONFIG_SET, 0,
	  LIST(U32(GOSSIP_A_FANOUT, 0)), EPERM, "" },
	{ "KEY_ADD id 0", GOSSIP_CMD_AUTHKEY_ADD, 0,
	  LIST(NEST(GOSSIP_A_AUTHKEY, U8(GOSSIP_AUTHKEY_A_ID, 0))), EPERM, "" },
};

/* Reads, too: values may be secrets, peers and keys say who is in. */
static const struct bad_case read_cases[] = {
	{ "GET_CONFIG", GOSSIP_CMD_CONFIG_GET, 0, NULL, EPERM, "" },
	{ "PEER_GET (dump)", GOSSIP_CMD_PEER_GET, NLM_F_DUMP, NULL, EPERM, "" },
	{ "ENTRY_GET color", GOSSIP_CMD_ENTRY_GET, 0,
	  LIST(NEST(GOSSIP_A_ENTRY, KEY("color"))), EPERM, "" },
	{ "ENTRY_GET (dump)", GOSSIP_CMD_ENTRY_GET, NLM_F_DUMP, NULL, EPERM,
	  "" },
	{ "STATS_GET", GOSSIP_CMD_STATS_GET, 0, NULL, EPERM, "" },
	{ "KEY_GET (dump)", GOSSIP_CMD_AUTHKEY_GET, NLM_F_DUMP, NULL, EPERM, "" },
};

/*
 * Each case fails as it says; the caller checks that nothing changed (a
 * caller without the right to read cannot).
 */
static void run_denied(struct __test_metadata *_metadata, struct gnl *g,
		       const struct bad_case *c, size_t n)
{
	for (; n--; c++)
		run_case(_metadata, g, c);
}

#define RUN_DENIED(g, cases) run_denied(_metadata, g, cases, ARRAY_SIZE(cases))

/* Give the instance something to read: a peer, an entry, a key, a label. */
static void populate(struct __test_metadata *_metadata, struct gnl *g)
{
	REQ_OK(g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 1, 7946)), NULL);
	REQ_OK(g, GOSSIP_CMD_ENTRY_PUBLISH, 0, LIST(ENTRY("color", "blue")), NULL);
	REQ_OK(g, GOSSIP_CMD_AUTHKEY_ADD, 0,
	       LIST(NEST(GOSSIP_A_AUTHKEY, U8(GOSSIP_AUTHKEY_A_ID, 1),
			 BIN(GOSSIP_AUTHKEY_A_SECRET, GOSSIP_SECRET_LEN, zeros))),
	       NULL);
	REQ_OK(g, GOSSIP_CMD_CONFIG_SET, 0, LIST(STR(GOSSIP_A_LABEL, "a")),
	       NULL);
}

/* Run @fn in a child; it passes if the child exits 0. KSFT_SKIP: skipped. */
static int in_child(struct __test_metadata *_metadata,
		    void (*fn)(struct __test_metadata *_metadata, void *arg),
		    void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fn(_metadata, arg);
		_exit(_metadata->passed ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP)
		return KSFT_SKIP;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status %#x", status);
	return 0;
}

/*
 * In the child: every command, reads included, gets EPERM, and joining the
 * events group is refused (the parent checks that nothing changed).
 */
static void all_denied(struct __test_metadata *_metadata, void *arg)
{
	struct gnl g, ev;

	(void)arg;
	ASSERT_EQ(0, gnl_open(&g));
	RUN_DENIED(&g, write_cases);
	RUN_DENIED(&g, read_cases);
	gnl_close(&g);
	EXPECT_EQ(-NLE_PERM, gnl_open_events(&ev));
}

/* Run @fn in a child; the instance the parent populated must not move. */
static void denied_in_child(struct __test_metadata *_metadata,
			    struct gnl *g,
			    void (*fn)(struct __test_metadata *_metadata,
				       void *arg))
{
	struct state before = { 0 }, after = { 0 };
	struct reply r = { 0 };
	int ret;

	populate(_metadata, g);
	state_get(_metadata, g, &before);
	ret = in_child(_metadata, fn, NULL);
	state_get(_metadata, g, &after);
	EXPECT_TRUE(state_equal(&before, &after));
	ASSERT_EQ(0, gnl_req(g, GOSSIP_CMD_STATS_GET, 0, NULL, &r));
	EXPECT_EQ(1U, r.stats[GOSSIP_STATS_A_RUMORS_PUBLISHED]);
	EXPECT_EQ(1U, r.stats[GOSSIP_STATS_A_PEERS]);
	reply_free(&r);
	state_free(&before);
	state_free(&after);
	if (ret == KSFT_SKIP)
		SKIP(return, "cannot create a user namespace");
}

static void as_nobody(struct __test_metadata *_metadata, void *arg)
{
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	all_denied(_metadata, arg);
}

TEST_F(gossip, unprivileged_user)
{
	denied_in_child(_metadata, &self->g, as_nobody);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * unshare(@flags | CLONE_NEWUSER) and become uid/gid 0 of the new user
 * namespace. The kernel refuses a user namespace to a chrooted process,
 * and the test VM runs its command chrooted (scripts/vm-init): then leave
 * the chroot through PID 1's root for the unshare() only, and come back.
 */
static int enter_userns(int flags)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), ret;

	ret = unshare(CLONE_NEWUSER | flags);
	if (ret && errno == EPERM && root >= 0 && !chroot("/proc/1/root")) {
		ret = unshare(CLONE_NEWUSER | flags);
		if (fchdir(root) || chroot("."))
			ret = -1;
	}
	if (root >= 0)
		close(root);
	if (ret)
		return -1;
	return write_file("/proc/self/setgroups", "deny") ||
	       write_file("/proc/self/uid_map", "0 0 1") ||
	       write_file("/proc/self/gid_map", "0 0 1") ? -1 : 0;
}

/* Root of a user namespace that does not own the netns. */
static void as_userns_root(struct __test_metadata *_metadata, void *arg)
{
	if (enter_userns(0))
		_exit(KSFT_SKIP);
	ASSERT_EQ(0U, getuid());
	all_denied(_metadata, arg);
}

TEST_F(gossip, unprivileged_userns)
{
	denied_in_child(_metadata, &self->g, as_userns_root);
}

/* Root of a user namespace that owns a netns of its own may configure it. */
static void as_netns_owner(struct __test_metadata *_metadata, void *arg)
{
	struct gnl g;
	struct config c;

	(void)arg;
	if (enter_userns(CLONE_NEWNET))
		_exit(KSFT_SKIP);
	ASSERT_EQ(0, gnl_open(&g));
	REQ_OK(&g, GOSSIP_CMD_CONFIG_SET, 0, LIST(U32(GOSSIP_A_FANOUT, 5)), NULL);
	REQ_OK(&g, GOSSIP_CMD_PEER_ADD, 0, LIST(PEER4(10, 0, 0, 2, 7946)), NULL);
	REQ_OK(&g, GOSSIP_CMD_ENTRY_PUBLISH, 0, LIST(ENTRY("color", "red")), NULL);
	REQ_OK(&g, GOSSIP_CMD_INSTANCE_UP, 0, NULL, NULL);
	get_config(_metadata, &g, &c);
	EXPECT_EQ(5U, c.fanout);
	EXPECT_EQ(1, c.running);
	REQ_OK(&g, GOSSIP_CMD_INSTANCE_DOWN, 0, NULL, NULL);
	gnl_close(&g);
}

TEST_F(gossip, userns_owns_netns)
{
	struct state before = { 0 }, after = { 0 };

	state_get(_metadata, &self->g, &before);
	if (in_child(_metadata, as_netns_owner, NULL) == KSFT_SKIP) {
		state_free(&before);
		SKIP(return, "cannot create a user namespace");
	}
	/* The child's instance was its own: ours did not move. */
	state_get(_metadata, &self->g, &after);
	EXPECT_TRUE(state_equal(&before, &after));
	state_free(&before);
	state_free(&after);
}

TEST_HARNESS_MAIN
