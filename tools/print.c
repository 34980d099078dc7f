// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: records and their text and JSON forms.
 *
 * In text, bytes that would upset a terminal or a column (control
 * characters, DEL, C1 controls, bytes that are not well-formed UTF-8) are
 * written \xNN, a backslash \\, and an empty value "".
 * `get` prints its value raw instead (see entry.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gossipadm.h"
#include "json.h"
#include "print.h"

void rec_init(struct record *r)
{
	r->n = 0;
	r->used = 0;
}

static struct kv *rec_add(struct record *r, const char *text,
			  const char *json)
{
	struct kv *kv;

	if (r->n == REC_MAX)
		return NULL;
	kv = &r->kv[r->n++];
	memset(kv, 0, sizeof(*kv));
	kv->text = text;
	kv->json = json;
	return kv;
}

void rec_u64(struct record *r, const char *text, const char *json,
	     uint64_t v)
{
	struct kv *kv = rec_add(r, text, json);

	if (!kv)
		return;
	kv->num = true;
	kv->u64 = v;
}

void rec_bytes(struct record *r, const char *text, const char *json,
	       const void *buf, size_t len)
{
	struct kv *kv = rec_add(r, text, json);

	if (!kv)
		return;
	kv->num = false;
	kv->buf = buf;
	kv->len = len;
}

const char *rec_strdup(struct record *r, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p;

	if (len > sizeof(r->pool) - r->used)
		return "?";
	p = memcpy(r->pool + r->used, s, len);
	r->used += len;
	return p;
}

void rec_bytes_copy(struct record *r, const char *text, const char *json,
		    const void *buf, size_t len)
{
	char *p;

	if (len > sizeof(r->pool) - r->used) {
		rec_bytes(r, text, json, "?", 1);
		return;
	}
	p = r->pool + r->used;
	if (len)
		memcpy(p, buf, len);
	r->used += len;
	rec_bytes(r, text, json, p, len);
}

void rec_str(struct record *r, const char *text, const char *json,
	     const char *s)
{
	s = rec_strdup(r, s);
	rec_bytes(r, text, json, s, strlen(s));
}

void rec_bool(struct record *r, const char *text, const char *json, bool v,
	      const char *text_value)
{
	rec_str(r, text, json, text_value);
	if (r->n && r->kv[r->n - 1].json == json) {
		r->kv[r->n - 1].boolean = true;
		r->kv[r->n - 1].u64 = v;
	}
}

void rec_null(struct record *r, const char *text, const char *json,
	      const char *text_value)
{
	rec_str(r, text, json, text_value);
	if (r->n && r->kv[r->n - 1].json == json)
		r->kv[r->n - 1].null = true;
}

void rec_hex(struct record *r, const char *json_hex)
{
	if (r->n && !r->kv[r->n - 1].num)
		r->kv[r->n - 1].json_hex = json_hex;
}

/*
 * Characters written as they are in text: printable ASCII but the
 * backslash, and well-formed UTF-8 beyond ASCII but the C1 controls.
 */
static size_t text_char_len(const unsigned char *p, size_t len)
{
	size_t n = utf8_len(p, len);

	if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f || p[0] == '\\'))
		return 0;
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	return n;
}

/* Write a text value to f unless f is NULL; return its width in columns. */
static size_t put_text_bytes(const unsigned char *p, size_t len, FILE *f)
{
	size_t i, n, width = 0;
	char esc[8];

	for (i = 0; i < len; i += n) {
		n = text_char_len(p + i, len - i);
		if (n) {
			if (f)
				fwrite(p + i, 1, n, f);
			width++;
			continue;
		}
		n = 1;
		if (p[i] == '\\')
			snprintf(esc, sizeof(esc), "\\\\");
		else
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
		if (f)
			fputs(esc, f);
		width += strlen(esc);
	}
	return width;
}

static size_t put_text(const struct kv *kv, FILE *f)
{
	char num[24];

	if (kv->num) {
		snprintf(num, sizeof(num), "%" PRIu64, kv->u64);
		return put_text_bytes((unsigned char *)num, strlen(num), f);
	}
	if (!kv->len)
		return put_text_bytes((unsigned char *)"\"\"", 2, f);
	return put_text_bytes(kv->buf, kv->len, f);
}

static void json_record(const struct record *r, const char *event)
{
	const struct kv *kv;

	json_begin('{');
	if (event) {
		json_key("event");
		json_string(event);
	}
	for (kv = r->kv; kv < r->kv + r->n; kv++) {
		if (!kv->json)
			continue;
		if (kv->json_hex && !json_is_text(kv->buf, kv->len)) {
			json_key(kv->json_hex);
			json_hex(kv->buf, kv->len);
			continue;
		}
		json_key(kv->json);
		if (kv->num)
			json_u64(kv->u64);
		else if (kv->null)
			json_null();
		else if (kv->boolean)
			json_bool(kv->u64);
		else
			json_bytes(kv->buf, kv->len);
	}
	json_end('}');
}

void print_pairs(const struct record *r)
{
	const struct kv *kv;
	int width = 0;

	if (json_output) {
		json_record(r, NULL);
		return;
	}
	for (kv = r->kv; kv < r->kv + r->n; kv++)
		if (kv->text && (int)strlen(kv->text) > width)
			width = strlen(kv->text);
	for (kv = r->kv; kv < r->kv + r->n; kv++) {
		if (!kv->text)
			continue;
		printf("%-*s ", width, kv->text);
		put_text(kv, stdout);
		putchar('\n');
	}
}

void print_event(const struct record *r, const char *event)
{
	const struct kv *kv;

	if (json_output) {
		json_record(r, event);
		return;
	}
	fputs(event, stdout);
	for (kv = r->kv; kv < r->kv + r->n; kv++) {
		if (!kv->text)
			continue;
		if (*kv->text)
			printf(" %s", kv->text);
		putchar(' ');
		put_text(kv, stdout);
	}
	putchar('\n');
}

/* The record of item i of an array of n items of size bytes. */
static const struct record *item(const void *items, size_t i, size_t size,
				 fill_fn fill)
{
	static struct record r;

	rec_init(&r);
	fill(&r, (const char *)items + i * size);
	return &r;
}

/* Print the row's text values, each but the last padded to its column. */
static void text_row(const struct record *r, const size_t *width)
{
	unsigned int i, col = 0, last = 0;
	size_t w;

	for (i = 0; i < r->n; i++)
		if (r->kv[i].text)
			last = i;
	for (i = 0; i < r->n; i++) {
		if (!r->kv[i].text)
			continue;
		w = put_text(&r->kv[i], stdout);
		if (i != last)
			printf("%*s", (int)(width[col] - w + 1), "");
		col++;
	}
	putchar('\n');
}

/* Widen each column to the widest value in it. */
static void measure(const struct record *r, size_t *width)
{
	unsigned int i, col = 0;
	size_t w;

	for (i = 0; i < r->n; i++) {
		if (!r->kv[i].text)
			continue;
		w = put_text(&r->kv[i], NULL);
		if (w > width[col])
			width[col] = w;
		col++;
	}
}

void print_table(const void *items, size_t n, size_t size, fill_fn fill,
		 const char *const *header)
{
	static struct record head;
	size_t width[REC_MAX] = { 0 };
	size_t i;

	if (json_output) {
		json_begin('[');
		for (i = 0; i < n; i++)
			json_record(item(items, i, size, fill), NULL);
		json_end(']');
		return;
	}
	rec_init(&head);
	for (i = 0; header && header[i]; i++)
		rec_str(&head, "", NULL, header[i]);
	measure(&head, width);
	for (i = 0; i < n; i++)
		measure(item(items, i, size, fill), width);
	if (header)
		text_row(&head, width);
	for (i = 0; i < n; i++)
		text_row(item(items, i, size, fill), width);
}
