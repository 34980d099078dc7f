/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gossip wire format, version 1: the one description of it. The structs
 * below declare every fixed part with its byte order (all integers big
 * endian, no padding: each is __packed and its size checked); records
 * start at any offset, so fields are read and written with
 * get_unaligned_be*() and put_unaligned_be*().
 *
 * A datagram is a 16-byte header (struct gossip_msg_header), a prefix that
 * depends on the flags, and records:
 *
 *   0       4       5    6       8         12      14      16
 *   | magic | vers  |type| length | sender | count | flags |
 *
 *   magic     GOSSIP_WIRE_MAGIC
 *   vers      GOSSIP_WIRE_VERSION
 *   type      enum gossip_msg_type
 *   length    bytes in the datagram, header, prefix and tag included
 *   sender    node id of the sender
 *   count     number of records that follow
 *   flags     GOSSIP_WIRE_F_*; every other bit must be zero (else the
 *             datagram is refused as of another version)
 *
 * No flag: the records follow the header.
 *
 * GOSSIP_WIRE_F_LABEL (an instance with a cluster label and no key): the
 * label in the clear (struct gossip_msg_label), then the records:
 *
 *   | header (16) | label length (1, 1..64) | label | records ... |
 *
 * GOSSIP_WIRE_F_SEALED (an instance with a key): a 24-byte nonce (struct
 * gossip_msg_nonce: an 8-byte counter and 16 random bytes), the records
 * encrypted with XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) and its
 * 16-byte tag:
 *
 *   | header (16) | counter (8) | random (16) | records, encrypted ... |
 *   | tag (16) |
 *
 *   nonce (24) = counter (8) || random (16), as sent
 *   AAD        = header (16) || nonce (24) || to (18) || the instance's
 *                cluster label (0..64 bytes). Header and nonce are struct
 *                gossip_msg_sealed. to is the receiver's IP address (16
 *                bytes, IPv4 as IPv4-mapped IPv6) and UDP port (2), network
 *                order, as the sender addressed it and the receiver sees
 *                it arrive. Neither to nor the label is sent: a receiver
 *                at another address (a replay elsewhere, or a NAT between
 *                the two) or with another label cannot open the datagram.
 *   counter    strictly increasing per sender; receivers keep a window of
 *              the last GOSSIP_REPLAY_BITS counters per sender and drop a
 *              counter seen before or older than that (replay)
 *   random     fresh from the kernel's CRNG for every datagram: the nonce
 *              never repeats under a key, whatever the counter does (two
 *              senders with one node id, a clock set back, a restored
 *              snapshot): 2^-128 per pair of datagrams, 2^-64 after 2^32
 *              datagrams under one key
 * The two flags never come together.
 *
 * A record is a 4-byte record header (struct gossip_msg_rec) and a body:
 *
 *   | kind (1) | flags (1) | body length (2) | body ... |
 *
 * GOSSIP_REC_ENTRY body (struct gossip_msg_entry): origin (4), version
 * (8), key length (1), reserved (1), value length (2), key, value. The
 * body length must equal 16 + key length + value length exactly. Record
 * flag GOSSIP_ENTRY_F_TOMBSTONE marks a deleted key (value length 0).
 * Record flag GOSSIP_ENTRY_F_LATE (an entry's only, read in a TREE): the
 * sender had the entry in answer to an IWANT, before its tree brought it,
 * and pushes it down its tree from there; a receiver that holds it
 * already may have been the tree's way to the sender, and keeps the link
 * (send.c, "the eager tree").
 *
 * GOSSIP_REC_RANGE body (struct gossip_msg_range): lo (4), hi (4): a
 * digest covers the origins lo..hi; an origin of that range that it does
 * not list has mark 0. Record flag GOSSIP_RANGE_F_NEWS: the sender's store
 * changed within its hot window (send.c, "quiet": a quiet receiver wakes).
 *
 * GOSSIP_REC_MARK body (struct gossip_msg_mark): origin (4), from (8), to
 * (8). In a digest: "I hold every update of this origin up to version
 * `to`, or a newer entry for its key", and `from` a hash of the entries
 * of the origin it holds above `to` (store.c, above_hash(): 0 for none or
 * too many): a responder holding the same ones sends none. In a reply
 * (from <= to): "this datagram carries every entry of this origin I hold
 * with a version in (from, to]", so a receiver whose mark is at least
 * `from` may raise it to `to`.
 *
 * GOSSIP_REC_SUM body (struct gossip_msg_sum): hash (8), entries (4),
 * origins (4): what the sender holds, in short (store.c, "summary"): a
 * hash of its entries and marks, its live entries, its origins with a
 * mark. A receiver whose own summary differs sends its digest back.
 * Record flag GOSSIP_SUM_F_ACKS: the sender waits for acks (tombstones,
 * its own life): a receiver whose summary is the same sends it back.
 *
 * GOSSIP_REC_REF body: an entry's body without its value (body length
 * 16 + key length; value length is that of the value left out, 0 for a
 * tombstone): "I hold this key at this version and origin, or newer" in
 * an IHAVE or a reply, "send me your entry for this key if it is at least
 * this version and origin" in an IWANT (send.c, "lazy push"). Record flag
 * GOSSIP_ENTRY_F_TOMBSTONE as for an entry. Record flag GOSSIP_REF_F_TREE
 * (a REF's only, read in an IHAVE): the sender pushed the entry down its
 * eager tree before it announced it, so a receiver that lacks it was
 * missed by the tree and may graft; an announcement without it is of what
 * anti-entropy brought, which no tree carried (send.c, "the eager tree").
 *
 * GOSSIP_REC_PAD body: zero bytes, any number (record flags 0), always the
 * last record. A node without a key pays with it for the answer it asks
 * for: in an IWANT, for the values it wants (send.c, "lazy push"); in a
 * digest, for the answer that stopped short the last time (send.c,
 * "paying ahead"). In a digest's answer, a PAD (of 0 bytes) says that the
 * answer stopped short for want of credit.
 *
 * Which records each datagram type carries:
 *   PUSH          ENTRY*
 *   PULL_REQ      RANGE MARK* PAD?       (MARKs in increasing origin order,
 *   PUSHPULL_REQ  RANGE MARK* (ENTRY|REF)* PAD?  inside the range)
 *   PULL_REPLY    (ENTRY | MARK | REF)* PAD?
 *   SUMMARY       SUM                    (exactly one)
 *   IHAVE         REF REF*               (announcements)
 *   IWANT         REF REF* PAD?          (the announced entries wanted)
 *   TREE          ENTRY ENTRY*           (pushed along the eager tree)
 *   PRUNE         (none)                 (push no more to me eagerly)
 *   GRAFT         REF* PAD?              (be a link of mine; an IWANT too)
 *
 * This file and wire.c use no kernel-only API beyond what
 * selftests/wire/wire_compat.h provides, so the codec builds in userspace
 * too (for the tests and fuzzing).
 */
#ifndef _GOSSIP_WIRE_H
#define _GOSSIP_WIRE_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/compiler_attributes.h>
#include <linux/types.h>
#else
#include "wire_compat.h"	/* userspace: the types, unaligned access */
#endif

#define GOSSIP_WIRE_MAGIC	0x47535350u	/* "GSSP" */
#define GOSSIP_WIRE_VERSION	1
#define GOSSIP_WIRE_HDR_LEN	16
#define GOSSIP_WIRE_REC_LEN	4
#define GOSSIP_WIRE_ENTRY_LEN	16	/* fixed part of an entry body */
#define GOSSIP_WIRE_RANGE_LEN	8
#define GOSSIP_WIRE_MARK_LEN	20
#define GOSSIP_WIRE_SUM_LEN	16

#define GOSSIP_WIRE_F_SEALED	0x8000	/* nonce, ciphertext, tag */
#define GOSSIP_WIRE_F_LABEL	0x4000	/* cluster label in the clear */
#define GOSSIP_WIRE_COUNTER_LEN	8
#define GOSSIP_WIRE_RANDOM_LEN	16
#define GOSSIP_WIRE_NONCE_LEN	(GOSSIP_WIRE_COUNTER_LEN + GOSSIP_WIRE_RANDOM_LEN)
#define GOSSIP_WIRE_TAG_LEN	16
#define GOSSIP_WIRE_SEAL_LEN	(GOSSIP_WIRE_NONCE_LEN + GOSSIP_WIRE_TAG_LEN)
#define GOSSIP_WIRE_AAD_LEN	(GOSSIP_WIRE_HDR_LEN + GOSSIP_WIRE_NONCE_LEN)

/**
 * struct gossip_msg_header - the header that starts every datagram
 * @magic: GOSSIP_WIRE_MAGIC
 * @version: GOSSIP_WIRE_VERSION
 * @type: enum gossip_msg_type
 * @length: bytes in the datagram, header, prefix and tag included
 * @sender: node id of the sender
 * @count: records that follow
 * @flags: GOSSIP_WIRE_F_*, no other bit
 */
struct gossip_msg_header {
	__be32 magic;
	u8 version;
	u8 type;
	__be16 length;
	__be32 sender;
	__be16 count;
	__be16 flags;
} __packed;

/**
 * struct gossip_msg_nonce - the nonce of a sealed datagram, after the header
 * @counter: the sender's counter, for the replay windows
 * @random: fresh random bytes of every datagram
 */
struct gossip_msg_nonce {
	__be64 counter;
	u8 random[GOSSIP_WIRE_RANDOM_LEN];
} __packed;

/**
 * struct gossip_msg_sealed - what precedes the ciphertext of a sealed
 * datagram, all of it in the AAD (the receiver's address and the label
 * follow it there, not sent)
 * @hdr: the header, flags GOSSIP_WIRE_F_SEALED
 * @nonce: the XChaCha20-Poly1305 nonce
 * @records: the records, encrypted, then the tag
 */
struct gossip_msg_sealed {
	struct gossip_msg_header hdr;
	struct gossip_msg_nonce nonce;
	u8 records[];
} __packed;

/**
 * struct gossip_msg_label - the prefix of a labelled datagram, after the
 * header: the cluster label in the clear
 * @len: the label's length, 1..GOSSIP_LABEL_MAX
 * @label: the label; the records follow it
 */
struct gossip_msg_label {
	u8 len;
	u8 label[];
} __packed;

/**
 * struct gossip_msg_rec - the header of every record
 * @kind: enum gossip_rec_kind
 * @flags: GOSSIP_ENTRY_F_* for an entry, GOSSIP_RANGE_F_* for a range,
 *	GOSSIP_SUM_F_* for a summary, else 0
 * @len: bytes of the body that follows
 */
struct gossip_msg_rec {
	u8 kind;
	u8 flags;
	__be16 len;
} __packed;

/**
 * struct gossip_msg_entry - the body of a GOSSIP_REC_ENTRY record
 * @origin: node id of the publisher, not 0
 * @version: the update's version, not 0
 * @key_len: 1..GOSSIP_KEY_MAX
 * @reserved: 0
 * @value_len: 0..GOSSIP_VALUE_MAX, 0 for a tombstone
 * @data: the key, then the value
 */
struct gossip_msg_entry {
	__be32 origin;
	__be64 version;
	u8 key_len;
	u8 reserved;
	__be16 value_len;
	u8 data[];
} __packed;

/**
 * struct gossip_msg_range - the body of a GOSSIP_REC_RANGE record: the
 * origins a digest covers
 * @lo: the first
 * @hi: the last, at least @lo
 */
struct gossip_msg_range {
	__be32 lo;
	__be32 hi;
} __packed;

/**
 * struct gossip_msg_mark - the body of a GOSSIP_REC_MARK record
 * @origin: node id of the publisher, not 0
 * @from: in a digest, a hash of the entries held above @to (store.c,
 *	above_hash()); in a reply, the mark the receiver must hold
 * @to: the mark (a digest's), or the mark the receiver may raise its own
 *	to (a reply's, at least @from)
 */
struct gossip_msg_mark {
	__be32 origin;
	__be64 from;
	__be64 to;
} __packed;

/**
 * struct gossip_msg_sum - the body of a GOSSIP_REC_SUM record
 * @hash: the sender's summary hash (store.c)
 * @entries: the live entries it holds (tombstones not counted)
 * @origins: the origins it holds a mark above 0 for
 */
struct gossip_msg_sum {
	__be64 hash;
	__be32 entries;
	__be32 origins;
} __packed;

static_assert(sizeof(struct gossip_msg_header) == GOSSIP_WIRE_HDR_LEN);
static_assert(sizeof(struct gossip_msg_nonce) == GOSSIP_WIRE_NONCE_LEN);
static_assert(sizeof(struct gossip_msg_sealed) == GOSSIP_WIRE_AAD_LEN);
static_assert(sizeof(struct gossip_msg_label) == 1);
static_assert(sizeof(struct gossip_msg_rec) == GOSSIP_WIRE_REC_LEN);
static_assert(sizeof(struct gossip_msg_entry) == GOSSIP_WIRE_ENTRY_LEN);
static_assert(sizeof(struct gossip_msg_range) == GOSSIP_WIRE_RANGE_LEN);
static_assert(sizeof(struct gossip_msg_mark) == GOSSIP_WIRE_MARK_LEN);
static_assert(sizeof(struct gossip_msg_sum) == GOSSIP_WIRE_SUM_LEN);

enum gossip_msg_type {
	GOSSIP_MSG_PUSH = 1,	/* unsolicited hot entries */
	GOSSIP_MSG_PULL_REQ,	/* a digest: send me what I lack */
	GOSSIP_MSG_PUSHPULL_REQ, /* a digest and hot entries */
	GOSSIP_MSG_PULL_REPLY,	/* entries the asker lacked, and marks */
	GOSSIP_MSG_SUMMARY,	/* a quiet node's summary: are we in sync? */
	GOSSIP_MSG_IHAVE,	/* entries announced, without their values */
	GOSSIP_MSG_IWANT,	/* announced entries the sender lacks */
	GOSSIP_MSG_TREE,	/* new entries, pushed along the eager tree */
	GOSSIP_MSG_PRUNE,	/* a TREE that brought nothing: no more */
	GOSSIP_MSG_GRAFT,	/* an IWANT that asks to join the tree too */
	__GOSSIP_MSG_MAX,
};

enum gossip_rec_kind {
	GOSSIP_REC_ENTRY = 1,
	GOSSIP_REC_RANGE,
	GOSSIP_REC_MARK,
	GOSSIP_REC_SUM,
	GOSSIP_REC_REF,
	GOSSIP_REC_PAD,
	__GOSSIP_REC_MAX,
};

#define GOSSIP_ENTRY_F_TOMBSTONE	0x01
#define GOSSIP_REF_F_TREE		0x02	/* a REF's only */
#define GOSSIP_ENTRY_F_LATE		0x02	/* an entry's only */
#define GOSSIP_SUM_F_ACKS		0x01
#define GOSSIP_RANGE_F_NEWS		0x01

/* Why a datagram was dropped: each maps to its own counter. */
enum gossip_wire_err {
	GOSSIP_WIRE_OK = 0,
	GOSSIP_WIRE_ERR_SHORT,		/* shorter than a header */
	GOSSIP_WIRE_ERR_MAGIC,		/* not our magic */
	GOSSIP_WIRE_ERR_VERSION,	/* other version, or reserved bits set */
	GOSSIP_WIRE_ERR_TYPE,		/* unknown datagram type or record kind */
	GOSSIP_WIRE_ERR_LENGTH,		/* a length field that does not add up */
	GOSSIP_WIRE_ERR_ENTRY,		/* an entry whose fields are invalid */
};

/*
 * The decoded views below are values on their user's stack (or in its
 * struct gossip_eager): no lock. Their pointers point into the datagram
 * they were decoded from, or into a stored entry (under RCU or the store
 * lock) when they are written.
 */

/**
 * struct gossip_wire_entry - an entry record, decoded
 * @key: its key, @key_len bytes
 * @value: its value, @value_len bytes
 * @version: its version
 * @origin: its publisher's node id
 * @key_len: 1..GOSSIP_KEY_MAX
 * @value_len: 0..GOSSIP_VALUE_MAX
 * @flags: GOSSIP_ENTRY_F_*
 */
struct gossip_wire_entry {
	const u8 *key;
	const u8 *value;
	u64 version;
	u32 origin;
	u16 key_len;
	u16 value_len;
	u8 flags;
};

/**
 * struct gossip_wire_range - a range record, decoded
 * @lo: the first origin a digest covers
 * @hi: the last
 * @flags: GOSSIP_RANGE_F_*
 */
struct gossip_wire_range {
	u32 lo;
	u32 hi;
	u8 flags;
};

/**
 * struct gossip_wire_mark - a mark record, decoded
 * @origin: the publisher's node id
 * @from: in a digest, a hash of the entries held above @to; in a reply,
 *	the mark the receiver must hold
 * @to: the mark (a digest's), or the mark the receiver may raise its own
 *	to (a reply's)
 */
struct gossip_wire_mark {
	u32 origin;
	u64 from;
	u64 to;
};

/**
 * struct gossip_wire_sum - a summary record, decoded
 * @hash: the summary hash
 * @entries: live entries
 * @origins: origins with a mark
 * @flags: GOSSIP_SUM_F_*
 */
struct gossip_wire_sum {
	u64 hash;
	u32 entries;
	u32 origins;
	u8 flags;
};

/**
 * struct gossip_wire_rec - any record, decoded
 * @kind: enum gossip_rec_kind: which of the union it is
 * @entry: GOSSIP_REC_ENTRY, or GOSSIP_REC_REF (@entry.value NULL)
 * @range: GOSSIP_REC_RANGE
 * @mark: GOSSIP_REC_MARK
 * @sum: GOSSIP_REC_SUM
 */
struct gossip_wire_rec {
	u8 kind;
	union {
		struct gossip_wire_entry entry;
		struct gossip_wire_range range;
		struct gossip_wire_mark mark;
		struct gossip_wire_sum sum;
	};
};

/**
 * struct gossip_wire_hdr - a datagram's header and prefix, decoded and
 * checked by gossip_wire_header()
 * @type: enum gossip_msg_type
 * @flags: GOSSIP_WIRE_F_*
 * @sender: the sender's node id
 * @count: records announced
 * @counter: F_SEALED: the nonce's counter
 * @nonce: F_SEALED: the GOSSIP_WIRE_NONCE_LEN bytes of the nonce
 * @label: F_LABEL: the label in the clear
 * @label_len: F_LABEL: its length
 * @body: offset of the records (encrypted if sealed)
 * @body_end: their end: the tag's offset if sealed
 */
struct gossip_wire_hdr {
	u8 type;
	u16 flags;
	u32 sender;
	u16 count;
	u64 counter;
	const u8 *nonce;
	const u8 *label;
	u8 label_len;
	size_t body;
	size_t body_end;
};

/**
 * struct gossip_wire_msg - a datagram gossip_wire_parse() accepted; its
 * records are read with gossip_wire_next()
 * @type: enum gossip_msg_type
 * @sender: the sender's node id
 * @count: its records
 * @pos: the next record
 * @end: the end of the records
 */
struct gossip_wire_msg {
	u8 type;
	u32 sender;
	u16 count;
	const u8 *pos;
	const u8 *end;
};

/**
 * struct gossip_wire_writer - a datagram being written into a caller's
 * buffer (gossip_wire_begin() .. gossip_wire_finish())
 * @buf: the buffer, the datagram's header first
 * @cap: bytes the datagram may take
 * @len: bytes written
 * @count: records written
 */
struct gossip_wire_writer {
	u8 *buf;
	size_t cap;
	size_t len;
	u16 count;
};

enum gossip_wire_err gossip_wire_header(const u8 *buf, size_t len,
					struct gossip_wire_hdr *h);
enum gossip_wire_err gossip_wire_parse(const u8 *buf, size_t len,
				       struct gossip_wire_msg *msg);
int gossip_wire_next(struct gossip_wire_msg *msg, struct gossip_wire_rec *rec);

void gossip_wire_begin(struct gossip_wire_writer *w, u8 *buf, size_t cap,
		       u8 type, u32 sender);
size_t gossip_wire_entry_size(u16 key_len, u16 value_len);
int gossip_wire_put_entry(struct gossip_wire_writer *w,
			  const struct gossip_wire_entry *e);
int gossip_wire_put_late_entry(struct gossip_wire_writer *w,
			       const struct gossip_wire_entry *e);
int gossip_wire_put_ref(struct gossip_wire_writer *w,
			const struct gossip_wire_entry *e);
int gossip_wire_put_tree_ref(struct gossip_wire_writer *w,
			     const struct gossip_wire_entry *e);
int gossip_wire_put_pad(struct gossip_wire_writer *w, size_t len);
int gossip_wire_put_range(struct gossip_wire_writer *w, u32 lo, u32 hi,
			  u8 flags);
int gossip_wire_put_mark(struct gossip_wire_writer *w,
			 const struct gossip_wire_mark *m);
int gossip_wire_put_sum(struct gossip_wire_writer *w,
			const struct gossip_wire_sum *sum);
size_t gossip_wire_finish(struct gossip_wire_writer *w);
void gossip_wire_seal_prefix(u8 *buf, size_t len, u64 counter,
			     const u8 *random);
void gossip_wire_label_prefix(u8 *buf, size_t len, const u8 *label,
			      u8 label_len);

#endif /* _GOSSIP_WIRE_H */
