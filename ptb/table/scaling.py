"""scaling.py - the condition of the distribution row (C10): how much
a worker must compute per exchange for processes to scale across hosts on
the measured network, from the allreduce measures of `make table`
(mpi-allreduce-h1/h2/h4) through the cost model of ptb/mpi_scaling.py
(per path Hockney latency and bandwidth, recursive-doubling rounds).

    found_of(rows_by_measure)  -> {"mpi-scaling": analysis or {"error": why}}
    cell(found)                -> the row's process-cell text, or None
    condition(found)           -> the sentence appended to the verdict, or ""
    lines(found)               -> the claim's detail lines
"""
from ptb import mpi_scaling as ms

PREFIX = "mpi-allreduce-h"
HEADLINE_HOSTS = "64"       # the condition is stated for this many hosts (predicted)


def found_of(rows_by_measure):
    rows = [r for mid, rs in rows_by_measure.items() if mid.startswith(PREFIX) for r in rs]
    if not rows:
        return {}
    try:
        return {"mpi-scaling": ms.analyse(rows)}
    except (ms.FitError, KeyError, ValueError) as e:
        return {"mpi-scaling": {"error": str(e)}}


def _smallest_payload(a):
    return min(int(m) for m in a["condition_ns"]["LAN-like"])


def condition(found):
    a = found.get("mpi-scaling")
    if not a or "error" in a:
        return ""
    m = _smallest_payload(a)
    lan = a["condition_ns"]["LAN-like"][str(m)]
    wan = a["condition_ns"]["WAN-like"][str(m)]
    c = a["check"]
    agree = (f"; at {c['hosts']} hosts the model's speed-up and the measured one differ by up to "
             f"{100 * c['worst_rel_diff']:.0f}%"
             + (" (within the 20% required)" if c["within"]
                else " (more than the 20% allowed: the condition is uncertain on this run)")
             if c["worst_rel_diff"] is not None else "")
    return (f"; condition: processes scale across hosts (parallel efficiency ≥ 50%) while a worker "
            f"computes at least as long as an exchange takes: {ms.fmt_ns(lan[HEADLINE_HOSTS])} per "
            f"exchange of {ms.fmt_bytes(m)} at {HEADLINE_HOSTS} hosts on this network "
            f"({ms.fmt_ns(lan['4'])} at 4; {ms.fmt_ns(wan[HEADLINE_HOSTS])} on a WAN-like one), "
            f"predicted for real hosts with one rank each on its own cores{agree}")


def cell(found):
    a = found.get("mpi-scaling")
    if not a:
        return None
    if "error" in a:
        return f"allreduce across hosts: not fitted ({a['error']})"
    c = a["check"]
    meas = "; ".join(f"steps={s['steps']:g} {ms.fmt_bytes(s['payload'])}: measured "
                     f"{s['measured']:.2f}×, predicted {s['predicted']:.2f}×" for s in c["speedups"])
    bw = a["bandwidth_bits_per_s"]
    return (f"allreduce, {a['ranks'][0] if a['ranks'] else '?'} ranks, {c['hosts']} hosts vs 1 "
            f"(links {', '.join(f'{r / 1e6:g} Mbit/s' for r in a['net_rate_bits'] if r) or 'unlimited'}): "
            f"{meas}<br>model fit (in sample), between hosts per round: latency {ms.fmt_ns(a['alpha_ns'])}, "
            f"{a['beta_ns_per_byte']:.3g} ns/byte" + (f" ({bw / 1e6:.3g} Mbit/s)" if bw else ""))


def lines(found):
    a = found.get("mpi-scaling")
    if not a:
        return []
    if "error" in a:
        return [f"allreduce across hosts: the Hockney model could not be fitted: {a['error']}"]
    return ms.summary_lines(a) + ["chart: results/plots/mpi-scaling.png (make bench-scaling)"]
