# SPDX-License-Identifier: GPL-2.0
#
# make            build gossip.ko, gossipadm and the selftests
# make check      install what is missing, build, check the generated
#                 netlink files and (on the host) make install and dkms,
#                 boot the test kernel in QEMU and run every selftest in it
#                 (KTAP, "N passed, N failed"), then check-multivm
# make check-debug  the same suite under a debug kernel (KASAN, kmemleak,
#                 lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, ODEBUG), built once
#                 from Debian's linux-source-6.1 and cached in GOSSIP_CACHE
# make check-multivm  a cluster of 3 VMs, each its own kernel and gossip.ko,
#                 on one QEMU network: convergence, a node leaving (KTAP)
# make demo       the same set-up, then an 8-node cluster spreading a value
# make bench      rounds to 50/90/100 % per mode, fanout and size, vs theory
# make bench-efficiency  per mode, eager on/off, n 64/256, loss 0/10 %,
#                 lockstep off: time to 50/90/100 %, payload copies,
#                 datagrams and bytes per node and update, idle datagrams
#                 and bytes per node and second (make bench's section
#                 BENCH_EFFICIENCY=only; docs/benchmarks.md)
# make bench-cost ns per round and per received datagram at 16/256/1024
#                 peers, and round lateness at 1/10/200 ms
# make fuzz       fuzz the wire codec on the host for FUZZ_SECONDS (600)
# make netlink-gen  write the files generated from the netlink spec
#                 (Documentation/netlink/specs/gossip.yaml); make check fails
#                 first when a committed one differs from what it gives
# make unit       build and run on the host the unit tests of the algorithms
#                 (kmod/replay.c, ratelimit.c, pick.c, late.c in userspace)
# make sim        the protocol's kmod files under the deterministic simulator
#                 (selftests/sim, docs/simulator.md): SEEDS random schedules
#                 (default 100000) on every core, invariants checked (KTAP)
# make sim-check  the same for SIM_SECONDS (50) on the host: make check's run
# make sim-planted  each bug of selftests/sim/planted/ put back into a copy
#                 of kmod/: the simulator must catch it (make check runs it)
# make sim-startup  256 simulated nodes, every one an origin, in each mode:
#                 quiet, every life acked, 200 s after the start (make
#                 check runs it; selftests/sim/startup.sh)
# make sim-scale  one update over SCALE_NODES (1000 10000 100000) simulated nodes
#                 per mode and fanout 1/3: rounds to 50/90/100 %, cost
#
# make install   gossipadm, gossipadm(8) and its bash completion under
#                 $(DESTDIR)$(PREFIX) (PREFIX=/usr/local)
# make modules_install  gossip.ko into $(INSTALL_MOD_PATH)/lib/modules/<KDIR's
#                 release>/updates (the kernel's M= modules_install), depmod
#
# KDIR is the kernel build tree to build the module against: by default the
# running kernel's (/lib/modules/$(uname -r)/build) when there is one, else
# the headers of the test kernel (Debian's 6.1, installed by scripts/deps.sh).
# The targets that boot the test kernel (check, demo, bench...) always build
# against TEST_KDIR, the test kernel's headers, whatever the host runs.

GOSSIP_CACHE ?= /var/cache/gossip
KVER ?= $(shell scripts/kver.sh 2>/dev/null)
TEST_KDIR ?= /usr/src/linux-headers-$(KVER)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)),$(RUNNING_KDIR),$(TEST_KDIR))
export GOSSIP_CACHE

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

.PHONY: all module tools selftests install modules_install deps netlink-gen netlink-gen-check check check-debug check-multivm check-tcg demo bench bench-efficiency bench-cost fuzz unit sim sim-check sim-planted sim-startup sim-scale clean checkpatch sparse

all: module tools selftests

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

selftests: tools
	$(MAKE) -C selftests

install: tools
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0755 tools/gossipadm $(DESTDIR)$(SBINDIR)/gossipadm
	$(INSTALL) -m 0644 tools/gossipadm.8 $(DESTDIR)$(MANDIR)/man8/gossipadm.8
	$(INSTALL) -m 0644 tools/gossipadm.bash-completion $(DESTDIR)$(BASHCOMPDIR)/gossipadm

# INSTALL_MOD_PATH (a staging root) and INSTALL_MOD_DIR (default updates)
# are the kernel's; modules_install runs depmod for KDIR's release.
INSTALL_MOD_DIR ?= updates
modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install

deps:
	scripts/deps.sh

netlink-gen:
	scripts/netlink-gen.py

# Exits non-zero, with a diff, when a generated file differs from the spec's.
netlink-gen-check:
	scripts/netlink-gen.py --check

# deps runs first and alone: it may install the compilers the build needs.
# check-multivm: 49 s on 2 idle cores, 80-337 s on the loaded 2-core machine.
check:
	scripts/deps.sh
	$(MAKE) netlink-gen-check
	$(MAKE) all KDIR=$(TEST_KDIR)
	$(MAKE) sim-check sim-planted sim-startup
	$(MAKE) -C tools check
	selftests/install.sh
	scripts/check.sh
	scripts/multivm.sh

# The debug kernel's build (cached) and gossip.ko against it
# (build/debug-module/), then the suite in it; see scripts/check-debug.sh.
check-debug:
	scripts/deps.sh
	$(MAKE) all KDIR=$(TEST_KDIR)
	scripts/debug-kernel.sh
	scripts/check-debug.sh

# Three VMs at once, each its own kernel (scripts/multivm.sh).
check-multivm:
	scripts/deps.sh
	$(MAKE) all KDIR=$(TEST_KDIR)
	scripts/multivm.sh

# Does QEMU run the 2-CPU guests through the kernel's code patching?
# (scripts/tcg-probe.sh: three VMs flip a static key for a minute.)
check-tcg:
	scripts/deps.sh
	scripts/tcg-probe.sh

demo:
	scripts/deps.sh
	$(MAKE) all KDIR=$(TEST_KDIR)
	scripts/demo.sh

bench:
	scripts/deps.sh
	$(MAKE) all KDIR=$(TEST_KDIR)
	scripts/bench.sh

bench-efficiency:
	scripts/deps.sh
	$(MAKE) all KDIR=$(TEST_KDIR)
	BENCH_EFFICIENCY=only scripts/bench.sh

bench-cost:
	scripts/deps.sh
	$(MAKE) all KDIR=$(TEST_KDIR)
	scripts/bench-cost.sh

FUZZ_SECONDS ?= 600
fuzz:
	scripts/deps.sh
	$(MAKE) -C selftests fuzz/wire_fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# No VM, no root: the kmod files' algorithms against selftests/unit/shim.
unit:
	$(MAKE) -C selftests unit/unit_test
	selftests/unit/unit_test

# No VM, no root: the protocol's kmod files in the simulator, on the host.
SEEDS ?= 100000
SIM_SECONDS ?= 50
sim:
	$(MAKE) -C selftests sim/gossip_sim
	selftests/sim/run.sh --seeds $(SEEDS)

sim-check:
	$(MAKE) -C selftests sim/gossip_sim
	selftests/sim/run.sh --seeds 100000000 --seconds $(SIM_SECONDS)

sim-planted:
	selftests/sim/planted.sh

sim-startup:
	$(MAKE) -C selftests sim/gossip_sim
	selftests/sim/startup.sh

SCALE_NODES ?= 1000 10000 100000
SCALE_SEEDS ?= 3
SCALE_FLAGS ?=
sim-scale:
	$(MAKE) -C selftests sim/gossip_sim
	mkdir -p build
	rm -f build/sim-scale.csv build/sim-scale.log
	{ echo "| nodes | view | mode | fanout | seeds | 50 % | 90 % | 100 % (min-max) | theory 50/90/100 % | gap 100 % | datagrams/node/update | copies/node/update | us CPU per node-round | KiB/node | CPU s per run |"; \
	  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"; } > build/sim-scale.txt
	start=$$(date +%s); \
	for n in $(SCALE_NODES); do for m in 1 2 3; do for f in 1 3; do \
		selftests/sim/gossip_sim --scale $$n --mode $$m --fanout $$f \
			--seeds $(SCALE_SEEDS) $(SCALE_FLAGS) \
			--csv build/sim-scale.csv | tee -a build/sim-scale.log | grep "^|" >> build/sim-scale.txt || exit 1; \
	done; done; done; \
	echo "# make sim-scale SCALE_NODES=\"$(SCALE_NODES)\" SCALE_SEEDS=$(SCALE_SEEDS) SCALE_FLAGS=\"$(SCALE_FLAGS)\": $$(( $$(date +%s) - start )) s" >> build/sim-scale.txt
	cat build/sim-scale.txt

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 W=1 modules

# checkpatch --strict, then the kernel-doc of every struct (kmod/*.h and
# the .c files): a warning of either fails.
# kmod/trace.h is written as the kernel's include/trace/events/ are: the
# TRACE_EVENT layout and the symbol tables trip the layout checks there.
checkpatch:
	perl $(GOSSIP_CACHE)/linux-source/scripts/checkpatch.pl --no-tree --strict \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(filter-out kmod/trace.h,$(wildcard kmod/*.c kmod/*.h)) \
		include/uapi/linux/gossip.h
	perl $(GOSSIP_CACHE)/linux-source/scripts/checkpatch.pl --no-tree --strict \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT,COMPLEX_MACRO,TRAILING_SEMICOLON,CAMELCASE,FUNCTION_ARGUMENTS \
		-f kmod/trace.h
	perl $(GOSSIP_CACHE)/linux-source/scripts/kernel-doc -none -Werror kmod/*.h kmod/*.c

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
