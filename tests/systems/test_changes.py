"""What changed between two dates: the changes page's rows, summary, organisation moves,
refusals, export, query count and login."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.dates import format_partial_date
from core.wording import number_word
from systems.changes import change_rows, change_summary, organisation_moves
from systems.models import Designation, EventKind
from tests.factories.systems import MembershipFactory, OrganisationFactory, make_system
from tests.helpers import body

pytestmark = pytest.mark.django_db

URL = reverse("systems:changes")
START, END = dt.date(2018, 10, 1), dt.date(2021, 4, 1)


def _page(client, start, end, **params):
    return client.get(URL, {"from": start.isoformat(), "to": end.isoformat(), **params})


def test_changes_from_october_2018_to_april_2021_list_the_designations_of_2019_to_2021(
    analyst_client, reference_data
):
    """Every designation dated after 1 October 2018 up to 1 April 2021 is a row, and the
    summary counts them with their waves."""
    designations = list(
        Designation.objects.filter(designated_on__gt=START, designated_on__lte=END)
        .select_related("wave", "system")
        .order_by("wave__sequence")
    )
    assert len(designations) > 20
    rows = [row for row in change_rows(START, END) if row.kind == "Designated"]
    assert sorted((row.system.slug, row.what) for row in rows) == sorted(
        (d.system.slug, f"Designated in {d.wave.name}") for d in designations
    )
    assert [row.date for row in change_rows(START, END)] == sorted(
        row.date for row in change_rows(START, END)
    )
    waves = list(dict.fromkeys(d.wave.name for d in designations))
    assert waves == ["June 2019", "2020", "December 2020", "April 2021"]

    response = _page(analyst_client, START, END)
    assert response.status_code == 200
    page = response.content.decode()
    summary = response.context["summary"]
    assert summary.startswith(
        f"Between 1 October 2018 and 1 April 2021, {number_word(len(designations))} systems "
        "were designated (in the June 2019, 2020, December 2020 and April 2021 waves)"
    )
    assert summary in page
    export = body(_page(analyst_client, START, END, _export="csv")).decode("utf-8-sig")
    designated = {
        (line[2], line[3]) for line in csv.reader(io.StringIO(export)) if line[1] == "Designated"
    }
    assert designated == {(d.system.name, f"Designated in {d.wave.name}") for d in designations}


def test_row_dates_are_said_no_more_precisely_than_known(reference_data):
    rows = change_rows(START, END)
    assert {row.precision for row in rows} > {"day"}
    for row in rows:
        assert row.date_display == format_partial_date(row.date, row.precision)


def test_the_2026_reorganisation_appears_between_31_march_and_1_april_2026(
    analyst_client, reference_data
):
    start, end = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
    rows = change_rows(start, end)
    kinds = {row.kind for row in rows}
    assert {"Merged into", "Split into"} <= kinds
    assert all(row.date == end for row in rows)
    moves = organisation_moves(start, end)
    summary = change_summary(start, end, rows, moves)
    assert "merged into other systems" in summary
    assert "was split" in summary or "were split" in summary

    response = _page(analyst_client, start, end)
    assert response.status_code == 200
    assert response.context["move_count"] == len(moves)
    assert "Organisations that moved system" in response.content.decode()


def _moves_on_1_april_2026(moved: int):
    """Organisations that moved from one system to another on 1 April 2026 (`moved` of them),
    one that stayed, one split between two systems from then and one that closed."""
    old, new, other = make_system(name="Old"), make_system(name="New"), make_system(name="Other")
    last, first = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
    for _ in range(moved):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, system=old, valid_until=last)
        MembershipFactory(organisation=organisation, system=new, valid_from=first)
    MembershipFactory(system=old)
    split = OrganisationFactory(name="Split trust")
    MembershipFactory(organisation=split, system=old, valid_until=last)
    MembershipFactory(organisation=split, system=new, valid_from=first, share=Decimal("0.5"))
    MembershipFactory(organisation=split, system=other, valid_from=first, share=Decimal("0.5"))
    MembershipFactory(system=old, valid_until=last)
    return split


@pytest.mark.parametrize("moved", [1, 50])
def test_organisations_whose_system_differs_on_the_two_dates_moved(
    analyst_client, django_assert_max_num_queries, moved
):
    """The moves are the organisations in a system on both days whose systems differ, with a
    split counted once; one that stayed or closed is not a move. The page's queries do not
    grow with the number of moves."""
    split = _moves_on_1_april_2026(moved)
    start, end = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
    moves = organisation_moves(start, end)
    assert len(moves) == moved + 1
    split_move = next(move for move in moves if move.organisation == split)
    assert [s.name for s in split_move.systems_before] == ["Old"]
    assert [s.name for s in split_move.systems_after] == ["New", "Other"]
    with django_assert_max_num_queries(20):
        response = _page(analyst_client, start, end)
    assert response.context["move_count"] == moved + 1
    page = response.content.decode()
    assert "Split trust" in page
    assert response.context["summary"] == (
        f"Between 31 March 2026 and 1 April 2026, {number_word(moved + 1)} organisations"
        " moved system."
    )


def test_moves_download_lists_every_organisation_that_moved(analyst_client):
    """The moves table has its own CSV and XLSX downloads, all rows (not the page's 50), with
    the systems by name, and the page links to them."""
    _moves_on_1_april_2026(60)
    start, end = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
    page = _page(analyst_client, start, end).content.decode()
    assert "_table=moves&amp;_export=csv" in page
    response = _page(analyst_client, start, end, _table="moves", _export="csv")
    assert response.status_code == 200
    assert "organisations-that-moved" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert lines[0] == ["Organisation", "ODS code", "Kind", "System on date A", "System on date B"]
    assert len(lines) == 1 + 61
    split = next(line for line in lines if line[0] == "Split trust")
    assert (split[3], split[4]) == ("Old", "New, Other")
    xlsx = _page(analyst_client, start, end, _table="moves", _export="xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_refused_dates_offer_no_download(analyst_client):
    page = _page(analyst_client, END, START).content.decode()
    assert "_export=csv" not in page


def test_summary_over_a_long_span_is_told_in_short_sentences(reference_data):
    """Designations and statuses, changes of shape, new names and codes each get a sentence
    of their own, in that order, rather than one long list."""
    start, end = dt.date(2016, 1, 1), dt.date(2026, 12, 1)
    summary = change_summary(start, end, change_rows(start, end), [])
    sentences = summary.split(". ")
    assert sentences[0].startswith("Between 1 January 2016 and 1 December 2026, ")
    assert " systems were designated (in the Wave 1, Wave 2, " in sentences[0]
    assert "became ICSs" in sentences[0]
    assert sentences[1].startswith("Systems changed shape: ")
    assert "merged into other systems" in sentences[1] and "were split" in sentences[1]
    assert sentences[2].endswith("new codes came into use.")


def test_nothing_recorded_says_so(reference_data):
    day = dt.date(2017, 1, 2)
    rows = change_rows(day, day + dt.timedelta(days=1))
    assert rows == []
    assert change_summary(day, day + dt.timedelta(days=1), rows, []) == (
        "Between 2 January 2017 and 3 January 2017, no change to any system is recorded."
    )


@pytest.mark.parametrize("start, end", [(END, START), (START, START)])
def test_date_a_not_before_date_b_is_refused_with_a_message(analyst_client, start, end):
    response = _page(analyst_client, start, end)
    assert response.status_code == 200
    page = response.content.decode()
    assert "must be before the second" in page
    assert "summary" not in response.context or not response.context.get("summary")


def test_a_date_that_is_not_a_date_is_refused(analyst_client):
    response = analyst_client.get(URL, {"from": "2019-02-30", "to": "2021-04-01"})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()


def test_without_dates_the_page_shows_the_year_to_the_as_at_date(analyst_client, reference_data):
    response = analyst_client.get(URL, {"as_at": "2021-04-01"})
    assert response.status_code == 200
    assert response.context["summary"].startswith("Between 1 April 2020 and 1 April 2021, ")


def test_export_lists_the_same_rows(analyst_client, reference_data):
    rows = change_rows(START, END)
    response = _page(analyst_client, START, END, _export="csv")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert lines[0][:3] == ["Date", "Kind of change", "System"]
    assert len(lines) == len(rows) + 1
    assert [line[0] for line in lines[1:]] == [row.date_display for row in rows]
    xlsx = _page(analyst_client, START, END, _export="xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_events_are_described_in_the_lineage_words(reference_data):
    rows = change_rows(dt.date(2026, 3, 31), dt.date(2026, 4, 1))
    split = next(row for row in rows if row.detail == EventKind.SPLIT_INTO)
    assert split.what.startswith(f"{split.system} split: part into ")


@pytest.mark.parametrize("start, end", [(START, END), (dt.date(2026, 3, 31), dt.date(2026, 4, 1))])
def test_changes_page_query_count_is_bounded(
    analyst_client, reference_data, django_assert_max_num_queries, start, end
):
    with django_assert_max_num_queries(20):
        response = _page(analyst_client, start, end)
    assert response.status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = _page(client, START, END)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
