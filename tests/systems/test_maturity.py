"""Maturity: frameworks as data, the shipped ratings, the as-at query, validation, the pages
and their exports, and the admin."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import load_workbook

from systems import charts
from systems.maturity import (
    assessments_for,
    build_matrix,
    describe_matrix,
    latest_assessments_as_at,
    latest_by_framework,
    level_position,
    level_score,
    maturity_history,
)
from systems.models import (
    Assessment,
    AssessmentDomainRating,
    BestEnd,
    MaturityDomain,
    MaturityFramework,
    MaturityLevel,
)
from systems.reference import load_reference_data
from tests.factories.systems import (
    AssessmentDomainRatingFactory,
    AssessmentFactory,
    SystemFactory,
    make_framework,
    make_system,
)

pytestmark = pytest.mark.django_db

OUTSTANDING_2017 = {
    "dorset",
    "durham-darlington-teesside-hambleton-richmondshire-and-whitby",
    "frimley-health",
    "bedfordshire-luton-and-milton-keynes",
    "south-yorkshire-and-bassetlaw",
}
NEEDS_MOST_IMPROVEMENT_2017 = {
    "bristol-north-somerset-and-south-gloucestershire",
    "humber-coast-and-vale",
    "northamptonshire",
    "staffordshire-and-stoke-on-trent",
    "sussex-and-east-surrey",
}
DASHBOARD = "stp-progress-dashboard-2017"


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def _level(framework, name):
    return framework.levels.get(name=name)


def _rate(system, framework, name, day, **kwargs):
    return AssessmentFactory(
        system=system,
        framework=framework,
        level=_level(framework, name),
        assessed_on=day,
        precision="day",
        **kwargs,
    )


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- the shipped reference data -------------------------------------------------------------


def test_reference_maturity_loads_exactly_the_ten_known_2017_ratings(reference_data):
    """Only the five Outstanding and five Needs most improvement STPs of July 2017 are rated;
    each is dated July 2017 to the month and names its source."""
    ratings = Assessment.objects.select_related("system", "framework", "level")
    assert ratings.count() == 10
    by_level = {}
    for rating in ratings:
        by_level.setdefault(rating.level.name, set()).add(rating.system.slug)
        assert rating.framework.slug == DASHBOARD
        assert rating.assessed_on == dt.date(2017, 7, 1)
        assert rating.precision == "month"
        assert rating.assessed_display == "July 2017"
        assert "PB.21.07.2017/11" in rating.source
        assert rating.illustrative is False
    assert by_level == {
        "Outstanding": OUTSTANDING_2017,
        "Needs most improvement": NEEDS_MOST_IMPROVEMENT_2017,
    }
    assert not AssessmentDomainRating.objects.exists()


def test_reference_maturity_frameworks_levels_and_domains(reference_data):
    """Three frameworks as data: four levels each, best end stated; 9 dashboard areas, no
    maturity matrix domains asserted, five oversight themes plus the sixth from 2022/23."""
    frameworks = {f.slug: f for f in MaturityFramework.objects.all()}
    assert set(frameworks) == {
        DASHBOARD,
        "ics-maturity-matrix",
        "system-oversight-framework-2021-22",
    }
    levels = {slug: list(f.levels.values_list("name", flat=True)) for slug, f in frameworks.items()}
    assert levels[DASHBOARD] == [
        "Outstanding",
        "Advanced",
        "Making progress",
        "Needs most improvement",
    ]
    assert levels["ics-maturity-matrix"] == ["Emerging", "Developing", "Maturing", "Thriving"]
    assert frameworks["ics-maturity-matrix"].best_end == BestEnd.LAST
    assert frameworks[DASHBOARD].best_end == BestEnd.FIRST
    assert frameworks["system-oversight-framework-2021-22"].best_end == BestEnd.FIRST
    assert frameworks[DASHBOARD].domains.count() == 9
    assert frameworks["ics-maturity-matrix"].domains.count() == 0
    themes = list(frameworks["system-oversight-framework-2021-22"].domains.all())
    assert len(themes) == 6
    assert themes[-1].name == "Local strategic priorities"
    assert themes[-1].in_use_from == dt.date(2022, 4, 1)
    assert all(theme.in_use_from is None for theme in themes[:5])
    segment_2 = frameworks["system-oversight-framework-2021-22"].levels.get(order=2)
    assert segment_2.unverified


def test_reference_maturity_second_load_writes_nothing(reference_data):
    """Loading again changes no maturity row, bumps no version and adds no history."""

    def snapshot():
        return (
            sorted(Assessment.objects.values_list("system__slug", "level__name", "version")),
            sorted(MaturityFramework.objects.values_list("slug", "version")),
            Assessment.history.count() + MaturityFramework.history.count(),
            MaturityLevel.history.count() + MaturityDomain.history.count(),
        )

    before = snapshot()
    summary = load_reference_data(include_snapshots=False)
    assert summary.changed() == 0
    assert summary.counts["maturity assessments"]["unchanged"] == 10
    assert snapshot() == before


def test_reference_maturity_restores_an_edited_rating_and_keeps_admin_ones(reference_data):
    """The file wins for the ratings it holds; ratings entered by editors are left alone."""
    dashboard = MaturityFramework.objects.get(slug=DASHBOARD)
    dorset = Assessment.objects.get(system__slug="dorset")
    dorset.level = _level(dashboard, "Advanced")
    dorset.save()
    added = _rate(
        SystemFactory(), dashboard, "Making progress", dt.date(2017, 7, 1), source="editor"
    )
    summary = load_reference_data(include_snapshots=False)
    assert summary.counts["maturity assessments"]["updated"] == 1
    assert Assessment.objects.get(pk=dorset.pk).level.name == "Outstanding"
    assert Assessment.objects.filter(pk=added.pk).exists()


# -- the as-at query ------------------------------------------------------------------------


@pytest.fixture
def two_frameworks():
    """System A rated under the old framework in 2017 and 2019, and under the new one in
    2021; system B rated once, in 2019."""
    old = make_framework(name="Old", slug="old")
    new = make_framework(
        name="New", slug="new", levels=("Emerging", "Thriving"), best_end=BestEnd.LAST
    )
    a, b = SystemFactory(name="A"), SystemFactory(name="B")
    ratings = {
        "a-2017": _rate(a, old, "Worst", dt.date(2017, 7, 1)),
        "a-2019": _rate(a, old, "Good", dt.date(2019, 4, 1)),
        "a-2021": _rate(a, new, "Thriving", dt.date(2021, 6, 1)),
        "b-2019": _rate(b, old, "Best", dt.date(2019, 4, 1)),
    }
    return old, new, a, b, ratings


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2017, 6, 30), set()),
        (dt.date(2017, 7, 1), {"a-2017"}),
        (dt.date(2018, 1, 1), {"a-2017"}),
        (dt.date(2019, 3, 31), {"a-2017"}),
        (dt.date(2019, 4, 1), {"a-2019", "b-2019"}),
        (dt.date(2021, 5, 31), {"a-2019", "b-2019"}),
        (dt.date(2021, 6, 1), {"a-2019", "a-2021", "b-2019"}),
        (dt.date(2030, 1, 1), {"a-2019", "a-2021", "b-2019"}),
    ],
    # Sorted, so the ids are the same in every process (set order varies with hash seeds,
    # and pytest-xdist's workers must collect the same tests).
    ids=lambda value: ",".join(sorted(value)) if isinstance(value, set) else str(value),
)
def test_latest_assessments_as_at_before_between_and_after(two_frameworks, day, expected):
    """On each day, each system's latest rating under each framework on or before it: none
    before the first, the earlier one between two, the later one from its day on, and a new
    framework's rating beside (not instead of) the old framework's."""
    *_, ratings = two_frameworks
    names = {assessment.pk: name for name, assessment in ratings.items()}
    latest = latest_assessments_as_at(day)
    assert {names[a.pk] for a in latest} == expected
    python_twin = latest_by_framework(Assessment.objects.all(), day)
    assert {a.pk for a in python_twin} == {a.pk for a in latest}


def test_latest_assessments_as_at_is_one_query_plus_domain_ratings(
    two_frameworks, django_assert_num_queries
):
    """All systems' latest ratings cost one query, and one more for their domain ratings."""
    with django_assert_num_queries(2):
        latest = list(latest_assessments_as_at(dt.date(2022, 1, 1)))
        for assessment in latest:
            _ = assessment.system.name, assessment.framework.name, assessment.level.name
            list(assessment.domain_ratings.all())
    assert {a.level_count for a in latest} == {2, 4}


def test_latest_assessments_as_at_narrowed_to_systems_and_framework(two_frameworks):
    old, new, a, b, ratings = two_frameworks
    day = dt.date(2022, 1, 1)
    assert {x.pk for x in latest_assessments_as_at(day, systems=[a])} == {
        ratings["a-2019"].pk,
        ratings["a-2021"].pk,
    }
    assert {x.pk for x in latest_assessments_as_at(day, systems=[b.pk], framework=old)} == {
        ratings["b-2019"].pk
    }
    scope = type(a).objects.filter(name="A")
    assert [x.pk for x in latest_assessments_as_at(day, systems=scope, framework=new)] == [
        ratings["a-2021"].pk
    ]


def test_latest_assessments_as_at_same_day_tie_goes_to_later_row(two_frameworks):
    """Two ratings under one framework on one day cannot exist; under two frameworks on the
    same day both count."""
    old, _new, a, _b, _ratings = two_frameworks
    with pytest.raises(ValidationError):
        Assessment(
            system=a, framework=old, level=_level(old, "Best"), assessed_on=dt.date(2019, 4, 1)
        ).full_clean()


def test_maturity_history_is_chronological_with_domain_ratings(two_frameworks):
    """A system's history lists every rating under every framework, oldest first."""
    _old, _new, a, _b, ratings = two_frameworks
    AssessmentDomainRatingFactory(assessment=ratings["a-2019"])
    history = maturity_history(a)
    assert [x.pk for x in history] == [
        ratings["a-2017"].pk,
        ratings["a-2019"].pk,
        ratings["a-2021"].pk,
    ]
    assert len(history[1].domain_ratings.all()) == 1


def test_assessments_for_scope_until_a_date(two_frameworks):
    old, _new, a, b, ratings = two_frameworks
    scoped = assessments_for([a, b], until=dt.date(2019, 12, 31))
    assert [x.pk for x in scoped] == [
        ratings["a-2017"].pk,
        ratings["a-2019"].pk,
        ratings["b-2019"].pk,
    ]
    assert assessments_for([b], framework=old).count() == 1


# -- validation -----------------------------------------------------------------------------


def test_assessment_level_from_another_framework_is_refused():
    """An assessment's overall level must be one of its own framework's levels."""
    dashboard, matrix = make_framework(), make_framework(levels=("Emerging", "Thriving"))
    assessment = Assessment(
        system=SystemFactory(),
        framework=dashboard,
        level=_level(matrix, "Thriving"),
        assessed_on=dt.date(2019, 1, 1),
        source="test",
    )
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert "level" in error.value.message_dict


def test_domain_rating_domain_or_level_from_another_framework_is_refused():
    ours = make_framework(domains=("Finance",))
    theirs = make_framework(domains=("Finance",))
    assessment = AssessmentFactory(framework=ours, level=_level(ours, "Good"))
    wrong_domain = AssessmentDomainRating(
        assessment=assessment, domain=theirs.domains.get(), level=_level(ours, "Good")
    )
    wrong_level = AssessmentDomainRating(
        assessment=assessment, domain=ours.domains.get(), level=_level(theirs, "Good")
    )
    with pytest.raises(ValidationError) as domain_error:
        wrong_domain.full_clean()
    with pytest.raises(ValidationError) as level_error:
        wrong_level.full_clean()
    assert "domain" in domain_error.value.message_dict
    assert "level" in level_error.value.message_dict
    AssessmentDomainRating(
        assessment=assessment, domain=ours.domains.get(), level=_level(ours, "Best")
    ).full_clean()


def test_domain_rating_before_the_domain_was_in_use_is_refused():
    """The oversight framework's sixth theme cannot be rated before 2022/23."""
    framework = make_framework(domains=("People", "Local strategic priorities"))
    sixth = framework.domains.get(order=2)
    sixth.in_use_from = dt.date(2022, 4, 1)
    sixth.save()
    early = AssessmentFactory(
        framework=framework, level=_level(framework, "Good"), assessed_on=dt.date(2021, 9, 1)
    )
    with pytest.raises(ValidationError):
        AssessmentDomainRating(
            assessment=early, domain=sixth, level=_level(framework, "Good")
        ).full_clean()


def test_levels_are_unique_per_framework_in_name_and_order():
    framework = make_framework()
    with pytest.raises(ValidationError):
        MaturityLevel(framework=framework, order=1, name="Another", source="t").full_clean()
    with pytest.raises(ValidationError):
        MaturityLevel(framework=framework, order=9, name="Best", source="t").full_clean()


def test_framework_cannot_end_before_it_starts():
    framework = make_framework()
    framework.in_force_until = framework.in_force_from - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        framework.full_clean()


# -- pure functions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "count", "best_end", "score"),
    [
        (1, 4, BestEnd.FIRST, 1.0),
        (4, 4, BestEnd.FIRST, 0.0),
        (2, 4, BestEnd.FIRST, 2 / 3),
        (4, 4, BestEnd.LAST, 1.0),
        (1, 4, BestEnd.LAST, 0.0),
        (1, 1, BestEnd.LAST, 1.0),
    ],
)
def test_level_score_puts_best_at_one_whichever_end(order, count, best_end, score):
    assert level_score(order, count, best_end) == pytest.approx(score)


def test_level_position_names_the_best_and_worst_ends():
    level = MaturityLevel(order=1, name="Segment 1")
    assert level_position(level, 4, BestEnd.FIRST) == "1 of 4 (best)"
    assert level_position(level, 4, BestEnd.LAST) == "1 of 4 (worst)"
    assert level_position(MaturityLevel(order=2), 4, BestEnd.LAST) == "2 of 4"


def test_build_matrix_by_framework_and_by_date(two_frameworks):
    """By framework: one column per framework, latest rating in each; by date: one column
    per assessment date of the framework. Unrated systems stay as empty rows; rated systems
    missing from the list (ended ones) are added; rows are in name order."""
    old, new, _a, b, _ratings = two_frameworks
    c = SystemFactory(name="C, never rated")
    day = dt.date(2022, 1, 1)
    listed = [(b.pk, "B", b.slug), (c.pk, c.name, c.slug)]
    matrix = build_matrix(listed, latest_assessments_as_at(day), frameworks=[old, new])
    assert matrix.columns == ["Old", "New"]
    assert [row.system for row in matrix.rows] == ["A", "B", "C, never rated"]
    a_row = matrix.rows[0]
    assert [cell.level for cell in a_row.cells] == ["Good", "Thriving"]
    assert [cell.score for cell in a_row.cells] == [pytest.approx(2 / 3), 1.0]
    assert matrix.rows[2].cells == [None, None]
    assert matrix.rated_count == 2 and matrix.cell_count == 3

    by_date = build_matrix(
        listed, assessments_for(framework=old), framework=old, levels=old.levels.all()
    )
    assert by_date.columns == ["1 July 2017", "1 April 2019"]
    assert [cell and cell.level for cell in by_date.rows[0].cells] == ["Worst", "Good"]
    assert by_date.scale[0] == (0.0, "Worst") and by_date.scale[-1] == (1.0, "Best")
    text = describe_matrix(by_date, "as at 1 January 2022", by="assessment date")
    assert "1 April 2019: Best (1): B; Good (1): A." in text


def test_maturity_heatmap_has_one_cell_per_system_and_column(two_frameworks):
    old, new, *_ = two_frameworks
    matrix = build_matrix([], latest_assessments_as_at(dt.date(2022, 1, 1)), frameworks=[old, new])
    figure = charts.chart_payload(charts.maturity_heatmap(matrix))
    trace = figure["data"][-1]
    assert trace["type"] == "heatmap"
    assert trace["y"] == ["A", "B"]
    assert trace["text"] == [["Good", "Thriving"], ["Best", ""]]
    assert trace["z"][1][1] is None


# -- the pages ------------------------------------------------------------------------------


def test_maturity_page_as_at_october_2018_shows_the_ten_ratings(analyst_client, reference_data):
    """On 1 October 2018 the matrix shows the ten July 2017 ratings, the heat map with its
    text alternative and data table, and the three frameworks described."""
    response = analyst_client.get(reverse("systems:maturity"), {"as_at": "2018-10-01"})
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert len(rows) == 10
    html = response.content.decode()
    assert 'id="maturity-matrix-figure"' in html
    assert "Show the data as a table" in html
    chart = response.context["chart"]
    assert "Outstanding (5): Bedfordshire, Luton and Milton Keynes, Dorset" in chart.description
    assert chart.data.columns == [
        "STP progress dashboard (July 2017)",
        "ICS maturity matrix (2018-21)",
    ]
    assert "System Oversight Framework 2021/22" in html  # described, though not yet in force
    assert "Local strategic priorities" in html


def test_maturity_page_before_july_2017_has_no_ratings(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:maturity"), {"as_at": "2017-06-30"})
    assert len(response.context["table"].rows) == 0
    assert response.context["chart"] is None
    assert "No framework had been published as at 30 June 2017" in response.content.decode()


def test_maturity_page_one_framework_by_assessment_date(analyst_client, reference_data):
    """Choosing a framework shows every assessment under it up to the date, by date."""
    dorset = type(Assessment.objects.first().system).objects.get(slug="dorset")
    dashboard = MaturityFramework.objects.get(slug=DASHBOARD)
    _rate(dorset, dashboard, "Advanced", dt.date(2018, 3, 1), illustrative=True)
    url = reverse("systems:maturity")
    response = analyst_client.get(url, {"framework": DASHBOARD, "as_at": "2018-10-01"})
    assert len(response.context["table"].rows) == 11
    assert response.context["chart"].data.columns == ["July 2017", "1 March 2018"]
    response = analyst_client.get(url, {"framework": "ics-maturity-matrix"})
    assert len(response.context["table"].rows) == 0
    assert "No system had been assessed" in response.content.decode()


def test_maturity_page_unknown_framework_says_so(analyst_client, reference_data):
    """An unknown framework in the address is reported on the form; the page still shows
    every framework's latest ratings."""
    response = analyst_client.get(reverse("systems:maturity"), {"framework": "no-such-thing"})
    assert response.status_code == 200
    assert "framework" in response.context["filter"].form.errors
    assert len(response.context["table"].rows) == 10


def test_maturity_csv_export_equals_the_table(analyst_client, reference_data):
    """The download holds exactly the table's rows and columns, plus the source address."""
    query = {"as_at": "2018-10-01", "sort": "level__name"}
    page = analyst_client.get(reverse("systems:maturity"), query)
    table = page.context["table"]
    response = analyst_client.get(reverse("systems:maturity"), {**query, "_export": "csv"})
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
    assert [row[3] for row in rows[1:]][:5] == ["Outstanding"] * 5
    assert {row[2] for row in rows[1:]} == {"July 2017"}
    assert {row[4] for row in rows[1:]} == {"1 of 4 (best)", "4 of 4 (worst)"}
    xlsx = analyst_client.get(reverse("systems:maturity"), {**query, "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
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
    rating = _rate(
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
        rating = _rate(system, first, "Good", dt.date(2017, 7, 1))
        AssessmentDomainRatingFactory(assessment=rating)
        _rate(system, second, "Thriving", dt.date(2019, 7, 1))
        systems.append(system)
    return systems


PAGES = {
    "maturity": lambda systems: reverse("systems:maturity"),
    "maturity-framework": lambda systems: (
        reverse("systems:maturity") + f"?framework={MaturityFramework.objects.first().slug}"
    ),
    "maturity-export": lambda systems: reverse("systems:maturity") + "?_export=csv",
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
    # 16: the system page's 15 and one for the user's permissions (the view right).
    with django_assert_max_num_queries(16):
        response = analyst_client.get(url)
    assert response.status_code == 200


# -- the admin ------------------------------------------------------------------------------


def _assessment_post(system, framework, level, domain=None, domain_level=None, **overrides):
    data = {
        "system": system.pk,
        "framework": framework.pk,
        "assessed_on": "2019-07-01",
        "precision": "month",
        "level": level.pk,
        "evidence": "",
        "source": "Regional assurance letter",
        "source_url": "",
        "note": "",
        "domain_ratings-TOTAL_FORMS": "1" if domain else "0",
        "domain_ratings-INITIAL_FORMS": "0",
        "domain_ratings-MIN_NUM_FORMS": "0",
        "domain_ratings-MAX_NUM_FORMS": "1000",
    }
    if domain:
        data |= {"domain_ratings-0-domain": domain.pk, "domain_ratings-0-level": domain_level.pk}
    return data | overrides


def test_admin_designation_editor_adds_assessment_with_domain_ratings(client, designation_editor):
    """A designation editor records an assessment and its domain ratings in one form; both
    keep their history with who made them."""
    framework = make_framework(domains=("Finance",))
    system = make_system()
    client.force_login(designation_editor)
    url = reverse("admin:systems_assessment_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _assessment_post(
            system,
            framework,
            _level(framework, "Good"),
            framework.domains.get(),
            _level(framework, "Best"),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assessment = Assessment.objects.get()
    assert assessment.level.name == "Good"
    assert assessment.domain_ratings.get().level.name == "Best"
    assert assessment.history.get().history_user == designation_editor
    assert AssessmentDomainRating.history.get().history_user == designation_editor
    change = reverse("admin:systems_assessment_change", args=[assessment.pk])
    page = client.get(change)
    assert page.status_code == 200
    levels = page.context["adminform"].form.fields["level"].queryset
    assert set(levels) == set(framework.levels.all())
    history = reverse("admin:systems_assessment_history", args=[assessment.pk])
    assert client.get(history).status_code == 200


def test_admin_assessment_level_of_another_framework_is_refused(client, designation_editor):
    framework, other = make_framework(), make_framework()
    client.force_login(designation_editor)
    response = client.post(
        reverse("admin:systems_assessment_add"),
        _assessment_post(make_system(), framework, _level(other, "Good")),
    )
    assert response.status_code == 200
    assert "level" in response.context["adminform"].form.errors
    assert not Assessment.objects.exists()


def test_admin_framework_with_levels_and_domains_opens_for_editor(
    client, designation_editor, reference_data
):
    client.force_login(designation_editor)
    framework = MaturityFramework.objects.get(slug=DASHBOARD)
    response = client.get(reverse("admin:systems_maturityframework_change", args=[framework.pk]))
    assert response.status_code == 200
    assert "Needs most improvement" in response.content.decode()
    assert client.get(reverse("admin:systems_assessment_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "finance_editor"])
def test_admin_assessment_add_refused_without_the_role(client, request, role):
    """Analysts cannot use the admin; finance editors may view assessments but not add them."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("admin:systems_assessment_add"))
    assert response.status_code in (302, 403)
    assert user.has_perm("systems.view_assessment")
    assert not user.has_perm("systems.add_assessment")


def test_roles_designation_editor_may_edit_maturity(designation_editor):
    for model in ("maturityframework", "maturitylevel", "maturitydomain", "assessment"):
        for action in ("add", "change", "delete"):
            assert designation_editor.has_perm(f"systems.{action}_{model}")
    assert designation_editor.has_perm("systems.change_assessmentdomainrating")


# -- the query and its Python twin agree ----------------------------------------------------

rating = st.tuples(
    st.integers(0, 2),  # system
    st.integers(0, 1),  # framework
    st.integers(0, 2000),  # days after 1 January 2017
    st.integers(1, 4),  # level order
)


class AsAtTwinTests(TestCase):
    """`Assessment.objects.as_at` and `latest_by_framework` pick the same ratings on any day."""

    @settings(max_examples=40, deadline=None)
    @given(st.lists(rating, max_size=12), st.integers(-10, 2010))
    def test_as_at_query_equals_python_twin(self, ratings, day_offset):
        start = dt.date(2017, 1, 1)
        systems = [SystemFactory() for _ in range(3)]
        frameworks = [make_framework(), make_framework(best_end=BestEnd.LAST)]
        seen = set()
        for system, framework, offset, order in ratings:
            if (system, framework, offset) in seen:
                continue  # one rating per system, framework and day
            seen.add((system, framework, offset))
            AssessmentFactory(
                system=systems[system],
                framework=frameworks[framework],
                level=frameworks[framework].levels.get(order=order),
                assessed_on=start + dt.timedelta(days=offset),
            )
        day = start + dt.timedelta(days=day_offset)
        from_query = {a.pk for a in Assessment.objects.as_at(day)}
        from_python = {a.pk for a in latest_by_framework(Assessment.objects.all(), day)}
        assert from_query == from_python
        assert len(from_query) == len(
            {(s, f) for s, f, offset, _ in ratings if offset <= day_offset}
        )
