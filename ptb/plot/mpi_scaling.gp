# mpi_scaling.gp - the allreduce workload across hosts: measured speed-up
# against the Hockney model fitted to it (left), and the model's projection
# to 64 hosts for a LAN-like and a WAN-like network (right).
#
#   gnuplot -e "dir='D'; out='results/plots/mpi-scaling'; head='...'; \
#               nmeas=N; ncurves=M; ncomp=K; ranks=R; pay='8 B'" scripts/plot/mpi_scaling.gp
# D holds measured.dat, predicted_here.dat and projection.dat, written by
# ptb/mpi_scaling.py (one block per series, its title on the first
# line).  Writes OUT.png and OUT.svg.

if (!exists("dir") || !exists("out")) {
	print "mpi_scaling.gp: set dir and out with -e (see ptb/mpi_scaling.py)"
	exit status 2
}
set encoding utf8
colors = "#1f5fa8 #d62728 #2ca02c #ff8c1a #7b4fb0 #8c564b #17a2c8 #9a9a1a"
col(i) = word(colors, (i - 1) % words(colors) + 1)

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1600,700 font "Sans,12"
	} else {
		set terminal svg size 1600,700 font "Sans,12" dynamic
	}
	set output out . "." . fmt
	set multiplot layout 1,2 title "allreduce across hosts: speed-up, measured and Hockney model\n{/*0.85 " . head . "}" font ",15"

	# --- left: this machine, measured and fitted -----------------------------
	set title "this machine: " . ranks . " mpi ranks on H network-namespace hosts, all sharing its cores\n{/*0.8 points: measured medians; lines: the fitted model at 1, 2, 4 hosts; hosts add no cores here, so 1 is ideal}" font ",13"
	set xlabel "hosts"
	set ylabel "speed-up against 1 host (t_1 / t_H per exchange)"
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

	# --- right: projection -----------------------------------------------------
	set title "projection (model, not measured): a fixed job over H real hosts, one rank per host on its own cores, " . pay . " exchanges\n{/*0.8 solid: LAN-like (link latency and bandwidth fitted here); dashed: WAN-like (+10 ms, 100 Mbit/s: assumed); dotted: ideal}" font ",13"
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
	unset multiplot
	unset logscale
	set output
}
