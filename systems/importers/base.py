"""What every importer shares: reading a public file as it really is, and reporting on it.

Public extracts arrive with a byte-order mark, Windows line endings, non-breaking spaces in
names, codes in lower case and blank lines at the end. Reading normalises all of that. What
cannot be read is reported row by row (row number as a spreadsheet shows it, the column, and
the reason), and a file with any error is refused whole: `systems.importers.apply` writes
nothing unless every row is good, or the only problems are rows marked skippable (a Welsh or
closed organisation) and the user chose to skip them.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

# The full national practice mapping is about 1.4 MB; anything this large is not one of ours.
MAX_IMPORT_BYTES = 25 * 1024 * 1024

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Organisations' ODS codes: letters and digits, as long as the code field holds.
ODS_CODE = re.compile(r"^[A-Z0-9]{1,12}$")
MAX_NAME_LENGTH = 300  # Organisation.name


class ImportRefused(Exception):
    """The file as a whole cannot be read (empty, too big, not CSV, wrong shape)."""


@dataclass(frozen=True)
class RowIssue:
    row: int  # as a spreadsheet numbers it: the first line of the file is row 1
    column: str
    reason: str
    skippable: bool = False

    def __str__(self):
        return f"Row {self.row}, {self.column}: {self.reason}"


@dataclass
class ImportSummary:
    """Counts per kind of thing and outcome, e.g. counts["GP practice"]["created"]."""

    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: list[RowIssue] = field(default_factory=list)
    # Memberships of the file's kinds and source current on its date, and how many of them it
    # closes because it no longer lists their organisation.
    current_memberships: int = 0
    left: int = 0

    OUTCOMES = ("created", "updated", "closed", "unchanged")
    # Organisations leave a few at a time (mergers, closures); a file that drops more than this
    # share of the current memberships is most likely part of an extract, not all of it.
    MAX_SHARE_LEFT = 0.1

    def add(self, kind: str, outcome: str, number: int = 1):
        self.counts.setdefault(kind, Counter())[outcome] += number

    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["closed"] for c in self.counts.values())

    def closing_warning(self) -> str:
        """What is wrong when the file would close too many memberships, or ''."""
        if self.left <= self.MAX_SHARE_LEFT * self.current_memberships:
            return ""
        return (
            f"This file would close {self.left} of the {self.current_memberships} current "
            f"memberships ({self.left / self.current_memberships:.0%}), of organisations it does "
            "not list: it looks like part of an extract, not a complete national one."
        )

    def rows(self) -> list[tuple[str, list[int]]]:
        """(kind, a number per outcome in OUTCOMES), as a table shows them."""
        return [
            (kind, [counts[outcome] for outcome in self.OUTCOMES])
            for kind, counts in self.counts.items()
        ]

    def lines(self) -> list[str]:
        lines = [
            f"{kind}: " + ", ".join(f"{c[outcome]} {outcome}" for outcome in self.OUTCOMES)
            for kind, c in self.counts.items()
        ]
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} rows:")
            lines += [f"  {issue}" for issue in self.skipped]
        return lines


@dataclass
class ParsedFile:
    """Rows read from a file, the date it describes, and what was wrong with it."""

    kind: str
    as_at: dt.date | None
    records: list = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[RowIssue]:
        return [issue for issue in self.issues if not issue.skippable]

    @property
    def skippable(self) -> list[RowIssue]:
        return [issue for issue in self.issues if issue.skippable]

    def error(self, row: int, column: str, reason: str):
        self.issues.append(RowIssue(row, column, reason))

    def skip(self, row: int, column: str, reason: str):
        self.issues.append(RowIssue(row, column, reason, skippable=True))


def clean_text(value: str) -> str:
    """Trim and fold runs of spaces, including non-breaking ones, to one plain space."""
    return _SPACES.sub(" ", value or "").strip()


def clean_code(value: str) -> str:
    return clean_text(value).upper()


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark) or Windows-1252, as Excel
    saves CSV. Anything else is refused with what it seems to be and what to do about it."""
    if not raw or not raw.strip():
        raise ImportRefused("The file is empty.")
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            f"The file is {len(raw) / 1024 / 1024:.0f} MB; files over "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are refused."
        )
    if _is_utf16(raw):
        raise ImportRefused(
            "The file is UTF-16 text (Excel's “Unicode text”), which the importer does not "
            "read; save it as CSV UTF-8."
        )
    if b"\x00" in raw:
        raise ImportRefused("This is not a CSV file: it holds binary data.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Files saved from Excel on Windows are often Windows-1252.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportRefused(
                f"The file is not UTF-8 or Windows-1252 text (byte {error.start + 1} is "
                f"0x{raw[error.start]:02X}); save it as CSV UTF-8."
            ) from None
    return text.lstrip("\ufeff")


def _is_utf16(raw: bytes) -> bool:
    """A byte-order mark says so; without one, text in UTF-16 has a zero byte beside almost
    every character of a Latin script."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:4096]
    halves = (sample[0::2], sample[1::2])
    return len(sample) >= 8 and any(
        half.count(0) >= 0.9 * len(half) and not other.count(0)
        for half, other in (halves, halves[::-1])
    )


def read_rows(raw: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) for each non-blank row; numbers count every line, blank or not."""
    text = decode(raw)
    try:
        dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        rows = []
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((number, cells))
    except csv.Error as error:
        raise ImportRefused(f"This is not a CSV file the importer can read: {error}") from error
    if not rows:
        raise ImportRefused("The file has no rows.")
    return rows


def parse_date(value: str, formats: tuple[str, ...]) -> dt.date | None:
    value = clean_text(value)
    if not value:
        return None
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def not_after_today(day: dt.date) -> dt.date:
    """`day`, or ValueError saying it is still to come. No extract describes a day after it
    was made, and extracts must be imported in date order: one dated in the future would
    block every real import after it."""
    today = timezone.localdate()
    if day > today:
        raise ValueError(
            f"{day:%d %b %Y} is after today ({today:%d %b %Y}); a file cannot describe a day "
            "still to come"
        )
    return day


def given_date(day: dt.date) -> dt.date:
    """A date given for the whole file (`--as-at`, the upload form's date), checked as
    `not_after_today` checks the dates in files."""
    try:
        return not_after_today(day)
    except ValueError as error:
        raise ImportRefused(f"The date given is wrong: {error}.") from None


def ends_mid_row(raw: bytes) -> bool:
    """Whether the file stops in the middle of its last row, as a download cut short does:
    the last row may still have every column, with its last cell truncated. Files as
    published, and as spreadsheets save them, end each row with a line break."""
    return raw.rstrip(b" \t,\x1a")[-1:] not in (b"\n", b"\r")


# -- files whose first row names their columns ----------------------------------------------


@dataclass
class HeaderTable:
    """The rows of a CSV file whose first row names its columns, in any order."""

    header_row: int
    position: dict[str, int]  # column name -> index of its cell
    rows: list[tuple[int, list[str]]]  # (row number, cells), each as wide as the header

    def cell(self, cells: list[str], name: str) -> str:
        """The cell of an optional or required column, '' for an optional one left out."""
        return cells[self.position[name]] if name in self.position else ""

    def column(self, name: str) -> str:
        """How a report names a column: `column 3 (numerator)`."""
        return f"column {self.position[name] + 1} ({name})" if name in self.position else name


def header_name(cell: str) -> str:
    return clean_text(cell).lower().replace(" ", "_")


def trimmed(cells: list[str], width: int) -> list[str]:
    """Cells without the empty ones a spreadsheet may leave after the last column."""
    cells = list(cells)
    while len(cells) > width and not cells[-1].strip():
        cells.pop()
    return cells


def read_header_table(
    raw: bytes,
    parsed: ParsedFile,
    *,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    what: str,
    kind: str = "",
) -> HeaderTable | None:
    """Read a file in one of the project's own formats: a header row naming `columns` (the
    `required` ones must be there) and rows of as many cells. Header problems (an unknown,
    repeated or missing column) and rows of the wrong width are reported on `parsed`; returns
    None when the header is unusable. Raises ImportRefused when the file is not of the kind
    (no known column at all) or has no rows beneath its header. `what` names the file's
    contents in those messages, e.g. "performance observations"; `kind` what the file is not,
    when "a file of <what>" does not say it ("a control totals file")."""
    rows = read_rows(raw)
    header_row, header_cells = rows[0]
    names = [header_name(cell) for cell in trimmed(header_cells, 0)]
    if not set(names) & set(columns):
        raise ImportRefused(
            f"This is not {kind or f'a file of {what}'}: its first row should name the columns "
            f"({', '.join(columns)}) but reads “{','.join(header_cells)[:80]}”."
        )
    position: dict[str, int] = {}
    for index, name in enumerate(names):
        label = f"column {index + 1} ({name or 'no name'})"
        if name not in columns:
            parsed.error(
                header_row,
                label,
                f"is not a column of this format; the columns are {', '.join(columns)}",
            )
        elif name in position:
            parsed.error(header_row, label, f"repeats column {position[name] + 1}")
        else:
            position[name] = index
    for name in required:
        if name not in position:
            parsed.error(header_row, name, "the required column is missing from the header")
    if parsed.errors:
        return None
    return _table(rows, HeaderTable(header_row, position, []), len(names), parsed, what)


def _table(rows, table: HeaderTable, width: int, parsed: ParsedFile, what: str) -> HeaderTable:
    """`table` with the rows beneath the header, each as wide as the header's `width`; rows of
    another width are reported on `parsed`."""
    if len(rows) == 1:
        raise ImportRefused(f"The file has a header but no rows of {what}.")
    for number, raw_cells in rows[1:]:
        cells = trimmed(raw_cells, width)
        if len(cells) != width:
            parsed.error(number, "whole row", f"has {len(cells)} columns; the header has {width}")
            continue
        table.rows.append((number, cells))
    return table


@dataclass(frozen=True)
class Layout:
    """One way a publisher has laid out a file: the columns an importer reads, by role, as the
    publisher names them (e.g. {"period": "Period", "code": "Org Code"}), and when it was used."""

    name: str
    columns: dict[str, str]

    def missing(self, names: set[str]) -> list[str]:
        """The columns of this layout not among the header `names` (as `header_name` reads)."""
        return [c for c in self.columns.values() if header_name(c) not in names]


def read_published_table(
    raw: bytes, parsed: ParsedFile, *, layouts: tuple[Layout, ...], what: str
) -> tuple[Layout, HeaderTable]:
    """Read a file as someone else publishes it: a header row naming its columns (matched
    without regard to case or runs of spaces), whichever other columns it has. The layout is
    the fullest of `layouts` whose columns are all there; the table's columns are named by
    the layout's roles (`table.cell(cells, "period")`) and reported by their published names.
    Raises ImportRefused naming the columns missing from the nearest layout when none fits,
    or when the file has no rows beneath its header."""
    rows = read_rows(raw)
    header_row, header_cells = rows[0]
    header = [header_name(cell) for cell in trimmed(header_cells, 0)]
    names = set(header)
    fitting = [layout for layout in layouts if not layout.missing(names)]
    if not fitting:
        nearest = min(layouts, key=lambda layout: len(layout.missing(names)))
        raise ImportRefused(
            f"This is not {what} in a layout the importer knows. Compared with the "
            f"{nearest.name} layout, its header lacks {len(nearest.missing(names))} columns: "
            f"{', '.join(nearest.missing(names))}."
        )
    layout = max(fitting, key=lambda layout: len(layout.columns))
    position = {role: header.index(header_name(name)) for role, name in layout.columns.items()}
    table = PublishedTable(header_row, position, [], layout)
    return layout, _table(rows, table, len(header), parsed, what)


@dataclass
class PublishedTable(HeaderTable):
    """A HeaderTable whose columns are roles of a `Layout`, reported by their published names."""

    layout: Layout | None = None

    def column(self, name: str) -> str:
        return f"column {self.position[name] + 1} ({self.layout.columns[name]})"
