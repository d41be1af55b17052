# regress.gp - the regression chart of `make regress`: every metric, its
# baseline (grey, open) against the current run (the model's colour), each
# a median with a bar from minimum to maximum over the repetitions.
#
#   top panel:    primary metrics, the ratios themselves (log scale), with
#                 a red dash at 2x the baseline median (CI fails beyond it
#                 when the re-run confirms);
#   bottom panel: secondary metrics (ns/op, kB) divided by the baseline's
#                 median, so that every row shares one axis (1 = baseline).
# On the right of each row: the change of the median and the verdict.
#
# Run by ptb/regress/cli.py as
#   gnuplot -e "csv='CUR.csv'; keys='KEYS.gp'; out='results/plots/regress'; \
#               plotdir='ptb/plot'; rdata='DATA.csv'; rkeys='RKEYS.gp'" regress.gp
# keys.gp is ptb/plot/csvkeys.py's (for the machine line and the colours), rkeys.gp
# names the metrics (ptb/regress/render.py), DATA.csv holds index,side,value
# per repetition (side 1 = baseline, 2 = current).  Every median, minimum
# and maximum drawn is computed here by gstat.gp from DATA.csv.

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
if (!exists("rdata") || !exists("rkeys")) {
	print "regress.gp: set rdata and rkeys with -e (see ptb/plot/regress.gp)"
	exit status 2
}
load rkeys
csv = rdata
in_group(x) = column(1) == g_i && column(2) == g_side
val(x) = column(3)

array BM[r_n]
array BL[r_n]
array BH[r_n]
array CM[r_n]
array CL[r_n]
array CH[r_n]
do for [q = 1:r_n] {
	g_i = q
	g_side = 1
	call (gstat)
	BM[q] = g_med
	BL[q] = g_min
	BH[q] = g_max
	g_side = 2
	call (gstat)
	CM[q] = g_med
	CL[q] = g_min
	CH[q] = g_max
}

row_px = 34
rp_head = 60
rp_foot = 95
r_nsec = r_n - r_nprim
r_h(n) = n > 0 ? rp_head + n * row_px + rp_foot : 0
r_canvas = top_px + r_h(r_nprim) + r_h(r_nsec) + legend_px
r_panel = plotdir . "/regress_panel.gp"

do for [fmt in formats] {
	call (term) fmt (r_canvas) 1500
	set multiplot
	call (title) "regression check: current run against the baseline" \
		(sprintf("current %s  vs  baseline %s  |  %s", r_cur, r_base, r_verdict))
	if (r_nprim > 0) {
		call (r_panel) 1 (r_nprim) 0 (top_px) "primary: ratios within one run (log scale; higher = worse)"
	}
	if (r_nsec > 0) {
		call (r_panel) (r_nprim + 1) (r_nsec) 1 (top_px + r_h(r_nprim)) \
			"secondary: per-op medians relative to the baseline median (machine-dependent, reported only)"
	}
	call (plotdir . "/regress_legend.gp")
	unset multiplot
	set output
}
