/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rate limiter of rejected datagrams (ratelimit.c): a token bucket per
 * slot, a fixed table indexed by a keyed hash of the source address
 * (sources that collide share a bucket), so nothing is allocated for any
 * source. The bucket itself is plain code on a struct gossip_rl_slot:
 * selftests/unit builds it in userspace.
 */
#ifndef _GOSSIP_RATELIMIT_H
#define _GOSSIP_RATELIMIT_H

#include <linux/types.h>

#define GOSSIP_RL_SLOTS		256

/**
 * struct gossip_rl_slot - the token bucket of the sources hashed to it
 * @stamp_ns: when @tokens was last set (the receive path's clock);
 *	written under gossip_net.rl_lock, read without it
 * @tokens: credit in ns, at most two seconds; a rejected datagram costs
 *	1 s / gossip_net.reject_rate; written under gossip_net.rl_lock, read
 *	without it
 */
struct gossip_rl_slot {
	u64 stamp_ns;
	u64 tokens;
};

/* The bucket (written under the caller's lock, read without it). */
u64 gossip_rl_credit(const struct gossip_rl_slot *slot, u64 now);
bool gossip_rl_empty(const struct gossip_rl_slot *slot, u32 rate, u64 now);
void gossip_rl_spend(struct gossip_rl_slot *slot, u32 rate, u64 now);

/* The slots of an instance, in the kernel. */
struct gossip_net;
union gossip_sockaddr;

bool gossip_rl_limited(struct gossip_net *gn,
		       const union gossip_sockaddr *src, u64 now);
void gossip_rl_charge(struct gossip_net *gn,
		      const union gossip_sockaddr *src, u64 now);

#endif /* _GOSSIP_RATELIMIT_H */
