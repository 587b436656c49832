"""Illustrative monthly performance, so the performance pages have something to show.

The demonstration observations are made up: every one is stored with `illustrative=True` and
the source "Illustrative demo data (not real figures)", and real observations (imported, or
entered in the admin) are never overwritten by them. A standard's month with any real figure
gets no illustrative ones at all (the shipped A&E file covers April 2016 to March 2019 for
every provider), so England's figure for such a month is wholly real.

Which providers: every acute trust that is a member of a system on the first of a month, for
each month from April 2016 to March 2022, with the illustrative back-dated memberships of
`systems.demo` for the months before the shipped trust list (October 2020). Ambulance, mental
health and community trusts report other things and get none. The shipped trust list does not
record a trust's type (its trusts are "NHS trust (type not recorded)"), so such a trust counts
as acute unless its name marks it as a mental health, community, partnership or care trust,
or it is one of the mental health trusts named in `NOT_ACUTE` (about 140 of the 204 remain).
Recording a trust's kind in the admin overrides the guess.

The figures look like the real ones without being them: A&E 4-hour mostly 85-95% with winter
dips, RTT 18-week mostly 85-92%, cancer 62-day mostly 75-85%, each drifting down a little year
on year; denominators follow the trust's size (a few thousand A&E attendances a month for a
small trust, twenty thousand and more for a large one; a few dozen cancer treatments). They are
reproducible: each value comes from a random generator seeded with (seed, ODS code, standard,
month), so the same seed gives the same figures whatever else is in the database, and a second
run changes nothing.
"""

import datetime as dt
import functools
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from core.caching import bump_data_version
from systems.demo import backdate_illustrative_memberships
from systems.models import Membership, OrganisationKind

from .formatting import ILLUSTRATIVE_SOURCE
from .importers import BATCH
from .models import Observation, Standard
from .periods import add_months, financial_year_of
from .reference import load_standards

DEFAULT_SEED = 2018
FIRST_MONTH = dt.date(2016, 4, 1)
LAST_MONTH = dt.date(2022, 3, 1)
OBSERVATION_SOURCE = ILLUSTRATIVE_SOURCE
WINTER = (12, 1, 2, 3)
# Names of trusts of unrecorded type that are not acute: generic words, then the mental
# health trusts of the shipped trust list whose names do not say so.
NOT_ACUTE = re.compile(
    r"MENTAL HEALTH|COMMUNITY|PARTNERSHIP|AMBULANCE|HEALTH AND CARE|SOCIAL CARE|"
    r"COMBINED HEALTHCARE|BOROUGHS HEALTHCARE|TAVISTOCK|MAUDSLEY|MERSEY CARE|PENNINE CARE|"
    r"OXLEAS|SOLENT|SOUTHERN HEALTH|OXFORD HEALTH|HUMBER TEACHING|"
    r"^(EAST|WEST|NORTH EAST) LONDON NHS|CENTRAL AND NORTH WEST LONDON|TEES, ESK|"
    r"CUMBRIA, NORTHUMBERLAND|LANCASHIRE & SOUTH CUMBRIA|NORFOLK AND SUFFOLK|SOUTH HUMBER|"
    r"(BERKSHIRE|DERBYSHIRE|DORSET|NOTTINGHAMSHIRE|NORTHAMPTONSHIRE) HEALTHCARE|"
    r"CAMBRIDGESHIRE AND PETERBOROUGH NHS",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Profile:
    """How a standard's illustrative figures behave."""

    usual: float  # a typical trust's share within the standard in 2016/17
    spread: float  # how far trusts differ from one another
    drift: float  # change per year (negative: worse)
    winter: float  # change in December to March
    noise: float  # month-to-month wobble
    size: tuple[int, int]  # denominator range for a trust of middling size


PROFILES = {
    "ae-4-hour": Profile(0.915, 0.025, -0.006, -0.035, 0.012, (6_000, 16_000)),
    # Type 1 (major) departments alone: fewer attendances, fewer seen within four hours.
    "ae-4-hour-type-1": Profile(0.86, 0.035, -0.01, -0.045, 0.015, (4_000, 10_000)),
    "rtt-18-weeks": Profile(0.905, 0.02, -0.006, -0.004, 0.006, (18_000, 45_000)),
    "cancer-62-day": Profile(0.83, 0.03, -0.007, -0.01, 0.035, (40, 160)),
}


@dataclass
class DemoSummary:
    counts: dict[str, Counter] = field(default_factory=dict)

    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{name} illustrative observations: {c['created']} created, {c['updated']} "
            f"updated, {c['unchanged']} unchanged, {c['real']} real ones left alone"
            for name, c in self.counts.items()
        ]


def demo_months() -> list[dt.date]:
    months, month = [], FIRST_MONTH
    while month <= LAST_MONTH:
        months.append(month)
        month = add_months(month, 1)
    return months


@functools.cache
def _character(seed: int, ods_code: str, standard_code: str) -> tuple[float, float]:
    """A trust's usual share within the standard and its usual denominator."""
    size = random.Random(f"{seed}:{ods_code}").uniform(0.5, 1.8)
    profile = PROFILES.get(standard_code, PROFILES["rtt-18-weeks"])
    own = random.Random(f"{seed}:{ods_code}:{standard_code}")
    usual = profile.usual + own.gauss(0, profile.spread)
    return usual, own.uniform(*profile.size) * size


def demo_observation(seed: int, ods_code: str, standard_code: str, month: dt.date) -> dict:
    """One acute trust's made-up numerator and denominator for one standard and month.

    A trust keeps its character (size, and how good it usually is on each standard), drawn
    from the seed and its code; each month adds season, drift and noise."""
    usual, usual_size = _character(seed, ods_code, standard_code)
    profile = PROFILES.get(standard_code, PROFILES["rtt-18-weeks"])
    rng = random.Random(f"{seed}:{ods_code}:{standard_code}:{month:%Y-%m}")
    years = financial_year_of(month) - FIRST_MONTH.year
    share = (
        usual
        + profile.drift * years
        + (profile.winter if month.month in WINTER else 0.0)
        + rng.gauss(0, profile.noise)
    )
    share = min(0.995, max(0.55, share))
    denominator = max(1, round(usual_size * rng.uniform(0.92, 1.08)))
    numerator = min(denominator, round(denominator * share))
    return {"numerator": numerator, "denominator": denominator}


def is_acute(kind: str, name: str) -> bool:
    """An acute trust, or a trust of unrecorded type whose name does not say otherwise."""
    if kind == OrganisationKind.ACUTE_TRUST:
        return True
    return kind == OrganisationKind.NHS_TRUST and not NOT_ACUTE.search(name)


def acute_trust_months(months: list[dt.date]) -> dict[int, tuple[str, list[dt.date]]]:
    """Each acute trust that is a member of a system on the first of any of `months`: its ODS
    code and those months. One query."""
    memberships = Membership.objects.filter(
        organisation__kind__in=[OrganisationKind.ACUTE_TRUST, OrganisationKind.NHS_TRUST],
        valid_from__lte=months[-1],
    ).exclude(valid_until__lt=months[0])
    spans = defaultdict(list)
    codes = {}
    for organisation_id, ods_code, kind, name, start, end in memberships.values_list(
        "organisation_id",
        "organisation__ods_code",
        "organisation__kind",
        "organisation__name",
        "valid_from",
        "valid_until",
    ):
        if not is_acute(kind, name):
            continue
        codes[organisation_id] = ods_code
        spans[organisation_id].append((start, end))
    return {
        organisation_id: (
            codes[organisation_id],
            [
                month
                for month in months
                if any(start <= month and (end is None or month <= end) for start, end in held)
            ],
        )
        for organisation_id, held in spans.items()
    }


@transaction.atomic
def load_demo_data(*, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Write illustrative observations for every acute trust member, every standard and every
    month from April 2016 to March 2022, except a standard's months that have real figures
    (the shipped A&E ones, or imported). Idempotent for a given seed; real observations are
    left alone."""
    load_standards()
    backdate_illustrative_memberships()  # done already when run through load_demo_data; cheap again
    months = demo_months()
    trusts = acute_trust_months(months)
    standards = list(Standard.objects.all())
    # A standard's month with any real figure is left wholly real: an illustrative figure for
    # a provider the real file lacks that month would count in England's total.
    real_months = set(
        Observation.objects.filter(illustrative=False, month__gte=months[0], month__lte=months[-1])
        .values_list("standard_id", "month")
        .distinct()
    )
    existing = {
        (o.provider_id, o.standard_id, o.month): o
        for o in Observation.objects.select_for_update()
        .filter(month__gte=months[0], month__lte=months[-1], provider_id__in=list(trusts))
        .only(
            "pk",
            "provider_id",
            "standard_id",
            "month",
            "numerator",
            "denominator",
            "illustrative",
            "source",
            "version",
        )
    }
    summary = DemoSummary()
    new, replaced = [], []
    for standard in standards:
        counts = summary.counts.setdefault(standard.name, Counter())
        for provider_id, (ods_code, held) in sorted(trusts.items(), key=lambda t: t[1][0]):
            for month in held:
                values = {
                    **demo_observation(seed, ods_code, standard.code, month),
                    "illustrative": True,
                    "source": OBSERVATION_SOURCE,
                }
                observation = existing.get((provider_id, standard.pk, month))
                if observation is None and (standard.pk, month) in real_months:
                    counts["real"] += 1
                elif observation is None:
                    new.append(
                        Observation(
                            provider_id=provider_id, standard=standard, month=month, **values
                        )
                    )
                    counts["created"] += 1
                elif not observation.illustrative:
                    counts["real"] += 1
                elif (standard.pk, month) in real_months:
                    replaced.append(observation.pk)  # left from before the real figures came
                    counts["real"] += 1
                elif any(getattr(observation, k) != v for k, v in values.items()):
                    replaced.append(observation.pk)
                    new.append(
                        Observation(
                            provider_id=provider_id, standard=standard, month=month, **values
                        )
                    )
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
    # Illustrative rows are written without history rows, which would double the cost of the
    # largest write of the demo data (and Django's bulk update of thousands of rows is slower
    # still, so a changed one is replaced); their source says where they came from, and a
    # real figure imported or entered over one is recorded.
    for start in range(0, len(replaced), BATCH):
        # A plain DELETE: Model.delete() would send a signal, and write a history row, per row.
        batch = Observation.objects.filter(pk__in=replaced[start : start + BATCH])
        batch._raw_delete(batch.db)
    Observation.objects.bulk_create(new, batch_size=BATCH)
    if summary.changed():
        bump_data_version()
    return summary
