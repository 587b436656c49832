"""The read API, version 1. Not wrapped in `require_view_right`: a script signs in by token,
which Django REST Framework reads inside the view, so each endpoint asks for the same view
right itself (api.permissions.HasViewRight, the default for every endpoint)."""

from django.urls import path

# Registers the period and financial-year converters the pages' addresses use.
import finance.urls  # noqa: F401
import performance.urls  # noqa: F401

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaEndpoint.as_view(), name="schema"),
    path("systems/", views.SystemsEndpoint.as_view(), name="systems"),
    path(
        "systems/<str:code>/members/", views.SystemMembersEndpoint.as_view(), name="system-members"
    ),
    path(
        "systems/<str:code>/performance/",
        views.SystemTrendEndpoint.as_view(),
        name="system-performance",
    ),
    path("waves/", views.WavesEndpoint.as_view(), name="waves"),
    path(
        "waves/<slug:slug>/designations/",
        views.WaveDesignationsEndpoint.as_view(),
        name="wave-designations",
    ),
    path("maturity/", views.MaturityEndpoint.as_view(), name="maturity"),
    path(
        "performance/<slug:standard>/<period:period>/",
        views.LeagueEndpoint.as_view(),
        name="league",
    ),
    path(
        "finance/<financial_year:year>/",
        views.ControlTotalsEndpoint.as_view(),
        name="control-totals",
    ),
]
