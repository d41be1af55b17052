#!/usr/bin/env bash
# man_include.sh - the sections of ptbench(1) that `ptbench --help` does
# not give, for help2man's --include: the workloads and models with their
# options and defaults (the output of `ptbench list`, verbatim), where an
# installed ptbench finds its helpers, and where the manual is.  help2man
# takes the rest (synopsis, options, exit status) from `ptbench --help`
# and `--version`, so the page is made from the binary and cannot go stale.
#
#   scripts/install/man_include.sh PTBENCH > ptbench.h2m   (make man)
set -euo pipefail

ptbench="${1:?usage: scripts/install/man_include.sh PTBENCH}"

# roff-escape one text line: backslashes, a leading . or ', and hyphens
roff() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" -e 's/-/\\-/g'; }

cat <<'HEAD'
[NAME]
ptbench \- processes against threads, measured: the same C workload in forked
children, pthreads, pools, vfork/spawn, Python and MPI, one CSV row per repetition
[WORKLOADS AND MODELS]
.PP
Each workload option applies to the workloads that list it; a list of values
is a sweep.  From
.BR "ptbench list" :
.PP
.nf
HEAD
"$ptbench" list | roff
cat <<'TAIL'
.fi
[FILES]
.TP
.I PREFIX/libexec/ptbench/ptbench\-worker
the program the spawn model and \fBcreate \-\-exec yes\fR start
.TP
.I PREFIX/libexec/ptbench/ptbench\-mpi
the mpi model's launcher and rank program (with \fImpi_hosts.sh\fR and
\fImpi_rsh.sh\fR, the namespace hosts)
.TP
.I PREFIX/share/ptbench/py/
the Python runner of the pythread, pyproc and pypool models
.PP
An installed ptbench finds them from its own path (PREFIX/bin/ptbench); a
built one beside itself and in the source tree.  PTBENCH_WORKER,
PTB_PYMODULE, PTB_PYTHON, PTB_MPI_BIN and PTB_MPI_HOSTS_SH override.
[SEE ALSO]
The manual is in \fIdoc/\fR of the source tree: cli.md (this page and more),
csv.md (the CSV and its meta), methodology.md, table.md, python.md, mpi.md.
TAIL
