# title.gp - the two title lines of a figure: `call (title) "WHAT" "HOW"`.
# Drawn as labels 1 and 2 (the panels leave those tags alone).

set label 1 ARG1 at screen 0.5, screen 1 - px(38) center font ",24"
set label 2 ARG2 at screen 0.5, screen 1 - px(78) center font ",16" tc rgb "#444444"
