/* SPDX-License-Identifier: GPL-2.0 */
/* A keyed stand-in for the AEAD (sim_crypto.c): see ../sim_kernel.h. */
#include "../sim_kernel.h"

#define CHACHA20POLY1305_KEY_SIZE	32
#define CHACHA20POLY1305_AUTHTAG_SIZE	16
#define XCHACHA20POLY1305_NONCE_SIZE	24

void xchacha20poly1305_encrypt(u8 *dst, const u8 *src, size_t src_len,
			       const u8 *ad, size_t ad_len,
			       const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
			       const u8 key[CHACHA20POLY1305_KEY_SIZE]);
bool xchacha20poly1305_decrypt(u8 *dst, const u8 *src, size_t src_len,
			       const u8 *ad, size_t ad_len,
			       const u8 nonce[XCHACHA20POLY1305_NONCE_SIZE],
			       const u8 key[CHACHA20POLY1305_KEY_SIZE]);
