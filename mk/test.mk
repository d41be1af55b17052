# test.mk - the CUnit suites and the checkers that run them.
#
#   make test-unit   build and run tests/ (CUnit basic interface) against
#                    $(B)/libptbench.a and $(B)/ptbench; exit non-zero on
#                    any failure.  TEST_SUITES="name ..." runs only those.
#   make sanitize    the same in build/asan (ASan + UBSan, no recovery),
#                    then in build/tsan (TSan; the unlocked counter, a race
#                    by design, is left out there: see tests/helpers.h;
#                    tests/tsan.supp: one thread-leak report of vfork)
#   make valgrind    memcheck over a tiny `ptbench run` of every workload
#                    in every model (tests/valgrind.sh)

TEST_SRC    := $(wildcard tests/*.c)
TEST_OBJ    := $(patsubst %.c,$(B)/obj/%.o,$(TEST_SRC))
TEST_BIN    := $(B)/ptbench-tests
TEST_SUITES ?=
TEST_ENV    ?=

SAN_CFLAGS  := -O1 -g -fno-omit-frame-pointer
ASAN_CFLAGS := $(SAN_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_CFLAGS := $(SAN_CFLAGS) -fsanitize=thread
ASAN_ENV    := ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN_ENV    := TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp

.PHONY: valgrind

$(TEST_OBJ): $(wildcard tests/*.h) mk/test.mk

$(TEST_BIN): $(TEST_OBJ) $(B)/libptbench.a
	$(CC) $(ALLCFLAGS) -o $@ $^ -lcunit $(LDLIBS)

test: test-unit
test-unit: all $(TEST_BIN)
	$(TEST_ENV) PTBENCH=$(B)/ptbench $(TEST_BIN) $(TEST_SUITES)

# The C suites only (the script tests do not change under a sanitizer).
SAN_TESTS := test-part-a test-part-b test-unit
sanitize:
	$(MAKE) B=build/asan CFLAGS="$(ASAN_CFLAGS)" TEST_ENV="$(ASAN_ENV)" $(SAN_TESTS)
	$(MAKE) B=build/tsan CFLAGS="$(TSAN_CFLAGS)" TEST_ENV="$(TSAN_ENV)" $(SAN_TESTS)

valgrind: all
	tests/valgrind.sh $(B)/ptbench
