"""analysis.py - every finding of `make table` from the rows of its measures:
C's analyses (ptb/table/analyse.py), Python's (ptb/table/analyse_py.py)
and the distribution row's cost model (ptb/table/scaling.py), in one
registry, and why a finding is absent.  The guard of
ptb/table/consistency.py then marks every finding whose figures
contradict the work done (found["consistency"] holds what it found).
"""
from ptb.table import analyse as c
from ptb.table import consistency
from ptb.table import analyse_py as py
from ptb.table import scaling as table_scaling

ANALYSES = {**c.ANALYSES, **py.PY_ANALYSES}
MEASURE_OF = {**c.MEASURE_OF, **py.PY_MEASURE_OF}
GROUPS = {**c.GROUPS, **py.PY_GROUPS}


def why_missing(key, missing):
    """Why finding `key` is absent: its measure's reason, or no usable rows."""
    mid = MEASURE_OF.get(key, key)
    return missing.get(mid) or f"measure {mid} gave no usable rows"


def group_of(mid):
    """The analysis a measure's rows go to: its GROUPS name, else its own."""
    return next((g for g, prefix in GROUPS.items() if mid.startswith(prefix)), mid)


def grouped(rows_by_measure):
    """Rows by analysis: measures of one GROUPS prefix merged, in order."""
    out = {}
    for mid, rows in rows_by_measure.items():
        out.setdefault(group_of(mid), []).extend(rows)
    return out


def analyse(rows_by_measure, ctx):
    """All findings: {key: Finding or check dict}."""
    found = {}
    for mid, rows in grouped(rows_by_measure).items():
        if rows and mid in ANALYSES:
            found.update({k: v for k, v in ANALYSES[mid](rows, ctx).items() if v})
    if ctx.get("refusals"):
        found["refusals"] = c.refusals_of(ctx)
    found.update(table_scaling.found_of(rows_by_measure))
    records = consistency.check(rows_by_measure)
    consistency.mark(found, records, group_of)
    found["consistency"] = {"kind": "consistency", "records": records}
    if ctx.get("machine"):
        found["machine"] = {"kind": "machine", "facts": ctx["machine"]}
    return found

