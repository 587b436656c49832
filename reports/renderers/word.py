"""Word (DOCX) through python-docx: real Heading styles, real tables whose header row repeats
on each page, charts as pictures, page numbers in the footer, annexes on landscape pages.

Written to pass the checks of Word's accessibility checker that can be made in code: every
picture has alternative text (its chart's title and description), headings go Title, Heading
1, Heading 2 without skipping a level, and numbered paragraphs and lists are real Word
numbering (so a screen reader announces "1 of 12"), not typed "1." text. A contents list
comes after the cover as in the PDF: a TOC field Word fills in with page numbers, holding the
headings written out so it reads before it is updated."""

import io
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..document import Document, NumberedList, TableBlock
from . import ILLUSTRATIVE_NOTICE, ILLUSTRATIVE_TABLE_NOTE, numbered_sections

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
TEXT = RGBColor(0x21, 0x2B, 0x32)
AMBER = RGBColor(0x7A, 0x4F, 0x00)
# The settings that come after w:updateFields in the schema (ECMA-376 CT_Settings).
AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
    "listSeparator", "docId", "defaultImageDpi",
}  # fmt: skip


def _style(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = TEXT
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 11)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = NHS_BLUE


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row) -> None:
    """Mark a table row as a header row that Word repeats at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document, table: TableBlock) -> None:
    caption = document.add_paragraph(table.caption, style="Caption")
    if table.illustrative:
        caption.add_run(" (Illustrative)").bold = True
    word_table = document.add_table(rows=1, cols=len(table.headers))
    word_table.style = document.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = word_table.rows[0]
    _repeat_header(header)
    for cell, (text, numeric) in zip(header.cells, table.header_cells, strict=True):
        _shade(cell, "005EB8")
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.cells:
        cells = word_table.add_row().cells
        for cell, (text, numeric) in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(text).font.size = Pt(8)
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.illustrative:
        note = document.add_paragraph()
        run = note.add_run(ILLUSTRATIVE_TABLE_NOTE)
        run.font.size = Pt(8.5)
        run.font.color.rgb = AMBER
    if table.note:
        document.add_paragraph(table.note).runs[0].font.size = Pt(8.5)
    document.add_paragraph()


def _decimal_numbering(document) -> str:
    """Add a numbering definition "1.", "2.", ... hanging from the margin, and return its
    abstractNumId; each list that counts from 1 takes a new instance of it (`_restart`)."""
    numbering = document.part.numbering_part.element
    existing = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    abstract_id = str(max(existing, default=0) + 1)
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), abstract_id)
    multi_level = OxmlElement("w:multiLevelType")
    multi_level.set(qn("w:val"), "singleLevel")
    abstract.append(multi_level)
    level = OxmlElement("w:lvl")
    level.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1.")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        level.append(element)
    paragraph_properties = OxmlElement("w:pPr")
    indent = OxmlElement("w:ind")
    indent.set(qn("w:left"), "567")
    indent.set(qn("w:hanging"), "567")
    paragraph_properties.append(indent)
    level.append(paragraph_properties)
    abstract.append(level)
    # The schema puts every abstractNum before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    return abstract_id


def _restart(document, abstract_id: str) -> int:
    """A new list instance of the numbering `abstract_id`, counting from 1."""
    num = document.part.numbering_part.element.add_num(int(abstract_id))
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _numbered_paragraph(document, text: str, num_id: int, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    properties = paragraph._p.get_or_add_pPr()
    properties.get_or_add_numPr().get_or_add_ilvl().val = 0
    properties.get_or_add_numPr().get_or_add_numId().val = num_id
    return paragraph


def _numbered_list(document, numbered: NumberedList, abstract_id: str) -> None:
    document.add_heading(numbered.title, level=2)
    num_id = _restart(document, abstract_id)
    for item in numbered.items:
        _numbered_paragraph(document, item, num_id, style="List Number")
    if numbered.notes:
        document.add_paragraph().add_run("Note that:").italic = True
        for note in numbered.notes:
            document.add_paragraph(note).runs[0].font.size = Pt(9.5)


def _picture(document, chart) -> None:
    """The chart's image, with its title and description as the picture's alternative text."""
    shape = document.add_picture(io.BytesIO(chart.image), width=Cm(16.5))
    properties = shape._inline.docPr
    properties.set("title", chart.title)
    properties.set("descr", chart.description or chart.title)


def _field_run(paragraph, kind: str) -> None:
    run = paragraph.add_run()
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    run._r.append(character)


def _contents(document, entries: list[str]) -> None:
    """A TOC field over the Heading 1 paragraphs, holding `entries` as its current result so
    the list reads before Word updates it (which adds the page numbers); Word is asked to
    update fields when the file opens."""
    document.add_heading("Contents", level=1)
    first = document.add_paragraph()
    _field_run(first, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-1" \\h \\z \\u '
    first.add_run()._r.append(instruction)
    _field_run(first, "separate")
    first.add_run(entries[0] if entries else "")
    last = first
    for entry in entries[1:]:
        last = document.add_paragraph(entry)
    _field_run(last, "end")
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings = document.settings.element
    # Word refuses settings out of the schema's order: updateFields goes before these.
    later = next((child for child in settings if _local_name(child) in AFTER_UPDATE_FIELDS), None)
    if later is None:
        settings.append(update)
    else:
        later.addprevious(update)


def _local_name(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _landscape(document):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    return section


def render(document: Document, path: Path) -> None:
    word = WordDocument()
    _style(word)
    first = word.sections[0]
    first.page_width, first.page_height = Cm(21), Cm(29.7)
    for margin in ("left_margin", "right_margin"):
        setattr(first, margin, Cm(2))
    _page_number_footer(first)
    word.core_properties.title = f"{document.title}: {document.subtitle}"
    word.core_properties.author = "ICS Tracker"

    word.add_heading(document.title, level=0)
    word.add_paragraph(document.subtitle).runs[0].font.size = Pt(15)
    meta = [
        ("Date", f"{document.generated_on.day} {document.generated_on:%B %Y}"),
        ("Scope", document.scope_label),
        *([("Financial year", document.year_label)] if document.year_label else []),
        ("Designation as at", f"{document.as_at.day} {document.as_at:%B %Y}"),
        *([("Requested by", document.requested_by)] if document.requested_by else []),
    ]
    for label, value in meta:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if document.illustrative:
        run = word.add_paragraph().add_run(ILLUSTRATIVE_NOTICE)
        run.bold = True
        run.font.color.rgb = AMBER
    word.add_heading("Purpose", level=1)
    for text in document.purpose:
        word.add_paragraph(text)
    word.add_heading("Recommendation", level=1)
    word.add_paragraph("The Board is asked to note:")
    for point in document.to_note:
        word.add_paragraph(point, style="List Bullet")
    sections = numbered_sections(document)
    _contents(
        word,
        [item.section.title for item in sections] + [annex.heading for annex in document.annexes],
    )

    abstract_id = _decimal_numbering(word)
    # One list for the whole paper: its paragraphs are numbered straight through.
    paper_numbering = _restart(word, abstract_id)
    for item in sections:
        word.add_page_break()
        word.add_heading(item.section.title, level=1)
        for _number, text in item.paragraphs:
            _numbered_paragraph(word, text, paper_numbering)
        for chart in item.section.charts:
            word.add_heading(chart.title, level=2)
            if chart.image is not None:
                _picture(word, chart)
            word.add_paragraph(chart.description, style="Caption")
        for numbered in item.section.lists:
            _numbered_list(word, numbered, abstract_id)
        for table in item.section.tables:
            _table(word, table)

    if document.annexes:
        # A new section keeps the footer (and its page number) of the one before.
        _landscape(word)
    for index, annex in enumerate(document.annexes):
        if index:
            word.add_page_break()
        word.add_heading(annex.heading, level=1)
        for text in annex.paragraphs:
            word.add_paragraph(text)
        for numbered in annex.lists:
            _numbered_list(word, numbered, abstract_id)
        for table in annex.tables:
            _table(word, table)
    word.save(str(path))
