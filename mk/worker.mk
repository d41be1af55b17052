# worker.mk - the worker binary of the spawn model and `create --exec yes`.
#
#   make                 also builds $(B)/ptbench-worker (beside ptbench,
#                        where the spawn model looks for it)
all: $(B)/ptbench-worker

$(B)/obj/bench/worker/%.o: bench/worker/%.c mk/worker.mk
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c $< -o $@

$(B)/ptbench-worker: $(B)/obj/bench/worker/worker_main.o
	$(CC) $(ALLCFLAGS) -o $@ $^
