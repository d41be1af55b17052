# regress_legend.gp - the legend band of the regression chart (regress.gp):
# what the marks mean, drawn like legend.gp's band below the panels.

unset title
unset xlabel
unset ylabel
unset border
unset tics
unset grid
unset logscale
unset label
unset arrow
unset object
set lmargin at screen 0.01
set rmargin at screen 0.99
set bmargin at screen 0.001
set tmargin at screen px(legend_px)
set xrange [0:1]
set yrange [0:1]
set label 3 sprintf("points: median of %s repetitions, bars: minimum to maximum; right: change of the median, verdict (Mann-Whitney p < 0.01 and beyond max(%g%%, IQR))", r_reps, r_thr * 100) \
	at screen 0.5, screen px(16) center font ",13" tc rgb "#444444"
set key at screen 0.5, screen px(legend_px - 30) center center horizontal maxrows 1 \
	reverse Left samplen 2.5 spacing 1.1 width 2 font ",15" noautotitle
plot NaN with points pt 6 ps 1.4 lw 1.5 lc rgb "#8a8a8a" title "baseline", \
	NaN with points pt 7 ps 1.4 lc rgb "#1f5fa8" title "current (model colour)", \
	NaN with lines lw 2 lc rgb "#d00000" title sprintf("%gx baseline: fail line", r_fail)
