"""Lineage on the pages: a system's predecessors and successors with dates, both ways, and
the systems list's search finding a system by any name or code it ever had, with its
successors."""

import datetime as dt

import pytest
from django.urls import reverse

from systems.models import DesignationEvent, EventKind
from systems.rules import successors
from tests.factories.systems import make_system

pytestmark = pytest.mark.django_db

TODAY = "2026-12-01"
SUCCESSION_DAY = dt.date(2026, 4, 1)


def _detail(client, code):
    response = client.get(reverse("systems:detail", args=[code]), {"as_at": TODAY})
    assert response.status_code == 200
    return response.content.decode()


def _listed(client, **params):
    response = client.get(reverse("systems:list"), {"as_at": TODAY, **params})
    assert response.status_code == 200
    return {record.slug for record in response.context["table"].data}


def test_frimley_page_names_its_three_successors_and_the_date(analyst_client, reference_data):
    """Successors are named as they were on the day (the short form of their dated names)."""
    body = _detail(analyst_client, "frimley-health")
    assert "Split on 1 April 2026 between" in body
    for slug, name in [
        ("hampshire-and-the-isle-of-wight", "Hampshire and Isle of Wight"),
        ("surrey-and-sussex", "Surrey and Sussex"),
        ("thames-valley", "Thames Valley"),
    ]:
        # Links keep the page's date (core.as_at).
        link = f"{reverse('systems:detail', args=[slug])}?as_at={TODAY}"
        assert f'<a href="{link}">{name}</a>' in body
    assert "(unverified)" not in body


def test_frimley_found_by_ods_code_shows_the_same_lineage(analyst_client, reference_data):
    assert "Split on 1 April 2026 between" in _detail(analyst_client, "QNQ")


def test_successor_pages_name_their_predecessors(analyst_client, reference_data):
    thames_valley = _detail(analyst_client, "thames-valley")
    assert "Formed on 1 April 2026 from" in thames_valley
    assert "Buckinghamshire, Oxfordshire and Berkshire West</a> and part of <a" in thames_valley
    assert ">Frimley</a>" in thames_valley  # its name on 1 April 2026
    london = _detail(analyst_client, "west-and-north-london")
    assert "Formed on 1 April 2026 from" in london
    assert ">North Central London</a> and <a" in london
    assert ">North West London</a>" in london
    hampshire = _detail(analyst_client, "hampshire-and-the-isle-of-wight")
    assert ">Frimley</a> on 1 April 2026" in hampshire
    assert "Took part of <a" in hampshire


def test_merged_system_page_names_its_successor(analyst_client, reference_data):
    body = _detail(analyst_client, "north-west-london")
    assert "Merged into <a" in body
    assert ">West and North London</a> on 1 April 2026" in body


def test_earlier_absorption_is_dated_to_the_month(analyst_client, reference_data):
    body = _detail(analyst_client, "buckinghamshire")
    assert ">Buckinghamshire, Oxfordshire and Berkshire West</a> in June 2019" in body


def test_lineage_marks_unverified_events(analyst_client):
    old = make_system(name="Old", slug="old")
    new = make_system(name="New", slug="new", statuses=[("icb", dt.date(2026, 4, 1))])
    DesignationEvent.objects.create(
        system=old,
        kind=EventKind.MERGED_INTO,
        related_system=new,
        occurred_on=dt.date(2026, 4, 1),
        source="test",
        unverified=True,
    )
    assert ">New</a> (unverified) on 1 April 2026" in _detail(analyst_client, "old")
    assert "Formed on 1 April 2026 from <a" in _detail(analyst_client, "new")
    assert ">Old</a> (unverified)" in _detail(analyst_client, "new")


def test_search_north_west_london_today_finds_it_and_its_successor(
    analyst_client, reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        found = _listed(analyst_client, q="North West London")
    assert found == {"north-west-london", "west-and-north-london"}


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("NHS Frimley Integrated Care Board", "frimley-health"),  # a dated statutory name
        ("QRV", "north-west-london"),  # an ODS code that ended on 31 March 2026
        ("E54000027", "north-west-london"),  # its footprint's ONS code
    ],
)
def test_search_finds_a_system_by_a_former_name_or_code(
    analyst_client, reference_data, query, slug
):
    assert slug in _listed(analyst_client, q=query)


def test_list_without_search_still_leaves_out_ended_systems(analyst_client, reference_data):
    listed = _listed(analyst_client)
    assert len(listed) == 36
    assert "north-west-london" not in listed


def test_heading_names_the_system_as_at_the_page_date(analyst_client, reference_data):
    """Today NHS Frimley's page is headed with its statutory name (short form in the title);
    before 1 July 2022 with its STP-era name."""
    response = analyst_client.get(reverse("systems:detail", args=["QNQ"]), {"as_at": TODAY})
    body = response.content.decode()
    assert "<h1>NHS Frimley Integrated Care Board</h1>" in body
    assert "<title>Frimley \u2013 ICS Tracker</title>" in body
    earlier = analyst_client.get(
        reverse("systems:detail", args=["QNQ"]), {"as_at": "2021-01-01"}
    ).content.decode()
    assert "<h1>Frimley Health</h1>" in earlier
    assert "NHS Frimley Integrated Care Board</h1>" not in earlier


def test_ended_system_page_says_when_it_ended_and_where_its_members_went(
    analyst_client, reference_data
):
    body = _detail(analyst_client, "north-west-london")
    assert "North West London ended on 31 March 2026; its members are now in <a" in body
    assert ">West and North London</a>." in body
    # Before it ended, no such note.
    earlier = analyst_client.get(
        reverse("systems:detail", args=["north-west-london"]), {"as_at": "2026-03-31"}
    ).content.decode()
    assert "ended on" not in earlier


def test_search_follows_successors_through_every_step(analyst_client):
    """A system merged into B, which later merged into C: searching A's name finds all three
    (the successor's successor too)."""
    first = make_system(name="Alpha Old", slug="alpha", statuses=[("stp", dt.date(2016, 3, 1))])
    second = make_system(name="Bravo", slug="bravo", statuses=[("stp", dt.date(2016, 3, 1))])
    third = make_system(name="Charlie", slug="charlie", statuses=[("icb", dt.date(2026, 4, 1))])
    for old, new, day in [(first, second, dt.date(2019, 4, 1)), (second, third, SUCCESSION_DAY)]:
        DesignationEvent.objects.create(
            system=old, kind=EventKind.MERGED_INTO, related_system=new, occurred_on=day, source="t"
        )
    assert _listed(analyst_client, q="Alpha Old") >= {"alpha", "bravo", "charlie"}
    assert "alpha" not in _listed(analyst_client, q="Charlie")


def test_successors_rule_follows_every_step_and_acquisitions():
    events = [
        (1, "absorbed_into", 2),
        (2, "split_into", 3),
        (2, "split_into", 4),
        (5, "acquired_part_of", 4),  # 5 took part of 4
        (6, "boundary_change", 1),
    ]
    assert successors({1}, events) == {1, 2, 3, 4, 5}
    assert successors({4}, events) == {4, 5}
    assert successors({6}, events) == {6}


def test_wave_page_names_the_successors_of_a_split_system(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:wave", args=["wave-1"]), {"as_at": TODAY})
    body = " ".join(response.content.decode().split())
    assert "Frimley Health split on 1 April 2026 between <a" in body
    for slug in ("hampshire-and-the-isle-of-wight", "surrey-and-sussex", "thames-valley"):
        assert f'href="{reverse("systems:detail", args=[slug])}?as_at={TODAY}"' in body
    assert "Surrey Heartlands merged into <a" in body


def test_performance_page_of_an_ended_system_says_how_its_figures_are_shown(
    analyst_client, reference_data
):
    response = analyst_client.get(
        reverse("performance:system", args=["north-west-london"]), {"as_at": TODAY}
    )
    body = " ".join(response.content.decode().split())
    assert "North West London ended on 31 March 2026; its members are now in <a" in body
    assert (
        "Its figures are shown for the system as it was, for the months in which it existed" in body
    )


def test_finance_page_of_an_ended_system_names_its_successors(analyst_client, reference_data):
    from tests.factories.finance import FinancialYearFactory

    year = FinancialYearFactory(start_year=2026)
    response = analyst_client.get(reverse("finance:system", args=[year.slug, "frimley-health"]))
    body = " ".join(response.content.decode().split())
    assert "Frimley ended on 31 March 2026; its members are now in <a" in body
    assert "no longer existed on 1 April 2026" in body
    earlier = FinancialYearFactory(start_year=2025)
    response = analyst_client.get(reverse("finance:system", args=[earlier.slug, "frimley-health"]))
    assert "ended on" not in response.content.decode()


def test_designation_chart_says_how_it_counts_merged_and_split_systems(
    analyst_client, reference_data
):
    response = analyst_client.get(reverse("home"), {"as_at": TODAY})
    description = response.context["chart"].description
    assert "Counts from 1 April 2026 are of the systems that succeeded those merged" in description
    assert "(36 ICS systems)" in description
    assert "a merged system's ICS status passes to its successor" in description
