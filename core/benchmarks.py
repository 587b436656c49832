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

    def fetch():
        response = client.get(url)
        if response.streaming:  # a download is timed until its last byte
            b"".join(response.streaming_content)
        return response

    fetch()
    timings = []
    for _ in range(runs):
        counter = QueryCounter()
        # A wrapper, not CaptureQueriesContext: under production settings the request may
        # close and reopen the connection, which loses the captured log (0 queries shown).
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = fetch()
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    cold = milliseconds(fetch, max(5, runs // 4), before=bump_data_version)
    return PageTiming(
        median=statistics.median(timings),
        p95=statistics.quantiles(timings, n=20)[-1],
        cold_median=statistics.median(cold),
        queries=counter.count,
    )


@contextmanager
def gunicorn_server(*, settings_module: str, environment: dict, workers: int = 2) -> Iterator[str]:
    """A gunicorn serving the project on a free local port for the block, with production
    settings from the environment plus `environment`; yields its address
    (http://127.0.0.1:PORT) once it answers, and stops it after, whatever happens."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"http://127.0.0.1:{port}"
    command = [
        *(sys.executable, "-m", "gunicorn", "ics_tracker.wsgi"),
        *("--workers", str(workers), "--bind", f"127.0.0.1:{port}"),
        *("--log-level", "warning"),
    ]
    env = {**os.environ, **environment, "DJANGO_SETTINGS_MODULE": settings_module}
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped on starting (exit {server.returncode})")
            try:
                urllib.request.urlopen(address + "/login/", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 s") from None
                time.sleep(0.2)
        yield address
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass(frozen=True)
class Throughput:
    """Requests a second that `clients` concurrent clients got answered, and the median
    latency they saw, over `seconds`."""

    requests: int
    seconds: float
    median_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _run(coroutine):
    """Run `coroutine` to its end in a thread of its own, so the load generator works whether
    or not this thread already runs an event loop (Playwright's sync API leaves one running in
    a test process that has opened a browser)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _get(host: str, port: int, path: str, headers: dict) -> tuple[int, bytes]:
    """One HTTP/1.1 GET on a new connection (gunicorn's sync workers close each one); the
    status and the whole body as sent (compressed if the server compressed it)."""
    import asyncio

    reader, writer = await asyncio.open_connection(host, port)
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def throughput(
    address: str, path: str, *, headers: dict, clients: int = 8, seconds: float = 5.0
) -> Throughput:
    """`clients` clients each requesting `path` one after another for `seconds` (after one
    request each to warm up); every answer must be 200."""
    import asyncio
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    host, port = parts.hostname, parts.port

    async def client(until: float, latencies: list[float]) -> None:
        while time.perf_counter() < until:
            started = time.perf_counter()
            status, _ = await _get(host, port, path, headers)
            if status != 200:
                raise AssertionError(f"{path} answered {status}")
            latencies.append((time.perf_counter() - started) * 1000)

    async def run() -> Throughput:
        await asyncio.gather(*(_get(host, port, path, headers) for _ in range(clients)))
        latencies: list[float] = []
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(client(until, latencies) for _ in range(clients)))
        elapsed = time.perf_counter() - started
        return Throughput(len(latencies), elapsed, statistics.median(latencies))

    return _run(run())


def latency_ms(address: str, path: str, *, headers: dict) -> float:
    """How long one request of `path` takes to be answered in full, in milliseconds."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    started = time.perf_counter()
    status, _ = _run(_get(parts.hostname, parts.port, path, headers))
    if status != 200:
        raise AssertionError(f"{path} answered {status}")
    return (time.perf_counter() - started) * 1000


def fetched_urls(address: str, path: str, *, cookies: list[dict]) -> list[str]:
    """Every address a fresh browser (Debian's Chromium through Playwright, nothing cached)
    fetches to show `path`, including the scripts a page loads only when it draws a chart."""
    from playwright.sync_api import sync_playwright

    from reports.images import browser_path

    urls: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            context = browser.new_context()
            context.add_cookies(cookies)
            page = context.new_page()
            page.on("request", lambda request: urls.append(request.url))
            response = page.goto(address + path, wait_until="networkidle")
            if response is None or response.status != 200:
                raise AssertionError(f"{path} answered {response and response.status}")
        finally:
            browser.close()
    return [url for url in urls if url.startswith(address) and not url.startswith("data:")]


def transfer_bytes(address: str, urls: list[str], *, headers: dict) -> int:
    """The bodies of `urls` as the server sends them to a client accepting `headers`
    (compressed where it compresses), in bytes, added up."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)

    async def fetch_all() -> int:
        total = 0
        for url in urls:
            target = urlsplit(url)
            path = target.path + (f"?{target.query}" if target.query else "")
            status, body = await _get(parts.hostname, parts.port, path, headers)
            if status != 200:
                raise AssertionError(f"{path} answered {status}")
            total += len(body)
        return total

    return _run(fetch_all())
