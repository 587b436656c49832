"""Time loading the shipped real A&E file (NHS England, April 2016 to March 2019) into a fresh
database, loading it again (which writes nothing), and the A&E league table for 2017/18 on the
real figures, in a throwaway database (`make bench`; PostgreSQL through scripts/with-postgres).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.test import Client
from django.test.utils import override_settings

from core.benchmarks import analyse, throwaway_database, time_page
from performance.models import Observation
from performance.reference import (
    MEMBERSHIP_SOURCE,
    NAMED_SOURCE,
    PLACEHOLDER_SOURCE,
    load_real_ae,
)
from systems.models import Membership, Organisation
from systems.reference import load_reference_data
from systems.roles import ANALYST

BUDGET_SECONDS = 5
LEAGUE = "/performance/ae-4-hour/2017-18/"


class Command(BaseCommand):
    help = "Time loading the shipped real A&E figures and the A&E league table for 2017/18."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs, **options):
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on, which slows templates and queries.")
        with throwaway_database():
            self.bench(runs)

    def bench(self, runs):
        load_reference_data()  # with the snapshots, as `make run`; it loads the A&E file too
        # Take away what the A&E load made, so it is timed as into a fresh database that has
        # every other reference row.
        Observation.objects.all().delete()
        Membership.objects.filter(source=MEMBERSHIP_SOURCE).delete()
        Organisation.objects.filter(source__in=[NAMED_SOURCE, PLACEHOLDER_SOURCE]).delete()
        analyse()
        started = time.perf_counter()
        summary = load_real_ae()
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        again = load_real_ae()
        reloaded = time.perf_counter() - started
        written = sum(c["created"] + c["updated"] for c in summary.counts.values())
        rewritten = sum(c["created"] + c["updated"] for c in again.counts.values())
        verdict = "within" if loaded < BUDGET_SECONDS else "OVER"
        self.stdout.write(
            f"real A&E load: {written:,} rows in {loaded:.2f} s ({verdict} the "
            f"{BUDGET_SECONDS} s budget); again: {rewritten} rows in {reloaded:.2f} s"
        )
        analyse()
        user = get_user_model().objects.create_user("bench-analyst")
        user.groups.add(Group.objects.get(name=ANALYST))
        client = Client()
        client.force_login(user)
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            timing = time_page(client, LEAGUE, runs)
        self.stdout.write(
            f"A&E league 2017/18 (real): {timing.median:.1f} ms median, {timing.p95:.1f} ms "
            f"p95, {timing.cold_median:.1f} ms cold, {timing.queries} queries"
        )
