"""ptpy_workloads.py - the registry of the Python workloads, by name.

A workload NAME is the module wl_NAME.py in this directory: every such
file is imported here, and its workload is the one class it defines with
spec, task and verify (so adding a Python workload edits no other Python
file).  The C side says which workloads have such a twin in the C
workload's registry entry (`.py = PTB_PY_IMPL` in bench/w_NAME.c,
lib/workload.h); tests/python/test_python.py checks that the two agree.

Each workload class has:
  spec, defaults   its options (name -> parser) and their defaults, the
                   C workload's (ptbench passes every one);
  gang             True when every task must run at once (pools then need
                   --submit async and as many tasks as workers);
  expects_death    True when a worker's death is the experiment (crash);
  executors        True when the executor models (pyexthread, pyexproc)
                   run it (C: PTB_PY_EXECUTORS);
  refuse(job)      None, or why this model or option cannot run it;
  setup(job)       the state, before the clock (picklable: spawned
                   processes get it at start);
  task(state, t, ntasks) -> int, run by the model for every task;
  verify(job, state, results) -> (ops, result, ok[, extra]), after the
                   clock; extra may hold pss_kb and notes;
  teardown(job, state).
Optional beside them:
  results(job)     the container the model stores task values in (default:
                   a shared array of integers for pyproc, else a list);
  watch_deaths     True when a pool must look for a worker that died under
                   a task (as for expects_death) and report it;
  worker_init(state)  run in every pool worker before the clock (and in
                   pyproc's forkserver workers).

A user's function (`-w py:MODULE:FUNCTION`, ptpy_userfn.py) is a workload
too: workload_of() names both kinds."""

import glob
import importlib
import inspect
import os

import ptpy_userfn


def workload_class(module):
    """The one class of module that is a workload (spec, task, verify)."""
    found = [c for _, c in inspect.getmembers(module, inspect.isclass)
             if c.__module__ == module.__name__
             and all(hasattr(c, a) for a in ("spec", "task", "verify"))]
    if len(found) != 1:
        raise ImportError("%s defines %d workload classes (one with spec, task and verify "
                          "expected)" % (module.__file__, len(found)))
    return found[0]


def discover(directory):
    """{name: class} of every wl_NAME.py in directory, by name."""
    workloads = {}
    for path in sorted(glob.glob(os.path.join(directory, "wl_*.py"))):
        module = os.path.basename(path)[:-len(".py")]
        workloads[module[len("wl_"):]] = workload_class(importlib.import_module(module))
    return workloads


WORKLOADS = discover(os.path.dirname(os.path.abspath(__file__)))


def workload_of(name):
    """The workload called name: a wl_NAME.py's class, or for "py:REF" a
    user's function (ptpy_userfn.UserFunction; KeyError for neither)."""
    if ptpy_userfn.is_userfn(name):
        return ptpy_userfn.UserFunction(name)
    return WORKLOADS[name]
