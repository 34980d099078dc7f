// SPDX-License-Identifier: GPL-2.0
/*
 * The wire codec (kmod/wire.c) built in userspace: what it encodes it
 * decodes unchanged, and every kind of malformed datagram is refused with
 * its own error, before anything in it could be applied.
 */
#include <string.h>
#include <linux/gossip.h>

#include "../../kmod/wire.h"
#include "kselftest_harness.h"

static const struct gossip_wire_entry sample = {
	.key = (const u8 *)"color",
	.value = (const u8 *)"blue",
	.version = 7,
	.origin = 1,
	.key_len = 5,
	.value_len = 4,
};

/* A valid push datagram of @n copies of the sample entry; its length. */
static size_t build(u8 *buf, size_t cap, int n)
{
	struct gossip_wire_writer w;

	gossip_wire_begin(&w, buf, cap, GOSSIP_MSG_PUSH, 42);
	while (n--)
		if (gossip_wire_put_entry(&w, &sample))
			return 0;
	return gossip_wire_finish(&w);
}

TEST(roundtrip)
{
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	struct gossip_wire_entry e;
	u8 buf[1400];
	size_t len = build(buf, sizeof(buf), 3);
	int n = 0;

	ASSERT_EQ(GOSSIP_WIRE_HDR_LEN + 3 * gossip_wire_entry_size(5, 4), len);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	EXPECT_EQ(42, msg.sender);
	EXPECT_EQ(3, msg.count);
	while (gossip_wire_next(&msg, &rec)) {
		ASSERT_EQ(GOSSIP_REC_ENTRY, rec.kind);
		e = rec.entry;
		EXPECT_EQ(sample.version, e.version);
		EXPECT_EQ(sample.origin, e.origin);
		ASSERT_EQ(5, e.key_len);
		ASSERT_EQ(4, e.value_len);
		EXPECT_EQ(0, memcmp(e.key, "color", 5));
		EXPECT_EQ(0, memcmp(e.value, "blue", 4));
		n++;
	}
	EXPECT_EQ(3, n);
}

TEST(writer_respects_capacity)
{
	struct gossip_wire_writer w;
	u8 buf[GOSSIP_WIRE_HDR_LEN + 40];
	int n = 0;

	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PUSH, 1);
	while (!gossip_wire_put_entry(&w, &sample))
		n++;
	EXPECT_EQ(1, n);	/* one entry is 29 bytes, two do not fit */
	EXPECT_LE(gossip_wire_finish(&w), sizeof(buf));
}

/* Offsets in a one-entry datagram. */
#define REC	GOSSIP_WIRE_HDR_LEN
#define BODY	(REC + GOSSIP_WIRE_REC_LEN)

struct mutation {
	const char *name;
	size_t off;		/* byte to change */
	u8 val;			/* its new value */
	int trim;		/* bytes removed from the end (length kept) */
	enum gossip_wire_err err;
};

static const struct mutation mutations[] = {
	{ "magic", 0, 'X', 0, GOSSIP_WIRE_ERR_MAGIC },
	{ "version", 4, 2, 0, GOSSIP_WIRE_ERR_VERSION },
	{ "reserved header bits", 15, 1, 0, GOSSIP_WIRE_ERR_VERSION },
	{ "datagram type", 5, 9, 0, GOSSIP_WIRE_ERR_TYPE },
	{ "header length too long", 7, 200, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "record count", 13, 2, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "record kind", REC, 7, 0, GOSSIP_WIRE_ERR_TYPE },
	{ "record kind not for a push", REC, GOSSIP_REC_MARK, 0,
	  GOSSIP_WIRE_ERR_TYPE },
	{ "unknown entry flag", REC + 1, 2, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "tombstone with a value", REC + 1, GOSSIP_ENTRY_F_TOMBSTONE, 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "record length lies", REC + 3, 200, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "key length lies", BODY + 12, 9, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "key length 0", BODY + 12, 0, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "entry reserved", BODY + 13, 1, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "origin 0", BODY + 3, 0, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "truncated", 0, 'G', 3, GOSSIP_WIRE_ERR_LENGTH },
};

TEST(malformed_datagrams_are_refused_by_kind)
{
	struct gossip_wire_msg msg;
	const struct mutation *m;
	enum gossip_wire_err err;
	u8 buf[256];
	size_t len;

	for (m = mutations; m < mutations + ARRAY_SIZE(mutations); m++) {
		len = build(buf, sizeof(buf), 1);
		buf[m->off] = m->val;
		len -= m->trim;
		if (m->trim)	/* keep the header honest: the records lie */
			buf[7] = len;
		err = gossip_wire_parse(buf, len, &msg);
		if (err != m->err)
			TH_LOG("%s: error %d, expected %d", m->name, err, m->err);
		EXPECT_EQ(m->err, err);
	}
}

TEST(short_and_empty)
{
	struct gossip_wire_msg msg;
	u8 buf[64] = { 0 };

	EXPECT_EQ(GOSSIP_WIRE_ERR_SHORT, gossip_wire_parse(buf, 0, &msg));
	EXPECT_EQ(GOSSIP_WIRE_ERR_SHORT, gossip_wire_parse(buf, 15, &msg));
	/* A header with no records is a valid, empty datagram. */
	ASSERT_EQ(GOSSIP_WIRE_HDR_LEN, build(buf, sizeof(buf), 0));
	EXPECT_EQ(GOSSIP_WIRE_OK,
		  gossip_wire_parse(buf, GOSSIP_WIRE_HDR_LEN, &msg));
}

TEST(oversized_fields)
{
	struct gossip_wire_entry big = sample;
	static u8 value[GOSSIP_VALUE_MAX + 1];
	struct gossip_wire_msg msg;
	struct gossip_wire_writer w;
	static u8 buf[4096];

	big.value = value;
	big.value_len = GOSSIP_VALUE_MAX + 1;
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PUSH, 1);
	ASSERT_EQ(0, gossip_wire_put_entry(&w, &big));
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));

	big.value_len = GOSSIP_VALUE_MAX;
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PUSH, 1);
	ASSERT_EQ(0, gossip_wire_put_entry(&w, &big));
	EXPECT_EQ(GOSSIP_WIRE_OK,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));
}

/* A digest: RANGE lo..hi, then marks for @n origins 10, 20, ... */
static size_t build_digest(u8 *buf, size_t cap, u8 type, u32 lo, u32 hi,
			   int n)
{
	struct gossip_wire_writer w;
	struct gossip_wire_mark m = { .from = 0, .to = 5 };
	int i;

	gossip_wire_begin(&w, buf, cap, type, 1);
	gossip_wire_put_range(&w, lo, hi, 0);
	for (i = 1; i <= n; i++) {
		m.origin = 10 * i;
		gossip_wire_put_mark(&w, &m);
	}
	if (type == GOSSIP_MSG_PUSHPULL_REQ)
		gossip_wire_put_entry(&w, &sample);
	return gossip_wire_finish(&w);
}

TEST(digests)
{
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	u8 buf[512];
	size_t len;
	int marks = 0, entries = 0;

	len = build_digest(buf, sizeof(buf), GOSSIP_MSG_PUSHPULL_REQ, 0, 100, 3);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	ASSERT_EQ(1, gossip_wire_next(&msg, &rec));
	ASSERT_EQ(GOSSIP_REC_RANGE, rec.kind);
	EXPECT_EQ(100, rec.range.hi);
	while (gossip_wire_next(&msg, &rec)) {
		marks += rec.kind == GOSSIP_REC_MARK;
		entries += rec.kind == GOSSIP_REC_ENTRY;
	}
	EXPECT_EQ(3, marks);
	EXPECT_EQ(1, entries);

	/* GOSSIP_RANGE_F_NEWS is a range's one flag. */
	len = build_digest(buf, sizeof(buf), GOSSIP_MSG_PULL_REQ, 0, 100, 0);
	buf[GOSSIP_WIRE_HDR_LEN + 1] = GOSSIP_RANGE_F_NEWS;
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	EXPECT_EQ(GOSSIP_RANGE_F_NEWS, rec.range.flags);
	buf[GOSSIP_WIRE_HDR_LEN + 1] = 2;
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));

	/* Marks outside the range, a range upside down, no range at all. */
	len = build_digest(buf, sizeof(buf), GOSSIP_MSG_PULL_REQ, 0, 25, 3);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));
	len = build_digest(buf, sizeof(buf), GOSSIP_MSG_PULL_REQ, 50, 40, 0);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));
	len = build(buf, sizeof(buf), 0);
	buf[5] = GOSSIP_MSG_PULL_REQ;
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));
	/* Entries are not part of a pull request. */
	len = build_digest(buf, sizeof(buf), GOSSIP_MSG_PUSHPULL_REQ, 0, 100, 1);
	buf[5] = GOSSIP_MSG_PULL_REQ;
	EXPECT_EQ(GOSSIP_WIRE_ERR_TYPE, gossip_wire_parse(buf, len, &msg));
}

TEST(reply_marks)
{
	struct gossip_wire_mark m = { .origin = 3, .from = 9, .to = 4 };
	struct gossip_wire_writer w;
	struct gossip_wire_msg msg;
	u8 buf[256];

	/* from > to is refused; from <= to is fine. */
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PULL_REPLY, 1);
	gossip_wire_put_entry(&w, &sample);
	gossip_wire_put_mark(&w, &m);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));
	m.to = 12;
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PULL_REPLY, 1);
	gossip_wire_put_entry(&w, &sample);
	gossip_wire_put_mark(&w, &m);
	EXPECT_EQ(GOSSIP_WIRE_OK,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));
	/* A range in a reply is refused. */
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PULL_REPLY, 1);
	gossip_wire_put_range(&w, 0, 1, 0);
	EXPECT_EQ(GOSSIP_WIRE_ERR_TYPE,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));
}

TEST(summaries)
{
	struct gossip_wire_sum sum = {
		.hash = 0x0123456789abcdefULL, .entries = 70000, .origins = 5,
	};
	struct gossip_wire_writer w;
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	size_t len;
	u8 buf[256];

	/* One SUM: 16 + 4 + 16 bytes, read back field by field. */
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_SUMMARY, 7);
	ASSERT_EQ(0, gossip_wire_put_sum(&w, &sum));
	len = gossip_wire_finish(&w);
	EXPECT_EQ(36, len);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	EXPECT_EQ(GOSSIP_MSG_SUMMARY, msg.type);
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	EXPECT_EQ(GOSSIP_REC_SUM, rec.kind);
	EXPECT_EQ(sum.hash, rec.sum.hash);
	EXPECT_EQ(sum.entries, rec.sum.entries);
	EXPECT_EQ(sum.origins, rec.sum.origins);
	EXPECT_FALSE(gossip_wire_next(&msg, &rec));

	/* GOSSIP_SUM_F_ACKS is its one flag; a body of the wrong length. */
	buf[GOSSIP_WIRE_HDR_LEN + 1] = GOSSIP_SUM_F_ACKS;
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	EXPECT_EQ(GOSSIP_SUM_F_ACKS, rec.sum.flags);
	buf[GOSSIP_WIRE_HDR_LEN + 1] = 2;
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));
	buf[GOSSIP_WIRE_HDR_LEN + 1] = 0;
	buf[GOSSIP_WIRE_HDR_LEN + 3] = 15;
	EXPECT_EQ(GOSSIP_WIRE_ERR_LENGTH, gossip_wire_parse(buf, len, &msg));

	/* None, or two: a summary is exactly one record. */
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_SUMMARY, 7);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_SUMMARY, 7);
	gossip_wire_put_sum(&w, &sum);
	gossip_wire_put_sum(&w, &sum);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));

	/* Only in a SUMMARY; nothing else in one. */
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_PULL_REPLY, 7);
	gossip_wire_put_sum(&w, &sum);
	EXPECT_EQ(GOSSIP_WIRE_ERR_TYPE,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_SUMMARY, 7);
	gossip_wire_put_entry(&w, &sample);
	EXPECT_EQ(GOSSIP_WIRE_ERR_TYPE,
		  gossip_wire_parse(buf, gossip_wire_finish(&w), &msg));

	/* The record does not fit: refused, nothing written. */
	gossip_wire_begin(&w, buf, GOSSIP_WIRE_HDR_LEN + 19,
			  GOSSIP_MSG_SUMMARY, 7);
	EXPECT_EQ(-1, gossip_wire_put_sum(&w, &sum));
	EXPECT_EQ(GOSSIP_WIRE_HDR_LEN, w.len);
}

/* A record area moved behind a prefix of @pre bytes, with @post after it. */
static size_t with_prefix(u8 *buf, size_t cap, size_t pre, size_t post)
{
	size_t len = build(buf, cap, 1);

	memmove(buf + GOSSIP_WIRE_HDR_LEN + pre, buf + GOSSIP_WIRE_HDR_LEN,
		len - GOSSIP_WIRE_HDR_LEN);
	return len + pre + post;
}

TEST(label_and_sealed_prefixes)
{
	u8 buf[256], rnd[GOSSIP_WIRE_RANDOM_LEN];
	struct gossip_wire_msg msg;
	struct gossip_wire_hdr h;
	size_t len;

	/* A label in the clear: its bytes, then records that parse. */
	len = with_prefix(buf, sizeof(buf), 1 + 3, 0);
	gossip_wire_label_prefix(buf, len, (const u8 *)"abc", 3);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_header(buf, len, &h));
	EXPECT_EQ(GOSSIP_WIRE_F_LABEL, h.flags);
	EXPECT_EQ(3, h.label_len);
	EXPECT_EQ(0, memcmp(h.label, "abc", 3));
	EXPECT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	EXPECT_EQ(1, msg.count);
	buf[GOSSIP_WIRE_HDR_LEN] = 0;		/* label length 0 */
	EXPECT_EQ(GOSSIP_WIRE_ERR_LENGTH, gossip_wire_header(buf, len, &h));
	buf[GOSSIP_WIRE_HDR_LEN] = 65;		/* longer than allowed */
	EXPECT_EQ(GOSSIP_WIRE_ERR_LENGTH, gossip_wire_header(buf, len, &h));
	buf[GOSSIP_WIRE_HDR_LEN] = 200;		/* past the end */
	EXPECT_EQ(GOSSIP_WIRE_ERR_LENGTH, gossip_wire_header(buf, len, &h));

	/* Sealed (here not encrypted): counter, random, records, tag. */
	len = with_prefix(buf, sizeof(buf), GOSSIP_WIRE_NONCE_LEN,
			  GOSSIP_WIRE_TAG_LEN);
	memset(rnd, 0xc3, sizeof(rnd));
	rnd[0] = 0x11;
	rnd[GOSSIP_WIRE_RANDOM_LEN - 1] = 0x22;
	gossip_wire_seal_prefix(buf, len, 0x0102030405060708ULL, rnd);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_header(buf, len, &h));
	EXPECT_EQ(GOSSIP_WIRE_F_SEALED, h.flags);
	EXPECT_EQ(0x0102030405060708ULL, h.counter);
	/* The nonce as sent: the counter big endian, then the random bytes. */
	EXPECT_EQ(buf + GOSSIP_WIRE_HDR_LEN, h.nonce);
	EXPECT_EQ(0, memcmp(h.nonce, "\x01\x02\x03\x04\x05\x06\x07\x08", 8));
	EXPECT_EQ(0, memcmp(h.nonce + GOSSIP_WIRE_COUNTER_LEN, rnd,
			    GOSSIP_WIRE_RANDOM_LEN));
	EXPECT_EQ(24, GOSSIP_WIRE_NONCE_LEN);
	EXPECT_EQ(40, GOSSIP_WIRE_SEAL_LEN);
	EXPECT_EQ(GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_NONCE_LEN, h.body);
	EXPECT_EQ(len - GOSSIP_WIRE_TAG_LEN, h.body_end);
	EXPECT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	EXPECT_EQ(1, msg.count);
	/* Too short to hold a nonce and a tag. */
	buf[7] = GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_SEAL_LEN - 1;
	buf[6] = 0;
	EXPECT_EQ(GOSSIP_WIRE_ERR_LENGTH,
		  gossip_wire_header(buf, GOSSIP_WIRE_HDR_LEN +
				     GOSSIP_WIRE_SEAL_LEN - 1, &h));
	/* Both flags at once, or an unknown one: another version. */
	buf[14] = (GOSSIP_WIRE_F_SEALED | GOSSIP_WIRE_F_LABEL) >> 8;
	EXPECT_EQ(GOSSIP_WIRE_ERR_VERSION, gossip_wire_header(buf, len, &h));
	buf[14] = 0x20;
	EXPECT_EQ(GOSSIP_WIRE_ERR_VERSION, gossip_wire_header(buf, len, &h));
}

TEST_HARNESS_MAIN
