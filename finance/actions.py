"""Every write to finance data: keyword-only, validated, atomic."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from systems.models import Membership, Organisation, System

from .models import ControlTotalTransfer, FinancialYear, OrganisationYear
from .totals import MemberFigures, system_totals


@transaction.atomic
def transfer_control_total(
    *,
    year: FinancialYear,
    system: System,
    from_organisation: Organisation,
    to_organisation: Organisation,
    amount: Decimal,
    reason: str,
    user=None,
) -> ControlTotalTransfer:
    """Move `amount` (£k) of control total from one member of `system` to another.

    Refused when the year does not allow transfers, when either organisation is not a member
    at the start of the year, or when the move would change the system's control total (two
    members with different shares of themselves in the system).
    """
    if not year.transfers_allowed:
        raise ValidationError(
            f"{year} does not allow control total transfers; they are allowed from 2019/20."
        )
    if amount <= 0:
        raise ValidationError("The amount to move must be above zero.")
    if from_organisation == to_organisation:
        raise ValidationError("A transfer needs two different organisations.")
    shares = {}
    for organisation in (from_organisation, to_organisation):
        membership = (
            Membership.objects.as_at(year.starts_on)
            .filter(system=system, organisation=organisation)
            .first()
        )
        if membership is None:
            raise ValidationError(
                f"{organisation} was not a member of {system} at the start of {year}."
            )
        shares[organisation.pk] = membership.share
    figures = {
        f.organisation_id: f
        for f in OrganisationYear.objects.select_for_update().filter(
            year=year, organisation__in=[from_organisation, to_organisation]
        )
    }
    for organisation in (from_organisation, to_organisation):
        if organisation.pk not in figures:
            raise ValidationError(f"{organisation} has no control total for {year}.")

    def total():
        return system_totals(
            [
                MemberFigures(shares[pk], f.control_total, f.plan, f.outturn)
                for pk, f in figures.items()
            ]
        ).control_total

    before = total()
    figures[from_organisation.pk].control_total -= amount
    figures[to_organisation.pk].control_total += amount
    change = total() - before
    if change != 0:
        raise ValidationError(
            f"Not financially neutral: {system}'s control total would change by £{change:,}k, "
            f"because {from_organisation} counts {shares[from_organisation.pk]:.0%} and "
            f"{to_organisation} {shares[to_organisation.pk]:.0%} towards it."
        )
    for figure in figures.values():
        figure.save()
    return ControlTotalTransfer.objects.create(
        year=year,
        system=system,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        amount=amount,
        reason=reason,
        made_by=user,
    )
