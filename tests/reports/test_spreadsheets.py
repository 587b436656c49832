"""The board summary workbook read back with openpyxl as a reader meets it: a cover saying
what it is, sheet names that keep their year, figures in the pages' formats, columns wide
enough to read, and no sheet that only repeats rows another sheet has."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exports import DATE, NARROWEST, THOUSANDS, WIDEST
from reports.document import TableBlock
from reports.paper import compose_document, write_document
from reports.renderers import ILLUSTRATIVE_NOTICE
from reports.renderers.spreadsheet import covered_by, place_tables, sheet_names
from reports.sections import SummaryScope


@pytest.fixture
def workbook(small_world, tmp_path):
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    document = compose_document(scope, generated_on=dt.date(2026, 1, 5))
    path = tmp_path / "summary.xlsx"
    write_document(document, "xlsx", path)
    return document, load_workbook(path)


@pytest.mark.django_db
def test_xlsx_cover_says_source_period_dates_and_what_is_illustrative(workbook):
    document, book = workbook
    assert book.sheetnames[0] == "Cover"
    cover = {row[0]: row[1:] for row in book["Cover"].iter_rows(values_only=True) if row[0]}
    assert cover["Scope"][0] == "All systems"
    assert cover["Period"][0] == "Financial year 2017/18"
    assert cover["Designation as at"][0] == dt.datetime(2018, 9, 27)
    assert cover["Generated on"][0] == dt.datetime(2026, 1, 5)
    assert cover["Source"][0].startswith("ICS Tracker, from the data it held on 5 January 2026")
    assert cover["Illustrative figures"][0].startswith(ILLUSTRATIVE_NOTICE)
    assert "Control totals 2017-18" in cover["Illustrative figures"][0]
    dates = [row[1] for row in book["Cover"].iter_rows() if row[0].value == "Generated on"]
    assert dates[0].number_format == DATE
    # Every table of the paper is listed with the sheet that holds its rows.
    listed = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True) if row[0]}
    for table in document.tables:
        assert listed[table.caption].split(" (")[0] in book.sheetnames


@pytest.mark.django_db
def test_xlsx_sheet_names_are_short_unique_and_keep_the_year(workbook):
    _, book = workbook
    names = book.sheetnames
    assert len({name.lower() for name in names}) == len(names)
    assert all(len(name) <= 31 for name in names)
    assert "Control totals 2017-18" in names
    assert "Systems 2018-09-27" in names


@pytest.mark.django_db
def test_xlsx_money_in_thousands_format_and_widths_fit_the_contents(workbook):
    _, book = workbook
    sheet = book["Control totals 2017-18"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Control total")
    alpha = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Alpha")
    assert alpha[column].value == -100 and alpha[column].number_format == THOUSANDS
    assert alpha[headers.index("Figures")].number_format == "General"
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert set(widths) == {cell.column_letter for cell in sheet[1]}
    assert all(NARROWEST <= width <= WIDEST for width in widths.values())
    # The system column is as wide as its longest name, the header "Figures" fits its own.
    assert widths["A"] == len("Bravo and Charlie") + 2
    assert widths[sheet[1][headers.index("Figures")].column_letter] == len("Illustrative") + 2


def block(sheet_name, headers, values, *, caption=None) -> TableBlock:
    return TableBlock(
        caption=caption or sheet_name,
        headers=headers,
        rows=[[str(v) for v in row] for row in values],
        values=values,
        numeric=[False] * len(headers),
        sheet_name=sheet_name,
    )


def test_a_table_whose_rows_are_all_in_a_larger_one_gets_no_sheet_of_its_own():
    """The Wave 1 ICSs' standing (ranked among themselves) repeats rows of every system's
    league table: its rows go to the league's sheet, and the cover says so."""
    headers = ["Rank", "System", "Value (%)"]
    wave = block("ICSs A&E 4-hour 2017-18", headers, [[1, "Alpha", Decimal("0.95")]])
    league = block(
        "A&E 4-hour 2017-18",
        headers,
        [[1, "Golf", Decimal("0.97")], [2, "Alpha", Decimal("0.95")]],
    )
    other = block("Plan 2017-18", ["System", "Plan"], [["Alpha", Decimal("-100")]])
    assert covered_by(wave, league) and not covered_by(league, wave)
    names, placed = place_tables([wave, league, other])
    assert names == {1: "A&E 4-hour 2017-18", 2: "Plan 2017-18"}
    assert [item.sheet for item in placed] == [
        "A&E 4-hour 2017-18",
        "A&E 4-hour 2017-18",
        "Plan 2017-18",
    ]


def test_a_table_with_a_different_figure_keeps_its_sheet():
    headers = ["System", "Value (%)"]
    wave = block("Wave", headers, [["Alpha", Decimal("0.94")]])
    league = block("League", headers, [["Golf", Decimal("0.97")], ["Alpha", Decimal("0.95")]])
    assert not covered_by(wave, league)
    names, _ = place_tables([wave, league])
    assert set(names.values()) == {"Wave", "League"}


def test_sheet_names_shorten_the_words_not_the_year_and_stay_unique():
    names = sheet_names(
        [
            "League A&E 4-hour waits, type 1 departments 2017/18",
            "League A&E 4-hour waits, type 1 departments 2017/18",
            "cover",
            "Members of a system with a long name 2018-09-27",
        ]
    )
    assert names == [
        "League A&E 4-hour waits 2017-18",
        "League A&E 4-hour (2) 2017-18",
        "Cover (2)",
        "Members of a system 2018-09-27",
    ]
    assert all(len(name) <= 31 for name in names)
