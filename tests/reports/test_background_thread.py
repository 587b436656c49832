"""With no broker (the embedded default of `make run`), a board summary requested in the
browser is built in a background thread of the web process: the request returns at once and
the page can show the build's progress until the download is ready."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from reports.models import BoardSummary, BuildStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The test database on SQLite is in memory with a shared cache, which locks whole tables
    # between threads; `make run`'s SQLite file does not (checked by hand in a browser).
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: threads share the database"
    ),
]


def test_request_returns_at_once_and_the_thread_builds_the_summary(
    client, analyst, small_world, settings
):
    settings.REPORTS_BUILD_IN_THREAD = True
    client.force_login(analyst)
    data = {
        "year": small_world["year"].pk,
        "as_at": "2018-09-27",
        "scope": "all",
        "format": "pdf",
    }
    response = client.post(reverse("reports:index"), data)
    assert response.status_code == 302
    summary = BoardSummary.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    status_url = reverse("reports:status", args=[summary.pk])

    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(status_url).json()
        seen.append(status["status"])
        if status["finished"]:
            break
        time.sleep(0.1)
    summary.refresh_from_db()
    assert summary.status == BuildStatus.DONE, (summary.status, summary.error)
    assert status["download_url"]
    assert client.get(status["download_url"]).status_code == 200
    # The request came back before the build had finished.
    assert seen[0] in (BuildStatus.QUEUED, BuildStatus.RUNNING), seen
