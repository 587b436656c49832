"""Who may see the dashboard: one right, asked for by the URLconf of every dashboard page.

Login is required everywhere by Django's LoginRequiredMiddleware. Being logged in is not enough
to see data: every dashboard page and export (the same view answers `?_export=csv|xlsx`) asks for
`systems.view_dashboard`, which every role carries (systems.roles). The URLconf wraps whole
groups of patterns with `require_view_right`, so a page added to any app's urls.py is covered
without anyone remembering to decorate it; tests/test_permissions.py walks the URLconf to hold
that true.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver

VIEW_DASHBOARD = "systems.view_dashboard"


def no_access(request):
    """The page a logged-in user without a role sees instead of data."""
    return TemplateResponse(
        request, "registration/no_access.html", {"title": "No access"}, status=403
    )


def view_right_required(view):
    """Let the view run only for users holding the dashboard's view right."""
    if getattr(view, "view_right_required", False):
        return view

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.has_perm(VIEW_DASHBOARD):
            # Anonymous users never get here (LoginRequiredMiddleware sends them to log in).
            return no_access(request)
        return view(request, *args, **kwargs)

    guarded.view_right_required = True
    return guarded


def require_view_right(patterns: list) -> list:
    """Wrap every view in `patterns`, and in every URLconf they include, in the view right."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            require_view_right(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = view_right_required(pattern.callback)
    return patterns


def client_ip(request) -> str | None:
    """The address a request came from, for sign-in throttling.

    REMOTE_ADDR, unless the site runs behind TRUSTED_PROXY_COUNT reverse proxies, each of which
    appends the address it saw to X-Forwarded-For: then the client is that many entries from the
    right (entries further left are whatever the client chose to send, and are not trusted).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, response=None, credentials=None):
    """The page shown while an account and address are locked out by sign-in throttling."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": username,
        "minutes": minutes,
    }
    return render(request, "registration/locked_out.html", context, status=429)


class PermissionsInOneQueryBackend(ModelBackend):
    """Django's model backend, reading a user's permissions (their own and their roles') in
    one query rather than two: every dashboard page asks for the view right."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                permissions = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return user_obj._perm_cache
