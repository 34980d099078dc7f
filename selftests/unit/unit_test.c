// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithms of the module, built from the kmod files themselves
 * (kmod/replay.c, ratelimit.c, pick.c, late.c, rtt.h) against the shim
 * in shim/, each run through a table of cases: the replay window (RFC
 * 6479), the token bucket of rejected datagrams, the peer pick (Floyd),
 * the round-lateness histogram and the wait for an IWANT's answer (RFC
 * 6298). One KTAP result per table entry; a failing
 * entry says which step and what came out.
 *
 * The peer pick draws from a seeded generator: the run is the same every
 * time. GOSSIP_UNIT_SEED=N runs another; a failure prints the seed.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/late.h"
#include "../../kmod/pick.h"
#include "../../kmod/ratelimit.h"
#include "../../kmod/replay.h"
#include "../../kmod/rtt.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int test_num;
static bool all_ok = true;
static u64 seed = 0x676f73736970ULL;	/* "gossip" */
static u64 rng;

/* splitmix64: the random source of gossip_pick*() here. */
static u64 rng_next(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform below @ceil: Lemire's multiply, rejecting the biased few. */
u32 get_random_u32_below(u32 ceil)
{
	u64 m;

	if (!ceil)
		return 0;
	do {
		m = (u64)(u32)rng_next() * ceil;
	} while ((u32)m < (u32)-ceil % ceil);
	return m >> 32;
}

static char why[256];

/* Record why the case under way fails; the first reason is kept. */
static bool fail(const char *fmt, ...)
{
	va_list ap;

	if (!why[0]) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	return false;
}

static void result(bool ok, const char *group, const char *name)
{
	test_num++;
	if (!ok) {
		printf("# %s: %s: %s\n", group, name, why);
		all_ok = false;
	}
	printf("%sok %u %s: %s\n", ok ? "" : "not ", test_num, group, name);
	why[0] = 0;
}

/* ---- the replay window ------------------------------------------------ */

#define WIN	((u64)GOSSIP_REPLAY_BITS - BITS_PER_LONG)	/* below the top */
#define BIG	(U64_MAX - GOSSIP_REPLAY_BITS)	/* the first exhausted */

/* Counters @from to @to (either way, inclusive), each accepted or not. */
struct replay_step {
	enum { R_END, R_ACCEPT, R_REFUSE } want;
	u64 from, to;
};

#define A(from, to)	{ R_ACCEPT, from, to }
#define R(from, to)	{ R_REFUSE, from, to }

static const struct replay_case {
	const char *name;
	struct replay_step step[12];
} replay_cases[] = {
	{ "in order from 0", { A(0, 4095) } },
	{ "counter 0 once", { A(0, 0), R(0, 0) } },
	{ "each duplicate refused", {
		A(0, 0), A(1, 1), R(1, 1),
		A(9, 9), R(9, 9), R(0, 0),
		A(5, 5), R(5, 5), R(9, 9) } },
	{ "reordering within the window", {
		A(10, 10), A(9, 3), R(3, 10),
		A(0, 2), R(0, 10), A(11, 11) } },
	{ "reordering across 64-bit words", {
		A(64, 64), A(63, 63), A(62, 62),
		A(128, 128), A(126, 127), A(65, 125),
		A(191, 193), A(129, 190), R(62, 193),
		A(0, 61) } },
	{ "the whole window backwards", {
		A(WIN, 0), R(0, WIN) } },
	{ "the oldest in the window, and one older", {
		A(5000, 5000), A(5000 - WIN, 5000 - WIN),
		R(4999 - WIN, 4999 - WIN),
		R(5000 - WIN, 5000 - WIN),
		A(4999, 5001 - WIN) } },
	{ "sliding by one drops the oldest", {
		A(1, WIN + 1), R(0, 0), A(WIN + 2, WIN + 2),
		R(1, 1) } },
	{ "too old, out of the window", {
		A(3000, 3000), R(0, 2999 - WIN),
		A(2999, 3000 - WIN) } },
	{ "a jump larger than the window", {
		A(0, 1023), A(100000, 100000),
		R(0, 1023), R(99999 - WIN, 99999 - WIN),
		A(99999, 100000 - WIN), R(100000, 100000 - WIN) } },
	{ "a jump of exactly the ring", {
		A(0, 1023), A(2047, 2047),
		A(2046, 2047 - WIN), R(1023, 1023) } },
	{ "a jump of one word less than the ring", {
		A(0, 1023), A(1023 + 960, 1023 + 960),
		A(1023 + 959, 1024), R(1023, 1023), R(1022, 1022) } },
	{ "a jump of one word", {
		A(0, 127), A(191, 191), A(190, 128),
		R(0, 191) } },
	{ "the window after a big jump", {
		A(7, 7), A(1ULL << 40, 1ULL << 40),
		R(7, 7), A((1ULL << 40) - WIN, (1ULL << 40) - 1),
		R((1ULL << 40) - WIN - 1, (1ULL << 40) - WIN - 1),
		R(1ULL << 40, 1ULL << 40) } },
	{ "near 2^64 - 1", {
		R(U64_MAX, U64_MAX), R(U64_MAX - 1, U64_MAX - 1),
		R(BIG, BIG), A(BIG - 1, BIG - 1),
		R(BIG - 1, BIG - 1), R(BIG, U64_MAX - 64),
		A(BIG - 2, BIG - 1 - WIN),
		R(BIG - 2 - WIN, BIG - 2 - WIN), R(0, 0) } },
	{ "from 0 straight to near 2^64 - 1", {
		A(0, 0), A(BIG - 1, BIG - 1), R(0, 0),
		R(1, 1), A(BIG - 1 - WIN, BIG - 2) } },
};

/* What gossip_replay_check() asks, without the senders' table. */
static bool replay_accept(struct gossip_replay *r, u64 counter)
{
	return !gossip_replay_exhausted(counter) &&
	       gossip_replay_window(r, counter);
}

static bool replay_run(const struct replay_case *c)
{
	struct gossip_replay r;
	const struct replay_step *s;
	unsigned int i;
	bool ok;
	u64 n;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < ARRAY_LEN(c->step) && c->step[i].want; i++) {
		s = &c->step[i];
		ok = s->want == R_ACCEPT;
		for (n = s->from;; n += s->from <= s->to ? 1 : -1) {
			if (replay_accept(&r, n) != ok)
				return fail("step %u: counter %" PRIu64
					    " %s, want %s", i + 1, n,
					    ok ? "refused" : "accepted",
					    ok ? "accepted" : "refused");
			if (n == s->to)
				break;
		}
	}
	return true;
}

/* ---- the token bucket ------------------------------------------------- */

#define SEC	((u64)NSEC_PER_SEC)
#define MS	(SEC / 1000)

enum rl_op {
	RL_END,
	RL_OFFER,	/* n rejected datagrams at t: arg of them get through */
	RL_EMPTY,	/* at t, limited: arg (0 or 1) */
	RL_CREDIT,	/* at t, credit: arg ns */
};

struct rl_step {
	enum rl_op op;
	u64 t;
	u64 n;
	u64 arg;
};

static const struct rl_case {
	const char *name;
	u32 rate;
	struct rl_step step[10];
} rl_cases[] = {
	{ "a burst of twice the rate", 10, {
		{ RL_CREDIT, 10 * SEC, 0, 2 * SEC },
		{ RL_OFFER, 10 * SEC, 25, 20 },
		{ RL_EMPTY, 10 * SEC, 0, 1 },
		{ RL_CREDIT, 10 * SEC, 0, 0 } } },
	{ "refill over time", 10, {
		{ RL_OFFER, 10 * SEC, 20, 20 },
		{ RL_EMPTY, 10 * SEC + 99 * MS, 0, 1 },
		{ RL_EMPTY, 10 * SEC + 100 * MS, 0, 0 },
		{ RL_OFFER, 10 * SEC + 100 * MS, 2, 1 },
		{ RL_OFFER, 11 * SEC + 100 * MS, 12, 10 },
		{ RL_CREDIT, 20 * SEC, 0, 2 * SEC } } },
	{ "a datagram costs 1 s / rate", 3, {
		{ RL_OFFER, 5 * SEC, 7, 6 },
		{ RL_CREDIT, 5 * SEC, 0, 2 * SEC - 6 * (SEC / 3) } } },
	{ "rate 0 limits nothing", 0, {
		{ RL_EMPTY, 0, 0, 0 }, { RL_CREDIT, 0, 0, 0 },
		{ RL_EMPTY, U64_MAX, 0, 0 } } },
	{ "the clock going backwards", 10, {
		{ RL_OFFER, 10 * SEC, 20, 20 },
		{ RL_EMPTY, 5 * SEC, 0, 1 }, { RL_CREDIT, 5 * SEC, 0, 0 },
		{ RL_CREDIT, 0, 0, 0 },
		{ RL_CREDIT, 10 * SEC + 50 * MS, 0, 50 * MS } } },
	{ "a huge gap does not overflow", 1, {
		{ RL_OFFER, 2 * SEC, 3, 2 },
		{ RL_CREDIT, U64_MAX, 0, 2 * SEC },
		{ RL_OFFER, U64_MAX, 3, 2 },
		{ RL_CREDIT, U64_MAX, 0, 0 } } },
	{ "the clock back, then a huge gap", 10, {
		{ RL_OFFER, 10 * SEC, 1, 1 },
		{ RL_OFFER, 1, 1, 1 },
		{ RL_CREDIT, 1, 0, 2 * SEC - 2 * (SEC / 10) },
		{ RL_CREDIT, U64_MAX, 0, 2 * SEC } } },
	{ "credit never above the burst", 1, {
		{ RL_CREDIT, U64_MAX / 2, 0, 2 * SEC },
		{ RL_OFFER, U64_MAX / 2, 1, 1 },
		{ RL_CREDIT, U64_MAX / 2 + 10 * SEC, 0, 2 * SEC },
		{ RL_CREDIT, U64_MAX - 1, 0, 2 * SEC } } },
};

static bool rl_run(const struct rl_case *c)
{
	struct gossip_rl_slot slot = { 0 };
	const struct rl_step *s;
	unsigned int i;
	u64 k, through, v;

	for (i = 0; i < ARRAY_LEN(c->step); i++) {
		s = &c->step[i];
		switch (s->op) {
		case RL_END:
			return true;
		case RL_OFFER:	/* as protocol.c: limited, or read and charged */
			for (k = through = 0; k < s->n; k++) {
				if (gossip_rl_empty(&slot, c->rate, s->t))
					continue;
				through++;
				if (c->rate)
					gossip_rl_spend(&slot, c->rate, s->t);
			}
			if (through != s->arg)
				return fail("step %u: %" PRIu64 " of %" PRIu64
					    " through, want %" PRIu64, i + 1,
					    through, s->n, s->arg);
			break;
		case RL_EMPTY:
		case RL_CREDIT:
			v = s->op == RL_EMPTY ?
			    gossip_rl_empty(&slot, c->rate, s->t) :
			    gossip_rl_credit(&slot, s->t);
			if (v != s->arg)
				return fail("step %u: %s %" PRIu64 ", want %"
					    PRIu64, i + 1, s->op == RL_EMPTY ?
					    "limited" : "credit (ns)", v,
					    s->arg);
			break;
		}
	}
	return true;
}

/* ---- the peer pick ---------------------------------------------------- */

#define NO_EXCEPT	(U32_MAX - 1)	/* gossip_pick(), not _except() */
#define PICK_MAX	1024

static const struct pick_case {
	const char *name;
	u32 n, fanout, skip;
	u32 trials;
} pick_cases[] = {
	{ "n 0", 0, 3, NO_EXCEPT, 100 },
	{ "n 1, fanout 1", 1, 1, NO_EXCEPT, 100 },
	{ "n 1, fanout 3", 1, 3, NO_EXCEPT, 100 },
	{ "fanout 0", 8, 0, NO_EXCEPT, 100 },
	{ "fanout < n (3 of 5)", 5, 3, NO_EXCEPT, 20000 },
	{ "fanout = n (5 of 5)", 5, 5, NO_EXCEPT, 100 },
	{ "fanout > n (8 of 5)", 5, 8, NO_EXCEPT, 100 },
	{ "1 of 7", 7, 1, NO_EXCEPT, 20000 },
	{ "6 of 7", 7, 6, NO_EXCEPT, 20000 },
	{ "3 of 16", 16, 3, NO_EXCEPT, 50000 },
	{ "3 of 1024", 1024, 3, NO_EXCEPT, 200000 },
	{ "except: n 0", 0, 3, GOSSIP_PICK_NONE, 100 },
	{ "except: n 1, the one left out", 1, 3, 0, 100 },
	{ "except: n 2, fanout 1", 2, 1, 1, 100 },
	{ "except: 3 of 5 but 2", 5, 3, 2, 20000 },
	{ "except: 4 of 5 but 0 (all others)", 5, 4, 0, 100 },
	{ "except: 2 of 5 but 4", 5, 2, 4, 20000 },
	{ "except: 3 of 6, none left out", 6, 3, GOSSIP_PICK_NONE, 20000 },
	{ "except: 5 of 5, none left out", 5, 5, GOSSIP_PICK_NONE, 100 },
	{ "except: 3 of 16 but 15", 16, 3, 15, 50000 },
};

/*
 * Chi-square of the counts @obs of the cells @cell says may be hit, against
 * @expect each: it must stay below df + 6 sqrt(2 df), df = cells - 1, six
 * standard deviations above its mean (a uniform pick exceeds it with p
 * about 0.002 at df 1, 1e-3 at df 2, less as df grows). The seed is fixed:
 * every run draws the same picks.
 */
static bool chi_ok(const u32 *obs, const bool *cell, u32 len, double expect,
		   const char *what)
{
	double chi = 0, d, bound;
	u32 i, cells = 0;

	for (i = 0; i < len; i++) {
		if (!cell[i]) {
			if (obs[i])
				return fail("%s: %u never expected, seen %u",
					    what, i, obs[i]);
			continue;
		}
		cells++;
		d = obs[i] - expect;
		chi += d * d / expect;
	}
	if (cells < 2)
		return true;
	bound = cells - 1 + 6 * sqrt(2.0 * (cells - 1));
	if (chi > bound)
		return fail("chi-square of %s %.1f over %u cells > %.1f", what,
			    chi, cells, bound);
	return true;
}

static bool pick_run(const struct pick_case *c)
{
	static u32 per_idx[PICK_MAX], per_set[1 << 8];
	static bool idx_cell[PICK_MAX], set_cell[1 << 8];
	bool except = c->skip != NO_EXCEPT, seen[PICK_MAX];
	u32 idx[PICK_MAX + 1], others, want, t, i, k, mask;

	others = c->n - (except && c->skip < c->n);
	want = c->fanout < others ? c->fanout : others;
	memset(per_idx, 0, sizeof(per_idx));
	memset(per_set, 0, sizeof(per_set));
	for (t = 0; t < c->trials; t++) {
		for (i = 0; i < c->fanout + 1 && i <= PICK_MAX; i++)
			idx[i] = U32_MAX - 7;	/* poison */
		k = except ? gossip_pick_except(c->n, c->fanout, idx, c->skip) :
			     gossip_pick(c->n, c->fanout, idx);
		if (k != want)
			return fail("trial %u: %u picked, want %u", t, k, want);
		memset(seen, 0, sizeof(seen));
		mask = 0;
		for (i = 0; i < k; i++) {
			if (idx[i] >= c->n)
				return fail("trial %u: index %u of %u", t,
					    idx[i], c->n);
			if (except && idx[i] == c->skip)
				return fail("trial %u: picked %u, the one left out",
					    t, idx[i]);
			if (seen[idx[i]])
				return fail("trial %u: %u twice", t, idx[i]);
			seen[idx[i]] = true;
			per_idx[idx[i]]++;
			if (c->n <= 8)
				mask |= 1U << idx[i];
		}
		per_set[mask]++;
	}
	if (!want)
		return true;
	/* Each index that may be picked, equally often. */
	for (i = 0; i < PICK_MAX; i++)
		idx_cell[i] = i < c->n && !(except && i == c->skip);
	if (!chi_ok(per_idx, idx_cell, PICK_MAX,
		    (double)c->trials * want / others, "indexes"))
		return false;
	if (c->n > 8)
		return true;
	/* Small sets: each subset of the size picked, equally often. */
	for (mask = 0, k = 0; mask < (1U << 8); mask++) {
		set_cell[mask] = mask < (1U << c->n) &&
				 (u32)__builtin_popcount(mask) == want &&
				 !(except && c->skip < c->n &&
				   (mask >> c->skip & 1));
		k += set_cell[mask];
	}
	return chi_ok(per_set, set_cell, 1 << 8, (double)c->trials / k,
		      "subsets");
}

/* ---- the round-lateness histogram ------------------------------------- */

#define LAST	(GOSSIP_LATE_BUCKETS - 1)

/* A lateness in us, its bucket and that bucket's largest lateness. */
static const struct late_edge {
	u64 us;
	u32 bucket;
	u64 upper;
} late_edges[] = {
	{ 0, 0, 0 },
	{ 1, 1, 1 },
	{ 15, 15, 15 },
	{ 16, 16, 17 },
	{ 17, 16, 17 },
	{ 18, 17, 19 },
	{ 31, 23, 31 },
	{ 32, 24, 35 },
	{ 36, 25, 39 },
	{ 63, 31, 63 },
	{ 64, 32, 71 },
	{ 1000, 63, 1023 },
	{ (15ULL << 19) - 1, LAST - 1, (15ULL << 19) - 1 },
	{ 15ULL << 19, LAST, U64_MAX },
	{ (1ULL << 23) - 1, LAST, U64_MAX },
	{ 1ULL << 23, LAST, U64_MAX },
	{ U64_MAX, LAST, U64_MAX },
};

static bool late_edge_run(const struct late_edge *e)
{
	u32 b = gossip_late_bucket(e->us);
	u64 up = gossip_late_upper_us(b);

	if (b != e->bucket)
		return fail("bucket %u, want %u", b, e->bucket);
	if (up != e->upper)
		return fail("upper bound %" PRIu64 ", want %" PRIu64, up,
			    e->upper);
	if (b && gossip_late_upper_us(b - 1) >= e->us)
		return fail("bucket %u below ends at %" PRIu64, b - 1,
			    gossip_late_upper_us(b - 1));
	return true;
}

/* Every us up to 2^24 in the bucket whose bounds hold it, 12.5 % wide. */
static bool late_sweep_run(void)
{
	u64 us, lo = 0;
	u32 b, prev = 0;

	for (us = 0; us < 1ULL << 24; us++) {
		b = gossip_late_bucket(us);
		if (b != prev && b != prev + 1)
			return fail("%" PRIu64 " us: bucket %u after %u", us,
				    b, prev);
		if (b != prev)
			lo = us;
		if (gossip_late_upper_us(b) < us)
			return fail("%" PRIu64 " us above bucket %u", us, b);
		if (b != LAST && us >= 16 && (us - lo) * 8 > lo)
			return fail("bucket %u from %" PRIu64 " to %" PRIu64
				    ": over 12.5 %%", b, lo, us);
		prev = b;
	}
	return prev == LAST || fail("the last bucket is %u, not %u", prev,
				    (u32)LAST);
}

/* @count rounds @late_ns late each. */
struct late_add {
	s64 late_ns;
	u32 count;
};

static const struct late_case {
	const char *name;
	u32 ramp_us;		/* first rounds 1, 2, .. ramp_us us late */
	struct late_add add[4];
	u64 p50, p99, max;
} late_cases[] = {
	{ "empty histogram", 0, { { 0 } }, 0, 0, 0 },
	{ "one round on time", 0, { { 0, 1 } }, 0, 0, 0 },
	{ "an early round counts as on time", 0, { { -5000, 3 } }, 0, 0, 0 },
	{ "ns round down to us", 0, { { 1999, 1 } }, 1, 1, 1 },
	{ "exact below 16 us", 0, { { 3000, 50 }, { 12000, 50 } }, 3, 12, 12 },
	{ "1..100 us once each", 100, { { 0 } }, 51, 100, 100 },
	{ "99 at 10 us and 1 at 1 s", 0, { { 10000, 99 }, { SEC, 1 } },
	  10, 10, 1000000 },
	{ "98 at 10 us and 2 at 1 s", 0, { { 10000, 98 }, { SEC, 2 } },
	  10, 1000000, 1000000 },
	{ "10 s late: the last bucket", 0, { { 10 * SEC, 1 } },
	  10000000, 10000000, 10000000 },
	{ "the maximum saturates at 2^32 - 1 us", 0, { { 5000 * SEC, 2 } },
	  U32_MAX, U32_MAX, U32_MAX },
};

static bool late_run(const struct late_case *c)
{
	struct gossip_late_hist h;
	unsigned int i;
	u64 p50, p99;
	u32 j;

	memset(&h, 0x55, sizeof(h));
	gossip_late_clear(&h);
	for (j = 1; j <= c->ramp_us; j++)
		gossip_late_add(&h, j * 1000);
	for (i = 0; i < 4 && c->add[i].count; i++)
		for (j = 0; j < c->add[i].count; j++)
			gossip_late_add(&h, c->add[i].late_ns);
	p50 = gossip_late_percentile(&h, 50);
	p99 = gossip_late_percentile(&h, 99);
	if (p50 != c->p50 || p99 != c->p99 || h.max_us != c->max)
		return fail("p50 %" PRIu64 " p99 %" PRIu64 " max %u, want %"
			    PRIu64 " %" PRIu64 " %" PRIu64, p50, p99, h.max_us,
			    c->p50, c->p99, c->max);
	gossip_late_clear(&h);
	if (gossip_late_percentile(&h, 99) || h.max_us)
		return fail("not empty after clear");
	return true;
}

/* ---- the wait for an IWANT's answer ----------------------------------- */

/* @count answers that took @took_ns each. */
struct rtt_answers {
	u64 took_ns;
	u32 count;
};

/*
 * The answers of @body, @reps times, then those of @tail: the wait is then
 * @want_ns, for an interval of 100 ms (12.5 ms before any answer, 50 ms at
 * most). The wait's rule before (twice the average) gave 10.78 ms in "one
 * answer in four": each late answer was asked for again.
 */
static const struct rtt_case {
	const char *name;
	u32 reps;
	struct rtt_answers body[2];
	struct rtt_answers tail;
	u64 want_ns;
	bool tree;	/* gossip_rtt_spread(), interval 100 ms */
} rtt_cases[] = {
	{ "before any answer: an eighth of the interval", 0, { { 0 } },
	  { 0 }, 12500000 , false },
	{ "one answer of 4 ms: 4 + 4 x 2 ms", 1, { { 4 * MS, 1 } },
	  { 0 }, 12 * MS , false },
	{ "50 answers of 2 ms: twice the average", 1, { { 2 * MS, 50 } },
	  { 0 }, 4 * MS , false },
	{ "one answer in four 20 ms late: the next late one is waited for",
	  5, { { 2 * MS, 3 }, { 20 * MS, 1 } }, { 2 * MS, 3 }, 28791338 , false },
	{ "then 100 answers of 2 ms: twice the average again",
	  5, { { 2 * MS, 3 }, { 20 * MS, 1 } }, { 2 * MS, 103 }, 4000018 , false },
	{ "answers of 80 ms: half the interval at most", 1,
	  { { 80 * MS, 3 } }, { 0 }, 50 * MS , false },
	{ "answers of 10 us: 1 ms at least", 1, { { 10000, 5 } },
	  { 0 }, MS , false },
	{ "tree: before any push came late: ask at once", 0, { { 0 } },
	  { 0 }, 0, true },
	{ "tree: one push 4 ms late: 4 + 2 x 2 ms", 1, { { 4 * MS, 1 } },
	  { 0 }, 8 * MS, true },
	{ "tree: one push in four 8 ms late, the others 1 ms: it is waited for",
	  5, { { 1 * MS, 3 }, { 8 * MS, 1 } }, { 0 }, 9125962, true },
	{ "tree: pushes 30 ms late: a tenth of the interval at most", 1,
	  { { 30 * MS, 3 } }, { 0 }, 10 * MS, true },
};

static bool rtt_run(const struct rtt_case *c)
{
	struct gossip_rtt r = { 0 };
	unsigned int i;
	u64 wait;
	u32 k, j;

	for (k = 0; k < c->reps; k++)
		for (i = 0; i < 2; i++)
			for (j = 0; j < c->body[i].count; j++)
				gossip_rtt_add(&r, c->body[i].took_ns);
	for (j = 0; j < c->tail.count; j++)
		gossip_rtt_add(&r, c->tail.took_ns);
	wait = c->tree ? gossip_rtt_spread(&r, 100 * MS / 10) :
			 gossip_rtt_wait(&r, 100 * MS / 8, 100 * MS / 2);
	if (wait != c->want_ns)
		return fail("wait %" PRIu64 " ns (average %" PRIu64
			    ", deviation %" PRIu64 "), want %" PRIu64,
			    wait, r.avg_ns, r.dev_ns, c->want_ns);
	return true;
}

int main(void)
{
	const char *env = getenv("GOSSIP_UNIT_SEED");
	char name[64];
	size_t i;

	if (env)
		seed = strtoull(env, NULL, 0);
	rng = seed;
	printf("TAP version 13\n");
	printf("1..%zu\n", ARRAY_LEN(replay_cases) + ARRAY_LEN(rl_cases) +
	       ARRAY_LEN(pick_cases) + ARRAY_LEN(late_edges) + 1 +
	       ARRAY_LEN(late_cases) + ARRAY_LEN(rtt_cases));
	printf("# seed %#" PRIx64 "\n", seed);
	for (i = 0; i < ARRAY_LEN(replay_cases); i++)
		result(replay_run(&replay_cases[i]), "replay",
		       replay_cases[i].name);
	for (i = 0; i < ARRAY_LEN(rl_cases); i++)
		result(rl_run(&rl_cases[i]), "ratelimit", rl_cases[i].name);
	for (i = 0; i < ARRAY_LEN(pick_cases); i++)
		result(pick_run(&pick_cases[i]), "pick", pick_cases[i].name);
	for (i = 0; i < ARRAY_LEN(late_edges); i++) {
		snprintf(name, sizeof(name), "bucket of %" PRIu64 " us",
			 late_edges[i].us);
		result(late_edge_run(&late_edges[i]), "late", name);
	}
	result(late_sweep_run(), "late", "every us to 2^24 in its bucket");
	for (i = 0; i < ARRAY_LEN(late_cases); i++)
		result(late_run(&late_cases[i]), "late", late_cases[i].name);
	for (i = 0; i < ARRAY_LEN(rtt_cases); i++)
		result(rtt_run(&rtt_cases[i]), "rtt", rtt_cases[i].name);
	if (!all_ok)
		printf("# failed with GOSSIP_UNIT_SEED=%#" PRIx64 "\n", seed);
	return all_ok ? 0 : 1;
}
