#!/usr/bin/env python3
"""compare.py - two results of `make table` side by side (two machines, or
one machine before and after a kernel or VM change): per claim and
language both headline figures, their ratios process ÷ thread with the
95% interval, B's ratio ÷ A's, and whether the verdict changed; then,
beside every verdict that changed, what the two machines' metas record
differently (ptb/machine.py); then the seed rows' verdicts.

Usage: python3 -m ptb.compare [--out PREFIX] [--formats "png svg"] A_DIR B_DIR
  A_DIR, B_DIR  each holds findings.json of one make table run (results/,
                or a copy from another machine)
  --out         write PREFIX.md and PREFIX.png/.svg
                [results/compare/LABEL_A-vs-LABEL_B, labels (CPU and date)
                from the findings' run; when both are the same, each also
                gets its directory's name]

Everything comes from the two findings.json (ptb/table/findings.py, the
one source of every verdict): the verdicts as make table judged them,
which languages were measured, and the figures of each claim's
conditions.  Nothing is re-analysed here; a directory with a table.csv
but no findings.json gets it from `python3 -m ptb.table --from-csv
--out-dir DIR`.  The machines' facts come from the table.meta.json beside
each (its "machine", the meta ptbench wrote): only the keys that differ,
both values; a directory without one is named, not refused.  A claim's headline figure in a language is the first condition of
its first judged finding (one with an expectation; the first condition
when none is judged): process against thread (medians), the ratio process
÷ thread.  The chart draws that ratio of each claim's primary language for
A and B on a log axis (claims whose ratio is infinite or zero, e.g.
survivors 3 against 0, or that have none, are listed in the note).

Bad input (a directory without findings.json, a file of another schema):
one line, exit status 2, nothing written.
"""
import math
import os
import re
import shutil
import sys
import tempfile

from ptb import csvio
from ptb import machine as mc
from ptb import stats as sv
from ptb.plot import claims as ch
from ptb.table import analyse as tc
from ptb.table import findings as fnd
from ptb.table import unstable

FINDINGS = "findings.json"
SHOWN = {"C": "C", "CPython": "Python"}     # how the table names a language
FMT_OF = {unit: f for f, unit in tc.UNIT_OF.items()}


def words(text):
    """The lower-case words of text (letters and digits), for file names."""
    return [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]


class ResultSet:
    """One make table run, as its findings.json has it."""

    def __init__(self, path):
        f_path = os.path.join(path, FINDINGS)
        if not os.path.isfile(f_path):
            raise csvio.BadInput(f"{f_path}: no such file; make table writes it (or, from "
                                 f"{os.path.join(path, 'table.csv')} and its meta: "
                                 f"python3 -m ptb.table --from-csv --out-dir {path})")
        try:
            self.findings = fnd.load(f_path)
        except fnd.BadFindings as e:
            raise csvio.BadInput(str(e)) from e
        self.run = self.findings["run"]
        self.claims = {c["id"]: c for c in self.findings["claims"]}
        self.path = path
        self.name = os.path.basename(os.path.normpath(path))   # no machine's paths in the output
        self.meta = mc.load_table_meta(os.path.join(path, "table.meta.json"))

    def cpu(self):
        """The CPU of the findings' machine line ("AMD EPYC × 2 cores online, ...")."""
        return (self.run.get("machine") or "unknown").split(" × ")[0]

    def label(self):
        cpu = re.sub(r"\(R\)|\(TM\)|Processor|CPU", "", self.cpu())
        return "-".join(words(cpu)[:2] + [(self.run.get("date") or "")[:10]]).strip("-")

    def slug(self):
        """The directory's own name, lower-case words joined by '-'."""
        return "-".join(words(self.name)) or "set"

    def machine(self):
        r = self.run
        return (f"{r.get('machine', '?')}; {r.get('mode', '?')} mode, {r.get('reps', '?')} "
                f"repetitions, {(r.get('date') or '?')[:10]}, git {r.get('git', '?')}")


def labels(a, b):
    """The two sets' labels (CPU and date), told apart when they are the same:
    two runs on one kind of CPU on one day get their directories' names
    added, and "a"/"b" when those are the same too."""
    la, lb = a.label(), b.label()
    if la == lb:
        la, lb = f"{la}-{a.slug()}", f"{lb}-{b.slug()}"
    if la == lb:
        la, lb = f"{la}-a", f"{lb}-b"
    return la, lb


# ---- per claim and language ------------------------------------------------------

def ratio_of(x):
    """A ratio of findings.json as a float ("inf" -> inf); None for none."""
    return None if x is None else float(x)


def headline_condition(rec):
    """The first condition of the first judged finding; the first condition
    when none is judged; None when the language has none."""
    conds = rec.get("conditions") or []
    return next((c for c in conds if c.get("expect") is not None), conds[0] if conds else None)


def figure(cond):
    """"condition: process X vs thread Y" (medians, in the condition's unit)."""
    fmt = FMT_OF.get(cond.get("unit"), tc.fmt_plain)

    def med(side):
        st = cond.get(side)
        return "—" if not st or st.get("median") is None else fmt(float(st["median"]))
    return (f"{cond['condition']}: {cond['process']} {med('process_stats')} vs "
            f"{cond['thread']} {med('thread_stats')}")


def headline(rec):
    """(figure text, ratio or None, its 95% interval or None) of one claim
    in one language.  A language judged by a check (no conditions) shows the
    first of its figure lines."""
    if not rec or rec.get("not_measured") is not None:
        return "—", None, None
    cond = headline_condition(rec)
    if cond is None:
        lines = rec.get("lines") or []
        return (lines[0] + (f" (+{len(lines) - 1} more)" if len(lines) > 1 else "")
                if lines else "—"), None, None
    ci = cond.get("ratio_ci95")
    return figure(cond), ratio_of(cond.get("ratio")), ([ratio_of(x) for x in ci] if ci else None)


def verdict_of(rec):
    return rec.get("verdict", "not measured") if rec else "not measured"


def shown_verdict(rec):
    """The verdict, marked "(undecided)" or "(depends on pipe pin=none)"
    when make table-stability's runs disagreed on it."""
    label = unstable.word(rec.get("stability")) if rec and rec.get("unstable") else None
    return verdict_of(rec) + (f" ({label})" if label else "")


def rows_of(a, b):
    """One row per claim and language (the claim's primary language first),
    for the languages either set has: C1-C14 in the order of A."""
    out = []
    for cid, ca in a.claims.items():
        cb = b.claims.get(cid) or {"languages": {}}
        langs = list(ca["languages"]) + [x for x in cb["languages"] if x not in ca["languages"]]
        for i, lang in enumerate(langs):
            ra, rb = ca["languages"].get(lang), cb["languages"].get(lang)
            if i and not (ra or {}).get("shown", True) and not (rb or {}).get("shown", True):
                continue     # a language no measure of the claim exists in (C12, C13 in CPython)
            fa, xa, ia = headline(ra)
            fb, xb, ib = headline(rb)
            out.append({"id": cid, "text": ca["claim"], "lang": lang, "primary": i == 0,
                        "fig_a": fa, "fig_b": fb, "ratio_a": xa, "ratio_b": xb, "ci_a": ia,
                        "ci_b": ib, "v_a": verdict_of(ra), "v_b": verdict_of(rb),
                        "sv_a": shown_verdict(ra), "sv_b": shown_verdict(rb)})
    return out


def b_over_a(r):
    ra, rb = r["ratio_a"], r["ratio_b"]
    if ra is None or rb is None or not all(map(math.isfinite, (ra, rb))) or ra == 0 or rb == 0:
        return None
    return rb / ra


# ---- output -----------------------------------------------------------------

def cell(text):
    """A Markdown table cell: no pipe, no line break."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_r(x, ci=None):
    if x is None:
        return "—"
    return sv.fmt_ratio(x) + (f" ({sv.fmt_ci(ci)})" if ci and None not in ci else "")


def changed(x, y):
    return "no" if x == y else f"**yes**: {x} → {y}"


def row_name(r):
    return f"**{r['id']}** {r['text']}" if r["primary"] else f"{r['id']} in {SHOWN.get(r['lang'], r['lang'])}"


def markdown(a, b, rows, machines):
    out = ["# Two results of make table side by side", "",
           f"- **A**: `{a.name}/` — {a.machine()}",
           f"- **B**: `{b.name}/` — {b.machine()}", "",
           "Per claim and language, the headline figure of each set (the first condition of "
           "the claim's first judged finding: process against thread, medians), the ratio "
           "process ÷ thread in each with its 95% bootstrap interval, B's ratio ÷ A's, and the "
           "verdicts, all as each directory's `findings.json` has them (make table's judgement; "
           "nothing is recomputed here). Generated by `make compare A=… B=…` (ptb/compare.py).",
           ""]
    if a.findings.get("statistics") != b.findings.get("statistics"):
        out += ["**A and B were judged with different statistics** (findings.json's "
                "`statistics`): a changed verdict may come from the rules, not the figures.", ""]
    out += ["| claim | A: figure | B: figure | A: process ÷ thread | B: process ÷ thread | B ÷ A "
            "| A: verdict | B: verdict | verdict changed |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| " + " | ".join(cell(x) for x in (
            row_name(r), r["fig_a"], r["fig_b"], fmt_r(r["ratio_a"], r["ci_a"]),
            fmt_r(r["ratio_b"], r["ci_b"]), fmt_r(b_over_a(r)), r["sv_a"], r["sv_b"],
            changed(r["v_a"], r["v_b"]))) + " |")
    diff = [(f"{r['id']}" if r["primary"] else f"{r['id']} in {SHOWN.get(r['lang'], r['lang'])}")
            + f": {r['v_a']} → {r['v_b']}" for r in rows if r["v_a"] != r["v_b"]]
    out += ["", "**Claim verdicts that differ:** " + ("; ".join(diff) if diff else "none"), ""]
    out += machine_rows(machines, diff)
    out += seed_rows(a, b)
    return "\n".join(out)


def machine_rows(machines, diff):
    """The machines' differences beside every changed verdict (once, when
    none changed), and what could not be compared."""
    out = ["## The machines", "",
           "What the two machines' metas (each directory's `table.meta.json`, doc/csv.md) "
           "record differently, A → B: the facts that change what creating and switching "
           "processes cost (CPU vulnerabilities and their mitigations, CPU flags, microcode, "
           "the kernel command line, clocksource, THP, hypervisor) and the rest of the "
           "machine; the run's own keys (load, host name, commit) are left out.", ""]
    differs = machines.summary("`")
    if diff and machines.diffs:
        out += ["| verdict changed | the machines differ in (A → B) |", "|---|---|"]
        out += [f"| {cell(d)} | {cell(differs)} |" for d in diff]
    elif machines.diffs:
        out += ["No verdict changed. The machines differ in (A → B):", ""]
        out += [f"- {x}" for x in machines.lines("`")]
    else:
        out += ["The machines differ in none of the facts both metas record."]
    if machines.notes:
        out += [""] + [f"- Note: {n}." for n in machines.notes]
    return out + [""]


def seed_rows(a, b):
    """The verdicts of seed 000's rows (C and Python) of A and B, from findings' rows."""
    out = ["## Seed rows", "", "The verdicts of the table's summary (results/table.md, at a glance).",
           "", "| seed row | C: A | C: B | Python: A | Python: B | changed |", "|---|---|---|---|---|---|"]
    rb = {r["en"]: r for r in b.findings["rows"]}
    for x in a.findings["rows"]:
        y = rb.get(x["en"], {"languages": {}})
        va = [x["languages"].get(lang, {}).get("verdict", "not measured") for lang in ("C", "CPython")]
        vb = [y["languages"].get(lang, {}).get("verdict", "not measured") for lang in ("C", "CPython")]
        diff = [SHOWN[lang] for lang, p, q in zip(("C", "CPython"), va, vb) if p != q]
        out.append("| " + " | ".join(cell(v) for v in (
            f"{x['en']} ({x['zh']})", va[0], vb[0], va[1], vb[1],
            ("**yes**: " + ", ".join(diff)) if diff else "no")) + " |")
    return out + [""]


def chart(a, b, rows):
    primary = [r for r in rows if r["primary"]]
    drawable = [r for r in primary if all(x is not None and math.isfinite(x) and x > 0
                                          for x in (r["ratio_a"], r["ratio_b"]))]
    left = [r["id"] for r in primary if r not in drawable]
    cats = [r["id"] + (" *" if r["v_a"] != r["v_b"] else "") for r in drawable]
    la, lb = labels(a, b)
    series = [ch.Series(f"A: {la}", "set-a",
                        [(i + 1, (r["ratio_a"],) * 3) for i, r in enumerate(drawable)]),
              ch.Series(f"B: {lb}", "set-b",
                        [(i + 1, (r["ratio_b"],) * 3) for i, r in enumerate(drawable)])]
    p = ch.Panel("headline figure of each claim (dotted: processes and threads equal)", "bars",
                 "claim (*: the verdict differs)", "process ÷ thread (log axis)", series, cats=cats,
                 logy=True, ymin0=False, ref=1, reflabel="equal")
    notes = ["not drawn (ratio infinite, zero or no figure): " + ", ".join(left)] if left else []
    c = ch.Chart("compare", "A and B side by side", [p], notes,
                 title="Two results of make table: process ÷ thread per claim")
    c.sub = f"A: {a.name}/ ({la})   B: {b.name}/ ({lb})"
    return c


def differ(rows):
    """'C 1 of 14, CPython 0 of 12': the verdicts that differ per language."""
    out = []
    for lang in dict.fromkeys(r["lang"] for r in rows):
        mine = [r for r in rows if r["lang"] == lang]
        out.append(f"{lang} {sum(r['v_a'] != r['v_b'] for r in mine)} of {len(mine)}")
    return ", ".join(out)


def main(argv):
    ap = csvio.ArgParser(prog="compare", description="two make table results side by side")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--out", default=None)
    ap.add_argument("--formats", default="png svg")
    args = ap.parse_args(argv)
    if any(f not in ("png", "svg") for f in args.formats.split()) or not args.formats.split():
        ap.error(f"--formats: '{args.formats}' (allowed: png, svg or both)")
    try:
        a, b = ResultSet(args.a), ResultSet(args.b)
    except csvio.BadInput as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    out = args.out or os.path.join("results", "compare", "-vs-".join(labels(a, b)))
    if not os.path.isdir(os.path.dirname(out) or "."):
        os.makedirs(os.path.dirname(out))
    rows = rows_of(a, b)
    machines = mc.compare(a.meta, b.meta)
    tmp = tempfile.mkdtemp(prefix="ptb-compare-")
    try:
        with open(os.path.join(tmp, "compare.md"), "w", encoding="utf-8") as f:
            f.write(markdown(a, b, rows, machines))
        c = chart(a, b, rows)
        if c:
            ch.draw(c, {}, tmp, tmp, args.formats)
        for name, ext in [("compare", "md")] + ([("compare", x) for x in args.formats.split()] if c else []):
            shutil.copyfile(os.path.join(tmp, f"{name}.{ext}"), f"{out}.{ext}.tmp")
            os.replace(f"{out}.{ext}.tmp", f"{out}.{ext}")
    except RuntimeError as e:
        print(f"compare: {e}; nothing written", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"compare: {out}.md and its chart; verdicts that differ: {differ(rows)}; machine "
          f"facts that differ: {len(machines.diffs)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
