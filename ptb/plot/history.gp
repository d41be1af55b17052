# history.gp - the trend chart of `make regress` as small multiples: one
# panel per primary metric of results/history.csv (a ratio within one run),
# x = the run's index, labelled with its commit; points: the run's median,
# bars: its interquartile range; the grey band: the baseline's
# interquartile range of that metric; a dashed red line: the suite
# version changed between two runs (figures before and after are not
# comparable).  Secondary metrics (ns/op, kB) are in the table, not here.
#
# Run by ptb/regress/cli.py as
#   gnuplot -e "csv='CUR.csv'; keys='KEYS.gp'; out='results/plots/history'; \
#               plotdir='scripts/plot'; hkeys='HKEYS.gp'; formats='png'" history.gp
# keys.gp is ptb/plot/csvkeys.py's (machine line); hkeys.gp is written by
# regress_render.write_history_panels (the data file, metric names,
# models, baseline bands, commits and suite breaks).

load (exists("plotdir") ? plotdir : "scripts/plot") . "/common.gp"
if (!exists("hkeys")) {
	print "history.gp: set hkeys with -e (see scripts/plot/history.gp)"
	exit status 2
}
load hkeys
h_name(i) = value(sprintf("h_name_%d", i))
h_model(i) = value(sprintf("h_model_%d", i))
h_blo(i) = value(sprintf("h_blo_%d", i))
h_bhi(i) = value(sprintf("h_bhi_%d", i))

set datafile separator whitespace
h_cols = h_n < 5 ? (h_n > 0 ? h_n : 1) : 5
h_rows = int(ceil(real(h_n) / h_cols))
h_pw = 330
h_ph = 250
h_w = 60 + h_cols * h_pw
h_canvas = top_px + 40 + h_rows * h_ph + 60

do for [fmt in formats] {
	call (term) fmt (h_canvas) (h_w)
	set multiplot
	call (title) "regression history: primary metrics, one panel each" \
		(sprintf("%s; %d runs; grey: baseline IQR; red dashes: suite version changed", machine, h_runs))
	set border 3
	set tics nomirror out font ",10"
	set grid ytics lc rgb "#e4e4e4" lw 1 dt 1
	set xrange [0.5 : h_runs + 0.5]
	unset key
	set style fill transparent solid 0.25 noborder
	do for [i = 1:h_n] {
		c = (i - 1) % h_cols
		r = int((i - 1) / h_cols)
		x0 = 60 + c * h_pw
		y0 = top_px + 40 + r * h_ph
		set lmargin at screen pxw(x0 + 45)
		set rmargin at screen pxw(x0 + h_pw - 10)
		set tmargin at screen 1 - px(y0 + 30)
		set bmargin at screen 1 - px(y0 + h_ph - 55)
		set title h_name(i) font ",10" offset 0, -0.6
		eval "set xtics " . h_xtics . " rotate by 30 right font ',9'"
		unset arrow
		do for [b in h_breaks] {
			set arrow from real(b) - 0.5, graph 0 to real(b) - 0.5, graph 1 nohead dt 2 lw 1.5 lc rgb "#d62728"
		}
		lo = h_blo(i)
		hi = h_bhi(i)
		band = lo == lo ? sprintf("'+' using 1:(%.9g):(%.9g) with filledcurves lc rgb '#888888', ", lo, hi) : ""
		set yrange [*:*]
		eval "plot " . band . "h_data index (i - 1) using 1:2:3:4 with yerrorlines lc rgb mcolor(h_model(i)) pt 7 ps 0.8 lw 1.5"
		unset label 1
		unset label 2
	}
	unset multiplot
	set output
}
