#!/usr/bin/env python3
"""mpi_scaling.py - a Hockney cost model of the `allreduce` workload across
hosts, fitted to measured mpi rows, checked against them, and projected.

    scripts/mpi_scaling.py CSV... [--json OUT.json] [--plot OUT] [--csv-out ALL.csv]

Reads the mpi model's allreduce rows (ok=1) of the CSVs: 4 ranks (or any
fixed count) on 1, 2 and 4 hosts, at several --steps (compute per
exchange) and --payload (bytes per exchange).  The time of one exchange
round (ns_per_op: compute + all-reduce) is modelled as

    t(H, s, m) = g*s + a1 + b1*m + L(H) * (alpha + beta*m),   L(H) = log2(H)

    g      ns per loop step of one round (all ranks' compute on the cores
           they share: on one machine every namespace host shares them)
    a1,b1  the exchange among ranks of one host (shared memory on 1 host,
           loopback TCP inside a host beyond it)
    alpha  Hockney's latency of one message across a link
    beta   Hockney's ns per byte across a link (1 / bandwidth)
    L(H)   inter-host rounds of a recursive-doubling all-reduce with the
           ranks dealt round robin over H hosts (1 at 2 hosts, 2 at 4)

fitted by non-negative least squares on relative errors (scipy.optimize.nnls
on rows divided by the measured median) to every (H, s, m) median at once.
The check: speed-up against 1 host, S(H) = t(1)/t(H), measured and
predicted for each (s, m) at the largest host count measured; the worst
relative difference must be within 20%.  A stricter check refits without
the largest host count and predicts it (reported, not required).

Projection (not measured: this machine has 2 cores for every host): a job
of fixed total compute, each host bringing C cores (C ranks, one a core),
    T(H) = W/(C*H) + a1 + b1*m + log2(H) * (alpha + beta*m)
where W is the job's compute per exchange on one core; speed-up
S(H) = T(1)/T(H) up to 64 hosts for two networks:
    LAN-like  alpha and beta as fitted here (links limited by --net-rate)
    WAN-like  alpha + 10 ms one way and beta of a 100 Mbit/s link: assumed,
              since this kernel has no netem to add latency (stated so).
The condition of the distribution row: parallel efficiency S(H)/H >= 50%
needs a worker to compute at least X(H) = c(H) - 2*c(1)/H per exchange,
c(H) = a1 + b1*m + log2(H)*(alpha + beta*m) (from T(1) <= H*T(H)/2... solved
for the per-worker compute W/(C*H)).

Output: the JSON summary (fit, check, projection, condition), gnuplot data
files and, with --plot, the chart (scripts/plot/mpi_scaling.gp) as
OUT.png and OUT.svg.  Exit status 2 when the rows cannot be fitted (fewer
than two host counts, or fewer points than parameters), with one line.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

import ptbcsv

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 0.20            # the agreement required at the largest host count
EFFICIENCY = 0.5            # "scales": parallel efficiency at least this
PROJECT_HOSTS = (1, 2, 4, 8, 16, 32, 64)
CORES_PER_HOST = 2          # the projection's hosts: like this machine
WAN_EXTRA_LATENCY_NS = 10e6     # assumed one-way WAN latency (no netem here)
WAN_RATE_BITS = 100e6           # assumed WAN bandwidth
PROJECT_COMPUTE_NS = (1e5, 1e6, 1e7, 1e9)     # job compute per exchange on one core
PARAMS = ("g_ns_per_step", "a1_ns", "b1_ns_per_byte", "alpha_ns", "beta_ns_per_byte")


class FitError(Exception):
    """The rows cannot be fitted (one line, exit 2)."""


def kv(text):
    return dict(ptbcsv.split_params(text or ""))


def hops(hosts):
    return math.log2(hosts) if hosts > 1 else 0.0


def points(rows):
    """{(hosts, steps, payload): [ns per exchange...]} of ok allreduce mpi rows,
    and the distinct (ranks, net-rate) seen."""
    out, ranks, rates = {}, set(), set()
    for r in rows:
        if r.get("workload") != "allreduce" or r.get("model") != "mpi" or r.get("ok") != "1":
            continue
        p, n = ptbcsv.params_of(r), kv(r.get("notes"))
        hosts = int(n.get("hosts") or p.get("hosts") or 1)
        key = (hosts, int(p["steps"]), int(p["payload"]))
        out.setdefault(key, []).append(float(r["ns_per_op"]))
        ranks.add(int(r["workers"]))
        if hosts > 1:
            rates.add(int(p.get("net-rate", 0)))
    return out, ranks, rates


def design(hosts, steps, payload):
    L = hops(hosts)
    return [float(steps), 1.0, float(payload), L, L * payload]


def predict(p, hosts, steps, payload):
    return sum(a * b for a, b in zip(design(hosts, steps, payload), p))


def fit(medians):
    """Non-negative least squares on relative errors; the parameters."""
    import numpy as np
    from scipy.optimize import nnls
    keys = sorted(medians)
    if len({k[0] for k in keys}) < 2 or len(keys) < len(PARAMS):
        raise FitError(f"{len(keys)} (hosts, steps, payload) points on "
                       f"{len({k[0] for k in keys})} host count(s): need at least "
                       f"{len(PARAMS)} points on 2 or more host counts")
    A = np.array([[x / medians[k] for x in design(*k)] for k in keys])
    b = np.ones(len(keys))
    # columns in their own units differ by 1e6: scale them for the solver
    scale = np.maximum(np.abs(A).max(axis=0), 1e-300)
    x, _ = nnls(A / scale, b)
    return [float(v) for v in x / scale]


def speedups(medians, p, hosts):
    """Per (steps, payload) measured at `hosts` and 1: measured and predicted S."""
    out = []
    for (h, s, m), t in sorted(medians.items()):
        if h != hosts or (1, s, m) not in medians:
            continue
        meas = medians[(1, s, m)] / t
        pred = predict(p, 1, s, m) / predict(p, hosts, s, m)
        out.append({"steps": s, "payload": m, "measured": meas, "predicted": pred,
                    "rel_diff": (pred - meas) / meas, "t1_ns": medians[(1, s, m)], "th_ns": t})
    return out


def comm_ns(p, hosts, payload, alpha=None, beta=None):
    alpha = p[3] if alpha is None else alpha
    beta = p[4] if beta is None else beta
    return p[1] + p[2] * payload + hops(hosts) * (alpha + beta * payload)


def networks(p, lan_rate_bits):
    """(name, alpha, beta) of the LAN-like (fitted) and WAN-like (assumed) networks."""
    wire_lan = 8e9 / lan_rate_bits if lan_rate_bits else 0.0
    overhead = max(p[4] - wire_lan, 0.0)
    return [("LAN-like", p[3], p[4]),
            ("WAN-like", p[3] + WAN_EXTRA_LATENCY_NS, overhead + 8e9 / WAN_RATE_BITS)]


def project(p, lan_rate_bits, payload):
    """Strong-scaling speed-up per network and job compute, up to 64 hosts."""
    out = []
    for name, alpha, beta in networks(p, lan_rate_bits):
        for w in PROJECT_COMPUTE_NS:
            t = [w / (CORES_PER_HOST * h) + comm_ns(p, h, payload, alpha, beta)
                 for h in PROJECT_HOSTS]
            out.append({"network": name, "alpha_ns": alpha, "beta_ns_per_byte": beta,
                        "job_compute_ns": w, "payload": payload,
                        "speedup": {h: t[0] / th for h, th in zip(PROJECT_HOSTS, t)}})
    return out


def condition(p, hosts, payload, alpha=None, beta=None):
    """Per-worker compute per exchange (ns) for efficiency >= 50% at `hosts`."""
    return max(comm_ns(p, hosts, payload, alpha, beta) - 2 * comm_ns(p, 1, payload) / hosts, 0.0)


def analyse(rows):
    """Everything the table and the chart need, from rows (dicts of the CSV)."""
    raw, ranks, rates = points(rows)
    if not raw:
        raise FitError("no allreduce rows of the mpi model with ok=1")
    medians = {k: statistics.median(v) for k, v in raw.items()}
    p = fit(medians)
    top = max(h for h, _, _ in medians)
    check = speedups(medians, p, top)
    worst = max((abs(c["rel_diff"]) for c in check), default=None)
    strict = None
    rest = {k: v for k, v in medians.items() if k[0] != top}
    if len({k[0] for k in rest}) >= 2 and len(rest) >= len(PARAMS):
        q = fit(rest)
        sc = speedups(medians, q, top)
        strict = {"fitted_on_hosts": sorted({k[0] for k in rest}), "check": sc,
                  "worst_rel_diff": max(abs(c["rel_diff"]) for c in sc) if sc else None}
    rate = max(rates) if rates else 0
    payloads = sorted({m for _, _, m in medians})
    conds = {}
    for name, alpha, beta in networks(p, rate):
        conds[name] = {str(m): {str(h): condition(p, h, m, alpha, beta) for h in (2, 4, 64)}
                       for m in payloads}
    return {"ranks": sorted(ranks), "net_rate_bits": sorted(rates), "hosts": sorted({k[0] for k in medians}),
            "points": [{"hosts": h, "steps": s, "payload": m, "median_ns": t, "reps": len(raw[(h, s, m)])}
                       for (h, s, m), t in sorted(medians.items())],
            "fit": dict(zip(PARAMS, p)),
            "bandwidth_bits_per_s": 8e9 / p[4] if p[4] > 0 else None,
            "check": {"hosts": top, "tolerance": TOLERANCE, "speedups": check, "worst_rel_diff": worst,
                      "within": worst is not None and worst <= TOLERANCE},
            "check_held_out": strict,
            "projection": {"cores_per_host": CORES_PER_HOST,
                           "wan_assumed": {"extra_latency_ns": WAN_EXTRA_LATENCY_NS,
                                           "rate_bits": WAN_RATE_BITS},
                           "curves": [c for m in payloads for c in project(p, rate, m)]},
            "condition_ns": conds}


def fmt_ns(ns):
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_bytes(b):
    for unit, div in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= div:
            return f"{b / div:.3g} {unit}"
    return f"{b} B"


def summary_lines(a):
    """A few lines for people (the table's C10 lines, the report)."""
    f = a["fit"]
    bw = a["bandwidth_bits_per_s"]
    links = ", ".join(f"{r / 1e6:g} Mbit/s" for r in a["net_rate_bits"] if r) or "no limit"
    lines = [f"Hockney fit over {len(a['points'])} medians ({a['ranks']} ranks on {a['hosts']} hosts, "
             f"links limited to {links}): latency alpha {fmt_ns(f['alpha_ns'])}, "
             f"beta {f['beta_ns_per_byte']:.3g} ns/byte"
             + (f" ({bw / 1e6:.3g} Mbit/s)" if bw else " (no bandwidth term)")
             + f"; compute {f['g_ns_per_step']:.3g} ns/step per round; within a host "
             f"{fmt_ns(f['a1_ns'])} + {f['b1_ns_per_byte']:.3g} ns/byte"]
    c = a["check"]
    for s in c["speedups"]:
        lines.append(f"{c['hosts']} hosts vs 1, steps={s['steps']} payload={fmt_bytes(s['payload'])}: "
                     f"measured {s['measured']:.3g}×, predicted {s['predicted']:.3g}× "
                     f"({100 * s['rel_diff']:+.1f}%)")
    if c["worst_rel_diff"] is not None:
        lines.append(f"worst disagreement at {c['hosts']} hosts: {100 * c['worst_rel_diff']:.1f}% "
                     f"({'within' if c['within'] else 'OUTSIDE'} the {100 * TOLERANCE:.0f}% required)")
    h = a.get("check_held_out")
    if h and h["worst_rel_diff"] is not None:
        lines.append(f"fitted on {h['fitted_on_hosts']} hosts only, the prediction at {c['hosts']} "
                     f"misses by at most {100 * h['worst_rel_diff']:.1f}%")
    return lines


# ---- the chart ---------------------------------------------------------------

def write_dat(a, d):
    """measured.dat, predicted_here.dat, projection.dat (gnuplot blocks)."""
    with open(os.path.join(d, "measured.dat"), "w") as f:
        for s in sorted({(p["steps"], p["payload"]) for p in a["points"]}):
            meds = {p["hosts"]: p["median_ns"] for p in a["points"] if (p["steps"], p["payload"]) == s}
            if 1 not in meds:
                continue
            f.write(f'"steps={s[0]:g}, {fmt_bytes(s[1])}"\n')
            for h in sorted(meds):
                f.write(f"{h} {meds[1] / meds[h]:.6g}\n")
            f.write("\n\n")
    p = [a["fit"][k] for k in PARAMS]
    with open(os.path.join(d, "predicted_here.dat"), "w") as f:
        for s in sorted({(q["steps"], q["payload"]) for q in a["points"]}):
            f.write(f'"model, steps={s[0]:g}, {fmt_bytes(s[1])}"\n')
            for i in range(0, 41):
                h = 1 + 3 * i / 40
                f.write(f"{h:.3f} {predict(p, 1, *s) / predict(p, h, *s):.6g}\n")
            f.write("\n\n")
    smallest = min(c["payload"] for c in a["projection"]["curves"])
    with open(os.path.join(d, "projection.dat"), "w") as f:
        for c in a["projection"]["curves"]:
            if c["payload"] != smallest:
                continue
            f.write(f'"{c["network"]}, {fmt_bytes(c["payload"])}, job {fmt_ns(c["job_compute_ns"])}/exchange"\n')
            for h, s in c["speedup"].items():
                f.write(f"{h} {s:.6g}\n")
            f.write("\n\n")


def plot(a, out):
    with tempfile.TemporaryDirectory(prefix="ptb-scaling-") as d:
        write_dat(a, d)
        f = a["fit"]
        c = a["check"]
        head = (f"alpha {fmt_ns(f['alpha_ns'])}, beta {f['beta_ns_per_byte']:.3g} ns/B"
                + (f" ({a['bandwidth_bits_per_s'] / 1e6:.3g} Mbit/s)" if a["bandwidth_bits_per_s"] else "")
                + (f"; at {c['hosts']} hosts model and measurement differ by up to "
                   f"{100 * c['worst_rel_diff']:.0f}% (required: {100 * TOLERANCE:.0f}%)"
                   if c["worst_rel_diff"] is not None else ""))
        ncurves = 2 * len(PROJECT_COMPUTE_NS)
        nmeas = len({(p["steps"], p["payload"]) for p in a["points"]})
        cmd = ["gnuplot", "-e",
               f"dir='{d}'; out='{out}'; head='{head}'; nmeas={nmeas}; ncurves={ncurves}; "
               f"ncomp={len(PROJECT_COMPUTE_NS)}; "
               f"pay='{fmt_bytes(min(c['payload'] for c in a['projection']['curves']))}'",
               os.path.join(HERE, "plot", "mpi_scaling.gp")]
        subprocess.run(cmd, check=True)


def read_rows(paths):
    rows = []
    for path in paths:
        rows += ptbcsv.load_rows(path, need=ptbcsv.KEY_COLUMNS + ("notes",))
    return rows


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--json")
    ap.add_argument("--plot", help="chart path without extension (.png and .svg written)")
    ap.add_argument("--csv-out", help="every row read, in one CSV (the runs' metas go into the JSON)")
    args = ap.parse_args(argv)
    ptbcsv.need_scipy("mpi_scaling.py")
    try:
        a = analyse(read_rows(args.csv))
    except (ptbcsv.BadInput, KeyError, ValueError, FitError) as e:
        ptbcsv.fail("mpi_scaling.py", str(e))
    a["runs"] = [{"csv": os.path.basename(p)} | {k: m.get(k) for k in ("run_id", "started", "loadavg", "command_line")}
                 for p in args.csv for m in [ptbcsv.load_meta(p)]]
    for line in summary_lines(a):
        print(line)
    if args.csv_out:
        rows = read_rows(args.csv)
        ptbcsv.write(args.csv_out + ".tmp", list(rows[0].keys()), rows)
        os.replace(args.csv_out + ".tmp", args.csv_out)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(a, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(args.json + ".tmp", args.json)
    if args.plot:
        plot(a, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
