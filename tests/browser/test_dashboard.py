"""An analyst's session in a real browser: log in, filter and sort, change the date, open a
system and see its chart drawn."""

import pytest

from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst_login(live_server, django_user_model, reference_data_with_snapshots):
    make_analyst(django_user_model)
    return live_server.url


def _table_names(page):
    return page.locator("table.nhsuk-table tbody tr td:first-child a").all_inner_texts()


def test_analyst_filters_sorts_changes_date_and_opens_a_system(page, analyst_login):
    base_url = analyst_login
    log_in(page, f"{base_url}/systems/", f"{base_url}/systems/")
    assert len(_table_names(page)) == 36  # the ICBs since 1 April 2026

    # The as-at control in the header moves every page to 1 October 2018.
    page.fill("#as-at", "2018-10-01")
    page.locator("form.app-as-at__form button[type=submit]").click()
    page.wait_for_load_state()
    assert "as_at=2018-10-01" in page.url

    page.select_option("select[name=status]", "ics")
    page.locator("button:has-text('Apply filters')").click()
    page.wait_for_load_state()
    names = _table_names(page)
    assert len(names) == 14
    assert "Blackpool and Fylde Coast" in names

    page.locator("thead th a:has-text('Designated')").click()
    page.wait_for_load_state()
    assert "sort=designated_on_as_at" in page.url
    names = _table_names(page)
    assert names[-4:] and set(names[-4:]) == {
        "Gloucestershire",
        "Suffolk and North East Essex",
        "West Yorkshire and Harrogate",
        "West, North and East Cumbria",
    }

    page.locator("a:has-text('Blackpool and Fylde Coast')").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Blackpool and Fylde Coast"
    assert page.get_by_text("absorbed into Lancashire and South Cumbria").first.is_visible()
    page.wait_for_selector(".chart-plot svg.main-svg", timeout=10_000)
    assert page.locator(".chart-plot .bars path, .chart-plot .point path").count() > 0
    assert page.console_errors == []


def test_overview_chart_is_drawn_without_console_errors(page, analyst_login):
    base_url = analyst_login
    log_in(page, f"{base_url}/systems/", f"{base_url}/systems/")
    page.goto(f"{base_url}/?as_at=2019-07-01")
    page.wait_for_selector(".chart-plot svg.main-svg", timeout=10_000)
    assert page.locator(".chart-plot .scatterlayer .trace").count() == 3
    assert "14 ICS systems covering 14 of 42 footprints" in page.content()
    assert page.console_errors == []
    # plotly.js wrote its stylesheet into the page's nonce-carrying <style> element, which
    # the Content-Security-Policy allows without 'unsafe-inline'.
    plotly_rules = page.evaluate(
        "document.getElementById('plotly.js-style-global').sheet.cssRules.length"
    )
    assert plotly_rules > 10
