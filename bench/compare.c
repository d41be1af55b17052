/* compare.c - `ptbench compare`: find the ptb package and a Python with
 * scipy, then exec `python -m ptb.runcompare` (see compare.h). */
#include "compare.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "locate.h"

#ifndef PTB_DATADIR	/* PREFIX/share/ptbench, from mk/install.mk */
#define PTB_DATADIR "/usr/local/share/ptbench"
#endif

#define MODULE_FILE "ptb/runcompare.py"

void ptb_compare_help(FILE *out)
{
	fputs("Compare:\n"
	      "  ptbench compare OLD NEW [--fail-above RATIO]\n"
	      "OLD and NEW: two runs' CSVs, or their --export-json files.  Per measure\n"
	      "(workload, params, workers, model): both medians, NEW/OLD with its bootstrap\n"
	      "95% CI, the Mann-Whitney p, Cliff's delta and a verdict (better, worse,\n"
	      "unchanged, too few repetitions: p < 0.01 needs 5 a side; new, missing).\n"
	      "  --fail-above RATIO       exit 1 when a measure is significantly worse by more than RATIO\n"
	      "Needs Python 3 with scipy: $PTB_PYTHON_STATS, else python3, else\n"
	      "/usr/bin/python3 (Debian: python3-scipy).  Exit status: 0, 1 a regression\n"
	      "beyond --fail-above, 2 bad input or no Python with scipy.\n", out);
}

void ptb_compare_usage(FILE *out)
{
	fputs("Usage: ptbench compare OLD NEW [--fail-above RATIO]\n\n"
	      "Compares two runs, OLD and NEW (each a ptbench CSV or an --export-json file),\n"
	      "measure by measure: (workload, params, workers, model) and the workload's\n"
	      "measure (time per op, throughput, PSS per worker, survivors).  Per measure:\n"
	      "both medians, NEW/OLD with its bootstrap 95% CI, the two-sided Mann-Whitney p,\n"
	      "Cliff's delta and a verdict (better, worse, unchanged, too few repetitions:\n"
	      "p < 0.01 needs 5 a side; new, missing), by ptb.regress's statistics.\n\n"
	      "  --fail-above RATIO       exit 1 when a measure is significantly worse by more\n"
	      "                           than RATIO (time: NEW/OLD; throughput: OLD/NEW)\n\n"
	      "Needs Python 3 with scipy: $PTB_PYTHON_STATS, else python3, else\n"
	      "/usr/bin/python3 (Debian: python3-scipy); the ptb package from\n"
	      "PREFIX/share/ptbench or the source tree (doc/export.md).\n"
	      "Exit status: 0, 1 a regression beyond --fail-above, 2 bad input or no scipy.\n\n"
	      "Examples:\n"
	      "  ptbench compare before.csv after.csv\n"
	      "      every measure of two runs, with a verdict\n"
	      "  ptbench compare base.json new.json --fail-above 1.10\n"
	      "      exit 1 when a measure got more than 10% worse (CI: --export-json files)\n", out);
}

/* Can interpreter py (a path or a name in PATH) import scipy? */
static bool has_scipy(const char *py)
{
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp(py, py, "-c", "import scipy", (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The directory holding ptb/ into root; false when none has it. */
static bool package_root(char *root, size_t len)
{
	char path[4096];
	struct ptb_err err;
	if (ptb_locate_file(MODULE_FILE, PTB_SHARE_REL "/" MODULE_FILE, path, sizeof path, &err) ==
	    0) {
		size_t n = strlen(path) - strlen("/" MODULE_FILE);
		snprintf(root, len, "%.*s", (int)n, path);
		return true;
	}
	snprintf(path, sizeof path, "%s/%s", PTB_DATADIR, MODULE_FILE);
	if (access(path, R_OK) == 0) {
		snprintf(root, len, "%s", PTB_DATADIR);
		return true;
	}
	return false;
}

int ptb_compare_main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			ptb_compare_usage(stdout);
			return 0;
		}
	char root[4096], self[4200], pypath[8400];
	if (!package_root(root, sizeof root)) {
		fprintf(stderr, "ptbench: compare: the ptb package (%s) is neither in PREFIX/%s above "
			"the binary, nor in the source tree, nor in %s (make install puts it there)\n",
			MODULE_FILE, PTB_SHARE_REL, PTB_DATADIR);
		return 2;
	}
	const char *env = getenv("PTB_PYTHON_STATS");
	const char *candidates[] = { env && *env ? env : NULL, "python3", "/usr/bin/python3" };
	const char *py = NULL;
	for (int i = 0; i < 3 && !py; i++)
		if (candidates[i] && has_scipy(candidates[i]))
			py = candidates[i];
	if (!py) {
		fprintf(stderr, "ptbench: compare needs Python 3 with scipy: none of %s%spython3, "
			"/usr/bin/python3 can import scipy (install it: Debian python3-scipy, or pip "
			"install scipy; or set PTB_PYTHON_STATS to an interpreter that has it)\n",
			env && *env ? env : "", env && *env ? ", " : "");
		return 2;
	}
	const char *old = getenv("PYTHONPATH");
	snprintf(pypath, sizeof pypath, "%s%s%s", root, old && *old ? ":" : "", old ? old : "");
	if (setenv("PYTHONPATH", pypath, 1) < 0) {
		fprintf(stderr, "ptbench: compare: setenv PYTHONPATH: %s\n", strerror(errno));
		return 2;
	}
	/* the workload facts (ptb.workloads) from this very binary */
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if (setenv("PTBENCH", self, 1) < 0) {
			fprintf(stderr, "ptbench: compare: setenv PTBENCH: %s\n", strerror(errno));
			return 2;
		}
	}
	char **args = calloc((size_t)argc + 6, sizeof *args);
	if (!args)
		return 2;
	int k = 0;
	args[k++] = (char *)py;
	args[k++] = "-m";
	args[k++] = "ptb.runcompare";
	for (int i = 1; i < argc; i++)
		args[k++] = argv[i];
	args[k] = NULL;
	fflush(NULL);
	execvp(py, args);
	fprintf(stderr, "ptbench: compare: cannot run %s: %s\n", py, strerror(errno));
	free(args);
	return 2;
}
