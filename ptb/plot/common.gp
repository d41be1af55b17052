# common.gp - what every ptbench plot shares: reading the CSV, one fixed
# colour and point shape per model, statistics per group, panel layout and
# the output terminals.
#
# A plot script is run as
#   gnuplot -e "csv='results/bench.csv'; keys='build/plots/keys.gp'; \
#               out='results/plots/NAME'; plotdir='ptb/plot'" SCRIPT.gp
# keys.gp is written by ptb/plot/csvkeys.py (names of the groups in the CSV, column
# numbers, the machine); every number drawn is computed here by `stats`
# over the CSV itself.  Optional: formats (default "png svg").

if (!exists("csv") || !exists("keys") || !exists("out")) {
	print "plots: set csv, keys and out with -e (see ptb/plot/common.gp)"
	exit status 2
}
if (!exists("plotdir")) plotdir = "ptb/plot"
if (!exists("formats")) formats = "png svg"
load keys

set encoding utf8
set datafile separator ","
set datafile missing ""

# --- one colour, shape and name per model (models.gp) ------------------
load plotdir . "/models.gp"
# A series is a model, or model:MODE for a pool in sync submission mode.
model_of(s) = strstrt(s, ":") ? s[1:strstrt(s, ":") - 1] : s
mode_of(s)  = strstrt(s, ":") ? s[strstrt(s, ":") + 1:] : ""
sdash(s)    = mode_of(s) eq "" ? 1 : 2
slabel(s)   = mode_of(s) eq "" ? s : model_of(s) . " (" . mode_of(s) . ")"

# --- keys.gp lookups -------------------------------------------------------
series(i, j)     = value(sprintf("series_%d_%d", i, j))
workers(i, j, k) = value(sprintf("workers_%d_%d_%d", i, j, k))
gparams(i, j, k, t) = value(sprintf("params_%d_%d_%d_%d", i, j, k, t))
wl_index(name) = sum [q = 1:words(workloads)] (word(workloads, q) eq name ? q : 0)
has_column(name) = value("c_" . name) > 0

# --- statistics of one group -----------------------------------------------
# Set g_w, g_m, g_n, g_p (workload, model, workers, exact params) and the
# function val(x) (the value of the current row), then `call gstat`; it
# sets g_cnt, g_med, g_lo, g_hi (quartiles), g_min, g_max.
gstat = plotdir . "/gstat.gp"
in_group(x) = strcol(c_workload) eq g_w && strcol(c_model) eq g_m && \
	column(c_workers) == g_n && strcol(c_ok) eq "1" && strcol(c_params) eq g_p
col(c) = c > 0 ? column(c) : NaN

# --- units -----------------------------------------------------------------
# Pick ns, us, ms or s for a largest value v given in ns.
tunit(v)  = v >= 1e9 ? "s" : v >= 1e6 ? "ms" : v >= 1e4 ? "µs" : "ns"
tscale(v) = v >= 1e9 ? 1e9 : v >= 1e6 ? 1e6 : v >= 1e4 ? 1e3 : 1

# --- layout ----------------------------------------------------------------
# Panels sit in a grid between a title band on top and a legend band at
# the bottom, all measured in pixels of a canvas canvas_w wide and
# canvas_h(rows) high (term.gp sets canvas_px to the height in use).
top_px = 125
legend_px = 90
# the footer's band under the legend (legend.gp: the data's run and date)
footer_px = 26
panel_px = 500
grid_cols(n) = n <= 3 ? n : n == 4 ? 2 : 3
grid_rows(n) = int(ceil(real(n) / grid_cols(n)))
canvas_h(rows) = top_px + legend_px + footer_px + panel_px * rows
canvas_w(cols) = cols == 1 ? 1100 : 1400
canvas_px = canvas_h(1)
canvas_wpx = canvas_w(2)
px(n) = real(n) / canvas_px
pxw(n) = real(n) / canvas_wpx

# Output: `call (term) FMT HEIGHT WIDTH` opens out.FMT.
# Scripts that `call` runs, by name.
term = plotdir . "/term.gp"
panel = plotdir . "/panel.gp"
legend = plotdir . "/legend.gp"
title = plotdir . "/title.gp"
collect = plotdir . "/collect.gp"
axes = plotdir . "/axes.gp"
metric = plotdir . "/metric.gp"
p_workload = plotdir . "/panel_workload.gp"
p_speedup = plotdir . "/panel_speedup.gp"
p_busy = plotdir . "/panel_busy.gp"
p_bars = plotdir . "/panel_bars.gp"
p_create = plotdir . "/panel_create.gp"

# Workers go on a linear axis of log2(workers), labelled with the counts
# (a real log axis upsets gnuplot's sampling of '+' in a multiplot), or
# of the counts themselves when xlinear is 1 (speed-up, where the ideal is
# a straight line); series k of ns is nudged sideways (xn_unit, set by
# axes.gp) so that error bars do not overlap.
xlinear = 0
lx(n) = xlinear ? n : log(n) / log(2)
xn_unit = 1
xnudge(k, ns) = (k - (ns + 1) / 2.0) * 0.05 * xn_unit

# Series drawn by bar and sweep panels: all_series unless a figure sets
# only_series (e.g. the models that ran create).
only_series = ""
bars_hide_workload = 0
use_series(x) = only_series ne "" ? only_series : all_series

# Clusters for bar charts: every (workload, variant), in CSV order.
n_clusters = sum [q = 1:words(workloads)] value(sprintf("nvar_%d", q))
array CLI[n_clusters]
array CLJ[n_clusters]
cl_c = 0
do for [q = 1:words(workloads)] {
	do for [r = 1:value(sprintf("nvar_%d", q))] {
		cl_c = cl_c + 1
		CLI[cl_c] = q
		CLJ[cl_c] = r
	}
}
# The first cluster of each workload.
cl_firsts(x) = cl_firsts_from(1)
cl_firsts_from(c) = c > n_clusters ? "" : (CLJ[c] == 1 ? sprintf("%d ", c) : "") . cl_firsts_from(c + 1)
# "a b c ..." : the clusters from index a to b.
cl_range(a, b) = a > b ? "" : sprintf("%d", a) . (a < b ? " " . cl_range(a + 1, b) : "")
# The clusters of workload i.
cl_of(i) = cl_of_from(i, 1)
cl_of_from(i, c) = c > n_clusters ? "" : (CLI[c] == i ? sprintf("%d ", c) : "") . cl_of_from(i, c + 1)
# Words a..b of list s.
sublist(s, a, b) = a > b || a > words(s) ? "" : word(s, a) . " " . sublist(s, a + 1, b)
# Bar-chart clusters per panel row.
bars_per_row = 6
# Slots a bar panel makes room for (0: as many as it has clusters), so
# that the last, shorter row of a chart keeps the bar width of the others.
bars_slots = 0
# Index of word w in list s, 0 when absent.
word_index(s, w) = sum [q = 1:words(s)] (word(s, q) eq w ? q : 0)
