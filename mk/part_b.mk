# part_b.mk - issue 4, part B: the workloads share, crash, pool, zombie and
# daemon, and the figures derived from a CSV (speed-up, CPU utilisation).
#
#   make test-part-b     build and run the CUnit suites of tests/part_b/
#                        (exact results, ok=1, nothing left behind)
#   make bench-part-b    every part-B workload in every model that runs it
#                        (-n 2,4 -r 3), checked, then scripts/derived.py;
#                        writes $(PARTB_CSV) (default $(B)/part-b.csv)
#   make derived CSV=F   speed-up, CPU utilisation, bytes/s and the notes'
#                        medians of any ptbench CSV

PARTB_TEST_SRC := $(wildcard tests/part_b/*.c)
PARTB_TEST_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(PARTB_TEST_SRC))
PARTB_TEST_BIN := $(B)/ptbench-tests-part-b
PARTB_CSV      ?= $(B)/part-b.csv

.PHONY: test-part-b bench-part-b derived

$(PARTB_TEST_OBJ): $(wildcard tests/part_b/*.h) mk/part_b.mk

$(PARTB_TEST_BIN): $(PARTB_TEST_OBJ) $(B)/libptbench.a
	$(CC) $(ALLCFLAGS) -o $@ $^ -lcunit $(LDLIBS)

test-part-b: all $(PARTB_TEST_BIN)
	PTBENCH=$(B)/ptbench $(PARTB_TEST_BIN)

bench-part-b: all
	$(B)/ptbench run -w share,crash,pool,zombie,daemon -m all -n 2,4 -r 3 --warmup 1 \
	  --bytes 16M --via heap,shm,pipe,socketpair --encode 0,1 \
	  --tasks 64 --submit sync,async -o $(PARTB_CSV) --force
	$(PYTHON) scripts/check_csv.py $(PARTB_CSV)
	$(PYTHON) scripts/derived.py $(PARTB_CSV) --workload share,crash,pool,zombie,daemon

derived:
	@test -n "$(CSV)" || { echo "make derived: CSV=FILE.csv is required" >&2; exit 2; }
	$(PYTHON) scripts/derived.py $(CSV)
