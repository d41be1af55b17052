#!/usr/bin/env python3
"""headline.py - the headline figure: one chart that answers the whole
table.  A forest plot of process cost ÷ thread cost, one row per judged
aspect of each claim, drawn by gnuplot (ptb/plot/headline.gp) from
results/findings.json alone.

Usage: python3 -m ptb.plot.headline [--findings results/findings.json]
                                    [--out results/plots/headline]
                                    [--formats "png svg"]

A row is one judged finding of a claim (its conditions with an `expect`,
the first condition of each finding), with the C and the CPython figure as
two marks (circle, triangle) and their 95% intervals, on one log axis with
a line at 1×.  The figure is normalised to a cost: a finding whose figure
is better higher (throughput, speed-up, survivors) is drawn inverted, so
that right of 1× always means "processes cost more"; such rows end in "*".
A finding that compares a thread model first (CPython's wall time:
pythread against pyproc) is turned round the same way.  Findings that do
not compare a process with a thread (C7's lock against none, C8's apply
against apply_async, C12's 2 processes against 1, C5's 2 threads against
1) are drawn in a section of their own below, where right of 1× means
"the first-named costs more".  A mark's colour is the verdict of its claim
in its language ("undecided" where the stability runs disagreed and no
condition explains it; "depends" where they disagreed with the outcome of
a condition, the label "depends on" it).  A ratio that is infinite (a
median of 0 on one side, C6's survivors) is drawn at the axis end,
labelled "0" or "∞" there.  The third title line counts, per
language, the aspects where processes and where threads cost more by the
outcome of the table's own test (p < 0.01 and beyond the noise).

A findings file that is missing, not JSON, of another schema
(ptb.table.findings.load) or without claims to draw, and a bad option,
are bad input: one line on stderr, exit status 2, nothing written.  The
images are drawn in a temporary directory beside OUT and renamed into
place.
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap

from ptb import csvio, paths
from ptb.table import findings as fnd
from ptb.table import unstable

HERE = paths.PLOT
LANGS = ("C", "CPython")

# The models of each side, by the first word of a condition's model name
# ("thread (heap)" is a thread).  A condition whose two models are not one
# of each is "another comparison".
THREADS = ("thread", "threadpool", "pythread", "pythreadpool")
PROCESSES = ("process", "fork", "vfork", "spawn", "procpool", "pyproc", "pypool", "mpi",
             "pympi", "fork+exec")

# Plain words for a row by the finding's key, and the few words the title's
# answer uses; a finding not named here is labelled with its `what`
# ("CPython: " and ", process vs ..." dropped).
LABELS = {
    "create": ("create + join a worker", "creating"),
    "switch": ("switch: ping-pong round trip", "switching"),
    "footprint": ("memory per idle worker", "memory"),
    "share": ("share data: transfer rate", "sharing data"),
    "cpu-speedup": ("CPU loop: speed-up, 2 workers", "CPU work"),
    "cpu-wall": ("CPU loop: wall time, 2 workers", "CPU work"),
    "crash": ("results surviving a crash", "crashes"),
    "cpu-scale-thread": ("CPU loop, threads: 2 workers vs 1", None),
    "lost-thread": ("lost updates, no lock vs mutex: threads", None),
    "lost-fork": ("lost updates, no lock vs mutex: processes", None),
    "pool": ("pool task time: apply vs apply_async", None),
    "copy-many": ("copying files: 2 processes vs 1", None),
}

# The verdict classes and their colours (those of the report's verdicts).
COLOURS = (("holds", "#1a7f37"), ("fails", "#c62828"), ("depends", "#e09b00"),
           ("undecided", "#7b3fc4"), ("no verdict", "#8a8a8a"))


class BadInput(Exception):
    """Exit status 2 with this one line."""


# ---- the rows -----------------------------------------------------------------

def side_of(model):
    word = str(model).split(" ")[0]
    return "thread" if word in THREADS else "process" if word in PROCESSES else None


def number(x):
    """A finite or infinite float from findings.json ("inf" strings), or None."""
    if x is None:
        return None
    if isinstance(x, str):
        return {"inf": math.inf, "-inf": -math.inf}.get(x)
    x = float(x)
    return None if math.isnan(x) else x


def aspects(record):
    """The judged findings of one claim in one language: the first condition
    of each finding with an expectation, in order."""
    seen, out = set(), []
    for c in record.get("conditions") or []:
        if c.get("expect") is not None and c["finding"] not in seen:
            seen.add(c["finding"])
            out.append(c)
    return out


def verdict_class(record):
    label = unstable.kind(record.get("stability")) if record.get("unstable") else None
    if label:
        return "depends" if label == unstable.DEPENDS_ON else unstable.UNDECIDED
    v = record.get("verdict")
    return v if v in ("holds", "fails", "depends") else "no verdict"


def label_of(cond):
    """(row label, the aspect in a few words)."""
    if cond["finding"] in LABELS:
        return LABELS[cond["finding"]]
    text = cond["what"]
    if text.startswith("CPython: "):
        text = text[len("CPython: "):]
    text = text.split(", process vs ")[0]
    return text, text


class Mark:
    """One language's figure on a row: x (cost ÷ cost, or 0 / inf), its
    interval, and whether processes (or the first-named) cost more by the
    table's test: +1, -1, 0 (same), None (too few)."""

    def __init__(self, lang, cond, record, versus):
        self.lang, self.cond = lang, cond
        self.verdict = verdict_class(record)
        swap = versus and side_of(cond["process"]) == "thread"
        flip = swap != (cond.get("better") == "higher")
        r = number(cond.get("ratio"))
        ci = cond.get("ratio_ci95") or [None, None]
        lo, hi = number(ci[0]), number(ci[1])
        if flip:
            r = inverse(r)
            lo, hi = inverse(hi), inverse(lo)
        self.x, self.lo, self.hi = r, lo, hi
        self.inverted = cond.get("better") == "higher"
        cost_a = {"a_higher": 1, "b_higher": -1, "same": 0}.get(cond.get("outcome"))
        if cost_a is not None and cond.get("better") == "higher":
            cost_a = -cost_a
        self.costlier = -cost_a if (swap and cost_a is not None) else cost_a
        # figures that contradict the work done (findings.json's mark): drawn, but the
        # title's answer says nothing from them
        self.inconsistent = bool(cond.get("inconsistent"))
        if self.inconsistent:
            self.costlier = None


def inverse(x):
    if x is None:
        return None
    return math.inf if x == 0 else 0.0 if math.isinf(x) else 1.0 / x


class Row:
    def __init__(self, cid, label, versus, marks):
        self.cid, self.versus, self.marks = cid, versus, marks
        star = "*" if any(m.inverted for m in marks) else ""
        self.label = f"{label[0]}{star} ({cid})"
        self.aspect = label[1] or label[0]


def rows_of(findings):
    """Every row, process-against-thread rows first, each group in claim order;
    and the claims that give no row (id, {lang: verdict})."""
    rows, none = [], []
    for claim in findings["claims"]:
        langs = claim["languages"]
        per = {lang: aspects(langs[lang]) for lang in LANGS if lang in langs}
        n = max((len(a) for a in per.values()), default=0)
        if n == 0:
            none.append((claim["id"], {lang: langs[lang]["verdict"] for lang in LANGS
                                       if lang in langs}))
            continue
        for i in range(n):
            conds = [(lang, per[lang][i]) for lang in LANGS if i < len(per.get(lang, []))]
            first = conds[0][1]
            versus = {side_of(first["process"]), side_of(first["thread"])} == \
                {"process", "thread"}
            marks = [Mark(lang, c, langs[lang], versus) for lang, c in conds]
            rows.append(Row(claim["id"], label_of(first), versus, marks))
    return [r for r in rows if r.versus] + [r for r in rows if not r.versus], none


# ---- the axis -------------------------------------------------------------------

def axis(rows):
    """(decade low, decade high, left end, right end): the decades that hold
    every finite figure and interval, as many on each side of 1×, and the
    ends where 0 and ∞ are drawn (None when no figure needs them)."""
    finite = [v for r in rows for m in r.marks for v in (m.x, m.lo, m.hi)
              if v is not None and 0 < v < math.inf]
    lo = math.floor(math.log10(min(finite + [1.0])))
    hi = math.ceil(math.log10(max(finite + [1.0])))
    lo = hi = max(-lo, hi, 1)         # 1× in the middle: each side as wide
    lo = -lo
    xs = [m.x for r in rows for m in r.marks if m.x is not None]
    left = 10.0 ** (lo - 0.7) if any(x == 0 for x in xs) else None
    right = 10.0 ** (hi + 0.7) if any(math.isinf(x) for x in xs) else None
    return lo, hi, left, right


def place(v, lo, hi, left, right):
    """Where a figure goes on the axis: 0 and ∞ at the ends, a bound beyond the
    decades at their edge."""
    if v is None:
        return None
    if v == 0:
        return left
    if math.isinf(v):
        return right
    return min(max(v, 10.0 ** lo), 10.0 ** hi)


def data_lines(findings):
    """The data file gnuplot draws: a header line, then one line a mark,
    tab-separated: y (row, 1 at the top), lang, x, x_lo, x_hi (as placed on
    the axis), end ("0", "∞" or "-"), colour (0xRRGGBB as a number), verdict,
    claim, finding, ratio (process ÷ thread as findings.json has it), drawn
    (the figure drawn: cost ÷ cost), inverted (1: a higher-is-better figure
    drawn as its inverse)."""
    rows, _ = rows_of(findings)
    lo, hi, left, right = axis(rows)
    colour = dict(COLOURS)
    out = ["# y\tlang\tx\tx_lo\tx_hi\tend\tcolour\tverdict\tclaim\tfinding\tratio\tdrawn\tinverted"]
    for y, r in layout(rows):
        for m in r.marks:
            if m.x is None:
                continue
            x = place(m.x, lo, hi, left, right)
            end = "0" if m.x == 0 else "∞" if math.isinf(m.x) else "-"
            xl = place(m.lo, lo, hi, left, right) if m.lo is not None else x
            xh = place(m.hi, lo, hi, left, right) if m.hi is not None else x
            if end != "-":
                xl = xh = x
            out.append("\t".join([
                f"{y:g}", m.lang, f"{x:.6g}", f"{xl:.6g}", f"{xh:.6g}", end,
                str(int(colour[m.verdict][1:], 16)), m.verdict, r.cid, m.cond["finding"],
                str(m.cond.get("ratio")), "inf" if math.isinf(m.x) else f"{m.x:.6g}",
                str(int(m.inverted))]))
    return out


def layout(rows):
    """(y, row) for each row: y counts down the chart from 1, a row of its
    own for the heading of each section (processes against threads, other
    comparisons)."""
    y, out, section = 0, [], None
    for r in rows:
        if r.versus != section:
            y, section = y + 1, r.versus
        y += 1
        out.append((y, r))
    return out


def headings(placed):
    """(y, heading, what left of 1× means, what right of it means) of each section."""
    out = []
    for i, (y, r) in enumerate(placed):
        if i == 0 or placed[i - 1][1].versus != r.versus:
            out.append((y - 1,) + (("Processes against threads", "◀ threads cost more",
                                    "processes cost more ▶") if r.versus else
                                   ("Other comparisons", "◀ second-named costs more",
                                    "first-named costs more ▶")))
    return out


# ---- words ---------------------------------------------------------------------

def sides(rows):
    """[(what the table's test found, [(aspect, [languages])])] for the
    process-against-thread rows, each aspect once per language."""
    found = {1: {}, -1: {}, 0: {}}
    for r in rows:
        for m in r.marks:
            if r.versus and m.costlier is not None:
                langs = found[m.costlier].setdefault(r.aspect, [])
                if m.lang not in langs:
                    langs.append(m.lang)
    return [(k, list(found[k].items())) for k in (1, -1, 0)]


ANSWER = {1: "Processes cost more for", -1: "Threads cost more for", 0: "No clear difference in"}


def answer(rows):
    """The title's answer: per side, the aspects and the languages where the
    table's test (p < 0.01 and beyond the noise) found that side costlier."""
    lines = []
    for k, aspects_ in sides(rows):
        if aspects_:
            groups = {}
            for aspect, langs in aspects_:
                groups.setdefault(tuple(lang for lang in LANGS if lang in langs), []).append(aspect)
            ordered = sorted(groups.items(), key=lambda g: -len(g[0]))
            lines.append(f"{ANSWER[k]} " + "; ".join(
                f"{', '.join(a)} ({' and '.join(langs)})" for langs, a in ordered))
    return lines


def footer(findings, none, rows):
    run = findings.get("run") or {}
    lines = []
    if zeros_side(rows):
        lines.append("0 and ∞ at the axis ends: a median of 0 on one side (named beside the "
                     "mark), so no finite ratio")
    if any(m.inverted for r in rows for m in r.marks):
        lines.append("* higher is better (throughput, speed-up, survivors): drawn inverted, "
                     "thread ÷ process (right of 1×: processes cost more)")
    marked = [f"{r.label} in {m.lang}" for r in rows for m in r.marks if m.inconsistent]
    if marked:
        lines.append(f"{fnd.INCONSISTENT}, so left out of the answer above (its figures contradict "
                     f"the work done; results/table.md): {', '.join(marked)}")
    unmeasured = [f"{c['id']} in {lang}" for c in findings["claims"] for lang in LANGS
                  if (c["languages"].get(lang) or {}).get("verdict") == "not measured"]
    if none:
        lines.append(f"No ratio to draw ({' / '.join(LANGS)}): " + "; ".join(
            f"{cid} {' / '.join(vs.get(lang, '-') for lang in LANGS)}" for cid, vs in none)
            + (f"; not measured: {', '.join(unmeasured)}" if unmeasured else "")
            + " (results/table.md)")
    elif unmeasured:
        lines.append(f"Not measured: {', '.join(unmeasured)} (results/table.md)")
    date = str(run.get("date") or "?")[:10]
    lines.append(f"make table ({run.get('mode', '?')}, {run.get('reps', '?')} repetitions) "
                 f"of {date}, git {run.get('git', '?')}; {run.get('machine', '?')}")
    return lines


def zeros_side(rows):
    """(claim, [the models whose median is 0]) of the marks at an axis end."""
    out = {}
    for r in rows:
        for m in r.marks:
            if m.x is None or not (m.x == 0 or math.isinf(m.x)):
                continue
            stats = {"process": m.cond.get("process_stats") or {},
                     "thread": m.cond.get("thread_stats") or {}}
            zero = [k for k in ("thread", "process") if stats[k].get("median") == 0]
            name = m.cond[zero[0]] if zero else "one side"
            if name not in out.setdefault(r.cid, []):
                out[r.cid].append(name)
    return list(out.items())


def edge_labels(placed):
    """(y, 0 or inf, text) for each row with a mark at an axis end: which
    model's median is 0 ("◀ thread, pythread = 0")."""
    out = []
    for y, r in placed:
        for end in (0.0, math.inf):
            names = []
            for m in r.marks:
                if m.x == end:
                    for k in ("thread", "process"):
                        if (m.cond.get(k + "_stats") or {}).get("median") == 0 \
                                and m.cond[k] not in names:
                            names.append(m.cond[k])
            if names:
                text = f"{', '.join(names)} = 0"
                out.append((y, end, f"◀ {text}" if end == 0 else f"{text} ▶"))
    return out


# ---- gnuplot -------------------------------------------------------------------

def gp_str(s):
    """A gnuplot double-quoted string (a backquote becomes ')."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("`", "'") + '"'


def gp_array(name, values):
    vals = ", ".join(gp_str(v) if isinstance(v, str) else f"{v:g}" for v in values)
    return f"array {name}[{max(len(values), 1)}]" + (f" = [{vals}]" if values else "")


def spec_lines(findings, data_path):
    rows, none = rows_of(findings)
    if not rows:
        raise BadInput("no claim has a judged process-against-thread figure to draw")
    lo, hi, left, right = axis(rows)
    placed = layout(rows)
    heads = headings(placed)
    ends = edge_labels(placed)
    tics = [(f"{10.0 ** d:g}×", 10.0 ** d) for d in range(lo, hi + 1)]
    if left:
        tics.insert(0, ("0", left))
    if right:
        tics.append(("∞", right))
    foot = [ln for text in footer(findings, none, rows) for ln in textwrap.wrap(text, 128)]
    return [
        f"h_data = {gp_str(data_path)}",
        f"n_rows = {placed[-1][0]}",
        f"x_min = {left or 10.0 ** lo:g}",
        f"x_max = {right or 10.0 ** hi:g}",
        f"x_left = {left or 0:g}",
        f"x_right = {right or 0:g}",
        f"x_lo = {10.0 ** lo:g}",
        f"x_hi = {10.0 ** hi:g}",
        gp_array("T_LINES", ["Processes against threads: where each seed claim lands"]
                 + answer(rows)),
        "t_sub = " + gp_str("process cost ÷ thread cost: median and 95% CI of each aspect; "
                            "colour: the verdict of its claim in that language"),
        gp_array("R_Y", [y for y, _ in placed]),
        gp_array("R_LABEL", [r.label for _, r in placed]),
        gp_array("H_Y", [h[0] for h in heads]),
        gp_array("H_TEXT", [h[1] for h in heads]),
        gp_array("H_LEFT", [h[2] for h in heads]),
        gp_array("H_RIGHT", [h[3] for h in heads]),
        f"n_heads = {len(heads)}",
        gp_array("E_Y", [y for y, _, _ in ends]),
        gp_array("E_X", [left if x == 0 else right for _, x, _ in ends]),
        gp_array("E_TEXT", [t for _, _, t in ends]),
        f"n_ends = {len(ends)}",
        "set xtics (" + ", ".join(f"{gp_str(t)} {v:g}" for t, v in tics) + ")",
        gp_array("F_LINES", foot),
        gp_array("V_NAME", [v for v, _ in COLOURS]),
        gp_array("V_COLOUR", [c for _, c in COLOURS]),
    ]


def draw(findings, out, formats):
    """Draw out.FMT for each format: in a temporary directory beside out,
    then renamed into place.  RuntimeError when gnuplot fails."""
    dest = os.path.dirname(out) or "."
    os.makedirs(dest, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".headline-", dir=dest)
    try:
        data = os.path.join(tmp, "headline.dat")
        spec = os.path.join(tmp, "headline.spec.gp")
        with open(data, "w", encoding="utf-8") as f:
            f.write("\n".join(data_lines(findings)) + "\n")
        with open(spec, "w", encoding="utf-8") as f:
            f.write("\n".join(spec_lines(findings, data)) + "\n")
        name = os.path.join(tmp, "out")
        proc = subprocess.run(["gnuplot", "-e", f"spec='{spec}'; out='{name}'; "
                               f"plotdir='{HERE}'; formats='{formats}'",
                               os.path.join(HERE, "headline.gp")],
                              capture_output=True, text=True)
        err = " ".join(ln.strip() for ln in proc.stderr.splitlines() if ln.strip())
        if proc.returncode != 0:
            raise RuntimeError(f"gnuplot failed (exit {proc.returncode}): {err[-300:]}")
        for fmt in formats.split():
            if not os.path.getsize(f"{name}.{fmt}"):
                raise RuntimeError(f"gnuplot wrote no {fmt}")
        for fmt in formats.split():
            os.replace(f"{name}.{fmt}", f"{out}.{fmt}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- main -------------------------------------------------------------------------

def parse_args(argv):
    ap = csvio.ArgParser(prog="headline", description="the headline figure: process cost ÷ "
                         "thread cost of every claim, from findings.json")
    ap.add_argument("--findings", default="results/findings.json")
    ap.add_argument("--out", default="results/plots/headline",
                    help="the images' path without .png/.svg [results/plots/headline]")
    ap.add_argument("--formats", default="png svg")
    args = ap.parse_args(argv)
    bad = [f for f in args.formats.split() if f not in ("png", "svg")]
    if bad or not args.formats.split():
        ap.error(f"--formats: '{args.formats}' (allowed: png, svg or both)")
    return args


def load(path):
    """findings.json, checked to hold claims this chart can read."""
    try:
        findings = fnd.load(path)
    except fnd.BadFindings as e:
        raise BadInput(str(e)) from e
    try:
        rows_of(findings)
        findings["run"].get("date")
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as e:
        raise BadInput(f"{path}: not the findings of make table ({type(e).__name__}: {e})") from e
    return findings


def main(argv):
    args = parse_args(argv)
    try:
        findings = load(args.findings)
        spec_lines(findings, "-")      # refuses a file with nothing to draw, before writing
    except BadInput as e:
        print(f"headline: {e}", file=sys.stderr)
        return 2
    if shutil.which("gnuplot") is None:
        print("headline: gnuplot not found (install gnuplot-nox: make deps)", file=sys.stderr)
        return 1
    try:
        draw(findings, args.out, args.formats)
    except RuntimeError as e:
        print(f"headline: {e}; nothing replaced", file=sys.stderr)
        return 1
    print(f"headline: {args.out}.{{{','.join(args.formats.split())}}} from {args.findings}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
