/* model_spawn.c - `spawn`: empty workers started with posix_spawn() of the
 * worker binary, build/ptbench-worker (bench/worker/worker_main.c), which
 * exits at once.
 *
 * A spawned program starts from exec: it inherits neither the runner's
 * memory nor the anonymous MAP_SHARED arena, so it cannot run a workload's
 * task.  Like vfork, the model runs only workloads that need nothing but
 * its create_empty primitive (the `create` workload), with their tasks in
 * the runner (ptb_run_in_runner, model_vfork.c).  create_empty is
 * posix_spawn + waitpid; glibc implements posix_spawn with
 * clone(CLONE_VM|CLONE_VFORK), so no page table is copied.
 *
 * The worker binary is found once, before the clock
 * (ptb_exec_find_worker): $PTBENCH_WORKER when set, else ptbench-worker in
 * PREFIX/libexec/ptbench of an installed ptbench or beside the binary in
 * the build tree (lib/locate.h); a missing binary is an error naming
 * where it was looked for. */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include "locate.h"
#include "model.h"

#define WORKER_NAME "ptbench-worker"

static char empty_arg[] = "empty";	/* the worker's argv[1]: what to do */

int ptb_exec_find_worker(struct ptb_exec *ex, struct ptb_err *err)
{
	const char *env = getenv("PTBENCH_WORKER");
	struct ptb_err why = { { 0 } };
	memset(ex, 0, sizeof *ex);
	if (env && *env) {
		if ((size_t)snprintf(ex->path, sizeof ex->path, "%s", env) >= sizeof ex->path)
			return ptb_errf(err, "PTBENCH_WORKER: path too long");
		if (access(ex->path, X_OK) < 0)
			return ptb_errno(err, "worker binary '%s' (PTBENCH_WORKER)", ex->path);
	} else if (ptb_locate_program(WORKER_NAME, ex->path, sizeof ex->path, &why)) {
		return ptb_errf(err, "worker binary %s (build it with make, or set PTBENCH_WORKER)",
				why.msg);
	}
	ex->argv[0] = ex->path;
	ex->argv[1] = empty_arg;
	ex->argv[2] = NULL;
	return 0;
}

static int spawn_create_empty(const struct ptb_exec *ex, struct ptb_err *err)
{
	pid_t pid;
	if (!ex)
		return ptb_errf(err, "spawn: posix_spawn needs a program to run");
	int e = posix_spawn(&pid, ex->path, NULL, NULL, ex->argv, environ);
	if (e) {
		errno = e;
		return ptb_errno(err, "posix_spawn(%s)", ex->path);
	}
	return ptb_wait_empty(pid, err);
}

static bool spawn_supports(const struct ptb_model *m, const struct ptb_workload *wl)
{
	(void)m;
	return (wl->needs & PTB_NEEDS_CREATE) != 0;
}

static int spawn_run(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	return ptb_run_in_runner(job, err);
}

const struct ptb_model ptb_model_spawn = {
	.name = "spawn",
	.desc = "empty workers by posix_spawn of ptbench-worker +waitpid; runs only `create`",
	.supports = spawn_supports,
	.create_empty = spawn_create_empty,
	.create_kinds = PTB_CREATE_EXEC,
	.run = spawn_run,
};
