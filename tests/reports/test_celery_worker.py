"""The real thing: a Redis server and a separate Celery worker process build a summary that a
user requests over HTTP, then downloads; a worker killed mid-build does not lose it, nor leave
it "being built" until Redis hands its message out again (an hour): the page polling it finds
the build silent after REPORTS_STALL_SECONDS and has it built again, or failed saying why.

PostgreSQL only: the worker is another process and must see the test's committed data in
the same database, which SQLite's in-memory test database cannot share. Run with
`scripts/with-postgres .venv/bin/pytest tests/reports` (or `make test`).
"""

import contextlib
import http.cookiejar
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from ics_tracker.celery import app as celery_app
from reports.models import BoardSummary, BuildStatus

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-1234"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the Celery worker is a separate process and must read the "
            "test's committed data (run under scripts/with-postgres)"
        )
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (Debian package redis-server)")


@pytest.fixture
def redis_url(postgres_only, tmp_path):
    """A private Redis on a free port, in a temporary directory, with nothing saved to disk."""
    port = free_port()
    directory = tmp_path / "redis"
    directory.mkdir()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--dir", str(directory),
            "--save", "",
            "--appendonly", "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@contextlib.contextmanager
def sending_to(broker_url: str):
    """This process (the web side) sends tasks to `broker_url` instead of running them
    in-process."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager")}

    def reset_connections():
        # Pools made for another broker URL are dropped; the next send makes new ones.
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.update(broker_url=broker_url, task_always_eager=False)
    reset_connections()
    try:
        yield broker_url
    finally:
        conf.update(saved)
        reset_connections()


@pytest.fixture
def broker(redis_url):
    with sending_to(redis_url):
        yield redis_url


def database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """`celery -A ics_tracker worker` as a separate process, in its own process group so that
    killing it also kills the browser it started."""

    def __init__(
        self,
        broker_url: str,
        media_root: Path,
        log: Path,
        visibility_timeout: int,
        charts: bool,
        stall_seconds: int,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "CELERY_RESTORE_INTERVAL": "1",
            "DJANGO_MEDIA_ROOT": str(media_root),
            "DJANGO_DEBUG": "1",
            "DATABASE_CONN_MAX_AGE": "0",
            "REPORTS_CHARTS": "1" if charts else "0",
            "REPORTS_STALL_SECONDS": str(stall_seconds),
        }
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A", "ics_tracker", "worker",
                "--pool=solo", "--loglevel=info", "--without-gossip", "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(broker, tmp_path):
    workers = []
    log = tmp_path / "worker.log"

    def start(visibility_timeout: int = 3600, charts: bool = False) -> Worker:
        worker = Worker(
            broker,
            settings.MEDIA_ROOT,
            log,
            visibility_timeout,
            charts,
            stall_seconds=settings.REPORTS_STALL_SECONDS,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    print(log.read_text(errors="replace")[-5000:])


class Browser:
    """A user over HTTP: cookies, CSRF and all, against the live server."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str):
        return self.opener.open(self.base_url + path, timeout=30)

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={"Referer": self.base_url + path}
        )
        return self.opener.open(request, timeout=30)

    def log_in(self, username: str):
        self.get("/login/").read()
        self.post("/login/", {"username": username, "password": PASSWORD}).read()


@pytest.fixture
def user_browser(live_server, analyst, small_world):
    analyst.set_password(PASSWORD)
    analyst.save()
    browser = Browser(live_server.url)
    browser.log_in(analyst.username)
    return browser


def request_over_http(browser: Browser, world) -> int:
    browser.get("/reports/").read()
    response = browser.post(
        "/reports/",
        {"year": world["year"].pk, "as_at": "2018-09-27", "scope": "all", "format": "pdf"},
    )
    match = re.search(r"/reports/(\d+)/$", response.geturl())
    assert match, response.geturl()
    return int(match.group(1))


def wait_for(browser: Browser, summary_id: int, timeout: float = 120) -> dict:
    import json

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.load(browser.get(f"/reports/{summary_id}/status/"))
        if status["finished"]:
            return status
        time.sleep(0.5)
    pytest.fail(f"summary {summary_id} not finished after {timeout} s: {status}")


def test_worker_builds_what_a_user_requests_over_http(user_browser, small_world, start_worker):
    start_worker()
    summary_id = request_over_http(user_browser, small_world)
    status = wait_for(user_browser, summary_id)
    assert status["status"] == "done", status
    download = user_browser.get(status["download_url"])
    assert download.headers["Content-Type"] == "application/pdf"
    content = download.read()
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Integrated care systems: board summary" in text
    summary = BoardSummary.objects.get(pk=summary_id)
    assert summary.attempts == 1 and summary.task_id
    # The same request again is the same summary, not a second build.
    assert request_over_http(user_browser, small_world) == summary_id
    assert BoardSummary.objects.get(pk=summary_id).attempts == 1


def kill_mid_build(start_worker, browser: Browser, world) -> tuple[int, float]:
    """A summary requested over HTTP, its worker killed (SIGKILL, browser and all) while it
    draws the charts, which gives a window of seconds; its id and when the worker died."""
    first = start_worker(charts=True)
    summary_id = request_over_http(browser, world)
    deadline = time.monotonic() + 60
    while BoardSummary.objects.get(pk=summary_id).status != BuildStatus.RUNNING:
        assert time.monotonic() < deadline, "the first worker never started the build"
        time.sleep(0.05)
    first.kill()
    return summary_id, time.monotonic()


def wait_while_running(browser: Browser, summary_id: int, timeout: float) -> dict:
    """Poll the summary's status, as its page does, until it is no longer being built."""
    import json

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.load(browser.get(f"/reports/{summary_id}/status/"))
        if status["status"] != BuildStatus.RUNNING:
            return status
        time.sleep(0.5)
    pytest.fail(f"summary {summary_id} still being built after {timeout} s: {status}")


STALL_SECONDS = 6
SLACK_SECONDS = 4  # one poll, and a busy machine


def test_a_worker_killed_mid_build_is_built_again_within_the_stall_limit(
    user_browser, small_world, start_worker, settings
):
    """The killed worker's message stays with Redis for the visibility timeout (the default
    hour); the page polling the summary finds its build silent after REPORTS_STALL_SECONDS,
    short here, queues it again and says so, and another worker builds it."""
    settings.REPORTS_STALL_SECONDS = STALL_SECONDS
    summary_id, killed_at = kill_mid_build(start_worker, user_browser, small_world)
    assert BoardSummary.objects.get(pk=summary_id).status == BuildStatus.RUNNING
    status = wait_while_running(user_browser, summary_id, timeout=STALL_SECONDS + SLACK_SECONDS)
    assert time.monotonic() - killed_at <= STALL_SECONDS + SLACK_SECONDS
    assert status["status"] == "queued", status
    assert status["message"] == (
        f"Queued again: the last attempt stopped responding for {STALL_SECONDS} seconds"
    )

    start_worker()
    status = wait_for(user_browser, summary_id, timeout=120)
    assert status["status"] == "done", status
    summary = BoardSummary.objects.get(pk=summary_id)
    assert summary.attempts == 2 and summary.restarts == 1
    media = Path(settings.MEDIA_ROOT) / "board-summaries"
    assert [path.name for path in media.iterdir()] == [Path(summary.file.name).name]


def test_a_worker_killed_mid_build_fails_saying_so_when_no_restart_is_left(
    user_browser, small_world, start_worker, settings
):
    settings.REPORTS_STALL_SECONDS = STALL_SECONDS
    settings.REPORTS_STALL_RESTARTS = 0
    summary_id, killed_at = kill_mid_build(start_worker, user_browser, small_world)
    status = wait_while_running(user_browser, summary_id, timeout=STALL_SECONDS + SLACK_SECONDS)
    assert time.monotonic() - killed_at <= STALL_SECONDS + SLACK_SECONDS
    assert status["status"] == "failed" and status["finished"], status
    assert status["error"].startswith(
        f"The build stopped responding: nothing was heard from it for {STALL_SECONDS} seconds"
    )
    page = user_browser.get(f"/reports/{summary_id}/").read().decode()
    assert "The summary could not be built" in page and "Try again" in page
    assert not BoardSummary.objects.get(pk=summary_id).file


def test_a_broker_that_cannot_be_reached_fails_the_request_saying_so(
    user_browser, small_world, postgres_only
):
    """Nothing listens where the broker should be: the request is failed at once with a reason
    in plain English, not left queued, and not a connection error's text."""
    with sending_to(f"redis://127.0.0.1:{free_port()}/0"):
        summary_id = request_over_http(user_browser, small_world)
    status = wait_for(user_browser, summary_id, timeout=5)
    assert status["status"] == "failed", status
    assert status["error"] == (
        "It could not be handed to the service that builds summaries, which may be stopped or "
        "unreachable."
    )
