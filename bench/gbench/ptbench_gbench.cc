// ptbench_gbench.cc - the google-benchmark shim: ptbench's C workloads and
// models run as google-benchmark benchmarks, a cross-check of the harness.
//
// It walks the registries (ptb_workloads[] x ptb_models[]), so a workload
// or model added to bench/ or lib/ appears here without editing this file;
// pairs that `ptbench run -m all` would skip (ptb_fit_refusal, the
// workload's min/max workers) are skipped here too, and so are the models
// that run in another program (exec_runner: the Python models) and the
// workloads in kSkipped, whose finding is about processes dying or being
// left behind, which needs ptbench's forked runner.
// Every choice option (counter's --lock) is expanded into one benchmark per
// choice; numeric options take the sizes in kDefaultSets (small, so the
// whole run stays short), else the workload's own default.  Benchmarks are
// named WORKLOAD/MODEL[/OPT=VALUE...]/workers:N, with N from --ptb-workers.
//
// One iteration is one ptbench repetition done in this process, as
// lib/runner.c does it in its runner child: fresh shared arena, setup(),
// the model's start(), run() (the only timed part, reported through
// SetIterationTime because the work happens in other threads and
// processes), stop(), verify(), teardown().  A wrong result ends the
// benchmark with SkipWithError.  Rates: items_processed (or bytes, for
// workloads whose op is a byte) = ops per iteration x iterations; the label
// is the params column ptbench writes for the same configuration; the
// counters carry the rusage deltas of the timed region (per iteration) and
// the ops and result of the last iteration, for ptb/xcheck/gbench_csv.py.
//
// Extra options (after google-benchmark's own --benchmark_*):
//   --ptb-set=WORKLOAD.OPTION=VALUE[,VALUE...]  override a size (repeatable)
//   --ptb-workers=LIST                           worker counts (default 1,2)
//   --ptb-tmpdir=DIR                             where temporary files go
//   --ptb-timeout=SECONDS                        give up on a hung iteration
//   --ptb-runner                                 run each iteration through
//       ptb_run_rep (lib/runner.h), in a forked runner as ptbench does: the
//       same timed region without this process's warm state, to tell the
//       harness's own effect from the effect of running in a fresh process
extern "C" {
#include "arena.h"
#include "err.h"
#include "fsutil.h"
#include "measure.h"
#include "model.h"
#include "parse.h"
#include "registry.h"
#include "runner.h"
#include "signals.h"
#include "workload.h"
}

#include <benchmark/benchmark.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#ifndef PTB_GIT
#define PTB_GIT "unknown"
#endif

namespace {

// Sizes for a run of a minute or two on a small machine.  Workloads not
// named here run with their own defaults; choice options not named here
// run every choice.  A setting for an option that does not exist (any
// more) is ignored, so these never stop the shim from building or running.
const char *const kDefaultSets[] = {
	"cpu.steps=1e8",
	"copy.files=4", "copy.file-size=1M", "copy.chunk=1024",
	"counter.iters=1e5", "counter.window-us=0",
	"create.count=100", "create.parent-mb=0", "create.exec=no,yes",
	"switch.rounds=2000", "switch.via=pipe", "switch.pin=same,split",
	"share.bytes=8M", "share.chunk=64k", "share.via=shm,pipe", "share.encode=0",
	"pool.task-us=1000",
};

// Workloads that cannot run inside this process, with the reason.  The
// shim runs a repetition in its own process, where ptbench runs it in a
// forked runner, so a workload whose finding is the death of that process
// has nothing to time here.
const struct {
	const char *name;
	const char *why;
} kSkipped[] = {
	{ "crash", "a thread's fault kills the whole process: its finding is the death, not a time" },
	{ "zombie", "its verify counts every other process of its process group, which here "
		    "holds the shell or make that started the shim" },
	{ "daemon", "its orphaned daemons rely on the driver being a subreaper that kills the "
		    "runner's process group" },
	{ "footprint", "its figure is the memory of the process that runs it, here the shim "
		       "(C++ runtime, libbenchmark), not ptbench's runner" },
};

// Models the shim cannot drive: an external runner (the Python models)
// has no start/run/stop, its timed region is in another program.
bool drivable(const struct ptb_model *m)
{
	return m->run && !m->exec_runner;
}

bool skipped(const struct ptb_workload *wl)
{
	for (const auto &s : kSkipped)
		if (strcmp(s.name, wl->name) == 0)
			return true;
	return false;
}

const char *const kDefaultWorkers = "1,2";

// ---- settings ------------------------------------------------------------

struct Setting {
	const struct ptb_workload *wl;
	unsigned opt;
	std::vector<uint64_t> values;
};

struct Options {
	std::vector<Setting> sets;
	std::vector<int64_t> workers;
	std::string tmpdir_base;
	unsigned timeout_s = 120;
	bool runner = false;	// --ptb-runner: each iteration in ptbench's forked runner
};

int bad(const std::string &msg)
{
	fprintf(stderr, "ptbench-gbench: %s\n", msg.c_str());
	return 2;
}

std::vector<std::string> split(const std::string &s, char sep)
{
	std::vector<std::string> out;
	size_t start = 0;
	for (;;) {
		size_t end = s.find(sep, start);
		out.push_back(s.substr(start, end == std::string::npos ? end : end - start));
		if (end == std::string::npos)
			return out;
		start = end + 1;
	}
}

// One value of option o as typed; 0 or 2 (message printed).
int parse_value(const struct ptb_opt *o, const std::string &raw, uint64_t *v)
{
	if (o->kind == ptb_opt::PTB_OPT_CHOICE) {
		std::vector<std::string> c = split(o->choices, '|');
		for (size_t i = 0; i < c.size(); i++)
			if (c[i] == raw)
				return *v = i, 0;
		return bad("--" + std::string(o->name) + ": unknown value '" + raw +
			   "' (allowed: " + o->choices + ")");
	}
	const char *why = nullptr;
	if (ptb_parse_u64(raw.c_str(), o->unit, o->max, v, &why) == 0 && *v >= o->min)
		return 0;
	return bad("--" + std::string(o->name) + ": '" + raw + "' is " +
		   (why ? why : "out of range") + " (allowed: a whole number from " +
		   std::to_string(o->min) + " to " + std::to_string(o->max) + ")");
}

// "WORKLOAD.OPTION=VALUE[,VALUE...]"; a workload that is not in the
// registry is skipped silently only for the built-in defaults.
int parse_set(const std::string &spec, bool builtin, Options *opts)
{
	size_t dot = spec.find('.'), eq = spec.find('=');
	if (dot == std::string::npos || eq == std::string::npos || eq < dot)
		return bad("--ptb-set: '" + spec + "' is not WORKLOAD.OPTION=VALUE[,VALUE...]");
	std::string wname = spec.substr(0, dot), oname = spec.substr(dot + 1, eq - dot - 1);
	const struct ptb_workload *wl = ptb_workload_find(wname.c_str());
	if (!wl)
		return builtin ? 0 : bad("--ptb-set: unknown workload '" + wname + "' (see ptbench list)");
	unsigned o = 0;
	while (o < wl->nopts && oname != wl->opts[o].name)
		o++;
	if (o == wl->nopts)
		return builtin ? 0 : bad("--ptb-set: workload " + wname + " has no option '" + oname +
					 "' (see ptbench list)");
	Setting set{ wl, o, {} };
	for (const std::string &raw : split(spec.substr(eq + 1), ',')) {
		uint64_t v = 0;
		if (parse_value(&wl->opts[o], raw, &v))
			return 2;
		set.values.push_back(v);
	}
	opts->sets.push_back(set);
	return 0;
}

int parse_workers(const std::string &list, Options *opts)
{
	opts->workers.clear();
	for (const std::string &raw : split(list, ',')) {
		uint64_t v = 0;
		const char *why = nullptr;
		if (ptb_parse_u64(raw.c_str(), PTB_UNIT_COUNT, 1024, &v, &why) || v == 0)
			return bad("--ptb-workers: '" + raw + "' is not a worker count (allowed: 1 to 1024, comma-separated)");
		opts->workers.push_back((int64_t)v);
	}
	return 0;
}

int parse_timeout(const std::string &raw, Options *opts)
{
	uint64_t v = 0;
	const char *why = nullptr;
	if (ptb_parse_u64(raw.c_str(), PTB_UNIT_COUNT, 86400, &v, &why) || v == 0)
		return bad("--ptb-timeout: '" + raw + "' is not a number of seconds (allowed: 1 to 86400)");
	opts->timeout_s = (unsigned)v;
	return 0;
}

// Parse what google-benchmark left in argv; 0 or 2.
int parse_args(int argc, char **argv, Options *opts)
{
	const char *tmp = getenv("TMPDIR");
	opts->tmpdir_base = tmp && *tmp ? tmp : "/tmp";
	for (const char *s : kDefaultSets)
		if (parse_set(s, true, opts))
			return 2;
	if (parse_workers(kDefaultWorkers, opts))
		return 2;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		int rc;
		if (a.rfind("--ptb-set=", 0) == 0)
			rc = parse_set(a.substr(10), false, opts);
		else if (a.rfind("--ptb-workers=", 0) == 0)
			rc = parse_workers(a.substr(14), opts);
		else if (a.rfind("--ptb-tmpdir=", 0) == 0 && a.size() > 13)
			opts->tmpdir_base = a.substr(13), rc = 0;
		else if (a.rfind("--ptb-timeout=", 0) == 0)
			rc = parse_timeout(a.substr(14), opts);
		else if (a == "--ptb-runner")
			opts->runner = true, rc = 0;
		else
			rc = bad("unknown option '" + a + "' (allowed: --benchmark_*, --ptb-set=W.OPT=V, "
				 "--ptb-workers=LIST, --ptb-tmpdir=DIR, --ptb-timeout=SECONDS, --ptb-runner)");
		if (rc)
			return rc;
	}
	return 0;
}

// ---- signals and the watchdog ------------------------------------------------

// SIGINT/SIGTERM/SIGHUP: the first one is recorded (ptb_interrupted); the
// iteration under way ends, every later benchmark is skipped, and main
// cleans up.  SA_RESETHAND: a second signal kills as usual.
void on_signal(int sig)
{
	ptb_interrupted = sig;
}

// SIGALRM: an iteration ran past --ptb-timeout.  A model cannot be
// stopped half way in this process, so the shim gives up at once (workers
// die with it: fork and pool workers ask for SIGKILL when it exits; the
// temporary directory is removed by the next run).
void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "ptbench-gbench: an iteration ran past --ptb-timeout: giving up\n";
	ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)n;
	_exit(124);
}

int install_signals()
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	if (sigaction(SIGINT, &sa, nullptr) < 0 || sigaction(SIGTERM, &sa, nullptr) < 0 ||
	    sigaction(SIGHUP, &sa, nullptr) < 0)
		return -1;
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0;
	return sigaction(SIGALRM, &sa, nullptr);
}

// Reap any child that is not a model's own (orphans come back here: the
// shim is a child subreaper, as ptbench's driver is).  Called only between
// iterations, when every model has reaped its workers.
void reap_strays()
{
	while (waitpid(-1, nullptr, WNOHANG) > 0)
		;
}

// ---- temporary directory ---------------------------------------------------

std::string g_tmpdir;

// Remove ptbench-gbench-PID-* directories of processes that no longer exist.
void remove_stale_tmpdirs(const std::string &base)
{
	DIR *dir = opendir(base.c_str());
	if (!dir)
		return;
	while (struct dirent *e = readdir(dir)) {
		long pid = 0;
		char rest[64];
		if (sscanf(e->d_name, "ptbench-gbench-%ld-%63s", &pid, rest) != 2 || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		ptb_rm_rf((base + "/" + e->d_name).c_str(), nullptr);
	}
	closedir(dir);
}

int make_tmpdir(const std::string &base)
{
	remove_stale_tmpdirs(base);
	std::string templ = base + "/ptbench-gbench-" + std::to_string((long)getpid()) + "-XXXXXX";
	std::vector<char> buf(templ.begin(), templ.end());
	buf.push_back('\0');
	if (!mkdtemp(buf.data()))
		return bad("--ptb-tmpdir: cannot create a directory in '" + base + "': " + strerror(errno));
	g_tmpdir = buf.data();
	return 0;
}

// ---- one parameter set, one case -----------------------------------------------

// One combination of a workload's option values, with its own directory;
// prepared once (before its first benchmark), unprepared at exit.
struct ParamSet {
	const struct ptb_workload *wl;
	uint64_t opt[PTB_MAX_OPTS];
	std::string dir;
	std::string name_part;	// "/lock=mutex" for options swept here
	std::string params;	// the params column ptbench writes (without pool fields)
	bool prepared;
	bool failed;
	struct ptb_err prep_err;
	struct ptb_wctx prep_ctx;
};

struct Case {
	ParamSet *ps;
	const struct ptb_model *model;
	unsigned timeout_s;
	bool runner;
};

std::vector<std::unique_ptr<ParamSet>> g_sets;
std::vector<std::unique_ptr<Case>> g_cases;

std::string value_text(const struct ptb_opt *o, uint64_t v)
{
	if (o->kind == ptb_opt::PTB_OPT_CHOICE) {
		std::vector<std::string> c = split(o->choices, '|');
		return v < c.size() ? c[v] : "";
	}
	return std::to_string(v);
}

// The driver's params column (bench/driver.c, params_string); a model's
// own options (none of the models driven here has any yet) at their
// defaults, as the shim cannot hand them to start/run/stop.
std::string params_of(const ParamSet &ps, const struct ptb_model *m, unsigned tasks)
{
	std::string s = ps.params;
	if (m->pooled)
		s += (s.empty() ? "" : ";") + std::string("tasks=") + std::to_string(tasks) +
		     ";submit=async";
	for (unsigned o = 0; o < m->nopts; o++)
		s += (s.empty() ? "" : ";") + std::string(m->opts[o].name) + "=" + m->opts[o].def;
	return s;
}

int prepare(ParamSet *ps, struct ptb_err *err)
{
	if (ps->failed)
		return ptb_errf(err, "%s", ps->prep_err.msg);
	if (ps->prepared)
		return 0;
	if (mkdir(ps->dir.c_str(), 0700) < 0)
		return ptb_errno(err, "mkdir(%s)", ps->dir.c_str());
	memset(&ps->prep_ctx, 0, sizeof ps->prep_ctx);
	memcpy(ps->prep_ctx.opt, ps->opt, sizeof ps->opt);
	ps->prep_ctx.tmpdir = ps->dir.c_str();
	if (ps->wl->prepare && ps->wl->prepare(&ps->prep_ctx, &ps->prep_err)) {
		ps->failed = true;
		return ptb_errf(err, "%s", ps->prep_err.msg);
	}
	ps->prepared = true;
	return 0;
}

void unprepare_all()
{
	for (auto &ps : g_sets)
		if (ps->prepared && ps->wl->unprepare)
			ps->wl->unprepare(&ps->prep_ctx);
}

// ---- one iteration: one repetition as lib/runner.c runs it ---------------------

struct Iter {
	int64_t wall_ns;
	struct ptb_sample s;	// rusage deltas of the timed region
	struct ptb_outcome out;
};

// Start the model, time its run, stop it: the runner's own timed region
// (lib/runner.h: ptb_timed_run), so the two harnesses time the same code.
int timed_run(const struct ptb_model *m, struct ptb_job *job, int perf_fd, Iter *it,
	      struct ptb_err *err)
{
	bool ran = false;
	int rc = ptb_timed_run(m, job, perf_fd, &it->s, &ran, err);
	if (rc == 0)
		it->wall_ns = it->s.wall_ns;
	return rc;
}

// --ptb-runner: the same repetition through ptb_run_rep, in a forked
// runner as `ptbench run` does it (its own timeout, group kill, reaping).
// Returns 0, 1 when interrupted, -1 with err.
int runner_rep(const Case &c, unsigned workers, Iter *it, struct ptb_err *err)
{
	struct ptb_rep_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.wl = c.ps->wl;
	spec.model = c.model;
	memcpy(spec.ctx.opt, c.ps->opt, sizeof spec.ctx.opt);
	spec.ctx.workers = spec.ctx.tasks = workers;
	spec.ctx.tmpdir = c.ps->dir.c_str();
	spec.async_submit = true;
	spec.timeout_s = c.timeout_s;
	int rc = ptb_run_rep(&spec, &it->s, err);
	if (rc)
		return rc;
	if (it->s.error[0] || !it->s.has_result)
		return ptb_errf(err, "%s", it->s.error[0] ? it->s.error : "no result");
	it->wall_ns = it->s.wall_ns;
	it->out.ops = it->s.ops;
	it->out.result = it->s.result;
	it->out.ok = it->s.ok;
	it->out.pss_kb = it->s.pss_kb;
	return 0;
}

int one_rep(const Case &c, unsigned workers, int perf_fd, Iter *it, struct ptb_err *err)
{
	if (c.runner)
		return runner_rep(c, workers, it, err);
	const struct ptb_workload *wl = c.ps->wl;
	struct ptb_wctx ctx;
	struct ptb_arena arena;
	memset(&ctx, 0, sizeof ctx);
	memcpy(ctx.opt, c.ps->opt, sizeof ctx.opt);
	ctx.workers = ctx.tasks = workers;
	ctx.tmpdir = c.ps->dir.c_str();
	ctx.model = c.model;
	struct ptb_job job;
	memset(&job, 0, sizeof job);
	job.fn = wl->task;
	job.arg = &ctx;
	job.workers = job.tasks = workers;
	job.async_submit = true;	// ptbench's default --submit async
	job.arena = &arena;
	size_t bytes = wl->arena_bytes(&ctx) + 4096;
	if (c.model->arena_bytes)
		bytes += c.model->arena_bytes(&job);
	if (ptb_arena_create(&arena, bytes, err))
		return -1;
	ctx.arena = &arena;
	int rc = wl->setup(&ctx, err);
	if (rc == 0)
		rc = timed_run(c.model, &job, perf_fd, it, err);
	if (rc == 0)
		rc = wl->verify(&ctx, &it->out, err);
	if (wl->teardown)
		wl->teardown(&ctx);
	ptb_arena_destroy(&arena);
	return rc;
}

// ---- the benchmark -------------------------------------------------------------

struct Totals {
	double user_ns = 0, sys_ns = 0, vol_cs = 0, invol_cs = 0, minflt = 0, majflt = 0;
	double migrations = 0, pss_kb = 0;
	bool has_migrations = true, has_pss = true;
	uint64_t ops = 0;
	int64_t result = 0;
	int64_t iterations = 0;

	void add(const Iter &it)
	{
		user_ns += (double)it.s.user_ns;
		sys_ns += (double)it.s.sys_ns;
		vol_cs += (double)it.s.vol_cs;
		invol_cs += (double)it.s.invol_cs;
		minflt += (double)it.s.minflt;
		majflt += (double)it.s.majflt;
		if (it.s.migrations == PTB_MISSING)
			has_migrations = false;
		else
			migrations += (double)it.s.migrations;
		if (it.out.pss_kb == PTB_MISSING)
			has_pss = false;
		else
			pss_kb += (double)it.out.pss_kb;
		ops = it.out.ops;
		result = it.out.result;
		iterations++;
	}
};

void report(benchmark::State &st, const Case &c, unsigned workers, const Totals &t)
{
	using benchmark::Counter;
	int64_t done_ops = (int64_t)t.ops * t.iterations;
	if (strcmp(c.ps->wl->ops_unit, "byte") == 0)
		st.SetBytesProcessed(done_ops);
	else
		st.SetItemsProcessed(done_ops);
	st.SetLabel(params_of(*c.ps, c.model, workers));
	st.counters["workers"] = Counter((double)workers);
	st.counters["ops"] = Counter((double)t.ops);
	st.counters["result"] = Counter((double)t.result);
	st.counters["user_ns"] = Counter(t.user_ns, Counter::kAvgIterations);
	st.counters["sys_ns"] = Counter(t.sys_ns, Counter::kAvgIterations);
	st.counters["vol_cs"] = Counter(t.vol_cs, Counter::kAvgIterations);
	st.counters["invol_cs"] = Counter(t.invol_cs, Counter::kAvgIterations);
	st.counters["minflt"] = Counter(t.minflt, Counter::kAvgIterations);
	st.counters["majflt"] = Counter(t.majflt, Counter::kAvgIterations);
	if (t.has_migrations)
		st.counters["migrations"] = Counter(t.migrations, Counter::kAvgIterations);
	if (t.has_pss)
		st.counters["pss_kb"] = Counter(t.pss_kb, Counter::kAvgIterations);
}

void run_case(benchmark::State &st, const Case *c)
{
	unsigned workers = (unsigned)st.range(0);
	struct ptb_err err = { { 0 } };
	if (prepare(c->ps, &err)) {
		st.SkipWithError(err.msg);
		return;
	}
	int perf_fd = ptb_perf_open_migrations();
	Totals t;
	for (auto _ : st) {
		Iter it;
		ptb_sample_clear(&it.s);
		memset(&it.out, 0, sizeof it.out);
		it.out.pss_kb = PTB_MISSING;	// as the runner starts it
		if (ptb_interrupted) {
			st.SkipWithError("interrupted");
			break;
		}
		alarm(c->runner ? 0 : c->timeout_s);	// the runner has its own
		int rc = one_rep(*c, workers, perf_fd, &it, &err);
		alarm(0);
		reap_strays();
		if (rc) {
			st.SkipWithError(rc == 1 ? "interrupted" : err.msg);
			break;
		}
		if (!it.out.ok) {
			std::string msg = "wrong result " + std::to_string(it.out.result);
			st.SkipWithError(msg.c_str());
			break;
		}
		st.SetIterationTime((double)it.wall_ns / 1e9);
		t.add(it);
	}
	if (perf_fd >= 0)
		close(perf_fd);
	if (t.iterations > 0 && !st.error_occurred())
		report(st, *c, workers, t);
}

// ---- registration ----------------------------------------------------------------

// The value list of option o of wl: the last --ptb-set for it, else every
// choice, else the default.
std::vector<uint64_t> values_of(const Options &opts, const struct ptb_workload *wl, unsigned o)
{
	for (size_t i = opts.sets.size(); i-- > 0;)
		if (opts.sets[i].wl == wl && opts.sets[i].opt == o)
			return opts.sets[i].values;
	const struct ptb_opt *def = &wl->opts[o];
	std::vector<uint64_t> v;
	if (def->kind == ptb_opt::PTB_OPT_CHOICE) {
		for (size_t i = 0; i < split(def->choices, '|').size(); i++)
			v.push_back(i);
		return v;
	}
	uint64_t x = 0;
	const char *why = nullptr;
	if (ptb_parse_u64(def->def, def->unit, def->max, &x, &why) == 0)
		v.push_back(x);
	return v;
}

void add_param_sets(const Options &opts, const struct ptb_workload *wl)
{
	std::vector<std::vector<uint64_t>> lists;
	size_t combos = 1;
	for (unsigned o = 0; o < wl->nopts; o++) {
		lists.push_back(values_of(opts, wl, o));
		combos *= lists.back().size();
	}
	for (size_t k = 0; k < combos; k++) {
		auto ps = std::make_unique<ParamSet>();
		ps->wl = wl;
		memset(ps->opt, 0, sizeof ps->opt);
		size_t rest = k;
		for (unsigned o = wl->nopts; o-- > 0;) {
			ps->opt[o] = lists[o][rest % lists[o].size()];
			rest /= lists[o].size();
		}
		for (unsigned o = 0; o < wl->nopts; o++) {
			std::string kv = std::string(wl->opts[o].name) + "=" +
					 value_text(&wl->opts[o], ps->opt[o]);
			ps->params += (o ? ";" : "") + kv;
			if (lists[o].size() > 1)
				ps->name_part += "/" + kv;
		}
		ps->dir = g_tmpdir + "/" + wl->name + "-" + std::to_string(k);
		ps->prepared = ps->failed = false;
		g_sets.push_back(std::move(ps));
	}
}

// The worker counts of opts that model m can run ps with, as `ptbench run
// -m all` decides (the workload's min/max workers, ptb_fit_refusal).
std::vector<int64_t> fitting_workers(const Options &opts, const ParamSet &ps,
				     const struct ptb_model *m)
{
	std::vector<int64_t> fit;
	for (int64_t n : opts.workers) {
		struct ptb_fit f;
		memset(&f, 0, sizeof f);
		f.model = m;
		f.opt = ps.opt;
		f.workers = f.tasks = (unsigned)n;
		f.async_submit = true;
		if (ptb_workers_fit(ps.wl, (unsigned)n) && !ptb_fit_refusal(ps.wl, &f))
			fit.push_back(n);
	}
	return fit;
}

void register_all(const Options &opts)
{
	for (unsigned w = 0; w < ptb_nworkloads; w++)
		if (!skipped(ptb_workloads[w]))
			add_param_sets(opts, ptb_workloads[w]);
	for (auto &ps : g_sets) {
		for (unsigned m = 0; m < ptb_nmodels; m++) {
			if (!drivable(ptb_models[m]))
				continue;
			std::vector<int64_t> workers = fitting_workers(opts, *ps, ptb_models[m]);
			if (workers.empty())
				continue;
			g_cases.push_back(std::make_unique<Case>(
				Case{ ps.get(), ptb_models[m], opts.timeout_s, opts.runner }));
			std::string name = std::string(ps->wl->name) + "/" + ptb_models[m]->name +
					   ps->name_part;
			auto *b = benchmark::RegisterBenchmark(name.c_str(), run_case,
								 g_cases.back().get());
			b->ArgName("workers")->UseManualTime()->Unit(benchmark::kMicrosecond);
			for (int64_t n : workers)
				b->Arg(n);
		}
	}
}

std::string utc_now()
{
	char buf[32];
	time_t t = time(nullptr);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	return buf;
}

void usage(FILE *f)
{
	fprintf(f, "ptbench-gbench: ptbench's workloads and models as google-benchmark benchmarks\n"
		   "  --ptb-set=WORKLOAD.OPTION=VALUE[,VALUE...]  a workload size (repeatable; lists sweep)\n"
		   "  --ptb-workers=LIST                          worker counts (default %s)\n"
		   "  --ptb-tmpdir=DIR                            temporary files (default $TMPDIR or /tmp)\n"
		   "  --ptb-timeout=SECONDS                       give up when an iteration runs longer (120)\n"
		   "  --ptb-runner                                each iteration in ptbench's forked runner\n"
		   "                                              (ptb_run_rep), not in this process\n"
		   "built-in sizes:", kDefaultWorkers);
	for (const char *s : kDefaultSets)
		fprintf(f, " %s", s);
	fprintf(f, "\nleft out:");
	for (const auto &s : kSkipped)
		fprintf(f, " %s (%s)", s.name, s.why);
	fprintf(f, "\ngoogle-benchmark's own options follow.\n\n");
}

}  // namespace

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			usage(stdout);
	benchmark::Initialize(&argc, argv);
	Options opts;
	if (parse_args(argc, argv, &opts) || make_tmpdir(opts.tmpdir_base))
		return 2;
	if (install_signals() || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		fprintf(stderr, "ptbench-gbench: sigaction/prctl: %s\n", strerror(errno));
		ptb_rm_rf(g_tmpdir.c_str(), nullptr);
		return 1;
	}
	benchmark::AddCustomContext("ptbench_run_id",
				    "gbench-" + utc_now() + "-" + std::to_string((long)getpid()));
	benchmark::AddCustomContext("ptbench_git", PTB_GIT);
	benchmark::AddCustomContext("ptbench_mode", opts.runner ? "runner" : "in-process");
	register_all(opts);
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	unprepare_all();
	reap_strays();
	struct ptb_err err;
	if (ptb_rm_rf(g_tmpdir.c_str(), &err))
		fprintf(stderr, "ptbench-gbench: %s\n", err.msg);
	if (ptb_interrupted)
		return 128 + ptb_interrupted;
	return 0;
}
