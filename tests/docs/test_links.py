#!/usr/bin/env python3
"""test_links.py - every relative link in README.md and doc/*.md resolves.

A link [text](path#anchor) or image ![alt](path) whose target is not a URL
must name a file or directory of the tree (relative to the page that
holds it), and its #anchor, when given, a heading of the Markdown page it
points to (GitHub's anchors: lower case, punctuation dropped, spaces to
hyphens, -1, -2 for repeats).  Links inside code spans and fenced code
blocks are not links.  Also: README.md stays short (the manual is doc/).

Run: python3 -m unittest discover -s tests/docs   (or `make test-docs`)
"""
import os
import re
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
README_MAX_BYTES = 12 * 1024

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def prose_lines(text, keep_code_spans=False):
    """The lines of a Markdown text outside fenced code, code spans blanked
    unless asked to keep them."""
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line if keep_code_spans else re.sub(r"(`+)(?:(?!\1).)+?\1", "", line)


def slug(heading):
    """GitHub's anchor of a heading's text."""
    text = re.sub(r"`", "", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    """Every anchor of the headings of the Markdown file at path."""
    seen, out = {}, set()
    with open(path, encoding="utf-8") as f:
        for _, line in prose_lines(f.read(), keep_code_spans=True):
            m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if not m:
                continue
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base if n == 0 else f"{base}-{n}")
    return out


def broken_links(page):
    """(line, target, why) for every relative link of page that does not resolve."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    bad = []
    for number, line in prose_lines(text):
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                continue    # https:, mailto: ...
            path, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if not os.path.exists(dest):
                bad.append((number, target, "no such file"))
            elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                bad.append((number, target, f"no heading #{anchor} in {os.path.relpath(dest, TOP)}"))
    return bad


def pages():
    doc = os.path.join(TOP, "doc")
    found = [os.path.join(TOP, "README.md")]
    for root, _, files in os.walk(doc):
        found += [os.path.join(root, f) for f in sorted(files) if f.endswith(".md")]
    return found


class Links(unittest.TestCase):
    def test_every_relative_link_resolves(self):
        bad = [f"{os.path.relpath(p, TOP)}:{n}: ({t}) {why}"
               for p in pages() for n, t, why in broken_links(p)]
        self.assertEqual(bad, [], "broken links:\n" + "\n".join(bad))

    def test_the_manual_is_there(self):
        for name in ("cli", "csv", "methodology", "table", "ci", "python", "mpi", "workloads"):
            self.assertTrue(os.path.isfile(os.path.join(TOP, "doc", name + ".md")), name)

    def test_readme_stays_short(self):
        size = os.path.getsize(os.path.join(TOP, "README.md"))
        self.assertLessEqual(size, README_MAX_BYTES, "README.md: the manual goes to doc/")


class Checker(unittest.TestCase):
    """The checker itself finds what is broken, and only that."""

    def test_finds_a_missing_file_and_a_missing_anchor(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "b.md"), "w") as f:
                f.write("# Some `code` heading: here\n\n## Twice\n\n## Twice\n")
            page = os.path.join(d, "a.md")
            with open(page, "w") as f:
                f.write("[ok](b.md#some-code-heading-here) [ok2](b.md#twice-1) ![img](b.md)\n"
                        "[gone](nothere.md) [bad anchor](b.md#nope) [web](https://example.org/x)\n"
                        "`[code](notalink.md)`\n```\n[fenced](notalink.md)\n```\n[self](#missing)\n")
            got = [(n, t) for n, t, _ in broken_links(page)]
            self.assertEqual(got, [(2, "nothere.md"), (2, "b.md#nope"), (7, "#missing")])


if __name__ == "__main__":
    unittest.main()
