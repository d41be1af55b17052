# panel_busy.gp - CPU time over wall time, (user_ns + sys_ns) / wall_ns:
# how many cores the run kept busy, against workers, per series, with the
# ideal min(n, cores) dashed.  `call panel_busy WORKLOAD_INDEX VARIANT_INDEX`.
# Needs user_ns, sys_ns and wall_ns (the caller checks).

val(x) = column(c_wall_ns) > 0 ? (column(c_user_ns) + column(c_sys_ns)) / column(c_wall_ns) : NaN
xlinear = 1
call (collect) ARG1 ARG2
call (axes)
bz_q(k, t) = (k - 1) * c_max + int(t)
bz_hi = cores > c_xhi ? cores : c_xhi
set ylabel "CPU time / wall time (cores busy)"
set yrange [0 : (c_hi > bz_hi ? c_hi : bz_hi) * 1.15]
set ytics 1 nomirror out
ideal(x) = x < cores ? x : cores
set samples 200
plot ideal(x) with lines lc rgb "#888888" dt 2 lw 1.5 notitle, \
	for [k = 1:c_ns] [t = 1:words(workers(c_i, c_j, k)):1] '+' \
	using (lx(CX[bz_q(k, t)]) + xnudge(k, c_ns)):(CY[bz_q(k, t)]): \
	      (CL[bz_q(k, t)]):(CH[bz_q(k, t)]) \
	with yerrorlines lc rgb mcolor(model_of(word(c_S, k))) pt mpoint(model_of(word(c_S, k))) \
	ps psz dt sdash(word(c_S, k)) lw 1.5 notitle
set ytics autofreq nomirror out
xlinear = 0
