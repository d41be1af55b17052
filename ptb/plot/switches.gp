# switches.gp - context switches per run, voluntary (the worker blocked:
# a lock, I/O, a join) and involuntary (the scheduler preempted it), per
# model, for every workload variant at its largest worker count.
# A counter empty in every row is left out with a note; bars_per_row
# clusters per panel, as many panels as needed.

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
x_cols = (has_column("vol_cs") ? "vol_cs" : "") . " " . (has_column("invol_cs") ? "invol_cs" : "")
x_np = words(x_cols)
x_note = (has_column("vol_cs") ? "" : "; vol_cs empty in every row, left out") . \
	(has_column("invol_cs") ? "" : "; invol_cs empty in every row, left out")
x_what(c) = c eq "vol_cs" ? "voluntary context switches per run (vol_cs)" : \
	"involuntary context switches per run (invol_cs)"
x_rows(c) = int(ceil(words(value("clusters_" . c)) / real(bars_per_row)))
x_total = 0
do for [m = 1:x_np] { x_total = x_total + x_rows(word(x_cols, m)) }
b_sc = 1

do for [fmt in formats] {
	call (term) fmt (canvas_h(x_total > 0 ? x_total : 1)) (canvas_w(2))
	set multiplot
	call (title) "context switches per run, by model" (machine . x_note)
	x_p = 0
	do for [m = 1:x_np] {
		x_col = word(x_cols, m)
		x_c = value("c_" . x_col)
		val(x) = column(x_c)
		x_cl = value("clusters_" . x_col)
		bars_slots = words(x_cl) < bars_per_row ? words(x_cl) : bars_per_row
		do for [r = 1:x_rows(x_col)] {
			x_p = x_p + 1
			call (panel) (x_p) (x_total) 1 130
			if (r == 1) { set title x_what(x_col) font ",16" } else { unset title }
			call (p_bars) (sublist(x_cl, (r - 1) * bars_per_row + 1, r * bars_per_row)) "switches" "max"
		}
	}
	if (x_total == 0) {
		call (panel) 1 1 1
		set label 4 "no context-switch counters in this CSV" at graph 0.5, graph 0.5 center
		unset border
		unset tics
		plot [0:1] [0:1] 2 notitle
		unset label 4
	}
	call (legend) all_series "" (sprintf("bars: median of %d repetitions at the largest worker count (n); whiskers: minimum to maximum", reps)) "boxes"
	unset multiplot
	set output
}
