/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gossip wire format, version 1. All integers are big endian.
 *
 * A datagram is a 16-byte header followed by records:
 *
 *   0       4       5    6       8         12      14       16
 *   | magic | vers  |type| length | sender | count | reserved |
 *
 *   magic     GOSSIP_WIRE_MAGIC
 *   vers      GOSSIP_WIRE_VERSION
 *   type      enum gossip_msg_type
 *   length    bytes in the datagram, header included
 *   sender    node id of the sender
 *   count     number of records that follow
 *   reserved  zero
 *
 * A record is a 4-byte record header and a body:
 *
 *   | kind (1) | flags (1) | body length (2) | body ... |
 *
 * GOSSIP_REC_ENTRY body: origin (4), version (8), key length (1),
 * reserved (1), value length (2), key, value. The body length must equal
 * 16 + key length + value length exactly.
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

enum gossip_msg_type {
	GOSSIP_MSG_PUSH = 1,	/* unsolicited hot entries */
	__GOSSIP_MSG_MAX,
};

enum gossip_rec_kind {
	GOSSIP_REC_ENTRY = 1,
	__GOSSIP_REC_MAX,
};

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

enum gossip_wire_err gossip_wire_parse(const u8 *buf, size_t len,
				       struct gossip_wire_msg *msg);
int gossip_wire_next_entry(struct gossip_wire_msg *msg,
			   struct gossip_wire_entry *e);

void gossip_wire_begin(struct gossip_wire_writer *w, u8 *buf, size_t cap,
		       u8 type, u32 sender);
size_t gossip_wire_entry_size(u16 key_len, u16 value_len);
int gossip_wire_put_entry(struct gossip_wire_writer *w,
			  const struct gossip_wire_entry *e);
size_t gossip_wire_finish(struct gossip_wire_writer *w);

#endif /* _GOSSIP_WIRE_H */
