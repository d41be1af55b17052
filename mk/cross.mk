# cross.mk - cross-checks of ptbench's figures by independent tools.
#
#   make gbench          build build/ptbench-gbench (the google-benchmark shim,
#                        bench/gbench/), run it with 5 repetitions into
#                        results/gbench.json and convert that into
#                        results/gbench.csv (ptbench's CSV schema, source=gbench)
#   make gbench-compare  run ptbench on the same configurations and print
#                        google-benchmark's ns/op against ptbench's, with ratios
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

.PHONY: gbench gbench-build gbench-compare hyperfine test-cross

gbench-build: $(GBENCH_BIN)

$(GBENCH_BIN): bench/gbench/ptbench_gbench.cc $(B)/libptbench.a $(wildcard lib/*.h bench/*.h) mk/cross.mk
	@mkdir -p $(@D)
	$(CXX) $(GBENCH_CXXFLAGS) -o $@ $< $(B)/libptbench.a $(GBENCH_LDLIBS)

gbench: $(GBENCH_BIN)
	@mkdir -p $(dir $(GBENCH_JSON))
	$(GBENCH_BIN) --benchmark_repetitions=$(GBENCH_REPS) \
	  --benchmark_min_time=$(GBENCH_MIN_TIME) --benchmark_display_aggregates_only=true \
	  --benchmark_out_format=json --benchmark_out=$(GBENCH_JSON) $(GBENCH_ARGS)
	scripts/gbench_to_csv.py $(GBENCH_JSON) -o $(GBENCH_CSV)
	scripts/check_csv.py $(GBENCH_CSV)

gbench-compare: $(B)/ptbench
	@test -f $(GBENCH_CSV) || { echo "gbench-compare: $(GBENCH_CSV) is missing: run make gbench first" >&2; exit 2; }
	scripts/gbench_compare.py --ptbench $(B)/ptbench --reps $(GBENCH_REPS) $(GBENCH_CSV)

hyperfine: $(B)/ptbench
	scripts/hyperfine.sh --ptbench $(B)/ptbench --out results/hyperfine

test-cross: $(B)/ptbench $(GBENCH_BIN)
	PTB_BUILD=$(B) python3 -m unittest discover -s tests/cross -v
