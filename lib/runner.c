/* runner.c - fork a runner, run one measured repetition in it, wait for it
 * with a timeout, and leave nothing of it behind. */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
#include "measure.h"
#include "procfs.h"
#include "signals.h"

#define WAIT_SLICE_MS 100

/* ---- in the runner child ------------------------------------------- */

static int make_arena(const struct ptb_rep_spec *spec, struct ptb_wctx *ctx,
		      struct ptb_job *job, struct ptb_arena *arena, struct ptb_err *err)
{
	size_t bytes = spec->wl->arena_bytes(ctx) + 4096;
	if (spec->model->arena_bytes)
		bytes += spec->model->arena_bytes(job);
	if (ptb_arena_create(arena, bytes, err))
		return -1;
	ctx->arena = arena;
	return 0;
}

/* Start the model, time its run, stop it; fills the measured columns
 * (also after a failed run: *ran tells whether run was called at all). */
int ptb_timed_run(const struct ptb_model *m, struct ptb_job *job, int perf_fd,
		  struct ptb_sample *out, bool *ran, struct ptb_err *err)
{
	void *state = NULL;
	struct ptb_snapshot begin, end;
	int rc = m->start ? m->start(job, &state, err) : 0;
	*ran = rc == 0;
	if (*ran) {
		ptb_snapshot_begin(&begin, perf_fd);
		rc = m->run(state, job, err);
		ptb_snapshot_end(&end, perf_fd);
	}
	if (m->stop)
		m->stop(state);
	if (*ran) {
		/* pool workers are reaped by stop: count them, then the delta */
		getrusage(RUSAGE_CHILDREN, &end.children);
		end.migrations = ptb_perf_read(perf_fd);
		out->wall_ns = end.mono_ns - begin.mono_ns;
		ptb_sample_delta(out, &begin, &end);
	}
	return rc;
}

/* The same, with the migrations counter the workload allows. */
static int timed_run(const struct ptb_rep_spec *spec, struct ptb_job *job,
		     struct ptb_sample *out, bool *ran, struct ptb_err *err)
{
	int perf_fd = spec->wl->no_perf_counter ? -1 : ptb_perf_open_migrations();
	int rc = ptb_timed_run(spec->model, job, perf_fd, out, ran, err);
	if (perf_fd >= 0)
		close(perf_fd);
	return rc;
}

static int runner_body(const struct ptb_rep_spec *spec, struct ptb_sample *out,
		       struct ptb_err *err)
{
	struct ptb_wctx ctx = spec->ctx;
	struct ptb_arena arena;
	struct ptb_job job = {
		.fn = spec->wl->task, .arg = &ctx, .workers = ctx.workers,
		.tasks = ctx.tasks, .async_submit = spec->async_submit, .arena = &arena,
	};
	struct ptb_outcome outcome = { .pss_kb = PTB_MISSING };
	ctx.model = spec->model;
	if (make_arena(spec, &ctx, &job, &arena, err))
		return -1;
	bool ran = false;
	char run_error[sizeof err->msg];
	int rc = spec->wl->setup(&ctx, err);
	if (rc == 0)
		rc = timed_run(spec, &job, out, &ran, err);
	if (rc && ran && spec->wl->expects_death) {
		/* a worker's death is the experiment: verify judges what survived */
		snprintf(run_error, sizeof run_error, "%s", err->msg);
		ctx.run_error = run_error;
		rc = 0;
	}
	if (rc == 0)
		rc = spec->wl->verify(&ctx, &outcome, err);
	if (spec->wl->teardown)
		spec->wl->teardown(&ctx);
	ptb_arena_destroy(&arena);
	if (rc == 0) {
		out->ops = outcome.ops;
		out->result = outcome.result;
		out->has_result = true;
		out->ok = outcome.ok;
		out->pss_kb = outcome.pss_kb;
		memcpy(out->notes, outcome.notes, sizeof out->notes);
		out->notes[sizeof out->notes - 1] = '\0';
		if (!outcome.ok && ctx.run_error)	/* the death was not the expected one */
			snprintf(out->error, sizeof out->error, "%.*s", (int)sizeof out->error - 1,
				 ctx.run_error);
	}
	return rc;
}

static void runner_main(const struct ptb_rep_spec *spec, struct ptb_sample *out,
			pid_t driver)
{
	struct ptb_err err = { { 0 } };
	ptb_signals_reset();
	if (!ptb_child_die_with(driver))
		_exit(125);	/* the driver died before we could ask */
	setpgid(0, 0);
	/* an external runner (a Python model) runs the workload in another
	 * program; everything around it is the same */
	int rc = spec->model->exec_runner ? spec->model->exec_runner(spec, out, &err)
					  : runner_body(spec, out, &err);
	if (rc)
		snprintf(out->error, sizeof out->error, "%.*s", (int)sizeof out->error - 1, err.msg);
	_exit(rc ? 1 : 0);
}

/* ---- in the driver -------------------------------------------------- */

/* Kill what is left of the runner's process group and reap all of it; the
 * driver is a child subreaper, so orphaned workers come back to it. */
static void reap_group(pid_t pgid)
{
	kill(-pgid, SIGKILL);
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
}

/* Wait for the runner to end; 0 when it did, 1 when interrupted,
 * 2 when the timeout passed.  The runner is not yet reaped. */
static int wait_runner(pid_t pid, int pidfd, int64_t deadline_ns)
{
	for (;;) {
		if (ptb_interrupted)
			return 1;
		if (ptb_now_ns() > deadline_ns)
			return 2;
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			if (poll(&p, 1, WAIT_SLICE_MS) > 0)
				return 0;
		} else {
			siginfo_t si = { 0 };
			if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    si.si_pid == pid)
				return 0;
			usleep(1000);
		}
	}
}

static void describe_end(struct ptb_sample *out, int status, int how, unsigned timeout_s)
{
	char what[64];
	if (how == 2) {
		snprintf(out->error, sizeof out->error, "timeout after %u s: killed", timeout_s);
	} else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		if (out->error[0] == '\0')
			snprintf(out->error, sizeof out->error, "runner %s",
				 ptb_describe_status(status, what, sizeof what));
	} else {
		return;
	}
	int64_t outer = out->outer_wall_ns;
	char error[sizeof out->error];
	memcpy(error, out->error, sizeof error);
	ptb_sample_clear(out);	/* figures of a failed run mean nothing, */
	out->outer_wall_ns = outer;
	memcpy(out->error, error, sizeof error);	/* but why it failed does */
}

/* The runner died of signal signo: a workload whose experiment that is (a
 * thread's fault takes the whole process) may record it as its outcome. */
static void runner_killed(const struct ptb_rep_spec *spec, int signo, struct ptb_sample *out)
{
	struct ptb_outcome o = { .pss_kb = PTB_MISSING };
	struct ptb_fit fit = { .model = spec->model, .opt = spec->ctx.opt,
			       .workers = spec->ctx.workers, .tasks = spec->ctx.tasks,
			       .async_submit = spec->async_submit };
	if (!spec->wl->runner_killed || !spec->wl->runner_killed(&fit, signo, &o))
		return;
	out->ops = o.ops;
	out->result = o.result;
	out->has_result = true;
	out->ok = o.ok;
	memcpy(out->notes, o.notes, sizeof out->notes);
	out->notes[sizeof out->notes - 1] = '\0';
	if (o.ok)
		out->error[0] = '\0';	/* the expected outcome, not a failure */
}

int ptb_run_rep(const struct ptb_rep_spec *spec, struct ptb_sample *out, struct ptb_err *err)
{
	struct ptb_sample *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return ptb_errno(err, "mmap(result page)");
	ptb_sample_clear(shared);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t driver = getpid();
	int64_t steal0 = ptb_steal_ns();	/* before the runner exists: untimed */
	int64_t t0 = ptb_now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		munmap(shared, sizeof *shared);
		return ptb_errno(err, "fork(runner)");
	}
	if (pid == 0)
		runner_main(spec, shared, driver);
	setpgid(pid, pid);	/* also done by the child: whichever runs first */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int how = wait_runner(pid, pidfd, t0 + (int64_t)spec->timeout_s * 1000000000);
	int status = 0;
	if (how != 0)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int64_t t1 = ptb_now_ns();
	int64_t steal1 = ptb_steal_ns();
	reap_group(pid);
	if (spec->model->after_rep)
		spec->model->after_rep();
	if (pidfd >= 0)
		close(pidfd);
	*out = *shared;
	munmap(shared, sizeof *shared);
	out->outer_wall_ns = t1 - t0;
	describe_end(out, status, how, spec->timeout_s);
	out->steal_ns = steal0 < 0 || steal1 < 0 ? PTB_MISSING : steal1 - steal0;
	if (how == 0 && WIFSIGNALED(status))
		runner_killed(spec, WTERMSIG(status), out);
	return how == 1 ? 1 : 0;
}
