#!/usr/bin/env python3
"""mpi_scaling.py - a cost model of the `allreduce` workload across hosts,
fitted to measured mpi rows, checked against them, and projected.

    ptb/mpi_scaling.py CSV... [--json OUT.json] [--plot OUT] [--csv-out ALL.csv]

Reads the mpi model's allreduce rows (ok=1) of the CSVs: R ranks (a power
of two; 4 here) on 1, 2 and 4 hosts, at several --steps (compute per
exchange) and --payload (bytes per exchange).  The time of an exchange is
the row's round_median_ns note (rank 0's median round: other work on the
machine disturbs some rounds, and the mean, much more than the median)
where the row has it, else ns_per_op; the median over repetitions.  What is measured: the
"hosts" are network namespaces on one machine, so the R ranks share its
cores whatever the host count; Open MPI runs a recursive-doubling
all-reduce (bench/mpi/launch.c forces it): log2(R) rounds, in round k each
rank swaps its whole payload with rank XOR 2^k; ranks are dealt round
robin over the H hosts, so a round's partners share a host when 2^k is a
multiple of H.  Each round takes the path its partners are on:

    shm    one host: Open MPI's shared memory (vader)
    local  partners in one namespace host of several: TCP inside the host
    net    partners on two hosts: TCP over the veth link (tc tbf rate);
           each of a host's R/H ranks sends through the host's one link

and the time of one exchange (ns_per_op: compute + all-reduce) is

    t(H, s, m) = c*s + sum over rounds of (alpha_path + beta_path * bytes)
    bytes = m on shm and local rounds, (R/H)*m through a link on net rounds

    c      ns per loop step of one exchange: all ranks' compute on the
           shared cores, slowed by the waiting ranks' polling (one value
           for every host count)
    alpha  Hockney's latency of one round on the path (it holds the wake-up
           of a partner that shares a core, so it is larger than a link's)
    beta   Hockney's ns per byte on the path (1 / bandwidth; for net also
           the CPU's TCP cost, as the cores are shared)

fitted with scipy.optimize.least_squares (parameters >= 0, residuals
relative to each measured median, plain squares: a robust loss let the fit
drop the points that pin the latency between hosts) to every (H, s, m)
median at once: the check below is in-sample.  The check: speed-up against 1 host, S(H) = t(1)/t(H),
measured and predicted for each (s, m) at the largest host count; the
worst relative difference must be within 20%.  Out of sample (when three
or more --steps values were measured): the model refitted without each
middle --steps value predicts it (reported, not required).

Projection (not measured: real hosts, one rank per host with its own
cores, no core shared): a job of fixed compute W per exchange on one core,
    T(1) = W,   T(H) = W/H + log2(H) * (alpha_net + beta_net*m)
speed-up S(H) = T(1)/T(H) up to 64 hosts for two networks:
    LAN-like  alpha_net as fitted here (measured with ranks sharing cores:
              pessimistic) and beta_net, but never faster than the link's
              --net-rate: tbf's bucket (10 ms at the rate) lets a round's
              few KiB through at once, so the fitted beta can be the TCP
              path's CPU cost alone, which a sustained job would not get
    WAN-like  alpha_net + 10 ms one way and beta of a 100 Mbit/s link:
              assumed, since this kernel has no netem to add latency.
The condition of the distribution row: parallel efficiency S(H)/H >= 50%
holds while a worker computes at least as long as the exchange takes,
W/H >= log2(H) * (alpha_net + beta_net*m).

Output: the JSON summary (fit, check, projection, condition), gnuplot data
files and, with --plot, the chart (ptb/plot/mpi_scaling.gp) as OUT.png and
OUT.svg, its footer naming the runs drawn and their dates (from the CSVs'
metas).  The committed chart is drawn from results/table.csv (`make
plot-scaling`): the rows of make table's mpi-allreduce-h1/h2/h4, which
ptb/table/scaling.py fits for the distribution row, so that the chart's
figures are the table's.  Exit status 2 when the rows cannot be fitted (one
line): fewer than two host counts, ranks not a power of two, or fewer
points than parameters.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

from ptb import csvio, paths

TOLERANCE = 0.20            # the agreement required at the largest host count
EFFICIENCY = 0.5            # "scales": parallel efficiency at least this
PROJECT_HOSTS = (1, 2, 4, 8, 16, 32, 64)
WAN_EXTRA_LATENCY_NS = 10e6     # assumed one-way WAN latency (no netem here)
WAN_RATE_BITS = 100e6           # assumed WAN bandwidth
PROJECT_COMPUTE_NS = (1e5, 1e6, 1e7, 1e9)     # job compute per exchange on one core
PATHS = ("shm", "local", "net")
PARAMS = ("c_ns_per_step",) + tuple(f"{p}_{q}" for p in PATHS for q in ("alpha_ns", "beta_ns_per_byte"))


class FitError(Exception):
    """The rows cannot be fitted (one line, exit 2)."""


def kv(text):
    return dict(csvio.split_params(text or ""))


def points(rows):
    """{(hosts, steps, payload): [ns per exchange...]} of ok allreduce mpi rows,
    and the distinct (ranks, net-rate) seen."""
    out, ranks, rates = {}, set(), set()
    for r in rows:
        if r.get("workload") != "allreduce" or r.get("model") != "mpi" or r.get("ok") != "1":
            continue
        p, n = csvio.params_of(r), kv(r.get("notes"))
        hosts = int(n.get("hosts") or p.get("hosts") or 1)
        key = (hosts, int(p["steps"]), int(p["payload"]))
        out.setdefault(key, []).append(float(n.get("round_median_ns") or r["ns_per_op"]))
        ranks.add(int(r["workers"]))
        if hosts > 1:
            rates.add(int(p.get("net-rate", 0)))
    return out, ranks, rates


def rounds(ranks, hosts):
    """[(path, bytes per payload byte)] of a recursive-doubling all-reduce of
    `ranks` ranks dealt round robin over `hosts` hosts."""
    out, d = [], 1
    while d < ranks:
        if hosts == 1:
            out.append(("shm", 1.0))
        elif d % hosts == 0:
            out.append(("local", 1.0))
        else:
            out.append(("net", ranks / hosts))
        d *= 2
    return out


def design(ranks, hosts, steps, payload):
    row = {k: 0.0 for k in PARAMS}
    row["c_ns_per_step"] = float(steps)
    for path, per_byte in rounds(ranks, hosts):
        row[f"{path}_alpha_ns"] += 1.0
        row[f"{path}_beta_ns_per_byte"] += per_byte * payload
    return [row[k] for k in PARAMS]


def predict(p, ranks, hosts, steps, payload):
    return sum(a * b for a, b in zip(design(ranks, hosts, steps, payload), p))


def fit(medians, ranks):
    """least_squares on relative residuals, parameters >= 0; the parameters
    (a path never taken: 0) and the standard errors of the net path's."""
    import numpy as np
    from scipy.optimize import least_squares
    keys = sorted(medians)
    A = np.array([design(ranks, *k) for k in keys])
    t = np.array([medians[k] for k in keys])
    used = np.flatnonzero(np.abs(A).sum(axis=0) > 0)
    if len({k[0] for k in keys}) < 2 or len(keys) < len(used):
        raise FitError(f"{len(keys)} (hosts, steps, payload) points on {len({k[0] for k in keys})} "
                       f"host count(s): need at least {len(used)} points on 2 or more host counts")
    M = A[:, used] / t[:, None]           # rows relative to the measured median
    scale = np.maximum(np.abs(M).max(axis=0), 1e-300)
    res = least_squares(lambda x: (M / scale) @ x - 1.0, np.full(len(used), 0.1),
                        bounds=(0, np.inf))
    p = np.zeros(len(PARAMS))
    p[used] = res.x / scale
    err = {}
    dof = len(keys) - len(used)
    if dof > 0:
        J = res.jac
        cov = np.linalg.pinv(J.T @ J) * float(np.sum(res.fun ** 2)) / dof
        for j, k in enumerate(used):
            err[PARAMS[k]] = float(math.sqrt(max(cov[j, j], 0.0)) / scale[j])
    return [float(v) for v in p], err


def speedups(medians, p, ranks, hosts, only_steps=None):
    """Per (steps, payload) measured at `hosts` and 1: measured and predicted S."""
    out = []
    for (h, s, m), t in sorted(medians.items()):
        if h != hosts or (1, s, m) not in medians or (only_steps is not None and s not in only_steps):
            continue
        meas = medians[(1, s, m)] / t
        pred = predict(p, ranks, 1, s, m) / predict(p, ranks, hosts, s, m)
        out.append({"steps": s, "payload": m, "measured": meas, "predicted": pred,
                    "rel_diff": (pred - meas) / meas, "t1_ns": medians[(1, s, m)], "th_ns": t,
                    "t1_pred_ns": predict(p, ranks, 1, s, m), "th_pred_ns": predict(p, ranks, hosts, s, m)})
    return out


def held_out(medians, ranks, top):
    """Refit without each middle --steps value; its speed-ups at `top` predicted."""
    steps = sorted({k[1] for k in medians})
    out = []
    for s in steps[1:-1]:
        rest = {k: v for k, v in medians.items() if k[1] != s}
        try:
            q, _ = fit(rest, ranks)
        except FitError:
            continue
        out += speedups(medians, q, ranks, top, only_steps={s})
    if not out:
        return None
    return {"held_out_steps": steps[1:-1], "check": out,
            "worst_rel_diff": max(abs(c["rel_diff"]) for c in out)}


def exchange_ns(alpha, beta, hosts, payload):
    """One rank per host: log2(H) rounds over the network."""
    return math.log2(hosts) * (alpha + beta * payload) if hosts > 1 else 0.0


def networks(fitd, lan_rate_bits):
    """(name, alpha, beta) of the LAN-like (fitted) and WAN-like (assumed) networks."""
    alpha, beta = fitd["net_alpha_ns"], fitd["net_beta_ns_per_byte"]
    wire_lan = 8e9 / lan_rate_bits if lan_rate_bits else 0.0
    overhead = max(beta - wire_lan, 0.0)
    return [("LAN-like", alpha, max(beta, wire_lan)),
            ("WAN-like", alpha + WAN_EXTRA_LATENCY_NS, overhead + 8e9 / WAN_RATE_BITS)]


def project(fitd, lan_rate_bits, payload):
    """Strong-scaling speed-up per network and job compute, up to 64 hosts."""
    out = []
    for name, alpha, beta in networks(fitd, lan_rate_bits):
        for w in PROJECT_COMPUTE_NS:
            t = [w / h + exchange_ns(alpha, beta, h, payload) for h in PROJECT_HOSTS]
            out.append({"network": name, "alpha_ns": alpha, "beta_ns_per_byte": beta,
                        "job_compute_ns": w, "payload": payload,
                        "speedup": {h: t[0] / th for h, th in zip(PROJECT_HOSTS, t)}})
    return out


def analyse(rows):
    """Everything the table and the chart need, from rows (dicts of the CSV)."""
    raw, ranks_seen, rates = points(rows)
    if not raw:
        raise FitError("no allreduce rows of the mpi model with ok=1")
    if len(ranks_seen) != 1:
        raise FitError(f"rows of {sorted(ranks_seen)} ranks: the model needs one rank count")
    ranks = ranks_seen.pop()
    if ranks < 2 or ranks & (ranks - 1):
        raise FitError(f"{ranks} ranks: the model needs a power of two (recursive doubling)")
    medians = {k: statistics.median(v) for k, v in raw.items()}
    p, err = fit(medians, ranks)
    fitd = dict(zip(PARAMS, p))
    top = max(h for h, _, _ in medians)
    check = speedups(medians, p, ranks, top)
    worst = max((abs(c["rel_diff"]) for c in check), default=None)
    rate = max(rates) if rates else 0
    payloads = sorted({m for _, _, m in medians})
    conds = {name: {str(m): {str(h): exchange_ns(alpha, beta, h, m) for h in (2, 4, 64)}
                    for m in payloads}
             for name, alpha, beta in networks(fitd, rate)}
    return {"ranks": [ranks], "net_rate_bits": sorted(rates), "hosts": sorted({k[0] for k in medians}),
            "points": [{"hosts": h, "steps": s, "payload": m, "median_ns": t, "reps": len(raw[(h, s, m)]),
                        "predicted_ns": predict(p, ranks, h, s, m)}
                       for (h, s, m), t in sorted(medians.items())],
            "fit": fitd, "fit_stderr": err,
            "alpha_ns": fitd["net_alpha_ns"], "beta_ns_per_byte": fitd["net_beta_ns_per_byte"],
            "bandwidth_bits_per_s": 8e9 / fitd["net_beta_ns_per_byte"] if fitd["net_beta_ns_per_byte"] > 0 else None,
            "check": {"hosts": top, "tolerance": TOLERANCE, "in_sample": True, "speedups": check,
                      "worst_rel_diff": worst, "within": worst is not None and worst <= TOLERANCE},
            "check_held_out": held_out(medians, ranks, top),
            "projection": {"ranks_per_host": 1,
                           "wan_assumed": {"extra_latency_ns": WAN_EXTRA_LATENCY_NS,
                                           "rate_bits": WAN_RATE_BITS},
                           "curves": [c for m in payloads for c in project(fitd, rate, m)]},
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


def fmt_path(f, path, err=None):
    e = err or {}
    a, b = f[f"{path}_alpha_ns"], f[f"{path}_beta_ns_per_byte"]
    ea, eb = e.get(f"{path}_alpha_ns"), e.get(f"{path}_beta_ns_per_byte")
    return (f"{fmt_ns(a)}" + (f" ± {fmt_ns(ea)}" if ea else "") + f" + {b:.3g}"
            + (f" ± {eb:.2g}" if eb else "") + " ns/byte")


def summary_lines(a):
    """A few lines for people (the table's C10 lines, the report)."""
    f, err = a["fit"], a.get("fit_stderr", {})
    bw = a["bandwidth_bits_per_s"]
    links = ", ".join(f"{r / 1e6:g} Mbit/s" for r in a["net_rate_bits"] if r) or "no limit"
    lines = [f"model fit over {len(a['points'])} medians ({a['ranks'][0]} ranks sharing this machine's "
             f"cores on {a['hosts']} namespace hosts, links limited to {links}; recursive doubling, "
             f"per round latency + ns/byte): between hosts {fmt_path(f, 'net', err)}"
             + (f" ({bw / 1e6:.3g} Mbit/s)" if bw else " (no bandwidth term)")
             + f"; shared memory {fmt_path(f, 'shm')}; TCP inside a host {fmt_path(f, 'local')}; "
             f"compute {f['c_ns_per_step']:.3g} ns/step per exchange"]
    c = a["check"]
    for s in c["speedups"]:
        lines.append(f"{c['hosts']} hosts vs 1, steps={s['steps']:g} payload={fmt_bytes(s['payload'])}: "
                     f"measured {s['measured']:.3g}×, predicted {s['predicted']:.3g}× "
                     f"({100 * s['rel_diff']:+.1f}%)")
    if c["worst_rel_diff"] is not None:
        lines.append(f"worst disagreement at {c['hosts']} hosts (in sample: every median is fitted): "
                     f"{100 * c['worst_rel_diff']:.1f}% "
                     f"({'within' if c['within'] else 'OUTSIDE'} the {100 * TOLERANCE:.0f}% required)")
    h = a.get("check_held_out")
    if h:
        lines.append(f"out of sample: refitted without steps={', '.join(f'{x:g}' for x in h['held_out_steps'])}, "
                     f"the model predicts their speed-up at {c['hosts']} hosts within "
                     f"{100 * h['worst_rel_diff']:.1f}%")
    return lines


# ---- the chart ---------------------------------------------------------------

def write_dat(a, d):
    """measured.dat, predicted_here.dat, projection.dat (gnuplot blocks)."""
    conds = sorted({(p["steps"], p["payload"]) for p in a["points"]})
    for name, key in (("measured.dat", "median_ns"), ("predicted_here.dat", "predicted_ns")):
        with open(os.path.join(d, name), "w") as f:
            for s in conds:
                t = {p["hosts"]: p[key] for p in a["points"] if (p["steps"], p["payload"]) == s}
                f.write(f'"{"" if key == "median_ns" else "model, "}steps={s[0]:g}, {fmt_bytes(s[1])}"\n')
                for h in sorted(t):
                    if 1 in t:
                        f.write(f"{h} {t[1] / t[h]:.6g}\n")
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


def footer(paths_, rows):
    """'data: table.csv, runs A, B, C, make table of DATE' (one CSV) or
    'data: 15 CSVs, 15 runs A … B, FIRST–LAST UTC': the allreduce runs
    drawn, as their metas record them."""
    from ptb.plot import csvkeys
    drawn = [r for r in rows if r.get("workload") == "allreduce"]
    if len(paths_) == 1:
        return csvkeys.footer_line(paths_[0], csvio.load_meta(paths_[0]), drawn)
    metas = [csvio.load_meta(p) for p in paths_]
    start = min((m.get("started") or "" for m in metas), default="")
    end = max((m.get("finished") or "" for m in metas), default="")
    when = csvkeys.when_line({"started": start, "finished": end}) if start else "no meta sidecars"
    return f"data: {len(paths_)} CSVs, {csvkeys.run_list(r.get('run_id') for r in drawn)}, {when}"


def plot(a, out, foot=""):
    with tempfile.TemporaryDirectory(prefix="ptb-scaling-") as d:
        write_dat(a, d)
        c = a["check"]
        bw = a["bandwidth_bits_per_s"]
        head = (f"between hosts per round: latency {fmt_ns(a['alpha_ns'])}, {a['beta_ns_per_byte']:.3g} ns/B"
                + (f" ({bw / 1e6:.3g} Mbit/s)" if bw else "")
                + (f"; at {c['hosts']} hosts model and measurement differ by up to "
                   f"{100 * c['worst_rel_diff']:.0f}% (in sample; required: {100 * TOLERANCE:.0f}%)"
                   if c["worst_rel_diff"] is not None else ""))
        ncurves = 2 * len(PROJECT_COMPUTE_NS)
        nmeas = len({(p["steps"], p["payload"]) for p in a["points"]})
        cmd = ["gnuplot", "-e",
               f"dir='{d}'; out='{out}'; head='{head}'; nmeas={nmeas}; ncurves={ncurves}; "
               f"ncomp={len(PROJECT_COMPUTE_NS)}; ranks={a['ranks'][0]}; "
               f"pay='{fmt_bytes(min(c['payload'] for c in a['projection']['curves']))}'; "
               f"foot='{foot}'",
               os.path.join(paths.PLOT, "mpi_scaling.gp")]
        subprocess.run(cmd, check=True)


def read_rows(paths):
    rows = []
    for path in paths:
        rows += csvio.load_rows(path, need=csvio.KEY_COLUMNS + ("notes",))
    return rows


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--json")
    ap.add_argument("--plot", help="chart path without extension (.png and .svg written)")
    ap.add_argument("--csv-out", help="every row read, in one CSV (the runs' metas go into the JSON)")
    args = ap.parse_args(argv)
    csvio.need_scipy("mpi_scaling.py")
    try:
        a = analyse(read_rows(args.csv))
    except (csvio.BadInput, KeyError, ValueError, FitError) as e:
        csvio.fail("mpi_scaling.py", str(e))
    a["runs"] = [{"csv": os.path.basename(p)} | {k: m.get(k) for k in ("run_id", "started", "loadavg", "command_line")}
                 for p in args.csv for m in [csvio.load_meta(p)]]
    for line in summary_lines(a):
        print(line)
    if args.csv_out:
        rows = read_rows(args.csv)
        csvio.write(args.csv_out + ".tmp", list(rows[0].keys()), rows)
        os.replace(args.csv_out + ".tmp", args.csv_out)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(a, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(args.json + ".tmp", args.json)
    if args.plot:
        plot(a, args.plot, footer(args.csv, read_rows(args.csv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
