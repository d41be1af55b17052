/* pystats.c - find the ptb package and a Python with scipy, and exec a
 * module of it (see pystats.h). */
#include "pystats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "locate.h"

#ifndef PTB_DATADIR	/* PREFIX/share/ptbench, from mk/install.mk */
#define PTB_DATADIR "/usr/local/share/ptbench"
#endif

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

bool ptb_pystats_package(const char *module_file, char *root, size_t len)
{
	char path[4096], rel[512];
	struct ptb_err err;
	snprintf(rel, sizeof rel, "%s/%s", PTB_SHARE_REL, module_file);
	if (ptb_locate_file(module_file, rel, path, sizeof path, &err) == 0) {
		size_t n = strlen(path) - strlen(module_file) - 1;
		snprintf(root, len, "%.*s", (int)n, path);
		return true;
	}
	snprintf(path, sizeof path, "%s/%s", PTB_DATADIR, module_file);
	if (access(path, R_OK) == 0) {
		snprintf(root, len, "%s", PTB_DATADIR);
		return true;
	}
	return false;
}

void ptb_pystats_no_package(const char *module_file, char *buf, size_t len)
{
	snprintf(buf, len, "the ptb package (%s) is neither in PREFIX/%s above the binary, nor in "
		 "the source tree, nor in %s (make install puts it there)", module_file,
		 PTB_SHARE_REL, PTB_DATADIR);
}

static const char *stats_env(void)
{
	const char *env = getenv("PTB_PYTHON_STATS");
	return env && *env ? env : NULL;
}

const char *ptb_pystats_python(void)
{
	const char *candidates[] = { stats_env(), "python3", "/usr/bin/python3" };
	for (int i = 0; i < 3; i++)
		if (candidates[i] && has_scipy(candidates[i]))
			return candidates[i];
	return NULL;
}

void ptb_pystats_no_python(char *buf, size_t len)
{
	const char *env = stats_env();
	snprintf(buf, len, "none of %s%spython3, /usr/bin/python3 can import scipy (install it: "
		 "Debian python3-scipy, or pip install scipy; or set PTB_PYTHON_STATS to an "
		 "interpreter that has it)", env ? env : "", env ? ", " : "");
}

int ptb_pystats_exec(const char *root, const char *py, const char *module, char *const args[])
{
	char self[4200], pypath[8400];
	const char *old = getenv("PYTHONPATH");
	snprintf(pypath, sizeof pypath, "%s%s%s", root, old && *old ? ":" : "", old ? old : "");
	if (setenv("PYTHONPATH", pypath, 1) < 0) {
		fprintf(stderr, "ptbench: setenv PYTHONPATH: %s\n", strerror(errno));
		return -1;
	}
	/* the workload facts (ptb.workloads) from this very binary */
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if (setenv("PTBENCH", self, 1) < 0) {
			fprintf(stderr, "ptbench: setenv PTBENCH: %s\n", strerror(errno));
			return -1;
		}
	}
	size_t nargs = 0, k = 0;
	while (args && args[nargs])
		nargs++;
	char **argv = calloc(nargs + 4, sizeof *argv);
	if (!argv) {
		fprintf(stderr, "ptbench: cannot run %s -m %s: out of memory\n", py, module);
		return -1;
	}
	argv[k++] = (char *)py;
	argv[k++] = "-m";
	argv[k++] = (char *)module;
	for (size_t i = 0; i < nargs; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	fflush(NULL);
	execvp(py, argv);
	fprintf(stderr, "ptbench: cannot run %s -m %s: %s\n", py, module, strerror(errno));
	free(argv);
	return -1;
}
