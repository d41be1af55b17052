# legend.gp - draw the shared legend in the band below the panels:
# `call (legend) SERIES EXTRA NOTE [boxes]` where SERIES is a list of series
# names (see common.gp), EXTRA (may be "") a label for one more dotted grey
# line, NOTE (may be "") a line of small text under the key; "boxes" draws
# filled boxes (for bar charts) instead of lines with points.  Under it
# all, the footer (keys.gp, from the CSV's meta): the data's file, run id
# and date, so a chart names the run it was drawn from.

unset title
unset xlabel
unset ylabel
unset border
unset tics
unset grid
unset logscale
unset label
unset arrow
set lmargin at screen 0.01
set rmargin at screen 0.99
set bmargin at screen 0.001
set tmargin at screen px(legend_px + footer_px)
set xrange [0:1]
set yrange [0:1]
l_n = words(ARG1) + (ARG2 eq "" ? 0 : 1)
if (ARG3 ne "") {
	set label 3 ARG3 at screen 0.5, screen px(16 + footer_px) center font ",14" tc rgb "#444444"
}
if (exists("footer")) {
	set label 4 footer at screen 0.5, screen px(12) center font ",12" tc rgb "#666666"
}
set key at screen 0.5, screen px(legend_px + footer_px - 30) center center horizontal \
	maxrows (l_n > 6 ? 2 : 1) maxcols (l_n > 6 ? int(ceil(l_n / 2.0)) : l_n) reverse Left samplen 2.5 spacing 1.1 width 0 noautotitle
l_boxes = ARGC >= 4 && ARG4 eq "boxes"
if (l_boxes) {
	set style fill solid 0.85 border lc rgb "#333333"
	plot for [k = 1:words(ARG1)] NaN with boxes \
		lc rgb mcolor(model_of(word(ARG1, k))) title slabel(word(ARG1, k)), \
		for [e = 1:(ARG2 eq "" ? 0 : 1)] NaN with lines lc rgb "#888888" dt 3 lw 1.5 title ARG2
	set style fill empty
} else {
	plot for [k = 1:words(ARG1)] NaN with linespoints \
		lc rgb mcolor(model_of(word(ARG1, k))) pt mpoint(model_of(word(ARG1, k))) ps psz \
		dt sdash(word(ARG1, k)) lw 1.5 title slabel(word(ARG1, k)), \
		for [e = 1:(ARG2 eq "" ? 0 : 1)] NaN with lines lc rgb "#888888" dt 3 lw 1.5 title ARG2
}
