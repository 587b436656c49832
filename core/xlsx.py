"""XLSX workbooks written straight as their XML, a row at a time, into a zip.

A download of tens of thousands of cells spent most of its time in openpyxl building and
serialising a cell object per value (about 30 µs a cell). The few things a download needs of
the format are written here directly: sheets of text, numbers and dates, a number format and
bold or wrapped text per cell, column widths and a frozen header row. Every text cell is an
inline string, so nothing written here is ever a formula, whatever it starts with. Rows go
into the zip as they come, so memory stays flat however many there are.

    with Workbook(file, sheets=1) as book:
        book.sheet("Members", rows, formats=[...], widths=[...], header=True)

tests/core/test_xlsx.py reads what it writes back through openpyxl.
"""

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system, as everyone counts it
# XML 1.0 cannot hold these at all; a cell loses them rather than the file being unreadable.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN = re.compile("[^&<>\x00-\x1f\ufffe\uffff]*")
ROWS_PER_WRITE = 200


def content_types(sheets: int) -> str:
    """The package's content types: the workbook, its styles and each of its `sheets`."""
    worksheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
        f'ContentType="{SPREADSHEET}.worksheet+xml"/>'
        for number in range(1, sheets + 1)
    )
    return (
        f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/>'
        f"{worksheets}</Types>"
    )


FIRST_CUSTOM_FORMAT = 164  # ids below are Excel's built-in number formats


def column_letter(index: int) -> str:
    """The letters of the column at 0-based `index`: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value: str) -> str:
    """Text as XML holds it."""
    if _PLAIN.fullmatch(value):  # most cells: nothing to escape
        return value
    text = escape(UNWRITABLE.sub("", value))
    return text.replace("\r", "&#13;")


def excel_serial(value: dt.date) -> float | int:
    """A day (or moment) as the number Excel stores for it."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400
    return (value - EPOCH.date()).days


class _Styles:
    """The workbook's cell styles, each (number format, bold, wrapped) given an index as
    first used; style 0 is Excel's default."""

    def __init__(self):
        self.index = {("", False, False): 0}
        self.formats: dict[str, int] = {}

    def __call__(self, number_format: str = "", bold: bool = False, wrap: bool = False) -> int:
        key = (number_format, bold, wrap)
        found = self.index.get(key)
        if found is None:
            if number_format and number_format not in self.formats:
                self.formats[number_format] = FIRST_CUSTOM_FORMAT + len(self.formats)
            found = self.index[key] = len(self.index)
        return found

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{number}" formatCode={quoteattr(code)}/>'
            for code, number in self.formats.items()
        )
        cells = []
        for number_format, bold, wrap in self.index:
            number = self.formats.get(number_format, 0)
            applied = ' applyNumberFormat="1"' if number else ""
            applied += ' applyFont="1"' if bold else ""
            if wrap:
                cells.append(
                    f'<xf numFmtId="{number}" fontId="{int(bold)}" fillId="0" borderId="0" '
                    f'xfId="0"{applied} applyAlignment="1">'
                    '<alignment wrapText="1" vertical="top"/></xf>'
                )
            else:
                cells.append(
                    f'<xf numFmtId="{number}" fontId="{int(bold)}" fillId="0" borderId="0" '
                    f'xfId="0"{applied}/>'
                )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return (
            f'{XML_DECLARATION}<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if formats else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(cells)}">{"".join(cells)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


class Workbook:
    """An XLSX file being written to `file` (a path or a binary file open for writing) with
    `sheets` sheets (its content types, written first, name each), added in order; it is
    finished by `close()` (or leaving its `with`)."""

    def __init__(self, file, *, sheets: int, date_format: str = "yyyy-mm-dd", wrap_over: int = 0):
        self.zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5)
        self.titles: list[str] = []
        self.styles = _Styles()
        self.date_format = date_format
        self.wrap_over = wrap_over  # text with a line longer than this is wrapped (0: never)
        self.sheets = sheets  # how many it will have: its content types name each
        # The content types first, where file sniffers look.
        self.zip.writestr("[Content_Types].xml", content_types(sheets))
        self.zip.writestr(
            "_rels/.rels",
            f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{DOCUMENT}" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
        else:
            self.zip.close()

    def sheet(
        self,
        title: str,
        rows: Iterable[Sequence],
        *,
        formats: Sequence[str] = (),
        widths: Sequence[float | None] = (),
        header: bool = False,
    ) -> None:
        """A sheet named `title` (already one Excel accepts) of `rows`: text, numbers, days,
        booleans, or None or "" (an empty cell). Below a `header` row (bold, frozen) each column's
        numbers take its entry in `formats`, days the workbook's date format when it has none;
        `widths` in characters (None: Excel's own)."""
        if len(self.titles) == self.sheets:
            raise ValueError(f"This workbook was to have {self.sheets} sheets, not more.")
        self.titles.append(title)
        path = f"xl/worksheets/sheet{len(self.titles)}.xml"
        with self.zip.open(path, "w") as out:
            out.write(self._sheet_start(widths, header).encode())
            pending: list[str] = []
            for number, values in enumerate(rows, start=1):
                bold = header and number == 1
                pending.append(self._row(number, values, () if bold else formats, bold))
                if len(pending) == ROWS_PER_WRITE:
                    out.write("".join(pending).encode())
                    pending.clear()
            out.write(("".join(pending) + "</sheetData></worksheet>").encode())

    def _sheet_start(self, widths: Sequence[float | None], header: bool) -> str:
        view = (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            if header
            else ""
        )
        columns = "".join(
            f'<col min="{index}" max="{index}" width="{width:g}" customWidth="1"/>'
            for index, width in enumerate(widths, start=1)
            if width is not None
        )
        return (
            f'{XML_DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{columns}</cols>" if columns else "")
            + "<sheetData>"
        )

    def _row(self, number: int, values: Sequence, formats: Sequence[str], bold: bool) -> str:
        cells = []
        styles = self.styles
        letters = _letters(len(values))
        for index, value in enumerate(values):
            if value is None or value == "":  # an empty cell, not an empty text
                continue
            reference = f"{letters[index]}{number}"
            if isinstance(value, str):
                wrap = bool(self.wrap_over) and longest_line(value) > self.wrap_over
                style = styles("", bold, wrap) if (bold or wrap) else 0
                cells.append(
                    f'<c r="{reference}"{_style(style)} t="inlineStr">'
                    f'<is><t xml:space="preserve">{_text(value)}</t></is></c>'
                )
                continue
            number_format = formats[index] if index < len(formats) else ""
            if isinstance(value, bool):
                written, kind = int(value), ' t="b"'
            elif isinstance(value, dt.date):
                written, kind = excel_serial(value), ""
                number_format = number_format or self.date_format
            elif isinstance(value, int) or (
                isinstance(value, float | Decimal) and math.isfinite(value)
            ):
                written, kind = value, ""
            else:  # anything else (an infinite float) as the text it prints as
                cells.append(
                    f'<c r="{reference}" t="inlineStr"><is><t>{_text(str(value))}</t></is></c>'
                )
                continue
            style = styles(number_format, bold) if (number_format or bold) else 0
            cells.append(f'<c r="{reference}"{_style(style)}{kind}><v>{written}</v></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    def close(self) -> None:
        """Write what names the sheets and styles, and finish the file."""
        if len(self.titles) != self.sheets:
            self.zip.close()
            raise ValueError(f"This workbook has {len(self.titles)} of its {self.sheets} sheets.")
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{number}" r:id="rId{number}"/>'
            for number, title in enumerate(self.titles, start=1)
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>",
        )
        count = len(self.titles)
        links = "".join(
            f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet" '
            f'Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, count + 1)
        )
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE}">{links}'
            f'<Relationship Id="rId{count + 1}" Type="{RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        self.zip.writestr("xl/styles.xml", self.styles.xml())
        self.zip.close()


_LETTERS: list[str] = []


def _letters(count: int) -> list[str]:
    """The first `count` column letters (kept, as every row asks)."""
    while len(_LETTERS) < count:
        _LETTERS.append(column_letter(len(_LETTERS)))
    return _LETTERS


def _style(index: int) -> str:
    return f' s="{index}"' if index else ""


def longest_line(text: str) -> int:
    """How many characters the longest of the text's lines has."""
    if text.isprintable():  # one line (every line break is unprintable): most cells
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)
