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
	{ "datagram type", 5, __GOSSIP_MSG_MAX, 0, GOSSIP_WIRE_ERR_TYPE },
	{ "datagram type 0", 5, 0, 0, GOSSIP_WIRE_ERR_TYPE },
	{ "header length too long", 7, 200, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "record count", 13, 2, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "record kind", REC, 7, 0, GOSSIP_WIRE_ERR_TYPE },
	{ "record kind not for a push", REC, GOSSIP_REC_MARK, 0,
	  GOSSIP_WIRE_ERR_TYPE },
	{ "unknown entry flag", REC + 1, 4, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "tombstone with a value", REC + 1, GOSSIP_ENTRY_F_TOMBSTONE, 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "record length lies", REC + 3, 200, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "key length lies", BODY + 12, 9, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "key length 0", BODY + 12, 0, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "entry reserved", BODY + 13, 1, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "origin 0", BODY + 3, 0, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "truncated", 0, 'G', 3, GOSSIP_WIRE_ERR_LENGTH },
};

/*
 * Each of the @n mutations @m applied to a copy of the datagram @base
 * (@base_len bytes, under 256) must be refused with its error. A negative
 * trim adds zero bytes at the end.
 */
static void refuse_mutations(struct __test_metadata *_metadata,
			     const u8 *base, size_t base_len,
			     const struct mutation *m, size_t n)
{
	struct gossip_wire_msg msg;
	enum gossip_wire_err err;
	u8 buf[256];
	size_t len;

	for (; n--; m++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, base, base_len);
		buf[m->off] = m->val;
		len = base_len - m->trim;
		if (m->trim)	/* keep the header honest: the records lie */
			buf[7] = len;
		err = gossip_wire_parse(buf, len, &msg);
		if (err != m->err)
			TH_LOG("%s: error %d, expected %d", m->name, err, m->err);
		EXPECT_EQ(m->err, err);
	}
}

TEST(malformed_datagrams_are_refused_by_kind)
{
	u8 buf[256];
	size_t len = build(buf, sizeof(buf), 1);

	refuse_mutations(_metadata, buf, len, mutations,
			 ARRAY_SIZE(mutations));
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

/*
 * A datagram of @type whose records @recs spells, one letter each: R a
 * range 0..100, M a mark (origins 10, 20, ...: from @from, to 5), E the
 * sample entry, F its REF (the writer leaves its value out), T a REF of a
 * tombstone, V the sample entry with its kind made REF (a REF whose body
 * holds its value), G its REF with GOSSIP_REF_F_TREE, L the sample entry
 * with GOSSIP_ENTRY_F_LATE, H the sample entry with flag 0x04 (no flag of
 * an entry's), S a summary, P a PAD of 3 zero bytes, O an empty PAD, Z a
 * PAD of 3 bytes, the last not zero.
 */
static size_t build_recs(u8 *buf, size_t cap, u8 type, const char *recs,
			 u64 from)
{
	struct gossip_wire_mark m = { .origin = 0, .from = from, .to = 5 };
	struct gossip_wire_sum sum = { .hash = 1, .entries = 1, .origins = 1 };
	struct gossip_wire_entry gone = sample;
	struct gossip_wire_writer w;

	gone.flags = GOSSIP_ENTRY_F_TOMBSTONE;
	gone.value_len = 0;
	gossip_wire_begin(&w, buf, cap, type, 1);
	for (; *recs; recs++) {
		size_t at = w.len;

		switch (*recs) {
		case 'R':
			gossip_wire_put_range(&w, 0, 100, 0);
			break;
		case 'M':
			m.origin += 10;
			gossip_wire_put_mark(&w, &m);
			break;
		case 'E':
		case 'V':
			gossip_wire_put_entry(&w, &sample);
			if (*recs == 'V')
				buf[at] = GOSSIP_REC_REF;
			break;
		case 'F':
			gossip_wire_put_ref(&w, &sample);
			break;
		case 'T':
			gossip_wire_put_ref(&w, &gone);
			break;
		case 'G':
			gossip_wire_put_tree_ref(&w, &sample);
			break;
		case 'L':
			gossip_wire_put_late_entry(&w, &sample);
			break;
		case 'H':
			gossip_wire_put_entry(&w, &sample);
			buf[at + 1] = 0x04;
			break;
		case 'S':
			gossip_wire_put_sum(&w, &sum);
			break;
		case 'P':
		case 'Z':
			gossip_wire_put_pad(&w, 3);
			if (*recs == 'Z')
				buf[w.len - 1] = 1;
			break;
		case 'O':
			gossip_wire_put_pad(&w, 0);
			break;
		}
	}
	return gossip_wire_finish(&w);
}

/*
 * GOSSIP_REF_F_TREE on a REF (an IHAVE's, alone or beside a tombstone's
 * flag) and GOSSIP_ENTRY_F_LATE on an entry (a TREE's, the same bit) are
 * read back; 0x04 on an entry is an unknown flag.
 */
TEST(tree_ref_flag)
{
	static const struct {
		u8 type;
		const char *recs;
		u8 kind;
		u8 flag;
	} flagged[] = {
		{ GOSSIP_MSG_IHAVE, "GF", GOSSIP_REC_REF, GOSSIP_REF_F_TREE },
		{ GOSSIP_MSG_TREE, "LE", GOSSIP_REC_ENTRY, GOSSIP_ENTRY_F_LATE },
	};
	struct gossip_wire_entry gone = sample;
	struct gossip_wire_writer w;
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	u8 buf[256];
	size_t len, i;

	/* The flagged record, then the same without the flag. */
	for (i = 0; i < ARRAY_SIZE(flagged); i++) {
		len = build_recs(buf, sizeof(buf), flagged[i].type,
				 flagged[i].recs, 0);
		ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
		ASSERT_TRUE(gossip_wire_next(&msg, &rec));
		EXPECT_EQ(flagged[i].kind, rec.kind);
		EXPECT_EQ(flagged[i].flag, rec.entry.flags);
		EXPECT_EQ(sample.value_len, rec.entry.value_len);
		ASSERT_TRUE(gossip_wire_next(&msg, &rec));
		EXPECT_EQ(0, rec.entry.flags);
	}

	gone.flags = GOSSIP_ENTRY_F_TOMBSTONE;
	gone.value_len = 0;
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_IHAVE, 1);
	ASSERT_EQ(0, gossip_wire_put_tree_ref(&w, &gone));
	len = gossip_wire_finish(&w);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	EXPECT_EQ(GOSSIP_ENTRY_F_TOMBSTONE | GOSSIP_REF_F_TREE,
		  rec.entry.flags);

	len = build_recs(buf, sizeof(buf), GOSSIP_MSG_TREE, "H", 0);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));
	len = build_recs(buf, sizeof(buf), GOSSIP_MSG_PUSH, "H", 0);
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));
}

TEST(announcements_round_trip)
{
	static const u8 types[] = { GOSSIP_MSG_IHAVE, GOSSIP_MSG_IWANT,
				    GOSSIP_MSG_GRAFT };
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	u8 buf[256];
	size_t len;
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		/*
		 * The sample's REF, then a tombstone's: no value on the wire,
		 * its length announced.
		 */
		len = build_recs(buf, sizeof(buf), types[i], "FT", 0);
		ASSERT_EQ(GOSSIP_WIRE_HDR_LEN + 2 * gossip_wire_entry_size(5, 0),
			  len);
		ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
		EXPECT_EQ(types[i], msg.type);
		EXPECT_EQ(2, msg.count);
		for (n = 0; gossip_wire_next(&msg, &rec); n++) {
			ASSERT_EQ(GOSSIP_REC_REF, rec.kind);
			EXPECT_EQ(sample.origin, rec.entry.origin);
			EXPECT_EQ(sample.version, rec.entry.version);
			ASSERT_EQ(5, rec.entry.key_len);
			EXPECT_EQ(0, memcmp(rec.entry.key, "color", 5));
			EXPECT_EQ(n ? 0 : sample.value_len,
				  rec.entry.value_len);
			EXPECT_EQ(NULL, rec.entry.value);
			EXPECT_EQ(n ? GOSSIP_ENTRY_F_TOMBSTONE : 0,
				  rec.entry.flags);
		}
		EXPECT_EQ(2, n);
	}
}

/*
 * Offsets in a datagram of one REF of the sample, as in one entry's. Its
 * value length (4) is the value's it leaves out: the body is 16 + 5 bytes.
 */
static const struct mutation ref_mutations[] = {
	{ "REF value length over GOSSIP_VALUE_MAX", BODY + 14, 0x04, 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "REF of a tombstone with a value length", REC + 1,
	  GOSSIP_ENTRY_F_TOMBSTONE, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "REF body one byte long", REC + 3, 16 + 5 + 1, -1,
	  GOSSIP_WIRE_ERR_LENGTH },
	{ "REF body one byte short", REC + 3, 16 + 5 - 1, 1,
	  GOSSIP_WIRE_ERR_LENGTH },
	{ "REF key length lies", BODY + 12, 4, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "REF key length 0", BODY + 12, 0, 0, GOSSIP_WIRE_ERR_LENGTH },
	{ "REF flag neither tombstone nor tree", REC + 1, 4, 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "REF reserved", BODY + 13, 1, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "REF origin 0", BODY + 3, 0, 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "REF version 0", BODY + 11, 0, 0, GOSSIP_WIRE_ERR_ENTRY },
};

TEST(malformed_refs_are_refused_by_kind)
{
	static const u8 types[] = { GOSSIP_MSG_IHAVE, GOSSIP_MSG_IWANT,
				    GOSSIP_MSG_GRAFT, GOSSIP_MSG_PULL_REPLY };
	u8 buf[256];
	size_t len, i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		len = build_recs(buf, sizeof(buf), types[i], "F", 0);
		refuse_mutations(_metadata, buf, len, ref_mutations,
				 ARRAY_SIZE(ref_mutations));
	}
}

/* Which records each type carries, in which order; a digest MARK's from. */
static const struct {
	const char *name;
	u8 type;
	const char *recs;	/* as build_recs() spells them */
	u64 from;		/* of the MARKs */
	enum gossip_wire_err err;
} layouts[] = {
	{ "IHAVE of REFs", GOSSIP_MSG_IHAVE, "FTF", 0, GOSSIP_WIRE_OK },
	{ "IWANT of REFs", GOSSIP_MSG_IWANT, "TFF", 0, GOSSIP_WIRE_OK },
	{ "empty IHAVE", GOSSIP_MSG_IHAVE, "", 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "empty IWANT", GOSSIP_MSG_IWANT, "", 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "REF with its value in an IHAVE", GOSSIP_MSG_IHAVE, "V", 0,
	  GOSSIP_WIRE_ERR_LENGTH },
	{ "REF with its value in an IWANT", GOSSIP_MSG_IWANT, "FV", 0,
	  GOSSIP_WIRE_ERR_LENGTH },
	{ "REF with its value in a reply", GOSSIP_MSG_PULL_REPLY, "EV", 0,
	  GOSSIP_WIRE_ERR_LENGTH },
	{ "IWANT: REFs, then a PAD", GOSSIP_MSG_IWANT, "FTP", 0,
	  GOSSIP_WIRE_OK },
	{ "IWANT: a REF, then an empty PAD", GOSSIP_MSG_IWANT, "FO", 0,
	  GOSSIP_WIRE_OK },
	{ "IWANT: a PAD before a REF", GOSSIP_MSG_IWANT, "FPF", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "IWANT: two PADs", GOSSIP_MSG_IWANT, "FPO", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "IWANT of a PAD alone", GOSSIP_MSG_IWANT, "P", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "IWANT: a PAD not all zero", GOSSIP_MSG_IWANT, "FZ", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "PAD in an IHAVE", GOSSIP_MSG_IHAVE, "FP", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "PAD in a PUSH", GOSSIP_MSG_PUSH, "EP", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "a reply cut short: an empty PAD last", GOSSIP_MSG_PULL_REPLY, "EMO",
	  0, GOSSIP_WIRE_OK },
	{ "a reply of an empty PAD alone", GOSSIP_MSG_PULL_REPLY, "O", 0,
	  GOSSIP_WIRE_OK },
	{ "a reply: a PAD before an ENTRY", GOSSIP_MSG_PULL_REPLY, "OE", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "a reply: a PAD not all zero", GOSSIP_MSG_PULL_REPLY, "EZ", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "a digest paying ahead: a PAD last", GOSSIP_MSG_PULL_REQ, "RMMP", 0,
	  GOSSIP_WIRE_OK },
	{ "a digest: a PAD before a MARK", GOSSIP_MSG_PULL_REQ, "RPM", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "a digest of a PAD alone", GOSSIP_MSG_PULL_REQ, "P", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "a pushpull digest: REFs, then a PAD", GOSSIP_MSG_PUSHPULL_REQ,
	  "RFP", 0, GOSSIP_WIRE_OK },
	{ "a pushpull digest: a PAD before an ENTRY", GOSSIP_MSG_PUSHPULL_REQ,
	  "RPE", 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "PAD in a SUMMARY", GOSSIP_MSG_SUMMARY, "SP", 0,
	  GOSSIP_WIRE_ERR_TYPE },
	{ "ENTRY in an IHAVE", GOSSIP_MSG_IHAVE, "FE", 0,
	  GOSSIP_WIRE_ERR_TYPE },
	{ "ENTRY in an IWANT", GOSSIP_MSG_IWANT, "E", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "MARK in an IHAVE", GOSSIP_MSG_IHAVE, "FM", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "RANGE in an IWANT", GOSSIP_MSG_IWANT, "RF", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "SUM in an IHAVE", GOSSIP_MSG_IHAVE, "S", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "REF in a PUSH", GOSSIP_MSG_PUSH, "EF", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "REF in a PULL_REQ", GOSSIP_MSG_PULL_REQ, "RMF", 0,
	  GOSSIP_WIRE_ERR_TYPE },
	{ "REF in a SUMMARY", GOSSIP_MSG_SUMMARY, "F", 0,
	  GOSSIP_WIRE_ERR_TYPE },
	{ "REFs in a reply, among ENTRYs and MARKs", GOSSIP_MSG_PULL_REPLY,
	  "FEMFMET", 3, GOSSIP_WIRE_OK },
	{ "a reply of REFs only", GOSSIP_MSG_PULL_REPLY, "F", 0,
	  GOSSIP_WIRE_OK },
	{ "PUSHPULL_REQ: REFs and ENTRYs after the marks",
	  GOSSIP_MSG_PUSHPULL_REQ, "RMMFEF", 0, GOSSIP_WIRE_OK },
	{ "PUSHPULL_REQ: a REF, no mark", GOSSIP_MSG_PUSHPULL_REQ, "RF", 0,
	  GOSSIP_WIRE_OK },
	{ "PUSHPULL_REQ: a REF before a MARK", GOSSIP_MSG_PUSHPULL_REQ, "RMFM",
	  0, GOSSIP_WIRE_ERR_ENTRY },
	{ "PUSHPULL_REQ: a REF before the RANGE", GOSSIP_MSG_PUSHPULL_REQ,
	  "FR", 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "digest MARK from 3 <= to", GOSSIP_MSG_PULL_REQ, "RMM", 3,
	  GOSSIP_WIRE_OK },
	{ "digest MARK from > to", GOSSIP_MSG_PULL_REQ, "RMM",
	  0xfeedfacecafebeefULL, GOSSIP_WIRE_OK },
	{ "pushpull digest MARK from > to", GOSSIP_MSG_PUSHPULL_REQ, "RMEF",
	  6, GOSSIP_WIRE_OK },
	{ "reply MARK from > to", GOSSIP_MSG_PULL_REPLY, "EM",
	  0xfeedfacecafebeefULL, GOSSIP_WIRE_ERR_ENTRY },
	{ "reply MARK from = to", GOSSIP_MSG_PULL_REPLY, "EM", 5,
	  GOSSIP_WIRE_OK },
	{ "TREE of ENTRYs", GOSSIP_MSG_TREE, "EE", 0, GOSSIP_WIRE_OK },
	{ "empty TREE", GOSSIP_MSG_TREE, "", 0, GOSSIP_WIRE_ERR_ENTRY },
	{ "REF in a TREE", GOSSIP_MSG_TREE, "EF", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "PAD in a TREE", GOSSIP_MSG_TREE, "EO", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "PRUNE of nothing", GOSSIP_MSG_PRUNE, "", 0, GOSSIP_WIRE_OK },
	{ "PRUNE with a PAD", GOSSIP_MSG_PRUNE, "O", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "PRUNE with a REF", GOSSIP_MSG_PRUNE, "F", 0, GOSSIP_WIRE_ERR_TYPE },
	{ "GRAFT: REFs, then a PAD", GOSSIP_MSG_GRAFT, "FTP", 0,
	  GOSSIP_WIRE_OK },
	{ "empty GRAFT (a node with no link joins)", GOSSIP_MSG_GRAFT, "", 0,
	  GOSSIP_WIRE_OK },
	{ "GRAFT of a PAD alone", GOSSIP_MSG_GRAFT, "P", 0, GOSSIP_WIRE_OK },
	{ "GRAFT: a PAD before a REF", GOSSIP_MSG_GRAFT, "PF", 0,
	  GOSSIP_WIRE_ERR_ENTRY },
	{ "ENTRY in a GRAFT", GOSSIP_MSG_GRAFT, "FE", 0, GOSSIP_WIRE_ERR_TYPE },
};

TEST(record_kinds_per_type)
{
	struct gossip_wire_msg msg;
	enum gossip_wire_err err;
	u8 buf[512];
	size_t len, i;

	for (i = 0; i < ARRAY_SIZE(layouts); i++) {
		len = build_recs(buf, sizeof(buf), layouts[i].type,
				 layouts[i].recs, layouts[i].from);
		err = gossip_wire_parse(buf, len, &msg);
		if (err != layouts[i].err)
			TH_LOG("%s: error %d, expected %d", layouts[i].name,
			       err, layouts[i].err);
		EXPECT_EQ(layouts[i].err, err);
	}
}

/* An IWANT's PAD: zero bytes, read back as a record of its own. */
TEST(iwant_pad)
{
	struct gossip_wire_writer w;
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	u8 buf[256];
	size_t len;

	len = build_recs(buf, sizeof(buf), GOSSIP_MSG_IWANT, "FP", 0);
	ASSERT_EQ(GOSSIP_WIRE_HDR_LEN + gossip_wire_entry_size(5, 0) + 4 + 3,
		  len);
	EXPECT_EQ(0, memcmp(buf + len - 7, "\x06\x00\x00\x03\x00\x00\x00", 7));
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	EXPECT_EQ(2, msg.count);
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	EXPECT_EQ(GOSSIP_REC_REF, rec.kind);
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	EXPECT_EQ(GOSSIP_REC_PAD, rec.kind);
	EXPECT_FALSE(gossip_wire_next(&msg, &rec));

	/* A PAD's record flags are 0, as any record's but those named. */
	buf[len - 6] = 0x01;
	EXPECT_EQ(GOSSIP_WIRE_ERR_ENTRY, gossip_wire_parse(buf, len, &msg));

	/* More than a record can say, or than fits: refused, nothing written. */
	gossip_wire_begin(&w, buf, sizeof(buf), GOSSIP_MSG_IWANT, 1);
	EXPECT_EQ(-1, gossip_wire_put_pad(&w, 0x10000));
	EXPECT_EQ(-1, gossip_wire_put_pad(&w, sizeof(buf) - w.len - 3));
	EXPECT_EQ(GOSSIP_WIRE_HDR_LEN, w.len);
	EXPECT_EQ(0, w.count);
	EXPECT_EQ(0, gossip_wire_put_pad(&w, sizeof(buf) - w.len - 4));
	EXPECT_EQ(sizeof(buf), w.len);
}

/* A digest's MARK carries a hash in `from`: read back as it was written. */
TEST(digest_mark_from_is_a_hash)
{
	struct gossip_wire_msg msg;
	struct gossip_wire_rec rec;
	u8 buf[256];
	size_t len;

	len = build_recs(buf, sizeof(buf), GOSSIP_MSG_PULL_REQ, "RM",
			 0xfeedfacecafebeefULL);
	ASSERT_EQ(GOSSIP_WIRE_OK, gossip_wire_parse(buf, len, &msg));
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	ASSERT_TRUE(gossip_wire_next(&msg, &rec));
	ASSERT_EQ(GOSSIP_REC_MARK, rec.kind);
	EXPECT_EQ(10, rec.mark.origin);
	EXPECT_EQ(0xfeedfacecafebeefULL, rec.mark.from);
	EXPECT_EQ(5, rec.mark.to);
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
