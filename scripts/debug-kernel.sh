#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/debug-kernel.sh - the debug kernel of `make check-debug`, and
# gossip.ko built against it.
#
#   scripts/debug-kernel.sh [--kernel-only]
#
# 1. The kernel (once per configuration, cached outside the checkout):
#    /usr/src/linux-source-6.1.tar.xz (Debian's linux-source-6.1, installed
#    by scripts/deps.sh) extracted, `make tinyconfig`, the fragment
#    scripts/debug-kernel.config merged in, `make olddefconfig`; every line of
#    the fragment is then checked against the result (Kconfig silently drops
#    what it cannot satisfy: the script fails naming those). Then
#    `nice -n 19 make -j2 bzImage modules` (about 15-25 min on two cores) and
#    modules_install. All of it in
#
#      $GOSSIP_CACHE/debug-kernel-<key>/
#        src/              the built tree (the module is built against it)
#        bzImage           the kernel image
#        modroot/lib/modules/<release>/   modules.builtin, modules.dep...
#        .done             written last; its presence means ready
#
#    <key> hashes the fragment, the build steps below (the text of the
#    functions that build the kernel), the source package's version and the
#    compiler's. An interrupted build is resumed by the next run (make is
#    incremental). A lock keeps concurrent runs from building it twice;
#    when .done exists the kernel step takes no time.
#
# 2. gossip.ko against that tree, in build/debug-module/ (a copy of Kbuild,
#    kmod/ and include/, so that the objects of the normal build next to
#    the sources are not touched): build/debug-module/gossip.ko.
#
# The last lines of the output are shell assignments (also written to
# build/debug-kernel.env) for scripts/vm.sh and the selftests:
#   GOSSIP_VM_KERNEL=... GOSSIP_VM_MODULES=... GOSSIP_KO=... GOSSIP_DEBUG_KDIR=...
#
# Environment: GOSSIP_CACHE (default /var/cache/gossip), GOSSIP_DEBUG_JOBS
# (make -j, default 2).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/cache-dir.sh"
GOSSIP_CACHE=${GOSSIP_CACHE:-/var/cache/gossip}
readonly SRC_TARBALL=/usr/src/linux-source-6.1.tar.xz
readonly FRAGMENT=$ROOT/scripts/debug-kernel.config
JOBS=${GOSSIP_DEBUG_JOBS:-2}

log() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { printf 'debug-kernel: error: %s\n' "$*" >&2; exit 1; }

# --- The kernel build steps. Their text is part of the cache key.

# kconfig_check TREE: every line of the fragment holds in TREE/.config.
kconfig_check() {
	local tree=$1 line sym want bad=()

	while IFS= read -r line; do
		if [[ "$line" =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]}
			want=$line
			grep -qxF -- "$want" "$tree/.config" ||
				bad+=("$want (got: $(grep -E "^(# )?$sym[= ]" "$tree/.config" || echo unset))")
		elif [[ "$line" =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			if grep -qE "^$sym=" "$tree/.config"; then
				bad+=("$line (got: $(grep -E "^$sym=" "$tree/.config"))")
			fi
		fi
	done <"$FRAGMENT"
	if ((${#bad[@]})); then
		log "Kconfig did not take these lines of ${FRAGMENT#"$ROOT"/}:"
		printf 'debug-kernel:   %s\n' "${bad[@]}" >&2
		return 1
	fi
}

kernel_configure() {
	local tree=$1

	make -s -C "$tree" tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" "$FRAGMENT" >/dev/null
	make -s -C "$tree" olddefconfig
	kconfig_check "$tree"
}

kernel_build() {
	local dir=$1 tree=$1/src rel

	nice -n 19 make -s -C "$tree" -j"$JOBS" bzImage modules
	rel=$(make -s -C "$tree" kernelrelease)
	rm -rf -- "$dir/modroot"
	make -s -C "$tree" INSTALL_MOD_PATH="$dir/modroot" INSTALL_MOD_STRIP=1 \
		DEPMOD=/sbin/depmod modules_install
	[[ -f "$dir/modroot/lib/modules/$rel/modules.builtin" ]] ||
		die "modules_install left no modules.builtin"
	cp -- "$tree/arch/x86/boot/bzImage" "$dir/bzImage"
	echo "$rel" >"$dir/release"
}

# --- End of the build steps.

cache_key() {
	{
		sha256sum <"$FRAGMENT"
		declare -f kconfig_check kernel_configure kernel_build
		dpkg-query -W -f='${Package} ${Version}\n' linux-source-6.1 2>/dev/null ||
			stat -c '%s %Y' "$SRC_TARBALL"
		gcc --version | head -n 1
	} | sha256sum | cut -c1-16
}

build_kernel() {
	local dir=$1 start=$SECONDS

	if [[ ! -e "$dir/.configured" ]]; then
		[[ -f "$SRC_TARBALL" ]] || die "$SRC_TARBALL missing (package linux-source-6.1: run scripts/deps.sh)"
		rm -rf -- "$dir"
		mkdir -p -- "$dir/src"
		log "extracting $SRC_TARBALL into $dir/src"
		tar -xJf "$SRC_TARBALL" -C "$dir/src" --strip-components=1
		log "configuring (tinyconfig + ${FRAGMENT#"$ROOT"/})"
		kernel_configure "$dir/src" || die "the configuration is not what the fragment asks (above)"
		touch "$dir/.configured"
	else
		log "resuming the interrupted build in $dir"
	fi
	log "building bzImage and modules (nice -n 19 make -j$JOBS; 15-25 min); log: $dir/build.log"
	if ! kernel_build "$dir" >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		die "kernel build failed (full log: $dir/build.log)"
	fi
	touch "$dir/.done"
	log "kernel $(cat "$dir/release") ready in $((SECONDS - start)) s: $dir"
}

ensure_kernel() {
	local key dir real_cache

	real_cache=$(cache_dir) || exit 1
	key=$(cache_key)
	dir=$real_cache/debug-kernel-$key
	if [[ ! -e "$dir/.done" ]]; then
		[[ -w "$real_cache" ]] || die "cannot write GOSSIP_CACHE=$GOSSIP_CACHE"
		exec 8>"$real_cache/.debug-kernel.lock"
		if ! flock -n 8; then
			log "another run is building a debug kernel; waiting for its lock"
			flock 8
		fi
		[[ -e "$dir/.done" ]] || build_kernel "$dir"
		exec 8>&-
	fi
	KDIR_DEBUG=$dir
}

# gossip.ko against the debug tree, away from the normal build's objects.
build_module() {
	local out=$ROOT/build/debug-module

	mkdir -p -- "$out/kmod" "$out/include"
	cp -p -- "$ROOT/Kbuild" "$out/Kbuild"
	cp -p -- "$ROOT"/kmod/*.[ch] "$out/kmod/"
	cp -pR -- "$ROOT/include/." "$out/include/"
	log "building gossip.ko against the debug kernel in ${out#"$ROOT"/}"
	make -s -C "$KDIR_DEBUG/src" M="$out" modules
	[[ -f "$out/gossip.ko" ]] || die "no $out/gossip.ko"
}

main() {
	local rel env

	if [[ "${1:-}" != --kernel-only ]] && (($#)); then
		die "usage: scripts/debug-kernel.sh [--kernel-only]"
	fi
	ensure_kernel
	rel=$(cat "$KDIR_DEBUG/release")
	[[ "${1:-}" == --kernel-only ]] || build_module
	env="GOSSIP_DEBUG_KDIR=$KDIR_DEBUG/src
GOSSIP_VM_KERNEL=$KDIR_DEBUG/bzImage
GOSSIP_VM_MODULES=$KDIR_DEBUG/modroot/lib/modules/$rel
GOSSIP_KO=$ROOT/build/debug-module/gossip.ko"
	mkdir -p -- "$ROOT/build"
	echo "$env" >"$ROOT/build/debug-kernel.env"
	echo "$env"
}

main "$@"
