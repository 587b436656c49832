"""Every page's download holds what its Table's `as_values()` gives, column for column: the
export's `ExportPlan` (core/export_values.py) computes the same values without rendering each
cell through django-tables2, and the CSV and XLSX written from it are those values."""

import csv
import datetime as dt
import io
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

import core.pages
import finance.views
import performance.views
import systems.views
from core.export_values import ExportPlan, _plain_reader, _value_rows_fields
from core.exports import export_response, neutralise
from core.tables import DayColumn
from systems.models import Code, OrganisationKind
from systems.tables import MemberTable
from tests.factories.systems import MembershipFactory, OrganisationFactory, make_system
from tests.helpers import body
from tests.systems.test_changes import _moves_on_1_april_2026

pytestmark = pytest.mark.django_db

# Every module that answers `?_export=` by calling `export_response`.
EXPORTING_MODULES = (core.pages, systems.views, finance.views, performance.views)

# Filled in from the test's systems (slugs are made by the factories).
OBSERVED_PAGES = [
    "/systems/?as_at=2018-10-01",
    "/systems/?sort=-wave_name",
    "/systems/{alpha}/",
    "/systems/{delta}/?as_at=2018-10-01",
    "/waves/",
    "/finance/2017-18/",
    "/finance/2017-18/?sort=-control_total",
    "/finance/2017-18/{delta}/",
    "/finance/plan-vs-outturn/",
    "/performance/ae-4-hour/2017-18/",
    "/performance/ae-4-hour/2017-18/?per_head=1",
    "/performance/cancer-62-day/2017-18/?sort=-value",
    "/performance/ae-4-hour/2017-18/?system=QA1",
    "/systems/{alpha}/performance/",
    "/organisations/?as_at=2018-01-01",
]
REFERENCE_PAGES = [
    "/systems/?as_at=2021-04-01",
    "/systems/?as_at=2018-10-01&status=ics&sort=-members",
    "/changes/?from=2018-10-01&to=2021-04-01",
    "/maturity/?as_at=2018-10-01",
    "/maturity/?as_at=2018-10-01&sort=level__name",
]


@pytest.fixture
def exported_tables(monkeypatch):
    """The Table each download is written from, as the view hands it over."""
    tables = []

    def spy(table, export_format, filename):
        tables.append(table)
        return export_response(table, export_format, filename)

    for module in EXPORTING_MODULES:
        monkeypatch.setattr(module, "export_response", spy)
    return tables


def as_spreadsheet(table) -> list[list]:
    """The XLSX rows as they were written from `as_values()`: each value neutralised, through
    its column's `spreadsheet_value` (with the record's own value) where it has one."""
    bound_columns = [b for b in table.columns.iterall() if not b.column.exclude_from_export]
    header, *exported = table.as_values()
    rows = [header]
    for row, values in zip(table.rows, exported, strict=True):
        cells = []
        for bound, value in zip(bound_columns, values, strict=True):
            convert = getattr(bound.column, "spreadsheet_value", None)
            if convert is not None:
                value = convert(value, bound.accessor.resolve(row.record, quiet=True))
            cells.append(neutralise(value))
        rows.append(cells)
    return rows


def as_read_back(value):
    """A cell value as openpyxl reads it back: a day as a datetime, a blank as None."""
    if value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, Decimal):
        return float(value)
    return value


def assert_downloads_equal_as_values(client, address: str, exported_tables: list):
    exported_tables.clear()
    separator = "&" if "?" in address else "?"
    response = client.get(f"{address}{separator}_export=csv")
    assert response.status_code == 200, address
    assert response.streaming, address
    lines = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    [table] = exported_tables
    expected = list(table.as_values())
    assert len(expected) > 1, f"{address} exports no rows: the comparison would prove nothing"
    # The plan's values are as_values()'s, typed as they are.
    assert list(ExportPlan(table).rows()) == expected, address
    written = io.StringIO()
    for row in expected:
        cells = [neutralise(cell) for cell in row]
        csv.writer(written).writerow(
            [cell.isoformat() if isinstance(cell, dt.date) else cell for cell in cells]
        )
    assert lines == list(csv.reader(io.StringIO(written.getvalue()))), address

    exported_tables.clear()
    response = client.get(f"{address}{separator}_export=xlsx")
    assert response.status_code == 200, address
    [table] = exported_tables
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    read = [list(row) for row in sheet.iter_rows(values_only=True)]
    wanted = [[as_read_back(cell) for cell in row] for row in as_spreadsheet(table)]
    assert read == wanted, address
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), address


def test_every_observed_page_downloads_what_as_values_gives(
    client, analyst, observed, exported_tables
):
    """Systems, members, organisations, finance (year, system, plan against outturn), league
    tables (per head, one system picked) and a system's performance."""
    client.force_login(analyst)
    for page in OBSERVED_PAGES:
        address = page.format(alpha=observed["alpha"].slug, delta=observed["delta"].slug)
        assert_downloads_equal_as_values(client, address, exported_tables)


def test_every_reference_page_downloads_what_as_values_gives(
    client, analyst, reference_data, exported_tables
):
    """The national reference data: systems, changes, maturity."""
    client.force_login(analyst)
    for address in REFERENCE_PAGES:
        assert_downloads_equal_as_values(client, address, exported_tables)


def test_the_moves_download_is_what_as_values_gives(analyst_client, exported_tables):
    """The organisations that moved system, a split one among them."""
    _moves_on_1_april_2026(5)
    address = "/changes/?from=2026-03-31&to=2026-04-01&_table=moves"
    assert_downloads_equal_as_values(analyst_client, address, exported_tables)


class _CodeTable(tables.Table):
    """Plain fields, a field with choices, a relation that may be empty, and a method."""

    code = tables.Column()
    scheme = tables.Column()
    system__name = tables.Column(default="none")
    system__slug = tables.Column()
    system__shown_name = tables.Column()
    valid_from = DayColumn()


def test_plain_fields_are_read_straight_and_anything_else_as_the_library_does(reference_data):
    """A column whose accessor reads only model fields (through foreign keys) is read with
    `attrgetter`; a field with choices, a method or property, and a record whose relation on
    the way is empty give what `as_values()` gives all the same."""
    orphan = Code.objects.filter(system__isnull=True).first()
    assert orphan is not None, "the reference data has codes of regions and footprints"
    some = Code.objects.filter(system__isnull=False).select_related("system")[:5]
    table = _CodeTable([orphan, *some])
    plan = ExportPlan(table)
    assert list(plan.rows()) == list(table.as_values())
    readers = {column.name: column._plain[Code] for column in plan.columns}
    assert readers["code"] and readers["system__name"] and readers["valid_from"]
    assert readers["scheme"] is False  # choices: exported by its label
    assert readers["system__shown_name"] is False  # not a field
    assert _plain_reader(dict, ("code",)) is False


def test_a_table_of_its_fields_values_is_exported_from_value_rows():
    """The members table's every column is its own field's value (a choice by its label), so
    its download reads those values and builds no model instance; a table with a column that
    reads more (a property), and a DISTINCT queryset, are read as records. Both give what
    `as_values()` gives."""
    system = make_system(name="Members")
    kinds = (OrganisationKind.GP_PRACTICE, OrganisationKind.PCN, OrganisationKind.ACUTE_TRUST)
    for number in range(6):
        MembershipFactory(
            system=system,
            organisation=OrganisationFactory(name=f"THE {number} SURGERY", kind=kinds[number % 3]),
            valid_until=dt.date(2030, 1, 1) if number % 2 else None,
        )
    members = MemberTable(
        system.memberships.as_at(dt.date(2022, 1, 1)).select_related("organisation")
    )
    plan = ExportPlan(members)
    fields = _value_rows_fields(members.data.data, plan.columns)
    assert fields == [
        "organisation__name",
        "organisation__ods_code",
        "organisation__kind",
        "share",
        "valid_from",
        "valid_until",
    ]
    with CaptureQueriesContext(connection) as queries:
        rows = list(plan.rows())
    assert rows == list(members.as_values()) and len(rows) == 7
    assert {row[2] for row in rows[1:]} == {"GP practice", "Primary care network", "Acute trust"}
    [query] = queries.captured_queries
    assert '"systems_membership"."source"' not in query["sql"]  # only the six fields

    codes = Code.objects.all()
    assert _value_rows_fields(codes, ExportPlan(_CodeTable(codes)).columns) is None
    plain = MemberTable(system.memberships.distinct())
    assert _value_rows_fields(plain.data.data, ExportPlan(plain).columns) is None
