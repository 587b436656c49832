"""Excel (XLSX), written by core/xlsx.py: a cover sheet, then one sheet per table with its
header row first, numbers as numbers in the formats the pages' column kinds give them
(£ thousands with separators, percentages, dates), columns as wide as their contents, and text
that a spreadsheet would run as a formula neutralised (core/exports.py, the pages' own download
code).

The paper repeats some rows for emphasis (the Wave 1 ICSs' standing, before every system's
in an annex); a table whose every row is already in a larger sheet is not given a sheet of
its own, and the cover says where its rows are.
"""

from dataclasses import dataclass
from pathlib import Path

from core.exports import Sheet, neutralise, sheet_title, xlsx_bytes

from ..document import Document, TableBlock
from . import ILLUSTRATIVE_NOTICE

COVER = "Cover"
# Columns that order a table's own rows (a rank within the Wave 1 ICSs) rather than describe
# them, so two tables can hold the same rows with different ranks.
ORDERING_HEADERS = {"Rank"}


@dataclass
class Placed:
    table: TableBlock
    sheet: str  # the sheet holding its rows: its own, or the larger one that has them all


def sheet_names(titles: list[str]) -> list[str]:
    """Excel-safe sheet names that keep their year, unique (as Excel compares them, ignoring
    case), the cover's name left free; the first letter a capital."""
    names: list[str] = []
    taken = {COVER.lower()}
    for title in titles:
        name = sheet_title(title)
        name = name[:1].upper() + name[1:]
        counter = 2
        while name.lower() in taken:
            name = sheet_title(title, mark=f" ({counter})")
            name = name[:1].upper() + name[1:]
            counter += 1
        taken.add(name.lower())
        names.append(name)
    return names


def _headers(table: TableBlock) -> list[str]:
    return table.value_headers or table.headers


def covered_by(table: TableBlock, other: TableBlock) -> bool:
    """Whether every row of `table` is a row of `other`: each of its columns (bar a rank) is
    one of `other`'s, and each row's values in them are those of some row of `other`."""
    headers, others = _headers(table), _headers(other)
    shared = [h for h in headers if h not in ORDERING_HEADERS]
    if len(shared) < 2 or not set(shared) <= set(others) or len(table.values) > len(other.values):
        return False

    def key(row: list, names: list[str]) -> tuple:
        by_header = dict(zip(names, row, strict=True))
        return tuple(str(by_header[h]) for h in shared)

    in_other = {key(row, others) for row in other.values}
    return all(key(row, headers) in in_other for row in table.values)


def place_tables(tables: list[TableBlock]) -> tuple[dict[int, str], list[Placed]]:
    """Each table's sheet: its own (by index, with its unique name), or, for a table whose
    rows are all in a larger one, that one's. Larger tables are placed first, so a table is
    only ever folded into one that keeps its sheet."""
    order = sorted(range(len(tables)), key=lambda i: -len(tables[i].values))
    kept: list[int] = []
    folded: dict[int, int] = {}
    for index in order:
        host = next((k for k in kept if covered_by(tables[index], tables[k])), None)
        if host is None:
            kept.append(index)
        else:
            folded[index] = host
    own = sorted(kept)
    names = dict(zip(own, sheet_names([tables[i].sheet_name for i in own]), strict=True))
    placed = [Placed(table, names[folded.get(i, i)]) for i, table in enumerate(tables)]
    return names, placed


def cover_sheet(document: Document, names: dict[int, str], placed: list[Placed]) -> Sheet:
    """What the workbook is: its source, scope, period and dates, which figures are
    illustrative, and every table of the paper with the sheet that holds its rows."""
    illustrative = [item.sheet for item in placed if item.table.illustrative]
    if document.illustrative:
        figures = (
            f"{ILLUSTRATIVE_NOTICE} Sheets with illustrative figures: "
            f"{', '.join(dict.fromkeys(illustrative))}."
        )
    else:
        figures = "None: every figure in this workbook is a reported one."
    generated = document.generated_on
    rows: list[list] = [
        [document.title],
        [],
        ["Scope", document.scope_label],
        ["Period", f"Financial year {document.year_label}" if document.year_label else "—"],
        ["Designation as at", document.as_at],
        ["Generated on", generated],
        [
            "Source",
            f"ICS Tracker, from the data it held on {generated.day} {generated:%B %Y}: the "
            "same tables as the dashboard's pages and the board paper's annexes. Where a sheet "
            "has a Source column, it names where each row's figures come from.",
        ],
        ["Illustrative figures", figures],
        [],
        ["Table", "Sheet", "Figures"],
    ]
    for index, item in enumerate(placed):
        where = item.sheet if index in names else f"{item.sheet} (its rows are all there)"
        rows.append(
            [item.table.caption, where, "Illustrative" if item.table.illustrative else "Reported"]
        )
    rows.append([])
    rows += [["Purpose", text] for text in document.purpose]
    rows += [["The Board is asked to note", point] for point in document.to_note]
    return Sheet(rows=[[neutralise(cell) for cell in row] for row in rows], header=False)


def render(document: Document, path: Path) -> None:
    tables = document.tables
    names, placed = place_tables(tables)
    sheets: dict[str, Sheet] = {COVER: cover_sheet(document, names, placed)}
    for index, name in names.items():
        table = tables[index]
        sheets[name] = Sheet(rows=[_headers(table), *table.values], formats=table.formats)
    Path(path).write_bytes(xlsx_bytes(sheets))
