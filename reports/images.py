"""Chart images for the documents, drawn from the pages' own plotly figures.

Kaleido (plotly's image export) drives a headless Chromium: Debian's /usr/bin/chromium, or
the browser named by REPORTS_BROWSER_PATH. It never downloads one. One browser is started per
document and draws every chart in it (starting it costs about 3 s, a chart about 0.3 s).
plotly.js comes from the plotly package itself and MathJax is off, so nothing is fetched from
the network.
"""

import asyncio
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


class ChartImageError(RuntimeError):
    """The browser that draws the charts is missing or failed."""


def figure_dict(figure) -> dict:
    return figure if isinstance(figure, dict) else figure.to_plotly_json()


def draw_charts(charts, *, scale: float = 2.0) -> None:
    """Set `image` (PNG bytes) on each ChartBlock, all in one browser session."""
    if not charts:
        return
    import kaleido

    browser = settings.REPORTS_BROWSER_PATH
    if not browser:
        raise ChartImageError(
            "No browser to draw charts with: install Debian's chromium or set REPORTS_BROWSER_PATH."
        )

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
        asyncio.run(draw())
    except ChartImageError:
        raise
    except Exception as error:  # the browser's failures come in many types
        raise ChartImageError(f"Drawing the charts failed: {error}") from error
