"""Every write to the systems model goes through here: keyword-only, validated, atomic."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from core.dates import DatePrecision

from .models import (
    Designation,
    Membership,
    Organisation,
    System,
    SystemStatus,
    SystemStatusKind,
    Wave,
)


@transaction.atomic
def designate_system(
    *,
    system: System,
    wave: Wave,
    designated_on: dt.date,
    precision: str = DatePrecision.DAY,
    status: str = SystemStatusKind.ICS,
    status_from: dt.date | None = None,
    source: str,
    unverified: bool = False,
    note: str = "",
) -> tuple[Designation, SystemStatus]:
    """Record that `system` was designated in `wave`, and its new status, together.

    The status takes effect on `status_from` (default: the designation date). Both rows are
    validated before either is written, so a refusal leaves nothing behind.
    """
    sourced = {"system": system, "precision": precision, "source": source, "unverified": unverified}
    designation = Designation(wave=wave, designated_on=designated_on, note=note, **sourced)
    designation.full_clean()
    status_row = SystemStatus(
        status=status,
        effective_from=status_from or designated_on,
        note=note or f"Designated in {wave.name}",
        **sourced,
    )
    status_row.full_clean()
    designation.save()
    status_row.save()
    return designation, status_row


@transaction.atomic
def add_membership(
    *,
    organisation: Organisation,
    system: System,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    share: Decimal = Decimal("1"),
    source: str,
    unverified: bool = False,
) -> Membership:
    """Make `organisation` a member of `system` over a period, refusing overlaps and shares
    that would take the organisation above 1 on any day."""
    # Lock the organisation so two concurrent additions cannot both pass the share check.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    membership = Membership(
        organisation=organisation,
        system=system,
        valid_from=valid_from,
        valid_until=valid_until,
        share=share,
        source=source,
        unverified=unverified,
    )
    membership.full_clean()
    membership.save()
    return membership
