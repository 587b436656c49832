"""Rendered fragments cached until the data change.

Rendering a large django-tables2 table costs tens of milliseconds, and the same table is asked
for again and again between data changes. Every write to a domain model bumps one counter row
in the database (`DataVersion`); fragment keys include it, so a change made by any process is
seen by every process on its next request, whatever cache backend is configured. Bulk writes
that send no signals (importers) call `bump_data_version()` themselves.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import F

from .models import DataVersion

DOMAIN_APPS = {"systems", "maturity", "finance", "performance"}
FRAGMENT_TIMEOUT = 60 * 60


def data_version() -> int:
    version = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return version or 0


def bump_data_version(**kwargs) -> None:
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def bump_on_domain_write(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in DOMAIN_APPS or meta.model_name == "dataversion":
        return
    if meta.model_name.startswith("historical"):
        return
    bump_data_version()


def cached_fragment(parts: tuple, build: Callable[[], object], version: int | None = None):
    """`build()`, cached under `parts` and the current data version."""
    version = data_version() if version is None else version
    raw = "|".join(str(part) for part in (version, *parts))
    key = "fragment:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value
