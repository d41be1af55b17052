# claim.gp - draw one claim chart of scripts/plot/claims.py:
#   gnuplot -e "spec='C1.spec.gp'; out='DIR/C1'; plotdir='scripts/plot'; formats='png svg'" claim.gp
# The spec (written by claims.py) names the data file, the titles, and per
# panel (P_*) and per series (S_*) what to draw; the data file has one
# block per series, rows `x median q1 q3`.  Panels of kind "lines" draw
# each series against a numeric x with error bars (the interquartile
# range); panels of kind "bars" draw the series side by side per category
# (x = 1..n): boxes on a linear axis, points on a log axis.  Colours and
# point shapes: models.gp.

if (!exists("spec") || !exists("out")) {
	print "claim.gp: set spec and out with -e (see scripts/plot/claims.py)"
	exit status 2
}
if (!exists("plotdir")) plotdir = "scripts/plot"
if (!exists("formats")) formats = "png svg"
load plotdir . "/models.gp"
load spec
set encoding utf8

# The series of panel p: first index and count.
p_first(p) = P_FIRST[p]
p_count(p) = P_COUNT[p]
# Bars of series s sit beside each other around their category.
# (P_SOLO: each series has one category of its own, so its bar is centred.)
bar_w(p) = P_SOLO[p] ? 0.6 : 0.8 / p_count(p)
bar_x(x, s) = P_SOLO[S_PANEL[s]] ? x : \
	x + (s - p_first(S_PANEL[s]) - (p_count(S_PANEL[s]) - 1) / 2.0) * bar_w(S_PANEL[s])

cols = n_panels
width_px = cols == 1 ? 1100 : 1500
height_px = 760

do for [fmt in formats] {
	psz = fmt eq "png" ? 1.5 : 0.75
	if (fmt eq "png") {
		set terminal pngcairo size width_px, height_px font "DejaVu Sans,15" linewidth 2 noenhanced
	} else {
		set terminal svg size width_px, height_px font "DejaVu Sans,15" linewidth 2 noenhanced background "white"
	}
	set output out . "." . fmt
	set multiplot
	set label 1 c_title at screen 0.5, screen 0.965 center font ",20"
	set label 2 c_sub at screen 0.5, screen 0.925 center font ",13" tc rgb "#444444"
	if (c_note ne "") {
		set label 3 c_note at screen 0.5, screen 0.018 center font ",12" tc rgb "#444444"
	}
	do for [p = 1:n_panels] {
		left = (cols == 1 ? 0.1 : 0.075) + (p - 1) * (0.97 / cols)
		right = left + 0.97 / cols - (cols == 1 ? 0.13 : 0.09)
		set lmargin at screen left
		set rmargin at screen right
		set tmargin at screen 0.83
		set bmargin at screen 0.33
		set title P_TITLE[p] font ",15"
		set xlabel P_XLABEL[p]
		set ylabel P_YLABEL[p] offset 1.5, 0
		set grid ytics lc rgb "#dddddd" lw 1
		set border 3
		set tics nomirror
		set key at screen (left + right) / 2, screen 0.125 center center horizontal maxrows 3 \
			samplen 2 spacing 1.15 width 2 font ",13" reverse Left
		unset logscale
		if (P_LOGY[p]) { set logscale y }
		set autoscale
		if (P_YMIN0[p] && !P_LOGY[p]) { set yrange [0:*] }
		if (P_YMAX[p] > 0) { set yrange [0:P_YMAX[p]] }
		s_a = p_first(p)
		s_b = p_first(p) + p_count(p) - 1
		# Optional plot items are appended to the command (an empty `for`
		# over a function would still sample it and stretch the axes).
		guide = 'with lines dt 3 lc rgb "#888888" lw 1.5'
		ref_item = P_REF[p] > 0 ? sprintf(', %g %s title "%s"', P_REF[p], guide, P_REFLBL[p]) : ""
		ideal_item = P_IDEAL[p] ? sprintf(', x %s title "ideal"', guide) : ""
		value_item = P_VALUES[p] ? ', for [s = s_a:s_b] c_data index (s - 1) using (bar_x($1, s)):4:(sprintf("%.3g", $2)) with labels offset 0, 0.8 font ",13" notitle' : ""
		if (P_VALUES[p]) { set offsets 0, 0, graph 0.12, 0 } else { set offsets 0, 0, 0, 0 }
		if (P_KIND[p] eq "bars") {
			set xrange [0.4:P_NCATS[p] + 0.6]
			eval "set xtics " . P_XTICS[p]
			set xtics scale 0 font ",13"
			if (P_SOLO[p]) { unset key }
			set boxwidth bar_w(p) * 0.95 absolute
			set style fill solid 0.85 border lc rgb "#333333"
			if (P_LOGY[p]) {
				eval 'plot for [s = s_a:s_b] c_data index (s - 1) ' . \
					'using (bar_x($1, s)):2:3:4 with yerrorbars lc rgb mcolor(S_MODEL[s]) ' . \
					'pt mpoint(S_MODEL[s]) ps psz * 1.3 lw 1.5 title S_LABEL[s]' . ref_item
			} else {
				eval 'plot for [s = s_a:s_b] c_data index (s - 1) ' . \
					'using (bar_x($1, s)):2 with boxes lc rgb mcolor(S_MODEL[s]) title S_LABEL[s], ' . \
					'for [s = s_a:s_b] c_data index (s - 1) ' . \
					'using (bar_x($1, s)):2:3:4 with yerrorbars lc rgb "#222222" pt 0 lw 1 notitle' . \
					value_item . ref_item
			}
		} else {
			if (P_LOGX[p]) { set logscale x }
			if (P_XTICS[p] ne "") { eval "set xtics " . P_XTICS[p] } else { set xtics autofreq }
			set xtics scale 1 font ",15"
			set offsets graph 0.04, graph 0.04, 0, 0
			eval 'plot for [s = s_a:s_b] c_data index (s - 1) ' . \
				'using 1:2:3:4 with yerrorlines lc rgb mcolor(S_MODEL[s]) pt mpoint(S_MODEL[s]) ps psz ' . \
				'dt S_DASH[s] lw 2 title S_LABEL[s]' . ideal_item . ref_item
		}
		unset label 1
		unset label 2
		unset label 3
	}
	unset multiplot
	unset output
}
