"""unstable.py - how a verdict that make table-stability's runs did not
agree on is labelled, in the table and in its summary: "unstable" with
the counts of each verdict, then this run's.  The counts are the
findings' (results/findings.json, from results/table-stability.json).
A verdict whose figures contradict the work done is followed by the
mark INCONSISTENT (ptb/table/findings.py), as findings.json records it.
"""
from ptb.table.findings import INCONSISTENT, inconsistent


def bold(v):
    return f"**{v}**"


def stability_counts(rec):
    """'' for a claim whose verdict every stability run agreed on (or with
    no stability record), else 'holds in 3, depends in 2 of 5 runs'."""
    st = rec.get("stability")
    if not rec.get("unstable") or not st:
        return ""
    counts = ", ".join(f"{v} in {k}" for v, k in sorted(st["counts"].items(), key=lambda x: -x[1]))
    return f"{counts} of {st['runs']} runs"


def shown_verdict(rec):
    """A claim's verdict in one language as the table shows it: bold, or
    led by 'unstable (counts); this run:' when the stability runs differed."""
    counts = stability_counts(rec)
    mark = f" {INCONSISTENT}" if inconsistent(rec) else ""
    return (f"{bold(f'unstable ({counts})')}; this run: {rec['verdict']}" if counts
            else bold(rec["verdict"])) + mark


def row_unstable(findings, row, lang):
    """'**unstable**: C4 (…)' for the claims of a seed row that the
    stability runs did not agree on, in one language; '' otherwise."""
    labels = []
    for cid in row["claims"]:
        rec = next(c for c in findings["claims"] if c["id"] == cid)["languages"].get(lang) or {}
        counts = stability_counts(rec)
        if counts:
            labels.append(f"{rec['stability_key']} ({counts})")
    return f"{bold('unstable')}: {'; '.join(labels)}" if labels else ""
