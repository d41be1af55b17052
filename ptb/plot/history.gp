# history.gp - the trend chart of `make regress`: every primary metric of
# history.csv (a ratio within one run) divided by the median of the
# baseline that run was checked against, so that every panel shares one
# log y axis: 1x = as the baseline, the dashed red line = the regression
# check's failure threshold (compare.FAIL_FACTOR, 2x); a point beyond it
# is a red triangle.  One panel per workload, its metrics as lines in the
# model's colour (a second metric of the same model dashed).  x = the
# run, labelled with its commit and start (UTC).  The line breaks where
# the suite version or the baseline changed (a new denominator: a
# vertical dotted line says which) or where the metric was not measured.
# Secondary metrics (ns/op, kB, mutex/none) are in the table, not here.
#
# Run by ptb/regress/cli.py as
#   gnuplot -e "out='results/plots/history'; plotdir='ptb/plot'; \
#               hkeys='HKEYS.gp'; formats='png'" history.gp
# hkeys.gp is written by ptb/regress/render.py's write_history_panels (the
# data file, panels, metric names and models, y range, x labels, breaks,
# the summary line).

if (!exists("hkeys") || !exists("out")) {
	print "history.gp: set hkeys and out with -e (see ptb/plot/history.gp)"
	exit status 2
}
if (!exists("plotdir")) plotdir = "ptb/plot"
if (!exists("formats")) formats = "png"
load hkeys
load plotdir . "/models.gp"
set encoding utf8

h_name(i) = value(sprintf("h_name_%d", i))
h_model(i) = value(sprintf("h_model_%d", i))
h_dt(i) = value(sprintf("h_dt_%d", i))
h_pname(k) = value(sprintf("h_pname_%d", k))
h_pfirst(k) = value(sprintf("h_pfirst_%d", k))
h_plast(k) = value(sprintf("h_plast_%d", k))
h_mark_x(k) = value(sprintf("h_mark_x_%d", k))
h_mark(k) = value(sprintf("h_mark_%d", k))
# the model's colour; black for a metric of no known model
h_color(i) = h_model(i) eq "" ? "#000000" : mcolor(h_model(i))
fail_red = "#c00000"

# layout in pixels: title band, one row per workload, x labels, footnote
h_w = 1600
h_top = 130
h_ph = 150
h_gap = 34
h_bottom = 150
h_panels = h_np > 0 ? h_np : 1
h_h = h_top + h_panels * (h_ph + h_gap) + h_bottom
h_left = 110
h_right = 1150
px(n) = real(n) / h_h
pxw(n) = real(n) / h_w
canvas_px = h_h
canvas_wpx = h_w
term = plotdir . "/term.gp"
title = plotdir . "/title.gp"

set datafile separator whitespace
set logscale y
set yrange [h_ylo : h_yhi]
set xrange [0.5 : h_runs + 0.5]
set border 3
set tics nomirror out font ",12"
set mytics 1
set grid ytics xtics lc rgb "#e6e6e6" lw 1 dt 1
# y tics: the powers of two inside the range, as 0.25x .. 8x
yt = ""
do for [e = -6:6] {
	v = 2.0 ** e
	if (v >= h_ylo && v <= h_yhi) {
		yt = yt . (yt eq "" ? "" : ", ") . sprintf('"%g×" %g', v, v)
	}
}
eval "set ytics (" . yt . ")"

do for [fmt in formats] {
	call term fmt (h_h) (h_w)
	set multiplot
	call title "Regression history: every primary metric ÷ its baseline (1× = no change; above the dashed line fails)" \
		(h_summary . "   ▲ = beyond the line")
	set label 1 font ",22"
	set label 3 sprintf("x: the run, by commit%s and start (UTC).  A gap in a line: the suite or the baseline changed, or the metric was not measured.", h_dirty ? " (* = uncommitted changes)" : "") \
		at screen pxw(h_left), screen px(46) left font ",12" tc rgb "#555555"
	set label 4 sprintf("Each point: the run's median ÷ the median of the baseline it was checked against; beyond %g× fails CI when significant and again in an immediate re-run.", h_fail) \
		at screen pxw(h_left), screen px(22) left font ",12" tc rgb "#555555"
	do for [k = 1:h_np] {
		y0 = h_top + (k - 1) * (h_ph + h_gap)
		set lmargin at screen pxw(h_left)
		set rmargin at screen pxw(h_right)
		set tmargin at screen 1 - px(y0 + 22)
		set bmargin at screen 1 - px(y0 + 22 + h_ph)
		set label 10 h_pname(k) at screen pxw(h_left - 60), screen 1 - px(y0 + 10) left font ",16"
		# x labels under the last panel only; the others keep the tics
		eval "set xtics " . (k == h_np ? h_xtics : h_xblank) . " font ',12'"
		unset arrow
		set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#777777" lw 1.5 dt 1 back
		set arrow 2 from graph 0, first h_fail to graph 1, first h_fail nohead lc rgb fail_red lw 1.5 dt (8, 6) back
		do for [m = 1:h_nmarks] {
			set arrow (10 + m) from h_mark_x(m) - 0.5, graph 0 to h_mark_x(m) - 0.5, graph 1 nohead lc rgb "#555555" lw 1.2 dt 3
			if (k == 1) {
				set label (20 + m) h_mark(m) at h_mark_x(m) - 0.5, graph 1.04 center font ",11" tc rgb "#555555"
			}
		}
		set key at screen pxw(h_right + 20), screen 1 - px(y0 + 22) top left Left reverse samplen 2.5 spacing 1.1 font ",12" noautotitle
		plot for [i = h_pfirst(k) : h_plast(k)] h_data index (i - 1) using 1:2 with linespoints \
			lc rgb h_color(i) dt h_dt(i) lw 1.5 pt 7 ps 0.9 title h_name(i), \
		     for [i = h_pfirst(k) : h_plast(k)] h_data index (i - 1) using 1:($3 > 0 ? $2 : NaN) \
			with points pt 9 ps 2.4 lc rgb fail_red notitle, \
		     for [i = h_pfirst(k) : h_plast(k)] h_data index (i - 1) \
			using 1:($4 > 0 ? $2 : NaN):(sprintf("%.2f×", $2)) with labels left offset 1.2, 0.9 \
			font ",12" tc rgb fail_red notitle
		do for [m = 1:h_nmarks] {
			unset label (20 + m)
		}
		unset label 10
		unset label 1
		unset label 2
		unset label 3
		unset label 4
	}
	unset multiplot
	set output
}
