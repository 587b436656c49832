"""What core/xlsx.py writes, read back as a spreadsheet reader reads it (openpyxl): values
typed as given, text never a formula, number formats, bold and wrapped cells, widths and the
frozen header, several sheets; and its two small rules held equal to openpyxl's own."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from core import xlsx

NOON = dt.datetime(2020, 1, 2, 12)
QUOTED = "A&E <type 1> \"quoted\" 'single'"


def written(*sheets, sheets_expected=None, **options) -> bytes:
    buffer = io.BytesIO()
    count = len(sheets) if sheets_expected is None else sheets_expected
    with xlsx.Workbook(buffer, sheets=count, **options) as book:
        for title, rows, kwargs in sheets:
            book.sheet(title, rows, **kwargs)
    return buffer.getvalue()


def test_values_come_back_typed_and_text_is_never_a_formula():
    rows = [
        ["Name", "Count", "Share", "Day", "Moment", "Flag", "Empty", "Blank"],
        ["=SUM(A1:A9)", 3, Decimal("0.125"), dt.date(2018, 4, 1), NOON, True, None, ""],
        [QUOTED, -7, 2.5, dt.date(1999, 12, 31), None, False],
        ["#N/A", 10**12, Decimal("-1E+3"), None, None, None, None, None],
        ["bell\x07 and\x00 nul, tab\tand\nnewline\r", 0, float("inf")],
    ]
    book = load_workbook(io.BytesIO(written(("Sheet", rows, {"header": True}))))
    sheet = book.worksheets[0]
    read = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert read[0] == rows[0]
    assert read[1][:6] == ["=SUM(A1:A9)", 3, 0.125, dt.datetime(2018, 4, 1), NOON, True]
    assert read[1][6:] == [None, None]  # None and "" are empty cells
    assert read[2][:6] == [QUOTED, -7, 2.5, dt.datetime(1999, 12, 31), None, False]
    assert read[3][:3] == ["#N/A", 10**12, -1000]
    # Characters XML cannot hold are dropped; tabs, newlines and carriage returns kept.
    assert read[4][:3] == ["bell and nul, tab\tand\nnewline\r", 0, "inf"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A2"].data_type == "s" and sheet["A4"].data_type == "s"


def test_formats_bold_header_wrapped_text_widths_and_frozen_pane():
    rows = [["Money", "Rate", "When", "Words"], [1234, 0.5, dt.date(2021, 4, 1), "x " * 40]]
    data = written(
        (
            "Figures",
            rows,
            {"header": True, "formats": ["#,##0", "0.0%", ""], "widths": [8, None, 12.5, 60]},
        ),
        date_format="d mmm yyyy",
        wrap_over=60,
    )
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet["A2"].number_format == "#,##0"
    assert sheet["B2"].number_format == "0.0%"
    assert sheet["C2"].number_format == "d mmm yyyy"  # a day with no column format
    assert sheet["A1"].number_format == "General"  # the header takes no number format
    assert sheet["D2"].alignment.wrap_text and sheet["D2"].alignment.vertical == "top"
    assert not sheet["D1"].alignment.wrap_text
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert widths == {"A": 8, "C": 12.5, "D": 60}


def test_several_sheets_in_order_and_an_empty_one():
    data = written(
        ("A&E 2017-18", [["a"], [1]], {"header": True}),
        ("About", [["Download", "x"]], {}),
        ("Nothing", [], {}),
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["A&E 2017-18", "About", "Nothing"]
    assert book["About"].freeze_panes is None
    assert list(book["Nothing"].iter_rows(values_only=True)) == []
    # The parts that do not depend on the sheets come first, where file sniffers look.
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()[:2] == [
        "[Content_Types].xml",
        "_rels/.rels",
    ]


def test_many_rows_are_all_written():
    rows = [["n"]] + [[n] for n in range(xlsx.ROWS_PER_WRITE * 3 + 7)]
    sheet = load_workbook(io.BytesIO(written(("n", rows, {"header": True})))).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == list(
        range(xlsx.ROWS_PER_WRITE * 3 + 7)
    )


@given(st.integers(min_value=0, max_value=16_383))
def test_column_letters_are_openpyxls(index):
    assert xlsx.column_letter(index) == get_column_letter(index + 1)


@given(
    st.one_of(
        st.dates(min_value=dt.date(1900, 3, 1)),
        st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    )
)
def test_days_are_the_numbers_excel_stores(value):
    # Equal to well within a microsecond (a day is 86,400,000,000 of them).
    assert xlsx.excel_serial(value) == pytest.approx(to_excel(value), abs=1e-10)


def test_a_workbook_has_the_sheets_its_content_types_name():
    with pytest.raises(ValueError, match="1 of its 2 sheets"):
        written(("Only", [["a"]], {}), sheets_expected=2)
    buffer = io.BytesIO()
    book = xlsx.Workbook(buffer, sheets=1)
    book.sheet("One", [])
    with pytest.raises(ValueError, match="not more"):
        book.sheet("Two", [])
