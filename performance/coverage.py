"""What the performance data cover (`core.coverage`): the months with observations, real and
illustrative apart."""

import datetime as dt

from django.db.models import F

from core.coverage import CoverageRow, CoverageSource, coverage_part
from core.dates import DatePrecision, format_partial_date, last_possible_day

from .models import Observation
from .periods import Period, PeriodKind

PERFORMANCE = "performance"


def observation_parts() -> list:
    return [
        coverage_part(
            Observation.objects.all(),
            PERFORMANCE,
            first=F("month"),
            flag=F("illustrative"),
        )
    ]


def _months(first: dt.date, last: dt.date) -> str:
    years = [Period.containing(day, PeriodKind.YEAR).label for day in (first, last)]
    span = f"year {years[0]}" if years[0] == years[1] else f"years {years[0]} to {years[1]}"
    return (
        f"from {format_partial_date(first, DatePrecision.MONTH)} to "
        f"{format_partial_date(last, DatePrecision.MONTH)} (financial {span})"
    )


def performance_statement(rows: list[CoverageRow]) -> str:
    if not rows:
        return "No performance figures are recorded yet."
    real = [row for row in rows if not row.illustrative]
    made_up = [row for row in rows if row.illustrative]
    parts = []
    for found, what in ((real, "real figures"), (made_up, "illustrative figures")):
        if found:
            first = min(row.first for row in found)
            last = max(row.last for row in found)
            parts.append(f"{what} {_months(first, last)}")
    sentence = "Providers' monthly performance against the national standards: " + "; ".join(parts)
    if made_up:
        sentence += ". Illustrative figures are made up for demonstration, not real ones"
    return sentence + "."


def last_month_observed(rows: list[CoverageRow]) -> dt.date | None:
    """The first day of the last month with observations, real or illustrative."""
    return max((row.last for row in rows), default=None)


def performance_notice(rows: list[CoverageRow], on, period) -> str:
    last = last_month_observed(rows)
    if period is None or last is None:
        return ""
    if period.starts_on <= last_possible_day(last, DatePrecision.MONTH):
        return ""
    return (
        "Performance figures are recorded up to "
        f"{format_partial_date(last, DatePrecision.MONTH)}; {period.label} comes after that, "
        "so there are no figures for it."
    )


def performance_coverage_sources() -> list[CoverageSource]:
    return [
        CoverageSource(
            kind=PERFORMANCE,
            heading="Performance",
            parts=observation_parts,
            statement=performance_statement,
            notice=performance_notice,
        )
    ]
