// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm peer add | del | show: the peers rounds are sent to, and what
 * this node saw of each.
 *
 * A peer is written IPV4[:PORT], [IPV6][:PORT] or IPV6 (a bare IPv6
 * address has no port); PORT defaults to GOSSIP_DEFAULT_PORT.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/gossip.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

struct peer {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network order */
	uint16_t port;
	bool state;		/* a dump's: the fields below are set */
	bool rx_seen;		/* last_rx_ms is set */
	int answered;		/* -1: no digest sent yet, else 0 or 1 */
	bool tree;		/* a link of the eager tree */
	uint64_t last_rx_ms, rx_dgrams, rx_bytes, tx_dgrams, tx_bytes;
	uint64_t auth_fails;
};

struct peer_list {
	struct peer *v;
	size_t n;
	size_t cap;
};

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Split ADDR[:PORT] into host and port (NULL if none); choose the family. */
static int split_peer(const char *arg, char *host, size_t size,
		      const char **port, int *family)
{
	const char *end, *colon = strchr(arg, ':');

	*port = NULL;
	*family = AF_INET;
	if (*arg == '[') {
		arg++;
		end = strchr(arg, ']');
		if (!end || (end[1] && end[1] != ':'))
			return -1;
		if (end[1])
			*port = end + 2;
		*family = AF_INET6;
	} else if (colon && strchr(colon + 1, ':')) {
		end = arg + strlen(arg);
		*family = AF_INET6;
	} else if (colon) {
		end = colon;
		*port = colon + 1;
	} else {
		end = arg + strlen(arg);
	}
	if ((size_t)(end - arg) >= size)
		return -1;
	memcpy(host, arg, end - arg);
	host[end - arg] = '\0';
	return 0;
}

static int parse_peer(const char *arg, struct peer *p)
{
	char host[INET6_ADDRSTRLEN];
	const char *port;
	uint64_t v = GOSSIP_DEFAULT_PORT;

	if (split_peer(arg, host, sizeof(host), &port, &p->family) ||
	    inet_pton(p->family, host, p->addr) != 1)
		return usage_error("invalid peer address \"%s\": expected IPV4[:PORT], [IPV6][:PORT] or IPV6 (PORT defaults to %d)",
				   arg, GOSSIP_DEFAULT_PORT);
	if (port && parse_uint(port, UINT16_MAX, &v))
		return usage_error("invalid port in \"%s\": expected a decimal number from 0 to %d",
				   arg, UINT16_MAX);
	p->port = v;
	return 0;
}

/* A peer nest; in a list it is named by @word, its attributes not. */
static void put_peer(struct gnl_req *r, const struct peer *p,
		     const char *word, bool list)
{
	gnl_nest_begin(r, GOSSIP_A_PEER, list ? word : "peer");
	gnl_put(r, p->family == AF_INET ? GOSSIP_PEER_A_ADDR4 :
					  GOSSIP_PEER_A_ADDR6,
		p->addr, addr_len(p->family), list ? NULL : "peer address");
	gnl_put_u16(r, GOSSIP_PEER_A_PORT, p->port, list ? NULL : "peer port");
	gnl_nest_end(r);
}

/*
 * peer add|del PEER...: one peer is a GOSSIP_A_PEER; several, one request
 * with the GOSSIP_A_PEERS list, which the module applies whole or not at
 * all (a cluster of 1024 configures in 1024 requests, not a million). A
 * peer the module refuses is named by its word.
 */
static int peer_change(int argc, char **argv, uint8_t cmd)
{
	bool list = argc > 3;
	struct gnl_req r;
	struct peer p;
	int i;

	if (argc < 3)
		return usage();
	if (argc - 2 > GOSSIP_PEERS_MAX)
		return usage_error("%d peers in one command: at most %d",
				   argc - 2, GOSSIP_PEERS_MAX);
	for (i = 2; i < argc; i++)
		if (parse_peer(argv[i], &p))
			return EXIT_USAGE;
	gnl_req_init(&r, cmd, 0);
	if (list)
		gnl_nest_begin(&r, GOSSIP_A_PEERS, "peer list");
	for (i = 2; i < argc; i++) {
		parse_peer(argv[i], &p);
		put_peer(&r, &p, argv[i], list);
	}
	if (list)
		gnl_nest_end(&r);
	return gnl_do(&r, NULL, NULL);
}


static uint64_t u64_of(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int peer_from_attr(struct nlattr *nest, struct peer *p)
{
	struct nlattr *tb[GOSSIP_PEER_A_MAX + 1];
	struct nlattr *addr;

	if (gnl_parse_nest(tb, GOSSIP_PEER_A_MAX, nest, gossip_peer_policy))
		return -EBADMSG;
	p->family = tb[GOSSIP_PEER_A_ADDR4] ? AF_INET : AF_INET6;
	addr = tb[GOSSIP_PEER_A_ADDR4] ?: tb[GOSSIP_PEER_A_ADDR6];
	if (!addr)
		return -EBADMSG;
	memcpy(p->addr, nla_data(addr), addr_len(p->family));
	p->port = tb[GOSSIP_PEER_A_PORT] ?
		  nla_get_u16(tb[GOSSIP_PEER_A_PORT]) : 0;
	p->state = tb[GOSSIP_PEER_A_RX_DGRAMS];
	p->rx_seen = tb[GOSSIP_PEER_A_LAST_RX_MS];
	p->last_rx_ms = u64_of(tb[GOSSIP_PEER_A_LAST_RX_MS]);
	p->rx_dgrams = u64_of(tb[GOSSIP_PEER_A_RX_DGRAMS]);
	p->rx_bytes = u64_of(tb[GOSSIP_PEER_A_RX_BYTES]);
	p->tx_dgrams = u64_of(tb[GOSSIP_PEER_A_TX_DGRAMS]);
	p->tx_bytes = u64_of(tb[GOSSIP_PEER_A_TX_BYTES]);
	p->auth_fails = u64_of(tb[GOSSIP_PEER_A_AUTH_FAILS]);
	p->answered = tb[GOSSIP_PEER_A_ANSWERED] ?
		      nla_get_u8(tb[GOSSIP_PEER_A_ANSWERED]) : -1;
	p->tree = tb[GOSSIP_PEER_A_TREE] &&
		  nla_get_u8(tb[GOSSIP_PEER_A_TREE]);
	return 0;
}

/* Text: ADDR:PORT, [ADDR]:PORT for IPv6; JSON: addr and port. */
static void peer_fill(struct record *r, const void *item)
{
	const struct peer *p = item;
	char addr[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 8];

	inet_ntop(p->family, p->addr, addr, sizeof(addr));
	snprintf(text, sizeof(text), p->family == AF_INET ? "%s:%u" :
			"[%s]:%u", addr, p->port);
	rec_str(r, "", NULL, text);
	rec_str(r, NULL, "addr", addr);
	rec_u64(r, NULL, "port", p->port);
}

/* "1.234s", "12m03s", "2h05m", "3d04h": the age of the last datagram. */
static void age_text(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64 "s", s, ms % 1000);
	else if (s < 3600)
		snprintf(buf, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s / 60 % 60);
	else
		snprintf(buf, size, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 s / 3600 % 24);
}

/*
 * peer show: one row a peer under a header, as wg show and batctl o; JSON
 * the same fields, last_rx_ms null and answered null when there is none.
 */
static const char *const peer_header[] = {
	"peer", "last-rx", "rx-dgrams", "rx-bytes", "tx-dgrams", "tx-bytes",
	"auth-fails", "answered", "tree", NULL
};

static void peer_state_fill(struct record *r, const void *item)
{
	const struct peer *p = item;
	char age[32];

	peer_fill(r, item);
	if (p->rx_seen) {
		age_text(age, sizeof(age), p->last_rx_ms);
		rec_str(r, "", NULL, age);
		rec_u64(r, NULL, "last_rx_ms", p->last_rx_ms);
	} else {
		rec_null(r, "", "last_rx_ms", "never");
	}
	rec_u64(r, "", "rx_dgrams", p->rx_dgrams);
	rec_u64(r, "", "rx_bytes", p->rx_bytes);
	rec_u64(r, "", "tx_dgrams", p->tx_dgrams);
	rec_u64(r, "", "tx_bytes", p->tx_bytes);
	rec_u64(r, "", "auth_fails", p->auth_fails);
	if (p->answered < 0)
		rec_null(r, "", "answered", "-");
	else
		rec_bool(r, "", "answered", p->answered,
			 p->answered ? "yes" : "no");
	rec_bool(r, "", "tree", p->tree, p->tree ? "yes" : "no");
}

void peer_record(struct nlattr *nest, struct record *r)
{
	struct peer p;

	if (!peer_from_attr(nest, &p))
		peer_fill(r, &p);
}

static int peer_collect(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct peer_list *l = arg;
	struct peer *v;

	(void)cmd;
	if (!tb[GOSSIP_A_PEER])
		return -EBADMSG;
	v = array_grow(l->v, &l->cap, l->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	if (peer_from_attr(tb[GOSSIP_A_PEER], &l->v[l->n]))
		return -EBADMSG;
	l->n++;
	return 0;
}

static void peer_reset(void *arg)
{
	struct peer_list *l = arg;

	l->n = 0;
}

static int peer_show(int argc)
{
	struct peer_list l = { 0 };
	int ret;

	if (argc > 2)
		return usage();
	ret = gnl_dump(GOSSIP_CMD_PEER_GET, peer_collect, peer_reset, &l);
	if (!ret)
		print_table(l.v, l.n, sizeof(*l.v), peer_state_fill,
			    l.n ? peer_header : NULL);	/* none: nothing */
	free(l.v);
	return ret;
}

/* save: one "peer add" line of every peer, none without peers. */
int peer_save(FILE *f)
{
	struct peer_list l = { 0 };
	char addr[INET6_ADDRSTRLEN];
	size_t i;
	int ret;

	ret = gnl_dump(GOSSIP_CMD_PEER_GET, peer_collect, peer_reset, &l);
	for (i = 0; !ret && i < l.n; i++) {
		inet_ntop(l.v[i].family, l.v[i].addr, addr, sizeof(addr));
		fputs(i ? " " : "peer add ", f);
		fprintf(f, l.v[i].family == AF_INET ? "%s:%u" : "[%s]:%u",
			addr, l.v[i].port);
	}
	if (!ret && l.n)
		fputc('\n', f);
	free(l.v);
	return ret;
}

int cmd_peer(int argc, char **argv)
{
	static const char *const verbs[] = { "add", "del", "show", "list" };

	switch (find_verb(argc > 1 ? argv[1] : "show", verbs,
			  ARRAY_SIZE(verbs))) {
	case 0:
		cur_name = "peer add";
		return peer_change(argc, argv, GOSSIP_CMD_PEER_ADD);
	case 1:
		cur_name = "peer del";
		return peer_change(argc, argv, GOSSIP_CMD_PEER_DEL);
	case 2:
	case 3:
		cur_name = "peer show";
		return peer_show(argc);
	default:
		return EXIT_USAGE;
	}
}
