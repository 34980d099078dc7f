/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gossipadm: the generic netlink plumbing. Commands build a request with
 * the gnl_put helpers, without a socket, then hand it to gnl_do(); a
 * dump or a monitor is one call. These open the socket, resolve the
 * family, send, receive, call parse() for each message of the family and
 * print any error, the kernel's extack sentence included. They return an
 * exit status.
 */
#ifndef GOSSIPADM_NL_H
#define GOSSIPADM_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/gossip.h>

#include "nl-gen.h"

/* A name per peer of "peer add PEER..." and a few more. */
#define GNL_REQ_NAMES	(GOSSIP_PEERS_MAX + 8)
#define GNL_NEST_DEPTH	2

struct gnl_req {
	struct nl_msg *msg;
	struct nlattr *nest[GNL_NEST_DEPTH];	/* the nests being filled */
	unsigned int depth;
	int err;		/* errno of the first failure, 0 if none */
	struct {		/* what the user calls each attribute, by */
		uint32_t off;	/* its offset, for the kernel's error */
		const char *what;
	} names[GNL_REQ_NAMES];
	unsigned int nnames;
};

/*
 * Called with the message's command and its top-level attributes.
 * Return 0 to go on, > 0 to stop with success, -errno to fail.
 */
typedef int (*gnl_parse_fn)(uint8_t cmd, struct nlattr **tb, void *arg);
/* Forget what parse() collected: the dump starts again. */
typedef void (*gnl_reset_fn)(void *arg);

/*
 * what names the attribute in the user's words ("fanout", "key"): an
 * error the kernel reports about it then says so. NULL: no name. Nests
 * go GNL_NEST_DEPTH deep.
 */
void gnl_req_init(struct gnl_req *r, uint8_t cmd, int flags);
void gnl_put(struct gnl_req *r, int type, const void *buf, size_t len,
	     const char *what);
void gnl_put_u8(struct gnl_req *r, int type, uint8_t v, const char *what);
void gnl_put_u16(struct gnl_req *r, int type, uint16_t v, const char *what);
void gnl_put_u32(struct gnl_req *r, int type, uint32_t v, const char *what);
void gnl_nest_begin(struct gnl_req *r, int type, const char *what);
void gnl_nest_end(struct gnl_req *r);

/* Keep the first socket for every later request (batch mode). */
extern bool gnl_keep_socket;
void gnl_drop_socket(void);

/* Send r (and free it), parse the reply, wait for the ack. */
int gnl_do(struct gnl_req *r, gnl_parse_fn parse, void *arg);
/* The same for a command without attributes. */
int gnl_cmd(uint8_t cmd, gnl_parse_fn parse, void *arg);
/* Dump cmd; start again from reset() when the kernel's data changed. */
int gnl_dump(uint8_t cmd, gnl_parse_fn parse, gnl_reset_fn reset, void *arg);
/* Join the multicast group and parse notifications until SIGINT/SIGTERM. */
int gnl_listen(const char *group, gnl_parse_fn parse, void *arg);

/* The family's version in the kernel, 0 if none, or -NLE_* */
int gnl_family_version(void);

/* Parse a nest, checking sizes against policy: 0 or -EBADMSG. */
int gnl_parse_nest(struct nlattr **tb, int max, struct nlattr *nest,
		   const struct nla_policy *policy);

#endif /* GOSSIPADM_NL_H */
