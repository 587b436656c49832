"""Requesting, watching and downloading board summaries through the pages; the task's
failure cases; what the pages cost. With no broker configured the build runs in-process."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.caching import bump_data_version
from reports import actions, tasks
from reports.models import BoardSummary, BuildStatus
from tests.factories.reports import BoardSummaryFactory

pytestmark = pytest.mark.django_db(transaction=False)


def form_data(world, **overrides):
    return {
        "year": world["year"].pk,
        "as_at": "2018-09-27",
        "scope": "all",
        "format": "pdf",
        **overrides,
    }


def request_summary(client, world, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:index"), form_data(world, **overrides))
    assert response.status_code == 302, response.content[:2000]
    return BoardSummary.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_request_builds_and_downloads_a_pdf(
    analyst_client, analyst, small_world, django_capture_on_commit_callbacks, settings
):
    summary = request_summary(analyst_client, small_world, django_capture_on_commit_callbacks)
    assert summary.status == BuildStatus.DONE
    assert summary.progress == 100
    assert summary.requested_by == analyst
    page = analyst_client.get(summary.get_absolute_url())
    assert b"Download the PDF" in page.content
    status = analyst_client.get(reverse("reports:status", args=[summary.pk])).json()
    assert status["finished"] and status["download_url"].endswith(f"/{summary.pk}/download/")
    download = analyst_client.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    text = " ".join(
        PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text().split()
    )
    assert "Integrated care systems: board summary" in text
    stored = Path(settings.MEDIA_ROOT) / summary.file.name
    assert stored.exists()
    assert not list(stored.parent.glob(".partial-*"))


@pytest.mark.parametrize(
    ("summary_format", "content_type"), [("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")]
)
def test_request_other_formats(
    analyst_client, small_world, django_capture_on_commit_callbacks, summary_format, content_type
):
    summary = request_summary(
        analyst_client, small_world, django_capture_on_commit_callbacks, format=summary_format
    )
    download = analyst_client.get(reverse("reports:download", args=[summary.pk]))
    assert content_type in download["Content-Type"]
    assert download["Content-Disposition"].endswith(f'.{summary_format}"')


def test_request_for_one_system_and_one_wave(
    analyst_client, small_world, django_capture_on_commit_callbacks
):
    one = request_summary(
        analyst_client,
        small_world,
        django_capture_on_commit_callbacks,
        scope="system",
        system=small_world["delta"].pk,
    )
    wave = request_summary(
        analyst_client,
        small_world,
        django_capture_on_commit_callbacks,
        scope="wave",
        wave=small_world["wave"].pk,
    )
    assert one.status == wave.status == BuildStatus.DONE
    assert one.title == "Board summary: Delta, 2017/18"


def test_scope_needs_its_object(analyst_client, small_world):
    response = analyst_client.post(reverse("reports:index"), form_data(small_world, scope="region"))
    assert response.status_code == 400
    assert b"Choose the region the summary covers." in response.content
    assert not BoardSummary.objects.exists()


def test_form_reveals_region_wave_or_system_only_under_its_scope(analyst_client, small_world):
    """Each of region, wave and system sits in a conditional reveal under its own scope radio,
    hidden until that scope is chosen (all show without JavaScript, as NHS.UK's CSS hides
    them only when its script runs); after an error the chosen scope's select stays open."""
    page = analyst_client.get(reverse("reports:index")).content.decode()
    for scope in ("region", "wave", "system"):
        assert f'value="{scope}" aria-controls="conditional-scope-{scope}"' in page
        start = page.index(f'id="conditional-scope-{scope}"')
        assert f'name="{scope}"' in page[start : page.index("</select>", start)]
        assert f'nhsuk-radios__conditional--hidden" id="conditional-scope-{scope}"' in page
    assert page.count('<select class="nhsuk-select" id="id_region"') == 1
    assert 'value="all" checked' in page

    response = analyst_client.post(reverse("reports:index"), form_data(small_world, scope="wave"))
    html = response.content.decode()
    assert 'value="wave" checked aria-controls="conditional-scope-wave"' in html
    assert '<div class="nhsuk-radios__conditional" id="conditional-scope-wave">' in html
    assert 'nhsuk-radios__conditional--hidden" id="conditional-scope-region"' in html


def test_form_ignores_the_choices_of_other_scopes(
    analyst_client, small_world, django_capture_on_commit_callbacks
):
    """A wave left chosen in a hidden select does not narrow a summary of all systems."""
    wave = small_world["wave"]
    summary = request_summary(
        analyst_client, small_world, django_capture_on_commit_callbacks, wave=wave.pk
    )
    assert summary.scope == "all" and summary.wave is None


def test_same_request_and_data_is_built_once(
    analyst_client, small_world, django_capture_on_commit_callbacks, monkeypatch
):
    builds = []
    real_build = actions.write_board_summary
    monkeypatch.setattr(
        actions, "write_board_summary", lambda **kw: builds.append(1) or real_build(**kw)
    )
    first = request_summary(analyst_client, small_world, django_capture_on_commit_callbacks)
    second = request_summary(analyst_client, small_world, django_capture_on_commit_callbacks)
    assert first.pk == second.pk
    assert len(builds) == 1
    assert BoardSummary.objects.count() == 1
    # Running the task again for a finished summary does nothing.
    assert tasks.build_board_summary.delay(first.pk).get() == "skipped"
    assert len(builds) == 1
    # After the data change, the same request is a new summary.
    bump_data_version()
    third = request_summary(analyst_client, small_world, django_capture_on_commit_callbacks)
    assert third.pk != first.pk and len(builds) == 2


def test_a_failing_build_shows_its_error_and_keeps_no_file(
    analyst_client, small_world, django_capture_on_commit_callbacks, monkeypatch, settings
):
    def broken(document, summary_format, path, **kwargs):
        Path(path).write_bytes(b"half a file")
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(actions, "write_document", broken)
    summary = request_summary(analyst_client, small_world, django_capture_on_commit_callbacks)
    assert summary.status == BuildStatus.FAILED
    assert summary.error == (
        "Something went wrong while building it. The details are in the server's log, under "
        f"board summary {summary.pk}."
    )
    assert not summary.file
    media = Path(settings.MEDIA_ROOT) / "board-summaries"
    assert list(media.iterdir()) == []
    page = analyst_client.get(summary.get_absolute_url())
    assert b"The summary could not be built" in page.content
    assert summary.error.encode() in page.content.replace(b"&#x27;", b"'")
    assert b"the printer is on fire" not in page.content  # the log has it, not the page
    assert analyst_client.get(reverse("reports:download", args=[summary.pk])).status_code == 404
    assert analyst_client.get(reverse("reports:status", args=[summary.pk])).json()["error"]

    # Asking again queues the failed one again, and it builds once the fault has gone.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(reverse("reports:again", args=[summary.pk]))
    assert response["Location"] == summary.get_absolute_url()
    summary.refresh_from_db()
    assert summary.status == BuildStatus.DONE and summary.attempts == 2


def test_a_transient_database_error_is_retried(small_world, monkeypatch):
    summary, _ = actions.request_board_summary(
        scope="all", as_at=dt.date(2018, 9, 27), summary_format="xlsx", year=small_world["year"]
    )
    calls = []
    real_build = actions.write_board_summary

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_build(**kwargs)

    monkeypatch.setattr(actions, "write_board_summary", flaky)
    tasks.build_board_summary.delay(summary.pk)
    summary.refresh_from_db()
    assert len(calls) == 2
    assert summary.status == BuildStatus.DONE


def test_a_persistent_database_error_fails_after_the_retries(small_world, monkeypatch):
    summary, _ = actions.request_board_summary(
        scope="all", as_at=dt.date(2018, 9, 27), summary_format="xlsx", year=small_world["year"]
    )

    def down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(actions, "write_board_summary", down)
    tasks.build_board_summary.delay(summary.pk)
    summary.refresh_from_db()
    assert summary.status == BuildStatus.FAILED
    assert summary.error == "The database could not be reached, even after 3 retries."


def test_task_is_acknowledged_late_and_time_limited():
    task = tasks.build_board_summary
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit < task.time_limit
    assert OperationalError in task.autoretry_for and task.max_retries == 3


def test_start_build_leaves_a_live_build_alone_and_takes_over_a_silent_one(small_world, settings):
    """A build whose heartbeat is recent is alive: another message for it, even the same one
    handed out again, is skipped, so it is never built twice at once; only the running task's
    own retry carries on. One silent for longer than REPORTS_STALL_SECONDS has stopped (its
    worker was killed) and the next message takes it over."""
    summary = BoardSummaryFactory(
        status=BuildStatus.RUNNING, task_id="task-1", attempts=1, year=small_world["year"]
    )
    assert actions.start_build(summary_id=summary.pk, task_id="task-2") is None
    assert actions.start_build(summary_id=summary.pk, task_id="task-1") is None
    retried = actions.start_build(summary_id=summary.pk, task_id="task-1", retry=True)
    assert retried is not None and retried.attempts == 2

    BoardSummary.objects.filter(pk=summary.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.REPORTS_STALL_SECONDS + 1)
    )
    taken = actions.start_build(summary_id=summary.pk, task_id="task-2")
    assert taken is not None and taken.task_id == "task-2" and taken.attempts == 3


def test_start_build_leaves_a_failed_summary_until_asked_again(small_world):
    """A message handed out again after its summary failed does not build it behind the
    reader's back: it is built again when someone asks again."""
    summary = BoardSummaryFactory(status=BuildStatus.FAILED, error="It failed.")
    assert actions.start_build(summary_id=summary.pk, task_id="task-1") is None


def test_detail_page_polls_without_inline_script(analyst_client):
    summary = BoardSummaryFactory(
        status=BuildStatus.RUNNING, progress=40, progress_message="Drawing 2 charts"
    )
    page = analyst_client.get(summary.get_absolute_url()).content.decode()
    assert 'src="/static/reports/progress.js"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Drawing 2 charts" in page and 'value="40"' in page
    assert "<script>" not in page


def test_index_lists_earlier_summaries_with_who_asked(analyst_client, analyst):
    BoardSummaryFactory(requested_by=analyst, status=BuildStatus.DONE, file="board-summaries/x.pdf")
    page = analyst_client.get(reverse("reports:index")).content.decode()
    assert "Board summary: All systems" in page
    assert analyst.username in page


@pytest.mark.parametrize("count", [1, 50])
def test_index_queries_do_not_grow_with_summaries(
    analyst_client, analyst, count, django_assert_max_num_queries
):
    for _ in range(count):
        BoardSummaryFactory(requested_by=analyst)
    # 17: two of them for "About this data" (the data version and the coverage query).
    with django_assert_max_num_queries(17):
        assert analyst_client.get(reverse("reports:index")).status_code == 200


def test_user_without_a_role_may_not_request(client, django_user_model, small_world):
    user = django_user_model.objects.create_user("nobody")
    client.force_login(user)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.post(reverse("reports:index"), form_data(small_world)).status_code == 403


def test_download_is_not_a_public_media_url(client, analyst):
    summary = BoardSummaryFactory(
        requested_by=analyst, status=BuildStatus.DONE, file="board-summaries/x.pdf"
    )
    response = client.get(reverse("reports:download", args=[summary.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/media/board-summaries/x.pdf").status_code in (302, 404)
