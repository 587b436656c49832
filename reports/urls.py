from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.SummaryIndexView.as_view(), name="index"),
    path("<int:summary_id>/", views.SummaryDetailView.as_view(), name="detail"),
    path("<int:summary_id>/status/", views.SummaryStatusView.as_view(), name="status"),
    path("<int:summary_id>/download/", views.SummaryDownloadView.as_view(), name="download"),
    path("<int:summary_id>/again/", views.SummaryRetryView.as_view(), name="again"),
]
