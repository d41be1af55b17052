# mpi.mk - the `mpi` model: Open MPI ranks, on one host or on several hosts
# made of network namespaces (lib/model_mpi.c, bench/mpi/, scripts/mpi_*.sh).
#
#   make ptbench-mpi  build $(B)/ptbench-mpi (launcher + rank program) with
#                     mpicc; also part of `make` when mpicc is installed
#   make test-mpi     2 ranks on one host (cpu, counter, share, create,
#                     allreduce: ok=1, exact results), allreduce in the C
#                     models, the refusals (hostfile, rates, netem), and as
#                     root 2-host runs: --net-rate, --hostfile naming the
#                     namespace hosts, an unreachable host, timeout, SIGINT
#                     and a SIGKILLed driver; checks that no namespace,
#                     interface or process remains (tests/mpi/test_mpi.sh);
#                     pympi (mpi4py ranks) on 1 and 2 hosts, its refusal
#                     without mpi4py, a SIGKILLed driver of Python ranks
#   make test-mpi-quick  the subset of test-mpi in make test (QUICK=1): allreduce on
#                     one host and in the C models (exact sums), the
#                     refusals, and as root --net-rate and --hostfile
#   make bench-mpi    the distribution row (results/mpi-*.csv): cpu and create
#                     at 4 ranks on 1, 2, 4 hosts, the thread model in the
#                     same runs as the one-host reference; share at 2 ranks
#                     on 1 and 2 hosts against thread and fork in one host;
#                     and ptbench's refusal of -m thread --hosts 2, with its
#                     exit status (results/mpi-thread-hosts.txt)
#   make bench-scaling  the allreduce workload (compute --steps, then an
#                     all-reduce of --payload bytes, --exchanges times) at 4
#                     workers in mpi on 1, 2 and 4 hosts (thread and fork on
#                     1 as references), the links limited to $(SCALING_RATE)
#                     bit/s; ptb/mpi_scaling.py fits the cost model to
#                     the mpi rows, checks it at 4 hosts and projects it to
#                     64 real hosts (results/mpi-scaling.csv, .json; its
#                     chart into $(B)/scaling/); host counts interleaved
#                     round by round; ~5 min (doc/mpi.md)
#   make plot-scaling the committed chart results/plots/mpi-scaling.png and
#                     .svg from the committed results/table.csv (make
#                     table's mpi-allreduce-h1/h2/h4 rows, the ones the
#                     distribution row is judged on: the chart's figures
#                     are the table's); no measuring, no root;
#                     SCALING_PLOT_CSV=... and SCALING_PLOT=... for others
#
# `make deps` installs openmpi-bin, libopenmpi-dev and iproute2.

MPICC      ?= mpicc
MPI_CC     := $(shell command -v $(MPICC) 2>/dev/null)
# lib/measure.c: the ranks' and the launcher's clock is the runner's (ptb_now_ns)
MPI_SRC    := $(wildcard bench/mpi/*.c) lib/hostfile.c lib/measure.c
MPI_CFLAGS := -std=c11 -O2 -g $(WARN) -D_GNU_SOURCE -Ibench -Ibench/mpi -Ilib -Iinclude

MPI_REPS   ?= 5
MPI_STEPS  ?= 1e9
MPI_BYTES  ?= 64M
MPI_HOSTS  ?= 1 2 4
MPI_OUT    ?= results

SCALING_STEPS    ?= 1e4,1e5,1e6
SCALING_PAYLOAD  ?= 8,32k
SCALING_EXCH     ?= 200
SCALING_REPS     ?= 5
SCALING_RATE     ?= 1G

SCALING_PLOT_CSV ?= results/table.csv
SCALING_PLOT     ?= $(if $(filter results/table.csv,$(SCALING_PLOT_CSV)),results/plots/mpi-scaling,$(B)/plots/mpi-scaling)

.PHONY: ptbench-mpi test-mpi test-mpi-quick bench-mpi bench-scaling plot-scaling

# make test runs the quick subset: the namespace part only where network
# namespaces and a private mount namespace can be made (root, outside a
# chroot), skipped with a line elsewhere.
TEST_TARGETS += test-mpi-quick

ifneq ($(MPI_CC),)
all: $(B)/ptbench-mpi
endif

ptbench-mpi: $(B)/ptbench-mpi

$(B)/ptbench-mpi: $(MPI_SRC) $(wildcard bench/mpi/*.h) lib/hostfile.h lib/measure.h lib/sample.h bench/cpuloop.h bench/sharedata.h bench/allreducedata.h include/ptbench/plugin.h mk/mpi.mk
	@mkdir -p $(@D)
	$(MPICC) $(MPI_CFLAGS) -o $@ $(MPI_SRC) -ldl

test-mpi: all $(B)/ptbench-mpi
	PTB_BUILD=$(B) tests/mpi/test_mpi.sh

test-mpi-quick: all $(B)/ptbench-mpi
	QUICK=1 PTB_BUILD=$(B) tests/mpi/test_mpi.sh

# One ptbench run per host count (--hosts is one value per run); each
# interleaves the thread model with mpi, so drift shows in both.  Host
# counts above 1 need root (network namespaces): without it they are
# skipped with a note, and the table says what was not measured.
bench-mpi: all $(B)/ptbench-mpi
	@set -e; canns=0; scripts/mpi_hosts.sh check && canns=1; \
	for h in $(MPI_HOSTS); do \
	  if [ "$$h" -gt 1 ] && [ "$$canns" -eq 0 ]; then \
	    echo "bench-mpi: --hosts $$h not measured: network namespaces need root (outside a chroot)" >&2; continue; fi; \
	  $(B)/ptbench run -w cpu,create -m thread,mpi -n 4 --hosts $$h --steps $(MPI_STEPS) \
	    -r $(MPI_REPS) --warmup 1 -o $(MPI_OUT)/mpi-hosts$$h.csv --force; \
	done; \
	for h in 1 2; do \
	  if [ "$$h" -gt 1 ] && [ "$$canns" -eq 0 ]; then continue; fi; \
	  $(B)/ptbench run -w share -m thread,fork,mpi -n 2 --hosts $$h --bytes $(MPI_BYTES) \
	    -r $(MPI_REPS) --warmup 1 -o $(MPI_OUT)/mpi-share-hosts$$h.csv --force; \
	done; \
	{ echo "\$$ ptbench run -w cpu -m thread --hosts 2"; rc=0; \
	  $(B)/ptbench run -w cpu -m thread --hosts 2 -o $(B)/mpi-refused.csv 2>&1 || rc=$$?; \
	  echo "exit status $$rc"; } > $(MPI_OUT)/mpi-thread-hosts.txt; \
	cat $(MPI_OUT)/mpi-thread-hosts.txt
	$(PYTHON) -m ptb.check_csv $(MPI_OUT)/mpi-hosts*.csv $(MPI_OUT)/mpi-share-hosts*.csv

# Host counts interleaved: round r runs 1, 2, 4 hosts one repetition each,
# so a change of the machine's load over the minutes hits every host count
# alike (--hosts takes one value per ptbench run); thread and fork in every
# run are the one-host references of the same sizes.  The runs go to
# $(B)/scaling/, their rows and metas into results/mpi-scaling.csv and .json.
# Needs root (network namespaces).
bench-scaling: all $(B)/ptbench-mpi
	@scripts/mpi_hosts.sh check || { echo "bench-scaling: network namespaces need root (outside a chroot)" >&2; exit 2; }
	@rm -rf $(B)/scaling && mkdir -p $(B)/scaling $(MPI_OUT)/plots
	@set -e; for r in $$(seq $(SCALING_REPS)); do for h in $(MPI_HOSTS); do \
	  rate=; models=thread,fork,mpi; \
	  [ "$$h" -gt 1 ] && { rate="--net-rate $(SCALING_RATE)"; models=mpi; }; \
	  echo "bench-scaling: round $$r of $(SCALING_REPS), $$h host(s)"; \
	  $(B)/ptbench run -q -w allreduce -m $$models -n 4 --hosts $$h $$rate \
	    --steps $(SCALING_STEPS) --payload $(SCALING_PAYLOAD) --exchanges $(SCALING_EXCH) \
	    -r 1 --warmup 0 -o $(B)/scaling/hosts$$h-round$$r.csv --force; \
	done; done
	$(PYTHON) -m ptb.check_csv $(B)/scaling/*.csv
	$(PYTHON) -m ptb.mpi_scaling $(B)/scaling/*.csv --csv-out $(MPI_OUT)/mpi-scaling.csv \
	  --json $(MPI_OUT)/mpi-scaling.json --plot $(B)/scaling/mpi-scaling

# The committed chart: from the rows the table judges (no measuring).
plot-scaling:
	@mkdir -p $(dir $(SCALING_PLOT))
	$(PYTHON) -m ptb.mpi_scaling $(SCALING_PLOT_CSV) --plot $(SCALING_PLOT)
