"""What the bench commands (`make bench`) share: a throwaway database to time things in, and
the way they time a call and a page."""

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from core.caching import bump_data_version


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh test database for the block, dropped after it whatever happens: a bench loads
    national-scale data without touching the database the settings name."""
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def analyse() -> None:
    """Vacuum and refresh PostgreSQL's planner statistics, as autovacuum would after a bulk
    load, so the timings are of the plans a settled database gets (a vacuumed table lets an
    index answer a count without reading the rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def milliseconds(
    function: Callable[[], object], times: int, before: Callable[[], object] | None = None
) -> list[float]:
    """How long each of `times` calls of `function` took, in milliseconds; `before`, if
    given, is called untimed before each."""
    timings = []
    for _ in range(times):
        if before is not None:
            before()
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


class QueryCounter:
    """Counts the queries run while it wraps the connection (`connection.execute_wrapper`)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass(frozen=True)
class PageTiming:
    """Server times of a page through the test client, in milliseconds."""

    median: float
    p95: float
    cold_median: float  # the first request after a data change, with no cached fragment
    queries: int


def time_page(client, url: str, runs: int) -> PageTiming:
    """Request `url` once to warm caches and connections, then `runs` times (each must answer
    200; the queries are those of the last), then cold at least five times."""
    client.get(url)
    timings = []
    for _ in range(runs):
        counter = QueryCounter()
        # A wrapper, not CaptureQueriesContext: under production settings the request may
        # close and reopen the connection, which loses the captured log (0 queries shown).
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    cold = milliseconds(lambda: client.get(url), max(5, runs // 4), before=bump_data_version)
    return PageTiming(
        median=statistics.median(timings),
        p95=statistics.quantiles(timings, n=20)[-1],
        cold_median=statistics.median(cold),
        queries=counter.count,
    )
