/* hostfile.h - Open MPI hostfile syntax, read by ptbench (to refuse a bad
 * file before anything starts, naming the file and the line) and by the
 * mpi launcher (to hand mpirun the hosts asked for).
 *
 * The syntax is Open MPI's (mpirun(1), "Hostfile"): one host per line,
 *     HOST [slots=N] [max_slots=N]
 * ("max-slots" also accepted, as Open MPI does); '#' starts a comment;
 * blank lines are skipped.  A host listed twice is refused (Open MPI would
 * add the slots up; here the order of the hosts is what --hosts H picks:
 * the first H). */
#ifndef PTB_HOSTFILE_H
#define PTB_HOSTFILE_H

#include <stddef.h>

#define PTB_HOSTFILE_MAX_HOSTS 256
#define PTB_HOSTFILE_NAME_BYTES 256

struct ptb_hostfile_entry {
	char name[PTB_HOSTFILE_NAME_BYTES];
	unsigned slots;		/* 0: not given (Open MPI counts the cores) */
	unsigned line;		/* where it was listed */
};

struct ptb_hostfile {
	struct ptb_hostfile_entry host[PTB_HOSTFILE_MAX_HOSTS];
	unsigned nhosts;
};

/* Read path into *hf.  0, or -1 with one line in why: "FILE: why" or
 * "FILE:LINE: why (allowed: ...)". */
int ptb_hostfile_read(const char *path, struct ptb_hostfile *hf, char *why, size_t len);

/* The first `hosts` entries as mpirun's -H value ("a:2,b,c:4") into buf;
 * -1 when it does not fit. */
int ptb_hostfile_hosts_arg(const struct ptb_hostfile *hf, unsigned hosts, char *buf, size_t len);

#endif
