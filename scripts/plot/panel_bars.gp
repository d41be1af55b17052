# panel_bars.gp - one panel of grouped bars: for clusters FIRST..LAST
# (every workload variant, see common.gp) a bar per series at the
# variant's largest worker count, height the median of val() / b_sc,
# whiskers minimum to maximum.  The caller defines val(x) and b_sc.
# `call (p_bars) FIRST LAST YLABEL`
# The y axis turns logarithmic when the values span more than 30 times.

b_first = int(ARG1)
b_nc = int(ARG2) - b_first + 1
b_K = words(all_series)
array BY[b_nc * b_K]
array BL[b_nc * b_K]
array BH[b_nc * b_K]
do for [q = 1:b_nc * b_K] { BY[q] = NaN; BL[q] = NaN; BH[q] = NaN }
b_lo = 1e300
b_hi = 0
unset logscale
set xtics () scale 0
do for [cc = 1:b_nc] {
	b_i = CLI[b_first + cc - 1]
	b_j = CLJ[b_first + cc - 1]
	b_n = value(sprintf("vnmax_%d_%d", b_i, b_j))
	b_short = value(sprintf("vshort_%d_%d", b_i, b_j))
	set xtics add (sprintf("%s%s\nn=%d", value(sprintf("wl_%d", b_i)), \
		b_short eq "" ? "" : "\n" . b_short, b_n) cc)
	g_w = value(sprintf("wl_%d", b_i))
	do for [k = 1:b_K] {
		b_kk = word_index(series(b_i, b_j), word(all_series, k))
		b_t = b_kk > 0 ? word_index(workers(b_i, b_j, b_kk), sprintf("%d", b_n)) : 0
		if (b_t > 0) {
			g_m = model_of(word(all_series, k))
			g_n = b_n
			g_p = gparams(b_i, b_j, b_kk, b_t)
			call (gstat)
			q = (cc - 1) * b_K + k
			BY[q] = g_med
			BL[q] = g_min
			BH[q] = g_max
			if (g_cnt > 0) {
				b_lo = g_min > 0 && g_min < b_lo ? g_min : b_lo
				b_hi = g_max > b_hi ? g_max : b_hi
			}
		}
	}
}
b_bw = 0.8 / b_K
set xrange [0.45 : b_nc + 0.55]
set ylabel ARG3
set border 3
set tics nomirror out
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
set errorbars small lc rgb "#222222" lw 1
plot for [k = 1:b_K] [cc = 1:b_nc:1] '+' \
	using (cc + (k - (b_K + 1) / 2.0) * b_bw):(BY[(int(cc) - 1) * b_K + k] / b_sc): \
	      (BL[(int(cc) - 1) * b_K + k] / b_sc):(BH[(int(cc) - 1) * b_K + k] / b_sc):(b_bw) \
	with boxerrorbars lc rgb mcolor(model_of(word(all_series, k))) notitle, \
	for [k = 1:b_K] [cc = 1:b_nc:1] '+' \
	using (cc + (k - (b_K + 1) / 2.0) * b_bw):(b_ybot):(b_zero((int(cc) - 1) * b_K + k)) \
	with labels offset 0, 0.6 font ",13" tc rgb mcolor(model_of(word(all_series, k))) notitle
set style fill empty
set errorbars small lc rgb "black"
