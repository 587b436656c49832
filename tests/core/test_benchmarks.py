"""The bench's page timing counts the queries a request runs (core.benchmarks), with DEBUG off
as under the bench's production settings, where it used to report 0."""

import pytest
from django.test import override_settings
from django.urls import reverse

from core.benchmarks import time_page

pytestmark = pytest.mark.django_db


def test_time_page_counts_the_queries_of_a_request_with_debug_off(analyst_client):
    url = reverse("systems:organisations")
    with override_settings(DEBUG=False):
        first = time_page(analyst_client, url, runs=3)
        again = time_page(analyst_client, url, runs=3)
    # A warm page: session, user, permissions, data version at least.
    assert first.queries >= 4
    assert first.queries == again.queries
