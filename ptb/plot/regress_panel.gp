# regress_panel.gp - one panel of the regression chart (see regress.gp):
# `call (r_panel) FIRST COUNT NORM TOP_PX "TITLE"` draws metrics FIRST ..
# FIRST+COUNT-1 as rows, baseline and current median with min-max bars
# from the arrays BM/BL/BH and CM/CL/CH; NORM = 1 divides every value by
# the metric's baseline median.  TOP_PX: where the panel starts (pixels
# from the top of the canvas).

rp_a = int(ARG1)
rp_n = int(ARG2)
rp_norm = int(ARG3)
rp_top = int(ARG4)
rq(k) = rp_a + int(k) - 1
rn(k) = rp_norm ? BM[rq(k)] : 1.0
ok(v) = v == v && v > 0

set tmargin at screen 1 - px(rp_top + rp_head)
set bmargin at screen 1 - px(rp_top + rp_head + rp_n * row_px)
set lmargin at screen pxw(560)
set rmargin at screen 1 - pxw(330)
set title ARG5 font ",16" offset 0, -0.3

# The x range: every drawn value, and the fail dash of the primary panel.
rp_lo = 1e300
rp_hi = 0
do for [k = 1:rp_n] {
	do for [v in sprintf("%.17g %.17g %.17g %.17g", BL[rq(k)], BH[rq(k)], CL[rq(k)], CH[rq(k)])] {
		rp_v = real(v) / rn(k)
		if (ok(rp_v)) {
			rp_lo = rp_v < rp_lo ? rp_v : rp_lo
			rp_hi = rp_v > rp_hi ? rp_v : rp_hi
		}
	}
	if (!rp_norm && ok(BM[rq(k)])) {
		rp_hi = r_fail * BM[rq(k)] > rp_hi ? r_fail * BM[rq(k)] : rp_hi
	}
}
if (rp_norm) {
	rp_lo = rp_lo < 1.0 / r_fail ? rp_lo : 1.0 / r_fail
	rp_hi = rp_hi > r_fail ? rp_hi : r_fail
}
if (rp_hi <= 0 || rp_lo >= 1e300) {
	rp_lo = 0.5
	rp_hi = 2
}

unset arrow
unset object
unset key
set border 3
set tics nomirror out
set grid xtics lc rgb "#dddddd" lw 1 dt 1
set logscale x 10
set format x "%g"
set xrange [rp_lo / 1.25 : rp_hi * 1.25]
set xtics autofreq font ",13"
set mxtics 10
set xlabel (rp_norm ? "current / baseline median (1 = no change)" : "ratio (dimensionless)") font ",14"
set yrange [rp_n + 0.5 : 0.5]
set ytics () scale 0 font ",13"
unset ylabel

rp_col(s) = s eq "FAIL" || s eq "worse" ? "#c00000" : s eq "better" ? "#2a7f2a" : \
	s eq "unchanged" ? "#555555" : "#b06000"
do for [k = 1:rp_n] {
	set ytics add (value(sprintf("r_name_%d", rq(k))) k)
	if (k % 2 == 0) {
		set object k rect from graph 0, first k - 0.5 to graph 1, first k + 0.5 \
			fc rgb "#f3f3f3" fs solid noborder behind
	}
	rp_s = value(sprintf("r_status_%d", rq(k)))
	rp_ch = ok(BM[rq(k)]) && ok(CM[rq(k)]) ? sprintf("%+.0f%%  ", (CM[rq(k)] / BM[rq(k)] - 1) * 100) : ""
	set label (100 + k) rp_ch . rp_s at graph 1.02, first k left font ",13" tc rgb rp_col(rp_s)
}
if (rp_norm) {
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#888888" dt 2 lw 1.5 back
	set arrow 2 from r_fail, graph 0 to r_fail, graph 1 nohead lc rgb "#d00000" dt 2 lw 1 back
	set arrow 3 from 1.0 / r_fail, graph 0 to 1.0 / r_fail, graph 1 nohead lc rgb "#2a7f2a" dt 2 lw 1 back
} else {
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#888888" dt 3 lw 1.5 back
}

set errorbars small
plot for [k = 1:rp_n] [t = k:k:1] '+' \
	using (BM[rq(k)] / rn(k)):(k - 0.17):(BL[rq(k)] / rn(k)):(BH[rq(k)] / rn(k)) \
	with xerrorbars pt 6 ps 1.3 lw 1.5 lc rgb "#8a8a8a" notitle, \
	for [k = 1:rp_n] [t = k:k:1] '+' \
	using (CM[rq(k)] / rn(k)):(k + 0.17):(CL[rq(k)] / rn(k)):(CH[rq(k)] / rn(k)) \
	with xerrorbars pt 7 ps 1.4 lw 2 lc rgb mcolor(value(sprintf("r_model_%d", rq(k)))) notitle, \
	for [k = 1:(rp_norm ? 0 : rp_n)] [t = k:k:1] '+' \
	using (r_fail * BM[rq(k)]):(k - 0.4):(0):(0.8) \
	with vectors nohead lw 2 dt 1 lc rgb "#d00000" notitle
unset object
do for [k = 1:rp_n] { unset label (100 + k) }
unset arrow
unset title
unset logscale
unset mxtics
