"""Reads of the finance data. `with_control_totals` is the database twin of
`finance.totals.system_figures`: the same rule, for every system in one query."""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from systems.models import Membership, System

from .models import FinancialYear, OrganisationYear
from .totals import MemberFigures

AMOUNT = DecimalField(max_digits=24, decimal_places=10)
ZERO = Value(Decimal(0), output_field=AMOUNT)


def _members_sum(year: FinancialYear, expression, condition: Q | None = None):
    """Sum over the system's members at the start of `year` of `expression`, a figure of the
    organisation's year weighted by share."""
    members = Membership.objects.as_at(year.starts_on).filter(
        system=OuterRef("pk"), organisation__finance_years__year=year
    )
    if condition is not None:
        members = members.filter(condition)
    total = (
        members.order_by()
        .values("system")
        .annotate(total=Sum(ExpressionWrapper(expression, output_field=AMOUNT)))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=AMOUNT), ZERO)


def with_control_totals(systems: QuerySet, year: FinancialYear) -> QuerySet:
    """Annotate control_total, plan, outturn, funding_linked, funding_earned, met_control_total,
    beat_plan and member_count for `year`, for every system in the queryset at once."""
    figures = "organisation__finance_years__"
    share = F("share")
    funding = share * F(f"{figures}funding_available")
    linked = funding * F(f"{figures}funding_linked_share")
    accepted = Q(**{f"{figures}accepted": True})
    own_met = Q(**{f"{figures}outturn__gte": F(f"{figures}control_total")})
    member_count = (
        Membership.objects.as_at(year.starts_on)
        .filter(system=OuterRef("pk"), organisation__finance_years__year=year)
        .order_by()
        .values("system")
        .annotate(n=Sum(Value(1)))
        .values("n")
    )
    return systems.annotate(
        control_total=_members_sum(year, share * F(f"{figures}control_total")),
        plan=_members_sum(year, share * F(f"{figures}plan")),
        outturn=_members_sum(year, share * F(f"{figures}outturn")),
        funding_linked=_members_sum(year, linked, accepted),
        own_funding_earned=_members_sum(year, funding - linked, accepted & own_met),
        member_count=Coalesce(Subquery(member_count), Value(0)),
    ).annotate(
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
