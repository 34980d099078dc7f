// SPDX-License-Identifier: GPL-2.0
/*
 * Encoder and strict decoder of the gossip wire format (see wire.h).
 *
 * gossip_wire_parse() checks every length and field of the whole datagram
 * before the caller applies anything, so a datagram is used entirely or not
 * at all.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include <linux/gossip.h>

#include "wire.h"

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 get64(const u8 *p)
{
	return (u64)get32(p) << 32 | get32(p + 4);
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void put64(u8 *p, u64 v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

/* Decode the entry body at @p of @len bytes, checking every field. */
static enum gossip_wire_err decode_entry(const u8 *p, size_t len, u8 flags,
					 struct gossip_wire_entry *e)
{
	if (len < GOSSIP_WIRE_ENTRY_LEN)
		return GOSSIP_WIRE_ERR_LENGTH;
	e->origin = get32(p);
	e->version = get64(p + 4);
	e->key_len = p[12];
	e->value_len = get16(p + 14);
	e->flags = flags;
	if (len != (size_t)GOSSIP_WIRE_ENTRY_LEN + e->key_len + e->value_len)
		return GOSSIP_WIRE_ERR_LENGTH;
	if (p[13] || !e->key_len || e->key_len > GOSSIP_KEY_MAX ||
	    e->value_len > GOSSIP_VALUE_MAX || !e->origin || !e->version ||
	    (flags & ~GOSSIP_ENTRY_F_TOMBSTONE) ||
	    ((flags & GOSSIP_ENTRY_F_TOMBSTONE) && e->value_len))
		return GOSSIP_WIRE_ERR_ENTRY;
	e->key = p + GOSSIP_WIRE_ENTRY_LEN;
	e->value = e->key + e->key_len;
	return GOSSIP_WIRE_OK;
}

/* Decode the record at @p, which has at least its 4-byte header in range. */
static enum gossip_wire_err decode_rec(const u8 *p, size_t body,
				       struct gossip_wire_rec *rec)
{
	const u8 *b = p + GOSSIP_WIRE_REC_LEN;

	rec->kind = p[0];
	switch (rec->kind) {
	case GOSSIP_REC_ENTRY:
		return decode_entry(b, body, p[1], &rec->entry);
	case GOSSIP_REC_RANGE:
		if (body != GOSSIP_WIRE_RANGE_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		rec->range.lo = get32(b);
		rec->range.hi = get32(b + 4);
		if (p[1] || rec->range.lo > rec->range.hi)
			return GOSSIP_WIRE_ERR_ENTRY;
		return GOSSIP_WIRE_OK;
	case GOSSIP_REC_MARK:
		if (body != GOSSIP_WIRE_MARK_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		rec->mark.origin = get32(b);
		rec->mark.from = get64(b + 4);
		rec->mark.to = get64(b + 12);
		if (p[1] || !rec->mark.origin || rec->mark.from > rec->mark.to)
			return GOSSIP_WIRE_ERR_ENTRY;
		return GOSSIP_WIRE_OK;
	}
	return GOSSIP_WIRE_ERR_TYPE;
}

/* The record kinds each datagram type may carry, as bits (1 << kind). */
static const u8 allowed_recs[__GOSSIP_MSG_MAX] = {
	[GOSSIP_MSG_PUSH] = 1 << GOSSIP_REC_ENTRY,
	[GOSSIP_MSG_PULL_REQ] = 1 << GOSSIP_REC_RANGE | 1 << GOSSIP_REC_MARK,
	[GOSSIP_MSG_PUSHPULL_REQ] = 1 << GOSSIP_REC_RANGE |
				    1 << GOSSIP_REC_MARK |
				    1 << GOSSIP_REC_ENTRY,
	[GOSSIP_MSG_PULL_REPLY] = 1 << GOSSIP_REC_ENTRY | 1 << GOSSIP_REC_MARK,
};

static bool is_request(u8 type)
{
	return type == GOSSIP_MSG_PULL_REQ || type == GOSSIP_MSG_PUSHPULL_REQ;
}

/*
 * A request's digest: exactly one RANGE, first; its MARKs from 0, inside
 * the range, in strictly increasing origin order (the responder merges
 * them with its own sorted origins in one pass), and before any ENTRY.
 */
static enum gossip_wire_err check_digest(const struct gossip_wire_rec *rec,
					 u32 n, struct gossip_wire_range *range,
					 u32 *prev, bool *entries)
{
	if (!n && rec->kind != GOSSIP_REC_RANGE)
		return GOSSIP_WIRE_ERR_ENTRY;
	if (rec->kind == GOSSIP_REC_ENTRY)
		*entries = true;
	if (rec->kind == GOSSIP_REC_RANGE) {
		if (n)
			return GOSSIP_WIRE_ERR_ENTRY;
		*range = rec->range;
		return GOSSIP_WIRE_OK;
	}
	if (rec->kind != GOSSIP_REC_MARK)
		return GOSSIP_WIRE_OK;
	if (*entries || rec->mark.from || rec->mark.origin < range->lo ||
	    rec->mark.origin > range->hi ||
	    (*prev && rec->mark.origin <= *prev))
		return GOSSIP_WIRE_ERR_ENTRY;
	*prev = rec->mark.origin;
	return GOSSIP_WIRE_OK;
}

/* Walk the records of @msg once, validating each; nothing is kept. */
static enum gossip_wire_err check_records(const struct gossip_wire_msg *msg)
{
	struct gossip_wire_range range = { 0, 0 };
	struct gossip_wire_rec rec;
	const u8 *p = msg->pos;
	enum gossip_wire_err err;
	u32 n = 0, prev = 0;
	bool entries = false;
	size_t body;

	while (p < msg->end) {
		if ((size_t)(msg->end - p) < GOSSIP_WIRE_REC_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		body = get16(p + 2);
		if (body > (size_t)(msg->end - p) - GOSSIP_WIRE_REC_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		if (p[0] >= __GOSSIP_REC_MAX ||
		    !(allowed_recs[msg->type] & (1 << p[0])))
			return GOSSIP_WIRE_ERR_TYPE;
		err = decode_rec(p, body, &rec);
		if (!err && is_request(msg->type))
			err = check_digest(&rec, n, &range, &prev, &entries);
		if (err)
			return err;
		p += GOSSIP_WIRE_REC_LEN + body;
		n++;
	}
	if (is_request(msg->type) && !n)
		return GOSSIP_WIRE_ERR_ENTRY;	/* a request needs its range */
	return n == msg->count ? GOSSIP_WIRE_OK : GOSSIP_WIRE_ERR_LENGTH;
}

/*
 * Check the header and the prefix its flags announce; say where the records
 * are. The records themselves are not looked at (they may be encrypted).
 */
enum gossip_wire_err gossip_wire_header(const u8 *buf, size_t len,
					struct gossip_wire_hdr *h)
{
	u16 flags;

	if (len < GOSSIP_WIRE_HDR_LEN)
		return GOSSIP_WIRE_ERR_SHORT;
	if (get32(buf) != GOSSIP_WIRE_MAGIC)
		return GOSSIP_WIRE_ERR_MAGIC;
	flags = get16(buf + 14);
	if (buf[4] != GOSSIP_WIRE_VERSION ||
	    (flags & ~(GOSSIP_WIRE_F_SEALED | GOSSIP_WIRE_F_LABEL)) ||
	    flags == (GOSSIP_WIRE_F_SEALED | GOSSIP_WIRE_F_LABEL))
		return GOSSIP_WIRE_ERR_VERSION;
	if (!buf[5] || buf[5] >= __GOSSIP_MSG_MAX)
		return GOSSIP_WIRE_ERR_TYPE;
	if (get16(buf + 6) != len)
		return GOSSIP_WIRE_ERR_LENGTH;

	h->type = buf[5];
	h->flags = flags;
	h->sender = get32(buf + 8);
	h->count = get16(buf + 12);
	h->counter = 0;
	h->nonce = NULL;
	h->label = NULL;
	h->label_len = 0;
	h->body = GOSSIP_WIRE_HDR_LEN;
	h->body_end = len;
	if (flags & GOSSIP_WIRE_F_SEALED) {
		if (len < GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_SEAL_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		h->counter = get64(buf + GOSSIP_WIRE_HDR_LEN);
		h->nonce = buf + GOSSIP_WIRE_HDR_LEN;
		h->body += GOSSIP_WIRE_NONCE_LEN;
		h->body_end -= GOSSIP_WIRE_TAG_LEN;
	} else if (flags & GOSSIP_WIRE_F_LABEL) {
		if (len < GOSSIP_WIRE_HDR_LEN + 1)
			return GOSSIP_WIRE_ERR_LENGTH;
		h->label_len = buf[GOSSIP_WIRE_HDR_LEN];
		h->label = buf + GOSSIP_WIRE_HDR_LEN + 1;
		if (!h->label_len || h->label_len > GOSSIP_LABEL_MAX ||
		    (size_t)GOSSIP_WIRE_HDR_LEN + 1 + h->label_len > len)
			return GOSSIP_WIRE_ERR_LENGTH;
		h->body += 1 + h->label_len;
	}
	return GOSSIP_WIRE_OK;
}

/*
 * Validate a whole datagram. A sealed one must have been opened (decrypted
 * in place) first: its records are then read as plaintext.
 */
enum gossip_wire_err gossip_wire_parse(const u8 *buf, size_t len,
				       struct gossip_wire_msg *msg)
{
	struct gossip_wire_hdr h;
	enum gossip_wire_err err;

	err = gossip_wire_header(buf, len, &h);
	if (err)
		return err;
	msg->type = h.type;
	msg->sender = h.sender;
	msg->count = h.count;
	msg->pos = buf + h.body;
	msg->end = buf + h.body_end;
	return check_records(msg);
}

/*
 * Return 1 and fill @rec with the next record of a datagram that
 * gossip_wire_parse() accepted, or 0 at the end.
 */
int gossip_wire_next(struct gossip_wire_msg *msg, struct gossip_wire_rec *rec)
{
	size_t body;

	if (msg->pos >= msg->end)
		return 0;
	body = get16(msg->pos + 2);
	if (decode_rec(msg->pos, body, rec))
		return 0;	/* cannot happen after gossip_wire_parse() */
	msg->pos += GOSSIP_WIRE_REC_LEN + body;
	return 1;
}

void gossip_wire_begin(struct gossip_wire_writer *w, u8 *buf, size_t cap,
		       u8 type, u32 sender)
{
	w->buf = buf;
	w->cap = cap;
	w->len = GOSSIP_WIRE_HDR_LEN;
	w->count = 0;
	put32(buf, GOSSIP_WIRE_MAGIC);
	buf[4] = GOSSIP_WIRE_VERSION;
	buf[5] = type;
	put16(buf + 6, 0);
	put32(buf + 8, sender);
	put16(buf + 12, 0);
	put16(buf + 14, 0);
}

/* Bytes an entry takes on the wire, record header included. */
size_t gossip_wire_entry_size(u16 key_len, u16 value_len)
{
	return GOSSIP_WIRE_REC_LEN + GOSSIP_WIRE_ENTRY_LEN + key_len + value_len;
}

/* Reserve a record of @body bytes; NULL (nothing written) if it won't fit. */
static u8 *put_rec(struct gossip_wire_writer *w, u8 kind, u8 flags,
		   size_t body)
{
	size_t need = GOSSIP_WIRE_REC_LEN + body;
	u8 *p = w->buf + w->len;

	if (need > w->cap - w->len || w->count == 0xffff)
		return NULL;
	p[0] = kind;
	p[1] = flags;
	put16(p + 2, body);
	w->len += need;
	w->count++;
	return p + GOSSIP_WIRE_REC_LEN;
}

/* Append @e; return -1 (and write nothing) when it does not fit. */
int gossip_wire_put_entry(struct gossip_wire_writer *w,
			  const struct gossip_wire_entry *e)
{
	u8 *p = put_rec(w, GOSSIP_REC_ENTRY, e->flags,
			GOSSIP_WIRE_ENTRY_LEN + e->key_len + e->value_len);

	if (!p)
		return -1;
	put32(p, e->origin);
	put64(p + 4, e->version);
	p[12] = e->key_len;
	p[13] = 0;
	put16(p + 14, e->value_len);
	memcpy(p + GOSSIP_WIRE_ENTRY_LEN, e->key, e->key_len);
	memcpy(p + GOSSIP_WIRE_ENTRY_LEN + e->key_len, e->value, e->value_len);
	return 0;
}

int gossip_wire_put_range(struct gossip_wire_writer *w, u32 lo, u32 hi)
{
	u8 *p = put_rec(w, GOSSIP_REC_RANGE, 0, GOSSIP_WIRE_RANGE_LEN);

	if (!p)
		return -1;
	put32(p, lo);
	put32(p + 4, hi);
	return 0;
}

int gossip_wire_put_mark(struct gossip_wire_writer *w,
			 const struct gossip_wire_mark *m)
{
	u8 *p = put_rec(w, GOSSIP_REC_MARK, 0, GOSSIP_WIRE_MARK_LEN);

	if (!p)
		return -1;
	put32(p, m->origin);
	put64(p + 4, m->from);
	put64(p + 12, m->to);
	return 0;
}

/* Fill in the header's length and count; return the datagram's length. */
size_t gossip_wire_finish(struct gossip_wire_writer *w)
{
	put16(w->buf + 6, w->len);
	put16(w->buf + 12, w->count);
	return w->len;
}

/*
 * Mark the datagram of @len bytes at @buf (header, then
 * GOSSIP_WIRE_NONCE_LEN bytes of room, then the records and room for the
 * tag) sealed, with the nonce made of @counter and the
 * GOSSIP_WIRE_RANDOM_LEN bytes at @random.
 */
void gossip_wire_seal_prefix(u8 *buf, size_t len, u64 counter,
			     const u8 *random)
{
	put16(buf + 6, len);
	put16(buf + 14, GOSSIP_WIRE_F_SEALED);
	put64(buf + GOSSIP_WIRE_HDR_LEN, counter);
	memcpy(buf + GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_COUNTER_LEN, random,
	       GOSSIP_WIRE_RANDOM_LEN);
}

/* The same for a label in the clear: 1 + @label_len bytes of room. */
void gossip_wire_label_prefix(u8 *buf, size_t len, const u8 *label,
			      u8 label_len)
{
	put16(buf + 6, len);
	put16(buf + 14, GOSSIP_WIRE_F_LABEL);
	buf[GOSSIP_WIRE_HDR_LEN] = label_len;
	memcpy(buf + GOSSIP_WIRE_HDR_LEN + 1, label, label_len);
}
