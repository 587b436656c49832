"""CSV and XLSX downloads of exactly the rows a table shows.

The same django-tables2 Table drives the page and the download, so the figures cannot
disagree. Text that a spreadsheet would read as a formula (leading =, +, -, @, tab or carriage
return) is neutralised with a leading apostrophe; numbers stay numbers, negative ones too.

A CSV gets the plain exported values. An XLSX gets the same rows typed and formatted as the
column kinds say (`core.tables.SpreadsheetColumn`: £ thousands with separators, percentages
as percentages, days as dates), columns as wide as their contents (within bounds), and a
sheet saying where the figures come from, for what date and which are illustrative.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

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

# Column widths in characters: as wide as the longest cell, within these bounds.
NARROWEST, WIDEST = 6, 60
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
    return [[neutralise(cell) for cell in row] for row in table.as_values()]


def table_sheet(table) -> Sheet:
    """The table's export for a spreadsheet: the CSV's columns and rows (`as_values`), each
    cell as its column's kind gives it to a spreadsheet (`spreadsheet_value`) and each column's
    number format (`number_format`), from the Table definition that draws the page."""
    header, *exported = table.as_values()
    # The columns as_values writes, in its order.
    bound_columns = [
        bound for bound in table.columns.iterall() if not bound.column.exclude_from_export
    ]
    columns = [bound.column for bound in bound_columns]
    accessors = [bound.accessor for bound in bound_columns]
    rows = [header]
    for row, values in zip(table.rows, exported, strict=True):
        cells = []
        for column, accessor, value in zip(columns, accessors, values, strict=True):
            convert = getattr(column, "spreadsheet_value", None)
            if convert is not None:
                value = convert(value, accessor.resolve(row.record, quiet=True))
            cells.append(neutralise(value))
        rows.append(cells)
    formats = [getattr(column, "number_format", "") for column in columns]
    return Sheet(rows=rows, formats=formats)


def _shown_length(value, number_format: str) -> int:
    """About how many characters a cell shows: what sets its column's width."""
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, int | float | Decimal):
        if "%" in number_format:
            return len(f"{float(value) * 100:,.1f}%")
        return len(f"{float(value):,.1f}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def _lay_out(sheet, spec: Sheet) -> None:
    """Number formats by column, widths to content (bounded; longer text wraps), and a bold,
    frozen header row."""
    widths: dict[int, int] = {}
    for row_number, cells in enumerate(sheet.iter_rows(), start=1):
        for index, cell in enumerate(cells):
            in_body = row_number > 1 or not spec.header
            number_format = spec.formats[index] if index < len(spec.formats) else ""
            if isinstance(cell.value, str):
                # openpyxl would store text starting with "=" as a formula; force text.
                cell.data_type = TYPE_STRING
            elif in_body and number_format:
                cell.number_format = number_format
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE
            if cell.value is None:
                continue
            length = _shown_length(cell.value, number_format if in_body else "")
            if length > WIDEST:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index] = max(widths.get(index, 0), length)
    for index, width in widths.items():
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(width + 2, NARROWEST), WIDEST)
    if spec.header and spec.rows:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"


def csv_bytes(rows: list[list], *, byte_order_mark: bool = True) -> bytes:
    """Rows as CSV in UTF-8, dates written YYYY-MM-DD; with a byte-order mark unless asked
    not to (a data package's CSV is read by its descriptor's encoding, where a mark would
    become part of the first column's name)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([cell.isoformat() if isinstance(cell, dt.date) else cell for cell in row])
    # A byte-order mark lets Excel open the file as UTF-8.
    return (("\ufeff" if byte_order_mark else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, list[list] | Sheet]) -> bytes:
    """A workbook with a sheet per entry, named by `sheet_title`; plain rows are a Sheet with
    a header row and no number formats."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, content in sheets.items():
        spec = content if isinstance(content, Sheet) else Sheet(rows=content)
        sheet = workbook.create_sheet(title=sheet_title(title))
        for row in spec.rows:
            sheet.append(row)
        _lay_out(sheet, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def about_sheet(table, title: str, *, downloaded_on: dt.date | None = None) -> Sheet:
    """What a page's download is: its table's caption (which names the date or period), where
    it comes from, when it was downloaded and how many rows are illustrative, read from the
    table's Figures (or Illustrative) column; a table without one holds no made-up figures."""
    downloaded_on = downloaded_on or dt.date.today()
    header, *rows = table.as_values()
    marked = [i for i, name in enumerate(header) if str(name) in ("Figures", "Illustrative")]
    illustrative = sum(1 for row in rows if any("Illustrative" in str(row[i]) for i in marked))
    if illustrative:
        figures = (
            f"{illustrative} of {len(rows)} rows hold illustrative (made-up demonstration) "
            "figures, marked in the Figures column; the rest are reported figures."
        )
    else:
        figures = "No row holds illustrative figures."
    sources = " Each row's source is in its Source column." if "Source" in header else ""
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


def export_response(table, export_format: str, filename: str) -> HttpResponse:
    name = slugify(filename) or "export"
    if export_format == "xlsx":
        # The rows first, so the file opens on them; then what they are.
        sheets = {
            _sheet_name(filename): table_sheet(table),
            "About this download": about_sheet(table, filename),
        }
        content = xlsx_bytes(sheets)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = csv_bytes(table_rows(table))
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{export_format}"'
    return response
