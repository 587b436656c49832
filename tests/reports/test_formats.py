"""Each format written and read back: PDF (pypdf and pdftotext), Word (python-docx), Excel
(openpyxl)."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.paper import compose_document, write_document
from reports.sections import SummaryScope
from tests.helpers import needs_chromium

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(small_world):
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    return compose_document(scope, generated_on=dt.date(2026, 1, 5), requested_by="analyst")


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdf_reads_like_a_board_paper(document, tmp_path):
    path = tmp_path / "summary.pdf"
    write_document(document, "pdf", path, charts=False)
    reader = PdfReader(path)
    text = pdf_text(path)
    squashed = " ".join(text.split())
    assert "Integrated care systems: board summary" in squashed
    assert "The Board is asked to note:" in squashed
    assert "Illustrative figures" in squashed
    assert "All but one of the four Wave 1 ICSs with figures delivered a better" in squashed
    assert "Annex A: Integrated care systems" in squashed
    assert f"Page 1 of {len(reader.pages)}" in squashed
    assert reader.metadata.title.startswith("Integrated care systems: board summary")


def test_pdf_tables_repeat_their_header_on_every_page(small_world, tmp_path):
    """A long table runs over pages and its header row comes again on each."""
    from finance.models import FinancialYear
    from tests.reports.conftest import finance_system

    year = small_world["year"]
    for n in range(60):
        finance_system(year, f"Extra system {n:02d}", [(0, 0, n)])
    scope = SummaryScope(
        scope="all", as_at=dt.date(2018, 9, 27), year=FinancialYear.objects.get(pk=year.pk)
    )
    path = tmp_path / "long.pdf"
    write_document(compose_document(scope), "pdf", path, charts=False)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]
    annex_pages = [p for p in pages if "Extra system" in p and "Control total Plan Outturn" in p]
    assert len(annex_pages) >= 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_pdf_text_with_pdftotext(document, tmp_path):
    path = tmp_path / "summary.pdf"
    write_document(document, "pdf", path, charts=False)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Greater Foxtrot was absorbed into Delta on 27 September 2018" in " ".join(text.split())


@needs_chromium
def test_pdf_charts_are_images_drawn_from_the_pages_figures(document, tmp_path, settings):
    settings.REPORTS_CHARTS = True
    path = tmp_path / "charts.pdf"
    write_document(document, "pdf", path)
    assert all(chart.image and chart.image.startswith(b"\x89PNG") for chart in document.charts)
    # WeasyPrint shares one resource dictionary between pages: count distinct images.
    images = {image.name for page in PdfReader(path).pages for image in page.images}
    assert len(images) == len(document.charts) == 2
    # The same Word document takes the same pictures.
    word_path = tmp_path / "charts.docx"
    write_document(document, "docx", word_path)
    assert len(WordDocument(word_path).inline_shapes) == 2


def test_docx_has_real_headings_and_tables_with_repeating_headers(document, tmp_path):
    path = tmp_path / "summary.docx"
    write_document(document, "docx", path, charts=False)
    word = WordDocument(path)
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Designation of integrated care systems") in headings
    assert ("Heading 1", "Annex C: System control totals, 2017/18") in headings
    assert word.paragraphs[0].style.name == "Title"
    texts = "\n".join(p.text for p in word.paragraphs)
    assert "The Board is asked to note:" in texts
    assert "Illustrative figures" in texts
    assert len(word.tables) == len(document.tables)
    control_totals = next(
        t for t in word.tables if t.rows[0].cells[0].text == "System" and len(t.columns) > 10
    )
    header_properties = control_totals.rows[0]._tr.trPr
    assert header_properties.find(qn("w:tblHeader")) is not None
    assert [c.text for c in control_totals.rows[1].cells][:1] == ["Alpha"]
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert all("(Illustrative)" in caption for caption in captions if "£ thousands" in caption)


def test_xlsx_has_one_sheet_per_table_with_numbers_as_numbers(document, tmp_path):
    path = tmp_path / "summary.xlsx"
    write_document(document, "xlsx", path)
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Cover"
    assert len(workbook.sheetnames) <= 1 + len(document.tables)
    sheet = workbook["Control totals 2017-18"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["System", "Region", "Wave by 31 March", "Status on 1 April"]
    alpha = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "Alpha")
    control_total = alpha[headers.index("Control total")]
    assert isinstance(control_total, int | float | Decimal) and control_total == -100
    assert alpha[headers.index("Figures")] == "Illustrative"
    cover = list(workbook["Cover"].iter_rows(values_only=True))
    assert any(row[1] == "Control totals 2017-18" and row[2] == "Illustrative" for row in cover), (
        cover
    )
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate)


def test_xlsx_neutralises_text_that_would_be_a_formula(small_world, tmp_path):
    small_world["alpha"].name = '=HYPERLINK("http://example.com")'
    small_world["alpha"].save()
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    path = tmp_path / "formula.xlsx"
    write_document(compose_document(scope), "xlsx", path)
    sheet = load_workbook(path)["Control totals 2017-18"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://example.com")' in names
