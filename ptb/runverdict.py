#!/usr/bin/env python3
"""runverdict.py - processes ÷ threads: the verdicts printed after a run's
summary (bench/verdict.c pairs the summary's measures and runs
`python -m ptb.runverdict --json FILE`, with a Python that has scipy).

A pair is one measure (workload, params, workers) run by a process model
and by its thread counterpart (the model's "counterpart" in `ptbench list
--json`: fork and thread, procpool and threadpool, pyproc and pythread,
pypool and pythreadpool, pyexproc and pyexthread).  Its verdict is the
table's: ptb.stats.compare(process values, thread values), the two-sided
Mann-Whitney U test with the noise band (a difference needs p < 0.01 and a
ratio of medians beyond the larger relative IQR, at least 5%; fewer than 5
repetitions a side give no verdict), and ptb.stats.ratio_ci, the bootstrap
95% CI of the ratio of medians (fixed seed: the same samples give the
same interval).  The words, from the measure's side:

  time per op      processes slower | processes faster
  throughput       processes faster | processes slower
  PSS per worker   processes use more memory | processes use less memory
  survivors        more tasks survive in processes | fewer tasks survive in processes
  any              no measurable difference
                   too few repetitions (p < 0.01 needs 5 a side)
                   not measured (a side without an ok repetition)

Input (stdin, or the file named): {"pairs": [{"workload", "params",
"workers", "tasks", "process", "thread", "measure", "unit", "better", "op",
"process_values": [...], "thread_values": [...]}, ...]}, the values in the
measure's unit as --export-json's "values" (doc/export.md).  Output: one
line per pair on stdout, e.g.

  for cpu (steps=1000000, 2 workers): time per step, fork ÷ thread 1.01× (95% CI 0.98–1.04×): no measurable difference

and with --json FILE the verdicts as the JSON list --export-json carries
("verdicts", doc/export.md).  Exit status: 0; 2 bad input.
"""
import json
import math
import sys

from ptb import csvio

PROG = "ptb.runverdict"
csvio.need_scipy(PROG)
from ptb import stats as sv  # noqa: E402

SAME_WORD = "no measurable difference"
TOO_FEW_WORD = f"too few repetitions (p < {sv.ALPHA:g} needs {sv.MIN_REPS} a side)"
NOT_MEASURED = "not measured"
# per measure: the word when the process median is higher, and when lower
WORDS = {
    "time per op": ("processes slower", "processes faster"),
    "throughput": ("processes faster", "processes slower"),
    "PSS per worker": ("processes use more memory", "processes use less memory"),
    "survivors": ("more tasks survive in processes", "fewer tasks survive in processes"),
}
PAIR_KEYS = ("workload", "params", "workers", "process", "thread", "measure",
             "process_values", "thread_values")


def word(outcome, measure):
    """The verdict word of a ptb.stats.compare outcome for this measure."""
    if outcome == sv.TOO_FEW:
        return TOO_FEW_WORD
    if outcome == sv.SAME:
        return SAME_WORD
    higher, lower = WORDS.get(measure, WORDS["time per op"])
    return higher if outcome == sv.A_HIGHER else lower


def _finite(v):
    return v if v is not None and math.isfinite(v) else None


def judge(process, thread, measure):
    """The verdict of process values against thread values of one measure:
    {"ratio", "ci" (lo, hi) or None, "p", "delta", "outcome", "verdict"};
    ratio and ci are there for too few repetitions too (n >= 2 a side for
    the interval)."""
    if not process or not thread:
        return {"ratio": None, "ci": None, "p": None, "delta": None, "outcome": None,
                "verdict": NOT_MEASURED}
    res = sv.compare(process, thread)
    ratio, ci = res["ratio"], res["ci"]
    if res["outcome"] == sv.TOO_FEW:
        ratio = sv.ratio(res["a"]["median"], res["b"]["median"])
        ci = sv.ratio_ci(process, thread)
    return {"ratio": ratio, "ci": ci, "p": res["p"], "delta": res["delta"],
            "outcome": res["outcome"], "verdict": word(res["outcome"], measure)}


def _what(pair):
    """'time per step', 'throughput', ... : the measure as the line names it."""
    if pair["measure"] == "time per op":
        return f"time per {pair.get('op') or 'op'}"
    return pair["measure"]


def _where(pair):
    """'cpu (steps=1000000, 2 workers)': the workload, its params, workers."""
    parts = [p for p in (pair["params"] or "").split(";") if p]
    workers = int(pair["workers"])
    parts.append(f"{workers} worker{'s' if workers != 1 else ''}")
    tasks = pair.get("tasks")
    if tasks is not None and int(tasks) != workers:
        parts.append(f"{int(tasks)} task{'s' if int(tasks) != 1 else ''}")
    return f"{pair['workload']} ({', '.join(parts)})"


def line(pair, v):
    """The printed line of one pair and its verdict v (judge())."""
    head = f"for {_where(pair)}: {_what(pair)}, {pair['process']} ÷ {pair['thread']}"
    if v["verdict"] == NOT_MEASURED:
        empty = pair["process"] if not pair["process_values"] else pair["thread"]
        return f"{head}: {NOT_MEASURED} (no ok repetition of {empty})"
    ci = sv.fmt_ci(v["ci"])
    return f"{head} {sv.fmt_ratio(v['ratio'])}{f' ({ci})' if ci else ''}: {v['verdict']}"


def record(pair, v):
    """The verdict as --export-json's "verdicts" carry it."""
    ci = v["ci"] or (None, None)
    return {"workload": pair["workload"], "params": pair["params"],
            "workers": int(pair["workers"]), "tasks": pair.get("tasks"),
            "process": pair["process"], "thread": pair["thread"],
            "measure": pair["measure"], "unit": pair.get("unit"), "better": pair.get("better"),
            "ratio": _finite(v["ratio"]), "ci_low": _finite(ci[0]), "ci_high": _finite(ci[1]),
            "p": _finite(v["p"]), "delta": _finite(v["delta"]), "verdict": v["verdict"],
            "n_process": len(pair["process_values"]), "n_thread": len(pair["thread_values"])}


def json_list(records):
    """The list as --export-json lays it out: one verdict a line."""
    if not records:
        return "[]"
    body = ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in records)
    return "[\n" + body + "\n  ]"


def load(text, name):
    """The pairs of an input document; csvio.BadInput when it is not one."""
    try:
        doc = json.loads(text)
        pairs = doc["pairs"]
        for p in pairs:
            missing = [k for k in PAIR_KEYS if k not in p]
            if missing:
                raise KeyError(", ".join(missing))
            p["process_values"] = [float(x) for x in p["process_values"] if x is not None]
            p["thread_values"] = [float(x) for x in p["thread_values"] if x is not None]
        return pairs
    except ValueError as e:
        raise csvio.BadInput(f"{name}: not JSON, or a value not a number ({e})") from e
    except (KeyError, TypeError) as e:
        raise csvio.BadInput(f"{name}: not a document of pairs (lacks {e}; see "
                             "python3 -m ptb.runverdict --help)") from e


def main(argv):
    ap = csvio.ArgParser(prog=PROG, description="processes ÷ threads, one verdict per pair")
    ap.add_argument("input", nargs="?", default="-", metavar="PAIRS",
                    help="the pairs as JSON (default: stdin)")
    ap.add_argument("--json", metavar="FILE", help="write the verdicts as a JSON list")
    args = ap.parse_args(argv)
    try:
        if args.input == "-":
            text, name = sys.stdin.read(), "stdin"
        else:
            with open(args.input, encoding="utf-8") as f:
                text, name = f.read(), args.input
        pairs = load(text, name)
    except OSError as e:
        csvio.fail(PROG, f"{args.input}: {e.strerror}")
    except csvio.BadInput as e:
        csvio.fail(PROG, str(e))
    records = []
    for pair in pairs:
        v = judge(pair["process_values"], pair["thread_values"], pair["measure"])
        print(line(pair, v))
        records.append(record(pair, v))
    if args.json:
        try:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(json_list(records) + "\n")
        except OSError as e:
            csvio.fail(PROG, f"--json: {args.json}: {e.strerror}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
