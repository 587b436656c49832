"""Performance pages: the league table of systems for a standard and period, a system's trend
against the nation on each standard, and a group of systems (a wave) against the rest.

Views load, call and render. Sums come from `performance.queries` (in the database); values,
gaps, comparisons and orders from the rules in `performance.rules`; rows, headlines, charts
and tables from `performance.presenters`, which the board paper uses too. Pages follow their
period, not the as-at date: a provider counts towards the system it was a member of on the
first of each month, and the league table lists the systems that existed on the first day of
the period.
"""

from functools import cached_property

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.caching import cached_fragment, data_version, query_part
from core.exports import EXPORT_FORMATS, export_response
from core.pages import TablePage, render_table_html
from systems.lineage import ended_notice
from systems.lookups import system_or_404
from systems.models import System, Wave
from systems.populations import Populations, read_populations

from . import presenters
from .filters import LeagueFilter
from .models import PublishedFinding, Standard
from .periods import Period, PeriodKind
from .queries import (
    LeagueRow,
    league_rows,
    league_systems,
    national_figures_by_standard,
    system_trend,
    wave_comparison,
    years_observed,
)
from .rules import PER_HEAD_COUNTS, Figures
from .tables import LeagueTable, per_head_columns

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


def export_requested(request) -> str | None:
    """The export format `?_export=` asks for, if it is one there is."""
    export_format = request.GET.get("_export")
    return export_format if export_format in EXPORT_FORMATS else None


# -- the index ------------------------------------------------------------------------------


def performance_index(request):
    """Each standard, the nation's figure for the latest year with observations, and links to
    every year's league table and group comparison."""
    standards = list(Standard.objects.all())
    years = years_observed()
    national = national_figures_by_standard(years[-1]) if years else {}
    systems = list(league_systems(years[-1])) if years else []
    picker = presenters.system_picker(systems, request.GET.get("system") or None, None)
    return render(
        request,
        "performance/index.html",
        presenters.performance_index_context(standards, years, national, picker),
    )


# -- the league table -----------------------------------------------------------------------


class LeagueTableView(TablePage):
    template_name = "performance/league.html"
    table_class = LeagueTable
    filterset_class = LeagueFilter
    filter_facts = ("narrowed", "shows_per_head")
    model = System

    # What the URL names is read on first use, so the read API (api.views) builds the same
    # table from a page set up with the same arguments, without calling get().
    @cached_property
    def all_standards(self) -> list[Standard]:
        return cached_fragment(("standards",), lambda: list(Standard.objects.all()))

    @cached_property
    def standard(self) -> Standard:
        return get_standard(self.kwargs["standard"], self.all_standards)

    @cached_property
    def period(self) -> Period:
        return get_period(self.kwargs["period"])

    @property
    def title(self) -> str:
        return f"{self.standard.name}, {self.period.label}"

    def get_queryset(self):
        return league_systems(self.period)

    def get_cache_parts(self) -> tuple:
        return (
            type(self).__name__,
            self.standard.pk,
            self.period.slug,
            query_part(self.request),
        )

    @cached_property
    def league(self) -> tuple[list[LeagueRow], Figures]:
        """The filtered systems with their figures, and the nation's, read once: the table
        (sorted and paged in Python, at most a few dozen rows), the headline and the chart
        share them."""
        rows, national = league_rows(list(self.filterset.qs), self.standard, self.period)
        if not self.filterset.shows_all:
            rows = [row for row in rows if row.has_figures]
        return presenters.ranked(rows), national

    @property
    def chosen_code(self) -> str | None:
        """The code of the system `?system=` picks, highlighted in the table and chart."""
        return self.request.GET.get("system") or None

    def get_filterset_kwargs(self) -> dict:
        return {"per_head_count": PER_HEAD_COUNTS.get(self.standard.code)}

    @cached_property
    def populations(self) -> Populations | None:
        """Every system's population, when the reader asked for the per-head column."""
        return read_populations() if self.filterset.shows_per_head else None

    def get_table_data(self, queryset):
        # `queryset` is the filter set's, which `league` has read.
        rows = self.league[0]
        if self.populations is None:
            return rows
        return presenters.per_head_rows(rows, self.populations)

    def get_table_kwargs(self, data) -> dict:
        kwargs = {"highlight": self.chosen_code}
        if not any(row.illustrative for row in data):
            kwargs["exclude"] = ("figures",)
        if self.populations is not None:
            count = PER_HEAD_COUNTS[self.standard.code].column
            kwargs["extra_columns"] = per_head_columns(
                count, self.period.label, self.populations.label
            )
        return kwargs

    def get_caption(self) -> str:
        return (
            f"Systems' performance on {self.standard.name}, {self.period.long_label}; "
            "providers counted towards the system they were members of each month"
        )

    def get_export_name(self) -> str:
        return f"ICS Tracker {self.standard.code} {self.period.slug}"

    @cached_property
    def version(self) -> int:
        return data_version()

    @cached_property
    def summary(self) -> dict:
        """The headline counts and the chart, cached until the data change."""

        def build():
            rows, national = self.league
            chosen = presenters.chosen_row(rows, self.chosen_code)
            return {
                "summary": presenters.summarise_league(rows, national),
                "chart": presenters.league_chart(rows, self.standard, self.period, chosen),
                "map": presenters.league_map(rows, self.standard, self.period),
                # The picker reads the period's systems: cached with the chart, not read on
                # every warm request.
                "picker": presenters.system_picker(
                    list(league_systems(self.period)), self.chosen_code, chosen
                ),
            }

        return cached_fragment((*self.get_cache_parts(), "summary"), build, self.version)

    def get_context_data(self, **kwargs):
        built = self.summary
        picker = built["picker"]
        chosen_code = picker["system"].url_code if picker["system"] else None
        years = years_observed(version=self.version)
        context = presenters.league_context(
            built["summary"],
            self.standard,
            self.period,
            years=years,
            narrowed=self.filter_state["narrowed"],
            chosen_code=chosen_code,
        )
        context["navigation_html"] = self.navigation_html(picker, chosen_code, years)
        # The page's own state, cached: a warm page does not build its filter set.
        if self.filter_state["shows_per_head"]:
            count = PER_HEAD_COUNTS[self.standard.code]
            context["per_head_note"] = presenters.per_head_note(
                read_populations(), count, self.period
            )
        context["picker"] = picker
        return super().get_context_data(**context, chart=built["chart"], map=built["map"], **kwargs)

    def navigation_html(self, picker: dict, chosen_code: str | None, years: list[Period]):
        """The links to other standards and periods and the My system picker, rendered once
        per page, query and date."""
        return mark_safe(
            cached_fragment(
                (*self.get_cache_parts(), "navigation", self.request.as_at_chosen),
                lambda: render_to_string(
                    "performance/_league_navigation.html",
                    {
                        **presenters.league_navigation(
                            self.standard,
                            self.period,
                            standards=self.all_standards,
                            years=years,
                            chosen_code=chosen_code,
                        ),
                        "period": self.period,
                        "picker": picker,
                    },
                    request=self.request,
                ),
                self.version,
            )
        )


# -- one system through time ----------------------------------------------------------------


class SystemPerformanceView(TemplateView):
    template_name = "performance/system.html"
    coverage_follows_as_at = True  # the system is found as at the date

    def get(self, request, *args, **kwargs):
        export_format = export_requested(request)
        system = system_or_404(kwargs["code"], request.as_at)
        standards = list(Standard.objects.all())
        if export_format:
            table = self.trend_table(system, system_trend(system, standards))
            return export_response(table, export_format, f"{system.shown_name} performance")
        built = cached_fragment(
            ("performance-system", system.pk, request.as_at, query_part(request)),
            lambda: self.build(system, standards),
        )
        context = presenters.system_performance_context(system, standards, years_observed())
        context["ended"] = ended_notice(system, request.as_at)
        # The table is rendered by our own template.
        built = {**built, "table_html": mark_safe(built["table_html"])}
        return self.render_to_response(self.get_context_data(**context, **built))

    def trend_table(self, system, trends):
        table = presenters.yearly_trend_table(system, trends)
        RequestConfig(self.request, paginate=False).configure(table)
        return table

    def build(self, system, standards) -> dict:
        trends = system_trend(system, standards)
        return {
            **presenters.trend_summary(system, trends),
            "table_html": render_table_html(self.request, self.trend_table(system, trends)),
        }


# -- a group of systems against the rest ----------------------------------------------------


class GroupComparisonView(TemplateView):
    template_name = "performance/compare.html"

    def get(self, request, *args, **kwargs):
        period = get_period(kwargs["period"])
        waves = list(Wave.objects.all())
        chosen = request.GET.get("group")
        wave = presenters.chosen_wave(waves, chosen)
        if wave is None:
            raise Http404(f"No group {chosen or presenters.DEFAULT_GROUP}")
        standards = list(Standard.objects.all())
        comparison = cached_fragment(
            ("performance-compare", period.slug, wave.pk),
            lambda: wave_comparison(period, wave, standards),
        )
        table = presenters.comparison_table(comparison, wave)
        RequestConfig(request, paginate=False).configure(table)
        if export_format := export_requested(request):
            name = f"ICS Tracker {wave.slug} against others {period.slug}"
            return export_response(table, export_format, name)
        context = presenters.comparison_context(
            comparison, wave, waves, years_observed(), request.GET.get("system") or None
        )
        findings = self.findings(period, wave)
        context["sections"] = presenters.comparison_sections(
            comparison, findings, presenters.group_noun(wave)
        )
        table_html = render_table_html(request, table)
        return self.render_to_response(self.get_context_data(**context, table_html=table_html))

    @staticmethod
    def findings(period: Period, wave: Wave) -> list[PublishedFinding]:
        """What a paper published about the wave in the period, when it is a financial year."""
        if period.kind != PeriodKind.YEAR:
            return []
        return list(
            PublishedFinding.objects.about(start_year=period.start_year, wave=wave).select_related(
                "standard"
            )
        )
