"""The board paper: composed from the data, then written to a file in one format.

`compose_document(scope)` collects the sections (reports/sections/), letters their annexes
and writes the cover; `write_document(document, format, path)` draws the charts and renders
the file. Neither touches a BoardSummary row: a summary's build (`actions.write_board_summary`,
run by the Celery task) and the command (`manage.py board_summary`) both call them.
"""

import datetime as dt
import re
import string
from collections.abc import Callable
from pathlib import Path

from .document import Annex, Document, Section
from .images import ChartImages
from .models import SummaryFormat
from .narrative import names_list
from .sections import SummaryScope, collect_sections

Progress = Callable[[int, str], None]
ANNEX_MARKER = re.compile(r"\{annex:([a-z0-9-]+)\}")
TITLE = "Integrated care systems: board summary"


def _no_progress(percent: int, message: str) -> None:
    pass


def compose_document(
    scope: SummaryScope,
    *,
    generated_on: dt.date | None = None,
    requested_by: str = "",
    progress: Progress = _no_progress,
) -> Document:
    """Every section with something to say, the annexes lettered A, B, ... in order, and a
    cover naming the purpose, the points to note and whether any figure is illustrative."""

    def section_progress(index: int, total: int, key: str) -> None:
        progress(5 + 45 * index // max(total, 1), f"Building the {key} section")

    sections = collect_sections(scope, progress=section_progress)
    annexes = [annex for section in sections for annex in section.annexes]
    _letter_annexes(sections, annexes)
    generated_on = generated_on or dt.date.today()
    purposes = [section.purpose for section in sections if section.purpose]
    purpose = [
        f"This paper summarises, from the data held in ICS Tracker on "
        f"{generated_on.day} {generated_on:%B %Y}, {names_list(purposes)}, for "
        f"{_scope_phrase(scope)}.",
        "Every figure and sentence in it is computed from the same data and queries as the "
        "dashboard's pages; the annexes give the full tables.",
    ]
    subtitle = scope.label + (f", {scope.year.label}" if scope.year is not None else "")
    return Document(
        title=TITLE,
        subtitle=subtitle,
        scope_label=scope.label,
        generated_on=generated_on,
        as_at=scope.as_at,
        year_label=scope.year.label if scope.year is not None else "",
        purpose=purpose,
        to_note=[point for section in sections for point in section.to_note],
        sections=sections,
        annexes=annexes,
        illustrative=any(section.illustrative for section in sections),
        requested_by=requested_by,
    )


def _letter_annexes(sections: list[Section], annexes: list[Annex]) -> None:
    """Letter the annexes A, B, ... in order and put the letters where the text points at
    an annex (`{annex:<key>}`)."""
    letters = {}
    for index, annex in enumerate(annexes):
        annex.letter = string.ascii_uppercase[index] if index < 26 else str(index + 1)
        letters[annex.key] = f"Annex {annex.letter}"

    def resolve(text: str) -> str:
        return ANNEX_MARKER.sub(lambda match: letters.get(match.group(1), "the annexes"), text)

    for section in sections:
        section.paragraphs = [resolve(p) for p in section.paragraphs]
        section.to_note = [resolve(p) for p in section.to_note]
    for annex in annexes:
        annex.paragraphs = [resolve(p) for p in annex.paragraphs]


def _scope_phrase(scope: SummaryScope) -> str:
    if scope.region is not None:
        return f"the systems of the {scope.region.name} region"
    if scope.wave is not None:
        return f"the systems designated in {scope.wave.name}"
    if scope.system is not None:
        return scope.system_name
    return "every system in England"


def write_document(
    document: Document,
    summary_format: str,
    path: Path,
    *,
    charts: bool = True,
    progress: Progress = _no_progress,
) -> None:
    """Render `document` to `path` in `summary_format` (pdf, docx or xlsx). Spreadsheets
    carry the tables only, so they draw no charts."""
    from .renderers import pdf, spreadsheet, word

    if summary_format == SummaryFormat.XLSX:
        progress(70, "Writing the spreadsheet")
        spreadsheet.render(document, path)
        return
    images = None
    if charts and document.charts:
        # Drawn in the background while the PDF is laid out (reports/images.py).
        progress(55, f"Drawing {len(document.charts)} charts")
        images = ChartImages(document.charts).start()
    else:
        for chart in document.charts:
            chart.image = None
    try:
        if summary_format == SummaryFormat.PDF:
            progress(75, "Laying out the PDF")
            pdf.render(document, path, images)
        elif summary_format == SummaryFormat.DOCX:
            if images is not None:
                images.wait()
            progress(75, "Writing the Word document")
            word.render(document, path)
        else:
            raise ValueError(f"Unknown format {summary_format!r}")
    finally:
        if images is not None:
            images.join()  # no browser left running, whatever failed
