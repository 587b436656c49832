"""CSV and XLSX downloads of exactly the rows a table shows.

The same django-tables2 Table drives the page and the download, so the figures cannot
disagree. Text that a spreadsheet would read as a formula (leading =, +, -, @, tab or carriage
return) is neutralised with a leading apostrophe; numbers stay numbers, negative ones too.

A CSV gets the plain exported values. An XLSX gets the same rows typed and formatted as the
column kinds say (`core.tables.SpreadsheetColumn`: £ thousands with separators, percentages
as percentages, days as dates), columns as wide as their contents (within bounds), and a
sheet saying where the figures come from, for what date and which are illustrative.

A download's values are computed from the records by the Table's `ExportPlan`
(core/export_values.py: what `as_values` gives, without its per-cell cost), a chunk of rows at
a time: a CSV is streamed as it is written, an XLSX written row by row (core/xlsx.py) to a
temporary file and sent from there, so memory stays flat however many rows.
"""

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils.text import slugify

from . import xlsx
from .export_values import ExportPlan

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")
BRAND = "ICS Tracker "  # how the pages' download names start

# Excel number formats for the column kinds (core/tables.py and the apps' tables.py).
THOUSANDS = "#,##0"  # £ thousands, and counts: whole numbers with separators
PERCENT = "0.0%"
WHOLE_PERCENT = "0%"
POINTS = "+0.0;-0.0;0.0"  # a difference in percentage points, signed
RATE = "#,##0.0"
DATE = "d mmm yyyy"  # as the pages write a day: 1 Apr 2018

# Column widths in characters: as wide as the longest cell, within these bounds, judged on
# the header and the first WIDTH_SAMPLE rows.
NARROWEST, WIDEST = 6, 60
WIDTH_SAMPLE = 1000
CSV_CHUNK_ROWS = 500  # rows a streamed CSV sends at a time
MARKED = ("Figures", "Illustrative")  # the columns that say a row's figures are made up
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A year as the sheet names write it: 2017-18 (a financial year), 2018-09-27 or 2018.
YEAR = re.compile(r"(?:19|20)\d\d(?:-\d\d(?:-\d\d)?)?")


@dataclass
class Sheet:
    """One worksheet: `rows`, the first of them a header row (bold, frozen) when `header`;
    `formats` gives each column's number format for the rows below the header ("" leaves
    Excel's General)."""

    rows: list[list]
    formats: list[str] = field(default_factory=list)
    header: bool = True


def neutralise(value):
    """A cell value that no spreadsheet will evaluate."""
    if type(value) is str:  # the commonest, first
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("Yes" if value else "No")
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def sheet_title(text: str, *, mark: str = "") -> str:
    """A sheet name Excel accepts (none of []:*?/\\, at most 31 characters) that keeps the
    year: "2017/18" becomes "2017-18", and a longer name is shortened before its last year,
    not through it ("League A&E 4-hour waits (type 1) 2017-18" keeps "2017-18"). A `mark`
    (" (2)", to tell apart two names) goes just before the year and is never cut."""
    cleaned = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?\\]", " ", text.replace("/", "-")))
    cleaned = cleaned.strip("' ") or "Sheet"
    years = list(YEAR.finditer(cleaned))
    year = years[-1].group() if years else ""
    rest = (cleaned[: years[-1].start()] + cleaned[years[-1].end() :]) if years else cleaned
    room = 31 - len(mark) - (len(year) + 1 if year else 0)
    kept = re.sub(r"\s+", " ", rest).strip()
    if len(kept) > room:
        # Cut at a word's end, and not inside a bracket.
        cut = kept[:room]
        if kept[room].isalnum() and " " in cut:
            cut = cut[: cut.rindex(" ")]
        if cut.count("(") > cut.count(")"):
            cut = cut[: cut.rindex("(")]
        kept = cut.rstrip(" -(,")
    return " ".join(part for part in (kept + mark, year) if part)


def table_rows(table) -> list[list]:
    """The table's CSV rows: the header, then each row's exported values, neutralised."""
    return [[neutralise(cell) for cell in row] for row in ExportPlan(table).rows()]


def table_sheet(table) -> Sheet:
    """The table's export for a spreadsheet: the CSV's columns and rows (`as_values`), each
    cell as its column's kind gives it to a spreadsheet (`spreadsheet_value`) and each column's
    number format (`number_format`), from the Table definition that draws the page."""
    plan = ExportPlan(table)
    rows = [plan.header]
    rows += [[neutralise(cell) for cell in cells] for _, cells in plan.spreadsheet_rows()]
    return Sheet(rows=rows, formats=plan.formats)


def _shown_length(value, number_format: str) -> int:
    """About how many characters a cell shows: what sets its column's width."""
    if type(value) is str:  # most cells
        return xlsx.longest_line(value)
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, int | float | Decimal):
        if "%" in number_format:
            return len(f"{float(value) * 100:,.1f}%")
        return len(f"{float(value):,.1f}") + 1
    return xlsx.longest_line(str(value))


def _column_widths(sample: list[list], formats: list[str], header: bool) -> list[float | None]:
    """Each column as wide as its contents within bounds, judged on the rows in `sample`
    (the header's without its number formats); None for a column with nothing in it."""
    widths: dict[int, int] = {}
    for number, values in enumerate(sample):
        body_formats = formats if number or not header else ()
        for index, value in enumerate(values):
            if value is not None:
                number_format = body_formats[index] if index < len(body_formats) else ""
                length = _shown_length(value, number_format)
                if length > widths.get(index, 0):
                    widths[index] = length
    columns = max(widths, default=-1) + 1
    return [
        min(max(widths[index] + 2, NARROWEST), WIDEST) if index in widths else None
        for index in range(columns)
    ]


def _write_sheet(book: xlsx.Workbook, title: str, rows: Iterable[list], formats, header: bool):
    """A sheet of `rows` (the first a header when `header`: bold and frozen), each column as
    wide as its contents within bounds, judged on the header and the first WIDTH_SAMPLE rows
    (a sheet's widths are written before its rows)."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE + header))
    widths = _column_widths(sample, formats, header)
    book.sheet(title, chain(sample, rows), formats=formats, widths=widths, header=header)


def csv_bytes(rows: list[list], *, byte_order_mark: bool = True) -> bytes:
    """Rows as CSV in UTF-8, dates written YYYY-MM-DD; with a byte-order mark unless asked
    not to (a data package's CSV is read by its descriptor's encoding, where a mark would
    become part of the first column's name)."""
    return b"".join(csv_chunks(rows, byte_order_mark=byte_order_mark))


def csv_chunks(rows: Iterable[list], *, byte_order_mark: bool = True) -> Iterator[bytes]:
    """`csv_bytes` a few hundred rows at a time, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A byte-order mark lets Excel open the file as UTF-8.
    if byte_order_mark:
        buffer.write("\ufeff")
    for number, row in enumerate(rows, start=1):
        writer.writerow([cell.isoformat() if isinstance(cell, dt.date) else cell for cell in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _save_sheets(
    sheets: Iterable[tuple[str, Iterable[list], list[str], bool]], count: int, file
) -> None:
    """A workbook of `count` (title, rows, formats, header) sheets, written to `file`: a day
    as a date, text never a formula, longer text wrapped (core/xlsx.py)."""
    with xlsx.Workbook(file, sheets=count, date_format=DATE, wrap_over=WIDEST) as book:
        for title, rows, formats, header in sheets:
            _write_sheet(book, sheet_title(title), rows, formats, header)


def xlsx_bytes(sheets: dict[str, list[list] | Sheet]) -> bytes:
    """A workbook with a sheet per entry, named by `sheet_title`; plain rows are a Sheet with
    a header row and no number formats."""
    specs = [
        (title, spec.rows, spec.formats, spec.header)
        for title, content in sheets.items()
        for spec in [content if isinstance(content, Sheet) else Sheet(rows=content)]
    ]
    buffer = io.BytesIO()
    _save_sheets(specs, len(specs), buffer)
    return buffer.getvalue()


class _Tally:
    """What the about sheet says of a download's rows, counted as they are written: how many
    there are and how many are marked illustrative (in a Figures or Illustrative column)."""

    def __init__(self, header: list):
        self.header = header
        self.marked = [i for i, name in enumerate(header) if str(name) in MARKED]
        self.rows = self.illustrative = 0

    def count(self, exported: list) -> None:
        self.rows += 1
        if any("Illustrative" in str(exported[i]) for i in self.marked):
            self.illustrative += 1


def _about(table, title: str, tally: _Tally, downloaded_on: dt.date | None = None) -> Sheet:
    downloaded_on = downloaded_on or dt.date.today()
    if tally.illustrative:
        figures = (
            f"{tally.illustrative} of {tally.rows} rows hold illustrative (made-up "
            "demonstration) figures, marked in the Figures column; the rest are reported "
            "figures."
        )
    else:
        figures = "No row holds illustrative figures."
    sources = " Each row's source is in its Source column." if "Source" in tally.header else ""
    lines = [
        ("Download", title),
        ("Table", getattr(table, "caption", "") or title),
        ("Source", f"ICS Tracker: the rows the page's table shows, as on screen.{sources}"),
        ("Downloaded on", downloaded_on),
        ("Figures", figures),
    ]
    return Sheet(
        rows=[[neutralise(label), neutralise(value)] for label, value in lines], header=False
    )


def _sheet_name(filename: str) -> str:
    """A download's sheet is named as its file, without the file's "ICS Tracker" brand
    (which would take a third of the 31 characters): "Control totals 2017-18"."""
    name = filename.removeprefix(BRAND).strip() or filename
    first = name.split(" ", 1)[0]
    return name[:1].upper() + name[1:] if first.isalpha() else name


def _xlsx_file(table, filename: str):
    """The table's XLSX download in a temporary file (gone when closed), written a row at a
    time: the rows first, so the file opens on them; then what they are."""
    plan = ExportPlan(table)
    tally = _Tally(plan.header)

    def rows():
        yield plan.header
        for exported, cells in plan.spreadsheet_rows():
            tally.count(exported)
            yield [neutralise(cell) for cell in cells]

    def sheets():
        yield _sheet_name(filename), rows(), plan.formats, True
        # Only now are the rows counted.
        about = _about(table, filename, tally)
        yield "About this download", about.rows, about.formats, about.header

    # The response closes it once sent.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        _save_sheets(sheets(), 2, file)  # the rows, then what they are
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def export_response(table, export_format: str, filename: str) -> StreamingHttpResponse:
    """The table's rows as a download: a CSV streamed as its rows are read, an XLSX written
    to a temporary file first (a zip is written whole) and sent from it. Either holds a
    chunk of rows in memory at a time, however many there are."""
    name = slugify(filename) or "export"
    if export_format == "xlsx":
        response = FileResponse(_xlsx_file(table, filename), content_type=XLSX)
    else:
        rows = ([neutralise(cell) for cell in row] for row in ExportPlan(table).rows())
        response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{export_format}"'
    return response
