# mpi_scaling.gp - the allreduce workload across hosts: measured speed-up
# against the Hockney model fitted to it (left), and the model's projection
# to 64 hosts for a LAN-like and a WAN-like network (right).
#
#   gnuplot -e "dir='D'; out='results/plots/mpi-scaling'; head='...'; \
#               nmeas=N; ncurves=M; ncomp=K; ranks=R; pay='8 B'; foot='data: ...'" \
#           ptb/plot/mpi_scaling.gp
# D holds measured.dat, predicted_here.dat and projection.dat, written by
# ptb/mpi_scaling.py (one block per series, its title on the first
# line).  Writes OUT.png and OUT.svg.  The two titles and each panel's
# three title lines sit in bands of their own (no line runs into another);
# foot, the runs drawn and their dates, is the last line.

if (!exists("dir") || !exists("out")) {
	print "mpi_scaling.gp: set dir and out with -e (see ptb/mpi_scaling.py)"
	exit status 2
}
set encoding utf8
colors = "#1f5fa8 #d62728 #2ca02c #ff8c1a #7b4fb0 #8c564b #17a2c8 #9a9a1a"
col(i) = word(colors, (i - 1) % words(colors) + 1)

if (!exists("foot")) foot = ""
H = 860.0
fy(px) = 1.0 - px / H

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1600,860 font "Sans,12" noenhanced
	} else {
		set terminal svg size 1600,860 font "Sans,12" noenhanced dynamic background "white"
	}
	set output out . "." . fmt
	set multiplot
	set label 1 "allreduce across hosts: speed-up, measured and Hockney model (higher is better)" \
		at screen 0.5, screen fy(24) center font ",17"
	set label 2 head at screen 0.5, screen fy(50) center font ",13" tc rgb "#333333"
	set label 3 foot at screen 0.5, screen 0.012 center font ",11" tc rgb "#666666"
	set tmargin at screen fy(178)
	set bmargin at screen 0.11

	# --- left: this machine, measured and fitted -----------------------------
	set lmargin at screen 0.06
	set rmargin at screen 0.47
	set label 4 "this machine: " . ranks . " mpi ranks on H network-namespace hosts, all sharing its cores" \
		at screen 0.265, screen fy(90) center font ",13"
	set label 5 "points: measured medians; lines: the model fitted to them, at 1, 2, 4 hosts" \
		at screen 0.265, screen fy(114) center font ",11" tc rgb "#333333"
	set label 6 "hosts add no cores here, so a speed-up of 1 is the best possible" \
		at screen 0.265, screen fy(134) center font ",11" tc rgb "#333333"
	unset title
	set xlabel "hosts"
	set ylabel "speed-up against 1 host (t1 / tH per exchange)"
	set xrange [0.8:4.3]
	set xtics (1, 2, 4)
	set logscale y 2
	set autoscale y
	set grid
	set key top right font ",10" box opaque
	plot for [i=0:nmeas-1] dir . "/measured.dat" index i using 1:2 title columnheader(1) \
		with points pt 7 ps 1.6 lc rgb col(i + 1), \
	     for [i=0:nmeas-1] dir . "/predicted_here.dat" index i using 1:2 notitle \
		with linespoints lw 2 pt 6 ps 2.2 lc rgb col(i + 1)
	unset label

	# --- right: projection -----------------------------------------------------
	set lmargin at screen 0.56
	set rmargin at screen 0.98
	set label 4 "projection (model, not measured): a fixed job over H real hosts" \
		at screen 0.77, screen fy(90) center font ",13"
	set label 5 "one rank per host on its own cores, " . pay . " exchanges" \
		at screen 0.77, screen fy(114) center font ",11" tc rgb "#333333"
	set label 6 "solid: LAN-like (latency and bandwidth fitted here); dotted: ideal" \
		at screen 0.77, screen fy(134) center font ",11" tc rgb "#333333"
	set label 7 "dashed: WAN-like (+10 ms, 100 Mbit/s: assumed, not measured)" \
		at screen 0.77, screen fy(154) center font ",11" tc rgb "#333333"
	set xlabel "hosts"
	set ylabel "speed-up against 1 host"
	set logscale x 2
	set logscale y 2
	set xrange [0.9:72]
	set yrange [0.01:128]
	set xtics (1, 2, 4, 8, 16, 32, 64)
	set key top left font ",10" box opaque
	plot x notitle with lines dt 3 lw 1 lc rgb "#888888", \
	     for [i=0:ncomp-1] dir . "/projection.dat" index i using 1:2 title columnheader(1) \
		with linespoints lw 2 pt 7 ps 0.8 dt 1 lc rgb col(i + 1), \
	     for [i=ncomp:ncurves-1] dir . "/projection.dat" index i using 1:2 title columnheader(1) \
		with linespoints lw 2 pt 7 ps 0.8 dt 2 lc rgb col(i - ncomp + 1)
	unset label
	unset multiplot
	unset logscale
	set output
}
