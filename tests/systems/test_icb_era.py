"""The ICB era in the shipped reference data: the statutory names from 1 July 2022, the April
2023 recodes and the 1 April 2026 reorganisation, in which 42 ICBs became 36."""

import csv
import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse

from systems.models import (
    Code,
    CodeScheme,
    DesignationEvent,
    EventKind,
    Membership,
    System,
    SystemStatusKind,
)
from systems.reference import DATA_DIR, load_reference_data

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2026, 3, 31)
REORGANISED = dt.date(2026, 4, 1)
TODAY = dt.date(2026, 12, 1)
NEW_SYSTEMS = {
    "central-east": "S1Y5D",
    "essex": "D7T5G",
    "norfolk-and-suffolk": "T6Y0W",
    "surrey-and-sussex": "S9B9J",
    "thames-valley": "S0E4D",
    "west-and-north-london": "Z9B2Z",
}
SPLITS = {
    "hertfordshire-and-west-essex": {"central-east", "essex"},
    "suffolk-and-north-east-essex": {"essex", "norfolk-and-suffolk"},
    "frimley-health": {"thames-valley", "surrey-and-sussex", "hampshire-and-the-isle-of-wight"},
}


def _slugs_existing(day):
    return set(System.objects.current_as_at(day).values_list("slug", flat=True))


@pytest.mark.parametrize(("day", "count"), [(LAST_DAY, 42), (REORGANISED, 36), (TODAY, 36)])
def test_systems_existing_on_each_side_of_the_reorganisation(reference_data, day, count):
    assert len(_slugs_existing(day)) == count


def test_reorganisation_ends_twelve_systems_and_creates_six(reference_data):
    before, after = _slugs_existing(LAST_DAY), _slugs_existing(REORGANISED)
    assert after - before == set(NEW_SYSTEMS)
    ended = before - after
    assert len(ended) == 12
    assert set(SPLITS) - {"hampshire-and-the-isle-of-wight"} <= ended
    assert "hampshire-and-the-isle-of-wight" in after
    statuses = dict(
        System.objects.filter(slug__in=ended)
        .with_status_as_at(REORGANISED)
        .values_list("slug", "status_as_at")
    )
    assert statuses["hertfordshire-and-west-essex"] == SystemStatusKind.SPLIT
    assert statuses["north-west-london"] == SystemStatusKind.MERGED


def test_successors_have_dated_ods_codes_and_unverified_ons_codes(reference_data):
    for slug, code in NEW_SYSTEMS.items():
        system = System.objects.get(slug=slug)
        assert list(system.codes_as_at(REORGANISED).values_list("code", flat=True)) == [code]
        assert not system.codes_as_at(LAST_DAY).exists()
        assert System.objects.get_by_code(code) == system
    ons_2026 = Code.objects.filter(scheme=CodeScheme.ONS, valid_from=REORGANISED)
    assert sorted(ons_2026.values_list("code", flat=True)) == [f"E540000{n}" for n in range(65, 72)]
    assert all(ons_2026.values_list("unverified", flat=True))
    frimley = System.objects.get(slug="frimley-health")
    assert not frimley.codes_as_at(REORGANISED).exists()
    assert System.objects.get_by_code("QNQ") == frimley


def test_splits_mergers_and_acquisition_are_dated_events(reference_data):
    events = DesignationEvent.objects.filter(occurred_on=REORGANISED)
    splits = events.filter(kind=EventKind.SPLIT_INTO)
    assert {(e.system.slug, e.related_system.slug) for e in splits.select_related("system")} == {
        (predecessor, successor)
        for predecessor, successors in SPLITS.items()
        for successor in successors
        if successor != "hampshire-and-the-isle-of-wight"
    }
    acquisition = events.get(kind=EventKind.ACQUIRED_PART_OF)
    assert (acquisition.system.slug, acquisition.related_system.slug) == (
        "hampshire-and-the-isle-of-wight",
        "frimley-health",
    )
    assert events.filter(kind=EventKind.MERGED_INTO).count() == 9
    frimley = System.objects.get(slug="frimley-health")
    described = [entry.description for entry in frimley.timeline() if entry.kind == "event"]
    assert "Part taken by Hampshire and the Isle of Wight" in described
    assert "Frimley Health split: part into Thames Valley" in described


def test_statutory_names_are_dated_from_july_2022(reference_data):
    sussex = System.objects.get(slug="sussex-and-east-surrey")
    assert sussex.dated_name(dt.date(2022, 6, 30)) is None
    name = sussex.dated_name(dt.date(2022, 7, 1))
    assert (name.name, name.short_name) == ("NHS Sussex Integrated Care Board", "Sussex")
    overview = System.objects.with_overview_as_at(dt.date(2023, 1, 1))
    names = dict(overview.values_list("slug", "name_as_at"))
    assert names["humber-coast-and-vale"] == "Humber and North Yorkshire"
    assert names["west-yorkshire-and-harrogate"] == "West Yorkshire"
    earlier = dict(
        System.objects.with_overview_as_at(dt.date(2021, 1, 1)).values_list("slug", "name_as_at")
    )
    assert earlier["humber-coast-and-vale"] == "Humber, Coast and Vale"


def test_every_system_of_july_2022_has_its_statutory_name_and_ons_code(reference_data):
    """The 42 names of the ONS July 2022 list, each on a system existing then, whose footprint
    held the list's E54 code on that day."""
    day = dt.date(2022, 7, 1)
    with (DATA_DIR / "system_names.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["valid_from"] == day.isoformat()]
    assert len(rows) == 42
    assert {row["system"] for row in rows} == _slugs_existing(day)
    for row in rows:
        system = System.objects.get(slug=row["system"])
        footprint = system.footprint_as_at(day).footprint
        codes = footprint.codes.as_at(day).filter(scheme=CodeScheme.ONS)
        assert list(codes.values_list("code", flat=True)) == [row["ons_code"]], row["system"]


@pytest.mark.parametrize(
    ("footprint", "before", "after"),
    [
        ("surrey-heartlands", "E54000052", "E54000063"),
        ("sussex-and-east-surrey", "E54000053", "E54000064"),
    ],
)
def test_april_2023_recodes(reference_data, footprint, before, after):
    codes = Code.objects.filter(footprint__slug=footprint, scheme=CodeScheme.ONS)
    assert list(codes.as_at(dt.date(2023, 3, 31)).values_list("code", flat=True)) == [before]
    assert list(codes.as_at(dt.date(2023, 4, 1)).values_list("code", flat=True)) == [after]


def test_systems_list_today_shows_current_names(reference_data, analyst_client):
    response = analyst_client.get(reverse("systems:list"), {"as_at": TODAY.isoformat()})
    body = response.content.decode()
    assert "Humber and North Yorkshire" in body
    assert "Thames Valley" in body
    assert "Sussex and East Surrey" not in body


@pytest.mark.parametrize("predecessor", sorted(SPLITS))
def test_split_members_move_to_successors(reference_data_with_snapshots, predecessor):
    """Every member of a split system on its last day is a member of exactly one of its
    successors the next day, with the same share, and never of the system it left."""
    system = System.objects.get(slug=predecessor)
    before = dict(
        Membership.objects.as_at(LAST_DAY)
        .filter(system=system)
        .values_list("organisation_id", "share")
    )
    assert before
    assert not Membership.objects.as_at(REORGANISED).filter(system=system).exists()
    after = Membership.objects.as_at(REORGANISED).filter(organisation_id__in=before)
    successors = set(after.values_list("system__slug", flat=True))
    assert successors == SPLITS[predecessor]
    moved = after.filter(valid_from=REORGANISED)
    per_organisation = Counter(moved.values_list("organisation_id", flat=True))
    assert set(per_organisation) == set(before)
    assert max(per_organisation.values()) == 1  # none twice
    for membership in moved:
        assert membership.unverified, membership
        assert membership.note
        assert membership.share >= before[membership.organisation_id]


def test_merged_members_move_whole(reference_data_with_snapshots):
    nwl = System.objects.get(slug="north-west-london")
    before = set(
        Membership.objects.as_at(LAST_DAY)
        .filter(system=nwl)
        .values_list("organisation_id", flat=True)
    )
    after = Membership.objects.as_at(REORGANISED).filter(organisation_id__in=before)
    assert set(after.values_list("system__slug", flat=True)) == {"west-and-north-london"}
    assert not after.filter(unverified=True).exists()
    assert System.objects.get(slug="west-and-north-london").members_as_at(TODAY).count() >= len(
        before
    )


def test_organisations_are_never_twice_in_one_system(reference_data_with_snapshots):
    for day in (LAST_DAY, REORGANISED):
        pairs = Counter(Membership.objects.as_at(day).values_list("organisation_id", "system_id"))
        assert max(pairs.values()) == 1


def test_a_second_load_writes_nothing(reference_data_with_snapshots):
    summary = load_reference_data()
    assert summary.changed() == 0, summary.lines()
    assert summary.counts["members moved to successors"]["unchanged"] > 0
