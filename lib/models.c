/* models.c - the registry of models and the helpers they share. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "model.h"

extern const struct ptb_model ptb_model_thread, ptb_model_fork,
	ptb_model_threadpool, ptb_model_procpool;

const struct ptb_model *const ptb_models[] = {
	&ptb_model_thread,
	&ptb_model_fork,
	&ptb_model_threadpool,
	&ptb_model_procpool,
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
