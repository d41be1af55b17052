# memory.gp - memory by model, for every workload variant at its largest
# worker count: the peak resident set of the largest process (maxrss_kb:
# with threads the one process holding every worker, with processes one
# worker), and the proportional set size per worker (pss_kb / workers,
# which counts shared pages once) for the variants that measured it (the
# footprint workload).  A counter empty in every row is left out with a
# note; bars_per_row clusters per panel, as many panels as needed.

load (exists("plotdir") ? plotdir : "scripts/plot") . "/common.gp"
y_cols = (has_column("maxrss_kb") ? "maxrss_kb" : "") . " " . (has_column("pss_kb") ? "pss_kb" : "")
y_np = words(y_cols)
y_note = (has_column("maxrss_kb") ? "" : "; maxrss_kb empty in every row, left out") . \
	(has_column("pss_kb") ? "" : "; pss_kb empty in every row, left out")
y_what(c) = c eq "maxrss_kb" ? "peak RSS of the largest process (maxrss_kb)" : \
	"PSS per worker (pss_kb / workers), where measured"
y_rows(c) = int(ceil(words(value("clusters_" . c)) / real(bars_per_row)))
y_total = 0
do for [m = 1:y_np] { y_total = y_total + y_rows(word(y_cols, m)) }
b_sc = 1024

do for [fmt in formats] {
	call (term) fmt (canvas_h(y_total > 0 ? y_total : 1)) (canvas_w(2))
	set multiplot
	call (title) "memory by model" (machine . y_note)
	y_p = 0
	do for [m = 1:y_np] {
		y_col = word(y_cols, m)
		y_c = value("c_" . y_col)
		if (y_col eq "pss_kb") {
			val(x) = column(y_c) / column(c_workers)
		} else {
			val(x) = column(y_c)
		}
		y_cl = value("clusters_" . y_col)
		bars_slots = words(y_cl) < bars_per_row ? words(y_cl) : bars_per_row
		do for [r = 1:y_rows(y_col)] {
			y_p = y_p + 1
			call (panel) (y_p) (y_total) 1 130
			if (r == 1) { set title y_what(y_col) font ",16" } else { unset title }
			call (p_bars) (sublist(y_cl, (r - 1) * bars_per_row + 1, r * bars_per_row)) "MiB" "max"
		}
	}
	if (y_total == 0) {
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
