# metric.gp - what the charts of workload I show: `call (metric) I`.
# Defines val(x) and sets m_time (1: a time per op, to be scaled to a unit
# once the largest value is known, see m_ylabel) and m_label (the y label
# otherwise).  Bytes are shown as throughput (MiB/s), other ops as time per
# op, unless keys.gp gives the workload another metric (metric_I).

m_op = value(sprintf("op_%d", int(ARG1)))
m_metric = value(sprintf("metric_%d", int(ARG1)))
m_time = 0
if (m_metric eq "pss_per_worker") {
	val(x) = col(c_pss_kb) / column(c_workers) / 1024
	m_label = "MiB PSS per worker (lower is better)"
} else {
	if (m_metric eq "result") {
		val(x) = col(c_result)
		m_label = value(sprintf("mlabel_%d", int(ARG1)))
	} else {
		if (m_op eq "byte") {
			val(x) = column(c_ns_per_op) > 0 ? 1e9 / column(c_ns_per_op) / 1048576 : NaN
			m_label = "MiB/s (higher is better)"
		} else {
			val(x) = column(c_ns_per_op) > 0 ? column(c_ns_per_op) : NaN
			m_time = 1
			m_label = "time"
		}
	}
}
# The y label and divisor for a largest value hi (in the metric's unit).
m_ylabel(hi) = m_time ? sprintf("%s per %s (lower is better)", tunit(hi), m_op) : m_label
m_scale(hi) = m_time ? tscale(hi) : 1
