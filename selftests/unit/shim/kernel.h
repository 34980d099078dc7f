/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel APIs that the pure parts of kmod/replay.c, ratelimit.c,
 * pick.c and late.c use, for building them in userspace (selftests/unit).
 * Every header in linux/ here includes this file and nothing else of
 * the kernel: what a kmod file needs beyond it does not build here, which
 * is the point. get_random_u32_below() is the test's (seeded).
 */
#ifndef _GOSSIP_UNIT_KERNEL_H
#define _GOSSIP_UNIT_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#define BITS_PER_LONG	(8 * (int)sizeof(long))
#define NSEC_PER_USEC	1000L
#define NSEC_PER_SEC	1000000000L

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))

/* Each argument evaluated once, as the kernel's. */
#define min(a, b)	({ typeof(a) _a = (a); typeof(b) _b = (b); \
			   _a < _b ? _a : _b; })
#define min_t(t, a, b)	({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })

/* For the constant powers of two the kmod files take it of. */
#define ilog2(n)	(63 - __builtin_clzll(n))

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

static inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);
	volatile unsigned long *p = addr + nr / BITS_PER_LONG;
	bool old = *p & mask;

	*p |= mask;
	return old;
}

u32 get_random_u32_below(u32 ceil);

#endif
