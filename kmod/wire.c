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
#include <asm/unaligned.h>
#else
#include <string.h>
#endif
#include <linux/gossip.h>

#include "wire.h"

/*
 * Decode the entry body at @p of @len bytes, checking every field; @ref:
 * a REF record's, which leaves its value out.
 */
static enum gossip_wire_err decode_entry(const u8 *p, size_t len, u8 flags,
					 bool ref, struct gossip_wire_entry *e)
{
	const struct gossip_msg_entry *m = (const void *)p;

	if (len < sizeof(*m))
		return GOSSIP_WIRE_ERR_LENGTH;
	e->origin = get_unaligned_be32(&m->origin);
	e->version = get_unaligned_be64(&m->version);
	e->key_len = m->key_len;
	e->value_len = get_unaligned_be16(&m->value_len);
	e->flags = flags;
	if (len != sizeof(*m) + e->key_len + (ref ? 0 : e->value_len))
		return GOSSIP_WIRE_ERR_LENGTH;
	if (m->reserved || !e->key_len || e->key_len > GOSSIP_KEY_MAX ||
	    e->value_len > GOSSIP_VALUE_MAX || !e->origin || !e->version ||
	    (flags & ~(GOSSIP_ENTRY_F_TOMBSTONE |
		       (ref ? GOSSIP_REF_F_TREE : GOSSIP_ENTRY_F_LATE))) ||
	    ((flags & GOSSIP_ENTRY_F_TOMBSTONE) && e->value_len))
		return GOSSIP_WIRE_ERR_ENTRY;
	e->key = m->data;
	e->value = ref ? NULL : e->key + e->key_len;
	return GOSSIP_WIRE_OK;
}

static bool all_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/* Decode the record at @p, which has at least its 4-byte header in range. */
static enum gossip_wire_err decode_rec(const u8 *p, size_t body,
				       struct gossip_wire_rec *rec)
{
	const struct gossip_msg_rec *r = (const void *)p;
	const struct gossip_msg_range *range = (const void *)(r + 1);
	const struct gossip_msg_mark *mark = (const void *)(r + 1);
	const struct gossip_msg_sum *sum = (const void *)(r + 1);

	rec->kind = r->kind;
	switch (rec->kind) {
	case GOSSIP_REC_ENTRY:
	case GOSSIP_REC_REF:
		return decode_entry((const u8 *)(r + 1), body, r->flags,
				    rec->kind == GOSSIP_REC_REF, &rec->entry);
	case GOSSIP_REC_RANGE:
		if (body != sizeof(*range))
			return GOSSIP_WIRE_ERR_LENGTH;
		rec->range.lo = get_unaligned_be32(&range->lo);
		rec->range.hi = get_unaligned_be32(&range->hi);
		rec->range.flags = r->flags;
		if ((r->flags & ~GOSSIP_RANGE_F_NEWS) ||
		    rec->range.lo > rec->range.hi)
			return GOSSIP_WIRE_ERR_ENTRY;
		return GOSSIP_WIRE_OK;
	case GOSSIP_REC_MARK:
		if (body != sizeof(*mark))
			return GOSSIP_WIRE_ERR_LENGTH;
		rec->mark.origin = get_unaligned_be32(&mark->origin);
		rec->mark.from = get_unaligned_be64(&mark->from);
		rec->mark.to = get_unaligned_be64(&mark->to);
		if (r->flags || !rec->mark.origin)
			return GOSSIP_WIRE_ERR_ENTRY;
		return GOSSIP_WIRE_OK;
	case GOSSIP_REC_PAD:
		return !r->flags && all_zero((const u8 *)(r + 1), body) ?
		       GOSSIP_WIRE_OK : GOSSIP_WIRE_ERR_ENTRY;
	case GOSSIP_REC_SUM:
		if (body != sizeof(*sum))
			return GOSSIP_WIRE_ERR_LENGTH;
		rec->sum.hash = get_unaligned_be64(&sum->hash);
		rec->sum.entries = get_unaligned_be32(&sum->entries);
		rec->sum.origins = get_unaligned_be32(&sum->origins);
		rec->sum.flags = r->flags;
		return r->flags & ~GOSSIP_SUM_F_ACKS ? GOSSIP_WIRE_ERR_ENTRY :
						       GOSSIP_WIRE_OK;
	}
	return GOSSIP_WIRE_ERR_TYPE;
}

/* The record kinds each datagram type may carry, as bits (1 << kind). */
static const u8 allowed_recs[__GOSSIP_MSG_MAX] = {
	[GOSSIP_MSG_PUSH] = 1 << GOSSIP_REC_ENTRY,
	[GOSSIP_MSG_PULL_REQ] = 1 << GOSSIP_REC_RANGE | 1 << GOSSIP_REC_MARK |
				1 << GOSSIP_REC_PAD,
	[GOSSIP_MSG_PUSHPULL_REQ] = 1 << GOSSIP_REC_RANGE |
				    1 << GOSSIP_REC_MARK |
				    1 << GOSSIP_REC_ENTRY |
				    1 << GOSSIP_REC_REF |
				    1 << GOSSIP_REC_PAD,
	[GOSSIP_MSG_PULL_REPLY] = 1 << GOSSIP_REC_ENTRY | 1 << GOSSIP_REC_MARK |
				  1 << GOSSIP_REC_REF | 1 << GOSSIP_REC_PAD,
	[GOSSIP_MSG_SUMMARY] = 1 << GOSSIP_REC_SUM,
	[GOSSIP_MSG_IHAVE] = 1 << GOSSIP_REC_REF,
	[GOSSIP_MSG_IWANT] = 1 << GOSSIP_REC_REF | 1 << GOSSIP_REC_PAD,
	[GOSSIP_MSG_TREE] = 1 << GOSSIP_REC_ENTRY,
	[GOSSIP_MSG_PRUNE] = 0,
	[GOSSIP_MSG_GRAFT] = 1 << GOSSIP_REC_REF | 1 << GOSSIP_REC_PAD,
};

static bool is_request(u8 type)
{
	return type == GOSSIP_MSG_PULL_REQ || type == GOSSIP_MSG_PUSHPULL_REQ;
}

/*
 * A request's digest: exactly one RANGE, first; its MARKs inside the
 * range, in strictly increasing origin order (the responder merges them
 * with its own sorted origins in one pass), and before any ENTRY or REF.
 */
static enum gossip_wire_err check_digest(const struct gossip_wire_rec *rec,
					 u32 n, struct gossip_wire_range *range,
					 u32 *prev, bool *entries)
{
	if (!n && rec->kind != GOSSIP_REC_RANGE)
		return GOSSIP_WIRE_ERR_ENTRY;
	if (rec->kind == GOSSIP_REC_ENTRY || rec->kind == GOSSIP_REC_REF)
		*entries = true;
	if (rec->kind == GOSSIP_REC_RANGE) {
		if (n)
			return GOSSIP_WIRE_ERR_ENTRY;
		*range = rec->range;
		return GOSSIP_WIRE_OK;
	}
	if (rec->kind != GOSSIP_REC_MARK)
		return GOSSIP_WIRE_OK;
	if (*entries || rec->mark.origin < range->lo ||
	    rec->mark.origin > range->hi ||
	    (*prev && rec->mark.origin <= *prev))
		return GOSSIP_WIRE_ERR_ENTRY;
	*prev = rec->mark.origin;
	return GOSSIP_WIRE_OK;
}

/* Walk the records of @msg once, validating each; nothing is kept. */
static enum gossip_wire_err check_records(const struct gossip_wire_msg *msg)
{
	struct gossip_wire_range range = { };
	struct gossip_wire_rec rec;
	const u8 *p = msg->pos;
	enum gossip_wire_err err;
	u32 n = 0, prev = 0, refs = 0;
	bool entries = false, pad = false;
	size_t body;

	while (p < msg->end) {
		const struct gossip_msg_rec *r = (const void *)p;

		if ((size_t)(msg->end - p) < sizeof(*r))
			return GOSSIP_WIRE_ERR_LENGTH;
		body = get_unaligned_be16(&r->len);
		if (body > (size_t)(msg->end - p) - sizeof(*r))
			return GOSSIP_WIRE_ERR_LENGTH;
		if (r->kind >= __GOSSIP_REC_MAX ||
		    !(allowed_recs[msg->type] & (1 << r->kind)))
			return GOSSIP_WIRE_ERR_TYPE;
		err = decode_rec(p, body, &rec);
		/* A PAD is the last record. */
		if (!err && pad)
			err = GOSSIP_WIRE_ERR_ENTRY;
		pad = rec.kind == GOSSIP_REC_PAD;
		refs += rec.kind == GOSSIP_REC_REF;
		if (!err && is_request(msg->type))
			err = check_digest(&rec, n, &range, &prev, &entries);
		/* A reply's MARK covers (from, to]; a digest's from is a hash. */
		else if (!err && rec.kind == GOSSIP_REC_MARK &&
			 rec.mark.from > rec.mark.to)
			err = GOSSIP_WIRE_ERR_ENTRY;
		if (err)
			return err;
		p += sizeof(*r) + body;
		n++;
	}
	if (is_request(msg->type) && !n)
		return GOSSIP_WIRE_ERR_ENTRY;	/* a request needs its range */
	if (msg->type == GOSSIP_MSG_SUMMARY && n != 1)
		return GOSSIP_WIRE_ERR_ENTRY;	/* one summary, no more */
	if ((msg->type == GOSSIP_MSG_IHAVE || msg->type == GOSSIP_MSG_IWANT) &&
	    !refs)
		return GOSSIP_WIRE_ERR_ENTRY;	/* names an entry at least */
	if (msg->type == GOSSIP_MSG_TREE && !n)
		return GOSSIP_WIRE_ERR_ENTRY;	/* pushes an entry at least */
	return n == msg->count ? GOSSIP_WIRE_OK : GOSSIP_WIRE_ERR_LENGTH;
}

/*
 * Check the header and the prefix its flags announce; say where the records
 * are. The records themselves are not looked at (they may be encrypted).
 */
enum gossip_wire_err gossip_wire_header(const u8 *buf, size_t len,
					struct gossip_wire_hdr *h)
{
	const struct gossip_msg_header *hdr = (const void *)buf;
	const struct gossip_msg_sealed *sealed = (const void *)buf;
	const struct gossip_msg_label *label = (const void *)(hdr + 1);
	u16 flags;

	if (len < sizeof(*hdr))
		return GOSSIP_WIRE_ERR_SHORT;
	if (get_unaligned_be32(&hdr->magic) != GOSSIP_WIRE_MAGIC)
		return GOSSIP_WIRE_ERR_MAGIC;
	flags = get_unaligned_be16(&hdr->flags);
	if (hdr->version != GOSSIP_WIRE_VERSION ||
	    (flags & ~(GOSSIP_WIRE_F_SEALED | GOSSIP_WIRE_F_LABEL)) ||
	    flags == (GOSSIP_WIRE_F_SEALED | GOSSIP_WIRE_F_LABEL))
		return GOSSIP_WIRE_ERR_VERSION;
	if (!hdr->type || hdr->type >= __GOSSIP_MSG_MAX)
		return GOSSIP_WIRE_ERR_TYPE;
	if (get_unaligned_be16(&hdr->length) != len)
		return GOSSIP_WIRE_ERR_LENGTH;

	h->type = hdr->type;
	h->flags = flags;
	h->sender = get_unaligned_be32(&hdr->sender);
	h->count = get_unaligned_be16(&hdr->count);
	h->counter = 0;
	h->nonce = NULL;
	h->label = NULL;
	h->label_len = 0;
	h->body = sizeof(*hdr);
	h->body_end = len;
	if (flags & GOSSIP_WIRE_F_SEALED) {
		if (len < sizeof(*sealed) + GOSSIP_WIRE_TAG_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		h->counter = get_unaligned_be64(&sealed->nonce.counter);
		h->nonce = (const u8 *)&sealed->nonce;
		h->body = sizeof(*sealed);
		h->body_end -= GOSSIP_WIRE_TAG_LEN;
	} else if (flags & GOSSIP_WIRE_F_LABEL) {
		if (len < sizeof(*hdr) + sizeof(*label))
			return GOSSIP_WIRE_ERR_LENGTH;
		h->label_len = label->len;
		h->label = label->label;
		if (!h->label_len || h->label_len > GOSSIP_LABEL_MAX ||
		    sizeof(*hdr) + sizeof(*label) + h->label_len > len)
			return GOSSIP_WIRE_ERR_LENGTH;
		h->body += sizeof(*label) + h->label_len;
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
	const struct gossip_msg_rec *r = (const void *)msg->pos;
	size_t body;

	if (msg->pos >= msg->end)
		return 0;
	body = get_unaligned_be16(&r->len);
	if (decode_rec(msg->pos, body, rec))
		return 0;	/* cannot happen after gossip_wire_parse() */
	msg->pos += sizeof(*r) + body;
	return 1;
}

void gossip_wire_begin(struct gossip_wire_writer *w, u8 *buf, size_t cap,
		       u8 type, u32 sender)
{
	struct gossip_msg_header *hdr = (void *)buf;

	w->buf = buf;
	w->cap = cap;
	w->len = sizeof(*hdr);
	w->count = 0;
	put_unaligned_be32(GOSSIP_WIRE_MAGIC, &hdr->magic);
	hdr->version = GOSSIP_WIRE_VERSION;
	hdr->type = type;
	put_unaligned_be16(0, &hdr->length);
	put_unaligned_be32(sender, &hdr->sender);
	put_unaligned_be16(0, &hdr->count);
	put_unaligned_be16(0, &hdr->flags);
}

/* Bytes an entry takes on the wire, record header included. */
size_t gossip_wire_entry_size(u16 key_len, u16 value_len)
{
	return sizeof(struct gossip_msg_rec) +
	       sizeof(struct gossip_msg_entry) + key_len + value_len;
}

/* Reserve a record of @body bytes; NULL (nothing written) if it won't fit. */
static void *put_rec(struct gossip_wire_writer *w, u8 kind, u8 flags,
		     size_t body)
{
	struct gossip_msg_rec *r = (void *)(w->buf + w->len);
	size_t need = sizeof(*r) + body;

	if (need > w->cap - w->len || w->count == 0xffff)
		return NULL;
	r->kind = kind;
	r->flags = flags;
	put_unaligned_be16(body, &r->len);
	w->len += need;
	w->count++;
	return r + 1;
}

/*
 * An entry record of @kind: @e, with its value (ENTRY) or without it
 * (REF, @value_len 0: its value length field still says e->value_len).
 */
static int put_entry_rec(struct gossip_wire_writer *w, u8 kind, u8 flags,
			 const struct gossip_wire_entry *e, u16 value_len)
{
	struct gossip_msg_entry *m;

	m = put_rec(w, kind, flags, sizeof(*m) + e->key_len + value_len);
	if (!m)
		return -1;
	put_unaligned_be32(e->origin, &m->origin);
	put_unaligned_be64(e->version, &m->version);
	m->key_len = e->key_len;
	m->reserved = 0;
	put_unaligned_be16(e->value_len, &m->value_len);
	memcpy(m->data, e->key, e->key_len);
	if (value_len)
		memcpy(m->data + e->key_len, e->value, value_len);
	return 0;
}

/* Append @e; return -1 (and write nothing) when it does not fit. */
int gossip_wire_put_entry(struct gossip_wire_writer *w,
			  const struct gossip_wire_entry *e)
{
	return put_entry_rec(w, GOSSIP_REC_ENTRY, e->flags, e, e->value_len);
}

/*
 * Append @e with GOSSIP_ENTRY_F_LATE (this node asked for it before its
 * tree brought it); -1 when it does not fit.
 */
int gossip_wire_put_late_entry(struct gossip_wire_writer *w,
			       const struct gossip_wire_entry *e)
{
	return put_entry_rec(w, GOSSIP_REC_ENTRY, e->flags | GOSSIP_ENTRY_F_LATE,
			     e, e->value_len);
}

/* Append @e as a REF (its value left out); -1 when it does not fit. */
int gossip_wire_put_ref(struct gossip_wire_writer *w,
			const struct gossip_wire_entry *e)
{
	return put_entry_rec(w, GOSSIP_REC_REF, e->flags, e, 0);
}

/*
 * Append @e as a REF with GOSSIP_REF_F_TREE (it went down the eager tree
 * first); -1 when it does not fit.
 */
int gossip_wire_put_tree_ref(struct gossip_wire_writer *w,
			     const struct gossip_wire_entry *e)
{
	return put_entry_rec(w, GOSSIP_REC_REF, e->flags | GOSSIP_REF_F_TREE,
			     e, 0);
}

/* Append a PAD of @len zero bytes; -1 when it does not fit. */
int gossip_wire_put_pad(struct gossip_wire_writer *w, size_t len)
{
	u8 *m;

	if (len > 0xffff)
		return -1;
	m = put_rec(w, GOSSIP_REC_PAD, 0, len);
	if (!m)
		return -1;
	memset(m, 0, len);
	return 0;
}

int gossip_wire_put_range(struct gossip_wire_writer *w, u32 lo, u32 hi,
			  u8 flags)
{
	struct gossip_msg_range *m;

	m = put_rec(w, GOSSIP_REC_RANGE, flags, sizeof(*m));
	if (!m)
		return -1;
	put_unaligned_be32(lo, &m->lo);
	put_unaligned_be32(hi, &m->hi);
	return 0;
}

int gossip_wire_put_mark(struct gossip_wire_writer *w,
			 const struct gossip_wire_mark *mark)
{
	struct gossip_msg_mark *m;

	m = put_rec(w, GOSSIP_REC_MARK, 0, sizeof(*m));
	if (!m)
		return -1;
	put_unaligned_be32(mark->origin, &m->origin);
	put_unaligned_be64(mark->from, &m->from);
	put_unaligned_be64(mark->to, &m->to);
	return 0;
}

int gossip_wire_put_sum(struct gossip_wire_writer *w,
			const struct gossip_wire_sum *sum)
{
	struct gossip_msg_sum *m;

	m = put_rec(w, GOSSIP_REC_SUM, sum->flags, sizeof(*m));
	if (!m)
		return -1;
	put_unaligned_be64(sum->hash, &m->hash);
	put_unaligned_be32(sum->entries, &m->entries);
	put_unaligned_be32(sum->origins, &m->origins);
	return 0;
}

/* Fill in the header's length and count; return the datagram's length. */
size_t gossip_wire_finish(struct gossip_wire_writer *w)
{
	struct gossip_msg_header *hdr = (void *)w->buf;

	put_unaligned_be16(w->len, &hdr->length);
	put_unaligned_be16(w->count, &hdr->count);
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
	struct gossip_msg_sealed *m = (void *)buf;

	put_unaligned_be16(len, &m->hdr.length);
	put_unaligned_be16(GOSSIP_WIRE_F_SEALED, &m->hdr.flags);
	put_unaligned_be64(counter, &m->nonce.counter);
	memcpy(m->nonce.random, random, sizeof(m->nonce.random));
}

/* The same for a label in the clear: 1 + @label_len bytes of room. */
void gossip_wire_label_prefix(u8 *buf, size_t len, const u8 *label,
			      u8 label_len)
{
	struct gossip_msg_header *hdr = (void *)buf;
	struct gossip_msg_label *m = (void *)(hdr + 1);

	put_unaligned_be16(len, &hdr->length);
	put_unaligned_be16(GOSSIP_WIRE_F_LABEL, &hdr->flags);
	m->len = label_len;
	memcpy(m->label, label, label_len);
}
