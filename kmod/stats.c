// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU on the hot path, summed on read, shown both over netlink
 * and in /sys/class/gossip/gossip/stats/, a class tagged with the network
 * namespace like /sys/class/net, so each namespace sees its own instance.
 */
#include <linux/device.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "gossip.h"

const char *const gossip_stat_names[__GOSSIP_STATS_A_MAX] = {
	[GOSSIP_STATS_A_ROUNDS] = "rounds",
	[GOSSIP_STATS_A_TX_DGRAMS] = "tx_dgrams",
	[GOSSIP_STATS_A_TX_BYTES] = "tx_bytes",
	[GOSSIP_STATS_A_TX_ERRORS] = "tx_errors",
	[GOSSIP_STATS_A_RX_DGRAMS] = "rx_dgrams",
	[GOSSIP_STATS_A_RX_BYTES] = "rx_bytes",
	[GOSSIP_STATS_A_RUMORS_PUBLISHED] = "rumors_published",
	[GOSSIP_STATS_A_RUMORS_APPLIED] = "rumors_applied",
	[GOSSIP_STATS_A_RUMORS_DUPLICATE] = "rumors_duplicate",
	[GOSSIP_STATS_A_RX_ERR_SHORT] = "rx_err_short",
	[GOSSIP_STATS_A_RX_ERR_MAGIC] = "rx_err_magic",
	[GOSSIP_STATS_A_RX_ERR_VERSION] = "rx_err_version",
	[GOSSIP_STATS_A_RX_ERR_TYPE] = "rx_err_type",
	[GOSSIP_STATS_A_RX_ERR_LENGTH] = "rx_err_length",
	[GOSSIP_STATS_A_RX_ERR_ENTRY] = "rx_err_entry",
	[GOSSIP_STATS_A_RX_ERR_FULL] = "rx_err_full",
	[GOSSIP_STATS_A_RX_ERR_NOMEM] = "rx_err_nomem",
	[GOSSIP_STATS_A_PEERS] = "peers",
	[GOSSIP_STATS_A_ENTRIES] = "entries",
	[GOSSIP_STATS_A_TX_REQUESTS] = "tx_requests",
	[GOSSIP_STATS_A_RX_REQUESTS] = "rx_requests",
	[GOSSIP_STATS_A_TX_REPLIES] = "tx_replies",
	[GOSSIP_STATS_A_TOMBSTONES] = "tombstones",
	[GOSSIP_STATS_A_TOMBSTONES_COLLECTED] = "tombstones_collected",
	[GOSSIP_STATS_A_TX_LARGEST] = "tx_largest",
	[GOSSIP_STATS_A_RX_ERR_UNAUTH] = "rx_err_unauth",
	[GOSSIP_STATS_A_RX_ERR_AUTH] = "rx_err_auth",
	[GOSSIP_STATS_A_RX_ERR_REPLAY] = "rx_err_replay",
	[GOSSIP_STATS_A_RX_ERR_LABEL] = "rx_err_label",
	[GOSSIP_STATS_A_RX_ERR_RATELIMIT] = "rx_err_ratelimit",
	[GOSSIP_STATS_A_MEM_BYTES] = "mem_bytes",
	[GOSSIP_STATS_A_STORE_BYTES] = "store_bytes",
	[GOSSIP_STATS_A_TX_EAGER] = "tx_eager",
	[GOSSIP_STATS_A_ROUND_LATE_P50_US] = "round_late_p50_us",
	[GOSSIP_STATS_A_ROUND_LATE_P99_US] = "round_late_p99_us",
	[GOSSIP_STATS_A_ROUND_LATE_MAX_US] = "round_late_max_us",
	[GOSSIP_STATS_A_ROUND_NS] = "round_ns",
	[GOSSIP_STATS_A_RX_NS] = "rx_ns",
	[GOSSIP_STATS_A_RX_ERR_FUTURE] = "rx_err_future",
	[GOSSIP_STATS_A_RX_ERR_ORIGIN] = "rx_err_origin",
	[GOSSIP_STATS_A_RX_ERR_SIZE] = "rx_err_size",
	[GOSSIP_STATS_A_RX_REQ_STRANGER] = "rx_req_stranger",
	[GOSSIP_STATS_A_TX_REPLY_CUT] = "tx_reply_cut",
	[GOSSIP_STATS_A_REPLAY_EVICTED] = "replay_evicted",
	[GOSSIP_STATS_A_TOMBSTONES_EXPIRED] = "tombstones_expired",
	[GOSSIP_STATS_A_TX_SUMMARIES] = "tx_summaries",
	[GOSSIP_STATS_A_RX_SUM_MATCH] = "rx_sum_match",
	[GOSSIP_STATS_A_RX_SUM_DIFFER] = "rx_sum_differ",
	[GOSSIP_STATS_A_TX_IHAVE] = "tx_ihave",
	[GOSSIP_STATS_A_TX_IWANT] = "tx_iwant",
	[GOSSIP_STATS_A_TX_FETCHED] = "tx_fetched",
	[GOSSIP_STATS_A_TX_PAID] = "tx_paid",
	[GOSSIP_STATS_A_TX_PAID_BYTES] = "tx_paid_bytes",
	[GOSSIP_STATS_A_TX_IWANT_RETRY] = "tx_iwant_retry",
	[GOSSIP_STATS_A_LIFE_ACKS_LEFT] = "life_acks_left",
	[GOSSIP_STATS_A_RX_MARK_STRANGER] = "rx_mark_stranger",
	[GOSSIP_STATS_A_TX_TREE] = "tx_tree",
	[GOSSIP_STATS_A_TX_PRUNE] = "tx_prune",
	[GOSSIP_STATS_A_RX_PRUNE] = "rx_prune",
	[GOSSIP_STATS_A_TX_GRAFT] = "tx_graft",
	[GOSSIP_STATS_A_RX_TREE_AWAITED] = "rx_tree_awaited",
};

int gossip_stats_init(struct gossip_net *gn)
{
	int cpu;

	gn->stats = alloc_percpu(struct gossip_pcpu_stats);
	if (!gn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(gn->stats, cpu)->syncp);
	return 0;
}

void gossip_stats_free(struct gossip_net *gn)
{
	free_percpu(gn->stats);
}

/* Safe in any context: the CPU's own counters, interrupts excluded. */
void gossip_stat_add(struct gossip_net *gn, int idx, u64 val)
{
	struct gossip_pcpu_stats *s = get_cpu_ptr(gn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->cnt[idx], val);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(gn->stats);
}

/* Raise the CPU's own maximum @idx to @val. */
void gossip_stat_max(struct gossip_net *gn, int idx, u64 val)
{
	struct gossip_pcpu_stats *s = get_cpu_ptr(gn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	if (val > u64_stats_read(&s->cnt[idx]))
		u64_stats_set(&s->cnt[idx], val);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(gn->stats);
}

/*
 * What the instance has allocated: its pernet part, the counters, the store,
 * the peers and authentication, in slab bytes where we allocate by size.
 */
static u64 gossip_mem(struct gossip_net *gn)
{
	return sizeof(*gn) +
	       sizeof(struct gossip_pcpu_stats) * num_possible_cpus() +
	       gossip_store_mem(&gn->store) + gossip_peers_mem(gn) +
	       gossip_auth_mem(gn);
}

u64 gossip_stat_read(struct gossip_net *gn, int idx)
{
	unsigned int start;
	u64 sum = 0, v;
	int cpu;

	if (idx == GOSSIP_STATS_A_PEERS)
		return gossip_peer_count(gn);
	if (idx == GOSSIP_STATS_A_ENTRIES)
		return READ_ONCE(gn->store.count);
	if (idx == GOSSIP_STATS_A_TOMBSTONES)
		return READ_ONCE(gn->store.tombstone_count);
	if (idx == GOSSIP_STATS_A_STORE_BYTES)
		return READ_ONCE(gn->store.bytes);
	if (idx == GOSSIP_STATS_A_MEM_BYTES)
		return gossip_mem(gn);
	if (idx == GOSSIP_STATS_A_ROUND_LATE_P50_US)
		return gossip_late_percentile(&gn->late, 50);
	if (idx == GOSSIP_STATS_A_ROUND_LATE_P99_US)
		return gossip_late_percentile(&gn->late, 99);
	if (idx == GOSSIP_STATS_A_ROUND_LATE_MAX_US)
		return READ_ONCE(gn->late.max_us);
	if (idx == GOSSIP_STATS_A_LIFE_ACKS_LEFT)
		return gossip_store_life_acks_left(gn);

	for_each_possible_cpu(cpu) {
		const struct gossip_pcpu_stats *s = per_cpu_ptr(gn->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->cnt[idx]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		if (idx == GOSSIP_STATS_A_TX_LARGEST)
			sum = max(sum, v);	/* a maximum, not a sum */
		else
			sum += v;
	}
	return sum;
}

struct gossip_stat_attr {
	struct device_attribute attr;
	int idx;
};

static ssize_t stat_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct gossip_stat_attr *sa = container_of(attr, struct gossip_stat_attr,
						   attr);
	struct gossip_net *gn = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", gossip_stat_read(gn, sa->idx));
}

static struct gossip_stat_attr stat_attrs[__GOSSIP_STATS_A_MAX];
static struct attribute *stat_attr_list[__GOSSIP_STATS_A_MAX + 1];

static const struct attribute_group stats_group = {
	.name = "stats",
	.attrs = stat_attr_list,
};

static const struct attribute_group *gossip_groups[] = {
	&stats_group,
	NULL,
};

static const void *gossip_dev_namespace(struct device *dev)
{
	struct gossip_net *gn = dev_get_drvdata(dev);

	return gn->net;
}

static struct class gossip_class = {
	.name = "gossip",
	.owner = THIS_MODULE,
	.ns_type = &net_ns_type_operations,
	.namespace = gossip_dev_namespace,
};

int gossip_class_register(void)
{
	int i, n = 0;

	for (i = 0; i < __GOSSIP_STATS_A_MAX; i++) {
		struct gossip_stat_attr *sa = &stat_attrs[i];

		if (!gossip_stat_names[i])
			continue;
		sysfs_attr_init(&sa->attr.attr);
		sa->attr.attr.name = gossip_stat_names[i];
		sa->attr.attr.mode = 0444;
		sa->attr.show = stat_show;
		sa->idx = i;
		stat_attr_list[n++] = &sa->attr.attr;
	}
	return class_register(&gossip_class);
}

void gossip_class_unregister(void)
{
	class_unregister(&gossip_class);
}

int gossip_sysfs_add(struct gossip_net *gn)
{
	struct device *dev;

	dev = device_create_with_groups(&gossip_class, NULL, MKDEV(0, 0), gn,
					gossip_groups, "gossip");
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	gn->dev = dev;
	return 0;
}

void gossip_sysfs_del(struct gossip_net *gn)
{
	device_unregister(gn->dev);
	gn->dev = NULL;
}
