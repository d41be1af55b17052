"""test_package.py - the analysis package ptb/ as a whole: no module
reaches another through sys.path, and no import circle exists between its
modules, at the top of a file or inside a function (a lazy import hides a
circle; it does not remove it).

Run: python3 -m unittest discover -s tests/scripts/package   (or `make test-package`)
"""
import ast
import os
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PACKAGE = os.path.join(ROOT, "ptb")


def modules():
    """{dotted name: path} of every module in ptb/."""
    out = {}
    for dirpath, _, files in os.walk(PACKAGE):
        for f in files:
            if f.endswith(".py"):
                rel = os.path.relpath(os.path.join(dirpath, f), ROOT)[:-3].replace(os.sep, ".")
                out[rel[:-len(".__init__")] if rel.endswith(".__init__") else rel] = \
                    os.path.join(dirpath, f)
    return out


def imported(tree, known):
    """The ptb modules a parsed file imports, wherever the import stands;
    importlib.import_module("ptb.x") counts too."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(node.args[0].value)
    # "from ptb.table import render" names ptb.table.render; a package's
    # __init__ is no edge of its own
    return {n for n in names if n in known and known[n].endswith(".py")
            and not known[n].endswith("__init__.py")}


def graph():
    known = modules()
    edges = {}
    for name, path in known.items():
        with open(path, encoding="utf-8") as f:
            edges[name] = imported(ast.parse(f.read(), path), known) - {name}
    return edges


def find_cycle(edges):
    """One import circle as [a, b, ..., a], or None."""
    state = {}

    def visit(n, stack):
        state[n] = "open"
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == "open":
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m, stack)
                if found:
                    return found
        stack.pop()
        state[n] = "done"
        return None

    for n in sorted(edges):
        if n not in state:
            found = visit(n, [])
            if found:
                return found
    return None


class Package(unittest.TestCase):
    def test_no_sys_path_insert(self):
        for name, path in modules().items():
            with open(path, encoding="utf-8") as f:
                self.assertNotIn("sys.path.insert", f.read(), path)

    def test_no_import_circle(self):
        cycle = find_cycle(graph())
        self.assertIsNone(cycle, "import circle: " + " -> ".join(cycle or []))

    def test_no_view_judges(self):
        """The views read findings.json: none imports the verdicts or the
        registry of analyses (doc/architecture.md)."""
        views = ("ptb.table.render", "ptb.table.summary", "ptb.table.unstable", "ptb.table.readme",
                 "ptb.report", "ptb.compare", "ptb.plot.claims", "ptb.plot.headline",
                 "ptb.table.stability")
        judges = {"ptb.table.verdicts", "ptb.table.analysis", "ptb.table.collect"}
        edges = graph()
        for view in views:
            self.assertIn(view, edges, "a view was renamed: update this list")
            self.assertFalse(edges[view] & judges, f"{view} imports {edges[view] & judges}")

    def test_the_check_finds_a_circle(self):
        """The detector itself: a circle made by hand is found, lazy or not."""
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}), ["a", "b", "c", "a"])
        self.assertIsNone(find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}))
        lazy = ast.parse("def f():\n    import importlib\n    importlib.import_module('ptb.x')\n")
        self.assertEqual(imported(lazy, {"ptb.x": "ptb/x.py"}), {"ptb.x"})

    def test_every_entry_point_imports(self):
        """Every module of the package imports in a fresh interpreter
        (catches a name that a move left behind)."""
        import subprocess
        import sys
        names = [n for n, p in modules().items() if not p.endswith("__main__.py")]
        code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
        done = subprocess.run([sys.executable, "-c", code] + names, cwd=ROOT, capture_output=True,
                              text=True)
        self.assertEqual(done.returncode, 0, done.stderr)


if __name__ == "__main__":
    unittest.main()
