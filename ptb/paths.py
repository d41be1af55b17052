"""paths.py - where the tree's other parts are, seen from the analysis
package: the top of the checkout, the tools in scripts/ (shell helpers the
analysis calls, such as mpi_hosts.sh and c13_evidence.sh), the gnuplot
scripts beside ptb/plot/, and the Python models in bench/py/."""
import os

PACKAGE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(PACKAGE)
TOOLS = os.path.join(ROOT, "scripts")
PLOT = os.path.join(PACKAGE, "plot")
BENCH_PY = os.path.join(ROOT, "bench", "py")


def module_env():
    """The environment for running `python3 -m ptb.X` as a child from any
    working directory: this package's top on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env
