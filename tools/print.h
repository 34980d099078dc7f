/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gossipadm: one record of named values, printed as text or JSON.
 *
 * Each value has a word for the text output and a key for the JSON output.
 * A NULL word or key leaves the value out of that output; an empty word
 * prints the value alone (an address, say).
 */
#ifndef GOSSIPADM_PRINT_H
#define GOSSIPADM_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REC_MAX		64
#define REC_POOL	1024

struct kv {
	const char *text;
	const char *json;
	bool num;
	bool boolean;		/* JSON true/false (u64); text the bytes */
	bool null;		/* JSON null; text the bytes */
	const char *json_hex;	/* JSON key of the bytes when not text */
	uint64_t u64;
	const void *buf;	/* bytes, when !num */
	size_t len;
};

struct record {
	struct kv kv[REC_MAX];
	unsigned int n;
	char pool[REC_POOL];	/* copies made by rec_str() and rec_strdup() */
	size_t used;
};

void rec_init(struct record *r);
void rec_u64(struct record *r, const char *text, const char *json,
	     uint64_t v);
/* buf is not copied: it must live as long as the record is used. */
void rec_bytes(struct record *r, const char *text, const char *json,
	       const void *buf, size_t len);
/* The same, copying buf into the record. */
void rec_bytes_copy(struct record *r, const char *text, const char *json,
		    const void *buf, size_t len);
void rec_str(struct record *r, const char *text, const char *json,
	     const char *s);
const char *rec_strdup(struct record *r, const char *s);
/* A boolean: true or false in JSON, the word @text_value in text. */
void rec_bool(struct record *r, const char *text, const char *json, bool v,
	      const char *text_value);
/* No value: null in JSON, the word @text_value in text ("never"). */
void rec_null(struct record *r, const char *text, const char *json,
	      const char *text_value);
/*
 * The bytes added last: JSON prints them under their key when they are
 * text (json_is_text()), else as hex under @json_hex (key_hex, value_hex).
 */
void rec_hex(struct record *r, const char *json_hex);

/* show, stats: text "word value" lines, aligned; JSON one object */
void print_pairs(const struct record *r);
/* monitor: text "event word value ..." on one line; JSON one object */
void print_event(const struct record *r, const char *event);

/*
 * peer show, dump: text aligned columns under an optional header; JSON an
 * array of objects. fill() builds the record of one item.
 */
typedef void (*fill_fn)(struct record *r, const void *item);
void print_table(const void *items, size_t n, size_t size, fill_fn fill,
		 const char *const *header);

#endif /* GOSSIPADM_PRINT_H */
