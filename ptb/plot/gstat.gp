# gstat.gp - median, quartiles, minimum and maximum of val() over the rows
# of one group (g_w, g_m, g_n, g_p: see common.gp), read from the CSV.
# Sets g_cnt (0 when the group has no value), g_med, g_lo, g_hi, g_min, g_max.
# `stats` undefines STATS_* when it finds no valid point, hence exists().

stats [*:*] [*:*] csv skip 1 using (in_group(0) ? val(0) : NaN) nooutput
g_cnt = exists("STATS_records") ? STATS_records : 0
g_med = g_cnt > 0 ? STATS_median : NaN
g_lo  = g_cnt > 0 ? STATS_lo_quartile : NaN
g_hi  = g_cnt > 0 ? STATS_up_quartile : NaN
g_min = g_cnt > 0 ? STATS_min : NaN
g_max = g_cnt > 0 ? STATS_max : NaN
