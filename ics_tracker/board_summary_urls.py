"""The board summaries' pages (namespace `reports`). Routed from the project, not from the
reports package: the package builds papers from presenters, queries and rules and imports no
view, its own included."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.SummaryIndexView.as_view(), name="index"),
    path("<int:summary_id>/", views.SummaryDetailView.as_view(), name="detail"),
    path("<int:summary_id>/status/", views.SummaryStatusView.as_view(), name="status"),
    path("<int:summary_id>/download/", views.SummaryDownloadView.as_view(), name="download"),
    path("<int:summary_id>/again/", views.SummaryRetryView.as_view(), name="again"),
]
