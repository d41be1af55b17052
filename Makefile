# ptbench - processes against threads, measured.
#
#   make            build build/ptbench (and build/refloop)
#   make test       build and run every test (TEST_TARGETS), one summary
#   make bench      the main job: deps, build, the seed workloads in every model
#   make bench-quick   the same at reduced sizes (CI smoke, < 1 minute)
#   make deps       install missing Debian packages (as root)
#   make sanitize   build and run the tests under ASan+UBSan, then TSan
#   make clean
#
# Other targets (plots, table, hyperfine, ...) live in mk/*.mk, one file each.

CC      ?= gcc
VERSION := 0.1.0
GIT     := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -Wall -Wextra -Wshadow -Wformat=2 $(if $(WERROR),-Werror)
CPPFLAGS += -D_GNU_SOURCE -Ilib -Ibench
ALLCFLAGS = -std=c11 $(CFLAGS) $(WARN) -pthread -fno-plt $(CPPFLAGS)
DEFS    = -DPTB_VERSION='"$(VERSION)"' -DPTB_GIT='"$(GIT)"' \
          -DPTB_CC='"$(CC)"' -DPTB_CFLAGS='"$(CFLAGS)"'
# -z now: every symbol bound at start, in the driver, so that no forked
# child runs the dynamic linker to bind a function its parent never called
# (a thread shares the parent's binding; a fork child paid ~7 page faults
# for it: make anchors, doc/methodology.md).  With -fno-plt (ALLCFLAGS)
# a call goes through the bound address, not a PLT stub on another code
# page that a fork child would fault in.
LDLIBS  += -pthread -lm -Wl,-z,now
B       ?= build
# The interpreter of every script (scripts/*.py, the script tests): one
# with scipy.  Debian's is /usr/bin/python3 (python3-scipy); a python3
# earlier on PATH (pyenv, a venv) may lack it.  The statistics scripts
# say so in one line and exit 2.  Exported for the shell scripts.
PYTHON  ?= $(firstword $(wildcard /usr/bin/python3) python3)
export PYTHON
# The analysis is one package, ptb/ (README: Architecture); its entry
# points run as `$(PYTHON) -m ptb.X` from any directory, the tests' children
# too, with the top of the tree on PYTHONPATH.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

LIB_SRC   := $(wildcard lib/*.c)
BENCH_SRC := $(filter-out bench/ptbench.c bench/refloop.c,$(wildcard bench/*.c))
CORE_OBJ  := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRC) $(BENCH_SRC))

.PHONY: all test bench bench-quick deps sanitize clean check-results
all: $(B)/ptbench $(B)/refloop

$(B)/obj/%.o: %.c $(wildcard lib/*.h bench/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(DEFS) -c $< -o $@

$(B)/libptbench.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/ptbench: $(B)/obj/bench/ptbench.o $(B)/libptbench.a
	$(CC) $(ALLCFLAGS) -o $@ $^ $(LDLIBS)

$(B)/refloop: $(B)/obj/bench/refloop.o
	$(CC) $(ALLCFLAGS) -o $@ $^ $(LDLIBS)

deps:
	scripts/deps.sh

BENCH_WORKERS := $(shell n=$$(nproc); if [ "$$n" -le 2 ] || [ "$$n" -eq 4 ]; then echo 1,2,4; else echo 1,2,4,$$n; fi)

# The main job.  Seed sizes: 1e9 steps (002), 16 files of 8 MiB copied in
# 1 KiB chunks (004); the counter at 10^5 decrements per worker with every
# lock; the seed's own counter case (100 workers, 0.1 s window) in C and
# Python; and the cpu loop in C and Python at 1e8 steps (CPython's loop
# costs ~20 ns a step, so 1e9 would take minutes per task).
C_MODELS  := thread,fork,threadpool,procpool
PY_MODELS := pythread,pyproc,pypool
bench:
	scripts/deps.sh --if-missing
	$(MAKE) all
	$(B)/ptbench run -w cpu,copy,counter -m $(C_MODELS) -n $(BENCH_WORKERS) -r 5 --warmup 1 \
	  --steps 1e9 --files 16 --file-size 8M --chunk 1024 \
	  --iters 100000 --lock mutex,spin,atomic,none -o results/bench.csv --force
	$(B)/ptbench run -w counter -m $(C_MODELS),$(PY_MODELS) -n 100 -r 3 --warmup 0 --iters 1 \
	  --window-us 100000 --lock mutex,none -o results/bench-seed-counter.csv --force
	$(MAKE) bench-python PY_STEPS=1e8
	$(PYTHON) -m ptb.check_csv results/bench.csv results/bench-seed-counter.csv results/python-cpu.csv

bench-quick: all
	$(B)/ptbench run -w cpu,copy,counter -m $(C_MODELS) -n 1,2,4 -r 3 --warmup 1 \
	  --steps 2e7 --files 4 --file-size 1M --chunk 1024 \
	  --iters 1000 --lock mutex,spin,atomic,none -o results/bench-quick.csv --force
	$(PYTHON) -m ptb.check_csv results/bench-quick.csv

clean:
	rm -rf $(B)

# What `make test` runs (mk/test.mk), in this order; an mk file that
# brings its own tests adds its target here: to TEST_TARGETS when its tests
# run workloads, to TEST_BESIDE when they run none (analysis of made-up or
# committed CSVs, charts, documents: no process, shared memory or
# temporary directory that another suite's leftover checks could see),
# which make test runs in a second lane beside the first on 2+ CPUs.
TEST_TARGETS := test-c test-workloads test-python
TEST_BESIDE  := test-table test-derived test-regress test-plots test-compare test-cross

-include mk/*.mk
