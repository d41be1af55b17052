"""findings.py - results/findings.json, the one source of every verdict:
its format (SCHEMA, doc/findings.md), writing it whole, and reading it
back for every view (table.md, the README block, the claim charts, the
headline figure, the HTML report, make compare, the stability count).
Standard library only: a view that reads the file needs neither scipy nor
the analysis.  ptb/table/collect.py builds the content.

    write(path, findings)                  -> the file, whole or not at all
    load(path)                             -> the findings, checked
    claim(findings, cid) / language(...)   -> one claim, one claim in a language
    inconsistent(rec)                      -> why a record is marked INCONSISTENT

A ratio that is infinite (a zero on the thread side) is the string "inf",
since JSON has no infinity.
"""
import json
import os

SCHEMA = 1
LANGUAGES = ("C", "CPython")
SHOWN = {"C": "C", "CPython": "Python"}       # how the text names a language
OF_SHOWN = {v: k for k, v in SHOWN.items()}
# the mark of a figure that contradicts the work done (ptb/table/consistency.py):
# every view says it in these words, after the verdict it leaves
INCONSISTENT = "⚠ inconsistent"
CHART_FORMATS = ("png", "svg")


class BadFindings(ValueError):
    """A findings file that cannot be used: one line says why."""


def dumps(findings):
    return json.dumps(findings, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write(path, findings):
    """findings.json written whole through a temporary file and a rename."""
    text = dumps(findings)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


REQUIRED = ("schema", "run", "statistics", "rows", "claims", "notes")


def load(path):
    """The findings of path, with the keys every view needs; BadFindings
    (one line) when the file is missing, not JSON, or another schema."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise BadFindings(f"{path}: cannot read ({e.strerror}); make table writes it") from e
    except ValueError as e:
        raise BadFindings(f"{path}: not JSON ({e})") from e
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else None
        raise BadFindings(f"{path}: schema {got!r}, this ptbench reads schema {SCHEMA} "
                          "(make table writes it)")
    lacking = [k for k in REQUIRED if k not in data]
    if lacking:
        raise BadFindings(f"{path}: lacks {', '.join(lacking)}")
    return data


def claim(findings, cid):
    return next(c for c in findings["claims"] if c["id"] == cid)


def language(findings, cid, lang):
    return claim(findings, cid)["languages"][lang]


def inconsistent(rec):
    """The reasons a claim's, a seed row's or a condition's record is
    marked inconsistent (its "inconsistent" list; [] when it is not, or
    in a file written before the mark existed)."""
    return list(rec.get("inconsistent") or [])


def inconsistent_aspects(rec):
    """The labels of a seed row's aspects (in one language) that are marked."""
    return [a["label"] for a in rec.get("aspects") or [] if a.get("inconsistent")]


def verdict_counts(findings):
    """{stability key: verdict} of every claim measured in each language:
    what make table-stability counts across runs."""
    out = {}
    for c in findings["claims"]:
        for rec in c["languages"].values():
            if rec.get("stability_key"):
                out[rec["stability_key"]] = rec["verdict"]
    return out
