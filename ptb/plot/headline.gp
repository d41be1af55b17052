# headline.gp - draw the headline figure of ptb/plot/headline.py:
#   gnuplot -e "spec='headline.spec.gp'; out='DIR/headline'; plotdir='ptb/plot'; formats='png svg'" headline.gp
# The spec (written by headline.py) names the data file, the title, footer
# and row labels (R_*), the section headings (H_*), the x range and its
# tics ("0" and "∞" at the ends when a figure is infinite) and the verdict
# colours (V_*).  The data file has one line per mark, tab-separated:
#   y lang x x_lo x_hi end colour verdict claim finding ratio drawn inverted
# C is a circle above the row's middle, CPython a triangle below it; the
# bar is the 95% interval; the colour is the claim's verdict.

if (!exists("spec") || !exists("out")) {
	print "headline.gp: set spec and out with -e (see ptb/plot/headline.py)"
	exit status 2
}
if (!exists("plotdir")) plotdir = "ptb/plot"
if (!exists("formats")) formats = "png svg"
load spec
set encoding utf8
set datafile separator "\t"

# Layout in pixels: the title (its first line, then the answer's lines,
# then t_sub), the two sides' names, the rows (row_px each), the x tics and
# label, the key, the footer's lines.
width_px = 1200
row_px = 38
n_t = |T_LINES|
n_f = F_LINES[1] eq "" ? 0 : |F_LINES|
t_px(i) = i == 1 ? 34 : 48 + 27 * (i - 1)
sub_px = t_px(n_t) + 30
top_px = sub_px + 24
plot_px = n_rows * row_px
foot_px = 14 + 20 * n_f
key_px = foot_px + 22
bottom_px = key_px + 94
height_px = top_px + plot_px + bottom_px
from_top(px) = 1.0 - px / (1.0 * height_px)
from_bottom(px) = px / (1.0 * height_px)
left_px = 535
right_px = 1165
dy = 0.17           # C above the row's middle, CPython below it

do for [fmt in formats] {
	psz = fmt eq "png" ? 1.9 : 0.95
	if (fmt eq "png") {
		set terminal pngcairo size width_px, height_px font "DejaVu Sans,17" linewidth 2 noenhanced
	} else {
		set terminal svg size width_px, height_px font "DejaVu Sans,17" linewidth 2 noenhanced background "white"
	}
	set output out . "." . fmt
	reset
	set datafile separator "\t"
	set encoding utf8
	load spec
	do for [i = 1:n_t] {
		set label (100 + i) T_LINES[i] at screen 0.5, screen from_top(t_px(i)) center \
			font (i == 1 ? ",25" : ",18") tc rgb "#111111"
	}
	set label 199 t_sub at screen 0.5, screen from_top(sub_px) center font ",15" tc rgb "#444444"
	do for [i = 1:n_f] {
		set label (300 + i) F_LINES[i] at screen 0.02, screen from_bottom(14 + 20 * (n_f - i)) \
			left font ",13" tc rgb "#444444"
	}
	set lmargin at screen left_px / (1.0 * width_px)
	set rmargin at screen right_px / (1.0 * width_px)
	set tmargin at screen from_top(top_px)
	set bmargin at screen from_bottom(bottom_px)
	set logscale x
	set xrange [x_min:x_max]
	set yrange [n_rows + 0.5:0.5]
	set ytics scale 0 font ",16" tc rgb "#111111"
	set ytics ()
	do for [i = 1:|R_Y|] {
		set ytics add (R_LABEL[i] R_Y[i])
		if (i % 2 == 1) {
			set object (10 + i) rect from graph 0, first R_Y[i] - 0.5 to graph 1, first R_Y[i] + 0.5 \
				fc rgb "#f1f1f1" fs solid 1 noborder behind
		}
	}
	set xtics nomirror scale 1, 0 font ",16"
	set mxtics 10
	set grid xtics lc rgb "#d0d0d0" lw 1 dt 1
	set border 1 lc rgb "#555555"
	set xlabel "process cost ÷ thread cost (log scale)" font ",16" offset 0, 0.2
	# 1×
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#111111" lw 2 front
	# 0 and ∞ sit beyond a break in the axis
	if (x_left > 0) {
		set label 4 "//" at sqrt(x_left * x_lo), graph 0 center front font ",15" tc rgb "#555555"
		set arrow 5 from x_left, graph 0 to x_left, graph 1 nohead dt 3 lc rgb "#999999" lw 1 back
	}
	if (x_right > 0) {
		set label 6 "//" at sqrt(x_right * x_hi), graph 0 center front font ",15" tc rgb "#555555"
		set arrow 7 from x_right, graph 0 to x_right, graph 1 nohead dt 3 lc rgb "#999999" lw 1 back
	}
	# each section's heading row: its name, and which side of 1× means what
	set style textbox opaque noborder margins 2, 2
	do for [i = 1:n_heads] {
		set label (20 + i) H_TEXT[i] at graph 0, first H_Y[i] right offset -1, 0 \
			font "DejaVu Sans Bold,16" tc rgb "#111111"
		# the first section's sides in bold, the others' plain
		h_font = i == 1 ? "DejaVu Sans Bold,15" : "DejaVu Sans,15"
		set label (30 + i) H_LEFT[i] at first 1, first H_Y[i] right offset -0.6, 0 \
			boxed front font h_font tc rgb "#111111"
		set label (40 + i) H_RIGHT[i] at first 1, first H_Y[i] left offset 0.6, 0 \
			boxed front font h_font tc rgb "#111111"
	}
	# what sits at 0 and ∞
	do for [i = 1:n_ends] {
		if (E_X[i] < 1) {
			set label (50 + i) E_TEXT[i] at first E_X[i], first E_Y[i] left offset 1.3, 0 \
				font ",14" tc rgb "#444444" front
		} else {
			set label (50 + i) E_TEXT[i] at first E_X[i], first E_Y[i] right offset -1.3, 0 \
				font ",14" tc rgb "#444444" front
		}
	}
	# the key, drawn as labels in one row: the two shapes, the verdicts' colours
	unset key
	array K_TEXT[2 + |V_NAME|]
	array K_PT[2 + |V_NAME|]
	array K_COLOUR[2 + |V_NAME|]
	K_TEXT[1] = "C"; K_PT[1] = 7; K_COLOUR[1] = "#222222"
	K_TEXT[2] = "CPython"; K_PT[2] = 9; K_COLOUR[2] = "#222222"
	do for [v = 1:|V_NAME|] { K_TEXT[2 + v] = V_NAME[v]; K_PT[2 + v] = 5; K_COLOUR[2 + v] = V_COLOUR[v] }
	k_w(i) = 58 + 11 * strlen(K_TEXT[i]) + (i == 2 ? 34 : 0)
	k_total = sum [i = 1:|K_TEXT|] k_w(i)
	k_x = (width_px - k_total) / 2.0
	do for [i = 1:|K_TEXT|] {
		set label (60 + i) "" at screen (k_x + 8) / width_px, screen from_bottom(key_px) \
			point pt K_PT[i] ps psz lc rgb K_COLOUR[i]
		set label (70 + i) K_TEXT[i] at screen (k_x + 24) / width_px, screen from_bottom(key_px) left \
			font ",16" tc rgb "#111111"
		k_x = k_x + k_w(i)
	}
	eval 'plot ' . \
		'h_data using (strcol(2) eq "C" ? $3 : NaN):($1 - dy):4:5:7 with xerrorbars ' . \
		'pt 7 ps psz lw 2.5 lc rgb variable notitle, ' . \
		'h_data using (strcol(2) eq "CPython" ? $3 : NaN):($1 + dy):4:5:7 with xerrorbars ' . \
		'pt 9 ps psz lw 2.5 lc rgb variable notitle'
	unset output
}
