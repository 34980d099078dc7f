// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm publish | delete | get | dump: the key/value entries.
 *
 * Keys and values are bytes; their limits are the kernel's to enforce
 * (its extack says which one was broken), so nothing is checked here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gossip.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

struct entry {
	void *key;
	size_t klen;
	void *value;
	size_t vlen;
	uint32_t origin;
	uint64_t version;
	uint64_t stamp_ns;
	bool has_origin;
	bool has_version;
	bool has_stamp;
	bool deleted;		/* a tombstone (in notifications) */
};

struct entry_list {
	struct entry *v;
	size_t n;
	size_t cap;
};


/* Read an entry nest; key and value point into the message. */
static int entry_from_attr(struct nlattr *nest, struct entry *e)
{
	struct nlattr *tb[GOSSIP_ENTRY_A_MAX + 1];
	struct nlattr *a;

	memset(e, 0, sizeof(*e));
	if (gnl_parse_nest(tb, GOSSIP_ENTRY_A_MAX, nest, gossip_entry_policy) ||
	    !tb[GOSSIP_ENTRY_A_KEY])
		return -EBADMSG;
	e->key = nla_data(tb[GOSSIP_ENTRY_A_KEY]);
	e->klen = nla_len(tb[GOSSIP_ENTRY_A_KEY]);
	a = tb[GOSSIP_ENTRY_A_VALUE];
	if (a) {
		e->value = nla_data(a);
		e->vlen = nla_len(a);
	}
	a = tb[GOSSIP_ENTRY_A_ORIGIN];
	e->has_origin = a;
	if (a)
		e->origin = nla_get_u32(a);
	a = tb[GOSSIP_ENTRY_A_VERSION];
	e->has_version = a;
	if (a)
		e->version = nla_get_u64(a);
	a = tb[GOSSIP_ENTRY_A_STAMP_NS];
	e->has_stamp = a;
	if (a)
		e->stamp_ns = nla_get_u64(a);
	e->deleted = tb[GOSSIP_ENTRY_A_DELETED] &&
		     nla_get_u8(tb[GOSSIP_ENTRY_A_DELETED]);
	return 0;
}

static void *memdup(const void *p, size_t len)
{
	void *q = malloc(len ? len : 1);

	if (q && len)
		memcpy(q, p, len);
	return q;
}

/* Copy an entry read from a message into e, which then owns its bytes. */
static int entry_keep(struct nlattr **tb, struct entry *e)
{
	struct entry tmp;

	if (!tb[GOSSIP_A_ENTRY] || entry_from_attr(tb[GOSSIP_A_ENTRY], &tmp))
		return -EBADMSG;
	*e = tmp;
	e->key = memdup(tmp.key, tmp.klen);
	e->value = memdup(tmp.value, tmp.vlen);
	if (e->key && e->value)
		return 0;
	free(e->key);
	free(e->value);
	return -ENOMEM;
}

static void entry_fill(struct record *r, const void *item)
{
	const struct entry *e = item;

	rec_bytes(r, "key", "key", e->key, e->klen);
	rec_hex(r, "key_hex");
	rec_bytes(r, "value", "value", e->value, e->vlen);
	rec_hex(r, "value_hex");
	if (e->has_origin)
		rec_u64(r, "origin", "origin", e->origin);
	if (e->has_version)
		rec_u64(r, "version", "version", e->version);
	if (e->has_stamp)	/* for programs: when this node stored it */
		rec_u64(r, NULL, "stamp_ns", e->stamp_ns);
	if (e->deleted)
		rec_bool(r, "deleted", "deleted", true, "1");
}

void entry_record_attr(struct nlattr *nest, struct record *r)
{
	struct entry e;

	if (!entry_from_attr(nest, &e))
		entry_fill(r, &e);
}

/* A request carrying an entry nest with the key, and the value if any. */
static void entry_req(struct gnl_req *r, uint8_t cmd, const char *key,
		      const char *value)
{
	gnl_req_init(r, cmd, 0);
	gnl_nest_begin(r, GOSSIP_A_ENTRY, "entry");
	gnl_put(r, GOSSIP_ENTRY_A_KEY, key, strlen(key), "key");
	if (value)
		gnl_put(r, GOSSIP_ENTRY_A_VALUE, value, strlen(value),
			"value");
	gnl_nest_end(r);
}

int cmd_publish(int argc, char **argv)
{
	struct gnl_req r;

	if (argc != 3)
		return usage();
	entry_req(&r, GOSSIP_CMD_ENTRY_PUBLISH, argv[1], argv[2]);
	return gnl_do(&r, NULL, NULL);
}

/* A tombstone that spreads like any newer value. */
int cmd_delete(int argc, char **argv)
{
	struct gnl_req r;

	if (argc != 2)
		return usage();
	entry_req(&r, GOSSIP_CMD_ENTRY_DEL, argv[1], NULL);
	return gnl_do(&r, NULL, NULL);
}

static int get_parse(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct entry *e = arg;

	(void)cmd;
	if (e->key)		/* one reply only */
		return -EBADMSG;
	return entry_keep(tb, e);
}

/* Text: the value alone, raw, so that v=$(gossipadm get k) works. */
int cmd_get(int argc, char **argv)
{
	static struct record rec;
	struct entry e = { 0 };
	struct gnl_req r;
	int ret;

	if (argc != 2)
		return usage();
	entry_req(&r, GOSSIP_CMD_ENTRY_GET, argv[1], NULL);
	ret = gnl_do(&r, get_parse, &e);
	if (!ret && !e.key) {
		errmsg("the kernel sent no entry");
		ret = EXIT_FAIL;
	}
	if (!ret && json_output) {
		rec_init(&rec);
		entry_fill(&rec, &e);
		print_pairs(&rec);
	} else if (!ret) {
		fwrite(e.value, 1, e.vlen, stdout);
		putchar('\n');
	}
	free(e.key);
	free(e.value);
	return ret;
}

static int dump_collect(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct entry_list *l = arg;
	struct entry *v;
	int ret;

	(void)cmd;
	v = array_grow(l->v, &l->cap, l->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	ret = entry_keep(tb, &l->v[l->n]);
	if (!ret)
		l->n++;
	return ret;
}

static void dump_reset(void *arg)
{
	struct entry_list *l = arg;

	while (l->n) {
		l->n--;
		free(l->v[l->n].key);
		free(l->v[l->n].value);
	}
}

/*
 * save entries: one publish line per entry (a tombstone has no value). A
 * key or value holding a NUL byte cannot be written on a batch line (a
 * word is a C string): such an entry is left out, counted in *skipped,
 * and a comment stands in its place, so that the rest replays.
 */
int entry_save(FILE *f, size_t *skipped)
{
	struct entry_list l = { 0 };
	size_t i;
	int ret;

	ret = gnl_dump(GOSSIP_CMD_ENTRY_GET, dump_collect, dump_reset, &l);
	for (i = 0; !ret && i < l.n; i++) {
		if (l.v[i].deleted)
			continue;
		if (memchr(l.v[i].key, 0, l.v[i].klen) ||
		    (l.v[i].vlen && memchr(l.v[i].value, 0, l.v[i].vlen))) {
			fputs("# left out: an entry with a NUL byte in its key or value\n",
			      f);
			(*skipped)++;
			continue;
		}
		fputs("publish ", f);
		print_word(f, l.v[i].key, l.v[i].klen);
		fputc(' ', f);
		print_word(f, l.v[i].value, l.v[i].vlen);
		fputc('\n', f);
	}
	dump_reset(&l);
	free(l.v);
	return ret;
}

int cmd_dump(int argc, char **argv)
{
	static const char *const header[] = {
		"KEY", "VALUE", "ORIGIN", "VERSION", NULL
	};
	struct entry_list l = { 0 };
	int ret;

	ret = no_args(argc, argv) ?:
	      gnl_dump(GOSSIP_CMD_ENTRY_GET, dump_collect, dump_reset, &l);
	if (!ret)
		print_table(l.v, l.n, sizeof(*l.v), entry_fill, header);
	dump_reset(&l);
	free(l.v);
	return ret;
}
