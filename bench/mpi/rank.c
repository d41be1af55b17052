/* rank.c - the MPI rank program of the `mpi` model (`ptbench-mpi rank`).
 *
 * mpirun starts one copy per rank (the model's workers); each times its own
 * region between barriers after MPI_Init, and rank 0 prints one line
 *   PTBMPI wall_ns user_ns sys_ns maxrss_kb vol_cs invol_cs minflt majflt ops result ok netns nodes
 *          [round_median_ns=N] (allreduce: rank 0's median round)
 * on stdout (netns: how many distinct network namespaces the ranks ran in,
 * from the inode of /proc/self/ns/net: evidence of the hosts crossed here;
 * nodes: how many distinct host names, the evidence on real machines,
 * whose initial namespaces may share an inode number), which mpirun
 * forwards to the launcher (launch.c).  The rusage
 * figures are each rank's RUSAGE_SELF deltas around the region, summed over
 * the ranks with MPI_Reduce (maxrss_kb: the largest rank).
 *
 * Workloads (the same parameters and checks as bench/w_*.c):
 *   cpu      each rank counts --steps (bench/cpuloop.h); the counts are
 *            summed with MPI_Reduce and must equal ranks x steps exactly.
 *   counter  a reduction, not a lock held by rank 0.  Ranks share no memory
 *            (they may be on other machines), so there is no n to race on:
 *            each rank makes its --iters read-wait-write decrements on its
 *            own share of n (waiting --window-us between read and write),
 *            and MPI_Reduce sums the shares into the final n, which must be
 *            0.  Why not a lock server on rank 0: it would measure message
 *            round trips per decrement, not the counter, and --lock none
 *            could only fake lost updates by having rank 0 drop writes on
 *            purpose.  With a reduction no update can be lost, so the model
 *            refuses --lock none (and spin, a shared-memory primitive);
 *            mutex and atomic both mean "the reduction" (result 0, ok=1).
 *   share    rank 0 produces --bytes in --chunk messages dealt round robin
 *            to ranks 1..N-1 with MPI_Send/MPI_Recv (one rank: to itself
 *            with MPI_Sendrecv); each consumer folds every byte into a
 *            Fletcher-style checksum; after the region it regenerates what
 *            it should have received and compares; the result (summed) is
 *            the bytes that arrived intact, which must be --bytes.
 *   allreduce  --exchanges rounds of: count --steps, then MPI_Allreduce
 *            (MPI_SUM) of --payload bytes as uint64 elements, then check
 *            every element of the sum (bench/allreducedata.h: the same
 *            contributions and sums as the C workload); result = rounds
 *            whose sum was right, summed over ranks (ranks x exchanges).
 *   empty    MPI_Init, count the ranks with MPI_Reduce, MPI_Finalize: the
 *            job the launcher times for the `create` workload.
 *   plugin:PATH  a plugin whose tasks are independent (ptbench/plugin.h):
 *            each rank dlopens it (plugin_rank.c), runs its own setup on a
 *            private arena, then the tasks i with i % ranks == rank in the
 *            region, then its verify (which judges those tasks); ops and
 *            result are summed over the ranks, ok when every rank's verify
 *            said ok and every task returned 0.  A rank that cannot load
 *            it or whose setup fails says why on stderr and aborts the job. */
#include <errno.h>
#include <mpi.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <ptbench/plugin.h>
#include "allreducedata.h"
#include "cpuloop.h"
#include "measure.h"
#include "mpiopt.h"
#include "sharedata.h"

#define TAG_DATA 1
#define HOST_BYTES 256

/* What the timed region produced on this rank. */
struct outcome {
	uint64_t ops;
	int64_t result;		/* this rank's share, summed over ranks */
	int bad;		/* this rank saw something wrong */
	int64_t round_median_ns;	/* allreduce: the median round on this rank, else -1 */
};

static int64_t tv_ns(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

/* ---- cpu ---------------------------------------------------------------- */

static void run_cpu(const struct mpi_opts *o, struct outcome *out)
{
	out->result = (int64_t)ptb_count_steps(o->steps);
}

/* ---- counter --------------------------------------------------------------- */

static void wait_window(uint64_t window_us)
{
	if (window_us == 0)
		return;
	struct timespec ts = { (time_t)(window_us / 1000000), (long)(window_us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* This rank's share of n starts at --iters and ends at 0; the reduction
 * of the shares is the final n. */
static void run_counter(const struct mpi_opts *o, struct outcome *out)
{
	volatile int64_t share = (int64_t)o->iters;
	for (uint64_t i = 0; i < o->iters; i++) {
		int64_t v = share;
		wait_window(o->window_us);
		share = v - 1;
	}
	out->result = share;
}

/* ---- share ------------------------------------------------------------------- */

static size_t chunk_len(const struct mpi_opts *o, uint64_t c)
{
	uint64_t left = o->bytes - c * o->chunk;
	return (size_t)(left < o->chunk ? left : o->chunk);
}

/* Which rank consumes chunk c (rank 0 itself when alone). */
static int consumer_of(uint64_t c, int ranks)
{
	return ranks == 1 ? 0 : 1 + (int)(c % (uint64_t)(ranks - 1));
}

static void produce(const struct mpi_opts *o, int ranks, unsigned char *buf, unsigned char *in,
		    struct fold *sum, uint64_t *got)
{
	uint64_t nchunks = (o->bytes + o->chunk - 1) / o->chunk;
	for (uint64_t c = 0; c < nchunks; c++) {
		int len = (int)chunk_len(o, c), to = consumer_of(c, ranks);
		fill(buf, (size_t)len, c);
		if (to == 0) {
			MPI_Sendrecv(buf, len, MPI_BYTE, 0, TAG_DATA, in, len, MPI_BYTE, 0, TAG_DATA,
				     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			fold_update(sum, in, (size_t)len);
			*got += (uint64_t)len;
		} else {
			MPI_Send(buf, len, MPI_BYTE, to, TAG_DATA, MPI_COMM_WORLD);
		}
	}
}

static void consume(const struct mpi_opts *o, int rank, int ranks, unsigned char *in,
		    struct fold *sum, uint64_t *got)
{
	uint64_t nchunks = (o->bytes + o->chunk - 1) / o->chunk;
	for (uint64_t c = 0; c < nchunks; c++) {
		if (consumer_of(c, ranks) != rank)
			continue;
		MPI_Status st;
		int len = 0;
		MPI_Recv(in, (int)o->chunk, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD, &st);
		MPI_Get_count(&st, MPI_BYTE, &len);
		fold_update(sum, in, (size_t)len);
		*got += (uint64_t)len;
	}
}

/* After the region: what this rank should have received, folded. */
static struct fold expected(const struct mpi_opts *o, int rank, int ranks, unsigned char *buf,
			    uint64_t *bytes)
{
	struct fold f = { 0, 0 };
	uint64_t nchunks = (o->bytes + o->chunk - 1) / o->chunk;
	*bytes = 0;
	for (uint64_t c = 0; c < nchunks; c++) {
		if (consumer_of(c, ranks) != rank)
			continue;
		fill(buf, chunk_len(o, c), c);
		fold_update(&f, buf, chunk_len(o, c));
		*bytes += chunk_len(o, c);
	}
	return f;
}

/* ---- where the ranks ran ------------------------------------------------------ */

/* Distinct network namespaces among the ranks (on rank 0; 0 elsewhere). */
static int64_t count_netns(int rank, int ranks)
{
	struct stat st;
	uint64_t mine = stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
	uint64_t *all = rank == 0 ? calloc((size_t)ranks, sizeof *all) : NULL;
	if (rank == 0 && !all) {
		fprintf(stderr, "ptbench-mpi: calloc: %s\n", strerror(errno));
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	MPI_Gather(&mine, 1, MPI_UINT64_T, all, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
	int64_t distinct = 0;
	for (int i = 0; rank == 0 && i < ranks; i++) {
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen |= all[j] == all[i];
		distinct += !seen;
	}
	free(all);
	return distinct;
}

/* Distinct host names among the ranks (on rank 0; 0 elsewhere). */
static int64_t count_nodes(int rank, int ranks)
{
	char mine[HOST_BYTES] = "";
	if (gethostname(mine, sizeof mine - 1) < 0)
		mine[0] = '\0';
	char *all = rank == 0 ? calloc((size_t)ranks, HOST_BYTES) : NULL;
	if (rank == 0 && !all) {
		fprintf(stderr, "ptbench-mpi: calloc: %s\n", strerror(errno));
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	MPI_Gather(mine, HOST_BYTES, MPI_CHAR, all, HOST_BYTES, MPI_CHAR, 0, MPI_COMM_WORLD);
	int64_t distinct = 0;
	for (int i = 0; rank == 0 && i < ranks; i++) {
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen |= strcmp(all + (size_t)j * HOST_BYTES, all + (size_t)i * HOST_BYTES) == 0;
		distinct += !seen;
	}
	free(all);
	return distinct;
}

/* ---- one rank ------------------------------------------------------------------- */

/* The 13 numbers, then "round_median_ns=N" when round_median_ns >= 0. */
static void report(const int64_t *v, int n, int64_t round_median_ns)
{
	printf("PTBMPI");
	for (int i = 0; i < n; i++)
		printf(" %lld", (long long)v[i]);
	if (round_median_ns >= 0)
		printf(" round_median_ns=%lld", (long long)round_median_ns);
	printf("\n");
	fflush(stdout);
}

/* rusage deltas of this rank into d[0..7]: user, sys, maxrss, vol, invol, minflt, majflt. */
static void usage_delta(const struct rusage *a, const struct rusage *b, int64_t d[7])
{
	d[0] = tv_ns(b->ru_utime) - tv_ns(a->ru_utime);
	d[1] = tv_ns(b->ru_stime) - tv_ns(a->ru_stime);
	d[2] = b->ru_maxrss;
	d[3] = b->ru_nvcsw - a->ru_nvcsw;
	d[4] = b->ru_nivcsw - a->ru_nivcsw;
	d[5] = b->ru_minflt - a->ru_minflt;
	d[6] = b->ru_majflt - a->ru_majflt;
}

static int run_share(const struct mpi_opts *o, int rank, int ranks, struct outcome *out,
		     int64_t *wall_ns, int64_t d[7])
{
	unsigned char *buf = malloc(o->chunk), *in = malloc(o->chunk);
	struct fold sum = { 0, 0 };
	uint64_t got = 0, want_bytes = 0;
	struct rusage r0, r1;
	if (!buf || !in) {
		fprintf(stderr, "ptbench-mpi: rank %d: malloc(%llu): %s\n", rank,
			(unsigned long long)o->chunk, strerror(errno));
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	memset(in, 0, o->chunk);	/* touch before the clock */
	MPI_Barrier(MPI_COMM_WORLD);
	getrusage(RUSAGE_SELF, &r0);
	int64_t t0 = ptb_now_ns();
	if (rank == 0)
		produce(o, ranks, buf, in, &sum, &got);
	else
		consume(o, rank, ranks, in, &sum, &got);
	MPI_Barrier(MPI_COMM_WORLD);
	*wall_ns = ptb_now_ns() - t0;
	getrusage(RUSAGE_SELF, &r1);
	usage_delta(&r0, &r1, d);
	struct fold want = expected(o, rank, ranks, buf, &want_bytes);
	out->bad = want.a != sum.a || want.b != sum.b || want_bytes != got;
	out->result = out->bad ? 0 : (int64_t)got;
	out->ops = o->bytes;
	free(buf);
	free(in);
	return 0;
}

/* allreduce: the region is every round, between two barriers.  Rank 0
 * also times each round (every stride-th of more than MAX_TIMED_ROUNDS)
 * and keeps their median: the typical round, which a burst of other work
 * on the machine moves less than the mean (ptb/mpi_scaling.py fits it). */
#define MAX_TIMED_ROUNDS 65536

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t median_i64(int64_t *v, size_t n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_i64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void run_allreduce(const struct mpi_opts *o, int rank, int ranks, struct outcome *out,
			  int64_t *wall_ns, int64_t d[7])
{
	uint64_t elems = o->payload / sizeof(uint64_t), ok = 0;
	uint64_t stride = (o->exchanges + MAX_TIMED_ROUNDS - 1) / MAX_TIMED_ROUNDS;
	size_t ntimed = 0;
	uint64_t *mine = calloc(elems ? elems : 1, sizeof *mine);
	uint64_t *sum = calloc(elems ? elems : 1, sizeof *sum);
	int64_t *round_ns = calloc(MAX_TIMED_ROUNDS, sizeof *round_ns);
	struct rusage r0, r1;
	if (!mine || !sum || !round_ns) {
		fprintf(stderr, "ptbench-mpi: rank %d: calloc(%llu bytes): %s\n", rank,
			(unsigned long long)o->payload, strerror(errno));
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	getrusage(RUSAGE_SELF, &r0);
	int64_t t0 = ptb_now_ns(), prev = t0;
	for (uint64_t r = 0; r < o->exchanges; r++) {
		uint64_t counted = ptb_count_steps(o->steps);
		for (uint64_t k = 0; k < elems; k++)
			mine[k] = ar_contribution(counted, (unsigned)rank, r, k);
		MPI_Allreduce(mine, sum, (int)elems, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
		ok += (uint64_t)ar_check(sum, elems, o->steps, (unsigned)ranks, r);
		int64_t t = ptb_now_ns();
		if (r % stride == 0 && ntimed < MAX_TIMED_ROUNDS)
			round_ns[ntimed++] = t - prev;
		prev = t;
	}
	MPI_Barrier(MPI_COMM_WORLD);
	*wall_ns = ptb_now_ns() - t0;
	getrusage(RUSAGE_SELF, &r1);
	usage_delta(&r0, &r1, d);
	out->ops = o->exchanges;
	out->result = (int64_t)ok;
	out->round_median_ns = median_i64(round_ns, ntimed);
	free(round_ns);
	free(mine);
	free(sum);
}

static void run_simple(const struct mpi_opts *o, int ranks, struct outcome *out,
		       int64_t *wall_ns, int64_t d[7])
{
	struct rusage r0, r1;
	MPI_Barrier(MPI_COMM_WORLD);
	getrusage(RUSAGE_SELF, &r0);
	int64_t t0 = ptb_now_ns();
	if (o->workload == MPI_WL_CPU)
		run_cpu(o, out);
	else
		run_counter(o, out);
	MPI_Barrier(MPI_COMM_WORLD);
	*wall_ns = ptb_now_ns() - t0;
	getrusage(RUSAGE_SELF, &r1);
	usage_delta(&r0, &r1, d);
	out->ops = (uint64_t)ranks * (o->workload == MPI_WL_CPU ? o->steps : o->iters);
}

/* ---- plugin ------------------------------------------------------------------- */

static void plugin_fail(const struct mpi_opts *o, int rank, const char *what, const char *why)
{
	fprintf(stderr, "ptbench-mpi: rank %d: plugin:%s: %s%s%s\n", rank, o->plugin, what,
		why[0] ? ": " : "", why);
	MPI_Abort(MPI_COMM_WORLD, 1);
}

/* Zeroed, 64-byte aligned (as ptbench's arena), or NULL when n is 0. */
static void *plugin_arena(const struct mpi_opts *o, int rank, size_t n)
{
	size_t rounded = (n + 63) / 64 * 64;
	void *p = n ? aligned_alloc(64, rounded) : NULL;
	if (n && !p)
		plugin_fail(o, rank, "arena", strerror(errno));
	if (p)
		memset(p, 0, rounded);
	return p;
}

static void run_plugin(const struct mpi_opts *o, int rank, int ranks, struct outcome *out,
		       int64_t *wall_ns, int64_t d[7])
{
	uint64_t opt[MPI_PLUGIN_MAX_OPTS] = { 0 }, ops = 0, total_ops = 0;
	char msg[600];
	struct rusage r0, r1;
	struct ptb_plugin_outcome po;
	const struct ptb_plugin_v1 *p = ptb_mpi_plugin_load(o, opt, msg, sizeof msg);
	if (!p) {
		fprintf(stderr, "ptbench-mpi: rank %d: %s\n", rank, msg);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	struct ptb_plugin_ctx ctx = { .opt = opt, .workers = (unsigned)ranks, .tasks = (unsigned)ranks,
				      .rank = (unsigned)rank, .ranks = (unsigned)ranks };
	struct rlimit no_core = { 0, 0 };	/* a crashing plugin leaves no core file */
	if (setrlimit(RLIMIT_CORE, &no_core) < 0)
		plugin_fail(o, rank, "setrlimit(RLIMIT_CORE, 0)", strerror(errno));
	ctx.arena_size = p->arena_bytes ? p->arena_bytes(&ctx) : 0;
	ctx.arena = plugin_arena(o, rank, ctx.arena_size);
	if (p->setup && p->setup(&ctx))
		plugin_fail(o, rank, "setup failed", ctx.error);
	MPI_Barrier(MPI_COMM_WORLD);
	getrusage(RUSAGE_SELF, &r0);
	int64_t t0 = ptb_now_ns();
	for (unsigned t = ctx.rank; t < ctx.tasks; t += ctx.ranks)
		out->bad |= p->task(&ctx, t) != 0;
	MPI_Barrier(MPI_COMM_WORLD);
	*wall_ns = ptb_now_ns() - t0;
	getrusage(RUSAGE_SELF, &r1);
	usage_delta(&r0, &r1, d);
	memset(&po, 0, sizeof po);
	ctx.error[0] = '\0';
	if (p->verify(&ctx, &po))
		plugin_fail(o, rank, "verify failed", ctx.error);
	if (p->teardown)
		p->teardown(&ctx);
	free(ctx.arena);
	ops = po.ops;
	MPI_Allreduce(&ops, &total_ops, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
	out->ops = total_ops;
	out->result = po.result;
	out->bad |= !po.ok;
}

/* Gather the figures on rank 0 and print the report line there. */
static void gather_and_report(const struct mpi_opts *o, int rank, int ranks,
			      const struct outcome *out, int64_t wall_ns, const int64_t d[7])
{
	int64_t sums[6] = { d[0], d[1], d[3], d[4], d[5], d[6] }, tot[6];
	int64_t maxrss = d[2], rss = 0, res = out->result, total = 0;
	int bad = out->bad, anybad = 0;
	int64_t netns = count_netns(rank, ranks), nodes = count_nodes(rank, ranks);
	MPI_Reduce(sums, tot, 6, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
	MPI_Reduce(&maxrss, &rss, 1, MPI_INT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
	MPI_Reduce(&res, &total, 1, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
	MPI_Reduce(&bad, &anybad, 1, MPI_INT, MPI_LOR, 0, MPI_COMM_WORLD);
	if (rank != 0)
		return;
	int64_t ok;
	if (o->workload == MPI_WL_CPU)
		ok = total == (int64_t)out->ops;
	else if (o->workload == MPI_WL_COUNTER)
		ok = total == 0;
	else if (o->workload == MPI_WL_ALLREDUCE)
		ok = total == (int64_t)(o->exchanges * (uint64_t)ranks);
	else if (o->workload == MPI_WL_PLUGIN)
		ok = !anybad;
	else
		ok = !anybad && total == (int64_t)o->bytes;
	int64_t v[13] = { wall_ns, tot[0], tot[1], rss, tot[2], tot[3], tot[4], tot[5],
			  (int64_t)out->ops, total, ok, netns, nodes };
	report(v, 13, out->round_median_ns);
}

static void run_empty(int rank, int size)
{
	int one = 1, ranks = 0;
	MPI_Reduce(&one, &ranks, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
	int64_t netns = count_netns(rank, size), nodes = count_nodes(rank, size);
	if (rank == 0) {
		int64_t v[13] = { -1, -1, -1, -1, -1, -1, -1, -1, ranks, ranks, 1, netns, nodes };
		report(v, 13, -1);
	}
}

int ptb_mpi_rank_main(const struct mpi_opts *o)
{
	int rank = 0, ranks = 0;
	struct outcome out = { 0, 0, 0, -1 };
	int64_t wall_ns = 0, d[7] = { 0 };
	if (MPI_Init(NULL, NULL) != MPI_SUCCESS) {
		fprintf(stderr, "ptbench-mpi: MPI_Init failed\n");
		return 1;
	}
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ranks);
	if (o->workload == MPI_WL_EMPTY) {
		run_empty(rank, ranks);
	} else {
		if (o->workload == MPI_WL_SHARE)
			run_share(o, rank, ranks, &out, &wall_ns, d);
		else if (o->workload == MPI_WL_ALLREDUCE)
			run_allreduce(o, rank, ranks, &out, &wall_ns, d);
		else if (o->workload == MPI_WL_PLUGIN)
			run_plugin(o, rank, ranks, &out, &wall_ns, d);
		else
			run_simple(o, ranks, &out, &wall_ns, d);
		gather_and_report(o, rank, ranks, &out, wall_ns, d);
	}
	MPI_Finalize();
	return 0;
}
