"""Chart images are cached by a hash of their figure, so a changed figure is drawn again and an
unchanged one never is; the PDF fetches nothing but its own charts (`chart:` addresses).

Most tests here need no browser: REPORTS_BROWSER_PATH names one that is not there, so any
attempt to draw fails loudly (ChartImageError) and a test sees whether drawing was needed."""

import copy
import datetime as dt
import io

import pytest
from django.core.cache import cache
from PIL import Image
from pypdf import PdfReader

from reports.document import ChartBlock
from reports.images import (
    CACHE_PREFIX,
    ChartImageError,
    ChartImages,
    UnknownChart,
    chart_size,
    image_key,
)
from reports.paper import compose_document, write_document
from reports.renderers.pdf import ChartFetcher
from reports.sections import SummaryScope
from tests.helpers import needs_chromium, run_in_a_loop


@pytest.fixture
def no_browser(settings, tmp_path):
    settings.REPORTS_CHARTS = True
    settings.REPORTS_BROWSER_PATH = str(tmp_path / "no-such-browser")


def bar_figure(values, *, title="Systems by status", height=300):
    return {
        "data": [{"type": "bar", "x": ["Wave 1", "Wave 2"], "y": list(values)}],
        "layout": {"title": {"text": title}, "height": height},
    }


def chart(figure, *, width=600) -> ChartBlock:
    return ChartBlock(title="Status", description="Systems by status", figure=figure, width=width)


def png(width, height, colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def cache_image(block: ChartBlock, image: bytes) -> None:
    cache.set(CACHE_PREFIX + image_key(block), image)


def test_image_key_changes_with_anything_that_changes_the_picture():
    figure = bar_figure([3, 4])
    key = image_key(chart(figure))
    assert image_key(chart(copy.deepcopy(figure))) == key
    assert image_key(chart(bar_figure([3, 5]))) != key
    assert image_key(chart(bar_figure([3, 4], title="Other"))) != key
    assert image_key(chart(bar_figure([3, 4], height=320))) != key
    assert image_key(chart(figure, width=900)) != key


def test_image_key_is_the_same_for_a_figure_and_its_json():
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=["Wave 1", "Wave 2"], y=[3, 4]), layout={"height": 300})
    assert image_key(chart(figure)) == image_key(chart(figure.to_plotly_json()))


def test_cached_image_of_an_unchanged_figure_is_used_without_a_browser(no_browser):
    block = chart(bar_figure([3, 4]))
    cached = png(1200, 600, "red")
    cache_image(block, cached)
    images = ChartImages([block]).start()
    assert not images.running
    assert images.wait() == {images.url(block): cached}
    assert block.image == cached


def test_changed_figure_is_drawn_again_not_taken_from_the_cache(no_browser):
    """The old figure's image is in the cache; the changed figure needs the browser (here
    missing, so starting fails) rather than getting the stale picture."""
    old = chart(bar_figure([3, 4]))
    cache_image(old, png(1200, 600, "red"))
    changed = chart(bar_figure([3, 5]))
    with pytest.raises(ChartImageError):
        ChartImages([changed]).start()
    assert changed.image is None


def test_fetcher_gives_the_documents_charts_and_refuses_anything_else(no_browser):
    block = chart(bar_figure([3, 4]))
    cached = png(1200, 600, "red")
    cache_image(block, cached)
    images = ChartImages([block]).start()
    fetcher = ChartFetcher(images)
    response = fetcher.fetch(images.url(block))
    assert response.read() == cached
    other = image_key(chart(bar_figure([9, 9])))
    for url in (
        "chart:" + other,
        "chart:",
        "chart:../" + images.keys[0],
        "file:///etc/passwd",
        "https://example.org/" + images.keys[0],
        images.keys[0],
    ):
        with pytest.raises(UnknownChart):
            fetcher.fetch(url)
    with pytest.raises(UnknownChart):
        ChartFetcher(None).fetch(images.url(block))


@pytest.mark.django_db
def test_pdf_takes_cached_charts_through_the_chart_scheme(small_world, no_browser, tmp_path):
    """With every chart's image cached, the PDF is written with them and no browser."""
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    document = compose_document(scope, generated_on=dt.date(2026, 1, 5))
    assert document.charts
    for index, block in enumerate(document.charts):
        _, _, width, height = chart_size(block)
        cache_image(block, png(width, height, (200, index * 60, 0)))
    path = tmp_path / "cached.pdf"
    write_document(document, "pdf", path)
    images = {image.name: image for page in PdfReader(path).pages for image in page.images}
    assert len(images) == len(document.charts)
    colours = {image.image.convert("RGB").getpixel((5, 5)) for image in images.values()}
    assert colours == {(200, index * 60, 0) for index in range(len(document.charts))}


@needs_chromium
@pytest.mark.django_db
def test_pdf_charts_drawn_while_laid_out_are_the_drawn_images(small_world, settings, tmp_path):
    """The pages are laid out with blank stand-ins while the browser draws; the file has the
    drawn charts (not blank), and a second build takes them from the cache."""
    settings.REPORTS_CHARTS = True
    scope = SummaryScope(scope="all", as_at=dt.date(2018, 9, 27), year=small_world["year"])
    path = tmp_path / "drawn.pdf"
    write_document(compose_document(scope), "pdf", path)
    for image in (image for page in PdfReader(path).pages for image in page.images):
        colours = image.image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colours) > 2  # a chart, not a blank stand-in
    document = compose_document(scope)
    settings.REPORTS_BROWSER_PATH = str(tmp_path / "no-such-browser")
    images = ChartImages(document.charts).start()
    assert not images.running and images.stood_in == set()


@needs_chromium
def test_charts_are_drawn_where_an_event_loop_already_runs(settings):
    """As under Playwright's sync API in a browser test: the drawing has a loop of its own."""
    settings.REPORTS_CHARTS = True
    block = chart(bar_figure([3, 4]))

    async def caller():
        return ChartImages([block]).start().wait()

    run_in_a_loop(caller)
    assert block.image.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(block.image)).size == (1200, 600)
