// SPDX-License-Identifier: GPL-2.0
/*
 * The rate limiter of rejected datagrams (the policy: receive.c). Each
 * rejection costs its source 1/reject_rate s of credit, of at most 2 s
 * (twice the rate), regained at one second per second; while a source has
 * less than one datagram's worth, it is limited. A reject_rate of 0 limits
 * nothing.
 *
 * The bucket (first part) takes the clock as an argument: selftests/unit
 * builds it in userspace against a shim. The slots of an instance (second
 * part) are the kernel's.
 */
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "ratelimit.h"

#define RL_BURST_NS	(2 * NSEC_PER_SEC)	/* credit: twice the rate */

/*
 * The credit of @slot at @now, in ns: what it had plus the time since. A
 * clock behind the stamp adds nothing.
 */
u64 gossip_rl_credit(const struct gossip_rl_slot *slot, u64 now)
{
	u64 stamp = READ_ONCE(slot->stamp_ns), tokens = READ_ONCE(slot->tokens);
	u64 elapsed = now > stamp ? now - stamp : 0;

	return min_t(u64, RL_BURST_NS, tokens + min_t(u64, elapsed, RL_BURST_NS));
}

/* Whether @slot has less than a datagram's worth at @rate (0: no limit). */
bool gossip_rl_empty(const struct gossip_rl_slot *slot, u32 rate, u64 now)
{
	return rate && gossip_rl_credit(slot, now) < NSEC_PER_SEC / rate;
}

/* Charge @slot one datagram at @rate (not 0), at @now. */
void gossip_rl_spend(struct gossip_rl_slot *slot, u32 rate, u64 now)
{
	u64 credit = gossip_rl_credit(slot, now);

	WRITE_ONCE(slot->tokens, credit - min_t(u64, credit,
						NSEC_PER_SEC / rate));
	WRITE_ONCE(slot->stamp_ns, now);
}

#ifdef __KERNEL__
#include <linux/siphash.h>
#include <linux/spinlock.h>

#include "gossip.h"

/*
 * The slot of @src: an IPv4 address, or an IPv6 /64 (a host is given a
 * /64 whole, so its addresses are one source; else one host could hash to
 * every slot and empty them all).
 */
static struct gossip_rl_slot *rl_slot(struct gossip_net *gn,
				      const union gossip_sockaddr *src)
{
	u64 h;

	if (src->sa.sa_family == AF_INET)
		h = siphash_1u32((__force u32)src->in4.sin_addr.s_addr,
				 &gn->rl_key);
	else
		h = siphash_2u32((__force u32)src->in6.sin6_addr.s6_addr32[0],
				 (__force u32)src->in6.sin6_addr.s6_addr32[1],
				 &gn->rl_key);
	return &gn->rl[h % GOSSIP_RL_SLOTS];
}

/* Whether @src has used up its credit of rejected datagrams (lockless). */
bool gossip_rl_limited(struct gossip_net *gn,
		       const union gossip_sockaddr *src, u64 now)
{
	u32 rate = READ_ONCE(gn->reject_rate);

	if (!rate)
		return false;	/* no hash to compute */
	return gossip_rl_empty(rl_slot(gn, src), rate, now);
}

/* Charge the credit of @src for a rejected datagram, at @now. */
void gossip_rl_charge(struct gossip_net *gn,
		      const union gossip_sockaddr *src, u64 now)
{
	u32 rate = READ_ONCE(gn->reject_rate);
	struct gossip_rl_slot *slot;

	if (!rate)
		return;
	slot = rl_slot(gn, src);
	spin_lock_bh(&gn->rl_lock);
	gossip_rl_spend(slot, rate, now);
	spin_unlock_bh(&gn->rl_lock);
}
#endif /* __KERNEL__ */
