// SPDX-License-Identifier: GPL-2.0
/*
 * A libFuzzer target over the wire codec (kmod/wire.c, built in userspace
 * through selftests/wire/wire_compat.h). Every input is used twice:
 *
 * 1. As a datagram (check_decoder): gossip_wire_parse() on it and, when it
 *    is accepted, every record walked with gossip_wire_next(). Whatever the
 *    parser accepts must respect the format of kmod/wire.h: exactly `count`
 *    records, each inside the buffer and ending where the next begins, with
 *    fields within their limits, of a kind the datagram's type may carry, a
 *    request's digest well formed, a REF without its value, a PAD (an
 *    IWANT's, a digest's, a reply's) of zeros last. And it must be canonical: the records written again
 *    with the writer give back the input byte for byte.
 *
 * 2. As a script for the writer (check_encoder): a datagram type, a sender,
 *    a capacity and records are read from the input (from its end
 *    backwards), written with gossip_wire_put_*() into a buffer of exactly
 *    that capacity. The writer must never write past it, nor outside the
 *    record it accepts; it must take a record iff it fits; and what it
 *    finishes must be accepted by the parser iff the records are valid by a
 *    model of the format written here from kmod/wire.h, and then decode to
 *    those records exactly.
 *
 * Any broken invariant prints what broke and abort()s, which libFuzzer (or
 * replay.c, the plain driver) reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/gossip.h>

#include "../../kmod/wire.h"
#include "wire_fuzz.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "wire_fuzz: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static u16 rd16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 rd32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 rd64(const u8 *p)
{
	return (u64)rd32(p) << 32 | rd32(p + 4);
}

/* The record kinds each datagram type may carry (wire.h), as bits. */
static unsigned int kinds_of(u8 type)
{
	switch (type) {
	case GOSSIP_MSG_PUSH:
		return 1u << GOSSIP_REC_ENTRY;
	case GOSSIP_MSG_PULL_REQ:
		return 1u << GOSSIP_REC_RANGE | 1u << GOSSIP_REC_MARK |
		       1u << GOSSIP_REC_PAD;
	case GOSSIP_MSG_PUSHPULL_REQ:
		return 1u << GOSSIP_REC_RANGE | 1u << GOSSIP_REC_MARK |
		       1u << GOSSIP_REC_ENTRY | 1u << GOSSIP_REC_REF |
		       1u << GOSSIP_REC_PAD;
	case GOSSIP_MSG_PULL_REPLY:
		return 1u << GOSSIP_REC_ENTRY | 1u << GOSSIP_REC_MARK |
		       1u << GOSSIP_REC_REF | 1u << GOSSIP_REC_PAD;
	case GOSSIP_MSG_SUMMARY:
		return 1u << GOSSIP_REC_SUM;
	case GOSSIP_MSG_IHAVE:
		return 1u << GOSSIP_REC_REF;
	case GOSSIP_MSG_IWANT:
	case GOSSIP_MSG_GRAFT:
		return 1u << GOSSIP_REC_REF | 1u << GOSSIP_REC_PAD;
	case GOSSIP_MSG_TREE:
		return 1u << GOSSIP_REC_ENTRY;
	}
	return 0;	/* a PRUNE's: none */
}

/*
 * The record flags an ENTRY (tombstone, late) or a REF (tombstone, tree)
 * may have.
 */
static u8 entry_flags(u8 kind)
{
	return GOSSIP_ENTRY_F_TOMBSTONE |
	       (kind == GOSSIP_REC_REF ? GOSSIP_REF_F_TREE :
					 GOSSIP_ENTRY_F_LATE);
}

/* A datagram type of wire.h. */
static bool type_known(u8 type)
{
	return type >= GOSSIP_MSG_PUSH && type <= GOSSIP_MSG_GRAFT;
}

static bool is_req(u8 type)
{
	return type == GOSSIP_MSG_PULL_REQ || type == GOSSIP_MSG_PUSHPULL_REQ;
}

static bool is_ann(u8 type)
{
	return type == GOSSIP_MSG_IHAVE || type == GOSSIP_MSG_IWANT;
}

/*
 * A PAD has no decoded view (wire.h): the length of its body, which the
 * writer needs, is kept in the union's first u32, unused for a PAD.
 */
#define PAD_LEN(r)	((r)->range.lo)

/* On-wire size of a record, header included, computed from wire.h. */
static size_t rec_size(const struct gossip_wire_rec *r)
{
	switch (r->kind) {
	case GOSSIP_REC_ENTRY:
		return 4 + 16 + (size_t)r->entry.key_len + r->entry.value_len;
	case GOSSIP_REC_REF:	/* the writer leaves the value out */
		return 4 + 16 + (size_t)r->entry.key_len;
	case GOSSIP_REC_PAD:
		return 4 + (size_t)PAD_LEN(r);
	case GOSSIP_REC_RANGE:
		return 4 + 8;
	case GOSSIP_REC_MARK:
		return 4 + 20;
	case GOSSIP_REC_SUM:
		return 4 + 16;
	}
	return 0;
}

/*
 * The model: is record @r, the @n-th (from 0) of a datagram of @type,
 * valid by wire.h? @lo/@hi is the request's range, @prev the last mark's
 * origin (0: none yet, as origins are never 0).
 *
 * A request is "RANGE MARK* (ENTRY|REF)*": no MARK after an ENTRY or a
 * REF. A digest's MARK has any `from` (a hash of what its sender holds
 * above `to`); anywhere else a MARK says (from, to], so from <= to. An
 * announcement names an entry at least (a REF); a PAD (an IWANT's, a
 * digest's after its RANGE, a reply's) is the last record.
 */
struct model {
	u8 type;
	u32 n, lo, hi, prev, refs;
	bool entries;		/* a request's first ENTRY or REF was seen */
	bool pad;		/* a PAD was seen: nothing may follow */
};

static bool model_rec(struct model *m, const struct gossip_wire_rec *r)
{
	const struct gossip_wire_entry *e = &r->entry;
	u32 n = m->n++;

	if (r->kind >= 32 || !(kinds_of(m->type) & (1u << r->kind)) ||
	    m->pad)
		return false;
	switch (r->kind) {
	case GOSSIP_REC_ENTRY:
	case GOSSIP_REC_REF:	/* its value left out, its length said */
		if (!e->key_len || e->key_len > GOSSIP_KEY_MAX ||
		    e->value_len > GOSSIP_VALUE_MAX || !e->origin ||
		    !e->version || (e->flags & ~entry_flags(r->kind)) ||
		    ((e->flags & GOSSIP_ENTRY_F_TOMBSTONE) && e->value_len))
			return false;
		m->entries = true;
		m->refs += r->kind == GOSSIP_REC_REF;
		return !is_req(m->type) || n > 0;
	case GOSSIP_REC_PAD:	/* zeros, as the writer writes them */
		m->pad = true;
		return !is_req(m->type) || n > 0;
	case GOSSIP_REC_RANGE:
		if (r->range.lo > r->range.hi || n > 0 ||
		    (r->range.flags & ~GOSSIP_RANGE_F_NEWS))
			return false;
		m->lo = r->range.lo;
		m->hi = r->range.hi;
		return true;
	case GOSSIP_REC_MARK:
		if (!r->mark.origin)
			return false;
		if (!is_req(m->type))
			return r->mark.from <= r->mark.to;
		if (n == 0 || m->entries || r->mark.origin < m->lo ||
		    r->mark.origin > m->hi || r->mark.origin <= m->prev)
			return false;
		m->prev = r->mark.origin;
		return true;
	case GOSSIP_REC_SUM:
		/* a summary is one record; one flag */
		return n == 0 && !(r->sum.flags & ~GOSSIP_SUM_F_ACKS);
	}
	return false;
}

/*
 * Whether the datagram of @m may end after its records so far: a request
 * needs its RANGE, an announcement a REF, a TREE an entry, a summary is one
 * SUM.
 */
static bool model_end(const struct model *m)
{
	if (m->type == GOSSIP_MSG_SUMMARY)
		return m->n == 1;
	if (is_ann(m->type))
		return m->refs > 0;
	if (m->type == GOSSIP_MSG_TREE)
		return m->n > 0;
	return !is_req(m->type) || m->n > 0;
}

/* A whole datagram: its type, then its records, as many as it needs. */
static bool model_valid(u8 type, const struct gossip_wire_rec *recs, u32 n)
{
	struct model m = { .type = type };
	u32 i;

	if (!type_known(type))
		return false;
	for (i = 0; i < n; i++)
		if (!model_rec(&m, &recs[i]))
			return false;
	return model_end(&m);
}

/* Write @r with the writer; 0 if it took it. */
static int put(struct gossip_wire_writer *w, const struct gossip_wire_rec *r)
{
	switch (r->kind) {
	case GOSSIP_REC_ENTRY:
		if (r->entry.flags & GOSSIP_ENTRY_F_LATE)
			return gossip_wire_put_late_entry(w, &r->entry);
		return gossip_wire_put_entry(w, &r->entry);
	case GOSSIP_REC_REF:
		if (r->entry.flags & GOSSIP_REF_F_TREE)
			return gossip_wire_put_tree_ref(w, &r->entry);
		return gossip_wire_put_ref(w, &r->entry);
	case GOSSIP_REC_PAD:
		return gossip_wire_put_pad(w, PAD_LEN(r));
	case GOSSIP_REC_RANGE:
		return gossip_wire_put_range(w, r->range.lo, r->range.hi,
					     r->range.flags);
	case GOSSIP_REC_MARK:
		return gossip_wire_put_mark(w, &r->mark);
	case GOSSIP_REC_SUM:
		return gossip_wire_put_sum(w, &r->sum);
	}
	CHECK(0);
	return -1;
}

static bool same_rec(const struct gossip_wire_rec *a,
		     const struct gossip_wire_rec *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case GOSSIP_REC_ENTRY:
	case GOSSIP_REC_REF:	/* no value to compare */
		return a->entry.origin == b->entry.origin &&
		       a->entry.version == b->entry.version &&
		       a->entry.flags == b->entry.flags &&
		       a->entry.key_len == b->entry.key_len &&
		       a->entry.value_len == b->entry.value_len &&
		       !memcmp(a->entry.key, b->entry.key, a->entry.key_len) &&
		       (a->kind == GOSSIP_REC_REF ||
			!memcmp(a->entry.value, b->entry.value,
				a->entry.value_len));
	case GOSSIP_REC_PAD:
		return PAD_LEN(a) == PAD_LEN(b);
	case GOSSIP_REC_RANGE:
		return a->range.lo == b->range.lo && a->range.hi == b->range.hi &&
		       a->range.flags == b->range.flags;
	case GOSSIP_REC_MARK:
		return a->mark.origin == b->mark.origin &&
		       a->mark.from == b->mark.from && a->mark.to == b->mark.to;
	case GOSSIP_REC_SUM:
		return a->sum.hash == b->sum.hash &&
		       a->sum.entries == b->sum.entries &&
		       a->sum.origins == b->sum.origins &&
		       a->sum.flags == b->sum.flags;
	}
	return false;
}

/*
 * A datagram the parser accepted, walked: the invariants of every record,
 * and each record written again into @out (@len bytes) as it comes. If
 * @want is not NULL, the records must also equal @want[0..count).
 */
static void walk(const u8 *buf, size_t len, struct gossip_wire_msg *msg,
		 u8 *out, const struct gossip_wire_rec *want)
{
	struct model m = { .type = msg->type };
	const u8 *start, *recs = msg->pos, *end = msg->end;
	struct gossip_wire_writer w;
	struct gossip_wire_rec rec;
	const u8 *p;
	u32 n = 0;
	bool ref;

	/* The records lie between the prefix and the tag, if any. */
	CHECK(recs >= buf + GOSSIP_WIRE_HDR_LEN && recs <= end &&
	      end <= buf + len);
	gossip_wire_begin(&w, out, len, msg->type, msg->sender);
	for (;;) {
		start = msg->pos;
		CHECK(start >= recs && start <= end);
		memset(&rec, 0xa5, sizeof(rec));
		if (!gossip_wire_next(msg, &rec))
			break;
		n++;
		CHECK(n <= msg->count);
		/* This record is [start, msg->pos), inside the buffer. */
		CHECK(msg->pos > start && msg->pos <= end);
		if (rec.kind == GOSSIP_REC_PAD) {	/* zeros, nothing decoded */
			PAD_LEN(&rec) = rd16(start + 2);
			for (p = start + 4; p < msg->pos; p++)
				CHECK(!*p);
		}
		CHECK((size_t)(msg->pos - start) == rec_size(&rec));
		CHECK(start[0] == rec.kind);
		CHECK(model_rec(&m, &rec));
		ref = rec.kind == GOSSIP_REC_REF;
		if (rec.kind == GOSSIP_REC_ENTRY || ref) {
			/* A REF says its value's length, leaves it out. */
			CHECK(rec.entry.key == start + 4 + 16);
			CHECK(rec.entry.value == (ref ? NULL : rec.entry.key +
						  rec.entry.key_len));
			CHECK(rec.entry.key + rec.entry.key_len +
			      (ref ? 0 : rec.entry.value_len) == msg->pos);
			CHECK(start[1] == rec.entry.flags);
		} else if (rec.kind == GOSSIP_REC_SUM) {
			CHECK(start[1] == rec.sum.flags);
		} else if (rec.kind == GOSSIP_REC_RANGE) {
			CHECK(start[1] == rec.range.flags);
		} else {
			CHECK(start[1] == 0);
		}
		if (want)
			CHECK(same_rec(&rec, &want[n - 1]));
		/* Round trip: the writer must take it into a same-sized buffer. */
		CHECK(put(&w, &rec) == 0);
		CHECK(w.len == GOSSIP_WIRE_HDR_LEN + (size_t)(msg->pos - recs));
	}
	CHECK(n == msg->count);
	CHECK(msg->pos == end);
	CHECK(!gossip_wire_next(msg, &rec));	/* and it stays at the end */
	CHECK(model_end(&m));
	CHECK(gossip_wire_finish(&w) ==
	      GOSSIP_WIRE_HDR_LEN + (size_t)(end - recs));
	CHECK(w.count == n);
}

/*
 * The decoder on @buf as a datagram. The round-trip oracle compares the
 * whole datagram: the parser refuses every byte the writer would not have
 * written (nonzero header and entry reserved fields, record flags other
 * than an entry's tombstone, a length or count that differs), so nothing is
 * normalised and an accepted datagram has exactly one encoding. With a
 * label or seal prefix (which gossip_wire_label_prefix() and
 * gossip_wire_seal_prefix() add after the writer), the writer's header and
 * records are compared with the datagram's header but its length and flags,
 * and with its records between the prefix and the tag; the prefix itself is
 * checked against gossip_wire_header()'s view.
 */
enum gossip_wire_err check_decoder(const u8 *buf, size_t len)
{
	struct gossip_wire_msg msg, again;
	struct gossip_wire_hdr h;
	enum gossip_wire_err err;
	size_t rlen;
	u8 *out;

	memset(&msg, 0x5a, sizeof(msg));
	err = gossip_wire_parse(buf, len, &msg);
	CHECK(err >= GOSSIP_WIRE_OK && err <= GOSSIP_WIRE_ERR_ENTRY);
	CHECK(gossip_wire_parse(buf, len, &again) == err);
	if (len < GOSSIP_WIRE_HDR_LEN)
		CHECK(err == GOSSIP_WIRE_ERR_SHORT);
	if (err)
		return err;

	CHECK(len >= GOSSIP_WIRE_HDR_LEN && len <= 0xffff);
	CHECK(rd32(buf) == GOSSIP_WIRE_MAGIC);
	CHECK(buf[4] == GOSSIP_WIRE_VERSION);
	CHECK(rd16(buf + 6) == len);
	CHECK(type_known(msg.type) && msg.type == buf[5]);
	CHECK(msg.sender == rd32(buf + 8));
	CHECK(msg.count == rd16(buf + 12));
	CHECK(gossip_wire_header(buf, len, &h) == GOSSIP_WIRE_OK);
	CHECK(h.type == msg.type && h.sender == msg.sender &&
	      h.count == msg.count && h.flags == rd16(buf + 14));
	CHECK(msg.pos == buf + h.body && msg.end == buf + h.body_end);
	if (h.flags & GOSSIP_WIRE_F_SEALED) {
		CHECK(h.body == GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_NONCE_LEN);
		CHECK(h.body_end + GOSSIP_WIRE_TAG_LEN == len);
		CHECK(h.nonce == buf + GOSSIP_WIRE_HDR_LEN);
		CHECK(h.counter == rd64(buf + GOSSIP_WIRE_HDR_LEN));
	} else if (h.flags & GOSSIP_WIRE_F_LABEL) {
		CHECK(h.label_len >= 1 && h.label_len <= GOSSIP_LABEL_MAX);
		CHECK(h.label == buf + GOSSIP_WIRE_HDR_LEN + 1);
		CHECK(h.body == (size_t)GOSSIP_WIRE_HDR_LEN + 1 + h.label_len);
		CHECK(h.body_end == len);
	} else {
		CHECK(!h.flags && h.body == GOSSIP_WIRE_HDR_LEN &&
		      h.body_end == len);
	}

	out = malloc(len);
	CHECK(out);
	walk(buf, len, &msg, out, NULL);
	rlen = h.body_end - h.body;
	CHECK(!memcmp(out, buf, 6) && !memcmp(out + 8, buf + 8, 6));
	CHECK(rd16(out + 6) == GOSSIP_WIRE_HDR_LEN + rlen && !rd16(out + 14));
	CHECK(!memcmp(out + GOSSIP_WIRE_HDR_LEN, buf + h.body, rlen));
	if (!h.flags)
		CHECK(!memcmp(out, buf, len));
	free(out);
	return err;
}

/* ---- the writer ------------------------------------------------------- */

/* The fuzz input read from its end backwards, zeros once it runs out. */
struct script {
	const u8 *p;
	size_t left;
};

static u64 take(struct script *s, int bytes)
{
	u64 v = 0;

	while (bytes--) {
		v <<= 8;
		if (s->left)
			v |= s->p[--s->left];
	}
	return v;
}

#define MAX_RECS	16400	/* more than fit in 65535 bytes (4 each: a PAD) */
#define POOL_LEN	4096	/* keys: 0..510, values: 320..2427 */

static u8 pool[POOL_LEN];	/* what keys and values point into */
static struct gossip_wire_rec recs[MAX_RECS], kept[MAX_RECS];

/*
 * One record from the script. With @valid, its fields are made valid for
 * the @n-th record of a datagram of @type (a request starts with its RANGE,
 * then increasing marks inside it, their `from` any hash; an announcement
 * is REFs, an IWANT's may end with a PAD): most of those datagrams must be
 * accepted, which random fields alone would rarely be. A REF keeps the
 * value of the script's entry: the writer must leave it out.
 */
static void script_rec(struct script *s, struct gossip_wire_rec *r, u8 type,
		       bool valid, u32 n, struct model *m)
{
	struct gossip_wire_entry *e = &r->entry;
	u8 sel = take(s, 1);
	u32 step;
	u64 t;

	r->kind = 1 + sel % 6;
	if (valid) {
		if (type == GOSSIP_MSG_SUMMARY)
			r->kind = GOSSIP_REC_SUM;
		else if (is_ann(type) && (r->kind != GOSSIP_REC_PAD || !n ||
					  type != GOSSIP_MSG_IWANT))
			r->kind = GOSSIP_REC_REF;
		else if (type == GOSSIP_MSG_GRAFT && r->kind != GOSSIP_REC_PAD)
			r->kind = GOSSIP_REC_REF;
		else if (is_req(type) && n == 0)
			r->kind = GOSSIP_REC_RANGE;
		else if (!(kinds_of(type) & (1u << r->kind)) ||
			 (is_req(type) && r->kind == GOSSIP_REC_RANGE))
			r->kind = type == GOSSIP_MSG_PULL_REQ ?
				  GOSSIP_REC_MARK : GOSSIP_REC_ENTRY;
	}
	if (r->kind == GOSSIP_REC_SUM) {
		r->sum.hash = take(s, 8);
		r->sum.entries = take(s, 4);
		r->sum.origins = take(s, 4);
		r->sum.flags = sel >> 2;	/* the rest of the selector */
		if (valid)
			r->sum.flags &= GOSSIP_SUM_F_ACKS;
		return;
	}
	if (r->kind == GOSSIP_REC_PAD) {
		PAD_LEN(r) = take(s, 2);
		if (valid)
			PAD_LEN(r) %= 600;
		else if (sel & 0x80)	/* more than a record can say */
			PAD_LEN(r) += 0x10000;
		return;
	}
	switch (r->kind) {
	case GOSSIP_REC_ENTRY:
	case GOSSIP_REC_REF:
		e->origin = take(s, 4);
		e->version = take(s, 8);
		e->flags = sel >> 2;	/* the rest of the selector */
		e->key_len = take(s, 1);
		e->value_len = take(s, 2) % (GOSSIP_VALUE_MAX + 64);
		if (valid) {
			e->origin += !e->origin;
			e->version += !e->version;
			e->flags &= entry_flags(r->kind);
			e->key_len = 1 + e->key_len % GOSSIP_KEY_MAX;
			e->value_len = e->flags & GOSSIP_ENTRY_F_TOMBSTONE ? 0 :
				       e->value_len % (GOSSIP_VALUE_MAX + 1);
		}
		e->key = pool + take(s, 1);
		e->value = pool + GOSSIP_KEY_MAX + 256 + take(s, 1) * 4;
		break;
	case GOSSIP_REC_RANGE:
		r->range.lo = take(s, 4);
		r->range.hi = take(s, 4);
		r->range.flags = sel >> 2;	/* the rest of the selector */
		if (valid)
			r->range.flags &= GOSSIP_RANGE_F_NEWS;
		if (valid && r->range.lo > r->range.hi) {
			t = r->range.lo;
			r->range.lo = r->range.hi;
			r->range.hi = t;
		}
		m->lo = r->range.lo;
		m->hi = r->range.hi;
		m->prev = 0;
		break;
	case GOSSIP_REC_MARK:
		r->mark.origin = take(s, 4);
		r->mark.from = take(s, 8);
		r->mark.to = take(s, 8);
		if (!valid)
			break;
		r->mark.origin += !r->mark.origin;
		if (!is_req(type)) {
			if (r->mark.from > r->mark.to) {
				t = r->mark.from;
				r->mark.from = r->mark.to;
				r->mark.to = t;
			}
			break;
		}
		/* A hash in `from`; the next origin above the last, in range. */
		step = 1 + r->mark.origin % 1000;
		if (!m->prev)
			r->mark.origin = m->lo ? m->lo : 1;
		else if (m->prev > 0xffffffffu - step)
			r->mark.origin = m->prev + 1;	/* wraps: invalid */
		else
			r->mark.origin = m->prev + step;
		m->prev = r->mark.origin;
		break;
	}
}

void check_encoder(const u8 *data, size_t size)
{
	struct script s = { data, size };
	struct gossip_wire_writer w;
	struct gossip_wire_msg msg;
	struct model m = { 0 };
	enum gossip_wire_err err;
	u32 n = 0, nkept = 0, i;
	u8 ctrl, type, *buf;
	size_t cap, need, before;
	bool valid;
	u32 sender;

	if (!pool[1])
		for (i = 0; i < POOL_LEN; i++)
			pool[i] = (u8)(i * 131 + 7);

	ctrl = take(&s, 1);
	valid = ctrl & 0x80;
	type = valid ? 1 + ctrl % 10 : ctrl % 12;	/* 0 and 11 are none */
	sender = take(&s, 4);
	/*
	 * The writer's contract (every caller in kmod/ keeps it): a buffer of
	 * at least a header and at most what the 16-bit length can say.
	 */
	cap = take(&s, 2);
	if (ctrl & 0x40)
		cap %= 600;	/* small: records that do not fit */
	cap = cap < GOSSIP_WIRE_HDR_LEN ? GOSSIP_WIRE_HDR_LEN : cap;
	while (s.left && n < MAX_RECS) {
		script_rec(&s, &recs[n], type, valid, n, &m);
		n++;
	}

	/* Exactly @cap bytes: ASan sees any write past it. */
	buf = malloc(cap);
	CHECK(buf);
	memset(buf, 0xa5, cap);
	gossip_wire_begin(&w, buf, cap, type, sender);
	CHECK(w.len == GOSSIP_WIRE_HDR_LEN && !w.count);
	for (i = 0; i < n; i++) {
		before = w.len;
		need = rec_size(&recs[i]);
		if (recs[i].kind == GOSSIP_REC_ENTRY)
			CHECK(gossip_wire_entry_size(recs[i].entry.key_len,
						     recs[i].entry.value_len) ==
			      need);
		if (recs[i].kind == GOSSIP_REC_REF)
			CHECK(gossip_wire_entry_size(recs[i].entry.key_len,
						     0) == need);
		if (put(&w, &recs[i])) {
			/* Refused: only when it does not fit, and untouched. */
			CHECK(need > cap - before);
			CHECK(w.len == before && w.count == nkept);
			CHECK(before == cap || buf[before] == 0xa5);
			continue;
		}
		CHECK(need <= cap - before);
		CHECK(w.len == before + need && w.count == nkept + 1);
		kept[nkept++] = recs[i];
	}
	for (i = w.len; i < cap; i++)
		CHECK(buf[i] == 0xa5);	/* nothing written past the records */
	CHECK(gossip_wire_finish(&w) == w.len && w.len <= cap);
	CHECK(rd16(buf + 6) == w.len && rd16(buf + 12) == nkept);

	/* What it wrote parses iff the model says the records are valid. */
	valid = model_valid(type, kept, nkept);
	memset(&msg, 0x5a, sizeof(msg));
	err = gossip_wire_parse(buf, w.len, &msg);
	if (valid != !err)
		fprintf(stderr, "wire_fuzz: type %u, %u records: model says %s, parser %d\n",
			type, nkept, valid ? "valid" : "invalid", err);
	CHECK(valid == !err);
	if (!err) {
		u8 *out = malloc(w.len);

		CHECK(out);
		CHECK(msg.type == type && msg.sender == sender &&
		      msg.count == nkept);
		walk(buf, w.len, &msg, out, kept);
		CHECK(!memcmp(out, buf, w.len));
		free(out);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	check_decoder(data, size);
	check_encoder(data, size);
	return 0;
}
