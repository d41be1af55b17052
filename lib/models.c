/* models.c - the registry of models and the helpers they share. */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "model.h"
#include "pool.h"

extern const struct ptb_model ptb_model_thread, ptb_model_fork,
	ptb_model_threadpool, ptb_model_procpool;
extern const struct ptb_model ptb_model_vfork, ptb_model_spawn;
extern const struct ptb_model ptb_model_pythread, ptb_model_pyproc, ptb_model_pypool,
	ptb_model_pythreadpool, ptb_model_pyexthread, ptb_model_pyexproc;
extern const struct ptb_model ptb_model_mpi, ptb_model_pympi;

const struct ptb_model *const ptb_models[] = {
	&ptb_model_thread,
	&ptb_model_fork,
	&ptb_model_threadpool,
	&ptb_model_procpool,
	&ptb_model_vfork,
	&ptb_model_spawn,
	&ptb_model_pythread,
	&ptb_model_pyproc,
	&ptb_model_pypool,
	&ptb_model_pythreadpool,
	&ptb_model_pyexthread,
	&ptb_model_pyexproc,
	&ptb_model_mpi,
	&ptb_model_pympi,
};
const unsigned ptb_nmodels = sizeof ptb_models / sizeof ptb_models[0];

const struct ptb_model *ptb_model_find(const char *name)
{
	for (unsigned i = 0; i < ptb_nmodels; i++)
		if (strcmp(ptb_models[i]->name, name) == 0)
			return ptb_models[i];
	return NULL;
}

int ptb_run_share(const struct ptb_job *job, unsigned worker)
{
	for (unsigned t = worker; t < job->tasks; t += job->workers) {
		int status = job->fn(job->arg, t, job->tasks);
		if (status)
			return status;
	}
	return 0;
}

const char *ptb_describe_status(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	else if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else
		snprintf(buf, len, "ended with wait status %#x", status);
	return buf;
}

int ptb_wait_empty(pid_t pid, struct ptb_err *err)
{
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (got < 0)
		return ptb_errno(err, "waitpid(empty worker %ld)", (long)pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char what[64];
	return ptb_errf(err, "empty worker %s%s", ptb_describe_status(status, what, sizeof what),
			WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (exec failed)" : "");
}

const char *ptb_fit_refusal(const struct ptb_workload *wl, const struct ptb_fit *fit)
{
	const struct ptb_model *m = fit->model;
	const char *why = m->refuse ? m->refuse(wl, fit) : NULL;
	if (why)
		return why;
	if (m->supports && !m->supports(m, wl))
		return m->exec_runner ? "the model does not implement this workload"
				      : "the model only starts empty workers, so it runs only the create workload";
	/* an external runner creates workers its own way, in its own program */
	if ((wl->needs & PTB_NEEDS_CREATE) && !m->create_empty && !m->exec_runner)
		return "the workload creates empty workers and the model has no primitive for that";
	if ((wl->needs & PTB_NEEDS_GANG) && m->pooled) {
		if (!fit->async_submit)
			return "its tasks wait for each other, so a pool needs --submit async";
		if (fit->tasks != fit->workers)
			return "its tasks wait for each other, so a pool needs as many tasks as workers";
		if (fit->workers > PTB_POOL_CAP)
			return "its tasks wait for each other, and a pool queue holds fewer in flight";
	}
	return wl->refuse ? wl->refuse(fit) : NULL;
}

/* The value of option o at its default (as the command line stores it). */
static int opt_default(const struct ptb_opt *o, uint64_t *v)
{
	const char *why;
	*v = 0;
	if (o->kind == PTB_OPT_NUM)
		return ptb_parse_u64(o->def, o->unit, o->max ? o->max : UINT64_MAX, v, &why);
	if (o->kind == PTB_OPT_TEXT) {
		*v = o->def[0] ? (uint64_t)(uintptr_t)o->def : 0;
		return 0;
	}
	size_t n = strlen(o->def);
	for (const char *c = o->choices; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL, ++*v)
		if (strncmp(c, o->def, n) == 0 && (c[n] == '|' || c[n] == '\0'))
			return 0;
	return -1;
}

bool ptb_model_runs(const struct ptb_model *m, const struct ptb_workload *wl)
{
	if (m->supports && !m->supports(m, wl))
		return false;
	if ((wl->needs & PTB_NEEDS_CREATE) && !m->create_empty && !m->exec_runner)
		return false;
	if (!wl->refuse)
		return true;
	/* the workload's own refuse at its defaults, in a shape every model
	 * takes: as many tasks as workers, submitted async */
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	for (unsigned o = 0; o < wl->nopts && o < PTB_MAX_OPTS; o++)
		if (opt_default(&wl->opts[o], &opt[o]))
			return false;
	unsigned n = wl->min_workers > 2 ? wl->min_workers : 2;
	if (wl->max_workers && n > wl->max_workers)
		n = wl->max_workers;
	struct ptb_fit fit = { .model = m, .opt = opt, .workers = n, .tasks = n,
			       .async_submit = m->pooled };
	return wl->refuse(&fit) == NULL;
}
