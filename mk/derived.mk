# derived.mk - the figures derived from a CSV (speed-up, CPU utilisation,
# bytes/s; ptb/derived.py), and a run of the workloads that are about
# processes' lives: share, crash, pool, zombie and daemon.
#
#   make derived CSV=F   speed-up, CPU utilisation, bytes/s and the notes'
#                        medians of any ptbench CSV
#   make bench-derived   share, crash, pool, zombie and daemon in every
#                        model that runs them (-n 2,4 -r 3), checked, then
#                        ptb/derived.py; writes $(DERIVED_CSV)
#                        (default $(B)/derived.csv)
#   make test-derived    derived.py on synthetic CSVs: the speed-up and its
#                        physics guard (tests/scripts/derived)

DERIVED_CSV ?= $(B)/derived.csv

.PHONY: bench-derived derived test-derived

bench-derived: all
	$(B)/ptbench run -w share,crash,pool,zombie,daemon -m all -n 2,4 -r 3 --warmup 1 \
	  --bytes 16M --via heap,shm,pipe,socketpair --encode 0,1 \
	  --tasks 64 --submit sync,async -o $(DERIVED_CSV) --force
	$(PYTHON) -m ptb.check_csv $(DERIVED_CSV)
	$(PYTHON) -m ptb.derived $(DERIVED_CSV) --workload share,crash,pool,zombie,daemon

derived:
	@test -n "$(CSV)" || { echo "make derived: CSV=FILE.csv is required" >&2; exit 2; }
	$(PYTHON) -m ptb.derived $(CSV)

test-derived:
	$(PYTHON) -m unittest discover -s tests/scripts/derived
