#!/usr/bin/env bash
# hyperfine.sh - time whole `ptbench run` commands with hyperfine, and set
# the times against the wall times ptbench recorded for the same runs.
#
#   scripts/hyperfine.sh [--ptbench BIN] [--out DIR] [--workload W]
#                        [--workers N] [--size OPT=VALUE] [--seed-steps S]
#                        [--runs R] [--warmup K] [--models LIST]
#
# Two hyperfine benchmarks, exported as JSON and Markdown into DIR
# (default results/hyperfine):
#   models.*  one command per model, `ptbench run -w W -m MODEL -n N -r 1
#             --warmup 0 -q --SIZE`, plus the empty workload (cpu with
#             --steps 0, thread, 1 worker), which is ptbench's fixed cost.
#             Models: every one ptbench runs W with, except those whose one
#             check run takes over a second (the Python models at this size);
#             --models names them explicitly
#   seed.*    the seeds' style of comparison: `ptbench run -w cpu -m fork
#             -n N -r 1 --steps S` against `-m thread`
# Each command writes its CSV into a private temporary directory; a
# hyperfine --prepare step moves each run's row aside before the next run,
# so every timed run has the row ptbench wrote for it (warm-up rows are
# dropped).  ptb/xcheck/hyperfine.py then prints, per command,
# hyperfine's mean against ptbench's recorded wall_ns and outer_wall_ns,
# their ratio and the start-up overhead, into DIR/compare.md as well.
# Defaults: W=cpu, N=2, --size steps=1e8, S=1e9, R=10 runs, K=2 warm-ups.
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

bad() {
	echo "hyperfine.sh: $1" >&2
	exit 2
}

bin=build/ptbench
out=results/hyperfine
workload=cpu
workers=2
size=steps=1e8
seed_steps=1e9
runs=10
warmup=2
models=

while [ $# -gt 0 ]; do
	case "$1" in
	--ptbench | --out | --workload | --workers | --size | --seed-steps | --runs | --warmup | --models)
		[ $# -ge 2 ] || bad "option '$1' needs a value"
		case "$1" in
		--ptbench) bin=$2 ;;
		--out) out=$2 ;;
		--workload) workload=$2 ;;
		--workers) workers=$2 ;;
		--size) size=$2 ;;
		--seed-steps) seed_steps=$2 ;;
		--runs) runs=$2 ;;
		--warmup) warmup=$2 ;;
		--models) models=$2 ;;
		esac
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*) bad "unknown argument '$1' (see --help)" ;;
	esac
done

[ -x "$bin" ] || bad "--ptbench: '$bin' is not an executable (run make first)"
command -v hyperfine >/dev/null || bad "hyperfine is not installed (make deps)"
if ! [[ "$runs" =~ ^[0-9]+$ ]] || [ "$runs" -lt 2 ]; then
	bad "--runs: '$runs' is not a whole number >= 2"
fi
[[ "$warmup" =~ ^[0-9]+$ ]] || bad "--warmup: '$warmup' is not a whole number"
if ! [[ "$workers" =~ ^[0-9]+$ ]] || [ "$workers" -lt 1 ]; then
	bad "--workers: '$workers' is not a whole number >= 1"
fi
[[ "$size" =~ ^[a-z-]+=[^,]+$ ]] || bad "--size: '$size' is not OPTION=VALUE (e.g. steps=1e8)"
[[ "$seed_steps" =~ ^[0-9eEkMG.]+$ ]] || bad "--seed-steps: '$seed_steps' is not a number (e.g. 1e9)"

all_models=$("$bin" list | awk '/^models:/ { m = 1; next } m && /^  [a-z]/ { print $1 }' | grep -vx all || true)
[ -n "$all_models" ] || bad "'$bin list' shows no models"
explicit=${models:+yes}
if [ -z "$models" ]; then
	models=$(echo "$all_models" | paste -sd, -)
fi
IFS=, read -r -a asked <<<"$models"
for m in "${asked[@]}"; do
	grep -qx -- "$m" <<<"$all_models" || bad "--models: unknown model '$m' (allowed: $(echo "$all_models" | paste -sd, -))"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptbench-hyperfine-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Let ptbench check each model against the workload once, before timing:
# a model it refuses (exit 2: e.g. vfork runs only `create`) is left out
# of the default list and is an error when named; so is, from the default
# list only, a model whose one run took longer than slow_ms (the Python
# models at a C model's size), so that the whole run stays short.
slow_ms=1000
model_list=()
left_out=()
now_ms() { date +%s%3N; }
for m in "${asked[@]}"; do
	rc=0
	t0=$(now_ms)
	"$bin" run -w "$workload" -m "$m" -n "$workers" -r 1 --warmup 0 -q -o "$tmp/check.csv" \
		--force "--${size%%=*}" "${size#*=}" >/dev/null 2>"$tmp/check.err" || rc=$?
	took_ms=$(($(now_ms) - t0))
	why=$(tail -n 1 "$tmp/check.err")
	if [ "$rc" -eq 0 ] && [ -z "$explicit" ] && [ "$took_ms" -gt "$slow_ms" ]; then
		left_out+=("hyperfine.sh: leaving out model $m: one run took $took_ms ms at --${size%%=*} ${size#*=} (name it with --models, perhaps with a smaller --size)")
	elif [ "$rc" -eq 0 ]; then
		model_list+=("$m")
	elif [ "$rc" -eq 2 ] && [ -z "$explicit" ]; then
		left_out+=("hyperfine.sh: leaving out model $m: $why")
	else
		bad "ptbench refused '-w $workload -m $m -n $workers --${size%%=*} ${size#*=}': $why"
	fi
done
[ "${#model_list[@]}" -gt 0 ] || bad "ptbench runs no model with '-w $workload -n $workers --${size%%=*} ${size#*=}': $why"
for note in "${left_out[@]}"; do echo "$note" >&2; done

# The prepare step of a command: append the CSV its previous run wrote to
# CSV.rows (the header only once) and remove it; a shell program for sh -c,
# with the CSV as $0.
# shellcheck disable=SC2016
keep_rows='[ -f "$0" ] || exit 0; if [ -f "$0.rows" ]; then tail -n +2 "$0" >> "$0.rows"; else cat "$0" > "$0.rows"; fi; rm -f "$0"'
rotate() {
	printf "sh -c '%s' %s" "$keep_rows" "$1"
}

# hyperfine arguments for one named command writing into $tmp/NAME.csv.
hf_args=()
add_command() {
	local name=$1
	shift
	local csv="$tmp/$name.csv"
	hf_args+=(--prepare "$(rotate "$csv")" -n "$name" "$* -o $csv --force")
}

# Collect the rows of every run of NAME, in order, into $tmp/NAME.csv.rows.
finish_rows() {
	sh -c "$keep_rows" "$tmp/$1.csv"
}

mkdir -p "$out"
q="-r 1 --warmup 0 -q"
names=()
hf_args=()
for m in "${model_list[@]}"; do
	add_command "$workload-$m" "$bin run -w $workload -m $m -n $workers $q --${size%%=*} ${size#*=}"
	names+=("$workload-$m")
done
add_command "empty" "$bin run -w cpu -m thread -n 1 $q --steps 0"
names+=(empty)
echo "hyperfine.sh: timing ${#names[@]} commands (${runs} runs, ${warmup} warm-ups each)" >&2
hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
	--export-json "$out/models.json" --export-markdown "$out/models.md" "${hf_args[@]}"
for n in "${names[@]}"; do finish_rows "$n"; done

hf_args=()
seed_names=()
for m in fork thread; do
	grep -qx "$m" <<<"$all_models" || continue
	add_command "seed-$m" "$bin run -w cpu -m $m -n $workers $q --steps $seed_steps"
	seed_names+=("seed-$m")
done
hyperfine -N --style basic --warmup 1 --runs "$runs" \
	--export-json "$out/seed.json" --export-markdown "$out/seed.md" "${hf_args[@]}"
for n in "${seed_names[@]}"; do finish_rows "$n"; done

top="$(cd "$(dirname "$0")/.." && pwd)"   # the analysis package ptb/ is there
PYTHONPATH="$top${PYTHONPATH:+:$PYTHONPATH}" "${PYTHON:-python3}" -m ptb.xcheck.hyperfine --rows-dir "$tmp" --warmup "$warmup" "$out/models.json" \
	--warmup 1 "$out/seed.json" | tee "$out/compare.md"
