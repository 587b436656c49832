from django.urls import path, register_converter

from core.converters import SlugConverter

from . import views


class YearConverter(SlugConverter):
    """A financial year as written in URLs: 2018-19."""

    regex = r"\d{4}-\d{2}"


register_converter(YearConverter, "financial_year")

app_name = "finance"

urlpatterns = [
    path("", views.finance_index, name="index"),
    path("plan-vs-outturn/", views.PlanOutturnView.as_view(), name="plan-vs-outturn"),
    path(
        "organisations/<str:ods_code>/",
        views.OrganisationFinanceView.as_view(),
        name="organisation",
    ),
    path("<financial_year:year>/", views.ControlTotalYearView.as_view(), name="year"),
    path("<financial_year:year>/<str:code>/", views.SystemYearView.as_view(), name="system"),
]
