"""Maturity's rules in Python, no queries: which rating holds on a day, where a level sits on
its framework's scale, and the matrix of systems by framework (or by assessment date) that the
page's heat map, its data table and the board summaries all draw from.

`latest_by_framework` is `Assessment.objects.as_at(day)` over rows already read (the system
page uses it on the history it has loaded); a test holds the two equal. `level_score` puts
levels of different frameworks on one scale (0 the worst level, 1 the best), for colouring.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.dates import format_partial_date

from .models import Assessment, BestEnd, MaturityFramework, MaturityLevel


def latest_by_framework(assessments: Iterable[Assessment], day: dt.date) -> list[Assessment]:
    """The Python twin of `Assessment.objects.as_at(day)` over assessments already read: for
    each (system, framework), the latest on or before `day` (ties go to the later row)."""
    latest: dict[tuple[int, int], Assessment] = {}
    for assessment in assessments:
        if assessment.assessed_on > day:
            continue
        key = (assessment.system_id, assessment.framework_id)
        held = latest.get(key)
        if held is None or (assessment.assessed_on, assessment.pk) > (held.assessed_on, held.pk):
            latest[key] = assessment
    return sorted(latest.values(), key=lambda a: (a.system_id, a.framework_id))


def level_score(order: int, level_count: int, best_end: str) -> float:
    """A level's place on a common scale: 0 for a framework's worst level, 1 for its best.

    Frameworks have different numbers of levels and some count from the best (segment 1 of
    the oversight framework), others towards it (the maturity matrix's Thriving), so levels
    are compared only through this score.
    """
    if level_count <= 1:
        return 1.0
    from_worst = level_count - order if best_end == BestEnd.FIRST else order - 1
    return from_worst / (level_count - 1)


def level_position(level: MaturityLevel, level_count: int, best_end: str) -> str:
    """`1 of 4 (best)`, `4 of 4 (worst)`, `2 of 4`: where a level sits on its own scale."""
    best = 1 if best_end == BestEnd.FIRST else level_count
    worst = level_count if best_end == BestEnd.FIRST else 1
    label = f"{level.order} of {level_count}"
    if level_count > 1 and level.order == best:
        return f"{label} (best)"
    if level_count > 1 and level.order == worst:
        return f"{label} (worst)"
    return label


# -- the matrix: plain rows for the chart, its data table and the board summaries ------------


@dataclass(frozen=True)
class MatrixCell:
    level: str
    score: float
    assessed: str
    unverified: bool
    illustrative: bool


@dataclass
class MatrixRow:
    system: str
    url_code: str
    cells: list[MatrixCell | None] = field(default_factory=list)


@dataclass
class Matrix:
    """Systems (rows) by columns (frameworks, or assessment dates under one framework)."""

    columns: list[str]
    rows: list[MatrixRow]
    scale: list[tuple[float, str]]  # (score, label) for the colour key

    @property
    def rated_count(self) -> int:
        return sum(1 for row in self.rows if any(row.cells))

    @property
    def cell_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell)


def _cell(assessment) -> MatrixCell:
    return MatrixCell(
        level=assessment.level.name,
        score=level_score(
            assessment.level.order, assessment.level_count, assessment.framework.best_end
        ),
        assessed=format_partial_date(assessment.assessed_on, assessment.precision),
        unverified=assessment.unverified,
        illustrative=assessment.illustrative,
    )


def build_matrix(
    systems: Iterable[tuple[int, str, str]],
    assessments: Iterable[Assessment],
    *,
    frameworks: Iterable[MaturityFramework] | None = None,
    framework: MaturityFramework | None = None,
    levels: Iterable[MaturityLevel] = (),
) -> Matrix:
    """Lay assessments (read by `maturity.queries`, so annotated `level_count`) out as a
    matrix; no queries.

    systems: (id, name, url code) of the systems to show; assessments of systems not listed
    (ended by the date, say, or outside a paper's scope) are left out, so the matrix shows
    only the systems that existed on its date. Rows are in order of name. Either
    `frameworks`: one column per framework, the assessments being each system's latest under
    each; or `framework` and its `levels`: one column per assessment date under it.
    """
    assessments = list(assessments)
    if frameworks is not None:
        frameworks = list(frameworks)
        columns = [f.name for f in frameworks]
        column_of = {f.pk: index for index, f in enumerate(frameworks)}

        def column(assessment):
            return column_of.get(assessment.framework_id)

        scale = [(0.0, "Worst level"), (1.0, "Best level")]
    else:
        dates = sorted({(a.assessed_on, a.precision) for a in assessments})
        columns = [format_partial_date(day, precision) for day, precision in dates]
        column_of = {key: index for index, key in enumerate(dates)}

        def column(assessment):
            if assessment.framework_id != framework.pk:
                return None
            return column_of[(assessment.assessed_on, assessment.precision)]

        levels = list(levels)
        scale = sorted(
            (level_score(lv.order, len(levels), framework.best_end), lv.name) for lv in levels
        )
    rows: dict[int, MatrixRow] = {
        pk: MatrixRow(name, url_code, [None] * len(columns)) for pk, name, url_code in systems
    }
    for assessment in assessments:
        index = column(assessment)
        if index is None:
            continue
        row = rows.get(assessment.system_id)
        if row is not None:
            row.cells[index] = _cell(assessment)
    ordered = sorted(rows.values(), key=lambda row: row.system)
    return Matrix(columns=columns, rows=ordered, scale=scale)


def describe_matrix(matrix: Matrix, where: str, by: str = "framework") -> str:
    """The chart's text alternative: how many systems were rated, and who got which level.

    where: the date phrase ("as at 1 October 2018"); by: what the columns are.
    """
    if not matrix.columns and by == "framework":
        return f"No framework had been published {where}."
    if not matrix.cell_count:
        return f"No system had been assessed {where}."
    systems = "system" if len(matrix.rows) == 1 else "systems"
    have = "has" if matrix.rated_count == 1 else "have"
    parts = [
        f"Heat map of {len(matrix.rows)} {systems} by {by} {where}; "
        f"{matrix.rated_count} of them {have} a rating."
    ]
    for index, column in enumerate(matrix.columns):
        by_level: dict[str, list[str]] = {}
        for row in matrix.rows:
            cell = row.cells[index]
            if cell:
                by_level.setdefault((-cell.score, cell.level), []).append(row.system)
        if not by_level:
            parts.append(f"{column}: no ratings.")
            continue
        levels = "; ".join(
            f"{level} ({len(names)}): {', '.join(names)}"
            for (_, level), names in sorted(by_level.items())
        )
        parts.append(f"{column}: {levels}.")
    return " ".join(parts)


def drop_unrated(matrix: Matrix) -> Matrix:
    """The matrix without its unrated rows and columns, for print: a page can scroll past
    44 grey rows, a paper should not."""
    columns = [i for i, _ in enumerate(matrix.columns) if any(r.cells[i] for r in matrix.rows)]
    rows = [
        MatrixRow(row.system, row.url_code, [row.cells[i] for i in columns])
        for row in matrix.rows
        if any(row.cells[i] for i in columns)
    ]
    return Matrix(columns=[matrix.columns[i] for i in columns], rows=rows, scale=matrix.scale)
