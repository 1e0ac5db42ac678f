"""Pictures drawn in the terminal: the islands map, the timeline ruler, who did what.

Pure geometry and rasterising, no Textual and no Rich: every picture comes out as
rows of `(text, style name)` runs (`runs.Picture`), which a widget draws without
knowing any geometry, and which tests read as plain text. The coastline data comes
from the pack, read and checked by `thaw_tui.pack.atlas` as the pack is loaded.

- `geo`: projection (equirectangular, fitted to a box of cells) and ring geometry.
- `raster`: a canvas of dots kept as one Python int per dot row; braille or ASCII cells.
- `glyphs`: the two character sets (Unicode braille, and ASCII for LANG=C).
- `mapdraw`: the map: land, the disputed islands hatched, labels, markers, a legend.
- `ruler`: the timeline ruler: years (or one year's months) on one axis, eras, ticks.
"""
