#!/usr/bin/python3
"""ci_workflow.py - the GitHub workflows (.github/workflows/*.yml) read from
their YAML, so that what runs here and what runs on GitHub cannot drift
apart: scripts/ci_local.sh runs their steps with it, `make lint` checks
them with it.  Needs python3-yaml (Debian's /usr/bin/python3 has it).

Usage:
  ci_workflow.py run --source REPO --commit SHA --work DIR [--event EVENT]
                     [--summary-dir DIR] WORKFLOW.yml...
        run the jobs of each workflow triggered by EVENT [pull_request], in
        the order of their needs, each in its own empty workspace under DIR:
        every run: step as GitHub runs it (bash -eo pipefail, the env of the
        workflow, job and step, GITHUB_ENV, GITHUB_OUTPUT,
        GITHUB_STEP_SUMMARY), every if: evaluated.  The uses: steps that
        only GitHub can run are replaced by local stand-ins: actions/checkout
        clones REPO at SHA, upload-/download-artifact copy files through
        DIR/artifacts (no file at all is an error when the step says
        if-no-files-found: error; a path that matches nothing is named),
        and the rest (github-script,
        github-action-benchmark) are not run but their file inputs must
        exist (github-action-benchmark's JSON must have its shape).  The
        jobs run on this machine, not in their container.  Writes each
        job's summary to --summary-dir.  Exit 0 when every job that ran
        passed, 1 when one failed, 2 on bad input (an expression or action
        this reader does not know).
  ci_workflow.py extract --dir DIR WORKFLOW.yml...
        write every run: step to DIR/<workflow>-<job>-<n>.sh (for ShellCheck)
  ci_workflow.py check WORKFLOW.yml...
        the project's rules: top-level and per-job permissions, no write-all,
        no secret but GITHUB_TOKEN, no ${{ }} inside a run: script (pass
        values through env:), no pull_request_target, every action pinned
        by a full commit SHA (a tag can be moved; the release goes in a
        comment: `uses: actions/checkout@<40 hex> # v4.2.2`).  Exit 1 on a
        problem.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the ptb package
try:
    import yaml
except ImportError:
    print("ci_workflow: python3-yaml is missing (scripts/deps.sh installs it; run with "
          "/usr/bin/python3)", file=sys.stderr)
    sys.exit(2)

EXPR_RE = re.compile(r"\$\{\{(.*?)\}\}", re.S)
STATUS_FUNCS = ("success", "failure", "always", "cancelled")


class Unsupported(Exception):
    """Something in a workflow this reader does not know how to run."""


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            wf = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise Unsupported(f"{path}: {e}")
    if not isinstance(wf, dict) or not isinstance(wf.get("jobs"), dict):
        raise Unsupported(f"{path}: no jobs")
    wf["on"] = wf.pop(True, wf.get("on"))   # YAML 1.1 reads the key on as true
    return wf


# ---- expressions ----------------------------------------------------------------

TOKEN_RE = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)"
                      r"|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
                      r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))")


def tokens(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(f"expression '{text}': cannot read at '{text[pos:]}'")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class Expr:
    """A recursive-descent evaluator of the part of GitHub's expression
    language the workflows use: literals, context paths, == != ! && ||,
    parentheses, success() failure() always() cancelled() contains()
    startsWith()."""

    def __init__(self, text, ctx, status):
        self.toks, self.i, self.ctx, self.status, self.text = tokens(text), 0, ctx, status, text

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise Unsupported(f"expression '{self.text}': expected {value or 'more'}")
        self.i += 1
        return tok

    def value(self):
        v = self.disj()
        if self.i != len(self.toks):
            raise Unsupported(f"expression '{self.text}': unexpected '{self.peek()[1]}'")
        return v

    def disj(self):
        return self.chain("||", self.conj)

    def conj(self):
        return self.chain("&&", self.unary)

    def chain(self, op, operand):
        """a op b op ...: || gives the first truthy operand, && the first
        falsy one (each operand is read, as GitHub parses it)."""
        v = operand()
        while self.peek() == ("op", op):
            self.take()
            w = operand()
            v = (v if truthy(v) else w) if op == "||" else (w if truthy(v) else v)
        return v

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        v = self.primary()
        if self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            same = loose_eq(v, self.primary())
            return same if op == "==" else not same
        return v

    def primary(self):
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if (kind, text) == ("op", "("):
            v = self.disj()
            self.take(")")
            return v
        if kind != "name":
            raise Unsupported(f"expression '{self.text}': unexpected '{text}'")
        if self.peek() == ("op", "("):
            return self.call(text)
        literals = {"true": True, "false": False, "null": None}
        return literals[text] if text in literals else self.path(text)

    def call(self, name):
        self.take("(")
        args = []
        while self.peek() != ("op", ")"):
            args.append(self.disj())
            if self.peek() == ("op", ","):
                self.take()
        self.take(")")
        if name in STATUS_FUNCS:
            return {"success": not self.status["failed"], "failure": self.status["failed"],
                    "always": True, "cancelled": False}[name]
        if name == "contains" and len(args) == 2:
            return str(args[1]).lower() in (str(args[0]).lower() if not isinstance(args[0], list)
                                             else [str(a).lower() for a in args[0]])
        if name == "startsWith" and len(args) == 2:
            return str(args[0]).lower().startswith(str(args[1]).lower())
        raise Unsupported(f"expression '{self.text}': function {name}() is not known here")

    def path(self, dotted):
        head, *rest = dotted.split(".")
        if head not in self.ctx:
            raise Unsupported(f"expression '{self.text}': context '{head}' is not known here")
        v = self.ctx[head]
        for part in rest:
            v = v.get(part) if isinstance(v, dict) else None
        return v


def truthy(v):
    return v not in (None, False, 0, 0.0, "")


def as_number(v):
    """GitHub's coercion when the two sides of == differ in type."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v.strip() or 0) if isinstance(v, str) else float("nan")
    except ValueError:
        return float("nan")


def loose_eq(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if type(a) is type(b):
        return a == b
    return as_number(a) == as_number(b)


def as_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def expand(text, ctx, status):
    """A string with every ${{ expr }} replaced by its value."""
    if not isinstance(text, str):
        return as_text(text)
    return EXPR_RE.sub(lambda m: as_text(Expr(m.group(1), ctx, status).value()), text)


def condition(cond, ctx, status):
    """An if: (a step's or a job's); without a status function it means
    success() && (cond)."""
    if cond is None:
        return not status["failed"]
    if isinstance(cond, bool):
        return cond and not status["failed"]
    text = str(cond).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    text = m.group(1) if m else text
    if not re.search(r"\b(%s)\s*\(" % "|".join(STATUS_FUNCS), text):
        text = f"success() && ({text})"
    return truthy(Expr(text, ctx, status).value())


# ---- triggers and job order ---------------------------------------------------------

def triggered(wf, event):
    on = wf["on"]
    if isinstance(on, str):
        return on == event
    if isinstance(on, list):
        return event in on
    if not isinstance(on, dict) or event not in on:
        return False
    branches = (on.get(event) or {}).get("branches") if event == "push" else None
    return branches is None or "main" in branches


def job_order(jobs):
    order, seen = [], set()

    def visit(name, trail):
        if name in seen:
            return
        if name in trail:
            raise Unsupported(f"jobs: a cycle of needs through {name}")
        if name not in jobs:
            raise Unsupported(f"jobs: needs names '{name}', which is not a job")
        for dep in needs_of(jobs[name]):
            visit(dep, trail + [name])
        seen.add(name)
        order.append(name)

    for name in jobs:
        visit(name, [])
    return order


def needs_of(job):
    n = job.get("needs") or []
    return [n] if isinstance(n, str) else list(n)


# ---- running ----------------------------------------------------------------------

def read_env_file(path):
    """KEY=VALUE and KEY<<DELIM ... DELIM lines (GITHUB_ENV, GITHUB_OUTPUT)."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            out[key] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if "=" in line:
            key, val = line.split("=", 1)
            out[key] = val
        i += 1
    return out


class Job:
    """One job's run: its workspace, files, env and step results."""

    def __init__(self, run, wf_name, name, spec):
        self.run, self.wf_name, self.name, self.spec = run, wf_name, name, spec
        self.dir = os.path.join(run.work, f"{wf_name}-{name}")
        self.ws = os.path.join(self.dir, "workspace")
        self.files = {k: os.path.join(self.dir, k.lower()) for k in
                      ("GITHUB_ENV", "GITHUB_STEP_SUMMARY", "GITHUB_PATH")}
        os.makedirs(self.ws)
        os.makedirs(os.path.join(self.dir, "tmp"))
        for path in self.files.values():
            open(path, "w").close()
        self.steps, self.status = {}, {"failed": False}

    def ctx(self, env):
        return dict(self.run.ctx(self.ws), env=env, steps=self.steps,
                    needs=self.run.needs_ctx(self.spec))

    def env(self, step):
        env = dict(self.run.base_env)
        env.update(self.run.github_env(self.ws))
        env.update(self.files, RUNNER_TEMP=os.path.join(self.dir, "tmp"))
        for layer in (self.run.wf.get("env"), self.spec.get("env")):
            for k, v in (layer or {}).items():
                env[k] = expand(v, self.ctx(env), self.status)
        env.update(read_env_file(self.files["GITHUB_ENV"]))
        with open(self.files["GITHUB_PATH"], encoding="utf-8") as f:
            added = [line.strip() for line in f if line.strip()]
        env["PATH"] = os.pathsep.join(added[::-1] + [env.get("PATH", "")])
        for k, v in (step.get("env") or {}).items():
            env[k] = expand(v, self.ctx(env), self.status)
        return env

    def shell(self, step):
        for layer in (step, (self.spec.get("defaults") or {}).get("run") or {},
                      (self.run.wf.get("defaults") or {}).get("run") or {}):
            if layer.get("shell"):
                return layer["shell"]
        return "bash"

    def run_step(self, n, step):
        label = step.get("name") or step.get("uses") or \
            ((step.get("run") or "").strip().splitlines() or ["?"])[0]
        env = self.env(step)
        if not condition(step.get("if"), self.ctx(env), self.status):
            say(f"  - step {n}: {label}: skipped ("
                + (f"if: {step['if']})" if "if" in step else "a step before failed)"))
            return
        say(f"  - step {n}: {label}")
        out_file = os.path.join(self.dir, f"output-{n}")
        open(out_file, "w").close()
        env["GITHUB_OUTPUT"] = out_file
        if "run" in step:
            ok = self.run_script(n, step, env)
        else:
            ok = StandIn(self, step, env).run()
        sid = step.get("id") or f"__step{n}"
        self.steps[sid] = {"outputs": read_env_file(out_file),
                           "outcome": "success" if ok else "failure",
                           "conclusion": "success" if ok or step.get("continue-on-error")
                           else "failure"}
        if not ok:
            say(f"    FAILED: step {n} ({label})")
            if not step.get("continue-on-error"):
                self.status["failed"] = True

    def run_script(self, n, step, env):
        script = expand(step["run"], self.ctx(env), self.status)
        path = os.path.join(self.dir, f"step-{n}.sh")
        with open(path, "w") as f:
            f.write(script)
        shell = self.shell(step)
        argv = {"bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", path],
                "sh": ["sh", "-e", path]}.get(shell)
        if argv is None:
            raise Unsupported(f"{self.name}: shell '{shell}' is not run here (bash, sh)")
        cwd = os.path.join(self.ws, step.get("working-directory", "."))
        return subprocess.run(argv, cwd=cwd, env=env).returncode == 0

    def execute(self):
        for n, step in enumerate(self.spec.get("steps") or [], start=1):
            self.run_step(n, step)
        env = self.env({})
        outputs = {k: expand(v, self.ctx(env), {"failed": False})
                   for k, v in (self.spec.get("outputs") or {}).items()}
        with open(self.files["GITHUB_STEP_SUMMARY"], encoding="utf-8") as f:
            summary = f.read()
        return ("failure" if self.status["failed"] else "success"), outputs, summary


class StandIn:
    """What a uses: step does here."""

    def __init__(self, job, step, env):
        self.job, self.step, self.env = job, step, env
        self.uses = step["uses"]
        self.action = self.uses.split("@")[0]
        self.inputs = {k: expand(v, job.ctx(env), job.status)
                       for k, v in (step.get("with") or {}).items()}

    def run(self):
        fn = {"actions/checkout": self.checkout, "actions/upload-artifact": self.upload,
              "actions/download-artifact": self.download,
              "benchmark-action/github-action-benchmark": self.benchmark,
              "actions/github-script": self.not_here}.get(self.action)
        if fn is None:
            raise Unsupported(f"action {self.uses}: no local stand-in")
        return fn()

    def git(self, *args):
        return subprocess.run(["git", "-C", self.job.ws, *args], capture_output=True,
                              text=True).returncode == 0

    def checkout(self):
        if os.listdir(self.job.ws):
            say("    checkout: the workspace is not empty")
            return False
        src = self.job.run.source
        ok = (self.git("init", "--quiet") and self.git("remote", "add", "origin", src)
              and self.git("fetch", "--quiet", "origin", self.job.run.commit)
              and self.git("checkout", "--quiet", "--detach", "FETCH_HEAD"))
        say(f"    stand-in: a fresh clone of {src} at {self.job.run.commit[:12]}"
            + ("" if ok else ": FAILED"))
        return ok

    def upload(self):
        name, missing = self.inputs.get("name", "artifact"), []
        files = []
        for pattern in [p.strip() for p in self.inputs.get("path", "").splitlines() if p.strip()]:
            if pattern.startswith("!"):
                raise Unsupported(f"upload-artifact: exclusion '{pattern}' is not done here")
            found = artifact_files(self.job.ws, pattern)
            files += found
            if not found:
                missing.append(pattern)
        how = self.inputs.get("if-no-files-found", "warn")
        for pattern in missing:
            say(f"    upload-artifact {name}: nothing matches '{pattern}'")
        if not files:
            say(f"    upload-artifact {name}: no file at all (if-no-files-found: {how})")
            return how != "error"
        store = os.path.join(self.job.run.work, "artifacts", name)
        base = os.path.commonpath([os.path.dirname(f) for f in files])
        for f in sorted(set(files)):
            dest = os.path.join(store, os.path.relpath(f, base))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copy2(os.path.join(self.job.ws, f), dest)
        say(f"    stand-in: artifact {name}: {len(set(files))} files kept")
        return True

    def download(self):
        name = self.inputs.get("name")
        store = os.path.join(self.job.run.work, "artifacts", name or "")
        if not name or not os.path.isdir(store):
            say(f"    download-artifact: no artifact '{name}' was uploaded")
            return False
        shutil.copytree(store, os.path.join(self.job.ws, self.inputs.get("path", ".")),
                        dirs_exist_ok=True)
        say(f"    stand-in: artifact {name} copied to {self.inputs.get('path', '.')}")
        return True

    def benchmark(self):
        import json
        from ptb.regress import series as regress_series
        path = os.path.join(self.job.ws, self.inputs.get("output-file-path", ""))
        if self.inputs.get("tool") != "customSmallerIsBetter" or not os.path.isfile(path):
            say(f"    github-action-benchmark: no customSmallerIsBetter file at {path}")
            return False
        with open(path, encoding="utf-8") as f:
            problems = regress_series.problems(json.load(f))
        for p in problems:
            say(f"    github-action-benchmark input: {p}")
        say("    not run here (it pushes to gh-pages on GitHub): its input has the "
            "customSmallerIsBetter shape" if not problems else "")
        return not problems

    def not_here(self):
        own = [expand(v, self.job.ctx(self.env), self.job.status)
               for v in (self.step.get("env") or {}).values()]
        paths = [v for v in list(self.inputs.values()) + own
                 if isinstance(v, str) and re.fullmatch(r"[\w.-]+(/[\w.-]+)+", v)
                 and not os.path.isabs(v)]
        gone = [p for p in paths if not os.path.exists(os.path.join(self.job.ws, p))]
        for p in gone:
            say(f"    {self.action}: its input file {p} does not exist")
        say(f"    not run here (needs GitHub's API); file inputs present: {', '.join(paths) or 'none'}")
        return not gone


def artifact_files(ws, pattern):
    """Workspace-relative files a path: line of upload-artifact names."""
    out = []
    for hit in glob.glob(os.path.join(ws, pattern), recursive=True):
        if os.path.isdir(hit):
            for root, _, names in os.walk(hit):
                out += [os.path.relpath(os.path.join(root, n), ws) for n in names]
        elif os.path.isfile(hit):
            out.append(os.path.relpath(hit, ws))
    return out


class Run:
    """One local run of the workflows for one event."""

    def __init__(self, args):
        self.source, self.commit, self.event = args.source, args.commit, args.event
        self.work = os.path.abspath(args.work)
        self.home = os.path.join(self.work, "home")
        os.makedirs(self.home, exist_ok=True)
        self.base_env = dict(os.environ, HOME=self.home, CI="true")
        self.results = {}

    def ctx(self, ws):
        repo = "local/ptbench"
        event = {"pull_request": {"number": 0, "head": {"repo": {"full_name": repo}}}} \
            if self.event == "pull_request" else {}
        return {"github": {"event_name": self.event, "ref": self.ref(), "sha": self.commit,
                           "repository": repo, "server_url": "file://" + self.source,
                           "run_id": "local", "workspace": ws, "event": event},
                "secrets": {"GITHUB_TOKEN": ""}, "runner": {"os": "Linux"},
                "inputs": self.inputs}

    def ref(self):
        return "refs/pull/0/merge" if self.event == "pull_request" else "refs/heads/main"

    def github_env(self, ws):
        g = self.ctx(ws)["github"]
        return {"GITHUB_WORKSPACE": ws, "GITHUB_EVENT_NAME": self.event, "GITHUB_REF": g["ref"],
                "GITHUB_SHA": self.commit, "GITHUB_REPOSITORY": g["repository"],
                "GITHUB_SERVER_URL": g["server_url"], "GITHUB_RUN_ID": "local"}

    def needs_ctx(self, spec):
        return {n: self.results.get(n, {"result": "skipped", "outputs": {}})
                for n in needs_of(spec)}

    def workflow(self, path, summary_dir):
        self.wf = load(path)
        on = self.wf["on"] if isinstance(self.wf["on"], dict) else {}
        declared = ((on.get("workflow_dispatch") or {}).get("inputs") or {}) \
            if self.event == "workflow_dispatch" else {}
        self.inputs = {k: (v or {}).get("default") for k, v in declared.items()}
        wf_name = os.path.splitext(os.path.basename(path))[0]
        if not triggered(self.wf, self.event):
            say(f"{wf_name}: not triggered by {self.event}")
            return True
        ok, self.results = True, {}
        for name in job_order(self.wf["jobs"]):
            spec = self.wf["jobs"][name]
            deps_failed = any(self.results.get(n, {}).get("result") != "success"
                              for n in needs_of(spec))
            ctx = dict(self.ctx(self.work), needs=self.needs_ctx(spec), env={})
            if not condition(spec.get("if"), ctx, {"failed": deps_failed}):
                say(f"{wf_name} / {name}: skipped (if: {spec.get('if')})")
                self.results[name] = {"result": "skipped", "outputs": {}}
                continue
            say(f"{wf_name} / {name}: on this machine"
                + (f" (GitHub runs it in {spec['container']['image']})"
                   if isinstance(spec.get("container"), dict) else ""))
            result, outputs, summary = Job(self, wf_name, name, spec).execute()
            self.results[name] = {"result": result, "outputs": outputs}
            say(f"{wf_name} / {name}: {result}")
            ok = ok and result == "success"
            if summary_dir and summary:
                with open(os.path.join(summary_dir, f"{wf_name}-{name}.md"), "w") as f:
                    f.write(summary)
        return ok


def say(msg):
    if msg:
        print(f"ci: {msg}", flush=True)


# ---- extract and check ------------------------------------------------------------

def each_run_step(wf):
    for jname, job in wf["jobs"].items():
        for n, step in enumerate(job.get("steps") or [], start=1):
            if "run" in step:
                yield jname, job, n, step


def cmd_extract(args):
    os.makedirs(args.dir, exist_ok=True)
    count = 0
    for path in args.workflows:
        wf = load(path)
        wf_name = os.path.splitext(os.path.basename(path))[0]
        for jname, job, n, step in each_run_step(wf):
            shell = step.get("shell") or ((job.get("defaults") or {}).get("run") or {}).get(
                "shell") or ((wf.get("defaults") or {}).get("run") or {}).get("shell") or "bash"
            body = EXPR_RE.sub("GITHUB_EXPRESSION", step["run"])
            with open(os.path.join(args.dir, f"{wf_name}-{jname}-{n:02d}.sh"), "w") as f:
                f.write(f"#!/bin/{'sh' if shell == 'sh' else 'bash'}\n"
                        f"# {path}, job {jname}, step {n}: {step.get('name', '')}\n"
                        "# (extracted by scripts/ci_workflow.py for ShellCheck)\n"
                        f"{'set -eo pipefail' if shell != 'sh' else 'set -e'}\n{body}")
            count += 1
    print(f"ci_workflow: {count} run: steps extracted to {args.dir}")
    return 0


SHA_PIN_RE = re.compile(r"@[0-9a-f]{40}$")   # owner/action@<commit>


def problems(path, wf):
    out = []
    if "pull_request_target" in (wf["on"] or {}):
        out.append("pull_request_target runs untrusted code with a write token: not used here")
    if "permissions" not in wf:
        out.append("no top-level permissions (set them to {} or read, and widen per job)")
    for jname, job in wf["jobs"].items():
        perms = job.get("permissions")
        if perms is None:
            out.append(f"job {jname}: no permissions of its own")
        elif isinstance(perms, str):
            out.append(f"job {jname}: permissions '{perms}' (name each permission it needs)")
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"secrets\.([A-Za-z0-9_]+)", text):
        if m.group(1) != "GITHUB_TOKEN":
            out.append(f"secret {m.group(1)}: only the workflow's own GITHUB_TOKEN is used")
    for jname, _, n, step in each_run_step(wf):
        if EXPR_RE.search(step["run"]):
            out.append(f"job {jname}, step {n}: ${{{{ }}}} inside run: (pass it through env:)")
    for jname, job in wf["jobs"].items():
        for n, step in enumerate(job.get("steps") or [], start=1):
            uses = step.get("uses", "")
            if uses and not SHA_PIN_RE.search(uses):
                out.append(f"job {jname}, step {n}: {uses} is not pinned by a full commit SHA")
    return out


def cmd_check(args):
    found = 0
    for path in args.workflows:
        for p in problems(path, load(path)):
            print(f"ci_workflow: {path}: {p}", file=sys.stderr)
            found += 1
    if not found:
        print(f"ci_workflow: {len(args.workflows)} workflow(s) follow the project's rules")
    return 1 if found else 0


def cmd_run(args):
    if not os.path.isdir(args.work) or os.listdir(args.work):
        raise Unsupported(f"--work: '{args.work}' must be an empty directory")
    if args.summary_dir:
        os.makedirs(args.summary_dir, exist_ok=True)
    run = Run(args)
    ok = True
    for path in args.workflows:
        ok = run.workflow(os.path.abspath(path), args.summary_dir) and ok
    say("all jobs passed" if ok else "a job FAILED")
    return 0 if ok else 1


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        print(f"ci_workflow: {message} (see scripts/ci_workflow.py --help)", file=sys.stderr)
        sys.exit(2)


def main(argv):
    ap = OneLineParser(prog="ci_workflow.py", epilog=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("run", "extract", "check"))
    ap.add_argument("workflows", nargs="+")
    ap.add_argument("--dir")
    ap.add_argument("--source")
    ap.add_argument("--commit")
    ap.add_argument("--work")
    ap.add_argument("--event", default="pull_request",
                    choices=("pull_request", "push", "schedule", "workflow_dispatch"))
    ap.add_argument("--summary-dir")
    args = ap.parse_args(argv)
    need = {"run": ("source", "commit", "work"), "extract": ("dir",), "check": ()}[args.command]
    for opt in need:
        if not getattr(args, opt):
            ap.error(f"{args.command} needs --{opt}")
    try:
        return {"run": cmd_run, "extract": cmd_extract, "check": cmd_check}[args.command](args)
    except Unsupported as e:
        print(f"ci_workflow: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
