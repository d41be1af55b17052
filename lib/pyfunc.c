/* pyfunc.c - a user's Python function as a workload (pyfunc.h).
 *
 *   ptbench run -w py:MODULE:FUNCTION [--py-arg KEY=VALUE]...
 *   ptbench run -w py:path/to/file.py:FUNCTION [--py-arg KEY=VALUE]...
 *
 * Checked while the command line is parsed, before anything runs, with the
 * interpreter the Python models run (PTB_PYTHON, else python3 in PATH) and
 * their module (bench/py/ptpy.py):
 *   PYTHON -I -B ptpy.py userfn-check py:REF [--KEY VALUE]...
 * answers one line (bench/py/ptpy_userfn.py): "ok INDEPENDENT UNIT NAME
 * ABSREF" or "error MESSAGE" (a missing file, one that is not .py, a module that
 * does not import with its exception's last line, a name that is missing
 * or not callable, arguments that do not fit its signature); an error is
 * bad input (exit 2, one line).
 *
 * The workload: named "py:MODULE:FUNCTION" (the CSV's workload column; at
 * most 63 bytes, bench/summary.c's), the module's name also for a file
 * (py:examples/python/hashwork.py:sha_block is py:hashwork:sha_block), so
 * that the rows of the same function run from two places group and
 * compare alike, as a plugin's do (the meta's command line has the path);
 * the Python models and the pympi ranks are given the reference with the
 * file's absolute path (ptb_pyfunc_ref, mpi_ref); one text option per --py-arg, named
 * KEY with VALUE as its default, so the params column reads KEY=VALUE and
 * the Python models pass --KEY VALUE after `--`, which the runner hands
 * the function as keyword arguments (strings); py = PTB_PY_IMPL |
 * PTB_PY_EXECUTORS (every Python model), mpi = PTB_PYMPI_IMPL (a
 * function's tasks share no memory) unless the module says
 * PTB_INDEPENDENT = False.  The C models refuse it (refuse), so `-m all` skips them; the
 * runner never calls its C functions (the Python models are external
 * runners), which only say so. */
#include "pyfunc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "external.h"
#include "model.h"
#include "model_py.h"

#define PYFUNC_SLOTS 16		/* py: workloads in one run (cli.c's -w list) */
#define NAME_BYTES 64		/* "py:MODULE:FUNCTION": bench/summary.c's workload column */
#define REF_BYTES (PATH_MAX + NAME_BYTES)	/* a reference, the file's path absolute */
#define KEY_BYTES 64
#define VALUE_MAX_BYTES 200	/* it goes into the params column (512 bytes) */
#define UNIT_BYTES 24
#define ANSWER_BYTES 8192
#define CHECK_ARGS (6 + 2 * PTB_MAX_OPTS + 1)

struct pyfunc {
	char given[REF_BYTES];	/* the text after "py:", as typed */
	char name[NAME_BYTES];
	char ref[REF_BYTES];	/* "py:" + the reference with the file's absolute path */
	char unit[UNIT_BYTES];
	bool independent;
	struct ptb_workload wl;
};

static struct pyfunc slots[PYFUNC_SLOTS];
static unsigned nslots;

/* The --py-arg values, the same for every py: workload of the run. */
static char arg_keys[PTB_MAX_OPTS][KEY_BYTES];
static struct ptb_opt arg_opts[PTB_MAX_OPTS];
static unsigned nargs;

static const struct pyfunc *of(const struct ptb_workload *wl)
{
	return (const struct pyfunc *)(const void *)((const char *)wl - offsetof(struct pyfunc, wl));
}

/* ---- --py-arg KEY=VALUE ------------------------------------------------------ */

static bool is_python_name(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

int ptb_pyfunc_add_arg(const char *text, struct ptb_err *err)
{
	const char *eq = strchr(text, '=');
	size_t klen = eq ? (size_t)(eq - text) : 0;
	if (!eq)
		return ptb_errf(err, "--py-arg '%.100s': not KEY=VALUE (e.g. --py-arg block=1048576)", text);
	if (!is_python_name(text, klen) || klen >= KEY_BYTES)
		return ptb_errf(err, "--py-arg '%.100s': '%.*s' is not a Python name (allowed: letters, "
				"digits and _, not first a digit, at most %d)", text, (int)(klen > 64 ? 64 : klen),
				text, KEY_BYTES - 1);
	for (const char *c = eq + 1; *c; c++)
		if (*c == ';' || iscntrl((unsigned char)*c))
			return ptb_errf(err, "--py-arg '%.100s': a value without ';' or control characters "
					"(it goes into the params column)", text);
	if (strlen(eq + 1) > VALUE_MAX_BYTES)
		return ptb_errf(err, "--py-arg '%.*s=...': a value of at most %d bytes", (int)klen, text,
				VALUE_MAX_BYTES);
	for (unsigned i = 0; i < nargs; i++)
		if (strlen(arg_keys[i]) == klen && strncmp(arg_keys[i], text, klen) == 0)
			return ptb_errf(err, "--py-arg %.*s given twice", (int)klen, text);
	if (nargs == PTB_MAX_OPTS)
		return ptb_errf(err, "--py-arg '%.100s': at most %d keyword arguments", text, PTB_MAX_OPTS);
	snprintf(arg_keys[nargs], KEY_BYTES, "%.*s", (int)klen, text);
	arg_opts[nargs] = (struct ptb_opt){ .name = arg_keys[nargs], .def = eq + 1,
					    .help = "keyword argument of the function (--py-arg KEY=VALUE)",
					    .kind = PTB_OPT_TEXT };
	nargs++;
	return 0;
}

unsigned ptb_pyfunc_nargs(void)
{
	return nargs;
}

void ptb_pyfunc_reset(void)
{
	nargs = 0;
	nslots = 0;
}

bool ptb_is_pyfunc(const struct ptb_workload *wl)
{
	return strncmp(wl->name, "py:", 3) == 0;
}

/* ---- what the C side of the workload says ---------------------------------------- */

static const char *refuse(const struct ptb_fit *fit)
{
	if (fit->model->exec_runner && strncmp(fit->model->name, "py", 2) == 0)
		return NULL;
	return "a py: workload is a Python function: only the Python models run it (pythread, pyproc, "
	       "pypool, pythreadpool, pyexthread, pyexproc, pympi)";
}

static const char *mpi_refuse(const struct ptb_workload *wl, const uint64_t *opt)
{
	(void)opt;
	if (of(wl)->independent)
		return NULL;
	return "its module says PTB_INDEPENDENT = False (its tasks share state), and pympi's ranks "
	       "share nothing";
}

static size_t no_arena(const struct ptb_wctx *ctx)
{
	(void)ctx;
	return 0;
}

static int not_here(struct ptb_wctx *ctx, struct ptb_err *err)
{
	(void)ctx;
	return ptb_errf(err, "a py: workload runs only in the Python models' own runner");
}

static int no_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)arg;
	(void)task;
	(void)ntasks;
	return 1;
}

static int no_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)out;
	return not_here(ctx, err);
}

/* ---- the check, with the Python models' interpreter ------------------------------- */

/* The interpreter's answer to userfn-check into answer; -1 with err when
 * it could not be asked or ended without answering. */
static int ask(const char *ref, char *answer, size_t len, struct ptb_err *err)
{
	char python[4096], module[4096], refarg[REF_BYTES], keys[PTB_MAX_OPTS][KEY_BYTES + 2];
	char *argv[CHECK_ARGS];
	int argc = 0, status = 0;
	struct ptb_err why;
	if (ptb_py_find_python(python, sizeof python, &why) ||
	    ptb_py_find_module(module, sizeof module, &why))
		return ptb_errf(err, "py:%s: cannot check it with the Python models' interpreter: %s", ref,
				why.msg);
	snprintf(refarg, sizeof refarg, "py:%s", ref);
	argv[argc++] = python;
	argv[argc++] = "-I";
	argv[argc++] = "-B";
	argv[argc++] = module;
	argv[argc++] = "userfn-check";
	argv[argc++] = refarg;
	for (unsigned i = 0; i < nargs; i++) {
		snprintf(keys[i], sizeof keys[i], "--%.*s", KEY_BYTES - 1, arg_keys[i]);
		argv[argc++] = keys[i];
		argv[argc++] = (char *)arg_opts[i].def;
	}
	argv[argc] = NULL;
	if (ptb_ext_ask(argv, false, answer, len, &status) < 0)
		return ptb_errno(err, "py:%s: running %s to check it", ref, python);
	if (answer[0])
		return 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		return ptb_errf(err, "py:%s: importing it took longer than the check allows (120 s)", ref);
	char how[64];
	return ptb_errf(err, "py:%s: %s %s while checking it, without an answer", ref, python,
			ptb_describe_status(status, how, sizeof how));
}

/* "ok INDEPENDENT UNIT NAME ABSREF" into f; -1 with err for "error MESSAGE"
 * or a name too long for the rows. */
static int take_answer(const char *ref, const char *answer, struct pyfunc *f, struct ptb_err *err)
{
	char name[256];
	int independent = 0, used = 0;
	if (strncmp(answer, "error ", 6) == 0)
		return ptb_errf(err, "py:%s: %s", ref, answer + 6);
	if (sscanf(answer, "ok %d %23s %255s %n", &independent, f->unit, name, &used) != 3 || !used ||
	    !answer[used] || strlen(answer + used) >= sizeof f->ref)
		return ptb_errf(err, "py:%s: the check answered '%.120s' (expected ok or error)", ref, answer);
	if (strlen(name) >= sizeof f->name)
		return ptb_errf(err, "py:%s: its name %.80s... is longer than %d characters (it names the "
				"rows): a shorter module or function name", ref, name, NAME_BYTES - 1);
	f->independent = independent != 0;
	memcpy(f->name, name, strlen(name) + 1);	/* fits: checked above */
	snprintf(f->ref, sizeof f->ref, "%s", answer + used);
	return 0;
}

static void fill_workload(struct pyfunc *f)
{
	f->wl = (struct ptb_workload){
		.name = f->name,
		.desc = "a user's Python function: -w py:MODULE:FUNCTION or py:FILE.py:FUNCTION, "
			"called as FUNCTION(index, **kwargs) with --py-arg KEY=VALUE (doc/python.md)",
		.ops_unit = f->unit,
		.py = PTB_PY_IMPL | PTB_PY_EXECUTORS,
		.mpi = PTB_PYMPI_IMPL,
		.mpi_refuse = mpi_refuse,
		.mpi_ref = strcmp(f->ref, f->name) ? f->ref : NULL,
		.opts = arg_opts,
		.nopts = nargs,
		.refuse = refuse,
		.arena_bytes = no_arena,
		.setup = not_here,
		.task = no_task,
		.verify = no_verify,
	};
}

/* A reference the check can be asked about. */
static int check_ref_text(const char *ref, struct ptb_err *err)
{
	if (strlen(ref) + 3 >= REF_BYTES)
		return ptb_errf(err, "py:%.40s...: a reference of at most %d characters", ref, REF_BYTES - 4);
	for (const char *c = ref; *c; c++)
		if (iscntrl((unsigned char)*c))
			return ptb_errf(err, "py:%s: control characters are not allowed in a reference", ref);
	if (!strchr(ref, ':'))
		return ptb_errf(err, "py:%s: not a function reference (allowed: py:MODULE:FUNCTION or "
				"py:path/to/file.py:FUNCTION)", ref);
	return 0;
}

/* The workload already loaded that has f's name: the same one when it is
 * the same function (f is dropped), NULL when there is none; another
 * function of the same name is an error. */
static const struct pyfunc *same_name(const struct pyfunc *f, struct ptb_err *err)
{
	for (unsigned i = 0; i < nslots; i++) {
		if (strcmp(slots[i].name, f->name) != 0)
			continue;
		if (strcmp(slots[i].ref, f->ref) == 0)
			return &slots[i];
		ptb_errf(err, "py:%s and py:%s are both workload %s (the same function named twice, or "
			 "two modules of one name): list one", f->given, slots[i].given, f->name);
		return f;
	}
	return NULL;
}

const struct ptb_workload *ptb_pyfunc_workload(const char *ref, struct ptb_err *err)
{
	static char answer[ANSWER_BYTES];
	for (unsigned i = 0; i < nslots; i++)
		if (strcmp(slots[i].given, ref) == 0)
			return &slots[i].wl;
	if (check_ref_text(ref, err))
		return NULL;
	if (nslots == PYFUNC_SLOTS) {
		ptb_errf(err, "py:%s: at most %d py: workloads in one run", ref, PYFUNC_SLOTS);
		return NULL;
	}
	struct pyfunc *f = &slots[nslots];
	memset(f, 0, sizeof *f);
	snprintf(f->given, sizeof f->given, "%s", ref);
	if (ask(ref, answer, sizeof answer, err) || take_answer(ref, answer, f, err))
		return NULL;
	const struct pyfunc *known = same_name(f, err);
	if (known)
		return known == f ? NULL : &known->wl;
	fill_workload(f);
	nslots++;
	return &f->wl;
}

const char *ptb_pyfunc_ref(const struct ptb_workload *wl)
{
	return ptb_is_pyfunc(wl) ? of(wl)->ref : wl->name;
}
