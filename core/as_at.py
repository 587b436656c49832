"""The "as at" date every page honours, carried in the address.

A page shows the picture on one date: `?as_at=YYYY-MM-DD` sets it; without one it is today,
and the date bar says so. The date lives only in the address, so a shared link shows the same
answer to anyone: every link the dashboard writes to another of its pages carries the page's
date along (`with_date_in_links`, applied to every HTML response here), and every GET form
carries it as a hidden field (the date bar, the filter forms).
"""

import datetime as dt
import re

from django.contrib import messages
from django.utils import timezone

EARLIEST = dt.date(2016, 1, 1)
REAL_DATE = "Enter a real date, for example 1 4 2019"
# Links under these paths are not dashboard pages: they never carry the date.
UNDATED_PATHS = ("/static/", "/admin/", "/login/", "/logout/", "/api/")
INTERNAL_LINK = re.compile(r'href="(/(?!/)[^"]*)"')  # not //other.site


class AsAtError(ValueError):
    pass


def parse_as_at(text: str) -> dt.date:
    """Read an as-at date (YYYY-MM-DD), refusing what is not a real date or is before the
    data begin, with a message fit to show as it is."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise AsAtError(f"“{text}” is not a date. {REAL_DATE}.") from None
    if day < EARLIEST:
        raise AsAtError(
            f"The data begin in {EARLIEST.year}: enter a date from {EARLIEST:%-d %B %Y}."
        )
    return day


def dated_address(address: str, day: dt.date, separator: str = "&") -> str:
    """A path on this site (with any query and #fragment) with `as_at=day` added, unless it
    already names a date or is not a dashboard page (static files, the admin, signing in or
    out, the API). `separator` joins it to a query: "&amp;" inside HTML."""
    if address.startswith(UNDATED_PATHS) or "as_at=" in address:
        return address
    path, hash_, fragment = address.partition("#")
    joiner = separator if "?" in path else "?"
    return f"{path}{joiner}as_at={day.isoformat()}{hash_}{fragment}"


def with_date_in_links(html: str, day: dt.date) -> str:
    """`html` with the date added (`dated_address`) to every link to a path on this site;
    links to other sites and to places on the same page are left as they are."""
    return INTERNAL_LINK.sub(
        lambda match: f'href="{dated_address(match.group(1), day, "&amp;")}"', html
    )


class AsAtMiddleware:
    """Sets `request.as_at` (the chosen date, else today), `request.as_at_chosen` (the date
    the address names, or None) and `request.today`; an unreadable date is said once, as a
    message, and today shown instead. On the way out, an HTML page for a chosen date has the
    date added to its links."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.today = timezone.localdate()
        request.as_at_chosen = None
        requested = request.GET.get("as_at", "").strip()
        if requested:
            try:
                request.as_at_chosen = parse_as_at(requested)
            except AsAtError as error:
                messages.error(request, str(error))
        request.as_at = request.as_at_chosen or request.today
        response = self.get_response(request)
        if request.as_at_chosen is None:
            return response
        location = response.get("Location", "")
        if response.status_code in (301, 302, 303, 307, 308) and location.startswith("/"):
            # A page that sends the reader on (the finance index to its latest year) keeps
            # the date too.
            response["Location"] = dated_address(location, request.as_at_chosen)
        elif not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            charset = response.charset or "utf-8"
            response.content = with_date_in_links(
                response.content.decode(charset), request.as_at_chosen
            ).encode(charset)
        return response


def as_at_context(request):
    """The as-at date, and the query string pieces the date control and exports need."""
    if not hasattr(request, "as_at"):
        return {}

    def without(*keys):
        query = request.GET.copy()
        for key in keys:
            query.pop(key, None)
        return query

    # The date bar's form sends its other parameters again, as hidden inputs.
    preserved = [
        (key, value)
        for key, values in without("as_at", "page", "_export").lists()
        for value in values
    ]
    return {
        "as_at": request.as_at,
        "as_at_chosen": request.as_at_chosen,
        "today": request.today,
        "as_at_preserved_params": preserved,
        "export_query": without("_export", "_table", "page").urlencode(),
        "undated_query": without("as_at", "page", "_export", "_table").urlencode(),
    }
