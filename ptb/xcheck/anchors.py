#!/usr/bin/env python3
"""anchors.py - the report of `make anchors` (scripts/anchors.sh):
from the samples it collected, one Markdown page.

Usage: python3 -m ptb.xcheck.anchors SAMPLES ROUNDS LOOPS COUNT LOAD_START LOAD_END
                                 OTHER_BUSY PY_LOOPS PY_COUNT [NOTE...]

OTHER_BUSY: how busy (percent) the CPUs other than CPU 0 were during the
rounds, from /proc/stat, or - on a machine with one CPU.  Every run of
make anchors is on CPU 0, so that is other work; above 25% the page says
the machine was busy.  (The load average counts anchors' own runs, about
one CPU's worth, so it decides only where OTHER_BUSY is -.)

SAMPLES holds "NAME NS" lines, one per run (NAME as anchors.sh records
it: ptbench-create/fork, ref-create/fork, ...).  Two tables:
  - fair pairs: ptbench against a program without a harness doing the same
    thing in the same conditions (neither holds a perf counter: ptbench's
    create and switch open none); ratio = ptbench / reference, flagged
    when outside 0.9..1.1 (the Python share channel: 0.85..1.15, a
    hand-over being a wake-up of the other worker, noisier than a loop);
  - the page faults per creation, ptbench's (minflt / ops) against the
    reference's (create_ref -f): other load hardly moves them, so they
    show whether both sides do the same work when the times are noisy;
  - the inherited counter's own cost: the reference holding an inherited
    perf counter (create_ref -P, perf stat) against the same reference
    bare.  That is why ptbench's create and switch hold none; it compares
    no ptbench figure and flags nothing.
A pair whose samples are missing is left out.  Bad input: one line on
stderr, exit 2.
"""
import os
import statistics
import sys

# the Python share channel's band: a hand-over wakes the other worker,
# noisier than a loop of the same call
SHARE_WITHIN = (0.85, 1.15)
# (what, unit, ptbench sample, reference sample, the reference's command[,
# its band of ratios; WITHIN when not given])
PAIRS = [("switch, pipe, one CPU", "per round trip", "ptbench-switch/thread", "perf-pipe/thread",
          "perf bench sched pipe -T"),
         ("switch, pipe, one CPU", "per round trip", "ptbench-switch/fork", "perf-pipe/fork",
          "perf bench sched pipe")]
PAIRS += [("create+join, parent 0 MiB, one CPU", "per creation", f"ptbench-create/{m}",
           f"ref-create/{m}", f"create_ref -m {m}" + (" -x ptbench-worker" if m == "spawn" else ""))
          for m in ("thread", "fork", "vfork", "spawn")]
PAIRS += [("Python create+join, one CPU", "per creation", "ptbench-pycreate/pythread",
           "pyref-create/thread", "py_ref.py create -m thread"),
          ("Python create+join, one CPU", "per creation", "ptbench-pycreate/pyproc",
           "pyref-create/process", "py_ref.py create -m process"),
          ("Python switch, multiprocessing.Pipe, one CPU", "per round trip", "ptbench-pyswitch/pythread",
           "pyref-switch/thread", "py_ref.py switch -m thread"),
          ("Python switch, multiprocessing.Pipe, one CPU", "per round trip", "ptbench-pyswitch/pyproc",
           "pyref-switch/process", "py_ref.py switch -m process"),
          ("Python share, queue.Queue of 64 KiB objects, one CPU", "per message",
           "ptbench-pyshare/pythread", "pyref-share/thread", "py_ref.py share -m thread", SHARE_WITHIN),
          ("Python share, multiprocessing.Queue of 64 KiB objects, one CPU", "per message",
           "ptbench-pyshare/pyproc", "pyref-share/process", "py_ref.py share -m process", SHARE_WITHIN)]
# (what, model, with the counter, bare, the command with the counter)
COUNTER = [("switch, pipe, one CPU", m, f"perf-pipe+counter/{m}", f"perf-pipe/{m}",
            "perf stat -e cpu-migrations -- perf bench sched pipe" + (" -T" if m == "thread" else ""))
           for m in ("thread", "fork")]
COUNTER += [("create+join, parent 0 MiB, one CPU", m, f"refP-create/{m}", f"ref-create/{m}",
             f"create_ref -m {m} -P") for m in ("thread", "fork", "vfork")]
WITHIN = (0.9, 1.1)


class BadInput(Exception):
    pass


def read_samples(path):
    data = {}
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                parts = line.split()
                if len(parts) != 2:
                    raise BadInput(f"{path}: line {n} is not 'NAME NS'")
                try:
                    data.setdefault(parts[0], []).append(float(parts[1]))
                except ValueError as e:
                    raise BadInput(f"{path}: line {n}: '{parts[1]}' is not a number") from e
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}") from e
    return data


def quantile(v, p):
    s = sorted(v)
    i = p * (len(s) - 1)
    lo = int(i)
    return s[lo] if lo + 1 >= len(s) else s[lo] + (i - lo) * (s[lo + 1] - s[lo])


def fmt(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def spread(v):
    return f"{fmt(statistics.median(v))} [{fmt(quantile(v, .25))} – {fmt(quantile(v, .75))}]"


def ratio(data, a, b):
    return statistics.median(data[a]) / statistics.median(data[b])


def fair_rows(data):
    """The fair pairs' table rows and the list of those outside their
    band (±10%, the share channel ±15%)."""
    rows, outside = [], []
    for what, unit, ours, theirs, label, *within in PAIRS:
        if ours not in data or theirs not in data:
            continue
        r = ratio(data, ours, theirs)
        lo, hi = within[0] if within else WITHIN
        ok = lo <= r <= hi
        model = ours.split("/")[1]
        rows.append(f"| {what} ({unit}) | {model} | {spread(data[ours])} | {spread(data[theirs])} "
                    f"`{label}` | {r:.2f}× | {'yes' if ok else '**no**'} |")
        if not ok:
            outside.append(f"{what}, {model}: {r:.2f}×")
    return rows, outside


def fault_rows(data):
    rows = []
    for m in ("thread", "fork", "vfork", "spawn"):
        ours, theirs = f"ptbench-faults/{m}", f"ref-faults/{m}"
        if ours in data and theirs in data:
            a, b = statistics.median(data[ours]), statistics.median(data[theirs])
            rows.append(f"| {m} | {a:.2f} | {b:.2f} | {a - b:+.2f} |")
    return rows


def counter_rows(data):
    rows = []
    for what, model, with_counter, bare, label in COUNTER:
        if with_counter in data and bare in data:
            rows.append(f"| {what} | {model} | {spread(data[with_counter])} `{label}` | "
                        f"{spread(data[bare])} | {ratio(data, with_counter, bare):.2f}× |")
    return rows


OTHER_BUSY_MAX_PCT = 25.0   # the other CPUs busier than this during the rounds: other work ran


def busy_note(load0, load1, other_busy, cores):
    """(what the header says of other work, the warning or None).  Every
    run of make anchors is on CPU 0, so the busy time of the other CPUs
    during the rounds (other_busy, percent, from /proc/stat) is other
    work's; the load average counts anchors' own runs too, so it decides
    only where there is no other CPU to look at (other_busy '-')."""
    if other_busy != "-":
        pct = float(other_busy)
        said = f"The CPUs other than CPU 0 were {pct:.1f}% busy during the rounds (other work)."
        if pct <= OTHER_BUSY_MAX_PCT:
            return said, None
        return said, (f"**The machine was busy**: other work kept the CPUs that anchors leaves free "
                      f"{pct:.1f}% busy (more than {OTHER_BUSY_MAX_PCT:.0f}%), and it shares CPU 0 "
                      "too, so these ratios say more about that work than about ptbench.")
    if max(float(load0.split()[0]), float(load1.split()[0])) > 0.5 * cores:
        return "", (f"**The machine was busy** (load average above half its {cores} cores): other "
                    "work shares the CPUs, so these ratios say more about that work than about ptbench.")
    return "", None


def report(data, rounds, loops, count, load0, load1, other_busy, py_loops, py_count, notes, cores):
    said, warning = busy_note(load0, load1, other_busy, cores)
    out = ["# Anchors: ptbench against programs without a harness", "",
           f"Generated by `make anchors`: {rounds} rounds, alternating (order flipped every round); "
           f"switch {loops} round trips per run, pinned to one CPU (ptbench `--pin same`, perf under "
           f"`taskset -c 0`); create {count} creations per run, ptbench and reference both under "
           f"`taskset -c 0`; Python: {py_loops} round trips and {py_count} creations per run, "
           "ptbench's pythread/pyproc against scripts/refs/py_ref.py, both under `taskset -c 0` "
           "(share: ptbench's channel alone, `--consume none`, its xfer_ns per chunk, against the "
           "same span of the bare queue). "
           f"Load average {load0} at start, {load1} at the end (anchors' own runs included). "
           + (said + " " if said else "") + "Medians [IQR] over the rounds.", ""]
    if warning:
        out += [warning, ""]
    rows, outside = fair_rows(data)
    out += ["Fair pairs (neither side holds a perf counter: ptbench's `create` and `switch` open "
            "none); ratio = ptbench / reference.", "",
            "| what | model | ptbench | reference | ratio | within ±10% (share ±15%) |",
            "|---|---|---|---|---|---|"]
    out += rows
    if outside:
        out += ["", "Outside their band (look at the spreads and the load first):", ""]
        out += [f"- {o}" for o in outside]
    frows = fault_rows(data)
    if frows:
        out += ["", "## Page faults per creation (create+join, parent 0 MiB)", "",
                "ptbench's `minflt / ops` against `create_ref -f` (getrusage of the creator and its "
                "reaped children), medians over the rounds. Other load hardly moves them: where the "
                "times above are noisy, equal faults say both sides do the same work "
                "(doc/methodology.md). ptbench's also hold its creator's start (a thread, or a "
                "forked child that faults in its stack), once per run, spread over the creations.", "",
                "| model | ptbench | reference | difference |", "|---|---|---|---|"]
        out += frows
    crows = counter_rows(data)
    if crows:
        out += ["", "## What an inherited perf counter costs (why `create` and `switch` hold none)", "",
                "The references with an inherited CPU-migrations counter open, as ptbench's runner "
                "holds one for the other workloads, against the same reference bare: the cost every "
                "create, exit and switch would carry. No ptbench figure here, nothing to flag.", "",
                "| what | model | with the counter | bare | ratio |", "|---|---|---|---|---|"]
        out += crows
    out += [f"\n- {n}" for n in notes]
    return "\n".join(out) + "\n"


def is_number(text):
    return text.replace(".", "", 1).isdigit()


def main(argv):
    if len(argv) < 10:
        print("ptb/xcheck/anchors.py: usage: ptb/xcheck/anchors.py SAMPLES ROUNDS LOOPS COUNT LOAD_START "
              "LOAD_END OTHER_BUSY PY_LOOPS PY_COUNT [NOTE...]", file=sys.stderr)
        return 2
    try:
        data = read_samples(argv[1])
        for text in argv[5:7]:
            if not text.split() or not is_number(text.split()[0]):
                raise BadInput(f"load average '{text}' is not 'N N N'")
        if argv[7] != "-" and not (is_number(argv[7]) and float(argv[7]) <= 100):
            raise BadInput(f"other CPUs' busy time '{argv[7]}' (allowed: a percentage 0-100, "
                           "or - where there is no other CPU)")
    except BadInput as e:
        print(f"ptb/xcheck/anchors.py: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(report(data, *argv[2:10], argv[10:], os.cpu_count() or 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
