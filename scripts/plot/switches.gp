# switches.gp - context switches per run, voluntary (the worker blocked:
# a lock, I/O, a join) and involuntary (the scheduler preempted it), per
# model, for every workload variant at its largest worker count.
# A counter that is empty in every row is left out with a note.

load (exists("plotdir") ? plotdir : "scripts/plot") . "/common.gp"
x_cols = (has_column("vol_cs") ? "vol_cs" : "") . " " . (has_column("invol_cs") ? "invol_cs" : "")
x_np = words(x_cols)
x_note = (has_column("vol_cs") ? "" : "; vol_cs empty in every row, left out") . \
	(has_column("invol_cs") ? "" : "; invol_cs empty in every row, left out")
x_per = 8
x_rows = int(ceil(real(n_clusters) / x_per))
x_what(c) = c eq "vol_cs" ? "voluntary context switches per run" : "involuntary context switches per run"
b_sc = 1

do for [fmt in formats] {
	call (term) fmt (canvas_h(x_rows * (x_np > 0 ? x_np : 1))) (canvas_w(2))
	set multiplot
	call (title) "context switches per run, by model" (machine . x_note)
	x_p = 0
	do for [m = 1:x_np] {
		x_col = value("c_" . word(x_cols, m))
		val(x) = column(x_col)
		do for [r = 1:x_rows] {
			x_p = x_p + 1
			call (panel) (x_p) (x_rows * x_np) 1 130
			set title x_what(word(x_cols, m)) . sprintf(" (%s)", word(x_cols, m)) font ",16"
			call (p_bars) (cl_range((r - 1) * x_per + 1, r * x_per < n_clusters ? r * x_per : n_clusters)) "switches" "max"
		}
	}
	if (x_np == 0) {
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
