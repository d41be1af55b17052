#!/usr/bin/env python3
"""report.py - one self-contained HTML page about a ptbench run.

Usage: python3 -m ptb.report [--csv results/bench.csv] [--plots results/plots]
                             [--findings results/findings.json]
                             [--table results/table.md] [--claims results/plots/claims]
                             [-o results/report.html]

The page leads with the answer: the verdicts, read from findings.json
(ptb/table/findings.py, written by `make table`; the one source of every
verdict): seed 000's rows with the C and the Python verdict in the words of
table.md's summary (ptb.table.summary), then every claim C1-C14 with each
language's verdict, why, and the commands that reproduce it.  Then one
chart per claim (--claims, drawn by ptb/plot/claims.py), the charts of
`make plots`, the long comparison table of table.md (its other sections
are built from findings.json here; no verdict is read from table.md), a
table of the medians behind the charts, the machine metadata from the meta
sidecar, and the commands that produced it all.  Every chart is a PNG
inlined as base64, so the file opens in a browser with no server and can
be mailed.  Every figure of the charts is computed here or by gnuplot from
the CSV.

Bad input (missing or non-ptbench CSV, no charts in --plots, a
--findings named on the command line that is missing or not findings, a
bad option): one line on stderr, exit status 2, nothing written.  With the
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
from ptb.table.unstable import shown_verdict

DEFAULT_FINDINGS = "results/findings.json"
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
                   help="claim charts (scripts/plot/claims.py; index.tsv)")
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
    """(data: URI, width in pixels) of a PNG file."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\x89PNG") or len(data) < 24:
        raise csvkeys.BadInput(f"{path}: not a PNG file")
    width = struct.unpack(">I", data[16:20])[0]
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii"), width


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
    """The value a chart draws for one row (see scripts/plot/metric.gp),
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

WIDEST_CHART_PX = 1400  # canvas_w of a multi-column chart (scripts/plot/common.gp)
CLAIM_CHART_PX = 1500   # width of a two-panel claim chart (scripts/plot/claim.gp)

CSS = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #222;
       background: #fafafa; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5em 2em 4em; background: #fff; }
h1 { margin-bottom: 0.1em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.sub { color: #555; margin-top: 0; }
nav a { margin-right: 1.2em; }
figure { margin: 1.5em 0 2.5em; } figure img { max-width: 100%; height: auto;
  border: 1px solid #e4e4e4; }
figcaption { color: #444; font-size: 0.95em; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
table.figures td { text-align: right; white-space: nowrap; }
.spread { color: #777; font-size: 0.88em; }
.unit { color: #555; margin: 0; font-size: 0.92em; }
.note { background: #fff6e0; border-left: 4px solid #e0a800; padding: 0.4em 0.8em; }
.wide { overflow-x: auto; } table.meta td { overflow-wrap: anywhere; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
pre { background: #f5f5f5; padding: 0.7em 1em; overflow-x: auto; white-space: pre-wrap; }
table.glance { font-size: 0.9em; width: 100%; } table.glance th { width: 11em; }
table.glance td.verdict { width: 34%; }
@media (max-width: 700px) {
  main { padding: 1em 0.8em 3em; } h1 { font-size: 1.5em; }
  table.glance, table.glance tbody, table.glance tr, table.glance th, table.glance td {
    display: block; width: auto; border: 0; }
  table.glance td.verdict { width: auto; }
  table.glance tr:first-child { display: none; }
  table.glance tr { border: 1px solid #ddd; margin-bottom: 0.7em; }
  table.glance td[data-lang=C]::before { content: "C: "; font-weight: bold; }
  table.glance td[data-lang=CPython]::before { content: "Python: "; font-weight: bold; }
}
.v-holds { color: #17692c; } .v-fails { color: #b42318; } .v-depends { color: #8a5a00; }
.v-unstable { color: #6f42c1; } .v-no, .v-not { color: #666; }
ul.claims { list-style: none; padding-left: 0; } ul.claims > li { margin: 0.7em 0; }
ul.langs { margin: 0.15em 0 0.2em; padding-left: 1.3em; font-size: 0.92em; }
.lang { font-weight: bold; }
details { margin: 0.2em 0 0.4em 1.3em; font-size: 0.9em; }
details > table, details > div { margin-left: 0; } summary { cursor: pointer; color: #555; }
"""


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


def figures_html(charts, directory, output, widest_px):
    """<figure>s of PNG charts (inlined), each with a link to its SVG.
    Same scale for every chart: a canvas widest_px wide fills the column."""
    figures = []
    for name, caption in charts:
        uri, width_px = png_data_uri(os.path.join(directory, name))
        width_pc = min(100, round(100 * width_px / widest_px))
        svg_path = os.path.join(directory, name[:-4] + ".svg")
        link = ""
        if os.path.exists(svg_path):
            rel = os.path.relpath(svg_path, os.path.dirname(output) or ".")
            link = f' (<a href="{html.escape(rel)}">SVG</a>)'
        figures.append(f'<figure id="{html.escape(name[:-4])}"><img style="width: {width_pc}%" src="{uri}" '
                       f'alt="{html.escape(caption)}"><figcaption>{html.escape(caption)}'
                       f'{link}</figcaption></figure>')
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
    return re.sub(r"<strong>(unstable[^<]*|holds|fails|depends|no verdict)</strong>",
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


def claim_language_html(cid, lang, rec):
    """One language's verdict on a claim: the verdict (unstable when the
    stability runs differed), then why; "not measured" and its reason only
    where findings.json says so."""
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
    return "".join(figures_html(charts, args.claims, args.output, CLAIM_CHART_PX)), notes


def page(args, rows, meta, charts, notes):
    workloads = csvkeys.describe(rows)
    machine = csvkeys.machine_line(meta)
    failed = sum(1 for r in rows if r["ok"] != "1")
    figures = figures_html(charts, args.plots, args.output, WIDEST_CHART_PX)
    findings_path = args.findings or DEFAULT_FINDINGS
    findings, verdict_section = load_findings(args)
    if findings is not None:
        verdict_section = verdicts_html(findings, findings_path)
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
<p class=sub>{findings_source(findings, findings_path)} Charts and figures:
<code>{html.escape(args.csv)}</code> ({html.escape(machine)}; {html.escape(csv_summary)}).</p>
<nav><a href="#verdicts">Verdicts</a><a href="#claims">Claim charts</a><a href="#charts">Benchmark charts</a>
<a href="#table">Comparison table</a><a href="#figures">Figures</a><a href="#machine">Machine</a>
<a href="#commands">Commands</a></nav>
<h2 id="verdicts">Verdicts at a glance</h2>
{verdict_section}
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
