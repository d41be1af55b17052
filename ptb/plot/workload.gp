# workload.gp - one figure per workload: a panel per parameter variant
# (e.g. one per --lock), each showing cost against workers per model.
# When every configuration ran at one worker count only, a line against
# workers would show single points: the figure is then grouped bars, one
# cluster per variant.  Parameters that all variants share go in the title.
# Needs wl='NAME' besides the variables described in common.gp.

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
if (!exists("wl") || wl_index(wl) == 0) {
	print sprintf("plots: workload '%s' is not in %s (it has: %s)", exists("wl") ? wl : "", csv, workloads)
	exit status 2
}
f_i = wl_index(wl)
f_nv = value(sprintf("nvar_%d", f_i))
f_single = value(sprintf("wsingle_%d", f_i))
f_op = value(sprintf("op_%d", f_i))
f_metric = value(sprintf("metric_%d", f_i))
f_what = f_metric ne "ns_per_op" ? value(sprintf("mlabel_%d", f_i)) : \
	f_op eq "byte" ? "throughput" : "time per " . f_op
f_common = value(sprintf("wcommon_%d", f_i))
f_title = sprintf("%s: %s %s%s", wl, f_what, f_single ? "by parameters" : "against workers", \
	f_common eq "" ? "" : " (" . f_common . ")")
f_all = ""
do for [j = 1:f_nv] {
	do for [k = 1:words(series(f_i, j))] {
		f_s = word(series(f_i, j), k)
		f_all = word_index(f_all, f_s) ? f_all : f_all . " " . f_s
	}
}
f_cl = cl_of(f_i)
f_per = bars_per_row
f_panels = f_single ? int(ceil(words(f_cl) / real(f_per))) : f_nv
f_rows = f_single ? f_panels : grid_rows(f_nv)
f_cols = f_single ? 1 : grid_cols(f_nv)
if (f_single) {
	only_series = f_all
	bars_hide_workload = 1
	call (metric) f_i
	b_sc = 1
}

do for [fmt in formats] {
	call (term) fmt (canvas_h(f_rows)) (canvas_w(f_single ? 2 : f_cols))
	set multiplot
	call (title) f_title machine
	do for [j = 1:f_panels] {
		if (f_single) {
			call (panel) j f_rows 1 130
			unset title
			f_first = (j - 1) * f_per + 1
			f_last = j * f_per < words(f_cl) ? j * f_per : words(f_cl)
			bars_slots = words(f_cl) < f_per ? words(f_cl) : f_per
			f_list = ""
			do for [c = f_first:f_last] { f_list = f_list . word(f_cl, c) . " " }
			call (p_bars) f_list (m_time ? "time" : m_label) "min"
		} else {
			call (panel) j f_rows f_cols
			f_short = value(sprintf("vshort_%d_%d", f_i, j))
			set title (f_short ne "" ? f_short : value(sprintf("vlabel_%d_%d", f_i, j))) font ",16"
			call (p_workload) f_i j
		}
	}
	call (legend) f_all "" (sprintf("median of %d repetitions; %s: minimum to maximum", reps, f_single ? "whiskers" : "bars")) (f_single ? "boxes" : "")
	unset multiplot
	set output
}
