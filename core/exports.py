"""CSV and XLSX downloads of exactly the rows a table shows.

The same django-tables2 Table drives the page and the download, so the figures cannot
disagree. Text that a spreadsheet would read as a formula (leading =, +, -, @, tab or carriage
return) is neutralised with a leading apostrophe; numbers stay numbers, negative ones too.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")


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


def sheet_title(text: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", text).strip("' ")
    return (cleaned or "Sheet")[:31]


def table_rows(table) -> list[list]:
    return [[neutralise(cell) for cell in row] for row in table.as_values()]


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


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=sheet_title(title))
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                # openpyxl would store text starting with "=" as a formula; force text.
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        if rows:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(table, export_format: str, filename: str) -> HttpResponse:
    rows = table_rows(table)
    name = slugify(filename) or "export"
    if export_format == "xlsx":
        content = xlsx_bytes({filename: rows})
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = csv_bytes(rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{export_format}"'
    return response
