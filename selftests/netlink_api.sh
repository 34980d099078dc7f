#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the C netlink API test (netlink_api.c) with the module loaded, and
# unloads it after.

source "$(dirname "$0")/lib.sh"

require_root
[ -x "$LIB_DIR/netlink_api" ] || { echo "# netlink_api not built"; exit $KSFT_SKIP; }
load_module || exit $KSFT_FAIL
"$LIB_DIR/netlink_api"
rc=$?
unload_module || rc=$KSFT_FAIL
exit $rc
