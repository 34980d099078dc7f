#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module loads itself when gossipadm first asks for the family, as an
# installed module should (MODULE_ALIAS_GENL_FAMILY): gossip.ko is put in
# updates/ of a copy of the running kernel's modules tree (tmpfs, depmod
# -b), the copy bound over /lib/modules/$(uname -r) for the test, the
# module unloaded; then `gossipadm show` resolves "gossip", the kernel asks
# modprobe for net-pf-16-proto-16-family-gossip and the instance answers.
# The version the module then reports is the one gossipadm was built with.

source "$(dirname "$0")/lib.sh"

require_root
[ -x "$GOSSIPADM" ] || { echo "# $GOSSIPADM not built"; exit $KSFT_SKIP; }
rel=$(uname -r)
moddir=/lib/modules/$rel
if [ ! -d "$moddir" ] || ! command -v depmod >/dev/null; then
	echo "# no $moddir or no depmod"
	exit $KSFT_SKIP
fi
version=$(sed -n 's/^#define GOSSIP_VERSION\t"\(.*\)"$/\1/p' \
	"$REPO/include/gossip_version.h")

base=$(mktemp -d /tmp/autoload.XXXXXX)
tree=$base/lib/modules/$rel
bound=0
cleanup_autoload() {
	[ "$bound" = 1 ] && umount "$moddir"
	rm -rf "$base"
}
trap cleanup_autoload EXIT

# res NAME STATUS: NAME passed if STATUS is 0.
res() {
	if [ "$2" = 0 ]; then
		ktap_test_pass "$1"
	else
		ktap_test_fail "$1"
	fi
}

ktap_print_header
ktap_set_plan 5

# Its dependencies first: the tree below holds gossip.ko alone, so depmod
# cannot name them (insmod of gossip.ko finds them loaded).
modprobe -q udp_tunnel && modprobe -q ip6_udp_tunnel &&
	modprobe -q libchacha20poly1305 || { echo "# dependencies"; exit $KSFT_FAIL; }
unload_module

aliases=$(modinfo -F alias "$GOSSIP_KO")
echo "# modinfo -F alias: $aliases"
grep -qx 'net-pf-16-proto-16-family-gossip' <<<"$aliases"
res "gossip.ko declares the alias net-pf-16-proto-16-family-gossip" $?

mkdir -p "$tree/updates"
cp "$GOSSIP_KO" "$tree/updates/gossip.ko"
depmod -b "$base" "$rel" 2>/dev/null
mount --bind "$tree" "$moddir" && bound=1
[ ! -d /sys/module/gossip ] && grep -q 'family-gossip gossip$' "$moddir/modules.alias"
res "not loaded; modules.alias of the tree maps the family to gossip" $?

out=$("$GOSSIPADM" show 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" = 0 ] && [ -d /sys/module/gossip ] && grep -q '^state *down$' <<<"$out"
res "gossipadm show loads the module by itself and prints state down" $?

got=$(cat /sys/module/gossip/version 2>/dev/null)
echo "# /sys/module/gossip/version: $got, gossip_version.h: $version"
[ -n "$version" ] && [ "$got" = "$version" ]
res "/sys/module/gossip/version is GOSSIP_VERSION" $?

out=$("$GOSSIPADM" -V 2>&1)
echo "$out" | sed 's/^/# /'
grep -q "^module *$version$" <<<"$out"
res "gossipadm -V names the module's version" $?

umount "$moddir" && bound=0
unload_module
ktap_finished
