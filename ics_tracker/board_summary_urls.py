"""The board summaries' pages (namespace `reports`), in ics_tracker/board_summary_views.py:
the reports package builds papers from presenters, queries and rules and imports no view."""

from django.urls import path

from ics_tracker import board_summary_views as views

app_name = "reports"

urlpatterns = [
    path("", views.SummaryIndexView.as_view(), name="index"),
    path("<int:summary_id>/", views.SummaryDetailView.as_view(), name="detail"),
    path("<int:summary_id>/status/", views.SummaryStatusView.as_view(), name="status"),
    path("<int:summary_id>/download/", views.SummaryDownloadView.as_view(), name="download"),
    path("<int:summary_id>/again/", views.SummaryRetryView.as_view(), name="again"),
]
