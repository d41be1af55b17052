# create.gp - the create workload: time to create and reap one empty
# worker, per model (bars, one cluster per parameter variant, at the
# smallest worker count), and, when --parent-mb was swept, creation time
# against the parent's touched memory (one panel per combination of the
# other parameters, e.g. with and without exec).

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
if (wl_index("create") == 0) {
	print sprintf("plots: no create rows in %s (it has: %s)", csv, workloads)
	exit status 2
}
r_i = wl_index("create")
r_cl = cl_of(r_i)
r_sweep = (sweep_wl == r_i ? sweep_nrest : 0)
r_sweep = r_sweep > 2 ? 2 : r_sweep
r_np = 1 + r_sweep
r_cols = 1
r_rows = r_np
r_series = ""
do for [c = 1:words(r_cl)] {
	do for [k = 1:words(series(r_i, CLJ[int(word(r_cl, c))]))] {
		r_s = word(series(r_i, CLJ[int(word(r_cl, c))]), k)
		r_series = word_index(r_series, r_s) ? r_series : r_series . " " . r_s
	}
}

only_series = r_series
bars_hide_workload = 1

do for [fmt in formats] {
	call (term) fmt (canvas_h(r_rows)) (canvas_w(2))
	set multiplot
	call (title) "create: time to create and reap one empty worker" (machine . (r_sweep ? "" : "; no --parent-mb sweep in this CSV"))
	call (panel) 1 r_rows r_cols 130
	set title "by model" font ",16"
	b_sc = 1
	val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
	call (p_bars) r_cl "time" "min"
	do for [r = 1:r_sweep] {
		call (panel) (r + 1) r_rows r_cols 110
		r_rest = value(sprintf("sweep_rest_%d", r))
		set title "against the parent's memory" . (r_rest eq "" ? "" : " (" . r_rest . ")") font ",16"
		call (p_create) r
	}
	call (legend) r_series "" (sprintf("median of %d repetitions; bars and whiskers: minimum to maximum", reps))
	unset multiplot
	set output
}
