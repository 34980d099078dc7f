#!/bin/sh
# The release of the test kernel: the newest Debian amd64 headers installed.
ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n 1
