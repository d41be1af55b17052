#!/usr/bin/env python3
"""report.py - one self-contained HTML page about a ptbench run.

Usage: python3 -m ptb.report [--csv results/bench.csv] [--plots results/plots]
                             [--findings results/findings.json]
                             [--table results/table.md] [--claims results/plots/claims]
                             [--headline results/plots/headline.svg] [-o results/report.html]

The page leads with the answer, on its first screen: the verdict matrix
(seed 000's rows by language, a coloured verdict and one figure a cell,
ptb.table.summary.matrix's content) and the headline figure (--headline;
by default results/plots/headline.svg, else .png; a note while there is
none).  The verdicts are read from findings.json (ptb/table/findings.py,
written by `make table`; the one source of every verdict).  Then, in
detail: seed 000's rows with the C and the Python verdict in the words of
table.md's summary (ptb.table.summary), every claim C1-C14 with each
language's verdict, why, and the commands that reproduce it.  Then one
chart per claim (--claims, drawn by ptb/plot/claims.py), the charts of
`make plots`, the long comparison table of table.md (its other sections
are built from findings.json here; no verdict is read from table.md), a
table of the medians behind the charts, the machine metadata from the meta
sidecar, and the commands that produced it all.  Every chart is inlined
as a data: URI, its SVG where one is beside the PNG, else the PNG, so the
file opens in a browser with no server and can be mailed.  Every figure
of the charts is computed here or by gnuplot from the CSV.

Bad input (missing or non-ptbench CSV, no charts in --plots, a
--findings named on the command line that is missing or not findings, a
--headline named that is missing or neither SVG nor PNG, a bad option): one line on stderr, exit status 2, nothing written.  With the
default findings path missing, the page says that there are no verdicts
yet.  The output is written to a temporary file and renamed, so a failure
never leaves a half-written report.
"""
import argparse
import base64
import html
import json
import os
import re
import statistics
import struct
import sys
import tempfile

from ptb.plot import csvkeys
from ptb.table import findings as findings_mod
from ptb.table import summary
from ptb.table.unstable import row_label, shown_verdict

DEFAULT_FINDINGS = "results/findings.json"
DEFAULT_HEADLINE = ("results/plots/headline.svg", "results/plots/headline.png")
NOT_MEASURED = summary.NOT_MEASURED


class Parser(argparse.ArgumentParser):
    """argparse, but bad options give one line and exit status 2."""

    def error(self, message):
        print(f"report: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def parse_args(argv):
    p = Parser(description="Write one self-contained HTML report of a ptbench run.")
    p.add_argument("--csv", default="results/bench.csv", help="ptbench CSV (meta beside it)")
    p.add_argument("--plots", default="results/plots", help="directory written by make plots")
    p.add_argument("--findings", default=None,
                   help=f"every verdict (make table; default {DEFAULT_FINDINGS}, "
                        "a note when that is missing)")
    p.add_argument("--table", default="results/table.md",
                   help="comparison table (markdown): the long table and its notes")
    p.add_argument("--claims", default="results/plots/claims",
                   help="claim charts (ptb/plot/claims.py; index.tsv)")
    p.add_argument("--headline", default=None,
                   help="the headline figure, SVG or PNG (default "
                        f"{' or '.join(DEFAULT_HEADLINE)}; a note when neither exists)")
    p.add_argument("-o", "--output", default="results/report.html", help="HTML file to write")
    return p.parse_args(argv)


# --- reading -----------------------------------------------------------------

def read_index(plots_dir):
    """(charts as (file, caption), notes) from plots_dir/index.tsv."""
    path = os.path.join(plots_dir, "index.tsv")
    try:
        with open(path) as f:
            lines = [ln.rstrip("\n").split("\t", 1) for ln in f if ln.strip()]
    except OSError:
        raise csvkeys.BadInput(f"no charts in {plots_dir} (index.tsv missing): run make plots")
    charts = [(name, cap) for name, cap in lines if name != "note" and name.endswith(".png")]
    notes = [cap for name, cap in lines if name == "note"]
    if not charts:
        raise csvkeys.BadInput(f"no PNG charts listed in {path}: run make plots")
    return charts, notes


def png_data_uri(path):
    """(data: URI, width, height in pixels) of a PNG file."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\x89PNG") or len(data) < 24:
        raise csvkeys.BadInput(f"{path}: not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii"), width, height


def svg_data_uri(path):
    """(data: URI, width, height in pixels) of an SVG file: the size its
    <svg> element gives (width and height, else the viewBox)."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.search(rb"<svg\b[^>]*>", data[:4096])
    if not m:
        raise csvkeys.BadInput(f"{path}: not an SVG file")
    tag = m.group(0)
    w, h = (re.search(rb'\s%s="([0-9.]+)(?:px)?"' % k, tag) for k in (b"width", b"height"))
    box = re.search(rb'viewBox="[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)"', tag)
    if w and h:
        width, height = float(w.group(1)), float(h.group(1))
    elif box:
        width, height = float(box.group(1)), float(box.group(2))
    else:
        raise csvkeys.BadInput(f"{path}: an SVG without width and height or viewBox")
    return ("data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"),
            round(width), round(height))


def chart_data_uri(path):
    """A chart inlined: the SVG beside a PNG when there is one (sharp at
    every width, and smaller), else the PNG; an .svg path as it is."""
    svg = path[:-4] + ".svg" if path.endswith(".png") else path
    if os.path.exists(svg):
        return svg_data_uri(svg)
    return png_data_uri(path)


# --- the medians table -------------------------------------------------------

def scale_time(ns):
    """(divisor, unit) for a time in ns, as the plots pick them."""
    for limit, div, unit in ((1e9, 1e9, "s"), (1e6, 1e6, "ms"), (1e4, 1e3, "µs")):
        if ns >= limit:
            return div, unit
    return 1, "ns"


def fmt(x):
    """Three significant digits, whole numbers from 100 up, no exponent
    between 0.001 and 10^9."""
    if abs(x) >= 1e9 or (x != 0 and abs(x) < 1e-3):
        return f"{x:.3g}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"


def row_value(row, metric, throughput):
    """The value a chart draws for one row (see ptb/plot/metric.gp),
    or None."""
    try:
        if metric == "pss_per_worker":
            return float(row["pss_kb"]) / int(row["workers"]) / 1024
        if metric == "result":
            return float(row["result"])
        ns = float(row["ns_per_op"])
    except (KeyError, ValueError, ZeroDivisionError):
        return None
    if ns <= 0:
        return None
    return 1e9 / ns / 1048576 if throughput else ns


def group_values(rows, workload, model, workers, params, metric, throughput):
    out = []
    for r in rows:
        if (r["workload"] == workload and r["model"] == model and r["workers"] == str(workers)
                and r["params"] == params and r["ok"] == "1"):
            v = row_value(r, metric, throughput)
            if v is not None:
                out.append(v)
    return out


def medians_section(rows, workloads):
    """One table per workload variant: workers down, series across."""
    parts = []
    for w in workloads:
        metric = w["metric"]
        throughput = w["op"] == "byte" and metric == "ns_per_op"
        for v in w["variants"]:
            cells = {}
            for s in v["series"]:
                model = s["name"].split(":")[0]
                for n, params in zip(s["workers"], s["params"]):
                    vals = group_values(rows, w["name"], model, n, params, metric, throughput)
                    if vals:
                        cells[(s["name"], n)] = (statistics.median(vals), min(vals), max(vals))
            if not cells:
                continue
            biggest = max(c[0] for c in cells.values())
            div, unit = scale_time(biggest) if metric == "ns_per_op" and not throughput else (1, "")
            what = ("throughput, MiB/s" if throughput else
                    f"{unit} per {w['op']}" if metric == "ns_per_op" else
                    "MiB PSS per worker" if metric == "pss_per_worker" else w["mlabel"])
            names = [s["name"] for s in v["series"]]
            workers = sorted({n for s in v["series"] for n in s["workers"]})
            head = "".join(f"<th>{html.escape(csvkeys_label(s))}</th>" for s in names)
            body = []
            for n in workers:
                tds = []
                for s in names:
                    c = cells.get((s, n))
                    tds.append("<td>—</td>" if c is None else
                               f"<td>{fmt(c[0] / div)} <span class=spread>"
                               f"[{fmt(c[1] / div)} – {fmt(c[2] / div)}]</span></td>")
                body.append(f"<tr><th>{n}</th>{''.join(tds)}</tr>")
            parts.append(
                f"<h3>{html.escape(w['name'])}: {html.escape(v['label'])}</h3>"
                f"<p class=unit>{html.escape(what)}; median [minimum – maximum]</p>"
                f"<div class=wide><table class=figures><tr><th>workers</th>{head}</tr>"
                f"{''.join(body)}</table></div>")
    return "\n".join(parts)


def csvkeys_label(series):
    model, _, mode = series.partition(":")
    return f"{model} ({mode})" if mode else model


# --- markdown (the subset results/table.md uses) -----------------------------

def inline_md(text):
    """Escape, then `code`, **bold**, *italic*, [text](url), and <br>."""
    out = []
    for i, piece in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2:
            out.append(f"<code>{html.escape(piece[1:-1])}</code>")
            continue
        s = html.escape(piece, quote=False)
        s = s.replace("&lt;br&gt;", "<br>")
        s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
        s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", s)
        s = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)",
                   lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', s)
        out.append(s)
    return "".join(out)


def table_cells(line):
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [c.strip().replace("\\|", "|") for c in cells]


def markdown(text):
    """Headings, paragraphs, pipe tables, nested bullet lists, fenced code."""
    out, para, lines, i = [], [], text.splitlines(), 0

    def flush():
        if para:
            out.append(f"<p>{inline_md(' '.join(para))}</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append(f"<pre>{html.escape(chr(10).join(lines[i + 1:j]))}</pre>")
            i = j + 1
            continue
        m = re.match(r"(#{1,6})\s+(.*)", line)
        if m:
            flush()
            level = min(len(m.group(1)) + 2, 6)
            out.append(f"<h{level}>{inline_md(m.group(2))}</h{level}>")
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and \
                re.match(r"\s*\|?\s*:?-{3,}", lines[i + 1]):
            flush()
            head = table_cells(line)
            i += 2
            body = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                body.append(table_cells(lines[i]))
                i += 1
            out.append("<div class=wide><table class=md><tr>" +
                       "".join(f"<th>{inline_md(c)}</th>" for c in head) + "</tr>" +
                       "".join("<tr>" + "".join(f"<td>{inline_md(c)}</td>" for c in r) + "</tr>"
                               for r in body) + "</table></div>")
            continue
        elif re.match(r"\s*[-*]\s+", line):
            flush()
            i = bullet_list(lines, i, out)
            continue
        elif not line.strip():
            flush()
        else:
            para.append(line.strip())
        i += 1
    flush()
    return "\n".join(out)


def bullet_list(lines, i, out):
    """A (nested by indentation) bullet list starting at lines[i]."""
    depth_stack = []
    while i < len(lines):
        m = re.match(r"(\s*)[-*]\s+(.*)", lines[i])
        if not m:
            break
        indent = len(m.group(1))
        if not depth_stack or indent > depth_stack[-1]:
            out.append("<ul>")
            depth_stack.append(indent)
        while depth_stack and indent < depth_stack[-1]:
            out.append("</ul>")
            depth_stack.pop()
        out.append(f"<li>{inline_md(m.group(2))}</li>")
        i += 1
    out.extend("</ul>" for _ in depth_stack)
    return i


# --- the page ----------------------------------------------------------------

WIDEST_CHART_PX = 1400  # canvas_w of a multi-column chart (ptb/plot/common.gp)
CLAIM_CHART_PX = 1500   # width of a two-panel claim chart (ptb/plot/claim.gp)

# Chinese (the seed's words) after DejaVu, which has no CJK glyphs: Debian's
# fonts-wqy-microhei (scripts/deps.sh) or fonts-noto-cjk, else the system's.
FONTS = ('"DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", '
         '"Microsoft YaHei", "PingFang SC", system-ui, sans-serif')

CSS = """
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: FONTS; margin: 0; color: #222;
       background: #fafafa; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 0.8em 2em 4em; background: #fff;
       overflow-wrap: break-word; }
h1 { margin: 0.2em 0 0.1em; font-size: 1.7em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
:lang(zh) { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
            "Microsoft YaHei", "PingFang SC", FONTS; }
.sub { color: #555; margin-top: 0.4em; font-size: 0.92em; }
nav a { margin-right: 1.2em; display: inline-block; }
figure { margin: 1.5em 0 2.5em; }
figure img { width: var(--w, 100%); max-width: 100%; height: auto; border: 1px solid #e4e4e4;
             box-sizing: border-box; display: block; }
figcaption { color: #444; font-size: 0.9em; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
table.figures td { text-align: right; white-space: nowrap; }
.spread { color: #777; font-size: 0.88em; }
.unit { color: #555; margin: 0; font-size: 0.92em; }
.note { background: #fff6e0; border-left: 4px solid #e0a800; padding: 0.4em 0.8em; }
.wide { overflow-x: auto; max-width: 100%; } table.meta td { overflow-wrap: anywhere; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
code { overflow-wrap: anywhere; }
pre { background: #f5f5f5; padding: 0.7em 1em; overflow-x: auto; white-space: pre-wrap; }
table.glance { font-size: 0.9em; width: 100%; } table.glance th { width: 11em; }
table.glance td.verdict { width: 34%; }
/* the first screen: the verdict matrix and the headline figure */
.answer h2 { margin: 0.3em 0 0.2em; font-size: 1.25em; }
.answer .wide { margin: 0; }
table.matrix { margin: 0.3em 0 0.4em; font-size: 0.9em; width: 100%; line-height: 1.3; }
table.matrix th, table.matrix td { padding: 0.3em 0.45em; }
table.matrix th[scope=row] { font-weight: normal; background: #f7f7f7; }
table.matrix .t { display: inline-block; }
table.matrix th[scope=row] { width: 42%; }
table.matrix .badge { display: inline-block; max-width: 100%; overflow-wrap: anywhere; }  /* a long 'depends on …' wraps inside its pill */
table.matrix .name { margin-right: 0.4em; }
table.matrix .zh { color: #444; }
table.matrix .says { display: block; color: #555; font-size: 0.86em; }
.badge { font-weight: bold; border-radius: 0.8em; padding: 0.05em 0.55em; border: 1px solid;
         margin-right: 0.3em; }
.b-holds { background: #dcf3e2; color: #135c27; border-color: #6cc486; }
.b-fails { background: #fde3e1; color: #a1160c; border-color: #ec8f86; }
.b-depends { background: #fff0c7; color: #7a4f00; border-color: #e6b94d; }
.b-grey { background: #ececec; color: #444; border-color: #b8b8b8; }
.fig { color: #333; font-variant-numeric: tabular-nums; }
.legend { font-size: 0.8em; color: #555; margin: 0.2em 0 0; }
figure.headline { margin: 0; }
figure.headline img { width: auto; max-height: calc(100vh - 9.5em); margin: 0 auto; }
figure.headline figcaption { font-size: 0.82em; }
.answer .headline .note { margin-top: 2.2em; }
@media (min-width: 1000px) {
  .answer.with-figure { display: grid; grid-template-columns: minmax(0, 9fr) minmax(0, 11fr);
            gap: 0 1.5em; align-items: start; }
  .answer h2 { grid-column: 1 / -1; }
}
@media (max-width: 999px) {
  figure.headline { margin-top: 1em; }
  figure.headline img { max-height: none; width: 100%; }
}
@media (max-width: 700px) {
  main { padding: 0.5em 0.6em 3em; } h1 { font-size: 1.3em; }
  figure img { width: 100%; }
  table.matrix { font-size: 0.86em; }
  table.matrix, table.matrix tbody { display: block; }
  table.matrix tr { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
                    border: 1px solid #ddd; border-top: 0; }
  table.matrix tr:first-child { border-top: 1px solid #ddd; }
  table.matrix th, table.matrix td { border: 0; }
  table.matrix tr:first-child th:first-child { display: none; }
  table.matrix th[scope=row] { grid-column: 1 / -1; width: auto; }
  table.matrix td + td { border-left: 1px solid #eee; }
  table.glance, table.glance tbody, table.glance tr, table.glance th, table.glance td {
    display: block; width: auto; border: 0; }
  table.glance td.verdict { width: auto; }
  table.glance tr:first-child { display: none; }
  table.glance tr { border: 1px solid #ddd; margin-bottom: 0.7em; }
  table.glance td[data-lang=C]::before { content: "C: "; font-weight: bold; }
  table.glance td[data-lang=CPython]::before { content: "Python: "; font-weight: bold; }
}
.v-holds { color: #17692c; } .v-fails { color: #b42318; } .v-depends { color: #8a5a00; }
.v-undecided { color: #6f42c1; } .v-no, .v-not { color: #666; }
ul.claims { list-style: none; padding-left: 0; } ul.claims > li { margin: 0.7em 0; }
ul.langs { margin: 0.15em 0 0.2em; padding-left: 1.3em; font-size: 0.92em; }
.lang { font-weight: bold; }
details { margin: 0.2em 0 0.4em 1.3em; font-size: 0.9em; }
details > table, details > div { margin-left: 0; } summary { cursor: pointer; color: #555; }
""".replace("FONTS", FONTS)


def meta_table(meta):
    if not meta:
        return "<p class=note>No meta sidecar beside the CSV: the machine is unknown.</p>"
    rows = []
    for key, value in meta.items():
        text = value if isinstance(value, str) else json.dumps(value)
        rows.append(f"<tr><th>{html.escape(key)}</th><td>{html.escape(text)}</td></tr>")
    return f"<div class=wide><table class=meta>{''.join(rows)}</table></div>"


def commands(args, meta):
    lines = []
    cmd = str(meta.get("command_line", "")).strip()
    if cmd:
        for part in cmd.split(" && "):
            lines.append(part if part.startswith("ptbench") else "build/ptbench " + part)
    lines.append("make table                 # measures seed 000's table: "
                 f"results/table.md, {args.findings or DEFAULT_FINDINGS}")
    lines.append(f"make plots CSV={args.csv}    # ptb/plot/plots.sh {args.csv} {args.plots}")
    lines.append(f"make report CSV={args.csv}   # python3 -m ptb.report --csv {args.csv} "
                 f"--plots {args.plots} --table {args.table}"
                 + (f" --findings {args.findings}" if args.findings else "") + f" -o {args.output}")
    return "<pre>" + html.escape("\n".join(lines)) + "</pre>"


def figures_html(charts, directory, widest_px):
    """<figure>s of charts, inlined (SVG where there is one, else PNG).
    Same scale for every chart: a canvas widest_px wide fills the column
    (on a phone every chart fills it)."""
    figures = []
    for name, caption in charts:
        uri, width_px, height_px = chart_data_uri(os.path.join(directory, name))
        width_pc = min(100, round(100 * width_px / widest_px))
        figures.append(f'<figure id="{html.escape(name[:-4])}"><img style="--w: {width_pc}%" '
                       f'width="{width_px}" height="{height_px}" src="{uri}" '
                       f'alt="{html.escape(caption)}"><figcaption>{html.escape(caption)}'
                       '</figcaption></figure>')
    return figures


FROM_FINDINGS = ("## At a glance", "## Every claim")


def table_detail(text):
    """table.md without the sections the report builds from findings.json
    (the summary and the claim list): the long table and the notes."""
    out, skip = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            skip = line.strip() in FROM_FINDINGS
        if not skip:
            out.append(line)
    return "\n".join(out)


# --- the verdicts, from findings.json ----------------------------------------

SHOWN = {"C": "C", "CPython": "Python"}


def load_findings(args):
    """(findings or None, note html).  --findings named on the command line
    must load (BadFindings otherwise); the default may be missing: a note."""
    path = args.findings or DEFAULT_FINDINGS
    if args.findings is None and not os.path.exists(path):
        return None, ("<p class=note>No verdicts yet: <code>" + html.escape(path) +
                      "</code> does not exist. Run <code>make table</code>, then "
                      "<code>make report</code> again.</p>")
    return findings_mod.load(path), ""


def verdict_html(md):
    """A verdict in the table's words (Markdown from ptb.table.summary or
    ptb.table.unstable) as HTML, each verdict word coloured."""
    text = inline_md(md)
    return re.sub(r"<strong>(undecided|depends on|holds|fails|depends|no verdict)</strong>",
                  lambda m: f"<strong class=\"v v-{m.group(1).split()[0]}\">"
                            f"{m.group(1)}</strong>", text)


def rows_html(findings):
    """Seed 000's rows: what the seed says, and the verdict in C and in
    Python (ptb.table.summary.rows, the words of table.md's summary)."""
    body, figures = [], []
    for row, (name, says, measured, c, py) in zip(findings["rows"], summary.rows(findings)):
        key = html.escape(row["en"])
        body.append(f"<tr><th>{inline_md(name)}</th><td>{inline_md(says)}</td>"
                    f"<td class=verdict data-row=\"{key}\" data-lang=C>{verdict_html(c)}</td>"
                    f"<td class=verdict data-row=\"{key}\" data-lang=CPython>{verdict_html(py)}"
                    "</td></tr>")
        figures.append(f"<tr><th>{inline_md(name)}</th><td>{inline_md(measured)}</td></tr>")
    return ("<div class=wide><table class=glance><tr><th>seed row</th><th>the seed says</th>"
            "<th>C</th><th>Python</th></tr>" + "".join(body) + "</table></div>"
            "<details><summary>The figures behind each row (medians; ratio process ÷ thread)"
            "</summary><div class=wide><table class=md><tr><th>seed row</th><th>measured here"
            "</th></tr>" + "".join(figures) + "</table></div></details>")


BADGE = {"holds": "holds", "fails": "fails", "depends": "depends",
         "depends on": "depends"}   # others (undecided among them): grey


def first_of(named):
    """' shm +1' for ' shm, shm encoded': the first condition a badge names
    and how many more (the cell's title lists them all), so that a badge
    stays one short line on a phone's first screen."""
    parts = [p.strip() for p in named.split(",") if p.strip()]
    return f" {parts[0]} +{len(parts) - 1}" if len(parts) > 1 else named


def matrix_html(findings):
    """The verdict matrix (ptb.table.summary.matrix's content) as an HTML
    table: seed 000's rows by language, each cell a coloured verdict badge
    and the one figure (process ÷ thread); the legend below it."""
    body = []
    for row in findings["rows"]:
        name = (f"<span class=\"t name\"><strong>{html.escape(row['en'])}</strong></span> "
                f"<span class=\"t zh\" lang=zh-Hans>{html.escape(row.get('zh', ''))}</span>"
                f"<span class=\"t says\">{inline_md(row['says'])} "
                f"({html.escape(', '.join(row['claims']))})</span>")
        cells = []
        for lang in ("C", "CPython"):
            badge = summary.badge(findings, row, lang)
            word, named = re.search(r"\*\*(.+)\*\*(.*)", badge).groups()
            named = first_of(named)
            mark = summary.MARK.get(word, "")
            rec = row["languages"][lang]
            why = unstable_why(findings, row, lang)
            title = f' title="{html.escape(why)}"' if why else ""
            figure = (f' <span class="t fig">{html.escape(rec["headline"])}</span>'
                      if rec.get("headline") else "")
            marked = summary.inconsistent_mark(rec)
            figure += (f' <span class="t fig inconsistent">{html.escape(marked.strip())}</span>'
                       if marked else "")
            cells.append(f"<td data-cell=\"{html.escape(row['en'])}\" data-lang={lang}{title}>"
                         f"<span class=\"t badge b-{BADGE.get(word, 'grey')}\">"
                         f"{mark} {html.escape(word + named)}</span>{figure}</td>")
        body.append(f"<tr><th scope=row>{name}</th>{''.join(cells)}</tr>")
    return ("<div class=wide><table class=matrix><tr><th scope=col>seed 000 says</th>"
            "<th scope=col>C</th><th scope=col>CPython</th></tr>" + "".join(body) +
            f"</table></div><p class=legend>{inline_md(summary.LEGEND)}</p>")


def unstable_why(findings, row, lang):
    """Why a cell says depends on or undecided (make table-stability's
    runs disagreed), in plain words ('' when it does not)."""
    mark = row_label(findings, row, lang)
    if not mark:
        return ""
    return re.sub(r"\*\*", "", f"{mark}; this run: {row['languages'][lang]['verdict']}")


def headline_html(args):
    """(html, drawn): the headline figure (every claim at once), inlined,
    or a note while it is not drawn.  A --headline named that is
    missing: BadInput."""
    paths = [args.headline] if args.headline else list(DEFAULT_HEADLINE)
    path = next((p for p in paths if os.path.exists(p)), None)
    if path is None:
        if args.headline:
            raise csvkeys.BadInput(f"{args.headline}: no such headline figure")
        return ("<div class=headline><p class=note>No headline figure yet (every claim at "
                f"once): neither <code>{html.escape(DEFAULT_HEADLINE[0])}</code> nor "
                f"<code>.png</code> exists. The claims are charted one by one "
                "<a href=\"#claims\">below</a>.</p></div>", False)
    if path.endswith(".svg"):
        uri, width, height = svg_data_uri(path)
    elif path.endswith(".png"):
        uri, width, height = png_data_uri(path)
    else:
        raise csvkeys.BadInput(f"{path}: the headline figure must be .svg or .png")
    caption = "Every claim at once: process ÷ thread per claim and language."
    index = os.path.join(os.path.dirname(path), "index.tsv")
    if os.path.exists(index):
        with open(index, encoding="utf-8") as f:
            for line in f:
                name, _, text = line.rstrip("\n").partition("\t")
                if name.startswith("headline.") and text:
                    caption = text
                    break
    return (f'<figure class=headline id=headline><img width="{width}" height="{height}" '
            f'src="{uri}" alt="{html.escape(caption)}"><figcaption>{html.escape(caption)} '
            f'(<code>{html.escape(os.path.basename(path))}</code>)</figcaption></figure>', True)


def claim_language_html(cid, lang, rec):
    """One language's verdict on a claim: the verdict (depends on … or
    undecided when the stability runs differed), then why; "not measured"
    and its reason only where findings.json says so."""
    if rec["verdict"] == NOT_MEASURED:
        verdict = f"<strong class=\"v v-not\">{NOT_MEASURED}</strong>"
        why = rec.get("not_measured") or rec.get("why") or ""
    else:
        verdict, why = verdict_html(shown_verdict(rec)), rec["why"]
    return (f"<li data-claim={cid} data-lang={lang}><span class=lang>{SHOWN[lang]}</span>: "
            f"<span class=verdict>{verdict}</span>"
            + (f" — {inline_md(why)}" if why else "") + "</li>")


def claims_html(findings):
    """Every claim C1-C14: each language's verdict and why, then the figure
    lines and the commands that reproduce it (folded)."""
    items = []
    for c in findings["claims"]:
        cid = html.escape(c["id"])
        langs = c["languages"]
        order = [lang for lang in ("C", "CPython") if lang in langs]
        lines = [f"{SHOWN[lang]}: {ln}" for lang in order for ln in langs[lang].get("lines", [])]
        fold = ""
        if lines or c["reproduce"]:
            fold = ("<details><summary>figures and the commands that reproduce it</summary>"
                    + ("<ul>" + "".join(f"<li>{inline_md(ln)}</li>" for ln in lines) + "</ul>"
                       if lines else "")
                    + (f"<pre>{html.escape(chr(10).join(c['reproduce']))}</pre>"
                       if c["reproduce"] else "") + "</details>")
        items.append(f"<li id=\"claim-{cid}\"><strong>{cid}</strong> {inline_md(c['claim'])}"
                     "<ul class=langs>" + "".join(claim_language_html(cid, lang, langs[lang])
                                                  for lang in order) + "</ul>" + fold + "</li>")
    return "<ul class=claims>" + "".join(items) + "</ul>"


def verdicts_html(findings, path):
    """The verdict section: seed 000's rows, then every claim."""
    try:
        return ("<p class=unit>Seed 000's rows, then every claim, as findings.json has them; "
                "statistics and every condition: <a href=\"#table\">the comparison table</a>."
                "</p>" + rows_html(findings) +
                "<h3 id=\"every-claim\">Every claim, in C and in Python</h3>" +
                claims_html(findings))
    except (KeyError, TypeError, AttributeError, StopIteration, ValueError) as e:
        raise findings_mod.BadFindings(f"{path}: not the findings this report reads "
                                       f"({type(e).__name__}: {e})") from e


def findings_source(findings, path):
    """Where the verdicts come from, for the subtitle."""
    if findings is None:
        return "Verdicts: none yet (<code>make table</code> writes them)."
    run = findings["run"]
    return (f"Verdicts: <code>{html.escape(path)}</code> (<code>make table</code>, "
            f"{html.escape(str(run.get('mode', '?')))} mode, {html.escape(str(run.get('date', '?')))}, "
            f"git {html.escape(str(run.get('git', '?')))}).")


def claims_section(args):
    """(html of the claim charts, notes) from --claims; a note when absent."""
    try:
        charts, notes = read_index(args.claims)
    except csvkeys.BadInput:
        return (f"<p class=note>No claim charts in <code>{html.escape(args.claims)}</code>: "
                "run <code>make claim-charts</code> (or <code>make table</code>).</p>", [])
    return "".join(figures_html(charts, args.claims, CLAIM_CHART_PX)), notes


def page(args, rows, meta, charts, notes):
    workloads = csvkeys.describe(rows)
    machine = csvkeys.machine_line(meta)
    failed = sum(1 for r in rows if r["ok"] != "1")
    findings_path = args.findings or DEFAULT_FINDINGS
    findings, verdict_section = load_findings(args)
    matrix = verdict_section
    if findings is not None:
        verdict_section = verdicts_html(findings, findings_path)
        try:
            matrix = matrix_html(findings)
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            raise findings_mod.BadFindings(f"{findings_path}: not the findings this report "
                                           f"reads ({type(e).__name__}: {e})") from e
    headline, drawn = headline_html(args)
    charts = [(name, cap) for name, cap in charts if not name.startswith("headline.")]
    if os.path.exists(args.table):
        with open(args.table, encoding="utf-8") as f:
            text = f.read()
        table_html = markdown(table_detail(text))
        table_src = (f"<p class=unit>From <code>{html.escape(args.table)}</code> "
                     "(<code>make table</code>); its verdicts are those of "
                     "<a href=\"#verdicts\">the findings</a>.</p>")
        if findings is not None and str(findings["run"].get("date")) not in text:
            table_src += (f"<p class=note><code>{html.escape(args.table)}</code> is not of the "
                          f"run of <code>{html.escape(findings_path)}</code> "
                          f"({html.escape(str(findings['run'].get('date')))}): run "
                          "<code>make table</code> again.</p>")
    else:
        table_html = ""
        table_src = (f"<p class=note><code>{html.escape(args.table)}</code> does not exist yet: "
                     "run <code>make table</code> to measure seed 000's comparison table, "
                     "then <code>make report</code> again.</p>")
    figures = figures_html(charts, args.plots, WIDEST_CHART_PX)
    claim_html, claim_notes = claims_section(args)
    claim_html += "".join(f"<p class=note>{html.escape(n)}</p>" for n in claim_notes)
    note_html = "".join(f"<p class=note>{html.escape(n)}</p>" for n in notes)
    if failed:
        note_html += (f"<p class=note>{failed} of {len(rows)} rows have ok≠1 (failed, "
                      "crashed or timed out): left out of every chart and figure.</p>")
    csv_summary = (f"{len(rows)} rows, {len(workloads)} workload(s): "
               f"{', '.join(w['name'] for w in workloads)}; "
               f"models: {', '.join(sorted({r['model'] for r in rows}))}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ptbench report: {html.escape(machine)}</title>
<style>{CSS}</style></head>
<body><main>
<h1>ptbench: processes against threads, measured</h1>
<section class="{'answer with-figure' if drawn else 'answer'}" id=answer>
<h2>Verdicts at a glance</h2>
<div class=matrix-box>{matrix}</div>
{headline}
</section>
<p class=sub>{findings_source(findings, findings_path)} Charts and figures:
<code>{html.escape(args.csv)}</code> ({html.escape(machine)}; {html.escape(csv_summary)}).</p>
<nav><a href="#verdicts">Verdicts in detail</a> <a href="#claims">Claim charts</a>
<a href="#charts">Benchmark charts</a> <a href="#table">Comparison table</a>
<a href="#figures">Figures</a> <a href="#machine">Machine</a> <a href="#commands">Commands</a></nav>
<h2 id="verdicts">Every seed row and claim</h2>
{verdict_section if findings is not None else ""}
<h2 id="claims">One chart per claim</h2>
<p>From <code>results/table.csv</code> (<code>make table</code>): medians, bars and whiskers the
interquartile range; processes and threads in the same colours as every chart.</p>
{claim_html}
<h2 id="charts">Benchmark charts</h2>
<p>From <code>{html.escape(args.csv)}</code>.</p>
{note_html}
<p>Points and bars are medians over the repetitions; error bars and whiskers span
minimum to maximum. One colour per model in every chart.</p>
{''.join(figures)}
<h2 id="table">Comparison table</h2>
{table_src}
{table_html}
<h2 id="figures">Figures behind the charts</h2>
{medians_section(rows, workloads)}
<h2 id="machine">Machine and run</h2>
{meta_table(meta)}
<h2 id="commands">Commands</h2>
{commands(args, meta)}
</main></body></html>
"""


def write_atomically(path, text):
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".report.", suffix=".html", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv):
    args = parse_args(argv)
    try:
        header, rows = csvkeys.load(args.csv)
        charts, notes = read_index(args.plots)
        text = page(args, rows, csvkeys.load_meta(args.csv), charts, notes)
    except (csvkeys.BadInput, findings_mod.BadFindings) as e:
        print(f"report: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"report: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    if not os.path.isdir(os.path.dirname(args.output) or "."):
        print(f"report: directory of {args.output} does not exist", file=sys.stderr)
        return 2
    write_atomically(args.output, text)
    print(f"report: {args.output} ({len(text) // 1024} KiB, {len(charts)} charts)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
