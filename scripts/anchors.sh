#!/usr/bin/env bash
# anchors.sh - `make anchors`: does ptbench agree with programs that have no
# harness?  Alternating round by round (the order flipped every round), it
# runs
#   switch: ptbench `-w switch --via pipe --pin same` (thread and fork)
#           against `perf bench sched pipe` (-T for threads) pinned to one
#           CPU with taskset: ptbench's ns per round trip / perf's usecs/op;
#   create: ptbench `-w create --parent-mb 0` (thread, fork, vfork, spawn),
#           pinned to one CPU with taskset (unpinned, where the scheduler
#           wakes the new worker - this CPU or the other - decides the
#           figure), against scripts/refs/create_ref (the same primitive in
#           a bare loop; spawn starts the same ptbench-worker);
#           and the page faults per creation on both sides (ptbench's
#           minflt / ops, create_ref -f), which other load hardly moves;
#   the counter's cost: the references again with an inherited perf
#           counter open (create_ref -P, perf stat around perf bench), as
#           ptbench's runner holds one for the other workloads: against the
#           bare reference, this shows why create and switch open none;
#   Python: ptbench's pythread/pyproc `create` and `switch --via pipe`
#           against scripts/refs/py_ref.py (the same stdlib calls in a bare
#           loop, run by $PTB_PYTHON as ptbench runs its Python models),
#           both pinned to one CPU with taskset, at a tenth of the switch
#           round trips and a fifth of the creations (CPython is slower);
#           and the share channel alone: ptbench's pythread `share --via
#           heap --consume none` (queue.Queue of references) and pyproc
#           `--via queue --consume none` (multiprocessing.Queue), 2 workers,
#           --messages chunks of 64 KiB, against `py_ref.py share` (the same
#           queues handing 64 KiB bytes objects), both on CPU 0: ptbench's
#           xfer_ns / chunks (the transfer its tasks time) against the
#           reference's same span, per message.
# and prints (ptb/xcheck/anchors.py), per fair pair, both medians over
# the rounds and their ratio, flagged outside 0.9..1.1, and the counter's
# cost apart (nothing of ptbench in it, nothing flagged).  The report also
# goes to results/anchors.md.  Measures, never asserts: a benchmark, not a
# test.
#
# Usage: scripts/anchors.sh [--ptbench PATH] [--ref PATH] [--rounds R]
#                           [--loops N] [--count C] [--messages M] [--out FILE]
#   --rounds R    rounds of each pair, at least 5 [7]
#   --loops N     round trips per switch run (perf -l N, ptbench --rounds N) [50000]
#   --count C     creations per create run [500]
#   --messages M  64 KiB messages per Python share run, at least 16 [1024]
set -euo pipefail

ptbench="build/ptbench"
ref="build/refs/create_ref"
rounds=7
loops=50000
count=500
messages=1024
out="results/anchors.md"

usage_error() {
	echo "anchors.sh: $1 (allowed: --ptbench PATH, --ref PATH, --rounds R>=5, --loops N>=1000, --count C>=10, --messages M>=16, --out FILE)" >&2
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
	--messages) { is_int "$2" && [ "$2" -ge 16 ]; } || usage_error "--messages: '$2' is not a count of at least 16"
		messages="$2" ;;
	--out) out="$2" ;;
	*) usage_error "unknown option '$1'" ;;
	esac
	shift 2
done
[ -x "$ptbench" ] || usage_error "--ptbench: '$ptbench' is not an executable file"
[ -x "$ref" ] || usage_error "--ref: '$ref' is not an executable file"
[ -d "$(dirname "$out")" ] || usage_error "--out: the directory of '$out' does not exist"

ptbench_abs="$(cd "$(dirname "$ptbench")" && pwd)/$(basename "$ptbench")"
# The empty worker both spawn sides start: ptbench-worker beside ptbench.
worker="${PTBENCH_WORKER:-$(dirname "$ptbench_abs")/ptbench-worker}"
export PTBENCH_WORKER="$worker"
py_ref="$(cd "$(dirname "$0")" && pwd)/refs/py_ref.py"
python="${PTB_PYTHON:-python3}"
py_loops=$((loops / 10 > 1000 ? loops / 10 : 1000))
py_count=$((count / 5 > 10 ? count / 5 : 10))
tmp="$(mktemp -d "${TMPDIR:-/tmp}/anchors.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# `ptbench list` read once: grep -q on a pipe would end it early, and
# under pipefail its SIGPIPE made a present workload look absent.  For the
# same reason the sections are searched by a grep that reads to the end
# (the models section grew past one 4 KiB write of sed, and grep -q's early
# exit made every Python model look absent).
listing="$("$ptbench" list)"
have_workload() { sed -n '/^models:/q;p' <<<"$listing" | grep "^  $1 " >/dev/null; }
have_model() { sed -n '/^models:/,$p' <<<"$listing" | grep "^  $1 " >/dev/null; }
perf_ok=0
if command -v perf >/dev/null && perf bench sched pipe -l 10 >/dev/null 2>&1; then
	perf_ok=1
fi

# Append "NAME VALUE_NS" lines to $tmp/samples.
record() { printf '%s %s\n' "$1" "$2" >>"$tmp/samples"; }

# ns_per_op of every row of a ptbench CSV, as "PREFIX/model value" lines
# (share: the transfer its tasks timed per chunk, xfer_ns / chunks).
record_csv() {
	"${PYTHON:-python3}" - "$1" "$2" >>"$tmp/samples" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["ok"] == "1" and r["workload"] == "share":
        notes = dict(kv.split("=", 1) for kv in r["notes"].split(";") if "=" in kv)
        print(f"{sys.argv[2]}/{r['model']} {int(notes['xfer_ns']) / int(notes['chunks']):.1f}")
    elif r["ok"] == "1":
        print(f"{sys.argv[2]}/{r['model']} {r['ns_per_op']}")
        if sys.argv[2] == "ptbench-create" and r["minflt"] and r["ops"]:
            print(f"ptbench-faults/{r['model']} {int(r['minflt']) / int(r['ops']):.2f}")
EOF
}

# record_ref NAME FAULTS_NAME REF-ARGS...: the reference's ns and, with
# -f, its page faults per creation.
record_ref() {
	local name="$1" faults="$2" out
	shift 2
	out="$(taskset -c 0 "$ref" "$@" -f)"
	record "$name" "${out% *}"
	record "$faults" "${out#* }"
}

# other_cpus_busy START END: percent of the time the CPUs other than CPU 0
# were busy between two snapshots of /proc/stat's cpuN lines (user nice
# system idle iowait irq softirq steal; busy = all but idle and iowait),
# or - when there is no other CPU.  Every run here is on CPU 0 (the switch
# pair by --pin same, which takes the first CPU allowed), so that is the
# share of other work.
other_cpus_busy() {
	awk 'FNR == NR { for (i = 2; i <= 9; i++) t0[$1] += $i; i0[$1] = $5 + $6; next }
	     $1 != "cpu0" && ($1 in t0) {
		t = 0; for (i = 2; i <= 9; i++) t += $i
		total += t - t0[$1]; idle += $5 + $6 - i0[$1] }
	     END { if (total > 0) printf "%.1f\n", 100 * (total - idle) / total; else print "-" }' "$1" "$2"
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
	have_model spawn && models="$models,spawn"
	(cd "$tmp" && taskset -c 0 "$ptbench_abs" run -w create -m "$models" -n 1 --count "$count" --parent-mb 0 \
		-r 1 --warmup 0 -q -o create.csv --force >/dev/null 2>ptbench.err) ||
		{ cat "$tmp/ptbench.err" >&2; exit 1; }
	record_csv "$tmp/create.csv" "ptbench-create"
}

# The reference bare, and with -P: holding an inherited perf counter open,
# as ptbench's runner does for the other workloads (lib/measure.c), which
# every create would copy.  spawn starts the worker ptbench spawns.
ref_create() {
	local m
	for m in thread fork vfork; do
		record_ref "ref-create/$m" "ref-faults/$m" -m "$m" -l "$count"
		record "refP-create/$m" "$(taskset -c 0 "$ref" -m "$m" -l "$count" -P)"
	done
	if have_model spawn; then
		record_ref "ref-create/spawn" "ref-faults/spawn" -m spawn -l "$count" -x "$worker"
	fi
}

# Python: ptbench's models and the bare stdlib loop, both on CPU 0.
ptbench_py() {
	(cd "$tmp" && taskset -c 0 "$ptbench_abs" run -w create -m pythread,pyproc -n 1 --count "$py_count" \
		--parent-mb 0 -r 1 --warmup 0 -q -o pycreate.csv --force >/dev/null 2>ptbench.err &&
		taskset -c 0 "$ptbench_abs" run -w switch -m pythread,pyproc -n 2 --via pipe --rounds "$py_loops" \
			-r 1 --warmup 0 -q -o pyswitch.csv --force >/dev/null 2>>ptbench.err &&
		ptbench_pyshare pythread heap pysharet.csv && ptbench_pyshare pyproc queue pyshareq.csv) ||
		{ cat "$tmp/ptbench.err" >&2; exit 1; }
	record_csv "$tmp/pycreate.csv" "ptbench-pycreate"
	record_csv "$tmp/pyswitch.csv" "ptbench-pyswitch"
	record_csv "$tmp/pysharet.csv" "ptbench-pyshare"
	record_csv "$tmp/pyshareq.csv" "ptbench-pyshare"
}

# ptbench_pyshare MODEL VIA CSV (in $tmp): the channel alone, 64 KiB chunks.
ptbench_pyshare() {
	taskset -c 0 "$ptbench_abs" run -w share -m "$1" -n 2 --via "$2" --consume none --chunk 64k \
		--bytes $((messages * 65536)) -r 1 --warmup 0 -q -o "$3" --force >/dev/null 2>>ptbench.err
}

ref_py() {
	local m
	for m in thread process; do
		record "pyref-create/$m" "$(taskset -c 0 "$python" -I -B "$py_ref" create -m "$m" -l "$py_count")"
		record "pyref-switch/$m" "$(taskset -c 0 "$python" -I -B "$py_ref" switch -m "$m" -l "$py_loops")"
		record "pyref-share/$m" "$(taskset -c 0 "$python" -I -B "$py_ref" share -m "$m" -l "$messages")"
	done
}

do_switch=0
do_create=0
do_py=0
notes=()
if have_model pyproc &&
	"$ptbench" run -w create -m pythread -n 1 --count 1 -r 1 --warmup 0 -q -o "$tmp/probe.csv" >/dev/null 2>&1; then
	do_py=1
	notes+=("Python share: $messages messages of 64 KiB per run (ptbench: \`-w share -n 2 --consume none --chunk 64k\`, pythread \`--via heap\`, pyproc \`--via queue\`)")
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
grep '^cpu[0-9]' /proc/stat >"$tmp/stat-start"
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
grep '^cpu[0-9]' /proc/stat >"$tmp/stat-end"

PYTHONPATH="$(cd "$(dirname "$0")/.." && pwd)${PYTHONPATH:+:$PYTHONPATH}" \
	"${PYTHON:-python3}" -m ptb.xcheck.anchors "$tmp/samples" "$rounds" "$loops" "$count" \
	"$load_start" "$load_end" "$(other_cpus_busy "$tmp/stat-start" "$tmp/stat-end")" \
	"$py_loops" "$py_count" "${notes[@]}" >"$tmp/report.md"
cat "$tmp/report.md"
cp "$tmp/report.md" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
echo "anchors: wrote $out" >&2
