"""Time board summary PDFs of every system, with charts, in a throwaway test database.

Loads the reference data (with the shipped snapshots) and the illustrative demo figures, as
`make run` does, then builds the PDF of all systems for 2021/22 as at 1 April 2022 (the 42
ICSs) and for 2017/18 as at 27 September 2018 (the board paper's date), each several times,
and prints the median and slowest wall time and the CPU time of this process: cold (no chart
image cached, so the browser draws every chart) and warm (the images cached, as for a second
paper on unchanged data). The database is created for the run and dropped after.
"""

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.benchmarks import analyse, throwaway_database
from finance.models import FinancialYear
from reports.images import CACHE_PREFIX, ChartImageError, browser_path, image_key
from reports.paper import compose_document, write_document
from reports.sections import SummaryScope
from systems.models import System
from systems.reference import load_reference_data

BUDGET_SECONDS = 10
CASES = [
    ("all systems 2021/22, as at 1 Apr 2022", 2021, dt.date(2022, 4, 1)),
    ("all systems 2017/18, as at 27 Sep 2018", 2017, dt.date(2018, 9, 27)),
]


class Command(BaseCommand):
    help = "Time the PDF board summary of every system with charts (budget 10 s)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, runs, **options):
        with throwaway_database():
            self.bench(runs)

    def bench(self, runs):
        load_reference_data()
        call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
        analyse()
        if not settings.REPORTS_CHARTS:
            self.stderr.write("Warning: REPORTS_CHARTS is off, so no charts are drawn.")
        try:
            browser = browser_path() if settings.REPORTS_CHARTS else "nothing"
        except ChartImageError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"\nBoard summary PDFs, {connection.vendor}, {runs} runs each, charts drawn by "
            f"{browser}"
        )
        self.stdout.write(
            f"{'summary':<42}{'images':>8}{'systems':>8}{'pages':>7}{'median s':>10}"
            f"{'max s':>8}{'cpu s':>8}"
        )
        worst = 0.0
        with tempfile.TemporaryDirectory() as directory:
            for label, start_year, as_at in CASES:
                year = FinancialYear.objects.get(start_year=start_year)
                scope = SummaryScope(scope="all", as_at=as_at, year=year)
                systems = System.objects.current_as_at(as_at).count()
                charts = [CACHE_PREFIX + image_key(c) for c in compose_document(scope).charts]
                times = {"cold": ([], []), "warm": ([], [])}
                path = Path(directory) / f"summary-{start_year}.pdf"
                for _ in range(runs):
                    cache.delete_many(charts)
                    for images in ("cold", "warm"):
                        walls, cpus = times[images]
                        started, cpu = time.perf_counter(), time.process_time()
                        write_document(compose_document(scope), "pdf", path)
                        walls.append(time.perf_counter() - started)
                        cpus.append(time.process_time() - cpu)
                from pypdf import PdfReader

                pages = len(PdfReader(path).pages)
                for images, (walls, cpus) in times.items():
                    median = statistics.median(walls)
                    worst = max(worst, median)
                    self.stdout.write(
                        f"{label:<42}{images:>8}{systems:>8}{pages:>7}{median:>10.1f}"
                        f"{max(walls):>8.1f}{statistics.median(cpus):>8.1f}"
                    )
        verdict = "within" if worst < BUDGET_SECONDS else "OVER"
        self.stdout.write(
            f"\nslowest median {worst:.1f} s: {verdict} the {BUDGET_SECONDS} s budget "
            "(cpu: this process; the chart browser runs beside it)"
        )
