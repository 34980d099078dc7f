/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/* Do not edit: generated from
 * Documentation/netlink/specs/gossip.yaml
 * by scripts/netlink-gen.py.
 */

/*
 * Epidemic dissemination of key/value updates, one instance per network
 * namespace. Integers are host byte order, addresses network byte order;
 * booleans are u8 0 or 1. Every command, those that only read included,
 * and joining the multicast group need CAP_NET_ADMIN in the user namespace
 * that owns the network namespace (values may be secrets). Every change is
 * announced on the multicast group "events" with the command that made it;
 * entries received from the network are announced as entry-ntf.
 */
#ifndef _UAPI_LINUX_GOSSIP_H
#define _UAPI_LINUX_GOSSIP_H

#define GOSSIP_GENL_NAME	"gossip"
#define GOSSIP_GENL_VERSION	2

/*
 * Version 2: object-verb command names (CONFIG_GET, INSTANCE_UP,
 * ENTRY_PUBLISH, ENTRY_DEL, ...); authentication keys are AUTHKEY
 * (GOSSIP_CMD_AUTHKEY_*, GOSSIP_A_AUTHKEY, GOSSIP_AUTHKEY_A_*); every
 * boolean is a u8 0 or 1 (LOCKSTEP, EAGER, AUTHKEY PRIMARY, ENTRY
 * DELETED were u32 or flag); internal constants left this header;
 * missing attributes are reported with NLMSGERR_ATTR_MISS_TYPE.
 */

/* Bytes in an entry key, at least 1. */
#define GOSSIP_KEY_MAX	64
/* Bytes in a value, may be 0. */
#define GOSSIP_VALUE_MAX	1024
/* Peers per instance, and per peer-add or peer-del request. */
#define GOSSIP_PEERS_MAX	1024
#define GOSSIP_FANOUT_MIN	1
#define GOSSIP_FANOUT_MAX	16
#define GOSSIP_INTERVAL_MIN_MS	1
#define GOSSIP_INTERVAL_MAX_MS	60000
/* Any single entry fits in a datagram of this size. */
#define GOSSIP_DGRAM_MIN	1200
#define GOSSIP_DGRAM_MAX	65000
#define GOSSIP_TOMBSTONE_MIN_MS	10
/* A day. */
#define GOSSIP_TOMBSTONE_MAX_MS	86400000
/* Authentication keys per instance. */
#define GOSSIP_AUTHKEYS_MAX	4
/* Bytes in an authentication key's secret. */
#define GOSSIP_SECRET_LEN	32
/* Bytes in a cluster label, may be 0. */
#define GOSSIP_LABEL_MAX	64
#define GOSSIP_STORE_BYTES_MIN	4096
/* 64 MiB. */
#define GOSSIP_STORE_BYTES_MAX	67108864
#define GOSSIP_REJECT_RATE_MAX	1000000
#define GOSSIP_MAX_SKEW_MIN_MS	1
/* A day. */
#define GOSSIP_MAX_SKEW_MAX_MS	86400000
/* The settings of a new instance, from here to default-max-skew-ms. */
#define GOSSIP_DEFAULT_PORT	7946
#define GOSSIP_DEFAULT_FANOUT	3
#define GOSSIP_DEFAULT_INTERVAL_MS	200
#define GOSSIP_DEFAULT_DGRAM	1400
#define GOSSIP_DEFAULT_TOMBSTONE_MS	60000
/* 16 MiB. */
#define GOSSIP_DEFAULT_STORE_BYTES	16777216
/* Rejected datagrams per source and second. */
#define GOSSIP_DEFAULT_REJECT_RATE	100
#define GOSSIP_DEFAULT_MAX_SKEW_MS	60000

/* How an instance spreads what it holds. */
enum gossip_mode {
	/* Informed nodes send their hot rumors. */
	GOSSIP_MODE_PUSH = 1,
	/* Nodes send a digest and get back what they lack. */
	GOSSIP_MODE_PULL,
	/* Both in one exchange. */
	GOSSIP_MODE_PUSHPULL,

	__GOSSIP_MODE_MAX,
	GOSSIP_MODE_MAX = (__GOSSIP_MODE_MAX - 1)
};

enum gossip_attrs {
	GOSSIP_A_UNSPEC,
	/* The mode (enum gossip_mode). (u32, 1..3) */
	GOSSIP_A_MODE,
	/* Peers each round sends to. (u32, 1..16) */
	GOSSIP_A_FANOUT,
	/* Time between two rounds, ms. (u32, 1..60000) */
	GOSSIP_A_INTERVAL_MS,
	/* UDP port, host order; not while up. (u16, 1..65535) */
	GOSSIP_A_PORT,
	/* This node's id, not 0; not while up. (u32, 1..4294967295) */
	GOSSIP_A_NODE_ID,
	/* Bytes of UDP payload in a datagram, sent or read. (u32, 1200..65000) */
	GOSSIP_A_MAX_DGRAM,
	/* 1 when up (read only). (u8) */
	GOSSIP_A_RUNNING,
	/* One peer. (nest) */
	GOSSIP_A_PEER,
	/* One entry. (nest) */
	GOSSIP_A_ENTRY,
	/* The counters (read only). (nest) */
	GOSSIP_A_STATS,
	GOSSIP_A_PAD,
	/* How long a tombstone is kept, ms. (u32, 10..86400000) */
	GOSSIP_A_TOMBSTONE_MS,
	/*
	 * 1: rounds on multiples of the interval of CLOCK_MONOTONIC, no
	 * jitter; all instances of one kernel run in lockstep, as the
	 * synchronous model of the theory does. (u8, 0..1)
	 */
	GOSSIP_A_LOCKSTEP,
	/* One authentication key. (nest) */
	GOSSIP_A_AUTHKEY,
	/*
	 * The cluster label, 0 .. label-max bytes; datagrams of another label
	 * are dropped. Settable at any time. (binary, 0..64 bytes)
	 */
	GOSSIP_A_LABEL,
	/*
	 * 1 when the instance has a key and seals what it sends (read only).
	 * (u8)
	 */
	GOSSIP_A_AUTH,
	/*
	 * 1: forward a received value that is newer than ours at once, from
	 * the receive path, to fanout peers (push and push-pull; default 1).
	 * (u8, 0..1)
	 */
	GOSSIP_A_EAGER,
	/*
	 * Cap on the bytes of keys and values the store holds. (u32,
	 * 4096..67108864)
	 */
	GOSSIP_A_STORE_BYTES,
	/*
	 * Rejected datagrams per second one source may send before all of its
	 * datagrams are dropped unread (token bucket, burst twice the rate);
	 * 0: no limit. (u32, 0..1000000)
	 */
	GOSSIP_A_REJECT_RATE,
	/*
	 * 1 .. peers-max peer nests: peer-add and peer-del of many peers in
	 * one request, all of them or none. (nest)
	 */
	GOSSIP_A_PEERS,
	/*
	 * How far (ms) a received version may be ahead of this node's wall
	 * clock; one further ahead is refused. (u32, 1..86400000)
	 */
	GOSSIP_A_MAX_SKEW_MS,

	__GOSSIP_A_MAX,
	GOSSIP_A_MAX = (__GOSSIP_A_MAX - 1)
};

enum gossip_peer_attrs {
	GOSSIP_PEER_A_UNSPEC,
	/* IPv4 address, network order. (binary, 4 bytes) */
	GOSSIP_PEER_A_ADDR4,
	/* IPv6 address, network order. (binary, 16 bytes) */
	GOSSIP_PEER_A_ADDR6,
	/* UDP port, host order, not 0. (u16, 1..65535) */
	GOSSIP_PEER_A_PORT,
	GOSSIP_PEER_A_PAD,
	/*
	 * Datagrams received from the peer's address and port while up, valid
	 * or not (read only). Counters of a peer count from when it was added
	 * and go on when other peers are added or removed. (u64)
	 */
	GOSSIP_PEER_A_RX_DGRAMS,
	/* Their UDP payload bytes (read only). (u64) */
	GOSSIP_PEER_A_RX_BYTES,
	/*
	 * Datagrams sent to the peer: rounds, eager forwarding and replies
	 * (read only). (u64)
	 */
	GOSSIP_PEER_A_TX_DGRAMS,
	/* Their UDP payload bytes, as sent (read only). (u64) */
	GOSSIP_PEER_A_TX_BYTES,
	/*
	 * Datagrams from the peer's address that failed authentication: sealed
	 * and not opened by any key of ours, in the clear while this instance
	 * has keys, or replayed (read only). (u64)
	 */
	GOSSIP_PEER_A_AUTH_FAILS,
	/*
	 * Milliseconds since the last datagram from the peer that passed every
	 * check; absent if none has yet (read only). (u64)
	 */
	GOSSIP_PEER_A_LAST_RX_MS,
	/*
	 * 1 if a reply datagram came from the peer after the last digest this
	 * node sent it, 0 if none has yet; absent before the first digest
	 * (read only). A peer that holds nothing this node lacks sends no
	 * reply, so 0 is also what a peer in sync shows. (u8)
	 */
	GOSSIP_PEER_A_ANSWERED,
	/*
	 * 1 if the peer is a link of this node's eager tree: with eager on, in
	 * push and pushpull, what is new to this node is pushed to it at once,
	 * values and all (a TREE datagram); 0 if it is only announced to (read
	 * only). (u8)
	 */
	GOSSIP_PEER_A_TREE,

	__GOSSIP_PEER_A_MAX,
	GOSSIP_PEER_A_MAX = (__GOSSIP_PEER_A_MAX - 1)
};

enum gossip_authkey_attrs {
	GOSSIP_AUTHKEY_A_UNSPEC,
	/* The key's id, 1 .. 255. (u8, 1..255) */
	GOSSIP_AUTHKEY_A_ID,
	/* The secret, secret-len bytes (write only). (binary, 32 bytes) */
	GOSSIP_AUTHKEY_A_SECRET,
	/* 1 for the key datagrams are sealed with (read only). (u8) */
	GOSSIP_AUTHKEY_A_PRIMARY,

	__GOSSIP_AUTHKEY_A_MAX,
	GOSSIP_AUTHKEY_A_MAX = (__GOSSIP_AUTHKEY_A_MAX - 1)
};

enum gossip_entry_attrs {
	GOSSIP_ENTRY_A_UNSPEC,
	/* The key, 1 .. key-max bytes. (binary, 1..64 bytes) */
	GOSSIP_ENTRY_A_KEY,
	/* The value, 0 .. value-max bytes. (binary, 0..1024 bytes) */
	GOSSIP_ENTRY_A_VALUE,
	/* Node id of the publisher (read only). (u32) */
	GOSSIP_ENTRY_A_ORIGIN,
	/* Version, a hybrid logical clock value (read only). (u64) */
	GOSSIP_ENTRY_A_VERSION,
	GOSSIP_ENTRY_A_PAD,
	/* CLOCK_MONOTONIC ns when this node stored it (read only). (u64) */
	GOSSIP_ENTRY_A_STAMP_NS,
	/* 1 for a tombstone (read only). (u8) */
	GOSSIP_ENTRY_A_DELETED,

	__GOSSIP_ENTRY_A_MAX,
	GOSSIP_ENTRY_A_MAX = (__GOSSIP_ENTRY_A_MAX - 1)
};

/*
 * Statistics, all u64. Counters only grow; peers, entries, tombstones,
 * mem-bytes, store-bytes and the round-late ones are gauges, tx-largest
 * a maximum. The same numbers are in
 * /sys/class/gossip/gossip/stats/NAME, NAME the attribute's name with
 * '_' for '-'.
 */
enum gossip_stats_attrs {
	GOSSIP_STATS_A_UNSPEC,
	GOSSIP_STATS_A_PAD,
	/* Timer rounds run. (u64) */
	GOSSIP_STATS_A_ROUNDS,
	/* Datagrams sent. (u64) */
	GOSSIP_STATS_A_TX_DGRAMS,
	/* UDP payload bytes sent. (u64) */
	GOSSIP_STATS_A_TX_BYTES,
	/* Datagrams that could not be sent. (u64) */
	GOSSIP_STATS_A_TX_ERRORS,
	/* Datagrams received (valid or not). (u64) */
	GOSSIP_STATS_A_RX_DGRAMS,
	/* UDP payload bytes received. (u64) */
	GOSSIP_STATS_A_RX_BYTES,
	/* Local publishes. (u64) */
	GOSSIP_STATS_A_RUMORS_PUBLISHED,
	/* Received entries newer than ours. (u64) */
	GOSSIP_STATS_A_RUMORS_APPLIED,
	/* Received entries not newer. (u64) */
	GOSSIP_STATS_A_RUMORS_DUPLICATE,
	/* Shorter than a header. (u64) */
	GOSSIP_STATS_A_RX_ERR_SHORT,
	/* Wrong magic. (u64) */
	GOSSIP_STATS_A_RX_ERR_MAGIC,
	/* Unknown wire version. (u64) */
	GOSSIP_STATS_A_RX_ERR_VERSION,
	/* Unknown datagram or record type. (u64) */
	GOSSIP_STATS_A_RX_ERR_TYPE,
	/* A length that lies about the size. (u64) */
	GOSSIP_STATS_A_RX_ERR_LENGTH,
	/* An entry with invalid fields. (u64) */
	GOSSIP_STATS_A_RX_ERR_ENTRY,
	/* New entry dropped: store full. (u64) */
	GOSSIP_STATS_A_RX_ERR_FULL,
	/* Dropped: allocation failed. (u64) */
	GOSSIP_STATS_A_RX_ERR_NOMEM,
	/* Gauge: configured peers. (u64) */
	GOSSIP_STATS_A_PEERS,
	/* Gauge: entries in the store. (u64) */
	GOSSIP_STATS_A_ENTRIES,
	/* Digests sent (pull, push-pull, and push-mode anti-entropy). (u64) */
	GOSSIP_STATS_A_TX_REQUESTS,
	/* Digests received. (u64) */
	GOSSIP_STATS_A_RX_REQUESTS,
	/* Reply datagrams sent. (u64) */
	GOSSIP_STATS_A_TX_REPLIES,
	/* Gauge: tombstones in the store. (u64) */
	GOSSIP_STATS_A_TOMBSTONES,
	/* Tombstones dropped after tombstone-ms. (u64) */
	GOSSIP_STATS_A_TOMBSTONES_COLLECTED,
	/* The largest datagram sent (bytes). (u64) */
	GOSSIP_STATS_A_TX_LARGEST,
	/* Not sealed, and this instance has keys. (u64) */
	GOSSIP_STATS_A_RX_ERR_UNAUTH,
	/* Sealed, and no key of ours opens it (or we have no key). (u64) */
	GOSSIP_STATS_A_RX_ERR_AUTH,
	/*
	 * Authentic, but its counter was seen already or is older than the
	 * window. (u64)
	 */
	GOSSIP_STATS_A_RX_ERR_REPLAY,
	/* In the clear, with another cluster label than ours. (u64) */
	GOSSIP_STATS_A_RX_ERR_LABEL,
	/*
	 * Dropped unread: its source sent more rejected datagrams than
	 * reject-rate allows. (u64)
	 */
	GOSSIP_STATS_A_RX_ERR_RATELIMIT,
	/*
	 * Gauge: bytes the instance has allocated (store, origins, peers,
	 * replay windows, keys). (u64)
	 */
	GOSSIP_STATS_A_MEM_BYTES,
	/* Gauge: bytes of keys and values stored, what store-bytes caps. (u64) */
	GOSSIP_STATS_A_STORE_BYTES,
	/*
	 * Datagrams forwarded eagerly, one per peer a forward or a local
	 * publish went to: with eager on, TREEs (also in tx-tree) and IHAVEs
	 * (also in tx-ihave). (u64)
	 */
	GOSSIP_STATS_A_TX_EAGER,
	/* Gauge: lateness of the rounds (fired - due), median, us. (u64) */
	GOSSIP_STATS_A_ROUND_LATE_P50_US,
	/* Gauge: 99th percentile, us. (u64) */
	GOSSIP_STATS_A_ROUND_LATE_P99_US,
	/* Gauge: the latest round, us. (u64) */
	GOSSIP_STATS_A_ROUND_LATE_MAX_US,
	/* Ns spent in rounds (timer). (u64) */
	GOSSIP_STATS_A_ROUND_NS,
	/* Ns spent on received datagrams. (u64) */
	GOSSIP_STATS_A_RX_NS,
	/*
	 * Entries or marks refused: their version is more than max-skew-ms
	 * ahead of this node's clock. (u64)
	 */
	GOSSIP_STATS_A_RX_ERR_FUTURE,
	/*
	 * Entries refused: a new origin from an unauthenticated source that is
	 * not a peer, past the cap. (u64)
	 */
	GOSSIP_STATS_A_RX_ERR_ORIGIN,
	/* Datagrams longer than max-dgram, dropped before they are read. (u64) */
	GOSSIP_STATS_A_RX_ERR_SIZE,
	/*
	 * Digests, summaries, IHAVEs and IWANTs from a source that is not a
	 * configured peer: not answered. (u64)
	 */
	GOSSIP_STATS_A_RX_REQ_STRANGER,
	/*
	 * Replies cut short or withheld: the asker's byte budget was spent.
	 * (u64)
	 */
	GOSSIP_STATS_A_TX_REPLY_CUT,
	/*
	 * Replay windows of idle senders dropped to make room for new ones.
	 * (u64)
	 */
	GOSSIP_STATS_A_REPLAY_EVICTED,
	/*
	 * Tombstones collected at the hard limit without every peer having
	 * shown that it holds them. (u64)
	 */
	GOSSIP_STATS_A_TOMBSTONES_EXPIRED,
	/*
	 * Summaries sent: with eager on, a node that has had nothing new for a
	 * hot window sends one to one peer about once a second instead of its
	 * rounds' datagrams. (u64)
	 */
	GOSSIP_STATS_A_TX_SUMMARIES,
	/*
	 * Summaries from peers that equalled this node's own: in sync; they
	 * ack tombstones as the peer's digest would. (u64)
	 */
	GOSSIP_STATS_A_RX_SUM_MATCH,
	/*
	 * Summaries from peers that differed from this node's own: answered
	 * with this node's digest, and its own summary. (u64)
	 */
	GOSSIP_STATS_A_RX_SUM_DIFFER,
	/*
	 * IHAVE datagrams sent: with eager on, a node announces new entries
	 * (key, version and origin, no value) instead of pushing them, when it
	 * forwards an entry it just learned and in its push-mode hot rounds.
	 * Pushpull digests and the answers to digests carry such announcements
	 * too (REF records): not counted here. (u64)
	 */
	GOSSIP_STATS_A_TX_IHAVE,
	/*
	 * IWANT datagrams sent: requests to a configured peer that announced
	 * entries this node lacked and had not asked for lately (within the
	 * time its IWANTs' answers take on average plus four times their mean
	 * deviation, at least twice the average, at least 1 ms and at most
	 * half an interval; an eighth of the interval before any answer came).
	 * (u64)
	 */
	GOSSIP_STATS_A_TX_IWANT,
	/*
	 * Datagrams (PUSH) sent in answer to a configured peer's IWANT,
	 * carrying the entries it asked for; charged to its reply credit when
	 * it did not authenticate (tx-reply-cut when one left out something
	 * for want of it). (u64)
	 */
	GOSSIP_STATS_A_TX_FETCHED,
	/*
	 * Digests sent to pay ahead: after a configured peer's answer that
	 * said it was cut short for want of credit (a PAD last) and brought
	 * something new, the next round sends that peer this node's digest
	 * padded with the answer's length. Also counted in tx-requests. (u64)
	 */
	GOSSIP_STATS_A_TX_PAID,
	/*
	 * Bytes of padding (PAD records' bodies) in the digests of tx-paid.
	 * (u64)
	 */
	GOSSIP_STATS_A_TX_PAID_BYTES,
	/*
	 * IWANTs sent again, to another peer: an entry asked for got no answer
	 * within the wait of tx-iwant, and another configured peer had
	 * announced the same entry since. Also counted in tx-iwant. (u64)
	 */
	GOSSIP_STATS_A_TX_IWANT_RETRY,
	/*
	 * Gauge: while this node's life waits (from its first publish since it
	 * came up or took another node id, until every configured peer has
	 * shown that it holds no more of this node's origin than this node
	 * does, or 10 x tombstone-ms have passed), the configured peers that
	 * have not shown it yet; 0 when it does not wait (and while it waits
	 * with no peer configured). While it waits a publish raises no mark
	 * for the node's own origin and a quiet node asks for acks in its
	 * summaries. (u64)
	 */
	GOSSIP_STATS_A_LIFE_ACKS_LEFT,
	/*
	 * MARK records of a reply from a source that is neither a configured
	 * peer nor authenticated: not applied. No node sends a stranger a
	 * digest, so a stranger has nothing to answer; a forged MARK would
	 * have raised an origin's mark, and the node would never have asked
	 * again for that origin's entries below it, nor taken new ones. (u64)
	 */
	GOSSIP_STATS_A_RX_MARK_STRANGER,
	/*
	 * TREE datagrams sent: with eager on, in push and pushpull, new
	 * entries pushed with their values at once to the links of the eager
	 * tree, the configured peers that brought this node news in a TREE or
	 * exchanged an IWANT with it, and did not prune. Also counted in
	 * tx-eager. (u64)
	 */
	GOSSIP_STATS_A_TX_TREE,
	/*
	 * PRUNE datagrams sent: a configured peer's TREE brought nothing new,
	 * so the link is dropped from the eager tree, on both sides. Its
	 * entries come by announcements from then on. (u64)
	 */
	GOSSIP_STATS_A_TX_PRUNE,
	/*
	 * PRUNE datagrams from configured peers: the link to that peer left
	 * the eager tree. A stranger's is counted in rx-req-stranger, and
	 * changes nothing. (u64)
	 */
	GOSSIP_STATS_A_RX_PRUNE,
	/*
	 * GRAFT datagrams sent: asks to be a link of a configured peer's eager
	 * tree. One that names entries asks for them too (also in tx-iwant):
	 * the tree did not bring them, and the node had fewer than two links.
	 * An empty one comes from a round of a node with no link at all. At
	 * most one an interval. (u64)
	 */
	GOSSIP_STATS_A_TX_GRAFT,
	/*
	 * Entries announced (IHAVE) by a configured peer as pushed down its
	 * eager tree, which this node lacked and did not ask for at once: it
	 * has a link, and the tree's pushes had come after such announcements
	 * before, so it waited for the push, up to what they took (their
	 * average plus two times their mean deviation; at most a tenth of the
	 * interval), and the push came in that time. Each saved an IWANT and a
	 * second copy of the value. (u64)
	 */
	GOSSIP_STATS_A_RX_TREE_AWAITED,

	__GOSSIP_STATS_A_MAX,
	GOSSIP_STATS_A_MAX = (__GOSSIP_STATS_A_MAX - 1)
};

enum gossip_cmd {
	GOSSIP_CMD_UNSPEC,
	/* The instance's configuration. */
	GOSSIP_CMD_CONFIG_GET,
	/*
	 * Change any of mode, fanout, interval-ms, port, node-id, max-dgram,
	 * tombstone-ms, lockstep, label, eager, store-bytes, reject-rate,
	 * max-skew-ms; all of them or none. Announced with the whole
	 * configuration.
	 */
	GOSSIP_CMD_CONFIG_SET,
	/* Open the socket, start the rounds. */
	GOSSIP_CMD_INSTANCE_UP,
	/* Stop the rounds, close the socket. */
	GOSSIP_CMD_INSTANCE_DOWN,
	/* Add one peer, or a list of them (all or none). */
	GOSSIP_CMD_PEER_ADD,
	/* Delete one peer, or a list of them (all or none). */
	GOSSIP_CMD_PEER_DEL,
	/*
	 * The peers, one peer nest per message, with what this node saw of
	 * each: datagrams and bytes in and out, authentication failures, the
	 * age of the last datagram, whether it answered the last digest.
	 */
	GOSSIP_CMD_PEER_GET,
	/* Publish an entry (key and value) with a new version. */
	GOSSIP_CMD_ENTRY_PUBLISH,
	/* One entry by its key; dump, every live entry. */
	GOSSIP_CMD_ENTRY_GET,
	/* The counters. */
	GOSSIP_CMD_STATS_GET,
	/* An entry received from the network and applied. */
	GOSSIP_CMD_ENTRY_NTF,
	/* Delete an entry by its key, spreading a tombstone. */
	GOSSIP_CMD_ENTRY_DEL,
	/*
	 * Add an authentication key (id and secret); the first becomes the
	 * primary.
	 */
	GOSSIP_CMD_AUTHKEY_ADD,
	/* Make the key of this id the primary. */
	GOSSIP_CMD_AUTHKEY_USE,
	/*
	 * Delete the key of this id; not the primary unless it is the last key
	 * (authentication off).
	 */
	GOSSIP_CMD_AUTHKEY_DEL,
	/*
	 * The keys, one authkey nest (id, primary) per message; secrets are
	 * never read back.
	 */
	GOSSIP_CMD_AUTHKEY_GET,

	__GOSSIP_CMD_MAX,
	GOSSIP_CMD_MAX = (__GOSSIP_CMD_MAX - 1)
};

#define GOSSIP_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_GOSSIP_H */
