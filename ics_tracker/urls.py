from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from systems.views import OverviewView

admin.site.site_header = "ICS Tracker administration"
admin.site.site_title = "ICS Tracker admin"
admin.site.index_title = "Data entry"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", OverviewView.as_view(), name="home"),
    path("", include("systems.urls")),
    path("finance/", include("finance.urls")),
    path("", include("performance.urls")),
    path("reports/", include("reports.urls")),
]
