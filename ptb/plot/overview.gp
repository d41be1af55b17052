# overview.gp - one page of headline figures (2 x 2): the cpu workload's
# speed-up, creation time against the parent's memory (or by model), and
# the first variant of the other workloads (counter, copy, then any
# other), then involuntary context switches and peak RSS by model: the
# first four of these that the CSV has.

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
o_list = ""
if (wl_index("cpu")) { o_list = o_list . " speedup" }
if (wl_index("create")) { o_list = o_list . " create" }
do for [o_w in "counter copy switch share footprint pool"] {
	if (wl_index(o_w)) { o_list = o_list . " " . o_w }
}
do for [q = 1:words(workloads)] {
	o_w = word(workloads, q)
	if (word_index(o_list, o_w) == 0 && o_w ne "cpu" && o_w ne "create") { o_list = o_list . " " . o_w }
}
if (has_column("invol_cs")) { o_list = o_list . " switches" }
if (has_column("maxrss_kb")) { o_list = o_list . " memory" }
o_n = words(o_list) > 4 ? 4 : words(o_list)
o_rows = o_n > 2 ? 2 : 1
o_cols = o_n > 1 ? 2 : 1

do for [fmt in formats] {
	call (term) fmt (canvas_h(o_rows)) (canvas_w(o_cols))
	set multiplot
	call (title) "processes against threads: the headline figures" machine
	do for [p = 1:o_n] {
		o_what = word(o_list, p)
		o_bars = (o_what eq "create" && sweep_wl == 0) || o_what eq "switches" || o_what eq "memory"
		call (panel) (p) (o_rows) (o_cols) (o_bars ? 130 : 100)
		if (o_what eq "speedup") {
			set title sprintf("cpu: speed-up (%s; dashed: ideal)", value(sprintf("vlabel_%d_1", wl_index("cpu")))) font ",16"
			call (p_speedup) (wl_index("cpu")) 1
		}
		if (o_what eq "create") {
			if (sweep_wl == wl_index("create")) {
				set title "create: time per creation against parent memory" font ",16"
				only_series = ""
				call (p_create) 1
			} else {
				set title "create: time per creation" font ",16"
				val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
				bars_hide_workload = 1
				call (p_bars) (cl_of(wl_index("create"))) "time" "min"
				bars_hide_workload = 0
			}
		}
		if (o_what eq "switches") {
			set title "involuntary context switches per run" font ",16"
			val(x) = column(c_invol_cs)
			b_sc = 1
			call (p_bars) (sublist(cl_firsts(0), 1, bars_per_row)) "switches" "max"
		}
		if (o_what eq "memory") {
			set title "peak RSS of the largest process" font ",16"
			val(x) = column(c_maxrss_kb)
			b_sc = 1024
			call (p_bars) (sublist(cl_firsts(0), 1, bars_per_row)) "MiB" "max"
		}
		if (word_index("speedup create switches memory", o_what) == 0) {
			o_i = wl_index(o_what)
			set title sprintf("%s: %s", o_what, value(sprintf("vlabel_%d_1", o_i))) font ",16"
			call (p_workload) (o_i) 1
		}
	}
	call (legend) all_series "" (sprintf("median of %d repetitions; bars: minimum to maximum; dotted: cores online", reps))
	unset multiplot
	set output
}
