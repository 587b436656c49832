"""Pages over systems and waves. Views load, call and render; the rules live elsewhere."""

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.caching import cached_fragment
from core.charts import Chart, chart_payload
from core.dates import format_partial_date
from core.exports import EXPORT_FORMATS, export_response
from core.pages import TablePage, render_table_html
from maturity.queries import maturity_history
from maturity.rules import latest_by_framework

from . import charts
from .filters import SystemFilter
from .models import (
    ICS_STATUSES,
    LATER_EVENT_KINDS,
    Code,
    CodeScheme,
    Designation,
    DesignationEvent,
    Footprint,
    Membership,
    OrganisationKind,
    System,
    SystemFootprint,
    SystemStatus,
    SystemStatusKind,
    Wave,
)
from .series import ics_count_series
from .tables import MemberTable, SystemTable, WaveTable


class SystemListView(TablePage):
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


def overview_context(as_at: dt.date, today: dt.date) -> dict:
    status_counts = dict(
        System.objects.with_status_as_at(as_at)
        .filter(status_as_at__isnull=False)
        .values_list("status_as_at")
        .annotate(count=Count("pk"))
        .values_list("status_as_at", "count")
    )
    ics_systems = sum(status_counts.get(status, 0) for status in ICS_STATUSES)
    footprints = Footprint.objects.as_at(as_at).count()
    ics_footprints = Footprint.objects.with_ics_as_at(as_at).count()
    # Explicitly ordered: a grouped query drops the model's default ordering.
    waves = list(
        Wave.objects.annotate(
            system_count=Count("designations", filter=Q(designations__designated_on__lte=as_at))
        ).order_by("sequence")
    )
    series = ics_count_series(until=max(today, as_at))
    chart_waves = [(w.name, w.effective_on, w.effective_display) for w in waves]
    figure = charts.designation_over_time(series, chart_waves)
    figure.add_vline(x=as_at.isoformat(), line={"color": "#d5281b", "width": 2})
    first_full = next((p for p in series if p.ics_footprints == p.footprints), None)
    description = (
        f"Step chart of ICS systems and of footprints covered by an ICS, 2016 to "
        f"{series[-1].day:%Y}. There were no ICSs until Wave 1; "
        + (
            f"every one of the {first_full.footprints} footprints was covered from "
            f"{first_full.day:%-d %B %Y}. "
            if first_full
            else ""
        )
        + f"On {as_at:%-d %B %Y} (the red line) there were {ics_systems} ICS systems "
        f"covering {ics_footprints} of {footprints} footprints."
    )
    chart = Chart(
        id="designation-over-time",
        title="ICS designation over time",
        description=description,
        figure=chart_payload(figure),
        data_template="systems/_designation_series_table.html",
        data=series,
    )
    cards = [
        {
            "label": "Systems with ICS status",
            "value": ics_systems,
            "hint": "Integrated care systems, including those with a statutory ICB",
        },
        {
            "label": "Footprints covered by an ICS",
            "value": f"{ics_footprints} of {footprints}",
            "hint": "STP footprints wholly or partly covered by an ICS",
        },
        {
            "label": "Existing systems",
            "value": sum(
                n for status, n in status_counts.items() if status not in ("merged", "closed")
            ),
            "hint": "Partnerships of any status, including sub-footprint ICSs",
        },
        {
            "label": "Waves designated",
            "value": sum(1 for w in waves if w.announced_on <= as_at),
            "hint": f"of {len(waves)} waves",
        },
    ]
    statuses = [
        {"label": label, "value": status_counts.get(value, 0), "slug": value}
        for value, label in SystemStatusKind.choices
    ]
    members = Membership.objects.as_at(as_at)
    member_kinds = dict(
        members.values_list("organisation__kind")
        .annotate(count=Count("organisation", distinct=True))
        .values_list("organisation__kind", "count")
    )
    member_spread = members.aggregate(
        systems=Count("system", distinct=True),
    )
    member_regions = (
        SystemFootprint.objects.as_at(as_at)
        .filter(system__in=members.values("system"))
        .values("footprint__region")
        .distinct()
        .count()
    )
    organisations = [
        {"label": label, "value": member_kinds[value]}
        for value, label in OrganisationKind.choices
        if member_kinds.get(value)
    ]
    return {
        "cards": cards,
        "statuses": statuses,
        "organisations": organisations,
        "member_systems": member_spread["systems"],
        "member_regions": member_regions,
        "waves": waves,
        "chart": chart,
        "ics_systems": ics_systems,
        "ics_footprints": ics_footprints,
        "footprints": footprints,
    }


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

    def get(self, request, *args, **kwargs):
        as_at = request.as_at
        try:
            system = System.objects.with_overview_as_at(as_at).get_by_code(kwargs["code"])
        except System.DoesNotExist as error:
            raise Http404(f"No system has the code {kwargs['code']}") from error

        def members_table():
            members = MemberTable(system.memberships.as_at(as_at).select_related("organisation"))
            members.caption = f"Member organisations of {system.name} on {as_at:%-d %B %Y}"
            RequestConfig(request, paginate={"per_page": 50}).configure(members)
            return members

        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS:
            return export_response(
                members_table(), export_format, f"{system.name} members {as_at.isoformat()}"
            )
        members_html = (
            cached_fragment(
                ("members", system.pk, as_at, request.GET.urlencode()),
                lambda: render_table_html(request, members_table()),
            )
            if system.member_count_as_at
            else ""
        )
        return self.render_to_response(
            self.get_context_data(
                system=system,
                members_html=mark_safe(members_html),
                **system_context(system, as_at),
            )
        )


def status_periods(statuses: list[SystemStatus]) -> list[tuple[str, dt.date, dt.date | None]]:
    """(label, first day, last day or None) for each status in order."""
    periods = []
    for index, status in enumerate(statuses):
        following = statuses[index + 1] if index + 1 < len(statuses) else None
        end = following.effective_from - dt.timedelta(days=1) if following else None
        periods.append((status.get_status_display(), status.effective_from, end, status))
    return periods


def system_context(system: System, as_at: dt.date) -> dict:
    statuses = list(system.statuses.order_by("effective_from"))
    periods = status_periods(statuses)
    coverages = list(
        system.footprints.select_related("footprint__region").order_by(
            "valid_from", "footprint__name", "pk"
        )
    )
    codes = list(
        Code.objects.filter(Q(system=system) | Q(footprint__in=[c.footprint_id for c in coverages]))
        .select_related("footprint")
        .order_by("scheme", "valid_from", "code")
    )
    timeline = system.timeline()
    maturity = maturity_history(system)
    until = max(as_at, dt.date.today())
    figure = charts.status_timeline(
        [(label, start, end) for label, start, end, _ in periods], until
    )
    if periods:
        figure.add_vline(x=as_at.isoformat(), line={"color": "#d5281b", "width": 2})
    description = "Status bar from first to latest status: " + "; ".join(
        f"{label} from {format_partial_date(start, status.precision)}"
        for label, start, _end, status in periods
    )
    chart = Chart(
        id="status-timeline",
        title=f"Status of {system.name} over time",
        description=description or "No status recorded.",
        figure=chart_payload(figure),
        data_template="systems/_status_periods_table.html",
        data=periods,
    )
    return {
        "periods": periods,
        "coverages": coverages,
        "codes": codes,
        "timeline": timeline,
        "maturity": maturity,
        "maturity_as_at": latest_by_framework(maturity, as_at),
        "chart": chart,
        "status_label": SystemStatusKind(system.status_as_at).label
        if system.status_as_at
        else "No status yet",
    }


class WaveDetailView(TemplateView):
    template_name = "systems/wave_detail.html"

    def get_context_data(self, **kwargs):
        wave = get_object_or_404(Wave, slug=kwargs["slug"])
        as_at = self.request.as_at
        later_events = DesignationEvent.objects.filter(kind__in=LATER_EVENT_KINDS).select_related(
            "related_system"
        )
        status_then = (
            SystemStatus.objects.filter(system=OuterRef("system"), effective_from__lte=as_at)
            .order_by("-effective_from")
            .values("status")[:1]
        )
        url_code = (
            Code.objects.filter(system=OuterRef("system"), scheme=CodeScheme.ODS)
            .order_by("-valid_from")
            .values("code")[:1]
        )
        scope = (
            SystemFootprint.objects.filter(system=OuterRef("system"), valid_from__lte=as_at)
            .order_by("-valid_from")
            .values("footprint__name")[:1]
        )
        designations = (
            Designation.objects.filter(wave=wave)
            .select_related("system")
            .annotate(status_then=Subquery(status_then), ods=Subquery(url_code))
            .annotate(footprint_name=Subquery(scope))
            .prefetch_related(Prefetch("system__events", queryset=later_events, to_attr="later"))
            .order_by("system__name", "system__slug")
        )
        rows = []
        for designation in designations:
            rows.append(
                {
                    "designation": designation,
                    "system": designation.system,
                    "url_code": designation.ods or designation.system.slug,
                    "status_then": SystemStatusKind(designation.status_then).label
                    if designation.status_then
                    else "—",
                    "later": designation.system.later,
                }
            )
        return super().get_context_data(
            wave=wave, rows=rows, notes=[r for r in rows if r["later"]], **kwargs
        )
