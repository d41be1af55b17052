#!/usr/bin/env python3
"""runcompare.py - `ptbench compare OLD NEW [--fail-above RATIO]`: two
runs, measure by measure (bench/compare.c finds this package and a Python
with scipy, then runs `python -m ptb.runcompare`).

OLD and NEW are each a ptbench CSV or a file of `ptbench run
--export-json` (doc/export.md).  A measure is one (workload, params,
workers, model) and the workload's measure, as the run's summary shows
it: time per op (ns/OP), throughput (B/s, the workloads whose op is a
byte), PSS per worker (B, footprint), survivors (tasks, crash).  From a
CSV the values are computed from its ok rows as ptbench's summary does;
from an export they are its "values".

Per measure: both medians, NEW/OLD with its bootstrap 95% CI, the
two-sided Mann-Whitney p and Cliff's delta, and a verdict word, by
ptb.regress.compare.compare_one (ptb/stats.py: a difference needs
p < 0.01 and a ratio beyond the noise; fewer than 5 repetitions a side
give no verdict).  The verdict is from the measure's side: "worse" is a
slower time or a lower throughput.

Then the two machines: what the two metas (a CSV's sidecar, an export's
"meta") record differently, OLD → NEW, beside every measure whose verdict
is worse or better, or once when none is (ptb/machine.py: only the keys
that differ, both values, short; keys an older meta lacks are named, not
compared).

  --fail-above RATIO   exit 1 when a measure is worse by more than RATIO
                       (time, size: NEW/OLD; throughput, survivors: OLD/NEW)
Exit status: 0; 1 a regression beyond --fail-above; 2 bad input.
"""
import json
import math
import os
import sys

from ptb import csvio
from ptb import machine as mc

PROG = "ptbench compare"
csvio.need_scipy(PROG)
from ptb import stats as sv  # noqa: E402
from ptb.plot import csvkeys  # noqa: E402
from ptb.regress import compare as rc  # noqa: E402
from ptb.regress import metrics as rm  # noqa: E402

EXPORT_SCHEMA = "ptbench-export"
EXPORT_VERSIONS = (1,)
WORSE, BETTER = "worse", "better"


class Measure:
    """The values of one measure of one run."""

    def __init__(self, name, unit, higher_better):
        self.name, self.unit, self.higher_better = name, unit, higher_better
        self.values = []


# ---- reading -----------------------------------------------------------------

def measure_name(workload, params, workers, variant):
    return f"{workload}{' ' + params if params else ''}, workers={workers}: {variant}"


def load_export(path, text):
    """(measures, the export's meta or None)."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise csvio.BadInput(f"{path}: not JSON ({e})") from e
    if not isinstance(doc, dict) or doc.get("schema") != EXPORT_SCHEMA:
        raise csvio.BadInput(f"{path}: not a ptbench --export-json file (\"schema\" must be "
                             f"\"{EXPORT_SCHEMA}\")")
    if doc.get("schema_version") not in EXPORT_VERSIONS:
        raise csvio.BadInput(f"{path}: export schema version {doc.get('schema_version')!r} "
                             f"(allowed: {', '.join(map(str, EXPORT_VERSIONS))})")
    out = {}
    try:
        for r in doc["results"]:
            name = measure_name(r["workload"], r["params"], r["workers"], r["variant"])
            m = out.setdefault(name, Measure(name, r["unit"], r["better"] == "higher"))
            m.values += [float(v) for v in r["values"] if v is not None]
    except (KeyError, TypeError, ValueError) as e:
        raise csvio.BadInput(f"{path}: a result lacks {e} (see doc/export.md)") from e
    meta = doc.get("meta")
    return out, (meta if isinstance(meta, dict) else None)


def workload_facts():
    """{workload: its entry of `ptbench list --json`}, {} without a ptbench."""
    try:
        from ptb import workloads
        return {w["name"]: w for w in workloads.facts()["workloads"]}
    except csvio.BadInput:
        return {}


def _num(text):
    try:
        return float(text) if text not in ("", None) else None
    except ValueError:
        return None


def csv_value(row, fact):
    """(value, unit, higher_better) of a row, as the summary's measure."""
    headline, better = fact.get("headline", {}).get("column"), fact.get("headline", {}).get("better")
    op = fact.get("ops_unit") or "op"
    workers = _num(row["workers"]) or 1
    if headline == "pss_kb":
        pss = _num(row.get("pss_kb"))
        return (None if pss is None else pss * 1024.0 / workers), "B", False
    if headline == "result" and better == "higher":
        return _num(row.get("result")), "tasks", True
    nspo = _num(row["ns_per_op"])
    if op == "byte":
        return (1e9 / nspo if nspo else None), "B/s", True
    return nspo, f"ns/{op}", False


def load_csv(path):
    """(measures, the CSV's meta sidecar or None)."""
    rows = csvio.load_rows(path)
    facts = workload_facts()
    pools = {}   # model -> the submit modes in the file: a variant names it when both
    for row in rows:
        pairs = dict(csvkeys.split_params(row["params"]))
        if "submit" in pairs:
            pools.setdefault(row["model"], set()).add(pairs["submit"])
    out = {}
    for row in rows:
        if row["ok"] != "1":
            continue
        fact = facts.get(row["workload"], {})
        own = {o["name"] for o in fact.get("options", [])}
        pairs = csvkeys.split_params(row["params"])
        params = ";".join(f"{k}={v}" for k, v in pairs
                          if ((k in own) if own else k not in ("tasks", "submit")))
        variant = row["model"]
        if len(pools.get(variant, ())) > 1:
            variant += "/" + dict(pairs)["submit"]
        value, unit, higher = csv_value(row, fact)
        name = measure_name(row["workload"], params, row["workers"], variant)
        m = out.setdefault(name, Measure(name, unit, higher))
        if value is not None and math.isfinite(value):
            m.values.append(value)
    return out, (csvio.load_meta(path) if os.path.isfile(csvio.meta_path(path)) else None)


def load(path, what):
    """(measures, meta or None) of a CSV or an export; bad input exits 2."""
    try:
        with open(path, encoding="utf-8") as f:
            head = f.read(4096)
            text = head + f.read() if head.lstrip().startswith("{") else None
    except OSError as e:
        csvio.fail(PROG, f"{what}: {path}: {e.strerror}")
    except UnicodeDecodeError:
        csvio.fail(PROG, f"{what}: {path}: neither a ptbench CSV nor an --export-json file")
    try:
        return load_export(path, text) if text is not None else load_csv(path)
    except csvio.BadInput as e:
        csvio.fail(PROG, f"{what}: {e}")


# ---- figures ------------------------------------------------------------------

def sig3(v):
    """Three significant digits, trailing zeros kept (as bench/summary.c)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if v == 0 or math.isinf(v):
        return f"{v:g}"
    r = float(f"{abs(v):.3g}")
    e = math.floor(math.log10(r))
    return f"{math.copysign(r, v):.{max(0, 2 - e)}f}"


def fmt(v, unit):
    """v in its unit, scaled: 25.8 µs/step, 1.70 GB/s, 412 kB, 2 tasks."""
    if v is None:
        return "-"
    if unit.startswith("ns/"):
        scales, suffix = ("ns", "µs", "ms", "s"), "/" + unit[3:]
    elif unit in ("B", "B/s"):
        scales, suffix = ("B", "kB", "MB", "GB", "TB"), unit[1:]
    else:
        return f"{v:g} {unit}"
    i = 0
    while i + 1 < len(scales) and abs(float(f"{v:.3g}")) >= 1000:
        v /= 1000.0
        i += 1
    return f"{sig3(v)} {scales[i]}{suffix}"


def verdict(row, m):
    """The verdict word from the measure's side."""
    if row.status == rc.WORSE:
        return BETTER if m.higher_better else WORSE
    if row.status == rc.BETTER:
        return WORSE if m.higher_better else BETTER
    return row.status


def worsening(row, m):
    """How many times worse NEW is than OLD (1: same), None without both."""
    if row.factor is None or row.factor == 0 or math.isinf(row.factor):
        return None
    return 1.0 / row.factor if m.higher_better else row.factor


def compare(old, new):
    """(name, row, measure, verdict) for every measure of either run."""
    names = list(old) + [n for n in new if n not in old]
    out = []
    for name in names:
        o, n = old.get(name), new.get(name)
        m = n or o
        base = rm.Metric(name, rm.SECONDARY, m.unit, "", o.values) if o and o.values else None
        cur = rm.Metric(name, rm.SECONDARY, m.unit, "", n.values) if n and n.values else None
        if base is None and cur is None:
            continue
        row = rc.compare_one(name, base, cur, fail_kinds=())
        out.append((name, row, m, verdict(row, m)))
    return out


def table(results):
    head = ("measure", "OLD median", "NEW median", "NEW/OLD [95% CI]", "p", "Cliff's δ", "verdict")
    lines = [head]
    for name, row, m, word in results:
        ratio = "-" if row.factor is None else f"{sig3(row.factor)}×"
        if row.ci:
            ratio += f" [{sig3(row.ci[0])}–{sig3(row.ci[1])}]"
        lines.append((name, fmt(row.base and row.base["median"], m.unit) + f" (n={row.base['n']})"
                      if row.base else "-",
                      fmt(row.cur and row.cur["median"], m.unit) + f" (n={row.cur['n']})"
                      if row.cur else "-",
                      ratio, "-" if row.p is None else f"{row.p:.2g}",
                      "-" if row.delta is None else f"{row.delta:+.2f}", word))
    widths = [max(len(str(ln[i])) for ln in lines) for i in range(len(head))]
    return ["  ".join(str(c).ljust(w) if i in (0, 6) else str(c).rjust(w)
                      for i, (c, w) in enumerate(zip(ln, widths))).rstrip() for ln in lines]


def machine_lines(results, machines):
    """The machines' differences beside every measure that got worse or
    better, or once when none did; then what was not compared."""
    changed = [(name, word) for name, _, _, word in results if word in (WORSE, BETTER)]
    if not machines.diffs:
        out = ["machines: the two metas record the same facts" if not machines.notes
               else "machines: no difference in the facts both metas record"]
    elif changed:
        out = ["machines (OLD → NEW) beside each measure that changed:"]
        for name, word in changed:
            out += [f"  {name}: {word}", *(f"    {x}" for x in machines.lines())]
    else:
        out = ["machines (OLD → NEW), no measure changed:", *(f"  {x}" for x in machines.lines())]
    return out + [f"  note: {n}" for n in machines.notes]


def main(argv):
    ap = csvio.ArgParser(prog=PROG, description="two runs of ptbench, measure by measure")
    ap.add_argument("old", metavar="OLD")
    ap.add_argument("new", metavar="NEW")
    ap.add_argument("--fail-above", metavar="RATIO")
    args = ap.parse_args(argv)
    limit = None
    if args.fail_above is not None:
        limit = _num(args.fail_above)
        if limit is None or not math.isfinite(limit) or limit <= 0:
            csvio.fail(PROG, f"--fail-above: '{args.fail_above}' is not a ratio (allowed: a "
                       "number above 0, e.g. 1.10)")
    (old, old_meta), (new, new_meta) = load(args.old, "OLD"), load(args.new, "NEW")
    results = compare(old, new)
    for line in table(results):
        print(line)
    counts = {}
    for _, _, _, word in results:
        counts[word] = counts.get(word, 0) + 1
    print(f"NEW/OLD: ratio of medians with its bootstrap 95% CI; p: two-sided Mann-Whitney; "
          f"δ: Cliff's delta, NEW against OLD; a difference needs p < {sv.ALPHA} and a ratio "
          "beyond the noise (the larger relative IQR, at least "
          f"{rc.THRESHOLD:.0%}); worse: slower or less throughput")
    print(f"{len(results)} measures: " + ", ".join(f"{n} {w}" for w, n in counts.items()))
    for line in machine_lines(results, mc.compare(old_meta, new_meta, ("OLD", "NEW"))):
        print(line)
    if limit is not None:
        bad = [(name, worsening(row, m)) for name, row, m, word in results
               if word == WORSE and (worsening(row, m) or 0) > limit]
        for name, x in bad:
            print(f"{PROG}: regression: {name} is {x:.3g}x worse (above --fail-above {limit:g})",
                  file=sys.stderr)
        if bad:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
