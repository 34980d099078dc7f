// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: what the commands share: usage and error lines, strict
 * number parsing, growing arrays, word lists, UTF-8, and the read
 * commands that print one record.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

bool json_output;
const struct command *cur_cmd;
const char *cur_name;

/*
 * A synopsis is one line per form of the command; a line that starts with
 * a tab explains a word of the forms above it.
 */
void print_usage(FILE *f, const struct command *c)
{
	const char *line = c->synopsis;
	const char *lead = "usage: ";
	int len;

	while (*line) {
		len = strcspn(line, "\n");
		if (*line == '\t')
			fprintf(f, "       %.*s\n", len - 1, line + 1);
		else
			fprintf(f, "%s" PROG " %.*s\n", lead, len, line);
		lead = "       ";
		line += len;
		if (*line)
			line++;
	}
	if (c->more)
		c->more(f);
}

static void vmessage(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	if (cur_name)
		fprintf(stderr, "%s: ", cur_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

int usage(void)
{
	print_usage(stderr, cur_cmd);
	return EXIT_USAGE;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return usage();
}

/*
 * A decimal number from 0 to max, nothing else: no sign, no blanks, no
 * base prefix, no trailing characters.
 */
int parse_uint(const char *s, uint64_t max, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*val = v;
	return 0;
}

struct unit {
	const char *name;
	uint64_t scale;		/* in the smallest unit of its kind */
};

/* Durations in ns; a setting in ms takes any of them. */
static const struct unit time_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
	{ "s", 1000000000 }, { "m", 60000000000ULL }, { "h", 3600000000000ULL },
	{ NULL, 0 }
};

/* Sizes in bytes, binary multiples as iproute2's: 16M is 16 MiB. */
static const struct unit size_units[] = {
	{ "k", 1ULL << 10 }, { "kb", 1ULL << 10 }, { "kib", 1ULL << 10 },
	{ "m", 1ULL << 20 }, { "mb", 1ULL << 20 }, { "mib", 1ULL << 20 },
	{ "g", 1ULL << 30 }, { "gb", 1ULL << 30 }, { "gib", 1ULL << 30 },
	{ NULL, 0 }
};

/*
 * A decimal number with an optional unit of @kind, in the unit of scale
 * @base (a number alone is in it), from 0 to max. Returns 0, or -1 with
 * *why set: "unit", "fraction" or "range".
 */
static int parse_scaled(const char *s, const struct unit *units,
			bool nocase, uint64_t base, uint64_t max,
			uint64_t *val, const char **why)
{
	const struct unit *u;
	unsigned long long v;
	uint64_t scale = base;
	char *end;

	*why = "unit";
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end) {
		for (u = units; u->name; u++)
			if (nocase ? !strcasecmp(end, u->name) :
				     !strcmp(end, u->name))
				break;
		if (!u->name)
			return -1;
		scale = u->scale;
	}
	*why = "range";
	if (errno || (scale && v > UINT64_MAX / scale))
		return -1;
	v *= scale;
	*why = "fraction";
	if (v % base)
		return -1;
	*why = "range";
	if (v / base > max)
		return -1;
	*val = v / base;
	return 0;
}

int parse_ms(const char *s, uint64_t max, uint64_t *ms, const char **why)
{
	return parse_scaled(s, time_units, false, 1000000, max, ms, why);
}

int parse_bytes(const char *s, uint64_t max, uint64_t *bytes,
		const char **why)
{
	return parse_scaled(s, size_units, true, 1, max, bytes, why);
}

/*
 * Make room for element n of arr, an array of *cap elements of size bytes.
 * Returns the (maybe moved) array, or NULL with arr left as it was.
 */
void *array_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	p = reallocarray(arr, ncap, size);
	if (p)
		*cap = ncap;
	return p;
}

int no_args(int argc, char **argv)
{
	if (argc > 1)
		return usage_error("unexpected argument \"%s\"", argv[1]);
	return 0;
}

/* A command without arguments: fill() makes a record of the reply. */
int cmd_pairs(int argc, char **argv, uint8_t cmd,
	      int (*fill)(uint8_t cmd, struct nlattr **tb, void *rec))
{
	static struct record r;
	int ret;

	rec_init(&r);
	ret = no_args(argc, argv) ?: gnl_cmd(cmd, fill, &r);
	if (!ret)
		print_pairs(&r);
	return ret;
}

/* "a, b or c", skipping NULL words; the result lives until the next call */
const char *join_words(const char *const *words, size_t n)
{
	static char buf[256];
	size_t i, len = 0, left = 0;

	for (i = 0; i < n; i++)
		if (words[i])
			left++;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!words[i])
			continue;
		left--;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				len ? (left ? ", " : " or ") : "", words[i]);
		if (len >= sizeof(buf))
			break;
	}
	return buf;
}

/*
 * The index of @word among @words (NULL ones skipped): the word itself,
 * else the one word it is the start of, as ip takes "sh" for show.
 * -1 when there is none; -2 when it starts several, which *candidates
 * then lists ("a, b or c", as join_words()).
 */
int match_word(const char *word, const char *const *words, size_t n,
	       const char **candidates)
{
	const char *hits[64];
	size_t i, len = strlen(word), nhits = 0;
	int found = -1;

	for (i = 0; i < n; i++) {
		if (!words[i] || strncmp(words[i], word, len))
			continue;
		if (!words[i][len])
			return i;
		if (nhits < ARRAY_SIZE(hits))
			hits[nhits++] = words[i];
		found = found == -1 ? (int)i : -2;
	}
	if (found == -2)
		*candidates = join_words(hits, nhits);
	return len ? found : -1;
}

/*
 * The action word of a command ("peer add"), or its unique start, as its
 * index in @verbs; else a usage error (-1) naming what is allowed.
 */
int find_verb(const char *verb, const char *const *verbs, size_t n)
{
	const char *candidates;
	int i = match_word(verb, verbs, n, &candidates);

	if (i >= 0)
		return i;
	if (i == -2)
		usage_error("action \"%s\" is ambiguous: %s", verb, candidates);
	else
		usage_error("unknown action \"%s\": expected %s", verb,
			    join_words(verbs, n));
	return -1;
}

/*
 * Print @buf as one word that a batch line reads back as it is: bare
 * when it is made of safe characters only, else in double quotes with
 * \\, \" and \xNN (controls, bytes that are not UTF-8) escaped.
 */
void print_word(FILE *f, const void *buf, size_t len)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/@%+,=-[]";
	const unsigned char *p = buf;
	size_t i, n;

	for (i = 0; i < len && p[i] && strchr(safe, p[i]); i++)
		;
	if (len && i == len) {
		fwrite(p, 1, len, f);
		return;
	}
	fputc('"', f);
	for (i = 0; i < len; i += n) {
		n = utf8_len(p + i, len - i);
		if (p[i] == '"' || p[i] == '\\')
			fprintf(f, "\\%c", p[i]);
		else if (!n || p[i] < 0x20 || p[i] == 0x7f)
			fprintf(f, "\\x%02x", p[i]);
		else
			fwrite(p + i, 1, n, f);
		if (!n)
			n = 1;
	}
	fputc('"', f);
}

/*
 * Length of the well-formed UTF-8 sequence at p (shortest form, no
 * surrogates, at most U+10FFFF), 0 if there is none.
 */
size_t utf8_len(const unsigned char *p, size_t len)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}
