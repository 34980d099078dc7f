#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/deps.sh - install and unpack everything `make check` needs.
#
# Idempotent and fast when nothing is missing (marker files, no network).
# Meant for a Debian 12 (bookworm) amd64 machine, run as root:
#
#   1. apt packages: compilers, the test kernel's headers, linux-source-6.1,
#      QEMU, libnl, busybox-static, sparse, iproute2, ping, kmod, clang and
#      its libFuzzer/ASan/UBSan runtimes (libclang-rt-14-dev), and what
#      building a kernel needs (flex, bison, bc, libelf, libssl: the debug
#      kernel of scripts/debug-kernel.sh), dkms (selftests/install.sh), ...
#      (apt-get update runs only when something has to be installed).
#      Not root and something missing: say what to install, exit 1.
#   2. Into $GOSSIP_CACHE (default /var/cache/gossip, outside the checkout):
#      kernel-$KVER/          linux-image-$KVER-unsigned unpacked with dpkg -x
#                             (boot/vmlinuz-$KVER, lib/modules/$KVER, depmod'ed)
#      linux-source/          scripts/ and the two kselftest headers from
#                             /usr/src/linux-source-6.1.tar.xz
#      Each tree is built in a temporary directory and renamed into place,
#      with a .done marker; a lock keeps concurrent runs from racing.
#
# KVER is scripts/kver.sh: the newest /usr/src/linux-headers-*-amd64. The test
# kernel is Debian's, booted in QEMU; the host kernel is never used.

set -euo pipefail

readonly PACKAGES=(
	build-essential linux-headers-amd64 linux-source-6.1 qemu-system-x86
	libnl-genl-3-dev libnl-3-dev pkg-config busybox-static sparse
	iproute2 iputils-ping kmod cpio gzip xz-utils python3 gnuplot-nox
	clang libclang-rt-14-dev flex bison bc libelf-dev libssl-dev
	python3-pycryptodome python3-yaml dkms
)
readonly SRC_TARBALL=/usr/src/linux-source-6.1.tar.xz

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/cache-dir.sh"
GOSSIP_CACHE=${GOSSIP_CACHE:-/var/cache/gossip}
TMP=

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

cleanup() {
	if [[ -n "$TMP" ]]; then
		rm -rf -- "$TMP"
	fi
}
trap cleanup EXIT

is_installed() {
	[[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

install_packages() {
	local missing=() p

	for p in "${PACKAGES[@]}"; do
		is_installed "$p" || missing+=("$p")
	done
	((${#missing[@]})) || return 0

	if ((EUID != 0)); then
		printf 'deps: missing packages: %s\n' "${missing[*]}" >&2
		printf 'deps: as root, run: apt-get update && apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" >&2
		exit 1
	fi
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -q -y --no-install-recommends "${missing[@]}"
}

# A fresh temporary directory inside the cache (same filesystem as the final
# place, so the last step is an atomic rename).
new_tmp() {
	cleanup
	TMP=$(mktemp -d "$GOSSIP_CACHE/.tmp.XXXXXX")
}

# Debian's image for the headers' release, unpacked without installing it.
fetch_kernel() {
	local kver=$1 dest="$GOSSIP_CACHE/kernel-$1" pkg="linux-image-$1-unsigned"
	local ver deb

	[[ -e "$dest/.done" ]] && return 0
	log "fetching $pkg into $dest"
	new_tmp
	# The same version as the installed headers, so the module built against
	# them matches the kernel it is loaded into.
	ver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)
	(
		cd "$TMP"
		apt-get download -q "$pkg${ver:+=$ver}" 2>&1 ||
			{ apt-get update -q && apt-get download -q "$pkg${ver:+=$ver}"; }
	) | grep -v -e '^W: Download is performed unsandboxed' -e '^N: Download is performed unsandboxed' || true
	deb=$(find "$TMP" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
	[[ -n "$deb" ]] || die "apt-get download $pkg failed"
	dpkg -x "$deb" "$TMP/root"
	rm -f -- "$deb"
	[[ -f "$TMP/root/boot/vmlinuz-$kver" ]] || die "$pkg has no boot/vmlinuz-$kver"
	[[ -d "$TMP/root/lib/modules/$kver" ]] || die "$pkg has no lib/modules/$kver"
	depmod -b "$TMP/root" "$kver"
	touch "$TMP/root/.done"
	rm -rf -- "$dest"
	mv -- "$TMP/root" "$dest"
	log "kernel $kver ready"
}

# What extract_source writes in its marker: the tarball's package version.
source_stamp() {
	echo "linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)"
}

# checkpatch.pl and friends, and the kselftest headers the C selftests use.
extract_source() {
	local dest="$GOSSIP_CACHE/linux-source" stamp

	stamp=$(source_stamp)
	[[ -e "$dest/.done" && "$(cat "$dest/.done")" == "$stamp" ]] && return 0
	[[ -f "$SRC_TARBALL" ]] || die "$SRC_TARBALL missing (package linux-source-6.1)"
	log "extracting scripts/ and kselftest headers from $SRC_TARBALL"
	new_tmp
	mkdir "$TMP/src"
	tar -xJf "$SRC_TARBALL" -C "$TMP/src" --strip-components=1 \
		linux-source-6.1/scripts \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h
	[[ -f "$TMP/src/scripts/checkpatch.pl" ]] || die "no scripts/checkpatch.pl in $SRC_TARBALL"
	echo "$stamp" >"$TMP/src/.done"
	rm -rf -- "$dest"
	mv -- "$TMP/src" "$dest"
	log "linux-source ready"
}

cache_ready() {
	local kver=$1

	[[ -e "$GOSSIP_CACHE/kernel-$kver/.done" &&
		"$(cat "$GOSSIP_CACHE/linux-source/.done" 2>/dev/null)" == "$(source_stamp)" ]]
}

main() {
	local kver

	install_packages

	kver=$("$ROOT/scripts/kver.sh")
	[[ -n "$kver" ]] || die "no /usr/src/linux-headers-*-amd64 (package linux-headers-amd64)"

	GOSSIP_CACHE=$(cache_dir) || exit 1

	cache_ready "$kver" && return 0
	[[ -w "$GOSSIP_CACHE" ]] ||
		die "cannot write GOSSIP_CACHE=$GOSSIP_CACHE (run as root or set GOSSIP_CACHE)"
	# One deps.sh at a time per cache (make check may run concurrently).
	exec 9>"$GOSSIP_CACHE/.lock"
	flock 9
	fetch_kernel "$kver"
	extract_source
}

main "$@"
