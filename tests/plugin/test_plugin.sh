#!/usr/bin/env bash
# test_plugin.sh - `ptbench run -w plugin:PATH.so`: a user's C workload
# (include/ptbench/plugin.h, lib/plugin.c).  Builds, into a temporary
# directory, the example (examples/plugin/Makefile against the tree's
# include/) and the test plugins of tests/plugin/plugins.c (count, and
# crashing, hanging and broken variants), then checks:
#   - bad input: exit 2, one line on stderr, no CSV: a missing file, a
#     directory, a text file, an ELF without the symbol, a wrong ABI
#     version (in the struct, and a newer symbol), an option the plugin
#     does not declare, a value out of its range, an option named like
#     ptbench's or a model's, two plugins of one name, a model that cannot
#     run it (vfork, pythread; mpi for a plugin whose tasks are not
#     independent);
#   - ok rows with exact results: the example in thread, fork, threadpool
#     and procpool at 1 and 2 workers, sync and async; its option given
#     before -w (a pool of more tasks than workers); two plugins in one
#     run (fork) with a choice option swept; mpi
#     when ptbench-mpi and mpirun are there;
#   - a crashing plugin: an ok=0 row per model naming SIGSEGV, and the
#     next workload still runs; a hanging one: ok=0 rows at --timeout;
#   - nothing left: no process, no file in --tmpdir, no core file.
# Exact results only, no timing.  The directory goes on exit, also on
# failure or Ctrl-C.
#
#   tests/plugin/test_plugin.sh [BUILD_DIR]    (default build)
set -uo pipefail

build="${1:-build}"
top="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$(cd "$top" && cd "$build" && pwd)/ptbench"
check="$top/tests/workloads/check_rows.py"
work="$(mktemp -d "${TMPDIR:-/tmp}/ptb-plugin-test.XXXXXX")" || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$work/t"
cd "$work" || exit 2
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
flunk() {
	failed=$((failed + 1))
	echo "not ok - $1"
	[ -s why ] && sed 's/^/#   /' why >&2
	true
}

# ---- the plugins ---------------------------------------------------------------
: >why
if make -s -f "$top/examples/plugin/Makefile" PREFIX="$top" >why 2>&1 && [ -s sha256.so ]; then
	pass "the example builds with examples/plugin/Makefile against include/ptbench/plugin.h"
else
	flunk "the example builds with examples/plugin/Makefile"
fi
# so NAME -DMACRO...: tests/plugin/plugins.c as NAME.so
so() {
	local name="$1"
	shift
	cc -shared -fPIC -O1 -Wall -Wextra -Werror -I"$top/include" "$@" -o "$name.so" \
		"$top/tests/plugin/plugins.c" 2>>why
}
: >why
if so count && so crash -DTEST_CRASH -DTEST_NAME='"crash"' && so hang -DTEST_HANG -DTEST_NAME='"hang"' &&
	so abi2 -DTEST_ABI=2 && so v2 -DTEST_SYMBOL=ptb_plugin_v2 && so nosym -DTEST_SYMBOL=not_a_plugin &&
	so optw -DTEST_OPT='"workers"' && so opth -DTEST_OPT='"hosts"' &&
	so same -DTEST_NAME='"sha256"' && so dep -DTEST_DEPENDENT -DTEST_NAME='"dep"'; then
	pass "the test plugins build against the header alone (cc -shared -fPIC)"
else
	flunk "the test plugins build"
fi
echo "not a shared object" >text.so
mkdir -p dir.so

# ---- bad input -------------------------------------------------------------------
# bad NAME WANT ARGS...: exit 2, one line on stderr containing WANT, no CSV
bad() {
	local name="$1" want="$2" rc
	shift 2
	rm -f bad.csv bad.meta.json
	"$bin" run "$@" -r 1 --warmup 0 -q -o bad.csv >out 2>why
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <why)" -eq 1 ] && grep -q '^ptbench: ' why &&
		grep -qF -- "$want" why && [ ! -e bad.csv ] && [ ! -e bad.meta.json ]; then
		pass "bad input: $name"
	else
		echo "exit $rc, want 2 and one line with '$want', no CSV" >>why
		flunk "bad input: $name"
	fi
}
bad "a missing file" "plugin:nope.so: No such file or directory" -w plugin:nope.so
bad "a directory" "plugin:dir.so: not a regular file" -w plugin:dir.so
bad "a text file" "plugin:text.so: not an ELF shared object" -w plugin:text.so
bad "an ELF without the symbol" "plugin:nosym.so: no symbol ptb_plugin_v1" -w plugin:nosym.so
bad "ABI version 2 in the struct" "ptb_plugin_v1 has ABI version 2; this ptbench runs version 1" \
	-w plugin:abi2.so
bad "a newer symbol only" "it exports ptb_plugin_v2 (ABI version 2); this ptbench runs version 1" \
	-w plugin:v2.so
bad "an option the plugin does not declare" "unknown option '--bogus'" -w plugin:sha256.so --bogus 3
bad "another workload's option" "option --steps does not apply" -w plugin:sha256.so --steps 3
bad "a value out of the option's range" "--block: '0' is out of range" -w plugin:sha256.so --block 0
bad "an unknown choice" "--mode: unknown value 'or'" -w plugin:count.so --mode or
bad "an option named like ptbench's" "option --workers is ptbench's own" -w plugin:optw.so
bad "an option named like a model's" "option --hosts is model mpi's own" -w plugin:opth.so
bad "two plugins of one name" "its name 'sha256' is already" -w plugin:sha256.so,plugin:same.so
bad "vfork cannot run it" "'vfork' cannot run workload 'plugin:sha256'" -w plugin:sha256.so -m vfork
bad "pythread cannot run it" "'pythread' cannot run workload 'plugin:sha256'" -w plugin:sha256.so -m pythread
bad "mpi: tasks not independent" "'mpi' cannot run workload 'plugin:dep'" -w plugin:dep.so -m mpi

# ---- ok rows ---------------------------------------------------------------------------
# rows NAME SPEC EXIT ARGS...: ptbench exits EXIT, its rows pass check_rows.py SPEC
rows() {
	local name="$1" spec="$2" want_rc="$3" rc
	shift 3
	rm -f rows.csv
	"$bin" run "$@" -r 1 --warmup 0 -q --tmpdir "$work/t" -o rows.csv >out 2>why
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && python3 "$check" rows.csv "$spec" >>why 2>&1; then
		pass "$name"
	else
		echo "exit $rc, want $want_rc" >>why
		flunk "$name"
	fi
}
# result: column 19 of the CSV, for the exact results the spec cannot say
results() { python3 -c 'import csv,sys; print(" ".join(r["result"] for r in csv.DictReader(open(sys.argv[1]))))' rows.csv; }

rows "the example: thread, fork, threadpool, procpool at 1 and 2 workers, sync and async" \
	"models=thread,fork,threadpool,procpool;rows=12;ok=1" 0 \
	-w plugin:./sha256.so -m thread,fork,threadpool,procpool -n 1,2 --submit sync,async --block 4k
if [ "$(results)" = "1 1 1 1 1 1 2 2 2 2 2 2" ] && grep -q '^[^,]*,plugin:sha256,procpool,2,block=4096;passes=1;tasks=2;submit=sync,' rows.csv; then
	pass "the example: result = tasks whose digest is right, params block=4096;passes=1"
else
	results >why
	flunk "the example: result = tasks whose digest is right, params block=4096;passes=1"
fi
rows "the plugin's option before -w, a pool of 5 tasks on 2 workers" \
	"models=procpool;rows=1;ok=1;ops=20480" 0 \
	--block 4k --tasks 5 -w "plugin:$work/sha256.so" -m procpool -n 2
rows "two plugins in one run, a choice option swept" "models=fork;rows=3;ok=1" 0 \
	-w plugin:count.so,plugin:sha256.so -m fork -n 2 --steps 1001 --mode add,xor --block 1k
if [ "$(results)" = "2002 2 2" ]; then
	pass "count's results: tasks x steps (add), tasks x (steps % 2) (xor)"
else
	results >why
	flunk "count's results: tasks x steps (add), tasks x (steps % 2) (xor)"
fi
if [ -x "$(dirname "$bin")/ptbench-mpi" ] && command -v mpirun >/dev/null; then
	rows "mpi: 2 ranks of the example (independent tasks)" "models=mpi;rows=1;ok=1;ops=8192" 0 \
		-w plugin:sha256.so -m mpi -n 2 --block 4k
else
	echo "# mpi: not checked (no mpirun or no ptbench-mpi built)"
fi

# ---- containment -------------------------------------------------------------------------
# the crashing plugin, then count, in one run: crash's rows ok=0 naming
# SIGSEGV (thread: the runner died; fork: the worker), count's ok=1 after them
: >why
"$bin" run -w plugin:crash.so,plugin:count.so -m thread,fork,threadpool,procpool -n 2 -r 1 --warmup 0 -q \
	--tmpdir "$work/t" -o crash.csv >out 2>why
rc=$?
got="$(python3 -c 'import csv
for r in csv.DictReader(open("crash.csv")):
    print(r["workload"], r["model"], r["ok"], "SIGSEGV" in r["error"], r["result"])' 2>>why)"
want="plugin:crash thread 0 True 
plugin:crash fork 0 True 
plugin:crash threadpool 0 True 
plugin:crash procpool 0 True 
plugin:count thread 1 False 2000
plugin:count fork 1 False 2000
plugin:count threadpool 1 False 2000
plugin:count procpool 1 False 2000"
if [ "$rc" -eq 1 ] && [ "$got" = "$want" ]; then
	pass "a crashing plugin: ok=0 rows naming SIGSEGV in every model, and the next workload runs ok"
else
	echo "exit $rc, want 1; rows: $got" >>why
	flunk "a crashing plugin: ok=0 rows naming SIGSEGV in every model, and the next workload runs ok"
fi
rows "a hanging plugin ends at --timeout" "models=thread,fork;rows=2;ok=0;error=timeout after 1 s" 1 \
	-w plugin:hang.so -m thread,fork -n 2 --timeout 1

# ---- nothing left ----------------------------------------------------------------------------
: >why
left="$(pgrep -af -- "$work" || true)"
if [ -z "$left" ] && [ -z "$(ls -A t)" ] && [ -z "$(find . -maxdepth 1 -name 'core*')" ]; then
	pass "nothing left: no process, no file in --tmpdir, no core file"
else
	{ echo "$left"; ls -A t; find . -maxdepth 1 -name 'core*'; } >why
	flunk "nothing left: no process, no file in --tmpdir, no core file"
fi

echo "test_plugin: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
