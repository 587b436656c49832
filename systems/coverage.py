"""What the systems app's data cover (`core.coverage`): the NHS structure (systems, their
names, codes, footprints, statuses, waves, designations and events), known up to the latest
dated row, and the memberships, summarised by the source they came from."""

import datetime as dt

from django.db.models import F

from core.coverage import CoverageRow, CoverageSource, coverage_part, dated_span
from core.dates import format_partial_date

from .models import (
    Code,
    Designation,
    DesignationEvent,
    Footprint,
    Membership,
    SubIcbLocation,
    SystemFootprint,
    SystemName,
    SystemStatus,
    Wave,
)

STRUCTURE = "structure"
MEMBERSHIPS = "memberships"
# Sources named one by one; the rest are counted together.
SOURCES_LISTED = 5


def structure_parts() -> list:
    """Every dated table of the structure, grouped by the precision its dates are known to."""
    dated = [
        (Footprint, "established_on", "established_precision"),
        (SystemStatus, "effective_from", "precision"),
        (SystemName, "valid_from", "precision"),
        (Code, "valid_from", "precision"),
        (SystemFootprint, "valid_from", "precision"),
        (SubIcbLocation, "valid_from", "precision"),
        (Wave, "effective_on", "effective_precision"),
        (Designation, "designated_on", "precision"),
        (DesignationEvent, "occurred_on", "precision"),
    ]
    return [
        coverage_part(model.objects.all(), STRUCTURE, first=F(field), label=F(precision))
        for model, field, precision in dated
    ]


def membership_parts() -> list:
    return [
        coverage_part(
            Membership.objects.all(), MEMBERSHIPS, first=F("valid_from"), label=F("source")
        )
    ]


def structure_statement(rows: list[CoverageRow]) -> str:
    first, last, _ = dated_span(rows)
    if not last:
        return "No systems, statuses or events are recorded yet."
    return (
        "Systems, their names, codes, footprints, sub-ICB locations, statuses, designation "
        "waves and the events "
        f"that changed them are recorded from {first} to {last}, the last recorded change."
    )


def structure_notice(rows: list[CoverageRow], on: dt.date | None, period=None) -> str:
    _, last, last_day = dated_span(rows)
    if on is None or last_day is None or on <= last_day:
        return ""
    return (
        f"The tracker's record of the NHS structure runs to {last}. This page is as at "
        f"{format_partial_date(on)} and shows the structure as it stood on {last}: any later "
        "change is not recorded."
    )


def membership_statement(rows: list[CoverageRow]) -> str | tuple[str, list[str]]:
    if not rows:
        return "No member organisations are recorded yet."
    rows = sorted(rows, key=lambda row: (-row.rows, row.first or dt.date.min, row.label))
    listed = [
        f"{row.rows:,} from {row.label or 'an unnamed source'}, {_starting(row)}"
        for row in rows[:SOURCES_LISTED]
    ]
    others = rows[SOURCES_LISTED:]
    if others:
        listed.append(f"{sum(row.rows for row in others):,} from {len(others)} other sources")
    total = sum(row.rows for row in rows)
    return f"{total:,} memberships say which organisation belonged to which system, when:", listed


def _starting(row: CoverageRow) -> str:
    if row.last is None or row.last == row.first:
        return f"starting {format_partial_date(row.first)}"
    return f"starting between {format_partial_date(row.first)} and {format_partial_date(row.last)}"


def membership_notice(rows, on, period) -> str:
    """None: a date past the last membership is the structure's notice."""
    return ""


def systems_coverage_sources() -> list[CoverageSource]:
    return [
        CoverageSource(
            kind=STRUCTURE,
            heading="NHS structure",
            parts=structure_parts,
            statement=structure_statement,
            notice=structure_notice,
        ),
        CoverageSource(
            kind=MEMBERSHIPS,
            heading="Members",
            parts=membership_parts,
            statement=membership_statement,
            notice=membership_notice,
        ),
    ]
