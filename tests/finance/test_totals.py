"""The control-total rule on hand-worked examples, and its database twin on random data."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from finance.models import FinancialYear, OrganisationYear
from finance.queries import with_control_totals
from finance.totals import MemberFigures, counting_phrase, system_figures
from systems.models import Membership, Organisation, System
from tests.factories.systems import SystemFactory

D = Decimal


def test_split_trust_contributes_its_share():
    """A trust split 60/40 puts 60% of its control total in this system."""
    figures = system_figures(
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


def test_funding_linked_to_system_is_earned_only_if_the_system_met():
    """Own part on the organisation's total, linked part on the system's."""
    struggling = MemberFigures(
        D(1),
        D("100"),
        D("100"),
        D("50"),
        funding_available=D("1000"),
        funding_linked_share=D("0.25"),
    )
    strong = MemberFigures(
        D(1),
        D("100"),
        D("100"),
        D("300"),
        funding_available=D("1000"),
        funding_linked_share=D("1"),
    )
    figures = system_figures([struggling, strong])
    # System: control 200, outturn 350, met. Struggling missed its own: earns only 250 linked.
    assert figures.met_control_total
    assert figures.funding_linked == D("1250")
    assert figures.funding_earned == D("250") + D("1000")
    missed = system_figures([struggling])
    assert not missed.met_control_total
    assert missed.funding_earned == D("0")


def test_declined_control_total_earns_no_funding():
    declined = MemberFigures(
        D(1), D("0"), D("0"), D("10"), accepted=False, funding_available=D("500")
    )
    assert system_figures([declined]).funding_earned == 0


@pytest.mark.parametrize(
    ("count", "total", "words"),
    [
        (0, 10, "none"),
        (10, 10, "all"),
        (9, 10, "all but one"),
        (6, 10, "six of the ten"),
        (1, 10, "one of the ten"),
        (2, 2, "both"),
    ],
)
def test_counting_phrase(count, total, words):
    assert counting_phrase(count, total) == words


money = st.decimals(min_value=-50000, max_value=50000, places=2, allow_nan=False)
shares = st.sampled_from([D("1"), D("0.5"), D("0.25"), D("0.3333"), D("0.6667"), D("0.1")])
member = st.tuples(
    shares,
    money,
    money,
    money,
    st.booleans(),
    st.decimals(min_value=0, max_value=20000, places=2),
    st.sampled_from([D(0), D("0.5"), D(1)]),
)


class DatabaseTwinTests(TestCase):
    """`with_control_totals` agrees with `system_figures` to the penny on random data."""

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.lists(member, min_size=0, max_size=6), min_size=1, max_size=4))
    def test_annotation_equals_pure_function(self, systems_members):
        year = FinancialYear.objects.get(start_year=2019)  # loaded after migrate
        expected = {}
        for index, members in enumerate(systems_members):
            system = SystemFactory()
            figures = []
            for n, (share, ct, plan, outturn, accepted, funding, linked) in enumerate(members):
                organisation = Organisation.objects.create(
                    ods_code=f"T{index}{n:03d}", name=f"Trust {index} {n}", kind="acute_trust"
                )
                Membership.objects.create(
                    organisation=organisation,
                    system=system,
                    share=share,
                    valid_from=dt.date(2018, 4, 1),
                    source="test",
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
                figures.append(MemberFigures(share, ct, plan, outturn, accepted, funding, linked))
            expected[system.pk] = system_figures(figures)
        for row in with_control_totals(System.objects.all(), year):
            want = expected[row.pk]
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
