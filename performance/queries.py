"""Reads of the performance data: the database twin of `performance.rules`.

Sums are taken in the database, each in one grouped query however many systems or months:
a system's numerator and denominator for a period are the sums, over the period's months, of
its member providers' observations, each weighted by the provider's share of itself in the
system on the first of that month. The nation counts each provider's observations once, whole.
Values (numerator over denominator) and the comparisons are then the pure rules, so the twin
and the pure function cannot disagree on anything but the sums, which a property test checks.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)

from core.caching import cached_fragment
from core.models import valid_on
from systems.models import System, Wave

from . import rules
from .models import Observation, Standard
from .periods import Period, PeriodKind
from .rules import NO_FIGURES, Figures

WEIGHTED = DecimalField(max_digits=24, decimal_places=6)


def _with_membership(observations: QuerySet) -> QuerySet:
    """Observations joined to the memberships their provider held on the first of the month
    observed: one row per (observation, system the provider counted towards then)."""
    held = valid_on(
        F("month"), "provider__memberships__valid_from", "provider__memberships__valid_until"
    )
    return observations.annotate(
        member=FilteredRelation("provider__memberships", condition=held)
    ).filter(member__isnull=False)


def _sums(*, weighted: bool) -> dict:
    share = F("member__share") if weighted else None

    def weigh(name):
        if share is None:
            return Sum(name)
        return Sum(ExpressionWrapper(F(name) * share, output_field=WEIGHTED))

    return {
        "numerator_sum": weigh("numerator"),
        "denominator_sum": weigh("denominator"),
        "provider_count": Count("provider", distinct=True),
        "illustrative_count": Count("pk", filter=Q(illustrative=True)),
        "observation_count": Count("pk"),
    }


def _figures(row: dict) -> Figures:
    return Figures(
        numerator=Decimal(row["numerator_sum"] or 0),
        denominator=Decimal(row["denominator_sum"] or 0),
        providers=row["provider_count"],
        illustrative=bool(row["illustrative_count"]),
        observations=row["observation_count"],
        illustrative_observations=row["illustrative_count"],
    )


# -- one period ----------------------------------------------------------------------------


def standard_figures_by_system(standard: Standard, period: Period) -> dict[int, Figures]:
    """Every system's figures for `standard` over `period`, by system id, in one query.
    Systems none of whose members have observations then are absent."""
    rows = (
        _with_membership(Observation.objects.filter(standard=standard).in_period(period))
        .order_by()
        .values("member__system")
        .annotate(**_sums(weighted=True))
    )
    return {row["member__system"]: _figures(row) for row in rows}


def figures_by_standard_and_system(period: Period) -> dict[tuple[int, int], Figures]:
    """Every system's figures for every standard over `period`, by (standard id, system id),
    in one query."""
    rows = (
        _with_membership(Observation.objects.in_period(period))
        .order_by()
        .values("standard", "member__system")
        .annotate(**_sums(weighted=True))
    )
    return {(row["standard"], row["member__system"]): _figures(row) for row in rows}


def national_figures_for(standard: Standard, period: Period) -> Figures:
    """The nation's figures for `standard` over `period`: every provider once, whole."""
    row = (
        Observation.objects.filter(standard=standard)
        .in_period(period)
        .aggregate(**_sums(weighted=False))
    )
    return _figures(row)


def national_figures_by_standard(period: Period) -> dict[int, Figures]:
    """The nation's figures for each standard over `period`, by standard id, in one query."""
    rows = (
        Observation.objects.in_period(period)
        .order_by()
        .values("standard")
        .annotate(**_sums(weighted=False))
    )
    return {row["standard"]: _figures(row) for row in rows}


def monthly_figures_by_system(until: dt.date) -> dict[tuple[int, dt.date, int], Figures]:
    """Every system's figures for every standard in every month whose first day is on or
    before `until`, by (standard id, month, system id), in one query: the sums each month's
    league table takes (`standard_figures_by_system` over a one-month period). Systems none
    of whose members have observations in a month are absent for it."""
    rows = (
        _with_membership(Observation.objects.filter(month__lte=until))
        .order_by()
        .values("standard", "month", "member__system")
        .annotate(**_sums(weighted=True))
    )
    return {(row["standard"], row["month"], row["member__system"]): _figures(row) for row in rows}


def years_observed(*, version: int | None = None) -> list[Period]:
    """Every financial year from the first month observed to the last, oldest first. One
    small query, cached until the data change (a scan for distinct months would read every
    observation); `version` is the data version when the caller has read it already."""

    def build():
        span = Observation.objects.aggregate(first=Min("month"), last=Max("month"))
        if span["first"] is None:
            return []
        first = Period.containing(span["first"], PeriodKind.YEAR).start_year
        last = Period.containing(span["last"], PeriodKind.YEAR).start_year
        return [Period.financial_year(year) for year in range(first, last + 1)]

    return cached_fragment(("performance-years",), build, version)


# -- through time --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    system: Figures
    national: Figures

    @property
    def gap_points(self) -> Decimal | None:
        return rules.gap_points(self.system.value, self.national.value)


@dataclass
class Trend:
    standard: Standard
    points: list[TrendPoint] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return any(p.system.illustrative or p.national.illustrative for p in self.points)

    @property
    def real(self) -> bool:
        return any(p.system.real or p.national.real for p in self.points)

    def rolled_up(self, kind: PeriodKind) -> "Trend":
        """The same trend over quarters or financial years: sums of the months' sums."""
        system = _roll_up({p.period.first_month: p.system for p in self.points}, kind)
        national = _roll_up({p.period.first_month: p.national for p in self.points}, kind)
        return Trend(
            self.standard,
            [
                TrendPoint(period, system.get(period, NO_FIGURES), figures)
                for period, figures in sorted(national.items())
            ],
        )


def _monthly(rows) -> dict[int, dict[dt.date, Figures]]:
    months: dict[int, dict[dt.date, Figures]] = defaultdict(dict)
    for row in rows:
        months[row["standard"]][row["month"]] = _figures(row)
    return months


def _roll_up(months: dict[dt.date, Figures], kind: PeriodKind) -> dict[Period, Figures]:
    """Monthly sums added up into quarters or years: sums of sums, never averages. The
    provider count becomes the most providers in any month of the period."""
    periods: dict[Period, Figures] = {}
    for month, figures in sorted(months.items()):
        period = Period.containing(month, kind)
        before = periods.get(period, NO_FIGURES)
        periods[period] = Figures(
            before.numerator + figures.numerator,
            before.denominator + figures.denominator,
            max(before.providers, figures.providers),
            before.illustrative or figures.illustrative,
            before.observations + figures.observations,
            before.illustrative_observations + figures.illustrative_observations,
        )
    return periods


def national_months(standard_ids: list[int]) -> dict[int, dict[dt.date, Figures]]:
    """England's figures per standard and month: one query, cached until the data change,
    since every system's trend page draws the same national lines."""

    def build():
        return _monthly(
            Observation.objects.filter(standard__in=standard_ids)
            .order_by()
            .values("standard", "month")
            .annotate(**_sums(weighted=False))
        )

    return cached_fragment(("performance-national-months", *sorted(standard_ids)), build)


def system_trend(
    system: System, standards: list[Standard], *, by: PeriodKind = PeriodKind.MONTH
) -> list[Trend]:
    """The system's and the nation's figures for each standard, month by month (or rolled up
    into quarters or financial years), over every month with national observations. Two
    queries, whatever the number of standards or months (the national one is cached)."""
    ids = [standard.pk for standard in standards]
    mine = _monthly(
        _with_membership(Observation.objects.filter(standard__in=ids))
        .filter(member__system=system)
        .order_by()
        .values("standard", "month")
        .annotate(**_sums(weighted=True))
    )
    nation = national_months(ids)
    trends = []
    for standard in standards:
        national = _roll_up(nation.get(standard.pk, {}), by)
        own = _roll_up(mine.get(standard.pk, {}), by)
        trends.append(
            Trend(
                standard,
                [
                    TrendPoint(period, own.get(period, NO_FIGURES), figures)
                    for period, figures in sorted(national.items())
                ],
            )
        )
    return trends


# -- the league table ----------------------------------------------------------------------


@dataclass(frozen=True)
class LeagueRow:
    """One system's line in the league table for a standard and period."""

    system: System  # annotated by System.objects.with_overview_as_at(period start)
    figures: Figures
    national: Figures
    standard: Standard
    rank: int | None = None  # 1 the best among the rows ranked together (`rules.ranks`)

    @property
    def name(self) -> str:
        return self.system.name

    @property
    def has_figures(self) -> bool:
        return bool(self.figures.denominator)

    @property
    def value(self) -> Decimal | None:
        return self.figures.value

    @property
    def standing(self) -> tuple[int, Decimal]:
        """The sort key `rules.best_first` orders by; the league table sorts its value column
        by it, so the table's default order is best first in the standard's direction."""
        return rules.standing(self.value, higher_is_better=self.standard.higher_is_better)

    @property
    def national_value(self) -> Decimal | None:
        return self.national.value

    @property
    def gap_points(self) -> Decimal | None:
        return rules.gap_points(self.value, self.national_value)

    @property
    def above_national(self) -> bool | None:
        return rules.above_national(
            self.value, self.national_value, higher_is_better=self.standard.higher_is_better
        )

    @property
    def target_met(self) -> bool | None:
        return rules.target_met(
            self.value, self.standard.target, higher_is_better=self.standard.higher_is_better
        )

    @property
    def illustrative(self) -> bool:
        return self.figures.illustrative

    @property
    def real(self) -> bool:
        return self.figures.real


def league_systems(period: Period) -> QuerySet:
    """The systems a league table for `period` lists: those that existed on its first day,
    with what the systems table shows about them then."""
    return System.objects.current_as_at(period.starts_on).with_overview_as_at(period.starts_on)


def league_rows(systems, standard: Standard, period: Period) -> tuple[list[LeagueRow], Figures]:
    """A league row for each of `systems` (already read or a queryset), and the nation's
    figures: two queries more."""
    figures = standard_figures_by_system(standard, period)
    national = national_figures_for(standard, period)
    rows = [
        LeagueRow(system, figures.get(system.pk, NO_FIGURES), national, standard)
        for system in systems
    ]
    return rows, national


# -- comparing a group of systems with the rest --------------------------------------------


@dataclass(frozen=True)
class SideCount:
    """One side of a comparison (the group, or the rest) on one standard."""

    label: str
    systems: int  # in the side
    counted: int  # with figures
    above: list[str]  # names of those above the national average

    @property
    def without_figures(self) -> int:
        return self.systems - self.counted


def side_count(rows: list[LeagueRow], label: str) -> SideCount:
    """How many of `rows` have figures and which were above the national average: what the
    comparison page's table counts, and what a published finding is set beside."""
    counted = [row for row in rows if row.has_figures]
    above = sorted(row.system.name for row in counted if row.above_national)
    return SideCount(label, len(rows), len(counted), above)


@dataclass(frozen=True)
class StandardComparison:
    standard: Standard
    national: Figures
    group: SideCount
    rest: SideCount
    sentence: str
    rows: list[LeagueRow]  # the group's and the rest's systems, with their figures

    @property
    def illustrative(self) -> bool:
        return self.national.illustrative

    @property
    def real(self) -> bool:
        return self.national.real

    @property
    def group_rows(self) -> list[LeagueRow]:
        """The group's systems, with their figures (`rows` lists the group's first)."""
        return self.rows[: self.group.systems]


@dataclass(frozen=True)
class GroupComparison:
    period: Period
    group_label: str
    as_at: dt.date  # the day group membership and the systems are taken on
    standards: list[StandardComparison]

    @property
    def illustrative(self) -> bool:
        return any(s.illustrative for s in self.standards)


def comparison_systems(period: Period) -> QuerySet:
    """The systems a comparison for `period` sets side by side: those that existed on its
    last day, with the first wave each (or a system it absorbed) was designated in by then."""
    return System.objects.current_as_at(period.ends_on).with_overview_as_at(period.ends_on)


def group_comparison(
    period: Period,
    *,
    in_group,
    group_label: str,
    standards: list[Standard],
    systems=None,
) -> GroupComparison:
    """For each standard, how many of the group's systems were above the national average over
    `period`, and which; the same for the rest. `in_group(system) -> bool` picks the group from
    `systems` (by default `comparison_systems(period)`). Three queries with the systems."""
    systems = list(comparison_systems(period) if systems is None else systems)
    figures = figures_by_standard_and_system(period)
    national = national_figures_by_standard(period)
    group = [s for s in systems if in_group(s)]
    rest = [s for s in systems if not in_group(s)]
    comparisons = []
    for standard in standards:
        nation = national.get(standard.pk, NO_FIGURES)

        def side(members, label, standard=standard, nation=nation):
            rows = [
                LeagueRow(s, figures.get((standard.pk, s.pk), NO_FIGURES), nation, standard)
                for s in members
            ]
            return side_count(rows, label), rows

        group_side, group_rows = side(group, group_label)
        rest_side, rest_rows = side(rest, "other")
        sentence = rules.above_sentence(
            period_label=period.label,
            group_label=group_label,
            standard_label=standard.short_name,
            above=group_side.above,
            counted=group_side.counted,
            without_figures=group_side.without_figures,
        )
        comparisons.append(
            StandardComparison(
                standard, nation, group_side, rest_side, sentence, group_rows + rest_rows
            )
        )
    return GroupComparison(period, group_label, period.ends_on, comparisons)


def wave_comparison(period: Period, wave: Wave, standards: list[Standard]) -> GroupComparison:
    """`group_comparison` for the systems first designated in `wave` by the end of `period`,
    directly or through a system they absorbed (Nottinghamshire has Greater Nottingham's
    Wave 1), against all other systems."""
    return group_comparison(
        period,
        in_group=lambda system: system.wave_id == wave.pk,
        group_label=wave.name,
        standards=standards,
    )
