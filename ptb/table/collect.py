"""collect.py - the findings of one make table run, as results/findings.json
holds them (ptb/table/findings.py: the format): built from the findings of
ptb/table/analysis.py and the verdicts of ptb/table/verdicts.py, with each
condition's statistics as numbers and each row's and claim's words.

    build(found, missing, ev, offer, info) -> the findings (a dict)

Numbers keep their unit in the key (median in the finding's unit, given by
"unit"); a ratio that is infinite is the string "inf".
"""
import math
import re

from ptb import stats as sv
from ptb.table import consistency
from ptb.table import verdicts as vd
from ptb.table.analyse import UNIT_OF, better_of
from ptb.table.findings import CHART_FORMATS, INCONSISTENT, LANGUAGES, OF_SHOWN, SCHEMA, SHOWN
from ptb.table.seed import CLAIMS, SAYS, SEED_ROWS


# ---- figures as numbers -----------------------------------------------------------

def number(x):
    """A float for JSON: "inf" or "-inf" when infinite, None for NaN."""
    if x is None:
        return None
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return None if math.isnan(x) else x


def side(d):
    """median, quartiles, IQR, extremes and n of one side's sample."""
    if d is None:
        return None
    return {"n": d["n"], "median": number(d["median"]), "q1": number(d["q1"]),
            "q3": number(d["q3"]), "iqr": number(d["q3"] - d["q1"]),
            "min": number(d["min"]), "max": number(d["max"])}


def condition(key, expect, f, c):
    """One comparison of a claim, under one condition, with its statistics."""
    r = c.res
    unit = UNIT_OF.get(f.fmt, "?")
    return {"finding": key, "what": f.what, "unit": unit, "better": better_of(key, unit),
            "condition": c.label, "on": f.on,
            "process": f.a_name, "thread": f.b_name, "expect": expect,
            "process_stats": side(r["a"]), "thread_stats": side(r["b"]),
            "ratio": number(r["ratio"]),
            "ratio_ci95": [number(x) for x in r["ci"]] if r["ci"] else None,
            "p": number(r["p"]), "cliffs_delta": number(r["delta"]),
            "noise_band": number(r["noise"]), "outcome": r["outcome"], "why": r["why"],
            **({"stop": r["stop"]} if r.get("stop") else {}),
            "beyond_physics": dict(f.physics) if c is f.main else {},
            "inconsistent": list(c.inconsistent)}


C10_FINDINGS = {"C": ("mpi-cpu", "mpi-cpu-cross", "mpi-job", "mpi-share", "mpi-share-cross"),
                "CPython": ("py-mpi-cpu", "py-mpi-cpu-cross")}


def conditions(spec, found, lang):
    """Every condition of the findings a claim's spec names."""
    if spec == "c10":
        pairs = [(k, None) for k in C10_FINDINGS[lang]]
    elif isinstance(spec, list):
        pairs = spec
    else:
        return []
    out = []
    for key, expect in pairs:
        f = found.get(key)
        if f:
            out += [condition(key, expect, f, c) for c in f.conds]
    return out


# ---- claims -----------------------------------------------------------------------

def stability_of(key, info):
    rec = (info.get("stability") or {}).get("claims", {}).get(key)
    if not rec:
        return None
    out = {"runs": rec["runs"], "counts": rec["counts"], "unanimous": rec["unanimous"]}
    if not rec["unanimous"]:
        # what make table-stability found flips it (none in an older record: undecided)
        out["label"] = rec.get("label") or "undecided"
        out["flips"] = [{k: f[k] for k in ("name", "finding", "condition", "outcomes")}
                        for f in rec.get("flips") or []]
    return out


def language_record(cid, lang, verdict, why, lines, spec, found, info):
    """A claim in one language: its verdict, why, stability and conditions."""
    key = cid if (lang == "C") != (cid == "C14") else f"{cid} in {SHOWN[lang]}"
    stab = stability_of(key, info)
    conds = conditions(spec, found, lang)
    return {"verdict": verdict, "why": why,
            # marked when a finding it is judged by is (a figures-only one: on its lines)
            "inconsistent": list(dict.fromkeys(r for c in conds if c["expect"] is not None
                                               for r in c["inconsistent"])),
            "not_measured": why if verdict == vd.NOT_MEASURED else None,
            "unstable": bool(stab and not stab["unanimous"]), "stability": stab,
            "stability_key": key, "conditions": conds, "lines": lines,
            "shown": True}


def unmeasured_record():
    """A claim in a language that no measure of make table tests."""
    return {"verdict": vd.NOT_MEASURED, "why": "", "inconsistent": [],
            "not_measured": "no measure of make table tests it in this language",
            "unstable": False, "stability": None, "stability_key": None, "conditions": [],
            "lines": [], "shown": False}


def claim_record(claim, found, missing, ev, offer, info):
    cid, text, spec, _, other = claim
    primary = "CPython" if cid == "C14" else "C"
    v, why, lines = vd.claim_verdict(claim, found, missing, ev, offer)
    langs = {primary: language_record(cid, primary, v, why, lines, spec, found, info)}
    o = vd.other_language(claim, found, missing)
    if o:
        lang = OF_SHOWN[o[0]]
        langs[lang] = language_record(cid, lang, o[1], o[2], o[3], other[1] if other else spec,
                                      found, info)
    order = (primary,) + tuple(x for x in LANGUAGES if x != primary)
    return {"id": cid, "claim": text, "primary": primary,
            "languages": {lang: langs.get(lang) or unmeasured_record() for lang in order},
            "reproduce": vd.commands_for(claim, info),
            "charts": [f"plots/claims/{cid}.{fmt}" for fmt in CHART_FORMATS]}


# ---- seed rows ----------------------------------------------------------------------

def short_figure(f):
    """"a X vs b Y (R×)" of a finding's first condition, medians only."""
    a, b = f.main.res["a"], f.main.res["b"]
    return (f"{f.a_name} {f.fmt(a['median'])}{f.suffix} vs {f.b_name} {f.fmt(b['median'])}"
            f"{f.suffix} ({sv.fmt_ratio(f.main.res['ratio'])})"
            + (f" {INCONSISTENT}" if f.inconsistent else ""))


def aspects_line(aspects, found):
    """The judged aspects' figures (figures-only aspects are left to the detail)."""
    parts = []
    for asp in aspects:
        f = found.get(asp.shows) if asp.shows and asp.expect is not None else None
        if f:
            parts.append(f"{asp.label}: {short_figure(f)}")
    return "; ".join(parts)


def c13_line(ev):
    if not ev:
        return vd.NOT_MEASURED
    loc, tn, fn = ev["loc"], ev["thread_nolock"], ev["fork_nolock"]
    return (f"adapter lines: fork {loc.get('fork')} vs thread {loc.get('thread')}; the same "
            f"unlocked counter loses {fn['lost_updates']} vs {tn['lost_updates']} updates, "
            f"ThreadSanitizer reports {fn['races']} vs {tn['races']} races")


def c10_line(found, prefix, ranks_of, thread):
    """The distribution loop: ranks by hosts against threads in one host."""
    cpu = found.get(prefix + "mpi-cpu")
    if not cpu:
        return vd.NOT_MEASURED if not prefix else ""
    ranks = (found.get(prefix + "mpi-checks") or {}).get("ranks", "?")
    hosts = ", ".join(f"{c.label} {cpu.fmt(c.res['a']['median'])}" for c in cpu.conds)
    thr = (found.get("refusals") or {}).get("runs", [])
    refused = [r for r in thr if r["model"] == thread and vd.refused(r)]
    return (f"loop, {ranks} {ranks_of} ranks: {hosts}; {ranks} {thread}s in one host "
            f"{cpu.fmt(cpu.main.res['b']['median'])}"
            + (f"; `-m {thread} --hosts 2` refused" if refused else ""))


def figures_line(spec, found, ev, lang):
    """A row's figures in one language, in one line (medians and ratio)."""
    if spec == "c13":
        return c13_line(ev) if lang == "C" else ""
    if spec == "c10":
        return c10_line(found, "", "mpi", "thread") if lang == "C" else \
            c10_line(found, "py-", "pympi", "pythread")
    return aspects_line(spec, found)


def headline_figure(spec, cells, found, ev, lang):
    """The one figure of a row's verdict in one language, a few words:
    its first judged aspect's ratio, C13's adapter lines, C10's hosts."""
    if cells["verdict"] == vd.NOT_MEASURED:
        return ""
    if spec == "c13":
        loc = [re.match(r"adapter (\d+) LOC", cells[side]) for side in ("process", "thread")]
        return f"adapter lines {loc[0][1]} vs {loc[1][1]}" if all(loc) else ""
    if spec == "c10":
        p = "" if lang == "C" else "py-"
        hosts = sorted((found.get(p + "mpi-checks") or {}).get("hosts", {}))
        thread = "thread" if lang == "C" else "pythread"
        runs = (found.get("refusals") or {}).get("runs", [])
        refused = any(r["model"] == thread and vd.refused(r) for r in runs)
        return (f"ranks on {hosts[-1]} hosts" if hosts else "") + ("; threads refused" if refused else "")
    # an inconsistent aspect gives no verdict, so its figure is not the row's
    return next((a["figure"] for a in cells.get("aspects", [])
                 if a["figure"] and not a["inconsistent"]), "")


def row_record(row, found, missing, ev):
    c = vd.c_cells(row, found, missing, ev)
    py = vd.py_cells(row, found, missing)
    c["figures"] = figures_line(row["c"], found, ev, "C")
    py["figures"] = figures_line(row["py"], found, ev, "CPython")
    c["headline"] = headline_figure(row["c"], c, found, ev, "C")
    py["headline"] = headline_figure(row["c"], py, found, ev, "CPython")   # the row kind is C's
    return {"zh": row["zh"], "en": row["en"], "process_zh": row["proc_zh"],
            "process_en": row["proc_en"], "thread_zh": row["thread_zh"],
            "thread_en": row["thread_en"], "says": SAYS.get(row["en"], row["proc_en"]),
            "claims": [x.strip() for x in row["claims"].split(",")],
            "languages": {"C": c, "CPython": py}}


# ---- the whole file ---------------------------------------------------------------

def statistics():
    return {"test": "two-sided Mann-Whitney U (scipy.stats)", "alpha": sv.ALPHA,
            "noise_floor": sv.NOISE_FLOOR, "min_reps": sv.MIN_REPS,
            "confidence": sv.CONFIDENCE, "bootstrap_resamples": sv.BOOT_RESAMPLES,
            "seed": sv.SEED, "effect_size": "Cliff's delta",
            "verdicts": [sv.HOLDS, sv.FAILS, sv.DEPENDS, sv.NO_VERDICT, vd.NOT_MEASURED]}


def stability_record(info):
    st = info.get("stability")
    if not st:
        return None
    rec = {k: st.get(k) for k in ("command", "runs", "mode", "date", "load")}
    rec["measured"] = st.get("measured", True)
    rec["not_unanimous"] = [k for k, r in st["claims"].items() if not r["unanimous"]]
    return rec


def consistency_record(found):
    """The guard's declared pairs and what it marked in this run."""
    rec = found.get("consistency") or {"records": []}
    out = []
    for r in rec["records"]:
        sides = {s: {"measure": r[s]["measure"], "model": r[s]["model"], "params": r[s]["params"],
                     "label": r[s]["label"], "n": r[s]["n"], "median": number(r[s]["median"])}
                 for s in ("a", "b")}
        out.append({"measures": r["measures"], "workload": r["workload"], "kind": r["kind"],
                    "on": r["on"], **sides, "faster": r["faster"], "ratio": number(r["ratio"]),
                    "ratio_ci95": [number(x) for x in r["ratio_ci95"]] if r["ratio_ci95"] else None,
                    "p": number(r["p"]), "noise_band": number(r["noise_band"]),
                    "outcome": r["outcome"], "reason": r["reason"]})
    return {"pairs": consistency.pairs_doc(), "inconsistent": out}


def build(found, missing, ev, offer, info):
    """The findings of one make table run, as written to findings.json."""
    mode = info["mode"]
    return {
        "schema": SCHEMA,
        "run": {"mode": mode, "reps": info["reps"], "machine": info["machine"],
                "date": info["date"], "git": info["git"],
                "loop_steps": {"C": str(vd.loop_steps("cpu", mode)),
                               "CPython": str(vd.loop_steps("pycpu", mode))},
                "step_ratio": vd.step_ratio(found), "missing": dict(missing)},
        "statistics": statistics(),
        "stability": stability_record(info),
        "consistency": consistency_record(found),
        "languages": list(LANGUAGES),
        "rows": [row_record(row, found, missing, ev) for row in SEED_ROWS],
        "claims": [claim_record(c, found, missing, ev, offer, info) for c in CLAIMS],
        "notes": list(info.get("notes", [])),
    }
