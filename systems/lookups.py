"""Finding a system from a URL: every page under /systems/<code>/ and /finance/<year>/<code>/
asks the same question in the same words."""

import datetime as dt

from django.http import Http404

from .models import System


def system_or_404(code: str, as_at: dt.date) -> System:
    """The system with this ODS code (valid at any date) or slug, with its overview as at
    `as_at`; a 404 naming the code when there is none."""
    try:
        return System.objects.with_overview_as_at(as_at).get_by_code(code)
    except System.DoesNotExist as error:
        raise Http404(f"No system has the code {code}") from error
