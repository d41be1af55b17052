"""machine.py - what differs between the machines of two runs, from their
metas (the sidecar lib/meta.c writes beside every CSV, or the "machine" of
make table's table.meta.json), for make compare (ptb/compare.py) and
`ptbench compare` (ptb/runcompare.py).  Standard library only.

    compare(meta_a, meta_b, names)  -> Machines: the differences and notes
    Machines.lines()                -> one short line per difference
    Machines.summary()              -> the differences on one line

A meta's machine facts are compared key by key; a group (cpu_flags,
cpu_vulnerabilities) entry by entry, named "group.entry".  Only the keys
both metas record are compared: a key one meta lacks (its ptbench
predates the key) is named once in a note, never as a difference.  A key
recorded as null is "absent" (the machine has no such file).  The run's
own keys (load, host name, commit, times) are not the machine's and are
left out.  Long values are cut to the parts that differ.
"""
import json

# The run's keys, not the machine's: never compared.
RUN_KEYS = frozenset((
    "schema_version", "tool", "run_id", "csv", "command_line", "interleave", "started",
    "finished", "status", "rows", "driver_maxrss_kb", "hostname", "loadavg", "git_commit",
    "clock"))
# What changes the cost of switching and creating processes (doc/csv.md);
# a meta written before these keys existed has none of them.
SWITCH_KEYS = ("cpu_vulnerabilities", "cpu_flags", "microcode", "kernel_cmdline",
               "clocksource", "thp_defrag", "hypervisor_vendor", "hypervisor_type")
SHORT = 60          # a longer value is cut to the parts that differ
ABSENT = "absent"


def text(v):
    """A fact as it is shown: yes/no for a flag, "absent" for null."""
    if v is None:
        return ABSENT
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dict):
        on = [k for k, x in v.items() if x is True]
        return ("set: " + " ".join(on)) if on and all(isinstance(x, bool) for x in v.values()) \
            else f"{len(v)} entries"
    return str(v)


def cut(a, b):
    """a and b shortened to the parts that differ when either is long:
    "; "-separated parts (a mitigation's text) or words (a command line)."""
    if len(a) <= SHORT and len(b) <= SHORT:
        return a, b
    sep = "; " if "; " in a or "; " in b else " "
    pa, pb = a.split(sep), b.split(sep)
    only_a = [x for x in pa if x not in pb]
    only_b = [x for x in pb if x not in pa]
    if not only_a and not only_b:      # the same parts in another order
        return a[:SHORT] + "…", b[:SHORT] + "…"

    def shown(parts, whole):
        return ("… " if len(parts) < len(whole) else "") + (sep.join(parts) or "(nothing more)")
    return shown(only_a, pa), shown(only_b, pb)


def pairs(ma, mb):
    """(key, A's value, B's value) of the machine keys both metas record,
    groups entry by entry, in A's order; and the keys only one records."""
    out, only = [], []
    for key in list(ma) + [k for k in mb if k not in ma]:
        if key in RUN_KEYS:
            continue
        if key not in ma or key not in mb:
            only.append(key)
            continue
        va, vb = ma[key], mb[key]
        if isinstance(va, dict) and isinstance(vb, dict):
            for k in list(va) + [k for k in vb if k not in va]:
                out.append((f"{key}.{k}", va.get(k), vb.get(k)))
        else:
            out.append((key, va, vb))
    return out, only


class Machines:
    """The differences between two machines' metas and what could not be compared."""

    def __init__(self, diffs, notes):
        self.diffs = diffs          # [(key, A's text, B's text)], short
        self.notes = notes          # [sentence]

    def lines(self, code=""):
        """'key: a → b' per difference (code: "`" puts the key in Markdown code)."""
        return [f"{code}{k}{code}: {a} → {b}" for k, a, b in self.diffs]

    def summary(self, code=""):
        return "; ".join(self.lines(code)) if self.diffs else "none"


def compare(meta_a, meta_b, names=("A", "B")):
    """Machines of two metas (dicts of machine facts; None: no meta)."""
    missing = [n for n, m in zip(names, (meta_a, meta_b)) if not m]
    if missing:
        return Machines([], [f"{' and '.join(missing)} {'has' if len(missing) == 1 else 'have'} "
                             "no meta: the machines are not compared"])
    found, only = pairs(meta_a, meta_b)
    diffs = []
    for key, va, vb in found:
        if va == vb:
            continue
        ta, tb = cut(text(va), text(vb))
        diffs.append((key, ta, tb))
    notes = []
    older = [k for k in SWITCH_KEYS if k not in meta_a and k not in meta_b]
    if older:
        notes.append(f"neither meta records {', '.join(older)}: both predate "
                     f"{'these keys' if len(older) > 1 else 'the key'} (absent, not compared)")
    for name, mine, other in ((names[0], meta_a, meta_b), (names[1], meta_b, meta_a)):
        keys = [k for k in only if k in other and k not in mine]
        if keys:
            notes.append(f"{name}'s meta does not record {', '.join(keys)} (it predates "
                         f"{'these keys' if len(keys) > 1 else 'the key'}): not compared")
    return Machines(diffs, notes)


def load_table_meta(path):
    """The "machine" of a table.meta.json; None when the file is missing,
    not JSON or has no machine."""
    try:
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    machine = meta.get("machine") if isinstance(meta, dict) else None
    return machine if isinstance(machine, dict) and machine else None
