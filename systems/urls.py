from django.urls import path

from . import views

app_name = "systems"

urlpatterns = [
    path("systems/", views.SystemListView.as_view(), name="list"),
    path("systems/<str:code>/", views.SystemDetailView.as_view(), name="detail"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path(
        "organisations/<str:ods_code>/",
        views.OrganisationDetailView.as_view(),
        name="organisation",
    ),
    path("waves/", views.WaveListView.as_view(), name="waves"),
    path("waves/<slug:slug>/", views.WaveDetailView.as_view(), name="wave"),
]
