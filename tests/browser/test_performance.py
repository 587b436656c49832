"""An analyst chooses "my system" on a league table in a real browser: the picker keeps it in
the address, the chart is drawn with its bar marked and the note on the axis, and its row
says so in words."""

import datetime as dt

import pytest

from performance.models import Observation, Standard
from performance.periods import Period
from systems.models import System
from tests.browser.login import log_in, make_analyst
from tests.factories.systems import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def league_login(live_server, django_user_model, reference_data):
    """Dorset at 94% and Frimley Health at 86% on A&E in 2017/18, one trust each."""
    standard = Standard.objects.get(code="ae-4-hour")
    for slug, value in (("dorset", 94), ("frimley-health", 86)):
        trust = OrganisationFactory(name=f"{slug} trust", ods_code=f"ZZ{value}")
        MembershipFactory(
            organisation=trust, system=System.objects.get(slug=slug), valid_from=dt.date(2016, 4, 1)
        )
        Observation.objects.bulk_create(
            Observation(
                provider=trust,
                standard=standard,
                month=month,
                numerator=value,
                denominator=100,
            )
            for month in Period.financial_year(2017).months
        )
    make_analyst(django_user_model)
    return live_server.url


def test_analyst_picks_my_system_on_the_league_table(page, league_login):
    base_url = league_login
    url = f"{base_url}/performance/ae-4-hour/2017-18/"
    log_in(page, url, url)
    page.select_option("#system-picker", label="Frimley Health")
    page.click("text=Show my system")
    page.wait_for_selector(".chart-plot svg.main-svg", timeout=10_000)
    assert "system=" in page.url
    chosen = page.locator("tr.app-row--chosen")
    assert chosen.count() == 1
    assert "Frimley Health (chosen system)" in chosen.inner_text()
    assert "Frimley Health (chosen)" in page.locator(".chart-plot:not([data-map])").inner_text()
    assert "The axis starts at" in page.locator(".chart-plot:not([data-map])").inner_text()
    page.click("text=Apply filters")
    page.wait_for_selector("tr.app-row--chosen")
    assert "system=" in page.url
    assert page.console_errors == []


def test_my_system_goes_on_to_the_comparison_and_its_chart_is_drawn(page, league_login):
    """From the league table with Dorset chosen, the link to the Wave 1 comparison keeps it:
    the comparison's picker shows it chosen and says which side it is on, and its chart of
    the group against all others is drawn."""
    base_url = league_login
    url = f"{base_url}/performance/ae-4-hour/2017-18/?system=QVV"
    log_in(page, url, url)
    page.click("text=Wave 1 systems against all others, 2017/18")
    page.wait_for_selector("#comparison-chart .chart-plot svg.main-svg", timeout=10_000)
    assert "system=QVV" in page.url
    assert page.locator("#system-picker").input_value() == "QVV"
    assert "Dorset: one of the Wave 1 systems" in page.locator(".app-chosen-summary").inner_text()
    assert "Wave 1 systems" in page.locator("#comparison-chart .chart-plot").inner_text()
    assert page.console_errors == []
