// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm monitor: print the events of the multicast group "events", one
 * line each, as they come: the command that made the change, then what it
 * carries (configuration, peer, entry, key id), in the words of the other commands.
 */
#include <string.h>

#include <linux/gossip.h>

#include "gossipadm.h"
#include "nl.h"
#include "print.h"

static const char *const event_names[GOSSIP_CMD_MAX + 1] = {
	[GOSSIP_CMD_CONFIG_SET]	= "set-config",
	[GOSSIP_CMD_INSTANCE_UP]	= "up",
	[GOSSIP_CMD_INSTANCE_DOWN]= "down",
	[GOSSIP_CMD_PEER_ADD]	= "peer-add",
	[GOSSIP_CMD_PEER_DEL]	= "peer-del",
	[GOSSIP_CMD_ENTRY_PUBLISH]	= "publish",
	[GOSSIP_CMD_ENTRY_NTF]	= "entry",
	[GOSSIP_CMD_ENTRY_DEL]= "delete",
	[GOSSIP_CMD_AUTHKEY_ADD]= "key-add",
	[GOSSIP_CMD_AUTHKEY_USE]= "key-use",
	[GOSSIP_CMD_AUTHKEY_DEL]= "key-del",
};

struct monitor {
	uint64_t left;		/* events to print before exiting */
	bool counted;		/* "count N" was given */
	struct record rec;
};

static int monitor_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct monitor *m = arg;
	const char *event;
	char name[16];

	if (cmd <= GOSSIP_CMD_MAX && event_names[cmd]) {
		event = event_names[cmd];
	} else {
		snprintf(name, sizeof(name), "cmd-%u", cmd);
		event = name;
	}
	rec_init(&m->rec);
	config_record(tb, &m->rec);
	if (tb[GOSSIP_A_PEER])
		peer_record(tb[GOSSIP_A_PEER], &m->rec);
	if (tb[GOSSIP_A_ENTRY])
		entry_record_attr(tb[GOSSIP_A_ENTRY], &m->rec);
	if (tb[GOSSIP_A_AUTHKEY])
		authkey_record(tb[GOSSIP_A_AUTHKEY], &m->rec);
	print_event(&m->rec, event);
	fflush(stdout);
	return m->counted && !--m->left;
}

int cmd_monitor(int argc, char **argv)
{
	static struct monitor m;

	if (argc == 3 && !strcmp(argv[1], "count")) {
		if (parse_uint(argv[2], UINT64_MAX, &m.left) || !m.left)
			return usage_error("invalid count \"%s\": expected a decimal number from 1 to %llu",
					   argv[2], (unsigned long long)UINT64_MAX);
		m.counted = true;
	} else if (argc != 1) {
		return usage();
	}
	return gnl_listen(GOSSIP_MCGRP_EVENTS, monitor_event, &m);
}
