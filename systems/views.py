"""Pages over systems and waves. Views load, call and render; the shaping is in
`systems.presenters`, the rules in `systems.rules` and the queries on the models."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.caching import cached_fragment
from core.exports import EXPORT_FORMATS, export_response
from core.pages import TablePage, render_table_html

from .filters import OrganisationFilter, SystemFilter
from .lookups import system_or_404
from .models import Organisation, System, Wave
from .presenters import organisation_context, overview_context, system_context, wave_rows
from .tables import (
    MembershipHistoryTable,
    MemberTable,
    OrganisationTable,
    SystemTable,
    WaveTable,
)


class SystemListView(TablePage):
    template_name = "systems/system_list.html"
    table_class = SystemTable
    filterset_class = SystemFilter
    title = "Systems"
    export_name = "ICS Tracker systems"
    intro = (
        "Every local health system on the chosen date: its codes then, region, status, the "
        "wave it (or a system it absorbed) was designated in, and its member organisations."
    )

    def get_queryset(self):
        return System.objects.with_overview_as_at(self.request.as_at)

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)


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

    def members_table(self, system: System) -> MemberTable:
        as_at = self.request.as_at
        members = MemberTable(system.memberships.as_at(as_at).select_related("organisation"))
        members.caption = f"Member organisations of {system.shown_name} on {as_at:%-d %B %Y}"
        RequestConfig(self.request, paginate={"per_page": 50}).configure(members)
        return members

    def get(self, request, *args, **kwargs):
        as_at = request.as_at
        system = system_or_404(kwargs["code"], as_at)
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            return export_response(
                self.members_table(system),
                export_format,
                f"{system.shown_name} members {as_at.isoformat()}",
            )
        members_html = (
            cached_fragment(
                ("members", system.pk, as_at, request.GET.urlencode()),
                lambda: render_table_html(request, self.members_table(system)),
            )
            if system.member_count_as_at
            else ""
        )
        context = system_context(system, as_at)
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


class OrganisationListView(TablePage):
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
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
        history.caption = f"Systems {organisation.name} has been a member of, earliest first"
        return super().get_context_data(
            organisation=organisation,
            history_html=mark_safe(render_table_html(self.request, history)),
            **context,
            **kwargs,
        )
