// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: JSON output.
 *
 * Strings are any bytes. Quotes and backslashes are escaped with a
 * backslash, control characters (and DEL) as \u00XX; well-formed UTF-8
 * passes through, and a byte that is not part of a well-formed UTF-8
 * sequence is written as \u00XX too, so the output is always valid JSON.
 * Bytes that are not text (see json_is_text()) go out as hex instead, in
 * a member of their own (value_hex), so that nothing is lost.
 *
 * With -p (json_pretty) every member and element is on a line of its own,
 * indented by 4 spaces a level, as iproute2's -j -p.
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
bool json_pretty;

static void indent(int level)
{
	putchar('\n');
	printf("%*s", 4 * level, "");
}

static void separate(void)
{
	if (!depth)
		return;
	if (!stack[depth - 1].first)
		putchar(',');
	stack[depth - 1].first = false;
	if (json_pretty)
		indent(depth);
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
	if (json_pretty && depth && depth <= JSON_DEPTH &&
	    !stack[depth - 1].first)
		indent(depth - 1);
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
	fputs(json_pretty ? ": " : ":", stdout);
}

void json_bool(bool v)
{
	fputs(v ? "true" : "false", stdout);
}

void json_null(void)
{
	fputs("null", stdout);
}

/* Well-formed UTF-8 without C0 controls or DEL: a JSON string as it is. */
bool json_is_text(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = utf8_len(p + i, len - i);
		if (!n || p[i] < 0x20 || p[i] == 0x7f)
			return false;
	}
	return true;
}

void json_hex(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('"');
}

void json_u64(uint64_t v)
{
	printf("%" PRIu64, v);
}
