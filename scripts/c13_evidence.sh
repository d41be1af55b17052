#!/usr/bin/env bash
# c13_evidence.sh - the measured evidence for claim C13 ("processes are
# simpler to program and debug"), for `make table`.
#
#  1. Lines of code of each model's adapter (lib/model_*.c) and of the
#     helpers the models share, counting non-blank lines after the
#     compiler's own preprocessor has removed the comments.
#  2. A ThreadSanitizer build of ptbench (clang, into its own build
#     directory) runs the unlocked counter with threads and with forked
#     processes, and the locked one with threads as a control; the script
#     counts the "WARNING: ThreadSanitizer: data race" reports of each and
#     reads the lost updates from the CSV.  TSan instruments one address
#     space: a race between processes on shared memory is invisible to it.
#
# Usage: scripts/c13_evidence.sh [--build-dir DIR] [--out FILE]
#   --build-dir DIR   where the TSan ptbench is built [build/tsan-c13]
#   --out FILE        write the JSON there instead of stdout
# Prints one JSON object.  Run from the top of the repository.
set -euo pipefail

build_dir="build/tsan-c13"
out=""
iters=1000
workers=4
window_us=10	# a pause between read and write, so updates are really lost

die_usage() {
	echo "c13_evidence.sh: $1 (allowed: --build-dir DIR, --out FILE)" >&2
	exit 2
}

while [ "$#" -gt 0 ]; do
	case "$1" in
	--build-dir) { [ "$#" -ge 2 ] && [ -n "$2" ]; } || die_usage "--build-dir needs a directory"
		build_dir="$2"; shift 2 ;;
	--out) { [ "$#" -ge 2 ] && [ -n "$2" ]; } || die_usage "--out needs a file name"
		out="$2"; shift 2 ;;
	*) die_usage "unknown argument '$1'" ;;
	esac
done

if [ ! -f lib/model.h ]; then
	echo "c13_evidence.sh: run from the top of the ptbench repository (lib/model.h not found)" >&2
	exit 2
fi
for tool in clang gcc make python3; do
	command -v "$tool" >/dev/null || { echo "c13_evidence.sh: $tool not found (make deps)" >&2; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/c13.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Non-blank lines of a C file once gcc's preprocessor has stripped comments
# (-fpreprocessed: no macro expansion, no includes; -dD keeps directives).
code_lines() {
	gcc -fpreprocessed -dD -E -P "$1" 2>/dev/null | grep -c '[^[:space:]]' || true
}

loc_json() {
	local first=1 f name
	printf '{'
	for f in "$@"; do
		[ -f "$f" ] || continue
		name="$(basename "$f" .c)"
		name="${name#model_}"
		[ "$first" -eq 1 ] || printf ', '
		first=0
		printf '"%s": %s' "$name" "$(code_lines "$f")"
	done
	printf '}'
}

# The TSan build: its own directory, so the normal build is untouched.
tsan_cflags="-O1 -g -fsanitize=thread"
make -s B="$build_dir" CC=clang CFLAGS="$tsan_cflags" "$build_dir/ptbench" >"$tmp/make.log" 2>&1 || {
	cat "$tmp/make.log" >&2
	echo "c13_evidence.sh: the TSan build failed (is libclang-rt-14-dev installed? make deps)" >&2
	exit 1
}
tsan_ptbench="$(cd "$build_dir" && pwd)/ptbench"

# One TSan run: prints the JSON of its findings.
tsan_run() {
	local name="$1" model="$2" lock="$3" rc=0
	local args=(run -w counter -m "$model" -n "$workers" --iters "$iters" --window-us "$window_us" --lock "$lock"
		-r 1 --warmup 0 -q -o "$name.csv")
	(cd "$tmp" && TSAN_OPTIONS="exitcode=0" "$tsan_ptbench" "${args[@]}" \
		>"$name.out" 2>"$name.err") || rc=$?
	local races lost where
	races="$(grep -c 'WARNING: ThreadSanitizer: data race' "$tmp/$name.err" || true)"
	lost="$("${PYTHON:-python3}" -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[0]["result"] if r else "null")' "$tmp/$name.csv")"
	# first frame of each access TSan names: function file:line
	where="$(awk '/(Read|Write|Previous read|Previous write|Atomic).* of size/ { grab = 1; next }
		grab && /#0 / { n = split($3, p, "/"); split(p[n], q, ":"); print $2 " " q[1] ":" q[2]; grab = 0 }' \
		"$tmp/$name.err" | sort -u | paste -sd ';' -)"
	printf '{"command": "%s %s", "exit_status": %d, "races": %s, "lost_updates": %s, "where": "%s"}' \
		"$build_dir/ptbench" "${args[*]}" "$rc" "$races" "$lost" "$where"
}

{
	printf '{\n'
	printf '  "loc_counting": "non-blank lines after gcc -fpreprocessed -dD -E -P (comments removed)",\n'
	printf '  "loc": %s,\n' "$(loc_json lib/model_*.c)"
	printf '  "loc_shared": %s,\n' "$(loc_json lib/models.c lib/pool.c lib/arena.c)"
	printf '  "tsan_build": "make B=%s CC=clang CFLAGS=\\"%s\\" %s/ptbench",\n' \
		"$build_dir" "$tsan_cflags" "$build_dir"
	printf '  "tsan_options": "exitcode=0",\n'
	printf '  "races_counting": "WARNING: ThreadSanitizer: data race reports; TSan reports each pair of racing stacks once",\n'
	printf '  "thread_nolock": %s,\n' "$(tsan_run thread-none thread none)"
	printf '  "fork_nolock": %s,\n' "$(tsan_run fork-none fork none)"
	printf '  "thread_mutex": %s\n' "$(tsan_run thread-mutex thread mutex)"
	printf '}\n'
} >"$tmp/evidence.json"

"${PYTHON:-python3}" -m json.tool "$tmp/evidence.json" >/dev/null || {
	echo "c13_evidence.sh: produced invalid JSON" >&2
	exit 1
}
if [ -n "$out" ]; then
	cp "$tmp/evidence.json" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
else
	cat "$tmp/evidence.json"
fi
