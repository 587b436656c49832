"""plotly.js only where a chart is drawn, and exactly one bundle there: the one with map traces
on a page that draws a map, the smaller chart one elsewhere; a page without a chart fetches
neither (static/js/charts.js). Nothing is fetched from another site, the maps' base map
included (static-src/plotly-maps.js)."""

import pytest

from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUNDLES = {"plotly-charts.min.js", "plotly-maps.min.js"}


def _requests(page, url: str) -> list[str]:
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return requested


def _bundles(requested: list[str]) -> set[str]:
    return {name for name in BUNDLES for address in requested if name in address}


def test_plotly_is_loaded_only_by_pages_that_draw_a_chart(
    page, live_server, django_user_model, reference_data
):
    make_analyst(django_user_model)
    log_in(page, f"{live_server.url}/systems/", f"{live_server.url}/systems/")
    assert _bundles(_requests(page, f"{live_server.url}/organisations/")) == set()
    # A chart without a map (the maturity heat map): the chart bundle alone draws it.
    maturity = f"{live_server.url}/maturity/?as_at=2018-10-01"
    assert _bundles(_requests(page, maturity)) == {"plotly-charts.min.js"}
    page.locator("#maturity-matrix .heatmaplayer image").first.wait_for(state="attached")
    # The overview draws a chart and a map: the map bundle alone draws both.
    requested = _requests(page, f"{live_server.url}/")
    assert _bundles(requested) == {"plotly-maps.min.js"}
    page.wait_for_selector("[data-map] .main-svg")
    page.wait_for_selector("[data-map] .choroplethlocation")
    page.wait_for_selector("#designation-over-time .main-svg")
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert page.console_errors == []
