# plots.mk - charts and the HTML report.
#
#   make plots                           PNG + SVG charts of results/bench.csv
#                                        into results/plots/ (the committed ones)
#   make plots CSV=mine.csv [OUT=DIR]    charts of another CSV into
#                                        $(B)/plots/mine/ (or OUT): never
#                                        into results/plots/
#   make report [CSV=...]                the charts, then results/report.html
#                                        ($(B)/report/NAME.html of another CSV;
#                                        self-contained: first the verdict
#                                        matrix of results/findings.json and
#                                        the headline figure, then the details,
#                                        charts inlined as SVG, results/table.md's
#                                        long table, meta, commands; a note while
#                                        make table has not written findings.json)
#   make test-report                     the report of the committed results,
#                                        written into $(B)/, in chromium at 390
#                                        and 1280 px: nothing scrolls sideways,
#                                        every image loads, the matrix (and the
#                                        headline figure) on the first screen;
#                                        screenshots $(B)/report-390.png, -1280.png
#   make test-plots                      every plot script on the fixture in
#                                        tests/scripts/plots/, and bad input rejected;
#                                        the claim charts (test_claims.py)
#
# CSV is taken from the command line (or the environment) only, so that a
# CSV variable of another mk file does not change what gets plotted.

PLOTS_CSV := $(if $(filter command line environment,$(origin CSV)),$(CSV),results/bench.csv)
# Only the default CSV draws into results/plots/ (the committed charts);
# any other goes to OUT, else $(B)/plots/NAME (plots.sh refuses too).
PLOTS_OUT := $(if $(filter command line environment,$(origin OUT)),$(OUT),)
PLOTS_DIR := $(if $(PLOTS_OUT),$(PLOTS_OUT),$(if $(filter results/bench.csv ./results/bench.csv,$(PLOTS_CSV)),results/plots,$(B)/plots/$(basename $(notdir $(PLOTS_CSV)))))

# The report of results/bench.csv is results/report.html (committed); of any
# other CSV, $(B)/report/NAME.html: never over the committed page.
REPORT_HTML := $(if $(filter results/bench.csv ./results/bench.csv,$(PLOTS_CSV)),results/report.html,$(B)/report/$(basename $(notdir $(PLOTS_CSV))).html)

TEST_TARGETS += test-report
.PHONY: plots report test-plots test-report

plots:
	ptb/plot/plots.sh "$(PLOTS_CSV)" "$(PLOTS_DIR)"

report: plots
	@mkdir -p "$(dir $(REPORT_HTML))"
	$(PYTHON) -m ptb.report --csv "$(PLOTS_CSV)" --plots "$(PLOTS_DIR)" \
	  --table results/table.md -o "$(REPORT_HTML)"

test-plots:
	tests/scripts/plots/test_plots.sh
	$(PYTHON) -m unittest discover -s tests/scripts/plots

test-report:
	B="$(B)" $(PYTHON) -m unittest discover -s tests/scripts/report -v
