# python_speedup.gp - the cpu workload in C and in Python, processes and
# threads (claims C5, C14): speed-up against workers for thread, fork,
# pythread, pyproc and pypool beside each other, how many cores each kept
# busy, and the cost of one step in each language (log scale: CPython's
# loop is tens of ns a step, C's a fraction of one, so speed-ups, not
# times, are what compare across languages).
#
#   gnuplot -e "csv='results/python-cpu.csv'; keys='KEYS.gp'; \
#               out='results/plots/python-speedup'; plotdir='ptb/plot'" \
#           ptb/plot/python_speedup.gp        (make plot-python does this)
#
# Optional: steps='20000000' takes only variants whose params start with
# steps=20000000.  Each model's series comes from the first cpu variant
# that has it (pyproc and pypool rows with a start method other than fork
# carry py-start=... in params, so they form a variant of their own); its
# speed-up is within that series.
# Every number drawn is computed by gnuplot (`stats`, gstat.gp) from the
# CSV; the conventions (colours, layout, legend) are common.gp's.

load (exists("plotdir") ? plotdir : "ptb/plot") . "/common.gp"
if (wl_index("cpu") == 0) {
	print sprintf("plots: no cpu rows in %s (it has: %s)", csv, workloads)
	exit status 2
}
py_i = wl_index("cpu")
py_models = "thread fork pythread pyproc pypool"
py_nv = value(sprintf("nvar_%d", py_i))
py_step(j) = !exists("steps") || \
	strstrt(value(sprintf("vparams_%d_%d", py_i, j)) . ";", "steps=" . steps . ";") == 1

# Where each model is: variant PJ[u], series PK[u] (0: not in the CSV).
array PJ[words(py_models)]
array PK[words(py_models)]
py_S = ""
do for [u = 1:words(py_models)] {
	PJ[u] = 0
	PK[u] = 0
	do for [j = 1:py_nv] {
		if (PJ[u] == 0 && py_step(j)) {
			do for [k = 1:words(series(py_i, j))] {
				if (PJ[u] == 0 && word(series(py_i, j), k) eq word(py_models, u)) {
					PJ[u] = j
					PK[u] = k
				}
			}
		}
	}
	py_S = py_S . (PK[u] > 0 ? word(py_models, u) . " " : "")
}
if (words(py_S) == 0) {
	print sprintf("plots: %s has none of %s in cpu%s", csv, py_models, \
		exists("steps") ? " at steps=" . steps : "")
	exit status 2
}

# Like collect.gp, over the models found: arrays CX, CY, CL, CH for
# element (u - 1) * c_max + t, c_S, c_ns, c_max, c_lo, c_hi, c_xlo, c_xhi.
py_workers(u) = workers(py_i, PJ[u], PK[u])
c_max = 0
do for [u = 1:words(py_models)] {
	if (PK[u] > 0 && words(py_workers(u)) > c_max) { c_max = words(py_workers(u)) }
}
py_n = words(py_models) * c_max
array CX[py_n]
array CY[py_n]
array CL[py_n]
array CH[py_n]
py_collect = plotdir . "/python_collect.gp"
c_S = py_models	# series slot u is model u; absent models stay NaN
c_ns = words(py_models)

do for [fmt in formats] {
	call (term) fmt (canvas_h(1)) (canvas_w(3))
	set multiplot
	call (title) "cpu in C and in Python: processes against threads" \
		(machine . (exists("steps") ? ", steps=" . steps : "") . "; Python from the notes column (python=, gil=)")

	xlinear = 1	# before collecting: the x tics go where lx() puts them
	call (panel) 1 1 3
	val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
	call py_collect
	call (axes)
	array SB[c_ns]
	do for [u = 1:c_ns] { SB[u] = CY[(u - 1) * c_max + 1] }
	sp_hi = real(c_xhi) / c_xlo
	do for [q = 1:py_n] {
		sp_v = SB[int((q - 1) / c_max) + 1] / CL[q]
		if (sp_v == sp_v && sp_v > sp_hi) { sp_hi = sp_v }
	}
	set title "speed-up (dashed: ideal)" font ",16"
	set ylabel sprintf("speed-up over %d worker%s", c_xlo, c_xlo == 1 ? "" : "s")
	set yrange [0 : sp_hi * 1.1]
	set ytics 0.5 nomirror out
	ideal(x) = x / c_xlo
	set samples 200
	plot ideal(x) with lines lc rgb "#888888" dt 2 lw 1.5 notitle, \
		for [u = 1:c_ns] [t = 1:c_max:1] '+' \
		using (lx(CX[(u - 1) * c_max + t]) + xnudge(u, c_ns)):(SB[u] / CY[(u - 1) * c_max + t]): \
		      (SB[u] / CH[(u - 1) * c_max + t]):(SB[u] / CL[(u - 1) * c_max + t]) \
		with yerrorlines lc rgb mcolor(word(c_S, u)) pt mpoint(word(c_S, u)) \
		ps psz lw 1.5 notitle
	set ytics autofreq nomirror out

	if (has_column("user_ns") && has_column("sys_ns")) {
		call (panel) 2 1 3
		val(x) = column(c_wall_ns) > 0 && strcol(c_user_ns) ne "" ? \
			(column(c_user_ns) + column(c_sys_ns)) / column(c_wall_ns) : NaN
		call py_collect
		call (axes)
		bz_hi = cores > c_xhi ? cores : c_xhi
		set title "cores kept busy (dashed: ideal)" font ",16"
		set ylabel "CPU time / wall time"
		set yrange [0 : (c_hi > bz_hi ? c_hi : bz_hi) * 1.15]
		set ytics 0.5 nomirror out
		ideal(x) = x < cores ? x : cores
		plot ideal(x) with lines lc rgb "#888888" dt 2 lw 1.5 notitle, \
			for [u = 1:c_ns] [t = 1:c_max:1] '+' \
			using (lx(CX[(u - 1) * c_max + t]) + xnudge(u, c_ns)):(CY[(u - 1) * c_max + t]): \
			      (CL[(u - 1) * c_max + t]):(CH[(u - 1) * c_max + t]) \
			with yerrorlines lc rgb mcolor(word(c_S, u)) pt mpoint(word(c_S, u)) \
			ps psz lw 1.5 notitle
		set ytics autofreq nomirror out
	}

	call (panel) 3 1 3
	val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
	call py_collect
	call (axes)
	set title "time per step (log scale)" font ",16"
	set ylabel "ns per step (ns_per_op)"
	set logscale y
	set yrange [c_lo / 2 : c_hi * 2]
	set format y "%g"
	plot for [u = 1:c_ns] [t = 1:c_max:1] '+' \
		using (lx(CX[(u - 1) * c_max + t]) + xnudge(u, c_ns)):(CY[(u - 1) * c_max + t]): \
		      (CL[(u - 1) * c_max + t]):(CH[(u - 1) * c_max + t]) \
		with yerrorlines lc rgb mcolor(word(c_S, u)) pt mpoint(word(c_S, u)) \
		ps psz lw 1.5 notitle
	unset logscale y
	xlinear = 0

	call (legend) py_S "" sprintf("points: median of %d repetitions; bars: minimum to maximum; C: thread, fork; CPython: pythread, pyproc, pypool", reps)
	unset multiplot
	set output
}
