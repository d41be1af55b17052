# compare.mk - two results of `make table` side by side (ptb/compare.py):
#
#   make compare A=DIR B=DIR [COMPARE_OUT=PREFIX]
#        DIR: a directory with table.csv and table.meta.json (results/, or
#        a copy from another machine); writes PREFIX.md (per claim both
#        headline figures, their process/thread ratios, B over A, the
#        verdicts and whether they changed) and PREFIX.png/.svg; PREFIX
#        defaults to results/compare/LABEL_A-vs-LABEL_B (CPU and date).
#   make test-compare   the comparison on the fixture (tests/scripts/compare)

COMPARE_OUT ?=

.PHONY: compare test-compare

compare:
	@if [ -z "$(A)" ] || [ -z "$(B)" ]; then \
	  echo "compare: give A=DIR and B=DIR (each with table.csv and table.meta.json)" >&2; exit 2; fi
	$(PYTHON) -m ptb.compare $(if $(COMPARE_OUT),--out $(COMPARE_OUT)) "$(A)" "$(B)"

test-compare:
	$(PYTHON) -m unittest discover -s tests/scripts/compare
