#!/usr/bin/env bash
# leftovers.sh - fail when a ptbench run left something behind: a zombie,
# a running ptbench or worker process, a /dev/shm object or a temporary
# directory of ptbench's.  Used by CI after the tests and benchmarks.
set -euo pipefail

status=0
zombies=$(ps -eo stat=,pid=,ppid=,comm= | awk '$1 ~ /^Z/' || true)
if [ -n "$zombies" ]; then
	echo "leftovers: zombie processes:" >&2
	echo "$zombies" >&2
	status=1
fi
procs=$(pgrep -a -f 'build/ptbench|ptbench-worker' | grep -v -e pgrep -e leftovers || true)
if [ -n "$procs" ]; then
	echo "leftovers: ptbench processes still running:" >&2
	echo "$procs" >&2
	status=1
fi
# ptbench's own, and what Python's multiprocessing names there (semaphores
# under spawn and forkserver, shared_memory, heap files) for its Python models
shm=$(find /dev/shm -maxdepth 1 \( -name '*ptbench*' -o -name 'sem.mp-*' -o -name 'psm_*' \
	-o -name 'pym-*' \) 2>/dev/null || true)
if [ -n "$shm" ]; then
	echo "leftovers: shared-memory objects: $shm" >&2
	status=1
fi
tmp=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'ptbench-*' 2>/dev/null || true)
if [ -n "$tmp" ]; then
	echo "leftovers: temporary directories: $tmp" >&2
	status=1
fi
[ "$status" -eq 0 ] && echo "leftovers: none (no zombie, process, shm object or temp dir)"
exit "$status"
