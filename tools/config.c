// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm show | set | up | down: the instance's configuration (the
 * cluster label among it; whether authentication is on is read only).
 *
 * One table says, for each configuration attribute, its word (in text
 * output and on the `set` command line), its JSON key, its size on the
 * wire and the names of its values.
 */
#include <string.h>

#include <linux/gossip.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

static const char *const mode_names[] = {
	[GOSSIP_MODE_PUSH]	= "push",
	[GOSSIP_MODE_PULL]	= "pull",
	[GOSSIP_MODE_PUSHPULL]	= "pushpull",
};

static const char *const state_names[] = { "down", "up" };
static const char *const onoff_names[] = { "off", "on" };

enum cfg_unit {
	UNIT_NONE,
	UNIT_MS,			/* takes ns, us, ms, s, m, h */
	UNIT_BYTES,			/* takes K, M, G */
	UNIT_PER_S,
};

static const char *const unit_names[] = {
	[UNIT_MS] = " ms", [UNIT_BYTES] = " bytes", [UNIT_PER_S] = " per s",
};

struct cfg_attr {
	int type;			/* GOSSIP_A_* */
	const char *word;
	const char *json;
	unsigned int size;		/* bytes: 1, 2 or 4 */
	const char *const *names;	/* value names, indexed by value */
	unsigned int nnames;
	bool readonly;
	bool bytes;			/* a string of 0..size bytes */
	enum cfg_unit unit;
	/* for help: the range (the uapi's) and the default (def_text if set) */
	uint64_t min, max, def;
	const char *def_text;
};

#define CFG(t, w, j, sz) .type = (t), .word = (w), .json = (j), .size = (sz)
#define RANGE(lo, hi, d) .min = (lo), .max = (hi), .def = (d)

static const struct cfg_attr cfg_attrs[] = {
	{ CFG(GOSSIP_A_MODE, "mode", "mode", 4),
	  .names = mode_names, .nnames = ARRAY_SIZE(mode_names),
	  .def = GOSSIP_MODE_PUSH },
	{ CFG(GOSSIP_A_FANOUT, "fanout", "fanout", 4),
	  RANGE(GOSSIP_FANOUT_MIN, GOSSIP_FANOUT_MAX, GOSSIP_DEFAULT_FANOUT) },
	{ CFG(GOSSIP_A_INTERVAL_MS, "interval", "interval_ms", 4),
	  .unit = UNIT_MS, RANGE(GOSSIP_INTERVAL_MIN_MS, GOSSIP_INTERVAL_MAX_MS,
				 GOSSIP_DEFAULT_INTERVAL_MS) },
	{ CFG(GOSSIP_A_PORT, "port", "port", 2),
	  RANGE(1, UINT16_MAX, GOSSIP_DEFAULT_PORT) },
	{ CFG(GOSSIP_A_NODE_ID, "node-id", "node_id", 4),
	  RANGE(1, UINT32_MAX, 0),
	  .def_text = "the first IPv4 address at up, else random" },
	{ CFG(GOSSIP_A_MAX_DGRAM, "max-dgram", "max_dgram", 4),
	  .unit = UNIT_BYTES, RANGE(GOSSIP_DGRAM_MIN, GOSSIP_DGRAM_MAX,
				    GOSSIP_DEFAULT_DGRAM) },
	{ CFG(GOSSIP_A_TOMBSTONE_MS, "tombstone-ms", "tombstone_ms", 4),
	  .unit = UNIT_MS, RANGE(GOSSIP_TOMBSTONE_MIN_MS,
				 GOSSIP_TOMBSTONE_MAX_MS,
				 GOSSIP_DEFAULT_TOMBSTONE_MS) },
	{ CFG(GOSSIP_A_LOCKSTEP, "lockstep", "lockstep", 1),
	  .names = onoff_names, .nnames = ARRAY_SIZE(onoff_names), .def = 0 },
	{ CFG(GOSSIP_A_EAGER, "eager", "eager", 1),
	  .names = onoff_names, .nnames = ARRAY_SIZE(onoff_names), .def = 1 },
	{ CFG(GOSSIP_A_LABEL, "label", "label", GOSSIP_LABEL_MAX),
	  .bytes = true, .unit = UNIT_BYTES, RANGE(0, GOSSIP_LABEL_MAX, 0),
	  .def_text = "none (\"\")" },
	{ CFG(GOSSIP_A_STORE_BYTES, "store-bytes", "store_bytes", 4),
	  .unit = UNIT_BYTES, RANGE(GOSSIP_STORE_BYTES_MIN,
				    GOSSIP_STORE_BYTES_MAX,
				    GOSSIP_DEFAULT_STORE_BYTES) },
	{ CFG(GOSSIP_A_REJECT_RATE, "reject-rate", "reject_rate", 4),
	  .unit = UNIT_PER_S, RANGE(0, GOSSIP_REJECT_RATE_MAX,
				    GOSSIP_DEFAULT_REJECT_RATE) },
	{ CFG(GOSSIP_A_MAX_SKEW_MS, "max-skew-ms", "max_skew_ms", 4),
	  .unit = UNIT_MS, RANGE(GOSSIP_MAX_SKEW_MIN_MS, GOSSIP_MAX_SKEW_MAX_MS,
				 GOSSIP_DEFAULT_MAX_SKEW_MS) },
	{ CFG(GOSSIP_A_RUNNING, "state", "state", 1),
	  .names = state_names, .nnames = ARRAY_SIZE(state_names),
	  .readonly = true },
	{ CFG(GOSSIP_A_AUTH, "auth", "auth", 1),
	  .names = onoff_names, .nnames = ARRAY_SIZE(onoff_names),
	  .readonly = true },
};

#define NCFG ARRAY_SIZE(cfg_attrs)

static uint64_t cfg_get(const struct cfg_attr *a, struct nlattr *attr)
{
	switch (a->size) {
	case 1:
		return nla_get_u8(attr);
	case 2:
		return nla_get_u16(attr);
	default:
		return nla_get_u32(attr);
	}
}

static void cfg_record_one(const struct cfg_attr *a, uint64_t v,
			   struct record *r)
{
	char name[32];

	if (!a->names) {
		rec_u64(r, a->word, a->json, v);
		return;
	}
	if (v < a->nnames && a->names[v])
		snprintf(name, sizeof(name), "%s", a->names[v]);
	else
		snprintf(name, sizeof(name), "unknown-%u", (unsigned int)v);
	if (a->names == onoff_names)
		rec_bool(r, a->word, a->json, v, name);
	else
		rec_str(r, a->word, a->json, name);
}

/* The configuration attributes present in tb, in table order. */
void config_record(struct nlattr **tb, struct record *r)
{
	const struct cfg_attr *a;

	for (a = cfg_attrs; a < cfg_attrs + NCFG; a++) {
		if (!tb[a->type])
			continue;
		if (a->bytes) {
			rec_bytes_copy(r, a->word, a->json,
				       nla_data(tb[a->type]),
				       nla_len(tb[a->type]));
			rec_hex(r, "label_hex");
		} else
			cfg_record_one(a, cfg_get(a, tb[a->type]), r);
	}
}

static int show_parse(uint8_t cmd, struct nlattr **tb, void *arg)
{
	(void)cmd;
	config_record(tb, arg);
	return 0;
}

int cmd_show(int argc, char **argv)
{
	return cmd_pairs(argc, argv, GOSSIP_CMD_CONFIG_GET, show_parse);
}

/* The settable words, NULL for the read-only ones: the order of cfg_attrs. */
static const char *const *cfg_words(void)
{
	static const char *words[NCFG];
	unsigned int i;

	for (i = 0; i < NCFG; i++)
		words[i] = cfg_attrs[i].readonly ? NULL : cfg_attrs[i].word;
	return words;
}

/* A setting by its word or the start of one word ("fan", "max-d"). */
static const struct cfg_attr *cfg_find(const char *word)
{
	const char *candidates;
	int i = match_word(word, cfg_words(), NCFG, &candidates);

	if (i >= 0)
		return &cfg_attrs[i];
	if (i == -2)
		usage_error("setting \"%s\" is ambiguous: %s", word,
			    candidates);
	else
		usage_error("unknown setting \"%s\": expected %s", word,
			    join_words(cfg_words(), NCFG));
	return NULL;
}

/* A value name or a number that fits in the attribute. */
static int cfg_parse(const struct cfg_attr *a, const char *s, uint64_t *v)
{
	uint64_t max = (1ULL << (8 * (a->size > 4 ? 4 : a->size))) - 1;

	if (a->bytes) {
		*v = strlen(s);
		if (*v <= a->size)
			return 0;
		return usage_error("the %s is %llu bytes long: at most %u are allowed",
				   a->word, (unsigned long long)*v, a->size);
	}
	if (a->unit == UNIT_MS || a->unit == UNIT_BYTES) {
		const char *why;

		if (!(a->unit == UNIT_MS ? parse_ms : parse_bytes)(s, max, v,
								   &why))
			return 0;
		if (!strcmp(why, "fraction"))
			return usage_error("\"%s\" is not a whole number of milliseconds (%s)",
					   s, a->word);
		if (!strcmp(why, "range"))
			return usage_error("\"%s\" is too large for %s: at most %llu%s",
					   s, a->word, (unsigned long long)max,
					   unit_names[a->unit]);
		return usage_error("\"%s\" is not a valid %s: expected a decimal number%s",
				   s, a->word, a->unit == UNIT_MS ?
				   " of ms, or with a unit: ns, us, ms, s, m or h" :
				   " of bytes, or with a unit: K, M or G");
	}
	if (!a->names) {
		if (!parse_uint(s, max, v))
			return 0;
		return usage_error("\"%s\" is not a valid %s: expected a decimal number from 0 to %llu",
				   s, a->word, (unsigned long long)max);
	}
	for (*v = 0; *v < a->nnames; (*v)++)
		if (a->names[*v] && !strcmp(a->names[*v], s))
			return 0;
	return usage_error("\"%s\" is not a valid %s: expected %s", s, a->word,
			   join_words(a->names, a->nnames));
}

static void cfg_put(struct gnl_req *r, const struct cfg_attr *a, uint64_t v,
		    const char *s)
{
	if (a->bytes)
		gnl_put(r, a->type, s, v, a->word);
	else if (a->size == 1)
		gnl_put_u8(r, a->type, v, a->word);
	else if (a->size == 2)
		gnl_put_u16(r, a->type, v, a->word);
	else
		gnl_put_u32(r, a->type, v, a->word);
}

/*
 * The part of "help set" (and of a usage error of set) that says each
 * setting's range and default, from the uapi header's macros.
 */
void set_usage_more(FILE *f)
{
	const struct cfg_attr *a;
	char range[64], def[64];

	fprintf(f, "       %-13s %-24s %s\n", "SETTING", "RANGE", "DEFAULT");
	for (a = cfg_attrs; a < cfg_attrs + NCFG; a++) {
		const char *unit = unit_names[a->unit] ?: "";

		if (a->readonly)
			continue;
		if (a->names) {
			snprintf(range, sizeof(range), "%s",
				 join_words(a->names, a->nnames));
			snprintf(def, sizeof(def), "%s", a->names[a->def]);
		} else {
			snprintf(range, sizeof(range), "%llu..%llu%s",
				 (unsigned long long)a->min,
				 (unsigned long long)a->max, unit);
			snprintf(def, sizeof(def), "%llu%s",
				 (unsigned long long)a->def, unit);
		}
		fprintf(f, "       %-13s %-24s %s\n", a->word, range,
			a->def_text ?: def);
	}
	fputs("       MS: a number of ms, or with a unit: ns, us, ms, s, m, h (200ms, 1s, 2m)\n"
	      "       BYTES: a number, or with K, M or G (binary: 16M = 16777216)\n", f);
}

/* Parse every "word value" pair before anything is sent. */
int cmd_set(int argc, char **argv)
{
	uint64_t val[NCFG];
	const char *str[NCFG];
	bool given[NCFG] = { false };
	const struct cfg_attr *a;
	struct gnl_req r;
	int i;

	if (argc < 2)
		return usage();
	for (i = 1; i < argc; i += 2) {
		a = cfg_find(argv[i]);
		if (!a)
			return EXIT_USAGE;
		if (i + 1 == argc)
			return usage_error("%s needs a value", a->word);
		if (given[a - cfg_attrs])
			return usage_error("%s is given twice", a->word);
		if (cfg_parse(a, argv[i + 1], &val[a - cfg_attrs]))
			return EXIT_USAGE;
		str[a - cfg_attrs] = argv[i + 1];
		given[a - cfg_attrs] = true;
	}
	gnl_req_init(&r, GOSSIP_CMD_CONFIG_SET, 0);
	for (a = cfg_attrs; a < cfg_attrs + NCFG; a++)
		if (given[a - cfg_attrs])
			cfg_put(&r, a, val[a - cfg_attrs], str[a - cfg_attrs]);
	return gnl_do(&r, NULL, NULL);
}

static int save_parse(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct config_save *cs = arg;
	const struct cfg_attr *a;
	uint64_t v;

	(void)cmd;
	fputs("set", cs->f);
	for (a = cfg_attrs; a < cfg_attrs + NCFG; a++) {
		if (a->readonly || !tb[a->type])
			continue;
		fprintf(cs->f, " %s ", a->word);
		if (a->bytes) {
			print_word(cs->f, nla_data(tb[a->type]),
				   nla_len(tb[a->type]));
			continue;
		}
		v = cfg_get(a, tb[a->type]);
		if (a->names && v < a->nnames && a->names[v])
			fputs(a->names[v], cs->f);
		else
			fprintf(cs->f, "%llu", (unsigned long long)v);
	}
	fputc('\n', cs->f);
	cs->up = tb[GOSSIP_A_RUNNING] && nla_get_u8(tb[GOSSIP_A_RUNNING]);
	cs->auth = tb[GOSSIP_A_AUTH] && nla_get_u8(tb[GOSSIP_A_AUTH]);
	return 0;
}

/* save: one "set" line of every setting the kernel reports. */
int config_save(struct config_save *cs)
{
	return gnl_cmd(GOSSIP_CMD_CONFIG_GET, save_parse, cs);
}

int cmd_up(int argc, char **argv)
{
	return no_args(argc, argv) ?: gnl_cmd(GOSSIP_CMD_INSTANCE_UP, NULL, NULL);
}

int cmd_down(int argc, char **argv)
{
	return no_args(argc, argv) ?: gnl_cmd(GOSSIP_CMD_INSTANCE_DOWN, NULL, NULL);
}
