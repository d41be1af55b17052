#!/usr/bin/env bash
# plots.sh - every chart of a ptbench CSV, as PNG and SVG, via gnuplot.
#
#   ptb/plot/plots.sh [CSV [OUTDIR]]    (defaults: results/bench.csv;
#                                        results/plots for it, B/plots/NAME
#                                        for any other CSV)
#
# Charts: overview (headline figures), workload-NAME for each workload in
# the CSV, cpu-scaling (when cpu ran), create (when create ran), memory,
# switches.  OUTDIR/index.tsv lists them with a caption each (report.py
# reads it) and the notes about left-out counters; files listed in an
# older index are removed first, so charts of workloads no longer in the
# CSV do not linger.  Nothing in OUTDIR changes unless every chart was
# drawn.  Exit 2 with one line on stderr when CSV is missing or not
# ptbench's.  Only results/bench.csv of this tree may draw into its
# results/plots/ (the committed charts): another CSV aimed there is refused
# (exit 2, one line, nothing changed).  Each chart's footer names the
# CSV's run and date (csvkeys.py footer_line).  Environment: PLOT_FORMATS
# (default "png svg"), B (build dir).
set -euo pipefail

csv="${1:-results/bench.csv}"
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$(dirname "$here")")"
build="${B:-build}"
committed="$top/results/plots"
is_default_csv() { [ -e "$csv" ] && [ "$(realpath "$csv")" = "$(realpath -m "$top/results/bench.csv")" ]; }
if [ $# -ge 2 ]; then
	outdir="$2"
elif is_default_csv; then
	outdir="$committed"
else
	name="$(basename "$csv")"
	outdir="$build/plots/${name%.csv}"
fi
formats="${PLOT_FORMATS:-png svg}"
if [ "$(realpath -m "$outdir")" = "$(realpath -m "$committed")" ] && ! is_default_csv; then
	echo "plots: $outdir holds the committed charts of results/bench.csv: charts of $csv go elsewhere (make plots CSV=$csv writes $build/plots/NAME, or OUT=DIR)" >&2
	exit 2
fi

for fmt in $formats; do
	case "$fmt" in
	png | svg) ;;
	*)
		echo "plots: format '$fmt' in PLOT_FORMATS: allowed are png and svg" >&2
		exit 2
		;;
	esac
done
case "$csv$build" in
*"'"* | *'"'*)
	echo "plots: CSV path '$csv' (or build dir '$build'): no quote characters allowed" >&2
	exit 2
	;;
esac
if ! command -v gnuplot >/dev/null; then
	echo "plots: gnuplot not found (install gnuplot-nox: make deps)" >&2
	exit 1
fi

mkdir -p "$build"
tmp="$(mktemp -d "$build/plots.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Exit status 2 and one line when the CSV is missing or not ptbench's.
PYTHONPATH="$top${PYTHONPATH:+:$PYTHONPATH}" \
	"${PYTHON:-python3}" -m ptb.plot.csvkeys "$csv" "$tmp/keys.gp"

# gp SCRIPT NAME CAPTION [VAR=VALUE]: draw NAME.{png,svg} into $tmp/out.
mkdir "$tmp/out"
index="$tmp/out/index.tsv"
: >"$index"
gp() {
	local script="$1" name="$2" caption="$3" extra="${4:-}"
	# A group without a value (a counter only some workloads fill) makes
	# gnuplot's stats warn; it is drawn as missing, so the warning goes.
	local status=0
	gnuplot -e "csv='$csv'; keys='$tmp/keys.gp'; out='$tmp/out/$name'; plotdir='$here'; formats='$formats'; $extra" \
		"$here/$script.gp" 2>"$tmp/gnuplot.err" || status=$?
	grep -v 'warning: No valid data points found in file' "$tmp/gnuplot.err" >&2 || true
	if [ "$status" -ne 0 ]; then
		echo "plots: gnuplot failed on $script.gp (exit status $status)" >&2
		exit 1
	fi
	for fmt in $formats; do
		if [ ! -s "$tmp/out/$name.$fmt" ]; then
			echo "plots: gnuplot wrote no $name.$fmt" >&2
			exit 1
		fi
		printf '%s\t%s\n' "$name.$fmt" "$caption" >>"$index"
	done
}

# Names and metadata from keys.gp (written above from the CSV).
keyval() { sed -n "s/^$1 = \"\\(.*\\)\"\$/\\1/p" "$tmp/keys.gp"; }
workloads="$(keyval workloads)"
plottable="$(keyval plottable)"
empty="$(keyval empty_columns)"

gp overview overview "Headline figures: the cpu workload's speed-up, creation time, and the other workloads against workers, as far as the CSV has them."
has() { case " $workloads " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if has cpu; then
	gp cpu_scaling cpu-scaling "cpu: speed-up against workers per model (dashed: ideal; dotted: cores online), and how many cores each run kept busy."
fi
if has create; then
	gp create create "create: time to create and reap one empty worker, by model, and against the parent's touched memory (--parent-mb)."
fi
for w in $plottable; do
	gp workload "workload-$w" "$w: cost against workers, one panel per parameter variant, one line per model; median of the repetitions, bars minimum to maximum." "wl='$w'"
done
gp memory memory "Memory by model at the largest worker count: PSS per worker where the CSV measured it (as claim C3); else the peak RSS of the largest single process, which is not memory per worker (threads: one process holds every worker)."
gp switches switches "Context switches per run by model at the largest worker count: voluntary (blocked) and involuntary (preempted)."
for w in $workloads; do
	case " $plottable " in
	*" $w "*) ;;
	*) printf 'note\t%s: no row has a value to chart (see its result and notes columns): no chart\n' "$w" >>"$index" ;;
	esac
done
for c in $empty; do
	printf 'note\t%s is empty in every row of %s: left out of the charts\n' "$c" "$csv" >>"$index"
done

# Replace the previous set of charts with this one.
mkdir -p "$outdir"
if [ -f "$outdir/index.tsv" ]; then
	cut -f1 "$outdir/index.tsv" | grep -v '^note$' | while IFS= read -r old; do
		case "$old" in
		*/* | "") ;;
		*) rm -f "$outdir/$old" ;;
		esac
	done
fi
mv "$tmp/out/"* "$outdir/"
echo "plots: $(grep -vc '^note' "$outdir/index.tsv") files in $outdir from $csv"
