"""Every endpoint's rows equal its page's: the same columns, in the same order, with the same
values as the page's CSV export for the same parameters (or, for a wave's designations, which
the page shows without an export, the same rows as the page's table)."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exports import neutralise
from finance.models import FinancialYear
from systems.models import System, Wave
from tests.factories.finance import add_members_with_figures
from tests.helpers import body

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def api_answer(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content, parse_float=Decimal)


def same_cell(value, cell: str) -> bool:
    """Whether a JSON value is what the CSV export wrote: numbers by value (JSON drops a
    Decimal's trailing zeros), dates in ISO form, text as the export neutralises it."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return cell != "" and Decimal(cell) == Decimal(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value == cell
    return str(neutralise(value)) == cell


def assert_rows_equal_export(answer: dict, rows: list[list[str]]):
    header, *body = rows
    assert [column["label"] for column in answer["columns"]] == header
    assert answer["count"] == len(body)
    names = [column["name"] for column in answer["columns"]]
    assert list(answer["rows"][0]) == names if body else True
    different = [
        (index, name, row[name], cell)
        for index, (row, cells) in enumerate(zip(answer["rows"], body, strict=True))
        for name, cell in zip(names, cells, strict=True)
        if not same_cell(row[name], cell)
    ]
    assert different == []


@pytest.fixture
def finance_figures(reference_data_with_snapshots):
    """Figures for 2018/19 for two reference systems, one illustrative."""
    year = FinancialYear.objects.get(start_year=2018)
    first, second = System.objects.order_by("name")[:2]
    start = dt.date(2018, 4, 1)
    add_members_with_figures(
        first, year, [(1000, 900, 950), (-20, -30, "-10.50")], valid_from=start
    )
    add_members_with_figures(second, year, [(500, 400, 300)], valid_from=start, illustrative=True)
    return year


CASES = {
    "systems": ("api:systems", "systems:list", {}, "as_at=2019-07-01"),
    "systems, ICSs": ("api:systems", "systems:list", {}, "as_at=2019-07-01&status=ics"),
    "systems, search and sort": (
        "api:systems",
        "systems:list",
        {},
        "as_at=2021-04-01&q=London&sort=-member_count_as_at",
    ),
    "members": ("api:system-members", "systems:detail", {"code": "QOP"}, "as_at=2021-04-01"),
    "waves": ("api:waves", "systems:waves", {}, ""),
    "maturity": ("api:maturity", "maturity:matrix", {}, "as_at=2019-07-01"),
    "maturity, one framework": (
        "api:maturity",
        "maturity:matrix",
        {},
        "as_at=2019-07-01&framework=stp-progress-dashboard-2017",
    ),
    "league": (
        "api:league",
        "performance:league",
        {"standard": "ae-4-hour", "period": "2018-19"},
        "",
    ),
    "league, all systems by region": (
        "api:league",
        "performance:league",
        {"standard": "ae-4-hour", "period": "2018-19-q3"},
        "figures=all&sort=region",
    ),
    "league per head": (
        "api:league",
        "performance:league",
        {"standard": "ae-4-hour", "period": "2018-19"},
        "per_head=on",
    ),
    "trends": ("api:system-performance", "performance:system", {"code": "QOP"}, ""),
    "control totals": ("api:control-totals", "finance:year", {"year": "2018-19"}, ""),
    "control totals, all": (
        "api:control-totals",
        "finance:year",
        {"year": "2018-19"},
        "figures=all&sort=-control_total",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_endpoint_rows_equal_the_page_export(
    client, analyst, analyst_token, bearer, finance_figures, case
):
    """The endpoint, called with a token, answers the rows the page exports to CSV for the
    same parameters, and links to that page and export."""
    api_name, page_name, kwargs, query = CASES[case]
    suffix = f"?{query}" if query else ""
    answer = api_answer(
        client.get(reverse(api_name, kwargs=kwargs) + suffix, **bearer(analyst_token))
    )
    client.force_login(analyst)
    export_query = f"{query}&_export=csv" if query else "_export=csv"
    rows = csv_rows(client.get(reverse(page_name, kwargs=kwargs) + "?" + export_query))

    assert answer["count"] > 0
    assert_rows_equal_export(answer, rows)
    assert csv_rows(client.get(answer["export"])) == rows


def test_sources_and_illustrative_figures_are_said_as_on_the_page(
    client, analyst_token, bearer, finance_figures
):
    """Where the page says a figure is illustrative or names its source, so does each row."""
    league = api_answer(
        client.get(reverse("api:league", args=["ae-4-hour", "2018-19"]), **bearer(analyst_token))
    )
    assert {row["source"] for row in league["rows"]} and all(
        row["source"] for row in league["rows"]
    )
    totals = api_answer(
        client.get(reverse("api:control-totals", args=["2018-19"]), **bearer(analyst_token))
    )
    assert sorted(row["figures"] for row in totals["rows"]) == ["Illustrative", "Reported"]


def test_as_at_defaults_to_today_not_the_browsers_date(client, analyst, analyst_token, bearer):
    """A browser's remembered date never changes what a script gets: without `as_at` the
    answer is as at today, and it says so."""
    client.force_login(analyst)
    client.get(reverse("systems:list") + "?as_at=2017-01-01")
    answer = api_answer(client.get(reverse("api:systems")))
    assert answer["as_at"] == dt.date.today().isoformat()
    assert f"as_at={answer['as_at']}" in answer["page"]


def test_wave_designations_equal_the_wave_page(
    client, analyst, analyst_token, bearer, reference_data
):
    """A wave's designations are the wave page's rows: each system, its footprint, date and
    status on the date, and the designation's source, flagged where unverified."""
    url = reverse("api:wave-designations", args=["wave-1"]) + "?as_at=2019-07-01"
    answer = api_answer(client.get(url, **bearer(analyst_token)))
    client.force_login(analyst)
    page = client.get(reverse("systems:wave", args=["wave-1"]) + "?as_at=2019-07-01")

    expected = [
        (
            row["system"].name,
            row["url_code"],
            row["designation"].designated_display,
            row["status_then"],
            row["designation"].source,
            row["designation"].unverified,
        )
        for row in page.context["rows"]
    ]
    assert [
        (
            row["system"],
            row["system_code"],
            row["designated"],
            row["status_on_date"],
            row["source"],
            row["unverified"],
        )
        for row in answer["rows"]
    ] == expected
    assert answer["count"] == Wave.objects.get(slug="wave-1").designations.count() == 10


def test_bad_parameters_are_refused_with_what_is_wrong(
    client, analyst_token, bearer, reference_data
):
    """A page ignores a date or filter it cannot read; the API answers 400 naming it."""
    bad_date = client.get(reverse("api:systems") + "?as_at=2019-13-01", **bearer(analyst_token))
    assert bad_date.status_code == 400
    assert "as_at" in bad_date.json()
    bad_region = client.get(reverse("api:systems") + "?region=nowhere", **bearer(analyst_token))
    assert bad_region.status_code == 400
    assert "region" in bad_region.json()
    missing = client.get(reverse("api:system-members", args=["ZZZ"]), **bearer(analyst_token))
    assert missing.status_code == 404
    no_figures = client.get(
        reverse("api:control-totals", args=["2030-31"]), **bearer(analyst_token)
    )
    assert no_figures.status_code == 404
