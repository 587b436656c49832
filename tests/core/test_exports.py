"""Page downloads as a spreadsheet reader meets them: the column kinds of the page's Table
(money, percentages, counts, days) give each XLSX column its number format, columns are as
wide as their contents, the sheet name keeps its year, a second sheet says what the download
is; the CSV of the same page keeps its plain values."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import DATE, NARROWEST, PERCENT, POINTS, THOUSANDS, WIDEST, sheet_title
from tests.factories.finance import FinancialYearFactory
from tests.factories.systems import MembershipFactory, make_system
from tests.helpers import body
from tests.performance.test_pages import league_url, performance_system
from tests.reports.conftest import finance_system


def download(client, url, export_format):
    response = client.get(url, {"_export": export_format})
    assert response.status_code == 200
    if export_format == "csv":
        return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    return load_workbook(io.BytesIO(body(response)))


def cells_by_header(sheet) -> dict:
    headers = [cell.value for cell in sheet[1]]
    return dict(zip(headers, sheet[2], strict=True))


def assert_widths_fit(sheet):
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert set(widths) == {cell.column_letter for cell in sheet[1]}
    assert all(NARROWEST <= width <= WIDEST for width in widths.values())
    for cell in sheet[1]:
        assert widths[cell.column_letter] >= min(len(cell.value) + 2, WIDEST)


@pytest.mark.django_db
def test_league_xlsx_has_percentages_counts_and_points_formatted(analyst_client):
    performance_system(name="Split", counts=[(95, 100), (80, 100)])
    book = download(analyst_client, league_url(), "xlsx")
    sheet = book.worksheets[0]
    cells = cells_by_header(sheet)
    assert cells["Value (%)"].value == pytest.approx(0.875)
    assert cells["Value (%)"].number_format == PERCENT
    assert cells["National (%)"].number_format == PERCENT
    assert cells["Within standard"].value == 2100
    assert cells["Within standard"].number_format == THOUSANDS
    assert cells["Gap (points)"].number_format == POINTS
    assert cells["System"].number_format == "General"
    assert_widths_fit(sheet)
    assert len(sheet.title) <= 31
    # The CSV keeps the plain exported value.
    header, first, *_ = download(analyst_client, league_url(), "csv")
    assert dict(zip(header, first, strict=True))["Value (%)"] == "87.5000"


@pytest.mark.django_db
def test_member_xlsx_has_real_dates_and_the_csv_keeps_its_text(analyst_client):
    system = make_system(name="Dated")
    MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
    url = reverse("systems:detail", args=[system.slug])
    sheet = download(analyst_client, url, "xlsx").worksheets[0]
    member_from = cells_by_header(sheet)["Member from"]
    assert member_from.value == dt.datetime(2016, 4, 1)
    assert member_from.number_format == DATE
    header, first, *_ = download(analyst_client, url, "csv")
    assert dict(zip(header, first, strict=True))["Member from"] == "1 Apr 2016"


@pytest.mark.django_db
def test_finance_xlsx_has_thousands_and_says_which_rows_are_illustrative(analyst_client):
    year = FinancialYearFactory(start_year=2017)
    finance_system(year, "Made up", [(-1234, -1500, 20)])
    finance_system(year, "Reported", [(0, 10, 20)], illustrative=False)
    url = reverse("finance:year", args=[year.slug])
    book = download(analyst_client, url, "xlsx")
    sheet, about = book.worksheets
    assert sheet.title == "Control totals 2017-18"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    headers = [cell.value for cell in sheet[1]]
    control_total = rows["Made up"][headers.index("Control total")]
    assert control_total.value == -1234 and control_total.number_format == THOUSANDS
    assert_widths_fit(sheet)
    assert about.title == "About this download"
    facts = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert facts["Figures"].startswith("1 of 2 rows hold illustrative")
    assert facts["Downloaded on"] == dt.datetime.combine(dt.date.today(), dt.time())
    assert facts["Table"] and facts["Source"].startswith("ICS Tracker")
    for worksheet in book.worksheets:
        assert all(cell.data_type != "f" for row in worksheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_xlsx_download_costs_no_more_queries_than_the_csv(analyst_client):
    """Typing the cells reads the rows already loaded: the XLSX asks the database what the
    CSV asks, however many rows."""
    counts = {}
    for systems, new in ((1, 1), (6, 5)):
        for n in range(new):
            performance_system(name=f"System {systems}-{n}")
        # What the page reads once per data version (its list of standards) is read first.
        download(analyst_client, league_url(), "csv")
        for export_format in ("csv", "xlsx"):
            with CaptureQueriesContext(connection) as queries:
                download(analyst_client, league_url(), export_format)
            counts[(systems, export_format)] = len(queries)
    assert counts[(1, "xlsx")] == counts[(1, "csv")]
    assert counts[(6, "xlsx")] == counts[(6, "csv")] == counts[(1, "csv")]


def test_sheet_title_keeps_the_year_within_31_characters():
    assert sheet_title("Control totals 2017/18") == "Control totals 2017-18"
    long = sheet_title("Organisations in Bedfordshire, Luton and Milton Keynes 2019-07-01")
    assert long == "Organisations in 2019-07-01"
    assert sheet_title("A&E 4-hour waits, type 1 departments [2018/19]") == (
        "A&E 4-hour waits, type 2018-19"
    )
    assert sheet_title("Control totals 2017-18", mark=" (2)") == "Control totals (2) 2017-18"
    assert sheet_title("No year in this very long name of a table at all") == (
        "No year in this very long name"
    )
    assert sheet_title("?") == "Sheet"
