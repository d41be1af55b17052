# python.mk - the Python models (pythread, pyproc, pypool; bench/py/ptpy.py).
#
#   make test-python   run each Python model through $(B)/ptbench at a tiny
#                      size (every workload it implements) and check ok=1,
#                      exact results, refusals and the failure paths of the
#                      external-runner protocol (tests/python/test_python.py)
#   make plot-python   speed-up against workers of C and Python, processes
#                      and threads, on the cpu workload, from PY_CSV
#                      (ptb/plot/python_speedup.gp) into PY_PLOT_DIR:
#                      results/plots/ for the committed results/python-cpu.csv,
#                      $(B)/plots/NAME/ for any other PY_CSV; the footer
#                      names the CSV's run and date (its meta)
#   make bench-python  the cpu run behind that plot: thread, fork, pythread,
#                      pyproc, pypool at 1, 2 workers (and the cores online),
#                      --steps 2e7 (CPython's loop costs tens of ns a step)
#
# The interpreter is $PTB_PYTHON when set, else python3 in PATH; Debian's
# is /usr/bin/python3 (make deps installs it).

PY_TEST_PYTHON ?= python3
PY_CSV         ?= results/python-cpu.csv
PY_PLOT_DIR    ?= $(if $(filter results/python-cpu.csv,$(PY_CSV)),results/plots,$(B)/plots/$(basename $(notdir $(PY_CSV))))
PY_STEPS       ?= 2e7
PY_REPS        ?= 5
PY_WORKERS     := $(shell n=$$(nproc); if [ "$$n" -le 2 ]; then echo 1,2; else echo 1,2,$$n; fi)

.PHONY: test-python plot-python bench-python

test-python: all
	PTB_BUILD=$(B) $(PY_TEST_PYTHON) -m unittest discover -s tests/python -p 'test_*.py'

bench-python: all
	$(B)/ptbench run -w cpu -m thread,fork,pythread,pyproc,pypool -n $(PY_WORKERS) \
	  --steps $(PY_STEPS) -r $(PY_REPS) --warmup 1 -o $(PY_CSV) --force

# Keys (group names) from ptb/plot/csvkeys.py into the build directory;
# every figure is computed by gnuplot from the CSV itself.
plot-python:
	@mkdir -p $(B) $(PY_PLOT_DIR)
	$(PYTHON) -m ptb.plot.csvkeys $(PY_CSV) $(B)/python-keys.gp
	gnuplot -e "csv='$(PY_CSV)'; keys='$(B)/python-keys.gp'; out='$(PY_PLOT_DIR)/python-speedup'; plotdir='ptb/plot'" \
	  ptb/plot/python_speedup.gp
	@echo "plot-python: $(PY_PLOT_DIR)/python-speedup.png and .svg from $(PY_CSV)"
