# cross.mk - cross-checks of ptbench's figures by independent tools.
#
#   make gbench          build build/ptbench-gbench (the google-benchmark shim,
#                        bench/gbench/), run it with 5 repetitions into
#                        results/gbench.json and convert that into
#                        results/gbench.csv (ptbench's CSV schema, source=gbench)
#   make gbench-compare  run ptbench on the same configurations and print
#                        google-benchmark's ns/op against ptbench's, with ratios
#                        (results/gbench-compare.md, ptbench's CSV in
#                        results/gbench-ptbench.csv)
#   make gbench-runner   the control: the same benchmarks with every iteration in
#                        ptbench's forked runner (--ptb-runner), compared with
#                        results/gbench-ptbench.csv (results/gbench-compare-runner.md)
#   make gbench-ab BASE=base.json NEW=new.json
#                        A/B comparison of two shim JSON files (two commits,
#                        two machines) with compare.py from libbenchmark-tools
#   make hyperfine       time whole `ptbench run` commands with hyperfine
#                        (results/hyperfine/) and compare with ptbench's own walls
#   make test-cross      the tests of the conversion and comparison scripts
#
# Knobs: GBENCH_ARGS (extra options for the shim, e.g. --ptb-set=cpu.steps=1e8
# or --benchmark_filter=cpu/), GBENCH_MIN_TIME (seconds per repetition).

GBENCH_BIN      := $(B)/ptbench-gbench
GBENCH_JSON     ?= results/gbench.json
GBENCH_CSV      ?= results/gbench.csv
GBENCH_REPS     ?= 5
GBENCH_MIN_TIME ?= 0.05
GBENCH_ARGS     ?=
GBENCH_CXXFLAGS := -std=c++17 $(OPT) -g -Wall -Wextra $(if $(WERROR),-Werror) -pthread \
                   $(CPPFLAGS) -DPTB_GIT='"$(GIT)"' \
                   $(shell pkg-config --cflags benchmark 2>/dev/null)
GBENCH_LDLIBS   := $(or $(shell pkg-config --libs benchmark 2>/dev/null),-lbenchmark) \
                   -lpthread -lm

# compare.py from Debian's libbenchmark-tools, run by Debian's python3
# (it imports scipy: python3-scipy).
GBENCH_COMPARE_PY ?= $(shell dpkg -L libbenchmark-tools 2>/dev/null | grep '/compare\.py$$' | head -n 1)
GBENCH_PY         ?= $(PYTHON)

.PHONY: gbench gbench-build gbench-compare gbench-runner gbench-ab hyperfine test-cross

gbench-build: $(GBENCH_BIN)

$(GBENCH_BIN): bench/gbench/ptbench_gbench.cc $(B)/libptbench.a $(wildcard lib/*.h bench/*.h) mk/cross.mk
	@mkdir -p $(@D)
	$(CXX) $(GBENCH_CXXFLAGS) -o $@ $< $(B)/libptbench.a $(GBENCH_LDLIBS)

gbench: all $(GBENCH_BIN)
	@mkdir -p $(dir $(GBENCH_JSON))
	$(GBENCH_BIN) --benchmark_repetitions=$(GBENCH_REPS) \
	  --benchmark_min_time=$(GBENCH_MIN_TIME) --benchmark_display_aggregates_only=true \
	  --benchmark_out_format=json --benchmark_out=$(GBENCH_JSON) $(GBENCH_ARGS)
	$(PYTHON) -m ptb.xcheck.gbench_csv $(GBENCH_JSON) -o $(GBENCH_CSV)
	$(PYTHON) -m ptb.check_csv $(GBENCH_CSV)

gbench-compare: all
	@test -f $(GBENCH_CSV) || { echo "gbench-compare: $(GBENCH_CSV) is missing: run make gbench first" >&2; exit 2; }
	$(PYTHON) -m ptb.xcheck.gbench --ptbench $(B)/ptbench --reps $(GBENCH_REPS) \
	  --save-csv results/gbench-ptbench.csv --markdown results/gbench-compare.md $(GBENCH_CSV)

# The control experiment: the same benchmarks with each iteration in
# ptbench's forked runner (--ptb-runner), compared with the ptbench CSV that
# gbench-compare saved.
gbench-runner: all $(GBENCH_BIN)
	@test -f results/gbench-ptbench.csv || { echo "gbench-runner: results/gbench-ptbench.csv is missing: run make gbench gbench-compare first" >&2; exit 2; }
	$(MAKE) gbench GBENCH_ARGS="--ptb-runner $(GBENCH_ARGS)" \
	  GBENCH_JSON=results/gbench-runner.json GBENCH_CSV=results/gbench-runner.csv
	$(PYTHON) -m ptb.xcheck.gbench --ptbench-csv results/gbench-ptbench.csv \
	  --markdown results/gbench-compare-runner.md results/gbench-runner.csv

gbench-ab:
	@test -f "$(BASE)" && test -f "$(NEW)" || { echo "gbench-ab: BASE='$(BASE)' NEW='$(NEW)': give two JSON files of build/ptbench-gbench" >&2; exit 2; }
	@test -n "$(GBENCH_COMPARE_PY)" || { echo "gbench-ab: compare.py not found (make deps: libbenchmark-tools)" >&2; exit 2; }
	$(GBENCH_PY) $(GBENCH_COMPARE_PY) -a benchmarks $(BASE) $(NEW)

hyperfine: all
	scripts/hyperfine.sh --ptbench $(B)/ptbench --out results/hyperfine

test-cross: all $(GBENCH_BIN)
	PTB_BUILD=$(B) $(PYTHON) -m unittest discover -s tests/scripts/cross -v
