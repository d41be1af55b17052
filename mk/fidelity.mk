# fidelity.mk - `make fidelity`: does the harness disturb what it measures?
# (the cpu loop against a standalone loop, scaling, overhead, driver memory)
.PHONY: fidelity
fidelity: all
	$(PYTHON) -m ptb.xcheck.fidelity
