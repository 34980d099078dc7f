/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version of gossip.ko and gossipadm: one string, read by both builds
 * (Kbuild includes this file in every object of the module; MODULE_VERSION
 * puts it in /sys/module/gossip/version). Not part of the uapi.
 */
#ifndef GOSSIP_VERSION_H
#define GOSSIP_VERSION_H

#define GOSSIP_VERSION	"0.9.0"

#endif /* GOSSIP_VERSION_H */
