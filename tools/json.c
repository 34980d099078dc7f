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

#include "gossipadm.h"
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
