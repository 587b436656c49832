"""Chart images for the documents, drawn from the pages' own plotly figures.

Kaleido (plotly's image export) drives a headless Chromium: the browser named by
REPORTS_BROWSER_PATH, or else Debian's /usr/bin/chromium. It is looked up each time a document
is drawn, so a browser installed (or configured) after the process started is used without a
restart. It never downloads one. One browser is started per
document and draws every chart in it (starting it costs about 3 s, a chart about 0.3 s).
plotly.js comes from the plotly package itself and MathJax is off, so nothing is fetched from
the network.
"""

import asyncio
import concurrent.futures
import logging
import os
import shutil
from pathlib import Path

from django.conf import settings

from .failures import BuildError

logger = logging.getLogger(__name__)

# Where Debian (and distributions like it) install Chromium, looked for in this order.
DEFAULT_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


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


def run_coroutine(coroutine):
    """Run `coroutine` to its end from synchronous code: in this thread, or, when an event
    loop already runs here (a caller that is itself asynchronous, such as a test driving a
    browser through Playwright), in a thread of its own, where asyncio.run is allowed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def draw_charts(charts, *, scale: float = 2.0) -> None:
    """Set `image` (PNG bytes) on each ChartBlock, all in one browser session."""
    if not charts:
        return
    import kaleido

    browser = browser_path()

    async def draw():
        async with kaleido.Kaleido(
            n=1, mathjax=False, path=browser, timeout=settings.REPORTS_CHART_TIMEOUT
        ) as session:
            for chart in charts:
                figure = figure_dict(chart.figure)
                height = int(figure.get("layout", {}).get("height") or 420)
                chart.image = await session.calc_fig(
                    figure,
                    opts={"format": "png", "width": chart.width, "height": height, "scale": scale},
                )

    try:
        run_coroutine(draw())
    except Exception as error:  # the browser's failures come in many types
        raise ChartImageError(
            f"The charts could not be drawn: the browser that draws them ({browser}) stopped, "
            "or did not answer in time."
        ) from error
