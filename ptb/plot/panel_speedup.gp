# panel_speedup.gp - speed-up against workers: for each series, the
# median time per op with the fewest workers divided by the median time
# per op with n workers (bars: the same base over the maximum and the
# minimum), with the ideal (speed-up = workers) dashed and the cores
# online marked: above that many workers the ideal is out of reach.
# `call panel_speedup WORKLOAD_INDEX VARIANT_INDEX`.

val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
xlinear = 1
call (collect) ARG1 ARG2
call (axes)
# Base of series k: its median at its first (fewest) worker count.
array SB[c_ns]
do for [k = 1:c_ns] { SB[k] = CY[(k - 1) * c_max + 1] }
sp_q(k, t) = (k - 1) * c_max + int(t)
sp_hi = real(c_xhi) / c_xlo
do for [k = 1:c_ns] {
	do for [t = 1:words(workers(c_i, c_j, k))] {
		sp_v = SB[k] / CL[sp_q(k, t)]
		sp_hi = sp_v > sp_hi ? sp_v : sp_hi
	}
}
set ylabel sprintf("speed-up over %d worker%s", c_xlo, c_xlo == 1 ? "" : "s")
set yrange [0 : sp_hi * 1.1]
set ytics 1 nomirror out
ideal(x) = x / c_xlo
set samples 200
plot ideal(x) with lines lc rgb "#888888" dt 2 lw 1.5 notitle, \
	for [k = 1:c_ns] [t = 1:words(workers(c_i, c_j, k)):1] '+' \
	using (lx(CX[sp_q(k, t)]) + xnudge(k, c_ns)):(SB[k] / CY[sp_q(k, t)]): \
	      (SB[k] / CH[sp_q(k, t)]):(SB[k] / CL[sp_q(k, t)]) \
	with yerrorlines lc rgb mcolor(model_of(word(c_S, k))) pt mpoint(model_of(word(c_S, k))) \
	ps psz dt sdash(word(c_S, k)) lw 1.5 notitle
set ytics autofreq nomirror out
xlinear = 0
