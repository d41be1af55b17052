/* model_mpi.c - `mpi`: the workers are Open MPI ranks started by mpirun,
 * on this host or spread over several hosts (seed 000's last row:
 * processes scale from many cores to many machines, threads only to many
 * cores).
 *
 * An external runner (lib/external.h), like the Python models: the ptbench
 * runner child execs
 *   scripts/mpi_hosts.sh run HOSTS -- build/ptbench-mpi launch --workload W
 *       --workers N --hosts HOSTS --report-fd {report_fd} -- --OPT VALUE...
 * mpi_hosts.sh makes HOSTS "hosts" out of network namespaces (nothing for
 * 1) and removes them afterwards, also when ptbench kills the runner's
 * process group (see the script); ptbench-mpi (bench/mpi/, built with
 * mpicc by mk/mpi.mk) runs mpirun -np N and reports.  Each rank times its
 * own region between barriers after MPI_Init, so the namespaces, mpirun and
 * MPI_Init are outside wall_ns (the row's outer wall has them) - except
 * for a workload that times creation, whose figure is exactly that: the
 * time of mpirun for an empty job, divided by the ranks.
 *
 * Workloads: the model knows none by name.  It runs those whose registry
 * entry says PTB_MPI_IMPL in its `mpi` flags (bench/mpi/rank.c implements
 * them as ranks), and asks the workload's own mpi_refuse which option
 * values ranks that share no memory cannot take (so a named model is bad
 * input, exit 2, and `-m all` skips it).  workers = ranks.  --hosts N
 * (model option, 1 by default):
 * ranks round robin over N hosts; written in params when not 1, and the
 * row's notes always say hosts, ranks, the distinct network namespaces the
 * ranks really ran in (netns=) and the byte transport (btl=vader|tcp).
 * --hosts > 1 needs root (network namespaces); without it the repetition
 * fails with a row that says so, and --hosts 1 runs as usual.
 *
 * `pympi`: the same launcher, hosts, options and report, but every rank is
 * CPython with mpi4py (PTB_PYTHON -I -B bench/py/ptpy.py mpi-rank, the
 * module found as the Python models find it, lib/model_py.h), so the
 * seeds' own language crosses hosts too; the workloads whose entry says
 * PTB_PYMPI_IMPL (the same parameters and checks, bench/py/ptpy_mpi.py,
 * and the same mpi_refuse), its rows' notes
 * naming the interpreter and mpi4py's version after the hosts'.  Without
 * mpi4py in that interpreter the model refuses in one line naming
 * python3-mpi4py and PTB_PYTHON.
 *
 * Programs: ptbench-mpi and mpi_hosts.sh in PREFIX/libexec/ptbench of an
 * installed ptbench, else ptbench-mpi beside the binary and
 * scripts/mpi_hosts.sh found upward from it (lib/locate.h; $PTB_MPI_BIN and
 * $PTB_MPI_HOSTS_SH override), mpirun in PATH ($PTB_MPIRUN).  When one is missing the model refuses, naming it, so
 * `-m all` skips it. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include "external.h"
#include "hostfile.h"
#include "locate.h"
#include "model.h"
#include "model_py.h"
#include "registry.h"	/* bench/: the workloads, to name those a model implements */
#include "runner.h"

#define SCRIPT_REL "scripts/mpi_hosts.sh"			/* in the source tree */
#define SCRIPT_INSTALLED PTB_LIBEXEC_REL "/mpi_hosts.sh"	/* below PREFIX (make install) */
#define MAX_NS_HOSTS 16		/* as scripts/mpi_hosts.sh */
#define MAX_RATE_BITS (UINT64_C(100) * 1000 * 1000 * 1000)
#define MAX_DELAY_US 10000000

enum { OPT_HOSTS, OPT_HOSTFILE, OPT_MPIRUN_ARGS, OPT_NET_RATE, OPT_NET_DELAY_US, NOPTS };

static const struct ptb_opt mpi_opts[NOPTS] = {
	[OPT_HOSTS] = { "hosts", "1",
			"hosts the mpi ranks are spread over (network namespaces here, or the first N "
			"of --hostfile; the thread models have none: threads share one address space "
			"on one machine)",
			PTB_OPT_NUM, PTB_UNIT_COUNT, 1, PTB_HOSTFILE_MAX_HOSTS, NULL },
	[OPT_HOSTFILE] = { "hostfile", "",
			   "Open MPI hostfile of real hosts (HOST [slots=N] per line), reached by ssh "
			   "as mpirun does; instead of network namespaces",
			   PTB_OPT_TEXT, PTB_UNIT_COUNT, 0, 0, NULL },
	[OPT_MPIRUN_ARGS] = { "mpirun-args", "",
			      "extra mpirun arguments, split at spaces (e.g. '--mca btl_tcp_if_include eth0')",
			      PTB_OPT_TEXT, PTB_UNIT_COUNT, 0, 0, NULL },
	[OPT_NET_RATE] = { "net-rate", "0",
			   "bits/s each namespace host's link carries (tc tbf; 100M = 100 Mbit/s; 0: unlimited)",
			   PTB_OPT_NUM, PTB_UNIT_COUNT, 0, MAX_RATE_BITS, NULL },
	[OPT_NET_DELAY_US] = { "net-delay-us", "0",
			       "latency added to each namespace host's link (tc netem, where the kernel has it)",
			       PTB_OPT_NUM, PTB_UNIT_COUNT, 0, MAX_DELAY_US, NULL },
};

static bool is_pympi(const struct ptb_model *m)
{
	return strcmp(m->name, "pympi") == 0;
}

/* The PTB_MPI_* flag that says model m runs a workload. */
static unsigned impl_flag(const struct ptb_model *m)
{
	return is_pympi(m) ? PTB_PYMPI_IMPL : PTB_MPI_IMPL;
}

/* The workloads bench/mpi/rank.c (mpi) and bench/py/ptpy_mpi.py (pympi)
 * implement as ranks: their registry entries say so. */
static bool mpi_supports(const struct ptb_model *m, const struct ptb_workload *wl)
{
	return (wl->mpi & impl_flag(m)) != 0;
}

/* "the mpi model implements cpu, counter and share (bench/mpi/rank.c)":
 * the workloads whose entry has m's flag, in registry order. */
static const char *implements(const struct ptb_model *m)
{
	static char text[512];	/* read before the next call, as mpi_model_refuse's why */
	unsigned n = 0, k = 0;
	size_t len;
	for (unsigned w = 0; w < ptb_nworkloads; w++)
		n += mpi_supports(m, ptb_workloads[w]);
	len = (size_t)snprintf(text, sizeof text, "the %s model implements%s", m->name, n ? "" : " no workload");
	for (unsigned w = 0; w < ptb_nworkloads && len < sizeof text; w++) {
		if (!mpi_supports(m, ptb_workloads[w]))
			continue;
		k++;
		len += (size_t)snprintf(text + len, sizeof text - len, "%s%s",
					k == 1 ? " " : k == n ? " and " : ", ", ptb_workloads[w]->name);
	}
	if (len < sizeof text)
		snprintf(text + len, sizeof text - len, " (%s)",
			 is_pympi(m) ? "bench/py/ptpy_mpi.py" : "bench/mpi/rank.c");
	return text;
}

static int find_launcher(char *path, size_t len, struct ptb_err *err)
{
	const char *env = getenv("PTB_MPI_BIN");
	struct ptb_err why = { { 0 } };
	if (env && *env)
		return ptb_ext_find_program("PTB_MPI_BIN", "ptbench-mpi", path, len, err);
	if (ptb_locate_program("ptbench-mpi", path, len, &why))
		return ptb_errf(err, "%s (make ptbench-mpi; needs mpicc: make deps)", why.msg);
	return 0;
}

static int find_script(char *path, size_t len, struct ptb_err *err)
{
	const char *env = getenv("PTB_MPI_HOSTS_SH");
	if (env && *env)
		return ptb_ext_find_program("PTB_MPI_HOSTS_SH", "mpi_hosts.sh", path, len, err);
	if (ptb_locate_file(SCRIPT_REL, SCRIPT_INSTALLED, path, len, err))
		return ptb_errf(err, "%s not found above the ptbench binary nor in PREFIX/%s (set PTB_MPI_HOSTS_SH)",
				SCRIPT_REL, SCRIPT_INSTALLED);
	return 0;
}

static int find_mpirun(struct ptb_err *err)
{
	char path[4096];
	return ptb_ext_find_program("PTB_MPIRUN", "mpirun", path, sizeof path, err);
}

static const char *mpi_model_refuse(const struct ptb_workload *wl, const struct ptb_fit *fit)
{
	static struct ptb_err why;	/* the refusal is read before the next call */
	char path[4096];
	bool py = is_pympi(fit->model);
	if (!mpi_supports(fit->model, wl))
		return implements(fit->model);
	const char *opts = wl->mpi_refuse ? wl->mpi_refuse(wl, fit->opt) : NULL;
	if (opts)
		return opts;
	if (find_mpirun(&why) || find_launcher(path, sizeof path, &why) ||
	    find_script(path, sizeof path, &why))
		return why.msg;
	if (py) {
		const char *no_mpi4py = ptb_py_mpi_refusal();
		if (no_mpi4py)
			return no_mpi4py;
		if (ptb_py_find_module(path, sizeof path, &why))
			return why.msg;
	}
	return NULL;
}

static unsigned hosts_of(const struct ptb_rep_spec *spec)
{
	return spec->model_opt ? (unsigned)spec->model_opt[OPT_HOSTS] : 1;
}

/* Does the kernel offer the netem qdisc?  scripts/mpi_hosts.sh check-netem
 * tries it in a throwaway network namespace (exit 0: yes); else why not
 * (its one line) into why. */
static bool have_netem(char *why, size_t len)
{
	char script[4096];
	struct ptb_err err;
	int status = 0;
	if (find_script(script, sizeof script, &err)) {
		snprintf(why, len, "%s", err.msg);
		return false;
	}
	char *argv[] = { script, "check-netem", NULL };
	if (ptb_ext_ask(argv, true, why, len, &status) < 0) {
		snprintf(why, len, "the netem check could not run: %s", strerror(errno));
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (!why[0])
		snprintf(why, len, "the netem check failed without saying why");
	return false;
}

/* The hostfile's problems, or how many hosts it lists (into *n). */
static const char *hostfile_refusal(const uint64_t *opt, unsigned *n)
{
	static struct ptb_hostfile hf;
	static char why[512];
	const char *path = ptb_opt_text(opt[OPT_HOSTFILE]);
	char msg[480];
	if (strpbrk(path, ";= \t\n"))
		return "--hostfile: a path without ';', '=' or blanks (it goes into the params column)";
	if (ptb_hostfile_read(path, &hf, msg, sizeof msg)) {
		snprintf(why, sizeof why, "--hostfile %s", msg);
		return why;
	}
	*n = hf.nhosts;
	if (opt[OPT_HOSTS] > hf.nhosts) {
		snprintf(why, sizeof why, "--hosts %llu: %s lists only %u host%s (allowed: --hosts 1 to %u)",
			 (unsigned long long)opt[OPT_HOSTS], path, hf.nhosts, hf.nhosts == 1 ? "" : "s",
			 hf.nhosts);
		return why;
	}
	return NULL;
}

/* The model's own options together (cli.c asks before anything starts). */
static const char *mpi_check_opts(const uint64_t *opt)
{
	static char why[512];
	char netem[300];
	unsigned listed = 0;
	bool shaped = opt[OPT_NET_RATE] || opt[OPT_NET_DELAY_US];
	if (strchr(ptb_opt_text(opt[OPT_MPIRUN_ARGS]), ';'))
		return "--mpirun-args: arguments without ';' (they go into the params column)";
	if (opt[OPT_NET_DELAY_US] && !have_netem(netem, sizeof netem)) {
		snprintf(why, sizeof why, "--net-delay-us: no latency can be added here (%s) "
			 "(allowed: 0; --net-rate limits bandwidth with tbf)", netem);
		return why;
	}
	if (opt[OPT_HOSTFILE]) {
		const char *bad = hostfile_refusal(opt, &listed);
		if (bad)
			return bad;
		if (shaped)
			return "--net-rate/--net-delay-us shape the links of the namespace hosts made here; "
			       "with --hostfile the network is real (allowed: 0)";
		return NULL;
	}
	if (opt[OPT_HOSTS] > MAX_NS_HOSTS) {
		snprintf(why, sizeof why, "--hosts %llu: at most %d network-namespace hosts here "
			 "(more with --hostfile)", (unsigned long long)opt[OPT_HOSTS], MAX_NS_HOSTS);
		return why;
	}
	if (shaped && opt[OPT_HOSTS] < 2)
		return "--net-rate/--net-delay-us shape the links between namespace hosts: "
		       "they need --hosts 2 or more";
	return NULL;
}

/* Can this process make namespace hosts: a network namespace, and a mount
 * namespace whose / can be made private (scripts/mpi_hosts.sh runs every
 * job so; in a chroot / is no mount point and that fails)?  Asked in a
 * child, which then exits, so the runner's own namespaces are untouched. */
static bool can_make_hosts(void)
{
	pid_t pid = fork();
	int status = 0;
	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET | CLONE_NEWNS) == 0 &&
		      mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 ? 0 : 1);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* In the runner child: mpi_hosts.sh -> ptbench-mpi launch -> mpirun. */
static int mpi_exec_runner(const struct ptb_rep_spec *spec, struct ptb_sample *out,
			   struct ptb_err *err)
{
	static struct ptb_ext_argv a;	/* 16 KiB: not on the stack */
	char script[4096], launcher[4096], python[4096], module[4096];
	unsigned hosts = hosts_of(spec);
	bool py = is_pympi(spec->model);
	const uint64_t *mo = spec->model_opt;
	bool hostfile = mo && mo[OPT_HOSTFILE];
	if (find_script(script, sizeof script, err) || find_launcher(launcher, sizeof launcher, err))
		return -1;
	if (py && (ptb_py_find_python(python, sizeof python, err) ||
		   ptb_py_find_module(module, sizeof module, err)))
		return -1;
	if (hosts > 1 && !hostfile && !can_make_hosts())
		return ptb_errf(err, "--hosts %u: cannot create network and mount namespaces here "
				"(needs root, outside a chroot): the %s model runs on 1 host only",
				hosts, spec->model->name);
	ptb_ext_init(&a);
	ptb_ext_add(&a, "%s", script);
	ptb_ext_add(&a, "run");
	ptb_ext_add(&a, "%u", hostfile ? 1 : hosts);	/* real hosts: none made here */
	if (mo && mo[OPT_NET_RATE])
		ptb_ext_add(&a, "--rate=%llu", (unsigned long long)mo[OPT_NET_RATE]);
	if (mo && mo[OPT_NET_DELAY_US])
		ptb_ext_add(&a, "--delay-us=%llu", (unsigned long long)mo[OPT_NET_DELAY_US]);
	ptb_ext_add(&a, "--");
	ptb_ext_add(&a, "%s", launcher);
	ptb_ext_add(&a, "launch");
	ptb_ext_add(&a, "--workload");
	ptb_ext_add(&a, "%s", spec->wl->mpi_ref ? spec->wl->mpi_ref : spec->wl->name);
	ptb_ext_add(&a, "--workers");
	ptb_ext_add(&a, "%u", spec->ctx.workers);
	ptb_ext_add(&a, "--hosts");
	ptb_ext_add(&a, "%u", hosts);
	ptb_ext_add(&a, "--report-fd");
	ptb_ext_add(&a, "{report_fd}");
	if (py) {	/* the ranks: PYTHON -I -B ptpy.py mpi-rank (bench/py/ptpy_mpi.py) */
		ptb_ext_add(&a, "--python");
		ptb_ext_add(&a, "%s", python);
		ptb_ext_add(&a, "--pymodule");
		ptb_ext_add(&a, "%s", module);
	}
	ptb_ext_add(&a, "--");
	ptb_ext_add_opts(&a, spec->wl->opts, spec->wl->nopts, spec->ctx.opt);
	if (mo)
		ptb_ext_add_opts(&a, mpi_opts + OPT_HOSTFILE, NOPTS - OPT_HOSTFILE, mo + OPT_HOSTFILE);
	return ptb_ext_run(&a, out, err);
}

/* Only code that runs a model's C half in its own process calls this: the
 * mpi model has none, so it says so instead of crashing. */
static int mpi_run_here(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	(void)job;
	return ptb_errf(err, "the mpi models run only in a ptbench runner (their exec_runner)");
}

/* Both models share the launcher, its options and its refusals; is_pympi()
 * tells them apart by name. */
#define MPI_LAUNCHED_MODEL                        \
	.supports = mpi_supports,                 \
	.refuse = mpi_model_refuse,               \
	.create_kinds = PTB_CREATE_EXIT,          \
	.opts = mpi_opts,                         \
	.nopts = NOPTS,                           \
	.check_opts = mpi_check_opts,             \
	.run = mpi_run_here,                      \
	.exec_runner = mpi_exec_runner

const struct ptb_model ptb_model_mpi = {
	.name = "mpi",
	.desc = "Open MPI ranks started by mpirun, on --hosts N hosts (network namespaces here) or a --hostfile; "
		"runs the workloads of bench/mpi/rank.c (list --json shows which)",
	MPI_LAUNCHED_MODEL,
};

const struct ptb_model ptb_model_pympi = {
	.name = "pympi",
	.desc = "Python (mpi4py) ranks started by mpirun as the mpi model's, on --hosts N hosts or a --hostfile; "
		"runs the workloads of bench/py/ptpy_mpi.py (list --json shows which)",
	MPI_LAUNCHED_MODEL,
};
