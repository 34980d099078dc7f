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
static enum gossip_wire_err decode_entry(const u8 *p, size_t len,
					 struct gossip_wire_entry *e)
{
	if (len < GOSSIP_WIRE_ENTRY_LEN)
		return GOSSIP_WIRE_ERR_LENGTH;
	e->origin = get32(p);
	e->version = get64(p + 4);
	e->key_len = p[12];
	e->value_len = get16(p + 14);
	if (len != (size_t)GOSSIP_WIRE_ENTRY_LEN + e->key_len + e->value_len)
		return GOSSIP_WIRE_ERR_LENGTH;
	if (p[13] || !e->key_len || e->key_len > GOSSIP_KEY_MAX ||
	    e->value_len > GOSSIP_VALUE_MAX || !e->origin || !e->version)
		return GOSSIP_WIRE_ERR_ENTRY;
	e->key = p + GOSSIP_WIRE_ENTRY_LEN;
	e->value = e->key + e->key_len;
	return GOSSIP_WIRE_OK;
}

/* Walk the records of @msg once, validating each; nothing is kept. */
static enum gossip_wire_err check_records(const struct gossip_wire_msg *msg)
{
	struct gossip_wire_entry e;
	const u8 *p = msg->pos;
	enum gossip_wire_err err;
	size_t body;
	u32 n = 0;

	while (p < msg->end) {
		if ((size_t)(msg->end - p) < GOSSIP_WIRE_REC_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		body = get16(p + 2);
		if (body > (size_t)(msg->end - p) - GOSSIP_WIRE_REC_LEN)
			return GOSSIP_WIRE_ERR_LENGTH;
		if (p[0] != GOSSIP_REC_ENTRY)
			return GOSSIP_WIRE_ERR_TYPE;
		if (p[1])
			return GOSSIP_WIRE_ERR_ENTRY;
		err = decode_entry(p + GOSSIP_WIRE_REC_LEN, body, &e);
		if (err)
			return err;
		p += GOSSIP_WIRE_REC_LEN + body;
		n++;
	}
	return n == msg->count ? GOSSIP_WIRE_OK : GOSSIP_WIRE_ERR_LENGTH;
}

enum gossip_wire_err gossip_wire_parse(const u8 *buf, size_t len,
				       struct gossip_wire_msg *msg)
{
	if (len < GOSSIP_WIRE_HDR_LEN)
		return GOSSIP_WIRE_ERR_SHORT;
	if (get32(buf) != GOSSIP_WIRE_MAGIC)
		return GOSSIP_WIRE_ERR_MAGIC;
	if (buf[4] != GOSSIP_WIRE_VERSION || get16(buf + 14))
		return GOSSIP_WIRE_ERR_VERSION;
	if (buf[5] != GOSSIP_MSG_PUSH)
		return GOSSIP_WIRE_ERR_TYPE;
	if (get16(buf + 6) != len)
		return GOSSIP_WIRE_ERR_LENGTH;

	msg->type = buf[5];
	msg->sender = get32(buf + 8);
	msg->count = get16(buf + 12);
	msg->pos = buf + GOSSIP_WIRE_HDR_LEN;
	msg->end = buf + len;
	return check_records(msg);
}

/*
 * Return 1 and fill @e with the next entry of a datagram that
 * gossip_wire_parse() accepted, or 0 at the end.
 */
int gossip_wire_next_entry(struct gossip_wire_msg *msg,
			   struct gossip_wire_entry *e)
{
	size_t body;

	if (msg->pos >= msg->end)
		return 0;
	body = get16(msg->pos + 2);
	if (decode_entry(msg->pos + GOSSIP_WIRE_REC_LEN, body, e))
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

/* Append @e; return -1 (and write nothing) when it does not fit. */
int gossip_wire_put_entry(struct gossip_wire_writer *w,
			  const struct gossip_wire_entry *e)
{
	size_t need = gossip_wire_entry_size(e->key_len, e->value_len);
	u8 *p = w->buf + w->len;

	if (need > w->cap - w->len || w->count == 0xffff)
		return -1;
	p[0] = GOSSIP_REC_ENTRY;
	p[1] = 0;
	put16(p + 2, need - GOSSIP_WIRE_REC_LEN);
	p += GOSSIP_WIRE_REC_LEN;
	put32(p, e->origin);
	put64(p + 4, e->version);
	p[12] = e->key_len;
	p[13] = 0;
	put16(p + 14, e->value_len);
	memcpy(p + GOSSIP_WIRE_ENTRY_LEN, e->key, e->key_len);
	memcpy(p + GOSSIP_WIRE_ENTRY_LEN + e->key_len, e->value, e->value_len);
	w->len += need;
	w->count++;
	return 0;
}

/* Fill in the header's length and count; return the datagram's length. */
size_t gossip_wire_finish(struct gossip_wire_writer *w)
{
	put16(w->buf + 6, w->len);
	put16(w->buf + 12, w->count);
	return w->len;
}
