from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from systems.access import require_view_right
from systems.views import OverviewView

admin.site.site_header = "ICS Tracker administration"
admin.site.site_title = "ICS Tracker admin"
admin.site.index_title = "Data entry"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The admin asks for staff status and each model's own permissions.
    path("admin/", admin.site.urls),
    # The read API asks for the same view right itself, after reading the caller's token.
    path("api/v1/", include("api.urls")),
    # Every dashboard page and export, in every app, asks for the dashboard's view right.
    *require_view_right(
        [
            path("", OverviewView.as_view(), name="home"),
            path("", include("systems.urls")),
            path("", include("maturity.urls")),
            path("finance/", include("finance.urls")),
            path("", include("performance.urls")),
            path("reports/", include("ics_tracker.board_summary_urls")),
            path("data/", include("ics_tracker.datapackage_urls")),
            path("", include("api.page_urls")),
        ]
    ),
]
