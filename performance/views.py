"""Performance pages: the league table of systems for a standard and period, a system's trend
against the nation on each standard, and a group of systems (a wave) against the rest.

Views load, call and render. Sums come from `performance.queries` (in the database); values,
gaps and comparisons from the rules in `performance.rules`. Pages follow their period, not the
as-at date: a provider counts towards the system it was a member of on the first of each month,
and the league table lists the systems that existed on the first day of the period.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from systems.caching import cached_fragment, data_version
from systems.charts import Chart, chart_payload
from systems.exports import EXPORT_FORMATS, export_response
from systems.models import System, SystemStatusKind, Wave
from systems.views import TablePage, render_table_html

from . import charts, rules
from .filters import LeagueFilter
from .formatting import format_percent
from .models import Standard
from .periods import Period, PeriodKind
from .queries import (
    NO_FIGURES,
    Figures,
    GroupComparison,
    LeagueRow,
    Trend,
    league_rows,
    league_systems,
    national_figures,
    system_trend,
    wave_comparison,
    years_observed,
)
from .tables import ComparisonTable, LeagueTable, SystemTrendTable

DEFAULT_GROUP = "wave-1"

# -- loading --------------------------------------------------------------------------------


def get_standard(code: str, standards: list[Standard] | None = None) -> Standard:
    """The standard with this code (from `standards`, if they are read already), or 404."""
    if standards is None:
        standards = Standard.objects.filter(code=code)
    match = next((standard for standard in standards if standard.code == code), None)
    if match is None:
        raise Http404(f"No standard {code}")
    return match


def get_period(slug: str) -> Period:
    """The period written `2017-18`, `2017-18-q3` or `2017-11`, or 404."""
    try:
        period = Period.from_slug(slug)
    except ValueError as error:
        raise Http404(str(error)) from error
    if period.slug != slug:
        raise Http404(f"No period {slug}")
    return period


def period_links(period: Period, years: list[Period], url_for) -> dict:
    """Links to the same page for each year with observations and each quarter of this
    period's year."""
    year = period.year()
    return {
        "years": [{"period": y, "url": url_for(y), "current": y == period} for y in years],
        "quarters": [
            {"period": q, "url": url_for(q), "current": q == period}
            for q in (Period.quarter(year.start_year, n) for n in range(1, 5))
        ],
        "year": year,
        "year_url": url_for(year),
        "year_current": year == period,
    }


# -- the index ------------------------------------------------------------------------------


def performance_index(request):
    """Each standard, the nation's figure for the latest year with observations, and links to
    every year's league table and group comparison."""
    standards = list(Standard.objects.all())
    years = years_observed()
    latest = years[-1] if years else None
    national = national_figures(latest) if latest else {}
    rows = [
        {
            "standard": standard,
            "national": national.get(standard.pk, NO_FIGURES),
            "links": [
                {"period": year, "url": reverse("performance:league", args=[standard.code, year])}
                for year in reversed(years)
            ],
        }
        for standard in standards
    ]
    return render(
        request,
        "performance/index.html",
        {
            "rows": rows,
            "latest": latest,
            "years": list(reversed(years)),
            "illustrative": any(row["national"].illustrative for row in rows),
        },
    )


# -- the league table -----------------------------------------------------------------------


@dataclass(frozen=True)
class LeagueSummary:
    systems: int  # with figures
    above: int
    target_met: int
    national: Figures
    illustrative: bool


def summarise(rows: list[LeagueRow], national: Figures) -> LeagueSummary:
    counted = [row for row in rows if row.has_figures]
    return LeagueSummary(
        systems=len(counted),
        above=sum(1 for row in counted if row.above_national),
        target_met=sum(1 for row in counted if row.target_met),
        national=national,
        illustrative=any(row.illustrative for row in counted) or national.illustrative,
    )


def league_headline(summary: LeagueSummary, standard: Standard, period: Period, narrowed) -> str:
    if not summary.national.denominator:
        return f"There are no observations of {standard.short_name} for {period.label}."
    national = (
        f"England's figure for {standard.short_name} in {period.label} was "
        f"{format_percent(summary.national.value)} against a target of "
        f"{standard.target_percent}."
    )
    if not summary.systems:
        which = " matching these filters" if narrowed else ""
        return f"{national} No system{which} has figures."
    noun = "system" if summary.systems == 1 else "systems"
    shown = " shown" if narrowed else ""
    return (
        f"{national} {summary.above} of the {summary.systems} {noun}{shown} with figures were "
        f"above the national average, and {summary.target_met} met the target."
    )


def league_chart(rows: list[LeagueRow], standard: Standard, period: Period) -> Chart | None:
    counted = sorted(
        (row for row in rows if row.has_figures), key=lambda row: (-row.value, row.system.name)
    )
    if not counted:
        return None
    national = counted[0].national_value
    above = [row.system.name for row in counted if row.above_national]
    systems_word = "system's" if len(counted) == 1 else "systems'"
    were = "was" if len(above) == 1 else "were"
    description = (
        f"Bar chart of {len(counted)} {systems_word} {standard.short_name} figures for "
        f"{period.label}, best first, against England's {format_percent(national)} (solid line) "
        f"and the {standard.target_percent} target (dashed line). {len(above)} {were} above "
        f"the national average. Best: {counted[0].system.name} "
        f"({format_percent(counted[0].value)}); lowest: {counted[-1].system.name} "
        f"({format_percent(counted[-1].value)})."
    )
    figure = charts.league_bars(
        [(row.system.name, row.value, bool(row.above_national)) for row in counted],
        national=national,
        target=standard.target,
    )
    return Chart(
        id="league-chart",
        title=f"Systems against England, {standard.short_name}, {period.label}",
        description=description,
        figure=chart_payload(figure),
        data_template="performance/_league_chart_table.html",
        data=counted,
    )


class LeagueTableView(TablePage):
    template_name = "performance/league.html"
    table_class = LeagueTable
    filterset_class = LeagueFilter

    def get(self, request, *args, **kwargs):
        self.all_standards = list(Standard.objects.all())
        self.standard = get_standard(kwargs["standard"], self.all_standards)
        self.period = get_period(kwargs["period"])
        self.title = f"{self.standard.name}, {self.period.label}"
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return league_systems(self.period)

    def get_cache_parts(self) -> tuple:
        return (
            type(self).__name__,
            self.standard.pk,
            self.period.slug,
            self.request.GET.urlencode(),
        )

    def rows(self, queryset) -> list[LeagueRow]:
        """The filtered systems with their figures, read once: the table (sorted and paged in
        Python, at most a few dozen rows), the headline and the chart share them."""
        if not hasattr(self, "_rows"):
            rows, self._national = league_rows(list(queryset), self.standard, self.period)
            if not self.filterset.shows_all:
                rows = [row for row in rows if row.has_figures]
            self._rows = rows
        return self._rows

    def get_table_data(self, queryset):
        return self.rows(queryset)

    def get_table_kwargs(self, data) -> dict:
        if any(row.illustrative for row in data):
            return {}
        return {"exclude": ("figures",)}

    def get_caption(self) -> str:
        return (
            f"Systems' performance on {self.standard.name}, {self.period.long_label}; "
            "providers counted towards the system they were members of each month"
        )

    def get_export_name(self) -> str:
        return f"ICS Tracker {self.standard.code} {self.period.slug}"

    def summary(self) -> dict:
        if not hasattr(self, "_summary"):

            def build():
                rows = self.rows(self.filterset.qs)
                return {
                    "summary": summarise(rows, self._national),
                    "chart": league_chart(rows, self.standard, self.period),
                }

            self.version = data_version()
            self._summary = cached_fragment(
                (*self.get_cache_parts(), "summary"), build, self.version
            )
        return self._summary

    def get_context_data(self, **kwargs):
        built = self.summary()
        summary = built["summary"]
        years = years_observed(version=self.version)
        n = summary.systems
        cards = [
            {
                "label": "England",
                "value": format_percent(summary.national.value),
                "hint": f"Target {self.standard.target_percent}",
            },
            {"label": "Above the national average", "value": f"{summary.above} of {n}"},
            {"label": "Met the target", "value": f"{summary.target_met} of {n}"},
        ]
        return super().get_context_data(
            standard=self.standard,
            period=self.period,
            standards=[
                {
                    "standard": s,
                    "url": reverse("performance:league", args=[s.code, self.period.slug]),
                    "current": s.pk == self.standard.pk,
                }
                for s in self.all_standards
            ],
            period_links=period_links(
                self.period,
                years,
                lambda p: reverse("performance:league", args=[self.standard.code, p.slug]),
            ),
            headline=league_headline(summary, self.standard, self.period, self.filterset.narrowed),
            cards=cards if summary.national.denominator else [],
            chart=built["chart"],
            illustrative=summary.illustrative,
            compare_url=reverse("performance:compare", args=[self.period.slug]),
            **kwargs,
        )


# -- one system through time ----------------------------------------------------------------


@dataclass(frozen=True)
class SystemTrendRow:
    standard: str
    standard_sequence: int
    period: Period
    numerator: Decimal
    denominator: Decimal
    value: Decimal | None
    national_value: Decimal | None
    gap_points: Decimal | None
    above_national: bool | None
    target_met: bool | None
    illustrative: bool

    @property
    def has_figures(self) -> bool:
        return bool(self.denominator)


def trend_rows(trends: list[Trend]) -> list[SystemTrendRow]:
    rows = []
    for trend in trends:
        standard = trend.standard
        for point in trend.points:
            mine = point.system
            rows.append(
                SystemTrendRow(
                    standard=standard.name,
                    standard_sequence=standard.sequence,
                    period=point.period,
                    numerator=mine.numerator,
                    denominator=mine.denominator,
                    value=mine.value,
                    national_value=point.national.value,
                    gap_points=point.gap_points,
                    above_national=rules.above_national(
                        mine.value,
                        point.national.value,
                        higher_is_better=standard.higher_is_better,
                    ),
                    target_met=rules.target_met(
                        mine.value, standard.target, higher_is_better=standard.higher_is_better
                    ),
                    illustrative=mine.illustrative,
                )
            )
    return rows


def trend_chart(system: System, trend: Trend) -> Chart:
    standard = trend.standard
    points = [(p.period.first_month, p.system.value, p.national.value) for p in trend.points]
    with_figures = [p for p in trend.points if p.system.denominator]
    above = sum(
        1
        for p in with_figures
        if rules.above_national(
            p.system.value, p.national.value, higher_is_better=standard.higher_is_better
        )
    )
    if with_figures:
        first, last = with_figures[0], with_figures[-1]
        description = (
            f"Line chart of {system.name}'s {standard.short_name} figure month by month from "
            f"{first.period.label} to {last.period.label}, against England's and the "
            f"{standard.target_percent} target (dashed). It was above the national average in "
            f"{above} of {len(with_figures)} months; {last.period.label}: "
            f"{format_percent(last.system.value)} against England's "
            f"{format_percent(last.national.value)}."
        )
    else:
        description = (
            f"Line chart of England's {standard.short_name} figure month by month; "
            f"{system.name} has no figures."
        )
    return Chart(
        id=f"trend-{standard.code}",
        title=f"{standard.name}: {system.name} against England",
        description=description,
        figure=chart_payload(
            charts.trend_against_national(points, system_name=system.name, target=standard.target)
        ),
        data_template="performance/_trend_chart_table.html",
        data=trend.points,
    )


class SystemPerformanceView(TemplateView):
    template_name = "performance/system.html"

    def get(self, request, *args, **kwargs):
        as_at = request.as_at
        try:
            system = System.objects.with_overview_as_at(as_at).get_by_code(kwargs["code"])
        except System.DoesNotExist as error:
            raise Http404(f"No system has the code {kwargs['code']}") from error
        standards = list(Standard.objects.all())

        def table(trends):
            rows = trend_rows([trend.rolled_up(PeriodKind.YEAR) for trend in trends])
            illustrative = any(row.illustrative for row in rows)
            table = SystemTrendTable(rows, exclude=() if illustrative else ("figures",))
            table.caption = (
                f"{system.name}'s performance by financial year against England's; providers "
                "counted towards the system they were members of each month"
            )
            RequestConfig(request, paginate=False).configure(table)
            return table

        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            return export_response(
                table(system_trend(system, standards)),
                export_format,
                f"{system.name} performance",
            )

        def build():
            trends = system_trend(system, standards)
            return {
                "charts": [trend_chart(system, trend) for trend in trends],
                "table_html": render_table_html(request, table(trends)),
                "illustrative": any(trend.illustrative for trend in trends),
                "has_figures": any(p.system.denominator for t in trends for p in t.points),
                "observed": any(t.points for t in trends),
            }

        built = cached_fragment(("performance-system", system.pk, request.GET.urlencode()), build)
        years = years_observed()
        return self.render_to_response(
            self.get_context_data(
                system=system,
                status_label=SystemStatusKind(system.status_as_at).label
                if system.status_as_at
                else "No status yet",
                league_links=[
                    {
                        "standard": standard,
                        "url": reverse("performance:league", args=[standard.code, years[-1]]),
                    }
                    for standard in standards
                ]
                if years
                else [],
                latest_year=years[-1] if years else None,
                **{**built, "table_html": mark_safe(built["table_html"])},
            )
        )


# -- a group of systems against the rest ----------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    standard: str
    side: str
    systems: int
    counted: int
    above: int
    national_value: Decimal | None
    names: str
    illustrative: bool


def comparison_rows(comparison: GroupComparison) -> list[ComparisonRow]:
    rows = []
    for item in comparison.standards:
        for side in (item.group, item.rest):
            rows.append(
                ComparisonRow(
                    standard=item.standard.name,
                    side=f"{side.label} systems" if side is item.group else "All other systems",
                    systems=side.systems,
                    counted=side.counted,
                    above=len(side.above),
                    national_value=item.national.value,
                    names="; ".join(side.above),
                    illustrative=item.illustrative,
                )
            )
    return rows


class GroupComparisonView(TemplateView):
    template_name = "performance/compare.html"

    def get(self, request, *args, **kwargs):
        period = get_period(kwargs["period"])
        waves = list(Wave.objects.all())
        chosen = request.GET.get("group")
        slug = chosen or DEFAULT_GROUP
        # Without a choice, Wave 1, or else the first wave there is.
        wave = next(
            (w for w in waves if w.slug == slug), None if chosen else next(iter(waves), None)
        )
        if wave is None:
            raise Http404(f"No group {slug}")
        standards = list(Standard.objects.all())
        comparison = cached_fragment(
            ("performance-compare", period.slug, wave.pk),
            lambda: wave_comparison(period, wave, standards),
        )
        rows = comparison_rows(comparison)
        table = ComparisonTable(rows, exclude=() if comparison.illustrative else ("figures",))
        table.caption = (
            f"{wave.name} systems against all others, {period.long_label}: systems above the "
            "national average on each standard"
        )
        RequestConfig(request, paginate=False).configure(table)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            return export_response(
                table, export_format, f"ICS Tracker {wave.slug} against others {period.slug}"
            )
        years = years_observed()
        return self.render_to_response(
            self.get_context_data(
                period=period,
                wave=wave,
                waves=waves,
                comparison=comparison,
                table_html=render_table_html(request, table),
                illustrative=comparison.illustrative,
                period_links=period_links(
                    period,
                    years,
                    lambda p: reverse("performance:compare", args=[p.slug]) + f"?group={wave.slug}",
                ),
            )
        )
