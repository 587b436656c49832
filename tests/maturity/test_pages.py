"""The maturity page and its exports, a system page's ratings, and their query counts."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maturity.models import Assessment, BestEnd, MaturityFramework
from tests.factories.maturity import AssessmentDomainRatingFactory, make_framework, rate
from tests.factories.systems import make_system
from tests.helpers import body
from tests.maturity.conftest import DASHBOARD

pytestmark = pytest.mark.django_db


def _csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_maturity_page_as_at_october_2018_shows_the_ratings_of_existing_systems(
    analyst_client, reference_data
):
    """On 1 October 2018 the matrix shows nine of the ten July 2017 ratings (Durham,
    Darlington, Teesside, Hambleton, Richmondshire and Whitby had merged in August 2018, so
    its rating is not shown), the heat map with its text alternative and data table, and the
    three frameworks described; in July 2018 all ten show."""
    july = analyst_client.get(reverse("maturity:matrix"), {"as_at": "2018-07-01"})
    assert len(july.context["table"].rows) == 10
    response = analyst_client.get(reverse("maturity:matrix"), {"as_at": "2018-10-01"})
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert len(rows) == 9
    assert "Durham, Darlington" not in response.content.decode()
    html = response.content.decode()
    assert 'id="maturity-matrix-figure"' in html
    assert "Show the data as a table" in html
    chart = response.context["chart"]
    assert "Outstanding (4): Bedfordshire, Luton and Milton Keynes, Dorset" in chart.description
    assert chart.data.columns == [
        "STP progress dashboard (July 2017)",
        "ICS maturity matrix (2018-21)",
    ]
    assert "System Oversight Framework 2021/22" in html  # described, though not yet in force
    assert "Local strategic priorities" in html


def test_maturity_page_before_july_2017_has_no_ratings(analyst_client, reference_data):
    response = analyst_client.get(reverse("maturity:matrix"), {"as_at": "2017-06-30"})
    assert len(response.context["table"].rows) == 0
    assert response.context["chart"] is None
    assert "No framework had been published as at 30 June 2017" in response.content.decode()


def test_maturity_page_one_framework_by_assessment_date(analyst_client, reference_data):
    """Choosing a framework shows every assessment under it up to the date, by date, of the
    systems that existed then (nine of the ten July 2017 ratings on 1 October 2018)."""
    dorset = type(Assessment.objects.first().system).objects.get(slug="dorset")
    dashboard = MaturityFramework.objects.get(slug=DASHBOARD)
    rate(dorset, dashboard, "Advanced", dt.date(2018, 3, 1), illustrative=True)
    url = reverse("maturity:matrix")
    response = analyst_client.get(url, {"framework": DASHBOARD, "as_at": "2018-10-01"})
    assert len(response.context["table"].rows) == 10
    assert response.context["chart"].data.columns == ["July 2017", "1 March 2018"]
    response = analyst_client.get(url, {"framework": "ics-maturity-matrix"})
    assert len(response.context["table"].rows) == 0
    assert "No system had been assessed" in response.content.decode()


def test_maturity_page_unknown_framework_says_so(analyst_client, reference_data):
    """An unknown framework in the address is reported on the form; the page still shows
    every framework's latest ratings."""
    response = analyst_client.get(
        reverse("maturity:matrix"), {"framework": "no-such-thing", "as_at": "2018-10-01"}
    )
    assert response.status_code == 200
    assert "framework" in response.context["filter"].form.errors
    assert len(response.context["table"].rows) == 9


def test_maturity_csv_export_equals_the_table(analyst_client, reference_data):
    """The download holds exactly the table's rows and columns, plus the source address."""
    query = {"as_at": "2018-10-01", "sort": "level__name"}
    page = analyst_client.get(reverse("maturity:matrix"), query)
    table = page.context["table"]
    response = analyst_client.get(reverse("maturity:matrix"), {**query, "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == [
        "System",
        "Framework",
        "Assessed",
        "Level",
        "Place on the scale",
        "Domain levels",
        "Source",
        "Source address",
        "Unverified",
        "Illustrative",
    ]
    assert [row[0] for row in rows[1:]] == [row.record.system.name for row in table.rows]
    assert [row[3] for row in rows[1:]][:4] == ["Outstanding"] * 4
    assert {row[2] for row in rows[1:]} == {"July 2017"}
    assert {row[4] for row in rows[1:]} == {"1 of 4 (best)", "4 of 4 (worst)"}
    xlsx = analyst_client.get(reverse("maturity:matrix"), {**query, "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(xlsx))).worksheets[0]
    assert [[cell.value or "" for cell in row] for row in sheet.iter_rows()] == rows


def test_system_page_shows_maturity_history_with_sources(analyst_client, reference_data):
    """A system page lists its ratings through time with their sources, and its rating on
    the chosen date."""
    url = reverse("systems:detail", args=["dorset"])
    response = analyst_client.get(url, {"as_at": "2018-10-01"})
    html = response.content.decode()
    assert "Maturity ratings over time" in html
    assert "PB.21.07.2017/11" in html
    assert [a.level.name for a in response.context["maturity_as_at"]] == ["Outstanding"]
    assert "Outstanding in the STP progress dashboard (July 2017), assessed July 2017" in html
    assert "1 of 4; 1 is best" in html
    early = analyst_client.get(url, {"as_at": "2017-01-01"})
    assert early.context["maturity_as_at"] == []
    assert "No rating recorded by this date" in early.content.decode()


def test_system_page_marks_unverified_ratings_and_links_sources(analyst_client):
    system = make_system()
    framework = make_framework(domains=("Finance",))
    rating = rate(
        system,
        framework,
        "Fair",
        dt.date(2019, 1, 1),
        unverified=True,
        source="A report",
        source_url="https://example.org/report",
    )
    AssessmentDomainRatingFactory(assessment=rating, domain=framework.domains.get())
    html = analyst_client.get(reverse("systems:detail", args=[system.slug])).content.decode()
    section = html[html.index("Maturity ratings over time") :]
    assert '<a class="nhsuk-link" href="https://example.org/report">A report</a>' in section
    assert "Unverified" in section
    assert "Finance: Fair" in section


def make_rated_systems(count: int):
    """`count` current systems, each rated under two frameworks with a domain rating."""
    first = make_framework(domains=("Finance",))
    second = make_framework(levels=("Emerging", "Thriving"), best_end=BestEnd.LAST)
    systems = []
    for _ in range(count):
        system = make_system()
        rating = rate(system, first, "Good", dt.date(2017, 7, 1))
        AssessmentDomainRatingFactory(assessment=rating)
        rate(system, second, "Thriving", dt.date(2019, 7, 1))
        systems.append(system)
    return systems


PAGES = {
    "maturity": lambda systems: reverse("maturity:matrix"),
    "maturity-framework": lambda systems: (
        reverse("maturity:matrix") + f"?framework={MaturityFramework.objects.first().slug}"
    ),
    "maturity-export": lambda systems: reverse("maturity:matrix") + "?_export=csv",
    "system": lambda systems: reverse("systems:detail", args=[systems[0].slug]),
}


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_maturity_page_query_count_does_not_grow_with_systems(
    analyst_client, django_assert_max_num_queries, page, count
):
    """The maturity pages and a rated system's page cost the same queries for 1 system as
    for 50 (each rated twice, with domain ratings): nothing is read row by row."""
    systems = make_rated_systems(count)
    url = PAGES[page](systems)
    # 19: the system page's 18 (with its sub-ICB locations and the three reads behind its
    # population, both cached with the page's data version) and one for the user's permissions.
    with django_assert_max_num_queries(19):
        response = analyst_client.get(url)
    assert response.status_code == 200


def test_maturity_heat_map_shows_only_systems_that_existed_and_says_why_cells_are_empty(
    analyst_client, django_assert_max_num_queries
):
    """A system that had merged by the date is not in the heat map or the table, though it
    was rated before; the page says how many systems are rated and why most cells are empty."""
    framework = make_framework(
        name="Dashboard", slug="dashboard", in_force_from=dt.date(2017, 4, 1)
    )
    merged = make_system(
        name="Merged Away",
        statuses=[("stp", dt.date(2016, 1, 1)), ("merged", dt.date(2018, 8, 1))],
    )
    rated = make_system(name="Still Here")
    make_system(name="Never Rated")
    rate(merged, framework, "Good", dt.date(2017, 7, 1))
    rate(rated, framework, "Best", dt.date(2017, 7, 1))
    with django_assert_max_num_queries(19):
        response = analyst_client.get(reverse("maturity:matrix"), {"as_at": "2018-10-01"})
    matrix = response.context["matrix"]
    assert [row.system for row in matrix.rows] == ["Never Rated", "Still Here"]
    assert [row.record.system.name for row in response.context["table"].rows] == ["Still Here"]
    html = response.content.decode()
    assert "The heat map shows the 2 systems that existed on 1 October 2018; 1 of them has" in html
    assert "a rating appears only where a public source gives one" in html
    assert "Merged Away" not in html
