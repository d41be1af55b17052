"""workloads.py - the workload facts of the C registry (bench/registry_list.h,
each workload's own entry), as `ptbench list --json` prints them: its
options and defaults, what one op is, which way is better, which models
run it (Python models included) and the claims it serves.  The analysis
keeps no copy: the plots' op names and the table's offer come from here.

    facts(ptbench=None) -> the parsed document (cached per binary)
    op_names(ptbench=None) -> {workload: what one op is}

The binary is `ptbench`, else $PTBENCH, else build/ptbench at the top of
the tree.  Without one: csvio.BadInput, one line saying to run make.
"""
import functools
import json
import os
import subprocess

from ptb import csvio, paths


def binary(ptbench=None):
    path = ptbench or os.environ.get("PTBENCH") or os.path.join(paths.ROOT, "build", "ptbench")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise csvio.BadInput(f"no ptbench at {path} to ask for the workload facts "
                             "(allowed: a built ptbench: run make, or set PTBENCH)")
    return path


@functools.lru_cache(maxsize=4)
def _facts(path):
    try:
        out = subprocess.run([path, "list", "--json"], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        raise csvio.BadInput(f"{path} list --json failed ({e}): rebuild it with make") from e


def facts(ptbench=None):
    """`ptbench list --json`: {"workloads": [...], "models": [...], ...}."""
    return _facts(binary(ptbench))


def op_names(ptbench=None):
    """What one op of each workload is ("step", "byte", ...)."""
    return {w["name"]: w["ops_unit"] for w in facts(ptbench)["workloads"]}
