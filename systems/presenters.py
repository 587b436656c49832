"""What the systems pages and the board paper's designation section show, shaped from the
queries: the overview's cards, statuses, organisations and designation chart; a system's
status periods and status chart; a wave's rows. Views and sections call these and render."""

import datetime as dt
from typing import NamedTuple

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.http import urlencode

from core.charts import Chart, chart_payload
from core.dates import DatePrecision, covers, format_partial_date
from maturity.queries import maturity_history
from maturity.rules import latest_by_framework

from . import charts
from .filters import ANY_ICS_STATUS
from .lineage import ended_notice, latest_succession, lineage_sentences, successors_by_system
from .map_presenters import overview_map
from .models import (
    ENDED_STATUSES,
    ICS_STATUSES,
    LATER_EVENT_KINDS,
    Code,
    CodeScheme,
    Designation,
    DesignationEvent,
    Footprint,
    Membership,
    Organisation,
    OrganisationKind,
    System,
    SystemFootprint,
    SystemStatus,
    SystemStatusKind,
    Wave,
    status_in_force,
)
from .populations import read_populations
from .series import CountPoint, ics_count_series

# The red line that marks the page's date on a chart.
AS_AT_LINE = {"color": "#d5281b", "width": 2}

# -- the overview -----------------------------------------------------------------------------


def status_counts(as_at: dt.date) -> dict[str, int]:
    """How many systems had each status on `as_at` (one query)."""
    return dict(
        System.objects.with_status_as_at(as_at)
        .filter(status_as_at__isnull=False)
        .values_list("status_as_at")
        .annotate(count=Count("pk"))
        .values_list("status_as_at", "count")
    )


def waves_with_counts(as_at: dt.date) -> list[Wave]:
    """Every wave in sequence, each with `system_count`: its systems designated by `as_at`."""
    # Explicitly ordered: a grouped query drops the model's default ordering.
    return list(
        Wave.objects.annotate(
            system_count=Count("designations", filter=Q(designations__designated_on__lte=as_at))
        ).order_by("sequence")
    )


def designation_figure(series: list[CountPoint], waves: list[Wave]):
    """The step chart of ICS systems and covered footprints, with the waves marked: the
    overview's and the board paper's."""
    return charts.designation_over_time(
        series, [(w.name, w.effective_on, w.effective_display) for w in waves]
    )


def succession_sentence(series: list[CountPoint]) -> str:
    """How the designation chart counts systems that merged or split: from the latest
    succession it shows, the systems that succeeded them (a merged or absorbed system's ICS
    status passes to its successor with its designation; a split system's ends with it)."""
    latest = latest_succession(series[-1].day) if series else None
    after = next((p for p in series if latest and p.day >= latest[0]), None)
    if after is None:
        return ""
    return (
        f"Counts from {format_partial_date(latest[0], latest[1])} are of the systems that "
        f"succeeded those merged or split then ({after.ics_systems} ICS systems): a merged "
        "system's ICS status passes to its successor, and a split system's ends, its "
        "successors counting in its place. "
    )


def designation_description(
    series: list[CountPoint], as_at: dt.date, ics_systems: int, ics_footprints: int, footprints: int
) -> str:
    """What the overview's designation chart shows, in words, for those who cannot see it."""
    first_full = next((p for p in series if p.ics_footprints == p.footprints), None)
    covered_from = (
        f"every one of the {first_full.footprints} footprints was covered from "
        f"{first_full.day_display}. "
        if first_full
        else ""
    )
    return (
        f"Step chart of ICS systems and of footprints covered by an ICS, 2016 to "
        f"{series[-1].day:%Y}. There were no ICSs until Wave 1; "
        + covered_from
        + succession_sentence(series)
        + f"On {as_at:%-d %B %Y} (the red line) there were {ics_systems} ICS systems "
        f"covering {ics_footprints} of {footprints} footprints."
    )


def designation_chart(
    as_at: dt.date, today: dt.date, waves: list[Wave], counts: tuple[int, int, int]
) -> Chart:
    """The overview's designation chart up to today (or the date, if later), the date marked.
    `counts` are the ICS systems, the footprints they cover and all footprints on the date."""
    series = ics_count_series(until=max(today, as_at))
    figure = designation_figure(series, waves)
    figure.add_vline(x=as_at.isoformat(), line=AS_AT_LINE)
    return Chart(
        id="designation-over-time",
        title="ICS designation over time",
        description=designation_description(series, as_at, *counts),
        figure=chart_payload(figure),
        data_template="systems/_designation_series_table.html",
        data=series,
    )


def existing_systems(as_at: dt.date):
    """The systems that existed on `as_at`, with what the overview's map says of each (one
    query)."""
    return (
        System.objects.with_overview_as_at(as_at)
        .filter(status_as_at__isnull=False)
        .exclude(status_as_at__in=ENDED_STATUSES)
        .order_by("name_as_at", "slug")
    )


def overview_cards(
    counts: dict[str, int], waves: list[Wave], as_at: dt.date, covered: int, footprints: int
) -> list[dict]:
    """The overview's headline figures, each linking to the list it counts where there is
    one (footprints have no list page of their own, so that card has no link). The date goes
    along by itself (core.as_at)."""
    ics_systems = sum(counts.get(status, 0) for status in ICS_STATUSES)
    existing = sum(n for status, n in counts.items() if status not in ENDED_STATUSES)
    systems_list = reverse("systems:list")
    return [
        {
            "label": "Systems with ICS status",
            "value": ics_systems,
            "hint": "Integrated care systems, including those with a statutory ICB",
            "url": f"{systems_list}?{urlencode({'status': ANY_ICS_STATUS})}",
        },
        {
            "label": "Footprints covered by an ICS",
            "value": f"{covered} of {footprints}",
            "hint": "STP footprints wholly or partly covered by an ICS",
        },
        {
            "label": "Existing systems",
            "value": existing,
            "hint": "Partnerships of any status, including sub-footprint ICSs",
            "url": systems_list,
        },
        {
            "label": "Waves designated",
            "value": sum(1 for w in waves if w.announced_on <= as_at),
            "hint": f"of {len(waves)} waves",
            "url": reverse("systems:waves"),
        },
    ]


def status_rows(counts: dict[str, int]) -> list[dict]:
    """Every status, in its order, with how many systems had it."""
    return [
        {"label": label, "value": counts.get(value, 0), "slug": value}
        for value, label in SystemStatusKind.choices
    ]


def member_organisations(as_at: dt.date) -> dict:
    """The member organisations on `as_at` by kind (kinds with none left out), and how many
    systems and regions they are spread over."""
    members = Membership.objects.as_at(as_at)
    kinds = dict(
        members.values_list("organisation__kind")
        .annotate(count=Count("organisation", distinct=True))
        .values_list("organisation__kind", "count")
    )
    spread = members.aggregate(systems=Count("system", distinct=True))
    organisations = reverse("systems:organisations")
    regions = (
        SystemFootprint.objects.as_at(as_at)
        .filter(system__in=members.values("system"))
        .values("footprint__region")
        .distinct()
        .count()
    )
    return {
        "organisations": [
            {
                "label": label,
                "value": kinds[value],
                "url": f"{organisations}?{urlencode({'kind': value, 'member': 'yes'})}",
            }
            for value, label in OrganisationKind.choices
            if kinds.get(value)
        ],
        "member_systems": spread["systems"],
        "member_regions": regions,
    }


def overview_context(as_at: dt.date, today: dt.date) -> dict:
    """Everything the overview page shows on `as_at`."""
    counts = status_counts(as_at)
    ics_systems = sum(counts.get(status, 0) for status in ICS_STATUSES)
    footprints = Footprint.objects.as_at(as_at).count()
    ics_footprints = Footprint.objects.with_ics_as_at(as_at).count()
    waves = waves_with_counts(as_at)
    return {
        "cards": overview_cards(counts, waves, as_at, ics_footprints, footprints),
        "statuses": status_rows(counts),
        **member_organisations(as_at),
        "waves": waves,
        "chart": designation_chart(as_at, today, waves, (ics_systems, ics_footprints, footprints)),
        "map": overview_map(as_at, existing_systems(as_at)),
        "ics_systems": ics_systems,
        "ics_footprints": ics_footprints,
        "footprints": footprints,
    }


# -- one system -------------------------------------------------------------------------------


class StatusPeriod(NamedTuple):
    """A status and the days it held: from `start` (known to the status's precision) to `end`
    (the day before the next status began, known as precisely as that start; None while it
    still holds)."""

    label: str
    start: dt.date
    end: dt.date | None
    status: SystemStatus
    end_precision: str = DatePrecision.DAY

    @property
    def start_display(self) -> str:
        return format_partial_date(self.start, self.status.precision)

    @property
    def end_display(self) -> str:
        """ "May 2019" for the day before a status known only to "June 2019" began."""
        return format_partial_date(self.end, self.end_precision) if self.end else ""

    @property
    def hover(self) -> str:
        return f"{self.label}: {self.start_display} to {self.end_display or 'now'}"

    def until(self, day: dt.date) -> "StatusPeriod":
        """The period as seen on `day`: one still holding then runs to that day."""
        if self.end is None or self.end > day:
            return self._replace(end=day if self.end else None, end_precision=DatePrecision.DAY)
        return self


def status_periods(statuses: list[SystemStatus]) -> list[StatusPeriod]:
    """Each status in order: each holds until the day before the next begins; the last still
    holds."""
    periods = []
    for index, status in enumerate(statuses):
        following = statuses[index + 1] if index + 1 < len(statuses) else None
        end = following.effective_from - dt.timedelta(days=1) if following else None
        periods.append(
            StatusPeriod(
                status.get_status_display(),
                status.effective_from,
                end,
                status,
                following.precision if following else DatePrecision.DAY,
            )
        )
    return periods


def status_figure(periods: list[StatusPeriod], until: dt.date):
    """The bar of a system's statuses from its first to `until`: the page's and the paper's."""
    return charts.status_timeline(
        [(period.label, period.start, period.end, period.hover) for period in periods], until
    )


def status_chart(system: System, periods, as_at: dt.date) -> Chart:
    """The system page's status chart up to today (or the date, if later), the date marked."""
    figure = status_figure(periods, max(as_at, dt.date.today()))
    if periods:
        figure.add_vline(x=as_at.isoformat(), line=AS_AT_LINE)
    description = "Status bar from first to latest status: " + "; ".join(
        f"{period.label} from {period.start_display}" for period in periods
    )
    return Chart(
        id="status-timeline",
        title=f"Status of {system.shown_name} over time",
        description=description or "No status recorded.",
        figure=chart_payload(figure),
        data_template="systems/_status_periods_table.html",
        data=periods,
    )


def sub_icb_location_rows(system: System, as_at: dt.date) -> list[dict]:
    """The sub-ICB locations under `system` on `as_at`, by code, each with the day it has been
    under the system since: the start of its unbroken run of periods there (a new ONS code
    starts a period, not a run). One query."""
    rows = []
    run_start = previous = None
    for period in system.sub_icb_locations.order_by("code", "valid_from"):
        continues = (
            previous is not None
            and previous.code == period.code
            and previous.valid_until == period.valid_from - dt.timedelta(days=1)
        )
        if not continues:
            run_start = period
        previous = period
        if covers(period.valid_from, period.valid_until, as_at):
            rows.append(
                {
                    "code": period.code,
                    "name": period.name,
                    "ons_code": period.ons_code,
                    "since": run_start.valid_from_display,
                    "source": period.source,
                    "unverified": period.unverified,
                    "note": period.note,
                }
            )
    return rows


def system_context(system: System, as_at: dt.date) -> dict:
    """What the system page shows besides its members: statuses, footprints, codes, timeline,
    sub-ICB locations, maturity, its population as far as it is known
    (`systems.populations`) and the status chart. `system` comes from
    `with_overview_as_at(as_at)`."""
    periods = status_periods(list(system.statuses.order_by("effective_from")))
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
    maturity = maturity_history(system)
    return {
        "periods": periods,
        "coverages": coverages,
        "codes": codes,
        "timeline": system.timeline(),
        "lineage": lineage_sentences(system, periods[0][1] if periods else None),
        "sub_icb_locations": sub_icb_location_rows(system, as_at),
        "ended": ended_notice(system, as_at),
        "maturity": maturity,
        "maturity_as_at": latest_by_framework(maturity, as_at),
        "population": read_populations().of(system.pk),
        "chart": status_chart(system, periods, as_at),
        "status_label": SystemStatusKind(system.status_as_at).label
        if system.status_as_at
        else "No status yet",
    }


# -- one organisation -------------------------------------------------------------------------


def membership_sentence(
    organisation: Organisation, memberships: list[Membership], current: list[Membership], as_at
) -> str:
    """Which system or systems `organisation` belonged to on `as_at`, with its share of each
    where it was split, in words; `memberships` are all of its memberships, earliest first,
    and `current` those in force on `as_at`, largest share first. Before the first recorded
    membership it says the records begin later, rather than that it belonged to none; after
    the organisation closed, that it had closed."""
    day, name = format_partial_date(as_at), organisation.readable_name
    if not memberships:
        return f"{name} has no recorded membership of any system."
    if not current and as_at < memberships[0].valid_from:
        return (
            f"On {day} {name} had no recorded membership: its records begin on "
            f"{format_partial_date(memberships[0].valid_from)}, so which system it belonged "
            "to before then is not known from these data."
        )
    if not current and organisation.closed_on and as_at > organisation.closed_on:
        return f"On {day} {name} had closed (on {format_partial_date(organisation.closed_on)})."
    if not current:
        return f"On {day} {name} was not recorded as a member of any system."
    if len(current) == 1 and current[0].share == 1:
        return f"On {day} {name} was a member of {current[0].system_name_as_at}."
    parts = [f"{m.share:.0%} in {m.system_name_as_at}" for m in current]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"On {day} {name} was split between systems: {listed}."


def organisation_context(organisation: Organisation, as_at: dt.date) -> dict:
    """What the organisation page shows: every membership, earliest first, each with its
    system named as it was then (`MembershipQuerySet.history`); those in force on `as_at`,
    largest share first, and a sentence about them; and the sub-ICB locations that continue
    it, when it was a CCG. Two queries."""
    memberships = list(organisation.memberships.history(as_at))
    current = sorted(
        (m for m in memberships if covers(m.valid_from, m.valid_until, as_at)),
        key=lambda m: (-m.share, m.system_name_as_at),
    )
    locations = list(organisation.sub_icb_locations.with_systems().order_by("valid_from", "code"))
    return {
        "memberships": memberships,
        "current": current,
        "membership_sentence": membership_sentence(organisation, memberships, current, as_at),
        "sub_icb_locations": [
            {
                "code": location.code,
                "name": location.name,
                "system": location.system_name_from,
                "system_url_code": location.system_url_code,
                "from": location.valid_from_display,
                "until": format_partial_date(location.valid_until),
                "source": location.source,
                "unverified": location.unverified,
            }
            for location in locations
        ],
    }


# -- one wave ---------------------------------------------------------------------------------


def wave_rows(wave: Wave, as_at: dt.date) -> list[dict]:
    """The systems designated in `wave`, by name, each with its status on `as_at`, the
    footprint it covered then, and what later became of it: its successors in the lineage's
    words (`systems.lineage`: merged, absorbed, split between or part taken by) and its
    boundary changes, in date order as `later` (each a dict with `sentence` or `event`)."""
    boundary_events = DesignationEvent.objects.filter(kind__in=LATER_EVENT_KINDS)
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
    designations = list(
        Designation.objects.filter(wave=wave)
        .select_related("system")
        .annotate(status_then=status_in_force(OuterRef("system"), as_at), ods=Subquery(url_code))
        .annotate(footprint_name=Subquery(scope))
        .prefetch_related(Prefetch("system__events", queryset=boundary_events, to_attr="later"))
        .order_by("system__name", "system__slug")
    )
    successors = successors_by_system(d.system_id for d in designations)
    return [
        {
            "designation": designation,
            "system": designation.system,
            "url_code": designation.ods or designation.system.slug,
            "status_then": SystemStatusKind(designation.status_then).label
            if designation.status_then
            else "—",
            "later": later_notes(
                designation.system.later, successors.get(designation.system_id, [])
            ),
        }
        for designation in designations
    ]


def later_notes(events: list[DesignationEvent], sentences: list) -> list[dict]:
    """A designated system's boundary changes and successor sentences, in date order: the
    notes the wave page and the board paper's Annex A both give."""
    notes = [{"day": e.occurred_on, "event": e} for e in events]
    notes += [{"day": s.day, "sentence": s} for s in sentences]
    return sorted(notes, key=lambda note: note["day"])
