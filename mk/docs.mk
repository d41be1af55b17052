# docs.mk - the manual in doc/ and the README that points into it.
#
#   make test-docs   every relative link (file and #anchor) of README.md and
#                    doc/*.md resolves, and README.md stays short
#                    (tests/docs/test_links.py); part of `make test`
TEST_TARGETS += test-docs
.PHONY: test-docs
test-docs:
	$(PYTHON) -m unittest discover -s tests/docs -v
