# panel_workload.gp - one panel: a workload variant's cost against the
# number of workers, one line per series (model), points at the median of
# the repetitions, bars from minimum to maximum.
# `call panel_workload WORKLOAD_INDEX VARIANT_INDEX` (indices into keys.gp).
# The metric is metric.gp's (time per op in the unit that suits the
# largest value, MiB/s for bytes, or the workload's own); the y axis turns
# logarithmic when the values span more than a factor of 30.

call (metric) ARG1
call (collect) ARG1 ARG2
call (axes)
w_sc = m_scale(c_hi)
set ylabel m_ylabel(c_hi)
if (c_hi > 0 && c_lo > 0 && c_hi / c_lo > 30) {
	set logscale y 10
	set yrange [c_lo / w_sc / 1.5 : c_hi / w_sc * 1.5]
} else {
	set yrange [0 : (c_hi > 0 ? c_hi / w_sc * 1.12 : 1)]
}
plot for [k = 1:c_ns] [t = 1:words(workers(c_i, c_j, k)):1] '+' \
	using (lx(CX[(k - 1) * c_max + int(t)]) + xnudge(k, c_ns)):(CY[(k - 1) * c_max + int(t)] / w_sc): \
	      (CL[(k - 1) * c_max + int(t)] / w_sc):(CH[(k - 1) * c_max + int(t)] / w_sc) \
	with yerrorlines lc rgb mcolor(model_of(word(c_S, k))) pt mpoint(model_of(word(c_S, k))) \
	ps psz dt sdash(word(c_S, k)) lw 1.5 notitle
