"""ptpy_userfn.py - a user's own Python function as a workload of the
Python models: `ptbench run -w py:MODULE:FUNCTION` or
`-w py:path/to/file.py:FUNCTION`, with `--py-arg KEY=VALUE` (repeatable).

The reference (everything after "py:", split at its last ':'):
  MODULE     a module name (dotted names allowed), imported from the
             current directory or PYTHONPATH (searched after the standard
             library and the runner's own modules, which the interpreter's
             -I would otherwise leave out);
  FILE.py    a path (anything with a '/' or ending in .py): its directory
             is searched, and the file is imported under its own name, so
             that a spawned worker or a pool's result can import it again;
  FUNCTION   a name in that module; it must be callable.

Each task calls FUNCTION(index, **kwargs): index is the task's number
(0 .. tasks-1), kwargs the --py-arg values as strings, exactly as typed
(convert them: int(block)).  What the calls return, in task order, is
`results`; the module may define:
  verify(results[, **kwargs])  True when the results are right (False:
             an ok=0 row; an exception: an ok=0 row naming it);
             without it, the row is ok when every task returned;
  ops(results[, **kwargs])     the units of work done (ns_per_op =
             wall_ns / ops); without it, the number of tasks;
  PTB_OPS_UNIT = "task"        what one op is ("byte", ...: the CSV's
             ops_unit, a short lower-case word);
  PTB_INDEPENDENT = True       False when its tasks must share memory or
             state, which the pympi model's ranks do not (it refuses).
(verify and ops get the keyword arguments too when they accept them.)

The row's result: the sum of the values when every one is an int (None
counts 0, a bool 0 or 1; wrapped to 64 bits), else CRC-32 of their
repr()s in task order (a deterministic function gives the same result in
every model); its notes say which (result=sum|crc32).

A task that raises is caught: the row is ok=0 and its error names the
first task's exception as Python's last traceback line does, with where
it was raised ("task 0 of 2 raised ValueError: invalid literal for int()
with base 10: '1M' (hashwork.py:32 in sha_block)").  A task that kills its process (a signal, os._exit) is
reported by the model (the signal, or a task that never returned).

`ptpy.py userfn-check py:REF [--KEY VALUE...]` is what ptbench asks
before anything runs (lib/pyfunc.c): one line on stdout, either
"ok INDEPENDENT UNIT NAME ABSREF" (NAME: py:MODULE:FUNCTION, the rows'
workload, the module's name also for a file; ABSREF: the reference with
the file's absolute path, what the models run) or "error MESSAGE" (the module does not import,
the name is missing or not callable, the arguments do not fit its
signature), whatever the module itself prints."""

import importlib
import inspect
import os
import pickle
import select
import signal
import sys
import tempfile
import threading
import traceback
import zlib

from ptpy_common import RunError, UsageError, no_core_dumps

PREFIX = "py:"
RUNNER_DIR = os.path.dirname(os.path.abspath(__file__))
CHECK_S = 120  # the longest the check may take to import the module
UNIT_MAX = 16  # characters of PTB_OPS_UNIT
INT64 = 1 << 64


class RefError(Exception):
    """The reference cannot be used: one line naming what and why."""


def is_userfn(name):
    return name.startswith(PREFIX)


# ---- the reference ---------------------------------------------------------------

def split_ref(name):
    """'py:TARGET:FUNCTION' -> (TARGET, FUNCTION)."""
    target, sep, function = name[len(PREFIX):].rpartition(":")
    if not sep or not target or not function:
        raise RefError("'%s' is not a function reference (allowed: py:MODULE:FUNCTION or "
                       "py:path/to/file.py:FUNCTION)" % name)
    if not function.isidentifier():
        raise RefError("'%s' is not a Python name (the part after the last ':')" % function)
    return target, function


def locate(target):
    """(directory to search first or None, module name, absolute file or None)."""
    path = os.path.abspath(target)
    if "/" in target or target.endswith(".py") or os.path.isfile(path):
        if not target.endswith(".py"):
            raise RefError("%s is not a Python file (allowed: a .py file, or a module name)" % target)
        try:
            os.stat(path)
        except OSError as e:
            raise RefError("%s: %s" % (target, e.strerror)) from None
        if not os.path.isfile(path):
            raise RefError("%s is not a regular file" % target)
        stem = os.path.basename(path)[:-len(".py")]
        if not stem.isidentifier():
            raise RefError("%s: '%s' cannot be a module name (letters, digits and _; rename the file)"
                           % (target, stem))
        return os.path.dirname(path), stem, path
    if not all(part.isidentifier() for part in target.split(".")):
        raise RefError("'%s' is neither a .py file nor a module name" % target)
    return None, target, None


def search_dirs(first):
    """Where the user's modules are: the file's directory, the current
    directory and PYTHONPATH's entries, absolute."""
    dirs = [first] if first else []
    dirs.append(os.getcwd())
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if entry:
            dirs.append(os.path.abspath(entry))
    return dirs


def add_to_path(dirs):
    """After everything the runner imports from (-I left these out)."""
    for d in dirs:
        if d not in sys.path:
            sys.path.append(d)


def last_line(e):
    """The exception as Python's traceback ends: 'ValueError: bad block'."""
    return traceback.format_exception_only(type(e), e)[-1].strip()


def import_module(target, module_name, path):
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name and (module_name == e.name or module_name.startswith(e.name + ".")):
            raise RefError("no module named '%s' in the current directory or PYTHONPATH"
                           % e.name) from None
        raise RefError("importing %s raised %s" % (target, last_line(e))) from None
    except BaseException as e:  # pylint: disable=broad-except  (its SystemExit too)
        raise RefError("importing %s raised %s" % (target, last_line(e))) from None
    where = os.path.realpath(getattr(module, "__file__", None) or "")
    if path and where != os.path.realpath(path):
        raise RefError("%s: the name '%s' is already %s's module (%s): rename the file"
                       % (target, module_name, "ptbench's runner" if where.startswith(RUNNER_DIR)
                          else "Python's", where or "built in"))
    if not path and os.path.dirname(where) == RUNNER_DIR:
        raise RefError("'%s' is a module of ptbench's runner (%s): rename yours" % (module_name, where))
    return module


def load(name):
    """(module, function, search dirs) of reference name, or RefError."""
    target, function = split_ref(name)
    first, module_name, path = locate(target)
    dirs = search_dirs(first)
    add_to_path(dirs)
    module = import_module(target, module_name, path)
    fn = getattr(module, function, None)
    if fn is None and not hasattr(module, function):
        raise RefError("module %s (%s) has no '%s'" % (module_name, getattr(module, "__file__", "?"),
                                                       function))
    if not callable(fn):
        raise RefError("%s.%s is %s, not callable" % (module_name, function, type(fn).__name__))
    return module, fn, dirs


def hooks(module):
    """verify, ops, the ops unit and independence the module declares."""
    verify, ops = getattr(module, "verify", None), getattr(module, "ops", None)
    for what, value in (("verify", verify), ("ops", ops)):
        if value is not None and not callable(value):
            raise RefError("%s.%s is %s: define it as a function (or leave it out)"
                           % (module.__name__, what, type(value).__name__))
    unit = getattr(module, "PTB_OPS_UNIT", "task")
    if not (isinstance(unit, str) and 0 < len(unit) <= UNIT_MAX and unit.isidentifier()
            and unit == unit.lower()):
        raise RefError("%s.PTB_OPS_UNIT = %r: a short lower-case word (e.g. 'byte')"
                       % (module.__name__, unit))
    independent = getattr(module, "PTB_INDEPENDENT", True)
    if not isinstance(independent, bool):
        raise RefError("%s.PTB_INDEPENDENT = %r: True or False" % (module.__name__, independent))
    return verify, ops, unit, independent


def check_signature(fn, function, kwargs):
    """The arguments fit fn(index, **kwargs), when Python can tell."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return  # a built-in without a signature: its call will say
    try:
        sig.bind(0, **kwargs)
    except TypeError as e:
        args = "".join(", %s=%r" % kv for kv in kwargs.items())
        raise RefError("%s(index%s) does not fit %s%s: %s (--py-arg KEY=VALUE gives its keyword "
                       "arguments)" % (function, args, function, sig, e)) from None


# ---- calling it --------------------------------------------------------------------

class Failed:
    """A task that failed, as its one-line message (picklable, so that a
    process worker's failure reaches the parent as a result)."""

    def __init__(self, message):
        self.message = message

    @classmethod
    def raised(cls, t, ntasks, e):
        """Task t's exception e, and where it was raised."""
        where = ""
        frames = traceback.extract_tb(e.__traceback__)
        if frames:
            last = frames[-1]
            where = " (%s:%d in %s)" % (os.path.basename(last.filename), last.lineno, last.name)
        return cls("task %d of %d raised %s%s" % (t, ntasks, last_line(e), where))

    @classmethod
    def unpicklable(cls, t, ntasks, e):
        """Task t returned what pickle cannot carry to another process."""
        return cls("task %d of %d returned what pickle cannot carry between processes (%s)"
                   % (t, ntasks, last_line(e)))


class Missing:
    """No result came back from a task (its process ended without one)."""

    def __init__(self, t, ntasks):
        self.message = ("task %d of %d returned nothing: its worker ended without a result "
                        "(os._exit?)" % (t, ntasks))


class Call:
    """The state every task gets: the function and its keyword arguments.
    Pickled for a spawned worker by reference only (name, arguments,
    search path): the worker imports the module itself."""

    def __init__(self, name, kwargs, dirs=None, interpreter=None):
        self.name, self.kwargs = name, dict(kwargs)
        self.interpreter = interpreter or os.getpid()  # the one that runs the job
        if dirs:
            add_to_path(dirs)
        try:
            self.module, self.fn, self.dirs = load(name)
            self.verify, self.ops, self.unit, self.independent = hooks(self.module)
        except RefError as e:
            raise RunError("%s: %s" % (name, e)) from None

    def __getstate__(self):
        return {"name": self.name, "kwargs": self.kwargs, "dirs": self.dirs,
                "interpreter": self.interpreter}

    def __setstate__(self, state):
        self.__init__(state["name"], state["kwargs"], state["dirs"], state["interpreter"])

    def __call__(self, t, ntasks):
        try:
            return self.fn(t, **self.kwargs)
        except (Exception, SystemExit) as e:  # pylint: disable=broad-except
            return Failed.raised(t, ntasks, e)


def end_with(pid):
    """This worker process ends (SIGKILL) once process pid, the interpreter
    that runs the job, is gone: a Pool's worker ends by itself only at its
    task queue's end of file, which it never reads while a task hangs, so
    it would outlive a SIGKILLed driver.  A thread waiting on a pidfd."""
    try:
        lifeline = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(125)  # gone already

    def watch():
        select.select([lifeline], [], [])
        os.kill(os.getpid(), signal.SIGKILL)
    threading.Thread(target=watch, name="ptpy-lifeline", daemon=True).start()


def with_kwargs(hook, results, kwargs):
    """hook(results, **kwargs) when it takes them, else hook(results)."""
    try:
        inspect.signature(hook).bind(results, **kwargs)
    except TypeError:
        return hook(results)
    except ValueError:
        pass  # no signature: try it with them
    return hook(results, **kwargs)


def row_result(values):
    """(result, how): the int sum, or CRC-32 of the reprs (module doc)."""
    if all(v is None or isinstance(v, int) for v in values):
        total = sum(int(v) for v in values if v is not None) % INT64
        return (total - INT64 if total >= INT64 // 2 else total), "sum"
    crc = 0
    for v in values:
        crc = zlib.crc32(repr(v).encode("utf-8", "backslashreplace") + b"\n", crc)
    return crc, "crc32"


def failure_of(results):
    """The message of the first task that failed or never returned, or None."""
    bad = [r for r in results if isinstance(r, (Failed, Missing))]
    if not bad:
        return None
    more = " (and %d more tasks)" % (len(bad) - 1) if len(bad) > 1 else ""
    return bad[0].message + more


def judge(call, results):
    """(ops, result, ok, notes) of a run whose every task returned; a
    RunError when verify or ops raised or returned nonsense."""
    if call.verify is None:
        ok = True
    else:
        try:
            verdict = with_kwargs(call.verify, results, call.kwargs)
        except Exception as e:  # pylint: disable=broad-except
            raise RunError("verify(results) raised %s" % last_line(e)) from None
        if verdict not in (True, False):
            raise RunError("verify(results) returned %r (allowed: True or False)" % (verdict,))
        ok = bool(verdict)
    if call.ops is None:
        ops = len(results)
    else:
        try:
            ops = with_kwargs(call.ops, results, call.kwargs)
        except Exception as e:  # pylint: disable=broad-except
            raise RunError("ops(results) raised %s" % last_line(e)) from None
        if not isinstance(ops, int) or isinstance(ops, bool) or not 0 <= ops < INT64 // 2:
            raise RunError("ops(results) returned %r (allowed: a whole number >= 0)" % (ops,))
    result, how = row_result(results)
    return ops, result, ok, "result=%s" % how


# ---- results from processes --------------------------------------------------------

class ResultFiles:
    """pyproc's results: each worker process pickles its task's value into
    a file of the run's private directory (any object, where the other
    models' shared array holds integers), read back after the region."""

    def __init__(self, directory, ntasks):
        self.own = directory is None
        self.directory = tempfile.mkdtemp(prefix="ptpy-userfn-") if self.own else directory
        self.ntasks = ntasks

    def path(self, t):
        return os.path.join(self.directory, "userfn-result.%d" % t)

    def __setitem__(self, t, value):
        try:
            data = pickle.dumps(value)
        except Exception as e:  # pylint: disable=broad-except
            data = pickle.dumps(Failed.unpicklable(t, self.ntasks, e))
        part = self.path(t) + ".part"
        with open(part, "wb") as f:
            f.write(data)
        os.replace(part, self.path(t))

    def __iter__(self):
        values = []
        for t in range(self.ntasks):
            try:
                with open(self.path(t), "rb") as f:
                    values.append(pickle.load(f))
                os.unlink(self.path(t))
            except FileNotFoundError:
                values.append(Missing(t, self.ntasks))
        if self.own:
            os.rmdir(self.directory)
        return iter(values)


# ---- the workload, as the runner sees it ---------------------------------------------

class Keywords(dict):
    """The options after `--`: any Python name, its value as typed."""

    def __contains__(self, key):
        return isinstance(key, str) and key.isidentifier()

    def __missing__(self, key):
        return lambda name, value: value


class UserFunction:
    """A workload class of ptpy_workloads.py's kind, for one reference."""
    executors = True     # the executor models run it (C: PTB_PY_EXECUTORS)
    watch_deaths = True  # the pools look for a worker that died under a task
    defaults = {}

    def __init__(self, name):
        self.name = name
        self.spec = Keywords()

    @staticmethod
    def refuse(job):
        return None

    def setup(self, job):
        no_core_dumps()  # a function that crashes leaves no core file
        return Call(self.name, job.opts)

    @staticmethod
    def worker_init(call):
        """In a pool's worker (before the clock) and a forkserver's pyproc
        worker: a process worker ends with the interpreter, whatever its
        task does."""
        if os.getpid() != call.interpreter:
            end_with(call.interpreter)

    @staticmethod
    def task(call, t, ntasks):
        return call(t, ntasks)

    @staticmethod
    def results(job):
        if job.kind == "process":
            return ResultFiles(job.tmpdir, job.tasks)
        return [None] * job.tasks

    @staticmethod
    def verify(job, call, results):
        failed = failure_of(results)
        if failed:
            raise RunError(failed)
        ops, result, ok, notes = judge(call, results)
        return ops, result, ok, {"notes": notes}

    @staticmethod
    def teardown(job, call):
        pass


# ---- the check ptbench asks for ----------------------------------------------------

def check(argv):
    """ptpy.py userfn-check py:REF [--KEY VALUE...]: one answer line on the
    real stdout, the module's own output on stderr; exit status 0."""
    answer = os.dup(1)
    os.dup2(2, 1)  # print()s of the module at import go to stderr
    signal.alarm(CHECK_S)  # a module whose import hangs ends the check
    try:
        if not argv or not is_userfn(argv[0]) or len(argv[1:]) % 2:
            raise UsageError("usage: ptpy.py userfn-check py:REF [--KEY VALUE...]")
        name, pairs = argv[0], argv[1:]
        kwargs = {}
        for key, value in zip(pairs[::2], pairs[1::2]):
            if not key.startswith("--") or not key[2:].isidentifier():
                raise UsageError("userfn-check: '%s' is not --KEY with KEY a Python name" % key)
            kwargs[key[2:]] = value
        try:
            module, fn, _ = load(name)
            _, _, unit, independent = hooks(module)
            target, function = split_ref(name)
            check_signature(fn, function, kwargs)
            path = locate(target)[2]
            line = "ok %d %s %s%s:%s %s" % (independent, unit, PREFIX, module.__name__, function,
                                           "%s%s:%s" % (PREFIX, path, function) if path else name)
        except RefError as e:
            line = "error %s" % " ".join(str(e).split())
    finally:
        signal.alarm(0)
    os.write(answer, (line + "\n").encode("utf-8", "backslashreplace"))
    return 0
