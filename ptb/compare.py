#!/usr/bin/env python3
"""compare.py - two results of `make table` side by side (two machines, or
one machine before and after a kernel or VM change): per claim both
headline figures, the ratio of their process/thread ratios, and whether the
verdict changed.

Usage: scripts/compare.py [--out PREFIX] [--formats "png svg"] A_DIR B_DIR
  A_DIR, B_DIR  each holds table.csv and table.meta.json of one make table run
  --out         write PREFIX.md and PREFIX.png/.svg
                [results/compare/LABEL_A-vs-LABEL_B, labels (CPU and date)
                from the metas; when both are the same, each also gets
                its directory's name]

Both sets are analysed by this tree's table code (table.from_files), so a
changed verdict comes from the figures, not from two versions of the
statistics.  A claim's headline figure is its first judged finding under
its first condition, the one the table's claim line leads with: process
against thread (medians), the ratio process ÷ thread.  The chart draws
that ratio for A and B per claim on a log axis (claims whose ratio is
infinite or zero, e.g. survivors 3 against 0, are listed in the note).

Bad input (a directory without table.csv or table.meta.json, a file that
is not make table's): one line, exit status 2, nothing written.
"""
import math
import os
import re
import shutil
import sys
import tempfile

from ptb.plot import claims as ch
from ptb import csvio
from ptb import stats as sv
from ptb.table import run as table
from ptb.table import render as tr
from ptb.table import summary as ts


def words(text):
    """The lower-case words of text (letters and digits), for file names."""
    return [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]


class ResultSet:
    """One make table run: its findings, verdicts and machine."""

    def __init__(self, path):
        csv_path, meta_path = os.path.join(path, "table.csv"), os.path.join(path, "table.meta.json")
        for p in (csv_path, meta_path):
            if not os.path.isfile(p):
                raise csvio.BadInput(f"{path}: no {os.path.basename(p)} (allowed: a directory "
                                      "with make table's table.csv and table.meta.json)")
        try:
            self.found, self.missing, self.ev, self.offer, self.info = table.from_files(csv_path,
                                                                                        meta_path)
        except (ValueError, KeyError) as e:
            raise csvio.BadInput(f"{path}: not make table's results ({type(e).__name__}: {e})") from e
        self.meta = csvio.load_meta(csv_path)
        self.path = path
        self.name = os.path.basename(os.path.normpath(path))   # no machine's paths in the output

    def label(self):
        m = self.meta.get("machine") or {}
        cpu = re.sub(r"\(R\)|\(TM\)|Processor|CPU", "", m.get("cpu_model") or "unknown")
        return "-".join(words(cpu)[:2] + [(self.meta.get("generated") or "")[:10]]).strip("-")

    def slug(self):
        """The directory's own name, lower-case words joined by '-'."""
        return "-".join(words(self.name)) or "set"

    def machine(self):
        m = self.meta.get("machine") or {}
        return (f"{m.get('cpu_model', '?')} × {m.get('cores_online', '?')} cores, "
                f"{self.meta.get('mode', '?')} mode, {(self.meta.get('generated') or '?')[:10]}, "
                f"git {self.meta.get('git_commit', '?')}")


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


# ---- per claim -----------------------------------------------------------------

def headline(claim, rs):
    """(figure text, process/thread ratio or None) of a claim in one set."""
    spec, f = claim[2], None
    if isinstance(spec, list):
        f = next((rs.found[k] for k, e in spec if rs.found.get(k)), None)
    elif spec == "c10":
        f = rs.found.get("mpi-cpu")
    elif spec == "c13":
        if not rs.ev:
            return "—", None
        loc = rs.ev["loc"]
        return (f"adapter LOC fork {loc['fork']} vs thread {loc['thread']}; TSan races "
                f"{rs.ev['fork_nolock']['races']} vs {rs.ev['thread_nolock']['races']}",
                loc["fork"] / loc["thread"])
    elif isinstance(spec, str) and spec.startswith("check:"):
        chk = rs.found.get(spec[6:])
        if not chk:
            return "—", None
        if chk["kind"] == "conditions":
            return "; ".join(f"{c['label']}: {c['alive']} of {c['daemons']} alive" for c in chk["conds"]), None
        return "; ".join(f"{m} {'/'.join(d['results'])}" for m, d in chk["models"].items()) + " left", None
    if not f:
        return "—", None
    a, b = f.main.res["a"], f.main.res["b"]
    text = (f"{f.main.label}: {f.a_name} {f.fmt(a['median'])}{f.suffix} vs {f.b_name} "
            f"{f.fmt(b['median'])}{f.suffix}")
    return text, f.main.res["ratio"]


def verdicts(claim, rs):
    """(C verdict, other language's verdict or None), the verdict words only."""
    v, _, _ = tr.claim_verdict(claim, rs.found, rs.missing, rs.ev, rs.offer)
    other = tr.other_language(claim, rs.found, rs.missing)
    return v, (other[1] if other else None)


def rows_of(a, b):
    out = []
    for claim in tr.CLAIMS:
        fa, ra = headline(claim, a)
        fb, rb = headline(claim, b)
        (va, oa), (vb, ob) = verdicts(claim, a), verdicts(claim, b)
        lang = claim[4][0] if claim[4] else None
        out.append({"id": claim[0], "text": claim[1], "fig_a": fa, "fig_b": fb, "ratio_a": ra,
                    "ratio_b": rb, "v_a": va, "v_b": vb, "lang": lang, "o_a": oa, "o_b": ob})
    return out


def b_over_a(r):
    ra, rb = r["ratio_a"], r["ratio_b"]
    if ra is None or rb is None or not all(map(math.isfinite, (ra, rb))) or ra == 0 or rb == 0:
        return None
    return rb / ra


# ---- output -----------------------------------------------------------------

def fmt_r(x):
    return "—" if x is None else sv.fmt_ratio(x)


def changed(x, y):
    return "no" if x == y else f"**yes**: {x} → {y}"


def markdown(a, b, rows):
    out = ["# Two results of make table side by side", "",
           f"- **A**: `{a.name}/` — {a.machine()}",
           f"- **B**: `{b.name}/` — {b.machine()}", "",
           "Per claim, the headline figure of each set (the claim's first judged finding, first "
           "condition: process against thread, medians), the ratio process ÷ thread in each, "
           "B's ratio ÷ A's, and the verdicts, both computed by this tree's statistics from the "
           "two `table.csv`. Generated by `make compare A=… B=…` (scripts/compare.py).", "",
           "| claim | A: figure | B: figure | A: process ÷ thread | B: process ÷ thread | B ÷ A "
           "| A: verdict | B: verdict | verdict changed |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| " + " | ".join(tr.cell(x) for x in (
            f"**{r['id']}** {r['text']}", r["fig_a"], r["fig_b"], fmt_r(r["ratio_a"]),
            fmt_r(r["ratio_b"]), fmt_r(b_over_a(r)), r["v_a"], r["v_b"], changed(r["v_a"], r["v_b"]))) + " |")
        if r["lang"]:
            out.append("| " + " | ".join(tr.cell(x) for x in (
                f"{r['id']} in {r['lang']}", "", "", "", "", "", r["o_a"], r["o_b"],
                changed(r["o_a"], r["o_b"]))) + " |")
    diff = [f"{r['id']}: {r['v_a']} → {r['v_b']}" for r in rows if r["v_a"] != r["v_b"]]
    diff += [f"{r['id']} in {r['lang']}: {r['o_a']} → {r['o_b']}" for r in rows
             if r["lang"] and r["o_a"] != r["o_b"]]
    out += ["", "**Claim verdicts that differ:** " + ("; ".join(diff) if diff else "none"), ""]
    out += seed_rows(a, b)
    return "\n".join(out)


def seed_rows(a, b):
    """The one-screen summary's verdicts (per seed row, C and Python) of A and B."""
    ra, rb = (ts.rows(s.found, s.missing, s.ev) for s in (a, b))
    out = ["## Seed rows", "", "The verdicts of the table's summary (results/table.md, at a glance).",
           "", "| seed row | C: A | C: B | Python: A | Python: B | changed |", "|---|---|---|---|---|---|"]
    for x, y in zip(ra, rb):
        diff = [lang for lang, i in (("C", 3), ("Python", 4)) if x[i] != y[i]]
        out.append("| " + " | ".join(tr.cell(v) for v in (
            x[0], x[3], y[3], x[4], y[4], ("**yes**: " + ", ".join(diff)) if diff else "no")) + " |")
    return out + [""]


def chart(a, b, rows):
    drawable = [r for r in rows if all(x is not None and math.isfinite(x) and x > 0
                                       for x in (r["ratio_a"], r["ratio_b"]))]
    left = [r["id"] for r in rows if r not in drawable]
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
    c = ch.Chart("compare", "Two results of make table: process ÷ thread per claim",
                 "A and B side by side", [p], notes)
    c.sub = f"A: {a.name}/ ({la})   B: {b.name}/ ({lb})"
    return c


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
    tmp = tempfile.mkdtemp(prefix="ptb-compare-")
    try:
        with open(os.path.join(tmp, "compare.md"), "w") as f:
            f.write(markdown(a, b, rows))
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
    diff = sum(r["v_a"] != r["v_b"] for r in rows)
    print(f"compare: {out}.md and its chart; {diff} of {len(rows)} C verdicts differ", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
