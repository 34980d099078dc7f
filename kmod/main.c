// SPDX-License-Identifier: GPL-2.0
/*
 * gossip.ko: epidemic dissemination of key/value updates, one instance per
 * network namespace.
 *
 * An instance lives exactly as long as its namespace (pernet_operations):
 * created with it, stopped in pre_exit (kernel sockets do not pin their
 * namespace, so they must be closed before it goes), freed in exit. "up" and
 * "down" only open and close the socket and start and stop the rounds; the
 * store and the peers stay.
 */
#include <linux/inetdevice.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "gossip.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static unsigned int gossip_net_id __read_mostly;

struct gossip_net *gossip_pernet(struct net *net)
{
	return net_generic(net, gossip_net_id);
}

static u32 random_node_id(void)
{
	return get_random_u32_above(0);
}

/* The first IPv4 address of a non-loopback device, else a random id. */
static u32 derive_node_id(struct net *net)
{
	const struct in_ifaddr *ifa;
	struct net_device *dev;
	struct in_device *in;
	u32 id = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		in = __in_dev_get_rcu(dev);
		if (!in || (dev->flags & IFF_LOOPBACK))
			continue;
		in_dev_for_each_ifa_rcu(ifa, in) {
			id = ntohl(ifa->ifa_local);
			break;
		}
		if (id)
			break;
	}
	rcu_read_unlock();
	return id ?: random_node_id();
}

int gossip_up(struct gossip_net *gn, struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held(&gn->conf_lock);
	if (gn->running)
		return 0;
	gossip_auth_up(gn);
	err = gossip_socket_open(gn, extack);
	if (err)
		return err;	/* and nothing changed */
	if (!gn->node_id_set)
		WRITE_ONCE(gn->node_id, derive_node_id(gn->net));
	/*
	 * Whoever brings the instance up pays for what the network makes it
	 * keep (gossip_net_alloc()). Nothing allocates with the old one now:
	 * down stopped the timers and waited out the receive path.
	 */
	mem_cgroup_put(gn->memcg);
	WRITE_ONCE(gn->memcg, get_mem_cgroup_from_mm(current->mm));
	WRITE_ONCE(gn->running, true);
	gossip_round_start(gn);
	pr_debug("instance up in netns %u, node %u\n", gn->net->ns.inum,
		 gn->node_id);
	return 0;
}

void gossip_down(struct gossip_net *gn)
{
	lockdep_assert_held(&gn->conf_lock);
	if (!gn->running)
		return;
	WRITE_ONCE(gn->running, false);
	gossip_round_stop(gn);
	gossip_eager_stop(gn);
	gossip_socket_close(gn);
	gossip_tree_clear(gn);
	/* The replay windows stay: what was accepted before stays refused. */
	pr_debug("instance down in netns %u\n", gn->net->ns.inum);
}

static int __net_init gossip_net_init(struct net *net)
{
	struct gossip_net *gn = gossip_pernet(net);
	int err;

	gn->net = net;
	mutex_init(&gn->conf_lock);
	gn->mode = GOSSIP_MODE_PUSH;
	gn->fanout = GOSSIP_DEFAULT_FANOUT;
	gn->interval_ms = GOSSIP_DEFAULT_INTERVAL_MS;
	gn->max_dgram = GOSSIP_DEFAULT_DGRAM;
	gn->tombstone_ms = GOSSIP_DEFAULT_TOMBSTONE_MS;
	gn->eager = 1;		/* GOSSIP_A_EAGER: on by default */
	gn->port = GOSSIP_DEFAULT_PORT;
	gn->store_bytes = GOSSIP_DEFAULT_STORE_BYTES;
	gn->reject_rate = GOSSIP_DEFAULT_REJECT_RATE;
	gn->max_skew_ms = GOSSIP_DEFAULT_MAX_SKEW_MS;
	spin_lock_init(&gn->rl_lock);
	get_random_bytes(&gn->rl_key, sizeof(gn->rl_key));
	gn->node_id = random_node_id();
	gn->hot_budget = gossip_hot_budget(0);
	spin_lock_init(&gn->replay_lock);
	hash_init(gn->replay);
	INIT_LIST_HEAD(&gn->replay_lru);
	gossip_round_init(gn);
	gossip_eager_init(gn);

	err = gossip_stats_init(gn);
	if (err)
		return err;
	err = gossip_store_init(&gn->store);
	if (err)
		goto err_stats;
	err = gossip_sysfs_add(gn);
	if (err)
		goto err_store;
	gossip_late_debugfs_add(gn);
	pr_debug("instance created in netns %u\n", net->ns.inum);
	return 0;

err_store:
	gossip_store_free(&gn->store);
err_stats:
	gossip_stats_free(gn);
	return err;
}

static void __net_exit gossip_net_pre_exit(struct net *net)
{
	struct gossip_net *gn = gossip_pernet(net);

	mutex_lock(&gn->conf_lock);
	gossip_down(gn);
	mutex_unlock(&gn->conf_lock);
}

static void __net_exit gossip_net_exit(struct net *net)
{
	struct gossip_net *gn = gossip_pernet(net);

	gossip_timers_fini(gn);
	gossip_late_debugfs_del(gn);
	gossip_sysfs_del(gn);
	gossip_peers_free(gn);
	gossip_auth_free(gn);
	gossip_store_free(&gn->store);
	mem_cgroup_put(gn->memcg);
	gossip_stats_free(gn);
	mutex_destroy(&gn->conf_lock);
	pr_debug("instance destroyed in netns %u\n", net->ns.inum);
}

static struct pernet_operations gossip_net_ops = {
	.init = gossip_net_init,
	.pre_exit = gossip_net_pre_exit,
	.exit = gossip_net_exit,
	.id = &gossip_net_id,
	.size = sizeof(struct gossip_net),
};

static int __init gossip_init(void)
{
	int err;

	err = gossip_class_register();
	if (err)
		return err;
	gossip_late_debugfs_init();
	err = register_pernet_device(&gossip_net_ops);
	if (err)
		goto err_class;
	err = gossip_genl_register();
	if (err)
		goto err_pernet;
	pr_info("loaded\n");
	return 0;

err_pernet:
	unregister_pernet_device(&gossip_net_ops);
err_class:
	gossip_late_debugfs_exit();
	gossip_class_unregister();
	return err;
}

static void __exit gossip_exit(void)
{
	gossip_genl_unregister();
	unregister_pernet_device(&gossip_net_ops);
	gossip_late_debugfs_exit();
	gossip_class_unregister();
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(gossip_init);
module_exit(gossip_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Epidemic gossip of key/value updates, one instance per netns");
MODULE_AUTHOR("gossip developers");
MODULE_VERSION(GOSSIP_VERSION);
MODULE_ALIAS_GENL_FAMILY(GOSSIP_GENL_NAME);
/*
 * The AEAD of auth.c is XChaCha20-Poly1305 of the kernel's library: calls
 * into libchacha20poly1305 (a module in Debian's kernel, =y in the debug
 * one), a hard dependency that modprobe resolves and insmod does not.
 * Its ChaCha20 and Poly1305 come from libchacha/libpoly1305, or from the
 * arch modules when the kernel has them: their symbols too.
 */
