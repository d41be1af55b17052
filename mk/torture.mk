# torture.mk - `make torture`: random SIGINT/SIGTERM/SIGKILL and injected
# worker crashes across all models, C and Python (every table workload),
# and a user's plugin that crashes or hangs; nothing may be left, no row
# lost.
#
#   make torture        TORTURE_RUNS (200) runs of scripts/torture.py
#   make test-torture   what it counts as a leftover, on processes made for
#                       the test; one run of the crashing and of the hanging
#                       plugin (tests/scripts/torture)
TORTURE_RUNS ?= 200
.PHONY: torture test-torture
torture: all
	$(PYTHON) scripts/torture.py --runs $(TORTURE_RUNS)

test-torture:
	$(PYTHON) -m unittest discover -s tests/scripts/torture -v

TEST_TARGETS += test-torture
