"""Time the members download of the largest system at ten times the national data, in a
throwaway test database.

Loads the reference data plus ten times bench_pages' synthetic members (about 1,900 a
system), then downloads the largest system's members as CSV and as XLSX with the test client,
each to its last byte, and prints the median beside what django-tables2's own `as_values()`
takes to compute the same values (what every download paid before `ExportPlan`, before
writing a byte). The target is under 200 ms.
"""

import datetime as dt
import statistics

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import override_settings

from core.benchmarks import analyse, milliseconds, throwaway_database
from systems.management.commands.bench_pages import national_scale_members
from systems.models import System
from systems.reference import load_reference_data
from systems.roles import ANALYST
from systems.tables import MemberTable

AS_AT = dt.date(2026, 1, 1)
TARGET_MS = 200


class Command(BaseCommand):
    help = "Time the largest system's members download (CSV, XLSX) at ten times national data."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--scale", type=int, default=10)

    def handle(self, *args, runs, scale, **options):
        with throwaway_database():
            self.bench(runs, scale)

    def bench(self, runs: int, scale: int):
        load_reference_data()
        members = national_scale_members(scale)
        analyse()
        user = get_user_model().objects.create_user("bench-analyst")
        user.groups.add(Group.objects.get(name=ANALYST))
        client = Client()
        client.force_login(user)
        largest = (
            System.objects.annotate(
                members=Count(
                    "memberships",
                    filter=Q(memberships__valid_from__lte=AS_AT)
                    & (
                        Q(memberships__valid_until__isnull=True)
                        | Q(memberships__valid_until__gt=AS_AT)
                    ),
                )
            )
            .order_by("-members", "slug")
            .first()
        )
        url = f"/systems/{largest.slug}/?as_at={AS_AT.isoformat()}"
        self.stdout.write(
            f"{System.objects.count()} systems, {members} memberships ({scale}x national); "
            f"{largest.name}: {largest.members} members, {runs} runs each"
        )

        def download(export_format: str) -> int:
            response = client.get(url, {"_export": export_format})
            assert response.status_code == 200, (url, response.status_code)
            return len(b"".join(response.streaming_content))  # to its last byte

        def old_values() -> None:
            # The view's members table (systems/views.py), its values as the export had them.
            table = MemberTable(largest.memberships.as_at(AS_AT).select_related("organisation"))
            list(table.as_values())

        figures = {}
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for export_format in ("csv", "xlsx"):
                download(export_format)  # warm: connections, caches, the system's lookup
                figures[export_format] = milliseconds(lambda f=export_format: download(f), runs)
            figures["as_values"] = milliseconds(old_values, runs)
        figures = {name: statistics.median(timings) for name, timings in figures.items()}
        self.stdout.write(
            f"{'members download':<34}{'median ms':>10}\n"
            f"{'as_values() alone (before)':<34}{figures['as_values']:>10.1f}\n"
        )
        for export_format in ("csv", "xlsx"):
            median = figures[export_format]
            verdict = "within" if median < TARGET_MS else "OVER"
            self.stdout.write(
                f"{export_format.upper() + ' (after, whole download)':<34}{median:>10.1f}"
                f"   {verdict} the {TARGET_MS} ms target; "
                f"{median / figures['as_values']:.2f} of the time of as_values() alone"
            )
