"""Requests a second of the busiest pages under gunicorn, beside a plain-template baseline.

Loads the same national-scale data as `bench_pages` into a throwaway PostgreSQL database, then
starts gunicorn (production settings from the environment, 2 workers: one per core here) and
sends 8 concurrent clients at each page in turn: the systems list, the busiest system's page,
a finance year and a performance league table. Beside each, in the same run and alternating
with it, the same clients request a plain template showing the same rows from the cache
(`ics_tracker.bench_baseline`): the yardstick a page's throughput is divided by. Then, one
client at a time, each page's cold request (the first after a data change) against its warm
median, and what a fresh browser downloads to show each page, compressed.
"""

import csv
import io
import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from core.benchmarks import (
    analyse,
    fetched_urls,
    gunicorn_server,
    latency_ms,
    throughput,
    throwaway_database,
    transfer_bytes,
)
from core.caching import bump_data_version
from systems.management.commands.bench_pages import national_scale_members
from systems.reference import load_reference_data
from systems.roles import ANALYST

AS_AT = "2026-01-01"
BUSIEST = "greater-manchester"
# Targets, as issue 17 sets them: a page's throughput over its baseline's, cold over warm,
# and what a page weighs in total, compressed.
LIST_RATIO, DETAIL_RATIO, COLD_RATIO = 0.8, 0.5, 3.0
PLAIN_PAGE_KB, CHART_PAGE_KB = 100, 600
BASELINE_ROWS = 50  # a page's rows on screen: the first page of them


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    ratio_target: float
    key: str  # its baseline's name

    @property
    def export_path(self) -> str:
        return self.path + ("&" if "?" in self.path else "?") + "_export=csv"


class Command(BaseCommand):
    help = (
        "Requests a second of the busiest pages under gunicorn with 8 clients, beside a "
        "plain-template baseline over the same rows; cold against warm; page weights."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=4.0, help="per measurement")
        parser.add_argument("--rounds", type=int, default=2, help="page and baseline alternate")
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, seconds, rounds, clients, workers, **options):
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on; `make bench` runs with production settings.")
        with throwaway_database():
            self.bench(seconds, rounds, clients, workers)

    def bench(self, seconds, rounds, clients, workers):
        load_reference_data()
        national_scale_members()
        app_pages = dict(
            page
            for config in apps.get_app_configs()
            if hasattr(config, "bench_pages")
            for page in config.bench_pages()
        )
        analyse()
        pages = [
            Page("systems", f"/systems/?as_at={AS_AT}", LIST_RATIO, "systems"),
            Page("system detail", f"/systems/{BUSIEST}/?as_at={AS_AT}", DETAIL_RATIO, "detail"),
            Page("finance year", app_pages["finance year"], LIST_RATIO, "finance"),
            Page("league table", app_pages["performance league"], LIST_RATIO, "league"),
        ]
        client = self.signed_in_client()
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        with tempfile.TemporaryDirectory() as directory:
            rows_file = Path(directory) / "baseline-rows.json"
            rows_file.write_text(json.dumps(self.baseline_rows(client, pages)), encoding="utf-8")
            environment = {
                "DATABASE_URL": self.database_url(),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "BENCH_BASELINE_ROWS": str(rows_file),
            }
            with gunicorn_server(
                settings_module="ics_tracker.bench_settings",
                environment=environment,
                workers=workers,
            ) as address:
                headers = {
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                    "Accept-Encoding": "gzip",
                }
                self.stdout.write(
                    f"\nThroughput: gunicorn, {workers} workers, production settings, "
                    f"{connection.vendor}; {clients} concurrent clients, {rounds} x "
                    f"{seconds:g} s a page and as long for its baseline, alternating"
                )
                self.throughputs(address, pages, headers, clients, seconds, rounds)
                self.cold_and_warm(address, pages, headers)
                self.weights(address, pages, session)

    def signed_in_client(self) -> Client:
        user = get_user_model().objects.create_user("bench-throughput")  # no usable password
        user.groups.add(Group.objects.get(name=ANALYST))
        client = Client()
        client.force_login(user)
        return client

    def baseline_rows(self, client, pages) -> dict[str, list[list[str]]]:
        """Each page's rows, from its own CSV export: the header and the first page of rows."""
        rows = {}
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for page in pages:
                response = client.get(page.export_path)
                assert response.status_code == 200, (page.export_path, response.status_code)
                body = b"".join(response) if response.streaming else response.content
                text = body.decode("utf-8-sig")
                rows[page.key] = list(csv.reader(io.StringIO(text)))[: BASELINE_ROWS + 1]
        return rows

    def database_url(self) -> str:
        """The throwaway database's address, for gunicorn's workers."""
        db = connection.settings_dict
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{db['NAME']}"

    def throughputs(self, address, pages, headers, clients, seconds, rounds):
        self.stdout.write(
            f"{'page':<16}{'req/s':>8}{'median ms':>11}{'baseline req/s':>16}"
            f"{'ratio':>7}{'target':>8}"
        )
        for page in pages:
            measured = {"page": [], "baseline": []}
            for _ in range(rounds):
                for kind, path in (("page", page.path), ("baseline", f"/bench/plain/{page.key}/")):
                    measured[kind].append(
                        throughput(address, path, headers=headers, clients=clients, seconds=seconds)
                    )
            rate = sum(t.requests for t in measured["page"]) / sum(
                t.seconds for t in measured["page"]
            )
            base = sum(t.requests for t in measured["baseline"]) / sum(
                t.seconds for t in measured["baseline"]
            )
            median = statistics.median(t.median_ms for t in measured["page"])
            ratio = rate / base
            verdict = "met" if ratio >= page.ratio_target else "NOT MET"
            self.stdout.write(
                f"{page.name:<16}{rate:>8.1f}{median:>11.1f}{base:>16.1f}{ratio:>7.2f}"
                f"{'>= ' + format(page.ratio_target, 'g'):>8}  {verdict}"
            )

    def cold_and_warm(self, address, pages, headers, warm_runs=15, cold_runs=5):
        """One client: a page's warm median, and its median first request after a change."""
        self.stdout.write(
            f"\nCold against warm (one client; cold: the first request after a data change)\n"
            f"{'page':<16}{'warm ms':>9}{'cold ms':>9}{'ratio':>7}{'target':>8}"
        )
        for page in pages:
            for _ in range(4):  # both workers warm
                latency_ms(address, page.path, headers=headers)
            warm = statistics.median(
                latency_ms(address, page.path, headers=headers) for _ in range(warm_runs)
            )
            colds = []
            for _ in range(cold_runs):
                bump_data_version()
                colds.append(latency_ms(address, page.path, headers=headers))
            cold = statistics.median(colds)
            verdict = "met" if cold <= COLD_RATIO * warm else "NOT MET"
            self.stdout.write(
                f"{page.name:<16}{warm:>9.1f}{cold:>9.1f}{cold / warm:>7.1f}"
                f"{'<= ' + format(COLD_RATIO, 'g'):>8}  {verdict}"
            )

    def weights(self, address, pages, session):
        """What a fresh browser downloads to show each page, compressed as a browser over
        HTTPS asks (brotli where the server has it, else gzip) and over plain HTTP (gzip)."""
        cookie = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": session,
            "url": address,
        }
        weighed = [
            ("overview (map)", f"/?as_at={AS_AT}"),
            *((page.name, page.path) for page in pages),
            ("waves", "/waves/"),
        ]
        self.stdout.write(
            "\nPage weight: everything a fresh browser fetches to show the page, compressed\n"
            f"{'page':<16}{'files':>6}{'brotli KB':>11}{'gzip KB':>9}{'charts':>8}{'target':>10}"
        )
        for name, path in weighed:
            urls = fetched_urls(address, path, cookies=[cookie])
            cookie_header = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
            brotli = transfer_bytes(
                address, urls, headers={**cookie_header, "Accept-Encoding": "br, gzip"}
            )
            gzip = transfer_bytes(
                address, urls, headers={**cookie_header, "Accept-Encoding": "gzip"}
            )
            charts = any("/vendor/plotly/" in url for url in urls)
            target = CHART_PAGE_KB if charts else PLAIN_PAGE_KB
            verdict = "met" if brotli / 1024 < target else "NOT MET"
            self.stdout.write(
                f"{name:<16}{len(urls):>6}{brotli / 1024:>11.0f}{gzip / 1024:>9.0f}"
                f"{'yes' if charts else 'no':>8}{'< ' + str(target) + ' KB':>10}  {verdict}"
            )
