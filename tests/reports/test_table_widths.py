"""The PDF's tables at fixed column widths worked out from their text
(reports/renderers/widths.py): every column wide enough for what may not wrap in it (its
longest word; the whole of a figure or a figure's header), the widths sharing the whole table,
and WeasyPrint left to measure the cells itself when the font is not there."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.document import Annex, Document, TableBlock
from reports.renderers import widths
from reports.renderers.pdf import LANDSCAPE_FROM_COLUMNS, html

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


def _table(columns: int) -> TableBlock:
    """A table whose first column's text would fill a landscape line but not an upright one,
    so the page it is on changes its columns' shares."""
    headers = [f"Column {n}" for n in range(columns)]
    row = ["words " * 60] + ["a"] * (columns - 1)
    return TableBlock(
        caption="A table",
        headers=headers,
        rows=[row],
        values=[row],
        numeric=[False] * columns,
        sheet_name="A table",
    )


def test_an_annex_with_a_wide_table_goes_across_and_its_tables_are_sized_for_it():
    """One rule decides which annexes are landscape: the page class the template writes and
    the width the columns are shared out over."""
    upright, across = _table(3), _table(3)
    narrow = Annex(key="narrow", title="Narrow", tables=[upright])
    wide = Annex(key="wide", title="Wide", tables=[across, _table(LANDSCAPE_FROM_COLUMNS)])
    document = Document(
        title="T",
        subtitle="S",
        scope_label="All",
        generated_on=dt.date(2022, 4, 1),
        as_at=dt.date(2022, 4, 1),
        year_label="",
        purpose=["p"],
        to_note=[],
        sections=[],
        annexes=[narrow, wide],
        illustrative=False,
    )
    written = html(document)
    assert '<div class="annex annex--wide" id="annex-wide">' in written
    assert '<div class="annex" id="annex-narrow">' in written
    expected = {
        available: widths.column_widths(upright.headers, upright.rows, upright.numeric, available)
        for available in (widths.PORTRAIT_PT, widths.LANDSCAPE_PT)
    }
    assert expected[widths.PORTRAIT_PT] != expected[widths.LANDSCAPE_PT]
    assert upright.column_widths == expected[widths.PORTRAIT_PT]
    assert across.column_widths == expected[widths.LANDSCAPE_PT]
