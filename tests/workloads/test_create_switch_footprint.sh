#!/usr/bin/env bash
# test_create_switch_footprint.sh - correctness of the create, switch and footprint workloads
# and of the vfork and spawn models: every model that runs them gives
# complete rows with ok=1; -m all picks exactly the models that can; a
# named model that cannot, or a bad worker count, is refused with exit 2
# and nothing written; a missing worker binary fails loudly; nothing is
# left behind; ptbench is linked -z now; make anchors' create reference
# (build/refs/create_ref) runs every mode and refuses bad options.
# Correctness only: no timing threshold anywhere.
#
# Usage: tests/workloads/test_create_switch_footprint.sh [BUILD_DIR]   (default: build)
set -euo pipefail

build="${1:-build}"
ptbench="$build/ptbench"
here="$(cd "$(dirname "$0")" && pwd)"
check="$here/check_rows.py"
[ -x "$ptbench" ] || { echo "test_create_switch_footprint: $ptbench not built (run make)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ptb-create-switch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work/tmp"	# ptbench's own temporary directories go here
mkdir -p "$TMPDIR"
# ptbench's own /dev/shm names (and multiprocessing's, as leftovers.sh
# looks for): what else lives there belongs to other programs
ours_in_shm() { find /dev/shm -maxdepth 1 \( -name '*ptbench*' -o -name 'sem.mp-*' -o -name 'psm_*' -o -name 'pym-*' \) | sort; }
shm_before="$(ours_in_shm)"
failures=0
n=0

pass() { n=$((n + 1)); echo "ok $n - $1"; }
flunk() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }

# run NAME CHECK-ARGS -- PTBENCH-ARGS: ptbench must exit 0 and the rows pass
run() {
	local name="$1" spec="$2"
	shift 3
	local csv="$work/$n.csv"
	if "$ptbench" run "$@" -q -o "$csv" >"$work/out" 2>"$work/err" &&
		python3 "$check" "$csv" "$spec" >"$work/why" 2>&1; then
		pass "$name"
	else
		flunk "$name"
		sed 's/^/#   /' "$work/err" "$work/why" >&2 || true
	fi
}

# refuse NAME PTBENCH-ARGS: exit status 2, one line on stderr, no file
refuse() {
	local name="$1"
	shift
	local csv="$work/refused-$n.csv" status=0
	"$ptbench" run "$@" -q -o "$csv" >"$work/out" 2>"$work/err" || status=$?
	if [ "$status" -eq 2 ] && [ ! -e "$csv" ] && [ ! -e "${csv%.csv}.meta.json" ] &&
		[ "$(wc -l <"$work/err")" -eq 1 ]; then
		pass "$name"
	else
		flunk "$name (exit $status)"
		sed 's/^/#   /' "$work/err" >&2 || true
	fi
}

# ---- create ---------------------------------------------------------------
run "create in thread,fork,vfork,spawn" "models=thread,fork,vfork,spawn;rows=8;result=ops" -- \
	-w create -m thread,fork,vfork,spawn -n 1 -r 2 --warmup 0 --count 20
run "create with 2 creators" "models=thread,fork,vfork,spawn;rows=4;result=ops;ops=40" -- \
	-w create -m thread,fork,vfork,spawn -n 2 -r 1 --warmup 0 --count 20
run "create --exec yes in fork,vfork,spawn" "models=fork,vfork,spawn;rows=3;result=ops" -- \
	-w create -m fork,vfork,spawn -n 1 -r 1 --warmup 0 --count 10 --exec yes
run "create --parent-mb 16" "models=thread,fork,vfork,spawn;rows=4;result=ops" -- \
	-w create -m thread,fork,vfork,spawn -n 1 -r 1 --warmup 0 --count 10 --parent-mb 16
run "create -m all: no pool, spawn only where it fits --exec" \
	"has=thread,fork,vfork,spawn;not=threadpool,procpool;spawn_rows=1;result=ops" -- \
	-w create -m all -n 1 -r 1 --warmup 0 --count 5 --exec auto,no
refuse "create --exec yes refused for thread" -w create -m thread --exec yes
refuse "create --exec no refused for spawn" -w create -m spawn --exec no
refuse "create refused for a pool" -w create -m threadpool

# a missing worker binary: the spawn row fails with the path in its error
csv="$work/noworker.csv"
status=0
PTBENCH_WORKER="$work/no-such-worker" "$ptbench" run -w create -m spawn -n 1 -r 1 --warmup 0 \
	--count 2 -q -o "$csv" >/dev/null 2>"$work/err" || status=$?
if [ "$status" -eq 1 ] && python3 "$check" "$csv" "models=spawn;rows=1;ok=0;error=no-such-worker" \
	>"$work/why" 2>&1; then
	pass "missing worker binary: ok=0, error names it, exit 1"
else
	flunk "missing worker binary (exit $status)"
	sed 's/^/#   /' "$work/err" "$work/why" >&2 || true
fi

# every symbol bound at start (-z now), so that no fork child runs the
# dynamic linker for a function its parent never called (doc/methodology.md)
if readelf -d "$ptbench" | grep -q 'FLAGS.*NOW'; then
	pass "ptbench is linked -z now"
else
	flunk "ptbench is linked -z now (readelf -d shows no NOW flag)"
fi

# the create reference of make anchors: its spawn starts the same worker
ref="$build/refs/create_ref"
ref_run() { # NAME WANT_STATUS ARGS...: the exit status, and a number or one line
	local name="$1" want="$2" status=0
	shift 2
	"$ref" "$@" >"$work/out" 2>"$work/err" || status=$?
	if [ "$status" -eq "$want" ] && { [ "$want" -ne 0 ] || grep -Eqx '[0-9]+\.[0-9]' "$work/out"; } &&
		{ [ "$want" -ne 2 ] || { [ "$(wc -l <"$work/err")" -eq 1 ] && [ ! -s "$work/out" ]; }; }; then
		pass "$name"
	else
		flunk "$name (exit $status)"
		sed 's/^/#   /' "$work/out" "$work/err" >&2 || true
	fi
}
for m in thread fork vfork; do
	ref_run "create_ref -m $m" 0 -m "$m" -l 5
done
ref_run "create_ref -m spawn -x ptbench-worker" 0 -m spawn -l 5 -x "$build/ptbench-worker"
# -f: the page faults per creation after the time, as "NS FAULTS"
if out="$("$ref" -m fork -l 5 -f)" && [[ "$out" =~ ^[0-9]+\.[0-9]\ [0-9]+\.[0-9]{2}$ ]]; then
	pass "create_ref -f prints the time and the page faults per creation"
else
	flunk "create_ref -f printed '${out:-}'"
fi
ref_run "create_ref -m spawn of a program that fails: exit 1" 1 -m spawn -l 5 -x /bin/false
ref_run "create_ref -m spawn without -x refused" 2 -m spawn -l 5
ref_run "create_ref -x without -m spawn refused" 2 -m fork -l 5 -x "$build/ptbench-worker"

# ---- switch -----------------------------------------------------------------
run "switch pipe pinned same, thread and fork" "models=thread,fork;rows=4;result=ops;workers=2" -- \
	-w switch -m thread,fork --via pipe --pin same -r 2 --warmup 0 --rounds 2000
run "switch every channel, unpinned" "models=thread,fork;rows=6;result=ops;workers=2" -- \
	-w switch -m thread,fork --via pipe,futex,socketpair --pin none -r 1 --warmup 0 --rounds 2000
run "switch -m all: thread, fork and the pools, not vfork or spawn" \
	"has=thread,fork,threadpool,procpool;not=vfork,spawn;result=ops;workers=2" -- \
	-w switch -m all -n 1,2,4 -r 1 --warmup 0 --rounds 1000 --via futex
if [ "$(nproc)" -ge 2 ]; then
	run "switch pinned split" "models=thread,fork;rows=2;result=ops;workers=2" -- \
		-w switch -m thread,fork --pin split -r 1 --warmup 0 --rounds 200
fi
if command -v taskset >/dev/null; then
	status=0
	taskset -c 0 "$ptbench" run -w switch -m thread --pin split -q -o "$work/split1.csv" \
		>/dev/null 2>"$work/err" || status=$?
	if [ "$status" -eq 2 ] && [ ! -e "$work/split1.csv" ]; then
		pass "switch --pin split refused on one CPU"
	else
		flunk "switch --pin split on one CPU (exit $status)"
	fi
fi
refuse "switch refused for vfork" -w switch -m vfork
refuse "switch refused at -n 3 only" -w switch -m thread -n 3
refuse "switch refused for a pool with sync submit" -w switch -m procpool --submit sync
refuse "switch refused for a pool with 4 tasks" -w switch -m threadpool --tasks 4

# ---- footprint ----------------------------------------------------------------
run "footprint -m all: thread, fork, pools at 1 and 3, not vfork or spawn" \
	"has=thread,fork,threadpool,procpool;not=vfork,spawn;pss=1" -- \
	-w footprint -m all -n 1,3 -r 1 --warmup 0
csv="$work/cow.csv"
if "$ptbench" run -w footprint -m thread,fork -n 1,3 -r 1 --warmup 0 --touch-mb 8 --touch cow \
	-q -o "$csv" >/dev/null 2>"$work/err" &&
	python3 "$check" "$csv" "models=thread,fork;rows=4;pss=1;cow_mb=8" >"$work/why" 2>&1; then
	pass "footprint --touch cow: a fork copies what it writes, threads share it"
else
	flunk "footprint --touch cow"
	sed 's/^/#   /' "$work/err" "$work/why" >&2 || true
fi
refuse "footprint refused for spawn" -w footprint -m spawn
refuse "footprint refused for a pool with sync submit" -w footprint -m threadpool --submit sync

# ---- nothing left behind --------------------------------------------------------
# A zombie counts when it is still there half a second later: another
# ptbench on the machine (a parallel build, another user) has short-lived
# ones between a child's exit and its wait.
ptb_zombies() { ps -eo pid=,stat=,comm= | awk '$2 ~ /^Z/ && $3 ~ /^ptbench/ {print $1, $3}' || true; }
zombies="$(ptb_zombies)"
if [ -n "$zombies" ]; then
	sleep 0.5
	zombies="$(comm -12 <(echo "$zombies" | sort) <(ptb_zombies | sort))"
fi
leftover="$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | head -5)"
shm_after="$(ours_in_shm)"
if [ -z "$zombies" ] && [ -z "$leftover" ] && [ "$shm_before" = "$shm_after" ]; then
	pass "nothing left behind (zombie, temp dir, /dev/shm)"
else
	flunk "left behind: zombies '$zombies' temp '$leftover'"
fi

echo "test_create_switch_footprint: $((n - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
