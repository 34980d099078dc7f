# SPDX-License-Identifier: GPL-2.0
#
# scripts/cache-dir.sh - sourced by deps.sh and debug-kernel.sh.
#
# cache_dir: create $GOSSIP_CACHE if needed and print its real path; dies
# (with the caller's die) when it cannot be created or lies inside the
# checkout ($ROOT), where `make clean` or a fresh clone would lose it.
cache_dir() {
	local real

	mkdir -p -- "$GOSSIP_CACHE" 2>/dev/null ||
		die "cannot create GOSSIP_CACHE=$GOSSIP_CACHE (run as root or set GOSSIP_CACHE)"
	real=$(cd "$GOSSIP_CACHE" && pwd -P)
	case "$real/" in
	"$(cd "$ROOT" && pwd -P)/"*) die "GOSSIP_CACHE=$GOSSIP_CACHE is inside the checkout" ;;
	esac
	echo "$real"
}
