"""Settings for `manage.py bench_throughput`'s gunicorn: the production settings, plus the
plain-template baseline page the throughput run compares each page with. Never deployed."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "ics_tracker.bench_urls"
