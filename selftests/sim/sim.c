// SPDX-License-Identifier: GPL-2.0
/*
 * gossip_sim: a deterministic discrete-event simulator of gossip clusters
 * that runs the module's own protocol code (kmod/store.c, wire.c, send.c,
 * receive.c, peers.c, pick.c, auth.c, replay.c, ratelimit.c, late.c, built
 * against shim/), n instances in one thread, over a simulated network, and
 * checks the protocol's invariants at every step and at quiescence.
 *
 * What stands in for the rest of the module (this file):
 *  - socket.c: gossip_socket_send() hands the datagram to the network model
 *    (loss, duplication, delay and so reordering, partitions); delivery
 *    calls gossip_rx() as socket.c's encap_rcv does;
 *  - main.c: up and down do what gossip_up()/gossip_down() do (auth up,
 *    running, the round timer); a crash re-creates the store as a new
 *    namespace would, keeping the node id (and the operator's keys);
 *  - netlink.c: a publish or delete calls gossip_store_put() and
 *    gossip_eager_publish() as gossip_publish() does; config changes write
 *    the same fields; keys go through gossip_authkey_add/use/del();
 *  - stats.c: plain counters per node; the round timer is fired by the
 *    event loop (shim hrtimer).
 *
 * One seed determines a run: every choice (the run's parameters, the
 * schedule of faults and writes, the kernel's get_random_*()) comes from
 * two PRNG streams seeded from it, and events at the same time run in the
 * order they were queued.
 *
 * See docs/simulator.md for the fault space and the invariants.
 */
#include "sim_kernel.h"
#include <stdarg.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "gossip.h"	/* kmod/'s, or a patched copy's (make sim-planted) */
#include "wire.h"

#define MAX_NODES	64	/* the oracle's holder sets are u64 bitmaps */
#define MAX_KEYS	64	/* random schedules draw 1..5; --bench 6 * trials */
#define SIM_PORT	7000
#define FORGER_PORT	6999
#define EPOCH_NS	1700000000000000000ULL	/* realtime of sim time 0 */
#define MS		1000000ULL
#define SEC		(1000 * MS)

/* ---- PRNG: splitmix64, one stream for the schedule, one for the kernel */

struct rng {
	u64 s;
};

static u64 rng_next(struct rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rnd_below(struct rng *r, u32 n)
{
	return n ? (u32)(rng_next(r) % n) : 0;
}

/* Uniform in [0, 1). */
static double rnd_unit(struct rng *r)
{
	return (rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(struct rng *r, double p)
{
	return rnd_unit(r) < p;
}

static struct rng sched_rng, kern_rng;

/* ---- options ------------------------------------------------------------ */

/*
 * --bench's idle rounds, before the first publish and between two cells:
 * selftests/bench.sh does not wait, but its cluster is up while the
 * script measures memory, and between cells it reads every node's stats
 * and dumps: seconds, so tens of rounds at its intervals (guesses).
 */
#define BENCH_WARMUP	20
#define BENCH_GAP	10

static struct {
	bool trace;
	bool recreate_same_id;	/* an alias of the default, kept */
	bool crash_any;		/* crash even a node with a sole copy */
	bool collected_gate;	/* write below a delete none collected */
	int nodes;		/* 0: random */
	u32 scale;		/* --scale N: one update over N nodes */
	u32 mode, fanout;	/* --scale's */
	bool eager;
	bool full;		/* --full: one set of all nodes past the cap */
	bool cold;		/* --cold: reply credits 0 when the value comes */
	u32 bench;		/* --bench T: the VM bench's procedure, T trials */
	u32 warmup, gap;	/* --bench's idle rounds: before, between cells */
	bool theory;		/* --theory: the synchronous model only */
	u32 idle;		/* --idle S: settle S s, then 10 s of idle */
	u32 before;		/* --before S: S s idle before the publish */
	u32 settle;		/* --settle R: copies counted R rounds after */
	u32 updates;		/* --updates K: the K-th update measured */
	double loss;		/* --loss PCT: each datagram lost with it */
	u32 jitter_us;		/* --jitter US: each hop U(0, US) us longer */
	double stall;		/* --stall PCT:US: so many hops stalled, */
	u32 stall_us;		/* each U(0, US) us longer */
	bool burst;		/* --burst: 64 nodes publish at once */
	bool keys;		/* --keys: every node seals with one key */
	bool warm;		/* --warm: the publisher's life begun before */
	bool origins;		/* --origins: every node an origin before */
	bool startup;		/* --startup: print --before's 20-s windows */
	u32 spread_us;		/* --spread US: rounds fire over US us a tick */
	bool staggered;		/* --staggered: push's digests out of phase */
	const char *csv;	/* --csv FILE: append one row per cell */
} opt = { .warmup = BENCH_WARMUP, .gap = BENCH_GAP };

/* ---- the run's parameters, drawn from the seed ------------------------- */

static struct {
	u32 n;
	u32 nkeys;
	u32 key_len[MAX_KEYS];
	u32 tombstone_ms;
	u32 max_dgram;
	u32 max_skew_ms;
	u32 interval_ms;
	u8 lockstep;
	u8 auth;		/* 0 none, 1 label, 2 keys */
	u8 label_len;
	double loss, dup;
	u64 delay_ns, jitter_ns;
	double link_loss[MAX_NODES][MAX_NODES];
	u64 fault_ns;		/* faults and writes stop then */
	double p_write, p_del;
	double p_down, p_crash, p_part, p_conf, p_forge, p_rotate;
} P;

/* ---- nodes -------------------------------------------------------------- */

struct sim_node {
	struct gossip_net gn;
	struct net net;
	u32 idx;
	union gossip_sockaddr addr;
	u64 mono_off;		/* CLOCK_MONOTONIC = sim time + mono_off */
	s64 real_off;		/* CLOCK_REALTIME = EPOCH + sim time + this */
	u64 stats[__GOSSIP_STATS_A_MAX];
	bool up;		/* what the operator wants: gossip_up() done */
	u64 own_ver[MAX_KEYS];	/* its own entry of each key the oracle has */
	u64 busy_until;		/* no new fault before (after the last ended) */
	u32 side;		/* partition side */
};

static struct sim_node *nodes;
static struct sim_node *cur;	/* the node whose code runs: its clocks */
static u64 now;			/* simulated ns */
static u64 steps;
static u64 seed;
static bool partitioned;
static bool rotating;
static u8 key_id;		/* the cluster's primary key id */
static u64 dgrams_sent, dgrams_lost;

static struct sim_node *node_of(struct gossip_net *gn)
{
	return container_of(gn, struct sim_node, gn);
}

/* ---- failures ----------------------------------------------------------- */

static char fail_msg[512];
static bool failed;

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (failed)
		return;
	failed = true;
	va_start(ap, fmt);
	vsnprintf(fail_msg, sizeof(fail_msg), fmt, ap);
	va_end(ap);
}

static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!opt.trace)
		return;
	printf("%10.3f ms  ", now / 1e6);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- the events --------------------------------------------------------- */

enum ev_type {
	EV_ROUND,	/* one of a node's timers (round, burst, want) */
	EV_DELIVER,	/* a datagram arrives */
	EV_TICK,	/* the fault and write generator */
	EV_UP,		/* a node comes back */
	EV_HEAL,	/* the partition ends */
	EV_ROTATE,	/* one step of a key rotation on one node */
};

struct event {
	u64 t;
	u64 seq;
	enum ev_type type;
	u32 node;
	u32 arg;	/* EV_ROUND: timer gen; EV_DELIVER: source; EV_ROTATE */
	struct hrtimer *timer;	/* EV_ROUND */
	u8 *buf;	/* EV_DELIVER */
	u32 len;
};

static struct event *heap;
static size_t heap_n, heap_cap;
static u64 ev_seq;

static bool ev_before(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void ev_push(struct event e)
{
	size_t i;

	if (heap_n == heap_cap) {
		heap_cap = heap_cap ? 2 * heap_cap : 1024;
		heap = realloc(heap, heap_cap * sizeof(*heap));
		if (!heap)
			abort();
	}
	e.seq = ev_seq++;
	for (i = heap_n++; i; i = (i - 1) / 2) {
		if (!ev_before(&e, &heap[(i - 1) / 2]))
			break;
		heap[i] = heap[(i - 1) / 2];
	}
	heap[i] = e;
}

static struct event ev_pop(void)
{
	struct event top = heap[0], last = heap[--heap_n];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= heap_n)
			break;
		if (c + 1 < heap_n && ev_before(&heap[c + 1], &heap[c]))
			c++;
		if (!ev_before(&heap[c], &last))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (heap_n)
		heap[i] = last;
	return top;
}

/* ---- what the shim asks of the simulator -------------------------------- */

u64 sim_now_ns(void)
{
	return now + (cur ? cur->mono_off : 0);
}

u64 sim_real_ns(void)
{
	return EPOCH_NS + now + (cur ? cur->real_off : 0);
}

u32 sim_random_u32(void)
{
	return (u32)rng_next(&kern_rng);
}

u32 get_random_u32_below(u32 ceil)
{
	return rnd_below(&kern_rng, ceil);
}

void get_random_bytes(void *buf, size_t n)
{
	u8 *p = buf;

	while (n--)
		*p++ = (u8)rng_next(&kern_rng);
}

u32 sim_int_log10(u32 x)
{
	u32 d = 0;

	while (x >= 10) {
		x /= 10;
		d++;
	}
	return d;
}

void sim_timer_start(struct hrtimer *t, ktime_t at)
{
	/* t is in nodes[]: one of a node's gn.timer, burst_timer, want_timer. */
	struct sim_node *nd = &nodes[((char *)t - (char *)nodes) /
				     sizeof(*nodes)];
	u64 when = (u64)at > nd->mono_off ? (u64)at - nd->mono_off : 0;

	t->gen++;
	t->queued = true;
	t->expires = at;
	ev_push((struct event){ .t = max(when, now), .type = EV_ROUND,
				.node = nd->idx, .arg = t->gen, .timer = t });
}

/* As hrtimer_cancel(): whether @t was queued. */
int sim_timer_cancel(struct hrtimer *t)
{
	bool was = t->queued;

	t->gen++;
	t->queued = false;
	return was;
}

void gossip_stat_add(struct gossip_net *gn, int idx, u64 val)
{
	node_of(gn)->stats[idx] += val;
}

void gossip_stat_max(struct gossip_net *gn, int idx, u64 val)
{
	u64 *s = &node_of(gn)->stats[idx];

	*s = max(*s, val);
}

/* ---- the oracle: every publish and delete ever made --------------------- */

struct write {
	u32 key;
	u64 version;
	u32 origin;
	bool del;
	u64 holders;	/* nodes that stored it since their last crash */
	u32 nheld;	/* --scale: nodes that stored it */
	u64 t_pub;	/* --bench: when it was published */
	u64 t_at[3];	/* --bench: when scale_need[i] nodes held it */
	u16 value_len;
	u8 *value;
};

static struct write *writes;
static size_t nwrites, writes_cap;
/* --bench: 50, 90 and 100 % of the nodes, as bench_report.py counts them */
static u32 scale_need[3];
/* Per key, the highest write some node holds or held: what must win. */
static struct write *winner[MAX_KEYS];
static u64 publishes, deletes;

static bool w_newer(const struct write *a, const struct write *b)
{
	return !b || a->version > b->version ||
	       (a->version == b->version && a->origin > b->origin);
}

static void winners_recompute(void)
{
	size_t i;

	memset(winner, 0, sizeof(winner));
	for (i = 0; i < nwrites; i++)
		if (writes[i].holders && w_newer(&writes[i],
						 winner[writes[i].key]))
			winner[writes[i].key] = &writes[i];
}

static int key_index(const struct gossip_key *k)
{
	u32 i;

	for (i = 0; i < P.nkeys; i++)
		if (k->len == P.key_len[i] && k->data[0] == 'a' + i)
			return i;
	return -1;
}

static void make_key(struct gossip_key *k, u32 i)
{
	memset(k, 0, sizeof(*k));
	k->len = P.key_len[i];
	memset(k->data, 'a' + i, k->len);
}

static struct write *write_find(int key, u64 version, u32 origin)
{
	size_t i;

	for (i = nwrites; i--; )
		if (writes[i].key == (u32)key && writes[i].version == version &&
		    writes[i].origin == origin)
			return &writes[i];
	return NULL;
}

static void write_held(struct write *w, struct sim_node *nd)
{
	u32 i;

	w->nheld++;
	if (opt.scale) {	/* no oracle of holders past MAX_NODES */
		for (i = 0; i < 3; i++)
			if (w->nheld == scale_need[i])
				w->t_at[i] = now;
		return;
	}
	w->holders |= 1ULL << nd->idx;
	if (w_newer(w, winner[w->key]))
		winner[w->key] = w;
}

/* receive.c: an entry from the network was stored on a node. */
void gossip_notify_entry(struct gossip_net *gn, const struct gossip_update *u)
{
	struct sim_node *nd = node_of(gn);
	int k = key_index(u->key);
	struct write *w = k < 0 ? NULL : write_find(k, u->version, u->origin);

	if (!w) {
		violation("(b) node %u stored key %d version %llu origin %u, which nobody published",
			  nd->idx, k, (unsigned long long)u->version, u->origin);
		return;
	}
	if (w->del != !!(u->flags & GOSSIP_ENTRY_F_TOMBSTONE))
		violation("(b) node %u stored write %llu/%u of key %d with the wrong kind",
			  nd->idx, (unsigned long long)u->version, u->origin, k);
	write_held(w, nd);
	trace("node %u applied key %d v%llu o%u%s", nd->idx, k,
	      (unsigned long long)u->version, u->origin, w->del ? " (del)" : "");
}

/* ---- the network: socket.c's place -------------------------------------- */

/* 10.0.0.1 port 7000 + i; with --scale, 10.1.(i / 50000) port 7000 + i % 50000. */
static u32 idx_of_addr(const union gossip_sockaddr *a)
{
	u32 ip = ntohl(a->in4.sin_addr.s_addr);
	u32 port = ntohs(a->in4.sin_port) - SIM_PORT;

	return (ip & 0xff0000) == 0x010000 ? (ip & 0xffff) * 50000 + port : port;
}

static void net_send(u32 src, u32 dst, const u8 *data, u32 len)
{
	int copies = 1, i;
	struct event e;
	u64 hop = P.delay_ns;

	dgrams_sent++;
	if (opt.scale) {
		if (src == dst)	/* a shared peer set holds the sender too */
			return;
		if (opt.loss && chance(&sched_rng, opt.loss)) {
			dgrams_lost++;
			return;
		}
		if (opt.jitter_us)	/* --jitter: uneven hops */
			hop += rnd_below(&sched_rng, opt.jitter_us) * 1000ULL;
		if (opt.stall_us && chance(&sched_rng, opt.stall))
			hop += rnd_below(&sched_rng, opt.stall_us) * 1000ULL;
		ev_push((struct event){ .t = now + hop,
					.type = EV_DELIVER, .node = dst,
					.arg = src, .len = len,
					.buf = memcpy(malloc(len), data, len) });
		return;
	}
	if (partitioned && nodes[src].side != nodes[dst].side) {
		dgrams_lost++;
		return;
	}
	if (chance(&sched_rng, P.link_loss[src][dst])) {
		dgrams_lost++;
		return;
	}
	if (chance(&sched_rng, P.dup))
		copies = 2;
	for (i = 0; i < copies; i++) {
		e = (struct event){ .type = EV_DELIVER, .node = dst,
				    .arg = src, .len = len };
		e.t = now + P.delay_ns + (u64)(rnd_unit(&sched_rng) * P.jitter_ns);
		e.buf = malloc(len);
		if (!e.buf)
			abort();
		memcpy(e.buf, data, len);
		ev_push(e);
	}
}

int gossip_socket_send(struct gossip_net *gn, struct sk_buff *skb,
		       const union gossip_sockaddr *dst)
{
	struct sim_node *nd = node_of(gn);
	u32 to = idx_of_addr(dst);

	if (skb->len > READ_ONCE(gn->max_dgram))
		violation("(f) node %u sent a datagram of %u bytes, max-dgram %u",
			  nd->idx, skb->len, gn->max_dgram);
	if (to < P.n && nd->up)
		net_send(nd->idx, to, skb->data, skb->len);
	kfree_skb(skb);
	return 0;
}

/* ---- nodes: main.c's and netlink.c's place ------------------------------ */

static u32 node_id(u32 i)
{
	return 0x0a000001 + 7 * i;	/* distinct, not in index order */
}

static void key_secret(u8 *secret, u8 id)
{
	u32 i;

	for (i = 0; i < GOSSIP_SECRET_LEN; i++)
		secret[i] = (u8)(seed * 31 + id * 131 + i * 7);
}

/* As gossip_net_init() and a config of the cluster's parameters. */
static void node_create(struct sim_node *nd)
{
	struct gossip_net *gn = &nd->gn;

	cur = nd;
	memset(gn, 0, sizeof(*gn));
	gn->net = &nd->net;
	nd->net.ns.inum = nd->idx;
	mutex_init(&gn->conf_lock);
	gn->mode = 1 + rnd_below(&sched_rng, 3);
	gn->fanout = 1 + rnd_below(&sched_rng, 4);
	gn->interval_ms = P.interval_ms;
	gn->max_dgram = P.max_dgram;
	gn->tombstone_ms = P.tombstone_ms;
	gn->eager = chance(&sched_rng, 0.7);
	gn->lockstep = P.lockstep;
	gn->port = SIM_PORT + nd->idx;
	gn->store_bytes = GOSSIP_DEFAULT_STORE_BYTES;
	gn->reject_rate = GOSSIP_DEFAULT_REJECT_RATE;
	gn->max_skew_ms = P.max_skew_ms;
	spin_lock_init(&gn->rl_lock);
	get_random_bytes(&gn->rl_key, sizeof(gn->rl_key));
	gn->node_id = node_id(nd->idx);
	gn->node_id_set = true;
	gn->hot_budget = gossip_hot_budget(0);
	spin_lock_init(&gn->replay_lock);
	hash_init(gn->replay);
	INIT_LIST_HEAD(&gn->replay_lru);
	gossip_round_init(gn);
	gossip_eager_init(gn);
	if (gossip_store_init(&gn->store))
		abort();
}

static void node_peers(struct sim_node *nd)
{
	union gossip_sockaddr *a = calloc(P.n, sizeof(*a));
	u32 i, k = 0, bad;

	for (i = 0; i < P.n; i++)
		if (i != nd->idx)
			a[k++] = nodes[i].addr;
	cur = nd;
	if (k && gossip_peers_change(&nd->gn, true, a, k, &bad, NULL))
		abort();
	free(a);
}

static void node_auth(struct sim_node *nd)
{
	u8 label[GOSSIP_LABEL_MAX], secret[GOSSIP_SECRET_LEN];

	cur = nd;
	if (P.label_len) {
		memset(label, 'L', P.label_len);
		gossip_label_set(&nd->gn, label, P.label_len);
	}
	if (P.auth == 2) {
		key_secret(secret, key_id);
		gossip_authkey_add(&nd->gn, key_id, secret, NULL);
	}
}

/* gossip_up() without the socket (the network model is always there). */
static void node_up(struct sim_node *nd)
{
	struct gossip_net *gn = &nd->gn;

	cur = nd;
	if (gn->running)
		return;
	gossip_auth_up(gn);
	WRITE_ONCE(gn->running, true);
	nd->up = true;
	gossip_round_start(gn);
	trace("node %u up", nd->idx);
}

static void node_down(struct sim_node *nd)
{
	struct gossip_net *gn = &nd->gn;

	cur = nd;
	if (!gn->running)
		return;
	WRITE_ONCE(gn->running, false);
	nd->up = false;
	gossip_round_stop(gn);
	gossip_eager_stop(gn);
	trace("node %u down", nd->idx);
}

/*
 * A crash: the instance is gone with its store and replay windows, and a
 * new one takes its node id (and the operator's config and keys, which
 * stay in gn->auth: not part of what a crash loses in this model).
 */
static void node_crash(struct sim_node *nd)
{
	struct gossip_net *gn = &nd->gn;
	size_t i;

	node_down(nd);
	gossip_store_free(&gn->store);
	sim_free(gn->store.table.tbl);
	gn->store.table.tbl = NULL;
	gossip_replay_free(gn);
	if (gossip_store_init(&gn->store))
		abort();
	for (i = 0; i < nwrites; i++)
		writes[i].holders &= ~(1ULL << nd->idx);
	winners_recompute();
	memset(nd->own_ver, 0, sizeof(nd->own_ver));
	trace("node %u crashed: re-created empty, same node id", nd->idx);
}

static void node_destroy(struct sim_node *nd)
{
	struct gossip_net *gn = &nd->gn;

	cur = nd;
	gn->running = false;
	gossip_eager_stop(gn);
	gossip_store_free(&gn->store);
	sim_free(gn->store.table.tbl);
	gossip_peers_free(gn);
	gossip_auth_free(gn);
}

/*
 * The mark node @nd holds for origin @id (0 if none). A walk, not store.c's
 * search (static there): the simulated stores hold a few origins.
 */
static u64 mark_of(struct sim_node *nd, u32 id)
{
	struct rb_node *n;
	struct gossip_origin *o;

	for (n = rb_first(&nd->gn.store.origins); n; n = rb_next(n)) {
		o = rb_entry(n, struct gossip_origin, node);
		if (o->id == id)
			return o->mark;
	}
	return 0;
}

static struct gossip_entry *held(struct sim_node *nd, u32 k);

/*
 * Whether some node holds an entry of @nd's origin above its own mark for
 * it (a push brought it, no MARK covered it yet) that @nd does not hold.
 * Until it has caught up, a re-created node's mark for its own origin
 * follows its peers' marks (store.c, "incarnation"): such an entry is the
 * limit the rule states, so a node whose life is new does not publish
 * while one exists. Its clock may be behind its earlier life all the same.
 */
static bool own_gap(struct sim_node *nd)
{
	struct gossip_store *st = &nd->gn.store;
	u32 id = nd->gn.node_id, i, k;
	struct gossip_entry *e, *mine;

	if (st->own_born_ns && !st->own_wait)
		return false;
	for (i = 0; i < P.n; i++) {
		if (&nodes[i] == nd)
			continue;
		for (k = 0; k < P.nkeys; k++) {
			e = held(&nodes[i], k);
			if (!e || e->origin != id ||
			    e->version <= mark_of(&nodes[i], id))
				continue;
			mine = held(nd, k);
			if (!mine || mine->version < e->version ||
			    (mine->version == e->version &&
			     mine->origin < e->origin))
				return true;
		}
	}
	return false;
}

/* As netlink.c's gossip_publish(): store, count, push eagerly. */
static void node_write(struct sim_node *nd, u32 k, bool del)
{
	struct gossip_key key;
	struct gossip_update u = { .key = &key };
	u8 value[GOSSIP_VALUE_MAX];
	enum gossip_put_result r;
	struct write *w;
	u32 len = 0, i, j;
	u64 next;

	if (own_gap(nd))
		return;
	/*
	 * Nor below a delete of the key (with --collected-gate: only one
	 * that a node collected): only a re-created node, before any digest
	 * or MARK moved its clock, can be behind one, and the write would
	 * lose to it on the nodes that still hold it and win on the others
	 * (the limit of store.c's "incarnation").
	 */
	cur = nd;
	next = max(nd->gn.store.clock + 1, sim_real_ns() / 1000);
	for (i = 0; i < nwrites; i++) {
		if (writes[i].key != k || !writes[i].del ||
		    writes[i].version < next)
			continue;
		if (!opt.collected_gate)
			return;
		for (j = 0; j < P.n; j++)
			if ((writes[i].holders & (1ULL << j)) &&
			    !held(&nodes[j], k))
				return;	/* node j collected it */
	}
	make_key(&key, k);
	if (del) {
		u.flags = GOSSIP_ENTRY_F_TOMBSTONE;
	} else {
		i = rnd_below(&sched_rng, 10);
		len = i < 7 ? 1 + rnd_below(&sched_rng, 16) :
		      i < 9 ? 100 + rnd_below(&sched_rng, 300) :
		      700 + rnd_below(&sched_rng, GOSSIP_VALUE_MAX - 699);
		for (i = 0; i < len; i++)
			value[i] = (u8)rng_next(&sched_rng);
		u.value = value;
		u.value_len = len;
	}
	cur = nd;
	r = gossip_store_put(&nd->gn, &u);
	if (r != GOSSIP_PUT_APPLIED)
		return;		/* a delete of a key it does not hold */
	gossip_stat_inc(&nd->gn, GOSSIP_STATS_A_RUMORS_PUBLISHED);
	if (nwrites == writes_cap) {
		writes_cap = writes_cap ? 2 * writes_cap : 256;
		writes = realloc(writes, writes_cap * sizeof(*writes));
		if (!writes)
			abort();
		winners_recompute();	/* the pointers moved */
	}
	w = &writes[nwrites++];
	*w = (struct write){ .key = k, .version = u.version,
			     .origin = u.origin, .del = del,
			     .value_len = len };
	w->value = malloc(len + 1);
	memcpy(w->value, value, len);
	write_held(w, nd);
	nd->own_ver[k] = u.version;
	del ? deletes++ : publishes++;
	trace("node %u %s key %u v%llu", nd->idx, del ? "deletes" : "publishes",
	      k, (unsigned long long)u.version);
	gossip_eager_publish(&nd->gn, &u);
}

/*
 * store.c publishes a this-life entry again, above its own origin's
 * earlier life (its "incarnation" rule): after each step of @nd, a new
 * version of its own origin in its store is a write of the oracle's, with
 * the value and kind of the entry it replaced.
 */
static void own_republished(struct sim_node *nd)
{
	struct gossip_entry *e;
	struct write *w;
	u32 k;

	for (k = 0; k < P.nkeys; k++) {
		e = held(nd, k);
		if (!e || e->origin != nd->gn.node_id ||
		    !(e->flags & GOSSIP_ENTRY_F_OWN) ||
		    e->version == nd->own_ver[k] ||
		    write_find(k, e->version, e->origin))
			continue;
		if (nwrites == writes_cap) {
			writes_cap = writes_cap ? 2 * writes_cap : 256;
			writes = realloc(writes, writes_cap * sizeof(*writes));
			if (!writes)
				abort();
			winners_recompute();
		}
		w = &writes[nwrites++];
		*w = (struct write){ .key = k, .version = e->version,
				     .origin = e->origin,
				     .del = !!(e->flags & GOSSIP_ENTRY_F_TOMBSTONE),
				     .value_len = e->value_len };
		w->value = malloc(e->value_len + 1);
		memcpy(w->value, e->value, e->value_len);
		write_held(w, nd);
		nd->own_ver[k] = e->version;
		trace("node %u publishes key %u again at v%llu%s", nd->idx, k,
		      (unsigned long long)e->version, w->del ? " (del)" : "");
	}
}

/*
 * Whether write @w was made below a version its origin made before it (a
 * re-created node whose clock was behind its earlier life): store.c
 * publishes it again once it sees that version, and until then a mark of
 * that earlier life may cover it.
 */
static bool inverted(const struct write *w)
{
	const struct write *x;

	for (x = writes; x < w; x++)
		if (x->origin == w->origin && x->version >= w->version)
			return true;
	return false;
}

/* ---- invariants --------------------------------------------------------- */

static struct gossip_entry *held(struct sim_node *nd, u32 k)
{
	struct gossip_key key;

	make_key(&key, k);
	return gossip_store_lookup(&nd->gn.store, &key);
}

static bool is_live(const struct gossip_entry *e)
{
	return e && !(e->flags & GOSSIP_ENTRY_F_TOMBSTONE);
}

static bool entry_is(const struct gossip_entry *e, const struct write *w)
{
	return e && w && e->version == w->version && e->origin == w->origin;
}

/*
 * (d), at every step: no node's mark for an origin covers the write that
 * must win its key (the highest some node holds or held) while the node
 * holds neither it nor anything newer: that node would drop it as stale
 * and never ask for it. A winning delete only matters where the node holds
 * a value: a node that never saw the key has nothing to drop.
 */
static void check_marks(struct sim_node *nd)
{
	struct gossip_entry *e;
	struct write *w;
	u32 k;

	for (k = 0; k < P.nkeys; k++) {
		w = winner[k];
		if (!w || mark_of(nd, w->origin) < w->version)
			continue;
		e = held(nd, k);
		if (entry_is(e, w) || (e && w_newer(&(struct write){
				.version = e->version, .origin = e->origin }, w)))
			continue;
		if (w->del && !is_live(e))
			continue;
		if (inverted(w))
			continue;	/* its origin will publish it again */
		violation("(d) node %u: mark %llu for origin %u covers key %u v%llu%s, which it does not hold (holds %s v%llu o%u)",
			  nd->idx, (unsigned long long)mark_of(nd, w->origin),
			  w->origin, k, (unsigned long long)w->version,
			  w->del ? " (a delete)" : "",
			  e ? (is_live(e) ? "value" : "tombstone") : "nothing",
			  e ? (unsigned long long)e->version : 0ULL,
			  e ? e->origin : 0);
		return;
	}
}

/* (e): the store within its own limits and the key space. */
static void check_bounds(struct sim_node *nd)
{
	struct gossip_store *st = &nd->gn.store;

	if (st->count > P.nkeys || st->count > GOSSIP_ENTRIES_MAX ||
	    st->bytes > nd->gn.store_bytes ||
	    st->origin_count > P.n || st->acks_count > st->origin_count ||
	    st->tombstone_count > st->count || nd->gn.replay_count > P.n)
		violation("(e) node %u: %u entries (%u keys), %u bytes, %u origins, %u acks, %u tombstones, %u replay windows",
			  nd->idx, st->count, P.nkeys, st->bytes,
			  st->origin_count, st->acks_count, st->tombstone_count,
			  nd->gn.replay_count);
}

/*
 * (a), (b), (c) at quiescence: every node holds, for each key, the winning
 * write if it is a value (same version, origin and bytes) and no value if
 * it is a delete. Returns whether they hold; with @report, a violation.
 */
static bool check_converged(bool report)
{
	struct gossip_entry *e;
	struct write *w;
	u32 i, k;

	for (i = 0; i < P.n; i++) {
		for (k = 0; k < P.nkeys; k++) {
			w = winner[k];
			e = held(&nodes[i], k);
			if (!w || w->del) {
				if (!is_live(e))
					continue;
				if (report)
					violation("(c) node %u holds key %u v%llu o%u: %s",
						  i, k, (unsigned long long)e->version,
						  e->origin, w ? "deleted after" : "never stored by a node alive");
				return false;
			}
			if (entry_is(e, w) && is_live(e) &&
			    e->value_len == w->value_len &&
			    !memcmp(e->value, w->value, w->value_len))
				continue;
			if (report)
				violation("(a,b) node %u holds key %u as %s v%llu o%u, the highest write is v%llu o%u",
					  i, k, !e ? "nothing" : is_live(e) ?
					  "value" : "tombstone",
					  e ? (unsigned long long)e->version : 0ULL,
					  e ? e->origin : 0,
					  (unsigned long long)w->version, w->origin);
			return false;
		}
	}
	/*
	 * (g): of two writes of one origin to a key, the later wins. A node
	 * re-created with its node id and a clock behind its earlier life
	 * writes below it: store.c publishes the write again above it.
	 */
	for (k = 0; k < P.nkeys; k++) {
		w = winner[k];
		for (i = w ? w - writes + 1 : nwrites; i < nwrites; i++) {
			if (writes[i].key != k || writes[i].origin != w->origin ||
			    !writes[i].holders)
				continue;
			if (report)
				violation("(g) key %u: v%llu o%u wins, but its origin wrote it later at v%llu",
					  k, (unsigned long long)w->version,
					  w->origin,
					  (unsigned long long)writes[i].version);
			return false;
		}
	}
	return true;
}

/* ---- the fault and write generator -------------------------------------- */

static u64 hard_ns(void)
{
	return (u64)P.tombstone_ms * MS * 10;	/* GOSSIP_TOMB_HARD_MULT */
}

/*
 * How long a node may be away: within the documented guarantee (a node
 * away longer than the hard limit must rejoin empty), with room to catch
 * up before the others' hard limit: at most 2 tombstone_ms, and after it
 * a node rests hard/3 before its next fault.
 */
static u64 away_ns(void)
{
	return P.interval_ms * MS +
	       rnd_below(&sched_rng, 2 * P.tombstone_ms) * MS;
}

static bool idle(struct sim_node *nd)
{
	return nd->up && now >= nd->busy_until && !partitioned;
}

static void schedule_up(struct sim_node *nd, u64 d)
{
	nd->busy_until = now + d + hard_ns() / 3;
	ev_push((struct event){ .t = now + d, .type = EV_UP, .node = nd->idx });
}

/*
 * Whether @nd holds the only copy of a write: a crash would lose it, and
 * the writes it superseded elsewhere with it (see docs/simulator.md).
 */
static bool sole_holder(struct sim_node *nd)
{
	size_t i;

	for (i = 0; i < nwrites; i++)
		if (writes[i].holders == 1ULL << nd->idx)
			return true;
	return false;
}

static void fault_down(struct sim_node *nd, bool crash)
{
	u64 d = away_ns();
	s64 step = 0;

	if (crash && !opt.crash_any && sole_holder(nd))
		crash = false;	/* down instead */

	/*
	 * The wall clock may step back across a down/up (the HLC keeps the
	 * versions growing) and across a crash, where the re-created
	 * instance's clock starts at its wall clock, behind its earlier life
	 * (store.c's incarnation rule). Steps stay within a quarter of
	 * max-skew.
	 */
	step = (s64)rnd_below(&sched_rng, P.max_skew_ms / 4) * (s64)MS;
	if (P.auth != 2 && chance(&sched_rng, 0.5))
		step = -step;
	if (llabs(nd->real_off + step) > (s64)P.max_skew_ms * (s64)MS / 4)
		step = 0;
	nd->real_off += step;
	if (crash)
		node_crash(nd);
	else
		node_down(nd);
	trace("node %u away %.0f ms, clock step %+.0f ms", nd->idx, d / 1e6,
	      step / 1e6);
	schedule_up(nd, d);
}

static void fault_partition(void)
{
	u64 d = away_ns();
	u32 i;

	for (i = 0; i < P.n; i++) {
		nodes[i].side = rnd_below(&sched_rng, 2);
		nodes[i].busy_until = now + d + hard_ns() / 3;
	}
	partitioned = true;
	trace("partition for %.0f ms", d / 1e6);
	ev_push((struct event){ .t = now + d, .type = EV_HEAL });
}

/* Change a node's mode, fanout or eager as netlink's config set does. */
static void fault_config(struct sim_node *nd)
{
	struct gossip_net *gn = &nd->gn;

	switch (rnd_below(&sched_rng, 3)) {
	case 0:
		WRITE_ONCE(gn->mode, 1 + rnd_below(&sched_rng, 3));
		break;
	case 1:
		WRITE_ONCE(gn->fanout, 1 + rnd_below(&sched_rng, 4));
		break;
	default:
		WRITE_ONCE(gn->eager, !gn->eager);
		break;
	}
	trace("node %u config: mode %u fanout %u eager %u", nd->idx, gn->mode,
	      gn->fanout, gn->eager);
}

/*
 * A stranger (or anyone, without keys) sends an entry of a real origin
 * with a version beyond every node's max-skew: the refusal the HLC fix
 * added (rx_err_future) must keep it out of every store.
 */
static void fault_forge(void)
{
	u32 to = rnd_below(&sched_rng, P.n), i;
	struct gossip_wire_writer w;
	struct gossip_wire_entry we;
	struct gossip_key key;
	struct sk_buff *skb;
	u64 top = 0;
	u8 label[GOSSIP_LABEL_MAX];

	for (i = 0; i < P.n; i++)
		top = max(top, (EPOCH_NS + now + nodes[i].real_off) / 1000);
	make_key(&key, rnd_below(&sched_rng, P.nkeys));
	we = (struct gossip_wire_entry){
		.key = key.data, .key_len = key.len, .value = (const u8 *)"x",
		.value_len = 1,
		.version = top + (u64)P.max_skew_ms * 1000 + 1000000 +
			   rnd_below(&sched_rng, 1000000),
		.origin = node_id(rnd_below(&sched_rng, P.n)),
	};
	skb = alloc_skb(2048, 0);
	skb_reserve(skb, 1 + GOSSIP_LABEL_MAX);
	gossip_wire_begin(&w, skb->data, 1024, GOSSIP_MSG_PUSH, 0xdead);
	gossip_wire_put_entry(&w, &we);
	skb_put(skb, gossip_wire_finish(&w));
	if (P.label_len) {	/* an insider: it knows the label */
		skb_push(skb, 1 + P.label_len);
		memmove(skb->data, skb->data + 1 + P.label_len,
			sizeof(struct gossip_msg_header));
		memset(label, 'L', P.label_len);
		gossip_wire_label_prefix(skb->data, skb->len, label,
					 P.label_len);
	}
	trace("forged entry v%llu o%u to node %u",
	      (unsigned long long)we.version, we.origin, to);
	{
		struct event e = { .t = now + P.delay_ns, .type = EV_DELIVER,
				   .node = to, .arg = U32_MAX,
				   .len = skb->len };

		e.buf = malloc(skb->len);
		memcpy(e.buf, skb->data, skb->len);
		ev_push(e);
	}
	kfree_skb(skb);
}

/* A key rotation: add the new key everywhere, use it, drop the old one. */
static void fault_rotate(void)
{
	u32 i, phase;

	rotating = true;
	for (i = 0; i < P.n; i++)
		for (phase = 0; phase < 3; phase++)
			ev_push((struct event){
				.t = now + phase * 2 * SEC +
				     rnd_below(&sched_rng, 1000) * MS,
				.type = EV_ROTATE, .node = i, .arg = phase });
	ev_push((struct event){ .t = now + 6 * SEC, .type = EV_ROTATE,
				.node = U32_MAX, .arg = 3 });
}

static void do_rotate(u32 i, u32 phase)
{
	u8 secret[GOSSIP_SECRET_LEN];
	struct gossip_net *gn;

	if (i == U32_MAX) {	/* done */
		key_id++;
		rotating = false;
		return;
	}
	gn = &nodes[i].gn;
	cur = &nodes[i];
	if (phase == 0) {
		key_secret(secret, (u8)(key_id + 1));
		gossip_authkey_add(gn, (u8)(key_id + 1), secret, NULL);
	} else if (phase == 1) {
		gossip_authkey_use(gn, (u8)(key_id + 1), NULL);
	} else {
		gossip_authkey_del(gn, key_id, NULL);
	}
	trace("node %u key rotation step %u", i, phase);
}

static void tick(void)
{
	struct sim_node *nd = &nodes[rnd_below(&sched_rng, P.n)];
	u32 k;

	while (chance(&sched_rng, P.p_write)) {
		nd = &nodes[rnd_below(&sched_rng, P.n)];
		k = rnd_below(&sched_rng, P.nkeys);
		node_write(nd, k, chance(&sched_rng, P.p_del));
	}
	nd = &nodes[rnd_below(&sched_rng, P.n)];
	if (idle(nd) && chance(&sched_rng, P.p_down))
		fault_down(nd, false);
	else if (idle(nd) && chance(&sched_rng, P.p_crash))
		fault_down(nd, true);
	if (chance(&sched_rng, P.p_conf))
		fault_config(nd);
	if (chance(&sched_rng, P.p_forge))
		fault_forge();
	if (P.auth == 2 && !rotating && chance(&sched_rng, P.p_rotate))
		fault_rotate();
	if (!partitioned && chance(&sched_rng, P.p_part)) {
		for (k = 0; k < P.n && idle(&nodes[k]); k++)
			;
		if (k == P.n)
			fault_partition();
	}
	ev_push((struct event){ .t = now + P.interval_ms * MS,
				.type = EV_TICK });
}

/* ---- one schedule ------------------------------------------------------- */

static void draw_params(void)
{
	u32 i, j;

	memset(&P, 0, sizeof(P));
	P.n = opt.nodes ? (u32)opt.nodes :
	      chance(&sched_rng, 0.15) ? 9 + rnd_below(&sched_rng, 8) :
	      2 + rnd_below(&sched_rng, 7);
	P.nkeys = 1 + rnd_below(&sched_rng, 5);
	for (i = 0; i < P.nkeys; i++)
		P.key_len[i] = chance(&sched_rng, 0.3) ? GOSSIP_KEY_MAX :
			       1 + rnd_below(&sched_rng, 16);
	P.interval_ms = 100;
	P.lockstep = chance(&sched_rng, 0.25);
	P.tombstone_ms = 1000 + rnd_below(&sched_rng, 2000);
	P.max_skew_ms = 2000 + rnd_below(&sched_rng, 58000);
	P.max_dgram = chance(&sched_rng, 0.6) ?
		      GOSSIP_DGRAM_MIN + rnd_below(&sched_rng, 100) :
		      GOSSIP_DGRAM_MIN + rnd_below(&sched_rng, 2000);
	P.auth = rnd_below(&sched_rng, 3);
	if (P.auth || chance(&sched_rng, 0.3))
		P.label_len = chance(&sched_rng, 0.5) ? GOSSIP_LABEL_MAX :
			      1 + rnd_below(&sched_rng, GOSSIP_LABEL_MAX);
	while (P.label_len && !gossip_store_dgram_fits(P.max_dgram,
						       P.label_len))
		P.label_len--;
	if (P.auth == 1 && !P.label_len)
		P.auth = 0;
	P.loss = rnd_unit(&sched_rng) * 0.25;
	P.dup = rnd_unit(&sched_rng) * 0.1;
	P.delay_ns = (1 + rnd_below(&sched_rng, 5)) * MS;
	P.jitter_ns = rnd_below(&sched_rng, 60) * MS;
	for (i = 0; i < P.n; i++)
		for (j = 0; j < P.n; j++)
			P.link_loss[i][j] = P.loss * 2 * rnd_unit(&sched_rng);
	P.fault_ns = (3 + rnd_below(&sched_rng, 25)) * SEC;
	P.p_write = 0.2 + rnd_unit(&sched_rng) * 0.7;
	P.p_del = rnd_unit(&sched_rng) * 0.5;
	P.p_down = rnd_unit(&sched_rng) * 0.05;
	P.p_crash = rnd_unit(&sched_rng) * 0.03;
	P.p_part = rnd_unit(&sched_rng) * 0.02;
	P.p_conf = rnd_unit(&sched_rng) * 0.05;
	P.p_forge = rnd_unit(&sched_rng) * 0.02;
	P.p_rotate = rnd_unit(&sched_rng) * 0.05;
}

static void deliver(struct event *e)
{
	struct sim_node *nd = &nodes[e->node];
	union gossip_sockaddr from;

	if (nd->up) {
		if (e->arg == U32_MAX) {
			from = nodes[0].addr;
			from.in4.sin_port = htons(FORGER_PORT);
		} else {
			from = nodes[e->arg].addr;
		}
		cur = nd;
		gossip_rx(&nd->gn, e->buf, e->len, &from, &nd->addr);
	}
	free(e->buf);
}

static void run_event(struct event *e)
{
	struct sim_node *nd = e->node < P.n ? &nodes[e->node] : NULL;
	enum hrtimer_restart r;

	switch (e->type) {
	case EV_ROUND:
		if (e->arg != e->timer->gen)
			return;
		e->timer->queued = false;
		if (!nd->gn.running)
			return;
		cur = nd;
		r = e->timer->function(e->timer);
		if (r == HRTIMER_RESTART)
			sim_timer_start(e->timer, e->timer->expires);
		break;
	case EV_DELIVER:
		deliver(e);
		break;
	case EV_TICK:
		if (now < P.fault_ns)
			tick();
		return;
	case EV_UP:
		node_up(nd);
		break;
	case EV_HEAL:
		partitioned = false;
		trace("partition healed");
		return;
	case EV_ROTATE:
		do_rotate(e->node, e->arg);
		return;
	}
	if (nd && !opt.scale) {
		own_republished(nd);
		check_bounds(nd);
		check_marks(nd);
	}
}

/* Run events up to simulated time @until. */
static void run_until(u64 until)
{
	struct event e;

	while (heap_n && heap[0].t <= until && !failed) {
		e = ev_pop();
		now = e.t;
		steps++;
		run_event(&e);
	}
	now = max(now, until);
}

static void cleanup(void)
{
	size_t i;

	for (i = 0; i < heap_n; i++)
		free(heap[i].buf);
	heap_n = 0;
	for (i = 0; i < P.n && nodes; i++)
		node_destroy(&nodes[i]);
	free(nodes);
	nodes = NULL;
	for (i = 0; i < nwrites; i++)
		free(writes[i].value);
	free(writes);
	writes = NULL;
	nwrites = writes_cap = 0;
	memset(winner, 0, sizeof(winner));
	cur = NULL;
}

/* Returns 0 when every invariant held; the run's steps add to *@nsteps. */
static int run_one(u64 s, u64 *nsteps)
{
	const u64 settle_max = 120 * SEC;
	u64 quiet_from;
	u32 i;

	seed = s;
	sched_rng.s = s * 2 + 1;
	kern_rng.s = ~s * 2;
	now = 0;
	ev_seq = 0;
	steps = 0;
	failed = false;
	partitioned = rotating = false;
	key_id = 1;
	dgrams_sent = dgrams_lost = publishes = deletes = 0;
	draw_params();
	nodes = calloc(P.n, sizeof(*nodes));
	for (i = 0; i < P.n; i++) {
		nodes[i].idx = i;
		nodes[i].mono_off = (1 + i) * 1000 * SEC;
		nodes[i].real_off = ((s64)rnd_below(&sched_rng,
						    P.max_skew_ms / 4 + 1) -
				     (s64)(P.max_skew_ms / 8)) * (s64)MS;
		nodes[i].addr.in4.sin_family = AF_INET;
		nodes[i].addr.in4.sin_addr.s_addr = htonl(0x0a000001);
		nodes[i].addr.in4.sin_port = htons(SIM_PORT + i);
	}
	for (i = 0; i < P.n; i++) {
		node_create(&nodes[i]);
		node_peers(&nodes[i]);
		node_auth(&nodes[i]);
	}
	if (opt.trace)
		printf("seed %llu: %u nodes, %u keys, auth %u label %u, max-dgram %u, tombstone-ms %u, max-skew-ms %u, loss %.2f dup %.2f jitter %llu ms, faults for %llu s\n",
		       (unsigned long long)s, P.n, P.nkeys, P.auth, P.label_len,
		       P.max_dgram, P.tombstone_ms, P.max_skew_ms, P.loss,
		       P.dup, (unsigned long long)(P.jitter_ns / MS),
		       (unsigned long long)(P.fault_ns / SEC));
	for (i = 0; i < P.n; i++)
		node_up(&nodes[i]);
	ev_push((struct event){ .t = 0, .type = EV_TICK });
	run_until(P.fault_ns);

	/* Quiescence: every fault ends, the network is perfect, no writes. */
	partitioned = false;
	for (i = 0; i < P.n; i++)
		P.link_loss[i][i] = 0;
	memset(P.link_loss, 0, sizeof(P.link_loss));
	P.dup = 0;
	for (i = 0; i < P.n; i++)
		node_up(&nodes[i]);
	quiet_from = now;
	while (!failed && !check_converged(false) &&
	       now - quiet_from < settle_max)
		run_until(now + SEC);
	if (!failed)
		check_converged(true);
	for (i = 0; i < P.n && !failed; i++)
		check_marks(&nodes[i]);
	trace("end: %llu steps, %llu datagrams (%llu lost), %llu publishes, %llu deletes, settled in %.1f s",
	      (unsigned long long)steps, (unsigned long long)dgrams_sent,
	      (unsigned long long)dgrams_lost, (unsigned long long)publishes,
	      (unsigned long long)deletes, (now - quiet_from) / 1e9);
	*nsteps += steps;
	cleanup();
	return failed;
}


/* ---- --scale: one update over many nodes (issue 15 item 5 groundwork) -- */

/*
 * GOSSIP_PEERS_MAX caps a peer set at 1024, and n sets of n - 1 peers
 * would take O(n^2) memory: the nodes share peer sets instead, made once
 * by gossip_peers_change() on a template instance and pointed to by every
 * node's gn->peers (RCU pointers are plain here). Up to 1024 nodes, one
 * set of all of them: full membership (a node's pick of itself is
 * dropped). Beyond, a partial view that is symmetric, since a node only
 * answers the digests of its own peers: the nodes, in a random order,
 * fall into m groups of g; group a's set is the groups a + d (mod m) for
 * d in {0, +-1, +-2, +-4, ...}, a circulant graph of diameter about
 * log2(m), with g as large as keeps a set within 1024 peers. So memory
 * is one set per group: O(n), about 1024 * (28 + 4 + 2 + 8 + 64) bytes
 * per g nodes. The reply credits and peer counters in a set are shared
 * by the nodes of its group: fine for lockstep rounds without loss.
 */
static struct sim_node *templ;
static u32 nsets;

/* The group offsets of the circulant graph on @m groups: @d, returns n. */
static u32 scale_offsets(u32 m, u32 *d)
{
	u32 n = 0, k, j;

	d[n++] = 0;
	for (k = 1; k < m; k *= 2) {
		for (j = 0; j < n && d[j] != k % m; j++)
			;
		if (j == n)
			d[n++] = k % m;
		for (j = 0; j < n && d[j] != (m - k) % m; j++)
			;
		if (j == n)
			d[n++] = (m - k) % m;
	}
	return n;
}

static void scale_groups(void)
{
	u32 g = min_t(u32, P.n, GOSSIP_PEERS_MAX), m = 1, nd = 1, i, j, k;
	u32 *perm = malloc(P.n * sizeof(*perm)), d[80], cnt, bad;
	union gossip_sockaddr *a = calloc(GOSSIP_PEERS_MAX, sizeof(*a));

	for (i = 0; i < P.n; i++) {	/* an inside-out Fisher-Yates */
		k = rnd_below(&sched_rng, i + 1);
		perm[i] = perm[k];
		perm[k] = i;
	}
	if (P.n > GOSSIP_PEERS_MAX) {
		for (g = GOSSIP_PEERS_MAX; g > 1; g--) {
			m = DIV_ROUND_UP(P.n, g);
			nd = scale_offsets(m, d);
			if (nd * g <= GOSSIP_PEERS_MAX)
				break;
		}
	} else {
		d[0] = 0;
	}
	nsets = m;
	templ = calloc(nsets, sizeof(*templ));
	for (j = 0; j < m; j++) {
		cnt = 0;
		for (k = 0; k < nd; k++)
			for (i = ((j + d[k]) % m) * g;
			     i < min_t(u32, P.n, ((j + d[k]) % m + 1) * g); i++)
				a[cnt++] = nodes[perm[i]].addr;
		cur = &templ[j];
		if (gossip_peers_change(&templ[j].gn, true, a, cnt, &bad, NULL))
			abort();
	}
	for (i = 0; i < P.n; i++) {
		j = i / g;		/* the group of perm[i] */
		nodes[perm[i]].gn.peers = templ[j].gn.peers;
		nodes[perm[i]].gn.peers_gen = templ[j].gn.peers_gen;
		nodes[perm[i]].gn.hot_budget = templ[j].gn.hot_budget;
	}
	if (P.n > GOSSIP_PEERS_MAX)
		printf("# %u nodes: %u groups of %u, %u groups a set (offsets 0, +-2^k)\n",
		       P.n, m, g, nd);
	free(a);
	free(perm);
}

/*
 * Up to SCALE_OWN_MAX nodes, each node gets its own set of the n - 1
 * others, as in the VM's bench (no pick of itself): what the comparison
 * with the VM at n = 16..256 needs.
 */
#define SCALE_OWN_MAX	256
static bool own_sets;
static const char *view_name = "";

static void scale_own(void)
{
	union gossip_sockaddr *a = calloc(P.n, sizeof(*a));
	u32 i, j, cnt, bad;

	for (i = 0; i < P.n; i++) {
		for (cnt = 0, j = 0; j < P.n; j++)
			if (j != i)
				a[cnt++] = nodes[j].addr;
		cur = &nodes[i];
		if (cnt && gossip_peers_change(&nodes[i].gn, true, a, cnt,
						&bad, NULL))
			abort();
	}
	free(a);
}

/*
 * --full past GOSSIP_PEERS_MAX: one set of all n nodes, built here with
 * the layout peers.c's peers_replace() gives a set (addr[], state[],
 * credit[], the sorted index), since gossip_peers_change() refuses more
 * than GOSSIP_PEERS_MAX peers. BEYOND THE MODULE'S LIMIT: a module cannot
 * be configured so. The sorted index is u16, so at most 65536 peers.
 * Addresses are in index order (10.1.(i / 50000), port 7000 + i % 50000),
 * which is addr_cmp()'s order: sorted[i] = i.
 */
static void scale_full(void)
{
	struct gossip_peer_set *set;
	struct gossip_net *gn;
	u32 i, c = P.n;
	size_t sz;

	if (c - 1 > U16_MAX) {
		fprintf(stderr, "--full: at most %u nodes (set->sorted is u16)\n",
			U16_MAX + 1);
		exit(2);
	}
	nsets = 1;
	templ = calloc(1, sizeof(*templ));
	gn = &templ->gn;
	sz = sizeof(*set) + c * sizeof(set->addr[0]) + sizeof(void *) +
	     c * (sizeof(*set->state) + sizeof(*set->credit) +
		  sizeof(*set->sorted));
	set = sim_alloc(sz, true);
	set->count = c;
	set->gen = 1;
	set->state = PTR_ALIGN((void *)&set->addr[c], sizeof(void *));
	set->credit = (atomic_t *)&set->state[c];
	set->sorted = (u16 *)&set->credit[c];
	for (i = 0; i < c; i++) {
		set->addr[i] = nodes[i].addr;
		set->state[i] = sim_alloc(sizeof(**set->state), true);
		set->sorted[i] = i;
	}
	gn->peers = set;
	gn->peers_gen = 1;
	gn->hot_budget = gossip_hot_budget(c);
	for (i = 0; i < P.n; i++) {
		nodes[i].gn.peers = set;
		nodes[i].gn.peers_gen = 1;
		nodes[i].gn.hot_budget = gn->hot_budget;
	}
}

/*
 * A warm cluster: every peer's reply credit full (GOSSIP_REPLY_DGRAMS
 * datagrams), as in a cluster that has run a while (the VM's bench): a
 * credit is earned by each datagram from the peer and only spent by
 * answers that carry entries. Cold (--cold), every credit is 0, and a
 * digest of an empty node (a header) pays for no answer with the value:
 * pull waits until the asker has sent the holder enough digests.
 */
static void scale_warm(void)
{
	int full = GOSSIP_REPLY_DGRAMS * P.max_dgram;
	struct gossip_peer_set *set;
	u32 i, j;

	for (i = 0; i < (own_sets ? P.n : nsets); i++) {
		set = own_sets ? nodes[i].gn.peers : templ[i].gn.peers;
		for (j = 0; set && j < set->count; j++)
			atomic_set(&set->credit[j], full);
	}
}

static void scale_peers(void)
{
	own_sets = false;
	if (P.n <= SCALE_OWN_MAX) {
		own_sets = true;
		view_name = "own";
		scale_own();
	} else if (P.n <= GOSSIP_PEERS_MAX) {
		view_name = "full";
		scale_groups();
	} else if (opt.full) {
		view_name = "full*";
		scale_full();
	} else {
		view_name = "groups";
		scale_groups();
	}
	if (!opt.cold && !opt.bench)
		scale_warm();	/* --bench: a fresh cluster's, 0 */
}

static void scale_free(void)
{
	u32 i;

	if (own_sets)
		return;		/* node_destroy() frees each node's own */
	for (i = 0; i < P.n; i++)
		nodes[i].gn.peers = NULL;
	for (i = 0; i < nsets; i++) {
		cur = &templ[i];
		gossip_peers_free(&templ[i].gn);
	}
	free(templ);
	templ = NULL;
	nsets = 0;
}

static long rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* CPU time of the process: the machine may be shared. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct scale_res {
	double r50, r90, r100;		/* --bench: the means of its trials */
	u32 min100, max100;
	double dgrams, copies, cuts, us_round, kib, secs;
	double ms100;			/* when the last node stored it */
	/* --idle: datagrams and bytes per node and second, idle */
	double idle_dgrams, idle_bytes;
};

static u64 stat_sum(int idx)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < P.n; i++)
		sum += nodes[i].stats[idx];
	return sum;
}

static void tree_print(const char *when)
{
	u32 i, j, links = 0, lo = U32_MAX, hi = 0, none = 0, l;
	struct gossip_peer_set *set;

	for (i = 0; i < P.n; i++) {
		set = (struct gossip_peer_set *)nodes[i].gn.peers;
		for (l = 0, j = 0; set && j < set->count; j++)
			l += !!atomic_read(&set->state[j]->tree);
		links += l;
		lo = min(lo, l);
		hi = max(hi, l);
		none += !l;
	}
	printf("# eager tree %s: %u link ends (%.2f a node, %u to %u, %u nodes with none); tx_tree %llu tx_prune %llu tx_graft %llu so far\n",
	       when, links, (double)links / P.n, lo, hi, none,
	       (unsigned long long)stat_sum(GOSSIP_STATS_A_TX_TREE),
	       (unsigned long long)stat_sum(GOSSIP_STATS_A_TX_PRUNE),
	       (unsigned long long)stat_sum(GOSSIP_STATS_A_TX_GRAFT));
}

/* --bench: publish key @k on @nd, the value @len bytes (store.c's put). */
static struct write *bench_publish(struct sim_node *nd, u32 k, u32 len)
{
	struct gossip_key key;
	struct gossip_update u = { .key = &key };
	u8 value[8];
	struct write *w;

	make_key(&key, k);
	snprintf((char *)value, sizeof(value), "%u", nd->idx + 1);
	u.value = value;
	u.value_len = len;
	cur = nd;
	if (gossip_store_put(&nd->gn, &u) != GOSSIP_PUT_APPLIED)
		abort();
	gossip_stat_inc(&nd->gn, GOSSIP_STATS_A_RUMORS_PUBLISHED);
	if (nwrites == writes_cap) {
		writes_cap = writes_cap ? 2 * writes_cap : 256;
		writes = realloc(writes, writes_cap * sizeof(*writes));
		if (!writes)
			abort();
	}
	w = &writes[nwrites++];
	*w = (struct write){ .key = k, .version = u.version,
			     .origin = u.origin, .value_len = len,
			     .t_pub = now };
	w->value = malloc(len + 1);
	memcpy(w->value, value, len);
	write_held(w, nd);
	nd->own_ver[k] = u.version;
	publishes++;
	gossip_eager_publish(&nd->gn, &u);
	return w;
}

/*
 * --bench T: selftests/bench.sh's procedure for one cluster size. A fresh
 * cluster (every reply credit 0), mode push (main.c's default) and fanout
 * 1, up --warmup rounds; then its cells in its order, fanout 1 and 3, each
 * of push, pull and pushpull: every node set to the cell's mode and
 * fanout, T values published 2 rounds apart on random nodes (the key
 * "n<N>-<mode>-f<F>-on-<t>", the value the node's number, 1-based), the
 * rounds on until every node holds every value of the cell, then --gap
 * idle rounds (the bench's stats and dumps). The cells before the asked
 * one run as in the bench (their values and credits stay); the asked one
 * is measured as bench_report.py does: per value, the round of the
 * ceil(frac * n)-th node to store it (stamps' interval numbers minus the
 * publisher's), and the datagrams, copies and tx_reply_cut of the cell
 * per value. Returns 1 if a cell did not complete in 1000 rounds.
 */
static int bench_cells(struct scale_res *res)
{
	static const char *const modes[] = { "", "push", "pull", "pushpull" };
	static const u32 fanouts[] = { 1, 3 };
	u64 ival = (u64)P.interval_ms * MS, dg0, cut0, cp0;
	u32 f, m, t, i, k = 0, round, done, r;
	struct write *w;
	size_t first;
	char tag[64];

	run_until(opt.warmup * ival + ival / 2);
	for (f = 0; f < ARRAY_SIZE(fanouts); f++) {
		for (m = GOSSIP_MODE_PUSH; m <= GOSSIP_MODE_PUSHPULL; m++) {
			for (i = 0; i < P.n; i++) {
				nodes[i].gn.mode = m;
				nodes[i].gn.fanout = fanouts[f];
			}
			dg0 = dgrams_sent;
			cut0 = stat_sum(GOSSIP_STATS_A_TX_REPLY_CUT);
			cp0 = stat_sum(GOSSIP_STATS_A_RUMORS_APPLIED) +
			      stat_sum(GOSSIP_STATS_A_RUMORS_DUPLICATE);
			first = nwrites;
			for (t = 1; t <= opt.bench; t++, k++) {
				P.key_len[k] = snprintf(tag, sizeof(tag),
							"n%u-%s-f%u-on-%u", P.n,
							modes[m], fanouts[f], t);
				P.nkeys = k + 1;
				i = rnd_below(&sched_rng, P.n);
				bench_publish(&nodes[i], k,
					      snprintf(tag, sizeof(tag), "%u",
						       i + 1));
				run_until(now + 2 * ival);
			}
			for (round = 0; round < 1000; round++) {
				for (done = 0, i = first; i < nwrites; i++)
					done += writes[i].nheld >= P.n;
				if (done == nwrites - first)
					break;
				run_until(now + ival);
			}
			if (round == 1000)
				return 1;
			if (m == opt.mode && fanouts[f] == opt.fanout) {
				res->r50 = res->r90 = res->r100 = 0;
				res->min100 = U32_MAX;
				res->max100 = 0;
				for (i = first; i < nwrites; i++) {
					w = &writes[i];
					res->r50 += w->t_at[0] / ival - w->t_pub / ival;
					res->r90 += w->t_at[1] / ival - w->t_pub / ival;
					r = w->t_at[2] / ival - w->t_pub / ival;
					res->r100 += r;
					res->min100 = min(res->min100, r);
					res->max100 = max(res->max100, r);
				}
				res->r50 /= opt.bench;
				res->r90 /= opt.bench;
				res->r100 /= opt.bench;
				res->dgrams = (double)(dgrams_sent - dg0) /
					      P.n / opt.bench;
				res->copies = (double)(stat_sum(GOSSIP_STATS_A_RUMORS_APPLIED) +
						       stat_sum(GOSSIP_STATS_A_RUMORS_DUPLICATE) -
						       cp0) / P.n / opt.bench;
				res->cuts = (double)(stat_sum(GOSSIP_STATS_A_TX_REPLY_CUT) -
						     cut0) / opt.bench;
				return 0;
			}
			run_until(now + opt.gap * ival);
		}
	}
	return 1;	/* the asked cell is not one of the bench's */
}

/*
 * --idle S: once every node holds the value, S more seconds (node 0's
 * first life catches up, the digests and summaries bring every mark
 * level), then what the cluster sends in the next 10 s, idle, per node
 * and second (issue 16's idle goal: at most 1 datagram and 100 bytes).
 */
static void scale_idle(struct scale_res *res)
{
	u64 d0, b0;

	run_until(now + (u64)opt.idle * SEC);
	d0 = stat_sum(GOSSIP_STATS_A_TX_DGRAMS);
	b0 = stat_sum(GOSSIP_STATS_A_TX_BYTES);
	run_until(now + 10 * SEC);
	res->idle_dgrams = (double)(stat_sum(GOSSIP_STATS_A_TX_DGRAMS) - d0) /
			   P.n / 10;
	res->idle_bytes = (double)(stat_sum(GOSSIP_STATS_A_TX_BYTES) - b0) /
			  P.n / 10;
	printf("# idle: %u s after the last node had the value, %.2f datagrams and %.1f bytes per node and second over 10 s\n",
	       opt.idle, res->idle_dgrams, res->idle_bytes);
}

/*
 * --startup: what a cluster costs from its start to @t_pub (--before), in
 * 20-s windows: datagrams per node and second, the nodes whose life still
 * waits for its peers' acks (store.c, "Incarnation"), the nodes whose
 * rounds are not quiet (send.c, "quiet"). With --origins every node's
 * first publish begins a life that each of its n - 1 peers must ack.
 */
static void scale_startup(u64 t_pub)
{
	u32 i, waiting, busy;
	u64 t = now, t0, d0;

	while (t < t_pub) {
		d0 = dgrams_sent;
		t0 = t;
		t = min(t + 20 * SEC, t_pub);
		run_until(t);
		for (waiting = busy = i = 0; i < P.n; i++) {
			waiting += nodes[i].gn.store.own_wait;
			busy += !gossip_quiet(&nodes[i].gn);
		}
		printf("# startup: %4llu s: %6.2f datagrams per node and second, %u lives waiting, %u nodes not quiet\n",
		       (unsigned long long)(t / SEC),
		       (double)(dgrams_sent - d0) * SEC / P.n / (t - t0),
		       waiting, busy);
	}
}

/*
 * --burst: the first min(n, MAX_KEYS) nodes each publish a key of their
 * own at once, as the efficiency bench's set-up does with every node;
 * returns 1 unless every node holds every key within 200 rounds. The
 * rounds and ms it took go into @res (r100, ms100), the copies per node
 * and key into @res->copies.
 */
static int scale_burst(struct scale_res *res, u64 t_pub)
{
	u32 k, i, done = 0, round, first = nwrites;
	u64 copies = 0, t_all = 0;

	for (k = 0; k < P.nkeys; k++)
		node_write(&nodes[k % P.n], k, false);
	for (round = 1; round <= 200 && !t_all; round++) {
		run_until(t_pub + round * P.interval_ms * MS);
		for (done = 0, i = first; i < nwrites; i++)
			done += writes[i].nheld >= P.n;
		if (done == nwrites - first) {
			for (i = first; i < nwrites; i++)
				t_all = max(t_all, writes[i].t_at[2]);
			res->r100 = round;
		}
	}
	for (i = 0; i < P.n; i++)
		copies += nodes[i].stats[GOSSIP_STATS_A_RUMORS_APPLIED] +
			  nodes[i].stats[GOSSIP_STATS_A_RUMORS_DUPLICATE];
	res->copies = (double)copies / P.n / P.nkeys;
	res->dgrams = (double)dgrams_sent / P.n / P.nkeys;
	res->ms100 = t_all ? (double)(t_all - t_pub) / MS : 0;
	res->min100 = res->max100 = res->r100;
	printf("# burst: %u keys on %u nodes: all held after %u rounds, %.1f ms (%u of %u keys everywhere)\n",
	       P.nkeys, P.n, t_all ? round - 1 : 0, res->ms100, done,
	       (u32)(nwrites - first));
	return !t_all;
}

/*
 * Lockstep rounds of 100 ms, 1 ms delay, no loss, no fault: node 0
 * publishes one value between two rounds, and the rounds go on until every
 * node holds it (or 1000 rounds). Prints the rounds to 50/90/100 %, the
 * datagrams and payload copies per node, and the cost per node.
 */
static int run_scale(u64 s, struct scale_res *res)
{
	static const char *const modes[] = { "", "push", "pull", "pushpull" };
	u32 i, k, r50 = 0, r90 = 0, r100 = 0, round;
	double t0 = cpu_s(), t1, t2;
	int bad = 0;
	long rss0 = rss_kb(), rss1;
	u64 copies = 0, rounds = 0, t_pub, base = 0, base_dgrams;
	u64 iwant0 = 0, retry0 = 0;
	struct write *w;

	*res = (struct scale_res){ .min100 = 0 };

	seed = s;
	sched_rng.s = s * 2 + 1;
	kern_rng.s = ~s * 2;
	now = 0;
	ev_seq = 0;
	steps = 0;
	dgrams_sent = dgrams_lost = publishes = deletes = 0;
	memset(&P, 0, sizeof(P));
	P.n = opt.scale;
	P.nkeys = opt.burst ? min_t(u32, opt.scale, MAX_KEYS) :
		  opt.origins ? MAX_KEYS : 1;
	for (i = 0; i < P.nkeys; i++)
		P.key_len[i] = 8;
	P.interval_ms = 100;
	P.lockstep = 1;
	P.tombstone_ms = 60000;
	P.max_dgram = GOSSIP_DEFAULT_DGRAM;
	P.max_skew_ms = GOSSIP_DEFAULT_MAX_SKEW_MS;
	P.delay_ns = MS;
	nodes = calloc(P.n, sizeof(*nodes));
	for (i = 0; i < P.n; i++) {
		nodes[i].idx = i;
		/*
		 * Lockstep: every node's round at the tick, or --spread: node
		 * i's clock behind by U(0, spread), so its round fires that
		 * much later, as in the VM, where one tick's rounds run one
		 * after the other on two CPUs.
		 */
		nodes[i].mono_off = 1000 * SEC -
				    (opt.spread_us ?
				     (u64)rnd_below(&sched_rng, opt.spread_us) *
				     1000 : 0);
		nodes[i].addr.in4.sin_family = AF_INET;
		nodes[i].addr.in4.sin_addr.s_addr = htonl(0x0a010000 + i / 50000);
		nodes[i].addr.in4.sin_port = htons(SIM_PORT + i % 50000);
		node_create(&nodes[i]);
		if (opt.keys) {	/* sealed: no reply credit, a lazy push */
			P.auth = 2;
			key_id = 1;
			node_auth(&nodes[i]);
		}
		nodes[i].gn.mode = opt.mode;
		nodes[i].gn.fanout = opt.fanout;
		nodes[i].gn.eager = opt.eager;
	}
	scale_peers();
	for (i = 0; i < P.n; i++) {
		node_up(&nodes[i]);
		/*
		 * --staggered: the nodes came up at different times, as the
		 * VM's do one after the other, so push mode's digest every
		 * GOSSIP_AE_ROUNDS rounds falls in a different round on each.
		 */
		if (opt.staggered)
			nodes[i].gn.ae_round = rnd_below(&sched_rng,
							 GOSSIP_AE_ROUNDS);
	}
	rss1 = rss_kb();
	t1 = cpu_s();
	scale_need[0] = max(1u, DIV_ROUND_UP(P.n, 2));
	scale_need[1] = max(1u, DIV_ROUND_UP(9 * P.n, 10));
	scale_need[2] = P.n;
	if (opt.bench) {
		bad = bench_cells(res);
		goto out;
	}
	t_pub = 50 * MS + (u64)opt.before * SEC;
	/*
	 * --warm: the publisher's first write (its life: store.c) at the
	 * start, so that the update measured is not a new life's, whose mark
	 * waits for every peer's ack; what it cost is not counted.
	 */
	if (opt.warm) {
		run_until(50 * MS);
		node_write(&nodes[0], 0, false);
	}
	/*
	 * --origins: every node writes a key (1 to MAX_KEYS - 1, shared
	 * when there are more nodes) and so becomes an origin, as in the
	 * efficiency bench: a digest then lists only the origins a datagram
	 * holds marks for (57 in pull at 1400 bytes), taking turns.
	 */
	if (opt.origins) {
		run_until(60 * MS);
		for (i = 0; i < P.n; i++)
			node_write(&nodes[i], 1 + i % (MAX_KEYS - 1), false);
	}
	if (opt.startup)
		scale_startup(t_pub);
	run_until(t_pub);
	for (i = 0; i < P.n; i++)
		base += nodes[i].stats[GOSSIP_STATS_A_RUMORS_APPLIED] +
			nodes[i].stats[GOSSIP_STATS_A_RUMORS_DUPLICATE];
	base_dgrams = dgrams_sent;
	if (opt.burst) {
		bad = scale_burst(res, t_pub);
		goto out;
	}
	/*
	 * --updates K: K - 1 updates of the key first, from random nodes, 20
	 * rounds apart (the eager tree then is what they made of it), the
	 * last one measured; their cost is not counted.
	 */
	for (k = 1; k < opt.updates; k++) {
		node_write(&nodes[rnd_below(&sched_rng, P.n)], 0, false);
		run_until(now + 20 * (u64)P.interval_ms * MS);
		t_pub = now;
		for (i = 0, base = 0; i < P.n; i++)
			base += nodes[i].stats[GOSSIP_STATS_A_RUMORS_APPLIED] +
				nodes[i].stats[GOSSIP_STATS_A_RUMORS_DUPLICATE];
		base_dgrams = dgrams_sent;
	}
	if (opt.eager)
		tree_print("before the update");
	iwant0 = stat_sum(GOSSIP_STATS_A_TX_IWANT);
	retry0 = stat_sum(GOSSIP_STATS_A_TX_IWANT_RETRY);
	node_write(&nodes[0], 0, false);
	w = &writes[nwrites - 1];
	for (round = 1; round <= 1000 && w->nheld < P.n; round++) {
		run_until(t_pub + round * P.interval_ms * MS);
		if (!r50 && w->nheld * 2 >= P.n)
			r50 = round;
		if (!r90 && w->nheld * 10 >= P.n * 9)
			r90 = round;
	}
	if (w->nheld >= P.n)
		r100 = round - 1;
	bad = !r100;
	/* --settle: what the update still costs once every node holds it */
	run_until(now + (u64)opt.settle * P.interval_ms * MS);
	if (opt.eager) {
		tree_print("after it");
		printf("# the update's IWANTs: %llu, %llu of them asked again (tx_iwant_retry)\n",
		       (unsigned long long)(stat_sum(GOSSIP_STATS_A_TX_IWANT) - iwant0),
		       (unsigned long long)(stat_sum(GOSSIP_STATS_A_TX_IWANT_RETRY) - retry0));
	}
	for (i = 0; i < P.n; i++)
		copies += nodes[i].stats[GOSSIP_STATS_A_RUMORS_APPLIED] +
			  nodes[i].stats[GOSSIP_STATS_A_RUMORS_DUPLICATE];
	copies -= base;
	*res = (struct scale_res){
		.r50 = r50, .r90 = r90, .r100 = r100,
		.min100 = r100, .max100 = r100,
		.dgrams = (double)(dgrams_sent - base_dgrams) / P.n,
		.copies = (double)copies / P.n,
		.cuts = stat_sum(GOSSIP_STATS_A_TX_REPLY_CUT),
		.ms100 = r100 ? (double)(w->t_at[2] - t_pub) / MS : 0,
	};
	if (opt.idle)
		scale_idle(res);
out:
	t2 = cpu_s();
	rounds = stat_sum(GOSSIP_STATS_A_ROUNDS);
	res->us_round = (t2 - t1) * 1e6 / (rounds ? rounds : 1);
	res->kib = (double)(rss1 - rss0) / P.n;
	res->secs = t2 - t0;
	printf("# seed %llu: %u nodes (%s) %s fanout %u eager %s%s: rounds to 50 %% %.2f, 90 %% %.2f, 100 %% %.2f (%u-%u)%s; per node and update: %.1f datagrams, %.2f payload copies; all held %.1f ms after the publish; %.2f answers cut (tx_reply_cut) per update; %.2f us CPU per node-round (%llu rounds, %llu steps, CPU: setup %.2f s, run %.2f s); %.1f KiB RSS per node\n",
	       (unsigned long long)s, P.n, view_name, modes[opt.mode],
	       opt.fanout, opt.eager ? "on" : "off",
	       opt.bench ? ", the bench's procedure" : opt.cold ? ", cold" : "",
	       res->r50, res->r90, res->r100, res->min100, res->max100,
	       bad ? " (not reached)" : "",
	       res->dgrams, res->copies, res->ms100, res->cuts, res->us_round,
	       (unsigned long long)rounds, (unsigned long long)steps,
	       t1 - t0, t2 - t1, res->kib);
	fflush(stdout);
	scale_free();
	cleanup();
	return bad;
}

/*
 * The theory: scripts/bench_report.py's simulate(), step() and pick() in C
 * (the same rules; its own PRNG, so not the same draws). Synchronous
 * rounds over n nodes with full membership and uniform picks: each node
 * picks min(fanout, n - 1) distinct others; an informed node pushes to its
 * picks (push, pushpull), an uninformed one learns if one of its picks is
 * informed (pull, pushpull); who learnt is applied after the round. Mean
 * rounds to 50/90/100 % over @runs runs into @m.
 */
static void theory(u32 n, u32 mode, u32 fanout, u32 runs, u64 s, double *m)
{
	u8 *inf = calloc(n, 1), *got = calloc(n, 1);
	u32 *learnt = malloc(n * sizeof(*learnt)), idx[GOSSIP_FANOUT_MAX + 1];
	u32 k = min(fanout, n - 1), r, i, j, t, c, count, nl, rnd, at50, at90;
	struct rng g = { s * 2 + 12345 };

	m[0] = m[1] = m[2] = 0;
	for (r = 0; r < runs; r++) {
		memset(inf, 0, n);
		inf[0] = 1;
		count = 1;
		rnd = at50 = at90 = 0;
		while (count < n) {
			rnd++;
			nl = 0;
			for (i = 0; i < n; i++) {
				/* Floyd over the n - 1 others, as rng.sample */
				for (c = 0, j = n - 1 - k; j < n - 1; j++) {
					idx[c] = rnd_below(&g, j + 1);
					for (t = 0; t < c; t++)
						if (idx[t] == idx[c])
							break;
					if (t < c)
						idx[c] = j;
					c++;
				}
				for (c = 0; c < k; c++)
					idx[c] += idx[c] >= i;
				if (inf[i] && mode != GOSSIP_MODE_PULL) {
					for (c = 0; c < k; c++)
						if (!inf[idx[c]] &&
						    !got[idx[c]]) {
							got[idx[c]] = 1;
							learnt[nl++] = idx[c];
						}
				}
				if (!inf[i] && !got[i] &&
				    mode != GOSSIP_MODE_PUSH) {
					for (c = 0; c < k; c++)
						if (inf[idx[c]])
							break;
					if (c < k) {
						got[i] = 1;
						learnt[nl++] = i;
					}
				}
			}
			for (c = 0; c < nl; c++) {
				inf[learnt[c]] = 1;
				got[learnt[c]] = 0;
			}
			count += nl;
			if (!at50 && count * 2 >= n)
				at50 = rnd;
			if (!at90 && count * 10 >= n * 9)
				at90 = rnd;
		}
		m[0] += at50;
		m[1] += at90;
		m[2] += rnd;
	}
	m[0] /= runs;
	m[1] /= runs;
	m[2] /= runs;
	free(inf);
	free(got);
	free(learnt);
}

/*
 * One cell of the table: @nseeds runs from seed @start (none with
 * --theory), their means beside the theory's, as a markdown row; with
 * --csv, one row appended to that file.
 */
static int scale_cell(u64 start, u64 nseeds)
{
	static const char *const modes[] = { "", "push", "pull", "pushpull" };
	u32 n = opt.scale, runs = max_t(u32, 200, 64000 / n), min100 = U32_MAX;
	u32 max100 = 0, done = 0;
	double th[3], sum[3] = { 0 }, dg = 0, cp = 0, us = 0, kib = 0, secs = 0;
	double cuts = 0;
	struct scale_res res = { .min100 = 0 };
	int failed_runs = 0;
	u64 s;
	FILE *f;

	for (s = start; !opt.theory && s < start + nseeds; s++) {
		failed_runs += run_scale(s, &res);
		sum[0] += res.r50;
		sum[1] += res.r90;
		sum[2] += res.r100;
		min100 = min(min100, res.min100);
		max100 = max(max100, res.max100);
		dg += res.dgrams;
		cuts += res.cuts;
		cp += res.copies;
		us += res.us_round;
		if (!done)
			kib = res.kib;	/* ru_maxrss: the first run's */
		secs += res.secs;
		done++;
	}
	theory(n, opt.mode, opt.fanout, runs, start, th);
	if (!done) {
		view_name = "theory";
		printf("| %u | theory | %s | %u | %u runs | | | | %.2f / %.2f / %.2f |\n",
		       n, modes[opt.mode], opt.fanout, runs, th[0], th[1], th[2]);
	} else {
		printf("| %u | %s | %s | %u | %u | %.2f | %.2f | %.2f (%u-%u) | %.2f / %.2f / %.2f | %+.2f | %.1f | %.2f | %.2f | %.1f | %.1f |\n",
		       n, view_name, modes[opt.mode], opt.fanout, done,
		       sum[0] / done, sum[1] / done, sum[2] / done, min100,
		       max100, th[0], th[1], th[2], sum[2] / done - th[2],
		       dg / done, cp / done, us / done, kib, secs / done);
	}
	fflush(stdout);
	if (opt.csv) {
		f = fopen(opt.csv, "a");
		if (!f)
			return 1;
		if (!ftell(f))
			fprintf(f, "n,view,mode,fanout,eager,seeds,r50_mean,r90_mean,r100_mean,r100_min,r100_max,theory50,theory90,theory100,theory_runs,gap100,dgrams_per_node_update,copies_per_node_update,us_per_node_round,kib_per_node,s_per_run,credits,trials,reply_cut_per_update\n");
		if (done)
			fprintf(f, "%u,%s,%s,%u,%s,%u,%.3f,%.3f,%.3f,%u,%u,%.3f,%.3f,%.3f,%u,%.3f,%.3f,%.3f,%.3f,%.2f,%.2f,%s,%u,%.3f\n",
				n, view_name, modes[opt.mode], opt.fanout,
				opt.eager ? "on" : "off", done, sum[0] / done,
				sum[1] / done, sum[2] / done, min100, max100,
				th[0], th[1], th[2], runs, sum[2] / done - th[2],
				dg / done, cp / done, us / done, kib,
				secs / done,
				opt.bench ? "bench" : opt.cold ? "cold" : "full",
				opt.bench ? opt.bench : 1, cuts / done);
		else
			fprintf(f, "%u,theory,%s,%u,off,0,,,,,,%.3f,%.3f,%.3f,%u,,,,,,,,,\n",
				n, modes[opt.mode], opt.fanout, th[0], th[1],
				th[2], runs);
		fclose(f);
	}
	return failed_runs != 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gossip_sim [--seed S | --seeds N [--start S]] [--seconds T]\n"
		"                  [--nodes N] [--trace] [--crash-any] [--collected-gate]\n"
		"       gossip_sim --scale N --mode 1|2|3 --fanout F [--eager] [--full]\n"
		"                  [--cold | --bench T [--warmup R] [--gap R]]\n"
		"                  [--idle S] [--before S [--warm] [--origins] [--startup]]\n"
		"                  [--settle R] [--updates K]\n"
		"                  [--loss PCT]\n"
		"                  [--spread US] [--staggered]\n"
		"                  [--seed S | --seeds K [--start S]] [--theory] [--csv F]\n"
		"  --seed S             run (replay) schedule S only\n"
		"  --seeds N            run schedules start .. start+N-1 (default 1000)\n"
		"  --seconds T          stop starting schedules after T seconds\n"
		"  --trace              print every step of the run\n"
		"  --crash-any          crash nodes that hold the only copy of a write\n"
		"  --collected-gate     writes may go below a delete no node collected\n"
		"  --recreate-same-id   the default now (re-created nodes publish at\n"
		"                       once, clocks stepped back): an alias\n"
		"  --scale N            one update over N nodes, lockstep, no loss:\n"
		"                       rounds to 50/90/100 %%, cost per node; K seeds'\n"
		"                       means beside the theory (a markdown row)\n"
		"  --full               past 1024 nodes, one set of all of them, built\n"
		"                       beyond the module's limit (at most 65536)\n"
		"  --cold               reply credits 0 (default: full, a warm cluster)\n"
		"  --idle S             then S s more, and 10 s idle: datagrams and\n"
		"                       bytes a node and second\n"
		"  --before S           the cluster runs S s before the publish (with\n"
		"                       eager on, quiet by then)\n"
		"  --origins            --before: every node writes a key first (an\n"
		"                       origin each, as in the efficiency bench)\n"
		"  --startup            --before: per 20 s, datagrams a node and\n"
		"                       second, lives waiting, nodes not quiet\n"
		"  --warm               --before: the publisher writes the key once\n"
		"                       at the start (its life begins then)\n"
		"  --settle R           copies and datagrams counted until R rounds\n"
		"                       after the last node stored the update\n"
		"  --updates K          --scale: K - 1 updates of the key from random\n"
		"                       nodes 20 rounds apart first (the eager tree\n"
		"                       they leave), the K-th measured\n"
		"  --loss PCT           --scale: each datagram lost with PCT %%\n"
		"  --jitter US          --scale: each datagram U(0, US) us later than\n"
		"                       the 1 ms hop (a loaded machine's uneven\n"
		"                       hops: the tree and the announcements race)\n"
		"  --stall PCT:US       --scale: PCT %% of the datagrams U(0, US) us\n"
		"                       later still (a loaded host's scheduling:\n"
		"                       most hops on time, a few a time slice late)\n"
		"  --keys               --scale: every node seals with one key (eager\n"
		"                       on is then a lazy push: kmod/send.c)\n"
		"  --burst              --scale: up to 64 nodes publish a key each at\n"
		"                       once; rounds until every node holds them all\n"
		"  --spread US          each node's rounds fire U(0, US) us after the\n"
		"                       tick (default 0: all at once)\n"
		"  --staggered          push's digest every 8 rounds in a random\n"
		"                       round on each node (they came up one by one)\n"
		"  --bench T            selftests/bench.sh's procedure: a fresh cluster\n"
		"                       (credits 0), its 6 cells in its order, T values\n"
		"                       2 rounds apart on random nodes; the asked cell's\n"
		"                       mean rounds over its T values\n"
		"  --warmup R           --bench: idle rounds before the first publish (%u)\n"
		"  --gap R              --bench: idle rounds between cells (%u)\n"
		"  --theory             the synchronous model only (bench_report.py's)\n"
		"  --csv F              append the cell's row to F\n",
		BENCH_WARMUP, BENCH_GAP);
	exit(2);
}

int main(int argc, char **argv)
{
	u64 start = 1, count = 1000, s, done = 0, nsteps = 0;
	double budget = 0, t0, el;
	bool one = false, seeds = false;
	struct timespec ts;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			start = strtoull(argv[++i], NULL, 0);
			count = 1;
			one = true;
		} else if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
			count = strtoull(argv[++i], NULL, 0);
			seeds = true;
		} else if (!strcmp(argv[i], "--start") && i + 1 < argc) {
			start = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			budget = strtod(argv[++i], NULL);
		} else if (!strcmp(argv[i], "--nodes") && i + 1 < argc) {
			opt.nodes = atoi(argv[++i]);
			if (opt.nodes < 1 || opt.nodes > MAX_NODES)
				usage();
		} else if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
			opt.scale = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
			opt.mode = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--fanout") && i + 1 < argc) {
			opt.fanout = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--eager")) {
			opt.eager = true;
		} else if (!strcmp(argv[i], "--staggered")) {
			opt.staggered = true;
		} else if (!strcmp(argv[i], "--spread") && i + 1 < argc) {
			opt.spread_us = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--before") && i + 1 < argc) {
			opt.before = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--loss") && i + 1 < argc) {
			opt.loss = strtod(argv[++i], NULL) / 100;
		} else if (!strcmp(argv[i], "--jitter") && i + 1 < argc) {
			opt.jitter_us = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--stall") && i + 1 < argc) {
			char *end;

			opt.stall = strtod(argv[++i], &end) / 100;
			if (*end != ':' || opt.stall <= 0 || opt.stall > 1)
				usage();
			opt.stall_us = strtoul(end + 1, NULL, 0);
		} else if (!strcmp(argv[i], "--keys")) {
			opt.keys = true;
		} else if (!strcmp(argv[i], "--burst")) {
			opt.burst = true;
		} else if (!strcmp(argv[i], "--warm")) {
			opt.warm = true;
		} else if (!strcmp(argv[i], "--origins")) {
			opt.origins = true;
		} else if (!strcmp(argv[i], "--startup")) {
			opt.startup = true;
		} else if (!strcmp(argv[i], "--settle") && i + 1 < argc) {
			opt.settle = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--updates") && i + 1 < argc) {
			opt.updates = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--idle") && i + 1 < argc) {
			opt.idle = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--cold")) {
			opt.cold = true;
		} else if (!strcmp(argv[i], "--bench") && i + 1 < argc) {
			opt.bench = strtoul(argv[++i], NULL, 0);
			if (!opt.bench || opt.bench > MAX_KEYS / 6)
				usage();
		} else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) {
			opt.warmup = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--gap") && i + 1 < argc) {
			opt.gap = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--full")) {
			opt.full = true;
		} else if (!strcmp(argv[i], "--theory")) {
			opt.theory = true;
		} else if (!strcmp(argv[i], "--csv") && i + 1 < argc) {
			opt.csv = argv[++i];
		} else if (!strcmp(argv[i], "--trace")) {
			opt.trace = true;
		} else if (!strcmp(argv[i], "--recreate-same-id")) {
			opt.recreate_same_id = true;
		} else if (!strcmp(argv[i], "--crash-any")) {
			opt.crash_any = true;
		} else if (!strcmp(argv[i], "--collected-gate")) {
			opt.collected_gate = true;
		} else {
			usage();
		}
	}
	if (opt.scale) {
		if (opt.mode < GOSSIP_MODE_PUSH || opt.mode > GOSSIP_MODE_PUSHPULL ||
		    opt.fanout < 1 || opt.fanout > GOSSIP_FANOUT_MAX)
			usage();
		return scale_cell(start, seeds && !one ? count : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec + ts.tv_nsec / 1e9;
	for (s = start; s < start + count; s++) {
		if (run_one(s, &nsteps)) {
			printf("not ok - seed %llu: %s\n", (unsigned long long)s,
			       fail_msg);
			printf("# replay: %s --seed %llu%s%s%s%s\n", argv[0],
			       (unsigned long long)s,
			       opt.recreate_same_id ? " --recreate-same-id" : "",
			       opt.crash_any ? " --crash-any" : "",
			       opt.collected_gate ? " --collected-gate" : "",
			       one ? "" : " --trace");
			printf("# %llu schedules, %llu steps before it\n",
			       (unsigned long long)done,
			       (unsigned long long)nsteps);
			return 1;
		}
		done++;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		el = ts.tv_sec + ts.tv_nsec / 1e9 - t0;
		if (budget && el >= budget)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	el = ts.tv_sec + ts.tv_nsec / 1e9 - t0;
	printf("ok - %llu schedules (seeds %llu..%llu), %llu steps, %.1f s\n",
	       (unsigned long long)done, (unsigned long long)start,
	       (unsigned long long)(start + done - 1),
	       (unsigned long long)nsteps, el);
	return 0;
}
