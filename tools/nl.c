// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm: generic netlink plumbing over libnl-genl.
 *
 * One socket per run. Its callbacks record how the exchange ended in
 * struct gnl: a reply goes to parse(); an ack, an error or the end of a
 * dump stops the receive loop. Errors carry the kernel's extack sentence
 * (NETLINK_EXT_ACK), which is what the user sees.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/gossip.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "gossipadm.h"
#include "nl.h"

#define GNL_MSG_SIZE	(128 * 1024)
#define GNL_ATTR_MAX	(UINT16_MAX - NLA_HDRLEN)	/* payload of one attr */
#define GNL_RCVBUF	(1024 * 1024)
#define DUMP_RETRIES	10

struct gnl {
	struct nl_sock *sk;
	struct nl_cb *cb;	/* the socket's callbacks */
	int family;
	int group;
	gnl_parse_fn parse;
	void *arg;
	/* how the exchange in progress ended */
	bool done;
	bool intr;		/* the dump was interrupted: start again */
	int error;		/* errno reported by the kernel, or ours */
	char ext[256];		/* the kernel's extack message */
	const char *what;	/* the attribute it is about, if known */
	char allowed[64];	/* what its policy allows, if known */
	struct gnl_req *req;	/* the request in flight */
};


/* Building requests: the first failure sticks, gnl_do() reports it. */

void gnl_req_init(struct gnl_req *r, uint8_t cmd, int flags)
{
	r->depth = 0;
	r->err = 0;
	r->nnames = 0;
	/* the family id is filled in when sent */
	r->msg = nlmsg_alloc_size(GNL_MSG_SIZE);
	if (!r->msg || !genlmsg_put(r->msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0,
				    flags, cmd, GOSSIP_GENL_VERSION))
		r->err = ENOMEM;
}

/* The next attribute starts at the tail of the message: name it. */
static void req_name(struct gnl_req *r, const char *what)
{
	struct nlmsghdr *nlh = nlmsg_hdr(r->msg);

	if (!what || r->nnames == GNL_REQ_NAMES)
		return;
	r->names[r->nnames].off = (char *)nlmsg_tail(nlh) - (char *)nlh;
	r->names[r->nnames++].what = what;
}

void gnl_put(struct gnl_req *r, int type, const void *buf, size_t len,
	     const char *what)
{
	if (r->err)
		return;
	req_name(r, what);
	if (len > GNL_ATTR_MAX || nla_put(r->msg, type, len, buf) < 0)
		r->err = EMSGSIZE;
}

void gnl_put_u8(struct gnl_req *r, int type, uint8_t v, const char *what)
{
	gnl_put(r, type, &v, sizeof(v), what);
}

void gnl_put_u16(struct gnl_req *r, int type, uint16_t v, const char *what)
{
	gnl_put(r, type, &v, sizeof(v), what);
}

void gnl_put_u32(struct gnl_req *r, int type, uint32_t v, const char *what)
{
	gnl_put(r, type, &v, sizeof(v), what);
}

void gnl_nest_begin(struct gnl_req *r, int type, const char *what)
{
	if (r->err)
		return;
	if (r->depth == GNL_NEST_DEPTH) {
		r->err = EINVAL;
		return;
	}
	req_name(r, what);
	/* strict validation rejects a nest without NLA_F_NESTED */
	r->nest[r->depth] = nla_nest_start(r->msg, type | NLA_F_NESTED);
	if (!r->nest[r->depth++])
		r->err = EMSGSIZE;
}

void gnl_nest_end(struct gnl_req *r)
{
	struct nlattr *nest;
	char *tail;

	if (r->err || !r->depth)
		return;
	nest = r->nest[--r->depth];
	tail = nlmsg_tail(nlmsg_hdr(r->msg));
	if (tail - (char *)nest > UINT16_MAX)
		r->err = EMSGSIZE;
	else
		nla_nest_end(r->msg, nest);
}

static int req_failed(struct gnl_req *r)
{
	if (r->err == EMSGSIZE)
		errmsg("the request does not fit in a netlink message: an attribute holds at most %d bytes (%s)",
		       GNL_ATTR_MAX, strerror(r->err));
	else
		errmsg("%s", strerror(r->err));
	return -1;
}

int gnl_parse_nest(struct nlattr **tb, int max, struct nlattr *nest,
		   const struct nla_policy *policy)
{
	return nla_parse_nested(tb, max, nest, policy) < 0 ? -EBADMSG : 0;
}

/* Receiving */

static int gnl_stop(struct gnl *g, int error)
{
	g->done = true;
	g->error = error;
	if (error == EBADMSG && !g->ext[0])
		snprintf(g->ext, sizeof(g->ext),
			 "malformed message from the kernel");
	return NL_STOP;
}

/* The name the request gave the attribute at offset off. */
static const char *req_what(struct gnl_req *r, uint32_t off)
{
	unsigned int i;

	for (i = 0; r && i < r->nnames; i++)
		if (r->names[i].off == off)
			return r->names[i].what;
	return NULL;
}

static uint64_t policy_num(struct nlattr *a)
{
	if (!a)
		return 0;
	return nla_len(a) >= 8 ? nla_get_u64(a) : nla_get_u32(a);
}

/*
 * The bounds in the policy of a rejected attribute: ", allowed A..B" for
 * a number, ", allowed A..B bytes" for a length (A is 0 when absent).
 */
static void policy_bounds(struct gnl *g, struct nlattr *policy)
{
	struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];
	struct nlattr *min, *max;
	const char *unit = "";
	int i;

	if (nla_parse_nested(tb, NL_POLICY_TYPE_ATTR_MAX, policy, NULL) < 0)
		return;
	for (i = 0; i <= NL_POLICY_TYPE_ATTR_MAX; i++)
		if (tb[i] && nla_len(tb[i]) < 4)
			return;
	min = tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U];
	max = tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U];
	if (!max) {
		min = tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH];
		max = tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH];
		unit = " bytes";
	}
	if (max)
		snprintf(g->allowed, sizeof(g->allowed),
			 ", allowed %llu..%llu%s",
			 (unsigned long long)policy_num(min),
			 (unsigned long long)policy_num(max), unit);
}

/*
 * A required attribute the request lacked (GENL_REQ_ATTR_CHECK): its name
 * and its set, from the generated tables. The set is the main one, or the
 * one nested in the attribute at offset MISS_NEST of the request in flight.
 */
static void miss_attr(struct gnl *g, struct nlattr **tb)
{
	const struct nlmsghdr *req = g->req ? nlmsg_hdr(g->req->msg) : NULL;
	const struct gnl_set *set = gossip_nests[0];
	uint32_t type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	const struct nlattr *nest;
	uint32_t off;

	if (tb[NLMSGERR_ATTR_MISS_NEST]) {
		set = NULL;	/* unknown unless the offset is sound */
		off = nla_len(tb[NLMSGERR_ATTR_MISS_NEST]) >= 4 ?
		      nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]) : 0;
		if (req && off >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    off + NLA_HDRLEN <= req->nlmsg_len) {
			nest = (const void *)((const char *)req + off);
			if (nla_type(nest) <= GOSSIP_A_MAX)
				set = gossip_nests[nla_type(nest)];
		}
	}
	if (set && type <= set->max && set->attrs[type])
		snprintf(g->ext, sizeof(g->ext), "missing attribute %s (%s)",
			 set->attrs[type], set->name);
	else
		snprintf(g->ext, sizeof(g->ext), "missing attribute %u",
			 (unsigned int)type);
	g->what = NULL;
	g->allowed[0] = '\0';
}

/*
 * The TLVs of an ack, an error or a dump's end start at off in its
 * payload, if NLM_F_ACK_TLVS says there are any: the message, for a
 * rejected attribute its offset in the request and its policy, for a
 * missing one its type and the offset of its nest.
 */
static void gnl_ext_ack(struct gnl *g, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlmsg_datalen(nlh);

	off = NLMSG_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      len - off, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(g->ext, tb[NLMSGERR_ATTR_MSG], sizeof(g->ext));
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		g->what = req_what(g->req, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_POLICY])
		policy_bounds(g, tb[NLMSGERR_ATTR_POLICY]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		miss_attr(g, tb);
}

/* An ack or error echoes the request, or only its header if capped. */
static size_t ack_tlv_offset(struct nlmsghdr *nlh, struct nlmsgerr *e)
{
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	return off;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GOSSIP_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct gnl *g = arg;
	int ret = 0;

	if (nlh->nlmsg_type != g->family)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, GOSSIP_A_MAX, gossip_policy) < 0)
		return gnl_stop(g, EBADMSG);
	if (g->parse)
		ret = g->parse(genlmsg_hdr(nlh)->cmd, tb, g->arg);
	if (ret)
		return gnl_stop(g, ret < 0 ? -ret : 0);
	return NL_OK;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (void *)((char *)e - NLMSG_HDRLEN);
	struct gnl *g = arg;

	(void)nla;
	gnl_ext_ack(g, nlh, ack_tlv_offset(nlh, e));
	return gnl_stop(g, e->error < 0 ? -e->error : EPROTO);
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct gnl *g = arg;

	gnl_ext_ack(g, nlh, ack_tlv_offset(nlh, nlmsg_data(nlh)));
	if (g->ext[0])
		errmsg("warning: %s", g->ext);
	return gnl_stop(g, 0);
}

/* NLMSG_DONE carries the dump's error, if any, and then its TLVs. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct gnl *g = arg;
	int error = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(error))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error < 0)
		gnl_ext_ack(g, nlh, sizeof(error));
	return gnl_stop(g, error < 0 ? -error : 0);
}

static int intr_cb(struct nl_msg *msg, void *arg)
{
	struct gnl *g = arg;

	(void)msg;
	g->intr = true;
	return NL_OK;
}

/*
 * Print how the exchange failed, if it did: the kernel's word first,
 * after the name of the attribute it rejected, before what it allows.
 */
static int gnl_report(struct gnl *g, int nlerr)
{
	if (g->error && g->ext[0])
		errmsg("%s%s%s%s (%s)", g->what ?: "", g->what ? ": " : "",
		       g->ext, g->allowed, strerror(g->error));
	else if (g->error == EPERM)
		errmsg("%s (every command needs CAP_NET_ADMIN)",
		       strerror(g->error));
	else if (g->error)
		errmsg("%s", strerror(g->error));
	else if (nlerr < 0)
		errmsg("netlink: %s", nl_geterror(nlerr));
	else
		return 0;
	return -1;
}

/* Socket */

/* In batch mode one socket serves every command (not the monitor). */
bool gnl_keep_socket;
static struct nl_sock *kept_sk;
static int kept_family;

/* The kept socket belongs to the namespace it was opened in: drop it. */
void gnl_drop_socket(void)
{
	if (kept_sk)
		nl_socket_free(kept_sk);
	kept_sk = NULL;
}

static void gnl_close(struct gnl *g)
{
	nl_cb_put(g->cb);
	if (g->sk != kept_sk)
		nl_socket_free(g->sk);
}

static int gnl_resolve(struct gnl *g, const char *group)
{
	g->family = genl_ctrl_resolve(g->sk, GOSSIP_GENL_NAME);
	if (g->family == -NLE_OBJ_NOTFOUND) {
		fprintf(stderr, PROG ": generic netlink family \"%s\" not found: is gossip.ko loaded?\n",
			GOSSIP_GENL_NAME);
		return -1;
	}
	if (g->family < 0) {
		errmsg("cannot resolve generic netlink family \"%s\": %s",
		       GOSSIP_GENL_NAME, nl_geterror(g->family));
		return -1;
	}
	if (!group)
		return 0;
	g->group = genl_ctrl_resolve_grp(g->sk, GOSSIP_GENL_NAME, group);
	if (g->group < 0) {
		errmsg("multicast group \"%s\" of family \"%s\" not found: %s",
		       group, GOSSIP_GENL_NAME, nl_geterror(g->group));
		return -1;
	}
	return 0;
}

static void gnl_set_callbacks(struct gnl *g)
{
	struct nl_sock *sk = g->sk;

	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, g);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, g);
	nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, g);
	nl_socket_modify_cb(sk, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_cb, g);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, err_cb, g);
	g->cb = nl_socket_get_cb(sk);
}

/* Receive and handle what is there (blocking); nothing means EOF. */
static int gnl_recv(struct gnl *g)
{
	int n = nl_recvmsgs_report(g->sk, g->cb);

	return n ? n : -NLE_BAD_SOCK;
}

struct family_version {
	int version;
	bool done;
};

static int family_version_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_version *fv = arg;

	if (!genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) &&
	    tb[CTRL_ATTR_VERSION])
		fv->version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	return NL_OK;
}

static int family_version_ack(struct nl_msg *msg, void *arg)
{
	struct family_version *fv = arg;

	(void)msg;
	fv->done = true;
	return NL_STOP;
}

/*
 * The version of the family the kernel registered (CTRL_ATTR_VERSION of
 * the controller's answer): > 0, 0 when there is no such family, or a
 * negative libnl error. Like any request for the family, this loads
 * gossip.ko when it can (its genl family alias).
 */
int gnl_family_version(void)
{
	struct family_version fv = { 0 };
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = NULL;
	int err;

	if (!sk)
		return -NLE_NOMEM;
	err = genl_connect(sk);
	if (!err) {
		msg = nlmsg_alloc();
		err = msg ? 0 : -NLE_NOMEM;
	}
	if (!err && (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL,
				  0, 0, CTRL_CMD_GETFAMILY, 1) ||
		     nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
				    GOSSIP_GENL_NAME)))
		err = -NLE_NOMEM;
	if (!err) {
		nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM,
				    family_version_cb, &fv);
		nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM,
				    family_version_ack, &fv);
		err = nl_send_auto(sk, msg);
	}
	/* the answer, then the ack (or the error alone) */
	while (err >= 0 && !fv.done)
		err = nl_recvmsgs_default(sk);
	nlmsg_free(msg);
	nl_socket_free(sk);
	if (err == -NLE_OBJ_NOTFOUND)
		return 0;
	return err < 0 ? err : fv.version;
}

/* Connect, resolve the family (and group), ask for extended acks. */
static int gnl_open(struct gnl *g, const char *group)
{
	int one = 1, fd, err;

	if (kept_sk && !group) {
		g->sk = kept_sk;
		g->family = kept_family;
		gnl_set_callbacks(g);
		return 0;
	}
	g->sk = nl_socket_alloc();
	if (!g->sk) {
		errmsg("%s", strerror(ENOMEM));
		return -1;
	}
	err = genl_connect(g->sk);
	if (err < 0) {
		errmsg("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		goto fail;
	}
	if (gnl_resolve(g, group))
		goto fail;
	/* Best effort: without extack, errors are only strerror(). */
	fd = nl_socket_get_fd(g->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_enable_msg_peek(g->sk);
	gnl_set_callbacks(g);
	if (gnl_keep_socket && !group) {
		kept_sk = g->sk;
		kept_family = g->family;
	}
	return 0;
fail:
	gnl_close(g);
	return -1;
}

/* Send r and run the callbacks until the ack, the error or the end. */
static int gnl_exchange(struct gnl *g, struct gnl_req *r)
{
	int err;

	g->done = false;
	g->intr = false;
	g->error = 0;
	g->ext[0] = '\0';
	g->what = NULL;
	g->allowed[0] = '\0';
	g->req = r;
	nlmsg_hdr(r->msg)->nlmsg_type = g->family;
	err = nl_send_auto(g->sk, r->msg);
	while (err >= 0 && !g->done)
		err = gnl_recv(g);
	return gnl_report(g, err);
}

static int exit_status(int ret)
{
	return ret ? EXIT_FAIL : EXIT_OK;
}

int gnl_do(struct gnl_req *r, gnl_parse_fn parse, void *arg)
{
	struct gnl g = { .parse = parse, .arg = arg };
	int ret;

	if (r->err)
		ret = req_failed(r);
	else
		ret = gnl_open(&g, NULL);
	if (!ret) {
		ret = gnl_exchange(&g, r);
		gnl_close(&g);
	}
	nlmsg_free(r->msg);
	return exit_status(ret);
}

int gnl_cmd(uint8_t cmd, gnl_parse_fn parse, void *arg)
{
	struct gnl_req r;

	gnl_req_init(&r, cmd, 0);
	return gnl_do(&r, parse, arg);
}

/* One dump; g->intr says whether it must be done again. */
static int gnl_dump_once(struct gnl *g, uint8_t cmd)
{
	struct gnl_req r;
	int ret;

	gnl_req_init(&r, cmd, NLM_F_DUMP);
	ret = r.err ? req_failed(&r) : gnl_exchange(g, &r);
	nlmsg_free(r.msg);
	return ret;
}

int gnl_dump(uint8_t cmd, gnl_parse_fn parse, gnl_reset_fn reset, void *arg)
{
	struct gnl g = { .parse = parse, .arg = arg };
	int ret, tries;

	if (gnl_open(&g, NULL))
		return EXIT_FAIL;
	for (tries = 0; tries <= DUMP_RETRIES; tries++) {
		if (tries)
			reset(arg);
		ret = gnl_dump_once(&g, cmd);
		if (ret || !g.intr)
			goto out;
	}
	errmsg("the data kept changing during the dump: interrupted %d times, giving up",
	       tries);
	ret = -1;
out:
	gnl_close(&g);
	return exit_status(ret);
}

/* Monitor */

static volatile sig_atomic_t stop_listening;

static void on_signal(int sig)
{
	(void)sig;
	stop_listening = 1;
}

/*
 * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so they
 * end the loop between two messages and never in the middle of one.
 */
static void catch_signals(sigset_t *waitmask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int gnl_wait_events(struct gnl *g, sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(g->sk), .events = POLLIN };
	int err = 0;

	while (!stop_listening && !g->done) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			errmsg("poll: %s", strerror(errno));
			return -1;
		}
		err = gnl_recv(g);
		if (err == -NLE_NOMEM && errno == ENOBUFS) {
			errmsg("warning: events were lost: the receive buffer overflowed");
			err = 0;
		} else if (err < 0) {
			break;
		}
	}
	return gnl_report(g, err);
}

int gnl_listen(const char *group, gnl_parse_fn parse, void *arg)
{
	struct gnl g = { .parse = parse, .arg = arg };
	sigset_t waitmask;
	int err, ret = -1;

	catch_signals(&waitmask);
	if (gnl_open(&g, group))
		return EXIT_FAIL;
	nl_socket_disable_seq_check(g.sk);
	nl_socket_set_buffer_size(g.sk, GNL_RCVBUF, 0);
	err = nl_socket_add_membership(g.sk, g.group);
	if (err == -NLE_PERM)
		errmsg("cannot join multicast group \"%s\": %s (it needs CAP_NET_ADMIN)",
		       group, nl_geterror(err));
	else if (err < 0)
		errmsg("cannot join multicast group \"%s\": %s", group,
		       nl_geterror(err));
	else
		ret = gnl_wait_events(&g, &waitmask);
	gnl_close(&g);
	return exit_status(ret);
}
