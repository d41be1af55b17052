"""python.py - the Python column's verdict words of `make table`: C13 in
CPython (the Python adapters' lines of code, and the unlocked counter
that no race detector reports in CPython), and, where a Python verdict
differs from C's, the one sentence that says why, built from the
figures of both.  What the Python column measures is in
ptb/table/measures.py (py_plan), how its findings are drawn from the
rows in ptb/table/analyse_py.py.  Every Python measure uses the fork
start method (the default before CPython 3.14), named in every row's
notes.
"""
import ast
import io
import os
import tokenize

from ptb import paths
from ptb import stats as sv
from ptb.table import analysis

MODELS_PY = os.path.join(paths.BENCH_PY, "ptpy_models.py")
# C13: the code each Python model adds to run a task on N workers
ADAPTERS = {"thread": ("run_threads",), "process": ("run_processes", "process_main")}
LOC_MARGIN = 0.10   # as C's C13: fewer lines count only when fewer by this share


# ---- C13 in Python: the adapters' lines, and what finds the unlocked race ----

def code_lines(path, functions):
    """Lines of code of the named top-level functions of path: lines with
    a token other than a comment, a docstring or a blank."""
    src = open(path).read()
    tree = ast.parse(src)
    spans, docs = [], set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            spans.append((node.lineno, node.end_lineno))
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docs.update(range(body[0].lineno, body[0].end_lineno + 1))
    code = set()
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                        tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        code.update(range(tok.start[0], tok.end[0] + 1))
    return len({ln for lo, hi in spans for ln in range(lo, hi + 1) if ln in code} - docs)


def c13_python(found, path=MODELS_PY):
    """(verdict, why, process figure, thread figure, ratio) of C13 in
    Python: the adapters' lines of code (counted from bench/py), and the
    unlocked counter's lost updates in both models (py-counter-lost),
    which no tool reports in CPython: it has no race detector."""
    try:
        proc, thread = code_lines(path, ADAPTERS["process"]), code_lines(path, ADAPTERS["thread"])
    except (OSError, SyntaxError) as e:
        return "not measured", f"{path}: {e}", "—", "—", "—"
    prog = sv.HOLDS if proc * (1 + LOC_MARGIN) <= thread else sv.FAILS
    lost = found.get("py-lost")
    if lost:
        lp, lt = lost.main.res["a"]["median"], lost.main.res["b"]["median"]
        debug = sv.FAILS if lp > 0 and lt > 0 else sv.NO_VERDICT
        dwhy = (f"the same unlocked counter loses {lost.figure('a')} updates with processes and "
                f"{lost.figure('b')} with threads, and CPython has no race detector: no tool reports "
                "the race in either model, only the wrong count does")
        dfig = lambda side: f"no lock: {lost.figure(side)} lost, no race detector"  # noqa: E731
    else:
        debug, dwhy = "not measured", analysis.why_missing("py-lost", {})
        dfig = lambda side: "no lock: —"  # noqa: E731
    verdict, why = sv.combine([("programming (adapter LOC)", prog), ("debugging", debug)], "the aspect")
    how = (f"at least {LOC_MARGIN:.0%} fewer for processes" if prog == sv.HOLDS else
           f"within {LOC_MARGIN:.0%}: about the same" if proc <= thread * (1 + LOC_MARGIN) else
           "more for processes")
    pwhy = (f"programming: the process adapter ({' + '.join(ADAPTERS['process'])}) has {proc} lines "
            f"of code vs the thread adapter ({' + '.join(ADAPTERS['thread'])}) {thread} ({how})")
    why = "; ".join(x for x in (why, pwhy, "debugging: " + dwhy) if x)
    return (verdict, why, f"adapter {proc} LOC;<br>{dfig('a')}", f"adapter {thread} LOC;<br>{dfig('b')}",
            sv.fmt_ratio(proc / thread) + " LOC")


# ---- why a Python verdict differs from C's: one sentence from the figures ----

def _fig(found, key, side, cond=None):
    f = found.get(key)
    return f.figure(side, cond) if f else "—"


def _cond(found, key, label):
    f = found.get(key)
    return next((c for c in f.conds if c.label == label), None) if f else None


def _switch_us(found):
    it = found.get("py-interp") or {}
    return "/".join(it.get("switch_us") or []) or "?"


def why_memory(found):
    return (f"a forked CPython worker adds {_fig(found, 'py-footprint', 'a')} of PSS against "
            f"{_fig(found, 'py-footprint', 'b')} for a thread (C's fork: "
            f"{_fig(found, 'footprint', 'a')}): the interpreter writes to the pages it inherited "
            "(reference counts, the heap), so each process soon holds its own copy")


def why_switch(found):
    return (f"a CPython round trip costs {_fig(found, 'py-switch', 'b')} between threads and "
            f"{_fig(found, 'py-switch', 'a')} between processes (C: {_fig(found, 'switch', 'b')} and "
            f"{_fig(found, 'switch', 'a')}): the interpreter's own work per message (pickling "
            "the token, the GIL hand-off after up to the "
            f"{_switch_us(found)} µs switch interval) outweighs the kernel's switch")


def why_share(found):
    f = found.get("py-share")
    shown = "; ".join(f"{c.label} {f.figure('a', c)}" for c in f.conds) if f else "—"
    base = f.b_name if f else "pythread"
    shm = _cond(found, "share-model", "shm")
    c_shm = (f"; C's fork and thread through the same shared memory: {found['share-model'].figure('a', shm)} "
             f"vs {found['share-model'].figure('b', shm)}") if shm else ""
    return (f"in CPython every process channel ({shown}) moves less than {base} "
            f"({_fig(found, 'py-share', 'b')}), where threads hand over references without "
            f"copying or pickling{c_shm}")


def why_crash(found):
    hard, exc = _cond(found, "py-crash", "hard fault (SIGSEGV)"), _cond(found, "py-crash",
                                                                         "uncaught exception")
    f = found.get("py-crash")
    parts = []
    if exc:
        parts.append(f"an uncaught exception ends only its own thread in CPython "
                     f"({f.figure('b', exc)} results survive with threads, {f.figure('a', exc)} "
                     "with processes)")
    if hard:
        parts.append(f"a hard fault takes the whole interpreter as in C ({f.figure('b', hard)} "
                     "survive with threads)")
    return "; ".join(parts) or "—"


def why_scaling(found):
    f = found.get("py-scale-thread")
    if not f:
        return "—"
    return (f"pythread does {f.figure('a')} on {f.a_name.split()[0]} workers against "
            f"{f.figure('b')} on 1: with the GIL one thread at a time runs Python code, "
            "while C's threads run on every core")


def why_util(found):
    return (f"CPython threads keep {_fig(found, 'py-util', 'b')} of the cores busy against "
            f"{_fig(found, 'py-util', 'a')} for processes (C: {_fig(found, 'cpu-util', 'b')} and "
            f"{_fig(found, 'cpu-util', 'a')}): the GIL")


def _hosts_shown(chk):
    return "; ".join(f"{h} host{'s' if h > 1 else ''} {c['ok']} of {c['rows']} ok in "
                     f"netns={','.join(c['netns'])}" for h, c in (chk or {}).get("hosts", {}).items())


def why_distribution(found):
    return (f"C's mpi ranks: {_hosts_shown(found.get('mpi-checks')) or '—'}; CPython's pympi ranks: "
            f"{_hosts_shown(found.get('py-mpi-checks')) or '—'}")


WHY_DIFFERS = {
    "memory (PSS per worker)": why_memory,
    "switching (round trip)": why_switch,
    "sharing (bytes/s)": why_share,
    "survivors when 1 worker crashes": why_crash,
    "CPU scaling with threads": why_scaling,
    "CPU utilisation": why_util,
    "across hosts": why_distribution,
}


def differs_line(label, c_verdict, py_verdict, found):
    """"why Python differs — LABEL: C V1, Python V2: SENTENCE", or "" when
    the verdicts agree or either is not a verdict."""
    if c_verdict == py_verdict or c_verdict is None or py_verdict is None:
        return ""
    if "not measured" in (c_verdict, py_verdict):
        return ""
    why = WHY_DIFFERS.get(label)
    sentence = why(found) if why else "the figures above"
    return f"why Python differs from C — {label}: C {c_verdict}, Python {py_verdict}: {sentence}"


