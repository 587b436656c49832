"""PDF through WeasyPrint: A4, page numbers in the page margins, NHS blue headings, tables
that split across pages with their header row repeated, charts as images.

The file is a tagged PDF (WeasyPrint's PDF/UA-1 variant), so a screen reader finds its
headings, paragraphs, lists and tables in order: the document's language comes from the
template's `<html lang>`, its title from `<title>`, and each chart's alternative text from its
image's `alt` (the chart's description).

Charts are `chart:<hash>` images (reports/images.py). Layout needs only their size, so the
pages are laid out while the browser is still drawing them, with blank stand-ins of the same
size, and the drawn images go into the file when it is written."""

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..document import Document
from ..images import ChartImages, UnknownChart
from . import ILLUSTRATIVE_NOTICE, ILLUSTRATIVE_TABLE_NOTE, numbered_sections, widths

# Tagged for screen readers; WeasyPrint writes the structure tree as it lays the pages out.
PDF_VARIANT = "pdf/ua-1"

# Annex tables wider than this many columns go on landscape pages.
LANDSCAPE_FROM_COLUMNS = 9


def html(document: Document, images: ChartImages | None = None) -> str:
    for chart in document.charts:
        chart.source = images.url(chart) if images is not None else ""
    wide = {annex.key for annex in document.annexes if _is_wide(annex)}
    _set_column_widths(document, wide)
    return render_to_string(
        "reports/document.html",
        {
            "document": document,
            "sections": numbered_sections(document),
            "illustrative_notice": ILLUSTRATIVE_NOTICE,
            "illustrative_table_note": ILLUSTRATIVE_TABLE_NOTE,
            "wide_annexes": wide,
        },
    )


def _is_wide(annex) -> bool:
    """An annex goes on landscape pages when any of its tables is wide."""
    return any(len(table.headers) >= LANDSCAPE_FROM_COLUMNS for table in annex.tables)


def _set_column_widths(document: Document, wide: set[str]) -> None:
    """Every table's column widths for a fixed layout, on the page it goes on: a section's
    upright, an annex's across when it is one of the `wide`."""
    placed = [
        (table, widths.PORTRAIT_PT) for section in document.sections for table in section.tables
    ]
    for annex in document.annexes:
        available = widths.LANDSCAPE_PT if annex.key in wide else widths.PORTRAIT_PT
        placed += [(table, available) for table in annex.tables]
    for table, available in placed:
        table.column_widths = widths.column_widths(
            table.headers, table.rows, table.numeric, available
        )


class ChartFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for a board summary: the document's own charts and nothing
    else. The paper has no other resource, so nothing is read from disk or the network; any
    other address fails the build (a paper does not go out with a chart silently missing)."""

    def __init__(self, images: ChartImages | None):
        super().__init__(allowed_protocols=(), fail_on_errors=True)
        self.images = images

    def fetch(self, url, headers=None):
        if self.images is None:
            raise UnknownChart(f"This document has no charts: {url[:80]}")
        return URLFetcherResponse(url, self.images.image(url), {"Content-Type": "image/png"})


def render(document: Document, path: Path, images: ChartImages | None = None) -> None:
    """Write the PDF; with `images` (started), lay it out while they are drawn; without,
    with the images the charts carry, if any."""
    from weasyprint import HTML

    if images is None and any(chart.image is not None for chart in document.charts):
        images = ChartImages.given(document.charts)

    image_cache: dict = {}  # WeasyPrint's: each image by its URL, and the images' data
    options = {"pdf_variant": PDF_VARIANT, "cache": image_cache}
    laid_out = HTML(
        string=html(document, images),
        base_url=str(settings.BASE_DIR),
        url_fetcher=ChartFetcher(images),
    ).render(**options)
    if images is not None:
        drawn = images.wait()
        for url in images.stood_in:
            _replace_image(image_cache[url], drawn[url])
    laid_out.write_pdf(str(path), **options)


def _replace_image(stand_in, image: bytes) -> None:
    """Put the drawn PNG in place of the blank one the pages were laid out with (WeasyPrint's
    RasterImage reads its data only when the file is written). Same size and mode, or the
    layout would be wrong: then it fails loudly rather than drawing a stretched chart."""
    from PIL import Image

    drawn = Image.open(io.BytesIO(image))
    if (drawn.width, drawn.height, drawn.mode) != (stand_in.width, stand_in.height, stand_in.mode):
        raise ValueError(
            f"A chart was drawn at {drawn.width}x{drawn.height} {drawn.mode}, not at the "
            f"{stand_in.width}x{stand_in.height} {stand_in.mode} it was laid out with."
        )
    stand_in.image_data = stand_in.cache_image_data(image)
