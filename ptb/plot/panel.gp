# panel.gp - place the next plot in panel P of a ROWS x COLS grid:
# `call (panel) P ROWS COLS [BOTTOM_PX]`.  Leaves room for the figure
# title above, the shared legend below (top_px, legend_px in common.gp)
# and BOTTOM_PX (default 100) under each panel for tic labels and xlabel.

p_i = int(ARG1) - 1
p_cols = int(ARG3)
p_row = p_i / p_cols
p_col = p_i % p_cols
p_w = 1.0 / p_cols
p_top = 1.0 - px(top_px) - p_row * px(panel_px)
set lmargin at screen p_col * p_w + pxw(125)
set rmargin at screen (p_col + 1) * p_w - pxw(30)
set tmargin at screen p_top - px(58)
set bmargin at screen p_top - px(panel_px) + px(ARGC >= 4 ? int(ARG4) : 100)
