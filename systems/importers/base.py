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

# The full national practice mapping is about 1.4 MB; anything this large is not one of ours.
MAX_IMPORT_BYTES = 25 * 1024 * 1024

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


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

    OUTCOMES = ("created", "updated", "closed", "unchanged")

    def add(self, kind: str, outcome: str, number: int = 1):
        self.counts.setdefault(kind, Counter())[outcome] += number

    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["closed"] for c in self.counts.values())

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
    if not raw or not raw.strip():
        raise ImportRefused("The file is empty.")
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            f"The file is {len(raw) / 1024 / 1024:.0f} MB; files over "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are refused."
        )
    if b"\x00" in raw[:4096]:
        raise ImportRefused("This is not a CSV file: it holds binary data.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Files saved from Excel on Windows are often Windows-1252.
        text = raw.decode("cp1252", errors="strict")
    return text.lstrip("\ufeff")


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
) -> HeaderTable | None:
    """Read a file in one of the project's own formats: a header row naming `columns` (the
    `required` ones must be there) and rows of as many cells. Header problems (an unknown,
    repeated or missing column) and rows of the wrong width are reported on `parsed`; returns
    None when the header is unusable. Raises ImportRefused when the file is not of the kind
    (no known column at all) or has no rows beneath its header. `what` names the file's
    contents in those messages, e.g. "performance observations"."""
    rows = read_rows(raw)
    header_row, header_cells = rows[0]
    names = [header_name(cell) for cell in trimmed(header_cells, 0)]
    if not set(names) & set(columns):
        raise ImportRefused(
            f"This is not a file of {what}: its first row should name the columns "
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
    if len(rows) == 1:
        raise ImportRefused(f"The file has a header but no rows of {what}.")
    table = HeaderTable(header_row, position, [])
    for number, raw_cells in rows[1:]:
        cells = trimmed(raw_cells, len(names))
        if len(cells) != len(names):
            parsed.error(
                number, "whole row", f"has {len(cells)} columns; the header has {len(names)}"
            )
            continue
        table.rows.append((number, cells))
    return table
