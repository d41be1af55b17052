#!/usr/bin/env bash
# test_install.sh - `make install` into a temporary DESTDIR, then ptbench as
# an installed tool: a tiny `ptbench run` of every model family (thread,
# fork, the pools, vfork and spawn, the Python models, and mpi when
# mpirun is there) from the installed binary, with no PTB_* variable and
# no source tree above it, every row ok=1 with its exact result; the
# example plugin, copied from the installed manual, built in a directory
# of its own against the installed PREFIX/include/ptbench/plugin.h and run
# by the installed ptbench in the four C models; the example Python
# function run where it is installed (-w py:PATH.py:sha_block) in
# pythread, pyproc and pypool; the man
# page shows every option `ptbench --help` shows and every workload
# option `ptbench list` shows (man -l); `ptbench compare` runs the ptb
# package installed in share/ptbench on a CSV and an --export-json file;
# the completion offers workloads, models and choices; `make uninstall`
# removes every file.  The DESTDIR
# is removed at the end, also on failure.
#
#   tests/install/test_install.sh [BUILD_DIR]     (default build; MAKE: the make)
set -euo pipefail

build="${1:-build}"
top="$(cd "$(dirname "$0")/../.." && pwd)"
check="$top/tests/workloads/check_rows.py"
make_cmd="${MAKE:-make}"
work="$(mktemp -d "${TMPDIR:-/tmp}/ptb-install-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dest="$work/root"
prefix=/usr/local
bin="$dest$prefix/bin/ptbench"
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
flunk() { failed=$((failed + 1)); echo "not ok - $1"; [ -s "$work/why" ] && sed 's/^/#   /' "$work/why" >&2; true; }

# The installed ptbench with a clean environment, in a directory with no
# source tree above it.
installed() { (cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" TMPDIR="$work" "$bin" "$@"); }

: >"$work/why"
if "$make_cmd" --no-print-directory -s -C "$top" install B="$build" DESTDIR="$dest" PREFIX="$prefix" \
	>"$work/why" 2>&1; then
	pass "make install DESTDIR=... PREFIX=$prefix"
else
	flunk "make install"
	exit 1
fi

for f in bin/ptbench libexec/ptbench/ptbench-worker share/ptbench/py/ptpy.py \
	share/ptbench/ptb/runcompare.py share/ptbench/ptb/regress/compare.py share/ptbench/ptb/stats.py \
	share/man/man1/ptbench.1 share/bash-completion/completions/ptbench share/doc/ptbench/cli.md \
	include/ptbench/plugin.h share/doc/ptbench/examples/plugin/sha256.c \
	share/doc/ptbench/examples/plugin/Makefile share/doc/ptbench/examples/python/hashwork.py; do
	if [ -s "$dest$prefix/$f" ]; then pass "installed $f"; else : >"$work/why"; flunk "installed $f"; fi
done

# run NAME SPEC -- ARGS: the installed ptbench exits 0, its rows pass SPEC
run() {
	local name="$1" spec="$2" csv="$work/$passed-$failed.csv"
	shift 3
	if installed run "$@" -r 1 --warmup 0 -q -o "$csv" >"$work/why" 2>&1 &&
		python3 "$check" "$csv" "$spec" >"$work/why" 2>&1; then
		pass "installed ptbench: $name"
	else
		flunk "installed ptbench: $name"
	fi
}
run "thread, fork, threadpool, procpool" "models=thread,fork,threadpool,procpool;rows=4;ok=1" -- \
	-w cpu -m thread,fork,threadpool,procpool -n 2 --steps 1000
run "vfork, spawn (ptbench-worker from libexec)" "models=vfork,spawn;rows=2;result=ops" -- \
	-w create -m vfork,spawn -n 1 --count 3 --exec yes
run "pythread, pyproc, pypool (runner from share)" "models=pythread,pyproc,pypool;rows=3;ok=1" -- \
	-w cpu -m pythread,pyproc,pypool -n 2 --steps 1000
if command -v mpirun >/dev/null && [ -x "$dest$prefix/libexec/ptbench/ptbench-mpi" ]; then
	run "mpi (ptbench-mpi and mpi_hosts.sh from libexec)" "models=mpi;rows=1;ok=1" -- \
		-w cpu -m mpi -n 2 --steps 1000
else
	echo "# mpi: not checked (no mpirun or no ptbench-mpi built)"
fi

# A plugin from outside the tree: the installed example's Makefile, in a
# directory of its own, with the header found under the prefix.
mkdir -p "$work/plugin"
if (cd "$work/plugin" && "$make_cmd" -s -f "$dest$prefix/share/doc/ptbench/examples/plugin/Makefile" \
	PREFIX="$dest$prefix") >"$work/why" 2>&1 && [ -s "$work/plugin/sha256.so" ]; then
	pass "the example plugin builds against the installed include/ptbench/plugin.h"
else
	flunk "the example plugin builds against the installed include/ptbench/plugin.h"
fi
run "plugin:sha256.so (thread, fork, threadpool, procpool)" \
	"models=thread,fork,threadpool,procpool;rows=4;ok=1;ops=8192" -- \
	-w plugin:plugin/sha256.so -m thread,fork,threadpool,procpool -n 2 --block 4k

# A Python function from outside the tree: the installed example, by its path.
run "py:hashwork:sha_block (pythread, pyproc, pypool)" \
	"models=pythread,pyproc,pypool;rows=3;ok=1;ops=8192" -- \
	-w "py:$dest$prefix/share/doc/ptbench/examples/python/hashwork.py:sha_block" \
	-m pythread,pyproc,pypool -n 2 --py-arg block=4096 --py-arg rounds=1

# ptbench compare from the installed package (no source tree above $work):
# an old CSV against a new --export-json file, a verdict per measure.
if installed run -w cpu -m thread,fork -n 1 -r 5 --warmup 0 -q --steps 1000 -o old.csv \
	>"$work/why" 2>&1 &&
	installed run -w cpu -m thread,fork -n 1 -r 5 --warmup 0 -q --steps 1000 -o new.csv \
		--export-json new.json >"$work/why" 2>&1 &&
	installed compare old.csv new.json >"$work/compare.txt" 2>"$work/why" &&
	grep -q '^measure .*verdict$' "$work/compare.txt" &&
	[ "$(grep -cE '^cpu steps=1000, workers=1: (thread|fork) .* (better|worse|unchanged)$' "$work/compare.txt")" = 2 ]; then
	pass "installed ptbench compare (package from share/ptbench)"
else
	cat "$work/compare.txt" >>"$work/why" 2>/dev/null || true
	flunk "installed ptbench compare (package from share/ptbench)"
fi

# The man page: every option of --help, every workload option of list.
man_text="$work/man.txt"
if LC_ALL=C MANWIDTH=250 man -l "$dest$prefix/share/man/man1/ptbench.1" 2>"$work/why" |
	col -b >"$man_text" && [ -s "$man_text" ]; then
	pass "man -l renders ptbench(1)"
else
	flunk "man -l renders ptbench(1)"
fi
missing=""
for opt in $(installed --help | grep -oE '(^| |,)--?[a-z][a-z-]*' | tr -d ' ,' | sort -u) \
	$(installed list | grep -oE '^ +--[a-z][a-z-]*' | sort -u); do
	grep -qe "$opt" "$man_text" || missing="$missing $opt"
done
if [ -z "$missing" ]; then
	pass "the man page shows every option of --help and list"
else
	echo "missing:$missing" >"$work/why"
	flunk "the man page shows every option of --help and list"
fi

# The man page at 80 columns: no line wider; the sections a tool's page
# has, SEE ALSO pointing at the installed manual; every PTB_* variable the
# sources read (getenv, or the name handed to ptb_ext_find_program) in
# ENVIRONMENT.
page="$dest$prefix/share/man/man1/ptbench.1"
wide="$(LC_ALL=C MANWIDTH=80 man -l "$page" 2>/dev/null | col -b | awk 'length($0) > 80')"
if [ -z "$wide" ] && [ -s "$man_text" ]; then
	pass "man -l at 80 columns: no line wider"
else
	printf '%s\n' "$wide" >"$work/why"
	flunk "man -l at 80 columns: no line wider"
fi
missing=""
for section in EXAMPLES "EXIT STATUS" ENVIRONMENT FILES "SEE ALSO"; do
	grep -q "^$section\$" "$man_text" || missing="$missing [$section]"
done
grep -q "share/doc/ptbench" "$man_text" || missing="$missing share/doc/ptbench"
while read -r var; do
	grep -q "$var" "$man_text" || missing="$missing $var"
done < <(grep -rhoE '(getenv|ptb_ext_find_program)\("PTB[A-Z_]*"' "$top/bench" "$top/lib" |
	grep -oE 'PTB[A-Z_]*' | sort -u)
if [ -z "$missing" ]; then
	pass "the man page has EXAMPLES, EXIT STATUS, ENVIRONMENT (every PTB_*), FILES, SEE ALSO"
else
	echo "missing:$missing" >"$work/why"
	flunk "the man page has EXAMPLES, EXIT STATUS, ENVIRONMENT (every PTB_*), FILES, SEE ALSO"
fi

# The completion, as bash would call it.
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ptbench; echo "${COMPREPLY[*]}"' \
		_ "$dest$prefix/share/bash-completion/completions/ptbench" "$@"
}
check_completion() {
	local want="$1" got
	shift
	got="$(complete_words "$@")"
	if [ "$got" = "$want" ]; then
		pass "completion of '$*'"
	else
		echo "got '$got', want '$want'" >"$work/why"
		flunk "completion of '$*'"
	fi
}
check_completion "run" ptbench r
check_completion "cpu copy counter create crash" ptbench run -w c
# Every model whose name starts with py, as the installed ptbench lists them.
py_models="$("$bin" list | awk '/^models:/ { on = 1; next } on && /^  py/ { printf "%sthread,%s", sep, $1; sep = " " }')"
check_completion "$py_models" ptbench run -m thread,py
check_completion "mutex spin atomic none" ptbench run --lock ""
check_completion "--lock" ptbench run --lo

# Uninstall: no file of ours is left.
if "$make_cmd" --no-print-directory -s -C "$top" uninstall B="$build" DESTDIR="$dest" PREFIX="$prefix" \
	>"$work/why" 2>&1 && [ -z "$(find "$dest" -type f -o -type l)" ]; then
	pass "make uninstall removes every file"
else
	find "$dest" -type f >>"$work/why"
	flunk "make uninstall removes every file"
fi

echo "test_install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
