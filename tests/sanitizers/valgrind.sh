#!/usr/bin/env bash
# valgrind.sh - memcheck over a tiny `ptbench run` of every workload in
# every model (both taken from `ptbench list`), following every process
# (--trace-children=yes; forked runners and workers are followed anyway)
# except a Python interpreter.
#
#   tests/sanitizers/valgrind.sh [PTBENCH]     default: build/ptbench
#
# A pair passes when ptbench exits 0 (every row ok) and no process's log
# reports an error (invalid access, uninitialised use, a definite leak;
# tests/sanitizers/valgrind.supp says which one leak is expected and why); see judge
# below for the two exceptions (a death on purpose, a missing syscall).
# A pair the model cannot run (ptbench refuses it with exit 2 before it
# starts anything) is reported as skipped.  Exit 0 when every pair that
# ran passed, 1 otherwise, 2 on bad usage.
set -euo pipefail

ptbench=${1:-build/ptbench}
if [[ $# -gt 1 || ! -x "$ptbench" ]]; then
	echo "valgrind.sh: '${ptbench}' is not an executable ptbench (usage: tests/sanitizers/valgrind.sh [PTBENCH])" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null; then
	echo "valgrind.sh: valgrind not found (install the valgrind package)" >&2
	exit 2
fi

# Small sizes: memcheck runs code 20-50 times slower.  A workload not
# listed here runs with its defaults.
declare -A small=(
	[cpu]="--steps 100000"
	[copy]="--files 3 --file-size 64k --chunk 4k"
	[counter]="--iters 100 --lock mutex,spin,atomic,none"
	[create]="--count 20"
	[switch]="--rounds 1000 --via pipe,futex,socketpair"
	[footprint]="--touch-mb 1 --touch fresh,cow,read"
)

work=$(mktemp -d "${TMPDIR:-/tmp}/ptb-valgrind-XXXXXX")
trap 'rm -rf "$work"' EXIT

listing=$("$ptbench" list)
mapfile -t workloads < <(awk '/^workloads:/ { s = 1; next } /^models:/ { s = 0 }
	s && /^  [^ ]/ { print $1 }' <<<"$listing")
mapfile -t models < <(awk '/^models:/ { s = 1; next }
	s && /^  [^ ]/ && $1 != "all" { print $1 }' <<<"$listing")
# Pools (listed with "(--tasks, --submit)") also run more tasks than
# workers, submitted both ways.
mapfile -t pools < <(awk '/^models:/ { s = 1; next }
	s && /^  [^ ]/ && /--submit/ { print $1 }' <<<"$listing")

supp="$(dirname "$0")/valgrind.supp"
# The Python models exec an interpreter: its own memory manager is not
# ours to check (and not memcheck-clean), so tracing stops at python*; the
# mpi model's likewise at scripts/mpi_hosts.sh (mpirun, Open MPI, mount).
# --vgdb=no: no gdbserver FIFOs (/tmp/vgdb-pipe-*), which every process
# killed by a signal (the crash workload's victims) would leave behind.
vg=(valgrind --tool=memcheck --trace-children=yes --trace-children-skip='*python*,*mpi_hosts.sh'
	--vgdb=no --error-exitcode=1
	--leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
	--suppressions="$supp")

# run_one WORKLOAD MODEL LOGDIR [OPTION...]: one tiny run under memcheck.
run_one() {
	local w=$1 m=$2 logs=$3
	shift 3
	rm -f "$logs"/vg.*.log "$work/$w-$m.csv" "$work/$w-$m.meta.json"
	"${vg[@]}" --log-file="$logs/vg.%p.log" "$ptbench" run -q -w "$w" -m "$m" -n 2 -r 1 \
		--warmup 0 "$@" -o "$work/$w-$m.csv" --tmpdir "$work" >/dev/null 2>"$logs/stderr"
}

# judge W M LOGDIR STATUS: print the verdict on one pair; returns 0 (ok),
# 1 (failed) or 3 (not checkable: valgrind lacks a system call it needs).
#   - a process log reporting errors fails the pair, unless that process
#     died of a signal and ptbench still called every row ok: the
#     workload kills it on purpose (crash) and its fault is the finding;
#   - ptbench exiting non-zero fails the pair, unless no log reports an
#     error and valgrind warned of an unhandled system call (pidfd_open
#     in valgrind 3.19: the daemon workload cannot run under it).
judge() {
	local w=$1 m=$2 logs=$3 status=$4 procs f verdict=0
	local -a bad=() died=()
	procs=$(find "$logs" -name 'vg.*.log' | wc -l)
	for f in "$logs"/vg.*.log; do
		grep -q -E 'ERROR SUMMARY: [1-9]' "$f" || continue
		if [[ $status -eq 0 ]] && grep -q 'Process terminating with default action of signal' "$f"; then
			died+=("$f")
		else
			bad+=("$f")
		fi
	done
	if [[ ${#bad[@]} -gt 0 ]]; then
		echo "FAIL  $w x $m: exit $status, $procs processes, ${#bad[@]} with errors:"
		for f in "${bad[@]}"; do
			sed -n '/ERROR SUMMARY/p;/Invalid\|uninitialised\|definitely lost\|Mismatched\|overlap/,+6p' "$f"
		done
		verdict=1
	elif [[ $status -ne 0 ]] && grep -q -h 'unhandled amd64-linux syscall' "$logs"/vg.*.log; then
		echo "n/a   $w x $m: exit $status: valgrind lacks system call $(grep -h -o \
			'unhandled amd64-linux syscall: [0-9]*' "$logs"/vg.*.log | sed 's/.*: //' | sort -u |
			paste -s -d ,) (0 memory errors in $procs processes)"
		return 3
	elif [[ $status -ne 0 ]]; then
		echo "FAIL  $w x $m: exit $status, $procs processes, 0 memory errors"
		verdict=1
	else
		echo "ok    $w x $m: $procs processes, 0 errors${died:+ besides the fault of ${#died[@]} killed on purpose}"
	fi
	if [[ $verdict -ne 0 ]]; then
		sed 's/^/      stderr: /' "$logs/stderr"
	fi
	return "$verdict"
}

ran=0 failed=0 skipped=0 uncheckable=0
for w in "${workloads[@]}"; do
	read -r -a opts <<<"${small[$w]:-}"
	for m in "${models[@]}"; do
		pool_opts=()
		if [[ " ${pools[*]} " == *" $m "* ]]; then
			pool_opts=(--tasks 3 --submit "sync,async")
		fi
		logs="$work/$w-$m"
		mkdir "$logs"
		status=0
		run_one "$w" "$m" "$logs" "${opts[@]}" "${pool_opts[@]}" || status=$?
		if [[ $status -eq 2 && ${#pool_opts[@]} -gt 0 ]]; then
			# a gang workload: pools only with tasks = workers, async
			status=0
			run_one "$w" "$m" "$logs" "${opts[@]}" || status=$?
		fi
		if [[ $status -eq 2 ]]; then
			skipped=$((skipped + 1))
			echo "skip  $w x $m: $(head -n 1 "$logs/stderr")"
			continue
		fi
		ran=$((ran + 1))
		verdict=0
		judge "$w" "$m" "$logs" "$status" || verdict=$?
		case $verdict in
		1) failed=$((failed + 1)) ;;
		3) uncheckable=$((uncheckable + 1)) ;;
		esac
	done
done
echo "valgrind: $ran pairs run, $failed failed, $uncheckable not checkable (valgrind lacks a system call)," \
	"$skipped skipped (refused by the model)"
if [[ $ran -eq 0 || $failed -ne 0 ]]; then
	exit 1
fi
