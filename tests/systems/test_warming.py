"""After a data change the common pages are rendered in the background (systems.warming), so
the first visitor after the change gets a warm page."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from core.caching import data_version
from systems import tasks
from systems.models import System, SystemQuerySet
from systems.warming import WarmingUser, warm, warm_paths
from tests.factories.systems import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overview_builds(monkeypatch) -> list:
    """The days the systems overview query is built for, from now on."""
    built = []
    overview = SystemQuerySet.with_overview_as_at

    def counted(queryset, day, **options):
        built.append(day)
        return overview(queryset, day, **options)

    monkeypatch.setattr(SystemQuerySet, "with_overview_as_at", counted)
    return built


def test_every_app_names_its_common_pages(reference_data):
    paths = warm_paths()
    assert paths[:3] == ["/", "/systems/", "/waves/"]
    assert "/maturity/" in paths
    assert "/finance/plan-vs-outturn/" in paths
    assert "/performance/" in paths  # and a league table a standard, when there are figures


def test_warming_renders_every_page_and_the_first_visitor_finds_it_warm(
    reference_data, analyst_client, django_assert_max_num_queries, overview_builds
):
    cache.clear()
    rendered = warm(data_version())
    assert rendered, "nothing was warmed"
    assert [status for _, status in rendered] == [200] * len(rendered), rendered
    overview_builds.clear()
    # The warm bound of tests/systems/test_pages.py: nothing but what a page cannot cache.
    with django_assert_max_num_queries(6):
        response = analyst_client.get("/systems/")
    assert response.status_code == 200
    assert overview_builds == []
    today = response.wsgi_request.today
    assert response.context["row_count"] == System.objects.current_as_at(today).count()
    # Today named in the address is the same page, and the same fragment.
    response = analyst_client.get("/systems/", {"as_at": today.isoformat()})
    assert response.status_code == 200
    assert overview_builds == []


def test_warming_is_skipped_when_the_data_moved_on_or_another_worker_has_it(reference_data):
    cache.clear()
    version = data_version()
    assert warm(version - 1) == []  # a newer change queued its own warming
    assert warm(version) != []
    assert warm(version) == []  # claimed (and done) once


def test_the_warming_user_holds_the_view_right_and_nothing_else():
    user = WarmingUser()
    assert user.is_authenticated and not user.is_anonymous
    assert user.has_perm("systems.view_dashboard")
    assert not user.has_perm("systems.change_system")
    assert not user.has_perms(["systems.view_dashboard", "finance.change_organisationyear"])


@override_settings(PAGES_WARMED_AFTER_CHANGE=True)
def test_a_change_queues_one_warming_when_it_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.warm_pages, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        RegionFactory()
        RegionFactory()
        assert queued == []  # not before the data are committed
    assert queued == [data_version()]


def test_without_a_shared_cache_and_a_worker_nothing_is_queued(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    assert settings.PAGES_WARMED_AFTER_CHANGE is False  # the embedded default
    queued = []
    monkeypatch.setattr(tasks.warm_pages, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        RegionFactory()
    assert queued == []
