"""The maturity matrix in a real browser: the heat map is drawn by the plotly bundle the site
ships (a heatmap trace, which the basic bundle lacks), and choosing a framework redraws it."""

import pytest

from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst_url(live_server, django_user_model, reference_data):
    make_analyst(django_user_model)
    return live_server.url


def test_maturity_heat_map_draws_and_follows_the_framework_choice(page, analyst_url):
    log_in(page, f"{analyst_url}/maturity/?as_at=2018-10-01", "**/maturity/**")

    plot = page.locator("#maturity-matrix .chart-plot")
    plot.locator(".heatmaplayer image").first.wait_for(state="attached")
    labels = plot.locator(".heatmap-label text").all_text_contents()
    # Nine of the ten July 2017 ratings: Durham, Darlington, Teesside, Hambleton,
    # Richmondshire and Whitby (Outstanding) had merged in August 2018, so is not shown.
    assert labels.count("Outstanding") == 4
    assert labels.count("Needs most improvement") == 5
    assert len(page.locator("table.nhsuk-table tbody tr td:first-child a").all()) == 9

    page.check("input[name=framework][value=stp-progress-dashboard-2017]")
    page.locator("button:has-text('Apply filters')").click()
    page.wait_for_url("**framework=stp-progress-dashboard-2017**")
    page.locator("#maturity-matrix .heatmaplayer image").first.wait_for(state="attached")
    assert "July 2017" in page.locator("#maturity-matrix .chart-plot .xtick").all_text_contents()
    assert page.console_errors == []
