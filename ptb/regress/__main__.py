"""python3 -m ptb.regress: `make regress` (ptb/regress/cli.py)."""
import sys

from ptb.regress.cli import main

sys.exit(main(sys.argv[1:]))
