// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: JSON output.
 *
 * Strings are any bytes. Quotes and backslashes are escaped with a
 * backslash, control characters (and DEL) as \u00XX; well-formed UTF-8
 * passes through, and a byte that is not part of a well-formed UTF-8
 * sequence is written as \u00XX too, so the output is always valid JSON.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

#include "json.h"

#define JSON_DEPTH 8

static struct {
	bool first;	/* nothing written in this container yet */
	bool array;
} stack[JSON_DEPTH];
static int depth;

static void separate(void)
{
	if (!depth)
		return;
	if (!stack[depth - 1].first)
		putchar(',');
	stack[depth - 1].first = false;
}

void json_begin(char open)
{
	if (depth && stack[depth - 1].array)
		separate();
	putchar(open);
	if (depth < JSON_DEPTH) {
		stack[depth].first = true;
		stack[depth].array = open == '[';
	}
	depth++;
}

void json_end(char close)
{
	putchar(close);
	if (depth && !--depth)
		putchar('\n');
}

/* Length of the well-formed UTF-8 sequence at p, 0 if there is none. */
static size_t utf8_len(const unsigned char *p, size_t len)
{
	uint32_t cp, min;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_bytes(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i, n;

	putchar('"');
	for (i = 0; i < len; i += n) {
		n = utf8_len(p + i, len - i);
		if (p[i] == '"' || p[i] == '\\') {
			printf("\\%c", p[i]);
		} else if (!n || p[i] < 0x20 || p[i] == 0x7f) {
			printf("\\u%04x", p[i]);
			n = 1;
		} else {
			fwrite(p + i, 1, n, stdout);
		}
	}
	putchar('"');
}

void json_string(const char *s)
{
	json_bytes(s, strlen(s));
}

void json_key(const char *key)
{
	separate();
	json_string(key);
	putchar(':');
}

void json_u64(uint64_t v)
{
	printf("%" PRIu64, v);
}
