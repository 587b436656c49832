"""Each rule about systems over time is written once as a pure function; where a page needs it
for many rows in one query it has a database twin. These hold every twin equal to its rule on
random data: random periods and days, random status histories, random absorptions."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.dates import covers
from core.models import valid_on
from systems import rules
from systems.models import (
    Designation,
    DesignationEvent,
    EventKind,
    Footprint,
    System,
    SystemFootprint,
    SystemStatusKind,
)
from systems.series import count_ics
from tests.factories.systems import (
    DesignationFactory,
    FootprintFactory,
    RegionFactory,
    SystemFactory,
    SystemStatusFactory,
    WaveFactory,
)

# A short span, so random periods, days and status changes often meet and touch.
START = dt.date(2018, 1, 1)
days = st.dates(min_value=START, max_value=dt.date(2018, 2, 28))


@st.composite
def periods(draw):
    """(start, end or None): inclusive, an end never before its start."""
    start = draw(days)
    end = draw(st.none() | st.dates(min_value=start, max_value=dt.date(2018, 2, 28)))
    return start, end


@st.composite
def status_histories(draw):
    """A status history: distinct start days, each with a status."""
    starts = draw(st.lists(days, unique=True, max_size=4))
    return [(start, draw(st.sampled_from(SystemStatusKind.values))) for start in starts]


def test_covers_is_inclusive_at_both_ends_and_open_without_an_end():
    """A period covers its first and last day, not the days either side; no end, no last day."""
    first, last = dt.date(2018, 4, 1), dt.date(2019, 3, 31)
    assert covers(first, last, first) and covers(first, last, last)
    assert not covers(first, last, first - dt.timedelta(days=1))
    assert not covers(first, last, last + dt.timedelta(days=1))
    assert covers(first, None, dt.date(2100, 1, 1))


def test_status_on_takes_the_latest_start_on_or_before_the_day_in_any_order():
    """The status in force is the one that started last by the day, however the history is
    ordered; before the first start there is none."""
    history = [(dt.date(2018, 5, 24), "ics"), (dt.date(2016, 1, 1), "stp")]
    assert rules.status_on(history, dt.date(2018, 5, 23)) == "stp"
    assert rules.status_on(history, dt.date(2018, 5, 24)) == "ics"
    assert rules.status_on(history, dt.date(2015, 12, 31)) is None


def test_absorbing_event_kinds_are_the_models_kinds():
    """The rules spell the absorbing kinds without the models; they must be the models'."""
    assert set(rules.ABSORBING_EVENT_KINDS) == {EventKind.ABSORBED_INTO, EventKind.MERGED_INTO}


class PeriodTwinTests(TestCase):
    """`valid_on` (and `as_at` built on it) picks exactly the rows `covers` says hold."""

    @settings(deadline=None)
    @given(st.lists(periods(), min_size=1, max_size=6), days)
    def test_valid_on_equals_covers(self, spans, day):
        footprint = FootprintFactory()
        rows = {}
        for start, end in spans:
            coverage = SystemFootprint.objects.create(
                system=SystemFactory(),
                footprint=footprint,
                valid_from=start,
                valid_until=end,
                source="test",
            )
            rows[coverage.pk] = (start, end)
        expected = {pk for pk, (start, end) in rows.items() if covers(start, end, day)}
        found = SystemFootprint.objects.as_at(day).filter(footprint=footprint)
        assert set(found.values_list("pk", flat=True)) == expected

    @settings(deadline=None)
    @given(st.lists(periods(), min_size=1, max_size=6), days)
    def test_valid_on_with_other_field_names_equals_covers(self, spans, day):
        region = RegionFactory()
        rows = {
            FootprintFactory(region=region, established_on=start, ended_on=end).pk: (start, end)
            for start, end in spans
        }
        expected = {pk for pk, (start, end) in rows.items() if covers(start, end, day)}
        found = Footprint.objects.filter(valid_on(day, "established_on", "ended_on"), region=region)
        assert set(found.values_list("pk", flat=True)) == expected

    @settings(deadline=None)
    @given(st.lists(periods(), min_size=1, max_size=6), days)
    def test_valid_on_indexed_equals_covers(self, spans, day):
        """The one-comparison form the systems overview counts members with selects the same
        rows as `covers`."""
        region = RegionFactory()
        rows = {
            FootprintFactory(region=region, established_on=start, ended_on=end).pk: (start, end)
            for start, end in spans
        }
        expected = {pk for pk, (start, end) in rows.items() if covers(start, end, day)}
        indexed = valid_on(day, "established_on", "ended_on", indexed=True)
        found = Footprint.objects.filter(indexed, region=region)
        assert set(found.values_list("pk", flat=True)) == expected


class StatusTwinTests(TestCase):
    """`with_status_as_at` and `System.status_as_at` give the status `status_on` gives."""

    @settings(deadline=None)
    @given(st.lists(status_histories(), min_size=1, max_size=4), days)
    def test_status_annotation_equals_status_on(self, histories, day):
        expected = {}
        for history in histories:
            system = SystemFactory()
            for start, status in history:
                SystemStatusFactory(system=system, status=status, effective_from=start)
            expected[system.pk] = rules.status_on(history, day)
        mine = System.objects.filter(pk__in=expected)
        annotated = dict(mine.with_status_as_at(day).values_list("pk", "status_as_at"))
        assert annotated == expected
        for system in mine:
            assert system.status_as_at(day) == expected[system.pk]


class LineageTwinTests(TestCase):
    """`Designation.objects.carried_by` carries the designations of the systems `lineage`
    names, and the systems table's wave is the first of them."""

    @settings(deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(0, 3),
                st.sampled_from(EventKind.values),
                st.integers(0, 3),
                days,
            ),
            max_size=5,
        ),
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), days), max_size=6),
        days,
    )
    def test_carried_designations_equal_lineage(self, event_rows, designation_rows, day):
        systems = [SystemFactory() for _ in range(4)]
        waves = [WaveFactory(announced_on=START, effective_on=START) for _ in range(3)]
        events = []
        for source, kind, target, occurred_on in event_rows:
            if source == target:
                continue
            DesignationEvent.objects.create(
                system=systems[source],
                kind=kind,
                related_system=systems[target],
                occurred_on=occurred_on,
                previous_name="old",
                new_name="new",
                source="test",
            )
            events.append((systems[source].pk, kind, systems[target].pk, occurred_on))
        designations = {}
        for system, wave, designated_on in designation_rows:
            if (system, wave) not in designations:
                designations[(system, wave)] = DesignationFactory(
                    system=systems[system], wave=waves[wave], designated_on=designated_on
                )
        mine = System.objects.filter(pk__in=[s.pk for s in systems])
        overview = {s.pk: s for s in mine.with_overview_as_at(day)}
        for system in systems:
            carried = rules.lineage(system.pk, events, day)
            expected = [
                d
                for d in designations.values()
                if d.system_id in carried and d.designated_on <= day
            ]
            found = Designation.objects.carried_by(system, day)
            assert {d.pk for d in found} == {d.pk for d in expected}
            first = min(
                expected,
                key=lambda d: (d.wave.sequence, d.designated_on, d.system.slug),
                default=None,
            )
            assert overview[system.pk].wave_id == (first.wave_id if first else None)


class CountTwinTests(TestCase):
    """The designation chart's counts (`count_ics`, pure) equal the database's on the day."""

    @settings(deadline=None)
    @given(
        st.lists(status_histories(), min_size=1, max_size=4),
        st.lists(periods(), min_size=1, max_size=3),
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), periods()), max_size=5),
        days,
    )
    def test_count_ics_equals_database_counts(self, histories, spans, coverage_rows, day):
        region = RegionFactory()
        footprints = [
            FootprintFactory(region=region, established_on=start, ended_on=end)
            for start, end in spans
        ]
        systems, statuses = [], []
        for history in histories:
            system = SystemFactory()
            systems.append(system)
            for start, status in history:
                SystemStatusFactory(system=system, status=status, effective_from=start)
                statuses.append((system.pk, status, start))
        coverages = []
        for system, footprint, (start, end) in coverage_rows:
            if system >= len(systems) or footprint >= len(footprints):
                continue
            SystemFootprint.objects.create(
                system=systems[system],
                footprint=footprints[footprint],
                valid_from=start,
                valid_until=end,
                source="test",
            )
            coverages.append((systems[system].pk, footprints[footprint].pk, start, end))
        footprint_rows = [(f.pk, f.established_on, f.ended_on) for f in footprints]
        (point,) = count_ics(statuses, coverages, footprint_rows, [day])
        mine = System.objects.filter(pk__in=[s.pk for s in systems])
        in_region = Footprint.objects.filter(region=region)
        assert point.ics_systems == mine.ics_as_at(day).count()
        assert point.ics_footprints == in_region.with_ics_as_at(day).count()
        assert point.footprints == in_region.as_at(day).count()
