#!/usr/bin/env bash
# tsan_loop.sh - run the cases where ThreadSanitizer meets fork and vfork
# (children made from a multi-threaded runner) LOOPS times under TSan, and
# count the loops in which every row came out ok=1 and TSan reported
# nothing.  A check that fails at random is found here, not in CI.
#
# Usage: scripts/tsan_loop.sh [--loops N] [--build DIR]
#   --loops N    how many loops [100]
#   --build DIR  a TSan build of ptbench [build/tsan]: make sanitize, or
#                make B=build/tsan CFLAGS="-O1 -g -fsanitize=thread" all
#
# The cases (the creation cases of tests/workloads/
# test_create_switch_footprint.sh at the sizes of its "create with 2
# creators", plus the other workloads whose workers fork):
#   create -m thread,fork,vfork -n 2 --count 20     2 creator threads
#   create -m fork,vfork -n 1 --count 10 --exec yes
#   zombie, daemon -m thread -n 2                   threads that fork
# The spawn model is left out: posix_spawn under TSan costs ~0.1 s a
# creation here and is covered once per make sanitize.
# Prints one line per failed loop and a count at the end; exit 1 when any
# loop failed, 2 on bad arguments.
set -euo pipefail

loops=100
build=build/tsan
while [ $# -gt 0 ]; do
	case "$1" in
	--loops) loops="${2:-}"; shift 2 || { echo "tsan_loop: --loops needs a value" >&2; exit 2; } ;;
	--build) build="${2:-}"; shift 2 || { echo "tsan_loop: --build needs a value" >&2; exit 2; } ;;
	*) echo "tsan_loop: unknown argument '$1' (allowed: --loops N, --build DIR)" >&2; exit 2 ;;
	esac
done
case "$loops" in ''|*[!0-9]*|0) echo "tsan_loop: --loops '$loops' (allowed: a whole number >= 1)" >&2; exit 2 ;; esac
ptbench="$build/ptbench"
[ -x "$ptbench" ] || { echo "tsan_loop: $ptbench not built (allowed: a TSan build directory)" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/tsan-loop.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

cases=(
	"-w create -m thread,fork,vfork -n 2 -r 1 --warmup 0 --count 20"
	"-w create -m fork,vfork -n 1 -r 1 --warmup 0 --count 10 --exec yes"
	"-w zombie -m thread -n 2 -r 1 --warmup 0"
	"-w daemon -m thread -n 2 -r 1 --warmup 0 --bound-ms 500"
)
green=0
t0=$(date +%s)
for ((i = 1; i <= loops; i++)); do
	ok=1
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086  # the case is a word list
		if ! "$ptbench" run $c -q -o "$work/run.csv" --force >"$work/out" 2>"$work/err" ||
			grep -q "ThreadSanitizer" "$work/err" ||
			! PYTHONPATH="$here/.." "${PYTHON:-python3}" -m ptb.check_csv "$work/run.csv" >/dev/null 2>>"$work/err"; then
			ok=0
			echo "tsan_loop: loop $i failed: ptbench run $c" >&2
			grep -v "^ptbench: \(warning\|note\)" "$work/err" | head -20 | sed 's/^/#   /' >&2
			break
		fi
	done
	green=$((green + ok))
done
echo "tsan_loop: $green of $loops loops green ($(( $(date +%s) - t0 )) s, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$green" -eq "$loops" ]
