/* mpiopt.h - the options of ptbench-mpi (launcher and rank program).
 *
 * ptbench's mpi model (lib/model_mpi.c) passes the workload's options as
 * `--NAME VALUE` (numbers already parsed by ptbench, choices by name); the
 * launcher hands the same list to every rank.  Options that do not apply
 * to the workload are ignored; ptbench has already checked the values. */
#ifndef PTB_MPIOPT_H
#define PTB_MPIOPT_H

#include <stddef.h>
#include <stdint.h>

enum mpi_workload { MPI_WL_CPU, MPI_WL_COUNTER, MPI_WL_SHARE, MPI_WL_CREATE, MPI_WL_EMPTY,
		   MPI_WL_ALLREDUCE, MPI_WL_PLUGIN, MPI_WL_PYFUNC };

#define MPI_PLUGIN_MAX_OPTS 8	/* as PTB_PLUGIN_MAX_OPTS (ptbench/plugin.h) */

struct mpi_opts {
	enum mpi_workload workload;
	unsigned workers;	/* ranks (launcher) */
	unsigned hosts;		/* launcher: for the notes */
	int report_fd;		/* launcher: where the JSON report goes */
	uint64_t steps;		/* cpu */
	uint64_t iters, window_us;	/* counter */
	uint64_t bytes, chunk;	/* share */
	uint64_t exchanges, payload;	/* allreduce (and steps) */
	char lock[16];		/* counter: mutex or atomic (the reduction) */
	char hostfile[4096];	/* launcher: "" or the Open MPI hostfile of real hosts */
	char mpirun_args[4096];	/* launcher: extra mpirun arguments, split at spaces */
	char python[4096];	/* launcher: "" (C ranks), or the interpreter of mpi4py ranks */
	char pymodule[4096];	/* launcher: with python, bench/py/ptpy.py (its mpi-rank command) */
	/* --workload plugin:PATH (lib/plugin.c: an independent plugin's mpi_ref):
	 * the shared object every rank dlopens, and its options as given
	 * after "--" (NAME, VALUE pairs pointing into argv). */
	char plugin[4096];
	const char *plugin_arg[2 * MPI_PLUGIN_MAX_OPTS];
	int nplugin_args;
	/* --workload py:REF (lib/pyfunc.c: a user's Python function, pympi
	 * only): as given; its keyword arguments, after "--", go to the ranks
	 * unread (bench/py/ptpy_mpi.py). */
	char pyfunc[4096];
};

struct ptb_plugin_v1;
/* The plugin of o->plugin, its option values (in its opts order) into opt;
 * NULL with msg saying why not (plugin_rank.c). */
const struct ptb_plugin_v1 *ptb_mpi_plugin_load(const struct mpi_opts *o, uint64_t *opt, char *msg,
					      size_t len);

/* Parse argv[first..argc) into *o; 0, or 2 after a one-line message. */
int ptb_mpi_parse(int argc, char **argv, int first, struct mpi_opts *o);
/* The rank program (rank.c): MPI_Init, the workload, the report line. */
int ptb_mpi_rank_main(const struct mpi_opts *o);
/* The launcher (launch.c): mpirun, its report, the JSON line for ptbench. */
int ptb_mpi_launch_main(const struct mpi_opts *o, char *self, int argc, char **argv, int first);

#endif
