"""The bench's page timing counts the queries a request runs (core.benchmarks), with DEBUG off
as under the bench's production settings, where it used to report 0."""

import pytest
from django.test import override_settings
from django.urls import reverse

from core.benchmarks import time_page

pytestmark = pytest.mark.django_db


def test_time_page_counts_the_queries_of_a_request_with_debug_off(analyst_client):
    url = reverse("systems:organisations")
    with override_settings(DEBUG=False):
        first = time_page(analyst_client, url, runs=3)
        again = time_page(analyst_client, url, runs=3)
    # A warm page: session, user, permissions, data version at least.
    assert first.queries >= 4
    assert first.queries == again.queries


@pytest.fixture
def baseline_rows(tmp_path, monkeypatch):
    """The throughput bench's baseline page routed, over two rows written as the bench does."""
    import json

    from ics_tracker import bench_baseline

    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps({"systems": [["Name", "Members"], ["Somerset", "=1+1"]]}))
    monkeypatch.setenv("BENCH_BASELINE_ROWS", str(rows))
    bench_baseline._all_rows.cache_clear()
    with override_settings(ROOT_URLCONF="ics_tracker.bench_urls"):
        yield
    bench_baseline._all_rows.cache_clear()


def test_the_baseline_shows_the_pages_rows_plainly_to_those_with_the_view_right(
    baseline_rows, analyst_client, django_user_model
):
    from django.test import Client

    response = analyst_client.get("/bench/plain/systems/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<td>Somerset</td>" in html and "<td>=1+1</td>" in html
    assert analyst_client.get("/bench/plain/nothing/").status_code == 404
    # The same sign-in and view right as every page.
    client = Client()
    assert client.get("/bench/plain/systems/").status_code == 302
    client.force_login(django_user_model.objects.create_user("no-role"))
    assert client.get("/bench/plain/systems/").status_code == 403


def test_the_baseline_is_not_routed_in_the_site():
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/bench/plain/systems/")


def test_throughput_counts_answered_requests_of_concurrent_clients(live_server):
    from core.benchmarks import latency_ms, throughput

    measured = throughput(live_server.url, "/login/", headers={}, clients=3, seconds=0.5)
    assert measured.requests > 3
    assert measured.per_second > 0 and measured.median_ms > 0
    assert latency_ms(live_server.url, "/login/", headers={}) > 0
    with pytest.raises(AssertionError, match="answered 302"):
        throughput(live_server.url, "/systems/", headers={}, clients=1, seconds=0.2)


def test_the_load_generator_runs_where_an_event_loop_is_already_running(live_server):
    """Playwright's sync API leaves an event loop running in a test process that has opened a
    browser; the load generator must not depend on the calling thread having none."""
    from core.benchmarks import latency_ms, throughput
    from tests.helpers import run_in_a_loop

    async def inside_a_loop():
        measured = throughput(live_server.url, "/login/", headers={}, clients=2, seconds=0.2)
        return measured.requests, latency_ms(live_server.url, "/login/", headers={})

    requests, latency = run_in_a_loop(inside_a_loop)
    assert requests > 2 and latency > 0
