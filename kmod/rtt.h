/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How long an IWANT's answer may take (send.c, want_wait()): the answers'
 * average time and their mean deviation from it, kept as TCP keeps its
 * retransmission timer's (RFC 6298); and how late the eager tree's push
 * comes after an announcement (send.c, tree_wait()), kept the same way.
 * Plain code on a struct gossip_rtt: selftests/unit builds it in
 * userspace.
 */
#ifndef _GOSSIP_RTT_H
#define _GOSSIP_RTT_H

#include <linux/types.h>

/* No wait shorter than this, in ns (1 ms). */
#define GOSSIP_RTT_MIN_NS	1000000ULL

/**
 * struct gossip_rtt - the times answers took
 * @avg_ns: their moving average, an eighth of each new one; 0 until one
 *	came
 * @dev_ns: their mean deviation from @avg_ns, a quarter of each new
 *	distance
 *
 * The caller serializes the calls (gossip_net.want_lock).
 */
struct gossip_rtt {
	u64 avg_ns;
	u64 dev_ns;
};

/*
 * An answer took @took_ns: its distance from the average goes into the
 * deviation, then it goes into the average. The first answer sets the
 * average, and half of it the deviation.
 */
static inline void gossip_rtt_add(struct gossip_rtt *r, u64 took_ns)
{
	u64 dist;

	if (!r->avg_ns) {
		r->avg_ns = took_ns;
		r->dev_ns = took_ns / 2;
		return;
	}
	dist = took_ns > r->avg_ns ? took_ns - r->avg_ns : r->avg_ns - took_ns;
	r->dev_ns = r->dev_ns - r->dev_ns / 4 + dist / 4;
	r->avg_ns = r->avg_ns - r->avg_ns / 8 + took_ns / 8;
}

/*
 * How long to wait for an answer before asking again: the average plus
 * four deviations, at least twice the average and GOSSIP_RTT_MIN_NS, at
 * most @max_ns (which wins); @none_ns before any answer came.
 */
static inline u64 gossip_rtt_wait(const struct gossip_rtt *r, u64 none_ns,
				  u64 max_ns)
{
	u64 wait;

	if (!r->avg_ns)
		return none_ns;
	wait = r->avg_ns + 4 * r->dev_ns;
	if (wait < 2 * r->avg_ns)
		wait = 2 * r->avg_ns;
	if (wait < GOSSIP_RTT_MIN_NS)
		wait = GOSSIP_RTT_MIN_NS;
	return wait < max_ns ? wait : max_ns;
}

/*
 * How long to wait for what most often comes without being asked for (the
 * tree's push, send.c, tree_wait()) before asking: the average plus two
 * deviations, at most @max_ns; 0 (ask at once) before any came late.
 * Shorter than gossip_rtt_wait(): asking costs a second copy, but waiting
 * delays whatever did not come, and in the simulator (256 nodes, a fifth
 * of the hops stalled) four deviations saved no more copies than two.
 */
static inline u64 gossip_rtt_spread(const struct gossip_rtt *r, u64 max_ns)
{
	u64 wait = r->avg_ns + 2 * r->dev_ns;

	return wait < max_ns ? wait : max_ns;
}

#endif /* _GOSSIP_RTT_H */
