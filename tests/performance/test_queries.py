"""System and national figures summed in the database: on hand-worked examples, through
membership changes and split trusts, and against the pure rule on random data."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from performance import rules
from performance.models import Observation, Standard
from performance.periods import Period, PeriodKind
from performance.queries import (
    group_comparison,
    national_figures_for,
    standard_figures_by_system,
    system_trend,
    wave_comparison,
)
from systems.models import Membership, Organisation
from tests.factories.performance import ObservationFactory
from tests.factories.systems import (
    DesignationFactory,
    MembershipFactory,
    OrganisationFactory,
    SystemFactory,
    WaveFactory,
    absorb,
    make_system,
)

D = Decimal
YEAR = Period.financial_year(2017)


@pytest.fixture
def ae():
    return Standard.objects.get(code="ae-4-hour")  # loaded after migrate


def observe(provider, standard, months, numerator, denominator):
    for month in months:
        ObservationFactory(
            provider=provider,
            standard=standard,
            month=month,
            numerator=numerator,
            denominator=denominator,
        )


@pytest.mark.django_db
def test_system_figure_sums_numerators_never_averages_percentages(ae):
    """A small trust at 90% (9/10) and a large one at 50% (500/1,000): the system is at
    509/1,010 = 50.4%, not 70%."""
    system = SystemFactory()
    small, large = MembershipFactory(system=system), MembershipFactory(system=system)
    observe(small.organisation, ae, [dt.date(2018, 4, 1)], 9, 10)
    observe(large.organisation, ae, [dt.date(2018, 4, 1)], 500, 1000)
    figures = standard_figures_by_system(ae, Period.month(2018, 4))[system.pk]
    assert (figures.numerator, figures.denominator) == (D(509), D(1010))
    assert round(figures.value, 4) == D("0.5040")
    assert figures.providers == 2


@pytest.mark.django_db
def test_year_figure_adds_up_months(ae):
    """Over a year, months are added up too: 12 x 90/100 and nothing else is 1,080/1,200."""
    system = SystemFactory()
    member = MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
    observe(member.organisation, ae, YEAR.months, 90, 100)
    observe(member.organisation, ae, [dt.date(2018, 4, 1)], 0, 100)  # the next year
    figures = standard_figures_by_system(ae, YEAR)[system.pk]
    assert (figures.numerator, figures.denominator) == (D(1080), D(1200))


@pytest.mark.django_db
def test_provider_moving_system_in_october_counts_to_each_for_its_months(ae):
    """Member of the old system until 30 September, the new one from 1 October: April to
    September count to the old system, October to March to the new one."""
    old, new = SystemFactory(), SystemFactory()
    trust = OrganisationFactory()
    MembershipFactory(
        organisation=trust,
        system=old,
        valid_from=dt.date(2016, 4, 1),
        valid_until=dt.date(2017, 9, 30),
    )
    MembershipFactory(organisation=trust, system=new, valid_from=dt.date(2017, 10, 1))
    for month in YEAR.months:
        observe(trust, ae, [month], month.month, 100)  # the numerator names the month
    figures = standard_figures_by_system(ae, YEAR)
    assert figures[old.pk].numerator == sum(range(4, 10))
    assert figures[old.pk].denominator == 600
    assert figures[new.pk].numerator == sum(range(10, 13)) + sum(range(1, 4))
    assert figures[new.pk].denominator == 600
    # The nation counts the trust once, whatever its system.
    assert national_figures_for(ae, YEAR).denominator == 1200


@pytest.mark.django_db
def test_membership_is_taken_on_the_first_of_the_month(ae):
    """A trust joining on 2 October does not count for October."""
    system = SystemFactory()
    member = MembershipFactory(system=system, valid_from=dt.date(2017, 10, 2))
    observe(member.organisation, ae, [dt.date(2017, 10, 1), dt.date(2017, 11, 1)], 50, 100)
    assert standard_figures_by_system(ae, YEAR)[system.pk].denominator == 100


@pytest.mark.django_db
def test_split_trust_is_share_weighted(ae):
    """A trust split 60/40 puts 60% of its patients in one system and 40% in the other; the
    nation counts it once, whole."""
    a, b = SystemFactory(), SystemFactory()
    split = OrganisationFactory()
    MembershipFactory(organisation=split, system=a, share=D("0.6"), valid_from=dt.date(2016, 4, 1))
    MembershipFactory(organisation=split, system=b, share=D("0.4"), valid_from=dt.date(2016, 4, 1))
    whole = MembershipFactory(system=a, valid_from=dt.date(2016, 4, 1)).organisation
    observe(split, ae, [dt.date(2017, 4, 1)], 80, 100)
    observe(whole, ae, [dt.date(2017, 4, 1)], 190, 200)
    figures = standard_figures_by_system(ae, YEAR)
    assert figures[a.pk].numerator == D("238")  # 0.6 x 80 + 190
    assert figures[a.pk].denominator == D("260")  # 0.6 x 100 + 200
    assert figures[b.pk].numerator == D("32")
    assert figures[b.pk].denominator == D("40")
    nation = national_figures_for(ae, YEAR)
    assert (nation.numerator, nation.denominator, nation.providers) == (270, 300, 2)


@pytest.mark.django_db
def test_other_standards_and_non_members_do_not_count(ae):
    system = SystemFactory()
    member = MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
    rtt = Standard.objects.get(code="rtt-18-weeks")
    observe(member.organisation, rtt, [dt.date(2017, 4, 1)], 1, 2)
    observe(OrganisationFactory(), ae, [dt.date(2017, 4, 1)], 3, 4)  # in no system
    assert standard_figures_by_system(ae, YEAR) == {}
    assert national_figures_for(ae, YEAR).denominator == 4


@pytest.mark.django_db
def test_system_trend_rolls_months_into_years_by_summing(ae):
    system = SystemFactory()
    member = MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
    observe(member.organisation, ae, [dt.date(2017, 4, 1)], 9, 10)
    observe(member.organisation, ae, [dt.date(2017, 5, 1)], 500, 1000)
    observe(OrganisationFactory(), ae, [dt.date(2017, 5, 1)], 1000, 1000)  # elsewhere
    (trend,) = system_trend(system, [ae])
    assert [p.period.slug for p in trend.points] == ["2017-04", "2017-05"]
    assert trend.points[1].national.denominator == 2000
    (year,) = trend.rolled_up(PeriodKind.YEAR).points
    assert (year.system.numerator, year.system.denominator) == (509, 1010)
    assert (year.national.numerator, year.national.denominator) == (1509, 2010)


def _wave_one_world(ae):
    """Three systems: one designated in Wave 1 in June 2017, one that absorbed a Wave 1
    system before the end of 2017/18, and one never designated."""
    wave = WaveFactory(name="Wave 1", slug="wave-1-test")
    direct = make_system(name="Direct")
    DesignationFactory(system=direct, wave=wave, designated_on=dt.date(2017, 6, 1))
    absorber = make_system(name="Absorber")
    absorbed = make_system(
        name="Absorbed", statuses=[("stp", dt.date(2016, 1, 1)), ("merged", dt.date(2018, 1, 1))]
    )
    DesignationFactory(system=absorbed, wave=wave, designated_on=dt.date(2017, 6, 1))
    absorb(absorbed, into=absorber, on=dt.date(2018, 1, 1))
    other = make_system(name="Other")
    for system, numerator in ((direct, 95), (absorber, 80), (other, 92)):
        member = MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
        observe(member.organisation, ae, YEAR.months, numerator, 100)
    return wave


@pytest.mark.django_db
def test_wave_comparison_counts_systems_above_national_and_names_them(ae):
    """National: (95 + 80 + 92) / 300 = 89%. Direct (95%) is above, Absorber (80%, Wave 1
    through the system it absorbed) is not, Other (92%) is."""
    wave = _wave_one_world(ae)
    comparison = wave_comparison(YEAR, wave, [ae])
    (item,) = comparison.standards
    assert round(item.national.value, 2) == D("0.89")
    assert (item.group.systems, item.group.counted, item.group.above) == (2, 2, ["Direct"])
    assert (item.rest.systems, item.rest.counted, item.rest.above) == (1, 1, ["Other"])
    assert item.sentence == (
        "For 2017/18, one of the two Wave 1 systems was above the national average for "
        "A&E 4-hour: Direct."
    )


@pytest.mark.django_db
def test_group_comparison_with_any_grouping(ae):
    _wave_one_world(ae)
    comparison = group_comparison(
        YEAR, in_group=lambda s: s.name != "Direct", group_label="chosen", standards=[ae]
    )
    assert comparison.standards[0].group.above == ["Other"]
    assert comparison.standards[0].rest.above == ["Direct"]


# -- the database twin of the pure rule ---------------------------------------------------------

MONTHS = [dt.date(2017, m, 1) for m in (4, 5, 6, 7)]
SHARES = [D("1"), D("0.5"), D("0.25"), D("0.3333"), D("0.6667")]
counts = st.integers(min_value=0, max_value=50_000).flatmap(
    lambda den: st.tuples(st.integers(min_value=0, max_value=den), st.just(den))
)
# Any day from before the first month observed to after the last: a membership may start or
# end on the first of a month, the day before, the day after or mid-month.
days = st.dates(min_value=dt.date(2017, 2, 25), max_value=dt.date(2017, 8, 5))
membership = st.tuples(
    st.integers(min_value=0, max_value=2),  # system
    st.sampled_from(SHARES),
    days,  # from
    st.one_of(st.none(), st.integers(min_value=0, max_value=120)),  # days until it ends
)
provider = st.tuples(
    st.lists(membership, max_size=2),
    st.lists(
        st.tuples(st.sampled_from(MONTHS), counts, st.booleans()),
        max_size=4,
        unique_by=lambda o: o[0],
    ),
)


class DatabaseTwinTests(TestCase):
    """`standard_figures_by_system` and `national_figures_for` agree with the pure rule on
    random data with random membership dates: the same sums, providers and illustrative
    flag."""

    @settings(deadline=None)
    @given(st.lists(provider, min_size=1, max_size=5))
    def test_database_figures_equal_pure_figures(self, providers):
        standard = Standard.objects.get(code="cancer-62-day")
        systems = [SystemFactory() for _ in range(3)]
        observations, memberships = [], []
        for n, (held, observed) in enumerate(providers):
            organisation = Organisation.objects.create(
                ods_code=f"P{n:03d}", name=f"Trust {n}", kind="acute_trust"
            )
            kept, seen = [], set()
            for system, share, start, length in held:
                if system not in seen:  # one membership per system
                    seen.add(system)
                    kept.append([system, share, start, length])
            if len(kept) == 2:  # a split trust: shares on any day add up to at most 1
                first = kept[0][1] if kept[0][1] < 1 else D("0.5")
                kept[0][1], kept[1][1] = first, 1 - first
            for system, share, start, length in kept:
                end = None if length is None else start + dt.timedelta(days=length)
                Membership.objects.create(
                    organisation=organisation,
                    system=systems[system],
                    share=share,
                    valid_from=start,
                    valid_until=end,
                    source="test",
                )
                memberships.append(rules.MemberPeriod(n, systems[system].pk, share, start, end))
            for month, (numerator, denominator), illustrative in observed:
                Observation.objects.create(
                    provider=organisation,
                    standard=standard,
                    month=month,
                    numerator=numerator,
                    denominator=denominator,
                    illustrative=illustrative,
                )
                observations.append(
                    rules.ProviderMonth(n, month, numerator, denominator, illustrative)
                )
        period = Period.quarter(2017, 1)  # April to June: July is outside
        inside = [o for o in observations if period.contains(o.month)]
        expected = rules.figures_by_system(inside, memberships)
        actual = standard_figures_by_system(standard, period)
        assert set(actual) == set(expected)
        for pk, want in expected.items():
            got = actual[pk]
            assert round(got.numerator, 4) == round(want.numerator, 4)
            assert round(got.denominator, 4) == round(want.denominator, 4)
            assert (got.providers, got.illustrative) == (want.providers, want.illustrative)
            if want.denominator:
                assert round(got.value, 9) == round(want.value, 9)
        assert national_figures_for(standard, period) == rules.national_figures_of(inside)
