/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gossipadm: what every command file shares. Commands are registered in
 * the table in main.c; each one is a function of (argc, argv) where argv[0]
 * is the command word, and returns an exit status.
 */
#ifndef GOSSIPADM_H
#define GOSSIPADM_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#define PROG "gossipadm"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct nlattr;
struct record;

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* runtime failure */
	EXIT_USAGE = 2,		/* bad command line */
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;	/* usage lines, "\n" separated, no "gossipadm " */
	const char *summary;	/* one line for `help` */
	void (*more)(FILE *f);	/* more usage lines, if any */
};

/* util.c */
extern bool json_output;	/* -j / --json */
extern const struct command *cur_cmd;
extern const char *cur_name;	/* prefix of error lines, e.g. "peer add" */

void print_usage(FILE *f, const struct command *c);
int usage(void);
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_uint(const char *s, uint64_t max, uint64_t *val);
/*
 * A duration, converted to ms: a number alone is ms, or it ends in ns, us,
 * ms, s, m or h. A size in bytes: a number alone, or with K, M or G
 * (binary: 16M = 16777216; KB, KiB and any case too). 0 or -1, *why saying
 * what was wrong: "unit", "fraction" (not a whole ms) or "range" (> max).
 */
int parse_ms(const char *s, uint64_t max, uint64_t *ms, const char **why);
int parse_bytes(const char *s, uint64_t max, uint64_t *bytes,
		const char **why);
void *array_grow(void *arr, size_t *cap, size_t n, size_t size);
int no_args(int argc, char **argv);
int cmd_pairs(int argc, char **argv, uint8_t cmd,
	      int (*fill)(uint8_t cmd, struct nlattr **tb, void *rec));
const char *join_words(const char *const *words, size_t n);
int match_word(const char *word, const char *const *words, size_t n,
	       const char **candidates);
void print_word(FILE *f, const void *buf, size_t len);
int find_verb(const char *verb, const char *const *verbs, size_t n);
size_t utf8_len(const unsigned char *p, size_t len);

/* version.c: -V, --version */
int print_version(void);

/* commands */
int cmd_show(int argc, char **argv);
int cmd_set(int argc, char **argv);
void set_usage_more(FILE *f);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_peer(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_key(int argc, char **argv);

/* what save borrows: the lines of the settings and of the peers */
struct config_save {
	FILE *f;
	bool up;
	bool auth;
};
int config_save(struct config_save *cs);
int peer_save(FILE *f);
int entry_save(FILE *f, size_t *skipped);
int cmd_save(int argc, char **argv);

/* what monitor borrows to print the objects an event carries */
void config_record(struct nlattr **tb, struct record *r);
void peer_record(struct nlattr *nest, struct record *r);
void entry_record_attr(struct nlattr *nest, struct record *r);
void authkey_record(struct nlattr *nest, struct record *r);

#endif /* GOSSIPADM_H */
