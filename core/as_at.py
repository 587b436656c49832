"""The "as at" date every page honours.

A page shows the picture on one date: `?as_at=YYYY-MM-DD` sets it, the choice is kept in the
session so it follows the user from page to page, and with neither it is today. The default is
stated on every page by the date control in the page header.
"""

import datetime as dt

from django.contrib import messages
from django.utils import timezone

SESSION_KEY = "as_at"
EARLIEST = dt.date(2016, 1, 1)


def parse_as_at(text: str) -> dt.date:
    """Read an as-at date, refusing dates before the data begins."""
    day = dt.date.fromisoformat(text.strip())
    if day < EARLIEST:
        raise ValueError(f"the data begin in {EARLIEST.year}")
    return day


class AsAtMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        today = timezone.localdate()
        as_at = None
        requested = request.GET.get("as_at")
        if requested:
            try:
                as_at = parse_as_at(requested)
            except ValueError as error:
                messages.error(request, f"“{requested}” is not a date we can show ({error}).")
        if as_at is None and hasattr(request, "session"):
            stored = request.session.get(SESSION_KEY)
            if stored:
                as_at = dt.date.fromisoformat(stored)
        as_at = as_at or today
        # Only a signed-in browser keeps the date: a script's request (the read API, signed in
        # by token after this runs) would otherwise leave a new session behind every time.
        if requested and hasattr(request, "session") and request.user.is_authenticated:
            request.session[SESSION_KEY] = as_at.isoformat()
        request.as_at = as_at
        request.today = today
        return self.get_response(request)


def as_at_context(request):
    """The as-at date, and the query string pieces the date control and exports need."""
    if not hasattr(request, "as_at"):
        return {}
    preserved = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in {"as_at", "page", "_export"}
        for value in values
    ]
    export_query = request.GET.copy()
    for key in ("_export", "page"):
        export_query.pop(key, None)
    return {
        "as_at": request.as_at,
        "today": request.today,
        "as_at_is_today": request.as_at == request.today,
        "as_at_preserved_params": preserved,
        "export_query": export_query.urlencode(),
    }
