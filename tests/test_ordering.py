"""Every list comes in one order: models' default orderings end on a unique key, tables break
ties in the sort on one, and pages do not depend on the order rows were written in (after a
restore, the overview's waves came back in another order)."""

import datetime as dt
import re
from types import SimpleNamespace

import django_tables2 as tables
import pytest
from django.apps import apps
from django.db import models

from core.models import DataVersion
from core.tables import OrderedTable
from tests.factories.systems import FootprintFactory, RegionFactory, WaveFactory, make_system
from tests.helpers import body

PROJECT_APPS = ("core", "systems", "maturity", "finance", "performance", "reports")


def pinned_fields(model, ordering) -> set[str]:
    """The model's fields whose values `ordering` fixes among rows it leaves tied: a field
    named itself (a foreign key alone sorts by the related model's ordering, checked there), or
    a foreign key followed to a unique field of the related model."""
    pinned = set()
    for item in ordering:
        path = item.lstrip("-").split("__")
        field = model._meta.pk if path[0] == "pk" else model._meta.get_field(path[0])
        if len(path) == 1:
            pinned.add(field.name)
        elif len(path) == 2 and field.is_relation:
            target = field.related_model._meta.get_field(path[1])
            if target.unique:
                pinned.add(field.name)
    return pinned


def is_total(model, ordering) -> bool:
    """Whether `ordering` fixes a unique field or every field of a unique constraint."""
    meta = model._meta
    keys = [{field.name} for field in meta.concrete_fields if field.unique]
    keys += [set(fields) for fields in meta.unique_together]
    keys += [
        set(constraint.fields)
        for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    pinned = pinned_fields(model, ordering)
    return any(key <= pinned for key in keys)


def project_tables() -> list[type[tables.Table]]:
    found, pending = [], [tables.Table]
    while pending:
        table = pending.pop()
        pending += table.__subclasses__()
        if table.__module__.split(".")[0] in PROJECT_APPS:
            found.append(table)
    return found


def test_every_model_orders_its_rows_totally():
    """Each model's default ordering ends on a unique key, so rows never tie (DataVersion
    has one row and needs none)."""
    partial = [
        f"{model._meta.label}: {list(model._meta.ordering)}"
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if model is not DataVersion and not is_total(model, model._meta.ordering)
    ]
    assert partial == []


def test_every_table_breaks_ties():
    """Every table of the pages and exports is an OrderedTable, and every one that is sorted
    names its tiebreak (only a table of rows built in order, never sorted, may leave it
    empty)."""
    found = project_tables()
    assert {table.__name__ for table in found} >= {"SystemTable", "LeagueTable", "MaturityTable"}
    unordered = [table.__name__ for table in found if not issubclass(table, OrderedTable)]
    untied = [
        table.__name__
        for table in found
        if issubclass(table, OrderedTable)
        and table is not OrderedTable
        and not table.tiebreak
        and (table._meta.order_by or table._meta.orderable)
    ]
    assert unordered == []
    assert untied == []


class KindTable(OrderedTable):
    kind = tables.Column()
    name = tables.Column()

    tiebreak = ("name", "key")


def test_ordered_table_of_rows_breaks_ties_whatever_their_order():
    """Rows that tie on the sorted column come in tiebreak order, however they were given and
    whichever way the column is sorted."""
    rows = [
        SimpleNamespace(kind="trust", name="Beta", key=2),
        SimpleNamespace(kind="practice", name="Gamma", key=3),
        SimpleNamespace(kind="trust", name="Alpha", key=1),
        SimpleNamespace(kind="trust", name="Alpha", key=0),
    ]
    for given in (rows, rows[::-1]):
        for sort in ("kind", "-kind"):
            table = KindTable(list(given), order_by=sort)
            trusts = [row.record.key for row in table.rows if row.record.kind == "trust"]
            assert trusts == [0, 1, 2], (sort, given)


def test_ordered_table_keeps_unsorted_rows_in_the_order_given():
    """Unsorted, rows stay in the order the caller built them in (a board summary's league
    table comes best first)."""
    rows = [SimpleNamespace(kind="trust", name=name, key=key) for key, name in enumerate("CAB")]

    table = KindTable(rows, order_by=())

    assert [row.record.name for row in table.rows] == ["C", "A", "B"]


@pytest.mark.django_db
def test_systems_tied_on_the_sorted_column_come_by_name_then_slug(client, analyst):
    """Sorted by status, systems with the same status come by name and then slug, not in the
    order the database happens to return them; the CSV export has the same order."""
    region = RegionFactory()
    for name, slug in [
        ("Zeta", "zeta"),
        ("Same name", "same-name-b"),
        ("Alpha", "alpha"),
        ("Same name", "same-name-a"),
    ]:
        make_system(name=name, slug=slug, footprint=FootprintFactory(region=region))
    client.force_login(analyst)
    expected = ["alpha", "same-name-a", "same-name-b", "zeta"]

    for sort in ("status_as_at", "-status_as_at", "region_name_as_at", "member_count_as_at"):
        page = client.get("/systems/", {"sort": sort, "as_at": "2020-01-01"}).content.decode()
        assert re.findall(r'href="/systems/([a-z-]+)/\?as_at=2020-01-01"', page) == expected, sort

    export = client.get("/systems/", {"sort": "status_as_at", "_export": "csv"})
    names = [line.split(",")[0] for line in body(export).decode().splitlines()[1:]]
    assert names == ["Alpha", "Same name", "Same name", "Zeta"]


@pytest.mark.django_db
def test_overview_lists_waves_in_sequence_whatever_order_they_were_written(client, analyst):
    """The overview's waves come in their sequence even when written last first (its grouped
    query would otherwise drop the model's ordering)."""
    for sequence in (7, 3, 11, 1, 9, 5, 12, 2, 8, 4, 10, 6):
        WaveFactory(name=f"Wave {sequence}", slug=f"wave-{sequence}", sequence=sequence)
    client.force_login(analyst)

    response = client.get("/", {"as_at": dt.date(2020, 1, 1).isoformat()})

    assert [wave.sequence for wave in response.context["waves"]] == list(range(1, 13))
