/* locate.c - the helpers of an installed or a freshly built ptbench
 * (see locate.h). */
#include "locate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TREE_LEVELS 4		/* directories above the binary's searched */

int ptb_self_dir(char *dir, size_t len, struct ptb_err *err)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	if (n < 0)
		return ptb_errno(err, "readlink(/proc/self/exe)");
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return ptb_errf(err, "readlink(/proc/self/exe) gave '%s', not a path", dir);
	*slash = '\0';
	return 0;
}

/* PREFIX/rel into path when the binary's directory is PREFIX/bin and the
 * result passes access(mode); false otherwise. */
static bool under_prefix(const char *self_dir, const char *rel, int mode, char *path, size_t len)
{
	const char *slash = strrchr(self_dir, '/');
	if (!slash || strcmp(slash, "/bin") != 0)
		return false;
	int prefix_len = (int)(slash - self_dir);
	return (size_t)snprintf(path, len, "%.*s/%s", prefix_len, self_dir, rel) < len &&
	       access(path, mode) == 0;
}

int ptb_locate_program(const char *name, char *path, size_t len, struct ptb_err *err)
{
	char dir[4096], rel[512];
	if (ptb_self_dir(dir, sizeof dir, err))
		return -1;
	snprintf(rel, sizeof rel, "%s/%s", PTB_LIBEXEC_REL, name);
	if (under_prefix(dir, rel, X_OK, path, len))
		return 0;
	if ((size_t)snprintf(path, len, "%s/%s", dir, name) >= len)
		return ptb_errf(err, "path of %s too long", name);
	if (access(path, X_OK) == 0)
		return 0;
	return ptb_errf(err, "%s: not in PREFIX/%s nor beside %s/ptbench", name, PTB_LIBEXEC_REL,
			dir);
}

int ptb_locate_file(const char *tree_rel, const char *prefix_rel, char *path, size_t len,
		    struct ptb_err *err)
{
	char dir[4096];
	if (ptb_self_dir(dir, sizeof dir, err))
		return -1;
	if (under_prefix(dir, prefix_rel, R_OK, path, len))
		return 0;
	for (int level = 0; level < TREE_LEVELS; level++) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
		if ((size_t)snprintf(path, len, "%s/%s", dir, tree_rel) < len &&
		    access(path, R_OK) == 0)
			return 0;
	}
	return ptb_errf(err, "%s not found above the ptbench binary, nor PREFIX/%s", tree_rel,
			prefix_rel);
}
