# term.gp - open out.FMT for one figure: `call (term) FMT HEIGHT_PX WIDTH_PX`.
# PNG for the README and the report, SVG for print; same size and fonts.

# psz: point size; the svg terminal draws points larger than pngcairo.
psz = ARG1 eq "png" ? 1.6 : 0.8
canvas_px = int(ARG2)
canvas_wpx = int(ARG3)
if (ARG1 eq "png") {
	set terminal pngcairo size canvas_wpx, canvas_px font "DejaVu Sans,17" linewidth 2 noenhanced
} else {
	set terminal svg size canvas_wpx, canvas_px font "DejaVu Sans,17" linewidth 2 noenhanced background "white"
}
set output out . "." . ARG1
