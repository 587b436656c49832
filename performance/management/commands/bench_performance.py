"""Time the performance pages and the league-table query at national scale, or a multiple of
it, in a throwaway test database.

`--scale 10` loads ten times the national rows (2,200 providers, six years of months, three
standards: about 475,000 observations). The database it uses is created for the run and
dropped after, so it never touches real data. Run it on PostgreSQL (`make bench` style:
`scripts/with-postgres .venv/bin/python manage.py bench_performance --scale 10`).
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from core.benchmarks import milliseconds, throwaway_database, time_page
from performance.bench import illustrative_observations
from performance.models import Observation, Standard
from performance.periods import Period
from performance.queries import _with_membership, standard_figures_by_system
from systems.reference import load_reference_data
from systems.roles import ANALYST


class Command(BaseCommand):
    help = (
        "Time the performance pages at national scale times --scale (median, p95, cold); "
        "the tests hold their query counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="multiple of national rows")
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--explain", action="store_true", help="print the grouped query's plan")

    def handle(self, *args, scale, runs, explain, **options):
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on, which slows templates and queries.")
        with throwaway_database():
            self.bench(scale, runs, explain)

    def bench(self, scale, runs, explain):
        load_reference_data(include_snapshots=False)
        started = time.perf_counter()
        rows = illustrative_observations(scale=scale)
        loaded = time.perf_counter() - started
        providers = Observation.objects.values("provider").distinct().count()
        self.stdout.write(
            f"{connection.vendor}, scale {scale}: {rows:,} observations of {providers:,} "
            f"providers loaded in {loaded:.1f} s; {runs} runs each\n"
        )
        standard = Standard.objects.get(code="ae-4-hour")
        period = Period.from_slug("2019-20")
        if explain:
            query = (
                _with_membership(Observation.objects.filter(standard=standard).in_period(period))
                .order_by()
                .values("member__system")
            )
            self.stdout.write(str(query.explain(analyze=connection.vendor == "postgresql")))
        timings = milliseconds(lambda: standard_figures_by_system(standard, period), runs)
        self.stdout.write(
            f"{'system_figures query':<28}{statistics.median(timings):>10.1f} ms median"
        )
        user = get_user_model().objects.create_user("bench-analyst")
        user.groups.add(Group.objects.get(name=ANALYST))
        client = Client()
        client.force_login(user)
        pages = [
            ("league table", "/performance/ae-4-hour/2019-20/"),
            ("league table CSV", "/performance/ae-4-hour/2019-20/?_export=csv"),
            ("system trend", "/systems/greater-manchester/performance/"),
            ("wave 1 against others", "/performance/compare/2019-20/?group=wave-1"),
        ]
        self.stdout.write(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'cold median':>13}")
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for name, url in pages:
                timing = time_page(client, url, runs)
                self.stdout.write(
                    f"{name:<28}{timing.median:>10.1f}{timing.p95:>10.1f}"
                    f"{timing.cold_median:>13.1f}"
                )
