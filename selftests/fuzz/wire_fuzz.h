/* SPDX-License-Identifier: GPL-2.0 */
/* The wire codec fuzz target (wire_fuzz.c), shared with the plain driver. */
#ifndef _GOSSIP_WIRE_FUZZ_H
#define _GOSSIP_WIRE_FUZZ_H

#include "wire_compat.h"
#include "../../kmod/wire.h"

/* Each abort()s, with a message, on a broken invariant. */
enum gossip_wire_err check_decoder(const u8 *buf, size_t len);
void check_encoder(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#endif
