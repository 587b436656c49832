"""The map of systems on a date: which areas are drawn, which systems are not and why, and
that the map shows the same rows as its table."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from systems.maps import (
    AreaEvent,
    BoundarySet,
    FootprintFacts,
    ShownSystem,
    boundary_set_for,
    boundary_sets,
    load_map_layout,
    map_layout,
)
from systems.models import ENDED_STATUSES, System, SystemStatusKind

BOUNDARIES = BoundarySet(
    name="test",
    title="Test areas (2021)",
    valid_on=dt.date(2021, 4, 1),
    source="a test",
    licence="none",
    codes=frozenset({"E1", "E2", "E9"}),
)
DAY = dt.date(2021, 6, 1)


def _covers_every_system(layout, systems) -> bool:
    """Each system is in exactly one area or has its gap stated, never both."""
    for system in systems:
        areas = [a for a in layout.areas if system.id in a.systems]
        if len(areas) + (system.id in layout.gaps) != 1:
            return False
    return True


def test_whole_footprint_with_a_known_code_is_drawn_by_any_of_its_codes():
    """A recoded footprint keeps its area: any of its ONS codes finds it."""
    footprints = {1: FootprintFacts(1, "a", "A", frozenset({"E0-old", "E1"}))}
    systems = [ShownSystem(10, "System A", 1)]
    layout = map_layout(DAY, systems, footprints, [], BOUNDARIES)
    assert [(a.id, a.systems) for a in layout.areas] == [("E1", [10])]
    assert layout.gaps == {}


def test_part_of_a_footprint_and_no_footprint_are_stated_gaps_not_guesses():
    footprints = {1: FootprintFacts(1, "a", "Footprint A", frozenset({"E1"}))}
    systems = [
        ShownSystem(10, "Whole", 1),
        ShownSystem(11, "Part", 1, whole=False),
        ShownSystem(12, "Nowhere", None),
    ]
    layout = map_layout(DAY, systems, footprints, [], BOUNDARIES)
    assert [a.systems for a in layout.areas] == [[10]]
    assert "covered part of Footprint A" in layout.gaps[11]
    assert "no footprint" in layout.gaps[12]
    assert _covers_every_system(layout, systems)


def test_footprints_that_later_merged_are_drawn_as_their_merged_area_with_a_note():
    """The three northern footprints before August 2018: one area, the merged footprint's."""
    footprints = {
        1: FootprintFacts(1, "north", "North", frozenset({"E9"})),
        2: FootprintFacts(2, "a", "A", frozenset({"E-a"}), merged_into=1),
        3: FootprintFacts(3, "b", "B", frozenset({"E-b"}), merged_into=1),
    }
    systems = [ShownSystem(20, "System A", 2), ShownSystem(21, "System B", 3)]
    layout = map_layout(dt.date(2017, 1, 1), systems, footprints, [], BOUNDARIES)
    assert len(layout.areas) == 1
    assert layout.areas[0].systems == [20, 21]
    assert layout.areas[0].features == ("E9",)
    assert layout.notes == [
        "System A and System B are drawn as one area, North, which they later formed: the "
        "boundaries between them are not held."
    ]


def test_footprint_formed_by_whole_mergers_is_drawn_as_its_parts_together():
    footprints = {
        1: FootprintFacts(1, "a", "A", frozenset({"E1"}), merged_into=3),
        2: FootprintFacts(2, "b", "B", frozenset({"E2"}), merged_into=3),
        3: FootprintFacts(3, "ab", "A and B", frozenset({"E-new"})),
    }
    systems = [ShownSystem(30, "A and B", 3)]
    layout = map_layout(dt.date(2026, 6, 1), systems, footprints, [], BOUNDARIES)
    (area,) = layout.areas
    assert area.features == ("E1", "E2")
    assert "the line between them still shows" in area.note


def test_area_changed_since_the_boundaries_is_a_stated_gap():
    """Taking part of another system (Hampshire and Isle of Wight, April 2026) or a successor
    gaining part of a split one: the old boundary would be wrong, so it is not drawn."""
    footprints = {
        1: FootprintFacts(1, "a", "A", frozenset({"E1"})),
        2: FootprintFacts(2, "b", "B", frozenset({"E2"}), merged_into=3),
        3: FootprintFacts(3, "b2", "B and part of C", frozenset({"E-new"})),
    }
    events = [
        AreaEvent(40, "acquired_part_of", 99, dt.date(2026, 4, 1)),
        AreaEvent(99, "split_into", 41, dt.date(2026, 4, 1)),
    ]
    systems = [ShownSystem(40, "Grew", 1), ShownSystem(41, "Successor", 3)]
    layout = map_layout(dt.date(2026, 6, 1), systems, footprints, events, BOUNDARIES)
    assert layout.areas == []
    assert layout.gaps[40] == (
        "it took part of another system on 1 April 2026, and its boundary since then is not held"
    )
    assert "took in part of a system split on 1 April 2026" in layout.gaps[41]
    # Before the change the old area is right.
    before = map_layout(dt.date(2026, 3, 31), systems[:1], footprints, events, BOUNDARIES)
    assert [a.id for a in before.areas] == ["E1"]


def test_a_change_on_the_boundaries_own_date_is_the_one_they_show():
    footprints = {1: FootprintFacts(1, "a", "A", frozenset({"E1"}))}
    events = [AreaEvent(10, "boundary_change", 11, BOUNDARIES.valid_on)]
    for day in (dt.date(2021, 4, 1), dt.date(2022, 1, 1)):
        layout = map_layout(day, [ShownSystem(10, "A", 1)], footprints, events, BOUNDARIES)
        assert [a.id for a in layout.areas] == ["E1"]
    earlier = map_layout(
        dt.date(2019, 1, 1), [ShownSystem(10, "A", 1)], footprints, events, BOUNDARIES
    )
    assert "its boundary changed on 1 April 2021" in earlier.gaps[10]
    assert "before then" in earlier.gaps[10]


def test_shipped_boundaries_are_small_and_keyed_by_footprint_codes():
    stp, icb = boundary_sets()
    assert (len(stp.codes), len(icb.codes)) == (42, 42)
    assert boundary_set_for(dt.date(2019, 7, 1)) is stp
    assert boundary_set_for(dt.date(2022, 7, 1)) is icb
    assert all(code.startswith("E54") for code in stp.codes | icb.codes)
    assert "Open Government Licence" in stp.citation


# -- on the shipped reference data -------------------------------------------------------------

DATES = [
    dt.date(2016, 6, 1),
    dt.date(2018, 7, 31),
    dt.date(2018, 10, 1),
    dt.date(2019, 7, 1),
    dt.date(2021, 4, 1),
    dt.date(2022, 6, 30),
    dt.date(2022, 7, 1),
    dt.date(2024, 1, 1),
    dt.date(2026, 6, 1),
]


def _existing(day):
    return [
        (s.pk, s.shown_name)
        for s in System.objects.with_status_as_at(day)
        .with_names_as_at(day)
        .filter(status_as_at__isnull=False)
        .exclude(status_as_at__in=ENDED_STATUSES)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("day", DATES, ids=str)
def test_boundaries_cover_every_system_shown_or_the_gap_is_stated(reference_data, day):
    systems = _existing(day)
    layout = load_map_layout(day, systems)
    shown = [ShownSystem(pk, name, None) for pk, name in systems]
    assert _covers_every_system(layout, shown)
    assert len({a.id for a in layout.areas}) == len(layout.areas)


@pytest.mark.django_db
def test_every_system_on_1_july_2019_is_drawn_in_its_own_area(reference_data):
    day = dt.date(2019, 7, 1)
    layout = load_map_layout(day, _existing(day))
    assert layout.gaps == {}
    assert len(layout.areas) == 42
    assert layout.boundaries.name == "stp21"


@pytest.mark.django_db
def test_northern_footprints_before_august_2018_are_one_area_with_a_note(reference_data):
    day = dt.date(2018, 7, 1)
    names = dict(_existing(day))
    layout = load_map_layout(day, names.items())
    (north,) = [a for a in layout.areas if len(a.systems) > 1]
    assert sorted(names[s] for s in north.systems) == [
        "Durham, Darlington, Teesside, Hambleton, Richmondshire and Whitby",
        "Northumberland, Tyne and Wear and North Durham",
        "West, North and East Cumbria",
    ]
    assert "Cumbria and North East" in north.note
    # The sub-footprint ICSs of 2018 are stated, not drawn.
    gaps = sorted(names[s] for s in layout.gaps)
    assert "Greater Nottingham" in gaps


@pytest.mark.django_db
def test_2026_mergers_are_dissolved_and_splits_stated(reference_data):
    day = dt.date(2026, 6, 1)
    names = dict(_existing(day))
    by_name = {name: pk for pk, name in names.items()}
    layout = load_map_layout(day, names.items())
    assert len(names) == 36
    london = layout.area_of(by_name["West and North London"])
    assert london is not None and len(london.features) == 2
    for successor in ("Surrey and Sussex", "Thames Valley", "Hampshire and Isle of Wight"):
        assert by_name[successor] in layout.gaps, successor


# -- the pages ---------------------------------------------------------------------------------


def _figure_locations(chart) -> set[str]:
    return {location for trace in chart.figure["data"] for location in trace["locations"]}


def _check_map_matches(chart, expected_names):
    """The map's rows are the table's; every row is drawn in a location of the figure or says
    why not; the hover of each drawn area names its systems; the areas come from one shipped
    boundary file, served as a static file, that has every location the figure draws."""
    assert [row.name for row in chart.data] == expected_names
    hovers = " ".join(c[0] for t in chart.figure["data"] for c in t["customdata"])
    for row in chart.data:
        if row.drawn.startswith("Not drawn"):
            assert row.name in " ".join(chart.notes)
        else:
            assert f"{row.name}: {row.value}" in hovers
    assert _figure_locations(chart)
    (url,) = {trace["geojson"] for trace in chart.figure["data"]}
    (boundaries,) = [b for b in boundary_sets() if static(b.static_path) == url]
    served = json.loads(Path(finders.find(boundaries.static_path)).read_text(encoding="utf-8"))
    assert _figure_locations(chart) <= {feature["id"] for feature in served["features"]}


@pytest.mark.django_db
def test_overview_map_on_1_july_2019_shows_which_areas_were_icss(analyst_client, reference_data):
    response = analyst_client.get(reverse("home"), {"as_at": "2019-07-01"})
    chart = response.context["map"]
    table = analyst_client.get(reverse("systems:list"), {"as_at": "2019-07-01", "per_page": 100})
    rows = list(table.context["table"].data)
    labels = dict(SystemStatusKind.choices)
    assert {row.name: row.category for row in chart.data} == {
        s.shown_name: labels[s.status_as_at] for s in rows
    }
    assert {entry.label: entry.count for entry in chart.legend} == {"STP": 28, "ICS": 14}
    _check_map_matches(chart, [row.name for row in chart.data])
    html = response.content.decode()
    assert 'id="systems-map-figure"' in html
    # The mark static/js/charts.js loads the map bundle for (tests/browser/test_plotly).
    assert "data-map role=" in html


@pytest.mark.django_db
def test_pages_without_a_map_have_nothing_to_draw_one(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:list"))
    assert "data-map role=" not in response.content.decode()
