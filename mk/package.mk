# package.mk - the analysis package ptb/ as a whole, and its views.
#
#   make test-package  no sys.path.insert in ptb/, no import circle between
#                      its modules (lazy imports counted), every module
#                      imports (tests/scripts/package)
#   make test-views    every view follows results/findings.json: one verdict
#                      changed in a copy shows in each, and none says "not
#                      measured" where the file has a measure
#                      (tests/scripts/views, doc/findings.md)
TEST_BESIDE += test-package test-views
.PHONY: test-package test-views

test-package:
	$(PYTHON) -m unittest discover -s tests/scripts/package -v

test-views:
	$(PYTHON) -m unittest discover -s tests/scripts/views -v
