/* worker_main.c - build/ptbench-worker: the tiny program that the spawn
 * model (posix_spawn) and `create --exec yes` (fork/vfork + execve) start
 * as an empty worker.
 *
 * `ptbench-worker empty` exits 0 at once; anything else exits 2 with one
 * line on stderr, so a create loop that started the wrong program (or
 * none) fails its exit-status check instead of passing silently.  It lives
 * in bench/worker/, not bench/, because it has its own main(); mk/worker.mk
 * builds it. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "empty") == 0)
		return 0;
	fprintf(stderr, "ptbench-worker: unknown request '%s' (allowed: empty)\n",
		argc > 1 ? argv[1] : "");
	return 2;
}
