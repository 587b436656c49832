"""Rendered fragments cached until the data change.

Rendering a large django-tables2 table costs tens of milliseconds, and the same table is asked
for again and again between data changes. Every write to a domain model bumps one counter row
in the database (`DataVersion`); fragment keys include it, so a change made by any process is
seen by every process on its next request, whatever cache backend is configured. Bulk writes
that send no signals (importers) call `bump_data_version()` themselves.

Fragments also hold the addresses of static files, which carry a hash of their content
(`static_version`): a deploy that changes one (a boundary file a map loads, a script) starts
new keys, so a cache shared across the deploy never serves a page pointing at a file the new
deploy no longer has.

Within one request the version is read once (`DataVersionMiddleware`): a page whose several
fragments are all warm costs one query for the version, not one per fragment. A write made in
the request forgets it, so what is built after the write is keyed on the new version.
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache as once
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import F
from django.dispatch import Signal

from .models import DataVersion

DOMAIN_APPS = {"systems", "maturity", "finance", "performance"}
FRAGMENT_TIMEOUT = 60 * 60

# Sent after every bump of the data version (systems.warming queues the page warming on it).
data_changed = Signal()

# The version read in this request: a one-item list while a request is served (so a read can
# fill it), None outside requests (commands, tasks), where every call reads the database.
_request_version: ContextVar[list | None] = ContextVar("request_data_version", default=None)


def data_version() -> int:
    memo = _request_version.get()
    if memo:
        return memo[0]
    version = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    if memo is not None:
        memo.append(version)
    return version


def bump_data_version(**kwargs) -> None:
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    memo = _request_version.get()
    if memo:
        memo.clear()
    data_changed.send(sender=DataVersion)


class DataVersionMiddleware:
    """Reads the data version at most once a request (and again after a write in it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_version.set([])
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)


def bump_on_domain_write(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in DOMAIN_APPS or meta.model_name == "dataversion":
        return
    if meta.model_name.startswith("historical"):
        return
    bump_data_version()


def query_part(request) -> str:
    """The request's query string as a cache key part: its parameters sorted, without the
    date (`as_at`), which a dated page keys on itself (`request.as_at`, today when none is
    given) and a period page does not depend on; links in a fragment get the date added on the
    way out (core.as_at). So `/systems/` and `/systems/?as_at=<today>` share one fragment."""
    items = sorted((key, value) for key, value in request.GET.lists() if key != "as_at")
    return urlencode(items, doseq=True)


@once
def static_version() -> str:
    """The hash of the deployed static files' manifest (every file's fingerprinted name), read
    once per process; "" where static files are not fingerprinted (development)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    return getattr(staticfiles_storage, "manifest_hash", "")


def cached_fragment(parts: tuple, build: Callable[[], object], version: int | None = None):
    """`build()`, cached under `parts`, the current data version and the static files'."""
    version = data_version() if version is None else version
    raw = "|".join(str(part) for part in (version, static_version(), *parts))
    key = "fragment:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value
