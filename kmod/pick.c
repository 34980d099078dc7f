// SPDX-License-Identifier: GPL-2.0
/*
 * The peers a round or an eager forward sends to: distinct indexes of a
 * peer set, chosen uniformly at random with exactly as many draws as
 * peers chosen (Floyd's algorithm), so a round costs the same with 3 peers
 * or 1024. Only get_random_u32_below() comes from the kernel: selftests/unit
 * builds this file in userspace against a seeded shim of it.
 */
#include <linux/limits.h>
#include <linux/random.h>

#include "pick.h"

static bool picked(const u32 *idx, u32 n, u32 v)
{
	while (n--)
		if (idx[n] == v)
			return true;
	return false;
}

/*
 * Choose min(fanout, n) distinct indexes below @n uniformly at random
 * (Floyd's algorithm: exactly that many draws) and write them to @idx.
 */
u32 gossip_pick(u32 n, u32 fanout, u32 *idx)
{
	u32 k = 0, j, t;

	if (fanout >= n) {
		for (k = 0; k < n; k++)
			idx[k] = k;
		return n;
	}
	for (j = n - fanout; j < n; j++) {
		t = get_random_u32_below(j + 1);
		idx[k] = picked(idx, k, t) ? j : t;
		k++;
	}
	return k;
}

/*
 * Like gossip_pick(), leaving out index @skip (GOSSIP_PICK_NONE, or any
 * index not below @n, leaves out nothing but costs the same draws):
 * min(fanout, the other indexes) of them. @idx has room for fanout + 1.
 * Uniform over the others, in O(fanout): draw fanout + 1; if @skip is
 * among them drop it, else drop one at random.
 */
u32 gossip_pick_except(u32 n, u32 fanout, u32 *idx, u32 skip)
{
	u32 k, i;

	k = gossip_pick(n, fanout + 1, idx);
	for (i = 0; i < k; i++)
		if (idx[i] == skip)
			break;
	if (i == k) {
		if (k <= fanout)
			return k;
		i = get_random_u32_below(k);
	}
	idx[i] = idx[--k];
	return k;
}
