/* plugin.c - loads a user's workload from a shared object (plugin.h).
 *
 * Loading, in the driver while the command line is parsed (bad input is
 * exit 2 before anything runs): the path must be a regular file that
 * starts like an ELF shared object; dlopen(RTLD_NOW | RTLD_LOCAL) binds
 * every symbol there and then (no lazy binding later in a forked worker);
 * dlsym finds ptb_plugin_v1, whose ABI version and option table are
 * checked.  The handle stays open for the life of the process, so the
 * runner and its workers (forked from the driver) have the code mapped.
 *
 * Running: the wrapper's functions turn the runner's struct ptb_wctx into
 * the plugin's struct ptb_plugin_ctx, which lives at the start of the
 * shared arena with a copy of the option values, so every worker (thread
 * or forked child) sees the same one.  arena_bytes, setup and needs_bytes
 * are called before any state exists and are told nothing of the workload
 * but its ctx, so each slot has its own small trampolines (SLOT below). */
#include "plugin.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ptbench/plugin.h>
#include "model.h"
#include "parse.h"

#define SYMBOL "ptb_plugin_v1"
#define NAME_MAX_CHARS 31
#define CHOICES_MAX 16		/* as the command line splits them (bench/cli.c) */

struct plugin {
	char path[PATH_MAX];	/* absolute, as dlopened */
	char name[8 + NAME_MAX_CHARS + 1];	/* "plugin:NAME" */
	char mpi_ref[8 + PATH_MAX];		/* "plugin:PATH" */
	const struct ptb_plugin_v1 *abi;
	struct ptb_opt opts[PTB_MAX_OPTS];
	struct ptb_workload wl;
};

static struct plugin slots[PTB_PLUGIN_SLOTS];
static unsigned nslots;

/* At the start of the arena: what every worker's task needs. */
struct wrap_state {
	struct ptb_plugin_ctx pctx;
	const struct ptb_plugin_v1 *abi;
	const char *name;	/* the slot's "plugin:NAME" (the driver's memory, inherited) */
	uint64_t opt[PTB_MAX_OPTS];
};

/* ---- checking the file -------------------------------------------------- */

/* Starts with the ELF magic and says ET_DYN (a shared object, or a PIE). */
static bool is_elf_shared(const char *path)
{
	unsigned char h[EI_NIDENT + 2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, h, sizeof h);
	close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, ELFMAG, SELFMAG) != 0)
		return false;
	unsigned type = h[EI_DATA] == ELFDATA2MSB ? (unsigned)h[16] << 8 | h[17]
						  : (unsigned)h[17] << 8 | h[16];
	return type == ET_DYN;
}

/* The file's absolute path into abs, or -1 with err. */
static int check_file(const char *path, char *abs, struct ptb_err *err)
{
	struct stat st;
	if (!*path)
		return ptb_errf(err, "plugin: no path (allowed: plugin:PATH.so, a shared object)");
	if (stat(path, &st) < 0)
		return ptb_errno(err, "plugin:%s", path);
	if (!S_ISREG(st.st_mode))
		return ptb_errf(err, "plugin:%s: not a regular file (allowed: a shared object)", path);
	if (!is_elf_shared(path))
		return ptb_errf(err, "plugin:%s: not an ELF shared object (build it with cc -shared -fPIC)",
				path);
	if (!realpath(path, abs))
		return ptb_errno(err, "plugin:%s: realpath", path);
	return 0;
}

/* ---- checking what it declares -------------------------------------------- */

static bool name_ok(const char *s, const char *extra, bool letter_first)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > NAME_MAX_CHARS || (letter_first && !(s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || strchr(extra, s[i])))
			return false;
	return true;
}

/* A model's own option of this name, or NULL. */
static const struct ptb_model *model_with_opt(const char *name)
{
	for (unsigned m = 0; m < ptb_nmodels; m++)
		for (unsigned o = 0; o < ptb_models[m]->nopts; o++)
			if (strcmp(ptb_models[m]->opts[o].name, name) == 0)
				return ptb_models[m];
	return NULL;
}

/* Is def one of the '|'-separated choices, each 1 to NAME_MAX_CHARS of
 * CHOICE_CHARS, at most CHOICES_MAX of them? */
#define CHOICE_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-"
static bool choices_ok(const char *choices, const char *def)
{
	unsigned n = 0;
	bool found = false;
	size_t dlen = strlen(def);
	if (!choices || strlen(choices) > 255)	/* bench/cli.c copies them into 256 bytes */
		return false;
	for (const char *c = choices;; c++) {
		size_t len = strcspn(c, "|");
		if (len == 0 || len > NAME_MAX_CHARS || ++n > CHOICES_MAX || strspn(c, CHOICE_CHARS) < len)
			return false;
		found |= len == dlen && strncmp(c, def, len) == 0;
		c += len;
		if (!*c)
			return found;
	}
}

/* The plugin's option o as a built-in option, or -1 with err. */
static int convert_opt(const char *path, const struct ptb_plugin_opt *po, struct ptb_opt *out,
		       struct ptb_err *err)
{
	const struct ptb_model *m;
	uint64_t v;
	const char *why = "";
	if (!name_ok(po->name, "-", true))
		return ptb_errf(err, "plugin:%s: option name '%.40s' (allowed: 1 to %d of a-z, 0-9, '-', "
				"starting with a letter)", path, po->name ? po->name : "(null)", NAME_MAX_CHARS);
	if ((m = model_with_opt(po->name)))
		return ptb_errf(err, "plugin:%s: option --%s is model %s's own (rename it)", path, po->name,
				m->name);
	if (!po->def)
		return ptb_errf(err, "plugin:%s: option --%s has no default", path, po->name);
	*out = (struct ptb_opt){ po->name, po->def, po->help ? po->help : "", PTB_OPT_NUM,
				 PTB_UNIT_COUNT, po->min, po->max, NULL };
	if (po->kind == PTB_PLUGIN_OPT_CHOICE) {
		out->kind = PTB_OPT_CHOICE;
		out->choices = po->choices;
		if (!choices_ok(po->choices, po->def))
			return ptb_errf(err, "plugin:%s: option --%s: choices '%.60s' must be 1 to %d non-empty "
					"names split by '|', the default '%.30s' among them", path, po->name,
					po->choices ? po->choices : "(null)", CHOICES_MAX, po->def);
		return 0;
	}
	if (po->kind != PTB_PLUGIN_OPT_NUM || (po->unit != PTB_PLUGIN_UNIT_COUNT &&
					       po->unit != PTB_PLUGIN_UNIT_BYTES))
		return ptb_errf(err, "plugin:%s: option --%s: kind %d, unit %d (allowed: kind NUM or CHOICE, "
				"unit COUNT or BYTES)", path, po->name, po->kind, po->unit);
	out->unit = po->unit == PTB_PLUGIN_UNIT_BYTES ? PTB_UNIT_BYTES : PTB_UNIT_COUNT;
	if (po->min > po->max || ptb_parse_u64(po->def, out->unit, po->max, &v, &why) || v < po->min)
		return ptb_errf(err, "plugin:%s: option --%s: default '%.30s' is not a number in [min %llu, "
				"max %llu] %s", path, po->name, po->def, (unsigned long long)po->min,
				(unsigned long long)po->max, why);
	return 0;
}

static int convert_opts(struct plugin *p, const char *path, struct ptb_err *err)
{
	const struct ptb_plugin_v1 *a = p->abi;
	if (a->nopts > PTB_PLUGIN_MAX_OPTS || (a->nopts && !a->opts))
		return ptb_errf(err, "plugin:%s: %u options (allowed: 0 to %d, in opts)", path, a->nopts,
				PTB_PLUGIN_MAX_OPTS);
	for (unsigned o = 0; o < a->nopts; o++) {
		if (convert_opt(path, &a->opts[o], &p->opts[o], err))
			return -1;
		for (unsigned k = 0; k < o; k++)
			if (strcmp(p->opts[k].name, p->opts[o].name) == 0)
				return ptb_errf(err, "plugin:%s: option --%s declared twice", path,
						p->opts[o].name);
	}
	return 0;
}

/* The declaration as a whole: 0, or -1 with err (naming path, as given). */
static int check_decl(struct plugin *p, const char *path, struct ptb_err *err)
{
	const struct ptb_plugin_v1 *a = p->abi;
	if (a->abi_version != PTB_PLUGIN_ABI_VERSION)
		return ptb_errf(err, "plugin:%s: " SYMBOL " has ABI version %u; this ptbench runs version %d "
				"(rebuild the plugin against its ptbench/plugin.h)", path, a->abi_version,
				PTB_PLUGIN_ABI_VERSION);
	if (!name_ok(a->name, "_-", false))
		return ptb_errf(err, "plugin:%s: name '%.40s' (allowed: 1 to %d of a-z, 0-9, '_', '-')", path,
				a->name ? a->name : "(null)", NAME_MAX_CHARS);
	if (!a->task || !a->verify)
		return ptb_errf(err, "plugin:%s: %s is NULL (task and verify are required)", path,
				a->task ? "verify" : "task");
	if (a->needs & ~(PTB_PLUGIN_NEEDS_GANG | PTB_PLUGIN_NEEDS_CHILDREN))
		return ptb_errf(err, "plugin:%s: needs %#x (allowed: PTB_PLUGIN_NEEDS_GANG, _CHILDREN)",
				path, a->needs);
	for (unsigned i = 0; i < nslots; i++)
		if (strcmp(slots[i].abi->name, a->name) == 0)
			return ptb_errf(err, "plugin:%s: its name '%s' is already plugin:%s's", path,
					a->name, slots[i].path);
	return convert_opts(p, path, err);
}

/* ---- loading ---------------------------------------------------------------- */

/* No ptb_plugin_v1: say which version the file has, if another. */
static int no_symbol(void *h, const char *path, struct ptb_err *err)
{
	for (int v = 2; v <= 9; v++) {
		char sym[32];
		snprintf(sym, sizeof sym, "ptb_plugin_v%d", v);
		if (dlsym(h, sym))
			return ptb_errf(err, "plugin:%s: it exports %s (ABI version %d); this ptbench runs "
					"version %d (" SYMBOL ")", path, sym, v, PTB_PLUGIN_ABI_VERSION);
	}
	return ptb_errf(err, "plugin:%s: no symbol " SYMBOL " (define `const struct ptb_plugin_v1 "
			SYMBOL "` from ptbench/plugin.h, visible)", path);
}

static void *open_so(const char *abs, const char *path, struct ptb_err *err)
{
	dlerror();
	void *h = dlopen(abs, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		ptb_errf(err, "plugin:%s: dlopen: %s", path, why ? why : "failed");
	}
	return h;
}

static void wrap(struct plugin *p, unsigned slot);

const struct ptb_workload *ptb_plugin_workload(const char *path, struct ptb_err *err)
{
	static struct plugin p;	/* PATH_MAX twice: not on the stack */
	memset(&p, 0, sizeof p);
	if (check_file(path, p.path, err))
		return NULL;
	for (unsigned i = 0; i < nslots; i++)
		if (strcmp(slots[i].path, p.path) == 0)
			return &slots[i].wl;
	if (nslots == PTB_PLUGIN_SLOTS) {
		ptb_errf(err, "plugin:%s: more than %d plugins in one run", path, PTB_PLUGIN_SLOTS);
		return NULL;
	}
	void *h = open_so(p.path, path, err);
	if (!h)
		return NULL;
	p.abi = dlsym(h, SYMBOL);
	if (!p.abi || check_decl(&p, path, err)) {
		if (!p.abi)
			no_symbol(h, path, err);
		dlclose(h);
		return NULL;
	}
	slots[nslots] = p;
	wrap(&slots[nslots], nslots);
	return &slots[nslots++].wl;
}

const struct ptb_workload *ptb_plugin_loaded(unsigned i)
{
	return i < nslots ? &slots[i].wl : NULL;
}

/* ---- the wrapper ---------------------------------------------------------------- */

/* The plugin's arena for this configuration (0 without arena_bytes). */
static size_t plugin_arena(const struct plugin *p, const uint64_t *opt, unsigned workers,
			   unsigned tasks)
{
	struct ptb_plugin_ctx c = { .opt = opt, .workers = workers, .tasks = tasks, .ranks = 1 };
	size_t n = p->abi->arena_bytes ? p->abi->arena_bytes(&c) : 0;
	return n > SIZE_MAX / 4 ? SIZE_MAX / 4 : n;	/* mmap refuses it, with a message */
}

static size_t wrap_arena_bytes(const struct plugin *p, const struct ptb_wctx *ctx)
{
	return sizeof(struct wrap_state) + 64 + plugin_arena(p, ctx->opt, ctx->workers, ctx->tasks);
}

static void wrap_needs_bytes(const struct plugin *p, const struct ptb_fit *fit, uint64_t *mem,
			     uint64_t *disk)
{
	*mem = plugin_arena(p, fit->opt, fit->workers, fit->tasks);
	*disk = 0;
}

/* The plugin's own message, one printable line. */
static const char *plugin_msg(struct ptb_plugin_ctx *c, const char *otherwise)
{
	c->error[sizeof c->error - 1] = '\0';
	for (char *s = c->error; *s; s++)
		if ((unsigned char)*s < 0x20)
			*s = ' ';
	return c->error[0] ? c->error : otherwise;
}

/* A crashing plugin leaves no core file (as the crash workload). */
static int no_core_dumps(struct ptb_err *err)
{
	struct rlimit rl = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		return ptb_errno(err, "plugin: setrlimit(RLIMIT_CORE, 0)");
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		return ptb_errno(err, "plugin: prctl(PR_SET_DUMPABLE, 0)");
	return 0;
}

static int wrap_setup(const struct plugin *p, struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct wrap_state *ws = ptb_arena_alloc(ctx->arena, sizeof *ws);
	size_t n = plugin_arena(p, ctx->opt, ctx->workers, ctx->tasks);
	if (!ws)
		return ptb_errf(err, "%s: shared arena too small", p->name);
	ws->abi = p->abi;
	ws->name = p->name;
	memcpy(ws->opt, ctx->opt, sizeof ws->opt);
	ws->pctx = (struct ptb_plugin_ctx){ .opt = ws->opt, .workers = ctx->workers, .tasks = ctx->tasks,
					    .rank = 0, .ranks = 1, .tmpdir = ctx->tmpdir };
	if (n && !(ws->pctx.arena = ptb_arena_alloc(ctx->arena, n)))
		return ptb_errf(err, "%s: shared arena too small for %zu bytes", p->name, n);
	ws->pctx.arena_size = n;
	ctx->state = ws;
	if (no_core_dumps(err))
		return -1;
	if (p->abi->setup && p->abi->setup(&ws->pctx))
		return ptb_errf(err, "%s: setup failed: %s", p->name, plugin_msg(&ws->pctx, "no reason given"));
	return 0;
}

static int wrap_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct wrap_state *ws = ((struct ptb_wctx *)arg)->state;
	return ws->abi->task(&ws->pctx, task);
}

static int wrap_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	struct wrap_state *ws = ctx->state;
	struct ptb_plugin_outcome o;
	memset(&o, 0, sizeof o);
	ws->pctx.error[0] = '\0';
	if (ws->abi->verify(&ws->pctx, &o))
		return ptb_errf(err, "%s: verify failed: %s", ws->name, plugin_msg(&ws->pctx, "no reason given"));
	out->ops = o.ops;
	out->result = o.result;
	out->ok = o.ok != 0;
	o.notes[sizeof o.notes - 1] = '\0';
	for (char *s = o.notes; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == ',')
			*s = ' ';
	snprintf(out->notes, sizeof out->notes, "%s", o.notes);
	return 0;
}

static void wrap_teardown(struct ptb_wctx *ctx)
{
	struct wrap_state *ws = ctx->state;
	if (ws && ws->abi->teardown)
		ws->abi->teardown(&ws->pctx);
}

/* Each slot's functions that are called before ctx->state exists. */
#define SLOT(i)                                                                                  \
	static size_t arena_bytes_##i(const struct ptb_wctx *c)                                   \
	{                                                                                        \
		return wrap_arena_bytes(&slots[i], c);                                           \
	}                                                                                        \
	static int setup_##i(struct ptb_wctx *c, struct ptb_err *e)                               \
	{                                                                                        \
		return wrap_setup(&slots[i], c, e);                                              \
	}                                                                                        \
	static void needs_bytes_##i(const struct ptb_fit *f, uint64_t *m, uint64_t *d)            \
	{                                                                                        \
		wrap_needs_bytes(&slots[i], f, m, d);                                            \
	}
SLOT(0) SLOT(1) SLOT(2) SLOT(3) SLOT(4) SLOT(5) SLOT(6) SLOT(7)
#undef SLOT
#define SLOT(i) { arena_bytes_##i, setup_##i, needs_bytes_##i }
static const struct {
	size_t (*arena_bytes)(const struct ptb_wctx *);
	int (*setup)(struct ptb_wctx *, struct ptb_err *);
	void (*needs_bytes)(const struct ptb_fit *, uint64_t *, uint64_t *);
} slot_fns[PTB_PLUGIN_SLOTS] = { SLOT(0), SLOT(1), SLOT(2), SLOT(3), SLOT(4), SLOT(5), SLOT(6), SLOT(7) };
#undef SLOT

static void wrap(struct plugin *p, unsigned slot)
{
	const struct ptb_plugin_v1 *a = p->abi;
	snprintf(p->name, sizeof p->name, "plugin:%s", a->name);
	memcpy(p->mpi_ref, "plugin:", 7);	/* fits: mpi_ref has 8 bytes more than path */
	memcpy(p->mpi_ref + 7, p->path, strlen(p->path) + 1);
	p->wl = (struct ptb_workload){
		.name = p->name,
		.desc = a->description ? a->description : "a plugin",
		.ops_unit = a->ops_unit && *a->ops_unit ? a->ops_unit : "task",
		.better = PTB_LOWER_IS_BETTER,
		.mpi = a->independent ? PTB_MPI_IMPL : 0,
		.mpi_ref = a->independent ? p->mpi_ref : NULL,
		.opts = p->opts,
		.nopts = a->nopts,
		.needs = (a->needs & PTB_PLUGIN_NEEDS_GANG ? PTB_NEEDS_GANG : 0) |
			 (a->needs & PTB_PLUGIN_NEEDS_CHILDREN ? PTB_NEEDS_CHILDREN : 0),
		.needs_bytes = slot_fns[slot].needs_bytes,
		.arena_bytes = slot_fns[slot].arena_bytes,
		.setup = slot_fns[slot].setup,
		.task = wrap_task,
		.verify = wrap_verify,
		.teardown = wrap_teardown,
	};
}
