// SPDX-License-Identifier: GPL-2.0
/*
 * Round lateness: how long after its timer's expiry each round started,
 * counted in a log-linear histogram (struct gossip_late_hist) from which
 * stats.c reads the ROUND_LATE gauges (one value per file in /sys), and
 * which debugfs shows whole: /sys/kernel/debug/gossip/NETNS/round_late_hist,
 * NETNS the namespace's inode number.
 *
 * The histogram (first part) takes the lateness as an argument:
 * selftests/unit builds it in userspace against a shim. The instance's
 * (second part) is the kernel's.
 */
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "late.h"

/* The bucket that counts a lateness of @us microseconds. */
u32 gossip_late_bucket(u64 us)
{
	u32 k;

	if (us < GOSSIP_LATE_EXACT)
		return us;
	if (us >= 1ULL << GOSSIP_LATE_TOP_BIT)
		return GOSSIP_LATE_BUCKETS - 1;
	k = fls64(us) - 1;	/* 4 .. GOSSIP_LATE_TOP_BIT - 1 */
	return GOSSIP_LATE_EXACT +
	       (k - 4) * (1 << GOSSIP_LATE_SUB_BITS) +
	       ((us >> (k - GOSSIP_LATE_SUB_BITS)) &
		((1 << GOSSIP_LATE_SUB_BITS) - 1));
}

/* The largest lateness, in us, that bucket @b counts. */
u64 gossip_late_upper_us(u32 b)
{
	u32 k, sub;

	if (b < GOSSIP_LATE_EXACT)
		return b;
	if (b == GOSSIP_LATE_BUCKETS - 1)
		return U64_MAX;	/* the last one takes every later round */
	k = 4 + (b - GOSSIP_LATE_EXACT) / (1 << GOSSIP_LATE_SUB_BITS);
	sub = (b - GOSSIP_LATE_EXACT) % (1 << GOSSIP_LATE_SUB_BITS);
	return ((u64)((1 << GOSSIP_LATE_SUB_BITS) + sub + 1) <<
		(k - GOSSIP_LATE_SUB_BITS)) - 1;
}

/*
 * Count a round that started @late_ns after it was due (early counts as
 * 0). One writer at a time: plain increments, published with WRITE_ONCE()
 * for the lockless readers.
 */
void gossip_late_add(struct gossip_late_hist *h, s64 late_ns)
{
	u64 us = late_ns > 0 ? div_u64(late_ns, NSEC_PER_USEC) : 0;
	u32 b = gossip_late_bucket(us);

	WRITE_ONCE(h->bucket[b], h->bucket[b] + 1);
	if (us > h->max_us)
		WRITE_ONCE(h->max_us, min_t(u64, us, U32_MAX));
}

void gossip_late_clear(struct gossip_late_hist *h)
{
	u32 b;

	for (b = 0; b < GOSSIP_LATE_BUCKETS; b++)
		WRITE_ONCE(h->bucket[b], 0);
	WRITE_ONCE(h->max_us, 0);
}

/*
 * The @pct percentile of the lateness in @h, in us: the upper bound of the
 * first bucket that holds it, never more than the maximum (so p50 <= p99
 * <= max). 0 before the first round. Read without a lock while the timer
 * may count a round: a bucket read before and another after it may be off
 * by that one round, which a gauge can afford.
 */
u64 gossip_late_percentile(const struct gossip_late_hist *h, u32 pct)
{
	u64 total = 0, want, seen = 0, max_us = READ_ONCE(h->max_us);
	u32 counts[GOSSIP_LATE_BUCKETS], b;

	for (b = 0; b < GOSSIP_LATE_BUCKETS; b++) {
		counts[b] = READ_ONCE(h->bucket[b]);
		total += counts[b];
	}
	if (!total)
		return 0;
	want = div_u64(total * pct + 99, 100);	/* ceil, at least 1 */
	for (b = 0; b < GOSSIP_LATE_BUCKETS; b++) {
		seen += counts[b];
		if (seen >= want)
			break;
	}
	return min(gossip_late_upper_us(min_t(u32, b, GOSSIP_LATE_BUCKETS - 1)),
		   max_us);
}

#ifdef __KERNEL__
#include <linux/debugfs.h>
#ifdef CONFIG_FAULT_INJECTION
#include <linux/fault-inject.h>
#endif
#include <linux/lockdep.h>
#include <linux/seq_file.h>

#include "gossip.h"

/*
 * Count a round of @gn that started @late_ns after it was due. Only the
 * round timer calls this, one callback at a time.
 */
void gossip_late_record(struct gossip_net *gn, s64 late_ns)
{
	gossip_late_add(&gn->late, late_ns);
}

/* At up, before the first round is queued: no writer runs. */
void gossip_late_reset(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	gossip_late_clear(&gn->late);
}

/* /sys/kernel/debug/gossip; an error pointer when debugfs is absent. */
static struct dentry *late_root;

/*
 * round_late_hist: one line per bucket that counted a round since the last
 * up: the largest lateness it counts in us ("inf" for the last) and its
 * count. The counts add up to the rounds run since up (the rounds counter,
 * if the instance went up once). Read without a lock, as the gauges.
 */
static int round_late_hist_show(struct seq_file *m, void *v)
{
	struct gossip_net *gn = m->private;
	u32 b, n;

	for (b = 0; b < GOSSIP_LATE_BUCKETS; b++) {
		n = READ_ONCE(gn->late.bucket[b]);
		if (!n)
			continue;
		if (b == GOSSIP_LATE_BUCKETS - 1)
			seq_printf(m, "inf %u\n", n);
		else
			seq_printf(m, "%llu %u\n", gossip_late_upper_us(b), n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(round_late_hist);

#ifdef CONFIG_FAULT_INJECTION
/*
 * /sys/kernel/debug/gossip/fail_alloc: the kernel's fault injection
 * (Documentation/fault-injection/fault-injection.rst) for the allocations
 * made in softirq context, the receive path and the timers: entries,
 * origins, replay windows, acks and datagrams. Each must fail without a
 * loss for good and be counted (rx_err_nomem, tx_errors): nomem.sh under
 * make check-debug's kernel. Off (probability 0) until set.
 */
static DECLARE_FAULT_ATTR(fail_alloc);

bool gossip_fail_alloc(void)
{
	return should_fail(&fail_alloc, 1);
}
#endif

/* At module load: the module's directory, if there is a debugfs. */
void gossip_late_debugfs_init(void)
{
	late_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail_alloc", late_root, &fail_alloc);
#endif
}

void gossip_late_debugfs_exit(void)
{
	debugfs_remove(late_root);
}

/*
 * The instance's directory and histogram. Nothing to undo when debugfs is
 * absent or refuses: the histogram is only not shown.
 */
void gossip_late_debugfs_add(struct gossip_net *gn)
{
	char name[16];

	gn->debugfs = NULL;
	if (IS_ERR_OR_NULL(late_root))
		return;
	snprintf(name, sizeof(name), "%u", gn->net->ns.inum);
	gn->debugfs = debugfs_create_dir(name, late_root);
	debugfs_create_file("round_late_hist", 0444, gn->debugfs, gn,
			    &round_late_hist_fops);
}

/* Removed before @gn is freed: debugfs waits for the readers in a show. */
void gossip_late_debugfs_del(struct gossip_net *gn)
{
	debugfs_remove(gn->debugfs);
	gn->debugfs = NULL;
}
#endif /* __KERNEL__ */
