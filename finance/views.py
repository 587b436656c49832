"""Finance pages: every system's control total in a year, one system's year, plan against
outturn over the years, and one organisation's history.

Views load, call and render; what they show is shaped in `finance.presenters`, which the board
paper's finance section calls too. The control-total rule is `finance.totals.system_totals`;
the all-systems page uses its database twin (`finance.queries.with_control_totals`), so both
pages show the same number for a system. Pages follow the financial year, not the as-at date:
members and statuses are taken on 1 April of the year.
"""

from functools import cached_property

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.caching import cached_fragment, query_part
from core.exports import EXPORT_FORMATS, export_response
from core.pages import TablePage, render_table_html
from systems.lineage import ended_notice
from systems.lookups import system_or_404
from systems.models import Organisation, System

from .filters import PlanOutturnFilter, SystemYearFilter
from .models import FinancialYear
from .presenters import (
    PlanOutturnRow,
    SystemYear,
    YearSummary,
    first_april_status,
    member_table,
    organisation_membership_table,
    organisation_year_table,
    organisation_years,
    plan_finding_checks,
    plan_outturn_chart,
    plan_outturn_rows,
    summarise_year,
    system_year_figures,
    waterfall_chart,
    with_variance,
    year_cards,
    year_headline,
    year_links,
    year_map,
    year_without_figures_context,
)
from .queries import (
    findings_with_systems,
    latest_year_with_figures,
    organisation_figures,
    organisation_memberships,
    with_control_totals,
    year_systems,
    years_with_figures,
)
from .tables import PlanOutturnTable, SystemControlTotalTable

# -- loading --------------------------------------------------------------------------------


def get_year(slug: str) -> FinancialYear:
    """The financial year written `2018-19`, unsaved when nobody has entered it (a page for
    it says it has no figures), or 404 for text that is not a financial year."""
    try:
        return FinancialYear.objects.stored_or_unstored(slug)
    except ValueError as error:
        raise Http404(f"No financial year {slug}") from error


def year_without_figures(request, year: FinancialYear, url_for, system: System | None = None):
    """The page for a year nobody has entered: it says so and links to the years with
    figures. Its exports are this page too: there is no table to export."""
    context = year_without_figures_context(year, years_with_figures(), url_for, system)
    return render(request, "finance/year_without_figures.html", context)


def get_organisation(ods_code: str) -> Organisation:
    """The organisation with this ODS code, in any case, or 404."""
    organisation = Organisation.objects.filter(ods_code__iexact=ods_code).first()
    if organisation is None:
        raise Http404(f"No organisation has the ODS code {ods_code}")
    return organisation


def year_url(year: FinancialYear) -> str:
    return reverse("finance:year", args=[year.slug])


# -- the index ------------------------------------------------------------------------------


def finance_index(request):
    """The latest year with figures (or the latest year, if none has any)."""
    year = latest_year_with_figures()
    if year is None:
        return render(request, "finance/no_years.html", status=404)
    return redirect("finance:year", year.slug)


# -- every system in one year ---------------------------------------------------------------


class ControlTotalYearView(TablePage):
    template_name = "finance/year.html"
    table_class = SystemControlTotalTable
    filterset_class = SystemYearFilter
    filter_facts = ("narrowed",)
    model = System

    # The year is read on first use, so the read API (api.views) builds the same table from a
    # page set up with the same arguments, without calling get().
    @cached_property
    def year(self) -> FinancialYear:
        return get_year(self.kwargs["year"])

    @property
    def title(self) -> str:
        return f"Control totals {self.year}"

    def get(self, request, *args, **kwargs):
        if self.year.pk is None:
            return year_without_figures(request, self.year, year_url)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return year_systems(self.year)

    def get_cache_parts(self) -> tuple:
        return (type(self).__name__, self.year.pk, query_part(self.request))

    @cached_property
    def systems(self) -> list[System]:
        """The filtered systems, read once: the table (sorted and paged in Python, at most a
        few dozen rows) and the headline share one query, which is the page's costly one."""
        return with_variance(with_control_totals(self.filterset.qs, self.year))

    def get_table_data(self, queryset):
        return self.systems

    @cached_property
    def summary(self) -> YearSummary:
        return cached_fragment(
            (*self.get_cache_parts(), "summary"), lambda: summarise_year(self.systems)
        )

    def get_table_kwargs(self, data) -> dict:
        if self.summary.illustrative:
            return {"year": self.year}
        return {"year": self.year, "exclude": ("figures",)}

    def get_caption(self) -> str:
        return (
            f"Systems' control totals, plans and outturns for {self.year}, £ thousands "
            f"(surplus positive), members as at 1 April {self.year.start_year}"
        )

    def get_export_name(self) -> str:
        return f"ICS Tracker control totals {self.year.slug}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            year=self.year,
            coverage_period=self.year,
            year_links=cached_fragment(
                ("finance year links",), lambda: year_links(years_with_figures(), year_url)
            ),
            headline=year_headline(self.summary, self.year, self.filter_state["narrowed"]),
            cards=year_cards(self.summary),
            illustrative=bool(self.summary.illustrative),
            checks=cached_fragment(
                (*self.get_cache_parts(), "checks"),
                lambda: plan_finding_checks(findings_with_systems(self.year)),
            ),
            map=cached_fragment(
                (*self.get_cache_parts(), "map"), lambda: year_map(self.systems, self.year)
            ),
            **kwargs,
        )


# -- one system in one year -----------------------------------------------------------------


class SystemYearView(TemplateView):
    template_name = "finance/system_year.html"

    def get(self, request, *args, **kwargs):
        self.year = get_year(kwargs["year"])
        export_format = request.GET.get("_export")
        self.system = system_or_404(kwargs["code"], self.year.starts_on)
        if self.year.pk is None:
            code = kwargs["code"]
            return year_without_figures(
                request,
                self.year,
                lambda y: reverse("finance:system", args=[y.slug, code]),
                self.system,
            )
        if export_format in EXPORT_FORMATS:
            table = self.member_table(system_year_figures(self.system, self.year))
            name = f"{self.system.shown_name} control total {self.year.slug}"
            return export_response(table, export_format, name)
        # The figure costs more to build than the queries; both wait for a data change.
        figures = cached_fragment(
            ("finance-system-year", self.system.pk, self.year.pk, query_part(request)),
            self.figures,
        )
        return self.render_to_response(self.get_context_data(**figures))

    def member_table(self, figures: SystemYear):
        """The members' table, sorted as the request asks."""
        table = member_table(figures)
        table.caption = (
            f"{self.system.shown_name}'s member organisations with figures for {self.year}, "
            f"£ thousands (surplus positive), members as at 1 April {self.year.start_year}"
        )
        RequestConfig(self.request, paginate=False).configure(table)
        return table

    def figures(self) -> dict:
        figures = system_year_figures(self.system, self.year)
        rows, total = figures.rows, figures.totals.control_total
        return {
            "rows": rows,
            "totals": figures.totals,
            "illustrative": figures.illustrative,
            "table_html": render_table_html(self.request, self.member_table(figures))
            if rows
            else "",
            "chart": waterfall_chart(self.system, self.year, rows, total) if rows else None,
        }

    def get_context_data(self, *, table_html: str, **kwargs):
        code = self.kwargs["code"]
        return super().get_context_data(
            **kwargs,
            year=self.year,
            coverage_period=self.year,
            system=self.system,
            **first_april_status(self.system),
            ended=ended_notice(self.system, self.year.starts_on),
            # Rendered by our own table template.
            table_html=mark_safe(table_html),
            year_links=year_links(
                years_with_figures(), lambda y: reverse("finance:system", args=[y.slug, code])
            ),
        )


# -- plan against outturn over the years ----------------------------------------------------


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

    @cached_property
    def years(self) -> list[FinancialYear]:
        return [year for year in years_with_figures() if year.has_figures]

    @cached_property
    def rows(self) -> list[PlanOutturnRow]:
        return plan_outturn_rows(self.filterset.qs, self.years)

    def get_table_data(self, queryset):
        return self.rows

    def get_table_kwargs(self, data) -> dict:
        return {} if any(row.illustrative for row in data) else {"exclude": ("figures",)}

    def get_cache_parts(self) -> tuple:
        return (type(self).__name__, query_part(self.request))

    def get_caption(self) -> str:
        return "Plan and outturn by system and year, £ thousands (surplus positive)"

    def get_export_name(self) -> str:
        return self.export_name

    def chart(self):
        form = self.filterset.form
        system = form.cleaned_data.get("system") if form.is_bound and form.is_valid() else None
        illustrative = any(row.illustrative for row in self.rows)
        return plan_outturn_chart(self.rows, self.years, system), illustrative

    def get_context_data(self, **kwargs):
        chart, illustrative = cached_fragment((*self.get_cache_parts(), "chart"), self.chart)
        return super().get_context_data(
            intro=self.intro, chart=chart, illustrative=illustrative, **kwargs
        )


# -- one organisation over the years --------------------------------------------------------


class OrganisationFinanceView(TemplateView):
    template_name = "finance/organisation.html"

    def get(self, request, *args, **kwargs):
        organisation = get_organisation(kwargs["ods_code"])
        memberships = organisation_memberships(organisation)
        figures = organisation_years(organisation_figures(organisation), memberships)
        table = organisation_year_table(organisation, figures)
        RequestConfig(request, paginate=False).configure(table)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            name = f"{organisation.name} {organisation.ods_code} figures"
            return export_response(table, export_format, name)
        memberships_table = organisation_membership_table(organisation, memberships)
        return self.render_to_response(
            self.get_context_data(
                organisation=organisation,
                table_html=render_table_html(request, table) if figures else "",
                memberships_html=render_table_html(request, memberships_table)
                if memberships
                else "",
                illustrative=any(f.illustrative for f in figures),
            )
        )
