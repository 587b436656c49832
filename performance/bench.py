"""Made-up observations for the page benchmarks (systems' `bench_pages` and
`bench_performance`).

The benchmark's data have no observations; this gives about 220 acute providers (220 times
`scale`) six years of monthly observations on every standard, marked illustrative, so the
performance pages are timed over national-scale data. Where the benchmark's members are too
few, synthetic acute trusts are added, each a member of a system from April 2016.
"""

import datetime as dt

from django.db import connection

from core.caching import bump_data_version
from systems.models import Membership, Organisation, OrganisationKind, System

from .demo import FIRST_MONTH, demo_months, is_acute
from .models import Observation, Standard
from .reference import load_standards

PROVIDERS = 220
BATCH = 5000
SOURCE = "benchmark"


def _acute_members() -> list[int]:
    members = Membership.objects.filter(
        organisation__kind__in=[OrganisationKind.ACUTE_TRUST, OrganisationKind.NHS_TRUST]
    ).values_list("organisation_id", "organisation__kind", "organisation__name")
    return sorted({pk for pk, kind, name in members if is_acute(kind, name)})


def _add_providers(count: int) -> list[int]:
    """`count` synthetic acute trusts, spread over today's systems, members since April 2016."""
    systems = list(System.objects.current_as_at(dt.date.today()).values_list("pk", flat=True))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                ods_code=f"BP{n:05d}",
                name=f"Benchmark acute trust {n}",
                kind=OrganisationKind.ACUTE_TRUST,
                source=SOURCE,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                organisation=organisation,
                system_id=systems[n % len(systems)],
                valid_from=FIRST_MONTH,
                source=SOURCE,
            )
            for n, organisation in enumerate(organisations)
        ],
        batch_size=BATCH,
    )
    return [organisation.pk for organisation in organisations]


def illustrative_observations(*, scale: int = 1) -> int:
    """Observations for PROVIDERS x `scale` acute providers, every standard, April 2016 to
    March 2022; returns how many rows were written. Values are deterministic, not random:
    the benchmark times reading them, not their spread."""
    load_standards()
    wanted = PROVIDERS * scale
    providers = _acute_members()[:wanted]
    if len(providers) < wanted:
        providers += _add_providers(wanted - len(providers))
    months = demo_months()
    standards = list(Standard.objects.values_list("pk", flat=True))
    # The shipped real A&E months keep their real figures only, as the demo data do.
    real = set(Observation.objects.filter(illustrative=False).values_list("standard_id", "month"))
    rows, written = [], 0
    for n, provider in enumerate(providers):
        for s, standard in enumerate(standards):
            for m, month in enumerate(months):
                if (standard, month) in real:
                    continue
                denominator = 1000 + (n * 37 + m * 11 + s * 101) % 9000
                share = 0.78 + ((n * 7 + m * 3 + s * 5) % 19) / 100
                rows.append(
                    Observation(
                        provider_id=provider,
                        standard_id=standard,
                        month=month,
                        numerator=int(denominator * share),
                        denominator=denominator,
                        illustrative=True,
                        source=SOURCE,
                    )
                )
        if len(rows) >= BATCH:
            Observation.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
            rows = []
    Observation.objects.bulk_create(rows, batch_size=BATCH)
    written += len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE performance_observation, systems_membership, systems_organisation"
            )
    bump_data_version()  # bulk_create sends no signals
    return written


def bench_pages() -> list[tuple[str, str]]:
    """The performance pages `manage.py bench_pages` times, on national-scale observations."""
    illustrative_observations(scale=1)
    busiest = System.objects.get(slug="greater-manchester")
    return [
        ("performance league", "/performance/ae-4-hour/2019-20/"),
        ("performance league CSV", "/performance/ae-4-hour/2019-20/?_export=csv"),
        ("performance league Q3", "/performance/cancer-62-day/2019-20-q3/"),
        ("performance league A&E 2017/18 (real)", "/performance/ae-4-hour/2017-18/"),
        ("performance system", f"/systems/{busiest.slug}/performance/"),
        ("performance compare", "/performance/compare/2019-20/?group=wave-1"),
        ("performance index", "/performance/"),
    ]
