/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How late rounds fire (late.c): a log-linear histogram of the lateness in
 * microseconds and its percentiles. The histogram is plain code on a struct
 * gossip_late_hist: selftests/unit builds it in userspace.
 */
#ifndef _GOSSIP_LATE_H
#define _GOSSIP_LATE_H

#include <linux/types.h>

/*
 * 0..15 us exactly, then 8 buckets per power of two up to 2^23 us (8.4 s;
 * later rounds count in the last bucket), so a bucket is at most 12.5 %
 * wide.
 */
#define GOSSIP_LATE_EXACT	16
#define GOSSIP_LATE_SUB_BITS	3
#define GOSSIP_LATE_TOP_BIT	23
#define GOSSIP_LATE_BUCKETS	(GOSSIP_LATE_EXACT + \
				 (GOSSIP_LATE_TOP_BIT - 4) * \
				 (1 << GOSSIP_LATE_SUB_BITS))

/**
 * struct gossip_late_hist - how late rounds fired since the last up
 * @bucket: rounds per bucket of lateness (gossip_late_bucket()); written
 *	only by the round timer (one callback at a time, never concurrent
 *	with itself) with WRITE_ONCE(), read without a lock by stats.c;
 *	cleared at up, under gossip_net.conf_lock, while no round runs
 * @max_us: the largest lateness seen, in us (at most U32_MAX); written and
 *	read as @bucket
 */
struct gossip_late_hist {
	u32 bucket[GOSSIP_LATE_BUCKETS];
	u32 max_us;
};

/* The histogram (one writer at a time: the caller's to ensure). */
u32 gossip_late_bucket(u64 us);
u64 gossip_late_upper_us(u32 b);
void gossip_late_add(struct gossip_late_hist *h, s64 late_ns);
void gossip_late_clear(struct gossip_late_hist *h);
u64 gossip_late_percentile(const struct gossip_late_hist *h, u32 pct);

/* The histogram of an instance, in the kernel. */
struct gossip_net;

void gossip_late_record(struct gossip_net *gn, s64 late_ns);
void gossip_late_reset(struct gossip_net *gn);
void gossip_late_debugfs_init(void);
#ifdef CONFIG_FAULT_INJECTION
bool gossip_fail_alloc(void);
#else
static inline bool gossip_fail_alloc(void)
{
	return false;
}
#endif
void gossip_late_debugfs_exit(void);
void gossip_late_debugfs_add(struct gossip_net *gn);
void gossip_late_debugfs_del(struct gossip_net *gn);

#endif /* _GOSSIP_LATE_H */
