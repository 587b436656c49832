import csv
import datetime as dt

import pytest
from django.core.management import call_command

from systems.models import Designation, System, SystemStatus
from systems.reference import DATA_DIR, load_reference_data

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in [
            (System, ("slug", "name", "official_name", "source", "unverified")),
            (SystemStatus, ("system__slug", "status", "effective_from", "version")),
            (Designation, ("system__slug", "wave__slug", "designated_on", "version")),
        ]
    } | {"history": System.history.count() + SystemStatus.history.count()}


def test_loading_twice_changes_nothing(reference_data):
    """A second load writes no row, bumps no version and adds no history."""
    before = _snapshot()
    summary = load_reference_data(include_snapshots=False)
    assert summary.changed() == 0
    assert _snapshot() == before


def test_load_command_reports_counts(db, capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "systems: 55 created" in out
    call_command("load_reference_data")
    assert "0 rows written" in capsys.readouterr().out


def test_loading_restores_an_edited_fact_and_keeps_admin_rows(reference_data):
    """The files win for the rows they hold; rows admins added are left alone."""
    system = System.objects.get(slug="dorset")
    System.objects.filter(pk=system.pk).update(name="Renamed by mistake")
    extra = SystemStatus.objects.create(
        system=system, status="ics", effective_from=dt.date(2030, 1, 1), source="admin"
    )
    summary = load_reference_data(include_snapshots=False)
    assert summary.counts["systems"]["updated"] == 1
    assert System.objects.get(pk=system.pk).name == "Dorset"
    assert SystemStatus.objects.filter(pk=extra.pk).exists()


def test_every_reference_row_names_a_source():
    for path in DATA_DIR.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                assert row["source"].strip(), f"{path.name} row {number} has no source"
                assert row["unverified"] in {"", "1"}, f"{path.name} row {number}"


REFERENCE_FILES = sorted(
    path
    for folder in ("systems", "finance", "performance")
    for path in (DATA_DIR.parent.parent / folder / "reference_data").glob("*.csv")
)


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda path: path.name)
def test_no_reference_row_cites_only_the_projects_own_notes(path):
    """Every source names a public document: the domain brief may be mentioned beside one,
    never alone, and every part of a source that is not the brief is a citation."""
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if "source" not in row:
                continue
            parts = [part.strip() for part in row["source"].split(";") if part.strip()]
            public = [part for part in parts if "domain brief" not in part.lower()]
            assert public, f"{path.name} row {number} cites only the project's notes"


def test_unverified_facts_are_flagged(reference_data):
    """The domain brief's unverified facts are stored as unverified, never as certain."""
    inferred = Designation.objects.filter(
        system__slug__in=[
            "hampshire-and-the-isle-of-wight",
            "derbyshire",
            "birmingham-and-solihull",
        ]
    )
    assert inferred.count() == 3 and all(d.unverified for d in inferred)
    assert all(d.unverified for d in Designation.objects.filter(wave__slug="2020"))
    # The December 2020 wave's effective date is disputed: flagged on the designations as on
    # the statuses, and the note says why.
    december = Designation.objects.filter(wave__slug="december-2020")
    assert december.count() == 11
    assert all(d.unverified and "sources differ" in d.note for d in december)
    assert all(
        s.unverified
        for s in SystemStatus.objects.filter(
            system__in=december.values("system"), effective_from=dt.date(2020, 12, 1)
        )
    )
    assert Designation.objects.get(system__slug="gloucestershire").unverified is False
