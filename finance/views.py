"""Finance pages: every system's control total in a year, one system's year, plan against
outturn over the years, and one organisation's history.

Views load, call and render. The control-total rule is `finance.totals.system_figures`; the
all-systems page uses its database twin (`finance.queries.with_control_totals`), so both
pages show the same number for a system. Pages follow the financial year, not the as-at date:
members and statuses are taken on 1 April of the year.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from systems.caching import cached_fragment
from systems.charts import Chart, chart_payload
from systems.exports import EXPORT_FORMATS, export_response
from systems.models import ENDED_STATUSES, Membership, Organisation, System, SystemStatusKind
from systems.views import TablePage, render_table_html

from . import charts
from .filters import PlanOutturnFilter, SystemYearFilter
from .models import FinancialYear, OrganisationYear
from .money import format_millions, format_pounds
from .queries import as_member_figures, has_figures, member_figures, with_control_totals
from .tables import (
    MemberFiguresTable,
    OrganisationMembershipTable,
    OrganisationYearTable,
    PlanOutturnTable,
    SystemControlTotalTable,
)
from .totals import MemberFigures, SystemFigures, contribution, system_figures

# -- loading --------------------------------------------------------------------------------


def get_year(slug: str) -> FinancialYear:
    """The financial year written `2018-19`, or 404."""
    try:
        year = FinancialYear.objects.get_by_slug(slug)
    except (ValueError, FinancialYear.DoesNotExist) as error:
        raise Http404(f"No financial year {slug}") from error
    if year.slug != slug:
        raise Http404(f"No financial year {slug}")
    return year


def years_with_figures():
    """Every financial year, each annotated `has_figures`."""
    return FinancialYear.objects.annotate(
        has_figures=Exists(OrganisationYear.objects.filter(year=OuterRef("pk")))
    )


def year_systems(year: FinancialYear):
    """Every system that existed on 1 April of `year`, with what the systems table shows about
    it then and `has_figures` for the year; `with_control_totals` adds the figures."""
    return (
        System.objects.current_as_at(year.starts_on)
        .with_overview_as_at(year.starts_on)
        .annotate(has_figures=has_figures(year))
    )


def with_variance(systems) -> list[System]:
    """Set `variance` on each annotated system, by the rule in finance/totals.py (in Python:
    as an annotation it would repeat two subqueries per row)."""
    for system in systems:
        system.variance = SystemFigures(
            system.control_total,
            system.plan,
            system.outturn,
            system.funding_linked,
            system.funding_earned,
            system.member_count,
        ).variance
    return systems


def year_links(years, url_for) -> list[dict]:
    return [{"year": year, "url": url_for(year), "has_figures": year.has_figures} for year in years]


# -- the index ------------------------------------------------------------------------------


def finance_index(request):
    """The latest year with figures (or the latest year, if none has any)."""
    years = years_with_figures().order_by("-start_year")
    year = next((y for y in years if y.has_figures), None) or years.first()
    if year is None:
        return render(request, "finance/no_years.html", status=404)
    return redirect("finance:year", year.slug)


# -- every system in one year ---------------------------------------------------------------


@dataclass(frozen=True)
class YearSummary:
    systems: int  # with figures
    met: int
    beat: int
    illustrative: int
    control_total: Decimal
    outturn: Decimal


def summarise(systems) -> YearSummary:
    """The headline counts and sums over the systems with figures among `systems`."""
    counted = [system for system in systems if system.member_count]
    return YearSummary(
        systems=len(counted),
        met=sum(1 for system in counted if system.met_control_total),
        beat=sum(1 for system in counted if system.beat_plan),
        illustrative=sum(1 for system in counted if system.illustrative),
        control_total=sum((system.control_total for system in counted), Decimal(0)),
        outturn=sum((system.outturn for system in counted), Decimal(0)),
    )


def year_headline(summary: YearSummary, year: FinancialYear, filtered: bool) -> str:
    if not summary.systems:
        which = "matching these filters " if filtered else ""
        return f"No system {which}has figures for {year}."
    noun = "system" if summary.systems == 1 else "systems"
    shown = " shown" if filtered else ""
    return (
        f"{summary.met} of {summary.systems} {noun}{shown} met their control total in {year}, "
        f"and {summary.beat} did better than plan."
    )


class ControlTotalYearView(TablePage):
    template_name = "finance/year.html"
    table_class = SystemControlTotalTable
    filterset_class = SystemYearFilter

    def get(self, request, *args, **kwargs):
        self.year = get_year(kwargs["year"])
        self.title = f"Control totals {self.year}"
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return year_systems(self.year)

    def get_cache_parts(self) -> tuple:
        return (type(self).__name__, self.year.pk, self.request.GET.urlencode())

    def systems(self, queryset) -> list[System]:
        """The filtered systems, read once: the table (sorted and paged in Python, at most a
        few dozen rows) and the headline share one query, which is the page's costly one."""
        if not hasattr(self, "_systems"):
            self._systems = with_variance(with_control_totals(queryset, self.year))
        return self._systems

    def get_table_data(self, queryset):
        return self.systems(queryset)

    def summary(self, queryset) -> YearSummary:
        if not hasattr(self, "_summary"):
            self._summary = cached_fragment(
                (*self.get_cache_parts(), "summary"),
                lambda: summarise(self.systems(queryset)),
            )
        return self._summary

    def get_table_kwargs(self, data) -> dict:
        kwargs = {"year": self.year}
        if not self.summary(self.filterset.qs).illustrative:
            kwargs["exclude"] = ("figures",)
        return kwargs

    def get_caption(self) -> str:
        return (
            f"Systems' control totals, plans and outturns for {self.year}, £ thousands "
            f"(surplus positive), members as at 1 April {self.year.start_year}"
        )

    def get_export_name(self) -> str:
        return f"ICS Tracker control totals {self.year.slug}"

    def get_context_data(self, **kwargs):
        summary = self.summary(self.filterset.qs)
        form = self.filterset.form
        filtered = (
            form.is_bound
            and form.is_valid()
            and any(value for name, value in form.cleaned_data.items() if name != "figures")
        )
        n = summary.systems
        cards = [
            {"label": "Met their control total", "value": f"{summary.met} of {n}", "hint": ""},
            {"label": "Did better than plan", "value": f"{summary.beat} of {n}", "hint": ""},
            {
                "label": "Control totals added up",
                "value": format_millions(summary.control_total),
                "hint": f"{format_pounds(summary.control_total)}; surplus positive",
            },
            {
                "label": "Outturns added up",
                "value": format_millions(summary.outturn),
                "hint": f"{format_pounds(summary.outturn)}; surplus positive",
            },
        ]
        return super().get_context_data(
            year=self.year,
            year_links=year_links(
                years_with_figures(), lambda y: reverse("finance:year", args=[y.slug])
            ),
            headline=year_headline(summary, self.year, filtered),
            cards=cards if n else [],
            illustrative=bool(summary.illustrative),
            **kwargs,
        )


# -- one system in one year -----------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    organisation_name: str
    ods_code: str
    kind: str
    share: Decimal
    control_total: Decimal
    contribution: Decimal
    plan: Decimal
    outturn: Decimal
    accepted: bool
    funding_linked_share: Decimal
    illustrative: bool


def member_rows(pairs) -> list[MemberRow]:
    return [
        MemberRow(
            organisation_name=membership.organisation.name,
            ods_code=membership.organisation.ods_code,
            kind=membership.organisation.get_kind_display(),
            share=membership.share,
            control_total=figures.control_total,
            contribution=contribution(as_member_figures(membership, figures)),
            plan=figures.plan,
            outturn=figures.outturn,
            accepted=figures.accepted,
            funding_linked_share=figures.funding_linked_share,
            illustrative=figures.illustrative,
        )
        for membership, figures in pairs
    ]


def waterfall_chart(system: System, year: FinancialYear, rows, total: Decimal) -> Chart:
    steps = charts.waterfall_steps([(row.organisation_name, row.contribution) for row in rows])
    total_label = "System control total"
    figure = charts.contribution_waterfall(steps, total, total_label)
    data, running = [], Decimal(0)
    for label, amount in steps:
        running += amount
        data.append((label, amount, running))
    largest_label, largest = steps[0]
    grouped = len(steps) < len(rows)
    description = (
        f"Waterfall chart of {system.name}'s control total for {year}: the contributions "
        f"(share \N{MULTIPLICATION SIGN} control total) of its {len(rows)} member organisation"
        f"{'' if len(rows) == 1 else 's'} with figures, largest first, add up to "
        f"{format_pounds(total)}. The largest is {largest_label} ({format_pounds(largest)})."
        + (
            f" The {len(rows) - len(steps) + 1} smallest are shown together as "
            f"\N{LEFT DOUBLE QUOTATION MARK}{steps[-1][0]}\N{RIGHT DOUBLE QUOTATION MARK}."
            if grouped
            else ""
        )
    )
    return Chart(
        id="control-total-waterfall",
        title=f"How {system.name}'s control total adds up",
        description=description,
        figure=chart_payload(figure),
        data_template="finance/_waterfall_table.html",
        data=[*data, (total_label, total, total)],
    )


def system_year_figures(request, system: System, year: FinancialYear) -> dict:
    """A system's members with figures for `year`, their total by the pure rule, and the
    table of them (sorted as the request asks)."""
    pairs = member_figures(system, year)
    rows = member_rows(pairs)
    totals = system_figures([as_member_figures(m, f) for m, f in pairs])
    illustrative = any(row.illustrative for row in rows)
    table = MemberFiguresTable(rows, totals=totals, exclude=() if illustrative else ("figures",))
    table.caption = (
        f"{system.name}'s member organisations with figures for {year}, £ thousands "
        f"(surplus positive), members as at 1 April {year.start_year}"
    )
    RequestConfig(request, paginate=False).configure(table)
    return {"rows": rows, "totals": totals, "illustrative": illustrative, "table": table}


class SystemYearView(TemplateView):
    template_name = "finance/system_year.html"

    def get(self, request, *args, **kwargs):
        year = get_year(kwargs["year"])
        try:
            system = System.objects.with_overview_as_at(year.starts_on).get_by_code(kwargs["code"])
        except System.DoesNotExist as error:
            raise Http404(f"No system has the code {kwargs['code']}") from error

        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            table = system_year_figures(request, system, year)["table"]
            return export_response(table, export_format, f"{system.name} control total {year.slug}")

        def build():
            # The figure costs more to build than the queries; both wait for a data change.
            figures = system_year_figures(request, system, year)
            rows, totals = figures["rows"], figures["totals"]
            return {
                "rows": rows,
                "totals": totals,
                "illustrative": figures["illustrative"],
                "table_html": render_table_html(request, figures["table"]) if rows else "",
                "chart": waterfall_chart(system, year, rows, totals.control_total)
                if rows
                else None,
            }

        figures = cached_fragment(
            ("finance-system-year", system.pk, year.pk, request.GET.urlencode()), build
        )
        existed = bool(system.status_as_at) and system.status_as_at not in ENDED_STATUSES
        return self.render_to_response(
            self.get_context_data(
                year=year,
                system=system,
                existed=existed,
                status_label=SystemStatusKind(system.status_as_at).label
                if system.status_as_at
                else "Not yet formed",
                **{**figures, "table_html": mark_safe(figures["table_html"])},
                year_links=year_links(
                    years_with_figures(),
                    lambda y: reverse("finance:system", args=[y.slug, kwargs["code"]]),
                ),
            )
        )


# -- plan against outturn over the years ----------------------------------------------------


@dataclass(frozen=True)
class PlanOutturnRow:
    system_name: str
    system_slug: str
    year: FinancialYear
    plan: Decimal
    outturn: Decimal
    difference: Decimal
    beat_plan: bool
    illustrative: bool


def plan_outturn_rows(systems, years) -> list[PlanOutturnRow]:
    """Each system's plan and outturn in each year it has figures: two queries a year."""
    rows = []
    for year in years:
        in_year = with_control_totals(
            systems.current_as_at(year.starts_on).filter(has_figures(year)), year
        )
        rows += [plan_outturn_row(system, year) for system in in_year]
    return rows


def plan_outturn_row(system: System, year: FinancialYear) -> PlanOutturnRow:
    """One row from a system with its figures for `year` set (`with_control_totals`)."""
    return PlanOutturnRow(
        system_name=system.name,
        system_slug=system.slug,
        year=year,
        plan=system.plan,
        outturn=system.outturn,
        difference=system.outturn - system.plan,
        beat_plan=system.beat_plan,
        illustrative=system.illustrative,
    )


def plan_outturn_chart(rows: list[PlanOutturnRow], years, system: System | None) -> Chart:
    if system is not None:
        mine = [row for row in rows if row.system_slug == system.slug]
        points = [(row.year.label, row.plan, row.outturn) for row in mine]
        better = sum(1 for row in mine if row.beat_plan)
        description = (
            f"Bar chart of {system.name}'s outturn less its plan in each of {len(mine)} "
            f"year{'s' if len(mine) != 1 else ''} with figures; above zero is better than "
            f"plan. It did better than plan in {better}."
            + "".join(f" {row.year}: {format_pounds(row.difference)}." for row in mine)
        )
        return Chart(
            id="plan-vs-outturn",
            title=f"{system.name}: outturn less plan, year by year",
            description=description,
            figure=chart_payload(charts.outturn_against_plan(points)),
            data_template="finance/_plan_chart_table.html",
            data=[
                {
                    "year": row.year,
                    "plan": row.plan,
                    "outturn": row.outturn,
                    "value": row.difference,
                }
                for row in mine
            ],
        )
    counts = []
    for year in years:
        in_year = [row for row in rows if row.year.pk == year.pk]
        if in_year:
            counts.append((year, sum(1 for row in in_year if row.beat_plan), len(in_year)))
    description = "Stacked bar chart of systems with figures each year, split by whether their "
    description += "outturn was better than plan." + "".join(
        f" {year}: {beat} of {total}." for year, beat, total in counts
    )
    return Chart(
        id="plan-vs-outturn",
        title="Systems better than plan, year by year",
        description=description,
        figure=chart_payload(
            charts.beating_plan_by_year([(year.label, beat, total) for year, beat, total in counts])
        ),
        data_template="finance/_plan_count_table.html",
        data=[{"year": year, "beat": beat, "total": total} for year, beat, total in counts],
    )


class PlanOutturnView(TablePage):
    template_name = "finance/plan_vs_outturn.html"
    table_class = PlanOutturnTable
    filterset_class = PlanOutturnFilter
    per_page = 100
    title = "Plan against outturn"
    export_name = "ICS Tracker plan against outturn"
    intro = (
        "Each system's planned position and the position it delivered, year by year, in "
        "£ thousands (surplus positive). A system did better than plan when its outturn was "
        "above its plan. Members are counted as at 1 April of each year."
    )

    def get_queryset(self):
        return System.objects.all()

    def years(self) -> list[FinancialYear]:
        if not hasattr(self, "_years"):
            self._years = [year for year in years_with_figures() if year.has_figures]
        return self._years

    def rows(self, systems) -> list[PlanOutturnRow]:
        if not hasattr(self, "_rows"):
            self._rows = plan_outturn_rows(systems, self.years())
        return self._rows

    def get_table_data(self, queryset):
        return self.rows(queryset)

    def get_table_kwargs(self, data) -> dict:
        return {} if any(row.illustrative for row in data) else {"exclude": ("figures",)}

    def get_cache_parts(self) -> tuple:
        return (type(self).__name__, self.request.GET.urlencode())

    def get_caption(self) -> str:
        return "Plan and outturn by system and year, £ thousands (surplus positive)"

    def get_export_name(self) -> str:
        return self.export_name

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        system = form.cleaned_data.get("system") if form.is_bound and form.is_valid() else None

        def build():
            rows = self.rows(self.filterset.qs)
            return plan_outturn_chart(rows, self.years(), system), any(
                row.illustrative for row in rows
            )

        chart, illustrative = cached_fragment((*self.get_cache_parts(), "chart"), build)
        return super().get_context_data(
            intro=self.intro, chart=chart, illustrative=illustrative, **kwargs
        )


# -- one organisation over the years --------------------------------------------------------


def _member_on(membership: Membership, day) -> bool:
    return membership.valid_from <= day and (
        membership.valid_until is None or membership.valid_until >= day
    )


class OrganisationFinanceView(TemplateView):
    template_name = "finance/organisation.html"

    def get(self, request, *args, **kwargs):
        code = kwargs["ods_code"]
        organisation = Organisation.objects.filter(ods_code__iexact=code).first()
        if organisation is None:
            raise Http404(f"No organisation has the ODS code {code}")
        memberships = list(
            organisation.memberships.select_related("system").order_by(
                "valid_from", "system__name", "system__slug"
            )
        )
        figures = list(organisation.finance_years.select_related("year"))
        for year_figures in figures:
            alone = system_figures(
                [
                    MemberFigures(
                        Decimal(1),
                        year_figures.control_total,
                        year_figures.plan,
                        year_figures.outturn,
                    )
                ]
            )
            year_figures.variance = alone.variance
            year_figures.met_control_total = alone.met_control_total
            year_figures.counted_towards = [
                (m.system, m.share)
                for m in memberships
                if _member_on(m, year_figures.year.starts_on)
            ]
        illustrative = any(f.illustrative for f in figures)
        table = OrganisationYearTable(figures, exclude=() if illustrative else ("figures",))
        table.caption = f"{organisation.name}'s figures by financial year, £ thousands"
        RequestConfig(request, paginate=False).configure(table)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            name = f"{organisation.name} {organisation.ods_code} figures"
            return export_response(table, export_format, name)
        membership_table = OrganisationMembershipTable(memberships)
        membership_table.caption = f"Systems {organisation.name} has been a member of"
        return self.render_to_response(
            self.get_context_data(
                organisation=organisation,
                table_html=render_table_html(request, table) if figures else "",
                memberships_html=render_table_html(request, membership_table)
                if memberships
                else "",
                illustrative=illustrative,
            )
        )
