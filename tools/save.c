// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm save: print the instance's configuration as a batch that
 * "gossipadm -b FILE" replays onto a fresh instance, as wg showconf and
 * setconf: the settings, the peers, then up if it is up. Authentication
 * keys cannot be read back (the kernel never gives a secret out): a
 * comment line says so. Entries are not configuration: "save entries"
 * adds a publish line for each, which makes the node that replays them
 * their origin, with new versions.
 */
#include <stdio.h>
#include <string.h>

#include "gossipadm.h"

int cmd_save(int argc, char **argv)
{
	struct config_save cs = { .f = stdout };
	bool entries = argc == 2 && !strcmp(argv[1], "entries");
	size_t skipped = 0;
	int ret = entries ? 0 : no_args(argc, argv);

	if (ret)
		return ret;
	puts("# gossipadm save: replay with \"" PROG " -b FILE\" onto an instance that is down");
	ret = config_save(&cs) ?: peer_save(stdout);
	if (ret)
		return ret;
	if (cs.auth)
		puts("# authentication is on, but keys cannot be read back: add them here\n"
		     "# (key add ID FILE, the primary first) before up");
	else
		puts("# authentication keys: none (keys cannot be read back)");
	if (entries) {
		puts("# the entries, published again by this node");
		ret = entry_save(stdout, &skipped);
	}
	if (!ret && cs.up)
		puts("up");
	if (!ret && skipped) {
		errmsg("%zu %s left out: a NUL byte in a key or value cannot be written on a batch line",
		       skipped, skipped == 1 ? "entry" : "entries");
		ret = EXIT_FAIL;
	}
	return ret;
}
