"""Time importing the national practice mapping into a fresh throwaway database.

By default the shipped January 2022 file (6,527 practices); `--path` times another. Prints the
seconds, the queries, and the counts the dashboard then shows. The database is created for the
run and dropped after.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.benchmarks import throwaway_database
from systems.importers import ImportHasErrors, import_file
from systems.models import Organisation, OrganisationKind, System
from systems.reference import SNAPSHOT_DIR, load_reference_data

DEFAULT = SNAPSHOT_DIR / "gp-reg-pat-prac-map-2022-01.csv"


class Command(BaseCommand):
    help = "Time importing the national GP practice mapping into a fresh database."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT)

    def handle(self, *args, path, **options):
        with throwaway_database():
            load_reference_data(include_snapshots=False)
            raw = path.read_bytes()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                try:
                    parsed, summary = import_file("practice-mapping", raw, source_note=path.name)
                except ImportHasErrors as refused:
                    for issue in refused.parsed.errors[:20]:
                        self.stderr.write(str(issue))
                    raise CommandError(f"{path.name} was refused: {refused}") from refused
                seconds = time.perf_counter() - started
            self.stdout.write(
                f"{connection.vendor}: imported {path.name} ({len(raw) / 1024 / 1024:.1f} MB, "
                f"{parsed.as_at:%d %b %Y}) in {seconds:.2f} s with "
                f"{len(queries.captured_queries)} queries"
            )
            for line in summary.lines():
                self.stdout.write(f"  {line}")
            day = parsed.as_at
            counts = {
                kind.label: Organisation.objects.filter(kind=kind, memberships__valid_from__lte=day)
                .distinct()
                .count()
                for kind in (
                    OrganisationKind.GP_PRACTICE,
                    OrganisationKind.PCN,
                    OrganisationKind.CCG,
                )
            }
            systems = System.objects.filter(memberships__valid_from=day).distinct()
            regions = systems.values("footprints__footprint__region").distinct().count()
            self.stdout.write(
                "  members on the date: "
                + ", ".join(f"{n:,} {label}s" for label, n in counts.items())
                + f" in {systems.count()} systems in {regions} regions"
            )
            verdict = "within" if seconds < 10 else "OVER"
            self.stdout.write(f"{seconds:.2f} s: {verdict} the 10 s budget")
