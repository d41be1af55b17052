# python_collect.gp - statistics of val() for the models python_speedup.gp
# found (model u in variant PJ[u], series PK[u] of workload py_i): like
# collect.gp, but across variants.  Fills CX, CY, CL, CH (element
# (u - 1) * c_max + t: workers, median, minimum, maximum; NaN when absent)
# and c_lo, c_hi, c_xlo, c_xhi; adds an x tic at every worker count.
# `call py_collect` (python_speedup.gp sets py_collect to this file).

do for [q = 1:py_n] { CX[q] = NaN; CY[q] = NaN; CL[q] = NaN; CH[q] = NaN }
c_lo = 1e300
c_hi = 0
c_xlo = 1e9
c_xhi = 0
unset logscale
set xtics () scale default font ""
g_w = "cpu"
do for [u = 1:words(py_models)] {
	if (PK[u] > 0) {
		g_m = word(py_models, u)
		do for [t = 1:words(py_workers(u))] {
			g_n = int(word(py_workers(u), t))
			g_p = gparams(py_i, PJ[u], PK[u], t)
			call (gstat)
			q = (u - 1) * c_max + t
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
}
