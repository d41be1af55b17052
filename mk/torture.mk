# torture.mk - `make torture`: random SIGINT/SIGTERM/SIGKILL and injected
# worker crashes across all models, C and Python (every table workload);
# nothing may be left, no row lost.
TORTURE_RUNS ?= 200
.PHONY: torture
torture: all
	$(PYTHON) scripts/torture.py --runs $(TORTURE_RUNS)
