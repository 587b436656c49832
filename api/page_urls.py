"""The API's pages for people: the documentation and the account page where tokens are made.
Included inside `require_view_right`, like every dashboard page."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/", views.ApiDocsView.as_view(), name="api-docs"),
    path("account/", views.AccountView.as_view(), name="account"),
]
