/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay window of one sender (RFC 6479) and the table of senders that
 * holds the windows (replay.c). The window itself is plain code on a
 * struct gossip_replay: selftests/unit builds it in userspace.
 */
#ifndef _GOSSIP_REPLAY_H
#define _GOSSIP_REPLAY_H

#include <linux/bitops.h>
#include <linux/types.h>
#include <linux/gossip.h>

/* Authentication: replay windows of GOSSIP_REPLAY_BITS counters, for at
 * most GOSSIP_REPLAY_SENDERS senders; when they are all taken, the least
 * recently seen one gives its place to a new sender once it has been idle
 * for GOSSIP_REPLAY_IDLE_S seconds (see replay.c).
 */
#define GOSSIP_REPLAY_BITS	1024
#define GOSSIP_REPLAY_SENDERS	(2 * GOSSIP_PEERS_MAX)
#define GOSSIP_REPLAY_HASH_BITS	8
#define GOSSIP_REPLAY_IDLE_S	120

/**
 * struct gossip_replay - every counter seen of one sender
 * @node: in gossip_net.replay, hashed by @sender; under gossip_net.replay_lock
 * @lru: in gossip_net.replay_lru, from the least to the most recently seen;
 *	under gossip_net.replay_lock
 * @seen: jiffies of its last new counter; under gossip_net.replay_lock
 * @sender: its node id; set when the window is made, under
 *	gossip_net.replay_lock
 * @top: the highest counter seen, plus one (0: none yet); under
 *	gossip_net.replay_lock
 * @bits: the window, a ring of GOSSIP_REPLAY_BITS bits: bit (c + 1) mod
 *	GOSSIP_REPLAY_BITS is set once counter c was seen; under
 *	gossip_net.replay_lock
 */
struct gossip_replay {
	struct hlist_node node;
	struct list_head lru;
	unsigned long seen;
	u32 sender;
	u64 top;
	unsigned long bits[GOSSIP_REPLAY_BITS / BITS_PER_LONG];
};

/* The window (no lock of its own: the caller's). */
bool gossip_replay_exhausted(u64 counter);
bool gossip_replay_window(struct gossip_replay *r, u64 counter);

/* The senders' table, in the kernel. */
struct gossip_net;

int gossip_replay_check(struct gossip_net *gn, u32 sender, u64 counter);
void gossip_replay_free(struct gossip_net *gn);

#endif /* _GOSSIP_REPLAY_H */
