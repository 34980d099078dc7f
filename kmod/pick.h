/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The random choice of peers (pick.c), on indexes 0 .. n - 1 of a peer
 * set: selftests/unit builds it in userspace.
 */
#ifndef _GOSSIP_PICK_H
#define _GOSSIP_PICK_H

#include <linux/limits.h>
#include <linux/types.h>

/* No peer to leave out, for gossip_pick_except(). */
#define GOSSIP_PICK_NONE	U32_MAX

u32 gossip_pick(u32 n, u32 fanout, u32 *idx);
u32 gossip_pick_except(u32 n, u32 fanout, u32 *idx, u32 skip);

#endif /* _GOSSIP_PICK_H */
