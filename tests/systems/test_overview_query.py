"""The systems overview (`SystemQuerySet.with_overview_as_at`) reads its coverage, member
counts and wave lineage as derived tables joined once: each annotation still equals what the
per-system rules say, system by system, on the shipped national data (merged and absorbed
systems, six waves, sub-footprint systems) with members added, before and after its events."""

import datetime as dt
from decimal import Decimal

import pytest

from finance.queries import year_systems
from systems import rules
from systems.models import CodeScheme, Designation, DesignationEvent, System
from tests.factories.finance import FinancialYearFactory
from tests.factories.systems import MembershipFactory

DAYS = [
    dt.date(2016, 6, 1),  # before any wave
    dt.date(2017, 7, 1),  # wave 1
    dt.date(2018, 10, 1),  # after the 2018 mergers
    dt.date(2021, 6, 1),
    dt.date(2022, 7, 1),  # statutory ICBs
    dt.date(2026, 5, 1),  # after the 2026 mergers
]


def members_here_and_there():
    """Members of some systems only: current, ended, not yet started, in two systems."""
    systems = list(System.objects.order_by("pk")[:6])
    for n, system in enumerate(systems[:4]):
        for _ in range(n + 1):
            MembershipFactory(system=system, valid_from=dt.date(2017, 4, 1))
    MembershipFactory(
        system=systems[0], valid_from=dt.date(2016, 4, 1), valid_until=dt.date(2018, 9, 30)
    )
    MembershipFactory(system=systems[1], valid_from=dt.date(2021, 6, 1))
    shared = MembershipFactory(
        system=systems[2], share=Decimal("0.5"), valid_from=dt.date(2018, 10, 1)
    )
    MembershipFactory(
        system=systems[5],
        organisation=shared.organisation,
        share=Decimal("0.5"),
        valid_from=dt.date(2016, 1, 1),
    )


def first_carried(system, day, events):
    """The first designation `system` carries on `day`, and the first that is another's, by
    `rules.lineage` (wave, then designation date, then the designated system's slug)."""
    carried = rules.lineage(system.pk, events, day)
    designations = sorted(
        (
            d
            for d in Designation.objects.select_related("wave", "system")
            if d.system_id in carried and d.designated_on <= day
        ),
        key=lambda d: (d.wave.sequence, d.designated_on, d.system.slug),
    )
    absorbed = [d for d in designations if d.system_id != system.pk]
    return (designations or [None])[0], (absorbed or [None])[0]


@pytest.mark.parametrize("day", DAYS)
def test_overview_equals_each_systems_rules(reference_data, day):
    """Every annotation the tables, filters, charts and board papers read, for every system,
    equals the per-system reading of the same facts."""
    members_here_and_there()
    events = list(
        DesignationEvent.objects.values_list("system", "kind", "related_system", "occurred_on")
    )
    overview = {s.pk: s for s in System.objects.with_overview_as_at(day)}
    assert len(overview) == System.objects.count()
    assert any(s.member_count_as_at for s in overview.values())
    assert any(s.designated_via for s in overview.values()) == (day >= dt.date(2018, 10, 1))
    for system in System.objects.all():
        row = overview[system.pk]
        assert row.status_as_at == system.status_as_at(day)
        named = system.dated_name(day)
        assert row.name_as_at == (named.short_name if named else system.name)
        assert row.full_name_as_at == (named.name if named else None)
        coverage = system.footprint_as_at(day)
        footprint = coverage.footprint if coverage else None
        assert (
            row.footprint_as_at,
            row.footprint_name_as_at,
            row.scope_as_at,
            row.region_as_at,
            row.region_name_as_at,
        ) == (
            (footprint.pk, footprint.name, coverage.scope, footprint.region_id,
             footprint.region.name)
            if coverage
            else (None, None, None, None, None)
        )  # fmt: skip
        ods = system.codes_as_at(day).filter(scheme=CodeScheme.ODS).first()
        assert row.ods_code_as_at == (ods.code if ods else None)
        assert row.member_count_as_at == system.members_as_at(day).count()
        first, absorbed = first_carried(system, day, events)
        assert (
            row.wave_id,
            row.wave_name,
            row.wave_slug,
            row.wave_sequence,
            row.designated_on_as_at,
            row.designated_precision,
        ) == (
            (first.wave_id, first.wave.name, first.wave.slug, first.wave.sequence,
             first.designated_on, first.precision)
            if first
            else (None,) * 6
        )  # fmt: skip
        assert row.designated_via == (absorbed.system.name if absorbed else None)


def test_overview_is_one_query_filtered_counted_and_nested(
    reference_data, django_assert_num_queries
):
    """The joined tables hold under what the pages do with the overview: filtering on its
    columns (a region or wave as a model instance, as a filter form gives it), counting,
    ordering, and using it as a subquery of another query."""
    members_here_and_there()
    day = dt.date(2018, 10, 1)
    overview = System.objects.with_overview_as_at(day)
    with django_assert_num_queries(1):
        rows = list(overview)
    london = next(s for s in rows if s.region_name_as_at == "London")
    region = System.objects.get(pk=london.pk).footprint_as_at(day).footprint.region
    in_london = {s.pk for s in rows if s.region_as_at == region.pk}
    assert {s.pk for s in overview.filter(region_as_at=region)} == in_london
    assert overview.filter(region_as_at=region).count() == len(in_london)
    first_wave = min((s for s in rows if s.wave_id), key=lambda s: s.wave_sequence)
    assert overview.filter(wave_id=first_wave.wave_id).count() == sum(
        s.wave_id == first_wave.wave_id for s in rows
    )
    with_members = overview.filter(member_count_as_at__gt=0)
    assert set(System.objects.filter(pk__in=with_members.values("pk"))) == {
        s for s in rows if s.member_count_as_at
    }
    by_members = [s.member_count_as_at for s in overview.order_by("-member_count_as_at")]
    assert by_members == sorted(by_members, reverse=True)


def test_detail_lookup_reads_one_system_in_one_query(reference_data, django_assert_num_queries):
    """A system found by code carries the same overview as in the list, in one query."""
    members_here_and_there()
    day = dt.date(2026, 5, 1)
    listed = {s.pk: s for s in System.objects.with_overview_as_at(day)}
    system = System.objects.order_by("pk").first()
    with django_assert_num_queries(1):
        found = System.objects.with_overview_as_at(day).get_by_code(system.slug)
    for field in ("member_count_as_at", "wave_id", "designated_via", "footprint_as_at"):
        assert getattr(found, field) == getattr(listed[system.pk], field)


def test_finance_year_reads_its_wave_at_the_years_end(reference_data):
    """A financial year's systems are read at its start with their wave at its end, in one
    overview: the wave equals the overview's at the end, the rest the overview's at the
    start."""
    year = FinancialYearFactory(start_year=2018)
    at_start = {s.pk: s for s in System.objects.with_overview_as_at(year.starts_on)}
    at_end = {s.pk: s for s in System.objects.with_overview_as_at(year.ends_on)}
    rows = list(year_systems(year))
    assert rows
    assert any(at_start[s.pk].wave_id != s.wave_id for s in rows)
    for row in rows:
        assert (row.wave_id, row.designated_via) == (
            at_end[row.pk].wave_id,
            at_end[row.pk].designated_via,
        )
        assert (row.status_as_at, row.footprint_as_at, row.member_count_as_at) == (
            at_start[row.pk].status_as_at,
            at_start[row.pk].footprint_as_at,
            at_start[row.pk].member_count_as_at,
        )
