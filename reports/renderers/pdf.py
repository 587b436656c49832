"""PDF through WeasyPrint: A4, page numbers in the page margins, NHS blue headings, tables
that split across pages with their header row repeated, charts as images.

The file is a tagged PDF (WeasyPrint's PDF/UA-1 variant), so a screen reader finds its
headings, paragraphs, lists and tables in order: the document's language comes from the
template's `<html lang>`, its title from `<title>`, and each chart's alternative text from its
image's `alt` (the chart's description)."""

import base64
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from ..document import Document
from . import ILLUSTRATIVE_NOTICE, ILLUSTRATIVE_TABLE_NOTE, numbered_sections

# Tagged for screen readers; WeasyPrint writes the structure tree as it lays the pages out.
PDF_VARIANT = "pdf/ua-1"

# Annex tables wider than this many columns go on landscape pages.
LANDSCAPE_FROM_COLUMNS = 9


def data_uri(image: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def html(document: Document) -> str:
    for chart in document.charts:
        chart.data_uri = data_uri(chart.image) if chart.image is not None else ""
    return render_to_string(
        "reports/document.html",
        {
            "document": document,
            "sections": numbered_sections(document),
            "illustrative_notice": ILLUSTRATIVE_NOTICE,
            "illustrative_table_note": ILLUSTRATIVE_TABLE_NOTE,
            "landscape_from": LANDSCAPE_FROM_COLUMNS,
        },
    )


def render(document: Document, path: Path) -> None:
    from weasyprint import HTML

    # Charts are data: URIs and there are no other resources, so nothing is fetched.
    HTML(string=html(document), base_url=str(settings.BASE_DIR)).write_pdf(
        str(path), pdf_variant=PDF_VARIANT
    )
