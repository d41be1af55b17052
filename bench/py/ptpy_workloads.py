"""ptpy_workloads.py - the registry of the Python workloads, by name.

Each is a class in its own module (wl_NAME.py) with:
  spec, defaults   its options (name -> parser) and their defaults, the
                   C workload's (ptbench passes every one);
  gang             True when every task must run at once (pools then need
                   --submit async and as many tasks as workers);
  expects_death    True when a worker's death is the experiment (crash);
  refuse(job)      None, or why this model or option cannot run it;
  setup(job)       the state, before the clock (picklable: spawned
                   processes get it at start);
  task(state, t, ntasks) -> int, run by the model for every task;
  verify(job, state, results) -> (ops, result, ok[, extra]), after the
                   clock; extra may hold pss_kb and notes;
  teardown(job, state)."""

from wl_copy import Copy
from wl_counter import Counter
from wl_cpu import Cpu
from wl_crash import Crash
from wl_create import Create
from wl_daemon import Daemon
from wl_footprint import Footprint
from wl_pool import Pool
from wl_share import Share
from wl_switch import Switch
from wl_zombie import Zombie

WORKLOADS = {"cpu": Cpu, "counter": Counter, "copy": Copy, "create": Create,
             "footprint": Footprint, "switch": Switch, "share": Share, "crash": Crash,
             "pool": Pool, "zombie": Zombie, "daemon": Daemon}
