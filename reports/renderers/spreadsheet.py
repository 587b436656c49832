"""Excel (XLSX) through openpyxl: a contents sheet, then one sheet per table with its header
row first, numbers as numbers, and text that a spreadsheet would run as a formula neutralised
(core/exports.py, the pages' own download code)."""

from pathlib import Path

from core.exports import neutralise, sheet_title, xlsx_bytes

from ..document import Document
from . import ILLUSTRATIVE_NOTICE


def sheet_names(titles: list[str]) -> list[str]:
    """Excel-safe sheet names, unique after truncation to 31 characters."""
    names: list[str] = []
    for title in titles:
        name = sheet_title(title)
        base, counter = name, 2
        while name.lower() in {existing.lower() for existing in names} or name == "Contents":
            suffix = f" ({counter})"
            name = base[: 31 - len(suffix)] + suffix
            counter += 1
        names.append(name)
    return names


def render(document: Document, path: Path) -> None:
    tables = document.tables
    names = sheet_names([table.sheet_name for table in tables])
    contents = [
        ["Sheet", "Table", "Figures"],
        *[
            [name, table.caption, "Illustrative" if table.illustrative else "Reported"]
            for name, table in zip(names, tables, strict=True)
        ],
        [],
        [document.title],
        [document.subtitle],
        [
            f"Generated {document.generated_on.isoformat()}; designation as at "
            f"{document.as_at.isoformat()}"
        ],
    ]
    if document.illustrative:
        contents.append([ILLUSTRATIVE_NOTICE])
    contents += [[text] for text in document.purpose]
    contents.append(["The Board is asked to note:"])
    contents += [[point] for point in document.to_note]
    sheets = {"Contents": [[neutralise(cell) for cell in row] for row in contents]}
    for name, table in zip(names, tables, strict=True):
        sheets[name] = [table.value_headers or table.headers, *table.values]
    Path(path).write_bytes(xlsx_bytes(sheets))
