"""What the maturity page and the board summaries' maturity section show, shaped from the
queries and the rules: the matrix of systems by framework (or by assessment date), its heat
map and the words about it. The page and the paper call the same functions, so they cannot
draw different pictures of the same date."""

import datetime as dt
from collections.abc import Iterable

from core.charts import Chart, chart_payload
from systems.models import System

from .charts import maturity_heatmap
from .models import MaturityFramework
from .queries import matrix_assessments
from .rules import Matrix, build_matrix, describe_matrix


def current_systems(day: dt.date, system_ids: Iterable[int] | None = None):
    """(id, name, slug) of the systems that existed on `day`; only those in `system_ids`
    when given (a board summary's scope)."""
    systems = System.objects.current_as_at(day)
    if system_ids is not None:
        systems = systems.filter(pk__in=system_ids)
    return systems.values_list("pk", "name", "slug")


def latest_ratings_matrix(
    day: dt.date,
    assessments: Iterable,
    frameworks: Iterable[MaturityFramework],
    system_ids: Iterable[int] | None = None,
) -> Matrix:
    """The systems that existed on `day` (those in scope) by the frameworks published by
    then, each cell the system's latest rating: `assessments` are
    `latest_assessments_as_at(day)`'s."""
    return build_matrix(
        current_systems(day, system_ids),
        assessments,
        frameworks=[f for f in frameworks if f.in_force_from <= day],
    )


def latest_ratings_title(where: str) -> str:
    """The heat map's title with no framework chosen; `where` is the date phrase."""
    return f"Each system's latest rating under each framework, {where}"


def matrix_caption(day: dt.date, framework: MaturityFramework | None) -> str:
    """The ratings table's caption on the maturity page."""
    if framework is None:
        return f"Each system's latest rating under each framework as at {day:%-d %B %Y}"
    return f"Assessments under the {framework.name} up to {day:%-d %B %Y}"


def maturity_page_context(as_at: dt.date, framework: MaturityFramework | None) -> dict:
    """The maturity heat map on `as_at` (every framework's latest ratings, or one framework's
    assessments by date) and the frameworks the page describes."""
    frameworks = list(
        MaturityFramework.objects.prefetch_related("levels", "domains").order_by(
            "in_force_from", "name"
        )
    )
    assessments = matrix_assessments(as_at, framework).prefetch_related(None)
    when = f"as at {as_at:%-d %B %Y}"
    if framework is None:
        matrix = latest_ratings_matrix(as_at, assessments, frameworks)
        title, by = latest_ratings_title(when), "framework"
    else:
        chosen = next(f for f in frameworks if f.pk == framework.pk)
        matrix = build_matrix(
            current_systems(as_at), assessments, framework=chosen, levels=chosen.levels.all()
        )
        title = f"Assessments under the {framework.name}, up to {as_at:%-d %B %Y}"
        by = "assessment date"
    description = describe_matrix(matrix, when, by=by)
    chart = None
    if matrix.columns:
        chart = Chart(
            id="maturity-matrix",
            title=title,
            description=description,
            figure=chart_payload(maturity_heatmap(matrix)),
            data_template="maturity/_matrix_table.html",
            data=matrix,
        )
    return {
        "chart": chart,
        "matrix": matrix,
        "frameworks": frameworks,
        "empty_reason": description if chart is None else "",
    }
