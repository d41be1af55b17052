# part_a.mk - the worker binary of the spawn model and `create --exec yes`,
# and the checks of the create, switch and footprint workloads.
#
#   make                 also builds $(B)/ptbench-worker (beside ptbench,
#                        where the spawn model looks for it)
#   make test-part-a     tests/part_a/test_part_a.sh: the three workloads in
#                        every model that runs them, ok=1, the CLI refusals
#                        (exit 2, nothing written), nothing left behind
.PHONY: test-part-a
all: $(B)/ptbench-worker

$(B)/obj/bench/worker/%.o: bench/worker/%.c mk/part_a.mk
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c $< -o $@

$(B)/ptbench-worker: $(B)/obj/bench/worker/worker_main.o
	$(CC) $(ALLCFLAGS) -o $@ $^

test-part-a: all
	tests/part_a/test_part_a.sh $(B)
