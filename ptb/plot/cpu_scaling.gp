# cpu_scaling.gp - the cpu workload's scaling: speed-up against workers
# per model with the ideal line and the cores online marked, and beside
# it how many cores each run kept busy (CPU time / wall time).
# Uses the cpu workload's first parameter variant (e.g. steps=1e9).

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
if (wl_index("cpu") == 0) {
	print sprintf("plots: no cpu rows in %s (it has: %s)", csv, workloads)
	exit status 2
}
s_i = wl_index("cpu")
s_busy = has_column("user_ns") && has_column("sys_ns") && has_column("wall_ns")
s_np = s_busy ? 2 : 1
s_note = s_busy ? "" : "; user_ns/sys_ns empty: the cores-busy panel is left out"

do for [fmt in formats] {
	call (term) fmt (canvas_h(1)) (canvas_w(s_np))
	set multiplot
	call (title) (sprintf("cpu: speed-up against workers (%s)", value(sprintf("vlabel_%d_1", s_i)))) (machine . s_note)
	call (panel) 1 1 s_np
	set title "speed-up (dashed: ideal, speed-up = workers)" font ",16"
	call (p_speedup) s_i 1
	if (s_busy) {
		call (panel) 2 1 s_np
		set title "cores kept busy (dashed: ideal, min(workers, cores))" font ",16"
		call (p_busy) s_i 1
	}
	call (legend) (series(s_i, 1)) "" (sprintf("points: median of %d repetitions; bars: minimum to maximum", reps))
	unset multiplot
	set output
}
