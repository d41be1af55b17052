# test.mk - the C test program, the shell check of the workloads, the
# sanitizers, and `make test` itself.
#
#   make test        install missing packages (scripts/deps.sh, as make
#                    bench does), build, then run every target in
#                    TEST_TARGETS (each mk file adds its own) one after
#                    another, and those in TEST_BESIDE (tests that run no
#                    workload) in a second lane beside them on 2+ CPUs,
#                    all of them even after a failure, and close
#                    with one summary counting every test they ran:
#                    "N passed, M failed" is the last line
#                    (tests/run_targets.sh; logs in $(B)/test-logs/)
#   make test-c      build and run the CUnit program $(B)/ptbench-tests:
#                    every C suite (tests/unit, workloads, cli, output,
#                    signals; helpers in tests/common) against
#                    $(B)/libptbench.a and $(B)/ptbench.  TEST_SUITES="name
#                    ..." runs only the CUnit suites of those names.
#   make test-workloads  tests/workloads/test_create_switch_footprint.sh:
#                    create, switch and footprint in every model that runs
#                    them, ok=1, the CLI refusals (exit 2, nothing written),
#                    nothing left behind
#   make test-new-workload  tests/workloads/test_new_workload.sh: a copy
#                    of the tree (git ls-files, no results/) with a dummy
#                    workload added as doc/workloads.md says (bench/w_dummy.c,
#                    one line in bench/registry_list.h, bench/py/wl_dummy.py)
#                    builds, `ptbench list --json` lists it, and it runs
#                    ok=1 in thread, fork, pythread and pyproc (~10 s)
#   make sanitize    test-c and test-workloads in build/asan (ASan + UBSan,
#                    no recovery), then test-c in build/tsan (TSan; the unlocked
#                    counter, a race by design, is left out there: see
#                    tests/common/helpers.h; no suppressions: children
#                    that only exit leave by exit_group, where TSan checks
#                    nothing, lib/child.h; the Python and MPI models run
#                    cpu only there, tests/common/helpers.h).  Where the kernel randomises
#                    mmap with more than 28 bits (vm.mmap_rnd_bits, 32 on
#                    some CI runners' kernels), gcc 12's TSan stops with
#                    "unexpected memory mapping"; the TSan half then runs
#                    under `setarch -R` (no address randomisation, as
#                    newer TSan re-execs itself), doc/ci.md
#   make tsan-loop   the fork/vfork cases under TSan TSAN_LOOPS times
#                    (scripts/tsan_loop.sh; 100 loops ~15 min on 2 vCPUs)
#   make valgrind    memcheck over a tiny `ptbench run` of every workload
#                    in every model (tests/sanitizers/valgrind.sh)

TEST_C_DIRS := tests/common tests/unit tests/workloads tests/cli tests/output tests/signals
TEST_SRC    := $(wildcard $(addsuffix /*.c,$(TEST_C_DIRS)))
TEST_HDR    := $(wildcard $(addsuffix /*.h,$(TEST_C_DIRS)))
TEST_OBJ    := $(patsubst %.c,$(B)/obj/%.o,$(TEST_SRC))
TEST_BIN    := $(B)/ptbench-tests
TEST_SUITES ?=
TEST_ENV    ?=

SAN_CFLAGS  := -O1 -g -fno-omit-frame-pointer
ASAN_CFLAGS := $(SAN_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_CFLAGS := $(SAN_CFLAGS) -fsanitize=thread
ASAN_ENV    := ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN_ENV    := TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

TSAN_LOOPS  ?= 100
# setarch -R where vm.mmap_rnd_bits > 28 (see sanitize above), else nothing
TSAN_ASLR   := $(shell test "$$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" -gt 28 \
                 && echo "setarch $$(uname -m) -R")

.PHONY: test test-c test-workloads test-new-workload valgrind tsan-loop

TEST_TARGETS += test-new-workload

$(TEST_OBJ): CPPFLAGS += $(addprefix -I,$(TEST_C_DIRS))
$(TEST_OBJ): $(TEST_HDR) mk/test.mk

$(TEST_BIN): $(TEST_OBJ) $(B)/libptbench.a
	$(CC) $(ALLCFLAGS) -o $@ $^ -lcunit $(LDLIBS)

test-c: all $(TEST_BIN)
	$(TEST_ENV) PTBENCH=$(B)/ptbench $(TEST_BIN) $(TEST_SUITES)

test-workloads: all $(B)/refs/create_ref
	tests/workloads/test_create_switch_footprint.sh $(B)

test-new-workload:
	tests/workloads/test_new_workload.sh

# The packages first (as `make bench` does: scripts/deps.sh), then the
# build, so that `make test` works as the first command on a fresh machine.
# PTB_NO_VERDICTS: no run of a suite judges its pairs after the summary (a
# second of Python each); the suites that test the verdicts unset it.
test:
	scripts/deps.sh --if-missing
	$(MAKE) all $(TEST_BIN)
	@PTB_NO_VERDICTS=1 MAKE="$(MAKE)" tests/run_targets.sh $(B)/test-logs $(TEST_TARGETS) --beside $(TEST_BESIDE)

# The C suites only (the script tests do not change under a sanitizer);
# test-workloads (create, switch, footprint in every model, through the
# shell) under ASan only: under TSan test-c's "workloads x models" runs
# the same models' code, and the shell's runs took 33 s more there.
SAN_TESTS := test-workloads test-c
sanitize:
	$(MAKE) B=build/asan CFLAGS="$(ASAN_CFLAGS)" TEST_ENV="$(ASAN_ENV)" $(SAN_TESTS)
	$(TSAN_ASLR) $(MAKE) B=build/tsan CFLAGS="$(TSAN_CFLAGS)" TEST_ENV="$(TSAN_ENV)" test-c

tsan-loop:
	$(MAKE) B=build/tsan CFLAGS="$(TSAN_CFLAGS)" all
	$(TSAN_ASLR) scripts/tsan_loop.sh --build build/tsan --loops $(TSAN_LOOPS)

valgrind: all
	tests/sanitizers/valgrind.sh $(B)/ptbench
