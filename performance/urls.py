from django.urls import path, register_converter

from core.converters import SlugConverter

from . import views


class PeriodConverter(SlugConverter):
    """A period as written in URLs: 2017-18 (a financial year), 2017-18-q3 or 2017-11."""

    regex = r"\d{4}-\d{2}(?:-q[1-4])?"


register_converter(PeriodConverter, "period")

app_name = "performance"

urlpatterns = [
    path("performance/", views.performance_index, name="index"),
    path(
        "performance/compare/<period:period>/", views.GroupComparisonView.as_view(), name="compare"
    ),
    path(
        "performance/<slug:standard>/<period:period>/",
        views.LeagueTableView.as_view(),
        name="league",
    ),
    path("systems/<str:code>/performance/", views.SystemPerformanceView.as_view(), name="system"),
]
