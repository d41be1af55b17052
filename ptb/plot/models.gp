# models.gp - one fixed colour and point shape per model, the same in every
# ptbench chart (the benchmark charts through common.gp, the claim charts of
# ptb/plot/claims.py directly).  Threads in blues and purples, processes
# in reds, oranges, green, teal and gold; fork+exec (claim C1) in dark red;
# no two models share a hue family (pyproc green, pypool teal; mpi olive,
# pympi gold) nor a point shape; set-a and set-b are the two result sets
# of ptb/compare.py (grey, amber), never drawn beside models.
mcolor(m) = \
	m eq "thread"     ? "#1f5fa8" : m eq "threadpool" ? "#17a2c8" : \
	m eq "pythread"   ? "#7b4fb0" : m eq "fork"       ? "#d62728" : \
	m eq "procpool"   ? "#ff8c1a" : m eq "vfork"      ? "#8c564b" : \
	m eq "spawn"      ? "#e377c2" : m eq "mpi"        ? "#9a9a1a" : \
	m eq "pyproc"     ? "#2ca02c" : m eq "pypool"     ? "#00897b" : \
	m eq "pympi"      ? "#c49000" : m eq "pythreadpool" ? "#b48fd9" : \
	m eq "fork+exec"  ? "#7f0000" : \
	m eq "set-a"      ? "#555555" : m eq "set-b"      ? "#e69f00" : "#000000"
mpoint(m) = \
	m eq "thread"     ? 7  : m eq "threadpool" ? 5  : m eq "pythread" ? 9  : \
	m eq "fork"       ? 11 : m eq "procpool"   ? 13 : m eq "vfork"    ? 15 : \
	m eq "spawn"      ? 4  : m eq "mpi"        ? 6  : m eq "pyproc"   ? 8  : \
	m eq "pypool"     ? 12 : m eq "pympi"     ? 14 : m eq "pythreadpool" ? 3 : \
	m eq "fork+exec" ? 10 : m eq "set-a" ? 5 : m eq "set-b" ? 7 : 1
