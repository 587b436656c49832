"""Lineage on the pages: a system's predecessors and successors with dates, both ways, and
the systems list's search finding a system by any name or code it ever had, with its
successors."""

import datetime as dt

import pytest
from django.urls import reverse

from systems.models import DesignationEvent, EventKind
from tests.factories.systems import make_system

pytestmark = pytest.mark.django_db

TODAY = "2026-12-01"


def _detail(client, code):
    response = client.get(reverse("systems:detail", args=[code]), {"as_at": TODAY})
    assert response.status_code == 200
    return response.content.decode()


def _listed(client, **params):
    response = client.get(reverse("systems:list"), {"as_at": TODAY, **params})
    assert response.status_code == 200
    return {record.slug for record in response.context["table"].data}


def test_frimley_page_names_its_three_successors_and_the_date(analyst_client, reference_data):
    body = _detail(analyst_client, "frimley-health")
    assert "Split on 1 April 2026 between" in body
    for slug, name in [
        ("hampshire-and-the-isle-of-wight", "Hampshire and the Isle of Wight"),
        ("surrey-and-sussex", "Surrey and Sussex"),
        ("thames-valley", "Thames Valley"),
    ]:
        assert f'<a href="{reverse("systems:detail", args=[slug])}">{name}</a>' in body
    assert "(unverified)" not in body


def test_frimley_found_by_ods_code_shows_the_same_lineage(analyst_client, reference_data):
    assert "Split on 1 April 2026 between" in _detail(analyst_client, "QNQ")


def test_successor_pages_name_their_predecessors(analyst_client, reference_data):
    thames_valley = _detail(analyst_client, "thames-valley")
    assert "Formed on 1 April 2026 from" in thames_valley
    assert "Buckinghamshire, Oxfordshire and Berkshire West</a> and part of <a" in thames_valley
    assert ">Frimley Health</a>" in thames_valley
    london = _detail(analyst_client, "west-and-north-london")
    assert "Formed on 1 April 2026 from" in london
    assert ">North Central London</a> and <a" in london
    assert ">North West London</a>" in london
    hampshire = _detail(analyst_client, "hampshire-and-the-isle-of-wight")
    assert ">Frimley Health</a> on 1 April 2026" in hampshire
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
