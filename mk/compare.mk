# compare.mk - two results of `make table` side by side (ptb/compare.py):
#
#   make compare A=DIR B=DIR [COMPARE_OUT=PREFIX]
#        DIR: a directory with make table's findings.json (results/, or a
#        copy from another machine; `python3 -m ptb.table --from-csv
#        --out-dir DIR` writes it from DIR/table.csv and its meta); compare
#        reads nothing else but DIR/table.meta.json's machine.  Writes PREFIX.md (per claim and language both
#        headline figures, their process/thread ratios with the 95%
#        interval, B over A, the verdicts and whether they changed; the
#        seed rows' verdicts; beside every verdict that changed, the
#        facts the two machines' metas (DIR/table.meta.json) record
#        differently, ptb/machine.py) and PREFIX.png/.svg; PREFIX defaults to
#        results/compare/LABEL_A-vs-LABEL_B (CPU and date).
#   make test-compare   the comparison on the fixture, the machines'
#        differences on seeded metas, and $(B)/ptbench's meta facts
#        (tests/scripts/compare)

COMPARE_OUT ?=

.PHONY: compare test-compare

compare:
	@if [ -z "$(A)" ] || [ -z "$(B)" ]; then \
	  echo "compare: give A=DIR and B=DIR (each with make table's findings.json)" >&2; exit 2; fi
	$(PYTHON) -m ptb.compare $(if $(COMPARE_OUT),--out $(COMPARE_OUT)) "$(A)" "$(B)"

test-compare: all
	PTB_BUILD=$(B) $(PYTHON) -m unittest discover -s tests/scripts/compare
