# claim.gp - draw one claim chart of ptb/plot/claims.py:
#   gnuplot -e "spec='C1.spec.gp'; out='DIR/C1'; plotdir='ptb/plot'; formats='png svg'" claim.gp
# The spec (written by ptb/plot/claims.py) names the data file, the titles, and per
# panel (P_*) and per series (S_*) what to draw; the data file has one
# block per series, rows `x median q1 q3`.  Panels of kind "lines" draw
# each series against a numeric x with error bars (the interquartile
# range); panels of kind "bars" draw the series side by side per category
# (x = 1..n): boxes on a linear axis, points on a log axis.  Colours and
# point shapes: models.gp.  Marks (M_*) are cases without a figure drawn
# anyway, a cross with its label (C10: threads refused on 2 hosts); the
# footer (F_LINES) names the runs the chart was drawn from.

if (!exists("spec") || !exists("out")) {
	print "claim.gp: set spec and out with -e (see ptb/plot/claims.py)"
	exit status 2
}
if (!exists("plotdir")) plotdir = "ptb/plot"
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

# Layout in pixels, from the top: the title's lines (T_LINES), the
# verdicts' (V_LINES), the machine (c_sub), then the panels (380 pixels
# high); from the bottom: the note's lines (N_LINES, "" for none), the
# key, the x labels.  The canvas grows with the lines, so a long title or
# note never runs into the panels.
cols = n_panels
width_px = cols == 1 ? 1100 : 1500
n_t = |T_LINES|
n_v = V_LINES[1] eq "" ? 0 : |V_LINES|
n_n = N_LINES[1] eq "" ? 0 : |N_LINES|
n_f = F_LINES[1] eq "" ? 0 : |F_LINES|
foot_px = 17 * n_f
t_px(i) = 27 + 31 * (i - 1)
v_px(i) = t_px(n_t) + 33 + 25 * (i - 1)
sub_px = (n_v > 0 ? v_px(n_v) : t_px(n_t)) + 30
top_px = sub_px + 72
extra_px = (n_n > 1 ? 17 * (n_n - 1) : 0) + foot_px
key_px = 95 + extra_px
bottom_px = 251 + extra_px
height_px = top_px + 380 + bottom_px
from_top(px) = 1.0 - px / (1.0 * height_px)
from_bottom(px) = px / (1.0 * height_px)

do for [fmt in formats] {
	psz = fmt eq "png" ? 1.5 : 0.75
	if (fmt eq "png") {
		set terminal pngcairo size width_px, height_px font "DejaVu Sans,15" linewidth 2 noenhanced
	} else {
		set terminal svg size width_px, height_px font "DejaVu Sans,15" linewidth 2 noenhanced background "white"
	}
	set output out . "." . fmt
	set multiplot
	do for [i = 1:n_t] {
		set label (100 + i) T_LINES[i] at screen 0.5, screen from_top(t_px(i)) center font ",20"
	}
	do for [i = 1:n_v] {
		set label (200 + i) V_LINES[i] at screen 0.5, screen from_top(v_px(i)) center font ",16" \
			tc rgb "#1a1a1a"
	}
	set label 1 c_sub at screen 0.5, screen from_top(sub_px) center font ",13" tc rgb "#444444"
	do for [i = 1:n_n] {
		set label (300 + i) N_LINES[i] at screen 0.5, screen from_bottom(14 + foot_px + 17 * (n_n - i)) \
			center font ",12" tc rgb "#444444"
	}
	do for [i = 1:n_f] {
		set label (500 + i) F_LINES[i] at screen 0.5, screen from_bottom(10 + 17 * (n_f - i)) \
			center font ",11" tc rgb "#666666"
	}
	do for [p = 1:n_panels] {
		left = (cols == 1 ? 0.1 : 0.075) + (p - 1) * (0.97 / cols)
		right = left + 0.97 / cols - (cols == 1 ? 0.13 : 0.09)
		set lmargin at screen left
		set rmargin at screen right
		set tmargin at screen from_top(top_px)
		set bmargin at screen from_bottom(bottom_px)
		set title P_TITLE[p] font ",15"
		set xlabel P_XLABEL[p]
		set ylabel P_YLABEL[p] offset 0, 0
		set grid ytics lc rgb "#dddddd" lw 1
		set border 3
		set tics nomirror
		set key at screen (left + right) / 2, screen from_bottom(key_px) center center horizontal maxrows 3 \
			samplen 2 spacing 1.15 width 2 font ",13" reverse Left
		unset logscale
		if (P_LOGY[p]) { set logscale y }
		set autoscale
		if (P_YMIN0[p] && !P_LOGY[p]) { set yrange [0:*] }
		if (P_YMAX[p] > 0) { set yrange [0:P_YMAX[p]] }
		# counts (workers, daemons, lines, races): whole-number ticks only
		if (P_YSTEP[p] > 0) { set ytics P_YSTEP[p] format "%.0f" } else { set ytics autofreq format "% h" }
		do for [i = 1:n_marks] {
			if (M_PANEL[i] == p) {
				set label (600 + i) M_TEXT[i] at first M_X[i], first M_Y[i] center offset 0, 2.4 \
					font ",12" tc rgb mcolor(M_MODEL[i]) point pt 2 ps 3 lw 3 lc rgb mcolor(M_MODEL[i]) front
			}
		}
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
			# narrow categories (C13's seven adapters) get a smaller font
			# narrow categories (C13's seven adapters) are turned, so that they never touch
			cat_narrow = (right - left) * width_px / P_NCATS[p] < 95
			if (cat_narrow) {
				set xtics scale 0 font ",12" rotate by 35 right offset 0.5, 0
			} else {
				set xtics scale 0 font ",13" norotate center offset 0, 0
			}
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
			set xtics scale 1 font ",15" norotate center offset 0, 0
			set offsets graph 0.04, graph 0.04, 0, 0
			eval 'plot for [s = s_a:s_b] c_data index (s - 1) ' . \
				'using 1:2:3:4 with yerrorlines lc rgb mcolor(S_MODEL[s]) pt mpoint(S_MODEL[s]) ps psz ' . \
				'dt S_DASH[s] lw 2 title S_LABEL[s]' . ideal_item . ref_item
		}
		unset label     # the header and the note are drawn once, with the first panel
	}
	unset multiplot
	unset output
}
