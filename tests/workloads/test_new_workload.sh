#!/usr/bin/env bash
# test_new_workload.sh - adding a workload touches only the files
# doc/workloads.md names.  Copies the source tree (the files git knows,
# without results/) into a scratch directory, adds a dummy workload there
# the documented way - bench/w_dummy.c, the line PTB_WORKLOAD(dummy) in
# bench/registry_list.h, bench/py/wl_dummy.py - and nothing else, builds
# ptbench, and checks that `ptbench list --json` lists it (with the models
# that run it) and that `ptbench run -w dummy -m thread,fork,pythread,pyproc`
# writes one ok=1 row per model with the exact result.  Correctness only:
# no timing threshold.  The scratch directory goes on exit, also after a
# failure or Ctrl-C.
#
# Usage: tests/workloads/test_new_workload.sh
set -euo pipefail

top="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/ptb-new-workload.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
src="$scratch/src"
mkdir -p "$src" "$scratch/tmp"
export TMPDIR="$scratch/tmp"	# ptbench's own temporary directories go here
unset PTB_PYMODULE		# the copy's bench/py, found beside its ptbench
# ptbench's own /dev/shm names (and multiprocessing's, as leftovers.sh
# looks for): what else lives there belongs to other programs
ours_in_shm() { find /dev/shm -maxdepth 1 \( -name '*ptbench*' -o -name 'sem.mp-*' -o -name 'psm_*' -o -name 'pym-*' \) | sort; }
shm_before="$(ours_in_shm)"
failures=0
n=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
flunk() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }

# What the build needs, as git knows it (new files not yet committed too).
(cd "$top" && git ls-files -z --cached --others --exclude-standard -- Makefile mk lib bench include |
	while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -xf - -C "$src"

# ---- the new workload: its three files, nothing else -----------------------
# The sum 1 + 2 + ... + --terms in every task: result = tasks x the sum.
cat > "$src/bench/w_dummy.c" <<'C'
#include "workload.h"

enum { OPT_TERMS };

static size_t dummy_arena_bytes(const struct ptb_wctx *ctx)
{
	return (size_t)ctx->tasks * sizeof(uint64_t);
}

static int dummy_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	ctx->state = ptb_arena_alloc(ctx->arena, dummy_arena_bytes(ctx));
	return ctx->state ? 0 : ptb_errf(err, "dummy: shared arena too small");
}

static int dummy_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	uint64_t *sums = ctx->state, s = 0;
	for (uint64_t i = 1; i <= ctx->opt[OPT_TERMS]; i++)
		s += i;
	sums[task] = s;
	return 0;
}

static int dummy_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)err;
	const uint64_t *sums = ctx->state;
	uint64_t n = ctx->opt[OPT_TERMS], want = n * (n + 1) / 2, total = 0;
	out->ok = true;
	for (unsigned t = 0; t < ctx->tasks; t++) {
		total += sums[t];
		out->ok &= sums[t] == want;
	}
	out->ops = (uint64_t)ctx->tasks * n;
	out->result = (int64_t)total;
	return 0;
}

static const struct ptb_opt dummy_opts[] = {
	[OPT_TERMS] = { "terms", "1000", "terms each task sums", PTB_OPT_NUM,
			PTB_UNIT_COUNT, 1, 1000000000, NULL },
};

const struct ptb_workload ptb_w_dummy = {
	.name = "dummy",
	.desc = "the sum 1 + ... + --terms in every task (a test's workload)",
	.ops_unit = "term",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C5",
	.py = PTB_PY_IMPL,
	.opts = dummy_opts,
	.nopts = 1,
	.arena_bytes = dummy_arena_bytes,
	.setup = dummy_setup,
	.task = dummy_task,
	.verify = dummy_verify,
};
C
echo 'PTB_WORKLOAD(dummy)' >> "$src/bench/registry_list.h"
cat > "$src/bench/py/wl_dummy.py" <<'PY'
"""wl_dummy.py - `dummy` in Python: the sum 1 + ... + terms in every task."""

from ptpy_common import count_opt


class Dummy:
    spec = {"terms": count_opt(1)}
    defaults = {"terms": 1000}

    @staticmethod
    def refuse(job):
        return None

    @staticmethod
    def setup(job):
        return job.opts["terms"]

    @staticmethod
    def task(terms, t, ntasks):
        return sum(range(1, terms + 1))

    @staticmethod
    def verify(job, terms, results):
        want = terms * (terms + 1) // 2
        return job.tasks * terms, sum(results), all(r == want for r in results)

    @staticmethod
    def teardown(job, state):
        pass
PY

# ---- build: nothing else edited --------------------------------------------
if make -C "$src" -j"$(nproc)" OPT=-O1 build/ptbench > "$scratch/build.log" 2>&1; then
	pass "the copy with the dummy workload builds"
else
	tail -20 "$scratch/build.log" >&2
	flunk "the copy with the dummy workload builds"
	echo "test_new_workload: 0 passed, $failures failed"
	exit 1
fi
ptbench="$src/build/ptbench"

# ---- ptbench list --json names it ---------------------------------------------
if "$ptbench" list --json > "$scratch/list.json" &&
	python3 - "$scratch/list.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
wl = {w["name"]: w for w in doc["workloads"]}["dummy"]
assert wl["ops_unit"] == "term", wl
assert wl["claims"] == ["C5"], wl
assert wl["headline"] == {"column": "ns_per_op", "better": "lower"}, wl
assert wl["python"] == {"twin": True, "executors": False}, wl
assert [o["name"] for o in wl["options"]] == ["terms"], wl
assert wl["options"][0]["default_value"] == 1000, wl
for m in ("thread", "fork", "threadpool", "procpool", "pythread", "pyproc", "pypool", "pythreadpool"):
    assert m in wl["models"], (m, wl["models"])
for m in ("vfork", "spawn", "pyexthread", "pyexproc", "mpi", "pympi"):
    assert m not in wl["models"], (m, wl["models"])
PY
then
	pass "ptbench list --json lists dummy, its option and the models that run it"
else
	flunk "ptbench list --json lists dummy, its option and the models that run it"
fi
if "$ptbench" list | grep -q '^  dummy .*(op = term)$'; then
	pass "ptbench list lists dummy"
else
	flunk "ptbench list lists dummy"
fi

# ---- it runs in C and in Python --------------------------------------------------
out="$scratch/dummy.csv"
if "$ptbench" run -q -w dummy -m thread,fork,pythread,pyproc -n 2 -r 1 --warmup 0 \
	--terms 5000 --tmpdir "$scratch/tmp" -o "$out" > "$scratch/run.log" 2>&1 &&
	python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
models = sorted(r["model"] for r in rows)
assert models == ["fork", "pyproc", "pythread", "thread"], models
for r in rows:
    assert r["workload"] == "dummy", r
    assert r["ok"] == "1" and r["error"] == "", (r["model"], r["ok"], r["error"])
    assert r["result"] == str(2 * 5000 * 5001 // 2), (r["model"], r["result"])
PY
then
	pass "ptbench run -w dummy -m thread,fork,pythread,pyproc: ok=1 and the exact sum in every model"
else
	flunk "ptbench run -w dummy -m thread,fork,pythread,pyproc: ok=1 and the exact sum in every model"
fi

# ---- nothing left behind -----------------------------------------------------
if [ "$(ours_in_shm)" = "$shm_before" ]; then
	pass "no /dev/shm entry left"
else
	flunk "no /dev/shm entry left"
fi

echo "test_new_workload: $((n - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
