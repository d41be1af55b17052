"""render.py - results/table.md from results/findings.json: seed 000's
table with the figures and verdicts of C and of Python side by side, and
every claim C1-C14 with its figures, statistics and reproduce commands.
It reads the findings only: every verdict, figure and word comes from
there (ptb/table/findings.py), none is judged here.
"""
from ptb.table import summary
from ptb.table.findings import INCONSISTENT, inconsistent
from ptb.table.unstable import bold, labelled, row_label, shown_verdict

HEADLINE = ("![Every claim at a glance: process cost ÷ thread cost, 95% CI, coloured by verdict]"
            "(plots/headline.png)")


def cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def stability_note(findings):
    """The paragraph on the stability record behind the "depends on" and
    "undecided" labels."""
    st = findings.get("stability")
    if not st:
        return ("No stability record (`make table-stability`): each verdict is this run's; "
                "how often a re-run gives the same verdict is not known.")
    shaky = labelled(findings)
    how = (f"regenerated every verdict {st['runs']} times" if st.get("measured", True) else
           f"counted the verdicts of {st['runs']} tables measured before")
    return (f"Stability: `{st['command']}` {how} "
            f"({st['mode']} mode, {st['date']}, load {st['load']}; results/table-stability.md). "
            + (f"Not unanimous, so labelled here instead of settled: {', '.join(shaky)}."
               if shaky else "Every claim's verdict was the same in every run."))


# ---- a seed row's verdict cell -----------------------------------------------------

def verdict_head(lang):
    """The first line of a row's verdict cell in one language."""
    if lang["kind"] == "verdict":
        return f"{bold(lang['verdict'])}: {lang['why']}"
    head = bold(lang["verdict"]) + (f" {lang['depends_on']}" if lang["depends_on"] else "")
    if lang["not_measured_yet"]:
        head += f" (so far: {', '.join(lang['not_measured_yet'])} not measured)"
    return head


def verdict_cell(lang):
    lines = [verdict_head(lang)]
    if lang["kind"] == "aspects":
        lines += [f"{a['label']}: {bold(a['verdict'])} — {a['why']}"
                  + (f" ({a['meaning']})" if a["meaning"] else "") for a in lang["aspects"]]
    lines += lang["extra"]
    return "<br>".join(lines) if lang["kind"] == "aspects" or len(lines) > 1 else lines[0]


def inconsistent_head(rec):
    """'⚠ inconsistent: sharing (bytes/s) — REASON (and N more)' for a row
    in one language whose judged figures contradict the work; '' otherwise."""
    reasons = inconsistent(rec)
    if not reasons:
        return ""
    more = f" (and {len(reasons) - 1} more, under the claim)" if len(reasons) > 1 else ""
    return f"{summary.inconsistent_mark(rec).strip()} — {reasons[0]}{more}"


def row_cells(findings, row, lang):
    rec = row["languages"][lang]
    marks = [m for m in (row_label(findings, row, lang), inconsistent_head(rec)) if m]
    return (rec["process"], rec["thread"], rec["ratio"],
            "".join(f"{m}<br>" for m in marks) + verdict_cell(rec))


# ---- the page ------------------------------------------------------------------------

def method(findings):
    run, st = findings["run"], findings["statistics"]
    return (
        f"Figures are the median and [interquartile range] over {run['reps']} repetitions of each "
        "model, the models interleaved repetition by repetition; the ratio is process ÷ thread "
        f"(of the medians), with its {st['confidence']:.0%} bootstrap confidence interval "
        f"(scipy.stats.bootstrap, {st['bootstrap_resamples']} resamples, fixed seed) and Cliff's δ "
        "(P(process > thread) − P(process < thread), from 0 = no tendency to ±1 = every "
        "repetition on one side) beside it. "
        "A difference counts only when a two-sided Mann–Whitney U test (scipy) gives "
        f"p < {st['alpha']} *and* the ratio lies outside [1/(1+t), 1+t], where t is the larger "
        f"relative IQR of the two samples, at least {st['noise_floor']:.0%}; otherwise the verdict "
        "says \"no measurable difference\". A seed statement that predicts a difference which is "
        "not there **fails**; one that holds under some parameters and not others **depends**. "
        "A figure beyond physics (a speed-up above min(workers, cores), or a CPU utilisation above "
        "the cores, by more than the noise) is marked \"⚠ the machine's speed changed\" and gives "
        "no verdict: it is not a result. "
        f"Likewise a figure that contradicts the work done is marked \"{INCONSISTENT}\" and gives "
        "no verdict: a variant that does at least the work of another on the same condition and "
        "runs faster, or two variants that do the same work on the same bytes and differ, by the "
        "same test (the pairs are declared in ptb/table/consistency.py and listed below). "
        "Each row's figures are those of its first condition (listed first under its claim below); "
        "`create` runs on one CPU (`taskset -c 0`), so that where the scheduler wakes the new worker "
        "does not decide the figure.")


def consistency_note(findings):
    """The guard's pairs and what it marked in this run, as Markdown lines."""
    rec = findings.get("consistency")
    if not rec:
        return []
    out = [f"Consistency: {len(rec['pairs'])} declared pairs of variants, each checked on the rows "
           "of every measure of its workload (ptb/table/consistency.py): "
           + "; ".join(rec["pairs"]) + "."]
    if not rec["inconsistent"]:
        return out + ["", "No figure contradicts the work done."]
    out += ["", f"Marked {INCONSISTENT} in this run:"]
    out += [f"- `{' + '.join(r['measures'])}`: {r['reason']}" for r in rec["inconsistent"]]
    return out


def table_lines(findings):
    run = findings["run"]
    out = [
        "Two column groups: **C** (`fork`/`thread`; `mpi` ranks for distribution) and **Python** "
        "(`pyproc` = multiprocessing.Process, `pythread` = threading.Thread, CPython; `pympi` ranks "
        "(mpi4py) for distribution), each with its "
        "own verdict. Languages are compared only by cost per loop step and by speed-up, never by "
        f"wall time: C runs seed 002's loop at {run['loop_steps']['C']} steps a worker, "
        f"CPython at {run['loop_steps']['CPython']}{run['step_ratio']}.",
        "",
        "| seed row | multi-process (seed) | multi-thread (seed) | C: processes | C: threads | "
        "C: process/thread | C: verdict | Python: processes | Python: threads | "
        "Python: process/thread | Python: verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in findings["rows"]:
        out.append("| " + " | ".join(cell(x) for x in (
            f"{row['zh']}<br>{row['en']} ({', '.join(row['claims'])})",
            f"{row['process_zh']}<br>*{row['process_en']}*",
            f"{row['thread_zh']}<br>*{row['thread_en']}*")
            + row_cells(findings, row, "C") + row_cells(findings, row, "CPython")) + " |")
    return out


def claim_lines(findings):
    out = []
    for c in findings["claims"]:
        langs = c["languages"]
        first = langs[c["primary"]]
        out.append(f"- **{c['id']}** {c['claim']}: {shown_verdict(first)} — {first['why']}")
        out += [f"  - {ln}" for ln in first["lines"]]
        for name, rec in langs.items():
            if name == c["primary"] or not rec["shown"]:
                continue
            out.append(f"  - in {'Python' if name == 'CPython' else name}: {shown_verdict(rec)} "
                       f"— {rec['why']}")
            out += [f"  - {ln}" for ln in rec["lines"]]
        out += [f"  - reproduce: `{cmd}`" for cmd in c["reproduce"]]
    return out


def markdown(findings):
    run = findings["run"]
    out = ["# Seed 000's comparison table, measured", "",
           f"Generated by `make table{' QUICK=1' if run['mode'] == 'quick' else ''}` "
           f"({run['mode']} mode) on {run['machine']}; {run['date']}, git {run['git']}. "
           f"The data is `results/table.csv`, the machine and the commands "
           f"`results/table.meta.json`.",
           "", "## At a glance", ""]
    out += summary.matrix(findings) + ["", summary.LEGEND, "", HEADLINE, "", "### Each row's figures", ""]
    out += summary.markdown(findings) + [
        "",
        "One chart per claim: `results/plots/claims/` (C1.png … C14.png; `make claim-charts`).",
        "", "## The table", "", method(findings), "", stability_note(findings), ""]
    note = consistency_note(findings)
    out += note + ([""] if note else [])
    out += table_lines(findings)
    out += ["", "## Every claim", "",
            "Each claim's verdict is C's, except C14's, which is about Python; where the same claim "
            "was measured in the other language, a line \"in Python\" (\"in C\" for C14) gives "
            "that language's verdict.", ""]
    out += claim_lines(findings)
    out += ["", "## Notes", ""] + [f"- {n}" for n in findings["notes"]]
    return "\n".join(out) + "\n"
