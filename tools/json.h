/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gossipadm: a small JSON writer on stdout. Objects and arrays nest;
 * separators are written for the caller; a top-level value ends the line.
 */
#ifndef GOSSIPADM_JSON_H
#define GOSSIPADM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void json_begin(char open);		/* '{' or '[' */
void json_end(char close);		/* '}' or ']' */
void json_key(const char *key);		/* before each member of an object */
void json_u64(uint64_t v);
void json_string(const char *s);
void json_bytes(const void *buf, size_t len);
void json_bool(bool v);
void json_null(void);
void json_hex(const void *buf, size_t len);	/* "0aff..." */
bool json_is_text(const void *buf, size_t len);

extern bool json_pretty;		/* -p / --pretty */

#endif /* GOSSIPADM_JSON_H */
