"""Sub-ICB locations: the 106 former CCGs under their ICBs from 1 July 2022, as in the ONS
April 2024 lookup, moved with their ICBs on 1 April 2026; on the system page and in the
systems list's search."""

import csv
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from systems.models import Membership, SubIcbLocation, System
from systems.reference import DATA_DIR, SNAPSHOT_DIR, load_reference_data
from tests.factories.systems import SubIcbLocationFactory, make_system

pytestmark = pytest.mark.django_db

ICB_DAY = dt.date(2022, 7, 1)
LOOKUP_DAY = dt.date(2024, 4, 1)
REORGANISED = dt.date(2026, 4, 1)
TODAY = dt.date(2026, 12, 1)
BOB = "Buckinghamshire, Oxfordshire and Berkshire West"


def _ccgs_in_january_2022() -> dict[str, str]:
    """CCG code -> its STP's ODS code, from the practice mapping the project ships."""
    with (SNAPSHOT_DIR / "gp-reg-pat-prac-map-2022-01.csv").open(encoding="utf-8-sig") as handle:
        return {row["CCG_CODE"]: row["STP_CODE"] for row in csv.DictReader(handle)}


def _under(day: dt.date) -> dict[str, str]:
    """Sub-ICB location code -> the slug of the system it is under on `day`."""
    return dict(SubIcbLocation.objects.as_at(day).values_list("code", "system__slug"))


def _listed(client, day: dt.date, **params) -> set[str]:
    response = client.get(reverse("systems:list"), {"as_at": day.isoformat(), **params})
    assert response.status_code == 200
    return {record.slug for record in response.context["table"].data}


def _detail(client, code: str, day: dt.date) -> str:
    response = client.get(reverse("systems:detail", args=[code]), {"as_at": day.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


# -- the reference data -----------------------------------------------------------------------


def test_a_second_load_changes_no_sub_icb_location(reference_data):
    summary = load_reference_data(include_snapshots=False)
    counts = summary.counts["sub-ICB locations"]
    assert counts["created"] == counts["updated"] == 0
    assert counts["unchanged"] == SubIcbLocation.objects.count()
    assert SubIcbLocation.history.filter(history_type="~").count() == 0


def test_on_1_july_2022_the_106_ccgs_are_sub_icb_locations_each_under_one_system(
    reference_data,
):
    on_the_day = SubIcbLocation.objects.as_at(ICB_DAY)
    codes = list(on_the_day.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 106
    assert set(codes) == set(_ccgs_in_january_2022())
    assert not SubIcbLocation.objects.as_at(ICB_DAY - dt.timedelta(days=1)).exists()
    existing = set(System.objects.current_as_at(ICB_DAY).values_list("pk", flat=True))
    assert set(on_the_day.values_list("system", flat=True)) <= existing
    assert len(set(on_the_day.values_list("system", flat=True))) == 42


def test_each_is_under_the_system_of_its_ccg_but_bassetlaw_under_nottinghamshire(
    reference_data,
):
    """Each sub-ICB location starts under the system of its CCG's STP in January 2022, except
    Bassetlaw, which the ICB boundaries of 1 July 2022 put under Nottingham and
    Nottinghamshire."""
    under = _under(ICB_DAY)
    moved = {}
    for code, stp in _ccgs_in_january_2022().items():
        expected = System.objects.get_by_code(stp).slug
        if under[code] != expected:
            moved[code] = (expected, under[code])
    assert moved == {
        "02Q": ("south-yorkshire-and-bassetlaw", "nottingham-and-nottinghamshire"),
    }


@pytest.mark.parametrize(
    ("code", "name", "ons_code", "icb"),
    [
        ("15A", f"NHS {BOB} ICB - 15A", "E38000221", "QU9"),
        ("02Q", "NHS Nottingham and Nottinghamshire ICB - 02Q", "E38000008", "QT1"),
        ("70F", "NHS Sussex ICB - 70F", "E38000265", "QNX"),
        ("D4U1Y", "NHS Frimley ICB - D4U1Y", "E38000252", "QNQ"),
        ("01Y", "NHS Greater Manchester ICB - 01Y", "E38000263", "QOP"),
    ],
)
def test_on_1_april_2024_a_location_is_as_the_ons_lookup_gives_it(
    reference_data, code, name, ons_code, icb
):
    location = SubIcbLocation.objects.as_at(LOOKUP_DAY).get(code=code)
    assert (location.name, location.ons_code) == (name, ons_code)
    assert location.system == System.objects.get_by_code(icb)


def test_on_1_april_2024_every_location_is_as_the_shipped_lookup_rows(reference_data):
    with (DATA_DIR / "sub_icb_locations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    latest = {}
    for row in sorted(rows, key=lambda row: row["valid_from"]):
        latest[row["code"]] = row
    assert len(latest) == 106
    for location in SubIcbLocation.objects.as_at(LOOKUP_DAY).select_related("system"):
        row = latest[location.code]
        assert (location.name, location.ons_code) == (row["name"], row["ons_code"])
        assert location.system == System.objects.get_by_code(row["icb"])


def test_an_ons_recode_starts_a_dated_period_under_the_same_system(reference_data):
    periods = list(SubIcbLocation.objects.filter(code="70F").order_by("valid_from"))
    assert [(p.ons_code, p.valid_from_display, p.system.slug) for p in periods] == [
        ("E38000248", "1 July 2022", "sussex-and-east-surrey"),
        ("E38000265", "April 2023", "sussex-and-east-surrey"),
        ("E38000265", "1 April 2026", "surrey-and-sussex"),
    ]
    assert periods[0].valid_until == dt.date(2023, 3, 31)
    assert all(p.unverified for p in periods)


@pytest.mark.parametrize("day", [REORGANISED, TODAY])
def test_after_the_reorganisation_none_is_under_an_ended_system(reference_data, day):
    on_the_day = SubIcbLocation.objects.as_at(day)
    assert on_the_day.count() == 106
    existing = set(System.objects.current_as_at(day).values_list("pk", flat=True))
    assert set(on_the_day.values_list("system", flat=True)) == existing
    assert len(existing) == 36


def test_locations_of_split_icbs_go_to_the_assigned_successor_unverified(reference_data):
    before, after = _under(REORGANISED - dt.timedelta(days=1)), _under(REORGANISED)
    assert {code: after[code] for code in ("06K", "06N", "07H", "06L", "07K", "06T")} == {
        "06K": "central-east",
        "06N": "central-east",
        "07H": "essex",
        "06L": "norfolk-and-suffolk",
        "07K": "norfolk-and-suffolk",
        "06T": "essex",
    }
    assert (before["D4U1Y"], after["D4U1Y"]) == ("frimley-health", "thames-valley")
    moved = SubIcbLocation.objects.filter(valid_from=REORGANISED)
    assert moved.filter(unverified=False).count() == 0
    frimley = moved.get(code="D4U1Y")
    assert "took most of its practices" in frimley.note
    assert frimley.name == "NHS Thames Valley ICB - D4U1Y"
    # A location of an ICB that did not change stays where it was.
    assert before["15C"] == after["15C"] == "bristol-north-somerset-and-south-gloucestershire"
    assert not SubIcbLocation.objects.filter(code="15C", valid_from=REORGANISED).exists()


def test_with_the_snapshots_each_continues_its_ccg_in_the_same_system(
    reference_data_with_snapshots,
):
    """Each sub-ICB location of 1 July 2022 is linked to the CCG it continues, and is under
    the system that CCG was a member of on its last day, but for Bassetlaw."""
    last_day = ICB_DAY - dt.timedelta(days=1)
    ccg_system = dict(
        Membership.objects.as_at(last_day)
        .filter(organisation__kind="ccg")
        .values_list("organisation__ods_code", "system__slug")
    )
    locations = SubIcbLocation.objects.as_at(ICB_DAY).select_related(
        "clinical_commissioning_group", "system"
    )
    differ = set()
    for location in locations:
        assert location.clinical_commissioning_group.ods_code == location.code
        if ccg_system[location.code] != location.system.slug:
            differ.add(location.code)
    assert differ == {"02Q"}


# -- the model --------------------------------------------------------------------------------


def test_overlapping_periods_of_one_code_are_refused():
    first = SubIcbLocationFactory(code="99Z", valid_until=dt.date(2024, 3, 31))
    overlapping = SubIcbLocation(
        code="99z",
        name="Another",
        system=first.system,
        valid_from=dt.date(2024, 3, 1),
        source="test",
    )
    with pytest.raises(ValidationError, match="may not overlap"):
        overlapping.full_clean()
    overlapping.code = "99Z"
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
    following = SubIcbLocationFactory.build(
        code="99Z", system=make_system(), valid_from=dt.date(2024, 4, 1), source="test"
    )
    following.full_clean()


# -- the pages --------------------------------------------------------------------------------


def test_system_page_lists_its_sub_icb_locations_with_since(analyst_client, reference_data):
    html = _detail(analyst_client, "QNX", LOOKUP_DAY)
    assert "Sub-ICB locations on 1 April 2024" in html
    for code in ("09D", "70F", "97R"):
        assert f"NHS Sussex ICB - {code}" in html
    # A new ONS code is a new period, not a new run: 70F has been in Sussex since 2022.
    row = html.split("<strong>70F</strong>")[1].split("</tr>")[0]
    assert "E38000265" in row
    assert "1 July 2022" in row
    assert "April 2023" not in row.split("Unverified")[0]


def test_successor_page_lists_what_it_took_on_with_the_assumption(analyst_client, reference_data):
    html = _detail(analyst_client, "S0E4D", TODAY)
    section = html.split("Sub-ICB locations on 1 December 2026")[1].split("</table>")[0]
    for code in ("10Q", "14Y", "15A", "D4U1Y"):
        assert f"NHS Thames Valley ICB - {code}" in section
    assert "1 April 2026" in section
    assert "Unverified" in section
    assert "took most of its practices" in section


def test_system_page_before_july_2022_has_no_sub_icb_locations(analyst_client, reference_data):
    assert "Sub-ICB locations on" not in _detail(analyst_client, "QNX", dt.date(2022, 6, 30))


def test_system_page_costs_the_same_for_one_location_as_for_twenty(analyst_client):
    """One query lists a system's sub-ICB locations, however many it has (the page's budget
    is in tests/systems/test_pages.py)."""
    counts = []
    for how_many in (1, 20):
        system = make_system(statuses=[("icb", ICB_DAY)])
        SubIcbLocationFactory.create_batch(how_many, system=system)
        url = reverse("systems:detail", args=[system.slug])
        with CaptureQueriesContext(connection) as captured:
            response = analyst_client.get(url, {"as_at": LOOKUP_DAY.isoformat()})
        assert response.status_code == 200
        assert response.content.decode().count("ICB - S") == how_many
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("day", "query", "found"),
    [
        (TODAY, "15A", {"thames-valley"}),
        (LOOKUP_DAY, "15a", {"buckinghamshire-oxfordshire-and-berkshire-west"}),
        (LOOKUP_DAY, "02Q", {"nottingham-and-nottinghamshire"}),
        (TODAY, "D4U1Y", {"thames-valley"}),
    ],
)
def test_search_finds_the_system_a_sub_icb_location_is_under_on_the_date(
    analyst_client, reference_data, day, query, found
):
    assert _listed(analyst_client, day, q=query) == found


def test_search_by_sub_icb_code_before_july_2022_finds_nothing(analyst_client, reference_data):
    assert _listed(analyst_client, dt.date(2022, 6, 30), q="15A") == set()
