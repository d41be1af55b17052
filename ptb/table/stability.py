#!/usr/bin/env python3
"""stability.py - `make table-stability`: how often does a re-run of
`make table` give the same verdict, what flips a verdict that changes,
and how long a whole table takes?

Usage: python3 -m ptb.table.stability [--runs N] [--quick] [--ptbench PATH]
                                  [--build-dir DIR] [--out-dir DIR]
                                  [--only M1,M2] [--from-dirs DIR,DIR,...]
  --runs N       regenerate the table N times [5]
  --quick        each run in quick mode (python3 -m ptb.table --quick)
  --only         run only these measures in each run (python3 -m ptb.table --only:
                 the other claims then say "not measured" in every run)
  --from-dirs    measure nothing: count the verdicts of tables already
                 measured into these directories (each with table.csv and
                 table.meta.json); development and tests

Each run is a whole `python3 -m ptb.table` into its own temporary directory;
the verdict of every claim (and "C5 in Python" where the other language
measured it) is read back from its findings.json (one measured before
findings.json existed: rebuilt from its table.csv and meta, as `--from-csv`
does), with the outcome of every condition the verdict is judged by.

A claim whose runs did not all give the same verdict is labelled
(ptb/table/unstable.py): "depends on" the judged conditions whose outcome
changed between runs, when some did and others did not (those conditions
flip it); "undecided" when none changed (the verdict moved with nothing a
condition records) or every one did (the claim's comparison itself went
both ways).  Both with the counts of each verdict.

Writes DIR/table-stability.md (per claim: the verdict of each run, how
many agree, the label, the conditions that flip it with their outcome in
each run, and the time of the claim's measures; per run: how long it
measured) and DIR/table-stability.json, which `make table` then reads to
label every claim whose verdict was not unanimous; finally it rebuilds
DIR/table.md from the committed DIR/table.csv (when there is one) so the
labels appear at once.  Bad arguments: one line, exit 2.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

from ptb import csvio, paths
from ptb.table import run as table
from ptb.table import findings as fnd
from ptb.table import unstable as lab
from ptb.table.seed import CLAIM_MEASURES


def parse_args(argv):
    ap = csvio.ArgParser(prog="table-stability", description="regenerate the table's verdicts N times and count agreement")
    ap.add_argument("--runs", default="5")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ptbench", default="build/ptbench")
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--out-dir", default="results")
    ap.add_argument("--only", default=None)
    ap.add_argument("--from-dirs", default=None)
    args = ap.parse_args(argv)
    if not args.runs.isdigit() or not 2 <= int(args.runs) <= 100:
        ap.error(f"--runs: '{args.runs}' (allowed: a whole number from 2 to 100)")
    args.runs = int(args.runs)
    if not os.path.isdir(args.out_dir):
        ap.error(f"--out-dir: '{args.out_dir}' is not a directory (allowed: an existing directory)")
    if args.from_dirs is not None:
        args.from_dirs = [d for d in args.from_dirs.split(",") if d]
        bad = [d for d in args.from_dirs if not os.path.isfile(os.path.join(d, "table.meta.json"))]
        if bad or len(args.from_dirs) < 2:
            ap.error(f"--from-dirs: '{bad[0] if bad else args.from_dirs}' (allowed: 2 or more "
                     "directories, each with a table.csv and table.meta.json)")
    elif not (os.path.isfile(args.ptbench) and os.access(args.ptbench, os.X_OK)):
        ap.error(f"--ptbench: '{args.ptbench}' is not an executable file (allowed: a built ptbench)")
    return args

NOT_MEASURED = "not measured"
ABSENT = "absent"              # a condition (or claim) a run has no record of


def say(msg):
    print(f"table-stability: {msg}", file=sys.stderr, flush=True)


# ---- one run ------------------------------------------------------------------------

def measures_of(cid, lang):
    """The measures of make table behind a claim in one language (a
    CPython measure's name starts with "py")."""
    return [m for m in CLAIM_MEASURES.get(cid, []) if m.startswith("py") == (lang == "CPython")]


def state(cond):
    """A condition's outcome as the stability count compares it: the
    table's outcome, "+inconsistent" when the guard marked it."""
    return cond["outcome"] + ("+inconsistent" if fnd.inconsistent(cond) else "")


def judged(rec):
    """{(finding, condition): the condition} of the conditions a claim's
    verdict in one language is judged by (figures-only ones left out)."""
    return {(c["finding"], c["condition"]): c for c in rec.get("conditions") or []
            if c.get("expect") is not None}


def run_of(out_dir, wall=None):
    """One run of the table measured into out_dir: per stability key its
    verdict, its judged conditions and its measures; the meta; `wall`, the
    seconds the whole run took when this script timed it.  Its findings.json
    (one measured before findings.json existed is rebuilt from its
    table.csv and meta)."""
    meta_path = os.path.join(out_dir, "table.meta.json")
    path = os.path.join(out_dir, table.FINDINGS)
    findings = (fnd.load(path) if os.path.exists(path) else
                table.findings_of(os.path.join(out_dir, "table.csv"), meta_path))
    with open(meta_path) as f:
        meta = json.load(f)
    claims = {}
    for c in findings["claims"]:
        for lang, rec in c["languages"].items():
            if rec.get("stability_key"):
                claims[rec["stability_key"]] = {"verdict": rec["verdict"], "judged": judged(rec),
                                                "measures": measures_of(c["id"], lang)}
    return {"claims": claims, "meta": meta, "wall": wall}


def measure_seconds(meta):
    """{measure: seconds} of a run's meta, {} when it records none."""
    return {r["id"]: float(r["seconds"]) for r in meta.get("runs") or []
            if r.get("id") and isinstance(r.get("seconds"), (int, float))}


def duration(run):
    """How long one run took: measuring (the meta's total, else the sum of
    its measures), the whole run when timed here, and its measures."""
    meta, per = run["meta"], measure_seconds(run["meta"])
    total = meta.get("measuring_seconds")
    if not isinstance(total, (int, float)):
        total = round(sum(per.values()), 1) if per else None
    return {"generated": meta.get("generated"), "mode": meta.get("mode", "?"),
            "measures": len(per), "measuring_s": total,
            "wall_s": round(run["wall"], 1) if run["wall"] is not None else None}


def spread(values):
    """{min, median, max} of the numbers among values, or None."""
    xs = [v for v in values if v is not None]
    if not xs:
        return None
    return {"min": min(xs), "median": round(statistics.median(xs), 1), "max": max(xs)}


# ---- across runs --------------------------------------------------------------------

def names_of(conds):
    """{(finding, condition): name}: the condition's label, led by its
    finding where two judged findings of the claim share the label."""
    labels = Counter(cond for _, cond in conds)
    return {(f, cond): cond if labels[cond] == 1 else f"{f} {cond}" for f, cond in conds}


def flips_of(key, runs):
    """(the judged conditions whose outcome was not the same in every run,
    with their outcome in each; how many judged conditions there were)."""
    recs = [r["claims"].get(key) or {"judged": {}} for r in runs]
    conds = list(dict.fromkeys(k for rec in recs for k in rec["judged"]))
    names = names_of(conds)
    out = []
    for k in conds:
        outcomes = [state(rec["judged"][k]) if k in rec["judged"] else ABSENT for rec in recs]
        if len(set(outcomes)) > 1:
            c = next(rec["judged"][k] for rec in recs if k in rec["judged"])
            out.append({"name": names[k], "finding": k[0], "condition": k[1], "what": c["what"],
                        "process": c["process"], "thread": c["thread"], "expect": c["expect"],
                        "outcomes": outcomes})
    return out, len(conds)


def label_of(unanimous, flips, n_judged):
    """None (unanimous), "depends on" (some judged conditions changed their
    outcome, not all) or "undecided" (none did, or every one did)."""
    if unanimous:
        return None
    return lab.DEPENDS_ON if flips and len(flips) < n_judged else lab.UNDECIDED


def record(runs, args, started, seconds):
    """The stability record: per claim the verdicts, their counts, whether
    every run agreed, the label and what flips it, and the time of its
    measures in each run; per run how long it took."""
    claims = {}
    for key in runs[0]["claims"]:
        seen = [(r["claims"].get(key) or {}).get("verdict", ABSENT) for r in runs]
        counts = Counter(seen)
        unanimous = len(counts) == 1
        flips, n_judged = flips_of(key, runs) if not unanimous else ([], 0)
        per_run = []
        for r in runs:
            per, mids = measure_seconds(r["meta"]), (r["claims"].get(key) or {}).get("measures", [])
            took = [per[m] for m in mids if m in per]
            per_run.append(round(sum(took), 1) if took else None)
        claims[key] = {"verdicts": seen, "counts": dict(counts), "runs": len(seen),
                       "agree": counts.most_common(1)[0][1], "unanimous": unanimous,
                       "label": label_of(unanimous, flips, n_judged), "judged": n_judged,
                       "flips": flips,
                       "measures": (runs[0]["claims"][key]["measures"]), "seconds": per_run}
    mode = sorted({r["meta"].get("mode", "?") for r in runs})
    command = "make table-stability RUNS=%d%s%s" % (len(runs), " QUICK=1" if mode == ["quick"] else "",
                                                    f" ONLY={args.only}" if args.only else "")
    if args.from_dirs:
        command = f"ptb/table/stability.py --from-dirs {','.join(args.from_dirs)}"
    durations = [duration(r) for r in runs]
    return {"schema_version": 1, "tool": "ptb/table/stability.py", "command": command,
            "measured": not args.from_dirs,
            "mode": "/".join(mode), "runs": len(runs), "date": started,
            "load": open("/proc/loadavg").read().split(" ")[0] if os.path.exists("/proc/loadavg") else "?",
            "seconds": round(seconds), "git": table.git_describe(),
            "run_dates": [r["meta"].get("generated") for r in runs],
            "durations": durations,
            "measuring_s": spread(d["measuring_s"] for d in durations),
            "wall_s": spread(d["wall_s"] for d in durations),
            "claims": claims}


# ---- the report ---------------------------------------------------------------------

def outcome_words(outcome, flip):
    """'fork higher', 'thread higher', 'same', 'too few', 'absent', with
    ' ⚠ inconsistent' when the guard marked it."""
    base, _, marked = outcome.partition("+")
    word = {"a_higher": f"{flip['process']} higher", "b_higher": f"{flip['thread']} higher",
            "same": "same", "too_few": "too few", ABSENT: ABSENT}.get(base, base)
    return word + (f" {fnd.INCONSISTENT}" if marked else "")


def fmt_s(x):
    return "–" if x is None else f"{x:.0f}"


def fmt_spread(sp):
    if not sp:
        return "–"
    if sp["min"] == sp["max"]:
        return fmt_s(sp["median"])
    return f"{fmt_s(sp['median'])} ({fmt_s(sp['min'])}–{fmt_s(sp['max'])})"


def claim_label(c):
    """The label of one claim in the report: the views' words
    (ptb/table/unstable.py), "stable" or "not measured"."""
    if not c["unanimous"]:
        return lab.label(c)
    return NOT_MEASURED if c["verdicts"][0] == NOT_MEASURED else "stable"


def flips_lines(rec):
    """Per claim not unanimous, what flips it: each changed condition with
    its outcome in each run, or why it is undecided."""
    out = []
    for key, c in rec["claims"].items():
        if c["unanimous"]:
            continue
        if c["label"] == lab.DEPENDS_ON:
            out.append(f"- **{key}** {lab.bold(lab.DEPENDS_ON)} {lab.names(c)}:")
        elif c["flips"] and len(c["flips"]) == 1:
            out.append(f"- **{key}** {lab.bold(lab.UNDECIDED)}: the one condition it is judged "
                       "by went both ways between runs:")
        elif c["flips"]:
            out.append(f"- **{key}** {lab.bold(lab.UNDECIDED)}: every condition it is judged by "
                       "changed its outcome between runs, so none explains the flip:")
        else:
            out.append(f"- **{key}** {lab.bold(lab.UNDECIDED)}: no condition it is judged by "
                       "changed its outcome between runs; the verdict moved with nothing a "
                       "condition records (the claim's other evidence, or no condition data).")
        for f in c["flips"]:
            expect = {"a_higher": f"{f['process']} higher", "b_higher": f"{f['thread']} higher",
                      "same": "the same"}.get(f["expect"], f["expect"])
            out.append(f"  - {f['name']} (`{f['finding']}`, expected: {expect}): "
                       + ", ".join(outcome_words(o, f) for o in f["outcomes"]))
    return out


def durations_lines(rec):
    ds = rec.get("durations") or []
    if not any(d["measuring_s"] is not None or d["wall_s"] is not None for d in ds):
        return []
    timed = any(d["wall_s"] is not None for d in ds)
    out = ["## How long a table takes", "",
           "Each run's measuring time (the `measuring_seconds` of its `table.meta.json`)"
           + (" and the whole run (`python3 -m ptb.table`, analysis included, timed here)"
              if timed else "") + ":", "",
           "| run | generated | mode | measures | measuring s |" + (" whole run s |" if timed else ""),
           "|---|---|---|---|---|" + ("---|" if timed else "")]
    for i, d in enumerate(ds, 1):
        out.append(f"| {i} | {d['generated'] or '?'} | {d['mode']} | {d['measures']} | "
                   f"{fmt_s(d['measuring_s'])} |" + (f" {fmt_s(d['wall_s'])} |" if timed else ""))
    for what, sp in (("measuring", rec.get("measuring_s")), ("the whole run", rec.get("wall_s"))):
        if sp:
            out += ["", f"Per run, {what} took {fmt_s(sp['min'])} s at least, "
                    f"{fmt_s(sp['median'])} s in the median, {fmt_s(sp['max'])} s at most."]
    return out


def spent(rec):
    """'N s in all' when this tool measured the runs; for tables measured
    before, the sum of their measuring seconds."""
    if rec["measured"]:
        return f"{rec['seconds']} s in all"
    took = [d["measuring_s"] for d in rec.get("durations") or [] if d["measuring_s"] is not None]
    return f"{sum(took):.0f} s of measuring in all" if took else "how long unknown"


def report(rec):
    how = ("every verdict of `make table` regenerated {n} times, each run measuring again "
           "(only the measures named by ONLY, when given)" if rec["measured"]
           else "the verdicts of {n} tables measured before, counted")
    timed = any(c.get("seconds") and any(s is not None for s in c["seconds"])
                for c in rec["claims"].values())
    out = ["# Stability of the table's verdicts", "",
           f"`{rec['command']}` ({rec['mode']} mode): {how.format(n=rec['runs'])}; {rec['date']}, git "
           f"{rec['git']}, {spent(rec)}, load average {rec['load']} at the end. "
           f"A claim whose verdict was not the same in every run is labelled in `results/table.md` "
           f"(which reads `results/table-stability.json`): {lab.bold(lab.DEPENDS_ON)} the "
           "conditions it is judged by whose outcome changed between runs, when some changed and "
           f"the others did not; {lab.bold(lab.UNDECIDED)} when none changed or every one did; "
           "both with the count of each verdict.", "",
           "| claim | runs agreeing | verdict of each run | label |"
           + (" measuring s per run (median, min–max) |" if timed else ""),
           "|---|---|---|---|" + ("---|" if timed else "")]
    for key, c in rec["claims"].items():
        top, n = Counter(c["verdicts"]).most_common(1)[0]
        out.append(f"| {key} | {n} of {c['runs']} ({top}) | {', '.join(c['verdicts'])} | "
                   f"{claim_label(c)} |" + (f" {fmt_spread(spread(c.get('seconds') or []))} |"
                                            if timed else ""))
    depends = [k for k, c in rec["claims"].items() if c.get("label") == lab.DEPENDS_ON]
    undecided = [k for k, c in rec["claims"].items() if not c["unanimous"] and k not in depends]
    unmeasured = [k for k, c in rec["claims"].items()
                  if c["unanimous"] and c["verdicts"][0] == NOT_MEASURED]
    settled = len(rec["claims"]) - len(depends) - len(undecided) - len(unmeasured)
    measured = settled + len(depends) + len(undecided)
    out += ["", f"Unanimous: {settled} of the {measured} claims measured; "
            f"{lab.DEPENDS_ON} a condition: "
            + (", ".join(f"{k} ({lab.names(rec['claims'][k])})" for k in depends) or "none")
            + f"; {lab.UNDECIDED}: {', '.join(undecided) if undecided else 'none'}"
            + (f"; not measured in these runs: {', '.join(unmeasured)}." if unmeasured else ".")]
    if timed:
        out += ["", "A claim's time is that of the measures behind it in its language (from each "
                "run's `table.meta.json`; a measure two claims share counts in each)."]
    flips = flips_lines(rec)
    if flips:
        out += ["", "## What flips a verdict", "",
                "Each condition (one compared configuration) whose outcome changed between runs, "
                "with its outcome in each run:", ""] + flips
    dl = durations_lines(rec)
    if dl:
        out += [""] + dl
    return "\n".join(out) + "\n"


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def measure(args, tmp):
    """Run ptb/table/run.py args.runs times; yields each run (run_of),
    timed."""
    for i in range(1, args.runs + 1):
        d = os.path.join(tmp, f"run{i}")
        os.mkdir(d)
        cmd = [sys.executable, "-m", "ptb.table", "--ptbench", args.ptbench,
               "--build-dir", args.build_dir, "--out-dir", d] + (["--quick"] if args.quick else []) \
            + (["--only", args.only] if args.only else [])
        say(f"run {i} of {args.runs}: {' '.join(cmd[1:])}")
        t0 = time.monotonic()
        done = subprocess.run(cmd, env=paths.module_env())
        wall = time.monotonic() - t0
        if done.returncode != 0:
            raise RuntimeError(f"run {i}: ptb/table/run.py exited with status {done.returncode}")
        say(f"run {i} of {args.runs}: {wall:.0f} s")
        yield run_of(d, wall)


def main(argv):
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="ptb-stability-")
    try:
        runs = [run_of(d) for d in args.from_dirs] if args.from_dirs else list(measure(args, tmp))
    except (RuntimeError, OSError, ValueError, KeyError) as e:
        print(f"ptb/table/stability.py: {e}; nothing written", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rec = record(runs, args, started, time.monotonic() - t0)
    write(os.path.join(args.out_dir, table.STABILITY), json.dumps(rec, indent=2) + "\n")
    write(os.path.join(args.out_dir, "table-stability.md"), report(rec))
    say(f"wrote {args.out_dir}/table-stability.md and {table.STABILITY}")
    if os.path.isfile(os.path.join(args.out_dir, "table.csv")):
        table.regenerate(argparse.Namespace(out_dir=args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
