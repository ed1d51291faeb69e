"""The DRAFT mark of the pack's draft text, drawn as lines rather than written as text.

Drawn letters are not text: a screen reader or a copy of the page does not read stray "D", "RA",
"FT" in the middle of the policy, and the page's running header ("DRAFT – <policy>") says it in
words instead. Two marks: a pale one behind the text of each page, and a stronger one over each
flowchart, whose white boxes would otherwise hide the page's mark (a printed draft chart must
not look approved).
"""

from __future__ import annotations

# The five letters on a 60 × 80 grid each, 80 apart: D R A F T, 380 wide and 80 high in all.
LETTERS = (
    "M0 0V80H25Q60 80 60 40Q60 0 25 0Z"
    "M80 80V0H115Q140 0 140 22Q140 44 115 44H80M110 44L140 80"
    "M160 80L190 0L220 80M172 50H208"
    "M300 0H240V80M240 38H285"
    "M320 0H380M350 0V80"
)
RED = "#d4351c"


def _mark(width: float, height: float, angle: float, scale: float, opacity: float) -> str:
    """The letters centred in a width × height picture, turned by angle degrees."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
            f'viewBox="0 0 {width} {height}"><g transform="translate({width / 2} {height / 2}) rotate({angle}) '
            f'scale({scale}) translate(-190 -40)"><path d="{LETTERS}" fill="none" stroke="{RED}" '
            f'stroke-opacity="{opacity}" stroke-width="12" stroke-linejoin="round" stroke-linecap="round"/></g></svg>')


PAGE_MARK_SVG = _mark(210, 297, -50, 0.5, 0.13)
"""Behind the text of a whole A4 page, corner to corner."""
CHART_MARK_SVG = _mark(300, 170, -20, 0.7, 0.42)
"""Over a flowchart, scaled to the chart's box: strong enough to see, light enough to read the chart through."""
