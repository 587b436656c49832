"""Board summaries never hang, and never fail in words only a programmer could read.

A build says it is alive at every step; one silent for longer than REPORTS_STALL_SECONDS has
stopped and is queued again (a bounded number of times) or failed, whenever its page is
polled or the watchdog runs. The chart browser is looked up when a build starts. Every failure
reads as plain English on the summary's page and in its status. The same with a real worker
killed mid-build: tests/reports/test_celery_worker.py.
"""

import datetime as dt
import html
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import actions
from reports.failures import BuildSuperseded
from reports.images import DEFAULT_BROWSERS, ChartImageError, browser_path
from reports.models import BoardSummary, BuildStatus
from reports.tasks import enqueue_build
from tests.factories.reports import BoardSummaryFactory

pytestmark = pytest.mark.django_db(transaction=False)

CHROMIUM = next((path for path in DEFAULT_BROWSERS if os.access(path, os.X_OK)), None)
# What a reader must never be shown: a Python class name (CamelCase, or a name ending in
# Error or Exception) or a traceback.
PROGRAMMER_WORDS = re.compile(
    r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b|[A-Za-z]+(?:Error|Exception|Exceeded)\b|Traceback"
)


def silent(summary: BoardSummary, settings, *, extra_seconds: int = 1) -> BoardSummary:
    """The summary as if its build had said nothing for longer than REPORTS_STALL_SECONDS."""
    seconds = settings.REPORTS_STALL_SECONDS + extra_seconds
    BoardSummary.objects.filter(pk=summary.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds)
    )
    summary.refresh_from_db()
    return summary


def running(world, **fields) -> BoardSummary:
    return BoardSummaryFactory(
        **{
            "year": world["year"],
            "status": BuildStatus.RUNNING,
            "task_id": "task-1",
            "attempts": 1,
            "started_at": timezone.now(),
            "progress": 55,
            "progress_message": "Drawing 2 charts",
            **fields,
        }
    )


def request_and_build(client, world, django_capture_on_commit_callbacks) -> BoardSummary:
    """A PDF of all systems asked for on the page, built before this returns (no broker)."""
    data = {"year": world["year"].pk, "as_at": "2018-09-27", "scope": "all", "format": "pdf"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), data)
    return BoardSummary.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def status_of(client, summary) -> dict:
    return client.get(reverse("reports:status", args=[summary.pk])).json()


def error_on_page(client, summary) -> str:
    page = client.get(summary.get_absolute_url()).content.decode()
    match = re.search(r'<div class="nhsuk-error-summary__body">(.*?)</div>', page, re.S)
    assert match, page
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def assert_plain_english(client, summary, *, says: str) -> None:
    """The reason is on the summary's page and in its status, and reads as plain English."""
    status = status_of(client, summary)
    assert status["status"] == "failed" and status["finished"]
    assert says in status["error"], status["error"]
    assert not PROGRAMMER_WORDS.search(status["error"]), status["error"]
    on_page = error_on_page(client, summary)
    assert says in on_page
    assert not PROGRAMMER_WORDS.search(on_page), on_page


def test_polling_a_silent_build_queues_it_again_saying_so(
    analyst_client, small_world, settings, django_capture_on_commit_callbacks
):
    """The page polling a build that fell silent (its worker was killed) queues it again and
    says so; once a worker takes it up, it is built."""
    settings.REPORTS_STALL_SECONDS = 180
    summary = silent(running(small_world), settings)
    with django_capture_on_commit_callbacks() as queued:
        page = analyst_client.get(summary.get_absolute_url()).content.decode()
    assert "Queued again: the last attempt stopped responding for 3 minutes" in page
    summary.refresh_from_db()
    assert summary.status == BuildStatus.QUEUED and summary.restarts == 1
    assert summary.task_id == "" and not summary.is_stalled()
    assert len(queued) == 1  # sent to a worker once the recovery is committed

    queued[0]()  # no broker in the tests: built here and now
    status = status_of(analyst_client, summary)
    assert status["status"] == "done" and status["download_url"]
    summary.refresh_from_db()
    assert summary.attempts == 2 and summary.restarts == 1


def test_a_silent_build_fails_once_its_restarts_are_used(
    analyst_client, small_world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_STALL_SECONDS = 120
    settings.REPORTS_STALL_RESTARTS = 2
    summary = silent(running(small_world, attempts=3, restarts=2), settings)
    with django_capture_on_commit_callbacks() as queued:
        assert status_of(analyst_client, summary)["status"] == "failed"
    assert queued == []
    assert_plain_english(
        analyst_client,
        summary,
        says="The build stopped responding: nothing was heard from it for 2 minutes, so it was "
        "taken as stopped",
    )
    summary.refresh_from_db()
    assert "It was started 3 times." in summary.error
    assert not summary.file and summary.finished_at


def test_a_queued_summary_no_worker_started_fails_saying_so(analyst_client, small_world, settings):
    settings.REPORTS_STALL_SECONDS = 300
    summary = silent(BoardSummaryFactory(year=small_world["year"]), settings)
    assert_plain_english(
        analyst_client,
        summary,
        says="No worker started building it within 5 minutes of it being queued",
    )


def test_asking_again_after_a_stall_gives_the_build_its_restarts_back(
    analyst_client, small_world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_STALL_RESTARTS = 1
    summary, _ = actions.request_board_summary(
        scope="all", as_at=dt.date(2018, 9, 27), summary_format="pdf", year=small_world["year"]
    )
    actions.start_build(summary_id=summary.pk, task_id="task-1")
    BoardSummary.objects.filter(pk=summary.pk).update(restarts=1)
    summary = silent(summary, settings)
    assert status_of(analyst_client, summary)["status"] == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(reverse("reports:again", args=[summary.pk]))
    summary.refresh_from_db()
    assert summary.status == BuildStatus.DONE and summary.restarts == 0


def test_polling_a_live_build_changes_nothing_and_costs_no_more(analyst_client, small_world):
    """A build that spoke within REPORTS_STALL_SECONDS is left alone, and checking it costs
    no query beyond loading it."""
    live = running(small_world)
    done = BoardSummaryFactory(status=BuildStatus.DONE, file="board-summaries/x.pdf")
    status_of(analyst_client, done)  # the session and user are loaded the same way each time
    with CaptureQueriesContext(connection) as finished_queries:
        status_of(analyst_client, done)
    with CaptureQueriesContext(connection) as live_queries:
        assert status_of(analyst_client, live)["message"] == "Drawing 2 charts"
    assert len(live_queries) == len(finished_queries)
    live.refresh_from_db()
    assert live.status == BuildStatus.RUNNING and live.task_id == "task-1"


def test_an_attempt_taken_as_stopped_stops_without_writing(
    small_world, settings, django_capture_on_commit_callbacks
):
    """The first attempt was only slow, not dead: once the build is queued again and a second
    attempt owns it, the first stops at its next step, writes no file and cannot fail the
    second's build; the second builds it."""
    summary = BoardSummaryFactory(year=small_world["year"])
    first = actions.start_build(summary_id=summary.pk, task_id="task-1")
    silent(first, settings)
    with django_capture_on_commit_callbacks():  # the broker is left out: started by hand
        assert actions.recover_stalled_builds(enqueue=enqueue_build) == [first]
    second = actions.start_build(summary_id=summary.pk, task_id="task-2")
    assert second is not None

    with pytest.raises(BuildSuperseded):
        actions.write_board_summary(summary=first)
    actions.fail_build(summary_id=summary.pk, task_id="task-1", error="It failed.")
    summary.refresh_from_db()
    assert summary.status == BuildStatus.RUNNING and summary.task_id == "task-2"
    media = Path(settings.MEDIA_ROOT) / "board-summaries"
    assert not media.exists() or not any(media.iterdir())

    actions.write_board_summary(summary=second)
    summary.refresh_from_db()
    assert summary.status == BuildStatus.DONE and summary.attempts == 2
    assert [path.name for path in media.iterdir()] == [Path(summary.file.name).name]


def test_recover_board_summaries_command_takes_up_every_silent_build(
    small_world, settings, capsys, django_capture_on_commit_callbacks
):
    settings.REPORTS_STALL_RESTARTS = 1
    restarted = silent(running(small_world, key="restarted"), settings)
    exhausted = silent(running(small_world, key="exhausted", restarts=1), settings)
    running(small_world, key="live")
    with django_capture_on_commit_callbacks() as queued:
        call_command("recover_board_summaries")
    output = capsys.readouterr().out
    assert f"Board summary {restarted.pk} " in output and "queued again" in output
    assert f"Board summary {exhausted.pk} " in output and "failed: The build stopped" in output
    assert len(queued) == 1
    statuses = dict(BoardSummary.objects.values_list("key", "status"))
    assert statuses == {"restarted": "queued", "exhausted": "failed", "live": "running"}

    call_command("recover_board_summaries")
    assert "No board summary has been silent for more than 3 minutes." in capsys.readouterr().out


def test_failures_read_as_plain_english(
    analyst_client, small_world, settings, django_capture_on_commit_callbacks
):
    """A folder for summaries that cannot be written to (here a file stands where it should
    be) fails the build with a reason a reader understands, not the error the system gave."""
    settings.MEDIA_ROOT.parent.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.write_text("not a folder")
    summary = request_and_build(analyst_client, small_world, django_capture_on_commit_callbacks)
    assert_plain_english(
        analyst_client,
        summary,
        says="The finished file could not be saved on the server",
    )


def test_chart_browser_is_looked_up_when_a_build_starts(
    analyst_client, small_world, settings, tmp_path, django_capture_on_commit_callbacks
):
    """REPORTS_BROWSER_PATH is read when each build starts: a browser set, or installed,
    after the process started is used with no restart; one that is missing fails the build
    with a reason in plain English naming where it was looked for."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    settings.REPORTS_CHARTS = True
    settings.REPORTS_BROWSER_PATH = ""
    assert browser_path() == CHROMIUM
    later = tmp_path / "installed-later" / "chromium"
    settings.REPORTS_BROWSER_PATH = str(later)
    with pytest.raises(ChartImageError):
        browser_path()

    summary = request_and_build(analyst_client, small_world, django_capture_on_commit_callbacks)
    assert_plain_english(
        analyst_client,
        summary,
        says=f"the browser set to draw them (REPORTS_BROWSER_PATH, {later}) is not there",
    )

    # The browser is installed; the same process builds the summary with it when asked again.
    later.parent.mkdir()
    later.symlink_to(CHROMIUM)
    assert browser_path() == str(later)
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(reverse("reports:again", args=[summary.pk]))
    summary.refresh_from_db()
    assert summary.status == BuildStatus.DONE, summary.error
    with summary.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    assert sum(len(page.images) for page in reader.pages) > 0  # the charts, drawn
