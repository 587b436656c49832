"""Counts of ICS systems and footprints through time, for the designation chart.

The chart needs a count on every date something changed. Asking the database once per date
would cost two queries per point, so the rows are read once and counted here with the pure
rules (`systems.rules.status_on`, `core.dates.covers`); tests/systems/test_rules_twins.py
holds these counts equal to `System.objects.ics_as_at` and `Footprint.objects.with_ics_as_at`
on random data.
"""

import datetime as dt
from dataclasses import dataclass, replace

from core.dates import DatePrecision, coarsest_precision, covers, format_partial_date

from .models import ICS_STATUSES, Footprint, SystemFootprint, SystemStatus
from .rules import status_on


@dataclass(frozen=True)
class CountPoint:
    day: dt.date
    ics_systems: int
    ics_footprints: int
    footprints: int
    # How precisely the change on `day` is known: "June 2017" is stored as 1 June 2017.
    precision: str = DatePrecision.DAY

    @property
    def day_display(self) -> str:
        return format_partial_date(self.day, self.precision)


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


def change_precisions(starts) -> dict[dt.date, str]:
    """How precisely each change day is known, from (day, precision) of the facts starting on
    it: the coarsest wins, so a day on which a fact known only to "June 2017" begins is said
    as "June 2017". Days absent here (the day after a recorded last day) are exact."""
    by_day: dict[dt.date, list[str]] = {}
    for day, precision in starts:
        by_day.setdefault(day, []).append(precision)
    return {day: coarsest_precision(precisions) for day, precisions in by_day.items()}


def ics_count_series(until: dt.date) -> list[CountPoint]:
    """The counts on every change day from the first data to `until`, each day said no more
    precisely than it is known (three queries)."""
    statuses = list(
        SystemStatus.objects.values_list("system_id", "status", "effective_from", "precision")
    )
    coverages = list(
        SystemFootprint.objects.values_list(
            "system_id", "footprint_id", "valid_from", "valid_until", "precision"
        )
    )
    footprints = list(
        Footprint.objects.values_list("id", "established_on", "ended_on", "established_precision")
    )
    precisions = change_precisions(
        [(row[2], row[3]) for row in statuses]
        + [(row[2], row[4]) for row in coverages]
        + [(row[1], row[3]) for row in footprints]
    )
    statuses = [row[:3] for row in statuses]
    coverages = [row[:4] for row in coverages]
    footprints = [row[:3] for row in footprints]
    days = change_days(statuses, coverages, footprints, until)
    return [
        replace(point, precision=precisions.get(point.day, DatePrecision.DAY))
        for point in count_ics(statuses, coverages, footprints, days)
    ]
