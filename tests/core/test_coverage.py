""" "About this data" on every dashboard page (core.coverage): what each kind of data shown
covers, worked out from the rows themselves; a notice when the page's date or period is past
the last fact; one query on a cold page and none warm."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.coverage import coverage_for_page, coverage_rows
from core.dates import DatePrecision, format_partial_date
from finance.models import OrganisationYear
from performance.models import Observation, Standard
from systems.models import SystemStatus
from tests.factories.finance import FinancialYearFactory, OrganisationYearFactory
from tests.factories.systems import (
    DesignationFactory,
    MembershipFactory,
    OrganisationFactory,
    WaveFactory,
    give_ods_code,
    make_system,
)

pytestmark = pytest.mark.django_db

# The last recorded change in the world below, a day that is no fixed date of the real data.
LAST_CHANGE = dt.date(2024, 9, 17)


@pytest.fixture
def world():
    """A system whose last status begins on LAST_CHANGE, a designation known to the month,
    members from two sources, real and illustrative performance figures and one year of
    illustrative control totals."""
    system = make_system(
        statuses=(("stp", dt.date(2016, 1, 1)), ("ics", dt.date(2020, 6, 1)), ("ics", LAST_CHANGE))
    )
    give_ods_code(system, "Q900")
    wave = WaveFactory(slug="wave-1")
    DesignationFactory(
        system=system, wave=wave, designated_on=dt.date(2019, 6, 1), precision=DatePrecision.MONTH
    )
    trust = OrganisationFactory(ods_code="RXX", kind="nhs_trust")
    MembershipFactory(
        system=system, organisation=trust, valid_from=dt.date(2016, 4, 1), source="Trust list"
    )
    for day in (dt.date(2022, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 5, 1)):
        MembershipFactory(system=system, valid_from=day, source="Practice mapping")
    standard = Standard.objects.get(code="ae-4-hour")
    Observation.objects.bulk_create(
        [
            Observation(
                provider=trust,
                standard=standard,
                month=month,
                numerator=90,
                denominator=100,
                illustrative=illustrative,
            )
            for month, illustrative in [
                (dt.date(2017, 4, 1), False),
                (dt.date(2017, 9, 1), False),
                (dt.date(2018, 1, 1), True),
                (dt.date(2019, 2, 1), True),
            ]
        ]
    )
    year = FinancialYearFactory(start_year=2019)
    OrganisationYearFactory(organisation=trust, year=year, illustrative=True)
    return system


def about(html: str) -> tuple[set[str], str]:
    """The headings and the text of the page's "About this data" section, tags and spacing
    removed from the text."""
    match = re.search(r'<section class="app-coverage".*?</section>', html, re.S)
    assert match, "no About this data section"
    section = match.group(0)
    headings = set(re.findall(r"<strong>([^<]*):</strong>", section))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).replace("&#x27;", "'")
    return headings, text


def notices(html: str) -> list[str]:
    found = re.findall(r'app-coverage-notice">(.*?)</div>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


def last_change_text() -> str:
    """The last recorded change, as the page should say it, from the data."""
    latest = SystemStatus.objects.order_by("-effective_from").first()
    return format_partial_date(latest.effective_from, latest.precision)


PAGES = {
    # name: (url, the kinds' headings it shows, headings it must not show)
    "systems": (lambda s: reverse("systems:list"), {"NHS structure", "Members"}, {"Finance"}),
    "system": (lambda s: reverse("systems:detail", args=[s.slug]), {"Members"}, {"Performance"}),
    "overview": (lambda s: reverse("home"), {"NHS structure"}, {"Finance"}),
    "waves": (lambda s: reverse("systems:waves"), {"NHS structure"}, {"Members"}),
    "wave": (lambda s: reverse("systems:wave", args=["wave-1"]), {"NHS structure"}, {"Members"}),
    "maturity": (
        lambda s: reverse("maturity:matrix"),
        {"NHS structure", "Maturity ratings"},
        {"Finance"},
    ),
    "finance year": (
        lambda s: reverse("finance:year", args=["2019-20"]),
        {"NHS structure", "Members", "Finance"},
        {"Performance"},
    ),
    "finance system": (
        lambda s: reverse("finance:system", args=["2019-20", "Q900"]),
        {"Finance"},
        {"Performance"},
    ),
    "plan against outturn": (lambda s: reverse("finance:plan-vs-outturn"), {"Finance"}, set()),
    "organisation": (lambda s: reverse("finance:organisation", args=["RXX"]), {"Finance"}, set()),
    "performance index": (lambda s: reverse("performance:index"), {"Performance"}, {"Finance"}),
    "league": (
        lambda s: reverse("performance:league", args=["ae-4-hour", "2017-18"]),
        {"NHS structure", "Members", "Performance"},
        {"Finance"},
    ),
    "compare": (
        lambda s: reverse("performance:compare", args=["2017-18"]) + "?group=wave-1",
        {"Performance"},
        {"Finance"},
    ),
    "system performance": (
        lambda s: reverse("performance:system", args=["Q900"]),
        {"Performance"},
        {"Finance"},
    ),
    "board summaries": (
        lambda s: reverse("reports:index"),
        {"NHS structure", "Members", "Finance", "Performance"},
        set(),
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_about_this_data_on_every_kind_of_page(analyst_client, world, page):
    """Each page states the kinds of data it shows, and only those, in the words the data
    give."""
    url, shown, not_shown = PAGES[page]
    response = analyst_client.get(url(world))
    assert response.status_code == 200
    headings, text = about(response.content.decode())
    assert shown <= headings
    assert not (not_shown & headings)
    if "NHS structure" in shown:
        assert f"to {last_change_text()}, the last recorded change" in text
    if "Members" in shown:
        assert "4 memberships" in text
        assert "3 from Practice mapping, starting between 1 January 2022 and 1 May 2023" in text
        assert "1 from Trust list, starting 1 April 2016" in text
    if "Performance" in shown:
        assert "real figures from April 2017 to September 2017 (financial year 2017/18)" in text
        assert "illustrative figures from January 2018 to February 2019" in text
    if "Finance" in shown:
        assert "for 2019/20 (illustrative)" in text


def test_statements_follow_the_data(world):
    """Real figures added to a year make it partly illustrative; a later change moves the
    structure's last date."""
    OrganisationYearFactory(year=OrganisationYear.objects.get().year, illustrative=False)
    later = LAST_CHANGE + dt.timedelta(days=40)
    SystemStatus.objects.create(system=world, status="ics", effective_from=later, source="test")
    said = {
        s.heading: s.text for s in coverage_for_page(["structure", "finance"], on=None).statements
    }
    assert "2019/20 (partly illustrative)" in said["Finance"]
    assert f"to {format_partial_date(later)}, the last recorded change" in said["NHS structure"]


def test_structure_dates_said_no_more_precisely_than_known(world):
    """When the latest fact is known only to the month, the statement says the month, and a
    date within that month is not past it."""
    month = dt.date(LAST_CHANGE.year + 1, 3, 1)
    SystemStatus.objects.create(
        system=world, status="ics", effective_from=month, precision="month", source="test"
    )
    coverage = coverage_for_page(["structure"], on=dt.date(month.year, 3, 31))
    assert f"to {format_partial_date(month, 'month')}, the last" in coverage.statements[0].text
    assert coverage.notices == []
    assert coverage_for_page(["structure"], on=dt.date(month.year, 4, 1)).notices


def test_notice_for_an_as_at_date_after_the_last_fact(analyst_client, world):
    url = reverse("systems:list")
    after = LAST_CHANGE + dt.timedelta(days=1)
    html = analyst_client.get(url, {"as_at": after.isoformat()}).content.decode()
    [notice] = notices(html)
    assert f"record of the NHS structure runs to {last_change_text()}" in notice
    assert f"as at {format_partial_date(after)}" in notice
    for day in (LAST_CHANGE, LAST_CHANGE - dt.timedelta(days=400)):
        html = analyst_client.get(url, {"as_at": day.isoformat()}).content.decode()
        assert notices(html) == []


def test_notice_for_a_period_after_the_last_figures(analyst_client, world):
    """A league table for a year after the last month observed says so, and says the
    structure shown is as last recorded when the year begins after the last change."""
    late = reverse("performance:league", args=["ae-4-hour", "2030-31"])
    said = notices(analyst_client.get(late).content.decode())
    assert any("Performance figures are recorded up to February 2019" in n for n in said)
    assert any("record of the NHS structure runs to" in n for n in said)
    within = reverse("performance:league", args=["ae-4-hour", "2018-19"])
    assert notices(analyst_client.get(within).content.decode()) == []


def test_pages_without_the_date_control_take_no_as_at_notice(analyst_client, world):
    """Pages over many years have no one date: a far as-at date in the session gives them no
    structure notice."""
    analyst_client.get(reverse("systems:list"), {"as_at": "2030-01-01"})
    html = analyst_client.get(reverse("finance:plan-vs-outturn")).content.decode()
    assert notices(html) == []


def test_coverage_is_one_query_cold_and_none_warm(analyst_client, world):
    url = reverse("systems:waves")
    with CaptureQueriesContext(connection) as cold:
        analyst_client.get(url)
    with CaptureQueriesContext(connection) as warm:
        analyst_client.get(url)
    coverage = [q for q in cold.captured_queries if "coverage_kind" in q["sql"]]
    assert len(coverage) == 1
    assert not [q for q in warm.captured_queries if "coverage_kind" in q["sql"]]
    versions = [q for q in warm.captured_queries if "systems_dataversion" in q["sql"]]
    assert len(versions) == 1  # read once for the whole page


def test_coverage_rows_are_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = coverage_rows(version=-1)
    kinds = {row.kind for row in rows}
    assert kinds == {"structure", "memberships", "performance", "finance"}


def test_no_coverage_for_someone_without_the_view_right(client, django_user_model, world):
    """The sign-in page shows no data, so says nothing about it."""
    html = client.get(reverse("login")).content.decode()
    assert "About this data" not in html


def test_empty_database_says_nothing_is_recorded(db):
    said = {
        s.heading: s.text
        for s in coverage_for_page(
            ["structure", "memberships", "performance", "finance"], on=dt.date(2020, 1, 1)
        ).statements
    }
    assert said["Finance"] == "No control totals are recorded yet."
    assert said["Performance"] == "No performance figures are recorded yet."
    assert said["Members"] == "No member organisations are recorded yet."
    assert coverage_for_page(["structure"], on=dt.date(2099, 1, 1)).notices == []
