#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing, without touching the system (never the kernel, nor the
# host's /lib/modules or /usr: everything goes into a temporary root).
# make check runs it on the host before the VMs: the dkms build took 479 s
# in the VM, under a minute on the host.
#
#   1. make install DESTDIR=$tmp puts gossipadm, gossipadm(8) and the bash
#      completion where PREFIX (/usr/local) says, and PREFIX=/usr moves them;
#      make modules_install INSTALL_MOD_PATH=$tmp puts the built gossip.ko
#      in lib/modules/$KVER/updates (from a copy of what it reads: the
#      checkout is read-only in the VM);
#   2. dkms.conf: dkms add, build and install gossip for the test kernel
#      (scripts/kver.sh), its trees (--dkmstree, --sourcetree, --installtree)
#      in $tmp; the installed modules tree is a copy of the test kernel's
#      (modules.* files, the kernel/ directory a symlink to the unpacked
#      one in $GOSSIP_CACHE/kernel-$KVER);
#   3. depmod -b on that tree, then modprobe -d ... --show-depends gossip
#      finds the dkms-installed gossip.ko and the modules it needs.
#
# Needs make and install (1; modules_install also gossip.ko built and the
# test kernel's headers), and dkms, depmod and modprobe (2, 3): a missing
# tool skips its part (exit 4 when everything was skipped).

source "$(dirname "$0")/lib.sh"

GOSSIP_CACHE=${GOSSIP_CACHE:-/var/cache/gossip}
KVER=${KVER:-$("$REPO/scripts/kver.sh")}
TMP=
install_cleanup() { [ -z "$TMP" ] || rm -rf -- "$TMP"; }
trap install_cleanup EXIT
TMP=$(mktemp -d)

# The package version dkms.conf declares.
PKGVER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$REPO/dkms.conf")

ktap_print_header
ktap_set_plan 6

# 1. make install.
files_at() {	# ROOT PREFIX: the three files are there, gossipadm runs
	local root=$1 prefix=$2 ok=0 f
	for f in sbin/gossipadm share/man/man8/gossipadm.8 \
		 share/bash-completion/completions/gossipadm; do
		if [ -f "$root$prefix/$f" ]; then
			echo "# $prefix/$f"
		else
			echo "# missing: $prefix/$f"
			ok=1
		fi
	done
	[ "$ok" -eq 0 ] && [ -x "$root$prefix/sbin/gossipadm" ] &&
		"$root$prefix/sbin/gossipadm" help >/dev/null
}

if ! command -v make >/dev/null || ! command -v install >/dev/null; then
	ktap_test_skip "make install: no make or install"
	ktap_test_skip "make install PREFIX=/usr: no make or install"
else
	make -s -C "$REPO" install DESTDIR="$TMP/inst" >"$TMP/make.log" 2>&1 ||
		sed 's/^/# /' "$TMP/make.log"
	ktap_result "make install DESTDIR: gossipadm, gossipadm.8, completion under /usr/local" \
		files_at "$TMP/inst" /usr/local
	make -s -C "$REPO" install DESTDIR="$TMP/inst2" PREFIX=/usr \
		>"$TMP/make.log" 2>&1 || sed 's/^/# /' "$TMP/make.log"
	ktap_result "make install PREFIX=/usr: the same under /usr" \
		files_at "$TMP/inst2" /usr
fi

# make modules_install (after make): a copy of what it reads, since the
# checkout may be read-only (the VM mounts it so).
mi_found() { [ "$(cd "$TMP/mi" && find . -name 'gossip.ko*')" = "./lib/modules/$KVER/updates/gossip.ko" ]; }
if [ ! -f "$REPO/gossip.ko" ] || [ ! -f "$REPO/modules.order" ] ||
   [ ! -d "/usr/src/linux-headers-$KVER" ]; then
	ktap_test_skip "make modules_install: gossip.ko not built, or no headers of $KVER"
else
	mkdir -p "$TMP/tree/scripts" "$TMP/mi"
	cp "$REPO"/{Makefile,Kbuild,gossip.ko} "$TMP/tree"/
	# modules.order names the module by its absolute path.
	sed "s|^$REPO/|$TMP/tree/|" "$REPO/modules.order" >"$TMP/tree/modules.order"
	cp "$REPO/scripts/kver.sh" "$TMP/tree/scripts"/
	make -s -C "$TMP/tree" modules_install KDIR="/usr/src/linux-headers-$KVER" \
		INSTALL_MOD_PATH="$TMP/mi" >"$TMP/make.log" 2>&1 ||
		sed 's/^/# /' "$TMP/make.log"
	ktap_result "make modules_install INSTALL_MOD_PATH: lib/modules/$KVER/updates/gossip.ko" \
		mi_found
fi

# 2 and 3. dkms, into $TMP.
missing=
for t in dkms depmod modprobe; do
	command -v "$t" >/dev/null || missing="$missing $t"
done
KSRC=/usr/src/linux-headers-$KVER
KMODS=$GOSSIP_CACHE/kernel-$KVER/lib/modules/$KVER
[ -d "$KSRC" ] || missing="$missing $KSRC"
[ -d "$KMODS" ] || missing="$missing $KMODS"
if [ -n "$missing" ]; then
	for t in "dkms add and build" "dkms install" "modprobe finds gossip.ko"; do
		ktap_test_skip "$t: missing$missing"
	done
	ktap_finished
fi

ROOT=$TMP/root
MODDIR=$ROOT/lib/modules/$KVER
mkdir -p "$TMP/dkms" "$TMP/src/gossip-$PKGVER" "$MODDIR"
cp -a "$KMODS"/modules.* "$MODDIR"/
ln -s "$KMODS/kernel" "$MODDIR/kernel"
# The source as dkms gets it: what the module's build needs, no objects.
tar -C "$REPO" --exclude='*.o' --exclude='.*.cmd' --exclude='*.ko' \
	--exclude='*.mod*' --exclude='.*.d' \
	-cf - dkms.conf Makefile Kbuild kmod include scripts/kver.sh |
	tar -C "$TMP/src/gossip-$PKGVER" -xf -

dkms_() {
	dkms --dkmstree "$TMP/dkms" --sourcetree "$TMP/src" \
		--installtree "$ROOT/lib/modules" "$@"
}
echo "# dkms $(dkms --version 2>/dev/null | head -n 1), gossip/$PKGVER, kernel $KVER"
start=$SECONDS
{
	dkms_ add "gossip/$PKGVER" &&
	dkms_ build "gossip/$PKGVER" -k "$KVER" --kernelsourcedir "$KSRC"
} >"$TMP/dkms.log" 2>&1
rc=$?
echo "# dkms add + build: exit $rc, $((SECONDS - start)) s"
[ "$rc" -eq 0 ] || { sed 's/^/# /' "$TMP/dkms.log"; sed 's/^/# make: /' "$TMP/dkms/gossip/$PKGVER/build/make.log" 2>/dev/null; }
built() { [ "$rc" -eq 0 ] && ls "$TMP/dkms/gossip/$PKGVER/$KVER"/*/module/gossip.ko* >/dev/null 2>&1; }
ktap_result "dkms add and build for $KVER" built

dkms_ install "gossip/$PKGVER" -k "$KVER" --kernelsourcedir "$KSRC" \
	--no-depmod >"$TMP/dkms.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/dkms.log"
installed=$(find "$MODDIR/updates" -name 'gossip.ko*' 2>/dev/null)
echo "# installed: ${installed#"$ROOT"}"
is_installed() { [ "$rc" -eq 0 ] && [ "$installed" = "$MODDIR/updates/dkms/gossip.ko" ]; }
ktap_result "dkms install: gossip.ko in /lib/modules/$KVER/updates/dkms of the temporary root" \
	is_installed

# modprobe must name the dkms copy and the modules it links against.
depmod -b "$ROOT" "$KVER" >"$TMP/depmod.log" 2>&1
rc=$?
sed 's/^/# depmod: /' "$TMP/depmod.log"
modprobe -d "$ROOT" -S "$KVER" --show-depends gossip >"$TMP/deps" 2>&1
sed 's/^/# /' "$TMP/deps"
found() {
	[ "$rc" -eq 0 ] &&
	[ "$(tail -n 1 "$TMP/deps")" = "insmod $MODDIR/updates/dkms/gossip.ko " ] &&
	grep -q '/udp_tunnel\.ko' "$TMP/deps"
}
ktap_result "depmod -b, modprobe --show-depends gossip: the dkms gossip.ko and its dependencies" \
	found

ktap_finished
