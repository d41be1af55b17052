#!/usr/bin/env bash
# man_include.sh - the sections of ptbench(1) that `ptbench --help` does
# not give, for help2man's --include: the workloads and models with their
# options and defaults (from `ptbench list --json`, as roff paragraphs that
# man wraps to the terminal), examples, exit status, the environment, the
# files it reads and writes, and where the manual is (share/doc/ptbench).
# help2man takes the rest (synopsis, options) from `ptbench --help` and
# `--version`, so the page is made from the binary and cannot go stale.
#
#   scripts/install/man_include.sh PTBENCH > ptbench.h2m   (make man)
set -euo pipefail

ptbench="${1:?usage: scripts/install/man_include.sh PTBENCH}"

cat <<'HEAD'
[NAME]
ptbench \- processes against threads, measured: the same C workload in forked
children, pthreads, pools, vfork/spawn, Python and MPI, one CSV row per repetition
[WORKLOADS AND MODELS]
.PP
Each workload option applies to the workloads that list it; a list of values
is a sweep.  From
.BR "ptbench list" :
HEAD
# Each workload and model as a tagged paragraph, its options indented
# below it: roff-escaped (backslashes, hyphens, a leading dot).
"$ptbench" list --json | "${PYTHON:-python3}" -c '
import json, sys
def roff(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return ("\\&" + s) if s[:1] in ".\x27" else s
def opts(options):
    if not options:
        return
    print(".RS")
    for o in options:
        arg = "|".join(o["choices"]) if o["kind"] == "choice" else ("TEXT" if o["kind"] == "text" else "N")
        print(".TP\n.BI \"%s \" \"%s\"" % (roff("--" + o["name"]), roff(arg)))
        print("%s [%s]" % (roff(o["help"]), roff(o["default"])))
    print(".RE")
doc = json.load(sys.stdin)
for section, key in (("Workloads", "workloads"), ("Models", "models")):
    print(".SS %s" % section)
    for e in doc[key]:
        extra = " (op = %s)" % e["ops_unit"] if key == "workloads" else (" (\\-\\-tasks, \\-\\-submit)" if e.get("pooled") else "")
        print(".TP\n.B %s\n%s%s" % (roff(e["name"]), roff(e["description"]), extra))
        opts(e["options"])
print(".TP\n.B all\nevery model above that can run the workload")
'
cat <<'TAIL'
[YOUR OWN C WORKLOAD]
.TP
.BI "\-w plugin:" PATH.so
A shared object that defines
.B const struct ptb_plugin_v1 ptb_plugin_v1
from \fIPREFIX/include/ptbench/plugin.h\fR (its name, options, arena,
setup, task, verify, teardown), built with
.BR "cc \-shared \-fPIC" .
It runs as workload \fBplugin:\fINAME\fR in thread, fork, threadpool and
procpool, and in mpi when it says its tasks are independent; its options
parse, sweep and go into the params column as a built\-in workload's,
wherever they stand on the command line.  A missing file, a file that is not
an ELF shared object, no symbol \fBptb_plugin_v1\fR, another ABI version or
an option the plugin does not declare is bad input (exit 2).  A plugin that
crashes or hangs costs its rows only (ok=0 with the signal, or \-\-timeout).
[YOUR OWN PYTHON FUNCTION]
.TP
.BI "\-w py:" MODULE : FUNCTION "\fR, \fP\-w py:" FILE.py : FUNCTION
A function of a module (imported from the current directory or PYTHONPATH)
or of a file, checked before anything runs with the Python models'
interpreter.  Each task calls
.IR FUNCTION ( index ", **" kwargs ),
index the task's number; what the tasks return is judged by the module's
.IR verify ( results )
when it has one (else every task must return), the row's result is their
sum (ints) or the CRC\-32 of their reprs, ops the tasks unless the module's
.IR ops ( results )
says otherwise.  It runs as workload \fBpy:\fIMODULE\fB:\fIFUNCTION\fR in
pythread, pyproc, pypool, pythreadpool, pyexthread, pyexproc and pympi (not
when the module sets PTB_INDEPENDENT = False).  A missing file, a file that
is not .py, a module that fails to import (its exception's last line), a
missing or not callable name, or \-\-py\-arg values its signature refuses is
bad input (exit 2).  A raise, a crash or a hang costs its rows only.
.TP
.BI "\-\-py\-arg " KEY = VALUE
A keyword argument of every py: function of the run, passed as a string
(repeatable, at most 8); the params column says KEY=VALUE.
[EXAMPLES]
.TP
.B ptbench run
The short plan: cpu and switch in thread and fork at 1 and 2 workers, 3
repetitions after a warm\-up, in seconds; the CSV goes to
\fIptbench\-YYYYMMDD\-HHMMSS.csv\fR in the current directory and a summary
to stdout.
.TP
.B ptbench run \-\-dry\-run \-w copy \-\-chunk 1k,64k
One line per combination with its estimated time, and the total; nothing
runs, nothing is written.
.TP
.B ptbench run \-w cpu \-m thread,fork \-n 1,2,4 \-\-steps 1e8 \-o cpu.csv
The cpu loop at 1, 2 and 4 workers in two models, into \fIcpu.csv\fR and
\fIcpu.meta.json\fR.
.TP
.B ptbench list \-w counter
The counter workload's options and defaults, and every model.
.TP
.B make \-f PREFIX/share/doc/ptbench/examples/plugin/Makefile
.PD 0
.TP
.B ptbench run \-w plugin:./sha256.so \-m thread,fork \-n 1,2 \-\-block 1M
.PD
Build the example plugin (SHA\-256 of a block in every task) in the current
directory against the installed header, and run it in two models.
.TP
.B cp PREFIX/share/doc/ptbench/examples/python/hashwork.py .
.PD 0
.TP
.B ptbench run \-w py:hashwork.py:sha_block \-\-py\-arg block=1048576 \-m pythread,pyproc
.PD
SHA\-256 of a block in every task with Python's hashlib, in threads and in
processes: hashlib releases the GIL on large buffers, so the threads scale
too.
[EXIT STATUS]
.TP
.B 0
every row written has ok=1 (and \-\-help, \-\-version, list, \-\-dry\-run)
.TP
.B 1
a repetition failed (wrong result, crash, timeout): its row has ok=0 and an
error
.TP
.B 2
bad input: one line on stderr names the bad value and what is allowed (with
\(lqdid you mean\(rq for a near name); nothing is written
.TP
.B 130, 143
interrupted by SIGINT or SIGTERM: every finished row is kept, the meta says
interrupted
[ENVIRONMENT]
.TP
.B TMPDIR
where the private temporary directory goes when \-\-tmpdir is not given
(default \fI/tmp\fR)
.TP
.B PTB_PYTHON
the interpreter of the Python models (a path, or a name in PATH, run as
given; CPython 3.9 or newer); default python3 in PATH, asked once for its
sys.executable, which then runs every repetition (a launcher such as
pyenv's shim is not started again)
.TP
.B PTB_PYMODULE
the Python runner to use instead of the installed one
.TP
.B PTBENCH_WORKER
the ptbench\-worker program of the spawn model and create \-\-exec yes
.TP
.B PTB_MPI_BIN
the mpi models' launcher and rank program (ptbench\-mpi)
.TP
.B PTB_MPI_HOSTS_SH
the script that makes the mpi models' namespace hosts (mpi_hosts.sh)
.TP
.B PTB_MPIRUN
the mpirun to start ranks with (default mpirun in PATH)
.TP
.B PTB_MPI_HOSTLIST\fR, \fBPTB_MPI_SUBNET\fR, \fBPTB_MPI_RSH
set by ptbench for ptbench\-mpi (the namespace hosts, their subnet and the
rsh agent); not for users
.TP
.B PTB_PYTHON_STATS
the Python with scipy that ptbench compare and a run's verdicts (processes
over threads) run (default python3, then /usr/bin/python3)
.TP
.B PTB_NO_VERDICTS
when set and not empty, every run behaves as with \-\-no\-verdicts (a test
suite that runs many small comparisons sets it once)
[FILES]
.TP
.I ptbench\-YYYYMMDD\-HHMMSS.csv
what run writes without \-o, in the current directory (no directory is
created); one row per repetition (share/doc/ptbench/csv.md)
.TP
.I FILE.meta.json
beside the CSV (\fIout.csv\fR: \fIout.meta.json\fR): the machine, the
command line, the status (running, complete, interrupted, failed)
.TP
.I TMPDIR/ptbench\-run\-PID\-XXXXXX/
the run's private temporary directory, removed at the end
.TP
.I PREFIX/libexec/ptbench/ptbench\-worker
the program the spawn model and \fBcreate \-\-exec yes\fR start
.TP
.I PREFIX/libexec/ptbench/ptbench\-mpi
the mpi model's launcher and rank program (with \fImpi_hosts.sh\fR and
\fImpi_rsh.sh\fR, the namespace hosts)
.TP
.I PREFIX/include/ptbench/plugin.h
the ABI of a plugin (\fB\-w plugin:\fIPATH.so\fR); the example plugin is in
\fIPREFIX/share/doc/ptbench/examples/plugin/\fR
.TP
.I PREFIX/share/ptbench/py/
the Python runner of the pythread, pyproc and pypool models
.PP
An installed ptbench finds them from its own path (PREFIX/bin/ptbench); a
built one beside itself and in the source tree.  The environment variables
above override.
[SEE ALSO]
The manual is installed in \fIPREFIX/share/doc/ptbench/\fR: cli.md (this
page and more), csv.md (the CSV and its meta), methodology.md, workloads.md,
python.md, mpi.md, install.md.
TAIL
