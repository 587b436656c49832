"""The django-tables2 patch (core/patches.py) changes speed, never output: the pages' tables,
their exports and a board paper's tables are the same bytes with it and without it, and it
refuses a django-tables2 it was not written for."""

import datetime as dt
import importlib
import io
import logging
import re
import tomllib
from pathlib import Path

import django_tables2
import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from core import patches
from reports.paper import compose_document
from reports.sections import SummaryScope
from systems.models import Wave
from tests.helpers import body

ROOT = Path(__file__).resolve().parent.parent.parent
TABLE_MODULES = ["systems.tables", "finance.tables", "performance.tables", "reports.tables"]

# Filled in from the test's systems (slugs are made by the factories).
PAGES = [
    "/systems/?as_at=2018-10-01",
    "/systems/?as_at=2018-10-01&_export=csv",
    "/systems/?sort=-wave_name&_export=xlsx",
    "/systems/{alpha}/",
    "/systems/{delta}/?_export=csv",
    "/waves/",
    "/waves/wave-1/",
    "/finance/2017-18/",
    "/finance/2017-18/?_export=csv",
    "/finance/2017-18/?sort=-control_total&_export=xlsx",
    "/finance/2017-18/{delta}/",
    "/finance/2017-18/{delta}/?_export=csv",
    "/finance/plan-vs-outturn/",
    "/finance/plan-vs-outturn/?_export=csv",
    "/performance/ae-4-hour/2017-18/",
    "/performance/ae-4-hour/2017-18/?_export=csv",
    "/performance/cancer-62-day/2017-18/?sort=-value&_export=xlsx",
    "/performance/compare/2017-18/",
    "/systems/{alpha}/performance/",
]

# What differs between two renders of the same data: the masked CSRF token and the nonce.
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]*"')


@pytest.fixture
def unpatched():
    """Run the body with the library's own `signature`, then put the patch back."""
    patches.uninstall()
    yield
    assert patches.install()


def test_patch_is_written_for_the_pinned_version():
    """The version pyproject.toml pins is the one the patch was checked against, and it is in
    place: an upgrade of the pin without checking the patch fails here."""
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"django-tables2=={patches.WRITTEN_FOR}" in pins
    assert django_tables2.__version__ == patches.WRITTEN_FOR
    assert patches.is_installed()
    assert patches.check_patches() == []


def test_an_untested_version_is_refused_and_said(monkeypatch, caplog, unpatched):
    monkeypatch.setattr(django_tables2, "__version__", "9.0.0")
    with caplog.at_level(logging.WARNING, logger="core.patches"):
        assert patches.install() is False
    assert not patches.is_installed()
    assert "django-tables2 9.0.0 is installed" in caplog.text
    [warning] = patches.check_patches()
    assert warning.id == "core.W001" and "written for 3.0.1" in warning.msg
    monkeypatch.undo()  # the fixture installs it again on the tested version


def column_methods():
    """Every function django-tables2 asks the signature of: each column's render and value
    (bound, as the library calls them) and each table's render_/value_/order_ methods."""
    found = []
    for module in TABLE_MODULES:
        for table in vars(importlib.import_module(module)).values():
            if not (isinstance(table, type) and issubclass(table, django_tables2.Table)):
                continue
            for name, column in table.base_columns.items():
                found += [
                    (f"{table.__name__}.{name}.render", column.render),
                    (f"{table.__name__}.{name}.value", column.value),
                ]
            found += [
                (f"{table.__name__}.{name}", function)
                for name, function in vars(table).items()
                if callable(function) and name.startswith(("render_", "value_", "order_"))
            ]
    return found


def test_memoised_signature_answers_as_the_original_for_every_column():
    methods = column_methods()
    assert len(methods) > 50
    for name, function in methods:
        assert patches.memoised_signature(function) == patches._original_signature(function), name
        # Asked again (from the cache), the same answer.
        assert patches.memoised_signature(function) == patches._original_signature(function)


def workbook_values(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]


def render(client, pages: list[str]) -> dict:
    cache.clear()  # cached fragments would hide a difference
    rendered = {}
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        if address.endswith("xlsx"):  # the workbook's bytes carry the time it was written
            rendered[address] = workbook_values(body(response))
        else:
            rendered[address] = VOLATILE.sub(rb"\1", body(response))
    return rendered


def paper_tables(year) -> list:
    """Every table of the paper of all systems and of the wave: text shown and values
    exported."""
    tables = []
    for kind, wave in [("all", None), ("wave", Wave.objects.get(slug="wave-1"))]:
        scope = SummaryScope(scope=kind, wave=wave, as_at=dt.date(2018, 9, 27), year=year)
        document = compose_document(scope, generated_on=dt.date(2026, 1, 5))
        tables += [(t.caption, t.rows, t.value_headers, t.values) for t in document.tables]
    return tables


def test_tables_render_the_same_with_and_without_the_patch(client, analyst, observed):
    """Systems, finance and performance tables, as pages, as CSV and XLSX downloads, and as a
    board paper's tables: byte for byte (a workbook's cell values)."""
    client.force_login(analyst)
    pages = [
        page.format(alpha=observed["alpha"].slug, delta=observed["delta"].slug) for page in PAGES
    ]
    patched_pages, patched_paper = render(client, pages), paper_tables(observed["year"])
    patches.uninstall()
    try:
        original_pages, original_paper = render(client, pages), paper_tables(observed["year"])
    finally:
        assert patches.install()
    assert len(patched_paper) > 4
    for address in pages:
        assert patched_pages[address] == original_pages[address], address
    assert patched_paper == original_paper
