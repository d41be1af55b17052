# table.mk - `make table` (seed 000's comparison table, measured; QUICK=1 for
# the short version), `make test-table` (unit tests of the verdict logic) and
# `make anchors` (ptbench against perf bench sched pipe and minimal
# fork/pthread reference programs).
#
# The table has a C and a Python column group (the pythread/pyproc/pypool
# models, the cpu loop at 2e7 steps) and fills the distribution row from the
# mpi model: as root on 1, 2 and 4 hosts (network namespaces, see
# scripts/mpi_hosts.sh); without root or Open MPI the row says what was not
# measured and why.  Full mode took 3 min 5 s on this 2-core VM, QUICK=1
# 65 s.
# Every table run also draws one chart per claim (scripts/plot/claims.py,
# doc/table.md) into results/plots/claims/; `make claim-charts` redraws
# them from the committed results/table.csv, and rewrites the README's
# short table (`make readme-table`: the marked block, from the same data).
.PHONY: table test-table anchors claim-charts readme-table

CLAIMS_DIR := results/plots/claims

TABLE_QUICK := $(if $(filter 1 yes true,$(QUICK)),--quick)

table: all
	$(PYTHON) scripts/table.py $(TABLE_QUICK) --ptbench $(B)/ptbench --build-dir $(B)
	$(MAKE) claim-charts readme-table

claim-charts:
	$(PYTHON) scripts/plot/claims.py results/table.csv $(CLAIMS_DIR)

readme-table:
	$(PYTHON) scripts/readme_table.py

test-table:
	$(PYTHON) -m unittest discover -s tests/scripts/table

$(B)/refs/%: scripts/refs/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -o $@ $< $(LDLIBS)

anchors: all $(B)/refs/create_ref
	scripts/anchors.sh --ptbench $(B)/ptbench --ref $(B)/refs/create_ref
