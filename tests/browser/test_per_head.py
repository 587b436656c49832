"""An analyst asks the A&E league table for attendances per 1,000 people, in a real browser:
the choice is a checkbox in the filter form, and the column appears with the note under the
table saying whose estimates of when."""

import pytest

from tests.browser.login import log_in, make_analyst
from tests.factories.systems import PopulationFactory
from tests.performance.test_pages import performance_system

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_shows_attendances_per_1000_people(page, live_server, django_user_model):
    make_analyst(django_user_model)
    system = performance_system(name="Counted", counts=[(90, 100)])
    PopulationFactory(system=system, all_ages=4_000, aged_65_and_over=800)
    url = f"{live_server.url}/performance/ae-4-hour/2017-18/"
    log_in(page, url, url)
    assert page.locator("th:has-text('per 1,000 people')").count() == 0

    page.get_by_label("Show attendances per 1,000 people").check()
    page.locator("button:has-text('Apply filters')").click()
    page.wait_for_load_state()
    assert "per_head=" in page.url
    # 12 months of 100 attendances over 4,000 people: 300 per 1,000.
    header = page.locator("th:has-text('A&E attendances per 1,000 people (2017/18)')")
    assert header.count() == 1
    assert page.locator("td:has-text('300.0')").count() == 1
    assert "mid-2019 estimates" in page.locator("#per-head-note").inner_text()
    assert page.get_by_label("Show attendances per 1,000 people").is_checked()
    assert page.console_errors == []
