# workload.gp - one figure per workload: a panel per parameter variant
# (e.g. one per --lock), each showing cost against workers per model.
# Needs wl='NAME' besides the variables described in common.gp.

load (exists("plotdir") ? plotdir : "scripts/plot") . "/common.gp"
if (!exists("wl") || wl_index(wl) == 0) {
	print sprintf("plots: workload '%s' is not in %s (it has: %s)", exists("wl") ? wl : "", csv, workloads)
	exit status 2
}
f_i = wl_index(wl)
f_nv = value(sprintf("nvar_%d", f_i))
f_rows = grid_rows(f_nv)
f_cols = grid_cols(f_nv)
f_op = value(sprintf("op_%d", f_i))
f_what = f_op eq "byte" ? "throughput" : "time per " . f_op
f_all = ""
do for [j = 1:f_nv] {
	do for [k = 1:words(series(f_i, j))] {
		f_s = word(series(f_i, j), k)
		f_all = strstrt(" " . f_all . " ", " " . f_s . " ") ? f_all : f_all . " " . f_s
	}
}

do for [fmt in formats] {
	call (term) fmt (canvas_h(f_rows)) (canvas_w(f_cols))
	set multiplot
	call (title) (sprintf("%s: %s against workers", wl, f_what)) machine
	do for [j = 1:f_nv] {
		call (panel) j f_rows f_cols
		set title value(sprintf("vlabel_%d_%d", f_i, j)) font ",16"
		call (p_workload) f_i j
	}
	call (legend) f_all "" (sprintf("points: median of %d repetitions; bars: minimum to maximum", reps))
	unset multiplot
	set output
}
