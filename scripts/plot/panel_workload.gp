# panel_workload.gp - one panel: a workload variant's cost against the
# number of workers, one line per series (model), points at the median of
# the repetitions, bars from minimum to maximum.
# `call panel_workload WORKLOAD_INDEX VARIANT_INDEX` (indices into keys.gp).
# Operations on bytes are shown as throughput (MiB/s), the others as time
# per operation in the unit that suits the largest value; the y axis turns
# logarithmic when the values span more than a factor of 30.

w_op = value(sprintf("op_%d", int(ARG1)))
w_tp = (w_op eq "byte")
if (w_tp) {
	val(x) = column(c_ns_per_op) > 0 ? 1e9 / column(c_ns_per_op) / 1048576 : NaN
} else {
	val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
}
call (collect) ARG1 ARG2
call (axes)
if (w_tp) {
	w_sc = 1
	set ylabel "MiB/s (higher is better)"
} else {
	w_sc = tscale(c_hi)
	set ylabel sprintf("%s per %s (lower is better)", tunit(c_hi), w_op)
}
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
