"""With a shared Redis cache and a real Celery worker, a data change gets the common pages
rendered by the worker, and this process (another web worker, as it were) finds them warm."""

import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from core.caching import data_version
from ics_tracker.settings import cache_settings
from systems.models import System, SystemQuerySet
from tests.reports.test_celery_worker import (  # noqa: F401
    broker,
    postgres_only,
    redis_url,
    start_worker,
)
from tests.systems.test_pages import make_systems

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_change_is_warmed_by_the_worker_for_every_web_process(
    redis_url,  # noqa: F811
    start_worker,  # noqa: F811
    analyst_client,
    monkeypatch,
    django_assert_max_num_queries,
):
    make_systems(5)
    with override_settings(CACHES=cache_settings(redis_url), PAGES_WARMED_AFTER_CHANGE=True):
        caches["default"].clear()
        start_worker()
        system = System.objects.first()
        system.name += " (renamed)"
        system.save()  # committed at once: the warming is queued now
        version = data_version()
        deadline = time.monotonic() + 90
        while cache.get(f"pages-warmed:{version}") is None:
            assert time.monotonic() < deadline, "the worker did not warm the pages in 90 s"
            time.sleep(0.5)
        assert dict(cache.get(f"pages-warmed:{version}"))["/systems/"] == 200

        built = []
        overview = SystemQuerySet.with_overview_as_at
        monkeypatch.setattr(
            SystemQuerySet,
            "with_overview_as_at",
            lambda queryset, day, **options: (
                built.append(day) or overview(queryset, day, **options)
            ),
        )
        with django_assert_max_num_queries(6):
            response = analyst_client.get("/systems/")
        assert response.status_code == 200
        assert built == []  # the first visit after the change found the worker's table
        assert "(renamed)" in response.content.decode()
        caches["default"].clear()
