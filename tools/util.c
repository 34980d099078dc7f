// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: usage and error reporting, strict number parsing, arrays.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gossipadm.h"

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
