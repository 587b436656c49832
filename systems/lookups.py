"""Finding a system from a URL: every page under /systems/<code>/ and /finance/<year>/<code>/
asks the same question in the same words."""

import datetime as dt

from django.http import Http404

from core.caching import cached_fragment

from .models import System


def system_or_404(code: str, as_at: dt.date) -> System:
    """The system with this ODS code (valid at any date) or slug, with its overview as at
    `as_at`; a 404 naming the code when there is none. Found, it is kept until the data
    change, so a warm page or download about a system does not run the overview query again
    (it costs a download the data version's query, against the overview's 30-40 ms at
    ten times national scale)."""

    def find() -> System | None:
        try:
            return System.objects.with_overview_as_at(as_at).get_by_code(code)
        except System.DoesNotExist:
            return None

    system = cached_fragment(("system-by-code", code, as_at), find)
    if system is None:
        raise Http404(f"No system has the code {code}")
    return system
