/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracepoints of gossip.ko, in /sys/kernel/tracing/events/gossip/:
 *
 *   gossip_round_start    a round fires: mode, configured peers
 *   gossip_round_end      it is over: peers its datagrams went to, datagrams
 *                         sent
 *   gossip_dgram_sent     a datagram left: destination, type, UDP payload
 *                         bytes (sealed or labelled, as sent)
 *   gossip_dgram_recv     a datagram arrived: source, type (as the header
 *                         says before anything is checked; 0 if too short
 *                         for one), bytes
 *   gossip_entry_applied  a received entry was newer than ours and stored:
 *                         origin, version, key length
 *   gossip_dgram_drop     a received datagram was dropped: source and the
 *                         counter it was counted in (rx_err_magic, ...)
 *
 * Every event carries the network namespace's inode number (netns), which
 * tells the instances apart. Built out of tree: TRACE_INCLUDE_PATH is this
 * directory (the Kbuild adds it to the include path), CREATE_TRACE_POINTS
 * is defined in main.c alone.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gossip

#if !defined(_GOSSIP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GOSSIP_TRACE_H

#include <linux/in6.h>
#include <linux/tracepoint.h>

#include "gossip.h"
#include "wire.h"

/* The datagram types, printed by name. */
#define gossip_show_type(t)						\
	__print_symbolic(t,						\
			 { GOSSIP_MSG_PUSH, "push" },			\
			 { GOSSIP_MSG_PULL_REQ, "pull_req" },		\
			 { GOSSIP_MSG_PUSHPULL_REQ, "pushpull_req" },	\
			 { GOSSIP_MSG_PULL_REPLY, "pull_reply" },	\
			 { GOSSIP_MSG_SUMMARY, "summary" },		\
			 { GOSSIP_MSG_IHAVE, "ihave" },			\
			 { GOSSIP_MSG_IWANT, "iwant" },			\
			 { GOSSIP_MSG_TREE, "tree" },			\
			 { GOSSIP_MSG_PRUNE, "prune" },			\
			 { GOSSIP_MSG_GRAFT, "graft" })

#define gossip_show_mode(m)						\
	__print_symbolic(m,						\
			 { GOSSIP_MODE_PUSH, "push" },			\
			 { GOSSIP_MODE_PULL, "pull" },			\
			 { GOSSIP_MODE_PUSHPULL, "pushpull" })

/* The drop reasons: the counters a dropped datagram is counted in. */
#define GOSSIP_DROP_REASONS						\
	EM(GOSSIP_STATS_A_RX_ERR_SHORT, "rx_err_short")			\
	EM(GOSSIP_STATS_A_RX_ERR_MAGIC, "rx_err_magic")			\
	EM(GOSSIP_STATS_A_RX_ERR_VERSION, "rx_err_version")		\
	EM(GOSSIP_STATS_A_RX_ERR_TYPE, "rx_err_type")			\
	EM(GOSSIP_STATS_A_RX_ERR_LENGTH, "rx_err_length")		\
	EM(GOSSIP_STATS_A_RX_ERR_ENTRY, "rx_err_entry")			\
	EM(GOSSIP_STATS_A_RX_ERR_NOMEM, "rx_err_nomem")			\
	EM(GOSSIP_STATS_A_RX_ERR_UNAUTH, "rx_err_unauth")		\
	EM(GOSSIP_STATS_A_RX_ERR_AUTH, "rx_err_auth")			\
	EM(GOSSIP_STATS_A_RX_ERR_REPLAY, "rx_err_replay")		\
	EM(GOSSIP_STATS_A_RX_ERR_LABEL, "rx_err_label")			\
	EM(GOSSIP_STATS_A_RX_ERR_RATELIMIT, "rx_err_ratelimit")		\
	EMe(GOSSIP_STATS_A_RX_ERR_SIZE, "rx_err_size")

/* Their values, for the tools that parse the format file. */
#undef EM
#undef EMe
#define EM(a, b)	TRACE_DEFINE_ENUM(a);
#define EMe(a, b)	TRACE_DEFINE_ENUM(a);
GOSSIP_DROP_REASONS
TRACE_DEFINE_ENUM(GOSSIP_MSG_PUSH);
TRACE_DEFINE_ENUM(GOSSIP_MSG_PULL_REQ);
TRACE_DEFINE_ENUM(GOSSIP_MSG_PUSHPULL_REQ);
TRACE_DEFINE_ENUM(GOSSIP_MSG_PULL_REPLY);
TRACE_DEFINE_ENUM(GOSSIP_MSG_SUMMARY);
TRACE_DEFINE_ENUM(GOSSIP_MSG_IHAVE);
TRACE_DEFINE_ENUM(GOSSIP_MSG_IWANT);
TRACE_DEFINE_ENUM(GOSSIP_MSG_TREE);
TRACE_DEFINE_ENUM(GOSSIP_MSG_PRUNE);
TRACE_DEFINE_ENUM(GOSSIP_MSG_GRAFT);
TRACE_DEFINE_ENUM(GOSSIP_MODE_PUSH);
TRACE_DEFINE_ENUM(GOSSIP_MODE_PULL);
TRACE_DEFINE_ENUM(GOSSIP_MODE_PUSHPULL);

#undef EM
#undef EMe
#define EM(a, b)	{ a, b },
#define EMe(a, b)	{ a, b }

TRACE_EVENT(gossip_round_start,
	TP_PROTO(const struct gossip_net *gn, u32 mode, u32 peers),
	TP_ARGS(gn, mode, peers),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, mode)
		__field(u32, peers)
	),
	TP_fast_assign(
		__entry->netns = gn->net->ns.inum;
		__entry->mode = mode;
		__entry->peers = peers;
	),
	TP_printk("netns=%u mode=%s peers=%u", __entry->netns,
		  gossip_show_mode(__entry->mode), __entry->peers)
);

TRACE_EVENT(gossip_round_end,
	TP_PROTO(const struct gossip_net *gn, u32 mode, u32 picked,
		 u32 dgrams),
	TP_ARGS(gn, mode, picked, dgrams),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, mode)
		__field(u32, picked)
		__field(u32, dgrams)
	),
	TP_fast_assign(
		__entry->netns = gn->net->ns.inum;
		__entry->mode = mode;
		__entry->picked = picked;
		__entry->dgrams = dgrams;
	),
	TP_printk("netns=%u mode=%s picked=%u dgrams=%u", __entry->netns,
		  gossip_show_mode(__entry->mode), __entry->picked,
		  __entry->dgrams)
);

/* A datagram and its peer: the address is copied into the event. */
DECLARE_EVENT_CLASS(gossip_dgram,
	TP_PROTO(const struct gossip_net *gn,
		 const union gossip_sockaddr *addr, u8 type, u32 len),
	TP_ARGS(gn, addr, type, len),
	TP_STRUCT__entry(
		__field(u32, netns)
		__array(u8, addr, sizeof(struct sockaddr_in6))
		__field(u8, type)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->netns = gn->net->ns.inum;
		memcpy(__entry->addr, addr, sizeof(struct sockaddr_in6));
		__entry->type = type;
		__entry->len = len;
	),
	TP_printk("netns=%u addr=%pISpc type=%s len=%u", __entry->netns,
		  __entry->addr, gossip_show_type(__entry->type),
		  __entry->len)
);

DEFINE_EVENT(gossip_dgram, gossip_dgram_sent,
	TP_PROTO(const struct gossip_net *gn,
		 const union gossip_sockaddr *addr, u8 type, u32 len),
	TP_ARGS(gn, addr, type, len)
);

DEFINE_EVENT(gossip_dgram, gossip_dgram_recv,
	TP_PROTO(const struct gossip_net *gn,
		 const union gossip_sockaddr *addr, u8 type, u32 len),
	TP_ARGS(gn, addr, type, len)
);

TRACE_EVENT(gossip_entry_applied,
	TP_PROTO(const struct gossip_net *gn, u32 origin, u64 version,
		 u8 key_len),
	TP_ARGS(gn, origin, version, key_len),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, origin)
		__field(u64, version)
		__field(u8, key_len)
	),
	TP_fast_assign(
		__entry->netns = gn->net->ns.inum;
		__entry->origin = origin;
		__entry->version = version;
		__entry->key_len = key_len;
	),
	TP_printk("netns=%u origin=%u version=%llu key_len=%u",
		  __entry->netns, __entry->origin, __entry->version,
		  __entry->key_len)
);

TRACE_EVENT(gossip_dgram_drop,
	TP_PROTO(const struct gossip_net *gn,
		 const union gossip_sockaddr *addr, int reason),
	TP_ARGS(gn, addr, reason),
	TP_STRUCT__entry(
		__field(u32, netns)
		__array(u8, addr, sizeof(struct sockaddr_in6))
		__field(int, reason)
	),
	TP_fast_assign(
		__entry->netns = gn->net->ns.inum;
		memcpy(__entry->addr, addr, sizeof(struct sockaddr_in6));
		__entry->reason = reason;
	),
	TP_printk("netns=%u addr=%pISpc reason=%s", __entry->netns,
		  __entry->addr,
		  __print_symbolic(__entry->reason, GOSSIP_DROP_REASONS))
);

#endif /* _GOSSIP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
