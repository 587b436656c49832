"""`{% page_coverage as coverage %}`: what the page's data cover (core.coverage), for
base.html to state under every dashboard page and to warn near its top."""

from django import template

from core.coverage import PageCoverage, coverage_for_page, follows_as_at, kinds_for_view

register = template.Library()

VIEW_RIGHT = "systems.view_dashboard"


@register.simple_tag(takes_context=True)
def page_coverage(context) -> PageCoverage | None:
    """The coverage of the data this page shows, or None for a page that shows none (sign
    in, no access) or a user without the dashboard's view right.

    The kinds are the context's `coverage_kinds`, else the view's; the structure is taken on
    the first day of the context's `coverage_period` when there is one, else on the as-at
    date when the view follows it, else on no one date."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not request.user.has_perm(VIEW_RIGHT):
        return None
    kinds = context.get("coverage_kinds") or kinds_for_view(match.func)
    if not kinds:
        return None
    period = context.get("coverage_period")
    if period is not None:
        on = period.starts_on
    else:
        on = getattr(request, "as_at", None) if follows_as_at(match.func) else None
    return coverage_for_page(kinds, on=on, period=period)
