#!/usr/bin/env bash
# test_mpi.sh - correctness of the mpi model (make test-mpi).
#
#   PTB_BUILD=build tests/mpi/test_mpi.sh
#
# 1. 2 ranks on one host: cpu, counter, share, create, allreduce, every
#    row ok=1 with the exact result (cpu: ranks x steps; counter: 0; share:
#    --bytes; create: the ranks; allreduce: ranks x exchanges, each sum
#    checked element by element), notes say ranks=2 and netns=1.
#    --mpirun-args naming an MCA parameter the launcher also sets: the
#    user's value is passed once (Open MPI refuses one given twice).
# 2. allreduce in the C models (thread, fork, procpool, threadpool) at 3
#    workers: the exact result workers x exchanges.
# 3. Bad input: exit 2, one line, nothing written (--lock none, a workload
#    mpi does not implement, --hosts out of range, -m thread --hosts 2, a
#    missing, unreadable or malformed hostfile naming file and line, more
#    hosts than it lists, --net-rate on one host, --net-delay-us without
#    netem, --payload not a multiple of 8).
# 4. As root (network namespaces): 2 ranks on 2 hosts (cpu, share,
#    allreduce), ok=1, hosts=2 in params, netns=2 and nodes=2 in notes (the
#    ranks really ran in two namespaces with two host names); --net-rate:
#    the tbf qdisc is on both ends of the link, and 1 MiB reduced over a
#    10 Mbit/s link cannot take less than its bytes at that rate (a lower
#    bound only the limit enforces, never a timing threshold that load
#    could break); the hostfile path: ptbench inside namespace hosts with
#    --hostfile naming them and --mpirun-args giving the agent (as ssh
#    would be on real machines), ok=1 on 2 nodes, and a hostfile with an
#    unreachable host gives an ok=0 row naming it; then a repetition
#    killed by ptbench's --timeout (with a rate limit, so a qdisc exists),
#    one interrupted by SIGINT, and a driver killed by SIGKILL while its
#    ranks run.
# 5. pympi (CPython ranks with mpi4py, the same launcher): cpu, create and
#    allreduce at 2 ranks on one host and cpu, allreduce on 2 hosts, exact
#    results, notes naming the interpreter and mpi4py; an interpreter
#    without mpi4py is refused in one line naming python3-mpi4py and
#    PTB_PYTHON; a driver SIGKILLed while Python ranks run leaves nothing.
#    The interpreter: $PTB_PYTHON when it has mpi4py, else /usr/bin/python3
#    (make deps installs python3-mpi4py for it).
# After each run: no network namespace, no interface of ours, no MPI
# process (orted, mpirun, ranks, namespace holders), no new Open MPI
# session directory (/tmp) or shared-memory file (/dev/shm) remains; the
# qdiscs hang on interfaces inside the namespaces and go with them.  No
# timing is checked, only results and leftovers.
# QUICK=1 (make test-mpi-quick): the subset for CI - allreduce on one host
# and in the C models (exact sums), the refusals, and as root --net-rate
# and the hostfile path; the other workloads, --mpirun-args, 2 hosts
# without a rate, pympi runs (make test-python runs pympi on one host), the
# unreachable host, timeout, SIGINT and SIGKILL only in the full run.
# `COND && pass || failed MSG`: pass always succeeds, so failed runs only
# when COND is false.
# shellcheck disable=SC2015
set -euo pipefail

QUICK="${QUICK:-}"
full() { [ -z "$QUICK" ]; }
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
if full; then
	wls=(-w "cpu,counter,share,create,allreduce" --iters 100 --bytes 1M --chunk 64k)
	want=(cpu=2000000 counter=0 share=1048576 create=2 allreduce=40)
else
	wls=(-w allreduce)
	want=(allreduce=40)
fi
"$PTB" run -q "${wls[@]}" -m mpi -n 2 -r 2 --warmup 0 --steps 1e6 \
	--exchanges 20 --payload 1k --tmpdir "$tmp" -o "$tmp/one.csv" 2>"$tmp/one.err" ||
	failed "one host: ptbench exit $? ($(tail -1 "$tmp/one.err"))"
check_rows "$tmp/one.csv" "one host" "${want[@]}"
column "$tmp/one.csv" notes | grep -qv "netns=1" && failed "one host: a row with netns other than 1" || pass
paste -d' ' <(column "$tmp/one.csv" workload) <(column "$tmp/one.csv" notes) | grep "^allreduce " |
	grep -qv "round_median_ns=[1-9]" && failed "one host: an allreduce row without round_median_ns" || pass
check_clean "one host"

if full; then
	echo "test-mpi: --mpirun-args setting an MCA parameter the launcher sets too (the user's wins)"
	"$PTB" run -q -w allreduce -m mpi -n 2 -r 1 --warmup 0 --steps 1e3 --exchanges 10 \
		--mpirun-args "--mca mpi_yield_when_idle 1 -mca btl self,vader" --tmpdir "$tmp" \
		-o "$tmp/args.csv" 2>"$tmp/args.err" || failed "--mpirun-args: ptbench exit $? ($(tail -1 "$tmp/args.err"))"
	check_rows "$tmp/args.csv" "--mpirun-args" allreduce=20
	check_clean "--mpirun-args"
fi

echo "test-mpi: pympi (mpi4py ranks) on one host"
has_mpi4py() { [ -n "$1" ] && "$1" -I -c "import mpi4py" 2>/dev/null; }
pympi_python="${PTB_PYTHON:-}"
has_mpi4py "$pympi_python" || pympi_python=/usr/bin/python3
if full; then
	if has_mpi4py "$pympi_python"; then
		PTB_PYTHON="$pympi_python" "$PTB" run -q -w cpu,create,allreduce -m pympi -n 2 -r 1 --warmup 0 \
			--steps 1e4 --exchanges 5 --payload 64 --tmpdir "$tmp" -o "$tmp/py1.csv" 2>"$tmp/py1.err" ||
			failed "pympi one host: ptbench exit $? ($(tail -1 "$tmp/py1.err"))"
		check_rows "$tmp/py1.csv" "pympi one host" cpu=20000 create=2 allreduce=10
		column "$tmp/py1.csv" notes | grep -qv "netns=1;nodes=1;btl=vader;python=3[.0-9]*;impl=CPython;gil=[01];switch_us=[0-9]*;mpi4py=[0-9.]*;exe=/" &&
			failed "pympi one host: notes without the hosts, the interpreter and mpi4py: $(column "$tmp/py1.csv" notes)" || pass
		check_clean "pympi one host"
	else
		failed "pympi: no interpreter with mpi4py (PTB_PYTHON, /usr/bin/python3): make deps installs python3-mpi4py"
	fi
fi
printf '#!/bin/sh\nexec %s -S "$@"\n' "$pympi_python" >"$tmp/python-no-site"
chmod +x "$tmp/python-no-site"
expect_refusal "pympi without mpi4py" "install python3-mpi4py .* set PTB_PYTHON" \
	env PTB_PYTHON="$tmp/python-no-site" "$PTB" run -w cpu -m pympi -n 2
expect_refusal "pympi workload share" "pympi model implements cpu, create and allreduce" \
	"$PTB" run -w share -m pympi -n 2

echo "test-mpi: allreduce in the C models (3 workers: exact sums through the arena)"
"$PTB" run -q -w allreduce -m thread,fork,procpool,threadpool -n 3 -r 1 --warmup 0 --steps 1e4 \
	--exchanges 50 --payload 4k --tmpdir "$tmp" -o "$tmp/cmodels.csv" 2>"$tmp/cmodels.err" ||
	failed "C models: ptbench exit $? ($(tail -1 "$tmp/cmodels.err"))"
[ "$(column "$tmp/cmodels.csv" model | sort | tr '\n' ' ')" = "fork procpool thread threadpool " ] &&
	pass || failed "C models: not one row per model"
[ "$(column "$tmp/cmodels.csv" result | sort -u | tr '\n' ' ')" = "150 " ] && pass ||
	failed "C models: allreduce results $(column "$tmp/cmodels.csv" result | tr '\n' ' '), want 150"
[ "$(column "$tmp/cmodels.csv" ok | sort -u | tr '\n' ' ')" = "1 " ] && pass || failed "C models: a row not ok"

echo "test-mpi: bad input"
expect_refusal "--lock none" "reduction" "$PTB" run -w counter -m mpi -n 2 --lock none
expect_refusal "workload copy" "implements cpu, counter, create, share and allreduce" "$PTB" run -w copy -m mpi -n 2
expect_refusal "--hosts 0" "hosts" "$PTB" run -w cpu -m mpi --hosts 0
expect_refusal "--hosts 1,2" "one value" "$PTB" run -w cpu -m mpi --hosts 1,2
expect_refusal "thread --hosts 2" "threads share one address space on one machine" \
	"$PTB" run -w cpu -m thread --hosts 2
expect_refusal "missing hostfile" "$tmp/none.txt: No such file" "$PTB" run -w cpu -m mpi --hostfile "$tmp/none.txt"
mkdir "$tmp/adir"
expect_refusal "hostfile a directory" "$tmp/adir: Is a directory" "$PTB" run -w cpu -m mpi --hostfile "$tmp/adir"
printf '# two hosts\nnodeA slots=2\n\nnodeB slots=two\n' >"$tmp/bad-slots.txt"
expect_refusal "hostfile bad slots" "bad-slots.txt:4: slots must be" "$PTB" run -w cpu -m mpi --hostfile "$tmp/bad-slots.txt"
printf 'nodeA\nnodeB cores=2\n' >"$tmp/bad-word.txt"
expect_refusal "hostfile unknown attribute" "bad-word.txt:2: unknown attribute: 'cores=2'" \
	"$PTB" run -w cpu -m mpi --hostfile "$tmp/bad-word.txt"
printf 'nodeA slots=2\nnodeB\n' >"$tmp/two.txt"
expect_refusal "more hosts than listed" "--hosts 3: $tmp/two.txt lists only 2 hosts" \
	"$PTB" run -w cpu -m mpi --hostfile "$tmp/two.txt" --hosts 3
expect_refusal "--net-rate on one host" "need --hosts 2 or more" "$PTB" run -w cpu -m mpi --net-rate 10M
expect_refusal "--net-rate with a hostfile" "the network is real" \
	"$PTB" run -w cpu -m mpi --hostfile "$tmp/two.txt" --net-rate 10M
expect_refusal "--payload 12" "multiple of 8" "$PTB" run -w allreduce -m thread --payload 12
if scripts/mpi_hosts.sh check-netem 2>/dev/null; then
	echo "  (this kernel has netem: --net-delay-us is accepted)"
else
	expect_refusal "--net-delay-us without netem" "net-delay-us: no latency can be added here" \
		"$PTB" run -w cpu -m mpi --hosts 2 --net-delay-us 100
fi

if scripts/mpi_hosts.sh check; then
	if full; then
		echo "test-mpi: 2 ranks on 2 hosts (network namespaces)"
		"$PTB" run -q -w cpu,share,allreduce -m mpi --hosts 2 -n 2 -r 2 --warmup 0 --steps 1e6 \
			--bytes 1M --exchanges 20 --payload 1k --tmpdir "$tmp" -o "$tmp/two.csv" 2>"$tmp/two.err" ||
			failed "two hosts: ptbench exit $? ($(tail -1 "$tmp/two.err"))"
		check_rows "$tmp/two.csv" "two hosts" cpu=2000000 share=1048576 allreduce=40
		column "$tmp/two.csv" params | grep -qv "hosts=2" && failed "two hosts: params without hosts=2" || pass
		column "$tmp/two.csv" notes | grep -qv "netns=2" && failed "two hosts: ranks not in 2 namespaces" || pass
		column "$tmp/two.csv" notes | grep -qv "nodes=2" && failed "two hosts: ranks not on 2 host names" || pass
		check_clean "two hosts"

		echo "test-mpi: pympi ranks on 2 hosts"
		PTB_PYTHON="$pympi_python" "$PTB" run -q -w cpu,allreduce -m pympi --hosts 2 -n 2 -r 1 --warmup 0 \
			--steps 1e4 --exchanges 5 --payload 64 --tmpdir "$tmp" -o "$tmp/py2.csv" 2>"$tmp/py2.err" ||
			failed "pympi two hosts: ptbench exit $? ($(tail -1 "$tmp/py2.err"))"
		check_rows "$tmp/py2.csv" "pympi two hosts" cpu=20000 allreduce=10
		column "$tmp/py2.csv" notes | grep -qv "netns=2;nodes=2;btl=tcp;python=" &&
			failed "pympi two hosts: ranks not in 2 namespaces on 2 host names" || pass
		check_clean "pympi two hosts"
	fi

	echo "test-mpi: --net-rate (tc tbf on both ends of every link)"
	# shellcheck disable=SC2016  # expanded inside host 0
	qdiscs="$(scripts/mpi_hosts.sh run 3 --rate=10000000 -- sh -c '
		for e in $PTB_MPI_NSMAP; do nsenter --net="/proc/${e#*=}/ns/net" tc qdisc show; done')"
	[ "$(echo "$qdiscs" | grep -c "tbf 1: dev ptbv[12] root .*rate 10Mbit")" -eq 2 ] && pass ||
		failed "--rate: no tbf at 10Mbit on ptbv1 and ptbv2 in host 0: $qdiscs"
	[ "$(echo "$qdiscs" | grep -c "tbf 1: dev eth0 root .*rate 10Mbit")" -eq 2 ] && pass ||
		failed "--rate: no tbf at 10Mbit on eth0 of hosts 1 and 2: $qdiscs"
	"$PTB" run -q -w allreduce -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 0 --exchanges 1 \
		--payload 1M --net-rate 10M --tmpdir "$tmp" -o "$tmp/rate.csv" 2>"$tmp/rate.err" ||
		failed "--net-rate: ptbench exit $? ($(tail -1 "$tmp/rate.err"))"
	check_rows "$tmp/rate.csv" "--net-rate" allreduce=2
	column "$tmp/rate.csv" params | grep -q "net-rate=10000000" && pass || failed "--net-rate: not in params"
	# 1 MiB each way across a 10 Mbit/s link: at least 0.8 s, whatever the load
	wall="$(column "$tmp/rate.csv" wall_ns)"
	[ "${wall:-0}" -ge 800000000 ] && pass || failed "--net-rate: 1 MiB crossed a 10 Mbit/s link in ${wall} ns"
	check_clean "--net-rate"

	echo "test-mpi: --hostfile naming the namespace hosts (the real-host path)"
	# Inside host 0: write the hostfile $1 from the namespace hosts (plus
	# $EXTRA_HOST when set), then run the rest with --hostfile and the
	# agent that reaches these hosts, as ssh would reach real ones.
	# shellcheck disable=SC2016  # expanded by the inner shell, inside host 0
	inner='hf="$1"; shift
		{ echo "# the namespace hosts"; for h in ${PTB_MPI_HOSTLIST//,/ }; do echo "$h slots=2"; done
		  [ -z "${EXTRA_HOST:-}" ] || echo "$EXTRA_HOST"; } >"$hf"
		args="--mca plm_rsh_agent $PTB_MPI_RSH --mca btl tcp,self --mca btl_tcp_if_include $PTB_MPI_SUBNET --mca oob_tcp_if_include $PTB_MPI_SUBNET"
		"$@" --hostfile "$hf" --mpirun-args "$args"'
	scripts/mpi_hosts.sh run 2 -- bash -c "$inner" inner "$tmp/hosts.txt" \
		"$PTB" run -q -w allreduce,cpu -m mpi --hosts 2 -n 4 -r 1 --warmup 0 --steps 1e5 \
		--exchanges 20 --payload 1k --tmpdir "$tmp" -o "$tmp/hostfile.csv" 2>"$tmp/hostfile.err" ||
		failed "hostfile: exit $? ($(tail -1 "$tmp/hostfile.err"))"
	oks="$(column "$tmp/hostfile.csv" ok | sort -u | tr '\n' ' ')"
	[ "$oks" = "1 " ] && pass || failed "hostfile: ok column '$oks'"
	[ "$(column "$tmp/hostfile.csv" result | tr '\n' ' ')" = "80 400000 " ] && pass ||
		failed "hostfile: results $(column "$tmp/hostfile.csv" result | tr '\n' ' '), want 80 400000"
	column "$tmp/hostfile.csv" params | grep -qv "hostfile=$tmp/hosts.txt" && failed "hostfile: not in params" || pass
	column "$tmp/hostfile.csv" notes | grep -qv "nodes=2" && failed "hostfile: ranks not on 2 nodes" || pass
	check_clean "hostfile"
fi

if scripts/mpi_hosts.sh check; then
	if full; then
		echo "test-mpi: a hostfile with an unreachable host"
		rc=0
		EXTRA_HOST=10.77.0.99 scripts/mpi_hosts.sh run 2 -- bash -c "$inner" inner "$tmp/hosts3.txt" \
			"$PTB" run -q -w allreduce -m mpi --hosts 3 -n 3 -r 1 --warmup 0 --tmpdir "$tmp" \
			-o "$tmp/unreachable.csv" 2>/dev/null || rc=$?
		[ "$rc" -eq 1 ] && pass || failed "unreachable: exit $rc, want 1 (a failed repetition)"
		column "$tmp/unreachable.csv" ok | grep -qx 0 && pass || failed "unreachable: no ok=0 row"
		column "$tmp/unreachable.csv" error | grep -q "host 10.77.0.99 (.*hosts3.txt line 4) unreachable" && pass ||
			failed "unreachable: the error does not name the host: $(column "$tmp/unreachable.csv" error)"
		check_clean "unreachable host"

		echo "test-mpi: a repetition killed by --timeout (links rate-limited)"
		"$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e12 --timeout 3 \
			--net-rate 100M --tmpdir "$tmp" -o "$tmp/timeout.csv" 2>/dev/null || true
		column "$tmp/timeout.csv" error | grep -q "timeout" && pass || failed "timeout: no timeout row"
		check_clean "timeout"

		echo "test-mpi: a run interrupted by SIGINT"
		rc=0
		timeout --preserve-status -s INT 3 "$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e12 \
			--tmpdir "$tmp" -o "$tmp/int.csv" 2>/dev/null || rc=$?
		[ "$rc" -eq 130 ] && pass || failed "SIGINT: exit $rc, want 130"
		check_clean "SIGINT"

		echo "test-mpi: the driver killed by SIGKILL while its ranks run"
		"$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e12 --net-rate 100M \
			--tmpdir "$tmp" -o "$tmp/kill.csv" 2>/dev/null &
		driver=$!
		for _ in $(seq 100); do
			[ "$(ours | grep -c "ptbench-mpi rank")" -ge 2 ] && break
			sleep 0.1
		done
		[ "$(ours | grep -c "ptbench-mpi rank")" -ge 2 ] && pass || failed "SIGKILL: the ranks never started"
		kill -KILL "$driver"
		wait "$driver" 2>/dev/null || true
		sleep 0.5
		check_clean "SIGKILL of the driver"

		echo "test-mpi: the driver killed by SIGKILL while pympi ranks run"
		PTB_PYTHON="$pympi_python" "$PTB" run -q -w cpu -m pympi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e12 \
			--tmpdir "$tmp" -o "$tmp/pykill.csv" 2>/dev/null &
		driver=$!
		for _ in $(seq 150); do
			[ "$(ours | grep -c "ptpy.py mpi-rank")" -ge 2 ] && break
			sleep 0.1
		done
		[ "$(ours | grep -c "ptpy.py mpi-rank")" -ge 2 ] && pass || failed "pympi SIGKILL: the ranks never started"
		kill -KILL "$driver"
		wait "$driver" 2>/dev/null || true
		sleep 0.5
		check_clean "SIGKILL of the driver (pympi)"
	fi
else
	echo "test-mpi: several hosts cannot be made here (not root, or in a chroot): 2-host part skipped"
	"$PTB" run -q -w cpu -m mpi --hosts 2 -n 2 -r 1 --warmup 0 --steps 1e6 \
		-o "$tmp/noroot.csv" 2>/dev/null || true
	column "$tmp/noroot.csv" error | grep -q "needs root" && pass ||
		failed "unprivileged --hosts 2: the row does not say that namespaces need root"
	check_clean "unprivileged"
fi

echo "test-mpi: $((checks - fails)) passed, ${fails} failed"
[ "$fails" -eq 0 ]
