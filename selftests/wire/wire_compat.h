/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel types kmod/wire.c uses, for building it in userspace. */
#ifndef _GOSSIP_WIRE_COMPAT_H
#define _GOSSIP_WIRE_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif
