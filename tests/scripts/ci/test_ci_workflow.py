#!/usr/bin/python3
"""test_ci_workflow.py - scripts/ci_workflow.py, which reads the GitHub
workflows for scripts/ci_local.sh and make lint: its expressions, its
rules, and a local run of a small two-job workflow in a throw-away git
repository (steps, if:, GITHUB_ENV/OUTPUT/STEP_SUMMARY, job outputs,
artifacts between jobs, a failing step).  Needs python3-yaml: run with
Debian's /usr/bin/python3 (make test-ci does).

Run: /usr/bin/python3 -m unittest discover -s tests/scripts/ci
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "ci_workflow.py")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import ci_workflow as cw  # noqa: E402

CTX = {"github": {"event_name": "pull_request", "ref": "refs/pull/0/merge",
                  "event": {"pull_request": {"head": {"repo": {"full_name": "o/r"}}}},
                  "repository": "o/r"},
       "needs": {"a": {"result": "success", "outputs": {"measured": "true"}}},
       "inputs": {}, "steps": {}, "env": {}}

TWO_JOBS = """
name: t
on:
  pull_request:
permissions: {}
defaults:
  run:
    shell: bash
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    outputs:
      word: ${{ steps.w.outputs.word }}
    steps:
      - uses: actions/checkout@v4
      - id: w
        run: |
          test -f README
          mkdir -p out
          echo hello > out/file.txt
          echo "FROM_ENV=carried" >> "$GITHUB_ENV"
          echo "word=hello" >> "$GITHUB_OUTPUT"
          echo "## summary of a" >> "$GITHUB_STEP_SUMMARY"
      - run: test "$FROM_ENV" = carried
      - if: github.event_name == 'push'
        run: exit 1
      - uses: actions/upload-artifact@v4
        with:
          name: art
          if-no-files-found: error
          path: out/file.txt
  b:
    needs: a
    if: needs.a.outputs.word == 'hello'
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: art
          path: got
      - run: test "$(cat got/file.txt)" = hello
      - run: exit 3
      - if: failure()
        run: echo "after the failure" >> "$GITHUB_STEP_SUMMARY"
"""


def ev(text):
    return cw.Expr(text, CTX, {"failed": False}).value()


class Expressions(unittest.TestCase):
    def test_values(self):
        self.assertIs(ev("github.event_name == 'pull_request'"), True)
        self.assertIs(ev("github.event_name == 'PULL_REQUEST'"), True)   # case-insensitive
        self.assertIs(ev("github.event_name != 'pull_request' && true"), False)
        self.assertIs(ev("!cancelled() && (github.ref == 'x' || needs.a.result == 'success')"),
                      True)
        self.assertEqual(ev("needs.a.outputs.measured"), "true")
        self.assertIs(ev("github.event.pull_request.head.repo.full_name == github.repository"),
                      True)
        self.assertIs(ev("inputs.note != ''"), False)     # null == '' in GitHub's coercion
        self.assertIs(ev("contains('abc', 'B')"), True)
        self.assertIs(ev("startsWith(github.ref, 'refs/pull/')"), True)

    def test_unknown_is_refused(self):
        for text in ("matrix.os == 'x'", "hashFiles('x')", "github.ref ==", "a ~ b"):
            with self.subTest(text):
                with self.assertRaises(cw.Unsupported):
                    ev(text)

    def test_condition_means_success_and(self):
        self.assertTrue(cw.condition(None, CTX, {"failed": False}))
        self.assertFalse(cw.condition("true", CTX, {"failed": True}))
        self.assertTrue(cw.condition("${{ failure() }}", CTX, {"failed": True}))
        self.assertTrue(cw.condition("!cancelled()", CTX, {"failed": True}))

    def test_expand(self):
        self.assertEqual(cw.expand("x-${{ github.event_name }}-${{ 1 == 1 }}", CTX,
                                   {"failed": False}), "x-pull_request-true")


class Rules(unittest.TestCase):
    def problems(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
            f.write(textwrap.dedent(text))
            f.flush()
            return cw.problems(f.name, cw.load(f.name))

    def test_the_project_workflows_follow_them(self):
        for name in ("ci.yml", "bench.yml"):
            path = os.path.join(ROOT, ".github", "workflows", name)
            self.assertEqual(cw.problems(path, cw.load(path)), [], name)

    def test_each_rule(self):
        found = self.problems("""
            on: pull_request_target
            jobs:
              a:
                runs-on: x
                steps:
                  - run: echo ${{ github.head_ref }}
                  - uses: x/y@v1
                    with:
                      token: ${{ secrets.DEPLOY_KEY }}
              b:
                runs-on: x
                permissions: write-all
                steps: []
            """)
        text = "\n".join(found)
        for needle in ("pull_request_target", "no top-level permissions",
                       "job a: no permissions", "job b: permissions 'write-all'",
                       "secret DEPLOY_KEY", "job a, step 1",
                       "job a, step 2: x/y@v1 is not pinned by a full commit SHA"):
            self.assertIn(needle, text)


class LocalRun(unittest.TestCase):
    def test_two_jobs(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, work, summaries = (os.path.join(tmp, d) for d in ("src", "work", "sum"))
            os.makedirs(src)
            os.makedirs(work)
            git = ["git", "-C", src, "-c", "user.name=t", "-c", "user.email=t@t"]
            subprocess.run(["git", "init", "-q", src], check=True)
            with open(os.path.join(src, "README"), "w") as f:
                f.write("x\n")
            subprocess.run(git + ["add", "README"], check=True)
            subprocess.run(git + ["commit", "-qm", "x"], check=True)
            sha = subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True,
                                 text=True).stdout.strip()
            wf = os.path.join(tmp, "t.yml")
            with open(wf, "w") as f:
                f.write(TWO_JOBS)
            proc = subprocess.run([sys.executable, SCRIPT, "run", "--source", src, "--commit", sha,
                                   "--work", work, "--summary-dir", summaries, wf],
                                  capture_output=True, text=True)
            out = proc.stdout
            self.assertEqual(proc.returncode, 1, out + proc.stderr)   # b's exit 3
            self.assertIn("t / a: success", out)
            self.assertIn("step 4: exit 1: skipped", out)
            self.assertIn("artifact art copied to got", out)
            self.assertIn("FAILED: step 3 (exit 3)", out)
            self.assertIn("t / b: failure", out)
            with open(os.path.join(summaries, "t-a.md")) as f:
                self.assertEqual(f.read(), "## summary of a\n")
            with open(os.path.join(summaries, "t-b.md")) as f:
                self.assertEqual(f.read(), "after the failure\n")

    def test_work_dir_must_be_empty(self):
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "x"), "w").close()
            proc = subprocess.run([sys.executable, SCRIPT, "run", "--source", tmp, "--commit", "0",
                                   "--work", tmp, os.path.join(ROOT, ".github/workflows/ci.yml")],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 2)
            self.assertIn("empty directory", proc.stderr)


if __name__ == "__main__":
    unittest.main()
