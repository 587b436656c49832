"""Pages, CSV and JSON go compressed to a browser that accepts gzip, with Django's BREACH
mitigation; a page showing a secret (a new API token) never does; files already compressed
are left alone (core.compression)."""

import gzip

import pytest
from django.urls import reverse

from tests.helpers import body

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_pages_and_csv_are_compressed_when_the_browser_accepts_it(analyst_client, reference_data):
    plain = analyst_client.get(reverse("systems:list"))
    assert "Content-Encoding" not in plain
    response = analyst_client.get(reverse("systems:list"), **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode().startswith("<!doctype html>")
    export = analyst_client.get(reverse("systems:list"), {"_export": "csv"}, **GZIP)
    assert export["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(export)).decode("utf-8-sig").startswith("System,")


def test_compressed_sizes_vary_so_a_secret_cannot_be_read_from_them(analyst_client):
    """Django adds random bytes to each compressed response (its BREACH mitigation)."""
    sizes = {len(analyst_client.get(reverse("home"), **GZIP).content) for _ in range(6)}
    assert len(sizes) > 1


def test_a_page_showing_a_new_token_is_never_compressed(analyst_client):
    response = analyst_client.post(
        reverse("account"), {"name": "scripts", "lifetime": "30"}, **GZIP
    )
    assert response.status_code == 201
    assert "Content-Encoding" not in response
    assert response.context["secret"] in response.content.decode()


def test_spreadsheets_are_not_compressed_again(analyst_client):
    response = analyst_client.get(reverse("systems:list"), {"_export": "xlsx"}, **GZIP)
    assert "Content-Encoding" not in response
