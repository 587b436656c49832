"""Column widths for the PDF's tables, worked out from their text, so that WeasyPrint can lay
them out with a fixed table layout instead of measuring every cell itself.

WeasyPrint's automatic table layout measures each cell's narrowest and widest width by
shaping its text: in the 42-system paper that was about a sixth of the whole build. The
widths are worked out the same way here, with the font's own advance widths (Liberation Sans,
the metric twin of Arial, which is what the paper is set in: `templates/reports/document.html`),
and shared out as CSS's automatic layout shares them: each column at least as wide as its
longest word (its whole text where it may not wrap: figures and their headers), the room left
shared in proportion to how much wider each column would like to be. Where the font cannot be
found, there are no widths, and WeasyPrint measures as before.
"""

import re
from functools import cache, lru_cache
from pathlib import Path

# The paper's table text (document.html: table.data, 8pt; headers bold).
FONT_SIZE_PT = 8
PADDING_PT = 8  # 4pt either side of every cell
SAFETY = 1.04  # kerning and rounding: a little more room than the advance widths
FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
PT_PER_MM = 72 / 25.4
# The text width of the paper's pages (document.html's @page rules).
PORTRAIT_PT = (210 - 2 * 18) * PT_PER_MM
LANDSCAPE_PT = (297 - 2 * 16) * PT_PER_MM
SCALE = 10  # fonts are measured at ten times the size, for precision
SPACES = re.compile(r"\s+")


@cache
def _font(bold: bool):
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    for directory in FONT_DIRECTORIES:
        if (directory / name).is_file():
            return ImageFont.truetype(str(directory / name), FONT_SIZE_PT * SCALE)
    return None


@lru_cache(maxsize=20_000)
def text_width(text: str, bold: bool) -> float:
    """The width of `text` on one line, in points."""
    return _font(bold).getlength(text) / SCALE * SAFETY


def _min_max(text: str, bold: bool, wraps: bool) -> tuple[float, float]:
    text = SPACES.sub(" ", text.strip())
    whole = text_width(text, bold) if text else 0.0
    if not wraps:
        return whole, whole
    longest = max((text_width(word, bold) for word in text.split(" ") if word), default=0.0)
    return longest, whole


def column_widths(headers, rows, numeric, available: float) -> list[float] | None:
    """Each column's share of the table's width, in per cent; None when the font is missing.
    Figures (`numeric`) and their headers do not wrap; other text wraps between words."""
    if _font(False) is None or _font(True) is None or not headers:
        return None
    narrowest = [0.0] * len(headers)
    widest = [0.0] * len(headers)
    for row, bold in ((headers, True), *((row, False) for row in rows)):
        for index, text in enumerate(row):
            low, high = _min_max(str(text), bold, not numeric[index])
            narrowest[index] = max(narrowest[index], low + PADDING_PT)
            widest[index] = max(widest[index], high + PADDING_PT)
    least, most = sum(narrowest), sum(widest)
    if most <= available:  # everything fits on one line: the room left goes by width
        widths = [width * available / most for width in widest]
    elif least < available:  # between: each column gains in proportion to what it lacks
        room = (available - least) / (most - least)
        widths = [low + (high - low) * room for low, high in zip(narrowest, widest, strict=True)]
    else:  # nothing fits: each at its narrowest (the table runs over, as it would anyway)
        widths = narrowest
    total = sum(widths)
    return [round(width * 100 / total, 3) for width in widths]
