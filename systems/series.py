"""Counts of ICS systems and footprints through time, for the designation chart.

The chart needs a count on every date something changed. Asking the database once per date
would cost two queries per point, so the rows are read once and counted here with the pure
rules (`systems.rules.status_on`, `core.dates.covers`); tests/systems/test_rules_twins.py
holds these counts equal to `System.objects.ics_as_at` and `Footprint.objects.with_ics_as_at`
on random data.
"""

import datetime as dt
from dataclasses import dataclass

from core.dates import covers

from .models import ICS_STATUSES, Footprint, SystemFootprint, SystemStatus
from .rules import status_on


@dataclass(frozen=True)
class CountPoint:
    day: dt.date
    ics_systems: int
    ics_footprints: int
    footprints: int


def count_ics(statuses, coverages, footprints, days) -> list[CountPoint]:
    """Pure: ICS systems, footprints covered by one, and all footprints, on each day.

    statuses: (system_id, status, effective_from); coverages: (system_id, footprint_id,
    valid_from, valid_until); footprints: (footprint_id, established_on, ended_on).
    """
    by_system: dict[int, list[tuple[dt.date, str]]] = {}
    for system_id, status, effective_from in statuses:
        by_system.setdefault(system_id, []).append((effective_from, status))

    points = []
    for day in days:
        live = {fid for fid, start, end in footprints if covers(start, end, day)}
        ics = {sid for sid, history in by_system.items() if status_on(history, day) in ICS_STATUSES}
        covered = {
            fid
            for sid, fid, start, end in coverages
            if sid in ics and fid in live and covers(start, end, day)
        }
        points.append(CountPoint(day, len(ics), len(covered), len(live)))
    return points


def change_days(statuses, coverages, footprints, until: dt.date) -> list[dt.date]:
    """Every day on which a count can change, up to and including `until`."""
    days = {until}
    days.update(row[2] for row in statuses)
    for _sid, _fid, start, end in coverages:
        days.add(start)
        if end is not None:
            days.add(end + dt.timedelta(days=1))
    for _fid, start, end in footprints:
        days.add(start)
        if end is not None:
            days.add(end + dt.timedelta(days=1))
    return sorted(day for day in days if day <= until)


def ics_count_series(until: dt.date) -> list[CountPoint]:
    """The counts on every change day from the first data to `until` (three queries)."""
    statuses = list(SystemStatus.objects.values_list("system_id", "status", "effective_from"))
    coverages = list(
        SystemFootprint.objects.values_list(
            "system_id", "footprint_id", "valid_from", "valid_until"
        )
    )
    footprints = list(Footprint.objects.values_list("id", "established_on", "ended_on"))
    days = change_days(statuses, coverages, footprints, until)
    return count_ics(statuses, coverages, footprints, days)
