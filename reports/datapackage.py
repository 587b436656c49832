"""Everything as at a date in one download: a zip of CSVs with a Frictionless data package
descriptor (`datapackage.json`) describing each file's fields, keys, sources and licence.

Each CSV is built from the query the matching page uses, so its rows are that page's rows for
the same date:

- systems: the systems list with "Any, including ended" chosen (`SystemFilter`, status
  `all`): every system that existed by the date, ended ones with their ended status, so
  every other file's systems are in it;
- memberships: every system's members on the date (`Membership.objects.as_at`, as each
  system page's members table);
- statuses: every status a system took on or before the date (its history as known then);
- designations: every designation dated on or before the date (the overview's wave counts);
- performance: every month whose first day is on or before the date, each standard, each
  system with figures then, as that month's league table (systems that existed on the
  month's first day, providers counted towards the system they were members of then);
- finance: every financial year whose 1 April is on or before the date, each system with
  figures, as that year's control totals page (members and statuses as at 1 April). A year
  that started before the date but ends after it carries its whole year's figures.

Cells go through `core.exports.neutralise`, as every export's do: no text a spreadsheet would
run as a formula, booleans as Yes and No (the descriptor says so), empty for no value. Every
row says whether its figures are real or illustrative (`figures`) and where they come from
(`source`). The zip is cached until the data change (`core.caching`): one build per date and
data version, a few fixed queries per file (two a financial year for finance) however many
systems, organisations or observations there are.
"""

import datetime as dt
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from core.caching import cached_fragment
from core.dates import DatePrecision, format_partial_date
from core.exports import csv_bytes, neutralise
from finance.demo import FIGURES_SOURCE
from finance.filters import SystemYearFilter
from finance.money import money_value
from finance.presenters import with_variance
from finance.queries import with_control_totals, year_systems, years_with_figures
from performance.formatting import count_value, figures_label, figures_source, percent_value
from performance.models import Standard
from performance.queries import LeagueRow, monthly_figures_by_system, national_months
from performance.tables import PointsColumn
from systems.demo import MEMBERSHIP_SOURCE
from systems.filters import ALL_STATUSES, SystemFilter
from systems.models import (
    ENDED_STATUSES,
    CoverageScope,
    Designation,
    Membership,
    OrganisationKind,
    System,
    SystemStatus,
    SystemStatusKind,
)
from systems.rules import status_on
from systems.tables import status_label

OGL = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
REAL_FINANCE_SOURCE = (
    "Organisations' figures as entered or imported into ICS Tracker (each organisation's "
    "year records its own source)"
)
FIGURES_VALUES = ["Real", "Illustrative", "Real and illustrative"]


# What each file holds: the descriptor's descriptions, and the package page's list.
DESCRIPTIONS = {
    "systems": (
        "Every local health system that existed by the date, as the systems list shows it "
        "with 'Any, including ended' chosen: its name, codes, region and footprint then, "
        "its status on the date, the first wave it (or a system it absorbed) was "
        "designated in by then, and its member count."
    ),
    "memberships": (
        "Every system's member organisations on the date (trusts, CCGs, PCNs, GP "
        "practices...), as each system page lists them, with the share of the "
        "organisation apportioned to the system (a trust split between two systems)."
    ),
    "statuses": (
        "Every status each system took on or before the date, oldest first: a status "
        "holds from its date until the system's next. The latest is its status on the "
        "date (systems.csv)."
    ),
    "designations": (
        "Every designation of a system (as shadow ACS or ICS) in a wave dated on or "
        "before the date, as the overview's waves count them."
    ),
    "performance": (
        "Each system's performance on each national standard in every month whose first "
        "day is on or before the date: the rows of that month's league table (systems "
        "that existed on the month's first day and had figures), each provider counted "
        "towards the system it was a member of then, weighted by its share. Values and "
        "England's are percentages; the gap is in percentage points."
    ),
    "finance": (
        "Each system's control total, plan, outturn and sustainability funding for every "
        "financial year whose 1 April is on or before the date, as that year's control "
        "totals page lists them (systems with figures): the sums of its members' figures "
        "at 1 April, each weighted by its share. A year still running on the date has its "
        "whole year's figures."
    ),
}


# -- fields ----------------------------------------------------------------------------------


def _text(name: str, description: str, *, required: bool = False, **constraints) -> dict:
    spec = {"name": name, "type": "string", "description": description}
    if required or constraints:
        spec["constraints"] = {**({"required": True} if required else {}), **constraints}
    return spec


def _number(name: str, description: str, *, integer: bool = False, **constraints) -> dict:
    spec = {"name": name, "type": "integer" if integer else "number", "description": description}
    if constraints:
        spec["constraints"] = constraints
    return spec


def _day(name: str, description: str, *, required: bool = False) -> dict:
    spec = {"name": name, "type": "date", "format": "default", "description": description}
    if required:
        spec["constraints"] = {"required": True}
    return spec


def _yes_no(name: str, description: str) -> dict:
    # neutralise() writes booleans as Yes and No, as every export does.
    return {
        "name": name,
        "type": "boolean",
        "trueValues": ["Yes"],
        "falseValues": ["No"],
        "description": description,
    }


SYSTEM_ID = _text(
    "system_id",
    "The system's identifier in ICS Tracker (its slug), the same through renames and "
    "recodes: the key of systems.csv.",
    required=True,
)
SOURCE = _text("source", "Where the row's facts or figures come from.")
UNVERIFIED = _yes_no(
    "unverified",
    "Yes where the fact was found in only one secondary source, inferred, or not found at "
    "all (the note, where there is one, says what was assumed).",
)
FIGURES = _text(
    "figures",
    "Whether the row's facts or figures are real (from the source named) or made-up "
    "illustrative demonstration data, or both.",
    required=True,
    enum=FIGURES_VALUES,
)
# A recorded fact (a status, a designation): its source, whether it is verified, what was
# assumed, and, since nothing made up is recorded as a fact, "Real".
SOURCED_FACT = [
    SOURCE,
    UNVERIFIED,
    _text("note", "What was assumed, where sources are silent or differ."),
    FIGURES,
]
PRECISION = {"enum": list(DatePrecision.values)}
TO_SYSTEMS = {"fields": "system_id", "reference": {"resource": "systems", "fields": "system_id"}}


def partial_date_fields(prefix: str, what: str, *, required: bool = False) -> list[dict]:
    """A date known to the day, month or year: as written, its first possible day, and how
    precisely it is known, so no reader takes `2020-12-01` for a known day."""
    return [
        _text(prefix, f"{what}, written no more precisely than it is known (June 2017, 2020)."),
        _day(
            f"{prefix}_from",
            f"{what}: the first day it could mean (the 1st of the month, or 1 January, when "
            f"known only to the month or year).",
            required=required,
        ),
        _text(f"{prefix}_precision", f"How precisely {what.lower()} is known.", **PRECISION),
    ]


def partial_date_cells(value: dt.date | None, precision: str | None) -> list:
    if value is None:
        return [None, None, None]
    return [format_partial_date(value, precision), value, precision]


def figures_cell(*, illustrative: bool) -> str:
    """A row whose facts or figures are all real, or all illustrative."""
    return figures_label(real=not illustrative, illustrative=illustrative)


def sourced_fact_cells(fact) -> list:
    """The `SOURCED_FACT` cells of a `core.models.Sourced` row."""
    return [fact.source, fact.unverified, fact.note, figures_cell(illustrative=False)]


# -- resources -------------------------------------------------------------------------------


@dataclass
class Resource:
    """One CSV of the package: its fields, keys and rows (cells as they will be written)."""

    name: str
    title: str
    fields: list[dict]
    primary_key: list[str]
    rows: list[list] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.name]

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def csv(self) -> bytes:
        header = [spec["name"] for spec in self.fields]
        cells = [[neutralise(cell) for cell in row] for row in self.rows]
        return csv_bytes([header, *cells], byte_order_mark=False)

    def sources(self) -> list[str]:
        column = [spec["name"] for spec in self.fields].index("source")
        return sorted({row[column] for row in self.rows if row[column]})

    def descriptor(self) -> dict:
        schema = {
            "fields": self.fields,
            "missingValues": [""],
            "primaryKey": self.primary_key,
        }
        if self.foreign_keys:
            schema["foreignKeys"] = self.foreign_keys
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
            "sources": [{"title": source} for source in self.sources()],
        }


def package_systems(as_at: dt.date) -> list[System]:
    """The systems list with every status chosen: each system that existed by `as_at`."""
    systems = SystemFilter(
        {"status": ALL_STATUSES}, queryset=System.objects.with_overview_as_at(as_at)
    ).qs
    return list(systems.order_by("name", "slug"))


def systems_resource(systems: list[System], as_at: dt.date) -> Resource:
    status_labels = [label for _, label in SystemStatusKind.choices]
    return Resource(
        name="systems",
        title=f"Systems as at {as_at:%-d %B %Y}",
        fields=[
            SYSTEM_ID,
            _text(
                "name",
                "The name in use on the date (an ICB's short name from July 2022).",
                required=True,
            ),
            _text("full_name", "The full (statutory) name on the date, where it had one."),
            _text("ods_code", "Its ODS code valid on the date."),
            _text("ons_code", "The ONS code of the footprint it covered on the date."),
            _text("region", "The NHS England region of its footprint on the date."),
            _text("footprint", "The STP footprint it covered on the date."),
            _text(
                "coverage",
                "Whether it covered the whole footprint or part of it.",
                enum=[label for _, label in CoverageScope.choices],
            ),
            _text("status", "Its status on the date.", required=True, enum=status_labels),
            _text(
                "wave", "The first wave it, or a system it absorbed, was designated in by the date."
            ),
            *partial_date_fields("designated", "The date of that designation"),
            _text("designated_as", "The absorbed system whose designation it carries, if any."),
            _number("member_count", "Member organisations on the date.", integer=True, minimum=0),
            SOURCE,
            UNVERIFIED,
            FIGURES,
        ],
        primary_key=["system_id"],
        rows=[
            [
                system.slug,
                system.shown_name,
                system.full_name_as_at,
                system.ods_code_as_at,
                system.ons_code_as_at,
                system.region_name_as_at,
                system.footprint_name_as_at,
                CoverageScope(system.scope_as_at).label if system.scope_as_at else None,
                status_label(system.status_as_at),
                system.wave_name,
                *partial_date_cells(system.designated_on_as_at, system.designated_precision),
                system.designated_via,
                system.member_count_as_at,
                system.source,
                system.unverified,
                figures_cell(illustrative=False),
            ]
            for system in systems
        ],
    )


def memberships_resource(as_at: dt.date) -> Resource:
    memberships = (
        Membership.objects.as_at(as_at)
        .select_related("organisation", "system")
        .order_by("system__name", "system__slug", "organisation__name", "organisation__ods_code")
    )
    return Resource(
        name="memberships",
        title=f"Member organisations as at {as_at:%-d %B %Y}",
        fields=[
            SYSTEM_ID,
            _text("organisation_code", "The organisation's ODS code.", required=True),
            _text("organisation_name", "The organisation's name.", required=True),
            _text(
                "organisation_kind",
                "What kind of organisation it is.",
                enum=[label for _, label in OrganisationKind.choices],
            ),
            _number(
                "share",
                "Share of the organisation apportioned to this system: above 0, at most 1.",
                minimum=0,
                maximum=1,
            ),
            _day("member_from", "The first day of the membership.", required=True),
            _day("member_until", "The last day of the membership; empty while it still holds."),
            SOURCE,
            UNVERIFIED,
            FIGURES,
        ],
        primary_key=["system_id", "organisation_code"],
        foreign_keys=[TO_SYSTEMS],
        rows=[
            [
                membership.system.slug,
                membership.organisation.ods_code,
                membership.organisation.name,
                membership.organisation.get_kind_display(),
                membership.share,
                membership.valid_from,
                membership.valid_until,
                membership.source,
                membership.unverified,
                figures_cell(illustrative=membership.source == MEMBERSHIP_SOURCE),
            ]
            for membership in memberships
        ],
    )


def statuses_resource(as_at: dt.date) -> Resource:
    statuses = (
        SystemStatus.objects.filter(effective_from__lte=as_at)
        .select_related("system")
        .order_by("system__name", "system__slug", "effective_from")
    )
    return Resource(
        name="statuses",
        title=f"System statuses up to {as_at:%-d %B %Y}",
        fields=[
            SYSTEM_ID,
            _text(
                "status",
                "The status.",
                required=True,
                enum=[label for _, label in SystemStatusKind.choices],
            ),
            *partial_date_fields("effective", "The date the status took effect", required=True),
            *SOURCED_FACT,
        ],
        primary_key=["system_id", "effective_from"],
        foreign_keys=[TO_SYSTEMS],
        rows=[
            [
                status.system.slug,
                status.get_status_display(),
                *partial_date_cells(status.effective_from, status.precision),
                *sourced_fact_cells(status),
            ]
            for status in statuses
        ],
    )


def designations_resource(as_at: dt.date) -> Resource:
    designations = (
        Designation.objects.filter(designated_on__lte=as_at)
        .select_related("system", "wave")
        .order_by("wave__sequence", "system__name", "system__slug")
    )
    return Resource(
        name="designations",
        title=f"Designations up to {as_at:%-d %B %Y}",
        fields=[
            SYSTEM_ID,
            _text("wave", "The wave.", required=True),
            _number("wave_sequence", "The wave's place in the order of waves.", integer=True),
            *partial_date_fields("designated", "The date of the designation", required=True),
            *SOURCED_FACT,
        ],
        primary_key=["system_id", "wave"],
        foreign_keys=[TO_SYSTEMS],
        rows=[
            [
                designation.system.slug,
                designation.wave.name,
                designation.wave.sequence,
                *partial_date_cells(designation.designated_on, designation.precision),
                *sourced_fact_cells(designation),
            ]
            for designation in designations
        ],
    )


# -- performance -----------------------------------------------------------------------------


def systems_by_month(months: list[dt.date], systems: list[System]) -> dict[dt.date, list[System]]:
    """For each month, the systems that existed on its first day (`league_systems`), from
    one read of every status and the rule `status_on`: a status then, and not an ended one.
    `systems` (every system that existed by the package's date) holds all of them."""
    history: dict[int, list] = defaultdict(list)
    for system_id, effective_from, status in SystemStatus.objects.values_list(
        "system_id", "effective_from", "status"
    ):
        history[system_id].append((effective_from, status))
    return {
        month: [
            system
            for system in systems
            if status_on(history[system.pk], month) not in (None, *ENDED_STATUSES)
        ]
        for month in months
    }


def league_rows_by_month(as_at: dt.date, systems: list[System]) -> list[tuple[dt.date, LeagueRow]]:
    """Each month's league rows with figures (as each month's league table shows them), for
    every standard and every month whose first day is on or before `as_at`, month by month,
    standard by standard, systems by name: four queries, whatever the number of months."""
    standards = list(Standard.objects.all())
    figures = monthly_figures_by_system(as_at)
    nation = national_months([standard.pk for standard in standards])
    months = sorted({month for months in nation.values() for month in months if month <= as_at})
    existing = systems_by_month(months, systems)
    rows = []
    for month in months:
        for standard in standards:
            national = nation.get(standard.pk, {}).get(month)
            if national is None:
                continue
            for system in existing[month]:
                found = figures.get((standard.pk, month, system.pk))
                if found is not None:
                    row = LeagueRow(system, found, national, standard)
                    if row.has_figures:
                        rows.append((month, row))
    return rows


def performance_resource(as_at: dt.date, systems: list[System]) -> Resource:
    return Resource(
        name="performance",
        title=f"Performance by month up to {as_at:%-d %B %Y}",
        fields=[
            SYSTEM_ID,
            _text(
                "standard", "The standard's code (as in the league table's address).", required=True
            ),
            _text("standard_name", "The standard."),
            _day("month", "The month (its first day).", required=True),
            _number("numerator", "Patients within the standard (share-weighted).", minimum=0),
            _number("denominator", "All patients counted (share-weighted).", minimum=0),
            _number("value_percent", "Numerator over denominator, as a percentage."),
            _number("national_percent", "England's value that month, as a percentage."),
            _number("gap_points", "The system's value less England's, in percentage points."),
            _yes_no("above_national", "Whether the system did better than England."),
            _yes_no("target_met", "Whether the system met the standard's target."),
            _number("providers", "Providers counted.", integer=True, minimum=0),
            FIGURES,
            SOURCE,
        ],
        primary_key=["system_id", "standard", "month"],
        foreign_keys=[TO_SYSTEMS],
        rows=[
            [
                row.system.slug,
                row.standard.code,
                row.standard.name,
                month,
                count_value(row.figures.numerator),
                count_value(row.figures.denominator),
                percent_value(row.value),
                percent_value(row.national_value),
                PointsColumn.export(row.gap_points) if row.gap_points is not None else None,
                row.above_national,
                row.target_met,
                row.figures.providers,
                figures_label(real=row.real, illustrative=row.illustrative),
                figures_source(row.standard.code, real=row.real, illustrative=row.illustrative),
            ]
            for month, row in league_rows_by_month(as_at, systems)
        ],
    )


# -- finance ---------------------------------------------------------------------------------


def finance_systems(as_at: dt.date) -> list[tuple]:
    """(year, system) for each financial year whose 1 April is on or before `as_at` and each
    system its control totals page lists by default (those with figures), with the figures
    and the variance set on the system: two queries a year."""
    found = []
    for year in years_with_figures().order_by("start_year"):
        if year.starts_on > as_at or not year.has_figures:
            continue
        shown = SystemYearFilter(None, queryset=year_systems(year)).qs.order_by("name", "slug")
        found += [(year, system) for system in with_variance(with_control_totals(shown, year))]
    return found


def finance_resource(as_at: dt.date) -> Resource:
    money = "£ thousands, surplus positive"
    return Resource(
        name="finance",
        title=f"Control totals for the years begun by {as_at:%-d %B %Y}",
        fields=[
            SYSTEM_ID,
            _text("year", "The financial year (2018/19).", required=True),
            _day("year_starts_on", "Its first day, 1 April."),
            _text(
                "status_on_1_april",
                "The system's status on 1 April.",
                enum=[label for _, label in SystemStatusKind.choices],
            ),
            _number("control_total", f"The control total, {money}."),
            _number("plan", f"The planned position, {money}."),
            _number("outturn", f"The position delivered, {money}."),
            _number("variance", f"Outturn less control total, {money}."),
            _yes_no("met_control_total", "Whether the outturn met the control total."),
            _yes_no("beat_plan", "Whether the outturn was better than plan."),
            _number(
                "funding_linked", f"Sustainability funding linked to the system total, {money}."
            ),
            _number("funding_earned", f"Sustainability funding earned, {money}."),
            _number(
                "members_counted", "Members with figures for the year.", integer=True, minimum=0
            ),
            FIGURES,
            SOURCE,
        ],
        primary_key=["system_id", "year"],
        foreign_keys=[TO_SYSTEMS],
        rows=[
            [
                system.slug,
                year.label,
                year.starts_on,
                status_label(system.status_as_at),
                money_value(system.control_total),
                money_value(system.plan),
                money_value(system.outturn),
                money_value(system.variance),
                system.met_control_total,
                system.beat_plan,
                money_value(system.funding_linked),
                money_value(system.funding_earned),
                system.member_count,
                figures_cell(illustrative=system.illustrative),
                FIGURES_SOURCE if system.illustrative else REAL_FINANCE_SOURCE,
            ]
            for year, system in finance_systems(as_at)
        ],
    )


# -- the package -----------------------------------------------------------------------------


def package_resources(as_at: dt.date) -> list[Resource]:
    """Every file of the package for `as_at`, in the order the descriptor lists them."""
    systems = package_systems(as_at)
    return [
        systems_resource(systems, as_at),
        memberships_resource(as_at),
        statuses_resource(as_at),
        designations_resource(as_at),
        performance_resource(as_at, systems),
        finance_resource(as_at),
    ]


def package_name(as_at: dt.date) -> str:
    return f"ics-tracker-{as_at.isoformat()}"


def package_descriptor(as_at: dt.date, resources: list[Resource]) -> dict:
    sources = sorted({source for resource in resources for source in resource.sources()})
    return {
        "profile": "tabular-data-package",
        "name": package_name(as_at),
        "title": f"ICS Tracker: England's local health systems as at {as_at:%-d %B %Y}",
        "description": (
            f"Systems, member organisations, statuses, designations, monthly performance and "
            f"yearly control totals as ICS Tracker held them as at {as_at.isoformat()}. Every "
            "row names its source and says whether its facts or figures are real or "
            "illustrative (made-up demonstration data, in the 'figures' column); facts found "
            "in only one secondary source or inferred are flagged 'unverified'."
        ),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [
            {
                **OGL,
                "description": (
                    "Public sector information from NHS England, NHS Digital and the Office "
                    "for National Statistics is licensed under the Open Government Licence "
                    "v3.0; each row's source column names where it came from."
                ),
            }
        ],
        "sources": [{"title": source} for source in sources],
        "resources": [resource.descriptor() for resource in resources],
    }


def build_package(as_at: dt.date) -> bytes:
    """The zip for `as_at`: `datapackage.json` and one CSV per resource."""
    resources = package_resources(as_at)
    descriptor = package_descriptor(as_at, resources)
    buffer = io.BytesIO()
    files = {"datapackage.json": json.dumps(descriptor, indent=2, ensure_ascii=False).encode()}
    files.update((resource.path, resource.csv()) for resource in resources)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            member = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            # Readable by everyone once unzipped (left unset, unzip makes them owner-only).
            member.external_attr = 0o644 << 16
            archive.writestr(member, content)
    return buffer.getvalue()


def cached_package(as_at: dt.date) -> bytes:
    """`build_package`, built once per date until the data change."""
    return cached_fragment(("datapackage", as_at), lambda: build_package(as_at))
