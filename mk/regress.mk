# regress.mk - CI regression charts: the regression suite against a committed
# baseline (ptb/regress/cli.py; doc/ci.md: "The regression check").
#
#   make regress       run the suite (headline workloads at reduced sizes,
#                      REGRESS_REPS repetitions, about half a minute on 2 idle
#                      cores), compare with results/baseline.csv, re-run once
#                      when a primary metric looks > 2x worse; write
#                      results/regress.md, results/plots/regress.{svg,png},
#                      append to results/history.csv, draw
#                      results/plots/history.png; print the table.
#                      Exit 0 pass, 1 correctness (ok=0, leftovers), 2 bad
#                      input, 3 regression confirmed by the re-run.
#   make baseline      run the suite and make it the new results/baseline.csv
#                      (+ .meta.json), only if every row is ok: deliberately,
#                      after an intended change of the figures or the suite.
#   make regress-history  redraw results/plots/history.png from
#                      results/history.csv (no run; doc/ci.md: "History")
#   make test-regress  the comparison logic on synthetic CSVs (tests/scripts/regress)
#   make test-regress-json  the github-action-benchmark JSON of the last
#                      make regress ($(B)/regress/benchmark.json) has the
#                      shape the action reads (CI runs it after make regress)
#
# Knobs: REGRESS_REPS (>= 7), REGRESS_NOTE (make baseline: why, and on what
# machine; kept in the meta and shown in the table), REGRESS_ARGS (more options of ptb/regress/cli.py,
# e.g. --no-leftovers on a shared development machine, --fail-on all),
# REGRESS_SERIES (github-action-benchmark's data.js: the history is that
# persisted series plus this run, in $(B)/regress/history.csv, instead of
# results/history.csv; CI sets it, doc/ci.md).
# make regress also writes $(B)/regress/benchmark.json: the run's metrics in
# github-action-benchmark's customSmallerIsBetter JSON.

REGRESS_REPS ?= 11
REGRESS_ARGS ?=
REGRESS_NOTE ?=
REGRESS_SERIES ?=
REGRESS_OPTS  = --build-dir $(B) --work-dir $(B)/regress --reps $(REGRESS_REPS) $(REGRESS_ARGS)

regress: REGRESS_OPTS += $(if $(REGRESS_SERIES),--series $(REGRESS_SERIES))

.PHONY: regress baseline regress-history test-regress test-regress-json

regress: all
	$(PYTHON) -m ptb.regress run $(REGRESS_OPTS)

baseline: all
	$(PYTHON) -m ptb.regress baseline $(REGRESS_OPTS) --note "$(REGRESS_NOTE)"

regress-history:
	$(PYTHON) -m ptb.regress history --work-dir $(B)/regress

test-regress:
	$(PYTHON) -m unittest discover -s tests/scripts/regress -v

test-regress-json:
	PTB_REGRESS_JSON=$(B)/regress/benchmark.json $(PYTHON) -m unittest discover -s tests/scripts/regress -p test_series.py -k RealRun -v
