// SPDX-License-Identifier: GPL-2.0
/*
 * gossipadm -V | --version: the versions of gossipadm, of the loaded
 * gossip.ko (/sys/module/gossip/version) and of the generic netlink
 * family the kernel registered, with what gossipadm was built for.
 * It prints what it can: without the module, "not loaded".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netlink/errno.h>
#include <linux/gossip.h>

#include "gossip_version.h"
#include "gossipadm.h"
#include "nl.h"
#include "print.h"

#define MODULE_VERSION_FILE	"/sys/module/" GOSSIP_GENL_NAME "/version"

/* The module's version, or an empty string when it has none. */
static int module_version(char *buf, size_t size)
{
	int fd = open(MODULE_VERSION_FILE, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int print_version(void)
{
	static struct record r;
	char text[128], mod[64];
	int family, err;

	/* first: asking for the family may load the module */
	family = gnl_family_version();
	err = module_version(mod, sizeof(mod));
	rec_init(&r);
	snprintf(text, sizeof(text), "%s, family version %d", GOSSIP_VERSION,
		 GOSSIP_GENL_VERSION);
	rec_str(&r, PROG, NULL, text);
	rec_str(&r, NULL, PROG, GOSSIP_VERSION);
	rec_u64(&r, NULL, PROG "_family_version", GOSSIP_GENL_VERSION);
	if (!err && *mod) {
		rec_str(&r, "module", "module", mod);
	} else if (err == -ENOENT && family <= 0) {
		rec_str(&r, "module", NULL, "not loaded");
	} else {
		snprintf(text, sizeof(text), "loaded, version unknown (%s)",
			 err ? strerror(-err) : "none given");
		rec_str(&r, "module", NULL, text);
	}
	if (family > 0) {
		snprintf(text, sizeof(text), "version %d", family);
		rec_str(&r, "family", NULL, text);
		rec_u64(&r, NULL, "family_version", family);
	} else if (!family) {
		rec_str(&r, "family", NULL, "not found");
	} else {
		snprintf(text, sizeof(text), "unknown (%s)",
			 nl_geterror(family));
		rec_str(&r, "family", NULL, text);
	}
	print_pairs(&r);
	return EXIT_OK;
}
