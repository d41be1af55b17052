/* launch.c - ptbench-mpi: the launcher and the rank program of the `mpi`
 * model in one binary (built with mpicc by mk/mpi.mk).
 *
 *   ptbench-mpi launch --workload W --workers N --hosts H --report-fd FD -- [--NAME VALUE...]
 *       run by ptbench's runner (lib/model_mpi.c, through
 *       scripts/mpi_hosts.sh): starts `mpirun -np N ptbench-mpi rank ...`,
 *       reads rank 0's PTBMPI line from mpirun's stdout and writes the
 *       one-line JSON report of lib/external.h on FD.  For `create` it
 *       times mpirun itself (an empty job: MPI_Init, one reduction,
 *       MPI_Finalize): wall_ns is the whole job, ops the ranks, so
 *       ns_per_op is the start-up cost per rank; user/sys/rss are
 *       RUSAGE_CHILDREN deltas (mpirun and every process it reaped).
 *   ptbench-mpi rank --workload W -- [--NAME VALUE...]
 *       one rank (rank.c).  W may be plugin:ABSOLUTE_PATH (an independent
 *       plugin, lib/plugin.c's mpi_ref): the options after "--" are then
 *       the plugin's, kept for plugin_rank.c (--hostfile and --mpirun-args
 *       still the launcher's).  W may be py:REF with --python (a user's
 *       Python function, lib/pyfunc.c): the options after "--" are then its
 *       keyword arguments, passed to the ranks unread; a PTBMPI line whose
 *       notes begin error=MESSAGE (its rank 0's verdict) is the row's error.
 *   ptbench-mpi launch ... --python PY --pymodule ptpy.py -- ...
 *       the pympi model: the same mpirun, hosts and report, but each rank
 *       is `PY -I -B ptpy.py mpi-rank ...` (bench/py/ptpy_mpi.py, mpi4py),
 *       whose PTBMPI line ends with the interpreter's notes (python=,
 *       gil=, mpi4py=, exe=), appended to the row's.
 *
 * Hosts: with PTB_MPI_HOSTLIST set (scripts/mpi_hosts.sh, H > 1) the ranks
 * are spread round robin over those addresses (--map-by node), started
 * through PTB_MPI_RSH, and talk TCP on PTB_MPI_SUBNET only (btl tcp,self),
 * so every message between hosts crosses the virtual network.  Without it
 * all ranks run here (btl self,vader: shared memory, as Open MPI does on
 * one machine) and the out-of-band channel stays on loopback.  Always
 * mpi_yield_when_idle 1: a rank waiting for a message yields the CPU
 * instead of spinning (as the thread model's rings block on condition
 * variables); spinning ranks on 2 shared cores made share 100x slower in
 * some repetitions (measured: 0.24 ns/byte typical, 25-52 ns/byte then).
 * --bind-to none, as the other models' workers are not pinned.  allreduce
 * runs Open MPI's recursive doubling (coll_tuned_allreduce_algorithm 3):
 * log2(ranks) rounds, each a pairwise exchange of the whole payload, the
 * rounds ptb/mpi_scaling.py models (Open MPI's own choice changes with
 * the size; --mpirun-args '--mca coll_tuned_allreduce_algorithm N' wins).  mpirun is
 * $PTB_MPIRUN when set, else mpirun in PATH. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include "hostfile.h"
#include "measure.h"
#include "mpiopt.h"

#define MAX_ARGS 160
#define LINE_BYTES 4096

static const char *const wl_names[] = { "cpu", "counter", "share", "create", "empty",
					 "allreduce" };

/* ---- options ------------------------------------------------------------------ */

static int bad(const char *what, const char *value, const char *allowed)
{
	fprintf(stderr, "ptbench-mpi: bad %s '%s' (allowed: %s)\n", what, value, allowed);
	return 2;
}

static int parse_u64(const char *name, const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-')
		return bad(name, v, "a non-negative integer");
	*out = x;
	return 0;
}

static int set_workload(struct mpi_opts *o, const char *v)
{
	if (strncmp(v, "plugin:", 7) == 0) {	/* an independent plugin: every rank dlopens it */
		if (strlen(v + 7) >= sizeof o->plugin || v[7] != '/')
			return bad("--workload", v, "plugin:ABSOLUTE_PATH of at most 4095 bytes");
		o->workload = MPI_WL_PLUGIN;
		memcpy(o->plugin, v + 7, strlen(v + 7) + 1);
		return 0;
	}
	for (unsigned i = 0; i < sizeof wl_names / sizeof wl_names[0]; i++)
		if (strcmp(wl_names[i], v) == 0) {
			o->workload = (enum mpi_workload)i;
			return 0;
		}
	if (strncmp(v, "py:", 3) == 0) {	/* a user's Python function: the pympi ranks import it */
		if (strlen(v) >= sizeof o->pyfunc)
			return bad("--workload", v, "py:REF of at most 4095 bytes");
		o->workload = MPI_WL_PYFUNC;
		memcpy(o->pyfunc, v, strlen(v) + 1);
		return 0;
	}
	return bad("--workload", v, "cpu, counter, share, create, empty, allreduce, plugin:PATH, py:REF");
}

static int set_opt(struct mpi_opts *o, const char *name, const char *v)
{
	uint64_t x = 0;
	static const struct { const char *name; size_t off; } nums[] = {
		{ "steps", offsetof(struct mpi_opts, steps) },
		{ "iters", offsetof(struct mpi_opts, iters) },
		{ "window-us", offsetof(struct mpi_opts, window_us) },
		{ "bytes", offsetof(struct mpi_opts, bytes) },
		{ "chunk", offsetof(struct mpi_opts, chunk) },
		{ "exchanges", offsetof(struct mpi_opts, exchanges) },
		{ "payload", offsetof(struct mpi_opts, payload) },
	};
	if (strcmp(name, "workload") == 0)
		return set_workload(o, v);
	if (strcmp(name, "lock") == 0) {
		snprintf(o->lock, sizeof o->lock, "%s", v);
		return 0;
	}
	if (strcmp(name, "hostfile") == 0 || strcmp(name, "mpirun-args") == 0 ||
	    strcmp(name, "python") == 0 || strcmp(name, "pymodule") == 0) {
		char *dst = name[0] == 'h' ? o->hostfile : name[0] == 'm' ? o->mpirun_args :
			    strcmp(name, "python") == 0 ? o->python : o->pymodule;
		if (strlen(v) >= sizeof o->hostfile)
			return bad(name, v, "at most 4095 bytes");
		memcpy(dst, v, strlen(v) + 1);
		return 0;
	}
	if (strcmp(name, "workers") == 0 || strcmp(name, "hosts") == 0 ||
	    strcmp(name, "report-fd") == 0) {
		if (parse_u64(name, v, &x) || x > 1u << 20)
			return 2;
		if (name[0] == 'w')
			o->workers = (unsigned)x;
		else if (name[0] == 'h')
			o->hosts = (unsigned)x;
		else
			o->report_fd = (int)x;
		return 0;
	}
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (strcmp(nums[i].name, name) == 0)
			return parse_u64(name, v, (uint64_t *)((char *)o + nums[i].off));
	return 0;	/* another workload's option: not ours */
}

/* After "--", a plugin's own option: kept as given, for plugin_rank.c. */
static bool plugin_opt(struct mpi_opts *o, bool after_sep, const char *name)
{
	return o->workload == MPI_WL_PLUGIN && after_sep && strcmp(name, "hostfile") != 0 &&
	       strcmp(name, "mpirun-args") != 0;
}

int ptb_mpi_parse(int argc, char **argv, int first, struct mpi_opts *o)
{
	bool after_sep = false;
	*o = (struct mpi_opts){ .workload = MPI_WL_CPU, .workers = 1, .hosts = 1,
				.report_fd = -1, .steps = 1000, .iters = 1, .bytes = 1 << 20,
				.chunk = 65536, .exchanges = 1, .payload = 8,
				.lock = "mutex" };
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			after_sep = true;
			continue;
		}
		if (strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc)
			return bad("argument", argv[i], "--NAME VALUE pairs");
		if (plugin_opt(o, after_sep, argv[i] + 2)) {
			if (o->nplugin_args == 2 * MPI_PLUGIN_MAX_OPTS)
				return bad("plugin option", argv[i], "at most 8 options");
			o->plugin_arg[o->nplugin_args++] = argv[i] + 2;
			o->plugin_arg[o->nplugin_args++] = argv[++i];
			continue;
		}
		if (o->workload == MPI_WL_PYFUNC && after_sep && strcmp(argv[i] + 2, "hostfile") != 0 &&
		    strcmp(argv[i] + 2, "mpirun-args") != 0) {
			i++;	/* a keyword argument of the function: the ranks' */
			continue;
		}
		if (set_opt(o, argv[i] + 2, argv[i + 1]))
			return 2;
		i++;
	}
	if (o->workload == MPI_WL_PYFUNC && !o->python[0])
		return bad("--workload", o->pyfunc, "py:REF only with --python (mpi4py ranks)");
	if (o->chunk == 0 || o->chunk > (1u << 30))
		return bad("--chunk", argv[first], "1 .. 1 GiB");
	return 0;
}

/* ---- mpirun's command line ------------------------------------------------------- */

struct args {
	char *v[MAX_ARGS + 1];
	int n;
	char buf[8192];
	size_t used;
};

static void add(struct args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct args *a, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof a->buf - a->used;
	va_start(ap, fmt);
	int n = vsnprintf(a->buf + a->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room || a->n >= MAX_ARGS) {
		fprintf(stderr, "ptbench-mpi: mpirun command line too long\n");
		exit(1);
	}
	a->v[a->n++] = a->buf + a->used;
	a->v[a->n] = NULL;
	a->used += (size_t)n + 1;
}

/* Does words (--mpirun-args) set MCA parameter key ("--mca KEY" or "-mca KEY")? */
static bool words_set_mca(const char *words, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = words; (p = strstr(p, "mca ")); p += 4) {
		bool flag = (p >= words + 2 && strncmp(p - 2, "--", 2) == 0 && (p == words + 2 || p[-3] == ' ')) ||
			    (p >= words + 1 && p[-1] == '-' && (p == words + 1 || p[-2] == ' '));
		const char *k = p + 4 + strspn(p + 4, " \t");
		if (flag && strncmp(k, key, klen) == 0 && (k[klen] == ' ' || k[klen] == '\t' || !k[klen]))
			return true;
	}
	return false;
}

/* --mca key value, unless --mpirun-args sets key itself (Open MPI refuses a
 * parameter given twice; the user's value wins). */
static void add_mca(struct args *a, const struct mpi_opts *o, const char *key, const char *value)
{
	if (words_set_mca(o->mpirun_args, key))
		return;
	add(a, "--mca");
	add(a, "%s", key);
	add(a, "%s", value);
}

/* Split s at blanks, adding each word (no quoting: say so in the help). */
static void add_words(struct args *a, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, " \t\n");
		if (n)
			add(a, "%.*s", (int)n, s);
		s += n;
		s += strspn(s, " \t\n");
	}
}

static void build_mpirun(struct args *a, const struct mpi_opts *o, const char *hostfile_hosts,
			 char *self, int argc, char **argv, int first)
{
	const char *mpirun = getenv("PTB_MPIRUN"), *hosts = getenv("PTB_MPI_HOSTLIST");
	add(a, "%s", mpirun && *mpirun ? mpirun : "mpirun");
	add(a, "--allow-run-as-root");
	add(a, "--oversubscribe");
	add(a, "--bind-to");
	add(a, "none");
	add(a, "-np");
	add(a, "%u", o->workers);
	add_mca(a, o, "mpi_yield_when_idle", "1");
	if (o->workload == MPI_WL_ALLREDUCE) {	/* known rounds for the cost model */
		add_mca(a, o, "coll_tuned_use_dynamic_rules", "1");
		add_mca(a, o, "coll_tuned_allreduce_algorithm", "3");
	}
	if (hostfile_hosts) {	/* real hosts: Open MPI chooses agent and transport */
		add(a, "-H");
		add(a, "%s", hostfile_hosts);
		add(a, "--map-by");
		add(a, "node");
	} else if (o->hosts > 1 && hosts && *hosts) {
		const char *subnet = getenv("PTB_MPI_SUBNET"), *rsh = getenv("PTB_MPI_RSH");
		add(a, "-H");
		add(a, "%s", hosts);
		add(a, "--map-by");
		add(a, "node");
		add_mca(a, o, "plm_rsh_agent", rsh ? rsh : "");
		add_mca(a, o, "btl", "tcp,self");
		add_mca(a, o, "btl_tcp_if_include", subnet ? subnet : "");
		add_mca(a, o, "oob_tcp_if_include", subnet ? subnet : "");
	} else {
		add_mca(a, o, "btl", "self,vader");
		add_mca(a, o, "oob_tcp_if_include", "lo");
	}
	add_words(a, o->mpirun_args);
	if (o->python[0]) {
		add(a, "%s", o->python);
		add(a, "-I");
		add(a, "-B");
		add(a, "%s", o->pymodule);
		add(a, "mpi-rank");
	} else {
		add(a, "%s", self);
		add(a, "rank");
	}
	add(a, "--workload");
	if (o->workload == MPI_WL_PLUGIN)
		add(a, "plugin:%s", o->plugin);
	else if (o->workload == MPI_WL_PYFUNC)
		add(a, "%s", o->pyfunc);
	else
		add(a, "%s", o->workload == MPI_WL_CREATE ? "empty" : wl_names[o->workload]);
	for (int i = first; i < argc; i++)
		if (strcmp(argv[i], "--workload") == 0 || strcmp(argv[i], "--report-fd") == 0 ||
		    strcmp(argv[i], "--python") == 0 || strcmp(argv[i], "--pymodule") == 0)
			i++;
		else
			add(a, "%s", argv[i]);
}

/* ---- running it --------------------------------------------------------------------- */

static int64_t tv_ns(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

static void exec_mpirun(struct args *a, int out_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0) {
		fprintf(stderr, "ptbench-mpi: redirecting mpirun: %s\n", strerror(errno));
		_exit(127);
	}
	execvp(a->v[0], a->v);
	fprintf(stderr, "ptbench-mpi: execvp(%s): %s\n", a->v[0], strerror(errno));
	_exit(127);
}

/* Read mpirun's stdout: the PTBMPI line into report, the rest to stderr. */
static void read_output(int fd, char *report, size_t len)
{
	FILE *f = fdopen(fd, "r");
	char line[LINE_BYTES];
	report[0] = '\0';
	if (!f) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "PTBMPI ", 7) == 0 && !report[0])
			snprintf(report, len, "%s", line + 7);
		else
			fputs(line, stderr);
	}
	fclose(f);
}

struct job {
	int status;
	int64_t wall_ns;
	struct rusage r0, r1;	/* RUSAGE_CHILDREN around the job */
	char report[LINE_BYTES];
};

static int run_job(struct args *a, struct job *j)
{
	int pfd[2];
	if (pipe(pfd) < 0) {
		fprintf(stderr, "ptbench-mpi: pipe: %s\n", strerror(errno));
		return -1;
	}
	getrusage(RUSAGE_CHILDREN, &j->r0);
	int64_t t0 = ptb_now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ptbench-mpi: fork(mpirun): %s\n", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		exec_mpirun(a, pfd[1]);
	}
	close(pfd[1]);
	read_output(pfd[0], j->report, sizeof j->report);
	while (waitpid(pid, &j->status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "ptbench-mpi: waitpid(mpirun): %s\n", strerror(errno));
			return -1;
		}
	}
	j->wall_ns = ptb_now_ns() - t0;
	getrusage(RUSAGE_CHILDREN, &j->r1);
	return 0;
}

/* ---- real hosts: are they reachable? ------------------------------------------------------ */

#define REACH_TIMEOUT_MS 30000

/* The agent mpirun will use: --mca plm_rsh_agent in --mpirun-args, else
 * $OMPI_MCA_plm_rsh_agent, else ssh that never asks for a password. */
static void rsh_agent(const struct mpi_opts *o, char *agent, size_t len)
{
	const char *env = getenv("OMPI_MCA_plm_rsh_agent"), *p = strstr(o->mpirun_args, "plm_rsh_agent");
	if (p && (p += strlen("plm_rsh_agent"), *p == ' ' || *p == '\t')) {
		p += strspn(p, " \t");
		snprintf(agent, len, "%.*s", (int)strcspn(p, " \t\n"), p);
	} else if (env && *env) {
		snprintf(agent, len, "%s", env);
	} else {
		snprintf(agent, len, "ssh -o BatchMode=yes -o ConnectTimeout=10");
	}
}

/* Replace what would break the JSON string of the report. */
static void json_safe(char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			*s = *s == '"' ? '\'' : ' ';
}

/* Wait for pid at most timeout_ms; kill it after that.  The wait status. */
static int wait_bounded(pid_t pid, int timeout_ms)
{
	int status = 0;
	for (int waited = 0;; waited += 20) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return status;
		if (waited >= timeout_ms) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* Run `AGENT HOST true` as mpirun would start its daemon there; 0 when it
 * succeeded, else -1 with why (the agent's last line of stderr). */
static int reach_host(const char *agent, const char *host, char *why, size_t len)
{
	static struct args a;
	int pfd[2];
	char line[512] = "", last[512] = "";
	a.n = 0;
	a.used = 0;
	add_words(&a, agent);
	add(&a, "%s", host);
	add(&a, "true");
	if (pipe(pfd) < 0)
		return snprintf(why, len, "pipe: %s", strerror(errno)), -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return snprintf(why, len, "fork: %s", strerror(errno)), -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		int null_fd = open("/dev/null", O_RDWR);
		if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0 ||
		    dup2(pfd[1], STDERR_FILENO) < 0)
			_exit(127);
		execvp(a.v[0], a.v);
		fprintf(stderr, "cannot run %s: %s\n", a.v[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	FILE *f = fdopen(pfd[0], "r");
	while (f && fgets(line, sizeof line, f))
		if (line[strspn(line, " \t\r\n")])
			snprintf(last, sizeof last, "%.*s", (int)strcspn(line, "\r\n"), line);
	if (f)
		fclose(f);
	else
		close(pfd[0]);
	int status = wait_bounded(pid, REACH_TIMEOUT_MS);
	if (status == 0)
		return 0;
	if (status < 0)
		snprintf(why, len, "no answer in %d s", REACH_TIMEOUT_MS / 1000);
	else
		snprintf(why, len, "%s %d%s%s", WIFEXITED(status) ? "exit" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), last[0] ? ": " : "",
			 last);
	return -1;
}

/* Every host of the first o->hosts that is not this machine must answer
 * through the agent before mpirun starts anything anywhere, so an
 * unreachable host is named and nothing runs on the others.  Inside a
 * Slurm job (and no agent asked for) Open MPI starts its daemons with srun
 * on the allocation, not by ssh: nothing to try then. */
static int reach_hosts(const struct mpi_opts *o, const struct ptb_hostfile *hf, char *msg,
		       size_t len)
{
	char agent[1024], me[256] = "", why[600];
	const char *slurm = getenv("SLURM_JOB_ID");
	if (slurm && *slurm && !strstr(o->mpirun_args, "plm_rsh_agent"))
		return 0;
	rsh_agent(o, agent, sizeof agent);
	if (gethostname(me, sizeof me) < 0)
		me[0] = '\0';
	for (unsigned i = 0; i < o->hosts && i < hf->nhosts; i++) {
		const char *h = hf->host[i].name;
		if (strcmp(h, "localhost") == 0 || strcmp(h, "127.0.0.1") == 0 || strcmp(h, me) == 0)
			continue;
		if (reach_host(agent, h, why, sizeof why) == 0)
			continue;
		snprintf(msg, len, "host %s (%.200s line %u) unreachable through '%.200s': %.300s", h, o->hostfile,
			 hf->host[i].line, agent, why);
		json_safe(msg);
		return -1;
	}
	return 0;
}

/* ---- the report ----------------------------------------------------------------------- */

static void put_i64(FILE *f, const char *key, int64_t v, bool last)
{
	if (v < 0)
		fprintf(f, "\"%s\":null%s", key, last ? "" : ",");
	else
		fprintf(f, "\"%s\":%" PRId64 "%s", key, v, last ? "" : ",");
}

static int write_error(int fd, const char *msg)
{
	dprintf(fd, "{\"error\":\"%s\"}\n", msg);
	return 1;
}

/* v: wall user sys maxrss vol invol minflt majflt ops result ok netns nodes (PTBMPI order);
 * extra: the rest of the PTBMPI line ("" or "key=value;..."; a C allreduce
 * rank's round_median_ns, a Python rank's interpreter). */
static int write_report(int fd, const struct mpi_opts *o, const int64_t v[13], const char *extra)
{
	static const char *const keys[] = { "wall_ns", "user_ns", "sys_ns", "maxrss_kb",
					    "vol_cs", "invol_cs", "minflt", "majflt" };
	char buf[LINE_BYTES];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	if (!f)
		return write_error(fd, "fmemopen failed");
	fputc('{', f);
	for (int i = 0; i < 8; i++)
		put_i64(f, keys[i], v[i], false);
	fprintf(f, "\"pss_kb\":null,\"migrations\":null,\"ops\":%" PRId64 ",\"result\":%" PRId64
		",\"ok\":%s,\"notes\":\"hosts=%u;ranks=%u;netns=%" PRId64 ";nodes=%" PRId64
		";btl=%s%s%s\"}\n",
		v[8], v[9], v[10] ? "true" : "false", o->hosts, o->workers, v[11],
		v[12], o->hostfile[0] ? "auto" : o->hosts > 1 ? "tcp" : "vader", extra[0] ? ";" : "", extra);
	fclose(f);
	buf[sizeof buf - 1] = '\0';
	size_t n = strlen(buf);
	return write(fd, buf, n) == (ssize_t)n ? 0 : 1;
}

/* The 13 numbers of a PTBMPI line into v, what follows them (trimmed,
 * made JSON-safe) into extra. */
static int parse_ptbmpi(const char *line, int64_t v[13], char *extra, size_t len)
{
	const char *p = line;
	for (int i = 0; i < 13; i++) {
		char *end;
		errno = 0;
		v[i] = strtoll(p, &end, 10);
		if (errno || end == p)
			return -1;
		p = end;
	}
	p += strspn(p, " \t");
	snprintf(extra, len, "%.*s", (int)strcspn(p, "\r\n"), p);
	json_safe(extra);
	return 0;
}

int ptb_mpi_launch_main(const struct mpi_opts *o, char *self, int argc, char **argv, int first)
{
	static struct args a;
	static struct job j;
	static struct ptb_hostfile hf;
	static char hosts_arg[8192];
	char msg[1024], extra[160];
	int64_t v[13];
	if (o->report_fd < 0) {
		fprintf(stderr, "ptbench-mpi: launch needs --report-fd FD\n");
		return 2;
	}
	if (o->hostfile[0]) {
		if (ptb_hostfile_read(o->hostfile, &hf, msg, sizeof msg) ||
		    ptb_hostfile_hosts_arg(&hf, o->hosts, hosts_arg, sizeof hosts_arg)) {
			json_safe(msg);
			return write_error(o->report_fd, msg);
		}
		if (reach_hosts(o, &hf, msg, sizeof msg))
			return write_error(o->report_fd, msg);
	}
	build_mpirun(&a, o, o->hostfile[0] ? hosts_arg : NULL, self, argc, argv, first);
	if (run_job(&a, &j))
		return write_error(o->report_fd, "could not run mpirun");
	bool clean = WIFEXITED(j.status) && WEXITSTATUS(j.status) == 0;
	if (!j.report[0] || parse_ptbmpi(j.report, v, extra, sizeof extra)) {
		snprintf(msg, sizeof msg, "mpirun %s %d without a report from rank 0",
			 WIFEXITED(j.status) ? "exited with status" : "killed by signal",
			 WIFEXITED(j.status) ? WEXITSTATUS(j.status) : WTERMSIG(j.status));
		return write_error(o->report_fd, msg);
	}
	if (o->workload == MPI_WL_CREATE) {
		v[0] = j.wall_ns;
		v[1] = tv_ns(j.r1.ru_utime) - tv_ns(j.r0.ru_utime);
		v[2] = tv_ns(j.r1.ru_stime) - tv_ns(j.r0.ru_stime);
		v[3] = j.r1.ru_maxrss;
		v[4] = j.r1.ru_nvcsw - j.r0.ru_nvcsw;
		v[5] = j.r1.ru_nivcsw - j.r0.ru_nivcsw;
		v[6] = j.r1.ru_minflt - j.r0.ru_minflt;
		v[7] = j.r1.ru_majflt - j.r0.ru_majflt;
		v[8] = o->workers;
		v[10] = v[9] == (int64_t)o->workers;
	}
	if (!clean) {
		snprintf(msg, sizeof msg, "mpirun ended with wait status %#x after reporting", j.status);
		return write_error(o->report_fd, msg);
	}
	if (strncmp(extra, "error=", 6) == 0) {	/* a py: function's rank failed: the row's error */
		extra[6 + strcspn(extra + 6, ";")] = '\0';
		return write_error(o->report_fd, extra + 6);
	}
	return write_report(o->report_fd, o, v, extra);
}

int main(int argc, char **argv)
{
	struct mpi_opts o;
	if (argc < 2 || (strcmp(argv[1], "launch") != 0 && strcmp(argv[1], "rank") != 0)) {
		fprintf(stderr, "ptbench-mpi: bad mode '%s' (allowed: launch, rank)\n",
			argc < 2 ? "" : argv[1]);
		return 2;
	}
	int rc = ptb_mpi_parse(argc, argv, 2, &o);
	if (rc)
		return rc;
	if (argv[1][0] == 'r')
		return ptb_mpi_rank_main(&o);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0) {
		fprintf(stderr, "ptbench-mpi: readlink(/proc/self/exe): %s\n", strerror(errno));
		return 1;
	}
	self[n] = '\0';
	return ptb_mpi_launch_main(&o, self, argc, argv, 2);
}
