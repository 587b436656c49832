from django.urls import path

from . import views

app_name = "systems"

urlpatterns = [
    path("systems/", views.SystemListView.as_view(), name="list"),
    path("systems/<str:code>/", views.SystemDetailView.as_view(), name="detail"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("waves/", views.WaveListView.as_view(), name="waves"),
    path("waves/<slug:slug>/", views.WaveDetailView.as_view(), name="wave"),
]
