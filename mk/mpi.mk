# mpi.mk - the `mpi` model: Open MPI ranks, on one host or on several hosts
# made of network namespaces (lib/model_mpi.c, bench/mpi/, scripts/mpi_*.sh).
#
#   make ptbench-mpi  build $(B)/ptbench-mpi (launcher + rank program) with
#                     mpicc; also part of `make` when mpicc is installed
#   make test-mpi     2 ranks on one host (cpu, counter, share, create: ok=1,
#                     exact results), the refusals, and as root a 2-host run;
#                     checks that no namespace, interface or process remains
#                     (tests/mpi/test_mpi.sh)
#   make bench-mpi    the distribution row: cpu at 1, 2, 4 hosts (2 ranks per
#                     host... see MPI_* below), share across 2 hosts against
#                     the thread model in one host, and the thread model's
#                     refusal of --hosts (results/mpi*.csv, results/mpi-thread-hosts.txt)
#
# `make deps` installs openmpi-bin, libopenmpi-dev and iproute2.

MPICC      ?= mpicc
MPI_CC     := $(shell command -v $(MPICC) 2>/dev/null)
MPI_SRC    := $(wildcard bench/mpi/*.c)
MPI_CFLAGS := -std=c11 -O2 -g $(WARN) -D_GNU_SOURCE -Ibench -Ibench/mpi

MPI_REPS   ?= 5
MPI_STEPS  ?= 2e8
MPI_BYTES  ?= 64M
MPI_CSV    ?= results/mpi.csv

.PHONY: ptbench-mpi test-mpi bench-mpi

ifneq ($(MPI_CC),)
all: $(B)/ptbench-mpi
endif

ptbench-mpi: $(B)/ptbench-mpi

$(B)/ptbench-mpi: $(MPI_SRC) $(wildcard bench/mpi/*.h) bench/cpuloop.h mk/mpi.mk
	@mkdir -p $(@D)
	$(MPICC) $(MPI_CFLAGS) -o $@ $(MPI_SRC)

test-mpi: all $(B)/ptbench-mpi
	PTB_BUILD=$(B) tests/mpi/test_mpi.sh

bench-mpi: all $(B)/ptbench-mpi
	PTB_BUILD=$(B) MPI_REPS=$(MPI_REPS) MPI_STEPS=$(MPI_STEPS) MPI_BYTES=$(MPI_BYTES) \
	  MPI_CSV=$(MPI_CSV) scripts/mpi_bench.sh
