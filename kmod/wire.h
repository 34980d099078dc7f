/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gossip wire format, version 1. All integers are big endian.
 *
 * A datagram is a 16-byte header, a prefix that depends on the flags, and
 * records:
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
 * label in the clear, then the records:
 *
 *   | header (16) | label length (1, 1..64) | label | records ... |
 *
 * GOSSIP_WIRE_F_SEALED (an instance with a key): a 24-byte nonce (an
 * 8-byte counter and 16 random bytes), the records encrypted with
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) and its 16-byte tag:
 *
 *   | header (16) | counter (8) | random (16) | records, encrypted ... |
 *   | tag (16) |
 *
 *   nonce (24) = counter (8) || random (16), as sent
 *   AAD        = header (16) || nonce (24) || the instance's cluster label
 *                (0..64 bytes; not sent: a receiver with another label
 *                cannot open the datagram)
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
 * A record is a 4-byte record header and a body:
 *
 *   | kind (1) | flags (1) | body length (2) | body ... |
 *
 * GOSSIP_REC_ENTRY body: origin (4), version (8), key length (1),
 * reserved (1), value length (2), key, value. The body length must equal
 * 16 + key length + value length exactly. Record flag
 * GOSSIP_ENTRY_F_TOMBSTONE marks a deleted key (value length 0).
 *
 * GOSSIP_REC_RANGE body: lo (4), hi (4): a digest covers the origins
 * lo..hi; an origin of that range that it does not list has mark 0.
 *
 * GOSSIP_REC_MARK body: origin (4), from (8), to (8). In a digest (from 0):
 * "I hold every update of this origin up to version `to`, or a newer entry
 * for its key". In a reply: "this datagram carries every entry of this
 * origin I hold with a version in (from, to]", so a receiver whose mark is
 * at least `from` may raise it to `to`.
 *
 * Which records each datagram type carries:
 *   PUSH          ENTRY*
 *   PULL_REQ      RANGE MARK*            (MARKs in increasing origin order,
 *   PUSHPULL_REQ  RANGE MARK* ENTRY*      inside the range, from = 0)
 *   PULL_REPLY    (ENTRY | MARK)*
 *
 * This file and wire.c use no kernel-only types, so the codec builds in
 * userspace too (for fuzzing): only u8/u16/u32/u64, size_t and memcpy.
 */
#ifndef _GOSSIP_WIRE_H
#define _GOSSIP_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "wire_compat.h"	/* userspace: u8 .. u64 and size_t */
#endif

#define GOSSIP_WIRE_MAGIC	0x47535350u	/* "GSSP" */
#define GOSSIP_WIRE_VERSION	1
#define GOSSIP_WIRE_HDR_LEN	16
#define GOSSIP_WIRE_REC_LEN	4
#define GOSSIP_WIRE_ENTRY_LEN	16	/* fixed part of an entry body */
#define GOSSIP_WIRE_RANGE_LEN	8
#define GOSSIP_WIRE_MARK_LEN	20

#define GOSSIP_WIRE_F_SEALED	0x8000	/* nonce, ciphertext, tag */
#define GOSSIP_WIRE_F_LABEL	0x4000	/* cluster label in the clear */
#define GOSSIP_WIRE_COUNTER_LEN	8
#define GOSSIP_WIRE_RANDOM_LEN	16
#define GOSSIP_WIRE_NONCE_LEN	(GOSSIP_WIRE_COUNTER_LEN + GOSSIP_WIRE_RANDOM_LEN)
#define GOSSIP_WIRE_TAG_LEN	16
#define GOSSIP_WIRE_SEAL_LEN	(GOSSIP_WIRE_NONCE_LEN + GOSSIP_WIRE_TAG_LEN)

enum gossip_msg_type {
	GOSSIP_MSG_PUSH = 1,	/* unsolicited hot entries */
	GOSSIP_MSG_PULL_REQ,	/* a digest: send me what I lack */
	GOSSIP_MSG_PUSHPULL_REQ, /* a digest and hot entries */
	GOSSIP_MSG_PULL_REPLY,	/* entries the asker lacked, and marks */
	__GOSSIP_MSG_MAX,
};

enum gossip_rec_kind {
	GOSSIP_REC_ENTRY = 1,
	GOSSIP_REC_RANGE,
	GOSSIP_REC_MARK,
	__GOSSIP_REC_MAX,
};

#define GOSSIP_ENTRY_F_TOMBSTONE	0x01

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

struct gossip_wire_entry {
	const u8 *key;
	const u8 *value;
	u64 version;
	u32 origin;
	u16 key_len;
	u16 value_len;
	u8 flags;
};

struct gossip_wire_range {
	u32 lo;
	u32 hi;
};

struct gossip_wire_mark {
	u32 origin;
	u64 from;
	u64 to;
};

struct gossip_wire_rec {
	u8 kind;
	union {
		struct gossip_wire_entry entry;
		struct gossip_wire_range range;
		struct gossip_wire_mark mark;
	};
};

/* A datagram's header and prefix, checked by gossip_wire_header(). */
struct gossip_wire_hdr {
	u8 type;
	u16 flags;
	u32 sender;
	u16 count;
	u64 counter;		/* F_SEALED: the nonce's counter */
	const u8 *nonce;	/* F_SEALED: GOSSIP_WIRE_NONCE_LEN bytes */
	const u8 *label;	/* F_LABEL */
	u8 label_len;
	size_t body;		/* offset of the records (encrypted if sealed) */
	size_t body_end;	/* their end: the tag's offset if sealed */
};

/* A validated datagram; records are read with gossip_wire_next_entry(). */
struct gossip_wire_msg {
	u8 type;
	u32 sender;
	u16 count;
	const u8 *pos;		/* next record */
	const u8 *end;
};

/* A datagram being written into a caller's buffer. */
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
int gossip_wire_put_range(struct gossip_wire_writer *w, u32 lo, u32 hi);
int gossip_wire_put_mark(struct gossip_wire_writer *w,
			 const struct gossip_wire_mark *m);
size_t gossip_wire_finish(struct gossip_wire_writer *w);
void gossip_wire_seal_prefix(u8 *buf, size_t len, u64 counter,
			     const u8 *random);
void gossip_wire_label_prefix(u8 *buf, size_t len, const u8 *label,
			      u8 label_len);

#endif /* _GOSSIP_WIRE_H */
