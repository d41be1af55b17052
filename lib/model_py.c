/* model_py.c - the Python models: the seeds' own language beside C, in
 * the same CSV.
 *
 * The workloads are written a second time, in Python, in bench/py/ (stdlib
 * only; ptpy.py is the runner, wl_NAME.py one module per workload),
 * because what the seeds claim about threads is often a fact about
 * CPython: its global interpreter lock, pickling, its exit handlers.
 * These models are external runners (lib/external.h): the ptbench runner
 * child execs the interpreter on ptpy.py, which sets up, times its own
 * region, verifies as the C workload does and reports one JSON line.
 * Timeout, process-group kill and reaping stay the driver's, as for every
 * model.
 *
 *   pythread      threading.Thread, created and joined in the timed region
 *   pyproc        multiprocessing.Process, started and joined in the region
 *   pypool        multiprocessing.Pool started before the clock; --tasks by
 *                 apply (--submit sync) or apply_async + callback (async)
 *   pythreadpool  multiprocessing.pool.ThreadPool, the same way
 *   pyexthread    concurrent.futures.ThreadPoolExecutor and
 *   pyexproc      ProcessPoolExecutor: submit (sync: .result() one at a
 *                 time; async: done callbacks) or map (--py-call map)
 * The process models take --py-start fork|spawn|forkserver (the start
 * method; fork by default), named in the row's params when not fork and
 * in its notes always (start=...).
 *
 * Workloads: those whose registry entry says PTB_PY_IMPL in its `py` flags
 * (their twin is bench/py/wl_NAME.py); the executors run those that also
 * say PTB_PY_EXECUTORS; a process pool's daemonic workers cannot run those
 * whose tasks start processes (PTB_NEEDS_CREATE, PTB_NEEDS_CHILDREN).  The
 * model knows no workload by name: the option values only C implements
 * (--lock spin, --via futex, ...) and what a start method cannot do are
 * the workload's own py_refuse, asked here, so a named model is bad input
 * (exit status 2) and `-m all` skips it.  The cpu loop costs tens of ns a step
 * in CPython, not one: run Python at --steps 2e7, and compare languages by
 * ns_per_op (ns per step).  A user's function (-w py:MODULE:FUNCTION,
 * lib/pyfunc.c) is such a workload too; the runner is given its
 * reference with the file's absolute path (ptb_pyfunc_ref), not its name,
 * and its --py-arg values as its options.
 *
 * The interpreter: $PTB_PYTHON (a path, or a name in PATH), run as given,
 * else python3 in PATH, run as its own sys.executable (a launcher such as
 * pyenv's shim starts once, for the probe, not per repetition).  It runs
 * with -I -B (isolated from PYTHON* variables and the user's
 * site-packages, no bytecode written).  It is asked once (a one-line
 * probe) for its version (3.9 or newer), start methods and executable.
 * The module:
 * $PTB_PYMODULE, else PREFIX/share/ptbench/py/ptpy.py of an installed
 * ptbench, else bench/py/ptpy.py found upward from the directory of
 * /proc/self/exe (build/ptbench, build/asan/ptbench, ...; lib/locate.h).
 * When either is missing the models refuse to run, naming it, so `-m all`
 * skips them.
 *
 * Shared memory: ptpy.py names its multiprocessing.shared_memory segments
 * ptbench-py.DRIVERPID.*; after every repetition the driver removes its own
 * and those of drivers that no longer exist (a SIGKILLed driver's), since
 * killing the runner's process group also kills Python's resource tracker,
 * which would otherwise unlink them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "external.h"
#include "locate.h"
#include "model.h"
#include "model_py.h"
#include "pyfunc.h"
#include "runner.h"


#define MODULE_REL "bench/py/ptpy.py"		/* in the source tree */
#define MODULE_INSTALLED PTB_SHARE_REL "/py/ptpy.py"	/* below PREFIX (make install) */

#define PY_MIN_MAJOR 3
#define PY_MIN_MINOR 9		/* random.randbytes, os.pidfd_open, cancel_futures */
#define SHM_PREFIX "ptbench-py."	/* + the driver's pid + "." + the runner's */
#define SHM_DIR "/dev/shm"

static const struct ptb_opt py_opts[] = {
	{ "py-start", "fork", "multiprocessing start method (the Python process models)",
	  PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "fork|spawn|forkserver" },
	{ "py-call", "submit", "how an executor model is fed: submit (then result or a callback), or map",
	  PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "submit|map" },
};
/* Each model's own options, as slices of py_opts. */
#define PY_START_OPTS (&py_opts[0])
#define PY_CALL_OPTS (&py_opts[1])

static bool is_executor(const struct ptb_model *m)
{
	return strncmp(m->name, "pyex", 4) == 0;
}

/* Why model m can never run wl (what the workload's registry entry says
 * of its Python twin and its tasks), or NULL. */
static const char *static_refusal(const struct ptb_model *m, const struct ptb_workload *wl)
{
	if (!(wl->py & PTB_PY_IMPL))
		return "the Python models do not implement this workload (no bench/py/wl_NAME.py)";
	if (is_executor(m) && !(wl->py & PTB_PY_EXECUTORS))
		return "the executor models (pyexthread, pyexproc) do not run this workload";
	if ((wl->needs & (PTB_NEEDS_CREATE | PTB_NEEDS_CHILDREN)) && m->pooled && !m->shared_space)
		return "a multiprocessing.Pool's workers are daemonic and may not create processes";
	return NULL;
}

static bool py_supports(const struct ptb_model *m, const struct ptb_workload *wl)
{
	return static_refusal(m, wl) == NULL;
}

int ptb_py_find_module(char *path, size_t len, struct ptb_err *err)
{
	const char *env = getenv("PTB_PYMODULE");
	if (env && *env) {
		if ((size_t)snprintf(path, len, "%s", env) >= len)
			return ptb_errf(err, "PTB_PYMODULE: path too long");
		return access(path, R_OK) == 0 ? 0 : ptb_errno(err, "PTB_PYMODULE '%s'", env);
	}
	if (ptb_locate_file(MODULE_REL, MODULE_INSTALLED, path, len, err) == 0)
		return 0;
	return ptb_errf(err, "%s not found above the ptbench binary nor in PREFIX/%s (set PTB_PYMODULE)",
			MODULE_REL, MODULE_INSTALLED);
}

/* The model's own option `name` as its choice name (its default when the
 * values are not known, e.g. in the runner of an old plan). */
static const char *model_choice(const struct ptb_model *m, const uint64_t *model_opt,
				const char *name, char *buf, size_t len)
{
	int i = ptb_opt_index(m->opts, m->nopts, name);
	buf[0] = '\0';
	if (i < 0)
		return buf;
	return ptb_opt_choice_name(&m->opts[i], model_opt ? model_opt[i] : 0, buf, len);
}

/* What the interpreter said of itself, asked once per interpreter path. */
struct py_info {
	char python[4096];	/* as found: $PTB_PYTHON, or python3 in PATH */
	char exe[4096];		/* what runs: python, or for python3 in PATH its sys.executable */
	int major, minor;
	char starts[128];	/* its start methods, space-separated */
	char why[512];		/* not usable: why */
};

/* The probe that asks an interpreter for its version, start methods and
 * executable: "3.11 fork spawn forkserver<TAB>/path/to/python3". */
static const char version_probe[] = "import sys, multiprocessing as m; "
				    "print('%d.%d' % sys.version_info[:2], *m.get_all_start_methods(), "
				    "end='\\t' + sys.executable + '\\n')";

/* The interpreter that runs when python3 in PATH is a launcher (pyenv's
 * shim is a shell script that takes 0.3 s to choose one: per repetition,
 * most of a small Python run): its own sys.executable, when that is an
 * executable file.  $PTB_PYTHON is run as given (a wrapper of the user's
 * stays in the way). */
static void resolve_exe(struct py_info *info, const char *exe)
{
	const char *env = getenv("PTB_PYTHON");
	bool own = !(env && *env) && exe && exe[0] == '/' && access(exe, X_OK) == 0;
	snprintf(info->exe, sizeof info->exe, "%s", own ? exe : info->python);
}

/* Run PYTHON -I -c PROBE, read its one line of output (it dies with us). */
static int ask_python(const char *python, const char *probe, char *line, size_t len, int *status)
{
	char *argv[] = { (char *)python, "-I", "-c", (char *)probe, NULL };
	return ptb_ext_ask(argv, false, line, len, status);
}

static const struct py_info *python_info(struct ptb_err *err)
{
	static struct py_info info;
	char python[4096], line[4096 + 256];
	int status = 0;
	if (ptb_ext_find_program("PTB_PYTHON", "python3", python, sizeof python, err))
		return NULL;
	if (strcmp(info.python, python) == 0)
		return &info;
	memset(&info, 0, sizeof info);
	snprintf(info.python, sizeof info.python, "%s", python);
	if (ask_python(python, version_probe, line, sizeof line, &status) < 0)
		snprintf(info.why, sizeof info.why, "%.300s: %s", python, strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		 sscanf(line, "%d.%d", &info.major, &info.minor) != 2)
		snprintf(info.why, sizeof info.why, "%.300s is not a Python 3 interpreter", python);
	else if (info.major < PY_MIN_MAJOR || (info.major == PY_MIN_MAJOR && info.minor < PY_MIN_MINOR))
		snprintf(info.why, sizeof info.why, "%.300s is Python %d.%d", python, info.major, info.minor);
	if (info.why[0]) {
		size_t used = strlen(info.why);
		snprintf(info.why + used, sizeof info.why - used,
			 "; the Python models need CPython %d.%d or newer: set PTB_PYTHON to one "
			 "(a path, or a name in PATH)", PY_MIN_MAJOR, PY_MIN_MINOR);
	} else {
		char *exe = strchr(line, '\t');
		if (exe)
			*exe++ = '\0';
		const char *sp = strchr(line, ' ');
		snprintf(info.starts, sizeof info.starts, "%s", sp ? sp + 1 : "");
		resolve_exe(&info, exe);
	}
	if (!info.exe[0])
		snprintf(info.exe, sizeof info.exe, "%s", info.python);
	return &info;
}

int ptb_py_find_python(char *path, size_t len, struct ptb_err *err)
{
	const struct py_info *info = python_info(err);
	if (!info)
		return -1;
	if ((size_t)snprintf(path, len, "%s", info->exe) >= len)
		return ptb_errf(err, "the Python interpreter's path is too long");
	return 0;
}

/* Why the interpreter cannot run mpi4py ranks (the pympi model of
 * lib/model_mpi.c), or NULL: too old or missing as for every Python model,
 * or no mpi4py in it.  Asked once per interpreter path. */
const char *ptb_py_mpi_refusal(void)
{
	static struct ptb_err why;
	static char asked[4096], answer[600];
	char line[128];
	int status = 0;
	const struct py_info *info = python_info(&why);
	if (!info)
		return why.msg;
	if (info->why[0])
		return info->why;
	if (strcmp(asked, info->python) == 0)
		return answer[0] ? answer : NULL;
	snprintf(asked, sizeof asked, "%s", info->python);
	answer[0] = '\0';
	if (ask_python(info->exe, "import mpi4py; print(mpi4py.__version__)", line, sizeof line,
		       &status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !line[0])
		snprintf(answer, sizeof answer, "the pympi model needs mpi4py, which %.300s (Python %d.%d) "
			 "cannot import: install python3-mpi4py (Debian's, for /usr/bin/python3) and set "
			 "PTB_PYTHON to an interpreter that has it", info->python, info->major, info->minor);
	return answer[0] ? answer : NULL;
}

static const char *py_refuse(const struct ptb_workload *wl, const struct ptb_fit *fit)
{
	static struct ptb_err why;	/* the refusal is read before the next call */
	static char text[700];
	char path[4096], start[32];
	const struct ptb_model *m = fit->model;
	const char *never = static_refusal(m, wl);
	if (never)
		return never;
	model_choice(m, fit->model_opt, "py-start", start, sizeof start);
	const char *opts = wl->py_refuse ? wl->py_refuse(fit, start) : NULL;
	if (opts)
		return opts;
	const struct py_info *info = python_info(&why);
	if (!info)
		return why.msg;
	if (info->why[0])
		return info->why;
	if (start[0]) {
		size_t n = strlen(start);
		const char *s = info->starts;
		bool offered = false;
		for (; *s; s += strcspn(s, " "), s += *s == ' ')
			offered |= strncmp(s, start, n) == 0 && (s[n] == ' ' || s[n] == '\0');
		if (!offered) {
			snprintf(text, sizeof text, "--py-start %s: %.300s offers only %.120s", start,
				 info->python, info->starts);
			return text;
		}
	}
	if (ptb_py_find_module(path, sizeof path, &why))
		return why.msg;
	return NULL;
}

/* A thread's hard fault took the interpreter, and with it every worker:
 * die of the same signal, so the driver sees the runner killed by it and
 * the workload records its outcome (runner_killed), as for C threads. */
static void die_as_interpreter(int signo)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0);
	signal(signo, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(signo);
	_exit(128 + signo);
}

static void add_model_opts(struct ptb_ext_argv *a, const struct ptb_rep_spec *spec)
{
	char v[32];
	const struct ptb_model *m = spec->model;
	if (m->pooled) {
		ptb_ext_add(a, "--submit");
		ptb_ext_add(a, "%s", spec->async_submit ? "async" : "sync");
	}
	if (model_choice(m, spec->model_opt, "py-start", v, sizeof v)[0]) {
		ptb_ext_add(a, "--start");
		ptb_ext_add(a, "%s", v);
	}
	if (model_choice(m, spec->model_opt, "py-call", v, sizeof v)[0]) {
		ptb_ext_add(a, "--call");
		ptb_ext_add(a, "%s", v);
	}
}

/* In the runner child: exec the interpreter on ptpy.py, read its report. */
static int py_exec_runner(const struct ptb_rep_spec *spec, struct ptb_sample *out,
			  struct ptb_err *err)
{
	static struct ptb_ext_argv a;	/* 16 KiB: not on the stack */
	char python[4096], module[4096];
	const struct ptb_model *m = spec->model;
	if (ptb_py_find_python(python, sizeof python, err) || ptb_py_find_module(module, sizeof module, err))
		return -1;
	ptb_ext_init(&a);
	ptb_ext_add(&a, "%s", python);
	ptb_ext_add(&a, "-I");
	ptb_ext_add(&a, "-B");
	ptb_ext_add(&a, "%s", module);
	ptb_ext_add(&a, "run");
	ptb_ext_add(&a, "--workload");
	ptb_ext_add(&a, "%s", ptb_pyfunc_ref(spec->wl));	/* a py: function by its path */
	ptb_ext_add(&a, "--model");
	ptb_ext_add(&a, "%s", m->name);
	ptb_ext_add(&a, "--workers");
	ptb_ext_add(&a, "%u", spec->ctx.workers);
	ptb_ext_add(&a, "--tasks");
	ptb_ext_add(&a, "%u", spec->ctx.tasks);
	add_model_opts(&a, spec);
	if (spec->ctx.tmpdir) {
		ptb_ext_add(&a, "--tmpdir");
		ptb_ext_add(&a, "%s", spec->ctx.tmpdir);
	}
	ptb_ext_add(&a, "--shm-prefix");
	ptb_ext_add(&a, SHM_PREFIX "%ld", (long)getppid());	/* the driver */
	ptb_ext_add(&a, "--report-fd");
	ptb_ext_add(&a, "{report_fd}");
	ptb_ext_add(&a, "--perf-fd");
	ptb_ext_add(&a, "{perf_fd}");
	ptb_ext_add(&a, "--");
	ptb_ext_add_opts(&a, spec->wl->opts, spec->wl->nopts, spec->ctx.opt);
	int rc = ptb_ext_run(&a, out, err);
	if (rc && !a.reported && WIFSIGNALED(a.status) && spec->wl->runner_killed && m->shared_space)
		die_as_interpreter(WTERMSIG(a.status));
	return rc;
}

/* In the driver, after every repetition: remove the shared-memory segments
 * of this driver's runners (a killed interpreter and its resource tracker
 * could not) and of drivers that are gone. */
static void py_after_rep(void)
{
	DIR *d = opendir(SHM_DIR);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		if (strncmp(e->d_name, SHM_PREFIX, strlen(SHM_PREFIX)) != 0)
			continue;
		long pid = strtol(e->d_name + strlen(SHM_PREFIX), &end, 10);
		if (*end != '.' || pid <= 0)
			continue;
		if (pid == (long)getpid() || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			unlinkat(dirfd(d), e->d_name, 0);	/* gone already: nothing to do */
	}
	closedir(d);
}

/* Called only by code that runs a model's C half in its own process (not
 * ptb_run_rep): a Python model has none, so it says so instead of crashing. */
static int py_run_here(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	(void)job;
	return ptb_errf(err, "a Python model runs only in a ptbench runner (its exec_runner)");
}

#define PY_MODEL(NAME, DESC, ...)                                                   \
	const struct ptb_model ptb_model_##NAME = { .name = #NAME, .desc = DESC,    \
						    .supports = py_supports,        \
						    .refuse = py_refuse,            \
						    .run = py_run_here,             \
						    .exec_runner = py_exec_runner,  \
						    .after_rep = py_after_rep,      \
						    __VA_ARGS__ }

PY_MODEL(pythread, "Python threading.Thread: N threads started and joined inside the timed region",
	 .shared_space = true, .create_kinds = PTB_CREATE_EXIT);
PY_MODEL(pyproc, "Python multiprocessing.Process: N processes started and joined inside the timed region",
	 .counterpart = "pythread", .create_kinds = PTB_CREATE_EXIT, .opts = PY_START_OPTS, .nopts = 1);
PY_MODEL(pypool, "Python multiprocessing.Pool of N processes started before the clock, apply or apply_async+callback",
	 .pooled = true, .counterpart = "pythreadpool", .opts = PY_START_OPTS, .nopts = 1);
PY_MODEL(pythreadpool, "Python multiprocessing.pool.ThreadPool of N threads, apply or apply_async+callback",
	 .pooled = true, .shared_space = true, .create_kinds = PTB_CREATE_EXIT);
PY_MODEL(pyexthread, "Python concurrent.futures.ThreadPoolExecutor of N threads, submit or map; the workloads marked executors (list --json)",
	 .pooled = true, .shared_space = true, .opts = PY_CALL_OPTS, .nopts = 1);
PY_MODEL(pyexproc, "Python concurrent.futures.ProcessPoolExecutor of N processes, submit or map; the workloads marked executors (list --json)",
	 .pooled = true, .counterpart = "pyexthread", .opts = PY_START_OPTS, .nopts = 2);
