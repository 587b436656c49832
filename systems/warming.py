"""After a data change, the common pages are built in the background, so no user pays for it.

Every write to the domain bumps the data version (core.caching), which makes every cached
fragment cold. When the deployment shares one cache among its processes (Redis) and has a
Celery worker (`PAGES_WARMED_AFTER_CHANGE`, on by default exactly then), the first commit after
a change queues `systems.tasks.warm_pages`; the worker renders the pages the apps name
(AppConfig hook `warm_paths() -> [path]`) as a user holding only the view right, which fills
the shared cache under the new version. The first user to ask then gets a warm page. Without a
shared cache a worker would only fill its own memory, so it is off.

A page is rendered through the view and the middleware that shape what is cached (the date,
the data version), not through sign-in or sessions: the warming user exists only in memory.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import resolve

from core.as_at import AsAtMiddleware
from core.caching import DataVersionMiddleware, data_version

from .access import VIEW_DASHBOARD

logger = logging.getLogger(__name__)

# How long a claim to warm one data version is held: longer than warming takes.
CLAIM_SECONDS = 15 * 60


class WarmingUser(AnonymousUser):
    """Who renders the pages: signed in, holding the view right and nothing else."""

    username = "page-warming"

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def has_perm(self, perm, obj=None):
        return perm == VIEW_DASHBOARD

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(perm) for perm in perm_list)


def warm_paths() -> list[str]:
    """The pages to warm, as the apps name them (AppConfig `warm_paths()`), in app order."""
    return [
        path
        for config in apps.get_app_configs()
        if hasattr(config, "warm_paths")
        for path in config.warm_paths()
    ]


def _view(request):
    match = request.resolver_match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response = response.render()
    return response


# The middleware whose work a cached fragment depends on, around the view.
_render = AsAtMiddleware(DataVersionMiddleware(_view))


def render_page(path: str) -> int:
    """Render `path` as the warming user; its status code."""
    host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".").replace("*", "") or "localhost"
    request = RequestFactory().get(path, headers={"host": host})
    request.user = WarmingUser()
    request.session = {}
    return _render(request).status_code


def warm(version: int) -> list[tuple[str, int]]:
    """Render the common pages if the data are still at `version` and no other worker has
    claimed it; each page's path and status ([] when there was nothing to do)."""
    if data_version() != version:
        return []  # changed again since: the newer change queued its own warming
    if not cache.add(f"pages-warming:{version}", True, CLAIM_SECONDS):
        return []
    rendered = []
    for path in warm_paths():
        try:
            rendered.append((path, render_page(path)))
        except Exception:  # one page failing must not stop the rest warming
            logger.exception("Warming %s failed", path)
            rendered.append((path, 500))
    cache.set(f"pages-warmed:{version}", rendered, CLAIM_SECONDS)
    return rendered


def _queue_warming() -> None:
    from .tasks import warm_pages

    warm_pages.delay(data_version())


def warm_on_change(**kwargs) -> None:
    """Queue the warming once the transaction that changed the data commits (once per
    transaction, however many rows it wrote), when the deployment warms pages."""
    if not settings.PAGES_WARMED_AFTER_CHANGE:
        return
    if any(entry[1] is _queue_warming for entry in connection.run_on_commit):
        return
    transaction.on_commit(_queue_warming)
