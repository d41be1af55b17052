/* plugin_rank.c - a ptbench plugin in an MPI rank: load the shared object
 * named by `--workload plugin:PATH` and read its option values.
 *
 * ptbench has checked the plugin before mpirun started (lib/plugin.c: the
 * file, the symbol, the ABI version, the options) and passes only
 * independent plugins here, their options as `--NAME VALUE` (numbers
 * already parsed, choices by name).  A rank on another host loads its own
 * copy of PATH, which must be there: what can differ there (no file, no
 * symbol, another ABI version, another option table) is said in one line
 * by the rank that found it (rank.c then aborts the job).  rank.c runs the
 * tasks. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ptbench/plugin.h>
#include "mpiopt.h"

/* The value of option po as ptbench passed it (raw), into *v. */
static int opt_value(const struct ptb_plugin_opt *po, const char *raw, uint64_t *v, char *msg,
		     size_t len)
{
	if (po->kind == PTB_PLUGIN_OPT_CHOICE) {
		size_t n = strlen(raw);
		*v = 0;
		for (const char *c = po->choices; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL, ++*v)
			if (strncmp(c, raw, n) == 0 && (c[n] == '|' || c[n] == '\0'))
				return 0;
		snprintf(msg, len, "--%s: '%s' is none of %s", po->name, raw, po->choices);
		return -1;
	}
	char *end;
	errno = 0;
	unsigned long long x = strtoull(raw, &end, 10);
	if (errno || end == raw || *end || raw[0] == '-' || x < po->min || x > po->max) {
		snprintf(msg, len, "--%s: '%s' is not a whole number in [%llu, %llu]", po->name, raw,
			 (unsigned long long)po->min, (unsigned long long)po->max);
		return -1;
	}
	*v = x;
	return 0;
}

/* Every option of the plugin, from the pairs ptbench passed. */
static int read_opts(const struct mpi_opts *o, const struct ptb_plugin_v1 *p, uint64_t *opt,
		     char *msg, size_t len)
{
	if (p->nopts > MPI_PLUGIN_MAX_OPTS) {
		snprintf(msg, len, "%u options (allowed: at most %d)", p->nopts, MPI_PLUGIN_MAX_OPTS);
		return -1;
	}
	for (unsigned k = 0; k < p->nopts; k++) {
		const char *raw = NULL;
		for (int i = 0; i + 1 < o->nplugin_args; i += 2)
			if (strcmp(o->plugin_arg[i], p->opts[k].name) == 0)
				raw = o->plugin_arg[i + 1];
		if (!raw) {
			snprintf(msg, len, "option --%s not given (another build of the plugin than "
				 "ptbench checked?)", p->opts[k].name);
			return -1;
		}
		if (opt_value(&p->opts[k], raw, &opt[k], msg, len))
			return -1;
	}
	return 0;
}

const struct ptb_plugin_v1 *ptb_mpi_plugin_load(const struct mpi_opts *o, uint64_t *opt, char *msg,
					      size_t len)
{
	char why[400];
	void *h = dlopen(o->plugin, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(msg, len, "plugin:%s: dlopen: %s", o->plugin, e ? e : "failed");
		return NULL;
	}
	const struct ptb_plugin_v1 *p = dlsym(h, "ptb_plugin_v1");
	if (!p || p->abi_version != PTB_PLUGIN_ABI_VERSION || !p->task || !p->verify || !p->independent) {
		snprintf(msg, len, "plugin:%s: %s", o->plugin,
			 !p ? "no symbol ptb_plugin_v1" :
			 p->abi_version != PTB_PLUGIN_ABI_VERSION ? "another ABI version than ptbench checked" :
			 !p->independent ? "its tasks are not independent here" : "no task or verify");
		dlclose(h);
		return NULL;
	}
	if (read_opts(o, p, opt, why, sizeof why)) {
		snprintf(msg, len, "plugin:%s: %s", o->plugin, why);
		dlclose(h);
		return NULL;
	}
	return p;	/* the handle stays open until the rank exits */
}
