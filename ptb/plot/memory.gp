# memory.gp - memory by model, for every workload variant at its largest
# worker count.  Where the CSV has the proportional set size (the
# footprint workload, pss_kb) the chart shows PSS per worker (pss_kb /
# workers, shared pages counted once): the metric of the footprint
# workload (csvkeys METRICS) and of claim C3, and nothing else.  Without
# it, it shows the peak resident set of the largest single process
# (maxrss_kb), titled so that it cannot be read as memory per worker:
# with threads that one process holds every worker, with processes it is
# one worker, so threads look bigger there while C3 (PSS per worker)
# finds processes bigger.  A counter empty in every row is left out with
# a note; bars_per_row clusters per panel, as many panels as needed.

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
y_pss = has_column("pss_kb")
y_cols = y_pss ? "pss_kb" : (has_column("maxrss_kb") ? "maxrss_kb" : "")
y_np = words(y_cols)
y_note = y_pss ? "" : "; no PSS in this CSV" . \
	(has_column("maxrss_kb") ? "" : "; maxrss_kb empty in every row, left out")
y_title = y_pss ? "memory per worker: PSS (shared pages counted once), lower is better" : \
	"peak RSS of the largest process: not memory per worker"
y_what(c) = c eq "maxrss_kb" ? \
	"threads: one process holds all n workers; processes: one worker each. Per worker (PSS): claim C3" : \
	"PSS per worker (pss_kb / workers), where measured"
y_rows(c) = int(ceil(words(value("clusters_" . c)) / real(bars_per_row)))
y_total = 0
do for [m = 1:y_np] { y_total = y_total + y_rows(word(y_cols, m)) }
b_sc = 1024

do for [fmt in formats] {
	call (term) fmt (canvas_h(y_total > 0 ? y_total : 1)) (canvas_w(2))
	set multiplot
	call (title) y_title (machine . y_note)
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
			call (p_bars) (sublist(y_cl, (r - 1) * bars_per_row + 1, r * bars_per_row)) (y_col eq "pss_kb" ? "MiB per worker (lower is better)" : "MiB, one process") "max"
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
