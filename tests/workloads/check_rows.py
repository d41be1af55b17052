#!/usr/bin/env python3
"""check_rows.py - check the rows of a ptbench CSV against a small spec.

Usage: check_rows.py FILE.csv 'key=value;key=value...'

Keys: models=a,b (the exact set of models in the rows), has=a,b (at least
these models: -m all may hold more, e.g. the Python ones), not=a,b (none of
these), spawn_rows=N (rows of the spawn model), rows=N, ok=0|1
(every row; default 1), result=ops (result equals ops in every row),
ops=N, workers=N, error=TEXT (every error column contains TEXT), pss=1
(pss_kb and result filled and positive), cow_mb=M (footprint --touch cow:
from 1 to 3 workers a fork's total PSS grows by at least 2 x M MiB x 0.9,
a thread's by less than M MiB: memory, not time).  Prints what failed and
exits 1; exit 2 on bad usage.  Used by test_create_switch_footprint.sh.
"""
import csv
import sys


def parse_spec(text):
    spec = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"bad spec item '{item}' (allowed: key=value)")
        spec[key] = value
    return spec


def cow_problems(rows, mib):
    """Total PSS at 3 workers minus at 1, per model."""
    pss = {(r["model"], r["workers"]): int(r["pss_kb"]) for r in rows}
    out = []
    grow_fork = pss[("fork", "3")] - pss[("fork", "1")]
    grow_thread = pss[("thread", "3")] - pss[("thread", "1")]
    if grow_fork < 2 * mib * 1024 * 0.9:
        out.append(f"fork PSS grew by {grow_fork} kB from 1 to 3 workers, want >= {2 * mib * 1024 * 0.9:.0f}")
    if grow_thread >= mib * 1024:
        out.append(f"thread PSS grew by {grow_thread} kB from 1 to 3 workers, want < {mib * 1024}")
    return out


def row_problems(r, spec):
    out = []
    name = f"{r['model']} n={r['workers']} {r['params']} rep {r['rep']}"
    if r["ok"] != spec.get("ok", "1"):
        out.append(f"{name}: ok={r['ok']} error='{r['error']}'")
    if spec.get("result") == "ops" and r["result"] != r["ops"]:
        out.append(f"{name}: result {r['result']} != ops {r['ops']}")
    if "ops" in spec and r["ops"] != spec["ops"]:
        out.append(f"{name}: ops {r['ops']}, want {spec['ops']}")
    if "workers" in spec and r["workers"] != spec["workers"]:
        out.append(f"{name}: workers {r['workers']}, want {spec['workers']}")
    if "error" in spec and spec["error"] not in r["error"]:
        out.append(f"{name}: error '{r['error']}' lacks '{spec['error']}'")
    if spec.get("pss") == "1" and not (r["pss_kb"].isdigit() and int(r["pss_kb"]) > 0
                                       and r["result"].isdigit() and int(r["result"]) > 0):
        out.append(f"{name}: pss_kb '{r['pss_kb']}' result '{r['result']}' not positive")
    return out


def problems(rows, spec):
    out = []
    if "rows" in spec and len(rows) != int(spec["rows"]):
        out.append(f"{len(rows)} rows, want {spec['rows']}")
    models = {r["model"] for r in rows}
    if "models" in spec and models != set(spec["models"].split(",")):
        out.append(f"models {sorted(models)}, want {spec['models']}")
    if "has" in spec and not set(spec["has"].split(",")) <= models:
        out.append(f"models {sorted(models)} lack some of {spec['has']}")
    if "not" in spec and set(spec["not"].split(",")) & models:
        out.append(f"models {sorted(models)} include some of {spec['not']}")
    if "spawn_rows" in spec and sum(r["model"] == "spawn" for r in rows) != int(spec["spawn_rows"]):
        out.append(f"{sum(r['model'] == 'spawn' for r in rows)} spawn rows, want {spec['spawn_rows']}")
    for r in rows:
        out += row_problems(r, spec)
    if "cow_mb" in spec and not out:
        out += cow_problems(rows, int(spec["cow_mb"]))
    return out


def main(argv):
    if len(argv) != 3:
        print("usage: check_rows.py FILE.csv 'key=value;...'", file=sys.stderr)
        return 2
    try:
        spec = parse_spec(argv[2])
        with open(argv[1], newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, ValueError) as e:
        print(f"check_rows: {e}", file=sys.stderr)
        return 2
    found = problems(rows, spec)
    for p in found:
        print(f"check_rows: {argv[1]}: {p}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
