"""What a board summary is made of, independent of its file format.

The sections (reports/sections/) return these plain dataclasses; the renderers
(reports/renderers/) turn one `Document` into PDF, Word or Excel. Tables come from the same
django-tables2 Tables the pages draw (`table_block`), so a figure in a paper and on screen
cannot disagree: the displayed text is the page's rendering, the exported value the page's
download value.
"""

import datetime as dt
import html
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from core.exports import table_sheet


@dataclass
class TableBlock:
    """A table: text as shown (PDF, Word) and values as exported (Excel, numbers as numbers)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    values: list[list]
    numeric: list[bool]
    sheet_name: str
    illustrative: bool = False
    note: str = ""
    # The export's headers, when it has columns the page hides (e.g. a source address).
    value_headers: list[str] | None = None
    # Each exported column's spreadsheet number format (core/exports.py), "" for General.
    formats: list[str] = field(default_factory=list)
    # Each column's share of the width in per cent, set by the PDF renderer when it lays the
    # table out at fixed widths (reports/renderers/widths.py).
    column_widths: list[float] | None = field(default=None, compare=False, repr=False)

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.headers, self.numeric, strict=True))

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Each row's (text, numeric) pairs, for the renderers to align figures right."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]


@dataclass
class ChartBlock:
    """A chart: the page's plotly figure (a Figure or its JSON dict) and its words."""

    title: str
    description: str
    figure: object
    width: int = 900
    image: bytes | None = None  # PNG, filled in by reports.images before rendering

    @classmethod
    def of(cls, chart) -> "ChartBlock":
        """The page's chart (`core.charts.Chart`) as a paper draws it: same figure, same words."""
        return cls(title=chart.title, description=chart.description, figure=chart.figure)


@dataclass
class NumberedList:
    """A numbered list with notes, as Annex A of the September 2018 board paper."""

    title: str
    items: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class Annex:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    lists: list[NumberedList] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    letter: str = ""

    @property
    def heading(self) -> str:
        return f"Annex {self.letter}: {self.title}"


@dataclass
class Section:
    """One section of the paper. `to_note` are the points the cover asks the Board to note;
    paragraphs may refer to an annex as `{annex:<key>}`, replaced by "Annex B" once the
    annexes are lettered."""

    key: str
    title: str
    purpose: str = ""  # a noun phrase for the cover: "the designation of ICSs as at ..."
    paragraphs: list[str] = field(default_factory=list)
    charts: list[ChartBlock] = field(default_factory=list)
    lists: list[NumberedList] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    to_note: list[str] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return any(table.illustrative for table in self.tables) or any(
            table.illustrative for annex in self.annexes for table in annex.tables
        )


@dataclass
class Document:
    title: str
    subtitle: str
    scope_label: str
    generated_on: dt.date
    as_at: dt.date
    year_label: str
    purpose: list[str]
    to_note: list[str]
    sections: list[Section]
    annexes: list[Annex]
    illustrative: bool
    requested_by: str = ""

    @property
    def tables(self) -> list[TableBlock]:
        return [t for s in self.sections for t in s.tables] + [
            t for a in self.annexes for t in a.tables
        ]

    @property
    def charts(self) -> list[ChartBlock]:
        return [c for s in self.sections for c in s.charts]


def cell_text(rendered) -> str:
    """A table cell as plain text: the page's rendering without its links and markup."""
    return html.unescape(strip_tags(str(rendered))).strip()


def table_block(
    table, *, caption: str, sheet_name: str, illustrative: bool = False, note: str = ""
) -> TableBlock:
    """A django-tables2 Table, all rows, as shown on the page and as its XLSX download
    exports it (values typed and formatted by the columns' kinds)."""
    columns = list(table.columns)
    headers = [cell_text(column.header) for column in columns]
    numeric = [
        "numeric" in str(column.column.attrs.get("td", {}).get("class", "")) for column in columns
    ]
    rows = [[cell_text(cell) for cell in row] for row in table.rows]
    exported = table_sheet(table)  # the page's download: hidden columns included
    return TableBlock(
        caption=caption,
        headers=headers,
        rows=rows,
        values=exported.rows[1:],
        value_headers=[str(header) for header in exported.rows[0]],
        formats=exported.formats,
        numeric=numeric,
        sheet_name=sheet_name,
        illustrative=illustrative,
        note=note,
    )
