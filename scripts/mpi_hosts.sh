#!/usr/bin/env bash
# mpi_hosts.sh - N "hosts" on this machine for the mpi model: network
# namespaces joined by veth pairs and a bridge, in a private test subnet.
#
#   scripts/mpi_hosts.sh run N [--rate=BITS] [--delay-us=US] -- CMD [ARGS...]
#       N = 1: exec CMD here, nothing created (mpirun on localhost).
#       N > 1: create hosts h0..h(N-1), run CMD inside h0 with
#              PTB_MPI_HOSTLIST  comma list of the hosts' addresses
#              PTB_MPI_SUBNET    the subnet (for btl/oob_tcp_if_include)
#              PTB_MPI_RSH       scripts/mpi_rsh.sh (mpirun's plm_rsh_agent)
#              PTB_MPI_NSMAP     "ADDR=PID ..." the process holding each host
#       and tear everything down when CMD ends; exit with CMD's status.
#       --rate=BITS: every link carries at most BITS bits/s in each
#       direction (tc tbf on both ends of each veth: egress of ptbvI in h0
#       towards host I, egress of eth0 in host I towards the bridge).
#       --delay-us=US: netem adds US microseconds on the same egresses
#       (one way; a round trip between two non-zero hosts crosses four
#       egresses); refused with exit 2 when the kernel lacks sch_netem.
#   scripts/mpi_hosts.sh check
#       exit 0 when several hosts can be made here, else 1: network
#       namespaces, and the private PID and mount namespace every job runs
#       in (root; not in a chroot, where / is no mount point and its
#       propagation cannot be made private).
#   scripts/mpi_hosts.sh check-netem
#       exit 0 when the netem qdisc works here (tried on the loopback of a
#       throwaway network namespace), else 1 with one line saying why.
#
# Design: each host is an anonymous network namespace held by one `sleep`
# started with `unshare --net` (not `ip netns add`: that pins the namespace
# to a bind mount in /run/netns, which outlives a SIGKILL).  h0 holds the
# bridge ptbbr0 (10.77.0.1) and is where mpirun runs; hi (i >= 1) has eth0
# (10.77.0.(i+1)), a veth whose peer ptbvI is a port of the bridge.  Nothing
# is created in the root namespace.  The holders are in this script's
# process group, which ptbench's runner owns: on a normal end the EXIT trap
# kills them; when ptbench kills the group (timeout, Ctrl-C) they die with
# it, and a network namespace with no process left is freed by the kernel
# with its interfaces.  When this script itself is killed outright (the
# driver SIGKILLed: then nobody kills the group), its parent-death signal
# does it: every holder and the job's first process are started under
# `setpriv --pdeathsig KILL` as direct children of this script (the job's
# chain nsenter -> _isolated -> unshare is one process, each exec'ing the
# next), so they die with it, and this script dies with ptbench's runner
# (lib/external.c sets the same signal on it).  So nothing remains in any
# case.
#
# Processes and files: Open MPI puts its ranks in their own process groups
# and its remote daemons (orted, through the agent) in their own sessions,
# so a kill of ptbench's runner group would miss them, and it keeps session
# directories in /tmp and shared-memory files in /dev/shm.  So CMD runs as
# the first process of a new PID and mount namespace (unshare --pid --mount
# --kill-child, also for N = 1), with a private tmpfs on /dev/shm that also
# holds the session directories (orte_tmpdir_base; not /tmp, which may hold
# the very binaries to run): when that process dies, by any signal, the
# kernel kills every process in the PID namespace (mpirun, every orted,
# every rank; the agent enters only a host's network and UTS namespaces),
# and the tmpfs goes with the mount namespace.  Each host also has its own
# hostname (ptbh0, ptbh1, ...), as separate machines do; Open MPI names
# its session directories after it.  Without the privilege for all this
# (not root), CMD runs as is (N = 1 only): a normal end still leaves
# nothing, an interrupted one may leave ranks for a moment, until they
# notice that mpirun is gone.
#
# Cost, outside ptbench's timed region (the rank program times its own
# region after MPI_Init): creating N hosts is 3-4 `ip` calls per host plus
# one unshare (some tens of ms in all here), and mpirun must start one
# orted per extra host through the agent.
#
# On real machines none of this is needed: the same mpirun takes a normal
# hostfile (or -H a,b) and reaches the hosts by ssh; this script only makes
# several hosts out of one machine for tests and for the table.
#
# Traffic stays inside 10.77.0.0/24 on these namespaces (and loopback).
# Concurrent runs cannot collide: the namespaces are anonymous, the bridge
# and every veth end live inside them (none in the root namespace), so two
# runs each have their own ptbbr0 and their own 10.77.0.0/24; the qdiscs
# hang on those interfaces and vanish with them.
set -euo pipefail

SUBNET_PREFIX="10.77.0"
SUBNET="${SUBNET_PREFIX}.0/24"
MAX_HOSTS=16
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
holders=()

die() {
	echo "mpi_hosts.sh: $*" >&2
	exit 2
}

teardown() {
	local pid
	for pid in "${holders[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "${holders[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	holders=()
}

# Run a command in the network and UTS namespaces of holder PID.
in_ns() {
	local pid="$1"
	shift
	nsenter --net="/proc/${pid}/ns/net" --uts="/proc/${pid}/ns/uts" -- "$@"
}

# CMD as the first process of a new PID and mount namespace, /dev/shm private.
# (exec: the caller's process becomes unshare, keeping its parent-death signal)
job() {
	exec unshare --pid --mount --propagation private --kill-child -- "${here}/mpi_hosts.sh" _job "$@"
}

can_isolate() {
	unshare --pid --mount --fork true 2>/dev/null
}

can_create() {
	unshare --net true 2>/dev/null
}

# One holder process per host; its pid names the namespace.
start_holder() {
	local name="$1"
	# shellcheck disable=SC2016  # $1 is the inner shell's argument
	setpriv --pdeathsig KILL unshare --net --uts sh -c 'hostname "$1" && exec sleep 1000000' holder "$name" &
	local pid=$!
	holders+=("$pid")
	# wait until the holder is in its own namespace
	local tries=0
	while [ "$(readlink "/proc/${pid}/ns/net" 2>/dev/null)" = "$(readlink /proc/self/ns/net)" ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 500 ] || { echo "mpi_hosts.sh: holder ${pid} never entered its namespace" >&2; return 1; }
		sleep 0.01
	done
}

# tc on interface DEV in holder PID's namespace: rate (bits/s, 0: none)
# with tbf, delay (us, 0: none) with netem under it.
shape() {
	local pid="$1" dev="$2" rate="$3" delay="$4" burst
	if [ "$rate" -gt 0 ]; then
		# burst: 10 ms at the rate, at least 64 KiB (a GSO super-packet)
		burst=$((rate / 8 / 100))
		[ "$burst" -ge 65536 ] || burst=65536
		in_ns "$pid" tc qdisc add dev "$dev" root handle 1: tbf rate "${rate}bit" \
			burst "$burst" latency 100ms
		if [ "$delay" -gt 0 ]; then
			in_ns "$pid" tc qdisc add dev "$dev" parent 1:1 handle 10: netem delay "${delay}us"
		fi
	elif [ "$delay" -gt 0 ]; then
		in_ns "$pid" tc qdisc add dev "$dev" root netem delay "${delay}us"
	fi
}

# Exit 0 when netem works here, else 1 after printing the first error line.
netem_problem() {
	local out
	out="$(unshare --net sh -c 'ip link set lo up && tc qdisc add dev lo root netem delay 1ms' 2>&1)" && return 0
	echo "${out%%$'\n'*}"
	return 1
}

make_hosts() {
	local n="$1" rate="$2" delay="$3" i h0 hi
	for ((i = 0; i < n; i++)); do
		start_holder "ptbh${i}"
	done
	h0="${holders[0]}"
	in_ns "$h0" ip link set lo up
	in_ns "$h0" ip link add ptbbr0 type bridge
	in_ns "$h0" ip addr add "${SUBNET_PREFIX}.1/24" dev ptbbr0
	in_ns "$h0" ip link set ptbbr0 up
	for ((i = 1; i < n; i++)); do
		hi="${holders[$i]}"
		in_ns "$h0" ip link add "ptbv${i}" type veth peer name eth0 netns "$hi"
		in_ns "$h0" ip link set "ptbv${i}" master ptbbr0 up
		in_ns "$hi" ip link set lo up
		in_ns "$hi" ip addr add "${SUBNET_PREFIX}.$((i + 1))/24" dev eth0
		in_ns "$hi" ip link set eth0 up
		shape "$h0" "ptbv${i}" "$rate" "$delay"
		shape "$hi" eth0 "$rate" "$delay"
	done
}

run_hosts() {
	local n="$1" rate="$2" delay="$3" i list="" map=""
	shift 3
	trap teardown EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	make_hosts "$n" "$rate" "$delay"
	for ((i = 0; i < n; i++)); do
		list+="${list:+,}${SUBNET_PREFIX}.$((i + 1))"
		map+="${map:+ }${SUBNET_PREFIX}.$((i + 1))=${holders[$i]}"
	done
	local rc=0
	PTB_MPI_HOSTLIST="$list" PTB_MPI_SUBNET="$SUBNET" PTB_MPI_RSH="${here}/mpi_rsh.sh" \
		PTB_MPI_NSMAP="$map" in_ns "${holders[0]}" setpriv --pdeathsig KILL "${here}/mpi_hosts.sh" _isolated "$@" || rc=$?
	return "$rc"
}

main() {
	[ $# -ge 1 ] || die "usage: mpi_hosts.sh run N -- CMD [ARGS...] | check"
	case "$1" in
	check)
		can_create && can_isolate
		return
		;;
	check-netem)
		local why
		can_create || { echo "mpi_hosts.sh: cannot create network namespaces here (needs root)" >&2; return 1; }
		if why="$(netem_problem)"; then
			return 0
		fi
		echo "mpi_hosts.sh: no netem qdisc in this kernel (sch_netem): ${why}" >&2
		return 1
		;;
	_isolated)	# internal: in host 0, start the job's namespaces
		shift
		job "$@"
		return
		;;
	_job)		# internal: inside them, a private /dev/shm, then CMD
		shift
		if mount -t tmpfs -o mode=1777 ptbmpi /dev/shm; then
			OMPI_MCA_orte_tmpdir_base=/dev/shm exec "$@"
		fi
		echo "mpi_hosts.sh: no private /dev/shm: Open MPI's files go where it puts them" >&2
		exec "$@"
		;;
	run) ;;
	*) die "unknown command '$1' (allowed: run, check, check-netem)" ;;
	esac
	[ $# -ge 2 ] || die "usage: mpi_hosts.sh run N [--rate=BITS] [--delay-us=US] -- CMD [ARGS...]"
	local n="$2" rate=0 delay=0
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		case "$1" in
		--rate=*) rate="${1#--rate=}" ;;
		--delay-us=*) delay="${1#--delay-us=}" ;;
		*) die "unknown option '$1' (allowed: --rate=BITS, --delay-us=US)" ;;
		esac
		shift
	done
	[ $# -ge 2 ] || die "usage: mpi_hosts.sh run N [--rate=BITS] [--delay-us=US] -- CMD [ARGS...]"
	shift
	if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt "$MAX_HOSTS" ]; then
		die "bad host count '$n' (allowed: 1..${MAX_HOSTS})"
	fi
	[[ "$rate" =~ ^[0-9]+$ ]] || die "bad --rate '$rate' (allowed: bits per second, a whole number)"
	[[ "$delay" =~ ^[0-9]+$ ]] || die "bad --delay-us '$delay' (allowed: microseconds, a whole number)"
	if [ "$delay" -gt 0 ] && ! netem_problem >/dev/null; then
		die "--delay-us: no netem qdisc in this kernel (sch_netem); allowed: 0"
	fi
	if [ "$n" -eq 1 ] && { [ "$rate" -gt 0 ] || [ "$delay" -gt 0 ]; }; then
		die "--rate/--delay-us shape links between hosts: they need N >= 2"
	fi
	if [ "$n" -eq 1 ]; then
		if can_isolate; then
			job "$@"
			return
		fi
		exec "$@"
	fi
	can_create || die "cannot create network namespaces here (needs root): only 1 host"
	can_isolate || die "cannot create a private PID and mount namespace here (needs root; in a chroot / is no mount point): only 1 host"
	run_hosts "$n" "$rate" "$delay" "$@"
}

main "$@"
