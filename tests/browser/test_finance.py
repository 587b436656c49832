"""An analyst follows a system's control total in a real browser: the year's table, a filter,
the system's year with its waterfall drawn, and the same total on both pages."""

import datetime as dt
from decimal import Decimal

import pytest

from finance.models import FinancialYear
from systems.models import System
from tests.browser.login import log_in, make_analyst
from tests.factories.finance import OrganisationYearFactory
from tests.factories.systems import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finance_login(live_server, django_user_model, reference_data_with_snapshots):
    """Dorset: a whole trust (-1,200) and half of a shared one (half of 3,000), both
    illustrative; Frimley: the other half of the shared trust."""
    year = FinancialYear.objects.get(start_year=2018)
    dorset = System.objects.get(slug="dorset")
    frimley = System.objects.get(slug="frimley-health")
    own = OrganisationFactory(name="Dorset County Hospital", ods_code="ZZ901")
    shared = OrganisationFactory(name="Shared Community Trust", ods_code="ZZ902")
    start = dt.date(2017, 4, 1)
    MembershipFactory(organisation=own, system=dorset, valid_from=start)
    MembershipFactory(organisation=shared, system=dorset, valid_from=start, share=Decimal("0.5"))
    MembershipFactory(organisation=shared, system=frimley, valid_from=start, share=Decimal("0.5"))
    for organisation, control_total in ((own, -1200), (shared, 3000)):
        OrganisationYearFactory(
            organisation=organisation,
            year=year,
            control_total=control_total,
            plan=control_total,
            outturn=control_total + 100,
            illustrative=True,
        )
    make_analyst(django_user_model)
    return live_server.url


def test_analyst_follows_a_control_total_from_the_year_to_the_system(page, finance_login):
    base_url = finance_login
    log_in(page, f"{base_url}/finance/", f"{base_url}/finance/2018-19/")

    assert page.locator("h1").inner_text() == "Control totals 2018/19"
    assert page.locator(".app-illustrative").is_visible()
    rows = page.locator(".app-table table.nhsuk-table tbody tr")
    assert rows.count() == 2
    dorset_row = rows.filter(has_text="Dorset")
    assert "300" in dorset_row.inner_text()  # -1,200 + 0.5 * 3,000
    assert "Illustrative" in dorset_row.inner_text()

    # Only the South West: Frimley (South East) drops out.
    page.select_option("select[name=region]", label="South West")
    page.locator("button:has-text('Apply filters')").click()
    page.wait_for_load_state()
    assert page.locator(".app-table table.nhsuk-table tbody tr").count() == 1

    page.locator(".app-table table.nhsuk-table tbody a:has-text('Dorset')").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dorset"
    assert "met its control total of £300k" in page.locator(".app-headline").inner_text()
    page.wait_for_selector(".chart-plot svg.main-svg", timeout=10_000)
    assert page.locator(".chart-plot .bars path").count() >= 3  # two members and the total
    members = page.locator("table.nhsuk-table").last.locator("tbody tr")  # after the chart's
    assert members.count() == 2
    assert "1,500" in members.filter(has_text="Shared Community Trust").inner_text()
    assert page.console_errors == []
