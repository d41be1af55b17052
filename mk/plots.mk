# plots.mk - charts and the HTML report.
#
#   make plots [CSV=results/bench.csv]   PNG + SVG charts into results/plots/
#   make report [CSV=...]                the charts, then results/report.html
#                                        (self-contained: the verdicts from
#                                        results/findings.json, charts inlined,
#                                        results/table.md's long table, meta,
#                                        commands; a note while make table
#                                        has not written findings.json)
#   make test-plots                      every plot script on the fixture in
#                                        tests/scripts/plots/, and bad input rejected;
#                                        the claim charts (test_claims.py)
#
# CSV is taken from the command line (or the environment) only, so that a
# CSV variable of another mk file does not change what gets plotted.

PLOTS_CSV := $(if $(filter command line environment,$(origin CSV)),$(CSV),results/bench.csv)
PLOTS_DIR := results/plots

.PHONY: plots report test-plots

plots:
	ptb/plot/plots.sh "$(PLOTS_CSV)" "$(PLOTS_DIR)"

report: plots
	$(PYTHON) -m ptb.report --csv "$(PLOTS_CSV)" --plots "$(PLOTS_DIR)" \
	  --table results/table.md -o results/report.html

test-plots:
	tests/scripts/plots/test_plots.sh
	$(PYTHON) -m unittest discover -s tests/scripts/plots
