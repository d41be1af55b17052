# fuzz.mk - `make fuzz`: libFuzzer over the number, list and CLI parsers.
# FUZZ_RUNS executions (default 1e6) from the corpus in tests/fuzz/corpus;
# new inputs libFuzzer finds go to build/fuzz/corpus, not into the tree.
FUZZ_RUNS ?= 1000000
FUZZ_B    := $(B)/fuzz
FUZZ_SRC  := $(LIB_SRC) $(BENCH_SRC)	# the library and the command line, as ptbench links them

.PHONY: fuzz
fuzz:
	@mkdir -p $(FUZZ_B)/corpus
	clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -D_GNU_SOURCE -Ilib -Ibench $(DEFS) -pthread -o $(FUZZ_B)/fuzz_cli tests/fuzz/fuzz_cli.c \
	  $(FUZZ_SRC) -lm
	$(FUZZ_B)/fuzz_cli -runs=$(FUZZ_RUNS) -max_len=512 $(FUZZ_B)/corpus tests/fuzz/corpus
