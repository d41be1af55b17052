# panel_bars.gp - one panel of grouped bars: for each cluster in CLUSTERS
# (indices of workload variants, see common.gp) a bar per series at the
# variant's largest (WHICH = max) or smallest (min) worker count, height
# the median of val() / b_sc, whiskers minimum to maximum.  The caller
# defines val(x) and b_sc; YLABEL "time" picks the unit (and b_sc) itself.
# bars_hide_workload = 1 leaves the workload's name out of the tic labels.
# `call (p_bars) "CLUSTERS" YLABEL WHICH`
# The y axis turns logarithmic when the values span more than 30 times.

b_list = ARG1
b_S = use_series(0)
b_nc = words(b_list)
b_time = (ARG2 eq "time")
b_K = words(b_S)
array BY[b_nc * b_K]
array BL[b_nc * b_K]
array BH[b_nc * b_K]
do for [q = 1:b_nc * b_K] { BY[q] = NaN; BL[q] = NaN; BH[q] = NaN }
b_lo = 1e300
b_hi = 0
unset logscale
set xtics () scale 0 font ",15"
do for [cc = 1:b_nc] {
	b_i = CLI[int(word(b_list, cc))]
	b_j = CLJ[int(word(b_list, cc))]
	b_n = value(sprintf("vn%s_%d_%d", ARG3, b_i, b_j))
	b_short = value(sprintf("vshort_%d_%d", b_i, b_j))
	b_name = bars_hide_workload ? "" : value(sprintf("wl_%d", b_i)) . "\n"
	set xtics add (sprintf("%s%sn=%d", b_name, b_short eq "" ? "" : b_short . "\n", b_n) cc)
	g_w = value(sprintf("wl_%d", b_i))
	do for [k = 1:b_K] {
		b_kk = word_index(series(b_i, b_j), word(b_S, k))
		b_t = b_kk > 0 ? word_index(workers(b_i, b_j, b_kk), sprintf("%d", b_n)) : 0
		if (b_t > 0) {
			g_m = model_of(word(b_S, k))
			g_n = b_n
			g_p = gparams(b_i, b_j, b_kk, b_t)
			call (gstat)
			q = (cc - 1) * b_K + k
			BY[q] = g_med
			BL[q] = g_min
			BH[q] = g_max
			if (g_cnt > 0) {
				b_lo = g_min > 0 && g_min < b_lo ? g_min : b_lo
				b_lo = g_med > 0 && g_med < b_lo ? g_med : b_lo
				b_hi = g_max > b_hi ? g_max : b_hi
			}
		}
	}
}
b_bw = 0.8 / b_K
set xrange [0.45 : (bars_slots > b_nc ? bars_slots : b_nc) + 0.55]
if (b_time) {
	b_sc = tscale(b_hi)
	set ylabel sprintf("%s per %s (lower is better)", tunit(b_hi), value(sprintf("op_%d", b_i)))
} else {
	set ylabel ARG2
}
set border 3
set tics nomirror out
unset grid
set grid ytics lc rgb "#dddddd" lw 1 dt 1
set format y "%g"
unset arrow 10
unset label 10
unset key
unset xlabel
# A median of 0 has no bar on a log axis: a "0" marks it at the bottom.
b_log = b_hi > 0 && b_lo < 1e300 && b_hi / b_lo > 30
if (b_log) {
	set logscale y 10
	b_ybot = b_lo / b_sc / 2
	set yrange [b_ybot : b_hi / b_sc * 2]
} else {
	b_ybot = 0
	set yrange [0 : (b_hi > 0 ? b_hi / b_sc * 1.1 : 1)]
}
b_zero(q) = b_log && BY[q] == 0 ? "0" : ""
set style fill solid 0.85 border lc rgb "#333333"
# Whiskers drawn as vectors of their own, in dark grey: the colour of
# `set errorbars` would stick to the line charts drawn after, and
# yerrorbars leave a gap around their (here invisible) point.
b_x(k, cc) = cc + (k - (b_K + 1) / 2.0) * b_bw
b_q(k, cc) = (int(cc) - 1) * b_K + k
set boxwidth b_bw absolute
plot for [k = 1:b_K] [cc = 1:b_nc:1] '+' \
	using (b_x(k, cc)):(BY[b_q(k, cc)] / b_sc) \
	with boxes lc rgb mcolor(model_of(word(b_S, k))) notitle, \
	for [k = 1:b_K] [cc = 1:b_nc:1] '+' \
	using (b_x(k, cc)):(BL[b_q(k, cc)] / b_sc):(0):((BH[b_q(k, cc)] - BL[b_q(k, cc)]) / b_sc) \
	with vectors nohead lc rgb "#222222" lw 1 notitle, \
	for [k = 1:b_K] [cc = 1:b_nc:1] '+' \
	using (b_x(k, cc)):(b_ybot):(b_zero(b_q(k, cc))) \
	with labels offset 0, 0.6 font ",13" tc rgb mcolor(model_of(word(b_S, k))) notitle
set style fill empty
set boxwidth
