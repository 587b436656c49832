"""Illustrative back-dated trust memberships, which every app's demonstration data needs.

The shipped trust list (October 2020) makes trusts members only from 1 October 2020, so
finance figures and performance observations for 2016/17 onwards would count towards no system.
Trusts with no membership at all before that date are therefore given an illustrative
back-dated membership of the same system (and share), from 1 April 2016 or their opening date
to 30 September 2020.

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

from .models import TRUST_KINDS, Membership, System, SystemStatus, SystemStatusKind

MEMBERSHIP_SOURCE = "Illustrative demo data: membership assumed as in the October 2020 trust list"
MEMBERSHIP_NOTE = (
    "Made up for the demonstration data: the shipped trust list gives memberships only from "
    "1 October 2020. Replace with real memberships if they are known."
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


@transaction.atomic
def backdate_trust_memberships() -> Counter:
    """Give each trust that was a member on 1 October 2020, and has no membership of any kind
    before that day, the same membership from 1 April 2016 (or its opening) to 30 September
    2020. A trust with any earlier membership, hand-entered or made here before, is left as it
    is, so nothing overlaps and a second run creates nothing. Returns created/unchanged counts."""
    counts = Counter()
    earlier = set(
        Membership.objects.filter(
            organisation__kind__in=TRUST_KINDS, valid_from__lt=TRUST_LIST_DATE
        ).values_list("organisation_id", flat=True)
    )
    counts["unchanged"] = Membership.objects.filter(source=MEMBERSHIP_SOURCE).count()
    last_day = TRUST_LIST_DATE - dt.timedelta(days=1)
    sub_systems = _sub_footprint_systems()
    new = []
    for membership in (
        Membership.objects.as_at(TRUST_LIST_DATE)
        .filter(organisation__kind__in=TRUST_KINDS)
        .exclude(organisation_id__in=earlier)
        .select_related("organisation")
        .order_by("organisation__ods_code", "system_id")
    ):
        start = max(BACKDATE_FROM, membership.organisation.opened_on or BACKDATE_FROM)
        if start > last_day:
            continue
        periods = [(membership.system_id, start, last_day)]
        sub_system = sub_systems.get(membership.organisation.ods_code)
        if sub_system is not None:
            system_id, absorbed_on = sub_system
            if start < absorbed_on <= last_day:
                periods = [
                    (system_id, start, absorbed_on - dt.timedelta(days=1)),
                    (membership.system_id, absorbed_on, last_day),
                ]
        new += [
            Membership(
                organisation_id=membership.organisation_id,
                system_id=system_id,
                share=membership.share,
                valid_from=valid_from,
                valid_until=valid_until,
                source=MEMBERSHIP_SOURCE,
                unverified=True,
                note=MEMBERSHIP_NOTE,
            )
            for system_id, valid_from, valid_until in periods
        ]
    bulk_create_with_history(new, Membership, default_change_reason="Illustrative demo data")
    counts["created"] = len(new)
    if new:
        bump_data_version()
    return counts


def _sub_footprint_systems() -> dict[str, tuple[int, dt.date]]:
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


def load_demo_data(*, seed: int) -> list[str]:
    """The systems app's part of `manage.py load_demo_data` (see SystemsConfig)."""
    counts = backdate_trust_memberships()
    return [
        f"Illustrative back-dated trust memberships: {counts['created']} created, "
        f"{counts['unchanged']} unchanged"
    ]
