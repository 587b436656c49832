"""plotly.js only where a chart is drawn, and its geographic bundle only where a map is: a page
without a chart fetches neither (static/js/charts.js)."""

import pytest

from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plotly_requests(page, url: str) -> set[str]:
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    names = {"plotly-cartesian.min.js", "plotly-geo.min.js"}
    return {name for name in names for address in requested if name in address}


def test_plotly_is_loaded_only_by_pages_that_draw_a_chart(page, live_server, django_user_model):
    make_analyst(django_user_model)
    log_in(page, f"{live_server.url}/systems/", f"{live_server.url}/systems/")
    assert _plotly_requests(page, f"{live_server.url}/organisations/") == set()
    # The overview draws a chart and a map: both bundles, and the map is drawn.
    assert _plotly_requests(page, f"{live_server.url}/") == {
        "plotly-cartesian.min.js",
        "plotly-geo.min.js",
    }
    page.wait_for_selector("[data-map] .main-svg")
    page.wait_for_selector("#designation-over-time .main-svg")
    assert page.console_errors == []
