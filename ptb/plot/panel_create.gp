# panel_create.gp - creation latency against the parent's memory: for one
# combination R of the create workload's other parameters (keys.gp:
# sweep_*), the median time per creation at each --parent-mb, one line per
# series, at the variant's smallest worker count; bars minimum to maximum.
# `call (p_create) R`

val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
k_r = int(ARG1)
k_S = use_series(0)
k_vars = value(sprintf("sweep_vars_%d", k_r))
k_xs = value(sprintf("sweep_x_%d", k_r))
k_np = words(k_vars)
k_K = words(k_S)
array KX[k_K * k_np]
array KY[k_K * k_np]
array KL[k_K * k_np]
array KH[k_K * k_np]
do for [q = 1:k_K * k_np] { KX[q] = NaN; KY[q] = NaN; KL[q] = NaN; KH[q] = NaN }
k_hi = 0
k_lo = 1e300
g_w = value(sprintf("wl_%d", sweep_wl))
do for [t = 1:k_np] {
	k_j = int(word(k_vars, t))
	k_n = value(sprintf("vnmin_%d_%d", sweep_wl, k_j))
	do for [k = 1:k_K] {
		k_kk = word_index(series(sweep_wl, k_j), word(k_S, k))
		k_t = k_kk > 0 ? word_index(workers(sweep_wl, k_j, k_kk), sprintf("%d", k_n)) : 0
		if (k_t > 0) {
			g_m = model_of(word(k_S, k))
			g_n = k_n
			g_p = gparams(sweep_wl, k_j, k_kk, k_t)
			call (gstat)
			q = (k - 1) * k_np + t
			KX[q] = real(word(k_xs, t))
			KY[q] = g_med
			KL[q] = g_min
			KH[q] = g_max
			k_hi = g_cnt > 0 && g_max > k_hi ? g_max : k_hi
			k_lo = g_cnt > 0 && g_min > 0 && g_min < k_lo ? g_min : k_lo
		}
	}
}
k_sc = tscale(k_hi)
k_xhi = real(word(k_xs, k_np))
unset logscale
unset arrow 10
unset label 10
set xrange [-0.04 * k_xhi : k_xhi * 1.06]
set xtics autofreq scale default font ""
# Log scale when the models differ by more than 30 times (fork against
# thread), so that the cheap ones do not lie flat on the axis.
if (k_hi > 0 && k_lo < 1e300 && k_hi / k_lo > 30) {
	set logscale y 10
	set yrange [k_lo / k_sc / 1.5 : k_hi / k_sc * 1.5]
} else {
	set yrange [0 : (k_hi > 0 ? k_hi / k_sc * 1.1 : 1)]
}
set xlabel sprintf("parent's touched memory (%s, MiB)", sweep_key)
set ylabel sprintf("%s per creation (lower is better)", tunit(k_hi))
set border 3
set tics nomirror out
unset grid
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set format y "%g"
set errorbars small
unset key
plot for [k = 1:k_K] [t = 1:k_np:1] '+' \
	using (KX[(k - 1) * k_np + int(t)]):(KY[(k - 1) * k_np + int(t)] / k_sc): \
	      (KL[(k - 1) * k_np + int(t)] / k_sc):(KH[(k - 1) * k_np + int(t)] / k_sc) \
	with yerrorlines lc rgb mcolor(model_of(word(k_S, k))) pt mpoint(model_of(word(k_S, k))) \
	ps psz dt sdash(word(k_S, k)) lw 1.5 notitle
