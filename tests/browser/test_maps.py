"""The maps in a real browser: drawn from the page's own data with nothing fetched from
another site, named on hover without breaking the Content-Security-Policy, and opening a
system's page when an area is selected."""

from urllib.parse import urlsplit

import pytest

from tests.browser.login import log_in, make_analyst
from tests.browser.test_performance import league_login  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst_login(live_server, django_user_model, reference_data):
    make_analyst(django_user_model)
    return live_server.url


def _area_centre(page, index: int) -> dict:
    """Where on the page the centre of the map's `index`th area is drawn."""
    return page.evaluate(
        """(index) => {
          const el = document.querySelector('[data-map]');
          const geo = el._fullLayout.geo._subplot;
          const point = el.calcdata[0][index];
          const [x, y] = geo.projection(point.ct);
          const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
          return {x: svg.x + x, y: svg.y + y};
        }""",
        index,
    )


def test_overview_map_shows_the_icss_of_1_july_2019_offline(page, analyst_login):
    base_url = analyst_login
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, f"{base_url}/systems/", f"{base_url}/systems/")
    page.goto(f"{base_url}/?as_at=2019-07-01")
    # The areas come from the boundary file, fetched after the plot is laid out.
    page.wait_for_selector("[data-map] .choroplethlayer path", timeout=10_000)
    assert page.locator("[data-map] .choroplethlayer path").count() == 42
    assert page.get_by_text("ICS (14)").is_visible()
    # No toolbar, so nothing focusable inside the map's role="img".
    assert page.locator("[data-map] a[href], [data-map] button, [data-map] [tabindex]").count() == 0
    # Every request went to this site: no base map from a CDN.
    host = urlsplit(base_url).netloc
    assert {urlsplit(url).netloc for url in requests} == {host}

    page.locator("[data-map]").scroll_into_view_if_needed()
    centre = _area_centre(page, 0)
    page.mouse.move(centre["x"], centre["y"], steps=3)
    hover = page.locator("[data-map] .hoverlayer")
    for _ in range(50):  # wait_for_function would evaluate a string: the CSP forbids eval
        if hover.text_content():
            break
        page.wait_for_timeout(100)
    assert hover.text_content()
    with page.expect_navigation():
        page.mouse.click(centre["x"], centre["y"])
    assert "/systems/" in page.url
    assert page.console_errors == []


def test_league_map_is_drawn_beside_the_chart(page, league_login):  # noqa: F811
    base_url = league_login
    log_in(page, f"{base_url}/performance/", f"{base_url}/performance/")
    page.goto(f"{base_url}/performance/ae-4-hour/2017-18/")
    # The areas come from the boundary file, fetched after the plot is laid out.
    page.wait_for_selector("[data-map] .choroplethlayer path", timeout=10_000)
    assert page.locator("[data-map] .choroplethlayer path").count() == 2
    assert page.locator("[data-figure=league-chart-figure] .barlayer path").count() == 2
    assert page.console_errors == []
