"""The PDF's tables at fixed column widths worked out from their text
(reports/renderers/widths.py): every column wide enough for what may not wrap in it (its
longest word; the whole of a figure or a figure's header), the widths sharing the whole table,
and WeasyPrint left to measure the cells itself when the font is not there."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.renderers import widths

pytestmark = pytest.mark.skipif(
    widths._font(False) is None, reason="needs Debian's fonts-liberation2, as the paper does"
)

WORDS = st.text(alphabet="abcdefghijKLMNOP ,.-£0123456789", max_size=30)


def narrowest(text: str, bold: bool, numeric: bool) -> float:
    low, _ = widths._min_max(text, bold, not numeric)
    return low + widths.PADDING_PT


@settings(max_examples=60, deadline=None)
@given(
    columns=st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.lists(WORDS, min_size=n, max_size=n),
            st.lists(st.lists(WORDS, min_size=n, max_size=n), max_size=6),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    )
)
def test_every_column_fits_what_may_not_wrap_when_the_page_has_room(columns):
    headers, rows, numeric = columns
    shares = widths.column_widths(headers, rows, numeric, widths.PORTRAIT_PT)
    assert len(shares) == len(headers)
    assert sum(shares) == pytest.approx(100, abs=0.01)
    lines = [headers, *rows]  # the header's in bold
    needed = [
        max(
            narrowest(line[index], number == 0, numeric[index]) for number, line in enumerate(lines)
        )
        for index in range(len(headers))
    ]
    if sum(needed) <= widths.PORTRAIT_PT:
        for share, need in zip(shares, needed, strict=True):
            assert share / 100 * widths.PORTRAIT_PT >= need - 0.01


def test_a_figure_and_its_header_keep_to_one_line_and_words_wrap():
    shares = widths.column_widths(
        ["System", "Members counted"],
        [["North East and North Cumbria Integrated Care System " * 3, "1,234,567"]],
        [False, True],
        widths.PORTRAIT_PT,
    )
    system, members = (share / 100 * widths.PORTRAIT_PT for share in shares)
    assert members >= widths.text_width("Members counted", True) + widths.PADDING_PT
    assert system >= widths.text_width("Integrated", False) + widths.PADDING_PT
    assert system > members  # the long text takes the room left


def test_without_the_font_weasyprint_measures_the_cells(monkeypatch):
    monkeypatch.setattr(widths, "FONT_DIRECTORIES", ())
    widths._font.cache_clear()
    try:
        assert widths.column_widths(["A"], [["b"]], [False], widths.PORTRAIT_PT) is None
    finally:
        monkeypatch.undo()
        widths._font.cache_clear()
