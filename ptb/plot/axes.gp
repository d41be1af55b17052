# axes.gp - the common look of a panel with workers on x (as log2 or
# linear, see lx in common.gp): range from c_xlo to c_xhi (set by collect.gp), grid,
# and the cores online marked with a dotted line (arrow and label tag 10).

unset logscale
ax_pad = xlinear ? 0.1 * (c_xhi - c_xlo) + 0.3 : 0.45
ax_lo = lx(c_xlo) - ax_pad
ax_hi = lx(c_xhi) + ax_pad
xn_unit = xlinear ? (c_xhi - c_xlo + 1) / (log(c_xhi / c_xlo) / log(2) + 1) : 1
set xrange [ax_lo : ax_hi]
set xlabel "workers"
unset grid
set grid ytics lc rgb "#dddddd" lw 1 dt 1
set border 3
set tics nomirror out
set format y "%g"
unset arrow 10
unset label 10
if (lx(cores) >= ax_lo && lx(cores) <= ax_hi) {
	set arrow 10 from lx(cores), graph 0 to lx(cores), graph 1 nohead lc rgb "#888888" dt 3 lw 1.5 back
	set label 10 sprintf("%d cores", cores) at lx(cores), graph 0.98 right offset -0.4, 0 \
		tc rgb "#666666" font ",14"
}
set errorbars small
unset key
