# collect.gp - statistics of val() for every series and worker count of
# one workload variant: `call (collect) WORKLOAD_INDEX VARIANT_INDEX`.
# Fills the flat arrays CX (workers), CY (median), CL, CH (minimum,
# maximum), element (k - 1) * c_max + t for series k, worker count t, and
# sets c_S (the series), c_ns, c_max, c_lo, c_hi (smallest minimum and
# largest maximum), c_xlo, c_xhi (fewest and most workers); adds a tic on
# the x axis at every worker count.  Groups without a value are NaN.

c_i = int(ARG1)
c_j = int(ARG2)
g_w = value(sprintf("wl_%d", c_i))
c_S = series(c_i, c_j)
c_ns = words(c_S)
c_max = 0
do for [k = 1:c_ns] {
	c_max = words(workers(c_i, c_j, k)) > c_max ? words(workers(c_i, c_j, k)) : c_max
}
array CX[c_ns * c_max]
array CY[c_ns * c_max]
array CL[c_ns * c_max]
array CH[c_ns * c_max]
do for [q = 1:c_ns * c_max] { CX[q] = NaN; CY[q] = NaN; CL[q] = NaN; CH[q] = NaN }
c_lo = 1e300
c_hi = 0
c_xlo = 1e9
c_xhi = 0
unset logscale
set xtics () scale default font ""
do for [k = 1:c_ns] {
	g_m = model_of(word(c_S, k))
	c_W = workers(c_i, c_j, k)
	do for [t = 1:words(c_W)] {
		g_n = int(word(c_W, t))
		g_p = gparams(c_i, c_j, k, t)
		call (gstat)
		q = (k - 1) * c_max + t
		CX[q] = g_n
		CY[q] = g_med
		CL[q] = g_min
		CH[q] = g_max
		if (g_cnt > 0) {
			c_lo = g_min < c_lo ? g_min : c_lo
			c_hi = g_max > c_hi ? g_max : c_hi
		}
		c_xlo = g_n < c_xlo ? g_n : c_xlo
		c_xhi = g_n > c_xhi ? g_n : c_xhi
		set xtics add (sprintf("%d", g_n) lx(g_n))
	}
}
