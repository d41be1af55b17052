#!/usr/bin/env bash
# run_targets.sh - run the make targets of `make test` (all of them, also
# after a failure), keep each one's output in LOG_DIR/TARGET.log, count the
# tests each one ran, and close with one summary: a line per target, then
# "N passed, M failed" as the last line.
#
#   tests/run_targets.sh LOG_DIR TARGET... [--beside TARGET...]
#                                            (MAKE: the make to call)
#
# The targets before --beside run one after another, their output shown as
# it comes.  Those after it run no workload (no process, shared memory or
# temporary directory that another suite's leftover checks could see): on
# a machine of two or more CPUs they run in a second lane beside the first,
# their output kept in their logs and each one's count shown as it ends (the
# log of a failed one is shown in full at the end); on one CPU, after the
# first lane.
# A target's count is read from its output, in the forms the suites print:
#   CUnit          the "tests" line of its Run Summary (passed, failed)
#   unittest       "Ran N tests" and "OK [(skipped=K)]" or
#                  "FAILED (failures=F, errors=E, skipped=K)"
#   shell suites   a line "NAME: P passed, F failed[, S skipped]"
# A target that exits non-zero counts at least one failure; one that
# prints no count at all counts as one failure too (a suite must say what
# it ran).  Exit 0 when nothing failed, 1 otherwise, 2 on bad usage.
set -uo pipefail

if [ "$#" -lt 2 ]; then
	echo "usage: tests/run_targets.sh LOG_DIR TARGET... [--beside TARGET...]" >&2
	exit 2
fi
log_dir="$1"
shift
make_cmd="${MAKE:-make}"
mkdir -p "$log_dir" || exit 2

# count LOG: print "passed failed skipped" for one target's output.
count() {
	awk '
	/^Run Summary:/ { cunit = 1; next }
	cunit && $1 == "tests" && NF >= 6 { p += $4; f += $5; cunit = 0; next }
	/^Ran [0-9]+ tests? in / { ran = $2; next }
	ran != "" && /^OK( \(.*\))?$/ {
		k = 0; if (match($0, /skipped=[0-9]+/)) k = substr($0, RSTART + 8, RLENGTH - 8)
		p += ran - k; s += k; ran = ""; next
	}
	ran != "" && /^FAILED \(/ {
		bad = 0; k = 0; line = $0
		while (match(line, /(failures|errors|unexpected successes)=[0-9]+/)) {
			part = substr(line, RSTART, RLENGTH); sub(/.*=/, "", part); bad += part
			line = substr(line, RSTART + RLENGTH)
		}
		if (match($0, /skipped=[0-9]+/)) k = substr($0, RSTART + 8, RLENGTH - 8)
		p += ran - bad - k; f += bad; s += k; ran = ""; next
	}
	match($0, /: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$/) {
		n = split(substr($0, RSTART + 2), w, /[ ,]+/)
		p += w[1]; f += w[3]; if (n >= 6) s += w[5]
	}
	END { printf "%d %d %d\n", p, f, s }
	' "$1"
}

# run TARGET QUIET: make TARGET into its log (shown as it comes unless
# QUIET), then its counts and time into LOG_DIR/TARGET.count.
run() {
	local target="$1" quiet="$2" log="$log_dir/$1.log" rc start_s p f s note=""
	start_s=$(date +%s)
	if [ "$quiet" = yes ]; then
		"$make_cmd" --no-print-directory "$target" >"$log" 2>&1
		rc=$?
	else
		echo "== make $target"
		"$make_cmd" --no-print-directory "$target" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
	fi
	read -r p f s < <(count "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 note=" (exit status $rc)"
	elif [ $((p + f + s)) -eq 0 ]; then
		f=1 note=" (printed no count of its tests)"
	fi
	printf '%d %d %d %d%s\n' "$p" "$f" "$s" "$(($(date +%s) - start_s))" "$note" >"$log_dir/$target.count"
	[ "$quiet" = yes ] && echo "== make $target (beside): $p passed, $f failed$note"
	return 0
}

lane=() beside=()
while [ "$#" -gt 0 ]; do
	if [ "$1" = --beside ]; then
		shift
		beside=("$@")
		break
	fi
	lane+=("$1")
	shift
done

rm -f "$log_dir"/*.count
beside_pid=""
if [ "${#beside[@]}" -gt 0 ] && [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then
	# its own process group (job control on for this one job), so that an
	# interrupted run ends the whole lane, the makes it started included
	set -m
	( for target in "${beside[@]}"; do run "$target" yes; done ) &
	beside_pid=$!
	set +m
	trap 'kill -- -"$beside_pid" 2>/dev/null' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
fi
for target in "${lane[@]}"; do
	run "$target" no
done
if [ -n "$beside_pid" ]; then
	wait "$beside_pid"
	trap - EXIT
else
	for target in "${beside[@]}"; do
		run "$target" no
	done
fi

total_p=0 total_f=0 total_s=0
summary=()
for target in "${lane[@]}" "${beside[@]}"; do
	p=0 f=1 s=0 took_s=0 note=" (did not finish)"
	if [ -r "$log_dir/$target.count" ]; then
		read -r p f s took_s note <"$log_dir/$target.count"
		note="${note:+ $note}"
	fi
	if [ -n "$beside_pid" ] && [ "$f" -gt 0 ] && [[ " ${beside[*]} " == *" $target "* ]]; then
		echo "== make $target (beside, failed): its log"
		cat "$log_dir/$target.log"
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
	summary+=("$(printf '  %-16s %5d passed %4d failed %4d skipped %5d s%s' "$target" "$p" "$f" "$s" "$took_s" "$note")")
done
rm -f "$log_dir"/*.count

echo
echo "== make test: summary (logs in $log_dir/)"
printf '%s\n' "${summary[@]}"
[ "$total_s" -gt 0 ] && echo "  ($total_s skipped in all)"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
