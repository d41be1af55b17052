# memory.gp - memory by model, for every workload variant at its largest
# worker count: the peak resident set of the largest process (maxrss_kb:
# with threads the one process holding every worker, with processes one
# worker), and the proportional set size per worker (pss_kb / workers,
# which counts shared pages once) where the CSV has it.
# A counter empty in every row is left out with a note.

load (exists("plotdir") ? plotdir : "scripts/plot") . "/common.gp"
y_cols = (has_column("maxrss_kb") ? "maxrss_kb" : "") . " " . (has_column("pss_kb") ? "pss_kb" : "")
y_np = words(y_cols)
y_note = (has_column("maxrss_kb") ? "" : "; maxrss_kb empty in every row, left out") . \
	(has_column("pss_kb") ? "" : "; pss_kb empty in every row, left out")
y_per = 8
y_rows = int(ceil(real(n_clusters) / y_per))
y_what(c) = c eq "maxrss_kb" ? "peak RSS of the largest process (maxrss_kb)" : \
	"PSS per worker (pss_kb / workers)"
b_sc = 1024

do for [fmt in formats] {
	call (term) fmt (canvas_h(y_rows * (y_np > 0 ? y_np : 1))) (canvas_w(2))
	set multiplot
	call (title) "memory by model" (machine . y_note)
	y_p = 0
	do for [m = 1:y_np] {
		y_col = value("c_" . word(y_cols, m))
		if (word(y_cols, m) eq "pss_kb") {
			val(x) = column(y_col) / column(c_workers)
		} else {
			val(x) = column(y_col)
		}
		do for [r = 1:y_rows] {
			y_p = y_p + 1
			call (panel) (y_p) (y_rows * y_np) 1 130
			set title y_what(word(y_cols, m)) font ",16"
			call (p_bars) (cl_range((r - 1) * y_per + 1, r * y_per < n_clusters ? r * y_per : n_clusters)) "MiB" "max"
		}
	}
	if (y_np == 0) {
		call (panel) 1 1 1
		set label 4 "no memory counters in this CSV" at graph 0.5, graph 0.5 center
		unset border
		unset tics
		plot [0:1] [0:1] 2 notitle
		unset label 4
	}
	call (legend) all_series "" (sprintf("bars: median of %d repetitions at the largest worker count (n); whiskers: minimum to maximum", reps)) "boxes"
	unset multiplot
	set output
}
