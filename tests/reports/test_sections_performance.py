"""The performance section as a plain function of a scope: England's figure per standard,
who in the group performed above it (counted from numerators and denominators), the league
page's Table and chart, and an annex with every system."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from performance.models import Observation, Standard
from reports.paper import compose_document
from reports.sections import SummaryScope
from reports.sections.performance import performance_section
from tests.factories.performance import ObservationFactory
from tests.helpers import body

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2018, 9, 27)
CANCER = "cancer-62-day"


def scope_of(world, **kwargs):
    return SummaryScope(scope=kwargs.pop("scope", "all"), as_at=AS_AT, year=world["year"], **kwargs)


def observe(system, numerator, denominator, *, code=CANCER, illustrative=True):
    """One month of 2017/18 for the system's first member provider."""
    provider = system.memberships.order_by("pk").first().organisation
    return ObservationFactory(
        provider=provider,
        standard=Standard.objects.get(code=code),
        month=dt.date(2017, 6, 1),
        numerator=numerator,
        denominator=denominator,
        illustrative=illustrative,
    )


@pytest.fixture
def observed(small_world):
    """The non-ICSs are large and at 70%, so England is close to 70%: a Wave 1 system at 90%
    is above it and one at 50% below. Greater Foxtrot has no members, so no figures."""
    for other in small_world["others"]:
        observe(other, 7000, 10000)
    return small_world


def wave_values(world, values):
    for name, value in zip(("alpha", "bravo", "delta", "echo"), values, strict=True):
        observe(world[name], value, 100)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            (50, 50, 50, 50),
            "None of the four Wave 1 ICSs with figures performed above the national average for "
            "the cancer 62-day standard in 2017/18.",
        ),
        (
            (90, 50, 50, 50),
            "One of the four Wave 1 ICSs with figures performed above the national average for "
            "the cancer 62-day standard in 2017/18 (Alpha).",
        ),
        (
            (90, 90, 90, 50),
            "All but one of the four Wave 1 ICSs with figures performed above the national "
            "average for the cancer 62-day standard in 2017/18 (Alpha, Bravo and Charlie, and "
            "Delta).",
        ),
        (
            (90, 90, 90, 90),
            "All four Wave 1 ICSs with figures performed above the national average for the "
            "cancer 62-day standard in 2017/18.",
        ),
    ],
)
def test_performance_section_counts_the_wave_above_the_national_average(observed, values, expected):
    """None, one, all but one, all: the counting words follow the numerators and denominators."""
    wave_values(observed, values)
    result = performance_section(scope_of(observed))
    assert result.paragraphs[2].startswith(expected)


def test_performance_section_names_a_system_without_figures(observed):
    """Greater Foxtrot, absorbed later and without members, is named rather than counted."""
    wave_values(observed, (90, 90, 90, 50))
    text = " ".join(performance_section(scope_of(observed)).paragraphs)
    assert (
        "Greater Foxtrot has no figures for 2017/18: no provider with observations was counted "
        "towards it, so it is named here rather than counted." in text
    )


def test_performance_section_states_england_and_compares_the_non_icss(observed):
    wave_values(observed, (90, 90, 90, 50))
    result = performance_section(scope_of(observed))
    # England: (21000 + 320) / 30400.
    assert result.paragraphs[1] == (
        "England's figures for 2017/18 were 70.1% for the cancer 62-day standard (target 85%)."
    )
    assert result.paragraphs[3] == (
        "By comparison, of the three non-ICSs with figures, none performed above the national "
        "average for the cancer 62-day standard."
    )
    assert result.to_note == [
        "Of the four Wave 1 ICSs with figures, all but one performed above the national average "
        "for the cancer 62-day standard in 2017/18."
    ]


def test_performance_section_changes_when_the_data_change(observed):
    wave_values(observed, (90, 90, 90, 50))
    Observation.objects.filter(numerator=50).update(numerator=95)
    text = performance_section(scope_of(observed)).paragraphs[2]
    assert text.startswith("All four Wave 1 ICSs with figures performed above")


def test_performance_section_uses_the_league_table_and_chart(observed):
    """The group's rows in the league page's Table (best first), every system's in the annex,
    and the league page's bar chart."""
    wave_values(observed, (90, 80, 85, 50))
    result = performance_section(scope_of(observed))
    table = result.tables[0]
    assert table.headers[:4] == ["Rank", "System", "Value (%)", "National (%)"]
    assert [row[0] for row in table.rows] == ["1", "2", "3", "4", "—"]
    assert [row[1] for row in table.rows] == [
        "Alpha",
        "Delta",
        "Bravo and Charlie",
        "Echo",
        "Greater Foxtrot",
    ]
    assert table.rows[-1][2] == "—"
    annex = result.annexes[0]
    assert annex.key == "performance"
    assert len(annex.tables[0].rows) == 8
    assert "Within standard" in annex.tables[0].headers
    assert [chart.title for chart in result.charts] == [
        "Wave 1 ICSs against England: cancer 62-day, 2017/18"
    ]


def test_lower_is_better_orders_the_page_and_the_paper_alike(observed, client, analyst):
    """Where fewer is better, the lowest value is best: the league page's chart and table and
    the board paper's table, chart and annex all put it first, systems without figures last,
    in one order (`performance.rules.best_first`)."""
    Standard.objects.filter(code=CANCER).update(higher_is_better=False)
    wave_values(observed, (90, 80, 85, 50))
    result = performance_section(scope_of(observed))
    paper_table = [row[1] for row in result.tables[0].rows]
    assert paper_table == ["Echo", "Bravo and Charlie", "Delta", "Alpha", "Greater Foxtrot"]
    assert result.charts[0].figure["layout"]["yaxis"]["categoryarray"] == paper_table[:4]
    annex = [row[1] for row in result.annexes[0].tables[0].rows]
    assert annex[0] == "Echo" and annex[-1] == "Greater Foxtrot"

    client.force_login(analyst)
    url = reverse("performance:league", args=[CANCER, "2017-18"])
    page_chart = client.get(url, {"figures": "all"}).context["chart"]
    assert [row.system.name for row in page_chart.data] == annex[:-1]
    export = client.get(url, {"figures": "all", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(body(export).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == annex


def test_performance_tables_and_cover_mark_illustrative_observations(observed):
    wave_values(observed, (90, 90, 90, 50))
    result = performance_section(scope_of(observed))
    assert result.illustrative
    assert all(table.illustrative for table in result.tables + result.annexes[0].tables)
    assert "Figures" in result.tables[0].headers
    assert result.paragraphs[0].startswith("The performance figures for 2017/18 are illustrative")
    Observation.objects.update(illustrative=False)
    result = performance_section(scope_of(observed))
    assert not result.illustrative
    assert "Figures" not in result.tables[0].headers
    assert result.paragraphs[0].startswith("The figures for 2017/18 on ")
    assert "are real. Source: " in result.paragraphs[0]
    assert result.paragraphs[1].startswith("England's figures")


def test_document_cover_is_illustrative_when_only_performance_is(observed):
    from finance.models import OrganisationYear

    OrganisationYear.objects.update(illustrative=False)
    wave_values(observed, (90, 90, 90, 50))
    assert compose_document(scope_of(observed)).illustrative
    Observation.objects.update(illustrative=False)
    assert not compose_document(scope_of(observed)).illustrative


@pytest.mark.parametrize(
    ("scope", "name", "values", "sentence", "rows"),
    [
        # North: Alpha (90%), Bravo and Charlie (50%), India (70%, below England's 70.1%).
        (
            "region",
            "north",
            (90, 50, 90, 50),
            "One of the three systems in the North region performed above the national average "
            "for the cancer 62-day standard in 2017/18 (Alpha).",
            "Rank",
        ),
        (
            "system",
            "echo",
            (90, 90, 90, 50),
            "Echo performed below the national average for the cancer 62-day standard in "
            "2017/18: 50.0% against 70.1%.",
            "Standard",
        ),
    ],
)
def test_performance_section_for_a_region_or_system_speaks_of_it(
    observed, scope, name, values, sentence, rows
):
    """A region's section counts its systems above the national average and tabulates them;
    one system's gives its value against England's and tabulates it by standard."""
    wave_values(observed, values)
    result = performance_section(scope_of(observed, scope=scope, **{scope: observed[name]}))
    assert result.paragraphs[2] == sentence
    assert result.tables[0].headers[0] == rows


def test_performance_section_is_left_out_without_observations(small_world):
    assert performance_section(scope_of(small_world)) is None
    assert performance_section(SummaryScope(scope="all", as_at=AS_AT)) is None
