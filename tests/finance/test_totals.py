"""The control-total rule on hand-worked examples, and its database twin on random data."""

import datetime as dt
from collections import Counter
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.dates import covers
from finance.models import FinancialYear, OrganisationYear
from finance.queries import with_control_totals
from finance.totals import MemberFigures, system_totals
from systems.models import Membership, Organisation, System
from tests.factories.systems import SystemFactory

D = Decimal


def test_split_trust_contributes_its_share():
    """A trust split 60/40 puts 60% of its control total in this system."""
    figures = system_totals(
        [
            MemberFigures(D("1"), D("-1000"), D("-900"), D("-800")),
            MemberFigures(D("0.6"), D("500"), D("500"), D("400")),
        ]
    )
    assert figures.control_total == D("-700")  # -1000 + 0.6 * 500
    assert figures.plan == D("-600")
    assert figures.outturn == D("-560")
    assert figures.variance == D("140")
    assert figures.met_control_total and figures.beat_plan


def funded_member(outturn: str, linked_share: str) -> MemberFigures:
    """A whole member with a control total and plan of 100 and 1000 of funding available."""
    return MemberFigures(
        D(1),
        D("100"),
        D("100"),
        D(outturn),
        funding_available=D("1000"),
        funding_linked_share=D(linked_share),
    )


def test_funding_linked_to_system_is_earned_only_if_the_system_met():
    """Own part on the organisation's total, linked part on the system's."""
    struggling = funded_member("50", linked_share="0.25")
    strong = funded_member("300", linked_share="1")
    figures = system_totals([struggling, strong])
    # System: control 200, outturn 350, met. Struggling missed its own: earns only 250 linked.
    assert figures.met_control_total
    assert figures.funding_linked == D("1250")
    assert figures.funding_earned == D("250") + D("1000")
    missed = system_totals([struggling])
    assert not missed.met_control_total
    assert missed.funding_earned == D("0")


def test_declined_control_total_earns_no_funding():
    declined = MemberFigures(
        D(1), D("0"), D("0"), D("10"), accepted=False, funding_available=D("500")
    )
    assert system_totals([declined]).funding_earned == 0


money = st.decimals(min_value=-50000, max_value=50000, places=2, allow_nan=False)
figures = st.tuples(
    money,
    money,
    money,
    st.booleans(),
    st.decimals(min_value=0, max_value=20000, places=2),
    st.sampled_from([D(0), D("0.5"), D(1)]),
)
shares = st.decimals(min_value=D("0.0001"), max_value=1, places=4)
# Around 1 April 2019, the day the 2019/20 figures count members on, and on it exactly.
days = st.one_of(
    st.dates(dt.date(2018, 1, 1), dt.date(2020, 12, 31)),
    st.sampled_from([dt.date(2019, 3, 31), dt.date(2019, 4, 1), dt.date(2019, 4, 2)]),
)


@st.composite
def memberships(draw, organisations: int, systems: int):
    """(organisation, system, share, valid_from, valid_until): a trust may serve several
    systems, and join, leave or be a member through 1 April or not."""
    valid_from = draw(days)
    valid_until = draw(st.one_of(st.none(), days.filter(lambda day: day >= valid_from)))
    return (
        draw(st.integers(0, organisations - 1)),
        draw(st.integers(0, systems - 1)),
        draw(shares),
        valid_from,
        valid_until,
    )


@st.composite
def finance_worlds(draw):
    """Organisations' figures for 2019/20, systems, and random memberships between them."""
    organisations = draw(st.lists(figures, min_size=1, max_size=6))
    systems = draw(st.integers(1, 4))
    # One membership per organisation and system: PostgreSQL refuses overlapping ones.
    links = draw(
        st.lists(memberships(len(organisations), systems), max_size=10, unique_by=lambda m: m[:2])
    )
    # One organisation's shares may not add up to more than 1 on any day (the database
    # refuses it): a trust in k systems holds at most 1/k in each.
    per_organisation = Counter(organisation for organisation, *_ in links)
    links = [
        (
            organisation,
            system,
            min(share, (D(1) / per_organisation[organisation]).quantize(D("0.0001"), ROUND_DOWN)),
            valid_from,
            valid_until,
        )
        for organisation, system, share, valid_from, valid_until in links
    ]
    return organisations, systems, links


class DatabaseTwinTests(TestCase):
    """`with_control_totals` agrees with `system_totals` to the penny on random data."""

    @settings(deadline=None)
    @given(finance_worlds())
    def test_annotation_equals_pure_function(self, world):
        """On random figures, shares and membership dates, the database counts the members
        `covers` says were members on 1 April, and sums them as the pure rule does."""
        organisation_figures, system_count, links = world
        year = FinancialYear.objects.get(start_year=2019)  # loaded after migrate
        systems = [SystemFactory() for _ in range(system_count)]
        organisations = []
        for n, (ct, plan, outturn, accepted, funding, linked) in enumerate(organisation_figures):
            organisation = Organisation.objects.create(
                ods_code=f"T{n:03d}", name=f"Trust {n}", kind="acute_trust"
            )
            OrganisationYear.objects.create(
                organisation=organisation,
                year=year,
                control_total=ct,
                plan=plan,
                outturn=outturn,
                accepted=accepted,
                funding_available=funding,
                funding_linked_share=linked,
            )
            organisations.append(organisation)
        members = {system.pk: [] for system in systems}
        for organisation_index, system_index, share, valid_from, valid_until in links:
            Membership.objects.create(
                organisation=organisations[organisation_index],
                system=systems[system_index],
                share=share,
                valid_from=valid_from,
                valid_until=valid_until,
                source="test",
            )
            if covers(valid_from, valid_until, year.starts_on):
                ct, plan, outturn, accepted, funding, linked = organisation_figures[
                    organisation_index
                ]
                members[systems[system_index].pk].append(
                    MemberFigures(share, ct, plan, outturn, accepted, funding, linked)
                )
        for row in with_control_totals(System.objects.all(), year):
            want = system_totals(members[row.pk])
            for name in ("control_total", "plan", "outturn", "funding_linked", "funding_earned"):
                assert round(getattr(row, name), 2) == round(getattr(want, name), 2), name
            assert row.met_control_total == want.met_control_total
            assert row.beat_plan == want.beat_plan
            assert row.member_count == want.members


@pytest.mark.django_db
def test_member_joining_mid_year_counts_from_the_next_year():
    """Members are counted as at 1 April: a trust joining in October counts the year after."""
    from tests.factories.finance import FinancialYearFactory, OrganisationYearFactory
    from tests.factories.systems import MembershipFactory, OrganisationFactory

    system = SystemFactory()
    y2019 = FinancialYearFactory(start_year=2019)
    y2020 = FinancialYearFactory(start_year=2020)
    founder, joiner = OrganisationFactory(), OrganisationFactory()
    MembershipFactory(organisation=founder, system=system, valid_from=dt.date(2018, 4, 1))
    MembershipFactory(organisation=joiner, system=system, valid_from=dt.date(2019, 10, 1))
    for year in (y2019, y2020):
        OrganisationYearFactory(organisation=founder, year=year, control_total=D("-100"))
        OrganisationYearFactory(organisation=joiner, year=year, control_total=D("40"))
    totals = {
        year.start_year: with_control_totals(System.objects.filter(pk=system.pk), year)[0]
        for year in (y2019, y2020)
    }
    assert totals[2019].control_total == D("-100") and totals[2019].member_count == 1
    assert totals[2020].control_total == D("-60") and totals[2020].member_count == 2


@pytest.mark.django_db
def test_changing_one_figure_moves_the_system_by_change_times_share():
    from tests.factories.finance import FinancialYearFactory, OrganisationYearFactory
    from tests.factories.systems import MembershipFactory

    system = SystemFactory()
    year = FinancialYearFactory(start_year=2019)
    split = MembershipFactory(system=system, share=D("0.4"), valid_from=dt.date(2018, 4, 1))
    figures = OrganisationYearFactory(
        organisation=split.organisation, year=year, control_total=D("1000")
    )
    before = with_control_totals(System.objects.filter(pk=system.pk), year)[0].control_total
    figures.control_total += D("250")
    figures.save()
    after = with_control_totals(System.objects.filter(pk=system.pk), year)[0].control_total
    assert after - before == D("100")  # 250 x 0.4
