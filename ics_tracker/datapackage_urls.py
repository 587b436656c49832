"""The data package (namespace `datapackage`): a page saying what it holds, and the download,
in ics_tracker/board_summary_views.py, as the board summaries' are: the reports package imports
no view."""

from django.urls import path

from ics_tracker import board_summary_views as views

app_name = "datapackage"

urlpatterns = [
    path("", views.DataPackageView.as_view(), name="index"),
    path("download/", views.DataPackageDownloadView.as_view(), name="download"),
]
