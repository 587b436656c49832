from django.urls import path

from . import views

app_name = "maturity"

urlpatterns = [
    path("maturity/", views.MaturityMatrixView.as_view(), name="matrix"),
]
