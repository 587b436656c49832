"""Maturity's rules in Python: a level's score and place on its scale, the matrix, the heat
map."""

import datetime as dt

import pytest

from core.charts import chart_payload
from maturity.charts import maturity_heatmap
from maturity.models import BestEnd, MaturityLevel
from maturity.queries import assessments_for, latest_assessments_as_at
from maturity.rules import build_matrix, describe_matrix, level_position, level_score
from tests.factories.systems import SystemFactory

pytestmark = pytest.mark.django_db


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
    per assessment date of the framework. Unrated systems stay as empty rows; rows are in
    name order."""
    old, new, a, b, _ratings = two_frameworks
    c = SystemFactory(name="C, never rated")
    day = dt.date(2022, 1, 1)
    listed = [(c.pk, c.name, c.slug), (b.pk, "B", b.slug), (a.pk, "A", a.slug)]
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


def test_build_matrix_leaves_out_systems_not_listed(two_frameworks):
    """A rated system that is not listed (one that had ended by the date) has no row: the
    matrix shows only the systems that existed on its date."""
    old, new, _a, b, _ratings = two_frameworks
    day = dt.date(2022, 1, 1)
    matrix = build_matrix(
        [(b.pk, "B", b.slug)], latest_assessments_as_at(day), frameworks=[old, new]
    )
    assert [row.system for row in matrix.rows] == ["B"]
    assert matrix.rated_count == 1


def test_maturity_heatmap_has_one_cell_per_system_and_column(two_frameworks):
    old, new, a, b, _ratings = two_frameworks
    listed = [(a.pk, "A", a.slug), (b.pk, "B", b.slug)]
    matrix = build_matrix(
        listed, latest_assessments_as_at(dt.date(2022, 1, 1)), frameworks=[old, new]
    )
    figure = chart_payload(maturity_heatmap(matrix))
    trace = figure["data"][-1]
    assert trace["type"] == "heatmap"
    assert trace["y"] == ["A", "B"]
    assert trace["text"] == [["Good", "Thriving"], ["Best", ""]]
    assert trace["z"][1][1] is None
