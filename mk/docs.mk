# docs.mk - the manual in doc/ and the README that points into it, and the
# page whose commands are tested verbatim.
#
#   make test-docs   every relative link (file and #anchor) of README.md and
#                    doc/*.md resolves, and README.md stays short
#                    (tests/docs/test_links.py); part of `make test`
TEST_BESIDE += test-docs
.PHONY: test-docs
test-docs:
	$(PYTHON) -m unittest discover -s tests/docs -v

#   make test-own-workload   doc/own-workload.md's commands, verbatim, from a
#                    new HOME: install, build the example plugin against the
#                    installed header, run it and the example Python function,
#                    check their rows, verdicts and the refused plugin
#                    (tests/docs/test_own_workload.sh); part of `make test`
TEST_TARGETS += test-own-workload
.PHONY: test-own-workload
test-own-workload: all
	PYTHON="$(PYTHON)" tests/docs/test_own_workload.sh
