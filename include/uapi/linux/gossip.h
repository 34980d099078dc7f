/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * gossip: epidemic dissemination of key/value updates, one instance per
 * network namespace, configured over the generic netlink family "gossip".
 *
 * Conventions (as in ovpn and wireguard):
 *  - every enum starts with an UNSPEC value 0 and ends with __X_MAX / X_MAX;
 *  - integers are host byte order, addresses network byte order;
 *  - every command, those that only read included, and joining the
 *    multicast group need CAP_NET_ADMIN in the user namespace that owns the
 *    network namespace (values may be secrets);
 *  - every change is announced on the multicast group GOSSIP_MCGRP_EVENTS,
 *    with the command that made it (entries received from the network are
 *    announced as GOSSIP_CMD_ENTRY_NTF).
 */
#ifndef _UAPI_LINUX_GOSSIP_H
#define _UAPI_LINUX_GOSSIP_H

#define GOSSIP_GENL_NAME	"gossip"
#define GOSSIP_GENL_VERSION	1
#define GOSSIP_MCGRP_EVENTS	"events"

/* Limits. Every one of them is enforced with a clear error. */
#define GOSSIP_KEY_MAX		64	/* bytes in a key, at least 1 */
#define GOSSIP_VALUE_MAX	1024	/* bytes in a value, may be 0 */
#define GOSSIP_PEERS_MAX	1024	/* peers per instance */
#define GOSSIP_ENTRIES_MAX	65536	/* entries in one instance's store */
#define GOSSIP_FANOUT_MIN	1
#define GOSSIP_FANOUT_MAX	16
#define GOSSIP_INTERVAL_MIN_MS	1
#define GOSSIP_INTERVAL_MAX_MS	60000
#define GOSSIP_DGRAM_MIN	1200	/* any single entry fits in this */
#define GOSSIP_DGRAM_MAX	65000
#define GOSSIP_TOMBSTONE_MIN_MS	10
#define GOSSIP_TOMBSTONE_MAX_MS	86400000	/* a day */
#define GOSSIP_ORIGINS_MAX	65536	/* publishers one store tracks */
#define GOSSIP_REPLY_DGRAMS	8	/* datagrams a reply may take */
#define GOSSIP_KEYS_MAX		4	/* authentication keys per instance */
#define GOSSIP_SECRET_LEN	32	/* bytes in a key's secret */
#define GOSSIP_LABEL_MAX	64	/* bytes in a cluster label, may be 0 */
#define GOSSIP_STORE_BYTES_MIN	4096	/* store-bytes, at least */
#define GOSSIP_STORE_BYTES_MAX	(64 << 20)
#define GOSSIP_REJECT_RATE_MAX	1000000
#define GOSSIP_MAX_SKEW_MIN_MS	1
#define GOSSIP_MAX_SKEW_MAX_MS	86400000	/* a day */

/* Defaults of a new instance. */
#define GOSSIP_DEFAULT_PORT		7946
#define GOSSIP_DEFAULT_FANOUT		3
#define GOSSIP_DEFAULT_INTERVAL_MS	200
#define GOSSIP_DEFAULT_DGRAM		1400
#define GOSSIP_DEFAULT_TOMBSTONE_MS	60000
#define GOSSIP_AE_ROUNDS		8	/* push mode: a digest every 8 rounds */
#define GOSSIP_DEFAULT_STORE_BYTES	(16 << 20)
#define GOSSIP_DEFAULT_REJECT_RATE	100	/* per source per second */
#define GOSSIP_DEFAULT_MAX_SKEW_MS	60000

enum gossip_mode {
	GOSSIP_MODE_UNSPEC,
	GOSSIP_MODE_PUSH,	/* informed nodes send hot rumors */
	GOSSIP_MODE_PULL,	/* nodes send a digest, get what they lack */
	GOSSIP_MODE_PUSHPULL,	/* both in one exchange */

	__GOSSIP_MODE_MAX,
	GOSSIP_MODE_MAX = __GOSSIP_MODE_MAX - 1
};

enum gossip_cmd {
	GOSSIP_CMD_UNSPEC,
	GOSSIP_CMD_GET_CONFIG,	/* doit: the instance's configuration */
	GOSSIP_CMD_SET_CONFIG,	/* any of MODE FANOUT INTERVAL_MS PORT NODE_ID
				 * MAX_DGRAM TOMBSTONE_MS LOCKSTEP LABEL EAGER
				 * STORE_BYTES REJECT_RATE MAX_SKEW_MS
				 */
	GOSSIP_CMD_UP,		/* open the socket, start the rounds */
	GOSSIP_CMD_DOWN,	/* stop the rounds, close the socket */
	GOSSIP_CMD_PEER_ADD,	/* GOSSIP_A_PEER or GOSSIP_A_PEERS */
	GOSSIP_CMD_PEER_DEL,	/* GOSSIP_A_PEER or GOSSIP_A_PEERS */
	GOSSIP_CMD_PEER_GET,	/* dumpit: one GOSSIP_A_PEER per message */
	GOSSIP_CMD_PUBLISH,	/* GOSSIP_A_ENTRY with KEY and VALUE */
	GOSSIP_CMD_ENTRY_GET,	/* doit: GOSSIP_A_ENTRY with KEY; dumpit: all */
	GOSSIP_CMD_STATS_GET,	/* doit: GOSSIP_A_STATS */
	GOSSIP_CMD_ENTRY_NTF,	/* notification: an entry received and applied */
	GOSSIP_CMD_DELETE,	/* GOSSIP_A_ENTRY with KEY: spread a tombstone */
	GOSSIP_CMD_KEY_ADD,	/* GOSSIP_A_KEY with ID and SECRET; the first
				 * key added becomes the primary
				 */
	GOSSIP_CMD_KEY_USE,	/* GOSSIP_A_KEY with ID: make it the primary */
	GOSSIP_CMD_KEY_DEL,	/* GOSSIP_A_KEY with ID; not the primary unless
				 * it is the last key (authentication off)
				 */
	GOSSIP_CMD_KEY_GET,	/* dumpit: one GOSSIP_A_KEY (ID, PRIMARY) per
				 * message; secrets are never read back
				 */

	__GOSSIP_CMD_MAX,
	GOSSIP_CMD_MAX = __GOSSIP_CMD_MAX - 1
};

enum gossip_attr {
	GOSSIP_A_UNSPEC,
	GOSSIP_A_MODE,		/* u32, enum gossip_mode */
	GOSSIP_A_FANOUT,	/* u32 */
	GOSSIP_A_INTERVAL_MS,	/* u32 */
	GOSSIP_A_PORT,		/* u16, UDP port, host order */
	GOSSIP_A_NODE_ID,	/* u32, not 0 */
	GOSSIP_A_MAX_DGRAM,	/* u32, bytes of UDP payload */
	GOSSIP_A_RUNNING,	/* u8, 1 when up (read only) */
	GOSSIP_A_PEER,		/* nest, enum gossip_peer_attr */
	GOSSIP_A_ENTRY,		/* nest, enum gossip_entry_attr */
	GOSSIP_A_STATS,		/* nest, enum gossip_stats_attr */
	GOSSIP_A_PAD,
	GOSSIP_A_TOMBSTONE_MS,	/* u32, how long a tombstone is kept */
	GOSSIP_A_LOCKSTEP,	/* u32 0 or 1: rounds on multiples of the
				 * interval of CLOCK_MONOTONIC, no jitter: all
				 * instances of one kernel run in lockstep, as
				 * the synchronous model of the theory does
				 */
	GOSSIP_A_KEY,		/* nest, enum gossip_key_attr */
	GOSSIP_A_LABEL,		/* binary, 0 .. GOSSIP_LABEL_MAX bytes: the
				 * cluster label; datagrams of another label
				 * are dropped. Settable at any time.
				 */
	GOSSIP_A_AUTH,		/* u8, 1 when the instance has a key and seals
				 * what it sends (read only)
				 */
	GOSSIP_A_EAGER,		/* u32 0 or 1: forward a received value that
				 * is newer than ours at once, from the receive
				 * path, to `fanout` peers (push and push-pull;
				 * default 1)
				 */
	GOSSIP_A_STORE_BYTES,	/* u32, cap on the bytes of keys and values
				 * the store holds, GOSSIP_STORE_BYTES_MIN ..
				 * GOSSIP_STORE_BYTES_MAX
				 */
	GOSSIP_A_REJECT_RATE,	/* u32, rejected datagrams per second one
				 * source may send before all of its datagrams
				 * are dropped unread (token bucket, burst
				 * twice the rate); 0: no limit
				 */
	GOSSIP_A_PEERS,		/* nest of 1 .. GOSSIP_PEERS_MAX GOSSIP_A_PEER
				 * nests: PEER_ADD and PEER_DEL of many peers
				 * in one request, all of them or none
				 */
	GOSSIP_A_MAX_SKEW_MS,	/* u32, how far (ms) a received version may be
				 * ahead of this node's wall clock: versions
				 * are hybrid logical clock values (wall-clock
				 * microseconds, or one more than the highest
				 * seen); one further ahead is refused
				 */

	__GOSSIP_A_MAX,
	GOSSIP_A_MAX = __GOSSIP_A_MAX - 1
};

enum gossip_peer_attr {
	GOSSIP_PEER_A_UNSPEC,
	GOSSIP_PEER_A_ADDR4,	/* binary, 4 bytes, network order */
	GOSSIP_PEER_A_ADDR6,	/* binary, 16 bytes, network order */
	GOSSIP_PEER_A_PORT,	/* u16, host order, not 0 */

	__GOSSIP_PEER_A_MAX,
	GOSSIP_PEER_A_MAX = __GOSSIP_PEER_A_MAX - 1
};

enum gossip_key_attr {
	GOSSIP_KEY_A_UNSPEC,
	GOSSIP_KEY_A_ID,	/* u8, 1 .. 255 */
	GOSSIP_KEY_A_SECRET,	/* binary, GOSSIP_SECRET_LEN bytes (write only) */
	GOSSIP_KEY_A_PRIMARY,	/* flag: the key datagrams are sealed with
				 * (read only)
				 */

	__GOSSIP_KEY_A_MAX,
	GOSSIP_KEY_A_MAX = __GOSSIP_KEY_A_MAX - 1
};

enum gossip_entry_attr {
	GOSSIP_ENTRY_A_UNSPEC,
	GOSSIP_ENTRY_A_KEY,	/* binary, 1 .. GOSSIP_KEY_MAX bytes */
	GOSSIP_ENTRY_A_VALUE,	/* binary, 0 .. GOSSIP_VALUE_MAX bytes */
	GOSSIP_ENTRY_A_ORIGIN,	/* u32, node id of the publisher (read only) */
	GOSSIP_ENTRY_A_VERSION,	/* u64, version (read only) */
	GOSSIP_ENTRY_A_PAD,
	GOSSIP_ENTRY_A_STAMP_NS, /* u64, CLOCK_MONOTONIC ns when this node
				  * stored it (read only)
				  */
	GOSSIP_ENTRY_A_DELETED,	/* u8 1: a tombstone (notifications only) */

	__GOSSIP_ENTRY_A_MAX,
	GOSSIP_ENTRY_A_MAX = __GOSSIP_ENTRY_A_MAX - 1
};

/*
 * Statistics, all u64. Counters only grow; PEERS, ENTRIES, TOMBSTONES are
 * gauges and TX_LARGEST a maximum.
 * The same numbers are in /sys/class/gossip/gossip/stats/<name>, where
 * <name> is the enum name in lower case without the prefix
 * (GOSSIP_STATS_A_RX_ERR_MAGIC is rx_err_magic).
 */
enum gossip_stats_attr {
	GOSSIP_STATS_A_UNSPEC,
	GOSSIP_STATS_A_PAD,
	GOSSIP_STATS_A_ROUNDS,		/* timer rounds run */
	GOSSIP_STATS_A_TX_DGRAMS,	/* datagrams sent */
	GOSSIP_STATS_A_TX_BYTES,	/* UDP payload bytes sent */
	GOSSIP_STATS_A_TX_ERRORS,	/* datagrams that could not be sent */
	GOSSIP_STATS_A_RX_DGRAMS,	/* datagrams received (valid or not) */
	GOSSIP_STATS_A_RX_BYTES,	/* UDP payload bytes received */
	GOSSIP_STATS_A_RUMORS_PUBLISHED, /* local publishes */
	GOSSIP_STATS_A_RUMORS_APPLIED,	/* received entries newer than ours */
	GOSSIP_STATS_A_RUMORS_DUPLICATE, /* received entries not newer */
	GOSSIP_STATS_A_RX_ERR_SHORT,	/* shorter than a header */
	GOSSIP_STATS_A_RX_ERR_MAGIC,	/* wrong magic */
	GOSSIP_STATS_A_RX_ERR_VERSION,	/* unknown wire version */
	GOSSIP_STATS_A_RX_ERR_TYPE,	/* unknown datagram or record type */
	GOSSIP_STATS_A_RX_ERR_LENGTH,	/* a length that lies about the size */
	GOSSIP_STATS_A_RX_ERR_ENTRY,	/* an entry with invalid fields */
	GOSSIP_STATS_A_RX_ERR_FULL,	/* new entry dropped: store full */
	GOSSIP_STATS_A_RX_ERR_NOMEM,	/* dropped: allocation failed */
	GOSSIP_STATS_A_PEERS,		/* gauge: configured peers */
	GOSSIP_STATS_A_ENTRIES,		/* gauge: entries in the store */
	GOSSIP_STATS_A_TX_REQUESTS,	/* digests sent (pull, push-pull, and
					 * push-mode anti-entropy)
					 */
	GOSSIP_STATS_A_RX_REQUESTS,	/* digests received */
	GOSSIP_STATS_A_TX_REPLIES,	/* reply datagrams sent */
	GOSSIP_STATS_A_TOMBSTONES,	/* gauge: tombstones in the store */
	GOSSIP_STATS_A_TOMBSTONES_COLLECTED, /* tombstones dropped after
					      * tombstone-ms
					      */
	GOSSIP_STATS_A_TX_LARGEST,	/* the largest datagram sent (bytes) */
	GOSSIP_STATS_A_RX_ERR_UNAUTH,	/* not sealed, and this instance has keys */
	GOSSIP_STATS_A_RX_ERR_AUTH,	/* sealed, and no key of ours opens it
					 * (or we have no key)
					 */
	GOSSIP_STATS_A_RX_ERR_REPLAY,	/* authentic, but its counter was seen
					 * already or is older than the window
					 */
	GOSSIP_STATS_A_RX_ERR_LABEL,	/* in the clear, with another cluster
					 * label than ours
					 */
	GOSSIP_STATS_A_RX_ERR_RATELIMIT, /* dropped unread: its source sent
					  * more rejected datagrams than
					  * reject-rate allows
					  */
	GOSSIP_STATS_A_MEM_BYTES,	/* gauge: bytes the instance has
					 * allocated (store, origins, peers,
					 * replay windows, keys)
					 */
	GOSSIP_STATS_A_STORE_BYTES,	/* gauge: bytes of keys and values
					 * stored, what store-bytes caps
					 */
	GOSSIP_STATS_A_TX_EAGER,	/* datagrams forwarded eagerly */
	GOSSIP_STATS_A_ROUND_LATE_P50_US, /* gauge: lateness of the rounds
					   * (fired - due), median, us
					   */
	GOSSIP_STATS_A_ROUND_LATE_P99_US, /* gauge: 99th percentile, us */
	GOSSIP_STATS_A_ROUND_LATE_MAX_US, /* gauge: the latest round, us */
	GOSSIP_STATS_A_ROUND_NS,	/* ns spent in rounds (timer) */
	GOSSIP_STATS_A_RX_NS,		/* ns spent on received datagrams */
	GOSSIP_STATS_A_RX_ERR_FUTURE,	/* entries or marks refused: their
					 * version is more than max-skew-ms
					 * ahead of this node's clock
					 */
	GOSSIP_STATS_A_RX_ERR_ORIGIN,	/* entries refused: a new origin from
					 * an unauthenticated source that is
					 * not a peer, past the cap
					 */
	GOSSIP_STATS_A_RX_ERR_SIZE,	/* datagrams longer than max-dgram,
					 * dropped before they are read
					 */
	GOSSIP_STATS_A_RX_REQ_STRANGER,	/* digests from a source that is not a
					 * configured peer: not answered
					 */
	GOSSIP_STATS_A_TX_REPLY_CUT,	/* replies cut short or withheld: the
					 * asker's byte budget was spent
					 */
	GOSSIP_STATS_A_REPLAY_EVICTED,	/* replay windows of idle senders
					 * dropped to make room for new ones
					 */
	GOSSIP_STATS_A_TOMBSTONES_EXPIRED, /* tombstones collected at the hard
					    * limit without every peer having
					    * shown that it holds them
					    */

	__GOSSIP_STATS_A_MAX,
	GOSSIP_STATS_A_MAX = __GOSSIP_STATS_A_MAX - 1
};

#endif /* _UAPI_LINUX_GOSSIP_H */
