// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm stats: the instance's counters and gauges.
 *
 * A counter's name is its enum name without the prefix, in lower case
 * (GOSSIP_STATS_A_RX_ERR_MAGIC is rx_err_magic): the name of its file in
 * /sys/class/gossip/gossip/stats/. The table is built from the enum names
 * themselves, so the two cannot drift apart. A counter this table does not
 * know (a newer kernel's) is printed as attr_N.
 */
#include <ctype.h>
#include <errno.h>

#include <linux/gossip.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

#define STAT(name) [GOSSIP_STATS_A_##name] = #name

static const char *const stat_names[GOSSIP_STATS_A_MAX + 1] = {
	STAT(ROUNDS),
	STAT(TX_DGRAMS),
	STAT(TX_BYTES),
	STAT(TX_ERRORS),
	STAT(RX_DGRAMS),
	STAT(RX_BYTES),
	STAT(RUMORS_PUBLISHED),
	STAT(RUMORS_APPLIED),
	STAT(RUMORS_DUPLICATE),
	STAT(RX_ERR_SHORT),
	STAT(RX_ERR_MAGIC),
	STAT(RX_ERR_VERSION),
	STAT(RX_ERR_TYPE),
	STAT(RX_ERR_LENGTH),
	STAT(RX_ERR_ENTRY),
	STAT(RX_ERR_FULL),
	STAT(RX_ERR_NOMEM),
	STAT(PEERS),
	STAT(ENTRIES),
	STAT(TX_REQUESTS),
	STAT(RX_REQUESTS),
	STAT(TX_REPLIES),
	STAT(TOMBSTONES),
	STAT(TOMBSTONES_COLLECTED),
	STAT(TX_LARGEST),
	STAT(RX_ERR_UNAUTH),
	STAT(RX_ERR_AUTH),
	STAT(RX_ERR_REPLAY),
	STAT(RX_ERR_LABEL),
	STAT(RX_ERR_RATELIMIT),
	STAT(MEM_BYTES),
	STAT(STORE_BYTES),
	STAT(TX_EAGER),
	STAT(ROUND_LATE_P50_US),
	STAT(ROUND_LATE_P99_US),
	STAT(ROUND_LATE_MAX_US),
	STAT(ROUND_NS),
	STAT(RX_NS),
	STAT(RX_ERR_FUTURE),
	STAT(RX_ERR_ORIGIN),
	STAT(RX_ERR_SIZE),
	STAT(RX_REQ_STRANGER),
	STAT(TX_REPLY_CUT),
	STAT(REPLAY_EVICTED),
	STAT(TOMBSTONES_EXPIRED),
	STAT(TX_SUMMARIES),
	STAT(RX_SUM_MATCH),
	STAT(RX_SUM_DIFFER),
	STAT(TX_IHAVE),
	STAT(TX_IWANT),
	STAT(TX_FETCHED),
	STAT(TX_PAID),
	STAT(TX_PAID_BYTES),
	STAT(TX_IWANT_RETRY),
	STAT(LIFE_ACKS_LEFT),
	STAT(RX_MARK_STRANGER),
	STAT(TX_TREE),
	STAT(TX_PRUNE),
	STAT(RX_PRUNE),
	STAT(TX_GRAFT),
	STAT(RX_TREE_AWAITED),
};

static const char *stat_name(int type, struct record *r)
{
	char name[32];
	size_t i;

	if (type > GOSSIP_STATS_A_MAX || !stat_names[type]) {
		snprintf(name, sizeof(name), "attr_%d", type);
		return rec_strdup(r, name);
	}
	for (i = 0; stat_names[type][i] && i < sizeof(name) - 1; i++)
		name[i] = tolower((unsigned char)stat_names[type][i]);
	name[i] = '\0';
	return rec_strdup(r, name);
}

static int stats_parse(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct record *r = arg;
	struct nlattr *a;
	const char *name;
	int rem;

	(void)cmd;
	if (!tb[GOSSIP_A_STATS])
		return -EBADMSG;
	nla_for_each_nested(a, tb[GOSSIP_A_STATS], rem) {
		if (nla_type(a) == GOSSIP_STATS_A_PAD)
			continue;
		if (nla_len(a) != sizeof(uint64_t))
			return -EBADMSG;
		name = stat_name(nla_type(a), r);
		rec_u64(r, name, name, nla_get_u64(a));
	}
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	return cmd_pairs(argc, argv, GOSSIP_CMD_STATS_GET, stats_parse);
}
