# table.mk - `make table` (seed 000's comparison table, measured; QUICK=1 for
# the short version), `make test-table` (unit tests of the verdict logic) and
# `make anchors` (ptbench against perf bench sched pipe and minimal
# fork/pthread reference programs).
#
# The table has a C and a Python column group (the pythread/pyproc/pypool
# models, the cpu loop at 2e7 steps) and fills the distribution row from the
# mpi model, and in Python from the pympi model (mpi4py ranks against
# pythread): as root on 1, 2 and 4 hosts (network namespaces, see
# scripts/mpi_hosts.sh); without root, Open MPI or mpi4py the row says what
# was not measured and why.  Full mode took 1001 s (37 measures) on this
# 2-core VM, quiet, its CPU at half its usual speed; earlier, 3 min 5 s, QUICK=1
# 65 s, before C1's sweep of the parent's memory (create-parent,
# create-exec: up to 1 GiB written per model and repetition) was added; its
# time on a quiet machine is not measured yet (on a machine at load 16 the
# QUICK sweep alone took 14 minutes).
# Every table run also draws one chart per claim (ptb/plot/claims.py,
# doc/table.md) into results/plots/claims/; `make claim-charts` redraws
# them from the committed results/table.csv (the marks) and
# results/findings.json (the titles' verdicts, which languages were
# measured; both of one run, else it refuses), and rewrites the README's
# short table (`make readme-table`: the marked block, from the same data).
# `make headline` draws the headline figure (ptb/plot/headline.py,
# doc/plots.md) from results/findings.json alone into
# results/plots/headline.png and .svg; make claim-charts draws it too.
#
# `make table-stability RUNS=5 [QUICK=1]` regenerates every verdict RUNS
# times (ptb/table/stability.py): results/table-stability.md counts,
# per claim, the runs that agree, and make table labels a claim that was
# not unanimous "depends on" the conditions that flip it, or "undecided"
# (results/table-stability.json; doc/table.md).  RUNS times the
# duration of one make table.  ONLY=M1,M2 limits every run to those measures.
.PHONY: table test-table anchors claim-charts headline readme-table table-stability

CLAIMS_DIR := results/plots/claims
RUNS ?= 5

TABLE_QUICK := $(if $(filter 1 yes true,$(QUICK)),--quick)

table: all
	$(PYTHON) -m ptb.table $(TABLE_QUICK) --ptbench $(B)/ptbench --build-dir $(B)
	$(MAKE) claim-charts readme-table

claim-charts: headline
	$(PYTHON) -m ptb.plot.claims --findings results/findings.json results/table.csv $(CLAIMS_DIR)

headline:
	$(PYTHON) -m ptb.plot.headline --findings results/findings.json --out results/plots/headline

readme-table:
	$(PYTHON) -m ptb.table.readme

table-stability: all
	$(PYTHON) -m ptb.table.stability --runs $(RUNS) $(TABLE_QUICK) $(if $(ONLY),--only $(ONLY)) \
	  --ptbench $(B)/ptbench --build-dir $(B)

test-table:
	$(PYTHON) -m unittest discover -s tests/scripts/table

$(B)/refs/%: scripts/refs/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -o $@ $< $(LDLIBS)

anchors: all $(B)/refs/create_ref
	scripts/anchors.sh --ptbench $(B)/ptbench --ref $(B)/refs/create_ref
