# history.gp - the trend chart of `make regress`: every metric of
# results/history.csv (one row per metric and run: commit, date, metric,
# value = median, spread = IQR) against the date of the run.
#
#   top panel:    primary metrics (within-run ratios), as measured, log scale;
#   bottom panel: secondary metrics (ns/op, kB), each divided by its own
#                 median over the whole history (1 = typical), log scale.
# Bars: value -/+ spread/2.  Lines join the runs of one metric.
#
# Run by scripts/regress.py as
#   gnuplot -e "csv='CUR.csv'; keys='KEYS.gp'; out='results/plots/history'; \
#               plotdir='scripts/plot'; hdata='results/history.csv'; \
#               hkeys='HKEYS.gp'; formats='png'" history.gp
# keys.gp is csvkeys.py's (machine line, colours); hkeys.gp names the
# metrics, their model and kind (regress_render.py).  Every plotted number
# is read or computed here from history.csv.

load (exists("plotdir") ? plotdir : "scripts/plot") . "/common.gp"
if (!exists("hdata") || !exists("hkeys")) {
	print "history.gp: set hdata and hkeys with -e (see scripts/plot/history.gp)"
	exit status 2
}
load hkeys
h_tf = "%Y-%m-%dT%H:%M:%SZ"
h_name(i) = value(sprintf("h_name_%d", i))
h_kind(i) = value(sprintf("h_kind_%d", i))
h_model(i) = value(sprintf("h_model_%d", i))

stats hdata skip 1 using (timecolumn(2, h_tf)) nooutput
h_t0 = STATS_min
h_t1 = STATS_max
h_pad = h_t1 > h_t0 ? (h_t1 - h_t0) * 0.05 : 3600
h_rows = STATS_records

# One data block per metric (index i - 1 of $H): seconds after h_t0 (a
# table keeps 6 digits), value, spread, the last two divided by the
# metric's median over the history when it is secondary.
h_np = 0
h_ns = 0
set print $H
print "# seconds value spread"
unset print
do for [i = 1:h_n] {
	h_m = h_name(i)
	stats hdata skip 1 using (strcol(3) eq h_m ? $4 : NaN) nooutput
	h_med = (exists("STATS_records") && STATS_records > 0 && h_kind(i) eq "secondary") ? STATS_median : 1.0
	h_med = h_med > 0 ? h_med : 1.0
	set table $H append
	plot hdata skip 1 using (timecolumn(2, h_tf) - h_t0):($4 / h_med):($5 / h_med) with table \
		if (strcol(3) eq h_m)
	unset table
	set print $H append
	print ""
	print ""
	unset print
	h_np = h_np + (h_kind(i) eq "primary")
	h_ns = h_ns + (h_kind(i) eq "secondary")
}

# $H is written by `set table`: blank-separated, not comma-separated.
set datafile separator whitespace
# Time labels that differ at the span of the history.
h_span = h_t1 - h_t0
h_xfmt = h_span < 3 * 86400 ? "%m-%d\n%H:%M" : "%Y-%m-%d"
# A tic step from a round list: the smallest giving at most 6 intervals.
h_steps = "60 300 600 1800 3600 10800 21600 86400 604800 2592000 31536000"
h_step = 31536000
do for [w in h_steps] { if (real(w) >= h_span / 6.0 && real(w) < h_step) { h_step = real(w) } }
# The y range of each kind from the values alone (bars may be clipped):
# on a log axis a spread wider than the value would reach 0.
h_ylo(kind) = value("h_lo_" . kind)
h_yhi(kind) = value("h_hi_" . kind)
do for [kind in "primary secondary"] {
	stats $H using (h_kind(column(-2) + 1) eq kind && $2 > 0 ? $2 : NaN) nooutput
	eval sprintf("h_lo_%s = %.17g", kind, exists("STATS_min") && STATS_records > 0 ? STATS_min / 1.5 : 0.5)
	eval sprintf("h_hi_%s = %.17g", kind, exists("STATS_max") && STATS_records > 0 ? STATS_max * 1.5 : 2)
	undefine STATS_*
}

# A panel: 60 px of title, the plot area (24 px per metric in the key, at
# least 420), 100 px of x tic labels.
h_area(n) = n * 24 > 420 ? n * 24 : 420
h_px(n) = n > 0 ? 60 + h_area(n) + 100 : 0
h_canvas = top_px + h_px(h_np) + h_px(h_ns)

do for [fmt in formats] {
	call (term) fmt (h_canvas) 1500
	set multiplot
	call (title) "regression history: every metric per run" \
		(sprintf("%s; %d rows in history.csv", machine, h_rows))
	set xdata time
	set timefmt "%s"
	set format x h_xfmt timedate
	set xtics h_step
	set xrange [h_t0 - h_pad : h_t1 + h_pad]
	set border 3
	set tics nomirror out
	set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
	set logscale y 10
	set format y "%g"
	# 1-2-5 tics: a history often spans less than a decade.
	set ytics (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
	set key outside right top vertical Left reverse font ",11" samplen 2 spacing 0.9 width -2
	h_top = top_px
	do for [kind in "primary secondary"] {
		h_cnt = kind eq "primary" ? h_np : h_ns
		if (h_cnt > 0) {
			set tmargin at screen 1 - px(h_top + 60)
			set bmargin at screen 1 - px(h_top + 60 + h_area(h_cnt))
			set lmargin at screen pxw(110)
			set rmargin at screen pxw(1000)
			set title (kind eq "primary" ? "primary: ratios within one run (median, bars: IQR)" : \
				"secondary: per-op medians / the metric's median over the history") font ",16"
			set ylabel (kind eq "primary" ? "ratio" : "relative to typical (1)")
			set yrange [h_ylo(kind) : h_yhi(kind)]
			plot for [i = 1:h_n] $H index (i - 1) \
				using (h_t0 + $1):(h_kind(i) eq kind ? $2 : NaN):($2 - $3 / 2):($2 + $3 / 2) \
				with yerrorlines lc rgb mcolor(h_model(i)) pt (4 + (i - 1) % 10) ps 1.2 lw 1.5 \
				title (h_kind(i) eq kind ? h_name(i) : "")
			h_top = h_top + h_px(h_cnt)
		}
	}
	unset multiplot
	set output
}
