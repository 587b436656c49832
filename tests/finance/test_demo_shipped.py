"""The illustrative demo data on the shipped trust list: every year 2016/17 to 2021/22 has
trust members with figures, the memberships before the list are the real load's (sourced,
unverified), and the figures are reproducible and plausible."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q

from core.wording import NUMBER_WORDS
from finance.demo import DEMO_YEARS, load_demo_data
from finance.models import FinancialYear, OrganisationYear
from performance.reference import MEMBERSHIP_SOURCE as LOOKUP_SOURCE
from performance.reference import TRUST_LIST_BACKDATED_SOURCE
from systems.backdating import SUB_FOOTPRINT_TRUSTS
from systems.demo import MEMBERSHIP_SOURCE
from systems.models import TRUST_KINDS, Membership
from systems.reference import load_reference_data
from tests.finance.test_demo import figure_rows, state

pytestmark = pytest.mark.django_db

OCT_2020 = dt.date(2020, 10, 1)
APR_2016 = dt.date(2016, 4, 1)


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The shipped reference data with its trust list and practice mapping (about 5 s), then
    the demo data, loaded once for the module."""
    with django_db_blocker.unblock():
        load_reference_data()
        yield load_demo_data()
        # Loaded outside the per-test transactions, so emptied here, as TransactionTestCase
        # does (flush truncates; post_migrate re-creates the roles and financial years).
        call_command("flush", interactive=False, verbosity=0)


def test_shipped_trusts_are_members_at_the_start_of_every_year(shipped):
    """Every trust of the October 2020 list that was open on 1 April 2016 is a member at the
    start of each year 2016/17 to 2021/22, and each year has figures for every trust member
    and for nobody else."""
    listed = set(
        Membership.objects.as_at(OCT_2020)
        .filter(organisation__kind__in=TRUST_KINDS)
        .filter(Q(organisation__opened_on__isnull=True) | Q(organisation__opened_on__lte=APR_2016))
        .filter(Q(organisation__closed_on__isnull=True) | Q(organisation__closed_on__gt=OCT_2020))
        .values_list("organisation_id", flat=True)
    )
    assert len(listed) > 150

    for year in FinancialYear.objects.filter(start_year__in=DEMO_YEARS):
        members = set(
            Membership.objects.as_at(year.starts_on)
            .filter(organisation__kind__in=TRUST_KINDS)
            .values_list("organisation_id", flat=True)
        )
        with_figures = set(
            OrganisationYear.objects.filter(year=year).values_list("organisation_id", flat=True)
        )
        assert listed <= members, year
        assert with_figures == members, year
        assert not OrganisationYear.objects.filter(year=year, illustrative=False).exists()


def test_shipped_memberships_before_the_list_are_sourced_not_illustrative(shipped):
    """On the shipped data every trust's membership before October 2020 comes from the real
    reference load (the 2022 trust-to-ICB lookup, or the October 2020 trust list carried
    back), each sourced and unverified and ending the day before the list: the demo has
    nothing left to make up."""
    assert shipped.memberships["created"] == 0
    assert not Membership.objects.filter(source=MEMBERSHIP_SOURCE).exists()
    before = Membership.objects.filter(
        organisation__kind__in=TRUST_KINDS, valid_from__lt=OCT_2020
    ).exclude(source__startswith="Reference data: members moved")
    assert set(before.values_list("source", flat=True)) == {
        LOOKUP_SOURCE,
        TRUST_LIST_BACKDATED_SOURCE,
    }
    assert not before.filter(unverified=False).exists()
    assert not before.filter(valid_from__lt=APR_2016).exists()
    carried = before.filter(source=TRUST_LIST_BACKDATED_SOURCE, valid_until=dt.date(2020, 9, 30))
    october = {
        m.organisation_id: (m.system_id, m.share) for m in Membership.objects.as_at(OCT_2020)
    }
    assert carried.exists()
    assert all(october[m.organisation_id] == (m.system_id, m.share) for m in carried)
    # The acute trust at the heart of each sub-footprint Wave 1 system counts towards it until
    # it was absorbed, whichever source its membership comes from.
    first = {
        m.organisation.ods_code: (m.system.slug, m.valid_from, m.valid_until)
        for m in before.filter(system__slug__in=SUB_FOOTPRINT_TRUSTS.values()).select_related(
            "organisation", "system"
        )
    }
    assert first == {
        "RHW": ("berkshire-west", APR_2016, dt.date(2019, 5, 31)),
        "RXQ": ("buckinghamshire", APR_2016, dt.date(2019, 5, 31)),
        "RX1": ("greater-nottingham", APR_2016, dt.date(2018, 9, 26)),
        "RXL": ("blackpool-and-fylde-coast", APR_2016, dt.date(2019, 5, 31)),
    }


def test_shipped_demo_is_reproducible_and_idempotent(shipped):
    """Run again, nothing changes; from fresh (figures and back-dated memberships removed),
    the same seed gives the same figures."""
    before = state()
    assert load_demo_data().changed() == 0
    assert state() == before
    first = figure_rows()

    OrganisationYear.objects.all().delete()
    Membership.objects.filter(source=MEMBERSHIP_SOURCE).delete()
    load_demo_data()

    assert figure_rows() == first


def test_shipped_demo_figures_are_plausible(shipped):
    """£ thousands in the ranges the brief gives; most trusts accept; funding available is a
    few thousand where a scheme is recorded; linked shares are 0, 0.5 or 1, none before
    2018/19, and only Dorset's trusts link all of it from 2019/20."""
    figures = OrganisationYear.objects.all()
    assert not figures.filter(Q(control_total__lt=-30_000) | Q(control_total__gt=15_000)).exists()
    assert figures.filter(accepted=True).count() > 0.7 * figures.count()
    assert set(figures.values_list("funding_linked_share", flat=True)) <= {
        Decimal(0),
        Decimal("0.5"),
        Decimal(1),
    }
    assert not figures.filter(year__start_year__lt=2018).exclude(funding_linked_share=0).exists()
    funded = figures.filter(year__start_year__lte=2019)
    assert not funded.filter(Q(funding_available__lt=500) | Q(funding_available__gt=10_000))
    for start_year in (2019, 2020, 2021):
        year = FinancialYear.objects.get(start_year=start_year)
        in_dorset = Membership.objects.as_at(year.starts_on).filter(system__slug="dorset")
        dorset = figures.filter(year=year, organisation__in=in_dorset.values("organisation_id"))
        assert dorset.exists()
        assert set(dorset.values_list("funding_linked_share", flat=True)) == {Decimal(1)}
        others = figures.filter(year=year).exclude(pk__in=dorset.values("pk"))
        assert not others.filter(funding_linked_share=1).exists()


COMPARISON = re.compile(
    r"of the (?P<whole>[\w,]+) systems with figures, (?P<mine_beat>[\w,]+) of the "
    r"(?P<mine>[\w,]+) .+? did better than plan, against (?P<others_beat>[\w,]+) of the "
    r"(?P<others>[\w,]+) non-ICSs(?:, (?P<waves_beat>[\w,]+) of the (?P<waves>[\w,]+) ICSs? of "
    r"other waves)? and (?P<all_beat>[\w,]+) of all (?P<all>[\w,]+)\."
)


def _number(text: str | None) -> int:
    if text is None:
        return 0
    return NUMBER_WORDS.index(text) if text in NUMBER_WORDS else int(text.replace(",", ""))


@pytest.mark.parametrize("start_year", [2017, 2018, 2019, 2020])
def test_board_paper_comparisons_add_up_on_the_shipped_data(shipped, start_year):
    """Paragraph 6's comparison on the shipped data, year by year: the wave, the other waves
    and the non-ICSs make up the systems with figures, their better-than-plan counts make up
    the whole's, and the headline counts the same systems."""
    from reports.sections.finance import finance_section
    from reports.sections.scope import SummaryScope

    year = FinancialYear.objects.get(start_year=start_year)
    scope = SummaryScope(scope="all", as_at=year.ends_on, year=year)
    section = finance_section(scope)
    text = " ".join(section.paragraphs)
    comparisons = [match.groupdict() for match in COMPARISON.finditer(text)]
    assert comparisons, text
    headline = re.search(r"(\S+) of the ([\w,]+) systems with figures met", text)
    for counts in comparisons:
        n = {key: _number(value) for key, value in counts.items()}
        assert n["mine"] + n["others"] + n["waves"] == n["whole"] == n["all"]
        assert n["mine_beat"] + n["others_beat"] + n["waves_beat"] == n["all_beat"]
        assert _number(headline.group(2)) == n["whole"]
