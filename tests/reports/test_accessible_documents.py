"""The board summary's PDF and Word files read back for what assistive technology needs: a
tagged PDF with language, title and chart alternative text; a Word file with alternative text
on every picture, headings in order, real numbering and a table of contents."""

import datetime as dt
import io
import itertools

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from reports.paper import compose_document, write_document
from reports.renderers import numbered_sections, pdf, word
from reports.sections import SummaryScope

pytestmark = pytest.mark.django_db


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def document(small_world):
    """The 2017/18 paper with its two charts as small pictures (drawing real ones needs a
    browser; what is checked here is how a picture is labelled, not what it shows)."""
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    paper = compose_document(scope, generated_on=dt.date(2026, 1, 5))
    assert len(paper.charts) == 2
    for chart, colour in zip(paper.charts, ("red", "blue"), strict=True):
        chart.image = png(colour)
    return paper


def structure_elements(node, found=None) -> list:
    """Every structure element under `node` (a PDF structure tree node), depth first."""
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure_elements(child, found)
        return found
    if not hasattr(node, "get") or ("/S" not in node and "/K" not in node):
        return found
    if "/S" in node:
        found.append(node)
    if "/K" in node:
        structure_elements(node["/K"], found)
    return found


def test_pdf_is_tagged_with_language_title_and_chart_alternative_text(document, tmp_path):
    path = tmp_path / "summary.pdf"
    pdf.render(document, path)
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == f"{document.title}: {document.subtitle}"
    elements = structure_elements(root["/StructTreeRoot"])
    kinds = {str(element["/S"]) for element in elements}
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == [
        chart.description for chart in document.charts
    ]
    assert all(chart.description for chart in document.charts)


def word_file(document, tmp_path) -> WordDocument:
    path = tmp_path / "summary.docx"
    word.render(document, path)
    return WordDocument(path)


def test_docx_pictures_all_have_alternative_text(document, tmp_path):
    shapes = word_file(document, tmp_path).inline_shapes
    assert len(shapes) == 2
    described = [
        (shape._inline.docPr.get("title"), shape._inline.docPr.get("descr")) for shape in shapes
    ]
    assert described == [(chart.title, chart.description) for chart in document.charts]
    assert all(title and description for title, description in described)


def heading_level(paragraph) -> int | None:
    name = paragraph.style.name
    if name == "Title":
        return 0
    if name.startswith("Heading "):
        return int(name.removeprefix("Heading "))
    return None


def test_docx_headings_start_with_the_title_and_never_skip_a_level(document, tmp_path):
    levels = [
        level
        for level in map(heading_level, word_file(document, tmp_path).paragraphs)
        if level is not None
    ]
    assert levels[0] == 0 and levels.count(0) == 1
    assert 2 in levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def numbering_of(paragraph) -> tuple[int, int] | None:
    properties = paragraph._p.pPr
    if properties is None or properties.numPr is None:
        return None
    return properties.numPr.numId.val, properties.numPr.ilvl.val


def test_docx_paper_paragraphs_are_one_real_numbered_list(document, tmp_path):
    """The paper's paragraphs carry Word numbering (one list, so numbered straight through
    the sections) instead of typed numbers; each annex list is its own list from 1."""
    docx = word_file(document, tmp_path)
    texts = [text for item in numbered_sections(document) for _, text in item.paragraphs]
    by_text = {paragraph.text: paragraph for paragraph in docx.paragraphs}
    numbered = {numbering_of(by_text[text]) for text in texts}
    assert len(texts) > 5 and len(numbered) == 1 and None not in numbered
    assert not any(paragraph.text.startswith("1. ") for paragraph in docx.paragraphs)
    ((paper_list, _),) = numbered
    items = [item for annex in document.annexes for n in annex.lists for item in n.items]
    assert items
    list_ids = {numbering_of(by_text[item])[0] for item in items}
    assert paper_list not in list_ids
    numbering = docx.part.numbering_part.element
    for num_id in {paper_list, *list_ids}:
        num = numbering.num_having_numId(num_id)
        abstract = numbering.find(
            f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{num.abstractNumId.val}']"
        )
        assert abstract.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "decimal"
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start.get(qn("w:val")) == "1"


def test_docx_has_a_table_of_contents_field_that_reads_before_word_updates_it(document, tmp_path):
    docx = word_file(document, tmp_path)
    body = docx.element.body
    instructions = [node.text for node in body.iter(qn("w:instrText"))]
    assert [text.split()[0] for text in instructions] == ["TOC"]
    kinds = [node.get(qn("w:fldCharType")) for node in body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    texts = [paragraph.text for paragraph in docx.paragraphs]
    start = texts.index("Contents") + 1
    expected = [section.title for section in document.sections] + [
        annex.heading for annex in document.annexes
    ]
    assert texts[start : start + len(expected)] == expected
    update = docx.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_docx_and_pdf_written_through_write_document_keep_the_tags(small_world, tmp_path):
    """The path the web build and the command take (write_document) writes the same files."""
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    paper = compose_document(scope)
    write_document(paper, "pdf", tmp_path / "s.pdf", charts=False)
    root = PdfReader(tmp_path / "s.pdf").trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True and "/StructTreeRoot" in root
