#!/usr/bin/env bash
# test_own_workload.sh - doc/own-workload.md's commands, verbatim: every
# ```sh block of the page, in order, in one bash, started in the source
# tree with a new empty HOME (so `make install PREFIX="$HOME/.local"`
# installs into a temporary directory), then checks what they wrote: ok
# rows in every model named, the verdict lines, the exported verdict, the
# refused plugin with no CSV.  Nothing is left behind (the HOME is removed,
# also on Ctrl-C).
#
#   tests/docs/test_own_workload.sh        (make test-own-workload)
set -uo pipefail
unset PTB_NO_VERDICTS	# make test turns them off for the other suites; the page shows them

top=$(cd "$(dirname "$0")/../.." && pwd)
page="$top/doc/own-workload.md"
python=${PYTHON:-python3}
home=$(mktemp -d "${TMPDIR:-/tmp}/ptb-own-workload.XXXXXX") || exit 2
trap 'rm -rf "$home"' EXIT
trap 'exit 130' INT TERM
passed=0 failed=0

check() {	# check NAME COMMAND...: one test
	if "${@:2}"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1" >&2
	fi
}

# The page's sh blocks, as one script.
awk '/^```sh$/ { on = 1; next } /^```/ { on = 0; next } on' "$page" > "$home/page.sh"
check "the page has commands" test -s "$home/page.sh"

(cd "$top" && HOME="$home" bash -eu "$home/page.sh") > "$home/out.txt" 2>&1
status=$?
check "the page's commands run to the end (status $status)" test "$status" -eq 0
[ "$status" -eq 0 ] || tail -20 "$home/out.txt" >&2

work="$home/mywork"
# ok_models CSV MODEL...: every row of CSV ok, and each MODEL has rows.
ok_models() {
	"$python" - "$@" <<'PY'
import csv, sys
path, models = sys.argv[1], sys.argv[2:]
rows = list(csv.DictReader(open(path)))
seen = {r["model"] for r in rows}
bad = [r for r in rows if r["ok"] != "1"]
if bad or seen != set(models):
    sys.exit(f"{path}: models {sorted(seen)} (want {models}), {len(bad)} rows not ok")
PY
}
check "sha.csv: ok rows in the four C models" ok_models "$work/sha.csv" thread fork threadpool procpool
check "hash-1m.csv: ok rows in pythread and pyproc" ok_models "$work/hash-1m.csv" pythread pyproc
check "hash-1k.csv: ok rows in pythread and pyproc" ok_models "$work/hash-1k.csv" pythread pyproc
check "the plugin's verdict lines" test "$(grep -c '^for plugin:sha256 (block=1048576, passes=8, [12] workers\?): throughput, \(fork ÷ thread\|procpool ÷ threadpool\) ' "$home/out.txt")" -eq 5
check "the Python function's verdict lines" test "$(grep -c '^for py:hashwork:sha_block (block=[0-9]*, rounds=[0-9]*, [12] workers\?): throughput, pyproc ÷ pythread ' "$home/out.txt")" -eq 4
check "the exported verdict" grep -q '^fork thread \(processes slower\|processes faster\|no measurable difference\)$' "$home/out.txt"
check "the refused plugin: one line, exit status 2" grep -q '^ptbench: --workload: plugin:./hashwork.py: not an ELF shared object' "$home/out.txt"
check "the refused plugin's exit status" grep -q '^exit status 2$' "$home/out.txt"
check "the refused plugin wrote no CSV" test ! -e "$work/never.csv"
check "the plugin was built from the installed header" test -f "$home/.local/include/ptbench/plugin.h" -a -f "$work/sha256.so"

echo "test-own-workload: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
