"""The questions analysts ask of the dated model, on the shipped reference data."""

import datetime as dt

import pytest

from systems.models import Footprint, Region, System, SystemStatusKind, Wave
from tests.factories.systems import (
    FootprintFactory,
    MembershipFactory,
    SystemFootprintFactory,
    make_system,
)

pytestmark = pytest.mark.django_db


def _counts(day):
    return (
        System.objects.ics_as_at(day).count(),
        Footprint.objects.with_ics_as_at(day).count(),
        Footprint.objects.as_at(day).count(),
    )


@pytest.mark.parametrize(
    ("day", "systems", "ics_footprints", "footprints"),
    [
        (dt.date(2016, 12, 31), 0, 0, 44),
        (dt.date(2018, 6, 1), 14, 13, 44),
        (dt.date(2018, 10, 1), 14, 13, 42),
        (dt.date(2019, 7, 1), 14, 14, 42),
        (dt.date(2021, 4, 1), 42, 42, 42),
        (dt.date(2022, 7, 1), 42, 42, 42),
    ],
)
def test_ics_counts_as_at_date(reference_data, day, systems, ics_footprints, footprints):
    """ICS systems and the footprints they cover, counted both ways, on the domain's check
    dates: 14 systems in 13 footprints in mid-2018, 14 of 42 in July 2019, all 42 by April
    2021."""
    assert _counts(day) == (systems, ics_footprints, footprints)


def test_ics_systems_on_1_october_2018_are_waves_1_and_2(reference_data):
    names = set(System.objects.ics_as_at(dt.date(2018, 10, 1)).values_list("name", flat=True))
    assert "Berkshire West" in names and "Buckinghamshire" in names
    assert "Blackpool and Fylde Coast" in names
    assert "West, North and East Cumbria" in names
    assert "Greater Nottingham" not in names  # combined with Nottinghamshire by September 2018
    assert "Nottingham and Nottinghamshire" in names
    assert "South East London" not in names


def test_reference_data_has_42_current_systems_and_44_footprints_of_2016(reference_data):
    assert System.objects.current_as_at(dt.date(2026, 1, 1)).count() == 42
    assert (
        System.objects.with_status_as_at(dt.date(2026, 1, 1))
        .filter(status_as_at=SystemStatusKind.ICB)
        .count()
        == 42
    )
    assert Footprint.objects.as_at(dt.date(2016, 12, 31)).count() == 44
    assert Region.objects.count() == 7
    assert Wave.objects.count() == 6
    assert Wave.objects.get(slug="wave-1").designations.count() == 10
    assert Wave.objects.get(slug="wave-2").designations.count() == 4


def test_footprint_codes_follow_recoding(reference_data):
    """Cumbria and North East was E54000049 from its merger and E54000050 after 2020."""
    footprint = Footprint.objects.get(slug="cumbria-and-north-east")
    assert [c.code for c in footprint.codes.as_at(dt.date(2019, 1, 1))] == ["E54000049"]
    assert [c.code for c in footprint.codes.as_at(dt.date(2021, 1, 1))] == ["E54000050"]
    assert not footprint.codes.as_at(dt.date(2018, 1, 1)).exists()


def test_region_ons_code_changes_in_2022(reference_data):
    midlands = Region.objects.get(slug="midlands")
    assert {c.code for c in midlands.codes.as_at(dt.date(2021, 1, 1))} == {"Y60", "E40000008"}
    assert {c.code for c in midlands.codes.as_at(dt.date(2023, 1, 1))} == {"Y60", "E40000011"}


def test_blackpool_timeline_says_what_became_of_it(reference_data):
    """A system's timeline runs oldest first and names the system it was absorbed into."""
    timeline = System.objects.get(slug="blackpool-and-fylde-coast").timeline()
    descriptions = [entry.description for entry in timeline]
    assert descriptions[0] == "Designated in Wave 1"
    assert (
        "Blackpool and Fylde Coast was absorbed into Lancashire and South Cumbria" in descriptions
    )
    assert descriptions[-1] == "Status: Merged or absorbed"
    absorbed = next(e for e in timeline if "absorbed into" in e.description)
    assert absorbed.unverified and absorbed.date_display == "June 2019"
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)


def test_absorbing_system_timeline_names_the_absorbed(reference_data):
    timeline = System.objects.get(slug="lancashire-and-south-cumbria").timeline()
    assert "Absorbed Blackpool and Fylde Coast" in [e.description for e in timeline]


def test_status_changes_on_its_effective_date():
    system = make_system(statuses=[("stp", dt.date(2016, 1, 1)), ("ics", dt.date(2018, 5, 24))])
    assert system.status_as_at(dt.date(2018, 5, 23)) == "stp"
    assert system.status_as_at(dt.date(2018, 5, 24)) == "ics"
    assert system.status_as_at(dt.date(2015, 12, 31)) is None
    assert list(System.objects.ics_as_at(dt.date(2018, 5, 24))) == [system]
    assert not System.objects.ics_as_at(dt.date(2018, 5, 23)).exists()


def test_two_part_systems_in_one_footprint_count_once():
    footprint = FootprintFactory()
    a = make_system(statuses=[("ics", dt.date(2018, 1, 1))], footprint=footprint)
    b = make_system(statuses=[("ics", dt.date(2018, 1, 1))], footprint=footprint)
    day = dt.date(2018, 6, 1)
    assert set(System.objects.ics_as_at(day)) == {a, b}
    assert list(Footprint.objects.with_ics_as_at(day)) == [footprint]


def test_footprint_counts_for_the_system_only_while_it_covers_it():
    old, new = FootprintFactory(), FootprintFactory()
    system = make_system(statuses=[("ics", dt.date(2018, 5, 24))], footprint=old)
    system.footprints.update(valid_until=dt.date(2018, 7, 31))
    SystemFootprintFactory(system=system, footprint=new, valid_from=dt.date(2018, 8, 1))
    assert list(Footprint.objects.with_ics_as_at(dt.date(2018, 7, 31))) == [old]
    assert list(Footprint.objects.with_ics_as_at(dt.date(2018, 8, 1))) == [new]


def test_members_as_at_date():
    """Members on a date are those whose inclusive period covers it."""
    system = make_system()
    stays = MembershipFactory(system=system, valid_from=dt.date(2018, 4, 1))
    leaves = MembershipFactory(
        system=system, valid_from=dt.date(2018, 4, 1), valid_until=dt.date(2020, 3, 31)
    )
    joins = MembershipFactory(system=system, valid_from=dt.date(2020, 4, 1))
    assert set(system.members_as_at(dt.date(2020, 3, 31))) == {stays, leaves}
    assert set(system.members_as_at(dt.date(2020, 4, 1))) == {stays, joins}
    assert not system.members_as_at(dt.date(2018, 3, 31)).exists()


def test_ics_query_is_one_query(django_assert_num_queries, reference_data):
    with django_assert_num_queries(1):
        list(System.objects.ics_as_at(dt.date(2019, 7, 1)))
    with django_assert_num_queries(1):
        Footprint.objects.with_ics_as_at(dt.date(2019, 7, 1)).count()
