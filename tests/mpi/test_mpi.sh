#!/usr/bin/env bash
# test_mpi.sh - correctness of the mpi model (make test-mpi).
#
#   PTB_BUILD=build tests/mpi/test_mpi.sh
#
# 1. 2 ranks on one host: cpu, counter, share, create, every row ok=1 with
#    the exact result (cpu: ranks x steps; counter: 0; share: --bytes;
#    create: the ranks), notes say ranks=2 and netns=1.
# 2. Bad input: exit 2, one line, nothing written (--lock none, a workload
#    mpi does not implement, --hosts out of range, -m thread --hosts 2).
# 3. As root (network namespaces): 2 ranks on 2 hosts (cpu, share), ok=1,
#    hosts=2 in params, netns=2 in notes (the ranks really ran in two
#    namespaces); then a repetition killed by ptbench's --timeout and one
#    interrupted by SIGINT.
# After each run: no network namespace, no interface of ours, no MPI
# process, no new Open MPI session directory (/tmp) or shared-memory file
# (/dev/shm) remains.  No timing is
# checked, only results and leftovers.
# `COND && pass || failed MSG`: pass always succeeds, so failed runs only
# when COND is false.
# shellcheck disable=SC2015
set -euo pipefail

B="${PTB_BUILD:-build}"
PTB="${B}/ptbench"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
checks=0

pass() { checks=$((checks + 1)); }
failed() {
	checks=$((checks + 1))
	fails=$((fails + 1))
	echo "FAIL: $*" >&2
}

# Column NAME of every data row of CSV, one per line.
column() {
	python3 -c '
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    print(row[sys.argv[2]])' "$1" "$2"
}

ompi_dirs() { find /tmp /dev/shm -maxdepth 1 \( -iname '*ompi*' -o -name 'vader_segment*' \) 2>/dev/null | sort; }
ompi_before="$(ompi_dirs)"

# Every process this test starts inherits this variable (mpirun passes its
# environment to the agent, hence to orted and the ranks), so leftovers are
# found by it and not confused with other people's concurrent runs.
export PTB_MPI_TEST_TAG="test-mpi-$$-${RANDOM}"
ours() {
	local f
	for f in /proc/[0-9]*/environ; do
		[ "$f" != "/proc/$$/environ" ] && [ "$f" != "/proc/${BASHPID}/environ" ] || continue
		if { tr '\0' '\n' <"$f"; } 2>/dev/null | grep -qx "PTB_MPI_TEST_TAG=${PTB_MPI_TEST_TAG}"; then
			local pid="${f#/proc/}"
			pid="${pid%/environ}"
			echo "$pid $({ tr '\0' ' ' <"/proc/${pid}/cmdline"; } 2>/dev/null)"
		fi
	done
}

# Nothing of ours may remain.
check_clean() {
	local what="$1" left
	sleep 0.2
	left="$(ours)"
	[ -z "$left" ] && pass || failed "$what: processes remain: $left"
	left="$(ip netns list 2>/dev/null || true)"
	[ -z "$left" ] && pass || failed "$what: network namespaces remain: $left"
	left="$(ip -o link 2>/dev/null | grep -E 'ptbbr|ptbv' || true)"
	[ -z "$left" ] && pass || failed "$what: interfaces remain: $left"
	[ "$(ompi_dirs)" = "$ompi_before" ] && pass || failed "$what: Open MPI session dirs or shared-memory files remain in /tmp or /dev/shm"
}

# Every row ok=1, and results as expected ("workload=result" pairs).
check_rows() {
	local csv="$1" what="$2"
	shift 2
	local oks results wls notes
	oks="$(column "$csv" ok | sort -u | tr '\n' ' ')"
	[ "$oks" = "1 " ] && pass || failed "$what: ok column is '$oks'"
	wls="$(column "$csv" workload)"
	results="$(column "$csv" result)"
	notes="$(column "$csv" notes)"
	local pair
	for pair in "$@"; do
		local wl="${pair%%=*}" want="${pair#*=}"
		local got
		got="$(paste -d= <(echo "$wls") <(echo "$results") | grep "^${wl}=" | cut -d= -f2 | sort -u | tr '\n' ' ')"
		[ "$got" = "${want} " ] && pass || failed "$what: $wl result '$got', want $want"
	done
	echo "$notes" | grep -q "ranks=2" && pass || failed "$what: notes without ranks=2: $notes"
}

# A command must fail with status 2, one line naming something, no file.
expect_refusal() {
	local what="$1" needle="$2"
	shift 2
	local rc=0 err
	err="$("$@" -o "$tmp/refused.csv" 2>&1 >/dev/null)" || rc=$?
	[ "$rc" -eq 2 ] && pass || failed "$what: exit $rc, want 2"
	[ "$(echo "$err" | wc -l)" -eq 1 ] && pass || failed "$what: not one line: $err"
	echo "$err" | grep -q -- "$needle" && pass || failed "$what: message lacks '$needle': $err"
	[ ! -e "$tmp/refused.csv" ] && pass || failed "$what: wrote a file"
	echo "  refused ($what): $err"
}

echo "test-mpi: 2 ranks on one host"
"$PTB" run -q -w cpu,counter,share,create -m mpi -n 2 -r 2 --warmup 0 --steps 1e6 \
	--iters 100 --bytes 1M --chunk 64k -o "$tmp/one.csv" 2>"$tmp/one.err" ||
	failed "one host: ptbench exit $? ($(tail -1 "$tmp/one.err"))"
check_rows "$tmp/one.csv" "one host" cpu=2000000 counter=0 share=1048576 create=2
column "$tmp/one.csv" notes | grep -qv "netns=1" && failed "one host: a row with netns other than 1" || pass
check_clean "one host"

echo "test-mpi: bad input"
expect_refusal "--lock none" "reduction" "$PTB" run -w counter -m mpi -n 2 --lock none
expect_refusal "workload copy" "implements cpu, counter, share and create" "$PTB" run -w copy -m mpi -n 2
expect_refusal "--hosts 0" "hosts" "$PTB" run -w cpu -m mpi --hosts 0
expect_refusal "--hosts 1,2" "one value" "$PTB" run -w cpu -m mpi --hosts 1,2
expect_refusal "thread --hosts 2" "threads share one address space on one machine" \
	"$PTB" run -w cpu -m thread --hosts 2

if scripts/mpi_hosts.sh check; then
	echo "test-mpi: 2 ranks on 2 hosts (network namespaces)"
	"$PTB" run -q -w cpu,share -m mpi --hosts 2 -n 2 -r 2 --warmup 0 --steps 1e6 \
		--bytes 1M -o "$tmp/two.csv" 2>"$tmp/two.err" ||
		failed "two hosts: ptbench exit $? ($(tail -1 "$tmp/two.err"))"
	check_rows "$tmp/two.csv" "two hosts" cpu=2000000 share=1048576
	column "$tmp/two.csv" params | grep -qv "hosts=2" && failed "two hosts: params without hosts=2" || pass
	column "$tmp/two.csv" notes | grep -qv "netns=2" && failed "two hosts: ranks not in 2 namespaces" || pass
	check_clean "two hosts"

	echo "test-mpi: a repetition killed by --timeout"
	"$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e12 --timeout 3 \
		-o "$tmp/timeout.csv" 2>/dev/null || true
	column "$tmp/timeout.csv" error | grep -q "timeout" && pass || failed "timeout: no timeout row"
	check_clean "timeout"

	echo "test-mpi: a run interrupted by SIGINT"
	rc=0
	timeout --preserve-status -s INT 3 "$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e12 \
		-o "$tmp/int.csv" 2>/dev/null || rc=$?
	[ "$rc" -eq 130 ] && pass || failed "SIGINT: exit $rc, want 130"
	check_clean "SIGINT"
else
	echo "test-mpi: network namespaces cannot be created here (not root): 2-host part skipped"
	"$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e6 \
		-o "$tmp/noroot.csv" 2>/dev/null || true
	column "$tmp/noroot.csv" error | grep -q "needs root" && pass ||
		failed "unprivileged --hosts 2: the row does not say that namespaces need root"
	check_clean "unprivileged"
fi

echo "test-mpi: $((checks - fails)) passed, ${fails} failed"
[ "$fails" -eq 0 ]
