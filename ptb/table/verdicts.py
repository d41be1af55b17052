"""verdicts.py - the verdicts of `make table`, from the findings of
ptb/table/analysis.py: of every aspect of a seed row and of the row (one
language at a time), of every claim C1-C14 in C and in CPython, with the
words that explain each and the figures (as text) that show it.
ptb/table/findings.py gathers them into results/findings.json; nothing
else judges.

Two column groups: C (fork/thread, and the mpi model for distribution)
and Python (pyproc/pythread, and the pympi model for distribution).  A
cell that no measure covers in a language says so and why.  C10's verdict
comes from the mpi rows on several hosts and from ptbench's refusal to
start the thread model on two (recorded by ptb/table/run.py, not assumed).
"""
from ptb import stats as sv
from ptb.table import measures as tm
from ptb.table import python as tp
from ptb.table import scaling as table_scaling
from ptb.table.analyse import fmt_desc, fmt_ns
from ptb.table.analysis import why_missing
from ptb.table.findings import INCONSISTENT
from ptb.table.seed import C10_HOW, C14_HOW, CLAIM_MEASURES, PY_C10_HOW

NOT_MEASURED = "not measured"
LOC_MARGIN = 0.10   # C13: fewer lines count only when fewer by this share


# ---- verdicts of aspects, rows and claims ------------------------------------

def aspect_verdict(found, asp, missing):
    if asp.shows is None:
        return NOT_MEASURED, asp.absent
    for key in (asp.shows, asp.judged_by):
        if not found.get(key):
            return NOT_MEASURED, why_missing(key, missing)
    if asp.expect is None:
        return None, "figures only"
    verdict, why = found[asp.judged_by].verdict(asp.expect)
    if verdict in asp.says:
        why = f"{asp.says[verdict]} ({why})"
    return verdict, why


def aspect_inconsistent(found, asp):
    """The guard's reasons (ptb/table/consistency.py) against the findings
    an aspect shows and is judged by, each once."""
    keys = dict.fromkeys(k for k in (asp.shows, asp.judged_by) if k)
    return list(dict.fromkeys(r for k in keys if found.get(k) for r in found[k].inconsistent))


def gil_note(found):
    """What the Python rows say of the interpreter and its GIL, or ""."""
    it = found.get("py-interp")
    if not it or not it["gil"]:
        return ""
    who = f"{'/'.join(it['impl']) or 'Python'} {'/'.join(it['python'])}"
    if it["gil"] == ["1"]:
        return (f"{who} with the GIL (gil=1 in every Python row): one thread at a time runs "
                "Python code")
    if it["gil"] == ["0"]:
        return f"{who} is free-threaded (gil=0 in every Python row): no GIL serialises the threads"
    return f"{who}: gil= differs between rows ({', '.join(it['gil'])})"


def c13_verdict(ev):
    """(verdict, why, process figure, thread figure, ratio) from the C13 evidence."""
    if not ev:
        return NOT_MEASURED, "scripts/c13_evidence.sh did not run", "—", "—", "—"
    loc = ev["loc"]
    fork_loc, thread_loc = loc.get("fork"), loc.get("thread")
    tn, fn = ev["thread_nolock"], ev["fork_nolock"]
    # a line count has no noise, but a few lines are style, not simplicity:
    # processes count as simpler to program only with clearly fewer lines
    prog = sv.HOLDS if fork_loc * (1 + LOC_MARGIN) <= thread_loc else sv.FAILS
    if tn["races"] > 0 and fn["races"] == 0 and fn["lost_updates"] > 0:
        debug, dwhy = sv.FAILS, ("the same unlocked counter loses updates in both models, but "
                                 "ThreadSanitizer reports the race only with threads: with "
                                 "processes the bug is there and the race detector cannot see it")
    elif tn["races"] > 0 and fn["races"] > 0:
        debug, dwhy = sv.FAILS, "the race detector sees the race in both models"
    else:
        debug, dwhy = sv.NO_VERDICT, "the runs did not show the race (no lost updates or no report)"
    verdict, why = sv.combine([("programming (adapter LOC)", prog), ("debugging (TSan)", debug)],
                              "the aspect")
    if prog == sv.HOLDS:
        how = f"at least {LOC_MARGIN:.0%} fewer for processes"
    elif fork_loc <= thread_loc * (1 + LOC_MARGIN):
        how = f"within {LOC_MARGIN:.0%}: about the same"
    else:
        how = "more for processes"
    pwhy = f"programming: fork adapter {fork_loc} lines of code vs thread {thread_loc} ({how})"
    why = "; ".join(x for x in (why, pwhy, "debugging: " + dwhy) if x)
    pfig = (f"adapter {fork_loc} LOC (procpool {loc.get('procpool', '—')});<br>"
            f"no lock: {fn['lost_updates']} lost, {fn['races']} TSan race reports")
    tfig = (f"adapter {thread_loc} LOC (threadpool {loc.get('threadpool', '—')});<br>"
            f"no lock: {tn['lost_updates']} lost, {tn['races']} TSan race reports")
    ratio = sv.fmt_ratio(fork_loc / thread_loc) + " LOC"
    return verdict, why, pfig, tfig, ratio


# ---- C10: distribution ----------------------------------------------------------


def refused(run):
    """A refusal run shows the model cannot start on 2 hosts when ptbench
    exits non-zero (2: bad input) and writes no CSV."""
    return run["exit_status"] != 0 and not run["wrote_csv"]


def crossed(chk):
    """Did the mpi rows of one host count (> 1) really cross hosts?  Every
    repetition ok=1, enough of them, and the ranks ran in as many network
    namespaces as hosts asked (netns= in the row's notes)."""
    return (chk["rows"] >= sv.MIN_REPS and chk["ok"] == chk["rows"]
            and chk["netns"] == [str(chk["hosts"])])


def c10_facts(found, missing, py=False):
    """What the distribution measures showed: (multi-host checks, thread
    refusal, fork refusal, reasons for what was not measured); py: the
    Python column's (pympi ranks, pythread's refusal, no fork)."""
    runs = (found.get("refusals") or {}).get("runs", [])
    by_model = {r["model"]: r for r in runs}
    if py:
        checks = dict((found.get("py-mpi-checks") or {}).get("hosts", {}))
        unmeasured = [f"`{m}`: {missing[m]}" for m in tm.PY_MPI_MEASURES if m in missing]
        return checks, by_model.get("pythread"), None, unmeasured
    checks = dict((found.get("mpi-checks") or {}).get("hosts", {}))
    for h, chk in (found.get("mpi-share-checks") or {}).get("hosts", {}).items():
        checks.setdefault(("share", h), chk)
    unmeasured = [f"`{m}`: {missing[m]}" for m in tm.MPI_MEASURES if m in missing]
    return checks, by_model.get("thread"), by_model.get("fork"), unmeasured


def c10_verdict(found, missing, py=False):
    """(verdict, why) of C10: holds when the mpi model's processes ran
    verified on several hosts and ptbench refused to start threads on two
    (py: the pympi model's ranks, and pythread's refusal)."""
    checks, thr, _, unmeasured = c10_facts(found, missing, py)
    ranks, threads = ("pympi", "pythread") if py else ("mpi", "thread")
    multi = [c for k, c in checks.items() if (k[1] if isinstance(k, tuple) else k) > 1]
    not_here = ("; not measured: " + "; ".join(unmeasured)) if unmeasured else ""
    if not checks:
        why = "; ".join(unmeasured) if unmeasured else f"no {ranks} rows"
        return NOT_MEASURED, f"{why}; {PY_C10_HOW if py else C10_HOW}"
    if not multi:
        return NOT_MEASURED, (f"the {ranks} model ran on 1 host only, so nothing crossed a machine "
                              f"boundary{not_here}")
    bad = [c for c in multi if not crossed(c)]
    if bad:
        c = bad[0]
        return sv.NO_VERDICT, (f"the {ranks} rows on {c['hosts']} hosts are not all verified "
                               f"({c['ok']} of {c['rows']} ok, ranks in netns={','.join(c['netns'])}"
                               + (f"; {c['errors'][0]}" if c["errors"] else "") + ")")
    if thr is None:
        return sv.NO_VERDICT, f"the {threads} model was not asked to start on 2 hosts (no refusal run)"
    hosts = sorted({c["hosts"] for c in multi})
    shown = (f"{ranks} ranks (processes) ran on {', '.join(map(str, hosts))} hosts with every repetition "
             f"verified (ok=1, ranks in as many network namespaces as hosts)")
    if not refused(thr):
        return sv.FAILS, (f"{shown}, and ptbench started the {threads} model with --hosts 2 too "
                          f"(exit {thr['exit_status']})")
    return sv.HOLDS, (f"{shown}; ptbench refuses to start {'Python threads' if py else 'threads'} on "
                      f"2 hosts (exit {thr['exit_status']}, no CSV written){not_here}")


def fmt_hosts(f, side):
    """A finding's figure per host condition: "1 host X; 2 hosts Y"."""
    return "; ".join(f"{c.label} {f.figure(side, c)}" for c in f.conds)


def c10_cells(found, missing):
    """(process cell, thread cell, ratio cell) of the distribution row."""
    cpu, job, share = found.get("mpi-cpu"), found.get("mpi-job"), found.get("mpi-share")
    _, thr, fork, unmeasured = c10_facts(found, missing)
    pf, tf, ra = [], [], []
    if cpu:
        ranks = (found.get("mpi-checks") or {}).get("ranks", "?")
        pf.append(f"cpu, {ranks} mpi ranks (steps/s): {fmt_hosts(cpu, 'a')}")
        tf.append(f"cpu, threads in one host: {cpu.figure('b')}")
        ra.append("cpu: " + "; ".join(f"{c.label} {cpu.ratio(c)}" for c in cpu.conds))
    if job:
        pf.append("whole mpi job vs 1 host: " + "; ".join(f"{c.label} {job.ratio(c)}" for c in job.conds))
    if share:
        pf.append(f"share, 2 ranks: {fmt_hosts(share, 'a')}")
        tf.append(f"share, 2 threads (heap) in one host: {share.figure('b')}")
        ra.append("share: " + "; ".join(f"{c.label} {share.ratio(c)}" for c in share.conds))
    if thr:
        tf.append(f"`-m thread --hosts 2`: refused, exit {thr['exit_status']}"
                  + (", no CSV" if not thr["wrote_csv"] else ", a CSV was written"))
    if fork:
        pf.append(f"`-m fork --hosts 2`: refused too, exit {fork['exit_status']}")
    if unmeasured:
        pf.append("not measured: " + "; ".join(unmeasured))
    return ("<br>".join(pf) or NOT_MEASURED, "<br>".join(tf) or NOT_MEASURED, "<br>".join(ra) or "—")


def py_c10_cells(found, missing):
    """(process cell, thread cell, ratio cell) of the distribution row, Python."""
    cpu, chk = found.get("py-mpi-cpu"), found.get("py-mpi-checks") or {}
    _, thr, _, unmeasured = c10_facts(found, missing, py=True)
    pf, tf, ra = [], [], []
    if cpu:
        ranks = chk.get("ranks", "?")
        pf.append(f"cpu, {ranks} pympi ranks (steps/s): {fmt_hosts(cpu, 'a')}")
        tf.append(f"cpu, {ranks} pythreads in one host: {cpu.figure('b')}")
        ra.append("cpu: " + "; ".join(f"{c.label} {cpu.ratio(c)}" for c in cpu.conds))
    if chk.get("python"):
        pf.append(f"CPython {'/'.join(chk['python'])}, mpi4py {'/'.join(chk.get('mpi4py') or ['?'])}")
    if thr:
        tf.append(f"`-m pythread --hosts 2`: refused, exit {thr['exit_status']}"
                  + (", no CSV" if not thr["wrote_csv"] else ", a CSV was written"))
    if unmeasured:
        pf.append("not measured: " + "; ".join(unmeasured))
    return ("<br>".join(pf) or "—", "<br>".join(tf) or "—", "<br>".join(ra) or "—")


def c10_lines(found, missing, py=False):
    """The C10 claim's lines in one language: per host count, findings, refusals."""
    if py:
        lines = []
        for h, c in (found.get("py-mpi-checks") or {}).get("hosts", {}).items():
            err = f"; error: {c['errors'][0]}" if c["errors"] else ""
            lines.append(f"cpu, pympi on {h} host{'s' if h > 1 else ''}: {c['ok']} of {c['rows']} "
                         f"repetitions ok, ranks ran in netns={','.join(c['netns'])} distinct network "
                         f"namespace(s), byte transport btl={','.join(c['btl'])}{err}")
        for key in ("py-mpi-cpu", "py-mpi-cpu-cross"):
            f = found.get(key)
            if f:
                lines += [f"{f.what} — {f.line(c)}" for c in f.conds]
        for run in (found.get("refusals") or {}).get("runs", []):
            if run["model"] == "pythread":
                lines.append(f"`{run['command']}` → exit status {run['exit_status']}, "
                             f"{'a CSV written' if run['wrote_csv'] else 'no CSV written'}: "
                             f"“{run['message']}”")
        return lines
    return c10_lines_c(found, missing)


def c10_lines_c(found, missing):
    """The C10 claim's lines: per host count, findings, refusals."""
    lines = []
    for key in ("mpi-checks", "mpi-share-checks"):
        for h, c in (found.get(key) or {}).get("hosts", {}).items():
            what = "cpu" if key == "mpi-checks" else "share"
            err = f"; error: {c['errors'][0]}" if c["errors"] else ""
            lines.append(f"{what}, mpi on {h} host{'s' if h > 1 else ''}: {c['ok']} of {c['rows']} "
                         f"repetitions ok, ranks ran in netns={','.join(c['netns'])} distinct network "
                         f"namespace(s), byte transport btl={','.join(c['btl'])}{err}")
    keys = ("mpi-cpu", "mpi-cpu-cross", "mpi-job", "mpi-share", "mpi-share-cross")
    for key in keys:
        f = found.get(key)
        if f:
            lines += [f"{f.what} — {f.line(c)}" for c in f.conds]
    lines += inconsistent_lines(found.get(key) for key in keys)
    for run in (found.get("refusals") or {}).get("runs", []):
        if run["model"] == "pythread":
            continue    # the Python column's (c10_lines(py=True))
        lines.append(f"`{run['command']}` → exit status {run['exit_status']}, "
                     f"{'a CSV written' if run['wrote_csv'] else 'no CSV written'}: “{run['message']}”")
    _, _, fork, _ = c10_facts(found, missing)
    if fork and refused(fork):
        lines.append("a forked child runs on its parent's machine, as a thread does: processes reach "
                     "other machines only when a launcher (mpirun) starts them there and they share "
                     "data by messages — which threads, sharing one address space, cannot do")
    return lines


# ---- C4: what the share figures show -------------------------------------------------

def _vs(f, cond):
    """'A vs B (ratio, or no measurable difference)': one condition's medians."""
    r = cond.res
    how = {sv.SAME: "no measurable difference", sv.TOO_FEW: "too few repetitions"}.get(
        r["outcome"], sv.fmt_ratio(r["ratio"]))
    return f"{f.fmt(r['a']['median'])} vs {f.fmt(r['b']['median'])} ({how})"


def _cond_of(f, label):
    return next((c for c in f.conds if c.label == label), None) if f else None


def machine_facts(found):
    """The facts of the machine's meta that set what a process switch or
    creation costs beyond a thread's (lib/meta.c), in words; [] when the
    meta predates them."""
    m = (found.get("machine") or {}).get("facts") or {}
    flags, vuln = m.get("cpu_flags") or {}, m.get("cpu_vulnerabilities") or {}
    out = []
    if flags:
        out.append("page-table isolation " + ("on" if flags.get("pti") else "off"))
        out.append("PCID " + ("yes" if flags.get("pcid") else "no"))
    if "IBPB: always-on" in (vuln.get("spectre_v2") or ""):
        out.append("IBPB on every switch between processes")
    if m.get("hypervisor_vendor") or flags.get("hypervisor"):
        out.append(f"under a hypervisor ({m.get('hypervisor_vendor') or 'unnamed'})")
    return out


def machine_note(cid, found):
    """C1's and C2's explanation of what their figures depend on, with this
    machine's facts; "" for the other claims or a meta without them."""
    facts = machine_facts(found)
    if cid not in ("C1", "C2") or not facts:
        return ""
    if cid == "C2":
        what = ("a switch between processes changes the address space (a CR3 write: without PCID "
                "the whole TLB is flushed; with page-table isolation every system call writes CR3 "
                "as well, in both models) and a switch between threads of one process does not; "
                "the pinned ping-pong (pin=same) is where that shows")
    else:
        what = ("a fork copies the parent's page tables and frees them at exit (with page-table "
                "isolation the top level twice); vfork and posix_spawn share the parent's memory "
                "until exec")
    return (f"what the figures depend on: {what}; here {', '.join(facts)} (the meta's cpu_flags, "
            "cpu_vulnerabilities, hypervisor_vendor; make compare lists them beside a verdict that "
            "changed between machines)")


def share_note(found, p=""):
    """C4's explanation beside its verdict, from the figures (p: "py-" for
    CPython): what the verdict judges, the consumer's checksum pass in both
    models, the same channel in both models, threads' heap against shm and
    the per-chunk malloc variant.  "" for rows without --consume."""
    f = found.get(p + "share")
    if not f or "no work on the bytes" not in f.what:
        return ""
    a, b = f.a_name, f.b_name.split(" (")[0]
    parts = ["the verdict judges the channel alone (--consume none: the producer writes and the "
             "consumer reads only each chunk's stamps; bytes/s over the transfer the tasks time, "
             "without worker creation)"]
    cons = found.get(p + "share-consume")
    if cons:
        parts.append(f"the consumer's checksum pass per chunk, shown apart: {a} vs {b} "
                     + "; ".join(f"{c.label} {_vs(cons, c)}" for c in cons.conds[:3])
                     + (" (a thread's zlib.crc32 lets the GIL go and must take it back from the "
                        "producer or a queue's feeder thread, which a process's need not)" if p else ""))
    same = _cond_of(found.get(p + "share-model"), "shm")
    if same:
        parts.append(f"through the same shared-memory ring {a} vs {b}: {_vs(found[p + 'share-model'], same)}"
                     + ("; the memory and the locks are the same there, so a difference is in waking "
                        "the other worker (C2's switch), not in the bytes" if not p else ""))
    heap = found.get(p + "share-heap")
    if heap:
        parts.append(f"{b}'s heap (recycled buffers) vs shm: "
                     + "; ".join(f"{c.label} {_vs(heap, c)}" for c in heap.conds))
    mal, faults = found.get(p + "share-malloc"), found.get(p + "share-malloc-faults")
    if mal:
        parts.append("a new heap buffer per chunk (heap-malloc) vs recycled ones: "
                     + "; ".join(f"{c.label} {_vs(mal, c)}" for c in mal.conds)
                     + (f", minor faults per repetition {_vs(faults, faults.main)}" if faults else ""))
    return "; ".join(parts)


# ---- claims ------------------------------------------------------------------------

def model_present(offer, names):
    return offer is not None and all(n in offer.models for n in names)


def judged_verdict(spec, found):
    """(verdict, why) from a list of (finding key, expect), or None when
    none of them was measured."""
    judged = [(found[k], e) for k, e in spec if e is not None and found.get(k)]
    if not judged:
        return None
    parts = [(f.what, f.verdict(e)) for f, e in judged]
    if len(parts) == 1:
        return parts[0][1]
    verdict, why = sv.combine([(w, v[0]) for w, v in parts], "the measure")
    details = "; ".join(f"{w}: {v[0]}, {v[1]}" for w, v in parts)
    return verdict, (f"{why} — {details}" if why else details)


def inconsistent_lines(fs):
    """One line per reason of the guard (ptb/table/consistency.py) against
    these findings, each once: what a condition's "⚠ inconsistent" means."""
    reasons = dict.fromkeys(r for f in fs if f for r in f.inconsistent)
    return [f"{INCONSISTENT}: {r}" for r in reasons]


def finding_lines(spec, found):
    lines = []
    for key, _ in spec:
        f = found.get(key)
        if f:
            lines += [f"{f.what} — {f.line(c)}" for c in f.conds]
    return lines + inconsistent_lines(found.get(key) for key, _ in spec)


def claim_verdict(claim, found, missing, ev, offer):
    """(verdict, why, [figure lines]) of one claim."""
    spec = claim[2]
    if spec == "c13":
        v, why, pf, tf, _ = c13_verdict(ev)
        return v, why, [f"process: {pf.replace('<br>', ' ')}", f"thread: {tf.replace('<br>', ' ')}"]
    if spec == "c10":
        v, why = c10_verdict(found, missing)
        return v, why + table_scaling.condition(found), c10_lines(found, missing) + table_scaling.lines(found)
    if isinstance(spec, str) and spec.startswith("check:"):
        key = spec[6:]
        return check_verdict(found.get(key), why_missing(key, missing))
    vw = judged_verdict(spec, found)
    if vw is None:
        why = why_missing(spec[0][0], missing)
        return NOT_MEASURED, (f"{why}; {C14_HOW}" if claim[0] == "C14" else why), []
    verdict, why = vw
    if claim[0] == "C14" and gil_note(found):
        why = f"{why} ({gil_note(found)})"
    if claim[0] == "C4" and share_note(found):
        why = f"{why} — {share_note(found)}"
    if machine_note(claim[0], found):
        why = f"{why} — {machine_note(claim[0], found)}"
    return verdict, why, finding_lines(spec, found)


def other_language(claim, found, missing):
    """(language, verdict, why, lines) of the claim in the other language, or None."""
    if claim[2] == "c13":
        # C13 in Python: the same evidence the programming row shows
        v, why, pf, tf, _ = tp.c13_python(found)
        return "Python", v, why, [f"process: {pf.replace('<br>', ' ')}",
                                  f"thread: {tf.replace('<br>', ' ')}"]
    if not claim[4]:
        return None
    lang, spec = claim[4]
    if spec == "c10":
        verdict, why = c10_verdict(found, missing, py=True)
        return lang, verdict, why, c10_lines(found, missing, py=True)
    if isinstance(spec, str) and spec.startswith("check:"):
        key = spec[6:]
        verdict, why, lines = check_verdict(found.get(key), why_missing(key, missing))
        return lang, verdict, why, lines
    vw = judged_verdict(spec, found)
    if vw is None:
        return lang, NOT_MEASURED, why_missing(spec[0][0], missing), []
    verdict, why = vw
    if lang == "Python" and claim[0] == "C5" and gil_note(found):
        why = f"{why} ({gil_note(found)})"
    if lang == "Python" and claim[0] == "C4" and share_note(found, "py-"):
        why = f"{why} — {share_note(found, 'py-')}"
    if machine_note(claim[0], found):
        why = f"{why} — {machine_note(claim[0], found)}"
    return lang, verdict, why, finding_lines(spec, found)


def check_verdict(chk, missing):
    if not chk:
        return NOT_MEASURED, missing or "its workload is not there yet", []
    if chk["kind"] == "conditions":
        return conditions_verdict(chk)
    lines, all_ok = [], True
    for m, d in chk["models"].items():
        all_ok &= d["ok"] == d["rows"] and d["results"] == ["0"]
        seen = d.get("zombie_seen")
        all_ok &= seen is None or seen[0] == seen[1]
        facts = "".join(f"; {f}" for f in d["facts"])
        lines.append(f"{m}: {d['ok']}/{d['rows']} repetitions ok, left behind: "
                     f"{', '.join(d['results'])}{facts}")
    if all_ok:
        zombies = " every child checked was a zombie until waited for;" if any(
            d.get("zombie_seen") for d in chk["models"].values()) else ""
        return sv.HOLDS, (f"{zombies} {chk['what']}: 0 in every repetition of every model "
                          "(checked, ok=1)").strip(), lines
    return sv.FAILS, f"{chk['what']}: not 0 in some repetition, or a check failed (ok=0)", lines


def conditions_verdict(chk):
    """Holds under a condition when no daemon outlived its parent in any
    repetition (min_reps at least); fails when any did."""
    per, lines = [], []
    for c in chk["conds"]:
        if c["reps"] < sv.MIN_REPS:
            v = sv.NO_VERDICT
        else:
            v = sv.HOLDS if c["alive"] == 0 else sv.FAILS
        per.append((c["label"], v))
        gone = f"; gone {fmt_desc(c['gone'], fmt_ns)} after the parent" if c["gone"] else ""
        lines.append(f"{c['label']}: {c['alive']} of {c['daemons']} daemons still running "
                     f"after the bound ({c['reps']} repetitions){gone}")
    verdict, why = sv.combine(per, "how the daemon is ended and how its parent dies")
    if not why:
        why = f"{chk['what']}: " + ("none" if verdict == sv.HOLDS else "some")
    return verdict, why, lines


# ---- Markdown ------------------------------------------------------------------

def aspects_cells(aspects, found, missing, extra=()):
    """One language's cells of a seed row from its aspects: the figures of
    each (process, thread, ratio), each judged aspect's verdict, and the
    row's, combined over the aspects.  extra: lines said under the
    verdicts when the row was measured."""
    pf, tf, ra, judged, per = [], [], [], [], []
    for asp in aspects:
        v, why = aspect_verdict(found, asp, missing)
        f = found.get(asp.shows) if asp.shows else None
        pf.append(f"{asp.label}: {f.figure('a') if f else '—'}")
        tf.append(f"{asp.label}: {f.figure('b') if f else '—'}")
        ra.append(f.ratio() if f else "—")
        if v is None:
            continue
        per.append((asp.vlabel, v))
        judged.append({"label": asp.vlabel, "verdict": v, "why": why, "meaning": asp.meaning,
                       "figure": f"{asp.short} {sv.fmt_ratio(f.main.res['ratio'])}"
                                 if f else "",
                       "inconsistent": aspect_inconsistent(found, asp)})
    overall, owhy = sv.combine(per, "the aspect")
    if all(v == NOT_MEASURED for _, v in per):
        overall = NOT_MEASURED
    measured = overall != NOT_MEASURED
    return {"kind": "aspects", "verdict": overall,
            "inconsistent": list(dict.fromkeys(r for a in judged for r in a["inconsistent"])),
            "depends_on": owhy if overall == sv.DEPENDS else "",
            "not_measured_yet": [lbl for lbl, v in per if v == NOT_MEASURED] if measured else [],
            "aspects": judged, "extra": [x for x in extra if x] if measured else [],
            "process": "<br>".join(pf), "thread": "<br>".join(tf), "ratio": "<br>".join(ra)}


def verdict_cells(verdict, why, pf="—", tf="—", ratio="—", extra=()):
    """One language's cells of a seed row judged as a whole (C10, C13)."""
    return {"kind": "verdict", "verdict": verdict, "why": why, "extra": [x for x in extra if x],
            "inconsistent": [],
            "process": pf, "thread": tf, "ratio": ratio}


def c_cells(row, found, missing, ev):
    if row["c"] == "c13":
        v, why, pf, tf, ratio = c13_verdict(ev)
        return verdict_cells(v, why, pf, tf, ratio)
    if row["c"] == "c10":
        v, why = c10_verdict(found, missing)
        pf, tf, ra = c10_cells(found, missing)
        scaling = table_scaling.cell(found)
        pf = pf + "<br>" + scaling if scaling else pf
        return verdict_cells(v, f"{why}{table_scaling.condition(found)}", pf, tf, ra)
    return aspects_cells(row["c"], found, missing)


def py_cells(row, found, missing):
    if row["c"] == "c13":
        v, why, pf, tf, ratio = tp.c13_python(found)
        return verdict_cells(v, why, pf, tf, ratio)
    if row["c"] == "c10":
        v, why = c10_verdict(found, missing, py=True)
        pf, tf, ra = py_c10_cells(found, missing)
        line = tp.differs_line("across hosts", c10_verdict(found, missing)[0], v, found)
        return verdict_cells(v, why, pf, tf, ra, [line])
    measured = [a for a in row["py"] if a.shows]
    if not measured:
        return verdict_cells(NOT_MEASURED, "; ".join(a.absent for a in row["py"]))
    gil = gil_note(found) if any(a.judged_by == "py-scale-thread" for a in measured) else ""
    differs = []
    c_aspects = {a.vlabel: a for a in row["c"]} if isinstance(row["c"], list) else {}
    for asp in row["py"]:
        c_asp = c_aspects.get(asp.vlabel)
        if asp.shows and c_asp:
            differs.append(tp.differs_line(asp.vlabel, aspect_verdict(found, c_asp, missing)[0],
                                           aspect_verdict(found, asp, missing)[0], found))
    cells = aspects_cells(row["py"], found, missing, extra=[gil])
    cells["extra"] += [x for x in differs if x]
    return cells


def loop_steps(mid, mode):
    """The --steps of measure `mid` in this mode, as the plan has it."""
    steps = {m.id: m.opts.get("steps") for m in tm.plan()}.get(mid)
    if isinstance(steps, tuple):
        steps = steps[0] if mode == "full" else steps[1]
    return steps or "?"


def step_ratio(found):
    """", where a CPython step cost N× a C step" from this run's 1-worker
    thread figures, or "" when either is missing."""
    py, c = found.get("py-step"), found.get("cpu-step")
    if not py or not c or not c.main.res["b"]["median"]:
        return ""
    p_ns, c_ns = py.main.res["b"]["median"], c.main.res["b"]["median"]
    return (f", where one CPython step cost {p_ns / c_ns:,.0f}× one C step in this run "
            f"(1 worker, threads: {fmt_ns(p_ns)} vs {fmt_ns(c_ns)})")


def commands_for(claim, info):
    cid = claim[0]
    if cid == "C13":
        ev = info.get("c13") or {}
        cmds = ["scripts/c13_evidence.sh"]
        if ev:
            cmds.append(ev["tsan_build"])
            cmds += [ev[k]["command"] for k in ("thread_nolock", "fork_nolock", "thread_mutex")]
        return cmds
    cmds = [info["commands"][m] for m in CLAIM_MEASURES.get(cid, []) if m in info["commands"]]
    if cid == "C10":
        cmds += [r["command"] for r in info.get("refusals") or []]
    return cmds
