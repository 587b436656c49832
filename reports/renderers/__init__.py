"""Renderers: one `Document` (reports/document.py) to one file format each."""

from dataclasses import dataclass

from ..document import Document, Section


@dataclass
class NumberedSection:
    section: Section
    paragraphs: list[tuple[int, str]]


def numbered_sections(document: Document) -> list[NumberedSection]:
    """Sections with their paragraphs numbered straight through, as a board paper numbers
    them (the cover is not numbered)."""
    number = 0
    numbered = []
    for section in document.sections:
        paragraphs = []
        for text in section.paragraphs:
            number += 1
            paragraphs.append((number, text))
        numbered.append(NumberedSection(section, paragraphs))
    return numbered


ILLUSTRATIVE_NOTICE = (
    "Illustrative figures: some figures in this paper are made-up demonstration numbers, not "
    "real control totals or performance. Every table that uses them is marked "
    "\u201cIllustrative\u201d."
)
ILLUSTRATIVE_TABLE_NOTE = (
    "Illustrative: this table includes made-up demonstration figures (see the Figures column)."
)
