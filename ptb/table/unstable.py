"""unstable.py - how a verdict that make table-stability's runs did not
agree on is labelled, in the table, its summary and every other view:

    **depends on** pipe pin=none (holds in 4, depends in 1 of 5 runs)
        some of the conditions the verdict is judged by changed their
        outcome between runs (named), the others did not: they flip it;
    **undecided** (holds in 3, fails in 2 of 5 runs)
        no condition changed (or no condition data), or every one did.

then "; this run: " and this run's verdict, whose figures the view shows.
The label, the conditions and the counts are the findings'
(results/findings.json, from results/table-stability.json: ptb/table/
stability.py decides the label).  A verdict whose figures contradict the
work done is followed by the mark INCONSISTENT (ptb/table/findings.py),
as findings.json records it.
"""
from ptb.table.findings import INCONSISTENT, inconsistent

DEPENDS_ON = "depends on"
UNDECIDED = "undecided"


def bold(v):
    return f"**{v}**"


def kind(st):
    """The label of a stability record (a claim's in table-stability.json,
    or a language record's "stability" in findings.json): None when every
    run agreed (or no record), DEPENDS_ON or UNDECIDED.  A record written
    before the label existed names no condition: UNDECIDED."""
    if not st or st.get("unanimous", True):
        return None
    return DEPENDS_ON if st.get("label") == DEPENDS_ON and st.get("flips") else UNDECIDED


def names(st):
    """The conditions that flip a verdict, 'pipe pin=none, queue pin=none'."""
    return ", ".join(f["name"] for f in (st or {}).get("flips") or [])


def counts(st):
    """'holds in 3, depends in 2 of 5 runs'."""
    shown = ", ".join(f"{v} in {k}" for v, k in sorted(st["counts"].items(), key=lambda x: -x[1]))
    return f"{shown} of {st['runs']} runs"


def word(st):
    """'depends on pipe pin=none' or 'undecided' (no bold, no counts)."""
    k = kind(st)
    return f"{k} {names(st)}" if k == DEPENDS_ON else k


def label(st):
    """'**depends on** pipe pin=none (holds in 4, depends in 1 of 5 runs)',
    '**undecided** (holds in 3, fails in 2 of 5 runs)', or '' when the
    runs agreed."""
    k = kind(st)
    if not k:
        return ""
    return bold(k) + (f" {names(st)}" if k == DEPENDS_ON else "") + f" ({counts(st)})"


def stability_counts(rec):
    """'' for a claim (in one language) whose verdict every stability run
    agreed on (or with no stability record), else 'holds in 3, depends in
    2 of 5 runs'."""
    st = rec.get("stability")
    return counts(st) if rec.get("unstable") and st and kind(st) else ""


def shown_verdict(rec):
    """A claim's verdict in one language as the table shows it: bold, or
    led by its label ('**undecided** (counts); this run: holds') when the
    stability runs differed."""
    st = rec.get("stability") if rec.get("unstable") else None
    mark = f" {INCONSISTENT}" if inconsistent(rec) else ""
    return (f"{label(st)}; this run: {rec['verdict']}" if kind(st) else bold(rec["verdict"])) + mark


def row_records(findings, row, lang):
    """The stability records of a seed row's claims (in one language) that
    the runs did not agree on: [(stability key, record)]."""
    out = []
    for cid in row["claims"]:
        rec = next(c for c in findings["claims"] if c["id"] == cid)["languages"].get(lang) or {}
        st = rec.get("stability") if rec.get("unstable") else None
        if kind(st):
            out.append((rec["stability_key"], st))
    return out


def row_label(findings, row, lang):
    """'C5: **undecided** (…); C2 in Python: **depends on** pipe pin=none
    (…)' for the claims of a seed row that the stability runs did not
    agree on, in one language; '' otherwise."""
    return "; ".join(f"{key}: {label(st)}" for key, st in row_records(findings, row, lang))


def row_kind(findings, row, lang):
    """A seed row's label in one language, (kind, conditions): (None, '');
    (UNDECIDED, '') when one of its claims is undecided; else (DEPENDS_ON,
    the conditions its claims depend on)."""
    recs = [st for _, st in row_records(findings, row, lang)]
    if not recs:
        return None, ""
    if any(kind(st) == UNDECIDED for st in recs):
        return UNDECIDED, ""
    return DEPENDS_ON, ", ".join(dict.fromkeys(names(st) for st in recs))


def labelled(findings):
    """['C2 in Python **depends on** pipe pin=none', 'C5 **undecided**']:
    every claim and language the stability runs did not agree on."""
    out = []
    for c in findings["claims"]:
        for rec in c["languages"].values():
            st = rec.get("stability") if rec.get("unstable") else None
            k = kind(st)
            if k:
                out.append(f"{rec['stability_key']} {bold(k)}"
                           + (f" {names(st)}" if k == DEPENDS_ON else ""))
    return out
