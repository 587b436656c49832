"""Memberships before the shipped lists: the rule that carries an organisation's membership
on a list's date back to an earlier day (`carry_back_memberships`), for trusts (October 2020
list, back to April 2016: the real reference load with a sourced, unverified label, and the
demonstration data labelled illustrative) and for GP practices and PCNs (January 2022 mapping,
back to April 2016 and July 2019).

The shipped trust list (October 2020) makes trusts members only from 1 October 2020, so
finance figures and performance observations for 2016/17 onwards would count towards no system.
Systems changed shape before October 2020. The four sub-footprint Wave 1 systems (Berkshire
West, Buckinghamshire, Greater Nottingham, Blackpool & Fylde Coast) each get the acute trust
at their heart, from 1 April 2016 until the system was absorbed, and the whole-footprint system
after that: without them the first wave could not be compared as the ten it was. The three
northern STPs that merged in August 2018 still get no members; their trusts count in the
merged system throughout.
"""

import datetime as dt
from collections import Counter

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.caching import bump_data_version

from .models import (
    TRUST_KINDS,
    Membership,
    OrganisationKind,
    System,
    SystemStatus,
    SystemStatusKind,
)

TRUST_LIST_DATE = dt.date(2020, 10, 1)
BACKDATE_FROM = dt.date(2016, 4, 1)
# The acute trust at the heart of each sub-footprint Wave 1 system (ODS code -> system slug).
SUB_FOOTPRINT_TRUSTS = {
    "RHW": "berkshire-west",  # Royal Berkshire NHS Foundation Trust
    "RXQ": "buckinghamshire",  # Buckinghamshire Healthcare NHS Trust
    "RX1": "greater-nottingham",  # Nottingham University Hospitals NHS Trust
    "RXL": "blackpool-and-fylde-coast",  # Blackpool Teaching Hospitals NHS Foundation Trust
}


def sub_footprint_periods(
    ods_code: str, system_id: int, start: dt.date, last_day: dt.date, sub_systems
) -> list[tuple[int, dt.date, dt.date]]:
    """(system id, first day, last day) of a trust's membership of `system_id` from `start`
    to `last_day`: the acute trust at the heart of a sub-footprint Wave 1 system counts
    towards that system until it was absorbed (`sub_systems`: `sub_footprint_systems()`),
    and towards the whole-footprint system after; any other trust, `system_id` throughout."""
    sub_system = sub_systems.get(ods_code)
    if sub_system is not None:
        sub_system_id, absorbed_on = sub_system
        if start < absorbed_on <= last_day:
            return [
                (sub_system_id, start, absorbed_on - dt.timedelta(days=1)),
                (system_id, absorbed_on, last_day),
            ]
    return [(system_id, start, last_day)]


@transaction.atomic
def backdate_trust_memberships(
    *,
    source: str,
    note: str,
    reason: str,
    only: set[str] | None = None,
) -> Counter:
    """Give each trust that was a member on 1 October 2020, and has no membership of any kind
    before that day, the same membership from 1 April 2016 (or its opening) to 30 September
    2020, with `source` and `note`, for the trusts of `only` (ODS codes) if given; the heart
    trusts of the sub-footprint Wave 1 systems go to those systems while they stood."""
    return carry_back_memberships(
        kinds=TRUST_KINDS,
        list_date=TRUST_LIST_DATE,
        back_to=BACKDATE_FROM,
        source=source,
        note=note,
        reason=reason,
        only=only,
        sub_systems=sub_footprint_systems(),
    )


# The practice mapping shipped (January 2022) makes practices and PCNs members only from its
# extract date. Practices are carried back to April 2016, as trusts are; PCNs only to the day
# they began (the Network Contract DES, 1 July 2019). CCGs are not carried back: the 106 CCGs
# of 2022 came from mergers of about 190 (2018-2021), so most did not exist before.
PRACTICE_LIST_DATE = dt.date(2022, 1, 1)
PCNS_BEGAN = dt.date(2019, 7, 1)
PRACTICE_BACKDATED_SOURCE = (
    "NHS Digital, Patients registered at a GP practice: practice mapping, January 2022"
    " (gp-reg-pat-prac-map-2022-01.csv), carried back"
)
PRACTICE_BACKDATED_NOTE = (
    "The January 2022 membership carried back to April 2016 (PCNs to 1 July 2019, when they"
    " began), assuming the practice served the same footprint throughout. The extract gives no"
    " opening dates, so a practice that opened, closed or moved CCG in between is shown as if it"
    " had not; practices of the four sub-footprint Wave 1 systems count in the whole footprint."
)


def backdate_practice_memberships() -> Counter:
    """Carry GP practices' January 2022 memberships back to 1 April 2016, and PCNs' to 1 July
    2019, sourced and flagged unverified (`PRACTICE_BACKDATED_NOTE` says what is assumed).
    Practices or PCNs with any earlier membership are left alone; a second run creates
    nothing."""
    counts = Counter()
    for kind, back_to in (
        (OrganisationKind.GP_PRACTICE, BACKDATE_FROM),
        (OrganisationKind.PCN, PCNS_BEGAN),
    ):
        counts.update(
            carry_back_memberships(
                kinds=(kind,),
                list_date=PRACTICE_LIST_DATE,
                back_to=back_to,
                source=PRACTICE_BACKDATED_SOURCE,
                note=PRACTICE_BACKDATED_NOTE,
                reason="Reference data: January 2022 practice mapping carried back",
            )
        )
    return counts


@transaction.atomic
def carry_back_memberships(
    *,
    kinds,
    list_date: dt.date,
    back_to: dt.date,
    source: str,
    note: str,
    reason: str,
    only: set[str] | None = None,
    sub_systems=None,
) -> Counter:
    """Give each organisation of `kinds` that was a member on `list_date`, and has no
    membership before that day, the same membership from `back_to` (or its opening) to the
    day before `list_date`, with `source` and `note`, flagged unverified; for the ODS codes of
    `only` if given. `sub_systems` (`sub_footprint_systems()`) sends the heart trusts of the
    sub-footprint Wave 1 systems to those systems while they stood. An organisation with any
    earlier membership, hand-entered or made here before, is left as it is, so nothing
    overlaps and a second run creates nothing. Returns created/unchanged counts."""
    counts = Counter()
    earlier = set(
        Membership.objects.filter(
            organisation__kind__in=kinds, valid_from__lt=list_date
        ).values_list("organisation_id", flat=True)
    )
    counts["unchanged"] = Membership.objects.filter(
        source=source, organisation__kind__in=kinds
    ).count()
    last_day = list_date - dt.timedelta(days=1)
    held = (
        Membership.objects.as_at(list_date)
        .filter(organisation__kind__in=kinds)
        .exclude(organisation_id__in=earlier)
    )
    if only is not None:
        held = held.filter(organisation__ods_code__in=only)
    new = []
    for membership in held.select_related("organisation").order_by(
        "organisation__ods_code", "system_id"
    ):
        start = max(back_to, membership.organisation.opened_on or back_to)
        if start > last_day:
            continue
        periods = sub_footprint_periods(
            membership.organisation.ods_code,
            membership.system_id,
            start,
            last_day,
            sub_systems or {},
        )
        new += [
            Membership(
                organisation_id=membership.organisation_id,
                system_id=system_id,
                share=membership.share,
                valid_from=valid_from,
                valid_until=valid_until,
                source=source,
                unverified=True,
                note=note,
            )
            for system_id, valid_from, valid_until in periods
        ]
    bulk_create_with_history(new, Membership, default_change_reason=reason, batch_size=1000)
    counts["created"] = len(new)
    if new:
        bump_data_version()
    return counts


def sub_footprint_systems() -> dict[str, tuple[int, dt.date]]:
    """ODS code -> (sub-footprint system id, the day it was absorbed), for those loaded."""
    absorbed = dict(
        SystemStatus.objects.filter(
            system__slug__in=SUB_FOOTPRINT_TRUSTS.values(), status=SystemStatusKind.MERGED
        ).values_list("system__slug", "effective_from")
    )
    ids = dict(System.objects.filter(slug__in=absorbed).values_list("slug", "pk"))
    return {
        code: (ids[slug], absorbed[slug])
        for code, slug in SUB_FOOTPRINT_TRUSTS.items()
        if slug in ids
    }
