// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm key add | use | del | show | gen: the keys datagrams are
 * sealed with.
 *
 * A key is written as 64 hex digits (its 32 bytes), in a file or on
 * standard input, a trailing newline allowed: what `key gen` prints. A key
 * never appears on the command line (other users could read it in
 * /proc/PID/cmdline) and the kernel never gives it back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <linux/gossip.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

#define KEY_HEX		(2 * GOSSIP_SECRET_LEN)
#define KEY_FILE_MAX	(KEY_HEX + 2)	/* more than a key and a newline */

struct authkey {
	uint8_t id;
	bool primary;
};

struct key_list {
	struct authkey v[GOSSIP_AUTHKEYS_MAX * 2];
	size_t n;
};

static int parse_id(const char *s, uint8_t *id)
{
	uint64_t v;

	if (parse_uint(s, 255, &v) || !v)
		return usage_error("invalid key id \"%s\": expected a decimal number from 1 to 255",
				   s);
	*id = v;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read the key of @path ("-": standard input) into @secret. */
static int read_key(const char *path, uint8_t *secret)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char buf[KEY_FILE_MAX + 1];
	size_t n, i;
	int hi, lo;

	if (!f) {
		errmsg("cannot open \"%s\": %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (f != stdin)
		fclose(f);
	if (n == KEY_HEX + 1 && buf[KEY_HEX] == '\n')
		n--;
	for (i = 0; n == KEY_HEX && i < GOSSIP_SECRET_LEN; i++) {
		hi = hex_digit(buf[2 * i]);
		lo = hex_digit(buf[2 * i + 1]);
		if (hi < 0 || lo < 0)
			break;
		secret[i] = hi << 4 | lo;
	}
	if (n == KEY_HEX && i == GOSSIP_SECRET_LEN)
		return 0;
	memset(buf, 0, sizeof(buf));
	return usage_error("\"%s\" does not hold a key: expected %d hex digits and at most a newline (see \"" PROG " key gen\")",
			   path, KEY_HEX);
}

static void authkey_req(struct gnl_req *r, uint8_t cmd, uint8_t id)
{
	gnl_req_init(r, cmd, 0);
	gnl_nest_begin(r, GOSSIP_A_AUTHKEY, "key");
	gnl_put(r, GOSSIP_AUTHKEY_A_ID, &id, 1, "key id");
}

static int authkey_add(int argc, char **argv)
{
	uint8_t secret[GOSSIP_SECRET_LEN], id = 0;
	struct gnl_req r;
	int ret;

	if (argc != 4)
		return usage();
	if (parse_id(argv[2], &id))
		return EXIT_USAGE;
	ret = read_key(argv[3], secret);
	if (ret)
		return ret;
	authkey_req(&r, GOSSIP_CMD_AUTHKEY_ADD, id);
	gnl_put(&r, GOSSIP_AUTHKEY_A_SECRET, secret, sizeof(secret), "key secret");
	gnl_nest_end(&r);
	memset(secret, 0, sizeof(secret));
	return gnl_do(&r, NULL, NULL);
}

static int authkey_change(int argc, char **argv, uint8_t cmd)
{
	struct gnl_req r;
	uint8_t id = 0;

	if (argc != 3)
		return usage();
	if (parse_id(argv[2], &id))
		return EXIT_USAGE;
	authkey_req(&r, cmd, id);
	gnl_nest_end(&r);
	return gnl_do(&r, NULL, NULL);
}

static int authkey_from_attr(struct nlattr *nest, struct authkey *k)
{
	struct nlattr *tb[GOSSIP_AUTHKEY_A_MAX + 1];

	if (gnl_parse_nest(tb, GOSSIP_AUTHKEY_A_MAX, nest, gossip_authkey_policy) ||
	    !tb[GOSSIP_AUTHKEY_A_ID])
		return -EBADMSG;
	k->id = nla_get_u8(tb[GOSSIP_AUTHKEY_A_ID]);
	k->primary = tb[GOSSIP_AUTHKEY_A_PRIMARY] &&
		     nla_get_u8(tb[GOSSIP_AUTHKEY_A_PRIMARY]);
	return 0;
}

/* Text: ID and "primary" for the primary; JSON: id and primary (a boolean). */
static void authkey_fill(struct record *r, const void *item)
{
	const struct authkey *k = item;

	rec_u64(r, "id", "id", k->id);
	if (k->primary)
		rec_str(r, "", NULL, "primary");
	rec_bool(r, NULL, "primary", k->primary, "");
}

void authkey_record(struct nlattr *nest, struct record *r)
{
	struct authkey k;

	if (authkey_from_attr(nest, &k))
		return;
	rec_u64(r, "id", "id", k.id);
	if (k.primary)
		rec_bool(r, "primary", "primary", true, "1");
}

static int authkey_collect(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct key_list *l = arg;

	(void)cmd;
	if (!tb[GOSSIP_A_AUTHKEY] || l->n == ARRAY_SIZE(l->v) ||
	    authkey_from_attr(tb[GOSSIP_A_AUTHKEY], &l->v[l->n]))
		return -EBADMSG;
	l->n++;
	return 0;
}

static void authkey_reset(void *arg)
{
	((struct key_list *)arg)->n = 0;
}

static int authkey_show(int argc)
{
	static const char *const header[] = { "ID", NULL };
	struct key_list l = { .n = 0 };
	int ret;

	if (argc > 2)
		return usage();
	ret = gnl_dump(GOSSIP_CMD_AUTHKEY_GET, authkey_collect, authkey_reset, &l);
	if (!ret)
		print_table(l.v, l.n, sizeof(*l.v), authkey_fill,
			    l.n ? header : NULL);
	return ret;
}

/* A new key from getrandom(), in the format key add reads. */
static int authkey_gen(int argc)
{
	uint8_t secret[GOSSIP_SECRET_LEN];
	size_t i;

	if (argc != 2)
		return usage();
	if (getrandom(secret, sizeof(secret), 0) != sizeof(secret)) {
		errmsg("getrandom: %s", strerror(errno));
		return EXIT_FAIL;
	}
	for (i = 0; i < sizeof(secret); i++)
		printf("%02x", secret[i]);
	putchar('\n');
	memset(secret, 0, sizeof(secret));
	return EXIT_OK;
}

int cmd_key(int argc, char **argv)
{
	static const char *const verbs[] = {
		"add", "use", "del", "show", "list", "gen"
	};

	switch (find_verb(argc > 1 ? argv[1] : "show", verbs,
			  ARRAY_SIZE(verbs))) {
	case 0:
		cur_name = "key add";
		return authkey_add(argc, argv);
	case 1:
		cur_name = "key use";
		return authkey_change(argc, argv, GOSSIP_CMD_AUTHKEY_USE);
	case 2:
		cur_name = "key del";
		return authkey_change(argc, argv, GOSSIP_CMD_AUTHKEY_DEL);
	case 3:
	case 4:
		cur_name = "key show";
		return authkey_show(argc);
	case 5:
		cur_name = "key gen";
		return authkey_gen(argc);
	default:
		return EXIT_USAGE;
	}
}
