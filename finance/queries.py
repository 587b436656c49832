"""Reads of the finance data. `with_control_totals` is the database twin of
`finance.totals.system_totals`: the same rule, for every system in one query."""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from systems.models import Designation, Membership, System

from .models import FinancialYear, OrganisationYear, PublishedFinding
from .totals import MemberFigures, system_totals

AMOUNT = DecimalField(max_digits=24, decimal_places=10)
ZERO = Value(Decimal(0), output_field=AMOUNT)
FIGURE_NAMES = (
    "control_total",
    "plan",
    "outturn",
    "funding_linked",
    "funding_earned",
    "met_control_total",
    "beat_plan",
    "member_count",
    "illustrative",
)


def years_with_figures():
    """Every financial year, each annotated `has_figures`."""
    return FinancialYear.objects.annotate(
        has_figures=Exists(OrganisationYear.objects.filter(year=OuterRef("pk")))
    )


def latest_year_with_figures() -> FinancialYear | None:
    """The latest year with figures, else the latest year; None when there are no years: the
    year the finance pages open on."""
    years = years_with_figures().order_by("-start_year")
    return next((year for year in years if year.has_figures), None) or years.first()


def of_year(systems, year: FinancialYear):
    """The systems of `year` among `systems`: those that existed on 1 April and those
    designated during the year (the sub-footprint Wave 1 systems of June 2017 were not systems
    on 1 April 2017, yet had members then). Every finance page and the paper count these."""
    designated = Designation.objects.filter(
        designated_on__gte=year.starts_on, designated_on__lte=year.ends_on
    ).values("system")
    existing = System.objects.current_as_at(year.starts_on).values("pk")
    return systems.filter(Q(pk__in=existing) | Q(pk__in=designated))


def year_systems(year: FinancialYear):
    """Every system of `year` (`of_year`), with what the systems table shows about each on
    1 April, except the wave: the one it joined during or before the year, so Wave 1 in
    2017/18 is the ten. With `has_figures` for the year; `with_control_totals` adds the
    figures."""
    return (
        of_year(System.objects.all(), year)
        .with_overview_as_at(year.starts_on, wave_as_at=year.ends_on)
        .annotate(has_figures=has_figures(year))
    )


def findings_with_systems(year: FinancialYear) -> list[tuple[PublishedFinding, list[System]]]:
    """What papers published about waves' plans in `year`, each with its wave's systems
    (those designated in it by the end of the year) and their figures for the year: three
    queries, and one more per wave."""
    findings = list(
        PublishedFinding.objects.filter(start_year=year.start_year)
        .select_related("wave")
        .prefetch_related("named_systems")
    )
    systems: dict[int, list[System]] = {}
    for wave_id in dict.fromkeys(finding.wave_id for finding in findings):
        designated = Designation.objects.filter(wave_id=wave_id, designated_on__lte=year.ends_on)
        systems[wave_id] = with_control_totals(
            System.objects.filter(pk__in=designated.values("system")).order_by("name"), year
        )
    return [(finding, systems[finding.wave_id]) for finding in findings]


def counted_members(year: FinancialYear):
    """The memberships that count towards systems' figures for `year`: in force on 1 April,
    of an organisation with figures for the year."""
    return Membership.objects.as_at(year.starts_on).filter(organisation__finance_years__year=year)


def has_figures(year: FinancialYear) -> Exists:
    """For `System` querysets: whether any member counted in `year` has figures."""
    return Exists(counted_members(year).filter(system=OuterRef("pk")))


def control_totals(year: FinancialYear, systems=None) -> dict[int, dict]:
    """Every system's control_total, plan, outturn, funding_linked, funding_earned,
    met_control_total, beat_plan, member_count (members with figures) and illustrative (any
    of those figures made up) for `year`, by system id, summed in the database in one grouped
    query over memberships joined to figures. Systems with no figures are absent.

    One grouped query, rather than a subquery per figure on each system row (about 14 per
    system) or a join from the systems table (whose other annotations PostgreSQL then groups
    by, once per member): both were ten times slower at national scale.
    """
    figures = "organisation__finance_years__"
    share = F("share")
    funding = share * F(f"{figures}funding_available")
    linked = funding * F(f"{figures}funding_linked_share")
    accepted = Q(**{f"{figures}accepted": True})
    own_met = Q(**{f"{figures}outturn__gte": F(f"{figures}control_total")})

    def total(expression, condition=None):
        return Coalesce(
            Sum(ExpressionWrapper(expression, output_field=AMOUNT), filter=condition), ZERO
        )

    members = counted_members(year)
    if systems is not None:
        members = members.filter(system__in=systems)
    rows = (
        members.order_by()
        .values("system_id")
        .annotate(
            control_total=total(share * F(f"{figures}control_total")),
            plan=total(share * F(f"{figures}plan")),
            outturn=total(share * F(f"{figures}outturn")),
            funding_linked=total(linked, accepted),
            own_funding_earned=total(funding - linked, accepted & own_met),
            member_count=Count("pk"),
            illustrative_count=Count("pk", filter=Q(**{f"{figures}illustrative": True})),
        )
        .annotate(
            met_control_total=Case(
                When(outturn__gte=F("control_total"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            beat_plan=Case(
                When(outturn__gt=F("plan"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            funding_earned=F("own_funding_earned")
            + Case(
                When(outturn__gte=F("control_total"), then=F("funding_linked")),
                default=ZERO,
                output_field=AMOUNT,
            ),
        )
    )
    return {
        row["system_id"]: {
            **{name: row[name] for name in FIGURE_NAMES if name != "illustrative"},
            "illustrative": row["illustrative_count"] > 0,
        }
        for row in rows
    }


def _no_figures() -> dict:
    """What the rule gives a system with no members counted (zeros; met, not beaten)."""
    figures = system_totals([])
    return {
        "control_total": figures.control_total,
        "plan": figures.plan,
        "outturn": figures.outturn,
        "funding_linked": figures.funding_linked,
        "funding_earned": figures.funding_earned,
        "met_control_total": figures.met_control_total,
        "beat_plan": figures.beat_plan,
        "member_count": figures.members,
        "illustrative": False,
    }


def with_control_totals(systems, year: FinancialYear) -> list[System]:
    """The systems (a queryset, evaluated here), each with its figures for `year` from
    `control_totals` set as attributes (zeros and no members when it has none): two queries
    however many systems."""
    systems = list(systems)
    totals = control_totals(year, [system.pk for system in systems])
    for system in systems:
        for name, value in (totals.get(system.pk) or _no_figures()).items():
            setattr(system, name, value)
    return systems


def member_figures(
    system: System, year: FinancialYear
) -> list[tuple[Membership, OrganisationYear]]:
    """The system's members at the start of `year` that have figures for it, with them."""
    memberships = list(
        Membership.objects.as_at(year.starts_on)
        .filter(system=system, organisation__finance_years__year=year)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    figures = {
        f.organisation_id: f
        for f in OrganisationYear.objects.filter(
            year=year, organisation__in=[m.organisation_id for m in memberships]
        )
    }
    return [(m, figures[m.organisation_id]) for m in memberships]


def as_member_figures(membership: Membership, figures: OrganisationYear) -> MemberFigures:
    return MemberFigures(
        share=membership.share,
        control_total=figures.control_total,
        plan=figures.plan,
        outturn=figures.outturn,
        accepted=figures.accepted,
        funding_available=figures.funding_available,
        funding_linked_share=figures.funding_linked_share,
    )


def organisation_memberships(organisation) -> list[Membership]:
    """Every membership the organisation has had, with its system, earliest first."""
    return list(
        organisation.memberships.select_related("system").order_by(
            "valid_from", "system__name", "system__slug"
        )
    )


def organisation_figures(organisation) -> list[OrganisationYear]:
    """The organisation's figures for every year it has them, with the year."""
    return list(organisation.finance_years.select_related("year"))
