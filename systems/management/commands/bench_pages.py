"""Time every dashboard page at national scale, in a throwaway test database.

Loads the reference data plus synthetic member organisations at national scale (about 8,000
memberships over the 42 systems), then requests each page repeatedly with the test client and
prints the median and 95th-percentile server time and the query count. The database it uses is
created for the run and dropped after, so it never touches real data.
"""

import datetime as dt
import statistics

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from core.benchmarks import analyse, milliseconds, throwaway_database, time_page
from systems.models import Membership, Organisation, OrganisationKind, System
from systems.reference import load_reference_data
from systems.roles import ANALYST

PER_SYSTEM = {
    OrganisationKind.ACUTE_TRUST: 4,
    OrganisationKind.MENTAL_HEALTH_TRUST: 1,
    OrganisationKind.CCG: 3,
    OrganisationKind.PCN: 30,
    OrganisationKind.GP_PRACTICE: 155,
}


def national_scale_members(scale: int = 1):
    """Synthetic members in every current system: PER_SYSTEM of each kind, `scale` times over
    (10 for ten times the national data)."""
    start = dt.date(2016, 4, 1)  # members in every financial year the demo data covers
    systems = list(System.objects.current_as_at(dt.date.today()))
    organisations = []
    for system in systems:
        for kind, count in PER_SYSTEM.items():
            organisations += [
                Organisation(
                    ods_code=f"B{system.pk:02d}{kind[:2].upper()}{n:03d}",
                    name=f"Benchmark {kind} {n} of {system.name}",
                    kind=kind,
                    opened_on=start,
                )
                for n in range(count * scale)
            ]
    Organisation.objects.bulk_create(organisations, batch_size=2000)
    by_code = {o.ods_code: o for o in Organisation.objects.filter(name__startswith="Benchmark")}
    memberships = [
        Membership(
            organisation=by_code[code],
            system_id=int(code[1:3]),
            valid_from=start,
            source="benchmark",
        )
        for code in by_code
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000)
    return len(memberships)


class Command(BaseCommand):
    help = "Time every dashboard page at national scale (median, p95, queries)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, runs, **options):
        if settings.DEBUG:
            self.stderr.write(
                "Warning: DEBUG is on, which slows templates and queries; `make bench` runs "
                "with production settings."
            )
        with throwaway_database():
            self.bench(runs)

    def bench(self, runs):
        load_reference_data()
        members = national_scale_members()
        # Other apps add their pages (and the data they need) through an AppConfig hook,
        # `bench_pages() -> [(name, url)]`, so systems never imports them.
        app_pages = [
            page
            for config in apps.get_app_configs()
            if hasattr(config, "bench_pages")
            for page in config.bench_pages()
        ]
        analyse()
        user = get_user_model().objects.create_user("bench-analyst")
        user.groups.add(Group.objects.get(name=ANALYST))
        client = Client()
        client.force_login(user)
        busiest = System.objects.get(slug="greater-manchester")
        pages = [
            ("overview", "/"),
            ("overview 1 Oct 2018", "/?as_at=2018-10-01"),
            ("systems", "/systems/?as_at=2026-01-01"),
            ("systems filtered", "/systems/?status=ics&as_at=2018-10-01"),
            ("systems CSV export", "/systems/?_export=csv&as_at=2026-01-01"),
            ("systems XLSX export", "/systems/?_export=xlsx&as_at=2026-01-01"),
            ("system detail", f"/systems/{busiest.slug}/?as_at=2026-01-01"),
            ("system members CSV", f"/systems/{busiest.slug}/?_export=csv&as_at=2026-01-01"),
            ("waves", "/waves/"),
            ("wave 1", "/waves/wave-1/"),
            *app_pages,
        ]
        self.stdout.write(
            f"{connection.vendor}, {System.objects.count()} systems, {members} memberships, "
            f"{runs} runs per page\n"
        )
        self.stdout.write(
            f"{'page':<24}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'cold median':>13}"
        )
        worst = 0.0
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for name, url in pages:
                timing = time_page(client, url, runs)
                worst = max(worst, timing.median)
                self.stdout.write(
                    f"{name:<24}{timing.median:>10.1f}{timing.p95:>10.1f}{timing.queries:>9}"
                    f"{timing.cold_median:>13.1f}"
                )
        verdict = "within" if worst < 100 else "OVER"
        self.stdout.write(
            f"\nslowest median {worst:.1f} ms: {verdict} the 100 ms page budget "
            "(cold: first request after a data change, fragments rebuilt)"
        )
        self.bench_computations(runs)

    def bench_computations(self, runs):
        """Computations apps time outside a page, through an AppConfig hook
        `bench_computations() -> [(name, function, budget in ms)]`."""
        computations = [
            computation
            for config in apps.get_app_configs()
            if hasattr(config, "bench_computations")
            for computation in config.bench_computations()
        ]
        if not computations:
            return
        self.stdout.write(f"\n{'computation':<56}{'median ms':>10}{'budget ms':>10}")
        for name, function, budget in computations:
            function()  # warm
            median = statistics.median(milliseconds(function, max(5, runs // 3)))
            verdict = "within" if median < budget else "OVER"
            self.stdout.write(f"{name:<56}{median:>10.1f}{budget:>10.0f}  {verdict}")
