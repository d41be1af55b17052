/* model_py.c - `pythread`, `pyproc`, `pypool`: the seeds' own language
 * beside C, in the same CSV.
 *
 * The workloads are written a second time, in Python, in bench/py/ptpy.py
 * (stdlib only), because what the seeds claim about threads (they "cannot
 * use several cores") is a fact about CPython's global interpreter lock.
 * These models are external runners (lib/external.h): the ptbench runner
 * child execs the interpreter on that module, which sets up, times its own
 * region, verifies as the C workload does (exact sums, byte-identical
 * copies, lost updates) and reports one JSON line.  Timeout, process-group
 * kill and reaping stay the driver's, as for every model.
 *
 *   pythread  threading.Thread, created and joined in the timed region
 *   pyproc    multiprocessing.Process, started and joined in the region
 *   pypool    multiprocessing.Pool started before the clock; --tasks by
 *             apply (--submit sync) or apply_async + callback (async)
 * pyproc and pypool take --py-start fork|spawn|forkserver (the start
 * method; fork by default), named in the row's params when not fork and
 * in its notes always (start=...).
 *
 * They run cpu, counter (--lock mutex or none: Python has no spinlock or
 * atomic), copy and create (not pypool: a Pool's workers are daemonic and
 * may not have children); ptpy.py refuses the same.  The cpu loop costs
 * tens of ns a step in CPython, not one: run Python at --steps 2e7, and
 * compare languages by ns_per_op (ns per step).
 *
 * The interpreter: $PTB_PYTHON (a path, or a name in PATH), else python3 in
 * PATH; it runs with -I -B (isolated from PYTHON* variables and the user's
 * site-packages, no bytecode written).  The module: $PTB_PYMODULE, else
 * PREFIX/share/ptbench/py/ptpy.py of an installed ptbench, else
 * bench/py/ptpy.py found upward from the directory of /proc/self/exe
 * (build/ptbench, build/asan/ptbench, ...; lib/locate.h).  When either is missing the
 * models refuse to run, naming it, so `-m all` skips them and a named
 * Python model is bad input (exit status 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "external.h"
#include "locate.h"
#include "model.h"
#include "runner.h"

#define MODULE_REL "bench/py/ptpy.py"		/* in the source tree */
#define MODULE_INSTALLED PTB_SHARE_REL "/py/ptpy.py"	/* below PREFIX (make install) */

enum { OPT_PY_START };

static const struct ptb_opt py_start_opts[] = {
	[OPT_PY_START] = { "py-start", "fork", "multiprocessing start method (pyproc, pypool)",
			   PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "fork|spawn|forkserver" },
};

static const char *const py_workloads[] = { "cpu", "counter", "copy", "create" };

static int find_module(char *path, size_t len, struct ptb_err *err)
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

static int find_python(char *path, size_t len, struct ptb_err *err)
{
	return ptb_ext_find_program("PTB_PYTHON", "python3", path, len, err);
}

/* The option value of wl named `name`, as its choice name ("" if none). */
static const char *choice_of(const struct ptb_workload *wl, const uint64_t *opt,
			     const char *name, char *buf, size_t len)
{
	int i = ptb_opt_index(wl->opts, wl->nopts, name);
	buf[0] = '\0';
	return i < 0 ? buf : ptb_opt_choice_name(&wl->opts[i], opt[i], buf, len);
}

static const char *py_refuse(const struct ptb_workload *wl, const struct ptb_fit *fit)
{
	static struct ptb_err why;	/* the refusal is read before the next call */
	char path[4096], lock[32];
	bool known = false;
	for (size_t i = 0; i < sizeof py_workloads / sizeof py_workloads[0]; i++)
		known |= strcmp(py_workloads[i], wl->name) == 0;
	if (!known)
		return "the Python models implement cpu, counter, copy and create (bench/py/ptpy.py)";
	if (strcmp(wl->name, "create") == 0 && fit->model->pooled)
		return "a multiprocessing.Pool's workers are daemonic and may not create processes";
	choice_of(wl, fit->opt, "lock", lock, sizeof lock);
	if (strcmp(lock, "spin") == 0 || strcmp(lock, "atomic") == 0)
		return "Python has no spinlock or atomic: --lock mutex (threading.Lock, multiprocessing.Lock) or none";
	if (find_python(path, sizeof path, &why) || find_module(path, sizeof path, &why))
		return why.msg;
	return NULL;
}

/* The model's option values: the driver's, or the defaults. */
static uint64_t py_start_of(const struct ptb_rep_spec *spec)
{
	return spec->model_opt ? spec->model_opt[OPT_PY_START] : 0;	/* 0: fork */
}

/* In the runner child: exec the interpreter on ptpy.py, read its report. */
static int py_exec_runner(const struct ptb_rep_spec *spec, struct ptb_sample *out,
			  struct ptb_err *err)
{
	static struct ptb_ext_argv a;	/* 16 KiB: not on the stack */
	char python[4096], module[4096], start[32];
	const struct ptb_model *m = spec->model;
	if (find_python(python, sizeof python, err) || find_module(module, sizeof module, err))
		return -1;
	ptb_ext_init(&a);
	ptb_ext_add(&a, "%s", python);
	ptb_ext_add(&a, "-I");
	ptb_ext_add(&a, "-B");
	ptb_ext_add(&a, "%s", module);
	ptb_ext_add(&a, "run");
	ptb_ext_add(&a, "--workload");
	ptb_ext_add(&a, "%s", spec->wl->name);
	ptb_ext_add(&a, "--model");
	ptb_ext_add(&a, "%s", m->name);
	ptb_ext_add(&a, "--workers");
	ptb_ext_add(&a, "%u", spec->ctx.workers);
	ptb_ext_add(&a, "--tasks");
	ptb_ext_add(&a, "%u", spec->ctx.tasks);
	if (m->pooled) {
		ptb_ext_add(&a, "--submit");
		ptb_ext_add(&a, "%s", spec->async_submit ? "async" : "sync");
	}
	if (m->nopts) {
		ptb_ext_add(&a, "--start");
		ptb_ext_add(&a, "%s", ptb_opt_choice_name(&py_start_opts[OPT_PY_START],
							  py_start_of(spec), start, sizeof start));
	}
	if (spec->ctx.tmpdir) {
		ptb_ext_add(&a, "--tmpdir");
		ptb_ext_add(&a, "%s", spec->ctx.tmpdir);
	}
	ptb_ext_add(&a, "--report-fd");
	ptb_ext_add(&a, "{report_fd}");
	ptb_ext_add(&a, "--perf-fd");
	ptb_ext_add(&a, "{perf_fd}");
	ptb_ext_add(&a, "--");
	ptb_ext_add_opts(&a, spec->wl->opts, spec->wl->nopts, spec->ctx.opt);
	return ptb_ext_run(&a, out, err);
}

/* Called only by code that runs a model's C half in its own process (not
 * ptb_run_rep): a Python model has none, so it says so instead of crashing. */
static int py_run_here(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	(void)job;
	return ptb_errf(err, "a Python model runs only in a ptbench runner (its exec_runner)");
}

const struct ptb_model ptb_model_pythread = {
	.name = "pythread",
	.shared_space = true,
	.desc = "Python threading.Thread: N threads started and joined inside the timed region; cpu, counter, copy, create",
	.refuse = py_refuse,
	.create_kinds = PTB_CREATE_EXIT,
	.run = py_run_here,
	.exec_runner = py_exec_runner,
};

const struct ptb_model ptb_model_pyproc = {
	.name = "pyproc",
	.desc = "Python multiprocessing.Process: N processes started and joined inside the timed region; cpu, counter, copy, create",
	.refuse = py_refuse,
	.create_kinds = PTB_CREATE_EXIT,
	.opts = py_start_opts,
	.nopts = 1,
	.run = py_run_here,
	.exec_runner = py_exec_runner,
};

const struct ptb_model ptb_model_pypool = {
	.name = "pypool",
	.desc = "Python multiprocessing.Pool of N workers started before the clock, apply or apply_async+callback; cpu, counter, copy",
	.pooled = true,
	.refuse = py_refuse,
	.opts = py_start_opts,
	.nopts = 1,
	.run = py_run_here,
	.exec_runner = py_exec_runner,
};
