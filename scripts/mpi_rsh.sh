#!/usr/bin/env bash
# mpi_rsh.sh - mpirun's plm_rsh_agent for the hosts of scripts/mpi_hosts.sh.
#
#   mpi_rsh.sh HOST COMMAND...
#
# Open MPI starts its daemon (orted) on each remote host by running
# AGENT HOST COMMAND, as it would run `ssh HOST COMMAND`.  Here a host is a
# network namespace held by a process: PTB_MPI_NSMAP ("ADDR=PID ...", set
# by mpi_hosts.sh) gives the holder of HOST, and the command runs in its
# network and UTS namespaces (its address, its hostname) through `sh -c`, as ssh would run it (the same as
# `ip netns exec NAME sh -c ...` for a named namespace).  On real machines
# mpirun uses ssh and needs none of this.
set -euo pipefail

[ $# -ge 2 ] || { echo "mpi_rsh.sh: usage: mpi_rsh.sh HOST COMMAND..." >&2; exit 2; }
host="$1"
shift
pid=""
for entry in ${PTB_MPI_NSMAP:-}; do
	if [ "${entry%%=*}" = "$host" ]; then
		pid="${entry#*=}"
	fi
done
[ -n "$pid" ] || { echo "mpi_rsh.sh: unknown host '${host}' (allowed: the addresses in PTB_MPI_NSMAP)" >&2; exit 2; }
exec nsenter --net="/proc/${pid}/ns/net" --uts="/proc/${pid}/ns/uts" -- sh -c "$*"
