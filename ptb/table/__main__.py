"""python3 -m ptb.table: `make table` (ptb/table/run.py)."""
import sys

from ptb.table.run import main

sys.exit(main(sys.argv[1:]))
