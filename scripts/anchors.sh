#!/usr/bin/env bash
# anchors.sh - `make anchors`: does ptbench agree with programs that have no
# harness?  Alternating round by round (the order flipped every round), it
# runs
#   switch: ptbench `-w switch --via pipe --pin same` (thread and fork)
#           against `perf bench sched pipe` (-T for threads) pinned to one
#           CPU with taskset: ptbench's ns per round trip / perf's usecs/op;
#   create: ptbench `-w create --parent-mb 0` (thread, fork, vfork), pinned
#           to one CPU with taskset (unpinned, where the scheduler wakes the
#           new worker - this CPU or the other - decides the figure), against
#           scripts/refs/create_ref (the same primitive in a bare loop),
#           bare and with -P (an inherited perf counter open, as ptbench's
#           runner has one: it is copied at every create and folded at exit);
#   Python: ptbench's pythread/pyproc `create` and `switch --via pipe`
#           against scripts/refs/py_ref.py (the same stdlib calls in a bare
#           loop, run by $PTB_PYTHON as ptbench runs its Python models),
#           both pinned to one CPU with taskset, at a tenth of the switch
#           round trips and a fifth of the creations (CPython is slower).
# and prints, per pair, both medians over the rounds and their ratio; a
# ratio outside 0.9..1.1 is flagged.  The report also goes to
# results/anchors.md.  Measures, never asserts: a benchmark, not a test.
#
# Usage: scripts/anchors.sh [--ptbench PATH] [--ref PATH] [--rounds R]
#                           [--loops N] [--count C] [--out FILE]
#   --rounds R  rounds of each pair, at least 5 [7]
#   --loops N   round trips per switch run (perf -l N, ptbench --rounds N) [50000]
#   --count C   creations per create run [500]
set -euo pipefail

ptbench="build/ptbench"
ref="build/refs/create_ref"
rounds=7
loops=50000
count=500
out="results/anchors.md"

usage_error() {
	echo "anchors.sh: $1 (allowed: --ptbench PATH, --ref PATH, --rounds R>=5, --loops N>=1000, --count C>=10, --out FILE)" >&2
	exit 2
}

is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [ "$#" -gt 0 ]; do
	[ "$#" -ge 2 ] || usage_error "option '$1' needs a value"
	case "$1" in
	--ptbench) ptbench="$2" ;;
	--ref) ref="$2" ;;
	--rounds) { is_int "$2" && [ "$2" -ge 5 ]; } || usage_error "--rounds: '$2' is not a count of at least 5"
		rounds="$2" ;;
	--loops) { is_int "$2" && [ "$2" -ge 1000 ]; } || usage_error "--loops: '$2' is not a count of at least 1000"
		loops="$2" ;;
	--count) { is_int "$2" && [ "$2" -ge 10 ]; } || usage_error "--count: '$2' is not a count of at least 10"
		count="$2" ;;
	--out) out="$2" ;;
	*) usage_error "unknown option '$1'" ;;
	esac
	shift 2
done
[ -x "$ptbench" ] || usage_error "--ptbench: '$ptbench' is not an executable file"
[ -x "$ref" ] || usage_error "--ref: '$ref' is not an executable file"
[ -d "$(dirname "$out")" ] || usage_error "--out: the directory of '$out' does not exist"

ptbench_abs="$(cd "$(dirname "$ptbench")" && pwd)/$(basename "$ptbench")"
py_ref="$(cd "$(dirname "$0")" && pwd)/refs/py_ref.py"
python="${PTB_PYTHON:-python3}"
py_loops=$((loops / 10 > 1000 ? loops / 10 : 1000))
py_count=$((count / 5 > 10 ? count / 5 : 10))
tmp="$(mktemp -d "${TMPDIR:-/tmp}/anchors.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

have_workload() { "$ptbench" list | grep -q "^  $1 "; }
have_model() { "$ptbench" list | sed -n '/^models:/,$p' | grep -q "^  $1 "; }
perf_ok=0
if command -v perf >/dev/null && perf bench sched pipe -l 10 >/dev/null 2>&1; then
	perf_ok=1
fi

# Append "NAME VALUE_NS" lines to $tmp/samples.
record() { printf '%s %s\n' "$1" "$2" >>"$tmp/samples"; }

# ns_per_op of every row of a ptbench CSV, as "PREFIX/model value" lines.
record_csv() {
	"${PYTHON:-python3}" - "$1" "$2" >>"$tmp/samples" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["ok"] == "1":
        print(f"{sys.argv[2]}/{r['model']} {r['ns_per_op']}")
EOF
}

ptbench_switch() {
	(cd "$tmp" && "$ptbench_abs" run -w switch -m thread,fork --via pipe --pin same \
		--rounds "$loops" -r 1 --warmup 0 -q -o switch.csv --force >/dev/null 2>ptbench.err) ||
		{ cat "$tmp/ptbench.err" >&2; exit 1; }
	record_csv "$tmp/switch.csv" "ptbench-switch"
}

# perf_pipe NAME [-T]: perf bench sched pipe on CPU 0.  NAME ending in
# "+counter": run under `perf stat -e cpu-migrations`, which holds an
# inherited counter on both tasks as ptbench's runner does on its workers.
perf_pipe() {
	local name="$1" us
	local -a pre=()
	shift
	case "$name" in
	*+counter*) pre=(perf stat -e cpu-migrations -x ';' -o /dev/null --) ;;
	esac
	us="$(taskset -c 0 "${pre[@]}" perf bench sched pipe -l "$loops" "$@" 2>/dev/null |
		awk '/usecs\/op/ { print $1 }')"
	[ -n "$us" ] || { echo "anchors.sh: perf bench sched pipe printed no usecs/op" >&2; exit 1; }
	record "$name" "$(awk -v u="$us" 'BEGIN { printf "%.1f", u * 1000 }')"
}

ptbench_create() {
	local models="thread,fork"
	have_model vfork && models="$models,vfork"
	(cd "$tmp" && taskset -c 0 "$ptbench_abs" run -w create -m "$models" -n 1 --count "$count" --parent-mb 0 \
		-r 1 --warmup 0 -q -o create.csv --force >/dev/null 2>ptbench.err) ||
		{ cat "$tmp/ptbench.err" >&2; exit 1; }
	record_csv "$tmp/create.csv" "ptbench-create"
}

# The reference bare, and with -P: holding an inherited perf counter open,
# as ptbench's runner does (lib/measure.c), which every create copies.
ref_create() {
	local m
	for m in thread fork vfork; do
		record "ref-create/$m" "$(taskset -c 0 "$ref" -m "$m" -l "$count")"
		record "refP-create/$m" "$(taskset -c 0 "$ref" -m "$m" -l "$count" -P)"
	done
}

# Python: ptbench's models and the bare stdlib loop, both on CPU 0.
ptbench_py() {
	(cd "$tmp" && taskset -c 0 "$ptbench_abs" run -w create -m pythread,pyproc -n 1 --count "$py_count" \
		--parent-mb 0 -r 1 --warmup 0 -q -o pycreate.csv --force >/dev/null 2>ptbench.err &&
		taskset -c 0 "$ptbench_abs" run -w switch -m pythread,pyproc -n 2 --via pipe --rounds "$py_loops" \
			-r 1 --warmup 0 -q -o pyswitch.csv --force >/dev/null 2>>ptbench.err) ||
		{ cat "$tmp/ptbench.err" >&2; exit 1; }
	record_csv "$tmp/pycreate.csv" "ptbench-pycreate"
	record_csv "$tmp/pyswitch.csv" "ptbench-pyswitch"
}

ref_py() {
	local m
	for m in thread process; do
		record "pyref-create/$m" "$(taskset -c 0 "$python" -I -B "$py_ref" create -m "$m" -l "$py_count")"
		record "pyref-switch/$m" "$(taskset -c 0 "$python" -I -B "$py_ref" switch -m "$m" -l "$py_loops")"
	done
}

do_switch=0
do_create=0
do_py=0
notes=()
if "$ptbench" list | sed -n '/^models:/,$p' | grep -q "^  pyproc " &&
	"$ptbench" run -w create -m pythread -n 1 --count 1 -r 1 --warmup 0 -q -o "$tmp/probe.csv" >/dev/null 2>&1; then
	do_py=1
else
	notes+=("Python: not measured, ptbench's Python models do not run here (PTB_PYTHON, see doc/python.md)")
fi
if ! have_workload switch; then
	notes+=("switch: not measured, ptbench has no \`switch\` workload yet")
elif [ "$perf_ok" -eq 0 ]; then
	notes+=("switch: not measured, \`perf bench sched pipe\` does not run here (perf missing or not permitted)")
else
	do_switch=1
fi
if have_workload create; then do_create=1; else notes+=("create: not measured, ptbench has no \`create\` workload yet"); fi

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
: >"$tmp/samples"
for ((i = 1; i <= rounds; i++)); do
	echo "anchors: round $i of $rounds" >&2
	if [ $((i % 2)) -eq 1 ]; then
		[ "$do_switch" -eq 0 ] || { ptbench_switch; perf_pipe perf-pipe/fork; perf_pipe perf-pipe/thread -T
			perf_pipe perf-pipe+counter/fork; perf_pipe perf-pipe+counter/thread -T; }
		[ "$do_create" -eq 0 ] || { ptbench_create; ref_create; }
		[ "$do_py" -eq 0 ] || { ptbench_py; ref_py; }
	else
		[ "$do_py" -eq 0 ] || { ref_py; ptbench_py; }
		[ "$do_switch" -eq 0 ] || { perf_pipe perf-pipe+counter/thread -T; perf_pipe perf-pipe+counter/fork
			perf_pipe perf-pipe/thread -T; perf_pipe perf-pipe/fork; ptbench_switch; }
		[ "$do_create" -eq 0 ] || { ref_create; ptbench_create; }
	fi
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

"${PYTHON:-python3}" - "$tmp/samples" "$rounds" "$loops" "$count" "$load_start" "$load_end" "$py_loops" "$py_count" "${notes[@]}" >"$tmp/report.md" <<'EOF'
import statistics, sys
samples, rounds, loops, count, load0, load1, py_loops, py_count = sys.argv[1:9]
notes = sys.argv[9:]
data = {}
for line in open(samples):
    k, v = line.split()
    data.setdefault(k, []).append(float(v))
pairs = [("switch, pipe, one CPU", "per round trip", "ptbench-switch/thread", "perf-pipe/thread",
          "perf bench sched pipe -T"),
         ("switch, pipe, one CPU", "per round trip", "ptbench-switch/fork", "perf-pipe/fork",
          "perf bench sched pipe"),
         ("switch, pipe, one CPU", "per round trip", "ptbench-switch/thread", "perf-pipe+counter/thread",
          "perf stat -e cpu-migrations -- perf bench sched pipe -T"),
         ("switch, pipe, one CPU", "per round trip", "ptbench-switch/fork", "perf-pipe+counter/fork",
          "perf stat -e cpu-migrations -- perf bench sched pipe"),
         ("create+join, parent 0 MiB", "per creation", "ptbench-create/thread", "ref-create/thread",
          "create_ref -m thread"),
         ("create+join, parent 0 MiB", "per creation", "ptbench-create/fork", "ref-create/fork",
          "create_ref -m fork"),
         ("create+join, parent 0 MiB", "per creation", "ptbench-create/vfork", "ref-create/vfork",
          "create_ref -m vfork"),
         ("create+join, parent 0 MiB", "per creation", "ptbench-create/thread", "refP-create/thread",
          "create_ref -m thread -P"),
         ("create+join, parent 0 MiB", "per creation", "ptbench-create/fork", "refP-create/fork",
          "create_ref -m fork -P"),
         ("create+join, parent 0 MiB", "per creation", "ptbench-create/vfork", "refP-create/vfork",
          "create_ref -m vfork -P"),
         ("Python create+join, one CPU", "per creation", "ptbench-pycreate/pythread",
          "pyref-create/thread", "py_ref.py create -m thread"),
         ("Python create+join, one CPU", "per creation", "ptbench-pycreate/pyproc",
          "pyref-create/process", "py_ref.py create -m process"),
         ("Python switch, multiprocessing.Pipe, one CPU", "per round trip", "ptbench-pyswitch/pythread",
          "pyref-switch/thread", "py_ref.py switch -m thread"),
         ("Python switch, multiprocessing.Pipe, one CPU", "per round trip", "ptbench-pyswitch/pyproc",
          "pyref-switch/process", "py_ref.py switch -m process")]
def q(v, p):
    s = sorted(v); i = p * (len(s) - 1); lo = int(i)
    return s[lo] if lo + 1 >= len(s) else s[lo] + (i - lo) * (s[lo + 1] - s[lo])
def fmt(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"
print("# Anchors: ptbench against programs without a harness\n")
print(f"Generated by `make anchors`: {rounds} rounds, alternating (order flipped every round); "
      f"switch {loops} round trips per run, pinned to one CPU (ptbench `--pin same`, perf under "
      f"`taskset -c 0`); create {count} creations per run, ptbench and reference both under "
      f"`taskset -c 0`; Python: {py_loops} round trips and {py_count} creations per run, ptbench's "
      "pythread/pyproc against scripts/refs/py_ref.py, both under `taskset -c 0`. Load average "
      f"{load0} at start, "
      f"{load1} at the end. Medians [IQR] over the rounds; ratio = ptbench / reference.\n")
import os
cores = os.cpu_count() or 1
if max(float(load0.split()[0]), float(load1.split()[0])) > 0.5 * cores:
    print(f"**The machine was busy** (load average above half its {cores} cores): other work "
          "shares the CPUs, so these ratios say more about that work than about ptbench.\n")
print("| what | model | ptbench | reference | ratio | within ±10% |")
print("|---|---|---|---|---|---|")
for what, unit, ours, theirs, label in pairs:
    if ours not in data or theirs not in data:
        continue
    a, b = data[ours], data[theirs]
    ma, mb = statistics.median(a), statistics.median(b)
    r = ma / mb
    model = ours.split("/")[1]
    print(f"| {what} ({unit}) | {model} | {fmt(ma)} [{fmt(q(a, .25))} – {fmt(q(a, .75))}] | "
          f"{fmt(mb)} [{fmt(q(b, .25))} – {fmt(q(b, .75))}] `{label}` | {r:.2f}× | "
          f"{'yes' if 0.9 <= r <= 1.1 else '**no**'} |")
# Where the bare reference disagrees by more than 10% but the reference
# holding the same inherited counter agrees, the counter is the difference.
bare = {}
explained = []
for what, unit, ours, theirs, label in pairs:
    if ours not in data or theirs not in data:
        continue
    r = statistics.median(data[ours]) / statistics.median(data[theirs])
    if "+counter" in theirs or theirs.startswith("refP"):
        b = bare.get(ours)
        if b is not None and b > 1.1 and 0.9 <= r <= 1.1:
            explained.append(f"{what}, {ours.split('/')[1]}: {b:.2f}× against the bare reference "
                             f"but {r:.2f}× against `{label}`: the difference is the inherited "
                             "perf counter (CPU migrations) that ptbench's runner holds open, "
                             "which every context switch, create and exit has to carry")
        elif b is not None and not 0.9 <= b <= 1.1 and not 0.9 <= r <= 1.1:
            explained.append(f"{what}, {ours.split('/')[1]}: {b:.2f}× against the bare reference "
                             f"and {r:.2f}× with the counter: not explained by the counter; "
                             "look at the spreads (a busy machine) first")
    else:
        bare[ours] = r
if explained:
    print("\nWhere ptbench and the reference differ by more than 10%:\n")
    for e in explained:
        print(f"- {e}")
for n in notes:
    print(f"\n- {n}")
EOF
cat "$tmp/report.md"
cp "$tmp/report.md" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
echo "anchors: wrote $out" >&2
