"""A financial year nobody has entered is a page saying it has no figures and linking to the
years that have them, never a 404; text that is not a year stays a 404."""

import re

import pytest
from django.urls import reverse

from finance.models import FinancialYear
from tests.factories.finance import FinancialYearFactory, OrganisationYearFactory
from tests.factories.systems import MembershipFactory, give_ods_code, make_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def years_with_figures():
    """2018/19 and 2019/20 with figures, 2020/21 entered without any."""
    system = make_system()
    give_ods_code(system, "Q001")
    member = MembershipFactory(system=system)
    years = [FinancialYearFactory(start_year=start) for start in (2018, 2019)]
    for year in years:
        OrganisationYearFactory(organisation=member.organisation, year=year)
    FinancialYearFactory(start_year=2020)
    return years


def year_links(html: str) -> list[str]:
    listed = re.search(r'<ul class="nhsuk-list app-year-list">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'href="([^"]+)"', listed)


@pytest.mark.parametrize("slug", ["2030-31", "1999-00"])
def test_year_nobody_entered_is_a_page_naming_the_years_with_figures(
    analyst_client, years_with_figures, slug
):
    response = analyst_client.get(reverse("finance:year", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    label = FinancialYear(start_year=int(slug[:4])).label
    assert f"There are no control totals for {label}" in html
    assert year_links(html) == [
        reverse("finance:year", args=[year.slug]) for year in years_with_figures
    ]


def test_system_page_for_a_year_nobody_entered(analyst_client, years_with_figures):
    response = analyst_client.get(reverse("finance:system", args=["2030-31", "Q001"]))
    assert response.status_code == 200
    assert year_links(response.content.decode()) == [
        reverse("finance:system", args=[year.slug, "Q001"]) for year in years_with_figures
    ]


def test_export_of_a_year_nobody_entered_is_the_page(analyst_client, years_with_figures):
    """There is no table to export: the download link gives the page saying so."""
    response = analyst_client.get(reverse("finance:year", args=["2030-31"]), {"_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "There are no control totals for 2030/31" in response.content.decode()


def test_notice_only_after_the_last_year_with_figures(analyst_client, years_with_figures):
    later = analyst_client.get(reverse("finance:year", args=["2030-31"])).content.decode()
    assert "Control totals are recorded up to 2019/20; 2030/31 comes after that" in later
    earlier = analyst_client.get(reverse("finance:year", args=["1999-00"])).content.decode()
    assert "Control totals are recorded up to" not in earlier


@pytest.mark.parametrize("url", ["/finance/2030-32/", "/finance/2030-3/", "/finance/2030-32/Q001/"])
def test_malformed_years_stay_404(analyst_client, years_with_figures, url):
    assert analyst_client.get(url).status_code == 404


def test_year_page_bounded_queries(
    analyst_client, years_with_figures, django_assert_max_num_queries
):
    """Session, user, permissions, the year, data version, the coverage query, the years."""
    with django_assert_max_num_queries(8):
        analyst_client.get(reverse("finance:year", args=["2030-31"]))
