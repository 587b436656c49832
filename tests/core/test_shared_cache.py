"""With Redis configured, every web process shares one cache: a fragment built by one process
is found by another, so a cold page is paid for once (ics_tracker.settings.cache_settings)."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.cache import caches
from django.test import override_settings

from core.caching import cached_fragment
from ics_tracker.settings import cache_settings
from tests.reports.test_celery_worker import postgres_only, redis_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]

OTHER_PROCESS = """
import django
django.setup()
from core.caching import cached_fragment
def build():
    raise SystemExit("built again: the cache is not shared")
print(cached_fragment(("shared", "fragment"), build, version=7))
"""


def test_embedded_default_is_per_process_and_a_url_gives_redis():
    assert cache_settings("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = cache_settings("redis://127.0.0.1:6379/0")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/0"


def test_a_fragment_built_in_one_process_is_found_by_another(redis_url):  # noqa: F811
    # Django's own setting_changed handler reconnects the caches to the new CACHES.
    with override_settings(CACHES=cache_settings(redis_url)):
        try:
            caches["default"].clear()
            assert cached_fragment(("shared", "fragment"), lambda: "built once", version=7) == (
                "built once"
            )
            env = {**os.environ, "DJANGO_CACHE_URL": redis_url, "DJANGO_DEBUG": "1"}
            result = subprocess.run(
                [sys.executable, "-c", OTHER_PROCESS],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
            assert result.stdout.strip().splitlines()[-1] == "built once"
        finally:
            caches["default"].clear()
