"""Pages over systems and waves. Views load, call and render; the shaping is in
`systems.presenters`, the rules in `systems.rules` and the queries on the models."""

from functools import cached_property

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.caching import cached_fragment, query_part
from core.exports import EXPORT_FORMATS, export_response
from core.pages import TablePage, render_table_html

from .changes import change_rows, change_summary, change_window, organisation_moves
from .filters import OrganisationFilter, SystemFilter
from .lookups import system_or_404
from .models import Organisation, System, Wave
from .presenters import organisation_context, overview_context, system_context, wave_rows
from .tables import (
    ChangeTable,
    MembershipHistoryTable,
    MemberTable,
    MoveTable,
    OrganisationTable,
    SystemTable,
    WaveTable,
)


class SystemListView(TablePage):
    template_name = "systems/system_list.html"
    table_class = SystemTable
    filterset_class = SystemFilter
    model = System
    title = "Systems"
    export_name = "ICS Tracker systems"
    intro = (
        "Every local health system on the chosen date: its codes then, region, status, the "
        "wave it (or a system it absorbed) was designated in, and its member organisations."
    )

    def get_queryset(self):
        return System.objects.with_overview_as_at(self.request.as_at)

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, data_package_link=True, **kwargs)


class WaveListView(TablePage):
    coverage_kinds = ("structure",)
    table_class = WaveTable
    title = "Designation waves"
    intro = (
        "The waves in which systems were designated, from the ten shadow accountable care "
        "systems of 2017 to full coverage in April 2021. Dates known only to the month or year "
        "are shown that way."
    )

    def get_queryset(self):
        return Wave.objects.annotate(system_count=Count("designations")).order_by("sequence")

    def get_caption(self):
        return self.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)


class OverviewView(TemplateView):
    template_name = "systems/overview.html"

    def get_context_data(self, **kwargs):
        as_at, today = self.request.as_at, self.request.today
        context = cached_fragment(
            ("overview", as_at, today), lambda: overview_context(as_at, today)
        )
        return super().get_context_data(**context, **kwargs)


class SystemDetailView(TemplateView):
    template_name = "systems/system_detail.html"

    def members_table(self, system: System, *, paginate: bool = True) -> MemberTable:
        """The members on the page's date, sorted as asked; a page of 50 on the page, all of
        them in a download (which then costs no count)."""
        as_at = self.request.as_at
        members = MemberTable(system.memberships.as_at(as_at).select_related("organisation"))
        members.caption = f"Member organisations of {system.shown_name} on {as_at:%-d %B %Y}"
        RequestConfig(self.request, paginate=paginate and {"per_page": 50}).configure(members)
        return members

    def get(self, request, *args, **kwargs):
        as_at = request.as_at
        export_format = request.GET.get("_export")
        system = system_or_404(kwargs["code"], as_at)
        if export_format in EXPORT_FORMATS:
            return export_response(
                self.members_table(system, paginate=False),
                export_format,
                f"{system.shown_name} members {as_at.isoformat()}",
            )
        members_html = (
            cached_fragment(
                ("members", system.pk, as_at, query_part(request)),
                lambda: render_table_html(request, self.members_table(system)),
            )
            if system.member_count_as_at
            else ""
        )
        # The status chart and the lists cost more than the rest of the request together.
        context = cached_fragment(
            ("system-context", system.pk, as_at), lambda: system_context(system, as_at)
        )
        return self.render_to_response(
            self.get_context_data(system=system, members_html=mark_safe(members_html), **context)
        )


class WaveDetailView(TemplateView):
    coverage_kinds = ("structure",)
    template_name = "systems/wave_detail.html"

    def get_context_data(self, **kwargs):
        wave = get_object_or_404(Wave, slug=kwargs["slug"])
        rows = wave_rows(wave, self.request.as_at)
        return super().get_context_data(
            wave=wave, rows=rows, notes=[r for r in rows if r["later"]], **kwargs
        )


class ChangesView(TablePage):
    """What changed between dates A and B (`?from=&to=`, by default the year to the as-at
    date): every change to a system as a table with exports, the organisations that moved
    system, and a sentence summing both up."""

    template_name = "systems/changes.html"
    table_class = ChangeTable
    title = "What changed between two dates"
    export_name = "ICS Tracker changes"

    @cached_property
    def window(self):
        return change_window(self.request.GET, self.request.as_at)

    @cached_property
    def dates(self):
        return self.window.cleaned_data["from"], self.window.cleaned_data["to"]

    @cached_property
    def rows(self):
        return change_rows(*self.dates)

    def get_queryset(self):
        return None

    def get_table_data(self, queryset):
        return self.rows

    def get_caption(self):
        start, end = self.dates
        return f"Changes after {start:%-d %B %Y} up to and including {end:%-d %B %Y}"

    def get_export_name(self):
        start, end = self.dates
        return f"{self.export_name} {start.isoformat()} to {end.isoformat()}"

    def get_cache_parts(self):
        return (*super().get_cache_parts(), *self.dates)

    def get(self, request, *args, **kwargs):
        if not self.window.is_valid():
            return self.render_to_response(self.get_context_data(title=self.title))
        export_format = request.GET.get("_export")
        if request.GET.get("_table") == "moves" and export_format in EXPORT_FORMATS:
            name = f"{self.get_export_name()} organisations that moved"
            return export_response(self.moves_table(), export_format, name)
        return super().get(request, *args, **kwargs)

    @cached_property
    def moves(self):
        return organisation_moves(*self.dates)

    def moves_table(self) -> MoveTable:
        start, end = self.dates
        table = MoveTable(self.moves, prefix="moves-")
        table.caption = (
            f"Organisations whose system on {start:%-d %B %Y} differs from {end:%-d %B %Y}"
        )
        return table

    def moves_context(self) -> dict:
        table = self.moves_table()
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return {
            "summary": change_summary(*self.dates, self.rows, self.moves),
            "move_count": len(self.moves),
            "moves_html": mark_safe(render_table_html(self.request, table)) if self.moves else "",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(window={"form": self.window}, **kwargs)
        if self.window.is_valid():
            parts = ("changes", *self.dates, query_part(self.request))
            context.update(cached_fragment(parts, self.moves_context))
        return context


class OrganisationListView(TablePage):
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
    model = Organisation
    title = "Organisations"
    export_name = "ICS Tracker organisations"
    intro = (
        "Find a trust, clinical commissioning group (and the sub-ICB location that continues "
        "it), primary care network or GP practice by its name or ODS code, and see which "
        "system it belonged to on the chosen date."
    )

    def get_queryset(self):
        return Organisation.objects.with_system_as_at(self.request.as_at)

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)


class OrganisationDetailView(TemplateView):
    template_name = "systems/organisation_detail.html"

    def get_context_data(self, **kwargs):
        organisation = get_object_or_404(Organisation, ods_code__iexact=kwargs["ods_code"])
        context = organisation_context(organisation, self.request.as_at)
        history = MembershipHistoryTable(context["memberships"])
        name = organisation.readable_name
        history.caption = f"Systems {name} has been a member of, earliest first"
        return super().get_context_data(
            organisation=organisation,
            history_html=mark_safe(render_table_html(self.request, history)),
            **context,
            **kwargs,
        )
