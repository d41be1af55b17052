#!/usr/bin/env bash
# test_plots.sh - the plot scripts and the report on the fixture CSV.
#
# Checks that each gnuplot script draws a non-empty PNG and SVG from
# tests/scripts/plots/fixture.csv (not what the image looks like), that plots.sh
# draws the whole set and lists it in index.tsv, that counters missing from
# the CSV are left out with a note, that charts of a workload no longer in
# the CSV are removed, that report.py writes one self-contained HTML page,
# and that a missing file or a CSV that is not ptbench's is refused with
# exit status 2 and nothing written.  No timing is checked.
#   tests/scripts/plots/test_plots.sh          (from the top of the tree)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../../.." && pwd)"
export PYTHONPATH="$top${PYTHONPATH:+:$PYTHONPATH}"   # the ptb package, run as python3 -m
plot="$top/ptb/plot"
fixture="$here/fixture.csv"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export B="$tmp/build"   # plots.sh keeps its temporary files there
failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
ok() { checks=$((checks + 1)); }

# is_image FILE: non-empty, and a PNG or an SVG by its first bytes.
is_image() {
	[ -s "$1" ] || return 1
	case "$1" in
	*.png) [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "211PNG" ] ;;
	*.svg) grep -q '<svg' "$1" ;;
	esac
}

# expect_status WANT DESCRIPTION COMMAND...: run COMMAND, check its exit status.
expect_status() {
	local want="$1" what="$2" got=0
	shift 2
	"$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$what: exit status $got, expected $want ($(head -c 300 "$tmp/err.txt"))"
		return 1
	fi
	ok
}

# 1. Each gnuplot script on its own, on the fixture.
"${PYTHON:-python3}" -m ptb.plot.csvkeys "$fixture" "$tmp/keys.gp"
run_gp() {
	local script="$1" name="$2" extra="${3:-}"
	if expect_status 0 "$script.gp" gnuplot -e "csv='$fixture'; keys='$tmp/keys.gp'; out='$tmp/$name'; plotdir='$plot'; $extra" "$plot/$script.gp"; then
		for fmt in png svg; do
			if is_image "$tmp/$name.$fmt"; then ok; else fail "$script.gp drew no $name.$fmt"; fi
		done
	fi
}
run_gp overview overview
run_gp cpu_scaling cpu-scaling
run_gp create create
run_gp memory memory
run_gp switches switches
for w in cpu copy counter create; do
	run_gp workload "workload-$w" "wl='$w'"
done
expect_status 2 "workload.gp with a workload not in the CSV" \
	gnuplot -e "csv='$fixture'; keys='$tmp/keys.gp'; out='$tmp/nope'; plotdir='$plot'; wl='nope'" "$plot/workload.gp" || true

# 2. The driver: the whole set, listed in index.tsv.
out="$tmp/plots"
if expect_status 0 "plots.sh on the fixture" "$plot/plots.sh" "$fixture" "$out"; then
	n=0
	while IFS=$'\t' read -r file _; do
		[ "$file" = note ] && continue
		n=$((n + 1))
		if is_image "$out/$file"; then ok; else fail "plots.sh: $file listed but not an image"; fi
	done <"$out/index.tsv"
	# overview, cpu-scaling, create, 4 workloads, memory, switches; PNG and SVG.
	if [ "$n" -eq 18 ]; then ok; else fail "plots.sh listed $n files, expected 18"; fi
fi

# 3. Counters missing from the CSV are left out with a note.
"${PYTHON:-python3}" - "$fixture" "$tmp/lean.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
keep = [i for i, c in enumerate(rows[0]) if c not in ("vol_cs", "invol_cs", "user_ns")]
with open(sys.argv[2], "w", newline="") as f:
    csv.writer(f).writerows([[r[i] for i in keep] for r in rows])
PY
if expect_status 0 "plots.sh on a CSV without vol_cs, invol_cs, user_ns" "$plot/plots.sh" "$tmp/lean.csv" "$tmp/lean"; then
	for c in vol_cs invol_cs user_ns pss_kb; do
		if grep -q "^note	$c is empty" "$tmp/lean/index.tsv"; then ok; else fail "no note about $c"; fi
	done
fi

# 4. Charts of a workload that is no longer in the CSV are removed.
awk -F, '$2 != "create"' "$fixture" >"$tmp/nocreate.csv"
if expect_status 0 "plots.sh on a CSV without create" "$plot/plots.sh" "$tmp/nocreate.csv" "$out"; then
	for f in create.png workload-create.svg; do
		if [ ! -e "$out/$f" ]; then ok; else fail "stale $f left in the output directory"; fi
	done
	if is_image "$out/workload-cpu.png"; then ok; else fail "workload-cpu.png missing after the second run"; fi
fi

# 5. The report: one page, charts inlined.
"$plot/plots.sh" "$fixture" "$out" >/dev/null
if expect_status 0 "report.py" "${PYTHON:-python3}" -m ptb.report --csv "$fixture" --plots "$out" \
	--table "$tmp/no-table.md" --claims "$tmp/no-claims" -o "$tmp/report.html"; then
	# each chart inlined once, as SVG or PNG (report.py picks), the headline too
	imgs="$(grep -oE 'src="data:image/(png;base64|svg\+xml)' "$tmp/report.html" | wc -l || true)"
	if [ "$imgs" -ge 9 ]; then ok; else fail "report.html inlines $imgs charts, expected at least 9"; fi
	if grep -q 'make table' "$tmp/report.html"; then ok; else fail "report.html lacks the note about the missing table"; fi
	if grep -q 'cores_online' "$tmp/report.html"; then ok; else fail "report.html lacks the meta"; fi
fi

# 6. Bad input: exit status 2, one line, nothing written.
printf 'name,value\nx,1\n' >"$tmp/other.csv"
head -1 "$fixture" >"$tmp/header-only.csv"
for bad in "$tmp/missing.csv" "$tmp/other.csv" "$tmp/header-only.csv"; do
	if expect_status 2 "plots.sh $(basename "$bad")" "$plot/plots.sh" "$bad" "$tmp/bad-out"; then
		if [ "$(wc -l <"$tmp/err.txt")" -eq 1 ]; then ok; else fail "plots.sh $(basename "$bad"): not one line on stderr"; fi
	fi
	if [ ! -e "$tmp/bad-out" ]; then ok; else fail "plots.sh $(basename "$bad") wrote $tmp/bad-out"; fi
	expect_status 2 "ptb/plot/csvkeys.py $(basename "$bad")" "${PYTHON:-python3}" -m ptb.plot.csvkeys "$bad" "$tmp/bad.gp" || true
	if [ ! -e "$tmp/bad.gp" ]; then ok; else fail "ptb/plot/csvkeys.py $(basename "$bad") wrote its output"; fi
	expect_status 2 "report.py $(basename "$bad")" "${PYTHON:-python3}" -m ptb.report --csv "$bad" --plots "$out" -o "$tmp/bad.html" || true
	if [ ! -e "$tmp/bad.html" ]; then ok; else fail "report.py $(basename "$bad") wrote its output"; fi
done
expect_status 2 "report.py without charts" "${PYTHON:-python3}" -m ptb.report --csv "$fixture" --plots "$tmp/none" -o "$tmp/bad.html" || true
expect_status 2 "report.py with a bad option" "${PYTHON:-python3}" -m ptb.report --colour red || true
PLOT_FORMATS=gif expect_status 2 "plots.sh with PLOT_FORMATS=gif" "$plot/plots.sh" "$fixture" "$tmp/bad-out" || true

# 7. A user's own CSV never touches the committed charts: make plots
# CSV=... writes under B/plots/NAME (or OUT=), plots.sh refuses to aim
# another CSV at results/plots/, and results/plots/ is as it was: git
# status and every file's checksum (an already modified chart overwritten
# shows there too); make report CSV=... writes B/report/NAME.html, and
# results/report.html is as it was too.
snapshot() {
	git -C "$top" status --porcelain results/plots/ results/report.html 2>/dev/null || true
	find "$top/results/plots" "$top/results/report.html" -type f -exec md5sum {} + 2>/dev/null | sort
}
before="$(snapshot)"
cp "$fixture" "$tmp/mine.csv"
cp "$here/fixture.meta.json" "$tmp/mine.meta.json"
if expect_status 0 "make plots CSV=mine.csv" make -s -C "$top" plots CSV="$tmp/mine.csv" B="$tmp/build"; then
	if is_image "$tmp/build/plots/mine/overview.png"; then ok; else fail "make plots CSV=mine.csv: no charts in B/plots/mine"; fi
fi
if expect_status 0 "make plots CSV=mine.csv OUT=DIR" make -s -C "$top" plots CSV="$tmp/mine.csv" OUT="$tmp/mine-out" B="$tmp/build"; then
	if is_image "$tmp/mine-out/memory.svg"; then ok; else fail "make plots OUT=DIR: no charts in DIR"; fi
	if grep -q "data: mine.csv, runs\? " "$tmp/mine-out/memory.svg"; then ok; else fail "memory.svg of mine.csv: no footer naming mine.csv's run"; fi
fi
expect_status 2 "plots.sh mine.csv aimed at results/plots" "$plot/plots.sh" "$tmp/mine.csv" "$top/results/plots" || true
if expect_status 0 "make report CSV=mine.csv" make -s -C "$top" report CSV="$tmp/mine.csv" B="$tmp/build"; then
	if [ -s "$tmp/build/report/mine.html" ]; then ok; else fail "make report CSV=mine.csv: no B/report/mine.html"; fi
fi
after="$(snapshot)"
if [ "$before" = "$after" ]; then ok; else fail "a user's CSV changed results/plots/ or results/report.html: $(diff <(echo "$before") <(echo "$after") | head -5)"; fi

echo "test-plots: $checks passed, $failures failed"
[ "$failures" -eq 0 ]
