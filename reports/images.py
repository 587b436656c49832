"""Chart images for the documents, drawn from the pages' own plotly figures.

Kaleido (plotly's image export) drives a headless Chromium: the browser named by
REPORTS_BROWSER_PATH, or else Debian's /usr/bin/chromium. It is looked up each time a document
is drawn, so a browser installed (or configured) after the process started is used without a
restart. It never downloads one. plotly.js comes from the plotly package itself and MathJax is
off, so nothing is fetched from the network.

Drawing is slow beside everything else (starting the browser costs seconds, each chart a few
tenths), so `ChartImages` draws in a thread of its own, all charts in one browser session,
while the PDF is laid out: the browser works on the machine's other core. Each image is kept
in Django's cache under a hash of its figure and size, so a chart whose data has not changed
is never drawn twice (by any worker, with a shared cache). Images are opaque RGB PNGs: the PDF
then needs no alpha mask for them.
"""

import asyncio
import hashlib
import io
import json
import logging
import os
import shutil
import threading
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from .failures import BuildError

logger = logging.getLogger(__name__)

# Where Debian (and distributions like it) install Chromium, looked for in this order.
DEFAULT_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Pixels per CSS pixel of the figure: 900 px wide drawn at 1800, about 260 dpi across A4's text.
SCALE = 2.0
# Images are keyed by content, so they never go stale; they only make room for newer ones.
CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "reports:chart-image:v1:"
URL_SCHEME = "chart:"


class ChartImageError(BuildError):
    """The browser that draws the charts is missing or failed; the message says which, in
    words for the summary's page."""


def _runnable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def browser_path() -> str:
    """The browser to draw charts with, looked up now: REPORTS_BROWSER_PATH when set (and
    nothing else then), or else Debian's Chromium."""
    configured = settings.REPORTS_BROWSER_PATH
    if configured:
        if _runnable(configured):
            return configured
        raise ChartImageError(
            "The charts could not be drawn: the browser set to draw them "
            f"(REPORTS_BROWSER_PATH, {configured}) is not there or cannot be run."
        )
    for candidate in (*DEFAULT_BROWSERS, shutil.which("chromium")):
        if candidate and _runnable(candidate):
            return candidate
    raise ChartImageError(
        "The charts could not be drawn: the server has no browser to draw them with. Install "
        "Debian's chromium package, or set REPORTS_BROWSER_PATH to a Chromium browser."
    )


def figure_dict(figure) -> dict:
    return figure if isinstance(figure, dict) else figure.to_plotly_json()


def chart_size(chart, scale: float = SCALE) -> tuple[int, int, int, int]:
    """The figure's width and height in CSS pixels and the image's in pixels."""
    height = int(figure_dict(chart.figure).get("layout", {}).get("height") or 420)
    return chart.width, height, round(chart.width * scale), round(height * scale)


def image_key(chart, scale: float = SCALE) -> str:
    """A hash of all that decides the image: the figure, its size and the drawing software."""
    from plotly.utils import PlotlyJSONEncoder

    figure = json.dumps(
        figure_dict(chart.figure), cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False
    )
    drawn_by = "/".join(
        [version("plotly"), version("kaleido"), ",".join(map(str, chart_size(chart, scale)))]
    )
    return hashlib.sha256(f"{drawn_by}\n{figure}".encode()).hexdigest()


def opaque_png(image: bytes) -> bytes:
    """The PNG on white without its alpha channel (the charts' backgrounds are opaque, so
    nothing changes but the file, and the PDF needs no soft mask for it)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(image))
    if picture.mode == "RGB":
        return image
    picture = picture.convert("RGBA")
    flat = Image.new("RGB", picture.size, "white")
    flat.paste(picture, mask=picture.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="PNG")
    return out.getvalue()


def blank_png(width: int, height: int) -> bytes:
    """A white RGB PNG of the given size: the stand-in a PDF is laid out with while its chart
    is still being drawn (layout needs only the size)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG", compress_level=1)
    return out.getvalue()


class UnknownChart(ValueError):
    """A `chart:` address that is not one of the document's charts."""


class ChartImages:
    """The PNG of each chart of a document, addressed as `chart:<hash of its figure>`: from
    the cache, or drawn in a background thread (one browser session) started by `start()`.
    `image(url)` answers at once, with a blank stand-in of the right size while a chart is
    being drawn; `wait()` joins the drawing, sets each chart's `image` and raises
    ChartImageError if the browser failed. The drawing has a thread and an event loop of its
    own, so it also works where a loop already runs (Playwright's sync API in a test)."""

    def __init__(self, charts, *, scale: float = SCALE):
        self.charts = list(charts)
        self.scale = scale
        self.keys = [image_key(chart, scale) for chart in self.charts]
        self.images: dict[str, bytes] = {}
        self.stood_in: set[str] = set()  # the URLs answered with a blank stand-in
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._browser = ""

    @classmethod
    def given(cls, charts) -> "ChartImages":
        """The images the charts already carry (`chart.image`), for a document drawn
        elsewhere; nothing drawn, nothing cached."""
        images = cls([chart for chart in charts if chart.image is not None])
        images.images = {
            key: chart.image for key, chart in zip(images.keys, images.charts, strict=True)
        }
        return images

    def url(self, chart) -> str:
        """The chart's address for the PDF, "" if it is not one of these."""
        for key, known in zip(self.keys, self.charts, strict=True):
            if known is chart:
                return URL_SCHEME + key
        return ""

    def start(self) -> "ChartImages":
        found = cache.get_many([CACHE_PREFIX + key for key in self.keys])
        self.images = {
            key: found[CACHE_PREFIX + key] for key in self.keys if CACHE_PREFIX + key in found
        }
        missing = {
            key: chart
            for key, chart in zip(self.keys, self.charts, strict=True)
            if key not in self.images
        }
        if missing:
            self._browser = browser_path()  # fails now, before any layout, if there is none
            self._thread = threading.Thread(
                target=self._run, args=(missing,), name="chart-images", daemon=True
            )
            self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self, missing: dict) -> None:
        try:
            drawn = asyncio.run(self._draw(missing))
        except BaseException as error:  # the browser's failures come in many types
            self._error = error
            return
        cache.set_many({CACHE_PREFIX + key: image for key, image in drawn.items()}, CACHE_SECONDS)

    async def _draw(self, missing: dict) -> dict[str, bytes]:
        import kaleido

        drawn = {}
        async with kaleido.Kaleido(
            n=1, mathjax=False, path=self._browser, timeout=settings.REPORTS_CHART_TIMEOUT
        ) as session:
            for key, chart in missing.items():
                width, height, _, _ = chart_size(chart, self.scale)
                image = await session.calc_fig(
                    figure_dict(chart.figure),
                    opts={"format": "png", "width": width, "height": height, "scale": self.scale},
                )
                drawn[key] = self.images[key] = opaque_png(image)
        return drawn

    def image(self, url: str) -> bytes:
        """The image at `url` if it is ready, else a blank one its size; UnknownChart for
        any address but the document's charts'."""
        key = url.removeprefix(URL_SCHEME) if url.startswith(URL_SCHEME) else None
        if key not in self.keys:
            raise UnknownChart(f"Not one of this document's charts: {url[:80]}")
        if key in self.images:
            return self.images[key]
        self.stood_in.add(url)
        _, _, width, height = chart_size(self.charts[self.keys.index(key)], self.scale)
        return blank_png(width, height)

    def join(self) -> None:
        """Wait for the drawing to end, whether it succeeded or not."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def wait(self) -> dict[str, bytes]:
        """Every chart's image by its URL, once drawn; each chart's `image` set."""
        self.join()
        if self._error is not None:
            raise ChartImageError(
                f"The charts could not be drawn: the browser that draws them ({self._browser}) "
                "stopped, or did not answer in time."
            ) from self._error
        for key, chart in zip(self.keys, self.charts, strict=True):
            chart.image = self.images[key]
        return {URL_SCHEME + key: self.images[key] for key in self.keys}
