# install.mk - install ptbench like a tool, with its man page and bash
# completion, both generated from the binary (`--help`, `list`), so they
# cannot go stale.
#
#   make man           $(B)/ptbench.1 (help2man, from --help, --version and
#                      scripts/install/man_include.sh: `ptbench list`)
#   make completion    $(B)/ptbench.bash (scripts/install/completion.sh)
#   make install [PREFIX=/usr/local] [DESTDIR=...]
#                      PREFIX/bin/ptbench; PREFIX/libexec/ptbench/:
#                      ptbench-worker, and ptbench-mpi with its host scripts
#                      when built; PREFIX/share/ptbench/py/: the Python
#                      runner (every file of bench/py); PREFIX/share/ptbench/ptb/:
#                      the analysis package, for `ptbench compare` (every
#                      file of ptb/ but caches); the man page in
#                      PREFIX/share/man/man1; the manual (doc/*.md) in
#                      PREFIX/share/doc/ptbench, where the man page's SEE
#                      ALSO points, with examples/plugin/ (the example
#                      plugin and its Makefile) and examples/python/ (the
#                      example function for -w py:); the plugin ABI header in
#                      PREFIX/include/ptbench/plugin.h (mk/plugin.mk); the
#                      completion in
#                      PREFIX/share/bash-completion/completions.  An
#                      installed ptbench finds its helpers from its own
#                      path (lib/locate.h): no environment variable.
#                      `ptbench compare` and a run's verdicts look for ptb/ there, then in the
#                      source tree above the binary, then in the PREFIX
#                      compiled in (bench/pystats.o: PTB_DATADIR).
#   make uninstall [PREFIX=...] [DESTDIR=...]   removes all of it
#   make test-install  install into a temporary DESTDIR, run every model
#                      family from there, check the man page against
#                      --help and the completion, uninstall, clean up
#                      (tests/install/test_install.sh); part of make test

PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     := $(PREFIX)/bin
LIBEXECDIR := $(PREFIX)/libexec/ptbench
SHAREDIR   := $(PREFIX)/share/ptbench
MAN1DIR    := $(PREFIX)/share/man/man1
COMPDIR    := $(PREFIX)/share/bash-completion/completions
DOCDIR     := $(PREFIX)/share/doc/ptbench
INCDIR     := $(PREFIX)/include/ptbench
PY_RUNNER  := $(filter-out %/__pycache__,$(wildcard bench/py/*))
# The analysis package, as `git ls-files` would list it (no caches).
PTB_PKG    := $(shell find ptb -type f ! -path '*/__pycache__/*' ! -name '*.pyc' | sort)
PTB_PKG_DIRS := $(sort $(patsubst %/,%,$(dir $(PTB_PKG))))
MPI_HELPERS := scripts/mpi_hosts.sh scripts/mpi_rsh.sh

TEST_TARGETS += test-install

# Where `ptbench compare` and the verdicts find ptb/ when nothing nearer has it.
$(B)/obj/bench/pystats.o: DEFS += -DPTB_DATADIR='"$(SHAREDIR)"'
$(B)/obj/bench/pystats.o: mk/install.mk
.PHONY: man completion install uninstall test-install

man: $(B)/ptbench.1
completion: $(B)/ptbench.bash

$(B)/ptbench.1: $(B)/ptbench scripts/install/man_include.sh
	scripts/install/man_include.sh $(B)/ptbench > $(B)/ptbench.h2m
	help2man --no-info --include=$(B)/ptbench.h2m --output=$@ $(B)/ptbench

$(B)/ptbench.bash: $(B)/ptbench scripts/install/completion.sh
	scripts/install/completion.sh $(B)/ptbench > $@

install: all man completion
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SHAREDIR)/py \
	  $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(B)/ptbench $(DESTDIR)$(BINDIR)/ptbench
	install -m 755 $(B)/ptbench-worker $(DESTDIR)$(LIBEXECDIR)/ptbench-worker
	if [ -x $(B)/ptbench-mpi ]; then \
	  install -m 755 $(B)/ptbench-mpi $(MPI_HELPERS) $(DESTDIR)$(LIBEXECDIR)/; fi
	install -m 644 $(PY_RUNNER) $(DESTDIR)$(SHAREDIR)/py/
	for d in $(PTB_PKG_DIRS); do install -d $(DESTDIR)$(SHAREDIR)/$$d; done
	for f in $(PTB_PKG); do install -m 644 $$f $(DESTDIR)$(SHAREDIR)/$$f; done
	install -m 644 doc/*.md $(DESTDIR)$(DOCDIR)/
	install -d $(DESTDIR)$(INCDIR) $(DESTDIR)$(DOCDIR)/examples/plugin $(DESTDIR)$(DOCDIR)/examples/python
	install -m 644 include/ptbench/plugin.h $(DESTDIR)$(INCDIR)/plugin.h
	install -m 644 examples/plugin/sha256.c examples/plugin/Makefile $(DESTDIR)$(DOCDIR)/examples/plugin/
	install -m 644 examples/python/hashwork.py $(DESTDIR)$(DOCDIR)/examples/python/
	install -m 644 $(B)/ptbench.1 $(DESTDIR)$(MAN1DIR)/ptbench.1
	install -m 644 $(B)/ptbench.bash $(DESTDIR)$(COMPDIR)/ptbench

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ptbench $(DESTDIR)$(MAN1DIR)/ptbench.1 $(DESTDIR)$(COMPDIR)/ptbench
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(INCDIR)

test-install: all
	tests/install/test_install.sh $(B)
