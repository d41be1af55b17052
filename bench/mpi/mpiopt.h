/* mpiopt.h - the options of ptbench-mpi (launcher and rank program).
 *
 * ptbench's mpi model (lib/model_mpi.c) passes the workload's options as
 * `--NAME VALUE` (numbers already parsed by ptbench, choices by name); the
 * launcher hands the same list to every rank.  Options that do not apply
 * to the workload are ignored; ptbench has already checked the values. */
#ifndef PTB_MPIOPT_H
#define PTB_MPIOPT_H

#include <stdint.h>

enum mpi_workload { MPI_WL_CPU, MPI_WL_COUNTER, MPI_WL_SHARE, MPI_WL_CREATE, MPI_WL_EMPTY,
		   MPI_WL_ALLREDUCE };

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
};

/* Parse argv[first..argc) into *o; 0, or 2 after a one-line message. */
int ptb_mpi_parse(int argc, char **argv, int first, struct mpi_opts *o);
/* The rank program (rank.c): MPI_Init, the workload, the report line. */
int ptb_mpi_rank_main(const struct mpi_opts *o);
/* The launcher (launch.c): mpirun, its report, the JSON line for ptbench. */
int ptb_mpi_launch_main(const struct mpi_opts *o, char *self, int argc, char **argv, int first);

#endif
